#include "reports/refusals.h"

#include <math.h>
#include <stdlib.h>

#include "reports/svg.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char note[] =
	"One row per body, year and ground (the newest report of each body and year), then "
	"the rows of (total): every body shown summed, per year. count is the ground's row "
	"figure, total the requests handled (（七）总计), share_pct = count / total in per "
	"cent; in (total) rows the share of the sums.";

enum { C_ORG, C_YEAR, C_GROUP, C_GROUND, C_LABEL, C_COUNT, C_TOTAL, C_SHARE, NCOLS };

static const struct {
	const char *name;
	enum table_align align;
} columns[NCOLS] = {
	[C_ORG] = { "organization", TA_LEFT }, [C_YEAR] = { "year", TA_RIGHT },
	[C_GROUP] = { "group", TA_LEFT },      [C_GROUND] = { "ground", TA_LEFT },
	[C_LABEL] = { "label", TA_LEFT },      [C_COUNT] = { "count", TA_RIGHT },
	[C_TOTAL] = { "total", TA_RIGHT },     [C_SHARE] = { "share_pct", TA_RIGHT },
};

/* The rows of one body-year (or a year's total): a row per ground. */
static void add_rows(struct table *t, const struct model *md, const char *org, int year,
		     const double *v, size_t grounds, size_t n, size_t total, size_t shares)
{
	for (size_t g = 0; g < n; g++) {
		const struct measure *m = &md->m[grounds + g];

		table_add_row(t);
		table_set_str(t, C_ORG, org);
		if (year)
			table_set_num(t, C_YEAR, year);
		table_set_str(t, C_GROUP, m->rows[0]->group);
		table_set_str(t, C_GROUND, m->rows[0]->key);
		table_set_str(t, C_LABEL, m->rows[0]->label);
		table_set_num(t, C_COUNT, v[grounds + g]);
		table_set_num(t, C_TOTAL, v[total]);
		table_set_num(t, C_SHARE, model_round_pct(v[shares + g]));
	}
}

static int pick_year(const struct mrow *r, void *ctx)
{
	return r->year == *(const int *)ctx;
}

static int pick_all(const struct mrow *r, void *ctx)
{
	(void)r;
	(void)ctx;
	return 1;
}

/* One bar per ground: the counts of every body and year shown, summed. */
static int chart(struct rsection *out, const struct model *md, size_t grounds, size_t n)
{
	double *sum = xcalloc(md->nm, sizeof(*sum));
	const char **labels = xcalloc(n ? n : 1, sizeof(*labels));
	struct buf *names = xcalloc(n ? n : 1, sizeof(*names));
	struct svg_series s = { "count", NULL };
	struct svg_chart c = { "Refusal grounds, every body and year shown", "requests", labels,
			       n, &s, 1 };
	int ret;

	model_sum(md, pick_all, NULL, sum);
	s.v = sum + grounds;
	for (size_t g = 0; g < n; g++) {
		const struct fmt_row *row = md->m[grounds + g].rows[0];

		buf_init(&names[g], BUF_NOLIMIT);
		buf_addf(&names[g], "%s %s", row->key, row->label);
		labels[g] = buf_str(&names[g]);
	}
	ret = svg_bars(&out->charts, &c);
	for (size_t g = 0; g < n; g++)
		buf_release(&names[g]);
	free(names);
	free(labels);
	free(sum);
	return ret;
}

int refusals_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct model md;
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
	buf_adds(&out->note, note);
	for (size_t c = 0; c < NCOLS; c++)
		table_add_column(out->table, columns[c].name, columns[c].align);
	for (size_t i = 0; i < md.n; i++)
		add_rows(out->table, &md, md.rows[i].organization, md.rows[i].year, md.rows[i].v,
			 grounds, n, total, shares);
	years = model_years(&md, &nyears);
	sum = xcalloc(md.nm, sizeof(*sum));
	for (size_t y = 0; y < nyears; y++) {
		model_sum(&md, pick_year, &years[y], sum);
		add_rows(out->table, &md, MODEL_TOTAL_ROW, years[y], sum, grounds, n, total,
			 shares);
	}
	if (q->charts && md.n && chart(out, &md, grounds, n))
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
out:
	free(years);
	free(sum);
	model_release(&md);
	return ret;
}
