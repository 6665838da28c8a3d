#ifndef OGI_STORE_INTERNAL_H
#define OGI_STORE_INTERNAL_H
/*
 * Access below store.h, for store/ itself and its unit tests only (fault
 * injection such as PRAGMA max_page_count).  Nothing else may include it:
 * store/ is the only module that speaks SQL.  It also holds what store.c
 * shares with the files that work through its handle (source.c,
 * report.c, read.c, finding.c): the cached statements and their helpers.
 */
#include <sqlite3.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

/* The handle's connection; owned by st, valid until store_close(). */
sqlite3 *store_sqlite(struct store *st);
/* The path the handle was opened with, for messages. */
const char *store_path(struct store *st);
/* Sets err from the connection's last error ("cannot <what> in '<path>': ..."); its code. */
int store_fail(struct store *st, const char *what, struct err *err);

/*
 * Statements are prepared on first use and kept for the life of the
 * handle: ingest stores a report as ~150 inserts, so re-preparing them
 * would dominate.  Every user resets its statement before returning.
 * Their SQL is store.c's table, the one place each is spelt.
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
	S_FIGURE_INSERT_MANY,	/* STORE_FIGURE_ROWS figures in one step */
	S_CLAIM_INSERT,
	S_FINDING_INSERT,
	S_REPORT_OF_SOURCE,
	S_REPORT_AT_LOCATION,
	S_REPORT_GET,
	S_FIGURES_GET,
	S_FIGURES_GET_TABLE,
	S_FIGURES_GET_ROW,
	S_FIXES_GET,
	S_CLAIMS_GET,
	S_REPORT_BODY_YEAR,
	S_REPORT_OF_BODY_YEAR,
	S_REPORTS_OF_GROUP,
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

/* In *s, statement id from the handle's cache (prepared on first use); 0 or an error code. */
int store_prep(struct store *st, enum stmt_id id, sqlite3_stmt **s, const char *what,
	       struct err *err);
/* Resets s (NULL: nothing to do) and clears its bindings, so that it holds no caller's string. */
void store_stmt_done(sqlite3_stmt *s);
/* Runs statement id, which takes one id as ?1 and returns no rows; 0 or an error code. */
int store_exec_id(struct store *st, enum stmt_id id, int64_t arg, const char *what,
		  struct err *err);
/* Binds v without copying (it must outlive the step); NULL as SQL NULL. */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Binds v; NaN, "no number", as SQL NULL. */
int store_bind_double(sqlite3_stmt *s, int i, double v);
/*
 * Binds ?i..?i+3 (figures.ocr_image, ocr_box, ocr_conf, uncertain) from a
 * figure's OCR provenance: NULL, NULL, NULL and 0 for one not read by OCR.
 */
int store_bind_ocr(sqlite3_stmt *s, int i, const struct value_ocr *o);
/* Reads columns i..i+3 as store_bind_ocr() bound them into o (whose image it replaces). */
void store_column_ocr(sqlite3_stmt *s, int i, struct value_ocr *o);
/* Column i's text as a new string the caller frees, or NULL for SQL NULL. */
char *store_column_dup(sqlite3_stmt *s, int i);

/* How value states are spelled in figures.state (report.c; see the CHECK in schema.c). */
/* Figures a step of S_FIGURE_INSERT_MANY adds (FIGURE_VALUES_16 in store.c). */
#define STORE_FIGURE_ROWS 16
/* Columns of a figure's row, bound in the order of FIGURE_INSERT (store.c). */
#define STORE_FIGURE_COLS 18

#define STORE_NSTATES (VAL_INVALID + 1)
extern const char *const store_state_names[STORE_NSTATES];

/*
 * A write of its own: a transaction (BEGIN IMMEDIATE), or inside the
 * caller's store_begin() a savepoint, so that an error undoes this write
 * only.  store_tx_end() commits (ret 0) or rolls back, and returns ret or
 * the commit's error.
 */
struct store_tx {
	int own;
};
int store_tx_begin(struct store *st, struct store_tx *tx, const char *what, struct err *err);
int store_tx_end(struct store *st, struct store_tx *tx, int ret, const char *what,
		 struct err *err);
/*
 * A read of several statements that sees one snapshot: a read
 * transaction, unless the caller has one open.  store_read_end() ends
 * what store_read_begin() began.
 */
int store_read_begin(struct store *st, struct store_tx *tx, const char *what, struct err *err);
void store_read_end(struct store *st, struct store_tx *tx);

/*
 * The report filter as SQL (filter.c), over reports r, bodies b and their
 * parents p: "1" and the conditions of f's lists, with placeholders
 * numbered from *param up (which advances); filter_bind() binds them from
 * the same number.  FILTER_REPORTS adds the conditions on reports (ids,
 * years, and current = 1 unless f->all_versions or f names ids);
 * FILTER_ANY_VERSION leaves the version out.
 */
enum {
	FILTER_REPORTS = 1 << 0,
	FILTER_ANY_VERSION = 1 << 1
};
#define FILTER_FIRST_PARAM 100
void filter_sql(struct buf *sql, const struct report_filter *f, unsigned what, int *param);
int filter_bind(sqlite3_stmt *s, const struct report_filter *f, unsigned what, int param);

/*
 * The rule that makes one report of a body and year current, as an ORDER
 * BY over reports r joined to their chosen source s: the first is current.
 * A report with readable tables before one without; then the latest
 * published; then the latest fetched (the chosen source's fetch time,
 * then the newest stored bytes); then the newest report.  Schema version
 * 6 applied it once to every report; store.c applies it whenever reports
 * change.
 */
#define CURRENT_ORDER_SQL                                                       \
	"(r.status <> 'no_tables') DESC, coalesce(r.published, '') DESC, "      \
	"s.fetched_at DESC, r.source_id DESC, r.id DESC"
/* An excluded report: its location is in exclusions. */
#define EXCLUDED_SQL(r) "EXISTS (SELECT 1 FROM exclusions x WHERE x.location = " r ".location)"
/* Now, as every time column of the warehouse holds it: "2025-01-10T02:17:05Z". */
#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
/* The body reports whose body could not be read are filed under. */
#define STORE_UNKNOWN_BODY "(unknown)"

/*
 * Makes the current report of body_id's reports for year (0: those of
 * no known year) the one CURRENT_ORDER_SQL puts first, and records the
 * group as touched (store_take_touched()).
 */
int store_refresh_current(struct store *st, int64_t body_id, int year, struct err *err);
/* Every group of every body again: after a merge of warehouses. */
int store_refresh_all_current(struct store *st, struct err *err);
/* Records (body_id, year) as touched without refreshing it. */
void store_touch(struct store *st, int64_t body_id, int year);

#endif
