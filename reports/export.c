#include "reports/export.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <xlsxwriter.h>

#include "form/format.h"
#include "store/query.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/json.h"
#include "util/banned.h"

/*
 * The names of docs/sql-views.md, the same as v_figures': tbl (was
 * "table" before schema version 6) and location (was "source": the page
 * or file a report is keyed by); source is now what v_reports calls
 * source, where the figures were read.
 */
const char *const export_columns[] = {
	"report_id", "organization", "level", "parent", "year", "format", "tbl", "row_key",
	"col_key", "key", "value", "blank", "raw", "location", "fetched_at",
	/* schema version 4: appended, so that the columns above keep their places */
	"how", "inferred", "src_table", "src_row", "src_col", "src_line",
	/* schema version 6 */
	"body_id", "current", "source", NULL
};
#define columns export_columns
#define NCOLS (sizeof(export_columns) / sizeof(export_columns[0]) - 1)

int export_format_parse(const char *s, enum export_format *out)
{
	static const char *const names[] = { "csv", "json", "jsonl", "xlsx" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum export_format)i;
			return 0;
		}
	return -1;
}

/* One cell of a row: a string (NULL: blank) or a number (NaN: blank). */
struct cell {
	const char *s;
	double v;
	int is_num;
};

struct sink {
	FILE *out;
	enum export_format fmt;
	unsigned flags;
	size_t rows;
	struct buf line;
	/* EXPORT_XLSX: a sheet per table (2, 3, 4) and the next row of each */
	lxw_workbook *wb;
	lxw_worksheet *sheet[3];
	lxw_row_t next[3];
	lxw_error xerr;
};

/* A header row of names (NULL-terminated) on a sheet. */
static void xlsx_header(lxw_worksheet *ws, const char *const *names)
{
	for (lxw_col_t c = 0; names[c]; c++)
		worksheet_write_string(ws, 0, c, names[c], NULL);
}

/* The codebook: what `ogi labels` prints, from the format table. */
static void xlsx_labels(lxw_workbook *wb)
{
	static const char *const names[] = { "format", "key", "tbl", "row_key", "col_key", "label",
					     "row_label", "col_label", "kind", "unit", NULL };
	static const enum fmt_version versions[] = { FMT_2019, FMT_2021 };
	lxw_worksheet *ws = workbook_add_worksheet(wb, "labels");
	lxw_row_t row = 1;

	xlsx_header(ws, names);
	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		size_t n;
		const struct fmt_field *f = fmt_fields(versions[v], &n);

		for (size_t i = 0; i < n; i++, row++) {
			struct buf label = BUF_INIT(BUF_NOLIMIT);

			buf_addf(&label, "%s %s", f[i].row->label, f[i].col->label);
			worksheet_write_string(ws, row, 0, fmt_version_name(versions[v]), NULL);
			worksheet_write_string(ws, row, 1, f[i].key, NULL);
			worksheet_write_number(ws, row, 2, f[i].table, NULL);
			worksheet_write_string(ws, row, 3, f[i].row->key, NULL);
			worksheet_write_string(ws, row, 4, f[i].col->key, NULL);
			worksheet_write_string(ws, row, 5, buf_str(&label), NULL);
			worksheet_write_string(ws, row, 6, f[i].row->label, NULL);
			worksheet_write_string(ws, row, 7, f[i].col->label, NULL);
			worksheet_write_string(ws, row, 8, fmt_kind_name(f[i].col->kind), NULL);
			worksheet_write_string(ws, row, 9, fmt_unit_name(f[i].col->kind), NULL);
			buf_release(&label);
		}
	}
}

static void sink_begin(struct sink *k)
{
	if (k->fmt == EXPORT_XLSX) {
		static const char *const names[] = { "t2", "t3", "t4" };

		for (int t = 0; t < 3; t++) {
			k->sheet[t] = workbook_add_worksheet(k->wb, names[t]);
			xlsx_header(k->sheet[t], export_columns);
			k->next[t] = 1;
		}
		return;
	}
	if (k->fmt == EXPORT_JSON || k->fmt == EXPORT_JSONL)
		return;
	if (k->flags & TABLE_EXCEL)
		fputs("\xEF\xBB\xBF", k->out);
	for (size_t c = 0; c < NCOLS; c++) {
		if (c)
			buf_addc(&k->line, ',');
		esc_csv_field(&k->line, columns[c]);
	}
	buf_adds(&k->line, (k->flags & TABLE_EXCEL) ? "\r\n" : "\n");
	fwrite(k->line.ptr, 1, k->line.len, k->out);
	buf_reset(&k->line);
}

/* Text from pages goes into a cell as it is, made valid UTF-8 without controls. */
static void xlsx_row(struct sink *k, int table, const struct cell *cells)
{
	struct buf safe = BUF_INIT(BUF_NOLIMIT);
	lxw_worksheet *ws;
	lxw_row_t row;

	if (table < 2 || table > 4)
		return;
	ws = k->sheet[table - 2];
	row = k->next[table - 2]++;
	for (lxw_col_t c = 0; c < NCOLS; c++) {
		if (cells[c].is_num) {
			if (!isnan(cells[c].v))
				worksheet_write_number(ws, row, c, cells[c].v, NULL);
		} else if (cells[c].s) {
			buf_reset(&safe);
			esc_text(&safe, cells[c].s, 0);
			worksheet_write_string(ws, row, c, buf_str(&safe), NULL);
		}
	}
	buf_release(&safe);
}

static void sink_row(struct sink *k, const struct cell *cells)
{
	char num[JW_NUMBER_MAX];

	if (k->fmt == EXPORT_JSON || k->fmt == EXPORT_JSONL) {
		struct jw j;

		if (k->fmt == EXPORT_JSON)
			buf_adds(&k->line, k->rows ? ",\n  " : "[\n  ");
		jw_init_buf(&j, &k->line, 0);
		jw_begin_object(&j);
		for (size_t c = 0; c < NCOLS; c++) {
			jw_key(&j, columns[c]);
			if (cells[c].is_num)
				jw_number(&j, cells[c].v);
			else
				jw_string(&j, cells[c].s);
		}
		jw_end_object(&j);
		jw_finish(&j);	/* cannot fail: unbounded buffer, calls in order */
		if (k->fmt == EXPORT_JSONL)
			buf_addc(&k->line, '\n');
	} else {
		for (size_t c = 0; c < NCOLS; c++) {
			const char *text = cells[c].s ? cells[c].s : "";

			if (c)
				buf_addc(&k->line, ',');
			if (cells[c].is_num)
				text = jw_format_number(cells[c].v, num) ? "" : num;
			esc_csv_field(&k->line, text);
		}
		buf_adds(&k->line, (k->flags & TABLE_EXCEL) ? "\r\n" : "\n");
	}
	fwrite(k->line.ptr, 1, k->line.len, k->out);
	buf_reset(&k->line);
	k->rows++;
}

static void sink_end(struct sink *k)
{
	if (k->fmt == EXPORT_JSON)
		fputs(k->rows ? "\n]\n" : "[]\n", k->out);
}

static struct cell str(const char *s)
{
	struct cell c = { s, 0, 0 };

	return c;
}

static struct cell num(double v)
{
	struct cell c = { NULL, v, 1 };

	return c;
}

/* A value_src field: empty (null) when it does not apply, as in the warehouse. */
static struct cell place(int v, int none)
{
	return v == none ? str(NULL) : num(v);
}

static int on_report(void *ctx, const struct report *r, const struct report_info *info)
{
	struct sink *k = ctx;
	size_t n;
	const struct fmt_field *f = fmt_fields(r->format, &n);

	for (size_t i = 0; i < n && i < r->nvalues; i++) {
		const struct report_value *v = &r->values[i];
		struct cell cells[NCOLS];

		if (v->state == VAL_ABSENT)
			continue;
		cells[0] = num((double)info->id);
		cells[1] = str(r->organization);
		cells[2] = str(r->level);
		cells[3] = str(r->parent);
		cells[4] = r->year ? num(r->year) : str(NULL);
		cells[5] = str(fmt_version_name(r->format));
		cells[6] = num(f[i].table);
		cells[7] = str(f[i].row->key);
		cells[8] = str(f[i].col->key);
		cells[9] = str(f[i].key);
		cells[10] = v->state == VAL_NUMBER ? num(v->num) : str(NULL);
		cells[11] = num(v->state == VAL_BLANK);
		cells[12] = str(v->raw);
		cells[13] = str(info->location);
		cells[21] = num((double)info->body_id);
		cells[22] = num(info->current);
		cells[23] = str(info->source[0] ? info->source : info->location);
		cells[14] = str(info->fetched_at);
		cells[15] = str(value_how_name(v->how));
		cells[16] = num(v->inferred != 0);
		cells[17] = place(v->src.table, -1);
		cells[18] = place(v->src.row, -1);
		cells[19] = place(v->src.col, -1);
		cells[20] = place(v->src.line, 0);
		if (k->fmt == EXPORT_XLSX)
			xlsx_row(k, f[i].table, cells);
		else
			sink_row(k, cells);
	}
	return k->out && ferror(k->out) ? OGI_EIO : 0;
}

int export_write(struct store *st, const struct report_filter *f, FILE *out, const char *path,
		 enum export_format fmt, unsigned flags, struct err *err)
{
	struct sink k;
	unsigned qf = QUERY_RAW | QUERY_SOURCE | QUERY_FIGURES | QUERY_PROVENANCE;
	int ret;

	memset(&k, 0, sizeof(k));
	k.out = fmt == EXPORT_XLSX ? NULL : out;
	k.fmt = fmt;
	k.flags = flags;
	buf_init(&k.line, BUF_NOLIMIT);
	if (fmt == EXPORT_XLSX) {
		k.wb = workbook_new(path);
		if (!k.wb)
			return err_set(err, OGI_EIO, "cannot write '%s': cannot create a workbook",
				       path);
	}
	sink_begin(&k);
	/* every current report, of no known year too; or every stored one */
	ret = query_reports(st, f, qf | (f && f->all_versions ? QUERY_ALL : QUERY_ANY_YEAR),
			    on_report, &k, err);
	if (ret == OGI_EIO)
		err_set(err, OGI_EIO, "cannot write output: %s", strerror(errno));
	if (fmt == EXPORT_XLSX) {
		lxw_error xe;

		if (!ret)
			xlsx_labels(k.wb);
		xe = workbook_close(k.wb);
		if (!ret && xe != LXW_NO_ERROR)
			ret = err_set(err, OGI_EIO, "cannot write '%s': %s", path, lxw_strerror(xe));
	} else if (!ret) {
		sink_end(&k);
		if (fflush(out) || ferror(out))
			ret = err_set(err, OGI_EIO, "cannot write output: %s", strerror(errno));
	}
	buf_release(&k.line);
	return ret;
}
