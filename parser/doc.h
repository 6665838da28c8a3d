#ifndef OGI_DOC_H
#define OGI_DOC_H
/*
 * A page reduced to what the extractor reads: its title, its text as
 * lines in reading order, and its table rows.  Produced by html_parse()
 * or text_parse(); consumed by extract.c and meta.c.
 */
#include <stddef.h>

struct doc_row {
	char **cells;		/* UTF-8, white space collapsed and trimmed */
	unsigned char *carried;	/* 1 where the cell is a copy of a rowspan cell from above */
	size_t ncells;
	int table;		/* index of the table it belongs to; -1 for text lines */
};

struct doc {
	char *title;		/* <title>, or the first line of a text; may be NULL */
	char **lines;		/* text outside tables, one block or line each, non-empty */
	size_t nlines;
	struct doc_row *rows;	/* table rows of every table, tables in document order */
	size_t nrows;
	size_t ntables;
	int from_html;
};

void doc_init(struct doc *d);
void doc_release(struct doc *d);
/* Appends a copy of s as a line (skipped when empty after trimming). */
void doc_add_line(struct doc *d, const char *s, size_t len);
/* Appends a row; takes ownership of cells and carried (both xmalloc'd). */
void doc_add_row(struct doc *d, char **cells, unsigned char *carried, size_t ncells, int table);

#endif
