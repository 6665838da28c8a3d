#!/bin/sh
# Hostile and broken input: each gives a clear message or a partial /
# no_tables report, never a crash or a sanitizer report, and nothing
# already in the warehouse is lost.
. "$(dirname "$0")/lib.sh"
HERE="$T_ROOT/tests/e2e"
PY=/usr/bin/python3
export OGI_DB="$T_TMP/ogi.db"
"$OGI" ingest "$OGI_FIXTURES/longhu-2023.txt" >/dev/null 2>&1
before=$(sqlite3 "$OGI_DB" "select count(*) from figures")

# ingest_one FILE STATUS PATTERN: exit status STATUS and stderr or stdout matching PATTERN
ingest_one() {
	"$OGI" ingest "$1" >"$1.out" 2>"$1.err"
	got=$?
	if [ "$got" -ne "$2" ]; then
		fail "$1: exit $got, want $2: $(cat "$1.err")"
		return
	fi
	if grep -Eq "$3" "$1.err" "$1.out"; then ok; else fail "$1: no '$3' in: $(cat "$1.err" "$1.out")"; fi
	if grep -q "Sanitizer\|runtime error" "$1.err"; then fail "$1: sanitizer report"; fi
}

: >empty.html
ingest_one empty.html 1 "ogi: cannot read '.*empty.html': empty file"

head -c 200000 /dev/urandom >random.bin
ingest_one random.bin 1 "ogi: cannot read '.*random.bin': binary data"

printf '%%PDF-1.7\n%%\342\343\317\323\n1 0 obj\n' >report.pdf
ingest_one report.pdf 1 "ogi: cannot read '.*report.pdf': a broken PDF"
check "a broken PDF counts as not a report, not as a failure" \
	grep -q "^1 pages: 0 new reports, 0 updated, 0 unchanged, 1 not reports, 0 failed$" report.pdf.out

# Invalid UTF-8 sprinkled into a real page: read as far as it goes.
$PY - "$OGI_FIXTURES/shanghai-office-2019.html" <<'PYEOF'
import sys
b = open(sys.argv[1], "rb").read()
b = b.replace("一、总体情况".encode(), b"\xff\xfe\xc0\xaf" + "一、总体情况".encode())
b = b[:300] + b"\xe4\xb8" + b[300:]
open("bad-utf8.html", "wb").write(b)
# A GBK page with a broken double-byte sequence in the prose.
g = open(sys.argv[1], encoding="utf-8").read().replace('charset="utf-8"', 'charset="gbk"')
gb = g.encode("gb18030").replace("总体情况".encode("gb18030"), b"\x81\x20" + "总体情况".encode("gb18030"))
open("bad-gbk.html", "wb").write(gb)
# 10,000 nested tables around nothing, then a heading.
open("nested.html", "w").write("<html><body>" + "<table><tr><td>" * 10000 + "x" + "</td></tr></table>" * 10000 + "</body></html>")
# A 50 MB page: a real report drowned in chrome.
page = open(sys.argv[1], encoding="utf-8").read()
pad = "<p>" + "政务公开" * 50 + "</p>"
with open("big.html", "w", encoding="utf-8") as f:
    f.write(page.replace("<p>六、", pad * (50 * 1024 * 1024 // len(pad.encode())) + "<p>六、"))
PYEOF
ingest_one bad-utf8.html 0 "上海市人民政府办公厅  2019  2019  complete"
ingest_one bad-gbk.html 0 "上海市人民政府办公厅  2019  2019  complete"
ingest_one nested.html 1 "no report title, year or table found"
ingest_one big.html 0 "上海市人民政府办公厅  2019  2019  complete"

# Over the size limit: refused before it is read.
dd if=/dev/zero of=huge.html bs=1M count=0 seek=70 2>/dev/null
ingest_one huge.html 1 "over the 64 MiB limit"

check "a folder that does not exist" sh -c "! '$OGI' ingest no/such/dir 2>e.txt && grep -q \"ogi: cannot read 'no/such/dir'\" e.txt"

after=$(sqlite3 "$OGI_DB" "select count(*) from figures f join reports r on r.id=f.report_id where r.location like '%longhu-2023.txt'")
check "earlier report kept ($before figures, now $after for it)" test "$before" = "$after"
check "integrity_check ok" test "$(sqlite3 "$OGI_DB" 'pragma integrity_check')" = ok
n=$(sqlite3 "$OGI_DB" "select count(*) from sources")
check "unreadable pages are kept as sources for a later parser ($n)" test "$n" -ge 6
finish
