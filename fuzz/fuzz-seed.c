/*
 * libFuzzer target for the seed-file import (crawler/crawl.c,
 * crawl_parse_seed_line, as `ogi seed import` calls it): every line of the
 * input, the lines cut at '\n' and read up to a NUL as cli/cmd-seed.c reads
 * them.  A seed that passes is canonical and complete; a bad line leaves
 * a message and nothing allocated.
 */
#include "fuzz/fuzz.h"

#include "crawler/crawl.h"
#include "crawler/url.h"
#include "store/crawl.h"
#include "util/banned.h"

static void one_line(const char *line)
{
	struct seed s;
	struct err e = ERR_INIT;
	int r;

	store_seed_init(&s);
	r = crawl_parse_seed_line(line, &s, &e);
	FUZZ_ASSERT(r >= -1 && r <= 1);
	if (r == 1) {
		char *n = url_normalize(s.url);

		FUZZ_ASSERT(s.url && (!strncmp(s.url, "http://", 7) || !strncmp(s.url, "https://", 8)));
		FUZZ_ASSERT(n && !strcmp(n, s.url));	/* stored canonical */
		FUZZ_ASSERT(s.org && *s.org);
		FUZZ_ASSERT(!s.scope || s.scope[0] == '/');
		FUZZ_ASSERT(!s.level || *s.level);
		free(n);
	} else {
		FUZZ_ASSERT(!s.url && !s.org && !s.level && !s.parent && !s.scope);
		if (r < 0)
			FUZZ_ASSERT(e.msg[0]);
	}
	store_seed_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *p = copy, *end;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	end = copy + size;
	while (p <= end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl)
			*nl = '\0';
		one_line(p);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(copy);
	return 0;
}
