/*
 * crawler/discover.c's word rules: which catalogue link texts name a body
 * (followed, to another host too, and naming the columns under them).
 * The walk itself runs against a loopback portal (tests/e2e/test-crawl-cms.sh).
 */
#include "t.h"

#include "crawler/discover.h"

static void test_names_body(void)
{
	static const struct {
		const char *text;
		int body;
	} cases[] = {
		{ "东湖镇", 1 }, { "西河乡", 1 }, { "城关街道", 1 }, { "南关街道办事处", 1 },
		{ "青山县", 1 }, { "海滨市教育局", 1 }, { "海滨市住房和城乡建设局", 1 },
		{ "市发展和改革委员会", 1 }, { "县人民政府办公室", 1 }, { "白沙县人民政府", 1 },
		{ "政府信息公开", 0 }, { "乡镇信息公开", 0 }, { "新闻中心", 0 }, { "首页", 0 },
		{ "政务服务中心", 0 }, { "工业园区", 0 }, { "东湖镇2023年政府信息公开工作年度报告", 0 },
		{ "Town", 0 }, { "镇", 0 }, { "", 0 }, { "東湖鎮 ", 0 },
		{ "一二三四五六七八九十一二三四五六七八九十一二镇", 0 },	/* past 60 bytes */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (discover_names_body(cases[i].text) != cases[i].body) {
			t_fail_at(__FILE__, __LINE__);
			fprintf(stderr, "'%s': want %d\n", cases[i].text, cases[i].body);
		}
}

static void test_bad_start(void)
{
	struct discover_opts o;
	struct discover_result r = { 0 };
	struct err e = ERR_INIT;

	discover_opts_init(&o);
	CHECK_INT(discover_run("ftp://a.test/", &o, &r, &e), OGI_EINVAL);
	CHECK(strstr(e.msg, "not an http(s) URL") != NULL);
	o.max_pages = 0;
	CHECK_INT(discover_run("http://a.test/", &o, &r, &e), OGI_EINVAL);
	CHECK_INT(r.n, 0);
	discover_result_release(&r);
}

int main(void)
{
	RUN(test_names_body);
	RUN(test_bad_start);
	return t_done(__FILE__);
}
