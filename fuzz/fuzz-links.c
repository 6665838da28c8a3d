/*
 * libFuzzer target for crawler/links.c: any bytes as a listing page (the
 * crawler may hand them over undecoded).  Every link that comes out is an
 * absolute, canonical http(s) URL with its text, the lists stay within the
 * bounds links.h sets, and the page is not among its own pages.
 */
#include "fuzz/fuzz.h"

#include "crawler/links.h"
#include "crawler/url.h"
#include "util/banned.h"

#define PAGE "http://a.test/col/index_1.html"

static void check_list(const struct link_list *l, unsigned must)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct link *k = &l->v[i];
		char *n;

		FUZZ_ASSERT(k->url && k->text);
		FUZZ_ASSERT(!strncmp(k->url, "http://", 7) || !strncmp(k->url, "https://", 8));
		n = url_normalize(k->url);
		FUZZ_ASSERT(n && !strcmp(n, k->url));
		free(n);
		fuzz_check_utf8(k->text);
		FUZZ_ASSERT(strlen(k->text) <= LINKS_MAX_TEXT);
		if (k->title)
			FUZZ_ASSERT(*k->title);
		FUZZ_ASSERT((k->kind & must) == must);
		FUZZ_ASSERT(!(k->kind & ~(unsigned)(LINK_REPORT | LINK_PAGE | LINK_ATTACHMENT)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct links l;

	links_init(&l);
	FUZZ_ASSERT(links_extract((const char *)data, size, PAGE, NULL, &l, NULL) == 0);
	check_list(&l.all, 0);
	check_list(&l.reports, LINK_REPORT);
	check_list(&l.pages, LINK_PAGE);
	check_list(&l.attachments, LINK_ATTACHMENT);
	FUZZ_ASSERT(l.all.n <= LINKS_MAX_LINKS);
	for (size_t i = 0; i < l.pages.n; i++)
		FUZZ_ASSERT(strcmp(l.pages.v[i].url, PAGE));
	links_release(&l);
	return 0;
}
