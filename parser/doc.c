#include "parser/doc.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

void doc_init(struct doc *d)
{
	memset(d, 0, sizeof(*d));
}

void doc_release(struct doc *d)
{
	for (size_t i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->lines);
	free(d->linenos);
	free(d->gaps);
	for (size_t i = 0; i < d->nrows; i++) {
		for (size_t c = 0; c < d->rows[i].ncells; c++)
			free(d->rows[i].cells[c]);
		free(d->rows[i].cells);
		free(d->rows[i].carried);
		free(d->rows[i].cols);
	}
	free(d->rows);
	free(d->title);
	free(d->cms_title);
	free(d->cms_source);
	free(d->ocr);
	for (size_t i = 0; i < d->nocr_images; i++)
		free(d->ocr_images[i]);
	free(d->ocr_images);
	for (size_t i = 0; i < d->npictures; i++)
		free(d->pictures[i]);
	free(d->pictures);
	doc_init(d);
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int doc_add_line(struct doc *d, const char *s, size_t len)
{
	while (len && is_space((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && is_space((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return 0;
	/* Lines are appended one at a time; grow geometrically via the count's power of two. */
	if (!(d->nlines & (d->nlines - 1)) || !d->nlines)
		d->lines = xreallocarray(d->lines, d->nlines ? st_mult(d->nlines, 2) : 1,
					 sizeof(*d->lines));
	d->lines[d->nlines++] = xstrndup(s, len);
	return 1;
}

void doc_add_row(struct doc *d, char **cells, unsigned char *carried, unsigned short *cols,
		 size_t ncells, int table, int row)
{
	if (!(d->nrows & (d->nrows - 1)) || !d->nrows)
		d->rows = xreallocarray(d->rows, d->nrows ? st_mult(d->nrows, 2) : 1,
					sizeof(*d->rows));
	d->rows[d->nrows].cells = cells;
	d->rows[d->nrows].carried = carried;
	d->rows[d->nrows].cols = cols;
	d->rows[d->nrows].row = row;
	d->rows[d->nrows].ncells = ncells;
	d->rows[d->nrows].table = table;
	d->nrows++;
}

void doc_number_lines(struct doc *d)
{
	free(d->linenos);
	free(d->gaps);
	d->linenos = xcalloc(d->nlines ? d->nlines : 1, sizeof(*d->linenos));
	d->gaps = xcalloc(d->nlines ? d->nlines : 1, sizeof(*d->gaps));
	for (size_t i = 0; i < d->nlines; i++)
		d->linenos[i] = (int)i + 1;
}

void doc_add_ocr_cell(struct doc *d, const struct doc_ocr_cell *c)
{
	if (!(d->nocr & (d->nocr - 1)) || !d->nocr)
		d->ocr = xreallocarray(d->ocr, d->nocr ? st_mult(d->nocr, 2) : 1, sizeof(*d->ocr));
	d->ocr[d->nocr++] = *c;
}

size_t doc_add_ocr_image(struct doc *d, const char *name)
{
	d->ocr_images = xreallocarray(d->ocr_images, st_add(d->nocr_images, 1),
				      sizeof(*d->ocr_images));
	d->ocr_images[d->nocr_images] = xstrdup(name ? name : "");
	return d->nocr_images++;
}

void doc_append(struct doc *d, const struct doc *g, const char *name)
{
	int base = (int)d->ntables;
	size_t *images = xcalloc(g->nocr_images ? g->nocr_images : 1, sizeof(*images));

	for (size_t i = 0; i < g->nocr_images; i++)
		images[i] = doc_add_ocr_image(d, name ? name : g->ocr_images[i]);
	for (size_t i = 0; i < g->nrows; i++) {
		const struct doc_row *r = &g->rows[i];
		char **cells = xcalloc(r->ncells ? r->ncells : 1, sizeof(*cells));
		unsigned char *carried = xcalloc(r->ncells ? r->ncells : 1, sizeof(*carried));
		unsigned short *cols = xcalloc(r->ncells ? r->ncells : 1, sizeof(*cols));

		for (size_t c = 0; c < r->ncells; c++) {
			cells[c] = xstrdup(r->cells[c]);
			carried[c] = r->carried ? r->carried[c] : 0;
			cols[c] = r->cols ? r->cols[c] : (unsigned short)c;
		}
		doc_add_row(d, cells, carried, cols, r->ncells, base + r->table, r->row);
	}
	for (size_t i = 0; i < g->nocr; i++) {
		struct doc_ocr_cell c = g->ocr[i];

		c.table += base;
		c.image = c.image >= 0 && (size_t)c.image < g->nocr_images ? (int)images[c.image] : -1;
		doc_add_ocr_cell(d, &c);
	}
	d->ntables += g->ntables;
	d->images += g->images;
	free(images);
}

void doc_add_picture(struct doc *d, const char *src)
{
	if (d->npictures >= DOC_MAX_PICTURES)
		return;
	if (!d->pictures)
		d->pictures = xcalloc(DOC_MAX_PICTURES, sizeof(*d->pictures));
	d->pictures[d->npictures++] = xstrdup(src);
}
