/*
 * libFuzzer target for crawler/url.c: the input (up to its first NUL) as an
 * href resolved against a fixed base, then everything else on the result.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *ref = malloc(size + 1);
	char *u, *n, *h, *pq;

	memcpy(ref, data, size);
	ref[size] = '\0';
	u = url_resolve("https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/", ref);
	n = url_normalize(ref);
	if (u) {
		h = url_host(u);
		pq = url_path_query(u);
		/* canonical URLs are fixed points */
		n = (free(n), url_normalize(u));
		if (!n || strcmp(n, u))
			abort();
		url_in_scope(u, "https://www.jinjiang.gov.cn/", "/xxgk/");
		free(h);
		free(pq);
	}
	free(u);
	free(n);
	free(ref);
	return 0;
}
