#!/bin/sh
# Generated realistic pages (tests/gen/mkcases.py): every value read equals
# what the generator wrote, statuses say what is missing, and each rule
# broken on purpose is found by ogi check.
. "$(dirname "$0")/lib.sh"
HERE="$T_ROOT/tests/e2e"
PY=/usr/bin/python3
export OGI_DB="$T_TMP/ogi.db"
$PY "$HERE/../gen/mkcases.py" cases || { fail "mkcases.py"; finish; exit 1; }

"$OGI" ingest cases >out.txt 2>err.txt
check "ingest of generated cases exits 0" test $? -eq 0

for f in $($PY -c 'import json,sys; [print(r["file"]) for r in json.load(open("cases/expected.json"))["reports"]]'); do
	org=$($PY -c 'import json,sys; print(next(r for r in json.load(open("cases/expected.json"))["reports"] if r["file"]==sys.argv[1])["organization"])' "$f")
	year=$($PY -c 'import json,sys; print(next(r for r in json.load(open("cases/expected.json"))["reports"] if r["file"]==sys.argv[1])["year"])' "$f")
	id=$(sqlite3 "$OGI_DB" "select id from reports where location like '%/$f'")
	if [ -z "$id" ]; then
		fail "$f: not stored"
		continue
	fi
	"$OGI" show "$id" --format json >"show-$f.json"
	check "$f: values equal what was generated" $PY "$HERE/compare.py" "show-$f.json" cases/expected.json "$f"
	: "$org $year"
done

# Each broken page breaks its rule and no other.  One wrong row total breaks
# T3-ROWSUM in its row and T3-OUTCOMES in the total column: both must show.
for case in T3-BALANCE:T3-BALANCE "T3-ROWSUM:T3-OUTCOMES T3-ROWSUM" T3-OUTCOMES:T3-OUTCOMES \
	T4-BLOCK:T4-BLOCK; do
	rule=${case%%:*}
	want=${case#*:}
	lower=$(echo "$rule" | tr 'A-Z' 'a-z')
	id=$(sqlite3 "$OGI_DB" "select id from reports where location like '%/broken-$lower.html'")
	"$OGI" check --id "$id" --format json >"check-$rule.json"
	rules=$($PY -c 'import json,sys; print(" ".join(sorted(set(x["rule"] for x in json.load(open(sys.argv[1]))))))' "check-$rule.json")
	check "broken-$lower: findings name $want only (got '$rules')" test "$rules" = "$want"
done

# The consistent pages have no findings at all.
for f in utf8-word-2021.html gbk-2021.html gb2312-2019.html fullwidth-2021.html padded-2021.html old-labels-2022.html text-2021.txt; do
	id=$(sqlite3 "$OGI_DB" "select id from reports where location like '%/$f'")
	expect_status 0 "$f: no findings" "$OGI" check --id "$id"
done

# Partial pages carry no invented zeros: absent cells are not stored at all.
n=$(sqlite3 "$OGI_DB" "select count(*) from figures f join reports r on r.id=f.report_id
	where r.location like '%/no-t4.html' and f.tbl=4")
check "no-t4: no table-4 figures stored ($n)" test "$n" = 0
m=$(sqlite3 "$OGI_DB" "select missing from reports where location like '%/no-t4.html'")
check "no-t4: missing says t4 ($m)" test "$m" = "t4"
m=$(sqlite3 "$OGI_DB" "select status||' '||missing from reports where location like '%/no-tables.html'")
check "no-tables: status no_tables ($m)" test "$m" = "no_tables t2; t3; t4"
# YEAR-CARRY across ingests: the later year first, then the earlier one,
# whose carried_forward (2) disagrees with the later carried_over (0).
$PY - "$T_ROOT/tests/gen" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import genreport as g
rng = random.Random(7)
a = g.make_report(rng, "晋江市安海镇人民政府", 2022, "2021", carried_over=[0] * 6)
b = g.make_report(rng, "晋江市安海镇人民政府", 2023, "2021", carried_over=[0] * 6)
a["t3"]["carried_forward"]["natural_person"] += 2
a["t3"]["carried_forward"]["total"] += 2
a["t3"]["total"]["natural_person"] -= 0
open("carry-2022.html", "w").write(g.render_html(a, rng, 40))
open("carry-2023.html", "w").write(g.render_html(b, rng, 40))
PYEOF
"$OGI" --db carry.db ingest carry-2023.html >/dev/null 2>&1
expect_status 0 "YEAR-CARRY: nothing to compare with yet" "$OGI" --db carry.db check --year 2023
"$OGI" --db carry.db ingest carry-2022.html >/dev/null 2>&1
n=$(sqlite3 carry.db "select expected||'/'||found from v_findings
	where rule='YEAR-CARRY' and year=2023 and location like '%carry-2023.html' and applies_to='column natural_person'")
check "YEAR-CARRY stored for 2023 once 2022 arrives (natural_person $n)" test "$n" = "2/0"
"$OGI" --db carry.db check --year 2023 --format csv >carry.csv
check "YEAR-CARRY names the columns" grep -q "YEAR-CARRY,contradiction,column natural_person" carry.csv

# A page that changes at the same path is updated in place, id kept.
cp cases/utf8-word-2021.html changing.html
"$OGI" --db change.db ingest changing.html >/dev/null
sed -i 's/发布时间：/发布时间： /' changing.html
"$OGI" --db change.db ingest changing.html >change.txt
check "changed page: updated" grep -q "^updated " change.txt
check "changed page: one report, id 1" test "$(sqlite3 change.db 'select group_concat(id) from reports')" = 1
check "changed page: both versions kept as sources" test "$(sqlite3 change.db 'select count(*) from sources')" = 2
finish
