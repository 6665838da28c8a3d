#include "parser/text.h"

#include "parser/doc.h"
#include "util/buf.h"
#include "t.h"

#define NBSP "\xc2\xa0"
#define IDSP "\xe3\x80\x80"	/* U+3000 */

struct rcase {
	const char *line;
	size_t ncells;
	const char *cells[10];
};

/* One line, one row: value tokens alone, runs of label tokens joined. */
static void test_rows(void)
{
	static const struct rcase cs[] = {
		{ "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0", 8,
		  { "一、本年新收政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0" } },
		{ "商业 企业", 1, { "商业 企业" } },
		{ "  0 ", 1, { "0" } },
		{ "（三）不予公开 1.属于国家秘密 14 - / 无 — 1,234 +19", 8,
		  { "（三）不予公开 1.属于国家秘密", "14", "-", "/", "无", "—", "1,234", "+19" } },
		{ "规章" IDSP "２" IDSP "251000元", 3, { "规章", "２", "251000元" } },
		{ "（一）予以公开" NBSP NBSP "12" NBSP "0", 3, { "（一）予以公开", "12", "0" } },
		{ "a  b\tc", 1, { "a b c" } },
		{ "0 规章 行政 12", 3, { "0", "规章 行政", "12" } },
		{ IDSP "时间:2024-01-17 17:17" NBSP, 1, { "时间:2024-01-17 17:17" } },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;

		t_case = cs[i].line;
		doc_init(&d);
		text_parse(cs[i].line, strlen(cs[i].line), &d);
		CHECK_INT(d.nrows, 1);
		CHECK_INT(d.nlines, 1);
		CHECK_INT(d.from_html, 0);
		CHECK_INT(d.ntables, 0);
		if (d.nrows == 1) {
			CHECK_INT(d.rows[0].table, -1);
			CHECK_INT(d.rows[0].ncells, cs[i].ncells);
			for (size_t c = 0; c < d.rows[0].ncells && c < cs[i].ncells; c++) {
				CHECK_STR(d.rows[0].cells[c], cs[i].cells[c]);
				CHECK_INT(d.rows[0].carried[c], 0);
			}
		}
		doc_release(&d);
	}
}

struct lcase {
	const char *what;
	const char *in;
	size_t len;
	const char *title;
	size_t nlines;
	const char *lines[4];
};

static void test_lines(void)
{
	static const struct lcase cs[] = {
		{ "crlf, cr, lf", "a\r\nb\rc\n\nd", 10, "a", 4, { "a", "b", "c", "d" } },
		{ "blank lines skipped", "\n \n" IDSP NBSP "\n  Title \n\n", 0, "Title", 1,
		  { "Title" } },
		{ "bom", "\xef\xbb\xbfTitle\nx", 0, "Title", 2, { "Title", "x" } },
		{ "no final newline", "x\ny", 0, "x", 2, { "x", "y" } },
		{ "cr cr", "x\r\r\ry\r", 0, "x", 2, { "x", "y" } },
		{ "empty", "", 0, NULL, 0, { NULL } },
		{ "only space", " \t\r\n" NBSP, 0, NULL, 0, { NULL } },
		{ "nul ends the line's text", "a\0b\nc", 5, "a", 2, { "a", "c" } },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;
		size_t len = cs[i].len ? cs[i].len : strlen(cs[i].in);

		t_case = cs[i].what;
		doc_init(&d);
		text_parse(cs[i].in, len, &d);
		CHECK_STR(d.title, cs[i].title);
		CHECK_INT(d.nlines, cs[i].nlines);
		CHECK_INT(d.nrows, cs[i].nlines);
		for (size_t l = 0; l < d.nlines && l < cs[i].nlines; l++)
			CHECK_STR(d.lines[l], cs[i].lines[l]);
		doc_release(&d);
	}
}

/* Index of the first line equal to s at or after from, or nlines. */
static size_t find_line(const struct doc *d, const char *s, size_t from)
{
	for (size_t i = from; i < d->nlines; i++)
		if (!strcmp(d->lines[i], s))
			return i;
	return d->nlines;
}

/* The longhu text flattens each table to one cell per line. */
static void test_longhu(void)
{
	static const char *const carried[] = { "6", "0", "0", "0", "0", "0", "6" };
	size_t len, at;
	char *b = t_slurp("", "longhu-2023.txt", &len);
	struct doc d;

	CHECK(b != NULL);
	if (!b)
		return;
	doc_init(&d);
	text_parse(b, len, &d);
	CHECK_STR(d.title, "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告");
	CHECK_INT(d.nlines, 320);
	CHECK_INT(d.nrows, d.nlines);
	CHECK_STR(d.lines[1], "时间:2024-01-17 17:17");
	CHECK_STR(d.lines[d.nlines - 1], "媒体报道");
	for (size_t i = 0; i < d.nrows; i++) {
		CHECK_INT(d.rows[i].table, -1);
		CHECK_INT(d.rows[i].ncells, 1);
	}
	/* Table 3: the header words split across lines, then a label and its seven values. */
	at = find_line(&d, "申请人情况", 0);
	CHECK(at < d.nlines);
	CHECK_STR(d.lines[at + 4], "商业");
	CHECK_STR(d.lines[at + 5], "企业");
	at = find_line(&d, "二、上年结转政府信息公开申请数量", 0);
	CHECK(at + 7 < d.nlines);
	for (size_t k = 0; k < 7 && at + 1 + k < d.nrows; k++)
		CHECK_STR(d.rows[at + 1 + k].cells[0], carried[k]);
	/* Values padded with NBSP in the text are trimmed. */
	at = find_line(&d, "1.属于国家秘密", 0);
	CHECK(at + 7 < d.nlines);
	for (size_t k = 1; k <= 7 && at + k < d.nrows; k++)
		CHECK_STR(d.rows[at + k].cells[0], "0");
	CHECK(find_line(&d, "四、结转下年度继续办理", 0) < d.nlines);
	doc_release(&d);
	free(b);
}

/* A long line of values, and many lines: no limit is hit, nothing is lost. */
static void test_big(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct doc d;

	buf_adds(&b, "label");
	for (int i = 0; i < 100000; i++)
		buf_adds(&b, " 0");
	for (int i = 0; i < 50000; i++)
		buf_adds(&b, "\nx 1");
	doc_init(&d);
	text_parse(b.ptr, b.len, &d);
	CHECK_INT(d.nlines, 50001);
	CHECK_INT(d.nrows, 50001);
	CHECK_INT(d.rows[0].ncells, 100001);
	CHECK_INT(d.rows[50000].ncells, 2);
	doc_release(&d);
	buf_release(&b);
}

int main(void)
{
	RUN(test_rows);
	RUN(test_lines);
	RUN(test_longhu);
	RUN(test_big);
	return t_done(__FILE__);
}
