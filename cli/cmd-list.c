/* ogi list: the reports in the warehouse, one line each. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi list [--org TEXT] [--year Y] [--parent NAME] [--level L]\n"
	"                [--format text|csv|json|html] [--excel]\n"
	"\n"
	"Lists the stored reports: id, body, level, parent, year, format, status,\n"
	"what could not be read, the page it came from, and why it has no tables\n"
	"when that is known (image: its tables are images).\n"
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
	struct report_filter f = { 0 };
	struct cli_output out = { TF_TEXT, 0 };
	struct store *st = NULL;
	struct table *t = NULL;
	struct err e = ERR_INIT;
	int64_t *ids = NULL;
	size_t n = 0;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_common_option(opt, optarg, &f, &out, "list");

		if (r > 0)
			continue;
		if (!r && opt == 'h') {
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		}
		cli_usage(stderr, usage_text);
		return EXIT_USAGE;
	}
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret)
		return ret;
	if (store_list_reports(st, &f, &ids, &n, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	t = table_new();
	table_add_column(t, "id", TA_RIGHT);
	table_add_column(t, "organization", TA_LEFT);
	table_add_column(t, "level", TA_LEFT);
	table_add_column(t, "parent", TA_LEFT);
	table_add_column(t, "year", TA_RIGHT);
	table_add_column(t, "format", TA_LEFT);
	table_add_column(t, "status", TA_LEFT);
	table_add_column(t, "missing", TA_LEFT);
	table_add_column(t, "source", TA_LEFT);
	/* added later: after every older column, so that none a script reads has moved */
	table_add_column(t, "reason", TA_LEFT);
	for (size_t i = 0; i < n; i++) {
		struct report r;
		struct report_info info;

		report_init(&r);
		if (store_get_report(st, ids[i], &r, &info, &e)) {
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
		report_release(&r);
	}
	ret = cli_write_table(t, out.format, out.flags);
out:
	table_free(t);
	free(ids);
	store_close(st);
	return ret;
}
