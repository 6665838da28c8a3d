/*
 * parser/imgtable.c: pictures refused before they are decoded (too large,
 * truncated, broken, a bomb), and the grid found from ruling lines drawn
 * into a picture here (spans where a line is missing, a table without
 * outer border, two tables in one picture), its cells read with OCR.
 */
#include "t.h"

#include <leptonica/allheaders.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "parser/doc.h"
#include "parser/imgtable.h"
#include "util/xalloc.h"

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG of w x h whose image data is a few bytes, its chunks' CRCs right. */
static size_t png_header(unsigned char *b, uint32_t w, uint32_t h, int with_end)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t n = 0;

	memcpy(b, sig, 8);
	n = 8;
	put32(b + n, 13);
	memcpy(b + n + 4, "IHDR", 4);
	put32(b + n + 8, w);
	put32(b + n + 12, h);
	memcpy(b + n + 16, "\x08\x00\x00\x00\x00", 5);
	put32(b + n + 21, (uint32_t)crc32(0, b + n + 4, 17));
	n += 4 + 4 + 13 + 4;
	/* a deflate stream of zeros: what makes a bomb small */
	put32(b + n, 10);
	memcpy(b + n + 4, "IDAT\x78\x9c\xed\xc1\x01\x0d\x00\x00\x00\xc2", 14);
	put32(b + n + 18, (uint32_t)crc32(0, b + n + 4, 14));
	n += 4 + 4 + 10 + 4;
	if (with_end) {
		put32(b + n, 0);
		memcpy(b + n + 4, "IEND\xae\x42\x60\x82", 8);
		n += 12;
	}
	return n;
}

static void test_refused(void)
{
	unsigned char b[256];
	static const unsigned char jpeg_head[] = {
		0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
		/* SOF0: precision 8, height 600, width 800, 1 component */
		0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x02, 0x58, 0x03, 0x20, 0x01, 0x01, 0x11, 0x00,
		/* start of scan, then data cut off */
		0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34
	};
	struct doc d;
	struct err e = ERR_INIT;
	int w = 0, h = 0;
	size_t n;

	/* 100,000 pixels a side: refused from its header */
	n = png_header(b, 100000, 100000, 1);
	CHECK_INT(imgtable_check((char *)b, n, &w, &h, &e), OGI_ETOOBIG);
	CHECK(strstr(e.msg, "100000x100000") != NULL);
	/* a bomb: 8,000 x 8,000 (64 million pixels) in a few hundred bytes */
	n = png_header(b, 8000, 8000, 1);
	CHECK_INT(imgtable_check((char *)b, n, &w, &h, &e), OGI_ETOOBIG);
	/* and one long side alone */
	n = png_header(b, 30000, 10, 1);
	CHECK_INT(imgtable_check((char *)b, n, &w, &h, &e), OGI_ETOOBIG);
	/* reading refuses it the same way, doc untouched */
	doc_init(&d);
	n = png_header(b, 100000, 100000, 1);
	CHECK_INT(imgtable_read((char *)b, n, "bomb.png", &d, &e), OGI_ETOOBIG);
	CHECK(d.nrows == 0 && d.images == 0);
	doc_release(&d);
	/* a PNG without its end is truncated; a small one with it passes the header */
	n = png_header(b, 100, 50, 0);
	CHECK_INT(imgtable_check((char *)b, n, &w, &h, &e), OGI_EPARSE);
	CHECK(strstr(e.msg, "truncated") != NULL);
	n = png_header(b, 100, 50, 1);
	CHECK_INT(imgtable_check((char *)b, n, &w, &h, &e), 0);
	CHECK(w == 100 && h == 50);
	/* ... but its data does not decode: refused, not read */
	doc_init(&d);
	CHECK_INT(imgtable_read((char *)b, n, "broken.png", &d, &e), OGI_EPARSE);
	doc_release(&d);
	/* a chunk whose CRC is wrong: broken, found before libpng sees it */
	b[20]++;
	CHECK_INT(imgtable_check((char *)b, n, &w, &h, &e), OGI_EPARSE);
	CHECK(strstr(e.msg, "CRC") != NULL);
	n = png_header(b, 0, 50, 1);
	CHECK_INT(imgtable_check((char *)b, n, &w, &h, &e), OGI_EPARSE);
	/* a JPEG cut off after its frame header: truncated */
	CHECK_INT(imgtable_check((const char *)jpeg_head, sizeof(jpeg_head), &w, &h, &e),
		  OGI_EPARSE);
	CHECK(strstr(e.msg, "truncated") != NULL);
	/* a JPEG without a frame header, and no picture at all */
	CHECK_INT(imgtable_check((const char *)jpeg_head, 20, &w, &h, &e), OGI_EPARSE);
	CHECK_INT(imgtable_check("GIF89a", 6, &w, &h, &e), OGI_EPARSE);
	CHECK(!imgtable_sniff("GIF89a", 6));
	CHECK(imgtable_sniff((const char *)jpeg_head, sizeof(jpeg_head)));
}

static void hline(PIX *p, int x0, int x1, int y)
{
	pixRasterop(p, x0, y, x1 - x0 + 1, 2, PIX_SET, NULL, 0, 0);
}

static void vline(PIX *p, int x, int y0, int y1)
{
	pixRasterop(p, x, y0, 2, y1 - y0 + 1, PIX_SET, NULL, 0, 0);
}

/* Digits drawn in Leptonica's own bitmap font, black on white (8 bpp). */
static void text(PIX *gray, L_BMF *font, const char *s, int x, int y)
{
	pixSetTextline(gray, font, s, 0, x, y, NULL, NULL);
}

/* The lines drawn in bin, black on white, as a grey PNG (free with lept_free()); n its size. */
static l_uint8 *lines_png(PIX *bin, size_t *n)
{
	PIX *gray = pixConvertTo8(bin, 0);	/* set pixels black, the others white */
	l_uint8 *png = NULL;

	CHECK_INT(pixWriteMem(&png, n, gray, IFF_PNG), 0);
	pixDestroy(&gray);
	return png;
}

/* The cells of row r of table t, joined by '|', with '^' after a copy from above. */
static char *row_text(const struct doc *d, int t, int r)
{
	char *out = xstrdup("(none)");

	for (size_t i = 0; i < d->nrows; i++) {
		size_t len = 1;
		char *p;

		if (d->rows[i].table != t || d->rows[i].row != r)
			continue;
		for (size_t c = 0; c < d->rows[i].ncells; c++)
			len += strlen(d->rows[i].cells[c]) + 2;
		free(out);
		p = out = xcalloc(len, 1);
		for (size_t c = 0; c < d->rows[i].ncells; c++) {
			size_t k = strlen(d->rows[i].cells[c]);

			if (c)
				*p++ = '|';
			memcpy(p, d->rows[i].cells[c], k);
			p += k;
			if (d->rows[i].carried[c])
				*p++ = '^';
		}
		*p = '\0';
	}
	return out;
}

static void check_row(const struct doc *d, int t, int r, const char *want)
{
	char *got = row_text(d, t, r);

	CHECK_STR(got, want);
	free(got);
}

/*
 * Two tables in one picture.  The first: 4 columns x 3 rows, its top-left
 * cell spanning two rows (the line under it not drawn there), the last
 * two cells of row 2 one cell (the line between them not drawn, a number
 * across it), digits in some others.  The second: 2 x 2 without outer border.
 */
static void test_grid(void)
{
	int xs[] = { 20, 120, 220, 320, 420 }, ys[] = { 20, 80, 140, 200 };
	PIX *bin = pixCreate(480, 400, 1), *gray;
	L_BMF *font = bmfCreate(NULL, 10);
	struct doc d;
	struct err e = ERR_INIT;
	l_uint8 *png = NULL;
	size_t n = 0;

	if (!imgtable_available()) {
		CHECK(!"Tesseract with its eng and chi_sim models (make deps)");
		pixDestroy(&bin);
		bmfDestroy(&font);
		return;
	}
	for (int i = 0; i < 4; i++) {
		/* the line under row 0 not drawn under its first cell */
		hline(bin, i == 1 ? xs[1] : xs[0], xs[4], ys[i]);
	}
	for (int i = 0; i < 5; i++) {
		/* no line between the last two cells of row 2 */
		vline(bin, xs[i], ys[0], i == 3 ? ys[2] : ys[3]);
	}
	/* the second table: inner lines only */
	hline(bin, 40, 240, 320);
	vline(bin, 140, 280, 360);
	gray = pixConvertTo8(bin, 0);	/* set pixels black, the others white */
	text(gray, font, "42", 155, 60);
	text(gray, font, "7", 265, 60);
	text(gray, font, "15", 355, 60);
	text(gray, font, "305", 150, 120);
	text(gray, font, "61", 305, 180);
	text(gray, font, "3", 85, 310);
	text(gray, font, "8", 185, 350);
	CHECK_INT(pixWriteMem(&png, &n, gray, IFF_PNG), 0);
	doc_init(&d);
	CHECK_INT(imgtable_read((const char *)png, n, "grid.png", &d, &e), 0);
	CHECK_INT((int)d.ntables, 2);
	CHECK(d.from_html && d.images == 1 && d.nocr_images == 1);
	CHECK_STR(d.nocr_images ? d.ocr_images[0] : NULL, "grid.png");
	check_row(&d, 0, 0, "|42|7|15");
	check_row(&d, 0, 1, "^|305||");
	check_row(&d, 0, 2, "||61");
	check_row(&d, 0, 3, "(none)");
	check_row(&d, 1, 0, "3|");
	check_row(&d, 1, 1, "|8");
	/* each cell's box and confidence */
	for (size_t i = 0; i < d.nocr; i++) {
		const struct doc_ocr_cell *c = &d.ocr[i];

		if (c->table == 0 && c->row == 0 && c->col == 0)
			CHECK(c->row_end == 1 && c->x >= 18 && c->x <= 22 && c->w >= 96 &&
			      c->w <= 104 && c->h >= 116 && c->h <= 124 && c->conf == 100);
		if (c->table == 0 && c->row == 1 && c->col == 1)
			CHECK(c->conf >= 60);
	}
	CHECK_INT((int)d.nocr, 10 + 4);
	doc_release(&d);
	lept_free(png);
	pixDestroy(&gray);
	pixDestroy(&bin);
	bmfDestroy(&font);
}

/* The grid alone: the same rows and spans, no cell read, no Tesseract. */
static void test_grid_only(void)
{
	PIX *bin = pixCreate(300, 130, 1);
	struct doc d;
	struct err e = ERR_INIT;
	l_uint8 *png;
	size_t n = 0;

	/* 3 x 2 cells of 90 x 50, the first two of row 1 one cell */
	for (int i = 0; i < 3; i++)
		hline(bin, 10, 280, 10 + 50 * i);
	for (int i = 0; i < 4; i++)
		vline(bin, 10 + 90 * i, 10, i == 1 ? 60 : 110);
	png = lines_png(bin, &n);
	doc_init(&d);
	CHECK_INT(imgtable_read_grid((const char *)png, n, &d, &e), 0);
	CHECK_INT((int)d.ntables, 1);
	check_row(&d, 0, 0, "||");
	check_row(&d, 0, 1, "|");
	CHECK_INT((int)d.nocr, 5);
	doc_release(&d);
	lept_free(png);
	pixDestroy(&bin);
}

/*
 * A picture read on its own joins its page (doc_append): its tables
 * numbered after the page's, its cells' provenance naming the page's
 * picture, twice over for two pictures.
 */
static void test_append(void)
{
	PIX *bin = pixCreate(300, 130, 1);
	struct doc d, g;
	struct err e = ERR_INIT;
	l_uint8 *png;
	size_t n = 0, in_second = 0;
	char **cells = xcalloc(1, sizeof(*cells));

	for (int i = 0; i < 3; i++)
		hline(bin, 10, 280, 10 + 50 * i);
	for (int i = 0; i < 4; i++)
		vline(bin, 10 + 90 * i, 10, 110);
	png = lines_png(bin, &n);
	doc_init(&g);
	CHECK_INT(imgtable_read_grid((const char *)png, n, &g, &e), 0);
	doc_init(&d);
	cells[0] = xstrdup("page");
	doc_add_row(&d, cells, xcalloc(1, 1), xcalloc(1, sizeof(unsigned short)), 1, 0, 0);
	d.ntables = 1;
	doc_append(&d, &g, "http://a.test/1.png");
	doc_append(&d, &g, "http://a.test/2.png");
	CHECK_INT((int)d.ntables, 1 + 2 * (int)g.ntables);
	CHECK_INT((int)d.nrows, 1 + 2 * (int)g.nrows);
	CHECK_INT((int)d.nocr, 2 * (int)g.nocr);
	CHECK_INT((int)d.images, 2 * (int)g.images);
	CHECK_STR(d.rows[0].cells[0], "page");
	for (size_t i = 1; i < d.nrows; i++)
		CHECK_INT(d.rows[i].table, i <= g.nrows ? 1 : 2);
	for (size_t i = 0; i < d.nocr; i++) {
		const struct doc_ocr_cell *c = &d.ocr[i];
		const char *name = c->image >= 0 && (size_t)c->image < d.nocr_images
					   ? d.ocr_images[c->image] : NULL;

		CHECK_STR(name, c->table == 1 ? "http://a.test/1.png" : "http://a.test/2.png");
		in_second += c->table == 2;
	}
	CHECK_INT((int)in_second, (int)g.nocr);
	CHECK_INT((int)g.nocr, 6);
	doc_release(&d);
	doc_release(&g);
	lept_free(png);
	pixDestroy(&bin);
}

/* A picture with no ruling lines has no table: nothing read, no error. */
static void test_no_grid(void)
{
	PIX *gray = pixCreate(200, 100, 8);
	L_BMF *font = bmfCreate(NULL, 10);
	struct doc d;
	struct err e = ERR_INIT;
	l_uint8 *png = NULL;
	size_t n = 0;

	pixSetAll(gray);
	text(gray, font, "2023", 60, 60);
	CHECK_INT(pixWriteMem(&png, &n, gray, IFF_PNG), 0);
	doc_init(&d);
	CHECK_INT(imgtable_read((const char *)png, n, "text.png", &d, &e), 0);
	CHECK(d.nrows == 0 && d.ntables == 0 && d.images == 1);
	doc_release(&d);
	lept_free(png);
	pixDestroy(&gray);
	bmfDestroy(&font);
}

/* A grid of more cells than a picture may have is refused before any is read. */
static void test_too_many_cells(void)
{
	PIX *bin = pixCreate(1610, 1210, 1);
	struct doc d;
	struct err e = ERR_INIT;
	l_uint8 *png;
	size_t n = 0;

	/* 80 x 60 = 4800 cells of 20 x 20 pixels */
	for (int y = 0; y <= 60; y++)
		hline(bin, 5, 1605, 5 + 20 * y);
	for (int x = 0; x <= 80; x++)
		vline(bin, 5 + 20 * x, 5, 1205);
	png = lines_png(bin, &n);
	doc_init(&d);
	CHECK_INT(imgtable_read((const char *)png, n, "cells.png", &d, &e), OGI_ETOOBIG);
	CHECK(strstr(e.msg, "80x60 cells, over the limit") != NULL);
	CHECK(d.nrows == 0 && d.nocr == 0);
	doc_release(&d);
	lept_free(png);
	pixDestroy(&bin);
}

int main(void)
{
	RUN(test_refused);
	RUN(test_grid);
	RUN(test_grid_only);
	RUN(test_append);
	RUN(test_no_grid);
	RUN(test_too_many_cells);
	return t_done(__FILE__);
}
