#ifndef OGI_PARSE_H
#define OGI_PARSE_H
/*
 * The parser's front door: a page's raw bytes to a struct report.  Knows
 * nothing of HTTP or SQLite.  Threads may parse pages at the same time:
 * the built-in patterns are compiled once for all, and each thread
 * matches with its own match data (util/re.h).
 */
#include <stddef.h>

#include "form/report.h"
#include "util/err.h"

/* Bumped whenever extraction changes what it reads; `ogi reparse` redoes older reports. */
#define PARSER_VERSION 5

/* Pages larger than this are refused rather than parsed. */
#define PARSE_MAX_BYTES (64u << 20)

struct doc;

/*
 * A picture of a page's tables, fetched: its bytes and its name (the URL)
 * for provenance; or its grid read already (parse_picture_read()), then
 * its bytes are not looked at.
 */
struct parse_picture {
	const char *bytes;
	size_t len;
	const char *name;
	const struct doc *grid;		/* or NULL */
};

struct parse_input {
	const char *bytes;
	size_t len;
	const char *location;		/* URL or path, for messages; may be NULL */
	const char *content_type;	/* HTTP Content-Type, may be NULL */
	/* Overrides from the command line (ingest --org ...): win over the page; NULL to infer. */
	const char *organization;
	const char *level;
	const char *parent;
	/*
	 * The publisher from a crawl seed: stored as the report's publisher, and
	 * its body only when the page names none (a county's column lists its
	 * townships' reports, each the report of the body it names).
	 */
	const char *publisher;
	const char *publisher_level;
	const char *publisher_parent;
	/*
	 * The text of the link that led to the file (a crawl's attachment), or
	 * its file name: a file with no text of its own (a scanned PDF) names
	 * its body and year there only.  May be NULL.
	 */
	const char *link_text;
	/*
	 * Read tables shown as pictures with OCR (parser/imgtable.h): a PNG or
	 * JPEG file, the scanned pages of a PDF, when imgtable_available()
	 * (Tesseract's models are loaded only then, on the first picture).
	 * Without: such a report is RS_NO_TABLES with reason RREASON_IMAGE, and
	 * a picture file is refused.
	 */
	int ocr;
	/*
	 * An HTML page's pictures (report.pictures, fetched), read with OCR after
	 * its text, in this order, as one document with it: a table split over
	 * two pictures is one table, as over two scanned pages.  Only with ocr;
	 * a picture given as bytes is read only where imgtable_available(), and
	 * one refused (imgtable_check()) or over its budget gives what was read
	 * of it before, nothing else.
	 */
	const struct parse_picture *pictures;
	size_t npictures;
};

/*
 * Fills r (initialised by the caller) from the page.  Returns 0 with a
 * report whose status says how much was read, or an error for input that
 * is no report at all (empty, binary, over the size limit); r is then
 * released.  A report whose tables are images is RS_NO_TABLES with reason
 * RREASON_IMAGE: a PDF without a text layer (a scan, which is taken as a
 * report whatever it names: nothing else could be read), or a page with
 * report evidence, no table and images in its body (html.c says which
 * images show content; r->pictures lists them).
 */
int parse_report(const struct parse_input *in, struct report *r, struct err *err);

/*
 * Reads a picture (PNG, JPEG) of a page's tables into grid (initialised by
 * the caller), as parse_report() reads in->pictures: the header checked
 * first, then its grids and cells, named name.  0, or an error: no OCR
 * here, the picture refused or over its budget (grid then holds what was
 * read).  Threads may read pictures at the same time.
 */
int parse_picture_read(const char *bytes, size_t len, const char *name, struct doc *grid,
		       struct err *err);

#endif
