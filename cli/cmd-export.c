/* ogi export: every figure in long form with its provenance, for R and pandas. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reports/export.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi export [--org TEXT] [--year Y] [--parent NAME] [--level L] [--id N]\n"
	"                  [--body N] [--all-versions] [--format csv|json|jsonl|xlsx]\n"
	"                  [--excel] [--output FILE]\n"
	"\n"
	"Writes every figure of the selected current reports (one per body and\n"
	"year; --all-versions: every stored report), one row per cell, with:\n"
	"report_id, organization, level, parent, year, format, tbl (2, 3, 4),\n"
	"row_key, col_key, key (the public key, e.g. granted/natural_person or\n"
	"review.upheld), value (empty or null when blank or not a number), blank (1\n"
	"when the cell was empty), raw (the text as published), location (the page\n"
	"or file the report is keyed by), fetched_at, and where the cell was read:\n"
	"how (label: its row's label named it; order: placed by the form's order;\n"
	"fix: a reviewer's value, see 'ogi fix'; empty: not recorded), inferred (1\n"
	"when its bounds were inferred), src_table, src_row, src_col (an HTML table\n"
	"cell, 0-based) or src_line, src_col (a line of text, 1-based line); then\n"
	"body_id, current (1, or 0 for a superseded or excluded copy) and source\n"
	"(where the figures were read: the page, or its chosen attachment).  Cells\n"
	"a page did not have are not written.\n"
	"\n" CLI_FILTER_HELP
	"  --format F        csv (default), json (an array, one object per line),\n"
	"                    jsonl (one object a line) or xlsx (an Excel workbook: a\n"
	"                    sheet per table t2, t3, t4 and the labels; numbers as\n"
	"                    numbers)\n"
	"  --excel           with csv: a BOM and CRLF line ends for Excel\n"
	"  --output FILE     write to FILE (xlsx: else to stdout through a file)\n";

/* Copies the workbook written to fd to stdout; 0 or -1 (said why). */
static int copy_out(int fd)
{
	char buf[65536];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0) {
		cli_error("cannot read the workbook back: %s", strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -1;
	if (n < 0) {
		cli_error("cannot read the workbook back: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_filter f;
	enum export_format fmt = EXPORT_CSV;
	unsigned flags = 0;
	const char *output = NULL;
	char tmp[] = "/tmp/ogi-export-XXXXXX";
	struct store *st = NULL;
	struct err e = ERR_INIT;
	FILE *out = stdout;
	int opt, ret = EXIT_USAGE, tmpfd = -1;
	int64_t *ids = NULL;
	size_t n = 0;

	report_filter_init(&f);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		int r = cli_filter_option(opt, optarg, &f);

		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		if (opt == OPT_FORMAT) {
			if (export_format_parse(optarg, &fmt)) {
				cli_error("export: unknown format '%s': want csv, json, jsonl or xlsx",
					  optarg);
				goto out;
			}
		} else if (opt == OPT_EXCEL) {
			flags |= TABLE_EXCEL;
		} else if (opt == 'o') {
			output = optarg;
		} else if (opt == 'h') {
			cli_usage(stdout, usage_text);
			ret = EXIT_OK;
			goto out;
		} else {
			cli_usage(stderr, usage_text);
			goto out;
		}
	}
	if (optind < argc) {
		cli_error("export: unexpected argument '%s'", argv[optind]);
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
	if (fmt == EXPORT_XLSX && !output) {
		/* libxlsxwriter writes a file: a temporary one, then copied to stdout */
		tmpfd = mkstemp(tmp);
		if (tmpfd < 0) {
			cli_error("cannot create a temporary file: %s", strerror(errno));
			ret = EXIT_FAIL;
			goto out;
		}
	} else if (output && fmt != EXPORT_XLSX) {
		out = fopen(output, "w");
		if (!out) {
			cli_error("cannot write '%s': %s", output, strerror(errno));
			out = stdout;
			ret = EXIT_FAIL;
			goto out;
		}
	}
	if (export_write(st, &f, out, output ? output : tmp, fmt, flags, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (tmpfd >= 0 && copy_out(tmpfd)) {
		ret = EXIT_FAIL;
		goto out;
	}
	ret = EXIT_OK;
out:
	if (out != stdout && fclose(out) && !ret) {
		cli_error("cannot write '%s': %s", output, strerror(errno));
		ret = EXIT_FAIL;
	}
	if (tmpfd >= 0) {
		close(tmpfd);
		unlink(tmp);
	}
	free(ids);
	store_close(st);
	report_filter_release(&f);
	return ret;
}
