#!/usr/bin/python3
"""Writes the generated pages of tests/e2e/test-reports.sh and what they hold.

usage: reports-data.py OUTDIR

Six townships of 晋江市 over 2019-2023 (2019 format before 2021), made with
tests/gen/genreport.py: OUTDIR/pages/*.html are ingested first, OUTDIR/newer/
*.html after them (a second report of a body and year, which must win).
Some body-years are left out (for "no report"), some break a rule on
purpose, one has blank zero cells, one lacks table 4, one lacks the 总计
column of table 3.  OUTDIR/model.json lists every page with its values (the
generator's own, keyed like tests/fixtures/expected.json: a blank cell is
null, a cell not on the page is left out), "order" (ingest order) and
"broken".  The checks compute every expected figure from these values.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gen"))
import genreport as g  # noqa: E402

TOWNS = ["东石镇", "安海镇", "金井镇", "英林镇", "内坑镇", "磁灶镇"]
YEARS = range(2019, 2024)
SKIP = {("安海镇", 2020), ("金井镇", 2022)}
BROKEN = {("东石镇", 2021): "T3-BALANCE", ("英林镇", 2022): "T3-ROWSUM",
          ("内坑镇", 2023): "T4-BLOCK", ("磁灶镇", 2020): "T3-OUTCOMES"}
BLANK_ZERO = {("磁灶镇", 2023)}
NO_T4 = {("金井镇", 2021)}
NO_TOTAL_COL = {("内坑镇", 2019)}
NEWER = ("英林镇", 2023)


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "pages"), exist_ok=True)
    os.makedirs(os.path.join(out, "newer"), exist_ok=True)
    rng = random.Random(4242)
    pages = []
    order = 0
    for ti, town in enumerate(TOWNS):
        org = "晋江市%s人民政府" % town
        prev = None
        for year in YEARS:
            if (town, year) in SKIP:
                prev = None
                continue
            fmt = "2021" if year >= 2021 else "2019"
            co = [prev["t3"]["carried_forward"][c] for c in g.T3_COLS[:6]] if prev else None
            key = (town, year)
            v = g.make_report(rng, org, year, fmt, scale=1 + ti, carried_over=co,
                              broken=BROKEN.get(key))
            kw = {}
            if key in BLANK_ZERO:
                kw["blank_zero"] = True
            if key in NO_T4:
                kw["missing"] = ("t4",)
            if key in NO_TOTAL_COL:
                kw["t3_cols"] = 6
            page = g.render_html(v, rng, 30, **kw)
            name = "t%d-%d.html" % (ti, year)
            with open(os.path.join(out, "pages", name), "w", encoding="utf-8") as f:
                f.write(page)
            e = dict(v)
            e["file"] = "pages/" + name
            e["broken"] = BROKEN.get(key)
            if key in BLANK_ZERO:
                e["t3"] = {r: {c: (None if x == 0 else x) for c, x in row.items()}
                           for r, row in v["t3"].items()}
            if key in NO_T4:
                e["t4"] = {}
            if key in NO_TOTAL_COL:
                e["t3"] = {r: {c: x for c, x in row.items() if c != "total"}
                           for r, row in v["t3"].items()}
            pages.append(e)
            prev = v
    # A second, later page for one body and year: ingested last, so the newest.
    for i, tag in enumerate(("newer",)):
        town, year = NEWER
        org = "晋江市%s人民政府" % town
        older = next(p for p in pages if p["organization"] == org and p["year"] == year)
        co = [older["t3"]["carried_over"][c] for c in g.T3_COLS[:6]]
        v = g.make_report(rng, org, year, "2021", scale=9, carried_over=co)
        name = "%s-%d.html" % (tag, year)
        with open(os.path.join(out, "newer", name), "w", encoding="utf-8") as f:
            f.write(g.render_html(v, rng, 30))
        e = dict(v)
        e["file"] = "newer/" + name
        e["broken"] = None
        pages.append(e)
    # pages/ is ingested in name order, then newer/
    pages.sort(key=lambda p: (p["file"].startswith("newer/"), p["file"]))
    for order, p in enumerate(pages):
        p["order"] = order
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump({"pages": pages}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
