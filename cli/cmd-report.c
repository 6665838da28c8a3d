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
#include "reports/refusals.h"
#include "reports/review.h"
#include "reports/section.h"
#include "reports/volumes.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi report volumes|refusals|compare|review|flags|all [options]\n"
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
	"\n"
	"compare uses --year Y, or the last year of --years A-B (A is the base of\n"
	"the change), or else the last year with reports.\n";

typedef int (*build_fn)(struct store *, const struct rq *, struct rsection *, struct err *);

static const struct {
	const char *name;
	build_fn build;
	const char *title;
} reports[] = {
	{ "volumes", volumes_build,
	  "Requests received and how they ended (收到和处理政府信息公开申请)" },
	{ "refusals", refusals_build, "Refusal grounds (不予公开、无法提供、不予处理)" },
	{ "compare", compare_build, "Bodies compared (对比)" },
	{ "review", review_build, "Administrative review and litigation (行政复议、行政诉讼)" },
	{ "flags", flags_build,
	  "Reports whose figures do not add up (勾稽关系) and missing reports" },
};
#define NREPORTS (sizeof(reports) / sizeof(reports[0]))

/* "a, b" of a list of strings. */
static void add_list(struct buf *b, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%s%s", i ? ", " : "", v[i]);
}

/* "parent 晋江市 · township · 2019-2023": what the page shows, for its subtitle. */
static void describe(struct buf *b, const struct report_filter *f)
{
	if (f->nparents) {
		buf_adds(b, "under ");
		add_list(b, f->parents, f->nparents);
	}
	if (f->nlevels) {
		buf_addf(b, "%slevel ", b->len ? " · " : "");
		add_list(b, f->levels, f->nlevels);
	}
	for (size_t i = 0; i < f->norgs; i++)
		buf_addf(b, "%sbodies named *%s*", i ? ", " : b->len ? " · " : "", f->orgs[i]);
	for (size_t i = 0; i < f->nbodies; i++)
		buf_addf(b, "%sbody %lld", i ? ", " : b->len ? " · " : "", (long long)f->bodies[i]);
	for (size_t i = 0; i < f->nids; i++)
		buf_addf(b, "%sreport %lld", i ? ", " : b->len ? " · " : "", (long long)f->ids[i]);
	if (f->nyears > 1) {
		for (size_t i = 0; i < f->nyears; i++) {
			buf_addf(b, "%s%d", i ? ", " : b->len ? " · " : "", f->years[i].from);
			if (f->years[i].to != f->years[i].from)
				buf_addf(b, "-%d", f->years[i].to);
		}
	} else if (f->year_from && f->year_from == f->year_to) {
		buf_addf(b, "%s%d", b->len ? " · " : "", f->year_from);
	} else if (f->year_from) {
		buf_addf(b, "%s%d-%d", b->len ? " · " : "", f->year_from, f->year_to);
	}
	if (f->all_versions)
		buf_addf(b, "%severy version", b->len ? " · " : "");
	if (!b->len)
		buf_adds(b, "every body and year in the warehouse");
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		CLI_OUTPUT_LONGOPTS,
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rq q;
	struct rsection secs[NREPORTS];
	size_t first = 0, n = 0;
	struct cli_output out = { TF_TEXT, 0 };
	struct store *st = NULL;
	struct err e = ERR_INIT;
	struct buf sub = BUF_INIT(BUF_NOLIMIT);
	const char *what;
	int opt, ret;

	memset(&q, 0, sizeof(q));
	report_filter_init(&q.f);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(argc < 2 ? stderr : stdout, usage_text);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	what = argv[1];
	if (!strcmp(what, "all")) {
		n = NREPORTS;
	} else {
		for (size_t i = 0; i < NREPORTS; i++)
			if (!strcmp(what, reports[i].name)) {
				first = i;
				n = 1;
			}
	}
	if (!n) {
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
		ret = !r && opt == 'h' ? EXIT_OK : EXIT_USAGE;
		if (r >= 0)
			cli_usage(ret ? stderr : stdout, usage_text);
		report_filter_release(&q.f);
		return ret;
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
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret) {
		report_filter_release(&q.f);
		return ret;
	}
	for (size_t i = 0; i < n; i++)
		rsection_init(&secs[i], reports[first + i].name, reports[first + i].title);
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
	describe(&sub, &q.f);
	if (rsection_write(stdout, secs, n, out.format, out.flags,
			   n == 1 ? secs[0].title : "Government information disclosure reports "
						   "(政府信息公开工作年度报告)",
			   buf_str(&sub))) {
		cli_error("cannot write output");
		ret = EXIT_FAIL;
	}
out:
	for (size_t i = 0; i < n; i++)
		rsection_release(&secs[i]);
	buf_release(&sub);
	store_close(st);
	report_filter_release(&q.f);
	return ret;
}
