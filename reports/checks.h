#ifndef OGI_CHECKS_H
#define OGI_CHECKS_H
/*
 * The findings of the rules for people (ogi check, and the site's list of
 * findings): each names the report, the rule in the form's words
 * (check_rule_words()), the finding with its cells' labels and both
 * values (check_explain()) and the full source.  The table holds the
 * data columns for CSV and JSON (the keys, both expressions, the cells)
 * or, for text and HTML, the words; in HTML the report links to its page
 * (q->site_root) and the source to the original.
 */
#include "form/check.h"
#include "reports/model.h"

/* Which findings to show: --rule (ids, comma-separated), --kind. */
struct check_filter {
	const char *rules;	/* NULL: every rule */
	int kind;		/* an enum finding_kind, or -1 for every kind */
};

/* Whether f passes cf. */
int checks_match(const struct check_filter *cf, const struct finding *f);
/* 0 when every id of rules (comma-separated) is a rule of check_rule_ids(), else -1. */
int checks_rules_valid(const char *rules);

/* Adds the columns of the findings' table to t. */
void checks_columns(struct table *t, const struct rq *q);
/* Adds a row for finding f of report r (read at info). */
void checks_add(struct table *t, const struct rq *q, const struct report *r,
		const struct report_info *info, const struct finding *f);

#endif
