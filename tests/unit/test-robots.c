/* Unit tests of crawler/robots.c (RFC 9309 groups, matching, limits, policy). */
#include <stdlib.h>
#include <string.h>

#include "crawler/robots.h"
#include "util/buf.h"
#include "tests/unit/t.h"

#define UA "ogi/0.1 (+https://example.invalid/ogi; annual-report research crawler)"

static int allowed(const char *txt, const char *agent, const char *path)
{
	struct robots r;
	int ok;

	robots_parse(txt, strlen(txt), agent, &r);
	ok = robots_allowed(&r, path);
	robots_release(&r);
	return ok;
}

static void test_matching(void)
{
	static const struct {
		const char *txt, *path;
		int want;
	} cases[] = {
		/* no file content, no group for us */
		{ "", "/anything", 1 },
		{ "User-agent: googlebot\nDisallow: /\n", "/x", 1 },
		/* plain prefixes */
		{ "User-agent: *\nDisallow: /private/\n", "/private/a.html", 0 },
		{ "User-agent: *\nDisallow: /private/\n", "/private", 1 },
		{ "User-agent: *\nDisallow: /private\n", "/private.html", 0 },
		{ "User-agent: *\nDisallow: /\n", "/", 0 },
		{ "User-agent: *\nDisallow: /\n", "/robots.txt", 1 },
		{ "User-agent: *\nDisallow:\n", "/x", 1 },
		/* longest match wins, Allow wins ties */
		{ "User-agent: *\nDisallow: /xxgk/\nAllow: /xxgk/zfxxgkndbg/\n",
		  "/xxgk/zfxxgkndbg/t1.htm", 1 },
		{ "User-agent: *\nDisallow: /xxgk/\nAllow: /xxgk/zfxxgkndbg/\n",
		  "/xxgk/other/t1.htm", 0 },
		{ "User-agent: *\nAllow: /a/\nDisallow: /a/b/\n", "/a/b/c", 0 },
		{ "User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", 1 },
		{ "User-agent: *\nAllow: /page\nDisallow: /page\n", "/page", 1 },
		{ "User-agent: *\nDisallow: /*.pdf\nAllow: /pub/\n", "/pub/x.pdf", 0 },
		{ "User-agent: *\nDisallow: /*.pdf\nAllow: /pub/*.pdf\n", "/pub/x.pdf", 1 },
		{ "User-agent: *\nDisallow: /*.pdf\nAllow: /p/\n", "/p/x.pdf", 0 },
		/* wildcards */
		{ "User-agent: *\nDisallow: /*.php$\n", "/index.php", 0 },
		{ "User-agent: *\nDisallow: /*.php$\n", "/index.php?x=1", 1 },
		{ "User-agent: *\nDisallow: /*.php\n", "/index.php?x=1", 0 },
		{ "User-agent: *\nDisallow: /*?\n", "/search?q=1", 0 },
		{ "User-agent: *\nDisallow: /*?\n", "/search", 1 },
		{ "User-agent: *\nDisallow: /a*b*c$\n", "/axxbyyc", 0 },
		{ "User-agent: *\nDisallow: /a*b*c$\n", "/axxbyycd", 1 },
		{ "User-agent: *\nDisallow: /a*b*c$\n", "/axxcyyb", 1 },
		{ "User-agent: *\nDisallow: *private\n", "/x/private/y", 0 },
		{ "User-agent: *\nDisallow: /$\n", "/", 0 },
		{ "User-agent: *\nDisallow: /$\n", "/index.html", 1 },
		{ "User-agent: *\nDisallow: /**\n", "/", 0 },
		{ "User-agent: *\nDisallow: nolead\n", "/nolead/x", 0 },
		/* percent-encoding normalisation */
		{ "User-agent: *\nDisallow: /%7Efoo\n", "/~foo/bar", 0 },
		{ "User-agent: *\nDisallow: /~foo\n", "/%7efoo/bar", 0 },
		{ "User-agent: *\nDisallow: /中文/\n", "/%E4%B8%AD%E6%96%87/x", 0 },
		{ "User-agent: *\nDisallow: /%e4%b8%ad/\n", "/\xe4\xb8\xad/x", 0 },
		{ "User-agent: *\nDisallow: /a%2Fb\n", "/a/b", 1 },
		{ "User-agent: *\nDisallow: /a%2fb\n", "/a%2Fb", 0 },
		/* group selection */
		{ "User-agent: *\nDisallow: /\n\nUser-agent: ogi\nDisallow: /private/\n", "/x", 1 },
		{ "User-agent: *\nDisallow: /\n\nUser-agent: OGI\nDisallow: /private/\n",
		  "/private/x", 0 },
		{ "User-agent: ogi/2.0\nDisallow: /v2/\n", "/v2/x", 0 },
		{ "User-agent: ogibot\nDisallow: /\n", "/x", 1 },
		{ "User-agent: og\nDisallow: /\n", "/x", 1 },
		{ "User-agent: Googlebot\nUser-agent: ogi\nDisallow: /both/\n", "/both/x", 0 },
		{ "User-agent: ogi\nDisallow: /a/\n\nUser-agent: *\nDisallow: /\n\n"
		  "User-agent: ogi\nDisallow: /b/\n", "/b/x", 0 },
		{ "User-agent: ogi\nDisallow: /a/\n\nUser-agent: *\nDisallow: /\n\n"
		  "User-agent: ogi\nDisallow: /b/\n", "/c/x", 1 },
		/* blank lines do not end a group: both agents share "Disallow: /" */
		{ "User-agent: ogi\n\nUser-agent: *\nDisallow: /\n", "/x", 0 },
		{ "User-agent: ogi\nAllow: /\n\nUser-agent: *\nDisallow: /\n", "/x", 1 },
		/* a rule ends the agent list: the next User-agent starts a new group */
		{ "User-agent: ogi\nDisallow: /a/\nUser-agent: other\nDisallow: /b/\n", "/b/x", 1 },
		/* rules before any group, comments, odd spacing and case, CR line ends */
		{ "Disallow: /early/\nUser-agent: *\nDisallow: /x/\n", "/early/1", 1 },
		{ "# hello\r\nUSER-AGENT : *  # all\r\nDISALLOW :  /x/  # no\r\n", "/x/1", 0 },
		{ "\xef\xbb\xbfUser-agent: *\rDisallow: /bom/\r", "/bom/1", 0 },
		{ "User-agent: *\nSitemap: https://a.test/sitemap.xml\nDisallow: /s/\n", "/s/1",
		  0 },
		{ "useragent: *\ndissallow: /typo/\n", "/typo/1", 0 },
		{ "User-agent: *\nDisallow /nocolon/\n", "/nocolon/1", 1 },
		/* garbage */
		{ "\x01\x02\xff\xfe:::\n::\n", "/x", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = allowed(cases[i].txt, UA, cases[i].path);

		if (got != cases[i].want)
			fprintf(stderr, "  case %zu: path %s\n", i, cases[i].path);
		CHECK_INT(got, cases[i].want);
	}
	/* no agent: only '*' applies */
	CHECK_INT(allowed("User-agent: *\nDisallow: /x\n", NULL, "/x"), 0);
	CHECK_INT(allowed("User-agent: *\nDisallow: /x\n", "", "/x"), 0);
	CHECK_INT(allowed("User-agent: *\nDisallow: /\n", UA, NULL), 0);
	CHECK_INT(allowed("User-agent: *\nDisallow: /\n", UA, ""), 0);
}

static void test_crawl_delay(void)
{
	static const struct {
		const char *txt;
		double want;
	} cases[] = {
		{ "User-agent: *\nCrawl-delay: 2\n", 2 },
		{ "User-agent: *\nCrawl-delay: 0.4\n", 0.4 },
		{ "User-agent: *\nCrawl-delay:  1.25  \n", 1.25 },
		{ "User-agent: *\nDisallow: /x\n", -1 },
		{ "User-agent: *\nCrawl-delay: -3\n", -1 },
		{ "User-agent: *\nCrawl-delay: abc\n", -1 },
		{ "User-agent: *\nCrawl-delay: 1.5s\n", -1 },
		{ "User-agent: *\nCrawl-delay: 1\nCrawl-delay: 3\n", 3 },
		{ "User-agent: *\nCrawl-delay: 5\n\nUser-agent: ogi\nCrawl-delay: 0.5\n", 0.5 },
		{ "User-agent: ogi\nDisallow: /\n\nUser-agent: *\nCrawl-delay: 5\n", -1 },
		{ "User-agent: other\nCrawl-delay: 9\n", -1 },
		{ "User-agent: *\nCrawl-delay: 99999999999999999999\n", 1e9 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct robots r;
		double d;

		robots_parse(cases[i].txt, strlen(cases[i].txt), UA, &r);
		d = robots_crawl_delay(&r);
		if (cases[i].want < 0)
			CHECK(d < 0);
		else if (cases[i].want >= 1e9)
			CHECK(d >= 1e9);
		else
			CHECK_DBL(d, cases[i].want);
		robots_release(&r);
	}
}

static void test_limits(void)
{
	struct buf_like {
		char *p;
		size_t n;
	} b;
	struct robots r;
	size_t i;
	static const char head[] = "User-agent: *\n";
	static const char pre[] = "Disallow: /";

	/* a line over 2 KiB is ignored, the next one still read */
	b.n = strlen(head) + strlen(pre) + ROBOTS_MAX_LINE + 1 + 32;
	b.p = malloc(b.n + 1);
	memcpy(b.p, head, strlen(head));
	i = strlen(head);
	memcpy(b.p + i, pre, strlen(pre));
	i += strlen(pre);
	memset(b.p + i, 'a', ROBOTS_MAX_LINE);
	i += ROBOTS_MAX_LINE;
	i += (size_t)snprintf(b.p + i, b.n + 1 - i, "\nDisallow: /b/\n");
	robots_parse(b.p, i, UA, &r);
	CHECK_INT(robots_allowed(&r, "/aaaa"), 1);
	CHECK_INT(robots_allowed(&r, "/b/1"), 0);
	CHECK_INT(r.nrules, 1);
	robots_release(&r);
	free(b.p);

	/* nothing past 512 KiB is read */
	b.n = ROBOTS_MAX_SIZE + 64;
	b.p = malloc(b.n);
	memcpy(b.p, head, strlen(head));
	for (i = strlen(head); i < ROBOTS_MAX_SIZE; i++)
		b.p[i] = (i % 64 == 63) ? '\n' : '#';
	memcpy(b.p + ROBOTS_MAX_SIZE, "\nDisallow: /late/\n", 18);
	robots_parse(b.p, ROBOTS_MAX_SIZE + 18, UA, &r);
	CHECK_INT(robots_allowed(&r, "/late/x"), 1);
	robots_release(&r);
	free(b.p);

	/* many wildcards against a long path stays bounded and correct */
	{
		char pat[600], path[4096];

		memcpy(pat, "User-agent: *\nDisallow: /", 25);
		for (i = 0; i < 500; i++)
			pat[25 + i] = (i % 2) ? '*' : 'a';
		memcpy(pat + 525, "b$\n", 4);
		path[0] = '/';
		memset(path + 1, 'a', sizeof(path) - 2);
		path[sizeof(path) - 1] = '\0';
		robots_parse(pat, strlen(pat), UA, &r);
		CHECK_INT(robots_allowed(&r, path), 1);
		path[sizeof(path) - 2] = 'b';
		CHECK_INT(robots_allowed(&r, path), 0);
		robots_release(&r);
	}
	/* NULL text */
	robots_parse(NULL, 10, UA, &r);
	CHECK_INT(robots_allowed(&r, "/x"), 1);
	robots_release(&r);
}

/* The definition, by recursion: exponential, for small inputs only. */
static int ref_match(const char *pat, const char *path)
{
	if (!*pat)
		return 1;
	if (pat[0] == '$' && !pat[1])
		return !*path;
	if (*pat == '*')
		return ref_match(pat + 1, path) || (*path && ref_match(pat, path + 1));
	return *path == *pat && ref_match(pat + 1, path + 1);
}

/*
 * The linear matcher agrees with the definition on every small pattern
 * and path over a few letters: runs that overlap themselves ("aab" in
 * "aaab"), empty runs ("**"), '$' after '*', a run longer than the rest.
 */
static void test_match_exhaustive(void)
{
	static const char alpha[] = "ab*";
	unsigned long seed = 12345;
	size_t tried = 0, bad = 0;

	for (int round = 0; round < 20000; round++) {
		char pat[12], path[14], txt[64];
		size_t pl, sl, i;
		struct robots r;
		int got, want;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		pl = 1 + (seed >> 33) % 8;
		sl = (seed >> 40) % 12;
		pat[0] = '/';
		for (i = 1; i < pl; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			pat[i] = alpha[(seed >> 33) % 3];
		}
		if ((seed >> 50) & 1)
			pat[pl++] = '$';
		pat[pl] = '\0';
		path[0] = '/';
		for (i = 1; i < sl + 1; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			path[i] = alpha[(seed >> 33) % 2];
		}
		path[sl + 1] = '\0';
		snprintf(txt, sizeof(txt), "User-agent: *\nDisallow: %s\n", pat);
		robots_parse(txt, strlen(txt), UA, &r);
		got = !robots_allowed(&r, path);
		robots_release(&r);
		want = ref_match(pat, path);
		tried++;
		if (got != want && bad++ < 5)
			fprintf(stderr, "  pattern %s path %s: got %d want %d\n", pat, path, got, want);
	}
	CHECK_INT(bad, 0);
	CHECK(tried == 20000);
}

/*
 * 250 rules built to make a backtracking matcher quadratic or worse
 * ("/" then "*aaaa...ab", "a*a*a*...*b", runs that almost match everywhere),
 * against a long path of 'a's: each is decided, without a 'b' none
 * matches, with one at the end those ending in 'b' do.  The time these take
 * is in make bench (bench/robots), not asserted here.
 */
static void test_pathological(void)
{
	struct buf txt = BUF_INIT(BUF_NOLIMIT);
	struct robots r;
	char *path;
	size_t plen = 8000;

	buf_adds(&txt, "User-agent: *\nAllow: /z\n");
	for (int k = 0; k < 250; k++) {
		buf_adds(&txt, "Disallow: /");
		for (int i = 0; i < 1900; i++) {
			char c;

			switch (k % 3) {
			case 0:
				c = i == 0 ? '*' : 'a';
				break;
			case 1:
				c = (i % 2) ? '*' : 'a';
				break;
			default:
				c = (i % 50 == 0) ? '*' : 'a';
				break;
			}
			buf_addc(&txt, c);
		}
		buf_adds(&txt, k % 2 ? "b$\n" : "b\n");
	}
	robots_parse(buf_str(&txt), txt.len, UA, &r);
	CHECK_INT(r.nrules, 251);
	path = malloc(plen + 2);
	path[0] = '/';
	memset(path + 1, 'a', plen);
	path[plen + 1] = '\0';
	CHECK_INT(robots_allowed(&r, path), 1);
	path[plen] = 'b';
	CHECK_INT(robots_allowed(&r, path), 0);
	path[plen - 1000] = 'b';
	path[plen] = 'a';
	CHECK_INT(robots_allowed(&r, path), 0);	/* the unanchored ones still match */
	free(path);
	robots_release(&r);
	buf_release(&txt);
}

static void test_policy(void)
{
	static const struct {
		long status;
		enum robots_policy want;
	} cases[] = {
		{ 200, ROBOTS_USE_RULES }, { 204, ROBOTS_USE_RULES }, { 301, ROBOTS_ALLOW_ALL },
		{ 401, ROBOTS_ALLOW_ALL }, { 403, ROBOTS_ALLOW_ALL }, { 404, ROBOTS_ALLOW_ALL },
		{ 410, ROBOTS_ALLOW_ALL }, { 429, ROBOTS_PAUSE_HOST }, { 500, ROBOTS_PAUSE_HOST },
		{ 503, ROBOTS_PAUSE_HOST }, { 0, ROBOTS_PAUSE_HOST },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_INT(robots_policy_for_status(cases[i].status), cases[i].want);
}

/* Sitemap lines belong to no group, end none, and are kept at most ROBOTS_MAX_SITEMAPS. */
static void test_sitemaps(void)
{
	static const char txt[] =
		"User-agent: *\nSitemap: http://a.test/s1.xml\nDisallow: /x/\n"
		"sitemap:   http://a.test/s2.xml.gz  # gzip\nUser-agent: other\nDisallow: /\n"
		"Sitemap:\n";
	struct robots r;
	struct buf many = BUF_INIT(BUF_NOLIMIT);

	robots_parse(txt, strlen(txt), UA, &r);
	CHECK_INT(r.nsitemaps, 2);
	if (r.nsitemaps == 2) {
		CHECK_STR(r.sitemaps[0], "http://a.test/s1.xml");
		CHECK_STR(r.sitemaps[1], "http://a.test/s2.xml.gz");
	}
	CHECK(!robots_allowed(&r, "/x/1"));	/* the group went on past the Sitemap line */
	robots_release(&r);
	for (int i = 0; i < 40; i++)
		buf_addf(&many, "Sitemap: http://a.test/%d.xml\n", i);
	robots_parse(many.ptr, many.len, UA, &r);
	CHECK_INT(r.nsitemaps, ROBOTS_MAX_SITEMAPS);
	robots_release(&r);
	buf_release(&many);
}

int main(void)
{
	RUN(test_sitemaps);
	RUN(test_matching);
	RUN(test_crawl_delay);
	RUN(test_limits);
	RUN(test_match_exhaustive);
	RUN(test_pathological);
	RUN(test_policy);
	return t_done(__FILE__);
}
