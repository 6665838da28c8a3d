/* Unit tests of crawler/url.c: resolution, normalisation, hosts and scope. */
#include <stdlib.h>
#include <string.h>

#include "crawler/url.h"
#include "tests/unit/t.h"

static void test_resolve(void)
{
	static const struct {
		const char *base, *ref, *want;
	} cases[] = {
		{ "http://a.test/x/y.html", "z.html", "http://a.test/x/z.html" },
		{ "http://a.test/x/y.html", "../z.html#frag", "http://a.test/z.html" },
		{ "http://a.test/x/y.html", "./202401/t20240109_12802909.html",
		  "http://a.test/x/202401/t20240109_12802909.html" },
		{ "http://a.test/x/y.html", "/abs/p.htm", "http://a.test/abs/p.htm" },
		{ "http://a.test/x/y.html", "//B.Test/q", "http://b.test/q" },
		{ "http://a.test/x/y.html", "?page=2", "http://a.test/x/y.html?page=2" },
		{ "http://a.test/x/y.html", "#top", "http://a.test/x/y.html" },
		{ "http://a.test/x/y.html", "", "http://a.test/x/y.html" },
		{ "http://a.test/x/y.html", "  \n ./z.html\t ", "http://a.test/x/z.html" },
		{ "http://a.test/x/y.html", "./a\nb.html", "http://a.test/x/ab.html" },
		{ "http://a.test/x/y.html", "z 1.html", "http://a.test/x/z%201.html" },
		{ "http://a.test/x/", "/中文/报告.pdf",
		  "http://a.test/%E4%B8%AD%E6%96%87/%E6%8A%A5%E5%91%8A.pdf" },
		{ "http://a.test/x/", "%e4%b8%ad.pdf", "http://a.test/x/%E4%B8%AD.pdf" },
		{ "http://a.test/x/", "..\\up\\f.html", "http://a.test/up/f.html" },
		{ "http://a.test/x/", "HTTPS://WWW.Jinjiang.GOV.cn:443/Xxgk/",
		  "https://www.jinjiang.gov.cn/Xxgk/" },
		{ "http://a.test/x/", "http://a.test:8080/p", "http://a.test:8080/p" },
		{ "http://a.test:80/x/", "p", "http://a.test/x/p" },
		{ "http://a.test/a/b/c/", "../../../../d", "http://a.test/d" },
		/* fuzz/regressions/url: a host curl reads as IPv4 only once decoded */
		{ "http://a.test/x/", "//%3041/p", "http://0.0.0.33/p" },
		{ "https://a.test/", "\\\\%\n3041??\xf6i\xc0", "https://0.0.0.33/??%F6i%C0" },
		{ "http://a.test/x/", "//%31%32%37.1/", "http://127.0.0.1/" },
		{ "http://a.test/x/", "javascript:void(0)", NULL },
		{ "http://a.test/x/", "JavaScript:go('x')", NULL },
		{ "http://a.test/x/", "mailto:gk@jinjiang.gov.cn", NULL },
		{ "http://a.test/x/", "data:text/html,<b>hi</b>", NULL },
		{ "http://a.test/x/", "ftp://a.test/f.pdf", NULL },
		{ "http://a.test/x/", "tel:+86-595-1234", NULL },
		{ "ftp://a.test/x/", "p.html", NULL },
		{ "not a url", "p.html", NULL },
		{ NULL, "p.html", NULL },
		{ NULL, "http://a.test/x/../y", "http://a.test/y" },
		{ "http://a.test/", "http://", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = url_resolve(cases[i].base, cases[i].ref);

		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

static void test_hostile(void)
{
	size_t n = URL_MAX_LEN + 100, i;
	char *big = malloc(n + 1);
	char *got;

	memcpy(big, "http://a.test/", 14);
	for (i = 14; i < n; i++)
		big[i] = 'a';
	big[n] = '\0';
	CHECK(url_normalize(big) == NULL);
	/* each non-ASCII byte triples when encoded: over the limit too */
	for (i = 14; i + 3 <= n; i += 3)
		memcpy(big + i, "\xe4\xb8\xad", 3);
	big[i] = '\0';
	got = url_resolve("http://a.test/", big + 14);
	CHECK(got == NULL);
	free(got);
	/* invalid UTF-8 bytes are escaped, not rejected */
	got = url_resolve("http://a.test/", "\xff\xfe.html");
	CHECK_STR(got, "http://a.test/%FF%FE.html");
	free(got);
	got = url_resolve("http://a.test/", "\x01\x02");
	CHECK_STR(got, "http://a.test/");
	free(got);
	free(big);
}

static void test_normalize(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "HTTP://WWW.JINJIANG.GOV.CN:80/xxgk/index.html#x",
		  "http://www.jinjiang.gov.cn/xxgk/index.html" },
		{ "https://a.test:443", "https://a.test/" },
		{ "https://a.test:8443/a/./b/../c", "https://a.test:8443/a/c" },
		{ "http://a.test/p?q=%e4", "http://a.test/p?q=%E4" },
		{ "mailto:x@y", NULL },
		{ "/relative/only", NULL },
		{ "", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = url_normalize(cases[i].in);

		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

static void test_host_and_path(void)
{
	static const struct {
		const char *in, *host, *pq;
	} cases[] = {
		{ "http://WWW.A.test/x?y=1", "www.a.test", "/x?y=1" },
		{ "http://a.test:80/", "a.test", "/" },
		{ "https://a.test:443/p", "a.test", "/p" },
		{ "http://a.test:8080", "a.test:8080", "/" },
		{ "https://a.test:80/", "a.test:80", "/" },
		{ "http://[::1]:9/x", "[::1]:9", "/x" },
		{ "ftp://a.test/", NULL, NULL },
		{ "garbage", NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = url_host(cases[i].in), *pq = url_path_query(cases[i].in);

		CHECK_STR(h, cases[i].host);
		CHECK_STR(pq, cases[i].pq);
		free(h);
		free(pq);
	}
}

static void test_scope(void)
{
	static const char seed[] = "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/";
	static const struct {
		const char *url, *prefix;
		int want;
	} cases[] = {
		{ "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/202601/t1.htm",
		  NULL, 1 },
		{ "http://WWW.JINJIANG.GOV.CN/other/", NULL, 1 },
		{ "http://www.jinjiang.gov.cn:8080/other/", NULL, 0 },
		{ "https://jinjiang.gov.cn/xxgk/", NULL, 0 },
		{ "https://www.jinjiang.gov.cn.evil.test/xxgk/", NULL, 0 },
		{ "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/12/", "/xxgk/zfxxgkzl/", 1 },
		{ "https://www.jinjiang.gov.cn/xwzx/", "/xxgk/zfxxgkzl/", 0 },
		{ "https://www.jinjiang.gov.cn/xxgk/", "", 1 },
		{ "mailto:a@www.jinjiang.gov.cn", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_INT(url_in_scope(cases[i].url, seed, cases[i].prefix), cases[i].want);
	CHECK_INT(url_in_scope("http://a.test/", "not a url", NULL), 0);
}

int main(void)
{
	RUN(test_resolve);
	RUN(test_hostile);
	RUN(test_normalize);
	RUN(test_host_and_path);
	RUN(test_scope);
	return t_done(__FILE__);
}
