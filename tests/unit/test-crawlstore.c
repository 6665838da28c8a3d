/*
 * The crawler's warehouse tables (store/crawl.c), seed lines and the crawl
 * lock (crawler/crawl.c): seeds, the frontier's transitions, runs and their
 * resumption, counts, with hostile seed lines.  The crawl itself, against
 * a real server, is tested end to end (tests/e2e/test-crawl*.sh).
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crawler/crawl.h"
#include "crawler/url.h"
#include "store/crawl.h"
#include "store/store-internal.h"
#include "util/sha256.h"
#include "tests/unit/t.h"

static char tmpdir[] = "/tmp/ogi-test-crawlstore-XXXXXX";
static int nfile;

static const char *new_path(char *out, size_t n)
{
	snprintf(out, n, "%s/t%d.db", tmpdir, ++nfile);
	return out;
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char p[4096];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(tmpdir);
}

static struct store *open_new(char *path, size_t n)
{
	struct store *st;
	struct err e = ERR_INIT;

	new_path(path, n);
	if (store_open(&st, path, 0, &e)) {
		fprintf(stderr, "  store_open: %s\n", e.msg);
		abort();
	}
	return st;
}

static long q_long(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	long v = -1;

	if (sqlite3_prepare_v2(store_sqlite(st), sql, -1, &s, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* ---- seed lines ---- */

static void test_seed_lines(void)
{
	static char long_url[12000];
	static const struct {
		const char *line;
		int ret;
		const char *url, *org, *level, *parent, *scope;
		enum seed_kind kind;
		const char *err;	/* a substring of the message */
	} cases[] = {
		{ "", 0, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, NULL },
		{ "   \t \r\n", 0, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, NULL },
		{ "# a comment\twith\ttabs", 0, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, NULL },
		{ "url\torganization\tlevel", 0, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, NULL },
		{ "URL\tORG", 0, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, NULL },
		{ "http://a.test/x/\t甲镇", 1, "http://a.test/x/", "甲镇", NULL, NULL, NULL,
		  SEED_AUTO, NULL },
		{ "\xEF\xBB\xBFhttp://a.test/\t甲", 1, "http://a.test/", "甲", NULL, NULL, NULL,
		  SEED_AUTO, NULL },
		{ "  HTTP://A.Test:80/a/./b/../c/#frag \t 甲镇人民政府 \ttownship\t"
		  "晋江市\t/a/\tlisting\r\n",
		  1, "http://a.test/a/c/", "甲镇人民政府", "township", "晋江市", "/a/",
		  SEED_LISTING,
		  NULL },
		{ "https://a.test/r.htm\t乙局\tdepartment\t\t\treport", 1, "https://a.test/r.htm",
		  "乙局", "department", NULL, NULL, SEED_REPORT, NULL },
		{ "http://a.test/\t\t\t\t\t", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO,
		  "organization" },
		{ "http://a.test/", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, "organization" },
		{ "http://a.test/\tX\tcounty\tP\t/s\tauto\textra", -1, NULL, NULL, NULL, NULL, NULL,
		  SEED_AUTO, "more than 6 fields" },
		{ "ftp://a.test/\tX", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, "not an http" },
		{ "javascript:alert(1)\tX", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO,
		  "not an http" },
		{ "a.test/x\tX", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, "not an http" },
		{ "http://\tX", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO, "not an http" },
		{ "http://a.test/\tX\ttown", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO,
		  "unknown level 'town'" },
		{ "http://a.test/\tX\t\t\tcol/", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO,
		  "scope 'col/'" },
		{ "http://a.test/\tX\t\t\t\tpage", -1, NULL, NULL, NULL, NULL, NULL, SEED_AUTO,
		  "unknown kind 'page'" },
		/* bytes that are not UTF-8 are kept as they are: the store takes any text */
		{ "http://a.test/\t\xff\xfe", 1, "http://a.test/", "\xff\xfe", NULL, NULL, NULL,
		  SEED_AUTO, NULL },
	};
	struct seed s;
	struct err e = ERR_INIT;

	store_seed_init(&s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		err_clear(&e);
		r = crawl_parse_seed_line(cases[i].line, &s, &e);
		CHECK_INT(r, cases[i].ret);
		if (r != cases[i].ret) {
			fprintf(stderr, "    case %zu: '%s'\n", i, cases[i].line);
			continue;
		}
		if (r == 1) {
			CHECK_STR(s.url, cases[i].url);
			CHECK_STR(s.org, cases[i].org);
			CHECK_STR(s.level, cases[i].level);
			CHECK_STR(s.parent, cases[i].parent);
			CHECK_STR(s.scope, cases[i].scope);
			CHECK_INT(s.kind, cases[i].kind);
		} else {
			CHECK(s.url == NULL && s.org == NULL);
		}
		if (cases[i].err && !strstr(e.msg, cases[i].err)) {
			t_fail_at(__FILE__, __LINE__);
			fprintf(stderr, "case %zu: message '%s' lacks '%s'\n", i, e.msg,
				cases[i].err);
		}
		store_seed_release(&s);
	}
	/* a URL past URL_MAX_LEN is refused, not cut */
	memcpy(long_url, "http://a.test/", 14);
	memset(long_url + 14, 'x', sizeof(long_url) - 14 - 4);
	memcpy(long_url + sizeof(long_url) - 4, "\tX\n", 4);
	CHECK_INT(crawl_parse_seed_line(long_url, &s, &e), -1);
	CHECK(s.url == NULL);
	store_seed_release(&s);
}

static void test_seed_check(void)
{
	struct seed s;
	struct err e = ERR_INIT;

	store_seed_init(&s);
	s.url = strdup("http://A.test");
	s.org = strdup("甲");
	s.level = strdup("");
	s.scope = strdup("");
	CHECK_INT(crawl_seed_check(&s, &e), 0);
	CHECK_STR(s.url, "http://a.test/");
	CHECK(s.level == NULL && s.scope == NULL);
	free(s.org);
	s.org = strdup("");
	CHECK_INT(crawl_seed_check(&s, &e), OGI_EINVAL);
	store_seed_release(&s);
	CHECK_INT(crawl_seed_check(&s, &e), OGI_EINVAL);
}

/* ---- seeds in the store ---- */

static struct seed mk(const char *url, const char *org, const char *level)
{
	struct seed s;

	store_seed_init(&s);
	s.url = (char *)url;
	s.org = (char *)org;
	s.level = (char *)level;
	return s;
}

static void test_seeds(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct seed a = mk("http://a.test/col/", "甲镇人民政府", "township");
	struct seed b = mk("http://b.test/col/", "乙局", NULL);
	struct seed got;
	struct seed_list l = { 0 };
	int64_t ida, idb, id;
	int created;

	store_seed_init(&got);
	CHECK_INT(store_seed_put(st, &a, &ida, &created, &e), 0);
	CHECK_INT(created, 1);
	CHECK_INT(store_seed_put(st, &b, &idb, &created, &e), 0);
	CHECK(idb > ida);
	/* the same URL again: an update, same id */
	a.org = "甲镇";
	a.kind = SEED_LISTING;
	a.scope = "/col/";
	CHECK_INT(store_seed_put(st, &a, &id, &created, &e), 0);
	CHECK_INT(created, 0);
	CHECK_INT(id, ida);
	CHECK_INT(store_seed_get(st, ida, &got, &e), 0);
	CHECK_STR(got.org, "甲镇");
	CHECK_STR(got.level, "township");
	CHECK_STR(got.scope, "/col/");
	CHECK_INT(got.kind, SEED_LISTING);
	CHECK(got.added_at != NULL);
	store_seed_release(&got);
	CHECK_INT(store_seed_get(st, 999, &got, &e), OGI_ENOTFOUND);
	CHECK(strstr(e.msg, "no seed 999") != NULL);

	/* missing url or org: refused before any write */
	b.org = "";
	CHECK_INT(store_seed_put(st, &b, &id, NULL, &e), OGI_EINVAL);
	b.org = NULL;
	CHECK_INT(store_seed_put(st, &b, &id, NULL, &e), OGI_EINVAL);

	CHECK_INT(store_seed_list(st, NULL, &l, &e), 0);
	CHECK_INT(l.n, 2);
	CHECK_INT(l.v[0].id, ida);
	CHECK_INT(l.v[0].urls, 0);
	store_seed_list_release(&l);
	CHECK_INT(store_seed_list(st, "乙", &l, &e), 0);
	CHECK_INT(l.n, 1);
	CHECK_STR(l.n ? l.v[0].url : NULL, "http://b.test/col/");
	store_seed_list_release(&l);
	CHECK_INT(store_seed_list(st, "'; DROP TABLE seeds; --", &l, &e), 0);
	CHECK_INT(l.n, 0);
	store_seed_list_release(&l);

	CHECK_INT(store_seed_remove(st, idb, &e), 0);
	CHECK_INT(store_seed_remove(st, idb, &e), OGI_ENOTFOUND);
	CHECK_INT(q_long(st, "SELECT count(*) FROM seeds"), 1);
	store_close(st);
}

/* ---- the frontier ---- */

/* A page's pictures: attachments that are no documents, their bytes found by their URL. */
static void test_pictures(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct seed a = mk("http://a.test/col/", "甲镇", NULL);
	struct frontier *fr = NULL;
	struct source_meta m = { .location = "http://a.test/col/W1.PNG" };
	const char *pu = "http://a.test/col/W1.PNG";
	struct frontier_result pr = {
		.state = FS_OK, .result = "new", .parsed = 0, .fetched = 1, .changed = 1,
	};
	int64_t seed, page, doc, at = -1;
	int resumed;
	long n;

	CHECK_INT(store_seed_put(st, &a, &seed, NULL, &e), 0);
	CHECK_INT(store_frontier_open(st, &fr, &e), 0);
	CHECK_INT(store_crawl_run_start(st, "all", 42, &pr.run_id, &resumed, &e), 0);
	CHECK_INT(store_frontier_add(fr, seed, "http://a.test/col/r1.htm", FK_REPORT, 1, 0, NULL,
				     NULL, &page, NULL, &e), 0);
	CHECK_INT(store_frontier_add(fr, seed, "http://a.test/col/r1.pdf", FK_ATTACHMENT, 2, page,
				     NULL, NULL, &doc, NULL, &e), 0);
	CHECK_INT(store_frontier_add(fr, seed, pu, FK_ATTACHMENT, 2, page, NULL, NULL, &pr.id,
				     NULL, &e), 0);
	CHECK_INT(store_frontier_count_attachments(fr, page, &n, &e), 0);
	CHECK_INT(n, 1);
	CHECK_INT(store_attachment_at(st, pu, &at, &e), 0);
	CHECK_INT(at, 0);
	CHECK_INT(store_put_source(st, &m, "\x89PNG", 4, &pr.source_id, NULL, &e), 0);
	CHECK_INT(store_frontier_settle(fr, &pr, &e), 0);
	CHECK_INT(store_attachment_at(st, pu, &at, &e), 0);
	CHECK_INT(at, pr.source_id);
	CHECK_INT(store_attachment_at(st, "http://a.test/col/W2.png", &at, &e), 0);
	CHECK_INT(at, 0);
	store_frontier_close(fr);
	store_close(st);
	unlink(path);
}

static void test_frontier(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct seed a = mk("http://a.test/col/", "甲镇", NULL);
	struct frontier *fr = NULL;
	struct frontier_list l = { 0 };
	struct source_meta m = { .location = "http://a.test/col/r1.htm" };
	int64_t seed, run, run2, l0, r1, r2, att, id, src;
	int created, resumed;
	long n;

	CHECK_INT(store_seed_put(st, &a, &seed, NULL, &e), 0);
	CHECK_INT(store_frontier_open(st, &fr, &e), 0);
	CHECK_INT(store_crawl_run_start(st, "all", 42, &run, &resumed, &e), 0);
	CHECK_INT(resumed, 0);

	CHECK_INT(store_frontier_add(fr, seed, a.url, FK_LISTING, 0, 0, NULL, NULL, &l0, &created,
				     &e), 0);
	CHECK_INT(created, 1);
	CHECK_INT(store_frontier_add(fr, seed, a.url, FK_REPORT, 5, 0, NULL, NULL, &id, &created,
				     &e), 0);
	CHECK_INT(created, 0);
	CHECK_INT(id, l0);
	CHECK_INT(store_frontier_add(fr, seed, "", FK_REPORT, 1, l0, NULL, NULL, &id, NULL, &e),
		  OGI_EINVAL);
	CHECK_INT(store_frontier_add(fr, seed, "http://a.test/col/r1.htm", FK_REPORT, 1, l0,
				     "甲镇2023年政府信息公开工作年度报告", NULL, &r1, NULL, &e), 0);
	CHECK_INT(store_frontier_add(fr, seed, "http://a.test/col/r2.htm", FK_REPORT, 1, l0, "",
				     NULL, &r2, NULL, &e), 0);
	CHECK_INT(store_frontier_add(fr, seed, "http://a.test/col/r1.pdf", FK_ATTACHMENT, 2, r1,
				     "附件", NULL, &att, NULL, &e), 0);
	/* a seed that does not exist: the foreign key refuses it */
	CHECK(store_frontier_add(fr, 999, "http://x.test/", FK_LISTING, 0, 0, NULL, NULL, &id,
				 NULL, &e) != 0);
	CHECK_INT(q_long(st, "SELECT state = 'listed' FROM crawl_urls WHERE kind = 'attachment'"),
		  1);

	/* due: every row, attachments too (the crawl skips those it does not fetch), in id order */
	CHECK_INT(store_frontier_due(fr, seed, run, &l, &e), 0);
	CHECK_INT(l.n, 4);
	CHECK_INT(l.n == 4 ? l.v[0].id : 0, l0);
	CHECK_INT(l.n == 4 ? (int64_t)l.v[1].kind : -1, FK_REPORT);
	CHECK_STR(l.n == 4 ? l.v[1].link_text : NULL, "甲镇2023年政府信息公开工作年度报告");
	CHECK(l.n == 4 && l.v[2].link_text == NULL);	/* "" is stored as NULL */
	CHECK(l.n == 4 && l.v[1].sha256[0] == '\0' && l.v[1].state == FS_NEW);
	CHECK(l.n == 4 && l.v[3].id == att && l.v[3].kind == FK_ATTACHMENT &&
	      l.v[3].referrer_id == r1 && l.v[3].state == FS_LISTED);
	store_frontier_list_release(&l);

	/* a listing page settled: no longer due in this run */
	{
		struct frontier_result r = {
			.id = l0, .run_id = run, .state = FS_OK, .result = "new",
			.http_status = 200,
			.etag = "\"e1\"", .last_modified = "Mon, 01 Jan 2024 00:00:00 GMT",
			.sha256 = "aa", .parsed = -1, .fetched = 1, .changed = 1,
		};

		CHECK_INT(store_frontier_settle(fr, &r, &e), 0);
		/* a 304 keeps the validators it does not repeat */
		r.result = "not_modified";
		r.etag = NULL;
		r.last_modified = NULL;
		r.sha256 = NULL;
		r.http_status = 304;
		CHECK_INT(store_frontier_settle(fr, &r, &e), 0);
		r.id = 99999;
		CHECK_INT(store_frontier_settle(fr, &r, &e), OGI_ENOTFOUND);
	}
	CHECK_INT(store_frontier_due(fr, seed, run, &l, &e), 0);
	CHECK_INT(l.n, 3);
	store_frontier_list_release(&l);
	CHECK_INT(store_frontier_count_settled(fr, seed, run, &n, &e), 0);
	CHECK_INT(n, 1);
	{
		struct frontier_filter f = { seed, run, -1, -1, 0 };

		CHECK_INT(store_frontier_list(st, &f, &l, &e), 0);
		CHECK_INT(l.n, 1);
		if (l.n == 1) {
			CHECK_STR(l.v[0].etag, "\"e1\"");
			CHECK_STR(l.v[0].last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
			CHECK_STR(l.v[0].result, "not_modified");
			CHECK_INT(l.v[0].http_status, 304);
			CHECK_INT(l.v[0].sha256[0], '\0');	/* "aa" is no digest */
		}
		store_frontier_list_release(&l);
	}

	/* a report page: stored bytes, not yet parsed, then parsed */
	CHECK_INT(store_put_source(st, &m, "<html>r1</html>", 15, &src, NULL, &e), 0);
	{
		char sha[SHA256_HEX_LEN];
		struct frontier_result r = {
			.id = r1, .run_id = run, .state = FS_OK, .result = "new", .sha256 = sha,
			.source_id = src, .parsed = 0, .fetched = 1, .changed = 1,
		};

		memset(sha, 'c', sizeof(sha) - 1);
		sha[sizeof(sha) - 1] = '\0';
		CHECK_INT(store_frontier_settle(fr, &r, &e), 0);
		CHECK_INT(store_frontier_unparsed(fr, seed, &l, &e), 0);
		CHECK_INT(l.n, 1);
		CHECK(l.n == 1 && l.v[0].source_id == src && !strcmp(l.v[0].sha256, sha));
		store_frontier_list_release(&l);
		CHECK_INT(store_frontier_count_attachments(fr, r1, &n, &e), 0);
		CHECK_INT(n, 1);
		CHECK_INT(store_frontier_set_parsed(fr, r1, FRONTIER_NOTE_ATTACHMENT_ONLY, NULL, &e), 0);
		CHECK_INT(store_frontier_unparsed(fr, seed, &l, &e), 0);
		CHECK_INT(l.n, 0);
		store_frontier_list_release(&l);
	}
	/* failures count up run after run, and start again at 0 after a success */
	{
		struct frontier_result r = {
			.id = r2, .run_id = run, .state = FS_FAILED, .result = "http_5xx",
			.error = "http status 503", .http_status = 503, .parsed = -1,
		};

		CHECK_INT(store_frontier_settle(fr, &r, &e), 0);
		CHECK_INT(store_frontier_settle(fr, &r, &e), 0);
		CHECK_INT(q_long(st, "SELECT failures FROM crawl_urls "
				     "WHERE url LIKE '%r2.htm'"), 2);
	}
	{
		struct frontier_filter f = { 0, 0, FS_FAILED, -1, 0 };

		CHECK_INT(store_frontier_list(st, &f, &l, &e), 0);
		CHECK_INT(l.n, 1);
		CHECK_STR(l.n ? l.v[0].error : NULL, "http status 503");
		store_frontier_list_release(&l);
		f.state = -1;
		f.attachment_only = 1;
		CHECK_INT(store_frontier_list(st, &f, &l, &e), 0);
		CHECK_INT(l.n, 2);	/* the page and its attachment */
		store_frontier_list_release(&l);
	}
	{
		struct crawl_counts c;

		CHECK_INT(store_crawl_run_counts(st, run, seed, &c, &e), 0);
		CHECK_INT(c.listing, 1);
		CHECK_INT(c.reports, 2);
		CHECK_INT(c.new_reports, 1);
		CHECK_INT(c.failed, 1);
		CHECK_INT(c.attachment_only, 1);
		CHECK_INT(c.no_tables, 1);
		CHECK_INT(c.seed_failed, 0);
	}

	/* a killed run (still "running") is resumed by the same selection ... */
	CHECK_INT(store_crawl_run_start(st, "all", 43, &id, &resumed, &e), 0);
	CHECK_INT(resumed, 1);
	CHECK_INT(id, run);
	CHECK_INT(q_long(st, "SELECT pid FROM crawl_runs WHERE status = 'running'"), 43);
	/* ... and given up by another one */
	CHECK_INT(store_crawl_run_start(st, "1", 44, &run2, &resumed, &e), 0);
	CHECK_INT(resumed, 0);
	CHECK(run2 > run);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_runs WHERE status = 'interrupted'"), 1);
	CHECK_INT(store_frontier_due(fr, seed, run2, &l, &e), 0);
	CHECK_INT(l.n, 4);	/* a new run: everything is due again */
	store_frontier_list_release(&l);
	CHECK_INT(store_crawl_run_finish(st, run2, "done", NULL, &e), 0);
	CHECK_INT(store_crawl_run_start(st, "1", 45, &id, &resumed, &e), 0);
	CHECK_INT(resumed, 0);
	CHECK(id > run2);

	/* the kind of an "auto" seed's row can turn into a report */
	CHECK_INT(store_frontier_set_kind(fr, l0, FK_REPORT, &e), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE kind = 'report'"), 3);

	/* removing the seed removes its frontier, not the pages */
	store_frontier_close(fr);
	CHECK_INT(store_seed_remove(st, seed, &e), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls"), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM sources"), 1);
	CHECK_INT(q_long(st, "PRAGMA foreign_key_check"), -1);	/* no row: no violation */
	store_close(st);
}

/*
 * The order a run fetches a seed's URLs in (store_frontier_due): the seed's
 * own page, then never settled, then settled longest ago; listing, report,
 * attachment among equals.  Rows are added in the order of the table and
 * settled in the runs it says (0: never).
 */
static void test_schedule(void)
{
	static const struct {
		const char *url;
		enum frontier_kind kind;
		int settled_in;		/* run 1 or 2, or 0 */
		int due_at;		/* position in run 3's due list */
	} rows[] = {
		{ "http://s.test/col/r1.htm", FK_REPORT, 1, 5 },
		{ "http://s.test/col/f.pdf", FK_ATTACHMENT, 0, 3 },
		{ "http://s.test/col/r2.htm", FK_REPORT, 0, 2 },
		{ "http://s.test/col/index_1.htm", FK_LISTING, 2, 7 },
		{ "http://s.test/col/r3.htm", FK_REPORT, 2, 8 },
		{ "http://s.test/col/index_2.htm", FK_LISTING, 0, 1 },
		{ "http://s.test/col/", FK_LISTING, 2, 0 },	/* the seed's own */
		{ "http://s.test/col/index_3.htm", FK_LISTING, 1, 4 },
		{ "http://s.test/col/r4.htm", FK_REPORT, 1, 6 },
	};
	const size_t n = sizeof(rows) / sizeof(rows[0]);
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct seed a = mk("http://s.test/col/", "乙镇", NULL);
	struct frontier *fr = NULL;
	struct frontier_list l = { 0 };
	int64_t seed, run[4], id[16];
	int resumed;

	CHECK_INT(store_seed_put(st, &a, &seed, NULL, &e), 0);
	CHECK_INT(store_frontier_open(st, &fr, &e), 0);
	for (size_t i = 0; i < n; i++)
		CHECK_INT(store_frontier_add(fr, seed, rows[i].url, rows[i].kind, 1, 0, NULL, NULL,
					     &id[i], NULL, &e), 0);
	for (int k = 1; k <= 2; k++) {
		CHECK_INT(store_crawl_run_start(st, "all", 42, &run[k], &resumed, &e), 0);
		for (size_t i = 0; i < n; i++) {
			struct frontier_result r = {
				.id = id[i], .run_id = run[k], .state = FS_OK, .result = "new",
				.parsed = -1, .fetched = 1,
			};

			if (rows[i].settled_in == k)
				CHECK_INT(store_frontier_settle(fr, &r, &e), 0);
		}
		CHECK_INT(store_crawl_run_finish(st, run[k], "done", NULL, &e), 0);
	}
	CHECK_INT(store_crawl_run_start(st, "all", 42, &run[3], &resumed, &e), 0);
	CHECK_INT(store_frontier_due(fr, seed, run[3], &l, &e), 0);
	CHECK_INT(l.n, n);
	for (size_t i = 0; i < n && l.n == n; i++)
		if (l.v[rows[i].due_at].id != id[i]) {
			fprintf(stderr, "  due[%d] is not %s\n", rows[i].due_at, rows[i].url);
			CHECK(0);
		}
	store_frontier_list_release(&l);
	store_frontier_close(fr);
	store_close(st);
}

/* Bytes stored already, here or elsewhere (store_frontier_known_bytes). */
static void test_known_bytes(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct seed a = mk("http://k.test/col/", "丙镇", NULL);
	struct source_meta m = { .location = "http://k.test/col/a.htm" };
	struct frontier *fr = NULL;
	int64_t seed, src, known, row;
	int at_url, is_new;

	CHECK_INT(store_seed_put(st, &a, &seed, NULL, &e), 0);
	CHECK_INT(store_frontier_open(st, &fr, &e), 0);
	CHECK_INT(store_put_source(st, &m, "<p>a</p>", 8, &src, &is_new, &e), 0);
	CHECK_INT(store_frontier_add(fr, seed, "http://k.test/col/b.htm", FK_REPORT, 1, 0, NULL,
				     NULL, &row, NULL, &e), 0);
	{
		char sha[SHA256_HEX_LEN];
		static const struct {
			const char *url;
			int at_url;
		} cases[] = {
			{ "http://k.test/col/a.htm", 1 },	/* the source's own location */
			{ "http://k.test/col/b.htm", 0 },	/* another URL */
		};

		sha256_hex("<p>a</p>", 8, sha);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			CHECK_INT(store_frontier_known_bytes(fr, sha, cases[i].url, &known, &at_url,
							     &e), 0);
			CHECK_INT(known, src);
			CHECK_INT(at_url, cases[i].at_url);
		}
		/* once b's row points at the source, the bytes are b's too */
		{
			struct frontier_result r = {
				.id = row, .run_id = 0, .state = FS_OK, .result = "same",
				.source_id = src, .parsed = 1, .fetched = 1,
			};

			CHECK_INT(store_crawl_run_start(st, "all", 1, &r.run_id, &is_new, &e), 0);
			CHECK_INT(store_frontier_settle(fr, &r, &e), 0);
		}
		CHECK_INT(store_frontier_known_bytes(fr, sha, "http://k.test/col/b.htm", &known,
						     &at_url, &e), 0);
		CHECK_INT(at_url, 1);
		memset(sha, 'f', sizeof(sha) - 1);
		CHECK_INT(store_frontier_known_bytes(fr, sha, "http://k.test/col/a.htm", &known,
						     &at_url, &e), 0);
		CHECK_INT(known, 0);
	}
	store_frontier_close(fr);
	store_close(st);
}

/* Hosts paused: kept, replaced, and read back only while the pause lasts. */
static void test_hosts(void)
{
	char path[256];
	struct store *st = open_new(path, sizeof(path));
	struct err e = ERR_INIT;
	struct crawl_host_list l = { 0 };
	const time_t now = 2000000000;
	struct crawl_host h[] = {
		{ "http://a.test", now + 600, "retry_after", "http status 429", NULL },
		{ "https://b.test:8443", now + 3600, "timeouts", NULL, NULL },
		{ "http://c.test", 0, "failing", "5 URLs in a row failed", NULL },
		{ "http://d.test", now - 1, "retry_after", NULL, NULL },	/* over */
	};

	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		CHECK_INT(store_crawl_host_put(st, &h[i], &e), 0);
	CHECK_INT(store_crawl_hosts_paused(st, now, &l, &e), 0);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		CHECK_STR(l.v[0].origin, "http://a.test");
		CHECK_INT(l.v[0].paused_until, now + 600);
		CHECK_STR(l.v[0].reason, "retry_after");
		CHECK_STR(l.v[0].detail, "http status 429");
		CHECK_STR(l.v[1].origin, "https://b.test:8443");
		CHECK(l.v[1].detail == NULL);
	}
	store_crawl_host_list_release(&l);
	/* a later pause of an origin replaces the earlier one */
	h[0].paused_until = now - 5;
	CHECK_INT(store_crawl_host_put(st, &h[0], &e), 0);
	CHECK_INT(store_crawl_hosts_paused(st, now, &l, &e), 0);
	CHECK_INT(l.n, 1);
	store_crawl_host_list_release(&l);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_hosts"), 4);
	h[0].reason = NULL;
	CHECK_INT(store_crawl_host_put(st, &h[0], &e), OGI_EINVAL);
	store_close(st);
}

/* ---- the lock ---- */

static void test_lock(void)
{
	char path[256];
	struct crawl_lock lk, lk2;
	struct err e = ERR_INIT;
	pid_t child;
	int status = 0;

	new_path(path, sizeof(path));
	CHECK_INT(crawl_lock_acquire(&lk, path, &e), 0);
	/* another process is refused, and told who holds the lock */
	fflush(NULL);
	child = fork();
	if (child == 0) {
		struct err ce = ERR_INIT;
		char want[512];
		int r = crawl_lock_acquire(&lk2, path, &ce);

		snprintf(want, sizeof(want),
			 "cannot crawl: another crawl (pid %ld) is running on '%s'",
			 (long)getppid(), path);
		_exit(r == OGI_EBUSY && !strcmp(ce.msg, want) ? 0 : 1);
	}
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	crawl_lock_release(&lk);
	crawl_lock_release(&lk);	/* twice is harmless */
	/* once released, another process gets it */
	child = fork();
	if (child == 0) {
		struct err ce = ERR_INIT;
		int r = crawl_lock_acquire(&lk2, path, &ce);

		crawl_lock_release(&lk2);
		_exit(r == 0 ? 0 : 1);
	}
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* a lock file that cannot be made */
	CHECK_INT(crawl_lock_acquire(&lk, "/nonexistent-dir/x.db", &e), OGI_EIO);
	CHECK(strstr(e.msg, "/nonexistent-dir/x.db.crawl.lock") != NULL);
}

static void test_names(void)
{
	enum seed_kind k;

	CHECK_STR(store_seed_kind_name(SEED_REPORT), "report");
	CHECK_STR(store_seed_kind_name((enum seed_kind)77), "auto");
	CHECK_INT(store_seed_kind_parse("listing", &k), 0);
	CHECK_INT(k, SEED_LISTING);
	CHECK_INT(store_seed_kind_parse("Listing", &k), -1);
	CHECK_INT(store_seed_kind_parse(NULL, &k), -1);
	CHECK_STR(store_frontier_kind_name(FK_ATTACHMENT), "attachment");
	CHECK_STR(store_frontier_state_name(FS_SKIPPED), "skipped");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_seed_lines);
	RUN(test_seed_check);
	RUN(test_seeds);
	RUN(test_frontier);
	RUN(test_pictures);
	RUN(test_schedule);
	RUN(test_known_bytes);
	RUN(test_hosts);
	RUN(test_lock);
	RUN(test_names);
	remove_tmpdir();
	return t_done(__FILE__);
}
