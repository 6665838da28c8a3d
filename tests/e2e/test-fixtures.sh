#!/bin/sh
# The shipped fixtures end to end: ingest, show --format json against
# expected.json, re-ingest changes nothing, check finds exactly what
# expected.json says.
. "$(dirname "$0")/lib.sh"
HERE="$T_ROOT/tests/e2e"
PY=/usr/bin/python3
export OGI_DB="$T_TMP/ogi.db"
FX="$OGI_FIXTURES"

"$OGI" ingest "$FX/longhu-2023.txt" "$FX/shanghai-office-2019.html" >out.txt 2>err.txt
check "ingest exits 0" test $? -eq 0
check "ingest line for longhu" grep -q "晋江市龙湖镇人民政府  2023  2021  complete" out.txt
check "ingest line for shanghai" grep -q "上海市人民政府办公厅  2019  2019  complete" out.txt
check "ingest summary" grep -q "2 pages: 2 new reports, 0 updated, 0 unchanged, 0 not reports, 0 failed" out.txt

"$OGI" show --org 龙湖 --year 2023 --format json >longhu.json
check "show longhu json" test $? -eq 0
check "longhu values equal expected.json" $PY "$HERE/compare.py" longhu.json "$FX/expected.json" longhu-2023.txt
"$OGI" show --org 上海 --year 2019 --format json >shanghai.json
check "shanghai values equal expected.json" $PY "$HERE/compare.py" shanghai.json "$FX/expected.json" shanghai-office-2019.html
check "shanghai amount keeps its raw text" grep -q '"procurement.amount_raw": "251000元"' shanghai.json
check "shanghai level and parent" grep -q '"level": "department"' shanghai.json

# The JSON is a public interface: the keys of before provenance, in their order, then the
# new ones, each of its type; provenance only for cells read, with an HTML or a text place.
"$OGI" show --org 龙湖 --year 2023 >longhu.txt
"$OGI" show --org 上海 --year 2019 >shanghai.txt
$PY - longhu.json longhu.txt shanghai.json shanghai.txt <<'PYEOF'
import json, re, sys
OLD = ["id", "organization", "year", "format", "status", "source", "published", "level",
       "parent", "missing", "t2", "t3", "t4"]
NEW = ["organization_from", "year_from", "publisher", "provenance", "reason", "sources",
       "report_id", "body_id", "location", "current", "superseded_by", "excluded", "fixes",
       "ocr"]
SOURCES = {None, "title", "heading", "sentence", "issuer", "signature", "prose", "seed", "given",
           "link"}
bad = []
for jpath, tpath in zip(sys.argv[1::2], sys.argv[2::2]):
    d = json.load(open(jpath, encoding="utf-8"))
    text = open(tpath, encoding="utf-8").read()
    if list(d) != OLD + NEW:
        bad.append("%s: keys %s" % (jpath, list(d)))
        continue
    for k in ("organization_from", "year_from"):
        if d[k] not in SOURCES:
            bad.append("%s: %s = %r" % (jpath, k, d[k]))
    # HTML pages: nothing read by OCR
    if d["ocr"] != []:
        bad.append("%s: ocr = %r" % (jpath, d["ocr"]))
    # an ingested file: no reason (tables read), one source, its own, chosen
    if d["reason"] is not None:
        bad.append("%s: reason = %r" % (jpath, d["reason"]))
    if d["sources"] != [{"location": d["source"], "role": "page", "status": d["status"],
                         "reason": None, "chosen": True}]:
        bad.append("%s: sources = %r" % (jpath, d["sources"]))
    if d["publisher"] is not None and not isinstance(d["publisher"], str):
        bad.append("%s: publisher %r" % (jpath, d["publisher"]))
    if d["organization_from"] and "body from %s" % d["organization_from"] not in text:
        bad.append("%s: text does not say where the body was read" % tpath)
    if d["year_from"] and "year from %s" % d["year_from"] not in text:
        bad.append("%s: text does not say where the year was read" % tpath)
    if not isinstance(d["provenance"], dict):
        bad.append("%s: provenance %r" % (jpath, d["provenance"]))
        continue
    for key, p in d["provenance"].items():
        m = re.match(r"t([234])\.(.+)\.([a-z_]+)$", key)
        cell = None
        if m and m.group(1) == "3":
            cell = d["t3"].get(m.group(2), {}).get(m.group(3), "absent")
        elif m:
            cell = d["t" + m.group(1)].get(m.group(2) + "." + m.group(3), "absent")
        place = sorted(set(p) - {"how", "inferred"})
        if (not m or cell == "absent" or p.get("how") not in ("label", "order")
                or not isinstance(p.get("inferred"), bool)
                or place not in ([], ["col", "row", "table"], ["col", "line"])
                or not all(isinstance(p[k], int) for k in place)):
            bad.append("%s: provenance %s = %r" % (jpath, key, p))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
PYEOF
check "show json: old keys in order, then organization_from ... sources, then report_id ... fixes" \
	test $? -eq 0

# A body given on the command line says so.
cp "$FX/longhu-2023.txt" given.txt
"$OGI" --db given.db ingest --org 龙湖镇 given.txt >/dev/null 2>&1
"$OGI" --db given.db show --org 龙湖镇 --format json >given.json
check "ingest --org: organization_from is given" grep -q '"organization_from": "given"' given.json
"$OGI" --db given.db show --org 龙湖镇 >given.txt
check "ingest --org: show says body from given" grep -q '^body from given' given.txt

# Re-ingesting, even through another path, stores nothing new.
cp "$FX/longhu-2023.txt" copy.txt
"$OGI" ingest "$FX/longhu-2023.txt" "$FX/shanghai-office-2019.html" copy.txt >again.txt 2>&1
check "re-ingest: all unchanged" grep -q "3 pages: 0 new reports, 0 updated, 3 unchanged, 0 not reports, 0 failed" again.txt
n=$(sqlite3 "$OGI_DB" "select count(*) from reports; select count(*) from sources;" | tr '\n' ' ')
check "re-ingest duplicates nothing ($n)" test "$n" = "2 2 "

# check: longhu has T3-BALANCE in natural_person and total, and nothing else.
"$OGI" check --org 龙湖 --format json >longhu-check.json
expect_status 1 "check exits 1 on findings" "$OGI" check --org 龙湖
$PY - longhu-check.json <<'PYEOF'
import json, sys
f = json.load(open(sys.argv[1]))
got = sorted((x["rule"], x["kind"], x["applies_to"], x["expected"], x["found"]) for x in f)
want = [("T3-BALANCE", "contradiction", "column natural_person", 6, 0),
        ("T3-BALANCE", "contradiction", "column total", 6, 0)]
if got != want:
    print("longhu findings:", got)
    sys.exit(1)
PYEOF
check "longhu: exactly T3-BALANCE natural_person and total (6 != 0)" test $? -eq 0

"$OGI" check --org 上海 --format json >sh-check.json
$PY - sh-check.json <<'PYEOF'
import json, sys
f = json.load(open(sys.argv[1]))
rows = sorted(x["applies_to"] for x in f if x["rule"] == "T3-ROWSUM")
want_rows = sorted("row " + r for r in ["granted", "partial", "refused.state_secret", "refused.internal",
    "refused.process", "refused.inquiry", "unable.not_held", "unable.need_create", "unable.unclear",
    "rejected.petition", "rejected.repeat"])
bad = []
if rows != want_rows:
    bad.append("T3-ROWSUM rows %s" % rows)
if any(x["kind"] != "blank" for x in f if x["rule"] in ("T3-ROWSUM", "T3-OUTCOMES")):
    bad.append("a blank total reported as a contradiction")
outc = [x["applies_to"] for x in f if x["rule"] == "T3-OUTCOMES"]
if outc != ["column total"]:
    bad.append("T3-OUTCOMES %s" % outc)
if any(x["rule"] in ("T3-BALANCE", "T4-BLOCK", "NONNEG") for x in f):
    bad.append("unexpected rule: %s" % [x["rule"] for x in f])
if bad:
    print(bad)
    sys.exit(1)
PYEOF
check "shanghai: blank 总计 cells are blank findings, not wrong totals" test $? -eq 0

"$OGI" check --format csv >all.csv
check "check csv has a header" grep -q "^report_id,organization,year,rule,kind" all.csv
expect_status 0 "check of a body with no findings exits 0" "$OGI" check --org 没有这个单位

finish
