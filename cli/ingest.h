#ifndef OGI_INGEST_H
#define OGI_INGEST_H
/*
 * The ingest pipeline that `ingest`, `reparse` and `crawl` share: raw
 * bytes into the warehouse, then parse, store the figures and run the
 * checks.  Writes are batched into transactions of INGEST_BATCH pages; a
 * crash loses at most the open batch and never leaves half a report.
 */
#include <stddef.h>
#include <stdint.h>

#include "parser/parse.h"
#include "store/store.h"

#define INGEST_BATCH 200

struct ingest {
	struct store *st;
	const char *org, *level, *parent;	/* overrides, or NULL */
	int force;		/* re-parse even when the stored report is current */
	int in_tx;
	size_t batched;
	size_t pages, added, updated, unchanged;
	size_t not_reports;	/* pages read but holding no report (empty, binary, PDF...) */
	size_t failed;		/* pages that could not be read or stored */
};

void ingest_init(struct ingest *ing);
/* Reads a file and ingests it; prints its line; returns a cli exit code. */
int ingest_file(struct ingest *ing, const char *path);
/* Ingests bytes already in hand (from a file or a fetch). */
int ingest_bytes(struct ingest *ing, const struct source_meta *m, const char *bytes, size_t len);
/* A page parsed, on any thread: its report, or why it is none. */
struct ingest_parsed {
	int ok;			/* r holds the report */
	struct report r;
	struct err err;		/* why there is none, when !ok */
};

/* Parses in into out; touches nothing shared, so any thread may call it. */
void ingest_parse(const struct parse_input *in, struct ingest_parsed *out);
void ingest_parsed_release(struct ingest_parsed *p);

/*
 * Stores what ingest_parse made of source_id's bytes (checks included,
 * in the caller's transaction if one is open) and prints its line; EXIT_OK,
 * EXIT_FOUND when it is no report, or the exit code of a failure.
 */
int ingest_store_parsed(struct ingest *ing, int64_t source_id, const char *location,
			const struct ingest_parsed *p);

/* Parses a stored source again and replaces its report. */
int ingest_source(struct ingest *ing, int64_t source_id);
/* Commits the open batch; returns a cli exit code. */
int ingest_finish(struct ingest *ing);

/* Runs the checks on a stored report and stores its findings (YEAR-CARRY with year-1). */
int ingest_check_report(struct store *st, int64_t report_id, struct finding_list *out,
			struct err *err);

#endif
