#ifndef OGI_IMGTABLE_H
#define OGI_IMGTABLE_H
/*
 * Tables published as pictures (a screenshot of the Word table, a scanned
 * page), read with Leptonica and Tesseract into the same grid rows as an
 * HTML table (doc_add_row), so that extract.c reads them as it reads every
 * other grid.
 *
 * The grid is found from the ruling lines alone: long horizontal and
 * vertical strokes (morphological openings), their positions, cells as the
 * boxes between them, a span wherever a line between two boxes is not
 * drawn.  Each cell is read on its own: first as a number (Tesseract's
 * English model, digits only, one line), else as a label (the Chinese
 * model).  Every cell keeps its box and Tesseract's confidence
 * (doc.ocr); imgtable_provenance() hands them to the figures read from
 * them, and check_ocr() (form/check.h) decides which the form's
 * arithmetic vouches for.
 *
 * Pictures are scraped bytes: the header is read and the size checked
 * before anything is decoded; a truncated or broken picture is refused;
 * each picture has a time and a cell budget.  Threads may read pictures at
 * the same time: each call has its own Tesseract instances.
 */
#include <stddef.h>

#include "form/report.h"
#include "parser/doc.h"
#include "util/err.h"

/* Pictures larger than these are refused before they are decoded. */
#define IMG_MAX_BYTES (32u << 20)
#define IMG_MAX_SIDE 20000
#define IMG_MAX_PIXELS (40u * 1000u * 1000u)
/* Per picture: at most this many cells read, in at most this many seconds. */
#define IMG_MAX_CELLS 3000
#define IMG_MAX_SECONDS 120
/* A grid whose first this many cells with ink read as nothing legible is left unread. */
#define IMG_ILLEGIBLE_CELLS 16

struct Pix;

/* Whether OCR can run here: Tesseract finds its English and Chinese models. */
int imgtable_available(void);

/* Whether bytes are a picture imgtable_read() takes (PNG or JPEG). */
int imgtable_sniff(const char *bytes, size_t len);

/*
 * Reads the header of a PNG or JPEG and checks it against the limits
 * above, decoding nothing: 0 with *w and *h set, or an error (OGI_ETOOBIG
 * over a limit, OGI_EPARSE for no picture, a broken header or a
 * truncated file).
 */
int imgtable_check(const char *bytes, size_t len, int *w, int *h, struct err *err);

/*
 * Reads the tables of a picture into doc: its grid rows (tables numbered
 * from doc->ntables on), the provenance of every cell (doc->ocr, the
 * picture named name in doc->ocr_images), and doc->images counted.  0 even
 * when no table is found (nothing added but the count); an error for a
 * picture refused or over its budget, doc then holding what was read
 * before.
 */
int imgtable_read(const char *bytes, size_t len, const char *name, struct doc *doc,
		  struct err *err);
/*
 * The same without reading the cells: the grid's rows with empty cells and
 * their boxes (confidence 0), Tesseract not started; for the fuzz target
 * and tests of the grid alone.
 */
int imgtable_read_grid(const char *bytes, size_t len, struct doc *doc, struct err *err);
/* The same for a picture already decoded (a rendered PDF page); pix is not freed. */
int imgtable_read_pix(struct Pix *pix, const char *name, struct doc *doc, struct err *err);

/*
 * Marks the figures of r read from OCR'd cells of doc (value.ocr and its
 * box, picture and confidence); the others are left as they are.
 */
void imgtable_provenance(const struct doc *doc, struct report *r);

#endif
