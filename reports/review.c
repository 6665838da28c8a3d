#include "reports/review.h"

#include <stdint.h>
#include <stdlib.h>

#include "reports/charts.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char note[] =
	"One row per body, year and block of table 4 (the newest report of each body and "
	"year): review = 行政复议, suit_direct = 行政诉讼 未经复议直接起诉, suit_after_review = "
	"复议后起诉. total is the block's 总计 cell, or the sum of its four parts when that is "
	"blank; corrected_pct = corrected / total in per cent (empty when total is 0).";

static const char note_zh[] =
	"每个单位每年表四每类一行（取最新的报告）：行政复议、行政诉讼·未经复议直接起诉、行政诉讼·"
	"复议后起诉。总计取该类的总计栏，空白时取四项之和；纠正率 = 结果纠正 / 总计（总计为0时留空）。";

/* Per block, the default year's bodies: how their cases ended, as shares, by the share corrected. */
static int charts(struct rsection *out, const struct rq *q, const struct model *md, size_t first,
		  size_t nblocks, size_t stride, int year)
{
	size_t *parts = xcalloc(stride, sizeof(*parts));
	struct buf title = BUF_INIT(BUF_NOLIMIT), id = BUF_INIT(BUF_NOLIMIT);
	int ret = 0, en = q->lang == RL_EN;

	for (size_t b = 0; b < nblocks; b++) {
		size_t base = first + b * stride, np = 0, corrected = 0, share = SIZE_MAX;
		const struct fmt_row *block = md->m[base].rows[0];

		/* the block's share (model_add_t4()) names the part the chart sorts by */
		for (size_t k = 0; k < stride; k++)
			if (md->m[base + k].kind == MK_RATE)
				share = md->m[base + k].num;
		for (size_t k = 0; k < stride; k++) {
			const struct measure *m = &md->m[base + k];

			if (m->kind != MK_T4 || !(m->col->flags & FC_PART))
				continue;
			if (base + k == share)
				corrected = np;
			parts[np++] = base + k;
		}
		buf_reset(&title);
		buf_reset(&id);
		if (en)
			buf_addf(&title, "%s, %d: how the cases ended, by the share corrected",
				 block->key, year);
		else
			buf_addf(&title, "%d年%s结果：纠正比例由高到低", year,
				 fmt_short_label(block->key));
		buf_addf(&id, "t4-%s", block->key);
		ret |= charts_outcomes(out, q, md, year, parts, np, corrected, buf_str(&id),
				       buf_str(&title), en ? "no case" : "无案件");
	}
	buf_release(&title);
	buf_release(&id);
	free(parts);
	return ret;
}

int review_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct model md;
	struct idcols ids;
	size_t first, nblocks, stride, c_block, *cols = NULL;
	int ret, people_zh = RQ_FOR_PEOPLE(q) && q->lang == RL_ZH;

	model_init(&md);
	first = model_add_t4(&md, &nblocks, &stride);
	ret = model_load(&md, st, q, err);
	if (ret || !nblocks)
		goto out;
	buf_adds(&out->note, q->lang == RL_EN ? note : note_zh);
	model_head_columns(out->table, &ids, q);
	c_block = table_add_column(out->table, people_zh ? words_column("block", q->lang) : "block",
				   TA_LEFT);
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
		cols[k] = table_add_column(out->table,
					   people_zh ? (m->kind == MK_RATE
								? words_column(buf_str(&name), q->lang)
								: m->col->label)
						     : buf_str(&name),
					   TA_RIGHT);
		buf_release(&name);
	}
	model_tail_columns(out->table, &ids, q);
	for (size_t i = 0; i < md.n; i++) {
		for (size_t b = 0; b < nblocks; b++) {
			size_t base = first + b * stride;
			const char *key = md.m[base].rows[0]->key;

			table_add_row(out->table);
			model_set_ids(out->table, &ids, &md.rows[i], md.rows[i].year, q);
			table_set_str(out->table, c_block, people_zh ? fmt_short_label(key) : key);
			for (size_t k = 0; k < stride; k++)
				model_set_value(&md.m[base + k], out->table, cols[k],
						md.rows[i].v[base + k], q);
		}
	}
	if (q->charts && md.n) {
		int year = q->f.year_from && q->f.year_from == q->f.year_to
				   ? q->f.year_to
				   : model_default_year(&md, q->lang, NULL);

		if (charts(out, q, &md, first, nblocks, stride, year))
			ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
	}
out:
	free(cols);
	model_release(&md);
	return ret;
}
