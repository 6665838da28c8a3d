#include "crawler/url.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char hexdig[] = "0123456789ABCDEF";

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c < 0x20;
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned char to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static unsigned char to_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

/*
 * Cleans an href the way browsers do before parsing: trims C0 controls and
 * spaces at both ends, drops tabs and newlines inside, turns '\' into '/'
 * before the query (special schemes), and percent-encodes bytes curl would
 * refuse or encode in lower case (non-ASCII, space, quotes, angle brackets).
 * Returns 0, or -1 when the result is longer than URL_MAX_LEN.
 */
static int clean_ref(const char *ref, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)ref;
	const unsigned char *e = s + strlen(ref);
	int in_query = 0;

	while (s < e && is_ws(*s))
		s++;
	while (e > s && is_ws(e[-1]))
		e--;
	for (; s < e; s++) {
		unsigned char c = *s;
		int r;

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '?' || c == '#')
			in_query = 1;
		if (c == '\\' && !in_query) {
			r = buf_addc(out, '/');
		} else if (c >= 0x80 || c <= 0x20 || c == 0x7f || strchr("\"<>`{}|^", c)) {
			char esc[3] = { '%', hexdig[c >> 4], hexdig[c & 15] };

			r = buf_add(out, esc, 3);
		} else {
			r = buf_addc(out, (char)c);
		}
		if (r)
			return -1;
	}
	return 0;
}

/* The scheme of an absolute reference, lowercased into out[16]; 0 when ref has none. */
static int ref_scheme(const char *ref, char out[16])
{
	size_t i = 0;

	if (!((ref[0] >= 'a' && ref[0] <= 'z') || (ref[0] >= 'A' && ref[0] <= 'Z')))
		return 0;
	while (ref[i] && ref[i] != ':') {
		unsigned char c = (unsigned char)ref[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return 0;
		if (i >= 15)
			return 0;
		out[i] = (char)to_lower(c);
		i++;
	}
	if (ref[i] != ':')
		return 0;
	out[i] = '\0';
	return 1;
}

static int http_scheme(const char *s)
{
	return !strcmp(s, "http") || !strcmp(s, "https");
}

/* Upper-cases the hex digits of every %XX escape in place. */
static void upper_escapes(char *s)
{
	for (; *s; s++) {
		if (s[0] == '%' && is_hex((unsigned char)s[1]) && is_hex((unsigned char)s[2])) {
			s[1] = (char)to_upper((unsigned char)s[1]);
			s[2] = (char)to_upper((unsigned char)s[2]);
			s += 2;
		}
	}
}

/*
 * Brings a parsed URL to the canonical form: http(s) only, a host,
 * lowercase host, no fragment, no default port.  Returns the URL string
 * (xmalloc'd) or NULL.
 */
static char *finish(CURLU *u)
{
	char *scheme = NULL, *host = NULL, *out = NULL, *res = NULL;
	size_t i;

	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) || !http_scheme(scheme))
		goto out;
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) || !host[0])
		goto out;
	for (i = 0; host[i]; i++)
		host[i] = (char)to_lower((unsigned char)host[i]);
	if (curl_url_set(u, CURLUPART_HOST, host, 0))
		goto out;
	if (curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0))
		goto out;
	if (curl_url_get(u, CURLUPART_URL, &out, CURLU_NO_DEFAULT_PORT))
		goto out;
	if (strlen(out) > URL_MAX_LEN)
		goto out;
	res = xstrdup(out);
	upper_escapes(res);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(out);
	return res;
}

/* Parses an absolute URL (cleaned first); NULL unless http(s). */
static CURLU *parse_abs(const char *url)
{
	struct buf b = BUF_INIT(URL_MAX_LEN);
	char scheme[16];
	CURLU *u = NULL;

	if (!url || clean_ref(url, &b) || !ref_scheme(buf_str(&b), scheme) ||
	    !http_scheme(scheme))
		goto out;
	u = curl_url();
	if (!u)
		goto out;
	if (curl_url_set(u, CURLUPART_URL, buf_str(&b), 0)) {
		curl_url_cleanup(u);
		u = NULL;
	}
out:
	buf_release(&b);
	return u;
}

/*
 * curl brings some hosts to their canonical form only when it parses a
 * whole URL: "//%3041" resolves to host "041", which the next parse reads
 * as the octal IPv4 address 0.0.0.33.  So a result is parsed again until it
 * is a fixed point (one more round is enough in every case seen; three give
 * up), and two spellings of one page stay one string.  Takes res; returns
 * it, its canonical form, or NULL.
 */
static char *fixed_point(char *res)
{
	for (int round = 0; res && round < 3; round++) {
		CURLU *v = curl_url();
		char *again = NULL;

		if (v && !curl_url_set(v, CURLUPART_URL, res, 0))
			again = finish(v);
		curl_url_cleanup(v);
		if (again && !strcmp(again, res)) {
			free(again);
			return res;
		}
		free(res);
		res = again;
	}
	free(res);
	return NULL;
}

char *url_resolve(const char *base, const char *ref)
{
	struct buf b = BUF_INIT(URL_MAX_LEN);
	char scheme[16];
	CURLU *u = NULL;
	char *res = NULL;

	if (!ref || clean_ref(ref, &b))
		goto out;
	if (ref_scheme(buf_str(&b), scheme) && !http_scheme(scheme))
		goto out;
	/* "" and "#frag" name the base document itself; curl would drop its last segment */
	if (base && (!b.len || buf_str(&b)[0] == '#')) {
		buf_reset(&b);
		if (buf_adds(&b, base))
			goto out;
		base = NULL;
	}
	if (base) {
		u = parse_abs(base);
		if (!u)
			goto out;
	} else {
		u = curl_url();
		if (!u)
			goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, buf_str(&b), 0))
		goto out;
	res = fixed_point(finish(u));
out:
	curl_url_cleanup(u);
	buf_release(&b);
	return res;
}

char *url_normalize(const char *url)
{
	return url_resolve(NULL, url);
}

char *url_host(const char *url)
{
	CURLU *u = parse_abs(url);
	char *host = NULL, *port = NULL, *res = NULL;
	struct buf b = BUF_INIT(URL_MAX_LEN);
	size_t i;

	if (!u)
		goto out;
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) || !host[0])
		goto out;
	for (i = 0; host[i]; i++)
		host[i] = (char)to_lower((unsigned char)host[i]);
	buf_adds(&b, host);
	if (!curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) && port)
		buf_addf(&b, ":%s", port);
	res = buf_take(&b);
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	buf_release(&b);
	return res;
}

char *url_path_query(const char *url)
{
	CURLU *u = parse_abs(url);
	char *path = NULL, *query = NULL, *res = NULL;
	struct buf b = BUF_INIT(URL_MAX_LEN + 2);

	if (!u)
		goto out;
	if (curl_url_get(u, CURLUPART_PATH, &path, 0))
		goto out;
	if (path[0] != '/')
		buf_addc(&b, '/');
	buf_adds(&b, path);
	if (!curl_url_get(u, CURLUPART_QUERY, &query, 0) && query)
		buf_addf(&b, "?%s", query);
	res = buf_take(&b);
	upper_escapes(res);
out:
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	buf_release(&b);
	return res;
}

int url_in_scope(const char *url, const char *seed_url, const char *path_prefix)
{
	char *h1 = url_host(url), *h2 = url_host(seed_url), *pq = NULL;
	int ok = 0;

	if (!h1 || !h2 || strcmp(h1, h2))
		goto out;
	if (path_prefix && path_prefix[0]) {
		pq = url_path_query(url);
		if (!pq || strncmp(pq, path_prefix, strlen(path_prefix)))
			goto out;
	}
	ok = 1;
out:
	free(h1);
	free(h2);
	free(pq);
	return ok;
}
