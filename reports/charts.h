#ifndef OGI_CHARTS_H
#define OGI_CHARTS_H
/*
 * The charts of the HTML report, drawn from a row model with reports/svg.c:
 * the builders say which rows and measures, this module lays them out.
 */
#include <stddef.h>

#include "reports/model.h"
#include "util/buf.h"

/* How many bodies a chart shows at most; the tables always hold every one. */
#define CHARTS_TOP 25

/*
 * Writes to out[] the indexes of md's rows for year (every year when 0),
 * largest value of measure first, blank values last, ties by name; at
 * most max of them.  Returns how many; *total gets how many rows matched.
 */
size_t charts_top_rows(const struct model *md, int year, size_t measure, size_t max, size_t *out,
		       size_t *total);

/* Bars of rows[0..n), one per row labelled with its body, a series per measure (stacked). */
int charts_bars(struct buf *out, const struct model *md, const size_t *rows, size_t n,
		const size_t *measures, size_t nmeasures, const char *title, const char *unit);

/* Lines over the years of md: a series per measure, each the group sum of that year. */
int charts_group_trend(struct buf *out, const struct model *md, const size_t *measures,
		       size_t nmeasures, const char *title, const char *unit);

/* Lines over the years of md: a series per body of rows[0..n), its measure each year. */
int charts_body_trend(struct buf *out, const struct model *md, const size_t *rows, size_t n,
		      size_t measure, const char *title, const char *unit);

#endif
