/*
 * Sources: the bytes of every page and file fetched, stored once by
 * their SHA-256 with their fetch metadata (store.h), and read back for
 * parsing.  Nothing fetched is lost, even a page that turns out to be no
 * report.
 */
#include <string.h>

#include <sqlite3.h>

#include "store/store-internal.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "util/banned.h"

int store_put_source(struct store *st, const struct source_meta *m, const void *bytes, size_t len,
		     int64_t *source_id, int *is_new, struct err *err)
{
	static const char what[] = "store source";
	char hash[SHA256_HEX_LEN];
	sqlite3_stmt *s = NULL;
	struct store_tx tx;
	int ret = 0, rc = 0;
	int64_t id = 0;
	int inserted = 0;

	if (source_id)
		*source_id = 0;
	if (is_new)
		*is_new = 0;
	if (!m || !m->location || (!bytes && len))
		return err_set(err, OGI_EINVAL, "cannot store source: no location or no bytes");
	/* A crawl has hashed the page already, to compare it with the last fetch. */
	if (m->sha256 && strlen(m->sha256) == SHA256_HEX_LEN - 1)
		memcpy(hash, m->sha256, SHA256_HEX_LEN);
	else
		sha256_hex(bytes, len, hash);

	/* The common case on a re-crawl: known bytes, nothing to lock or write. */
	ret = store_prep(st, S_SOURCE_BY_HASH, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, what, err);
	if (id)
		goto done;

	ret = store_tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = store_prep(st, S_SOURCE_INSERT, &s, what, err);
	if (ret)
		goto out;
	rc = store_bind_text(s, 1, m->location);
	rc |= sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
	/* A NULL blob would be SQL NULL; an empty page is a zero-length blob. */
	rc |= len ? sqlite3_bind_blob64(s, 3, bytes, len, SQLITE_STATIC)
		  : sqlite3_bind_zeroblob(s, 3, 0);
	rc |= sqlite3_bind_int64(s, 4, (sqlite3_int64)len);
	rc |= store_bind_text(s, 5, m->content_type);
	rc |= store_bind_text(s, 6, m->fetched_at);
	rc |= sqlite3_bind_int(s, 7, m->http_status);
	rc |= store_bind_text(s, 8, m->etag);
	rc |= store_bind_text(s, 9, m->last_modified);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
		ret = store_fail(st, what, err);
		goto out;
	}
	inserted = sqlite3_changes(store_sqlite(st)) > 0;
	if (inserted)
		id = sqlite3_last_insert_rowid(store_sqlite(st));
	store_stmt_done(s);
	s = NULL;
	if (!inserted) {
		/* Another writer stored the same bytes between our look-up and the lock. */
		ret = store_prep(st, S_SOURCE_BY_HASH, &s, what, err);
		if (ret)
			goto out;
		sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW) {
			ret = store_fail(st, what, err);
			goto out;
		}
		id = sqlite3_column_int64(s, 0);
	}
out:
	store_stmt_done(s);
	ret = store_tx_end(st, &tx, ret, what, err);
	if (ret)
		return ret;
done:
	if (source_id)
		*source_id = id;
	if (is_new)
		*is_new = inserted;
	return 0;
}

int store_get_source(struct store *st, int64_t source_id, char **bytes, size_t *len,
		     char **location, char **content_type, struct err *err)
{
	static const char what[] = "read source";
	sqlite3_stmt *s;
	int ret = 0, rc;

	*bytes = NULL;
	*len = 0;
	if (location)
		*location = NULL;
	if (content_type)
		*content_type = NULL;
	ret = store_prep(st, S_SOURCE_GET, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, source_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		/* blob before bytes: the order the SQLite documentation asks for */
		const void *p = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		char *copy = xmalloc(st_add(n, 1));

		if (n)
			memcpy(copy, p, n);
		copy[n] = '\0';
		*bytes = copy;
		*len = n;
		if (location)
			*location = store_column_dup(s, 1);
		if (content_type)
			*content_type = store_column_dup(s, 2);
	} else if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "no source %lld in '%s'", (long long)source_id,
			      store_path(st));
	} else {
		ret = store_fail(st, what, err);
	}
	store_stmt_done(s);
	return ret;
}
