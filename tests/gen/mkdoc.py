#!/usr/bin/python3
"""Writes annual reports as Word 97-2003 binary documents (.doc, as WPS saves them too).

usage: mkdoc.py OUTDIR [--hostile]

Writes OUTDIR/<case>.doc and OUTDIR/expected.json (tests/e2e/score.py's
format).  A .doc is an OLE2 compound file; its "WordDocument" stream holds a
File Information Block and the text, its "1Table" stream the piece table
(the Clx) that says where the text is.  Tables live in the text: each cell
ends with 0x07 and each row with one more; a cell merged from the row above
is an empty cell, as Word writes a vertical merge.  The writer here holds
what a reader needs (the FIB's ccpText and fcClx, one piece of UTF-16 text,
a mini stream for the small table stream), not everything Word writes.

--hostile writes files a reader must refuse without harm: a FAT whose chain
loops, a truncated file, an encrypted document, an OLE file without a Word
stream (an .xls, say), a Clx pointing past its stream.
Standard library and tests/gen (genreport, mkdocx's table layout) only.
"""
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genreport as g  # noqa: E402
from mkdocx import Tables, grid  # noqa: E402

SECTOR = 512
END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
TEXT_AT = 1024  # where the text starts in WordDocument, after the FIB


def table_text(cells, width, nrows):
    """A grid laid out as Word's text: cells ended by 0x07, rows by one more."""
    start = {(y, x): (rs, cs, t) for y, x, rs, cs, t in cells}
    below = {}
    for y, x, rs, cs, t in cells:
        for dy in range(1, rs):
            below[(y + dy, x)] = cs
    out = []
    for y in range(nrows):
        x = 0
        while x < width:
            if (y, x) in start:
                rs, cs, t = start[(y, x)]
                out.append(t + "\x07")
                x += cs
            elif (y, x) in below:
                out.append("\x07")  # a merged cell's continuation: an empty cell
                x += below[(y, x)]
            else:
                x += 1
        out.append("\x07")
    return "".join(out)


def report_text(v):
    org, year = v["organization"], v["year"]
    parts = ["%s%d年政府信息公开工作年度报告\r" % (org, year),
             "本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。\r" % (year, year),
             "一、总体情况\r%d年，%s全年共收到政府信息公开申请%d件。\r" % (year, org, v["t3"]["new"]["total"]),
             "二、主动公开政府信息情况\r"]
    for which, render in (("t2", g.render_t2), ("t3", g.render_t3), ("t4", g.render_t4)):
        if which == "t3":
            parts.append("三、收到和处理政府信息公开申请情况\r")
        if which == "t4":
            parts.append("四、政府信息公开行政复议、行政诉讼情况\r")
        p = Tables()
        p.feed(render(v, False))
        rows = p.tables[0]
        cells, width = grid(rows)
        parts.append(table_text(cells, width, len(rows)))
        parts.append("\r")
    parts.append("五、存在的主要问题及改进情况\r%s\r六、其他需要报告的事项\r无。\r%s\r" % (g.FILLER, org))
    return "".join(parts)


def fib(ccp, flags=0x0200):
    """A Word 97 File Information Block: wIdent, flags (1Table), ccpText, the Clx's place."""
    b = bytearray(TEXT_AT)
    struct.pack_into("<HH", b, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", b, 0x0A, flags)
    struct.pack_into("<H", b, 0x20, 14)            # csw: FibRgW of 14 words
    struct.pack_into("<H", b, 0x3E, 22)            # cslw: FibRgLw of 22 longs
    struct.pack_into("<I", b, 0x40 + 3 * 4, ccp)   # ccpText
    struct.pack_into("<H", b, 0x98, 93)            # cbRgFcLcb (Word 97)
    return b


def clx(ccp, fc=TEXT_AT):
    """A Clx of one piece: UTF-16 text (no fCompressed bit) at fc."""
    pcd = struct.pack("<HIH", 0, fc, 0)
    plc = struct.pack("<II", 0, ccp) + pcd
    return bytes([0x01]) + struct.pack("<H", 2) + b"\x00\x00" + bytes([0x02]) + struct.pack("<I", len(plc)) + plc


def word_streams(text, flags=0x0200, clx_fc=None):
    data = text.encode("utf-16-le")
    ccp = len(text)
    word = fib(ccp, flags)
    word += data
    word += b"\x00" * max(0, 4096 - len(word))  # long enough for regular sectors
    table = b"\x00" * 8 + clx(ccp, TEXT_AT if clx_fc is None else clx_fc)
    struct.pack_into("<II", word, 0x9A + 33 * 8, 8, len(table) - 8)  # fcClx, lcbClx
    return bytes(word), table


def cfb(streams, loop=False):
    """An OLE2 compound file: {name: bytes}; streams under 4096 bytes go to the mini stream."""
    names = list(streams)
    mini = b""
    ministart = {}
    for n in names:
        if len(streams[n]) < 4096:
            ministart[n] = len(mini) // 64
            mini += streams[n] + b"\x00" * (-len(streams[n]) % 64)
    sectors = []  # (kind, payload)

    def nsect(nbytes):
        return max(1, -(-nbytes // SECTOR))

    # layout: FAT, directory, mini FAT, mini stream, big streams
    ndir = nsect(128 * (len(names) + 1))
    nminifat = nsect(4 * max(1, len(mini) // 64))
    nmini = nsect(len(mini)) if mini else 0
    big = {n: nsect(len(streams[n])) for n in names if n not in ministart}
    total_data = ndir + nminifat + nmini + sum(big.values())
    nfat = 1
    while nfat * (SECTOR // 4) < total_data + nfat:
        nfat += 1
    fat = []
    pos = nfat

    def chain(count):
        nonlocal pos
        first = pos
        for i in range(count):
            fat.append(pos + i + 1 if i < count - 1 else END)
        pos += count
        return first

    fat.extend([FATSECT] * nfat)
    dir_start = chain(ndir)
    minifat_start = chain(nminifat)
    mini_start = chain(nmini) if nmini else END
    big_start = {n: chain(c) for n, c in big.items()}
    if loop:
        fat[big_start[names[0]]] = big_start[names[0]]  # a chain that points at itself
    fat += [FREE] * (nfat * SECTOR // 4 - len(fat))

    def entry(name, typ, start, size, child=0xFFFFFFFF, right=0xFFFFFFFF):
        e = bytearray(128)
        u = name.encode("utf-16-le")
        e[:len(u)] = u
        struct.pack_into("<HBB", e, 0x40, len(u) + 2, typ, 1)
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, right, child)
        struct.pack_into("<II", e, 0x74, start, size)
        return bytes(e)

    d = entry("Root Entry", 5, mini_start, len(mini), child=1)
    for i, n in enumerate(names):
        start = ministart[n] if n in ministart else big_start[n]
        d += entry(n, 2, start, len(streams[n]), right=i + 2 if i + 1 < len(names) else 0xFFFFFFFF)
    minifat = []
    for n in names:
        if n in ministart:
            k = -(-len(streams[n]) // 64)
            for i in range(k):
                minifat.append(ministart[n] + i + 1 if i < k - 1 else END)
    body = b"".join(struct.pack("<I", x) for x in fat)
    body += d + b"\x00" * (ndir * SECTOR - len(d))
    mf = b"".join(struct.pack("<I", x) for x in minifat)
    body += mf + b"\xff" * (nminifat * SECTOR - len(mf))
    body += mini + b"\x00" * (nmini * SECTOR - len(mini))
    for n in big:
        body += streams[n] + b"\x00" * (big[n] * SECTOR - len(streams[n]))
    h = bytearray(SECTOR)
    h[:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    struct.pack_into("<HHHHH", h, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", h, 0x2C, nfat, dir_start)
    struct.pack_into("<IIIII", h, 0x38, 4096, minifat_start, nminifat, END, 0)
    for i in range(109):
        struct.pack_into("<I", h, 0x4C + 4 * i, i if i < nfat else FREE)
    return bytes(h) + body


def write_doc(path, v, **kw):
    word, table = word_streams(report_text(v), **kw)
    with open(path, "wb") as f:
        f.write(cfb({"WordDocument": word, "1Table": table}))


def write_hostile(out):
    rng = random.Random(20261205)
    os.makedirs(out, exist_ok=True)
    v = g.make_report(rng, "鹿鸣县白鹭镇人民政府", 2023, "2021")
    word, table = word_streams(report_text(v))
    good = cfb({"WordDocument": word, "1Table": table})
    with open(os.path.join(out, "loop.doc"), "wb") as f:
        f.write(cfb({"WordDocument": word, "1Table": table}, loop=True))
    with open(os.path.join(out, "truncated.doc"), "wb") as f:
        f.write(good[:len(good) // 2])
    w2, t2 = word_streams(report_text(v), flags=0x0300)
    with open(os.path.join(out, "encrypted.doc"), "wb") as f:
        f.write(cfb({"WordDocument": w2, "1Table": t2}))
    with open(os.path.join(out, "workbook.xls"), "wb") as f:
        f.write(cfb({"Workbook": b"\x09\x08" + b"\x00" * 5000}))
    w3, t3 = word_streams(report_text(v), clx_fc=1 << 29)
    with open(os.path.join(out, "clx.doc"), "wb") as f:
        f.write(cfb({"WordDocument": w3, "1Table": t3}))


def write_reports(out):
    rng = random.Random(20261204)
    os.makedirs(out, exist_ok=True)
    files = {}
    for name, org, year, fmt, broken in (
            ("wps-2021.doc", "鹿鸣县白鹭镇人民政府", 2022, "2021", None),
            ("word-2019.doc", "海棠市柳岸街道办事处", 2020, "2019", None),
            ("broken-rowsum.doc", "鹿鸣县交通运输局", 2023, "2021", "T3-ROWSUM")):
        v = g.make_report(rng, org, year, fmt, broken=broken)
        write_doc(os.path.join(out, name), v)
        files[name] = {"organization": [org], "year": year, "format": fmt, "broken": broken,
                       "t2": v["t2"], "t3": v["t3"], "t4": v["t4"]}
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"about": "Word 97-2003 documents written by tests/gen/mkdoc.py", "files": files},
                  f, ensure_ascii=False, indent=1)


def main():
    if "--hostile" in sys.argv:
        write_hostile(sys.argv[1])
    else:
        write_reports(sys.argv[1])


if __name__ == "__main__":
    main()
