#!/usr/bin/python3
"""Reads fixture_server.py's JSON request log for the crawl tests.

  serverlog.py LOG count [--host H] [--path RE] [--status N] [--inm] [--no-inm]
      prints how many requests match (RE: a Python regex searched in the path)
  serverlog.py LOG hosts           prints the distinct hosts, one a line
  serverlog.py LOG mingap --host H [--path RE]
      prints the smallest gap in seconds between two consecutive requests to H
      (a large number when there are fewer than two)
  serverlog.py LOG span --host H   prints last - first arrival time on H
  serverlog.py LOG spaced --host H --delay D [--path RE]
      exits 0 when the requests to H were spaced by D seconds, judged so
      that the machine's load cannot decide it: ogi spaces the starts of its
      requests by at least D on its own clock, but a request can reach the
      server late (a new connection, a busy CPU), which shortens the gap
      before the next one.  So: the n requests span at least (n - 2) D (a
      late first one shifts the span by less than D), and no gap is under
      D / 4 (requests not spaced at all arrive a millisecond or two apart).
      When it fails, prints n, the smallest gap and the span on stderr.
  serverlog.py LOG paths [--host H] prints the paths requested, in order
"""
import argparse
import json
import re
import sys


def load(path, a):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if getattr(a, "host", None) and r["host"] != a.host:
                continue
            if getattr(a, "path", None) and not re.search(a.path, r["path"]):
                continue
            if getattr(a, "status", None) is not None and r["status"] != a.status:
                continue
            if getattr(a, "inm", False) and "if-none-match" not in r["headers"]:
                continue
            if getattr(a, "no_inm", False) and "if-none-match" in r["headers"]:
                continue
            out.append(r)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("cmd", choices=["count", "hosts", "mingap", "span", "paths", "spaced"])
    ap.add_argument("--host")
    ap.add_argument("--path")
    ap.add_argument("--status", type=int)
    ap.add_argument("--inm", action="store_true")
    ap.add_argument("--no-inm", action="store_true")
    ap.add_argument("--delay", type=float)
    a = ap.parse_args()
    rs = load(a.log, a)
    if a.cmd == "count":
        print(len(rs))
    elif a.cmd == "hosts":
        for h in sorted({r["host"] for r in rs}):
            print(h)
    elif a.cmd == "paths":
        for r in rs:
            print(r["path"])
    elif a.cmd == "spaced":
        ts = sorted(r["t"] for r in rs)
        gaps = [b - x for x, b in zip(ts, ts[1:])]
        span = ts[-1] - ts[0] if ts else 0
        ok = len(ts) >= 3 and span >= (len(ts) - 2) * a.delay and min(gaps) >= a.delay / 4
        if not ok:
            print("    %d requests, smallest gap %.3f s, span %.3f s (delay %g s)"
                  % (len(ts), min(gaps) if gaps else 0, span, a.delay), file=sys.stderr)
        return 0 if ok else 1
    else:
        ts = sorted(r["t"] for r in rs)
        if a.cmd == "span":
            print("%.3f" % (ts[-1] - ts[0] if ts else 0))
        else:
            gaps = [b - x for x, b in zip(ts, ts[1:])]
            print("%.3f" % (min(gaps) if gaps else 1e9))


if __name__ == "__main__":
    sys.exit(main())
