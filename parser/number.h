#ifndef OGI_NUMBER_H
#define OGI_NUMBER_H
/*
 * Table cells to numbers.  Handles full-width digits, NBSP and U+3000
 * padding, thousands separators, signs ("+19"), decimals, the placeholders
 * "/" "-" "—" "无" (a written nothing: 0) and units: 元 and 万元 for
 * amounts (normalised to 万元), and counters such as 件/个/项.
 */
#include "form/format.h"

enum num_result {
	NUM_TEXT = 0,	/* not a value: a label or prose */
	NUM_BLANK,	/* empty after trimming */
	NUM_VALUE	/* *out holds the number */
};

/*
 * Reads a cell (UTF-8, NULL reads as blank).  *out is written only for
 * NUM_VALUE: VK_WAN amounts in 万元, other kinds in plain units.  Negative
 * counts are returned as read (NONNEG flags them).  Invalid UTF-8, more
 * than 15 significant digits, percentages and words are NUM_TEXT.
 */
enum num_result num_parse(const char *cell, enum value_kind kind, double *out);

/* Whether the cell reads as a value (number, placeholder or blank) rather than a label. */
int num_is_value(const char *cell);

/* Frees the compiled patterns (for leak checkers); optional, parsing may resume after it. */
void num_cleanup(void);

#endif
