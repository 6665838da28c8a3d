#include "reports/charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/svg.h"
#include "util/xalloc.h"
#include "util/banned.h"

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

int charts_bars(struct buf *out, const struct model *md, const size_t *rows, size_t n,
		const size_t *measures, size_t nmeasures, const char *title, const char *unit)
{
	const char **labels = xcalloc(n ? n : 1, sizeof(*labels));
	struct svg_series *series = xcalloc(nmeasures ? nmeasures : 1, sizeof(*series));
	double *vals = xcalloc(st_mult(n ? n : 1, nmeasures ? nmeasures : 1), sizeof(*vals));
	struct svg_chart c = { title, unit, labels, n, series, nmeasures };
	int ret;

	for (size_t i = 0; i < n; i++)
		labels[i] = md->rows[rows[i]].organization;
	for (size_t s = 0; s < nmeasures; s++) {
		series[s].name = md->m[measures[s]].name;
		series[s].v = vals + s * n;
		for (size_t i = 0; i < n; i++)
			vals[s * n + i] = md->rows[rows[i]].v[measures[s]];
	}
	ret = svg_bars(out, &c);
	free(labels);
	free(series);
	free(vals);
	return ret;
}

/* The years of md as labels; *years holds them, caller frees both. */
static char **year_labels(const struct model *md, int **years, size_t *n)
{
	char **labels;

	*years = model_years(md, n);
	labels = xcalloc(*n ? *n : 1, sizeof(*labels));
	for (size_t i = 0; i < *n; i++) {
		labels[i] = xmalloc(16);
		snprintf(labels[i], 16, "%d", (*years)[i]);
	}
	return labels;
}

static void free_labels(char **labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
}

static int pick_year(const struct mrow *r, void *ctx)
{
	return r->year == *(const int *)ctx;
}

int charts_group_trend(struct buf *out, const struct model *md, const size_t *measures,
		       size_t nmeasures, const char *title, const char *unit)
{
	int *years;
	size_t ny;
	char **labels = year_labels(md, &years, &ny);
	struct svg_series *series = xcalloc(nmeasures ? nmeasures : 1, sizeof(*series));
	double *vals = xcalloc(st_mult(ny ? ny : 1, nmeasures ? nmeasures : 1), sizeof(*vals));
	double *sum = xcalloc(md->nm ? md->nm : 1, sizeof(*sum));
	struct svg_chart c = { title, unit, (const char *const *)labels, ny, series, nmeasures };
	int ret;

	for (size_t y = 0; y < ny; y++) {
		model_sum(md, pick_year, &years[y], sum);
		for (size_t s = 0; s < nmeasures; s++)
			vals[s * ny + y] = sum[measures[s]];
	}
	for (size_t s = 0; s < nmeasures; s++) {
		series[s].name = md->m[measures[s]].name;
		series[s].v = vals + s * ny;
	}
	ret = svg_lines(out, &c);
	free_labels(labels, ny);
	free(years);
	free(series);
	free(vals);
	free(sum);
	return ret;
}

int charts_body_trend(struct buf *out, const struct model *md, const size_t *rows, size_t n,
		      size_t measure, const char *title, const char *unit)
{
	int *years;
	size_t ny;
	char **labels = year_labels(md, &years, &ny);
	struct svg_series *series = xcalloc(n ? n : 1, sizeof(*series));
	double *vals = xcalloc(st_mult(ny ? ny : 1, n ? n : 1), sizeof(*vals));
	struct svg_chart c = { title, unit, (const char *const *)labels, ny, series, n };
	int ret;

	for (size_t s = 0; s < n; s++) {
		const char *org = md->rows[rows[s]].organization;

		series[s].name = org;
		series[s].v = vals + s * ny;
		for (size_t y = 0; y < ny; y++)
			vals[s * ny + y] = NAN;
		/* rows are in (body, year) order: a body's years follow each other */
		for (size_t i = 0; i < md->n; i++) {
			if (strcmp(md->rows[i].organization, org))
				continue;
			for (size_t y = 0; y < ny; y++)
				if (md->rows[i].year == years[y])
					vals[s * ny + y] = md->rows[i].v[measure];
		}
	}
	ret = svg_lines(out, &c);
	free_labels(labels, ny);
	free(years);
	free(series);
	free(vals);
	return ret;
}
