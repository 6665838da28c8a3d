#include "parser/docx.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "parser/coll.h"
#include "util/buf.h"
#include "util/once.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DOCX_CORE "docProps/core.xml"
#define DOCX_LAYOUT_TEXT 450	/* bytes: a longer paragraph in a table is no cell of a form */
#define DOCX_CORE_NODES 100000

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define DC_NS "http://purl.org/dc/elements/1.1/"

/*
 * Part 1: the ZIP directory, read by hand before libzip sees the file.
 * libzip sizes its tables from the end-of-central-directory record, so a
 * record that claims millions of entries is refused here first.
 */
#define LFH_LEN 30	/* local file header, up to its name */
#define CDH_LEN 46	/* central directory header, up to its name */
#define EOCD_LEN 22	/* end of central directory record, without its comment */
#define EOCD64_LEN 56
#define EOCD64_LOC_LEN 20

/* The first needle[0..m) in s[0..n), or NULL (memmem is a GNU extension). */
static const void *find(const void *s, size_t n, const char *needle, size_t m)
{
	const unsigned char *p = s, *end = p + n;

	while (m && (size_t)(end - p) >= m) {
		const unsigned char *q = memchr(p, needle[0], (size_t)(end - p) - m + 1);

		if (!q)
			return NULL;
		if (!memcmp(q, needle, m))
			return q;
		p = q + 1;
	}
	return NULL;
}

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Where the tail that may hold the end record starts: it is followed by at most a 64 KiB comment. */
static size_t tail_start(size_t len)
{
	return len > EOCD_LEN + 0xFFFF ? len - EOCD_LEN - 0xFFFF : 0;
}

/*
 * The entries the end record at pos (and its ZIP64 record, when it defers
 * to one) claims; UINT64_MAX when a ZIP64 record it points to is not there.
 */
static uint64_t eocd_entries(const unsigned char *b, size_t len, size_t pos)
{
	uint64_t n = rd16(b + pos + 10), off;

	if (n != 0xFFFF && rd32(b + pos + 16) != 0xFFFFFFFFu)
		return n;
	if (pos < EOCD64_LOC_LEN || memcmp(b + pos - EOCD64_LOC_LEN, "PK\6\7", 4))
		return n;
	off = rd64(b + pos - EOCD64_LOC_LEN + 8);
	if (off > len || len - off < EOCD64_LEN || memcmp(b + off, "PK\6\6", 4))
		return UINT64_MAX;
	return rd64(b + off + 32);
}

/*
 * Whether no end record in the tail claims more than DOCX_MAX_ENTRIES and
 * the file holds no more central directory headers than that (every entry
 * libzip reads starts with one, whatever record it settles on).
 */
static int entries_bounded(const unsigned char *b, size_t len)
{
	size_t count = 0;

	if (len < EOCD_LEN)
		return 1;
	for (size_t pos = tail_start(len); pos + EOCD_LEN <= len; pos++)
		if (b[pos] == 'P' && !memcmp(b + pos, "PK\5\6", 4) &&
		    eocd_entries(b, len, pos) > DOCX_MAX_ENTRIES)
			return 0;
	for (const unsigned char *p = b; (p = find(p, len - (size_t)(p - b), "PK\1\2", 4)); p += 4)
		if (++count > DOCX_MAX_ENTRIES)
			return 0;
	return 1;
}

static int is_part_name(const unsigned char *name, size_t n)
{
	return n == strlen(DOCX_PART) && !strncasecmp((const char *)name, DOCX_PART, n);
}

/* Whether the last well-placed end record's central directory lists word/document.xml. */
static int directory_lists_part(const unsigned char *b, size_t len)
{
	for (size_t pos = len >= EOCD_LEN ? len - EOCD_LEN + 1 : 0; pos-- > tail_start(len);) {
		size_t off, end, n;

		if (b[pos] != 'P' || memcmp(b + pos, "PK\5\6", 4))
			continue;
		off = rd32(b + pos + 16);
		end = off + (size_t)rd32(b + pos + 12);
		if (off > pos || end > pos || end < off)
			continue;
		n = rd16(b + pos + 10);
		for (size_t i = 0; i < n && i < DOCX_MAX_ENTRIES && off + CDH_LEN <= end; i++) {
			size_t name = rd16(b + off + 28);

			if (memcmp(b + off, "PK\1\2", 4) || off + CDH_LEN + name > end)
				break;
			if (is_part_name(b + off + CDH_LEN, name))
				return 1;
			off += CDH_LEN + name + rd16(b + off + 30) + rd16(b + off + 32);
		}
		return 0;
	}
	return 0;
}

/* Whether a local file header names word/document.xml (the directory may be cut off). */
static int local_header_names_part(const unsigned char *b, size_t len)
{
	size_t n = strlen(DOCX_PART);

	for (const unsigned char *p = b + LFH_LEN; (size_t)(p - b) < len;) {
		const unsigned char *hit = find(p, len - (size_t)(p - b), DOCX_PART, n);

		if (!hit)
			return 0;
		if (!memcmp(hit - LFH_LEN, "PK\3\4", 4) && rd16(hit - 4) == n)
			return 1;
		p = hit + 1;
	}
	return 0;
}

int docx_sniff(const char *bytes, size_t len)
{
	const unsigned char *b = (const unsigned char *)bytes;

	if (len < LFH_LEN || memcmp(b, "PK\3\4", 4))
		return 0;
	return directory_lists_part(b, len) || local_header_names_part(b, len);
}

/* Part 2: the parts, inflated by libzip within the limits. */

/* What a libzip error means to someone holding the file. */
static const char *zip_problem(int code)
{
	switch (code) {
	case ZIP_ER_NOZIP:
		return "not a complete ZIP archive (truncated or damaged)";
	case ZIP_ER_INCONS:
	case ZIP_ER_EOF:
		return "a damaged ZIP archive";
	case ZIP_ER_CRC:
	case ZIP_ER_COMPRESSED_DATA:
	case ZIP_ER_ZLIB:
		return "a damaged ZIP archive (its data does not inflate)";
	case ZIP_ER_MULTIDISK:
		return "a ZIP archive split over several files";
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD:
	case ZIP_ER_ENCRNOTSUPP:
		return "an encrypted (password-protected) ZIP archive";
	case ZIP_ER_COMPNOTSUPP:
		return "a ZIP archive compressed with a method libzip does not read";
	default:
		return NULL;
	}
}

/* An error from libzip, about the archive (part NULL) or one of its parts. */
static int zip_fail(struct err *err, const char *part, zip_error_t *ze)
{
	const char *p = zip_problem(zip_error_code_zip(ze));

	if (p && part)
		return err_set(err, OGI_EPARSE, "a Word document (DOCX) whose %s cannot be read: %s",
			       part, p);
	if (p)
		return err_set(err, OGI_EPARSE, "a Word document (DOCX) that is %s", p);
	return err_set(err, OGI_EPARSE, "a Word document (DOCX) whose %s cannot be read: %s",
		       part ? part : "ZIP", zip_error_strerror(ze));
}

/*
 * Inflates part name of za into *out (NUL-terminated, caller frees), its
 * length in *outlen, within cap and what is left of *budget.  A missing
 * part is an error when required, else *out stays NULL.  The sizes the
 * directory declares are checked before inflating and held to while
 * inflating, since a directory can lie.
 */
static int read_part(zip_t *za, const char *name, size_t cap, size_t *budget, int required,
		     char **out, size_t *outlen, struct err *err)
{
	zip_int64_t idx = zip_name_locate(za, name, ZIP_FL_NOCASE);
	zip_stat_t st;
	zip_file_t *zf = NULL;
	char *data = NULL;
	size_t size, got = 0;
	int ret = 0;

	*out = NULL;
	*outlen = 0;
	if (idx < 0) {
		if (required)
			ret = err_set(err, OGI_EPARSE,
				      "a ZIP archive without %s, not a Word document (DOCX)", name);
		goto out;
	}
	zip_stat_init(&st);
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st)) {
		ret = zip_fail(err, name, zip_get_error(za));
		goto out;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		ret = err_set(err, OGI_EPARSE,
			      "a Word document (DOCX) whose %s is encrypted (password-protected)",
			      name);
		goto out;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		ret = err_set(err, OGI_EPARSE,
			      "a Word document (DOCX) whose directory gives no size for %s", name);
		goto out;
	}
	if (st.size > cap || st.size > *budget) {
		ret = err_set(err, OGI_ETOOBIG,
			      "a Word document (DOCX) whose %s inflates to %llu bytes, over the "
			      "%zu MiB limit", name, (unsigned long long)st.size,
			      (cap < *budget ? cap : *budget) >> 20);
		goto out;
	}
	size = (size_t)st.size;
	if (size > DOCX_RATIO_FLOOR && size / DOCX_MAX_RATIO > st.comp_size) {
		ret = err_set(err, OGI_ETOOBIG,
			      "a Word document (DOCX) whose %s inflates %llu bytes to %zu, over "
			      "%d times (a ZIP bomb)", name, (unsigned long long)st.comp_size, size,
			      DOCX_MAX_RATIO);
		goto out;
	}
	zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (!zf) {
		ret = zip_fail(err, name, zip_get_error(za));
		goto out;
	}
	data = xmalloc(st_add(size, 1));
	for (;;) {
		char extra;
		zip_int64_t n = got < size ? zip_fread(zf, data + got, size - got)
					   : zip_fread(zf, &extra, 1);

		if (n < 0) {
			ret = zip_fail(err, name, zip_file_get_error(zf));
			goto out;
		}
		if (!n)
			break;
		if (got >= size) {
			ret = err_set(err, OGI_ETOOBIG,
				      "a Word document (DOCX) whose %s inflates past the %zu bytes "
				      "its directory declares", name, size);
			goto out;
		}
		got += (size_t)n;
	}
	if (got != size) {
		ret = err_set(err, OGI_EPARSE,
			      "a Word document (DOCX) whose %s is shorter than its directory says "
			      "(%zu of %zu bytes)", name, got, size);
		goto out;
	}
	data[got] = '\0';
	*budget -= got;
	*out = data;
	*outlen = got;
	data = NULL;
out:
	if (zf)
		zip_fclose(zf);
	free(data);
	return ret;
}

/*
 * Part 3: the XML, with libxml2's streaming reader: memory stays bounded
 * by the depth of the document, not its size.
 */
static struct once xml_ready = ONCE_INIT;

/* libxml2 wants its global state set up once, before threads use it. */
static void init_xml(void)
{
	xmlInitParser();
}

enum prolog { PROLOG_OK, PROLOG_DOCTYPE, PROLOG_NOT_XML };

/*
 * Whether the XML declaration, comments and processing instructions before
 * the root element are all there is: a DOCTYPE (the only way to declare
 * entities) is refused before libxml2 reads it.  The bytes must start as
 * UTF-8 does, since the parser is told the document is UTF-8.
 */
static enum prolog check_prolog(const char *s, size_t n)
{
	size_t i = n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;

	for (;;) {
		const char *end;

		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
			i++;
		if (i >= n || s[i] != '<')
			return PROLOG_NOT_XML;
		if (i + 1 < n && s[i + 1] == '?') {
			end = find(s + i + 2, n - i - 2, "?>", 2);
			if (!end)
				return PROLOG_NOT_XML;
			i = (size_t)(end - s) + 2;
		} else if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			end = find(s + i + 4, n - i - 4, "-->", 3);
			if (!end)
				return PROLOG_NOT_XML;
			i = (size_t)(end - s) + 3;
		} else if (i + 1 < n && s[i + 1] == '!') {
			return PROLOG_DOCTYPE;
		} else {
			return PROLOG_OK;
		}
	}
}

enum merge { MERGE_NONE, MERGE_RESTART, MERGE_CONTINUE };

struct tcell {
	char *text;
	unsigned span;		/* grid columns, from w:gridSpan */
	unsigned char vmerge;	/* enum merge */
	unsigned char hmerge;
	size_t row;		/* the table row it stands in */
};

struct trow {
	size_t first, n;	/* its cells in the table's list */
	unsigned before;	/* w:gridBefore: empty grid columns before its first cell */
};

/* A table being read: its rows and cells until it ends and is laid out on a grid. */
struct dtable {
	int index;
	struct tcell *cells;
	size_t ncells, acells;
	struct trow *rows;
	size_t nrows, arows;
	int in_row, in_cell;
	struct coll cell;	/* the open cell's text */
	struct coll para;	/* the open paragraph in it, a line if the table lays the page out */
	char **lines;
	size_t nlines, alines;
	int layout;
};

/* A finished table's grid rows, added to the doc in table order at the end. */
struct grid {
	struct doc_row *rows;
	size_t n, alloc;
};

struct docx_ctx {
	struct doc *doc;
	xmlTextReaderPtr rd;
	struct dtable *st;	/* open tables, innermost last */
	size_t sp, alloc;
	struct grid *grids;	/* by table index */
	size_t ntables, agrids, ncells;
	struct coll line;	/* the open paragraph outside tables */
	int in_t;		/* inside a w:t, whose text is the document's */
	char xml_error[200];	/* libxml2's first error, for the message */
	int xml_line;
};

static void save_xml_error(void *arg, xmlErrorPtr e)
{
	struct docx_ctx *x = arg;
	size_t n;

	if (!e || x->xml_error[0] || e->level < XML_ERR_ERROR)
		return;
	snprintf(x->xml_error, sizeof(x->xml_error), "%s", e->message ? e->message : "error");
	n = strlen(x->xml_error);
	while (n && (x->xml_error[n - 1] == '\n' || x->xml_error[n - 1] == ' '))
		x->xml_error[--n] = '\0';
	x->xml_line = e->line;
}

static struct dtable *top(struct docx_ctx *x)
{
	return x->sp ? &x->st[x->sp - 1] : NULL;
}

static void add_text(struct docx_ctx *x, const char *s, size_t n)
{
	struct dtable *t = top(x);

	if (!t) {
		coll_add(&x->line, s, n);
	} else if (t->in_cell) {
		coll_add(&t->cell, s, n);
		coll_add(&t->para, s, n);
	}
}

static void add_space(struct docx_ctx *x)
{
	struct dtable *t = top(x);

	if (!t) {
		x->line.space = 1;
	} else if (t->in_cell) {
		t->cell.space = 1;
		t->para.space = 1;
	}
}

static void flush_line(struct docx_ctx *x)
{
	if (x->line.b.len)
		doc_add_line(x->doc, x->line.b.ptr, x->line.b.len);
	coll_reset(&x->line);
}

static void table_line(struct dtable *t, char *s)
{
	if (!*s) {
		free(s);
		return;
	}
	if (strlen(s) > DOCX_LAYOUT_TEXT)
		t->layout = 1;
	ALLOC_GROW(t->lines, t->nlines + 1, t->alines);
	t->lines[t->nlines++] = s;
}

/* The end of a paragraph, or a line break in one. */
static void end_line(struct docx_ctx *x)
{
	struct dtable *t = top(x);

	if (!t) {
		flush_line(x);
	} else if (t->in_cell) {
		t->cell.brk = 1;
		table_line(t, coll_take(&t->para));
	}
}

static void close_cell(struct dtable *t)
{
	if (!t->in_cell)
		return;
	table_line(t, coll_take(&t->para));
	t->cells[t->ncells - 1].text = coll_take(&t->cell);
	t->in_cell = 0;
}

static void close_row(struct dtable *t)
{
	close_cell(t);
	t->in_row = 0;
}

/* Starts a row; 0 when the table has all the rows it may have. */
static int open_row(struct dtable *t)
{
	close_row(t);
	if (t->nrows >= DOCX_MAX_ROWS)
		return 0;
	ALLOC_GROW(t->rows, t->nrows + 1, t->arows);
	t->rows[t->nrows].first = t->ncells;
	t->rows[t->nrows].n = 0;
	t->rows[t->nrows].before = 0;
	t->nrows++;
	t->in_row = 1;
	return 1;
}

/* Starts a cell (and a row, when the markup left it out); 0 when it is to be skipped. */
static int open_cell(struct docx_ctx *x, struct dtable *t)
{
	struct trow *r;
	struct tcell *c;

	close_cell(t);
	if (!t->in_row && !open_row(t))
		return 0;
	r = &t->rows[t->nrows - 1];
	if (r->n >= DOCX_MAX_COLS || x->ncells >= DOCX_MAX_CELLS)
		return 0;
	ALLOC_GROW(t->cells, t->ncells + 1, t->acells);
	c = &t->cells[t->ncells++];
	c->text = NULL;
	c->span = 1;
	c->vmerge = c->hmerge = MERGE_NONE;
	c->row = t->nrows - 1;
	r->n++;
	x->ncells++;
	t->in_cell = 1;
	return 1;
}

/*
 * Lays a finished table out on a grid and keeps a doc_row per grid row
 * that has cells.  A continued w:vMerge cell takes the id of the cell
 * above when that cell starts in the same grid column (else it stands
 * alone, as Word shows it); a continued w:hMerge cell widens its left
 * neighbour.  Every slot is written once, left to right.
 */
static void lay_out(struct docx_ctx *x, struct dtable *t)
{
	struct grid *g = &x->grids[t->index];
	size_t width = 0;
	uint32_t *slot;

	for (size_t y = 0; y < t->nrows; y++) {
		size_t w = t->rows[y].before;

		for (size_t i = 0; i < t->rows[y].n && w < DOCX_MAX_COLS; i++)
			w += t->cells[t->rows[y].first + i].span;
		if (w > DOCX_MAX_COLS)
			w = DOCX_MAX_COLS;
		if (w > width)
			width = w;
	}
	if (!width)
		return;
	slot = xcalloc(st_mult(t->nrows, width), sizeof(*slot));
	for (size_t y = 0; y < t->nrows; y++) {
		const struct trow *r = &t->rows[y];
		uint32_t *s = &slot[y * width], *above = y ? &slot[(y - 1) * width] : NULL;
		size_t cx = r->before < width ? r->before : width;

		for (size_t i = 0; i < r->n && cx < width; i++) {
			const struct tcell *c = &t->cells[r->first + i];
			size_t cs = c->span < width - cx ? c->span : width - cx;
			uint32_t id = (uint32_t)(r->first + i + 1);	/* cells < DOCX_MAX_CELLS */

			if (c->hmerge == MERGE_CONTINUE && cx && s[cx - 1])
				id = s[cx - 1];
			else if (c->vmerge == MERGE_CONTINUE && above && above[cx] &&
				 (!cx || above[cx - 1] != above[cx]))
				id = above[cx];
			for (size_t dx = 0; dx < cs; dx++)
				s[cx + dx] = id;
			cx += cs;
		}
	}
	for (size_t y = 0; y < t->nrows; y++) {
		const uint32_t *s = &slot[y * width];
		char **v = xcalloc(width, sizeof(*v));
		unsigned char *carried = xcalloc(width, 1);
		unsigned short *cols = xcalloc(width, sizeof(*cols));
		size_t k = 0;

		for (size_t cx = 0; cx < width; cx++) {
			const struct tcell *c;

			if (!s[cx] || (cx && s[cx - 1] == s[cx]))
				continue;
			c = &t->cells[s[cx] - 1];
			v[k] = xstrdup(c->text ? c->text : "");
			carried[k] = c->row != y;
			cols[k] = (unsigned short)cx;	/* < DOCX_MAX_COLS */
			k++;
		}
		if (!k) {
			free(v);
			free(carried);
			free(cols);
			continue;
		}
		ALLOC_GROW(g->rows, g->n + 1, g->alloc);
		g->rows[g->n].cells = v;
		g->rows[g->n].carried = carried;
		g->rows[g->n].cols = cols;
		g->rows[g->n].ncells = k;
		g->rows[g->n].table = t->index;
		g->rows[g->n].row = (int)y;
		g->n++;
	}
	free(slot);
}

static void table_release(struct dtable *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->rows);
	for (size_t i = 0; i < t->nlines; i++)
		free(t->lines[i]);
	free(t->lines);
	coll_release(&t->cell);
	coll_release(&t->para);
}

/* Starts a table; 0 when it is to be skipped (too deep, too many). */
static int open_table(struct docx_ctx *x)
{
	struct dtable *parent = top(x), *t;

	if (x->sp >= DOCX_MAX_DEPTH || x->ntables >= DOCX_MAX_TABLES)
		return 0;
	if (parent) {
		if (!parent->in_cell)
			return 0;	/* a table between rows: no cell to stand in */
		parent->layout = 1;
		parent->cell.brk = 1;
	} else {
		flush_line(x);
	}
	ALLOC_GROW(x->st, x->sp + 1, x->alloc);
	t = &x->st[x->sp++];
	memset(t, 0, sizeof(*t));
	coll_init(&t->cell, DOCX_MAX_XML);
	coll_init(&t->para, DOCX_MAX_XML);
	t->index = (int)x->ntables++;
	ALLOC_GROW(x->grids, x->ntables, x->agrids);
	memset(&x->grids[t->index], 0, sizeof(*x->grids));
	return 1;
}

/* Ends the innermost table: its grid kept; its lines to its parent when it lays the page out. */
static void close_table(struct docx_ctx *x)
{
	struct dtable *t = top(x), *parent;

	if (!t)
		return;
	close_row(t);
	lay_out(x, t);
	parent = x->sp > 1 ? &x->st[x->sp - 2] : NULL;
	if (t->layout) {
		for (size_t i = 0; i < t->nlines; i++) {
			if (parent) {
				table_line(parent, t->lines[i]);
			} else {
				doc_add_line(x->doc, t->lines[i], strlen(t->lines[i]));
				free(t->lines[i]);
			}
		}
		t->nlines = 0;
	}
	if (parent)
		parent->cell.brk = 1;
	table_release(t);
	x->sp--;
}

static int is_w(const xmlChar *ns)
{
	return ns && (!strcmp((const char *)ns, W_NS) || !strcmp((const char *)ns, W_NS_STRICT));
}

/* The w:val of the current element, or NULL; caller xmlFree()s. */
static xmlChar *w_val(struct docx_ctx *x)
{
	return xmlTextReaderGetAttributeNs(x->rd, (const xmlChar *)"val",
					   xmlTextReaderConstNamespaceUri(x->rd));
}

/* A w:val that counts grid columns, 1 when absent or not a number, at most DOCX_MAX_COLS. */
static unsigned w_count(struct docx_ctx *x, unsigned dflt)
{
	xmlChar *v = w_val(x);
	unsigned n = 0;

	if (!v)
		return dflt;
	for (const xmlChar *p = v; *p >= '0' && *p <= '9' && n <= DOCX_MAX_COLS; p++)
		n = n * 10 + (unsigned)(*p - '0');
	xmlFree(v);
	if (!n && dflt)
		return dflt;
	return n > DOCX_MAX_COLS ? DOCX_MAX_COLS : n;
}

/* w:vMerge and w:hMerge: "restart" starts a merged cell; no value (or "continue") goes on with one. */
static enum merge w_merge(struct docx_ctx *x)
{
	xmlChar *v = w_val(x);
	enum merge m = v && !strcmp((const char *)v, "restart") ? MERGE_RESTART : MERGE_CONTINUE;

	xmlFree(v);
	return m;
}

/* Elements whose whole content is skipped: not the document's current text. */
static int skipped(const char *name)
{
	static const char *const names[] = {
		"tcPrChange", "trPrChange", "tblPrChange", "pPrChange", "rPrChange",
		"sectPrChange", "tblGridChange", "numberingChange", "moveFrom", "del", "rt",
		"instrText", "delInstrText", "footnoteRef", "endnoteRef",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* The current cell of the innermost table whose properties are being read, or NULL. */
static struct tcell *open_cell_of(struct docx_ctx *x)
{
	struct dtable *t = top(x);

	return t && t->in_cell ? &t->cells[t->ncells - 1] : NULL;
}

/* A start tag; returns 1 when its content is to be skipped. */
static int start_element(struct docx_ctx *x, const char *name, int empty)
{
	struct dtable *t = top(x);
	struct tcell *c;

	if (skipped(name))
		return 1;
	if (!strcmp(name, "tbl")) {
		if (!open_table(x))
			return 1;
		if (empty)
			close_table(x);
	} else if (!strcmp(name, "tr")) {
		if (!t || !open_row(t))
			return 1;
		if (empty)
			close_row(t);
	} else if (!strcmp(name, "tc")) {
		if (!t)
			return 0;	/* a cell outside tables: its text is text */
		if (!open_cell(x, t))
			return 1;
		if (empty)
			close_cell(t);
	} else if (!strcmp(name, "gridSpan")) {
		if ((c = open_cell_of(x)))
			c->span = w_count(x, 1);
	} else if (!strcmp(name, "vMerge")) {
		if ((c = open_cell_of(x)))
			c->vmerge = (unsigned char)w_merge(x);
	} else if (!strcmp(name, "hMerge")) {
		if ((c = open_cell_of(x)))
			c->hmerge = (unsigned char)w_merge(x);
	} else if (!strcmp(name, "gridBefore")) {
		if (t && t->in_row && !t->in_cell)
			t->rows[t->nrows - 1].before = w_count(x, 0);
	} else if (!strcmp(name, "t")) {
		x->in_t = !empty;
	} else if (!strcmp(name, "tab") || !strcmp(name, "ptab")) {
		add_space(x);
	} else if (!strcmp(name, "br") || !strcmp(name, "cr")) {
		end_line(x);
	} else if (!strcmp(name, "noBreakHyphen")) {
		add_text(x, "-", 1);
	} else if (!strcmp(name, "p") && empty) {
		end_line(x);
	}
	return 0;
}

static void end_element(struct docx_ctx *x, const char *name)
{
	struct dtable *t = top(x);

	if (!strcmp(name, "tbl"))
		close_table(x);
	else if (!strcmp(name, "tr") && t)
		close_row(t);
	else if (!strcmp(name, "tc") && t)
		close_cell(t);
	else if (!strcmp(name, "p"))
		end_line(x);
	else if (!strcmp(name, "t"))
		x->in_t = 0;
}

/* Options for every part: no network, no entities substituted, no DTD loaded, no huge mode. */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static int xml_fail(struct docx_ctx *x, const char *part, struct err *err)
{
	if (x->xml_error[0])
		return err_set(err, OGI_EPARSE,
			       "a Word document (DOCX) whose %s is not well-formed XML (line %d: %s)",
			       part, x->xml_line, x->xml_error);
	return err_set(err, OGI_EPARSE, "a Word document (DOCX) whose %s is not well-formed XML",
		       part);
}

static int prolog_fail(enum prolog p, const char *part, struct err *err)
{
	if (p == PROLOG_DOCTYPE)
		return err_set(err, OGI_EPARSE,
			       "a Word document (DOCX) whose %s declares a DOCTYPE, which Word "
			       "never writes (entities are not read)", part);
	return err_set(err, OGI_EPARSE,
		       "a Word document (DOCX) whose %s does not start as UTF-8 XML", part);
}

static xmlTextReaderPtr open_reader(struct docx_ctx *x, const char *xml, size_t len)
{
	xmlTextReaderPtr rd;

	if (len > (size_t)INT32_MAX)
		return NULL;
	rd = xmlReaderForMemory(xml, (int)len, NULL, "UTF-8", XML_OPTIONS);
	if (rd)
		xmlTextReaderSetStructuredErrorHandler(rd, save_xml_error, x);
	return rd;
}

/* Walks word/document.xml into x->doc and the table grids. */
static int read_document(struct docx_ctx *x, const char *xml, size_t len, struct err *err)
{
	size_t nodes = 0;
	enum prolog p = check_prolog(xml, len);
	int r, ret = 0;

	if (p != PROLOG_OK)
		return prolog_fail(p, DOCX_PART, err);
	x->rd = open_reader(x, xml, len);
	if (!x->rd)
		return err_set(err, OGI_EPARSE, "a Word document (DOCX) whose %s cannot be read",
			       DOCX_PART);
	r = xmlTextReaderRead(x->rd);
	while (r == 1) {
		int type = xmlTextReaderNodeType(x->rd), skip = 0;
		const xmlChar *ns, *name;

		if (++nodes > DOCX_MAX_NODES) {
			ret = err_set(err, OGI_ETOOBIG,
				      "a Word document (DOCX) whose %s has more than %d XML nodes",
				      DOCX_PART, DOCX_MAX_NODES);
			goto out;
		}
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
		case XML_READER_TYPE_END_ELEMENT:
			ns = xmlTextReaderConstNamespaceUri(x->rd);
			name = xmlTextReaderConstLocalName(x->rd);
			if (!name)
				break;
			if (type == XML_READER_TYPE_ELEMENT && ns &&
			    !strcmp((const char *)ns, MC_NS) &&
			    !strcmp((const char *)name, "Fallback"))
				skip = 1;	/* a copy of mc:Choice for older readers */
			else if (!is_w(ns))
				break;
			else if (type == XML_READER_TYPE_ELEMENT)
				skip = start_element(x, (const char *)name,
						     xmlTextReaderIsEmptyElement(x->rd) == 1);
			else
				end_element(x, (const char *)name);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			if (x->in_t) {
				const xmlChar *v = xmlTextReaderConstValue(x->rd);

				if (v)
					add_text(x, (const char *)v, strlen((const char *)v));
			}
			break;
		case XML_READER_TYPE_DOCUMENT_TYPE:
			ret = prolog_fail(PROLOG_DOCTYPE, DOCX_PART, err);
			goto out;
		default:
			break;
		}
		r = skip ? xmlTextReaderNext(x->rd) : xmlTextReaderRead(x->rd);
	}
	if (r < 0)
		ret = xml_fail(x, DOCX_PART, err);
out:
	xmlFreeTextReader(x->rd);
	x->rd = NULL;
	return ret;
}

/* docProps/core.xml's dc:title, white space collapsed, or NULL; any trouble is no title. */
static char *read_core_title(struct docx_ctx *x, const char *xml, size_t len)
{
	struct coll c;
	size_t nodes = 0;
	int r, in_title = 0, done = 0;

	if (check_prolog(xml, len) != PROLOG_OK)
		return NULL;
	x->rd = open_reader(x, xml, len);
	if (!x->rd)
		return NULL;
	coll_init(&c, DOCX_MAX_XML);
	r = xmlTextReaderRead(x->rd);
	while (r == 1 && !done && ++nodes <= DOCX_CORE_NODES) {
		int type = xmlTextReaderNodeType(x->rd);
		const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->rd);
		const xmlChar *name = xmlTextReaderConstLocalName(x->rd);
		int dc_title = ns && name && !strcmp((const char *)ns, DC_NS) &&
			       !strcmp((const char *)name, "title");

		if (type == XML_READER_TYPE_ELEMENT && dc_title)
			in_title = xmlTextReaderIsEmptyElement(x->rd) != 1;
		else if (type == XML_READER_TYPE_END_ELEMENT && dc_title)
			done = 1;
		else if (in_title && (type == XML_READER_TYPE_TEXT ||
				      type == XML_READER_TYPE_CDATA ||
				      type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
			const xmlChar *v = xmlTextReaderConstValue(x->rd);

			if (v)
				coll_add(&c, (const char *)v, strlen((const char *)v));
		}
		if (!done)
			r = xmlTextReaderRead(x->rd);
	}
	xmlFreeTextReader(x->rd);
	x->rd = NULL;
	if (!done || !c.b.len) {
		coll_release(&c);
		return NULL;
	}
	return coll_take(&c);
}

/* Whether a title reads as a report's (templates leave titles such as "文档1" or a notice's). */
static int report_title(const char *t)
{
	return strstr(t, "报告") || strstr(t, "年报");
}

int docx_parse(const char *bytes, size_t len, struct doc *doc, struct err *err)
{
	struct docx_ctx x;
	zip_error_t ze;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	char *xml = NULL, *core = NULL, *title = NULL;
	size_t xlen = 0, clen = 0, budget = DOCX_MAX_INFLATED;
	int ret = 0;

	memset(&x, 0, sizeof(x));
	x.doc = doc;
	coll_init(&x.line, DOCX_MAX_XML);
	zip_error_init(&ze);
	once_run(&xml_ready, init_xml);
	if (len > DOCX_MAX_INPUT) {
		ret = err_set(err, OGI_ETOOBIG,
			      "a Word document (DOCX) of %zu bytes, over the %zu MiB limit", len,
			      DOCX_MAX_INPUT >> 20);
		goto out;
	}
	if (!entries_bounded((const unsigned char *)bytes, len)) {
		ret = err_set(err, OGI_ETOOBIG,
			      "a Word document (DOCX) whose ZIP has more than %d entries",
			      DOCX_MAX_ENTRIES);
		goto out;
	}
	src = zip_source_buffer_create(bytes, len, 0, &ze);
	if (!src) {
		ret = zip_fail(err, NULL, &ze);
		goto out;
	}
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!za) {
		ret = zip_fail(err, NULL, &ze);
		goto out;	/* src is still ours */
	}
	src = NULL;	/* za owns it now */
	if (zip_get_num_entries(za, 0) > DOCX_MAX_ENTRIES) {
		ret = err_set(err, OGI_ETOOBIG,
			      "a Word document (DOCX) whose ZIP has more than %d entries",
			      DOCX_MAX_ENTRIES);
		goto out;
	}
	ret = read_part(za, DOCX_PART, DOCX_MAX_XML, &budget, 1, &xml, &xlen, err);
	if (ret)
		goto out;
	/* The title is a plus: a core.xml that cannot be read is no error. */
	if (!read_part(za, DOCX_CORE, DOCX_MAX_CORE, &budget, 0, &core, &clen, NULL) && core)
		title = read_core_title(&x, core, clen);
	doc->from_html = 1;
	ret = read_document(&x, xml, xlen, err);
	if (ret)
		goto out;
	flush_line(&x);
	for (size_t i = 0; i < x.ntables; i++) {
		struct grid *g = &x.grids[i];

		for (size_t k = 0; k < g->n; k++)
			doc_add_row(doc, g->rows[k].cells, g->rows[k].carried, g->rows[k].cols,
				    g->rows[k].ncells, g->rows[k].table, g->rows[k].row);
		g->n = 0;	/* the doc owns them now */
	}
	doc->ntables = x.ntables;
	if (title && report_title(title)) {
		doc->title = title;
		title = NULL;
	} else if (doc->nlines) {
		doc->title = xstrdup(doc->lines[0]);
	}
out:
	while (x.sp)
		close_table(&x);
	for (size_t i = 0; i < x.ntables; i++) {
		for (size_t k = 0; k < x.grids[i].n; k++) {
			for (size_t c = 0; c < x.grids[i].rows[k].ncells; c++)
				free(x.grids[i].rows[k].cells[c]);
			free(x.grids[i].rows[k].cells);
			free(x.grids[i].rows[k].carried);
			free(x.grids[i].rows[k].cols);
		}
		free(x.grids[i].rows);
	}
	free(x.grids);
	free(x.st);
	coll_release(&x.line);
	if (za)
		zip_discard(za);
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	free(xml);
	free(core);
	free(title);
	return ret;
}
