#!/bin/sh
# Word 97-2003 and WPS binary documents (parser/msdoc.c): reports written
# by tests/gen/mkdoc.py (an OLE2 file, a FIB, the piece table, tables as
# cell marks in the text, merged cells as empty ones) read to the values
# they were written from, the rules find the broken one, and hostile files
# (a looping sector chain, truncated, encrypted, a Clx past its stream, an
# Excel workbook) are refused with the reason, in bounded time and memory.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

$PY "$T_ROOT/tests/gen/mkdoc.py" doc >mkdoc.out 2>&1
check "mkdoc.py wrote three documents" test "$(ls doc/*.doc 2>/dev/null | wc -l)" -eq 3
$PY "$T_ROOT/tests/e2e/score.py" "$OGI" doc --verbose >score.out 2>&1
check "every value of every .doc equals its truth" test $? -eq 0
grep -v '^ok ' score.out >&2

# read by content: a .doc named .wps, or .txt, is read the same
cp doc/wps-2021.doc report.wps
cp doc/wps-2021.doc report.txt
"$OGI" --db name.db ingest report.wps report.txt >name.out 2>&1
check "a .doc named .wps or .txt is read as Word" \
	test "$(sqlite3 name.db "SELECT count(*) FROM reports WHERE charset = 'doc'")" -eq 1
check "the same bytes twice are one source" test "$(sqlite3 name.db 'SELECT count(*) FROM sources')" -eq 1

"$OGI" --db rules.db -q ingest doc >/dev/null 2>&1
"$OGI" --db rules.db check --format json >findings.json
$PY - doc/expected.json findings.json <<'PYEOF'
import json, sys
exp = json.load(open(sys.argv[1], encoding="utf-8"))["files"]
found = json.load(open(sys.argv[2], encoding="utf-8"))
implies = {"T3-ROWSUM": ["T3-ROWSUM", "T3-OUTCOMES"]}
broken = {(e["organization"][0], e["year"], rule) for e in exp.values() if e.get("broken")
          for rule in implies.get(e["broken"], [e["broken"]])}
got = {(f["organization"], f["year"], f["rule"]) for f in found if f["kind"] == "contradiction"}
if got != broken:
    print("contradictions %s, want %s" % (sorted(got), sorted(broken)), file=sys.stderr)
    sys.exit(1)
PYEOF
check "check finds the broken document's rules, and nothing else" test $? -eq 0

$PY "$T_ROOT/tests/gen/mkdoc.py" hostile --hostile >/dev/null 2>&1
for f in loop.doc:"a broken Word document" truncated.doc:"a broken Word document" \
	encrypted.doc:"an encrypted Word document" clx.doc:"a broken Word document" \
	workbook.xls:"no Word or WPS document"; do
	check_refused "hostile/${f%%:*}" "${f#*:}" 300 200
done
finish
