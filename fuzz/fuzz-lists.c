/*
 * libFuzzer target for crawler/lists.c and its readers: any bytes as a
 * listing page, a Hanweb dataproxy answer (POSTed) or a JSON list API
 * answer, by the first byte.  Reading never fails on the bytes; every
 * request that comes out is a canonical http(s) URL on the page's host,
 * a POST body is a form body within FETCH_MAX_POST, and a page asks at
 * most LISTS_MAX_REQUESTS requests of a reader besides its pagination.
 */
#include "fuzz/fuzz.h"

#include "crawler/fetch.h"
#include "crawler/lists.h"
#include "crawler/url.h"
#include "util/banned.h"

static const char *const pages[] = {
	"http://a.test/col/col12/index.html",
	"http://a.test/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3",
	"http://a.test/gkmlpt/api/all/12?page=1&sid=7",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct list_read r;
	struct list_page p;
	unsigned mode = size ? data[0] % 3 : 0;
	size_t gets = 0;

	p.text = size ? (const char *)data + 1 : "";
	p.len = size ? size - 1 : 0;
	p.url = pages[mode];
	p.post_body = mode == 1 ? "col=1&columnid=12" : NULL;
	lists_init(&r);
	FUZZ_ASSERT(lists_read(&p, NULL, &r, NULL) == 0);
	for (size_t i = 0; i < r.next.n; i++) {
		const struct list_request *q = &r.next.v[i];
		char *n = url_normalize(q->url);

		FUZZ_ASSERT(n && !strcmp(n, q->url));
		free(n);
		/* a reader's requests stay on the page's host; pagination follows <base href> */
		FUZZ_ASSERT(!q->api || !strncmp(q->url, "http://a.test/", 14));
		FUZZ_ASSERT(!q->body || q->api);
		gets += !q->api;
		if (!q->body)
			continue;
		FUZZ_ASSERT(strlen(q->body) <= FETCH_MAX_POST);
		for (const char *b = q->body; *b; b++)
			FUZZ_ASSERT(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					   "0123456789-_.~%=&", *b));
	}
	FUZZ_ASSERT(r.next.n - gets <= LISTS_MAX_REQUESTS);	/* gets: the html pagination's */
	FUZZ_ASSERT(r.next.n <= LISTS_MAX_REQUESTS + LINKS_MAX_PAGES + LINKS_MAX_LINKS);
	for (size_t i = 0; i < r.links.reports.n; i++)
		FUZZ_ASSERT(r.links.reports.v[i].kind & LINK_REPORT);
	if (r.problem)
		fuzz_check_utf8(r.problem);
	lists_release(&r);
	return 0;
}
