#include "cli/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "parser/check.h"
#include "parser/parse.h"
#include "util/xalloc.h"
#include "util/banned.h"

void ingest_init(struct ingest *ing)
{
	memset(ing, 0, sizeof(*ing));
}

static int batch_begin(struct ingest *ing, struct err *e)
{
	if (ing->in_tx)
		return 0;
	if (store_begin(ing->st, e))
		return -1;
	ing->in_tx = 1;
	ing->batched = 0;
	return 0;
}

static int batch_step(struct ingest *ing, struct err *e)
{
	if (++ing->batched < INGEST_BATCH)
		return 0;
	ing->in_tx = 0;
	return store_commit(ing->st, e) ? -1 : 0;
}

int ingest_finish(struct ingest *ing)
{
	struct err e = ERR_INIT;

	if (!ing->in_tx)
		return EXIT_OK;
	ing->in_tx = 0;
	if (store_commit(ing->st, &e))
		return cli_fail(&e);
	return EXIT_OK;
}

/* Runs the rules on r (stored as report_id) against prev (or NULL) and stores the findings. */
static int check_and_store(struct store *st, int64_t report_id, const struct report *r,
			   const struct report *prev, struct finding_list *out, struct err *err)
{
	check_report(r, prev, out);
	return store_put_findings(st, report_id, out, err);
}

/* Loads the report of the year before report_id's into prev; *found says whether there is one. */
static int load_previous(struct store *st, int64_t report_id, struct report *prev, int *found,
			 struct err *err)
{
	int64_t prev_id = 0;
	int ret = store_previous_report(st, report_id, &prev_id, err);

	*found = 0;
	if (!ret && prev_id) {
		ret = store_get_report(st, prev_id, prev, NULL, err);
		*found = !ret;
	}
	return ret;
}

int ingest_check_report(struct store *st, int64_t report_id, struct finding_list *out,
			struct err *err)
{
	struct report r, prev;
	int has_prev = 0, ret;

	report_init(&r);
	report_init(&prev);
	ret = store_get_report(st, report_id, &r, NULL, err);
	if (!ret)
		ret = load_previous(st, report_id, &prev, &has_prev, err);
	if (!ret)
		ret = check_and_store(st, report_id, &r, has_prev ? &prev : NULL, out, err);
	report_release(&r);
	report_release(&prev);
	return ret;
}

/*
 * Checks a report just stored, from the struct in hand, and the report of
 * the year after it, whose YEAR-CARRY now has this one to compare with.
 */
static int check_stored(struct ingest *ing, int64_t report_id, const struct report *r,
			struct err *e)
{
	struct finding_list l;
	struct report other;
	int64_t next_id = 0;
	int has_prev = 0, ret;

	finding_list_init(&l);
	report_init(&other);
	ret = load_previous(ing->st, report_id, &other, &has_prev, e);
	if (!ret)
		ret = check_and_store(ing->st, report_id, r, has_prev ? &other : NULL, &l, e);
	if (!ret)
		ret = store_next_report(ing->st, report_id, &next_id, e);
	if (!ret && next_id) {
		finding_list_release(&l);
		finding_list_init(&l);
		ret = store_get_report(ing->st, next_id, &other, NULL, e);
		if (!ret)
			ret = check_and_store(ing->st, next_id, &other, r, &l, e);
	}
	finding_list_release(&l);
	report_release(&other);
	return ret;
}

static void print_line(const char *what, const struct report *r, const char *where)
{
	if (cli_quiet)
		return;
	printf("%-9s %s  %d  %s  %s  %s\n", what,
	       r->organization ? r->organization : "(unknown)", r->year,
	       fmt_version_name(r->format), report_status_name(r->status), where);
}

void ingest_parse(const struct parse_input *in, struct ingest_parsed *out)
{
	err_clear(&out->err);
	report_init(&out->r);
	out->ok = !parse_report(in, &out->r, &out->err);
}

void ingest_parsed_release(struct ingest_parsed *p)
{
	if (p->ok)
		report_release(&p->r);
	p->ok = 0;
}

int ingest_store_parsed(struct ingest *ing, int64_t source_id, const char *location,
			const struct ingest_parsed *p)
{
	struct err e = ERR_INIT;
	int64_t report_id = 0, old_id = 0;
	int old_version = 0;

	if (!p->ok) {
		/* Not a report: the bytes stay stored; the next parser may read them. */
		cli_error("%s", p->err.msg);
		ing->not_reports++;
		return EXIT_FOUND;
	}
	if (store_report_at_location(ing->st, location, &old_id, &old_version, &e) ||
	    store_put_report(ing->st, source_id, &p->r, PARSER_VERSION, &report_id, &e) ||
	    check_stored(ing, report_id, &p->r, &e)) {
		ing->failed++;	/* the summary adds up: every page is counted once */
		return cli_fail(&e);
	}
	if (old_id) {
		ing->updated++;
		print_line("updated", &p->r, location);
	} else {
		ing->added++;
		print_line("added", &p->r, location);
	}
	return EXIT_OK;
}

/* Parses source_id's bytes and stores the report; the source is already stored. */
static int parse_and_store(struct ingest *ing, int64_t source_id, const char *location,
			   const char *content_type, const char *bytes, size_t len)
{
	struct parse_input in = {
		.bytes = bytes,
		.len = len,
		.location = location,
		.content_type = content_type,
		.organization = ing->org,
		.level = ing->level,
		.parent = ing->parent,
	};
	struct ingest_parsed p;
	int ret;

	ingest_parse(&in, &p);
	ret = ingest_store_parsed(ing, source_id, location, &p);
	ingest_parsed_release(&p);
	return ret;
}

int ingest_bytes(struct ingest *ing, const struct source_meta *m, const char *bytes, size_t len)
{
	struct err e = ERR_INIT;
	int64_t source_id, report_id = 0;
	int is_new, version = 0, ret;

	ing->pages++;
	if (batch_begin(ing, &e) ||
	    store_put_source(ing->st, m, bytes, len, &source_id, &is_new, &e) ||
	    store_report_of_source(ing->st, source_id, &report_id, &version, &e)) {
		ing->failed++;
		return cli_fail(&e);
	}
	if (!is_new && report_id && version >= PARSER_VERSION && !ing->force) {
		ing->unchanged++;
		if (cli_verbose)
			fprintf(stderr, "unchanged %s\n", m->location);
		ret = EXIT_OK;
	} else {
		ret = parse_and_store(ing, source_id, m->location, m->content_type, bytes, len);
	}
	if (ret < EXIT_USAGE && batch_step(ing, &e))
		return cli_fail(&e);
	return ret;
}

int ingest_source(struct ingest *ing, int64_t source_id)
{
	struct err e = ERR_INIT;
	char *bytes = NULL, *location = NULL, *ct = NULL;
	size_t len = 0;
	int ret;

	ing->pages++;
	if (batch_begin(ing, &e) ||
	    store_get_source(ing->st, source_id, &bytes, &len, &location, &ct, &e)) {
		ing->failed++;
		return cli_fail(&e);
	}
	ret = parse_and_store(ing, source_id, location, ct, bytes, len);
	if (ret < EXIT_USAGE && batch_step(ing, &e))
		ret = cli_fail(&e);
	free(bytes);
	free(location);
	free(ct);
	return ret;
}

/* Reads a whole regular file, refusing more than PARSE_MAX_BYTES before reading it. */
static int read_file(const char *path, char **out, size_t *len)
{
	struct stat sb;
	char *data = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		cli_error("cannot read '%s': not a regular file", path);
		goto fail;
	}
	if ((unsigned long long)sb.st_size > PARSE_MAX_BYTES) {
		cli_error("cannot read '%s': %lld bytes, over the %u MiB limit", path,
			  (long long)sb.st_size, PARSE_MAX_BYTES >> 20);
		goto fail;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, data + got, (size_t)sb.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cli_error("cannot read '%s': %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;	/* the file shrank meanwhile: take what is there */
		got += (size_t)n;
	}
	data[got] = '\0';
	close(fd);
	*out = data;
	*len = got;
	return 0;
fail:
	free(data);
	close(fd);
	return -1;
}

int ingest_file(struct ingest *ing, const char *path)
{
	char *bytes = NULL, *abs = NULL;
	size_t len = 0;
	int ret;

	if (read_file(path, &bytes, &len)) {
		ing->pages++;
		ing->failed++;
		return EXIT_FOUND;
	}
	if (!len) {
		cli_error("cannot read '%s': empty file", path);
		ing->pages++;
		ing->failed++;
		free(bytes);
		return EXIT_FOUND;
	}
	abs = realpath(path, NULL);
	{
		struct source_meta m = { .location = abs ? abs : path };

		ret = ingest_bytes(ing, &m, bytes, len);
	}
	free(abs);
	free(bytes);
	return ret;
}
