#include "store/store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/schema.h"
#include "store/store-internal.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The body a report without an organization is filed under; read back as NULL. */
#define UNKNOWN_BODY STORE_UNKNOWN_BODY

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/*
 * Statements are prepared on first use and kept for the life of the
 * handle: ingest stores a report as ~150 inserts, so re-preparing them
 * would dominate.  Every user resets its statement before returning.
 */
enum stmt_id {
	S_SOURCE_BY_HASH,
	S_SOURCE_INSERT,
	S_SOURCE_GET,
	S_SOURCE_LOCATION,
	S_BODY_FIND,
	S_BODY_INSERT,
	S_BODY_SET_LEVEL,
	S_BODY_SET_PARENT,
	S_REPORT_BY_LOCATION,
	S_REPORT_INSERT,
	S_REPORT_UPDATE,
	S_FIGURES_DELETE,
	S_CLAIMS_DELETE,
	S_FINDINGS_DELETE,
	S_FINDINGS_DELETE_RULE,
	S_FIGURE_INSERT,
	S_CLAIM_INSERT,
	S_FINDING_INSERT,
	S_REPORT_OF_SOURCE,
	S_REPORT_AT_LOCATION,
	S_REPORT_GET,
	S_FIGURES_GET,
	S_FIGURES_GET_TABLE,
	S_CLAIMS_GET,
	S_REPORT_BODY_YEAR,
	S_REPORT_OF_BODY_YEAR,
	S_STALE,
	S_REPORT_EXISTS,
	S_RS_PUT,
	S_RS_UNCHOOSE,
	S_RS_LIST,
	S_RS_ORIGIN,
	S_CURRENT_PICK,
	S_CURRENT_SET,
	S_CURRENT_EACH,
	S_BODY_NAME,
	S_FIXES_PARSED,
	S_FIXES_APPLY,
	S_COUNT
};

/* The report columns after the key, bound as ?2..?15 by both the insert and the update. */
#define REPORT_COLS \
	"source_id, body_id, year, format, status, missing, title, published, charset, " \
	"parser_version, organization_from, year_from, publisher, reason, parsed_at"

static const char *const stmt_sql[S_COUNT] = {
	[S_SOURCE_BY_HASH] = "SELECT id FROM sources WHERE sha256 = ?1",
	[S_SOURCE_INSERT] =
		"INSERT INTO sources (location, sha256, content, size, content_type, fetched_at, "
		"http_status, etag, last_modified, first_seen) "
		"VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, " NOW_SQL "), ?7, ?8, ?9, " NOW_SQL ") "
		"ON CONFLICT (sha256) DO NOTHING",
	[S_SOURCE_GET] = "SELECT content, location, content_type FROM sources WHERE id = ?1",
	[S_SOURCE_LOCATION] = "SELECT location FROM sources WHERE id = ?1",
	/* A body by its name, else by an alias (a name it had, a body merged into it). */
	[S_BODY_FIND] = "SELECT id, level FROM bodies WHERE name = ?1 "
			"UNION ALL SELECT b.id, b.level FROM body_aliases a "
			"JOIN bodies b ON b.id = a.body_id WHERE a.alias = ?1 LIMIT 1",
	[S_BODY_INSERT] = "INSERT INTO bodies (name, level) VALUES (?1, ?2)",
	[S_BODY_SET_LEVEL] = "UPDATE bodies SET level = ?2 WHERE id = ?1 AND level IS NULL "
			     "AND NOT level_fixed",
	/* a parent a user set (ogi body set-parent) stays; none that would make a loop */
	[S_BODY_SET_PARENT] =
		"UPDATE bodies SET parent_id = ?2 WHERE id = ?1 AND parent_id IS NOT ?2 "
		"AND NOT parent_fixed AND ?2 NOT IN (WITH RECURSIVE up(id) AS (SELECT ?2 "
		"UNION SELECT b.parent_id FROM bodies b JOIN up ON b.id = up.id "
		"WHERE b.parent_id IS NOT NULL) SELECT id FROM up WHERE id = ?1)",
	[S_REPORT_BY_LOCATION] = "SELECT id, body_id, year FROM reports WHERE location = ?1",
	[S_REPORT_INSERT] = "INSERT INTO reports (location, " REPORT_COLS ", name_read) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
			    NOW_SQL ", ?16)",
	[S_REPORT_UPDATE] = "UPDATE reports SET (" REPORT_COLS ", name_read) = "
			    "(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, " NOW_SQL
			    ", ?16) WHERE id = ?1",
	[S_FIGURES_DELETE] = "DELETE FROM figures WHERE report_id = ?1",
	[S_CLAIMS_DELETE] = "DELETE FROM claims WHERE report_id = ?1",
	[S_FINDINGS_DELETE] = "DELETE FROM findings WHERE report_id = ?1",
	[S_FINDINGS_DELETE_RULE] = "DELETE FROM findings WHERE report_id = ?1 AND rule = ?2",
	/* One statement for the whole cell, provenance included: it runs ~150 times a report. */
	[S_FIGURE_INSERT] = "INSERT INTO figures (report_id, tbl, row_key, col_key, value, raw, "
			    "blank, state, how, inferred, src_table, src_row, src_col, src_line) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[S_CLAIM_INSERT] = "INSERT INTO claims (report_id, seq, claim_key, value, raw) "
			   "VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_FINDING_INSERT] =
		"INSERT INTO findings (report_id, rule, kind, where_, cells, expected_expr, "
		"expected, found_expr, found, message) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	/*
	 * The chosen source's version is also the report's (v_reports), which
	 * a user may have lowered to have it read again: the lower one counts.
	 */
	[S_REPORT_OF_SOURCE] = "SELECT rs.report_id, CASE WHEN rs.chosen "
			       "THEN min(rs.parser_version, r.parser_version) "
			       "ELSE rs.parser_version END "
			       "FROM report_sources rs JOIN reports r ON r.id = rs.report_id "
			       "WHERE rs.source_id = ?1 ORDER BY rs.report_id DESC LIMIT 1",
	[S_REPORT_AT_LOCATION] = "SELECT id, parser_version FROM reports WHERE location = ?1",
	[S_REPORT_GET] =
		"SELECT r.id, r.source_id, r.body_id, r.parser_version, r.location, s.fetched_at, "
		"b.name, b.level, p.name, r.year, r.format, r.status, r.missing, r.title, "
		"r.published, r.charset, r.organization_from, r.year_from, r.publisher, r.reason, "
		"r.current FROM reports r JOIN bodies b ON b.id = r.body_id "
		"LEFT JOIN bodies p ON p.id = b.parent_id "
		"JOIN sources s ON s.id = r.source_id WHERE r.id = ?1",
#define FIGURES_GET_SQL                                                        \
	"SELECT tbl, row_key, col_key, value, raw, state, how, inferred, src_table, " \
	"src_row, src_col, src_line FROM figures WHERE report_id = ?1"
	[S_FIGURES_GET] = FIGURES_GET_SQL,
	[S_FIGURES_GET_TABLE] = FIGURES_GET_SQL " AND tbl = ?2",
	[S_CLAIMS_GET] = "SELECT claim_key, value, raw FROM claims WHERE report_id = ?1 "
			 "ORDER BY seq",
	[S_REPORT_BODY_YEAR] = "SELECT body_id, year FROM reports WHERE id = ?1",
	/* The report of a body and year: its current one (store_refresh_current()). */
	[S_REPORT_OF_BODY_YEAR] = "SELECT id FROM reports WHERE body_id = ?1 AND year = ?2 "
				  "AND current = 1 ORDER BY id DESC LIMIT 1",
	/*
	 * A source superseded at its location (the page changed and the
	 * report now points to the newer bytes) is not stale: re-parsing it
	 * would put old content back over the current report.  A report's
	 * sources are its report_sources rows, chosen or not.
	 */
	[S_STALE] = "SELECT s.id FROM sources s "
		    "WHERE (NOT EXISTS (SELECT 1 FROM report_sources rs WHERE rs.source_id = s.id) "
		    "  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.location = s.location) "
		    "  AND NOT EXISTS (SELECT 1 FROM report_sources rs "
		    "    WHERE rs.location = s.location)) "
		    "OR EXISTS (SELECT 1 FROM report_sources rs WHERE rs.source_id = s.id "
		    "  AND rs.parser_version < ?1) "
		    "OR EXISTS (SELECT 1 FROM reports r WHERE r.source_id = s.id "
		    "  AND r.parser_version < ?1) "
		    "ORDER BY s.id",
	[S_REPORT_EXISTS] = "SELECT location, body_id, year FROM reports WHERE id = ?1",
	/* A source of a report, by where it was read: the newer bytes of a page replace its row. */
	[S_RS_PUT] = "INSERT INTO report_sources (report_id, location, source_id, role, status, "
		     "reason, parser_version, chosen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		     "ON CONFLICT (report_id, location) DO UPDATE SET source_id = excluded.source_id, "
		     "role = excluded.role, status = excluded.status, reason = excluded.reason, "
		     "parser_version = excluded.parser_version, chosen = excluded.chosen",
	[S_RS_UNCHOOSE] = "UPDATE report_sources SET chosen = 0 "
			  "WHERE report_id = ?1 AND location <> ?2 AND chosen = 1",
	[S_RS_LIST] = "SELECT source_id, location, role, status, reason, parser_version, chosen "
		      "FROM report_sources WHERE report_id = ?1 "
		      "ORDER BY chosen DESC, role = 'attachment', location",
	[S_RS_ORIGIN] = "SELECT report_id, role, location FROM report_sources WHERE source_id = ?1 "
			"ORDER BY report_id DESC LIMIT 1",
	/* The current report of a group: CURRENT_ORDER_SQL's first, excluded ones left out. */
	[S_CURRENT_PICK] = "SELECT r.id FROM reports r JOIN sources s ON s.id = r.source_id "
			   "WHERE r.body_id = ?1 AND r.year = ?2 AND NOT " EXCLUDED_SQL("r") " "
			   "ORDER BY " CURRENT_ORDER_SQL " LIMIT 1",
	[S_CURRENT_SET] = "UPDATE reports SET current = (id = ?3) WHERE body_id = ?1 AND year = ?2 "
			  "AND current <> (id = ?3)",
	/* No year or no body: nothing replaces such a report; only an exclusion drops it. */
	[S_CURRENT_EACH] = "UPDATE reports SET current = NOT " EXCLUDED_SQL("reports") " "
			   "WHERE body_id = ?1 AND year IS ?2 "
			   "AND current <> NOT " EXCLUDED_SQL("reports"),
	[S_BODY_NAME] = "SELECT name FROM bodies WHERE id = ?1",
	/* A reviewer's fixes over the figures just stored, keeping what the parser read. */
	[S_FIXES_PARSED] =
		"UPDATE fixes SET (parsed_state, parsed_value, parsed_raw, parsed_how) = (SELECT "
		"f.state, f.value, f.raw, f.how FROM figures f WHERE f.report_id = fixes.report_id "
		"AND f.tbl = fixes.tbl AND f.row_key = fixes.row_key AND f.col_key = fixes.col_key) "
		"WHERE report_id = ?1",
	[S_FIXES_APPLY] =
		"INSERT INTO figures (report_id, tbl, row_key, col_key, value, raw, blank, state, how, "
		"inferred) SELECT report_id, tbl, row_key, col_key, value, NULL, value IS NULL, "
		"CASE WHEN value IS NULL THEN 'blank' ELSE 'number' END, 'fix', 0 FROM fixes "
		"WHERE report_id = ?1 "
		"ON CONFLICT (report_id, tbl, row_key, col_key) DO UPDATE SET value = excluded.value, "
		"blank = excluded.blank, state = excluded.state, how = 'fix'",
};

/* How value states are spelled in figures.state (see the CHECK in schema.c). */
static const char *const state_names[] = {
	[VAL_ABSENT] = NULL,
	[VAL_BLANK] = "blank",
	[VAL_NUMBER] = "number",
	[VAL_INVALID] = "invalid",
};
#define NSTATES (sizeof(state_names) / sizeof(state_names[0]))

/* A body and year whose current report was refreshed (store_take_touched()). */
struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	sqlite3_stmt *stmt[S_COUNT];
	struct store_group *touched;
	size_t ntouched, alloc_touched;
};

sqlite3 *store_sqlite(struct store *st)
{
	return st->db;
}

const char *store_path(struct store *st)
{
	return st->path;
}

int store_readonly(struct store *st)
{
	return st->readonly;
}

int store_schema_version(void)
{
	return schema_version();
}

/* store.c's own names for what store-internal.h exports to the rest of store/. */
#define db_fail store_fail
#define tx_begin store_tx_begin
#define tx_end store_tx_end

/* Sets err from the connection's last error: "cannot <what> in '<path>': <sqlite message>". */
int store_fail(struct store *st, const char *what, struct err *err)
{
	int rc = sqlite3_errcode(st->db), code;

	switch (rc) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = OGI_EBUSY;
		break;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		code = OGI_EIO;
		break;
	case SQLITE_TOOBIG:
		code = OGI_ETOOBIG;
		break;
	default:
		code = OGI_EDB;
	}
	return err_set(err, code, "cannot %s in '%s': %s", what, st->path, sqlite3_errmsg(st->db));
}

/* The cached statement id in *s; 0 or an error code. */
static int prep(struct store *st, enum stmt_id id, sqlite3_stmt **s, const char *what,
		struct err *err)
{
	*s = NULL;
	if (!st->stmt[id] &&
	    sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
			       &st->stmt[id], NULL) != SQLITE_OK)
		return db_fail(st, what, err);
	*s = st->stmt[id];
	return 0;
}

/* Makes s ready for its next use and drops references to the caller's strings. */
static void stmt_done(sqlite3_stmt *s)
{
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
}

/* Text bound without copying: the caller's string outlives the step. */
static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

/* NaN is what "no number" looks like in a double; SQLite stores it as NULL anyway. */
static int bind_double(sqlite3_stmt *s, int i, double v)
{
	return isnan(v) ? sqlite3_bind_null(s, i) : sqlite3_bind_double(s, i, v);
}

/*
 * A place in struct value_src: -1 (or 0 for a line) means "does not apply"
 * and is stored as NULL, so that an HTML cell has no line and a text cell
 * no table or grid row.
 */
static int bind_place(sqlite3_stmt *s, int i, int v, int none)
{
	return v == none ? sqlite3_bind_null(s, i) : sqlite3_bind_int(s, i, v);
}

/* The place read back: none for NULL (rows stored before schema version 4 too). */
static int column_place(sqlite3_stmt *s, int i, int none)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? none : sqlite3_column_int(s, i);
}

/* A column's text as a new string, or NULL for SQL NULL. */
static char *column_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

static int exec(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK;
}

/* ---- transactions ---- */

/*
 * Every write function runs in a transaction of its own, or, inside the
 * caller's store_begin(), in a savepoint: an error then undoes that one
 * write and leaves the caller's batch as it was.
 */
#define tx store_tx

int store_tx_begin(struct store *st, struct tx *tx, const char *what, struct err *err)
{
	tx->own = sqlite3_get_autocommit(st->db);
	/* IMMEDIATE: take the write lock now, not on a later upgrade that could fail busy. */
	if (exec(st, tx->own ? "BEGIN IMMEDIATE" : "SAVEPOINT ogi_write"))
		return db_fail(st, what, err);
	return 0;
}

int store_tx_end(struct store *st, struct tx *tx, int ret, const char *what, struct err *err)
{
	if (!ret) {
		if (!exec(st, tx->own ? "COMMIT" : "RELEASE ogi_write"))
			return 0;
		ret = db_fail(st, what, err);
	}
	/*
	 * After SQLITE_FULL or an I/O error SQLite may have rolled back the
	 * whole transaction already; the rollbacks below then fail harmlessly.
	 */
	if (tx->own) {
		if (!sqlite3_get_autocommit(st->db))
			exec(st, "ROLLBACK");
	} else if (!sqlite3_get_autocommit(st->db)) {
		exec(st, "ROLLBACK TO ogi_write");
		exec(st, "RELEASE ogi_write");
	} else if (err) {
		/* The caller's batch is gone too: say so, as its commit will fail. */
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		err_set(err, ret, "%.*s (the transaction was rolled back)",
			(int)sizeof(msg) - 40, msg);
	}
	return ret;
}

/* Reads that take several statements see one snapshot. */
static int read_begin(struct store *st, struct tx *tx, const char *what, struct err *err)
{
	tx->own = sqlite3_get_autocommit(st->db);
	if (tx->own && exec(st, "BEGIN"))
		return db_fail(st, what, err);
	return 0;
}

static void read_end(struct store *st, struct tx *tx)
{
	if (tx->own && !sqlite3_get_autocommit(st->db))
		exec(st, "COMMIT");
}

int store_begin(struct store *st, struct err *err)
{
	if (exec(st, "BEGIN IMMEDIATE"))
		return db_fail(st, "begin a transaction", err);
	return 0;
}

int store_commit(struct store *st, struct err *err)
{
	if (sqlite3_get_autocommit(st->db))
		return err_set(err, OGI_EDB,
			       "cannot commit in '%s': no transaction is active (rolled back after "
			       "an error?)", st->path);
	if (exec(st, "COMMIT")) {
		int ret = db_fail(st, "commit", err);

		/* Leave no transaction behind, whatever COMMIT left. */
		store_rollback(st);
		return ret;
	}
	return 0;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		exec(st, "ROLLBACK");
}

/* ---- opening ---- */

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	/* An open transaction is rolled back by close: uncommitted batches are not kept. */
	sqlite3_close(st->db);
	free(st->path);
	free(st->touched);
	free(st);
}

static int open_fail(struct store *st, struct err *err)
{
	int rc = sqlite3_errcode(st->db), sys = sqlite3_system_errno(st->db);
	int code = rc == SQLITE_CANTOPEN ? OGI_EIO : rc == SQLITE_BUSY ? OGI_EBUSY : OGI_EDB;

	/* "unable to open database file" alone does not say why: the system does. */
	if (rc == SQLITE_CANTOPEN && sys)
		return err_set(err, code, "cannot open '%s': %s (%s)", st->path,
			       sqlite3_errmsg(st->db), strerror(sys));
	return err_set(err, code, "cannot open '%s': %s", st->path, sqlite3_errmsg(st->db));
}

/*
 * Whether path lies on a read-only file system with no WAL file holding
 * commits the main file lacks.  SQLite cannot create the WAL index there,
 * so it cannot open a WAL database at all; but nobody can change the file
 * either, so it can be read as immutable (a published snapshot, a
 * read-only bind mount).
 */
static int frozen_file(const char *path)
{
	struct statvfs vfs;
	struct stat sb;
	struct buf wal = BUF_INIT(BUF_NOLIMIT);
	int frozen;

	if (statvfs(path, &vfs) || !(vfs.f_flag & ST_RDONLY))
		return 0;
	buf_addf(&wal, "%s-wal", path);
	frozen = stat(buf_str(&wal), &sb) != 0 || sb.st_size == 0;
	buf_release(&wal);
	return frozen;
}

/* The "file:" URI of path with immutable=1, its URI syntax characters escaped; caller frees. */
static char *immutable_uri(const char *path)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	/* An empty authority before an absolute path, so that "//x" stays a path. */
	buf_adds(&b, path[0] == '/' ? "file://" : "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_addf(&b, "%%%02X", (unsigned char)*p);
		else
			buf_addc(&b, *p);
	}
	buf_adds(&b, "?immutable=1");
	return buf_take(&b);
}

/* Whether path has a WAL file with commits in it (which an immutable reader would miss). */
static int wal_has_content(const char *path)
{
	struct buf wal = BUF_INIT(BUF_NOLIMIT);
	struct stat sb;
	int has;

	buf_addf(&wal, "%s-wal", path);
	has = stat(buf_str(&wal), &sb) == 0 && sb.st_size > 0;
	buf_release(&wal);
	return has;
}

int store_path_writable(const char *path)
{
	struct statvfs vfs;
	struct stat sb;

	if (stat(path, &sb) || access(path, W_OK))
		return 0;
	if (!(sb.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
		return 0;
	return !(statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY));
}

/*
 * Opens st->db on path; read-only as immutable (uri) when asked.  The
 * first read (the schema version) is the caller's.
 */
static int open_db(struct store *st, const char *path, int readonly, int immutable,
		   struct err *err)
{
	char *uri = immutable ? immutable_uri(path) : NULL;
	int rc = sqlite3_open_v2(uri ? uri : path, &st->db,
				 (readonly ? SQLITE_OPEN_READONLY
					   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
					 SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
				 NULL);

	free(uri);
	if (rc == SQLITE_OK)
		return 0;
	if (!st->db)
		return err_set(err, OGI_EDB, "cannot open '%s': %s", path, sqlite3_errstr(rc));
	return open_fail(st, err);
}

int store_open(struct store **out, const char *path, unsigned flags, struct err *err)
{
	struct store *st = NULL;
	int ret = 0, version = 0, current = schema_version(), immutable = 0;
	int readonly = !!(flags & STORE_READONLY);

	*out = NULL;
	if (!path || !*path)
		return err_set(err, OGI_EINVAL, "cannot open the warehouse: no path given");
	if (readonly) {
		struct stat sb;

		/* SQLite would say "unable to open database file"; say why. */
		if (stat(path, &sb))
			return err_set(err, OGI_EIO, "cannot open '%s': %s", path,
				       errno == ENOENT ? "no such file" : strerror(errno));
		immutable = frozen_file(path);
	} else if (access(path, F_OK) == 0) {
		/* SQLite would open it read-only and fail at the first write, or not at all. */
		if (access(path, W_OK))
			return err_set(err, OGI_EIO, "cannot open '%s' for writing: %s", path,
				       strerror(errno));
	} else if (errno == ENOENT) {
		/* A new warehouse, and its WAL files, go in the folder: it must take them. */
		const char *slash = strrchr(path, '/');
		char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
				  : xstrdup(".");
		int denied = access(dir, W_OK | X_OK) ? errno : 0;

		free(dir);
		if (denied)
			return err_set(err, OGI_EIO, "cannot create '%s': %s", path,
				       strerror(denied));
	}
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	st->readonly = readonly;
	ret = open_db(st, path, readonly, immutable, err);
	if (ret)
		goto out;
	/*
	 * A WAL warehouse is read through its -shm file, which a reader must
	 * create when no writer has it open; in a folder this user cannot
	 * write (another user's warehouse), it cannot: with no commits
	 * pending in a WAL file the main file is all there is, and it is
	 * read as immutable instead.
	 */
	if (readonly && !immutable && !wal_has_content(path)) {
		int rc;

		sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
		rc = schema_read_version(st->db, path, &version, NULL);
		rc = rc ? sqlite3_errcode(st->db) : SQLITE_OK;
		if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) {
			sqlite3_close(st->db);
			st->db = NULL;
			ret = open_db(st, path, 1, 1, err);
			if (ret)
				goto out;
		}
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);

	/* Read the version before anything that could write (journal mode, schema). */
	ret = schema_read_version(st->db, path, &version, err);
	if (ret)
		goto out;
	if (version > current) {
		ret = err_set(err, OGI_ESCHEMA,
			      "warehouse '%s' has schema version %d, newer than this ogi (%d)",
			      path, version, current);
		goto out;
	}
	if (readonly && version == 0) {
		ret = err_set(err, OGI_EDB, "cannot open '%s': not an ogi warehouse (no schema)",
			      path);
		goto out;
	}
	if (readonly && version < current) {
		ret = err_set(err, OGI_ESCHEMA,
			      "warehouse '%s' has schema version %d, older than this ogi (%d); "
			      "open it for writing once to migrate it", path, version, current);
		goto out;
	}
	if (!readonly && exec(st, "PRAGMA journal_mode = WAL")) {
		ret = open_fail(st, err);
		goto out;
	}
	/*
	 * temp_store: every write in a batch is a savepoint, whose statement
	 * journal would otherwise be a temp file (most of ingest's writes).
	 * It only undoes a failed write inside its transaction; what a crash
	 * leaves is the WAL's business, unchanged.
	 */
	if (exec(st, "PRAGMA foreign_keys = ON") || exec(st, "PRAGMA synchronous = NORMAL") ||
	    exec(st, "PRAGMA temp_store = MEMORY")) {
		ret = open_fail(st, err);
		goto out;
	}
	if (!readonly && version < current) {
		size_t n;
		const struct schema_step *steps = schema_steps(&n);

		ret = schema_migrate(st->db, path, steps, n, err);
	}
out:
	if (ret)
		store_close(st);
	else
		*out = st;
	return ret;
}

/* ---- sources ---- */

int store_put_source(struct store *st, const struct source_meta *m, const void *bytes, size_t len,
		     int64_t *source_id, int *is_new, struct err *err)
{
	static const char what[] = "store source";
	char hash[SHA256_HEX_LEN];
	sqlite3_stmt *s = NULL;
	struct tx tx;
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
	ret = prep(st, S_SOURCE_BY_HASH, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, what, err);
	if (id)
		goto done;

	ret = tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = prep(st, S_SOURCE_INSERT, &s, what, err);
	if (ret)
		goto out;
	rc = bind_text(s, 1, m->location);
	rc |= sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
	/* A NULL blob would be SQL NULL; an empty page is a zero-length blob. */
	rc |= len ? sqlite3_bind_blob64(s, 3, bytes, len, SQLITE_STATIC)
		  : sqlite3_bind_zeroblob(s, 3, 0);
	rc |= sqlite3_bind_int64(s, 4, (sqlite3_int64)len);
	rc |= bind_text(s, 5, m->content_type);
	rc |= bind_text(s, 6, m->fetched_at);
	rc |= sqlite3_bind_int(s, 7, m->http_status);
	rc |= bind_text(s, 8, m->etag);
	rc |= bind_text(s, 9, m->last_modified);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
		ret = db_fail(st, what, err);
		goto out;
	}
	inserted = sqlite3_changes(st->db) > 0;
	if (inserted)
		id = sqlite3_last_insert_rowid(st->db);
	stmt_done(s);
	s = NULL;
	if (!inserted) {
		/* Another writer stored the same bytes between our look-up and the lock. */
		ret = prep(st, S_SOURCE_BY_HASH, &s, what, err);
		if (ret)
			goto out;
		sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW) {
			ret = db_fail(st, what, err);
			goto out;
		}
		id = sqlite3_column_int64(s, 0);
	}
out:
	stmt_done(s);
	ret = tx_end(st, &tx, ret, what, err);
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
	ret = prep(st, S_SOURCE_GET, &s, what, err);
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
			*location = column_dup(s, 1);
		if (content_type)
			*content_type = column_dup(s, 2);
	} else if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "no source %lld in '%s'", (long long)source_id,
			      st->path);
	} else {
		ret = db_fail(st, what, err);
	}
	stmt_done(s);
	return ret;
}

/* ---- the current report of each body and year ---- */

void store_touch(struct store *st, int64_t body_id, int year)
{
	for (size_t i = 0; i < st->ntouched; i++)
		if (st->touched[i].body_id == body_id && st->touched[i].year == year)
			return;
	ALLOC_GROW(st->touched, st_add(st->ntouched, 1), st->alloc_touched);
	st->touched[st->ntouched].body_id = body_id;
	st->touched[st->ntouched].year = year;
	st->ntouched++;
}

size_t store_take_touched(struct store *st, struct store_group **out)
{
	size_t n = st->ntouched;

	*out = st->touched;
	st->touched = NULL;
	st->ntouched = st->alloc_touched = 0;
	return n;
}

/* Whether body_id is the body of reports that name none. */
static int unknown_body(struct store *st, int64_t body_id, int *unknown, const char *what,
			struct err *err)
{
	sqlite3_stmt *s;
	int ret = prep(st, S_BODY_NAME, &s, what, err), rc;

	*unknown = 0;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*unknown = !strcmp((const char *)sqlite3_column_text(s, 0), UNKNOWN_BODY);
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
}

int store_refresh_current(struct store *st, int64_t body_id, int year, struct err *err)
{
	static const char what[] = "choose the current report";
	sqlite3_stmt *s;
	int64_t pick = 0;
	int unknown, ret, rc;

	store_touch(st, body_id, year);
	ret = unknown_body(st, body_id, &unknown, what, err);
	if (ret)
		return ret;
	if (!year || unknown) {
		ret = prep(st, S_CURRENT_EACH, &s, what, err);
		if (ret)
			return ret;
		sqlite3_bind_int64(s, 1, body_id);
		if (year)
			sqlite3_bind_int(s, 2, year);
		else
			sqlite3_bind_null(s, 2);
		rc = sqlite3_step(s);
		stmt_done(s);
		return rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
	}
	ret = prep(st, S_CURRENT_PICK, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	sqlite3_bind_int(s, 2, year);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		pick = sqlite3_column_int64(s, 0);
	stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, what, err);
	ret = prep(st, S_CURRENT_SET, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_int64(s, 3, pick);
	rc = sqlite3_step(s);
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
}

int store_refresh_all_current(struct store *st, struct err *err)
{
	static const char sql[] =
		"UPDATE reports SET current = (id IN (SELECT id FROM (SELECT r.id AS id, "
		"row_number() OVER (PARTITION BY r.body_id, r.year ORDER BY " CURRENT_ORDER_SQL ") "
		"AS n FROM reports r JOIN sources s ON s.id = r.source_id WHERE r.year IS NOT NULL "
		"AND NOT " EXCLUDED_SQL("r") ") WHERE n = 1) "
		"OR ((year IS NULL OR body_id = (SELECT id FROM bodies WHERE name = '" UNKNOWN_BODY
		"')) AND NOT " EXCLUDED_SQL("reports") "))";
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "choose the current reports", err);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, "choose the current reports", err);
}

/* ---- reports ---- */

/* Finds or creates the body called name; sets its level when given and not yet known. */
static int body_get(struct store *st, const char *name, const char *level, int64_t *id,
		    const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prep(st, S_BODY_FIND, &s, what, err);
	int rc, has_level = 0;

	*id = 0;
	if (ret)
		return ret;
	bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		has_level = sqlite3_column_type(s, 1) != SQLITE_NULL;
	}
	stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, what, err);

	if (!*id) {
		ret = prep(st, S_BODY_INSERT, &s, what, err);
		if (ret)
			return ret;
		bind_text(s, 1, name);
		bind_text(s, 2, level);
		rc = sqlite3_step(s);
		stmt_done(s);
		if (rc != SQLITE_DONE)
			return db_fail(st, what, err);
		*id = sqlite3_last_insert_rowid(st->db);
	} else if (level && !has_level) {
		ret = prep(st, S_BODY_SET_LEVEL, &s, what, err);
		if (ret)
			return ret;
		sqlite3_bind_int64(s, 1, *id);
		bind_text(s, 2, level);
		rc = sqlite3_step(s);
		stmt_done(s);
		if (rc != SQLITE_DONE)
			return db_fail(st, what, err);
	}
	return 0;
}

/* Runs a statement that takes one id as ?1 and returns no rows. */
static int exec_id(struct store *st, enum stmt_id id, int64_t arg, const char *what,
		   struct err *err)
{
	sqlite3_stmt *s;
	int ret = prep(st, id, &s, what, err);
	int rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, arg);
	rc = sqlite3_step(s);
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
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
		if ((unsigned)r->values[i].state >= NSTATES)
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

static int put_figures(struct store *st, int64_t report_id, const struct report *r,
		       const char *what, struct err *err)
{
	size_t nfields;
	const struct fmt_field *fields = fmt_fields(r->format, &nfields);
	sqlite3_stmt *s;
	int ret = prep(st, S_FIGURE_INSERT, &s, what, err), rc;

	if (ret)
		return ret;
	/*
	 * The hot path of a crawl's main thread: ?1 is the same for every
	 * cell and bound once, ?2..?14 are all bound again for each cell, so
	 * a reset between cells need not clear the bindings.
	 */
	rc = sqlite3_bind_int64(s, 1, report_id);
	for (size_t i = 0; i < r->nvalues; i++) {
		const struct report_value *v = &r->values[i];
		const struct fmt_field *f = &fields[i];

		if (v->state == VAL_ABSENT)
			continue;
		rc |= sqlite3_bind_int(s, 2, f->table);
		rc |= sqlite3_bind_text(s, 3, f->row->key, -1, SQLITE_STATIC);
		rc |= sqlite3_bind_text(s, 4, f->col->key, -1, SQLITE_STATIC);
		rc |= v->state == VAL_NUMBER ? bind_double(s, 5, v->num) : sqlite3_bind_null(s, 5);
		rc |= bind_text(s, 6, v->raw);
		rc |= sqlite3_bind_int(s, 7, v->state == VAL_BLANK);
		rc |= sqlite3_bind_text(s, 8, state_names[v->state], -1, SQLITE_STATIC);
		rc |= bind_text(s, 9, value_how_name(v->how));
		rc |= sqlite3_bind_int(s, 10, v->inferred != 0);
		rc |= bind_place(s, 11, v->src.table, -1);
		rc |= bind_place(s, 12, v->src.row, -1);
		rc |= bind_place(s, 13, v->src.col, -1);
		rc |= bind_place(s, 14, v->src.line, 0);
		if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
			ret = db_fail(st, what, err);
			break;
		}
		sqlite3_reset(s);
	}
	stmt_done(s);
	return ret;
}

static int put_claims(struct store *st, int64_t report_id, const struct report *r,
		      const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prep(st, S_CLAIM_INSERT, &s, what, err);

	if (ret)
		return ret;
	for (size_t i = 0; i < r->nclaims; i++) {
		const struct report_claim *c = &r->claims[i];
		int rc = sqlite3_bind_int64(s, 1, report_id);

		rc |= sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		rc |= sqlite3_bind_text(s, 3, c->claim->key, -1, SQLITE_STATIC);
		rc |= bind_double(s, 4, c->value);
		rc |= bind_text(s, 5, c->raw);
		if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
			ret = db_fail(st, what, err);
			stmt_done(s);
			return ret;
		}
		stmt_done(s);
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
	rc |= bind_text(s, 7, r->missing);
	rc |= bind_text(s, 8, r->title);
	rc |= bind_text(s, 9, r->published);
	rc |= bind_text(s, 10, r->charset);
	rc |= sqlite3_bind_int(s, 11, parser_version);
	rc |= bind_text(s, 12, report_source_name(r->organization_from));
	rc |= bind_text(s, 13, report_source_name(r->year_from));
	rc |= bind_text(s, 14, r->publisher);
	rc |= bind_text(s, 15, r->status == RS_NO_TABLES ? report_reason_name(r->reason) : NULL);
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
	int ret = prep(st, S_RS_PUT, &s, what, err), rc;

	if (ret)
		return ret;
	rc = sqlite3_bind_int64(s, 1, report_id);
	rc |= bind_text(s, 2, location);
	rc |= sqlite3_bind_int64(s, 3, source_id);
	rc |= sqlite3_bind_text(s, 4, store_source_role_name(role), -1, SQLITE_STATIC);
	rc |= bind_text(s, 5, r ? report_status_name(r->status) : NULL);
	rc |= bind_text(s, 6, r && r->status == RS_NO_TABLES ? report_reason_name(r->reason) : NULL);
	rc |= sqlite3_bind_int(s, 7, parser_version);
	rc |= sqlite3_bind_int(s, 8, chosen);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
		ret = db_fail(st, what, err);
		stmt_done(s);
		return ret;
	}
	stmt_done(s);
	if (!chosen)
		return 0;
	ret = prep(st, S_RS_UNCHOOSE, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	bind_text(s, 2, location);
	rc = sqlite3_step(s);
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
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
	struct tx tx;
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
	org = r->organization && *r->organization ? r->organization : UNKNOWN_BODY;

	ret = tx_begin(st, &tx, what, err);
	if (ret)
		return ret;

	/* A report is keyed by its location: by default the location of its bytes. */
	ret = prep(st, S_SOURCE_LOCATION, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, source_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		location = column_dup(s, 0);
	} else if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "cannot store report: no source %lld in '%s'",
			      (long long)source_id, st->path);
		goto out;
	} else {
		ret = db_fail(st, what, err);
		goto out;
	}
	stmt_done(s);
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
		ret = prep(st, S_BODY_SET_PARENT, &s, what, err);
		if (ret)
			goto out;
		sqlite3_bind_int64(s, 1, body_id);
		sqlite3_bind_int64(s, 2, parent_id);
		if (sqlite3_step(s) != SQLITE_DONE) {
			ret = db_fail(st, what, err);
			goto out;
		}
		stmt_done(s);
		s = NULL;
	}

	if (o->report_id) {
		/* a named report keeps its own location, whatever the source's */
		ret = prep(st, S_REPORT_EXISTS, &s, what, err);
		if (ret)
			goto out;
		sqlite3_bind_int64(s, 1, o->report_id);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			id = o->report_id;
			known = column_dup(s, 0);
			where = known;
			old_body = sqlite3_column_int64(s, 1);
			old_year = sqlite3_column_int(s, 2);
		} else if (rc == SQLITE_DONE) {
			ret = err_set(err, OGI_ENOTFOUND, "cannot store report: no report %lld in '%s'",
				      (long long)o->report_id, st->path);
			goto out;
		} else {
			ret = db_fail(st, what, err);
			goto out;
		}
	} else {
		ret = prep(st, S_REPORT_BY_LOCATION, &s, what, err);
		if (ret)
			goto out;
		bind_text(s, 1, where);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			id = sqlite3_column_int64(s, 0);
			old_body = sqlite3_column_int64(s, 1);
			old_year = sqlite3_column_int(s, 2);
		} else if (rc != SQLITE_DONE) {
			ret = db_fail(st, what, err);
			goto out;
		}
	}
	stmt_done(s);
	s = NULL;

	if (id) {
		/* Replace in place: the id stays, so links to it (findings, users' notes) hold. */
		ret = exec_id(st, S_FIGURES_DELETE, id, what, err);
		if (!ret)
			ret = exec_id(st, S_CLAIMS_DELETE, id, what, err);
		if (!ret)
			ret = exec_id(st, S_FINDINGS_DELETE, id, what, err);
		if (ret)
			goto out;
		ret = prep(st, S_REPORT_UPDATE, &s, what, err);
		if (ret)
			goto out;
		rc = sqlite3_bind_int64(s, 1, id);
	} else {
		ret = prep(st, S_REPORT_INSERT, &s, what, err);
		if (ret)
			goto out;
		rc = bind_text(s, 1, where);
	}
	rc |= bind_report(s, source_id, body_id, r, parser_version);
	/* the name as the page gave it, when the body was found by an alias */
	rc |= bind_text(s, 16, r->organization);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
		ret = db_fail(st, what, err);
		goto out;
	}
	if (!id)
		id = sqlite3_last_insert_rowid(st->db);
	stmt_done(s);
	s = NULL;

	ret = put_figures(st, id, r, what, err);
	if (!ret)
		ret = exec_id(st, S_FIXES_PARSED, id, what, err);
	if (!ret)
		ret = exec_id(st, S_FIXES_APPLY, id, what, err);
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
	stmt_done(s);
	ret = tx_end(st, &tx, ret, what, err);
	if (!ret && report_id)
		*report_id = id;
	free(location);
	free(known);
	return ret;
}

int store_put_report_source(struct store *st, int64_t report_id, int64_t source_id,
			    const char *location, enum source_role role, const struct report *r,
			    int parser_version, struct err *err)
{
	static const char what[] = "store a report's source";
	struct tx tx;
	int ret;

	if (!location)
		return err_set(err, OGI_EINVAL, "cannot store a report's source: no location");
	ret = tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = put_source_row(st, report_id, source_id, location, role, r, parser_version, 0, what,
			     err);
	return tx_end(st, &tx, ret, what, err);
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
	int ret = prep(st, S_RS_LIST, &s, what, err), rc;

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
		rs->location = column_dup(s, 1);
		rs->role = role_parse((const char *)sqlite3_column_text(s, 2));
		rs->read = status && !report_status_parse(status, &rs->status);
		rs->reason = report_reason_parse((const char *)sqlite3_column_text(s, 4));
		rs->parser_version = sqlite3_column_int(s, 5);
		rs->chosen = sqlite3_column_int(s, 6) != 0;
	}
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
}

int store_source_origin(struct store *st, int64_t source_id, int64_t *report_id,
			enum source_role *role, char **location, struct err *err)
{
	static const char what[] = "read a report's source";
	sqlite3_stmt *s;
	int ret = prep(st, S_RS_ORIGIN, &s, what, err), rc;

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
			*location = column_dup(s, 2);
	}
	stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
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
	stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, "read report", err);
	return 0;
}

int store_report_of_source(struct store *st, int64_t source_id, int64_t *report_id,
			   int *parser_version, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prep(st, S_REPORT_OF_SOURCE, &s, "read report", err);

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
	int ret = prep(st, S_REPORT_AT_LOCATION, &s, "read report", err);

	*report_id = 0;
	if (parser_version)
		*parser_version = 0;
	if (ret)
		return ret;
	sqlite3_bind_text(s, 1, location, -1, SQLITE_TRANSIENT);
	return report_lookup(st, s, report_id, parser_version, err);
}

/* Loads the figures of report_id (of one table, or all when table is 0) into r. */
static int get_figures(struct store *st, int64_t report_id, int table, struct report *r,
		       const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = prep(st, table ? S_FIGURES_GET_TABLE : S_FIGURES_GET, &s, what, err);
	int rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, report_id);
	if (table)
		sqlite3_bind_int(s, 2, table);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(s, 1);
		const char *col = (const char *)sqlite3_column_text(s, 2);
		const char *state = (const char *)sqlite3_column_text(s, 5);
		enum value_state vs = VAL_ABSENT;
		struct report_value *v;
		int i;

		for (size_t k = 1; state && k < NSTATES; k++)
			if (!strcmp(state, state_names[k]))
				vs = (enum value_state)k;
		if (vs == VAL_ABSENT) {
			ret = err_set(err, OGI_EDB,
				      "report %lld in '%s' has a figure in state '%s'",
				      (long long)report_id, st->path, state ? state : "");
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
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail(st, what, err);
	stmt_done(s);
	return ret;
}

static int get_claims(struct store *st, int64_t report_id, struct report *r, const char *what,
		      struct err *err)
{
	size_t nclaims;
	const struct fmt_claim *claims = fmt_claims(&nclaims);
	sqlite3_stmt *s;
	int ret = prep(st, S_CLAIMS_GET, &s, what, err);
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
	stmt_done(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, what, err);
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

/* store_get_report() and store_get_report_table() (table > 0: its figures alone, no claims). */
static int get_report(struct store *st, int64_t report_id, int table, struct report *r,
		      struct report_info *info, struct err *err)
{
	static const char what[] = "read report";
	sqlite3_stmt *s = NULL;
	struct tx tx;
	const char *text;
	int ret, rc;

	report_release(r);
	if (info)
		memset(info, 0, sizeof(*info));
	ret = read_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = prep(st, S_REPORT_GET, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "no report %lld in '%s'", (long long)report_id,
			      st->path);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = db_fail(st, what, err);
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
	if (text && strcmp(text, UNKNOWN_BODY))
		r->organization = xstrdup(text);
	r->level = column_dup(s, 7);
	r->parent = column_dup(s, 8);
	r->year = sqlite3_column_int(s, 9);
	text = (const char *)sqlite3_column_text(s, 11);
	if (!text || report_status_parse(text, &r->status)) {
		ret = err_set(err, OGI_EDB, "report %lld in '%s' has an unknown status '%s'",
			      (long long)report_id, st->path, text ? text : "");
		goto out;
	}
	r->missing = column_dup(s, 12);
	r->title = column_dup(s, 13);
	r->published = column_dup(s, 14);
	r->charset = column_dup(s, 15);
	r->organization_from = report_source_parse((const char *)sqlite3_column_text(s, 16));
	r->year_from = report_source_parse((const char *)sqlite3_column_text(s, 17));
	r->publisher = column_dup(s, 18);
	r->reason = report_reason_parse((const char *)sqlite3_column_text(s, 19));
	text = (const char *)sqlite3_column_text(s, 10);
	report_set_format(r, text ? fmt_version_parse(text) : FMT_UNKNOWN);
	stmt_done(s);
	s = NULL;

	ret = get_figures(st, report_id, table, r, what, err);
	if (!ret && !table)
		ret = get_claims(st, report_id, r, what, err);
out:
	stmt_done(s);
	read_end(st, &tx);
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
	return get_report(st, report_id, 0, r, info, err);
}

int store_get_report_table(struct store *st, int64_t report_id, int table, struct report *r,
			   struct err *err)
{
	if (table <= 0)
		return err_set(err, OGI_EINVAL, "cannot read report %lld: no table %d",
			       (long long)report_id, table);
	return get_report(st, report_id, table, r, NULL, err);
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
		int ret = db_fail(st, what, err);

		stmt_done(s);
		free(list);
		return ret;
	}
	stmt_done(s);
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
	if (sqlite3_prepare_v2(st->db, buf_str(&sql), -1, &s, NULL) != SQLITE_OK) {
		buf_release(&sql);
		return db_fail(st, what, err);
	}
	buf_release(&sql);
	filter_bind(s, f, FILTER_REPORTS, FILTER_FIRST_PARAM);
	ret = collect_ids(st, s, what, ids, n, err);
	sqlite3_finalize(s);
	return ret;
}

/* The current report of report_id's body for its year + delta; 0 when none. */
static int neighbour(struct store *st, int64_t report_id, int delta, int64_t *out,
		     struct err *err)
{
	static const char what[] = "read report";
	sqlite3_stmt *s;
	struct tx tx;
	int64_t body_id = 0;
	int year = 0, rc, ret;

	*out = 0;
	ret = read_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = prep(st, S_REPORT_BODY_YEAR, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		body_id = sqlite3_column_int64(s, 0);
		year = sqlite3_column_int(s, 1);
	}
	stmt_done(s);
	if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "no report %lld in '%s'", (long long)report_id,
			      st->path);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = db_fail(st, what, err);
		goto out;
	}
	if (!year)
		goto out;	/* unknown year: no neighbours */
	ret = prep(st, S_REPORT_OF_BODY_YEAR, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, body_id);
	sqlite3_bind_int(s, 2, year + delta);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = db_fail(st, what, err);
out:
	read_end(st, &tx);
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
	int ret = prep(st, S_STALE, &s, what, err);

	*ids = NULL;
	*n = 0;
	if (ret)
		return ret;
	sqlite3_bind_int(s, 1, parser_version);
	return collect_ids(st, s, what, ids, n, err);
}

/* ---- findings ---- */

/* store_put_findings() and store_put_rule_findings() (rules: NULL for every rule). */
static int put_findings(struct store *st, int64_t report_id, const char *const *rules,
			const struct finding_list *l, struct err *err)
{
	static const char what[] = "store findings";
	sqlite3_stmt *s = NULL;
	struct tx tx;
	size_t n = l ? l->n : 0;
	int ret, rc;

	if (n && !l->items)
		return err_set(err, OGI_EINVAL, "cannot store findings: no items");
	for (size_t i = 0; i < n; i++)
		if (!l->items[i].rule)
			return err_set(err, OGI_EINVAL,
				       "cannot store findings: finding %zu has no rule", i);
	ret = tx_begin(st, &tx, what, err);
	if (ret)
		return ret;
	ret = prep(st, S_REPORT_BODY_YEAR, &s, what, err);
	if (ret)
		goto out;
	sqlite3_bind_int64(s, 1, report_id);
	rc = sqlite3_step(s);
	stmt_done(s);
	s = NULL;
	if (rc == SQLITE_DONE) {
		ret = err_set(err, OGI_ENOTFOUND, "cannot store findings: no report %lld in '%s'",
			      (long long)report_id, st->path);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		ret = db_fail(st, what, err);
		goto out;
	}
	if (!rules) {
		ret = exec_id(st, S_FINDINGS_DELETE, report_id, what, err);
	} else {
		for (size_t i = 0; !ret && rules[i]; i++) {
			ret = prep(st, S_FINDINGS_DELETE_RULE, &s, what, err);
			if (ret)
				break;
			sqlite3_bind_int64(s, 1, report_id);
			if (sqlite3_bind_text(s, 2, rules[i], -1, SQLITE_STATIC) != SQLITE_OK ||
			    sqlite3_step(s) != SQLITE_DONE)
				ret = db_fail(st, what, err);
			stmt_done(s);
			s = NULL;
		}
	}
	if (ret)
		goto out;
	ret = prep(st, S_FINDING_INSERT, &s, what, err);
	if (ret)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct finding *fd = &l->items[i];

		rc = sqlite3_bind_int64(s, 1, report_id);
		rc |= bind_text(s, 2, fd->rule);
		rc |= sqlite3_bind_text(s, 3, finding_kind_name(fd->kind), -1, SQLITE_STATIC);
		rc |= bind_text(s, 4, fd->where);
		rc |= bind_text(s, 5, fd->cells);
		rc |= bind_text(s, 6, fd->expected_expr);
		rc |= bind_double(s, 7, fd->expected);
		rc |= bind_text(s, 8, fd->found_expr);
		rc |= bind_double(s, 9, fd->found);
		rc |= bind_text(s, 10, fd->message);
		if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE) {
			ret = db_fail(st, what, err);
			goto out;
		}
		stmt_done(s);
	}
out:
	stmt_done(s);
	return tx_end(st, &tx, ret, what, err);
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
