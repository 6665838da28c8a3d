#ifndef OGI_DISCOVER_H
#define OGI_DISCOVER_H
/*
 * Finding the annual-report columns of a portal (ogi seed discover).  From
 * a portal's home page or its 政府信息公开 page, a bounded walk with the
 * crawl's fetch engine (politeness, robots.txt, retries) follows the
 * links of the disclosure catalogue: links whose text says 信息公开 or
 * 政务公开 or lists bodies (乡镇, 街道, 部门, 县区), and links whose text
 * names a body (东湖镇, 海滨市教育局, 青山县: to another host too, where
 * counties have their own sites; but not a province's or the nation's
 * site, which footers link).  It records as a column every link
 *  - whose text names the column (政府信息公开(工作)年(度)报(告), 年报)
 *    and no year (a year is a report, not a column), or whose path holds
 *    a token of such columns (zfxxgknb, xxgknb, gknb, ndbg);
 *  - a gkmlpt catalogue link "/gkmlpt/index#<column>" with such a text,
 *    as its list API /gkmlpt/api/all/<column>?page=1&sid=<site id of the
 *    page>;
 *  - Hanweb's /module/xxgk/xxgkAnnualReport.jsp and Anhui's
 *    /XxgkAnnualReport/show/<id>.html report pages (kind report).
 * Each column page is fetched once more: its list reader (crawler/lists.h)
 * says the CMS family, its ColumnName meta the column's name, and where
 * its reports lie the scope (the column's directory when they all lie
 * under it, else the whole host).  The body of a column is the last link
 * text on the way to it that named a body, else the body its page's title
 * names, else the name of the site (its SiteName meta, else its title); a
 * module's report page is the body its link names before the year, or
 * another link to the same area= names.  Sitemaps that robots.txt names
 * (on the host that names them; indexes and gzip too) give columns no
 * link leads to: their pages under an annual-report token, grouped by the
 * directory holding it (two hops from the start: not read below depth
 * 2).  Pages are fetched at most
 * max_pages, links followed max_depth hops from the start; a column page
 * is not walked further.
 */
#include <stddef.h>

#include "crawler/crawl.h"
#include "crawler/fetch.h"
#include "crawler/links.h"
#include "util/err.h"

#define DISCOVER_DEFAULT_MAX_PAGES 300
#define DISCOVER_DEFAULT_MAX_DEPTH 5

struct discover_opts {
	struct fetch_opts fetch;	/* politeness...; done and done_arg are discover's */
	long max_pages;			/* DISCOVER_DEFAULT_MAX_PAGES */
	int max_depth;			/* DISCOVER_DEFAULT_MAX_DEPTH */
	struct links_opts links;	/* report patterns, session ids */
	crawl_decode_fn decode;		/* NULL: pages are taken to be UTF-8 */
	void *decode_arg;
};

void discover_opts_init(struct discover_opts *o);

struct discovered {
	char *url;		/* canonical: the column's page (or list API, or report page) */
	char *body;		/* the last link text on the way that named a body, or NULL */
	char *site;		/* the name of the column's site (SiteName, else title), or NULL */
	char *start_site;	/* the name of the start page's site, or NULL */
	char *column;		/* ColumnName meta, else the link's text */
	char *scope;		/* path prefix its reports lie under, or NULL: the whole host */
	const char *family;	/* the list reader of its page ("html", "datastore", "json") */
	int report;		/* a single report page (an annual-report module), not a list */
	long reports;		/* report links its first page shows */
	int fetched;		/* its page could be fetched (else family and scope are guesses) */
	int sitemap;		/* found in a sitemap robots.txt names */
	int linked;		/* a sitemap's column a catalogue links too */
};

struct discover_result {
	struct discovered *v;
	size_t n, alloc;
	long pages;		/* pages fetched (or tried) */
	long cut;		/* links not followed: past max_pages */
	long failed;		/* pages that could not be fetched */
	struct fetch_stats fetch;
};

void discover_result_release(struct discover_result *r);

/*
 * Walks from start as above into out (zeroed by the caller).  Returns 0
 * (pages that fail are counted, not errors), or OGI_EINVAL (start not an
 * http(s) URL, bad options) / OGI_EIO (curl) with err set.
 */
int discover_run(const char *start, const struct discover_opts *o, struct discover_result *out,
		 struct err *err);

/*
 * The body a report's link text names before its year
 * ("青山县教育局2023年政府信息公开工作年度报告" -> "青山县教育局"), as
 * discover_names_body() says; NULL when none (text may be NULL).  Caller frees.
 */
char *discover_report_body(const char *text);

/*
 * The column a report page of a sitemap lies in: its URL cut after the
 * last directory whose name starts or ends with an annual-report token
 * (.../zjdgk/16/zfxxgkndbg/201701/t2017_1.htm -> .../zjdgk/16/zfxxgkndbg/),
 * made canonical as uo says; NULL when no directory holds one.  Caller frees.
 */
char *discover_column_dir(const char *url, const struct url_opts *uo);

/*
 * The body a column page's <title> names in one of its parts (split at _ - |
 * and spaces, each cut before the column's words: "政府信息公开年报_东湖镇_海滨市
 * 人民政府" -> "东湖镇", "青石镇政府信息公开年报" -> "青石镇"); NULL when none.
 * Caller frees.
 */
char *discover_title_body(const char *title);

/*
 * 1 when text (UTF-8, collapsed) names a body as catalogues list them:
 * Han characters only, ending as bodies' names end (镇, 乡, 街道, 县, 区,
 * 市, 局, 委员会, 办公室, 人民政府 ...), and not a catalogue heading.
 */
int discover_names_body(const char *text);

#endif
