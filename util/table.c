#include "util/table.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/escape.h"
#include "util/json.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum cell_kind { CELL_NULL = 0, CELL_STR, CELL_NUM };

struct cell {
	enum cell_kind kind;
	char *s;		/* owned, CELL_STR only */
	double v;
	char *href;		/* owned: the cell links there in HTML; NULL */
};

/* A row holds cells only up to the last column set; the rest are blank. */
struct row {
	struct cell *cells;
	size_t n, alloc;
};

struct column {
	char *name;
	enum table_align align;
};

struct table {
	struct column *cols;
	size_t ncols, alloc_cols;
	struct row *rows;
	size_t nrows, alloc_rows;
};

struct table *table_new(void)
{
	return xcalloc(1, sizeof(struct table));
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->rows[r].n; c++) {
			free(t->rows[r].cells[c].s);
			free(t->rows[r].cells[c].href);
		}
		free(t->rows[r].cells);
	}
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c].name);
	free(t->rows);
	free(t->cols);
	free(t);
}

size_t table_add_column(struct table *t, const char *name, enum table_align align)
{
	ALLOC_GROW(t->cols, st_add(t->ncols, 1), t->alloc_cols);
	t->cols[t->ncols].name = xstrdup(name ? name : "");
	t->cols[t->ncols].align = align;
	return t->ncols++;
}

void table_add_row(struct table *t)
{
	ALLOC_GROW(t->rows, st_add(t->nrows, 1), t->alloc_rows);
	memset(&t->rows[t->nrows], 0, sizeof(struct row));
	t->nrows++;
}

size_t table_rows(const struct table *t)
{
	return t->nrows;
}

/* The cell to overwrite, emptied, or NULL when the call is out of range. */
static struct cell *cell_for_set(struct table *t, size_t col)
{
	struct row *r;
	struct cell *c;

	if (!t->nrows || col >= t->ncols)
		return NULL;
	r = &t->rows[t->nrows - 1];
	if (col >= r->n) {
		ALLOC_GROW(r->cells, col + 1, r->alloc);
		memset(r->cells + r->n, 0, (col + 1 - r->n) * sizeof(*r->cells));
		r->n = col + 1;
	}
	c = &r->cells[col];
	free(c->s);
	free(c->href);
	c->s = NULL;
	c->href = NULL;
	c->kind = CELL_NULL;
	return c;
}

void table_set_str(struct table *t, size_t col, const char *s)
{
	struct cell *c = cell_for_set(t, col);

	if (c && s) {
		c->kind = CELL_STR;
		c->s = xstrdup(s);
	}
}

void table_set_num(struct table *t, size_t col, double v)
{
	struct cell *c = cell_for_set(t, col);

	if (c && isfinite(v)) {
		c->kind = CELL_NUM;
		c->v = v;
	}
}

void table_set_null(struct table *t, size_t col)
{
	cell_for_set(t, col);
}

void table_set_fmt(struct table *t, size_t col, const char *fmt, ...)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct cell *c;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(&b, fmt, ap);
	va_end(ap);
	c = cell_for_set(t, col);
	if (c && !r) {
		c->kind = CELL_STR;
		c->s = buf_take(&b);
	}
	buf_release(&b);
}

void table_set_link(struct table *t, size_t col, const char *s, const char *href)
{
	struct cell *c = cell_for_set(t, col);

	if (c && s) {
		c->kind = CELL_STR;
		c->s = xstrdup(s);
		c->href = href ? xstrdup(href) : NULL;
	}
}

static const struct cell blank_cell = { CELL_NULL, NULL, 0, NULL };

static const struct cell *cell_at(const struct table *t, size_t r, size_t c)
{
	const struct row *row = &t->rows[r];

	return c < row->n ? &row->cells[c] : &blank_cell;
}

/* A cell's text: "" for blanks, numbers formatted into num. */
static const char *cell_text(const struct cell *c, char num[JW_NUMBER_MAX])
{
	switch (c->kind) {
	case CELL_STR:
		return c->s;
	case CELL_NUM:
		jw_format_number(c->v, num);
		return num;
	default:
		return "";
	}
}

/* Output goes line by line through one buffer; errors surface at the end via ferror(). */
struct out {
	FILE *f;
	struct buf line;
};

static void out_flush_line(struct out *o, size_t len)
{
	if (len)
		fwrite(o->line.ptr, 1, len, o->f);
	buf_reset(&o->line);
}

static int out_finish(struct out *o)
{
	buf_release(&o->line);
	return fflush(o->f) || ferror(o->f) ? -1 : 0;
}

/*
 * Text mode: the next character of s made safe for a terminal, as
 * esc_text() does (util/escape.h decides what is unsafe: controls become a
 * space, bidi controls nothing, invalid bytes U+FFFD).  Sets *bytes and *n
 * to what to print and returns its display width.
 */
static int text_char(const char **p, const char *end, const char **bytes, size_t *n)
{
	const char *start = *p;
	unsigned char ch = (unsigned char)*start;
	uint32_t cp;

	if (ch >= 0x20 && ch < 0x7F) {
		(*p)++;
		*bytes = start;
		*n = 1;
		return 1;
	}
	if (ch < 0x80) {
		cp = ch;
		(*p)++;
	} else if (utf8_decode(p, end, &cp)) {
		(*p)++;
		*bytes = "\xEF\xBF\xBD";
		*n = 3;
		return 1;
	}
	switch (esc_unsafe(cp)) {
	case ESC_CONTROL:
		*bytes = " ";
		*n = 1;
		return 1;
	case ESC_INVISIBLE:
		*bytes = "";
		*n = 0;
		return 0;
	default:
		*bytes = start;
		*n = (size_t)(*p - start);
		return utf8_cp_width(cp);
	}
}

/*
 * Appends the cleaned, possibly cut, text of s to b (if b is not NULL) and
 * returns its display width.
 */
static size_t text_clean(struct buf *b, const char *s)
{
	const char *end = s + strlen(s), *p = s, *bytes;
	size_t total = 0, w = 0, budget, n;
	int cw;

	while (p < end)
		total += (size_t)text_char(&p, end, &bytes, &n);
	budget = total > TABLE_TEXT_MAX_WIDTH ? TABLE_TEXT_MAX_WIDTH - 1 : total;
	for (p = s; p < end;) {
		cw = text_char(&p, end, &bytes, &n);
		if (w + (size_t)cw > budget)
			break;
		w += (size_t)cw;
		if (b)
			buf_add(b, bytes, n);
	}
	if (total > TABLE_TEXT_MAX_WIDTH) {
		if (b)
			buf_adds(b, "\xE2\x80\xA6");
		w++;
	}
	return w;
}

static void text_cell(struct buf *line, const char *s, size_t width, enum table_align align)
{
	struct buf tmp = BUF_INIT(BUF_NOLIMIT);
	size_t w = text_clean(&tmp, s), pad = width > w ? width - w : 0;

	if (align == TA_LEFT)
		buf_add(line, tmp.ptr, tmp.len);
	for (size_t i = 0; i < pad; i++)
		buf_addc(line, ' ');
	if (align == TA_RIGHT)
		buf_add(line, tmp.ptr, tmp.len);
	buf_release(&tmp);
}

/* Ends a text line without its trailing spaces. */
static void text_end_line(struct out *o)
{
	size_t len = o->line.len;

	while (len && o->line.ptr[len - 1] == ' ')
		len--;
	out_flush_line(o, len);
	fputc('\n', o->f);
}

static void write_text(const struct table *t, struct out *o, unsigned flags)
{
	int header = !(flags & TABLE_NO_HEADER);
	char num[JW_NUMBER_MAX];
	size_t *width;

	if (!t->ncols)
		return;
	width = xcalloc(t->ncols, sizeof(*width));
	for (size_t c = 0; c < t->ncols; c++) {
		if (header)
			width[c] = text_clean(NULL, t->cols[c].name);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = text_clean(NULL, cell_text(cell_at(t, r, c), num));

			if (w > width[c])
				width[c] = w;
		}
	}
	if (header) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				buf_adds(&o->line, "  ");
			text_cell(&o->line, t->cols[c].name, width[c], t->cols[c].align);
		}
		text_end_line(o);
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				buf_adds(&o->line, "  ");
			for (size_t i = 0; i < width[c]; i++)
				buf_addc(&o->line, '-');
		}
		text_end_line(o);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				buf_adds(&o->line, "  ");
			text_cell(&o->line, cell_text(cell_at(t, r, c), num), width[c],
				  t->cols[c].align);
		}
		text_end_line(o);
	}
	free(width);
}

static void write_csv(const struct table *t, struct out *o, unsigned flags)
{
	const char *eol = (flags & TABLE_EXCEL) ? "\r\n" : "\n";
	char num[JW_NUMBER_MAX];

	if (!t->ncols)
		return;
	if (flags & TABLE_EXCEL)
		fputs("\xEF\xBB\xBF", o->f);
	if (!(flags & TABLE_NO_HEADER)) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				buf_addc(&o->line, ',');
			esc_csv_field(&o->line, t->cols[c].name);
		}
		buf_adds(&o->line, eol);
		out_flush_line(o, o->line.len);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				buf_addc(&o->line, ',');
			esc_csv_field(&o->line, cell_text(cell_at(t, r, c), num));
		}
		buf_adds(&o->line, eol);
		out_flush_line(o, o->line.len);
	}
}

static void write_json(const struct table *t, struct out *o)
{
	if (!t->nrows) {
		fputs("[]\n", o->f);
		return;
	}
	fputs("[\n", o->f);
	for (size_t r = 0; r < t->nrows; r++) {
		struct jw j;

		buf_adds(&o->line, "  ");
		jw_init_buf(&j, &o->line, 0);
		jw_begin_object(&j);
		for (size_t c = 0; c < t->ncols; c++) {
			const struct cell *cell = cell_at(t, r, c);

			jw_key(&j, t->cols[c].name);
			if (cell->kind == CELL_STR)
				jw_string(&j, cell->s);
			else if (cell->kind == CELL_NUM)
				jw_number(&j, cell->v);
			else
				jw_null(&j);
		}
		jw_end_object(&j);
		/* Cannot fail: the buffer is unbounded and the calls are in order. */
		jw_finish(&j);
		buf_adds(&o->line, r + 1 < t->nrows ? ",\n" : "\n");
		out_flush_line(o, o->line.len);
	}
	fputs("]\n", o->f);
}

static void html_cell(struct buf *line, const char *tag, const char *s, enum table_align a,
		      const char *href)
{
	buf_addf(line, "<%s%s>", tag, a == TA_RIGHT ? " class=\"num\"" : "");
	if (href) {
		buf_adds(line, "<a href=\"");
		esc_html(line, href);
		buf_adds(line, "\">");
	}
	esc_html(line, s);
	if (href)
		buf_adds(line, "</a>");
	buf_addf(line, "</%s>", tag);
}

static void write_html(const struct table *t, struct out *o, unsigned flags)
{
	char num[JW_NUMBER_MAX];

	fputs("<table>\n", o->f);
	if (!(flags & TABLE_NO_HEADER)) {
		buf_adds(&o->line, "<thead>\n<tr>");
		for (size_t c = 0; c < t->ncols; c++)
			html_cell(&o->line, "th", t->cols[c].name, t->cols[c].align, NULL);
		buf_adds(&o->line, "</tr>\n</thead>\n");
		out_flush_line(o, o->line.len);
	}
	fputs("<tbody>\n", o->f);
	for (size_t r = 0; r < t->nrows; r++) {
		buf_adds(&o->line, "<tr>");
		for (size_t c = 0; c < t->ncols; c++)
			html_cell(&o->line, "td", cell_text(cell_at(t, r, c), num),
				  t->cols[c].align, cell_at(t, r, c)->href);
		buf_adds(&o->line, "</tr>\n");
		out_flush_line(o, o->line.len);
	}
	fputs("</tbody>\n</table>\n", o->f);
}

int table_write(const struct table *t, FILE *out, enum table_format fmt, unsigned flags)
{
	/* Unbounded: the cells were bounded when they were scraped. */
	struct out o = { out, BUF_INIT(BUF_NOLIMIT) };

	switch (fmt) {
	case TF_TEXT:
		write_text(t, &o, flags);
		break;
	case TF_CSV:
		write_csv(t, &o, flags);
		break;
	case TF_JSON:
		write_json(t, &o);
		break;
	case TF_HTML:
		write_html(t, &o, flags);
		break;
	default:
		out_finish(&o);
		return -1;
	}
	return out_finish(&o);
}

int table_format_parse(const char *s, enum table_format *out)
{
	static const struct {
		const char *name;
		enum table_format fmt;
	} names[] = {
		{ "text", TF_TEXT }, { "csv", TF_CSV }, { "json", TF_JSON }, { "html", TF_HTML },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (s && !strcmp(s, names[i].name)) {
			*out = names[i].fmt;
			return 0;
		}
	}
	return -1;
}
