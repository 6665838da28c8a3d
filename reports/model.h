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
#include "reports/words.h"
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
	enum table_format format;	/* what the tables become: words for text and HTML */
	enum rlang lang;	/* the form's words (default) or the keys */
	/*
	 * A site (ogi report site): the path from the page to the site's root
	 * ("" or "../"), so that bodies and reports link to their pages, and
	 * the path (from the root) each chart's CSV file starts with; both
	 * NULL for a single page.
	 */
	const char *site_root;
	const char *csv_prefix;
};

/* Whether q's tables are for people (text, HTML: words, formatted numbers) or data. */
#define RQ_FOR_PEOPLE(q) ((q)->format == TF_TEXT || (q)->format == TF_HTML)

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
	char words[96];			/* its name in the form's words: "新收·自然人", "不予公开" */
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
	/*
	 * The body: its warehouse id (bodies.id) and name.  The seam of issue
	 * 11: load_one() in model.c is the one place a row's body, its
	 * "current report" and the figures (a reviewer's fixes) are read.
	 */
	int64_t body_id;
	char *organization, *level, *parent, *location;
	char *fetched_at;		/* when its source was fetched (ISO 8601), or NULL */
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

/*
 * The default year of a group: the latest year for which most (more than
 * half) of md's bodies have a report, else the year most bodies have, the
 * latest of equals; 0 when md has no rows.  why (may be NULL) gets the
 * reason in lang: "2023年：6个单位中5个有报告（2024年仅1个）".
 */
int model_default_year(const struct model *md, enum rlang lang, struct buf *why);

/* The distinct bodies of md's rows; *years (may be NULL) gets how many of them report in year. */
size_t model_bodies(const struct model *md, int year, size_t *in_year);

/*
 * Like for like: sums of the bodies with a row in both y0 and y1 into
 * s0[nm] and s1[nm] (as model_sum()); returns how many bodies that is;
 * *left_out gets how many bodies have a row in one of the years only.
 */
size_t model_like_for_like(const struct model *md, int y0, int y1, double *s0, double *s1,
			   size_t *left_out);

/*
 * The source line of a chart drawn from md's rows in years y0..y1 (0:
 * every year): "来源：各单位政府信息公开工作年度报告（6个单位，2019–2023年，28份
 * 报告，缺2份）；抓取于2026-11-26", in lang.
 */
void model_source_line(const struct model *md, int y0, int y1, enum rlang lang, struct buf *out);

/* A percentage rounded to one decimal, as the reports print rates; NaN stays NaN. */
double model_round_pct(double v);

/*
 * Adds a column to t per shown (not hidden) measure, named in q's words;
 * colmap[i] gets its index or SIZE_MAX.
 */
void model_add_columns(const struct model *md, struct table *t, size_t *colmap,
		       const struct rq *q);
/*
 * Fills the current row of t from v: rates rounded by model_round_pct(),
 * NaN blank; for people (RQ_FOR_PEOPLE) as words_count() and words_pct()
 * write them.
 */
void model_set_cells(const struct model *md, struct table *t, const size_t *colmap,
		     const double *v, const struct rq *q);
/* One value v of measure m in a cell, as model_set_cells() writes it. */
void model_set_value(const struct measure *m, struct table *t, size_t col, double v,
		     const struct rq *q);

/*
 * The columns that say whose a row is.  For data (CSV, JSON): body_id,
 * organization, level, parent, year first, then (after the caller's
 * columns, model_tail_columns()) report_id, source and row_kind ("body",
 * or "total" for a row summing the bodies shown).  For people:
 * organization and year first, report_id and, in HTML, a link to the
 * original page last.  In a site the body links to its page and the
 * report to its own.
 */
struct idcols {
	size_t body_id, org, level, parent, year, report_id, source, row_kind;
};
void model_head_columns(struct table *t, struct idcols *c, const struct rq *q);
void model_tail_columns(struct table *t, struct idcols *c, const struct rq *q);
/* Fills the identity cells of the current row for r; r NULL: a total row for year. */
void model_set_ids(struct table *t, const struct idcols *c, const struct mrow *r, int year,
		   const struct rq *q);
/* Links of a site: "<root>bodies/<id>.html", "<root>reports/<id>.html" into b. */
void model_body_href(struct buf *b, const struct rq *q, int64_t body_id);
void model_report_href(struct buf *b, const struct rq *q, int64_t report_id);
/* Whether a location is a web address a page may link to (http or https). */
int model_is_url(const char *location);

#endif
