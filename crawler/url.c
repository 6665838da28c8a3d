#include "crawler/url.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char hexdig[] = "0123456789ABCDEF";

/*
 * Java (JSESSIONID, also as ";jsessionid=" path parameter), PHP, classic
 * ASP (ASPSESSIONIDxxxxxxxx), ASP.NET, ColdFusion (CFID, CFTOKEN), Zen
 * Cart, osCommerce and the generic names CMSs use.
 */
const char *const URL_SESSION_PARAMS[] = {
	"jsessionid", "phpsessid", "aspsessionid*", "asp.net_sessionid", "sid", "sessionid",
	"session_id", "sessid", "cfid", "cftoken", "zenid", "oscsid", NULL
};

/*
 * Names in the list that some CMS uses for something else than a session,
 * on its own paths: Guangdong's gkmlpt list API takes the site's id as
 * "sid" (/gkmlpt/api/all/<column>?page=N&sid=<site>).  Kept there.
 */
static const struct {
	const char *path_prefix;
	const char *name;
} site_params[] = {
	{ "/gkmlpt/", "sid" },
};

/* Whether name (n bytes) is a site's parameter on path, not a session id. */
static int is_site_param(const char *path, const char *name, size_t n)
{
	for (size_t i = 0; path && i < sizeof(site_params) / sizeof(site_params[0]); i++)
		if (!strncmp(path, site_params[i].path_prefix, strlen(site_params[i].path_prefix)) &&
		    strlen(site_params[i].name) == n && !strncasecmp(name, site_params[i].name, n))
			return 1;
	return 0;
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c < 0x20;
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hexval(unsigned char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* RFC 3986 2.3: escapes of these mean the same as the characters themselves. */
static int is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
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

/* name (n bytes) matches pattern: ASCII case-insensitive, a final '*' matching any rest. */
static int name_match(const char *pat, const char *name, size_t n)
{
	size_t i;

	for (i = 0; pat[i] && pat[i] != '*'; i++)
		if (i >= n || to_lower((unsigned char)pat[i]) != to_lower((unsigned char)name[i]))
			return 0;
	return pat[i] == '*' || i == n;
}

static int in_list(const char *const *list, const char *name, size_t n)
{
	for (; list && *list; list++)
		if (name_match(*list, name, n))
			return 1;
	return 0;
}

int url_is_session_param(const char *name, size_t n, const struct url_opts *o)
{
	if (o && in_list(o->keep, name, n))
		return 0;
	return in_list(URL_SESSION_PARAMS, name, n) || (o && in_list(o->drop, name, n));
}

/* Appends s[0..n) with unreserved escapes decoded and the others in upper case. */
static int add_decoded(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%' && i + 2 < n && is_hex((unsigned char)s[i + 1]) &&
		    is_hex((unsigned char)s[i + 2])) {
			unsigned char v = (unsigned char)(hexval((unsigned char)s[i + 1]) * 16 +
							  hexval((unsigned char)s[i + 2]));
			char esc[3] = { '%', hexdig[v >> 4], hexdig[v & 15] };

			if (is_unreserved(v) ? buf_addc(out, (char)v) : buf_add(out, esc, 3))
				return -1;
			i += 2;
		} else if (buf_addc(out, (char)c)) {
			return -1;
		}
	}
	return 0;
}

/* Length of a segment's part before its path parameters (";..."). */
static size_t seg_base(const char *seg, size_t n)
{
	const char *semi = memchr(seg, ';', n);

	return semi ? (size_t)(semi - seg) : n;
}

/* Appends a segment without the path parameters that are session ids. */
static int add_segment(struct buf *out, const char *seg, size_t n, const struct url_opts *o)
{
	size_t base = seg_base(seg, n), i = base;

	if (buf_add(out, seg, base))
		return -1;
	while (i < n) {
		const char *p = seg + i + 1, *end = seg + n, *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end, *eq = memchr(p, '=', (size_t)(stop - p));
		size_t name = (size_t)((eq ? eq : stop) - p);

		/* the parameter with its ';' */
		if (!url_is_session_param(p, name, o) &&
		    buf_add(out, seg + i, (size_t)(stop - (seg + i))))
			return -1;
		i = (size_t)(stop - seg);
	}
	return 0;
}

/*
 * The canonical path of an absolute path (decoded, see add_decoded): dot
 * segments removed as RFC 3986 5.2.4 does, a segment whose part before its
 * parameters is "." or ".." counting as one; with strip, session path
 * parameters dropped.  Segment boundaries are kept in ends[] (a stack).
 */
static int canon_path(const char *path, struct buf *out, const struct url_opts *o, int strip)
{
	const char *p = path, *end = path + strlen(path);
	size_t *ends = NULL, nends = 0, aends = 0;
	int ret = -1, trailing = 0;

	if (*p == '/')
		p++;
	while (p <= end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = (size_t)((slash ? slash : end) - p), b = seg_base(p, n);

		trailing = 0;
		if (b == 1 && p[0] == '.') {
			trailing = 1;
		} else if (b == 2 && p[0] == '.' && p[1] == '.') {
			/* back to the end of the segment before (the NUL is put back at out:) */
			if (nends)
				nends--;
			out->len = nends ? ends[nends - 1] : 0;
			trailing = 1;
		} else {
			if (buf_addc(out, '/') || (strip ? add_segment(out, p, n, o) : buf_add(out, p, n)))
				goto out;
			ALLOC_GROW(ends, nends + 1, aends);
			ends[nends++] = out->len;
		}
		if (!slash)
			break;
		p = slash + 1;
	}
	if ((trailing || !out->len) && buf_addc(out, '/'))
		goto out;
	ret = 0;
out:
	if (out->ptr)
		out->ptr[out->len] = '\0';
	free(ends);
	return ret;
}

/* The query without its session parameters ('&'-separated); may end up empty. */
static int canon_query(const char *q, struct buf *out, const struct url_opts *o,
		       const char *path)
{
	const char *p = q, *end = q + strlen(q);
	int first = 1;

	while (p <= end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));

		size_t nl = (size_t)((eq ? eq : stop) - p);

		if (!url_is_session_param(p, nl, o) || is_site_param(path, p, nl)) {
			if ((!first && buf_addc(out, '&')) || buf_add(out, p, (size_t)(stop - p)))
				return -1;
			first = 0;
		}
		if (!amp)
			break;
		p = amp + 1;
	}
	return 0;
}

/*
 * Normalises u's path and query in place: escapes (add_decoded), dot
 * segments and, with strip, session ids.  0, or -1 when a part is too long.
 */
static int canon_parts(CURLU *u, const struct url_opts *o, int strip)
{
	char *path = NULL, *query = NULL, *cpath = NULL;
	struct buf dec = BUF_INIT(URL_MAX_LEN + 1), res = BUF_INIT(URL_MAX_LEN + 1);
	int ret = -1;

	if (curl_url_get(u, CURLUPART_PATH, &path, 0))
		goto out;
	if (add_decoded(&dec, path, strlen(path)) || canon_path(buf_str(&dec), &res, o, strip) ||
	    curl_url_set(u, CURLUPART_PATH, buf_str(&res), 0))
		goto out;
	cpath = xstrdup(buf_str(&res));
	if (!curl_url_get(u, CURLUPART_QUERY, &query, 0) && query) {
		buf_reset(&dec);
		buf_reset(&res);
		if (add_decoded(&dec, query, strlen(query)))
			goto out;
		if (strip ? canon_query(buf_str(&dec), &res, o, cpath) : buf_add(&res, dec.ptr, dec.len))
			goto out;
		if (curl_url_set(u, CURLUPART_QUERY, res.len ? buf_str(&res) : NULL, 0))
			goto out;
	}
	ret = 0;
out:
	free(cpath);
	curl_free(path);
	curl_free(query);
	buf_release(&dec);
	buf_release(&res);
	return ret;
}

/* Userinfo ("user:secret@") is never followed, sent or stored: such a URL is refused. */
static int has_userinfo(CURLU *u)
{
	char *user = NULL, *pw = NULL, *opts = NULL;
	int has = !curl_url_get(u, CURLUPART_USER, &user, 0) ||
		  !curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) ||
		  !curl_url_get(u, CURLUPART_OPTIONS, &opts, 0);

	curl_free(user);
	curl_free(pw);
	curl_free(opts);
	return has;
}

/*
 * Brings a parsed URL to the canonical form: http(s) only, a host, no
 * userinfo, lowercase host, no fragment, no default port, path and query
 * normalised (canon_parts).  Returns the URL string (xmalloc'd) or NULL.
 */
static char *finish(CURLU *u, const struct url_opts *o)
{
	char *scheme = NULL, *host = NULL, *out = NULL, *res = NULL;
	size_t i;

	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) || !http_scheme(scheme))
		goto out;
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) || !host[0] || has_userinfo(u))
		goto out;
	for (i = 0; host[i]; i++)
		host[i] = (char)to_lower((unsigned char)host[i]);
	if (curl_url_set(u, CURLUPART_HOST, host, 0))
		goto out;
	if (curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0))
		goto out;
	if (canon_parts(u, o, 1))
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

/*
 * Parses an absolute URL (cleaned first), its path and query normalised
 * (session ids kept); NULL unless http(s) without userinfo.
 */
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
	if (curl_url_set(u, CURLUPART_URL, buf_str(&b), 0) || has_userinfo(u) ||
	    canon_parts(u, NULL, 0)) {
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
static char *fixed_point(char *res, const struct url_opts *o)
{
	for (int round = 0; res && round < 3; round++) {
		CURLU *v = curl_url();
		char *again = NULL;

		if (v && !curl_url_set(v, CURLUPART_URL, res, 0))
			again = finish(v, o);
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

char *url_resolve_opts(const char *base, const char *ref, const struct url_opts *o)
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
	res = fixed_point(finish(u, o), o);
out:
	curl_url_cleanup(u);
	buf_release(&b);
	return res;
}

char *url_resolve(const char *base, const char *ref)
{
	return url_resolve_opts(base, ref, NULL);
}

char *url_normalize_opts(const char *url, const struct url_opts *o)
{
	return url_resolve_opts(NULL, url, o);
}

char *url_normalize(const char *url)
{
	return url_resolve_opts(NULL, url, NULL);
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
	struct buf prefix = BUF_INIT(BUF_NOLIMIT);
	int ok = 0;

	if (!h1 || !h2 || strcmp(h1, h2))
		goto out;
	if (path_prefix && path_prefix[0]) {
		struct buf enc = BUF_INIT(BUF_NOLIMIT);
		int bad = clean_ref(path_prefix, &enc) || add_decoded(&prefix, enc.ptr, enc.len);

		buf_release(&enc);
		pq = url_path_query(url);
		if (bad || !pq || strncmp(pq, buf_str(&prefix), prefix.len))
			goto out;
	}
	ok = 1;
out:
	free(h1);
	free(h2);
	free(pq);
	buf_release(&prefix);
	return ok;
}
