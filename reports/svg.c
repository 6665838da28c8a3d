#include "reports/svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/json.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define LINE_H 16.0		/* a line of label text */
#define BAR_H 12.0
#define ROW_GAP 8.0
#define AXIS_H 20.0
#define LEGEND_H 18.0
#define MAX_TICKS 8
#define INK "#333"
#define MUTED "#666"
#define GRID "#e3e3e3"

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

/* A value as a label: "1,234" or "33.3%"; plain "0.6" for a tick. */
static void put_value(struct w *w, double v, enum svg_value kind)
{
	char num[64];
	double r;

	if (!isfinite(v)) {
		put(w, "–");
		return;
	}
	if (kind == SV_PCT) {
		r = round(v * 10.0) / 10.0;
		put(w, "%.1f%%", r == 0 ? 0 : r);
		return;
	}
	if (v == floor(v) && fabs(v) >= 10000) {
		/* thousands separators where they help */
		size_t n, lead;

		snprintf(num, sizeof(num), "%.0f", fabs(v));
		n = strlen(num);
		lead = n % 3 ? n % 3 : 3;
		put(w, "%s%.*s", v < 0 ? "-" : "", (int)lead, num);
		for (size_t i = lead; i < n; i += 3)
			put(w, ",%.3s", num + i);
		return;
	}
	if (jw_format_number(round(v * 100.0) / 100.0, num))
		put(w, "–");
	else
		put(w, "%s", num);
}

static void put_tick(struct w *w, double t, enum svg_value kind)
{
	char num[JW_NUMBER_MAX];

	if (jw_format_number(t, num))
		return;
	put(w, "%s%s", num, kind == SV_PCT ? "%" : "");
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

size_t svg_ticks(double max, int integer, double *out, size_t cap)
{
	double step, mant, scale;
	int e, k, n;

	if (!cap)
		return 0;
	if (!isfinite(max) || max <= 0)
		max = integer ? 1 : 1;
	step = svg_tick_step(max, 5);
	if (integer && step < 1)
		step = 1;
	/* step = mant * 10^e with mant 1, 2 or 5: ticks as (k * mant) scaled by an exact power */
	e = (int)floor(log10(step) + 1e-9);
	mant = round(step / pow(10, e));
	scale = pow(10, abs(e));
	n = (int)ceil(max / step - 1e-9);
	if (n < 1)
		n = 1;
	for (k = 0; k <= n && (size_t)k < cap; k++)
		out[k] = e >= 0 ? k * mant * scale : k * mant / scale;
	return (size_t)k;
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

/* Marks that end a phrase: a line may break after them. */
static int breaks_after(uint32_t cp)
{
	return cp == ' ' || cp == 0x3001 /* 、 */ || cp == 0xFF0C /* ， */ ||
	       cp == 0xFF1A /* ： */ || cp == 0xFF09 /* ） */ || cp == ')' || cp == ',' ||
	       cp == 0xB7 /* · */ || cp == 0x3002 /* 。 */ || cp == 0xFF1B /* ； */ ||
	       cp == '/' || cp == '-';
}

/* Marks that must not start a line. */
static int no_line_start(uint32_t cp)
{
	return cp == 0x3001 || cp == 0xFF0C || cp == 0x3002 || cp == 0xFF1A || cp == 0xFF09 ||
	       cp == 0xFF1B || cp == ')' || cp == ',' || cp == '.' || cp == 0x201D || cp == 0x300B;
}

/* One character of s at p: its length in bytes (invalid bytes one each) and code point. */
static size_t char_at(const char *p, const char *end, uint32_t *cp)
{
	const char *q = p;

	if (utf8_decode(&q, end, cp)) {
		*cp = 0xFFFD;
		return 1;
	}
	return (size_t)(q - p);
}

size_t svg_wrap(const char *s, double width_px, double font_px, struct buf *lines,
		size_t max_lines)
{
	const char *p = s, *end = s + strlen(s);
	size_t n = 0;

	if (!max_lines)
		return 0;
	while (p < end && n < max_lines) {
		const char *q = p, *brk = NULL;
		double w = 0;

		/* the longest run from p that fits; brk: after the last phrase mark in it */
		while (q < end) {
			uint32_t cp;
			size_t len = char_at(q, end, &cp);
			char one[8];
			double cw;

			memcpy(one, q, len);
			one[len] = '\0';
			cw = svg_text_width(one, font_px);
			if (q > p && w + cw > width_px)
				break;
			w += cw;
			q += len;
			if (breaks_after(cp))
				brk = q;
		}
		/* a closing mark never starts a line: it takes the character before along */
		if (q < end && q > p) {
			uint32_t cp;

			char_at(q, end, &cp);
			if (no_line_start(cp)) {
				const char *back = q;

				do
					back--;
				while (back > p && ((unsigned char)*back & 0xC0) == 0x80);
				if (back > p)
					q = back;
			}
		}
		/* a phrase mark in the last half of a full line is a better place to break */
		if (q < end && brk && brk > p && brk < q) {
			struct buf tail = BUF_INIT(BUF_NOLIMIT);

			buf_add(&tail, brk, (size_t)(q - brk));
			if (svg_text_width(buf_str(&tail), font_px) < width_px / 2)
				q = brk;
			buf_release(&tail);
		}
		if (n + 1 == max_lines && q < end) {
			/* the last line allowed: cut so that "…" fits */
			double ell = svg_text_width("\xE2\x80\xA6", font_px);
			const char *r = p;

			w = 0;
			q = p;
			while (r < end) {
				uint32_t cp;
				size_t len = char_at(r, end, &cp);
				char one[8];

				memcpy(one, r, len);
				one[len] = '\0';
				if (r > p && w + svg_text_width(one, font_px) + ell > width_px)
					break;
				w += svg_text_width(one, font_px);
				r += len;
			}
			buf_add(&lines[n], p, (size_t)(r - p));
			buf_adds(&lines[n], "\xE2\x80\xA6");
			return n + 1;
		}
		{
			const char *e = q;

			while (e > p && e[-1] == ' ')
				e--;	/* a space at a break ends no line */
			buf_add(&lines[n], p, (size_t)(e - p));
		}
		n++;
		p = q;
		while (p < end && *p == ' ')
			p++;	/* a space at a break is not carried to the next line */
	}
	return n;
}

/* ---- drawing ---- */

static void open_svg(struct w *w, const char *cls, double width, double h, const char *desc)
{
	put(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot %s\" viewBox=\"0 0 %.0f %.0f\" "
	       "width=\"%.0f\" height=\"%.0f\" role=\"img\" font-family=\"sans-serif\" "
	       "font-size=\"%.0f\"><title>",
	    cls, width, h, width, h, SVG_FONT);
	put_text(w, desc);
	put(w, "</title>\n");
}

/* Each label wrapped to the plot's width. */
struct wrapped {
	struct buf lines[SVG_LABEL_LINES];
	size_t n;
};

static struct wrapped *wrap_all(const char *const *labels, size_t n, double width)
{
	struct wrapped *wr = xcalloc(n ? n : 1, sizeof(*wr));

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < SVG_LABEL_LINES; k++)
			buf_init(&wr[i].lines[k], BUF_NOLIMIT);
		wr[i].n = svg_wrap(labels && labels[i] ? labels[i] : "", width, SVG_FONT,
				   wr[i].lines, SVG_LABEL_LINES);
		if (!wr[i].n)
			wr[i].n = 1;	/* an empty label still takes its line */
	}
	return wr;
}

static void wrap_free(struct wrapped *wr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < SVG_LABEL_LINES; k++)
			buf_release(&wr[i].lines[k]);
	free(wr);
}

/* A row's label: its lines from baseline y, the whole label as its tooltip. */
static void put_label(struct w *w, const struct wrapped *wr, const char *full, double x, double y)
{
	put(w, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\"><title>", x, y, INK);
	put_text(w, full);
	put(w, "</title>");
	for (size_t k = 0; k < wr->n; k++) {
		put(w, "<tspan x=\"%.1f\" dy=\"%.0f\">", x, k ? LINE_H : 0);
		put_text(w, buf_str(&wr->lines[k]));
		put(w, "</tspan>");
	}
	put(w, "</text>\n");
}

/* Grid lines and tick labels of a value axis from x0 (0) to x0 + pw (ticks[nt - 1]). */
static void put_axis(struct w *w, const double *ticks, size_t nt, double x0, double pw, double y0,
		     double y1, enum svg_value kind)
{
	double top = ticks[nt - 1];

	for (size_t k = 0; k < nt; k++) {
		double x = x0 + ticks[k] / top * pw;

		put(w, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		       "stroke=\"%s\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
		       "text-anchor=\"%s\" fill=\"%s\" font-size=\"11\">",
		    x, y0, x, y1, k ? GRID : "#999", x, y1 + 14,
		    k == 0 ? "start" : k + 1 == nt ? "end" : "middle", MUTED);
		put_tick(w, ticks[k], kind);
		put(w, "</text>\n");
	}
}

/* The width a value label takes at the end of a bar. */
static double value_width(const double *v, size_t n, enum svg_value kind, const char *none)
{
	double wmax = svg_text_width(none ? none : "", SVG_FONT);

	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT(BUF_NOLIMIT);
		struct w w = { &b, 0 };
		double tw;

		put_value(&w, v[i], kind);
		tw = svg_text_width(buf_str(&b), SVG_FONT);
		if (tw > wmax)
			wmax = tw;
		buf_release(&b);
	}
	return wmax + 8;
}

static double max_of(const double *v, size_t n)
{
	double m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] > m)
			m = v[i];
	return m;
}

int svg_hbars(struct buf *out, const char *desc, const char *const *labels, const double *v,
	      size_t n, enum svg_value kind, const char *none_text)
{
	struct w w = { out, 0 };
	struct wrapped *wr = wrap_all(labels, n, SVG_W);
	double ticks[MAX_TICKS], y = 4, h, pw;
	size_t nt = svg_ticks(max_of(v, n), kind == SV_COUNT, ticks, MAX_TICKS);

	pw = SVG_W - value_width(v, n, kind, none_text);
	h = y;
	for (size_t i = 0; i < n; i++)
		h += (double)wr[i].n * LINE_H + BAR_H + ROW_GAP;
	h += AXIS_H;
	open_svg(&w, "hbars", SVG_W, h, desc);
	put_axis(&w, ticks, nt, 0, pw, y, h - AXIS_H, kind);
	for (size_t i = 0; i < n; i++) {
		double by = y + (double)wr[i].n * LINE_H + 2, bw;

		put(&w, "<g class=\"row\">");
		put_label(&w, &wr[i], labels[i], 0, y + 12);
		bw = isfinite(v[i]) && v[i] > 0 ? v[i] / ticks[nt - 1] * pw : 0;
		if (isfinite(v[i]))
			put(&w, "<rect class=\"bar\" x=\"0\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" "
				"fill=\"#1f62b4\"/>", by, bw, BAR_H);
		put(&w, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\">", bw + 4,
		    by + BAR_H - 2, isfinite(v[i]) ? INK : MUTED);
		if (isfinite(v[i]))
			put_value(&w, v[i], kind);
		else
			put_text(&w, none_text);
		put(&w, "</text></g>\n");
		y += (double)wr[i].n * LINE_H + BAR_H + ROW_GAP;
	}
	put(&w, "</svg>\n");
	wrap_free(wr, n);
	return w.err ? -1 : 0;
}

/* Whether white text reads on colour c ("#rrggbb"): dark colours only. */
static int dark(const char *c)
{
	unsigned r, g, b;

	if (!c || sscanf(c, "#%2x%2x%2x", &r, &g, &b) != 3)
		return 0;
	return 0.299 * r + 0.587 * g + 0.114 * b < 150;
}

/* A legend of coloured squares, wrapped at the plot's width; returns its height. */
static double put_legend(struct w *w, const struct svg_part *parts, size_t n, double y)
{
	double x = 0, h = LEGEND_H;

	for (size_t s = 0; s < n; s++) {
		double tw = svg_text_width(parts[s].name ? parts[s].name : "", SVG_FONT) + 14 + 12;

		if (x > 0 && x + tw > SVG_W) {
			x = 0;
			y += LEGEND_H;
			h += LEGEND_H;
		}
		put(w, "<g class=\"legend\"><rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" "
		       "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">",
		    x, y, parts[s].color, x + 14, y + 9, INK);
		put_text(w, parts[s].name);
		put(w, "</text></g>\n");
		x += tw;
	}
	return h;
}

static double legend_height(const struct svg_part *parts, size_t n)
{
	struct buf scratch = BUF_INIT(BUF_NOLIMIT);
	struct w w = { &scratch, 0 };
	double h = put_legend(&w, parts, n, 0);

	buf_release(&scratch);
	return h;
}

int svg_stack100(struct buf *out, const char *desc, const char *const *labels, size_t n,
		 const struct svg_part *parts, size_t nparts, size_t emph, const char *none_text)
{
	static const double pct_ticks[] = { 0, 25, 50, 75, 100 };
	struct w w = { out, 0 };
	struct wrapped *wr = wrap_all(labels, n, SVG_W);
	double lh = legend_height(parts, nparts), y, h, pw = SVG_W - 48;

	h = 4 + lh + 4;
	for (size_t i = 0; i < n; i++)
		h += (double)wr[i].n * LINE_H + BAR_H + 4 + ROW_GAP;
	h += AXIS_H;
	open_svg(&w, "stack100", SVG_W, h, desc);
	put_legend(&w, parts, nparts, 4);
	y = 4 + lh + 4;
	put_axis(&w, pct_ticks, 5, 0, pw, y, h - AXIS_H, SV_PCT);
	for (size_t i = 0; i < n; i++) {
		double sum = 0, x = 0, by = y + (double)wr[i].n * LINE_H + 2;

		for (size_t s = 0; s < nparts; s++)
			if (isfinite(parts[s].v[i]) && parts[s].v[i] > 0)
				sum += parts[s].v[i];
		put(&w, "<g class=\"row\">");
		put_label(&w, &wr[i], labels[i], 0, y + 12);
		if (!(sum > 0)) {
			put(&w, "<text class=\"value\" x=\"0\" y=\"%.1f\" fill=\"%s\">",
			    by + BAR_H, MUTED);
			put_text(&w, none_text);
			put(&w, "</text></g>\n");
			y += (double)wr[i].n * LINE_H + BAR_H + 4 + ROW_GAP;
			continue;
		}
		for (size_t s = 0; s < nparts; s++) {
			double v = parts[s].v[i], share, bw;

			if (!isfinite(v) || v <= 0)
				continue;
			share = 100.0 * v / sum;
			bw = share / 100.0 * pw;
			put(&w, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" "
				"fill=\"%s\"><title>", x, by, bw, BAR_H + 4, parts[s].color);
			put_text(&w, parts[s].name);
			put(&w, " ");
			put_value(&w, v, SV_COUNT);
			put(&w, " (");
			put_value(&w, share, SV_PCT);
			put(&w, ")</title></rect>");
			if (bw >= 34) {
				put(&w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
					"font-size=\"10\" fill=\"%s\">", x + bw / 2, by + BAR_H,
				    dark(parts[s].color) ? "#fff" : INK);
				put_value(&w, share, SV_PCT);
				put(&w, "</text>");
			}
			x += bw;
		}
		put(&w, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\" "
			"font-weight=\"bold\">", pw + 4, by + BAR_H, parts[emph].color);
		put_value(&w, isfinite(parts[emph].v[i]) ? 100.0 * parts[emph].v[i] / sum : NAN,
			  SV_PCT);
		put(&w, "</text></g>\n");
		y += (double)wr[i].n * LINE_H + BAR_H + 4 + ROW_GAP;
	}
	put(&w, "</svg>\n");
	wrap_free(wr, n);
	return w.err ? -1 : 0;
}

int svg_grouped(struct buf *out, const char *desc, const char *const *labels, size_t n,
		const struct svg_part *series, size_t nseries, enum svg_value kind)
{
	enum { THIN = 9 };
	struct w w = { out, 0 };
	struct wrapped *wr = wrap_all(labels, n, SVG_W);
	double lh = legend_height(series, nseries), ticks[MAX_TICKS], max = 0, vw = 0, y, h, pw;
	size_t nt;

	for (size_t s = 0; s < nseries; s++) {
		double m = max_of(series[s].v, n), tw = value_width(series[s].v, n, kind, "–");

		if (m > max)
			max = m;
		if (tw > vw)
			vw = tw;
	}
	nt = svg_ticks(max, kind == SV_COUNT, ticks, MAX_TICKS);
	pw = SVG_W - vw;
	h = 4 + lh + 4;
	for (size_t i = 0; i < n; i++)
		h += (double)wr[i].n * LINE_H + (double)nseries * (THIN + 2) + ROW_GAP;
	h += AXIS_H;
	open_svg(&w, "grouped", SVG_W, h, desc);
	put_legend(&w, series, nseries, 4);
	y = 4 + lh + 4;
	put_axis(&w, ticks, nt, 0, pw, y, h - AXIS_H, kind);
	for (size_t i = 0; i < n; i++) {
		double by = y + (double)wr[i].n * LINE_H + 2;

		put(&w, "<g class=\"row\">");
		put_label(&w, &wr[i], labels[i], 0, y + 12);
		for (size_t s = 0; s < nseries; s++) {
			double v = series[s].v[i];
			double bw = isfinite(v) && v > 0 ? v / ticks[nt - 1] * pw : 0;

			put(&w, "<rect x=\"0\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
				"<title>", by, bw, THIN, series[s].color);
			put_text(&w, series[s].name);
			put(&w, ": ");
			put_value(&w, v, kind);
			put(&w, "</title></rect><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
				"fill=\"%s\">", bw + 3, by + THIN - 1, MUTED);
			put_value(&w, v, kind);
			put(&w, "</text>");
			by += THIN + 2;
		}
		put(&w, "</g>\n");
		y += (double)wr[i].n * LINE_H + (double)nseries * (THIN + 2) + ROW_GAP;
	}
	put(&w, "</svg>\n");
	wrap_free(wr, n);
	return w.err ? -1 : 0;
}

int svg_small_line(struct buf *out, const char *desc, const char *const *xlabels,
		   const double *v, size_t n, double top, enum svg_value kind,
		   const char *missing_text)
{
	const double W = SVG_SMALL_W, H = 96, x0 = 34, x1 = W - 6, y0 = 14, y1 = 78;
	struct w w = { out, 0 };
	double ticks[MAX_TICKS], t, dx, maxw = 0;
	size_t nt = svg_ticks(top, kind == SV_COUNT, ticks, MAX_TICKS), step;
	int pen = 0;

	t = ticks[nt - 1];
	dx = n > 1 ? (x1 - x0) / (double)(n - 1) : 0;
	open_svg(&w, "small", W, H, desc);
	put(&w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n",
	    x0, y0, x1, y0, GRID, x0, y1, x1, y1);
	put(&w, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\" "
		"fill=\"%s\">", x0 - 3, y0 + 4, MUTED);
	put_tick(&w, t, kind);
	put(&w, "</text><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		"font-size=\"10\" fill=\"%s\">0</text>\n", x0 - 3, y1 + 4, MUTED);
	put(&w, "<path fill=\"none\" stroke=\"#1f62b4\" stroke-width=\"2\" d=\"");
	for (size_t i = 0; i < n; i++) {
		double x = n > 1 ? x0 + dx * (double)i : (x0 + x1) / 2;

		if (!isfinite(v[i])) {
			pen = 0;
			continue;
		}
		put(&w, "%s%.1f %.1f ", pen ? "L" : "M", x,
		    y1 - (v[i] > 0 ? v[i] : 0) / t * (y1 - y0));
		pen = 1;
	}
	put(&w, "\"/>\n");
	/*
	 * The first and the last year always, those between every step-th
	 * where they fit: no two labels closer than a gap, none on the ends'.
	 */
	for (size_t i = 0; i < n; i++) {
		double lw = svg_text_width(xlabels[i], 10);

		if (lw > maxw)
			maxw = lw;
	}
	step = dx > 0 ? (size_t)ceil((maxw + 6) / dx) : 1;
	if (step < 1)
		step = 1;
	for (size_t i = 0; i < n; i++) {
		double x = n > 1 ? x0 + dx * (double)i : (x0 + x1) / 2;
		int label = i == 0 || i + 1 == n ||
			    (i % step == 0 && x - maxw / 2 >= x0 + maxw + 4 &&
			     x + maxw / 2 <= x1 - maxw - 4);

		if (label) {
			/* the end labels inside the plot's width: none is cut at the edge */
			put(&w, "<text class=\"xlabel\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
				"font-size=\"10\" fill=\"%s\">", x, y1 + 13,
			    n > 1 && i == 0 ? "start" : n > 1 && i + 1 == n ? "end" : "middle", MUTED);
			put_text(&w, xlabels[i]);
			put(&w, "</text>");
		}
		if (!isfinite(v[i])) {
			put(&w, "<path class=\"missing\" d=\"M%.1f %.1fl6 6m0 -6l-6 6\" "
				"stroke=\"#999\" stroke-width=\"1.5\"><title>", x - 3, y1 - 9);
			put_text(&w, xlabels[i]);
			put(&w, " ");
			put_text(&w, missing_text);
			put(&w, "</title></path>");
			continue;
		}
		put(&w, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#1f62b4\"><title>", x,
		    y1 - (v[i] > 0 ? v[i] : 0) / t * (y1 - y0));
		put_text(&w, xlabels[i]);
		put(&w, ": ");
		put_value(&w, v[i], kind);
		put(&w, "</title></circle>");
	}
	/* the last value, written out above the plot: what a reader looks for first */
	for (size_t i = n; i-- > 0;)
		if (isfinite(v[i])) {
			put(&w, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
				"font-size=\"10\" fill=\"%s\">", x1, 8.0, INK);
			put_text(&w, xlabels[i]);
			put(&w, "：");
			put_value(&w, v[i], kind);
			put(&w, "</text>");
			break;
		}
	put(&w, "\n</svg>\n");
	return w.err ? -1 : 0;
}
