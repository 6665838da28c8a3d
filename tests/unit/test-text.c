#include "parser/text.h"

#include "parser/doc.h"
#include "util/buf.h"
#include "t.h"

#define NBSP "\xc2\xa0"
#define IDSP "\xe3\x80\x80"	/* U+3000 */

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
		CHECK_INT(d.nrows, 0);
		CHECK_INT(d.from_html, 0);
		for (size_t l = 0; l < d.nlines && l < cs[i].nlines; l++)
			CHECK_STR(d.lines[l], cs[i].lines[l]);
		doc_release(&d);
	}
}

/* Each line's number in the text and the empty lines before it: where flattened tables mark blanks. */
static void test_gaps(void)
{
	static const char in[] = "a\n\n\nb\r\n \xe3\x80\x80\r\nc\n\n\n\n\n\n\n 3\n\nd";
	static const int linenos[] = { 1, 4, 6, 13, 15 }, gaps[] = { 0, 2, 1, 6, 1 };
	struct doc d;

	doc_init(&d);
	text_parse(in, sizeof(in) - 1, &d);
	CHECK_INT(d.nlines, 5);
	CHECK(d.linenos != NULL && d.gaps != NULL);
	for (size_t i = 0; i < d.nlines && i < 5 && d.linenos && d.gaps; i++) {
		CHECK_INT(d.linenos[i], linenos[i]);
		CHECK_INT(d.gaps[i], gaps[i]);
	}
	CHECK_STR(d.lines[3], "3");
	doc_release(&d);
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
	CHECK_INT(d.nrows, 0);
	CHECK_STR(d.lines[1], "时间:2024-01-17 17:17");
	CHECK_STR(d.lines[d.nlines - 1], "媒体报道");
	/* Table 3: the header words split across lines, then a label and its seven values. */
	at = find_line(&d, "申请人情况", 0);
	CHECK(at < d.nlines);
	CHECK_STR(d.lines[at + 4], "商业");
	CHECK_STR(d.lines[at + 5], "企业");
	at = find_line(&d, "二、上年结转政府信息公开申请数量", 0);
	CHECK(at + 7 < d.nlines);
	for (size_t k = 0; k < 7 && at + 1 + k < d.nlines; k++)
		CHECK_STR(d.lines[at + 1 + k], carried[k]);
	/* Values padded with NBSP in the text are trimmed. */
	at = find_line(&d, "1.属于国家秘密", 0);
	CHECK(at + 7 < d.nlines);
	for (size_t k = 1; k <= 7 && at + k < d.nlines; k++)
		CHECK_STR(d.lines[at + k], "0");
	CHECK(find_line(&d, "四、结转下年度继续办理", 0) < d.nlines);
	doc_release(&d);
	free(b);
}

/* A long line, and many lines: no limit is hit, nothing is lost. */
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
	CHECK_INT(strlen(d.lines[0]), 5 + 2 * 100000);
	CHECK_INT(d.linenos[50000], 50001);
	doc_release(&d);
	buf_release(&b);
}

int main(void)
{
	RUN(test_lines);
	RUN(test_gaps);
	RUN(test_longhu);
	RUN(test_big);
	return t_done(__FILE__);
}
