/*
 * ogi report volumes|refusals|compare|review|flags|all: the figures of the
 * warehouse for journalists, researchers and supervisors, as a terminal
 * table, CSV, JSON or a self-contained HTML page with charts.  The
 * builders live in reports/; this file parses options and writes.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/compare.h"
#include "reports/flags.h"
#include "reports/html.h"
#include "reports/page.h"
#include "reports/refusals.h"
#include "reports/review.h"
#include "reports/section.h"
#include "reports/site.h"
#include "reports/volumes.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi report volumes|refusals|compare|review|flags|all [options]\n"
	"       ogi report show ID [--format html] [--lang en]\n"
	"       ogi report site DIR [options]\n"
	"\n"
	"  volumes   per body and year: requests received (new, carried over) by type\n"
	"            of applicant, how they ended, the rates, and table 2's figures\n"
	"            (documents issued, licensing, penalties, coercion, fees)\n"
	"  refusals  each refusal ground (refused.*, unable.*, rejected.*) as a count\n"
	"            and a share, per body and year, and summed over the bodies shown\n"
	"  compare   the bodies side by side for one year, with a (total) row, the\n"
	"            rates and a rank; with --years A-B also the change since A\n"
	"  review    administrative review and litigation (table 4) per body, year\n"
	"            and block, with the share corrected\n"
	"  flags     every report with findings of 'ogi check', and each body of the\n"
	"            selection without a report for a year ('no report')\n"
	"  all       every report above (HTML: one page; text: one after the other)\n"
	"  show ID   one report's page (HTML): the three tables as the form prints\n"
	"            them, the cells of each finding highlighted with the rule\n"
	"  site DIR  a static site of the selection in DIR: index.html (overview,\n"
	"            flags), bodies/ID.html, reports/ID.html, data/*.csv behind\n"
	"            every chart; plain files that work from file:// or any server\n"
	"\n"
	"Text and HTML speak the form's own words (予以公开, 不予公开, ...), counts as\n"
	"integers, rates with one decimal and %; --lang en prints the canonical keys.\n"
	"CSV and JSON are data: keys, plain numbers, and every row says whose it is\n"
	"(body_id, organization, level, parent, year, report_id, source) and row_kind\n"
	"(body, or total for a row that sums the bodies shown).\n"
	"\n"
	"How the figures are read (the same for every report):\n"
	"  - one report per body and year: the newest one stored;\n"
	"  - a table-3 row's figure is its 总计 cell, or the sum of its applicant\n"
	"    cells when that cell is blank; a table-4 total likewise;\n"
	"  - blank cells count as 0; when a report lacks a cell a figure needs,\n"
	"    the figure is empty (null in JSON), never 0;\n"
	"  - grant_pct   = 100 * (granted + partial) / total handled;\n"
	"    refusal_pct = 100 * refused.* / total handled;\n"
	"    share_pct   = 100 * a ground / total handled;\n"
	"    corrected_pct = 100 * corrected / the block's total;\n"
	"    all rounded to one decimal, empty when the total is 0;\n"
	"  - (total) rows sum the bodies shown (empty figures left out); their\n"
	"    rates are the rates of the sums.\n"
	"\n" CLI_FILTER_HELP
	"  --by MEASURE      compare: rank by MEASURE (default new); one of the\n"
	"                    measure columns, e.g. total, refused, grant_pct\n"
	"  --format F        text (default), csv, json or html (a whole page)\n"
	"  --excel           with csv: a BOM and CRLF line ends for Excel\n"
	"  --lang L          zh (default: the form's words) or en (the keys)\n"
	"\n"
	"compare uses --year Y, or the last year of --years A-B (A is the base of\n"
	"the change), or else the default year: the latest year for which most of\n"
	"the bodies selected have a report (the note says which and why).  The\n"
	"(total) change counts only the bodies with a report in both years (like\n"
	"for like) and says how many were left out.  The charts use the same\n"
	"default year.\n";

typedef int (*build_fn)(struct store *, const struct rq *, struct rsection *, struct err *);

static const struct {
	const char *name;
	build_fn build;
	const char *title;	/* --lang en */
	const char *title_zh;
} reports[] = {
	{ "volumes", volumes_build,
	  "Requests received and how they ended (收到和处理政府信息公开申请)",
	  "收到和处理政府信息公开申请情况" },
	{ "refusals", refusals_build, "Refusal grounds (不予公开、无法提供、不予处理)",
	  "不予公开、无法提供、不予处理的理由" },
	{ "compare", compare_build, "Bodies compared (对比)", "各单位对比" },
	{ "review", review_build, "Administrative review and litigation (行政复议、行政诉讼)",
	  "行政复议、行政诉讼情况" },
	{ "flags", flags_build,
	  "Reports whose figures do not add up (勾稽关系) and missing reports",
	  "勾稽关系不符的报告与缺失的报告" },
};
#define NREPORTS (sizeof(reports) / sizeof(reports[0]))

/* "a, b" of a list of strings. */
static void add_list(struct buf *b, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%s%s", i ? ", " : "", v[i]);
}

/* "parent 晋江市 · township · 2019-2023": what the page shows, for its subtitle. */
static void describe(struct buf *b, const struct report_filter *f, int en)
{
	if (f->nparents) {
		buf_adds(b, en ? "under " : "");
		add_list(b, f->parents, f->nparents);
		if (!en)
			buf_adds(b, "所属");
	}
	if (f->nlevels) {
		buf_addf(b, "%s%s", b->len ? " · " : "", en ? "level " : "");
		for (size_t i = 0; i < f->nlevels; i++)
			buf_addf(b, "%s%s", i ? ", " : "",
				 en ? f->levels[i] : words_value(f->levels[i], RL_ZH));
	}
	for (size_t i = 0; i < f->norgs; i++)
		buf_addf(b, en ? "%sbodies named *%s*" : "%s名称含“%s”的单位",
			 i ? ", " : b->len ? " · " : "", f->orgs[i]);
	for (size_t i = 0; i < f->nbodies; i++)
		buf_addf(b, en ? "%sbody %lld" : "%s单位 %lld", i ? ", " : b->len ? " · " : "",
			 (long long)f->bodies[i]);
	for (size_t i = 0; i < f->nids; i++)
		buf_addf(b, en ? "%sreport %lld" : "%s报告 %lld", i ? ", " : b->len ? " · " : "",
			 (long long)f->ids[i]);
	if (f->nyears > 1) {
		for (size_t i = 0; i < f->nyears; i++) {
			buf_addf(b, "%s%d", i ? ", " : b->len ? " · " : "", f->years[i].from);
			if (f->years[i].to != f->years[i].from)
				buf_addf(b, "-%d", f->years[i].to);
		}
		if (!en)
			buf_adds(b, "年");
	} else if (f->year_from && f->year_from == f->year_to) {
		buf_addf(b, en ? "%s%d" : "%s%d年", b->len ? " · " : "", f->year_from);
	} else if (f->year_from) {
		buf_addf(b, en ? "%s%d-%d" : "%s%d–%d年", b->len ? " · " : "", f->year_from,
			 f->year_to);
	}
	if (f->all_versions)
		buf_addf(b, "%s%s", b->len ? " · " : "", en ? "every version" : "全部版本");
	if (!b->len)
		buf_adds(b, en ? "every body and year in the warehouse" : "库中全部单位和年度");
}

/* ogi report show ID: one report's page. */
static int show(struct rq *q, int64_t id)
{
	struct store *st = NULL;
	struct buf page = BUF_INIT(BUF_NOLIMIT);
	struct err e = ERR_INIT;
	int ret = cli_open_store(&st, STORE_READONLY);

	if (ret)
		return ret;
	ret = page_report(&page, st, id, q, &e);
	if (ret)
		ret = cli_fail(&e);
	else if (fwrite(page.ptr, 1, page.len, stdout) != page.len)
		ret = EXIT_FAIL;
	buf_release(&page);
	store_close(st);
	return ret;
}

/* ogi report site DIR. */
static int site(struct rq *q, const char *dir)
{
	struct store *st = NULL;
	struct site_stats stats;
	struct err e = ERR_INIT;
	int ret = cli_open_store(&st, STORE_READONLY);

	if (ret)
		return ret;
	if (site_write(st, q, dir, &stats, &e))
		ret = cli_fail(&e);
	else if (!cli_quiet)
		cli_fprintf(stderr, "site in %s: %zu pages (%zu bodies, %zu reports), %zu files\n",
			    dir, stats.pages, stats.bodies, stats.reports, stats.files);
	store_close(st);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		CLI_OUTPUT_LONGOPTS,
		{ "by", required_argument, NULL, 'b' },
		{ "lang", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rq q;
	struct rsection secs[NREPORTS];
	size_t first = 0, n = 0;
	struct cli_output out = { TF_TEXT, 0 };
	struct store *st = NULL;
	struct err e = ERR_INIT;
	struct buf subtitle = BUF_INIT(BUF_NOLIMIT);
	const char *what, *arg = NULL;
	struct html_frame fr;
	int opt, ret, sub = 0;

	memset(&q, 0, sizeof(q));
	report_filter_init(&q.f);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(argc < 2 ? stderr : stdout, usage_text);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	what = argv[1];
	if (!strcmp(what, "show") || !strcmp(what, "site")) {
		sub = 1;
		n = 0;
	} else if (!strcmp(what, "all")) {
		n = NREPORTS;
	} else {
		for (size_t i = 0; i < NREPORTS; i++)
			if (!strcmp(what, reports[i].name)) {
				first = i;
				n = 1;
			}
	}
	if (!n && !sub) {
		cli_error("report: unknown report '%s'; see 'ogi report --help'", what);
		return EXIT_USAGE;
	}
	optind = 1;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
		int r = cli_common_option(opt, optarg, &q.f, &out, "report");

		if (r > 0)
			continue;
		if (!r && opt == 'b') {
			q.by = optarg;
			continue;
		}
		if (opt == 'L') {
			if (words_lang_parse(optarg, &q.lang)) {
				cli_error("report: unknown language '%s': zh or en", optarg);
				report_filter_release(&q.f);
				return EXIT_USAGE;
			}
			continue;
		}
		ret = !r && opt == 'h' ? EXIT_OK : EXIT_USAGE;
		if (r >= 0)
			cli_usage(ret ? stderr : stdout, usage_text);
		report_filter_release(&q.f);
		return ret;
	}
	if (sub) {
		long id;

		ret = EXIT_USAGE;
		if (optind + 1 != argc - 1) {
			cli_error("report %s: name %s", what, !strcmp(what, "show") ? "one report id"
										   : "one folder");
			goto out;
		}
		arg = argv[optind + 1];
		q.format = TF_HTML;
		q.charts = 1;
		if (!strcmp(what, "site")) {
			ret = site(&q, arg);
		} else if (out.format != TF_HTML && out.format != TF_TEXT) {
			cli_error("report show: html only (ogi show prints text and json)");
		} else if (cli_parse_long(arg, &id) || !id) {
			cli_error("report show: '%s' is not a report id", arg);
		} else {
			ret = show(&q, id);
		}
		goto out;
	}
	ret = EXIT_USAGE;
	if (optind < argc - 1) {
		cli_error("report: unexpected argument '%s'", argv[optind + 1]);
		report_filter_release(&q.f);
		return ret;
	}
	if (out.format == TF_CSV && n > 1) {
		cli_error("report all: csv holds one table; ask for one report, or json or html");
		report_filter_release(&q.f);
		return ret;
	}
	q.charts = out.format == TF_HTML;
	q.format = out.format;
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret) {
		report_filter_release(&q.f);
		return ret;
	}
	for (size_t i = 0; i < n; i++)
		rsection_init(&secs[i], reports[first + i].name,
			      q.lang == RL_EN ? reports[first + i].title : reports[first + i].title_zh);
	{
		int64_t *ids = NULL;
		size_t nids = 0;

		if (store_list_reports(st, &q.f, &ids, &nids, &e)) {
			ret = cli_fail(&e);
			free(ids);
			goto out;
		}
		cli_filter_explain(st, &q.f, nids);
		free(ids);
	}
	for (size_t i = 0; i < n; i++) {
		if (reports[first + i].build(st, &q, &secs[i], &e)) {
			ret = cli_fail(&e);
			goto out;
		}
	}
	describe(&subtitle, &q.f, q.lang == RL_EN);
	fr.title = n == 1 ? secs[0].title
			  : q.lang == RL_EN ? "Government information disclosure reports "
					      "(政府信息公开工作年度报告)"
					    : "政府信息公开工作年度报告";
	fr.subtitle = buf_str(&subtitle);
	fr.crumbs = NULL;
	fr.en = q.lang == RL_EN;
	if (rsection_write(stdout, secs, n, out.format, out.flags, &fr)) {
		cli_error("cannot write output");
		ret = EXIT_FAIL;
	}
out:
	for (size_t i = 0; i < n; i++)
		rsection_release(&secs[i]);
	buf_release(&subtitle);
	store_close(st);
	report_filter_release(&q.f);
	return ret;
}
