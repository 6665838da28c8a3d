#include "reports/volumes.h"

#include <stdlib.h>

#include "reports/charts.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char note_en[] =
	"One row per body and year (the newest report). new_* and carried_over_* are the "
	"requests by type of applicant; granted ... other are how the requests handled "
	"ended (refused, unable and rejected each sum their grounds), total the requests "
	"handled (（七）总计), carried_forward those left for next year. grant_pct = "
	"(granted + partial) / total, refusal_pct = refused / total, in per cent. "
	"docs_issued = rules and normative documents issued (2019 format: made), fees in "
	"万元 (the 2019 format has none). A row's figure is its 总计 cell, or the sum of its "
	"applicant cells when that is blank; blank cells count as 0; a figure is empty when "
	"the report lacks the cells it needs.";
static const char note_zh[] =
	"每个单位每年一行（取最新的报告）。新收、上年结转按申请人分列；予以公开至其他处理为办理结"
	"果（不予公开、无法提供、不予处理各为其理由之和），办理合计即（七）总计，结转下年为转入下"
	"一年度办理的申请。公开率 = （予以公开 + 部分公开）/ 办理合计，不予公开率 = 不予公开 / 办"
	"理合计。制发规章和规范性文件为本年制发件数（2019年格式为本年新制作数量），收费金额单位为"
	"万元（2019年格式无此项）。一行的数字取其总计栏，总计栏空白时取各申请人栏之和；空白栏按0"
	"计；报告缺少所需的栏时该数字留空，不作0。";

/*
 * The overview's charts, for the default year (model_default_year()): new
 * requests per body, how they ended (without what was carried forward:
 * that is no outcome), the refusal rate, and the trend of new requests
 * as small multiples.
 */
static int charts(struct rsection *out, const struct rq *q, const struct model *md, size_t new_,
		  const size_t *mix, size_t nmix, size_t refused, size_t refusal_pct, int year)
{
	struct buf title = BUF_INIT(BUF_NOLIMIT);
	size_t ny;
	int *years = model_years(md, &ny), ret = 0, en = q->lang == RL_EN;

	buf_addf(&title, en ? "New requests per body, %d" : "%d年各单位新收政府信息公开申请", year);
	ret |= charts_rank(out, q, md, year, new_, "new", buf_str(&title));
	buf_reset(&title);
	buf_addf(&title, en ? "How the requests ended, %d, by the share refused"
			    : "%d年申请办理结果：不予公开比例由高到低", year);
	ret |= charts_outcomes(out, q, md, year, mix, nmix, refused, "outcomes", buf_str(&title),
			       en ? "no request handled" : "无办理结果");
	buf_reset(&title);
	buf_addf(&title, en ? "Refusal rate per body, %d" : "%d年各单位不予公开率", year);
	ret |= charts_rank(out, q, md, year, refusal_pct, "refusal-rate", buf_str(&title));
	if (ny > 1) {
		buf_reset(&title);
		buf_addf(&title, en ? "New requests per year, body by body, %d–%d"
				    : "%d–%d年各单位新收申请的变化", years[0], years[ny - 1]);
		ret |= charts_multiples(out, q, md, year, new_, "trend", buf_str(&title));
	}
	buf_release(&title);
	free(years);
	return ret;
}

int volumes_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct model md;
	struct idcols ids;
	size_t *colmap = NULL, outcomes, noutcomes, rates, nt2, *mix = NULL;
	long new_, refused, rpct;
	int ret;

	model_init(&md);
	model_add_inflow(&md, 1);
	outcomes = model_add_outcomes(&md, &noutcomes);
	model_add_total(&md);
	model_add_outflow(&md);
	rates = model_add_rates(&md);
	model_add_t2(&md, &nt2);
	new_ = model_new_requests(&md);
	ret = model_load(&md, st, q, err);
	if (ret)
		goto out;
	buf_adds(&out->note, q->lang == RL_EN ? note_en : note_zh);
	model_head_columns(out->table, &ids, q);
	colmap = xcalloc(md.nm, sizeof(*colmap));
	model_add_columns(&md, out->table, colmap, q);
	model_tail_columns(out->table, &ids, q);
	for (size_t i = 0; i < md.n; i++) {
		table_add_row(out->table);
		model_set_ids(out->table, &ids, &md.rows[i], md.rows[i].year, q);
		model_set_cells(&md, out->table, colmap, md.rows[i].v, q);
	}
	if (!q->charts || new_ < 0 || !md.n)
		goto out;
	mix = xcalloc(noutcomes, sizeof(*mix));
	refused = -1;
	rpct = model_find(&md, "refusal_pct");
	for (size_t i = 0; i < noutcomes; i++) {
		mix[i] = outcomes + i;
		if (rpct >= 0 && md.m[rpct].num == mix[i])
			refused = (long)i;
	}
	{
		struct buf why = BUF_INIT(BUF_NOLIMIT);
		int year = q->f.year_from && q->f.year_from == q->f.year_to
				   ? q->f.year_to
				   : model_default_year(&md, q->lang, &why);

		if (why.len)
			buf_addf(&out->note, q->lang == RL_EN ? " Charts: the year %s." :
				 "图表年度：%s。", buf_str(&why));
		buf_release(&why);
		if (charts(out, q, &md, (size_t)new_, mix, noutcomes, refused < 0 ? 0 : (size_t)refused,
			   rpct < 0 ? rates : (size_t)rpct, year))
			ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
	}
out:
	free(colmap);
	free(mix);
	model_release(&md);
	return ret;
}
