/*
 * ogi fix REPORT KEY VALUE --why TEXT: a reviewer's value of one cell,
 * stored apart from what the parser read and written over it whenever the
 * report is stored again (reparse, re-crawl), shown as a fix ('ogi show':
 * marked *, provenance how "fix"; export and views: how = 'fix'; v_fixes).
 * The report's checks run again.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "store/correct.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi fix REPORT KEY VALUE --why TEXT\n"
	"       ogi fix REPORT KEY --remove\n"
	"       ogi fix --list [REPORT] [--format text|csv|json|html]\n"
	"\n"
	"Sets the value of one cell of report REPORT (an id from 'ogi list') as a\n"
	"reviewer read it: KEY is a canonical key of the report's format, as 'ogi\n"
	"labels' lists them (rules.issued, granted/total, review.upheld, or\n"
	"t3.granted.total as 'ogi show --format json' names provenance); VALUE a\n"
	"number, or 'blank'.  What the parser read is kept: 'ogi show' prints both,\n"
	"and --remove puts it back.  The fix holds across 'ogi reparse' and\n"
	"re-crawls; the report's checks (and the next year's YEAR-CARRY) run again.\n";

/* The field of format v that key names ("granted/total" or "t3.granted.total"), or NULL. */
static const struct fmt_field *find_field(enum fmt_version v, const char *key)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(v, &n);

	for (size_t i = 0; i < n; i++) {
		char alt[FMT_PATH_SIZE];

		fmt_field_path(f[i].table, f[i].row->key, f[i].col->key, alt);
		if (!strcmp(f[i].key, key) || !strcmp(alt, key))
			return &f[i];
	}
	return NULL;
}

static int list_fixes(struct store *st, int64_t report_id, const struct cli_output *out)
{
	struct fix_list l = { 0 };
	struct table *t;
	struct err e = ERR_INIT;
	int ret;

	if (store_fixes(st, report_id, &l, &e))
		return cli_fail(&e);
	t = table_new();
	table_add_column(t, "report_id", TA_RIGHT);
	table_add_column(t, "key", TA_LEFT);
	table_add_column(t, "value", TA_RIGHT);
	table_add_column(t, "parsed_state", TA_LEFT);
	table_add_column(t, "parsed_value", TA_RIGHT);
	table_add_column(t, "why", TA_LEFT);
	table_add_column(t, "fixed_at", TA_LEFT);
	for (size_t i = 0; i < l.n; i++) {
		const struct fix *x = &l.v[i];

		table_add_row(t);
		table_set_num(t, 0, (double)x->report_id);
		table_set_str(t, 1, x->key);
		if (x->state == VAL_NUMBER)
			table_set_num(t, 2, x->value);
		table_set_str(t, 3, x->parsed_state == VAL_NUMBER    ? "number"
				    : x->parsed_state == VAL_BLANK   ? "blank"
				    : x->parsed_state == VAL_INVALID ? "invalid" : "absent");
		if (x->parsed_state == VAL_NUMBER)
			table_set_num(t, 4, x->parsed_value);
		table_set_str(t, 5, x->why);
		table_set_str(t, 6, x->fixed_at);
	}
	ret = cli_write_table(t, out->format, out->flags);
	table_free(t);
	store_fix_list_release(&l);
	return ret;
}

int cmd_fix(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "why", required_argument, NULL, 'w' },
		{ "remove", no_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		CLI_OUTPUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_output out = { TF_TEXT, 0 };
	struct report_filter unused;
	const char *why = NULL;
	struct store *st = NULL;
	struct report r;
	struct err e = ERR_INIT;
	const struct fmt_field *fld;
	enum value_state state = VAL_NUMBER;
	double value = 0;
	long id = 0;
	int opt, ret, remove = 0, list = 0, removed = 0;

	report_init(&r);
	report_filter_init(&unused);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int c = cli_common_option(opt, optarg, &unused, &out, "fix");

		if (c > 0)
			continue;
		if (c < 0)
			return EXIT_USAGE;
		if (opt == 'w') {
			why = optarg;
		} else if (opt == 'r') {
			remove = 1;
		} else if (opt == 'l') {
			list = 1;
		} else if (opt == 'h') {
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		} else {
			cli_usage(stderr, usage_text);
			return EXIT_USAGE;
		}
	}
	report_filter_release(&unused);
	if (optind < argc && (cli_parse_long(argv[optind], &id) || !id)) {
		cli_error("fix: '%s' is not a report id", argv[optind]);
		return EXIT_USAGE;
	}
	if (list) {
		if (argc - optind > 1) {
			cli_usage(stderr, usage_text);
			return EXIT_USAGE;
		}
		ret = cli_open_store(&st, STORE_READONLY);
		if (!ret)
			ret = list_fixes(st, id, &out);
		store_close(st);
		return ret;
	}
	if (argc - optind != (remove ? 2 : 3)) {
		cli_error("fix: want REPORT KEY VALUE --why TEXT, or REPORT KEY --remove");
		return EXIT_USAGE;
	}
	if (!remove) {
		const char *v = argv[optind + 2];
		char *end;

		if (!why || !*why) {
			cli_error("fix: say why with --why TEXT");
			return EXIT_USAGE;
		}
		if (!strcmp(v, "blank")) {
			state = VAL_BLANK;
		} else {
			errno = 0;
			value = strtod(v, &end);
			if (errno || end == v || *end || !isfinite(value)) {
				cli_error("fix: '%s' is not a number (or 'blank')", v);
				return EXIT_USAGE;
			}
		}
	}
	ret = cli_open_store(&st, 0);
	if (ret)
		return ret;
	if (store_get_report(st, id, &r, NULL, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	fld = find_field(r.format, argv[optind + 1]);
	if (!fld) {
		cli_error("fix: report %ld (format %s) has no cell '%s'; see 'ogi labels'", id,
			  fmt_version_name(r.format), argv[optind + 1]);
		ret = EXIT_USAGE;
		goto out;
	}
	if (store_begin(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	ret = remove ? store_unfix(st, id, fld->table, fld->row->key, fld->col->key, &removed, &e)
		     : store_fix(st, id, fld->table, fld->row->key, fld->col->key, state, value,
				 why, &e);
	if (!ret)
		ret = pipeline_recheck_touched(st, &e);
	if (!ret)
		ret = store_commit(st, &e);
	else
		store_rollback(st);
	if (ret) {
		ret = cli_fail(&e);
		goto out;
	}
	if (remove && !removed)
		cli_error("fix: report %ld has no fix of '%s'", id, fld->key);
	else if (!cli_quiet && remove)
		cli_printf("removed the fix of %s in report %ld\n", fld->key, id);
	else if (!cli_quiet)
		cli_printf("fixed %s in report %ld: %s\n", fld->key, id, argv[optind + 2]);
	ret = EXIT_OK;
out:
	report_release(&r);
	store_close(st);
	return ret;
}
