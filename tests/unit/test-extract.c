/*
 * parser/assign.c through parse_report(): how rows of the form are found
 * on a page and what each value records of it (how it was placed, where
 * it stands, whether its bounds were inferred).
 */
#include "form/format.h"
#include "parser/parse.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "tests/unit/t.h"

static int parse_text(const char *text, struct report *r)
{
	struct parse_input in = { .bytes = text, .len = strlen(text), .location = "t" };
	struct err e = ERR_INIT;

	report_init(r);
	return parse_report(&in, r, &e);
}

static const struct report_value *cell(const struct report *r, int table, const char *row,
				       const char *col)
{
	static const struct report_value absent = { VAL_ABSENT, 0, NULL, HOW_NONE, 0,
						    { -1, -1, -1, 0 }, { 0, 0, NULL, 0, 0, 0, 0, 0 } };
	const struct report_value *v = report_get(r, table, row, col);

	return v ? v : &absent;
}

#define HEAD "海棠市柳岸街道办事处2022年政府信息公开工作年度报告\n"

/* An HTML cell: its table, grid row and column. */
static void test_html_source(void)
{
	static const char page[] =
		"<html><head><title>" "海棠市柳岸街道办事处2022年政府信息公开工作年度报告"
		"</title></head><body><table>"
		"<tr><td colspan=3>x</td><td>自然人</td><td>a</td><td>b</td><td>c</td><td>d</td><td>e</td><td>总计</td></tr>"
		"<tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>4</td><td>1</td><td>0</td>"
		"<td>0</td><td>0</td><td>0</td><td>5</td></tr></table></body></html>";
	struct report r;
	const struct report_value *v;

	CHECK(!parse_text(page, &r));
	v = cell(&r, 3, "new", "commercial");
	CHECK_INT(v->state, VAL_NUMBER);
	CHECK_DBL(v->num, 1);
	CHECK_INT(v->how, HOW_LABEL);
	CHECK_INT(v->inferred, 0);
	CHECK_INT(v->src.table, 0);
	CHECK_INT(v->src.row, 1);
	CHECK_INT(v->src.col, 4);	/* the label spans columns 0-2 */
	CHECK_INT(v->src.line, 0);
	report_release(&r);
}

/* A text cell: its line, its column in the row; digits run together split and said so. */
static void test_text_source(void)
{
	struct report r;
	const struct report_value *v;

	CHECK(!parse_text(HEAD "三、收到和处理政府信息公开申请情况\n"
			       "一、本年新收政府信息公开申请数量 4 1 0 0 0 0 5\n"
			       "二、上年结转政府信息公开申请数量160000016\n", &r));
	v = cell(&r, 3, "new", "total");
	CHECK_DBL(v->num, 5);
	CHECK_INT(v->src.line, 3);
	CHECK_INT(v->src.col, 6);
	CHECK_INT(v->src.table, -1);
	CHECK_INT(v->inferred, 0);
	v = cell(&r, 3, "carried_over", "natural_person");
	CHECK_DBL(v->num, 16);
	CHECK_INT(v->inferred, 1);
	CHECK_STR(v->raw, "16");
	CHECK_INT(v->src.line, 4);
	report_release(&r);
}

/* Values with no label between two labelled rows: the rows the form puts between them. */
static void test_order(void)
{
	struct report r;
	const struct report_value *v;

	CHECK(!parse_text(HEAD "三、收到和处理政府信息公开申请情况\n"
			       "（一）予以公开 3 0 0 0 0 0 3\n"
			       "2 1 0 0 0 0 3\n"
			       "1.属于国家秘密 0 0 0 0 0 0 0\n", &r));
	v = cell(&r, 3, "partial", "natural_person");
	CHECK_DBL(v->num, 2);
	CHECK_INT(v->how, HOW_ORDER);
	CHECK_INT(cell(&r, 3, "granted", "total")->how, HOW_LABEL);
	report_release(&r);
	/* two rows missing but one row of values: no guess */
	CHECK(!parse_text(HEAD "三、收到和处理政府信息公开申请情况\n"
			       "（一）予以公开 3 0 0 0 0 0 3\n"
			       "2 1 0 0 0 0 3\n"
			       "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0\n", &r));
	CHECK_INT(cell(&r, 3, "partial", "natural_person")->state, VAL_ABSENT);
	CHECK_INT(cell(&r, 3, "refused.state_secret", "natural_person")->state, VAL_ABSENT);
	report_release(&r);
}

/* Figures in the narrative are claims, not cells; the table's row wins where both are. */
static void test_narrative(void)
{
	struct report r;

	CHECK(!parse_text(HEAD "一、总体情况\n其中上年结转 3\n"
			       "三、收到和处理政府信息公开申请情况\n"
			       "一、本年新收政府信息公开申请数量 4 1 0 0 0 0 5\n", &r));
	CHECK_INT(cell(&r, 3, "carried_over", "natural_person")->state, VAL_ABSENT);
	CHECK_DBL(cell(&r, 3, "new", "natural_person")->num, 4);
	report_release(&r);
	/* no headings: the more complete row wins over the earlier one */
	CHECK(!parse_text(HEAD "上年结转 3\n二、上年结转政府信息公开申请数量 2 1 0 0 0 0 3\n", &r));
	CHECK_DBL(cell(&r, 3, "carried_over", "natural_person")->num, 2);
	CHECK_DBL(cell(&r, 3, "carried_over", "total")->num, 3);
	report_release(&r);
}

/* A label without values in a table: a row of blanks; values side by side, too few: unread. */
static void test_blank_and_unaligned(void)
{
	struct report r;

	CHECK(!parse_text(HEAD "三、收到和处理政府信息公开申请情况\n"
			       "一、本年新收政府信息公开申请数量 4 1 0 0 0 0 5\n"
			       "二、上年结转政府信息公开申请数量\n"
			       "（一）予以公开 3 1 0\n", &r));
	CHECK_INT(cell(&r, 3, "carried_over", "natural_person")->state, VAL_BLANK);
	CHECK_INT(cell(&r, 3, "carried_over", "total")->state, VAL_BLANK);
	CHECK_INT(cell(&r, 3, "granted", "natural_person")->state, VAL_ABSENT);
	CHECK(r.missing && strstr(r.missing, "t3:granted"));
	report_release(&r);
}

/* A row of headings opens no group: "3.其他" is other.other under its own heading only. */
static void test_groups(void)
{
	struct report r;

	CHECK(!parse_text(HEAD "三、收到和处理政府信息公开申请情况\n"
			       "| 项目 | 不予公开 | 总计 |\n"
			       "| （六）其他处理 | | |\n"
			       "| 3.其他 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n", &r));
	CHECK_DBL(cell(&r, 3, "other.other", "total")->num, 1);
	report_release(&r);
	CHECK(!parse_text(HEAD "三、收到和处理政府信息公开申请情况\n"
			       "（五）不予处理\n3.其他 1 0 0 0 0 0 1\n"
			       "（七）总计 1 0 0 0 0 0 1\n", &r));
	CHECK_INT(cell(&r, 3, "other.other", "total")->state, VAL_ABSENT);
	report_release(&r);
}

/* A hostile page: many rows of too many values, rows with no label between: read, bounded. */
static void test_many_rows(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct report r;

	buf_adds(&b, HEAD "三、收到和处理政府信息公开申请情况\n");
	for (int i = 0; i < 20000; i++)
		buf_adds(&b, i % 2 ? "1 2 3 4 5 6 7 8 9 10 11 12 13 14\n"
				   : "（一）予以公开 1 2 3 4 5 6 7 8 9 10 11 12 13 14\n");
	CHECK(!parse_text(buf_str(&b), &r));
	CHECK_DBL(cell(&r, 3, "granted", "natural_person")->num, 1);
	report_release(&r);
	buf_release(&b);
}


/* The head of a table 3 as pages publish it: 3 label columns, then the 7 count columns. */
#define T3_HEAD \
	"<html><head><title>海棠市柳岸街道办事处2022年政府信息公开工作年度报告</title></head>" \
	"<body><p>三、收到和处理政府信息公开申请情况</p><table>" \
	"<tr><td colspan=3>x</td><td>自然人</td><td>商业企业</td><td>科研机构</td>" \
	"<td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>"
#define T3_TAIL "</table></body></html>"

struct want_cell {
	const char *row, *col;
	enum value_state state;
	double num;
	const char *raw;	/* NULL: not checked */
	int inferred;		/* -1: not checked */
};

static void check_cells(const struct report *r, const struct want_cell *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct report_value *v = cell(r, 3, w[i].row, w[i].col);

		t_case = w[i].col;
		CHECK_INT(v->state, w[i].state);
		if (w[i].state == VAL_NUMBER)
			CHECK_DBL(v->num, w[i].num);
		if (w[i].raw)
			CHECK_STR(v->raw, w[i].raw);
		if (w[i].inferred >= 0)
			CHECK_INT(v->inferred, w[i].inferred);
	}
	t_case = NULL;
}

/*
 * An HTML count cell holding text keeps its column: a word after the first
 * number, a mark or a word where the counts start (before any number), a
 * cell said to have no figure (blank), 暂无 (a written nothing); the
 * counts after it stay under their own columns.
 */
static void test_html_text_in_counts(void)
{
	static const char page[] = T3_HEAD
		"<tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>4</td><td>不详</td>"
		"<td>0</td><td>0</td><td>1</td><td>0</td><td>5</td></tr>"
		"<tr><td colspan=3>二、上年结转政府信息公开申请数量</td><td>?</td><td>1</td>"
		"<td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>"
		"<tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td>"
		"<td>数量</td><td>暂无</td><td>不适用</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>"
		"<tr><td rowspan=1>（三）不予公开</td><td>1.属于国家秘密</td><td>※</td><td>0</td>"
		"<td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>" T3_TAIL;
	static const struct want_cell w[] = {
		{ "new", "natural_person", VAL_NUMBER, 4, NULL, 0 },
		{ "new", "commercial", VAL_INVALID, 0, "不详", 0 },
		{ "new", "research", VAL_NUMBER, 0, NULL, 0 },
		{ "new", "legal", VAL_NUMBER, 1, NULL, 0 },
		{ "new", "total", VAL_NUMBER, 5, NULL, 0 },
		{ "carried_over", "natural_person", VAL_INVALID, 0, "?", 0 },
		{ "carried_over", "commercial", VAL_NUMBER, 1, NULL, 0 },
		{ "carried_over", "total", VAL_NUMBER, 1, NULL, 0 },
		{ "granted", "natural_person", VAL_INVALID, 0, "数量", 0 },
		{ "granted", "commercial", VAL_NUMBER, 0, "暂无", 0 },
		{ "granted", "research", VAL_BLANK, 0, "不适用", 0 },
		{ "granted", "other_org", VAL_NUMBER, 0, NULL, 0 },
		{ "granted", "total", VAL_NUMBER, 3, NULL, 0 },
		{ "refused.state_secret", "natural_person", VAL_INVALID, 0, "※", 0 },
		{ "refused.state_secret", "other_org", VAL_NUMBER, 1, NULL, 0 },
		{ "refused.state_secret", "total", VAL_NUMBER, 1, NULL, 0 },
	};
	struct report r;

	CHECK(!parse_text(page, &r));
	check_cells(&r, w, sizeof(w) / sizeof(w[0]));
	CHECK_INT(cell(&r, 3, "new", "commercial")->src.col, 4);
	CHECK_INT(cell(&r, 3, "new", "total")->src.col, 9);
	report_release(&r);
}

/*
 * A grid row with fewer cells than counts: each under its own column.  A
 * count cell spanning two rows leaves the lower row's cell blank; a cell
 * spanning two columns with a figure for each is split, with one figure
 * it leaves the column it covers blank; a row that ends early leaves the
 * rest unread, as before.
 */
static void test_html_short_rows(void)
{
	static const char page[] = T3_HEAD
		"<tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>2</td><td rowspan=2>0</td>"
		"<td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>"
		"<tr><td colspan=3>二、上年结转政府信息公开申请数量</td><td>1</td>"
		"<td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>"
		"<tr><td rowspan=3>三、本年度办理结果</td><td colspan=2>（一）予以公开</td>"
		"<td>2</td><td colspan=2>1 0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>"
		"<tr><td colspan=2>（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>"
		"<td colspan=2>7</td><td>0</td><td>0</td><td>0</td><td>0</td><td>7</td></tr>"
		"<tr><td colspan=2>（七）总计</td><td>3</td><td>1</td><td>0</td></tr>" T3_TAIL;
	static const struct want_cell w[] = {
		{ "new", "commercial", VAL_NUMBER, 0, NULL, 0 },
		{ "carried_over", "natural_person", VAL_NUMBER, 1, NULL, 0 },
		{ "carried_over", "commercial", VAL_BLANK, 0, NULL, 1 },
		{ "carried_over", "research", VAL_NUMBER, 0, NULL, 0 },
		{ "carried_over", "total", VAL_NUMBER, 1, NULL, 0 },
		{ "granted", "natural_person", VAL_NUMBER, 2, NULL, 0 },
		{ "granted", "commercial", VAL_NUMBER, 1, "1", 1 },
		{ "granted", "research", VAL_NUMBER, 0, "0", 1 },
		{ "granted", "total", VAL_NUMBER, 3, NULL, 0 },
		{ "partial", "natural_person", VAL_NUMBER, 7, NULL, 0 },
		{ "partial", "commercial", VAL_BLANK, 0, NULL, 1 },
		{ "partial", "research", VAL_NUMBER, 0, NULL, 0 },
		{ "partial", "total", VAL_NUMBER, 7, NULL, 0 },
		{ "total", "research", VAL_NUMBER, 0, NULL, 0 },
		{ "total", "nonprofit", VAL_ABSENT, 0, NULL, -1 },
		{ "total", "total", VAL_ABSENT, 0, NULL, -1 },
	};
	struct report r;

	CHECK(!parse_text(page, &r));
	check_cells(&r, w, sizeof(w) / sizeof(w[0]));
	CHECK_INT(cell(&r, 3, "carried_over", "research")->src.col, 5);
	CHECK_INT(cell(&r, 3, "granted", "research")->src.col, 4);	/* the merged cell's */
	report_release(&r);
}

/*
 * Text tables: a pipe row keeps its text cells among the counts; rows side
 * by side in one pipe row stay two rows; in a row of space-separated cells
 * the words that say a cell has no figure are cells too.
 */
static void test_text_text_in_counts(void)
{
	static const struct want_cell w[] = {
		{ "new", "commercial", VAL_INVALID, 0, "不详", 0 },
		{ "new", "legal", VAL_NUMBER, 1, NULL, 0 },
		{ "new", "total", VAL_NUMBER, 5, NULL, 0 },
		{ "carried_over", "natural_person", VAL_INVALID, 0, "?", 0 },
		{ "carried_over", "commercial", VAL_NUMBER, 1, NULL, 0 },
		{ "carried_over", "total", VAL_NUMBER, 1, NULL, 0 },
		{ "granted", "commercial", VAL_NUMBER, 0, "暂无", 0 },
		{ "granted", "legal", VAL_BLANK, 0, "空", 0 },
		{ "granted", "total", VAL_NUMBER, 2, NULL, 0 },
	};
	struct report r;

	CHECK(!parse_text(HEAD "二、主动公开政府信息情况\n"
			       "| 规章 | 0 | 0 | 0 | 行政规范性文件 | 1 | 0 | 5 |\n"
			       "三、收到和处理政府信息公开申请情况\n"
			       "| 一、本年新收政府信息公开申请数量 | 4 | 不详 | 0 | 0 | 1 | 0 | 5 |\n"
			       "| 二、上年结转政府信息公开申请数量 | ? | 1 | 0 | 0 | 0 | 0 | 1 |\n"
			       "（一）予以公开 2 暂无 0 0 空 0 2\n", &r));
	check_cells(&r, w, sizeof(w) / sizeof(w[0]));
	CHECK_DBL(cell(&r, 2, "rules", "in_force")->num, 0);
	CHECK_DBL(cell(&r, 2, "normative", "issued")->num, 1);
	CHECK_DBL(cell(&r, 2, "normative", "in_force")->num, 5);
	report_release(&r);
}

int main(void)
{
	RUN(test_html_source);
	RUN(test_text_source);
	RUN(test_order);
	RUN(test_narrative);
	RUN(test_blank_and_unaligned);
	RUN(test_groups);
	RUN(test_many_rows);
	RUN(test_html_text_in_counts);
	RUN(test_html_short_rows);
	RUN(test_text_text_in_counts);
	return t_done(__FILE__);
}
