#ifndef OGI_ROBOTS_H
#define OGI_ROBOTS_H
/*
 * robots.txt (RFC 9309).  robots_parse() keeps only the rules of the group
 * that applies to our product token: the groups whose User-agent equals
 * the token (case-insensitively; several are merged), else the '*' groups
 * (merged), else none (everything allowed).  Matching: the longest
 * matching pattern wins, Allow wins a tie; '*' matches any run of octets
 * and a final '$' anchors the end; patterns and paths are compared after
 * percent-encoding normalisation (unreserved escapes decoded, other
 * escapes in upper case, non-ASCII bytes escaped).  /robots.txt itself is
 * always allowed.  Lines longer than ROBOTS_MAX_LINE are ignored and
 * bytes past ROBOTS_MAX_SIZE are not read.
 */
#include <stddef.h>
#include <stdint.h>

#define ROBOTS_MAX_SIZE (512 * 1024)
#define ROBOTS_MAX_LINE 2048
/* Redirects followed for a robots.txt, to any host (RFC 9309 2.3.1.2: at least five). */
#define ROBOTS_MAX_REDIRECTS 5
/* Sitemap lines kept at most (their URLs up to ROBOTS_MAX_LINE bytes each). */
#define ROBOTS_MAX_SITEMAPS 16

struct robots_rule {
	char *pattern;		/* normalised; '*' and a final '$' are special */
	size_t len;		/* octets of pattern: the "match length" */
	/*
	 * For each run of literal octets between '*'s, its KMP failure table
	 * at the run's offset in pattern: matching is linear (robots_allowed).
	 */
	uint32_t *fail;
	int allow;
};

struct robots {
	struct robots_rule *rules;
	size_t nrules, alloc;
	double crawl_delay;	/* seconds, < 0 when the group gives none */
	/* the Sitemap lines' values, in order, whatever the group (they belong to none) */
	char *sitemaps[ROBOTS_MAX_SITEMAPS];
	size_t nsitemaps;
};

/* What the fetch engine does with a host, from the status of its /robots.txt. */
enum robots_policy {
	ROBOTS_USE_RULES,	/* 2xx: parse the body and obey it */
	ROBOTS_ALLOW_ALL,	/* 4xx (but 429), or too many redirects: no restriction */
	ROBOTS_PAUSE_HOST	/* 5xx, 429 or unreachable (status 0): nothing there this run */
};

/* An empty rule set: everything allowed, no crawl delay. */
void robots_init(struct robots *r);

/*
 * Parses len bytes of robots.txt (any bytes; a UTF-8 BOM is skipped) for the
 * crawler whose User-Agent is agent (its product token is the leading run
 * of letters, '-' and '_': "ogi/0.1 (...)" -> "ogi").  out is initialised
 * here (release it with robots_release).  Cannot fail.
 */
void robots_parse(const char *txt, size_t len, const char *agent, struct robots *out);

/*
 * 1 when path_and_query ("/a/b?c"; NULL or "" read as "/") may be fetched.
 * Time is linear in the path's length plus the patterns' for each rule,
 * whatever the wildcards: each run of literal octets between '*'s is
 * found at its leftmost place after the previous one (which is enough for
 * '*', no backtracking), by Knuth-Morris-Pratt.
 */
int robots_allowed(const struct robots *r, const char *path_and_query);

/* The group's Crawl-delay in seconds, or a negative number when none. */
double robots_crawl_delay(const struct robots *r);

void robots_release(struct robots *r);

/* The policy for the HTTP status of a /robots.txt fetch (0: no response at all). */
enum robots_policy robots_policy_for_status(long status);

#endif
