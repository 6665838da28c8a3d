#!/usr/bin/python3
"""Reads a folder of report files with the real `ogi` and scores what it read
against the folder's expected.json ({"files": {name: {...}}}).

usage: score.py OGI DIR [--verbose] [--only NAME] [--skip NAME]...

For each file: `ogi ingest FILE` into a fresh warehouse, then
`ogi show --format json`, and compares
  - organization: one of the acceptable names (a list; [null] = no body);
  - year, and status / format where expected.json fixes them;
  - every cell expected.json lists (t2, t3, t4; null = a blank cell);
  - not_a_report: ogi must refuse the page.
Prints one line per file and a summary; exits 1 when anything differs.
"""
import json
import os
import subprocess
import sys
import tempfile


def show(ogi, path, tmp):
    db = os.path.join(tmp, "score.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    env = dict(os.environ, OGI_DB=db)
    ing = subprocess.run([ogi, "--quiet", "ingest", path], env=env,
                         capture_output=True, text=True)
    out = subprocess.run([ogi, "show", "1", "--format", "json"], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None, (ing.stdout + ing.stderr).strip().splitlines()[-1:] or ["no output"]
    return json.loads(out.stdout), None


def cells(exp):
    """(label, expected value, getter) for every cell expected.json lists."""
    for t in ("t2", "t4"):
        for k, v in exp.get(t, {}).items():
            yield "%s.%s" % (t, k), v, (lambda g, t=t, k=k: g.get(t, {}).get(k, "absent"))
    for row, cols in exp.get("t3", {}).items():
        for col, v in cols.items():
            yield ("t3.%s.%s" % (row, col), v,
                   lambda g, row=row, col=col: g.get("t3", {}).get(row, {}).get(col, "absent"))


def same(got, want):
    if got is None or want is None or got == "absent":
        return got == want
    return abs(float(got) - float(want)) < 1e-6


def main():
    ogi, folder = sys.argv[1], sys.argv[2]
    verbose = "--verbose" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    skip = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--skip"]
    files = json.load(open(os.path.join(folder, "expected.json"), encoding="utf-8"))["files"]
    nfiles = nright = nvals = nvals_right = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, exp in sorted(files.items()):
            if (only and only not in name) or any(k in name for k in skip):
                continue
            nfiles += 1
            got, why = show(ogi, os.path.join(folder, name), tmp)
            diffs = []
            vals = list(cells(exp))
            if exp.get("not_a_report"):
                if got is not None:
                    diffs.append("read as a report of %r, want none" % got.get("organization"))
                nright += not diffs
                print("%-4s %-45s %s" % ("ok" if not diffs else "FAIL", name, " ".join(diffs)))
                continue
            if got is None:
                diffs.append("not read: %s" % " ".join(why))
                got = {}
            orgs = exp.get("organization", [])
            if got and got.get("organization") not in orgs:
                diffs.append("organization %r, want one of %r" % (got.get("organization"), orgs))
            for k in ("year", "status", "format"):
                if k in exp and got and got.get(k) != exp[k]:
                    diffs.append("%s %r, want %r" % (k, got.get(k), exp[k]))
            right = 0
            for label, want, get in vals:
                g = get(got)
                if same(g, want):
                    right += 1
                else:
                    diffs.append("%s %r, want %r" % (label, g, want))
            nvals += len(vals)
            nvals_right += right
            nright += not diffs
            print("%-4s %-45s %4d/%-4d %s" % ("ok" if not diffs else "FAIL", name, right, len(vals),
                                             "" if not diffs else diffs[0]))
            if verbose:
                for d in diffs[1:60]:
                    print("       " + d)
    print("%d/%d files read right; %d/%d values" % (nright, nfiles, nvals_right, nvals))
    sys.exit(0 if nright == nfiles else 1)


if __name__ == "__main__":
    main()
