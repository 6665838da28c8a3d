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
 * gumbo reads the page behind the nesting guard (html/tree.h).
 */
#include <stddef.h>

#include "parser/doc.h"
#include "util/err.h"

#define HTML_MAX_DEPTH 32	/* nested tables */
#define HTML_MAX_SPAN 64	/* rowspan/colspan beyond this are clamped */
#define HTML_MAX_COLS 256	/* grid columns */
#define HTML_MAX_ROWS 4096	/* grid rows per table */

/* Parses len bytes of UTF-8 HTML into doc (initialised by the caller). */
int html_parse(const char *utf8, size_t len, struct doc *doc, struct err *err);

/* Whether bytes look like HTML rather than plain text. */
int html_sniff(const char *bytes, size_t len);

#endif
