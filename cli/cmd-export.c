/* ogi export: every figure in long form with its provenance, for R and pandas. */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/export.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi export [--org TEXT] [--year Y] [--parent NAME] [--level L] [--id N]\n"
	"                  [--format csv|json] [--excel]\n"
	"\n"
	"Writes every stored figure of the selected reports (all of them, superseded\n"
	"ones too), one row per cell, with: report_id, organization, level, parent,\n"
	"year, format, table (2, 3, 4), row_key, col_key, key (the public key, e.g.\n"
	"granted/natural_person or review.upheld), value (empty or null when blank\n"
	"or not a number), blank (1 when the cell was empty), raw (the text as\n"
	"published), source (URL or path), fetched_at, and where the cell was read:\n"
	"how (label: its row's label named it; order: placed by the form's order;\n"
	"empty: not recorded), inferred (1 when its bounds were inferred), src_table,\n"
	"src_row, src_col (an HTML table cell, 0-based) or src_line, src_col (a\n"
	"line of text, 1-based line).  Cells a page did not have are not written.\n"
	"\n" CLI_FILTER_HELP
	"  --format F        csv (default) or json (an array, one object per line)\n"
	"  --excel           with csv: a BOM and CRLF line ends for Excel\n";

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		CLI_OUTPUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_filter f = { 0 };
	struct cli_output out = { TF_CSV, 0 };
	struct store *st = NULL;
	struct err e = ERR_INIT;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_common_option(opt, optarg, &f, &out, "export");

		if (r > 0)
			continue;
		if (!r && opt == 'h') {
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		}
		cli_usage(stderr, usage_text);
		return EXIT_USAGE;
	}
	if (out.format != TF_CSV && out.format != TF_JSON) {
		cli_error("export: format must be csv or json");
		return EXIT_USAGE;
	}
	if (optind < argc) {
		cli_error("export: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret)
		return ret;
	if (export_write(st, &f, stdout, out.format, out.flags, &e))
		ret = cli_fail(&e);
	store_close(st);
	return ret;
}
