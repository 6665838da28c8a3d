#ifndef OGI_LISTS_H
#define OGI_LISTS_H
/*
 * List readers: how a column (栏目) of each CMS family shows its reports
 * and pages.  Given a listing page as fetched (UTF-8), a reader returns
 * the report links on it and the further list requests to make, GET or
 * POST.  The reader is chosen by what the page shows, never by its host:
 *
 *  - "json" (crawler/list-json.c): a JSON list API, Guangdong's
 *    政府信息公开目录平台 (gkmlpt) /gkmlpt/api/all/<column>?page=N&sid=S:
 *    an object with an array of articles {title, url} and a page or item
 *    count; pages 2.. are asked from page 1.
 *  - "datastore" (crawler/list-datastore.c): a <datastore>/<recordset> of
 *    <record><![CDATA[<li><a href=...>]]></record>, Hanweb/jpaas (大汉) in
 *    a <script type="text/xml"> block on the column page and in the answers
 *    of its dataproxy.jsp, TRS embedded record sets likewise.  When the
 *    page's own script names the dataproxy's form fields (col, appid,
 *    webid, path, columnid, sourceContentType, unitid, webname,
 *    permissiontype), the rest of the column is asked by POST to
 *    /module/web/jpage/dataproxy.jsp (older sites: /module/jpage/) with
 *    ?startrecord=S&endrecord=E&perpage=P.
 *  - "sitemap" (crawler/list-sitemap.c): a sitemap (<urlset>: its <loc>s
 *    are report candidates, kept by the crawl only under the seed's
 *    scope) or a sitemap index (<sitemapindex>: its sitemaps are asked);
 *    robots.txt names them (crawler/crawl.h).
 *  - "html" (crawler/lists.c): links and pagination of a plain or TRS page
 *    (crawler/links.h: 下一页, numbered links, index_N.html,
 *    createPageHTML, ?page=N); VSB's <col>/<n>.htm pages are numbered
 *    links.  The other readers add to it, so a data block page keeps its
 *    plain links too.
 *
 * Scraped input is bounded: one page asks at most LISTS_MAX_REQUESTS
 * further list pages (what it announced past that is counted in
 * requests_cut), a data block or JSON text past LINKS_MAX_INPUT is not
 * read, and a malformed block or API answer is said in problem, not
 * guessed at.
 */
#include <stddef.h>

#include "crawler/links.h"
#include "util/buf.h"
#include "util/err.h"

#define LISTS_MAX_REQUESTS 200

/* A further list page to ask for. */
struct list_request {
	char *url;	/* absolute, canonical */
	char *body;	/* application/x-www-form-urlencoded body to POST; NULL: a GET */
	/*
	 * asked by a family's reader (a list API, a sitemap), not a page of
	 * plain pagination: where the column keeps its list, whatever the path
	 */
	int api;
};

struct list_requests {
	struct list_request *v;
	size_t n, alloc;
};

/* A listing page as fetched. */
struct list_page {
	const char *text;	/* UTF-8 (HTML, XML or JSON) */
	size_t len;
	const char *url;	/* canonical URL it was fetched from */
	const char *post_body;	/* the form body it was POSTed with, or NULL */
};

struct list_read {
	const char *family;	/* the reader that read it: "json", "datastore", "html" */
	/*
	 * links.reports, links.attachments: the report links found (the
	 * html reader's and the family's); links.all, links.pages: the html
	 * reader's.
	 */
	struct links links;
	struct list_requests next;	/* further list pages, links.pages among them */
	size_t requests_cut;	/* list pages announced past LISTS_MAX_REQUESTS */
	char *problem;		/* what was wrong with a list block or API answer, or NULL */
};

void lists_init(struct list_read *r);
void lists_release(struct list_read *r);

/*
 * Reads page p into out (initialised by the caller).  opts as for
 * links_extract.  Returns 0 (a malformed block is out->problem, not an
 * error), or OGI_EINVAL (p->url not http(s), a bad pattern) with err set.
 */
int lists_read(const struct list_page *p, const struct links_opts *opts, struct list_read *out,
	       struct err *err);

/* ---- for the readers (crawler/list-*.c) ---- */

struct list_reader {
	const char *name;
	/* 1 when the page shows this family's list */
	int (*detect)(const struct list_page *p);
	/* adds what it reads to out; 0, -1 with err set for a fatal error */
	int (*read)(const struct list_page *p, const struct links_opts *opts,
		    struct list_read *out, struct err *err);
};

extern const struct list_reader list_json_reader;
extern const struct list_reader list_datastore_reader;
extern const struct list_reader list_sitemap_reader;

/* Appends a request (url canonicalised as opts says; body copied, may be NULL); 0 or -1. */
int lists_add_request(struct list_read *out, const char *url, const char *body,
		      const struct links_opts *opts);

/*
 * Reads the anchors of an HTML fragment (the records of a data block, an
 * API's articles written as <a> elements) as if they stood on page
 * page_url: their report links and attachments join out->links.
 */
int lists_add_fragment(struct list_read *out, const char *html, size_t len, const char *page_url,
		       const struct links_opts *opts, struct err *err);

/*
 * Appends url (made canonical as opts says) to out->links.reports as a
 * report link of text "" (an attachment too when its extension says so):
 * a sitemap's entries, which have no text.  0, or -1 for a URL that is
 * not http(s).
 */
int lists_add_report(struct list_read *out, const char *url, const struct links_opts *opts);

/* The first place in [s, end) of needle, ASCII case aside, or NULL. */
const char *lists_find_ci(const char *s, const char *end, const char *needle);

/* Sets out->problem (the first one stays). */
void lists_problem(struct list_read *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends s to b as a form value: unreserved bytes as they are, the rest %XX. */
void lists_form_escape(struct buf *b, const char *s, size_t n);

#endif
