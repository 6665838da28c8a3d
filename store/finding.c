/*
 * Findings (store.h): what the consistency checks found in a report,
 * stored in place of its earlier findings, all of them or those of the
 * rules named.
 */
#include <string.h>

#include <sqlite3.h>

#include "store/store-internal.h"
#include "util/banned.h"

/* store_put_findings() and store_put_rule_findings() (rules: NULL for every rule). */
static int put_findings(struct store *st, int64_t report_id, const char *const *rules,
			const struct finding_list *l, struct err *err)
{
	static const char what[] = "store findings";
	sqlite3_stmt *s = NULL;
	struct store_tx tx;
	size_t n = l ? l->n : 0;
	int ret, rc;

	if (n && !l->items)
		return err_set(err, OGI_EINVAL, "cannot store findings: no items");
	for (size_t i = 0; i < n; i++)
		if (!l->items[i].rule)
			return err_set(err, OGI_EINVAL,
				       "cannot store findings: finding %zu has no rule", i);
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = store_prep(st, S_REPORT_BODY_YEAR, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	s = NULL;
	if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "cannot store findings: no report %lld in '%s'",
			      (long long)report_id, store_path(st));
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = store_fail(st, what, err);
		goto out;
	}
	if (!rules) {
		ret = store_exec_id(st, S_FINDINGS_DELETE, report_id, what, err);
	} else {
		for (size_t i = 0; !ret && rules[i]; i++) {
			ret = store_prep(st, S_FINDINGS_DELETE_RULE, &s, what, err);
			if (ret)
				break;
			sqlite3_bind_int64(s, 1, report_id);
			if (sqlite3_bind_text(s, 2, rules[i], -1, SQLITE_STATIC) != SQLITE_OK ||
			    sqlite3_step(s) != SQLITE_DONE)
				ret = store_fail(st, what, err);
			store_stmt_done(s);
			s = NULL;
		}
	}
	if (ret)
		goto out;
	ret = store_prep(st, S_FINDING_INSERT, &s, what, err);
	if (ret)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct finding *fd = &l->items[i];

		rc = sqlite3_bind_int64(s, 1, report_id);
		rc |= store_bind_text(s, 2, fd->rule);
		rc |= sqlite3_bind_text(s, 3, finding_kind_name(fd->kind), -1, SQLITE_STATIC);
		rc |= store_bind_text(s, 4, fd->where);
		rc |= store_bind_text(s, 5, fd->cells);
		rc |= store_bind_text(s, 6, fd->expected_expr);
		rc |= store_bind_double(s, 7, fd->expected);
		rc |= store_bind_text(s, 8, fd->found_expr);
		rc |= store_bind_double(s, 9, fd->found);
		rc |= store_bind_text(s, 10, fd->message);
		if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
			ret = store_fail(st, what, err);
			goto out;
		}
		store_stmt_done(s);
	}
out:
	store_stmt_done(s);
	return store_tx_end(st, &tx, ret, what, err);
}

int store_put_findings(struct store *st, int64_t report_id, const struct finding_list *l,
		       struct err *err)
{
	return put_findings(st, report_id, NULL, l, err);
}

int store_put_rule_findings(struct store *st, int64_t report_id, const char *const *rules,
			    const struct finding_list *l, struct err *err)
{
	if (!rules)
		return err_set(err, OGI_EINVAL, "cannot store findings: no rules named");
	for (size_t i = 0; l && i < l->n; i++) {
		size_t k = 0;

		while (rules[k] && l->items[i].rule && strcmp(rules[k], l->items[i].rule))
			k++;
		if (!rules[k])
			return err_set(err, OGI_EINVAL,
				       "cannot store findings: rule %s is not among those replaced",
				       l->items[i].rule ? l->items[i].rule : "(none)");
	}
	return put_findings(st, report_id, rules, l, err);
}
