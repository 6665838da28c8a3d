#ifndef OGI_DOCX_H
#define OGI_DOCX_H
/*
 * Word documents (DOCX: a ZIP of XML parts) to struct doc, the same doc
 * html_parse() fills, so that the rest of the parser reads them unchanged.
 * Only word/document.xml is read (with libzip, from memory, and libxml2's
 * streaming reader), plus docProps/core.xml for the title.
 *   - Each w:tbl is a table, indexed in document order (an outer table
 *     before the tables nested in it); each w:tr a grid row.  w:gridBefore
 *     moves a row's first cell right, w:gridSpan (and the older w:hMerge)
 *     widens a cell, w:vMerge continues the cell above into this row: the
 *     copy is marked carried, as an HTML rowspan.  A nested table is a table
 *     of its own and no part of the outer cell's text.
 *   - A cell's text is its paragraphs' w:t text, white space collapsed;
 *     paragraphs are joined as HTML joins lines in a cell.  Deleted text,
 *     field codes, old properties of tracked changes, ruby guides and the
 *     fallback copy of markup-compatibility blocks are not read.
 *   - Paragraphs outside tables are lines in reading order; a w:br ends a
 *     line.  A table that lays the page out (it holds a table, or a
 *     paragraph longer than any label) is read both ways, as html.c does.
 *   - The title: docProps/core.xml's dc:title when it names a report
 *     (报告, 年报), else the first line.
 * Hostile files are bounded before and while they are read: the limits
 * below, no DOCTYPE (the DTD is where entity bombs and external entities
 * live; Word writes none), no network, no entity substitution, and
 * libxml2's default depth limit (256 elements; XML_PARSE_HUGE off).
 */
#include <stddef.h>

#include "parser/doc.h"
#include "util/err.h"

#define DOCX_PART "word/document.xml"
#define DOCX_MAX_INPUT ((size_t)64 << 20)	/* the .docx itself */
#define DOCX_MAX_ENTRIES 4096	/* ZIP entries in its directory */
#define DOCX_MAX_XML ((size_t)64 << 20)	/* word/document.xml uncompressed */
#define DOCX_MAX_CORE ((size_t)1 << 20)	/* docProps/core.xml uncompressed */
#define DOCX_MAX_INFLATED ((size_t)64 << 20)	/* all parts read, together */
/* A part over DOCX_RATIO_FLOOR may inflate to this many times its size (XML deflates ~10:1). */
#define DOCX_MAX_RATIO 100
#define DOCX_RATIO_FLOOR ((size_t)1 << 20)
#define DOCX_MAX_NODES 4000000	/* XML nodes visited in word/document.xml */
#define DOCX_MAX_DEPTH 32	/* nested tables; deeper ones are skipped */
#define DOCX_MAX_TABLES 4096	/* tables past this are skipped */
#define DOCX_MAX_ROWS 4096	/* rows per table; more are skipped */
#define DOCX_MAX_COLS 256	/* grid columns; cells past them are skipped */
#define DOCX_MAX_CELLS 200000	/* cells of all tables; more are skipped */

/*
 * Whether bytes are a ZIP archive whose entries include word/document.xml
 * (its central directory lists it, or a local header names it when the
 * directory is missing, as in a truncated file).  Reads no more than the
 * directory and, failing that, scans for the name; decides by content only.
 */
int docx_sniff(const char *bytes, size_t len);

/*
 * Parses a DOCX into doc (initialised by the caller); sets doc->from_html,
 * since its rows are a grid.  Returns 0, or an error (OGI_EPARSE: not a
 * readable ZIP, no word/document.xml, encrypted, not well-formed XML, a
 * DOCTYPE; OGI_ETOOBIG: over a limit) whose message reads after
 * "cannot read 'FILE': ".  On error doc may hold what was read so far:
 * doc_release() it.  Threads may parse documents at the same time.
 */
int docx_parse(const char *bytes, size_t len, struct doc *doc, struct err *err);

#endif
