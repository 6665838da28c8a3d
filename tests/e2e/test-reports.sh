#!/bin/sh
# ogi report and ogi export on a warehouse of the shipped fixtures plus
# generated reports of six townships over 2019-2023 (reports-data.py): each
# command's figures, in each output format, equal those reports-check.py
# computes from the generator's own values; report flags lists exactly the
# reports ogi check has findings in, and the bodies without a report.
. "$(dirname "$0")/lib.sh"
HERE="$T_ROOT/tests/e2e"
PY=/usr/bin/python3
export OGI_DB="$T_TMP/ogi.db"
FX="$OGI_FIXTURES"

$PY "$HERE/reports-data.py" data || { fail "reports-data.py"; finish; exit 1; }
"$OGI" ingest "$FX/longhu-2023.txt" "$FX/shanghai-office-2019.html" >/dev/null 2>&1
check "ingest fixtures" test $? -eq 0
"$OGI" ingest --level township --parent 晋江市 data/pages >/dev/null 2>&1
check "ingest generated pages" test $? -eq 0
"$OGI" ingest --level township --parent 晋江市 data/newer >/dev/null 2>&1
check "ingest the newer page" test $? -eq 0
"$OGI" check --format json >check.json 2>/dev/null
check "check exits 1 on the broken pages" test $? -eq 1

# expect SCENARIO FORMAT OGI-ARGS...: runs ogi, then checks its output
expect() {
	sc=$1
	fmt=$2
	shift 2
	out="out-$sc.$fmt"
	"$OGI" "$@" >"$out" 2>err.txt
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$sc $fmt: ogi $* exits $rc: $(head -c 300 err.txt)"
		return
	fi
	if $PY "$HERE/reports-check.py" data "$FX/expected.json" "$sc" "$fmt" "$out" check.json \
		>diff.txt 2>&1; then
		ok
	else
		fail "$sc $fmt: ogi $*
$(cat diff.txt)"
	fi
}

# text and HTML speak the form's words by default; --lang en names the columns by key
for f in text csv json html; do
	expect volumes $f report volumes --format $f --lang en
	expect review $f report review --format $f --lang en
	expect refusals $f report refusals --parent 晋江市 --format $f --lang en
	expect compare $f report compare --year 2023 --parent 晋江市 --format $f --lang en
	expect flags $f report flags --format $f --lang en
done
expect volumes excel report volumes --format csv --excel
expect volumes-filtered text report volumes --parent 晋江市 --years 2020-2022 --lang en
expect volumes-filtered csv report volumes --parent 晋江市 --year 2020-2022 --format csv
expect volumes-org json report volumes --org 英林 --format json
expect compare-range text report compare --years 2019-2023 --level township --lang en
expect compare-range json report compare --years 2019-2023 --level township --format json
expect compare-range html report compare --years 2019-2023 --level township --format html --lang en
expect compare-by csv report compare --year 2022 --parent 晋江市 --by grant_pct --format csv
expect flags-parent text report flags --parent 晋江市 --years 2018-2023 --lang en
expect flags-parent json report flags --parent 晋江市 --years 2018-2023 --format json
expect export csv export --parent 晋江市
expect export excel export --parent 晋江市 --excel
expect export json export --parent 晋江市 --format json

# The recipes of docs/reports.md (pandas, sqlite3) give compare's totals.
"$OGI" report volumes --format csv >volumes.csv
"$OGI" export >figures.csv
"$OGI" labels --format csv >labels.csv
for y in 2019 2020 2021 2022 2023; do
	"$OGI" report compare --year $y --format csv | $PY -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["organization"] == "(total)":
        print(r["year"], r["new"])'
done >totals.txt
check "compare totals for 5 years" test "$(wc -l <totals.txt)" -eq 5
(cd "$T_TMP" && $PY "$HERE/recipes.py" "$T_ROOT/docs/reports.md" totals.txt) >recipes.diff 2>&1
check "the docs' recipes give ogi's totals
$(cat recipes.diff)" test $? -eq 0

# report all: one page with every section and its charts; JSON keyed by report.
"$OGI" report all --format html >all.html 2>err.txt
check "report all --format html exits 0" test $? -eq 0
for id in volumes refusals compare review flags; do
	check "report all html has section $id" grep -q "<section id=\"$id\">" all.html
done
n=$(grep -o '<svg ' all.html | wc -l)
check "report all html has charts ($n svg)" test "$n" -ge 8
check "report all html has no script" sh -c '! grep -qi "<script" all.html'
check "report all html loads nothing" sh -c '! grep -Eqi "(src|href)=\"(https?:)?//" all.html'
"$OGI" report all --format json >all.json 2>err.txt
check "report all json is one object of five arrays" $PY -c '
import json, sys
d = json.load(open("all.json"))
sys.exit(sorted(d) != ["compare", "flags", "refusals", "review", "volumes"]
         or not all(isinstance(v, list) and v for v in d.values()))'
"$OGI" report all >all.txt 2>err.txt
check "report all text has headings" test "$(grep -c '^== ' all.txt)" -eq 5

# Empty selections are empty tables, not errors.
"$OGI" report compare --org 没有这个单位 --format json >empty.json 2>err.txt
check "compare of nothing exits 0" test $? -eq 0
check "compare of nothing is []" test "$(cat empty.json)" = "[]"
"$OGI" report volumes --year 1999 --format csv >empty.csv 2>err.txt
check "volumes of nothing: a header only" test "$(wc -l <empty.csv)" -eq 1

# Usage errors.
expect_status 2 "unknown report" "$OGI" report nosuch
expect_status 2 "no report named" "$OGI" report
expect_status 2 "report all as csv" "$OGI" report all --format csv
expect_status 2 "unknown format" "$OGI" report volumes --format xml
expect_status 2 "bad year" "$OGI" report volumes --year 20x3
expect_status 2 "compare by an unknown measure" "$OGI" report compare --by nosuch
expect_status 2 "export as text" "$OGI" export --format text
expect_status 0 "report --help" "$OGI" report --help
"$OGI" report --help >help.txt
check "help defines grant_pct" \
	grep -q "grant_pct   = 100 \* (granted + partial) / total handled" help.txt
check "help defines corrected_pct" grep -q "corrected_pct = 100 \* corrected" help.txt
finish
