/*
 * libFuzzer target for crawler/robots.c: the input's first line is a path,
 * the rest a robots.txt.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t pl = nl ? (size_t)(nl - s) : size;
	char *path = malloc(pl + 1);
	struct robots r;

	memcpy(path, s, pl);
	path[pl] = '\0';
	robots_parse(nl ? nl + 1 : "", nl ? size - pl - 1 : 0, "ogi/0.1", &r);
	robots_allowed(&r, path);
	robots_crawl_delay(&r);
	robots_release(&r);
	free(path);
	return 0;
}
