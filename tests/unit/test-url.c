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

/* RFC 3986 6.2.2: escapes of unreserved characters and dot segments, before any check. */
static void test_dots_and_escapes(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "http://a.test/col/%2e%2e/private/", "http://a.test/private/" },
		{ "http://a.test/col/%2E%2E/private/", "http://a.test/private/" },
		{ "http://a.test/col/.%2e/private/", "http://a.test/private/" },
		{ "http://a.test/col/%2e/x", "http://a.test/col/x" },
		{ "http://a.test/col/%2e%2e", "http://a.test/" },
		{ "http://a.test/col/%2e", "http://a.test/col/" },
		{ "http://a.test/%2e%2e/%2e%2e/x", "http://a.test/x" },
		{ "http://a.test/a/b/%2e%2e/%2e%2e/%2e%2e/c", "http://a.test/c" },
		{ "http://a.test/a//b/../c", "http://a.test/a//c" },
		{ "http://a.test/a/..;/private/", "http://a.test/private/" },
		{ "http://a.test/a/.;x/b", "http://a.test/a/b" },
		{ "http://a.test/a/...;/b", "http://a.test/a/...;/b" },
		{ "http://a.test/a/..x/b", "http://a.test/a/..x/b" },
		{ "http://a.test/%7Efoo/%41%62%2D%5F", "http://a.test/~foo/Ab-_" },
		{ "http://a.test/a%2fb/%2f", "http://a.test/a%2Fb/%2F" },
		{ "http://a.test/%e4%b8%ad", "http://a.test/%E4%B8%AD" },
		{ "http://a.test/x?q=%7e%2e%2e&r=%2f", "http://a.test/x?q=~..&r=%2F" },
		{ "http://a.test/x?/../y", "http://a.test/x?/../y" },
		{ "http://a.test/%25", "http://a.test/%25" },
		{ "http://a.test/%252e%252e/", "http://a.test/%252e%252e/" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = url_normalize(cases[i].in);

		CHECK_STR(got, cases[i].want);
		free(got);
	}
	/* resolved references are normalised the same way */
	{
		char *got = url_resolve("http://a.test/col/", "%2e%2e/private/r.html");

		CHECK_STR(got, "http://a.test/private/r.html");
		free(got);
	}
}

/* Userinfo is refused wherever it appears: such a URL is not crawlable at all. */
static void test_userinfo(void)
{
	static const struct {
		const char *base, *ref;
	} cases[] = {
		{ NULL, "http://user:secret@a.test/" },
		{ NULL, "http://user@a.test/" },
		{ NULL, "http://@a.test/" },
		{ NULL, "http://:@a.test/" },
		{ NULL, "https://u:p@a.test:8443/x" },
		{ "http://a.test/col/", "//user:secret@a.test/x" },
		{ "http://a.test/col/", "http://user:secret@a.test/col/x.html" },
		{ "http://user:secret@a.test/col/", "x.html" },
		{ "http://a.test/col/", "http://u%40x:p@a.test/" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = url_resolve(cases[i].base, cases[i].ref);

		CHECK_STR(got, NULL);
		free(got);
	}
	CHECK_STR(url_host("http://user:secret@a.test/"), NULL);
	CHECK_STR(url_path_query("http://user:secret@a.test/"), NULL);
	CHECK_INT(url_in_scope("http://user:secret@a.test/", "http://a.test/", NULL), 0);
	/* an '@' after the authority is no userinfo */
	{
		char *got = url_normalize("http://a.test/mail@x?to=a@b");

		CHECK_STR(got, "http://a.test/mail@x?to=a@b");
		free(got);
	}
}

static void test_session_ids(void)
{
	static const char *const keep_sid[] = { "SID", NULL };
	static const char *const drop_more[] = { "visit", "trk*", NULL };
	static const struct url_opts keep = { keep_sid, NULL };
	static const struct url_opts drop = { NULL, drop_more };
	static const struct {
		const char *in;
		const struct url_opts *o;
		const char *want;
	} cases[] = {
		{ "http://a.test/a.jsp;jsessionid=0123ABCD", NULL, "http://a.test/a.jsp" },
		{ "http://a.test/a.jsp;JSESSIONID=0123?x=1", NULL, "http://a.test/a.jsp?x=1" },
		{ "http://a.test/d;jsessionid=1/a.jsp", NULL, "http://a.test/d/a.jsp" },
		{ "http://a.test/a.jsp;v=2;jsessionid=1;w", NULL, "http://a.test/a.jsp;v=2;w" },
		{ "http://a.test/a.jsp;v=2", NULL, "http://a.test/a.jsp;v=2" },
		{ "http://a.test/x?sid=abc", NULL, "http://a.test/x" },
		{ "http://a.test/x?sid=abc&page=2", NULL, "http://a.test/x?page=2" },
		{ "http://a.test/x?page=2&sid=abc", NULL, "http://a.test/x?page=2" },
		{ "http://a.test/x?a=1&PHPSESSID=9&b=2", NULL, "http://a.test/x?a=1&b=2" },
		{ "http://a.test/x?ASPSESSIONIDQQGGGNCG=XYZ&id=7", NULL, "http://a.test/x?id=7" },
		{ "http://a.test/x?CFID=1&CFTOKEN=2&id=3", NULL, "http://a.test/x?id=3" },
		{ "http://a.test/x?sessionid=1&session_id=2&sessid=3", NULL, "http://a.test/x" },
		{ "http://a.test/x?%73id=1&id=2", NULL, "http://a.test/x?id=2" },
		{ "http://a.test/x?sid", NULL, "http://a.test/x" },
		{ "http://a.test/x?siteid=1&sids=2&xsid=3", NULL, "http://a.test/x?siteid=1&sids=2&xsid=3" },
		{ "http://a.test/x?a=sid", NULL, "http://a.test/x?a=sid" },
		{ "http://a.test/x?a=1&&b=2", NULL, "http://a.test/x?a=1&&b=2" },
		{ "http://a.test/x?&a=1", NULL, "http://a.test/x?&a=1" },
		{ "http://a.test/x?sid=1&&b=2", NULL, "http://a.test/x?&b=2" },
		{ "http://a.test/x?sid=1#frag", NULL, "http://a.test/x" },
		/* --keep-param and --drop-param */
		{ "http://a.test/x?sid=abc&jsessionid=1", &keep, "http://a.test/x?sid=abc" },
		{ "http://a.test/a;sid=1", &keep, "http://a.test/a;sid=1" },
		{ "http://a.test/x?visit=3&trkA=1&trk=2&id=4", &drop, "http://a.test/x?id=4" },
		{ "http://a.test/x?visit=3&sid=1", NULL, "http://a.test/x?visit=3" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = url_normalize_opts(cases[i].in, cases[i].o);

		if (!got || !cases[i].want || strcmp(got, cases[i].want))
			fprintf(stderr, "  case %zu: %s\n", i, cases[i].in);
		CHECK_STR(got, cases[i].want);
		free(got);
	}
	/* links found on a page lose their session ids too */
	{
		char *got = url_resolve("http://a.test/col/", "r1.html;jsessionid=F00?sid=1");

		CHECK_STR(got, "http://a.test/col/r1.html");
		free(got);
		got = url_resolve_opts("http://a.test/col/", "r1.html?sid=1", &keep);
		CHECK_STR(got, "http://a.test/col/r1.html?sid=1");
		free(got);
	}
	CHECK_INT(url_is_session_param("JSessionID", 10, NULL), 1);
	CHECK_INT(url_is_session_param("aspsessionid", 12, NULL), 1);
	CHECK_INT(url_is_session_param("jsession", 8, NULL), 0);
	CHECK_INT(url_is_session_param("sid", 3, &keep), 0);
	/* the path a robots.txt check sees keeps them */
	{
		char *pq = url_path_query("http://a.test/x/%2e%2e/a.jsp;jsessionid=1?sid=2");

		CHECK_STR(pq, "/a.jsp;jsessionid=1?sid=2");
		free(pq);
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
		/* the path is normalised before the check, and the prefix's escapes too */
		{ "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/%2e%2e/%2e%2e/private/",
		  "/xxgk/zfxxgkzl/", 0 },
		{ "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/..;/x", "/xxgk/zfxxgkzl/", 0 },
		{ "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/a/%2e%2e/b", "/xxgk/zfxxgkzl/", 1 },
		{ "https://www.jinjiang.gov.cn/%78xgk/zfxxgkzl/b", "/xxgk/zfxxgkzl/", 1 },
		{ "https://www.jinjiang.gov.cn/~u/x", "/%7eu/", 1 },
		{ "https://www.jinjiang.gov.cn/%E4%B8%AD/x", "/中/", 1 },
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
	RUN(test_dots_and_escapes);
	RUN(test_userinfo);
	RUN(test_session_ids);
	RUN(test_host_and_path);
	RUN(test_scope);
	return t_done(__FILE__);
}
