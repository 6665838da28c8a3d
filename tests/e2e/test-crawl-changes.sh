#!/bin/sh
# ogi crawl and what it says changed: a report page whose bytes change
# every run (a visit counter, the time it was served) but whose report does
# not is "unchanged" and not stored again; a page that is no report counts
# by its visible text (a script's counter changes nothing); a page whose
# bytes are stored already under another URL is "same content elsewhere",
# not "added"; when the warehouse cannot be written (a full disk, here a
# file size limit) the pages rolled back are never printed as added, and
# the summary counts what the warehouse holds.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

mkdir -p site/c.test/col site/d.test/col
# site DIR ORG N VISITS [T3NEW]: report pages r1..rN in DIR, r1's footer with a
# visit counter and the time it was served, r1's 3.new.total T3NEW when given;
# n.html, no report, whose script counts visits; a listing of them all
site() {
	$PY - "$T_ROOT/tests/gen" "$@" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import genreport
d, org, n, visits = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
items = []
for i in range(1, n + 1):
    v = genreport.make_report(random.Random(i), org, 2000 + i, "2021")
    if i == 1 and len(sys.argv) > 6:
        v["t3"]["new"]["total"] = int(sys.argv[6])
    html = genreport.render_html(v, random.Random(1), 8)
    if i == 1:
        html = html.replace("</body>", '<div class="footer">您是本站第%d位访客 '
                            '当前时间：%02d:%02d:%02d</div></body>'
                            % (visits, visits % 24, visits % 60, visits % 60))
    open("%s/r%d.html" % (d, i), "w", encoding="utf-8").write(html)
    items.append('<li><a href="r%d.html">%s%d年政府信息公开工作年度报告</a></li>' % (i, org, 2000 + i))
open("%s/n.html" % d, "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"><title>关于年度报告的说明</title></head><body>'
    '<p>本机关2009年政府信息公开工作年度报告将于近期发布。</p>'
    '<script>var visits = %d;</script></body></html>' % visits)
items.append('<li><a href="n.html">%s2009年政府信息公开工作年度报告</a></li>' % org)
open("%s/index.html" % d, "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"><title>年报</title></head><body><ul>%s</ul></body></html>'
    % "".join(items))
PYEOF
}
site site/c.test/col 某某县交通运输局 3 1001
# r3 is r2 under another URL, byte for byte
cp site/c.test/col/r2.html site/c.test/col/r3.html
start_server "$T_TMP/site" || fail "the fixture server did not start"
CT="--connect-to c.test:80:127.0.0.1:$PORT --connect-to d.test:80:127.0.0.1:$PORT"
"$OGI" -q seed add http://c.test/col/ --org 某某县交通运输局 --kind listing
sources() { sqlite3 ogi.db 'SELECT count(*) FROM sources'; }

# ---- run 1: the same bytes under two URLs ----
"$OGI" crawl --delay 0 $CT >c1.out 2>c1.err
check "run 1 exits 0" test $? -eq 0
check "run 1: r1 and r2 added" \
	test "$(grep '^added ' c1.out | sed 's/.*  //' | tr '\n' ' ')" = "http://c.test/col/r1.html http://c.test/col/r2.html "
check "... r3, r2's bytes again, not added" test "$(grep -c 'r3.html' c1.out)" -eq 0
check "... counted as the same content elsewhere" \
	grep -q ': 3 new reports, 0 changed, 0 unchanged, 1 same content elsewhere, 0 failed, 0 paused, 0 capped$' c1.out
check "... recorded as such, pointing at r2's source" test "$(sqlite3 ogi.db "SELECT u.result || ' ' ||
	(u.source_id = (SELECT source_id FROM crawl_urls WHERE url = 'http://c.test/col/r2.html'))
	FROM crawl_urls u WHERE u.url = 'http://c.test/col/r3.html'")" = "same 1"
check "... two reports" test "$(sqlite3 ogi.db 'SELECT count(*) FROM reports')" -eq 2
n1=$(sources)

# ---- run 2: the counters moved, nothing else ----
site site/c.test/col 某某县交通运输局 3 1002
cp site/c.test/col/r2.html site/c.test/col/r3.html
: >"$LOG"
"$OGI" crawl --delay 0 $CT >c2.out 2>c2.err
check "run 2 exits 0" test $? -eq 0
check "run 2: the counter page came back with new bytes" \
	test "$(logq count --path '^/col/(r1|n)\.html$' --status 200)" -eq 2
check "... and is unchanged" grep -q ': 0 new reports, 0 changed, 4 unchanged, 0 same content elsewhere, 0 failed, 0 paused, 0 capped$' c2.out
check "... no report line" test "$(grep -c '^added \|^updated ' c2.out)" -eq 0
check "... nothing stored again" test "$(sources)" -eq "$n1"
check "... recorded so" test "$(sqlite3 ogi.db \
	"SELECT result FROM crawl_urls WHERE url = 'http://c.test/col/r1.html'")" = "unchanged"

# ---- run 3: the counter page's report changes ----
site site/c.test/col 某某县交通运输局 3 1003 987654
cp site/c.test/col/r2.html site/c.test/col/r3.html
"$OGI" crawl --delay 0 $CT >c3.out 2>c3.err
check "run 3: a figure changed: updated" \
	test "$(grep '^updated ' c3.out | sed 's/.*  //')" = "http://c.test/col/r1.html"
check "... counted changed" grep -q ': 0 new reports, 1 changed, 3 unchanged, 0 same content elsewhere, ' c3.out
check "... the new figure stored" test "$(sqlite3 ogi.db "SELECT value FROM figures f JOIN reports r
	ON r.id = f.report_id WHERE r.location = 'http://c.test/col/r1.html' AND tbl = 3
	AND row_key = 'new' AND col_key = 'total'")" = "987654.0"

# ---- the warehouse cannot be written: nothing rolled back is printed ----
site site/d.test/col 某某县民政局 40 1
"$OGI" --db full.db -q seed add http://d.test/col/ --org 某某县民政局 --kind listing
# Every file ogi writes may grow to 1 MiB past what the warehouse takes now: the
# crawl's writes reach that part way.  SIGXFSZ ignored, so that a write past it
# fails (EFBIG) as on a full disk, instead of killing ogi.
blocks=$((($(wc -c <full.db) + 1048576) / 512))
(trap '' XFSZ; ulimit -f "$blocks"; exec "$OGI" --db full.db crawl --delay 0 $CT) >f.out 2>f.err
st=$?
check "a write that fails: warehouse error (exit 3)" test "$st" -eq 3
check "... said so" grep -q "^ogi: cannot .* in 'full.db'" f.err
check "... nothing said to wait for a time limit" test "$(grep -c time-limit f.err)" -eq 0
stored=$(sqlite3 full.db 'SELECT count(*) FROM reports')
# what groups of results were committed before the failing write stays (none,
# when the whole crawl fitted in the group that failed)
check "... the crawl not all stored" test "$stored" -lt 40
check "... an added line for each report stored, no more" \
	test "$(grep -c '^added ' f.out)" -eq "$stored"
check "... each of them stored" $PY - full.db f.out <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored = {r[0] for r in db.execute("SELECT location FROM reports")}
added = [l.rstrip("\n").split("  ")[-1] for l in open(sys.argv[2], encoding="utf-8")
         if l.startswith("added ")]
sys.exit(0 if set(added) <= stored and len(added) == len(set(added)) else 1)
PYEOF
check "... the run's line counts what is stored" \
	grep -q "^crawl run 1 (stopped: .*): 1 seeds, .*: $stored new reports, " f.out
check "... the warehouse intact" test "$(sqlite3 full.db 'PRAGMA integrity_check')" = "ok"
"$OGI" --db full.db crawl --delay 0 $CT >f2.out 2>f2.err
check "with room again, the next crawl resumes and finishes" test $? -eq 0
check "... every report stored once" test "$(sqlite3 full.db 'SELECT count(*) FROM reports')" -eq 40
check "... the rest added now" test "$(grep -c '^added ' f2.out)" -eq $((40 - stored))
finish
