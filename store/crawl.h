#ifndef OGI_STORE_CRAWL_H
#define OGI_STORE_CRAWL_H
/*
 * The crawler's part of the warehouse (schema versions 3, 7 and 8): the
 * seeds, the frontier (every URL a seed led to, with what its last fetch
 * returned), the crawl runs and the hosts paused.  Part of store/, the
 * only module that speaks SQL; every value is a bound parameter.
 *
 * A frontier row is "settled" in a run when that run recorded a result for
 * it (run_id = the run).  A run that was killed is resumed by the next
 * crawl of the same seeds: what it settled is not fetched again.  Writes
 * follow store.h: alone each is its own transaction, inside
 * store_begin()/store_commit() they join the caller's.
 *
 * Strings in the structs below are malloc'd and owned by the struct; the
 * _release functions free them.
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"
#include "util/err.h"
#include "util/sha256.h"

/* ---- seeds ---- */

enum seed_kind {
	SEED_AUTO,	/* a listing page, unless it shows no report or page link */
	SEED_LISTING,	/* a report-listing (column, 栏目) page */
	SEED_REPORT	/* a single report page */
};

struct seed {
	int64_t id;
	char *url;		/* canonical (crawler/url.h) */
	char *org;		/* the publishing body; never NULL in a stored seed */
	char *level;		/* township, county, city, department, province; or NULL */
	char *parent;		/* e.g. 晋江市; or NULL */
	char *scope;		/* path prefix the crawl stays under; NULL: the whole host */
	enum seed_kind kind;
	char *added_at;		/* ISO 8601 UTC, set by the store */
	/* Filled by store_seed_list() from the frontier; 0 elsewhere. */
	long urls, reports, failed;
	char *last_fetched;	/* newest fetch of any of its URLs, or NULL */
};

struct seed_list {
	struct seed *v;
	size_t n, alloc;
};

void store_seed_init(struct seed *s);
void store_seed_release(struct seed *s);
void store_seed_list_release(struct seed_list *l);

/* "auto", "listing", "report"; store_seed_kind_parse returns 0, or -1 for another word. */
const char *store_seed_kind_name(enum seed_kind k);
int store_seed_kind_parse(const char *s, enum seed_kind *out);

/*
 * Adds s (url and org required), or updates org, level, parent, scope and
 * kind of the seed with the same url.  *id (may be NULL) gets its id,
 * *created (may be NULL) 1 when it was added.
 */
int store_seed_put(struct store *st, const struct seed *s, int64_t *id, int *created,
		   struct err *err);
/* The seed id into out (initialised by the caller); OGI_ENOTFOUND when there is none. */
int store_seed_get(struct store *st, int64_t id, struct seed *out, struct err *err);
/*
 * Appends the seeds whose org contains org (NULL or "": all) to out, in id
 * order, with their frontier counts.
 */
int store_seed_list(struct store *st, const char *org, struct seed_list *out, struct err *err);
/*
 * Removes a seed and its frontier.  The pages and reports it brought in
 * stay.  OGI_ENOTFOUND when there is no such seed.
 */
int store_seed_remove(struct store *st, int64_t id, struct err *err);

/* ---- the frontier ---- */

enum frontier_kind {
	FK_LISTING,	/* fetched each run to discover reports; bytes not kept */
	FK_REPORT,	/* fetched conditionally; bytes stored as a source and parsed */
	/*
	 * a file a report page or listing links: fetched like a report page
	 * when it is a document in scope (crawler/crawl.h), else only recorded
	 */
	FK_ATTACHMENT
};

enum frontier_state {
	FS_NEW,		/* never settled */
	FS_OK,		/* the last fetch got a page or a 304 */
	FS_FAILED,	/* the last fetch failed: tried again next run */
	FS_SKIPPED,	/* robots.txt or scope refused it */
	FS_LISTED	/* attachments: known, not fetched (yet, or ever) */
};

const char *store_frontier_kind_name(enum frontier_kind k);
const char *store_frontier_state_name(enum frontier_state s);

/*
 * What a report page or attachment turned out to be when parsed (frontier
 * note): "report" (tables read), "no_tables", "not_a_report",
 * "attachment_only" (a page without tables that links attachments: the
 * report is in them).  An attachment not read yet is noted "report" when
 * the link itself names a report (a listing's link to a PDF).
 */
#define FRONTIER_NOTE_REPORT "report"
#define FRONTIER_NOTE_NO_TABLES "no_tables"
#define FRONTIER_NOTE_NOT_REPORT "not_a_report"
#define FRONTIER_NOTE_ATTACHMENT_ONLY "attachment_only"

struct frontier_url {
	int64_t id, seed_id, referrer_id, source_id, run_id;
	char *url;
	char *link_text;		/* or NULL */
	enum frontier_kind kind;
	enum frontier_state state;
	int depth;
	char *result;			/* see struct frontier_result; NULL before the first */
	char *note;			/* FRONTIER_NOTE_*; or NULL */
	char *error;			/* why the last fetch failed; or NULL */
	char *etag, *last_modified;	/* from the last response that had them; or NULL */
	char sha256[SHA256_HEX_LEN];	/* of the last body; "" when none */
	/* of what the stored body read (crawl_opts.digest); "" when not known */
	char content_sha256[SHA256_HEX_LEN];
	int parsed;			/* report pages: the current source was parsed */
	int http_status;
	int failures;			/* consecutive failed runs */
	char *last_fetched;		/* or NULL */
	char *post_body;		/* listing rows asked by POST: the form body; NULL: GET */
};

struct frontier_list {
	struct frontier_url *v;
	size_t n, alloc;
};

void store_frontier_url_release(struct frontier_url *u);
void store_frontier_list_release(struct frontier_list *l);

/* The statements of the crawl's hot path, prepared once. */
struct frontier;

int store_frontier_open(struct store *st, struct frontier **out, struct err *err);
void store_frontier_close(struct frontier *fr);

/*
 * Adds url (canonical) to seed_id's frontier unless it is there; a known
 * URL keeps its row, kind and depth.  referrer_id 0: none; text and note
 * may be NULL.  *id gets the row's id, *created (may be NULL) 1 when added.
 */
int store_frontier_add(struct frontier *fr, int64_t seed_id, const char *url,
		       enum frontier_kind kind, int depth, int64_t referrer_id, const char *text,
		       const char *note, int64_t *id, int *created, struct err *err);

/*
 * store_frontier_add for a request POSTed with post_body (NULL: a GET): a
 * row is a request, URL and body, so one URL POSTed with two bodies is two
 * rows (a list API's pages).
 */
int store_frontier_add_post(struct frontier *fr, int64_t seed_id, const char *url,
			    const char *post_body, enum frontier_kind kind, int depth,
			    int64_t referrer_id, const char *text, const char *note, int64_t *id,
			    int *created, struct err *err);

/*
 * Appends seed_id's rows not settled in run_id to out, in the order a run
 * fetches them: the seed's own URL first (where new reports show up), then
 * those never settled, then those settled longest ago (by run); among
 * equals listing pages, then report pages, then attachments, then by id.
 */
int store_frontier_due(struct frontier *fr, int64_t seed_id, int64_t run_id,
		       struct frontier_list *out, struct err *err);
/*
 * Appends seed_id's report and attachment rows whose stored source was not
 * parsed yet (a crash between).
 */
int store_frontier_unparsed(struct frontier *fr, int64_t seed_id, struct frontier_list *out,
			    struct err *err);
/* Rows of seed_id of one kind into *n. */
int store_frontier_count_kind(struct frontier *fr, int64_t seed_id, enum frontier_kind kind,
			      long *n, struct err *err);
/* The row of seed_id for url asked with post_body (NULL: GET) into *id, 0 when none. */
int store_frontier_find(struct frontier *fr, int64_t seed_id, const char *url,
			const char *post_body, int64_t *id, struct err *err);
/* Attachment rows found on page id into *n. */
int store_frontier_count_attachments(struct frontier *fr, int64_t id, long *n, struct err *err);
/* Rows of seed_id settled in run_id into *n. */
int store_frontier_count_settled(struct frontier *fr, int64_t seed_id, int64_t run_id, long *n,
				 struct err *err);

/*
 * The outcome of one fetch.  result: "new" (first bytes for the URL),
 * "changed", "unchanged" (200 with the same bytes, or other bytes that
 * read the same: content_sha256), "not_modified" (304), "same" (bytes stored
 * already under another URL: nothing stored for this one), or a fetch
 * class name (crawler/fetch.h) when it failed or was skipped.
 */
struct frontier_result {
	int64_t id, run_id;
	enum frontier_state state;
	const char *result;
	const char *error;		/* NULL clears it */
	int http_status;
	const char *etag;		/* NULL keeps the stored value */
	const char *last_modified;	/* NULL keeps the stored value */
	const char *sha256;		/* NULL keeps the stored value */
	const char *content_sha256;	/* NULL keeps the stored value */
	int64_t source_id;		/* 0 keeps the stored value */
	int parsed;			/* 0 or 1; -1 keeps the stored value */
	int fetched;			/* a response came: last_fetched = now */
	int changed;			/* new bytes: last_changed = now */
};

/*
 * Records r for row r->id: settles it in r->run_id; failures counts up on
 * FS_FAILED and restarts at 0 otherwise.
 */
int store_frontier_settle(struct frontier *fr, const struct frontier_result *r,
			  struct err *err);
/* Turns row id into a report page (an "auto" seed that showed no links). */
int store_frontier_set_kind(struct frontier *fr, int64_t id, enum frontier_kind kind,
			    struct err *err);
/*
 * Marks row id's current source as parsed, with note (FRONTIER_NOTE_*; may
 * be NULL) and the digest of what it read (NULL keeps the stored one).
 */
int store_frontier_set_parsed(struct frontier *fr, int64_t id, const char *note,
			      const char *content_sha256, struct err *err);

/*
 * Whether bytes whose SHA-256 is sha256 are stored: *source_id their
 * source (0: not stored), *at_url 1 when they are stored for url itself
 * (its location, a report's source at url, or url's frontier row).
 */
int store_frontier_known_bytes(struct frontier *fr, const char *sha256, const char *url,
			       int64_t *source_id, int *at_url, struct err *err);

struct frontier_filter {
	int64_t seed_id;	/* 0: any */
	int64_t run_id;		/* 0: any */
	int state;		/* enum frontier_state, or -1: any */
	int kind;		/* enum frontier_kind, or -1: any */
	int attachment_only;	/* 1: only attachment-only reports (see FRONTIER_NOTE_*) */
};

/* Appends the rows that pass f (NULL: all) to out, by seed then id. */
int store_frontier_list(struct store *st, const struct frontier_filter *f,
			struct frontier_list *out, struct err *err);

/* ---- runs ---- */

/*
 * Starts a crawl run of the seeds named by selection (a string the caller
 * derives from its choice of seeds, e.g. "all" or "1,3").  When the newest
 * run is still marked running with the same selection, it was killed: it is
 * resumed (*resumed = 1) and *run_id is its id.  Otherwise a running run
 * is marked interrupted and a new one is started.  The caller holds the
 * crawl lock, so no other crawl is running.
 */
int store_crawl_run_start(struct store *st, const char *selection, long pid, int64_t *run_id,
			  int *resumed, struct err *err);
/*
 * status: "done" or "failed", or "running" for a run that stopped early
 * and is to be resumed by the next crawl of its seeds; stopped: why it
 * stopped ("time_limit"), or NULL.
 */
int store_crawl_run_finish(struct store *st, int64_t run_id, const char *status,
			   const char *stopped, struct err *err);

/* What a run did to one seed, from the frontier (so a resumed run counts all of it). */
struct crawl_counts {
	long listing;		/* listing pages settled (fetched, 304 or failed) */
	long reports;		/* report pages settled */
	long new_reports;	/* report pages and attachments seen for the first time */
	long changed;		/* report pages and attachments whose bytes changed */
	long unchanged;		/* ... unchanged (same bytes or 304) */
	long failed;		/* rows that failed (any kind) */
	long skipped;		/* robots.txt or scope */
	long no_tables;		/* report pages and attachments settled without tables... */
	long attachment_only;	/* ... report pages of which the report is in an attachment */
	long seed_failed;	/* 1 when the seed's own URL failed or was skipped */
	long attachments;	/* attachments settled (fetched, 304 or failed) */
	long same;		/* report pages and attachments whose bytes are another URL's */
};

int store_crawl_run_counts(struct store *st, int64_t run_id, int64_t seed_id,
			   struct crawl_counts *c, struct err *err);

/* How many URLs of a run failed for one reason (a fetch class name: "timeout", "dns"). */
struct crawl_reason {
	char *reason;
	long n;
};

struct crawl_reason_list {
	struct crawl_reason *v;
	size_t n, alloc;
};

void store_crawl_reason_list_release(struct crawl_reason_list *l);
/* The failed URLs of run_id by reason, the most frequent first, appended to out. */
int store_crawl_run_failures(struct store *st, int64_t run_id, struct crawl_reason_list *out,
			     struct err *err);

/* ---- hosts ---- */

/*
 * An origin ("http://a.test", "https://b.test:8443") that a crawl paused
 * or closed, as crawler/fetch.h's struct fetch_pause tells it.
 */
struct crawl_host {
	char *origin;
	time_t paused_until;	/* wall clock; 0: not paused (closed for one run) */
	char *reason;		/* "retry_after", "timeouts", "failing" */
	char *detail;		/* or NULL */
	char *updated_at;
};

struct crawl_host_list {
	struct crawl_host *v;
	size_t n, alloc;
};

void store_crawl_host_list_release(struct crawl_host_list *l);
/* Records what happened to origin (replacing what was recorded of it). */
int store_crawl_host_put(struct store *st, const struct crawl_host *h, struct err *err);
/* Appends the origins paused past now (wall clock) to out, by origin. */
int store_crawl_hosts_paused(struct store *st, time_t now, struct crawl_host_list *out,
			     struct err *err);

/* ---- attachments and their pages' reports ---- */

/*
 * The report read from the current bytes of frontier row id (a report
 * page), 0 in *report_id when there is none: the report an attachment
 * found on that page may be one more source of.
 */
int store_frontier_report(struct store *st, int64_t id, int64_t *report_id, struct err *err);
/*
 * Whether source_id was fetched as an attachment, and if so the report
 * of the page that links it (0: none) and the link's text (caller frees;
 * may be NULL): what reparse needs to read it as the crawl did.
 */
int store_source_attachment(struct store *st, int64_t source_id, int *is_attachment,
			    int64_t *page_report, char **link_text, struct err *err);
/*
 * The bytes last stored for url fetched as an attachment (a page's
 * picture) into *source_id, 0 when none.  The URL is looked up as written
 * (canonical, crawler/url.h).
 */
int store_attachment_at(struct store *st, const char *url, int64_t *source_id, struct err *err);

#endif
