#ifndef OGI_DOC_H
#define OGI_DOC_H
/*
 * A page reduced to what the extractor reads: its title, its text as
 * lines in reading order, and its table rows.  Produced by html_parse(),
 * docx_parse() or text_parse(); consumed by extract.c and meta.c.
 */
#include <stddef.h>

struct doc_row {
	char **cells;		/* UTF-8, white space collapsed and trimmed */
	unsigned char *carried;	/* 1 where the cell is a copy of a rowspan cell from above */
	unsigned short *cols;	/* the grid column each cell starts in */
	size_t ncells;
	int table;		/* index of the table it belongs to */
	int row;		/* its row in the table's grid, from 0 */
};

/*
 * Lines of positioned text (PDF tables) keep their cells apart with this
 * byte; an empty cell between two is a blank cell of the table.
 */
#define DOC_CELL_SEP '\x1f'

/*
 * A cell of a table read from a picture by OCR (parser/imgtable.c): its
 * place in the grid (table, rows row..row_end, grid column col, as the
 * doc_row it stands in), the picture (index into doc.ocr_images), its box
 * there in pixels, and Tesseract's confidence (0-100).
 */
struct doc_ocr_cell {
	int table, row, row_end, col;
	int image;
	int x, y, w, h;
	float conf;
};

struct doc {
	/* <title>, a DOCX's report title, or the first line of a text; may be NULL */
	char *title;
	/* A CMS page's metadata (<meta name="ArticleTitle"|"ucaptitle"|"ContentSource">), or NULL. */
	char *cms_title;
	char *cms_source;
	char **lines;		/* text outside tables, one block or line each, non-empty */
	size_t nlines;
	/*
	 * Text only (NULL for HTML): per line, its 1-based number in the text
	 * and the empty lines just before it.  Flattened tables mark a blank
	 * cell with an extra empty line.
	 */
	int *linenos;
	int *gaps;
	struct doc_row *rows;	/* table rows of every table, tables in document order */
	size_t nrows;
	size_t ntables;
	int from_html;		/* rows are a grid (HTML or DOCX): table, row and grid columns */
	unsigned images;	/* pages or tables shown only as images (no text to read) */
	/* cells read by OCR, and the names of the pictures they were read in ("page 2", a URL) */
	struct doc_ocr_cell *ocr;
	size_t nocr;
	char **ocr_images;
	size_t nocr_images;
	/*
	 * HTML: the src of each image that shows content (counted in images), as
	 * written, in document order; at most DOC_MAX_PICTURES (a page of 500
	 * <img> has its first 16 fetched and read, not 500).
	 */
	char **pictures;
	size_t npictures;
};

#define DOC_MAX_PICTURES 16

void doc_init(struct doc *d);
void doc_release(struct doc *d);
/* Appends a copy of s as a line (skipped when empty after trimming); returns whether it did. */
int doc_add_line(struct doc *d, const char *s, size_t len);
/* Numbers the lines 1.. with no empty lines between (text a reader made, not a file). */
void doc_number_lines(struct doc *d);
/* Appends a row of grid row `row` of table `table`; takes cells, carried and cols (xmalloc'd). */
/* Appends a copy of cell c's provenance; returns the index of a copy of name in ocr_images. */
void doc_add_ocr_cell(struct doc *d, const struct doc_ocr_cell *c);
size_t doc_add_ocr_image(struct doc *d, const char *name);
/*
 * Appends copies of g's table rows and OCR'd cells to d, g's tables
 * numbered after d's, and adds g's image count: a picture read on its own
 * (parse_picture_read()) joins the page it is part of.  g's pictures are
 * named name in d, or as in g when NULL.  Lines are not copied.
 */
void doc_append(struct doc *d, const struct doc *g, const char *name);
/* Appends a copy of src to d->pictures unless DOC_MAX_PICTURES are there already. */
void doc_add_picture(struct doc *d, const char *src);
void doc_add_row(struct doc *d, char **cells, unsigned char *carried, unsigned short *cols,
		 size_t ncells, int table, int row);

#endif
