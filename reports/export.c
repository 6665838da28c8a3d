#include "reports/export.h"

#include <errno.h>
#include <string.h>

#include "store/query.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/json.h"
#include "util/banned.h"

static const char *const columns[] = {
	"report_id", "organization", "level", "parent", "year", "format", "table", "row_key",
	"col_key", "key", "value", "blank", "raw", "source", "fetched_at",
	/* schema version 4: appended, so that the columns above keep their places */
	"how", "inferred", "src_table", "src_row", "src_col", "src_line",
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

/* One cell of a row: a string (NULL: blank) or a number (NaN: blank). */
struct cell {
	const char *s;
	double v;
	int is_num;
};

struct sink {
	FILE *out;
	enum table_format fmt;
	unsigned flags;
	size_t rows;
	struct buf line;
};

static void sink_begin(struct sink *k)
{
	if (k->fmt == TF_JSON)
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

static void sink_row(struct sink *k, const struct cell *cells)
{
	char num[JW_NUMBER_MAX];

	if (k->fmt == TF_JSON) {
		struct jw j;

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
	if (k->fmt == TF_JSON)
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
		cells[14] = str(info->fetched_at);
		cells[15] = str(value_how_name(v->how));
		cells[16] = num(v->inferred != 0);
		cells[17] = place(v->src.table, -1);
		cells[18] = place(v->src.row, -1);
		cells[19] = place(v->src.col, -1);
		cells[20] = place(v->src.line, 0);
		sink_row(k, cells);
	}
	return ferror(k->out) ? OGI_EIO : 0;
}

int export_write(struct store *st, const struct report_filter *f, FILE *out,
		 enum table_format fmt, unsigned flags, struct err *err)
{
	struct sink k = { out, fmt, flags, 0, BUF_INIT(BUF_NOLIMIT) };
	int ret;

	if (fmt != TF_CSV && fmt != TF_JSON)
		return err_set(err, OGI_EINVAL, "cannot export as that format: csv or json");
	sink_begin(&k);
	ret = query_reports(st, f,
			    QUERY_ALL | QUERY_RAW | QUERY_SOURCE | QUERY_FIGURES | QUERY_PROVENANCE,
			    on_report, &k, err);
	if (ret == OGI_EIO)
		err_set(err, OGI_EIO, "cannot write output: %s", strerror(errno));
	if (!ret) {
		sink_end(&k);
		if (fflush(out) || ferror(out))
			ret = err_set(err, OGI_EIO, "cannot write output: %s", strerror(errno));
	}
	buf_release(&k.line);
	return ret;
}
