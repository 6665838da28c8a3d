#include "pipeline/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parser/charset.h"
#include "util/xalloc.h"
#include "util/banned.h"

void pipeline_init(struct pipeline *pl, struct store *st)
{
	memset(pl, 0, sizeof(*pl));
	pl->st = st;
}

static void emit(struct pipeline *pl, enum pipeline_outcome outcome, const char *location,
		 const struct report *r, int64_t report_id, const struct err *why, int fatal)
{
	struct pipeline_event ev = { outcome, location, r, report_id, why, fatal };

	if (pl->on_event)
		pl->on_event(&ev, pl->arg);
}

/* A page that failed because the warehouse did: its event, and the code to return. */
static int fatal(struct pipeline *pl, const char *location, const struct err *e)
{
	emit(pl, PIPELINE_FAILED, location, NULL, 0, e, 1);
	return e->code ? e->code : OGI_EDB;
}

/* ---- batches ---- */

static int batch_begin(struct pipeline *pl, struct err *e)
{
	if (pl->in_tx)
		return 0;
	if (store_begin(pl->st, e))
		return -1;
	pl->in_tx = 1;
	pl->batched = 0;
	return 0;
}

static int batch_step(struct pipeline *pl, struct err *e)
{
	if (++pl->batched < PIPELINE_BATCH)
		return 0;
	pl->in_tx = 0;
	return store_commit(pl->st, e) ? -1 : 0;
}

int pipeline_finish(struct pipeline *pl, struct err *err)
{
	if (!pl->in_tx)
		return 0;
	pl->in_tx = 0;
	return store_commit(pl->st, err);
}

/* ---- checks ---- */

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

int pipeline_check_report(struct store *st, int64_t report_id, struct finding_list *out,
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
static int check_stored(struct store *st, int64_t report_id, const struct report *r,
			struct err *e)
{
	struct finding_list l;
	struct report other;
	int64_t next_id = 0;
	int has_prev = 0, ret;

	finding_list_init(&l);
	report_init(&other);
	ret = load_previous(st, report_id, &other, &has_prev, e);
	if (!ret)
		ret = check_and_store(st, report_id, r, has_prev ? &other : NULL, &l, e);
	if (!ret)
		ret = store_next_report(st, report_id, &next_id, e);
	if (!ret && next_id) {
		finding_list_release(&l);
		finding_list_init(&l);
		ret = store_get_report(st, next_id, &other, NULL, e);
		if (!ret)
			ret = check_and_store(st, next_id, &other, r, &l, e);
	}
	finding_list_release(&l);
	report_release(&other);
	return ret;
}

/* ---- one page ---- */

/* A page parsed, on any thread: its report, or why it is none. */
struct parsed {
	int ok;			/* r holds the report */
	struct report r;
	struct err err;		/* why there is none, when !ok */
};

/* Touches nothing shared, so that the crawl's workers may call it. */
static void parse_page(const struct parse_input *in, struct parsed *out)
{
	err_clear(&out->err);
	report_init(&out->r);
	out->ok = !parse_report(in, &out->r, &out->err);
}

static void parsed_release(struct parsed *p)
{
	if (p->ok)
		report_release(&p->r);
	p->ok = 0;
}

/*
 * Stores what parse_page made of source_id's bytes, with its checks, in
 * the caller's transaction if one is open, and emits the page's event.
 * 0 (a report stored, or none to store), or a fatal error.
 */
static int store_parsed(struct pipeline *pl, int64_t source_id, const char *location,
			const struct parsed *p, struct err *e)
{
	int64_t report_id = 0, old_id = 0;
	int old_version = 0;

	if (!p->ok) {
		/* Not a report: the bytes stay stored; the next parser may read them. */
		pl->not_reports++;
		emit(pl, PIPELINE_NOT_REPORT, location, NULL, 0, &p->err, 0);
		return 0;
	}
	if (store_report_at_location(pl->st, location, &old_id, &old_version, e) ||
	    store_put_report(pl->st, source_id, &p->r, PARSER_VERSION, &report_id, e) ||
	    check_stored(pl->st, report_id, &p->r, e)) {
		pl->failed++;	/* the summary adds up: every page is counted once */
		return fatal(pl, location, e);
	}
	if (old_id) {
		pl->updated++;
		emit(pl, PIPELINE_UPDATED, location, &p->r, report_id, NULL, 0);
	} else {
		pl->added++;
		emit(pl, PIPELINE_ADDED, location, &p->r, report_id, NULL, 0);
	}
	return 0;
}

/* Parses source_id's bytes and stores the report; the source is already stored. */
static int parse_and_store(struct pipeline *pl, int64_t source_id, const char *location,
			   const char *content_type, const char *bytes, size_t len, struct err *e)
{
	struct parse_input in = {
		.bytes = bytes,
		.len = len,
		.location = location,
		.content_type = content_type,
		.organization = pl->org,
		.level = pl->level,
		.parent = pl->parent,
	};
	struct parsed p;
	int ret;

	parse_page(&in, &p);
	ret = store_parsed(pl, source_id, location, &p, e);
	parsed_release(&p);
	return ret;
}

int pipeline_bytes(struct pipeline *pl, const struct source_meta *m, const char *bytes,
		   size_t len, struct err *err)
{
	int64_t source_id, report_id = 0;
	int is_new, version = 0, ret;

	pl->pages++;
	if (batch_begin(pl, err) ||
	    store_put_source(pl->st, m, bytes, len, &source_id, &is_new, err) ||
	    store_report_of_source(pl->st, source_id, &report_id, &version, err)) {
		pl->failed++;
		return fatal(pl, m->location, err);
	}
	if (!is_new && report_id && version >= PARSER_VERSION && !pl->force) {
		pl->unchanged++;
		emit(pl, PIPELINE_UNCHANGED, m->location, NULL, report_id, NULL, 0);
		ret = 0;
	} else {
		ret = parse_and_store(pl, source_id, m->location, m->content_type, bytes, len, err);
	}
	if (!ret && batch_step(pl, err))
		return fatal(pl, m->location, err);
	return ret;
}

int pipeline_source(struct pipeline *pl, int64_t source_id, struct err *err)
{
	char *bytes = NULL, *location = NULL, *ct = NULL;
	size_t len = 0;
	int ret;

	pl->pages++;
	if (batch_begin(pl, err) ||
	    store_get_source(pl->st, source_id, &bytes, &len, &location, &ct, err)) {
		pl->failed++;
		return fatal(pl, NULL, err);
	}
	ret = parse_and_store(pl, source_id, location, ct, bytes, len, err);
	if (!ret && batch_step(pl, err))
		ret = fatal(pl, location, err);
	free(bytes);
	free(location);
	free(ct);
	return ret;
}

/*
 * Reads a whole regular file, refusing more than PARSE_MAX_BYTES before
 * reading it; 0, or -1 with e saying why.
 */
static int read_file(const char *path, char **out, size_t *len, struct err *e)
{
	struct stat sb;
	char *data = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, OGI_EIO, "cannot read '%s': %s", path, strerror(errno));
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		err_set(e, OGI_EIO, "cannot read '%s': not a regular file", path);
		goto fail;
	}
	if ((unsigned long long)sb.st_size > PARSE_MAX_BYTES) {
		err_set(e, OGI_ETOOBIG, "cannot read '%s': %lld bytes, over the %u MiB limit", path,
			(long long)sb.st_size, PARSE_MAX_BYTES >> 20);
		goto fail;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, data + got, (size_t)sb.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, OGI_EIO, "cannot read '%s': %s", path, strerror(errno));
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

int pipeline_file(struct pipeline *pl, const char *path, struct err *err)
{
	struct err why = ERR_INIT;
	char *bytes = NULL, *abs = NULL;
	size_t len = 0;
	int ret;

	if (read_file(path, &bytes, &len, &why) ||
	    (!len && err_set(&why, OGI_EIO, "cannot read '%s': empty file", path))) {
		pl->pages++;
		pl->failed++;
		emit(pl, PIPELINE_FAILED, path, NULL, 0, &why, 0);
		free(bytes);
		return 0;
	}
	abs = realpath(path, NULL);
	{
		struct source_meta m = { .location = abs ? abs : path };

		ret = pipeline_bytes(pl, &m, bytes, len, err);
	}
	free(abs);
	free(bytes);
	return ret;
}

/* ---- the crawl's hooks ---- */

static int crawl_decode(const char *bytes, size_t len, const char *content_type, char **out,
			size_t *outlen, void *arg)
{
	struct charset_result res;
	struct err e = ERR_INIT;

	(void)arg;
	return charset_to_utf8(bytes, len, content_type, out, outlen, &res, &e);
}

/* On a parse worker: a report page, with its seed's body as the publisher. */
static void *crawl_parse(const struct crawl_bytes *b, void *arg)
{
	struct parsed *p = xmalloc(sizeof(*p));
	struct parse_input in = {
		.bytes = b->bytes, .len = b->len, .location = b->url,
		.content_type = b->content_type, .publisher = b->seed->org,
		.publisher_level = b->seed->level, .publisher_parent = b->seed->parent,
	};

	(void)arg;
	parse_page(&in, p);
	return p;
}

/* In the page's transaction: its report, checked, and its event. */
static int crawl_store(const struct crawl_page *page, void *parsed, void *arg, struct err *err)
{
	struct pipeline *pl = arg;
	struct parsed *p = parsed;

	pl->pages++;
	if (store_parsed(pl, page->source_id, page->url, p, err)) {
		/* the event said why; the crawl stops, saying where */
		err_set(err, OGI_EDB, "cannot crawl: storing the report of '%s' failed", page->url);
		return -1;
	}
	if (!p->ok)
		return CRAWL_PARSED_NOT_REPORT;
	return p->r.status == RS_NO_TABLES ? CRAWL_PARSED_NO_TABLES : CRAWL_PARSED_TABLES;
}

static void crawl_discard(void *parsed, void *arg)
{
	(void)arg;
	parsed_release(parsed);
	free(parsed);
}

void pipeline_crawl_hooks(struct pipeline *pl, struct crawl_opts *o)
{
	o->decode = crawl_decode;
	o->parse = crawl_parse;
	o->store = crawl_store;
	o->discard = crawl_discard;
	o->hooks_arg = pl;
}
