#ifndef OGI_HTML_H
#define OGI_HTML_H
/*
 * HTML pages to struct doc, with gumbo.  Tables become grids: rowspan and
 * colspan are expanded (spans clamped to sane bounds), each grid row gives
 * one doc_row of its distinct cells, cells copied down by a rowspan marked
 * carried.  A table nested in a cell is a table of its own and its text is
 * not part of the outer cell.  Nesting deeper than HTML_MAX_DEPTH tables is
 * not descended into.  Text outside tables becomes doc lines, one per block
 * element or <br>-separated piece; text in a data table is only in its
 * cells.  A layout table (one holding another table or a paragraph-long
 * text) is read both ways: as a table, and its text (not that of the data
 * tables in it) as lines, since many pages wrap the whole report in one.
 */
#include <stddef.h>

#include "parser/doc.h"
#include "util/err.h"

#define HTML_MAX_DEPTH 32	/* nested tables */
#define HTML_MAX_SPAN 64	/* rowspan/colspan beyond this are clamped */
#define HTML_MAX_COLS 256	/* grid columns */
#define HTML_MAX_ROWS 4096	/* grid rows per table */
#define HTML_MAX_NESTING 1024	/* open elements gumbo is allowed to see at once */

/* Parses len bytes of UTF-8 HTML into doc (initialised by the caller). */
int html_parse(const char *utf8, size_t len, struct doc *doc, struct err *err);

/* Whether bytes look like HTML rather than plain text. */
int html_sniff(const char *bytes, size_t len);

/*
 * Guards gumbo against hostile pages: it recurses over the tree depth in
 * places, is quadratic in it elsewhere, and aborts on some foreign
 * content (svg, math) in tables.  Renames <svg>, <math> and <frameset>
 * tags to unknown ones, then models the stack of open elements on the
 * bytes and drops the start tags (and matching end tags) that would open
 * elements past HTML_MAX_NESTING.  Returns how many tags were renamed or
 * dropped; when > 0, *out is the page to parse instead (caller frees) and
 * *outlen its length, else *out is NULL.  html_parse() calls it.
 */
int html_bound_nesting(const char *utf8, size_t len, char **out, size_t *outlen);

#endif
