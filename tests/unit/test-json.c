#include "util/json.h"

#include <float.h>

#include "tests/unit/t.h"

static void test_format_number(void)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{ 0, "0" },
		{ -0.0, "0" },
		{ 1, "1" },
		{ -3, "-3" },
		{ 25.1, "25.1" },
		{ -25.1, "-25.1" },
		{ 0.1, "0.1" },
		{ 0.1 + 0.2, "0.30000000000000004" },
		{ 1.0 / 3, "0.3333333333333333" },
		{ 2.0 / 3, "0.6666666666666666" },
		{ 1e20, "1e+20" },
		{ 1e-7, "1e-07" },
		{ 123456789012345.0, "123456789012345" },
		{ 1e15, "1e+15" },
		{ 9007199254740993.0, "9007199254740992" },
		{ 12345.678, "12345.678" },
		{ 5e-324, "4.94065645841247e-324" },
		{ DBL_MAX, "1.7976931348623157e+308" },
	};
	char out[JW_NUMBER_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(jw_format_number(cases[i].v, out), 0);
		CHECK_STR(out, cases[i].want);
		/* Whatever the form, it reads back as the same double. */
		CHECK(strtod(out, NULL) == cases[i].v);
	}
	CHECK_INT(jw_format_number(NAN, out), -1);
	CHECK_STR(out, "");
	CHECK_INT(jw_format_number(INFINITY, out), -1);
	CHECK_INT(jw_format_number(-INFINITY, out), -1);
}

/* Builds one fixed document with the writer; pretty or not. */
static void build_doc(struct jw *j)
{
	jw_begin_object(j);
	jw_key(j, "name");
	jw_string(j, "晋江市\n\"x\"");
	jw_key(j, "none");
	jw_string(j, NULL);
	jw_key(j, "n");
	jw_int(j, -9223372036854775807LL - 1);
	jw_key(j, "vals");
	jw_begin_array(j);
	jw_number(j, 25.1);
	jw_number(j, NAN);
	jw_number(j, 1e20);
	jw_bool(j, 1);
	jw_bool(j, 0);
	jw_null(j);
	jw_end_array(j);
	jw_key(j, "empty_a");
	jw_begin_array(j);
	jw_end_array(j);
	jw_key(j, "empty_o");
	jw_begin_object(j);
	jw_end_object(j);
	jw_key(j, "bad\x01key\xFF");
	jw_begin_array(j);
	jw_begin_object(j);
	jw_key(j, "k");
	jw_int(j, 0);
	jw_end_object(j);
	jw_end_array(j);
	jw_end_object(j);
}

static const char compact_doc[] =
	"{\"name\":\"晋江市\\n\\\"x\\\"\",\"none\":null,\"n\":-9223372036854775808,"
	"\"vals\":[25.1,null,1e+20,true,false,null],\"empty_a\":[],\"empty_o\":{},"
	"\"bad\\u0001key\xEF\xBF\xBD\":[{\"k\":0}]}";

static const char pretty_doc[] =
	"{\n"
	"  \"name\": \"晋江市\\n\\\"x\\\"\",\n"
	"  \"none\": null,\n"
	"  \"n\": -9223372036854775808,\n"
	"  \"vals\": [\n"
	"    25.1,\n"
	"    null,\n"
	"    1e+20,\n"
	"    true,\n"
	"    false,\n"
	"    null\n"
	"  ],\n"
	"  \"empty_a\": [],\n"
	"  \"empty_o\": {},\n"
	"  \"bad\\u0001key\xEF\xBF\xBD\": [\n"
	"    {\n"
	"      \"k\": 0\n"
	"    }\n"
	"  ]\n"
	"}\n";

static void test_doc_buf(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct jw j;

	jw_init_buf(&j, &b, 0);
	build_doc(&j);
	CHECK_INT(jw_finish(&j), 0);
	CHECK_STR(buf_str(&b), compact_doc);

	buf_reset(&b);
	jw_init_buf(&j, &b, 1);
	build_doc(&j);
	CHECK_INT(jw_finish(&j), 0);
	CHECK_STR(buf_str(&b), pretty_doc);
	buf_release(&b);
}

static void test_doc_file(void)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	struct jw j;

	if (!CHECK(f != NULL))
		return;
	jw_init(&j, f, 1);
	build_doc(&j);
	CHECK_INT(jw_finish(&j), 0);
	fclose(f);
	CHECK_STR(mem, pretty_doc);
	free(mem);
}

/* Top-level scalars are documents too. */
static void test_scalars(void)
{
	static const struct {
		int kind;
		const char *want;
	} cases[] = {
		{ 0, "null" }, { 1, "true" }, { 2, "\"\"" }, { 3, "42" },
		{ 4, "0.30000000000000004" }, { 5, "null" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT(BUF_NOLIMIT);
		struct jw j;

		jw_init_buf(&j, &b, 0);
		switch (cases[i].kind) {
		case 0: jw_null(&j); break;
		case 1: jw_bool(&j, 7); break;
		case 2: jw_string(&j, ""); break;
		case 3: jw_int(&j, 42); break;
		case 4: jw_number(&j, 0.1 + 0.2); break;
		default: jw_number(&j, INFINITY); break;
		}
		CHECK_INT(jw_finish(&j), 0);
		CHECK_STR(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}

/* Calls out of order: each sequence must make jw_finish() fail. */
static void test_misuse(void)
{
	enum { END = 0, BO, EO, BA, EA, KEY, VAL };
	static const int seqs[][6] = {
		{ END },			/* nothing written */
		{ BO, END },			/* unclosed object */
		{ BA, BA, EA, END },		/* unclosed array */
		{ BO, VAL, END },		/* value without key */
		{ BO, KEY, EO, END },		/* key without value */
		{ BO, KEY, KEY, END },		/* two keys */
		{ BA, KEY, END },		/* key in an array */
		{ BO, EA, END },		/* mismatched close */
		{ EO, END },			/* close at top level */
		{ VAL, VAL, END },		/* two top-level values */
		{ KEY, END },			/* key at top level */
		{ BO, EO, BA, EA, END },	/* two top-level containers */
	};

	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		struct buf b = BUF_INIT(BUF_NOLIMIT);
		struct jw j;

		jw_init_buf(&j, &b, (int)(i & 1));
		for (const int *op = seqs[i]; *op != END; op++) {
			switch (*op) {
			case BO: jw_begin_object(&j); break;
			case EO: jw_end_object(&j); break;
			case BA: jw_begin_array(&j); break;
			case EA: jw_end_array(&j); break;
			case KEY: jw_key(&j, "k"); break;
			default: jw_int(&j, 1); break;
			}
		}
		if (jw_finish(&j) != -1) {
			char m[64];

			snprintf(m, sizeof(m), "misuse sequence %zu accepted", i);
			t_check(0, __FILE__, __LINE__, m);
		}
		buf_release(&b);
	}
}

static void test_depth(void)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	struct jw j;

	/* Exactly the maximum is fine. */
	jw_init_buf(&j, &b, 0);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_begin_array(&j);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_end_array(&j);
	CHECK_INT(jw_finish(&j), 0);
	CHECK_INT(b.len, 2 * JW_MAX_DEPTH);

	/* Hostile depth: an error, not an overflow of the level stack. */
	buf_reset(&b);
	jw_init_buf(&j, &b, 1);
	for (int i = 0; i < 10000; i++)
		jw_begin_object(&j), jw_key(&j, "a");
	jw_null(&j);
	for (int i = 0; i < 10000; i++)
		jw_end_object(&j);
	CHECK_INT(jw_finish(&j), -1);
	buf_release(&b);
}

static void test_buf_limit(void)
{
	struct buf b = BUF_INIT(16);
	struct jw j;

	jw_init_buf(&j, &b, 0);
	jw_begin_array(&j);
	jw_string(&j, "0123456789abcdef");
	jw_end_array(&j);
	CHECK_INT(jw_finish(&j), -1);
	CHECK(b.len <= 16);
	buf_release(&b);

	buf_init(&b, 16);
	jw_init_buf(&j, &b, 0);
	jw_begin_array(&j);
	jw_string(&j, "0123456789ab");
	jw_end_array(&j);
	CHECK_INT(jw_finish(&j), 0);
	CHECK_STR(buf_str(&b), "[\"0123456789ab\"]");
	buf_release(&b);
}

static void test_write_error(void)
{
	FILE *f = fopen("/dev/full", "w");
	struct jw j;

	if (!CHECK(f != NULL))
		return;
	jw_init(&j, f, 1);
	jw_begin_array(&j);
	jw_string(&j, "x");
	jw_end_array(&j);
	/* Small enough to sit in the stdio buffer: the failure shows at the flush. */
	CHECK_INT(jw_finish(&j), -1);
	fclose(f);

	/* Large enough to fail inside fwrite. */
	f = fopen("/dev/full", "w");
	if (!CHECK(f != NULL))
		return;
	jw_init(&j, f, 0);
	jw_begin_array(&j);
	for (int i = 0; i < 100000; i++)
		jw_int(&j, i);
	jw_end_array(&j);
	CHECK_INT(jw_finish(&j), -1);
	fclose(f);
}

int main(void)
{
	RUN(test_format_number);
	RUN(test_doc_buf);
	RUN(test_doc_file);
	RUN(test_scalars);
	RUN(test_misuse);
	RUN(test_depth);
	RUN(test_buf_limit);
	RUN(test_write_error);
	return t_done(__FILE__);
}
