/*
 * ogi check: runs every consistency rule on the selected reports, stores
 * the findings (so `ogi report flags` and the v_findings view see them)
 * and prints them.  Exit 0: nothing found; 1: findings; 2+: errors.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi check [--org TEXT] [--year Y] [--parent NAME] [--level L] [--id N]\n"
	"                 [--body N] [--all-versions] [--format text|csv|json|html] [--excel]\n"
	"\n"
	"Runs the rules of the format on the selected reports (every current report\n"
	"by default; --all-versions: superseded and excluded copies too) and stores\n"
	"the findings; on a warehouse this user cannot write (or a file without\n"
	"write permission) it stores nothing and says so:\n"
	"  T3-BALANCE   new + carried_over = total + carried_forward, per column\n"
	"  T3-ROWSUM    a row's total = the sum of its six applicant columns\n"
	"  T3-OUTCOMES  total = the sum of the outcome rows, per column\n"
	"  T4-BLOCK     each review/litigation block: total = the sum of its parts\n"
	"  NONNEG       counts are non-negative integers, amounts non-negative\n"
	"  YEAR-CARRY   carried_over = the previous year's carried_forward\n"
	"  TEXT-TABLE   figures the text states = the table\n"
	"Each finding names the report, the rule, the cells, the expected and the\n"
	"found values, and its kind: contradiction (the figures disagree), blank\n"
	"(fails only because a required cell is blank) or text.\n"
	"\n" CLI_FILTER_HELP
	"  --format F        text (default), csv, json or html\n"
	"  --excel           with csv: a BOM and CRLF line ends for Excel\n"
	"\n"
	"exit status: 0 no findings, 1 findings, 2 usage, 3 error, 4 warehouse busy\n";

enum { C_ID, C_ORG, C_YEAR, C_RULE, C_KIND, C_WHERE, C_EXP_EXPR, C_EXP, C_FOUND_EXPR, C_FOUND,
       C_CELLS, C_MESSAGE, C_SOURCE, NCOLS };

static const struct {
	const char *name;
	enum table_align align;
	int in_text;
} columns[NCOLS] = {
	[C_ID] = { "report_id", TA_RIGHT, 1 },
	[C_ORG] = { "organization", TA_LEFT, 1 },
	[C_YEAR] = { "year", TA_RIGHT, 1 },
	[C_RULE] = { "rule", TA_LEFT, 1 },
	[C_KIND] = { "kind", TA_LEFT, 1 },
	[C_WHERE] = { "applies_to", TA_LEFT, 1 },
	[C_EXP_EXPR] = { "expected_expr", TA_LEFT, 0 },
	[C_EXP] = { "expected", TA_RIGHT, 1 },
	[C_FOUND_EXPR] = { "found_expr", TA_LEFT, 0 },
	[C_FOUND] = { "found", TA_RIGHT, 1 },
	[C_CELLS] = { "cells", TA_LEFT, 0 },
	[C_MESSAGE] = { "message", TA_LEFT, 0 },
	[C_SOURCE] = { "source", TA_LEFT, 0 },
};

int cmd_check(int argc, char **argv)
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
	size_t n = 0, nfound = 0;
	size_t colidx[NCOLS];
	int opt, ret, readonly;

	report_filter_init(&f);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_common_option(opt, optarg, &f, &out, "check");

		if (r > 0)
			continue;
		ret = !r && opt == 'h' ? EXIT_OK : EXIT_USAGE;
		if (r >= 0)
			cli_usage(ret ? stderr : stdout, usage_text);
		goto out;
	}
	/* A warehouse that cannot be written is checked all the same: nothing is stored. */
	readonly = access(cli_db_path, F_OK) == 0 && !store_path_writable(cli_db_path);
	ret = cli_open_store(&st, readonly ? STORE_READONLY : 0);
	if (ret)
		goto out;
	if (readonly && !cli_quiet)
		cli_error("'%s' is read-only: the findings are printed, not stored", cli_db_path);
	t = table_new();
	for (size_t c = 0; c < NCOLS; c++)
		colidx[c] = out.format == TF_TEXT && !columns[c].in_text
				    ? (size_t)-1
				    : table_add_column(t, columns[c].name, columns[c].align);
	if (store_list_reports(st, &f, &ids, &n, &e) || (!readonly && store_begin(st, &e))) {
		ret = cli_fail(&e);
		goto out;
	}
	cli_filter_explain(st, &f, n);
	for (size_t i = 0; i < n; i++) {
		struct finding_list l;
		struct report r;
		struct report_info info;

		finding_list_init(&l);
		report_init(&r);
		if ((readonly ? pipeline_check_only(st, ids[i], &l, &e)
			      : pipeline_check_report(st, ids[i], &l, &e)) ||
		    store_get_report(st, ids[i], &r, &info, &e)) {
			finding_list_release(&l);
			report_release(&r);
			if (!readonly)
				store_rollback(st);
			ret = cli_fail(&e);
			goto out;
		}
		for (size_t k = 0; k < l.n; k++) {
			const struct finding *fd = &l.items[k];

			table_add_row(t);
			table_set_num(t, colidx[C_ID], (double)info.id);
			table_set_str(t, colidx[C_ORG], r.organization);
			if (r.year)
				table_set_num(t, colidx[C_YEAR], r.year);
			table_set_str(t, colidx[C_RULE], fd->rule);
			table_set_str(t, colidx[C_KIND], finding_kind_name(fd->kind));
			table_set_str(t, colidx[C_WHERE], fd->where);
			table_set_str(t, colidx[C_EXP_EXPR], fd->expected_expr);
			table_set_num(t, colidx[C_EXP], fd->expected);
			table_set_str(t, colidx[C_FOUND_EXPR], fd->found_expr);
			table_set_num(t, colidx[C_FOUND], fd->found);
			table_set_str(t, colidx[C_CELLS], fd->cells);
			table_set_str(t, colidx[C_MESSAGE], fd->message);
			table_set_str(t, colidx[C_SOURCE], info.location);
			nfound++;
		}
		finding_list_release(&l);
		report_release(&r);
	}
	if (!readonly && store_commit(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (out.format != TF_TEXT || nfound) {
		ret = cli_write_table(t, out.format, out.flags);
		if (ret)
			goto out;
	}
	if (out.format == TF_TEXT && !cli_quiet)
		fprintf(stderr, "%zu reports checked, %zu findings\n", n, nfound);
	ret = nfound ? EXIT_FOUND : EXIT_OK;
out:
	table_free(t);
	free(ids);
	store_close(st);
	report_filter_release(&f);
	return ret;
}
