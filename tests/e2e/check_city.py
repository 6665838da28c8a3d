#!/usr/bin/python3
"""Checks a warehouse crawled from tests/gen/mkcity.py's city against its expected.json.

  check_city.py DB EXPECTED.json
Every report of the city must be stored once, under the location it is
published at (its page; a file's URL when the column links the file), with
its body, level, parent and year, and as the way it is published says:
  page             complete, its table-3 new total as written, one source;
  file_link        a file the column links (PDF, DOCX or DOC: file_format):
                   complete, every value equal to the generator's
                   (expected.json "truth"), one source, an attachment;
  pdf_scan         a PDF without text: no_tables, reason image, its body and
                   year read from the link;
  attachment_only  a page that says "see the attachment": one report, two
                   sources, the PDF chosen (every value its truth), the page
                   no_tables and noted attachment_only;
  page_file        a page and a file of the same report: one report, two
                   sources, both read complete, the page chosen;
  image_page       a page whose tables are pictures (expected.json "pictures"): one
                   report, the page chosen, each picture one more source
                   reading nothing of its own; its figures read from the
                   pictures by OCR: every cell of the truth read, each one
                   accepted equal to the truth (none wrong), at least 95%
                   accepted, the others uncertain (the report partial), each
                   with the picture it was read in.
Prints each difference; exits 1 when there is any.
"""
import json
import sqlite3
import sys


def truth_cells(t):
    """{v_figures key: value} of a report's truth (t3 keys row/col, t2 and t4 row.col)."""
    cells = {}
    for tbl in ("t2", "t4"):
        cells.update(t[tbl])
    for row, cols in t["t3"].items():
        for col, v in cols.items():
            cells["%s/%s" % (row, col)] = v
    return cells


def pictures_differ(db, report_id, e, status, reason, src):
    """What is wrong with the report of a page of pictures (see above)."""
    url, pictures = e["url"], e["pictures"]
    want_src = sorted([(url, "page", 1, status)] + [(p, "attachment", 0, None) for p in pictures])
    bad = []
    if status not in ("complete", "partial") or reason is not None or src != want_src:
        bad.append("want its pictures read, got %r %r, sources %r" % (status, reason, src))
    figs = {k: (v, s, u, img) for k, v, s, u, img in db.execute(
        "SELECT v.key, v.value, v.state, f.uncertain, f.ocr_image FROM v_figures v "
        "JOIN figures f ON f.report_id = v.report_id AND f.tbl = v.tbl "
        "AND f.row_key = v.row_key AND f.col_key = v.col_key WHERE v.report_id = ?",
        (report_id,))}
    truth = truth_cells(e["truth"])
    accepted = uncertain = 0
    for k, want in sorted(truth.items()):
        v, state, unsure, img = figs.get(k, (None, "absent", 0, None))
        if state == "absent":
            bad.append("%s not read" % k)
        elif img not in pictures:
            bad.append("%s read from %r, not one of the pictures" % (k, img))
        elif unsure:
            uncertain += 1
        elif want is None and state != "blank" or want is not None and (
                state != "number" or abs(v - want) > 1e-6):
            bad.append("%s accepted as %s/%r, want %r" % (k, state, v, want))
        else:
            accepted += 1
    if accepted < 0.95 * len(truth) or (status == "partial") != (uncertain > 0):
        bad.append("%d of %d cells accepted, %d uncertain, status %s"
                   % (accepted, len(truth), uncertain, status))
    print("pictures: %d cells, %d accepted, %d uncertain" % (len(truth), accepted, uncertain),
          file=sys.stderr)
    return bad


def main():
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    exp = json.load(open(sys.argv[2], encoding="utf-8"))["reports"]
    diffs = []
    got = {}
    for row in db.execute(
            "SELECT r.location, b.name, b.level, p.name, r.year, r.format, r.status, r.reason, "
            "(SELECT value FROM figures f WHERE f.report_id = r.id AND f.tbl = 3 "
            " AND f.row_key = 'new' AND f.col_key = 'total'), r.id, r.organization_from "
            "FROM reports r JOIN bodies b ON b.id = r.body_id "
            "LEFT JOIN bodies p ON p.id = b.parent_id"):
        if row[0] in got:
            diffs.append("report stored twice: %s" % row[0])
        got[row[0]] = row[1:]
    notes = {r[0]: r[1:] for r in db.execute("SELECT url, kind, note FROM crawl_urls")}

    def sources(report_id):
        return sorted(db.execute("SELECT location, role, chosen, status FROM report_sources "
                                 "WHERE report_id = ?", (report_id,)))

    def values_differ(report_id, truth):
        figs = {k: (v, s) for k, v, s in db.execute(
            "SELECT key, value, state FROM v_figures WHERE report_id = ?", (report_id,))}
        bad = []
        for k, want in sorted(truth_cells(truth).items()):
            v, state = figs.get(k, (None, "absent"))
            if want is None and state != "blank" or want is not None and (
                    state != "number" or abs(v - want) > 1e-6):
                bad.append("%s %s/%r, want %r" % (k, state, v, want))
        return bad

    for e in exp:
        how, url = e["published_as"], e["url"]
        g = got.get(url)
        if not g:
            diffs.append("%s %d: not stored (%s)" % (e["organization"], e["year"], url))
            continue
        want = (e["organization"], e["level"], e["parent"], e["year"])
        if g[:4] != want:
            diffs.append("%s: got %r, want %r" % (url, g[:4], want))
        status, reason, total, rid = g[5], g[6], g[7], g[8]
        src = sources(rid)
        if how in ("page", "file_link", "page_file"):
            if g[4] != e["format"] or status != "complete":
                diffs.append("%s: format/status %r %r, want %r complete"
                             % (url, g[4], status, e["format"]))
            if total != e["t3_total_new"]:
                diffs.append("%s: t3 new total %r, want %r" % (url, total, e["t3_total_new"]))
        if how == "page" and src != [(url, "page", 1, "complete")]:
            diffs.append("%s: sources %r" % (url, src))
        if how == "file_link":
            if src != [(url, "attachment", 1, "complete")] or \
                    notes.get(url) != ("attachment", "report"):
                diffs.append("%s: sources %r, frontier %r" % (url, src, notes.get(url)))
            diffs += ["%s: %s" % (url, d) for d in values_differ(rid, e["truth"])]
        if how == "pdf_scan":
            if (status, reason, g[9]) != ("no_tables", "image", "link") or \
                    src != [(url, "attachment", 1, "no_tables")]:
                diffs.append("%s: want a scan read as no_tables/image named by its link, got "
                             "%r %r from %r, sources %r" % (url, status, reason, g[9], src))
        if how == "image_page":
            diffs += ["%s: %s" % (url, d) for d in pictures_differ(db, rid, e, status, reason, src)]
        if how == "attachment_only":
            want_src = sorted([(e["file_url"], "attachment", 1, "complete"),
                               (url, "page", 0, "no_tables")])
            if status != "complete" or src != want_src or \
                    notes.get(url) != ("report", "attachment_only") or \
                    notes.get(e["file_url"]) != ("attachment", "report"):
                diffs.append("%s: want the PDF chosen over the page, got %r, sources %r, "
                             "frontier %r %r" % (url, status, src, notes.get(url),
                                                 notes.get(e["file_url"])))
            diffs += ["%s: %s" % (url, d) for d in values_differ(rid, e["truth"])]
        if how == "page_file":
            want_src = sorted([(url, "page", 1, "complete"),
                               (e["file_url"], "attachment", 0, "complete")])
            if src != want_src:
                diffs.append("%s: want the page chosen, the file kept, sources %r" % (url, src))
    if len(got) != len(exp):
        diffs.append("%d reports stored, want %d" % (len(got), len(exp)))
    for d in diffs:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
