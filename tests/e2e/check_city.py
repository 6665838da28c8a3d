#!/usr/bin/python3
"""Checks a warehouse crawled from tests/gen/mkcity.py's city against its expected.json.

  check_city.py DB EXPECTED.json
Each report published as a page must be stored once under its URL with its
body, level, parent, year and format, complete, its table-3 new total as
written; the attachment-only page must be a no_tables report noted
attachment_only with its PDF recorded; the PDF-only report must be a
recorded attachment noted as a report.  Prints each difference; exits 1
when there is any.
"""
import json
import sqlite3
import sys


def main():
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    exp = json.load(open(sys.argv[2], encoding="utf-8"))["reports"]
    diffs = []
    got = {}
    for row in db.execute(
            "SELECT r.location, b.name, b.level, p.name, r.year, r.format, r.status, "
            "(SELECT value FROM figures f WHERE f.report_id = r.id AND f.tbl = 3 "
            " AND f.row_key = 'new' AND f.col_key = 'total') "
            "FROM reports r JOIN bodies b ON b.id = r.body_id "
            "LEFT JOIN bodies p ON p.id = b.parent_id"):
        if row[0] in got:
            diffs.append("report stored twice: %s" % row[0])
        got[row[0]] = row[1:]
    notes = {r[0]: r[1:] for r in db.execute("SELECT url, kind, note FROM crawl_urls")}
    pages = 0
    for e in exp:
        url = e["url"]
        if e["published_as"] == "pdf_link":
            if notes.get(url) != ("attachment", "report"):
                diffs.append("%s: want a recorded report attachment, got %r" % (url, notes.get(url)))
            continue
        pages += 1
        g = got.get(url)
        if not g:
            diffs.append("%s %d: not stored (%s)" % (e["organization"], e["year"], url))
            continue
        want = (e["organization"], e["level"], e["parent"], e["year"])
        if g[:4] != want:
            diffs.append("%s: got %r, want %r" % (url, g[:4], want))
        if e["published_as"] == "attachment_only":
            if g[5] != "no_tables" or notes.get(url) != ("report", "attachment_only"):
                diffs.append("%s: want no_tables/attachment_only, got %r %r"
                             % (url, g[5], notes.get(url)))
            pdfs = [u for u, (k, _) in notes.items() if k == "attachment" and u.startswith(
                url.rsplit("/", 1)[0]) and u.endswith(".pdf")]
            if not pdfs:
                diffs.append("%s: its PDF attachment is not recorded" % url)
            continue
        if g[4] != e["format"] or g[5] != "complete":
            diffs.append("%s: format/status %r %r, want %r complete" % (url, g[4], g[5], e["format"]))
        if g[6] != e["t3_total_new"]:
            diffs.append("%s: t3 new total %r, want %r" % (url, g[6], e["t3_total_new"]))
    if len(got) != pages:
        diffs.append("%d reports stored, want %d" % (len(got), pages))
    for d in diffs:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
