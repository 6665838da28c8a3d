#!/usr/bin/python3
"""fixture_server.py serving .htm pages as TRS-style CMS servers do: "text/html"
with no charset, so that the page's own <meta> says whether it is UTF-8 or GBK;
and answering the list APIs of the CMS families tests/gen/mkcms.py imitates.

Same arguments as fixture_server.py (tests/gen/mkcity.py writes GBK pages as
.htm; fixture_server.py alone would label them UTF-8, which no browser would
then read right either).  Besides the files:

  POST .../dataproxy.jsp?startrecord=S&endrecord=E&perpage=P   (Hanweb)
      form fields as the column page names them; columnid picks the data file
      <docroot>/_cms/dataproxy/<columnid>.json, whose "fields" must all be sent
      as they are (else 400).  Answers <datastore> XML with records S..E and
      <totalrecord>; "endless": full blocks of invented records for any range
      and no total; "malformed": XML cut off inside a record.
  GET /gkmlpt/api/all/<column>?page=N&sid=S                     (gkmlpt)
      <docroot>/_cms/gkmlpt/<column>.json; sid must be its "sid" (else 400).
      Answers {"articles": [...], "total", "page", "per_page"}; "claim_pages":
      a "total_page" of that many; "malformed": JSON cut off.
  GET /module/xxgk/xxgkAnnualReport.jsp?area=A&fbtime=Y        (Hanweb's module)
      the file <docroot>/_cms/annual/<A>/<Y>.html, as a file (validators, 304),
      logged under the path asked.
The two list APIs are logged like files (method POST for the dataproxy) and carry no
validators: a list is asked again every run.
"""
import json
import os
import re
import sys
import time
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_server  # noqa: E402

fixture_server.TYPES[".htm"] = "text/html"

ANNUAL_MODULE = "/module/xxgk/xxgkAnnualReport.jsp"
GKMLPT_API = re.compile(r"^/gkmlpt/api/all/(\d+)$")
_serve = fixture_server.Handler.handle_any


def data_file(handler, kind, key):
    if not re.match(r"^\d{1,12}$", key or ""):
        return None
    path = os.path.join(handler.docroot(), "_cms", kind, key + ".json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def answer(handler, status, text, ctype):
    handler.log_request_line(status)
    handler.send_simple(status, text.encode("utf-8"), ctype)


def first_int(q, name, default):
    try:
        return int(q.get(name, [default])[0])
    except ValueError:
        return default


def dataproxy(handler, query):
    form = parse_qs(handler.post_body())
    d = data_file(handler, "dataproxy", (form.get("columnid") or [""])[0])
    if d is None:
        return answer(handler, 404, "no such column\n", "text/plain; charset=utf-8")
    for k, v in d["fields"].items():
        if (form.get(k) or [""])[0] != v:
            return answer(handler, 400, "bad form field %s\n" % k, "text/plain; charset=utf-8")
    start, end = first_int(query, "startrecord", 1), first_int(query, "endrecord", 0)
    if start < 1 or end < start:
        return answer(handler, 400, "bad range\n", "text/plain; charset=utf-8")
    if d.get("endless"):
        recs = ['<li><a href="/art/2024/1/1/art_%s_%d.html">第%d条</a></li>' % (d["columnid"], i, i)
                for i in range(start, min(end, start + 99) + 1)]
        total = ""
    else:
        recs = d["records"][start - 1:end]
        total = "<totalrecord>%d</totalrecord>" % len(d["records"])
    xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore>%s<recordset>%s</recordset>'
           '</datastore>' % (total, "".join("<record><![CDATA[%s]]></record>" % r for r in recs)))
    if d.get("malformed"):
        xml = xml[:xml.find("<record>") + 40]
    return answer(handler, 200, xml, "text/xml; charset=utf-8")


def gkmlpt(handler, column, query):
    d = data_file(handler, "gkmlpt", column)
    if d is None:
        return answer(handler, 404, "{}", "application/json; charset=utf-8")
    if (query.get("sid") or [""])[0] != d["sid"]:
        return answer(handler, 400, '{"error": "bad sid"}', "application/json; charset=utf-8")
    page, per = max(first_int(query, "page", 1), 1), d["per_page"]
    out = {"articles": d["articles"][(page - 1) * per:page * per], "total": len(d["articles"]),
           "page": page, "per_page": per}
    if d.get("claim_pages"):
        out["total_page"] = d["claim_pages"]
    text = json.dumps(out, ensure_ascii=False)
    if d.get("malformed"):
        text = text[:len(text) // 2]
    return answer(handler, 200, text, "application/json; charset=utf-8")


def handle_any(self):
    split = urlsplit(self.path)
    if split.path == "/gkmlpt/index":  # gkmlpt's catalogue page has no extension
        self.path = "/gkmlpt/index.html" + ("?" + split.query if split.query else "")
        split = urlsplit(self.path)
    query = parse_qs(split.query)
    m = GKMLPT_API.match(split.path)
    if self.command == "POST" and split.path.endswith("/dataproxy.jsp"):
        self.t_arrival = time.time()
        return dataproxy(self, query)
    if self.command == "GET" and m:
        self.t_arrival = time.time()
        return gkmlpt(self, m.group(1), query)
    if self.command == "GET" and split.path == ANNUAL_MODULE:
        self.t_arrival = time.time()
        area, year = (query.get("area") or [""])[0], (query.get("fbtime") or [""])[0]
        if not (re.match(r"^\d{1,20}$", area) and re.match(r"^\d{4}$", year)):
            return answer(self, 404, "no such report\n", "text/plain; charset=utf-8")
        return self.serve_file("/_cms/annual/%s/%s.html" % (area, year))
    if self.command == "POST":
        self.t_arrival = time.time()
        return answer(self, 405, "no POST here\n", "text/plain; charset=utf-8")
    return _serve(self)


fixture_server.Handler.handle_any = handle_any

if __name__ == "__main__":
    fixture_server.main()
