/* reports/svg.c and reports/html.c: axis steps, label widths and cuts, escaping of hostile text. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html.h"
#include "reports/section.h"
#include "reports/svg.h"
#include "util/buf.h"
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

static void test_bars_escape_and_shape(void)
{
	const char *labels[] = { evil, "晋江市龙湖镇人民政府", "b\"'&", "\xff bad" };
	double a[] = { 3, NAN, 0, 12.5 }, b2[] = { 1, NAN, 2, NAN };
	struct svg_series one = { "new", a }, two[] = { { "granted", a }, { "<i>x</i>", b2 } };
	struct svg_chart c = { "Title <script>", "requests & more", labels, 4, &one, 1 };
	struct buf out = BUF_INIT(BUF_NOLIMIT);

	CHECK_INT(svg_bars(&out, &c), 0);
	CHECK(!strncmp(buf_str(&out),
		       "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bars\"", 58));
	CHECK(out.len > 6 && !strcmp(buf_str(&out) + out.len - 7, "</svg>\n"));
	CHECK(!strstr(buf_str(&out), "<script"));
	CHECK(strstr(buf_str(&out), "测试&lt;script&gt;alert(1)&lt;/script&gt;镇") != NULL);
	CHECK(strstr(buf_str(&out), "Title &lt;script&gt;") != NULL);
	CHECK(strstr(buf_str(&out), "requests &amp; more") != NULL);
	CHECK(strstr(buf_str(&out), "b&quot;&#39;&amp;") != NULL);
	/* one bar per positive value: 3 and 12.5; NaN is "no figure", 0 a bar of nothing */
	CHECK_INT(count(buf_str(&out), "<rect"), 2);
	CHECK_INT(count(buf_str(&out), "no figure"), 1);
	CHECK_INT(count(buf_str(&out), "<g class=\"bar\">"), 4);
	CHECK(strstr(buf_str(&out), ">12.5</text>") != NULL);

	buf_reset(&out);
	c.series = two;
	c.nseries = 2;
	CHECK_INT(svg_bars(&out, &c), 0);
	/* stacked: 3+1, 2, 12.5 as bars, plus two legend keys */
	CHECK_INT(count(buf_str(&out), "<rect"), 4 + 2);
	CHECK(strstr(buf_str(&out), "&lt;i&gt;x&lt;/i&gt;") != NULL);
	CHECK(strstr(buf_str(&out), ">4</text>") != NULL);
	CHECK(!strstr(buf_str(&out), "<i>"));
	buf_release(&out);
}

static void test_bars_edge_cases(void)
{
	struct svg_chart empty = { "", "", NULL, 0, NULL, 0 };
	double big[] = { 1e300, 5 };
	const char *labels[] = { "a", "b" };
	struct svg_series s = { "x", big };
	struct svg_chart c = { "t", "u", labels, 2, &s, 1 };
	struct buf out = BUF_INIT(BUF_NOLIMIT), small = BUF_INIT(64);
	const char **many = calloc(5000, sizeof(*many));
	double *vals = calloc(5000, sizeof(*vals));
	struct svg_series ms = { "m", vals };
	struct svg_chart mc = { "many", "u", NULL, 5000, &ms, 1 };

	CHECK_INT(svg_bars(&out, &empty), 0);
	CHECK(strstr(buf_str(&out), "</svg>") != NULL);
	buf_reset(&out);
	CHECK_INT(svg_lines(&out, &empty), 0);
	buf_reset(&out);
	CHECK_INT(svg_bars(&out, &c), 0);
	CHECK(!strstr(buf_str(&out), "nan") && !strstr(buf_str(&out), "inf"));
	/* a buffer too small fails instead of writing half a chart silently */
	CHECK_INT(svg_bars(&small, &c), -1);
	for (size_t i = 0; i < 5000; i++) {
		many[i] = "晋江市";
		vals[i] = (double)i;
	}
	mc.labels = many;
	buf_reset(&out);
	CHECK_INT(svg_bars(&out, &mc), 0);
	CHECK_INT(count(buf_str(&out), "<g class=\"bar\">"), 5000);
	free(many);
	free(vals);
	buf_release(&out);
	buf_release(&small);
}

static void test_lines(void)
{
	const char *years[] = { "2019", "2020", "2021", "2022" };
	double a[] = { 1, NAN, 3, 4 }, b2[] = { NAN, NAN, NAN, NAN };
	struct svg_series s[] = { { evil, a }, { "empty", b2 } };
	struct svg_chart c = { "Trend", "requests", years, 4, s, 2 };
	struct buf out = BUF_INIT(BUF_NOLIMIT);
	const char *p;

	CHECK_INT(svg_lines(&out, &c), 0);
	CHECK(!strstr(buf_str(&out), "<script"));
	CHECK_INT(count(buf_str(&out), "<circle"), 3);
	/* the NaN breaks the line: two moves in the first path */
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
	buf_release(&out);
}

static void test_html_page(void)
{
	struct rsection s[2];
	struct buf b = BUF_INIT(BUF_NOLIMIT);
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

	CHECK_INT(html_page_begin(&b, "Title <script>alert(1)</script>", "sub \"x\"", s, 2), 0);
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
		CHECK_INT(html_write_page(f, evil, NULL, s, 2), 0);
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
		CHECK_INT(rsection_write(f, s, 2, TF_JSON, 0, "t", NULL), 0);
		fclose(f);
		CHECK(!strncmp(text, "{\n\"volumes\": [\n", 15));
		CHECK(strstr(text, "\"flags\": []") != NULL);
		free(text);
	}
	text = NULL;
	f = open_memstream(&text, &len);
	if (f) {
		CHECK_INT(rsection_write(f, s, 2, TF_CSV, 0, "t", NULL), -2);
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
	RUN(test_bars_escape_and_shape);
	RUN(test_bars_edge_cases);
	RUN(test_lines);
	RUN(test_html_page);
	return t_done(__FILE__);
}
