#include "parser/split.h"

#include <string.h>

#include "util/banned.h"

#define CELL_MAX_DIGITS 7	/* a count of ten million applications is no count */
#define SEARCH_BUDGET 200000	/* readings tried before giving up: hostile runs stay cheap */

struct search {
	const char *d;
	size_t n;
	const unsigned char *cuts;
	const struct split_row *row;
	size_t ncells;
	long cur[SPLIT_MAX_DIGITS];
	long *found;		/* room for max readings */
	size_t max;
	size_t nfound;		/* stops past max */
	long budget;
};

/* Whether the block ending at cell c (its last cell) adds up, or has no sum to check. */
static int block_adds_up(const struct search *s, size_t c)
{
	const struct fmt_col *cols = s->row->cols;
	size_t first = c + 1 - s->row->ncols;
	long parts = 0, total = -1;
	int nparts = 0;

	for (size_t i = 0; i < s->row->ncols; i++) {
		if (cols[i].flags & FC_TOTAL) {
			total = s->cur[first + i];
		} else if (cols[i].flags & (FC_APPLICANT | FC_PART)) {
			parts += s->cur[first + i];
			nparts++;
		}
	}
	return total < 0 || !nparts || parts == total;
}

static void search_from(struct search *s, size_t p, size_t c)
{
	size_t left = s->ncells - c, rest = s->n - p;

	if (s->nfound > s->max)
		return;
	if (--s->budget < 0) {
		s->nfound = s->max + 1;	/* undecided is as good as ambiguous */
		return;
	}
	if (!left) {
		if (rest)
			return;
		if (s->nfound < s->max)
			memcpy(s->found + s->nfound * s->ncells, s->cur, s->ncells * sizeof(s->cur[0]));
		s->nfound++;
		return;
	}
	if (rest < left || rest > left * CELL_MAX_DIGITS)
		return;
	for (size_t len = 1; len <= CELL_MAX_DIGITS && len <= rest - (left - 1); len++) {
		long v = 0;

		if (len > 1 && s->d[p] == '0')
			break;	/* "07" is no cell: a zero stands alone */
		if (len > 1 && s->cuts && s->cuts[p + len - 1])
			break;	/* a cell does not reach across a cut the text made */
		for (size_t i = 0; i < len; i++)
			v = v * 10 + (s->d[p + i] - '0');
		s->cur[c] = v;
		if ((c + 1) % s->row->ncols == 0 && !block_adds_up(s, c))
			continue;
		search_from(s, p + len, c + 1);
	}
}

/* Counts the columns of one block with any of the flags. */
static size_t count_cols(const struct split_row *row, unsigned flags)
{
	size_t n = 0;

	for (size_t i = 0; i < row->ncols; i++)
		n += (row->cols[i].flags & flags) != 0;
	return n;
}

/* One digit a cell into the cells whose column has one of flags; the others blank. */
static void one_digit_each(const char *d, const struct split_row *row, unsigned flags,
			   long *out, unsigned char *present)
{
	size_t k = 0;

	for (size_t b = 0; b < row->nblocks; b++)
		for (size_t i = 0; i < row->ncols; i++) {
			size_t c = b * row->ncols + i;
			int take = flags ? (row->cols[i].flags & flags) != 0 : 1;

			present[c] = (unsigned char)take;
			out[c] = take ? d[k++] - '0' : 0;
		}
}

size_t split_all(const char *d, size_t n, const unsigned char *cuts, const struct split_row *row,
		 long *out, size_t max)
{
	struct search s;

	memset(&s, 0, sizeof(s));
	s.d = d;
	s.n = n;
	s.cuts = cuts;
	s.row = row;
	s.ncells = row->ncols * row->nblocks;
	s.found = out;
	s.max = max;
	s.budget = SEARCH_BUDGET;
	if (!n || !s.ncells || s.ncells > SPLIT_MAX_DIGITS || n > SPLIT_MAX_DIGITS)
		return 0;
	search_from(&s, 0, 0);
	return s.nfound;
}

enum split_result split_digits(const char *d, size_t n, const unsigned char *cuts,
			       const struct split_row *row, long *out, unsigned char *present)
{
	size_t ncells = row->ncols * row->nblocks;
	int inner_cuts = 0;

	if (!n || !ncells || ncells > SPLIT_MAX_DIGITS || n > SPLIT_MAX_DIGITS)
		return SPLIT_NONE;
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return SPLIT_NONE;
	for (size_t i = 1; cuts && i < n; i++)
		if (cuts[i])
			inner_cuts = 1;
	if (n == ncells && !inner_cuts) {
		one_digit_each(d, row, 0, out, present);
		return SPLIT_FULL;	/* one run: the only reading, adding up or not */
	}
	if (n < ncells) {
		size_t totals = count_cols(row, FC_TOTAL) * row->nblocks;
		size_t parts = count_cols(row, FC_APPLICANT | FC_PART) * row->nblocks;

		if (inner_cuts)
			return SPLIT_NONE;
		if (parts && n == parts && parts + totals == ncells) {
			one_digit_each(d, row, FC_APPLICANT | FC_PART, out, present);
			return SPLIT_PARTS;
		}
		if (totals && n == totals && parts + totals == ncells) {
			one_digit_each(d, row, FC_TOTAL, out, present);
			return SPLIT_TOTALS;
		}
		return SPLIT_NONE;
	}
	if (split_all(d, n, cuts, row, out, 1) != 1)
		return SPLIT_NONE;
	memset(present, 1, ncells);
	return SPLIT_FULL;
}
