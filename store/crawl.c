#include "store/crawl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/store-internal.h"
#include "util/xalloc.h"
#include "util/banned.h"


static const char *const seed_kinds[] = {
	[SEED_AUTO] = "auto",
	[SEED_LISTING] = "listing",
	[SEED_REPORT] = "report",
};

static const char *const frontier_kinds[] = {
	[FK_LISTING] = "listing",
	[FK_REPORT] = "report",
	[FK_ATTACHMENT] = "attachment",
};

static const char *const frontier_states[] = {
	[FS_NEW] = "new",
	[FS_OK] = "ok",
	[FS_FAILED] = "failed",
	[FS_SKIPPED] = "skipped",
	[FS_LISTED] = "listed",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *store_seed_kind_name(enum seed_kind k)
{
	return (unsigned)k < COUNT(seed_kinds) ? seed_kinds[k] : "auto";
}

int store_seed_kind_parse(const char *s, enum seed_kind *out)
{
	for (size_t i = 0; s && i < COUNT(seed_kinds); i++)
		if (!strcmp(s, seed_kinds[i])) {
			*out = (enum seed_kind)i;
			return 0;
		}
	return -1;
}

const char *store_frontier_kind_name(enum frontier_kind k)
{
	return (unsigned)k < COUNT(frontier_kinds) ? frontier_kinds[k] : "listing";
}

const char *store_frontier_state_name(enum frontier_state s)
{
	return (unsigned)s < COUNT(frontier_states) ? frontier_states[s] : "new";
}

/* Index of s in names[0..n), or def when it is none of them (a value from an older ogi). */
static int name_index(const char *const *names, size_t n, const unsigned char *s, int def)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp((const char *)s, names[i]))
			return (int)i;
	return def;
}

/* ---- small helpers ---- */

static const char *db_path(sqlite3 *db)
{
	const char *p = sqlite3_db_filename(db, "main");

	return p && *p ? p : ":memory:";
}

static int db_fail(sqlite3 *db, const char *what, struct err *err)
{
	int rc = sqlite3_errcode(db);
	int code = rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? OGI_EBUSY
		   : rc == SQLITE_FULL || rc == SQLITE_IOERR ? OGI_EIO
							     : OGI_EDB;

	return err_set(err, code, "cannot %s in '%s': %s", what, db_path(db), sqlite3_errmsg(db));
}

static int bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	return v ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
}

/*
 * A write alone is its own transaction; inside the caller's it is a
 * savepoint, so that a failed write leaves the caller's batch as it was.
 */
struct tx {
	int own;
};

static int tx_begin(sqlite3 *db, struct tx *tx, const char *what, struct err *err)
{
	tx->own = sqlite3_get_autocommit(db);
	if (sqlite3_exec(db, tx->own ? "BEGIN IMMEDIATE" : "SAVEPOINT ogi_crawl", NULL, NULL,
			 NULL) != SQLITE_OK)
		return db_fail(db, what, err);
	return 0;
}

static int tx_end(sqlite3 *db, struct tx *tx, int ret, const char *what, struct err *err)
{
	if (!ret) {
		if (sqlite3_exec(db, tx->own ? "COMMIT" : "RELEASE ogi_crawl", NULL, NULL, NULL) ==
		    SQLITE_OK)
			return 0;
		ret = db_fail(db, what, err);
	}
	if (!sqlite3_get_autocommit(db)) {
		if (tx->own) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		} else {
			sqlite3_exec(db, "ROLLBACK TO ogi_crawl", NULL, NULL, NULL);
			sqlite3_exec(db, "RELEASE ogi_crawl", NULL, NULL, NULL);
		}
	}
	return ret;
}

/* Runs one bound statement that returns no rows; finalizes it. */
static int run_once(sqlite3 *db, sqlite3_stmt *s, const char *what, struct err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what, err);
}

/* ---- seeds ---- */

void store_seed_init(struct seed *s)
{
	memset(s, 0, sizeof(*s));
}

void store_seed_release(struct seed *s)
{
	free(s->url);
	free(s->org);
	free(s->level);
	free(s->parent);
	free(s->scope);
	free(s->added_at);
	free(s->last_fetched);
	store_seed_init(s);
}

void store_seed_list_release(struct seed_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		store_seed_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

#define SEED_COLS "s.id, s.url, s.org, s.level, s.parent, s.scope, s.kind, s.added_at"

static void seed_from_row(sqlite3_stmt *s, struct seed *out)
{
	out->id = sqlite3_column_int64(s, 0);
	out->url = store_column_dup(s, 1);
	out->org = store_column_dup(s, 2);
	out->level = store_column_dup(s, 3);
	out->parent = store_column_dup(s, 4);
	out->scope = store_column_dup(s, 5);
	out->kind = (enum seed_kind)name_index(seed_kinds, COUNT(seed_kinds),
					       sqlite3_column_text(s, 6), SEED_AUTO);
	out->added_at = store_column_dup(s, 7);
}

/* NULL for NULL or "": an empty TSV field or option means "not given". */
static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

int store_seed_put(struct store *st, const struct seed *s, int64_t *id, int *created,
		   struct err *err)
{
	static const char what[] = "store seed";
	static const char find_sql[] = "SELECT id FROM seeds WHERE url = ?1";
	static const char insert_sql[] =
		"INSERT INTO seeds (url, org, level, parent, scope, kind, added_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, " NOW_SQL ")";
	static const char update_sql[] =
		"UPDATE seeds SET org = ?2, level = ?3, parent = ?4, scope = ?5, kind = ?6 "
		"WHERE id = ?1";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	struct tx tx;
	int64_t found = 0;
	int ret, rc;

	if (id)
		*id = 0;
	if (created)
		*created = 0;
	if (!s || !or_null(s->url) || !or_null(s->org))
		return err_set(err, OGI_EINVAL, "cannot store seed: no URL or no organization");
	ret = tx_begin(db, &tx, what, err);
	if (ret)
		return ret;
	if (sqlite3_prepare_v2(db, find_sql, -1, &q, NULL) != SQLITE_OK) {
		ret = db_fail(db, what, err);
		goto out;
	}
	store_bind_text(q, 1, s->url);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		found = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	q = NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = db_fail(db, what, err);
		goto out;
	}
	if (sqlite3_prepare_v2(db, found ? update_sql : insert_sql, -1, &q, NULL) != SQLITE_OK) {
		ret = db_fail(db, what, err);
		goto out;
	}
	rc = found ? sqlite3_bind_int64(q, 1, found) : store_bind_text(q, 1, s->url);
	rc |= store_bind_text(q, 2, s->org);
	rc |= store_bind_text(q, 3, or_null(s->level));
	rc |= store_bind_text(q, 4, or_null(s->parent));
	rc |= store_bind_text(q, 5, or_null(s->scope));
	rc |= store_bind_text(q, 6, store_seed_kind_name(s->kind));
	if (rc != SQLITE_OK || sqlite3_step(q) != SQLITE_DONE) {
		ret = db_fail(db, what, err);
		goto out;
	}
	if (!found) {
		found = sqlite3_last_insert_rowid(db);
		if (created)
			*created = 1;
	}
out:
	sqlite3_finalize(q);
	ret = tx_end(db, &tx, ret, what, err);
	if (!ret && id)
		*id = found;
	return ret;
}

int store_seed_get(struct store *st, int64_t id, struct seed *out, struct err *err)
{
	static const char sql[] = "SELECT " SEED_COLS " FROM seeds s WHERE s.id = ?1";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc, ret = 0;

	store_seed_release(out);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "read seed", err);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		seed_from_row(q, out);
	else if (rc == SQLITE_DONE)
		ret = err_set(err, OGI_ENOTFOUND, "no seed %lld in '%s'", (long long)id,
			      db_path(db));
	else
		ret = db_fail(db, "read seed", err);
	sqlite3_finalize(q);
	return ret;
}

int store_seed_list(struct store *st, const char *org, struct seed_list *out, struct err *err)
{
	static const char sql[] =
		"SELECT " SEED_COLS ", "
		"  (SELECT count(*) FROM crawl_urls u WHERE u.seed_id = s.id), "
		"  (SELECT count(*) FROM crawl_urls u WHERE u.seed_id = s.id "
		"     AND u.kind = 'report' AND u.source_id IS NOT NULL), "
		"  (SELECT count(*) FROM crawl_urls u WHERE u.seed_id = s.id "
		"     AND u.state = 'failed'), "
		"  (SELECT max(last_fetched) FROM crawl_urls u WHERE u.seed_id = s.id) "
		"FROM seeds s WHERE (?1 IS NULL OR instr(s.org, ?1) > 0) ORDER BY s.id";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "list seeds", err);
	store_bind_text(q, 1, or_null(org));
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct seed *s;

		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		s = &out->v[out->n++];
		store_seed_init(s);
		seed_from_row(q, s);
		s->urls = (long)sqlite3_column_int64(q, 8);
		s->reports = (long)sqlite3_column_int64(q, 9);
		s->failed = (long)sqlite3_column_int64(q, 10);
		s->last_fetched = store_column_dup(q, 11);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "list seeds", err);
}

int store_seed_remove(struct store *st, int64_t id, struct err *err)
{
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int ret;

	if (sqlite3_prepare_v2(db, "DELETE FROM seeds WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "remove seed", err);
	sqlite3_bind_int64(q, 1, id);
	ret = run_once(db, q, "remove seed", err);
	if (!ret && !sqlite3_changes(db))
		ret = err_set(err, OGI_ENOTFOUND, "no seed %lld in '%s'", (long long)id,
			      db_path(db));
	return ret;
}

/* ---- the frontier ---- */

enum fstmt {
	F_FIND,
	F_INSERT,
	F_DUE,
	F_UNPARSED,
	F_COUNT_SETTLED,
	F_COUNT_ATTACHMENTS,
	F_SETTLE,
	F_SET_KIND,
	F_SET_PARSED,
	F_KNOWN_BYTES,
	F_COUNT_KIND,
	F_COUNT
};

#define URL_COLS \
	"u.id, u.seed_id, u.referrer_id, u.source_id, u.run_id, u.url, u.link_text, u.kind, " \
	"u.state, u.depth, u.result, u.note, u.error, u.etag, u.last_modified, u.sha256, "   \
	"u.parsed, u.http_status, u.failures, u.last_fetched, u.content_sha256, u.post_body"

static const char *const fstmt_sql[F_COUNT] = {
	[F_FIND] = "SELECT id FROM crawl_urls WHERE seed_id = ?1 AND url = ?2 AND post_body = ?3",
	[F_INSERT] = "INSERT INTO crawl_urls (seed_id, url, kind, depth, referrer_id, link_text, "
		     "note, state, post_body, first_seen) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, " NOW_SQL ")",
	/* attachments too: the crawl leaves those it does not fetch (crawl.c) */
	[F_DUE] = "SELECT " URL_COLS " FROM crawl_urls u WHERE u.seed_id = ?1 "
		  "AND u.run_id IS NOT ?2 "
		  "ORDER BY u.url IS NOT (SELECT url FROM seeds WHERE id = ?1), "
		  "u.run_id IS NOT NULL, u.run_id, "
		  "CASE u.kind WHEN 'listing' THEN 0 WHEN 'report' THEN 1 ELSE 2 END, u.id",
	[F_UNPARSED] = "SELECT " URL_COLS " FROM crawl_urls u WHERE u.seed_id = ?1 "
		       "AND u.kind <> 'listing' AND u.source_id IS NOT NULL AND u.parsed = 0 "
		       "ORDER BY u.id",
	[F_COUNT_SETTLED] = "SELECT count(*) FROM crawl_urls WHERE seed_id = ?1 AND run_id = ?2",
	/* documents: a page's pictures are its tables, not a report published as a file */
	[F_COUNT_ATTACHMENTS] = "SELECT count(*) FROM crawl_urls WHERE referrer_id = ?1 "
				"AND kind = 'attachment' AND lower(url) NOT GLOB '*.png' "
				"AND lower(url) NOT GLOB '*.jpg' AND lower(url) NOT GLOB '*.jpeg'",
	[F_SETTLE] = "UPDATE crawl_urls SET run_id = ?2, state = ?3, result = ?4, error = ?5, "
		     "http_status = ?6, etag = coalesce(?7, etag), "
		     "last_modified = coalesce(?8, last_modified), sha256 = coalesce(?9, sha256), "
		     "source_id = coalesce(?10, source_id), "
		     "parsed = CASE WHEN ?11 < 0 THEN parsed ELSE ?11 END, "
		     "failures = CASE WHEN ?3 = 'failed' THEN failures + 1 ELSE 0 END, "
		     "last_fetched = CASE WHEN ?12 THEN " NOW_SQL " ELSE last_fetched END, "
		     "last_changed = CASE WHEN ?13 THEN " NOW_SQL " ELSE last_changed END, "
		     "content_sha256 = coalesce(?14, content_sha256) "
		     "WHERE id = ?1",
	[F_SET_KIND] = "UPDATE crawl_urls SET kind = ?2 WHERE id = ?1",
	[F_SET_PARSED] = "UPDATE crawl_urls SET parsed = 1, note = ?2, "
			 "content_sha256 = coalesce(?3, content_sha256) WHERE id = ?1",
	[F_COUNT_KIND] = "SELECT count(*) FROM crawl_urls WHERE seed_id = ?1 AND kind = ?2",
	[F_KNOWN_BYTES] =
		"SELECT s.id, s.location = ?2 "
		"  OR EXISTS (SELECT 1 FROM report_sources rs WHERE rs.source_id = s.id "
		"    AND rs.location = ?2) "
		"  OR EXISTS (SELECT 1 FROM crawl_urls u WHERE u.source_id = s.id AND u.url = ?2) "
		"FROM sources s WHERE s.sha256 = ?1",
};

struct frontier {
	struct store *st;
	sqlite3 *db;
	sqlite3_stmt *s[F_COUNT];
};

int store_frontier_open(struct store *st, struct frontier **out, struct err *err)
{
	struct frontier *fr = xcalloc(1, sizeof(*fr));

	fr->st = st;
	fr->db = store_sqlite(st);
	for (size_t i = 0; i < F_COUNT; i++)
		if (sqlite3_prepare_v3(fr->db, fstmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &fr->s[i], NULL) != SQLITE_OK) {
			int ret = db_fail(fr->db, "read the frontier", err);

			store_frontier_close(fr);
			*out = NULL;
			return ret;
		}
	*out = fr;
	return 0;
}

void store_frontier_close(struct frontier *fr)
{
	if (!fr)
		return;
	for (size_t i = 0; i < F_COUNT; i++)
		sqlite3_finalize(fr->s[i]);
	free(fr);
}

void store_frontier_url_release(struct frontier_url *u)
{
	free(u->url);
	free(u->link_text);
	free(u->result);
	free(u->note);
	free(u->error);
	free(u->etag);
	free(u->last_modified);
	free(u->last_fetched);
	free(u->post_body);
	memset(u, 0, sizeof(*u));
}

void store_frontier_list_release(struct frontier_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		store_frontier_url_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void url_from_row(sqlite3_stmt *s, struct frontier_url *u)
{
	const unsigned char *sha;

	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, 0);
	u->seed_id = sqlite3_column_int64(s, 1);
	u->referrer_id = sqlite3_column_int64(s, 2);
	u->source_id = sqlite3_column_int64(s, 3);
	u->run_id = sqlite3_column_int64(s, 4);
	u->url = store_column_dup(s, 5);
	u->link_text = store_column_dup(s, 6);
	u->kind = (enum frontier_kind)name_index(frontier_kinds, COUNT(frontier_kinds),
						 sqlite3_column_text(s, 7), FK_LISTING);
	u->state = (enum frontier_state)name_index(frontier_states, COUNT(frontier_states),
						   sqlite3_column_text(s, 8), FS_NEW);
	u->depth = sqlite3_column_int(s, 9);
	u->result = store_column_dup(s, 10);
	u->note = store_column_dup(s, 11);
	u->error = store_column_dup(s, 12);
	u->etag = store_column_dup(s, 13);
	u->last_modified = store_column_dup(s, 14);
	sha = sqlite3_column_text(s, 15);
	if (sha && strlen((const char *)sha) == SHA256_HEX_LEN - 1)
		memcpy(u->sha256, sha, SHA256_HEX_LEN);
	u->parsed = sqlite3_column_int(s, 16);
	u->http_status = sqlite3_column_int(s, 17);
	u->failures = sqlite3_column_int(s, 18);
	u->last_fetched = store_column_dup(s, 19);
	sha = sqlite3_column_text(s, 20);
	if (sha && strlen((const char *)sha) == SHA256_HEX_LEN - 1)
		memcpy(u->content_sha256, sha, SHA256_HEX_LEN);
	u->post_body = store_column_dup(s, 21);
	if (u->post_body && !*u->post_body) {
		free(u->post_body);
		u->post_body = NULL;	/* a GET */
	}
}

/* Steps s (bound by the caller) to the end, appending its rows to out; resets s. */
static int collect_urls(sqlite3 *db, sqlite3_stmt *s, struct frontier_list *out,
			const char *what, struct err *err)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		url_from_row(s, &out->v[out->n++]);
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what, err);
}

int store_frontier_add(struct frontier *fr, int64_t seed_id, const char *url,
		       enum frontier_kind kind, int depth, int64_t referrer_id, const char *text,
		       const char *note, int64_t *id, int *created, struct err *err)
{
	return store_frontier_add_post(fr, seed_id, url, NULL, kind, depth, referrer_id, text,
				       note, id, created, err);
}

int store_frontier_add_post(struct frontier *fr, int64_t seed_id, const char *url,
			    const char *post_body, enum frontier_kind kind, int depth,
			    int64_t referrer_id, const char *text, const char *note, int64_t *id,
			    int *created, struct err *err)
{
	static const char what[] = "store a crawl URL";
	sqlite3_stmt *s;
	struct tx tx;
	int rc, ret;

	*id = 0;
	if (created)
		*created = 0;
	if (!url || !*url)
		return err_set(err, OGI_EINVAL, "cannot store a crawl URL: empty URL");
	/* A known URL needs no write lock: look it up first. */
	ret = store_frontier_find(fr, seed_id, url, post_body, id, err);
	if (ret || *id)
		return ret;

	ret = tx_begin(fr->db, &tx, what, err);
	if (ret)
		return ret;
	s = fr->s[F_INSERT];
	rc = sqlite3_bind_int64(s, 1, seed_id);
	rc |= store_bind_text(s, 2, url);
	rc |= store_bind_text(s, 3, store_frontier_kind_name(kind));
	rc |= sqlite3_bind_int(s, 4, depth);
	rc |= bind_id(s, 5, referrer_id);
	rc |= store_bind_text(s, 6, or_null(text));
	rc |= store_bind_text(s, 7, note);
	rc |= store_bind_text(s, 8, store_frontier_state_name(kind == FK_ATTACHMENT ? FS_LISTED
									       : FS_NEW));
	rc |= store_bind_text(s, 9, post_body ? post_body : "");
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		ret = db_fail(fr->db, what, err);
	else
		*id = sqlite3_last_insert_rowid(fr->db);
	store_stmt_done(s);
	ret = tx_end(fr->db, &tx, ret, what, err);
	if (ret)
		*id = 0;
	else if (created)
		*created = 1;
	return ret;
}

int store_frontier_due(struct frontier *fr, int64_t seed_id, int64_t run_id,
		       struct frontier_list *out, struct err *err)
{
	sqlite3_stmt *s = fr->s[F_DUE];

	sqlite3_bind_int64(s, 1, seed_id);
	sqlite3_bind_int64(s, 2, run_id);
	return collect_urls(fr->db, s, out, "read the frontier", err);
}

int store_frontier_unparsed(struct frontier *fr, int64_t seed_id, struct frontier_list *out,
			    struct err *err)
{
	sqlite3_stmt *s = fr->s[F_UNPARSED];

	sqlite3_bind_int64(s, 1, seed_id);
	return collect_urls(fr->db, s, out, "read the frontier", err);
}

/* The count in the first column of cached statement s, bound by the caller; resets s. */
static int count_of(struct frontier *fr, sqlite3_stmt *s, long *n, struct err *err)
{
	int rc;

	*n = 0;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : db_fail(fr->db, "read the frontier", err);
}

int store_frontier_count_settled(struct frontier *fr, int64_t seed_id, int64_t run_id, long *n,
				 struct err *err)
{
	sqlite3_stmt *s = fr->s[F_COUNT_SETTLED];

	sqlite3_bind_int64(s, 1, seed_id);
	sqlite3_bind_int64(s, 2, run_id);
	return count_of(fr, s, n, err);
}

int store_frontier_count_kind(struct frontier *fr, int64_t seed_id, enum frontier_kind kind,
			      long *n, struct err *err)
{
	sqlite3_stmt *s = fr->s[F_COUNT_KIND];

	sqlite3_bind_int64(s, 1, seed_id);
	store_bind_text(s, 2, store_frontier_kind_name(kind));
	return count_of(fr, s, n, err);
}

int store_frontier_find(struct frontier *fr, int64_t seed_id, const char *url,
			const char *post_body, int64_t *id, struct err *err)
{
	sqlite3_stmt *s = fr->s[F_FIND];
	int rc;

	*id = 0;
	sqlite3_bind_int64(s, 1, seed_id);
	store_bind_text(s, 2, url);
	store_bind_text(s, 3, post_body ? post_body : "");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(fr->db, "read the frontier", err);
}

int store_frontier_count_attachments(struct frontier *fr, int64_t id, long *n, struct err *err)
{
	sqlite3_stmt *s = fr->s[F_COUNT_ATTACHMENTS];

	sqlite3_bind_int64(s, 1, id);
	return count_of(fr, s, n, err);
}

/* Runs cached statement s (bound by the caller) that must change exactly one row. */
static int write_one(struct frontier *fr, sqlite3_stmt *s, int64_t id, const char *what,
		     struct err *err)
{
	struct tx tx;
	int ret = tx_begin(fr->db, &tx, what, err);

	if (ret) {
		store_stmt_done(s);
		return ret;
	}
	if (sqlite3_step(s) != SQLITE_DONE)
		ret = db_fail(fr->db, what, err);
	else if (sqlite3_changes(fr->db) != 1)
		ret = err_set(err, OGI_ENOTFOUND, "cannot %s in '%s': no crawl URL %lld", what,
			      db_path(fr->db), (long long)id);
	store_stmt_done(s);
	return tx_end(fr->db, &tx, ret, what, err);
}

int store_frontier_settle(struct frontier *fr, const struct frontier_result *r,
			  struct err *err)
{
	sqlite3_stmt *s = fr->s[F_SETTLE];
	int rc;

	rc = sqlite3_bind_int64(s, 1, r->id);
	rc |= bind_id(s, 2, r->run_id);
	rc |= store_bind_text(s, 3, store_frontier_state_name(r->state));
	rc |= store_bind_text(s, 4, r->result);
	rc |= store_bind_text(s, 5, or_null(r->error));
	rc |= r->http_status ? sqlite3_bind_int(s, 6, r->http_status) : sqlite3_bind_null(s, 6);
	rc |= store_bind_text(s, 7, r->etag);
	rc |= store_bind_text(s, 8, r->last_modified);
	rc |= store_bind_text(s, 9, r->sha256);
	rc |= bind_id(s, 10, r->source_id);
	rc |= sqlite3_bind_int(s, 11, r->parsed < 0 ? -1 : !!r->parsed);
	rc |= sqlite3_bind_int(s, 12, !!r->fetched);
	rc |= sqlite3_bind_int(s, 13, !!r->changed);
	rc |= store_bind_text(s, 14, r->content_sha256 && *r->content_sha256 ? r->content_sha256 : NULL);
	if (rc != SQLITE_OK) {
		store_stmt_done(s);
		return db_fail(fr->db, "store a crawl result", err);
	}
	return write_one(fr, s, r->id, "store a crawl result", err);
}

int store_frontier_set_kind(struct frontier *fr, int64_t id, enum frontier_kind kind,
			    struct err *err)
{
	sqlite3_stmt *s = fr->s[F_SET_KIND];

	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, store_frontier_kind_name(kind));
	return write_one(fr, s, id, "store a crawl URL", err);
}

int store_frontier_set_parsed(struct frontier *fr, int64_t id, const char *note,
			      const char *content_sha256, struct err *err)
{
	sqlite3_stmt *s = fr->s[F_SET_PARSED];

	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, note);
	store_bind_text(s, 3, content_sha256 && *content_sha256 ? content_sha256 : NULL);
	return write_one(fr, s, id, "store a crawl result", err);
}

int store_frontier_known_bytes(struct frontier *fr, const char *sha256, const char *url,
			       int64_t *source_id, int *at_url, struct err *err)
{
	sqlite3_stmt *s = fr->s[F_KNOWN_BYTES];
	int rc;

	*source_id = 0;
	*at_url = 0;
	store_bind_text(s, 1, sha256);
	store_bind_text(s, 2, url);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*source_id = sqlite3_column_int64(s, 0);
		*at_url = sqlite3_column_int(s, 1);
	}
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(fr->db, "read the frontier", err);
}

int store_frontier_list(struct store *st, const struct frontier_filter *f,
			struct frontier_list *out, struct err *err)
{
	static const char sql[] =
		"SELECT " URL_COLS " FROM crawl_urls u "
		"WHERE (?1 = 0 OR u.seed_id = ?1) AND (?2 = 0 OR u.run_id = ?2) "
		"AND (?3 IS NULL OR u.state = ?3) AND (?4 IS NULL OR u.kind = ?4) "
		/*
		 * attachment-only: pages noted so, and attachments that may be a
		 * report (not read as none) not linked from a page with a report
		 * of its own (a listing links them, or an attachment-only page)
		 */
		"AND (?5 = 0 OR (u.kind = 'report' AND u.note = 'attachment_only') "
		"  OR (u.kind = 'attachment' AND (u.note IS NULL OR u.note <> 'not_a_report') "
		"    AND (u.note = 'report' OR u.note = 'no_tables' OR EXISTS ("
		"      SELECT 1 FROM crawl_urls p WHERE p.id = u.referrer_id "
		"      AND p.note = 'attachment_only')) "
		"    AND NOT EXISTS (SELECT 1 FROM crawl_urls p WHERE p.id = u.referrer_id "
		"      AND p.kind = 'report' AND (p.note IS NULL OR p.note <> 'attachment_only')))) "
		"ORDER BY u.seed_id, u.id";
	static const struct frontier_filter any = { 0, 0, -1, -1, 0 };
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int ret;

	if (!f)
		f = &any;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "list crawl URLs", err);
	sqlite3_bind_int64(q, 1, f->seed_id);
	sqlite3_bind_int64(q, 2, f->run_id);
	store_bind_text(q, 3, f->state >= 0 ? store_frontier_state_name((enum frontier_state)f->state)
				      : NULL);
	store_bind_text(q, 4, f->kind >= 0 ? store_frontier_kind_name((enum frontier_kind)f->kind)
				     : NULL);
	sqlite3_bind_int(q, 5, !!f->attachment_only);
	ret = collect_urls(db, q, out, "list crawl URLs", err);
	sqlite3_finalize(q);
	return ret;
}

/* ---- runs ---- */

int store_crawl_run_start(struct store *st, const char *selection, long pid, int64_t *run_id,
			  int *resumed, struct err *err)
{
	static const char what[] = "start a crawl run";
	static const char last_sql[] =
		"SELECT id, status, selection FROM crawl_runs ORDER BY id DESC LIMIT 1";
	static const char stop_sql[] =
		"UPDATE crawl_runs SET status = 'interrupted', finished_at = " NOW_SQL
		" WHERE status = 'running'";
	static const char resume_sql[] = "UPDATE crawl_runs SET pid = ?2 WHERE id = ?1";
	static const char insert_sql[] =
		"INSERT INTO crawl_runs (pid, selection, started_at, status) "
		"VALUES (?1, ?2, " NOW_SQL ", 'running')";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	struct tx tx;
	int64_t last = 0;
	int ret, rc;

	*run_id = 0;
	*resumed = 0;
	ret = tx_begin(db, &tx, what, err);
	if (ret)
		return ret;
	if (sqlite3_prepare_v2(db, last_sql, -1, &q, NULL) != SQLITE_OK) {
		ret = db_fail(db, what, err);
		goto out;
	}
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(q, 1);
		const char *sel = (const char *)sqlite3_column_text(q, 2);

		if (status && sel && !strcmp(status, "running") && !strcmp(sel, selection))
			last = sqlite3_column_int64(q, 0);
	} else if (rc != SQLITE_DONE) {
		ret = db_fail(db, what, err);
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (last) {
		if (sqlite3_prepare_v2(db, resume_sql, -1, &q, NULL) != SQLITE_OK) {
			ret = db_fail(db, what, err);
			goto out;
		}
		sqlite3_bind_int64(q, 1, last);
		sqlite3_bind_int64(q, 2, pid);
		ret = run_once(db, q, what, err);
		q = NULL;
		if (!ret) {
			*run_id = last;
			*resumed = 1;
		}
		goto out;
	}
	if (sqlite3_exec(db, stop_sql, NULL, NULL, NULL) != SQLITE_OK) {
		ret = db_fail(db, what, err);
		goto out;
	}
	if (sqlite3_prepare_v2(db, insert_sql, -1, &q, NULL) != SQLITE_OK) {
		ret = db_fail(db, what, err);
		goto out;
	}
	sqlite3_bind_int64(q, 1, pid);
	store_bind_text(q, 2, selection);
	ret = run_once(db, q, what, err);
	q = NULL;
	if (!ret)
		*run_id = sqlite3_last_insert_rowid(db);
out:
	sqlite3_finalize(q);
	ret = tx_end(db, &tx, ret, what, err);
	if (ret) {
		*run_id = 0;
		*resumed = 0;
	}
	return ret;
}

int store_crawl_run_finish(struct store *st, int64_t run_id, const char *status,
			   const char *stopped, struct err *err)
{
	static const char sql[] =
		"UPDATE crawl_runs SET status = ?2, stopped = ?3, finished_at = " NOW_SQL
		" WHERE id = ?1";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "finish a crawl run", err);
	sqlite3_bind_int64(q, 1, run_id);
	store_bind_text(q, 2, status);
	store_bind_text(q, 3, stopped);
	return run_once(db, q, "finish a crawl run", err);
}

int store_crawl_run_counts(struct store *st, int64_t run_id, int64_t seed_id,
			   struct crawl_counts *c, struct err *err)
{
	static const char sql[] =
		"SELECT "
		"  count(*) FILTER (WHERE kind = 'listing'), "
		"  count(*) FILTER (WHERE kind = 'report'), "
		"  count(*) FILTER (WHERE kind <> 'listing' AND result = 'new'), "
		"  count(*) FILTER (WHERE kind <> 'listing' AND result = 'changed'), "
		"  count(*) FILTER (WHERE kind <> 'listing' AND (result = 'unchanged' "
		"    OR result = 'not_modified')), "
		"  count(*) FILTER (WHERE state = 'failed'), "
		"  count(*) FILTER (WHERE state = 'skipped'), "
		"  count(*) FILTER (WHERE kind <> 'listing' AND state = 'ok' AND (note = 'no_tables' "
		"    OR note = 'attachment_only' OR note = 'not_a_report')), "
		"  count(*) FILTER (WHERE kind = 'report' AND state = 'ok' "
		"    AND note = 'attachment_only'), "
		"  count(*) FILTER (WHERE depth = 0 AND (state = 'failed' OR state = 'skipped')), "
		"  count(*) FILTER (WHERE kind = 'attachment'), "
		"  count(*) FILTER (WHERE kind <> 'listing' AND result = 'same') "
		"FROM crawl_urls WHERE run_id = ?1 AND seed_id = ?2";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "count crawl results", err);
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_int64(q, 2, seed_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		long *f[] = { &c->listing, &c->reports, &c->new_reports, &c->changed,
			      &c->unchanged, &c->failed, &c->skipped, &c->no_tables,
			      &c->attachment_only, &c->seed_failed, &c->attachments, &c->same };

		for (size_t i = 0; i < COUNT(f); i++)
			*f[i] = (long)sqlite3_column_int64(q, (int)i);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "count crawl results", err);
}

/* ---- attachments and their pages' reports ---- */

int store_frontier_report(struct store *st, int64_t id, int64_t *report_id, struct err *err)
{
	static const char sql[] =
		"SELECT rs.report_id FROM crawl_urls u "
		"JOIN report_sources rs ON rs.source_id = u.source_id WHERE u.id = ?1 "
		"ORDER BY rs.location = u.url DESC, rs.report_id DESC LIMIT 1";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc;

	*report_id = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "read the frontier", err);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*report_id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "read the frontier", err);
}

int store_source_attachment(struct store *st, int64_t source_id, int *is_attachment,
			    int64_t *page_report, char **link_text, struct err *err)
{
	static const char sql[] =
		"SELECT u.link_text, (SELECT rs.report_id FROM crawl_urls p "
		"  JOIN report_sources rs ON rs.source_id = p.source_id WHERE p.id = u.referrer_id "
		"  ORDER BY rs.location = p.url DESC, rs.report_id DESC LIMIT 1) "
		"FROM crawl_urls u WHERE u.source_id = ?1 AND u.kind = 'attachment' "
		"ORDER BY u.id LIMIT 1";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc;

	*is_attachment = 0;
	*page_report = 0;
	if (link_text)
		*link_text = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "read the frontier", err);
	sqlite3_bind_int64(q, 1, source_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*is_attachment = 1;
		if (link_text)
			*link_text = store_column_dup(q, 0);
		*page_report = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "read the frontier", err);
}

int store_attachment_at(struct store *st, const char *url, int64_t *source_id, struct err *err)
{
	/* the latest bytes of any seed's row; a full scan, for pages of pictures only */
	static const char sql[] =
		"SELECT source_id FROM crawl_urls WHERE url = ?1 AND kind = 'attachment' "
		"AND source_id IS NOT NULL ORDER BY last_fetched DESC, id DESC LIMIT 1";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc;

	*source_id = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "read the frontier", err);
	sqlite3_bind_text(q, 1, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*source_id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "read the frontier", err);
}

void store_crawl_reason_list_release(struct crawl_reason_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].reason);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int store_crawl_run_failures(struct store *st, int64_t run_id, struct crawl_reason_list *out,
			     struct err *err)
{
	static const char sql[] =
		"SELECT coalesce(result, 'failed'), count(*) FROM crawl_urls "
		"WHERE run_id = ?1 AND state = 'failed' GROUP BY 1 ORDER BY 2 DESC, 1";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "count crawl results", err);
	sqlite3_bind_int64(q, 1, run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n].reason = store_column_dup(q, 0);
		out->v[out->n++].n = (long)sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "count crawl results", err);
}

/* ---- hosts ---- */

void store_crawl_host_list_release(struct crawl_host_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].origin);
		free(l->v[i].reason);
		free(l->v[i].detail);
		free(l->v[i].updated_at);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int store_crawl_host_put(struct store *st, const struct crawl_host *h, struct err *err)
{
	static const char sql[] =
		"INSERT INTO crawl_hosts (origin, paused_until, reason, detail, updated_at) "
		"VALUES (?1, CASE WHEN ?2 > 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ', ?2, 'unixepoch') "
		"END, ?3, ?4, " NOW_SQL ") "
		"ON CONFLICT (origin) DO UPDATE SET paused_until = excluded.paused_until, "
		"reason = excluded.reason, detail = excluded.detail, "
		"updated_at = excluded.updated_at";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;

	if (!h->origin || !h->reason)
		return err_set(err, OGI_EINVAL, "cannot store a crawl host: no origin or reason");
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "store a crawl host", err);
	store_bind_text(q, 1, h->origin);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)h->paused_until);
	store_bind_text(q, 3, h->reason);
	store_bind_text(q, 4, h->detail);
	return run_once(db, q, "store a crawl host", err);
}

int store_crawl_hosts_paused(struct store *st, time_t now, struct crawl_host_list *out,
			     struct err *err)
{
	/* the text is compared as a time, so that a hand-edited value in another form still works */
	static const char sql[] =
		"SELECT origin, CAST(strftime('%s', paused_until) AS INTEGER), reason, detail, "
		"  updated_at FROM crawl_hosts "
		"WHERE CAST(strftime('%s', paused_until) AS INTEGER) > ?1 ORDER BY origin";
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *q = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "read crawl hosts", err);
	sqlite3_bind_int64(q, 1, (sqlite3_int64)now);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct crawl_host *h;

		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		h = &out->v[out->n++];
		h->origin = store_column_dup(q, 0);
		h->paused_until = (time_t)sqlite3_column_int64(q, 1);
		h->reason = store_column_dup(q, 2);
		h->detail = store_column_dup(q, 3);
		h->updated_at = store_column_dup(q, 4);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "read crawl hosts", err);
}
