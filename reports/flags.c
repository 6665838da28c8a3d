#include "reports/flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/check.h"
#include "reports/charts.h"
#include "store/query.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The finding kinds, in enum order, as columns. */
#define NKINDS (FK_REVIEW + 1)

static const char note[] =
	"Every report with findings of the consistency rules ('ogi check'), then, in the same "
	"order, each report whose tables are images (status 'tables are images': a scanned PDF "
	"or pictures on the page, which no rule can check until they are read) and each body "
	"of the selection without a report for a year (status 'no report'): the years asked "
	"for, or every year some report is for. findings counts them all, by kind in the next "
	"columns (review: a rule failing with a figure OCR read and nothing vouches for, to "
	"review, not held against the body); rules names each rule broken and how often.";

struct flagged {
	int64_t report_id;
	char *org, *level, *parent, *location;
	int year;
	long kinds[NKINDS], total;
	struct buf rules;	/* "T3-BALANCE (2), T3-ROWSUM (1)" */
	char last_rule[64];	/* the rule being counted, "" when none */
	long last_count;
};

/* A body-year without a report, or a report whose tables are images (report_id set). */
struct gap {
	char *org, *level, *parent, *location;
	int year;
	int64_t report_id;
};

struct acc {
	struct flagged *f;
	size_t nf, alloc_f;
	struct gap *g;
	size_t ng, alloc_g;
	size_t per_rule[64];	/* reports breaking each rule of check_rule_ids() */
};

static char *dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Closes the rule being counted on fl. */
static void end_rule(struct flagged *fl)
{
	if (!fl->last_rule[0])
		return;
	buf_addf(&fl->rules, "%s%s (%ld)", fl->rules.len ? ", " : "", fl->last_rule,
		 fl->last_count);
	fl->last_rule[0] = '\0';
}

/* The index of rule among check_rule_ids(), or -1 for a rule this ogi does not run. */
static long rule_index(const char *rule)
{
	const char *const *ids = check_rule_ids();

	for (size_t i = 0; ids[i]; i++)
		if (!strcmp(ids[i], rule))
			return (long)i;
	return -1;
}

static int on_flag(void *ctx, const struct query_flag *q)
{
	struct acc *a = ctx;
	struct flagged *fl = a->nf ? &a->f[a->nf - 1] : NULL;
	const char *rule;

	if (!fl || fl->report_id != q->report_id) {
		if (fl)
			end_rule(fl);
		ALLOC_GROW(a->f, st_add(a->nf, 1), a->alloc_f);
		fl = &a->f[a->nf++];
		memset(fl, 0, sizeof(*fl));
		fl->report_id = q->report_id;
		fl->org = dup(q->organization);
		fl->level = dup(q->level);
		fl->parent = dup(q->parent);
		fl->location = dup(q->location);
		fl->year = q->year;
		buf_init(&fl->rules, BUF_NOLIMIT);
	}
	for (int k = 0; k < NKINDS; k++)
		if (q->kind && !strcmp(q->kind, finding_kind_name((enum finding_kind)k)))
			fl->kinds[k] += q->count;
	fl->total += q->count;
	rule = q->rule ? q->rule : "";
	if (fl->last_rule[0] && strcmp(fl->last_rule, rule))
		end_rule(fl);
	if (!fl->last_rule[0]) {
		long ri = rule_index(rule);

		snprintf(fl->last_rule, sizeof(fl->last_rule), "%s", *rule ? rule : "?");
		fl->last_count = 0;
		if (ri >= 0 && ri < 64)
			a->per_rule[ri]++;
	}
	fl->last_count += q->count;
	return 0;
}

static int on_gap(void *ctx, const struct query_gap *q)
{
	struct acc *a = ctx;
	struct gap *g;

	ALLOC_GROW(a->g, st_add(a->ng, 1), a->alloc_g);
	g = &a->g[a->ng++];
	memset(g, 0, sizeof(*g));
	g->org = dup(q->organization ? q->organization : "");
	g->level = dup(q->level);
	g->parent = dup(q->parent);
	g->year = q->year;
	return 0;
}

static int on_image(void *ctx, const struct query_image *q)
{
	struct acc *a = ctx;
	struct gap *g;

	ALLOC_GROW(a->g, st_add(a->ng, 1), a->alloc_g);
	g = &a->g[a->ng++];
	memset(g, 0, sizeof(*g));
	g->org = dup(q->organization ? q->organization : "");
	g->level = dup(q->level);
	g->parent = dup(q->parent);
	g->location = dup(q->location);
	g->year = q->year;
	g->report_id = q->report_id;
	return 0;
}

/* Body name, year, then report id (a body-year without a report has none). */
static int cmp_gap(const void *pa, const void *pb)
{
	const struct gap *a = pa, *b = pb;
	int c = strcmp(a->org, b->org);

	if (c)
		return c;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return a->report_id < b->report_id ? -1 : a->report_id > b->report_id;
}

static void acc_release(struct acc *a)
{
	for (size_t i = 0; i < a->nf; i++) {
		free(a->f[i].org);
		free(a->f[i].level);
		free(a->f[i].parent);
		free(a->f[i].location);
		buf_release(&a->f[i].rules);
	}
	for (size_t i = 0; i < a->ng; i++) {
		free(a->g[i].org);
		free(a->g[i].level);
		free(a->g[i].parent);
		free(a->g[i].location);
	}
	free(a->f);
	free(a->g);
}

enum { C_ORG, C_LEVEL, C_PARENT, C_YEAR, C_STATUS, C_ID, C_FINDINGS, C_KIND0,
       C_RULES = C_KIND0 + NKINDS, C_SOURCE, NCOLS };

static const char *const col_keys[C_KIND0] = {
	"organization", "level", "parent", "year", "status", "report_id", "findings",
};

static const char note_zh[] =
	"以下为 ogi check 查出问题的报告，其后按同样顺序列出表格为图片的报告（扫描件或网页上的表格图"
	"片，读出之前无法检查）和所选单位没有报告的年度（所选年度，未选时为库中报告涉及的各年）。问题"
	"数为全部问题，其后分类计数（待核对：涉及 OCR 识别存疑数字的问题，需人工核对，不算单位的问题）；"
	"规则列出违反的规则及次数。";

static void column(struct table *t, const char *key, int right, const struct rq *q)
{
	table_add_column(t, RQ_FOR_PEOPLE(q) ? words_column(key, q->lang) : key,
			 right ? TA_RIGHT : TA_LEFT);
}

static void put_common(struct table *t, const char *org, const char *level, const char *parent,
		       int year, const char *status, const struct rq *q)
{
	int zh = RQ_FOR_PEOPLE(q) && q->lang == RL_ZH;

	table_add_row(t);
	table_set_str(t, C_ORG, org);
	table_set_str(t, C_LEVEL, zh ? words_value(level, q->lang) : level);
	table_set_str(t, C_PARENT, parent);
	if (year)
		table_set_num(t, C_YEAR, year);
	table_set_str(t, C_STATUS, zh ? words_value(status, q->lang) : status);
}

/* The report's id, linked to its page in a site; its source, linked when a web address. */
static void put_report(struct table *t, int64_t id, const char *location, const struct rq *q)
{
	struct buf href = BUF_INIT(BUF_NOLIMIT);
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)id);
	if (q->format == TF_HTML && q->site_root) {
		model_report_href(&href, q, id);
		table_set_link(t, C_ID, num, buf_str(&href));
	} else {
		table_set_num(t, C_ID, (double)id);
	}
	if (q->format != TF_HTML)
		table_set_str(t, C_SOURCE, location);
	else if (model_is_url(location))
		table_set_link(t, C_SOURCE, q->lang == RL_EN ? "original" : "原文", location);
	buf_release(&href);
}

/* Reports breaking each rule, the rule in the form's words, most broken first. */
static int chart(struct rsection *out, const struct acc *a, const struct rq *q, size_t images,
		 size_t missing)
{
	const char *const *ids = check_rule_ids();
	size_t n = 0, order[64];
	double v[64] = { 0 };
	char *labels[64] = { NULL };
	const char *sorted_labels[64];
	double sorted_v[64];
	struct table *csv = table_new();
	struct buf src = BUF_INIT(BUF_NOLIMIT);
	int en = q->lang == RL_EN, ret;

	table_add_column(csv, "rule", TA_LEFT);
	table_add_column(csv, "words", TA_LEFT);
	table_add_column(csv, "reports", TA_RIGHT);
	while (n < 64 && ids[n]) {
		struct buf l = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&l, "%s ", ids[n]);
		check_rule_words(ids[n], en, &l);
		v[n] = (double)a->per_rule[n];
		table_add_row(csv);
		table_set_str(csv, 0, ids[n]);
		table_set_str(csv, 1, buf_str(&l) + strlen(ids[n]) + 1);
		table_set_num(csv, 2, v[n]);
		labels[n] = buf_take(&l);
		order[n] = n;
		n++;
	}
	/* most broken first; the rules' order among equals */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[order[j]] > v[order[j - 1]]; j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (size_t i = 0; i < n; i++) {
		sorted_labels[i] = labels[order[i]];
		sorted_v[i] = v[order[i]];
	}
	if (en)
		buf_addf(&src, "Source: the reports as ogi check reads them (%zu reports with findings, "
			 "%zu with tables as images, %zu body-years without a report)", a->nf, images,
			 missing);
	else
		buf_addf(&src, "来源：ogi check 对各单位年度报告的检查（%zu份报告有问题，%zu份报告的表格"
			 "为图片，%zu个单位年度无报告）", a->nf, images, missing);
	charts_figure_begin(out, "rules", en ? "Reports breaking each rule of the form"
					     : "违反各项勾稽关系的报告数",
			    en ? "reports" : "单位：份", q);
	ret = svg_hbars(&out->charts, en ? "Reports breaking each rule" : "违反各项勾稽关系的报告数",
			sorted_labels, sorted_v, n, SV_COUNT, "–");
	charts_figure_end(out, "rules", buf_str(&src),
			  en ? "A report counts once per rule it breaks." : "一份报告违反一项规则计一次。",
			  csv, q);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	table_free(csv);
	buf_release(&src);
	return ret;
}

int flags_build(struct store *st, const struct rq *q, struct rsection *out, struct err *err)
{
	struct acc a;
	struct table *t = out->table;
	size_t i = 0, j = 0, images = 0;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = query_flags(st, &q->f, on_flag, &a, err);
	if (!ret)
		ret = query_gaps(st, &q->f, on_gap, &a, err);
	if (!ret)
		ret = query_images(st, &q->f, on_image, &a, err);
	if (ret)
		goto out;
	/* gaps and images, each in (name, year) order, as one list in that order */
	if (a.ng)
		qsort(a.g, a.ng, sizeof(*a.g), cmp_gap);
	if (a.nf)
		end_rule(&a.f[a.nf - 1]);
	for (size_t k = 0; k < a.ng; k++)
		images += a.g[k].report_id != 0;
	if (q->lang == RL_EN)
		buf_addf(&out->note, "%s %zu reports with findings; %zu with tables as images; %zu "
			 "body-years without a report.", note, a.nf, images, a.ng - images);
	else
		buf_addf(&out->note, "%s%zu份报告有问题；%zu份报告的表格为图片；%zu个单位年度无报告。",
			 note_zh, a.nf, images, a.ng - images);
	for (size_t c = 0; c < C_KIND0; c++)
		column(t, col_keys[c], c == C_YEAR || c == C_ID || c == C_FINDINGS, q);
	for (int k = 0; k < NKINDS; k++)
		table_add_column(t, RQ_FOR_PEOPLE(q) ? check_kind_words((enum finding_kind)k,
									q->lang == RL_EN)
						     : finding_kind_name((enum finding_kind)k),
				 TA_RIGHT);
	column(t, "rules", 0, q);
	column(t, "source", 0, q);
	/* both lists are in (name, year) order: merge them */
	while (i < a.nf || j < a.ng) {
		int take_flag = j == a.ng;

		if (i < a.nf && j < a.ng) {
			int c = strcmp(a.f[i].org ? a.f[i].org : "", a.g[j].org);

			take_flag = c < 0 || (c == 0 && a.f[i].year <= a.g[j].year);
		}
		if (take_flag) {
			const struct flagged *fl = &a.f[i++];

			put_common(t, fl->org, fl->level, fl->parent, fl->year,
				   FLAGS_STATUS_FLAGGED, q);
			put_report(t, fl->report_id, fl->location, q);
			table_set_num(t, C_FINDINGS, (double)fl->total);
			for (int k = 0; k < NKINDS; k++)
				table_set_num(t, C_KIND0 + (size_t)k, (double)fl->kinds[k]);
			table_set_str(t, C_RULES, buf_str(&fl->rules));
		} else {
			const struct gap *g = &a.g[j++];

			put_common(t, g->org, g->level, g->parent, g->year,
				   g->report_id ? FLAGS_STATUS_IMAGES : FLAGS_STATUS_MISSING, q);
			if (g->report_id)
				put_report(t, g->report_id, g->location, q);
		}
	}
	if (q->charts && a.nf && chart(out, &a, q, images, a.ng - images))
		ret = err_set(err, OGI_ETOOBIG, "cannot draw the charts");
out:
	acc_release(&a);
	return ret;
}
