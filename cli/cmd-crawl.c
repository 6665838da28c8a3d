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
#include "pipeline/pipeline.h"
#include "store/crawl.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Failed URLs printed after a run (all of them with --verbose). */
#define SHOW_FAILED 20

static const char usage_text[] =
	"usage: ogi crawl [--seed ID]... [--org TEXT] [--delay S] [--per-host N]\n"
	"                 [--max-pages N] [--max-depth N] [--timeout S] [--tries N]\n"
	"                 [--backoff S] [--user-agent UA] [--report-pattern RE]\n"
	"                 [--exclude-pattern RE] [--connect-to HOST:PORT:HOST2:PORT2]...\n"
	"                 [--keep-param NAME]... [--drop-param NAME]... [--dry-run]\n"
	"\n"
	"Crawls every seed (see 'ogi seed'), or the chosen ones: from a listing page,\n"
	"its pagination (下一页/尾页, numbered links, index_N.html pages, createPageHTML,\n"
	"?page=N) and the links naming an annual information-disclosure report; report\n"
	"pages are stored and parsed in the same run; the PDF and Word files they and\n"
	"the listings link (in scope) are fetched and read too, a file of the same\n"
	"report as its page kept as one more source of that report.\n"
	"Stays on the seed's host (and scope); obeys robots.txt.  Listing pages are\n"
	"fetched every run, report pages conditionally (ETag, Last-Modified): an\n"
	"unchanged page leaves its report as it is.  Failed URLs are recorded with\n"
	"the reason and tried again next run.  Every result is committed as it\n"
	"arrives: a killed crawl, run again, resumes where it stopped.\n"
	"\n"
	"  --seed ID         crawl this seed (repeatable); default: every seed\n"
	"  --org TEXT        crawl the seeds whose organization contains TEXT\n"
	"  --delay S         seconds between requests to one host (default 1; a\n"
	"                    larger robots.txt Crawl-delay wins)\n"
	"  --per-host N      requests in flight per host (default 1)\n"
	"  --max-pages N     URLs fetched per seed and run (default 1000)\n"
	"  --max-depth N     pagination hops from the seed (default 20)\n"
	"  --timeout S       whole-request time limit in seconds (default 120)\n"
	"  --tries N         tries per URL on timeouts, 429 and 5xx (default 3)\n"
	"  --backoff S       wait before the first retry, doubled each time (default 2)\n"
	"  --user-agent UA   the User-Agent sent (default: ogi/0.1 with a contact URL)\n"
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
	"  --dry-run         list what would be fetched first, fetch nothing: one line\n"
	"                    a URL: seed id, kind, conditional header or -, URL\n"
	"\n"
	"Prints each report stored, then a summary per seed.  Progress goes to\n"
	"stderr when it is a terminal.  Exit status: 0 ok; 1 a seed failed completely\n"
	"(its own page could not be fetched); 2 usage; 3 warehouse error; 4 another\n"
	"crawl is running on the warehouse.\n";

/* In the order of longopts[] in cmd_crawl, which names them in messages. */
enum {
	O_SEED = 1, O_ORG, O_DELAY, O_PER_HOST, O_MAX_PAGES, O_MAX_DEPTH, O_TIMEOUT, O_TRIES,
	O_BACKOFF, O_UA, O_REPORT_RE, O_EXCLUDE_RE, O_CONNECT_TO, O_KEEP_PARAM, O_DROP_PARAM,
	O_DRY_RUN, O_HELP
};

struct crawl_cli {
	struct store *st;
	struct pipeline pl;
	int show_progress;
	int progress_on_screen;
	double last_progress;
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

/* A report page stored (or not a report): its line, above the progress line. */
static void on_event(const struct pipeline_event *ev, void *arg)
{
	struct crawl_cli *cc = arg;

	clear_progress(cc);
	cli_print_event(ev);
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
	/* One line a URL, never cut: "seed kind conditional url", tab-separated. */
	for (size_t i = 0; i < l.n; i++) {
		const struct frontier_url *u = &l.v[i];
		int cond = u->sha256[0] && (u->etag || u->last_modified);

		cli_printf("%lld\t%s\t%s\t%s\n", (long long)u->seed_id,
			   store_frontier_kind_name(u->kind),
			   !cond ? "-" : u->etag ? "if-none-match" : "if-modified-since", u->url);
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

/* The summary on stdout; returns EXIT_FOUND when a seed failed completely. */
static int print_summary(const struct crawl_summary *s, int write_table)
{
	struct table *t = table_new();
	struct crawl_counts tot;
	int ret = EXIT_OK;

	memset(&tot, 0, sizeof(tot));
	table_add_column(t, "seed", TA_RIGHT);
	table_add_column(t, "organization", TA_LEFT);
	table_add_column(t, "listing", TA_RIGHT);
	table_add_column(t, "reports", TA_RIGHT);
	table_add_column(t, "attachments", TA_RIGHT);
	table_add_column(t, "new", TA_RIGHT);
	table_add_column(t, "changed", TA_RIGHT);
	table_add_column(t, "unchanged", TA_RIGHT);
	table_add_column(t, "failed", TA_RIGHT);
	table_add_column(t, "skipped", TA_RIGHT);
	table_add_column(t, "no_tables", TA_RIGHT);
	table_add_column(t, "attachment_only", TA_RIGHT);
	for (size_t i = 0; i < s->nseeds; i++) {
		const struct crawl_seed_result *r = &s->seeds[i];
		const struct crawl_counts *c = &r->counts;
		const long v[] = { c->listing, c->reports, c->attachments, c->new_reports,
				   c->changed, c->unchanged, c->failed, c->skipped, c->no_tables,
				   c->attachment_only };

		table_add_row(t);
		table_set_num(t, 0, (double)r->seed.id);
		table_set_str(t, 1, r->seed.org);
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
			table_set_num(t, 2 + k, (double)v[k]);
		tot.new_reports += c->new_reports;
		tot.changed += c->changed;
		tot.unchanged += c->unchanged;
		tot.failed += c->failed;
		tot.listing += c->listing;
		tot.reports += c->reports;
		tot.attachments += c->attachments;
		if (r->budget_hit && !cli_quiet)
			cli_error("seed %lld (%s): --max-pages reached; the other URLs wait for the "
				  "next run", (long long)r->seed.id, r->seed.org);
		if (c->seed_failed) {
			cli_error("seed %lld (%s) failed: '%s' could not be fetched",
				  (long long)r->seed.id, r->seed.org, r->seed.url);
			ret = EXIT_FOUND;
		}
	}
	if (write_table) {
		if (cli_write_table(t, TF_TEXT, 0)) {
			table_free(t);
			return EXIT_FAIL;
		}
		char att[48] = "";

		/* new, changed and unchanged count attachments as report pages */
		if (tot.attachments)
			snprintf(att, sizeof(att), ", %ld attachments", tot.attachments);
		printf("crawl run %lld%s: %zu seeds, %ld listing and %ld report pages%s, "
		       "%lu requests in %.1f s: %ld new reports, %ld changed, %ld unchanged, "
		       "%ld failed\n",
		       (long long)s->run_id, s->resumed ? " (resumed)" : "", s->nseeds, tot.listing,
		       tot.reports, att, s->fetch.requests, s->elapsed, tot.new_reports, tot.changed,
		       tot.unchanged, tot.failed);
	}
	table_free(t);
	return ret;
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
	memset(&cc, 0, sizeof(cc));
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
	pipeline_init(&cc.pl, cc.st);
	cc.pl.on_event = on_event;
	cc.pl.arg = &cc;
	cc.show_progress = !cli_quiet && isatty(2);
	pipeline_crawl_hooks(&cc.pl, &o);
	o.progress = on_progress;
	o.arg = &cc;
	r = crawl_run(cc.st, ids, nids, &o, &sum, &e);
	clear_progress(&cc);
	if (r) {
		if (e.code == OGI_ENOTFOUND) {
			cli_error("crawl: %s", e.msg);
			ret = EXIT_USAGE;
		} else {
			ret = cli_fail(&e);
		}
		goto out;
	}
	print_failures(cc.st, sum.run_id);
	ret = print_summary(&sum, !cli_quiet);
out:
	crawl_summary_release(&sum);
	crawl_lock_release(&lock);
	store_close(cc.st);
	free(ids);
	free(connect);
	free(keep);
	free(drop);
	return ret;
}
