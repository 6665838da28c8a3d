/*
 * libFuzzer target for crawler/robots.c: the input's first line is a path
 * (read up to a NUL), the rest a robots.txt.  /robots.txt itself is always
 * allowed and the longest-match rule is deterministic.
 */
#include <math.h>

#include "fuzz/fuzz.h"

#include "crawler/robots.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t pl = nl ? (size_t)(nl - s) : size;
	char *path = malloc(pl + 1);
	struct robots r;
	double d;
	int a;

	if (!path)
		abort();
	memcpy(path, s, pl);
	path[pl] = '\0';
	robots_parse(nl ? nl + 1 : "", nl ? size - pl - 1 : 0, "ogi/0.1 (+https://example.test)",
		     &r);
	for (size_t i = 0; i < r.nrules; i++)
		FUZZ_ASSERT(r.rules[i].pattern && strlen(r.rules[i].pattern) == r.rules[i].len);
	a = robots_allowed(&r, path);
	FUZZ_ASSERT(a == 0 || a == 1);
	FUZZ_ASSERT(robots_allowed(&r, path) == a);
	FUZZ_ASSERT(robots_allowed(&r, "/robots.txt") == 1);
	(void)robots_allowed(&r, NULL);
	d = robots_crawl_delay(&r);
	FUZZ_ASSERT(!isnan(d));
	robots_release(&r);
	free(path);
	return 0;
}
