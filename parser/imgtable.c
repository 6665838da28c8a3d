#include "parser/imgtable.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include <dlfcn.h>
#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "parser/number.h"
#include "parser/record.h"
#include "util/once.h"
#include "util/picture.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- the picture's header, before anything is decoded ---- */

int imgtable_sniff(const char *bytes, size_t len)
{
	return picture_type(bytes, len) != NULL;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether the last bytes (a little trailing padding allowed) hold needle: the file is whole. */
static int ends_with(const unsigned char *b, size_t len, const char *needle, size_t n)
{
	size_t from = len > 64 ? len - 64 : 0;

	for (size_t i = len >= n ? len - n + 1 : 0; i-- > from;)
		if (!memcmp(b + i, needle, n))
			return 1;
	return 0;
}

/*
 * The size in the IHDR chunk, after walking every chunk to IEND: each
 * within the file and its CRC right, so that libpng (which would print
 * its complaints) meets no broken chunk, and a file cut short is refused.
 */
static int png_size(const unsigned char *b, size_t len, uint32_t *w, uint32_t *h,
		    struct err *err)
{
	size_t i = 8;

	if (len < 33 || be32(b + 8) != 13 || memcmp(b + 12, "IHDR", 4))
		return err_set(err, OGI_EPARSE, "a broken PNG: no IHDR header");
	*w = be32(b + 16);
	*h = be32(b + 20);
	for (;;) {
		uint32_t n;

		if (len - i < 12)
			return err_set(err, OGI_EPARSE, "a truncated PNG: no IEND chunk at its end");
		n = be32(b + i);
		if (n > len - i - 12)
			return err_set(err, OGI_EPARSE, "a truncated PNG: a chunk runs past its end");
		if ((uint32_t)crc32(0, b + i + 4, n + 4) != be32(b + i + 8 + n))
			return err_set(err, OGI_EPARSE, "a broken PNG: a chunk's CRC is wrong");
		if (!memcmp(b + i + 4, "IEND", 4))
			return 0;
		i += 12 + (size_t)n;
	}
}

static int jpeg_size(const unsigned char *b, size_t len, uint32_t *w, uint32_t *h,
		     struct err *err)
{
	size_t i = 2;

	while (i + 4 <= len) {
		unsigned m;
		size_t seg;

		if (b[i] != 0xFF)
			return err_set(err, OGI_EPARSE, "a broken JPEG: no marker at byte %zu", i);
		while (i < len && b[i] == 0xFF)
			i++;
		if (i >= len)
			break;
		m = b[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;
		if (m == 0xD9 || m == 0xDA || i + 2 > len)
			break;
		seg = (size_t)b[i] << 8 | b[i + 1];
		if (seg < 2 || seg > len - i)
			break;
		/* SOF0..SOF15 but DHT, JPG and DAC: precision, height, width */
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (seg < 7)
				break;
			*h = (uint32_t)b[i + 3] << 8 | b[i + 4];
			*w = (uint32_t)b[i + 5] << 8 | b[i + 6];
			if (!ends_with(b, len, "\xFF\xD9", 2))
				return err_set(err, OGI_EPARSE,
					       "a truncated JPEG: no end-of-image marker");
			return 0;
		}
		i += seg;
	}
	return err_set(err, OGI_EPARSE, "a broken JPEG: no frame header");
}

int imgtable_check(const char *bytes, size_t len, int *w, int *h, struct err *err)
{
	const unsigned char *b = (const unsigned char *)bytes;
	uint32_t pw = 0, ph = 0;
	int ret;

	if (!imgtable_sniff(bytes, len))
		return err_set(err, OGI_EPARSE, "not a PNG or JPEG picture");
	if (len > IMG_MAX_BYTES)
		return err_set(err, OGI_ETOOBIG, "a picture of %zu bytes, over the %u MiB limit", len,
			       IMG_MAX_BYTES >> 20);
	ret = b[0] == 0x89 ? png_size(b, len, &pw, &ph, err) : jpeg_size(b, len, &pw, &ph, err);
	if (ret)
		return ret;
	if (!pw || !ph)
		return err_set(err, OGI_EPARSE, "a picture of %ux%u pixels", pw, ph);
	if (pw > IMG_MAX_SIDE || ph > IMG_MAX_SIDE || (uint64_t)pw * ph > IMG_MAX_PIXELS)
		return err_set(err, OGI_ETOOBIG,
			       "a picture of %ux%u pixels, over the limit of %d a side and %u "
			       "million in all", pw, ph, IMG_MAX_SIDE, IMG_MAX_PIXELS / 1000000);
	*w = (int)pw;
	*h = (int)ph;
	return 0;
}

/* ---- decoding: libpng's and libjpeg's errors come back as messages, never printed ---- */

/* A PNG as 32 bpp colour, transparency on white (libpng's simplified API), or NULL with err set. */
static PIX *decode_png(const char *bytes, size_t len, int w, int h, struct err *err)
{
	static const png_color white = { 255, 255, 255 };
	png_image im;
	unsigned char *rgb = NULL;
	PIX *pix = NULL;

	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&im, bytes, len)) {
		err_set(err, OGI_EPARSE, "a broken PNG: %s", im.message);
		goto out;
	}
	im.format = PNG_FORMAT_RGB;
	if ((int)im.width != w || (int)im.height != h) {
		err_set(err, OGI_EPARSE, "a broken PNG: its size changed while read");
		goto out;
	}
	rgb = xmalloc(st_mult(st_mult((size_t)w, (size_t)h), 3));
	if (!png_image_finish_read(&im, &white, rgb, 0, NULL)) {
		err_set(err, OGI_EPARSE, "a broken PNG: %s", im.message);
		goto out;
	}
	pix = pixCreate(w, h, 32);
	for (int y = 0; pix && y < h; y++) {
		l_uint32 *line = pixGetData(pix) + (size_t)y * (size_t)pixGetWpl(pix);
		const unsigned char *in = rgb + (size_t)y * (size_t)w * 3;

		for (int x = 0; x < w; x++, in += 3)
			line[x] = (l_uint32)in[0] << 24 | (l_uint32)in[1] << 16 | (l_uint32)in[2] << 8;
	}
out:
	png_image_free(&im);
	free(rgb);
	return pix;
}

static int little_endian(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

struct jpeg_fail {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
};

static void jpeg_error(j_common_ptr c)
{
	struct jpeg_fail *f = (struct jpeg_fail *)(void *)c->err;

	(*c->err->format_message)(c, f->msg);
	longjmp(f->jump, 1);
}

static void jpeg_give_up(struct jpeg_fail *f, const char *why)
{
	snprintf(f->msg, sizeof(f->msg), "%s", why);
	longjmp(f->jump, 1);
}

/* libjpeg's warnings (corrupt data) are counted, not printed: such a picture is refused. */
static void jpeg_quiet(j_common_ptr c, int level)
{
	if (level < 0)
		c->err->num_warnings++;
}

/*
 * A JPEG as 32 bpp colour, or NULL with err set; a JPEG libjpeg warns
 * about is refused.  Colour, not libjpeg's grey: Leptonica's own weights
 * make grey of it later, the same for PNG and JPEG, and they keep a grey
 * 7 on yellowed paper legible where libjpeg's luma loses it.
 */
static PIX *decode_jpeg(const char *bytes, size_t len, int w, int h, struct err *err)
{
	struct jpeg_decompress_struct ci;
	struct jpeg_fail f;
	PIX *volatile pix = NULL;
	PIX *p;

	memset(&f, 0, sizeof(f));
	ci.err = jpeg_std_error(&f.pub);
	f.pub.error_exit = jpeg_error;
	f.pub.emit_message = jpeg_quiet;
	if (setjmp(f.jump)) {
		jpeg_destroy_decompress(&ci);
		p = pix;
		pixDestroy(&p);
		err_set(err, OGI_EPARSE, "a broken JPEG: %s", f.msg);
		return NULL;
	}
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, (const unsigned char *)bytes, (unsigned long)len);
	jpeg_read_header(&ci, TRUE);
	/* Leptonica's 0xRRGGBBAA words, as bytes in memory */
	ci.out_color_space = little_endian() ? JCS_EXT_XBGR : JCS_EXT_RGBX;
	jpeg_start_decompress(&ci);
	if ((int)ci.output_width != w || (int)ci.output_height != h || ci.output_components != 4)
		jpeg_give_up(&f, "its size changed while read");
	pix = pixCreate(w, h, 32);
	if (!pix)
		jpeg_give_up(&f, "out of memory");
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW row = (JSAMPROW)(void *)(pixGetData(pix) +
						  (size_t)ci.output_scanline * (size_t)pixGetWpl(pix));

		jpeg_read_scanlines(&ci, &row, 1);
	}
	jpeg_finish_decompress(&ci);
	if (f.pub.num_warnings)
		jpeg_give_up(&f, "corrupt data");
	jpeg_destroy_decompress(&ci);
	return pix;
}

/* ---- Tesseract ---- */

/* Leptonica would print its complaints about scraped pictures; errors come back as NULL. */
static void quiet_leptonica(void)
{
	setMsgSeverity(L_SEVERITY_NONE);
}

static struct once quiet_once = ONCE_INIT;

/*
 * Tesseract's warnings (resolution, empty pages) are no business of
 * stderr.  debug_file is one of its global parameters: set once, before
 * any reader starts (setting it from each thread is a data race, as
 * ThreadSanitizer shows with two parse workers).
 */
static void quiet_tesseract(void)
{
	TessBaseAPI *api = TessBaseAPICreate();

	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	TessBaseAPIDelete(api);
}

static struct once tesseract_once = ONCE_INIT;

static TessBaseAPI *tess_open(const char *lang)
{
	TessBaseAPI *api;

	once_run(&tesseract_once, quiet_tesseract);
	api = TessBaseAPICreate();
	if (TessBaseAPIInit3(api, NULL, lang)) {
		TessBaseAPIDelete(api);
		return NULL;
	}
	return api;
}

static int available;

static void probe(void)
{
	TessBaseAPI *a = tess_open("eng"), *b = tess_open("chi_sim");

	available = a && b;
	if (a)
		TessBaseAPIDelete(a);
	if (b)
		TessBaseAPIDelete(b);
}

static struct once probe_once = ONCE_INIT;

int imgtable_available(void)
{
	once_run(&probe_once, probe);
	return available;
}

/* The two readers of one picture and its budget. */
struct reader {
	TessBaseAPI *num;	/* English, digits only, one line */
	TessBaseAPI *label;	/* Chinese, a block */
	ETEXT_DESC *mon;
	struct timespec start;
	int cells;
};

static void reader_release(struct reader *rd)
{
	if (rd->num)
		TessBaseAPIDelete(rd->num);
	if (rd->label)
		TessBaseAPIDelete(rd->label);
	if (rd->mon)
		TessMonitorDelete(rd->mon);
	memset(rd, 0, sizeof(*rd));
}

/*
 * Tesseract parallelises with OpenMP (num_threads clauses, which only
 * OMP_THREAD_LIMIT caps).  Its threads come on top of the parse workers
 * (one a core already) and spend more time in the kernel than they save
 * (five seconds of system time for three of work on one table), so its
 * parallel regions are made inactive: omp_set_max_active_levels(0).  It is
 * looked up rather than linked, as libgomp is Tesseract's dependency, not
 * ours.
 */
static void one_thread(void)
{
	void *sym = dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
	void (*set)(int);

	if (!sym)
		return;
	memcpy(&set, &sym, sizeof(set));
	set(0);
}

static int reader_init(struct reader *rd, struct err *err)
{
	memset(rd, 0, sizeof(*rd));
	one_thread();
	rd->num = tess_open("eng");
	rd->label = tess_open("chi_sim");
	if (!rd->num || !rd->label) {
		reader_release(rd);
		return err_set(err, OGI_EIO, "cannot start OCR: Tesseract's eng or chi_sim model "
			       "is missing (Debian: tesseract-ocr-eng, tesseract-ocr-chi-sim)");
	}
	TessBaseAPISetVariable(rd->num, "tessedit_char_whitelist", "0123456789.+-");
	TessBaseAPISetPageSegMode(rd->num, PSM_SINGLE_LINE);
	TessBaseAPISetPageSegMode(rd->label, PSM_SINGLE_BLOCK);
	rd->mon = TessMonitorCreate();
	clock_gettime(CLOCK_MONOTONIC, &rd->start);
	return 0;
}

static long ms_left(const struct reader *rd)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return IMG_MAX_SECONDS * 1000L - ((now.tv_sec - rd->start.tv_sec) * 1000L +
					  (now.tv_nsec - rd->start.tv_nsec) / 1000000L);
}

/* Reads pix with api: its text (xmalloc'd, white space dropped) and mean confidence. */
static int recognize(struct reader *rd, TessBaseAPI *api, PIX *pix, char **text, float *conf,
		     struct err *err)
{
	long left = ms_left(rd);
	char *t, *o;

	if (left <= 0 || ++rd->cells > IMG_MAX_CELLS)
		return err_set(err, OGI_ETOOBIG, "over the budget of %d cells or %d seconds a picture",
			       IMG_MAX_CELLS, IMG_MAX_SECONDS);
	TessMonitorSetDeadlineMSecs(rd->mon, (int)left);
	TessBaseAPISetImage2(api, pix);
	TessBaseAPISetSourceResolution(api, 300);
	if (TessBaseAPIRecognize(api, rd->mon)) {
		TessBaseAPIClear(api);
		return err_set(err, OGI_ETOOBIG, "OCR stopped: over %d seconds a picture",
			       IMG_MAX_SECONDS);
	}
	t = TessBaseAPIGetUTF8Text(api);
	*conf = (float)TessBaseAPIMeanTextConf(api);
	*text = o = xstrdup(t ? t : "");
	for (const char *p = t ? t : ""; *p; p++)
		if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
			*o++ = *p;
	*o = '\0';
	if (t)
		TessDeleteText(t);
	TessBaseAPIClear(api);
	return 0;
}

/* A number as the form writes counts, amounts and signed changes: [+-]digits[.digits]. */
static int is_number(const char *s)
{
	const char *p = s;

	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return !*p;
}

/* ---- the grid ---- */

/* A ruling line: its position (y of a horizontal line, x of a vertical) and where it is drawn. */
struct line {
	int pos;
	int whole;		/* drawn all along: a table's edge that was not printed */
	int nseg;
	int (*seg)[2];		/* from, to along the line */
};

struct lines {
	struct line *v;
	size_t n;
};

static void lines_release(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].seg);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct seg {
	int pos, from, to;
};

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void lines_add(struct lines *l, int pos, int whole)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	l->v[l->n].pos = pos;
	l->v[l->n].whole = whole;
	l->n++;
}

static void line_add_seg(struct line *ln, int from, int to)
{
	ln->seg = xreallocarray(ln->seg, (size_t)ln->nseg + 1, sizeof(*ln->seg));
	ln->seg[ln->nseg][0] = from;
	ln->seg[ln->nseg][1] = to;
	ln->nseg++;
}

/*
 * The lines among segments s[0..n) (sorted by pos): segments within gap of
 * the line's first one are the same line (a thick or slightly slanted
 * stroke, a double rule).
 */
static void group_lines(struct seg *s, size_t n, int gap, struct lines *out)
{
	qsort(s, n, sizeof(*s), seg_cmp);
	for (size_t i = 0; i < n; i++) {
		if (!out->n || s[i].pos - out->v[out->n - 1].pos > gap)
			lines_add(out, s[i].pos, 0);
		line_add_seg(&out->v[out->n - 1], s[i].from, s[i].to);
	}
}

static int covers(const struct line *ln, int at, int slack)
{
	if (ln->whole)
		return 1;
	for (int i = 0; i < ln->nseg; i++)
		if (ln->seg[i][0] - slack <= at && at <= ln->seg[i][1] + slack)
			return 1;
	return 0;
}

/* The segments of a mask of lines inside box (tx, ty, tw, th); horizontal ones when horiz. */
static size_t segments(BOXA *boxes, int horiz, int tx, int ty, int tw, int th, struct seg **out)
{
	int n = boxaGetCount(boxes);
	size_t k = 0;

	*out = xcalloc(n > 0 ? (size_t)n : 1, sizeof(**out));
	for (int i = 0; i < n; i++) {
		l_int32 x, y, w, h, cx, cy;

		if (boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h))
			continue;
		cx = x + w / 2;
		cy = y + h / 2;
		if (cx < tx || cx >= tx + tw || cy < ty || cy >= ty + th)
			continue;
		(*out)[k].pos = horiz ? cy : cx;
		(*out)[k].from = horiz ? x : y;
		(*out)[k].to = horiz ? x + w - 1 : y + h - 1;
		k++;
	}
	return k;
}

/* A table's edges that were not printed (a table without outer border) are lines all along. */
static void close_edges(struct lines *l, int lo, int hi)
{
	if (!l->n || l->v[0].pos > lo + 8) {
		lines_add(l, lo, 1);
		memmove(&l->v[1], &l->v[0], (l->n - 1) * sizeof(l->v[0]));
		memset(&l->v[0], 0, sizeof(l->v[0]));
		l->v[0].pos = lo;
		l->v[0].whole = 1;
	}
	if (l->v[l->n - 1].pos < hi - 8)
		lines_add(l, hi, 1);
}

static size_t uf_find(size_t *p, size_t i)
{
	while (p[i] != i)
		i = p[i] = p[p[i]];
	return i;
}

/* What the picture is read from: its gray levels without the lines, its ink, the readers. */
struct page {
	PIX *gray;		/* 8 bpp, lines painted white */
	PIX *ink;		/* 1 bpp, lines and specks removed */
	struct reader *rd;
	double scale;		/* the cells' enlargement for Tesseract */
	struct doc *doc;
	size_t image;
	int grid_only;		/* the grid alone: no cell read (imgtable_read_grid()) */
};

/* How a cell is read: as a number, else a label; or, again, as a number alone. */
enum cell_mode { READ_ANY, READ_NUMBER_AGAIN };

/* What a cell read as. */
struct reading {
	char *text;
	float conf;
	int number;		/* the digits reader read a number */
	int ink;		/* the cell is not empty */
};

/*
 * Reads the cell in box (x, y, w, h).  READ_ANY: a number when the digits
 * reader is sure enough it sees one, else the text of the labels reader.
 * READ_NUMBER_AGAIN: the digits reader alone, the cell as one word.  A cell
 * without ink is blank (confidence 100); ink that reads as nothing is "?",
 * never a blank.
 */
static int read_cell(struct page *pg, int x, int y, int w, int h, enum cell_mode mode,
		     struct reading *out, struct err *err)
{
	BOX *box;
	PIX *crop = NULL, *big = NULL, *pad = NULL;
	l_int32 ink = 0;
	int ret = 0, in = 2;
	char *t = NULL;
	float c = 0;

	memset(out, 0, sizeof(*out));
	if (w <= 2 * in + 2 || h <= 2 * in + 2)
		goto blank;
	box = boxCreate(x + in, y + in, w - 2 * in, h - 2 * in);
	crop = box ? pixClipRectangle(pg->ink, box, NULL) : NULL;
	if (crop)
		pixCountPixels(crop, &ink, NULL);
	pixDestroy(&crop);
	if (ink < 3) {
		boxDestroy(&box);
		goto blank;
	}
	out->ink = 1;
	crop = pixClipRectangle(pg->gray, box, NULL);
	boxDestroy(&box);
	if (!crop)
		goto unread;
	big = pg->scale > 1.01 ? pixScaleGrayLI(crop, (l_float32)pg->scale, (l_float32)pg->scale)
			       : pixClone(crop);
	pad = big ? pixAddBorder(big, 16, 255) : NULL;
	if (!pad)
		goto unread;
	if (mode == READ_NUMBER_AGAIN)
		TessBaseAPISetPageSegMode(pg->rd->num, PSM_SINGLE_WORD);
	ret = recognize(pg->rd, pg->rd->num, pad, &t, &c, err);
	if (mode == READ_NUMBER_AGAIN)
		TessBaseAPISetPageSegMode(pg->rd->num, PSM_SINGLE_LINE);
	if (ret)
		goto out;
	out->number = is_number(t) && c >= 40;
	if (!out->number && mode == READ_ANY) {
		free(t);
		t = NULL;
		ret = recognize(pg->rd, pg->rd->label, pad, &t, &c, err);
		if (ret)
			goto out;
	}
	if (!*t || (mode == READ_NUMBER_AGAIN && !out->number))
		goto unread;
	out->text = t;
	out->conf = c;
	t = NULL;
	goto out;
blank:
	out->text = xstrdup("");
	out->conf = 100;
	goto out;
unread:
	out->text = xstrdup("?");
	out->conf = 0;
out:
	free(t);
	pixDestroy(&crop);
	pixDestroy(&big);
	pixDestroy(&pad);
	return ret;
}

/* A cell of the grid: the slots it covers, rows r0..r1 and columns c0..c1. */
struct cell {
	int r0, r1, c0, c1;
	struct reading rd;
};

static void cell_box(const struct cell *ce, const struct lines *h, const struct lines *v, int *x,
		     int *y, int *w, int *hh)
{
	*x = v->v[ce->c0].pos;
	*y = h->v[ce->r0].pos;
	*w = v->v[ce->c1 + 1].pos - *x;
	*hh = h->v[ce->r1 + 1].pos - *y;
}

/*
 * The counts' columns: a grid column whose own cells (one column wide) in
 * the rows that hold numbers read as values (num_is_value(): numbers,
 * placeholders, amounts with units) more often than as labels.  A cell
 * there that read as a label is read again as a number alone, and kept
 * when the digits reader is sure of it.  Else the cell is no surer than
 * confidence 0: the extractor keeps it in its column as text that is no
 * figure (rec_count_text()), the row's other counts under their own.  Text
 * that reads as a label's piece the extractor cannot tell from one, and
 * could place the row's other counts one column off: then the whole row
 * is no surer than confidence 0.
 */
static int recheck_counts(struct page *pg, struct cell *cells, size_t ncells, size_t nr,
			  size_t nc, const struct lines *h, const struct lines *v, struct err *err)
{
	int *values = xcalloc(nc, sizeof(*values)), *labels = xcalloc(nc, sizeof(*labels));
	unsigned char *row_nums = xcalloc(nr, 1), *row_bad = xcalloc(nr, 1);
	int ret = 0;

	for (size_t k = 0; k < ncells; k++)
		if (cells[k].rd.number)
			row_nums[cells[k].r0] = 1;
	for (size_t k = 0; k < ncells; k++) {
		const struct cell *ce = &cells[k];

		if (ce->c0 != ce->c1 || !ce->rd.ink || !row_nums[ce->r0])
			continue;
		if (num_is_value(ce->rd.text))
			values[ce->c0]++;
		else
			labels[ce->c0]++;
	}
	for (size_t k = 0; k < ncells && !ret; k++) {
		struct cell *ce = &cells[k];
		struct reading again;
		int x, y, w, hh;

		if (ce->c0 != ce->c1 || !ce->rd.ink || !row_nums[ce->r0] ||
		    values[ce->c0] <= labels[ce->c0] || num_is_value(ce->rd.text))
			continue;
		cell_box(ce, h, v, &x, &y, &w, &hh);
		ret = read_cell(pg, x, y, w, hh, READ_NUMBER_AGAIN, &again, err);
		if (ret)
			break;
		if (again.number && again.conf >= 90) {
			free(ce->rd.text);
			ce->rd = again;
		} else {
			free(again.text);
			ce->rd.conf = 0;
			if (!rec_count_text(ce->rd.text, REC_COUNT_TEXT_CHARS))
				row_bad[ce->r0] = 1;
		}
	}
	for (size_t k = 0; k < ncells; k++)
		if (row_bad[cells[k].r0])
			cells[k].rd.conf = 0;
	free(values);
	free(labels);
	free(row_nums);
	free(row_bad);
	return ret;
}

/*
 * Reads one table, its lines h and v (left to right, top to bottom, edges
 * closed), into doc as table number doc->ntables.
 */
static int read_grid(struct page *pg, const struct lines *h, const struct lines *v,
		     struct err *err)
{
	size_t nr = h->n - 1, nc = v->n - 1, nslots = nr * nc, ncells = 0;
	size_t *parent = xcalloc(nslots, sizeof(*parent)), *id = xcalloc(nslots, sizeof(*id));
	struct cell *cells = NULL;
	int table = (int)pg->doc->ntables, ret = 0;

	for (size_t i = 0; i < nslots; i++)
		parent[i] = i;
	/* a line not drawn between two slots makes them one cell */
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < nc; c++) {
			int ymid = (h->v[r].pos + h->v[r + 1].pos) / 2;
			int xmid = (v->v[c].pos + v->v[c + 1].pos) / 2;

			if (c + 1 < nc && !covers(&v->v[c + 1], ymid, 3))
				parent[uf_find(parent, r * nc + c)] = uf_find(parent, r * nc + c + 1);
			if (r + 1 < nr && !covers(&h->v[r + 1], xmid, 3))
				parent[uf_find(parent, r * nc + c)] = uf_find(parent, (r + 1) * nc + c);
		}
	cells = xcalloc(nslots, sizeof(*cells));
	for (size_t i = 0; i < nslots; i++) {
		size_t root = uf_find(parent, i), r = i / nc, c = i % nc;

		if (root == i) {
			cells[ncells].r0 = cells[ncells].r1 = (int)r;
			cells[ncells].c0 = cells[ncells].c1 = (int)c;
			id[i] = ncells++;
		}
	}
	for (size_t i = 0; i < nslots; i++) {
		struct cell *ce = &cells[id[uf_find(parent, i)]];
		int r = (int)(i / nc), c = (int)(i % nc);

		id[i] = id[uf_find(parent, i)];
		if (r < ce->r0)
			ce->r0 = r;
		if (r > ce->r1)
			ce->r1 = r;
		if (c < ce->c0)
			ce->c0 = c;
		if (c > ce->c1)
			ce->c1 = c;
	}
	for (size_t k = 0, inked = 0, legible = 0; k < ncells && !ret; k++) {
		int x, y, w, hh;

		cell_box(&cells[k], h, v, &x, &y, &w, &hh);
		if (pg->grid_only) {
			cells[k].rd.text = xstrdup("");
			continue;
		}
		ret = read_cell(pg, x, y, w, hh, READ_ANY, &cells[k].rd, err);
		inked += cells[k].rd.ink;
		legible += cells[k].rd.ink && cells[k].rd.conf >= 30;
		/*
		 * A grid whose first cells hold ink but nothing legible (a
		 * picture, strokes, a scan too poor) is no table to read: its
		 * headings would have been.  Left before it costs a reading a cell.
		 */
		if (inked == IMG_ILLEGIBLE_CELLS && !legible)
			goto out;
	}
	if (!ret && !pg->grid_only)
		ret = recheck_counts(pg, cells, ncells, nr, nc, h, v, err);
	for (size_t k = 0; k < ncells && !ret; k++) {
		const struct cell *ce = &cells[k];
		struct doc_ocr_cell oc = { table, ce->r0, ce->r1, ce->c0, (int)pg->image,
					   0, 0, 0, 0, ce->rd.conf };

		cell_box(ce, h, v, &oc.x, &oc.y, &oc.w, &oc.h);
		doc_add_ocr_cell(pg->doc, &oc);
	}
	if (ret)
		goto out;
	/* rows as html.c emits them: a cell where it starts, a copy below where it spans rows */
	for (size_t r = 0; r < nr; r++) {
		char **t = xcalloc(nc, sizeof(*t));
		unsigned char *carried = xcalloc(nc, 1);
		unsigned short *cols = xcalloc(nc, sizeof(*cols));
		size_t k = 0;

		for (size_t c = 0; c < nc; c++) {
			const struct cell *ce = &cells[id[r * nc + c]];

			if (c && id[r * nc + c - 1] == id[r * nc + c])
				continue;
			t[k] = xstrdup(ce->rd.text ? ce->rd.text : "");
			carried[k] = (size_t)ce->r0 != r;
			cols[k] = (unsigned short)c;
			k++;
		}
		doc_add_row(pg->doc, t, carried, cols, k, table, (int)r);
	}
	pg->doc->ntables++;
	pg->doc->from_html = 1;	/* rows of a grid, as html.c gives them */
out:
	for (size_t k = 0; k < ncells; k++)
		free(cells[k].rd.text);
	free(cells);
	free(parent);
	free(id);
	return ret;
}

/* Neighbouring lines closer than gap are one (both edges of a thick rule). */
static void merge_close(struct lines *l, int gap)
{
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (k && l->v[i].pos - l->v[k - 1].pos < gap) {
			struct line *keep = &l->v[k - 1];

			keep->whole |= l->v[i].whole;
			for (int s = 0; s < l->v[i].nseg; s++)
				line_add_seg(keep, l->v[i].seg[s][0], l->v[i].seg[s][1]);
			free(l->v[i].seg);
			continue;
		}
		l->v[k++] = l->v[i];
	}
	l->n = k;
}

static int median_gap(const struct lines *l)
{
	int *g, m;

	if (l->n < 2)
		return 0;
	g = xcalloc(l->n - 1, sizeof(*g));
	for (size_t i = 0; i + 1 < l->n; i++)
		g[i] = l->v[i + 1].pos - l->v[i].pos;
	for (size_t i = 1; i < l->n - 1; i++)	/* a few dozen rows: insertion sort */
		for (size_t j = i; j && g[j - 1] > g[j]; j--) {
			int x = g[j];

			g[j] = g[j - 1];
			g[j - 1] = x;
		}
	m = g[(l->n - 1) / 2];
	free(g);
	return m;
}

static int read_tables(PIX *pix, const char *name, int grid_only, struct doc *doc,
		       struct err *err)
{
	PIX *gray = NULL, *straight = NULL, *bin = NULL, *hm = NULL, *vm = NULL, *both = NULL;
	PIX *fat = NULL, *ink = NULL, *bare = NULL;
	BOXA *hb = NULL, *vb = NULL, *tb = NULL;
	struct reader rd;
	struct page pg;
	char seq[64];
	int ret = 0, w, hl, vl, started = 0;

	doc->images++;
	gray = pixConvertTo8(pix, 0);
	straight = gray ? pixDeskew(gray, 0) : NULL;
	if (!straight || pixOtsuAdaptiveThreshold(straight, 4000, 4000, 0, 0, 0.1f, NULL, &bin) ||
	    !bin) {
		ret = err_set(err, OGI_EPARSE, "cannot convert picture '%s' to gray levels",
			      name ? name : "");
		goto out;
	}
	w = pixGetWidth(bin);
	/* longer than any stroke of a character, shorter than a cell's side */
	hl = w / 30 > 25 ? w / 30 : 25;
	/* no closing first: it would join the strokes of neighbouring characters */
	snprintf(seq, sizeof(seq), "o%d.1", hl);
	hm = pixMorphSequence(bin, seq, 0);
	hb = hm ? pixConnComp(hm, NULL, 8) : NULL;
	if (!hb)
		goto out;
	{
		struct seg *s = NULL;
		struct lines all = { NULL, 0 };
		size_t n = segments(hb, 1, 0, 0, w, pixGetHeight(bin), &s);
		int rowh;

		group_lines(s, n, 3, &all);
		merge_close(&all, 6);
		rowh = median_gap(&all);
		free(s);
		lines_release(&all);
		/* vertical strokes of a character are shorter than most rows are high */
		vl = rowh * 8 / 10 > 12 ? rowh * 8 / 10 : 12;
		pg.scale = rowh > 0 && rowh < 56 ? 56.0 / rowh : 1.0;
		if (pg.scale > 4)
			pg.scale = 4;
	}
	snprintf(seq, sizeof(seq), "o1.%d", vl);
	vm = pixMorphSequence(bin, seq, 0);
	vb = vm ? pixConnComp(vm, NULL, 8) : NULL;
	both = vm ? pixOr(NULL, hm, vm) : NULL;
	fat = both ? pixDilateBrick(NULL, both, 5, 5) : NULL;
	tb = fat ? pixConnComp(fat, NULL, 8) : NULL;
	if (!vb || !tb)
		goto out;
	/*
	 * The picture to read cells in: lines painted white.  Ink is whatever is
	 * darker than light grey, not Otsu's threshold: the thin anti-aliased
	 * strokes of a small "1" fall under that, and a cell must never read as
	 * blank while a digit stands in it (a digit lost in every row of a
	 * column keeps the column's sums true).  Specks of a pixel are no ink.
	 */
	if (pixSetMasked(straight, fat, 255))
		goto out;
	bare = pixThresholdToBinary(straight, 200);
	ink = bare ? pixSelectBySize(bare, 2, 2, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL) : NULL;
	if (!ink)
		goto out;
	pg.gray = straight;
	pg.ink = ink;
	pg.rd = &rd;
	pg.doc = doc;
	pg.image = doc_add_ocr_image(doc, name);
	pg.grid_only = grid_only;
	for (int t = 0; t < boxaGetCount(tb) && !ret; t++) {
		l_int32 tx, ty, tw, th;
		struct seg *s = NULL;
		struct lines h = { NULL, 0 }, v = { NULL, 0 };
		size_t n;

		if (boxaGetBoxGeometry(tb, t, &tx, &ty, &tw, &th) || tw < 40 || th < 20)
			continue;
		n = segments(hb, 1, tx, ty, tw, th, &s);
		group_lines(s, n, 3, &h);
		free(s);
		n = segments(vb, 0, tx, ty, tw, th, &s);
		group_lines(s, n, 3, &v);
		free(s);
		/* the dilation widened the box by 2 a side */
		close_edges(&h, ty + 2, ty + th - 3);
		close_edges(&v, tx + 2, tx + tw - 3);
		merge_close(&h, 6);
		merge_close(&v, 6);
		/* Tesseract's models are loaded for the first table only: a picture without costs none */
		if (h.n >= 3 && v.n >= 3 && (h.n - 1) * (v.n - 1) > IMG_MAX_CELLS)
			ret = err_set(err, OGI_ETOOBIG, "a table of %zux%zu cells, over the limit of %d",
				      v.n - 1, h.n - 1, IMG_MAX_CELLS);
		else if (h.n >= 3 && v.n >= 3 &&
			 (started || grid_only || !(ret = reader_init(&rd, err)))) {
			started = !grid_only;	/* rd holds readers to release */
			ret = read_grid(&pg, &h, &v, err);
		}
		lines_release(&h);
		lines_release(&v);
	}
out:
	if (started)
		reader_release(&rd);
	boxaDestroy(&hb);
	boxaDestroy(&vb);
	boxaDestroy(&tb);
	pixDestroy(&gray);
	pixDestroy(&straight);
	pixDestroy(&bin);
	pixDestroy(&hm);
	pixDestroy(&vm);
	pixDestroy(&both);
	pixDestroy(&fat);
	pixDestroy(&bare);
	pixDestroy(&ink);
	return ret;
}

int imgtable_read_pix(struct Pix *pix, const char *name, struct doc *doc, struct err *err)
{
	l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);

	once_run(&quiet_once, quiet_leptonica);
	if (w > IMG_MAX_SIDE || h > IMG_MAX_SIDE || (uint64_t)w * (uint64_t)h > IMG_MAX_PIXELS)
		return err_set(err, OGI_ETOOBIG, "a picture of %dx%d pixels, over the limit", w, h);
	return read_tables(pix, name, 0, doc, err);
}

static int read_bytes(const char *bytes, size_t len, const char *name, int grid_only,
		      struct doc *doc, struct err *err)
{
	PIX *pix;
	int w, h, ret;

	once_run(&quiet_once, quiet_leptonica);
	if ((ret = imgtable_check(bytes, len, &w, &h, err)))
		return ret;
	pix = bytes[0] == (char)0x89 ? decode_png(bytes, len, w, h, err)
				       : decode_jpeg(bytes, len, w, h, err);
	if (!pix)
		return err->code;
	ret = read_tables(pix, name, grid_only, doc, err);
	pixDestroy(&pix);
	return ret;
}

int imgtable_read(const char *bytes, size_t len, const char *name, struct doc *doc,
		  struct err *err)
{
	return read_bytes(bytes, len, name, 0, doc, err);
}

int imgtable_read_grid(const char *bytes, size_t len, struct doc *doc, struct err *err)
{
	return read_bytes(bytes, len, "", 1, doc, err);
}

void imgtable_provenance(const struct doc *doc, struct report *r)
{
	for (size_t i = 0; i < r->nvalues; i++) {
		struct report_value *v = &r->values[i];

		if (v->state == VAL_ABSENT || v->src.table < 0 || v->src.line)
			continue;
		for (size_t k = 0; k < doc->nocr; k++) {
			const struct doc_ocr_cell *c = &doc->ocr[k];

			if (c->table != v->src.table || c->col != v->src.col ||
			    v->src.row < c->row || v->src.row > c->row_end)
				continue;
			free(v->ocr.image);
			v->ocr.read = 1;
			v->ocr.image = xstrdup((size_t)c->image < doc->nocr_images
						       ? doc->ocr_images[c->image] : "");
			v->ocr.x = c->x;
			v->ocr.y = c->y;
			v->ocr.w = c->w;
			v->ocr.h = c->h;
			v->ocr.conf = c->conf;
			break;
		}
	}
}
