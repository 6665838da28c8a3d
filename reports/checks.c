#include "reports/checks.h"

#include <string.h>

#include "util/banned.h"

enum { C_ID, C_ORG, C_YEAR, C_RULE, C_KIND, C_WHERE, C_EXP_EXPR, C_EXP, C_FOUND_EXPR, C_FOUND,
       C_CELLS, C_MESSAGE, C_SOURCE, C_WORDS, C_EXPLAIN, NCOLS };

/* The data's columns: the first thirteen as ogi check always wrote them, the words after. */
static const struct {
	const char *name;
	enum table_align align;
	int people;	/* shown in text and HTML */
} columns[NCOLS] = {
	[C_ID] = { "report_id", TA_RIGHT, 1 },
	[C_ORG] = { "organization", TA_LEFT, 1 },
	[C_YEAR] = { "year", TA_RIGHT, 1 },
	[C_RULE] = { "rule", TA_LEFT, 1 },
	[C_KIND] = { "kind", TA_LEFT, 1 },
	[C_WHERE] = { "applies_to", TA_LEFT, 0 },
	[C_EXP_EXPR] = { "expected_expr", TA_LEFT, 0 },
	[C_EXP] = { "expected", TA_RIGHT, 0 },
	[C_FOUND_EXPR] = { "found_expr", TA_LEFT, 0 },
	[C_FOUND] = { "found", TA_RIGHT, 0 },
	[C_CELLS] = { "cells", TA_LEFT, 0 },
	[C_MESSAGE] = { "message", TA_LEFT, 0 },
	[C_SOURCE] = { "source", TA_LEFT, 1 },
	[C_WORDS] = { "words", TA_LEFT, 1 },
	[C_EXPLAIN] = { "explanation", TA_LEFT, 1 },
};

/* Whether the comma-separated list has the word w. */
static int in_list(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !memcmp(p, w, n))
			return 1;
		p += len + (e ? 1 : 0);
	}
	return 0;
}

int checks_match(const struct check_filter *cf, const struct finding *f)
{
	if (cf->kind >= 0 && (int)f->kind != cf->kind)
		return 0;
	return !cf->rules || in_list(cf->rules, f->rule);
}

int checks_rules_valid(const char *rules)
{
	const char *const *ids = check_rule_ids();

	for (const char *p = rules; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int found = 0;

		for (size_t i = 0; ids[i]; i++)
			found |= strlen(ids[i]) == len && !memcmp(ids[i], p, len);
		if (!found)
			return -1;
		p += len + (e ? 1 : 0);
	}
	return 0;
}

static int shown(const struct rq *q, size_t c)
{
	return !RQ_FOR_PEOPLE(q) || columns[c].people;
}

void checks_columns(struct table *t, const struct rq *q)
{
	for (size_t c = 0; c < NCOLS; c++) {
		const char *name = columns[c].name;

		if (!shown(q, c))
			continue;
		if (RQ_FOR_PEOPLE(q))
			name = c == C_EXPLAIN ? (q->lang == RL_EN ? "finding" : "问题")
					      : words_column(name, q->lang);
		table_add_column(t, name, columns[c].align);
	}
}

void checks_add(struct table *t, const struct rq *q, const struct report *r,
		const struct report_info *info, const struct finding *f)
{
	struct buf w = BUF_INIT(BUF_NOLIMIT), href = BUF_INIT(BUF_NOLIMIT);
	size_t col[NCOLS], k = 0;
	int en = q->lang == RL_EN, people = RQ_FOR_PEOPLE(q);
	char id[32];

	for (size_t c = 0; c < NCOLS; c++)
		col[c] = shown(q, c) ? k++ : SIZE_MAX;
	table_add_row(t);
	snprintf(id, sizeof(id), "%lld", (long long)info->id);
	if (q->format == TF_HTML && q->site_root) {
		model_report_href(&href, q, info->id);
		table_set_link(t, col[C_ID], id, buf_str(&href));
	} else {
		table_set_num(t, col[C_ID], (double)info->id);
	}
	table_set_str(t, col[C_ORG], r->organization);
	if (r->year)
		table_set_num(t, col[C_YEAR], r->year);
	table_set_str(t, col[C_RULE], f->rule);
	table_set_str(t, col[C_KIND], people ? check_kind_words(f->kind, en)
					     : finding_kind_name(f->kind));
	table_set_str(t, col[C_WHERE], f->where);
	table_set_str(t, col[C_EXP_EXPR], f->expected_expr);
	table_set_num(t, col[C_EXP], f->expected);
	table_set_str(t, col[C_FOUND_EXPR], f->found_expr);
	table_set_num(t, col[C_FOUND], f->found);
	table_set_str(t, col[C_CELLS], f->cells);
	table_set_str(t, col[C_MESSAGE], f->message);
	if (q->format == TF_HTML && model_is_url(info->location))
		table_set_link(t, col[C_SOURCE], info->location, info->location);
	else
		table_set_str(t, col[C_SOURCE], info->location);
	check_rule_words(f->rule, en, &w);
	table_set_str(t, col[C_WORDS], buf_str(&w));
	buf_reset(&w);
	check_explain(f, r, en, &w);
	table_set_str(t, col[C_EXPLAIN], buf_str(&w));
	buf_release(&w);
	buf_release(&href);
}
