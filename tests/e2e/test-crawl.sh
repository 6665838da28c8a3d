#!/bin/sh
# ogi seed and ogi crawl on the sample city (tests/gen/mkcity.py) served on
# 127.0.0.1: discovery through the three kinds of pagination, reports stored
# with the right body and year (UTF-8 and GBK pages), reports published as
# PDF, DOCX and Word 97 files (every value as generated), a page and the
# PDF or DOCX of the same report kept as one report of two sources, the better one chosen, scans
# (reason image), a page whose tables are pictures (the pictures fetched
# and read by OCR as one document: check_city.py), attachment-only reports,
# scope, politeness from the server's own log, conditional requests on the
# second run (attachments too), a changed and a new report, --dry-run, the
# seed commands.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

H=www.haibin.test
$PY "$T_ROOT/tests/gen/mkcity.py" --out city >/dev/null || fail "mkcity.py"
start_server "$T_TMP/city/sites" || fail "the fixture server did not start"
CT="--connect-to $H:80:127.0.0.1:$PORT --connect-to www.shanhai.test:80:127.0.0.1:$PORT"
crawl() {
	"$OGI" crawl --delay 0.05 $CT "$@"
}

# ---- seeds ----
for sub in "" "add" "import" "list" "rm" "urls"; do
	"$OGI" seed $sub --help >help.txt 2>&1
	check "seed $sub --help" grep -q '^usage: ogi seed' help.txt
done
"$OGI" crawl --help >help.txt 2>&1
check "crawl --help" grep -q '^usage: ogi crawl' help.txt
"$OGI" --db s.db seed import city/seeds.tsv >out.txt
check "import: 12 added" grep -q '^12 seeds: 12 added, 0 updated, 0 bad lines$' out.txt
"$OGI" --db s.db seed import city/seeds.tsv >out.txt
check "import again: 12 updated" grep -q '^12 seeds: 0 added, 12 updated' out.txt
check "seed list: 12 seeds" test "$("$OGI" --db s.db seed list --format csv | grep -c '^[0-9]')" -eq 12
"$OGI" --db s.db seed list --format csv >list.csv
check "seed list: level and parent" grep -q ',海滨市石桥镇人民政府,township,海滨市,listing,0,0,0,' list.csv
expect_status 2 "seed add: bad level" "$OGI" --db s.db seed add http://a.test/ --org X --level town
expect_status 2 "seed add: not http" "$OGI" --db s.db seed add ftp://a.test/ --org X
expect_status 2 "seed add: no org" "$OGI" --db s.db seed add http://a.test/
expect_status 2 "seed add: bad scope" "$OGI" --db s.db seed add http://a.test/ --org X --scope x/
expect_status 2 "seed add: bad kind" "$OGI" --db s.db seed add http://a.test/ --org X --kind page
"$OGI" --db s.db seed add 'HTTP://A.test:80/x/../col/#frag' --org 甲 --kind report >out.txt
check "seed add: URL made canonical" grep -q '^added seed 13: 甲  http://a.test/col/$' out.txt
"$OGI" --db s.db seed add http://a.test/col/ --org 乙 >out.txt
check "seed add: same URL updates" grep -q '^updated seed 13: 乙' out.txt
printf 'url\torganization\n\n# a comment\nhttp://b.test/\t乙\nnot a url\tX\nhttp://c.test/\t\nhttp://d.test/\tD\ttown\n' >bad.tsv
"$OGI" --db s.db seed import bad.tsv >out.txt 2>err.txt
check "import with bad lines exits 1" test $? -eq 1
check "import: bad lines named" test "$(grep -c '^ogi: bad.tsv:[56]:' err.txt)" -eq 2
check "import: bad level named" grep -q "^ogi: bad.tsv:7: unknown level 'town'" err.txt
check "import: the good line kept" grep -q '^1 seeds: 1 added, 0 updated, 3 bad lines$' out.txt
"$OGI" --db s.db seed rm 13 >out.txt
check "seed rm" grep -q '^removed seed 13$' out.txt
expect_status 1 "seed rm: unknown id" "$OGI" --db s.db seed rm 13
expect_status 2 "seed rm: bad id" "$OGI" --db s.db seed rm x
expect_status 2 "crawl: unknown seed" "$OGI" --db s.db crawl --seed 99 --dry-run
expect_status 2 "crawl: no seed matches --org" "$OGI" --db s.db crawl --org 不存在 --dry-run
expect_status 2 "crawl: no seeds at all" "$OGI" --db empty.db crawl
expect_status 2 "crawl: bad delay" "$OGI" --db s.db crawl --delay -1
expect_status 2 "crawl: bad pattern" "$OGI" --db s.db crawl --report-pattern '(' $CT

# ---- dry run: a list, no request ----
"$OGI" -q seed import city/seeds.tsv
"$OGI" crawl --dry-run >dry.txt 2>dry.err
check "dry run exits 0" test $? -eq 0
check "dry run lists the 12 seeds" test "$(grep -c "	listing	-	http://$H/" dry.txt)" -eq 12
check "dry run requests nothing" test "$(grep -c . "$LOG")" -eq 0
"$OGI" crawl --dry-run --org 公安局 >dry.txt 2>/dev/null
check "dry run --org: one seed" test "$(grep -c . dry.txt)" -eq 1

# ---- the first crawl ----
crawl --log crawl1.jsonl >crawl1.txt 2>crawl1.err
check "crawl exits 0" test $? -eq 0
check "summary line" grep -q '^crawl run 1: 12 seeds, 25 listing and 63 report pages, 16 attachments, 105 requests .*: 79 new reports, 0 changed, 0 unchanged, 0 same content elsewhere, 0 failed, 0 paused, 0 capped$' crawl1.txt
# a column's first page is fetched once, not again as index.htm from page 2's 首页 link
check "no listing page fetched twice" test "$(grep '"path"' "$LOG" | sed 's/.*"path": *"\([^"]*\)".*/\1/' | sort | uniq -d | wc -l)" -eq 0
check "first pages not listed again as index.htm" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls WHERE kind = 'listing' AND url LIKE '%/index.htm'")" -eq 0
$PY "$T_ROOT/tests/e2e/check_city.py" ogi.db city/expected.json >check_city.txt
check "every report stored with its body, year and figures" test $? -eq 0
sed 's/^/    /' check_city.txt >&2
check "GBK pages read (石桥镇)" test "$("$OGI" list --org 石桥镇 --format csv | grep -c ',complete,')" -eq 6
check "GBK pages read (公安局)" test "$("$OGI" list --org 公安局 --format csv | grep -c ',complete,')" -eq 6
# 23: the page of pictures (财政局 2019) has its form now, read from its pictures
check "formats by year" test "$("$OGI" list --format csv | grep -c ',20\(19\|20\),2019,')" -eq 23
check "each report line printed" test "$(grep -c '^added ' crawl1.txt)" -eq 72
# the page that only says "see the attachment" first, then its PDF, the same report
check "the attachment-only page's PDF updates its report" grep -q \
	'^updated   海滨市自然资源局  2021  2021  complete  http://.*/P[0-9]*\.pdf$' crawl1.txt
check "a PDF of a page with tables joins its report" \
	test "$(grep -c '^attached  海滨市城关街道办事处  202[34]  2021  complete  http://.*\.pdf$' crawl1.txt)" -eq 2
check "only the city's host was asked" test "$(logq hosts)" = "$H"
check "nothing under /search/ (out of scope, robots.txt)" test "$(logq count --path '^/search')" -eq 0
check "robots.txt fetched once" test "$(logq count --path '^/robots.txt$')" -eq 1
check "createPageHTML pages followed" test "$(logq count --path '/zjdgk/16/zfxxgkndbg/index_1.htm$')" -eq 1
check "numbered pages followed" test "$(logq count --path '/bmgk/jyj/ndbg/index_1.htm$')" -eq 1
check "?page=N pages followed" test "$(logq count --path '/bmgk/czj/ndbg/index.html\?page=2$')" -eq 1
check "every PDF fetched once" test "$(logq count --path '\.pdf$')" -eq 10
check "every DOCX and DOC fetched once" test "$(logq count --path '\.docx?$')" -eq 3
check "the three pictures of the page of pictures fetched once" \
	test "$(logq count --path '/czj/ndbg/202001/W0[0-9]*\.png$')" -eq 3
# read again with the pictures stored so far as each comes: all three at the end (check_city.py)
check "the page of pictures read again as its pictures come" test "$(grep -c \
	'^updated   海滨市财政局  2019  2019  [a-z]*  http://.*/202001/t20200122_3000055\.htm$' crawl1.txt)" -eq 3
check "a DOCX of a page with tables joins its report" \
	grep -q '^attached  海滨市教育局  2021  2021  complete  http://.*\.docx$' crawl1.txt
check "each after the page or listing that links it" $PY - "$LOG" ogi.db <<'PYEOF'
import json, sqlite3, sys
paths = [json.loads(l)["path"] for l in open(sys.argv[1]) if l.strip()]
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[2], uri=True)
path = lambda u: "/" + u.split("://", 1)[1].split("/", 1)[1]
pairs = [(path(a), path(r)) for a, r in db.execute(
    "SELECT a.url, r.url FROM crawl_urls a JOIN crawl_urls r ON r.id = a.referrer_id "
    "WHERE a.kind = 'attachment'")]
bad = [a for a, r in pairs if a not in paths or r not in paths or
       paths.index(r) > paths.index(a)]
sys.exit(1 if bad or len(pairs) != 16 else 0)
PYEOF
# Politeness is ogi's own spacing of the starts of its requests to a host,
# read from its --log ("started", to the millisecond, on the clock the
# fetcher spaces them by): what the server sees also depends on how loaded
# the machine is.
check "requests to the host started 0.05 s apart at least" $PY - crawl1.jsonl $H <<'PYEOF'
import datetime, json, sys
starts = []
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("event") != "request" or "//%s/" % sys.argv[2] not in r["url"]:
        continue
    starts.append(datetime.datetime.strptime(r["started"], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp())
starts.sort()
gaps = [b - a for a, b in zip(starts, starts[1:])]
ok = len(starts) > 50 and min(gaps) >= 0.05 - 0.002
if not ok:
    print("%d requests, smallest gap %.4f s" % (len(starts), min(gaps, default=0)), file=sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
"$OGI" check >check.txt 2>/dev/null
check "check finds T3-BALANCE of 南港镇 2022" grep -q '海滨市南港镇人民政府 *2022 *T3-BALANCE' check.txt
check "check finds T3-ROWSUM of 教育局 2023" grep -q '海滨市教育局 *2023 *T3-ROWSUM' check.txt
check "check finds T4-BLOCK of 北塘镇 2020" grep -q '海滨市北塘镇人民政府 *2020 *T4-BLOCK' check.txt
"$OGI" seed urls --attachment-only --format csv >att.csv
check "attachment-only reports listed" test "$(grep -c '^[0-9]' att.csv)" -eq 11
check "the DOCX-only and DOC-only reports are listed, fetched" \
	test "$(grep -c '^[59],attachment,ok,new,report,200,,.*\.docx\?$' att.csv)" -eq 2
check "the PDF-only report is listed, fetched" grep -q '^6,attachment,ok,new,report,200,,.*2019年.*\.pdf$' att.csv
check "the attachment-only page is listed" grep -q '^11,report,ok,new,attachment_only,200,' att.csv
check "the PDF-only body's files are listed" test "$(grep -c '^12,attachment,ok,new,' att.csv)" -eq 6
check "attachment-only counted in the summary" grep -q '^ *11  海滨市自然资源局 .* 1  *1$' crawl1.txt
check "attachments counted in the summary" grep -q '^ *12  海滨市住房和城乡建设局  *2  *0  *6  *6 ' crawl1.txt
# 西山镇's PDF is read: no body-year of the city is "no report"; the scan is
# "tables are images" (a crawl does not read scans), the page of pictures no
# longer: its pictures are read
"$OGI" report flags --format csv >flags.csv
check "report flags: no 'no report'" sh -c "! grep -q ',no report,' flags.csv"
check "report flags: one report whose tables are images" test "$(grep -c ',tables are images,' flags.csv)" -eq 1
check "report flags: the scan" \
	grep -q '^海滨市住房和城乡建设局,department,海滨市,2020,tables are images,' flags.csv
"$OGI" show --org 财政局 --year 2019 >pics.txt
check "show: the page of pictures read by OCR, its pictures its sources" sh -c \
	"grep -q '^read by OCR: 198 figures, ' pics.txt &&
	 test \$(grep -c '^ *attachment  -  *http://.*/W0[0-9]*\.png$' pics.txt) -eq 3"
"$OGI" show --org 自然资源局 --year 2021 --format json >zr.json
check "show json: the PDF chosen over the page" $PY - zr.json <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
s = d["sources"]
ok = (d["status"] == "complete" and d["reason"] is None and len(s) == 2 and
      s[0]["role"] == "attachment" and s[0]["chosen"] and s[0]["status"] == "complete" and
      s[0]["location"].endswith(".pdf") and s[1]["role"] == "page" and not s[1]["chosen"] and
      s[1]["status"] == "no_tables" and s[1]["location"] == d["source"])
sys.exit(0 if ok else 1)
PYEOF
"$OGI" show --org 住房和城乡建设局 --year 2020 >scan.txt
check "show: the scan's reason" grep -q '^no tables: the tables are images' scan.txt
check "show: the scan named by its link" grep -q '^body from link, year from link$' scan.txt
$PY "$T_ROOT/tests/e2e/digest.py" ogi.db | grep -v '^frontier' >d1.txt

# ---- the second crawl: conditional requests, nothing changes ----
: >"$LOG"
crawl >crawl2.txt 2>crawl2.err
check "second crawl exits 0" test $? -eq 0
check "second crawl: all unchanged" grep -q ': 0 new reports, 0 changed, 79 unchanged, 0 same content elsewhere, 0 failed, 0 paused, 0 capped$' crawl2.txt
check "every page asked with If-None-Match" test "$(logq count --path '^/xxgk/' --no-inm)" -eq 0
check "every page answered 304" test "$(logq count --status 304)" -eq 104
check "every picture answered 304" test "$(logq count --path '\.png$' --status 304)" -eq 3
check "every PDF answered 304" test "$(logq count --path '\.pdf$' --status 304)" -eq 10
check "every DOCX and DOC answered 304" test "$(logq count --path '\.docx?$' --status 304)" -eq 3
check "no report line printed" test "$(grep -c '^added \|^updated ' crawl2.txt)" -eq 0
$PY "$T_ROOT/tests/e2e/digest.py" ogi.db | grep -v '^frontier' >d2.txt
check "the warehouse is as it was" cmp -s d1.txt d2.txt

# ---- a changed report and a new one ----
col=city/sites/$H/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg
page=$(ls $col/202401/*.htm)
url="http://$H/xxgk/zfxxgkzl/zjdgk/16/zfxxgkndbg/202401/${page##*/}"
id=$(sqlite3 ogi.db "SELECT id FROM reports WHERE location = '$url'")
new_total=$($PY - "$page" "$T_ROOT/tests/gen" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[2])
import genreport
v = genreport.make_report(random.Random(99), "海滨市东湖镇人民政府", 2023, "2021", scale=3)
open(sys.argv[1], "w", encoding="utf-8").write(genreport.render_html(v, random.Random(1), 10))
print(v["t3"]["new"]["total"])
PYEOF
)
sed 's/2023年/2025年/g' "$page" >"$col/202401/t20260115_9999999.htm"
# the page of pictures' last picture changes its bytes (a tEXt chunk), not what it shows
pic=$(ls city/sites/$H/xxgk/zfxxgkzl/bmgk/czj/ndbg/202001/W0*2.png)
$PY - "$pic" <<'PYEOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
body = b"tEXt" + b"Comment\0changed"
chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
end = data.rindex(b"IEND") - 4
open(sys.argv[1], "wb").write(data[:end] + chunk + data[end:])
PYEOF
pics_before=$(sqlite3 ogi.db "SELECT group_concat(value || ':' || uncertain || ':' || ocr_image) FROM figures
	WHERE report_id = (SELECT id FROM reports WHERE location LIKE '%/202001/t20200122_3000055.htm')")
sed -i 's|<ul class="list">|<ul class="list">\n<li><a href="./202401/t20260115_9999999.htm" title="海滨市东湖镇人民政府关于2025年政府信息公开工作年度报告">东湖镇2025年政府信息公开工作年度报告</a><span>2026-01-15</span></li>|' "$col/index.htm"
: >"$LOG"
crawl >crawl3.txt 2>crawl3.err
check "third crawl: one new, two changed (a report, a picture)" grep -q ': 1 new reports, 2 changed, 77 unchanged, 0 same content elsewhere, 0 failed, 0 paused, 0 capped$' crawl3.txt
check "a changed picture: its page read again" test "$(grep -c \
	'^updated   海滨市财政局  2019  2019  [a-z]*  http://.*/202001/t20200122_3000055\.htm$' crawl3.txt)" -eq 1
check "a changed picture that shows the same: the same figures" test "$(sqlite3 ogi.db \
	"SELECT group_concat(value || ':' || uncertain || ':' || ocr_image) FROM figures WHERE report_id =
	 (SELECT id FROM reports WHERE location LIKE '%/202001/t20200122_3000055.htm')")" = "$pics_before"
check "the changed report keeps its id" \
	test "$(sqlite3 ogi.db "SELECT id FROM reports WHERE location = '$url'")" = "$id"
check "the changed report has the new figures" test "$(sqlite3 ogi.db \
	"SELECT value FROM figures WHERE report_id = $id AND tbl = 3 AND row_key = 'new' AND col_key = 'total'")" = "$new_total.0"
check "the new report is stored" test "$("$OGI" list --org 东湖镇 --year 2025 --format csv | grep -c ',2025,2021,complete,')" -eq 1
check "73 reports, 82 sources" test "$(sqlite3 ogi.db 'SELECT count(*) FROM reports') $(sqlite3 ogi.db 'SELECT count(*) FROM sources')" = "73 82"

# ---- --max-pages bounds a seed's fetches; -q prints the run's line alone ----
: >"$LOG"
"$OGI" --db m.db -q seed import city/seeds.tsv
"$OGI" --db m.db -q crawl --delay 0 --seed 2 --max-pages 2 $CT >q.txt 2>&1
check "quiet crawl prints one line, timestamped" test "$(grep -c . q.txt)" -eq 1 && \
	grep -Eq '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z crawl run 1: 1 seeds, .*, 0 failed, 0 paused, 7 capped$' q.txt
check "--max-pages 2: two pages of the seed" test "$(logq count --path '^/xxgk/')" -eq 2
check "--seed: only that seed's column" test "$(logq count --path '/zjdgk/16/')" -eq 2
"$OGI" --db m2.db -q seed import city/seeds.tsv
"$OGI" --db m2.db crawl --delay 0 --seed 2 --max-pages 1 $CT >/dev/null 2>err.txt
check "--max-pages says the rest waits" \
	grep -q '^ogi: seed 2 (.*): --max-pages 1 reached: 6 URLs wait for the next run$' err.txt
"$OGI" --db m.db crawl --dry-run --seed 2 >dry.txt 2>/dev/null
check "dry run: the two fetched conditional, the rest known" \
	test "$(grep -c '	if-none-match	' dry.txt) $(grep -c '	-	' dry.txt)" = "2 7"
finish
