#ifndef OGI_LINKS_H
#define OGI_LINKS_H
/*
 * Links of a listing ("column", 栏目) page: every <a href>, the ones that
 * look like annual reports, the other listing pages of the same column
 * (pagination) and the attachments.  Input is UTF-8 HTML (gumbo); URLs come
 * out absolute and canonical (crawler/url.h), resolved against <base href>
 * when the page has one.  Pages can be hostile: input past LINKS_MAX_INPUT
 * is cut off, gumbo reads the rest behind the nesting guard (html/tree.h:
 * nothing nests past HTML_MAX_NESTING, no foreign content gumbo asserts
 * on), the tree walk is iterative
 * and stops at LINKS_MAX_DEPTH, at most LINKS_MAX_LINKS anchors are read,
 * link texts are cut at LINKS_MAX_TEXT bytes and at most LINKS_MAX_PAGES
 * pages are generated from a createPageHTML() call.
 */
#include <stddef.h>

#include "crawler/url.h"
#include "util/err.h"

#define LINKS_MAX_INPUT (8u * 1024 * 1024)
#define LINKS_MAX_DEPTH 512
#define LINKS_MAX_LINKS 20000
#define LINKS_MAX_TEXT 1024
#define LINKS_MAX_PAGES 1000

/*
 * What a link is; a link can be several of these at once, so struct link's
 * kind holds a bit set of these values (0 = a plain link).
 */
enum link_kind {
	LINK_PLAIN = 0,
	LINK_REPORT = 1 << 0,		/* text or title matches the report pattern */
	LINK_PAGE = 1 << 1,		/* another listing page of the same column */
	LINK_ATTACHMENT = 1 << 2	/* .pdf .doc .docx .wps .xls .xlsx .et .ofd */
};

struct link {
	char *url;	/* absolute, canonical */
	char *text;	/* visible text (else img alt), white space collapsed; never NULL */
	char *title;	/* title= attribute, collapsed; NULL when absent or empty */
	unsigned kind;	/* bit set of enum link_kind */
};

struct link_list {
	struct link *v;
	size_t n, alloc;
};

/*
 * all: every crawlable anchor in document order (duplicates kept).
 * reports, attachments: deduplicated by URL (the longest text kept).
 * pages: the listing pages to visit, deduplicated, without the page itself;
 * pages generated from a createPageHTML() call have text "".
 */
struct links {
	struct link_list all, reports, pages, attachments;
	/*
	 * What the limits left out, so that a caller can say so: anchors past
	 * the first LINKS_MAX_LINKS, and whether the page was cut at
	 * LINKS_MAX_INPUT bytes (its links past that point not seen).
	 */
	size_t anchors_cut;
	int input_cut;
};

struct links_opts {
	const char *report_pattern;	/* PCRE2 (UTF-8, caseless); NULL: LINKS_REPORT_PATTERN */
	/*
	 * A text matching this is not a report unless it also says 信息公开
	 * (it excludes 政府工作报告, 统计年报, 企业年度报告公示, ...).
	 * NULL: LINKS_EXCLUDE_PATTERN; "": exclude nothing.
	 */
	const char *exclude_pattern;
	const struct url_opts *url;	/* session ids dropped from links; NULL: the defaults */
};

extern const char LINKS_REPORT_PATTERN[];
extern const char LINKS_EXCLUDE_PATTERN[];

void links_init(struct links *l);
void links_release(struct links *l);

/*
 * Extracts the links of len bytes of UTF-8 HTML fetched from page_url into
 * out (initialised by the caller; lists are appended to).  opts may be
 * NULL.  Returns 0, or OGI_EINVAL (page_url not an http(s) URL, a pattern
 * that does not compile) with err set.
 */
int links_extract(const char *html, size_t len, const char *page_url,
		  const struct links_opts *opts, struct links *out, struct err *err);

/* 1 when a canonical URL's path ends in an attachment's extension (LINK_ATTACHMENT). */
int links_is_attachment_url(const char *url);

/*
 * 1 when a canonical URL is a page of an annual-report module, one report a
 * page whatever its link says (a module's table links "2023年度"): Hanweb's
 * /module/xxgk/xxgkAnnualReport.jsp?... (one body and year) and Anhui's
 * platform /XxgkAnnualReport/show/<id>.html.  Such links are LINK_REPORT.
 */
int links_is_module_report(const char *url);

/* 1 when text (UTF-8) would be classed a report by the default patterns. */
int links_is_report_text(const char *text);

#endif
