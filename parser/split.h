#ifndef OGI_SPLIT_H
#define OGI_SPLIT_H
/*
 * Digits that ran together, back into the cells of a row of the form.
 * Archived page text sometimes joins a row's cells with nothing between
 * them: "160000016" is 16 0 0 0 0 0 16, "规章000" is 0 0 0.  Cell bounds are
 * not printed, so a reading is taken only where the form decides it:
 *   - as many digits as cells, in one run: one digit a cell, the only
 *     reading; in several pieces (" 0 0 00 0", a piece holding two cells),
 *     only if the row adds up read so (" 30 1 0 0 0 0" lost a cell instead);
 *   - more digits than cells: the readings (no cell with a leading zero)
 *     under which every block of the row adds up (parts = total), kept
 *     only when exactly one fits;
 *   - fewer digits than cells: one digit a cell, when the count equals the
 *     row's part cells (the totals left blank) or its total cells (the
 *     parts left blank), the two ways reports fill a row partly.
 * Knows the form's columns only through their flags; no patterns, no I/O.
 */
#include <stddef.h>

#include "form/format.h"

/* A row's cells, as the splitter sees them: k columns and their FC_* flags. */
struct split_row {
	const struct fmt_col *cols;	/* the columns of one block (ncols of them) */
	size_t ncols;
	size_t nblocks;			/* the row is nblocks copies of cols (table 4: 3) */
};

#define SPLIT_MAX_DIGITS 48	/* longer runs are not a row of counts */

enum split_result {
	SPLIT_NONE = 0,		/* no reading, or more than one */
	SPLIT_FULL,		/* every cell read */
	SPLIT_PARTS,		/* the part cells read, the totals blank */
	SPLIT_TOTALS		/* the totals read, the parts blank */
};

/*
 * Reads the n ASCII digits at d into out[0 .. ncols * nblocks) and sets
 * present[i] to 1 for each cell read (0: blank).  cuts (NULL for none)
 * marks where the text had cells apart already: cuts[i] (0 < i < n) set
 * means a cell ends before d[i] (" 0 0 00 0" is four pieces and five
 * cells).  The fewer-digits readings are only taken for one piece.
 * Returns how the row was read, SPLIT_NONE when the form does not decide
 * it (out and present are then unspecified).
 */
enum split_result split_digits(const char *d, size_t n, const unsigned char *cuts,
			       const struct split_row *row, long *out, unsigned char *present);

/*
 * Every full reading (each cell read, blocks adding up, cuts kept) of the n
 * digits at d, up to max of them, into out[r * ncells + c].  Returns how
 * many there are, max + 1 when there are more (or the search gave up).
 * For a caller that can tell readings apart by other rows (table 3's
 * columns add up too).
 */
size_t split_all(const char *d, size_t n, const unsigned char *cuts, const struct split_row *row,
		 long *out, size_t max);

#endif
