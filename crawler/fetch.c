#include "crawler/fetch.h"

#include <curl/curl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crawler/robots.h"
#include "crawler/url.h"
#include "util/utc.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A wait longer than this is cut into several polls, so that new work is noticed. */
#define MAX_POLL_MS 1000
#define ACCEPT "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

enum robots_state { RS_UNKNOWN, RS_FETCHING, RS_READY, RS_FAILED };

struct host;

/* What a request needs only while it is in flight. */
struct xfer {
	CURL *easy;
	struct curl_slist *hdrs;
	struct buf body;
	int over;			/* the body passed its limit */
	char errbuf[CURL_ERROR_SIZE];
};

struct req {
	struct req *next;		/* in its host's queue */
	struct req *fprev, *fnext;	/* in the fetcher's in-flight list */
	char *url;			/* as the caller gave it */
	char *cur;			/* canonical URL of the current hop */
	char *etag, *lm;
	char *post;			/* a form body to POST, or NULL: a GET */
	void *userdata;
	struct host *host;		/* host of cur: queue, politeness */
	struct origin *robots_for;	/* a robots.txt request: the origin it decides; else NULL */
	int tries;			/* of the current hop */
	int requests;
	int redirects;
	int allowed;			/* robots.txt was checked for cur and allows it */
	double first_start;		/* monotonic seconds; < 0 until the first start */
	double started;			/* monotonic seconds: when the current request started */
	struct xfer *x;			/* non-NULL while in flight */
};

/*
 * robots.txt rules are per origin, scheme + host + port (RFC 9309 2.3):
 * http://a.test/robots.txt says nothing of https://a.test/, and one
 * failing does not pause the other.  So is health: a pause, a run of
 * failures.  Politeness stays per host.
 */
struct origin {
	struct host *host;
	char *name;			/* "http://host[:port]" */
	enum robots_state rstate;
	struct robots rules;
	/* RS_FAILED: why robots.txt could not be had; its URLs complete with these */
	enum fetch_class down_cls;
	char *down_msg;
	double paused_until;		/* monotonic seconds; no request before */
	char *pause_msg;		/* "host paused until ...: why" */
	int failing;			/* closed for the rest of the run */
	char *fail_msg;
	int fail_streak;		/* URLs in a row that failed */
	int timeout_streak;		/* ... that timed out */
};

struct host {
	char *key;			/* "host[:port]" */
	struct req *head, *tail;
	int in_flight;
	double next_start;		/* no request starts before (monotonic seconds) */
	double last_start;
	double delay;
	struct origin origin[2];	/* http, https (origin_of) */
	int active;			/* in fetcher.active */
};

/* The origin of a canonical URL on h (its scheme is lowercase). */
static struct origin *origin_of(struct host *h, const char *url)
{
	return &h->origin[!strncmp(url, "https:", 6)];
}

struct fetcher {
	struct fetch_opts o;
	double wall_at_mono0;		/* the wall clock (s) when the monotonic clock read 0 */
	char *ua;
	CURLM *multi;
	struct curl_slist *connect_to, *resolve;
	struct host **hosts;		/* sorted by key, for bsearch */
	size_t nhosts, ahosts;
	struct host **active;		/* hosts with queued requests */
	size_t nactive, aactive;
	struct req *flying;		/* in-flight list */
	size_t nqueued, running;
	int in_run, stop;
	double wake_by;			/* fetcher_wake_by(): the next wait's end (mono), or 0 */
	uint64_t rng;
	struct fetch_stats st;
};

static const char *const class_names[] = {
	[FETCH_OK] = "ok",
	[FETCH_NOT_MODIFIED] = "not_modified",
	[FETCH_HTTP_3XX] = "http_3xx",
	[FETCH_HTTP_4XX] = "http_4xx",
	[FETCH_HTTP_5XX] = "http_5xx",
	[FETCH_TIMEOUT] = "timeout",
	[FETCH_CONNECT] = "connect",
	[FETCH_TLS] = "tls",
	[FETCH_TRANSFER] = "transfer",
	[FETCH_TOO_BIG] = "too_big",
	[FETCH_BAD_URL] = "bad_url",
	[FETCH_BAD_REDIRECT] = "bad_redirect",
	[FETCH_OUT_OF_SCOPE_REDIRECT] = "out_of_scope_redirect",
	[FETCH_TOO_MANY_REDIRECTS] = "too_many_redirects",
	[FETCH_ROBOTS_DISALLOWED] = "robots_disallowed",
	[FETCH_HOST_PAUSED] = "host_paused",
	[FETCH_DNS] = "dns",
	[FETCH_ROBOTS_UNAVAILABLE] = "robots_unavailable",
	[FETCH_HOST_FAILING] = "host_failing",
};

const char *fetch_class_name(enum fetch_class c)
{
	if ((unsigned)c < sizeof(class_names) / sizeof(class_names[0]) && class_names[c])
		return class_names[c];
	return "unknown";
}

void fetch_opts_init(struct fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->user_agent = FETCH_DEFAULT_USER_AGENT;
	o->max_per_host = 1;
	o->max_total = 32;
	o->host_delay = 1.0;
	o->max_crawl_delay = 30;
	o->connect_timeout_ms = 15000;
	o->timeout_ms = 120000;
	o->low_speed_limit = 64;
	o->low_speed_time = 30;
	o->max_body = 20u * 1024 * 1024;
	o->max_redirects = 5;
	o->max_tries = 3;
	o->backoff_base = 2.0;
	o->backoff_max = 120;
	o->max_retry_after = 300;
	o->max_pause = 86400;
	o->timeout_pause = 3600;
	o->host_failures = 5;
}

/* ---- small helpers ---- */

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double rand01(struct fetcher *f)
{
	/* xorshift64*: jitter needs spread, not strength */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return (double)((f->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

double fetch_backoff(double base, double max, int attempt, double u)
{
	double w;

	if (attempt < 1)
		attempt = 1;
	if (attempt > 30)
		attempt = 30;
	if (u < 0)
		u = 0;
	if (u >= 1)
		u = 0.999999;
	w = base * ldexp(1.0, attempt - 1) * (0.5 + 0.5 * u);
	return w > max ? max : w;
}

double fetch_retry_after(const char *value, time_t now)
{
	const char *p = value, *e;
	time_t t;

	if (!value)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	if (e == p)
		return -1;
	if (*p >= '0' && *p <= '9') {
		double v = 0;
		const char *q;

		for (q = p; q < e && *q >= '0' && *q <= '9'; q++)
			if (v < 1e12)
				v = v * 10 + (*q - '0');
		if (q == e)
			return v;
	}
	{
		char tmp[128];

		if ((size_t)(e - p) >= sizeof(tmp))
			return -1;
		memcpy(tmp, p, (size_t)(e - p));
		tmp[e - p] = '\0';
		t = curl_getdate(tmp, NULL);
	}
	if (t == (time_t)-1)
		return -1;
	return t > now ? difftime(t, now) : 0;
}

/* A header value the caller stored that is safe to send back (no line breaks, bounded). */
static int header_value_ok(const char *v)
{
	return v && v[0] && strlen(v) < 1024 && !strpbrk(v, "\r\n");
}

/* ---- hosts and queues ---- */

static struct host *host_get(struct fetcher *f, const char *key)
{
	size_t lo = 0, hi = f->nhosts;
	struct host *h;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(f->hosts[mid]->key, key);

		if (!c)
			return f->hosts[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	h = xcalloc(1, sizeof(*h));
	h->key = xstrdup(key);
	h->delay = f->o.host_delay;
	for (size_t i = 0; i < 2; i++) {
		struct buf name = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&name, "%s://%s", i ? "https" : "http", key);
		h->origin[i].host = h;
		h->origin[i].name = buf_take(&name);
		h->origin[i].rstate = f->o.ignore_robots ? RS_READY : RS_UNKNOWN;
		robots_init(&h->origin[i].rules);
	}
	h->next_start = 0;
	h->last_start = -1e9;
	ALLOC_GROW(f->hosts, f->nhosts + 1, f->ahosts);
	memmove(f->hosts + lo + 1, f->hosts + lo, (f->nhosts - lo) * sizeof(*f->hosts));
	f->hosts[lo] = h;
	f->nhosts++;
	f->st.hosts++;
	return h;
}

static void enqueue(struct fetcher *f, struct host *h, struct req *r, int front)
{
	r->host = h;
	if (front) {
		r->next = h->head;
		h->head = r;
		if (!h->tail)
			h->tail = r;
	} else {
		r->next = NULL;
		if (h->tail)
			h->tail->next = r;
		else
			h->head = r;
		h->tail = r;
	}
	f->nqueued++;
	if (!h->active) {
		ALLOC_GROW(f->active, f->nactive + 1, f->aactive);
		f->active[f->nactive++] = h;
		h->active = 1;
	}
}

static struct req *dequeue(struct fetcher *f, struct host *h)
{
	struct req *r = h->head;

	h->head = r->next;
	if (!h->head)
		h->tail = NULL;
	r->next = NULL;
	f->nqueued--;
	return r;
}

static void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	buf_release(&x->body);
	free(x);
}

static void req_free(struct req *r)
{
	if (!r)
		return;
	xfer_free(r->x);
	free(r->url);
	free(r->cur);
	free(r->etag);
	free(r->post);
	free(r->lm);
	free(r);
}

static void flying_add(struct fetcher *f, struct req *r)
{
	r->fprev = NULL;
	r->fnext = f->flying;
	if (f->flying)
		f->flying->fprev = r;
	f->flying = r;
}

static void flying_del(struct fetcher *f, struct req *r)
{
	if (r->fprev)
		r->fprev->fnext = r->fnext;
	else
		f->flying = r->fnext;
	if (r->fnext)
		r->fnext->fprev = r->fprev;
	r->fprev = r->fnext = NULL;
}

/* ---- lifecycle ---- */

static struct curl_slist *slist_of(const char *const *v, int *bad)
{
	struct curl_slist *l = NULL;

	for (; v && *v; v++) {
		struct curl_slist *n = curl_slist_append(l, *v);

		if (!n) {
			*bad = 1;
			break;
		}
		l = n;
	}
	return l;
}

struct fetcher *fetcher_new(const struct fetch_opts *opts, struct err *err)
{
	struct fetcher *f;
	int bad = 0;

	if (!opts || !opts->done) {
		err_set(err, OGI_EINVAL, "fetcher: no completion callback");
		return NULL;
	}
	if (opts->max_per_host < 1 || opts->max_total < 1 || opts->max_tries < 1 ||
	    opts->max_redirects < 0 || !opts->max_body || !(opts->host_delay >= 0) ||
	    !(opts->backoff_base >= 0) || !(opts->max_crawl_delay >= 0)) {
		err_set(err, OGI_EINVAL, "fetcher: bad options");
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		err_set(err, OGI_EIO, "fetcher: cannot initialise libcurl");
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	{
		/* once: the log's start times are the spacing clock's, not read again later */
		struct timespec w;

		clock_gettime(CLOCK_REALTIME, &w);
		f->wall_at_mono0 = (double)w.tv_sec + w.tv_nsec / 1e9 - mono();
	}
	f->o = *opts;
	f->ua = xstrdup(opts->user_agent && opts->user_agent[0] ? opts->user_agent
								: FETCH_DEFAULT_USER_AGENT);
	f->o.user_agent = f->ua;
	f->o.connect_to = NULL;
	f->o.resolve = NULL;
	f->connect_to = slist_of(opts->connect_to, &bad);
	f->resolve = slist_of(opts->resolve, &bad);
	f->multi = curl_multi_init();
	f->rng = opts->seed ? opts->seed : ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
	f->rng |= 1;
	if (!f->multi || bad) {
		err_set(err, OGI_EIO, "fetcher: cannot initialise libcurl");
		fetcher_free(f);
		return NULL;
	}
	return f;
}

void fetcher_free(struct fetcher *f)
{
	size_t i;

	if (!f)
		return;
	while (f->flying) {
		struct req *r = f->flying;

		flying_del(f, r);
		curl_multi_remove_handle(f->multi, r->x->easy);
		req_free(r);
	}
	for (i = 0; i < f->nhosts; i++) {
		struct host *h = f->hosts[i];

		while (h->head)
			req_free(dequeue(f, h));
		for (size_t k = 0; k < 2; k++) {
			struct origin *og = &h->origin[k];

			robots_release(&og->rules);
			free(og->name);
			free(og->down_msg);
			free(og->pause_msg);
			free(og->fail_msg);
		}
		free(h->key);
		free(h);
	}
	free(f->hosts);
	free(f->active);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	curl_slist_free_all(f->connect_to);
	curl_slist_free_all(f->resolve);
	free(f->ua);
	free(f);
	curl_global_cleanup();
}

static int add_req(struct fetcher *f, const char *url, const char *etag,
		   const char *last_modified, const char *post, void *userdata)
{
	char *cur = url_normalize_opts(url, f->o.url), *key;
	struct req *r;

	if (!cur)
		return OGI_EINVAL;
	if (post && strlen(post) > FETCH_MAX_POST) {
		free(cur);
		return OGI_EINVAL;
	}
	key = url_host(cur);
	if (!key) {
		free(cur);
		return OGI_EINVAL;
	}
	r = xcalloc(1, sizeof(*r));
	r->url = xstrdup(url);
	r->cur = cur;
	r->etag = header_value_ok(etag) ? xstrdup(etag) : NULL;
	r->lm = header_value_ok(last_modified) ? xstrdup(last_modified) : NULL;
	r->post = post ? xstrdup(post) : NULL;
	r->userdata = userdata;
	r->first_start = -1;
	enqueue(f, host_get(f, key), r, 0);
	free(key);
	return 0;
}

int fetcher_add(struct fetcher *f, const char *url, const char *etag, const char *last_modified,
		void *userdata)
{
	return add_req(f, url, etag, last_modified, NULL, userdata);
}

int fetcher_add_post(struct fetcher *f, const char *url, const char *body, void *userdata)
{
	return add_req(f, url, NULL, NULL, body ? body : "", userdata);
}

size_t fetcher_pending(const struct fetcher *f)
{
	return f->nqueued + f->running;
}

void fetcher_stats(const struct fetcher *f, struct fetch_stats *out)
{
	*out = f->st;
}

void fetcher_stop(struct fetcher *f)
{
	f->stop = 1;
}

/* ---- delivery ---- */

struct outcome {
	enum fetch_class cls;
	long status;
	char *etag, *lm, *ctype;
	char *redirect_url;
	const char *error;
};

static void deliver(struct fetcher *f, struct req *r, const struct outcome *oc, double now)
{
	struct fetch_result res;
	struct buf empty = BUF_INIT(0);

	memset(&res, 0, sizeof(res));
	res.url = r->url;
	res.final_url = r->cur;
	res.redirect_url = oc->redirect_url;
	res.cls = oc->cls;
	res.status = oc->status;
	res.etag = oc->etag;
	res.last_modified = oc->lm;
	res.content_type = oc->ctype;
	res.body = r->x ? &r->x->body : &empty;
	res.elapsed = r->first_start >= 0 ? now - r->first_start : 0;
	res.requests = r->requests;
	res.redirects = r->redirects;
	res.error = oc->error ? oc->error : "";
	res.userdata = r->userdata;
	f->st.delivered++;
	f->o.done(f, &res, f->o.done_arg);
	buf_release(&empty);
}

/* Completes a request that needs no transfer (robots, paused host, unusable URL). */
static void finish_early(struct fetcher *f, struct req *r, enum fetch_class cls, const char *msg)
{
	struct outcome oc;

	memset(&oc, 0, sizeof(oc));
	oc.cls = cls;
	oc.error = msg;
	deliver(f, r, &oc, mono());
	req_free(r);
}

/* ---- starting transfers ---- */

static size_t write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if (buf_add(&x->body, p, len)) {
		/* keep what fits (a robots.txt is read up to its limit), then abort */
		if (x->body.max > x->body.len)
			buf_add(&x->body, p, x->body.max - x->body.len);
		x->over = 1;
		return 0;
	}
	return len;
}

static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *value,
				     int *bad)
{
	struct buf b = BUF_INIT(2048);
	struct curl_slist *n;

	buf_addf(&b, "%s: %s", name, value);
	n = curl_slist_append(l, buf_str(&b));
	buf_release(&b);
	if (!n) {
		*bad = 1;
		return l;
	}
	return n;
}

static int start(struct fetcher *f, struct req *r, double now)
{
	struct xfer *x = xcalloc(1, sizeof(*x));
	struct host *h = r->host;
	CURL *e;
	int bad = 0;

	buf_init(&x->body, r->robots_for ? ROBOTS_MAX_SIZE : f->o.max_body);
	e = x->easy = curl_easy_init();
	if (!e)
		goto fail;
	x->hdrs = add_header(x->hdrs, "Accept", ACCEPT, &bad);
	x->hdrs = add_header(x->hdrs, "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5", &bad);
	if (!r->robots_for && r->etag)
		x->hdrs = add_header(x->hdrs, "If-None-Match", r->etag, &bad);
	if (!r->robots_for && r->lm)
		x->hdrs = add_header(x->hdrs, "If-Modified-Since", r->lm, &bad);
	if (r->post)
		x->hdrs = add_header(x->hdrs, "Content-Type",
				     "application/x-www-form-urlencoded; charset=UTF-8", &bad);
	if (bad)
		goto fail;
	if (curl_easy_setopt(e, CURLOPT_URL, r->cur) ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) ||
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) ||
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) ||
	    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""))
		goto fail;
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->ua);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	if (r->post && (curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(r->post)) ||
			curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, r->post)))
		goto fail;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->o.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->o.timeout_ms);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, f->o.low_speed_limit);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->o.low_speed_time);
	if (!r->robots_for)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o.max_body);
	if (f->connect_to)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, f->connect_to);
	if (f->resolve)
		curl_easy_setopt(e, CURLOPT_RESOLVE, f->resolve);
	if (curl_multi_add_handle(f->multi, e))
		goto fail;
	r->x = x;
	flying_add(f, r);
	h->in_flight++;
	f->running++;
	h->last_start = now;
	h->next_start = now + h->delay;
	r->started = now;
	if (r->first_start < 0)
		r->first_start = now;
	r->tries++;
	r->requests++;
	f->st.requests++;
	if (r->robots_for)
		f->st.robots_fetched++;
	return 0;
fail:
	xfer_free(x);
	return -1;
}

static void queue_robots(struct fetcher *f, struct origin *og, const char *any_url)
{
	char *u = url_resolve(any_url, "/robots.txt");
	struct req *r;

	og->rstate = RS_FETCHING;
	if (!u) {
		og->rstate = RS_READY;	/* cannot happen for a canonical URL; allow all */
		return;
	}
	r = xcalloc(1, sizeof(*r));
	r->url = xstrdup(u);
	r->cur = u;
	r->robots_for = og;
	r->first_start = -1;
	enqueue(f, og->host, r, 1);
}

static int path_allowed(struct origin *og, const char *url)
{
	char *pq = url_path_query(url);
	int ok = robots_allowed(&og->rules, pq);

	free(pq);
	return ok;
}

/*
 * Starts what may start now and completes what needs no request.  Callbacks
 * run from here can add requests and hosts: the loop re-reads nactive.
 */
static void schedule(struct fetcher *f, double now)
{
	size_t i, w;

	for (i = 0; i < f->nactive && !f->stop; i++) {
		struct host *h = f->active[i];

		while (h->head && !f->stop) {
			struct req *r = h->head;
			struct origin *og = origin_of(h, r->cur);

			/* a paused or failing origin is not even asked for its robots.txt */
			if (!r->robots_for && og->paused_until > now) {
				finish_early(f, dequeue(f, h), FETCH_HOST_PAUSED, og->pause_msg);
				continue;
			}
			if (!r->robots_for && og->failing) {
				finish_early(f, dequeue(f, h), FETCH_HOST_FAILING, og->fail_msg);
				continue;
			}
			if (!r->robots_for && !f->o.ignore_robots) {
				if (og->rstate == RS_UNKNOWN) {
					queue_robots(f, og, r->cur);
					continue;
				}
				if (og->rstate == RS_FETCHING)
					break;
				if (og->rstate == RS_FAILED) {
					finish_early(f, dequeue(f, h), og->down_cls, og->down_msg);
					continue;
				}
				if (!r->allowed && !path_allowed(og, r->cur)) {
					finish_early(f, dequeue(f, h), FETCH_ROBOTS_DISALLOWED,
						     "disallowed by robots.txt");
					continue;
				}
				r->allowed = 1;
			}
			if (h->in_flight >= f->o.max_per_host ||
			    f->running >= (size_t)f->o.max_total || now < h->next_start)
				break;
			r = dequeue(f, h);
			if (start(f, r, now)) {
				if (r->robots_for) {
					r->robots_for->rstate = RS_READY;
					req_free(r);
				} else {
					finish_early(f, r, FETCH_BAD_URL,
						     "cannot set up the transfer");
				}
			}
		}
	}
	for (i = w = 0; i < f->nactive; i++) {
		if (f->active[i]->head)
			f->active[w++] = f->active[i];
		else
			f->active[i]->active = 0;
	}
	f->nactive = w;
}

/* Milliseconds until something can happen: a host's next start or curl's own timer. */
static long next_wait_ms(struct fetcher *f, double now)
{
	double best = MAX_POLL_MS / 1000.0;
	long curl_ms = -1, ms;
	size_t i;

	for (i = 0; i < f->nactive; i++) {
		struct host *h = f->active[i];

		if (!h->head || h->in_flight >= f->o.max_per_host ||
		    f->running >= (size_t)f->o.max_total)
			continue;
		if (!h->head->robots_for && !f->o.ignore_robots &&
		    origin_of(h, h->head->cur)->rstate == RS_FETCHING)
			continue;
		if (h->next_start - now < best)
			best = h->next_start - now;
	}
	if (f->wake_by > 0 && f->wake_by - now < best)
		best = f->wake_by - now;
	ms = best <= 0 ? 0 : (long)ceil(best * 1000);
	if (f->running && curl_multi_timeout(f->multi, &curl_ms) == CURLM_OK && curl_ms >= 0 &&
	    curl_ms < ms)
		ms = curl_ms;
	return ms;
}

/* ---- completion ---- */

static enum fetch_class classify(CURLcode cc, long status, int over)
{
	switch (cc) {
	case CURLE_OK:
		if (status >= 200 && status < 300)
			return FETCH_OK;
		if (status == 304)
			return FETCH_NOT_MODIFIED;
		if (status >= 300 && status < 400)
			return FETCH_HTTP_3XX;
		if (status >= 400 && status < 500)
			return FETCH_HTTP_4XX;
		if (status >= 500 && status < 600)
			return FETCH_HTTP_5XX;
		return FETCH_TRANSFER;
	case CURLE_FILESIZE_EXCEEDED:
		return FETCH_TOO_BIG;
	case CURLE_WRITE_ERROR:
		return over ? FETCH_TOO_BIG : FETCH_TRANSFER;
	case CURLE_OPERATION_TIMEDOUT:
		return FETCH_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
		return FETCH_DNS;
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return FETCH_CONNECT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return FETCH_TLS;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return FETCH_BAD_URL;
	default:
		return FETCH_TRANSFER;
	}
}

static int retryable(enum fetch_class cls, long status)
{
	return cls == FETCH_TIMEOUT || cls == FETCH_CONNECT || cls == FETCH_TRANSFER ||
	       cls == FETCH_HTTP_5XX || (cls == FETCH_HTTP_4XX && status == 429);
}

/* An outcome that says the origin is unwell (not the URL): counted towards host_failures. */
static int host_failure(enum fetch_class cls, long status)
{
	return retryable(cls, status) || cls == FETCH_DNS || cls == FETCH_TLS;
}

static char *header_copy(CURL *e, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h->value)
		return NULL;
	return xstrdup(h->value);
}

static int same_host(const char *a, const char *b)
{
	char *ha = url_host(a), *hb = url_host(b);
	int r = ha && hb && !strcmp(ha, hb);

	free(ha);
	free(hb);
	return r;
}

static int redirect_in_scope(struct fetcher *f, struct req *r, const char *target)
{
	/*
	 * RFC 9309 2.3.1.2: a robots.txt redirect is followed even to another
	 * host; the file found decides for the origin first asked.
	 */
	if (r->robots_for)
		return 1;
	if (f->o.in_scope)
		return f->o.in_scope(target, f->o.scope_arg) != 0;
	return same_host(target, r->url);
}

/* ---- host health ---- */

/* "2025-01-10T02:17:05Z" */
static void tell_pause(struct fetcher *f, const struct origin *og, time_t until,
		       const char *reason, const char *detail)
{
	struct fetch_pause p = { og->name, until, reason, detail };

	if (f->o.on_pause)
		f->o.on_pause(&p, f->o.done_arg);
}

/* No request to og for secs seconds from now (monotonic): its URLs complete as paused. */
static void pause_origin(struct fetcher *f, struct origin *og, double secs, double now,
			 const char *reason, const char *why)
{
	struct buf m = BUF_INIT(BUF_NOLIMIT);
	time_t until = time(NULL) + (time_t)ceil(secs);
	char when[UTC_TEXT_SIZE];

	utc_text(until, -1, when);
	buf_addf(&m, "host paused until %s: %s", when, why);
	free(og->pause_msg);
	og->pause_msg = buf_take(&m);
	og->paused_until = now + secs;
	og->timeout_streak = 0;
	f->st.hosts_paused++;
	tell_pause(f, og, until, reason, why);
}

int fetcher_pause(struct fetcher *f, const char *origin, time_t until, const char *detail)
{
	struct buf m = BUF_INIT(BUF_NOLIMIT);
	struct host *h;
	const char *key;
	double secs = difftime(until, time(NULL));
	char when[UTC_TEXT_SIZE];
	int https;

	if (!strncmp(origin, "http://", 7))
		https = 0;
	else if (!strncmp(origin, "https://", 8))
		https = 1;
	else
		return OGI_EINVAL;
	key = origin + (https ? 8 : 7);
	if (!*key || strpbrk(key, "/?#@ "))
		return OGI_EINVAL;
	if (secs <= 0)
		return 0;
	h = host_get(f, key);
	utc_text(until, -1, when);
	buf_addf(&m, "host paused until %s: %s", when, detail && *detail ? detail : "paused");
	free(h->origin[https].pause_msg);
	h->origin[https].pause_msg = buf_take(&m);
	h->origin[https].paused_until = mono() + secs;
	f->st.hosts_paused++;
	return 0;
}

/*
 * The final outcome of a URL of og: failures in a row (of the host, not
 * the page) pause it (timeouts) or close it for the run.
 */
static void note_health(struct fetcher *f, struct origin *og, enum fetch_class cls, long status,
			const char *msg, double now)
{
	struct buf why = BUF_INIT(BUF_NOLIMIT);

	if (!host_failure(cls, status)) {
		og->fail_streak = 0;
		og->timeout_streak = 0;
		return;
	}
	og->fail_streak++;
	og->timeout_streak = cls == FETCH_TIMEOUT ? og->timeout_streak + 1 : 0;
	if (og->timeout_streak >= FETCH_TIMEOUT_STREAK && f->o.timeout_pause > 0 &&
	    og->paused_until <= now) {
		buf_addf(&why, "%d URLs in a row timed out", og->timeout_streak);
		pause_origin(f, og, f->o.timeout_pause, now, "timeouts", buf_str(&why));
		buf_reset(&why);
	}
	if (f->o.host_failures > 0 && og->fail_streak >= f->o.host_failures && !og->failing) {
		struct buf m = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&why, "%d URLs in a row failed, the last: %s: %s", og->fail_streak,
			 fetch_class_name(cls), msg);
		buf_addf(&m, "host skipped for the rest of the run: %s", buf_str(&why));
		og->failing = 1;
		og->fail_msg = buf_take(&m);
		f->st.hosts_paused++;
		tell_pause(f, og, 0, "failing", buf_str(&why));
	}
	buf_release(&why);
}

/* Applies the outcome of a robots.txt request to the origin it decides. */
static void robots_done(struct fetcher *f, struct req *r, const struct outcome *oc)
{
	struct origin *og = r->robots_for;
	struct host *t = og->host;
	enum robots_policy pol;

	if (oc->cls == FETCH_OK)
		pol = ROBOTS_USE_RULES;
	else if (oc->status && oc->cls != FETCH_TRANSFER && oc->cls != FETCH_TIMEOUT)
		pol = robots_policy_for_status(oc->status);
	else
		pol = ROBOTS_PAUSE_HOST;	/* no complete answer: unreachable */
	robots_release(&og->rules);
	if (pol == ROBOTS_USE_RULES) {
		double d;

		robots_parse(buf_str(&r->x->body), r->x->body.len, f->ua, &og->rules);
		d = robots_crawl_delay(&og->rules);
		if (d > f->o.max_crawl_delay)
			d = f->o.max_crawl_delay;
		if (d > t->delay)
			t->delay = d;
		og->rstate = RS_READY;
		if (og->rules.nsitemaps && f->o.on_sitemaps)
			f->o.on_sitemaps(f, og->name, (const char *const *)og->rules.sitemaps,
					 og->rules.nsitemaps, f->o.done_arg);
	} else if (pol == ROBOTS_ALLOW_ALL) {
		og->rstate = RS_READY;
	} else {
		/* its URLs fail with what went wrong: a name, a certificate, a 503 */
		struct buf m = BUF_INIT(BUF_NOLIMIT);
		int http = oc->cls == FETCH_HTTP_4XX || oc->cls == FETCH_HTTP_5XX;

		og->rstate = RS_FAILED;
		og->down_cls = http ? FETCH_ROBOTS_UNAVAILABLE : oc->cls;
		if (http)
			buf_addf(&m, "robots.txt unavailable: %s", oc->error);
		else
			buf_addf(&m, "cannot fetch robots.txt: %s", oc->error);
		free(og->down_msg);
		og->down_msg = buf_take(&m);
		f->st.hosts_paused++;
	}
	if (t->last_start + t->delay > t->next_start)
		t->next_start = t->last_start + t->delay;
}

/* Tells on_request of the request r just made (before what it leads to is decided). */
static void log_request(struct fetcher *f, const struct req *r, const struct outcome *oc,
			const char *retry_after)
{
	struct fetch_request_log l;
	double secs = 0;

	if (!f->o.on_request)
		return;
	curl_easy_getinfo(r->x->easy, CURLINFO_TOTAL_TIME, &secs);
	l.url = r->cur;
	l.status = oc->status;
	l.cls = oc->cls;
	l.error = oc->error ? oc->error : "";
	l.bytes = r->x->body.len;
	l.seconds = secs;
	l.started = f->wall_at_mono0 + r->started;
	l.attempt = r->tries;
	l.robots = r->robots_for != NULL;
	l.conditional = !r->robots_for && (r->etag || r->lm);
	l.method = r->post ? "POST" : "GET";
	l.retry_after = retry_after;
	f->o.on_request(&l, f->o.request_arg);
}

static void complete(struct fetcher *f, struct req *r, CURLcode cc)
{
	struct xfer *x = r->x;
	struct host *h = r->host;
	struct origin *og = r->robots_for ? r->robots_for : origin_of(h, r->cur);
	struct outcome oc;
	char msg[CURL_ERROR_SIZE + 64];
	char *location = NULL, *retry_after = NULL, *ctype = NULL;
	double now = mono(), ra;

	memset(&oc, 0, sizeof(oc));
	flying_del(f, r);
	curl_multi_remove_handle(f->multi, x->easy);
	h->in_flight--;
	f->running--;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &oc.status);
	oc.cls = classify(cc, oc.status, x->over);
	if (r->robots_for && x->over && oc.status >= 200 && oc.status < 300)
		oc.cls = FETCH_OK;	/* robots.txt is read up to its size limit */
	oc.etag = header_copy(x->easy, "ETag");
	oc.lm = header_copy(x->easy, "Last-Modified");
	if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype) == CURLE_OK && ctype)
		oc.ctype = xstrdup(ctype);
	if (oc.cls == FETCH_HTTP_3XX)
		location = header_copy(x->easy, "Location");
	if (retryable(oc.cls, oc.status) || oc.status == 503)
		retry_after = header_copy(x->easy, "Retry-After");
	msg[0] = '\0';
	if (cc != CURLE_OK)
		snprintf(msg, sizeof(msg), "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc));
	else if (oc.cls != FETCH_OK && oc.cls != FETCH_NOT_MODIFIED)
		snprintf(msg, sizeof(msg), "http status %ld", oc.status);
	if (oc.cls == FETCH_TOO_BIG)
		snprintf(msg, sizeof(msg), "body over %zu bytes", x->body.max);
	/* "not modified" answers a question; unasked, it says nothing of the page */
	if (oc.cls == FETCH_NOT_MODIFIED && (r->robots_for || (!r->etag && !r->lm))) {
		oc.cls = FETCH_HTTP_3XX;
		snprintf(msg, sizeof(msg), "http status 304 to a request that was not conditional");
	}
	oc.error = msg;
	log_request(f, r, &oc, retry_after);
	ra = retry_after ? fetch_retry_after(retry_after, time(NULL)) : -1;

	if (location) {
		char *target = url_resolve_opts(r->cur, location, f->o.url);
		int max = r->robots_for ? ROBOTS_MAX_REDIRECTS : f->o.max_redirects;

		if (!target) {
			oc.cls = FETCH_BAD_REDIRECT;
			/* a Location with "user:secret@" is refused and its secret kept from the caller */
			oc.redirect_url = strchr(location, '@') ? NULL : xstrdup(location);
			snprintf(msg, sizeof(msg), "redirect to an unusable location");
		} else if (r->redirects >= max) {
			oc.cls = FETCH_TOO_MANY_REDIRECTS;
			oc.redirect_url = target;
			snprintf(msg, sizeof(msg), "more than %d redirects", max);
		} else if (!redirect_in_scope(f, r, target)) {
			oc.cls = FETCH_OUT_OF_SCOPE_REDIRECT;
			oc.redirect_url = target;
			snprintf(msg, sizeof(msg), "redirect out of scope");
		} else {
			char *key = url_host(target);

			if (!r->robots_for)
				note_health(f, og, FETCH_OK, oc.status, "", now);
			xfer_free(x);
			r->x = NULL;
			free(r->cur);
			r->cur = target;
			r->redirects++;
			r->tries = 0;
			/* as browsers do: 301, 302 and 303 turn a POST into a GET, 307 and 308 keep it */
			if (r->post && oc.status != 307 && oc.status != 308) {
				free(r->post);
				r->post = NULL;
			}
			r->allowed = 0;
			enqueue(f, host_get(f, key), r, 1);
			free(key);
			goto out;
		}
	}
	/*
	 * Busy for longer than a run should wait: the whole origin rests, this
	 * run and the next ones until then (the caller keeps the pause).
	 */
	if ((oc.status == 429 || oc.status == 503) && ra > f->o.max_retry_after) {
		struct buf why = BUF_INIT(BUF_NOLIMIT);
		double secs = ra > f->o.max_pause ? f->o.max_pause : ra;

		buf_addf(&why, "http status %ld with Retry-After: %s", oc.status, retry_after);
		if (ra > f->o.max_pause)
			buf_addf(&why, " (more than %.0f s: %.0f s)", f->o.max_pause, secs);
		pause_origin(f, og, secs, now, "retry_after", buf_str(&why));
		buf_release(&why);
		if (r->robots_for) {
			og->rstate = RS_UNKNOWN;	/* asked again once the pause is over */
			req_free(r);
			goto out;
		}
		oc.cls = FETCH_HOST_PAUSED;
		snprintf(msg, sizeof(msg), "%s", og->pause_msg);
		deliver(f, r, &oc, now);
		req_free(r);
		goto out;
	}
	if (retryable(oc.cls, oc.status) && r->tries < f->o.max_tries &&
	    ra <= f->o.max_retry_after) {
		double wait = fetch_backoff(f->o.backoff_base, f->o.backoff_max, r->tries,
					    rand01(f));

		if (ra > wait)
			wait = ra;
		xfer_free(x);
		r->x = NULL;
		enqueue(f, h, r, 1);
		/* the whole host waits: it is busy or failing */
		if (now + wait > h->next_start)
			h->next_start = now + wait;
		f->st.retries++;
		goto out;
	}
	if (r->robots_for) {
		robots_done(f, r, &oc);
	} else {
		note_health(f, og, oc.cls, oc.status, msg, now);
		deliver(f, r, &oc, now);
	}
	req_free(r);
out:
	free(oc.etag);
	free(oc.lm);
	free(oc.ctype);
	free(oc.redirect_url);
	free(location);
	free(retry_after);
}

static void process_done(struct fetcher *f)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left))) {
		char *priv = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv)
			complete(f, (struct req *)(void *)priv, m->data.result);
	}
}

/* fetcher_stop: in-flight requests go back to the front of their queues, not counted as tries. */
static void requeue_flying(struct fetcher *f)
{
	while (f->flying) {
		struct req *r = f->flying;

		flying_del(f, r);
		curl_multi_remove_handle(f->multi, r->x->easy);
		xfer_free(r->x);
		r->x = NULL;
		r->host->in_flight--;
		f->running--;
		r->tries--;
		r->requests--;
		if (r->robots_for)
			r->robots_for->rstate = RS_UNKNOWN;
		if (r->robots_for) {
			req_free(r);	/* asked again when the host is next scheduled */
			continue;
		}
		enqueue(f, r->host, r, 1);
	}
}

void fetcher_wakeup(struct fetcher *f)
{
	curl_multi_wakeup(f->multi);
}

void fetcher_wake_by(struct fetcher *f, double seconds)
{
	double t = mono() + (seconds > 0 ? seconds : 0);

	if (!f->wake_by || t < f->wake_by)
		f->wake_by = t;
}

int fetcher_run(struct fetcher *f, struct err *err)
{
	int rc = 0;

	if (f->in_run)
		return err_set(err, OGI_EINVAL, "fetcher_run called from a callback");
	f->in_run = 1;
	f->stop = 0;
	for (;;) {
		int still = 0;
		CURLMcode mc;

		schedule(f, mono());
		if (f->stop || (!f->running && !f->nqueued))
			break;
		mc = curl_multi_perform(f->multi, &still);
		if (mc != CURLM_OK) {
			rc = err_set(err, OGI_EIO, "fetch: %s", curl_multi_strerror(mc));
			break;
		}
		process_done(f);
		if (f->o.tick)
			f->o.tick(f, f->o.done_arg);
		if (f->stop || (!f->running && !f->nqueued))
			break;
		schedule(f, mono());
		mc = curl_multi_poll(f->multi, NULL, 0, (int)next_wait_ms(f, mono()), NULL);
		f->wake_by = 0;
		if (mc != CURLM_OK) {
			rc = err_set(err, OGI_EIO, "fetch: %s", curl_multi_strerror(mc));
			break;
		}
	}
	requeue_flying(f);
	f->in_run = 0;
	return rc;
}
