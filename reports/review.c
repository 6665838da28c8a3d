#include "reports/review.h"

#include <stdlib.h>

#include "reports/charts.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char note[] =
	"One row per body, year and block of table 4 (the newest report of each body and "
	"year): review = 行政复议, suit_direct = 行政诉讼 未经复议直接起诉, suit_after_review = "
	"复议后起诉. total is the block's 总计 cell, or the sum of its four parts when that is "
	"blank; corrected_pct = corrected / total in per cent (empty when total is 0).";

/* Per block, the last year's largest bodies: their cases by outcome, stacked. */
static int charts(struct rsection *out, const struct model *md, size_t first, size_t nblocks,
		  size_t stride)
{
	size_t nyears, total, n, *top = xcalloc(CHARTS_TOP, sizeof(*top));
	size_t *parts = xcalloc(stride, sizeof(*parts));
	int *years = model_years(md, &nyears), ret = 0;
	struct buf title = BUF_INIT(BUF_NOLIMIT);

	for (size_t b = 0; nyears && b < nblocks; b++) {
		size_t base = first + b * stride, np = 0, tot = base;
		const struct fmt_row *block = md->m[base].rows[0];

		for (size_t k = 0; k < stride; k++) {
			const struct measure *m = &md->m[base + k];

			if (m->kind == MK_T4 && (m->col->flags & FC_PART))
				parts[np++] = base + k;
			else if (m->kind == MK_T4)
				tot = base + k;
		}
		n = charts_top_rows(md, years[nyears - 1], tot, CHARTS_TOP, top, &total);
		buf_reset(&title);
		buf_addf(&title, "%s (%s), %d", block->key, block->label, years[nyears - 1]);
		ret |= charts_bars(&out->charts, md, top, n, parts, np, buf_str(&title), "cases");
	}
	buf_release(&title);
	free(years);
	free(parts);
	free(top);
	return ret;
}

int review_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct model md;
	size_t first, nblocks, stride, c_org, c_year, c_block, c_id, *cols = NULL;
	int ret;

	model_init(&md);
	first = model_add_t4(&md, &nblocks, &stride);
	ret = model_load(&md, st, q, err);
	if (ret || !nblocks)
		goto out;
	buf_adds(&out->note, note);
	c_org = table_add_column(out->table, "organization", TA_LEFT);
	c_year = table_add_column(out->table, "year", TA_RIGHT);
	c_block = table_add_column(out->table, "block", TA_LEFT);
	/* the columns of a block (the same in each), then its share */
	cols = xcalloc(stride, sizeof(*cols));
	for (size_t k = 0; k < stride; k++) {
		const struct measure *m = &md.m[first + k];
		struct buf name = BUF_INIT(BUF_NOLIMIT);

		/* "upheld", ..., "total", and the share as "corrected_pct" */
		if (m->kind == MK_RATE)
			buf_addf(&name, "%s_pct", md.m[m->num].col->key);
		else
			buf_adds(&name, m->col->key);
		cols[k] = table_add_column(out->table, buf_str(&name), TA_RIGHT);
		buf_release(&name);
	}
	c_id = table_add_column(out->table, "report_id", TA_RIGHT);
	for (size_t i = 0; i < md.n; i++) {
		for (size_t b = 0; b < nblocks; b++) {
			size_t base = first + b * stride;

			table_add_row(out->table);
			table_set_str(out->table, c_org, md.rows[i].organization);
			table_set_num(out->table, c_year, md.rows[i].year);
			table_set_str(out->table, c_block, md.m[base].rows[0]->key);
			for (size_t k = 0; k < stride; k++) {
				double v = md.rows[i].v[base + k];

				if (md.m[base + k].kind == MK_RATE)
					v = model_round_pct(v);
				table_set_num(out->table, cols[k], v);
			}
			table_set_num(out->table, c_id, (double)md.rows[i].report_id);
		}
	}
	if (q->charts && md.n && charts(out, &md, first, nblocks, stride))
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
out:
	free(cols);
	model_release(&md);
	return ret;
}
