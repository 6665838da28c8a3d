#include "parser/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/charset.h"
#include "parser/doc.h"
#include "parser/docx.h"
#include "parser/extract.h"
#include "form/check.h"
#include "form/format.h"
#include "parser/html.h"
#include "parser/imgtable.h"
#include "parser/meta.h"
#include "parser/msdoc.h"
#include "parser/pdf.h"
#include "parser/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Names the binary formats people most often feed us by mistake, or NULL. */
static const char *binary_kind(const char *b, size_t len)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *name;
	} magics[] = {
		{ "%PDF-", 5, "a PDF document" },
		{ "\xD0\xCF\x11\xE0", 4,
		  "a Word/Excel (OLE) document: a .doc or .xls, or a password-protected .docx" },
		{ "PK\x03\x04", 4, "a ZIP archive without word/document.xml (an XLSX, say)" },
		{ "\x89PNG", 4, "a PNG image" },
		{ "\xFF\xD8\xFF", 3, "a JPEG image" },
		{ "GIF8", 4, "a GIF image" },
		{ "\x1F\x8B", 2, "gzip data" },
	};
	size_t probe = len < 4096 ? len : 4096, ctl = 0;

	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len && !memcmp(b, magics[i].magic, magics[i].len))
			return magics[i].name;
	/* Text in any of our encodings has no NUL and few C0 controls. */
	for (size_t i = 0; i < probe; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == 0)
			return "binary data";
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
			ctl++;
	}
	if (ctl * 10 > probe)
		return "binary data";
	return NULL;
}

/*
 * Whether a page with no readable table is a report: a title of a body and
 * a year in the page's own title; else a year and two pieces of evidence
 * among the section headings (each one), the statistics period, the
 * table labels and a report title.  Listing pages full of report titles
 * have no such evidence in their text.
 */
static int report_evidence(const struct doc *doc, const struct meta *m)
{
	unsigned sections = 0;
	int evidence = 0, labels = 0;

	if (!m->year)
		return 0;
	if (m->title_from == RSRC_TITLE && m->organization)
		return 1;
	for (size_t i = 0; i < doc->nlines; i++)
		sections |= fmt_sections_in(doc->lines[i]);
	for (size_t i = 0; i < doc->nrows && !labels; i++)
		for (size_t c = 0; c < doc->rows[i].ncells && !labels; c++) {
			char *norm = fmt_norm_label(doc->rows[i].cells[c]);

			labels = fmt_match_row_in(norm, FMT_2019 | FMT_2021, 3) != NULL;
			free(norm);
		}
	for (unsigned b = sections; b; b &= b - 1)
		evidence++;
	evidence += m->has_period + labels + (m->title_from != RSRC_NONE);
	return evidence >= 2;
}

/*
 * Documents told by their bytes, each with its reader; what is stored as
 * the report's charset for them.  Anything else is a page: HTML or text.
 */
static const struct {
	int (*sniff)(const char *bytes, size_t len);
	int (*parse)(const char *bytes, size_t len, struct doc *doc, struct err *err);
	const char *charset;
} documents[] = {
	{ pdf_sniff, pdf_parse, "pdf" },
	{ docx_sniff, docx_parse, "UTF-8" },	/* XML in UTF-8 */
	{ msdoc_sniff, msdoc_parse, "doc" },
};

/*
 * A file with no text of its own (a scan) may still be named by the link
 * that led to it, or by its file name: the body and the year m lacks are
 * read from that text as from a title, noted RSRC_LINK.
 */
static void meta_from_link(const char *text, struct meta *m)
{
	struct doc d;
	struct meta lm;

	doc_init(&d);
	meta_init(&lm);
	d.title = xstrdup(text);
	doc_add_line(&d, text, strlen(text));
	doc_number_lines(&d);
	meta_detect(&d, &lm);
	if (!m->organization && lm.organization) {
		m->organization = lm.organization;
		lm.organization = NULL;
		m->organization_from = RSRC_LINK;
	}
	if (!m->year && lm.year) {
		m->year = lm.year;
		m->year_from = RSRC_LINK;
	}
	meta_release(&lm);
	doc_release(&d);
}

int parse_picture_read(const char *bytes, size_t len, const char *name, struct doc *grid,
		       struct err *err)
{
	int w, h;

	if (!imgtable_available())
		return err_set(err, OGI_EPARSE, "cannot read '%s': a picture, and no OCR here "
			       "(Tesseract with its eng and chi_sim models)", name);
	if (imgtable_check(bytes, len, &w, &h, err))
		return err->code;
	return imgtable_read(bytes, len, name, grid, err);
}

/*
 * The page's pictures into doc, after its text, in order; a picture that
 * cannot be read adds what was read of it before.
 */
static void read_pictures(const struct parse_input *in, struct doc *doc)
{
	for (size_t i = 0; i < in->npictures; i++) {
		const struct parse_picture *p = &in->pictures[i];
		struct err e = ERR_INIT;
		struct doc grid;

		if (p->grid) {
			doc_append(doc, p->grid, p->name);
			continue;
		}
		doc_init(&grid);
		parse_picture_read(p->bytes, p->len, p->name, &grid, &e);
		doc_append(doc, &grid, NULL);
		doc_release(&grid);
	}
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

int parse_report(const struct parse_input *in, struct report *r, struct err *err)
{
	const char *where = in->location ? in->location : "(input)";
	struct charset_result cs;
	struct doc doc;
	struct meta meta;
	char *utf8 = NULL;
	size_t ulen = 0;
	const char *kind, *level, *parent;
	int ret, of_publisher, scanned;

	doc_init(&doc);
	meta_init(&meta);
	if (!in->len) {
		ret = err_set(err, OGI_EPARSE, "cannot read '%s': empty file", where);
		goto out;
	}
	if (in->len > PARSE_MAX_BYTES) {
		ret = err_set(err, OGI_ETOOBIG, "cannot read '%s': %zu bytes, over the %u MiB limit",
			      where, in->len, PARSE_MAX_BYTES >> 20);
		goto out;
	}
	if (in->ocr && imgtable_sniff(in->bytes, in->len)) {
		struct err de = ERR_INIT;
		int w, h;

		/* a picture refused from its header costs no OCR engine */
		ret = imgtable_check(in->bytes, in->len, &w, &h, &de);
		if (!ret && !imgtable_available()) {
			ret = err_set(err, OGI_EPARSE, "cannot read '%s': a picture, and no OCR here "
				      "(Tesseract with its eng and chi_sim models)", where);
			goto out;
		}
		if (!ret)
			ret = imgtable_read(in->bytes, in->len, where, &doc, &de);
		if (ret) {
			ret = err_set(err, de.code, "cannot read '%s': %s", where, de.msg);
			goto out;
		}
		snprintf(cs.name, sizeof(cs.name), "image");
		goto read;
	}
	for (size_t i = 0; i < sizeof(documents) / sizeof(documents[0]); i++) {
		struct err de = ERR_INIT;

		if (!documents[i].sniff(in->bytes, in->len))
			continue;
		ret = documents[i].parse(in->bytes, in->len, &doc, &de);
		/* a scan: its pages' tables are for OCR to read */
		if (!ret && in->ocr && documents[i].parse == pdf_parse && doc.images &&
		    !doc.nlines && !doc.nrows && imgtable_available())
			ret = pdf_read_scans(in->bytes, in->len, &doc, &de);
		if (ret) {
			ret = err_set(err, de.code, "cannot read '%s': %s", where, de.msg);
			goto out;
		}
		snprintf(cs.name, sizeof(cs.name), "%s", documents[i].charset);
		goto read;
	}
	kind = binary_kind(in->bytes, in->len);
	if (kind) {
		ret = err_set(err, OGI_EPARSE,
			      "cannot read '%s': %s, not an HTML or text page", where, kind);
		goto out;
	}
	ret = charset_to_utf8(in->bytes, in->len, in->content_type, &utf8, &ulen, &cs, err);
	if (ret)
		goto out;
	if (html_sniff(utf8, ulen)) {
		ret = html_parse(utf8, ulen, &doc, err);
		if (ret)
			goto out;
		if (in->ocr && in->npictures)
			read_pictures(in, &doc);
	} else {
		text_parse(utf8, ulen, &doc);
	}
read:

	meta_detect(&doc, &meta);
	/* a scan: pages without a text layer, nothing but images (and what OCR read in them) */
	scanned = doc.images && !doc.nlines && (!doc.nrows || doc.nocr);
	if (scanned && in->link_text && *in->link_text)
		meta_from_link(in->link_text, &meta);
	extract_report(&doc, meta.year, r);
	/* figures read from pictures stand only where the form's arithmetic vouches for them */
	if (doc.nocr) {
		imgtable_provenance(&doc, r);
		check_ocr(r);
	}
	/*
	 * Without tables, only a page titled as a report of a known body and year
	 * is one (published as an image or an attachment, say); listing pages,
	 * robots.txt and the like are not.  A scan is one whatever it names.
	 */
	if (r->status == RS_NO_TABLES && !scanned && !report_evidence(&doc, &meta)) {
		ret = err_set(err, OGI_EPARSE,
			      "cannot read '%s': no report title, year or table found", where);
		goto out;
	}
	/* A page's pictures are for the pipeline to fetch and read with it (in->pictures). */
	if (r->status == RS_NO_TABLES && doc.images)
		r->reason = RREASON_IMAGE;
	/* what the pipeline fetches and reads with the page (or read with it now) */
	if (doc.npictures && (r->reason == RREASON_IMAGE || in->npictures)) {
		r->pictures = doc.pictures;
		r->npictures = doc.npictures;
		doc.pictures = NULL;
		doc.npictures = 0;
	}
	r->year = meta.year;
	r->year_from = meta.year_from;
	if (in->organization) {
		set_str(&r->organization, in->organization);
		r->organization_from = RSRC_GIVEN;
	} else if (meta.organization) {
		set_str(&r->organization, meta.organization);
		r->organization_from = meta.organization_from;
	} else if (in->publisher) {
		set_str(&r->organization, in->publisher);
		r->organization_from = RSRC_SEED;
	}
	set_str(&r->publisher, in->publisher);
	set_str(&r->title, meta.title);
	set_str(&r->published, meta.published);
	set_str(&r->charset, cs.name);
	/* The seed's level and parent describe the seed's body: they go with its name. */
	of_publisher = in->publisher && r->organization && !strcmp(r->organization, in->publisher);
	level = in->level ? in->level : of_publisher ? in->publisher_level : NULL;
	parent = in->parent ? in->parent : of_publisher ? in->publisher_parent : NULL;
	if (level)
		set_str(&r->level, level);
	else if (r->organization)
		set_str(&r->level, meta_level_from_name(r->organization));
	if (parent) {
		set_str(&r->parent, parent);
	} else if (r->organization) {
		free(r->parent);
		r->parent = meta_parent_from_name(r->organization);
	}
	ret = 0;
out:
	if (ret)
		report_release(r);
	meta_release(&meta);
	doc_release(&doc);
	free(utf8);
	return ret;
}
