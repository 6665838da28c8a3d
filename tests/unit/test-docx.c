#include "parser/docx.h"

#include <stdint.h>
#include <stdio.h>
#include <zip.h>

#include "parser/doc.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "t.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define HEAD                                                                         \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"          \
	"<w:document xmlns:w=\"" W_NS "\" xmlns:mc=\"" MC_NS "\"><w:body>"
#define TAIL "<w:sectPr><w:pgSz w:w=\"11906\"/></w:sectPr></w:body></w:document>"
#define P(s) "<w:p><w:r><w:t>" s "</w:t></w:r></w:p>"
#define TC(s) "<w:tc>" P(s) "</w:tc>"
#define TCPR(pr, s) "<w:tc><w:tcPr>" pr "</w:tcPr>" P(s) "</w:tc>"
#define TR(cells) "<w:tr>" cells "</w:tr>"
#define TBL(rows) "<w:tbl><w:tblGrid><w:gridCol w:w=\"1\"/></w:tblGrid>" rows "</w:tbl>"
#define SPAN(n) "<w:gridSpan w:val=\"" #n "\"/>"
#define VSTART "<w:vMerge w:val=\"restart\"/>"
#define VCONT "<w:vMerge/>"

struct part {
	const char *name;
	const char *data;
	size_t len;	/* 0: strlen(data) */
	int store;	/* not compressed */
};

/* A ZIP of the parts, made in memory with libzip; caller frees. */
static char *make_zip(const struct part *parts, size_t n, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	char *out;
	zip_int64_t size;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za)
		abort();
	for (size_t i = 0; i < n; i++) {
		size_t l = parts[i].len ? parts[i].len : strlen(parts[i].data);
		zip_source_t *s = zip_source_buffer(za, parts[i].data, l, 0);
		zip_int64_t idx = zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8);

		if (idx < 0)
			abort();
		if (parts[i].store)
			zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(za))
		abort();
	if (zip_source_open(src) || zip_source_seek(src, 0, SEEK_END))
		abort();
	size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	out = xmalloc((size_t)size + 1);
	if (zip_source_read(src, out, (zip_uint64_t)size) != size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)size;
	return out;
}

/* A DOCX of one document.xml (and a core.xml when core is not NULL). */
static char *make_docx(const char *xml, size_t xlen, const char *core, size_t *len)
{
	struct part parts[2] = {
		{ DOCX_PART, xml, xlen, 0 },
		{ "docProps/core.xml", core, 0, 0 },
	};

	return make_zip(parts, core ? 2 : 1, len);
}

static int parse(const char *xml, const char *core, struct doc *d, struct err *e)
{
	size_t len;
	char *z = make_docx(xml, strlen(xml), core, &len);
	int ret;

	doc_init(d);
	err_clear(e);
	ret = docx_parse(z, len, d, e);
	free(z);
	return ret;
}

/*
 * The rows as "table.row: cells" joined by "; ", cells "text@col" joined
 * by '|', carried ones marked '^'.
 */
static char *rows_str(const struct doc *d)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < d->nrows; i++) {
		const struct doc_row *r = &d->rows[i];

		buf_addf(&b, "%s%d.%d:", i ? "; " : "", r->table, r->row);
		for (size_t c = 0; c < r->ncells; c++)
			buf_addf(&b, "%s%s%s@%u", c ? "|" : " ", r->carried[c] ? "^" : "",
				 r->cells[c], r->cols[c]);
	}
	return buf_take(&b);
}

static char *lines_str(const struct doc *d)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < d->nlines; i++)
		buf_addf(&b, "%s%s", i ? " / " : "", d->lines[i]);
	return buf_take(&b);
}

struct gcase {
	const char *name;
	const char *body;
	const char *rows;
	size_t ntables;
};

static void test_grid(void)
{
	static const struct gcase cs[] = {
		{ "plain", TBL(TR(TC("a") TC("1")) TR(TC("b") TC("2"))), "0.0: a@0|1@1; 0.1: b@0|2@1",
		  1 },
		{ "gridSpan widens a cell",
		  TBL(TR(TCPR(SPAN(2), "申请人情况") TC("x")) TR(TC("a") TC("b") TC("c"))),
		  "0.0: 申请人情况@0|x@2; 0.1: a@0|b@1|c@2", 1 },
		{ "vMerge carries the cell down",
		  TBL(TR(TCPR(VSTART, "三、本年度办理结果") TC("（一）予以公开") TC("1"))
		      TR(TCPR(VCONT, "") TC("（二）部分公开") TC("2"))
		      TR(TCPR("<w:vMerge w:val=\"continue\"/>", "") TC("（三）不予公开") TC("3"))
		      TR(TC("四、结转") TC("x") TC("4"))),
		  "0.0: 三、本年度办理结果@0|（一）予以公开@1|1@2; "
		  "0.1: ^三、本年度办理结果@0|（二）部分公开@1|2@2; "
		  "0.2: ^三、本年度办理结果@0|（三）不予公开@1|3@2; 0.3: 四、结转@0|x@1|4@2", 1 },
		{ "vMerge of a spanned cell",
		  TBL(TR(TCPR(SPAN(2) VSTART, "ab") TC("1")) TR(TCPR(SPAN(2) VCONT, "") TC("2"))),
		  "0.0: ab@0|1@2; 0.1: ^ab@0|2@2", 1 },
		{ "vMerge continued with nothing above stands alone",
		  TBL(TR(TCPR(VCONT, "") TC("1")) TR(TC("a") TC("b") TCPR(VCONT, "z"))),
		  "0.0: @0|1@1; 0.1: a@0|b@1|z@2", 1 },
		{ "vMerge under a cell starting further left stands alone",
		  TBL(TR(TCPR(SPAN(2), "ab") TC("c")) TR(TC("x") TCPR(VCONT, "") TC("y"))),
		  "0.0: ab@0|c@2; 0.1: x@0|@1|y@2", 1 },
		{ "hMerge widens its left neighbour",
		  TBL(TR(TCPR("<w:hMerge w:val=\"restart\"/>", "ab")
			 TCPR("<w:hMerge/>", "") TC("1"))),
		  "0.0: ab@0|1@2", 1 },
		{ "gridBefore moves the row right",
		  TBL(TR(TC("a") TC("b") TC("c"))
		      "<w:tr><w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>" TC("9") "</w:tr>"),
		  "0.0: a@0|b@1|c@2; 0.1: 9@2", 1 },
		{ "a short row keeps its cells", TBL(TR(TC("a") TC("b") TC("c")) TR(TCPR(SPAN(2), "t"))),
		  "0.0: a@0|b@1|c@2; 0.1: t@0", 1 },
		{ "nested table: its own, after the outer one",
		  TBL(TR("<w:tc>" P("outer") TBL(TR(TC("in1") TC("1"))) P("after") "</w:tc>" TC("o2"))),
		  "0.0: outer after@0|o2@1; 1.0: in1@0|1@1", 2 },
		{ "two tables in order", TBL(TR(TC("a"))) P("x") TBL(TR(TC("b"))),
		  "0.0: a@0; 1.0: b@0", 2 },
		{ "empty table and row", "<w:tbl/>" TBL("<w:tr/>") TBL(TR("<w:tc/>")),
		  "2.0: @0", 3 },
		{ "paragraphs and runs of a cell",
		  TBL(TR("<w:tc><w:p><w:r><w:t>申请人</w:t></w:r><w:r><w:t>情</w:t></w:r></w:p>"
			 "<w:p><w:r><w:t>况</w:t></w:r></w:p></w:tc>"
			 "<w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p><w:p><w:r><w:t>34</w:t></w:r>"
			 "</w:p></w:tc>"
			 "<w:tc><w:p><w:r><w:t xml:space=\"preserve\"> a  </w:t><w:tab/>"
			 "<w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p></w:tc>")),
		  "0.0: 申请人情况@0|12 34@1|a b c@2", 1 },
		{ "deleted text, field codes, fallbacks and old properties are not read",
		  TBL(TR("<w:tc><w:tcPr><w:tcPrChange><w:tcPr>" SPAN(3) "</w:tcPr></w:tcPrChange>"
			 "</w:tcPr><w:p><w:del><w:r><w:delText>旧</w:delText></w:r></w:del>"
			 "<w:ins><w:r><w:t>新</w:t></w:r></w:ins>"
			 "<w:r><w:instrText>PAGE</w:instrText></w:r>"
			 "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:r><w:t>框</w:t></w:r>"
			 "</mc:Choice><mc:Fallback><w:r><w:t>框</w:t></w:r></mc:Fallback>"
			 "</mc:AlternateContent></w:p></w:tc>" TC("1"))),
		  "0.0: 新框@0|1@1", 1 },
		{ "strict OOXML namespace",
		  "<w:tbl xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\">"
		  TR(TC("a") TC("1")) "</w:tbl>",
		  "0.0: a@0|1@1", 1 },
		{ "text outside w:t is no text", TBL(TR("<w:tc><w:p>stray<w:r>run</w:r></w:p></w:tc>")),
		  "0.0: @0", 1 },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;
		struct err e;
		char *got;

		struct buf x = BUF_INIT(BUF_NOLIMIT);

		t_case = cs[i].name;
		buf_addf(&x, "%s%s%s", HEAD, cs[i].body, TAIL);
		CHECK_INT(parse(buf_str(&x), NULL, &d, &e), 0);
		buf_release(&x);
		got = rows_str(&d);
		CHECK_STR(got, cs[i].rows);
		CHECK_INT(d.ntables, cs[i].ntables);
		CHECK_INT(d.from_html, 1);
		free(got);
		doc_release(&d);
	}
}

struct lcase {
	const char *name;
	const char *body;
	const char *core_title;	/* NULL: no core.xml */
	const char *lines;
	const char *title;
};

#define CORE(t)                                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties xmlns:cp=\"http://"     \
	"schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http:" \
	"//purl.org/dc/elements/1.1/\"><dc:title>" t "</dc:title><dc:creator>x</dc:creator>"  \
	"</cp:coreProperties>"

static void test_lines(void)
{
	static const struct lcase cs[] = {
		{ "paragraphs in reading order, empty ones skipped",
		  P("龙湖镇2023年政府信息公开工作年度报告") "<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>"
		  P("一、总体情况") TBL(TR(TC("规章") TC("0"))) P("五、存在的主要问题"),
		  NULL, "龙湖镇2023年政府信息公开工作年度报告 / 一、总体情况 / 五、存在的主要问题",
		  "龙湖镇2023年政府信息公开工作年度报告" },
		{ "a line break ends a line; runs join",
		  "<w:p><w:r><w:t>晋江市龙湖镇人民政府</w:t><w:br/><w:t>2023年</w:t></w:r>"
		  "<w:r><w:t>年度报告</w:t></w:r></w:p>",
		  NULL, "晋江市龙湖镇人民政府 / 2023年年度报告", "晋江市龙湖镇人民政府" },
		{ "a report title in core.xml is the title", P("（2024年1月）") P("正文"),
		  CORE("晋江市龙湖镇人民政府 2023年政府信息公开工作年度报告"), "（2024年1月） / 正文",
		  "晋江市龙湖镇人民政府 2023年政府信息公开工作年度报告" },
		{ "a template's title in core.xml is not", P("某镇2023年年度报告") P("正文"), CORE("文档1"),
		  "某镇2023年年度报告 / 正文", "某镇2023年年度报告" },
		{ "no text at all", "<w:p/>", CORE(""), "", NULL },
		{ "a layout table's paragraphs are lines too",
		  P("前言") TBL(TR("<w:tc>" P("发布机构：某某镇人民政府")
				   P("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
				     "一二三四五六七八九十一二三四五六七八九十")
				   TBL(TR(TC("规章") TC("0"))) P("六、其他") "</w:tc>"))
		  P("结尾"),
		  NULL, NULL, "前言" },
		{ "a table holding a table lays out the page",
		  TBL(TR("<w:tc>" P("标题行") TBL(TR(TC("数据") TC("1"))) "</w:tc>")),
		  NULL, "标题行", "标题行" },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct buf x = BUF_INIT(BUF_NOLIMIT);
		struct doc d;
		struct err e;
		char *got;

		t_case = cs[i].name;
		buf_addf(&x, "%s%s%s", HEAD, cs[i].body, TAIL);
		CHECK_INT(parse(buf_str(&x), cs[i].core_title, &d, &e), 0);
		got = lines_str(&d);
		if (cs[i].lines)
			CHECK_STR(got, cs[i].lines);
		CHECK_STR(d.title, cs[i].title);
		free(got);
		doc_release(&d);
		buf_release(&x);
	}
	/* the layout case in full: its lines between the page's, its data table's text not */
	{
		struct buf x = BUF_INIT(BUF_NOLIMIT);
		struct doc d;
		struct err e;

		t_case = "layout lines";
		buf_addf(&x, "%s%s%s", HEAD, cs[5].body, TAIL);
		CHECK_INT(parse(buf_str(&x), NULL, &d, &e), 0);
		CHECK_INT(d.nlines, 5);
		if (d.nlines == 5) {
			CHECK_STR(d.lines[0], "前言");
			CHECK_STR(d.lines[1], "发布机构：某某镇人民政府");
			CHECK_STR(d.lines[3], "六、其他");
			CHECK_STR(d.lines[4], "结尾");
		}
		CHECK_INT(d.ntables, 2);
		doc_release(&d);
		buf_release(&x);
	}
}

struct ecase {
	const char *name;
	const char *xml;
	int code;
	const char *msg;	/* a part of the message */
};

#define LOL "<!ENTITY lol \"lol\">"
#define LOL9                                                                             \
	"<!DOCTYPE w:document [" LOL                                                     \
	"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"           \
	"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">" \
	"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">" \
	"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">" \
	"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">" \
	"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">" \
	"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">" \
	"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">" \
	"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"

static void test_bad_xml(void)
{
	static const struct ecase cs[] = {
		{ "billion laughs", "<?xml version=\"1.0\"?>" LOL9
		  "<w:document xmlns:w=\"" W_NS "\"><w:body>" P("&lol9;") "</w:body></w:document>",
		  OGI_EPARSE, "declares a DOCTYPE" },
		{ "external entity", "<?xml version=\"1.0\"?><!-- x --><!DOCTYPE d [<!ENTITY x SYSTEM "
		  "\"file:///etc/passwd\">]><w:document xmlns:w=\"" W_NS "\">&x;</w:document>",
		  OGI_EPARSE, "declares a DOCTYPE" },
		{ "an undeclared entity", HEAD P("&nbsp;") TAIL, OGI_EPARSE, "not well-formed XML (line 2" },
		{ "cut short", HEAD TBL(TR(TC("a"))) "<w:p><w:r><w:t>x", OGI_EPARSE, "not well-formed" },
		{ "not XML", "PK garbage", OGI_EPARSE, "does not start as UTF-8 XML" },
		{ "UTF-16", "\xFF\xFE<\0?\0x\0m\0l\0", OGI_EPARSE, "does not start as UTF-8 XML" },
		{ "invalid UTF-8", HEAD P("\xC0\xAF") TAIL, OGI_EPARSE, "not well-formed" },
		{ "an unclosed comment in the prolog", "<?xml version=\"1.0\"?><!-- x", OGI_EPARSE,
		  "does not start" },
		{ "a DOCTYPE after the root", HEAD TAIL "<!DOCTYPE x>", OGI_EPARSE, "not well-formed" },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;
		struct err e;

		t_case = cs[i].name;
		CHECK_INT(parse(cs[i].xml, NULL, &d, &e), cs[i].code);
		CHECK_INT(e.code, cs[i].code);
		if (!CHECK(strstr(e.msg, cs[i].msg)))
			fprintf(stderr, "    message: %s\n", e.msg);
		doc_release(&d);
	}
}

/* A copy of z with every directory entry (local and central) changed by fn. */
static void patch_entries(char *z, size_t len, void (*fn)(unsigned char *h, int central))
{
	unsigned char *b = (unsigned char *)z;

	for (size_t i = 0; i + 46 <= len; i++) {
		if (!memcmp(b + i, "PK\3\4", 4))
			fn(b + i, 0);
		else if (!memcmp(b + i, "PK\1\2", 4))
			fn(b + i, 1);
	}
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* The uncompressed size field: local header +22, central +24. */
static void claim_huge(unsigned char *h, int central)
{
	put32(h + (central ? 24 : 22), 0x7FFFFFFFu);
}

static void claim_small(unsigned char *h, int central)
{
	put32(h + (central ? 24 : 22), 100);
}

/* General purpose flag bit 0: the entry is encrypted (local +6, central +8). */
static void encrypted(unsigned char *h, int central)
{
	h[central ? 8 : 6] |= 1;
}

static int parse_zip(const char *z, size_t len, struct doc *d, struct err *e)
{
	doc_init(d);
	err_clear(e);
	return docx_parse(z, len, d, e);
}

static void expect_error(const char *z, size_t len, int code, const char *msg)
{
	struct doc d;
	struct err e;

	CHECK_INT(parse_zip(z, len, &d, &e), code);
	if (!CHECK(strstr(e.msg, msg)))
		fprintf(stderr, "    message: %s\n", e.msg);
	doc_release(&d);
}

static void test_zip_limits(void)
{
	const char *xml = HEAD P("某镇2023年政府信息公开工作年度报告") TBL(TR(TC("规章") TC("0"))) TAIL;
	size_t len, big = (size_t)2 << 20;
	char *z, *pad;
	struct doc d;
	struct err e;

	t_case = "a good one";
	z = make_docx(xml, strlen(xml), NULL, &len);
	CHECK_INT(docx_sniff(z, len), 1);
	CHECK_INT(parse_zip(z, len, &d, &e), 0);
	CHECK_INT(d.nrows, 1);
	doc_release(&d);

	t_case = "truncated: sniffed by its local header, refused as damaged";
	CHECK_INT(docx_sniff(z, len / 2), 1);
	expect_error(z, len / 2, OGI_EPARSE, "not a complete ZIP archive");
	CHECK_INT(docx_sniff(z, 40), 0);	/* the name is cut too */
	expect_error(z, 10, OGI_EPARSE, "ZIP");

	t_case = "the directory claims a huge document.xml";
	patch_entries(z, len, claim_huge);
	expect_error(z, len, OGI_ETOOBIG, "over the 64 MiB limit");
	free(z);

	t_case = "the directory says less than the data inflates to";
	z = make_docx(xml, strlen(xml), NULL, &len);
	patch_entries(z, len, claim_small);
	expect_error(z, len, OGI_ETOOBIG, "inflates past the 100 bytes its directory declares");
	free(z);

	t_case = "encrypted";
	z = make_docx(xml, strlen(xml), NULL, &len);
	patch_entries(z, len, encrypted);
	expect_error(z, len, OGI_EPARSE, "encrypted");
	free(z);

	t_case = "a zip bomb: 2 MiB of spaces";
	pad = xmalloc(big + 1);
	memset(pad, ' ', big);
	pad[big] = '\0';
	{
		struct buf x = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&x, "%s%s%s", HEAD, pad, TAIL);
		z = make_docx(buf_str(&x), x.len, NULL, &len);
		expect_error(z, len, OGI_ETOOBIG, "a ZIP bomb");
		free(z);
		/* the same stored: no ratio, read */
		{
			struct part p = { DOCX_PART, buf_str(&x), x.len, 1 };

			z = make_zip(&p, 1, &len);
			CHECK_INT(parse_zip(z, len, &d, &e), 0);
			doc_release(&d);
			free(z);
		}
		buf_release(&x);
	}
	free(pad);

	t_case = "no document.xml";
	{
		struct part p[] = { { "xl/workbook.xml", "<workbook/>", 0, 0 },
				    { "[Content_Types].xml", "<Types/>", 0, 0 } };

		z = make_zip(p, 2, &len);
		CHECK_INT(docx_sniff(z, len), 0);
		expect_error(z, len, OGI_EPARSE, "without word/document.xml");
		free(z);
	}

	t_case = "too many entries";
	{
		static const char *const name_fmt = "media/image%d.png";
		struct part *p = xcalloc(DOCX_MAX_ENTRIES + 1, sizeof(*p));
		char (*names)[32] = xcalloc(DOCX_MAX_ENTRIES + 1, sizeof(*names));

		p[0] = (struct part){ DOCX_PART, xml, 0, 0 };
		for (int i = 1; i <= DOCX_MAX_ENTRIES; i++) {
			snprintf(names[i], sizeof(names[i]), name_fmt, i);
			p[i] = (struct part){ names[i], "x", 0, 1 };
		}
		z = make_zip(p, DOCX_MAX_ENTRIES + 1, &len);
		CHECK_INT(docx_sniff(z, len), 1);
		expect_error(z, len, OGI_ETOOBIG, "more than 4096 entries");
		free(z);
		free(p);
		free(names);
	}

	t_case = "not a zip";
	CHECK_INT(docx_sniff("<html>", 6), 0);
	CHECK_INT(docx_sniff("PK\3\4", 4), 0);
	CHECK_INT(docx_sniff("", 0), 0);
}

/* A document of n copies of unit between head and tail, stored (bombs are refused). */
static int parse_repeated(const char *head, const char *unit, size_t n, const char *tail,
			  struct doc *d, struct err *e)
{
	struct buf x = BUF_INIT(BUF_NOLIMIT);
	struct part p;
	size_t len;
	char *z;
	int ret;

	buf_adds(&x, HEAD);
	buf_adds(&x, head);
	for (size_t i = 0; i < n; i++)
		buf_adds(&x, unit);
	buf_adds(&x, tail);
	buf_adds(&x, TAIL);
	p = (struct part){ DOCX_PART, buf_str(&x), x.len, 1 };
	z = make_zip(&p, 1, &len);
	ret = parse_zip(z, len, d, e);
	free(z);
	buf_release(&x);
	return ret;
}

static void test_table_limits(void)
{
	struct doc d;
	struct err e;
	size_t n = 0;

	t_case = "tables nested deeper than DOCX_MAX_DEPTH";
	{
		struct buf open = BUF_INIT(BUF_NOLIMIT), close = BUF_INIT(BUF_NOLIMIT);

		for (int i = 0; i < 60; i++) {
			buf_adds(&open, "<w:tbl><w:tr><w:tc>" P("x"));
			buf_adds(&close, "</w:tc></w:tr></w:tbl>");
		}
		CHECK_INT(parse_repeated(buf_str(&open), "", 0, buf_str(&close), &d, &e), 0);
		CHECK_INT(d.ntables, DOCX_MAX_DEPTH);
		CHECK_INT(d.nrows, DOCX_MAX_DEPTH);
		doc_release(&d);
		buf_release(&open);
		buf_release(&close);
	}

	t_case = "elements nested past libxml2's depth limit";
	CHECK_INT(parse_repeated("", "<w:sdt>", 300, "", &d, &e), OGI_EPARSE);
	doc_release(&d);

	t_case = "columns";
	CHECK_INT(parse_repeated("<w:tbl><w:tr>", TC("1"), DOCX_MAX_COLS + 50, "</w:tr></w:tbl>",
				 &d, &e), 0);
	CHECK_INT(d.nrows, 1);
	if (d.nrows)
		CHECK_INT(d.rows[0].ncells, DOCX_MAX_COLS);
	doc_release(&d);

	t_case = "spans past the columns";
	CHECK_INT(parse_repeated("<w:tbl><w:tr>" TC("a"),
				 TCPR("<w:gridSpan w:val=\"99999999999\"/>", "b"), 3,
				 "</w:tr></w:tbl>", &d, &e), 0);
	CHECK_INT(d.nrows, 1);
	if (d.nrows) {
		CHECK_INT(d.rows[0].ncells, 2);
		CHECK_INT(d.rows[0].cols[1], 1);
	}
	doc_release(&d);

	t_case = "rows";
	CHECK_INT(parse_repeated("<w:tbl>", TR(TC("a")), DOCX_MAX_ROWS + 10, "</w:tbl>", &d, &e), 0);
	CHECK_INT(d.nrows, DOCX_MAX_ROWS);
	doc_release(&d);

	t_case = "cells";
	CHECK_INT(parse_repeated("<w:tbl>", TR(TC("1") TC("2") TC("3") TC("4") TC("5") TC("6")
					       TC("7") TC("8") TC("9") TC("10")
					       TC("1") TC("2") TC("3") TC("4") TC("5") TC("6")
					       TC("7") TC("8") TC("9") TC("10")
					       TC("1") TC("2") TC("3") TC("4") TC("5") TC("6")
					       TC("7") TC("8") TC("9") TC("10")
					       TC("1") TC("2") TC("3") TC("4") TC("5") TC("6")
					       TC("7") TC("8") TC("9") TC("10")
					       TC("1") TC("2") TC("3") TC("4") TC("5") TC("6")
					       TC("7") TC("8") TC("9") TC("10")
					       TC("1") TC("2") TC("3") TC("4") TC("5") TC("6")
					       TC("7") TC("8") TC("9") TC("10")),
				 DOCX_MAX_ROWS, "</w:tbl>", &d, &e), 0);
	for (size_t i = 0; i < d.nrows; i++)
		n += d.rows[i].ncells;
	CHECK_INT(n, DOCX_MAX_CELLS);
	doc_release(&d);

	t_case = "tables";
	CHECK_INT(parse_repeated("", TBL(TR(TC("a"))), DOCX_MAX_TABLES + 10, "", &d, &e), 0);
	CHECK_INT(d.ntables, DOCX_MAX_TABLES);
	CHECK_INT(d.nrows, DOCX_MAX_TABLES);
	doc_release(&d);

	t_case = "nodes";
	CHECK_INT(parse_repeated("", "<w:p/>", DOCX_MAX_NODES + 1, "", &d, &e), OGI_ETOOBIG);
	CHECK(strstr(e.msg, "XML nodes"));
	doc_release(&d);
}

int main(void)
{
	RUN(test_grid);
	RUN(test_lines);
	RUN(test_bad_xml);
	RUN(test_zip_limits);
	RUN(test_table_limits);
	return t_done("test-docx");
}
