/* Unit tests of crawler/links.c on TRS-style listing pages and hostile input. */
#include <stdlib.h>
#include <string.h>

#include "crawler/links.h"
#include "html/nesting.h"
#include "tests/unit/t.h"

#define JJ "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/"
#define SY "https://www.shuyang.gov.cn/syfgj/xxgknb/"

struct want {
	const char *url, *text;	/* text NULL: not checked */
	unsigned kind;
};

static void check_list(const struct link_list *l, const struct want *w, size_t n, const char *what)
{
	size_t i;

	if (l->n != n) {
		fprintf(stderr, "  %s: %zu links, want %zu:\n", what, l->n, n);
		for (i = 0; i < l->n; i++)
			fprintf(stderr, "    %s [%s] %u\n", l->v[i].url, l->v[i].text,
				l->v[i].kind);
	}
	CHECK_INT(l->n, n);
	for (i = 0; i < n && i < l->n; i++) {
		CHECK_STR(l->v[i].url, w[i].url);
		if (w[i].text)
			CHECK_STR(l->v[i].text, w[i].text);
		CHECK_INT(l->v[i].kind, w[i].kind);
	}
}

static const struct link *find(const struct link_list *l, const char *url)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].url, url))
			return &l->v[i];
	return NULL;
}

static void test_trs_listing(void)
{
	static const struct want reports[] = {
		{ JJ "202601/t20260119_3258021.htm",
		  "晋江市龙湖镇人民政府关于2025年政府信息公开工作...",
		  LINK_REPORT },
		{ JJ "202501/t20250117_3105520.htm", NULL, LINK_REPORT },
		{ JJ "202401/t20240119_2952211.htm", NULL, LINK_REPORT },
		{ JJ "202301/t20230118_2790017.htm", "龙湖镇2022年度政府信息公开工作年度报告",
		  LINK_REPORT },
		{ JJ "202201/t20220121_2638475.htm", "龙湖镇2021年政府信息公开工作年度报告",
		  LINK_REPORT },
		{ JJ "202101/t20210128_2456120.htm", "龙湖镇2020年政府信息公开年报", LINK_REPORT },
		{ JJ "202001/P020200120521663881234.pdf",
		  "龙湖镇2019年政府信息公开工作年度报告（PDF版）",
		  LINK_REPORT | LINK_ATTACHMENT },
	};
	static const struct want pages[] = {
		{ JJ "index_1.htm", "下一页", LINK_PAGE },
	};
	static const struct want atts[] = {
		{ JJ "202001/P020200120521663881234.pdf", NULL, LINK_REPORT | LINK_ATTACHMENT },
	};
	struct links l;
	struct err e = ERR_INIT;
	size_t len;
	char *html = t_slurp("sites/", "www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/index.htm", &len);
	const struct link *k;

	if (!CHECK(html != NULL))
		return;
	links_init(&l);
	CHECK_INT(links_extract(html, len, JJ, NULL, &l, &e), 0);
	check_list(&l.reports, reports, sizeof(reports) / sizeof(reports[0]), "reports");
	check_list(&l.pages, pages, sizeof(pages) / sizeof(pages[0]), "pages");
	check_list(&l.attachments, atts, sizeof(atts) / sizeof(atts[0]), "attachments");
	if (l.reports.n) {
		CHECK_STR(l.reports.v[0].title,
			"晋江市龙湖镇人民政府关于2025年政府信息公开工作年度报告");
		CHECK(l.reports.v[4].title == NULL);
	}
	/* all: javascript: and mailto: dropped, CSS text not read, duplicates kept */
	CHECK(find(&l.all, "https://www.jinjiang.gov.cn/wzdt/") != NULL);
	CHECK(find(&l.all, "https://www.jinjiang.gov.cn/css-is-not-a-link.htm") == NULL);
	CHECK(find(&l.all, "http://www.gov.cn/") != NULL);
	k = find(&l.all, "https://gsxt.gov.cn/corp-query-homepage.html");
	CHECK(k && k->kind == LINK_PLAIN);
	k = find(&l.all, "https://www.jinjiang.gov.cn/xxgk/zfgzbg/202501/t20250110_3100001.htm");
	CHECK(k && k->kind == LINK_PLAIN);
	k = find(&l.all, "https://www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/");
	CHECK(k && !strcmp(k->text, "龙湖镇") && k->kind == LINK_PLAIN);
	{
		size_t i, n2021 = 0, js = 0;

		for (i = 0; i < l.all.n; i++) {
			if (!strcmp(l.all.v[i].url, JJ "202201/t20220121_2638475.htm"))
				n2021++;
			if (!strncmp(l.all.v[i].url, "javascript", 10) ||
			    !strncmp(l.all.v[i].url, "mailto", 6))
				js++;
		}
		CHECK_INT(n2021, 2);
		CHECK_INT(js, 0);
		CHECK_INT(l.all.n, 39);	/* 43 anchors in the file: 2 javascript:, 1 mailto:,
			1 in CSS */
	}
	links_release(&l);
	free(html);
}

static void test_trs_second_page(void)
{
	struct links l;
	size_t len;
	char *html = t_slurp("sites/", "www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/index_1.htm",
		&len);

	if (!CHECK(html != NULL))
		return;
	links_init(&l);
	CHECK_INT(links_extract(html, len, JJ "index_1.htm", NULL, &l, NULL), 0);
	/*
	 * Its script makes index.htm and itself: the first page is where the
	 * crawl of the column began (as dir/ or index.htm), so no page is new.
	 */
	CHECK_INT(l.pages.n, 0);
	/* 2018 and 2017; the "./" menu link is the column's first page, not a report */
	CHECK_INT(l.reports.n, 2);
	links_release(&l);
	free(html);
}

static void test_report_page_attachments(void)
{
#define D JJ "202601/"
	static const struct want atts[] = {
		{ D "P020260119523114455667.pdf",
		  "晋江市龙湖镇人民政府2025年政府信息公开工作年度报告.pdf",
		  LINK_REPORT | LINK_ATTACHMENT },
		{ D "P020260119523114455668.DOCX", "2025年政府信息公开工作年度报告表格.docx",
		  LINK_REPORT | LINK_ATTACHMENT },
		{ D "P020260119523114455669.wps?download=1", "表格（WPS版）", LINK_ATTACHMENT },
		{ "https://www.jinjiang.gov.cn/xxgk/fj/P020260119523114455670.ofd",
		  "版式文件（OFD）",
		  LINK_ATTACHMENT },
		{ D "P020260119523114455671.xls", "统计表.xls", LINK_ATTACHMENT },
		{ D "P020260119523114455672.et", "统计表.et", LINK_ATTACHMENT },
		{ D "P020260119523114455673.xlsx", "统计表.xlsx", LINK_ATTACHMENT },
		{ D "P020260119523114455674.doc", "旧版.doc", LINK_ATTACHMENT },
	};
	struct links l;
	size_t len;
	char *html = t_slurp("sites/", "www.jinjiang.gov.cn/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/202601/"
			   "t20260119_3258021.htm", &len);

	if (!CHECK(html != NULL))
		return;
	links_init(&l);
	CHECK_INT(links_extract(html, len, D "t20260119_3258021.htm", NULL, &l, NULL), 0);
	check_list(&l.attachments, atts, sizeof(atts) / sizeof(atts[0]), "attachments");
	CHECK_INT(l.pages.n, 0);
	CHECK(find(&l.all, D "download.jsp?file=report.pdf") != NULL);
	CHECK(find(&l.all, D "pdf.htm") != NULL);
	/* the copy of the PDF link with an image carries the image's alt text */
	{
		size_t i, n = 0;

		for (i = 0; i < l.all.n; i++)
			if (!strcmp(l.all.v[i].url, D "P020260119523114455667.pdf") &&
			    !strcmp(l.all.v[i].text, "下载PDF"))
				n++;
		CHECK_INT(n, 1);
	}
	links_release(&l);
	free(html);
#undef D
}

static void test_query_pagination(void)
{
	static const struct want pages[] = {
		{ SY "index.html?page=1", "1", LINK_PAGE },
		{ SY "index.html?page=2", "[下一页]", LINK_PAGE },
		{ SY "index.html?page=3", "3", LINK_PAGE },
		{ SY "index.html?page=5", "末页>>", LINK_PAGE },
		{ SY "list.do?pageNo=4&size=15", "4", LINK_PAGE },
		{ SY "index.html?columnId=7&p=6", "第6页", LINK_PAGE },
		{ SY "?pageIndex=2", "下一页", LINK_PAGE },
		{ SY "index_2.html", "index_2", LINK_PAGE },
	};
	static const struct want reports[] = {
		{ SY "202401/a1b2c3d4e5f6.shtml", "沭阳县发展和改革局2023年政府信息公开年度报告",
		  LINK_REPORT },
		{ SY "202301/f6e5d4c3b2a1.shtml", NULL, LINK_REPORT },
		{ SY "202201/0a0b0c0d0e0f.shtml", "沭阳县发展和改革局2021年政务公开工作年度报告",
		  LINK_REPORT },
	};
	struct links l;
	size_t len;
	char *html = t_slurp("sites/", "www.shuyang.gov.cn/syfgj/xxgknb/index.html", &len);

	if (!CHECK(html != NULL))
		return;
	links_init(&l);
	CHECK_INT(links_extract(html, len, SY "index.html", NULL, &l, NULL), 0);
	check_list(&l.pages, pages, sizeof(pages) / sizeof(pages[0]), "pages");
	check_list(&l.reports, reports, sizeof(reports) / sizeof(reports[0]), "reports");
	CHECK_INT(l.attachments.n, 0);
	links_release(&l);
	free(html);
}

/* A module's report pages are reports whatever their links say (a table's "2023年度"). */
static void test_module_reports(void)
{
	static const char html[] =
		"<table><tr><td>青山县教育局</td>"
		"<td><a href=\"/module/xxgk/xxgkAnnualReport.jsp?area=331122001&amp;fbtime=2023\">"
		"2023年度</a></td><td><a href=\"/XxgkAnnualReport/show/88001.html\">2022年</a></td>"
		"<td><a href=\"/XxgkAnnualReport/show/\">年报</a></td>"
		"<td><a href=\"/XxgkAnnualReport/show/1/x.html\">x</a></td>"
		"<td><a href=\"/module/xxgk/xxgkAnnualReport.jsp\">查询</a></td>"
		"<td><a href=\"/other/module/xxgk/xxgkAnnualReport.jsp?area=1\">y</a></td></tr></table>";
	static const struct want reports[] = {
		{ "http://a.test/module/xxgk/xxgkAnnualReport.jsp?area=331122001&fbtime=2023",
		  "2023年度", LINK_REPORT },
		{ "http://a.test/XxgkAnnualReport/show/88001.html", "2022年", LINK_REPORT },
	};
	struct links l;

	links_init(&l);
	CHECK_INT(links_extract(html, sizeof(html) - 1, "http://a.test/col/col300/index.html", NULL,
				&l, NULL), 0);
	check_list(&l.reports, reports, sizeof(reports) / sizeof(reports[0]), "reports");
	links_release(&l);
	CHECK(!links_is_module_report(NULL));
	CHECK(!links_is_module_report("not a url"));
}

static void test_report_text(void)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告", 1 },
		{ "沭阳县发展和改革局2023年政府信息公开年度报告", 1 },
		{ "2019年上海市人民政府办公厅政府信息公开工作年度报告", 1 },
		{ "XX街道办事处2022年度政府信息公开工作年度报告", 1 },
		{ "龙湖镇2020年政府信息公开年报", 1 },
		{ "2023年政府信息公开工作报告", 1 },
		{ "2023年政务公开工作年度报告", 1 },
		{ "政府信息公开年度报告（2021年）", 1 },
		{ "2024年晋江市人民政府政府工作报告", 0 },
		{ "2023年统计年报", 0 },
		{ "企业年度报告公示", 0 },
		{ "关于开展2023年度报告公示工作的通知", 0 },
		{ "2023年度部门决算", 0 },
		{ "政府信息公开指南", 0 },
		{ "", 0 },
		{ NULL, 0 },
		{ "\xff\xfe年度报告", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_INT(links_is_report_text(cases[i].text), cases[i].want);
}

static void test_options(void)
{
	static const char html[] =
		"<a href='a.htm'>2023年政府工作报告</a><a href='b.htm'>Annual Report 2023</a>"
		"<a href='c.htm'>2023年度报告公示</a>";
	struct links_opts o = { "annual report|工作报告", "", NULL };
	struct links l;
	struct err e = ERR_INIT;

	links_init(&l);
	CHECK_INT(links_extract(html, strlen(html), "http://a.test/x/", &o, &l, &e), 0);
	CHECK_INT(l.reports.n, 2);
	if (l.reports.n == 2) {
		CHECK_STR(l.reports.v[0].url, "http://a.test/x/a.htm");
		CHECK_STR(l.reports.v[1].url, "http://a.test/x/b.htm");
	}
	links_release(&l);
	/* exclude "" keeps 年度报告公示 */
	o.report_pattern = NULL;
	links_init(&l);
	CHECK_INT(links_extract(html, strlen(html), "http://a.test/x/", &o, &l, &e), 0);
	CHECK_INT(l.reports.n, 1);
	links_release(&l);
	/* a pattern that does not compile, a page URL that is not http(s) */
	o.report_pattern = "(unclosed";
	links_init(&l);
	CHECK_INT(links_extract(html, strlen(html), "http://a.test/x/", &o, &l, &e), OGI_EINVAL);
	CHECK(strstr(e.msg, "bad pattern") != NULL);
	CHECK_INT(links_extract(html, strlen(html), "ftp://a.test/x/", NULL, &l, &e), OGI_EINVAL);
	CHECK_INT(links_extract(html, strlen(html), NULL, NULL, &l, &e), OGI_EINVAL);
	CHECK_INT(l.all.n, 0);
	links_release(&l);
}

static void test_base_and_scripts(void)
{
	static const struct {
		const char *html, *page;
		const char *first_page;	/* the first pages[] URL, NULL: none */
		size_t npages;
	} cases[] = {
		/* <base href> moves resolution, createPageHTML pages follow it */
		{ "<head><base href='http://a.test/col/'></head><body><script>"
		  "createPageHTML(3, 0, 'index', 'html');</script><a href='t1.html'>x</a>",
		  "http://a.test/other/p.html", "http://a.test/col/index.html", 3 },
		/* the variant with a div id and a record count */
		{ "<script>createPageHTML('page_div',4, 1,'index','shtml',57);</script>",
		  "http://a.test/c/index_1.shtml", "http://a.test/c/index_2.shtml", 2 },
		/* from page 2, links to the first page under either name are not new pages */
		{ "<a href='./'>首页</a><a href='index.html'>上一页</a><a href='index_2.html'>下一页</a>",
		  "http://a.test/g/index_1.html", "http://a.test/g/index_2.html", 1 },
		/* but from a page that is not numbered, another column's first page is */
		{ "<a href='../h/index.html'>下一页</a>", "http://a.test/g/list.html",
		  "http://a.test/h/index.html", 1 },
		/* identifiers resolved from their assignment */
		{ "<script>var  pageCount=3 ; var cur = 0; "
		  "createPageHTML(pageCount, cur, \"list\", \"htm\");</script>",
		  "http://a.test/d/", "http://a.test/d/list.htm", 3 },
		/* an unknown identifier, a page count of 1, 0 and a huge count */
		{ "<script>createPageHTML(nope, 0, 'index', 'html');</script>", "http://a.test/e/",
		  NULL, 0 },
		{ "<script>createPageHTML(1, 0, 'index', 'html');</script>", "http://a.test/e/",
		  NULL, 0 },
		{ "<script>createPageHTML(0, 0, 'index', 'html');</script>", "http://a.test/e/",
		  NULL, 0 },
		{ "<script>createPageHTML(999999, 0, 'index', 'html');</script>",
		  "http://a.test/e/", "http://a.test/e/index_1.html", LINKS_MAX_PAGES },
		/* a call in the text, not in a script, does nothing */
		{ "<p>createPageHTML(5, 0, 'index', 'html')</p>", "http://a.test/e/", NULL, 0 },
		/* a prefix with a slash is not accepted */
		{ "<script>createPageHTML(3, 0, '../x', 'html');</script>", "http://a.test/e/",
		  NULL, 0 },
		/* a script within an anchor is not its text */
		{ "<a href='index_1.html'>下一页<script>var x='<b>'</script></a>",
		  "http://a.test/f/", "http://a.test/f/index_1.html", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct links l;

		links_init(&l);
		CHECK_INT(links_extract(cases[i].html, strlen(cases[i].html), cases[i].page, NULL,
			&l,
					NULL), 0);
		if (l.pages.n != cases[i].npages)
			fprintf(stderr, "  case %zu\n", i);
		CHECK_INT(l.pages.n, cases[i].npages);
		if (cases[i].first_page && l.pages.n)
			CHECK_STR(l.pages.v[0].url, cases[i].first_page);
		if (i == 0 && l.all.n == 1)
			CHECK_STR(l.all.v[0].url, "http://a.test/col/t1.html");
		if (i == 9 && l.pages.n == 1)
			CHECK_STR(l.pages.v[0].text, "下一页");
		links_release(&l);
	}
}

static void test_text(void)
{
	static const struct {
		const char *html, *text, *title;
	} cases[] = {
		{ "<a href='x'>  a \n\t b&nbsp;&nbsp;c\xe3\x80\x80" "d </a>", "a b c d", NULL },
		{ "<a href='x' title=' 全 称 '>简称...</a>", "简称...", "全 称" },
		{ "<a href='x' title=''>t</a>", "t", NULL },
		{ "<a href='x'><img alt='图 片'></a>", "图 片", NULL },
		{ "<a href='x'><img alt='a'><img alt='b'></a>", "a b", NULL },
		{ "<a href='x'><span>申请人情</span><span>况</span></a>", "申请人情况", NULL },
		{ "<a href='x'><p>一</p><p>二</p></a>", "一二", NULL },
		{ "<a href='x'>\xff\xfe ok</a>", "\xef\xbf\xbd\xef\xbf\xbd ok", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct links l;

		links_init(&l);
		CHECK_INT(links_extract(cases[i].html, strlen(cases[i].html), "http://a.test/",
			NULL, &l,
					NULL), 0);
		CHECK_INT(l.all.n, 1);
		if (l.all.n) {
			CHECK_STR(l.all.v[0].text, cases[i].text);
			CHECK_STR(l.all.v[0].title, cases[i].title);
		}
		links_release(&l);
	}
}

/* Builds a page of n repetitions of unit between head and tail. */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *p = malloc(hl + ul * n + tl + 1);

	memcpy(p, head, hl);
	for (i = 0; i < n; i++)
		memcpy(p + hl + i * ul, unit, ul);
	memcpy(p + hl + n * ul, tail, tl + 1);
	*len = hl + ul * n + tl;
	return p;
}

static void test_hostile(void)
{
	struct links l;
	size_t len;
	char *p;
	static const char *const odd[] = {
		"", "<", "<a", "<a href", "<a href='", "<!--", "<script>", "<a href=x>", "\0\0\0",
		"<a href='http://[bad/'>x</a>", "<a href=' '>sp</a>",
			"<base href='javascript:x'><a href=y>",
	};
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		links_init(&l);
		CHECK_INT(links_extract(odd[i], strlen(odd[i]), "http://a.test/", NULL, &l, NULL),
			0);
		links_release(&l);
	}
	links_init(&l);
	CHECK_INT(links_extract(NULL, 100, "http://a.test/", NULL, &l, NULL), 0);
	CHECK_INT(l.all.n, 0);
	links_release(&l);

	/* deep nesting: cut off before gumbo; links before the cut are still found */
	p = repeat("<a href='first.html'>first</a>", "<div>", 200000,
		"<a href='deep.html'>deep</a>",
		   &len);
	links_init(&l);
	CHECK_INT(links_extract(p, len, "http://a.test/", NULL, &l, NULL), 0);
	CHECK(find(&l.all, "http://a.test/first.html") != NULL);
	CHECK(find(&l.all, "http://a.test/deep.html") == NULL);
	links_release(&l);
	free(p);

	/* moderately deep (under the guard, over the walk depth) anchors are not read */
	p = repeat("", "<span>", HTML_MAX_NESTING - 10, "<a href='d.html'>d</a>", &len);
	links_init(&l);
	CHECK_INT(links_extract(p, len, "http://a.test/", NULL, &l, NULL), 0);
	CHECK_INT(l.all.n, 0);
	links_release(&l);
	free(p);

	/* unclosed optional-end tags do not count as nesting */
	p = repeat("", "<li><p>x", 20000, "<a href='end.html'>end</a>", &len);
	links_init(&l);
	CHECK_INT(links_extract(p, len, "http://a.test/", NULL, &l, NULL), 0);
	CHECK(find(&l.all, "http://a.test/end.html") != NULL);
	links_release(&l);
	free(p);

	/* a flood of anchors is capped; the page-number links dedupe */
	p = repeat("", "<a href='?page=7'>7</a>", LINKS_MAX_LINKS + 500, "", &len);
	links_init(&l);
	CHECK_INT(links_extract(p, len, "http://a.test/l.html", NULL, &l, NULL), 0);
	CHECK_INT(l.all.n, LINKS_MAX_LINKS);
	CHECK_INT(l.pages.n, 1);
	links_release(&l);
	free(p);

	/* an enormous link text is cut at a character boundary */
	p = repeat("<a href='t.html'>", "报", 2000, "</a>", &len);
	links_init(&l);
	CHECK_INT(links_extract(p, len, "http://a.test/", NULL, &l, NULL), 0);
	if (CHECK(l.all.n == 1)) {
		CHECK(strlen(l.all.v[0].text) <= LINKS_MAX_TEXT);
		CHECK_INT(strlen(l.all.v[0].text) % 3, 0);
	}
	links_release(&l);
	free(p);
}

/*
 * Pages that got past the nesting estimate to gumbo (fuzz/regressions/links):
 * end tags that close nothing kept the estimate at zero while gumbo nested
 * every div (quadratic time, and an error list copying the open elements
 * each time: gigabytes), and foreign content in a table hit a gumbo
 * assertion, which aborted the crawler.  Both now return, with the links.
 */
static void test_hostile_guard(void)
{
	static const struct {
		const char *what, *unit;
		size_t n;
	} cs[] = {
		{ "end tags closing nothing", "<div></x>", 8000 },
		{ "end tags of another element", "<div></span>", 8000 },
		{ "math and select in a table", "<table><math><select><mi><select><table>", 1 },
		{ "svg in a table", "<table><svg><foreignObject><table><math><mi>x</table>", 3 },
		{ "frameset", "<frameset><frame><table><math><select><mi><select><table>", 1 },
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct links l;
		size_t len;
		char *p = repeat("<a href='first.html'>first</a>", cs[i].unit, cs[i].n,
				 "<a href='last.html'>last</a>", &len);

		t_case = cs[i].what;
		links_init(&l);
		CHECK_INT(links_extract(p, len, "http://a.test/", NULL, &l, NULL), 0);
		CHECK(find(&l.all, "http://a.test/first.html") != NULL);
		if (cs[i].n == 1)	/* shallow: what follows is read too */
			CHECK(find(&l.all, "http://a.test/last.html") != NULL);
		links_release(&l);
		free(p);
	}
}

int main(void)
{
	RUN(test_trs_listing);
	RUN(test_trs_second_page);
	RUN(test_report_page_attachments);
	RUN(test_query_pagination);
	RUN(test_module_reports);
	RUN(test_report_text);
	RUN(test_options);
	RUN(test_base_and_scripts);
	RUN(test_text);
	RUN(test_hostile);
	RUN(test_hostile_guard);
	return t_done(__FILE__);
}
