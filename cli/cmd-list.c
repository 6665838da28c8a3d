/* ogi list: the reports in the warehouse, one line each. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/correct.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi list [--org TEXT] [--year Y] [--parent NAME] [--level L] [--id N]\n"
	"                [--body N] [--all-versions] [--format text|csv|json|html] [--excel]\n"
	"\n"
	"Lists the current reports (one per body and year; --all-versions: every\n"
	"stored report): report_id, body, level, parent, year, format, status, what\n"
	"could not be read, the location (page or file) it is keyed by, why it has\n"
	"no tables when that is known (image: its tables are images), the source\n"
	"its figures were read from, body_id, current (1, or 0 for a superseded or\n"
	"excluded copy), excluded (1 or 0) and excluded_why.\n"
	"\n" CLI_FILTER_HELP
	"  --format F        text (default), csv, json or html\n"
	"  --excel           with csv: a BOM and CRLF line ends for Excel\n";

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		CLI_OUTPUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_filter f;
	struct cli_output out = { TF_TEXT, 0 };
	struct store *st = NULL;
	struct table *t = NULL;
	struct err e = ERR_INIT;
	int64_t *ids = NULL;
	size_t n = 0;
	int opt, ret;

	report_filter_init(&f);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_common_option(opt, optarg, &f, &out, "list");

		if (r > 0)
			continue;
		ret = !r && opt == 'h' ? EXIT_OK : EXIT_USAGE;
		if (r >= 0)
			cli_usage(ret ? stderr : stdout, usage_text);
		goto out;
	}
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret)
		goto out;
	if (store_list_reports(st, &f, &ids, &n, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	cli_filter_explain(st, &f, n);
	t = table_new();
	table_add_column(t, "report_id", TA_RIGHT);
	table_add_column(t, "organization", TA_LEFT);
	table_add_column(t, "level", TA_LEFT);
	table_add_column(t, "parent", TA_LEFT);
	table_add_column(t, "year", TA_RIGHT);
	table_add_column(t, "format", TA_LEFT);
	table_add_column(t, "status", TA_LEFT);
	table_add_column(t, "missing", TA_LEFT);
	table_add_column(t, "location", TA_LEFT);
	/* added later: after every older column, so that none a script reads has moved */
	table_add_column(t, "reason", TA_LEFT);
	table_add_column(t, "source", TA_LEFT);
	table_add_column(t, "body_id", TA_RIGHT);
	table_add_column(t, "current", TA_RIGHT);
	table_add_column(t, "excluded", TA_RIGHT);
	table_add_column(t, "excluded_why", TA_LEFT);
	for (size_t i = 0; i < n; i++) {
		struct report r;
		struct report_info info;
		struct report_source_list sources = { 0 };
		char *why = NULL;

		report_init(&r);
		if (store_get_report(st, ids[i], &r, &info, &e) ||
		    store_report_sources(st, ids[i], &sources, &e) ||
		    store_report_excluded(st, ids[i], &why, &e)) {
			report_release(&r);
			store_report_source_list_release(&sources);
			ret = cli_fail(&e);
			goto out;
		}
		table_add_row(t);
		table_set_num(t, 0, (double)info.id);
		table_set_str(t, 1, r.organization);
		table_set_str(t, 2, r.level);
		table_set_str(t, 3, r.parent);
		if (r.year)
			table_set_num(t, 4, r.year);
		table_set_str(t, 5, fmt_version_name(r.format));
		table_set_str(t, 6, report_status_name(r.status));
		table_set_str(t, 7, r.missing);
		table_set_str(t, 8, info.location);
		table_set_str(t, 9, report_reason_name(r.reason));
		/* the chosen source comes first */
		table_set_str(t, 10, sources.n ? sources.v[0].location : info.location);
		table_set_num(t, 11, (double)info.body_id);
		table_set_num(t, 12, info.current);
		table_set_num(t, 13, why != NULL);
		table_set_str(t, 14, why);
		free(why);
		store_report_source_list_release(&sources);
		report_release(&r);
	}
	ret = cli_write_table(t, out.format, out.flags);
out:
	table_free(t);
	free(ids);
	store_close(st);
	report_filter_release(&f);
	return ret;
}
