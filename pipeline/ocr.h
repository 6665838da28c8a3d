#ifndef OGI_OCR_H
#define OGI_OCR_H
/*
 * The seam for OCR: reading reports whose tables are images (a scanned
 * PDF, a page showing its tables as pictures: parse_report() says so with
 * RREASON_IMAGE).  No engine is built in yet, so ocr_available() is 0 and
 * such reports are stored as they are, status no_tables and reason image,
 * listed by `ogi report flags` as "tables are images".
 *
 * An engine goes in ocr.c: ocr_read() gets the source's bytes (the PDF, or
 * the page, whose images it would fetch or find), reads the images, and
 * returns their text laid out as lines; the pipeline then parses that
 * text like any text page (parser/texttable.c reads its tables in every
 * published layout) and keeps the result when it reads more than the
 * images did.  The pipeline calls it on its parse workers: it must touch
 * nothing shared.
 */
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* Whether an OCR engine is built in. */
int ocr_available(void);

/*
 * Reads the images of a source's bytes into text (appended to out, UTF-8
 * lines).  0, or an error with err set; without an engine always an
 * error.
 */
int ocr_read(const char *bytes, size_t len, const char *content_type, struct buf *out,
	     struct err *err);

#endif
