#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "store/body.h"
#include "store/correct.h"
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

/* The levels meta.c gives bodies (parser/meta.h). */
static const char *const levels[] = { "township", "county", "city", "province", "department" };

/* Calls add for each comma-separated value of arg (empty ones skipped); -1 if fn fails. */
static int each_value(const char *arg, int (*fn)(const char *v, struct report_filter *f),
		      struct report_filter *f)
{
	struct buf v = BUF_INIT(BUF_NOLIMIT);
	const char *p = arg;
	int ret = 0;

	while (!ret) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		buf_reset(&v);
		buf_add(&v, p, n);
		if (n)
			ret = fn(buf_str(&v), f);
		if (!comma)
			break;
		p = comma + 1;
	}
	buf_release(&v);
	return ret;
}

static int add_org(const char *v, struct report_filter *f)
{
	report_filter_add_org(f, v);
	return 0;
}

static int add_parent(const char *v, struct report_filter *f)
{
	report_filter_add_parent(f, v);
	return 0;
}

static int add_level(const char *v, struct report_filter *f)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(v, levels[i])) {
			report_filter_add_level(f, v);
			return 0;
		}
	cli_error("unknown level '%s': want township, county, city, province or department", v);
	return -1;
}

static int add_years(const char *v, struct report_filter *f)
{
	int from, to;

	if (cli_parse_years(v, &from, &to)) {
		cli_error("bad year '%s': want YYYY or YYYY-YYYY", v);
		return -1;
	}
	report_filter_add_years(f, from, to);
	return 0;
}

static int add_id(const char *v, struct report_filter *f)
{
	long id;

	if (cli_parse_long(v, &id) || !id) {
		cli_error("bad report id '%s'", v);
		return -1;
	}
	report_filter_add_id(f, id);
	return 0;
}

static int add_body(const char *v, struct report_filter *f)
{
	long id;

	if (cli_parse_long(v, &id) || !id) {
		cli_error("bad body id '%s' (see 'ogi body list')", v);
		return -1;
	}
	report_filter_add_body(f, id);
	return 0;
}

int cli_filter_option(int opt, const char *arg, struct report_filter *f)
{
	int (*fn)(const char *, struct report_filter *);

	switch (opt) {
	case OPT_ORG:
		fn = add_org;
		break;
	case OPT_PARENT:
		fn = add_parent;
		break;
	case OPT_LEVEL:
		fn = add_level;
		break;
	case OPT_YEAR:
		fn = add_years;
		break;
	case OPT_ID:
		fn = add_id;
		break;
	case OPT_BODY:
		fn = add_body;
		break;
	case OPT_ALL_VERSIONS:
		f->all_versions = 1;
		return 1;
	default:
		return 0;
	}
	return each_value(arg, fn, f) ? -1 : 1;
}

void cli_filter_explain(struct store *st, const struct report_filter *f, size_t n)
{
	struct report_filter one;
	struct body_list bl = { 0 };
	struct err e = ERR_INIT;

	for (size_t i = 0; i < f->norgs; i++) {
		report_filter_init(&one);
		report_filter_add_org(&one, f->orgs[i]);
		if (!store_body_list(st, &one, &bl, &e) && !bl.n)
			cli_error("no body matches --org '%s'", f->orgs[i]);
		store_body_list_release(&bl);
		report_filter_release(&one);
	}
	for (size_t i = 0; i < f->nparents; i++) {
		struct body b;

		if (store_body_find(st, f->parents[i], &b, &e) == OGI_ENOTFOUND)
			cli_error("no body named '%s' (--parent)", f->parents[i]);
		store_body_release(&b);
	}
	for (size_t i = 0; i < f->nbodies; i++) {
		struct body b;

		if (store_body_get(st, f->bodies[i], &b, &e) == OGI_ENOTFOUND)
			cli_error("no body %lld (--body)", (long long)f->bodies[i]);
		store_body_release(&b);
	}
	for (size_t i = 0; i < f->nids; i++) {
		char *loc = NULL;

		if (store_report_location(st, f->ids[i], &loc, &e) == OGI_ENOTFOUND)
			cli_error("no report %lld (--id)", (long long)f->ids[i]);
		free(loc);
	}
	if (!n)
		cli_error("no report matches%s", f->all_versions ? ""
				: " (current reports; --all-versions for every stored one)");
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
