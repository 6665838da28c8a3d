#include "reports/charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Outcome colours, by the meaning of the outcome: disclosed in blues,
 * refused in red-orange, the rest in muted tones; never green for a
 * refusal.  Keyed by the measures' names (the format's keys and groups).
 */
static const struct {
	const char *name;
	const char *color;
} outcome_colors[] = {
	{ "granted", "#1f62b4" },  { "partial", "#7fb0e3" }, { "refused", "#d9541e" },
	{ "unable", "#f2b279" },   { "rejected", "#a48fc4" }, { "other", "#b5b5b5" },
	/* table 4: a decision upheld, corrected (the applicant won), other, pending */
	{ "upheld", "#7f9cbf" },   { "corrected", "#d9541e" }, { "pending", "#e3d6a3" },
};

/* Years, oldest light, newest dark: a sequence, not categories. */
static const char *const year_colors[] = { "#c6dbef", "#9ecae1", "#6baed6", "#3182bd",
					   "#08519c" };

const char *charts_outcome_color(const char *name)
{
	for (size_t i = 0; i < NELEM(outcome_colors); i++)
		if (!strcmp(outcome_colors[i].name, name))
			return outcome_colors[i].color;
	return "#888888";
}

static int en(const struct rq *q)
{
	return q->lang == RL_EN;
}

const char *charts_unit(const struct measure *m, const struct rq *q)
{
	if (m->kind == MK_RATE)
		return en(q) ? "per cent of the requests handled" : "单位：%（占办理合计）";
	if (!strcmp(m->name, "fees"))
		return en(q) ? "10,000 yuan" : "单位：万元";
	return en(q) ? "requests" : "单位：件";
}

static const char *name_of(const struct measure *m, const struct rq *q)
{
	return en(q) ? m->name : m->words;
}

struct rank_ctx {
	const struct model *md;
	size_t measure;
};

static const struct rank_ctx *sort_ctx;

static int cmp_rows(const void *pa, const void *pb)
{
	const struct mrow *a = &sort_ctx->md->rows[*(const size_t *)pa];
	const struct mrow *b = &sort_ctx->md->rows[*(const size_t *)pb];
	double x = a->v[sort_ctx->measure], y = b->v[sort_ctx->measure];

	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	if (!isnan(x) && x != y)
		return x > y ? -1 : 1;
	return strcmp(a->organization, b->organization);
}

size_t charts_top_rows(const struct model *md, int year, size_t measure, size_t max, size_t *out,
		       size_t *total)
{
	size_t *all = xcalloc(md->n ? md->n : 1, sizeof(*all)), n = 0;
	struct rank_ctx ctx = { md, measure };

	for (size_t i = 0; i < md->n; i++)
		if (!year || md->rows[i].year == year)
			all[n++] = i;
	sort_ctx = &ctx;
	if (n)
		qsort(all, n, sizeof(*all), cmp_rows);
	*total = n;
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(*out));
	free(all);
	return n;
}

/* ---- the figure around a plot ---- */

void charts_figure_begin(struct rsection *out, const char *id, const char *title,
			 const char *unit, const struct rq *q)
{
	struct buf *b = &out->charts;

	(void)q;
	buf_adds(b, "<figure class=\"chart\" id=\"");
	esc_html(b, out->id);
	buf_addc(b, '-');
	esc_html(b, id);
	buf_adds(b, "\">\n<figcaption><h3 class=\"chart-title\">");
	esc_html(b, title);
	buf_adds(b, "</h3><p class=\"unit\">");
	esc_html(b, unit);
	buf_adds(b, "</p></figcaption>\n");
}

void charts_figure_end(struct rsection *out, const char *id, const char *source,
		       const char *note, const struct table *csv, const struct rq *q)
{
	struct buf *b = &out->charts;

	if (note && *note) {
		buf_adds(b, "<p class=\"coverage\">");
		esc_html(b, note);
		buf_adds(b, "</p>\n");
	}
	buf_adds(b, "<p class=\"source\">");
	esc_html(b, source);
	if (q->csv_prefix && csv) {
		struct buf name = BUF_INIT(BUF_NOLIMIT);
		struct buf *data;
		char *mem = NULL;
		size_t len = 0;
		FILE *f;

		buf_addf(&name, "%s%s.csv", q->csv_prefix, id);
		data = rsection_add_file(out, buf_str(&name));
		f = open_memstream(&mem, &len);
		if (f) {
			table_write(csv, f, TF_CSV, 0);
			fclose(f);
			buf_add(data, mem, len);
			free(mem);
		}
		buf_adds(b, " · <a class=\"csv\" href=\"");
		esc_html(b, q->site_root ? q->site_root : "");
		esc_html(b, buf_str(&name));
		buf_adds(b, "\">");
		buf_adds(b, en(q) ? "data (CSV)" : "数据（CSV）");
		buf_adds(b, "</a>");
		buf_release(&name);
	}
	buf_adds(b, "</p>\n</figure>\n");
}

/* ---- the data behind a chart: one row per body and year, tidy ---- */

struct csv {
	struct table *t;
	struct idcols c;
	size_t *cols;
	struct rq dq;	/* the request as data: keys and plain numbers */
};

static void csv_begin(struct csv *c, const struct rq *q, const struct model *md,
		      const size_t *measures, size_t n)
{
	c->dq = *q;
	c->dq.format = TF_CSV;
	c->dq.lang = RL_EN;
	c->t = table_new();
	c->cols = xcalloc(n ? n : 1, sizeof(*c->cols));
	model_head_columns(c->t, &c->c, &c->dq);
	for (size_t i = 0; i < n; i++)
		c->cols[i] = table_add_column(c->t, md->m[measures[i]].name, TA_RIGHT);
	model_tail_columns(c->t, &c->c, &c->dq);
}

static void csv_row(struct csv *c, const struct model *md, const struct mrow *r,
		    const size_t *measures, size_t n)
{
	table_add_row(c->t);
	model_set_ids(c->t, &c->c, r, r->year, &c->dq);
	for (size_t i = 0; i < n; i++)
		model_set_value(&md->m[measures[i]], c->t, c->cols[i], r->v[measures[i]], &c->dq);
}

static void csv_free(struct csv *c)
{
	table_free(c->t);
	free(c->cols);
}

/* "2023年：6个单位中5个有报告；无报告：A、B" when some body of md has none for year. */
static void year_coverage(struct buf *b, const struct model *md, int year, const struct rq *q)
{
	size_t have, all = model_bodies(md, 0, &have), named = 0;
	struct buf missing = BUF_INIT(BUF_NOLIMIT);

	model_bodies(md, year, &have);
	if (have == all)
		return;
	/* rows are in (body, year) order: a body's rows follow each other */
	for (size_t i = 0; i < md->n; i++) {
		int has = 0;
		size_t j = i;

		if (i && md->rows[i - 1].body_id == md->rows[i].body_id)
			continue;
		for (; j < md->n && md->rows[j].body_id == md->rows[i].body_id; j++)
			if (md->rows[j].year == year)
				has = 1;
		if (has)
			continue;
		if (named++ < 5)
			buf_addf(&missing, "%s%s", missing.len ? (en(q) ? ", " : "、") : "",
				 md->rows[i].organization);
	}
	if (named > 5)
		buf_addf(&missing, en(q) ? " and %zu more" : "等%zu个", en(q) ? named - 5 : named);
	if (en(q))
		buf_addf(b, "%d: %zu of %zu bodies have a report; none from %s.", year, have, all,
			 buf_str(&missing));
	else
		buf_addf(b, "%d年：%zu个单位中%zu个有报告；无报告：%s。", year, all, have,
			 buf_str(&missing));
	buf_release(&missing);
}

int charts_rank(struct rsection *out, const struct rq *q, const struct model *md, int year,
		size_t measure, const char *id, const char *title)
{
	size_t total, n, *top = xcalloc(md->n ? md->n : 1, sizeof(*top));
	const char **labels;
	double *v;
	struct buf note = BUF_INIT(BUF_NOLIMIT), src = BUF_INIT(BUF_NOLIMIT);
	struct csv csv;
	int ret;

	n = charts_top_rows(md, year, measure, md->n, top, &total);
	csv_begin(&csv, q, md, &measure, 1);
	for (size_t i = 0; i < n; i++)
		csv_row(&csv, md, &md->rows[top[i]], &measure, 1);
	if (n > CHARTS_TOP)
		n = CHARTS_TOP;
	labels = xcalloc(n ? n : 1, sizeof(*labels));
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		labels[i] = md->rows[top[i]].organization;
		v[i] = md->rows[top[i]].v[measure];
	}
	year_coverage(&note, md, year, q);
	if (total > n)
		buf_addf(&note, en(q) ? " The chart shows the first %zu of %zu bodies; the data "
					"holds all."
				      : "图中为前%zu个单位（共%zu个），数据中为全部。",
			 n, total);
	model_source_line(md, year, year, q->lang, &src);
	charts_figure_begin(out, id, title, charts_unit(&md->m[measure], q), q);
	ret = svg_hbars(&out->charts, title, labels, v, n,
			md->m[measure].kind == MK_RATE ? SV_PCT : SV_COUNT,
			en(q) ? "no figure" : "无数据");
	charts_figure_end(out, id, buf_str(&src), buf_str(&note), csv.t, q);
	csv_free(&csv);
	buf_release(&note);
	buf_release(&src);
	free(labels);
	free(v);
	free(top);
	return ret;
}

/* Sorting by the share refused, largest first; no requests last. */
struct share_ctx {
	const struct model *md;
	const size_t *outcomes;
	size_t n, refused;
};

static const struct share_ctx *share_ctx;

static double refused_share(const struct mrow *r)
{
	double sum = 0;

	for (size_t s = 0; s < share_ctx->n; s++) {
		double v = r->v[share_ctx->outcomes[s]];

		if (isfinite(v) && v > 0)
			sum += v;
	}
	return sum > 0 ? r->v[share_ctx->outcomes[share_ctx->refused]] / sum : NAN;
}

static int cmp_share(const void *pa, const void *pb)
{
	const struct mrow *a = &share_ctx->md->rows[*(const size_t *)pa];
	const struct mrow *b = &share_ctx->md->rows[*(const size_t *)pb];
	double x = refused_share(a), y = refused_share(b);

	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	if (!isnan(x) && x != y)
		return x > y ? -1 : 1;
	return strcmp(a->organization, b->organization);
}

int charts_outcomes(struct rsection *out, const struct rq *q, const struct model *md, int year,
		    const size_t *outcomes, size_t n, size_t refused, const char *id,
		    const char *title, const char *none_text)
{
	size_t *rows = xcalloc(md->n ? md->n : 1, sizeof(*rows)), nr = 0, shown;
	struct svg_part *parts = xcalloc(n ? n : 1, sizeof(*parts));
	double *vals;
	const char **labels;
	struct share_ctx ctx = { md, outcomes, n, refused };
	struct buf note = BUF_INIT(BUF_NOLIMIT), src = BUF_INIT(BUF_NOLIMIT);
	struct csv csv;
	int ret;

	for (size_t i = 0; i < md->n; i++)
		if (md->rows[i].year == year)
			rows[nr++] = i;
	share_ctx = &ctx;
	if (nr)
		qsort(rows, nr, sizeof(*rows), cmp_share);
	csv_begin(&csv, q, md, outcomes, n);
	for (size_t i = 0; i < nr; i++)
		csv_row(&csv, md, &md->rows[rows[i]], outcomes, n);
	shown = nr > CHARTS_TOP ? CHARTS_TOP : nr;
	vals = xcalloc(st_mult(n ? n : 1, shown ? shown : 1), sizeof(*vals));
	labels = xcalloc(shown ? shown : 1, sizeof(*labels));
	for (size_t i = 0; i < shown; i++)
		labels[i] = md->rows[rows[i]].organization;
	for (size_t s = 0; s < n; s++) {
		parts[s].name = name_of(&md->m[outcomes[s]], q);
		parts[s].color = charts_outcome_color(md->m[outcomes[s]].col
							      ? md->m[outcomes[s]].col->key
							      : md->m[outcomes[s]].name);
		parts[s].v = vals + s * shown;
		for (size_t i = 0; i < shown; i++)
			vals[s * shown + i] = md->rows[rows[i]].v[outcomes[s]];
	}
	year_coverage(&note, md, year, q);
	buf_addf(&note, en(q) ? " Each part as a share of their sum; sorted by the share of %s."
			      : "各项占其和的比例，按%s的比例由高到低排序。",
		 name_of(&md->m[outcomes[refused]], q));
	if (nr > shown)
		buf_addf(&note, en(q) ? " The first %zu of %zu bodies." : "图中为前%zu个单位（共%zu个）。",
			 shown, nr);
	model_source_line(md, year, year, q->lang, &src);
	charts_figure_begin(out, id, title, en(q) ? "per cent" : "单位：%", q);
	ret = svg_stack100(&out->charts, title, labels, shown, parts, n, refused, none_text);
	charts_figure_end(out, id, buf_str(&src), buf_str(&note), csv.t, q);
	csv_free(&csv);
	buf_release(&note);
	buf_release(&src);
	free(rows);
	free(parts);
	free(vals);
	free(labels);
	return ret;
}

int charts_multiples(struct rsection *out, const struct rq *q, const struct model *md, int year,
		     size_t measure, const char *id, const char *title)
{
	size_t total, n, ny, *top = xcalloc(CHARTS_MULTIPLES, sizeof(*top));
	int *years = model_years(md, &ny), ret = 0;
	char **xl = xcalloc(ny ? ny : 1, sizeof(*xl));
	double *v = xcalloc(ny ? ny : 1, sizeof(*v)), max = 0;
	struct buf note = BUF_INIT(BUF_NOLIMIT), src = BUF_INIT(BUF_NOLIMIT);
	struct csv csv;
	size_t prev_have = SIZE_MAX;
	int differs = 0;

	n = charts_top_rows(md, year, measure, CHARTS_MULTIPLES, top, &total);
	for (size_t y = 0; y < ny; y++) {
		xl[y] = xmalloc(16);
		snprintf(xl[y], 16, "%d", years[y]);
	}
	csv_begin(&csv, q, md, &measure, 1);
	for (size_t i = 0; i < md->n; i++) {
		csv_row(&csv, md, &md->rows[i], &measure, 1);
		if (isfinite(md->rows[i].v[measure]) && md->rows[i].v[measure] > max)
			max = md->rows[i].v[measure];
	}
	/* coverage: how many bodies report each year, said when it changes */
	for (size_t y = 0; y < ny; y++) {
		size_t have;

		model_bodies(md, years[y], &have);
		if (prev_have != SIZE_MAX && have != prev_have)
			differs = 1;
		prev_have = have;
	}
	if (differs) {
		buf_adds(&note, en(q) ? "Bodies with a report: " : "各年有报告的单位数：");
		for (size_t y = 0; y < ny; y++) {
			size_t have;

			model_bodies(md, years[y], &have);
			buf_addf(&note, en(q) ? "%s%d %zu" : "%s%d年%zu个", y ? (en(q) ? ", " : "，") : "",
				 years[y], have);
		}
		buf_adds(&note, en(q) ? ". " : "。");
	}
	buf_adds(&note, en(q) ? "One scale for all; a cross marks a year without a report."
			      : "各图刻度相同；× 表示该年无报告。");
	if (total > n)
		buf_addf(&note, en(q) ? " The %zu largest of %zu bodies in %d."
				      : "图中为%3$d年最大的%1$zu个单位（共%2$zu个）。",
			 n, total, year);
	model_source_line(md, 0, 0, q->lang, &src);
	charts_figure_begin(out, id, title, charts_unit(&md->m[measure], q), q);
	buf_adds(&out->charts, "<div class=\"multiples\">\n");
	for (size_t k = 0; k < n && !ret; k++) {
		const struct mrow *r = &md->rows[top[k]];

		for (size_t y = 0; y < ny; y++)
			v[y] = NAN;
		for (size_t i = 0; i < md->n; i++)
			if (md->rows[i].body_id == r->body_id)
				for (size_t y = 0; y < ny; y++)
					if (md->rows[i].year == years[y])
						v[y] = md->rows[i].v[measure];
		buf_adds(&out->charts, "<div class=\"small\"><p class=\"small-title\">");
		esc_html(&out->charts, r->organization);
		buf_adds(&out->charts, "</p>");
		ret = svg_small_line(&out->charts, r->organization, (const char *const *)xl, v, ny,
				     max, md->m[measure].kind == MK_RATE ? SV_PCT : SV_COUNT,
				     en(q) ? "no report" : "无报告");
		buf_adds(&out->charts, "</div>\n");
	}
	buf_adds(&out->charts, "</div>\n");
	charts_figure_end(out, id, buf_str(&src), buf_str(&note), csv.t, q);
	csv_free(&csv);
	for (size_t y = 0; y < ny; y++)
		free(xl[y]);
	free(xl);
	free(v);
	free(years);
	free(top);
	buf_release(&note);
	buf_release(&src);
	return ret;
}

static int pick_year(const struct mrow *r, void *ctx)
{
	return r->year == *(const int *)ctx;
}

/* Grounds sorted by the last year's count (then all years'), largest first. */
struct ground_ctx {
	const double *last, *all;
};

static const struct ground_ctx *ground_ctx;

static int cmp_ground(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	double x = ground_ctx->last[a], y = ground_ctx->last[b];

	if (isnan(x))
		x = -1;
	if (isnan(y))
		y = -1;
	if (x != y)
		return x > y ? -1 : 1;
	if (ground_ctx->all[a] != ground_ctx->all[b])
		return ground_ctx->all[a] > ground_ctx->all[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

int charts_grounds(struct rsection *out, const struct rq *q, const struct model *md,
		   size_t grounds, size_t n, const char *id, const char *title)
{
	enum { MAX_YEARS = NELEM(year_colors) };
	size_t ny, first, nyears, *order = xcalloc(n ? n : 1, sizeof(*order)), shown = 0;
	int *years = model_years(md, &ny), ret;
	double *sum = xcalloc(md->nm ? md->nm : 1, sizeof(*sum));
	double *vals = xcalloc(st_mult(n ? n : 1, MAX_YEARS), sizeof(*vals));
	double *all = xcalloc(n ? n : 1, sizeof(*all));
	struct svg_part series[MAX_YEARS];
	char names[MAX_YEARS][32];
	char **labels = xcalloc(n ? n : 1, sizeof(*labels));
	struct buf note = BUF_INIT(BUF_NOLIMIT), src = BUF_INIT(BUF_NOLIMIT);
	struct table *csv = table_new();
	struct ground_ctx ctx;
	double *sorted;

	first = ny > MAX_YEARS ? ny - MAX_YEARS : 0;
	nyears = ny - first;
	table_add_column(csv, "year", TA_RIGHT);
	table_add_column(csv, "group", TA_LEFT);
	table_add_column(csv, "ground", TA_LEFT);
	table_add_column(csv, "label", TA_LEFT);
	table_add_column(csv, "count", TA_RIGHT);
	table_add_column(csv, "total", TA_RIGHT);
	table_add_column(csv, "share_pct", TA_RIGHT);
	table_add_column(csv, "reports", TA_RIGHT);
	for (size_t y = 0; y < nyears; y++) {
		int yr = years[first + y];
		long tot = model_find(md, "total");
		size_t nrep = model_sum(md, pick_year, &yr, sum);

		for (size_t g = 0; g < n; g++) {
			const struct fmt_row *row = md->m[grounds + g].rows[0];
			double c = sum[grounds + g];

			vals[g * MAX_YEARS + y] = c;
			if (isfinite(c))
				all[g] += c;
			table_add_row(csv);
			table_set_num(csv, 0, yr);
			table_set_str(csv, 1, row->group);
			table_set_str(csv, 2, row->key);
			table_set_str(csv, 3, row->label);
			table_set_num(csv, 4, c);
			if (tot >= 0) {
				table_set_num(csv, 5, sum[tot]);
				if (isfinite(c) && sum[tot] > 0)
					table_set_num(csv, 6, model_round_pct(100.0 * c / sum[tot]));
			}
			table_set_num(csv, 7, (double)nrep);
		}
	}
	/* the grounds anyone gave, sorted by the last year */
	sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	for (size_t g = 0; g < n; g++) {
		sorted[g] = nyears ? vals[g * MAX_YEARS + nyears - 1] : NAN;
		if (all[g] > 0)
			order[shown++] = g;
	}
	ctx.last = sorted;
	ctx.all = all;
	ground_ctx = &ctx;
	if (shown)
		qsort(order, shown, sizeof(*order), cmp_ground);
	{
		double *sv = xcalloc(st_mult(shown ? shown : 1, MAX_YEARS), sizeof(*sv));

		for (size_t y = 0; y < nyears; y++) {
			snprintf(names[y], sizeof(names[y]), en(q) ? "%d" : "%d年", years[first + y]);
			series[y].name = names[y];
			series[y].color = year_colors[MAX_YEARS - nyears + y];
			series[y].v = sv + y * (shown ? shown : 1);
		}
		for (size_t k = 0; k < shown; k++) {
			const struct fmt_row *row = md->m[grounds + order[k]].rows[0];
			struct buf l = BUF_INIT(BUF_NOLIMIT);

			if (en(q))
				buf_addf(&l, "%s", row->key);
			else
				buf_addf(&l, "%s：%s", fmt_short_label(row->group),
					 fmt_short_label(row->key));
			labels[k] = buf_take(&l);
			for (size_t y = 0; y < nyears; y++)
				sv[y * shown + k] = vals[order[k] * MAX_YEARS + y];
		}
		/* coverage: the sums of different sets of bodies are not like for like */
		{
			size_t prev = SIZE_MAX;
			int differs = 0;

			for (size_t y = 0; y < nyears; y++) {
				size_t have;

				model_bodies(md, years[first + y], &have);
				differs |= prev != SIZE_MAX && have != prev;
				prev = have;
			}
			if (differs) {
				buf_adds(&note, en(q) ? "Each year sums the bodies that reported for "
							"it: "
						      : "每年为当年有报告的单位之和：");
				for (size_t y = 0; y < nyears; y++) {
					size_t have;

					model_bodies(md, years[first + y], &have);
					buf_addf(&note, en(q) ? "%s%d %zu bodies" : "%s%d年%zu个",
						 y ? (en(q) ? ", " : "，") : "", years[first + y], have);
				}
				buf_adds(&note, en(q) ? ". " : "。");
			}
			buf_adds(&note, en(q) ? "Grounds no request was refused on are left out."
					      : "未用过的理由不列。");
		}
		model_source_line(md, nyears ? years[first] : 0, nyears ? years[ny - 1] : 0,
				  q->lang, &src);
		charts_figure_begin(out, id, title, en(q) ? "requests" : "单位：件", q);
		ret = svg_grouped(&out->charts, title, (const char *const *)labels, shown, series,
				  nyears, SV_COUNT);
		charts_figure_end(out, id, buf_str(&src), buf_str(&note), csv, q);
		free(sv);
	}
	for (size_t k = 0; k < shown; k++)
		free(labels[k]);
	free(labels);
	free(sorted);
	free(order);
	free(years);
	free(sum);
	free(vals);
	free(all);
	table_free(csv);
	buf_release(&note);
	buf_release(&src);
	return ret;
}
