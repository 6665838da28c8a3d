/*
 * Reading reports back (store.h): a report with its figures and claims
 * (all of them, or one table's figures), the report of a source or a
 * location, filtered lists of reports, a report's neighbours (its
 * body's current report of the year before, the same year, the year
 * after), and the sources a newer parser should read again.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/store-internal.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The place read back: none for NULL (rows stored before schema version 4 too). */
static int column_place(sqlite3_stmt *s, int i, int none)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? none : sqlite3_column_int(s, i);
}

/* Runs a prepared "SELECT id, parser_version ..." whose ?1 is already bound. */
static int report_lookup(struct store *st, sqlite3_stmt *s, int64_t *report_id,
			 int *parser_version, struct err *err)
{
	int rc;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*report_id = sqlite3_column_int64(s, 0);
		if (parser_version)
			*parser_version = sqlite3_column_int(s, 1);
	}
	store_stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "read report", err);
	return 0;
}

int store_report_of_source(struct store *st, int64_t source_id, int64_t *report_id,
			   int *parser_version, struct err *err)
{
	sqlite3_stmt *s;
	int ret = store_prep(st, S_REPORT_OF_SOURCE, &s, "read report", err);

	*report_id = 0;
	if (parser_version)
		*parser_version = 0;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, source_id);
	return report_lookup(st, s, report_id, parser_version, err);
}

int store_report_at_location(struct store *st, const char *location, int64_t *report_id,
			     int *parser_version, struct err *err)
{
	sqlite3_stmt *s;
	int ret = store_prep(st, S_REPORT_AT_LOCATION, &s, "read report", err);

	*report_id = 0;
	if (parser_version)
		*parser_version = 0;
	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, location, -1, SQLITE_TRANSIENT);
	return report_lookup(st, s, report_id, parser_version, err);
}

/* Steps s (bound by the caller) over figures, loading each into r; resets s. */
static int read_figures(struct store *st, sqlite3_stmt *s, int64_t report_id, struct report *r,
			const char *what, struct err *err)
{
	int ret = 0, rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(s, 1);
		const char *col = (const char *)sqlite3_column_text(s, 2);
		const char *state = (const char *)sqlite3_column_text(s, 5);
		enum value_state vs = VAL_ABSENT;
		struct report_value *v;
		int i;

		for (size_t k = 1; state && k < STORE_NSTATES; k++)
			if (!strcmp(state, store_state_names[k]))
				vs = (enum value_state)k;
		if (vs == VAL_ABSENT) {
			ret = err_set(err, OGI_EDB,
				      "report %lld in '%s' has a figure in state '%s'",
				      (long long)report_id, store_path(st), state ? state : "");
			break;
		}
		/* A key the format table no longer has is left out, as reports never hold it. */
		i = -1;
		if (row && col)
			i = fmt_field_index(r->format, sqlite3_column_int(s, 0), row, col);
		if (i < 0)
			continue;
		report_set_value(r, (size_t)i, vs,
				 vs == VAL_NUMBER ? sqlite3_column_double(s, 3) : 0,
				 (const char *)sqlite3_column_text(s, 4));
		v = &r->values[i];
		v->how = value_how_parse((const char *)sqlite3_column_text(s, 6));
		v->inferred = sqlite3_column_int(s, 7) != 0;
		v->src.table = column_place(s, 8, -1);
		v->src.row = column_place(s, 9, -1);
		v->src.col = column_place(s, 10, -1);
		v->src.line = column_place(s, 11, 0);
		store_column_ocr(s, 12, &v->ocr);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(st, what, err);
	store_stmt_done(s);
	return ret;
}

/*
 * Loads the figures of report_id into r (whose format is set): all, or
 * those of one table, or of its rows whose flags (FR_*) meet rows.
 */
static int get_figures(struct store *st, int64_t report_id, int table, unsigned rows,
		       struct report *r, const char *what, struct err *err)
{
	size_t nrows;
	const struct fmt_row *row = fmt_rows(&nrows);
	sqlite3_stmt *s;
	int ret;

	if (!rows) {
		ret = store_prep(st, table ? S_FIGURES_GET_TABLE : S_FIGURES_GET, &s, what, err);
		if (ret)
			return ret;
		sqlite3_bind_int64(s, 1, report_id);
		if (table)
			sqlite3_bind_int(s, 2, table);
		return read_figures(st, s, report_id, r, what, err);
	}
	/* a row at a time by the key's prefix: a few cells instead of a table */
	ret = store_prep(st, S_FIGURES_GET_ROW, &s, what, err);
	for (size_t i = 0; !ret && i < nrows; i++) {
		if (row[i].table != table || !(row[i].flags & rows) ||
		    !(row[i].formats & (unsigned)r->format))
			continue;
		sqlite3_bind_int64(s, 1, report_id);
		sqlite3_bind_int(s, 2, table);
		sqlite3_bind_text(s, 3, row[i].key, -1, SQLITE_STATIC);
		ret = read_figures(st, s, report_id, r, what, err);
	}
	return ret;
}

static int get_claims(struct store *st, int64_t report_id, struct report *r, const char *what,
		      struct err *err)
{
	size_t nclaims;
	const struct fmt_claim *claims = fmt_claims(&nclaims);
	sqlite3_stmt *s;
	int ret = store_prep(st, S_CLAIMS_GET, &s, what, err);
	int rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(s, 0);

		for (size_t k = 0; key && k < nclaims; k++)
			if (!strcmp(key, claims[k].key)) {
				report_add_claim(r, &claims[k], sqlite3_column_double(s, 1),
						 (const char *)sqlite3_column_text(s, 2));
				break;
			}
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

/* Copies a column into a fixed field of report_info, truncating on a UTF-8 boundary. */
static void copy_info(char *dst, size_t size, sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	size_t n = t ? strlen(t) : 0;

	if (n >= size) {
		n = size - 1;
		while (n && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, t, n);
	dst[n] = '\0';
}

/*
 * store_get_report() and store_get_report_table() (table > 0: its figures
 * alone, or those of its rows meeting rows; no claims).
 */
static int get_report(struct store *st, int64_t report_id, int table, unsigned rows,
		      struct report *r, struct report_info *info, struct err *err)
{
	static const char what[] = "read report";
	sqlite3_stmt *s = NULL;
	struct store_tx tx;
	const char *text;
	int ret, rc;

	report_release(r);
	if (info)
		memset(info, 0, sizeof(*info));
	ret = store_read_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = store_prep(st, S_REPORT_GET, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "no report %lld in '%s'", (long long)report_id,
			      store_path(st));
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = store_fail(st, what, err);
		goto out;
	}
	if (info) {
		info->id = sqlite3_column_int64(s, 0);
		info->source_id = sqlite3_column_int64(s, 1);
		info->body_id = sqlite3_column_int64(s, 2);
		info->parser_version = sqlite3_column_int(s, 3);
		info->current = sqlite3_column_int(s, 20);
		copy_info(info->location, sizeof(info->location), s, 4);
		copy_info(info->fetched_at, sizeof(info->fetched_at), s, 5);
	}
	text = (const char *)sqlite3_column_text(s, 6);
	if (text && strcmp(text, STORE_UNKNOWN_BODY))
		r->organization = xstrdup(text);
	r->level = store_column_dup(s, 7);
	r->parent = store_column_dup(s, 8);
	r->year = sqlite3_column_int(s, 9);
	text = (const char *)sqlite3_column_text(s, 11);
	if (!text || report_status_parse(text, &r->status)) {
		ret = err_set(err, OGI_EDB, "report %lld in '%s' has an unknown status '%s'",
			      (long long)report_id, store_path(st), text ? text : "");
		goto out;
	}
	r->missing = store_column_dup(s, 12);
	r->title = store_column_dup(s, 13);
	r->published = store_column_dup(s, 14);
	r->charset = store_column_dup(s, 15);
	r->organization_from = report_source_parse((const char *)sqlite3_column_text(s, 16));
	r->year_from = report_source_parse((const char *)sqlite3_column_text(s, 17));
	r->publisher = store_column_dup(s, 18);
	r->reason = report_reason_parse((const char *)sqlite3_column_text(s, 19));
	text = (const char *)sqlite3_column_text(s, 10);
	report_set_format(r, text ? fmt_version_parse(text) : FMT_UNKNOWN);
	store_stmt_done(s);
	s = NULL;

	ret = get_figures(st, report_id, table, rows, r, what, err);
	if (!ret && !table)
		ret = get_claims(st, report_id, r, what, err);
out:
	store_stmt_done(s);
	store_read_end(st, &tx);
	if (ret) {
		report_release(r);
		if (info)
			memset(info, 0, sizeof(*info));
	}
	return ret;
}

int store_get_report(struct store *st, int64_t report_id, struct report *r,
		     struct report_info *info, struct err *err)
{
	return get_report(st, report_id, 0, 0, r, info, err);
}

int store_get_report_table(struct store *st, int64_t report_id, int table, unsigned rows,
			   struct report *r, struct err *err)
{
	if (table <= 0)
		return err_set(err, OGI_EINVAL, "cannot read report %lld: no table %d",
			       (long long)report_id, table);
	return get_report(st, report_id, table, rows, r, NULL, err);
}

/* Steps s (bound by the caller) to the end, collecting column 0; resets s. */
static int collect_ids(struct store *st, sqlite3_stmt *s, const char *what, int64_t **ids,
		       size_t *n, struct err *err)
{
	int64_t *list = NULL;
	size_t count = 0, alloc = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ALLOC_GROW(list, count + 1, alloc);
		list[count++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		int ret = store_fail(st, what, err);

		store_stmt_done(s);
		free(list);
		return ret;
	}
	store_stmt_done(s);
	*ids = list;
	*n = count;
	return 0;
}

int store_list_reports(struct store *st, const struct report_filter *f, int64_t **ids,
		       size_t *n, struct err *err)
{
	static const char what[] = "list reports";
	struct buf sql = BUF_INIT(BUF_NOLIMIT);
	sqlite3_stmt *s = NULL;
	int param = FILTER_FIRST_PARAM, ret;

	*ids = NULL;
	*n = 0;
	buf_adds(&sql, "SELECT r.id FROM reports r JOIN bodies b ON b.id = r.body_id "
		       "LEFT JOIN bodies p ON p.id = b.parent_id WHERE ");
	filter_sql(&sql, f, FILTER_REPORTS, &param);
	buf_adds(&sql, " ORDER BY b.name, r.year, r.id");
	if (sqlite3_prepare_v2(store_sqlite(st), buf_str(&sql), -1, &s, NULL) != SQLITE_OK) {
		buf_release(&sql);
		return store_fail(st, what, err);
	}
	buf_release(&sql);
	filter_bind(s, f, FILTER_REPORTS, FILTER_FIRST_PARAM);
	ret = collect_ids(st, s, what, ids, n, err);
	sqlite3_finalize(s);
	return ret;
}

int store_reports_of_group(struct store *st, int64_t body_id, int year, int64_t **ids,
			   size_t *n, struct err *err)
{
	static const char what[] = "list reports";
	sqlite3_stmt *s;
	int ret = store_prep(st, S_REPORTS_OF_GROUP, &s, what, err);

	*ids = NULL;
	*n = 0;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	sqlite3_bind_int(s, 2, year);
	return collect_ids(st, s, what, ids, n, err);
}

/* The current report of report_id's body for its year + delta; 0 when none. */
static int neighbour(struct store *st, int64_t report_id, int delta, int64_t *out,
		     struct err *err)
{
	static const char what[] = "read report";
	sqlite3_stmt *s;
	struct store_tx tx;
	int64_t body_id = 0;
	int year = 0, rc, ret;

	*out = 0;
	ret = store_read_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = store_prep(st, S_REPORT_BODY_YEAR, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		body_id = sqlite3_column_int64(s, 0);
		year = sqlite3_column_int(s, 1);
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "no report %lld in '%s'", (long long)report_id,
			      store_path(st));
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = store_fail(st, what, err);
		goto out;
	}
	if (!year)
		goto out;	/* unknown year: no neighbours */
	ret = store_prep(st, S_REPORT_OF_BODY_YEAR, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, body_id);
	sqlite3_bind_int(s, 2, year + delta);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_fail(st, what, err);
out:
	store_read_end(st, &tx);
	return ret;
}

int store_previous_report(struct store *st, int64_t report_id, int64_t *prev_id, struct err *err)
{
	return neighbour(st, report_id, -1, prev_id, err);
}

int store_current_of(struct store *st, int64_t report_id, int64_t *current_id, struct err *err)
{
	return neighbour(st, report_id, 0, current_id, err);
}

int store_next_report(struct store *st, int64_t report_id, int64_t *next_id, struct err *err)
{
	return neighbour(st, report_id, +1, next_id, err);
}

int store_list_stale_sources(struct store *st, int parser_version, int64_t **ids, size_t *n,
			     struct err *err)
{
	static const char what[] = "list sources";
	sqlite3_stmt *s;
	int ret = store_prep(st, S_STALE, &s, what, err);

	*ids = NULL;
	*n = 0;
	if (ret)
		return ret;
	sqlite3_bind_int(s, 1, parser_version);
	return collect_ids(st, s, what, ids, n, err);
}
