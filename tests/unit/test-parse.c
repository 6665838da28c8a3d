/*
 * parser/parse.h: pages parsed on several threads at once read exactly as
 * when parsed alone (the crawl parses on worker threads; the patterns are
 * shared, match data are per thread).  Run under the sanitizers, a race
 * on shared state shows as a wrong figure or a sanitizer report.
 */
#include <pthread.h>
#include <stdio.h>

#include "form/format.h"
#include "parser/doc.h"
#include "parser/html.h"
#include "parser/parse.h"
#include "util/buf.h"
#include "util/re.h"
#include "util/xalloc.h"
#include "tests/unit/t.h"

#define NPAGES 4
#define NTHREADS 4
#define ROUNDS 8

static const char *const pages[NPAGES] = { "longhu-2023.txt", "shanghai-office-2019.html",
					   "real/40_hebei_jyt_2019.extracted.txt",
					   "shapes-more/M1_run_together_digits_by_arithmetic.txt" };

struct page {
	char *bytes;
	size_t len;
	struct report ref;	/* parsed alone, before any thread */
	int ok;
};

static struct page loaded[NPAGES];

static int parse(const struct page *pg, const char *name, struct report *r)
{
	struct parse_input in = { .bytes = pg->bytes, .len = pg->len, .location = name };
	struct err e = ERR_INIT;

	report_init(r);
	return parse_report(&in, r, &e);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* 1 when r reads like ref: every field, value and claim. */
static int same_report(const struct report *a, const struct report *b)
{
	if (!same_str(a->organization, b->organization) || !same_str(a->title, b->title) ||
	    a->organization_from != b->organization_from || a->year_from != b->year_from ||
	    !same_str(a->published, b->published) || !same_str(a->missing, b->missing) ||
	    a->year != b->year || a->format != b->format || a->status != b->status ||
	    a->nvalues != b->nvalues || a->nclaims != b->nclaims)
		return 0;
	for (size_t i = 0; i < a->nvalues; i++)
		if (a->values[i].state != b->values[i].state ||
		    a->values[i].num != b->values[i].num ||
		    !same_str(a->values[i].raw, b->values[i].raw) ||
		    a->values[i].how != b->values[i].how ||
		    a->values[i].inferred != b->values[i].inferred ||
		    memcmp(&a->values[i].src, &b->values[i].src, sizeof(a->values[i].src)))
			return 0;
	for (size_t i = 0; i < a->nclaims; i++)
		if (a->claims[i].claim != b->claims[i].claim ||
		    a->claims[i].value != b->claims[i].value)
			return 0;
	return 1;
}

struct worker {
	pthread_t t;
	int index;
	int parsed, differed;
};

static void *run(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < ROUNDS; round++)
		for (int k = 0; k < NPAGES; k++) {
			/* the threads start on different pages */
			int i = (k + w->index) % NPAGES;
			struct report r;

			if (!loaded[i].ok)
				continue;
			if (!parse(&loaded[i], pages[i], &r)) {
				w->parsed++;
				w->differed += !same_report(&r, &loaded[i].ref);
				report_release(&r);
			} else {
				w->differed++;
			}
		}
	return NULL;
}

static void test_threads(void)
{
	struct worker w[NTHREADS];
	int started = 0, parsed = 0, differed = 0;

	for (int i = 0; i < NPAGES; i++) {
		loaded[i].bytes = t_slurp("", pages[i], &loaded[i].len);
		CHECK(loaded[i].bytes != NULL);
		loaded[i].ok = loaded[i].bytes && !parse(&loaded[i], pages[i], &loaded[i].ref);
		CHECK(loaded[i].ok);
		CHECK(loaded[i].ok && loaded[i].ref.nvalues > 0);
	}
	/* a fresh start: the threads race to compile the patterns too */
	fmt_cleanup();
	for (int i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].index = i;
		if (!pthread_create(&w[i].t, NULL, run, &w[i]))
			started++;
		else
			break;
	}
	CHECK_INT(started, NTHREADS);
	for (int i = 0; i < started; i++) {
		pthread_join(w[i].t, NULL);
		parsed += w[i].parsed;
		differed += w[i].differed;
	}
	CHECK_INT(parsed, started * ROUNDS * NPAGES);
	CHECK_INT(differed, 0);
	for (int i = 0; i < NPAGES; i++) {
		if (loaded[i].ok)
			report_release(&loaded[i].ref);
		free(loaded[i].bytes);
	}
}

/* ---- reports whose tables are images ---- */

#define REPORT_HEAD                                                                      \
	"<html><head><title>海滨市教育局2022年政府信息公开工作年度报告</title></head><body>" \
	"<h1>海滨市教育局2022年政府信息公开工作年度报告</h1>"                           \
	"<p>一、总体情况</p><p>本年度，我局认真贯彻落实《条例》。</p>"                   \
	"<p>二、主动公开政府信息情况</p>"
#define REPORT_TAIL "<p>五、存在的主要问题及改进情况</p></body></html>"

/*
 * A PDF of one page that shows an image and no text (a scan), or shows
 * nothing at all; the cross-reference table is computed so that poppler
 * reads it as written.  Caller frees.
 */
static char *pdf_page(int with_image, size_t *len)
{
	static const char *const objs_image[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
		"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
		"/BitsPerComponent 8 /Length 4 >>\nstream\n\x01\xfe\xfe\x01\nendstream",
		"<< /Length 31 >>\nstream\nq 200 0 0 200 0 0 cm /Im0 Do Q\nendstream",
	};
	static const char *const objs_blank[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	};
	const char *const *objs = with_image ? objs_image : objs_blank;
	size_t n = with_image ? 5 : 3, offs[5], xref;
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	buf_adds(&b, "%PDF-1.4\n");
	for (size_t i = 0; i < n; i++) {
		offs[i] = b.len;
		buf_addf(&b, "%zu 0 obj\n", i + 1);
		buf_add(&b, objs[i], strlen(objs[i]));
		buf_adds(&b, "\nendobj\n");
	}
	xref = b.len;
	buf_addf(&b, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%010zu 00000 n \n", offs[i]);
	buf_addf(&b, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", n + 1, xref);
	*len = b.len;
	return buf_take(&b);
}

static void test_images(void)
{
	static const struct {
		const char *what, *page;
		int pdf;		/* 1: a scan, 2: a blank page, instead of page */
		const char *link;	/* parse_input.link_text */
		int ok;
		enum report_reason reason;
		const char *org;
		int year;
		enum report_source org_from;
	} cases[] = {
		{ "tables as an image in the body", REPORT_HEAD
		  "<p><img src=\"./W020230115512.png\" width=\"640\" height=\"900\"></p>" REPORT_TAIL,
		  0, NULL, 1, RREASON_IMAGE, "海滨市教育局", 2022, RSRC_TITLE },
		{ "an uploaded image without sizes", REPORT_HEAD
		  "<div><img src=\"/uploadfiles/2023/01/ndbg.jpg\"></div>" REPORT_TAIL,
		  0, NULL, 1, RREASON_IMAGE, "海滨市教育局", 2022, RSRC_TITLE },
		{ "only the site's logo", REPORT_HEAD
		  "<p><img src=\"/images/site_logo.png\"></p>" REPORT_TAIL,
		  0, NULL, 1, RREASON_NONE, "海滨市教育局", 2022, RSRC_TITLE },
		{ "an image in a link (a download button)", REPORT_HEAD
		  "<p><a href=\"r.pdf\"><img src=\"./pdf.png\"></a></p>" REPORT_TAIL,
		  0, NULL, 1, RREASON_NONE, "海滨市教育局", 2022, RSRC_TITLE },
		{ "an icon by its size", REPORT_HEAD
		  "<p><img src=\"./W0201.gif\" width=\"16\" height=\"16\"></p>" REPORT_TAIL,
		  0, NULL, 1, RREASON_NONE, "海滨市教育局", 2022, RSRC_TITLE },
		{ "a listing page with a picture is no report",
		  "<html><head><title>政府信息公开年报</title></head><body><ul><li>通知</li></ul>"
		  "<p><img src=\"./W02020.jpg\"></p></body></html>",
		  0, NULL, 0, RREASON_NONE, NULL, 0, RSRC_NONE },
		{ "a scan named by its link", NULL, 1,
		  "海滨市住房和城乡建设局2020年政府信息公开工作年度报告.pdf",
		  1, RREASON_IMAGE, "海滨市住房和城乡建设局", 2020, RSRC_LINK },
		{ "a scan named by nothing", NULL, 1, NULL, 1, RREASON_IMAGE, NULL, 0, RSRC_NONE },
		{ "a blank page is no scan", NULL, 2, "海滨市2020年政府信息公开工作年度报告.pdf",
		  0, RREASON_NONE, NULL, 0, RSRC_NONE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parse_input in = { .location = cases[i].what, .link_text = cases[i].link };
		struct report r;
		struct err e = ERR_INIT;
		char *pdf = NULL;
		size_t len = 0;
		int ret;

		if (cases[i].pdf) {
			pdf = pdf_page(cases[i].pdf == 1, &len);
			in.bytes = pdf;
			in.len = len;
		} else {
			in.bytes = cases[i].page;
			in.len = strlen(cases[i].page);
		}
		report_init(&r);
		ret = parse_report(&in, &r, &e);
		if ((!ret) != cases[i].ok || (!ret && r.reason != cases[i].reason))
			fprintf(stderr, "    case '%s': %s\n", cases[i].what, e.msg);
		CHECK_INT(!ret, cases[i].ok);
		if (!ret) {
			CHECK_INT(r.status, RS_NO_TABLES);
			CHECK_INT(r.reason, cases[i].reason);
			CHECK_STR(r.organization, cases[i].org);
			CHECK_INT(r.year, cases[i].year);
			CHECK_INT(r.organization_from, cases[i].org_from);
		}
		report_release(&r);
		free(pdf);
	}
}

/*
 * A page whose tables are pictures lists them for the crawl, in document
 * order, icons and the site's chrome left out, at most DOC_MAX_PICTURES.
 */
static void test_pictures(void)
{
	struct buf page = BUF_INIT(BUF_NOLIMIT);
	struct parse_input in = { .location = "pictures" };
	struct report r;
	struct err e = ERR_INIT;

	buf_adds(&page, REPORT_HEAD "<p><img src=\"/images/logo.png\"></p>"
		 "<p><img src=\"./a.gif\" width=\"16\"></p>");
	for (int i = 0; i < DOC_MAX_PICTURES + 4; i++)
		buf_addf(&page, "<p><img src=\"./W%02d.png\" width=\"600\"></p>", i);
	buf_adds(&page, REPORT_TAIL);
	in.bytes = buf_str(&page);
	in.len = page.len;
	report_init(&r);
	CHECK_INT(parse_report(&in, &r, &e), 0);
	CHECK_INT(r.reason, RREASON_IMAGE);
	CHECK_INT((int)r.npictures, DOC_MAX_PICTURES);
	for (size_t i = 0; i < r.npictures; i++) {
		char want[32];

		snprintf(want, sizeof(want), "./W%02zu.png", i);
		CHECK_STR(r.pictures[i], want);
	}
	report_release(&r);
	buf_release(&page);
}

/*
 * Grid rows of tables [from, to) of d copied into g (tables from 0), each
 * cell with an OCR provenance of confidence 95 in picture "grid": what
 * imgtable_read() makes of a picture of those tables.
 */
static void grid_of(const struct doc *d, int from, int to, struct doc *g)
{
	doc_init(g);
	doc_add_ocr_image(g, "grid");
	for (size_t i = 0; i < d->nrows; i++) {
		const struct doc_row *r = &d->rows[i];
		char **cells;
		unsigned char *carried;
		unsigned short *cols;

		if (r->table < from || r->table >= to)
			continue;
		cells = xcalloc(r->ncells + 1, sizeof(*cells));
		carried = xcalloc(r->ncells + 1, 1);
		cols = xcalloc(r->ncells + 1, sizeof(*cols));
		for (size_t c = 0; c < r->ncells; c++) {
			struct doc_ocr_cell oc = { r->table - from, r->row, r->row, r->cols[c], 0,
						   10 * (int)c, 10 * r->row, 10, 10, 95 };

			cells[c] = xstrdup(r->cells[c]);
			carried[c] = r->carried[c];
			cols[c] = r->cols[c];
			doc_add_ocr_cell(g, &oc);
		}
		doc_add_row(g, cells, carried, cols, r->ncells, r->table - from, r->row);
	}
	g->ntables = (size_t)(to - from);
	g->images = 1;
}

/*
 * A page whose tables are pictures, read with them (parse_input.pictures,
 * grids read before): the pictures' tables are the page's, in order, a
 * report of two pictures as of one, each figure naming the picture it was
 * read in.  The pictures are the Shanghai fixture's tables, so no
 * Tesseract is needed.
 */
static void test_read_with_pictures(void)
{
	static const char page[] =
		"<html><head><title>2019年上海市人民政府办公厅政府信息公开工作年度报告</title></head>"
		"<body><p>一、总体情况</p><p>二、主动公开政府信息情况</p>"
		"<p><img src=\"./W1.png\" width=\"600\"></p>"
		"<p>三、收到和处理政府信息公开申请情况</p><p><img src=\"./W2.png\"></p>"
		"<p>五、存在的主要问题及改进情况</p></body></html>";
	struct parse_input in = { .bytes = page, .len = sizeof(page) - 1, .location = "p", .ocr = 1 };
	struct doc d, g1, g2, gall;
	struct report r1, r2;
	struct err e = ERR_INIT;
	size_t len;
	char *html = t_slurp("", "shanghai-office-2019.html", &len);
	const struct report_value *v;

	CHECK(html != NULL);
	if (!html)
		return;
	doc_init(&d);
	CHECK_INT(html_parse(html, len, &d, &e), 0);
	grid_of(&d, 0, 1, &g1);
	grid_of(&d, 1, (int)d.ntables, &g2);
	grid_of(&d, 0, (int)d.ntables, &gall);
	{
		/* table 2 in one picture, tables 3 and 4 in the next */
		struct parse_picture two[] = { { NULL, 0, "http://a.test/W1.png", &g1 },
					       { NULL, 0, "http://a.test/W2.png", &g2 } };
		struct parse_picture one[] = { { NULL, 0, "http://a.test/W.png", &gall } };

		report_init(&r1);
		report_init(&r2);
		in.pictures = two;
		in.npictures = 2;
		CHECK_INT(parse_report(&in, &r1, &e), 0);
		in.pictures = one;
		in.npictures = 1;
		CHECK_INT(parse_report(&in, &r2, &e), 0);
	}
	CHECK(r1.status != RS_NO_TABLES && r1.reason == RREASON_NONE);
	CHECK_INT(r1.year, 2019);
	CHECK_INT((int)r1.npictures, 2);
	CHECK_INT((int)r1.status, (int)r2.status);
	CHECK_INT((int)r1.nvalues, (int)r2.nvalues);
	for (size_t i = 0; i < r1.nvalues && i < r2.nvalues; i++) {
		CHECK_INT(r1.values[i].state, r2.values[i].state);
		CHECK(r1.values[i].num == r2.values[i].num);
		CHECK_INT(r1.values[i].ocr.read, r2.values[i].ocr.read);
	}
	v = report_get(&r1, 2, "rules", "made");
	CHECK(v && v->state == VAL_NUMBER && v->num == 13 && v->ocr.read);
	CHECK_STR(v ? v->ocr.image : NULL, "http://a.test/W1.png");
	v = report_get(&r1, 3, "new", "total");
	CHECK(v && v->state == VAL_NUMBER && v->num == 859 && v->ocr.read);
	CHECK_STR(v ? v->ocr.image : NULL, "http://a.test/W2.png");
	/* without its pictures the page is one whose tables are images */
	report_release(&r2);
	report_init(&r2);
	in.pictures = NULL;
	in.npictures = 0;
	CHECK_INT(parse_report(&in, &r2, &e), 0);
	CHECK(r2.status == RS_NO_TABLES && r2.reason == RREASON_IMAGE && r2.npictures == 2);
	report_release(&r1);
	report_release(&r2);
	doc_release(&g1);
	doc_release(&g2);
	doc_release(&gall);
	doc_release(&d);
	free(html);
}

int main(void)
{
	RUN(test_threads);
	RUN(test_images);
	RUN(test_pictures);
	RUN(test_read_with_pictures);
	fmt_cleanup();
	re_thread_cleanup();
	return t_done(__FILE__);
}
