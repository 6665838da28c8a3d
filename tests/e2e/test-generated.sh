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
finish
