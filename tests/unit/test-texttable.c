#include "parser/texttable.h"

#include "form/format.h"
#include "parser/text.h"
#include "util/buf.h"
#include "t.h"

/*
 * A record written as "label|label = v v _ v" (labels normalised, '_' a
 * blank cell); several records apart by " ; ".
 */
static void describe(const struct recs *rs, struct buf *b)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct rec *r = &rs->v[i];

		if (i)
			buf_adds(b, " ; ");
		if (r->header)
			buf_adds(b, "H:");
		for (size_t l = 0; l < r->nlabels; l++)
			buf_addf(b, "%s%s", l ? "|" : "", r->labels[l].norm);
		buf_adds(b, r->nlabels ? " =" : "=");
		for (size_t v = 0; v < r->nvalues; v++)
			buf_addf(b, " %s", r->values[v].text ? r->values[v].text : "_");
	}
}

struct tcase {
	const char *what;
	const char *text;
	const char *want;
};

static void test_layouts(void)
{
	static const struct tcase cs[] = {
		{ "a row on a line", "(一)予以公开 3 1 0 0 0 0 4", "(一)予以公开 = 3 1 0 0 0 0 4" },
		{ "label words apart are one label", "商业 企业 0 0", "商业企业 = 0 0" },
		{ "values padded with NBSP and U+3000", "规章\xe3\x80\x80２\xc2\xa0" "251000元",
		  "规章 = ２ 251000元" },
		{ "placeholders are values", "行政处罚 - / 无 —", "行政处罚 = - / 无 —" },
		{ "one cell a line", "规章\n0\n0\n0\n规范性文件\n1\n2\n3", "规章 = 0 0 0 ; 规范性文件 = 1 2 3" },
		{ "pipe rows", "| 规章 | 0 | 0 | 0 |\n| 规范性文件 | 1 | 2 | 3 |",
		  "规章 = 0 0 0 ; 规范性文件 = 1 2 3" },
		{ "pipe header row and rule", "| 项目 | 予以公开 | 总计 |\n|---|---|---|\n| 3.其他 | 1 | 1 |",
		  "H:项目|予以公开|总计 = ; 3.其他 = 1 1" },
		{ "trailing bar only, empty cells are blanks", "行政处罚 | 12 | ||", "行政处罚 = 12 _ _" },
		{ "one cell a line with bars, | alone ends a row", "规章 |\n0 |\n|\n规范性文件 |\n6 |",
		  "规章 = 0 ; 规范性文件 = 6" },
		{ "label glued to digits", "规章000规范性文件161616", "规章 = 000 ; 规范性文件 = 161616" },
		{ "an enumerator goes with its label", "1.属于国家秘密00000002.其他法律行政法规禁止公开0000000",
		  "1.属于国家秘密 = 0000000 ; 2.其他法律行政法规禁止公开 = 0000000" },
		{ "a label run cut at enumerators", "(三)不予公开1.属于国家秘密 0 0",
		  "(三)不予公开|1.属于国家秘密 = 0 0" },
		{ "decimals stay whole", "行政事业性收费1163.54", "行政事业性收费 = 1163.54" },
		{ "numbers of prose stay text", "2023年累计公开66条,第711号,电话0591-23156006",
		  "2023年累计公开66条,第711号,电话0591-23156006 =" },
		{ "a number apart from its counter is prose", "统计时段为 2024\n年 1 月",
		  "统计时段为2024|年1月 =" },
		{ "values after a whole row start a new record", "(一)予以公开 3 0 0\n2 1 0",
		  "(一)予以公开 = 3 0 0 ; = 2 1 0" },
		{ "a footer inside a table is skipped", "1.申请人无正当理由逾期不补正\n— 7 —\n0 0",
		  "1.申请人无正当理由逾期不补正 = 0 0" },
		{ "markdown heading marks", "### 行政复议\n2 1", "行政复议 = 2 1" },
		/* a count cell holding text keeps its place among the row's cells */
		{ "pipe row: text after the first count", "| 规章 | 0 | 不详 | 0 |", "规章 = 0 不详 0" },
		{ "pipe row: a mark where the counts start", "| 规章 | ? | 0 | 0 |", "规章 = ? 0 0" },
		{ "pipe row: a label's piece before the counts stays a label",
		  "| （三）不予公开 | 1.属于国家秘密 | 0 | 0 |", "(三)不予公开|1.属于国家秘密 = 0 0" },
		{ "pipe row: rows side by side stay two rows", "| 规章 | 0 | 行政许可 | 3 |",
		  "规章 = 0 ; 行政许可 = 3" },
		{ "pipe row: no count, no count cell", "| 项目 | 不详 | 总计 |", "H:项目|不详|总计 =" },
		{ "space row: words that say no figure are cells", "规章 0 暂无 空 不适用 0",
		  "规章 = 0 暂无 空 不适用 0" },
		{ "one cell a line: a word between two counts", "规章\n0\n不详\n0\n规范性文件\n1",
		  "规章 = 0 不详 0 ; 规范性文件 = 1" },
		{ "one cell a line: a row's label after a count stays a label",
		  "规章\n0\n0\n0\n行政许可\n5", "规章 = 0 0 0 ; 行政许可 = 5" },
		{ "one cell a line: a counter after a number is prose", "共收到\n3\n件\n4",
		  "共收到|3|件 = 4" },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;
		struct recs rs = { 0 };
		struct buf b = BUF_INIT(BUF_NOLIMIT);

		t_case = cs[i].what;
		doc_init(&d);
		text_parse(cs[i].text, strlen(cs[i].text), &d);
		texttable_read(&d, &rs);
		describe(&rs, &b);
		CHECK_STR(buf_str(&b), cs[i].want);
		buf_release(&b);
		recs_release(&rs);
		doc_release(&d);
	}
}

/* Positioned text (PDF): a text cell in a count column is a cell, empty ones are blanks. */
static void test_cell_lines(void)
{
	static const struct {
		const char *what, *line, *want;
	} cs[] = {
		{ "text after a count", "规章\x1f" "0\x1f不详\x1f" "0", "规章 = 0 不详 0" },
		{ "a mark before the counts, a blank", "规章\x1f?\x1f\x1f" "3", "规章 = ? _ 3" },
		{ "two label cells", "(三)不予公开\x1f" "1.属于国家秘密\x1f" "0", "(三)不予公开|1.属于国家秘密 = 0" },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct doc d;
		struct recs rs = { 0 };
		struct buf b = BUF_INIT(BUF_NOLIMIT);

		t_case = cs[i].what;
		doc_init(&d);
		doc_add_line(&d, cs[i].line, strlen(cs[i].line));
		texttable_read(&d, &rs);
		describe(&rs, &b);
		CHECK_STR(buf_str(&b), cs[i].want);
		buf_release(&b);
		recs_release(&rs);
		doc_release(&d);
	}
}

/* Empty lines before each value and after a row: where the assigner places blank cells. */
static void test_gaps(void)
{
	static const char text[] = "一、本年新收政府信息公开申请数量\n\n\n0\n\n\n\n\n\n\n"
				   "三、本年度办理结果\n\n\n5\n\n\n7";
	struct doc d;
	struct recs rs = { 0 };

	doc_init(&d);
	text_parse(text, sizeof(text) - 1, &d);
	texttable_read(&d, &rs);
	CHECK_INT(rs.n, 2);
	if (rs.n == 2) {
		CHECK_INT(rs.v[0].values[0].gap, 2);
		CHECK_INT(rs.v[0].values[0].line, 4);
		CHECK_INT(rs.v[0].gap_after, 6);
		CHECK_INT(rs.v[1].values[0].gap, 2);
		CHECK_INT(rs.v[1].values[1].gap, 2);
		CHECK_INT(rs.v[1].gap_after, -1);	/* the end: no next item */
	}
	recs_release(&rs);
	doc_release(&d);
}

/* Sections: each piece knows the section it stands in, from the headings. */
static void test_regions(void)
{
	static const char text[] = "一、总体情况\n全年受理 3\n二、主动公开政府信息情况\n规章 0 0 0\n"
				   "四、结转下年度继续办理 1 0\n四、政府信息公开行政复议、行政诉讼情况 0 0";
	struct doc d;
	struct recs rs = { 0 };
	int want[] = { 0, 2, 2, 4 };

	doc_init(&d);
	text_parse(text, sizeof(text) - 1, &d);
	texttable_read(&d, &rs);
	CHECK_INT(rs.n, 4);
	for (size_t i = 0; i < rs.n && i < 4; i++)
		CHECK_INT(rs.v[i].region, want[i]);
	recs_release(&rs);
	doc_release(&d);
}

int main(void)
{
	RUN(test_layouts);
	RUN(test_cell_lines);
	RUN(test_gaps);
	RUN(test_regions);
	fmt_cleanup();
	return t_done(__FILE__);
}
