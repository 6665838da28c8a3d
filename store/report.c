/*
 * Writing a report (store.h): its body (found or created, with its level
 * and parent), the report row keyed by its location, its figures with
 * their provenance, a reviewer's fixes applied over them, its claims,
 * and the current report of its group chosen again; then its sources,
 * the pages and files it was read from (report_sources), which are also
 * listed here.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/store-internal.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* How value states are spelled in figures.state (see the CHECK in schema.c). */
const char *const store_state_names[STORE_NSTATES] = {
	[VAL_ABSENT] = NULL,
	[VAL_BLANK] = "blank",
	[VAL_NUMBER] = "number",
	[VAL_INVALID] = "invalid",
};

/*
 * A place in struct value_src: -1 (or 0 for a line) means "does not apply"
 * and is stored as NULL, so that an HTML cell has no line and a text cell
 * no table or grid row.
 */
static int bind_place(sqlite3_stmt *s, int i, int v, int none)
{
	return v == none ? sqlite3_bind_null(s, i) : sqlite3_bind_int(s, i, v);
}

/* ---- reports ---- */

/* Finds or creates the body called name; sets its level when given and not yet known. */
static int body_get(struct store *st, const char *name, const char *level, int64_t *id,
		    const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = store_prep(st, S_BODY_FIND, &s, what, err);
	int rc, has_level = 0;

	*id = 0;
	if (ret)
		return ret;
	store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		has_level = sqlite3_column_type(s, 1) != SQLITE_NULL;
	}
	store_stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, what, err);

	if (!*id) {
		ret = store_prep(st, S_BODY_INSERT, &s, what, err);
		if (ret)
			return ret;
		store_bind_text(s, 1, name);
		store_bind_text(s, 2, level);
		rc = sqlite3_step(s);
		store_stmt_done(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, what, err);
		*id = sqlite3_last_insert_rowid(store_sqlite(st));
	} else if (level && !has_level) {
		ret = store_prep(st, S_BODY_SET_LEVEL, &s, what, err);
		if (ret)
			return ret;
		sqlite3_bind_int64(s, 1, *id);
		store_bind_text(s, 2, level);
		rc = sqlite3_step(s);
		store_stmt_done(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, what, err);
	}
	return 0;
}

/* Checks r before anything is written, so that bad input never needs a rollback. */
static int report_valid(const struct report *r, struct err *err)
{
	size_t nfields;

	fmt_fields(r->format, &nfields);
	if (r->nvalues > nfields || (r->nvalues && !r->values))
		return err_set(err, OGI_EINVAL,
			       "cannot store report: %zu values for format '%s' of %zu fields",
			       r->nvalues, fmt_version_name(r->format), nfields);
	for (size_t i = 0; i < r->nvalues; i++)
		if ((unsigned)r->values[i].state >= STORE_NSTATES)
			return err_set(err, OGI_EINVAL,
				       "cannot store report: value %zu has state %d", i,
				       (int)r->values[i].state);
	/* A value the names do not cover would be stored as NULL, i.e. lost: refuse it. */
	for (size_t i = 0; i < r->nvalues; i++)
		if (r->values[i].how != HOW_NONE && !value_how_name(r->values[i].how))
			return err_set(err, OGI_EINVAL,
				       "cannot store report: value %zu has provenance %d", i,
				       (int)r->values[i].how);
	if ((r->organization_from != RSRC_NONE && !report_source_name(r->organization_from)) ||
	    (r->year_from != RSRC_NONE && !report_source_name(r->year_from)))
		return err_set(err, OGI_EINVAL,
			       "cannot store report: unknown source %d of the body or %d of the "
			       "year", (int)r->organization_from, (int)r->year_from);
	if (r->reason != RREASON_NONE && !report_reason_name(r->reason))
		return err_set(err, OGI_EINVAL, "cannot store report: unknown reason %d",
			       (int)r->reason);
	if (r->nclaims && !r->claims)
		return err_set(err, OGI_EINVAL, "cannot store report: claims missing");
	for (size_t i = 0; i < r->nclaims; i++)
		if (!r->claims[i].claim || !r->claims[i].claim->key)
			return err_set(err, OGI_EINVAL, "cannot store report: claim %zu has no key",
				       i);
	return 0;
}

/* Binds figure f, value v of report_id, as the row whose first column is ?at. */
static int bind_figure(sqlite3_stmt *s, int at, int64_t report_id, const struct fmt_field *f,
		       const struct report_value *v)
{
	int rc = sqlite3_bind_int64(s, at, report_id);

	rc |= sqlite3_bind_int(s, at + 1, f->table);
	rc |= sqlite3_bind_text(s, at + 2, f->row->key, -1, SQLITE_STATIC);
	rc |= sqlite3_bind_text(s, at + 3, f->col->key, -1, SQLITE_STATIC);
	rc |= v->state == VAL_NUMBER ? store_bind_double(s, at + 4, v->num)
				     : sqlite3_bind_null(s, at + 4);
	rc |= store_bind_text(s, at + 5, v->raw);
	rc |= sqlite3_bind_int(s, at + 6, v->state == VAL_BLANK);
	rc |= sqlite3_bind_text(s, at + 7, store_state_names[v->state], -1, SQLITE_STATIC);
	rc |= store_bind_text(s, at + 8, value_how_name(v->how));
	rc |= sqlite3_bind_int(s, at + 9, v->inferred != 0);
	rc |= bind_place(s, at + 10, v->src.table, -1);
	rc |= bind_place(s, at + 11, v->src.row, -1);
	rc |= bind_place(s, at + 12, v->src.col, -1);
	rc |= bind_place(s, at + 13, v->src.line, 0);
	rc |= store_bind_ocr(s, at + 14, &v->ocr);
	return rc;
}

/* Adds the n figures at[] of r in one step of statement id (n rows of FIGURE_VALUES). */
static int insert_figures(struct store *st, enum stmt_id id, int64_t report_id,
			  const struct report *r, const size_t *at, size_t n, const char *what,
			  struct err *err)
{
	size_t nfields;
	const struct fmt_field *fields = fmt_fields(r->format, &nfields);
	sqlite3_stmt *s;
	int ret = store_prep(st, id, &s, what, err), rc = SQLITE_OK;

	if (ret)
		return ret;
	for (size_t k = 0; k < n; k++)
		rc |= bind_figure(s, 1 + (int)k * STORE_FIGURE_COLS, report_id, &fields[at[k]],
				  &r->values[at[k]]);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		ret = store_fail(st, what, err);
	store_stmt_done(s);
	return ret;
}

/*
 * The hot path of a crawl's and an ingest's writes: a report's ~200
 * figures go STORE_FIGURE_ROWS to a step (a step's own cost is more than
 * the row's), the rest one at a time.
 */
static int put_figures(struct store *st, int64_t report_id, const struct report *r,
		       const char *what, struct err *err)
{
	size_t at[STORE_FIGURE_ROWS], n = 0;
	int ret = 0;

	for (size_t i = 0; !ret && i < r->nvalues; i++) {
		if (r->values[i].state == VAL_ABSENT)
			continue;
		at[n++] = i;
		if (n == STORE_FIGURE_ROWS) {
			ret = insert_figures(st, S_FIGURE_INSERT_MANY, report_id, r, at, n, what, err);
			n = 0;
		}
	}
	for (size_t k = 0; !ret && k < n; k++)
		ret = insert_figures(st, S_FIGURE_INSERT, report_id, r, &at[k], 1, what, err);
	return ret;
}

static int put_claims(struct store *st, int64_t report_id, const struct report *r,
		      const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = store_prep(st, S_CLAIM_INSERT, &s, what, err);

	if (ret)
		return ret;
	for (size_t i = 0; i < r->nclaims; i++) {
		const struct report_claim *c = &r->claims[i];
		int rc = sqlite3_bind_int64(s, 1, report_id);

		rc |= sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		rc |= sqlite3_bind_text(s, 3, c->claim->key, -1, SQLITE_STATIC);
		rc |= store_bind_double(s, 4, c->value);
		rc |= store_bind_text(s, 5, c->raw);
		if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
			ret = store_fail(st, what, err);
			store_stmt_done(s);
			return ret;
		}
		store_stmt_done(s);
	}
	return 0;
}

/* Binds ?2..?15 of S_REPORT_INSERT and S_REPORT_UPDATE. */
static int bind_report(sqlite3_stmt *s, int64_t source_id, int64_t body_id,
		       const struct report *r, int parser_version)
{
	int rc = sqlite3_bind_int64(s, 2, source_id);

	rc |= sqlite3_bind_int64(s, 3, body_id);
	rc |= r->year ? sqlite3_bind_int(s, 4, r->year) : sqlite3_bind_null(s, 4);
	rc |= sqlite3_bind_text(s, 5, fmt_version_name(r->format), -1, SQLITE_STATIC);
	rc |= sqlite3_bind_text(s, 6, report_status_name(r->status), -1, SQLITE_STATIC);
	rc |= store_bind_text(s, 7, r->missing);
	rc |= store_bind_text(s, 8, r->title);
	rc |= store_bind_text(s, 9, r->published);
	rc |= store_bind_text(s, 10, r->charset);
	rc |= sqlite3_bind_int(s, 11, parser_version);
	rc |= store_bind_text(s, 12, report_source_name(r->organization_from));
	rc |= store_bind_text(s, 13, report_source_name(r->year_from));
	rc |= store_bind_text(s, 14, r->publisher);
	rc |= store_bind_text(s, 15,
			      r->status == RS_NO_TABLES ? report_reason_name(r->reason) : NULL);
	return rc;
}

static const char *const role_names[] = {
	[SOURCE_PAGE] = "page",
	[SOURCE_ATTACHMENT] = "attachment",
};

const char *store_source_role_name(enum source_role r)
{
	return (unsigned)r < sizeof(role_names) / sizeof(role_names[0]) ? role_names[r] : "page";
}

static enum source_role role_parse(const char *s)
{
	return s && !strcmp(s, role_names[SOURCE_ATTACHMENT]) ? SOURCE_ATTACHMENT : SOURCE_PAGE;
}

/*
 * Records source_id at location as a source of report_id with what r read
 * (NULL: no report), chosen or not; with chosen, the report's other
 * sources are no longer.
 */
static int put_source_row(struct store *st, int64_t report_id, int64_t source_id,
			  const char *location, enum source_role role, const struct report *r,
			  int parser_version, int chosen, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = store_prep(st, S_RS_PUT, &s, what, err), rc;

	if (ret)
		return ret;
	rc = sqlite3_bind_int64(s, 1, report_id);
	rc |= store_bind_text(s, 2, location);
	rc |= sqlite3_bind_int64(s, 3, source_id);
	rc |= sqlite3_bind_text(s, 4, store_source_role_name(role), -1, SQLITE_STATIC);
	rc |= store_bind_text(s, 5, r ? report_status_name(r->status) : NULL);
	rc |= store_bind_text(s, 6, r && r->status == RS_NO_TABLES
					    ? report_reason_name(r->reason) : NULL);
	rc |= sqlite3_bind_int(s, 7, parser_version);
	rc |= sqlite3_bind_int(s, 8, chosen);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
		ret = store_fail(st, what, err);
		store_stmt_done(s);
		return ret;
	}
	store_stmt_done(s);
	if (!chosen)
		return 0;
	ret = store_prep(st, S_RS_UNCHOOSE, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	store_bind_text(s, 2, location);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

int store_put_report(struct store *st, int64_t source_id, const struct report *r,
		     int parser_version, int64_t *report_id, struct err *err)
{
	return store_put_report_from(st, source_id, NULL, r, parser_version, report_id, err);
}

int store_put_report_from(struct store *st, int64_t source_id, const struct report_origin *o,
			  const struct report *r, int parser_version, int64_t *report_id,
			  struct err *err)
{
	static const char what[] = "store report";
	static const struct report_origin own_page = { 0, NULL, NULL, SOURCE_PAGE };
	const char *org, *where;
	char *location = NULL, *known = NULL;
	sqlite3_stmt *s = NULL;
	struct store_tx tx;
	int64_t body_id = 0, id = 0, old_body = 0;
	int ret, rc, old_year = 0;

	if (report_id)
		*report_id = 0;
	if (!r)
		return err_set(err, OGI_EINVAL, "cannot store report: no report");
	if (!o)
		o = &own_page;
	ret = report_valid(r, err);
	if (ret)
		return ret;
	org = r->organization && *r->organization ? r->organization : STORE_UNKNOWN_BODY;

	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;

	/* A report is keyed by its location: by default the location of its bytes. */
	ret = store_prep(st, S_SOURCE_LOCATION, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, source_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		location = store_column_dup(s, 0);
	} else if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "cannot store report: no source %lld in '%s'",
			      (long long)source_id, store_path(st));
		goto out;
	} else {
		ret = store_fail(st, what, err);
		goto out;
	}
	store_stmt_done(s);
	s = NULL;
	where = o->location ? o->location : location;

	ret = body_get(st, org, r->level, &body_id, what, err);
	if (ret)
		goto out;
	/* A body named as its own parent would make a loop; such a parent is dropped. */
	if (r->parent && *r->parent && strcmp(r->parent, org)) {
		int64_t parent_id;

		ret = body_get(st, r->parent, NULL, &parent_id, what, err);
		if (ret)
			goto out;
		ret = store_prep(st, S_BODY_SET_PARENT, &s, what, err);
		if (ret)
			goto out;
		sqlite3_bind_int64(s, 1, body_id);
		sqlite3_bind_int64(s, 2, parent_id);
		if (sqlite3_step(s) != SQLITE_DONE) {
			ret = store_fail(st, what, err);
			goto out;
		}
		store_stmt_done(s);
		s = NULL;
	}

	if (o->report_id) {
		/* a named report keeps its own location, whatever the source's */
		ret = store_prep(st, S_REPORT_EXISTS, &s, what, err);
		if (ret)
			goto out;
		sqlite3_bind_int64(s, 1, o->report_id);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			id = o->report_id;
			known = store_column_dup(s, 0);
			where = known;
			old_body = sqlite3_column_int64(s, 1);
			old_year = sqlite3_column_int(s, 2);
		} else if (rc == SQLITE_DONE) {
			ret = err_set(err, OGI_ENOTFOUND, "cannot store report: no report %lld in '%s'",
				      (long long)o->report_id, store_path(st));
			goto out;
		} else {
			ret = store_fail(st, what, err);
			goto out;
		}
	} else {
		ret = store_prep(st, S_REPORT_BY_LOCATION, &s, what, err);
		if (ret)
			goto out;
		store_bind_text(s, 1, where);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			id = sqlite3_column_int64(s, 0);
			old_body = sqlite3_column_int64(s, 1);
			old_year = sqlite3_column_int(s, 2);
		} else if (rc != SQLITE_DONE) {
			ret = store_fail(st, what, err);
			goto out;
		}
	}
	store_stmt_done(s);
	s = NULL;

	if (id) {
		/* Replace in place: the id stays, so links to it (findings, users' notes) hold. */
		ret = store_exec_id(st, S_FIGURES_DELETE, id, what, err);
		if (!ret)
			ret = store_exec_id(st, S_CLAIMS_DELETE, id, what, err);
		if (!ret)
			ret = store_exec_id(st, S_FINDINGS_DELETE, id, what, err);
		if (ret)
			goto out;
		ret = store_prep(st, S_REPORT_UPDATE, &s, what, err);
		if (ret)
			goto out;
		rc = sqlite3_bind_int64(s, 1, id);
	} else {
		ret = store_prep(st, S_REPORT_INSERT, &s, what, err);
		if (ret)
			goto out;
		rc = store_bind_text(s, 1, where);
	}
	rc |= bind_report(s, source_id, body_id, r, parser_version);
	/* the name as the page gave it, when the body was found by an alias */
	rc |= store_bind_text(s, 16, r->organization);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
		ret = store_fail(st, what, err);
		goto out;
	}
	if (!id)
		id = sqlite3_last_insert_rowid(store_sqlite(st));
	store_stmt_done(s);
	s = NULL;

	ret = put_figures(st, id, r, what, err);
	if (!ret)
		ret = store_exec_id(st, S_FIXES_PARSED, id, what, err);
	if (!ret)
		ret = store_exec_id(st, S_FIXES_APPLY, id, what, err);
	if (!ret)
		ret = put_claims(st, id, r, what, err);
	/* The report's group, and the one it left, choose their current report again. */
	if (!ret)
		ret = store_refresh_current(st, body_id, r->year, err);
	if (!ret && old_body && (old_body != body_id || old_year != r->year))
		ret = store_refresh_current(st, old_body, old_year, err);
	if (!ret)
		ret = put_source_row(st, id, source_id,
				     o->source_location ? o->source_location : where, o->role, r,
				     parser_version, 1, what, err);
out:
	store_stmt_done(s);
	ret = store_tx_end(st, &tx, ret, what, err);
	if (!ret && report_id)
		*report_id = id;
	free(location);
	free(known);
	return ret;
}

/* ---- a report's sources ---- */

int store_put_report_source(struct store *st, int64_t report_id, int64_t source_id,
			    const char *location, enum source_role role, const struct report *r,
			    int parser_version, struct err *err)
{
	static const char what[] = "store a report's source";
	struct store_tx tx;
	int ret;

	if (!location)
		return err_set(err, OGI_EINVAL, "cannot store a report's source: no location");
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = put_source_row(st, report_id, source_id, location, role, r, parser_version, 0, what,
			     err);
	return store_tx_end(st, &tx, ret, what, err);
}

void store_report_source_list_release(struct report_source_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].location);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int store_report_sources(struct store *st, int64_t report_id, struct report_source_list *out,
			 struct err *err)
{
	static const char what[] = "read a report's sources";
	sqlite3_stmt *s;
	int ret = store_prep(st, S_RS_LIST, &s, what, err), rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_source_row *rs;
		const char *status = (const char *)sqlite3_column_text(s, 3);

		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		rs = &out->v[out->n++];
		memset(rs, 0, sizeof(*rs));
		rs->source_id = sqlite3_column_int64(s, 0);
		rs->location = store_column_dup(s, 1);
		rs->role = role_parse((const char *)sqlite3_column_text(s, 2));
		rs->read = status && !report_status_parse(status, &rs->status);
		rs->reason = report_reason_parse((const char *)sqlite3_column_text(s, 4));
		rs->parser_version = sqlite3_column_int(s, 5);
		rs->chosen = sqlite3_column_int(s, 6) != 0;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

int store_source_origin(struct store *st, int64_t source_id, int64_t *report_id,
			enum source_role *role, char **location, struct err *err)
{
	static const char what[] = "read a report's source";
	sqlite3_stmt *s;
	int ret = store_prep(st, S_RS_ORIGIN, &s, what, err), rc;

	*report_id = 0;
	if (role)
		*role = SOURCE_PAGE;
	if (location)
		*location = NULL;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, source_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*report_id = sqlite3_column_int64(s, 0);
		if (role)
			*role = role_parse((const char *)sqlite3_column_text(s, 1));
		if (location)
			*location = store_column_dup(s, 2);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}
