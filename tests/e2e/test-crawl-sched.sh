#!/bin/sh
# ogi crawl's scheduling and limits: a seed with more URLs than --max-pages
# is fetched whole in ceil(N / max-pages) runs (its own page every run, then
# the URLs never fetched, then the least recently tried), a report
# published meanwhile is found and fetched in the next run, what a limit
# leaves is counted and said; --time-limit stops a
# run cleanly and the next run takes up what it left, fetching nothing
# twice; links past --max-depth or past the per-page limit are counted,
# not dropped in silence.  Run boundaries come from the server's gate, not
# from the machine's speed.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

mkdir -p site/s.test/col site/t.test/col site/w.test/col
report_column site/s.test/col 某某县交通运输局 30 1990 newest-first
report_column site/t.test/col 某某县民政局 12 1990 newest-first
start_server "$T_TMP/site" --gate || fail "the fixture server did not start"
CT=""
for h in s.test t.test w.test; do
	CT="$CT --connect-to $h:80:127.0.0.1:$PORT"
done
"$OGI" -q seed add http://s.test/col/ --org 某某县交通运输局 --kind listing
"$OGI" -q seed add http://t.test/col/ --org 某某县民政局 --kind listing

# ---- the starving seed: 31 URLs, 10 a run ----
# fetched NAME: the paths of s.test asked since the log was cleared, but robots.txt;
# NAME.r the report pages among them
fetched() {
	logq paths --host s.test | grep -v '^/robots.txt$' >"$1"
	grep '^/col/r' "$1" >"$1.r"
}
: >"$LOG"
"$OGI" crawl --seed 1 --max-pages 10 --delay 0 $CT >r1.out 2>r1.err
check "run 1 exits 0" test $? -eq 0
fetched run1
check "run 1: ten URLs, the listing first" test "$(grep -c . run1) $(head -n 1 run1)" = "10 /col/"
check "run 1: the rest counted as capped" grep -q ', 0 paused, 21 capped$' r1.out
check "run 1: and said to wait" \
	grep -q '^ogi: seed 1 (某某县交通运输局): --max-pages 10 reached: 21 URLs wait for the next run$' r1.err
# a report is published after run 1, at the top of the listing
report_column site/s.test/col 某某县交通运输局 31 1990 newest-first
: >"$LOG"
"$OGI" crawl --seed 1 --max-pages 10 --delay 0 $CT >r2.out 2>r2.err
fetched run2
check "run 2: ten URLs, the listing first again" test "$(grep -c . run2) $(head -n 1 run2)" = "10 /col/"
check "... the report published meanwhile among them" grep -q '^/col/r31.html$' run2
check "... no report of run 1" test "$(sort run1.r run2.r | uniq -d | wc -l)" -eq 0
for k in 3 4; do
	: >"$LOG"
	"$OGI" crawl --seed 1 --max-pages 10 --delay 0 $CT >r$k.out 2>r$k.err
	fetched run$k
done
check "runs 3 and 4: ten URLs each" test "$(grep -c . run3) $(grep -c . run4)" = "10 10"
sort -u run1 run2 run3 run4 >all
check "all 32 URLs fetched within ceil(32/10) = 4 runs" \
	test "$(grep -c '^/col/r[0-9]*\.html$' all) $(grep -c '^/col/$' all)" = "31 1"
check "the listing read in every run" test "$(cat run1 run2 run3 run4 | grep -c '^/col/$')" -eq 4
check "no report fetched twice before all were" test "$(sort run1.r run2.r run3.r | uniq -d | wc -l)" -eq 0
check "every report stored" test "$(sqlite3 ogi.db "SELECT count(*) FROM reports")" -eq 31
check "run 4: what it left counted" grep -q ', 0 paused, 22 capped$' r4.out

# ---- --time-limit: the run stops cleanly, the next one takes up the rest ----
: >"$LOG"
gate_open 5
"$OGI" crawl --seed 2 --time-limit 3 --delay 0 $CT >t1.out 2>t1.err
check "a run at its time limit exits 0" test $? -eq 0
gate_drop
gate_open
check "it says it stopped" grep -q '^crawl run [0-9]* (stopped at --time-limit): ' t1.out
check "and what waits" grep -q '^ogi: seed 2 (某某县民政局): --time-limit reached: [0-9]* URLs wait for the next run$' t1.err
check "the run is left open, stopped" \
	test "$(sqlite3 ogi.db "SELECT status || ' ' || stopped FROM crawl_runs ORDER BY id DESC LIMIT 1")" = "running time_limit"
logq paths --host t.test | grep '^/col/r' >t1.paths
check "it fetched no more than the gate let through" test "$(grep -c . t1.paths)" -le 3
: >"$LOG"
"$OGI" crawl --seed 2 --delay 0 $CT >t2.out 2>t2.err
check "the next crawl resumes it and finishes" \
	grep -q '^crawl run [0-9]* (resumed): .*, 0 failed, 0 paused, 0 capped$' t2.out
check "the run is done" \
	test "$(sqlite3 ogi.db "SELECT status || ' ' || coalesce(stopped, '-') FROM crawl_runs ORDER BY id DESC LIMIT 1")" = "done -"
logq paths --host t.test | grep '^/col/r' >t2.paths
check "it fetched the rest, nothing twice" \
	test "$(sort t1.paths t2.paths | uniq -d | wc -l) $(sort -u t1.paths t2.paths | wc -l)" = "0 12"
check "every report of the seed stored" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM reports WHERE location LIKE 'http://t.test/%'")" -eq 12

# ---- links a limit leaves out are counted: 20,005 plain links after the
# pagination link, 6 of them past the first 20,000 anchors ----
$PY - <<'PYEOF'
links = "".join('<a href="p%d.html">p%d</a> ' % (i, i) for i in range(20005))
open("site/w.test/col/index.html", "w").write(
    '<html><body><a href="index_1.html">下一页</a> %s</body></html>' % links)
open("site/w.test/col/index_1.html", "w").write('<html><body>page 2</body></html>')
PYEOF
"$OGI" -q seed add http://w.test/col/ --org 某某县档案馆 --kind listing
"$OGI" crawl --seed 3 --max-depth 0 --delay 0 $CT >w.out 2>w.err
check "links past the per-page limit counted" \
	grep -q '^ogi: seed 3 (某某县档案馆): 6 links past the first 20000 of a page not read$' w.err
check "pagination past --max-depth counted" \
	grep -q '^ogi: seed 3 (某某县档案馆): 1 links deeper than --max-depth 0 not followed$' w.err
check "both in the run's capped count" grep -q ', 0 paused, 7 capped$' w.out
finish
