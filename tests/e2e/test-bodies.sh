#!/bin/sh
# One true figure per body and year (bodies-data.py makes the pages): a
# page updated in place, the same body and year from three locations,
# a reviewer's fix, an exclusion, bodies merged and renamed, filters that
# compose.  Each time, report volumes, report compare, the views
# (v_volumes, v_figures, v_t3_totals) and export say the same figure, and
# copies that are not current are still stored and listed as such.
. "$(dirname "$0")/lib.sh"
HERE="$T_ROOT/tests/e2e"
PY=/usr/bin/python3
export OGI_DB="$T_TMP/ogi.db"

$PY "$HERE/bodies-data.py" d || { fail "bodies-data.py"; finish; exit 1; }
# m FILE: new/total of that page (model.json)
m() { $PY -c 'import json, sys; print(json.load(open("d/model.json"))[sys.argv[1]]["new"])' "$1"; }

# csvcol FILE COLUMN: the column's values, one a line
csvcol() {
	$PY -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    print(r[sys.argv[2]])' "$1" "$2"
}
# everywhere ORG YEAR: new of ORG's current report of YEAR in report volumes,
# v_volumes, v_t3_totals, v_figures and export, space-separated
everywhere() {
	"$OGI" report volumes --org "$1" --year "$2" --format csv >ev.csv 2>/dev/null
	"$OGI" export --org "$1" --year "$2" --format jsonl >ev.jsonl 2>/dev/null
	printf '%s %s %s %s %s\n' "$(csvcol ev.csv new)" \
		"$(sqlite3 "$OGI_DB" "SELECT new FROM v_volumes WHERE organization LIKE '%$1%' AND year = $2")" \
		"$(sqlite3 "$OGI_DB" "SELECT new FROM v_t3_totals WHERE organization LIKE '%$1%' AND year = $2")" \
		"$(sqlite3 "$OGI_DB" "SELECT value FROM v_figures WHERE organization LIKE '%$1%' AND year = $2 AND key = 'new/total'")" \
		"$($PY -c '
import json, sys
print(" ".join(str(o["value"]) for o in map(json.loads, open("ev.jsonl"))
               if o["key"] == "new/total" and o["current"] == 1))')"
}
# same5 V: V five times, as everywhere prints it
same5() { echo "$1 $1 $1 $1 $1"; }

"$OGI" ingest --level township --parent 山前县 d/pages d/typo >/dev/null 2>&1
check "ingest the pages" test $? -eq 0
p=$(m pages/sq-2023.html)
got=$(everywhere 石桥 2023)
check "石桥 2023 everywhere: $got, want $p" test "$got" = "$(same5 "$p")"
id=$("$OGI" list --org 石桥 --year 2023 --format csv | csvcol /dev/stdin report_id)

# ---- a page updated in place: the same report, its new figures everywhere ----
cp d/update/sq-2023.html d/pages/sq-2023.html
"$OGI" ingest --level township --parent 山前县 d/pages/sq-2023.html >upd.txt 2>&1
check "the page is updated ($(cat upd.txt))" grep -q '^updated ' upd.txt
u=$(m update/sq-2023.html)
got=$(everywhere 石桥 2023)
check "after the update: $got, want $u" test "$got" = "$(same5 "$u")"
check "the report keeps its id" \
	test "$("$OGI" list --org 石桥 --year 2023 --format csv | csvcol /dev/stdin report_id)" = "$id"

# ---- the same body and year from three locations: counted once ----
"$OGI" ingest --level township --parent 山前县 d/copy/later-2023.html >/dev/null 2>&1
"$OGI" ingest --level township --parent 山前县 d/copy/earlier-2023.html >/dev/null 2>&1
l=$(m copy/later-2023.html)
got=$(everywhere 石桥 2023)
check "the latest published copy is current: $got, want $l" test "$got" = "$(same5 "$l")"
"$OGI" list --org 石桥 --year 2023 --all-versions --format csv >all.csv
check "three stored copies, one current" \
	test "$(csvcol all.csv current | sort | tr '\n' ' ')" = "0 0 1 "
later=$("$OGI" list --org 石桥 --year 2023 --format csv | csvcol /dev/stdin report_id)
"$OGI" show "$id" >old.txt 2>&1
check "show says the old copy is superseded" grep -q "superseded by report $later" old.txt
h=$(m pages/hk-2023.html)
want=$((l + h))
"$OGI" report compare --year 2023 --format csv >cmp.csv
check "compare 2023 total: new $want" \
	test "$($PY -c '
import csv
print([r["new"] for r in csv.DictReader(open("cmp.csv")) if r["organization"] == "(total)"][0])')" = $want
check "v_volumes: new of 2023 sums to $want" \
	test "$(sqlite3 "$OGI_DB" "SELECT sum(new) FROM v_volumes WHERE year = 2023")" = $want
"$OGI" export --year 2023 >x.csv
check "export: new/total of 2023 sums to $want" test "$($PY -c '
import csv
print(sum(int(r["value"]) for r in csv.DictReader(open("x.csv")) if r["key"] == "new/total"))')" = $want
"$OGI" export --year 2023 --all-versions >xa.csv
check "export --all-versions has every copy" test "$($PY -c '
import csv
print(sum(1 for r in csv.DictReader(open("xa.csv")) if r["key"] == "new/total"))')" = 4

# ---- a reviewer's fix: shown as such, and kept across reparse ----
"$OGI" fix "$later" new/total 999 --why "the paper copy says 999" >/dev/null 2>fix.err
check "fix exits 0 ($(cat fix.err))" test $? -eq 0
got=$(everywhere 石桥 2023)
check "the fix everywhere: $got" test "$got" = "$(same5 999)"
"$OGI" reparse --all >/dev/null 2>&1
got=$(everywhere 石桥 2023)
check "the fix survives reparse --all: $got" test "$got" = "$(same5 999)"
check "v_fixes keeps what the parser read" \
	test "$(sqlite3 "$OGI_DB" "SELECT value, parsed_value, why FROM v_fixes")" = \
	"999|$l|the paper copy says 999"
"$OGI" show "$later" >fixed.txt
check "show marks the fixed cell and what was read" grep -q "fixed new/total = 999 (read $l)" fixed.txt
"$OGI" report show "$later" --format html >fixed.html
check "the report page marks the fixed cell" grep -q 'class="num fixed[^"]*" title="[^"]*ogi fix --list' fixed.html

# ---- an exclusion: gone from everything current, back after include ----
"$OGI" exclude "$later" --why "a draft" >/dev/null 2>&1
check "exclude exits 0" test $? -eq 0
got=$(everywhere 石桥 2023)
check "excluded: the next copy is current: $got, want $u" test "$got" = "$(same5 "$u")"
"$OGI" reparse --all >/dev/null 2>&1
"$OGI" ingest --level township --parent 山前县 d/copy/later-2023.html >/dev/null 2>&1
got=$(everywhere 石桥 2023)
check "the exclusion survives reparse and ingest: $got" test "$got" = "$(same5 "$u")"
"$OGI" list --all-versions --org 石桥 --year 2023 --format csv >ex.csv
check "the excluded copy is stored and listed as excluded" \
	test "$(csvcol ex.csv excluded | sort | tr '\n' ' ')" = "0 0 1 "
"$OGI" include "$later" >/dev/null 2>&1
got=$(everywhere 石桥 2023)
check "included again, with its fix: $got" test "$got" = "$(same5 999)"

# ---- bodies: merge the misspelt one, rename, and everything follows ----
yc() { sqlite3 "$OGI_DB" "SELECT count(*) FROM v_findings WHERE rule = 'YEAR-CARRY' AND year = 2022 AND organization LIKE '%石桥%'"; }
check "no YEAR-CARRY for 石桥 2022 while 2021 is another body's" test "$(yc)" = 0
"$OGI" body merge 山前县石挢镇人民政府 山前县石桥镇人民政府 >merge.txt 2>&1
check "body merge exits 0 ($(cat merge.txt))" test $? -eq 0
check "2021 is now 石桥's" test "$(sqlite3 "$OGI_DB" \
	"SELECT organization FROM v_reports WHERE location LIKE '%typo-2021.html'")" = 山前县石桥镇人民政府
check "the checks ran across the merged years: YEAR-CARRY for 2022" test "$(yc)" -ge 1
"$OGI" report volumes --org 石桥 --format csv >v.csv
check "volumes of 石桥: 2021-2023" test "$(csvcol v.csv year | tr '\n' ' ')" = "2021 2022 2023 "
check "the misspelt name is an alias" \
	test "$(sqlite3 "$OGI_DB" "SELECT kind FROM v_aliases WHERE alias = '山前县石挢镇人民政府'")" = merged
bid=$(sqlite3 "$OGI_DB" "SELECT body_id FROM v_bodies WHERE organization = '山前县石桥镇人民政府'")
"$OGI" body rename "$bid" 山前县新桥镇人民政府 >/dev/null 2>&1
check "rename exits 0" test $? -eq 0
"$OGI" reparse --all >/dev/null 2>&1
check "renamed: every report follows, across reparse" test "$(sqlite3 "$OGI_DB" \
	"SELECT DISTINCT organization || ' ' || body_id FROM v_reports WHERE location LIKE '%sq-%' OR location LIKE '%typo%' OR location LIKE '%copy%'")" = "山前县新桥镇人民政府 $bid"
check "renamed: the findings and views follow" test "$(sqlite3 "$OGI_DB" \
	"SELECT count(*) FROM v_findings WHERE rule = 'YEAR-CARRY' AND organization = '山前县新桥镇人民政府'") $(sqlite3 "$OGI_DB" \
	"SELECT count(*) FROM v_volumes WHERE organization = '山前县新桥镇人民政府'")" = "2 3"
"$OGI" report volumes --org 石桥 --format csv >old-name.csv 2>/dev/null
check "the old name still finds the body" test "$(csvcol old-name.csv year | wc -l)" -eq 3
"$OGI" body show "$bid" >show.txt
check "body show lists the old and merged names" \
	sh -c 'grep -q 山前县石桥镇人民政府 show.txt && grep -q 山前县石挢镇人民政府 show.txt'
"$OGI" -q seed add http://www.shanqian.test/sq/ndbg/ --body "$bid" 2>seed.err
check "a seed names the body it publishes for ($(cat seed.err))" test "$(sqlite3 "$OGI_DB" \
	"SELECT org || ' ' || body_id || ' ' || level FROM seeds")" = "山前县新桥镇人民政府 $bid township"
"$OGI" body rename "$bid" 山前县石桥镇人民政府 >/dev/null 2>&1
check "and follows its renames" test "$(sqlite3 "$OGI_DB" "SELECT org FROM seeds")" = 山前县石桥镇人民政府
"$OGI" body rename "$bid" 山前县新桥镇人民政府 >/dev/null 2>&1

# ---- filters compose ----
n() { "$OGI" report volumes --format csv "$@" 2>/dev/null | sed 1d | wc -l; }
check "--org A --org B: both" test "$(n --org 新桥 --org 河口)" -eq 5
check "--org A,B: both" test "$(n --org 新桥,河口)" -eq 5
check "--year 2021 --year 2023: both years" test "$(n --year 2021 --year 2023)" -eq 3
check "--year 2022,2023 with --org" test "$(n --year 2022,2023 --org 河口)" -eq 2
check "--level township --parent 山前县" test "$(n --level township --parent 山前县)" -eq 5
"$OGI" report volumes --org 没有这个单位 --format csv >none.csv 2>none.err
check "an unknown body: exit 0, a header, and a word on stderr ($(cat none.err))" \
	sh -c 'test $? -eq 0 && test "$(wc -l <none.csv)" -eq 1 && grep -q "no body matches" none.err'
"$OGI" report volumes --year 1999 >/dev/null 2>none.err
check "an empty selection says so" grep -q "no report matches" none.err

# the codebook ships in the repository, as ogi labels prints it
"$OGI" labels --format md >codebook.md
check "docs/codebook.md is ogi labels --format md" cmp -s codebook.md "$T_ROOT/docs/codebook.md"
check "the warehouse's labels table is ogi labels" test "$("$OGI" labels --format csv | sed 1d |
	wc -l)" -eq "$(sqlite3 "$OGI_DB" "SELECT count(*) FROM labels")"
finish
