#include "parser/charset.h"

#include <iconv.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "t.h"

#define ZH "\xe4\xb8\xad\xe6\x96\x87"			/* 中文 */
#define ZH_GBK "\xd6\xd0\xce\xc4"			/* 中文 in GBK */
#define FFFD "\xef\xbf\xbd"
#define REPORT "\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80 0 12"

/* utf8 in GBK, made by iconv so the test does not trust a hand-written table. */
static char *to_gbk(const char *utf8, size_t *len)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	size_t inleft = strlen(utf8), outleft = inleft * 2 + 1;
	char *out = calloc(1, outleft + 1), *in = (char *)utf8, *op = out;

	if (cd == (iconv_t)-1 || iconv(cd, &in, &inleft, &op, &outleft) == (size_t)-1)
		abort();
	iconv_close(cd);
	*len = (size_t)(op - out);
	return out;
}

struct ccase {
	const char *what;
	const char *bytes;	/* "@GBK:" prefix: the rest is converted to GBK first */
	size_t len;		/* 0: strlen */
	const char *content_type;
	const char *name;
	const char *evidence;
	const char *out;
	size_t replaced;
};

#define B(s) s, sizeof(s) - 1

static const struct ccase cases[] = {
	{ "utf-8 undeclared", B(REPORT), NULL, "UTF-8", "valid-utf8", REPORT, 0 },
	{ "ascii undeclared", B("<p>0 12</p>"), NULL, "UTF-8", "valid-utf8", "<p>0 12</p>", 0 },
	{ "empty", "", 0, NULL, "UTF-8", "valid-utf8", "", 0 },
	{ "utf-8 bom stripped", B("\xef\xbb\xbf" ZH), NULL, "UTF-8", "bom", ZH, 0 },
	{ "bom beats content-type", B("\xef\xbb\xbf" ZH), "text/html; charset=GBK", "UTF-8",
	  "bom", ZH, 0 },
	{ "utf-16le bom", B("\xff\xfe\x2d\x4e\x87\x65" "A\0"), NULL, "UTF-16LE", "bom", ZH "A",
	  0 },
	{ "utf-16be bom", B("\xfe\xff\x4e\x2d\x65\x87\0A"), NULL, "UTF-16BE", "bom", ZH "A", 0 },
	{ "utf-16le surrogate pair", B("\xff\xfe\x3d\xd8\x00\xde"), NULL, "UTF-16LE", "bom",
	  "\xf0\x9f\x98\x80", 0 },
	{ "utf-16le lone surrogate", B("\xff\xfe\x3d\xd8" "A\0"), NULL, "UTF-16LE", "bom",
	  FFFD "A", 1 },
	{ "utf-16le odd byte", B("\xff\xfe" "A\0B"), NULL, "UTF-16LE", "bom", "A" FFFD, 1 },
	{ "utf-16le nul", B("\xff\xfe\0\0A\0"), NULL, "UTF-16LE", "bom", FFFD "A", 1 },
	{ "content-type gbk", "@GBK:" REPORT, 0, "text/html; charset=GBK", "GB18030",
	  "content-type", REPORT, 0 },
	{ "content-type gb2312 quoted", "@GBK:" REPORT, 0, "text/html;charset=\"gb2312\"",
	  "GB18030", "content-type", REPORT, 0 },
	{ "meta charset", "@GBK:<meta charset=\"gb2312\"><p>" REPORT, 0, NULL, "GB18030", "meta",
	  "<meta charset=\"gb2312\"><p>" REPORT, 0 },
	{ "meta http-equiv upper case", "@GBK:<META HTTP-EQUIV=\"Content-Type\" "
	  "CONTENT=\"text/html; charset=GBK\">" ZH, 0, NULL, "GB18030", "meta",
	  "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=GBK\">" ZH, 0 },
	{ "meta spaces single quotes", "@GBK:<meta charset = 'x-gbk' />" ZH, 0, NULL, "GB18030",
	  "meta", "<meta charset = 'x-gbk' />" ZH, 0 },
	{ "meta content first", "@GBK:<meta content=\"text/html;charset=gb_2312-80\" "
	  "http-equiv=content-type>" ZH, 0, NULL, "GB18030", "meta",
	  "<meta content=\"text/html;charset=gb_2312-80\" http-equiv=content-type>" ZH, 0 },
	{ "meta in comment ignored", "@GBK:<!-- <meta charset=\"utf-8\"> -->" ZH, 0, NULL,
	  "GB18030", "fallback", "<!-- <meta charset=\"utf-8\"> -->" ZH, 0 },
	{ "undeclared gbk", "@GBK:" REPORT, 0, NULL, "GB18030", "fallback", REPORT, 0 },
	{ "content-type beats meta", B("<meta charset=gbk>" ZH), "text/html; charset=utf-8",
	  "UTF-8", "content-type", "<meta charset=gbk>" ZH, 0 },
	{ "gbk label on utf-8 page", B("<meta charset=gbk>" ZH), NULL, "UTF-8", "valid-utf8",
	  "<meta charset=gbk>" ZH, 0 },
	{ "latin-1 label on utf-8 page", B(ZH), "text/html; charset=ISO-8859-1", "UTF-8",
	  "valid-utf8", ZH, 0 },
	{ "gbk label on ascii page", B("<p>12</p>"), "text/html; charset=gbk", "GB18030",
	  "content-type", "<p>12</p>", 0 },
	{ "utf-8 label on gbk page", "@GBK:" ZH, 0, "text/html; charset=utf-8", "UTF-8",
	  "content-type", FFFD FFFD FFFD FFFD, 4 },
	{ "unknown label, utf-8 bytes", B(ZH), "text/html; charset=x-klingon", "UTF-8",
	  "valid-utf8 (unknown declared charset)", ZH, 0 },
	{ "unknown label, gbk bytes", "@GBK:" ZH, 0, "text/html; charset=x-klingon", "GB18030",
	  "fallback (unknown declared charset)", ZH, 0 },
	{ "truncated utf-8 tail", B(ZH "\xe4\xb8"), NULL, "UTF-8", "valid-utf8", ZH FFFD, 1 },
	{ "truncated gbk tail", B(ZH_GBK "\xd6"), "text/html; charset=gbk", "GB18030",
	  "content-type", ZH FFFD, 1 },
	{ "truncated gb18030 four-byte code", B("1\x81\x30\x81"), "text/html; charset=gb18030",
	  "GB18030", "content-type", "1" FFFD, 1 },
	{ "gb18030 four-byte code", B("\x81\x30\x81\x30"), "text/html; charset=gb18030",
	  "GB18030", "content-type", "\xc2\x80", 0 },
	{ "invalid gbk byte", B("A\xff" ZH_GBK), "text/html; charset=gbk", "GB18030",
	  "content-type", "A" FFFD ZH, 1 },
	{ "undeclared stray byte", B("A\xff" ZH_GBK), NULL, "GB18030", "fallback",
	  "A" FFFD ZH, 1 },
	{ "overlong and surrogate", B("a\xc0\xaf" "b\xed\xa0\x80" "c"), "text/html; charset=utf-8",
	  "UTF-8", "content-type", "a" FFFD FFFD "b" FFFD FFFD FFFD "c", 5 },
	{ "utf-8 nul replaced", B("a\0b"), NULL, "UTF-8", "valid-utf8", "a" FFFD "b", 1 },
	{ "gbk nul replaced", B("a\0" ZH_GBK), "text/html; charset=gbk", "GB18030",
	  "content-type", "a" FFFD ZH, 1 },
	{ "windows-1252 label", B("caf\xe9"), "text/html; charset=iso-8859-1", "WINDOWS-1252",
	  "content-type", "caf\xc3\xa9", 0 },
	{ "big5 via iconv", B("\xa4\xa4"), "text/html; charset=big5", "BIG5", "content-type",
	  "\xe4\xb8\xad", 0 },
};

static void test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ccase *c = &cases[i];
		struct charset_result res;
		struct err err = ERR_INIT;
		char *bytes = NULL, *out = NULL;
		size_t len = c->len, outlen = 0;
		int ret;

		t_case = c->what;
		if (!strncmp(c->bytes, "@GBK:", 5))
			bytes = to_gbk(c->bytes + 5, &len);
		ret = charset_to_utf8(bytes ? bytes : c->bytes, len, c->content_type, &out, &outlen,
				      &res, &err);
		CHECK_INT(ret, 0);
		CHECK_STR(res.name, c->name);
		CHECK_STR(res.evidence, c->evidence);
		CHECK_STR(out, c->out);
		CHECK_INT(outlen, strlen(c->out));
		CHECK_INT(res.replaced, c->replaced);
		free(out);
		free(bytes);
	}
}

struct lcase {
	const char *in;
	const char *label;	/* NULL: none found */
};

static void test_content_type(void)
{
	static const struct lcase cs[] = {
		{ "text/html; charset=GBK", "GBK" },
		{ "text/html;charset=\"utf-8\"", "utf-8" },
		{ "TEXT/HTML; CHARSET = gb2312 ; q=1", "gb2312" },
		{ "text/html; Charset='x-gbk'", "x-gbk" },
		{ "text/html", NULL },
		{ "text/html; charset=", NULL },
		{ "text/html; charset=;", NULL },
		{ "", NULL },
		{ "text/html; charset=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "aaaaaaaaaaaaaaaaaaaa", NULL },
	};
	char name[64];

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		int got = charset_from_content_type(cs[i].in, name, sizeof(name));

		t_case = cs[i].in;
		CHECK_INT(got, cs[i].label != NULL);
		if (got && cs[i].label)
			CHECK_STR(name, cs[i].label);
	}
	CHECK_INT(charset_from_content_type(NULL, name, sizeof(name)), 0);
}

static void test_meta(void)
{
	static const struct lcase cs[] = {
		{ "<html><head><meta charset=\"gbk\"></head>", "gbk" },
		{ "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
		  "gb2312" },
		{ "<META\tcharset=UTF-8>", "UTF-8" },
		{ "<meta name=\"x\" content=\"no charset here\"><meta charset=big5>", "big5" },
		{ "<metadata charset=gbk>", NULL },
		{ "<!-- <meta charset=gbk> -->", NULL },
		{ "<p>charset=gbk</p>", NULL },
		{ "<meta charset=\"gbk", "gbk" },
		{ "<meta", NULL },
		{ "", NULL },
	};
	char name[64];

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		int got = charset_sniff_meta(cs[i].in, strlen(cs[i].in), name, sizeof(name));

		t_case = cs[i].in;
		CHECK_INT(got, cs[i].label != NULL);
		if (got && cs[i].label)
			CHECK_STR(name, cs[i].label);
	}
}

/* A <meta> past the first 64 KiB is not evidence. */
static void test_meta_window(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	char name[32];

	for (int i = 0; i < 70 * 1024; i++)
		buf_addc(&b, ' ');
	buf_adds(&b, "<meta charset=gbk>");
	CHECK_INT(charset_sniff_meta(b.ptr, b.len, name, sizeof(name)), 0);
	CHECK_INT(charset_sniff_meta(b.ptr + 8 * 1024, b.len - 8 * 1024, name, sizeof(name)), 1);
	buf_release(&b);
}

static void test_too_big(void)
{
	size_t len = ((size_t)64 << 20) + 1;
	char *big = calloc(1, len), *out = (char *)1;
	struct charset_result res;
	struct err err = ERR_INIT;
	size_t outlen = 1;

	CHECK(big != NULL);
	memset(big, ' ', len);
	CHECK_INT(charset_to_utf8(big, len, NULL, &out, &outlen, &res, &err), OGI_ETOOBIG);
	CHECK_INT(err.code, OGI_ETOOBIG);
	CHECK(out == NULL);
	CHECK(strstr(err.msg, "limit") != NULL);
	/* Exactly at the limit is accepted. */
	CHECK_INT(charset_to_utf8(big, len - 1, NULL, &out, &outlen, &res, &err), 0);
	CHECK_INT(res.replaced, 0);
	CHECK_INT(outlen, len - 1);
	free(out);
	free(big);
}

/*
 * Random bytes under every kind of declaration: the output is always
 * valid UTF-8, NUL-terminated, with no NUL inside, and the call returns.
 */
static void test_random(void)
{
	static const char *const cts[] = {
		NULL, "text/html; charset=gbk", "text/html; charset=utf-8",
		"text/html; charset=big5", "text/html; charset=utf-16",
		"text/html; charset=x-nonsense"
	};
	uint32_t seed = 12345;
	char bytes[512];

	for (int iter = 0; iter < 3000; iter++) {
		size_t len = (size_t)(iter % 97) * 5;
		struct charset_result res;
		struct err err = ERR_INIT;
		char *out;
		size_t outlen;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Mostly high bytes, so that multibyte paths get exercised. */
			bytes[i] = (char)(((seed >> 16) & 0xFF) | (iter & 1 ? 0x80 : 0));
		}
		if (iter % 7 == 0 && len >= 2) {
			bytes[0] = (char)0xFF;
			bytes[1] = (char)0xFE;
		}
		CHECK_INT(charset_to_utf8(bytes, len, cts[iter % 6], &out, &outlen, &res, &err), 0);
		CHECK_INT(utf8_valid_prefix(out, outlen), outlen);
		CHECK_INT(strlen(out), outlen);
		free(out);
	}
}

int main(void)
{
	RUN(test_cases);
	RUN(test_content_type);
	RUN(test_meta);
	RUN(test_meta_window);
	RUN(test_too_big);
	RUN(test_random);
	return t_done(__FILE__);
}
