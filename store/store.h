#ifndef OGI_STORE_H
#define OGI_STORE_H
/*
 * The SQLite warehouse.  The only module that speaks SQL.  One file, WAL
 * mode, a versioned schema with forward migrations (schema.c).  Every
 * write function expects to run inside store_begin()/store_commit() when
 * the caller batches; alone it is its own transaction.
 */
#include <stddef.h>
#include <stdint.h>

#include "form/check.h"
#include "form/report.h"
#include "util/err.h"

#define STORE_DEFAULT_PATH "ogi.db"
#define STORE_BUSY_TIMEOUT_MS 30000

struct store;

enum {
	STORE_READONLY = 1 << 0,	/* open read-only; fail if the file is missing */
};

/* Opens (creating and migrating unless read-only) the warehouse at path. */
int store_open(struct store **out, const char *path, unsigned flags, struct err *err);
void store_close(struct store *st);

int store_begin(struct store *st, struct err *err);	/* BEGIN IMMEDIATE */
int store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);

/* The schema version this binary writes; PRAGMA user_version of the file. */
int store_schema_version(void);

/*
 * Whether st was opened read-only (STORE_READONLY): nothing may be
 * written, findings included.
 */
int store_readonly(struct store *st);
/*
 * Whether the file at path may be written by this process: it exists and
 * is writable, it has a write permission bit (a file made read-only with
 * chmod a-w is read-only even for root), and it is not on a read-only
 * file system.  A command that can do without writing (ogi check) opens
 * such a file read-only.
 */
int store_path_writable(const char *path);

/* ---- the current report ---- */

/*
 * A body and year whose current report was chosen again by a write: a
 * report stored, moved to another body, excluded or included, bodies
 * renamed or merged.  year 0: the reports of no known year.
 */
struct store_group {
	int64_t body_id;
	int year;
	/*
	 * Whether its current report may be another one, or read otherwise,
	 * than before; 0 when the writes only chose the same report again
	 * (current says which), another copy of the year having been stored.
	 */
	int changed;
	int64_t current;	/* its current report after the writes; 0: none or not known */
};

/*
 * The groups touched since the last call (caller frees *out), so that
 * the caller can run again what depends on them (pipeline/: the checks
 * of their reports and of the year after, YEAR-CARRY).
 */
size_t store_take_touched(struct store *st, struct store_group **out);

/* ---- sources: raw pages ---- */

struct source_meta {
	const char *location;		/* URL or absolute path */
	const char *content_type;	/* may be NULL */
	const char *fetched_at;		/* ISO 8601 UTC; NULL for now */
	int http_status;		/* 0 for files */
	const char *etag;
	const char *last_modified;
	const char *sha256;		/* the bytes' hex digest when the caller has it; NULL */
};

/*
 * Stores a page's bytes.  When a source with the same content hash exists
 * already (whatever its location), nothing is written and *is_new is 0.
 */
int store_put_source(struct store *st, const struct source_meta *m, const void *bytes, size_t len,
		     int64_t *source_id, int *is_new, struct err *err);
/* Copies the bytes of a source (caller frees *bytes) and its content type (may be NULL). */
int store_get_source(struct store *st, int64_t source_id, char **bytes, size_t *len,
		     char **location, char **content_type, struct err *err);

/* ---- reports and figures ---- */

struct report_info {
	int64_t id;
	int64_t source_id;
	int64_t body_id;
	int current;		/* the current report of its body and year (schema version 6) */
	int parser_version;
	char location[1024];
	char fetched_at[32];
	/* where its figures were read (its chosen source); query_reports() with QUERY_SOURCE */
	char source[1024];
};

/*
 * Stores r as the report of source_id: the body is found or created by
 * name, and a report already stored for the same location is replaced
 * (figures, claims and findings with it).  *report_id gets its id.  The
 * source becomes the report's chosen source, as its page (see
 * store_put_report_from()).
 */
int store_put_report(struct store *st, int64_t source_id, const struct report *r,
		     int parser_version, int64_t *report_id, struct err *err);

/*
 * A report's sources (schema version 5).  A report is keyed by its
 * location (its page's URL, or a file's path); it may have been read from
 * several sources: its page and the files the page links (a PDF of the
 * same report), or a page's bytes as they changed.  One of them, the
 * chosen one, gives the report its figures; pipeline/ chooses.
 */
enum source_role {
	SOURCE_PAGE,		/* the report's own page, or an ingested file */
	SOURCE_ATTACHMENT	/* a file the report's page links */
};

/* "page", "attachment". */
const char *store_source_role_name(enum source_role r);

struct report_source_row {
	int64_t source_id;
	char *location;			/* where it was read */
	enum source_role role;
	int read;			/* its parse read a report: status and reason hold */
	enum report_status status;
	enum report_reason reason;
	int parser_version;
	int chosen;
};

struct report_source_list {
	struct report_source_row *v;
	size_t n, alloc;
};

void store_report_source_list_release(struct report_source_list *l);

/* Where a report's content comes from (store_put_report_from). */
struct report_origin {
	int64_t report_id;		/* the report to replace; 0: the one at location, or new */
	const char *location;		/* the report's location; NULL: the source's */
	const char *source_location;	/* where the source was read; NULL: the report's */
	enum source_role role;
};

/*
 * Stores r, read from source_id, as the content of the report o names
 * (o NULL: the report at the source's location, the source its page):
 * figures, claims and findings replaced, the id kept; or a new report at
 * o->location.  source_id becomes its chosen source, recorded with what
 * r read; the report's other sources stay, not chosen.
 */
int store_put_report_from(struct store *st, int64_t source_id, const struct report_origin *o,
			  const struct report *r, int parser_version, int64_t *report_id,
			  struct err *err);
/*
 * Records source_id, read at location in role, as one of report_id's
 * sources, not chosen, with what its parse read (r; NULL: no report);
 * it replaces the row of the same location.  The report is unchanged.
 */
int store_put_report_source(struct store *st, int64_t report_id, int64_t source_id,
			    const char *location, enum source_role role, const struct report *r,
			    int parser_version, struct err *err);
/* report_id's sources into out, the chosen one first, then pages, then by location. */
int store_report_sources(struct store *st, int64_t report_id, struct report_source_list *out,
			 struct err *err);
/*
 * The report source_id was read for (the newest when several), its role
 * and the location it was read at (caller frees; may be NULL); 0 in
 * *report_id when there is none.
 */
int store_source_origin(struct store *st, int64_t source_id, int64_t *report_id,
			enum source_role *role, char **location, struct err *err);
/*
 * The report source_id was read for and that source's parser version
 * (0 in *report_id when there is none): whether these bytes are read
 * already.
 */
int store_report_of_source(struct store *st, int64_t source_id, int64_t *report_id,
			   int *parser_version, struct err *err);
/* The report stored for a location (URL or path), 0 in *report_id when there is none. */
int store_report_at_location(struct store *st, const char *location, int64_t *report_id,
			     int *parser_version, struct err *err);
/* Loads a stored report (r initialised by the caller); info may be NULL. */
int store_get_report(struct store *st, int64_t report_id, struct report *r,
		     struct report_info *info, struct err *err);
/*
 * What a comparison across years needs of a report, and no more: what
 * store_get_report() loads but no claims and, of the figures, those of
 * table (> 0) alone, and of its rows only those whose flags (FR_*) meet
 * rows, unless rows is 0.
 */
int store_get_report_table(struct store *st, int64_t report_id, int table, unsigned rows,
			   struct report *r, struct err *err);

/*
 * Which reports a reading command selects.  Each list matches any of its
 * values; the lists combine with AND; an empty list matches everything.
 * Strings and arrays are owned by the filter (report_filter_release()).
 * year_from..year_to is the span of the years asked for (0: open), which
 * is all there is to match unless years holds more than one range.
 */
struct year_range {
	int from, to;
};

struct report_filter {
	char **orgs;		/* a substring of the body's name or of one of its aliases */
	size_t norgs, alloc_orgs;
	char **parents;		/* the name (or an alias) of the body's parent */
	size_t nparents, alloc_parents;
	char **levels;
	size_t nlevels, alloc_levels;
	int64_t *ids;		/* report ids */
	size_t nids, alloc_ids;
	int64_t *bodies;	/* body ids */
	size_t nbodies, alloc_bodies;
	struct year_range *years;
	size_t nyears, alloc_years;
	int year_from, year_to;	/* the span of years; 0: open */
	/*
	 * 0: only current reports (one per body and year, see
	 * store_refresh_current()); 1: every stored report, superseded and
	 * excluded ones too.
	 */
	int all_versions;
};

/* An empty filter: every current report. */
void report_filter_init(struct report_filter *f);
void report_filter_release(struct report_filter *f);
void report_filter_add_org(struct report_filter *f, const char *org);
void report_filter_add_parent(struct report_filter *f, const char *parent);
void report_filter_add_level(struct report_filter *f, const char *level);
void report_filter_add_id(struct report_filter *f, int64_t id);
void report_filter_add_body(struct report_filter *f, int64_t body_id);
/* Adds the years from..to (from = to: one year) and widens year_from..year_to. */
void report_filter_add_years(struct report_filter *f, int from, int to);
/* Whether f selects nothing but the reports' versions: no list has a value. */
int report_filter_empty(const struct report_filter *f);

/*
 * Ids of matching reports ordered by body name, year, id; caller frees
 * *ids.  Only current reports unless f->all_versions (or f names ids).
 */
int store_list_reports(struct store *st, const struct report_filter *f, int64_t **ids,
		       size_t *n, struct err *err);
/* Every report of body_id for year (every version, excluded too), by id; caller frees. */
int store_reports_of_group(struct store *st, int64_t body_id, int year, int64_t **ids,
			   size_t *n, struct err *err);
/* The current report of the same body for the year before, 0 when none. */
int store_previous_report(struct store *st, int64_t report_id, int64_t *prev_id, struct err *err);
/* The current report of the same body and year (itself when it is current), 0 when none. */
int store_current_of(struct store *st, int64_t report_id, int64_t *current_id, struct err *err);
/* The current report of the same body for the year after, 0 when none. */
int store_next_report(struct store *st, int64_t report_id, int64_t *next_id, struct err *err);

/*
 * Sources whose report was parsed by an older parser, or that have none
 * (and are not superseded at their location: the bytes a page had
 * before); caller frees.
 */
int store_list_stale_sources(struct store *st, int parser_version, int64_t **ids, size_t *n,
			     struct err *err);

/* ---- findings ---- */

/* Replaces the stored findings of a report with l. */
int store_put_findings(struct store *st, int64_t report_id, const struct finding_list *l,
		       struct err *err);
/*
 * Replaces the stored findings of the rules named (NULL-terminated) with
 * l, which holds findings of those rules only; the others stay.
 */
int store_put_rule_findings(struct store *st, int64_t report_id, const char *const *rules,
			    const struct finding_list *l, struct err *err);

#endif
