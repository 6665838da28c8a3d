/*
 * ogi crawl: fetches the seeds' listing and report pages (crawler/crawl.c)
 * and parses each new or changed report page into the warehouse in the
 * same run, through the pipeline's hooks (pipeline/pipeline.h).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "crawler/crawl.h"
#include "crawler/lists.h"
#include "pipeline/pipeline.h"
#include "store/crawl.h"
#include "util/json.h"
#include "util/utc.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Failed URLs printed after a run (all of them with --verbose). */
#define SHOW_FAILED 20

static const char usage_text[] =
	"usage: ogi crawl [--seed ID]... [--org TEXT] [--delay S] [--per-host N]\n"
	"                 [--max-pages N] [--time-limit S] [--max-depth N] [--max-list-pages N]\n"
	"                 [--timeout S] [--tries N] [--backoff S] [--host-failures N]\n"
	"                 [--user-agent UA] [--jobs N]\n"
	"                 [--report-pattern RE] [--exclude-pattern RE]\n"
	"                 [--connect-to HOST:PORT:HOST2:PORT2]... [--keep-param NAME]...\n"
	"                 [--drop-param NAME]... [--log FILE] [--dry-run]\n"
	"\n"
	"Crawls every seed (see 'ogi seed'), or the chosen ones: from a listing page,\n"
	"its pagination (下一页/尾页, numbered links, index_N.html pages, createPageHTML,\n"
	"?page=N) and the links naming an annual information-disclosure report; report\n"
	"pages are stored and parsed in the same run; the PDF and Word files they and\n"
	"the listings link (in scope) are fetched and read too, a file of the same\n"
	"report as its page kept as one more source of that report.\n"
	"Stays on the seed's host (and scope); obeys robots.txt.  Listing pages are\n"
	"fetched conditionally (ETag, Last-Modified), report pages too: a page whose\n"
	"report reads the same leaves it as it is, whatever its bytes.  URLs never\n"
	"fetched go first, then those fetched longest ago.  Failed URLs are recorded\n"
	"with the reason and tried again next run; a host that asks for a pause\n"
	"(Retry-After) or times out again and again is paused, across runs.  Results\n"
	"are committed in groups, each within 0.1 s of its first: a killed crawl,\n"
	"run again, resumes where it stopped.\n"
	"\n"
	"  --seed ID         crawl this seed (repeatable); default: every seed\n"
	"  --org TEXT        crawl the seeds whose organization contains TEXT\n"
	"  --delay S         seconds between requests to one host (default 1; a\n"
	"                    larger robots.txt Crawl-delay wins)\n"
	"  --per-host N      requests in flight per host (default 1)\n"
	"  --max-pages N     URLs fetched per seed and run (default 1000); the rest\n"
	"                    come first in the next run\n"
	"  --time-limit S    start nothing after S seconds; what is left comes first\n"
	"                    in the next run (default: none)\n"
	"  --max-depth N     pagination hops from the seed (default 20)\n"
	"  --max-list-pages N  list pages and list API requests per seed (default 500)\n"
	"  --timeout S       whole-request time limit in seconds (default 120)\n"
	"  --tries N         tries per URL on timeouts, 429 and 5xx (default 3)\n"
	"  --backoff S       wait before the first retry, doubled each time (default 2)\n"
	"  --host-failures N skip a host for the rest of the run after N URLs in a row\n"
	"                    failed there (default 5; 0: never)\n"
	"  --user-agent UA   the User-Agent sent (default: ogi/0.1 with a contact URL)\n"
	"  --jobs N          parse report pages on N threads beside the crawl's own\n"
	"                    (default: the processors online)\n"
	"  --report-pattern RE   link texts naming a report (PCRE2)\n"
	"  --exclude-pattern RE  link texts that are not reports unless they say 信息公开\n"
	"  --connect-to H:P:H2:P2  connect to H2:P2 for host H port P (as curl's\n"
	"                    --connect-to; for sites served on a test machine)\n"
	"  --keep-param NAME keep this query or path parameter in URLs though it is\n"
	"                    one of the session ids dropped (jsessionid, phpsessid,\n"
	"                    aspsessionid*, asp.net_sessionid, sid, sessionid,\n"
	"                    session_id, sessid, cfid, cftoken, zenid, oscsid)\n"
	"  --drop-param NAME drop this parameter from URLs too (a session id the\n"
	"                    list misses; a final '*' matches any rest of the name)\n"
	"  --log FILE        append one JSON line per request (and per host paused)\n"
	"                    to FILE (docs/crawl.md lists the fields)\n"
	"  --dry-run         list what would be fetched first, fetch nothing: one line\n"
	"                    a URL: seed id, kind, conditional header or -, URL\n"
	"\n"
	"Prints each report stored (once stored), then a summary per seed and the\n"
	"run's line; with --quiet only the run's line, timestamped, and the errors.\n"
	"Progress goes to stderr when it is a terminal.  Exit status: 0 ok; 1 a seed\n"
	"failed completely (its own page could not be fetched); 2 usage; 3 warehouse\n"
	"or log error; 4 another crawl is running on the warehouse.\n";

/* In the order of longopts[] in cmd_crawl, which names them in messages. */
enum {
	O_SEED = 1, O_ORG, O_DELAY, O_PER_HOST, O_MAX_PAGES, O_MAX_DEPTH, O_MAX_LIST_PAGES, O_TIMEOUT, O_TRIES,
	O_BACKOFF, O_UA, O_REPORT_RE, O_EXCLUDE_RE, O_CONNECT_TO, O_KEEP_PARAM, O_DROP_PARAM,
	O_DRY_RUN, O_HELP, O_TIME_LIMIT, O_HOST_FAILURES, O_LOG, O_JOBS
};

struct crawl_cli {
	struct store *st;
	struct pipeline pl;
	int show_progress;
	int progress_on_screen;
	double last_progress;
	/* a page's report lines, printed once its transaction is committed */
	struct buf held;
	FILE *log;		/* --log, or NULL */
	const char *log_path;
};

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds in [0, max]; 0 or -1. */
static int parse_seconds(const char *s, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static void clear_progress(struct crawl_cli *cc)
{
	if (cc->progress_on_screen) {
		fputs("\r\033[K", stderr);
		cc->progress_on_screen = 0;
	}
}

static void on_progress(const struct crawl_progress *p, void *arg)
{
	struct crawl_cli *cc = arg;
	double t = now_mono(), rate;

	if (!cc->show_progress || (t - cc->last_progress < 0.2 && p->pending))
		return;
	cc->last_progress = t;
	rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
	fprintf(stderr, "\r\033[Kcrawl: %zu done, %zu queued, %zu failed, %.1f/s", p->done,
		p->pending, p->failed, rate);
	if (rate > 0 && p->pending)
		fprintf(stderr, ", ETA %.0f s", (double)p->pending / rate);
	fflush(stderr);
	cc->progress_on_screen = 1;
}

/*
 * A report page stored (or not a report): its line, above the progress
 * line.  "added" and its kind wait for the commit that makes them true.
 */
static void on_event(const struct pipeline_event *ev, void *arg)
{
	struct crawl_cli *cc = arg;

	if (cli_event_line(ev, &cc->held))
		return;
	clear_progress(cc);
	cli_print_event(ev);
}

static void on_committed(int ok, void *arg)
{
	struct crawl_cli *cc = arg;

	if (ok && cc->held.len && !cli_quiet) {
		clear_progress(cc);
		cli_printf("%s", buf_str(&cc->held));
	}
	buf_reset(&cc->held);
}

/* The wall clock now as text (util/utc.h), with milliseconds if millis. */
static void utc_now(char out[UTC_TEXT_SIZE], int millis)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	utc_text(ts.tv_sec, millis ? ts.tv_nsec / 1000000 : -1, out);
}

/* Starts a --log line: {"t": now, "event": what, ... */
static void log_begin(struct jw *j, struct buf *b, const char *event)
{
	char t[UTC_TEXT_SIZE];

	utc_now(t, 1);
	jw_init_buf(j, b, 0);
	jw_begin_object(j);
	jw_key(j, "t");
	jw_string(j, t);
	jw_key(j, "event");
	jw_string(j, event);
}

/* ... } and the line out; a write error shows at the end (ferror). */
static void log_end(struct crawl_cli *cc, struct jw *j, struct buf *b)
{
	jw_end_object(j);
	if (!jw_finish(j)) {
		buf_addc(b, '\n');
		fwrite(buf_str(b), 1, b->len, cc->log);
		fflush(cc->log);
	}
	buf_release(b);
}

/* --log: one line per request made. */
static void on_request(const struct fetch_request_log *l, void *arg)
{
	struct crawl_cli *cc = arg;
	char started[UTC_TEXT_SIZE];
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct jw j;

	log_begin(&j, &b, "request");
	jw_key(&j, "url");
	jw_string(&j, l->url);
	jw_key(&j, "status");
	jw_int(&j, l->status);
	jw_key(&j, "result");
	jw_string(&j, fetch_class_name(l->cls));
	jw_key(&j, "error");
	jw_string(&j, l->error);
	jw_key(&j, "bytes");
	jw_int(&j, (long long)l->bytes);
	jw_key(&j, "seconds");
	jw_number(&j, floor(l->seconds * 1000 + 0.5) / 1000);
	utc_text((time_t)floor(l->started), (long)((l->started - floor(l->started)) * 1000), started);
	jw_key(&j, "started");
	jw_string(&j, started);
	jw_key(&j, "attempt");
	jw_int(&j, l->attempt);
	jw_key(&j, "robots");
	jw_bool(&j, l->robots);
	jw_key(&j, "conditional");
	jw_bool(&j, l->conditional);
	jw_key(&j, "retry_after");
	jw_string(&j, l->retry_after);
	jw_key(&j, "method");
	jw_string(&j, l->method ? l->method : "GET");
	log_end(cc, &j, &b);
}

/* An origin paused (or closed for the run): said on stderr and in the log. */
static void on_host(const struct fetch_pause *p, void *arg)
{
	struct crawl_cli *cc = arg;
	char until[UTC_TEXT_SIZE];

	if (p->until)
		utc_text(p->until, -1, until);
	clear_progress(cc);
	if (!cli_quiet && p->until)
		cli_error("host '%s' paused until %s: %s", p->origin, until, p->detail);
	else if (!cli_quiet)
		cli_error("host '%s' skipped for the rest of the run: %s", p->origin, p->detail);
	if (cc->log) {
		struct buf b = BUF_INIT(BUF_NOLIMIT);
		struct jw j;

		log_begin(&j, &b, "pause");
		jw_key(&j, "origin");
		jw_string(&j, p->origin);
		jw_key(&j, "until");
		jw_string(&j, p->until ? until : NULL);
		jw_key(&j, "reason");
		jw_string(&j, p->reason);
		jw_key(&j, "detail");
		jw_string(&j, p->detail);
		log_end(cc, &j, &b);
	}
}

/* The seeds chosen by --seed and --org; 0 or an exit code (after a message). */
static int choose_seeds(struct store *st, const char *org, int64_t **ids, size_t *n,
			size_t *alloc)
{
	struct seed_list l = { 0 };
	struct err e = ERR_INIT;

	if (store_seed_list(st, org, &l, &e))
		return cli_fail(&e);
	if (!l.n) {
		store_seed_list_release(&l);
		if (org)
			cli_error("crawl: no seed's organization contains '%s'", org);
		else
			cli_error("crawl: no seeds in '%s'; add some with 'ogi seed add' or "
				  "'ogi seed import'", cli_db_path);
		return EXIT_USAGE;
	}
	if (org) {
		for (size_t i = 0; i < l.n; i++) {
			ALLOC_GROW(*ids, *n + 1, *alloc);
			(*ids)[(*n)++] = l.v[i].id;
		}
	}
	store_seed_list_release(&l);
	return 0;
}

static int dry_run(struct store *st, const int64_t *ids, size_t n)
{
	struct frontier_list l = { 0 };
	struct err e = ERR_INIT;
	int ret;

	if (crawl_plan(st, ids, n, &l, &e)) {
		ret = e.code == OGI_ENOTFOUND ? (cli_error("crawl: %s", e.msg), EXIT_USAGE)
					      : cli_fail(&e);
		store_frontier_list_release(&l);
		return ret;
	}
	/*
	 * One line a URL, never cut: "seed kind conditional url", tab-separated;
	 * a list API's POST says "post" where the conditional header would be,
	 * and its form body after the URL.
	 */
	for (size_t i = 0; i < l.n; i++) {
		const struct frontier_url *u = &l.v[i];
		int cond = !u->post_body && u->sha256[0] && (u->etag || u->last_modified);

		cli_printf("%lld\t%s\t%s\t%s%s%s\n", (long long)u->seed_id,
			   store_frontier_kind_name(u->kind),
			   u->post_body ? "post" : !cond ? "-" : u->etag ? "if-none-match"
								 : "if-modified-since",
			   u->url, u->post_body ? "\t" : "", u->post_body ? u->post_body : "");
	}
	if (!cli_quiet)
		fprintf(stderr, "%zu URLs would be fetched first; more as pages are discovered\n",
			l.n);
	store_frontier_list_release(&l);
	return EXIT_OK;
}

static void print_failures(struct store *st, int64_t run_id)
{
	struct frontier_filter f = { 0, run_id, FS_FAILED, -1, 0 };
	struct frontier_list l = { 0 };
	struct err e = ERR_INIT;
	size_t shown = 0;

	if (store_frontier_list(st, &f, &l, &e)) {
		cli_fail(&e);
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct frontier_url *u = &l.v[i];

		if (!cli_verbose && shown == SHOW_FAILED) {
			cli_error("... and %zu more failed URLs (ogi seed urls --state failed)",
				  l.n - shown);
			break;
		}
		cli_error("cannot fetch '%s': %s%s%s", u->url, u->result ? u->result : "failed",
			  u->error ? ": " : "", u->error ? u->error : "");
		shown++;
	}
	store_frontier_list_release(&l);
}

/* What limits left out of a seed, and why, on stderr (not with --quiet). */
static void print_caps(const struct crawl_seed_result *r, const struct crawl_opts *o)
{
	long long id = (long long)r->seed.id;

	if (cli_quiet)
		return;
	if (r->capped)
		cli_error("seed %lld (%s): --max-pages %ld reached: %ld URLs wait for the next run",
			  id, r->seed.org, o->max_pages, r->capped);
	if (r->time_left)
		cli_error("seed %lld (%s): --time-limit reached: %ld URLs wait for the next run",
			  id, r->seed.org, r->time_left);
	if (r->depth_cut)
		cli_error("seed %lld (%s): %ld links deeper than --max-depth %d not followed", id,
			  r->seed.org, r->depth_cut, o->max_depth);
	if (r->links_cut)
		cli_error("seed %lld (%s): %ld links past the first %d of a page not read", id,
			  r->seed.org, r->links_cut, LINKS_MAX_LINKS);
	if (r->pages_cut)
		cli_error("seed %lld (%s): %ld pages read only in part (over %u MiB): their "
			  "later links not seen", id, r->seed.org, r->pages_cut,
			  LINKS_MAX_INPUT >> 20);
	if (r->paused)
		cli_error("seed %lld (%s): %ld URLs not asked: their host is paused; they come "
			  "first in the next run", id, r->seed.org, r->paused);
	if (r->lists_cut)
		cli_error("seed %lld (%s): %ld list pages not asked: past --max-list-pages %ld, "
			  "or past %d a page", id, r->seed.org, r->lists_cut, o->max_list_pages,
			  LISTS_MAX_REQUESTS);
	if (r->lists_bad)
		cli_error("seed %lld (%s): %ld list pages malformed or without their list; the "
			  "first: %s", id, r->seed.org, r->lists_bad,
			  r->list_problem ? r->list_problem : "");
}

/* What limits left out of a seed in the run: URLs for a later run, links not followed. */
static long capped_of(const struct crawl_seed_result *r)
{
	return r->capped + r->time_left + r->depth_cut + r->links_cut + r->lists_cut;
}

struct run_totals {
	struct crawl_counts c;
	long paused, capped;
};

static void run_totals(const struct crawl_summary *s, struct run_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < s->nseeds; i++) {
		const struct crawl_seed_result *r = &s->seeds[i];
		const struct crawl_counts *c = &r->counts;

		t->c.new_reports += c->new_reports;
		t->c.changed += c->changed;
		t->c.unchanged += c->unchanged;
		t->c.same += c->same;
		t->c.failed += c->failed;
		t->c.listing += c->listing;
		t->c.reports += c->reports;
		t->c.attachments += c->attachments;
		t->paused += r->paused;
		t->capped += capped_of(r);
	}
}

/*
 * The run's line: what it fetched, then every URL by outcome.  Failures
 * are counted by reason; "capped" counts what a limit left out.
 */
static void run_line(struct buf *b, const struct crawl_summary *s, const char *stopped_by)
{
	struct run_totals rt;
	const struct crawl_counts *tot = &rt.c;

	run_totals(s, &rt);
	buf_addf(b, "crawl run %lld", (long long)s->run_id);
	if (s->resumed)
		buf_adds(b, " (resumed)");
	if (s->stopped)
		buf_adds(b, " (stopped at --time-limit)");
	if (stopped_by)
		buf_addf(b, " (stopped: %s)", stopped_by);
	buf_addf(b, ": %zu seeds, %ld listing and %ld report pages", s->nseeds, tot->listing,
		 tot->reports);
	/* new, changed and unchanged count attachments as report pages */
	if (tot->attachments)
		buf_addf(b, ", %ld attachments", tot->attachments);
	buf_addf(b, ", %lu requests in %.1f s: %ld new reports, %ld changed, %ld unchanged, "
		 "%ld same content elsewhere, %ld failed", s->fetch.requests, s->elapsed,
		 tot->new_reports, tot->changed, tot->unchanged, tot->same, tot->failed);
	for (size_t i = 0; i < s->failures.n; i++)
		buf_addf(b, "%s%ld %s", i ? ", " : " (", s->failures.v[i].n,
			 s->failures.v[i].reason);
	if (s->failures.n)
		buf_adds(b, ")");
	buf_addf(b, ", %ld paused, %ld capped\n", rt.paused, rt.capped);
}

/*
 * The summary on stdout, also after a failure (stopped_by says which): a
 * table of the seeds and the run's line, or with --quiet the run's line
 * alone, timestamped.  Returns EXIT_FOUND when a seed failed completely,
 * EXIT_FAIL when stdout cannot be written.
 */
static int print_summary(const struct crawl_summary *s, const struct crawl_opts *o,
			 const char *stopped_by)
{
	struct table *t = table_new();
	struct buf line = BUF_INIT(BUF_NOLIMIT);
	int ret = EXIT_OK;

	table_add_column(t, "seed", TA_RIGHT);
	table_add_column(t, "organization", TA_LEFT);
	table_add_column(t, "listing", TA_RIGHT);
	table_add_column(t, "reports", TA_RIGHT);
	table_add_column(t, "attachments", TA_RIGHT);
	table_add_column(t, "new", TA_RIGHT);
	table_add_column(t, "changed", TA_RIGHT);
	table_add_column(t, "unchanged", TA_RIGHT);
	table_add_column(t, "same", TA_RIGHT);
	table_add_column(t, "failed", TA_RIGHT);
	table_add_column(t, "skipped", TA_RIGHT);
	table_add_column(t, "paused", TA_RIGHT);
	table_add_column(t, "capped", TA_RIGHT);
	table_add_column(t, "no_tables", TA_RIGHT);
	table_add_column(t, "attachment_only", TA_RIGHT);
	for (size_t i = 0; i < s->nseeds; i++) {
		const struct crawl_seed_result *r = &s->seeds[i];
		const struct crawl_counts *c = &r->counts;
		const long v[] = { c->listing, c->reports, c->attachments, c->new_reports,
				   c->changed, c->unchanged, c->same, c->failed, c->skipped,
				   r->paused, capped_of(r), c->no_tables, c->attachment_only };

		table_add_row(t);
		table_set_num(t, 0, (double)r->seed.id);
		table_set_str(t, 1, r->seed.org);
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
			table_set_num(t, 2 + k, (double)v[k]);
		print_caps(r, o);
		if (c->seed_failed) {
			cli_error("seed %lld (%s) failed: '%s' could not be fetched",
				  (long long)r->seed.id, r->seed.org, r->seed.url);
			ret = EXIT_FOUND;
		}
	}
	if (!cli_quiet && cli_write_table(t, TF_TEXT, 0))
		ret = EXIT_FAIL;
	if (cli_quiet) {
		char now[UTC_TEXT_SIZE];

		utc_now(now, 0);
		buf_addf(&line, "%s ", now);
	}
	run_line(&line, s, stopped_by);
	cli_printf("%s", buf_str(&line));	/* stopped_by may quote a page */
	buf_release(&line);
	table_free(t);
	return ret;
}

/* --log: the run's counts, last. */
static void log_run(struct crawl_cli *cc, const struct crawl_summary *s, const char *stopped_by)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct run_totals rt;
	struct jw j;

	run_totals(s, &rt);
	log_begin(&j, &b, "run");
	jw_key(&j, "run");
	jw_int(&j, s->run_id);
	jw_key(&j, "requests");
	jw_int(&j, (long long)s->fetch.requests);
	jw_key(&j, "seconds");
	jw_number(&j, floor(s->elapsed * 1000 + 0.5) / 1000);
	jw_key(&j, "new");
	jw_int(&j, rt.c.new_reports);
	jw_key(&j, "changed");
	jw_int(&j, rt.c.changed);
	jw_key(&j, "unchanged");
	jw_int(&j, rt.c.unchanged);
	jw_key(&j, "same");
	jw_int(&j, rt.c.same);
	jw_key(&j, "failed");
	jw_begin_object(&j);
	for (size_t i = 0; i < s->failures.n; i++) {
		jw_key(&j, s->failures.v[i].reason);
		jw_int(&j, s->failures.v[i].n);
	}
	jw_end_object(&j);
	jw_key(&j, "paused");
	jw_int(&j, rt.paused);
	jw_key(&j, "capped");
	jw_int(&j, rt.capped);
	jw_key(&j, "stopped");
	jw_string(&j, stopped_by ? stopped_by : s->stopped ? "time_limit" : NULL);
	log_end(cc, &j, &b);
}

int cmd_crawl(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, O_SEED },
		{ "org", required_argument, NULL, O_ORG },
		{ "delay", required_argument, NULL, O_DELAY },
		{ "per-host", required_argument, NULL, O_PER_HOST },
		{ "max-pages", required_argument, NULL, O_MAX_PAGES },
		{ "max-depth", required_argument, NULL, O_MAX_DEPTH },
		{ "max-list-pages", required_argument, NULL, O_MAX_LIST_PAGES },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "tries", required_argument, NULL, O_TRIES },
		{ "backoff", required_argument, NULL, O_BACKOFF },
		{ "user-agent", required_argument, NULL, O_UA },
		{ "report-pattern", required_argument, NULL, O_REPORT_RE },
		{ "exclude-pattern", required_argument, NULL, O_EXCLUDE_RE },
		{ "connect-to", required_argument, NULL, O_CONNECT_TO },
		{ "keep-param", required_argument, NULL, O_KEEP_PARAM },
		{ "drop-param", required_argument, NULL, O_DROP_PARAM },
		{ "dry-run", no_argument, NULL, O_DRY_RUN },
		{ "help", no_argument, NULL, O_HELP },
		{ "time-limit", required_argument, NULL, O_TIME_LIMIT },
		{ "host-failures", required_argument, NULL, O_HOST_FAILURES },
		{ "log", required_argument, NULL, O_LOG },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ NULL, 0, NULL, 0 },
	};
	struct crawl_opts o;
	struct crawl_cli cc;
	struct crawl_summary sum;
	struct crawl_lock lock = { -1, NULL };
	struct err e = ERR_INIT;
	const char *org = NULL;
	const char **connect = NULL, **keep = NULL, **drop = NULL;
	struct url_opts uo = { NULL, NULL };
	size_t nconnect = 0, aconnect = 0, nids = 0, aids = 0;
	size_t nkeep = 0, akeep = 0, ndrop = 0, adrop = 0;
	int64_t *ids = NULL;
	int opt, dry = 0, ret = EXIT_OK, r;
	long v;
	double d;

	crawl_opts_init(&o);
	o.parse_threads = (int)cli_default_jobs(CRAWL_MAX_PARSE_THREADS);
	memset(&cc, 0, sizeof(cc));
	buf_init(&cc.held, BUF_NOLIMIT);
	memset(&sum, 0, sizeof(sum));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case O_SEED:
			if (cli_parse_long(optarg, &v) || !v) {
				cli_error("crawl: bad seed id '%s'", optarg);
				ret = EXIT_USAGE;
				goto out;
			}
			ALLOC_GROW(ids, nids + 1, aids);
			ids[nids++] = v;
			break;
		case O_ORG:
			org = optarg;
			break;
		case O_DELAY:
			if (parse_seconds(optarg, 3600, &o.fetch.host_delay))
				goto bad_value;
			break;
		case O_PER_HOST:
			if (cli_parse_long(optarg, &v) || v < 1 || v > 64)
				goto bad_value;
			o.fetch.max_per_host = (int)v;
			break;
		case O_MAX_PAGES:
			if (cli_parse_long(optarg, &v) || v < 1)
				goto bad_value;
			o.max_pages = v;
			break;
		case O_MAX_DEPTH:
			if (cli_parse_long(optarg, &v) || v > 10000)
				goto bad_value;
			o.max_depth = (int)v;
			break;
		case O_MAX_LIST_PAGES:
			if (cli_parse_long(optarg, &v) || v < 1)
				goto bad_value;
			o.max_list_pages = v;
			break;
		case O_TIMEOUT:
			if (parse_seconds(optarg, 86400, &d) || d < 0.001)
				goto bad_value;
			o.fetch.timeout_ms = (long)(d * 1000);
			if (o.fetch.connect_timeout_ms > o.fetch.timeout_ms)
				o.fetch.connect_timeout_ms = o.fetch.timeout_ms;
			if (o.fetch.low_speed_time > (long)ceil(d))
				o.fetch.low_speed_time = (long)ceil(d);
			break;
		case O_TRIES:
			if (cli_parse_long(optarg, &v) || v < 1 || v > 20)
				goto bad_value;
			o.fetch.max_tries = (int)v;
			break;
		case O_BACKOFF:
			if (parse_seconds(optarg, 3600, &o.fetch.backoff_base))
				goto bad_value;
			break;
		case O_UA:
			o.fetch.user_agent = optarg;
			break;
		case O_REPORT_RE:
			o.links.report_pattern = optarg;
			break;
		case O_EXCLUDE_RE:
			o.links.exclude_pattern = optarg;
			break;
		case O_CONNECT_TO:
			ALLOC_GROW(connect, nconnect + 2, aconnect);
			connect[nconnect++] = optarg;
			connect[nconnect] = NULL;
			break;
		case O_KEEP_PARAM:
		case O_DROP_PARAM:
			if (!optarg[0] || strpbrk(optarg, "=&;/?#"))
				goto bad_value;
			if (opt == O_KEEP_PARAM) {
				ALLOC_GROW(keep, nkeep + 2, akeep);
				keep[nkeep++] = optarg;
				keep[nkeep] = NULL;
			} else {
				ALLOC_GROW(drop, ndrop + 2, adrop);
				drop[ndrop++] = optarg;
				drop[ndrop] = NULL;
			}
			break;
		case O_DRY_RUN:
			dry = 1;
			break;
		case O_TIME_LIMIT:
			if (parse_seconds(optarg, 30 * 86400, &o.time_limit) || o.time_limit <= 0)
				goto bad_value;
			break;
		case O_HOST_FAILURES:
			if (cli_parse_long(optarg, &v) || v > 1000000)
				goto bad_value;
			o.fetch.host_failures = (int)v;
			break;
		case O_LOG:
			if (!optarg[0])
				goto bad_value;
			cc.log_path = optarg;
			break;
		case O_JOBS: {
			size_t jobs;

			if (cli_parse_jobs(optarg, CRAWL_MAX_PARSE_THREADS, &jobs)) {
				ret = EXIT_USAGE;
				goto out;
			}
			o.parse_threads = (int)jobs;
			break;
		}
		case O_HELP:
		case 'h':
			cli_usage(stdout, usage_text);
			goto out;
		default:
			cli_usage(stderr, usage_text);
			ret = EXIT_USAGE;
			goto out;
		}
		continue;
bad_value:
		cli_error("crawl: bad value '%s' for --%s", optarg, longopts[opt - 1].name);
		ret = EXIT_USAGE;
		goto out;
	}
	if (optind != argc) {
		cli_error("crawl: unexpected argument '%s'", argv[optind]);
		cli_usage(stderr, usage_text);
		ret = EXIT_USAGE;
		goto out;
	}
	o.fetch.connect_to = connect;
	uo.keep = keep;
	uo.drop = drop;
	o.fetch.url = &uo;
	o.links.url = &uo;
	ret = cli_open_store(&cc.st, 0);
	if (ret)
		goto out;
	if (org || !nids) {
		ret = choose_seeds(cc.st, org, &ids, &nids, &aids);
		if (ret)
			goto out;
	}
	if (dry) {
		ret = dry_run(cc.st, ids, nids);
		goto out;
	}
	if (crawl_lock_acquire(&lock, cli_db_path, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (cc.log_path) {
		cc.log = fopen(cc.log_path, "a");
		if (!cc.log) {
			cli_error("crawl: cannot open '%s': %s", cc.log_path, strerror(errno));
			ret = EXIT_FAIL;
			goto out;
		}
		o.fetch.on_request = on_request;
		o.fetch.request_arg = &cc;
	}
	pipeline_init(&cc.pl, cc.st);
	cc.pl.on_event = on_event;
	cc.pl.arg = &cc;
	cc.show_progress = !cli_quiet && isatty(2);
	pipeline_crawl_hooks(&cc.pl, &o);
	o.progress = on_progress;
	o.committed = on_committed;
	o.host_event = on_host;
	o.arg = &cc;
	r = crawl_run(cc.st, ids, nids, &o, &sum, &e);
	clear_progress(&cc);
	{
		/* the crawl committed its pages: this frees the pictures' grids */
		struct err ignored = ERR_INIT;

		pipeline_finish(&cc.pl, &ignored);
	}
	if (r && e.code == OGI_ENOTFOUND) {
		cli_error("crawl: %s", e.msg);
		ret = EXIT_USAGE;
		goto out;
	}
	/* what the run did is said whatever ended it: the warehouse holds it */
	if (sum.run_id) {
		print_failures(cc.st, sum.run_id);
		ret = print_summary(&sum, &o, r ? e.msg : NULL);
		if (cc.log)
			log_run(&cc, &sum, r ? e.msg : NULL);
	}
	if (r)
		ret = cli_fail(&e);
out:
	if (cc.log && (ferror(cc.log) | fclose(cc.log))) {
		cli_error("crawl: cannot write '%s'", cc.log_path);
		if (ret == EXIT_OK || ret == EXIT_FOUND)
			ret = EXIT_FAIL;
	}
	buf_release(&cc.held);
	crawl_summary_release(&sum);
	crawl_lock_release(&lock);
	store_close(cc.st);
	free(ids);
	free(connect);
	free(keep);
	free(drop);
	return ret;
}
