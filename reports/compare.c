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

static int cmp_body(const void *pa, const void *pb)
{
	const struct mrow *a = &sort_ctx->md->rows[*(const size_t *)pa];
	const struct mrow *b = &sort_ctx->md->rows[*(const size_t *)pb];

	return a->body_id < b->body_id ? -1 : a->body_id > b->body_id;
}

/* The row of body in base[0..n) (sorted by body), or NULL. */
static const struct mrow *find_base(const struct model *md, const size_t *base, size_t n,
				    int64_t body)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t b = md->rows[base[mid]].body_id;

		if (b == body)
			return &md->rows[base[mid]];
		if (b < body)
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
	struct idcols id;
	size_t rank, base_year, base, change, change_pct;
	size_t *map;
};

/* The change columns of one row: the measure in the base year, the change and its percentage. */
static void set_change(struct table *t, const struct cols *c, const struct measure *m, int year,
		       double now, double then, const struct rq *q)
{
	struct measure pts = *m;

	table_set_num(t, c->base_year, year);
	model_set_value(m, t, c->base, then, q);
	if (isnan(now) || isnan(then))
		return;
	/* a rate's change is in percentage points: rounded as a rate, written without "%" */
	pts.kind = MK_T3;
	model_set_value(m->kind == MK_RATE ? &pts : m, t, c->change,
			m->kind == MK_RATE ? model_round_pct(now - then) : now - then, q);
	if (m->kind != MK_RATE && then != 0) {
		struct measure pct = *m;

		pct.kind = MK_RATE;
		model_set_value(&pct, t, c->change_pct, 100.0 * (now - then) / then, q);
	}
}

static int charts(struct rsection *out, const struct rq *q, const struct model *md, size_t by,
		  size_t outcomes, size_t noutcomes, int year, int with_trend)
{
	size_t *mix = xcalloc(noutcomes ? noutcomes : 1, sizeof(*mix)), refused = 0;
	struct buf title = BUF_INIT(BUF_NOLIMIT);
	long rpct = model_find(md, "refusal_pct");
	int ret, en = q->lang == RL_EN;

	buf_addf(&title, en ? "%s per body, %d" : "%2$d年各单位%1$s", en ? md->m[by].name
									 : md->m[by].words, year);
	ret = charts_rank(out, q, md, year, by, "rank", buf_str(&title));
	for (size_t i = 0; i < noutcomes; i++) {
		mix[i] = outcomes + i;
		if (rpct >= 0 && md->m[rpct].num == mix[i])
			refused = i;
	}
	buf_reset(&title);
	buf_addf(&title, en ? "How the requests ended, %d, by the share refused"
			    : "%d年申请办理结果：不予公开比例由高到低", year);
	ret |= charts_outcomes(out, q, md, year, mix, noutcomes, refused, "outcomes",
			       buf_str(&title), en ? "no request handled" : "无办理结果");
	if (with_trend) {
		buf_reset(&title);
		buf_addf(&title, en ? "%s over the years, body by body" : "各单位%s的逐年变化",
			 en ? md->m[by].name : md->m[by].words);
		ret |= charts_multiples(out, q, md, year, by, "trend", buf_str(&title));
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
	size_t matched = 0, left_out = 0;
	long by;
	int year = q->f.year_to, base_year = 0, ret = 0, en = q->lang == RL_EN;
	double *sum = NULL, *bsum = NULL, *lsum = NULL;
	struct buf why = BUF_INIT(BUF_NOLIMIT);

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
	if (!year || q->charts) {
		/* the default year needs every year's coverage; the charts every year's figures */
		ret = model_load(&md, st, q, err);
		if (ret)
			goto out;
		if (!year)
			year = model_default_year(&md, q->lang, &why);
	} else {
		/* Without charts only the two years compared are read (one span, not the ranges asked). */
		lq.f.nyears = 0;
		lq.f.year_from = lq.f.year_to = year;
		ret = model_load(&md, st, &lq, err);
		if (!ret && q->f.year_from && q->f.year_from < year) {
			lq.f.year_from = lq.f.year_to = q->f.year_from;
			ret = model_load(&md, st, &lq, err);
		}
		if (ret)
			goto out;
	}
	if (q->f.year_from && q->f.year_from < year)
		base_year = q->f.year_from;

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
			qsort(base, nbase, sizeof(*base), cmp_body);
	}

	/* like for like: the bodies with a report in both years */
	if (base_year) {
		bsum = xcalloc(md.nm, sizeof(*bsum));
		lsum = xcalloc(md.nm, sizeof(*lsum));
		matched = model_like_for_like(&md, base_year, year, bsum, lsum, &left_out);
	}
	if (en) {
		buf_addf(&out->note,
			 "The bodies' reports for %d ranked by %s (largest first; equal values share "
			 "a rank; empty figures last, unranked), then their (total). Measures as in "
			 "'ogi report volumes'.", year, md.m[by].name);
		if (why.len)
			buf_addf(&out->note, " The year: %s; --year chooses another.", buf_str(&why));
		if (base_year)
			buf_addf(&out->note, " base_year, %s_base: the same measure in %d; %s_change: "
				 "the change since then (percentage points for a rate); "
				 "%s_change_pct: that change in per cent of the base. The (total) "
				 "change is like for like: the %zu bodies with a report in both years "
				 "(%zu left out).", md.m[by].name, base_year, md.m[by].name,
				 md.m[by].name, matched, left_out);
	} else {
		buf_addf(&out->note, "%d年各单位按%s排名（由大到小；数值相同名次相同；无数据者列于最后、"
			 "不排名），最后一行为合计。各项含义同 ogi report volumes。", year,
			 md.m[by].words);
		if (why.len)
			buf_addf(&out->note, "年度：%s；可用 --year 另选。", buf_str(&why));
		if (base_year)
			buf_addf(&out->note, "基期为%d年；变化为与基期之差（比率为百分点），变化率为变化占"
				 "基期的百分比。合计的变化只比较两年都有报告的%zu个单位（另有%zu个"
				 "单位只有一年的报告，未计入）。", base_year, matched, left_out);
	}
	c.rank = table_add_column(out->table, RQ_FOR_PEOPLE(q) ? words_column("rank", q->lang)
							     : "rank", TA_RIGHT);
	model_head_columns(out->table, &c.id, q);
	c.map = xcalloc(md.nm, sizeof(*c.map));
	model_add_columns(&md, out->table, c.map, q);
	c.base_year = c.base = c.change = c.change_pct = SIZE_MAX;
	if (base_year) {
		struct buf name = BUF_INIT(BUF_NOLIMIT);
		const char *m = md.m[by].name;

		c.base_year = table_add_column(out->table, RQ_FOR_PEOPLE(q) && !en ? "基期"
										    : "base_year",
					       TA_RIGHT);
		if (RQ_FOR_PEOPLE(q) && !en)
			buf_addf(&name, "基期%s", md.m[by].words);
		else
			buf_addf(&name, "%s_base", m);
		c.base = table_add_column(out->table, buf_str(&name), TA_RIGHT);
		buf_reset(&name);
		if (RQ_FOR_PEOPLE(q) && !en)
			buf_addf(&name, "%s变化", md.m[by].words);
		else
			buf_addf(&name, "%s_change", m);
		c.change = table_add_column(out->table, buf_str(&name), TA_RIGHT);
		buf_adds(&name, RQ_FOR_PEOPLE(q) && !en ? "率" : "_pct");
		c.change_pct = table_add_column(out->table, buf_str(&name), TA_RIGHT);
		buf_release(&name);
	}
	model_tail_columns(out->table, &c.id, q);

	for (size_t k = 0, rank = 0; k < n; k++) {
		const struct mrow *r = &md.rows[ranked[k]];
		double v = r->v[by];

		/* competition ranking: 1, 2, 2, 4 */
		if (!k || v != md.rows[ranked[k - 1]].v[by])
			rank = k + 1;
		table_add_row(out->table);
		if (!isnan(v))
			table_set_num(out->table, c.rank, (double)rank);
		model_set_ids(out->table, &c.id, r, r->year, q);
		model_set_cells(&md, out->table, c.map, r->v, q);
		if (base_year) {
			const struct mrow *b = find_base(&md, base, nbase, r->body_id);

			set_change(out->table, &c, &md.m[by], base_year, v, b ? b->v[by] : NAN, q);
		}
	}
	sum = xcalloc(md.nm, sizeof(*sum));
	if (n) {
		model_sum(&md, pick_year, &year, sum);
		table_add_row(out->table);
		model_set_ids(out->table, &c.id, NULL, year, q);
		model_set_cells(&md, out->table, c.map, sum, q);
		if (base_year)
			set_change(out->table, &c, &md.m[by], base_year, lsum[by], bsum[by], q);
	}
	if (q->charts && n &&
	    charts(out, q, &md, (size_t)by, outcomes, noutcomes, year, md.n > n + nbase || base_year))
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
out:
	free(c.map);
	free(ranked);
	free(base);
	free(sum);
	free(bsum);
	free(lsum);
	buf_release(&why);
	model_release(&md);
	return ret;
}
