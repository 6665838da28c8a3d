#!/bin/sh
# Two overlapping crawls of one warehouse: the second says who holds it and
# exits 4; readers and --dry-run are not blocked; the lock dies with its
# holder (kill -9 leaves no stale lock).  The first crawl is held mid-way by
# the server's gate (start_server --gate), not raced against a clock.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

mkdir -p site/l.test/col
$PY - "$T_ROOT/tests/gen" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import genreport
items = ""
for y in range(2019, 2025):
    v = genreport.make_report(random.Random(y), "某某镇人民政府", y, "2021" if y >= 2021 else "2019")
    open("site/l.test/col/r%d.html" % y, "w", encoding="utf-8").write(
        genreport.render_html(v, random.Random(1), 8))
    items += '<li><a href="r%d.html">某某镇%d年政府信息公开工作年度报告</a></li>' % (y, y)
open("site/l.test/col/index.html", "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"></head><body><ul>%s</ul></body></html>' % items)
PYEOF
start_server "$T_TMP/site" --gate || fail "the fixture server did not start"
CT="--connect-to l.test:80:127.0.0.1:$PORT"
"$OGI" -q seed add http://l.test/col/ --org 某某镇人民政府

gate_open 3
"$OGI" crawl --delay 0 $CT >c1.txt 2>c1.err &
pid=$!
check "the first crawl is held mid-way" gate_wait "$pid"
"$OGI" crawl --delay 0 $CT >c2.txt 2>c2.err
check "the second crawl exits 4" test $? -eq 4
check "... and says who runs" test "$(cat c2.err)" = \
	"ogi: cannot crawl: another crawl (pid $pid) is running on 'ogi.db'"
check "... and fetched nothing" test ! -s c2.txt
expect_status 0 "a dry run meanwhile" "$OGI" crawl --dry-run
expect_status 0 "a reader meanwhile" "$OGI" list
gate_open
wait "$pid"
check "the first crawl finishes" test $? -eq 0
check "... asking each URL once, the held one too" test "$(grep -c . "$LOG")" -eq 8
check "it stored the six reports" test "$("$OGI" list --format csv | grep -c ',complete,')" -eq 6
expect_status 0 "after it, a crawl runs" "$OGI" crawl --delay 0 $CT

# kill -9 leaves no stale lock: the kernel drops it with the process.
: >"$LOG"
gate_open 2
"$OGI" crawl --delay 0 $CT >/dev/null 2>&1 &
pid=$!
check "a crawl held mid-way" gate_wait "$pid"
check "... is killed" kill -9 "$pid"
wait "$pid" 2>/dev/null
gate_drop
gate_open
check "the lock file stays, unlocked" test -f ogi.db.crawl.lock
expect_status 0 "a crawl after kill -9 runs" "$OGI" crawl --delay 0 $CT
finish
