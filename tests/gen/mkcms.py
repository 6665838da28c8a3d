"""The sample city's counties on the big CMS families, and its portal (mkcity.py --cms).

Invented from the public descriptions of each family (docs/crawl.md), not
copied from any site; every name and figure is made up.

  www.haibin.test/            the city's portal: a home page whose 政府信息公开
                              link leads to a catalogue (/xxgk/) that links the
                              city's column, a 乡镇（街道） list and a 部门 list
                              (one page per body, each linking its column) and
                              the three county sites below
  www.qingshan.test  青山县   Hanweb-like: /col/col<id>/index.html columns whose
                              first records sit in a <script type="text/xml">
                              <datastore>, the rest POSTed from
                              /module/web/jpage/dataproxy.jsp; the county and
                              three townships, a column each, inside one site
  www.baisha.test    白沙县   gkmlpt-like: a script-built /gkmlpt/index and a JSON
                              API /gkmlpt/api/all/<column>?page=N&sid=<site>
  www.yunling.test   云岭县   VSB-like: /xxgk/ndbg.htm, /xxgk/ndbg/<n>.htm lists,
                              /info/<col>/<id>.htm articles
  www.lingang.test   临港市   a county-level city under it (plain pages): its own
                              column and a town's
  www.meiling.test   梅岭县   on an Anhui-like disclosure platform: one page a
                              report, /XxgkAnnualReport/show/<id>.html; the
                              county's own linked from its catalogue, each
                              town's from its list /XxgkAnnualReport/index/<unit>.html

The Hanweb county's departments publish through Hanweb's information-disclosure
module instead of a column: its 部门信息公开 page is a table of departments by
year linking /module/xxgk/xxgkAnnualReport.jsp?area=<body code>&fbtime=<year>,
the newest link of a row naming the body, the others only their year (the
server answers those from _cms/annual/<area>/<year>.html).  One township of the
city (SITEMAP_ONLY) has a column no page links: only the sitemap names its
reports.

The list APIs are answered by tests/server/city_server.py from data files
the generator writes under each site's /_cms/ (never linked, never asked by
a crawl): _cms/dataproxy/<columnid>.json (the records, their form fields,
"endless" or "malformed" for hostile cases) and _cms/gkmlpt/<column>.json
(the articles, "sid", "per_page", "claim_pages", "malformed").  The city's
robots.txt names a sitemap index (/sitemap_index.xml) whose gzip sitemap lists
every report page of the city, and one (HIDDEN) that no column links.
"""
import gzip
import json
import os
import random

import genreport

QINGSHAN = "www.qingshan.test"
BAISHA = "www.baisha.test"
YUNLING = "www.yunling.test"
HOSTILE = "www.hostile.test"

# Hanweb: (short name, full name, level, column id, records a page)
HANWEB_BODIES = [
    ("青山县", "青山县人民政府", "county", 2301, 2),
    ("东岭镇", "青山县东岭镇人民政府", "township", 2411, 4),
    ("西河乡", "青山县西河乡人民政府", "township", 2412, 4),
    ("南关街道", "青山县南关街道办事处", "township", 2413, 4),
]
HANWEB_FIELDS = {"col": "1", "appid": "1", "webid": "31", "path": "/", "sourceContentType": "1",
                 "unitid": "8801", "webname": "青山县人民政府", "permissiontype": "0"}
# Hanweb's annual-report module: (full name, area code); the last MODULE_YEARS years
HANWEB_MODULE = [("青山县教育局", "331122001"), ("青山县财政局", "331122002")]
MODULE_YEARS = 3
MEILING = "www.meiling.test"
# the Anhui-like county and its towns: (short name, full name, level, unit id)
ANHUI_BODIES = [
    ("梅岭县", "梅岭县人民政府", "county", 3400),
    ("花溪镇", "梅岭县花溪镇人民政府", "township", 3401),
    ("石门乡", "梅岭县石门乡人民政府", "township", 3402),
]
LINGANG = "www.lingang.test"
# a county-level city under 海滨市: its name says 市, its catalogue (towns, no county) and the
# portal listing it say county
LINGANG_BODIES = [("临港市", "临港市人民政府", "county", "/xxgk/ndbg/"),
                  ("港口镇", "临港市港口镇人民政府", "township", "/xxgk/zj/gkz/ndbg/")]
# a township of the city whose column only the city's sitemap shows
SITEMAP_ONLY = ("青石镇", "海滨市青石镇人民政府", "/xxgk/zfxxgkzl/zjdgk/22/zfxxgkndbg/")
GKMLPT = ("白沙县", "白沙县人民政府", "county", 2531, "757", 4)
VSB = ("云岭县", "云岭县人民政府", "county", 1071, 4)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def page(title, body, metas=""):
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">%s<title>%s</title></head>'
            '<body>\n<div class="nav"><a href="/">首页</a></div>\n%s\n'
            '<div class="footer">版权所有</div></body></html>\n' % (metas, title, body))


def reports_of(rng, root, host, short, org, level, parent, years, url_of, page_kb, word):
    """Report pages of one body, written; (expected entries, [(url, title, date)] newest first)."""
    out, items, carried = [], [], None
    for k, year in enumerate(years):
        fmt = "2021" if year >= 2021 else "2019"
        v = genreport.make_report(rng, org, year, fmt, carried_over=carried)
        carried = [v["t3"]["carried_forward"][c] for c in genreport.T3_COLS[:6]]
        day = rng.randint(10, 28)
        date = "%d-01-%02d" % (year + 1, day)
        v["published"] = date
        url_path = url_of(year, day, k)
        html = genreport.render_html(v, rng, target_kb=page_kb, word=word, site=org)
        write(os.path.join(root, host, url_path.lstrip("/")), html)
        url = "http://%s%s" % (host, url_path)
        out.append({"organization": org, "level": level, "parent": parent, "year": year,
                    "format": fmt, "charset": "utf-8", "broken": None, "published_as": "page",
                    "url": url, "t3_total_new": v["t3"]["new"]["total"]})
        items.append((url_path, "%s%d年政府信息公开工作年度报告" % (short, year), date))
    items.reverse()
    return out, items


def hanweb_record(href, title, date):
    return ('<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>'
            % (href, title, title, date))


def hanweb_column(colid, column_name, site_name, items, perpage, fields):
    """A Hanweb column page: its first perpage records in a data block, jpage's settings."""
    recs = "".join("<record><![CDATA[%s]]></record>\n" % hanweb_record(*it) for it in items[:perpage])
    query = "&".join("%s=%s" % (k, fields[k]) for k in ("appid", "webid", "path", "unitid",
                                                        "webname", "permissiontype"))
    block = ('<div id="%d"><script type="text/xml"><datastore>\n'
             '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&%s'
             '&columnid=%d"></a>]]></nextgroup>\n<recordset>\n%s</recordset>\n'
             '</datastore></script></div>\n'
             '<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>\n'
             '<script>$(document).ready(function(){ $("#%d").jpage({ dataStore: dataStore,'
             ' proxyUrl: "/module/web/jpage/dataproxy.jsp", totalRecord: %d, perPage: %d,'
             ' col: %s, sourceContentType: "%s" }); });</script>\n'
             % (colid, query, colid, recs, colid, len(items), perpage, fields["col"],
                fields["sourceContentType"]))
    metas = ('<meta name="SiteName" content="%s"><meta name="ColumnName" content="%s">'
             '<meta name="ColumnType" content="信息公开">' % (site_name, column_name))
    return page("%s %s" % (column_name, site_name), block, metas)


def dataproxy_data(colid, items, fields, perpage, **extra):
    d = {"columnid": str(colid), "perpage": perpage, "fields": fields,
         "records": [hanweb_record(*it) for it in items]}
    d.update(extra)
    return d


def build_hanweb(root, years, rng, page_kb, word):
    host = os.path.join(root, QINGSHAN)
    reports, town_links = [], []
    for short, org, level, colid, perpage in HANWEB_BODIES:
        parent = "海滨市" if level == "county" else "青山县"

        def url_of(year, day, k, colid=colid):
            return "/art/%d/1/%d/art_%d_%d.html" % (year + 1, day, colid, 50000 + colid * 10 + k)
        r, items = reports_of(rng, root, QINGSHAN, short, org, level, parent, years, url_of,
                              page_kb, word)
        reports += r
        fields = dict(HANWEB_FIELDS, columnid=str(colid))
        write(os.path.join(host, "col", "col%d" % colid, "index.html"),
              hanweb_column(colid, "政府信息公开年报", "青山县人民政府", items, perpage, fields))
        write(os.path.join(host, "_cms", "dataproxy", "%d.json" % colid),
              json.dumps(dataproxy_data(colid, items, fields, perpage), ensure_ascii=False))
        if level == "township":
            # the township's disclosure page inside the county's site
            write(os.path.join(host, "col", "col%d" % (colid - 100), "index.html"),
                  page("%s 信息公开 青山县人民政府" % short,
                       '<ul class="gk"><li><a href="/col/col%d/index.html">政府信息公开指南</a></li>'
                       '<li><a href="/col/col%d/index.html">政府信息公开年报</a></li></ul>'
                       % (colid + 500, colid),
                       '<meta name="SiteName" content="青山县人民政府">'
                       '<meta name="ColumnName" content="%s">' % short))
            town_links.append('<li><a href="/col/col%d/index.html">%s</a></li>' % (colid - 100, short))
    write(os.path.join(host, "col", "col200", "index.html"),
          page("乡镇信息公开 青山县人民政府", '<ul>%s</ul>' % "".join(town_links),
               '<meta name="SiteName" content="青山县人民政府"><meta name="ColumnName" '
               'content="乡镇信息公开">'))
    # the departments' reports on the xxgk module: a row a department, a link a year
    rows, mod_years = [], years[-MODULE_YEARS:]
    for org, area in HANWEB_MODULE:
        r, items = reports_of(rng, root, QINGSHAN, org, org, "department", "青山县", mod_years,
                              lambda year, day, k, area=area:
                              "/_cms/annual/%s/%d.html" % (area, year),
                              page_kb, word)
        cells = []
        for i, e in enumerate(r[::-1]):  # newest first
            e["url"] = "http://%s/module/xxgk/xxgkAnnualReport.jsp?area=%s&fbtime=%d" % (
                QINGSHAN, area, e["year"])
            text = ("%s%d年政府信息公开工作年度报告" % (org, e["year"]) if i == 0
                    else "%d年度" % e["year"])
            cells.append('<td><a href="/module/xxgk/xxgkAnnualReport.jsp?area=%s&amp;fbtime=%d"'
                         ' target="_blank">%s</a></td>' % (area, e["year"], text))
        rows.append("<tr><td>%s</td>%s</tr>" % (org, "".join(cells)))
        reports += r
    write(os.path.join(host, "col", "col300", "index.html"),
          page("部门信息公开 青山县人民政府",
               '<table class="ndbg"><tr><th>单位</th><th colspan="%d">年度报告</th></tr>%s</table>'
               % (MODULE_YEARS, "".join(rows)),
               '<meta name="SiteName" content="青山县人民政府"><meta name="ColumnName" '
               'content="部门信息公开">'))
    write(os.path.join(host, "col", "col100", "index.html"),
          page("政府信息公开 青山县人民政府",
               '<ul><li><a href="/col/col2201/index.html">政府信息公开指南</a></li>'
               '<li><a href="/col/col2301/index.html">政府信息公开年报</a></li>'
               '<li><a href="/col/col200/index.html">乡镇信息公开</a></li>'
               '<li><a href="/col/col300/index.html">部门信息公开</a></li></ul>',
               '<meta name="SiteName" content="青山县人民政府"><meta name="ColumnName" '
               'content="政府信息公开">'))
    write(os.path.join(host, "index.html"),
          page("青山县人民政府", '<a href="/col/col100/index.html">政府信息公开</a>',
               '<meta name="SiteName" content="青山县人民政府">'))
    write(os.path.join(host, "robots.txt"), "User-agent: *\nDisallow: /_cms/\n")
    return reports


def build_gkmlpt(root, years, rng, page_kb, word):
    short, org, level, colid, sid, per_page = GKMLPT
    host = os.path.join(root, BAISHA)

    def url_of(year, day, k):
        return "/gkmlpt/content/%d/%d/post_%d.html" % (year - 2000, colid, 700000 + k)
    reports, items = reports_of(rng, root, BAISHA, short, org, level, "海滨市", years, url_of,
                                page_kb, word)
    arts = [{"id": 700000 + i, "title": "%s" % t, "url": "http://%s%s" % (BAISHA, u),
             "display_publish_time": d} for i, (u, t, d) in enumerate(items)]
    write(os.path.join(host, "_cms", "gkmlpt", "%d.json" % colid),
          json.dumps({"sid": sid, "per_page": per_page, "articles": arts}, ensure_ascii=False))
    write(os.path.join(host, "gkmlpt", "index.html"),
          page("白沙县人民政府 政府信息公开目录",
               '<script>window._CONFIG = { SID: "%s", ROOT: "/gkmlpt/" };</script>\n'
               '<div id="app"></div><noscript><ul class="tree">'
               '<li><a href="/gkmlpt/index#2530">政府信息公开指南</a></li>'
               '<li><a href="/gkmlpt/index#%d">政府信息公开年报</a></li>'
               '<li><a href="/gkmlpt/index#2532">法定主动公开内容</a></li></ul></noscript>\n'
               '<script src="/gkmlpt/static/js/app.js"></script>' % (sid, colid),
               '<meta name="SiteName" content="白沙县人民政府">'))
    write(os.path.join(host, "index.html"),
          page("白沙县人民政府", '<a href="/gkmlpt/index">政府信息公开</a>',
               '<meta name="SiteName" content="白沙县人民政府">'))
    write(os.path.join(host, "robots.txt"), "User-agent: *\nDisallow: /_cms/\n")
    return reports


def build_vsb(root, years, rng, page_kb, word):
    short, org, level, col, per_page = VSB
    host = os.path.join(root, YUNLING)

    def url_of(year, day, k):
        return "/info/%d/%d.htm" % (col, 3100 + k)
    reports, items = reports_of(rng, root, YUNLING, short, org, level, "海滨市", years, url_of,
                                page_kb, word)
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)]
    n = len(pages)

    def name(i):  # VSB numbers the later pages downwards: ndbg.htm, ndbg/<n-1>.htm, ... ndbg/1.htm
        return "/xxgk/ndbg.htm" if i == 0 else "/xxgk/ndbg/%d.htm" % (n - i)
    for i, chunk in enumerate(pages):
        lis = "".join('<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>'
                      % (u, t, t, d) for u, t, d in chunk)
        pager = ['<span class="p_pages">']
        if i > 0:
            pager.append('<a href="%s">首页</a> <a href="%s">上页</a>' % (name(0), name(i - 1)))
        pager += ['<a href="%s">%d</a>' % (name(k), k + 1) for k in range(n)]
        if i < n - 1:
            pager.append('<a href="%s">下页</a> <a href="%s">尾页</a>' % (name(i + 1), name(n - 1)))
        pager.append("</span>")
        write(os.path.join(host, name(i).lstrip("/")),
              page("政府信息公开年报-云岭县人民政府",
                   '<ul class="list">%s</ul><div class="pb_sys_common">%s</div>'
                   % (lis, " ".join(pager)),
                   '<meta name="SiteName" content="云岭县人民政府">'
                   '<!-- Generated by VSB-like sample -->'))
    write(os.path.join(host, "xxgk.htm"),
          page("政府信息公开-云岭县人民政府",
               '<ul><li><a href="xxgk/zn.htm">政府信息公开指南</a></li>'
               '<li><a href="xxgk/ndbg.htm">政府信息公开年报</a></li></ul>',
               '<meta name="SiteName" content="云岭县人民政府">'))
    write(os.path.join(host, "index.htm"),
          page("云岭县人民政府", '<a href="xxgk.htm">政府信息公开</a>',
               '<meta name="SiteName" content="云岭县人民政府">'))
    write(os.path.join(host, "robots.txt"), "User-agent: *\nDisallow: /_cms/\n")
    return reports


def report_list(items):
    """A plain list of report links: items as reports_of() gives them."""
    return '<ul class="list">%s</ul>' % "".join(
        '<li><a href="%s" target="_blank">%s</a><span>%s</span></li>' % it for it in items)


def site_pages(host, site, sep, catalogue):
    """A plain site's home page, its 政府信息公开 catalogue /xxgk/ and its robots.txt."""
    meta = '<meta name="SiteName" content="%s">' % site
    write(os.path.join(host, "xxgk", "index.html"),
          page("政府信息公开%s%s" % (sep, site), catalogue, meta))
    write(os.path.join(host, "index.html"), page(site, '<a href="/xxgk/">政府信息公开</a>', meta))
    write(os.path.join(host, "robots.txt"), "User-agent: *\nDisallow: /_cms/\n")


def build_anhui(root, years, rng, page_kb, word):
    """The Anhui-like county: a page a report on its platform.  Returns (reports, columns)."""
    host = os.path.join(root, MEILING)
    reports, cols, towns, own = [], [], [], ""
    ids = iter(range(88001, 89000))
    for short, org, level, unit in ANHUI_BODIES:
        parent = "海滨市" if level == "county" else "梅岭县"
        r, items = reports_of(rng, root, MEILING, short, org, level, parent, years[-MODULE_YEARS:],
                              lambda year, day, k: "/XxgkAnnualReport/show/%d.html" % next(ids),
                              page_kb, word)
        reports += r
        if level == "county":
            # the county's own reports, straight from its catalogue: a report seed each
            own = '<h3>最新年报</h3>%s' % report_list(items)
            cols += [(e["url"], org) for e in r]
            continue
        lst = "/XxgkAnnualReport/index/%d.html" % unit
        if unit % 2 == 0:
            # a list that names only the years: the platform's URLs say they are reports
            items = [(u, "%s年度" % t[len(short):len(short) + 4], d) for u, t, d in items]
        write(os.path.join(host, lst.lstrip("/")),
              page("%s政府信息公开年报-梅岭县人民政府" % short, report_list(items),
                   '<meta name="SiteName" content="梅岭县人民政府">'))
        write(os.path.join(host, "xxgk", "xz", str(unit), "index.html"),
              page("%s-梅岭县人民政府" % short,
                   '<ul><li><a href="/xxgk/xz/%d/zn.html">政府信息公开指南</a></li>'
                   '<li><a href="%s">政府信息公开年报</a></li></ul>' % (unit, lst),
                   '<meta name="SiteName" content="梅岭县人民政府">'))
        towns.append('<li><a href="/xxgk/xz/%d/">%s</a></li>' % (unit, short))
        cols.append(("http://%s%s" % (MEILING, lst), org))
    write(os.path.join(host, "xxgk", "xz", "index.html"),
          page("乡镇政府信息公开-梅岭县人民政府", '<ul>%s</ul>' % "".join(towns),
               '<meta name="SiteName" content="梅岭县人民政府">'))
    site_pages(host, "梅岭县人民政府", "-",
               '<ul><li><a href="/xxgk/zn.html">政府信息公开指南</a></li>'
               '<li><a href="/xxgk/xz/">乡镇政府信息公开</a></li></ul>%s' % own)
    return reports, cols


def build_lingang(root, years, rng, page_kb, word):
    """The county-level city: plain pages, its own column and a town's.  (reports, columns)"""
    host = os.path.join(root, LINGANG)
    reports, cols = [], []
    ids = iter(range(5100, 5200))
    for short, org, level, col in LINGANG_BODIES:
        parent = "海滨市" if level == "county" else "临港市"
        r, items = reports_of(rng, root, LINGANG, short, org, level, parent, years[-MODULE_YEARS:],
                              lambda year, day, k, col=col: "%s%d01/t%d01%02d_%d.htm" % (
                                  col, year + 1, year + 1, day, next(ids)), page_kb, word)
        reports += r
        cols.append(("http://%s%s" % (LINGANG, col), org))
        write(os.path.join(host, col.strip("/"), "index.html"),
              page("政府信息公开年报_%s_临港市人民政府" % short, report_list(items),
                   '<meta name="SiteName" content="临港市人民政府">'))
    write(os.path.join(host, "xxgk", "zj", "gkz", "index.html"),
          page("港口镇_临港市人民政府", '<ul><li><a href="ndbg/">政府信息公开年报</a></li></ul>',
               '<meta name="SiteName" content="临港市人民政府">'))
    write(os.path.join(host, "xxgk", "zj", "index.html"),
          page("镇街信息公开_临港市人民政府", '<ul><li><a href="gkz/">港口镇</a></li></ul>',
               '<meta name="SiteName" content="临港市人民政府">'))
    site_pages(host, "临港市人民政府", "_",
               '<ul><li><a href="ndbg/">政府信息公开年报</a></li>'
               '<li><a href="zj/">镇街信息公开</a></li></ul>')
    return reports, cols


def build_sitemap_only(root, city_host, years, rng, page_kb, word):
    """SITEMAP_ONLY's column and reports, which no page links.  Returns its reports."""
    short, org, col = SITEMAP_ONLY
    ids = iter(range(2990100, 2990200))
    r, items = reports_of(rng, root, city_host, short, org, "township", "海滨市",
                          years[-MODULE_YEARS:],
                          lambda year, day, k: "%s%d01/t%d01%02d_%d.htm" % (col, year + 1, year + 1,
                                                                          day, next(ids)),
                          page_kb, word)
    write(os.path.join(root, city_host, col.strip("/"), "index.html"),
          page("%s政府信息公开年报-海滨市人民政府" % short, report_list(items),
               '<meta name="SiteName" content="海滨市人民政府">'))
    return r


def build_portal(root, city_host, bodies):
    """The city's home page and its 政府信息公开 catalogue, linking every body and county."""
    host = os.path.join(root, city_host)
    towns, depts = [], []
    for short, org, level, col, _style, _cs in bodies:
        if level == "county":
            continue
        body_dir = col.rstrip("/").rsplit("/", 1)[0] + "/"   # /xxgk/zfxxgkzl/zjdgk/16/
        link = short if level == "township" else org          # 东湖镇; 海滨市教育局
        (towns if level == "township" else depts).append('<li><a href="%s">%s</a></li>' % (body_dir, link))
        write(os.path.join(host, body_dir.strip("/"), "index.html"),
              page("%s信息公开_海滨市人民政府" % short,
                   '<div class="wz">当前位置：<a href="/xxgk/">政府信息公开</a> &gt; %s</div>'
                   '<ul><li><a href="zfxxgkzn/">政府信息公开指南</a></li>'
                   '<li><a href="%s">政府信息公开年报</a></li></ul>'
                   % (short, col[len(body_dir):]),
                   '<meta name="SiteName" content="海滨市人民政府">'))
    write(os.path.join(host, "xxgk", "zfxxgkzl", "zjdgk", "index.html"),
          page("乡镇（街道）信息公开_海滨市人民政府", '<ul>%s</ul>' % "".join(towns),
               '<meta name="SiteName" content="海滨市人民政府">'))
    write(os.path.join(host, "xxgk", "zfxxgkzl", "bmgk", "index.html"),
          page("部门信息公开_海滨市人民政府", '<ul>%s</ul>' % "".join(depts),
               '<meta name="SiteName" content="海滨市人民政府">'))
    write(os.path.join(host, "xxgk", "index.html"),
          page("政府信息公开_海滨市人民政府",
               '<ul><li><a href="/xxgk/zfxxgkzl/zfxxgkzn/">政府信息公开指南</a></li>'
               '<li><a href="/xxgk/zfxxgkzl/ndbg/">政府信息公开年报</a></li>'
               '<li><a href="/xxgk/zfxxgkzl/zjdgk/">乡镇（街道）信息公开</a></li>'
               '<li><a href="/xxgk/zfxxgkzl/bmgk/">部门信息公开</a></li></ul>'
               '<h3>县（区）政府信息公开</h3><ul>'
               '<li><a href="http://%s/">青山县</a></li><li><a href="http://%s/">白沙县</a></li>'
               '<li><a href="http://%s/">云岭县</a></li><li><a href="http://%s/">梅岭县</a></li>'
               '<li><a href="http://%s/">临港市</a></li></ul>'
               % (QINGSHAN, BAISHA, YUNLING, MEILING, LINGANG),
               '<meta name="SiteName" content="海滨市人民政府">'))
    # the footer links the province's portal, which discovery must leave alone
    write(os.path.join(host, "index.html"),
          page("海滨市人民政府门户网站",
               '<div class="nav"><a href="/xwzx/">新闻中心</a> <a href="/xxgk/">政府信息公开</a> '
               '<a href="/hdjl/">互动交流</a></div>'
               '<div class="links"><a href="http://www.shanhai.test/">东海省人民政府</a> '
               '<a href="http://www.gov.test/">中国政府网</a></div>',
               '<meta name="SiteName" content="海滨市人民政府">'))


# a report of 东湖镇 that its column no longer lists (2016: no year next to it, so no
# carry-over to check against 2019): only the city's sitemap names it
HIDDEN = ("东湖镇", "海滨市东湖镇人民政府", 2016, "/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/201701/t20170115_2999999.htm")


def build_sitemaps(root, city_host, city_reports, rng, page_kb, word, more=()):
    """The city's robots.txt names a sitemap index; its one sitemap (gzip) lists every report page,
    HIDDEN among them.  Returns HIDDEN's expected entry."""
    short, org, year, path = HIDDEN
    v = genreport.make_report(rng, org, year, "2019")
    write(os.path.join(root, city_host, path.lstrip("/")),
          genreport.render_html(v, rng, target_kb=page_kb, word=word, site="海滨市人民政府"))
    url = "http://%s%s" % (city_host, path)
    entry = {"organization": org, "level": "township", "parent": "海滨市", "year": year,
             "format": "2019", "charset": "utf-8", "broken": None, "published_as": "page",
             "url": url, "t3_total_new": v["t3"]["new"]["total"], "sitemap_only": True}
    locs = [e["url"] for e in list(city_reports) + list(more)
            if e["url"].startswith("http://%s/" % city_host)]
    locs += [url, "http://%s/xxgk/" % city_host, "http://%s/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/index_1.htm" % city_host]
    urlset = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n%s</urlset>\n'
              % "".join("<url><loc>%s</loc><lastmod>2025-01-20</lastmod></url>\n" % u for u in locs))
    os.makedirs(os.path.join(root, city_host, "sitemaps"), exist_ok=True)
    with open(os.path.join(root, city_host, "sitemaps", "xxgk.xml.gz"), "wb") as f:
        f.write(gzip.compress(urlset.encode("utf-8"), mtime=0))
    write(os.path.join(root, city_host, "sitemap_index.xml"),
          '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
          '<sitemap><loc>http://%s/sitemaps/xxgk.xml.gz</loc></sitemap>\n'
          '<sitemap><loc>http://www.shanhai.test/sitemap.xml</loc></sitemap>\n'
          '</sitemapindex>\n' % city_host)
    with open(os.path.join(root, city_host, "robots.txt"), "a", encoding="utf-8") as f:
        f.write("\nSitemap: http://%s/sitemap_index.xml\n" % city_host)
    return entry


def build_hostile(root, rng, page_kb, word):
    """A site of broken list APIs, for tests/e2e/test-crawl-cms.sh (not linked from the portal).

    Each list shows one good report first (坏站 2022 and 2023), which a crawl must keep."""
    host = os.path.join(root, HOSTILE)
    for year, path in ((2023, "/art/2024/1/15/art_9_1.html"), (2022, "/gkmlpt/content/1/1/post_1.html")):
        v = genreport.make_report(rng, "坏站县人民政府", year, "2021")
        write(os.path.join(host, path.lstrip("/")),
              genreport.render_html(v, rng, target_kb=page_kb, word=word, site="坏站县人民政府"))
    rec = [("/art/2024/1/15/art_9_1.html", "坏站县2023年政府信息公开工作年度报告", "2024-01-15")]
    fields = dict(HANWEB_FIELDS, columnid="9001")
    # a dataproxy that never ends: full blocks, no total
    write(os.path.join(host, "col", "col9001", "index.html"),
          hanweb_column(9001, "政府信息公开年报", "坏站", rec * 2, 2, fields).replace(
              "totalRecord: 2, ", ""))
    write(os.path.join(host, "_cms", "dataproxy", "9001.json"),
          json.dumps(dataproxy_data(9001, rec, fields, 2, endless=True), ensure_ascii=False))
    # a dataproxy whose answer is malformed XML
    fields2 = dict(HANWEB_FIELDS, columnid="9002")
    write(os.path.join(host, "col", "col9002", "index.html"),
          hanweb_column(9002, "政府信息公开年报", "坏站", rec * 3, 1, fields2))
    write(os.path.join(host, "_cms", "dataproxy", "9002.json"),
          json.dumps(dataproxy_data(9002, rec * 3, fields2, 1, malformed=True), ensure_ascii=False))
    # a column page that loads its list by script and holds no data block
    write(os.path.join(host, "col", "col9003", "index.html"),
          page("政府信息公开年报", '<div id="9003"></div><script src="/module/web/jpage/jpage.js">'
               '</script>'))
    # a JSON API that claims 10^9 pages, and one whose answer is not JSON
    arts = [{"title": "坏站县2022年政府信息公开工作年度报告", "url": "/gkmlpt/content/1/1/post_1.html"}]
    write(os.path.join(host, "_cms", "gkmlpt", "9004.json"),
          json.dumps({"sid": "1", "per_page": 10, "articles": arts, "claim_pages": 10 ** 9},
                     ensure_ascii=False))
    write(os.path.join(host, "_cms", "gkmlpt", "9005.json"),
          json.dumps({"sid": "1", "per_page": 10, "articles": arts, "malformed": True},
                     ensure_ascii=False))
    write(os.path.join(host, "robots.txt"), "User-agent: *\nDisallow: /_cms/\n")
    return ["http://%s/col/col%d/index.html" % (HOSTILE, c) for c in (9001, 9002, 9003)] + \
        ["http://%s/gkmlpt/api/all/%d?page=1&sid=1" % (HOSTILE, c) for c in (9004, 9005)]


def columns(city_host, bodies, anhui, module):
    """Every annual-report column (or module report page) a discovery from the portal must
    find: (URL, body)."""
    cols = [("http://%s%s" % (city_host, b[3]), b[1]) for b in bodies]
    cols.append(("http://%s%s" % (city_host, SITEMAP_ONLY[2]), SITEMAP_ONLY[1]))
    cols += anhui + [(e["url"], e["organization"]) for e in module]
    cols += [("http://%s/col/col%d/index.html" % (QINGSHAN, b[3]), b[1]) for b in HANWEB_BODIES]
    cols.append(("http://%s/gkmlpt/api/all/%d?page=1&sid=%s" % (BAISHA, GKMLPT[3], GKMLPT[4]),
                 GKMLPT[1]))
    cols.append(("http://%s/xxgk/ndbg.htm" % YUNLING, VSB[1]))
    return cols


def build(root, city_host, bodies, years, seed, page_kb, word, city_reports):
    """Everything --cms adds: (expected report entries, the "cms" entry of expected.json)."""
    rng = random.Random(seed * 1000 + 29)
    reports = build_hanweb(root, years, rng, page_kb, word)
    module = [e for e in reports if "/module/xxgk/" in e["url"]]
    reports += build_gkmlpt(root, years, rng, page_kb, word)
    reports += build_vsb(root, years, rng, page_kb, word)
    new, anhui = build_anhui(root, years, rng, page_kb, word)
    reports += new
    new, lingang = build_lingang(root, years, rng, page_kb, word)
    reports += new
    anhui += lingang
    build_portal(root, city_host, bodies)
    hostile = build_hostile(root, rng, page_kb, word)
    only = build_sitemap_only(root, city_host, years, rng, page_kb, word)
    reports += only
    reports.append(build_sitemaps(root, city_host, city_reports, rng, page_kb, word, only))
    cols = columns(city_host, bodies, anhui, module)
    return reports, {"portal": "http://%s/" % city_host,
                     "hosts": [QINGSHAN, BAISHA, YUNLING, MEILING, LINGANG],
                     "columns": [{"url": u, "organization": o} for u, o in cols],
                     "hostile": hostile, "hostile_host": HOSTILE}
