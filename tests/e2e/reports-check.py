#!/usr/bin/python3
"""Checks one output of `ogi report ...` / `ogi export` against figures computed here.

usage: reports-check.py DATADIR FIXTURES SCENARIO FORMAT OUTPUT [CHECK.json]

The expected figures come from the generator's own values (DATADIR/model.json,
written by reports-data.py) and tests/fixtures/expected.json, through the
rules of `ogi report --help` implemented again here; never from ogi's output.
SCENARIO names the command line the shell ran (see SCENARIOS); FORMAT is
text, csv, excel, json or html; CHECK.json (flags only) is `ogi check
--format json` of the same warehouse.  Exits 1 with the differences.
"""
import csv
import html.parser
import io
import json
import os
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gen"))
import genreport as g  # noqa: E402

APPL = g.T3_COLS[:6]
FIXTURE_META = {"晋江市龙湖镇人民政府": ("township", "晋江市"),
                "上海市人民政府办公厅": ("department", "上海市")}
GROUPS = [("refused", g.REFUSED), ("unable", g.UNABLE), ("rejected", g.REJECTED)]
# What each scenario asked for: the filter, and for compare the year(s) and the measure.
SCENARIOS = {
    "volumes": {},
    "volumes-filtered": {"parent": "晋江市", "years": (2020, 2022)},
    "volumes-org": {"org": "英林"},
    "refusals": {"parent": "晋江市"},
    "compare": {"parent": "晋江市", "years": (2023, 2023)},
    "compare-range": {"level": "township", "years": (2019, 2023)},
    "compare-by": {"parent": "晋江市", "years": (2022, 2022), "by": "grant_pct"},
    "review": {},
    "flags": {},
    "flags-parent": {"parent": "晋江市", "years": (2018, 2023)},
    "export": {"parent": "晋江市"},
}
TEXT_COLS = {"organization", "group", "ground", "label", "status", "level", "parent", "rules",
             "source", "block", "format", "row_key", "col_key", "key", "raw", "fetched_at"}

problems = []


def bad(msg):
    problems.append(msg)


# ---- the data, as the generator wrote it ----

def load(datadir, fixtures):
    reports = []
    fx = json.load(open(fixtures, encoding="utf-8"))["reports"]
    for i, r in enumerate(fx):
        r = dict(r)
        r["order"] = -10 + i
        r["level"], r["parent"] = FIXTURE_META[r["organization"]]
        r["broken"] = None
        reports.append(r)
    for p in json.load(open(os.path.join(datadir, "model.json"), encoding="utf-8"))["pages"]:
        p = dict(p)
        p["level"], p["parent"] = "township", "晋江市"
        reports.append(p)
    return reports


def selected(reports, sc, newest=True, years=True):
    out = [r for r in reports
           if ("parent" not in sc or r["parent"] == sc["parent"])
           and ("level" not in sc or r["level"] == sc["level"])
           and ("org" not in sc or sc["org"] in r["organization"])
           and (not years or "years" not in sc or sc["years"][0] <= r["year"] <= sc["years"][1])]
    if newest:
        best = {}
        for r in out:
            k = (r["organization"], r["year"])
            if k not in best or r["order"] > best[k]["order"]:
                best[k] = r
        out = list(best.values())
    return sorted(out, key=lambda r: (r["organization"].encode(), r["year"], r["order"]))


# ---- the rules of `ogi report --help` ----

def cell(row, c):
    """blank counts 0; absent is None"""
    if row is None or c not in row:
        return None
    return 0 if row[c] is None else row[c]


def row_fig(t3, r):
    row = t3.get(r)
    if row is None:
        return None
    if row.get("total") is not None:
        return row["total"]
    vals = [cell(row, c) for c in APPL]
    return None if None in vals else sum(vals)


def add(*xs):
    return None if any(x is None for x in xs) else sum(xs)


def pct(n, d):
    return None if n is None or d is None or d == 0 else 100.0 * n / d


def outcome_rows(fmt):
    return g.outcome_rows(fmt)


def category(r):
    return r.split(".")[0]


def figures(r):
    """Every measure of ogi report volumes for one report, by column name."""
    t3, fmt = r["t3"], r["format"]
    f = {}
    for row in ("new", "carried_over"):
        for c in APPL:
            f["%s_%s" % (row, c)] = cell(t3.get(row), c)
        f[row] = row_fig(t3, row)
    for cat in ("granted", "partial", "refused", "unable", "rejected", "other"):
        f[cat] = add(*[row_fig(t3, x) for x in outcome_rows(fmt) if category(x) == cat])
    f["total"] = row_fig(t3, "total")
    f["carried_forward"] = row_fig(t3, "carried_forward")
    f["granted_partial"] = add(f["granted"], f["partial"])
    f["grant_pct"] = pct(f["granted_partial"], f["total"])
    f["refusal_pct"] = pct(f["refused"], f["total"])
    t2 = r["t2"]

    def t2v(*keys):
        vals = [None if k not in t2 else (0 if t2[k] is None else t2[k]) for k in keys]
        return None if None in vals else sum(vals)
    if fmt == "2021":
        f["docs_issued"] = t2v("rules.issued", "normative.issued")
        f["fees"] = t2v("fees.amount")
    else:
        f["docs_issued"] = t2v("rules.made", "normative.made")
        f["fees"] = None
    for k in ("licensing", "penalty", "coercion"):
        f[k] = t2v(k + ".decisions")
    for grp, items in GROUPS:
        for k, _ in items:
            f[grp + "." + k] = row_fig(t3, grp + "." + k)
    t4 = r["t4"]
    for b in g.T4_BLOCKS:
        parts = [None if (b + "." + c) not in t4 else (t4[b + "." + c] or 0)
                 for c in g.T4_COLS[:4]]
        tot = t4.get(b + ".total")
        if tot is None:
            tot = None if None in parts else sum(parts)
        for c, x in zip(g.T4_COLS[:4], parts):
            f[b + "." + c] = x
        f[b + ".total"] = tot
        f[b + ".corrected_pct"] = pct(f[b + ".corrected"], tot)
    return f


def group_sum(rows, keys):
    s = {}
    for k in keys:
        vals = [r[k] for r in rows if r[k] is not None]
        s[k] = sum(vals) if vals else None
    s["grant_pct"] = pct(s.get("granted_partial"), s.get("total"))
    s["refusal_pct"] = pct(s.get("refused"), s.get("total"))
    return s


SUMMED = ["new", "carried_over", "granted", "partial", "refused", "unable", "rejected", "other",
          "total", "carried_forward", "granted_partial"]

# ---- expected tables: lists of dicts, column -> value ----


def exp_volumes(reports, sc):
    out = []
    for r in selected(reports, sc):
        f = figures(r)
        row = {"organization": r["organization"], "year": r["year"]}
        for k, v in f.items():
            if "." not in k and k != "granted_partial":
                row[k] = v
        out.append(row)
    return out


def exp_refusals(reports, sc):
    rows = selected(reports, sc)
    out = []

    def emit(org, year, f):
        for grp, items in GROUPS:
            for k, label in items:
                key = grp + "." + k
                out.append({"organization": org, "year": year, "group": grp, "ground": key,
                            "label": label, "count": f[key], "total": f["total"],
                            "share_pct": pct(f[key], f["total"])})
    figs = [(r, figures(r)) for r in rows]
    for r, f in figs:
        emit(r["organization"], r["year"], f)
    keys = ["total"] + [grp + "." + k for grp, items in GROUPS for k, _ in items]
    for year in sorted({r["year"] for r in rows}):
        emit("(total)", year, group_sum([f for r, f in figs if r["year"] == year], keys))
    return out


def exp_compare(reports, sc):
    a, b = sc["years"]
    by = sc.get("by", "new")
    now = [(r, figures(r)) for r in selected(reports, sc) if r["year"] == b]
    base = {r["organization"]: figures(r) for r in selected(reports, sc) if r["year"] == a}

    def key(x):
        v = x[1][by]
        return (v is None, -(v or 0), x[0]["organization"].encode())
    now.sort(key=key)
    out = []
    rank = 0
    for i, (r, f) in enumerate(now):
        if i == 0 or f[by] != now[i - 1][1][by]:
            rank = i + 1
        row = {"rank": rank if f[by] is not None else None, "organization": r["organization"],
               "year": b}
        row.update({k: f[k] for k in SUMMED + ["grant_pct", "refusal_pct"]
                    if k != "granted_partial"})
        if a != b:
            then = base[r["organization"]][by] if r["organization"] in base else None
            change(row, by, a, f[by], then)
        out.append(row)
    if now:
        s = group_sum([f for _, f in now], SUMMED)
        row = {"rank": None, "organization": "(total)", "year": b}
        row.update({k: s[k] for k in SUMMED + ["grant_pct", "refusal_pct"]
                    if k != "granted_partial"})
        if a != b:
            # like for like: only the bodies with a report in both years
            both = [org for org in base if any(r["organization"] == org for r, _ in now)]
            bs = group_sum([base[org] for org in both], SUMMED)
            ns = group_sum([f for r, f in now if r["organization"] in both], SUMMED)
            change(row, by, a, ns[by], bs[by])
        out.append(row)
    return out


def change(row, by, a, now, then):
    row["base_year"] = a
    row[by + "_base"] = then
    row[by + "_change"] = None if now is None or then is None else now - then
    row[by + "_change_pct"] = (None if now is None or then is None or then == 0
                               else 100.0 * (now - then) / then)


def exp_review(reports, sc):
    out = []
    for r in selected(reports, sc):
        f = figures(r)
        for b in g.T4_BLOCKS:
            row = {"organization": r["organization"], "year": r["year"], "block": b}
            for c in g.T4_COLS:
                row[c] = f[b + "." + c]
            row["corrected_pct"] = f[b + ".corrected_pct"]
            out.append(row)
    return out


RULES_OF = {"T3-BALANCE": {"T3-BALANCE"}, "T3-ROWSUM": {"T3-ROWSUM", "T3-OUTCOMES"},
            "T4-BLOCK": {"T4-BLOCK"}, "T3-OUTCOMES": {"T3-OUTCOMES"}}
FIXTURE_RULES = {"晋江市龙湖镇人民政府": {"T3-BALANCE"},
                 "上海市人民政府办公厅": {"T3-OUTCOMES", "T3-ROWSUM", "TEXT-TABLE"}}


def exp_flags(reports, sc):
    """(organization, year, status, rules) rows of the current reports."""
    all_reports = selected(reports, sc)
    out = []
    for r in all_reports:
        rules = FIXTURE_RULES.get(r["organization"]) if r["order"] < 0 else \
            RULES_OF.get(r["broken"]) if r["broken"] else None
        if rules:
            out.append({"organization": r["organization"], "year": r["year"],
                        "status": "flagged", "rules": rules, "level": r["level"],
                        "parent": r["parent"]})
    bodies = {r["organization"]: r for r in selected(reports, sc, newest=False, years=False)}
    if "years" in sc:
        years = range(sc["years"][0], sc["years"][1] + 1)
    else:
        years = sorted({r["year"] for r in reports})
    have = {(r["organization"], r["year"]) for r in reports}
    for org, r in bodies.items():
        for y in years:
            if (org, y) not in have:
                out.append({"organization": org, "year": y, "status": "no report",
                            "rules": None, "level": r["level"], "parent": r["parent"]})
    out.sort(key=lambda x: (x["organization"].encode(), x["year"], x["status"] != "flagged"))
    return out


# ---- reading ogi's output ----

def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def cut(line, start, end):
    """The characters of line between display columns start and end."""
    out, col = [], 0
    for ch in line:
        w = width(ch)
        if col >= start and col + w <= end:
            out.append(ch)
        col += w
    return "".join(out)


def parse_text(text):
    lines = text.rstrip("\n").split("\n")
    if len(lines) < 2:
        return []
    rule = lines[1]
    spans, col, i = [], 0, 0
    while i < len(rule):
        if rule[i] == "-":
            j = i
            while j < len(rule) and rule[j] == "-":
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    names = [cut(lines[0], a, b).strip() for a, b in spans]
    rows = []
    for n, line in enumerate(lines[2:]):
        row = {}
        for name, (a, b) in zip(names, spans):
            raw = cut(line, a, b)
            if name not in TEXT_COLS and raw.strip() and raw[-1:] == " ":
                bad("text line %d: %s '%s' is not right-aligned" % (n + 3, name, raw))
            row[name] = raw.strip()
        rows.append(row)
    return rows


class TableParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cur, self.row, self.text, self.cell = [], None, None, "", False
        self.svgs = 0
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.cur = []
        elif tag == "tr" and self.cur is not None:
            self.row = []
        elif tag in ("td", "th"):
            self.cell, self.text = True, ""
        elif tag == "svg":
            self.svgs += 1
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None:
            self.row.append(self.text)
            self.cell = False
        elif tag == "tr" and self.cur is not None:
            self.cur.append(self.row)
            self.row = None
        elif tag == "table":
            self.tables.append(self.cur)
            self.cur = None

    def handle_data(self, data):
        if self.cell:
            self.text += data


def parse(fmt, data):
    if fmt == "json":
        return json.loads(data.decode("utf-8"))
    if fmt in ("csv", "excel"):
        text = data.decode("utf-8")
        if fmt == "excel":
            if not text.startswith("\ufeff"):
                bad("--excel: no BOM")
            if "\n" in text.replace("\r\n", ""):
                bad("--excel: a line does not end in CRLF")
            text = text[1:]
        elif text.startswith("\ufeff") or "\r" in text:
            bad("csv without --excel has a BOM or CR")
        return [dict(r) for r in csv.DictReader(io.StringIO(text, newline=""))]
    if fmt == "html":
        p = TableParser()
        p.feed(data.decode("utf-8"))
        if p.scripts:
            bad("html: %d script elements" % p.scripts)
        if not p.svgs:
            bad("html: no svg chart")
        if not p.tables:
            bad("html: no table")
            return []
        t = p.tables[0]
        return [dict(zip(t[0], r)) for r in t[1:]]
    return parse_text(data.decode("utf-8"))


def num(x):
    if x is None or x == "":
        return None
    if isinstance(x, (int, float)):
        return x
    try:
        # text and HTML write rates with "%" and counts with thousands separators
        return float(x.replace(",", "").rstrip("%"))
    except ValueError:
        return x


def same(col, got, want):
    got = num(got)
    if want is None:
        return got is None
    if isinstance(want, str):
        return str(got) == want
    if got is None or isinstance(got, str):
        return False
    tol = 0.05 + 1e-6 if col.endswith("pct") else 1e-6
    return abs(got - want) <= tol


def compare_rows(got, want, cols=None):
    if len(got) != len(want):
        bad("%d rows, want %d" % (len(got), len(want)))
    for i, (gr, wr) in enumerate(zip(got, want)):
        for k, v in wr.items():
            if cols and k not in cols:
                continue
            if k not in gr:
                bad("row %d: no column %s" % (i + 1, k))
            elif not same(k, gr[k], v):
                bad("row %d (%s %s): %s = %r, want %r" % (i + 1, wr.get("organization"),
                                                        wr.get("year"), k, gr[k], v))
        if len(problems) > 20:
            return


def check_flags(got, want, check_json):
    findings = json.load(open(check_json, encoding="utf-8"))
    ids = {}
    for f in findings:
        ids.setdefault(f["report_id"], set()).add(f["rule"])
    flagged = [r for r in got if r["status"] == "flagged"]
    got_ids = {int(num(r["report_id"])) for r in flagged}
    if any(r["status"] == "flagged" for r in want):
        # exactly the reports ogi check finds something in (within the selection)
        orgs = {r["organization"] for r in want}
        want_ids = {f["report_id"] for f in findings if f["organization"] in orgs}
        if got_ids != want_ids:
            bad("flagged reports %s, but ogi check has findings in %s" %
                (sorted(got_ids), sorted(want_ids)))
    for r in flagged:
        rid = int(num(r["report_id"]))
        n = sum(1 for f in findings if f["report_id"] == rid)
        if num(r["findings"]) != n:
            bad("report %d: findings %s, ogi check has %d" % (rid, r["findings"], n))
    if len(got) != len(want):
        bad("%d rows, want %d: %s" % (len(got), len(want),
                                      [(r["organization"], r["year"], r["status"]) for r in got]))
    for i, (gr, wr) in enumerate(zip(got, want)):
        for k in ("organization", "status", "level", "parent"):
            if gr[k] != wr[k]:
                bad("row %d: %s = %r, want %r" % (i + 1, k, gr[k], wr[k]))
        if num(gr["year"]) != wr["year"]:
            bad("row %d: year %r, want %r" % (i + 1, gr["year"], wr["year"]))
        if wr["rules"]:
            rules = {x.split(" (")[0] for x in gr["rules"].split(", ")}
            if rules != wr["rules"]:
                bad("row %d (%s %s): rules %s, want %s" % (i + 1, wr["organization"],
                                                         wr["year"], rules, wr["rules"]))


def check_export(got, reports, sc):
    """Every figure of the current reports (one per body and year), none of the others."""
    want = {}
    for r in selected(reports, sc):
        cells = {}
        for k, v in r["t2"].items():
            if not k.endswith("_raw"):
                cells[k] = v
        for row, cols in r["t3"].items():
            for c, v in cols.items():
                cells[row + "/" + c] = v
        for k, v in r["t4"].items():
            cells[k] = v
        want[(r["organization"], r["year"], r["file"])] = cells
    seen = {}
    for row in got:
        src = row["location"]
        key = next((k for k in want if k[0] == row["organization"] and
                    num(row["year"]) == k[1] and src.endswith("/" + k[2])), None)
        if key is None:
            bad("export row of an unexpected report: %s %s %s" % (row["organization"],
                                                                 row["year"], src))
            continue
        cells = seen.setdefault(key, {})
        cells[row["key"]] = (num(row["value"]), num(row["blank"]))
    for key, cells in want.items():
        got_cells = seen.get(key, {})
        if set(got_cells) != set(cells):
            bad("%s: exported keys differ: missing %s, extra %s" % (
                key, sorted(set(cells) - set(got_cells))[:5],
                sorted(set(got_cells) - set(cells))[:5]))
            continue
        for k, v in cells.items():
            value, blank = got_cells[k]
            if v is None and (value is not None or blank != 1):
                bad("%s %s: blank cell exported as %r blank=%r" % (key, k, value, blank))
            elif v is not None and (value is None or abs(value - v) > 1e-6 or blank != 0):
                bad("%s %s: %r, want %r" % (key, k, value, v))


def main():
    datadir, fixtures, scenario, fmt, output = sys.argv[1:6]
    reports = load(datadir, fixtures)
    sc = SCENARIOS[scenario]
    got = parse(fmt, open(output, "rb").read())
    kind = scenario.split("-")[0]
    if kind == "volumes":
        compare_rows(got, exp_volumes(reports, sc))
    elif kind == "refusals":
        compare_rows(got, exp_refusals(reports, sc))
    elif kind == "compare":
        compare_rows(got, exp_compare(reports, sc))
    elif kind == "review":
        compare_rows(got, exp_review(reports, sc))
    elif kind == "flags":
        check_flags(got, exp_flags(reports, sc), sys.argv[6])
    elif kind == "export":
        check_export(got, reports, sc)
    if problems:
        print("%s %s:" % (scenario, fmt))
        for p in problems[:25]:
            print("  " + p)
        sys.exit(1)


if __name__ == "__main__":
    main()
