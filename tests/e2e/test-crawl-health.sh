#!/bin/sh
# ogi crawl and hosts that are unwell.  A 429 with a long Retry-After
# pauses its origin as a whole: no request to it, this run or the next,
# until the pause (kept in crawl_hosts) is over; the test makes it be over
# by moving the recorded time, not by waiting.  URLs that time out in a row
# pause their origin too; failures in a row close it for the rest of the
# run.  Paused URLs are not failures: they keep their place.  Each failure
# names its real cause: a name that does not resolve (dns), a certificate
# not to be trusted (tls), a port where nothing listens (connect), robots.txt
# (robots_unavailable), a 304 to a request that was not conditional.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

for h in a b t f n; do
	mkdir -p site/$h.test/col
done
report_column site/a.test/col 某某县交通运输局 5 2000
report_column site/b.test/col 某某县民政局 2 2000
report_column site/t.test/col 某某县档案馆 4 2000
report_column site/f.test/col 某某县财政局 4 2000
report_column site/n.test/col 某某县教育局 1 2000
cat >config.json <<'JSON'
{"routes": {
  "a.test/col/r2.html": {"status": 429, "retry_after": 999999, "times": 1, "body": "slow down\n"},
  "t.test/col/r1.html": {"hold_body": true},
  "t.test/col/r2.html": {"hold_body": true},
  "t.test/col/r3.html": {"hold_body": true},
  "f.test/col/r1.html": {"status": 500},
  "f.test/col/r2.html": {"status": 502},
  "f.test/col/r3.html": {"status": 500},
  "n.test/col/r1.html": {"status": 304, "body": ""}
}}
JSON
start_server "$T_TMP/site" --config config.json || fail "the fixture server did not start"
CT=""
for h in a b t f n; do
	CT="$CT --connect-to $h.test:80:127.0.0.1:$PORT"
done
"$OGI" -q seed add http://a.test/col/ --org 某某县交通运输局 --kind listing
"$OGI" -q seed add http://b.test/col/ --org 某某县民政局 --kind listing
state() { # URL -> "state result"
	sqlite3 ogi.db "SELECT state || ' ' || coalesce(result, '-') FROM crawl_urls WHERE url = '$1'"
}

# ---- a 429 with Retry-After: 999999 ----
"$OGI" crawl --seed 1 --seed 2 --delay 0 --log run1.jsonl $CT >c1.out 2>c1.err
check "run 1 exits 0" test $? -eq 0
check "no request to a.test after its 429" \
	test "$(logq paths --host a.test | tr '\n' ' ')" = "/robots.txt /col/ /col/r1.html /col/r2.html "
check "the other host was crawled" test "$(logq count --host b.test --path '^/col/r')" -eq 2
check "the pause said, capped at a day" grep -q "^ogi: host 'http://a.test' paused until 20[0-9-]*T[0-9:]*Z: http status 429 with Retry-After: 999999 (more than 86400 s: 86400 s)$" c1.err
check "the pause kept in the warehouse, a day ahead" test "$(sqlite3 ogi.db "SELECT reason || ' ' ||
	(CAST(strftime('%s', paused_until) AS INTEGER) - CAST(strftime('%s', 'now') AS INTEGER) BETWEEN 86000 AND 86400)
	FROM crawl_hosts WHERE origin = 'http://a.test'")" = "retry_after 1"
check "the paused URLs are not failures, and keep their place" \
	test "$(state http://a.test/col/r2.html),$(state http://a.test/col/r5.html)" = "new -,new -"
check "the summary counts them as paused" grep -q ', 0 failed, 4 paused, 0 capped$' c1.out
check "the log has the pause" $PY - run1.jsonl <<'PYEOF'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
p = [e for e in ev if e["event"] == "pause"]
sys.exit(0 if len(p) == 1 and p[0]["origin"] == "http://a.test" and p[0]["reason"] == "retry_after"
         and p[0]["until"].endswith("Z") else 1)
PYEOF

"$OGI" --db merged.db merge ogi.db >/dev/null 2>merge.err
hosts() { sqlite3 "$1" "SELECT origin, paused_until, reason FROM crawl_hosts"; }
check "ogi merge keeps the pause" test "$(hosts merged.db)" = "$(hosts ogi.db)" -a -n "$(hosts ogi.db)"

: >"$LOG"
"$OGI" crawl --seed 1 --seed 2 --delay 0 $CT >c2.out 2>c2.err
check "run 2: not one request to the paused origin" test "$(logq count --host a.test)" -eq 0
check "run 2: the pause from run 1 said" grep -q "^ogi: host 'http://a.test' paused until " c2.err
check "run 2: all six of its URLs paused" grep -q ', 0 failed, 6 paused, 0 capped$' c2.out

# the Retry-After has passed: the recorded time moved, not waited for
sqlite3 ogi.db "UPDATE crawl_hosts SET paused_until = '2000-01-01T00:00:00Z'"
: >"$LOG"
"$OGI" crawl --seed 1 --seed 2 --delay 0 $CT >c3.out 2>c3.err
check "once it is over: the paused URLs asked first, after the seed's page" \
	test "$(logq paths --host a.test | sed -n '2,6p' | tr '\n' ' ')" = "/col/ /col/r2.html /col/r3.html /col/r4.html /col/r5.html "
check "... and stored" test "$(sqlite3 ogi.db "SELECT count(*) FROM reports WHERE location LIKE 'http://a.test/%'")" -eq 5
check "... nothing paused now" grep -q ', 0 failed, 0 paused, 0 capped$' c3.out

# ---- timeouts in a row, failures in a row ----
"$OGI" -q seed add http://t.test/col/ --org 某某县档案馆 --kind listing
"$OGI" -q seed add http://f.test/col/ --org 某某县财政局 --kind listing
: >"$LOG"
"$OGI" crawl --seed 3 --delay 0 --timeout 1 --tries 1 $CT >t.out 2>t.err
check "three timeouts in a row pause the origin" grep -q "^ogi: host 'http://t.test' paused until .*: 3 URLs in a row timed out$" t.err
check "... its fourth URL not asked" test "$(logq count --host t.test --path '^/col/r4.html$')" -eq 0
check "... kept for an hour" test "$(sqlite3 ogi.db "SELECT reason || ' ' ||
	(CAST(strftime('%s', paused_until) AS INTEGER) - CAST(strftime('%s', 'now') AS INTEGER) BETWEEN 3000 AND 3600)
	FROM crawl_hosts WHERE origin = 'http://t.test'")" = "timeouts 1"
check "... the timeouts are failures, the rest paused" grep -q ', 3 failed (3 timeout), 1 paused, 0 capped$' t.out
: >"$LOG"
"$OGI" crawl --seed 4 --delay 0 --tries 1 --host-failures 2 $CT >f.out 2>f.err
check "failures in a row close the origin for the run" \
	grep -q "^ogi: host 'http://f.test' skipped for the rest of the run: 2 URLs in a row failed, the last: http_5xx: http status 502$" f.err
check "... nothing asked of it after" test "$(logq count --host f.test --path '^/col/r[34].html$')" -eq 0
check "... counted" grep -q ', 2 failed (2 http_5xx), 2 paused, 0 capped$' f.out
check "... not kept as a pause for later runs" \
	test "$(sqlite3 ogi.db "SELECT reason || ' ' || coalesce(paused_until, '-') FROM crawl_hosts WHERE origin = 'http://f.test'")" = "failing -"
: >"$LOG"
"$OGI" crawl --seed 4 --delay 0 --tries 1 --host-failures 0 $CT >f2.out 2>f2.err
check "the next run asks again" test "$(logq count --host f.test --path '^/col/r')" -eq 4

# ---- failure reasons name the cause ----
NX=$($PY -c 'print("x" * 64)').test
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
	-subj /CN=s.test >/dev/null 2>&1 || fail "openssl could not make a certificate"
mkdir -p tls/s.test/col && cp site/b.test/col/* tls/s.test/col/
rm -f tls.fifo && mkfifo tls.fifo
$PY "$T_ROOT/tests/server/fixture_server.py" --root tls --vhosts --max-seconds 600 \
	--tls-cert cert.pem --tls-key key.pem >tls.fifo 2>tls.err &
TLS_PID=$!
read -r line <tls.fifo
TLS_PORT=${line#PORT }
stop_tls() { kill "$TLS_PID" 2>/dev/null; wait "$TLS_PID" 2>/dev/null; }
cleanup_hooks="$cleanup_hooks stop_tls"
# a port where nothing listens: one the kernel handed out and took back
$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >closed.port
"$OGI" -q seed add "http://$NX/col/" --org 某某县审计局 --kind listing
"$OGI" -q seed add https://s.test/col/ --org 某某县卫健局 --kind listing
"$OGI" -q seed add http://c.test/col/ --org 某某县统计局 --kind listing
"$OGI" -q seed add http://n.test/col/ --org 某某县教育局 --kind listing
"$OGI" crawl --seed 5 --seed 6 --seed 7 --seed 8 --delay 0 --tries 1 --timeout 5 $CT \
	--connect-to "s.test:443:127.0.0.1:$TLS_PORT" --connect-to "c.test:80:127.0.0.1:$(cat closed.port)" \
	>r.out 2>r.err
check "an unresolvable host: dns" test "$(state "http://$NX/col/")" = "failed dns"
check "... said so, robots.txt named as what was asked" \
	grep -q "^ogi: cannot fetch 'http://$NX/col/': dns: cannot fetch robots.txt: Could not resolve host: $NX$" r.err
check "a self-signed certificate: tls" test "$(state https://s.test/col/)" = "failed tls"
check "... said so" grep -q "^ogi: cannot fetch 'https://s.test/col/': tls: cannot fetch robots.txt: .*certificate" r.err
check "nothing listening: connect" test "$(state http://c.test/col/)" = "failed connect"
check "no reason reads 'robots.txt unavailable'" test "$(grep -c 'robots.txt unavailable' r.err)" -eq 0
check "a 304 to an unconditional GET is a failure" \
	test "$(state http://n.test/col/r1.html)" = "failed http_3xx"
check "... said so" grep -q "^ogi: cannot fetch 'http://n.test/col/r1.html': http_3xx: http status 304 to a request that was not conditional$" r.err
check "... not counted unchanged" grep -q ': 0 new reports, 0 changed, 0 unchanged, 0 same content elsewhere, 4 failed (1 connect, 1 dns, 1 http_3xx, 1 tls), 0 paused, 0 capped$' r.out
finish
