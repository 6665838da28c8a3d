#!/usr/bin/python3
"""Scores what `ogi ingest` read by OCR from a folder of pictures against its truth.

usage: ocr-score.py OGI DIR [--db PATH] [--jobs N] [--min-accepted VARIANT=PERCENT]...

DIR is tests/gen/mkimages.py's output (pictures, scanned PDFs and
expected.json).  Every file is ingested into one warehouse (--db, default
DIR/score.db, made afresh), then every cell of its truth is looked up in
figures:
  read           a figure was stored for the cell, read by OCR (ocr_conf set)
  accepted       read and not uncertain (the form's arithmetic or a high
                 confidence vouches for it)
  accepted_wrong accepted but not the truth: must be 0
Prints one line per quality level (variant) and a line per wrong accepted
cell; exits 1 when a cell was accepted wrong, a file did not read, or a
variant named with --min-accepted accepts less than PERCENT of its cells.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time


def truth_cells(e):
    """(table, row_key, col_key) -> value for every cell the picture shows."""
    out = {}
    for key, x in e["t2"].items():
        row, col = key.split(".", 1)
        out[(2, row, col)] = x
    for row, cols in e["t3"].items():
        for col, x in cols.items():
            out[(3, row, col)] = x
    for key, x in e["t4"].items():
        row, col = key.split(".", 1)
        out[(4, row, col)] = x
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ogi")
    ap.add_argument("dir")
    ap.add_argument("--db")
    ap.add_argument("--min-accepted", action="append", default=[])
    ap.add_argument("--jobs", type=int)
    args = ap.parse_args()
    exp = json.load(open(os.path.join(args.dir, "expected.json"), encoding="utf-8"))["files"]
    db = args.db or os.path.join(args.dir, "score.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    started = time.time()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    ing = subprocess.run([args.ogi, "--db", db, "--quiet", "ingest"] + jobs +
                         [os.path.join(args.dir, n) for n in sorted(exp)],
                         capture_output=True, text=True)
    seconds = time.time() - started
    if ing.returncode not in (0, 1):
        print("ogi ingest failed (%d): %s" % (ing.returncode, ing.stderr.strip()))
        return 1
    con = sqlite3.connect(db)
    by_variant = {}
    bad = 0
    for name in sorted(exp):
        e = exp[name]
        path = os.path.abspath(os.path.join(args.dir, name))
        row = con.execute("SELECT r.id, r.status FROM reports r JOIN report_sources rs "
                          "ON rs.report_id = r.id JOIN sources s ON s.id = rs.source_id "
                          "WHERE s.location = ?", (path,)).fetchone()
        v = by_variant.setdefault(e["variant"], {"files": 0, "cells": 0, "read": 0,
                                                 "accepted": 0, "wrong": 0, "uncertain": 0})
        v["files"] += 1
        cells = truth_cells(e)
        v["cells"] += len(cells)
        if not row:
            print("%s: no report" % name)
            bad += 1
            continue
        got = {(t, r, c): (x, st, unc, conf) for t, r, c, x, st, unc, conf in con.execute(
            "SELECT tbl, row_key, col_key, value, state, uncertain, ocr_conf FROM figures "
            "WHERE report_id = ?", (row[0],))}
        for cell, want in cells.items():
            if cell not in got or got[cell][3] is None:
                continue
            x, st, unc, conf = got[cell]
            v["read"] += 1
            if unc:
                v["uncertain"] += 1
                continue
            v["accepted"] += 1
            right = st == "number" and x is not None and abs(x - want) < 1e-6
            if not right:
                v["wrong"] += 1
                print("%s: t%d:%s/%s accepted as %r (%s, confidence %.0f), truth %r"
                      % (name, cell[0], cell[1], cell[2], x, st, conf, want))
    floors = dict(m.split("=", 1) for m in args.min_accepted)
    print("%-10s %5s %6s %8s %9s %14s" % ("variant", "files", "cells", "read%", "accepted%",
                                           "accepted_wrong"))
    for name in sorted(by_variant):
        v = by_variant[name]
        pct = lambda n: 100.0 * n / v["cells"] if v["cells"] else 0.0  # noqa: E731
        print("%-10s %5d %6d %7.1f%% %8.1f%% %14d" % (name, v["files"], v["cells"], pct(v["read"]),
                                                      pct(v["accepted"]), v["wrong"]))
        if v["wrong"]:
            bad += 1
        if name in floors and pct(v["accepted"]) < float(floors[name]):
            print("%s: %.1f%% accepted, under %s%%" % (name, pct(v["accepted"]), floors[name]))
            bad += 1
    print("%d files in %.1f s" % (len(exp), seconds))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
