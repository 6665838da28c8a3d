#include "store/correct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/format.h"
#include "store/store-internal.h"
#include "util/xalloc.h"
#include "util/banned.h"


static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what,
		   struct err *err)
{
	if (sqlite3_prepare_v2(store_sqlite(st), sql, -1, s, NULL) != SQLITE_OK) {
		*s = NULL;
		return store_fail(st, what, err);
	}
	return 0;
}

/* The report at location (0: none) and its group; the group is refreshed by the caller. */
static int report_at(struct store *st, const char *location, int64_t *id, int64_t *body,
		     int *year, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, "SELECT id, body_id, year FROM reports WHERE location = ?1", &s, what,
			  err), rc;

	*id = *body = 0;
	*year = 0;
	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, location, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*body = sqlite3_column_int64(s, 1);
		*year = sqlite3_column_int(s, 2);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

int store_exclude(struct store *st, const char *location, const char *why, int64_t *report_id,
		  struct err *err)
{
	static const char what[] = "exclude a report";
	struct store_tx tx;
	sqlite3_stmt *s = NULL;
	int64_t id, body;
	int year, ret, rc;

	if (report_id)
		*report_id = 0;
	if (!location || !*location || !why || !*why)
		return err_set(err, OGI_EINVAL, "cannot exclude: a location and a reason are needed");
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = report_at(st, location, &id, &body, &year, what, err);
	if (!ret)
		ret = prepare(st, "INSERT INTO exclusions (location, report_id, why, excluded_at) "
				  "VALUES (?1, nullif(?2, 0), ?3, " NOW_SQL ") ON CONFLICT (location) "
				  "DO UPDATE SET why = excluded.why, report_id = excluded.report_id",
			      &s, what, err);
	if (!ret) {
		sqlite3_bind_text(s, 1, location, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
		sqlite3_bind_text(s, 3, why, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			ret = store_fail(st, what, err);
	}
	if (!ret && id)
		ret = store_refresh_current(st, body, year, err);
	ret = store_tx_end(st, &tx, ret, what, err);
	if (!ret && report_id)
		*report_id = id;
	return ret;
}

int store_include(struct store *st, const char *location, int *removed, struct err *err)
{
	static const char what[] = "include a report";
	struct store_tx tx;
	sqlite3_stmt *s = NULL;
	int64_t id, body;
	int year, ret, rc, n = 0;

	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = prepare(st, "DELETE FROM exclusions WHERE location = ?1", &s, what, err);
	if (!ret) {
		sqlite3_bind_text(s, 1, location, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			ret = store_fail(st, what, err);
		n = sqlite3_changes(store_sqlite(st));
	}
	if (!ret)
		ret = report_at(st, location, &id, &body, &year, what, err);
	if (!ret && id)
		ret = store_refresh_current(st, body, year, err);
	ret = store_tx_end(st, &tx, ret, what, err);
	if (removed)
		*removed = !ret && n > 0;
	return ret;
}

int store_report_location(struct store *st, int64_t report_id, char **location, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, "SELECT location FROM reports WHERE id = ?1", &s, "read a report",
			  err), rc;

	*location = NULL;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*location = store_column_dup(s, 0);
	else if (rc == SQLITE_DONE)
		ret = err_set(err, OGI_ENOTFOUND, "no report %lld in '%s'", (long long)report_id,
			      store_path(st));
	else
		ret = store_fail(st, "read a report", err);
	sqlite3_finalize(s);
	return ret;
}

int store_report_excluded(struct store *st, int64_t report_id, char **why, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, "SELECT x.why FROM exclusions x JOIN reports r "
			      "ON r.location = x.location WHERE r.id = ?1", &s, "read a report", err);
	int rc;

	*why = NULL;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*why = store_column_dup(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, "read a report", err);
}

/* ---- fixes ---- */

void store_fix_list_release(struct fix_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].row);
		free(l->v[i].col);
		free(l->v[i].key);
		free(l->v[i].why);
		free(l->v[i].fixed_at);
		free(l->v[i].parsed_raw);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The report's group, touched so that its checks run again. */
static int touch_report(struct store *st, int64_t report_id, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, "SELECT body_id, coalesce(year, 0) FROM reports WHERE id = ?1", &s,
			  what, err), rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_touch(st, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1));
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return err_set(err, OGI_ENOTFOUND, "no report %lld in '%s'", (long long)report_id,
			       store_path(st));
	return rc == SQLITE_ROW ? 0 : store_fail(st, what, err);
}

/* Runs a statement binding ?1 report, ?2 table, ?3 row, ?4 col. */
static int run_cell(struct store *st, const char *sql, int64_t report_id, int table,
		    const char *row, const char *col, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, sql, &s, what, err), rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	sqlite3_bind_int(s, 2, table);
	sqlite3_bind_text(s, 3, row, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, col, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

int store_fix(struct store *st, int64_t report_id, int table, const char *row, const char *col,
	      enum value_state state, double value, const char *why, struct err *err)
{
	static const char what[] = "fix a cell";
	struct store_tx tx;
	sqlite3_stmt *s = NULL;
	int ret, rc;

	if (!why || !*why)
		return err_set(err, OGI_EINVAL, "cannot fix a cell: say why (--why)");
	if (state != VAL_NUMBER && state != VAL_BLANK)
		return err_set(err, OGI_EINVAL, "cannot fix a cell: a number or blank");
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = touch_report(st, report_id, what, err);
	/*
	 * What the parser read is the figure now unless a fix stands in it
	 * already, whose parsed_* hold it.
	 */
	if (!ret)
		ret = prepare(st, "INSERT INTO fixes (report_id, tbl, row_key, col_key, value, why, "
				  "fixed_at, parsed_state, parsed_value, parsed_raw, parsed_how) "
				  "SELECT ?1, ?2, ?3, ?4, ?5, ?6, " NOW_SQL ", f.state, f.value, "
				  "f.raw, f.how FROM (SELECT 1) LEFT JOIN figures f "
				  "ON f.report_id = ?1 AND f.tbl = ?2 AND f.row_key = ?3 "
				  "AND f.col_key = ?4 WHERE true "
				  "ON CONFLICT (report_id, tbl, row_key, col_key) DO UPDATE SET "
				  "value = excluded.value, why = excluded.why, "
				  "fixed_at = excluded.fixed_at",
			      &s, what, err);
	if (!ret) {
		sqlite3_bind_int64(s, 1, report_id);
		sqlite3_bind_int(s, 2, table);
		sqlite3_bind_text(s, 3, row, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, col, -1, SQLITE_STATIC);
		if (state == VAL_NUMBER)
			sqlite3_bind_double(s, 5, value);
		else
			sqlite3_bind_null(s, 5);
		sqlite3_bind_text(s, 6, why, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			ret = store_fail(st, what, err);
	}
	if (!ret)
		ret = run_cell(st, "INSERT INTO figures (report_id, tbl, row_key, col_key, value, raw, "
				   "blank, state, how, inferred) SELECT report_id, tbl, row_key, "
				   "col_key, value, NULL, value IS NULL, CASE WHEN value IS NULL THEN "
				   "'blank' ELSE 'number' END, 'fix', 0 FROM fixes WHERE report_id = ?1 "
				   "AND tbl = ?2 AND row_key = ?3 AND col_key = ?4 "
				   "ON CONFLICT (report_id, tbl, row_key, col_key) DO UPDATE SET "
				   "value = excluded.value, blank = excluded.blank, "
				   "state = excluded.state, how = 'fix'",
			       report_id, table, row, col, what, err);
	return store_tx_end(st, &tx, ret, what, err);
}

int store_unfix(struct store *st, int64_t report_id, int table, const char *row,
		const char *col, int *removed, struct err *err)
{
	static const char what[] = "take a fix away";
	struct store_tx tx;
	int ret, n = 0;

	if (removed)
		*removed = 0;
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = touch_report(st, report_id, what, err);
	/* the figure as the parser read it, or none when the page had no such cell */
	if (!ret)
		ret = run_cell(st, "UPDATE figures SET (value, raw, blank, state, how) = (SELECT "
				   "x.parsed_value, x.parsed_raw, x.parsed_state = 'blank', "
				   "x.parsed_state, x.parsed_how FROM fixes x WHERE x.report_id = ?1 "
				   "AND x.tbl = ?2 AND x.row_key = ?3 AND x.col_key = ?4) "
				   "WHERE report_id = ?1 AND tbl = ?2 AND row_key = ?3 AND col_key = ?4 "
				   "AND EXISTS (SELECT 1 FROM fixes x WHERE x.report_id = ?1 "
				   "AND x.tbl = ?2 AND x.row_key = ?3 AND x.col_key = ?4 "
				   "AND x.parsed_state IS NOT NULL)",
			       report_id, table, row, col, what, err);
	if (!ret)
		ret = run_cell(st, "DELETE FROM figures WHERE report_id = ?1 AND tbl = ?2 "
				   "AND row_key = ?3 AND col_key = ?4 AND EXISTS (SELECT 1 FROM fixes x "
				   "WHERE x.report_id = ?1 AND x.tbl = ?2 AND x.row_key = ?3 "
				   "AND x.col_key = ?4 AND x.parsed_state IS NULL)",
			       report_id, table, row, col, what, err);
	if (!ret) {
		ret = run_cell(st, "DELETE FROM fixes WHERE report_id = ?1 AND tbl = ?2 "
				   "AND row_key = ?3 AND col_key = ?4",
			       report_id, table, row, col, what, err);
		n = sqlite3_changes(store_sqlite(st));
	}
	ret = store_tx_end(st, &tx, ret, what, err);
	if (!ret && removed)
		*removed = n > 0;
	return ret;
}

/* The public key of a cell, from the format table; "t.row.col" for one it does not know. */
static char *cell_key(int table, const char *row, const char *col)
{
	static const enum fmt_version versions[] = { FMT_2021, FMT_2019 };
	char buf[FMT_PATH_SIZE];

	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		size_t n;
		const struct fmt_field *f = fmt_fields(versions[v], &n);
		int i = fmt_field_index(versions[v], table, row, col);

		if (i >= 0)
			return xstrdup(f[i].key);
	}
	fmt_field_path(table, row, col, buf);
	return xstrdup(buf);
}

static enum value_state state_of(const char *s)
{
	if (!s)
		return VAL_ABSENT;
	if (!strcmp(s, "number"))
		return VAL_NUMBER;
	return !strcmp(s, "blank") ? VAL_BLANK : VAL_INVALID;
}

int store_fixes(struct store *st, int64_t report_id, struct fix_list *out, struct err *err)
{
	sqlite3_stmt *s;
	/* cached: every report stored asks for its fixes */
	int ret = store_prep(st, S_FIXES_GET, &s, "read fixes", err), rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct fix *x;

		ALLOC_GROW(out->v, st_add(out->n, 1), out->alloc);
		x = &out->v[out->n++];
		memset(x, 0, sizeof(*x));
		x->report_id = sqlite3_column_int64(s, 0);
		x->table = sqlite3_column_int(s, 1);
		x->row = store_column_dup(s, 2);
		x->col = store_column_dup(s, 3);
		x->key = cell_key(x->table, x->row ? x->row : "", x->col ? x->col : "");
		x->state = sqlite3_column_type(s, 4) == SQLITE_NULL ? VAL_BLANK : VAL_NUMBER;
		x->value = sqlite3_column_double(s, 4);
		x->why = store_column_dup(s, 5);
		x->fixed_at = store_column_dup(s, 6);
		x->parsed_state = state_of((const char *)sqlite3_column_text(s, 7));
		x->parsed_value = sqlite3_column_double(s, 8);
		x->parsed_raw = store_column_dup(s, 9);
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "read fixes", err);
}
