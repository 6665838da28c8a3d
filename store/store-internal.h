#ifndef OGI_STORE_INTERNAL_H
#define OGI_STORE_INTERNAL_H
/*
 * Access below store.h, for store/ itself and its unit tests only (fault
 * injection such as PRAGMA max_page_count).  Nothing else may include it:
 * store/ is the only module that speaks SQL.
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
