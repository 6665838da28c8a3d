#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "util/buf.h"
#include "util/escape.h"
#include "util/banned.h"

const char *cli_db_path;
int cli_quiet;
int cli_verbose;

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ogi: ", stderr);
	va_start(ap, fmt);
	cli_vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_code(int code)
{
	switch (code) {
	case OGI_EINVAL:
		return EXIT_USAGE;
	case OGI_EBUSY:
		return EXIT_BUSY;
	default:
		return EXIT_FAIL;
	}
}

int cli_fail(const struct err *e)
{
	cli_error("%s", e->msg[0] ? e->msg : "unknown error");
	return cli_exit_code(e->code);
}

int cli_event_line(const struct pipeline_event *ev, struct buf *out)
{
	const struct report *r = ev->report;

	if (ev->outcome != PIPELINE_ADDED && ev->outcome != PIPELINE_UPDATED &&
	    ev->outcome != PIPELINE_ATTACHED)
		return 0;
	buf_addf(out, "%-9s %s  %d  %s  %s  %s\n",
		 ev->outcome == PIPELINE_ADDED ? "added" :
		 ev->outcome == PIPELINE_UPDATED ? "updated" : "attached",
		 r->organization ? r->organization : "(unknown)", r->year,
		 fmt_version_name(r->format), report_status_name(r->status), ev->location);
	return 1;
}

void cli_print_event(const struct pipeline_event *ev)
{
	struct buf line = BUF_INIT(BUF_NOLIMIT);

	switch (ev->outcome) {
	case PIPELINE_ADDED:
	case PIPELINE_UPDATED:
	case PIPELINE_ATTACHED:
		if (!cli_quiet && cli_event_line(ev, &line))
			cli_printf("%s", buf_str(&line));
		buf_release(&line);
		break;
	case PIPELINE_UNCHANGED:
		if (cli_verbose)
			cli_fprintf(stderr, "unchanged %s\n", ev->location);
		break;
	case PIPELINE_NOT_REPORT:
		cli_error("%s", ev->why->msg);
		break;
	case PIPELINE_FAILED:
	case PIPELINE_SKIPPED:
		cli_error("%s", ev->why && ev->why->msg[0] ? ev->why->msg : "unknown error");
		break;
	}
}

void cli_usage(FILE *out, const char *text)
{
	fputs(text, out);
}

int cli_open_store(struct store **st, unsigned flags)
{
	struct err e = ERR_INIT;

	if (store_open(st, cli_db_path, flags, &e))
		return cli_fail(&e);
	return 0;
}

int cli_parse_jobs(const char *s, size_t max, size_t *out)
{
	long v;

	if (cli_parse_long(s, &v) || v < 1 || (unsigned long)v > max) {
		cli_error("--jobs: '%s' is not a number from 1 to %zu", s, max);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

size_t cli_default_jobs(size_t max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (size_t)n > max ? max : (size_t)n;
}

int cli_parse_long(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_years(const char *s, int *from, int *to)
{
	const char *dash = strchr(s, '-');
	long a, b;

	if (!dash) {
		if (cli_parse_long(s, &a) || a < 1900 || a > 2200)
			return -1;
		*from = *to = (int)a;
		return 0;
	}
	{
		char first[16];
		size_t n = (size_t)(dash - s);

		if (n == 0 || n >= sizeof(first))
			return -1;
		memcpy(first, s, n);
		first[n] = '\0';
		if (cli_parse_long(first, &a) || cli_parse_long(dash + 1, &b) || a < 1900 ||
		    b > 2200 || a > b)
			return -1;
	}
	*from = (int)a;
	*to = (int)b;
	return 0;
}

int cli_write_table(struct table *t, enum table_format f, unsigned flags)
{
	if (table_write(t, stdout, f, flags)) {
		cli_error("cannot write output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_finish_stdout(int code)
{
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return code;
}

int cli_filter_option(int opt, const char *arg, struct report_filter *f)
{
	long id;

	switch (opt) {
	case OPT_ORG:
		f->org = arg;
		return 1;
	case OPT_PARENT:
		f->parent = arg;
		return 1;
	case OPT_LEVEL:
		f->level = arg;
		return 1;
	case OPT_YEAR:
		if (cli_parse_years(arg, &f->year_from, &f->year_to)) {
			cli_error("bad year '%s': want YYYY or YYYY-YYYY", arg);
			return -1;
		}
		return 1;
	case OPT_ID:
		if (cli_parse_long(arg, &id) || !id) {
			cli_error("bad report id '%s'", arg);
			return -1;
		}
		f->id = id;
		return 1;
	default:
		return 0;
	}
}

int cli_common_option(int opt, const char *arg, struct report_filter *f, struct cli_output *o,
		      const char *cmd)
{
	int r = cli_filter_option(opt, arg, f);

	if (r)
		return r;
	switch (opt) {
	case OPT_FORMAT:
		if (table_format_parse(arg, &o->format)) {
			cli_error("%s: unknown format '%s': want text, csv, json or html", cmd, arg);
			return -1;
		}
		return 1;
	case OPT_EXCEL:
		o->flags |= TABLE_EXCEL;
		return 1;
	default:
		return 0;
	}
}

/*
 * Every line the CLI prints goes through here or a table: what a page
 * said (a title, a body's name, a URL) is cut off from the terminal by
 * esc_text.  TAB and LF stay, for the format's own separators.
 */
void cli_vfprintf(FILE *out, const char *fmt, va_list ap)
{
	struct buf line = BUF_INIT(BUF_NOLIMIT), safe = BUF_INIT(BUF_NOLIMIT);

	buf_vaddf(&line, fmt, ap);
	esc_text(&safe, buf_str(&line), ESC_KEEP_TAB_LF);
	fwrite(buf_str(&safe), 1, safe.len, out);
	buf_release(&line);
	buf_release(&safe);
}

void cli_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfprintf(stdout, fmt, ap);
	va_end(ap);
}

void cli_fprintf(FILE *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfprintf(out, fmt, ap);
	va_end(ap);
}
