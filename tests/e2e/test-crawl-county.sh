#!/bin/sh
# A county's column that lists its bodies' reports (tests/gen/mkcity.py
# --aggregate-column): the city government's column links to its townships'
# and departments' report pages, and holds pages of bodies without a column
# of their own.  Crawled from that column's seed alone (the city government,
# county), each report is filed under the body its page names, with that
# body's level and parent read from its name, not under the seed's body;
# the seed's body is the publisher.  No YEAR-CARRY finding comes from
# bodies run together.  With every seed, the bodies' own columns and the
# county's agree.  ingest --org still overrides the page.  The city has no
# pictures or scan (mkcity.py --no-ocr): OCR is test-crawl.sh's and
# test-ocr.sh's.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

H=www.haibin.test
$PY "$T_ROOT/tests/gen/mkcity.py" --out plain >/dev/null || fail "mkcity.py"
check "the default city has no such column" \
	test ! -e plain/sites/$H/xxgk/zfxxgkzl/gkndbg -a "$(grep -c '^http' plain/seeds.tsv)" -eq 12
$PY "$T_ROOT/tests/gen/mkcity.py" --out city --aggregate-column --no-ocr >/dev/null || fail "mkcity.py"
start_server "$T_TMP/city/sites" || fail "the fixture server did not start"
CT="--connect-to $H:80:127.0.0.1:$PORT"

# the column's seed alone: the last line of seeds.tsv
agg_url=$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["aggregate"]["seed"])' \
	city/expected.json)
grep "^$agg_url	" city/seeds.tsv >agg.tsv
check "the column's seed: the city government, county" \
	grep -q "^$agg_url	海滨市人民政府	county	" agg.tsv
"$OGI" -q seed import agg.tsv
"$OGI" crawl --delay 0 $CT >crawl.txt 2>crawl.err
check "crawl exits 0" test $? -eq 0
check "one seed: its 6 column pages and 24 reports" \
	grep -q '^crawl run 1: 1 seeds, 6 listing and 24 report pages, .*: 24 new reports, 0 changed, 0 unchanged, 0 same content elsewhere, 0 failed, 0 paused, 0 capped$' crawl.txt
"$OGI" list --format csv >list.csv
"$OGI" check --format json >findings.json 2>/dev/null

# county.py WHAT: one assertion on list.csv (and ogi show, ogi.db) against expected.json
county() {
	$PY - "$1" city/expected.json "$OGI" <<'PYEOF'
import csv, json, sqlite3, subprocess, sys
what, exp, ogi = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8")), sys.argv[3]
agg = exp["aggregate"]
want = {e["url"]: e for e in exp["reports"] if e["url"] in set(agg["reports"])}
rows = list(csv.DictReader(open("list.csv", encoding="utf-8")))
got = {r["location"]: r for r in rows}
bad = []
if what == "bodies":
    # the body, its level and parent, the year: as the page names them (expected.json)
    for url, e in want.items():
        r = got.get(url)
        w = (e["organization"], e["level"], e["parent"] or "", str(e["year"]))
        g = r and (r["organization"], r["level"], r["parent"], r["year"])
        if g != w:
            bad.append("%s: got %r, want %r" % (url, g, w))
    if len(rows) != len(want) or len(got) != len(rows):
        bad.append("%d reports (%d sources), want %d" % (len(rows), len(got), len(want)))
elif what == "show":
    # ogi show --format json says the same, report by report
    for r in rows:
        j = json.loads(subprocess.run([ogi, "show", r["report_id"], "--format", "json"],
                                      capture_output=True, check=True).stdout)
        e = want.get(j["source"], {})
        w = (e.get("organization"), e.get("level"), e.get("parent"), e.get("year"))
        g = (j["organization"], j["level"], j["parent"], j["year"])
        if g != w:
            bad.append("report %s: show says %r, want %r" % (r["report_id"], g, w))
        if j.get("publisher") != agg["organization"]:
            bad.append("report %s: show says publisher %r" % (r["report_id"], j["publisher"]))
elif what == "seed-body":
    # under the seed's body: only the report whose page names it
    mine = sorted(u for u, r in got.items() if r["organization"] == agg["organization"])
    theirs = sorted(u for u, e in want.items() if e["organization"] == agg["organization"])
    if mine != theirs or len(theirs) != 1:
        bad.append("under %s: %r, want %r" % (agg["organization"], mine, theirs))
elif what == "count":
    names = sorted({r["organization"] for r in rows})
    if names != sorted(agg["bodies"]) or len(names) < 8:
        bad.append("bodies %r, want %r" % (names, agg["bodies"]))
elif what == "levels":
    # a township is a township of 海滨市 and a department one of its departments,
    # whatever the seed's level (county) and parent (none) say
    for r in rows:
        name = r["organization"]
        lp = (r["level"], r["parent"])
        if name.endswith(("镇人民政府", "街道办事处")) and lp != ("township", "海滨市") or \
                name.endswith("局") and lp != ("department", "海滨市") or \
                name == agg["organization"] and lp != ("county", ""):
            bad.append("%s: %r" % (name, lp))
    if not any(r["level"] == "township" for r in rows) or \
            not any(r["level"] == "department" for r in rows):
        bad.append("want townships and departments")
elif what == "findings":
    # no YEAR-CARRY, and nothing but the breaks the generator made on purpose
    broken = {(e["organization"], e["year"]) for e in want.values() if e["broken"]}
    fs = json.load(open("findings.json", encoding="utf-8"))
    for f in fs:
        if f["rule"] == "YEAR-CARRY" or (f["organization"], f["year"]) not in broken:
            bad.append("%s %s %s: %s" % (f["organization"], f["year"], f["rule"], f["message"]))
    if not fs:
        bad.append("no findings at all, want the broken reports'")
elif what == "publisher":
    # the warehouse keeps the seed's body as every report's publisher
    db = sqlite3.connect("file:ogi.db?mode=ro", uri=True)
    for loc, pub in db.execute("SELECT location, publisher FROM reports"):
        if pub != agg["organization"]:
            bad.append("%s: publisher %r" % (loc, pub))
for b in bad[:10]:
    print("    " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}
check "every report filed under the body its page names (expected.json)" county bodies
check "ogi show --format json says the same" county show
check "the seed's body holds only its own report" county seed-body
check "as many bodies as the column lists (8)" county count
check "level and parent from the page's own name, not the seed's" county levels
check "no YEAR-CARRY, no finding but the broken reports'" county findings
check "the seed's body is every report's publisher" county publisher

# Every seed, the bodies' own columns and the county's: each page stored once,
# under its body, whichever seed reached it first.
"$OGI" --db all.db -q seed import city/seeds.tsv
"$OGI" --db all.db crawl --delay 0 $CT >all.txt 2>all.err
check "crawl of every seed exits 0" test $? -eq 0
$PY "$T_ROOT/tests/e2e/check_city.py" all.db city/expected.json >check_city.txt
check "every report stored once with its body, year and figures" test $? -eq 0
sed 's/^/    /' check_city.txt >&2
check "no page stored twice" \
	test "$(sqlite3 all.db 'SELECT count(*) - count(DISTINCT location) FROM sources')" -eq 0
check "the city government keeps its own six reports, no more" \
	test "$("$OGI" --db all.db list --org 海滨市人民政府 --format csv | grep -c ',county,')" -eq 6

# ingest --org is still an override: the page's own body gives way.
page=$(sed -n 's|^.*"url": "http://www.haibin.test\(/xxgk/zfxxgkzl/gkndbg/[^"]*\)".*$|\1|p' \
	city/expected.json | head -n 1)
"$OGI" --db ingest.db ingest --org 海滨市人民政府 --level county "city/sites/$H$page" \
	>ingest.txt 2>&1
check "ingest --org files the page under the body given" \
	test "$("$OGI" --db ingest.db list --format csv | cut -d, -f2,3 | tail -n 1)" = "海滨市人民政府,county"
finish
