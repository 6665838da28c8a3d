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
check "list csv header" grep -q "^report_id,organization,level,parent,year,format,status,missing,location,reason,source,body_id,current,excluded" list.csv
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

# Provenance as stored (the parser may not record it yet: set it in the warehouse as it
# would): show's text and JSON and export's last columns carry it.
"$OGI" --db p.db ingest "$FX/longhu-2023.txt" >/dev/null
sqlite3 p.db "UPDATE reports SET organization_from = 'prose', year_from = NULL,
	publisher = '晋江市人民政府';
	UPDATE figures SET how = NULL, inferred = 0, src_table = NULL, src_row = NULL,
	src_col = NULL, src_line = NULL;
	UPDATE figures SET how = 'label', inferred = 1, src_table = 0, src_row = 3, src_col = 2
	WHERE tbl = 3 AND row_key = 'new' AND col_key = 'total';
	UPDATE figures SET how = 'order', src_line = 12, src_col = 4
	WHERE tbl = 2 AND row_key = 'rules' AND col_key = 'issued'"
"$OGI" --db p.db show 1 >show.txt
check "show text: where the body was read, the publisher" \
	grep -q "^body from prose, publisher 晋江市人民政府$" show.txt
"$OGI" --db p.db show 1 --format json >show.json
/usr/bin/python3 - show.json <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
want = {"t3.new.total": {"how": "label", "inferred": True, "table": 0, "row": 3, "col": 2},
        "t2.rules.issued": {"how": "order", "inferred": False, "line": 12, "col": 4}}
got = (d["organization_from"], d["year_from"], d["publisher"], d["provenance"])
if got != ("prose", None, "晋江市人民政府", want):
    print(got)
    sys.exit(1)
PYEOF
check "show json: organization_from, year_from, publisher, provenance as stored" test $? -eq 0
"$OGI" --db p.db export --format csv >export.csv
check "export: provenance columns at the end" grep -q \
	"^report_id,organization,level,parent,year,format,tbl,row_key,col_key,key,value,blank,raw,location,fetched_at,how,inferred,src_table,src_row,src_col,src_line,body_id,current,source$" export.csv
check "export: an HTML cell's place" grep -q ",3,new,total,new/total,0,0,0,.*,label,1,0,3,2,,[0-9]*,1,[^,]*$" export.csv
check "export: a text cell's place" grep -q ",2,rules,issued,rules.issued,0,0,0,.*,order,0,,,4,12,[0-9]*,1,[^,]*$" export.csv
check "export: no provenance, empty places" grep -q ",3,new,natural_person,.*,,0,,,,,[0-9]*,1,[^,]*$" export.csv

# Output to a full device fails loudly.
expect_status 3 "write error on stdout" sh -c "'$OGI' --db a.db list >/dev/full"
finish
