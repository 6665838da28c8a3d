#!/bin/sh
# The command line itself: help for every command, exit codes, error
# message format, --db / OGI_DB, list, reparse.
. "$(dirname "$0")/lib.sh"
FX="$OGI_FIXTURES"

for cmd in ingest list show check reparse; do
	"$OGI" "$cmd" --help >help.txt 2>&1
	check "$cmd --help exits 0" test $? -eq 0
	check "$cmd --help prints usage" grep -q "^usage: ogi $cmd" help.txt
done
check "ogi --help lists commands" sh -c "'$OGI' --help | grep -q '^  ingest'"
expect_status 2 "unknown command" "$OGI" frobnicate
"$OGI" frobnicate 2>err.txt
check "error format" grep -q "^ogi: 'frobnicate' is not an ogi command" err.txt
expect_status 2 "no command" "$OGI"
expect_status 2 "bad year" "$OGI" check --year 20x3
expect_status 2 "show without selection" "$OGI" show

# --db and OGI_DB choose the warehouse; the default is ./ogi.db.
"$OGI" --db a.db ingest "$FX/longhu-2023.txt" >/dev/null
check "--db creates the named file" test -f a.db
OGI_DB=b.db "$OGI" ingest "$FX/longhu-2023.txt" >/dev/null
check "OGI_DB creates the named file" test -f b.db
"$OGI" ingest "$FX/shanghai-office-2019.html" >/dev/null
check "default warehouse ./ogi.db" test -f ogi.db
check "WAL mode" test "$(sqlite3 a.db 'pragma journal_mode')" = wal

"$OGI" --db a.db list >list.txt
check "list shows the report" grep -q "晋江市龙湖镇人民政府" list.txt
"$OGI" --db a.db list --format csv >list.csv
check "list csv header" grep -q "^id,organization,level,parent,year,format,status,missing,source" list.csv
check "list csv row: township under 晋江市" grep -q ",晋江市龙湖镇人民政府,township,晋江市,2023,2021,complete," list.csv
"$OGI" --db a.db show 1 >show.txt
check "show text: header line" grep -q "^晋江市龙湖镇人民政府  2023  format 2021  complete" show.txt
check "show text: aligned t3 row" grep -Eq "^carried_over +6( +0){5} +6$" show.txt

# A read-only command on a missing warehouse fails clearly and creates nothing.
expect_status 3 "show on a missing warehouse" "$OGI" --db missing.db show 1
check "missing warehouse not created" test ! -e missing.db

# reparse: nothing stale now; with --all every page again, ids kept.
"$OGI" --db a.db reparse >rp.txt
check "reparse: nothing stale" grep -q "^0 pages re-parsed" rp.txt
"$OGI" --db a.db reparse --all >rp.txt
check "reparse --all" grep -q "^1 pages re-parsed: 1 reports updated" rp.txt
check "reparse keeps the id" test "$(sqlite3 a.db 'select group_concat(id) from reports')" = 1

# A newer parser version re-reads old reports (simulate an older one).
sqlite3 a.db "update reports set parser_version = 0"
"$OGI" --db a.db reparse >rp.txt
check "reparse of stale reports" grep -q "^1 pages re-parsed: 1 reports updated" rp.txt

# Output to a full device fails loudly.
expect_status 3 "write error on stdout" sh -c "'$OGI' --db a.db list >/dev/full"
finish
