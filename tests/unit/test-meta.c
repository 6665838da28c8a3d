#include "parser/meta.h"

#include "util/xalloc.h"
#include "tests/unit/t.h"

#define MAXL 8

struct meta_case {
	const char *name;
	const char *title;		/* doc->title, may be NULL */
	const char *lines[MAXL];	/* NULL-terminated */
	const char *org, *want_title, *published;
	int year;
};

static const struct meta_case cases[] = {
	{ "longhu",
	  "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告",
	  { "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告", "时间:2024-01-17 17:17" },
	  "晋江市龙湖镇人民政府", "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告",
	  "2024-01-17", 2023 },
	{ "department, site suffix after _",
	  "沭阳县发展和改革局2023年政府信息公开年度报告_沭阳县人民政府",
	  { "发布时间：2024年01月17日 来源：本站" },
	  "沭阳县发展和改革局", "沭阳县发展和改革局2023年政府信息公开年度报告", "2024-01-17",
	  2023 },
	{ "year first",
	  "2019年上海市人民政府办公厅政府信息公开工作年度报告",
	  { "发布日期：2020-01-31" },
	  "上海市人民政府办公厅", "2019年上海市人民政府办公厅政府信息公开工作年度报告",
	  "2020-01-31", 2019 },
	{ "street office, 年度, suffix after -",
	  "XX街道办事处2022年度政府信息公开工作年度报告-XX区人民政府",
	  { "索引号：001", "公文生成日期：2023/1/9" },
	  "XX街道办事处", "XX街道办事处2022年度政府信息公开工作年度报告", "2023-01-09", 2022 },
	{ "工作报告, suffix after |",
	  "某某局2021年度政府信息公开工作报告 | 某某市人民政府",
	  { "成文日期：2022.01.28" },
	  "某某局", "某某局2021年度政府信息公开工作报告", "2022-01-28", 2021 },
	{ "suffix after ——",
	  "晋江市教育局2020年政府信息公开工作年度报告——晋江市人民政府",
	  { "日期：2021-1-5" },
	  "晋江市教育局", "晋江市教育局2020年政府信息公开工作年度报告", "2021-01-05", 2020 },
	{ "page title is the site name: a heading wins",
	  "晋江市人民政府",
	  { "首页 > 政务公开 > 政府信息公开年度报告",
	    "晋江市东石镇人民政府2022年政府信息公开工作年度报告", "发布时间：2023-01-20 10:00" },
	  "晋江市东石镇人民政府", "晋江市东石镇人民政府2022年政府信息公开工作年度报告",
	  "2023-01-20", 2022 },
	{ "page title without year, heading with year",
	  "晋江市民政局政府信息公开工作年度报告",
	  { "晋江市民政局2021年政府信息公开工作年度报告" },
	  "晋江市民政局", "晋江市民政局2021年政府信息公开工作年度报告", NULL, 2021 },
	{ "no year in the title: the statistics period",
	  "晋江市民政局政府信息公开工作年度报告_晋江市人民政府",
	  { "结合我局2022年度政府信息公开情况进行编制。",
	    "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。" },
	  "晋江市民政局", "晋江市民政局政府信息公开工作年度报告", NULL, 2023 },
	{ "no year anywhere but 年度",
	  "某某局政府信息公开工作年度报告",
	  { "结合我局2022年度政府信息公开情况进行编制。" },
	  "某某局", "某某局政府信息公开工作年度报告", NULL, 2022 },
	{ "人民政府信息公开: the 政府 is shared",
	  "晋江市人民政府信息公开工作2023年度报告", { NULL },
	  "晋江市人民政府", "晋江市人民政府信息公开工作2023年度报告", NULL, 2023 },
	{ "县政府信息公开",
	  "沭阳县政府信息公开工作年度报告（2021年）", { NULL },
	  "沭阳县人民政府", "沭阳县政府信息公开工作年度报告（2021年）", NULL, 2021 },
	{ "full width digits and spacing",
	  "晋江市龙湖镇人民政府\xE3\x80\x80关于２０２３年 政府信息公开工作年度报告",
	  { "发布时间：２０２４年１月１７日" },
	  "晋江市龙湖镇人民政府", "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告",
	  "2024-01-17", 2023 },
	{ "quoted title",
	  "《晋江市教育局2023年政府信息公开工作年度报告》", { NULL },
	  "晋江市教育局", "晋江市教育局2023年政府信息公开工作年度报告", NULL, 2023 },
	{ "no body in the title: the issuer of the metadata block",
	  "2023年政府信息公开工作年度报告_晋江市人民政府",
	  { "索引号：xxgk-2024-001 发布机构：晋江市龙湖镇人民政府 公文生成日期：2024-01-09" },
	  "晋江市龙湖镇人民政府", "2023年政府信息公开工作年度报告", "2024-01-09", 2023 },
	{ "publication label beats document label and bare date",
	  "某某局2023年政府信息公开工作年度报告",
	  { "2024-01-05", "成文日期：2024-01-08", "发布日期：2024-01-10" },
	  "某某局", "某某局2023年政府信息公开工作年度报告", "2024-01-10", 2023 },
	{ "更新时间 and 统计时间 are not labels",
	  "某某局2023年政府信息公开工作年度报告",
	  { "更新时间：2024-03-01", "统计时间：2023-12-31", "印发日期：2024-02-01" },
	  "某某局", "某某局2023年政府信息公开工作年度报告", "2024-02-01", 2023 },
	{ "invalid dates are skipped",
	  "某某局2023年政府信息公开工作年度报告",
	  { "发布日期：2024-02-30", "发布日期：2023-13-01", "发布日期：1985-01-01",
	    "发布日期：2023年2月29日", "发布日期：2024-02-29" },
	  "某某局", "某某局2023年政府信息公开工作年度报告", "2024-02-29", 2023 },
	{ "stat period is not a publication date",
	  "某某局2023年政府信息公开工作年度报告",
	  { "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
	    "截至2023年12月31日，累计公开100条。" },
	  "某某局", "某某局2023年政府信息公开工作年度报告", NULL, 2023 },
	{ "signature date in Chinese numerals",
	  "某某镇人民政府2023年政府信息公开工作年度报告",
	  { "某某镇人民政府", "二〇二四年一月十七日" },
	  "某某镇人民政府", "某某镇人民政府2023年政府信息公开工作年度报告", "2024-01-17",
	  2023 },
	{ "signature on one line",
	  "某某镇人民政府2023年政府信息公开工作年度报告",
	  { "某某镇人民政府 2024年3月1日" },
	  "某某镇人民政府", "某某镇人民政府2023年政府信息公开工作年度报告", "2024-03-01",
	  2023 },
	{ "breadcrumbs and prose are no titles",
	  NULL,
	  { "当前位置：首页>政府信息公开>政府信息公开年度报告",
	    "本年度报告根据《中华人民共和国政府信息公开条例》要求编制，"
	    "包括政府信息公开工作年度报告",
	    "某某县2022年政府信息公开工作年度报告" },
	  "某某县", "某某县2022年政府信息公开工作年度报告", NULL, 2022 },
	{ "a range of years",
	  "晋江市交通运输局2022-2023年政府信息公开工作年度报告", { NULL },
	  "晋江市交通运输局", "晋江市交通运输局2022-2023年政府信息公开工作年度报告", NULL, 2023 },
	{ "a range of years first",
	  "2022至2023年度晋江市交通运输局政府信息公开工作年度报告", { NULL },
	  "晋江市交通运输局", "2022至2023年度晋江市交通运输局政府信息公开工作年度报告", NULL,
	  2023 },
	{ "年报, and a note that is no title",
	  NULL,
	  { "关于晋江市人民政府2023年政府信息公开工作年度报告的说明",
	    "某某区2023年度政府信息公开工作年报" },
	  "某某区", "某某区2023年度政府信息公开工作年报", NULL, 2023 },
	{ "empty doc", NULL, { NULL }, NULL, NULL, NULL, 0 },
	{ "site name only", "某某市人民政府", { "欢迎访问" }, NULL, "某某市人民政府", NULL, 0 },
	{ "invalid UTF-8 is dropped",
	  "某某局2023年\xFF\xFE政府信息公开工作年度报告\xE4\xBB",
	  { "发布日期：\xC0\x80" "2024-01-02" },
	  "某某局", "某某局2023年政府信息公开工作年度报告", "2024-01-02", 2023 },
};

static void build(struct doc *d, const struct meta_case *c)
{
	doc_init(d);
	d->title = c->title ? xstrdup(c->title) : NULL;
	for (size_t i = 0; i < MAXL && c->lines[i]; i++)
		doc_add_line(d, c->lines[i], strlen(c->lines[i]));
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct meta_case *c = &cases[i];
		struct doc d;
		struct meta m;

		t_case = c->name;
		build(&d, c);
		meta_init(&m);
		meta_detect(&d, &m);
		CHECK_STR(m.organization, c->org);
		CHECK_STR(m.title, c->want_title);
		CHECK_STR(m.published, c->published);
		CHECK_INT(m.year, c->year);
		/* A second run on the same meta replaces, not leaks. */
		meta_detect(&d, &m);
		CHECK_STR(m.organization, c->org);
		meta_release(&m);
		doc_release(&d);
	}
	t_case = "test_table";
}

/* Dates are read only near the top and at the very end. */
static void test_windows(void)
{
	struct doc d;
	struct meta m;
	char line[64];

	doc_init(&d);
	d.title = xstrdup("某某镇人民政府2023年政府信息公开工作年度报告");
	for (int i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "正文第%d段。", i);
		doc_add_line(&d, line, strlen(line));
		if (i == 50)	/* in the middle: not read */
			doc_add_line(&d, "发布日期：2019-05-05", strlen("发布日期：2019-05-05"));
	}
	doc_add_line(&d, "某某镇人民政府", strlen("某某镇人民政府"));
	doc_add_line(&d, "2024年1月17日", strlen("2024年1月17日"));
	doc_add_line(&d, "相关解读", strlen("相关解读"));
	meta_init(&m);
	meta_detect(&d, &m);
	CHECK_STR(m.published, "2024-01-17");
	CHECK_INT(m.year, 2023);
	meta_release(&m);
	doc_release(&d);
}

/* The text fixture as text_parse() reads it: the first line is the title, every line a line. */
static void test_fixture_longhu(void)
{
	size_t len = 0;
	char *text = t_slurp("", "longhu-2023.txt", &len);
	struct doc d;
	struct meta m;
	const char *p, *end;

	if (!CHECK(text != NULL))
		return;
	doc_init(&d);
	for (p = text, end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!d.title && n)
			d.title = xstrndup(p, n);
		doc_add_line(&d, p, n);
		p += n + 1;
	}
	meta_init(&m);
	meta_detect(&d, &m);
	CHECK_STR(m.organization, "晋江市龙湖镇人民政府");
	CHECK_STR(m.title, "晋江市龙湖镇人民政府关于2023年政府信息公开工作年度报告");
	CHECK_INT(m.year, 2023);
	CHECK_STR(m.published, "2024-01-17");
	CHECK_STR(meta_level_from_name(m.organization), "township");
	{
		char *parent = meta_parent_from_name(m.organization);

		CHECK_STR(parent, "晋江市");
		free(parent);
	}
	meta_release(&m);
	doc_release(&d);
	free(text);
}

/* The HTML fixture, its text between tags taken as lines (as html_parse() would). */
static void test_fixture_shanghai(void)
{
	size_t len = 0;
	char *html = t_slurp("", "shanghai-office-2019.html", &len);
	struct doc d;
	struct meta m;
	const char *t0, *t1, *p, *end;

	if (!CHECK(html != NULL))
		return;
	doc_init(&d);
	t0 = strstr(html, "<title>");
	t1 = t0 ? strstr(t0, "</title>") : NULL;
	if (CHECK(t0 && t1))
		d.title = xstrndup(t0 + 7, (size_t)(t1 - t0 - 7));
	for (p = t1 ? t1 : html, end = html + len; p < end;) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *gt;

		if (!lt)
			lt = end;
		doc_add_line(&d, p, (size_t)(lt - p));
		gt = lt < end ? memchr(lt, '>', (size_t)(end - lt)) : NULL;
		p = gt ? gt + 1 : end;
	}
	meta_init(&m);
	meta_detect(&d, &m);
	CHECK_STR(m.organization, "上海市人民政府办公厅");
	CHECK_STR(m.title, "2019年上海市人民政府办公厅政府信息公开工作年度报告");
	CHECK_INT(m.year, 2019);
	CHECK_STR(m.published, "2020-01-31");
	CHECK_STR(meta_level_from_name(m.organization), "department");
	{
		char *parent = meta_parent_from_name(m.organization);

		CHECK_STR(parent, "上海市");
		free(parent);
	}
	meta_release(&m);
	doc_release(&d);
	free(html);
}

/* The same, built by hand: a page <title> and the header lines. */
static void test_shanghai_by_hand(void)
{
	struct doc d;
	struct meta m;
	static const char *const lines[] = {
		"2019年上海市人民政府办公厅政府信息公开工作年度报告",
		"发布日期：2020-01-31",
		"本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的要求编制。"
		"本年度报告中所列数据统计期限从2019年1月1日到12月31日止。",
		"一、总体情况",
	};

	doc_init(&d);
	d.title = xstrdup("2019年上海市人民政府办公厅政府信息公开工作年度报告");
	d.from_html = 1;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		doc_add_line(&d, lines[i], strlen(lines[i]));
	meta_init(&m);
	meta_detect(&d, &m);
	CHECK_STR(m.organization, "上海市人民政府办公厅");
	CHECK_INT(m.year, 2019);
	CHECK_STR(m.published, "2020-01-31");
	meta_release(&m);
	doc_release(&d);
}

static void test_hostile(void)
{
	size_t n = 1 << 20;
	char *big = xmalloc(n + 1);
	struct doc d;
	struct meta m;

	/* A megabyte title, a megabyte line of digits and one of dates: bounded work, no crash. */
	memset(big, 'x', n);
	big[n] = '\0';
	doc_init(&d);
	d.title = xstrdup(big);
	memset(big, '2', n);
	doc_add_line(&d, big, n);
	for (size_t i = 0; i + 10 <= n; i += 10)
		memcpy(big + i, "2024-01-01", 10);
	doc_add_line(&d, big, n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(0x80 | (i & 0x3F));	/* continuation bytes only */
	doc_add_line(&d, big, n);
	for (int i = 0; i < 5000; i++)
		doc_add_line(&d, "发布日期：2024-01-01", strlen("发布日期：2024-01-01"));
	meta_init(&m);
	meta_detect(&d, &m);
	CHECK(m.organization == NULL);
	/* no year but the publication's, a year before it: a weak guess, and said so */
	CHECK_INT(m.year, 2023);
	CHECK_INT(m.year_from, RSRC_SIGNATURE);
	CHECK_STR(m.published, "2024-01-01");
	meta_release(&m);
	doc_release(&d);

	/* Names: NULL, empty, invalid, huge. */
	CHECK(meta_level_from_name(NULL) == NULL);
	CHECK(meta_level_from_name("") == NULL);
	CHECK(meta_parent_from_name(NULL) == NULL);
	CHECK(meta_parent_from_name("") == NULL);
	CHECK(meta_parent_from_name("\xFF\xFE") == NULL);
	memset(big, 'a', n);
	memcpy(big + n - 15, "镇人民政府", 15);	/* a township's suffix, on a name too long */
	big[n] = '\0';
	CHECK(meta_level_from_name(big) == NULL);
	CHECK(meta_parent_from_name(big) == NULL);
	free(big);
}

static void test_levels(void)
{
	static const struct {
		const char *name, *level;
	} t[] = {
		{ "晋江市龙湖镇人民政府", "township" },
		{ "龙湖镇", "township" },
		{ "青阳街道办事处", "township" },
		{ "晋江市青阳街道", "township" },
		{ "某某街道办", "township" },
		{ "某某乡人民政府", "township" },
		{ "某某镇政府", "township" },
		{ "某某苏木", "township" },
		{ " 晋江市\xE3\x80\x80龙湖镇人民政府 ", "township" },
		{ "沭阳县人民政府", "county" },
		{ "浦东新区人民政府", "county" },
		{ "沭阳县政府", "county" },
		{ "鄂托克旗人民政府", "county" },
		{ "某某自治县人民政府", "county" },
		{ "沭阳县", "county" },
		{ "浦东新区", "county" },
		{ "福建省人民政府", "province" },
		{ "新疆维吾尔自治区人民政府", "province" },
		{ "上海市人民政府", "province" },
		{ "北京市", "province" },
		{ "泉州市人民政府", "city" },
		{ "延边朝鲜族自治州人民政府", "city" },
		{ "阿里地区行政公署", "city" },
		{ "晋江市", "city" },
		{ "沭阳县发展和改革局", "department" },
		{ "上海市人民政府办公厅", "department" },
		{ "晋江市人民政府办公室", "department" },
		{ "某某镇人民政府办公室", "department" },
		{ "晋江经济开发区管委会", "department" },
		{ "苏州工业园区", "department" },
		{ "泉州市发展和改革委员会", "department" },
		{ "晋江市政务服务中心", "department" },
		{ "晋江市人民法院", "department" },
		{ "晋江市公安局龙湖派出所", "department" },
		{ "国务院办公厅", "department" },
		{ "人民政府", NULL },
		{ "你好", NULL },
		{ "abc", NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char what[256];
		const char *got = meta_level_from_name(t[i].name);

		snprintf(what, sizeof(what), "level('%s') == %s, got %s", t[i].name,
			 t[i].level ? t[i].level : "NULL", got ? got : "NULL");
		t_check((!got && !t[i].level) || (got && t[i].level && !strcmp(got, t[i].level)),
			__FILE__, __LINE__, what);
	}
}

static void test_parents(void)
{
	static const struct {
		const char *name, *parent;
	} t[] = {
		{ "晋江市龙湖镇人民政府", "晋江市" },
		{ "沭阳县发展和改革局", "沭阳县" },
		{ "上海市人民政府办公厅", "上海市" },
		{ "泉州市晋江市龙湖镇人民政府", "晋江市" },
		{ "龙湖镇人民政府", NULL },
		{ "晋江市人民政府", NULL },
		{ "福建省晋江市人民政府", "福建省" },
		{ "上海市浦东新区人民政府", "上海市" },
		{ "浦东新区人民政府", NULL },
		{ "泉州市经济技术开发区管委会", "泉州市" },
		{ "晋江经济开发区管委会", NULL },
		{ "晋江市城市管理局", "晋江市" },
		{ "沭阳县住房和城乡建设局", "沭阳县" },
		{ "沭阳县市场监督管理局", "沭阳县" },
		{ "沭阳县乡村振兴局", "沭阳县" },
		{ "晋江市青阳街道办事处", "晋江市" },
		{ "青阳街道办事处", NULL },
		{ "中共晋江市委办公室", "晋江市" },
		{ "广州市海珠区人民政府", "广州市" },
		{ "福州市鼓楼区人民政府", "福州市" },
		{ "镇江市丹徒区人民政府", "镇江市" },
		{ "延边朝鲜族自治州延吉市人民政府", "延边朝鲜族自治州" },
		{ "新疆维吾尔自治区人民政府", NULL },
		{ "重庆市渝中区发展和改革委员会", "渝中区" },
		{ "江苏省宿迁市沭阳县人民政府", "宿迁市" },
		{ "晋江市公安局龙湖派出所", "晋江市" },
		{ "晋江市龙湖镇", "晋江市" },
		{ "国务院办公厅", NULL },
		{ "国家统计局", NULL },
		{ " 晋江市 龙湖镇人民政府", "晋江市" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char what[256];
		char *got = meta_parent_from_name(t[i].name);

		snprintf(what, sizeof(what), "parent('%s') == %s, got %s", t[i].name,
			 t[i].parent ? t[i].parent : "NULL", got ? got : "NULL");
		t_check((!got && !t[i].parent) || (got && t[i].parent && !strcmp(got, t[i].parent)),
			__FILE__, __LINE__, what);
		free(got);
	}
}

int main(void)
{
	RUN(test_table);
	RUN(test_windows);
	RUN(test_fixture_longhu);
	RUN(test_fixture_shanghai);
	RUN(test_shanghai_by_hand);
	RUN(test_hostile);
	RUN(test_levels);
	RUN(test_parents);
	meta_cleanup();
	return t_done(__FILE__);
}
