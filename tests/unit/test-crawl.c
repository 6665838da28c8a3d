/*
 * crawl_run() and crawl_plan() (crawler/crawl.c) against the fixture sites
 * (tests/fixtures/sites) served by tests/server/city_server.py, started
 * here in virtual-hosts mode and reached through CURLOPT_CONNECT_TO, with
 * parse callbacks of the test's own: what is handed to the parser and
 * when, counts, the auto seed, a failure that stops the crawl and the
 * resumption that follows, and the errors found before anything is
 * fetched.  The command itself is tested end to end (tests/e2e/).
 */
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crawler/crawl.h"
#include "store/crawl.h"
#include "util/buf.h"
#include "store/store-internal.h"
#include "tests/unit/t.h"

#define COL "http://www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/"
#define REPORT COL "202601/t20260119_3258021.htm"

static pid_t server_pid;
static char connect_to[2][96];
static const char *connect_list[3];
static char tmpdir[] = "/tmp/ogi-test-crawl-XXXXXX";
static int nfile;

static void server_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
		server_pid = 0;
	}
}

static int server_start(void)
{
	char script[1024], root[1024], line[64];
	int pfd[2], port;
	size_t n = 0;

	snprintf(script, sizeof(script), "%s/../server/city_server.py", t_fixtures());
	snprintf(root, sizeof(root), "%s/sites", t_fixtures());
	if (pipe(pfd))
		return -1;
	server_pid = fork();
	if (server_pid < 0)
		return -1;
	if (server_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execl("/usr/bin/python3", "python3", script, "--root", root, "--vhosts",
		      "--max-seconds", "120", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while (n < sizeof(line) - 1) {
		struct pollfd p = { pfd[0], POLLIN, 0 };

		if (poll(&p, 1, 15000) <= 0 || read(pfd[0], line + n, 1) <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(pfd[0]);
	if (strncmp(line, "PORT ", 5))
		return -1;
	port = (int)strtol(line + 5, NULL, 10);
	snprintf(connect_to[0], sizeof(connect_to[0]), "www.jinjiang.gov.cn:80:127.0.0.1:%d", port);
	snprintf(connect_to[1], sizeof(connect_to[1]), "www.shuyang.gov.cn:80:127.0.0.1:%d", port);
	connect_list[0] = connect_to[0];
	connect_list[1] = connect_to[1];
	connect_list[2] = NULL;
	return 0;
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

static struct store *open_new(void)
{
	char path[256];
	struct store *st;
	struct err e = ERR_INIT;

	snprintf(path, sizeof(path), "%s/t%d.db", tmpdir, ++nfile);
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

static int64_t add_seed(struct store *st, const char *url, enum seed_kind kind,
			const char *scope)
{
	struct seed s;
	struct err e = ERR_INIT;
	int64_t id = 0;

	store_seed_init(&s);
	s.url = (char *)url;
	s.org = "晋江市龙湖镇人民政府";
	s.level = "township";
	s.kind = kind;
	s.scope = (char *)scope;
	if (store_seed_put(st, &s, &id, NULL, &e))
		fprintf(stderr, "  seed: %s\n", e.msg);
	return id;
}

/* What the test's parse callback saw, and what it answers. */
struct parser {
	int calls;
	int fail_at;		/* the call (from 1) that fails; 0: none */
	int answer;		/* enum crawl_parsed */
	int64_t last_source;
	char last_url[512];
	char org[64];
	int mismatched;		/* stores handed another page's parse */
};

/* On the parse worker: what it read, for the store callback to compare. */
static void *parse_cb(const struct crawl_bytes *b, void *arg)
{
	struct buf out = BUF_INIT(BUF_NOLIMIT);

	(void)arg;
	buf_addf(&out, "%s %zu", b->url, b->len);
	return buf_take(&out);
}

static int store_cb(const struct crawl_page *p, void *parsed, void *arg, struct err *err)
{
	struct parser *ps = arg;
	const char *sp = strchr(parsed, ' ');

	ps->calls++;
	ps->last_source = p->source_id;
	snprintf(ps->last_url, sizeof(ps->last_url), "%s", p->url);
	snprintf(ps->org, sizeof(ps->org), "%s", p->seed->org);
	/* the parse of this very page reaches its store */
	if (!sp || strncmp(parsed, p->url, (size_t)(sp - (const char *)parsed)) ||
	    strlen(p->url) != (size_t)(sp - (const char *)parsed))
		ps->mismatched++;
	if (ps->fail_at && ps->calls == ps->fail_at) {
		err_set(err, OGI_EIO, "the parser fell over");
		return -1;
	}
	return ps->answer;
}

static void discard_cb(void *parsed, void *arg)
{
	(void)arg;
	free(parsed);
}

static void opts(struct crawl_opts *o, struct parser *ps)
{
	crawl_opts_init(o);
	o->fetch.host_delay = 0;
	o->fetch.max_crawl_delay = 0;	/* the fixture's robots.txt asks for 1 s */
	o->fetch.max_tries = 1;
	o->fetch.connect_to = connect_list;
	o->parse = parse_cb;
	o->store = store_cb;
	o->discard = discard_cb;
	o->hooks_arg = ps;
}

/* The same crawl whether pages are parsed on the crawl's thread or on 1 or 3 workers. */
static void crawl_listing(int threads)
{
	struct store *st = open_new();
	struct parser ps = { 0, 0, CRAWL_PARSED_TABLES, 0, "", "", 0 };
	struct crawl_opts o;
	struct crawl_summary sum;
	struct err e = ERR_INIT;
	int64_t id = add_seed(st, COL, SEED_AUTO, "/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/");

	opts(&o, &ps);
	o.parse_threads = threads;
	CHECK_INT(crawl_run(st, &id, 1, &o, &sum, &e), 0);
	CHECK_INT(ps.mismatched, 0);
	CHECK_INT(sum.nseeds, 1);
	CHECK_INT(sum.resumed, 0);
	if (sum.nseeds == 1) {
		const struct crawl_counts *c = &sum.seeds[0].counts;

		CHECK_INT(c->new_reports, 1);	/* the one report page the fixture has */
		CHECK(c->failed >= 5);		/* the others are 404 */
		CHECK(c->listing >= 2);		/* the column and its page 2 */
		CHECK_INT(c->seed_failed, 0);
		CHECK_STR(sum.seeds[0].seed.url, COL);
	}
	CHECK_INT(ps.calls, 1);
	CHECK_STR(ps.last_url, REPORT);
	CHECK_STR(ps.org, "晋江市龙湖镇人民政府");
	CHECK_INT(q_long(st, "SELECT count(*) FROM sources"), 1);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE parsed = 1 "
			     "AND note = 'report'"), 1);
	/* the PDF the listing calls a report is fetched like a page (the fixture has none: 404) */
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE kind = 'attachment' "
			     "AND note = 'report' AND url LIKE '%P020200120521663881234.pdf' "
			     "AND state = 'failed' AND http_status = 404"), 1);
	/* nothing off the seed's scope: the footer's reports on other paths */
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE url NOT LIKE '" COL "%' "
			     "AND kind <> 'attachment'"), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_runs WHERE status = 'done'"), 1);
	crawl_summary_release(&sum);

	/* again: nothing new, nothing parsed, failures asked again */
	CHECK_INT(crawl_run(st, &id, 1, &o, &sum, &e), 0);
	CHECK_INT(ps.calls, 1);
	if (sum.nseeds == 1) {
		CHECK_INT(sum.seeds[0].counts.new_reports, 0);
		CHECK_INT(sum.seeds[0].counts.unchanged, 1);
		CHECK(sum.seeds[0].counts.failed >= 5);
	}
	CHECK_INT(q_long(st, "SELECT max(failures) FROM crawl_urls"), 2);
	crawl_summary_release(&sum);

	/* what a plan lists now: every known page, with validators where bytes are held */
	{
		struct frontier_list l = { 0 };

		CHECK_INT(crawl_plan(st, &id, 1, &l, &e), 0);
		CHECK(l.n >= 8);
		CHECK(l.n && l.v[0].id != 0 && !strcmp(l.v[0].url, COL) && l.v[0].etag);
		store_frontier_list_release(&l);
	}
	store_close(st);
}

static void test_crawl_listing(void)
{
	static const int threads[] = { 1, 0, 3 };

	for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
		t_case = threads[i] == 0 ? "parsed on the crawl's thread"
			 : threads[i] == 1 ? "one parse worker" : "three parse workers";
		crawl_listing(threads[i]);
	}
	t_case = NULL;
}

static void test_crawl_auto_report(void)
{
	struct store *st = open_new();
	struct parser ps = { 0, 0, CRAWL_PARSED_NO_TABLES, 0, "", "", 0 };
	struct crawl_opts o;
	struct crawl_summary sum;
	struct err e = ERR_INIT;
	int64_t id = add_seed(st, REPORT, SEED_AUTO, NULL);

	opts(&o, &ps);
	/* before any crawl, a plan is the seed's URL */
	{
		struct frontier_list l = { 0 };

		CHECK_INT(crawl_plan(st, NULL, 0, &l, &e), 0);
		CHECK_INT(l.n, 1);
		CHECK(l.n == 1 && l.v[0].id == 0 && !strcmp(l.v[0].url, REPORT));
		store_frontier_list_release(&l);
	}
	CHECK_INT(crawl_run(st, NULL, 0, &o, &sum, &e), 0);
	/* a page that links its column and its attachments is a report page, not a listing */
	CHECK_INT(ps.calls, 1);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE depth = 0 AND kind = 'report' "
			     "AND note = 'attachment_only'"), 1);
	CHECK(q_long(st, "SELECT count(*) FROM crawl_urls WHERE kind = 'attachment'") >= 5);
	/* its PDF and Word files are fetched (the fixture has none: 404), spreadsheets recorded */
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE kind = 'attachment' "
			     "AND state = 'failed' AND (url LIKE '%.pdf' OR url LIKE '%.doc')"), 2);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE kind = 'attachment' "
			     "AND state = 'listed' AND (url LIKE '%.xls' OR url LIKE '%.xlsx')"), 2);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE kind = 'attachment' "
			     "AND state NOT IN ('failed', 'listed')"), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE kind = 'listing'"), 0);
	if (sum.nseeds == 1) {
		CHECK_INT(sum.seeds[0].counts.attachment_only, 1);
		CHECK_INT(sum.seeds[0].counts.no_tables, 1);
	}
	crawl_summary_release(&sum);
	(void)id;
	store_close(st);
}

static void test_crawl_stop_and_resume(void)
{
	struct store *st = open_new();
	struct parser ps = { 0, 1, CRAWL_PARSED_TABLES, 0, "", "", 0 };
	struct crawl_opts o;
	struct crawl_summary sum;
	struct err e = ERR_INIT;
	int64_t id = add_seed(st, COL, SEED_LISTING, NULL);

	opts(&o, &ps);
	/*
	 * Storing the report fails: the crawl stops with its error, the run is
	 * left to resume, and nothing of that page is kept (its bytes, fetch
	 * result and report are in one transaction, its group of results: the
	 * listing that found it too, when it came less than
	 * CRAWL_GROUP_SECONDS before).
	 */
	CHECK_INT(crawl_run(st, &id, 1, &o, &sum, &e), OGI_EIO);
	CHECK_STR(e.msg, "the parser fell over");
	/* what the run did is told after a failure too: nothing of that page */
	CHECK_INT(sum.nseeds, 1);
	CHECK(sum.run_id != 0);
	if (sum.nseeds == 1)
		CHECK_INT(sum.seeds[0].counts.new_reports, 0);
	crawl_summary_release(&sum);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_runs WHERE status = 'running'"), 1);
	CHECK_INT(q_long(st, "SELECT count(*) FROM sources"), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE url = '" REPORT "' "
			     "AND (source_id IS NOT NULL OR result IS NOT NULL)"), 0);
	CHECK(q_long(st, "SELECT count(*) FROM crawl_urls WHERE url = '" REPORT "'") <= 1);
	/* run again: resumed, the page fetched again and stored once */
	ps.fail_at = 0;
	ps.calls = 0;
	CHECK_INT(crawl_run(st, &id, 1, &o, &sum, &e), 0);
	CHECK_INT(sum.resumed, 1);
	CHECK_INT(ps.calls, 1);
	CHECK_INT(ps.mismatched, 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE parsed = 0 "
			     "AND source_id IS NOT NULL"), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_runs"), 1);
	CHECK_INT(q_long(st, "SELECT count(*) FROM sources"), 1);
	if (sum.nseeds == 1)
		CHECK_INT(sum.seeds[0].counts.new_reports, 1);
	crawl_summary_release(&sum);
	store_close(st);
}

/*
 * Pages stored by a crawl without a parser (or by a version that parsed
 * after storing) are handed to the parser by the next run that has one,
 * from their stored bytes, without fetching them again.
 */
static void test_crawl_parse_stored(void)
{
	struct store *st = open_new();
	struct parser ps = { 0, 0, CRAWL_PARSED_TABLES, 0, "", "", 0 };
	struct crawl_opts o;
	struct crawl_summary sum;
	struct err e = ERR_INIT;
	int64_t id = add_seed(st, COL, SEED_LISTING, NULL), src;

	opts(&o, &ps);
	o.parse = NULL;
	CHECK_INT(crawl_run(st, &id, 1, &o, &sum, &e), 0);
	crawl_summary_release(&sum);
	CHECK_INT(ps.calls, 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE source_id IS NOT NULL "
			     "AND parsed = 0"), 1);
	src = q_long(st, "SELECT source_id FROM crawl_urls WHERE source_id IS NOT NULL");
	o.parse = parse_cb;
	CHECK_INT(crawl_run(st, &id, 1, &o, &sum, &e), 0);
	CHECK_INT(ps.calls, 1);
	CHECK_INT(ps.mismatched, 0);
	CHECK_INT(ps.last_source, src);
	CHECK_INT(q_long(st, "SELECT count(*) FROM sources"), 1);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE parsed = 1 "
			     "AND note = 'report'"), 1);
	crawl_summary_release(&sum);
	store_close(st);
}

static void test_crawl_refusals(void)
{
	struct store *st = open_new();
	struct parser ps = { 0, 0, CRAWL_PARSED_TABLES, 0, "", "", 0 };
	struct crawl_opts o;
	struct crawl_summary sum;
	struct err e = ERR_INIT;
	int64_t bad = 99;

	add_seed(st, COL, SEED_LISTING, NULL);
	opts(&o, &ps);
	CHECK_INT(crawl_run(st, &bad, 1, &o, &sum, &e), OGI_ENOTFOUND);
	CHECK(strstr(e.msg, "no seed 99") != NULL);
	o.links.report_pattern = "(";
	CHECK_INT(crawl_run(st, NULL, 0, &o, &sum, &e), OGI_EINVAL);
	o.links.report_pattern = NULL;
	o.max_pages = 0;
	CHECK_INT(crawl_run(st, NULL, 0, &o, &sum, &e), OGI_EINVAL);
	o.max_pages = 1;
	o.fetch.max_per_host = 0;	/* refused by the fetch engine */
	CHECK_INT(crawl_run(st, NULL, 0, &o, &sum, &e), OGI_EINVAL);
	/* refused before any request: no page known, no URL settled */
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE run_id IS NOT NULL"), 0);
	CHECK_INT(ps.calls, 0);
	/* --max-pages 1: the seed's page only */
	o.fetch.max_per_host = 1;
	CHECK_INT(crawl_run(st, NULL, 0, &o, &sum, &e), 0);
	CHECK_INT(q_long(st, "SELECT count(*) FROM crawl_urls WHERE run_id IS NOT NULL"), 1);
	crawl_summary_release(&sum);
	store_close(st);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (server_start()) {
		fprintf(stderr, "cannot start the fixture server\n");
		server_stop();
		remove_tmpdir();
		return 1;
	}
	RUN(test_crawl_listing);
	RUN(test_crawl_auto_report);
	RUN(test_crawl_stop_and_resume);
	RUN(test_crawl_parse_stored);
	RUN(test_crawl_refusals);
	server_stop();
	remove_tmpdir();
	return t_done(__FILE__);
}
