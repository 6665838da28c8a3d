#ifndef OGI_HTML_H
#define OGI_HTML_H
/*
 * The HTML report: one self-contained page (inline CSS and SVG, no script,
 * no font or file from the network, and a Content-Security-Policy that
 * forbids both), with a heading, a contents line and one part per section.
 * Every text is escaped with esc_html(); the charts come from svg.c, which
 * escapes its own text.
 */
#include <stdio.h>

#include "reports/section.h"
#include "util/buf.h"

/* Appends the page's opening (doctype to the header and contents line) to b. */
int html_page_begin(struct buf *b, const char *title, const char *subtitle,
		    const struct rsection *s, size_t n);
/* Appends a section's heading, note and charts (its table follows; see html_write_page()). */
int html_section_begin(struct buf *b, const struct rsection *s);
int html_section_end(struct buf *b);
int html_page_end(struct buf *b);

/* Writes the whole page to out; 0, or -1 on a write error. */
int html_write_page(FILE *out, const char *title, const char *subtitle, const struct rsection *s,
		    size_t n);

#endif
