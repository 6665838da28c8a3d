#!/bin/sh
# kill -9 at several points of a crawl, then the same command again: the
# crawl finishes with the warehouse an uninterrupted crawl leaves (sources,
# reports, figures, findings, frontier: counts and content), no page stored
# twice, and PRAGMA integrity_check ok.  The city has no pictures or scan
# (mkcity.py --no-ocr): OCR is test-crawl.sh's and test-ocr.sh's.
#
# The kill points do not race the crawl: the server's gate (start_server
# --gate) answers exactly N requests of each run and holds the next, and the
# kill comes once the server holds it, so the crawl is always mid-way,
# waiting on the server, however fast the binary is.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

$PY "$T_ROOT/tests/gen/mkcity.py" --out city --no-ocr >/dev/null || fail "mkcity.py"
start_server "$T_TMP/city/sites" --gate || fail "the fixture server did not start"
CT="--connect-to www.haibin.test:80:127.0.0.1:$PORT"

crawl() {
	db=$1
	shift
	"$OGI" --db "$db" crawl --delay 0.02 --backoff 0.1 $CT "$@"
}

"$OGI" --db ref.db -q seed import city/seeds.tsv
crawl ref.db >ref.out 2>ref.err
check "uninterrupted crawl exits 0" test $? -eq 0
check "the uninterrupted crawl made 102 requests" test "$(grep -c . "$LOG")" -eq 102

# Requests answered per killed run.  The city has 100 pages and files, and
# each run asks for robots.txt first; a run settles at most what it was
# answered, so while the sum of (N - 1) stays under 100 every run still has
# pages to fetch when the gate closes: each kill lands mid-crawl.
KILLS="3 25 25 30"
"$OGI" --db k.db -q seed import city/seeds.tsv
killed=0
: >"$LOG"
mark=0
for n in $KILLS; do
	gate_open "$n"
	# not through crawl(): $! must be ogi itself, not a subshell
	"$OGI" --db k.db crawl --delay 0.02 --backoff 0.1 $CT >k.out 2>>k.err &
	pid=$!
	if gate_wait "$pid" && kill -9 "$pid" 2>/dev/null; then
		killed=$((killed + 1))
	fi
	wait "$pid" 2>/dev/null
	# the request the killed process waited for is answered to no one
	gate_drop
	# what the killed process had settled, and where the log stood
	sqlite3 k.db "SELECT url FROM crawl_urls WHERE kind <> 'listing' AND result IS NOT NULL" \
		>"settled.$killed"
	grep -c . "$LOG" >"mark.$killed"
	check "a killed run was answered $n requests" test $(($(cat "mark.$killed") - mark)) -eq "$n"
	mark=$(cat "mark.$killed")
done
check "killed four times mid-crawl ($killed)" test "$killed" -eq 4
gate_open
crawl k.db >k.out 2>>k.err
check "the crawl run again finishes" test $? -eq 0
check "it says it resumed" grep -q '^crawl run 1 (resumed)' k.out
# What a killed process had settled is not fetched again: only pages and
# files in flight, fetched and waiting for their parse (at most 16), or
# stored in the group of results not yet committed at a kill are asked for
# twice.  A group is committed within CRAWL_GROUP_SECONDS (0.1 s) of its
# first result, and one host at --delay 0.02 starts at most 6 requests in
# 0.1 s: at most 1 + 16 + 6 per kill.
refetch=23
check "some report pages were settled at a kill" test "$(cat settled.* | wc -l)" -gt 0
check "report pages and files settled before a kill not fetched again" $PY - "$LOG" "$killed" <<'PYEOF'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
again = []
for k in range(1, int(sys.argv[2]) + 1):
    mark = int(open("mark.%d" % k).read())
    settled = {u.split("://", 1)[1].split("/", 1)[1] for u in open("settled.%d" % k).read().split()}
    again += [r["path"] for r in log[mark:] if r["path"].lstrip("/") in settled]
if again:
    print("fetched again after a kill:", again[:5], file=sys.stderr)
sys.exit(1 if again else 0)
PYEOF
check "report pages fetched at most once, but for the kills" \
	test "$(logq count --path '/t20[0-9]+_')" -le $((65 + killed * refetch))
check "attachments fetched at most once, but for the kills" \
	test "$(logq count --path '\.pdf$')" -le $((10 + killed * refetch))

chosen="SELECT group_concat(location || ' ' || role || ' ' || chosen || ' ' || coalesce(status, '-'), '
') FROM (SELECT * FROM report_sources ORDER BY location)"
$PY "$T_ROOT/tests/e2e/digest.py" ref.db >ref.digest
$PY "$T_ROOT/tests/e2e/digest.py" k.db >k.digest
check "same warehouse as the uninterrupted crawl" cmp -s ref.digest k.digest
if ! cmp -s ref.digest k.digest; then
	diff ref.digest k.digest >&2
fi
check "72 reports" grep -q '^reports      72 ' k.digest
check "the same sources chosen" test "$(sqlite3 k.db "$chosen")" = "$(sqlite3 ref.db "$chosen")"
check "integrity_check ok" test "$(sqlite3 k.db 'PRAGMA integrity_check')" = ok
check "no page stored twice" \
	test "$(sqlite3 k.db 'SELECT count(*) - count(DISTINCT location) FROM sources')" -eq 0
check "one run, done" test "$(sqlite3 k.db "SELECT group_concat(status) FROM crawl_runs")" = done

# The next run starts afresh and changes nothing.
crawl k.db >k2.out 2>>k.err
check "a later run is a new run" grep -q '^crawl run 2: ' k2.out
$PY "$T_ROOT/tests/e2e/digest.py" k.db | grep -v '^frontier' >k2.digest
grep -v '^frontier' ref.digest >ref2.digest
check "and leaves the reports as they were" cmp -s ref2.digest k2.digest

# Parse threads change nothing the crawl stores or says: --jobs 1 and 3
# against the default (the processors online).
grep -v '^crawl run' ref.out >ref.lines
for j in 1 3; do
	"$OGI" --db "j$j.db" -q seed import city/seeds.tsv
	crawl "j$j.db" --jobs "$j" >"j$j.out" 2>>j.err
	check "--jobs $j: the crawl exits 0" test $? -eq 0
	$PY "$T_ROOT/tests/e2e/digest.py" "j$j.db" >"j$j.digest"
	check "--jobs $j: the warehouse of the default run" cmp -s ref.digest "j$j.digest"
	grep -v '^crawl run' "j$j.out" >"j$j.lines"
	check "--jobs $j: the same report lines in the same order" cmp -s ref.lines "j$j.lines"
done
expect_status 2 "crawl --jobs 0 is refused" "$OGI" --db j1.db crawl --jobs 0
finish
