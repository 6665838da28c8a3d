#include "reports/svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "util/escape.h"
#include "util/json.h"
#include "util/utf8.h"
#include "util/banned.h"

#define WIDTH 760.0
#define FONT 12.0
#define TITLE_H 28.0
#define ROW_H 24.0
#define BAR_H 16.0
#define LINE_PLOT_H 240.0
#define LEGEND_W 190.0

/* Colour-blind-safe palette (Okabe-Ito, then Tableau), by series. */
static const char *const palette[] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
	"#56B4E9", "#F0E442", "#000000", "#8C564B", "#7F7F7F",
};
#define NCOLORS (sizeof(palette) / sizeof(palette[0]))

/* A writer whose first failure sticks, so that drawing code need not check each call. */
struct w {
	struct buf *b;
	int err;
};

__attribute__((format(printf, 2, 3))) static void put(struct w *w, const char *fmt, ...)
{
	va_list ap;

	if (w->err)
		return;
	va_start(ap, fmt);
	w->err = buf_vaddf(w->b, fmt, ap);
	va_end(ap);
}

static void put_text(struct w *w, const char *s)
{
	if (!w->err)
		w->err = esc_html(w->b, s ? s : "");
}

static void put_num(struct w *w, double v)
{
	char num[JW_NUMBER_MAX];

	if (jw_format_number(v, num))
		put(w, "–");
	else
		put(w, "%s", num);
}

double svg_tick_step(double max, int ticks)
{
	double raw, mag, norm;

	if (!isfinite(max) || max <= 0 || ticks < 1)
		return 1;
	raw = max / ticks;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	if (norm <= 1)
		return mag;
	if (norm <= 2)
		return 2 * mag;
	if (norm <= 5)
		return 5 * mag;
	return 10 * mag;
}

double svg_text_width(const char *s, double font_px)
{
	const char *p = s, *end = s + strlen(s);
	double w = 0;

	while (p < end) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp)) {
			p++;
			w += 0.6 * font_px;
			continue;
		}
		/* capitals and digits are wider than the average Latin letter */
		if (utf8_cp_width(cp) == 2)
			w += font_px;
		else if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
			w += 0.7 * font_px;
		else
			w += 0.6 * font_px;
	}
	return w;
}

int svg_add_label(struct buf *out, const char *s, size_t max_cols)
{
	const char *p = s, *end = s + strlen(s);
	struct buf cut = BUF_INIT(BUF_NOLIMIT);
	size_t cols = 0;
	int ret;

	if (utf8_width(s) <= max_cols)
		return esc_html(out, s);
	while (p < end) {
		const char *start = p;
		uint32_t cp;
		int cw;

		if (utf8_decode(&p, end, &cp)) {
			p = start + 1;
			cw = 1;
		} else {
			cw = utf8_cp_width(cp);
		}
		if (cols + (size_t)cw + 1 > max_cols)
			break;
		cols += (size_t)cw;
		buf_add(&cut, start, (size_t)(p - start));
	}
	buf_adds(&cut, "\xE2\x80\xA6");
	ret = esc_html(out, buf_str(&cut));
	buf_release(&cut);
	return ret;
}

static void put_label(struct w *w, const char *s)
{
	if (!w->err)
		w->err = svg_add_label(w->b, s ? s : "", SVG_LABEL_MAX_COLS);
}

static double value_at(const struct svg_chart *c, size_t s, size_t i)
{
	return c->series[s].v ? c->series[s].v[i] : NAN;
}

/* The end of the value axis: the largest value (or stack) rounded up to a step. */
static double axis_max(double max, double *step)
{
	*step = svg_tick_step(max, 5);
	if (!(max > 0))
		return *step;
	return ceil(max / *step - 1e-9) * *step;
}

static void open_svg(struct w *w, const char *cls, double h, const char *title)
{
	put(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" width=\"%.0f\" "
	       "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	       "font-family=\"sans-serif\" font-size=\"%.0f\"><title>",
	    cls, WIDTH, h, WIDTH, h, FONT);
	put_text(w, title);
	put(w, "</title>\n<text class=\"chart-title\" x=\"0\" y=\"18\" font-size=\"14\" "
	       "font-weight=\"bold\">");
	put_text(w, title);
	put(w, "</text>\n");
}

/* A legend in one column (vertical) or one line that wraps at the chart's width. */
static double legend(struct w *w, const struct svg_chart *c, double x, double y, int vertical)
{
	double lx = x, ly = y;

	for (size_t s = 0; s < c->nseries; s++) {
		const char *name = c->series[s].name ? c->series[s].name : "";
		double tw = svg_text_width(name, FONT);

		if (tw > SVG_LABEL_MAX_COLS * FONT * 0.5 + FONT)
			tw = SVG_LABEL_MAX_COLS * FONT * 0.5 + FONT;
		if (!vertical && lx > x && lx + 24 + tw > WIDTH) {
			lx = x;
			ly += 18;
		}
		put(w, "<g class=\"legend\"><rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" "
		       "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\">",
		    lx, ly, palette[s % NCOLORS], lx + 14, ly + 9);
		put_label(w, name);
		put(w, "</text></g>\n");
		if (vertical)
			ly += 18;
		else
			lx += 14 + tw + 16;
	}
	return ly + 18 - y;
}

/* The height legend() takes on one wrapping line. */
static double legend_height(const struct svg_chart *c)
{
	struct buf scratch = BUF_INIT(BUF_NOLIMIT);
	struct w w = { &scratch, 0 };
	double h = legend(&w, c, 0, 0, 0);

	buf_release(&scratch);
	return h;
}

int svg_bars(struct buf *out, const struct svg_chart *c)
{
	struct w w = { out, 0 };
	double labelw = 0, max = 0, step, top, plot_x, plot_w, plot_y, axis_y, h, scale;
	int stacked = c->nseries > 1;

	for (size_t i = 0; i < c->nlabels; i++) {
		double lw = svg_text_width(c->labels[i] ? c->labels[i] : "", FONT), sum = 0;

		if (lw > labelw)
			labelw = lw;
		for (size_t s = 0; s < c->nseries; s++) {
			double v = value_at(c, s, i);

			if (isfinite(v) && v > 0)
				sum += v;
		}
		if (sum > max)
			max = sum;
	}
	if (labelw > SVG_LABEL_MAX_COLS * FONT * 0.5 + FONT)
		labelw = SVG_LABEL_MAX_COLS * FONT * 0.5 + FONT;
	top = axis_max(max, &step);
	plot_x = labelw + 12;
	plot_w = WIDTH - plot_x - 70;
	plot_y = TITLE_H + (stacked ? legend_height(c) : 0) + 6;
	axis_y = plot_y + (double)c->nlabels * ROW_H;
	h = axis_y + 44;
	scale = plot_w / top;

	open_svg(&w, "bars", h, c->title);
	if (stacked)
		legend(&w, c, 0, TITLE_H, 0);
	for (int k = 0; k <= 100; k++) {
		double t = step * k, x;

		if (t > top + step * 1e-9)
			break;
		x = plot_x + t * scale;
		put(&w, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#ddd\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"middle\" fill=\"#555\">",
		    x, plot_y, x, axis_y, x, axis_y + 14);
		put_num(&w, t);
		put(&w, "</text>\n");
	}
	put(&w, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#333\"/>\n", plot_x, axis_y, plot_x + plot_w, axis_y);
	for (size_t i = 0; i < c->nlabels; i++) {
		double y = plot_y + (double)i * ROW_H + (ROW_H - BAR_H) / 2, x = plot_x, sum = 0;
		int any = 0;

		put(&w, "<g class=\"bar\"><text class=\"label\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"end\"><title>", plot_x - 6, y + BAR_H - 4);
		put_text(&w, c->labels[i]);
		put(&w, "</title>");
		put_label(&w, c->labels[i]);
		put(&w, "</text>");
		for (size_t s = 0; s < c->nseries; s++) {
			double v = value_at(c, s, i), bw;

			if (!isfinite(v))
				continue;
			any = 1;
			sum += v > 0 ? v : 0;
			if (v <= 0)
				continue;
			bw = v * scale;
			put(&w, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" "
				"fill=\"%s\"><title>", x, y, bw, BAR_H, palette[s % NCOLORS]);
			put_text(&w, c->labels[i]);
			if (stacked) {
				put(&w, " · ");
				put_text(&w, c->series[s].name);
			}
			put(&w, ": ");
			put_num(&w, v);
			put(&w, "</title></rect>");
			x += bw;
		}
		put(&w, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" fill=\"#333\">", x + 4,
		    y + BAR_H - 4);
		if (any)
			put_num(&w, sum);
		else
			put(&w, "no figure");
		put(&w, "</text></g>\n");
	}
	put(&w, "<text class=\"unit\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">",
	    plot_x + plot_w / 2, h - 8);
	put_text(&w, c->unit);
	put(&w, "</text>\n</svg>\n");
	return w.err ? -1 : 0;
}

int svg_lines(struct buf *out, const struct svg_chart *c)
{
	struct w w = { out, 0 };
	double max = 0, step, top, plot_x = 56, plot_w, plot_y = TITLE_H + 12, axis_y, h, dx;

	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->nlabels; i++) {
			double v = value_at(c, s, i);

			if (isfinite(v) && v > max)
				max = v;
		}
	top = axis_max(max, &step);
	plot_w = WIDTH - plot_x - LEGEND_W - 20;
	axis_y = plot_y + LINE_PLOT_H;
	h = axis_y + 44;
	if ((double)c->nseries * 18 + plot_y > h)
		h = (double)c->nseries * 18 + plot_y + 8;
	dx = c->nlabels > 1 ? plot_w / (double)(c->nlabels - 1) : 0;

	open_svg(&w, "lines", h, c->title);
	for (int k = 0; k <= 100; k++) {
		double t = step * k, y;

		if (t > top + step * 1e-9)
			break;
		y = axis_y - t / top * LINE_PLOT_H;
		put(&w, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#ddd\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"end\" fill=\"#555\">",
		    plot_x, y, plot_x + plot_w, y, plot_x - 6, y + 4);
		put_num(&w, t);
		put(&w, "</text>\n");
	}
	put(&w, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#333\"/><line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		"y2=\"%.1f\" stroke=\"#333\"/>\n",
	    plot_x, plot_y, plot_x, axis_y, plot_x, axis_y, plot_x + plot_w, axis_y);
	for (size_t i = 0; i < c->nlabels; i++) {
		double x = c->nlabels > 1 ? plot_x + dx * (double)i : plot_x + plot_w / 2;

		put(&w, "<text class=\"xlabel\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
			"fill=\"#555\">", x, axis_y + 16);
		put_text(&w, c->labels[i]);
		put(&w, "</text>\n");
	}
	for (size_t s = 0; s < c->nseries; s++) {
		const char *color = palette[s % NCOLORS];
		int pen_down = 0;

		put(&w, "<g class=\"series\"><path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
			"d=\"", color);
		for (size_t i = 0; i < c->nlabels; i++) {
			double v = value_at(c, s, i), x, y;

			if (!isfinite(v)) {
				pen_down = 0;
				continue;
			}
			x = c->nlabels > 1 ? plot_x + dx * (double)i : plot_x + plot_w / 2;
			y = axis_y - (v > 0 ? v : 0) / top * LINE_PLOT_H;
			put(&w, "%s%.1f %.1f ", pen_down ? "L" : "M", x, y);
			pen_down = 1;
		}
		put(&w, "\"/>");
		for (size_t i = 0; i < c->nlabels; i++) {
			double v = value_at(c, s, i), x, y;

			if (!isfinite(v))
				continue;
			x = c->nlabels > 1 ? plot_x + dx * (double)i : plot_x + plot_w / 2;
			y = axis_y - (v > 0 ? v : 0) / top * LINE_PLOT_H;
			put(&w, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>", x, y,
			    color);
			put_text(&w, c->series[s].name);
			put(&w, " ");
			put_text(&w, c->labels[i]);
			put(&w, ": ");
			put_num(&w, v);
			put(&w, "</title></circle>");
		}
		put(&w, "</g>\n");
	}
	legend(&w, c, plot_x + plot_w + 20, plot_y, 1);
	put(&w, "<text class=\"unit\" x=\"%.1f\" y=\"%.1f\" fill=\"#555\">", plot_x, plot_y - 4);
	put_text(&w, c->unit);
	put(&w, "</text>\n</svg>\n");
	return w.err ? -1 : 0;
}
