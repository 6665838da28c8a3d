#include "reports/site.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/charts.h"
#include "reports/checks.h"
#include "reports/compare.h"
#include "reports/flags.h"
#include "reports/html.h"
#include "reports/page.h"
#include "reports/refusals.h"
#include "reports/review.h"
#include "reports/volumes.h"
#include "util/escape.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int make_dir(const char *path, struct err *err)
{
	if (mkdir(path, 0777) && errno != EEXIST)
		return err_set(err, OGI_EIO, "cannot make folder '%s': %s", path, strerror(errno));
	return 0;
}

/* Writes data to dir/name (name made by ogi: ids and fixed words, never scraped text). */
static int write_file(const char *dir, const char *name, const char *data, size_t len,
		      struct site_stats *stats, struct err *err)
{
	struct buf path = BUF_INIT(BUF_NOLIMIT);
	FILE *f;
	int ret = 0;

	buf_addf(&path, "%s/%s", dir, name);
	f = fopen(buf_str(&path), "wb");
	if (!f) {
		ret = err_set(err, OGI_EIO, "cannot write '%s': %s", buf_str(&path), strerror(errno));
		goto out;
	}
	if ((len && fwrite(data, 1, len, f) != len) | fclose(f))
		ret = err_set(err, OGI_EIO, "cannot write '%s': %s", buf_str(&path), strerror(errno));
	stats->files++;
out:
	buf_release(&path);
	return ret;
}

static int write_page(const char *dir, const char *name, const struct html_frame *fr,
		      const struct rsection *s, size_t n, struct site_stats *stats, struct err *err)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	int ret;

	if (!f)
		return err_set(err, OGI_EIO, "cannot lay out '%s': %s", name, strerror(errno));
	ret = html_write_page(f, fr, s, n);
	fclose(f);
	if (ret)
		ret = err_set(err, OGI_EIO, "cannot lay out '%s'", name);
	else
		ret = write_file(dir, name, mem, len, stats, err);
	free(mem);
	stats->pages++;
	for (size_t i = 0; !ret && i < n; i++)
		for (size_t k = 0; !ret && k < s[i].nfiles; k++)
			ret = write_file(dir, s[i].files[k].name, s[i].files[k].data.ptr,
					 s[i].files[k].data.len, stats, err);
	return ret;
}

/* ---- the index ---- */

typedef int (*build_fn)(struct store *, const struct rq *, struct rsection *, struct err *);

/* Which body reports in which year: a link to each report, "无报告" where there is none. */
static void coverage_table(struct rsection *s, const struct model *md, const struct rq *q,
			   long new_)
{
	size_t ny;
	int *years = model_years(md, &ny), en = q->lang == RL_EN;
	struct buf href = BUF_INIT(BUF_NOLIMIT), cell = BUF_INIT(BUF_NOLIMIT);

	table_add_column(s->table, words_column("organization", q->lang), TA_LEFT);
	for (size_t y = 0; y < ny; y++) {
		char name[16];

		snprintf(name, sizeof(name), "%d", years[y]);
		table_add_column(s->table, name, TA_RIGHT);
	}
	for (size_t i = 0; i < md->n; i++) {
		const struct mrow *r = &md->rows[i];

		if (i && md->rows[i - 1].body_id == r->body_id)
			continue;
		table_add_row(s->table);
		buf_reset(&href);
		model_body_href(&href, q, r->body_id);
		table_set_link(s->table, 0, r->organization, buf_str(&href));
		for (size_t y = 0; y < ny; y++)
			table_set_str(s->table, y + 1, en ? "no report" : "无报告");
		for (size_t j = i; j < md->n && md->rows[j].body_id == r->body_id; j++)
			for (size_t y = 0; y < ny; y++) {
				if (md->rows[j].year != years[y])
					continue;
				buf_reset(&href);
				buf_reset(&cell);
				model_report_href(&href, q, md->rows[j].report_id);
				/* the report, shown by its new requests: a number that leads to its page */
				if (new_ >= 0 && isfinite(md->rows[j].v[new_]))
					words_count(&cell, md->rows[j].v[new_]);
				else
					buf_adds(&cell, en ? "report" : "报告");
				table_set_link(s->table, y + 1, buf_str(&cell), buf_str(&href));
			}
	}
	buf_adds(&s->note, en ? "Each body's reports by year, shown by their new requests, each "
				"linked to its page; the body's name leads to its page."
			      : "各单位各年的报告（显示新收申请数），点击进入该报告的页面；点击单位名称"
				"进入该单位的页面。");
	buf_release(&href);
	buf_release(&cell);
	free(years);
}

/* Every finding of the rules in the selection, in words, each report linked to its page. */
static int findings_section(struct store *st, const struct rq *q, const struct model *md,
			    struct rsection *s, struct err *err)
{
	size_t found = 0;
	int ret = 0;

	checks_columns(s->table, q);
	for (size_t i = 0; i < md->n && !ret; i++) {
		struct report r, prev;
		struct report_info info;
		struct finding_list l;
		int64_t prev_id = 0;

		report_init(&r);
		report_init(&prev);
		finding_list_init(&l);
		ret = store_get_report(st, md->rows[i].report_id, &r, &info, err);
		if (!ret)
			ret = store_previous_report(st, info.id, &prev_id, err);
		if (!ret && prev_id)
			ret = store_get_report(st, prev_id, &prev, NULL, err);
		if (!ret) {
			/* read only: the rules run here, nothing is stored */
			check_report(&r, prev_id ? &prev : NULL, &l);
			for (size_t k = 0; k < l.n; k++)
				checks_add(s->table, q, &r, &info, &l.items[k]);
			found += l.n;
		}
		finding_list_release(&l);
		report_release(&r);
		report_release(&prev);
	}
	buf_addf(&s->note, q->lang == RL_EN
				   ? "%zu findings in %zu reports: the rule in the form's words, the cells "
				     "and both values; each report's id leads to its page, where its "
				     "cells are highlighted."
				   : "%2$zu份报告中共%1$zu个问题：规则（表中文字）、所涉单元格及两边的数值；点"
				     "击报告编号进入该报告的页面，问题所涉单元格在表中标出。",
		 found, md->n);
	return ret;
}

static int index_page(struct store *st, const struct rq *q, const char *dir,
		      const struct model *md, struct site_stats *stats, struct err *err)
{
	static const struct {
		const char *id, *zh, *en;
		build_fn build;
		int charts;
	} parts[] = {
		{ "volumes", "申请数量与办理结果", "Requests and how they ended", volumes_build, 1 },
		{ "compare", "各单位对比", "Bodies compared", compare_build, 0 },
		{ "refusals", "不予公开等的理由", "Refusal grounds", refusals_build, 1 },
		{ "review", "行政复议、行政诉讼", "Administrative review and litigation",
		  review_build, 1 },
		{ "flags", "勾稽关系问题与缺失的报告", "Findings of the rules, missing reports",
		  flags_build, 1 },
	};
	enum { NPARTS = sizeof(parts) / sizeof(parts[0]) };
	struct rsection secs[NPARTS + 2];
	struct buf prefix[NPARTS], why = BUF_INIT(BUF_NOLIMIT), sub = BUF_INIT(BUF_NOLIMIT);
	struct html_frame fr;
	int year = model_default_year(md, q->lang, &why), ret = 0, en = q->lang == RL_EN;
	size_t n = 0;

	for (size_t i = 0; i < NPARTS && !ret; i++) {
		struct rq pq = *q;

		buf_init(&prefix[i], BUF_NOLIMIT);
		buf_addf(&prefix[i], "data/index-%s-", parts[i].id);
		pq.csv_prefix = buf_str(&prefix[i]);
		pq.charts = parts[i].charts;
		if (!strcmp(parts[i].id, "compare") && year) {
			/* the default year, and like for like since the year before */
			pq.f.year_to = year;
			pq.f.year_from = q->f.year_from && q->f.year_from < year ? q->f.year_from
										   : year - 1;
		}
		rsection_init(&secs[n], parts[i].id, en ? parts[i].en : parts[i].zh);
		ret = parts[i].build(st, &pq, &secs[n], err);
		n++;
	}
	if (!ret) {
		rsection_init(&secs[n], "findings", en ? "Findings, one by one" : "问题清单");
		ret = findings_section(st, q, md, &secs[n], err);
		n++;
	}
	if (!ret) {
		rsection_init(&secs[n], "coverage", en ? "Which body reports when" : "各单位各年的报告");
		coverage_table(&secs[n], md, q, model_new_requests(md));
		n++;
	}
	if (en)
		buf_addf(&sub, "%zu bodies, %zu reports. Charts for %s; --year chooses another.",
			 model_bodies(md, 0, NULL), md->n, buf_str(&why));
	else
		buf_addf(&sub, "%zu个单位，%zu份报告。图表年度为%s；可用 --year 另选。",
			 model_bodies(md, 0, NULL), md->n, buf_str(&why));
	fr.title = en ? "Annual reports on government information disclosure"
		      : "政府信息公开工作年度报告";
	fr.subtitle = buf_str(&sub);
	fr.crumbs = NULL;
	fr.en = en;
	if (!ret)
		ret = write_page(dir, "index.html", &fr, secs, n, stats, err);
	for (size_t i = 0; i < n; i++)
		rsection_release(&secs[i]);
	for (size_t i = 0; i < NPARTS && i < n; i++)
		buf_release(&prefix[i]);
	buf_release(&why);
	buf_release(&sub);
	return ret;
}

/* ---- a body ---- */

/* The measures a body's page shows year by year, with the trends drawn. */
static void body_model(struct model *md)
{
	size_t o, no, nt2;

	model_init(md);
	model_add_inflow(md, 0);
	o = model_add_outcomes(md, &no);
	(void)o;
	model_add_total(md);
	model_add_outflow(md);
	model_add_rates(md);
	model_add_t2(md, &nt2);
}

/* A body's rows as a model of their own: md's measures, the rows copied (not their strings). */
static void sub_model(struct model *sub, const struct model *md, size_t first, size_t n)
{
	model_init(sub);
	sub->m = md->m;
	sub->nm = md->nm;
	sub->rows = md->rows + first;
	sub->n = n;
}

/* Small lines of a few measures of one body over its years, each on its own scale. */
static int body_trends(struct rsection *s, const struct rq *q, const struct model *sub,
		       const char *const *names, size_t nnames)
{
	size_t ny;
	int *years = model_years(sub, &ny), ret = 0, en = q->lang == RL_EN;
	char **xl = xcalloc(ny ? ny : 1, sizeof(*xl));
	int *all = NULL;
	size_t nall = 0;
	double *v;
	struct buf src = BUF_INIT(BUF_NOLIMIT), note = BUF_INIT(BUF_NOLIMIT);
	struct table *csv = table_new();
	struct idcols ids;
	struct rq dq = *q;
	size_t *cols = xcalloc(nnames ? nnames : 1, sizeof(*cols));

	/* every year from the first to the last, so that a missing one shows as missing */
	if (ny) {
		nall = (size_t)(years[ny - 1] - years[0] + 1);
		all = xcalloc(nall, sizeof(*all));
		for (size_t y = 0; y < nall; y++)
			all[y] = years[0] + (int)y;
	}
	v = xcalloc(nall ? nall : 1, sizeof(*v));
	xl = xrealloc(xl, (nall ? nall : 1) * sizeof(*xl));
	for (size_t y = 0; y < nall; y++) {
		xl[y] = xmalloc(16);
		snprintf(xl[y], 16, "%d", all[y]);
	}
	dq.format = TF_CSV;
	dq.lang = RL_EN;
	model_head_columns(csv, &ids, &dq);
	for (size_t k = 0; k < nnames; k++)
		cols[k] = table_add_column(csv, names[k], TA_RIGHT);
	model_tail_columns(csv, &ids, &dq);
	for (size_t i = 0; i < sub->n; i++) {
		table_add_row(csv);
		model_set_ids(csv, &ids, &sub->rows[i], sub->rows[i].year, &dq);
		for (size_t k = 0; k < nnames; k++) {
			long m = model_find(sub, names[k]);

			if (m >= 0)
				model_set_value(&sub->m[m], csv, cols[k], sub->rows[i].v[m], &dq);
		}
	}
	model_source_line(sub, 0, 0, q->lang, &src);
	if (nall > ny && en)
		buf_addf(&note, "%zu of the years %d–%d without a report (a cross).", nall - ny,
			 all[0], all[nall - 1]);
	else if (nall > ny)
		buf_addf(&note, "%d–%d年中有%zu年无报告（×）。", all[0], all[nall - 1], nall - ny);
	charts_figure_begin(s, "trends", en ? "Year by year" : "历年变化", en ? "each chart its own scale"
									   : "各图刻度不同",
			    q);
	buf_adds(&s->charts, "<div class=\"multiples\">\n");
	for (size_t k = 0; k < nnames && !ret; k++) {
		long m = model_find(sub, names[k]);
		double top = 0;

		if (m < 0)
			continue;
		for (size_t y = 0; y < nall; y++) {
			v[y] = NAN;
			for (size_t i = 0; i < sub->n; i++)
				if (sub->rows[i].year == all[y])
					v[y] = sub->rows[i].v[m];
			if (isfinite(v[y]) && v[y] > top)
				top = v[y];
		}
		buf_adds(&s->charts, "<div class=\"small\"><p class=\"small-title\">");
		esc_html(&s->charts, en ? sub->m[m].name : sub->m[m].words);
		buf_adds(&s->charts, "</p>");
		ret = svg_small_line(&s->charts, en ? sub->m[m].name : sub->m[m].words,
				     (const char *const *)xl, v, nall, top,
				     sub->m[m].kind == MK_RATE ? SV_PCT : SV_COUNT,
				     en ? "no report" : "无报告");
		buf_adds(&s->charts, "</div>\n");
	}
	buf_adds(&s->charts, "</div>\n");
	charts_figure_end(s, "trends", buf_str(&src), buf_str(&note), csv, q);
	for (size_t y = 0; y < nall; y++)
		free(xl[y]);
	free(xl);
	free(v);
	free(all);
	free(years);
	free(cols);
	table_free(csv);
	buf_release(&src);
	buf_release(&note);
	return ret;
}

/* How the body's requests ended, year by year, as shares. */
static int body_outcomes(struct rsection *s, const struct rq *q, const struct model *sub,
			 size_t outcomes, size_t n, size_t refused)
{
	char **labels = xcalloc(sub->n ? sub->n : 1, sizeof(*labels));
	double *vals = xcalloc(st_mult(n ? n : 1, sub->n ? sub->n : 1), sizeof(*vals));
	struct svg_part *parts = xcalloc(n ? n : 1, sizeof(*parts));
	struct buf src = BUF_INIT(BUF_NOLIMIT);
	size_t *ms = xcalloc(n ? n : 1, sizeof(*ms));
	struct table *csv = table_new();
	struct idcols ids;
	struct rq dq = *q;
	int ret, en = q->lang == RL_EN;

	dq.format = TF_CSV;
	dq.lang = RL_EN;
	model_head_columns(csv, &ids, &dq);
	for (size_t k = 0; k < n; k++) {
		ms[k] = outcomes + k;
		table_add_column(csv, sub->m[ms[k]].name, TA_RIGHT);
	}
	model_tail_columns(csv, &ids, &dq);
	for (size_t i = 0; i < sub->n; i++) {
		labels[i] = xmalloc(16);
		snprintf(labels[i], 16, en ? "%d" : "%d年", sub->rows[i].year);
		table_add_row(csv);
		model_set_ids(csv, &ids, &sub->rows[i], sub->rows[i].year, &dq);
		for (size_t k = 0; k < n; k++) {
			vals[k * sub->n + i] = sub->rows[i].v[ms[k]];
			model_set_value(&sub->m[ms[k]], csv, ids.year + 1 + k, sub->rows[i].v[ms[k]],
					&dq);
		}
	}
	for (size_t k = 0; k < n; k++) {
		parts[k].name = en ? sub->m[ms[k]].name : sub->m[ms[k]].words;
		parts[k].color = charts_outcome_color(sub->m[ms[k]].name);
		parts[k].v = vals + k * sub->n;
	}
	model_source_line(sub, 0, 0, q->lang, &src);
	charts_figure_begin(s, "outcomes", en ? "How the requests ended, year by year"
					      : "历年申请办理结果", en ? "per cent" : "单位：%", q);
	ret = svg_stack100(&s->charts, en ? "How the requests ended" : "历年申请办理结果",
			   (const char *const *)labels, sub->n, parts, n, refused,
			   en ? "no request handled" : "无办理结果");
	charts_figure_end(s, "outcomes", buf_str(&src),
			  en ? "Each outcome as a share of all outcomes; the share refused at the end."
			     : "各项占办理结果之和的比例，右侧为不予公开的比例。",
			  csv, q);
	for (size_t i = 0; i < sub->n; i++)
		free(labels[i]);
	free(labels);
	free(vals);
	free(parts);
	free(ms);
	table_free(csv);
	buf_release(&src);
	return ret;
}

/* The body's years side by side: a row per measure, a column per year (linked to its report). */
static void body_table(struct rsection *s, const struct rq *q, const struct model *sub)
{
	struct buf href = BUF_INIT(BUF_NOLIMIT);
	int en = q->lang == RL_EN;

	table_add_column(s->table, en ? "measure" : "项目", TA_LEFT);
	for (size_t i = 0; i < sub->n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%d", sub->rows[i].year);
		table_add_column(s->table, name, TA_RIGHT);
	}
	table_add_row(s->table);
	table_set_str(s->table, 0, en ? "report" : "报告");
	for (size_t i = 0; i < sub->n; i++) {
		buf_reset(&href);
		model_report_href(&href, q, sub->rows[i].report_id);
		table_set_link(s->table, i + 1, en ? "page" : "详情", buf_str(&href));
	}
	table_add_row(s->table);
	table_set_str(s->table, 0, en ? "original" : "原文");
	for (size_t i = 0; i < sub->n; i++)
		if (model_is_url(sub->rows[i].location))
			table_set_link(s->table, i + 1, en ? "original" : "原文", sub->rows[i].location);
	for (size_t m = 0; m < sub->nm; m++) {
		if (sub->m[m].hidden)
			continue;
		table_add_row(s->table);
		table_set_str(s->table, 0, en ? sub->m[m].name : sub->m[m].words);
		for (size_t i = 0; i < sub->n; i++)
			model_set_value(&sub->m[m], s->table, i + 1, sub->rows[i].v[m], q);
	}
	buf_adds(&s->note, en ? "The body's reports side by side (the newest of each year); each "
				"year links to the report's page and its original."
			      : "该单位各年的报告并列（每年取最新的一份）；可进入各报告的页面和原文。");
	buf_release(&href);
}

static int body_page(const struct rq *q, const char *dir, const struct model *md, size_t first,
		     size_t n, struct site_stats *stats, struct err *err)
{
	static const char *const trend_names[] = { "new", "total", "grant_pct", "refusal_pct" };
	struct model sub;
	struct rsection sec;
	struct buf name = BUF_INIT(BUF_NOLIMIT), sub_title = BUF_INIT(BUF_NOLIMIT);
	struct buf prefix = BUF_INIT(BUF_NOLIMIT);
	struct html_frame fr;
	struct rq bq = *q;
	const struct mrow *r = &md->rows[first];
	size_t outcomes = SIZE_MAX, no = 0, refused = 0;
	long rpct = model_find(md, "refusal_pct");
	int ret = 0, en = q->lang == RL_EN;

	bq.site_root = "../";
	buf_addf(&prefix, "data/body-%lld-", (long long)r->body_id);
	bq.csv_prefix = buf_str(&prefix);
	sub_model(&sub, md, first, n);
	rsection_init(&sec, "years", en ? "Year by year" : "历年情况");
	/* the outcome measures: those of model_add_outcomes(), in form order */
	for (size_t m = 0; m < md->nm; m++)
		if (md->m[m].kind == MK_T3 && !md->m[m].hidden && md->m[m].nrows &&
		    (md->m[m].rows[0]->flags & FR_OUTCOME)) {
			if (outcomes == SIZE_MAX)
				outcomes = m;
			if (rpct >= 0 && md->m[rpct].num == m)
				refused = no;
			no++;
		}
	ret = body_trends(&sec, &bq, &sub, trend_names,
			  sizeof(trend_names) / sizeof(trend_names[0]));
	if (!ret && outcomes != SIZE_MAX)
		ret = body_outcomes(&sec, &bq, &sub, outcomes, no, refused);
	if (ret)
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
	body_table(&sec, &bq, &sub);
	if (en)
		buf_addf(&sub_title, "%s · under %s · %zu reports", r->level ? r->level : "–",
			 r->parent ? r->parent : "–", n);
	else
		buf_addf(&sub_title, "%s · 上级：%s · %zu份报告", words_value(r->level ? r->level : "–",
									 q->lang),
			 r->parent ? r->parent : "–", n);
	fr.title = r->organization;
	fr.subtitle = buf_str(&sub_title);
	fr.crumbs = en ? "<a href=\"../index.html\">overview</a>"
		       : "<a href=\"../index.html\">总览</a>";
	fr.en = en;
	buf_addf(&name, "bodies/%lld.html", (long long)r->body_id);
	if (!ret)
		ret = write_page(dir, buf_str(&name), &fr, &sec, 1, stats, err);
	stats->bodies++;
	rsection_release(&sec);
	buf_release(&name);
	buf_release(&sub_title);
	buf_release(&prefix);
	return ret;
}

int site_write(struct store *st, const struct rq *q, const char *dir, struct site_stats *stats,
	       struct err *err)
{
	static const char *const folders[] = { "", "/bodies", "/reports", "/data" };
	struct model md;
	struct rq sq = *q;
	struct buf path = BUF_INIT(BUF_NOLIMIT), page = BUF_INIT(BUF_NOLIMIT);
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	sq.format = TF_HTML;
	sq.charts = 1;
	sq.site_root = "";
	for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]) && !ret; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s%s", dir, folders[i]);
		ret = make_dir(buf_str(&path), err);
	}
	body_model(&md);
	if (!ret)
		ret = model_load(&md, st, &sq, err);
	if (!ret)
		ret = index_page(st, &sq, dir, &md, stats, err);
	/* rows are in (body, year) order: a body's rows follow each other */
	for (size_t i = 0; i < md.n && !ret;) {
		size_t j = i;

		while (j < md.n && md.rows[j].body_id == md.rows[i].body_id)
			j++;
		ret = body_page(&sq, dir, &md, i, j - i, stats, err);
		i = j;
	}
	for (size_t i = 0; i < md.n && !ret; i++) {
		struct rq rq = sq;

		rq.site_root = "../";
		buf_reset(&page);
		buf_reset(&path);
		ret = page_report(&page, st, md.rows[i].report_id, &rq, err);
		buf_addf(&path, "reports/%lld.html", (long long)md.rows[i].report_id);
		if (!ret)
			ret = write_file(dir, buf_str(&path), page.ptr, page.len, stats, err);
		stats->pages++;
		stats->reports++;
	}
	buf_release(&path);
	buf_release(&page);
	model_release(&md);
	return ret;
}
