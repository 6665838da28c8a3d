#ifndef OGI_URL_H
#define OGI_URL_H
/*
 * URL handling for the crawler, on libcurl's CURLU API.  Every URL this
 * module returns is absolute, http or https, without fragment, with the
 * scheme and host lowercased, no default port, dot segments removed and
 * percent-escapes in upper case, so that two spellings of one page
 * compare equal with strcmp.  Results are malloc'd: the caller frees them
 * with free().  NULL means "not a crawlable URL" (bad syntax, another
 * scheme, no host, longer than URL_MAX_LEN).
 */
#include <stddef.h>

#define URL_MAX_LEN 8192

/*
 * Resolves the reference ref (an href as found in a page: white space
 * around it and tabs/newlines in it are dropped, non-ASCII bytes and
 * spaces percent-encoded, '\' read as '/') against the absolute URL base.
 * base may be NULL when ref is absolute.  javascript:, mailto:, data:, ftp:
 * and every other non-http(s) result give NULL.
 */
char *url_resolve(const char *base, const char *ref);

/* url in the canonical form described above, or NULL. */
char *url_normalize(const char *url);

/* The lowercased "host" or "host:port" (port only when not the scheme's default), or NULL. */
char *url_host(const char *url);

/* The path and query, "/path?query" ("/" at least), as sent in a request line, or NULL. */
char *url_path_query(const char *url);

/*
 * 1 when url is http(s) on the same host[:port] as seed_url (http and
 * https count as the same site) and, when path_prefix is neither NULL nor
 * "", its path starts with path_prefix; else 0.
 */
int url_in_scope(const char *url, const char *seed_url, const char *path_prefix);

#endif
