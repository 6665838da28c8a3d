#ifndef OGI_CHARTS_H
#define OGI_CHARTS_H
/*
 * The charts of the reports: one design for all.  A chart is a figure
 * with a title that states its subject, the unit, the plot (reports/svg.c),
 * a source line (bodies, years, reports, missing reports, when fetched:
 * model_source_line()), a note where coverage differs, and, in a site, a
 * link to the CSV of the data behind it (written next to the page).
 *
 * The kinds, each for one question:
 *   charts_rank        sorted horizontal bars: who has most (a count or a rate)
 *   charts_outcomes    100%-stacked bars: how requests ended, sorted by the
 *                      share refused; granted blue, refused red-orange
 *   charts_multiples   small multiples: one small line per body on a shared
 *                      scale, missing years marked, for trends
 *   charts_grounds     the refusal grounds per year, the form's labels in full
 * and charts_figure_begin()/charts_figure_end() for a plot drawn elsewhere.
 */
#include <stddef.h>

#include "reports/model.h"
#include "reports/section.h"
#include "reports/svg.h"
#include "util/buf.h"

/* How many bodies a chart shows at most; the tables and the CSV always hold every one. */
#define CHARTS_TOP 25
/* Small multiples: how many bodies at most. */
#define CHARTS_MULTIPLES 12

/*
 * Writes to out[] the indexes of md's rows for year (every year when 0),
 * largest value of measure first, blank values last, ties by name; at
 * most max of them.  Returns how many; *total gets how many rows matched.
 */
size_t charts_top_rows(const struct model *md, int year, size_t measure, size_t max, size_t *out,
		       size_t *total);

/* Opens a figure in out->charts: its id (anchor and CSV name), title and unit. */
void charts_figure_begin(struct rsection *out, const char *id, const char *title,
			 const char *unit, const struct rq *q);
/*
 * Closes it: the source line, the note (may be NULL or ""), and in a site
 * the link to csv (owned by the caller) written as the file
 * q->csv_prefix + id + ".csv" of out.
 */
void charts_figure_end(struct rsection *out, const char *id, const char *source,
		       const char *note, const struct table *csv, const struct rq *q);

/*
 * Bars of measure for the bodies' reports of year, largest first (the
 * first CHARTS_TOP), with the coverage of that year in the note.  Returns
 * 0 or -1 (out full).
 */
int charts_rank(struct rsection *out, const struct rq *q, const struct model *md, int year,
		size_t measure, const char *id, const char *title);

/*
 * How the requests (or cases) of year ended: per body, the outcome
 * measures outcomes[0..n) as shares of their sum, sorted by the share of
 * outcomes[refused]; a body with none says none_text.
 */
int charts_outcomes(struct rsection *out, const struct rq *q, const struct model *md, int year,
		    const size_t *outcomes, size_t n, size_t refused, const char *id,
		    const char *title, const char *none_text);

/* The trend of measure, one small chart per body (the largest in year first), shared scale. */
int charts_multiples(struct rsection *out, const struct rq *q, const struct model *md, int year,
		     size_t measure, const char *id, const char *title);

/*
 * The refusal grounds grounds[0..n) (measures of md), summed over the
 * bodies per year for the last five years, the grounds with any request
 * sorted by the last year's count, each labelled in full.
 */
int charts_grounds(struct rsection *out, const struct rq *q, const struct model *md,
		   size_t grounds, size_t n, const char *id, const char *title);

/* The colour of an outcome measure (granted blue, refused red-orange, ...). */
const char *charts_outcome_color(const char *name);

/* "件" / "requests", "%"... : the unit of a measure in q's language. */
const char *charts_unit(const struct measure *m, const struct rq *q);

#endif
