#include "crawler/robots.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char hexdig[] = "0123456789ABCDEF";

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/*
 * RFC 9309 2.2.2: escapes of unreserved characters are decoded, other
 * escapes upper-cased, octets outside ASCII (and spaces/controls) escaped,
 * so that "/%7Efoo", "/~foo" compare equal and "/%e4" equals "/\xe4".
 */
static void normalise(const char *s, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			unsigned char v = (unsigned char)(hexval((unsigned char)s[i + 1]) * 16 +
							  hexval((unsigned char)s[i + 2]));

			if (is_unreserved(v)) {
				buf_addc(out, (char)v);
			} else {
				char esc[3] = { '%', hexdig[v >> 4], hexdig[v & 15] };

				buf_add(out, esc, 3);
			}
			i += 2;
		} else if (c >= 0x80 || c <= 0x20 || c == 0x7f) {
			char esc[3] = { '%', hexdig[c >> 4], hexdig[c & 15] };

			buf_add(out, esc, 3);
		} else {
			buf_addc(out, (char)c);
		}
	}
}

void robots_init(struct robots *r)
{
	r->rules = NULL;
	r->nrules = 0;
	r->alloc = 0;
	r->crawl_delay = -1;
	r->nsitemaps = 0;
}

void robots_release(struct robots *r)
{
	size_t i;

	for (i = 0; i < r->nrules; i++) {
		free(r->rules[i].pattern);
		free(r->rules[i].fail);
	}
	free(r->rules);
	for (i = 0; i < r->nsitemaps; i++)
		free(r->sitemaps[i]);
	robots_init(r);
}

/* The product token: leading letters, '-' and '_' (RFC 9309 2.2.1). */
static size_t token_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			 s[i] == '-' || s[i] == '_'))
		i++;
	return i;
}

static int ieq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Parses a non-negative decimal ("1", "0.5", " 2.25 "); -1 when it is not one. */
static double parse_delay(const char *s, size_t n)
{
	double v = 0, scale = 0.1;
	size_t i = 0;
	int digits = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (v < 1e9)
			v = v * 10 + (s[i] - '0');
		digits++;
		i++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			v += (s[i] - '0') * scale;
			scale /= 10;
			digits++;
			i++;
		}
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (!digits || i != n)
		return -1;
	return v;
}

/* Rules under construction for the specific ('ogi') and the '*' groups. */
struct side {
	struct robots r;
	int seen;	/* a group for this side exists (even an empty one) */
};

/*
 * KMP failure tables of the literal runs of pat (plen octets, without a
 * final '$'): fail[start + i] is the length of the longest proper prefix
 * of the run that ends its first i + 1 octets.  '*' entries are unused.
 */
static uint32_t *failure_tables(const char *pat, size_t plen)
{
	uint32_t *fail = xcalloc(plen ? plen : 1, sizeof(*fail));
	size_t start = 0;

	while (start < plen) {
		const char *star = memchr(pat + start, '*', plen - start);
		size_t m = star ? (size_t)(star - pat) - start : plen - start;
		const char *w = pat + start;
		uint32_t *f = fail + start, k = 0;

		for (size_t i = 1; i < m; i++) {
			while (k && w[i] != w[k])
				k = f[k - 1];
			if (w[i] == w[k])
				k++;
			f[i] = k;
		}
		start += m + 1;
	}
	return fail;
}

static void add_rule(struct robots *r, const char *v, size_t n, int allow)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct robots_rule *rule;

	/* as Google: a pattern that starts with neither '/' nor '*' is read as under '/' */
	if (v[0] != '/' && v[0] != '*')
		buf_addc(&b, '/');
	normalise(v, n, &b);
	ALLOC_GROW(r->rules, r->nrules + 1, r->alloc);
	rule = &r->rules[r->nrules++];
	rule->len = b.len;
	rule->allow = allow;
	rule->pattern = buf_take(&b);
	rule->fail = failure_tables(rule->pattern,
				    rule->len && rule->pattern[rule->len - 1] == '$' ? rule->len - 1
										     : rule->len);
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

enum key { K_OTHER, K_AGENT, K_ALLOW, K_DISALLOW, K_DELAY, K_SITEMAP };

static enum key key_of(const char *k, size_t n)
{
	/* the usual misspellings are accepted, as major crawlers do */
	if (ieq(k, n, "user-agent", 10) || ieq(k, n, "useragent", 9) || ieq(k, n, "user agent", 10))
		return K_AGENT;
	if (ieq(k, n, "allow", 5))
		return K_ALLOW;
	if (ieq(k, n, "disallow", 8) || ieq(k, n, "dissallow", 9) || ieq(k, n, "disalow", 7))
		return K_DISALLOW;
	if (ieq(k, n, "crawl-delay", 11))
		return K_DELAY;
	if (ieq(k, n, "sitemap", 7))
		return K_SITEMAP;
	return K_OTHER;
}

void robots_parse(const char *txt, size_t len, const char *agent, struct robots *out)
{
	struct side spec, star;
	const char *p = txt, *end;
	size_t toklen = agent ? token_len(agent, strlen(agent)) : 0;
	int in_agents = 0, cur_spec = 0, cur_star = 0;
	char *maps[ROBOTS_MAX_SITEMAPS] = { NULL };
	size_t nmaps = 0;

	robots_init(out);
	robots_init(&spec.r);
	robots_init(&star.r);
	spec.seen = star.seen = 0;
	if (!txt)
		len = 0;
	if (len > ROBOTS_MAX_SIZE)
		len = ROBOTS_MAX_SIZE;
	end = txt + len;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		const char *eol = p, *line = p, *colon, *k, *v;
		size_t n, kn, vn;
		enum key key;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		n = (size_t)(eol - line);
		p = eol;
		while (p < end && (*p == '\n' || *p == '\r'))
			p++;
		if (n > ROBOTS_MAX_LINE)
			continue;
		{
			const char *hash = memchr(line, '#', n);

			if (hash)
				n = (size_t)(hash - line);
		}
		colon = memchr(line, ':', n);
		if (!colon)
			continue;
		k = line;
		kn = (size_t)(colon - line);
		v = colon + 1;
		vn = n - kn - 1;
		trim(&k, &kn);
		trim(&v, &vn);
		key = key_of(k, kn);
		if (key == K_AGENT) {
			size_t tl;

			if (!in_agents)
				cur_spec = cur_star = 0;
			in_agents = 1;
			tl = token_len(v, vn);
			if (vn == 1 && v[0] == '*') {
				cur_star = 1;
				star.seen = 1;
			} else if (toklen && tl && ieq(v, tl, agent, toklen)) {
				cur_spec = 1;
				spec.seen = 1;
			}
			continue;
		}
		if (key == K_SITEMAP) {
			if (vn && nmaps < ROBOTS_MAX_SITEMAPS)
				maps[nmaps++] = xstrndup(v, vn);
			continue;	/* Sitemap lines do not end a group */
		}
		if (key == K_OTHER)
			continue;	/* nor do unknown ones */
		in_agents = 0;
		if (key == K_DELAY) {
			double d = parse_delay(v, vn);

			if (d < 0)
				continue;
			/* several values in a group: the most polite one */
			if (cur_spec && d > spec.r.crawl_delay)
				spec.r.crawl_delay = d;
			if (cur_star && d > star.r.crawl_delay)
				star.r.crawl_delay = d;
			continue;
		}
		if (!vn)
			continue;	/* "Disallow:" with no path restricts nothing */
		if (cur_spec)
			add_rule(&spec.r, v, vn, key == K_ALLOW);
		if (cur_star)
			add_rule(&star.r, v, vn, key == K_ALLOW);
	}
	if (spec.seen) {
		*out = spec.r;
		robots_release(&star.r);
	} else {
		*out = star.r;
		robots_release(&spec.r);
	}
	for (size_t i = 0; i < nmaps; i++)
		out->sitemaps[i] = maps[i];
	out->nsitemaps = nmaps;
}

/*
 * The leftmost place at or after from where the literal run w (m octets,
 * KMP table f) occurs in s (n octets), or (size_t)-1.  Linear in n - from
 * plus m: the text is read once, never backed up.
 */
static size_t find_run(const char *w, size_t m, const uint32_t *f, const char *s, size_t n,
		       size_t from)
{
	size_t k = 0;

	if (!m)
		return from;
	for (size_t i = from; i < n; i++) {
		while (k && s[i] != w[k])
			k = f[k - 1];
		if (s[i] == w[k] && ++k == m)
			return i + 1 - m;
	}
	return (size_t)-1;
}

/*
 * Whether rule (with '*' wildcards and an optional final '$') matches a
 * prefix of path (the whole path when anchored).  With '*' alone, the
 * leftmost place of each literal run after the previous one is as good as
 * any later place (it leaves the most path to the rest), so the runs are
 * found one after another without backtracking: O(len(path) + len(pattern)).
 */
static int pattern_match(const struct robots_rule *rule, const char *path, size_t n)
{
	const char *pat = rule->pattern;
	size_t plen = rule->len, start, pos, m;
	int anchored = plen && pat[plen - 1] == '$';
	const char *star;

	if (anchored)
		plen--;
	/* the first run is anchored at the start of the path */
	star = memchr(pat, '*', plen);
	m = star ? (size_t)(star - pat) : plen;
	if (m > n || memcmp(pat, path, m))
		return 0;
	if (!star)
		return !anchored || m == n;
	pos = m;
	start = m + 1;
	for (;;) {
		size_t at;

		star = memchr(pat + start, '*', plen - start);
		m = star ? (size_t)(star - pat) - start : plen - start;
		if (!star && anchored)	/* the last run must end the path */
			return n - pos >= m && !memcmp(pat + start, path + n - m, m);
		at = find_run(pat + start, m, rule->fail + start, path, n, pos);
		if (at == (size_t)-1)
			return 0;
		if (!star)
			return 1;
		pos = at + m;
		start += m + 1;
	}
}

int robots_allowed(const struct robots *r, const char *path_and_query)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	size_t i, best = 0;
	int allowed = 1, found = 0;

	if (!path_and_query || !path_and_query[0])
		path_and_query = "/";
	if (!strcmp(path_and_query, "/robots.txt"))
		return 1;
	normalise(path_and_query, strlen(path_and_query), &b);
	for (i = 0; i < r->nrules; i++) {
		const struct robots_rule *rule = &r->rules[i];

		if (found && rule->len < best)
			continue;
		if (!pattern_match(rule, buf_str(&b), b.len))
			continue;
		if (!found || rule->len > best) {
			best = rule->len;
			allowed = rule->allow;
			found = 1;
		} else if (rule->allow) {
			allowed = 1;	/* equal length: Allow wins */
		}
	}
	buf_release(&b);
	return allowed;
}

double robots_crawl_delay(const struct robots *r)
{
	return r->crawl_delay;
}

enum robots_policy robots_policy_for_status(long status)
{
	if (status >= 200 && status < 300)
		return ROBOTS_USE_RULES;
	if (status == 429 || status >= 500 || status <= 0)
		return ROBOTS_PAUSE_HOST;
	/* 3xx reaching us means the redirect chain was not followable; 4xx: no file */
	return ROBOTS_ALLOW_ALL;
}
