/*
 * ogi show: one report's tables as read, aligned for a terminal or as the
 * JSON object scripts depend on (the shape of tests/fixtures/expected.json).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/correct.h"
#include "util/json.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi show [ID] [--org TEXT] [--year Y] [--format text|json]\n"
	"\n"
	"Prints the report with id ID (see 'ogi list'), or the one report that\n"
	"--org and --year select: its tables 2, 3 and 4 under the canonical keys.\n"
	"In text a blank cell is empty and a cell not found on the page is '?'.\n"
	"JSON: {organization, year, format, status, source, published, level,\n"
	"parent, missing, t2, t3, t4, organization_from, year_from, publisher,\n"
	"provenance, reason, sources}; t3 maps row -> column -> value; a blank\n"
	"cell is null and a cell not found is left out.  provenance maps\n"
	"t2.row.col, t3.row.col and t4.row.col to how the cell was placed (label\n"
	"or order), whether its bounds were inferred, and where it stands (table,\n"
	"row, col of an HTML table, or line, col of text).  reason says why there\n"
	"are no tables when that is known (image); sources lists where the report\n"
	"was read (location, role page or attachment, status, reason, chosen: the\n"
	"one its figures come from).  Added in schema version 6: report_id (as id),\n"
	"body_id, location (the page or file the report is keyed by; source is\n"
	"kept for scripts and holds the same), current, superseded_by, excluded\n"
	"(why, or null) and fixes (a reviewer's values: key, value, parsed, why);\n"
	"a fixed cell's provenance says how \"fix\".  In text a fixed cell is\n"
	"marked * and its fix listed.  An id names any report; --org and --year\n"
	"pick among current reports unless --all-versions.  Figures read from\n"
	"pictures by OCR (schema version 9): text says how many, marks an\n"
	"uncertain one with a '?' after it (a blank one is '?' alone) and lists\n"
	"them to review with their picture, cell box and confidence; JSON has\n"
	"ocr: [{key, value, image, box [x, y, w, h], confidence, uncertain}].\n"
	"\n" CLI_FILTER_HELP
	"  --format F        text (default) or json\n";

static void set_cell(struct table *t, size_t col, const struct report_value *v)
{
	if (!v || v->state == VAL_ABSENT)
		table_set_str(t, col, "?");
	else if (v->how == HOW_FIX && v->state == VAL_NUMBER)
		table_set_fmt(t, col, "%g*", v->num);
	else if (v->how == HOW_FIX)
		table_set_str(t, col, "*");
	else if (v->ocr.uncertain && v->state == VAL_NUMBER)
		table_set_fmt(t, col, "%g?", v->num);
	else if (v->ocr.uncertain && v->state == VAL_BLANK)
		table_set_str(t, col, "?");
	else if (v->state == VAL_NUMBER)
		table_set_num(t, col, v->num);
	else if (v->state == VAL_INVALID)
		table_set_fmt(t, col, "'%s'", v->raw ? v->raw : "");
	else
		table_set_null(t, col);
}

/* Table 2 or 4 as a key/value list. */
static int show_flat(const struct report *r, int table)
{
	size_t nrows;
	const struct fmt_row *rows = fmt_rows(&nrows);
	struct table *t = table_new();
	size_t ckey = table_add_column(t, "key", TA_LEFT);
	size_t cval = table_add_column(t, "value", TA_RIGHT);
	int ret;

	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].table != table || !(rows[i].formats & r->format))
			continue;
		for (size_t c = 0; c < rows[i].ncols; c++) {
			table_add_row(t);
			table_set_fmt(t, ckey, "%s.%s", rows[i].key, rows[i].cols[c].key);
			set_cell(t, cval, report_get(r, table, rows[i].key, rows[i].cols[c].key));
		}
	}
	ret = cli_write_table(t, TF_TEXT, 0);
	table_free(t);
	return ret;
}

/* Table 3 as its grid: rows by key, columns by their printed labels. */
static int show_t3(const struct report *r)
{
	size_t nrows, ncols;
	const struct fmt_row *rows = fmt_rows(&nrows);
	const struct fmt_col *cols = fmt_t3_cols(&ncols);
	struct table *t = table_new();
	int ret;

	table_add_column(t, "row", TA_LEFT);
	for (size_t c = 0; c < ncols; c++)
		table_add_column(t, cols[c].label, TA_RIGHT);
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].table != 3 || !(rows[i].formats & r->format))
			continue;
		table_add_row(t);
		table_set_str(t, 0, rows[i].key);
		for (size_t c = 0; c < ncols; c++)
			set_cell(t, c + 1, report_get(r, 3, rows[i].key, cols[c].key));
	}
	ret = cli_write_table(t, TF_TEXT, 0);
	table_free(t);
	return ret;
}

/*
 * Where the body and the year were read, and the page's publisher when it
 * is not the body: a weak guess (prose, seed) stands out before anyone
 * trusts the figures.  Nothing for reports stored without provenance.
 */
static void show_sources(const struct report *r)
{
	const char *body = report_source_name(r->organization_from);
	const char *year = report_source_name(r->year_from);
	int publisher = r->publisher && (!r->organization || strcmp(r->publisher, r->organization));
	const char *sep = "";

	if (!body && !year && !publisher)
		return;
	if (body) {
		cli_printf("body from %s", body);
		sep = ", ";
	}
	if (year) {
		cli_printf("%syear from %s", sep, year);
		sep = ", ";
	}
	if (publisher)
		cli_printf("%spublisher %s", sep, r->publisher);
	printf("\n");
}

/*
 * The report's sources when it has more than its own page (a page and the
 * PDF it links, the same report), the chosen one first: the one whose
 * figures these are.
 */
static void show_origin(const struct report_source_list *l, const struct report_info *info)
{
	if (l->n < 2 && (!l->n || !strcmp(l->v[0].location, info->location)))
		return;
	for (size_t i = 0; i < l->n; i++) {
		const struct report_source_row *s = &l->v[i];

		printf("%s %-10s  %-9s  %-6s  %s\n", i ? "       " : "sources",
		       store_source_role_name(s->role),
		       s->read ? report_status_name(s->status) : "-", s->chosen ? "chosen" : "",
		       s->location);
	}
}

/* What the warehouse says of this copy: current, superseded or excluded, and its fixes. */
struct standing {
	int64_t superseded_by;	/* the current report of its body and year; 0 */
	char *excluded;		/* why, or NULL */
	struct fix_list fixes;
};

static void show_standing(const struct report_info *info, const struct standing *sd)
{
	if (sd->excluded)
		cli_printf("excluded: %s\n", sd->excluded);
	else if (!info->current && sd->superseded_by)
		printf("superseded by report %lld (the current one of its body and year)\n",
		       (long long)sd->superseded_by);
	for (size_t i = 0; i < sd->fixes.n; i++) {
		const struct fix *x = &sd->fixes.v[i];

		if (x->state == VAL_NUMBER)
			cli_printf("fixed %s = %g", x->key, x->value);
		else
			cli_printf("fixed %s = blank", x->key);
		if (x->parsed_state == VAL_NUMBER)
			cli_printf(" (read %g)", x->parsed_value);
		else if (x->parsed_state == VAL_BLANK)
			cli_printf(" (read blank)");
		else if (x->parsed_state == VAL_INVALID)
			cli_printf(" (read '%s')", x->parsed_raw ? x->parsed_raw : "");
		else
			cli_printf(" (not on the page)");
		cli_printf(": %s\n", x->why ? x->why : "");
	}
}

/*
 * Figures read by OCR: how many, from how many pictures, how many
 * uncertain; with list, the uncertain ones with where to look.
 */
static void show_ocr(const struct report *r, int list)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);
	size_t read = 0, unsure = 0;

	for (size_t i = 0; i < n && i < r->nvalues; i++) {
		const struct report_value *v = &r->values[i];

		if (!v->ocr.read)
			continue;
		read++;
		unsure += v->ocr.uncertain;
		if (list && v->ocr.uncertain)
			cli_printf("  t%d:%s  %s  %s  box %d,%d,%d,%d  confidence %.0f\n", f[i].table,
				   f[i].key, v->raw && *v->raw ? v->raw : "(blank)",
				   v->ocr.image ? v->ocr.image : "", v->ocr.x, v->ocr.y, v->ocr.w,
				   v->ocr.h, v->ocr.conf);
	}
	if (!list && read)
		cli_printf("read by OCR: %zu figures, %zu uncertain (marked ?, to review below)\n",
			   read, unsure);
}

/* The report's header, then its tables in the order of the form. */
static int show_text(const struct report *r, const struct report_info *info,
		     const struct report_source_list *sources, const struct standing *sd)
{
	int ret;

	cli_printf("%s  %d  format %s  %s\n", r->organization ? r->organization : "(unknown)",
		   r->year, fmt_version_name(r->format), report_status_name(r->status));
	cli_printf("report %lld  source %s\n", (long long)info->id, info->location);
	if (r->published || r->level || r->parent)
		cli_printf("published %s  level %s  parent %s\n",
			   r->published ? r->published : "-", r->level ? r->level : "-",
			   r->parent ? r->parent : "-");
	show_sources(r);
	show_origin(sources, info);
	show_standing(info, sd);
	if (r->missing)
		cli_printf("missing: %s\n", r->missing);
	show_ocr(r, 0);
	if (r->reason)
		cli_printf("no tables: %s\n", r->reason == RREASON_IMAGE
						? "the tables are images (a scan, or pictures on the page)"
						: report_reason_name(r->reason));
	if (!r->nvalues)
		return EXIT_OK;
	printf("\n二、主动公开政府信息情况\n");
	ret = show_flat(r, 2);
	if (!ret) {
		printf("\n三、收到和处理政府信息公开申请情况\n");
		ret = show_t3(r);
	}
	if (!ret) {
		printf("\n四、政府信息公开行政复议、行政诉讼情况\n");
		ret = show_flat(r, 4);
	}
	if (!ret && strstr(r->missing ? r->missing : "", "uncertain")) {
		printf("\nto review (uncertain OCR figures: as read, picture, cell box, confidence)\n");
		show_ocr(r, 1);
	}
	return ret;
}

/* Whether a cell's text says more than its number, e.g. "251000元". */
static int has_unit(const char *raw)
{
	for (const char *p = raw; *p; p++)
		if (!strchr("0123456789.,+- \t", *p))
			return 1;
	return 0;
}

static void json_value(struct jw *j, const struct report_value *v)
{
	if (v->state == VAL_NUMBER)
		jw_number(j, v->num);
	else
		jw_null(j);
}

/* t2 or t4 as {"row.col": value}; converted amounts also give "row.col_raw". */
static void json_flat_table(struct jw *j, const struct report *r, int table)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);

	jw_begin_object(j);
	for (size_t i = 0; i < n; i++) {
		const struct report_value *v = &r->values[i];

		if (f[i].table != table || v->state == VAL_ABSENT)
			continue;
		if (f[i].col->kind == VK_WAN && v->raw && v->state == VAL_NUMBER &&
		    has_unit(v->raw)) {
			char key[64];

			snprintf(key, sizeof(key), "%s_raw", f[i].key);
			jw_key(j, key);
			jw_string(j, v->raw);
		}
		jw_key(j, f[i].key);
		json_value(j, v);
	}
	jw_end_object(j);
}

static void json_t3(struct jw *j, const struct report *r)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);
	const struct fmt_row *open = NULL;

	jw_begin_object(j);
	for (size_t i = 0; i < n; i++) {
		if (f[i].table != 3 || r->values[i].state == VAL_ABSENT)
			continue;
		if (f[i].row != open) {
			if (open)
				jw_end_object(j);
			jw_key(j, f[i].row->key);
			jw_begin_object(j);
			open = f[i].row;
		}
		jw_key(j, f[i].col->key);
		json_value(j, &r->values[i]);
	}
	if (open)
		jw_end_object(j);
	jw_end_object(j);
}

/* [{key, value, image, box, confidence, uncertain}] of the figures read by OCR. */
static void json_ocr(struct jw *j, const struct report *r)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);
	char key[FMT_PATH_SIZE];

	jw_begin_array(j);
	for (size_t i = 0; i < n && i < r->nvalues; i++) {
		const struct report_value *v = &r->values[i];

		if (!v->ocr.read)
			continue;
		fmt_field_path(f[i].table, f[i].row->key, f[i].col->key, key);
		jw_begin_object(j);
		jw_key(j, "key");
		jw_string(j, key);
		jw_key(j, "value");
		json_value(j, v);
		jw_key(j, "image");
		jw_string(j, v->ocr.image ? v->ocr.image : "");
		jw_key(j, "box");
		jw_begin_array(j);
		jw_int(j, v->ocr.x);
		jw_int(j, v->ocr.y);
		jw_int(j, v->ocr.w);
		jw_int(j, v->ocr.h);
		jw_end_array(j);
		jw_key(j, "confidence");
		jw_number(j, v->ocr.conf);
		jw_key(j, "uncertain");
		jw_bool(j, v->ocr.uncertain);
		jw_end_object(j);
	}
	jw_end_array(j);
}

/*
 * {"t3.granted.total": {"how", "inferred", then "table", "row", "col" of an
 * HTML cell or "line", "col" of text}, ...} for the cells read whose
 * placing is known; cells of reports stored without provenance have none.
 */
static void json_provenance(struct jw *j, const struct report *r)
{
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);
	char key[FMT_PATH_SIZE];

	jw_begin_object(j);
	for (size_t i = 0; i < n && i < r->nvalues; i++) {
		const struct report_value *v = &r->values[i];
		const char *how = value_how_name(v->how);

		if (v->state == VAL_ABSENT || !how)
			continue;
		fmt_field_path(f[i].table, f[i].row->key, f[i].col->key, key);
		jw_key(j, key);
		jw_begin_object(j);
		jw_key(j, "how");
		jw_string(j, how);
		jw_key(j, "inferred");
		jw_bool(j, v->inferred);
		if (v->src.table >= 0) {
			jw_key(j, "table");
			jw_int(j, v->src.table);
			jw_key(j, "row");
			jw_int(j, v->src.row);
			jw_key(j, "col");
			jw_int(j, v->src.col);
		} else if (v->src.line > 0) {
			jw_key(j, "line");
			jw_int(j, v->src.line);
			jw_key(j, "col");
			jw_int(j, v->src.col);
		}
		jw_end_object(j);
	}
	jw_end_object(j);
}

/* [{"location", "role", "status", "reason", "chosen"}, ...], the chosen one first. */
static void json_sources(struct jw *j, const struct report_source_list *l)
{
	jw_begin_array(j);
	for (size_t i = 0; i < l->n; i++) {
		const struct report_source_row *s = &l->v[i];

		jw_begin_object(j);
		jw_key(j, "location");
		jw_string(j, s->location);
		jw_key(j, "role");
		jw_string(j, store_source_role_name(s->role));
		jw_key(j, "status");
		jw_string(j, s->read ? report_status_name(s->status) : NULL);
		jw_key(j, "reason");
		jw_string(j, report_reason_name(s->reason));
		jw_key(j, "chosen");
		jw_bool(j, s->chosen);
		jw_end_object(j);
	}
	jw_end_array(j);
}

/* [{"key", "value", "parsed", "why", "fixed_at"}, ...]: a reviewer's values. */
static void json_fixes(struct jw *j, const struct fix_list *l)
{
	jw_begin_array(j);
	for (size_t i = 0; i < l->n; i++) {
		const struct fix *x = &l->v[i];

		jw_begin_object(j);
		jw_key(j, "key");
		jw_string(j, x->key);
		jw_key(j, "value");
		if (x->state == VAL_NUMBER)
			jw_number(j, x->value);
		else
			jw_null(j);
		jw_key(j, "parsed");
		if (x->parsed_state == VAL_NUMBER)
			jw_number(j, x->parsed_value);
		else if (x->parsed_state == VAL_INVALID)
			jw_string(j, x->parsed_raw);
		else
			jw_null(j);
		jw_key(j, "parsed_state");
		jw_string(j, x->parsed_state == VAL_NUMBER ? "number"
			     : x->parsed_state == VAL_BLANK ? "blank"
			     : x->parsed_state == VAL_INVALID ? "invalid" : "absent");
		jw_key(j, "why");
		jw_string(j, x->why);
		jw_key(j, "fixed_at");
		jw_string(j, x->fixed_at);
		jw_end_object(j);
	}
	jw_end_array(j);
}

static int show_json(const struct report *r, const struct report_info *info,
		     const struct report_source_list *sources, const struct standing *sd)
{
	struct jw j;

	jw_init(&j, stdout, 1);
	jw_begin_object(&j);
	jw_key(&j, "id");
	jw_int(&j, info->id);
	jw_key(&j, "organization");
	jw_string(&j, r->organization);
	jw_key(&j, "year");
	if (r->year)
		jw_int(&j, r->year);
	else
		jw_null(&j);
	jw_key(&j, "format");
	jw_string(&j, fmt_version_name(r->format));
	jw_key(&j, "status");
	jw_string(&j, report_status_name(r->status));
	jw_key(&j, "source");
	jw_string(&j, info->location);
	jw_key(&j, "published");
	jw_string(&j, r->published);
	jw_key(&j, "level");
	jw_string(&j, r->level);
	jw_key(&j, "parent");
	jw_string(&j, r->parent);
	jw_key(&j, "missing");
	jw_string(&j, r->missing);
	jw_key(&j, "t2");
	json_flat_table(&j, r, 2);
	jw_key(&j, "t3");
	json_t3(&j, r);
	jw_key(&j, "t4");
	json_flat_table(&j, r, 4);
	/* Added later: after every older key, so that nothing a script read has moved. */
	jw_key(&j, "organization_from");
	jw_string(&j, report_source_name(r->organization_from));
	jw_key(&j, "year_from");
	jw_string(&j, report_source_name(r->year_from));
	jw_key(&j, "publisher");
	jw_string(&j, r->publisher);
	jw_key(&j, "provenance");
	json_provenance(&j, r);
	jw_key(&j, "reason");
	jw_string(&j, report_reason_name(r->reason));
	jw_key(&j, "sources");
	json_sources(&j, sources);
	/* schema version 6 */
	jw_key(&j, "report_id");
	jw_int(&j, info->id);
	jw_key(&j, "body_id");
	jw_int(&j, info->body_id);
	jw_key(&j, "location");
	jw_string(&j, info->location);
	jw_key(&j, "current");
	jw_bool(&j, info->current);
	jw_key(&j, "superseded_by");
	if (!info->current && sd->superseded_by)
		jw_int(&j, sd->superseded_by);
	else
		jw_null(&j);
	jw_key(&j, "excluded");
	jw_string(&j, sd->excluded);
	jw_key(&j, "fixes");
	json_fixes(&j, &sd->fixes);
	/* added in schema version 9 */
	jw_key(&j, "ocr");
	json_ocr(&j, r);
	jw_end_object(&j);
	if (jw_finish(&j)) {
		cli_error("cannot write output");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_filter f;
	struct store *st = NULL;
	struct report r;
	struct report_info info;
	struct report_source_list sources = { 0 };
	struct standing sd;
	struct err e = ERR_INIT;
	int64_t *ids = NULL;
	size_t n = 0;
	int opt, json = 0, ret;

	memset(&sd, 0, sizeof(sd));
	report_filter_init(&f);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int fr = cli_filter_option(opt, optarg, &f);

		ret = EXIT_USAGE;
		if (fr < 0)
			goto out;
		if (fr)
			continue;
		if (opt == OPT_FORMAT && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
			json = !strcmp(optarg, "json");
		} else if (opt == 'h') {
			cli_usage(stdout, usage_text);
			ret = EXIT_OK;
			goto out;
		} else {
			if (opt == OPT_FORMAT)
				cli_error("show: unknown format '%s': want text or json", optarg);
			cli_usage(stderr, usage_text);
			goto out;
		}
	}
	if (optind < argc) {
		long id;

		if (optind + 1 < argc || cli_parse_long(argv[optind], &id) || !id) {
			cli_error("show: '%s' is not a report id", argv[optind]);
			ret = EXIT_USAGE;
			goto out;
		}
		report_filter_add_id(&f, id);
	}
	if (report_filter_empty(&f)) {
		cli_error("show: name a report by id or with --org and --year");
		cli_usage(stderr, usage_text);
		ret = EXIT_USAGE;
		goto out;
	}
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret)
		goto out;
	if (store_list_reports(st, &f, &ids, &n, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (n != 1) {
		if (n) {
			cli_error("show: %zu reports match; pick one with its id (see 'ogi list')", n);
		} else {
			cli_filter_explain(st, &f, 1);
			cli_error("show: no report matches");
		}
		ret = EXIT_USAGE;
		goto out;
	}
	report_init(&r);
	if (store_get_report(st, ids[0], &r, &info, &e) ||
	    store_report_sources(st, ids[0], &sources, &e) ||
	    store_report_excluded(st, ids[0], &sd.excluded, &e) ||
	    store_fixes(st, ids[0], &sd.fixes, &e) ||
	    store_current_of(st, ids[0], &sd.superseded_by, &e))
		ret = cli_fail(&e);
	else
		ret = json ? show_json(&r, &info, &sources, &sd)
			   : show_text(&r, &info, &sources, &sd);
	report_release(&r);
	store_report_source_list_release(&sources);
out:
	free(sd.excluded);
	store_fix_list_release(&sd.fixes);
	free(ids);
	store_close(st);
	report_filter_release(&f);
	return ret;
}
