#!/usr/bin/python3
"""Generates a sample city's web site for ogi's crawler: TRS-style report columns.

Standard library only (run with /usr/bin/python3); pages come from
genreport.py (make_report, render_html), so their values are known.

  mkcity.py --out DIR [--seed N] [--years 2019-2024] [--page-kb 12] [--plain]
            [--per-page 4] [--hosts H --bodies-per-host B] [--no-faults]
            [--no-ocr] [--aggregate-column]

writes
  DIR/sites/<host>/...   one folder per virtual host, for
                         tests/server/city_server.py --root DIR/sites --vhosts
  DIR/seeds.tsv          the seeds (URL, organization, level, parent, scope, kind)
  DIR/expected.json      every report: body, year, format, URL, charset, how it is
                         published (page, file_link, pdf_scan, attachment_only,
                         page_file, image_page; file_format: pdf, docx, doc), the check it breaks (if any); for
                         those published as files, their URLs and the values
                         printed in them ("truth": t2, t3, t4)

The default is one made-up city, www.haibin.test (海滨市, a county-level city
laid out like 晋江市's site; every name and figure is invented):
the city government, six townships and sub-districts (镇/街道) and five
departments (局), each with a report column holding one report per year.
Columns paginate three ways: createPageHTML(n, ...) (TRS, townships),
numbered and 下一页/尾页 links (departments), and ?page=N (one
department).  Two bodies publish GBK pages, a few reports have broken
totals.  Reports come in the formats FORMATS gives each body and year:
most as report pages; one department (住建局) only as PDF files its column
links, one of them a scan (a PDF without a text layer: SCANNED); one
sub-district (城关街道) as pages that link a PDF of the same report; one
report page holds only a PDF attachment (ATTACHMENT_ONLY) and one listing
links straight to a PDF (PDF_LINK); one page shows its tables as pictures
(IMAGE_PAGE).  The PDFs are the generated pages printed by headless
Chromium (tests/gen/mkpdf.py), kept in a cache by the page's content
(--pdf-cache), so that the same city always has the same bytes.
With --no-ocr the scan is a PDF printed with its text and the page of
pictures a report page with its tables, and nothing else changes: a crawl
then reads nothing with OCR, which takes most of a crawl's time under the
sanitizers (for the crawl tests that test something else; test-crawl.sh
crawls the pictures and the scan).
robots.txt disallows /search/, which listing pages link to with a
report-like text, and every page links to reports on other hosts
(www.shanhai.test) that a crawl must not follow.

With --aggregate-column (not with --hosts) the city government also has a
column that lists its bodies' reports, as many counties do: links to pages
of five bodies' own columns (the city's own 2024 report among them) and the
pages of three bodies that have no column of their own, bodies mixed,
newest first, TRS pagination; its seed (the city government, county) comes
last in seeds.tsv, and expected.json gets "aggregate": {"seed",
"organization", "level", "parent", "scope", "reports" (URLs listed),
"bodies" (names)}. Each page there names its body, which is not the seed's.

With --cms the city also gets its portal (a home page and a 政府信息公开
catalogue linking every body's column and four county sites), and those
counties on the big CMS families: Hanweb (data block and POSTed dataproxy;
its annual-report module for the departments), Guangdong's gkmlpt (JSON
list API), VSB and Anhui's disclosure platform (tests/gen/mkcms.py); plus
a sitemap index that robots.txt names, whose gzip sitemap lists a
township's report its column no longer links and the reports of a
township whose column no page links; and www.hostile.test, list
APIs that never end, claim 10^9 pages or answer
malformed XML or JSON.  expected.json gets "cms": {"portal", "hosts",
"columns" (every report column, with its body), "hostile"}; seeds.tsv
stays the city's own, so `ogi seed discover` is what finds the rest.

With --hosts H --bodies-per-host B the generator writes a benchmark site
instead: hosts h0.test ... with B bodies each (no faults, all UTF-8), a
seed per body.
"""
import argparse
import base64
import io
import json
import os
import random
import struct
import sys
import tempfile
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genreport  # noqa: E402
import mkpdf  # noqa: E402

CITY = "海滨市"
CITY_HOST = "www.haibin.test"
OTHER_HOST = "www.shanhai.test"

# (short name, full name, level, column path, pagination style, charset)
BODIES = [
    ("海滨市", "海滨市人民政府", "county", "/xxgk/zfxxgkzl/ndbg/", "trs", "utf-8"),
    ("东湖镇", "海滨市东湖镇人民政府", "township", "/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/", "trs", "utf-8"),
    ("石桥镇", "海滨市石桥镇人民政府", "township", "/xxgk/zfxxgkzl/zjdgk/17/zfxxgkndbg/", "trs", "gbk"),
    ("南港镇", "海滨市南港镇人民政府", "township", "/xxgk/zfxxgkzl/zjdgk/18/zfxxgkndbg/", "trs", "utf-8"),
    ("北塘镇", "海滨市北塘镇人民政府", "township", "/xxgk/zfxxgkzl/zjdgk/19/zfxxgkndbg/", "trs", "utf-8"),
    ("西山镇", "海滨市西山镇人民政府", "township", "/xxgk/zfxxgkzl/zjdgk/20/zfxxgkndbg/", "trs", "utf-8"),
    ("城关街道", "海滨市城关街道办事处", "township", "/xxgk/zfxxgkzl/zjdgk/21/zfxxgkndbg/", "trs", "utf-8"),
    ("教育局", "海滨市教育局", "department", "/xxgk/zfxxgkzl/bmgk/jyj/ndbg/", "numbered", "utf-8"),
    ("公安局", "海滨市公安局", "department", "/xxgk/zfxxgkzl/bmgk/gaj/ndbg/", "numbered", "gbk"),
    ("财政局", "海滨市财政局", "department", "/xxgk/zfxxgkzl/bmgk/czj/ndbg/", "query", "utf-8"),
    ("自然资源局", "海滨市自然资源局", "department", "/xxgk/zfxxgkzl/bmgk/zrzyj/ndbg/", "numbered", "utf-8"),
    ("住建局", "海滨市住房和城乡建设局", "department", "/xxgk/zfxxgkzl/bmgk/zjj/ndbg/", "numbered", "utf-8"),
]

# (body short name, year) -> how the report is published or broken
BROKEN = {("南港镇", 2022): "T3-BALANCE", ("教育局", 2023): "T3-ROWSUM", ("北塘镇", 2020): "T4-BLOCK"}
ATTACHMENT_ONLY = ("自然资源局", 2021)   # the page says "see the attachment", a PDF
PDF_LINK = ("西山镇", 2019)              # the listing links straight to a PDF
SCANNED = ("住建局", 2020)               # its PDF is a scan: pictures of the tables, no text
IMAGE_PAGE = ("财政局", 2019)            # the page shows its tables as pictures

# The formats a body publishes a year's report in (default ("html",): a report
# page): ("pdf",) a file the column links (PDF, DOCX, or a Word 97 .doc);
# ("html", "pdf") the page and a file of the same report, linked from the
# page as its attachment.  Each file format has a writer in WRITERS.  Not
# with --no-faults: such a city has report pages only.
FORMATS = {
    "住建局": {y: ("pdf",) for y in range(2000, 2100)},
    "城关街道": {2023: ("html", "pdf"), 2024: ("html", "pdf")},
    PDF_LINK[0]: {PDF_LINK[1]: ("pdf",)},
    ATTACHMENT_ONLY[0]: {ATTACHMENT_ONLY[1]: ("attachment", "pdf")},
    "公安局": {2021: ("docx",)},
    "教育局": {2021: ("html", "docx")},
    "北塘镇": {2022: ("doc",)},
}

PDF_CACHE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                          "build", "pdf-cache"))

# --aggregate-column: the city government's column of its bodies' reports.
AGG_COLUMN = "/xxgk/zfxxgkzl/gkndbg/"
AGG_SCOPE = "/xxgk/zfxxgkzl/"
# bodies whose own report pages it links to, and which years (None: all)
AGG_LINKED = [("海滨市", (2024,)), ("东湖镇", None), ("南港镇", (2021, 2022, 2023)),
              ("教育局", (2022, 2023, 2024)), ("公安局", (2023, 2024))]
# bodies whose reports (the last three years) are published only there
AGG_ONLY = [("金井镇", "海滨市金井镇人民政府", "township"),
            ("龙湾街道", "海滨市龙湾街道办事处", "township"),
            ("卫生健康局", "海滨市卫生健康局", "department")]



def formats_of(short, year, faults):
    return FORMATS.get(short, {}).get(year, ("html",)) if faults else ("html",)


def png(width, height, pixel):
    """A greyscale PNG whose pixel(x, y) is 0-255."""
    raw = b"".join(b"\x00" + bytes(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def table_picture(rows, cols, seed):
    """A picture of a table as a scanner sees one: ruled cells, dark strokes for the text."""
    rng = random.Random(seed)
    w, h = 560, 24 * rows + 1
    ink = {(r, c): rng.randint(4, 40) for r in range(rows) for c in range(cols)}
    cw = w // cols

    def pixel(x, y):
        if y % 24 == 0 or x % cw == 0 or x == w - 1:
            return 40
        r, c = y // 24, min(x // cw, cols - 1)
        return 90 if 9 <= y % 24 <= 15 and 6 <= x % cw <= 6 + ink[(r, c)] else 250
    return png(w, h, pixel)


class Printer:
    """PDFs of generated pages, printed by headless Chromium (tests/gen/mkpdf.py).

    Chromium writes the time into every PDF, so a PDF is kept in the cache
    folder under the SHA-256 of the page it was printed from: the same city
    gets the same bytes (a second crawl finds them unchanged, two cities of
    one seed are alike), and only new pages cost a print.
    """

    def __init__(self, cache, image_cache=None):
        self.cache = cache
        self.printed = 0
        self.image_cache = image_cache
        self.images = None

    def picture(self, v, part):
        """A PNG of v's tables as tests/gen/mkimages.py shoots them (part: a key of its PARTS),
        from its cache (Chromium only for pictures not shot before)."""
        import mkimages
        if self.images is None:
            self.images = mkimages.Cache(self.image_cache or mkimages.default_cache())
        return self.images.picture(mkimages.page(v, "normal", part), "normal")

    def close(self):
        if self.images is not None:
            self.images.close()

    def pdf(self, html):
        data, printed = mkpdf.printed_pdf(html.encode("utf-8"), self.cache)
        self.printed += printed
        return data


def write_pdf(printer, v, scanned):
    """The PDF of report v: its page printed, or a scan of its tables (pictures, no text)."""
    rng = random.Random("pdf %s %d" % (v["organization"], v["year"]))
    if scanned:
        pics = "".join('<p><img src="data:image/png;base64,%s" style="width:90%%"></p>'
                       % base64.b64encode(table_picture(n, cols, "%s%d%d" % (v["organization"], v["year"], n))).decode()
                       for n, cols in ((12, 4), (16, 8), (6, 6)))
        return printer.pdf('<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
                           '<body style="margin:20px">%s</body></html>' % pics)
    return printer.pdf(genreport.render_html(v, rng, target_kb=8, word=True,
                                             site=CITY + "人民政府"))


def fixed_zip(data):
    """A zip's bytes again with every entry dated 2020-01-01: the same report, the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (2020, 1, 1, 0, 0, 0)),
                         src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_docx(printer, v, scanned):
    """The report as a Word .docx (python3-docx, tests/gen/mkdocx.py)."""
    import mkdocx  # python3-docx is needed only for cities with DOCX reports
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.docx")
        mkdocx.write_docx(path, v, seed=v["year"])
        with open(path, "rb") as f:
            return fixed_zip(f.read())


def write_doc(printer, v, scanned):
    """The report as a Word 97 .doc (tests/gen/mkdoc.py)."""
    import mkdoc
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.doc")
        mkdoc.write_doc(path, v)
        with open(path, "rb") as f:
            return f.read()


# A writer per file format: (printer, report values, scanned) -> bytes.
WRITERS = {"pdf": write_pdf, "docx": write_docx, "doc": write_doc}


def listing_item(href, title, text, date):
    return ('<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>'
            % (href, title, text, date))


def chrome_head(title, charset):
    return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=%s" />\n'
            '<meta name="SiteName" content="%s人民政府" />\n'
            '<title>%s</title>\n'
            '<script type="text/javascript" src="/images/jquery.min.js"></script>\n'
            '</head><body>\n'
            '<div class="top"><a href="javascript:void(0)">设为首页</a> | '
            '<a href="mailto:web@haibin.test">联系我们</a></div>\n'
            '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li>'
            '<li class="on"><a href="/xxgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li>'
            '</ul></div>\n' % (charset, CITY, title))


def chrome_foot():
    # Report-like links a crawl must not follow: another host, and robots.txt's /search/.
    return ('<div class="footer"><div class="links">'
            '<a href="http://%s/xxgk/ndbg/" target="_blank">山海市政府信息公开工作年度报告</a> '
            '<a href="http://%s/xxgk/ndbg/202401/t20240115_1.htm">山海市2023年政府信息公开工作年度报告</a> '
            '<a href="/search/?q=%%E5%%B9%%B4%%E5%%BA%%A6%%E6%%8A%%A5%%E5%%91%%8A">年度报告检索</a> '
            '<a href="/xxgk/zfgzbg/202501/t20250110_3100001.htm">2025年海滨市人民政府政府工作报告</a> '
            '<a href="http://www.gov.test/" target="_blank">中国政府网</a>'
            '</div><p>主办：%s人民政府办公室</p></div>\n</body></html>\n' % (OTHER_HOST, OTHER_HOST, CITY))


def pager_html(style, page, npages, base):
    """The pagination block of page number `page` (0-based) of a column."""
    if style == "trs":
        return ('<div class="page"><script type="text/javascript">\n'
                'var countPage = %d//共多少页\nvar currentPage = %d;//当前页\n'
                'createPageHTML(countPage, currentPage, "index", "htm");\n</script></div>\n'
                % (npages, page))
    if style == "numbered":
        def name(i):
            return "index.htm" if i == 0 else "index_%d.htm" % i
        parts = ['<a href="%s">%d</a>' % (name(i), i + 1) for i in range(npages)]
        if page > 0:
            parts.insert(0, '<a href="%s">上一页</a>' % name(page - 1))
        if page < npages - 1:
            parts.append('<a href="%s">下一页</a>' % name(page + 1))
            parts.append('<a href="%s">尾页</a>' % name(npages - 1))
        return '<div class="page">' + " ".join(parts) + "</div>\n"
    # "query": a dynamic list that takes ?page=N (the static server ignores it)
    parts = ['<a href="index.html?page=%d">%d</a>' % (i + 1, i + 1) for i in range(npages)]
    if npages > 1:
        parts.append('<a href="index.html?page=2">下一页</a>')
    return '<div class="page">' + " ".join(parts) + "</div>\n"


def write(path, text, charset):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text.encode("gb18030" if charset == "gbk" else "utf-8"))


def attachment_page(v, rng, pdf_name, charset):
    org, year = v["organization"], v["year"]
    title = "%s%d年政府信息公开工作年度报告" % (org, year)
    return (chrome_head(title + "_" + CITY + "人民政府", charset) +
            '<div class="main"><h1 class="title">%s</h1>'
            '<div class="info">发布时间：%s</div>'
            '<div class="TRS_Editor"><p>%s%d年政府信息公开工作年度报告详见附件。</p></div>'
            '<div class="fj"><p>附件：<a href="./%s" title="%s.pdf">%s.pdf</a></p></div></div>\n'
            % (title, v["published"], org, year, pdf_name, title, title) + chrome_foot())


def with_attachment(page, v, name):
    """A report page that also links a file of the same report (附件), as TRS pages do."""
    title = "%s%d年政府信息公开工作年度报告" % (v["organization"], v["year"])
    ext = name.rsplit(".", 1)[1]
    fj = ('<div class="fj"><p>附件：<a href="./%s" title="%s.%s">%s（%s版）.%s</a></p></div>'
          % (name, title, ext, title, ext.upper(), ext))
    return page.replace("<div class=\"footer\">", fj + "<div class=\"footer\">", 1)


def image_page(v, rng, charset, pictures):
    """A report page whose tables are pictures: its text, an <img> where each table would be."""
    page = genreport.render_html(v, rng, target_kb=12, charset=charset, word=True,
                                 missing=("t2", "t3", "t4"), site=CITY + "人民政府")
    for heading, name in zip(("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                              "四、政府信息公开行政复议、行政诉讼情况"), pictures):
        tag = '<p class="MsoNormal">%s</p>' % heading
        page = page.replace(tag, tag + '<p align="center"><img src="./%s" width="560" '
                            'border="0" /></p>' % name, 1)
    return page


def truth(v):
    """The values a reader must find in a file printed from v (zeros are written)."""
    return {"t2": dict(v["t2"]), "t3": {r: dict(c) for r, c in v["t3"].items()},
            "t4": dict(v["t4"])}


def build_body(out, host, body, years, rng, ids, per_page, page_kb, faults, word=True,
               printer=None, ocr=True):
    short, org, level, col, style, charset = body
    reports = []
    items = []
    carried = None
    fmt_of = lambda y: "2021" if y >= 2021 else "2019"
    for year in years:
        fmt = fmt_of(year)
        broken = BROKEN.get((short, year)) if faults else None
        v = genreport.make_report(rng, org, year, fmt, carried_over=carried, broken=broken)
        carried = [v["t3"]["carried_forward"][c] for c in genreport.T3_COLS[:6]]
        month = "%d01" % (year + 1)
        day = rng.randint(10, 28)
        date = "%d-01-%02d" % (year + 1, day)
        v["published"] = date
        ids[0] += 1
        title = "%s关于%d年政府信息公开工作年度报告" % (org, year)
        text = "%s%d年政府信息公开工作年度报告" % (short, year)
        entry = {"organization": org, "level": level, "parent": CITY if level != "county" else None,
                 "year": year, "format": fmt, "charset": charset, "broken": broken,
                 "published_as": "page"}
        formats = formats_of(short, year, faults)
        if len(formats) == 1 and formats[0] in WRITERS:
            # only a file, linked from the column
            ext = formats[0]
            name = "P0%d0120%09d.%s" % (year + 1, ids[0], ext)
            rel = "%s/%s" % (month, name)
            scanned = faults and ocr and (short, year) == SCANNED
            data = WRITERS[ext](printer, v, scanned)
            os.makedirs(os.path.join(out, host, col.strip("/"), month), exist_ok=True)
            with open(os.path.join(out, host, col.strip("/"), rel), "wb") as f:
                f.write(data)
            items.append(listing_item("./" + rel, title, text + "（%s版）" % ext.upper(), date))
            entry["published_as"] = "pdf_scan" if scanned else "file_link"
            entry["file_format"] = ext
            entry["file_url"] = "http://%s%s%s" % (host, col, rel)
            if not scanned:
                entry["truth"] = truth(v)
        else:
            rel = "%s/t%d01%02d_%d.htm" % (month, year + 1, day, 3000000 + ids[0])
            path = os.path.join(out, host, col.strip("/"), rel)
            files = [f for f in formats if f not in ("html", "attachment")]
            attached = "P0%d0118%09d.%s" % (year + 1, ids[0], files[0]) if files else None
            if "attachment" in formats:
                # the page says "see the attachment"
                write(path, attachment_page(v, rng, attached, charset), charset)
                entry["published_as"] = "attachment_only"
            elif faults and (short, year) == IMAGE_PAGE and not ocr:
                # a report page with its tables; the random stream goes on as after the
                # page of pictures, so that the rest of the city is the one with pictures
                pictures = ["W0%d0115%09d%d.png" % (year + 1, ids[0], k) for k in range(3)]
                image_page(v, rng, charset, pictures)
                write(path, genreport.render_html(v, random.Random("%s %d" % (org, year)),
                                                  target_kb=page_kb, charset=charset,
                                                  word=word, site=CITY + "人民政府"), charset)
            elif faults and (short, year) == IMAGE_PAGE:
                # Chromium's shots of its tables: table 2, table 3 split over two pictures
                # (the second with table 4), so that the pictures are read as one document
                pictures = ["W0%d0115%09d%d.png" % (year + 1, ids[0], k) for k in range(3)]
                os.makedirs(os.path.dirname(path), exist_ok=True)
                for name, part in zip(pictures, ("city1", "city2", "city3")):
                    with open(os.path.join(os.path.dirname(path), name), "wb") as f:
                        f.write(printer.picture(v, part))
                write(path, image_page(v, rng, charset, pictures), charset)
                entry["published_as"] = "image_page"
                entry["truth"] = truth(v)
                entry["pictures"] = ["http://%s%s%s/%s" % (host, col, month, n) for n in pictures]
            else:
                page = genreport.render_html(v, rng, target_kb=page_kb, charset=charset,
                                             word=word, site=CITY + "人民政府")
                if attached:
                    page = with_attachment(page, v, attached)
                    entry["published_as"] = "page_file"
                write(path, page, charset)
            if attached:
                data = WRITERS[files[0]](printer, v, False)
                with open(os.path.join(os.path.dirname(path), attached), "wb") as f:
                    f.write(data)
                entry["file_url"] = "http://%s%s%s/%s" % (host, col, month, attached)
                entry["file_format"] = files[0]
                entry["truth"] = truth(v)
            items.append(listing_item("./" + rel, title, text, date))
        entry["url"] = "http://%s%s%s" % (host, col, rel)
        entry["t3_total_new"] = v["t3"]["new"]["total"]
        reports.append(entry)
    items.reverse()  # newest first, as CMS columns list them
    write_column(out, host, col, short, style, charset, items, per_page)
    seed_url = "http://%s%s" % (host, col)
    return reports, seed_url


def write_column(out, host, col, short, style, charset, items, per_page):
    """The listing pages of a column holding items (<li> lines, in order)."""
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    if style == "query":
        # a dynamic list shows everything on its one file; ?page=N is asked for all the same
        pages = [items]
        npages_shown = 2
    else:
        npages_shown = len(pages)
    for i, chunk in enumerate(pages):
        title = "政府信息公开年报_%s_%s人民政府" % (short, CITY)
        html = (chrome_head(title, charset) +
                '<div class="wz">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政务公开</a> &gt; '
                '<a href="./">政府信息公开年报</a></div>\n'
                '<div class="left-menu"><h3>%s</h3><ul>'
                '<li><a href="../zfxxgkzn/">政府信息公开指南</a></li>'
                '<li class="on"><a href="./" title="政府信息公开年报">政府信息公开年报</a></li>'
                '<li><a href="../ysqgk/">依申请公开</a></li></ul></div>\n'
                '<div class="right-con"><ul class="list">\n%s\n</ul>\n%s</div>\n'
                % (short, "\n".join(chunk), pager_html(style, i, npages_shown, col)) +
                chrome_foot())
        name = "index.html" if style == "query" else ("index.htm" if i == 0 else "index_%d.htm" % i)
        write(os.path.join(out, host, col.strip("/"), name), html, charset)


def build_aggregate(out, years, reports, seed, per_page, page_kb, word):
    """The county's column of its bodies' reports (--aggregate-column).

    As on real county sites, the city government's 政府信息公开年报 column
    (AGG_COLUMN) lists reports of other bodies: pages of the bodies' own
    columns (AGG_LINKED, linked with "../" paths) and pages that exist only
    there (AGG_ONLY: bodies without a column of their own).  Each page names
    its body; the column's publisher is the city government.  Uses its own
    random generator, after everything else: the default city is unchanged.
    Returns the new reports (expected.json entries) and the "aggregate"
    entry of expected.json.
    """
    rng = random.Random(seed * 1000 + 17)
    listed = []  # (date, url, short, org, year)
    for short, want in AGG_LINKED:
        org = next(b[1] for b in BODIES if b[0] == short)
        for e in reports:
            if e["organization"] == org and (want is None or e["year"] in want) and \
                    e["published_as"] == "page":
                name = e["url"].rsplit("/", 1)[1]  # t20240117_3000005.htm
                date = "%s-%s-%s" % (name[1:5], name[5:7], name[7:9])
                listed.append((date, e["url"], short, org, e["year"]))
    new = []
    ids = 4000000
    for short, org, level in AGG_ONLY:
        carried = None
        for year in years[-3:]:
            fmt = "2021" if year >= 2021 else "2019"
            v = genreport.make_report(rng, org, year, fmt, carried_over=carried)
            carried = [v["t3"]["carried_forward"][c] for c in genreport.T3_COLS[:6]]
            day = rng.randint(10, 28)
            date = "%d-01-%02d" % (year + 1, day)
            v["published"] = date
            ids += 1
            rel = "%d01/t%d01%02d_%d.htm" % (year + 1, year + 1, day, ids)
            page = genreport.render_html(v, rng, target_kb=page_kb, word=word,
                                         site=CITY + "人民政府")
            write(os.path.join(out, CITY_HOST, AGG_COLUMN.strip("/"), rel), page, "utf-8")
            url = "http://%s%s%s" % (CITY_HOST, AGG_COLUMN, rel)
            new.append({"organization": org, "level": level, "parent": CITY, "year": year,
                        "format": fmt, "charset": "utf-8", "broken": None,
                        "published_as": "page", "url": url,
                        "t3_total_new": v["t3"]["new"]["total"]})
            listed.append((date, url, short, org, year))
    listed.sort(reverse=True)  # newest first, bodies mixed, as the CMS lists them
    base = "http://%s%s" % (CITY_HOST, AGG_COLUMN)
    items = []
    for date, url, short, org, year in listed:
        href = "./" + url[len(base):] if url.startswith(base) else \
            "../" + url[len("http://%s/xxgk/zfxxgkzl/" % CITY_HOST):]
        items.append(listing_item(href, "%s关于%d年政府信息公开工作年度报告" % (org, year),
                                  "%s%d年政府信息公开工作年度报告" % (short, year), date))
    write_column(out, CITY_HOST, AGG_COLUMN, CITY, "trs", "utf-8", items, per_page)
    agg = {"seed": base, "organization": CITY + "人民政府", "level": "county", "parent": None,
           "scope": AGG_SCOPE, "reports": [u for _, u, _, _, _ in listed],
           "bodies": sorted({org for _, _, _, org, _ in listed})}
    return new, agg


def robots_txt():
    return ("# robots.txt of the sample city\nUser-agent: *\nDisallow: /search/\n"
            "Disallow: /*.jsp$\n\nUser-agent: BadBot\nDisallow: /\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--years", default="2019-2024")
    ap.add_argument("--page-kb", type=int, default=12)
    ap.add_argument("--per-page", type=int, default=4)
    ap.add_argument("--hosts", type=int, default=0, help="benchmark site: this many hosts")
    ap.add_argument("--bodies-per-host", type=int, default=10)
    ap.add_argument("--plain", action="store_true",
                    help="plain <td> tables instead of Word's markup (pages of ~12 KB)")
    ap.add_argument("--no-faults", action="store_true",
                    help="no broken totals, attachment-only or PDF-only reports")
    ap.add_argument("--no-ocr", action="store_true",
                    help="no scan, no page of pictures: every report has its text")
    ap.add_argument("--aggregate-column", action="store_true",
                    help="add the city government's column of its bodies' reports, "
                         "and its seed (last)")
    ap.add_argument("--cms", action="store_true",
                    help="add the city's portal and three counties on other CMS families "
                         "(Hanweb, gkmlpt, VSB: tests/gen/mkcms.py) and a site of broken list "
                         "APIs; seeds.tsv stays the city's")
    ap.add_argument("--pdf-cache", default=os.environ.get("OGI_PDF_CACHE", PDF_CACHE),
                    help="folder of PDFs printed before, by the SHA-256 of their page "
                         "(default: build/pdf-cache, or $OGI_PDF_CACHE)")
    ap.add_argument("--image-cache", default=None,
                    help="folder of Chromium's pictures (tests/gen/mkimages.py's cache; default: "
                         "build/image-cache, or $OGI_IMAGE_CACHE)")
    args = ap.parse_args()
    y0, _, y1 = args.years.partition("-")
    years = list(range(int(y0), int(y1 or y0) + 1))
    rng = random.Random(args.seed)
    sites = os.path.join(args.out, "sites")
    os.makedirs(sites, exist_ok=True)
    ids = [0]
    reports, seeds = [], []
    agg = None
    printer = Printer(args.pdf_cache, args.image_cache)
    if args.hosts:
        for h in range(args.hosts):
            host = "h%d.test" % h
            for b in range(args.bodies_per_host):
                short = "第%d镇" % (b + 1)
                body = (short, "样本市%d区%s人民政府" % (h, short), "township",
                        "/xxgk/zjdgk/%d/ndbg/" % b, ("trs", "numbered")[b % 2], "utf-8")
                r, url = build_body(sites, host, body, years, rng, ids, args.per_page,
                                    args.page_kb, False, not args.plain)
                reports += r
                seeds.append((url, body[1], "township", "样本市%d区" % h, body[3], "listing"))
            with open(os.path.join(sites, host, "robots.txt"), "w") as f:
                f.write(robots_txt())
    else:
        for body in BODIES:
            r, url = build_body(sites, CITY_HOST, body, years, rng, ids, args.per_page,
                                args.page_kb, not args.no_faults, not args.plain, printer,
                                not args.no_ocr)
            reports += r
            seeds.append((url, body[1], body[2], CITY if body[2] != "county" else "",
                          body[3], "listing"))
        with open(os.path.join(sites, CITY_HOST, "robots.txt"), "w") as f:
            f.write(robots_txt())
        # the other host exists, so that a request to it would show in the server's log
        write(os.path.join(sites, OTHER_HOST, "xxgk", "ndbg", "index.html"),
              chrome_head("山海市", "utf-8") + "<p>另一个网站</p>" + chrome_foot(), "utf-8")
        write(os.path.join(sites, CITY_HOST, "search", "index.html"),
              chrome_head("检索", "utf-8") + "<p>检索</p>" + chrome_foot(), "utf-8")
        if args.aggregate_column:
            new, agg = build_aggregate(sites, years, reports, args.seed, args.per_page,
                                       args.page_kb, not args.plain)
            reports += new
            seeds.append((agg["seed"], agg["organization"], agg["level"], "", agg["scope"],
                          "listing"))
    with open(os.path.join(args.out, "seeds.tsv"), "w", encoding="utf-8") as f:
        f.write("# url\torganization\tlevel\tparent\tscope\tkind\n")
        for s in seeds:
            f.write("\t".join(s) + "\n")
    cms = None
    if args.cms and not args.hosts:
        import mkcms
        new, cms = mkcms.build(sites, CITY_HOST, BODIES, years, args.seed, args.page_kb,
                               not args.plain, reports)
        reports += new
    printer.close()
    expected = {"reports": reports, "seeds": len(seeds)}
    if agg:
        expected["aggregate"] = agg
    if cms:
        expected["cms"] = cms
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    pages = sum(len(fs) for _, _, fs in os.walk(sites))
    bodies = len({r["organization"] for r in reports})
    print("%d bodies, %d reports, %d files under %s (%d PDFs printed, the rest from %s)"
          % (bodies, len(reports), pages, sites, printer.printed, args.pdf_cache))


if __name__ == "__main__":
    main()
