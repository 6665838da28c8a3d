#!/usr/bin/python3
"""Writes annual reports as Word documents (.docx) with known values.

usage: mkdocx.py OUTDIR
Writes OUTDIR/<case>.docx and OUTDIR/expected.json in the format of
tests/fixtures/shapes/expected.json ({"files": {name: {...}}}, scored by
tests/e2e/score.py), each entry with "broken": the rule broken on purpose,
or null.

The values come from tests/gen/genreport.py's report model.  Its tables are
rendered as HTML by genreport itself, then laid out on a grid and written
as real Word tables with python-docx: a colspan becomes w:gridSpan, a
rowspan w:vMerge (restart, then continue), so the t3 header's merged
cells and the vertically merged 三、本年度办理结果 and （三）不予公开 label
cells are Word merges.  Rows shorter than the grid (genreport's
（七）总计 row) keep fewer cells, as Word allows.  Labels are split over
runs, and long ones over two paragraphs, as Word saves them.

Cases: both formats; a title in docProps/core.xml or only in the first
paragraph; table 3 split in two after a paragraph (through the merged
label cell, as Word splits a table); the whole report inside a one-cell
layout table, its tables nested in it; one report per rule genreport can
break.  Needs python3-docx.
"""
import html.parser
import json
import os
import random
import sys

import docx
from docx.oxml.ns import qn
from docx.table import _Cell

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genreport as g  # noqa: E402


class Tables(html.parser.HTMLParser):
    """The tables of an HTML fragment: rows of (text, colspan, rowspan)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = [[], int(a.get("colspan", 1)), int(a.get("rowspan", 1))]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell:
            text = "".join(self.cell[0]).replace("\xa0", " ").strip()
            self.tables[-1][-1].append((text, self.cell[1], self.cell[2]))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0].append(data)


def grid(rows):
    """HTML table rows laid out as HTML does: [(row, col, rowspan, colspan, text)], width."""
    taken, cells, width = set(), [], 0
    for y, row in enumerate(rows):
        x = 0
        for text, cs, rs in row:
            while (y, x) in taken:
                x += 1
            rs = min(rs, len(rows) - y)
            cells.append((y, x, rs, cs, text))
            for dy in range(rs):
                for dx in range(cs):
                    taken.add((y + dy, x + dx))
            x += cs
            width = max(width, x)
    return cells, width


def put_text(cell, text):
    """Text as Word saves it: in two runs, and a long label's note in a paragraph of its own."""
    para = cell.paragraphs[0]
    head, note = text, ""
    k = text.find("（", 2)
    if len(text) > 12 and k > 0:
        head, note = text[:k], text[k:]
    if len(head) >= 4:
        half = len(head) // 2
        para.add_run(head[:half])
        para.add_run(head[half:])
    elif head:
        para.add_run(head)
    if note:
        cell.add_paragraph(note)


def cell_at(t, y, x):
    """t.cell(y, x) for a slot no merge covers yet, found in its row alone: python-docx's
    cell() lays out every cell of the table on each call (3.8 s of mkcity.py's 4.2)."""
    col = 0
    for tc in t._tbl.tr_lst[y].tc_lst:
        if col == x:
            return _Cell(tc, t)
        col += tc.grid_span
    raise IndexError("no cell starts at row %d, column %d" % (y, x))


def add_table(container, cells, nrows, width):
    """A Word table of nrows x width with these cells merged; uncovered slots at a row's end dropped."""
    t = container.add_table(rows=nrows, cols=width)
    t.style = "Table Grid"
    covered = set()
    for y, x, rs, cs, text in cells:
        c = cell_at(t, y, x)
        if rs > 1 or cs > 1:
            c = c.merge(cell_at(t, y + rs - 1, x + cs - 1))
        put_text(c, text)
        covered |= {(y + dy, x + dx) for dy in range(rs) for dx in range(cs)}
    for y, tr in enumerate(t._tbl.tr_lst):
        missing = [x for x in range(width) if (y, x) not in covered]
        if not missing:
            continue
        assert missing == list(range(width - len(missing), width)), "a gap inside a row"
        # python-docx gave every row the full grid: drop the slots HTML leaves empty.
        tcs = tr.findall(qn("w:tc"))
        span = 0
        for tc in tcs:
            gs = tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
            span += int(gs.get(qn("w:val"))) if gs is not None else 1
            if span > width - len(missing):
                tr.remove(tc)
    return t


def split_cells(cells, at):
    """Cells of grid rows [0, at) and [at, ...): a cell across the cut goes on, empty, below it."""
    top, bottom = [], []
    for y, x, rs, cs, text in cells:
        if y < at:
            top.append((y, x, min(rs, at - y), cs, text))
        if y + rs > at:
            y2 = max(y, at)
            bottom.append((y2 - at, x, y + rs - y2, cs, text if y >= at else ""))
    return top, bottom


def write_docx(path, v, core_title=None, split_t3=False, layout=False, seed=0):
    rng = random.Random(seed)
    org, year = v["organization"], v["year"]
    d = docx.Document()
    d.core_properties.title = core_title or ""
    body = d
    title = "%s%d年政府信息公开工作年度报告" % (org, year)
    body.add_paragraph(title)
    if layout:
        # The whole report in one cell of a layout table: its tables are nested ones.
        lt = d.add_table(rows=1, cols=1)
        body = lt.cell(0, 0)
        body.paragraphs[0].add_run("发布时间：%s" % v["published"])
    p = body.add_paragraph("本报告根据《中华人民共和国政府信息公开条例》要求编制。")
    p.runs[0].add_break()
    p.add_run("一、总体情况")
    body.add_paragraph("%d年，%s%s全年共收到政府信息公开申请%d件。"
                       % (year, org, g.FILLER, v["t3"]["new"]["total"]))
    body.add_paragraph("二、主动公开政府信息情况")
    for which, render in (("t2", g.render_t2), ("t3", g.render_t3), ("t4", g.render_t4)):
        if which == "t3":
            body.add_paragraph("三、收到和处理政府信息公开申请情况")
        if which == "t4":
            body.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
        parser = Tables()
        parser.feed(render(v, False))
        rows = parser.tables[0]
        cells, width = grid(rows)
        if which == "t3" and split_t3:
            at = next(y for y, row in enumerate(rows) if row and row[0][0] == "（四）无法提供")
            top, bottom = split_cells(cells, at)
            add_table(body, top, at, width)
            body.add_paragraph("（续表）")
            add_table(body, bottom, len(rows) - at, width)
        else:
            add_table(body, cells, len(rows), width)
    body.add_paragraph("五、存在的主要问题及改进情况")
    for _ in range(rng.randint(1, 3)):
        body.add_paragraph(g.FILLER)
    body.add_paragraph("六、其他需要报告的事项")
    body.add_paragraph("无。")
    d.add_paragraph(org)
    d.add_paragraph(v["published"].replace("-", "年", 1).replace("-", "月", 1) + "日")
    d.save(path)


def entry(v, broken):
    return {"organization": [v["organization"]], "year": v["year"], "status": "complete",
            "format": v["format"], "broken": broken,
            "t2": v["t2"], "t3": v["t3"], "t4": v["t4"]}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261203)
    files = {}

    def add(name, v, broken=None, **kw):
        write_docx(os.path.join(out, name), v, seed=len(files), **kw)
        files[name] = entry(v, broken)

    v = g.make_report(rng, "晋江市东石镇人民政府", 2023, "2021")
    add("merged-2021.docx", v, core_title="晋江市东石镇人民政府2023年政府信息公开工作年度报告")
    v = g.make_report(rng, "晋江市金井镇人民政府", 2020, "2019")
    add("merged-2019.docx", v, core_title="文档1")
    v = g.make_report(rng, "晋江市英林镇人民政府", 2022, "2021")
    add("split-t3-2022.docx", v, split_t3=True)
    v = g.make_report(rng, "晋江市内坑镇人民政府", 2021, "2021")
    add("layout-nested-2021.docx", v, layout=True)
    for town, rule in (("灵源街道办事处", "T3-BALANCE"), ("新塘街道办事处", "T3-ROWSUM"),
                       ("梅岭街道办事处", "T3-OUTCOMES"), ("罗山街道办事处", "T4-BLOCK")):
        v = g.make_report(rng, "晋江市" + town, 2023, "2021", broken=rule)
        add("broken-%s.docx" % rule.lower(), v, broken=rule)

    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"about": "Word documents written by tests/gen/mkdocx.py from genreport's model",
                   "files": files}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
