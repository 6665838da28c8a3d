#ifndef OGI_CLI_H
#define OGI_CLI_H
/*
 * What the subcommands share: exit codes, option helpers, messages.  Only
 * cli/ prints to the user and chooses exit codes.
 */
#include <stdarg.h>
#include <stdio.h>

#include "parser/parse.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/table.h"

/* Exit codes, documented in `ogi --help` and README.md. */
enum cli_exit {
	EXIT_OK = 0,		/* done; for check: no findings */
	EXIT_FOUND = 1,		/* check: findings exist; ingest: some inputs were not reports */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_FAIL = 3,		/* a runtime error: warehouse, I/O */
	EXIT_BUSY = 4		/* the warehouse is locked by another run */
};

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Global options, set by main() before a command runs. */
extern const char *cli_db_path;	/* --db, else $OGI_DB, else STORE_DEFAULT_PATH */
extern int cli_quiet;
extern int cli_verbose;

/* "ogi: <message>" on stderr, the message made safe as cli_printf does. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "ogi: <msg>" for e and returns the exit code that fits its code. */
int cli_fail(const struct err *e);
/*
 * printf for every line that holds text from a page or a file (a body's
 * name, a title, a URL, a path): the formatted line is written through
 * esc_text(ESC_KEEP_TAB_LF), so control characters (ESC sequences
 * included) become spaces and bidi overrides vanish.  Write errors show in
 * ferror(), as with printf (cli_finish_stdout).
 */
void cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_fprintf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_vfprintf(FILE *out, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* The exit code that fits an error code (enum ogi_code), without a message. */
int cli_exit_code(int code);
/*
 * A page's line as ingest, reparse and crawl print it: "added", "updated"
 * or "attached" (one more source of a report whose figures come from a
 * better one) with the report on stdout (not with --quiet), "unchanged" on stderr with
 * --verbose, and why a page is no report or failed on stderr.
 */
void cli_print_event(const struct pipeline_event *ev);
/*
 * The stdout line of an event that adds or changes a report ("added ...",
 * "updated ...", "attached ..."), appended to out; returns 1, or 0 for an
 * event without such a line.  For callers that print it only once the
 * transaction that stored it is committed (ogi crawl).
 */
int cli_event_line(const struct pipeline_event *ev, struct buf *out);
/* Prints the usage text of a command to out. */
void cli_usage(FILE *out, const char *text);

/* Opens the warehouse named by the global options; prints and returns nonzero on failure. */
int cli_open_store(struct store **st, unsigned flags);

/* "2023" or "2019-2023" into *from, *to; 0 or -1. */
int cli_parse_years(const char *s, int *from, int *to);
/* A non-negative integer argument; 0 or -1. */
int cli_parse_long(const char *s, long *out);
/*
 * --jobs N (1 to max) into *out; 0, or -1 after saying why.  The default
 * is cli_default_jobs(): the processors online, at most max.
 */
int cli_parse_jobs(const char *s, size_t max, size_t *out);
size_t cli_default_jobs(size_t max);

/* Writes t as --format asked; fails with EXIT_FAIL on a write error. */
int cli_write_table(struct table *t, enum table_format f, unsigned flags);
/* Flushes stdout and reports a failed write (as git's run_builtin does). */
int cli_finish_stdout(int code);

int cmd_ingest(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_reparse(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_seed(int argc, char **argv);
int cmd_crawl(int argc, char **argv);
int cmd_body(int argc, char **argv);
int cmd_exclude(int argc, char **argv);
int cmd_include(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_labels(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif

/*
 * The report filter options every reading command takes: --org, --year,
 * --years, --parent, --level, --id, --body, each repeatable and
 * comma-separated (any of the values; the options together: all of
 * them), and --all-versions.  CLI_FILTER_LONGOPTS goes into a
 * getopt_long table; cli_filter_option() handles a returned value and
 * returns 1 when it was one of them, 0 when not, -1 on a bad argument
 * (after printing why).  The filter owns what it is given
 * (report_filter_release()).
 */
enum { OPT_ORG = 1000, OPT_YEAR, OPT_PARENT, OPT_LEVEL, OPT_ID, OPT_FORMAT, OPT_EXCEL,
       OPT_BODY, OPT_ALL_VERSIONS, OPT_FIRST_FREE };
#define CLI_FILTER_LONGOPTS                                          \
	{ "org", required_argument, NULL, OPT_ORG },                 \
	{ "year", required_argument, NULL, OPT_YEAR },               \
	{ "years", required_argument, NULL, OPT_YEAR },              \
	{ "parent", required_argument, NULL, OPT_PARENT },           \
	{ "level", required_argument, NULL, OPT_LEVEL },             \
	{ "id", required_argument, NULL, OPT_ID },                   \
	{ "body", required_argument, NULL, OPT_BODY },               \
	{ "all-versions", no_argument, NULL, OPT_ALL_VERSIONS }
#define CLI_FILTER_HELP                                                              \
	"  --org TEXT        bodies whose name (or an alias) contains TEXT\n"             \
	"  --year Y          one year; --year A-B or --years A-B for a range\n"          \
	"  --parent NAME     bodies under NAME (e.g. 晋江市)\n"                          \
	"  --level LEVEL     township, county, city, province or department\n"           \
	"  --id N            reports by id (see 'ogi list'), whatever their version\n"   \
	"  --body N          bodies by id (see 'ogi body list')\n"                       \
	"                    each option repeatable and comma-separated: --org A,B or\n" \
	"                    --org A --org B is either; options together: all of them\n" \
	"  --all-versions    every stored report, not only the current one of each\n"   \
	"                    body and year (superseded and excluded ones too)\n"
int cli_filter_option(int opt, const char *arg, struct report_filter *f);
/*
 * On stderr, for a filter in a warehouse: each value that matches no body
 * or report ("no body matches --org 'X'"), and "no report matches" when
 * n, the number of rows the command found, is 0.  Scripts get exit 0 and
 * an empty table, people a reason.
 */
void cli_filter_explain(struct store *st, const struct report_filter *f, size_t n);

/*
 * The output options of commands that print tables: --format F and
 * --excel.  CLI_OUTPUT_LONGOPTS goes into the getopt_long table.
 */
struct cli_output {
	enum table_format format;
	unsigned flags;		/* TABLE_EXCEL */
};
#define CLI_OUTPUT_LONGOPTS                                      \
	{ "format", required_argument, NULL, OPT_FORMAT },       \
	{ "excel", no_argument, NULL, OPT_EXCEL }
/*
 * Handles a filter or output option getopt_long returned: 1 when it was
 * one, 0 when not, -1 on a bad argument (after saying why; cmd names the
 * command in the message).
 */
int cli_common_option(int opt, const char *arg, struct report_filter *f, struct cli_output *o,
		      const char *cmd);
