#ifndef OGI_URL_H
#define OGI_URL_H
/*
 * URL handling for the crawler, on libcurl's CURLU API.  Every URL this
 * module returns is absolute, http or https, without fragment, with the
 * scheme and host lowercased, no default port, escapes of unreserved
 * characters decoded ("%7E" -> "~", "%2e" -> "."), other escapes in
 * upper case, dot segments removed after that decoding (RFC 3986 6.2.2),
 * and session ids dropped (struct url_opts), so that two spellings of one
 * page compare equal with strcmp and a scope or robots.txt check sees the
 * path the server will serve: "/col/%2e%2e/private/" is "/private/".  A
 * segment that is a dot segment followed by path parameters ("..;x") is
 * read as the dot segment, as Tomcat does.  Results are malloc'd: the
 * caller frees them with free().  NULL means "not a crawlable URL" (bad
 * syntax, another scheme, no host, userinfo such as "user:secret@", longer
 * than URL_MAX_LEN).
 */
#include <stddef.h>

#define URL_MAX_LEN 8192

/*
 * Session ids: a server that cannot set a cookie puts one in the URL, a
 * new one per visit, so that one page gets a new URL every run.  Query
 * parameters ("?sid=...") and path parameters ("/a.jsp;jsessionid=...")
 * with one of these names (ASCII case-insensitive; a final '*' matches any
 * rest of the name) are dropped from every URL.  docs/crawl.md lists them.
 */
extern const char *const URL_SESSION_PARAMS[];

/*
 * Changes to URL_SESSION_PARAMS (ogi crawl --keep-param, --drop-param).
 * Both lists are NULL-terminated and may be NULL; the strings are the
 * caller's and must outlive every use of the options.
 */
struct url_opts {
	const char *const *keep;	/* names kept though they are in the list */
	const char *const *drop;	/* names dropped besides the list */
};

/*
 * Resolves the reference ref (an href as found in a page: white space
 * around it and tabs/newlines in it are dropped, non-ASCII bytes and
 * spaces percent-encoded, '\' read as '/') against the absolute URL base.
 * base may be NULL when ref is absolute.  javascript:, mailto:, data:, ftp:
 * and every other non-http(s) result give NULL.
 */
char *url_resolve(const char *base, const char *ref);

/* url_resolve with session ids dropped as o says (NULL: URL_SESSION_PARAMS). */
char *url_resolve_opts(const char *base, const char *ref, const struct url_opts *o);

/* url in the canonical form described above, or NULL. */
char *url_normalize(const char *url);

/* url_normalize with session ids dropped as o says (NULL: URL_SESSION_PARAMS). */
char *url_normalize_opts(const char *url, const struct url_opts *o);

/* 1 when name (n bytes) is a session id that o (NULL: the defaults) drops. */
int url_is_session_param(const char *name, size_t n, const struct url_opts *o);

/* The lowercased "host" or "host:port" (port only when not the scheme's default), or NULL. */
char *url_host(const char *url);

/*
 * The path and query, "/path?query" ("/" at least), as sent in a request
 * line, with escapes and dot segments normalised as above (session ids are
 * left as they are), or NULL.
 */
char *url_path_query(const char *url);

/*
 * 1 when url is http(s) on the same host[:port] as seed_url (http and
 * https count as the same site) and, when path_prefix is neither NULL nor
 * "", its normalised path (url_path_query) starts with path_prefix, whose
 * escapes are normalised the same way; else 0.
 */
int url_in_scope(const char *url, const char *seed_url, const char *path_prefix);

#endif
