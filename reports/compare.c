#include "reports/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/charts.h"
#include "store/query.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The measures of the comparison: those of volumes without the breakdowns. */
static void add_measures(struct model *md, size_t *outcomes, size_t *noutcomes, size_t *outflow)
{
	model_add_inflow(md, 0);
	*outcomes = model_add_outcomes(md, noutcomes);
	model_add_total(md);
	*outflow = model_add_outflow(md);
	model_add_rates(md);
}

char *compare_measures(void)
{
	struct model md;
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	size_t o, no, of;

	model_init(&md);
	add_measures(&md, &o, &no, &of);
	for (size_t i = 0; i < md.nm; i++)
		if (!md.m[i].hidden)
			buf_addf(&b, "%s%s", b.len ? ", " : "", md.m[i].name);
	model_release(&md);
	return buf_take(&b);
}

struct sort_ctx {
	const struct model *md;
	size_t by;
};

static const struct sort_ctx *sort_ctx;

/* Largest first, blanks last, ties by name. */
static int cmp_rank(const void *pa, const void *pb)
{
	const struct mrow *a = &sort_ctx->md->rows[*(const size_t *)pa];
	const struct mrow *b = &sort_ctx->md->rows[*(const size_t *)pb];
	double x = a->v[sort_ctx->by], y = b->v[sort_ctx->by];

	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	if (!isnan(x) && x != y)
		return x > y ? -1 : 1;
	return strcmp(a->organization, b->organization);
}

static int cmp_org(const void *pa, const void *pb)
{
	const struct mrow *a = &sort_ctx->md->rows[*(const size_t *)pa];
	const struct mrow *b = &sort_ctx->md->rows[*(const size_t *)pb];

	return strcmp(a->organization, b->organization);
}

/* The row of org in base[0..n) (sorted by name), or NULL. */
static const struct mrow *find_base(const struct model *md, const size_t *base, size_t n,
				    const char *org)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(md->rows[base[mid]].organization, org);

		if (!c)
			return &md->rows[base[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int pick_year(const struct mrow *r, void *ctx)
{
	return r->year == *(const int *)ctx;
}

struct cols {
	size_t rank, org, year, id, base_year, base, change, change_pct;
	size_t *map;
};

/* The change columns of one row: the measure in the base year, the change and its percentage. */
static void set_change(struct table *t, const struct cols *c, const struct measure *m, int year,
		       double now, double then)
{
	int rate = m->kind == MK_RATE;

	table_set_num(t, c->base_year, year);
	table_set_num(t, c->base, rate ? model_round_pct(then) : then);
	if (isnan(now) || isnan(then))
		return;
	table_set_num(t, c->change, rate ? model_round_pct(now - then) : now - then);
	if (!rate && then != 0)
		table_set_num(t, c->change_pct, model_round_pct(100.0 * (now - then) / then));
}

static int charts(struct rsection *out, const struct model *md, const size_t *ranked, size_t n,
		  size_t by, size_t outcomes, size_t noutcomes, size_t outflow, int year,
		  int with_trend)
{
	size_t shown = n > CHARTS_TOP ? CHARTS_TOP : n, *mix = xcalloc(noutcomes + 1, sizeof(*mix));
	struct buf title = BUF_INIT(BUF_NOLIMIT);
	int ret;

	buf_addf(&title, "%s per body, %d%s", md->m[by].name, year,
		 n > shown ? " (the first by rank)" : "");
	ret = charts_bars(&out->charts, md, ranked, shown, &by, 1, buf_str(&title),
			  md->m[by].kind == MK_RATE ? "per cent" : "requests");
	for (size_t i = 0; i < noutcomes; i++)
		mix[i] = outcomes + i;
	mix[noutcomes] = outflow;
	buf_reset(&title);
	buf_addf(&title, "How the requests ended, %d", year);
	ret |= charts_bars(&out->charts, md, ranked, shown, mix, noutcomes + 1, buf_str(&title),
			   "requests");
	if (with_trend) {
		buf_reset(&title);
		buf_addf(&title, "%s over the years, the first bodies by rank", md->m[by].name);
		ret |= charts_body_trend(&out->charts, md, ranked, shown > 8 ? 8 : shown, by,
					 buf_str(&title),
					 md->m[by].kind == MK_RATE ? "per cent" : "requests");
	}
	buf_release(&title);
	free(mix);
	return ret;
}

int compare_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct model md;
	struct rq lq = *q;
	struct cols c = { 0 };
	size_t outcomes, noutcomes, outflow, *ranked = NULL, *base = NULL, n = 0, nbase = 0;
	long by;
	int year = q->f.year_to, base_year = 0, ret = 0, first, last;
	double *sum = NULL, *bsum = NULL;

	model_init(&md);
	add_measures(&md, &outcomes, &noutcomes, &outflow);
	by = q->by ? model_find(&md, q->by) : model_new_requests(&md);
	if (by < 0 || md.m[by].hidden) {
		char *names = compare_measures();

		ret = err_set(err, OGI_EINVAL, "cannot rank by '%s': choose one of %s",
			      q->by ? q->by : "", names);
		free(names);
		goto out;
	}
	if (!year) {
		ret = query_year_span(st, &q->f, &first, &last, err);
		if (ret)
			goto out;
		year = last;
	}
	if (q->f.year_from && q->f.year_from < year)
		base_year = q->f.year_from;
	/* Without charts only the two years compared are read (one span, not the ranges asked). */
	lq.f.nyears = 0;
	lq.f.year_from = lq.f.year_to = year;
	if (year)
		ret = model_load(&md, st, &lq, err);
	if (!ret && base_year && q->charts) {
		lq.f.year_from = base_year;
		lq.f.year_to = year - 1;
		ret = model_load(&md, st, &lq, err);
	} else if (!ret && base_year) {
		lq.f.year_from = lq.f.year_to = base_year;
		ret = model_load(&md, st, &lq, err);
	}
	if (ret)
		goto out;

	ranked = xcalloc(md.n ? md.n : 1, sizeof(*ranked));
	base = xcalloc(md.n ? md.n : 1, sizeof(*base));
	for (size_t i = 0; i < md.n; i++) {
		if (md.rows[i].year == year)
			ranked[n++] = i;
		else if (md.rows[i].year == base_year)
			base[nbase++] = i;
	}
	{
		struct sort_ctx ctx = { &md, (size_t)by };

		sort_ctx = &ctx;
		if (n)
			qsort(ranked, n, sizeof(*ranked), cmp_rank);
		if (nbase)
			qsort(base, nbase, sizeof(*base), cmp_org);
	}

	buf_addf(&out->note,
		 "The bodies' reports for %d ranked by %s (largest first; equal values share a "
		 "rank; empty figures last, unranked), then their (total). Measures as in 'ogi "
		 "report volumes'.", year, md.m[by].name);
	if (base_year)
		buf_addf(&out->note, " base_year, %s_base: the same measure in %d; %s_change: "
			 "the change since then (percentage points for a rate); %s_change_pct: "
			 "that change in per cent of the base.", md.m[by].name, base_year,
			 md.m[by].name, md.m[by].name);
	c.rank = table_add_column(out->table, "rank", TA_RIGHT);
	c.org = table_add_column(out->table, "organization", TA_LEFT);
	c.year = table_add_column(out->table, "year", TA_RIGHT);
	c.map = xcalloc(md.nm, sizeof(*c.map));
	model_add_columns(&md, out->table, c.map);
	if (base_year) {
		struct buf name = BUF_INIT(BUF_NOLIMIT);

		c.base_year = table_add_column(out->table, "base_year", TA_RIGHT);
		buf_addf(&name, "%s_base", md.m[by].name);
		c.base = table_add_column(out->table, buf_str(&name), TA_RIGHT);
		buf_reset(&name);
		buf_addf(&name, "%s_change", md.m[by].name);
		c.change = table_add_column(out->table, buf_str(&name), TA_RIGHT);
		buf_adds(&name, "_pct");
		c.change_pct = table_add_column(out->table, buf_str(&name), TA_RIGHT);
		buf_release(&name);
	}
	c.id = table_add_column(out->table, "report_id", TA_RIGHT);

	for (size_t k = 0, rank = 0; k < n; k++) {
		const struct mrow *r = &md.rows[ranked[k]];
		double v = r->v[by];

		/* competition ranking: 1, 2, 2, 4 */
		if (!k || v != md.rows[ranked[k - 1]].v[by])
			rank = k + 1;
		table_add_row(out->table);
		if (!isnan(v))
			table_set_num(out->table, c.rank, (double)rank);
		table_set_str(out->table, c.org, r->organization);
		table_set_num(out->table, c.year, r->year);
		model_set_cells(&md, out->table, c.map, r->v);
		if (base_year) {
			const struct mrow *b = find_base(&md, base, nbase, r->organization);

			set_change(out->table, &c, &md.m[by], base_year, v, b ? b->v[by] : NAN);
		}
		table_set_num(out->table, c.id, (double)r->report_id);
	}
	sum = xcalloc(md.nm, sizeof(*sum));
	bsum = xcalloc(md.nm, sizeof(*bsum));
	if (n) {
		model_sum(&md, pick_year, &year, sum);
		table_add_row(out->table);
		table_set_str(out->table, c.org, MODEL_TOTAL_ROW);
		table_set_num(out->table, c.year, year);
		model_set_cells(&md, out->table, c.map, sum);
		if (base_year) {
			/* the total then: every body shown that reported for the base year */
			model_sum(&md, pick_year, &base_year, bsum);
			set_change(out->table, &c, &md.m[by], base_year, sum[by], bsum[by]);
		}
	}
	if (q->charts && n &&
	    charts(out, &md, ranked, n, (size_t)by, outcomes, noutcomes, outflow, year,
		   base_year != 0))
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
out:
	free(c.map);
	free(ranked);
	free(base);
	free(sum);
	free(bsum);
	model_release(&md);
	return ret;
}
