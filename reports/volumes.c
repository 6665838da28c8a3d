#include "reports/volumes.h"

#include <stdlib.h>

#include "reports/charts.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char note[] =
	"One row per body and year (the newest report). new_* and carried_over_* are the "
	"requests by type of applicant; granted ... other are how the requests handled "
	"ended (refused, unable and rejected each sum their grounds), total the requests "
	"handled (（七）总计), carried_forward those left for next year. grant_pct = "
	"(granted + partial) / total, refusal_pct = refused / total, in per cent. "
	"docs_issued = rules and normative documents issued (2019 format: made), fees in "
	"万元 (the 2019 format has none). A row's figure is its 总计 cell, or the sum of its "
	"applicant cells when that is blank; blank cells count as 0; a figure is empty when "
	"the report lacks the cells it needs.";

/*
 * The charts: new requests and the outcome mix of the last year's largest
 * bodies, then the trend of the group and of the largest bodies.
 */
static int charts(struct rsection *out, const struct model *md, size_t new_, const size_t *mix,
		  size_t nmix, const size_t *trend, size_t ntrend)
{
	size_t nyears, total, n, *top = xcalloc(CHARTS_TOP, sizeof(*top));
	int *years = model_years(md, &nyears), ret = 0;
	struct buf title = BUF_INIT(BUF_NOLIMIT);

	if (!nyears)
		goto out;
	n = charts_top_rows(md, years[nyears - 1], new_, CHARTS_TOP, top, &total);
	buf_addf(&title, "New requests per body, %d%s", years[nyears - 1],
		 total > n ? " (the largest)" : "");
	ret |= charts_bars(&out->charts, md, top, n, &new_, 1, buf_str(&title), "requests");
	buf_reset(&title);
	buf_addf(&title, "How the requests ended, %d", years[nyears - 1]);
	ret |= charts_bars(&out->charts, md, top, n, mix, nmix, buf_str(&title), "requests");
	if (nyears > 1) {
		ret |= charts_group_trend(&out->charts, md, trend, ntrend,
					  "Requests over the years, all bodies shown", "requests");
		ret |= charts_body_trend(&out->charts, md, top, n > 8 ? 8 : n, new_,
					 "New requests over the years, the largest bodies",
					 "requests");
	}
out:
	buf_release(&title);
	free(top);
	free(years);
	return ret;
}

int volumes_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct model md;
	size_t *colmap = NULL, *mix = NULL, c_org, c_year, c_id, outcomes, noutcomes, total;
	size_t outflow, rates, nt2, trend[3];
	long new_;
	int ret;

	model_init(&md);
	model_add_inflow(&md, 1);
	outcomes = model_add_outcomes(&md, &noutcomes);
	total = model_add_total(&md);
	outflow = model_add_outflow(&md);
	rates = model_add_rates(&md);
	model_add_t2(&md, &nt2);
	new_ = model_new_requests(&md);
	ret = model_load(&md, st, q, err);
	if (ret)
		goto out;
	buf_adds(&out->note, note);
	c_org = table_add_column(out->table, "organization", TA_LEFT);
	c_year = table_add_column(out->table, "year", TA_RIGHT);
	colmap = xcalloc(md.nm, sizeof(*colmap));
	model_add_columns(&md, out->table, colmap);
	c_id = table_add_column(out->table, "report_id", TA_RIGHT);
	for (size_t i = 0; i < md.n; i++) {
		table_add_row(out->table);
		table_set_str(out->table, c_org, md.rows[i].organization);
		table_set_num(out->table, c_year, md.rows[i].year);
		model_set_cells(&md, out->table, colmap, md.rows[i].v);
		table_set_num(out->table, c_id, (double)md.rows[i].report_id);
	}
	if (!q->charts || new_ < 0)
		goto out;
	/* the mix: every outcome group, then what was carried forward */
	mix = xcalloc(noutcomes + 1, sizeof(*mix));
	for (size_t i = 0; i < noutcomes; i++)
		mix[i] = outcomes + i;
	mix[noutcomes] = outflow;
	trend[0] = (size_t)new_;
	trend[1] = total;
	trend[2] = md.m[rates].num;	/* granted + partial */
	if (charts(out, &md, (size_t)new_, mix, noutcomes + 1, trend, 3))
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
out:
	free(colmap);
	free(mix);
	model_release(&md);
	return ret;
}
