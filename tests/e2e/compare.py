#!/usr/bin/python3
"""Compares `ogi show --format json` output with an expected.json entry.

usage: compare.py SHOW.json EXPECTED.json FILE-NAME
Prints each difference and exits 1 when there is any.  Keys compared:
organization, year, format, published (when expected has it), and every
cell of t2, t3 and t4; null (blank) must be null, numbers equal.
For an expected partial/no_tables status, cells ogi left out are allowed
and every cell it did read must still be right.
"""
import json
import sys


def main():
    got = json.load(open(sys.argv[1], encoding="utf-8"))
    exp = next(r for r in json.load(open(sys.argv[2], encoding="utf-8"))["reports"]
               if r["file"] == sys.argv[3])
    diffs = []
    partial = exp.get("status", "complete") != "complete"
    if got.get("status") != exp.get("status", "complete"):
        diffs.append("status: got %r, want %r" % (got.get("status"), exp.get("status", "complete")))
    if partial:
        # A partly read page: every cell read must be right, the rest absent, never zero.
        exp = dict(exp)
        exp["t2"] = {k: v for k, v in exp["t2"].items() if k in got["t2"]}
        exp["t4"] = {k: v for k, v in exp["t4"].items() if k in got["t4"]}
        exp["t3"] = {r: {c: v for c, v in cols.items() if c in got["t3"].get(r, {})}
                     for r, cols in exp["t3"].items() if r in got["t3"]}
        if got.get("status") == "partial" and not got.get("missing"):
            diffs.append("partial report without 'missing'")
    for k in ("organization", "year", "format", "published"):
        if k == "format" and exp.get("status") == "no_tables":
            continue  # no labels, no format: ogi says unknown rather than guess
        if k in exp and got.get(k) != exp[k]:
            diffs.append("%s: got %r, want %r" % (k, got.get(k), exp[k]))
    for t in ("t2", "t4"):
        for k, v in exp[t].items():
            if k not in got[t]:
                diffs.append("%s.%s: missing, want %r" % (t, k, v))
            elif got[t][k] != v and not (isinstance(v, float) and abs(got[t][k] - v) < 1e-9):
                diffs.append("%s.%s: got %r, want %r" % (t, k, got[t][k], v))
        for k in got[t]:
            if k not in exp[t] and not k.endswith("_raw"):
                diffs.append("%s.%s: unexpected key" % (t, k))
    for row, cols in exp["t3"].items():
        for col, v in cols.items():
            g = got["t3"].get(row, {})
            if col not in g:
                diffs.append("t3.%s.%s: missing, want %r" % (row, col, v))
            elif g[col] != v:
                diffs.append("t3.%s.%s: got %r, want %r" % (row, col, g[col], v))
    for row in got["t3"]:
        if row not in exp["t3"]:
            diffs.append("t3.%s: unexpected row" % row)
    for d in diffs[:40]:
        print(d)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
