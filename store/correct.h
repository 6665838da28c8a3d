#ifndef OGI_CORRECT_H
#define OGI_CORRECT_H
/*
 * Corrections that last (schema version 6): a report left out of
 * everything current (an exclusion, by the location the report is keyed
 * by, so that it holds across reparse and re-crawl), and a reviewer's
 * value of a cell (a fix), stored apart from what the parser read and
 * written over it each time the report is stored (report.c).  Part of
 * store/; each write is its own transaction or joins the caller's, and
 * records the report's body and year as touched (store_take_touched()).
 */
#include <stddef.h>
#include <stdint.h>

#include "form/report.h"
#include "store/store.h"
#include "util/err.h"

/*
 * Excludes the report at location (a report's page or file, as `ogi list`
 * shows it), now and whenever one is stored there; why is required.
 * *report_id (may be NULL) gets the report there now, 0 when none.
 * Excluding again replaces why.
 */
int store_exclude(struct store *st, const char *location, const char *why, int64_t *report_id,
		  struct err *err);
/* Takes the exclusion of location away; *removed (may be NULL) says whether there was one. */
int store_include(struct store *st, const char *location, int *removed, struct err *err);
/* A report's location (caller frees); OGI_ENOTFOUND when there is no such report. */
int store_report_location(struct store *st, int64_t report_id, char **location, struct err *err);
/* The exclusion of report_id's location: its why (caller frees), or NULL. */
int store_report_excluded(struct store *st, int64_t report_id, char **why, struct err *err);

struct fix {
	int64_t report_id;
	int table;
	char *row, *col;
	char *key;			/* the public key: "rules.issued", "granted/total" */
	enum value_state state;		/* VAL_NUMBER or VAL_BLANK */
	double value;
	char *why, *fixed_at;
	/* what the parser read: VAL_ABSENT when the page had no such cell */
	enum value_state parsed_state;
	double parsed_value;
	char *parsed_raw;
};

struct fix_list {
	struct fix *v;
	size_t n, alloc;
};

void store_fix_list_release(struct fix_list *l);

/*
 * Sets the reviewer's value of the cell (table, row, col) of report_id:
 * state VAL_NUMBER with value, or VAL_BLANK; why is required.  The
 * figure takes it at once; what the parser read stays in the fix.
 */
int store_fix(struct store *st, int64_t report_id, int table, const char *row, const char *col,
	      enum value_state state, double value, const char *why, struct err *err);
/*
 * Takes a fix away: the figure is what the parser read again.  *removed
 * (may be NULL) says whether there was one.
 */
int store_unfix(struct store *st, int64_t report_id, int table, const char *row,
		const char *col, int *removed, struct err *err);
/* The fixes of report_id (0: of every report), by report and cell. */
int store_fixes(struct store *st, int64_t report_id, struct fix_list *out, struct err *err);

#endif
