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
	int parser_version;
	char location[1024];
	char fetched_at[32];
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

struct report_filter {
	int64_t id;		/* 0: any */
	const char *org;	/* substring of the body's name */
	const char *parent;	/* the body's parent name */
	const char *level;
	int year_from, year_to;	/* 0: open */
};

/* Ids of matching reports ordered by body name, year, id; caller frees *ids. */
int store_list_reports(struct store *st, const struct report_filter *f, int64_t **ids,
		       size_t *n, struct err *err);
/* The report of the same body for the year before, 0 when none. */
int store_previous_report(struct store *st, int64_t report_id, int64_t *prev_id, struct err *err);
/* The report of the same body for the year after, 0 when none. */
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

#endif
