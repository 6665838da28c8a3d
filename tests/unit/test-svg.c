/* reports/svg.c and reports/html.c: axis steps, label widths and cuts, escaping of hostile text. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html.h"
#include "reports/section.h"
#include "reports/svg.h"
#include "util/buf.h"
#include "util/json.h"
#include "t.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_tick_step(void)
{
	static const struct {
		double max;
		int ticks;
		double want;
	} cases[] = {
		{ 7, 5, 2 },	   { 10, 5, 2 },     { 100, 5, 20 },   { 282, 5, 100 },
		{ 1, 5, 0.2 },	   { 0.003, 5, 1e-3 }, { 1e9, 5, 2e8 }, { 3, 1, 5 },
		{ 0, 5, 1 },	   { -3, 5, 1 },     { NAN, 5, 1 },    { INFINITY, 5, 1 },
		{ 50, 0, 1 },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		double got = svg_tick_step(cases[i].max, cases[i].ticks);

		if (fabs(got - cases[i].want) > 1e-12 * fmax(1, cases[i].want)) {
			CHECK_DBL(got, cases[i].want);
			fprintf(stderr, "    case %zu: max %g\n", i, cases[i].max);
		}
	}
}

static void test_text_width(void)
{
	static const struct {
		const char *s;
		double want;
	} cases[] = {
		{ "", 0 }, { "abc", 3 * 7.2 }, { "晋江", 24 }, { "a晋", 7.2 + 12 }, { "\xff", 7.2 },
		{ "T3-", 8.4 + 8.4 + 7.2 },
		{ "\xe6\x99", 2 * 7.2 },	/* a cut sequence: one unit per byte */
	};

	for (size_t i = 0; i < NELEM(cases); i++)
		CHECK_DBL(svg_text_width(cases[i].s, 12), cases[i].want);
}

static void test_add_label(void)
{
	static const struct {
		const char *s;
		size_t max;
		const char *want;
	} cases[] = {
		{ "abc", 5, "abc" },
		{ "abcdef", 5, "abcd\xE2\x80\xA6" },
		{ "晋江市龙湖镇人民政府", 20, "晋江市龙湖镇人民政府" },
		{ "晋江市龙湖镇人民政府", 8, "晋江市\xE2\x80\xA6" },
		{ "<b>&\"'", 10, "&lt;b&gt;&amp;&quot;&#39;" },
		{ "a<script>", 4, "a&lt;s\xE2\x80\xA6" },
		{ "\xff\xfe", 10, "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "", 3, "" },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct buf b = BUF_INIT(BUF_NOLIMIT);

		CHECK_INT(svg_add_label(&b, cases[i].s, cases[i].max), 0);
		CHECK_STR(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}

static const char evil[] = "测试<script>alert(1)</script>镇";

/* Ticks: 1-2-5 steps, integers for counts, no float noise in their text. */
static void test_ticks(void)
{
	static const struct {
		double max;
		int integer;
		size_t n;
		double last, step;
	} cases[] = {
		{ 0.6, 1, 2, 1, 1 },	   /* counts: never 0.2 reports */
		{ 0.6, 0, 4, 0.6, 0.2 },  /* a rate may step by 0.2 */
		{ 3, 1, 4, 3, 1 },	   { 7, 1, 5, 8, 2 },	    { 282, 1, 4, 300, 100 },
		{ 0, 1, 2, 1, 1 },	   { NAN, 0, 6, 1, 0.2 },	    { 54.4, 0, 4, 60, 20 },
		{ 100, 0, 6, 100, 20 },   { 1e6, 1, 6, 1e6, 2e5 }, { 0.03, 0, 4, 0.03, 0.01 },
		{ 1, 1, 2, 1, 1 },	   { 11, 1, 4, 15, 5 },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		double t[16];
		size_t n = svg_ticks(cases[i].max, cases[i].integer, t, 16);

		CHECK_INT(n, cases[i].n);
		if (n < 2)
			continue;
		CHECK_DBL(t[0], 0);
		CHECK_DBL(t[n - 1], cases[i].last);
		CHECK_DBL(t[1] - t[0], cases[i].step);
		CHECK(t[n - 1] >= (isfinite(cases[i].max) ? cases[i].max : 0));
		for (size_t k = 0; k < n; k++) {
			char num[JW_NUMBER_MAX];

			/* the printed tick is short: k * step exactly as a person writes it */
			jw_format_number(t[k], num);
			CHECK(strlen(num) <= 7);
			if (cases[i].integer)
				CHECK(t[k] == floor(t[k]));
		}
	}
	{
		double t[3];

		/* cap: no more ticks written than asked for */
		CHECK_INT(svg_ticks(100, 1, t, 3), 3);
	}
}

/* Wrapping: lines fit the width, nothing is lost, no line starts with a closing mark. */
static void test_wrap(void)
{
	static const struct {
		const char *s;
		double width;
		size_t max, want_lines;
		int cut;
	} cases[] = {
		{ "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 160, 4, 3,
		  0 },
		{ "5.要求行政机关确认或重新出具已获取信息", 400, 3, 1, 0 },
		{ "不予公开：属于国家秘密", 48, 2, 2, 1 },
		{ "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 130, 2, 2, 1 },
		{ "a rather long English label that wraps at spaces", 120, 5, 4, 0 },
		{ "", 100, 3, 0, 0 },
		{ "晋江市龙湖镇人民政府", 400, 3, 1, 0 },
		{ "一二三四五六七八、九十", 96, 3, 2, 0 },
		{ "\xff\xfe bad bytes", 50, 4, 3, 0 },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct buf lines[8], all = BUF_INIT(BUF_NOLIMIT);
		size_t n;

		for (size_t k = 0; k < 8; k++)
			buf_init(&lines[k], BUF_NOLIMIT);
		n = svg_wrap(cases[i].s, cases[i].width, 12, lines, cases[i].max);
		CHECK_INT(n, cases[i].want_lines);
		for (size_t k = 0; k < n; k++) {
			const char *l = buf_str(&lines[k]);

			if (svg_text_width(l, 12) > cases[i].width + 1e-9) {
				CHECK(svg_text_width(l, 12) <= cases[i].width);
				fprintf(stderr, "    case %zu line %zu: '%s'\n", i, k, l);
			}
			CHECK(strncmp(l, "、", 3) && strncmp(l, "，", 3) && strncmp(l, "）", 3));
			buf_adds(&all, l);
			if (k + 1 < n && strchr(cases[i].s, ' '))
				buf_addc(&all, ' ');
		}
		if (cases[i].cut) {
			CHECK(n && strstr(buf_str(&lines[n - 1]), "\xE2\x80\xA6") != NULL);
		} else {
			CHECK_STR(buf_str(&all), cases[i].s);
		}
		for (size_t k = 0; k < 8; k++)
			buf_release(&lines[k]);
		buf_release(&all);
	}
	/* the 2021 form's longest ground breaks after its comma (、), a phrase mark */
	{
		struct buf l[4];

		for (size_t k = 0; k < 4; k++)
			buf_init(&l[k], BUF_NOLIMIT);
		CHECK_INT(svg_wrap("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 300, 12,
				   l, 4), 2);
		CHECK_STR(buf_str(&l[0]), "1.申请人无正当理由逾期不补正、");
		for (size_t k = 0; k < 4; k++)
			buf_release(&l[k]);
	}
}

static void test_hbars(void)
{
	const char *labels[] = { evil, "晋江市龙湖镇人民政府", "b\"'&", "\xff bad" };
	double a[] = { 3, NAN, 0, 12.5 };
	struct buf out = BUF_INIT(BUF_NOLIMIT), small = BUF_INIT(64);

	CHECK_INT(svg_hbars(&out, "Title <script>", labels, a, 4, SV_COUNT, "无数据"), 0);
	CHECK(!strncmp(buf_str(&out), "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot hbars\"",
		       58));
	CHECK(out.len > 6 && !strcmp(buf_str(&out) + out.len - 7, "</svg>\n"));
	CHECK(!strstr(buf_str(&out), "<script"));
	CHECK(strstr(buf_str(&out), "测试&lt;script&gt;alert(1)&lt;/script&gt;镇") != NULL);
	CHECK(strstr(buf_str(&out), "Title &lt;script&gt;") != NULL);
	CHECK(strstr(buf_str(&out), "b&quot;&#39;&amp;") != NULL);
	/* a bar per figure (0 is a bar of nothing); NaN says so instead */
	CHECK_INT(count(buf_str(&out), "<rect class=\"bar\""), 3);
	CHECK_INT(count(buf_str(&out), ">无数据</text>"), 1);
	CHECK_INT(count(buf_str(&out), "<g class=\"row\">"), 4);
	/* direct labels: the value at each bar's end, rounded */
	CHECK(strstr(buf_str(&out), ">12.5</text>") != NULL);
	CHECK(!strstr(buf_str(&out), "nan") && !strstr(buf_str(&out), "inf"));
	/* counts up to 12.5: integer ticks 0 5 10 15 */
	CHECK(strstr(buf_str(&out), ">15</text>") != NULL);
	CHECK(!strstr(buf_str(&out), ">2.5</text>"));
	buf_reset(&out);
	{
		double r[] = { 57.142857142857146, 33.33333 };

		CHECK_INT(svg_hbars(&out, "rates", labels, r, 2, SV_PCT, "–"), 0);
		CHECK(strstr(buf_str(&out), ">57.1%</text>") != NULL);
		CHECK(!strstr(buf_str(&out), "57.14"));
	}
	/* a buffer too small fails instead of writing half a chart silently */
	CHECK_INT(svg_hbars(&small, "t", labels, a, 4, SV_COUNT, "–"), -1);
	buf_reset(&out);
	CHECK_INT(svg_hbars(&out, "", NULL, NULL, 0, SV_COUNT, "–"), 0);
	CHECK(strstr(buf_str(&out), "</svg>") != NULL);
	buf_release(&out);
	buf_release(&small);
}

static void test_stack100(void)
{
	const char *labels[] = { "a", evil, "none" };
	double g[] = { 30, 1, 0 }, r[] = { 10, 3, NAN };
	struct svg_part parts[] = { { "予以公开", "#1f62b4", g }, { "<b>不予公开</b>", "#d9541e", r } };
	struct buf out = BUF_INIT(BUF_NOLIMIT);

	CHECK_INT(svg_stack100(&out, "outcomes", labels, 3, parts, 2, 1, "无办理结果"), 0);
	CHECK(!strstr(buf_str(&out), "<script") && !strstr(buf_str(&out), "<b>"));
	/* shares of the row's sum: 75% and 25%; the refused share at the end */
	CHECK(strstr(buf_str(&out), ">75.0%</text>") != NULL);
	CHECK(strstr(buf_str(&out), "font-weight=\"bold\">25.0%</text>") != NULL);
	CHECK(strstr(buf_str(&out), "font-weight=\"bold\">75.0%</text>") != NULL);
	CHECK_INT(count(buf_str(&out), ">无办理结果</text>"), 1);
	/* the legend and both colours: granted blue, refused red-orange */
	CHECK(strstr(buf_str(&out), "fill=\"#1f62b4\"") && strstr(buf_str(&out), "fill=\"#d9541e\""));
	buf_release(&out);
}

static void test_grouped_and_small(void)
{
	const char *labels[] = { "不予公开：属于国家秘密", "无法提供：本机关不掌握相关政府信息" };
	const char *years[] = { "2019", "2020", "2021", "2022" };
	double y1[] = { 4, 0 }, y2[] = { NAN, 7 };
	struct svg_part series[] = { { "2022年", "#9ecae1", y1 }, { "2023年", "#08519c", y2 } };
	double v[] = { 1, NAN, 3, 4 };
	struct buf out = BUF_INIT(BUF_NOLIMIT);
	const char *p;

	CHECK_INT(svg_grouped(&out, "grounds", labels, 2, series, 2, SV_COUNT), 0);
	/* labels in full (wrapped, not cut) */
	CHECK(strstr(buf_str(&out), "本机关不掌握相关政府信息") != NULL);
	CHECK(!strstr(buf_str(&out), "\xE2\x80\xA6"));
	CHECK_INT(count(buf_str(&out), "<rect x=\"0\""), 4);
	buf_reset(&out);
	CHECK_INT(svg_small_line(&out, evil, years, v, 4, 10, SV_COUNT, "无报告"), 0);
	CHECK(!strstr(buf_str(&out), "<script"));
	CHECK_INT(count(buf_str(&out), "<circle"), 3);
	/* the missing year is marked, and the line stops there: two moves */
	CHECK_INT(count(buf_str(&out), "class=\"missing\""), 1);
	CHECK(strstr(buf_str(&out), "2020 无报告") != NULL);
	p = strstr(buf_str(&out), "d=\"");
	CHECK(p != NULL);
	if (p) {
		const char *end = strchr(p + 3, '"');
		size_t moves = 0;

		for (const char *q = p + 3; q < end; q++)
			moves += *q == 'M';
		CHECK_INT(moves, 2);
	}
	CHECK_INT(count(buf_str(&out), "class=\"xlabel\""), 4);
	/* six years in a small plot: not every label fits; the first and the last always */
	{
		const char *six[] = { "2019", "2020", "2021", "2022", "2023", "2024" };
		double v6[] = { 1, 2, 3, 4, 5, 6 };
		size_t nl;

		buf_reset(&out);
		CHECK_INT(svg_small_line(&out, "six", six, v6, 6, 6, SV_COUNT, "无报告"), 0);
		nl = count(buf_str(&out), "class=\"xlabel\"");
		CHECK(nl >= 2 && nl < 6);
		CHECK(strstr(buf_str(&out), ">2019</text>") != NULL);
		CHECK(strstr(buf_str(&out), ">2024</text>") != NULL);
	}
	buf_release(&out);
}

static void test_html_page(void)
{
	struct rsection s[2];
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct html_frame fr = { "Title <script>alert(1)</script>", "sub \"x\"", NULL, 0 };
	struct html_frame fe = { evil, NULL, NULL, 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	rsection_init(&s[0], "volumes", "Volumes <b>");
	rsection_init(&s[1], "flags", "Flags");
	buf_adds(&s[0].note, "note with <script>x</script> & more");
	buf_adds(&s[0].charts, "<svg class=\"chart\"></svg>\n");
	table_add_column(s[0].table, "organization", TA_LEFT);
	table_add_column(s[0].table, "new", TA_RIGHT);
	table_add_row(s[0].table);
	table_set_str(s[0].table, 0, evil);
	table_set_num(s[0].table, 1, 3);

	CHECK_INT(html_page_begin(&b, &fr, s, 2), 0);
	CHECK(!strncmp(buf_str(&b), "<!DOCTYPE html>", 15));
	CHECK(strstr(buf_str(&b), "Content-Security-Policy") != NULL);
	CHECK(strstr(buf_str(&b), "default-src 'none'") != NULL);
	CHECK(strstr(buf_str(&b), "<a href=\"#flags\">Flags</a>") != NULL);
	CHECK(!strstr(buf_str(&b), "<script"));
	CHECK(strstr(buf_str(&b), "sub &quot;x&quot;") != NULL);
	buf_reset(&b);
	CHECK_INT(html_section_begin(&b, &s[0]), 0);
	CHECK(strstr(buf_str(&b), "<section id=\"volumes\">") != NULL);
	CHECK(strstr(buf_str(&b), "note with &lt;script&gt;x&lt;/script&gt; &amp; more") != NULL);
	CHECK(strstr(buf_str(&b), "<svg class=\"chart\"></svg>") != NULL);
	buf_release(&b);

	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(html_write_page(f, &fe, s, 2), 0);
		fclose(f);
		CHECK(!strstr(text, "<script"));
		CHECK_INT(count(text, "测试&lt;script&gt;alert(1)&lt;/script&gt;镇"), 3);
		CHECK_INT(count(text, "<section "), 2);
		CHECK(strstr(text, "<td class=\"num\">3</td>") != NULL);
		CHECK(len > 14 && !strcmp(text + len - 8, "</html>\n"));
		free(text);
	}
	/* the same sections as text and JSON */
	text = NULL;
	f = open_memstream(&text, &len);
	if (f) {
		CHECK_INT(rsection_write(f, s, 2, TF_JSON, 0, &fr), 0);
		fclose(f);
		CHECK(!strncmp(text, "{\n\"volumes\": [\n", 15));
		CHECK(strstr(text, "\"flags\": []") != NULL);
		free(text);
	}
	text = NULL;
	f = open_memstream(&text, &len);
	if (f) {
		CHECK_INT(rsection_write(f, s, 2, TF_CSV, 0, &fr), -2);
		fclose(f);
		free(text);
	}
	rsection_release(&s[0]);
	rsection_release(&s[1]);
}

int main(void)
{
	RUN(test_tick_step);
	RUN(test_text_width);
	RUN(test_add_label);
	RUN(test_ticks);
	RUN(test_wrap);
	RUN(test_hbars);
	RUN(test_stack100);
	RUN(test_grouped_and_small);
	RUN(test_html_page);
	return t_done(__FILE__);
}
