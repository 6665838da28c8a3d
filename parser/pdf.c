#include "parser/pdf.h"

#include <cairo.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <poppler.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "form/format.h"
#include "parser/imgtable.h"
#include "parser/number.h"
#include "parser/textline.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/*
 * Poppler keeps process-wide state (its GlobalParams) that is not meant
 * for two documents read at once: one PDF at a time.
 */
static pthread_mutex_t poppler_lock = PTHREAD_MUTEX_INITIALIZER;

/* Glyphs further apart than this are in two runs (a column's border between them). */
#define SPAN_GAP 1.0

struct glyph {
	uint32_t cp;
	double x1, y1, x2, y2;
};

struct span {
	double x1, x2;
};

struct cell {
	char *text;
	double x1, x2;
	int value;		/* a number, placeholder: a table's value cell */
	/*
	 * Its runs of touching glyphs.  Headings of narrow columns run into
	 * one cell ("商业科研社会公"), yet each column's words stand apart by
	 * its border: where a column with no value at all is.
	 */
	struct span *spans;
	size_t nspans;
};

struct line {
	struct cell *cells;
	size_t ncells;
	double y;		/* vertical centre, page-local */
	int page;
};

struct layout {
	struct line *lines;
	size_t n, alloc;
	size_t glyphs;		/* read so far, against PDF_MAX_GLYPHS */
};

int pdf_sniff(const char *bytes, size_t len)
{
	size_t probe = len < 1024 ? len : 1024;

	for (size_t i = 0; i + 5 <= probe; i++)
		if (!memcmp(bytes + i, "%PDF-", 5))
			return 1;
	return 0;
}

static int cmp_centre(const void *a, const void *b)
{
	const struct glyph *x = a, *y = b;
	double cx = x->y1 + x->y2, cy = y->y1 + y->y2;

	return cx < cy ? -1 : cx > cy ? 1 : (x->x1 < y->x1 ? -1 : x->x1 > y->x1);
}

static int cmp_x(const void *a, const void *b)
{
	const struct glyph *x = a, *y = b;

	return x->x1 < y->x1 ? -1 : x->x1 > y->x1;
}

static void cell_text(struct buf *b, const struct glyph *g, size_t n)
{
	buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		char enc[8];
		int k = g_unichar_to_utf8(g[i].cp, enc);

		buf_add(b, enc, (size_t)k);
	}
}

static void add_cell(struct line *l, size_t *alloc, struct buf *b, const struct glyph *g,
		     size_t from, size_t to)
{
	struct cell *c;

	cell_text(b, g + from, to - from);
	ALLOC_GROW(l->cells, l->ncells + 1, *alloc);
	c = &l->cells[l->ncells++];
	c->x1 = g[from].x1;
	c->x2 = g[to - 1].x2;
	c->value = num_is_value(buf_str(b)) && num_parse(buf_str(b), VK_WAN, &(double){ 0 }) == NUM_VALUE;
	c->text = buf_take(b);
	c->spans = NULL;
	c->nspans = 0;
	for (size_t i = from, nalloc = 0; i < to; i++) {
		if (i > from && g[i].x1 - g[i - 1].x2 <= SPAN_GAP) {
			c->spans[c->nspans - 1].x2 = g[i].x2;
			continue;
		}
		ALLOC_GROW(c->spans, c->nspans + 1, nalloc);
		c->spans[c->nspans].x1 = g[i].x1;
		c->spans[c->nspans].x2 = g[i].x2;
		c->nspans++;
	}
}

static int is_digit_glyph(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/*
 * Where a number that ends the glyphs [from, to) and follows a Han
 * character starts (a label and its figure with no room between), or from
 * when there is none.  Enumerators ("1.属于") and references (第711号) are
 * no figures: the number must end the cell.
 */
static size_t trailing_number(const struct glyph *g, size_t from, size_t to)
{
	size_t k = to;

	while (k > from && (is_digit_glyph(g[k - 1].cp) ||
			    (g[k - 1].cp == '.' && k < to && is_digit_glyph(g[k].cp))))
		k--;
	if (k == to || k == from || !is_digit_glyph(g[k].cp))
		return from;
	if (!(g[k - 1].cp >= 0x4E00 && g[k - 1].cp <= 0x9FFF) || g[k - 1].cp == 0x7B2C)	/* 第 */
		return from;
	return k;
}

/*
 * One line's glyphs (sorted by x) into cells: a gap wider than the line's
 * character height parts two cells; a space glyph is no glyph, only room.
 */
static void add_line(struct layout *lo, struct glyph *g, size_t n, int page)
{
	struct line *l;
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	double h = 0, y = 0;
	size_t start = 0, alloc = 0;

	qsort(g, n, sizeof(*g), cmp_x);
	for (size_t i = 0; i < n; i++) {
		h += g[i].y2 - g[i].y1;
		y += (g[i].y1 + g[i].y2) / 2;
	}
	h /= (double)n;
	ALLOC_GROW(lo->lines, lo->n + 1, lo->alloc);
	l = &lo->lines[lo->n++];
	memset(l, 0, sizeof(*l));
	l->y = y / (double)n;
	l->page = page;
	for (size_t i = 1; i <= n; i++) {
		size_t cut;

		/*
		 * The digits of a number touch; two numbers in cells side by side
		 * stand apart by no more than a cell's padding and border.
		 */
		if (i < n && g[i].x1 - g[i - 1].x2 <= (is_digit_glyph(g[i].cp) &&
						       is_digit_glyph(g[i - 1].cp) ? 1.5 : h * 0.9))
			continue;
		/* a figure run into its label ("行政事业性收费12.37"): two cells */
		cut = trailing_number(g, start, i);
		if (cut > start) {
			add_cell(l, &alloc, &b, g, start, cut);
			start = cut;
		}
		add_cell(l, &alloc, &b, g, start, i);
		start = i;
	}
	buf_release(&b);
}

static void free_line(struct line *l)
{
	for (size_t c = 0; c < l->ncells; c++) {
		free(l->cells[c].text);
		free(l->cells[c].spans);
	}
	free(l->cells);
}

/* A page's glyphs into lines, top to bottom. */
static int read_page(PopplerPage *page, int index, struct layout *lo, struct err *err)
{
	char *text = poppler_page_get_text(page);
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	struct glyph *g = NULL;
	size_t n = 0, line_start = 0;
	const char *p;
	int ret = 0;

	if (!text || !poppler_page_get_text_layout(page, &rects, &nrects))
		goto out;
	if (lo->glyphs + nrects > PDF_MAX_GLYPHS) {
		ret = err_set(err, OGI_ETOOBIG, "a PDF of over %u characters of text",
			      PDF_MAX_GLYPHS);
		goto out;
	}
	g = xcalloc(nrects ? nrects : 1, sizeof(*g));
	p = text;
	for (guint i = 0; i < nrects && *p; i++, p = g_utf8_next_char(p)) {
		gunichar cp = g_utf8_get_char_validated(p, -1);

		if (cp == (gunichar)-1 || cp == (gunichar)-2)
			break;
		if (g_unichar_isspace(cp) || cp == 0xFFFD || rects[i].y2 <= rects[i].y1)
			continue;
		g[n].cp = cp;
		g[n].x1 = rects[i].x1;
		g[n].y1 = rects[i].y1;
		g[n].x2 = rects[i].x2;
		g[n].y2 = rects[i].y2;
		n++;
	}
	lo->glyphs += n;
	qsort(g, n, sizeof(*g), cmp_centre);
	/* a glyph whose centre is within half a character of the line's first belongs to it */
	for (size_t i = 1; i <= n; i++) {
		double c0 = (g[line_start].y1 + g[line_start].y2) / 2;
		double h = g[line_start].y2 - g[line_start].y1;

		if (i < n && (g[i].y1 + g[i].y2) / 2 - c0 <= h * 0.45)
			continue;
		add_line(lo, g + line_start, i - line_start, index);
		line_start = i;
	}
out:
	g_free(rects);
	g_free(text);
	free(g);
	return ret;
}

static int line_has_value(const struct line *l)
{
	for (size_t c = 0; c < l->ncells; c++)
		if (l->cells[c].value)
			return 1;
	return 0;
}

/*
 * A line of headings: labels only, two cells or more, one of them over the
 * columns of values (x1 past values_x).  A row's label wrapped over lines
 * stays left of the values.
 */
static int is_heading_line(const struct line *l, double values_x)
{
	if (l->ncells < 2 || line_has_value(l))
		return 0;
	for (size_t c = 1; c < l->ncells; c++)
		if (l->cells[c].x1 >= values_x - 4)
			return 1;
	return 0;
}

/* Where the values of lines [from, to) start: the leftmost value cell. */
static double values_x(const struct layout *lo, size_t from, size_t to)
{
	double x = 1e9;

	for (size_t i = from; i < to; i++)
		for (size_t c = 0; c < lo->lines[i].ncells; c++)
			if (lo->lines[i].cells[c].value && lo->lines[i].cells[c].x1 < x)
				x = lo->lines[i].cells[c].x1;
	return x;
}

struct column {
	double x1, x2;
};

struct columns {
	struct column v[64];
	size_t n;
};

static void add_to_columns(struct columns *cs, double x1, double x2)
{
	double slack = 2;

	for (size_t i = 0; i < cs->n; i++)
		if (x1 <= cs->v[i].x2 + slack && x2 >= cs->v[i].x1 - slack) {
			if (x1 < cs->v[i].x1)
				cs->v[i].x1 = x1;
			if (x2 > cs->v[i].x2)
				cs->v[i].x2 = x2;
			return;
		}
	if (cs->n < sizeof(cs->v) / sizeof(cs->v[0])) {
		cs->v[cs->n].x1 = x1;
		cs->v[cs->n].x2 = x2;
		cs->n++;
	}
}

static int cmp_column(const void *a, const void *b)
{
	const struct column *x = a, *y = b;

	return x->x1 < y->x1 ? -1 : x->x1 > y->x1;
}

/* Merges columns that came to overlap as they grew. */
static void settle_columns(struct columns *cs)
{
	qsort(cs->v, cs->n, sizeof(cs->v[0]), cmp_column);
	for (size_t i = 1; i < cs->n;) {
		if (cs->v[i].x1 <= cs->v[i - 1].x2) {
			if (cs->v[i].x2 > cs->v[i - 1].x2)
				cs->v[i - 1].x2 = cs->v[i].x2;
			memmove(&cs->v[i], &cs->v[i + 1], (cs->n - i - 1) * sizeof(cs->v[0]));
			cs->n--;
		} else {
			i++;
		}
	}
}

/* The column a cell stands in: the one it overlaps most, else the nearest; -1 for none. */
static int column_of(const struct columns *cs, double x1, double x2)
{
	double best = -1e9, mid = (x1 + x2) / 2;
	int at = -1;

	for (size_t i = 0; i < cs->n; i++) {
		double lo = x1 > cs->v[i].x1 ? x1 : cs->v[i].x1;
		double hi = x2 < cs->v[i].x2 ? x2 : cs->v[i].x2;
		double score = hi > lo ? hi - lo : -fabs(mid - (cs->v[i].x1 + cs->v[i].x2) / 2);

		if (score > best) {
			best = score;
			at = (int)i;
		}
	}
	return at;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * A column blank in every row, whose heading ran into its neighbours'
 * too, shows only as room: where two columns stand twice (or more) the
 * usual distance apart, the columns between are put back, evenly spaced.
 */
static void fill_missing_columns(struct columns *cs)
{
	double d[64], pitch, width = 0;
	size_t n = cs->n;

	if (n < 3)
		return;
	for (size_t k = 1; k < n; k++)
		d[k - 1] = (cs->v[k].x1 + cs->v[k].x2 - cs->v[k - 1].x1 - cs->v[k - 1].x2) / 2;
	for (size_t k = 0; k < n; k++)
		width += cs->v[k].x2 - cs->v[k].x1;
	width /= (double)n;
	qsort(d, n - 1, sizeof(d[0]), cmp_double);
	pitch = d[(n - 1) / 2];
	if (pitch <= width)
		return;
	for (size_t k = 1; k < cs->n && cs->n < sizeof(cs->v) / sizeof(cs->v[0]); k++) {
		double a = (cs->v[k - 1].x1 + cs->v[k - 1].x2) / 2, b = (cs->v[k].x1 + cs->v[k].x2) / 2;
		long missing = lround((b - a) / pitch) - 1;

		if ((b - a) < 1.6 * pitch || missing < 1 || cs->n + (size_t)missing > 64)
			continue;
		memmove(&cs->v[k + (size_t)missing], &cs->v[k], (cs->n - k) * sizeof(cs->v[0]));
		for (long m = 1; m <= missing; m++) {
			double c = a + (b - a) * (double)m / (double)(missing + 1);

			cs->v[k + (size_t)m - 1].x1 = c - width / 2;
			cs->v[k + (size_t)m - 1].x2 = c + width / 2;
		}
		cs->n += (size_t)missing;
		k += (size_t)missing;
	}
}

/*
 * The columns of one part of a table (the rows under one run of headings):
 * from its value cells, then headings that stand over no value (a column
 * blank in every row).  A heading wider than a column (申请人情况 over
 * seven) adds nothing.  *labels_end: where the row labels end.
 */
static void part_columns(const struct layout *lo, size_t from, size_t to, struct columns *cs,
			 double *labels_end)
{
	double first = 1e9, width = 0, pitch = 1e9, labels_right = 0;
	size_t nvalues = 0;

	cs->n = 0;
	for (size_t i = from; i < to; i++) {
		int seen_value = 0;

		for (size_t c = 0; c < lo->lines[i].ncells; c++) {
			const struct cell *x = &lo->lines[i].cells[c];

			if (!x->value) {
				/* a row's label, before its first value: the labels end past it */
				if (!seen_value && line_has_value(&lo->lines[i]) && x->x2 > labels_right)
					labels_right = x->x2;
				continue;
			}
			seen_value = 1;
			add_to_columns(cs, x->x1, x->x2);
			if (x->x1 < first)
				first = x->x1;
			width += x->x2 - x->x1;
			nvalues++;
		}
	}
	settle_columns(cs);
	*labels_end = first;
	if (!cs->n)
		return;
	if (labels_right > first - 1)
		labels_right = first - 1;
	width = width / (double)nvalues;
	/* columns closer than half the narrowest spacing of value columns are one */
	for (size_t k = 1; k < cs->n; k++) {
		double d = (cs->v[k].x1 + cs->v[k].x2 - cs->v[k - 1].x1 - cs->v[k - 1].x2) / 2;

		if (k == 1 || d < pitch)
			pitch = d;
	}
	for (size_t i = from; i < to; i++)
		for (size_t c = 0; c < lo->lines[i].ncells; c++) {
			const struct cell *x = &lo->lines[i].cells[c];

			if (x->value)
				continue;
			for (size_t k = 0; k < x->nspans; k++) {
				const struct span *sp = &x->spans[k];
				double mid = (sp->x1 + sp->x2) / 2;
				int near = 0;

				if (sp->x1 <= labels_right || sp->x2 - sp->x1 > 4 * width + 24)
					continue;
				for (size_t j = 0; j < cs->n && !near; j++)
					near = (sp->x1 <= cs->v[j].x2 && sp->x2 >= cs->v[j].x1) ||
					       fabs(mid - (cs->v[j].x1 + cs->v[j].x2) / 2) < pitch / 2;
				if (!near)
					add_to_columns(cs, sp->x1, sp->x2);
			}
		}
	settle_columns(cs);
	fill_missing_columns(cs);
	if (cs->n && cs->v[0].x1 < *labels_end)
		*labels_end = cs->v[0].x1;	/* a blank column before the first value */
}

/* A table line as the text reader takes it: labels, then a cell for every column. */
static void emit_table_line(struct doc *doc, const struct line *l, const struct columns *cs,
			    double labels_end)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	const char *slots[64] = { NULL };
	size_t nlabels = 0;

	for (size_t c = 0; c < l->ncells; c++) {
		const struct cell *x = &l->cells[c];
		int col;

		if (!x->value && x->x2 <= labels_end + 1) {
			if (nlabels++)
				buf_addc(&b, DOC_CELL_SEP);
			buf_adds(&b, x->text);
			continue;
		}
		col = column_of(cs, x->x1, x->x2);
		if (col < 0 || slots[col]) {
			/* two cells in one column: no grid to trust, the cells as they come */
			buf_release(&b);
			goto plain;
		}
		slots[col] = x->text;
	}
	for (size_t k = 0; k < cs->n; k++) {
		buf_addc(&b, DOC_CELL_SEP);
		buf_adds(&b, slots[k] ? slots[k] : "");
	}
	doc_add_line(doc, b.ptr, b.len);
	buf_release(&b);
	return;
plain:
	for (size_t c = 0; c < l->ncells; c++) {
		if (c)
			buf_addc(&b, DOC_CELL_SEP);
		buf_adds(&b, l->cells[c].text);
	}
	doc_add_line(doc, b.ptr, b.len);
	buf_release(&b);
}

static void emit_text_line(struct doc *doc, const struct line *l)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t c = 0; c < l->ncells; c++) {
		if (c)
			buf_addc(&b, ' ');
		buf_adds(&b, l->cells[c].text);
	}
	doc_add_line(doc, b.ptr, b.len);
	buf_release(&b);
}

/* Whether a line opens a section of the report ("四、政府信息公开行政复议..."). */
static int is_section(const struct line *l)
{
	return l->ncells && fmt_sections_in(l->cells[0].text);
}

/* Whether a line keeps left of the values: a row's label, or labels wrapped over lines. */
static int in_label_area(const struct line *l, double values_x)
{
	return l->ncells && l->cells[l->ncells - 1].x2 <= values_x;
}

/* How many lines of text may stand between two rows of one table (headings of a part). */
#define TABLE_GAP_LINES 4

/*
 * Whether the lines without values from k on hold a line of headings
 * (several cells): the next rows stand under headings of their own.  A
 * row's label wrapped over lines is one cell a line.
 */
static int opens_part(const struct layout *lo, size_t k, size_t end, double vx)
{
	for (; k < end && !line_has_value(&lo->lines[k]); k++)
		if (is_heading_line(&lo->lines[k], vx))
			return 1;
	return 0;
}

/* Whether a line opens a row's or a group's label: a cell that starts with an enumerator. */
static int opens_label(const struct line *l)
{
	for (size_t c = 0; c < l->ncells; c++) {
		char *norm = fmt_norm_label(l->cells[c].text);
		int yes = fmt_enumerator_at(norm) > 0;

		free(norm);
		if (yes)
			return 1;
	}
	return 0;
}

/*
 * Lines of a table without values: labels wrapped over lines, often two
 * columns of them side by side ("（六）其" beside "1.申请人无正当理由逾",
 * then "他处理" beside "期不补正..."), and headings.  Each column's pieces
 * are put back together top to bottom, the columns apart by DOC_CELL_SEP.
 */
static void emit_label_lines(struct doc *doc, const struct layout *lo, size_t from, size_t to)
{
	struct {
		double x1, x2;
		struct buf text;
	} cols[32];
	size_t ncols = 0;
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = from; i < to; i++)
		for (size_t c = 0; c < lo->lines[i].ncells; c++) {
			const struct cell *x = &lo->lines[i].cells[c];
			size_t k = 0;

			while (k < ncols && !(x->x1 <= cols[k].x2 + 4 && x->x2 >= cols[k].x1 - 4))
				k++;
			if (k == ncols) {
				if (ncols == sizeof(cols) / sizeof(cols[0]))
					k = ncols - 1;	/* a hostile page: the rest joins the last */
				else
					buf_init(&cols[ncols++].text, BUF_NOLIMIT);
				cols[k].x1 = x->x1;
				cols[k].x2 = x->x2;
			}
			buf_adds(&cols[k].text, x->text);
			if (x->x1 < cols[k].x1)
				cols[k].x1 = x->x1;
			if (x->x2 > cols[k].x2)
				cols[k].x2 = x->x2;
		}
	/* left to right */
	for (size_t k = 1; k < ncols; k++)
		for (size_t j = k; j > 0 && cols[j].x1 < cols[j - 1].x1; j--) {
			double x1 = cols[j].x1, x2 = cols[j].x2;
			struct buf t = cols[j].text;

			cols[j].x1 = cols[j - 1].x1;
			cols[j].x2 = cols[j - 1].x2;
			cols[j].text = cols[j - 1].text;
			cols[j - 1].x1 = x1;
			cols[j - 1].x2 = x2;
			cols[j - 1].text = t;
		}
	for (size_t k = 0; k < ncols; k++) {
		if (k)
			buf_addc(&b, DOC_CELL_SEP);
		buf_add(&b, cols[k].text.ptr, cols[k].text.len);
		buf_release(&cols[k].text);
	}
	doc_add_line(doc, b.ptr, b.len);
	buf_release(&b);
}

/* The lines of one part of a table into doc: rows with values on the part's columns. */
static void emit_part(const struct layout *lo, size_t headings, size_t from, size_t to,
		      struct doc *doc)
{
	struct columns cs;
	double labels_end;

	part_columns(lo, headings, to, &cs, &labels_end);
	for (size_t k = from; k < to;) {
		size_t run = k, opens;

		if (line_has_value(&lo->lines[k])) {
			emit_table_line(doc, &lo->lines[k++], &cs, labels_end);
			continue;
		}
		while (run < to && !line_has_value(&lo->lines[run]))
			run++;
		/* the end of the label above comes first, on its own: the next labels open later */
		for (opens = k; opens < run && !opens_label(&lo->lines[opens]); opens++)
			;
		if (opens > k && opens < run)
			emit_label_lines(doc, lo, k, opens);
		emit_label_lines(doc, lo, opens < run ? opens : k, run);
		k = run;
	}
}

/*
 * The lines into doc: tables (runs of lines with values, wrapped labels
 * and page breaks between them allowed) part by part, a part being the
 * rows under one run of heading lines; the rest as text.
 */
static void emit(const struct layout *lo, struct doc *doc)
{
	size_t i = 0;

	while (i < lo->n) {
		size_t end, last_value, part, headings, gap;
		double vx;

		if (!line_has_value(&lo->lines[i])) {
			emit_text_line(doc, &lo->lines[i++]);
			continue;
		}
		/*
		 * The table goes on over lines without values that stay left of
		 * its values (rows of blank cells, labels wrapped over lines),
		 * and over a few others (headings of its next part), but not
		 * into a section of the report.
		 */
		last_value = i;
		vx = values_x(lo, i, i + 1);
		for (end = i + 1, gap = 0; end < lo->n && gap <= TABLE_GAP_LINES; end++) {
			const struct line *l = &lo->lines[end];

			if (line_has_value(l)) {
				last_value = end;
				gap = 0;
			} else if (is_section(l)) {
				break;
			} else if (!in_label_area(l, vx)) {
				gap++;
			}
		}
		end = last_value + 1;
		/* the headings just above the table are its first part's (already out as text) */
		for (headings = i; headings > 0 && i - headings < TABLE_GAP_LINES * 2 &&
				   !line_has_value(&lo->lines[headings - 1]);)
			headings--;
		part = i;
		vx = values_x(lo, i, end);
		for (size_t k = i + 1; k <= end; k++) {
			if (k < end && !(line_has_value(&lo->lines[k - 1]) && opens_part(lo, k, end, vx)))
				continue;
			emit_part(lo, headings, part, k, doc);
			part = headings = k;
		}
		i = end;
	}
}

/* The first n-byte needle in hay[0..len), or NULL (memmem is not in C11 nor POSIX). */
static const char *find(const char *hay, size_t len, const char *needle, size_t n)
{
	for (const char *p = hay; (size_t)(hay + len - p) >= n;) {
		const char *c = memchr(p, needle[0], (size_t)(hay + len - p) - n + 1);

		if (!c)
			return NULL;
		if (!memcmp(c, needle, n))
			return c;
		p = c + 1;
	}
	return NULL;
}

/* Bytes out of inflating one stream at most a window of in; -1 past max. */
static long long inflated_size(const unsigned char *in, size_t n, long long max)
{
	unsigned char out[65536];
	z_stream z;
	long long total = 0;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = inflate(&z, Z_NO_FLUSH);
		total += (long long)(sizeof(out) - z.avail_out);
		if (total > max) {
			total = -1;
			break;
		}
	} while (rc == Z_OK && (z.avail_in || !z.avail_out));
	inflateEnd(&z);
	return total;
}

/*
 * Poppler inflates a page's content as it reads it, with no bound: a few
 * megabytes of file can hold a gigabyte of stream.  Every Flate stream is
 * inflated here first, output discarded, against PDF_MAX_STREAM each and
 * PDF_MAX_INFLATED in all.  Returns 0 or an error.
 */
static int check_streams(const char *bytes, size_t len, struct err *err)
{
	long long all = 0;
	const char *p = bytes, *end = bytes + len;

	while ((p = find(p, (size_t)(end - p), "stream", 6))) {
		const char *at = p, *data = p + 6;
		/* the stream's dictionary stands just before it */
		size_t back = (size_t)(at - bytes) < 512 ? (size_t)(at - bytes) : 512;
		long long n;

		p = data;
		if (at >= bytes + 3 && !memcmp(at - 3, "end", 3))
			continue;	/* endstream */
		if (data < end && *data == '\r')
			data++;
		if (data < end && *data == '\n')
			data++;
		else
			continue;
		if (!find(at - back, back, "FlateDecode", 11))
			continue;
		n = inflated_size((const unsigned char *)data, (size_t)(end - data), PDF_MAX_STREAM);
		if (n < 0)
			return err_set(err, OGI_ETOOBIG, "a PDF stream over %d MiB once inflated",
				       PDF_MAX_STREAM >> 20);
		all += n;
		if (all > PDF_MAX_INFLATED)
			return err_set(err, OGI_ETOOBIG, "a PDF of over %d MiB once inflated",
				       PDF_MAX_INFLATED >> 20);
	}
	return 0;
}

int pdf_parse(const char *bytes, size_t len, struct doc *doc, struct err *err)
{
	GBytes *gb = NULL;
	GError *gerr = NULL;
	PopplerDocument *pd = NULL;
	struct layout lo = { NULL, 0, 0, 0 };
	int npages, ret = 0;
	char *title;

	if (!pdf_sniff(bytes, len))
		return err_set(err, OGI_EPARSE, "no PDF header");
	if ((ret = check_streams(bytes, len, err)))
		return ret;
	pthread_mutex_lock(&poppler_lock);
	gb = g_bytes_new_static(bytes, len);
	pd = poppler_document_new_from_bytes(gb, NULL, &gerr);
	if (!pd) {
		int encrypted = gerr && gerr->domain == POPPLER_ERROR &&
				gerr->code == POPPLER_ERROR_ENCRYPTED;

		ret = err_set(err, OGI_EPARSE, "%s",
			      encrypted ? "an encrypted PDF" : "a broken PDF");
		goto out;
	}
	npages = poppler_document_get_n_pages(pd);
	if (npages > PDF_MAX_PAGES) {
		ret = err_set(err, OGI_ETOOBIG, "a PDF of %d pages, over the %d page limit", npages,
			      PDF_MAX_PAGES);
		goto out;
	}
	for (int i = 0; i < npages && !ret; i++) {
		PopplerPage *page = poppler_document_get_page(pd, i);
		size_t before = lo.n;

		if (!page)
			continue;
		ret = read_page(page, i, &lo, err);
		if (lo.n == before) {
			/* no text layer: a scanned page when it shows an image (a blank one is no scan) */
			GList *imgs = poppler_page_get_image_mapping(page);

			doc->images += imgs != NULL;
			poppler_page_free_image_mapping(imgs);
		}
		g_object_unref(page);
	}
	if (ret)
		goto out;
	title = poppler_document_get_title(pd);
	if (title && *title)
		doc->title = xstrdup(title);
	g_free(title);
	/* page numbers are no text */
	for (size_t i = 0; i < lo.n;) {
		struct line *l = &lo.lines[i];

		if (l->ncells == 1 && textline_is_footer(l->cells[0].text, strlen(l->cells[0].text))) {
			free_line(l);
			memmove(l, l + 1, (lo.n - i - 1) * sizeof(*l));
			lo.n--;
		} else {
			i++;
		}
	}
	emit(&lo, doc);
	doc_number_lines(doc);
out:
	for (size_t i = 0; i < lo.n; i++)
		free_line(&lo.lines[i]);
	free(lo.lines);
	if (pd)
		g_object_unref(pd);
	if (gb)
		g_bytes_unref(gb);
	if (gerr)
		g_error_free(gerr);
	pthread_mutex_unlock(&poppler_lock);
	return ret;
}

/* Whether page shows an image and has no text: a scanned page. */
static int scanned_page(PopplerPage *page)
{
	GList *imgs = poppler_page_get_image_mapping(page);
	char *text = imgs ? poppler_page_get_text(page) : NULL;
	int blank = 1;

	for (const char *p = text ? text : ""; *p && blank; p++)
		blank = *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
	g_free(text);
	poppler_page_free_image_mapping(imgs);
	return imgs && blank;
}

/* Page rendered on white at dpi (less when too large for OCR), as a 32 bpp picture; or NULL. */
static PIX *render_page(PopplerPage *page)
{
	double pw, ph, scale = PDF_SCAN_DPI / 72.0;
	cairo_surface_t *surf;
	cairo_t *cr;
	PIX *pix = NULL;
	int w, h, stride;
	const unsigned char *data;

	poppler_page_get_size(page, &pw, &ph);
	if (!(pw > 1 && ph > 1))
		return NULL;
	if (pw * scale > IMG_MAX_SIDE)
		scale = IMG_MAX_SIDE / pw;
	if (ph * scale > IMG_MAX_SIDE)
		scale = IMG_MAX_SIDE / ph;
	if (pw * ph * scale * scale > IMG_MAX_PIXELS)
		scale = sqrt(IMG_MAX_PIXELS / (pw * ph));
	w = (int)(pw * scale);
	h = (int)(ph * scale);
	if (w < 1 || h < 1)
		return NULL;
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	data = cairo_image_surface_get_data(surf);
	stride = cairo_image_surface_get_stride(surf);
	if (data && cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS)
		pix = pixCreate(w, h, 32);
	if (pix) {
		l_uint32 *out = pixGetData(pix);
		l_int32 wpl = pixGetWpl(pix);

		/* cairo's native 0x00RRGGBB to Leptonica's 0xRRGGBB00 */
		for (int y = 0; y < h; y++) {
			const uint32_t *in = (const uint32_t *)(const void *)(data + (size_t)y * stride);

			for (int x = 0; x < w; x++)
				out[(size_t)y * wpl + x] = in[x] << 8;
		}
	}
	cairo_surface_destroy(surf);
	return pix;
}

int pdf_read_scans(const char *bytes, size_t len, struct doc *doc, struct err *err)
{
	GBytes *gb = NULL;
	GError *gerr = NULL;
	PopplerDocument *pd = NULL;
	int npages, ret = 0;

	if ((ret = check_streams(bytes, len, err)))
		return ret;
	pthread_mutex_lock(&poppler_lock);
	gb = g_bytes_new_static(bytes, len);
	pd = poppler_document_new_from_bytes(gb, NULL, &gerr);
	npages = pd ? poppler_document_get_n_pages(pd) : 0;
	pthread_mutex_unlock(&poppler_lock);
	if (!pd) {
		ret = err_set(err, OGI_EPARSE, "a broken PDF");
		goto out;
	}
	for (int i = 0; i < npages && i < PDF_MAX_PAGES && !ret; i++) {
		PopplerPage *page;
		PIX *pix = NULL;
		char name[32];

		/* poppler under the lock, the OCR (the long part) outside it */
		pthread_mutex_lock(&poppler_lock);
		page = poppler_document_get_page(pd, i);
		if (page && scanned_page(page))
			pix = render_page(page);
		if (page)
			g_object_unref(page);
		pthread_mutex_unlock(&poppler_lock);
		if (!pix)
			continue;
		snprintf(name, sizeof(name), "page %d", i + 1);
		ret = imgtable_read_pix(pix, name, doc, err);
		pixDestroy(&pix);
	}
out:
	pthread_mutex_lock(&poppler_lock);
	if (pd)
		g_object_unref(pd);
	if (gb)
		g_bytes_unref(gb);
	pthread_mutex_unlock(&poppler_lock);
	if (gerr)
		g_error_free(gerr);
	return ret;
}
