#include "parser/html.h"

#include <gumbo.h>
#include <stdint.h>

#include "html/nesting.h"
#include "parser/doc.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "t.h"

#define NBSP "\xc2\xa0"

static int parse(const char *html, size_t len, struct doc *d)
{
	struct err err = ERR_INIT;

	doc_init(d);
	return html_parse(html, len, d, &err);
}

/* The rows of one table, in order. */
static size_t table_rows(const struct doc *d, int table, const struct doc_row **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nrows; i++)
		if (d->rows[i].table == table && n < max)
			out[n++] = &d->rows[i];
	return n;
}

/* The row's cells joined by '|', carried ones marked '^', for compact expectations. */
static const char *row_str(const struct doc_row *r, struct buf *b)
{
	buf_reset(b);
	for (size_t c = 0; c < r->ncells; c++) {
		if (c)
			buf_addc(b, '|');
		if (r->carried[c])
			buf_addc(b, '^');
		buf_adds(b, r->cells[c]);
	}
	return buf_str(b);
}

struct scase {
	const char *in;
	int html;
};

static void test_sniff(void)
{
	static const struct scase cs[] = {
		{ "<!DOCTYPE html><html>", 1 },
		{ "\xef\xbb\xbf  \n<html lang=zh>", 1 },
		{ "<HTML>", 1 },
		{ "<meta charset=utf-8>", 1 },
		{ "<p>x</p>", 1 },
		{ "<title>t</title>", 1 },
		{ "<!-- saved page -->", 1 },
		{ "text first\n<div class=a>x</div>", 1 },
		{ "报告\n<table border=1>", 1 },
		{ "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告", 0 },
		{ "关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知", 0 },
		{ "a <pre> b <param> c <tablet>", 0 },
		{ "<", 0 },
		{ "", 0 },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		t_case = cs[i].in;
		CHECK_INT(html_sniff(cs[i].in, strlen(cs[i].in)), cs[i].html);
	}
}

/* '<div' past 1 KiB of text counts, but only within the first 64 KiB. */
static void test_sniff_window(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (int i = 0; i < 2000; i++)
		buf_adds(&b, "x ");
	buf_adds(&b, "<div>");
	CHECK_INT(html_sniff(b.ptr, b.len), 1);
	buf_reset(&b);
	for (int i = 0; i < 40000; i++)
		buf_adds(&b, "x ");
	buf_adds(&b, "<div>");
	CHECK_INT(html_sniff(b.ptr, b.len), 0);
	buf_release(&b);
}

static void test_shanghai(void)
{
	static const char *const expect1[] = {
		"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|申请人情况",
		"^（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|自然人|"
		"法人或其他组织|总计",
		"^（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|^自然人|"
		"商业企业|科研机构|社会公益组织|法律服务机构|其他|^总计",
		"一、本年新收政府信息公开申请数量|821|35|||2|1|859",
		"二、上年结转政府信息公开申请数量|18||||||18",
		"三、本年度办理结果|（一）予以公开|258|12|||1|1|",
		"^三、本年度办理结果|（二）部分公开（区分处理的，只计这一情形，"
		"不计其他情形）|3||||||",
		"^三、本年度办理结果|（三）不予公开|1.属于国家秘密|14||||||",
		"^三、本年度办理结果|^（三）不予公开|2.其他法律行政法规禁止公开|||||||",
	};
	const struct doc_row *rows[64];
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	size_t len, n;
	char *page = t_slurp("", "shanghai-office-2019.html", &len);
	struct doc d;

	CHECK(page != NULL);
	if (!page)
		return;
	CHECK_INT(parse(page, len, &d), 0);
	CHECK_INT(d.from_html, 1);
	CHECK_STR(d.title, "2019年上海市人民政府办公厅政府信息公开工作年度报告");
	CHECK_INT(d.ntables, 3);
	CHECK_INT(d.nlines, 36);
	CHECK_STR(d.lines[0], "2019年上海市人民政府办公厅政府信息公开工作年度报告");
	CHECK_STR(d.lines[1], "发布日期：2020-01-31");
	CHECK_STR(d.lines[3], "一、总体情况");
	CHECK_STR(d.lines[27], "三、收到和处理政府信息公开申请情况");
	CHECK_STR(d.lines[35], "无。");
	for (size_t i = 0; i < d.nlines; i++) {
		/* Table text stays out of the lines. */
		CHECK(strcmp(d.lines[i], "规章") != 0);
		CHECK(strcmp(d.lines[i], "行政复议") != 0);
	}

	n = table_rows(&d, 0, rows, 64);
	CHECK_INT(n, 18);
	if (n == 18) {
		CHECK_STR(row_str(rows[0], &b), "第二十条第（一）项");
		CHECK_STR(row_str(rows[1], &b),
			  "信息内容|本年新制作数量|本年新公开数量|对外公开总数量");
		CHECK_STR(row_str(rows[2], &b), "规章|13|13|524");
		CHECK_STR(row_str(rows[17], &b), "政府集中采购|6|251000元");
	}

	n = table_rows(&d, 1, rows, 64);
	CHECK_INT(n, 26);
	for (size_t i = 0; i < n && i < sizeof(expect1) / sizeof(expect1[0]); i++)
		CHECK_STR(row_str(rows[i], &b), expect1[i]);
	if (n == 26) {
		const struct doc_row *r = rows[7];

		/* （三）不予公开 | 1.属于国家秘密 | 14 | six blanks, under the carried 三. */
		CHECK_INT(r->ncells, 10);
		CHECK_STR(r->cells[0], "三、本年度办理结果");
		CHECK_INT(r->carried[0], 1);
		CHECK_INT(r->carried[1], 0);
		CHECK_STR(r->cells[3], "14");
		for (size_t c = 4; c < r->ncells; c++)
			CHECK_STR(r->cells[c], "");
		CHECK_STR(row_str(rows[24], &b), "^三、本年度办理结果|（七）总计|767|35|||2|1|805");
		CHECK_STR(row_str(rows[25], &b), "四、结转下年度继续办理|72||||||72");
	}

	n = table_rows(&d, 2, rows, 64);
	CHECK_INT(n, 4);
	if (n == 4) {
		CHECK_STR(row_str(rows[0], &b), "行政复议|行政诉讼");
		CHECK_INT(rows[3]->ncells, 15);
		CHECK_STR(row_str(rows[3], &b), "5|||2|7|8|||1|9|||||");
	}
	CHECK_INT(d.nrows, 18 + 26 + 4);
	/* A page with sane nesting goes to gumbo untouched. */
	{
		char *out = NULL;
		size_t olen = 0;

		CHECK_INT(html_nesting_bound(page, len, &out, &olen), 0);
		CHECK(out == NULL);
	}
	doc_release(&d);
	buf_release(&b);
	free(page);
}

/* The fixture cut short in the middle of table 3, and in the middle of a tag. */
static void test_truncated(void)
{
	size_t len;
	char *page = t_slurp("", "shanghai-office-2019.html", &len);
	const char *cut;
	struct doc d;
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	CHECK(page != NULL);
	if (!page)
		return;
	cut = strstr(page, "2.没有现成信息需要另行制作");
	CHECK(cut != NULL);
	if (!cut) {
		free(page);
		return;
	}
	CHECK_INT(parse(page, (size_t)(cut - page), &d), 0);
	CHECK_INT(d.ntables, 2);
	CHECK_INT(d.nrows, 18 + 17);
	CHECK_STR(d.rows[d.nrows - 1].cells[d.rows[d.nrows - 1].ncells - 1], "");
	doc_release(&d);
	cut = strstr(page, "rowspan=\"20\"");
	CHECK_INT(parse(page, (size_t)(cut - page) + 9, &d), 0);
	CHECK_INT(d.ntables, 2);
	CHECK_STR(row_str(&d.rows[d.nrows - 1], &b), "二、上年结转政府信息公开申请数量|18||||||18");
	doc_release(&d);
	buf_release(&b);
	free(page);
}

struct tcase {
	const char *what;
	const char *html;
	size_t nrows;
	const char *rows[8];	/* row_str of each row, "T<n>:" prefixed when not table 0 */
	size_t nlines;		/* only layout tables give lines */
};

static void test_tables(void)
{
	static const struct tcase cs[] = {
		{ "bad spans",
		  "<table><tr><td rowspan=0>A</td><td colspan=-3>B</td>"
		  "<td colspan=\"abc\">C</td></tr>"
		  "<tr><td colspan=100000>D</td></tr>"
		  "<tr><td rowspan=65535>E</td><td>F</td></tr>"
		  "<tr><td>G</td></tr></table>",
		  4, { "A|B|C", "D", "E|F", "^E|G" }, 0 },
		{ "span syntax",
		  "<table><tr><td colspan=' 2'>A</td><td>B</td></tr>"
		  "<tr><td colspan='+1'>1</td><td colspan='1x'>2</td><td>3</td></tr></table>",
		  2, { "A|B", "1|2|3" }, 0 },
		{ "rowspan and colspan together",
		  "<table><tr><td rowspan=2 colspan=2>X</td><td>a</td></tr><tr><td>b</td></tr>"
		  "<tr><td>c</td><td>d</td><td>e</td></tr></table>",
		  3, { "X|a", "^X|b", "c|d|e" }, 0 },
		{ "overlapping spans",
		  "<table><tr><td>a</td><td rowspan=2>B</td></tr>"
		  "<tr><td colspan=3>C</td><td>d</td></tr></table>",
		  2, { "a|B", "C|^B|d" }, 0 },
		{ "split labels",
		  "<table><tr><td>申请人情<span>况</span></td>"
		  "<td><font>总</font><font>计</font></td><td>本年新<br />制作数量</td>"
		  "<td>12<br>34</td><td><p>a</p><p>b</p></td></tr></table>",
		  1, { "申请人情况|总计|本年新制作数量|12 34|a b" }, 0 },
		{ "blank cells",
		  "<table><tr><td>&nbsp;</td><td><p><o:p> </o:p></p></td><td>  \n </td>"
		  "<td>&nbsp;12&nbsp;</td><td></td><td>\xe3\x80\x80</td></tr></table>",
		  1, { "|||12||\xe3\x80\x80" }, 0 },
		{ "nested layout table",
		  "<table><tr><td>Intro<table><tr><td>a</td><td>1</td></tr></table>tail</td>"
		  "<td>R</td></tr></table><table><tr><td>z</td></tr></table>",
		  3, { "Intro tail|R", "T1:a|1", "T2:z" }, 3 },
		{ "row groups and th",
		  "<table><caption>cap</caption><thead><tr><th>h</th></tr></thead>"
		  "<tfoot><tr><td>f</td></tr></tfoot><tbody><tr><td>b</td></tr></tbody></table>",
		  3, { "h", "f", "b" }, 0 },
		{ "empty rows skipped",
		  "<table><tr></tr><tr><td>x</td></tr><tr> </tr></table><table></table>",
		  1, { "x" }, 0 },
		{ "script and style in cells",
		  "<table><tr><td>a<script>var x=1;</script><style>p{}</style>b</td></tr></table>",
		  1, { "ab" }, 0 },
	};
	struct buf b = BUF_INIT(BUF_NOLIMIT), want = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;

		t_case = cs[i].what;
		CHECK_INT(parse(cs[i].html, strlen(cs[i].html), &d), 0);
		CHECK_INT(d.nrows, cs[i].nrows);
		for (size_t r = 0; r < d.nrows && r < cs[i].nrows; r++) {
			buf_reset(&want);
			if (d.rows[r].table)
				buf_addf(&want, "T%d:", d.rows[r].table);
			buf_adds(&want, row_str(&d.rows[r], &b));
			CHECK_STR(buf_str(&want), cs[i].rows[r]);
		}
		CHECK_INT(d.nlines, cs[i].nlines);
		doc_release(&d);
	}
	buf_release(&b);
	buf_release(&want);
}

/* Grids stop at HTML_MAX_COLS columns and HTML_MAX_ROWS rows. */
static void test_table_limits(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct doc d;

	buf_adds(&b, "<table><tr>");
	for (int i = 0; i < HTML_MAX_COLS + 50; i++)
		buf_addf(&b, "<td>%d</td>", i);
	buf_adds(&b, "</tr>");
	for (int i = 0; i < HTML_MAX_ROWS + 100; i++)
		buf_adds(&b, "<tr><td colspan=64 rowspan=64>x</td></tr>");
	buf_adds(&b, "</table>");
	CHECK_INT(parse(b.ptr, b.len, &d), 0);
	CHECK_INT(d.ntables, 1);
	CHECK_INT(d.nrows, HTML_MAX_ROWS);
	CHECK_INT(d.rows[0].ncells, HTML_MAX_COLS);
	CHECK_STR(d.rows[0].cells[HTML_MAX_COLS - 1], "255");
	/* The 64x64 cells stack up across the grid until it is full, then make way. */
	CHECK_INT(d.rows[1].ncells, 1);
	CHECK_INT(d.rows[2].ncells, 2);
	CHECK_INT(d.rows[2].carried[0], 1);
	CHECK_INT(d.rows[2].carried[1], 0);
	CHECK_INT(d.rows[5].ncells, 4);
	CHECK_INT(d.rows[5].carried[3], 1);
	CHECK_INT(d.rows[65].ncells, 4);
	CHECK_INT(d.rows[65].carried[0], 0);
	doc_release(&d);
	buf_release(&b);
}

struct lcase {
	const char *what;
	const char *html;
	const char *title;
	size_t nlines;
	const char *lines[8];
};

static void test_lines(void)
{
	static const struct lcase cs[] = {
		{ "blocks",
		  "<div>a<div>b</div>c</div><p>x<br>y</p><ul><li>one</li><li>two</li></ul>",
		  NULL, 7, { "a", "b", "c", "x", "y", "one", "two" } },
		{ "skipped",
		  "<head><title> A \n B </title><style>s</style><script>x</script></head>"
		  "<body><noscript>n</noscript><template>t</template><p>  spaced \t out  </p>",
		  "A B", 1, { "spaced out" } },
		{ "nbsp", "<p>a&nbsp;&nbsp;b" NBSP "</p><p>&nbsp;</p>", NULL, 1, { "a b" } },
		{ "inline", "<p>申请人情<span>况</span> <b>x</b></p>", NULL, 1,
		  { "申请人情况 x" } },
		{ "tables excluded", "<p>before</p><table><tr><td><p>in</p></td></tr></table>after",
		  NULL, 2, { "before", "after" } },
		{ "layout table read as lines",
		  "<table><tr><td>nav</td><td><h1>Report</h1><p>发布时间：2023-01-16</p>"
		  "<table><tr><td>规章</td><td>0</td></tr></table><p>end</p></td></tr></table>",
		  NULL, 4, { "nav", "Report", "发布时间：2023-01-16", "end" } },
		{ "paragraph in a table",
		  "<table><tr><td><p>一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十</p></td><td>x</td></tr></table>",
		  NULL, 2, { "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二三四五六七八九十一二三四五六七八九十", "x" } },
		{ "empty title", "<title> </title><p>x</p>", NULL, 1, { "x" } },
		{ "first title", "<title>one</title><title>two</title>", "one", 0, { NULL } },
		{ "empty", "", NULL, 0, { NULL } },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;

		t_case = cs[i].what;
		CHECK_INT(parse(cs[i].html, strlen(cs[i].html), &d), 0);
		CHECK_STR(d.title, cs[i].title);
		CHECK_INT(d.nlines, cs[i].nlines);
		for (size_t l = 0; l < d.nlines && l < cs[i].nlines; l++)
			CHECK_STR(d.lines[l], cs[i].lines[l]);
		doc_release(&d);
	}
}

/* Invalid UTF-8 reaches gumbo as is; what comes out is valid UTF-8. */
static void test_invalid_utf8(void)
{
	static const char page[] =
		"<p>a\xff\xfe b\xe4\xb8</p><table><tr><td>\xc0\xaf" "1</td></tr></table>";
	struct doc d;

	CHECK_INT(parse(page, sizeof(page) - 1, &d), 0);
	CHECK_INT(d.nlines, 1);
	CHECK_INT(d.nrows, 1);
	for (size_t i = 0; i < d.nlines; i++)
		CHECK_INT(utf8_valid_prefix(d.lines[i], strlen(d.lines[i])), strlen(d.lines[i]));
	if (d.nrows)
		CHECK_INT(utf8_valid_prefix(d.rows[0].cells[0], strlen(d.rows[0].cells[0])),
			  strlen(d.rows[0].cells[0]));
	doc_release(&d);
}

/*
 * gumbo 0.10.1 turns a numeric character reference past INT_MAX into bytes
 * that are not UTF-8 ("&#2222222222;" becomes 0x8E): the text read comes
 * out with U+FFFD instead, in lines, cells and the title.
 */
static void test_numeric_ref_overflow(void)
{
	static const struct {
		const char *page, *title, *line, *cell;
	} cs[] = {
		{ "<p>a&#2222222222;b</p>", NULL, "a\xef\xbf\xbd" "b", NULL },
		{ "<p>&#222222222222</p>", NULL, "\xef\xbf\xbd", NULL },
		{ "<p>&#x84745F8E;&#12288;x</p>", NULL, "\xef\xbf\xbd\xe3\x80\x80x", NULL },
		{ "<title>t&#2222222222;</title><table><tr><td>1&#2222222222;</td></tr></table>",
		  "t\xef\xbf\xbd", NULL, "1\xef\xbf\xbd" },
		{ "<p>&#2147483647;&#65;</p>", NULL, "\xef\xbf\xbd" "A", NULL },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;

		t_case = cs[i].page;
		CHECK_INT(parse(cs[i].page, strlen(cs[i].page), &d), 0);
		if (cs[i].title)
			CHECK_STR(d.title, cs[i].title);
		CHECK_INT(d.nlines, cs[i].line != NULL);
		if (cs[i].line && d.nlines)
			CHECK_STR(d.lines[0], cs[i].line);
		CHECK_INT(d.nrows, cs[i].cell != NULL);
		if (cs[i].cell && d.nrows) {
			CHECK_INT(d.rows[0].ncells, 1);
			if (d.rows[0].ncells)
				CHECK_STR(d.rows[0].cells[0], cs[i].cell);
		}
		doc_release(&d);
	}
}

/* 10,000 nested tables: HTML_MAX_DEPTH of them read, each holding its own text. */
static void test_nested_tables(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct doc d;

	for (int close = 0; close < 2; close++) {
		buf_reset(&b);
		for (int i = 0; i < 10000; i++)
			buf_addf(&b, "<table><tr><td>L%d", i);
		for (int i = 0; close && i < 10000; i++)
			buf_adds(&b, "</td></tr></table>");
		CHECK_INT(parse(b.ptr, b.len, &d), 0);
		CHECK_INT(d.ntables, HTML_MAX_DEPTH);
		CHECK_INT(d.nrows, HTML_MAX_DEPTH);
		for (size_t i = 0; i < d.nrows; i++) {
			char want[32];

			snprintf(want, sizeof(want), "L%zu", i);
			CHECK_INT(d.rows[i].table, (int)i);
			CHECK_INT(d.rows[i].ncells, 1);
			CHECK_STR(d.rows[i].cells[0], want);
		}
		doc_release(&d);
	}
	buf_release(&b);
}

/* 100,000 nested divs (unclosed, then closed): gumbo sees at most HTML_MAX_NESTING of them. */
static void test_nested_divs(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct doc d;

	for (int close = 0; close < 2; close++) {
		buf_reset(&b);
		buf_adds(&b, "<title>deep</title>");
		for (int i = 0; i < 100000; i++)
			buf_adds(&b, "<div>");
		buf_adds(&b, "bottom");
		for (int i = 0; close && i < 100000; i++)
			buf_adds(&b, "</div>");
		buf_adds(&b, "<p>after</p>");
		CHECK_INT(parse(b.ptr, b.len, &d), 0);
		CHECK_STR(d.title, "deep");
		/* Unclosed, the page stays at the limit and the <p> is dropped too. */
		CHECK_INT(d.nlines, close ? 2 : 1);
		if (d.nlines) {
			CHECK(!strncmp(d.lines[0], "bottom", 6));
			CHECK(strstr(d.lines[d.nlines - 1], "after") != NULL);
		}
		doc_release(&d);
	}
	buf_release(&b);
}

/* The depth of gumbo's tree, walked with a heap stack. */
static size_t tree_depth(GumboNode *root)
{
	struct fr {
		GumboNode *n;
		unsigned int next;
	} *st = malloc(sizeof(*st) * 4);
	size_t sp = 0, alloc = 4, max = 0;

	st[sp].n = root;
	st[sp++].next = 0;
	while (sp) {
		struct fr *f = &st[sp - 1];
		/* a template's content is a node of its own type, with children all the same */
		int el = f->n->type == GUMBO_NODE_ELEMENT || f->n->type == GUMBO_NODE_TEMPLATE;
		GumboVector *kids = el ? &f->n->v.element.children :
				    f->n->type == GUMBO_NODE_DOCUMENT ? &f->n->v.document.children :
				    NULL;

		if (sp > max)
			max = sp;
		if (!kids || f->next >= kids->length) {
			sp--;
			continue;
		}
		if (sp == alloc) {
			alloc *= 2;
			st = realloc(st, sizeof(*st) * alloc);
			f = &st[sp - 1];
		}
		st[sp].n = kids->data[f->next++];
		st[sp++].next = 0;
	}
	free(st);
	return max;
}

struct ncase {
	const char *what;
	const char *unit;	/* repeated; '#' is replaced by the repetition number */
	int hostile;		/* whether tags must be dropped */
};

/*
 * Repeated patterns that nest without end in the HTML tree builder,
 * including ones where end tags close less than they seem to: whatever the
 * pattern, the tree gumbo builds from the bounded page stays shallow.
 */
static void test_bound_nesting(void)
{
	static const struct ncase cs[] = {
		{ "divs", "<div>", 1 },
		{ "tables", "<table><tr><td>", 1 },
		{ "tables, no rows", "<table><td>", 1 },
		{ "spans", "<span>", 1 },
		{ "unclosed formatting", "<b x=#>", 1 },
		{ "span end stops at div", "<span><div></span>", 1 },
		{ "formatting end stops at div", "<b><div></b>", 1 },
		{ "stray end tags", "<div></span>", 1 },
		{ "div end out of cell scope", "<div><table><td></div>", 1 },
		{ "form end leaves children", "<form><div></form>", 1 },
		{ "misnested form", "<form><div></form></div>", 0 },
		{ "reopened formatting", "<p><b x=#></p>x", 1 },
		{ "svg cut", "<svg><foreignObject><div></foreignObject>", 1 },
		{ "select ignores end tags", "<div><select></div></select>", 1 },
		{ "select ignores start tags", "<select><div><table><td></select>", 0 },
		{ "options", "<select><option><optgroup><option></select>", 0 },
		{ "li in li", "<ul><li><li>", 1 },
		{ "closed divs", "<div>x</div>", 0 },
		{ "paragraphs", "<p>x", 0 },
		{ "list items", "<li>x", 0 },
		{ "rows", "<tr><td>x", 0 },
		{ "table rows", "<table><tr><td>x</td></tr></table>", 0 },
		{ "void", "<br><img src=x><hr>", 0 },
		{ "comments", "<!-- <div> --><!--><div>", 1 },
		{ "hidden in comment", "<!-- <div><div> -->", 0 },
		{ "hidden in attribute", "<p title=\"<div>>\">x</p>", 0 },
		{ "self-closing", "<div/>", 1 },
		/* fuzz/regressions/html: gumbo ignores cells in a template read "in body" */
		{ "cells in a body template", "<template><div><td><div><div><div><td>", 1 },
		{ "cells after a closed div", "<template><p></p><td><div><div><td>", 1 },
		{ "cells in a cell template", "<template><td><div><div><td>", 1 },
	};
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		GumboOutput *g;
		char *out = NULL;
		size_t olen = 0, depth;
		int dropped;

		t_case = cs[i].what;
		buf_reset(&b);
		buf_adds(&b, "<!DOCTYPE html><html><body>");
		for (int k = 0; k < 4000; k++) {
			const char *hash = strchr(cs[i].unit, '#');

			if (hash) {
				buf_add(&b, cs[i].unit, (size_t)(hash - cs[i].unit));
				buf_addf(&b, "%d", k);
				buf_adds(&b, hash + 1);
			} else {
				buf_adds(&b, cs[i].unit);
			}
		}
		dropped = html_nesting_bound(b.ptr, b.len, &out, &olen);
		CHECK_INT(dropped > 0, cs[i].hostile);
		CHECK_INT(out != NULL, cs[i].hostile);
		g = gumbo_parse_with_options(&kGumboDefaultOptions, out ? out : b.ptr,
					     out ? olen : b.len);
		depth = tree_depth(g->document);
		CHECK(depth <= HTML_MAX_NESTING + 8);
		if (getenv("T_DEPTH"))
			fprintf(stderr, "  %s: depth %zu\n", cs[i].what, depth);
		gumbo_destroy_output(&kGumboDefaultOptions, g);
		free(out);
	}
	buf_release(&b);
}

/*
 * Pages the fuzzer found (fuzz/fuzz-html.c, kept in fuzz/regressions/html)
 * where the guard's model of the open elements parted from gumbo's, so
 * that the tree grew past the bound: a '<' of text just before a dropped
 * tag joined what follows into new markup ("<x</table>" hid the end tag
 * closing the deep part), and a select the model kept open (it ignores
 * most tags in one) after an end tag in text it did not trust.
 */
static void test_bound_found(void)
{
	static const struct {
		const char *what;
		struct {
			const char *s;
			int n;
		} parts[5];
	} cs[] = {
		{ "'<' before a dropped cell",
		  { { "<div>", 66 }, { "<table>", 1 }, { "<div>", 955 }, { "<<td>x</table>", 1 },
		    { "<div>", 300 } } },
		{ "'<' before a dropped cell, end tag",
		  { { "<div>", 66 }, { "<table>", 1 }, { "<div>", 955 }, { "<<td>/table>", 1 },
		    { "<div>", 300 } } },
		{ "'<' before a dropped end tag",
		  { { "<div>", 1100 }, { "<</div>div>", 1 }, { "<div>", 300 } } },
		{ "select closed in untrusted text",
		  { { "<select><title>a.test</select>", 1 }, { "<div>", 1500 } } },
		{ "select closed before the title ends",
		  { { "<select><title></select>", 1 }, { "<div>", 1500 }, { "</title>", 1 },
		    { "<div>", 500 } } },
		{ "end tags in a title in a select, then a cell",
		  { { "<select><title></select><table></table><select></title><td><title></select>",
		      1 },
		    { "<div>", 1500 } } },
		{ "end tag in a title in a select, then again",
		  { { "<select><title></select><div></div></title>", 1 }, { "<span>", 1000 },
		    { "</div>", 1 }, { "<span>", 1000 } } },
		{ "title in a template in a select",
		  { { "<select><template><title><!--</title>", 1 }, { "<div>", 1500 },
		    { "-->", 1 } } },
		{ "select in a template in a table",
		  { { "<table><template><select><td><title></select>", 1 }, { "<div>", 1500 } } },
		{ "select in a template of cells",
		  { { "<template><td><select><td>", 1 }, { "<div>", 1500 } } },
		/* </dd> and </dt> close only their own name; any heading closes any other. */
		{ "</dd> with a dt open",
		  { { "<dt>", 1 }, { "<div>", 1100 }, { "</dd>", 1 }, { "<div>", 200 } } },
		{ "</dt> with a dd open",
		  { { "<dd>", 1 }, { "<div>", 1100 }, { "</dt>", 1 }, { "<div>", 200 } } },
		/* A template's table mode is kept by the template, not told by a tbody. */
		{ "tbody in a template of rows",
		  { { "<template><tr><tbody>", 1 }, { "<div>", 1100 }, { "</tr>", 1 },
		    { "<div>", 100 } } },
		{ "tbody in a template after a row",
		  { { "<template><tr></tr><tbody>", 1 }, { "<div>", 1100 }, { "</tbody>", 1 },
		    { "<div>", 100 } } },
		{ "tr in a template of cells",
		  { { "<template><td></td><tr>", 1 }, { "<div>", 1100 }, { "</tr>", 1 },
		    { "<div>", 100 } } },
		{ "tr closing a cell in a template of cells",
		  { { "<template><td><tr>", 1 }, { "<div>", 1100 }, { "</tr>", 1 },
		    { "<div>", 100 } } },
		{ "table in a template of rows",
		  { { "<template><tr></tr><table>", 1 }, { "<div>", 1100 }, { "</table>", 1 },
		    { "<div>", 100 } } },
		{ "cells in templates after a row", { { "<template><tr></tr><td>", 700 } } },
		{ "cells in templates after a row group", { { "<template><tbody></tbody><td>", 700 } } },
		{ "row after a select in a template of rows",
		  { { "<template><tr></tr><td></td><select></select><tr><td><template>", 400 } } },
		/* </template> closes its template from anywhere, a select or a table in it. */
		{ "</template> in a select", { { "<template><select></template>", 1 }, { "<b>", 1100 } } },
		{ "</template> past a table",
		  { { "<template><table></template><td>", 1 }, { "<div>", 1100 }, { "</td>", 1 },
		    { "<div>", 100 } } },
	};
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		GumboOutput *g;
		char *out = NULL;
		size_t olen = 0, depth;

		t_case = cs[i].what;
		buf_reset(&b);
		for (size_t k = 0; k < 5 && cs[i].parts[k].s; k++)
			for (int r = 0; r < cs[i].parts[k].n; r++)
				buf_adds(&b, cs[i].parts[k].s);
		CHECK(html_nesting_bound(b.ptr, b.len, &out, &olen) > 0);
		g = gumbo_parse_with_options(&kGumboDefaultOptions, out ? out : b.ptr,
					     out ? olen : b.len);
		depth = tree_depth(g->document);
		if (!CHECK(depth <= HTML_MAX_NESTING + 8))
			fprintf(stderr, "  depth %zu\n", depth);
		gumbo_destroy_output(&kGumboDefaultOptions, g);
		free(out);
	}
	buf_release(&b);
}

/*
 * Random tag soup, drawn from the tags whose tree-building rules differ
 * most: html_parse() returns, and the bounded page never builds a tree
 * deeper than the bound.
 */
static void test_random_soup(void)
{
	static const char *const toks[] = {
		"<div>", "</div>", "<span>", "</span>", "<p>", "</p>", "<b>", "</b>", "<i>",
		"<font color=red>", "</font>", "<a href=x>", "</a>", "<table>", "</table>",
		"<tr>", "</tr>", "<td rowspan=3>", "</td>", "<th colspan=0>", "<tbody>",
		"<caption>", "</caption>", "<li>", "<ul>", "</ul>", "<dd>", "<dt>", "<dl>",
		"<form>", "</form>", "<select>", "</select>", "<option>", "<optgroup>",
		"<svg>", "<math><mi>", "<title>", "</title>", "<template>", "</template>",
		"<textarea>", "</textarea>", "<script>", "</script>", "<style>", "</style>",
		"<plaintext>", "<frameset>", "<noscript>", "<object>", "</object>", "<br>",
		"</br>", "<h1>", "</h2>", "<nobr>", "<button>", "<colgroup>", "<col>",
		"<![CDATA[x]]>", "<!--", "-->", "<b class=1>", "<b class=2>", "x", " ",
		"&nbsp;", "\xe4\xb8\xad", "<keygen>", "<input>", "<image>", "<xmp>",
	};
	uint32_t seed = 7;
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (int iter = 0; iter < 120; iter++) {
		size_t ntok = 300 + (size_t)(iter % 4) * 700, depth;
		struct doc d;
		GumboOutput *g;
		char *out = NULL;
		size_t olen = 0;

		buf_reset(&b);
		for (size_t k = 0; k < ntok; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_adds(&b, toks[(seed >> 16) % (sizeof(toks) / sizeof(toks[0]))]);
		}
		CHECK_INT(parse(b.ptr, b.len, &d), 0);
		for (size_t i = 0; i < d.nlines; i++)
			CHECK(*d.lines[i] != '\0');
		doc_release(&d);
		html_nesting_bound(b.ptr, b.len, &out, &olen);
		g = gumbo_parse_with_options(&kGumboDefaultOptions, out ? out : b.ptr,
					     out ? olen : b.len);
		depth = tree_depth(g->document);
		CHECK(depth <= HTML_MAX_NESTING + 8);
		gumbo_destroy_output(&kGumboDefaultOptions, g);
		free(out);
	}
	buf_release(&b);
}

/* Script, style and textarea text is not markup, however tag-like. */
static void test_bound_raw_text(void)
{
	static const char *const units[] = {
		"<script>document.write('<div>');</script>",
		"<script><!--<script>'</script><div>'</script>--></script>",
		"<style>/* <div> */</style>",
		"<textarea><div></textarea>",
		"<title><div></title>",
	};
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char *out = NULL;
		size_t olen;

		t_case = units[i];
		buf_reset(&b);
		for (int k = 0; k < 3000; k++)
			buf_adds(&b, units[i]);
		CHECK_INT(html_nesting_bound(b.ptr, b.len, &out, &olen), 0);
		free(out);
	}
	/* A script dropped past the limit goes with its text, not leaving it as markup. */
	buf_reset(&b);
	for (int k = 0; k < 2000; k++)
		buf_adds(&b, "<span>");
	buf_adds(&b, "<script>if (a<b) x('</div>');</script>tail");
	{
		struct doc d;

		CHECK_INT(parse(b.ptr, b.len, &d), 0);
		CHECK_INT(d.nlines, 1);
		if (d.nlines)
			CHECK_STR(d.lines[0], "tail");
		doc_release(&d);
	}
	buf_release(&b);
}

/*
 * Inputs on which gumbo 0.10.1 itself aborts (assertions in its tree
 * builder, with foreign content in tables): html_parse() never hands it one.
 */
static void test_gumbo_asserts(void)
{
	static const char *const pages[] = {
		"<table><math><select><mi><select><table>",
		"<table><svg><select><title><select><td>",
		"<table><svg><title><![CDATA[x]]>y",
		"<table><math><mi><![CDATA[x]]>y",
		"<table><svg><desc><![CDATA[x]]>y",
		"<TABLE><SVG><TITLE><![CDATA[x]]>y",
	};

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		struct doc d;

		t_case = pages[i];
		CHECK_INT(parse(pages[i], strlen(pages[i]), &d), 0);
		CHECK(d.ntables >= 1);
		doc_release(&d);
	}
}

/* svg, math and frameset tags become unknown elements, content kept. */
static void test_renamed_tags(void)
{
	static const char page[] =
		"<table><tr><td><SVG class=i><path d=x/><title>t</title></svg>12</td>"
		"<td><math><mi>x</mi></math></td></tr></table><frameset><p>after</p>";
	char *out = NULL;
	size_t olen = 0;
	struct doc d;

	CHECK_INT(html_nesting_bound(page, sizeof(page) - 1, &out, &olen), 5);
	CHECK_INT(olen, sizeof(page) - 1);
	CHECK(out && strstr(out, "<xVG class=i>") && strstr(out, "</xvg>") &&
	      strstr(out, "<xath>") && strstr(out, "<xrameset>"));
	free(out);
	CHECK_INT(parse(page, sizeof(page) - 1, &d), 0);
	CHECK_INT(d.nrows, 1);
	if (d.nrows) {
		CHECK_INT(d.rows[0].ncells, 2);
		CHECK_STR(d.rows[0].cells[0], "t12");
		CHECK_STR(d.rows[0].cells[1], "x");
	}
	CHECK_INT(d.nlines, 1);
	doc_release(&d);
}

static void test_too_big(void)
{
	size_t len = ((size_t)64 << 20) + 1;
	char *big = calloc(1, len);
	struct err err = ERR_INIT;
	struct doc d;

	doc_init(&d);
	CHECK_INT(html_parse(big, len, &d, &err), OGI_ETOOBIG);
	CHECK_INT(err.code, OGI_ETOOBIG);
	CHECK_INT(d.nrows + d.nlines, 0);
	doc_release(&d);
	free(big);
}

int main(void)
{
	RUN(test_sniff);
	RUN(test_sniff_window);
	RUN(test_shanghai);
	RUN(test_truncated);
	RUN(test_tables);
	RUN(test_table_limits);
	RUN(test_lines);
	RUN(test_invalid_utf8);
	RUN(test_numeric_ref_overflow);
	RUN(test_nested_tables);
	RUN(test_nested_divs);
	RUN(test_bound_nesting);
	RUN(test_bound_raw_text);
	RUN(test_bound_found);
	RUN(test_random_soup);
	RUN(test_gumbo_asserts);
	RUN(test_renamed_tags);
	RUN(test_too_big);
	return t_done(__FILE__);
}
