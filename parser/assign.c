#include "parser/assign.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/number.h"
#include "parser/split.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define MAX_STARTS 64		/* label starts tried in one piece */
#define MAX_COLS 16		/* the widest row of the form has 7 cells, table 4 has 15 */
#define T4_CELLS 15
#define GAP_HIST 64		/* empty-line counts above this are all alike */

/* A row of the form and the values a page gives it, before they are read. */
struct entry {
	const struct fmt_row *row;	/* NULL: values whose label stands elsewhere */
	const struct rec *rec;		/* the record holding the values (or the label) */
	size_t first, n;		/* the values: rec->values[first .. first + n) */
	const struct rec_label *label;	/* the piece that names the row, or NULL */
	enum value_how how;
	unsigned char dead;		/* merged into another entry */
};

struct entries {
	struct entry *v;
	size_t n, alloc;
};

/* A cell about to be stored. */
struct cell {
	const char *raw;	/* NULL: a blank cell */
	unsigned char inferred;
	struct value_src src;
};

#define MAX_READINGS 32	/* readings of one row kept for the columns to decide */

/* A table-3 row whose digits ran together and read more than one way. */
struct pending {
	const struct entry *e;
	long readings[MAX_READINGS][MAX_COLS];
	size_t n;
	struct cell cells[MAX_COLS];	/* where each cell stands */
};

/* Where a table's rows of k counts stand: the grid columns of each count, or none known. */
struct layout {
	int table;
	size_t k;
	int cols[MAX_COLS];
	int known;
};

struct assigner {
	struct report *r;
	const struct recs *rs;
	struct layout *layouts;	/* learnt as rows need them (grid_layout()) */
	size_t nlayouts, alayouts;
	const struct fmt_row *rows;	/* fmt_rows() */
	size_t nrows;
	/* per form row: how complete the cells stored for it are (present, then numbers) */
	unsigned *present, *numbers;
	unsigned char *named;		/* a label on the page names the row */
	size_t found;
	/* the usual empty lines before a row's first value, between values, after the last */
	int gap_start, gap_cell, gap_end;	/* -1: no row to learn from */
	/* table 4: inside it, the block a heading named last, the next block, any read yet */
	int t4ctx, t4block, t4next, t4_any;
	struct pending *pending;
	size_t npending, apending;
	size_t skip_label;	/* the next record's first piece was read with this one's label */
};

static size_t row_index(const struct assigner *a, const struct fmt_row *row)
{
	return (size_t)(row - a->rows);
}

static struct entry *entry_add(struct entries *es, const struct fmt_row *row,
			       const struct rec *rec, size_t first, size_t n,
			       const struct rec_label *label)
{
	struct entry *e;

	ALLOC_GROW(es->v, es->n + 1, es->alloc);
	e = &es->v[es->n++];
	memset(e, 0, sizeof(*e));
	e->row = row;
	e->rec = rec;
	e->first = first;
	e->n = n;
	e->label = label;
	e->how = HOW_LABEL;
	return e;
}

static enum fmt_version vote_version(const struct recs *rs, int year_hint)
{
	int votes = 0;

	for (size_t i = 0; i < rs->n; i++)
		for (size_t l = 0; l < rs->v[i].nlabels; l++)
			votes += fmt_version_vote(rs->v[i].labels[l].norm);
	if (votes > 0)
		return FMT_2021;
	if (votes < 0)
		return FMT_2019;
	if (year_hint >= 2021)
		return FMT_2021;
	if (year_hint >= 2019)
		return FMT_2019;
	if (year_hint > 0)
		return FMT_PRE2019;
	return FMT_2021;
}

/*
 * The row a piece names.  suffix: the piece may carry headings in front of
 * the row's label (text whose cells ran together); the shortest label from
 * a label start that names a row wins.  region 4 holds no row of tables 2
 * and 3.  A row that needs its group is only named under it.
 */
static const struct fmt_row *match_piece_at(const struct assigner *a, const char *stripped,
					    int region, const char *group, int suffix, size_t *at)
{
	size_t starts[MAX_STARTS], n = 1;

	if (region == 4 || region == 0)
		return NULL;
	starts[0] = 0;
	if (suffix)
		n = fmt_label_starts(stripped, starts, MAX_STARTS);
	for (size_t i = n; i-- > 0;) {
		const struct fmt_row *row = fmt_match_row_in(stripped + starts[i], a->r->format, 0);

		if (!row)
			continue;
		if ((row->flags & FR_NEEDS_GROUP) && (!group || strcmp(group, row->group)))
			continue;
		if (at)
			*at = starts[i];
		return row;
	}
	return NULL;
}

static const struct fmt_row *match_piece(const struct assigner *a, const char *stripped,
					 int region, const char *group, int suffix)
{
	return match_piece_at(a, stripped, region, group, suffix, NULL);
}

/* The row the pieces labels[from .. to] name when read as one label (one wrapped over lines). */
static const struct fmt_row *match_joined(const struct assigner *a, const struct rec *rec,
					  size_t from, size_t to, const char *group, int suffix)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	const struct fmt_row *row;
	char *stripped;

	for (size_t l = from; l <= to; l++)
		buf_adds(&b, rec->labels[l].norm);
	stripped = fmt_strip_annotations(buf_str(&b));
	row = match_piece(a, stripped, rec->labels[to].region, group, suffix);
	free(stripped);
	buf_release(&b);
	return row;
}

/*
 * A piece that opens an outcome group names it; NULL otherwise, and when
 * it names a row of the format instead (2019's "(六)其他处理" is a row).
 */
static const char *piece_group(const struct assigner *a, const struct rec_label *lab)
{
	char *stripped;
	const char *g;

	if (lab->region == 0 || lab->region == 4)
		return NULL;
	stripped = fmt_strip_annotations(lab->norm);
	g = fmt_match_group(stripped);
	if (g && fmt_match_row_in(stripped, a->r->format, 3))
		g = NULL;
	free(stripped);
	return g;
}

static size_t digits_of(const char *s, char *out, size_t max);

/*
 * Whether a piece can be the end of a label wrapped from the line before:
 * it opens no row of its own (no enumerator), no group and no section.
 */
static int continues(const struct assigner *a, const struct rec_label *lab)
{
	return lab->region != 0 && !fmt_enumerator_at(lab->norm) && !piece_group(a, lab) &&
	       !fmt_match_section(lab->norm);
}

/*
 * The row two pieces name read as one label, the first a row's label cut
 * at the line's end: the label must start in the first piece, not after a
 * heading there ("本年处理决定数量" / "行政处罚" are a heading and a row).
 */
static const struct fmt_row *match_pair(const struct assigner *a, const struct rec_label *head,
					const struct rec_label *tail, const char *group)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	const struct fmt_row *row;
	char *stripped = fmt_strip_annotations(head->norm);
	size_t head_len = strlen(stripped), at = 0;

	free(stripped);
	buf_adds(&b, head->norm);
	buf_adds(&b, tail->norm);
	stripped = fmt_strip_annotations(buf_str(&b));
	row = match_piece_at(a, stripped, head->region, group, 1, &at);
	free(stripped);
	buf_release(&b);
	return row && at < head_len ? row : NULL;
}

/* Whether a record holds table 4's figures: all 15 cells or some figure (not a row of blanks). */
static int looks_like_t4(const struct rec *rec)
{
	char d[64];

	if (rec->nvalues >= T4_CELLS)
		return 1;
	for (size_t v = 0; v < rec->nvalues; v++)
		if (rec->values[v].text &&
		    (num_parse(rec->values[v].text, VK_COUNT, &(double){ 0 }) == NUM_VALUE ||
		     digits_of(rec->values[v].text, d, sizeof(d))))
			return 1;
	return 0;
}

/* Where the value stands, at column col of the row as read. */
static struct value_src src_of(const struct rec *rec, const struct rec_value *v, int col)
{
	struct value_src s;

	if (rec->table >= 0) {
		s.table = rec->table;
		s.row = rec->row;
		s.col = v ? v->col : col;
		s.line = 0;
	} else {
		s.table = s.row = -1;
		s.col = col;
		s.line = v ? v->line : 0;
	}
	return s;
}

/*
 * Stores cells[0..ncells) as row's values (the rest of the row absent)
 * unless the row already holds cells at least as complete: more cells
 * present, then more of them numbers.
 */
static void offer(struct assigner *a, const struct fmt_row *row, const struct cell *cells,
		  size_t ncells, enum value_how how)
{
	int first = fmt_field_index(a->r->format, row->table, row->key, row->cols[0].key);
	size_t ri = row_index(a, row);
	unsigned present = 0, numbers = 0;
	double nums[MAX_COLS];
	enum value_state states[MAX_COLS];

	if (first < 0 || !ncells)
		return;
	if (ncells > row->ncols)
		ncells = row->ncols;
	for (size_t c = 0; c < ncells; c++) {
		enum num_result res = num_parse(cells[c].raw, row->cols[c].kind, &nums[c]);

		states[c] = res == NUM_VALUE ? VAL_NUMBER : res == NUM_BLANK ? VAL_BLANK : VAL_INVALID;
		if (states[c] != VAL_NUMBER)
			nums[c] = 0;
		present++;
		numbers += states[c] == VAL_NUMBER;
	}
	if (present < a->present[ri] ||
	    (present == a->present[ri] && numbers <= a->numbers[ri]))
		return;
	a->found += present - a->present[ri];
	a->present[ri] = present;
	a->numbers[ri] = numbers;
	for (size_t c = 0; c < row->ncols; c++) {
		struct report_value *v;

		if (c >= ncells) {
			report_set_value(a->r, (size_t)first + c, VAL_ABSENT, 0, NULL);
			continue;
		}
		report_set_value(a->r, (size_t)first + c, states[c], nums[c],
				 cells[c].raw ? cells[c].raw : "");
		v = &a->r->values[first + c];
		v->how = how;
		v->inferred = cells[c].inferred;
		v->src = cells[c].src;
	}
}

/* The ASCII digits of a cell written only with digits (ASCII or full-width), into out; 0 if not. */
static size_t digits_of(const char *s, char *out, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;

	while (*u) {
		if (*u >= '0' && *u <= '9') {
			if (n == max)
				return 0;
			out[n++] = (char)*u++;
		} else if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
			if (n == max)
				return 0;
			out[n++] = (char)('0' + (u[2] - 0x90));	/* ０-９ */
			u += 3;
		} else {
			return 0;
		}
	}
	return n;
}

/* Space for the figures split out of digits that ran together. */
struct splitbuf {
	char text[T4_CELLS][12];
};

/*
 * The digits of values v[0..n) in one run, into d[SPLIT_MAX_DIGITS], with
 * cuts[k] set where a value starts and at[k] the value digit k came from.
 * Returns the digit count, 0 when a value is not digits alone.
 */
static size_t gather_digits(const struct rec_value *v, size_t n, char *d, unsigned char *cuts,
			    size_t *at)
{
	size_t nd = 0;

	for (size_t i = 0; i < n; i++) {
		size_t got = v[i].text ? digits_of(v[i].text, d + nd, SPLIT_MAX_DIGITS - nd) : 0;

		if (!got)
			return 0;
		for (size_t j = 0; j < got; j++)
			at[nd + j] = i;
		cuts[nd] = 1;
		nd += got;
	}
	return nd;
}

/*
 * Cells from values holding several cells' digits each (" 0 0 00 0",
 * "160000016"): v[0..n) split into the blocks of row's columns, nblocks of
 * them, the text's own cuts kept.  Returns the cell count, 0 when a value
 * is not all digits or the form does not decide the split.
 */
static size_t split_cells(const struct rec *rec, const struct rec_value *v, size_t n,
			  const struct fmt_row *row, size_t nblocks, struct cell *cells,
			  struct splitbuf *sb)
{
	char d[SPLIT_MAX_DIGITS];
	unsigned char cuts[SPLIT_MAX_DIGITS + 1] = { 0 }, present[T4_CELLS];
	long out[T4_CELLS];
	struct split_row sr = { row->cols, row->ncols, nblocks };
	size_t nd = 0, k = row->ncols * nblocks, at[SPLIT_MAX_DIGITS];

	if (k > T4_CELLS)
		return 0;
	nd = gather_digits(v, n, d, cuts, at);
	if (nd < 2 || split_digits(d, nd, cuts, &sr, out, present) == SPLIT_NONE)
		return 0;
	for (size_t c = 0, pos = 0; c < k; c++) {
		size_t len;

		cells[c].inferred = 1;
		if (!present[c]) {
			cells[c].raw = NULL;
			cells[c].src = src_of(rec, &v[at[pos < nd ? pos : nd - 1]], (int)c);
			continue;
		}
		len = (size_t)snprintf(sb->text[c], sizeof(sb->text[c]), "%ld", out[c]);
		cells[c].raw = sb->text[c];
		cells[c].src = src_of(rec, &v[at[pos]], (int)c);
		pos += len;
	}
	return k;
}

/* The usual count of empty lines in a histogram, the smallest of the most frequent; -1 if none. */
static int mode_of(const unsigned *hist)
{
	int best = -1;

	for (int g = 0; g < GAP_HIST; g++)
		if (hist[g] && (best < 0 || hist[g] > hist[best]))
			best = g;
	return best;
}

static void note_min(int gap, int *min)
{
	if (gap >= 0 && (*min < 0 || gap < *min))
		*min = gap;
}

static void hist_add(unsigned *hist, int gap, int *min)
{
	if (gap < 0)
		return;
	hist[gap < GAP_HIST ? gap : GAP_HIST - 1]++;
	note_min(gap, min);
}

/*
 * The usual gaps of a page whose tables stand one cell a line: between
 * values, and before the first and after the last value of a whole row
 * (rows of the most frequent width, two values or more).  A gap wider
 * than usual is where a blank cell was.  With no whole row to learn from,
 * a row's first value is as far from its label as from another value.
 */
static void learn_gaps(struct assigner *a, const struct recs *rs)
{
	unsigned start[GAP_HIST] = { 0 }, cell[GAP_HIST] = { 0 }, end[GAP_HIST] = { 0 };
	unsigned widths[GAP_HIST] = { 0 };
	size_t width = 0;
	int min = -1;

	for (size_t i = 0; i < rs->n; i++) {
		const struct rec *rec = &rs->v[i];

		if (rec->table < 0 && rec->nvalues >= 2)
			widths[rec->nvalues < GAP_HIST ? rec->nvalues : GAP_HIST - 1]++;
	}
	for (size_t w = 2; w < GAP_HIST; w++)
		if (widths[w] > widths[width])
			width = w;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rec *rec = &rs->v[i];
		int whole = width && rec->nvalues == width;

		if (!rec->nvalues || rec->table >= 0)
			continue;
		for (size_t v = 1; v < rec->nvalues; v++)
			hist_add(cell, rec->values[v].gap, &min);
		if (whole) {
			hist_add(start, rec->values[0].gap, &min);
			hist_add(end, rec->gap_after, &min);
		} else {
			note_min(rec->values[0].gap, &min);
			note_min(rec->gap_after, &min);
		}
	}
	a->gap_cell = mode_of(cell);
	a->gap_start = mode_of(start);
	a->gap_end = mode_of(end);
	if (a->gap_cell < 0)
		a->gap_cell = min;
	if (a->gap_start < 0)
		a->gap_start = a->gap_cell;
	if (a->gap_end < 0)
		a->gap_end = min;
}

/*
 * Blank cells of a row read one cell a line: k - n of them among the n
 * values rec->values[first ..], placed where the empty lines around the
 * values are more than usual.  Before each value, blanks go in proportion
 * to the extra empty lines there (a blank adds the same count wherever it
 * stands); what is left goes after the last value if there is extra room
 * there (the end of a row also carries the end of a table, so its extra
 * lines count nothing).  row_start: the values open a row of their own
 * (a data row under headings), so the first gap is a row's, not a cell's.
 * Returns k, or 0 when the blanks cannot be placed: the row stays unread
 * rather than shifted left.
 */
static size_t place_blanks(const struct assigner *a, const struct rec *rec, size_t first, size_t n,
			   size_t k, int row_start, struct cell *cells)
{
	const struct rec_value *v = rec->values + first;
	size_t need = k - n, blanks[T4_CELLS + 1] = { 0 }, placed = 0, c = 0;
	int excess[T4_CELLS + 1], inside = 0, unit = 0, end_gap;

	if (!n || n >= k || k > T4_CELLS || rec->table >= 0)
		return 0;
	end_gap = first + n == rec->nvalues ? rec->gap_after : -1;
	for (size_t p = 0; p <= n; p++) {
		int gap = p < n ? v[p].gap : end_gap;
		int base = p == n ? a->gap_end : p ? a->gap_cell : row_start ? a->gap_end : a->gap_start;

		if (p < n && gap < 0)
			return 0;	/* values side by side on a line: no empty line to read */
		excess[p] = gap >= 0 && base >= 0 && gap > base ? gap - base : 0;
		if (p < n && excess[p]) {
			inside += excess[p];
			if (!unit || excess[p] < unit)
				unit = excess[p];
		}
	}
	if (inside && (size_t)inside % need == 0) {
		/* every blank before a value: in proportion to the extra lines */
		for (size_t p = 0; p < n; p++) {
			if ((size_t)excess[p] * need % (size_t)inside)
				goto by_unit;
			blanks[p] = (size_t)excess[p] * need / (size_t)inside;
		}
		placed = need;
	} else if (inside) {
by_unit:
		placed = 0;
		for (size_t p = 0; p < n; p++) {
			if (excess[p] % unit)
				return 0;
			blanks[p] = (size_t)(excess[p] / unit);
			placed += blanks[p];
		}
	}
	if (placed > need)
		return 0;
	if (placed < need) {
		if (!excess[n])
			return 0;
		blanks[n] = need - placed;
	}
	for (size_t p = 0; p <= n; p++) {
		for (size_t b = 0; b < blanks[p]; b++, c++) {
			cells[c].raw = NULL;
			cells[c].inferred = 1;
			cells[c].src = src_of(rec, NULL, (int)c);
			cells[c].src.line = p < n ? v[p].line : v[n - 1].line;
		}
		if (p < n) {
			cells[c].raw = v[p].text;
			cells[c].inferred = 0;
			cells[c].src = src_of(rec, &v[p], (int)c);
			c++;
		}
	}
	return c;
}

/*
 * A table-3 row whose digits read more than one way: its readings kept,
 * for the other rows' columns to decide (resolve_pending()).  Returns
 * whether it was kept.
 */
static int keep_readings(struct assigner *a, const struct entry *e)
{
	const struct rec *rec = e->rec;
	const struct rec_value *v = rec->values + e->first;
	struct split_row sr = { e->row->cols, e->row->ncols, 1 };
	unsigned char cuts[SPLIT_MAX_DIGITS + 1] = { 0 };
	char d[SPLIT_MAX_DIGITS];
	long out[MAX_READINGS * MAX_COLS];
	size_t nd = 0, at[SPLIT_MAX_DIGITS], n;
	struct pending *p;

	if (e->row->table != 3 || e->row->ncols > MAX_COLS)
		return 0;
	nd = gather_digits(v, e->n, d, cuts, at);
	n = split_all(d, nd, cuts, &sr, out, MAX_READINGS);
	if (n < 2 || n > MAX_READINGS)
		return 0;
	ALLOC_GROW(a->pending, a->npending + 1, a->apending);
	p = &a->pending[a->npending++];
	p->e = e;
	p->n = n;
	for (size_t r = 0; r < n; r++)
		memcpy(p->readings[r], out + r * e->row->ncols, e->row->ncols * sizeof(long));
	for (size_t c = 0; c < e->row->ncols; c++) {
		p->cells[c].raw = NULL;
		p->cells[c].inferred = 1;
		p->cells[c].src = src_of(rec, &v[at[0]], (int)c);
	}
	return 1;
}

/* The number stored at (row, column c), when it is one. */
static int num_at(const struct assigner *a, const struct fmt_row *row, size_t c, long *out)
{
	int first = fmt_field_index(a->r->format, row->table, row->key, row->cols[0].key);
	const struct report_value *v;

	if (first < 0)
		return 0;
	v = &a->r->values[first + (int)c];
	if (v->state == VAL_BLANK) {
		*out = 0;
		return 2;	/* a blank: nothing to bound by, 0 in a sum */
	}
	if (v->state != VAL_NUMBER)
		return 0;
	*out = (long)v->num;
	return 1;
}

/* Sum of column c over the table-3 rows with flag (but skip); 0 when a cell is not known. */
static int sum_rows(const struct assigner *a, unsigned flag, const struct fmt_row *skip, size_t c,
		    long *sum)
{
	*sum = 0;
	for (size_t i = 0; i < a->nrows; i++) {
		long x;

		if (a->rows[i].table != 3 || !(a->rows[i].formats & a->r->format) ||
		    !(a->rows[i].flags & flag) || &a->rows[i] == skip)
			continue;
		if (!num_at(a, &a->rows[i], c, &x))
			return 0;
		*sum += x;
	}
	return 1;
}

/*
 * Whether a reading of row fits table 3's columns as far as the other rows
 * are known.  exact: the columns' sums must hold (new + carried_over =
 * total + carried_forward, total = the outcomes); else only the bounds
 * they imply (no outcome above the total, no total above the inflow).
 */
static int reading_fits(const struct assigner *a, const struct fmt_row *row, const long *x,
			int exact)
{
	for (size_t c = 0; c < row->ncols; c++) {
		long in = 0, total = 0, out = 0, outcomes = 0, others = 0;
		int has_in = sum_rows(a, FR_INFLOW, row, c, &in);
		int has_total = sum_rows(a, FR_TOTAL, row, c, &total);
		int has_out = sum_rows(a, FR_OUTFLOW, row, c, &out);
		int has_outcomes = sum_rows(a, FR_OUTCOME, row, c, &outcomes);

		if (row->flags & FR_OUTCOME) {
			if ((has_total && x[c] > total) || (has_in && !(row->flags & FR_INFLOW) &&
							    sum_rows(a, FR_INFLOW, NULL, c, &in) &&
							    x[c] > in))
				return 0;
			if (exact && has_total && has_outcomes && x[c] != total - outcomes)
				return 0;
		} else if (row->flags & FR_INFLOW) {
			if (has_total && has_out && x[c] > total + out)
				return 0;
			if (exact && has_total && has_out && has_in && x[c] != total + out - in)
				return 0;
		} else if (row->flags & FR_TOTAL) {
			if (has_in && sum_rows(a, FR_INFLOW, NULL, c, &in) && x[c] > in)
				return 0;
			for (size_t i = 0; i < a->nrows; i++) {
				const struct fmt_row *o = &a->rows[i];

				if (o->table == 3 && (o->formats & a->r->format) &&
				    (o->flags & FR_OUTCOME) && num_at(a, o, c, &others) == 1 &&
				    others > x[c])
					return 0;
			}
			if (exact && has_outcomes && x[c] != outcomes)
				return 0;
		} else if (row->flags & FR_OUTFLOW) {
			if (has_in && x[c] > in)
				return 0;
			if (exact && has_in && has_total && x[c] != in - total)
				return 0;
		}
	}
	return 1;
}

/* Rows that read several ways, decided by the columns of the rows read one way; repeats while any is. */
static void resolve_pending(struct assigner *a)
{
	for (int progress = 1; progress;) {
		progress = 0;
		for (size_t i = 0; i < a->npending; i++) {
			struct pending *p = &a->pending[i];
			const struct fmt_row *row = p->e->row;
			char text[MAX_COLS][24];
			size_t fit = 0, which = 0;

			if (!p->n)
				continue;
			for (int exact = 0; exact < 2 && fit != 1; exact++) {
				fit = 0;
				for (size_t r = 0; r < p->n; r++)
					if (reading_fits(a, row, p->readings[r], exact)) {
						fit++;
						which = r;
					}
			}
			if (fit != 1)
				continue;
			for (size_t c = 0; c < row->ncols; c++) {
				snprintf(text[c], sizeof(text[c]), "%ld", p->readings[which][c]);
				p->cells[c].raw = text[c];
			}
			offer(a, row, p->cells, row->ncols, p->e->how);
			p->n = 0;
			progress = 1;
		}
	}
}

#define MAX_LAYOUTS 8	/* distinct column lists counted for one table and width */

/*
 * The grid columns of a table's rows of k counts: those of the rows of
 * the table with k values, the most frequent list (the first on a tie).
 */
static const struct layout *grid_layout(struct assigner *a, int table, size_t k)
{
	int lists[MAX_LAYOUTS][MAX_COLS];
	unsigned counts[MAX_LAYOUTS] = { 0 };
	size_t nlists = 0, best = 0;
	struct layout *l;

	for (size_t i = 0; i < a->nlayouts; i++)
		if (a->layouts[i].table == table && a->layouts[i].k == k)
			return &a->layouts[i];
	for (size_t i = 0; i < a->rs->n; i++) {
		const struct rec *rec = &a->rs->v[i];
		size_t j, c;

		if (rec->table != table || rec->nvalues != k)
			continue;
		for (c = 1; c < k && rec->values[c].col > rec->values[c - 1].col; c++)
			;
		if (c < k)
			continue;	/* columns out of order: no grid to learn from */
		for (j = 0; j < nlists; j++) {
			for (c = 0; c < k && lists[j][c] == rec->values[c].col; c++)
				;
			if (c == k)
				break;
		}
		if (j == nlists) {
			if (nlists == MAX_LAYOUTS)
				continue;
			for (c = 0; c < k; c++)
				lists[j][c] = rec->values[c].col;
			nlists++;
		}
		counts[j]++;
	}
	for (size_t j = 1; j < nlists; j++)
		if (counts[j] > counts[best])
			best = j;
	ALLOC_GROW(a->layouts, a->nlayouts + 1, a->alayouts);
	l = &a->layouts[a->nlayouts++];
	l->table = table;
	l->k = k;
	l->known = nlists > 0;
	if (l->known)
		memcpy(l->cols, lists[best], k * sizeof(l->cols[0]));
	return l;
}

/* Between the figures of a merged cell: padding, a slash, 、. */
static int merged_sep(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x3000 || cp == '/' || cp == 0xFF0F ||
	       cp == 0x3001;
}

/*
 * The figures of a count cell merged over m columns ("12 3", "12/3" where
 * a colspan covers two counts) into sb->text[at .. at + m), when it holds
 * exactly m numbers apart by merged_sep(); returns whether it did.
 */
static int split_merged(const char *text, size_t m, struct splitbuf *sb, size_t at)
{
	const char *p = text, *end = text + strlen(text);
	size_t got = 0;

	if (m < 2 || at + m > T4_CELLS)
		return 0;
	while (p < end) {
		const char *from = p, *to;
		uint32_t cp;
		double v;

		if (utf8_decode(&p, end, &cp))
			return 0;
		if (merged_sep(cp))
			continue;
		to = p;
		while (to < end) {
			const char *q = to;

			if (utf8_decode(&q, end, &cp) || merged_sep(cp))
				break;
			to = q;
		}
		if (got == m || (size_t)(to - from) >= sizeof(sb->text[0]))
			return 0;
		memcpy(sb->text[at + got], from, (size_t)(to - from));
		sb->text[at + got][to - from] = '\0';
		if (num_parse(sb->text[at + got], VK_COUNT, &v) != NUM_VALUE)
			return 0;
		got++;
		p = to;
	}
	return got == m;
}

/*
 * A grid row with fewer counts than its row of the form: each count under
 * the column it stands in, as the table's full rows place them
 * (grid_layout()).  A column no cell starts in is blank: the cell before
 * it spans it (a colspan; its figures are split when it holds one for
 * each column it covers), or a cell from the row above does (a rowspan).
 * The row ends with its last cell.  Returns 0 when the row's columns are
 * not the table's: then it is read in order.
 */
static size_t grid_cells(struct assigner *a, const struct rec *rec, const struct rec_value *v,
			 size_t n, size_t k, struct cell *cells, struct splitbuf *sb)
{
	const struct layout *l = grid_layout(a, rec->table, k);
	size_t at[MAX_COLS], end;

	if (!l->known)
		return 0;
	for (size_t i = 0, c = 0; i < n; i++) {
		while (c < k && l->cols[c] < v[i].col)
			c++;
		if (c == k || l->cols[c] != v[i].col)
			return 0;
		at[i] = c++;
	}
	end = at[n - 1] + 1;
	for (size_t c = 0; c < end; c++) {
		cells[c].raw = NULL;
		cells[c].inferred = 1;
		cells[c].src = src_of(rec, NULL, l->cols[c]);
	}
	for (size_t i = 0; i < n; i++) {
		size_t span = (i + 1 < n ? at[i + 1] : k) - at[i];

		cells[at[i]].raw = v[i].text;
		cells[at[i]].inferred = 0;
		cells[at[i]].src = src_of(rec, &v[i], (int)at[i]);
		if (span < 2 || num_parse(v[i].text, VK_COUNT, &(double){ 0 }) != NUM_TEXT)
			continue;
		/* the last cell may span to the row's end: as many columns as it has figures */
		for (size_t m = span; m >= 2; m--) {
			if (!split_merged(v[i].text, m, sb, at[i]))
				continue;
			for (size_t c = 0; c < m; c++) {
				cells[at[i] + c].raw = sb->text[at[i] + c];
				cells[at[i] + c].inferred = 1;
				cells[at[i] + c].src = src_of(rec, &v[i], (int)(at[i] + c));
			}
			if (at[i] + m > end)
				end = at[i] + m;
			break;
		}
	}
	return end;
}

/* The cells an entry gives its row; 0 when they cannot be read. */
static size_t entry_cells(struct assigner *a, const struct entry *e, struct cell *cells,
			  struct splitbuf *sb)
{
	const struct rec *rec = e->rec;
	const struct rec_value *v = rec->values + e->first;
	size_t k = e->row->ncols, n = e->n, got;

	if (rec->table >= 0 && n < k && (got = grid_cells(a, rec, v, n, k, cells, sb)))
		return got;
	if (rec->table >= 0 || n >= k) {
		/* a grid row, or a text row with every cell: in order (a short grid row ends early) */
		n = n < k ? n : k;
		for (size_t c = 0; c < n; c++) {
			cells[c].raw = v[c].text;
			cells[c].inferred = 0;
			cells[c].src = src_of(rec, &v[c], (int)c);
		}
		return n;
	}
	n = split_cells(rec, v, n, e->row, 1, cells, sb);
	return n ? n : place_blanks(a, rec, e->first, e->n, k, !e->label, cells);
}

/* The FR_T4 rows of the report's format, in order; returns how many (3). */
static size_t t4_rows(const struct assigner *a, const struct fmt_row **out)
{
	size_t n = 0;

	for (size_t i = 0; i < a->nrows && n < 3; i++)
		if ((a->rows[i].flags & FR_T4) && (a->rows[i].formats & a->r->format))
			out[n++] = &a->rows[i];
	return n;
}

/* Table 4: one row of 15 cells, or a block of five under the heading that names it. */
static void assign_t4(struct assigner *a, const struct rec *rec)
{
	const struct fmt_row *blocks[3];
	size_t nb = t4_rows(a, blocks), n = rec->nvalues, used = 0, b;
	struct cell cells[T4_CELLS];
	struct splitbuf sb;

	if (nb != 3)
		return;
	if (n < T4_CELLS && (n != 5 || a->t4_any)) {
		/* digits run together: the whole table first, else the block in hand */
		size_t got = a->t4_any ? 0 : split_cells(rec, rec->values, n, blocks[0], 3, cells, &sb);

		if (got) {
			for (b = 0; b < 3; b++)
				offer(a, blocks[b], cells + b * 5, 5, HOW_LABEL);
			a->t4_any = 1;
			a->t4next = 3;
			return;
		}
		b = a->t4block >= 0 ? (size_t)a->t4block : (size_t)a->t4next;
		if (b < 3 && n < 5 && split_cells(rec, rec->values, n, blocks[b], 1, cells, &sb)) {
			offer(a, blocks[b], cells, 5, HOW_LABEL);
			a->t4_any = 1;
			a->t4next = (int)b + 1;
			a->t4block = -1;
			return;
		}
	}
	if (!a->t4_any && n < T4_CELLS && place_blanks(a, rec, 0, n, T4_CELLS, 1, cells)) {
		/* one cell a line, blanks between: the whole table */
		for (b = 0; b < 3; b++)
			offer(a, blocks[b], cells + b * 5, 5, HOW_LABEL);
		a->t4_any = 1;
		a->t4next = 3;
		return;
	}
	b = n <= 5 && a->t4block >= 0 ? (size_t)a->t4block : n <= 5 ? (size_t)a->t4next : 0;
	for (; b < 3 && used < n; b++) {
		size_t take = n - used < 5 ? n - used : 5;

		for (size_t c = 0; c < take; c++) {
			cells[c].raw = rec->values[used + c].text;
			cells[c].inferred = 0;
			cells[c].src = src_of(rec, &rec->values[used + c], (int)(used + c));
		}
		offer(a, blocks[b], cells, take, HOW_LABEL);
		used += take;
	}
	a->t4_any = 1;
	a->t4next = (int)b;
	a->t4block = -1;
}

/* Table 4's headings: inside it from a marker or its section, and the block a heading names. */
static void note_t4(struct assigner *a, const struct rec *rec)
{
	for (size_t l = 0; l < rec->nlabels; l++) {
		const struct rec_label *lab = &rec->labels[l];
		int block;

		if (lab->region == 4 || (lab->region < 0 && fmt_is_t4_marker(lab->norm)))
			a->t4ctx = 1;
		else if (lab->region >= 0)
			a->t4ctx = 0;
		if (a->t4ctx && (block = fmt_t4_block(lab->norm)) >= 0)
			a->t4block = block;
	}
}

/* Marks the label-only entry at the end of es for row dead (a wrapped label read again joined). */
static void drop_label_entry(struct entries *es, const struct fmt_row *row, const struct rec *rec)
{
	for (size_t i = es->n; i-- > 0;) {
		struct entry *e = &es->v[i];

		if (e->rec != rec)
			break;
		if (!e->dead && e->row == row && !e->n)
			e->dead = 1;
	}
}

/*
 * The entries of one record: a row for each label piece that names one
 * (the last with the record's values), values with no label as an
 * orphan, table 4's values straight to their blocks.
 */
static void walk_record(struct assigner *a, const struct rec *rec, const struct rec *next,
			const char **group, struct entries *es)
{
	const struct fmt_row *vrow = NULL;
	const struct rec_label *vlabel = NULL;
	int text = rec->table < 0;
	size_t nl = rec->nlabels, first = a->skip_label;

	a->skip_label = 0;
	note_t4(a, rec);
	if (rec->header)
		return;
	for (size_t l = first; l < nl; l++) {
		const struct rec_label *lab = &rec->labels[l];
		int value_piece = rec->nvalues && l == nl - 1;
		const struct fmt_row *row = NULL;
		const char *g = piece_group(a, lab);
		char *stripped;

		if (g) {
			*group = g;
			continue;
		}
		if (lab->region == 0)
			continue;
		if (!value_piece && (!text || lab->multi))
			continue;	/* headings, or a grid's row label before the one with values */
		stripped = fmt_strip_annotations(lab->norm);
		/* a grid's cells stand apart: only text runs headings into a row's label */
		row = match_piece(a, stripped, lab->region, *group, value_piece && text);
		free(stripped);
		/* a label wrapped over lines: read it with the pieces before or after it */
		if (!row && value_piece && text && next && next->nlabels &&
		    continues(a, &next->labels[0]) &&
		    (row = match_pair(a, lab, &next->labels[0], *group)))
			a->skip_label = 1;	/* the next record's first piece was this label's end */
		for (size_t back = 1; !row && value_piece && back <= 2 && back <= l - first; back++) {
			if (piece_group(a, &rec->labels[l - back]))
				break;
			row = match_joined(a, rec, l - back, l, *group, 1);
			if (row)
				drop_label_entry(es, row, rec);
		}
		if (!row && !value_piece && text && l + 1 < nl && !(rec->nvalues && l + 1 == nl - 1) &&
		    !piece_group(a, &rec->labels[l + 1]) &&
		    (row = match_joined(a, rec, l, l + 1, *group, 0)))
			l++;
		if (!row)
			continue;
		*group = row->group;
		if (value_piece) {
			vrow = row;
			vlabel = lab;
		} else {
			entry_add(es, row, rec, 0, 0, lab);
		}
	}
	/* a grid row's label is the last label cell that names a row: earlier ones are groups */
	for (size_t l = nl; !text && !vrow && rec->nvalues && l-- > 1;) {
		char *stripped = fmt_strip_annotations(rec->labels[l - 1].norm);

		if (!piece_group(a, &rec->labels[l - 1]) &&
		    (vrow = match_piece(a, stripped, rec->labels[l - 1].region, *group, 0))) {
			vlabel = &rec->labels[l - 1];
			*group = vrow->group;
		}
		free(stripped);
	}
	if (!rec->nvalues)
		return;
	if (!vrow && (rec->region == 4 || (rec->region < 0 && a->t4ctx)) && looks_like_t4(rec)) {
		assign_t4(a, rec);
		return;
	}
	if (rec->region == 0)
		return;	/* figures of the narrative: claims, not cells */
	if (vrow)
		a->t4ctx = 0;
	entry_add(es, vrow, rec, 0, rec->nvalues, vlabel);
}

/* Values beyond a text row's cells belong to the row whose label stands elsewhere. */
static void spill(struct entries *es)
{
	struct entries out = { NULL, 0, 0 };

	/* rebuilt in one pass: a page of many long rows costs no more than it has */
	for (size_t i = 0; i < es->n; i++) {
		struct entry e = es->v[i];
		size_t k, extra = 0;

		ALLOC_GROW(out.v, out.n + 1, out.alloc);
		out.v[out.n++] = e;
		if (e.dead || !e.row || e.rec->table >= 0 || e.n <= e.row->ncols)
			continue;
		k = e.row->ncols;
		for (size_t v = e.first + k; v < e.first + e.n; v++)
			extra += e.rec->values[v].text != NULL;
		out.v[out.n - 1].n = k;
		if (extra) {
			e.row = NULL;
			e.label = NULL;
			e.first += k;
			e.n -= k;
			ALLOC_GROW(out.v, out.n + 1, out.alloc);
			out.v[out.n++] = e;
		}
	}
	free(es->v);
	*es = out;
}

static int has_figure(const struct entry *e)
{
	for (size_t v = e->first; v < e->first + e->n; v++)
		if (e->rec->values[v].text)
			return 1;
	return 0;
}

/* Values with no label, just before a label with none: one row wrapped around its values. */
static void pair_orphans(struct entries *es)
{
	for (size_t i = 0; i + 1 < es->n; i++) {
		struct entry *o = &es->v[i], *l = &es->v[i + 1];

		if (o->dead || o->row || !has_figure(o) || l->dead || !l->row || l->n)
			continue;
		l->rec = o->rec;
		l->first = o->first;
		l->n = o->n;
		o->dead = 1;
	}
}

/*
 * Runs of values with no label between two labelled rows of one table go
 * to the rows the form puts between those two, when the counts agree and
 * no label on the page names those rows.
 */
static void fill_by_order(struct assigner *a, struct entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		size_t j, k, norphans = 0, nbetween = 0, p = SIZE_MAX, lo, hi;

		if (es->v[i].dead || es->v[i].row || !has_figure(&es->v[i]))
			continue;
		for (k = i; k-- > 0;)
			if (!es->v[k].dead && es->v[k].row) {
				p = k;
				break;
			}
		for (j = i; j < es->n && (es->v[j].dead || !es->v[j].row); j++)
			norphans += !es->v[j].dead && has_figure(&es->v[j]);
		if (p == SIZE_MAX || j == es->n || es->v[p].row->table != es->v[j].row->table) {
			i = j;
			continue;
		}
		lo = row_index(a, es->v[p].row);
		hi = row_index(a, es->v[j].row);
		for (size_t r = lo + 1; r < hi; r++)
			nbetween += (a->rows[r].formats & a->r->format) && !a->named[r] &&
				    a->rows[r].table == es->v[p].row->table;
		if (lo < hi && nbetween == norphans) {
			size_t r = lo + 1;

			for (size_t o = i; o < j; o++) {
				if (es->v[o].dead || !has_figure(&es->v[o]))
					continue;
				while (!(a->rows[r].formats & a->r->format) || a->named[r] ||
				       a->rows[r].table != es->v[p].row->table)
					r++;
				es->v[o].row = &a->rows[r++];
				es->v[o].how = HOW_ORDER;
			}
		}
		i = j;
	}
}

/* The tables that got a figure: a label there without values is a row of blanks. */
static void blank_rows(struct assigner *a, const struct entries *es)
{
	int has_table[5] = { 0 };
	struct cell cells[MAX_COLS];

	for (size_t i = 0; i < a->nrows; i++)
		if (a->numbers[i] && a->rows[i].table >= 2 && a->rows[i].table <= 4)
			has_table[a->rows[i].table] = 1;
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->v[i];

		if (e->dead || !e->row || e->n || !has_table[e->row->table] ||
		    e->row->ncols > MAX_COLS)
			continue;
		for (size_t c = 0; c < e->row->ncols; c++) {
			cells[c].raw = NULL;
			cells[c].inferred = 0;
			cells[c].src = src_of(e->rec, NULL, (int)c);
			cells[c].src.line = e->label ? e->label->line : 0;
		}
		offer(a, e->row, cells, e->row->ncols, HOW_LABEL);
	}
}

size_t assign_records(const struct recs *rs, int year_hint, struct report *r)
{
	struct assigner a;
	struct entries es = { NULL, 0, 0 };
	const char *group = NULL;

	memset(&a, 0, sizeof(a));
	a.r = r;
	a.rs = rs;
	a.rows = fmt_rows(&a.nrows);
	a.t4block = -1;
	report_set_format(r, vote_version(rs, year_hint));
	if (!(r->format & (FMT_2019 | FMT_2021)))
		return 0;
	a.present = xcalloc(a.nrows, sizeof(*a.present));
	a.numbers = xcalloc(a.nrows, sizeof(*a.numbers));
	a.named = xcalloc(a.nrows, 1);
	learn_gaps(&a, rs);
	for (size_t i = 0; i < rs->n; i++)
		walk_record(&a, &rs->v[i], i + 1 < rs->n ? &rs->v[i + 1] : NULL, &group, &es);
	spill(&es);
	pair_orphans(&es);
	for (size_t i = 0; i < es.n; i++)
		if (!es.v[i].dead && es.v[i].row)
			a.named[row_index(&a, es.v[i].row)] = 1;
	fill_by_order(&a, &es);
	for (size_t i = 0; i < es.n; i++) {
		const struct entry *e = &es.v[i];
		struct cell cells[MAX_COLS];
		struct splitbuf sb;
		size_t n;

		if (e->dead || !e->row || !e->n || e->row->ncols > MAX_COLS)
			continue;
		n = entry_cells(&a, e, cells, &sb);
		if (n)
			offer(&a, e->row, cells, n, e->how);
		else
			keep_readings(&a, e);
	}
	resolve_pending(&a);
	blank_rows(&a, &es);
	free(es.v);
	free(a.present);
	free(a.numbers);
	free(a.named);
	free(a.pending);
	free(a.layouts);
	return a.found;
}
