/*
 * libFuzzer target for crawler/url.c: the input (up to its first NUL) as an
 * href resolved against a fixed base and as a URL of its own, then
 * everything else on the results.  Canonical URLs are fixed points.
 */
#include "fuzz/fuzz.h"

#include "crawler/url.h"
#include "util/banned.h"

#define BASE "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/"

static int hexv(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* RFC 3986 6.2.2: no userinfo, no escaped unreserved character, no dot segment left. */
static void check_normalised(const char *u)
{
	const char *auth = strstr(u, "://") + 3, *path = auth + strcspn(auth, "/?"), *p;
	size_t plen = strcspn(path, "?");

	FUZZ_ASSERT(!memchr(auth, '@', (size_t)(path - auth)));
	for (p = u; (p = strchr(p, '%')); p++) {
		int v;

		if (hexv(p[1]) < 0 || hexv(p[2]) < 0)
			continue;	/* a stray '%' curl lets through (p[1] is read first) */
		v = hexv(p[1]) * 16 + hexv(p[2]);
		FUZZ_ASSERT(!((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') ||
			      (v >= '0' && v <= '9') || v == '-' || v == '.' || v == '_' || v == '~'));
	}
	for (p = path; p < path + plen; p++) {
		size_t seg = strcspn(p + 1, "/?;");

		if (*p != '/')
			continue;
		if (seg > (size_t)(path + plen - p - 1))
			seg = (size_t)(path + plen - p - 1);
		FUZZ_ASSERT(!(seg == 1 && p[1] == '.') && !(seg == 2 && p[1] == '.' && p[2] == '.'));
	}
}

static void check_canonical(const char *u)
{
	char *n = url_normalize(u), *h = url_host(u), *pq = url_path_query(u);

	FUZZ_ASSERT(!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8));
	FUZZ_ASSERT(strlen(u) <= URL_MAX_LEN);
	FUZZ_ASSERT(!strchr(u, '#'));
	check_normalised(u);
	FUZZ_ASSERT(n && !strcmp(n, u));
	FUZZ_ASSERT(h && *h && pq && pq[0] == '/');
	FUZZ_ASSERT(url_in_scope(u, u, NULL) == 1);
	pq[strcspn(pq, "?")] = '\0';	/* its own path is in scope */
	FUZZ_ASSERT(url_in_scope(u, u, pq) == 1);
	free(n);
	free(h);
	free(pq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *ref = malloc(size + 1), *u, *n;

	if (!ref)
		abort();
	memcpy(ref, data, size);
	ref[size] = '\0';
	u = url_resolve(BASE, ref);
	n = url_normalize(ref);
	if (u) {
		check_canonical(u);
		(void)url_in_scope(u, BASE, "/xxgk/");
	}
	if (n)
		check_canonical(n);
	free(u);
	u = url_resolve(NULL, ref);
	if (u)
		check_canonical(u);
	free(u);
	free(n);
	free(ref);
	return 0;
}
