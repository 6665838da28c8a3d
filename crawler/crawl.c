#include "crawler/crawl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "crawler/lists.h"
#include "crawler/url.h"
#include "util/buf.h"
#include "util/gunzip.h"
#include "util/sha256.h"
#include "util/workq.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *const levels[] = { "township", "county", "city", "department", "province" };

void crawl_opts_init(struct crawl_opts *o)
{
	memset(o, 0, sizeof(*o));
	fetch_opts_init(&o->fetch);
	o->max_depth = CRAWL_DEFAULT_MAX_DEPTH;
	o->max_pages = CRAWL_DEFAULT_MAX_PAGES;
	o->max_list_pages = CRAWL_DEFAULT_MAX_LIST_PAGES;
	o->parse_threads = CRAWL_DEFAULT_PARSE_THREADS;
}

void crawl_summary_release(struct crawl_summary *s)
{
	for (size_t i = 0; i < s->nseeds; i++) {
		store_seed_release(&s->seeds[i].seed);
		free(s->seeds[i].list_problem);
	}
	free(s->seeds);
	store_crawl_reason_list_release(&s->failures);
	memset(s, 0, sizeof(*s));
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the lock ---- */

int crawl_lock_acquire(struct crawl_lock *lk, const char *db_path, struct err *err)
{
	struct buf path = BUF_INIT(BUF_NOLIMIT);
	struct flock fl;
	char pid[32];
	int fd, tries;

	lk->fd = -1;
	lk->path = NULL;
	buf_addf(&path, "%s.crawl.lock", db_path);
	fd = open(buf_str(&path), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		int ret = err_set(err, OGI_EIO, "cannot crawl: cannot open '%s': %s",
				  buf_str(&path), strerror(errno));

		buf_release(&path);
		return ret;
	}
	/* A holder that lets go between our two calls: try again, a few times. */
	for (tries = 0; tries < 5; tries++) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (!fcntl(fd, F_SETLK, &fl))
			break;
		if (errno != EACCES && errno != EAGAIN) {
			int ret = err_set(err, OGI_EIO, "cannot crawl: cannot lock '%s': %s",
					  buf_str(&path), strerror(errno));

			close(fd);
			buf_release(&path);
			return ret;
		}
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (!fcntl(fd, F_GETLK, &fl) && fl.l_type != F_UNLCK) {
			close(fd);
			buf_release(&path);
			return err_set(err, OGI_EBUSY,
				       "cannot crawl: another crawl (pid %ld) is running on '%s'",
				       (long)fl.l_pid, db_path);
		}
	}
	if (tries == 5) {
		close(fd);
		buf_release(&path);
		return err_set(err, OGI_EBUSY, "cannot crawl: another crawl is running on '%s'",
			       db_path);
	}
	/* The pid in the file is for people; the lock itself is what counts. */
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, strlen(pid), 0) < 0) {
		/* harmless: the lock is held all the same */
	}
	lk->fd = fd;
	lk->path = buf_take(&path);
	return 0;
}

void crawl_lock_release(struct crawl_lock *lk)
{
	/*
	 * The file stays: removing it would let a process that opened it just
	 * before lock an unlinked file while a third one locks a new file.
	 */
	if (lk->fd >= 0)
		close(lk->fd);
	free(lk->path);
	lk->fd = -1;
	lk->path = NULL;
}

/* ---- seed lines ---- */

static int known_level(const char *s)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(s, levels[i]))
			return 1;
	return 0;
}

/* Copies field [p, e) without surrounding blanks; NULL when empty. */
static char *field_dup(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\r'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	return e > p ? xstrndup(p, (size_t)(e - p)) : NULL;
}

/* Frees *p and makes it NULL when it is empty. */
static void drop_empty(char **p)
{
	if (*p && !**p) {
		free(*p);
		*p = NULL;
	}
}

int crawl_seed_check(struct seed *s, struct err *err)
{
	char *u;

	drop_empty(&s->org);
	drop_empty(&s->level);
	drop_empty(&s->parent);
	drop_empty(&s->scope);
	if (!s->url || !*s->url)
		return err_set(err, OGI_EINVAL, "no URL");
	u = url_normalize(s->url);
	if (!u)
		return err_set(err, OGI_EINVAL, "'%.200s' is not an http(s) URL", s->url);
	free(s->url);
	s->url = u;
	if (!s->org)
		return err_set(err, OGI_EINVAL, "no organization for '%.200s'", s->url);
	if (s->level && !known_level(s->level))
		return err_set(err, OGI_EINVAL,
			       "unknown level '%.64s' (township, county, city, department, "
			       "province)", s->level);
	if (s->scope && s->scope[0] != '/')
		return err_set(err, OGI_EINVAL, "scope '%.200s' is not a path starting with '/'",
			       s->scope);
	return 0;
}

int crawl_parse_seed_line(const char *line, struct seed *s, struct err *err)
{
	char *f[6] = { NULL };
	const char *p = line, *end;
	size_t nf = 0;
	int ret = -1;

	store_seed_release(s);
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	if (!*p || *p == '\n' || *p == '#')
		return 0;
	/* A UTF-8 byte order mark (a file saved by a spreadsheet) is not part of the URL. */
	if (!strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	end = p + strlen(p);
	for (;;) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *fe = tab ? tab : end;

		if (nf == 6) {
			err_set(err, OGI_EINVAL, "more than 6 fields");
			goto out;
		}
		f[nf++] = field_dup(p, fe);
		if (!tab)
			break;
		p = tab + 1;
	}
	if (f[0] && !strcasecmp(f[0], "url")) {
		ret = 0;	/* the header line */
		goto out;
	}
	if (!f[0] || !f[1]) {
		err_set(err, OGI_EINVAL, "want a URL and an organization, tab-separated");
		goto out;
	}
	if (f[5] && store_seed_kind_parse(f[5], &s->kind)) {
		err_set(err, OGI_EINVAL, "unknown kind '%.64s' (auto, listing, report)", f[5]);
		goto out;
	}
	s->url = f[0];
	s->org = f[1];
	s->level = f[2];
	s->parent = f[3];
	s->scope = f[4];
	f[0] = f[1] = f[2] = f[3] = f[4] = NULL;
	ret = crawl_seed_check(s, err) ? -1 : 1;
out:
	for (size_t i = 0; i < 6; i++)
		free(f[i]);
	if (ret < 0)
		store_seed_release(s);
	return ret;
}

/* ---- the run ---- */

/*
 * A seed in the run.  Its URLs go to the fetcher a few at a time (see
 * feed()), so that URLs found meanwhile can go before the ones due from
 * earlier runs, and a limit leaves the rest where the next run finds them.
 */
struct cseed {
	struct seed seed;
	long queued;		/* URLs handed to the fetcher in this run (a resumed run's too) */
	long inflight;		/* of them, in the fetcher now */
	struct frontier_list due;	/* due at the start (store_frontier_due's order) */
	size_t next;		/* due.v[next] goes next */
	struct frontier_list found;	/* found in this run: they go first */
	size_t found_next;
	int budget_hit;
	long paused, depth_cut, links_cut, pages_cut;
	long list_rows;		/* listing rows of the seed: known at the start, and added */
	long lists_cut, lists_bad;
	char *list_problem;	/* the first malformed list, with its URL */
};

/*
 * One queued fetch: what its result needs to know of its frontier row.
 * Jobs are listed in the crawl, so that those the fetcher drops unfinished
 * (a stop after a fatal error or at the time limit) are freed too.
 */
struct job {
	struct job *prev, *next;
	struct cseed *cs;
	int64_t id;
	int64_t source_id;
	int64_t referrer_id;
	enum frontier_kind kind;
	int depth;
	int parsed;
	char *url;
	char *post;		/* a list request's form body (POST), or NULL */
	char *text;		/* the link's text (attachments), or NULL */
	char sha256[SHA256_HEX_LEN];
	char content_sha256[SHA256_HEX_LEN];
};

struct crawl {
	struct store *st;
	struct frontier *fr;
	const struct crawl_opts *o;
	struct fetcher *f;
	int64_t run_id;
	struct cseed *seeds;
	size_t nseeds;
	size_t done, failed, parsed;
	struct job *jobs;	/* queued or in flight */
	struct workq *q;	/* report pages at the parse workers (struct pending) */
	double t0;
	int stopping;		/* the time limit is reached: nothing more is started */
	int fatal;
	struct err err;		/* the first fatal error */
	/* the open group of results (group_join()) */
	int in_group;
	size_t group_results;
	int group_stored;	/* a page stored through the store callback in it */
	double group_t0;
};

static struct job *job_new(struct crawl *c)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->next = c->jobs;
	if (c->jobs)
		c->jobs->prev = j;
	c->jobs = j;
	return j;
}

static void job_free(struct crawl *c, struct job *j)
{
	if (!j)
		return;
	if (j->prev)
		j->prev->next = j->next;
	else
		c->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	free(j->url);
	free(j->post);
	free(j->text);
	free(j);
}

static void set_fatal(struct crawl *c, const struct err *e)
{
	if (!c->fatal) {
		c->fatal = 1;
		c->err = *e;
	}
	if (c->f)
		fetcher_stop(c->f);
}

/* ---- groups of results, one transaction each ---- */

/*
 * A fetch result's writes go into the open group of results, opened here
 * when there is none: one transaction for up to CRAWL_GROUP_RESULTS
 * results or CRAWL_GROUP_SECONDS, whichever comes first (group_step()).
 * Each result's writes are whole when group_step() takes it; a failed
 * write rolls the group back (group_rollback()) and stops the crawl, and
 * the next run fetches what the group held.
 */
static int group_join(struct crawl *c, struct err *e)
{
	if (c->in_group)
		return 0;
	if (store_begin(c->st, e))
		return -1;
	c->in_group = 1;
	c->group_results = 0;
	c->group_t0 = mono();
	return 0;
}

/* Commits the open group, if any; then its stored pages' outputs are true. */
static int group_commit(struct crawl *c)
{
	struct err e = ERR_INIT;
	int ret = 0;

	if (!c->in_group)
		return 0;
	c->in_group = 0;
	if (store_commit(c->st, &e)) {
		set_fatal(c, &e);
		ret = -1;
	}
	if (c->group_stored && c->o->committed)
		c->o->committed(!ret, c->o->arg);
	c->group_stored = 0;
	return ret;
}

static void group_rollback(struct crawl *c)
{
	store_rollback(c->st);
	c->in_group = 0;
	if (c->group_stored && c->o->committed)
		c->o->committed(0, c->o->arg);
	c->group_stored = 0;
}

/* Seconds until the open group is due (<= 0: now): full, or old enough. */
static double group_due_in(const struct crawl *c)
{
	if (c->group_results >= CRAWL_GROUP_RESULTS)
		return 0;
	return CRAWL_GROUP_SECONDS - (mono() - c->group_t0);
}

/* One more result whole in the group: commits it when it is due. */
static int group_step(struct crawl *c)
{
	c->group_results++;
	return group_due_in(c) <= 0 ? group_commit(c) : 0;
}

/* Past the time limit: nothing more starts, what is in flight is left for the next run. */
static int time_is_up(struct crawl *c)
{
	if (!c->stopping && c->o->time_limit > 0 && mono() - c->t0 >= c->o->time_limit) {
		c->stopping = 1;
		fetcher_stop(c->f);
	}
	return c->stopping;
}

static int in_scope(const struct cseed *cs, const char *url)
{
	return url_in_scope(url, cs->seed.url, cs->seed.scope);
}

/*
 * Whether an attachment is fetched: a document a report may be published
 * as (PDF, Word, WPS; by its path's extension, as crawler/links.c finds
 * attachments) or a picture of a page's tables (PNG, JPEG), within the
 * seed's scope like any page.  Spreadsheets and
 * the rest stay recorded only.
 */
static int fetchable_attachment(const struct seed *seed, const char *url)
{
	/* and the pictures a report page shows its tables in (crawl_opts.pictures) */
	static const char *const exts[] = { ".pdf", ".doc", ".docx", ".wps", ".png", ".jpg",
					    ".jpeg", NULL };
	const char *p = strstr(url, "://");
	const char *path = p ? strchr(p + 3, '/') : NULL;
	size_t n;

	if (!path || !url_in_scope(url, seed->url, seed->scope))
		return 0;
	n = strcspn(path, "?#");
	for (size_t i = 0; exts[i]; i++) {
		size_t el = strlen(exts[i]);

		if (n >= el && !strncasecmp(path + n - el, exts[i], el))
			return 1;
	}
	return 0;
}

/* Whether row u of cs is one a run fetches (attachments only some). */
static int fetchable(const struct cseed *cs, const struct frontier_url *u)
{
	return u->kind != FK_ATTACHMENT || fetchable_attachment(&cs->seed, u->url);
}

/* Hands frontier row u of cs to the fetcher; 0 or a fatal error.  u's strings are copied. */
static int queue_row(struct crawl *c, struct cseed *cs, const struct frontier_url *u)
{
	struct job *j;
	int have_bytes = u->sha256[0] != '\0';

	j = job_new(c);
	j->cs = cs;
	j->id = u->id;
	j->kind = u->kind;
	j->depth = u->depth;
	j->url = xstrdup(u->url);
	j->post = u->post_body ? xstrdup(u->post_body) : NULL;
	j->text = u->link_text ? xstrdup(u->link_text) : NULL;
	j->source_id = u->source_id;
	j->referrer_id = u->referrer_id;
	j->parsed = u->parsed;
	if (have_bytes)
		memcpy(j->sha256, u->sha256, SHA256_HEX_LEN);
	memcpy(j->content_sha256, u->content_sha256, SHA256_HEX_LEN);
	cs->queued++;
	/*
	 * Conditional only when we hold the bytes the validators describe; a
	 * list API's POST never is: it is asked again every run.
	 */
	if (u->post_body ? fetcher_add_post(c->f, u->url, u->post_body, j)
			 : fetcher_add(c->f, u->url, have_bytes ? u->etag : NULL,
				       have_bytes ? u->last_modified : NULL, j)) {
		struct frontier_result r = {
			.id = u->id, .run_id = c->run_id, .state = FS_FAILED,
			.result = fetch_class_name(FETCH_BAD_URL), .error = "not a fetchable URL",
			.parsed = -1,
		};
		struct err e = ERR_INIT;

		job_free(c, j);
		c->failed++;
		if (store_frontier_settle(c->fr, &r, &e)) {
			set_fatal(c, &e);
			return -1;
		}
		return 0;
	}
	cs->inflight++;
	return 0;
}

/*
 * The next row of cs to hand out (found in this run first, then the due
 * ones), or NULL: none left, or the seed's page budget is spent.
 */
static const struct frontier_url *next_row(struct crawl *c, struct cseed *cs)
{
	for (;;) {
		const struct frontier_url *u;
		size_t *at;

		if (cs->found_next < cs->found.n) {
			at = &cs->found_next;
			u = &cs->found.v[*at];
		} else if (cs->next < cs->due.n) {
			at = &cs->next;
			u = &cs->due.v[*at];
		} else {
			return NULL;
		}
		if (fetchable(cs, u) && cs->queued >= c->o->max_pages) {
			cs->budget_hit = 1;
			return NULL;
		}
		(*at)++;
		if (fetchable(cs, u))
			return u;
	}
}

/* Rows of cs a run fetches and this one has not handed out. */
static long rows_left(const struct cseed *cs)
{
	long n = 0;

	for (size_t i = cs->found_next; i < cs->found.n; i++)
		n += fetchable(cs, &cs->found.v[i]);
	for (size_t i = cs->next; i < cs->due.n; i++)
		n += fetchable(cs, &cs->due.v[i]);
	return n;
}

/*
 * Keeps a few URLs of cs at the fetcher: enough to keep its hosts busy
 * (max_per_host in flight, the next ones waiting), few enough that a URL
 * found now is fetched before the older ones.
 */
static void feed(struct crawl *c, struct cseed *cs)
{
	long window = 2L * c->o->fetch.max_per_host + 2;
	const struct frontier_url *u;

	while (!c->fatal && !time_is_up(c) && cs->inflight < window && (u = next_row(c, cs)))
		if (queue_row(c, cs, u))
			return;
}

/* URLs added to the frontier by a page just committed: fetched before the older ones. */
static void take_found(struct crawl *c, struct cseed *cs, struct frontier_list *fl)
{
	if (cs->found_next == cs->found.n) {
		store_frontier_list_release(&cs->found);
		cs->found_next = 0;
	}
	for (size_t i = 0; i < fl->n; i++) {
		ALLOC_GROW(cs->found.v, cs->found.n + 1, cs->found.alloc);
		cs->found.v[cs->found.n++] = fl->v[i];
	}
	fl->n = 0;
	feed(c, cs);
}

/*
 * Adds link lk, found on page from (of seed cs, at depth), to the frontier;
 * a new URL goes to out, to be fetched once committed.
 */
static int add_request(struct crawl *c, struct cseed *cs, int64_t from, int depth,
		       const char *url, const char *post, const char *text,
		       enum frontier_kind kind, const char *note, struct frontier_list *out,
		       struct err *e)
{
	struct frontier_url *u;
	int64_t id;
	int created;

	if (store_frontier_add_post(c->fr, cs->seed.id, url, post, kind, depth + 1, from, text,
				    note, &id, &created, e))
		return -1;
	if (created && kind == FK_LISTING)
		cs->list_rows++;
	if (created) {
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		u = &out->v[out->n++];
		memset(u, 0, sizeof(*u));
		u->id = id;
		u->seed_id = cs->seed.id;
		u->referrer_id = from;
		u->url = xstrdup(url);
		u->post_body = post ? xstrdup(post) : NULL;
		u->link_text = text && *text ? xstrdup(text) : NULL;
		u->kind = kind;
		u->depth = depth + 1;
	}
	return 0;
}

static int add_url(struct crawl *c, struct cseed *cs, int64_t from, int depth,
		   const struct link *lk, enum frontier_kind kind, const char *note,
		   struct frontier_list *out, struct err *e)
{
	const char *text = lk->title && strlen(lk->title) > strlen(lk->text) ? lk->title
									      : lk->text;

	return add_request(c, cs, from, depth, lk->url, NULL, text, kind, note, out, e);
}

/*
 * A page body as UTF-8 into *text, *len (*utf8 to free: NULL when the body
 * is used as it is); -1 when it cannot be decoded (no links, not an error).
 */
static int page_text(const struct crawl *c, const char *bytes, size_t n,
		     const char *content_type, const char **text, size_t *len, char **utf8)
{
	size_t ulen = 0;

	*text = bytes;
	*len = n;
	*utf8 = NULL;
	if (!c->o->decode)
		return 0;
	if (c->o->decode(*text, *len, content_type, utf8, &ulen, c->o->hooks_arg)) {
		free(*utf8);
		*utf8 = NULL;
		return -1;
	}
	*text = *utf8;
	*len = ulen;
	return 0;
}

/*
 * What a listing page (or list API answer) lists, read by the list reader
 * of its CMS family (crawler/lists.h); 0 with lr filled, or a fatal error.
 * Malformed lists are counted and the first one kept, to be said.
 */
static int list_links(struct crawl *c, struct cseed *cs, const struct job *j,
		      const struct fetch_result *r, struct list_read *lr, struct err *e)
{
	struct list_page p;
	char *utf8 = NULL;
	int ret = 0;

	/* a sitemap.xml.gz as it is stored, not a Content-Encoding: UTF-8 inside */
	if (gunzip_sniff(buf_str(r->body), r->body->len)) {
		size_t n = 0;

		if (gunzip(buf_str(r->body), r->body->len, LINKS_MAX_INPUT, &utf8, &n)) {
			lists_problem(lr, "a gzip file that does not inflate (or past %u bytes)",
				      LINKS_MAX_INPUT);
			goto said;
		}
		p.text = utf8;
		p.len = n;
	} else if (page_text(c, buf_str(r->body), r->body->len, r->content_type, &p.text, &p.len,
			     &utf8)) {
		return 0;
	}
	p.url = r->final_url;
	p.post_body = j->post;
	if (lists_read(&p, &c->o->links, lr, e))
		ret = -1;
	cs->links_cut += (long)lr->links.anchors_cut;
	cs->pages_cut += lr->links.input_cut;
	cs->lists_cut += (long)lr->requests_cut;
said:
	if (lr->problem) {
		cs->lists_bad++;
		if (!cs->list_problem) {
			struct buf b = BUF_INIT(BUF_NOLIMIT);

			buf_addf(&b, "%s: %s", j->url, lr->problem);
			cs->list_problem = buf_take(&b);
		}
	}
	free(utf8);
	return ret;
}

static int settle(struct crawl *c, const struct frontier_result *fr)
{
	struct err e = ERR_INIT;

	if (group_join(c, &e) || store_frontier_settle(c->fr, fr, &e)) {
		if (c->in_group)
			group_rollback(c);
		set_fatal(c, &e);
		return -1;
	}
	return group_step(c);
}

static int on_report(struct crawl *c, struct job *j, const struct fetch_result *r,
		     const char *sha);

/* Report links of l that are pages, not attachments. */
static size_t report_pages(const struct links *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->reports.n; i++)
		n += !(l->reports.v[i].kind & LINK_ATTACHMENT);
	return n;
}

/* Whether url lies under the seed's scope, or under its URL's directory when it has none. */
static int under_seed(const struct cseed *cs, const char *url)
{
	char *dir;
	int r;

	if (cs->seed.scope)
		return in_scope(cs, url);
	dir = url_path_query(cs->seed.url);
	if (!dir)
		return 0;
	dir[strcspn(dir, "?")] = '\0';
	*(strrchr(dir, '/') + 1) = '\0';
	r = url_in_scope(url, cs->seed.url, dir);
	free(dir);
	return r;
}

/* A listing page's bytes: its pagination and report links join the frontier. */
static int on_listing(struct crawl *c, struct job *j, const struct fetch_result *r,
		      const char *sha)
{
	struct cseed *cs = j->cs;
	struct list_read lr;
	const struct links *l = &lr.links;
	struct frontier_list fl = { 0 };
	struct err e = ERR_INIT;
	int ret = -1;
	int deeper = j->depth + 1 <= c->o->max_depth;
	struct frontier_result res = {
		.id = j->id, .run_id = c->run_id, .state = FS_OK,
		.result = !j->sha256[0] ? "new" : strcmp(j->sha256, sha) ? "changed" : "unchanged",
		.http_status = (int)r->status, .etag = r->etag, .last_modified = r->last_modified,
		.sha256 = sha, .parsed = -1, .fetched = 1, .changed = strcmp(j->sha256, sha) != 0,
	};

	lists_init(&lr);
	if (list_links(c, cs, j, r, &lr, &e))
		goto fatal;
	/*
	 * An "auto" seed is a listing page when it paginates or links two
	 * report pages or more; else it is a report page itself (whose
	 * breadcrumb may well name the column, 政府信息公开年报).
	 */
	if (j->depth == 0 && cs->seed.kind == SEED_AUTO && !j->sha256[0] && !lr.next.n &&
	    report_pages(l) < 2) {
		lists_release(&lr);
		if (store_frontier_set_kind(c->fr, j->id, FK_REPORT, &e))
			goto fatal;
		j->kind = FK_REPORT;
		return on_report(c, j, r, sha);
	}
	if (group_join(c, &e))
		goto fatal;
	for (size_t i = 0; i < lr.next.n; i++) {
		const struct list_request *q = &lr.next.v[i];
		int64_t known = 0;

		/*
		 * A list API a reader asks (Hanweb's /module/.../dataproxy.jsp, a
		 * sitemap) is the column's, wherever its path: on the seed's host,
		 * not held to the seed's path.  Pages of plain pagination stay in
		 * scope.
		 */
		if (!url_in_scope(q->url, cs->seed.url, q->api ? NULL : cs->seed.scope))
			continue;
		if (!deeper) {
			cs->depth_cut++;
			continue;
		}
		if (cs->list_rows >= c->o->max_list_pages &&
		    store_frontier_find(c->fr, cs->seed.id, q->url, q->body, &known, &e))
			goto rollback;
		if (cs->list_rows >= c->o->max_list_pages && !known)
			cs->lists_cut++;
		else if (add_request(c, cs, j->id, j->depth, q->url, q->body, NULL, FK_LISTING,
				     NULL, &fl, &e))
			goto rollback;
	}
	for (size_t i = 0; i < l->reports.n; i++) {
		const struct link *lk = &l->reports.v[i];

		/*
		 * A sitemap lists the whole site: only what lies under the seed's
		 * scope (or its URL's directory, when it has none) is its report.
		 */
		if (!strcmp(lr.family, "sitemap") && !under_seed(cs, lk->url))
			continue;
		/* Attachments are recorded wherever they are; fetched when in scope. */
		if (lk->kind & LINK_ATTACHMENT) {
			if (add_url(c, cs, j->id, j->depth, lk, FK_ATTACHMENT, FRONTIER_NOTE_REPORT,
				    &fl, &e))
				goto rollback;
		} else if (in_scope(cs, lk->url)) {
			if (!deeper)
				cs->depth_cut++;
			else if (add_url(c, cs, j->id, j->depth, lk, FK_REPORT, NULL, &fl, &e))
				goto rollback;
		}
	}
	if (store_frontier_settle(c->fr, &res, &e))
		goto rollback;
	take_found(c, cs, &fl);
	group_step(c);
	ret = c->fatal ? -1 : 0;
	goto out;
rollback:
	group_rollback(c);
fatal:
	set_fatal(c, &e);
out:
	store_frontier_list_release(&fl);
	lists_release(&lr);
	return ret;
}

/*
 * Whether a page's bytes name a file with one of the attachment extensions
 * of crawler/links.c (ASCII in UTF-8 and GBK alike, case aside).  Most
 * report pages name none: they then skip a second HTML parse for links.
 */
static int may_link_attachments(const char *p, size_t n)
{
	static const char *const exts[] = { "pdf", "doc", "wps", "xls", "et", "ofd" };

	for (const char *dot = memchr(p, '.', n); dot; ) {
		size_t left = n - (size_t)(dot - p) - 1;

		for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
			size_t k, el = strlen(exts[i]);

			for (k = 0; k < el && k < left && (dot[1 + k] | 0x20) == exts[i][k]; k++)
				;
			if (k == el)
				return 1;
		}
		dot = left ? memchr(dot + 1, '.', left) : NULL;
	}
	return 0;
}

/*
 * A report page on its way through the parse workers: fetched (or read
 * back from the warehouse), parsed on a worker, then stored by
 * store_pending() on the crawl's thread.
 */
struct pending {
	struct cseed *cs;
	int64_t id;		/* its frontier row */
	int64_t source_id;	/* its bytes in the warehouse; 0: these bytes are new */
	int64_t referrer_id;	/* the row of the page that linked it, or 0 */
	enum frontier_kind kind;	/* FK_REPORT or FK_ATTACHMENT */
	char *text;		/* the link's text, or NULL */
	int depth;
	int is_new;
	int http_status;
	int row_parsed;		/* the row's stored bytes were parsed */
	char *url, *content_type, *etag, *last_modified;
	char *bytes;
	size_t len;
	char sha256[SHA256_HEX_LEN];
	char row_content[SHA256_HEX_LEN];	/* what the stored bytes read ("": unknown) */
	char content[SHA256_HEX_LEN];		/* what these read (the worker's digest) */
	/* a report page that may link attachments: its links, read by the worker */
	char *final_url;	/* where it was fetched from, its links' base; NULL: none read */
	struct links links;	/* the page's attachment links (new bytes only) */
	struct err links_err;	/* why they could not be read (code 0: they were) */
	void *parsed;		/* what the parse callback made of it */
};

static void pending_free(struct crawl *c, struct pending *p)
{
	if (p->parsed)
		c->o->discard(p->parsed, c->o->hooks_arg);
	links_release(&p->links);
	free(p->final_url);
	free(p->url);
	free(p->text);
	free(p->content_type);
	free(p->etag);
	free(p->last_modified);
	free(p->bytes);
	free(p);
}

static struct pending *pending_new(struct cseed *cs, const struct job *j)
{
	struct pending *p = xcalloc(1, sizeof(*p));

	p->cs = cs;
	p->id = j->id;
	p->url = xstrdup(j->url);
	p->kind = j->kind;
	p->referrer_id = j->referrer_id;
	p->text = j->text ? xstrdup(j->text) : NULL;
	p->row_parsed = j->parsed;
	memcpy(p->row_content, j->content_sha256, SHA256_HEX_LEN);
	links_init(&p->links);
	return p;
}

/*
 * On a parse worker: the links of a report page's bytes (p->links, maybe
 * empty), or the error that stops the crawl (p->links_err); the counts of
 * what was cut go to the seed when the page is stored.
 */
static void page_links(const struct crawl *c, struct pending *p)
{
	const char *text;
	size_t len;
	char *utf8;

	if (page_text(c, p->bytes ? p->bytes : "", p->len, p->content_type, &text, &len, &utf8))
		return;
	links_extract(text, len, p->final_url, &c->o->links, &p->links, &p->links_err);
	free(utf8);
}

/* On a worker thread: the parse and its digest, and a page's links; nothing else. */
static void parse_pending(void *item, void *arg)
{
	struct pending *p = item;
	struct crawl *c = arg;
	struct crawl_bytes b = {
		.seed = &p->cs->seed, .url = p->url, .content_type = p->content_type,
		.bytes = p->bytes ? p->bytes : "", .len = p->len,
		.attachment = p->kind == FK_ATTACHMENT, .link_text = p->text,
	};

	if (p->final_url)
		page_links(c, p);
	if (c->o->parse)
		p->parsed = c->o->parse(&b, c->o->hooks_arg);
	if (c->o->parse && c->o->digest)
		c->o->digest(&b, p->parsed, p->content, c->o->hooks_arg);
}

/* On a worker thread: a parse is back, the fetch loop stores it. */
static void wake_crawl(void *arg)
{
	struct crawl *c = arg;

	fetcher_wakeup(c->f);
}

/* What the frontier says of a parsed report page. */
static int parsed_note(struct crawl *c, int64_t id, int outcome, const char **note,
		       struct err *e)
{
	long attachments = 0;

	if (outcome == CRAWL_PARSED_TABLES) {
		*note = FRONTIER_NOTE_REPORT;
		return 0;
	}
	if (store_frontier_count_attachments(c->fr, id, &attachments, e))
		return -1;
	*note = attachments ? FRONTIER_NOTE_ATTACHMENT_ONLY
			    : outcome == CRAWL_PARSED_NO_TABLES ? FRONTIER_NOTE_NO_TABLES
								: FRONTIER_NOTE_NOT_REPORT;
	return 0;
}

/*
 * What new bytes of p are worth, into res: "new" or "changed" bytes to
 * store (0), or nothing to store (1): they read as the bytes stored for
 * the URL ("unchanged"), or they are stored already, for another URL
 * ("same") or for this one by another seed ("unchanged").
 */
static int nothing_new(struct crawl *c, struct pending *p, struct frontier_result *res,
		       struct err *e)
{
	int64_t known = 0;
	int at_url = 0;

	if (p->content[0] && p->row_parsed && !strcmp(p->content, p->row_content)) {
		/* the validators and hash keep describing the bytes stored */
		res->result = "unchanged";
		res->etag = res->last_modified = res->sha256 = res->content_sha256 = NULL;
		res->parsed = -1;
		res->changed = 0;
		return 1;
	}
	if (store_frontier_known_bytes(c->fr, p->sha256, p->url, &known, &at_url, e))
		return -1;
	if (!known || (at_url && !p->is_new))
		return 0;	/* new bytes, or bytes this URL had before: read them */
	res->result = at_url ? "unchanged" : "same";
	res->source_id = known;
	res->parsed = 1;
	return 1;
}

/* A report page's pictures (crawl_opts.pictures): attachment rows of the page, as its documents. */
static int add_pictures(struct crawl *c, struct pending *p, struct frontier_list *fl,
			struct err *e)
{
	char *const *urls = NULL;
	size_t n;

	if (p->kind != FK_REPORT || !c->o->pictures || !p->parsed)
		return 0;
	n = c->o->pictures(p->parsed, &urls, c->o->hooks_arg);
	for (size_t i = 0; i < n; i++) {
		struct link lk = { urls[i], "", NULL, LINK_ATTACHMENT };

		if (add_url(c, p->cs, p->id, p->depth, &lk, FK_ATTACHMENT, NULL, fl, e))
			return -1;
	}
	return 0;
}

/*
 * A page back from its parse: in one transaction, its new bytes with
 * their attachment links and fetch result, then its report.  After a
 * fatal error pages are dropped unstored: the next run fetches them.
 */
static void store_pending(struct crawl *c, struct pending *p)
{
	struct crawl_page page = {
		.seed = &p->cs->seed, .url_id = p->id, .source_id = p->source_id, .url = p->url,
		.is_new = p->is_new, .attachment = p->kind == FK_ATTACHMENT,
		.referrer_id = p->referrer_id,
	};
	struct frontier_list fl = { 0 };
	struct err e = ERR_INIT;
	const char *note = NULL;
	int outcome;

	if (c->fatal)
		goto out;
	if (p->final_url) {
		p->cs->links_cut += (long)p->links.anchors_cut;
		p->cs->pages_cut += p->links.input_cut;
		if (p->links_err.code) {
			e = p->links_err;
			goto fatal;
		}
	}
	if (group_join(c, &e))
		goto fatal;
	if (!p->source_id) {
		struct source_meta m = {
			.location = p->url, .content_type = p->content_type,
			.http_status = p->http_status, .etag = p->etag,
			.last_modified = p->last_modified, .sha256 = p->sha256,
		};
		struct frontier_result res = {
			.id = p->id, .run_id = c->run_id, .state = FS_OK,
			.result = p->is_new ? "new" : "changed", .http_status = p->http_status,
			.etag = p->etag, .last_modified = p->last_modified, .sha256 = p->sha256,
			.content_sha256 = p->content, .parsed = 0, .fetched = 1, .changed = 1,
		};
		int skip = nothing_new(c, p, &res, &e);

		if (skip < 0 ||
		    (!skip && store_put_source(c->st, &m, p->bytes, p->len, &res.source_id, NULL,
					       &e)))
			goto rollback;
		for (size_t i = 0; i < p->links.attachments.n; i++)
			if (add_url(c, p->cs, p->id, p->depth, &p->links.attachments.v[i],
				    FK_ATTACHMENT, NULL, &fl, &e))
				goto rollback;
		if (store_frontier_settle(c->fr, &res, &e))
			goto rollback;
		if (skip) {
			take_found(c, p->cs, &fl);
			group_step(c);
			goto out;
		}
		page.source_id = res.source_id;
	}
	if (c->o->parse) {
		c->group_stored = 1;
		outcome = c->o->store(&page, p->parsed, c->o->hooks_arg, &e);
		if (outcome < 0 || parsed_note(c, p->id, outcome, &note, &e) ||
		    store_frontier_set_parsed(c->fr, p->id, note, p->content, &e) ||
		    add_pictures(c, p, &fl, &e))
			goto rollback;
		c->parsed++;
	}
	/* the page's attachments, fetched after it: their report may be its report */
	take_found(c, p->cs, &fl);
	group_step(c);
	goto out;
rollback:
	group_rollback(c);
fatal:
	set_fatal(c, &e);
out:
	store_frontier_list_release(&fl);
	pending_free(c, p);
}

/* Stores the pages whose parse is back; with wait, every page in the queue. */
static void store_parsed(struct crawl *c, int wait)
{
	struct pending *p;

	while ((p = wait ? workq_pop_wait(c->q) : workq_pop(c->q)))
		store_pending(c, p);
}

static void on_tick(struct fetcher *f, void *arg)
{
	struct crawl *c = arg;
	double due;

	store_parsed(c, 0);
	time_is_up(c);
	if (!c->in_group)
		return;
	/* a group is committed when it is due, whether or not results come */
	due = group_due_in(c);
	if (due <= 0)
		group_commit(c);
	else
		fetcher_wake_by(f, due);
}

/* Hands p to the parse workers, once fewer than CRAWL_PARSE_AHEAD pages are held. */
static void submit(struct crawl *c, struct pending *p)
{
	while (workq_count(c->q) >= CRAWL_PARSE_AHEAD)
		store_pending(c, workq_pop_wait(c->q));
	workq_push(c->q, p);
}

/*
 * A report page or attachment stored by an earlier fetch (or a killed
 * run) and not parsed: parse it now.
 */
static int parse_stored(struct crawl *c, struct cseed *cs, const struct job *j)
{
	struct pending *p;
	struct err e = ERR_INIT;
	char *location = NULL;
	int64_t source_id = j->source_id;

	if (!c->o->parse)
		return 0;
	p = pending_new(cs, j);
	p->source_id = source_id;
	if (store_get_source(c->st, source_id, &p->bytes, &p->len, &location, &p->content_type,
			     &e)) {
		pending_free(c, p);
		set_fatal(c, &e);
		return -1;
	}
	free(location);
	submit(c, p);
	return c->fatal ? -1 : 0;
}

/* A report page's bytes: when new or changed, parsed, then stored with the report. */
static int on_report(struct crawl *c, struct job *j, const struct fetch_result *r,
		     const char *sha)
{
	struct pending *p;

	if (j->source_id && !strcmp(j->sha256, sha)) {
		struct frontier_result res = {
			.id = j->id, .run_id = c->run_id, .state = FS_OK,
			.result = "unchanged", .http_status = (int)r->status, .etag = r->etag,
			.last_modified = r->last_modified, .parsed = -1, .fetched = 1,
		};

		if (settle(c, &res))
			return -1;
		return j->parsed ? 0 : parse_stored(c, j->cs, j);
	}
	p = pending_new(j->cs, j);
	p->depth = j->depth;
	p->is_new = !j->source_id;
	p->http_status = (int)r->status;
	p->content_type = r->content_type ? xstrdup(r->content_type) : NULL;
	p->etag = r->etag ? xstrdup(r->etag) : NULL;
	p->last_modified = r->last_modified ? xstrdup(r->last_modified) : NULL;
	memcpy(p->sha256, sha, SHA256_HEX_LEN);
	/*
	 * An attachment is a document, not a page: it links nothing the crawl
	 * follows.  A page's links are read with its parse, on the worker.
	 */
	if (j->kind == FK_REPORT && may_link_attachments(buf_str(r->body), r->body->len))
		p->final_url = xstrdup(r->final_url);
	p->len = r->body->len;
	p->bytes = buf_take(r->body);
	submit(c, p);
	return c->fatal ? -1 : 0;
}

static void progress(struct crawl *c, const char *url, const char *result)
{
	struct crawl_progress p;

	if (!c->o->progress)
		return;
	p.done = c->done;
	p.pending = fetcher_pending(c->f);
	p.failed = c->failed;
	p.elapsed = mono() - c->t0;
	p.url = url;
	p.result = result;
	c->o->progress(&p, c->o->arg);
}

static void on_done(struct fetcher *f, const struct fetch_result *r, void *arg)
{
	struct crawl *c = arg;
	struct job *j = r->userdata;
	struct cseed *cs = j->cs;
	struct frontier_result res = {
		.id = j->id, .run_id = c->run_id, .http_status = (int)r->status, .parsed = -1,
		.result = fetch_class_name(r->cls), .error = r->error,
	};
	char sha[SHA256_HEX_LEN];

	(void)f;
	cs->inflight--;
	if (c->fatal)
		goto out;
	c->done++;
	switch (r->cls) {
	case FETCH_OK:
		/*
		 * A row taken in outside the seed's path (a list API, a sitemap)
		 * is held to the seed's host; the others to its scope.
		 */
		if (in_scope(cs, j->url) ? !in_scope(cs, r->final_url)
					 : !url_in_scope(r->final_url, cs->seed.url, NULL)) {
			/* redirected to the same host but out of the seed's path */
			res.state = FS_SKIPPED;
			res.result = fetch_class_name(FETCH_OUT_OF_SCOPE_REDIRECT);
			res.error = "redirect out of the seed's scope";
			settle(c, &res);
			break;
		}
		sha256_hex(buf_str(r->body), r->body->len, sha);
		if (j->kind == FK_LISTING)
			on_listing(c, j, r, sha);
		else
			on_report(c, j, r, sha);
		res.result = "ok";
		break;
	case FETCH_NOT_MODIFIED:
		res.state = FS_OK;
		res.result = "not_modified";
		res.error = NULL;
		res.etag = r->etag;
		res.last_modified = r->last_modified;
		res.fetched = 1;
		if (settle(c, &res))
			break;
		if (j->kind != FK_LISTING && j->source_id && !j->parsed)
			parse_stored(c, cs, j);
		break;
	case FETCH_ROBOTS_DISALLOWED:
	case FETCH_OUT_OF_SCOPE_REDIRECT:
		res.state = FS_SKIPPED;
		settle(c, &res);
		break;
	case FETCH_HOST_PAUSED:
	case FETCH_HOST_FAILING:
		/* not the URL's doing: it keeps its place for the next run */
		cs->paused++;
		break;
	default:
		res.state = FS_FAILED;
		c->failed++;
		settle(c, &res);
		break;
	}
	if (!c->fatal)
		progress(c, j->url, res.result);
out:
	job_free(c, j);
	feed(c, cs);
}

/*
 * robots.txt names sitemaps: each seed on that origin reads those on its
 * host, as listing rows (fetched conditionally every run, read by the
 * sitemap list reader).
 */
static void on_sitemaps(struct fetcher *f, const char *origin, const char *const *urls,
			size_t n, void *arg)
{
	struct crawl *c = arg;
	size_t ol = strlen(origin);

	(void)f;
	for (size_t i = 0; i < c->nseeds && !c->fatal; i++) {
		struct cseed *cs = &c->seeds[i];
		struct frontier_list fl = { 0 };
		struct err e = ERR_INIT;
		int64_t root = 0;

		if (strncmp(cs->seed.url, origin, ol) || cs->seed.url[ol] != '/')
			continue;
		if (store_frontier_find(c->fr, cs->seed.id, cs->seed.url, NULL, &root, &e))
			goto fatal;
		for (size_t k = 0; k < n; k++) {
			char *u = url_normalize_opts(urls[k], c->o->fetch.url);

			if (u && url_in_scope(u, cs->seed.url, NULL) &&
			    add_request(c, cs, root, 0, u, NULL, "sitemap", FK_LISTING, NULL, &fl,
					&e)) {
				free(u);
				goto fatal;
			}
			free(u);
		}
		take_found(c, cs, &fl);
		store_frontier_list_release(&fl);
		continue;
fatal:
		store_frontier_list_release(&fl);
		set_fatal(c, &e);
	}
}

/* An origin paused or closed: kept in the warehouse for later runs, and told. */
static void on_pause(const struct fetch_pause *p, void *arg)
{
	struct crawl *c = arg;
	struct crawl_host h = {
		(char *)p->origin, p->until, (char *)p->reason, (char *)p->detail, NULL
	};
	struct err e = ERR_INIT;

	if (c->fatal)
		return;
	if (store_crawl_host_put(c->st, &h, &e)) {
		set_fatal(c, &e);
		return;
	}
	if (c->o->host_event)
		c->o->host_event(p, c->o->arg);
}

/* The pauses of earlier runs that are not over: no request to those origins before. */
static int load_pauses(struct crawl *c, struct err *err)
{
	struct crawl_host_list l = { 0 };
	int ret = store_crawl_hosts_paused(c->st, time(NULL), &l, err);

	for (size_t i = 0; !ret && i < l.n; i++) {
		struct fetch_pause p = { l.v[i].origin, l.v[i].paused_until, l.v[i].reason,
					 l.v[i].detail ? l.v[i].detail : l.v[i].reason };

		if (fetcher_pause(c->f, p.origin, p.until, p.detail))
			continue;	/* not an origin this ogi wrote: nothing to pause */
		if (c->o->host_event)
			c->o->host_event(&p, c->o->arg);
	}
	store_crawl_host_list_release(&l);
	return ret;
}

/* "all", or the ids in ascending order: how a resumed run recognises its seeds. */
static char *selection_of(const int64_t *ids, size_t n)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	int64_t *v;

	if (!n) {
		buf_adds(&b, "all");
		return buf_take(&b);
	}
	v = xmemdup(ids, n * sizeof(*ids));
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && v[k - 1] > v[k]; k--) {
			int64_t t = v[k];

			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		if (!i || v[i] != v[i - 1])
			buf_addf(&b, "%s%lld", b.len ? "," : "", (long long)v[i]);
	free(v);
	return buf_take(&b);
}

/* The chosen seeds (all when n = 0), deduplicated, in id order. */
static int load_seeds(struct store *st, const int64_t *ids, size_t n, struct seed_list *out,
		      struct err *err)
{
	struct seed_list all = { 0 };
	int ret = store_seed_list(st, NULL, &all, err);

	if (ret)
		return ret;
	for (size_t k = 0; k < n; k++) {
		size_t i;

		for (i = 0; i < all.n && all.v[i].id != ids[k]; i++)
			;
		if (i == all.n) {
			ret = err_set(err, OGI_ENOTFOUND, "no seed %lld", (long long)ids[k]);
			goto out;
		}
	}
	for (size_t i = 0; i < all.n; i++) {
		int want = !n;

		for (size_t k = 0; k < n && !want; k++)
			want = all.v[i].id == ids[k];
		if (!want)
			continue;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = all.v[i];
		store_seed_init(&all.v[i]);
	}
out:
	store_seed_list_release(&all);
	return ret;
}

/* Reads what a seed has due in this run (its known URLs, or the seed URL itself) into cs->due. */
static int start_seed(struct crawl *c, struct cseed *cs, struct err *err)
{
	struct frontier_list unparsed = { 0 };
	int64_t id;
	int ret;

	ret = store_frontier_unparsed(c->fr, cs->seed.id, &unparsed, err);
	for (size_t i = 0; !ret && i < unparsed.n; i++) {
		struct frontier_url *u = &unparsed.v[i];
		struct job j = {
			.id = u->id, .source_id = u->source_id, .referrer_id = u->referrer_id,
			.kind = u->kind, .url = u->url, .text = u->link_text,
		};

		if (parse_stored(c, cs, &j))
			ret = c->err.code ? c->err.code : OGI_EDB;
	}
	store_frontier_list_release(&unparsed);
	/* stored before the seed's rows are read, which then say they are parsed */
	store_parsed(c, 1);
	if (!ret && c->fatal)
		ret = c->err.code ? c->err.code : OGI_EDB;
	if (ret)
		return ret;
	/* The seed's own row; it exists from the first run on. */
	ret = store_frontier_add(c->fr, cs->seed.id, cs->seed.url,
				 cs->seed.kind == SEED_REPORT ? FK_REPORT : FK_LISTING, 0, 0, NULL,
				 NULL, &id, NULL, err);
	if (!ret)
		ret = store_frontier_count_settled(c->fr, cs->seed.id, c->run_id, &cs->queued, err);
	if (!ret)
		ret = store_frontier_count_kind(c->fr, cs->seed.id, FK_LISTING, &cs->list_rows, err);
	if (!ret)
		ret = store_frontier_due(c->fr, cs->seed.id, c->run_id, &cs->due, err);
	return ret;
}

static int check_opts(const struct crawl_opts *o, struct err *err)
{
	if (o->max_depth < 0 || o->max_pages < 1 || o->parse_threads < 0 || o->max_list_pages < 1 ||
	    !(o->time_limit >= 0))
		return err_set(err, OGI_EINVAL,
			       "cannot crawl: bad depth, page limit, time limit or threads");
	if (o->parse && (!o->store || !o->discard))
		return err_set(err, OGI_EINVAL, "cannot crawl: a parse callback without store");
	return 0;
}

/* For workq_free: a page left when the crawl stopped early. */
static void drop_pending(void *item, void *arg)
{
	pending_free(arg, item);
}

/* What the run did, from the warehouse and this process's counts, into out. */
static int summarize(struct crawl *c, int resumed, struct crawl_summary *out, struct err *err)
{
	int ret;

	out->run_id = c->run_id;
	out->resumed = resumed;
	out->stopped = c->stopping;
	out->parsed = c->parsed;
	fetcher_stats(c->f, &out->fetch);
	out->seeds = xcalloc(c->nseeds ? c->nseeds : 1, sizeof(*out->seeds));
	ret = store_crawl_run_failures(c->st, c->run_id, &out->failures, err);
	for (size_t i = 0; !ret && i < c->nseeds; i++) {
		struct crawl_seed_result *r = &out->seeds[i];
		struct cseed *cs = &c->seeds[i];
		long left = rows_left(cs);

		ret = store_crawl_run_counts(c->st, c->run_id, cs->seed.id, &r->counts, err);
		r->seed = cs->seed;
		store_seed_init(&cs->seed);
		r->budget_hit = cs->budget_hit;
		if (cs->budget_hit)
			r->capped = left;
		else if (c->stopping && !c->fatal)
			r->time_left = left;
		r->paused = cs->paused;
		r->depth_cut = cs->depth_cut;
		r->links_cut = cs->links_cut;
		r->pages_cut = cs->pages_cut;
		r->lists_cut = cs->lists_cut;
		r->lists_bad = cs->lists_bad;
		r->list_problem = cs->list_problem;
		cs->list_problem = NULL;
		out->nseeds++;
	}
	/* URLs handed out and not done when the time ran out (not after a failure) */
	for (struct job *j = c->stopping && !c->fatal ? c->jobs : NULL; j; j = j->next)
		for (size_t i = 0; i < out->nseeds; i++)
			if (&c->seeds[i] == j->cs)
				out->seeds[i].time_left++;
	out->elapsed = mono() - c->t0;
	if (ret)
		crawl_summary_release(out);
	return ret;
}

int crawl_run(struct store *st, const int64_t *ids, size_t n, const struct crawl_opts *o,
	      struct crawl_summary *out, struct err *err)
{
	struct crawl c;
	struct seed_list seeds = { 0 };
	struct fetch_opts fo;
	struct links probe;
	char *selection = NULL;
	int resumed = 0, ret;

	memset(&c, 0, sizeof(c));
	if (out)
		memset(out, 0, sizeof(*out));
	c.st = st;
	c.o = o;
	c.t0 = mono();
	ret = check_opts(o, err);
	if (ret)
		return ret;
	/* A bad report pattern is the user's to fix: say so before anything is written. */
	links_init(&probe);
	ret = links_extract("", 0, "http://localhost/", &o->links, &probe, err);
	links_release(&probe);
	if (ret)
		return ret;
	ret = load_seeds(st, ids, n, &seeds, err);
	if (ret)
		goto out;
	ret = store_frontier_open(st, &c.fr, err);
	if (ret)
		goto out;
	selection = selection_of(ids, n);
	ret = store_crawl_run_start(st, selection, (long)getpid(), &c.run_id, &resumed, err);
	if (ret)
		goto out;
	fo = o->fetch;
	fo.done = on_done;
	fo.tick = on_tick;
	fo.on_pause = on_pause;
	fo.on_sitemaps = on_sitemaps;
	fo.done_arg = &c;
	fo.in_scope = NULL;	/* the request's own host; paths are checked on arrival */
	c.f = fetcher_new(&fo, err);
	if (!c.f) {
		ret = err->code ? err->code : OGI_EIO;
		goto out;
	}
	c.q = workq_new(o->parse ? (size_t)o->parse_threads : 0, parse_pending, wake_crawl, &c);
	c.nseeds = seeds.n;
	c.seeds = xcalloc(seeds.n ? seeds.n : 1, sizeof(*c.seeds));
	for (size_t i = 0; i < seeds.n; i++) {
		c.seeds[i].seed = seeds.v[i];
		store_seed_init(&seeds.v[i]);
	}
	ret = load_pauses(&c, err);
	for (size_t i = 0; !ret && !c.fatal && i < c.nseeds; i++)
		ret = start_seed(&c, &c.seeds[i], err);
	for (size_t i = 0; !ret && !c.fatal && i < c.nseeds; i++)
		feed(&c, &c.seeds[i]);
	/*
	 * The fetch loop ends when nothing is queued, maybe while report pages
	 * are still at their parse: storing them queues the attachments they
	 * link, which are fetched by another turn, until nothing is left.
	 */
	while (!ret && !c.fatal && !c.stopping) {
		ret = fetcher_run(c.f, err);
		if (ret || c.fatal || c.stopping || !workq_count(c.q))
			break;
		store_parsed(&c, 1);
		if (!fetcher_pending(c.f))
			break;
	}
	/* The pages still at their parse, stored (or, after a failure, dropped). */
	store_parsed(&c, 1);
	/* what the last group holds is whole: kept, whatever stopped the crawl */
	group_commit(&c);
	if (c.fatal) {
		/* the first error that stopped the crawl, wherever it happened */
		*err = c.err;
		ret = c.err.code ? c.err.code : OGI_EDB;
	}
	/* a run stopped at its time limit stays open: the next crawl resumes it */
	if (!ret)
		ret = store_crawl_run_finish(st, c.run_id, c.stopping ? "running" : "done",
					     c.stopping ? "time_limit" : NULL, err);
	if (out && c.run_id && c.f) {
		struct err e = ERR_INIT;
		int r = summarize(&c, resumed, out, &e);

		if (r && !ret) {
			ret = r;
			*err = e;
		}
	}
out:
	workq_free(c.q, drop_pending);
	fetcher_free(c.f);
	while (c.jobs)
		job_free(&c, c.jobs);
	store_frontier_close(c.fr);
	for (size_t i = 0; i < c.nseeds; i++) {
		store_seed_release(&c.seeds[i].seed);
		store_frontier_list_release(&c.seeds[i].due);
		store_frontier_list_release(&c.seeds[i].found);
		free(c.seeds[i].list_problem);
	}
	free(c.seeds);
	store_seed_list_release(&seeds);
	free(selection);
	return ret;
}

int crawl_plan(struct store *st, const int64_t *ids, size_t n, struct frontier_list *out,
	       struct err *err)
{
	struct seed_list seeds = { 0 };
	struct frontier *fr = NULL;
	int ret = load_seeds(st, ids, n, &seeds, err);

	if (!ret)
		ret = store_frontier_open(st, &fr, err);
	for (size_t i = 0; !ret && i < seeds.n; i++) {
		size_t before = out->n;

		/* run 0 is no run: every known row is due, but attachments not fetched */
		ret = store_frontier_due(fr, seeds.v[i].id, 0, out, err);
		for (size_t k = before; !ret && k < out->n;) {
			if (out->v[k].kind == FK_ATTACHMENT &&
			    !fetchable_attachment(&seeds.v[i], out->v[k].url)) {
				store_frontier_url_release(&out->v[k]);
				memmove(&out->v[k], &out->v[k + 1], (out->n - k - 1) * sizeof(*out->v));
				out->n--;
			} else {
				k++;
			}
		}
		if (!ret && out->n == before) {
			struct frontier_url *u;

			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			u = &out->v[out->n++];
			memset(u, 0, sizeof(*u));
			u->seed_id = seeds.v[i].id;
			u->url = xstrdup(seeds.v[i].url);
			u->kind = seeds.v[i].kind == SEED_REPORT ? FK_REPORT : FK_LISTING;
		}
	}
	store_frontier_close(fr);
	store_seed_list_release(&seeds);
	return ret;
}
