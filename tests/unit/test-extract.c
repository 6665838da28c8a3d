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

int main(void)
{
	RUN(test_html_source);
	RUN(test_text_source);
	RUN(test_order);
	RUN(test_narrative);
	RUN(test_blank_and_unaligned);
	RUN(test_groups);
	RUN(test_many_rows);
	return t_done(__FILE__);
}
