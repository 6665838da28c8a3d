/* util/jsonr.c: the strict JSON reader, table-driven. */
#include "t.h"

#include "util/jsonr.h"

static int parses(const char *s)
{
	struct jv *v = NULL;
	struct err e = ERR_INIT;
	int ok = !jv_parse(s, strlen(s), &v, &e);

	jv_free(v);
	return ok;
}

static void test_valid_invalid(void)
{
	static const struct {
		const char *in;
		int ok;
	} cases[] = {
		{ "{}", 1 }, { "[]", 1 }, { " [1, -2.5e3, 0, true, false, null] ", 1 },
		{ "\"a\\u00e9\\ud83d\\ude00\"", 1 }, { "\xEF\xBB\xBF{\"a\":1}", 1 },
		{ "", 0 }, { "{", 0 }, { "[1,]", 0 }, { "{\"a\" 1}", 0 }, { "01", 0 },
		{ "1.", 0 }, { "-", 0 }, { "nul", 0 }, { "[1] x", 0 }, { "'a'", 0 },
		{ "\"a\nb\"", 0 }, { "\"\\ud800\"", 0 }, { "\"\\udc00\"", 0 },
		{ "\"\\u0000\"", 0 }, { "\"\\x\"", 0 }, { "{a:1}", 0 }, { "[NaN]", 0 },
		{ "\"abc", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (parses(cases[i].in) != cases[i].ok) {
			t_fail_at(__FILE__, __LINE__);
			fprintf(stderr, "case %zu '%s'\n", i, cases[i].in);
		}
}

static void test_values(void)
{
	const char *s = "{\"articles\":[{\"title\":\"\\u5e74\\u62a5\",\"url\":\"/a\"}],"
			"\"total\":\"23\",\"pages\":1e9,\"half\":1.5,\"big\":1e300}";
	struct jv *v = NULL;
	struct err e = ERR_INIT;
	long long n = 0;

	CHECK(!jv_parse(s, strlen(s), &v, &e));
	if (!v)
		return;
	CHECK_INT(jv_get(v, "articles")->n, 1);
	CHECK_STR(jv_string(jv_get(&jv_get(v, "articles")->v[0], "title")), "年报");
	CHECK(!jv_integer(jv_get(v, "total"), &n));
	CHECK_INT(n, 23);
	CHECK(!jv_integer(jv_get(v, "pages"), &n));
	CHECK_INT(n, 1000000000);
	CHECK(jv_integer(jv_get(v, "half"), &n) == -1);
	CHECK(jv_integer(jv_get(v, "big"), &n) == -1);
	CHECK(jv_get(v, "none") == NULL);
	CHECK(jv_string(jv_get(v, "total")) != NULL);
	jv_free(v);
}

static void test_bounds(void)
{
	char deep[300];
	struct jv *v = NULL;
	struct err e = ERR_INIT;

	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	CHECK(jv_parse(deep, strlen(deep), &v, &e) == OGI_EINVAL);
	CHECK(strstr(e.msg, "deep") != NULL);
	CHECK(v == NULL);
}

int main(void)
{
	RUN(test_valid_invalid);
	RUN(test_values);
	RUN(test_bounds);
	return t_done(__FILE__);
}
