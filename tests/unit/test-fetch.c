/*
 * Tests of crawler/fetch.c against tests/server/fixture_server.py, started
 * here as a child process in virtual-hosts mode: a.test, b.test, c.test and
 * evil.test all reach it through CURLOPT_CONNECT_TO.  What the engine did
 * on the wire is read back from the server's own request log.  Politeness
 * properties are asserted as lower bounds on the gaps between request
 * arrivals (minus a small epsilon), never as speed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crawler/fetch.h"
#include "tests/unit/t.h"

#define EPS 0.03

static pid_t server_pid;
static int server_port;
static char log_path[64];
static char connect_to[8][64];
static const char *connect_list[9];

static void server_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
		server_pid = 0;
	}
	if (log_path[0]) {
		if (!getenv("OGI_KEEP_LOG"))
			unlink(log_path);
		log_path[0] = '\0';
	}
}

static int server_start(void)
{
	char script[1024], root[1024], config[1024], line[64];
	int pfd[2], fd;
	size_t n = 0;
	const char *hosts[] = { "a.test", "b.test", "c.test", "evil.test", "d.test" };
	size_t i;

	snprintf(script, sizeof(script), "%s/../server/fixture_server.py", t_fixtures());
	snprintf(root, sizeof(root), "%s/fetch", t_fixtures());
	snprintf(config, sizeof(config), "%s/fetch/config.json", t_fixtures());
	snprintf(log_path, sizeof(log_path), "/tmp/ogi-fetch-log-XXXXXX");
	fd = mkstemp(log_path);
	if (fd < 0 || pipe(pfd))
		return -1;
	close(fd);
	server_pid = fork();
	if (server_pid < 0)
		return -1;
	if (server_pid == 0) {
		/* the server must not outlive a crashed test */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execl("/usr/bin/python3", "python3", script, "--root", root, "--vhosts", "--config",
		      config, "--log", log_path, "--max-seconds", "90", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while (n < sizeof(line) - 1) {
		struct pollfd p = { pfd[0], POLLIN, 0 };
		ssize_t k;

		if (poll(&p, 1, 15000) <= 0)
			break;
		k = read(pfd[0], line + n, 1);
		if (k <= 0)
			break;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(pfd[0]);
	if (strncmp(line, "PORT ", 5))
		return -1;
	server_port = (int)strtol(line + 5, NULL, 10);
	for (i = 0; i < 5; i++) {
		snprintf(connect_to[i], sizeof(connect_to[i]), "%s:80:127.0.0.1:%d", hosts[i],
			 server_port);
		connect_list[i] = connect_to[i];
	}
	/* https://a.test/ reaches the plain HTTP server: its TLS handshake fails */
	snprintf(connect_to[5], sizeof(connect_to[5]), "a.test:443:127.0.0.1:%d", server_port);
	connect_list[5] = connect_to[5];
	connect_list[6] = NULL;
	return server_port > 0 ? 0 : -1;
}

/* ---- the server's log ---- */

struct logent {
	double t;
	char host[64];
	char path[256];
	int status;
	int gzip;
	char ua[256];
	int has_inm, has_ims;
	char method[8];
	char body[256];		/* a POST's */
	char ctype[128];	/* its Content-Type */
};

static void json_str(const char *line, const char *key, char *out, size_t n)
{
	const char *p = strstr(line, key);
	size_t i = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	while (*p && *p != '"' && i + 1 < n) {
		if (*p == '\\' && p[1])
			p++;
		out[i++] = *p++;
	}
	out[i] = '\0';
}

/* Reads the log lines after the first skip ones into *out (caller frees); returns the count. */
static size_t read_log(size_t skip, struct logent **out)
{
	FILE *f = fopen(log_path, "r");
	char line[4096];
	size_t n = 0, alloc = 0, no = 0;
	struct logent *v = NULL;

	*out = NULL;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		struct logent *e;
		const char *p;

		if (no++ < skip)
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			v = realloc(v, alloc * sizeof(*v));
		}
		e = &v[n++];
		memset(e, 0, sizeof(*e));
		p = strstr(line, "\"t\": ");
		e->t = p ? strtod(p + 5, NULL) : 0;
		json_str(line, "\"host\": \"", e->host, sizeof(e->host));
		json_str(line, "\"path\": \"", e->path, sizeof(e->path));
		json_str(line, "\"user-agent\": \"", e->ua, sizeof(e->ua));
		p = strstr(line, "\"status\": ");
		e->status = p ? (int)strtol(p + 10, NULL, 10) : 0;
		e->gzip = strstr(line, "\"gzip\": true") != NULL;
		e->has_inm = strstr(line, "\"if-none-match\"") != NULL;
		e->has_ims = strstr(line, "\"if-modified-since\"") != NULL;
		json_str(line, "\"method\": \"", e->method, sizeof(e->method));
		json_str(line, "\"body\": \"", e->body, sizeof(e->body));
		json_str(line, "\"content-type\": \"", e->ctype, sizeof(e->ctype));
	}
	fclose(f);
	*out = v;
	return n;
}

static size_t log_lines(void)
{
	struct logent *v;
	size_t n = read_log(0, &v);

	free(v);
	return n;
}

static size_t count_req(const struct logent *v, size_t n, const char *host, const char *path)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].host, host) && (!path || !strcmp(v[i].path, path)))
			c++;
	return c;
}

/* ---- results ---- */

struct got {
	int seen;
	enum fetch_class cls;
	long status;
	char *body, *etag, *lm, *ctype, *final_url, *redirect_url, *error;
	size_t body_len;
	int requests, redirects;
};

#define NGOT 32
static struct got got[NGOT];

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void got_reset(void)
{
	size_t i;

	for (i = 0; i < NGOT; i++) {
		free(got[i].body);
		free(got[i].etag);
		free(got[i].lm);
		free(got[i].ctype);
		free(got[i].final_url);
		free(got[i].redirect_url);
		free(got[i].error);
	}
	memset(got, 0, sizeof(got));
}

static void on_done(struct fetcher *f, const struct fetch_result *r, void *arg)
{
	size_t i = (size_t)(uintptr_t)r->userdata;
	struct got *g;

	(void)f;
	(void)arg;
	if (i >= NGOT)
		return;
	g = &got[i];
	if (g->seen++)
		return;
	g->cls = r->cls;
	g->status = r->status;
	g->body = malloc(r->body->len + 1);
	memcpy(g->body, buf_str(r->body), r->body->len + 1);
	g->body_len = r->body->len;
	g->etag = dup_or_null(r->etag);
	g->lm = dup_or_null(r->last_modified);
	g->ctype = dup_or_null(r->content_type);
	g->final_url = dup_or_null(r->final_url);
	g->redirect_url = dup_or_null(r->redirect_url);
	g->error = dup_or_null(r->error);
	g->requests = r->requests;
	g->redirects = r->redirects;
}

static int scope_test_hosts(const char *url, void *arg)
{
	(void)arg;
	return !strncmp(url, "http://a.test/", 14) || !strncmp(url, "http://b.test/", 14) ||
	       !strncmp(url, "http://c.test/", 14);
}

static void base_opts(struct fetch_opts *o)
{
	fetch_opts_init(o);
	o->connect_to = connect_list;
	o->host_delay = 0.02;
	o->max_crawl_delay = 0.02;	/* a.test asks for 0.3 s; only test_politeness waits */
	o->backoff_base = 0.02;
	o->connect_timeout_ms = 3000;
	o->timeout_ms = 5000;
	o->seed = 42;
	o->in_scope = scope_test_hosts;
	o->done = on_done;
}

/* Runs the URLs (userdata = index) through a fresh fetcher with opts. */
static void run_urls(const struct fetch_opts *o, const char *const *urls, size_t n)
{
	struct err e = ERR_INIT;
	struct fetcher *f = fetcher_new(o, &e);
	size_t i;

	got_reset();
	if (!CHECK(f != NULL))
		return;
	for (i = 0; i < n; i++)
		CHECK_INT(fetcher_add(f, urls[i], NULL, NULL, (void *)(uintptr_t)i), 0);
	CHECK_INT(fetcher_run(f, &e), 0);
	CHECK_INT(fetcher_pending(f), 0);
	fetcher_free(f);
	for (i = 0; i < n; i++)
		CHECK_INT(got[i].seen, 1);
}

/* ---- cases ---- */

/*
 * robots.txt is per origin: https://a.test/ failing (no TLS there) pauses
 * https://a.test/ only; http://a.test/ keeps its own rules.  d.test's
 * robots.txt redirects to another host, whose file decides for d.test.
 */
static void test_robots_origins(void)
{
	static const char *const urls[] = {
		"https://a.test/docs/p3.html", "http://a.test/docs/p3.html",
		"http://a.test/private/x.html", "https://a.test/index.html",
		"http://d.test/private/x.html", "http://d.test/open.html",
	};
	struct fetch_opts o;
	struct logent *v;
	size_t skip = log_lines(), n;

	base_opts(&o);
	o.max_tries = 1;
	o.in_scope = NULL;
	run_urls(&o, urls, 6);
	/* the handshake failed: the reason says TLS, not robots.txt */
	CHECK_INT(got[0].cls, FETCH_TLS);
	CHECK(got[0].error && !strncmp(got[0].error, "cannot fetch robots.txt: ", 25));
	CHECK_INT(got[1].cls, FETCH_OK);
	CHECK_INT(got[2].cls, FETCH_ROBOTS_DISALLOWED);
	CHECK_INT(got[3].cls, FETCH_TLS);
	CHECK_INT(got[4].cls, FETCH_ROBOTS_DISALLOWED);
	CHECK_INT(got[4].requests, 0);
	CHECK_INT(got[5].cls, FETCH_HTTP_4XX);	/* asked: the redirected file allows it */
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/robots.txt"), 1);
	CHECK_INT(count_req(v, n, "d.test", "/robots.txt"), 1);
	CHECK_INT(count_req(v, n, "b.test", "/robots-for-d.txt"), 1);
	CHECK_INT(count_req(v, n, "d.test", "/private/x.html"), 0);
	CHECK_INT(count_req(v, n, "d.test", "/open.html"), 1);
	free(v);
}

static void test_helpers(void)
{
	/* 784111777 is Sun, 06 Nov 1994 08:49:37 GMT, the date of RFC 9110's examples */
	static const struct {
		const char *v;
		time_t now;
		double want;
	} ra[] = {
		{ "120", 0, 120 }, { " 5 ", 0, 5 }, { "0", 0, 0 }, { "", 0, -1 }, { "soon", 0, -1 },
		{ "5s", 0, -1 }, { "-3", 0, -1 }, { "Sun, 06 Nov 1994 08:49:37 GMT", 784111717,
		  60 },
		{ "Sunday, 06-Nov-94 08:49:37 GMT", 784111717, 60 },
		{ "Sun Nov  6 08:49:37 1994", 784111717, 60 },
		{ "Sun, 06 Nov 1994 08:49:37 GMT", 784111999, 0 },
	};
	static const struct {
		double base, max, u;
		int attempt;
		double want;
	} bo[] = {
		{ 2, 120, 0, 1, 1 }, { 2, 120, 0.5, 1, 1.5 }, { 2, 120, 0, 2, 2 }, { 2, 120, 0, 3,
		  4 },
		{ 2, 120, 0.999999, 3, 8 * 0.9999995 }, { 2, 5, 0, 10, 5 }, { 2, 120, 0, 0, 1 },
		{ 2, 1e9, 0, 1000, 2 * 0.5 * 536870912.0 }, { 0, 10, 0.5, 3, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(ra) / sizeof(ra[0]); i++)
		CHECK_DBL(fetch_retry_after(ra[i].v, ra[i].now), ra[i].want);
	CHECK_DBL(fetch_retry_after(NULL, 0), -1);
	for (i = 0; i < sizeof(bo) / sizeof(bo[0]); i++)
	{
		double w = fetch_backoff(bo[i].base, bo[i].max, bo[i].attempt, bo[i].u);

		CHECK(fabs(w - bo[i].want) < 1e-6);
	}
	CHECK_STR(fetch_class_name(FETCH_OK), "ok");
	CHECK_STR(fetch_class_name(FETCH_TOO_BIG), "too_big");
	CHECK_STR(fetch_class_name(FETCH_OUT_OF_SCOPE_REDIRECT), "out_of_scope_redirect");
	CHECK_STR(fetch_class_name((enum fetch_class)999), "unknown");
}

static void test_api_errors(void)
{
	struct fetch_opts o;
	struct err e = ERR_INIT;
	struct fetcher *f;

	fetch_opts_init(&o);
	CHECK(fetcher_new(&o, &e) == NULL);	/* no callback */
	CHECK_INT(e.code, OGI_EINVAL);
	o.done = on_done;
	o.max_per_host = 0;
	CHECK(fetcher_new(&o, &e) == NULL);
	o.max_per_host = 1;
	o.host_delay = -1;
	CHECK(fetcher_new(&o, &e) == NULL);
	o.host_delay = 1;
	f = fetcher_new(&o, &e);
	if (!CHECK(f != NULL))
		return;
	CHECK_INT(fetcher_add(f, "ftp://a.test/x", NULL, NULL, NULL), OGI_EINVAL);
	CHECK_INT(fetcher_add(f, "javascript:alert(1)", NULL, NULL, NULL), OGI_EINVAL);
	CHECK_INT(fetcher_add(f, "/relative", NULL, NULL, NULL), OGI_EINVAL);
	CHECK_INT(fetcher_add(f, "", NULL, NULL, NULL), OGI_EINVAL);
	CHECK_INT(fetcher_pending(f), 0);
	/* nothing queued: returns at once */
	CHECK_INT(fetcher_run(f, &e), 0);
	fetcher_free(f);
}

static void test_basic(void)
{
	static const char *const urls[] = {
		"http://a.test/docs/p1.html", "http://a.test/missing.html",
			"http://a.test/_status/500",
		"http://a.test/_status/404", "http://A.TEST:80/docs/p4.html#frag",
	};
	struct fetch_opts o;
	struct logent *v;
	size_t skip = log_lines(), n;

	base_opts(&o);
	o.max_tries = 2;
	run_urls(&o, urls, 5);
	CHECK_INT(got[0].cls, FETCH_OK);
	CHECK_INT(got[0].status, 200);
	CHECK(got[0].body && strstr(got[0].body, "a.test page 1") != NULL);
	CHECK(got[0].ctype && !strncmp(got[0].ctype, "text/html", 9));
	CHECK(got[0].etag != NULL);
	CHECK(got[0].lm != NULL);
	CHECK_STR(got[0].final_url, "http://a.test/docs/p1.html");
	CHECK_STR(got[0].error, "");
	CHECK_INT(got[1].cls, FETCH_HTTP_4XX);
	CHECK_INT(got[1].status, 404);
	CHECK_INT(got[1].requests, 1);
	CHECK_INT(got[2].cls, FETCH_HTTP_5XX);
	CHECK_INT(got[2].status, 500);
	CHECK_INT(got[2].requests, 2);
	CHECK(got[2].error && strstr(got[2].error, "500") != NULL);
	CHECK_INT(got[3].cls, FETCH_HTTP_4XX);
	CHECK_INT(got[4].cls, FETCH_OK);
	CHECK_STR(got[4].final_url, "http://a.test/docs/p4.html");

	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/robots.txt"), 1);
	CHECK_INT(count_req(v, n, "a.test", "/_status/500"), 2);
	CHECK_INT(count_req(v, n, "a.test", "/_status/404"), 1);
	CHECK_INT(count_req(v, n, "a.test", NULL), 1 + 1 + 1 + 2 + 1 + 1);
	if (n)
		CHECK_STR(v[0].ua, FETCH_DEFAULT_USER_AGENT);
	/* robots.txt first */
	if (n)
		CHECK_STR(v[0].path, "/robots.txt");
	free(v);
}

static void test_retry_after(void)
{
	static const char *const urls[] = { "http://a.test/busy", "http://a.test/throttle" };
	struct fetch_opts o;
	struct logent *v;
	size_t skip = log_lines(), n, i;
	double prev = -1;
	int busy = 0;

	base_opts(&o);
	o.max_retry_after = 10;	/* /throttle asks for an hour: its origin is paused at once */
	run_urls(&o, urls, 2);
	CHECK_INT(got[0].cls, FETCH_OK);
	CHECK_INT(got[0].status, 200);
	CHECK_STR(got[0].body, "ready now\n");
	CHECK_INT(got[0].requests, 3);
	CHECK_INT(got[1].cls, FETCH_HOST_PAUSED);
	CHECK_INT(got[1].status, 429);
	CHECK_INT(got[1].requests, 1);

	n = read_log(skip, &v);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].path, "/busy"))
			continue;
		CHECK_INT(v[i].status, busy < 2 ? 503 : 200);
		/* Retry-After: 1 is the minimum wait, whatever the backoff says */
		if (prev >= 0)
			CHECK(v[i].t - prev >= 1.0 - EPS);
		prev = v[i].t;
		busy++;
	}
	CHECK_INT(busy, 3);
	CHECK_INT(count_req(v, n, "a.test", "/throttle"), 1);
	free(v);
}

static void test_failures(void)
{
	static const char *const urls[] = {
		"http://a.test/_slow/4", "http://a.test/_big/1", "http://a.test/_big/1?length=1",
		"http://a.test/_drop",
	};
	struct fetch_opts o;
	struct logent *v;
	size_t skip = log_lines(), n;

	base_opts(&o);
	o.timeout_ms = 600;
	o.max_tries = 2;
	o.max_body = 256 * 1024;
	o.max_per_host = 4;
	run_urls(&o, urls, 4);
	CHECK_INT(got[0].cls, FETCH_TIMEOUT);
	CHECK_INT(got[0].requests, 2);
	CHECK_INT(got[1].cls, FETCH_TOO_BIG);
	CHECK_INT(got[1].requests, 1);	/* not tried again */
	CHECK(got[1].body_len <= 256 * 1024);
	CHECK_INT(got[2].cls, FETCH_TOO_BIG);
	/* a connection dropped mid-body is an error, not a short success */
	CHECK_INT(got[3].cls, FETCH_TRANSFER);
	CHECK_INT(got[3].requests, 2);
	CHECK(got[3].error && got[3].error[0]);
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/_drop"), 2);
	CHECK_INT(count_req(v, n, "a.test", "/_slow/4"), 2);
	free(v);
}

static void test_conditional_and_gzip(void)
{
	static const char *const first[] = { "http://a.test/docs/p2.html",
		"http://a.test/docs/long.txt" };
	struct fetch_opts o;
	struct err e = ERR_INIT;
	struct fetcher *f;
	struct logent *v;
	char *etag = NULL, *lm = NULL, *want;
	size_t skip, n, want_len = 0, i;
	int gz = 0;

	base_opts(&o);
	skip = log_lines();
	run_urls(&o, first, 2);
	CHECK_INT(got[0].cls, FETCH_OK);
	if (!CHECK(got[0].etag && got[0].lm))
		return;
	etag = strdup(got[0].etag);
	lm = strdup(got[0].lm);
	/* gzip on the wire, the decoded bytes delivered */
	want = t_slurp("fetch/", "a.test/docs/long.txt", &want_len);
	CHECK_INT(got[1].cls, FETCH_OK);
	CHECK_INT(got[1].body_len, want_len);
	CHECK(want && got[1].body && !memcmp(got[1].body, want, want_len));
	free(want);
	n = read_log(skip, &v);
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].path, "/docs/long.txt"))
			gz = v[i].gzip;
	CHECK_INT(gz, 1);
	free(v);

	skip = log_lines();
	got_reset();
	f = fetcher_new(&o, &e);
	if (!CHECK(f != NULL))
		goto out;
	fetcher_add(f, "http://a.test/docs/p2.html", etag, NULL, (void *)0);
	fetcher_add(f, "http://a.test/docs/p2.html", NULL, lm, (void *)1);
	fetcher_add(f, "http://a.test/docs/p2.html", "\"stale\"", NULL, (void *)2);
	/* a header value with a line break is not sent */
	fetcher_add(f, "http://a.test/docs/p2.html", "\"x\"\r\nX-Evil: 1", NULL, (void *)3);
	CHECK_INT(fetcher_run(f, &e), 0);
	fetcher_free(f);
	CHECK_INT(got[0].cls, FETCH_NOT_MODIFIED);
	CHECK_INT(got[0].status, 304);
	CHECK_STR(got[0].etag, etag);
	CHECK_INT(got[0].body_len, 0);
	CHECK_INT(got[1].cls, FETCH_NOT_MODIFIED);
	CHECK_INT(got[2].cls, FETCH_OK);
	CHECK_INT(got[3].cls, FETCH_OK);
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/docs/p2.html"), 4);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].path, "/docs/p2.html"))
			continue;
		CHECK_INT(v[i].has_inm + v[i].has_ims, v[i].status == 304 || v[i].has_inm ? 1 : 0);
	}
	free(v);
out:
	free(etag);
	free(lm);
}

static void test_redirects(void)
{
	static const char *const urls[] = {
		"http://a.test/redir-in", "http://a.test/redir-rel", "http://a.test/redir-out",
		"http://a.test/redir-ftp", "http://a.test/redir-loop1",
		"http://a.test/_redirect/302?to=http://b.test/p2.txt",
	};
	struct fetch_opts o;
	struct logent *v;
	size_t skip = log_lines(), n, loops;

	base_opts(&o);
	o.max_redirects = 3;
	run_urls(&o, urls, 6);
	CHECK_INT(got[0].cls, FETCH_OK);
	CHECK_STR(got[0].final_url, "http://a.test/docs/p2.html");
	CHECK_INT(got[0].redirects, 1);
	CHECK(got[0].body && strstr(got[0].body, "page 2") != NULL);
	CHECK_INT(got[1].cls, FETCH_OK);
	CHECK_STR(got[1].final_url, "http://a.test/docs/p3.html");
	CHECK_INT(got[2].cls, FETCH_OUT_OF_SCOPE_REDIRECT);
	CHECK_STR(got[2].redirect_url, "http://evil.test/x.html");
	CHECK_INT(got[2].status, 302);
	CHECK_INT(got[3].cls, FETCH_BAD_REDIRECT);
	CHECK_INT(got[4].cls, FETCH_TOO_MANY_REDIRECTS);
	CHECK_INT(got[4].requests, 4);
	CHECK_INT(got[4].redirects, 3);
	/* to another in-scope host: its robots.txt first, then the page */
	CHECK_INT(got[5].cls, FETCH_OK);
	CHECK_STR(got[5].final_url, "http://b.test/p2.txt");
	CHECK_STR(got[5].body, "b.test page 2\n");
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "evil.test", NULL), 0);
	CHECK_INT(count_req(v, n, "b.test", "/robots.txt"), 1);
	loops = count_req(v, n, "a.test", "/redir-loop1");
	loops += count_req(v, n, "a.test", "/redir-loop2");
	CHECK_INT(loops, 4);
	free(v);

	/* without a scope callback: only the request's own host */
	o.in_scope = NULL;
	run_urls(&o, urls + 5, 1);
	CHECK_INT(got[0].cls, FETCH_OUT_OF_SCOPE_REDIRECT);
	CHECK_STR(got[0].redirect_url, "http://b.test/p2.txt");
}

/*
 * POSTs of list API requests: the form body and its Content-Type sent,
 * never a validator; a 303 goes on as a GET, a 307 as the same POST; a
 * body past FETCH_MAX_POST is refused.
 */
static void test_post(void)
{
	struct fetch_opts o;
	struct fetcher *f;
	struct err e = ERR_INIT;
	struct logent *v;
	size_t skip = log_lines(), n;
	char big[FETCH_MAX_POST + 2];

	base_opts(&o);
	got_reset();
	f = fetcher_new(&o, &e);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(fetcher_add_post(f, "http://a.test/docs/p2.html", "col=1&webname=%E9%9D%92",
				   (void *)0), 0);
	CHECK_INT(fetcher_add_post(f, "http://a.test/_redirect/303?to=/docs/p3.html", "a=1",
				   (void *)1), 0);
	CHECK_INT(fetcher_add_post(f, "http://a.test/_redirect/307?to=/docs/p2.html%3Fk", "b=2",
				   (void *)2), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(fetcher_add_post(f, "http://a.test/docs/p2.html", big, (void *)3), OGI_EINVAL);
	CHECK_INT(fetcher_run(f, &e), 0);
	fetcher_free(f);
	CHECK_INT(got[0].cls, FETCH_OK);
	CHECK(got[0].body && strstr(got[0].body, "page 2") != NULL);
	CHECK_INT(got[1].cls, FETCH_OK);
	CHECK_STR(got[1].final_url, "http://a.test/docs/p3.html");
	CHECK_INT(got[2].cls, FETCH_OK);
	n = read_log(skip, &v);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i].path, "/docs/p2.html")) {
			CHECK_STR(v[i].method, "POST");
			CHECK_STR(v[i].body, "col=1&webname=%E9%9D%92");
			CHECK(strstr(v[i].ctype, "application/x-www-form-urlencoded") != NULL);
			CHECK(!v[i].has_inm && !v[i].has_ims);
		} else if (!strcmp(v[i].path, "/docs/p3.html")) {
			CHECK_STR(v[i].method, "GET");	/* after the 303 */
		} else if (!strcmp(v[i].path, "/docs/p2.html?k")) {
			CHECK_STR(v[i].method, "POST");	/* after the 307 */
			CHECK_STR(v[i].body, "b=2");
		}
	}
	CHECK_INT(count_req(v, n, "a.test", "/docs/p2.html"), 1);
	CHECK_INT(count_req(v, n, "a.test", "/docs/p3.html"), 1);
	CHECK_INT(count_req(v, n, "a.test", "/docs/p2.html?k"), 1);
	free(v);
}

static void test_robots(void)
{
	static const char *const urls[] = {
		"http://a.test/private/x.html", "http://c.test/p1.txt", "http://b.test/p1.txt",
		"http://a.test/docs/p3.html", "http://c.test/p2.txt",
	};
	struct fetch_opts o;
	struct fetch_stats st;
	struct logent *v;
	struct err e = ERR_INIT;
	struct fetcher *f;
	size_t skip = log_lines(), n, i;

	base_opts(&o);
	o.max_tries = 2;
	got_reset();
	f = fetcher_new(&o, &e);
	if (!CHECK(f != NULL))
		return;
	for (i = 0; i < 5; i++)
		fetcher_add(f, urls[i], NULL, NULL, (void *)(uintptr_t)i);
	CHECK_INT(fetcher_run(f, &e), 0);
	fetcher_stats(f, &st);
	fetcher_free(f);
	CHECK_INT(got[0].cls, FETCH_ROBOTS_DISALLOWED);
	CHECK_INT(got[0].requests, 0);
	CHECK_INT(got[1].cls, FETCH_ROBOTS_UNAVAILABLE);
	CHECK_STR(got[1].error, "robots.txt unavailable: http status 503");
	CHECK_INT(got[2].cls, FETCH_OK);	/* b.test has no robots.txt: 404 allows all */
	CHECK_INT(got[3].cls, FETCH_OK);
	CHECK_INT(got[4].cls, FETCH_ROBOTS_UNAVAILABLE);
	CHECK_INT(st.hosts_paused, 1);
	CHECK_INT(st.robots_fetched, 1 + 2 + 1);	/* c.test's 503 was tried twice */
	CHECK_INT(st.delivered, 5);
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/private/x.html"), 0);
	CHECK_INT(count_req(v, n, "c.test", "/robots.txt"), 2);
	CHECK_INT(count_req(v, n, "c.test", NULL), 2);
	CHECK_INT(count_req(v, n, "b.test", "/robots.txt"), 1);
	free(v);

	/* ignore_robots: no robots.txt request, the private page is fetched */
	skip = log_lines();
	o.ignore_robots = 1;
	run_urls(&o, urls, 2);
	CHECK_INT(got[0].cls, FETCH_OK);
	CHECK_INT(got[1].cls, FETCH_OK);
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/robots.txt"), 0);
	free(v);
}

/*
 * Whether the arrival times t[0..n) of one host's requests show them spaced
 * by delay, judged so that the machine's load cannot decide it (as
 * tests/e2e/serverlog.py "spaced" does): the fetcher spaces the starts of
 * its requests on its own clock, but a request can reach the server late
 * (a busy CPU), which shortens the gap before the next one.  So the n
 * requests span at least (n - 2) delays (a late first one shifts the span
 * by less than one), and no gap is under delay / 4 (requests not spaced
 * at all arrive a millisecond apart).
 */
static int spaced(const char *host, const double *t, int n, double delay)
{
	double min_gap = 1e9;

	for (int i = 1; i < n; i++)
		if (t[i] - t[i - 1] < min_gap)
			min_gap = t[i] - t[i - 1];
	if (n < 2 || (t[n - 1] - t[0] >= (n - 2) * delay - EPS && min_gap >= delay / 4))
		return 1;
	fprintf(stderr, "  %s: %d requests over %.3f s, smallest gap %.3f s\n", host, n,
		t[n - 1] - t[0], min_gap);
	return 0;
}

static void test_politeness(void)
{
	static const char *const urls[] = {
		"http://a.test/docs/p1.html", "http://a.test/docs/p2.html",
			"http://a.test/docs/p3.html",
		"http://a.test/docs/p4.html", "http://b.test/p1.txt", "http://b.test/p2.txt",
		"http://b.test/p3.txt", "http://b.test/p4.txt",
	};
	struct fetch_opts o;
	struct logent *v;
	size_t skip = log_lines(), n, i;
	double ta[8], tb[8], first_b_page = -1, last_a_page = -1;
	int na = 0, nb = 0;

	base_opts(&o);
	o.host_delay = 0.1;	/* b.test: no Crawl-delay */
	o.max_crawl_delay = 5;	/* a.test's Crawl-delay: 0.3 applies */
	run_urls(&o, urls, 8);
	for (i = 0; i < 8; i++)
		CHECK_INT(got[i].cls, FETCH_OK);
	n = read_log(skip, &v);
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].host, "a.test") && na < 8) {
			ta[na++] = v[i].t;
			if (strcmp(v[i].path, "/robots.txt"))
				last_a_page = v[i].t;
		} else if (!strcmp(v[i].host, "b.test") && nb < 8) {
			tb[nb++] = v[i].t;
			if (strcmp(v[i].path, "/robots.txt") && first_b_page < 0)
				first_b_page = v[i].t;
		}
	}
	CHECK_INT(na, 5);
	CHECK_INT(nb, 5);
	CHECK(spaced("a.test", ta, na, 0.3));
	CHECK(spaced("b.test", tb, nb, 0.1));
	/* the two hosts were crawled side by side, not one after the other */
	CHECK(first_b_page >= 0 && first_b_page < last_a_page);
	free(v);
}

/* ---- callbacks that add work, scale, stop ---- */

static size_t many_seen[4096];
static size_t many_delivered;

static void on_many(struct fetcher *f, const struct fetch_result *r, void *arg)
{
	size_t id = (size_t)(uintptr_t)r->userdata;
	char url[128];

	(void)arg;
	many_delivered++;
	if (id < 4096)
		many_seen[id]++;
	/* every first-generation page "discovers" one more on the same host */
	if (id < 2048) {
		snprintf(url, sizeof(url), "%s?child=1", r->url);
		CHECK_INT(fetcher_add(f, url, NULL, NULL, (void *)(uintptr_t)(id + 2048)), 0);
	}
	CHECK(r->cls == FETCH_HTTP_4XX || r->cls == FETCH_OK);
}

static void test_many(void)
{
	static char names[16][64];
	static const char *list[17];
	struct fetch_opts o;
	struct fetch_stats st;
	struct err e = ERR_INIT;
	struct fetcher *f;
	size_t i, per = 12, hosts = 16, ok = 1;

	for (i = 0; i < hosts; i++) {
		snprintf(names[i], sizeof(names[i]), "h%zu.test:80:127.0.0.1:%d", i, server_port);
		list[i] = names[i];
	}
	list[hosts] = NULL;
	base_opts(&o);
	o.connect_to = list;
	o.host_delay = 0;
	o.max_per_host = 2;
	o.max_total = 12;
	o.ignore_robots = 1;
	o.done = on_many;
	memset(many_seen, 0, sizeof(many_seen));
	many_delivered = 0;
	f = fetcher_new(&o, &e);
	if (!CHECK(f != NULL))
		return;
	for (i = 0; i < hosts * per; i++) {
		char url[128];

		snprintf(url, sizeof(url), "http://h%zu.test/n%zu.html", i % hosts, i);
		fetcher_add(f, url, NULL, NULL, (void *)(uintptr_t)i);
	}
	CHECK_INT(fetcher_pending(f), hosts * per);
	CHECK_INT(fetcher_run(f, &e), 0);
	fetcher_stats(f, &st);
	fetcher_free(f);
	CHECK_INT(many_delivered, 2 * hosts * per);
	CHECK_INT(st.requests, 2 * hosts * per);
	CHECK_INT(st.hosts, hosts);
	for (i = 0; i < hosts * per; i++)
		if (many_seen[i] != 1 || many_seen[i + 2048] != 1)
			ok = 0;
	CHECK(ok);
}

static struct fetcher *stop_f;
static int stop_after;

static void on_stop(struct fetcher *f, const struct fetch_result *r, void *arg)
{
	(void)arg;
	on_done(f, r, NULL);
	if (--stop_after == 0)
		fetcher_stop(f);
}

static void test_stop(void)
{
	struct fetch_opts o;
	struct err e = ERR_INIT;
	size_t i;

	base_opts(&o);
	o.done = on_stop;
	o.max_per_host = 2;
	got_reset();
	stop_f = fetcher_new(&o, &e);
	if (!CHECK(stop_f != NULL))
		return;
	for (i = 0; i < 6; i++) {
		char url[64];

		snprintf(url, sizeof(url), "http://b.test/p%zu.txt", i % 4 + 1);
		fetcher_add(stop_f, url, NULL, NULL, (void *)(uintptr_t)i);
	}
	stop_after = 2;
	CHECK_INT(fetcher_run(stop_f, &e), 0);
	CHECK_INT(fetcher_pending(stop_f), 4);
	stop_after = -1;
	CHECK_INT(fetcher_run(stop_f, &e), 0);
	CHECK_INT(fetcher_pending(stop_f), 0);
	for (i = 0; i < 6; i++) {
		CHECK_INT(got[i].seen, 1);
		CHECK_INT(got[i].cls, FETCH_OK);
	}
	fetcher_free(stop_f);
	stop_f = NULL;
}

/* ---- host health ---- */

struct pauses {
	size_t n;
	char origin[4][64];
	char reason[4][32];
	time_t until[4];
};

static void on_pause(const struct fetch_pause *p, void *arg)
{
	struct pauses *ps = arg;

	if (ps->n < 4) {
		snprintf(ps->origin[ps->n], sizeof(ps->origin[0]), "%s", p->origin);
		snprintf(ps->reason[ps->n], sizeof(ps->reason[0]), "%s", p->reason);
		ps->until[ps->n] = p->until;
	}
	ps->n++;
}

static size_t nrequests;
static size_t nrobots;

static void on_request(const struct fetch_request_log *l, void *arg)
{
	(void)arg;
	nrequests++;
	nrobots += l->robots;
}

/* Runs urls through a fetcher with o, the pause callback, and first the pauses preset. */
static void run_health(struct fetch_opts *o, const char *const *urls, size_t n,
		       struct pauses *ps, const char *preset, time_t preset_until)
{
	struct err e = ERR_INIT;
	struct fetcher *f;

	memset(ps, 0, sizeof(*ps));
	o->on_pause = on_pause;
	o->done_arg = ps;
	got_reset();
	f = fetcher_new(o, &e);
	if (!CHECK(f != NULL))
		return;
	if (preset)
		CHECK_INT(fetcher_pause(f, preset, preset_until, "asked before"), 0);
	for (size_t i = 0; i < n; i++)
		CHECK_INT(fetcher_add(f, urls[i], NULL, NULL, (void *)(uintptr_t)i), 0);
	CHECK_INT(fetcher_run(f, &e), 0);
	fetcher_free(f);
}

/*
 * An origin is paused as a whole by a long Retry-After and by timeouts in
 * a row, closed for the run by failures in a row, and paused again by
 * fetcher_pause(); the others go on.  A 304 nobody asked for is no
 * "not modified", and a name that does not resolve says so.
 */
static void test_host_health(void)
{
	static const char *const busy[] = {
		"http://a.test/throttle", "http://a.test/index.html", "http://b.test/p1.txt",
	};
	static const char *const down[] = {
		"http://a.test/always503?1", "http://a.test/always503?2", "http://a.test/index.html",
		"http://b.test/p2.txt",
	};
	static const char *const slow[] = {
		"http://a.test/hang?1", "http://a.test/hang?2", "http://a.test/hang?3",
		"http://a.test/index.html",
	};
	static const char *const odd[] = {
		"http://a.test/unasked304",
		"http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test/x.html",
	};
	static const char *const preset[] = { "http://a.test/index.html", "http://b.test/p3.txt" };
	struct fetch_opts o;
	struct pauses ps;
	struct logent *v;
	size_t skip = log_lines(), n;
	time_t now = time(NULL);

	base_opts(&o);
	o.max_retry_after = 10;
	o.max_pause = 600;	/* the hour asked for, capped */
	nrequests = nrobots = 0;
	o.on_request = on_request;
	run_health(&o, busy, 3, &ps, NULL, 0);
	CHECK_INT(got[0].cls, FETCH_HOST_PAUSED);
	CHECK_INT(got[1].cls, FETCH_HOST_PAUSED);
	CHECK_INT(got[1].requests, 0);
	CHECK(got[1].error && strstr(got[1].error, "Retry-After: 3600") != NULL);
	CHECK_INT(got[2].cls, FETCH_OK);
	CHECK_INT(ps.n, 1);
	CHECK_STR(ps.origin[0], "http://a.test");
	CHECK_STR(ps.reason[0], "retry_after");
	CHECK(ps.until[0] >= now + 600 && ps.until[0] <= time(NULL) + 601);
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/index.html"), 0);
	/* every request made was logged: robots.txt of both hosts, /throttle, /p1.txt */
	CHECK_INT(nrequests, n);
	CHECK_INT(nrobots, 2);
	free(v);
	o.on_request = NULL;

	base_opts(&o);
	o.max_tries = 1;
	o.host_failures = 2;
	skip = log_lines();
	run_health(&o, down, 4, &ps, NULL, 0);
	CHECK_INT(got[0].cls, FETCH_HTTP_5XX);
	CHECK_INT(got[1].cls, FETCH_HTTP_5XX);
	CHECK_INT(got[2].cls, FETCH_HOST_FAILING);
	CHECK_INT(got[2].requests, 0);
	CHECK_INT(got[3].cls, FETCH_OK);
	CHECK_INT(ps.n, 1);
	CHECK_STR(ps.reason[0], "failing");
	CHECK_INT(ps.until[0], 0);
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/index.html"), 0);
	free(v);

	base_opts(&o);
	o.max_tries = 1;
	o.timeout_ms = 300;
	o.timeout_pause = 60;
	skip = log_lines();
	run_health(&o, slow, 4, &ps, NULL, 0);
	CHECK_INT(got[2].cls, FETCH_TIMEOUT);
	CHECK_INT(got[3].cls, FETCH_HOST_PAUSED);
	CHECK_INT(got[3].requests, 0);
	CHECK_INT(ps.n, 1);
	CHECK_STR(ps.reason[0], "timeouts");
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", "/index.html"), 0);
	free(v);

	base_opts(&o);
	o.max_tries = 1;
	run_health(&o, odd, 2, &ps, NULL, 0);
	CHECK_INT(got[0].cls, FETCH_HTTP_3XX);
	CHECK(got[0].error && strstr(got[0].error, "not conditional") != NULL);
	CHECK_INT(got[1].cls, FETCH_DNS);
	CHECK(got[1].error && !strncmp(got[1].error, "cannot fetch robots.txt: ", 25));

	/* a pause kept from before: nothing asked of that origin until it ends */
	base_opts(&o);
	skip = log_lines();
	run_health(&o, preset, 2, &ps, "http://a.test", time(NULL) + 100);
	CHECK_INT(got[0].cls, FETCH_HOST_PAUSED);
	CHECK(got[0].error && strstr(got[0].error, "asked before") != NULL);
	CHECK_INT(got[1].cls, FETCH_OK);
	CHECK_INT(ps.n, 0);
	n = read_log(skip, &v);
	CHECK_INT(count_req(v, n, "a.test", NULL), 0);
	free(v);
	run_health(&o, preset, 2, &ps, "http://a.test", time(NULL) - 1);
	CHECK_INT(got[0].cls, FETCH_OK);
	{
		struct err e = ERR_INIT;
		struct fetcher *f = fetcher_new(&o, &e);

		if (CHECK(f != NULL)) {
			CHECK_INT(fetcher_pause(f, "ftp://a.test", time(NULL) + 9, NULL), OGI_EINVAL);
			CHECK_INT(fetcher_pause(f, "http://a.test/x", time(NULL) + 9, NULL),
				  OGI_EINVAL);
			fetcher_free(f);
		}
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	atexit(server_stop);
	RUN(test_helpers);
	RUN(test_api_errors);
	if (server_start()) {
		t_check(0, __FILE__, __LINE__, "fixture server did not start");
		return t_done(__FILE__);
	}
	RUN(test_basic);
	RUN(test_retry_after);
	RUN(test_failures);
	RUN(test_conditional_and_gzip);
	RUN(test_redirects);
	RUN(test_post);
	RUN(test_robots);
	RUN(test_robots_origins);
	RUN(test_politeness);
	RUN(test_many);
	RUN(test_stop);
	RUN(test_host_health);
	got_reset();
	server_stop();
	return t_done(__FILE__);
}
