#ifndef OGI_PIPELINE_H
#define OGI_PIPELINE_H
/*
 * The pipeline: a report's bytes -> the warehouse (stored first, so that
 * nothing read is lost even when it is no report) -> parsed (parser/) ->
 * its figures stored -> the checks run and their findings stored.  One
 * path for `ogi ingest` (files), `ogi reparse` (stored sources) and
 * `ogi crawl` (through the crawl's hooks, pipeline_crawl_hooks()).
 *
 * A report is keyed by its page (a URL, or a file's path) and may have
 * several sources (store.h, report_sources): its page's bytes, and the
 * files the page links that read as the same report (the same body and
 * year, or naming none: a scan), which the crawl fetches as attachments.
 * An attachment that is another report (another year) is a report of its
 * own at its URL.  Of a report's sources the best gives the figures: tables
 * read whole, then in part, then none but known to be images, then none;
 * the page on a tie, then the source chosen so far.  Every new reading of
 * a source records what it read and makes the choice again: the chosen
 * source read worse gives way, and the next best is read again from the
 * warehouse.  This is the only place that pairs and chooses.
 *
 * It prints nothing and chooses no exit code: the outcome of every page
 * is an event (struct pipeline_event) handed to the caller's callback,
 * and struct pipeline counts them; cli/ prints both.
 *
 * Writes of ingest and reparse are batched into transactions of
 * PIPELINE_BATCH pages: a crash loses at most the open batch and never
 * leaves half a report.  In a crawl the crawl owns the transaction (one
 * per page, crawler/crawl.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "crawler/crawl.h"
#include "form/check.h"
#include "parser/parse.h"
#include "store/store.h"
#include "util/err.h"

struct workq;
struct pipeline_grids;

#define PIPELINE_BATCH 200
#define PIPELINE_MAX_JOBS 64

/* What became of a page (a file, a stored source, a fetched page). */
enum pipeline_outcome {
	PIPELINE_ADDED,		/* a new report */
	PIPELINE_UPDATED,	/* a stored report read again; its id stays */
	/*
	 * one more source of a stored report (an attachment of its page, the
	 * same report), which keeps the figures of a better source
	 */
	PIPELINE_ATTACHED,
	PIPELINE_UNCHANGED,	/* bytes stored already and read by this parser: nothing done */
	PIPELINE_NOT_REPORT,	/* read, but no report (its bytes stay stored) */
	PIPELINE_FAILED,	/* not read, or not stored */
	PIPELINE_SKIPPED	/* left out on purpose (pipeline_skip()); why says why */
};

/* Valid during the callback only. */
struct pipeline_event {
	enum pipeline_outcome outcome;
	const char *location;		/* the file, URL or stored source's location */
	/*
	 * ADDED, UPDATED: the report as now stored (for UPDATED, read from the
	 * report's chosen source: see pipeline_crawl_hooks()); ATTACHED: what
	 * this source read; else NULL
	 */
	const struct report *report;
	int64_t report_id;		/* ADDED, UPDATED, ATTACHED, UNCHANGED; else 0 */
	const struct err *why;		/* NOT_REPORT, FAILED, SKIPPED: why; else NULL */
	/*
	 * FAILED: the warehouse failed and the call returns the same error
	 * (the caller stops); 0 for a page that could not be read.
	 */
	int fatal;
};

typedef void (*pipeline_event_fn)(const struct pipeline_event *ev, void *arg);

struct pipeline {
	struct store *st;
	const char *org, *level, *parent;	/* ingest's overrides of the page, or NULL */
	int force;				/* read again what is stored and current */
	pipeline_event_fn on_event;		/* may be NULL */
	void *arg;				/* for on_event */
	/*
	 * Pages by outcome, each page counted once; a failure that follows a
	 * page's own outcome (its batch's commit) is an event, not a count.
	 */
	size_t pages, added, updated, attached, unchanged, not_reports, failed;
	/* private */
	int in_tx;
	size_t batched;
	size_t jobs;			/* parse threads (pipeline_set_jobs) */
	struct workq *q;		/* pages between their source and their report */
	struct pipeline_grids *grids;	/* pictures read, for their pages (pipeline.c) */
};

/* Zeroes pl for the warehouse st; the caller sets the overrides and the callback. */
void pipeline_init(struct pipeline *pl, struct store *st);

/*
 * Parses pages on n worker threads (at most PIPELINE_MAX_JOBS; 0 or 1:
 * on the caller's thread, the default).  Each page's bytes are still
 * stored by the call that takes it, and its report stored and its event
 * emitted on the caller's thread in the order the pages came, so the
 * warehouse holds what a run on one thread leaves; only an event may come
 * from a later call, or from pipeline_finish().  Set before the first page.
 */
void pipeline_set_jobs(struct pipeline *pl, size_t n);

/*
 * Each call below takes one page: it stores what it must, emits the
 * page's event (with workers, perhaps later: pipeline_set_jobs()) and
 * returns 0; or, when the warehouse failed, emits a FAILED event with
 * fatal set and returns its error code (err set alike): the caller should
 * stop, and call pipeline_finish().  A page that is no report, or a file
 * that cannot be read, is an event and 0.
 */

/*
 * A file: read whole (refused over PARSE_MAX_BYTES before reading), its
 * location its absolute path.
 */
int pipeline_file(struct pipeline *pl, const char *path, struct err *err);

/*
 * Something the caller did not read (a folder's loop, a link out of it, an
 * entry it could not open), said in its turn among the pages: a FAILED
 * event (counted failed, not a page) when failed is set, else SKIPPED.
 */
int pipeline_skip(struct pipeline *pl, const char *path, const struct err *why, int failed,
		  struct err *err);
/*
 * Bytes in hand: stored as a source, then parsed and stored unless the
 * same bytes were read by this parser version already (UNCHANGED).
 */
int pipeline_bytes(struct pipeline *pl, const struct source_meta *m, const char *bytes,
		   size_t len, struct err *err);
/* A stored source parsed again (reparse): its report is replaced, its id kept. */
int pipeline_source(struct pipeline *pl, int64_t source_id, struct err *err);
/*
 * Finishes the pages still at the workers (their events), then commits
 * the open batch; 0 or the error.  Frees what pl holds: call it after a
 * crawl too.
 */
int pipeline_finish(struct pipeline *pl, struct err *err);

/*
 * Runs the rules on a stored report (YEAR-CARRY with the body's current
 * report of the year before) and stores its findings; out gets them.
 */
int pipeline_check_report(struct store *st, int64_t report_id, struct finding_list *out,
			  struct err *err);
/* The same without storing the findings: for a warehouse opened read-only. */
int pipeline_check_only(struct store *st, int64_t report_id, struct finding_list *out,
			struct err *err);
/*
 * Runs the rules again where a write changed what they compare
 * (store_take_touched()): every report of each touched body and year, and
 * of the year after (YEAR-CARRY reads the current report of the year
 * before).  Whoever moves reports (body rename and merge, exclude,
 * include, fix, merging warehouses) calls it before committing.
 */
int pipeline_recheck_touched(struct store *st, struct err *err);

/*
 * A crawl_decode_fn (crawler/crawl.h): a page's bytes as UTF-8, by its
 * Content-Type, its <meta> or a sniff (parser/charset.h); arg unused.
 */
int pipeline_decode_page(const char *bytes, size_t len, const char *content_type, char **out,
			 size_t *outlen, void *arg);

/*
 * Sets o's decode, parse, store and discard hooks and hooks_arg to pl:
 * the crawl then decodes pages for their links, parses report pages on
 * its workers (with the seed's body as the publisher) and stores each
 * one through pl in the page's transaction, with its event.  pl must
 * outlive the crawl; its batching is not used (the crawl commits).
 */
void pipeline_crawl_hooks(struct pipeline *pl, struct crawl_opts *o);

#endif
