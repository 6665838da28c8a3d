#include "pipeline/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crawler/url.h"
#include "parser/charset.h"
#include "parser/html.h"
#include "parser/imgtable.h"
#include "store/correct.h"
#include "store/crawl.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/workq.h"
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
	pl->batched = 0;
	return store_commit(pl->st, e) ? -1 : 0;
}

static int drain(struct pipeline *pl, int wait, struct err *e);
static void grids_free(struct pipeline *pl);

int pipeline_finish(struct pipeline *pl, struct err *err)
{
	int ret = drain(pl, 1, err);

	workq_free(pl->q, NULL);
	pl->q = NULL;
	grids_free(pl);
	if (!pl->in_tx)
		return ret;
	pl->in_tx = 0;
	if (ret) {
		struct err ignored = ERR_INIT;

		store_commit(pl->st, &ignored);	/* what was stored before the failure */
		return ret;
	}
	return store_commit(pl->st, err);
}

/* ---- checks ---- */

/*
 * What the rules across years read of report id (check_across_rows()):
 * as the year's report (prev 0) or as the year before's (prev 1).
 */
static int load_across(struct store *st, int64_t id, int prev, struct report *r, struct err *e)
{
	return store_get_report_table(st, id, check_across_table(), check_across_rows(prev), r, e);
}

/*
 * Loads what the rules across years read of the report of the year before
 * report_id's (the current one of its body) into *other; *id is 0 when
 * there is none.
 */
static int load_previous(struct store *st, int64_t report_id, int64_t *id,
			 struct report *other, struct err *e)
{
	int ret = store_previous_report(st, report_id, id, e);

	if (!ret && *id)
		ret = load_across(st, *id, 1, other, e);
	return ret;
}

/* Every rule on report_id as the warehouse holds it (a reviewer's fixes over what was read). */
int pipeline_check_only(struct store *st, int64_t report_id, struct finding_list *out,
			struct err *err)
{
	struct report r, prev;
	int64_t prev_id = 0;
	int ret;

	report_init(&r);
	report_init(&prev);
	ret = store_get_report(st, report_id, &r, NULL, err);
	if (!ret)
		ret = load_previous(st, report_id, &prev_id, &prev, err);
	if (!ret)
		check_report(&r, prev_id ? &prev : NULL, out);
	report_release(&r);
	report_release(&prev);
	return ret;
}

int pipeline_check_report(struct store *st, int64_t report_id, struct finding_list *out,
			  struct err *err)
{
	int ret = pipeline_check_only(st, report_id, out, err);

	return ret ? ret : store_put_findings(st, report_id, out, err);
}

/*
 * A report in hand as the warehouse holds it, so that the reports whose
 * year before it is need not load it again.
 */
struct known {
	int64_t stored;		/* the report just stored, if any: its figures changed */
	int64_t id;		/* r's report (stored, unless a fix changed it); 0: none */
	const struct report *r;
};

/*
 * The reports (every version) of body_id for year, each checked again:
 * all its rules, or (across_only) those across years alone, against the
 * year before loaded unless it is k's.
 */
static int recheck_group(struct store *st, int64_t body_id, int year, int across_only,
			 const struct known *k, struct err *e)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int ret = store_reports_of_group(st, body_id, year, &ids, &n, e);

	for (size_t i = 0; !ret && i < n; i++) {
		struct finding_list l;
		struct report r, prev;
		int64_t prev_id = 0;

		finding_list_init(&l);
		if (!across_only) {
			ret = pipeline_check_report(st, ids[i], &l, e);
			finding_list_release(&l);
			continue;
		}
		report_init(&r);
		report_init(&prev);
		ret = load_across(st, ids[i], 0, &r, e);
		if (!ret)
			ret = store_previous_report(st, ids[i], &prev_id, e);
		if (!ret && prev_id && prev_id != k->id)
			ret = load_across(st, prev_id, 1, &prev, e);
		if (!ret) {
			check_across(&r, !prev_id ? NULL : prev_id == k->id ? k->r : &prev, &l);
			ret = store_put_rule_findings(st, ids[i], check_across_rules(), &l, e);
		}
		report_release(&r);
		report_release(&prev);
		finding_list_release(&l);
	}
	free(ids);
	return ret;
}

/*
 * The groups whose current report was chosen again since the last call
 * (store_take_touched()), with the year after each, whose YEAR-CARRY
 * reads it: each once, checked again.  After a page is stored the
 * reports of a touched year keep their findings (their year before did
 * not change; the page's own report is checked by the caller), so only
 * the rules across years run on the year after (after_only), comparing
 * with hand's report when it is their year before; and only when the
 * group's current report is another one, or is the report just stored.
 */
static int recheck(struct store *st, int after_only, const struct known *hand, struct err *err)
{
	struct store_group *g = NULL, *todo;
	size_t n = store_take_touched(st, &g), ntodo = 0;
	int ret = 0;

	todo = xcalloc(n * 2 + 1, sizeof(*todo));
	for (size_t i = 0; i < n; i++) {
		if (after_only && !g[i].changed && g[i].current != hand->stored)
			continue;	/* the same report current, as it was */
		for (int d = after_only; d <= 1 && g[i].year; d++) {
			struct store_group x = { g[i].body_id, g[i].year + d, 0, 0 };
			size_t k;

			for (k = 0; k < ntodo; k++)
				if (todo[k].body_id == x.body_id && todo[k].year == x.year)
					break;
			if (k == ntodo)
				todo[ntodo++] = x;
		}
	}
	for (size_t i = 0; !ret && i < ntodo; i++)
		ret = recheck_group(st, todo[i].body_id, todo[i].year, after_only, hand, err);
	free(todo);
	free(g);
	return ret;
}

int pipeline_recheck_touched(struct store *st, struct err *err)
{
	static const struct known none = { 0, 0, NULL };

	return recheck(st, 0, &none, err);
}

/*
 * Checks a report just stored: within, the findings of the rules that
 * read it alone, computed where it was parsed from r (NULL: here), unless
 * a reviewer's fixes make the stored report differ from r, when it is
 * checked as stored; then the rules across years against the current
 * report of the year before, and for the reports of the year after each
 * group whose current report may have changed (recheck()).
 */
static int check_stored(struct store *st, int64_t report_id, const struct report *r,
			const struct finding_list *within, struct err *e)
{
	struct finding_list l;
	struct fix_list fixes = { 0 };
	int ret;

	finding_list_init(&l);
	ret = store_fixes(st, report_id, &fixes, e);
	if (!ret && fixes.n) {
		ret = pipeline_check_report(st, report_id, &l, e);
	} else if (!ret) {
		struct report prev;
		int64_t prev_id = 0;

		if (!within)
			check_within(r, &l);
		ret = store_put_findings(st, report_id, within ? within : &l, e);
		finding_list_release(&l);
		finding_list_init(&l);
		report_init(&prev);
		if (!ret)
			ret = load_previous(st, report_id, &prev_id, &prev, e);
		if (!ret && prev_id) {
			check_across(r, &prev, &l);
			if (l.n)
				ret = store_put_rule_findings(st, report_id, check_across_rules(),
							      &l, e);
		}
		report_release(&prev);
	}
	finding_list_release(&l);
	if (!ret) {
		/* the year after compares with this report, as in hand unless a fix changed it */
		struct known k = { report_id, fixes.n ? 0 : report_id, r };

		ret = recheck(st, 1, &k, e);
	}
	store_fix_list_release(&fixes);
	return ret;
}

/* ---- one page ---- */

/* A page parsed, on any thread: its report, or why it is none. */
struct parsed {
	int ok;			/* r holds the report */
	struct report r;
	struct finding_list within;	/* when ok: check_within() of r */
	struct err err;		/* why there is none, when !ok */
	/*
	 * An attachment that is a picture whose header passed imgtable_check():
	 * its grid read into grid (OCR, on the worker), but no report of its
	 * own (ok is 0): it is read with its page and the page's other
	 * pictures, as one document (store_picture()).
	 */
	int picture;
	struct doc grid;
	/* a page's pictures (r.pictures) as absolute URLs, in order; NULL for a file */
	char **urls;
	size_t nurls;
};

/* r's pictures resolved against the page's URL, each once; none for a file's path. */
static void picture_urls(const char *location, const struct report *r, struct parsed *out)
{
	if (!location || (strncmp(location, "http://", 7) && strncmp(location, "https://", 8)))
		return;
	for (size_t i = 0; i < r->npictures; i++) {
		char *u = url_resolve(location, r->pictures[i]);
		size_t k;

		for (k = 0; u && k < out->nurls && strcmp(out->urls[k], u); k++)
			;
		if (!u || k < out->nurls) {
			free(u);
			continue;
		}
		if (!out->urls)
			out->urls = xcalloc(r->npictures, sizeof(*out->urls));
		out->urls[out->nurls++] = u;
	}
}

/*
 * Touches nothing shared, so that the crawl's workers may call it.  An
 * attachment that is a picture is read alone into its grid, the OCR done
 * here, on the worker; its report is its page's (parsed.picture).
 */
static void parse_page(const struct parse_input *in, int attachment, struct parsed *out)
{
	err_clear(&out->err);
	report_init(&out->r);
	finding_list_init(&out->within);
	out->picture = 0;
	out->urls = NULL;
	out->nurls = 0;
	doc_init(&out->grid);
	if (attachment && imgtable_sniff(in->bytes, in->len)) {
		const char *where = in->location ? in->location : "(input)";
		struct err e = ERR_INIT;
		int w, h;

		out->ok = 0;
		out->picture = !imgtable_check(in->bytes, in->len, &w, &h, &e);
		if (!out->picture)
			err_set(&out->err, e.code, "cannot read '%s': %s", where, e.msg);
		else	/* a picture read in part still gives what it read */
			parse_picture_read(in->bytes, in->len, where, &out->grid, &e);
		return;
	}
	out->ok = !parse_report(in, &out->r, &out->err);
	if (out->ok) {
		check_within(&out->r, &out->within);
		picture_urls(in->location, &out->r, out);
	}
}

static void parsed_release(struct parsed *p)
{
	if (p->ok) {
		report_release(&p->r);
		finding_list_release(&p->within);
	}
	for (size_t i = 0; i < p->nurls; i++)
		free(p->urls[i]);
	free(p->urls);
	p->urls = NULL;
	p->nurls = 0;
	doc_release(&p->grid);
	p->picture = 0;
	p->ok = 0;
}

/*
 * Where a parsed source goes: the report it is a source of, found by its
 * location unless named, and, for an attachment, the report of the page
 * that links it, which it joins when it is the same report.
 */
struct target {
	int64_t source_id;
	const char *location;		/* where its bytes were read */
	enum source_role role;
	int64_t report_id;		/* the report it is a source of already (reparse); or 0 */
	int64_t pair_with;		/* an attachment: its page's report; or 0 */
	const char *content_type;
	/* the crawl seed's body (parse_input.publisher...), or NULL */
	const char *publisher, *publisher_level, *publisher_parent;
	const char *link_text;		/* parse_input.link_text, or NULL */
};

/* A file's name (the last part of a path) names many a published report; NULL for a URL. */
static const char *file_name(const char *location)
{
	const char *slash = location && location[0] == '/' ? strrchr(location, '/') : NULL;

	return slash && slash[1] ? slash + 1 : NULL;
}

static void parse_input_of(const struct pipeline *pl, const struct target *t,
			   const char *bytes, size_t len, struct parse_input *in)
{
	memset(in, 0, sizeof(*in));
	in->bytes = bytes;
	in->len = len;
	in->location = t->location;
	in->content_type = t->content_type;
	in->organization = pl->org;
	in->level = pl->level;
	in->parent = pl->parent;
	in->publisher = t->publisher;
	in->publisher_level = t->publisher_level;
	in->publisher_parent = t->publisher_parent;
	in->link_text = t->link_text;
	/* pictures and scans are read with OCR wherever Tesseract and its models are installed */
	in->ocr = 1;
}

/*
 * How much a source's reading is worth to its report: tables read whole,
 * then in part, then none but known to be images (the tables are there,
 * for OCR), then none; 0 for no report at all.
 */
static int rank_of(int read, enum report_status status, enum report_reason reason)
{
	if (!read)
		return 0;
	switch (status) {
	case RS_COMPLETE:
		return 4;
	case RS_PARTIAL:
		return 3;
	default:
		return reason != RREASON_NONE ? 2 : 1;
	}
}

/*
 * Whether an attachment read as b is the report a that its page holds:
 * the same body and year, or not naming one of them (a scanned file names
 * nothing), or the page only has its seed's body.
 */
static int same_report(const struct report *a, const struct report *b)
{
	int org = !a->organization || !b->organization ||
		  !strcmp(a->organization, b->organization) ||
		  a->organization_from == RSRC_SEED || b->organization_from == RSRC_SEED;

	return org && (!a->year || !b->year || a->year == b->year);
}

/*
 * The source report_id should take its figures from once t has been read
 * as r: among its sources (t's row as r now reads) the best ranked, a page
 * before an attachment, then the one chosen so far, then t.  *winner is
 * the index in l, or -1 for t itself; *was_chosen says whether it was the
 * chosen one.
 */
static void choose(const struct report_source_list *l, const struct target *t,
		   const struct report *r, ssize_t *winner, int *was_chosen)
{
	int best = rank_of(1, r->status, r->reason);
	enum source_role best_role = t->role;
	int best_chosen = 0;

	*winner = -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct report_source_row *s = &l->v[i];
		int rank = rank_of(s->read, s->status, s->reason);

		if (!strcmp(s->location, t->location))
			continue;	/* t's own row: t is read again */
		if (rank > best ||
		    (rank == best && s->role == SOURCE_PAGE && best_role != SOURCE_PAGE) ||
		    (rank == best && s->role == best_role && s->chosen && !best_chosen)) {
			best = rank;
			best_role = s->role;
			best_chosen = s->chosen;
			*winner = (ssize_t)i;
		}
	}
	*was_chosen = best_chosen;
}

/*
 * The grids of pictures read in this pipeline's life, by source: a page of
 * k pictures is read again as each comes (store_picture()), and each
 * picture is read by OCR once, not k times.  First in, first out, but for
 * the grids the current read of a page took (pictures_load(): at most
 * DOC_MAX_PICTURES, half of what it holds): their pointers stay valid
 * until the next read.
 */
#define PIPELINE_GRIDS (2 * DOC_MAX_PICTURES)

struct pipeline_grids {
	int64_t source_id[PIPELINE_GRIDS];
	struct doc grid[PIPELINE_GRIDS];
	unsigned long taken[PIPELINE_GRIDS];	/* the read that took it last */
	unsigned long read;			/* the current read */
	size_t n, next;
};

static const struct doc *grid_of(struct pipeline *pl, int64_t source_id)
{
	struct pipeline_grids *g = pl->grids;

	for (size_t i = 0; g && i < g->n; i++)
		if (g->source_id[i] == source_id) {
			g->taken[i] = g->read;
			return &g->grid[i];
		}
	return NULL;
}

/* Keeps a copy of grid as source_id's; returns the copy. */
static const struct doc *grid_keep(struct pipeline *pl, int64_t source_id, const struct doc *grid)
{
	struct pipeline_grids *g = pl->grids;
	size_t i;

	if (!g)
		g = pl->grids = xcalloc(1, sizeof(*g));
	for (i = 0; i < g->n && g->source_id[i] != source_id; i++)
		;
	if (i == g->n && g->n < PIPELINE_GRIDS) {
		i = g->n++;
	} else if (i == g->n) {
		do
			i = g->next++ % PIPELINE_GRIDS;
		while (g->taken[i] == g->read);
	}
	doc_release(&g->grid[i]);
	g->taken[i] = g->read;
	g->source_id[i] = source_id;
	doc_init(&g->grid[i]);
	doc_append(&g->grid[i], grid, NULL);
	return &g->grid[i];
}

static void grids_free(struct pipeline *pl)
{
	struct pipeline_grids *g = pl->grids;

	for (size_t i = 0; g && i < g->n; i++)
		doc_release(&g->grid[i]);
	free(g);
	pl->grids = NULL;
}

/* A page's pictures as the crawl stored them, for parse_input.pictures. */
struct pictures {
	struct parse_picture v[DOC_MAX_PICTURES];
	size_t n;
};

/*
 * The grids of the pictures at urls fetched as attachments, in order,
 * those stored (read by OCR now when not read before).  0, or an error of
 * the warehouse.
 */
static int pictures_load(struct pipeline *pl, char *const *urls, size_t nurls,
			 struct pictures *out, struct err *e)
{
	out->n = 0;
	if (!pl->grids)
		pl->grids = xcalloc(1, sizeof(*pl->grids));
	pl->grids->read++;
	for (size_t i = 0; i < nurls && out->n < DOC_MAX_PICTURES; i++) {
		const struct doc *grid;
		int64_t id;

		if (store_attachment_at(pl->st, urls[i], &id, e))
			return -1;
		if (!id)
			continue;
		grid = grid_of(pl, id);
		if (!grid) {
			struct err why = ERR_INIT;
			struct doc read;
			char *bytes = NULL;
			size_t len = 0;

			if (store_get_source(pl->st, id, &bytes, &len, NULL, NULL, e))
				return -1;
			doc_init(&read);
			parse_picture_read(bytes, len, urls[i], &read, &why);
			grid = grid_keep(pl, id, &read);
			doc_release(&read);
			free(bytes);
		}
		out->v[out->n++] = (struct parse_picture){ NULL, 0, urls[i], grid };
	}
	return 0;
}

/*
 * Page t's bytes read as p: when it shows its tables in pictures the crawl
 * stored, read again with them into *again (*reread set).  0, or an error
 * of the warehouse.
 */
static int read_with_pictures(struct pipeline *pl, const struct target *t,
			      const struct parsed *p, struct parsed *again, int *reread,
			      struct err *e)
{
	struct pictures pics;
	struct parse_input in;
	struct target pt = *t;
	char *bytes = NULL, *ctype = NULL;
	size_t len = 0;
	int ret;

	*reread = 0;
	if (!p->ok || t->role != SOURCE_PAGE || !p->nurls || !t->source_id)
		return 0;
	if (pictures_load(pl, p->urls, p->nurls, &pics, e))
		return -1;
	if (!pics.n)
		return 0;
	ret = store_get_source(pl->st, t->source_id, &bytes, &len, NULL, &ctype, e);
	if (!ret) {
		if (!pt.content_type)
			pt.content_type = ctype;
		parse_input_of(pl, &pt, bytes, len, &in);
		in.pictures = pics.v;
		in.npictures = pics.n;
		parse_page(&in, 0, again);
		*reread = 1;
	}
	free(bytes);
	free(ctype);
	return ret;
}

/*
 * Reads stored source s of report_id again and stores its report as the
 * report's content; out gets it.  0, or an error (the source must read:
 * it did when it was ranked).
 */
static int restore_from(struct pipeline *pl, int64_t report_id,
			const struct report_source_row *s, const struct target *t,
			struct report *out, struct err *e)
{
	struct report_origin o = { report_id, NULL, s->location, s->role };
	struct target other = *t;
	struct parse_input in;
	char *bytes = NULL, *link = NULL;
	size_t len = 0;
	int64_t page;
	int is_att, ret;

	other.location = s->location;
	other.link_text = file_name(s->location);
	ret = store_get_source(pl->st, s->source_id, &bytes, &len, NULL, NULL, e);
	if (!ret && s->role == SOURCE_ATTACHMENT)
		ret = store_source_attachment(pl->st, s->source_id, &is_att, &page, &link, e);
	if (ret) {
		free(bytes);
		return ret;
	}
	if (link)
		other.link_text = link;
	parse_input_of(pl, &other, bytes, len, &in);
	ret = parse_report(&in, out, e);
	if (!ret && s->role == SOURCE_PAGE && out->npictures) {
		/* a page of pictures is read with them, as when it was ranked */
		struct parsed urls = { 0 };
		struct pictures pics;

		picture_urls(s->location, out, &urls);
		ret = pictures_load(pl, urls.urls, urls.nurls, &pics, e);
		if (!ret && pics.n) {
			report_release(out);
			in.pictures = pics.v;
			in.npictures = pics.n;
			ret = parse_report(&in, out, e);
		}
		parsed_release(&urls);
	}
	if (!ret)
		ret = store_put_report_from(pl->st, s->source_id, &o, out, PARSER_VERSION, NULL, e);
	free(bytes);
	free(link);
	return ret;
}

/*
 * t, read as r (within: its checks, as check_stored() takes them), is a
 * source of the stored report report_id: records it
 * and makes the best of the report's sources its content (choose()).
 * *outcome says what became of the report; *stored is r, or the report
 * of the source that now gives the figures (kept in *other).
 */
static int merge(struct pipeline *pl, int64_t report_id, const struct target *t,
		 const struct report *r, const struct finding_list *within,
		 enum pipeline_outcome *outcome,
		 const struct report **stored, struct report *other, struct err *e)
{
	struct report_origin o = { report_id, NULL, t->location, t->role };
	struct report_source_list l = { 0 };
	ssize_t w;
	int was_chosen, ret;

	*stored = r;
	*outcome = PIPELINE_UPDATED;
	ret = store_report_sources(pl->st, report_id, &l, e);
	if (ret)
		goto out;
	choose(&l, t, r, &w, &was_chosen);
	if (w < 0) {
		ret = store_put_report_from(pl->st, t->source_id, &o, r, PARSER_VERSION, NULL, e);
		if (!ret)
			ret = check_stored(pl->st, report_id, r, within, e);
		goto out;
	}
	ret = store_put_report_source(pl->st, report_id, t->source_id, t->location, t->role, r,
				      PARSER_VERSION, e);
	if (ret)
		goto out;
	if (was_chosen) {
		/* the report keeps the figures it has: t is one more source of it */
		*outcome = PIPELINE_ATTACHED;
		goto out;
	}
	/* t was the chosen source and lost its place: the next best gives the figures */
	ret = restore_from(pl, report_id, &l.v[w], t, other, e);
	if (!ret) {
		*stored = other;
		ret = check_stored(pl->st, report_id, other, NULL, e);
	}
out:
	store_report_source_list_release(&l);
	return ret;
}

/*
 * Stores what parse_page made of t's bytes, with its checks, in the
 * caller's transaction if one is open, and emits the page's event.  0 (a
 * report stored, or none to store), or a fatal error.
 */
static int store_reading(struct pipeline *pl, const struct target *t, const struct parsed *p,
			 struct err *e)
{
	const struct report *stored = &p->r;
	struct report other;
	enum pipeline_outcome outcome = PIPELINE_ADDED;
	int64_t report_id = t->report_id;
	int version = 0, ret = 0;

	if (!p->ok) {
		/* Not a report: the bytes stay stored; the next parser may read them. */
		pl->not_reports++;
		emit(pl, PIPELINE_NOT_REPORT, t->location, NULL, 0, &p->err, 0);
		return 0;
	}
	report_init(&other);
	if (!report_id && t->pair_with) {
		struct report page;

		report_init(&page);
		ret = store_get_report(pl->st, t->pair_with, &page, NULL, e);
		if (!ret && same_report(&page, &p->r))
			report_id = t->pair_with;
		if (ret == OGI_ENOTFOUND) {
			ret = 0;	/* the page's report is gone: the attachment stands alone */
			err_clear(e);
		}
		report_release(&page);
	}
	if (!ret && !report_id)
		ret = store_report_at_location(pl->st, t->location, &report_id, &version, e);
	if (!ret && !report_id) {
		struct report_origin o = { 0, t->location, t->location, t->role };

		ret = store_put_report_from(pl->st, t->source_id, &o, &p->r, PARSER_VERSION,
					    &report_id, e);
		if (!ret)
			ret = check_stored(pl->st, report_id, &p->r, &p->within, e);
	} else if (!ret) {
		ret = merge(pl, report_id, t, &p->r, &p->within, &outcome, &stored, &other, e);
	}
	if (ret) {
		report_release(&other);
		pl->failed++;	/* the summary adds up: every page is counted once */
		return fatal(pl, t->location, e);
	}
	if (outcome == PIPELINE_ADDED)
		pl->added++;
	else if (outcome == PIPELINE_UPDATED)
		pl->updated++;
	else
		pl->attached++;
	emit(pl, outcome, t->location, stored, report_id, NULL, 0);
	report_release(&other);
	return 0;
}

static int store_picture(struct pipeline *pl, const struct target *t, const struct parsed *p,
			 int *tables, struct err *e);

/*
 * store_reading() of what parse_page made of t's bytes; a page that shows
 * its tables in pictures the crawl stored is read with them first, a
 * picture is read with its page (store_picture()).
 */
static int store_parsed(struct pipeline *pl, const struct target *t, const struct parsed *p,
			struct err *e)
{
	struct parsed again;
	int reread = 0, ret;

	if (p->picture)
		return store_picture(pl, t, p, NULL, e);
	if (read_with_pictures(pl, t, p, &again, &reread, e)) {
		pl->failed++;
		return fatal(pl, t->location, e);
	}
	ret = store_reading(pl, t, reread && again.ok ? &again : p, e);
	if (reread)
		parsed_release(&again);
	return ret;
}

/*
 * Picture t of a page (fetched, or read again), its grid read as p: one
 * more source of the page's report, recorded as reading nothing of its
 * own (so that it is never chosen, nor read alone); then the page is read
 * again with all its pictures stored so far, as one document, and stored
 * (store_reading()), its event said for the page.  A page of k pictures is
 * so read k times as they come, each picture's grid read once (the
 * pipeline's grids), and ends with all of them whatever their order, or
 * with those that could be fetched.  *tables (unless NULL) says whether
 * the page now reads tables.  0, or a fatal error.
 */
static int store_picture(struct pipeline *pl, const struct target *t, const struct parsed *p,
			 int *tables, struct err *e)
{
	int64_t report_id = t->report_id ? t->report_id : t->pair_with;
	struct report_source_list l = { 0 };
	const struct report_source_row *s = NULL;
	struct target pt;
	struct parsed page = { 0 }, again = { 0 };
	struct parse_input in;
	char *bytes = NULL, *ctype = NULL;
	size_t len = 0;
	int ret, reread = 0;

	if (tables)
		*tables = 0;
	if (!report_id) {
		struct err why = ERR_INIT;

		err_set(&why, OGI_EPARSE, "cannot read '%s': a picture, and its page is no report",
			t->location);
		pl->not_reports++;
		emit(pl, PIPELINE_NOT_REPORT, t->location, NULL, 0, &why, 0);
		return 0;
	}
	grid_keep(pl, t->source_id, &p->grid);
	ret = store_put_report_source(pl->st, report_id, t->source_id, t->location,
				      SOURCE_ATTACHMENT, NULL, PARSER_VERSION, e);
	if (!ret)
		ret = store_report_sources(pl->st, report_id, &l, e);
	for (size_t i = 0; !ret && i < l.n && !s; i++)
		if (l.v[i].role == SOURCE_PAGE)
			s = &l.v[i];
	if (!ret && s)
		ret = store_get_source(pl->st, s->source_id, &bytes, &len, NULL, &ctype, e);
	if (ret) {
		pl->failed++;
		ret = fatal(pl, t->location, e);
		goto out;
	}
	if (s) {
		pt = (struct target){ s->source_id, s->location, SOURCE_PAGE, report_id, 0, ctype,
				      t->publisher, t->publisher_level, t->publisher_parent,
				      file_name(s->location) };
		parse_input_of(pl, &pt, bytes, len, &in);
		parse_page(&in, 0, &page);
		if (read_with_pictures(pl, &pt, &page, &again, &reread, e)) {
			pl->failed++;
			ret = fatal(pl, t->location, e);
			goto out;
		}
		if (page.ok) {
			const struct parsed *now = reread && again.ok ? &again : &page;

			ret = store_reading(pl, &pt, now, e);
			if (tables)
				*tables = now->r.status != RS_NO_TABLES;
			goto out;
		}
	}
	/* no page to read it with (a report keyed by a file): kept, reading nothing */
	{
		struct report none;

		report_init(&none);
		pl->attached++;
		emit(pl, PIPELINE_ATTACHED, t->location, &none, report_id, NULL, 0);
	}
out:
	if (reread)
		parsed_release(&again);
	parsed_release(&page);
	store_report_source_list_release(&l);
	free(bytes);
	free(ctype);
	return ret;
}

/* ---- pages in order, parsed on worker threads ---- */

/*
 * A page on its way: its source stored (or read from the warehouse) on
 * the caller's thread, parsed on a worker, then its report stored on the
 * caller's thread again, in the order the pages came.  With one job there
 * are no workers: workq_push() parses at once, and each page is done
 * before the call returns, as before.
 */
struct job {
	enum { JOB_PAGE, JOB_SOURCE, JOB_FAILED, JOB_SKIPPED } kind;
	struct target t;	/* its strings point into the job's own copies */
	char *bytes;
	size_t len;
	char *location, *content_type;		/* the job's copies */
	char *read_at, *link;			/* JOB_SOURCE: source_target()'s */
	int64_t source_id;
	int is_new;		/* JOB_PAGE: the bytes were not stored before */
	int parse;		/* the workers parse it (not known unchanged when queued) */
	struct parse_input in;
	struct parsed p;
	struct err why;		/* JOB_FAILED, JOB_SKIPPED */
};

/* Where a page was read, for its event. */
static const char *job_where(const struct job *j)
{
	return j->read_at ? j->read_at : j->location ? j->location : "";
}

/* Pages queued past the workers, at most: enough to keep them busy, little memory. */
#define PIPELINE_AHEAD(threads) (2 * (threads) + 2)

static void job_free(struct job *j)
{
	if (j->parse)
		parsed_release(&j->p);
	free(j->bytes);
	free(j->location);
	free(j->content_type);
	free(j->read_at);
	free(j->link);
	free(j);
}

/* On a worker thread (or the caller's, with no workers): touches nothing shared. */
static void job_parse(void *item, void *arg)
{
	struct job *j = item;

	(void)arg;
	if (j->parse)
		parse_page(&j->in, j->t.role == SOURCE_ATTACHMENT, &j->p);
}

void pipeline_set_jobs(struct pipeline *pl, size_t n)
{
	pl->jobs = n > PIPELINE_MAX_JOBS ? PIPELINE_MAX_JOBS : n;
}

static void job_queue(struct pipeline *pl, struct job *j)
{
	if (!pl->q)
		pl->q = workq_new(pl->jobs > 1 ? pl->jobs : 0, job_parse, NULL, NULL);
	if (j->parse)
		parse_input_of(pl, &j->t, j->bytes, j->len, &j->in);
	workq_push(pl->q, j);
}

/*
 * A stored source's target as the warehouse says now: the report it is a
 * source of, where it was read, and, for an attachment, its link's text
 * and the report of its page.  t's strings point into *read_at and *link.
 */
static int source_target(struct pipeline *pl, int64_t source_id, const char *location,
			 struct target *t, char **read_at, char **link, struct err *e)
{
	int64_t page = 0;
	int is_att = 0;

	*read_at = *link = NULL;
	memset(t, 0, sizeof(*t));
	t->source_id = source_id;
	t->role = SOURCE_PAGE;
	if (store_source_origin(pl->st, source_id, &t->report_id, &t->role, read_at, e))
		return -1;
	t->location = *read_at ? *read_at : location;
	t->link_text = file_name(t->location);
	/* An attachment is read again as the crawl read it: with its link's text and its page. */
	if (!t->report_id || t->role == SOURCE_ATTACHMENT) {
		if (store_source_attachment(pl->st, source_id, &is_att, &page, link, e))
			return -1;
		if (is_att) {
			t->role = SOURCE_ATTACHMENT;
			t->link_text = *link;
			if (!t->report_id)
				t->pair_with = page;
		}
	}
	return 0;
}

static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether a page read for target a reads the same for target b. */
static int same_reading(const struct target *a, const struct target *b)
{
	return str_eq(a->location, b->location) && str_eq(a->link_text, b->link_text);
}

/*
 * A page's turn, in order: stores its report (or says it is unchanged, or
 * failed) and emits its event.  0, or a fatal error.
 */
static int job_finish(struct pipeline *pl, struct job *j, struct err *e)
{
	int64_t report_id = 0;
	int version = 0, ret = 0;

	if (j->kind == JOB_FAILED) {
		pl->failed++;
		emit(pl, PIPELINE_FAILED, job_where(j), NULL, 0, &j->why, 0);
		return 0;
	}
	if (j->kind == JOB_SKIPPED) {
		emit(pl, PIPELINE_SKIPPED, job_where(j), NULL, 0, &j->why, 0);
		return 0;
	}
	/* A batch committed since the page was queued: its report opens the next one. */
	if (batch_begin(pl, e)) {
		pl->failed++;
		return fatal(pl, job_where(j), e);
	}
	if (j->kind == JOB_PAGE && !j->is_new) {
		/* Known bytes: read by this parser already, perhaps by a page just before. */
		if (store_report_of_source(pl->st, j->source_id, &report_id, &version, e)) {
			pl->failed++;
			return fatal(pl, job_where(j), e);
		}
		if (report_id && version >= PARSER_VERSION && !pl->force) {
			pl->unchanged++;
			emit(pl, PIPELINE_UNCHANGED, job_where(j), NULL, report_id, NULL, 0);
			return batch_step(pl, e) ? fatal(pl, job_where(j), e) : 0;
		}
	}
	if (j->kind == JOB_SOURCE) {
		/* The pages before it may have moved it (a report's sources chosen again). */
		struct target now;
		char *read_at, *link;

		if (source_target(pl, j->source_id, j->location, &now, &read_at, &link, e)) {
			free(read_at);
			free(link);
			pl->failed++;
			return fatal(pl, job_where(j), e);
		}
		if (!same_reading(&now, &j->t)) {
			parsed_release(&j->p);
			parse_input_of(pl, &now, j->bytes, j->len, &j->in);
			parse_page(&j->in, now.role == SOURCE_ATTACHMENT, &j->p);
		}
		ret = store_parsed(pl, &now, &j->p, e);
		free(read_at);
		free(link);
	} else {
		if (!j->parse) {
			/* stored and current when queued, and no longer: cannot be, but read it */
			j->parse = 1;
			parse_input_of(pl, &j->t, j->bytes, j->len, &j->in);
			parse_page(&j->in, 0, &j->p);
		}
		ret = store_parsed(pl, &j->t, &j->p, e);
	}
	if (!ret && batch_step(pl, e))
		ret = fatal(pl, j->t.location, e);
	return ret;
}

/*
 * Finishes the pages whose parse is done, in order; with wait, every page
 * queued.  On a fatal error the pages after it are dropped, each counted
 * failed with its event.  0 or the error.
 */
static int drain(struct pipeline *pl, int wait, struct err *e)
{
	struct job *j;
	int ret = 0;

	if (!pl->q)
		return 0;
	/*
	 * Without wait, only the pages past PIPELINE_AHEAD: finishing every
	 * page parsed so far would empty the queue, and the workers would wait
	 * while this thread stores them and then reads the next files one by
	 * one.
	 */
	while ((wait || workq_count(pl->q) > PIPELINE_AHEAD(pl->jobs)) &&
	       (j = workq_pop_wait(pl->q))) {
		if (!ret) {
			ret = job_finish(pl, j, e);
		} else if (j->kind == JOB_FAILED || j->kind == JOB_SKIPPED) {
			job_finish(pl, j, e);	/* said as it was: it never needed the warehouse */
		} else {
			struct err dropped = ERR_INIT;

			err_set(&dropped, OGI_EDB, "'%s' not stored: the warehouse failed before it",
				job_where(j));
			pl->failed++;
			emit(pl, PIPELINE_FAILED, job_where(j), NULL, 0, &dropped, 0);
		}
		job_free(j);
		wait = wait || ret;
	}
	return ret;
}

/* A page that failed before it was queued because the warehouse did: in its turn. */
static int job_fatal(struct pipeline *pl, const char *location, struct err *e)
{
	struct err first = *e;
	int ret = drain(pl, 1, e);

	if (ret)
		return ret;	/* a page before it failed already, and said so */
	*e = first;
	pl->failed++;
	return fatal(pl, location, e);
}

static struct job *job_new(int kind, const char *location)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->kind = kind;
	j->location = location ? xstrdup(location) : NULL;
	err_clear(&j->why);
	return j;
}

int pipeline_bytes(struct pipeline *pl, const struct source_meta *m, const char *bytes,
		   size_t len, struct err *err)
{
	struct job *j;
	int64_t report_id = 0;
	int version = 0;

	pl->pages++;
	j = job_new(JOB_PAGE, m->location);
	if (batch_begin(pl, err) ||
	    store_put_source(pl->st, m, bytes, len, &j->source_id, &j->is_new, err) ||
	    store_report_of_source(pl->st, j->source_id, &report_id, &version, err)) {
		job_free(j);
		return job_fatal(pl, m->location, err);
	}
	j->content_type = m->content_type ? xstrdup(m->content_type) : NULL;
	j->t = (struct target){ j->source_id, j->location, SOURCE_PAGE, 0, 0, j->content_type,
				NULL, NULL, NULL, file_name(j->location) };
	/* Known and read by this parser: job_finish() says so in its turn, unparsed. */
	j->parse = j->is_new || !report_id || version < PARSER_VERSION || pl->force;
	if (j->parse) {
		j->bytes = xmalloc(len + 1);
		memcpy(j->bytes, bytes, len);
		j->bytes[len] = '\0';
		j->len = len;
	}
	job_queue(pl, j);
	return drain(pl, 0, err);
}

int pipeline_source(struct pipeline *pl, int64_t source_id, struct err *err)
{
	struct job *j = job_new(JOB_SOURCE, NULL);
	int ret;

	pl->pages++;
	j->source_id = source_id;
	/* A source of a report is read again as that report's source, where it was read. */
	if (batch_begin(pl, err) ||
	    store_get_source(pl->st, source_id, &j->bytes, &j->len, &j->location,
			     &j->content_type, err) ||
	    source_target(pl, source_id, j->location, &j->t, &j->read_at, &j->link, err)) {
		ret = job_fatal(pl, job_where(j), err);
		job_free(j);
		return ret;
	}
	j->t.content_type = j->content_type;
	j->parse = 1;
	job_queue(pl, j);
	return drain(pl, 0, err);
}

/*
 * Reads a whole regular file, refusing more than PARSE_MAX_BYTES before
 * reading it; 0, or -1 with e saying why.  O_NONBLOCK: a FIFO put in a
 * file's place after it was checked is refused by fstat, not waited on.
 */
static int read_file(const char *path, char **out, size_t *len, struct err *e)
{
	struct stat sb;
	char *data = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

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
		/* said in its turn, after the pages before it */
		struct job *j = job_new(JOB_FAILED, path);

		pl->pages++;
		j->why = why;
		free(bytes);
		job_queue(pl, j);
		return drain(pl, 0, err);
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

int pipeline_skip(struct pipeline *pl, const char *path, const struct err *why, int failed,
		  struct err *err)
{
	struct job *j = job_new(failed ? JOB_FAILED : JOB_SKIPPED, path);

	j->why = *why;
	job_queue(pl, j);
	return drain(pl, 0, err);
}

/* ---- the crawl's hooks ---- */

int pipeline_decode_page(const char *bytes, size_t len, const char *content_type, char **out,
			 size_t *outlen, void *arg)
{
	struct charset_result res;
	struct err e = ERR_INIT;

	(void)arg;
	return charset_to_utf8(bytes, len, content_type, out, outlen, &res, &e);
}

/*
 * On a parse worker: a report page or attachment, with its seed's body as
 * the publisher and an attachment's link text for a file that names
 * nothing (a scan).
 */
static void *crawl_parse(const struct crawl_bytes *b, void *arg)
{
	struct parsed *p = xmalloc(sizeof(*p));
	struct parse_input in = {
		.bytes = b->bytes, .len = b->len, .location = b->url,
		.content_type = b->content_type, .publisher = b->seed->org,
		.publisher_level = b->seed->level, .publisher_parent = b->seed->parent,
		.link_text = b->attachment ? b->link_text : NULL,
		.ocr = 1,	/* a scan is read as ingest reads it (parse_input_of) */
	};

	(void)arg;
	parse_page(&in, b->attachment, p);
	return p;
}

/*
 * In the page's transaction: its report, checked, and its event.  An
 * attachment is one more source of the report of the page that links it
 * when it is the same report (store_parsed()), else a report of its own.
 */
static int crawl_store(const struct crawl_page *page, void *parsed, void *arg, struct err *err)
{
	struct pipeline *pl = arg;
	struct parsed *p = parsed;
	struct target t = { page->source_id, page->url, SOURCE_PAGE, 0, 0, NULL,
			    page->seed->org, page->seed->level, page->seed->parent, NULL };
	int tables = 0;

	pl->pages++;
	if (page->attachment) {
		t.role = SOURCE_ATTACHMENT;
		if (page->referrer_id && (p->ok || p->picture) &&
		    store_frontier_report(pl->st, page->referrer_id, &t.pair_with, err)) {
			pl->failed++;
			fatal(pl, page->url, err);
			err_set(err, OGI_EDB, "cannot crawl: storing the report of '%s' failed",
				page->url);
			return -1;
		}
	}
	if (p->picture ? store_picture(pl, &t, p, &tables, err) : store_parsed(pl, &t, p, err)) {
		/* the event said why; the crawl stops, saying where */
		err_set(err, OGI_EDB, "cannot crawl: storing the report of '%s' failed", page->url);
		return -1;
	}
	/* a picture is noted by what its page reads with it */
	if (p->picture)
		return tables ? CRAWL_PARSED_TABLES : CRAWL_PARSED_NO_TABLES;
	if (!p->ok)
		return CRAWL_PARSED_NOT_REPORT;
	return p->r.status == RS_NO_TABLES ? CRAWL_PARSED_NO_TABLES : CRAWL_PARSED_TABLES;
}

/*
 * A digest is the SHA-256 of fields written one after the other into a
 * buffer, each ending with a NUL, so that ("ab", "c") and ("a", "bc") differ.
 */
static void digest_str(struct buf *c, const char *s)
{
	if (s)
		buf_adds(c, s);
	buf_addc(c, '\0');
}

/* v as "%.17g" spells it (buf_add_g17(): snprintf cost more than the rest of the digest). */
static void digest_num(struct buf *c, double v)
{
	buf_add_g17(c, v);
	buf_addc(c, '\0');
}

/*
 * What a report says: its body, year, form, status, figures and claims;
 * not where they stood on the page, nor the charset or the publisher
 * (the seed's, not the page's).
 */
static void digest_report(struct buf *c, const struct report *r)
{
	digest_str(c, "report");
	digest_str(c, r->organization);
	digest_str(c, r->level);
	digest_str(c, r->parent);
	digest_str(c, r->title);
	digest_str(c, r->published);
	digest_str(c, r->missing);
	digest_num(c, r->year);
	digest_num(c, r->format);
	digest_num(c, r->status);
	digest_num(c, r->reason);
	for (size_t i = 0; i < r->nvalues; i++) {
		const struct report_value *v = &r->values[i];

		digest_num(c, v->state);
		digest_num(c, v->state == VAL_NUMBER ? v->num : 0);
		digest_str(c, v->raw);
		digest_num(c, v->inferred);
	}
	for (size_t i = 0; i < r->nclaims; i++) {
		digest_str(c, r->claims[i].claim ? r->claims[i].claim->key : NULL);
		digest_num(c, r->claims[i].value);
		digest_str(c, r->claims[i].raw);
	}
}

/* An HTML page's visible text (title, lines, cells); 0, or -1 when it is no HTML page. */
static int digest_text(struct buf *c, const struct crawl_bytes *b)
{
	struct charset_result cs;
	struct err e = ERR_INIT;
	struct doc doc;
	char *utf8 = NULL;
	size_t len = 0;
	int ret = -1;

	doc_init(&doc);
	if (charset_to_utf8(b->bytes, b->len, b->content_type, &utf8, &len, &cs, &e) ||
	    !html_sniff(utf8, len) || html_parse(utf8, len, &doc, &e))
		goto out;
	digest_str(c, "text");
	digest_str(c, doc.title);
	for (size_t i = 0; i < doc.nlines; i++)
		digest_str(c, doc.lines[i]);
	for (size_t i = 0; i < doc.nrows; i++)
		for (size_t k = 0; k < doc.rows[i].ncells; k++)
			digest_str(c, doc.rows[i].cells[k]);
	ret = 0;
out:
	doc_release(&doc);
	free(utf8);
	return ret;
}

/*
 * On a parse worker: what a fetched page's content is, as opposed to its
 * bytes.  A report is what it reads; a page that is no report is its
 * visible text; a file that is neither is its bytes.  A visit counter or
 * a date in a report page's footer changes nothing here.
 */
static void crawl_digest(const struct crawl_bytes *b, void *parsed, char out[SHA256_HEX_LEN],
			 void *arg)
{
	const struct parsed *p = parsed;
	struct buf c = BUF_INIT(BUF_NOLIMIT);

	(void)arg;
	digest_num(&c, PARSER_VERSION);
	if (p && p->ok) {
		digest_report(&c, &p->r);
	} else if (digest_text(&c, b)) {
		buf_reset(&c);
		digest_str(&c, "bytes");
		buf_add(&c, b->bytes, b->len);
	}
	sha256_hex(buf_str(&c), c.len, out);
	buf_release(&c);
}

static size_t crawl_pictures(void *parsed, char *const **urls, void *arg)
{
	const struct parsed *p = parsed;

	(void)arg;
	*urls = p->urls;
	return p->ok ? p->nurls : 0;
}

static void crawl_discard(void *parsed, void *arg)
{
	(void)arg;
	parsed_release(parsed);
	free(parsed);
}

void pipeline_crawl_hooks(struct pipeline *pl, struct crawl_opts *o)
{
	o->decode = pipeline_decode_page;
	o->parse = crawl_parse;
	o->store = crawl_store;
	o->discard = crawl_discard;
	o->digest = crawl_digest;
	o->pictures = crawl_pictures;
	o->hooks_arg = pl;
}
