#ifndef OGI_FETCH_H
#define OGI_FETCH_H
/*
 * The fetch engine: a queue of GET (and POST, for list APIs) requests run on libcurl's multi
 * interface, many hosts at once, politely:
 *  - at most max_per_host transfers in flight per host and a minimum gap
 *    between request starts on a host: the larger of host_delay and the
 *    host's robots.txt Crawl-delay (capped at max_crawl_delay);
 *  - before the first request to an origin (scheme, host and port: RFC
 *    9309 2.3), its /robots.txt is fetched (the same politeness applies)
 *    and obeyed: disallowed URLs complete as FETCH_ROBOTS_DISALLOWED
 *    without a request; a 4xx robots.txt allows everything; a 5xx or 429
 *    one (FETCH_ROBOTS_UNAVAILABLE), or one that could not be fetched at
 *    all, closes the origin for the run: its URLs complete without a
 *    request, with the class of what went wrong (FETCH_DNS, FETCH_TLS,
 *    FETCH_CONNECT, FETCH_TIMEOUT, ...) and "robots.txt" in the message.
 *    A robots.txt redirect is followed to any http(s) host,
 *    ROBOTS_MAX_REDIRECTS times at most (then, or for an unusable
 *    Location, everything is allowed, as for a 4xx);
 *  - redirects are followed here, not by curl: at most max_redirects, only
 *    to http(s) URLs without userinfo, only where the scope callback agrees;
 *  - timeouts, connection errors, dropped transfers, 429 and 5xx are tried
 *    again (max_tries in all) after an exponential backoff with jitter, at
 *    least as long as a Retry-After; the host waits meanwhile;
 *  - host health, per origin: a 429 or 503 whose Retry-After is longer
 *    than max_retry_after pauses the origin for that long (at most
 *    max_pause), FETCH_TIMEOUT_STREAK URLs in a row that time out pause it
 *    for timeout_pause, and host_failures URLs in a row that fail (a
 *    timeout, no connection, TLS, a dropped transfer, a 5xx or 429) close
 *    it for the rest of the run.  Its URLs then complete without a request
 *    as FETCH_HOST_PAUSED or FETCH_HOST_FAILING, and the on_pause callback
 *    says so once, so that the caller can keep the pause for later runs
 *    (fetcher_pause() sets one again);
 *  - a 304 to a request that was not conditional is FETCH_HTTP_3XX, not
 *    FETCH_NOT_MODIFIED: there is nothing it could say is unmodified.
 * Politeness is per host, "host[:port]" of the URL (http and https share one).  Each
 * request ends in exactly one call of the done callback, in completion
 * order, which may add requests.  Memory is flat in the number of queued
 * URLs: a body lives only until its callback returns.  No global state
 * besides curl_global_init's reference count.
 */
#include <stddef.h>
#include <time.h>

#include "crawler/url.h"
#include "util/buf.h"
#include "util/err.h"

/* URLs of an origin that time out in a row before it is paused for timeout_pause. */
#define FETCH_TIMEOUT_STREAK 3
/* Bytes of a POST body at most (fetcher_add_post). */
#define FETCH_MAX_POST 8192

#define FETCH_DEFAULT_USER_AGENT \
	"ogi/0.1 (+https://example.invalid/ogi; annual-report research crawler)"

struct fetcher;

enum fetch_class {
	FETCH_OK,			/* 2xx, complete body */
	FETCH_NOT_MODIFIED,		/* 304 to a conditional request */
	FETCH_HTTP_3XX,			/* a 3xx without Location (or one not a redirect) */
	FETCH_HTTP_4XX,			/* including a 429 after the last try */
	FETCH_HTTP_5XX,
	FETCH_TIMEOUT,			/* connect or transfer time limit, or too slow */
	FETCH_CONNECT,			/* connection refused or unreachable (names: FETCH_DNS) */
	FETCH_TLS,			/* handshake or certificate verification */
	FETCH_TRANSFER,			/* dropped connection, truncated body, bad reply */
	FETCH_TOO_BIG,			/* body over max_body: the transfer was aborted */
	FETCH_BAD_URL,			/* a URL curl would not take */
	FETCH_BAD_REDIRECT,		/* Location to another scheme, with userinfo, or unparsable */
	FETCH_OUT_OF_SCOPE_REDIRECT,	/* Location refused by the scope callback: not followed */
	FETCH_TOO_MANY_REDIRECTS,
	FETCH_ROBOTS_DISALLOWED,	/* no request made */
	/*
	 * The origin is paused (a long Retry-After, timeouts in a row): no
	 * request made, or the response that paused it (a 429 or 503)
	 */
	FETCH_HOST_PAUSED,
	FETCH_DNS,			/* the host name could not be resolved */
	FETCH_ROBOTS_UNAVAILABLE,	/* robots.txt answered 5xx or 429: no request made */
	FETCH_HOST_FAILING		/* host_failures failures in a row: no request made */
};

/* A short stable name: "ok", "not_modified", "timeout", "too_big", ... */
const char *fetch_class_name(enum fetch_class c);

/*
 * One finished request, valid during the done callback only.  The caller
 * may take the body's bytes with buf_take(r->body).
 */
struct fetch_result {
	const char *url;		/* as given to fetcher_add */
	const char *final_url;		/* canonical URL of the last request made (or considered) */
	/*
	 * The refused target for *_REDIRECT classes (for FETCH_BAD_REDIRECT the
	 * Location as sent, unless it holds an '@'), else NULL.
	 */
	const char *redirect_url;
	enum fetch_class cls;
	long status;			/* HTTP status of the last response, 0 when none */
	const char *etag;		/* response headers, NULL when absent */
	const char *last_modified;
	const char *content_type;
	struct buf *body;		/* decoded (gzip/deflate) body of the last response */
	double elapsed;			/* seconds from the first request's start to completion */
	int requests;			/* HTTP requests made for it (tries and redirects) */
	int redirects;			/* redirects followed */
	const char *error;		/* what failed (curl's message or ours), "" when none */
	void *userdata;			/* as given to fetcher_add */
};

typedef void (*fetch_done_fn)(struct fetcher *f, const struct fetch_result *r, void *arg);

/* One HTTP request made (a try, a redirect hop, a robots.txt), for a log. */
struct fetch_request_log {
	const char *url;		/* canonical URL requested */
	long status;			/* 0 when no response came */
	enum fetch_class cls;		/* of this response alone */
	const char *error;		/* what failed, "" when nothing */
	size_t bytes;			/* body bytes received (decoded) */
	double seconds;			/* from the request's start to its end (curl's) */
	double started;			/* when it started, on the clock that spaces a host's
					   requests, as wall-clock seconds since 1970 */
	int attempt;			/* 1 for the first try of this URL (of this hop) */
	int robots;			/* a robots.txt request */
	int conditional;		/* If-None-Match or If-Modified-Since sent */
	const char *retry_after;	/* the header as sent, or NULL */
	const char *method;		/* "GET" or "POST" */
};

typedef void (*fetch_request_fn)(const struct fetch_request_log *l, void *arg);

/* An origin paused or closed: what fetch_opts.on_pause is told, once per change. */
struct fetch_pause {
	const char *origin;		/* "http://a.test", "https://b.test:8443" */
	time_t until;			/* wall clock; 0: closed for the rest of the run only */
	const char *reason;		/* "retry_after", "timeouts", "failing" */
	const char *detail;		/* why, for people ("http status 429 with Retry-After: 600") */
};

typedef void (*fetch_pause_fn)(const struct fetch_pause *p, void *arg);
/* 1 when a redirect to url may be followed. */
typedef int (*fetch_scope_fn)(const char *url, void *arg);

struct fetch_opts {
	const char *user_agent;		/* FETCH_DEFAULT_USER_AGENT */
	int max_per_host;		/* transfers in flight per host: 1 */
	int max_total;			/* transfers in flight in all: 32 */
	double host_delay;		/* seconds between request starts on a host: 1.0 */
	double max_crawl_delay;		/* a robots Crawl-delay above this counts as this: 30 */
	long connect_timeout_ms;	/* 15000 */
	long timeout_ms;		/* whole transfer: 120000 */
	long low_speed_limit;		/* bytes/s below which ... : 64 */
	long low_speed_time;		/* ... for this many seconds aborts: 30 */
	size_t max_body;		/* decoded bytes: 20 MiB */
	int max_redirects;		/* 5 */
	int max_tries;			/* 3 (1: no retry) */
	double backoff_base;		/* seconds: 2.0; waits ~base, 2 base, 4 base ... */
	double backoff_max;		/* 120 */
	double max_retry_after;		/* a longer Retry-After pauses the origin: 300 */
	double max_pause;		/* a longer Retry-After pauses it this long: 86400 */
	double timeout_pause;		/* FETCH_TIMEOUT_STREAK timeouts pause it: 3600 */
	int host_failures;		/* failed URLs in a row that close it for the run: 5 (0: never) */
	int ignore_robots;		/* 0: fetch and obey robots.txt */
	/*
	 * NULL-terminated lists passed to CURLOPT_CONNECT_TO
	 * ("a.test:80:127.0.0.1:8080") and CURLOPT_RESOLVE
	 * ("a.test:80:127.0.0.1"), for tests and benchmarks; NULL: none.
	 */
	const char *const *connect_to;
	const char *const *resolve;
	/*
	 * Session ids dropped from the URLs added and redirected to (the
	 * caller's, outliving the fetcher); NULL: URL_SESSION_PARAMS.
	 */
	const struct url_opts *url;
	fetch_scope_fn in_scope;	/* NULL: only the host of the request's URL */
	void *scope_arg;
	fetch_done_fn done;		/* required */
	void *done_arg;
	fetch_pause_fn on_pause;	/* with done_arg; may be NULL */
	/*
	 * An origin's robots.txt was read and names sitemaps (their URLs as
	 * written, at most ROBOTS_MAX_SITEMAPS); with done_arg, once per origin
	 * and run, outside the done callback; may be NULL.
	 */
	void (*on_sitemaps)(struct fetcher *f, const char *origin, const char *const *urls,
			    size_t n, void *arg);
	fetch_request_fn on_request;	/* every request made; may be NULL */
	void *request_arg;
	/*
	 * Called with done_arg on every turn of fetcher_run's loop, outside
	 * the done callback, for work of the caller's own (results of other
	 * threads, which wake the loop with fetcher_wakeup); may be NULL.
	 */
	void (*tick)(struct fetcher *f, void *arg);
	unsigned long seed;		/* backoff jitter; 0: from the clock */
};

/* Fills o with the defaults above (NULL callbacks). */
void fetch_opts_init(struct fetch_opts *o);

/* Copies what it needs of opts; NULL (err set) when opts are unusable or curl fails. */
struct fetcher *fetcher_new(const struct fetch_opts *opts, struct err *err);

/*
 * Queues a GET of url, conditional when etag and/or last_modified (the
 * values stored from an earlier fetch, may be NULL) are given.  Callable
 * from the done callback.  Returns 0, or OGI_EINVAL when url is not an
 * absolute http(s) URL.
 */
int fetcher_add(struct fetcher *f, const char *url, const char *etag, const char *last_modified,
		void *userdata);

/*
 * Queues a POST of body (application/x-www-form-urlencoded, at most
 * FETCH_MAX_POST bytes; NULL: empty) to url: a CMS list API
 * (crawler/lists.h).  Politeness, robots.txt (by url's path), retries and
 * scope as for a GET; never conditional.  A 301, 302 or 303 redirect is
 * followed with a GET, a 307 or 308 with the same POST.  Returns 0, or
 * OGI_EINVAL for a URL as fetcher_add, or a body too long.
 */
int fetcher_add_post(struct fetcher *f, const char *url, const char *body, void *userdata);

/*
 * Runs until every queued request is done (or fetcher_stop).  Returns 0,
 * OGI_EINVAL when called from a callback, OGI_EIO when curl's multi
 * interface fails.
 */
int fetcher_run(struct fetcher *f, struct err *err);

/*
 * From a callback: makes fetcher_run return soon.  Transfers in flight
 * are aborted and queued again (no callback), so a later fetcher_run
 * resumes them.
 */
void fetcher_stop(struct fetcher *f);

/* Makes fetcher_run's wait end now, to tick; callable from any thread. */
void fetcher_wakeup(struct fetcher *f);

/*
 * From the tick callback: fetcher_run's next wait ends within seconds at
 * the latest, for a deadline of the caller's own.
 */
void fetcher_wake_by(struct fetcher *f, double seconds);

/* Requests queued or in flight. */
size_t fetcher_pending(const struct fetcher *f);

struct fetch_stats {
	unsigned long requests;		/* HTTP requests made, robots.txt included */
	unsigned long robots_fetched;	/* robots.txt requests */
	unsigned long retries;
	unsigned long hosts;
	unsigned long hosts_paused;	/* origins closed: robots.txt, pauses, failures */
	unsigned long delivered;	/* done callbacks */
};
void fetcher_stats(const struct fetcher *f, struct fetch_stats *out);

/*
 * Pauses origin ("http://a.test", "https://b.test:8443": scheme, host and
 * port as fetch_pause names them) until the wall-clock time until: its
 * URLs complete as FETCH_HOST_PAUSED, with detail in their message, until
 * then.  For pauses kept from an earlier run; on_pause is not called.
 * Returns 0, or OGI_EINVAL for a malformed origin.
 */
int fetcher_pause(struct fetcher *f, const char *origin, time_t until, const char *detail);

/* Frees everything; queued requests are dropped without callback. */
void fetcher_free(struct fetcher *f);

/*
 * Seconds to wait from a Retry-After value: delta-seconds or an HTTP-date
 * (relative to now); -1 when it is neither.  Dates in the past give 0.
 */
double fetch_retry_after(const char *value, time_t now);

/*
 * The backoff before try number attempt + 1 (attempt >= 1 tries made):
 * base * 2^(attempt-1), scaled by a jitter factor in [0.5, 1) from u in
 * [0, 1), capped at max.
 */
double fetch_backoff(double base, double max, int attempt, double u);

#endif
