/*
 * The warehouse handle (store.h): its connection, the cache of prepared
 * statements with the SQL of every one of them, the helpers the rest of
 * store/ binds and reads columns with (store-internal.h), transactions,
 * opening and closing, and the current report of each body and year,
 * whose touched groups the handle keeps.  What is done with the handle
 * lives beside it: source.c (fetched bytes), report.c (writing reports
 * and their sources), read.c (reading them back), finding.c (findings).
 */
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
#include "util/xalloc.h"
#include "util/banned.h"


/* The report columns after the key, bound as ?2..?15 by both the insert and the update. */
#define REPORT_COLS \
	"source_id, body_id, year, format, status, missing, title, published, charset, " \
	"parser_version, organization_from, year_from, publisher, reason, parsed_at"

/* A figure's row: every column, the provenance included, bound in this order (store/report.c). */
#define FIGURE_INSERT \
	"INSERT INTO figures (report_id, tbl, row_key, col_key, value, raw, blank, state, how, " \
	"inferred, src_table, src_row, src_col, src_line, ocr_image, ocr_box, ocr_conf, " \
	"uncertain) VALUES "
#define FIGURE_VALUES "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define FIGURE_VALUES_4 FIGURE_VALUES ", " FIGURE_VALUES ", " FIGURE_VALUES ", " FIGURE_VALUES
#define FIGURE_VALUES_16 FIGURE_VALUES_4 ", " FIGURE_VALUES_4 ", " FIGURE_VALUES_4 ", " FIGURE_VALUES_4

/* The SQL of each statement of enum stmt_id (store-internal.h): the one place it is spelt. */
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
	/*
	 * A figure with its provenance, FIGURE_ROWS at a time: a report has
	 * ~200, and a step costs more than the row it adds (store/report.c).
	 */
	[S_FIGURE_INSERT] = FIGURE_INSERT FIGURE_VALUES,
	[S_FIGURE_INSERT_MANY] = FIGURE_INSERT FIGURE_VALUES_16,
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
	"src_row, src_col, src_line, ocr_image, ocr_box, ocr_conf, uncertain "  \
	"FROM figures WHERE report_id = ?1"
	[S_FIGURES_GET] = FIGURES_GET_SQL,
	[S_FIGURES_GET_TABLE] = FIGURES_GET_SQL " AND tbl = ?2",
	[S_FIGURES_GET_ROW] = FIGURES_GET_SQL " AND tbl = ?2 AND row_key = ?3",
	/* A reviewer's fixes of a report (?1 = 0: of every report), store_fixes(). */
	[S_FIXES_GET] = "SELECT report_id, tbl, row_key, col_key, value, why, fixed_at, "
			"parsed_state, parsed_value, parsed_raw FROM fixes "
			"WHERE ?1 = 0 OR report_id = ?1 ORDER BY report_id, tbl, row_key, col_key",
	[S_CLAIMS_GET] = "SELECT claim_key, value, raw FROM claims WHERE report_id = ?1 "
			 "ORDER BY seq",
	[S_REPORT_BODY_YEAR] = "SELECT body_id, year FROM reports WHERE id = ?1",
	/* The report of a body and year: its current one (store_refresh_current()). */
	[S_REPORT_OF_BODY_YEAR] = "SELECT id FROM reports WHERE body_id = ?1 AND year = ?2 "
				  "AND current = 1 ORDER BY id DESC LIMIT 1",
	/* Every report of a body and year, current or not, excluded or not. */
	[S_REPORTS_OF_GROUP] = "SELECT id FROM reports WHERE body_id = ?1 AND year = ?2 ORDER BY id",
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

/* An open warehouse: its connection and statements, and what its writes touched. */
struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	sqlite3_stmt *stmt[S_COUNT];		/* prepared on first use (store_prep()) */
	struct store_group *touched;		/* groups refreshed since store_take_touched() */
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
int store_prep(struct store *st, enum stmt_id id, sqlite3_stmt **s, const char *what,
	       struct err *err)
{
	*s = NULL;
	if (!st->stmt[id] &&
	    sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
			       &st->stmt[id], NULL) != SQLITE_OK)
		return store_fail(st, what, err);
	*s = st->stmt[id];
	return 0;
}

/* Makes s ready for its next use and drops references to the caller's strings. */
void store_stmt_done(sqlite3_stmt *s)
{
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
}

/* Text bound without copying: the caller's string outlives the step. */
int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

/* NaN is what "no number" looks like in a double; SQLite stores it as NULL anyway. */
int store_bind_double(sqlite3_stmt *s, int i, double v)
{
	return isnan(v) ? sqlite3_bind_null(s, i) : sqlite3_bind_double(s, i, v);
}

int store_bind_ocr(sqlite3_stmt *s, int i, const struct value_ocr *o)
{
	char box[64];
	int rc;

	if (!o->read)
		return sqlite3_bind_null(s, i) | sqlite3_bind_null(s, i + 1) |
		       sqlite3_bind_null(s, i + 2) | sqlite3_bind_int(s, i + 3, 0);
	snprintf(box, sizeof(box), "%d,%d,%d,%d", o->x, o->y, o->w, o->h);
	rc = sqlite3_bind_text(s, i, o->image ? o->image : "", -1, SQLITE_STATIC);
	rc |= sqlite3_bind_text(s, i + 1, box, -1, SQLITE_TRANSIENT);
	rc |= sqlite3_bind_double(s, i + 2, o->conf);
	return rc | sqlite3_bind_int(s, i + 3, o->uncertain != 0);
}

void store_column_ocr(sqlite3_stmt *s, int i, struct value_ocr *o)
{
	const char *box = (const char *)sqlite3_column_text(s, i + 1);
	int *part[4] = { &o->x, &o->y, &o->w, &o->h };

	free(o->image);
	memset(o, 0, sizeof(*o));
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return;
	o->read = 1;
	o->image = store_column_dup(s, i);
	o->conf = (float)sqlite3_column_double(s, i + 2);
	o->uncertain = sqlite3_column_int(s, i + 3) != 0;
	for (int k = 0; k < 4 && box && *box; k++) {
		char *end;
		long n = strtol(box, &end, 10);

		*part[k] = n >= 0 && n <= 1000000 ? (int)n : 0;
		box = *end == ',' ? end + 1 : end;
	}
}

/* A column's text as a new string, or NULL for SQL NULL. */
char *store_column_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

/* Runs a statement that takes one id as ?1 and returns no rows. */
int store_exec_id(struct store *st, enum stmt_id id, int64_t arg, const char *what,
		  struct err *err)
{
	sqlite3_stmt *s;
	int ret = store_prep(st, id, &s, what, err);
	int rc;

	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, arg);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
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
int store_tx_begin(struct store *st, struct store_tx *tx, const char *what, struct err *err)
{
	tx->own = sqlite3_get_autocommit(st->db);
	/* IMMEDIATE: take the write lock now, not on a later upgrade that could fail busy. */
	if (exec(st, tx->own ? "BEGIN IMMEDIATE" : "SAVEPOINT ogi_write"))
		return store_fail(st, what, err);
	return 0;
}

int store_tx_end(struct store *st, struct store_tx *tx, int ret, const char *what, struct err *err)
{
	if (!ret) {
		if (!exec(st, tx->own ? "COMMIT" : "RELEASE ogi_write"))
			return 0;
		ret = store_fail(st, what, err);
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
int store_read_begin(struct store *st, struct store_tx *tx, const char *what, struct err *err)
{
	tx->own = sqlite3_get_autocommit(st->db);
	if (tx->own && exec(st, "BEGIN"))
		return store_fail(st, what, err);
	return 0;
}

void store_read_end(struct store *st, struct store_tx *tx)
{
	if (tx->own && !sqlite3_get_autocommit(st->db))
		exec(st, "COMMIT");
}

int store_begin(struct store *st, struct err *err)
{
	if (exec(st, "BEGIN IMMEDIATE"))
		return store_fail(st, "begin a transaction", err);
	return 0;
}

int store_commit(struct store *st, struct err *err)
{
	if (sqlite3_get_autocommit(st->db))
		return err_set(err, OGI_EDB,
			       "cannot commit in '%s': no transaction is active (rolled back after "
			       "an error?)", st->path);
	if (exec(st, "COMMIT")) {
		int ret = store_fail(st, "commit", err);

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

/* ---- the current report of each body and year ---- */

/* Records (body_id, year) as touched; changed and current as struct store_group says. */
static void touch(struct store *st, int64_t body_id, int year, int changed, int64_t current)
{
	struct store_group *g = NULL;

	for (size_t i = 0; i < st->ntouched && !g; i++)
		if (st->touched[i].body_id == body_id && st->touched[i].year == year)
			g = &st->touched[i];
	if (!g) {
		ALLOC_GROW(st->touched, st_add(st->ntouched, 1), st->alloc_touched);
		g = &st->touched[st->ntouched++];
		g->body_id = body_id;
		g->year = year;
		g->changed = 0;
	}
	g->changed |= changed;
	g->current = current;
}

void store_touch(struct store *st, int64_t body_id, int year)
{
	touch(st, body_id, year, 1, 0);
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
	int ret = store_prep(st, S_BODY_NAME, &s, what, err), rc;

	*unknown = 0;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*unknown = !strcmp((const char *)sqlite3_column_text(s, 0), STORE_UNKNOWN_BODY);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

/* The report statement id names for (body_id, year) (?1, ?2), or 0 for none. */
static int group_report(struct store *st, enum stmt_id id, int64_t body_id, int year,
			int64_t *report_id, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int ret = store_prep(st, id, &s, what, err), rc;

	*report_id = 0;
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	sqlite3_bind_int(s, 2, year);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*report_id = sqlite3_column_int64(s, 0);
	store_stmt_done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

int store_refresh_current(struct store *st, int64_t body_id, int year, struct err *err)
{
	static const char what[] = "choose the current report";
	sqlite3_stmt *s;
	int64_t pick = 0, was = 0;
	int unknown, ret, rc;

	ret = unknown_body(st, body_id, &unknown, what, err);
	if (ret)
		return ret;
	if (!year || unknown) {
		store_touch(st, body_id, year);
		ret = store_prep(st, S_CURRENT_EACH, &s, what, err);
		if (ret)
			return ret;
		sqlite3_bind_int64(s, 1, body_id);
		if (year)
			sqlite3_bind_int(s, 2, year);
		else
			sqlite3_bind_null(s, 2);
		rc = sqlite3_step(s);
		store_stmt_done(s);
		return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
	}
	ret = group_report(st, S_REPORT_OF_BODY_YEAR, body_id, year, &was, what, err);
	if (!ret)
		ret = group_report(st, S_CURRENT_PICK, body_id, year, &pick, what, err);
	if (ret)
		return ret;
	/* the same report current again: changed only if it is the one just written (caller) */
	touch(st, body_id, year, !pick || pick != was, pick);
	ret = store_prep(st, S_CURRENT_SET, &s, what, err);
	if (ret)
		return ret;
	sqlite3_bind_int64(s, 1, body_id);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_int64(s, 3, pick);
	rc = sqlite3_step(s);
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, what, err);
}

int store_refresh_all_current(struct store *st, struct err *err)
{
	static const char sql[] =
		"UPDATE reports SET current = (id IN (SELECT id FROM (SELECT r.id AS id, "
		"row_number() OVER (PARTITION BY r.body_id, r.year ORDER BY " CURRENT_ORDER_SQL ") "
		"AS n FROM reports r JOIN sources s ON s.id = r.source_id WHERE r.year IS NOT NULL "
		"AND NOT " EXCLUDED_SQL("r") ") WHERE n = 1) "
		"OR ((year IS NULL OR body_id = (SELECT id FROM bodies WHERE name = '"
		STORE_UNKNOWN_BODY "')) AND NOT " EXCLUDED_SQL("reports") "))";
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "choose the current reports", err);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "choose the current reports", err);
}
