#ifndef OGI_CRAWL_H
#define OGI_CRAWL_H
/*
 * The crawl: seeds -> listing pages and their pagination -> report pages
 * -> attachment links, on the fetch engine (crawler/fetch.h), with the
 * frontier in the warehouse (store/crawl.h).
 *
 *  - Every fetch result is committed with the URLs it discovered, in a
 *    group of results (at most CRAWL_GROUP_RESULTS, within
 *    CRAWL_GROUP_SECONDS of the group's first, whether or not more come);
 *    a killed crawl run again resumes where it stopped, fetches nothing it
 *    had settled, and fetches again what the open group held.
 *  - Scope: a seed's URLs stay on the seed's host (http and https alike)
 *    and under its path prefix when it has one; no link to another host
 *    is followed, and a redirect leaving the scope is not stored.
 *    Listing pages are followed to max_depth pagination hops.
 *  - Scheduling: a run fetches a seed's URLs in the order
 *    store_frontier_due() gives (the seed's own URL, then those never
 *    tried, then those tried longest ago, listing pages before report
 *    pages), except that URLs found in the run go before those not yet
 *    handed to the fetcher; at most max_pages URLs of a seed per run, and
 *    nothing started after time_limit seconds.  What a limit leaves is
 *    counted (struct crawl_seed_result) and comes first in a later run: a
 *    seed of N URLs, whose own page is read every run, is fetched whole in
 *    1 + ceil((N - max_pages) / (max_pages - 1)) runs at most.  A run
 *    stopped at its time limit stays open, and the next crawl of the same
 *    seeds resumes it, as it resumes a killed one.
 *  - Listing pages are fetched conditionally to find new reports; their
 *    bytes are not kept.  Report pages are fetched conditionally (ETag,
 *    Last-Modified); new bytes are parsed, and stored with what they read
 *    unless they read the same as the bytes stored (the digest callback:
 *    a visit counter changes the bytes, not the report) or are stored
 *    already under another URL ("same"); a 304 or the same hash leaves
 *    the stored report alone.
 *  - Hosts: an origin that asks to be left alone (a long Retry-After) or
 *    that times out again and again is paused (crawler/fetch.h), and the
 *    pause is kept in the warehouse (store_crawl_host_put) so that later
 *    runs ask nothing of it before it ends; its URLs are counted as
 *    paused, not failed, and keep their place for the next run.
 *  - Listing pages are read by the list reader of their CMS family
 *    (crawler/lists.h): report links and further list requests, GET or
 *    POST (a list API's: on the seed's host, outside its path too).  A
 *    POST is a frontier row of its own (URL and body), asked every run,
 *    never conditionally.  A seed has at most max_list_pages listing rows.
 *  - Attachments (links to .pdf, .doc, .docx, .wps files) found on report
 *    pages and listing pages are frontier rows of their own, fetched as
 *    report pages are (politeness, robots.txt, scope, size cap, ETag), in
 *    the order they are found, after the page that links them is stored;
 *    their bytes go to the parse and store callbacks likewise.  Other
 *    attachments (spreadsheets, OFD) and those out of scope stay recorded
 *    ("listed"), not fetched.
 *  - Failures are recorded with the fetch class (fetch_class_name) and the
 *    reason, and fetched again by the next run.
 *
 * The crawl knows no parser: pages are turned into UTF-8 for link
 * extraction by the decode callback, parsed by the parse callback and
 * stored by the store callback (pipeline/pipeline.h implements them on
 * parser/ and store/).
 *
 * Report pages are parsed on parse_threads worker threads, so that the
 * crawl's thread only fetches and writes: a new or changed page is held
 * (at most CRAWL_PARSE_AHEAD of them) until its parse is back, then its
 * bytes, its attachment links, its fetch result and its report go into
 * the warehouse in one group of results, in the order the pages came.  A
 * killed crawl loses only pages not committed yet, which are fetched
 * again.
 */
#include <stddef.h>
#include <stdint.h>

#include "crawler/fetch.h"
#include "crawler/links.h"
#include "store/crawl.h"
#include "store/store.h"
#include "util/err.h"

#define CRAWL_DEFAULT_MAX_DEPTH 20
#define CRAWL_DEFAULT_MAX_PAGES 1000
#define CRAWL_DEFAULT_MAX_LIST_PAGES 500
#define CRAWL_DEFAULT_PARSE_THREADS 1
#define CRAWL_MAX_PARSE_THREADS 64
/* Report pages fetched and not yet stored, at most: bounds the bodies held. */
#define CRAWL_PARSE_AHEAD 16
/*
 * Fetch results committed together, at most, and the age of the oldest
 * when the group is committed: a commit per result cost the crawl's
 * thread more than storing a report page, and a kill loses no more than
 * what the last CRAWL_GROUP_SECONDS fetched.
 */
#define CRAWL_GROUP_RESULTS 64
#define CRAWL_GROUP_SECONDS 0.1

/* What the parse callback made of a report page. */
enum crawl_parsed {
	CRAWL_PARSED_TABLES,	/* a report whose tables were read (complete or partial) */
	CRAWL_PARSED_NO_TABLES,	/* a report without a readable table */
	CRAWL_PARSED_NOT_REPORT	/* not a report at all */
};

/* A report page's (or an attachment's) bytes to parse; valid during the call only. */
struct crawl_bytes {
	const struct seed *seed;
	const char *url;
	const char *content_type;
	const char *bytes;
	size_t len;
	int attachment;		/* a file linked from a report page or a listing */
	const char *link_text;	/* the text of the link to it, or NULL */
};

/*
 * Parses a report page.  Runs on a worker thread while the crawl goes on
 * (crawl_opts.parse_threads), so it may touch nothing shared: no
 * warehouse, no output.  Returns what store and discard take.
 */
typedef void *(*crawl_parse_fn)(const struct crawl_bytes *b, void *arg);

/* A report page whose parse is to be stored; valid during the callback only. */
struct crawl_page {
	const struct seed *seed;
	int64_t url_id;		/* its frontier row */
	int64_t source_id;	/* its stored bytes */
	const char *url;
	int is_new;		/* first bytes of this URL (0: changed, or left by a killed run) */
	int attachment;		/* an attachment row (struct crawl_bytes) */
	int64_t referrer_id;	/* the row of the page that linked it, or 0 */
};

/*
 * Stores what the parse callback made of page p, on the crawl's thread,
 * inside the transaction that stores the page.  Returns an enum
 * crawl_parsed, or -1 with err set for a failure that must stop the crawl
 * (the warehouse failed): the page's transaction is then rolled back.
 */
typedef int (*crawl_store_fn)(const struct crawl_page *p, void *parsed, void *arg,
			      struct err *err);

/* Frees what the parse callback returned. */
typedef void (*crawl_discard_fn)(void *parsed, void *arg);

/*
 * Writes into out a digest of what matters in a parse (the report read, or
 * the page's visible text): two fetches of a URL with the same digest hold
 * the same content whatever their bytes.  Runs on a worker thread after
 * the parse callback, touching nothing shared.
 */
typedef void (*crawl_digest_fn)(const struct crawl_bytes *b, void *parsed,
				char out[SHA256_HEX_LEN], void *arg);

/*
 * The pictures a report page shows its tables in, as its parse found them
 * (absolute URLs, in document order): fetched after it as its attachments,
 * like its documents, with the same politeness, scope and caps.  On the
 * crawl's thread, after the store callback; *urls stays the parse's.
 * Returns how many.
 */
typedef size_t (*crawl_pictures_fn)(void *parsed, char *const **urls, void *arg);

/*
 * Converts a page's bytes to NUL-terminated UTF-8 in *out (malloc'd; the
 * crawl frees it), *outlen its length.  0, or nonzero to skip the page's
 * links.
 */
typedef int (*crawl_decode_fn)(const char *bytes, size_t len, const char *content_type,
			       char **out, size_t *outlen, void *arg);

struct crawl_progress {
	size_t done;		/* fetch results recorded */
	size_t pending;		/* queued or in flight */
	size_t failed;
	double elapsed;		/* seconds */
	const char *url;	/* the URL just recorded */
	const char *result;	/* what happened to it (struct frontier_result) */
};

typedef void (*crawl_progress_fn)(const struct crawl_progress *p, void *arg);

struct crawl_opts {
	/* Politeness, timeouts, User-Agent...; done, done_arg and in_scope are the crawl's. */
	struct fetch_opts fetch;
	int max_depth;			/* CRAWL_DEFAULT_MAX_DEPTH */
	long max_pages;			/* CRAWL_DEFAULT_MAX_PAGES */
	/*
	 * listing rows (pages, list API requests) a seed may have: past them,
	 * the list requests its pages ask are counted (lists_cut), not made
	 */
	long max_list_pages;		/* CRAWL_DEFAULT_MAX_LIST_PAGES */
	struct links_opts links;	/* report patterns; NULLs: the defaults */
	crawl_decode_fn decode;		/* NULL: pages are taken to be UTF-8 */
	crawl_parse_fn parse;		/* NULL: pages are stored, not parsed */
	crawl_store_fn store;		/* required with parse */
	crawl_discard_fn discard;	/* required with parse */
	crawl_digest_fn digest;		/* NULL: new bytes are new content */
	crawl_pictures_fn pictures;	/* NULL: no page shows its tables as pictures */
	int parse_threads;		/* CRAWL_DEFAULT_PARSE_THREADS; 0: the crawl's own */
	double time_limit;		/* seconds; 0: none */
	crawl_progress_fn progress;	/* may be NULL */
	/*
	 * After each transaction (group of results) that stored a page through
	 * the store callback: 1 when it was committed, 0 when it was rolled
	 * back.  What the store callback said of its pages is true only once
	 * committed (outputs wait for it).  May be NULL.
	 */
	void (*committed)(int ok, void *arg);
	/* An origin paused or closed (crawler/fetch.h); may be NULL. */
	fetch_pause_fn host_event;
	void *arg;			/* for progress, committed and host_event */
	void *hooks_arg;		/* for decode, parse, store, discard, digest, pictures */
};

/* The defaults above (fetch_opts_init's for fetch), no callbacks. */
void crawl_opts_init(struct crawl_opts *o);

struct crawl_seed_result {
	struct seed seed;
	struct crawl_counts counts;	/* the whole run, a resumed one included */
	/* this process's share of the run: */
	int budget_hit;			/* max_pages left URLs for the next run */
	long capped;			/* URLs max_pages left for a later run */
	long time_left;			/* URLs time_limit left for a later run */
	long paused;			/* URLs not asked: their origin paused or closed */
	long depth_cut;			/* links not followed: past max_depth */
	long links_cut;			/* links not read: past LINKS_MAX_LINKS on a page */
	long pages_cut;			/* pages cut at LINKS_MAX_INPUT */
	/* list requests not made: past max_list_pages, or past LISTS_MAX_REQUESTS a page */
	long lists_cut;
	long lists_bad;			/* list pages whose list was malformed or missing */
	char *list_problem;		/* the first of them, "URL: what", or NULL */
};

struct crawl_summary {
	int64_t run_id;
	int resumed;			/* a killed run was taken up again */
	int stopped;			/* time_limit ended it */
	struct crawl_seed_result *seeds;
	size_t nseeds;
	struct crawl_reason_list failures;	/* the run's failed URLs by reason */
	struct fetch_stats fetch;	/* this process's share */
	size_t parsed;			/* pages handed to the parse callback */
	double elapsed;
};

void crawl_summary_release(struct crawl_summary *s);

/*
 * The lock that keeps two crawls off one warehouse: an fcntl() lock on
 * "<db_path>.crawl.lock", which the kernel drops when the holder dies (so
 * kill -9 leaves no stale lock).  OGI_EBUSY with "cannot crawl: another
 * crawl (pid N) is running on '<db_path>'" when it is held; OGI_EIO when
 * the lock file cannot be opened.
 */
struct crawl_lock {
	int fd;
	char *path;
};

int crawl_lock_acquire(struct crawl_lock *lk, const char *db_path, struct err *err);
void crawl_lock_release(struct crawl_lock *lk);

/*
 * Crawls the seeds ids[0..n) (n = 0: every seed) to the end, or to a
 * limit.  The caller holds the crawl lock.  out (may be NULL) gets what
 * the run did, what the warehouse holds of it after a failure too (then
 * out->run_id is 0 when it could not be read); release it with
 * crawl_summary_release.  Returns 0 (failed fetches are results, not
 * errors), OGI_ENOTFOUND for an unknown seed, OGI_EINVAL for bad options
 * or patterns, or the warehouse's error; the run is then left to be
 * resumed.
 */
int crawl_run(struct store *st, const int64_t *ids, size_t n, const struct crawl_opts *o,
	      struct crawl_summary *out, struct err *err);

/*
 * What a new run of the seeds would request first, without a request:
 * the listing and report pages known from earlier runs, or the seed's URL
 * for a seed never crawled.  Appended to out in seed then id order; rows
 * of never-crawled seeds have id 0.
 */
int crawl_plan(struct store *st, const int64_t *ids, size_t n, struct frontier_list *out,
	       struct err *err);

/*
 * Checks a seed given by a user: url must be http(s) (it is replaced by
 * its canonical form), org not empty, level one of township, county, city,
 * department, province (or NULL), scope a path starting with '/' (or
 * NULL).  Empty strings are made NULL.  0, or OGI_EINVAL with err set.
 */
int crawl_seed_check(struct seed *s, struct err *err);

/*
 * Parses one line of a seeds file (tab-separated: URL, organization,
 * level, parent, scope, kind; the first two required, empty fields for
 * absent ones).  Fills s (initialised by the caller; strings malloc'd)
 * with the URL normalised.  Returns 1 for a seed, 0 for a line to skip
 * (blank, '#' comment, the header line starting "url"), or -1 with err
 * set for a bad line.
 */
int crawl_parse_seed_line(const char *line, struct seed *s, struct err *err);

#endif
