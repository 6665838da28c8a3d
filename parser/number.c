#include "parser/number.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/once.h"
#include "util/re.h"
#include "util/utf8.h"
#include "util/banned.h"

/*
 * A cell is first folded into a short canonical form (full-width ASCII to
 * ASCII, minus signs to '-', padding trimmed), then matched against two
 * patterns.  Anything longer than NORM_MAX bytes once trimmed cannot be a
 * figure we accept (at most 15 significant digits, separators and a unit),
 * so folding stops there and the cell is text: a megabyte of digits costs
 * one short scan, never a copy.
 */
#define NORM_MAX 96
#define MAX_SIG_DIGITS 15

/*
 * Group 1: sign; 2: integer part (plain or grouped by thousands); 3: the
 * fraction; 4: the unit.  Counters are dropped, money units scale.
 */
static const char *const value_pattern =
	"^([+-]?)(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))? ?"
	"(件|个|项|次|条|份|人|家|元|万元|万|亿元|亿)?$";
/* A written nothing: dashes of any kind (one to four), a slash, 无 (暂无: none so far). */
static const char *const placeholder_pattern =
	"^(?:[-\\x{2010}-\\x{2015}]{1,4}|/|\\\\|暂?无)$";
/*
 * A cell said to be empty, or to have no figure: 空, 空白, (空), 不适用,
 * N/A.  Blank, as a cell left empty is, with its words kept as raw text.
 */
static const char *const blank_word_pattern =
	"^(?:空|空白|\\(空(?:白)?\\)|不适用|(?i:n/?a))$";

static pcre2_code *value_re, *placeholder_re, *blank_word_re;
static _Thread_local pcre2_match_data *md;
static struct once compiled = ONCE_INIT;

static void compile(void)
{
	value_re = re_builtin(value_pattern);
	placeholder_re = re_builtin(placeholder_pattern);
	blank_word_re = re_builtin(blank_word_pattern);
}

static void compile_all(void)
{
	once_run(&compiled, compile);
}

void num_cleanup(void)
{
	if (!once_reset(&compiled))
		return;
	pcre2_code_free(value_re);
	pcre2_code_free(placeholder_re);
	pcre2_code_free(blank_word_re);
	value_re = placeholder_re = blank_word_re = NULL;
	re_thread_cleanup();
}

/* Padding: ASCII white space, NBSP, the en/em/thin spaces, U+3000. */
static int is_pad(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

/* Invisible characters dropped wherever they stand. */
static int is_invisible(uint32_t cp)
{
	return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
	       cp == 0xAD;
}

/*
 * Folds cell into out[NORM_MAX + 1]: padding trimmed at both ends and runs
 * of it inside collapsed to one space.  Returns the length, 0 for a blank
 * cell, or -1 for text: invalid UTF-8, or more content than a figure has.
 */
static int fold(const char *cell, char out[NORM_MAX + 1])
{
	const char *p = cell, *end = cell + strlen(cell);
	size_t n = 0;
	int pending_space = 0;

	while (p < end) {
		uint32_t cp;
		char enc[4];
		size_t len;

		if (utf8_decode(&p, end, &cp))
			return -1;
		if (is_invisible(cp))
			continue;
		if (is_pad(cp)) {
			pending_space = n > 0;
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;	/* full-width ASCII: ０-９ ＋ － ． ， ／ ％ */
		else if (cp == 0x2212 || cp == 0xFE63)
			cp = '-';	/* MINUS SIGN, SMALL HYPHEN-MINUS */
		len = utf8_encode(cp, enc);
		if (n + pending_space + len > NORM_MAX)
			return -1;
		if (pending_space)
			out[n++] = ' ';
		pending_space = 0;
		memcpy(out + n, enc, len);
		n += len;
	}
	out[n] = '\0';
	return (int)n;
}

static int match(pcre2_code *re, const char *s, size_t len)
{
	/* fold() only writes valid UTF-8, so the check is skipped. */
	return pcre2_match(re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, re_thread_md(&md, 8),
			   NULL) >= 0;
}

/* Power of ten as a double; exact up to 1e22, which covers every figure we accept. */
static double pow10i(int e)
{
	double r = 1;

	while (e-- > 0)
		r *= 10;
	return r;
}

/* The decimal exponent a unit adds, in the unit the kind is stored in. */
static int unit_exponent(const char *unit, size_t len, enum value_kind kind)
{
	int wan = kind == VK_WAN;

	if (len == 3 && !memcmp(unit, "元", 3))
		return wan ? -4 : 0;
	if ((len == 3 && !memcmp(unit, "万", 3)) || (len == 6 && !memcmp(unit, "万元", 6)))
		return wan ? 0 : 4;
	if ((len == 3 && !memcmp(unit, "亿", 3)) || (len == 6 && !memcmp(unit, "亿元", 6)))
		return wan ? 4 : 8;
	return 0;	/* a counter: 件, 个, 项 ... */
}

enum num_result num_parse(const char *cell, enum value_kind kind, double *out)
{
	char s[NORM_MAX + 1];
	char digits[NORM_MAX + 1];
	PCRE2_SIZE *ov;
	int n;
	size_t nd = 0, frac = 0, first;
	uint64_t mant = 0;
	int exp10;
	double v;

	if (!cell)
		return NUM_BLANK;
	/* Most cells are plain digits: read at once, as the patterns would read them. */
	for (nd = 0; cell[nd] >= '0' && cell[nd] <= '9' && nd < MAX_SIG_DIGITS; nd++)
		mant = mant * 10 + (uint64_t)(cell[nd] - '0');
	if (nd && !cell[nd]) {
		*out = (double)mant;
		return NUM_VALUE;
	}
	nd = 0;
	mant = 0;
	n = fold(cell, s);
	if (n < 0)
		return NUM_TEXT;
	if (n == 0)
		return NUM_BLANK;
	compile_all();
	if (match(placeholder_re, s, (size_t)n)) {
		*out = 0;
		return NUM_VALUE;
	}
	if (match(blank_word_re, s, (size_t)n))
		return NUM_BLANK;
	if (!match(value_re, s, (size_t)n))
		return NUM_TEXT;
	ov = pcre2_get_ovector_pointer(re_thread_md(&md, 8));

	/* Digits of the integer part (thousands separators dropped), then of the fraction. */
	for (PCRE2_SIZE i = ov[4]; i < ov[5]; i++)
		if (s[i] != ',')
			digits[nd++] = s[i];
	if (ov[6] != PCRE2_UNSET) {
		for (PCRE2_SIZE i = ov[6]; i < ov[7]; i++)
			digits[nd++] = s[i];
		frac = ov[7] - ov[6];
	}
	/* Trailing zeros of the fraction and leading zeros carry no precision. */
	while (frac && digits[nd - 1] == '0') {
		nd--;
		frac--;
	}
	for (first = 0; first < nd && digits[first] == '0'; first++)
		;
	if (nd - first > MAX_SIG_DIGITS)
		return NUM_TEXT;
	for (size_t i = first; i < nd; i++)
		mant = mant * 10 + (uint64_t)(digits[i] - '0');

	exp10 = -(int)frac;
	if (ov[8] != PCRE2_UNSET)
		exp10 += unit_exponent(s + ov[8], ov[9] - ov[8], kind);
	/* One rounding only: the mantissa and the power of ten are both exact. */
	v = exp10 >= 0 ? (double)mant * pow10i(exp10) : (double)mant / pow10i(-exp10);
	if (!isfinite(v))
		return NUM_TEXT;
	if (mant && ov[3] > ov[2] && s[ov[2]] == '-')
		v = -v;
	*out = v;
	return NUM_VALUE;
}

int num_is_value(const char *cell)
{
	double v;

	return num_parse(cell, VK_WAN, &v) != NUM_TEXT;
}
