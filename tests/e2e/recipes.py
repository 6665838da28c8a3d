#!/usr/bin/python3
"""Runs the Python recipes of docs/reports.md and compares their totals.

usage: recipes.py DOC TOTALS
Runs each ```python block of DOC in the current directory (volumes.csv,
figures.csv, labels.csv and ogi.db made by the caller).  A block that
prints lines "YEAR NUMBER" (a pandas Series or plain print) must print
exactly the totals in TOTALS ("YEAR NEW" lines: ogi report compare's
(total) rows); the others must run without error and print something.
Prints what differs; exit 1 when anything does.
"""
import contextlib
import io
import re
import sys


def main():
    doc = open(sys.argv[1], encoding="utf-8").read()
    want = dict(line.split() for line in open(sys.argv[2]) if line.strip())
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    bad, totals = [], 0
    for i, code in enumerate(blocks):
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, "recipe %d" % i, "exec"), {})
        except Exception as e:  # noqa: BLE001 - any failure of a recipe is reported
            bad.append("recipe %d fails: %r" % (i, e))
            continue
        got = dict(m.groups() for m in re.finditer(r"^(\d{4})\s+(\d+)(?:\.0)?$", out.getvalue(), re.M))
        if got:
            totals += 1
            if got != want:
                bad.append("recipe %d prints %s, ogi report compare %s" % (i, got, want))
        elif not out.getvalue().strip():
            bad.append("recipe %d prints nothing" % i)
    if totals < 3:
        bad.append("%d recipes print totals, want 3 or more" % totals)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
