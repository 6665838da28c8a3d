#!/usr/bin/python3
"""Writes the generated test pages the e2e tests ingest, with their expected values.

usage: mkcases.py OUTDIR
Writes OUTDIR/<case>.html|.txt and OUTDIR/expected.json ({"reports": [...]}
with, per page, "file", the values, and "status" / "broken" where the case
expects them).  Cases: realistic government pages in UTF-8 and GBK, Word-
pasted tables with spans, full-width and padded numbers, blank zero cells,
2019 and 2021 formats, a flattened text copy, missing tables, a truncated
page, a 3-column table, and one page per rule broken on purpose.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genreport as g  # noqa: E402


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261126)
    reports = []

    def add(name, v, page, status="complete", broken=None, encoding="utf-8", blank_zero=False):
        with open(os.path.join(out, name), "wb") as f:
            f.write(page.encode(encoding))
        e = g.expected_entry(v, name)
        e["status"] = status
        e["broken"] = broken
        if blank_zero:
            for r in e["t3"].values():
                for c in r:
                    if r[c] == 0:
                        r[c] = None
        reports.append(e)

    v = g.make_report(rng, "晋江市东石镇人民政府", 2023, "2021")
    add("utf8-word-2021.html", v, g.render_html(v, rng, 50, word=True))
    v = g.make_report(rng, "晋江市安海镇人民政府", 2022, "2021")
    add("gbk-2021.html", v, g.render_html(v, rng, 45, word=True, charset="gbk"), encoding="gb18030")
    v = g.make_report(rng, "晋江市金井镇人民政府", 2020, "2019")
    add("gb2312-2019.html", v, g.render_html(v, rng, 40, word=False, charset="gb2312"), encoding="gb18030")
    v = g.make_report(rng, "晋江市英林镇人民政府", 2023, "2021")
    add("fullwidth-2021.html", v, g.render_html(v, rng, 40, numstyle="fullwidth"))
    v = g.make_report(rng, "晋江市内坑镇人民政府", 2023, "2021")
    add("padded-2021.html", v, g.render_html(v, rng, 40, numstyle="padded"))
    v = g.make_report(rng, "晋江市磁灶镇人民政府", 2021, "2021")
    add("blank-zero-2021.html", v, g.render_html(v, rng, 40, blank_zero=True), blank_zero=True)
    v = g.make_report(rng, "晋江市陈埭镇人民政府", 2023, "2021")
    add("text-2021.txt", v, g.render_text(v))
    # 2019 labels kept in a 2022 report: the format comes from the labels.
    v = g.make_report(rng, "晋江市西园街道办事处", 2022, "2019")
    add("old-labels-2022.html", v, g.render_html(v, rng, 40))

    for town, rule in (("灵源街道办事处", "T3-BALANCE"), ("新塘街道办事处", "T3-ROWSUM"),
                       ("梅岭街道办事处", "T3-OUTCOMES"), ("罗山街道办事处", "T4-BLOCK")):
        v = g.make_report(rng, "晋江市" + town, 2023, "2021", broken=rule)
        add("broken-%s.html" % rule.lower(), v, g.render_html(v, rng, 40), broken=rule)

    # Partial pages: statuses, never invented zeros.
    v = g.make_report(rng, "晋江市紫帽镇人民政府", 2023, "2021")
    add("no-t4.html", v, g.render_html(v, rng, 40, missing=("t4",)), status="partial")
    v = g.make_report(rng, "晋江市池店镇人民政府", 2023, "2021")
    add("truncated.html", v, g.render_html(v, rng, 40, truncate=True), status="partial")
    v = g.make_report(rng, "晋江市深沪镇人民政府", 2023, "2021")
    add("three-columns.html", v, g.render_html(v, rng, 40, t3_cols=3), status="partial")
    v = g.make_report(rng, "晋江市永和镇人民政府", 2023, "2021")
    add("no-tables.html", v, g.render_html(v, rng, 40, missing=("t2", "t3", "t4")), status="no_tables")

    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"reports": reports}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
