#include "store/body.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-internal.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"


/* A body's row as struct body reads it: the columns of v_bodies, from bodies b. */
#define BODY_SQL                                                                         \
	"SELECT b.id, b.name, b.level, b.parent_id, p.name, b.level_fixed, b.parent_fixed, " \
	"(SELECT group_concat(alias, '; ') FROM (SELECT alias FROM body_aliases "          \
	"  WHERE body_id = b.id ORDER BY alias)), "                                         \
	"(SELECT count(*) FROM reports r WHERE r.body_id = b.id AND r.current = 1), "       \
	"(SELECT min(year) FROM reports r WHERE r.body_id = b.id AND r.current = 1), "      \
	"(SELECT max(year) FROM reports r WHERE r.body_id = b.id AND r.current = 1) "       \
	"FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id "

void store_body_release(struct body *b)
{
	free(b->name);
	free(b->level);
	free(b->parent);
	free(b->aliases);
	memset(b, 0, sizeof(*b));
}

void store_body_list_release(struct body_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		store_body_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void read_body(sqlite3_stmt *s, struct body *b)
{
	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(s, 0);
	b->name = store_column_dup(s, 1);
	b->level = store_column_dup(s, 2);
	b->parent_id = sqlite3_column_int64(s, 3);
	b->parent = store_column_dup(s, 4);
	b->level_fixed = sqlite3_column_int(s, 5);
	b->parent_fixed = sqlite3_column_int(s, 6);
	b->aliases = store_column_dup(s, 7);
	b->reports = (long)sqlite3_column_int64(s, 8);
	b->first_year = sqlite3_column_int(s, 9);
	b->last_year = sqlite3_column_int(s, 10);
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what,
		   struct err *err)
{
	if (sqlite3_prepare_v2(store_sqlite(st), sql, -1, s, NULL) != SQLITE_OK) {
		*s = NULL;
		return store_fail(st, what, err);
	}
	return 0;
}

/*
 * Runs sql with ?1 bound to a and ?2 to t, or to b when t is NULL (a
 * statement without ?2 ignores it).
 */
static int run(struct store *st, const char *sql, int64_t a, int64_t b, const char *t,
	       const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, sql, &s, what, err), rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, a);
	if (t)
		sqlite3_bind_text(s, 2, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, what, err);
}

int store_body_get(struct store *st, int64_t id, struct body *out, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, BODY_SQL "WHERE b.id = ?1", &s, "read a body", err), rc;

	memset(out, 0, sizeof(*out));
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_body(s, out);
	else if (rc == SQLITE_DONE)
		ret = err_set(err, OGI_ENOTFOUND, "no body %lld in '%s'", (long long)id,
			      store_path(st));
	else
		ret = store_fail(st, "read a body", err);
	sqlite3_finalize(s);
	return ret;
}

/* A whole decimal number: a body's id. */
static int parse_id(const char *s, int64_t *id)
{
	int64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*id = v;
	return 0;
}

int store_body_find(struct store *st, const char *which, struct body *out, struct err *err)
{
	static const char sql[] = "SELECT id FROM bodies WHERE name = ?1 UNION ALL "
				  "SELECT body_id FROM body_aliases WHERE alias = ?1 LIMIT 1";
	sqlite3_stmt *s;
	int64_t id = 0;
	int ret, rc;

	memset(out, 0, sizeof(*out));
	if (!parse_id(which, &id))
		return store_body_get(st, id, out, err);
	ret = prepare(st, sql, &s, "read a body", err);
	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, which, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "read a body", err);
	if (!id)
		return err_set(err, OGI_ENOTFOUND, "no body named '%s' in '%s'", which,
			       store_path(st));
	return store_body_get(st, id, out, err);
}

int store_body_list(struct store *st, const struct report_filter *f, struct body_list *out,
		    struct err *err)
{
	struct buf sql = BUF_INIT(BUF_NOLIMIT);
	sqlite3_stmt *s = NULL;
	int param = FILTER_FIRST_PARAM, ret, rc;

	buf_adds(&sql, BODY_SQL "WHERE ");
	filter_sql(&sql, f, 0, &param);
	buf_adds(&sql, " ORDER BY b.name");
	ret = prepare(st, buf_str(&sql), &s, "list bodies", err);
	buf_release(&sql);
	if (ret)
		return ret;
	filter_bind(s, f, 0, FILTER_FIRST_PARAM);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ALLOC_GROW(out->v, st_add(out->n, 1), out->alloc);
		read_body(s, &out->v[out->n++]);
	}
	if (rc != SQLITE_DONE)
		ret = store_fail(st, "list bodies", err);
	sqlite3_finalize(s);
	return ret;
}

/* Touches every year of body's reports, so that their checks run again. */
static int touch_years(struct store *st, int64_t body_id, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, "SELECT DISTINCT coalesce(year, 0) FROM reports WHERE body_id = ?1",
			  &s, what, err), rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		store_touch(st, body_id, sqlite3_column_int(s, 0));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

/* Chooses the current report of each year of body again. */
static int refresh_years(struct store *st, int64_t body_id, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int *years = NULL, ret;
	size_t n = 0, alloc = 0;
	int rc;

	ret = prepare(st, "SELECT DISTINCT coalesce(year, 0) FROM reports WHERE body_id = ?1", &s,
		      what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ALLOC_GROW(years, st_add(n, 1), alloc);
		years[n++] = sqlite3_column_int(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		ret = store_fail(st, what, err);
	for (size_t i = 0; !ret && i < n; i++)
		ret = store_refresh_current(st, body_id, years[i], err);
	free(years);
	return ret;
}

/* The body that has name as its name or an alias, 0 when none. */
static int named(struct store *st, const char *name, int64_t *id, const char *what,
		 struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, "SELECT id FROM bodies WHERE name = ?1 UNION ALL "
			      "SELECT body_id FROM body_aliases WHERE alias = ?1 LIMIT 1",
			  &s, what, err), rc;

	*id = 0;
	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

/* Seeds that publish for body_id take its name, level and parent again. */
static int sync_seeds(struct store *st, int64_t body_id, const char *what, struct err *err)
{
	return run(st, "UPDATE seeds SET (org, level, parent) = (SELECT b.name, b.level, p.name "
		       "FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id WHERE b.id = ?1) "
		       "WHERE body_id = ?1", body_id, 0, NULL, what, err);
}

static int add_alias(struct store *st, int64_t id, const char *alias, const char *kind,
		     const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prepare(st, "INSERT INTO body_aliases (alias, body_id, kind, added_at) "
			      "VALUES (?1, ?2, ?3, " NOW_SQL ") ON CONFLICT (alias) DO UPDATE "
			      "SET body_id = excluded.body_id",
			  &s, what, err), rc;

	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, alias, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

int store_body_rename(struct store *st, int64_t id, const char *name, struct err *err)
{
	static const char what[] = "rename a body";
	struct store_tx tx;
	struct body b;
	int64_t other;
	int ret;

	if (!name || !*name)
		return err_set(err, OGI_EINVAL, "cannot rename a body: no name given");
	ret = store_body_get(st, id, &b, err);
	if (ret)
		return ret;
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		goto out;
	ret = named(st, name, &other, what, err);
	if (!ret && other && other != id)
		ret = err_set(err, OGI_EINVAL,
			      "cannot rename body %lld to '%s': body %lld has that name; merge "
			      "them with 'ogi body merge'", (long long)id, name, (long long)other);
	if (!ret && strcmp(b.name, name)) {
		ret = run(st, "DELETE FROM body_aliases WHERE alias = ?2 AND body_id = ?1", id, -1,
			  name, what, err);
		if (!ret)
			ret = run(st, "UPDATE bodies SET name = ?2 WHERE id = ?1", id, -1, name, what,
				  err);
		if (!ret)
			ret = add_alias(st, id, b.name, "old_name", what, err);
		if (!ret)
			ret = sync_seeds(st, id, what, err);
		if (!ret)
			ret = touch_years(st, id, what, err);
	}
	ret = store_tx_end(st, &tx, ret, what, err);
out:
	store_body_release(&b);
	return ret;
}

int store_body_merge(struct store *st, int64_t from, int64_t into, struct err *err)
{
	static const char what[] = "merge bodies";
	struct store_tx tx;
	struct body a, b;
	int ret;

	memset(&b, 0, sizeof(b));
	if (from == into)
		return err_set(err, OGI_EINVAL, "cannot merge body %lld into itself",
			       (long long)from);
	ret = store_body_get(st, from, &a, err);
	if (!ret)
		ret = store_body_get(st, into, &b, err);
	if (ret)
		goto out;
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		goto out;
	/* the years of both, before the reports move: each chooses its current report again */
	ret = touch_years(st, from, what, err);
	if (!ret)
		ret = run(st, "UPDATE reports SET body_id = ?2, current = 0 WHERE body_id = ?1", from,
			  into, NULL, what, err);
	if (!ret)
		ret = run(st, "UPDATE body_aliases SET body_id = ?2 WHERE body_id = ?1", from, into,
			  NULL, what, err);
	if (!ret)
		ret = run(st, "UPDATE bodies SET parent_id = ?2 WHERE parent_id = ?1", from, into,
			  NULL, what, err);
	/* into under from would now be under itself: it takes from's parent */
	if (!ret)
		ret = run(st, "UPDATE bodies SET parent_id = (SELECT parent_id FROM bodies "
			      "WHERE id = ?1) WHERE id = ?2 AND parent_id = ?2", from, into, NULL, what,
			  err);
	if (!ret)
		ret = run(st, "UPDATE bodies SET parent_id = NULL WHERE id = ?2 AND parent_id = ?2",
			  from, into, NULL, what, err);
	if (!ret)
		ret = run(st, "UPDATE bodies SET level = coalesce(level, (SELECT level FROM bodies "
			      "WHERE id = ?1)) WHERE id = ?2", from, into, NULL, what, err);
	if (!ret)
		ret = run(st, "UPDATE seeds SET body_id = ?2 WHERE body_id = ?1", from, into, NULL,
			  what, err);
	if (!ret)
		ret = run(st, "DELETE FROM bodies WHERE id = ?1", from, 0, NULL, what,
			  err);
	if (!ret)
		ret = add_alias(st, into, a.name, "merged", what, err);
	if (!ret)
		ret = sync_seeds(st, into, what, err);
	/* the groups of from, touched above, are empty now; into's choose again */
	if (!ret)
		ret = refresh_years(st, into, what, err);
	ret = store_tx_end(st, &tx, ret, what, err);
out:
	store_body_release(&a);
	store_body_release(&b);
	return ret;
}

int store_body_alias(struct store *st, int64_t id, const char *alias, int remove,
		     struct err *err)
{
	static const char what[] = "change a body's aliases";
	struct store_tx tx;
	int64_t other = 0;
	int ret;

	if (!alias || !*alias)
		return err_set(err, OGI_EINVAL, "cannot add an alias: no name given");
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = named(st, alias, &other, what, err);
	if (!ret && remove) {
		if (other != id)
			ret = err_set(err, OGI_ENOTFOUND, "body %lld has no alias '%s'", (long long)id,
				      alias);
		else
			ret = run(st, "DELETE FROM body_aliases WHERE body_id = ?1 AND alias = ?2", id,
				  -1, alias, what, err);
	} else if (!ret && other && other != id) {
		ret = err_set(err, OGI_EINVAL,
			      "cannot give body %lld the alias '%s': body %lld has that name; merge "
			      "them with 'ogi body merge'", (long long)id, alias, (long long)other);
	} else if (!ret && !other) {
		ret = add_alias(st, id, alias, "alias", what, err);
	}
	return store_tx_end(st, &tx, ret, what, err);
}

int store_body_set_level(struct store *st, int64_t id, const char *level, struct err *err)
{
	static const char what[] = "set a body's level";
	struct store_tx tx;
	struct body b;
	int ret = store_body_get(st, id, &b, err);

	store_body_release(&b);
	if (ret)
		return ret;
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	if (level)
		ret = run(st, "UPDATE bodies SET level = ?2, level_fixed = 1 WHERE id = ?1", id, -1,
			  level, what, err);
	else
		ret = run(st, "UPDATE bodies SET level_fixed = 0 WHERE id = ?1", id, 0,
			  NULL, what, err);
	if (!ret)
		ret = sync_seeds(st, id, what, err);
	return store_tx_end(st, &tx, ret, what, err);
}

int store_body_set_parent(struct store *st, int64_t id, int64_t parent_id, int unpin,
			  struct err *err)
{
	static const char what[] = "set a body's parent";
	static const char loop_sql[] =
		"WITH RECURSIVE up(id) AS (SELECT ?2 UNION SELECT b.parent_id FROM bodies b "
		"JOIN up ON b.id = up.id WHERE b.parent_id IS NOT NULL) "
		"SELECT 1 FROM up WHERE id = ?1";
	struct store_tx tx;
	struct body b;
	sqlite3_stmt *s;
	int ret = store_body_get(st, id, &b, err), rc;

	store_body_release(&b);
	if (!ret && parent_id)
		ret = store_body_get(st, parent_id, &b, err);
	store_body_release(&b);
	if (ret)
		return ret;
	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	if (unpin) {
		ret = run(st, "UPDATE bodies SET parent_fixed = 0 WHERE id = ?1", id, 0,
			  NULL, what, err);
		goto out;
	}
	if (parent_id) {
		ret = prepare(st, loop_sql, &s, what, err);
		if (ret)
			goto out;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, parent_id);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc == SQLITE_ROW)
			ret = err_set(err, OGI_EINVAL,
				      "cannot put body %lld under body %lld: it is under body %lld "
				      "already (a loop)", (long long)id, (long long)parent_id,
				      (long long)id);
		else if (rc != SQLITE_DONE)
			ret = store_fail(st, what, err);
		if (ret)
			goto out;
	}
	ret = run(st, "UPDATE bodies SET parent_id = nullif(?2, 0), parent_fixed = 1 WHERE id = ?1",
		  id, parent_id, NULL, what, err);
	if (!ret)
		ret = sync_seeds(st, id, what, err);
out:
	return store_tx_end(st, &tx, ret, what, err);
}

int store_seed_set_body(struct store *st, int64_t seed_id, int64_t body_id, struct err *err)
{
	static const char what[] = "set a seed's body";
	struct store_tx tx;
	int ret = store_tx_begin(st, &tx, what, err);

	if (ret)
		return ret;
	ret = run(st, "UPDATE seeds SET body_id = ?2 WHERE id = ?1", seed_id, body_id, NULL, what,
		  err);
	if (!ret)
		ret = sync_seeds(st, body_id, what, err);
	return store_tx_end(st, &tx, ret, what, err);
}
