#ifndef OGI_QUERY_H
#define OGI_QUERY_H
/*
 * Reading the warehouse for reports (reports/): the selected reports with
 * their figures, one at a time, the stored findings, and the bodies that
 * have no report for a year.  Part of store/, the only module that speaks
 * SQL; every statement is fixed text or built from the format table, and
 * every value from the user is a bound parameter.  Each function reads
 * one snapshot of the file.
 *
 * Callbacks return 0 to go on; any other value stops the walk, and the
 * query function returns that value (the callback sets err if it wants a
 * message).  Strings passed to callbacks live until the callback returns.
 */
#include <stddef.h>
#include <stdint.h>

#include "form/report.h"
#include "store/store.h"
#include "util/err.h"

/* query_reports() flags. */
enum {
	/* every report, not only the current one of each body and year (f->all_versions) */
	QUERY_ALL = 1 << 0,
	QUERY_RAW = 1 << 1,	/* keep each cell's published text (report_value.raw) */
	QUERY_T2 = 1 << 2,	/* read the figures of table 2 */
	QUERY_T3 = 1 << 3,	/* ... table 3 */
	QUERY_T4 = 1 << 4,	/* ... table 4 */
	QUERY_FIGURES = QUERY_T2 | QUERY_T3 | QUERY_T4,
	/*
	 * What a row's figure (its total cell, or the sum of its applicant
	 * cells when that is not a number) needs, read fast: the total column
	 * of table 3, and the whole table for a report where a total cell is
	 * not a number or missing.  Other cells of table 3 may then be absent.
	 */
	QUERY_T3_TOTALS = 1 << 5,
	/* With QUERY_T3_TOTALS: every column of the inflow rows (FR_INFLOW) too. */
	QUERY_T3_INFLOW = 1 << 6,
	/* Fill report_info.fetched_at and .source (slower: stored after the page's bytes). */
	QUERY_SOURCE = 1 << 7,
	/* Keep each cell's provenance (report_value how, inferred, src); else it is none. */
	QUERY_PROVENANCE = 1 << 8,
	/* Current reports of no known year too (export): each is current, none replaces it. */
	QUERY_ANY_YEAR = 1 << 9
};

typedef int (*query_report_fn)(void *ctx, const struct report *r, const struct report_info *info);

/*
 * Calls fn for each report matching f, ordered by body name, year and id,
 * with r loaded as store_get_report() loads it (values of the tables asked
 * for, their provenance only with QUERY_PROVENANCE; claims are not read)
 * and info where it was read (fetched_at only with QUERY_SOURCE).
 * Without QUERY_ALL (or f->all_versions) only current reports are given:
 * the one report of each body and year that store_refresh_current()
 * chose; and, unless QUERY_ANY_YEAR, not those whose year is unknown:
 * what a report per body and year means.  info->current says whether a
 * report is current.  r is owned by the query and valid during fn.
 */
int query_reports(struct store *st, const struct report_filter *f, unsigned flags,
		  query_report_fn fn, void *ctx, struct err *err);

/* One rule and kind of the stored findings of a report. */
struct query_flag {
	int64_t report_id;
	const char *organization;
	const char *level;	/* may be NULL */
	const char *parent;	/* may be NULL */
	int year;		/* 0 when unknown */
	const char *location;
	const char *rule;
	const char *kind;	/* "contradiction", "blank", "text" */
	long count;		/* findings of this rule and kind */
};
typedef int (*query_flag_fn)(void *ctx, const struct query_flag *q);

/*
 * Calls fn for each (report, rule, kind) of the stored findings of the
 * reports matching f (current ones unless f->all_versions), ordered by
 * body name, year, report id, rule and kind.
 */
int query_flags(struct store *st, const struct report_filter *f, query_flag_fn fn, void *ctx,
		struct err *err);

/* A body and year without a report. */
struct query_gap {
	const char *organization;
	const char *level;
	const char *parent;
	int year;
};
typedef int (*query_gap_fn)(void *ctx, const struct query_gap *g);

/*
 * Calls fn, ordered by body name and year, for each body matching f's
 * bodies (orgs, parents, levels, body ids) that has at least one current
 * report, and each year without one (an excluded report is none): the
 * years f->year_from..f->year_to when set, else every year some current
 * report is for.  Nothing when f selects reports by id.
 */
int query_gaps(struct store *st, const struct report_filter *f, query_gap_fn fn, void *ctx,
	       struct err *err);

/* A report whose tables are images (reports.reason 'image'): nothing to check, not read. */
struct query_image {
	int64_t report_id;
	const char *organization;
	const char *level;	/* may be NULL */
	const char *parent;	/* may be NULL */
	int year;		/* 0 when unknown */
	const char *location;
};
typedef int (*query_image_fn)(void *ctx, const struct query_image *q);

/*
 * Calls fn for each report matching f whose tables are images (current
 * ones unless f->all_versions), ordered by body name, year and id.
 */
int query_images(struct store *st, const struct report_filter *f, query_image_fn fn, void *ctx,
		 struct err *err);

/* The first and last years of the reports matching f; 0 and 0 when none has a year. */
int query_year_span(struct store *st, const struct report_filter *f, int *first, int *last,
		    struct err *err);

/* The number of reports and of figures in the warehouse (for the bench's closing note). */
int query_size(struct store *st, int64_t *reports, int64_t *figures, struct err *err);

#endif
