#ifndef OGI_SVG_H
#define OGI_SVG_H
/*
 * The plots of the charts, as inline SVG: a few kinds, drawn alike.
 * reports/charts.c wraps each plot in a figure with its title, units,
 * source line and notes (HTML text, which wraps on a phone); this module
 * draws only the plot.  Plain markup, no script, no font or file from
 * anywhere.  Every piece of text may come from a scraped page and is
 * escaped with esc_html().  A value that is NaN is "no figure": no bar and
 * no point, never a 0.  Plots are SVG_W wide in their own units and
 * scale to the page's column (the page's CSS sets width 100%).
 *
 * Each drawing function appends to out and returns 0, or -1 when out
 * reached its maximum (discard out then).
 */
#include <stddef.h>

#include "util/buf.h"

#define SVG_W 400.0
#define SVG_FONT 13.0
/* Labels wrap onto at most this many lines; the rest is cut with "…" (full text in <title>). */
#define SVG_LABEL_LINES 3

/* What the values are: counts (integer ticks) or percentages (one decimal, "%"). */
enum svg_value { SV_COUNT, SV_PCT };

/*
 * The step of an axis from 0 to max with at most ticks steps: 1, 2 or 5
 * times a power of ten (max 7, ticks 5 gives 2).  1 for max <= 0 or not
 * finite.
 */
double svg_tick_step(double max, int ticks);
/*
 * The ticks of an axis from 0 to at least max: 0, step, 2 step, ...,
 * with a 1-2-5 step giving at most 5 intervals; for counts (integer) the
 * step is a whole number.  Each tick is k * step computed without float
 * noise (0.6, never 0.6000000000000001).  Writes at most cap ticks to out
 * and returns how many (at least 2 when cap allows: 0 and the top).
 */
size_t svg_ticks(double max, int integer, double *out, size_t cap);

/*
 * The width in pixels of s at font_px, an estimate for sans-serif: wide
 * (CJK) characters 1 em, capitals and digits 0.7 em, others 0.6 em.
 */
double svg_text_width(const char *s, double font_px);

/* Appends s escaped, cut to max_cols terminal columns with "…" when longer; 0 or -1. */
int svg_add_label(struct buf *out, const char *s, size_t max_cols);

/*
 * Breaks s into lines no wider than width_px at font_px (svg_text_width()):
 * after a space or a Chinese comma, colon or closing bracket when one is
 * near the end of the line, else between any two characters (Chinese
 * breaks anywhere); a closing mark never starts a line.  Fills lines[0..)
 * (each buf initialised by the caller) and returns how many; past
 * max_lines the last line ends with "…".  Joined, the lines are s when
 * nothing was cut.
 */
size_t svg_wrap(const char *s, double width_px, double font_px, struct buf *lines,
		size_t max_lines);

/*
 * Horizontal bars, one per label in the order given (the caller sorts),
 * the label (wrapped) above its bar, the value at the bar's end, a value
 * axis with svg_ticks() at the foot.  A NaN value shows none_text.
 */
int svg_hbars(struct buf *out, const char *desc, const char *const *labels, const double *v,
	      size_t n, enum svg_value kind, const char *none_text);

/* One part of a stacked bar, or one series of grouped bars. */
struct svg_part {
	const char *name;	/* legend text */
	const char *color;	/* "#1f62b4": fixed by the caller, so a meaning keeps its colour */
	const double *v;	/* one value per label */
};

/*
 * 100%-stacked bars: per label, each part's share of the label's sum,
 * left to right, its percentage inside when it fits; emph's share at the
 * bar's end; a legend above.  A label whose sum is 0 or NaN shows
 * none_text.
 */
int svg_stack100(struct buf *out, const char *desc, const char *const *labels, size_t n,
		 const struct svg_part *parts, size_t nparts, size_t emph, const char *none_text);

/*
 * Grouped bars: per label (wrapped above), one thin bar per series with
 * its value, a legend above, one value axis for all.
 */
int svg_grouped(struct buf *out, const char *desc, const char *const *labels, size_t n,
		const struct svg_part *series, size_t nseries, enum svg_value kind);

/*
 * A small line chart (one of a set of small multiples): v over the x
 * labels (years), scaled to top (shared by the set: the caller passes the
 * set's largest value), 0 and the top tick labelled.  A NaN year is
 * missing: the line stops there and a grey cross marks it (its title
 * missing_text).
 */
#define SVG_SMALL_W 180.0
int svg_small_line(struct buf *out, const char *desc, const char *const *xlabels,
		   const double *v, size_t n, double top, enum svg_value kind,
		   const char *missing_text);

#endif
