#ifndef OGI_MODEL_H
#define OGI_MODEL_H
/*
 * The row model every report builds on: one row per body and year (the
 * newest report of that body for that year), one value per measure.
 * Measures are derived from the format table (form/format.h), never
 * from spelled-out keys, and computed by one set of rules, defined here
 * once:
 *
 *   a table-3 row's figure   its 总计 (total) cell when that is a number,
 *                            else the sum of its six applicant cells (as
 *                            the TEXT-TABLE rule reads a row);
 *   a table-4 block total    its total cell when a number, else the sum
 *                            of upheld + corrected + other + pending;
 *   blank cells              count as 0;
 *   absent or invalid cells  make the figure blank (NaN here, null in
 *                            JSON, empty in text and CSV), never 0;
 *   a sum of rows            blank when any of its rows is;
 *   a rate                   numerator / denominator as a percentage,
 *                            blank when either is blank or the
 *                            denominator is 0 (see model_add_rates());
 *   a group's sum            the sum of the rows whose value is not
 *                            blank; its rates are the rates of the sums.
 */
#include <stddef.h>
#include <stdint.h>

#include "form/format.h"
#include "form/report.h"
#include "store/store.h"
#include "util/err.h"
#include "util/table.h"

/* The organization of the rows that sum the bodies shown. */
#define MODEL_TOTAL_ROW "(total)"

/* What a report run was asked for: the filter and the options of the commands. */
struct rq {
	struct report_filter f;
	const char *by;		/* compare: the measure to rank by (NULL: new requests) */
	int charts;		/* build the SVG charts (HTML output) */
};

enum measure_kind {
	MK_T3,		/* sum of table-3 row figures, or one cell (col) of one row */
	MK_T2,		/* sum of table-2 fields (those the report's format has) */
	MK_T4,		/* one cell of a table-4 block; the total column by the rule above */
	MK_RATE		/* 100 * measure num / measure den */
};

#define MODEL_MAX_ROWS 16
#define MODEL_MAX_FIELDS 8

struct measure {
	char name[48];			/* column name: "new_natural_person", "refused" */
	const char *label;		/* the form's label when it has one, else NULL */
	enum measure_kind kind;
	int hidden;			/* computed for a rate, not shown */
	const struct fmt_row *rows[MODEL_MAX_ROWS];	/* MK_T3, MK_T4: rows of every format */
	size_t nrows;
	const struct fmt_col *col;	/* MK_T3, MK_T4: one column; NULL: the row's figure */
	long fields[2][MODEL_MAX_FIELDS];	/* MK_T2: field indexes in 2019, 2021 */
	size_t nfields[2];
	size_t num, den;		/* MK_RATE: indexes of other measures */
};

struct mrow {
	int64_t report_id;
	char *organization, *level, *parent, *location;
	int year;
	enum fmt_version format;
	double *v;			/* one value per measure; NaN is blank */
};

struct model {
	struct measure *m;
	size_t nm, alloc_m;
	struct mrow *rows;
	size_t n, alloc;
};

void model_init(struct model *md);
void model_release(struct model *md);

/* ---- measures: each adds columns to md and returns the index of the first ---- */

/* Every column of each inflow row (new, carried_over): "new_natural_person", ..., "new". */
size_t model_add_inflow(struct model *md, int by_applicant);
/*
 * The outcome groups in form order, each the sum of its rows: rows with a
 * group ("refused.*") by group, the others by key ("granted", "partial",
 * the 2019 "other" row, which the 2021 "other.*" rows join).
 */
size_t model_add_outcomes(struct model *md, size_t *n);
/* The measure of new requests (the inflow row that is not carried over), or -1. */
long model_new_requests(const struct model *md);
/* The total row (（七）总计) and the outflow row (carried_forward). */
size_t model_add_total(struct model *md);
size_t model_add_outflow(struct model *md);
/* One measure per table-3 row of the refusal grounds (refused.*, unable.*, rejected.*). */
size_t model_add_grounds(struct model *md, size_t *n);
/*
 * The rates, from the format's own row sets (fmt_claims()):
 *   grant_pct    rows of the claim "granted_partial" (granted + partial) / total
 *   refusal_pct  rows of the claim "refused" (refused.*) / total
 * adding their numerators (as "granted_partial", "refused") and the
 * total, hidden, when md has no such column yet.
 */
size_t model_add_rates(struct model *md);
/* The table-2 figures: docs_issued, licensing, penalty, coercion, fees. */
size_t model_add_t2(struct model *md, size_t *n);
/*
 * Table 4, block after block in form order: one measure per column of the
 * block ("review_upheld", ..., "review_total"), then the share corrected
 * ("review_corrected_pct"); *stride gets the number of measures per block.
 */
size_t model_add_t4(struct model *md, size_t *nblocks, size_t *stride);
/* A share: 100 * num / den as a new measure. */
size_t model_add_rate(struct model *md, const char *name, size_t num, size_t den);

/* The measure called name, or -1. */
long model_find(const struct model *md, const char *name);
/* The figure of a row (rule above) of r: lhs the total column flag, rhs the parts. */
double model_row_figure(const struct report *r, const struct fmt_row *row, unsigned lhs,
			unsigned rhs);
/* The value of measure i for r (the rates from vals[num] and vals[den]). */
double model_value(const struct model *md, size_t i, const struct report *r, const double *vals);

/* Reads the rows of the reports q selects (one per body and year). */
int model_load(struct model *md, struct store *st, const struct rq *q, struct err *err);

/*
 * The group sum of the rows for which pick(row, ctx) is nonzero, into
 * out[nm]: measures summed over the rows where they are not blank (blank
 * when all are), rates from the sums.  Returns the number of rows summed.
 */
size_t model_sum(const struct model *md, int (*pick)(const struct mrow *, void *), void *ctx,
		 double *out);

/* The distinct years of the rows, ascending; caller frees; *n may be 0. */
int *model_years(const struct model *md, size_t *n);

/* A percentage rounded to one decimal, as the reports print rates; NaN stays NaN. */
double model_round_pct(double v);

/* Adds a column to t per shown (not hidden) measure; colmap[i] gets its index or SIZE_MAX. */
void model_add_columns(const struct model *md, struct table *t, size_t *colmap);
/* Fills the current row of t from v: rates rounded by model_round_pct(), NaN blank. */
void model_set_cells(const struct model *md, struct table *t, const size_t *colmap,
		     const double *v);

#endif
