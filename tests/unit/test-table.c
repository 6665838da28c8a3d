#include "util/table.h"

#include <math.h>

#include "util/buf.h"

#include "tests/unit/t.h"

/* Writes t into memory; returns the text (caller frees) and the result in *rc. */
static char *render(const struct table *t, enum table_format fmt, unsigned flags, int *rc)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	*rc = -1;
	if (!f)
		return NULL;
	*rc = table_write(t, f, fmt, flags);
	fclose(f);
	return mem;
}

struct render_case {
	enum table_format fmt;
	unsigned flags;
	const char *want;
};

static void check_renders(const struct table *t, const struct render_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = -2;
		char *got = render(t, cases[i].fmt, cases[i].flags, &rc);

		CHECK_INT(rc, 0);
		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

/*
 * The main sample: a CJK name column and a number column, with a blank in
 * each.  晋江市龙湖镇人民政府 is 10 characters, 20 terminal columns.
 */
static struct table *sample(void)
{
	struct table *t = table_new();
	size_t name = table_add_column(t, "name", TA_LEFT);
	size_t n = table_add_column(t, "n", TA_RIGHT);

	table_add_row(t);
	table_set_str(t, name, "晋江市龙湖镇人民政府");
	table_set_num(t, n, 25.1);
	table_add_row(t);
	table_set_str(t, name, "abc");
	table_set_num(t, n, -3);
	table_add_row(t);
	table_set_str(t, name, NULL);
	table_set_num(t, n, 1e20);
	table_add_row(t);
	table_set_str(t, name, "x");
	table_set_null(t, n);
	return t;
}

static void test_sample(void)
{
	static const struct render_case cases[] = {
		{ TF_TEXT, 0,
		  "name                      n\n"
		  "--------------------  -----\n"
		  "晋江市龙湖镇人民政府   25.1\n"
		  "abc                      -3\n"
		  "                      1e+20\n"
		  "x\n" },
		{ TF_TEXT, TABLE_NO_HEADER,
		  "晋江市龙湖镇人民政府   25.1\n"
		  "abc                      -3\n"
		  "                      1e+20\n"
		  "x\n" },
		{ TF_CSV, 0,
		  "name,n\n"
		  "晋江市龙湖镇人民政府,25.1\n"
		  "abc,-3\n"
		  ",1e+20\n"
		  "x,\n" },
		{ TF_CSV, TABLE_EXCEL,
		  "\xEF\xBB\xBFname,n\r\n"
		  "晋江市龙湖镇人民政府,25.1\r\n"
		  "abc,-3\r\n"
		  ",1e+20\r\n"
		  "x,\r\n" },
		{ TF_CSV, TABLE_EXCEL | TABLE_NO_HEADER,
		  "\xEF\xBB\xBF晋江市龙湖镇人民政府,25.1\r\n"
		  "abc,-3\r\n"
		  ",1e+20\r\n"
		  "x,\r\n" },
		{ TF_JSON, 0,
		  "[\n"
		  "  {\"name\":\"晋江市龙湖镇人民政府\",\"n\":25.1},\n"
		  "  {\"name\":\"abc\",\"n\":-3},\n"
		  "  {\"name\":null,\"n\":1e+20},\n"
		  "  {\"name\":\"x\",\"n\":null}\n"
		  "]\n" },
		{ TF_JSON, TABLE_NO_HEADER | TABLE_EXCEL,
		  "[\n"
		  "  {\"name\":\"晋江市龙湖镇人民政府\",\"n\":25.1},\n"
		  "  {\"name\":\"abc\",\"n\":-3},\n"
		  "  {\"name\":null,\"n\":1e+20},\n"
		  "  {\"name\":\"x\",\"n\":null}\n"
		  "]\n" },
		{ TF_HTML, 0,
		  "<table>\n"
		  "<thead>\n"
		  "<tr><th>name</th><th class=\"num\">n</th></tr>\n"
		  "</thead>\n"
		  "<tbody>\n"
		  "<tr><td>晋江市龙湖镇人民政府</td><td class=\"num\">25.1</td></tr>\n"
		  "<tr><td>abc</td><td class=\"num\">-3</td></tr>\n"
		  "<tr><td></td><td class=\"num\">1e+20</td></tr>\n"
		  "<tr><td>x</td><td class=\"num\"></td></tr>\n"
		  "</tbody>\n"
		  "</table>\n" },
		{ TF_HTML, TABLE_NO_HEADER,
		  "<table>\n"
		  "<tbody>\n"
		  "<tr><td>晋江市龙湖镇人民政府</td><td class=\"num\">25.1</td></tr>\n"
		  "<tr><td>abc</td><td class=\"num\">-3</td></tr>\n"
		  "<tr><td></td><td class=\"num\">1e+20</td></tr>\n"
		  "<tr><td>x</td><td class=\"num\"></td></tr>\n"
		  "</tbody>\n"
		  "</table>\n" },
	};
	struct table *t = sample();

	CHECK_INT(table_rows(t), 4);
	check_renders(t, cases, sizeof(cases) / sizeof(cases[0]));
	table_free(t);
}

/* Numbers as every format prints them. */
static void test_numbers(void)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{ 0, "0" }, { -0.0, "0" }, { 25.1, "25.1" }, { -3, "-3" }, { 1e20, "1e+20" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { 1234567, "1234567" }, { 0.5, "0.5" },
		{ NAN, "" }, { INFINITY, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct table *t = table_new();
		char want[128];
		int rc;
		char *got;

		table_add_column(t, "v", TA_RIGHT);
		table_add_row(t);
		table_set_num(t, 0, cases[i].v);

		snprintf(want, sizeof(want), "%s\n", cases[i].want);
		got = render(t, TF_CSV, TABLE_NO_HEADER, &rc);
		CHECK_STR(got, want);
		free(got);

		snprintf(want, sizeof(want), "[\n  {\"v\":%s}\n]\n",
			 *cases[i].want ? cases[i].want : "null");
		got = render(t, TF_JSON, 0, &rc);
		CHECK_STR(got, want);
		free(got);
		table_free(t);
	}
}

/* Right alignment: the header wider than the numbers, and the numbers wider than the header. */
static void test_right_align(void)
{
	static const struct render_case cases[] = {
		{ TF_TEXT, 0,
		  "item  count     v  note\n"
		  "----  -----  ----  ----\n"
		  "a         7  1000  ok\n"
		  "bb      -12   2.5\n"
		  "中文      0    -1\n" },
		{ TF_HTML, TABLE_NO_HEADER,
		  "<table>\n"
		  "<tbody>\n"
		  "<tr><td>a</td><td class=\"num\">7</td><td class=\"num\">1000</td>"
		  "<td>ok</td></tr>\n"
		  "<tr><td>bb</td><td class=\"num\">-12</td><td class=\"num\">2.5</td>"
		  "<td></td></tr>\n"
		  "<tr><td>中文</td><td class=\"num\">0</td><td class=\"num\">-1</td>"
		  "<td></td></tr>\n"
		  "</tbody>\n"
		  "</table>\n" },
	};
	struct table *t = table_new();

	table_add_column(t, "item", TA_LEFT);
	table_add_column(t, "count", TA_RIGHT);
	table_add_column(t, "v", TA_RIGHT);
	table_add_column(t, "note", TA_LEFT);
	table_add_row(t);
	table_set_str(t, 0, "a");
	table_set_num(t, 1, 7);
	table_set_num(t, 2, 1000);
	table_set_str(t, 3, "ok");
	table_add_row(t);
	table_set_str(t, 0, "bb");
	table_set_num(t, 1, -12);
	table_set_num(t, 2, 2.5);
	table_set_str(t, 3, "");
	table_add_row(t);
	table_set_str(t, 0, "中文");
	table_set_num(t, 1, 0);
	table_set_num(t, 2, -1);
	check_renders(t, cases, sizeof(cases) / sizeof(cases[0]));
	table_free(t);
}

/* One-column tables of hostile strings, written in every format. */
static void test_hostile_cells(void)
{
	static const struct {
		const char *cell;
		const char *text, *csv, *json, *html;
	} cases[] = {
		{ "<script>alert(1)</script>",
		  "<script>alert(1)</script>", "<script>alert(1)</script>",
		  "\"<script>alert(1)</script>\"",
		  "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "=HYPERLINK(\"http://evil\")",
		  "=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"",
		  "\"=HYPERLINK(\\\"http://evil\\\")\"",
		  "=HYPERLINK(&quot;http://evil&quot;)" },
		{ "@x", "@x", "'@x", "\"@x\"", "@x" },
		{ "-3", "-3", "-3", "\"-3\"", "-3" },
		{ "a,b", "a,b", "\"a,b\"", "\"a,b\"", "a,b" },
		{ "tab\there\nnew", "tab here new", "\"tab\there\nnew\"",
		  "\"tab\\there\\nnew\"", "tab\there\nnew" },
		{ "\x1b[31mred\x1b[0m\x7f", " [31mred [0m", "\" [31mred [0m \"",
		  "\"\\u001b[31mred\\u001b[0m\\u007f\"", " [31mred [0m " },
		{ "c1\xC2\x9B" "2J", "c1 2J", "c1 2J", "\"c1\\u009b2J\"", "c1 2J" },
		{ "bad\xFF\xC3", "bad\xEF\xBF\xBD\xEF\xBF\xBD", "bad\xEF\xBF\xBD\xEF\xBF\xBD",
		  "\"bad\xEF\xBF\xBD\xEF\xBF\xBD\"", "bad\xEF\xBF\xBD\xEF\xBF\xBD" },
		/* bidi overrides and isolates: dropped, or escaped in JSON */
		{ "ab\xE2\x80\xAE" "cd\xE2\x81\xA6" "ef", "abcdef", "abcdef",
		  "\"ab\\u202ecd\\u2066ef\"", "abcdef" },
		{ "a\xE2\x80\xA8" "b", "a b", "a b", "\"a\\u2028b\"", "a b" },
		{ "'q' & \"dq\"", "'q' & \"dq\"", "\"'q' & \"\"dq\"\"\"",
		  "\"'q' & \\\"dq\\\"\"", "&#39;q&#39; &amp; &quot;dq&quot;" },
		{ "trail  ", "trail", "\"trail  \"", "\"trail  \"", "trail  " },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct table *t = table_new();
		char want[512];

		table_add_column(t, "c", TA_LEFT);
		table_add_row(t);
		table_set_str(t, 0, cases[i].cell);
		{
			struct render_case rc[4];

			snprintf(want, sizeof(want), "%s\n", cases[i].text);
			rc[0] = (struct render_case){ TF_TEXT, TABLE_NO_HEADER, strdup(want) };
			snprintf(want, sizeof(want), "%s\n", cases[i].csv);
			rc[1] = (struct render_case){ TF_CSV, TABLE_NO_HEADER, strdup(want) };
			snprintf(want, sizeof(want), "[\n  {\"c\":%s}\n]\n", cases[i].json);
			rc[2] = (struct render_case){ TF_JSON, 0, strdup(want) };
			snprintf(want, sizeof(want), "<table>\n<tbody>\n<tr><td>%s</td></tr>\n"
				 "</tbody>\n</table>\n", cases[i].html);
			rc[3] = (struct render_case){ TF_HTML, TABLE_NO_HEADER, strdup(want) };
			check_renders(t, rc, 4);
			for (int k = 0; k < 4; k++)
				free((char *)rc[k].want);
		}
		table_free(t);
	}
}

/* Repeats s n times into a malloc'd string. */
static char *rep(const char *s, size_t n)
{
	size_t len = strlen(s);
	char *r = malloc(len * n + 1);

	for (size_t i = 0; i < n; i++)
		memcpy(r + i * len, s, len);
	r[len * n] = '\0';
	return r;
}

/* Text mode cuts cells wider than 60 columns on a character boundary; other formats never. */
static void test_truncate(void)
{
	static const struct {
		const char *unit;
		size_t count;		/* the cell is unit repeated count times */
		const char *kept;	/* text mode shows kept repeated kept_count times, */
		size_t kept_count;
		const char *tail;	/* then tail */
	} cases[] = {
		{ "a", 60, "a", 60, "" },
		{ "a", 61, "a", 59, "…" },
		{ "a", 1000, "a", 59, "…" },
		{ "中", 30, "中", 30, "" },
		/* 29 wide characters are 58 columns; a 30th would pass 59. */
		{ "中", 31, "中", 29, "…" },
		/* 14 units are 56 columns, "ab" makes 58, the next "中" would pass 59. */
		{ "ab中", 20, "ab中", 14, "ab…" },
		{ "\xFF", 61, "\xEF\xBF\xBD", 59, "…" },
		/* Combining marks take no column. */
		{ "e\xCC\x81", 60, "e\xCC\x81", 60, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct table *t = table_new();
		char *cell = rep(cases[i].unit, cases[i].count);
		char *kept = rep(cases[i].kept, cases[i].kept_count);
		struct buf want = BUF_INIT(BUF_NOLIMIT);
		int rc;
		char *got;

		table_add_column(t, "c", TA_LEFT);
		table_add_row(t);
		table_set_str(t, 0, cell);
		buf_adds(&want, kept);
		buf_adds(&want, cases[i].tail);
		buf_addc(&want, '\n');
		got = render(t, TF_TEXT, TABLE_NO_HEADER, &rc);
		CHECK_INT(rc, 0);
		CHECK_STR(got, buf_str(&want));
		free(got);

		/* CSV keeps the whole cell (made safe: U+FFFD for invalid bytes). */
		buf_reset(&want);
		free(cell);
		cell = rep(cases[i].kept, cases[i].count);
		buf_adds(&want, cell);
		buf_addc(&want, '\n');
		got = render(t, TF_CSV, TABLE_NO_HEADER, &rc);
		CHECK_STR(got, buf_str(&want));
		free(got);

		buf_release(&want);
		free(kept);
		free(cell);
		table_free(t);
	}
}

/* A cut cell sets the column width to 60 and the other cells pad to it. */
static void test_truncate_width(void)
{
	struct table *t = table_new();
	char *longcell = rep("x", 100);
	char *want;
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	char *dashes = rep("-", 60), *xs = rep("x", 59), *pad = rep(" ", 58);
	int rc;

	table_add_column(t, "h", TA_RIGHT);
	table_add_column(t, "z", TA_LEFT);
	table_add_row(t);
	table_set_str(t, 0, longcell);
	table_set_str(t, 1, "1");
	table_add_row(t);
	table_set_str(t, 0, "ab");
	buf_addf(&b, "%s h  z\n%s  -\n%s…  1\n%sab\n", pad, dashes, xs, pad);
	want = render(t, TF_TEXT, 0, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(want, buf_str(&b));
	free(want);
	buf_release(&b);
	free(longcell);
	free(dashes);
	free(xs);
	free(pad);
	table_free(t);
}

static void test_empty_tables(void)
{
	static const struct render_case no_cols[] = {
		{ TF_TEXT, 0, "" },
		{ TF_CSV, TABLE_EXCEL, "" },
		{ TF_JSON, 0, "[]\n" },
		{ TF_HTML, 0,
		  "<table>\n<thead>\n<tr></tr>\n</thead>\n<tbody>\n</tbody>\n</table>\n" },
	};
	static const struct render_case no_rows[] = {
		{ TF_TEXT, 0, "a  数字\n-  ----\n" },
		{ TF_TEXT, TABLE_NO_HEADER, "" },
		{ TF_CSV, 0, "a,数字\n" },
		{ TF_CSV, TABLE_EXCEL, "\xEF\xBB\xBF" "a,数字\r\n" },
		{ TF_JSON, 0, "[]\n" },
		{ TF_HTML, 0,
		  "<table>\n<thead>\n<tr><th>a</th><th class=\"num\">数字</th></tr>\n</thead>\n"
		  "<tbody>\n</tbody>\n</table>\n" },
	};
	struct table *t = table_new();

	check_renders(t, no_cols, sizeof(no_cols) / sizeof(no_cols[0]));
	CHECK_INT(table_rows(t), 0);
	table_add_column(t, "a", TA_LEFT);
	table_add_column(t, "数字", TA_RIGHT);
	check_renders(t, no_rows, sizeof(no_rows) / sizeof(no_rows[0]));
	table_free(t);
	table_free(NULL);
}

/* Rows of blanks only, in every format. */
static void test_null_rows(void)
{
	static const struct render_case cases[] = {
		{ TF_TEXT, 0, "a  b\n-  -\n\n\n" },
		{ TF_CSV, 0, "a,b\n,\n,\n" },
		{ TF_JSON, 0, "[\n  {\"a\":null,\"b\":null},\n  {\"a\":null,\"b\":null}\n]\n" },
		{ TF_HTML, TABLE_NO_HEADER,
		  "<table>\n<tbody>\n"
		  "<tr><td></td><td class=\"num\"></td></tr>\n"
		  "<tr><td></td><td class=\"num\"></td></tr>\n"
		  "</tbody>\n</table>\n" },
	};
	struct table *t = table_new();

	table_add_column(t, "a", TA_LEFT);
	table_add_column(t, "b", TA_RIGHT);
	table_add_row(t);			/* never set */
	table_add_row(t);
	table_set_str(t, 0, "gone");		/* overwritten by blanks */
	table_set_num(t, 1, 5);
	table_set_null(t, 0);
	table_set_str(t, 1, NULL);
	check_renders(t, cases, sizeof(cases) / sizeof(cases[0]));
	table_free(t);
}

/* Overwrites, printf cells, empty strings versus blanks, calls out of range. */
static void test_setters(void)
{
	static const struct render_case cases[] = {
		{ TF_JSON, 0,
		  "[\n"
		  "  {\"k\":\"2023-007\",\"v\":\"\",\"late\":null},\n"
		  "  {\"k\":\"x\",\"v\":1.5,\"late\":\"y\"}\n"
		  "]\n" },
		{ TF_TEXT, 0,
		  "k           v  late\n"
		  "--------  ---  ----\n"
		  "2023-007\n"
		  "x         1.5  y\n" },
	};
	struct table *t = table_new();

	/* Before any row: ignored. */
	table_add_column(t, "k", TA_LEFT);
	table_set_str(t, 0, "ignored");
	table_add_column(t, "v", TA_RIGHT);
	table_add_row(t);
	table_set_num(t, 0, 1);
	table_set_str(t, 0, "first");
	table_set_fmt(t, 0, "%d-%03d", 2023, 7);
	table_set_str(t, 1, "");
	table_set_str(t, 2, "out of range");
	table_set_num(t, (size_t)-1, 1);
	/* A column added after the first row: blank there. */
	table_add_column(t, "late", TA_LEFT);
	table_add_row(t);
	table_set_str(t, 0, "x");
	table_set_num(t, 1, 1.5);
	table_set_fmt(t, 2, "%s", "y");
	CHECK_INT(table_rows(t), 2);
	check_renders(t, cases, sizeof(cases) / sizeof(cases[0]));
	table_free(t);
}

static void test_format_parse(void)
{
	static const struct {
		const char *s;
		int rc;
		enum table_format fmt;
	} cases[] = {
		{ "text", 0, TF_TEXT }, { "csv", 0, TF_CSV }, { "json", 0, TF_JSON },
		{ "html", 0, TF_HTML }, { "", -1, TF_CSV }, { "CSV", -1, TF_CSV },
		{ "jsonl", -1, TF_CSV }, { "htm", -1, TF_CSV }, { NULL, -1, TF_CSV },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum table_format f = TF_CSV;

		CHECK_INT(table_format_parse(cases[i].s, &f), cases[i].rc);
		CHECK_INT(f, cases[i].fmt);
	}
}

static void test_write_error(void)
{
	static const enum table_format fmts[] = { TF_TEXT, TF_CSV, TF_JSON, TF_HTML };
	struct table *t = sample();
	struct table *big = table_new();
	int rc = 0;
	char *s;

	table_add_column(big, "i", TA_RIGHT);
	for (int i = 0; i < 50000; i++) {
		table_add_row(big);
		table_set_num(big, 0, i);
	}
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		FILE *f = fopen("/dev/full", "w");

		if (!CHECK(f != NULL))
			break;
		/* Small: fails at the flush. */
		CHECK_INT(table_write(t, f, fmts[i], 0), -1);
		fclose(f);
		f = fopen("/dev/full", "w");
		if (!CHECK(f != NULL))
			break;
		/* Large: fails while writing, and keeps failing. */
		CHECK_INT(table_write(big, f, fmts[i], TABLE_EXCEL), -1);
		fclose(f);
	}
	/* An unknown format writes nothing. */
	s = render(t, (enum table_format)42, 0, &rc);
	CHECK_INT(rc, -1);
	CHECK_STR(s, "");
	free(s);
	table_free(big);
	table_free(t);
}

int main(void)
{
	RUN(test_sample);
	RUN(test_numbers);
	RUN(test_right_align);
	RUN(test_hostile_cells);
	RUN(test_truncate);
	RUN(test_truncate_width);
	RUN(test_empty_tables);
	RUN(test_null_rows);
	RUN(test_setters);
	RUN(test_format_parse);
	RUN(test_write_error);
	return t_done(__FILE__);
}
