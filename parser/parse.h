#ifndef OGI_PARSE_H
#define OGI_PARSE_H
/*
 * The parser's front door: a page's raw bytes to a struct report.  Knows
 * nothing of HTTP or SQLite.  Threads may parse pages at the same time:
 * the built-in patterns are compiled once for all, and each thread
 * matches with its own match data (util/re.h).
 */
#include <stddef.h>

#include "parser/report.h"
#include "util/err.h"

/* Bumped whenever extraction changes what it reads; `ogi reparse` redoes older reports. */
#define PARSER_VERSION 1

/* Pages larger than this are refused rather than parsed. */
#define PARSE_MAX_BYTES (64u << 20)

struct parse_input {
	const char *bytes;
	size_t len;
	const char *location;		/* URL or path, for messages; may be NULL */
	const char *content_type;	/* HTTP Content-Type, may be NULL */
	/* Overrides from a seed or the command line; NULL to infer. */
	const char *organization;
	const char *level;
	const char *parent;
};

/*
 * Fills r (initialised by the caller) from the page.  Returns 0 with a
 * report whose status says how much was read, or an error for input that
 * is no report at all (empty, binary, over the size limit); r is then
 * released.
 */
int parse_report(const struct parse_input *in, struct report *r, struct err *err);

#endif
