#ifndef OGI_SVG_H
#define OGI_SVG_H
/*
 * Charts as inline SVG for the HTML report: horizontal bars (stacked when
 * there are several series) and lines over years.  Plain markup, no
 * script, no font or file from anywhere: the page stays self-contained.
 * Every piece of text (title, labels, series names) may come from a
 * scraped page and is escaped with esc_html(); numbers are formatted by
 * jw_format_number().  A value that is NaN is "no figure": no bar and no
 * point, never a 0.
 */
#include <stddef.h>

#include "util/buf.h"

/* Labels longer than this many terminal columns are cut with "…" (full text in <title>). */
#define SVG_LABEL_MAX_COLS 28

struct svg_series {
	const char *name;	/* legend text */
	const double *v;	/* one value per label */
};

struct svg_chart {
	const char *title;
	const char *unit;		/* what the value axis counts, e.g. "requests" */
	const char *const *labels;	/* bars: one per bar; lines: the x positions (years) */
	size_t nlabels;
	const struct svg_series *series;
	size_t nseries;
};

/*
 * Appends an <svg class="chart bars"> with one bar per label, the series
 * stacked left to right, a value axis with ticks and c->unit, the total
 * at the end of each bar and, for several series, a legend.  Returns 0,
 * or -1 when out reached its maximum (discard out then).
 */
int svg_bars(struct buf *out, const struct svg_chart *c);

/*
 * Appends an <svg class="chart lines"> with one line per series over the
 * labels, a point per value, both axes and a legend.  A NaN breaks the
 * line.  Returns 0 or -1 as svg_bars().
 */
int svg_lines(struct buf *out, const struct svg_chart *c);

/*
 * The step of an axis from 0 to max with at most ticks steps: 1, 2 or 5
 * times a power of ten (max 7, ticks 5 gives 2).  1 for max <= 0 or not
 * finite.
 */
double svg_tick_step(double max, int ticks);

/*
 * The width in pixels of s at font_px, an estimate for sans-serif: wide
 * (CJK) characters 1 em, capitals and digits 0.7 em, others 0.6 em.
 */
double svg_text_width(const char *s, double font_px);

/* Appends s escaped, cut to max_cols terminal columns with "…" when longer; 0 or -1. */
int svg_add_label(struct buf *out, const char *s, size_t max_cols);

#endif
