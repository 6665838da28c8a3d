#include "reports/refusals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "reports/charts.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char note[] =
	"One row per body, year and ground (the newest report of each body and year), then "
	"the rows of (total): every body shown summed, per year. count is the ground's row "
	"figure, total the requests handled (（七）总计), share_pct = count / total in per "
	"cent; in (total) rows the share of the sums.";

static const char note_zh[] =
	"每个单位每年每个理由一行（取最新的报告），其后为各年合计行（所列单位之和）。件数为该理由"
	"一行的数字，办理合计即（七）总计，占办理合计 = 件数 / 办理合计；合计行为合计数之比。";

struct cols {
	struct idcols id;
	size_t group, ground, label, count, total, share;
};

/* The rows of one body-year (r NULL: a year's total): a row per ground. */
static void add_rows(struct table *t, const struct cols *c, const struct model *md,
		     const struct mrow *r, int year, const double *v, size_t grounds, size_t n,
		     size_t total, size_t shares, const struct rq *q)
{
	for (size_t g = 0; g < n; g++) {
		const struct measure *m = &md->m[grounds + g];
		const struct fmt_row *row = m->rows[0];

		table_add_row(t);
		model_set_ids(t, &c->id, r, year, q);
		table_set_str(t, c->group, RQ_FOR_PEOPLE(q) && q->lang == RL_ZH
						   ? fmt_short_label(row->group)
						   : row->group);
		table_set_str(t, c->ground, row->key);
		table_set_str(t, c->label, row->label);
		model_set_value(m, t, c->count, v[grounds + g], q);
		model_set_value(&md->m[total], t, c->total, v[total], q);
		model_set_value(&md->m[shares + g], t, c->share, v[shares + g], q);
	}
}

static int pick_year(const struct mrow *r, void *ctx)
{
	return r->year == *(const int *)ctx;
}

static size_t column(struct table *t, const char *key, enum table_align a, const struct rq *q)
{
	return table_add_column(t, RQ_FOR_PEOPLE(q) ? words_column(key, q->lang) : key, a);
}

int refusals_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct model md;
	struct cols c;
	size_t grounds, n, total, shares, nyears;
	int *years = NULL, ret;
	double *sum = NULL;

	model_init(&md);
	grounds = model_add_grounds(&md, &n);
	total = model_add_total(&md);
	shares = md.nm;
	for (size_t g = 0; g < n; g++) {
		char name[64];

		snprintf(name, sizeof(name), "%s_pct", md.m[grounds + g].name);
		model_add_rate(&md, name, grounds + g, total);
	}
	ret = model_load(&md, st, q, err);
	if (ret)
		goto out;
	buf_adds(&out->note, q->lang == RL_EN ? note : note_zh);
	model_head_columns(out->table, &c.id, q);
	c.group = column(out->table, "group", TA_LEFT, q);
	c.ground = RQ_FOR_PEOPLE(q) && q->lang == RL_ZH ? SIZE_MAX
							: column(out->table, "ground", TA_LEFT, q);
	c.label = column(out->table, "label", TA_LEFT, q);
	c.count = column(out->table, "count", TA_RIGHT, q);
	c.total = RQ_FOR_PEOPLE(q) && q->lang == RL_ZH
			  ? table_add_column(out->table, md.m[total].words, TA_RIGHT)
			  : column(out->table, "total", TA_RIGHT, q);
	c.share = column(out->table, "share_pct", TA_RIGHT, q);
	model_tail_columns(out->table, &c.id, q);
	for (size_t i = 0; i < md.n; i++)
		add_rows(out->table, &c, &md, &md.rows[i], md.rows[i].year, md.rows[i].v, grounds, n,
			 total, shares, q);
	years = model_years(&md, &nyears);
	sum = xcalloc(md.nm, sizeof(*sum));
	for (size_t y = 0; y < nyears; y++) {
		model_sum(&md, pick_year, &years[y], sum);
		add_rows(out->table, &c, &md, NULL, years[y], sum, grounds, n, total, shares, q);
	}
	if (q->charts && md.n &&
	    charts_grounds(out, q, &md, grounds, n, "grounds",
			   q->lang == RL_EN ? "Refusal grounds per year, all bodies shown"
					    : "各年不予公开、无法提供、不予处理的理由"))
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
out:
	free(years);
	free(sum);
	model_release(&md);
	return ret;
}
