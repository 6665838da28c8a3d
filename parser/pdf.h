#ifndef OGI_PDF_H
#define OGI_PDF_H
/*
 * PDF files to struct doc, with poppler's C API (poppler-glib: text with a
 * box for every glyph).  The page layout is rebuilt from the boxes: lines
 * from the glyphs' vertical centres, cells from the gaps between glyphs,
 * page numbers ("-4-") dropped.  Lines of a table keep their cells apart
 * (DOC_CELL_SEP) and, in the part of a table under one row of headings,
 * every column has its cell, empty where the page shows none: columns come
 * from the values and headings of all the rows, so a blank cell is kept
 * where it stands.  A table that runs on over a page break is one table.
 * The rest is text, for the metadata detector and the text claims; the
 * text-table reader (parser/texttable.h) then reads the tables like any
 * text, so the rules, keys and provenance are the same as for a page.
 *
 * Bounded work on hostile files: at most PDF_MAX_PAGES pages and
 * PDF_MAX_GLYPHS glyphs are read, streams are inflated to a bound before
 * poppler sees them (a gigabyte of zeros in a megabyte of file is refused);
 * an encrypted or broken file is an error.
 */
#include <stddef.h>

#include "parser/doc.h"
#include "util/err.h"

#define PDF_MAX_PAGES 500
#define PDF_MAX_GLYPHS (4u << 20)
#define PDF_MAX_STREAM (64 << 20)	/* bytes of one stream once inflated */
#define PDF_MAX_INFLATED (512 << 20)	/* of all streams */

/* Whether bytes are a PDF file (its header within the first KiB, as readers accept it). */
int pdf_sniff(const char *bytes, size_t len);

/*
 * Reads len bytes of PDF into doc (initialised by the caller).  Returns 0,
 * or an error: not a PDF, encrypted, broken.  A PDF without a text layer
 * (scanned pages) gives a doc with no lines and doc->images set.
 */
int pdf_parse(const char *bytes, size_t len, struct doc *doc, struct err *err);

/* The resolution scanned pages are rendered at for OCR (lower when a page would be too large). */
#define PDF_SCAN_DPI 200

/*
 * Reads the tables of the scanned pages of a PDF (no text layer, an
 * image shown) with OCR (parser/imgtable.h): each such page rendered at
 * PDF_SCAN_DPI, its tables added to doc, its cells' provenance naming
 * it "page N".  0, or an error (a broken PDF, a page over OCR's limits).
 */
int pdf_read_scans(const char *bytes, size_t len, struct doc *doc, struct err *err);

#endif
