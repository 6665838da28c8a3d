/* crawler/lists.c and its readers, on invented snippets of each CMS family. */
#include "t.h"

#include "crawler/lists.h"
#include "util/gunzip.h"

static int read_page(const char *text, const char *url, const char *post, struct list_read *r)
{
	struct list_page p = { text, strlen(text), url, post };
	struct err e = ERR_INIT;

	lists_init(r);
	return lists_read(&p, NULL, r, &e);
}

static int has_report(const struct list_read *r, const char *url)
{
	for (size_t i = 0; i < r->links.reports.n; i++)
		if (!strcmp(r->links.reports.v[i].url, url))
			return 1;
	return 0;
}

static const char hanweb_page[] =
	"<html><head><meta name=\"ColumnName\" content=\"政府信息公开年报\"></head><body>"
	"<div id=\"2301\"><script type=\"text/xml\"><datastore>"
	"<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3"
	"&path=/&columnid=2301&unitid=9&webname=%E9%9D%92%E5%B1%B1&permissiontype=0\"></a>]]>"
	"</nextgroup><totalrecord>7</totalrecord><recordset>"
	"<record><![CDATA[<li><a href=\"/art/2024/1/15/art_2301_7.html\">青山县2023年政府信息公开"
	"工作年度报告</a></li>]]></record>"
	"<record><![CDATA[<li><a href=\"/art/2023/1/15/art_2301_6.html\" title=\"青山县2022年政府"
	"信息公开工作年度报告\">青山县2022年...</a></li>]]></record>"
	"<record><![CDATA[<li><a href=\"/art/2023/1/1/art_2301_5.html\">通知</a></li>]]></record>"
	"</recordset></datastore></script>"
	"<script>$('#2301').jpage({dataStore: dataStore, perPage: 3, col: 1, "
	"sourceContentType: '1', proxyUrl: '/module/web/jpage/dataproxy.jsp'});</script>"
	"</div></body></html>";

static void test_hanweb_page(void)
{
	struct list_read r;

	CHECK(!read_page(hanweb_page, "http://q.test/col/col2301/index.html", NULL, &r));
	CHECK_STR(r.family, "datastore");
	CHECK(has_report(&r, "http://q.test/art/2024/1/15/art_2301_7.html"));
	CHECK(has_report(&r, "http://q.test/art/2023/1/15/art_2301_6.html"));
	CHECK_INT(r.links.reports.n, 2);
	CHECK_INT(r.next.n, 2);
	if (r.next.n == 2) {
		CHECK_STR(r.next.v[0].url, "http://q.test/module/web/jpage/dataproxy.jsp?"
					   "startrecord=4&endrecord=6&perpage=3");
		CHECK_STR(r.next.v[1].url, "http://q.test/module/web/jpage/dataproxy.jsp?"
					   "startrecord=7&endrecord=7&perpage=3");
		CHECK_STR(r.next.v[0].body, "col=1&appid=1&webid=3&path=%2F&columnid=2301&"
					    "sourceContentType=1&unitid=9&webname=%E9%9D%92%E5%B1%B1&"
					    "permissiontype=0");
	}
	CHECK(r.problem == NULL);
	lists_release(&r);
}

static void test_hanweb_proxy_answer(void)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><totalrecord>7</totalrecord>"
		"<recordset><record><![CDATA[<li><a href=\"/art/2021/1/9/art_2301_4.html\">青山县"
		"2020年政府信息公开工作年度报告</a></li>]]></record></recordset></datastore>";
	static const char endless[] =
		"<datastore><recordset><record><![CDATA[<a href=\"/a1.html\">x</a>]]></record>"
		"<record><![CDATA[<a href=\"/a2.html\">y</a>]]></record></recordset></datastore>";
	struct list_read r;

	CHECK(!read_page(xml, "http://q.test/module/web/jpage/dataproxy.jsp?startrecord=4&"
			      "endrecord=6&perpage=3", "col=1", &r));
	CHECK(has_report(&r, "http://q.test/art/2021/1/9/art_2301_4.html"));
	CHECK_INT(r.next.n, 0);	/* the page asked for every block */
	lists_release(&r);
	/* no total: a full block asks for the next one, with the same body */
	CHECK(!read_page(endless, "http://q.test/module/web/jpage/dataproxy.jsp?startrecord=3&"
				  "endrecord=4&perpage=2", "col=1&columnid=9", &r));
	CHECK_INT(r.next.n, 1);
	if (r.next.n == 1) {
		CHECK_STR(r.next.v[0].url, "http://q.test/module/web/jpage/dataproxy.jsp?"
					   "startrecord=5&endrecord=6&perpage=2");
		CHECK_STR(r.next.v[0].body, "col=1&columnid=9");
	}
	lists_release(&r);
}

static void test_hanweb_hostile(void)
{
	static const char huge[] =
		"<script type=\"text/xml\"><datastore><totalrecord>1000000000</totalrecord>"
		"<recordset><record><![CDATA[<a href=\"/a.html\">a</a>]]></record></recordset>"
		"</datastore></script><script>var o = {columnid: 5, unitid: 2, perpage: 1};"
		"var u = '/module/web/jpage/dataproxy.jsp';</script>";
	static const char broken[] =
		"<script type=\"text/xml\"><datastore><recordset><record><![CDATA[<a href=\"/b.html\""
		">青山县2021年政府信息公开工作年度报告</a>]]></record><record><![CDATA[<a href=\"/c";
	static const char noblock[] =
		"<html><script src=\"/module/web/jpage/jpage.js\"></script><a href=\"/x.html\">"
		"青山县2019年政府信息公开工作年度报告</a></html>";
	struct list_read r;

	CHECK(!read_page(huge, "http://q.test/col/col5/index.html", NULL, &r));
	CHECK_INT(r.next.n, LISTS_MAX_REQUESTS);
	CHECK_INT(r.requests_cut, 1000000000 - 1 - LISTS_MAX_REQUESTS);
	lists_release(&r);
	CHECK(!read_page(broken, "http://q.test/col/col5/index.html", NULL, &r));
	CHECK(has_report(&r, "http://q.test/b.html"));
	CHECK(r.problem && strstr(r.problem, "malformed"));
	lists_release(&r);
	CHECK(!read_page(noblock, "http://q.test/col/col5/index.html", NULL, &r));
	CHECK(has_report(&r, "http://q.test/x.html"));	/* its plain links, read all the same */
	CHECK(r.problem && strstr(r.problem, "without a data block"));
	lists_release(&r);
}

/* An older Hanweb site: /module/jpage/dataproxy.jsp, its settings as a JSON-like object. */
static void test_hanweb_older(void)
{
	static const char page[] =
		"<script type=\"text/xml\"><datastore><totalrecord>3</totalrecord><recordset>"
		"<record><![CDATA[<a href=\"/art/2024/art_ab12.html\">某县2023年政府信息公开工作年度报告"
		"</a>]]></record></recordset></datastore></script><script>var cfg = {\"columnid\":"
		"\"77\", \"unitid\": \"5\", \"webname\": \"某县\", \"perpage\": \"1\"};"
		"var url = '/module/jpage/dataproxy.jsp';</script>";
	struct list_read r;

	CHECK(!read_page(page, "http://o.test/col/col77/index.html", NULL, &r));
	CHECK(has_report(&r, "http://o.test/art/2024/art_ab12.html"));
	CHECK_INT(r.next.n, 2);
	if (r.next.n == 2) {
		CHECK_STR(r.next.v[0].url, "http://o.test/module/jpage/dataproxy.jsp?startrecord=2&"
					   "endrecord=2&perpage=1");
		CHECK_STR(r.next.v[0].body, "columnid=77&unitid=5&webname=%E6%9F%90%E5%8E%BF");
	}
	lists_release(&r);
}

static void test_trs_recordset(void)
{
	static const char page[] =
		"<html><body><ul><recordset><record><![CDATA[<li><a href=\"./202401/t20240115_9.html\">"
		"某县2023年政府信息公开工作年度报告</a></li>]]></record></recordset></ul>"
		"<a href=\"index_1.html\">下一页</a></body></html>";
	struct list_read r;

	CHECK(!read_page(page, "http://t.test/xxgk/ndbg/index.html", NULL, &r));
	CHECK_STR(r.family, "datastore");
	CHECK(has_report(&r, "http://t.test/xxgk/ndbg/202401/t20240115_9.html"));
	CHECK_INT(r.next.n, 1);	/* its html pagination, as a GET */
	if (r.next.n == 1) {
		CHECK_STR(r.next.v[0].url, "http://t.test/xxgk/ndbg/index_1.html");
		CHECK(r.next.v[0].body == NULL);
	}
	lists_release(&r);
}

static void test_json_api(void)
{
	static const char page1[] =
		"{\"articles\":[{\"title\":\"白沙县2023年政府信息公开工作年度报告\","
		"\"url\":\"http://b.test/gkmlpt/content/1/1/post_11.html\"},{\"title\":\"通知\","
		"\"url\":\"/gkmlpt/content/1/1/post_12.html\"}],\"total\":5,\"page\":1}";
	static const char huge[] = "{\"articles\":[],\"total_page\":1000000000}";
	struct list_read r;

	CHECK(!read_page(page1, "http://b.test/gkmlpt/api/all/2531?page=1&sid=757", NULL, &r));
	CHECK_STR(r.family, "json");
	CHECK(has_report(&r, "http://b.test/gkmlpt/content/1/1/post_11.html"));
	CHECK_INT(r.links.reports.n, 1);
	CHECK_INT(r.next.n, 2);	/* 5 items, 2 a page: pages 2 and 3 */
	if (r.next.n == 2)
		CHECK_STR(r.next.v[1].url, "http://b.test/gkmlpt/api/all/2531?page=3&sid=757");
	lists_release(&r);
	CHECK(!read_page(page1, "http://b.test/gkmlpt/api/all/2531?page=2&sid=757", NULL, &r));
	CHECK_INT(r.next.n, 0);
	lists_release(&r);
	CHECK(!read_page(huge, "http://b.test/gkmlpt/api/all/2531?sid=757", NULL, &r));
	CHECK_INT(r.next.n, LISTS_MAX_REQUESTS);
	CHECK_INT(r.requests_cut, 1000000000 - 1 - LISTS_MAX_REQUESTS);
	lists_release(&r);
	CHECK(!read_page("{\"articles\":[{\"title\":", "http://b.test/gkmlpt/api/all/1", NULL, &r));
	CHECK(r.problem && strstr(r.problem, "not JSON"));
	CHECK_INT(r.next.n, 0);
	lists_release(&r);
	CHECK(!read_page("{\"data\":[]}", "http://b.test/gkmlpt/api/all/1", NULL, &r));
	CHECK(r.problem && strstr(r.problem, "articles"));
	lists_release(&r);
}

static void test_vsb_pages(void)
{
	static const char page[] =
		"<html><body><ul><li><a href=\"info/1071/2345.htm\">云岭县2023年政府信息公开工作年度"
		"报告</a></li></ul><div>共3页 <a href=\"ndbg/2.htm\">下页</a> <a href=\"ndbg/1.htm\">"
		"尾页</a></div></body></html>";
	struct list_read r;

	CHECK(!read_page(page, "http://y.test/ndbg.htm", NULL, &r));
	CHECK_STR(r.family, "html");
	CHECK(has_report(&r, "http://y.test/info/1071/2345.htm"));
	CHECK_INT(r.next.n, 2);
	lists_release(&r);
}

static void test_sitemaps(void)
{
	static const char index[] =
		"<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
		"sitemap/0.9\"><sitemap><loc> http://s.test/a.xml.gz </loc></sitemap>"
		"<sitemap><loc>http://s.test/b.xml?x=1&amp;y=2</loc></sitemap></sitemapindex>";
	static const char urlset[] =
		"<urlset><url><loc>http://s.test/xxgk/ndbg/t1.htm</loc></url>"
		"<url><loc>http://s.test/xxgk/ndbg/</loc></url>"
		"<url><loc>http://s.test/xxgk/ndbg/index_2.htm</loc></url>"
		"<url><loc><![CDATA[http://s.test/f/r.pdf]]></loc></url></urlset>";
	struct list_read r;

	CHECK(!read_page(index, "http://s.test/sitemap_index.xml", NULL, &r));
	CHECK_STR(r.family, "sitemap");
	CHECK_INT(r.next.n, 2);
	if (r.next.n == 2) {
		CHECK_STR(r.next.v[1].url, "http://s.test/b.xml?x=1&y=2");
		CHECK(r.next.v[0].api && !r.next.v[0].body);
	}
	lists_release(&r);
	CHECK(!read_page(urlset, "http://s.test/sitemaps/a.xml", NULL, &r));
	CHECK_INT(r.links.reports.n, 2);	/* listing pages left to pagination */
	CHECK(has_report(&r, "http://s.test/xxgk/ndbg/t1.htm"));
	CHECK(r.links.reports.n == 2 && (r.links.reports.v[1].kind & LINK_ATTACHMENT));
	CHECK(r.problem == NULL);
	lists_release(&r);
	CHECK(!read_page("<urlset><url><loc>http://s.test/a.htm</loc>", "http://s.test/s.xml",
			 NULL, &r));
	CHECK(r.problem && strstr(r.problem, "cut short"));
	CHECK(has_report(&r, "http://s.test/a.htm"));
	lists_release(&r);
}

/* gzip members as sitemap.xml.gz holds them: bounded, damaged data refused. */
static void test_gunzip(void)
{
	/* "hello\n" gzipped (gzip -n), twice: two members */
	static const unsigned char gz[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd,
		0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00,
	};
	unsigned char two[sizeof(gz) * 2];
	char *out = NULL;
	size_t n = 0;

	CHECK(gunzip_sniff((const char *)gz, sizeof(gz)));
	CHECK(!gunzip_sniff("<?xml", 5));
	CHECK(!gunzip((const char *)gz, sizeof(gz), 100, &out, &n));
	CHECK_INT(n, 6);
	CHECK_STR(out, "hello\n");
	free(out);
	memcpy(two, gz, sizeof(gz));
	memcpy(two + sizeof(gz), gz, sizeof(gz));
	CHECK(!gunzip((const char *)two, sizeof(two), 100, &out, &n));
	CHECK_STR(out, "hello\nhello\n");
	free(out);
	CHECK(gunzip((const char *)gz, sizeof(gz), 3, &out, &n) == -1);	/* past max */
	CHECK(out == NULL);
	CHECK(gunzip((const char *)gz, sizeof(gz) - 9, 100, &out, &n) == -1);	/* cut short */
	two[12] ^= 0x55;
	CHECK(gunzip((const char *)two, sizeof(gz), 100, &out, &n) == -1);	/* damaged */
}

int main(void)
{
	RUN(test_sitemaps);
	RUN(test_gunzip);
	RUN(test_hanweb_page);
	RUN(test_hanweb_proxy_answer);
	RUN(test_hanweb_hostile);
	RUN(test_hanweb_older);
	RUN(test_trs_recordset);
	RUN(test_json_api);
	RUN(test_vsb_pages);
	return t_done(__FILE__);
}
