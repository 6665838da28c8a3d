#ifndef OGI_HTML_H
#define OGI_HTML_H
/*
 * The HTML pages: each self-contained (inline CSS and SVG, no script, no
 * font or file from the network, and a Content-Security-Policy that
 * forbids both), with a heading, a contents line and one part per section,
 * readable on a phone (390 px) as on a desk.  Every text is escaped with
 * esc_html(); the charts come from charts.c and svg.c, which escape their
 * own text.  Links are relative, so that a site works from file:// and
 * from any web server.
 */
#include <stdio.h>

#include "reports/section.h"
#include "util/buf.h"

/* What frames a page. */
struct html_frame {
	const char *title;
	const char *subtitle;	/* may be NULL */
	const char *crumbs;	/* HTML (escaped by its maker) above the title, or NULL */
	int en;			/* the footer in English (--lang en) */
};

/* Appends the page's opening (doctype to the header and contents line) to b. */
int html_page_begin(struct buf *b, const struct html_frame *fr, const struct rsection *s,
		    size_t n);
/* Appends a section's heading, note and charts (its table follows; see html_write_page()). */
int html_section_begin(struct buf *b, const struct rsection *s);
int html_section_end(struct buf *b);
int html_page_end(struct buf *b, const struct html_frame *fr);

/* Writes the whole page to out; 0, or -1 on a write error. */
int html_write_page(FILE *out, const struct html_frame *fr, const struct rsection *s, size_t n);

#endif
