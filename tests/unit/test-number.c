#include "parser/number.h"

#include "util/xalloc.h"
#include "tests/unit/t.h"

struct num_case {
	const char *in;
	enum value_kind kind;
	enum num_result res;
	double val;	/* checked when res == NUM_VALUE */
};

#define C VK_COUNT
#define S VK_SIGNED
#define W VK_WAN

static const struct num_case cases[] = {
	/* plain and padded figures */
	{ "0", C, NUM_VALUE, 0 },
	{ "7", C, NUM_VALUE, 7 },
	{ "1088", C, NUM_VALUE, 1088 },
	{ "        0", C, NUM_VALUE, 0 },
	{ "\t12\r\n", C, NUM_VALUE, 12 },
	{ "\xC2\xA0" "5\xC2\xA0", C, NUM_VALUE, 5 },		/* NBSP */
	{ "\xE3\x80\x80" "6\xE3\x80\x80", C, NUM_VALUE, 6 },	/* U+3000 */
	{ "\xE2\x80\x8B" "8\xEF\xBB\xBF", C, NUM_VALUE, 8 },	/* ZWSP, BOM */
	{ "1\xE2\x80\x8B" "2", C, NUM_VALUE, 12 },		/* ZWSP inside */
	{ "007", C, NUM_VALUE, 7 },
	/* blanks */
	{ "", C, NUM_BLANK, 0 },
	{ "   ", C, NUM_BLANK, 0 },
	{ "\xC2\xA0\xE3\x80\x80\xE2\x80\x8B", W, NUM_BLANK, 0 },
	/* full width */
	{ "\xEF\xBC\x91\xEF\xBC\x92", C, NUM_VALUE, 12 },	/* １２ */
	{ "１，２３４", C, NUM_VALUE, 1234 },
	{ "＋１９", S, NUM_VALUE, 19 },
	{ "－３", S, NUM_VALUE, -3 },
	{ "０．５", W, NUM_VALUE, 0.5 },
	/* thousands separators */
	{ "1,234", C, NUM_VALUE, 1234 },
	{ "1，234", C, NUM_VALUE, 1234 },
	{ "12,345,678", C, NUM_VALUE, 12345678 },
	{ "1,234.5", W, NUM_VALUE, 1234.5 },
	{ "1,23", C, NUM_TEXT, 0 },
	{ "1234,567", C, NUM_TEXT, 0 },
	{ ",123", C, NUM_TEXT, 0 },
	/* signs */
	{ "+19", S, NUM_VALUE, 19 },
	{ "-3", S, NUM_VALUE, -3 },
	{ "-3", C, NUM_VALUE, -3 },	/* NONNEG flags it later */
	{ "-0", S, NUM_VALUE, 0 },
	{ "\xE2\x88\x92" "4", S, NUM_VALUE, -4 },	/* U+2212 MINUS SIGN */
	{ "+", S, NUM_TEXT, 0 },
	{ "+-3", S, NUM_TEXT, 0 },
	/* decimals */
	{ "0.5", W, NUM_VALUE, 0.5 },
	{ "12.30", W, NUM_VALUE, 12.3 },
	{ "25.1", W, NUM_VALUE, 25.1 },
	{ "0.000001", W, NUM_VALUE, 0.000001 },
	{ "1.2.3", W, NUM_TEXT, 0 },
	{ "1.", W, NUM_TEXT, 0 },
	{ ".5", W, NUM_TEXT, 0 },
	/* placeholders: a written nothing */
	{ "/", C, NUM_VALUE, 0 },
	{ "-", C, NUM_VALUE, 0 },
	{ "\xE2\x80\x94", C, NUM_VALUE, 0 },			/* — */
	{ "\xE2\x80\x93", C, NUM_VALUE, 0 },			/* – */
	{ "\xE2\x80\x94\xE2\x80\x94", C, NUM_VALUE, 0 },	/* —— */
	{ "－", C, NUM_VALUE, 0 },
	{ "／", W, NUM_VALUE, 0 },
	{ "--", C, NUM_VALUE, 0 },
	{ " 无 ", C, NUM_VALUE, 0 },
	{ "-----", C, NUM_TEXT, 0 },
	{ "无无", C, NUM_TEXT, 0 },
	{ "暂无", C, NUM_VALUE, 0 },
	{ "暂无无", C, NUM_TEXT, 0 },
	/* a cell said to be empty or to have no figure: blank, not 0 */
	{ "空", C, NUM_BLANK, 0 },
	{ " 空白 ", C, NUM_BLANK, 0 },
	{ "（空）", C, NUM_BLANK, 0 },
	{ "(空白)", W, NUM_BLANK, 0 },
	{ "不适用", C, NUM_BLANK, 0 },
	{ "N/A", C, NUM_BLANK, 0 },
	{ "n/a", S, NUM_BLANK, 0 },
	{ "空空", C, NUM_TEXT, 0 },
	{ "不详", C, NUM_TEXT, 0 },
	{ "NAN", C, NUM_TEXT, 0 },
	/* units */
	{ "0件", C, NUM_VALUE, 0 },
	{ "12件", C, NUM_VALUE, 12 },
	{ "3 个", C, NUM_VALUE, 3 },
	{ "4项", C, NUM_VALUE, 4 },
	{ "5次", C, NUM_VALUE, 5 },
	{ "6条", C, NUM_VALUE, 6 },
	{ "7份", C, NUM_VALUE, 7 },
	{ "8人", C, NUM_VALUE, 8 },
	{ "9家", C, NUM_VALUE, 9 },
	{ "251000元", W, NUM_VALUE, 25.1 },
	{ "251000元", C, NUM_VALUE, 251000 },
	{ "25.1万元", W, NUM_VALUE, 25.1 },
	{ "25.1万", W, NUM_VALUE, 25.1 },
	{ "1.2亿元", W, NUM_VALUE, 12000 },
	{ "3万", C, NUM_VALUE, 30000 },
	{ "1,500元", W, NUM_VALUE, 0.15 },
	{ "12件件", C, NUM_TEXT, 0 },
	{ "件", C, NUM_TEXT, 0 },
	{ "12美元", W, NUM_TEXT, 0 },
	/* not table figures */
	{ "12%", C, NUM_TEXT, 0 },
	{ "12％", C, NUM_TEXT, 0 },
	{ "规章", C, NUM_TEXT, 0 },
	{ "1.属于国家秘密", C, NUM_TEXT, 0 },
	{ "见附件", C, NUM_TEXT, 0 },
	{ "12（含转办）", C, NUM_TEXT, 0 },
	{ "(一)", C, NUM_TEXT, 0 },
	{ "第二十条第（一）项", C, NUM_TEXT, 0 },
	{ "0 0", C, NUM_TEXT, 0 },
	{ "2e5", C, NUM_TEXT, 0 },
	{ "0x10", C, NUM_TEXT, 0 },
	{ "inf", W, NUM_TEXT, 0 },
	{ "nan", W, NUM_TEXT, 0 },
	{ "１２ab", C, NUM_TEXT, 0 },
	/* absurd sizes */
	{ "999999999999999", C, NUM_VALUE, 999999999999999.0 },	/* 15 digits */
	{ "99999999999999999999", C, NUM_TEXT, 0 },
	{ "1234567890123456", C, NUM_TEXT, 0 },
	{ "0000000000000000000001", C, NUM_VALUE, 1 },	/* leading zeros are not precision */
	{ "1.50000000000000000000", W, NUM_VALUE, 1.5 },
	{ "999999999999999亿", C, NUM_VALUE, 999999999999999e8 },
	/* invalid UTF-8 */
	{ "1\xFF", C, NUM_TEXT, 0 },
	{ "\xE4\xBB", C, NUM_TEXT, 0 },		/* truncated 件 */
	{ "\xC0\xB1", C, NUM_TEXT, 0 },		/* overlong '1' */
	{ "\xED\xA0\x80", C, NUM_TEXT, 0 },	/* surrogate */
	{ "12\xE4\xBB", C, NUM_TEXT, 0 },
};

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct num_case *c = &cases[i];
		double v = -12345;
		enum num_result r = num_parse(c->in, c->kind, &v);
		char what[160];

		snprintf(what, sizeof(what), "case %zu '%s'", i, c->in);
		t_check(r == c->res, __FILE__, __LINE__, what);
		if (r == NUM_VALUE && c->res == NUM_VALUE)
			t_check(fabs(v - c->val) <= 1e-9 * (fabs(c->val) > 1 ? fabs(c->val) : 1),
				__FILE__, __LINE__, what);
		if (r != NUM_VALUE)	/* out is left alone unless a value is read */
			t_check(v == -12345, __FILE__, __LINE__, what);
	}
}

static void test_exact(void)
{
	double v;

	/* Amounts are compared for equality downstream: one rounding, not two. */
	CHECK_INT(num_parse("251000元", VK_WAN, &v), NUM_VALUE);
	CHECK(v == 25.1);
	CHECK_INT(num_parse("1.2亿元", VK_WAN, &v), NUM_VALUE);
	CHECK(v == 12000.0);
	CHECK_INT(num_parse("0.3", VK_WAN, &v), NUM_VALUE);
	CHECK(v == 0.3);
	CHECK_INT(num_parse("-0", VK_SIGNED, &v), NUM_VALUE);
	CHECK(!signbit(v));
	CHECK_INT(num_parse(NULL, VK_COUNT, &v), NUM_BLANK);
}

static void test_is_value(void)
{
	static const struct {
		const char *in;
		int value;
	} t[] = {
		{ "0", 1 },	   { "", 1 },	       { "  ", 1 },	  { "/", 1 },
		{ "无", 1 },	   { "25.1万元", 1 },  { "+19", 1 },	  { "3件", 1 },
		{ "规章", 0 },	   { "总计", 0 },      { "12%", 0 },
		{ "1.属于国家秘密", 0 },
		{ "3.其他", 0 },  { "(七)总计", 0 }, { "\xFF", 0 },	  { "本年制发件数", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char what[128];

		snprintf(what, sizeof(what), "num_is_value('%s') == %d", t[i].in, t[i].value);
		t_check(num_is_value(t[i].in) == t[i].value, __FILE__, __LINE__, what);
	}
}

/* Large inputs are rejected after a bounded look, whatever their content. */
static void test_huge(void)
{
	size_t n = 1 << 20;
	char *s = xmalloc(n + 1);
	double v = 0;

	memset(s, '1', n);
	s[n] = '\0';
	CHECK_INT(num_parse(s, VK_COUNT, &v), NUM_TEXT);

	/* A figure in a sea of padding is still a figure. */
	memset(s, ' ', n);
	s[n / 2] = '4';
	s[n / 2 + 1] = '2';
	CHECK_INT(num_parse(s, VK_COUNT, &v), NUM_VALUE);
	CHECK_DBL(v, 42);

	memset(s, ' ', n);
	CHECK_INT(num_parse(s, VK_COUNT, &v), NUM_BLANK);

	/* Thousands groups to the limit: too many digits, not a crash. */
	for (size_t i = 0; i < n; i++)
		s[i] = (i % 4 == 3) ? ',' : '1';
	s[n - 1] = '1';
	CHECK_INT(num_parse(s, VK_COUNT, &v), NUM_TEXT);

	/* Every single byte value: no crash, no read past the end. */
	for (int b = 1; b < 256; b++) {
		char one[2] = { (char)b, 0 };

		(void)num_parse(one, VK_WAN, &v);
	}
	free(s);
	num_cleanup();
	/* Usable again after cleanup. */
	CHECK_INT(num_parse("5", VK_COUNT, &v), NUM_VALUE);
	CHECK_DBL(v, 5);
}

int main(void)
{
	RUN(test_table);
	RUN(test_exact);
	RUN(test_is_value);
	RUN(test_huge);
	num_cleanup();
	return t_done(__FILE__);
}
