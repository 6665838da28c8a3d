#include "util/escape.h"

#include "tests/unit/t.h"

struct esc_case {
	const char *in, *want;
};

typedef int (*esc_fn)(struct buf *, const char *);

static void run_cases(esc_fn fn, const struct esc_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT(BUF_NOLIMIT);

		CHECK_INT(fn(&b, cases[i].in), 0);
		CHECK_STR(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}

static void test_json_string(void)
{
	static const struct esc_case cases[] = {
		{ "", "\"\"" },
		{ "abc", "\"abc\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "/", "\"/\"" },
		{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
		{ "\x01\x1f", "\"\\u0001\\u001f\"" },
		{ "\x1b[31m", "\"\\u001b[31m\"" },
		{ "\x7f", "\"\\u007f\"" },
		/* C1, bidi controls, line separators: escaped, never raw */
		{ "a\xC2\x9B" "2J", "\"a\\u009b2J\"" },
		{ "\xC2\x85", "\"\\u0085\"" },
		{ "ab\xE2\x80\xAE" "cd", "\"ab\\u202ecd\"" },
		{ "\xE2\x80\x8E\xE2\x80\x8F\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD",
		  "\"\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\"" },
		{ "\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9\xD8\x9C",
		  "\"\\u2066\\u2067\\u2068\\u2069\\u061c\"" },
		{ "a\xE2\x80\xA8" "b\xE2\x80\xA9", "\"a\\u2028b\\u2029\"" },
		/* neighbours of the ranges pass */
		{ "\xC2\xA0\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA",
		  "\"\xC2\xA0\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA\"" },
		{ "晋江市", "\"晋江市\"" },
		{ "\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\"" },
		/* Invalid bytes: each becomes U+FFFD, valid text around them survives. */
		{ "a\xFFz", "\"a\xEF\xBF\xBDz\"" },
		{ "\xC3", "\"\xEF\xBF\xBD\"" },
		{ "\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"" },		/* overlong '/' */
		{ "\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"" },	/* surrogate */
		{ "\xE6\x99", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"" },		/* truncated 晋 */
		{ "\xE6\x99\"", "\"\xEF\xBF\xBD\xEF\xBF\xBD\\\"\"" },
	};

	run_cases(esc_json_string, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_html(void)
{
	static const struct esc_case cases[] = {
		{ "\x1b[31mred\tx\ny", " [31mred\tx\ny" },
		{ "ab\xE2\x81\xA6" "cd", "abcd" },
		{ "", "" },
		{ "plain 文本", "plain 文本" },
		{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "a & b", "a &amp; b" },
		{ "&amp;", "&amp;amp;" },
		{ "\"x\" 'y'", "&quot;x&quot; &#39;y&#39;" },
		{ "<img src=x onerror='a()'>",
		  "&lt;img src=x onerror=&#39;a()&#39;&gt;" },
		{ "a\xFF<", "a\xEF\xBF\xBD&lt;" },
		{ "\xE6\x99", "\xEF\xBF\xBD\xEF\xBF\xBD" },
	};

	run_cases(esc_html, cases, sizeof(cases) / sizeof(cases[0]));
}

static int text_strict(struct buf *b, const char *s)
{
	return esc_text(b, s, 0);
}

static int text_lines(struct buf *b, const char *s)
{
	return esc_text(b, s, ESC_KEEP_TAB_LF);
}

/* The one cleaning every output layer shares. */
static void test_text(void)
{
	static const struct esc_case strict[] = {
		{ "", "" },
		{ "plain 晋江市 text", "plain 晋江市 text" },
		{ "\x1b[31mred\x1b[0m", " [31mred [0m" },
		{ "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", " ]8;;http://evil \\link ]8;; \\" },
		{ "a\tb\nc\rd\x7f", "a b c d " },
		{ "\x01\x02\x1f", "   " },
		{ "c1\xC2\x9B" "2J\xC2\x80\xC2\x9F", "c1 2J  " },
		{ "\xC2\xA0nbsp", "\xC2\xA0nbsp" },
		/* bidi overrides and isolates, marks: dropped */
		{ "invoice\xE2\x80\xAEgpj.exe", "invoicegpj.exe" },
		{ "\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD\xE2\x80\xAE", "" },
		{ "\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", "" },
		{ "\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", "" },
		{ "晋江\xE2\x80\xAE市", "晋江市" },
		{ "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "a b c" },
		/* neighbours stay: ZWJ in emoji, narrow no-break space, U+2065, U+206A */
		{ "\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA",
		  "\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA" },
		/* invalid UTF-8: a lone 0x9B is CSI to an 8-bit terminal */
		{ "a\x9B" "2Jb", "a\xEF\xBF\xBD" "2Jb" },
		{ "\xE2\x80", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD" },
	};
	static const struct esc_case lines[] = {
		{ "a\tb\nc\rd", "a\tb\nc d" },
		{ "\x1b[31mred\n", " [31mred\n" },
		{ "x\xE2\x80\xAEy\n", "xy\n" },
	};

	run_cases(text_strict, strict, sizeof(strict) / sizeof(strict[0]));
	run_cases(text_lines, lines, sizeof(lines) / sizeof(lines[0]));
	CHECK_INT(esc_unsafe(0x1b), ESC_CONTROL);
	CHECK_INT(esc_unsafe(0x9b), ESC_CONTROL);
	CHECK_INT(esc_unsafe(0x202e), ESC_INVISIBLE);
	CHECK_INT(esc_unsafe(0x2069), ESC_INVISIBLE);
	CHECK_INT(esc_unsafe(0x6653), ESC_SAFE);
	CHECK_INT(esc_unsafe(0xA0), ESC_SAFE);
}

static void test_csv(void)
{
	static const struct esc_case cases[] = {
		{ "", "" },
		{ "abc", "abc" },
		{ "晋江市龙湖镇", "晋江市龙湖镇" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "line1\nline2", "\"line1\nline2\"" },
		{ "a\rb", "a b" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "mid space", "mid space" },
		{ "a\tb", "a\tb" },
		/* Formula guard. */
		{ "=1+1", "'=1+1" },
		{ "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
		{ "+cmd", "'+cmd" },
		{ "-cmd", "'-cmd" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" },
		{ "\rx", "\" x\"" },
		{ "-", "'-" },
		{ "+", "'+" },
		{ "-1-2", "'-1-2" },
		{ "-3e", "'-3e" },
		{ "-.", "'-." },
		{ "-3 ", "\"'-3 \"" },
		/* Plain numbers keep their sign and are not guarded. */
		{ "-3", "-3" },
		{ "+1.5", "+1.5" },
		{ "-0.25", "-0.25" },
		{ "-.5", "-.5" },
		{ "-5.", "-5." },
		{ "-2.5e-3", "-2.5e-3" },
		{ "+1E+20", "+1E+20" },
		{ "1e+20", "1e+20" },
		/* Not at the start: no guard. */
		{ "a=b", "a=b" },
		{ " =1", "\" =1\"" },
		/* made safe for a terminal first */
		{ "\xFF\xFE", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\x1b]0;pwned\x07title", "\" ]0;pwned title\"" },
		{ "\x1b[2J=1", "\" [2J=1\"" },
		{ "ab\xE2\x80\xAE" "cd", "abcd" },
		{ "\xE2\x80\xAE=cmd", "'=cmd" },
		{ "x\xC2\x9B" "31m", "x 31m" },
		{ "\x7f", "\" \"" },
	};

	run_cases(esc_csv_field, cases, sizeof(cases) / sizeof(cases[0]));
}

/* A buffer at its maximum: every function reports -1 instead of overflowing. */
static void test_limit(void)
{
	static const esc_fn fns[] = { esc_json_string, esc_html, esc_csv_field, text_strict };

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct buf b = BUF_INIT(8);

		CHECK_INT(fns[i](&b, "<\"0123456789\">"), -1);
		CHECK(b.len <= 8);
		buf_release(&b);

		buf_init(&b, 8);
		CHECK_INT(fns[i](&b, "ab"), 0);
		buf_release(&b);
	}
}

/* A long hostile string: many escapes, exact size of the result. */
static void test_large(void)
{
	size_t n = 100000;
	char *s = malloc(n + 1);
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = 0; i < n; i++)
		s[i] = (i % 3 == 0) ? '"' : (i % 3 == 1) ? '\x01' : '\xFF';
	s[n] = '\0';
	CHECK_INT(esc_json_string(&b, s), 0);
	/* n/3+1 quotes (2 bytes each), n/3 \x01 (6) and n/3 \xFF (3), plus the quotes. */
	CHECK_INT(b.len, 2 + (n / 3 + 1) * 2 + (n / 3) * 6 + (n / 3) * 3);
	buf_reset(&b);
	CHECK_INT(esc_csv_field(&b, s), 0);
	/* quotes doubled, \x01 a space, \xFF U+FFFD */
	CHECK_INT(b.len, 2 + (n / 3 + 1) * 2 + (n / 3) * 1 + (n / 3) * 3);
	buf_release(&b);
	free(s);
}

/* RFC 4648's test vectors, and bytes of every value. */
static void test_base64(void)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
					   "Zm9vYmFy" };
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	unsigned char all[3] = { 0xFF, 0xFE, 0x00 };

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		buf_reset(&b);
		CHECK_INT(esc_base64(&b, in[i], strlen(in[i])), 0);
		CHECK_STR(buf_str(&b), out[i]);
	}
	buf_reset(&b);
	esc_base64(&b, all, 3);
	CHECK_STR(buf_str(&b), "//4A");
	buf_release(&b);
	{
		struct buf small = BUF_INIT(6);

		CHECK_INT(esc_base64(&small, "foobar", 6), -1);	/* 8 bytes over a limit of 6 */
		buf_release(&small);
	}
}

int main(void)
{
	RUN(test_base64);
	RUN(test_json_string);
	RUN(test_text);
	RUN(test_html);
	RUN(test_csv);
	RUN(test_limit);
	RUN(test_large);
	return t_done(__FILE__);
}
