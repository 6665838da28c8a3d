/*
 * crawler/discover.c's word rules: which catalogue link texts name a body
 * (followed, to another host too, and naming the columns under them), the
 * body a module report's link or a column's title names, the column a
 * sitemap's report page lies in.
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

/* got (freed here) against want (NULL: none) for input. */
static void check_str(int line, const char *input, char *got, const char *want)
{
	if (want ? !got || strcmp(got, want) : got != NULL) {
		t_fail_at(__FILE__, line);
		fprintf(stderr, "'%s': got '%s', want '%s'\n", input ? input : "(null)",
			got ? got : "(null)", want ? want : "(null)");
	}
	free(got);
}

static void test_report_body(void)
{
	static const struct {
		const char *text, *body;	/* body NULL: none */
	} cases[] = {
		{ "青山县教育局2023年政府信息公开工作年度报告", "青山县教育局" },
		{ "梅岭县 2022年度政府信息公开工作年度报告", "梅岭县" },
		{ "花溪镇2024年报", "花溪镇" },
		{ "2023年度", NULL },		/* the year alone: a row's other link */
		{ "关于2023年政府信息公开工作年度报告", NULL },	/* no body before the year */
		{ "政府信息公开年报", NULL },			/* no year */
		{ "第120235号青山县教育局", NULL },		/* a longer number is no year */
		{ "", NULL }, { NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_str(__LINE__, cases[i].text, discover_report_body(cases[i].text),
			  cases[i].body);
}

static void test_column_dir(void)
{
	static const struct {
		const char *url, *dir;	/* dir NULL: none */
	} cases[] = {
		{ "http://a.test/xxgk/zjdgk/16/zfxxgkndbg/201701/t20170115_1.htm",
		  "http://a.test/xxgk/zjdgk/16/zfxxgkndbg/" },
		{ "http://a.test/xxgk/bmgk/jyj/ndbg/t20240110_2.htm",
		  "http://a.test/xxgk/bmgk/jyj/ndbg/" },
		{ "http://a.test/zfxxgknb/2023/index.html", "http://a.test/zfxxgknb/" },
		{ "http://a.test/gknb_jyj/202401/t1.htm", "http://a.test/gknb_jyj/" },
		/* the last directory holding a token: a column inside a column's site */
		{ "http://a.test/ndbg/xz/xxgknb/1.htm", "http://a.test/ndbg/xz/xxgknb/" },
		{ "http://a.test/xxgk/ndbg.htm", NULL },		/* the page's own name */
		{ "http://a.test/art/2024/1/15/art_1_2.html", NULL },
		{ "http://a.test/xxgk/andbgx/1.htm", NULL },		/* inside a word */
		{ "http://a.test/x.jsp?p=/ndbg/1.htm", NULL },		/* the query is no path */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_str(__LINE__, cases[i].url, discover_column_dir(cases[i].url, NULL),
			  cases[i].dir);
}

static void test_title_body(void)
{
	static const struct {
		const char *title, *body;	/* body NULL: none */
	} cases[] = {
		{ "政府信息公开年报_东湖镇_海滨市人民政府", "东湖镇" },
		{ "青石镇政府信息公开年报-海滨市人民政府", "青石镇" },
		{ "政府信息公开年报 | 海滨市教育局", "海滨市教育局" },
		{ "花溪镇信息公开—梅岭县人民政府", "花溪镇" },
		{ "政府信息公开年报", NULL },
		{ "政府信息公开年报__ - ", NULL },
		{ "Annual reports", NULL }, { "", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_str(__LINE__, cases[i].title, discover_title_body(cases[i].title),
			  cases[i].body);
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
	RUN(test_report_body);
	RUN(test_column_dir);
	RUN(test_title_body);
	RUN(test_bad_start);
	return t_done(__FILE__);
}
