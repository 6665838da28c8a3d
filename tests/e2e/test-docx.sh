#!/bin/sh
# Reports published as Word documents (.docx), written at test time by
# tests/gen/mkdocx.py from genreport's model with python-docx, their tables
# real Word tables with merged cells: every value read equals its truth
# (tests/e2e/score.py), ogi check finds exactly the totals the generator
# broke, a cell carries its table/row/col, folders pick .docx files up.
# Then hostile and broken files (tests/gen/mkhostile.py): zip bombs, a
# lying directory, billion laughs, truncated, encrypted, a plain ZIP, an
# XLSX, too many entries, nodes or levels: each ends in exit status 1 with
# a clear message, within bounded time and memory.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
GEN="$T_ROOT/tests/gen"
export OGI_DB="$T_TMP/ogi.db"

if ! $PY -c 'import docx' 2>/dev/null; then
	fail "python3-docx is not installed (make deps)"
	finish
	exit
fi
$PY "$GEN/mkdocx.py" docx || { fail "mkdocx.py"; finish; exit 1; }

# Every value of every file, by score.py: one check per file.
$PY "$T_ROOT/tests/e2e/score.py" "$OGI" docx --verbose >score.out 2>&1
grep -E '^(ok|FAIL) ' score.out >score.files
check "every file scored" test "$(wc -l <score.files)" -eq "$(ls docx/*.docx | wc -l)"
while read -r status name rest; do
	if [ "$status" = ok ]; then
		ok
	else
		fail "$name: $rest"
		grep -A 8 "^FAIL $name" score.out | tail -n +2 >&2
	fi
done <score.files
tail -n 1 score.out >&2

# A folder: its *.docx files are read (not expected.json), all of them reports.
"$OGI" ingest docx >ingest.out 2>ingest.err
check "ingest of the folder exits 0" test $? -eq 0
n=$(ls docx/*.docx | wc -l)
check "every .docx read as a new report" \
	grep -q "^$n pages: $n new reports, 0 updated, 0 unchanged, 0 not reports, 0 failed$" ingest.out
check "stored as UTF-8" test "$(sqlite3 "$OGI_DB" "select group_concat(distinct charset) from reports")" = UTF-8

# The findings are exactly the totals genreport's make_report broke: one
# rule each (a wrong row total breaks T3-ROWSUM in its row and T3-OUTCOMES
# in the total column; the T3-OUTCOMES case adds 3 to new and to the total
# row in one column).
for case in "t3-balance:T3-BALANCE column natural_person;T3-BALANCE column total" \
	"t3-rowsum:T3-OUTCOMES column total;T3-ROWSUM row granted" \
	"t3-outcomes:T3-OUTCOMES column commercial;T3-OUTCOMES column total" \
	"t4-block:T4-BLOCK block review"; do
	name=${case%%:*}
	want=${case#*:}
	id=$(sqlite3 "$OGI_DB" "select id from reports where location like '%/broken-$name.docx'")
	"$OGI" check --id "$id" --format json >"check-$name.json"
	got=$($PY -c 'import json,sys; print(";".join(sorted(x["rule"]+" "+x["applies_to"] for x in json.load(open(sys.argv[1])))))' "check-$name.json")
	check "broken-$name: findings '$want' (got '$got')" test "$got" = "$want"
done
for f in merged-2021 merged-2019 split-t3-2022 layout-nested-2021; do
	id=$(sqlite3 "$OGI_DB" "select id from reports where location like '%/$f.docx'")
	expect_status 0 "$f: no findings" "$OGI" check --id "$id"
done

# Provenance: a cell of a Word table says where it stands, as an HTML
# cell does.  Table 3 is the second table; granted is its grid row 5
# (three header rows, new, carried over), total its grid column 9.
id=$(sqlite3 "$OGI_DB" "select id from reports where location like '%/merged-2021.docx'")
"$OGI" show "$id" --format json >show.json
$PY - <<'PYEOF'
import json, sys
d = json.load(open("show.json", encoding="utf-8"))
p = d["provenance"]
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, want %r" % (what, got, exp))
want("t3.granted.total", p.get("t3.granted.total"),
     {"how": "label", "inferred": False, "table": 1, "row": 5, "col": 9})
want("t3.new.natural_person", p.get("t3.new.natural_person"),
     {"how": "label", "inferred": False, "table": 1, "row": 3, "col": 3})
want("t4.review.upheld table", p.get("t4.review.upheld", {}).get("table"), 2)
want("body from", d["organization_from"], "title")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
check "provenance of Word table cells" test $? -eq 0
# The split table: the rows after the cut stand in the table after it.
id=$(sqlite3 "$OGI_DB" "select id from reports where location like '%/split-t3-2022.docx'")
"$OGI" show "$id" --format json >split.json
t=$($PY -c 'import json; p=json.load(open("split.json"))["provenance"]; print(p["t3.granted.total"]["table"], p["t3.unable.not_held.total"]["table"], p["t3.unable.not_held.total"]["row"])')
check "split table 3: read from both halves (tables, row: $t)" test "$t" = "1 2 0"

# One file by name; content decides the reader, not the name.
cp docx/merged-2021.docx renamed.html
"$OGI" --db one.db ingest renamed.html >one.out 2>&1
check "a .docx named .html is read as a Word document" grep -q "晋江市东石镇人民政府  2023  2021  complete" one.out
cp "$OGI_FIXTURES/shanghai-office-2019.html" page.docx
"$OGI" --db one.db ingest page.docx >one.out 2>&1
check "an HTML page named .docx is read as HTML" grep -q "上海市人民政府办公厅  2019  2019  complete" one.out

# Hostile files.
$PY "$GEN/mkhostile.py" docx/merged-2021.docx hostile || { fail "mkhostile.py"; finish; exit 1; }
# each refused within 400 MB (the sanitizers' own share included; unbounded, the bombs
# would inflate 100 MB to 64 GB), saying why (lib.sh's check_refused)
hostile() {
	check_refused "hostile/$1" "$2" 300 400
}
hostile bomb-size.docx "inflates to 104857768 bytes, over the 64 MiB limit"
hostile bomb-ratio.docx "over 100 times (a ZIP bomb)"
hostile bomb-lying.docx "inflates past the 1000 bytes its directory declares"
hostile billion-laughs.docx "declares a DOCTYPE"
hostile truncated.docx "not a complete ZIP archive"
hostile plain.zip "a ZIP archive without word/document.xml"
hostile workbook.xlsx "a ZIP archive without word/document.xml"
hostile no-document.docx "a ZIP archive without word/document.xml"
hostile password.docx "password-protected .docx"
hostile encrypted-entry.docx "word/document.xml is encrypted"
hostile many-entries.docx "more than 4096 entries"
hostile deep.docx "Excessive depth"
hostile nodes.docx "more than 4000000 XML nodes"
check "a refused file is counted as not a report" \
	grep -q "^1 pages: 0 new reports, 0 updated, 0 unchanged, 1 not reports, 0 failed$" nodes.docx.out
finish
