#!/bin/sh
# ogi crawl against a site that misbehaves: robots.txt Disallow and
# Crawl-delay, redirects in and out of scope, 404, 500, 503 with
# Retry-After, a response past the timeout, an oversized body, a connection
# dropped mid-body, gzip, a host whose robots.txt fails.  Failures are
# recorded with their reason and fetched again by the next run; a seed that
# failed completely makes the exit status 1.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

mkdir -p site/f.test/col/private site/g.test/col site/evil.test
$PY - "$T_ROOT/tests/gen" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import genreport
def page(path, org, year):
    v = genreport.make_report(random.Random(year), org, year, "2021")
    open(path, "w", encoding="utf-8").write(genreport.render_html(v, random.Random(1), 8))
page("site/f.test/col/ok.html", "某某县交通运输局", 2023)
page("site/f.test/col/ok2.html", "某某县交通运输局", 2022)
page("site/f.test/col/private/r.html", "某某县交通运输局", 2021)
page("site/evil.test/x.html", "某某县交通运输局", 2020)
links = ["ok", "private/r", "missing", "e500", "busy", "slow", "big", "drop", "moved", "away",
         "outside"]
items = "".join('<li><a href="%s.html">交通运输局%d年政府信息公开工作年度报告</a></li>' % (l, 2000 + i)
                for i, l in enumerate(links))
items += '<li><a href="http://evil.test/x.html">另一个2020年政府信息公开工作年度报告</a></li>'
html = ('<html><head><meta charset="utf-8"><title>年报</title></head><body><ul>%s</ul>'
        '</body></html>' % items)
open("site/f.test/col/index.html", "w", encoding="utf-8").write(html)
open("site/g.test/col/index.html", "w", encoding="utf-8").write(html)
PYEOF
printf 'User-agent: *\nDisallow: /col/private/\nCrawl-delay: 0.3\n' >site/f.test/robots.txt
cat >config.json <<'JSON'
{"routes": {
  "f.test/col/e500.html": {"status": 500, "body": "oops\n"},
  "f.test/col/busy.html": {"status": 503, "retry_after": 1, "body": "busy\n"},
  "f.test/col/slow.html": {"hold_body": true},
  "f.test/col/big.html": {"big_mb": 21},
  "f.test/col/drop.html": {"drop": true},
  "f.test/col/moved.html": {"redirect": "/col/ok2.html", "status": 301},
  "f.test/col/away.html": {"redirect": "http://evil.test/x.html"},
  "f.test/col/outside.html": {"redirect": "/other/x.html"},
  "g.test/robots.txt": {"status": 503, "body": "maintenance\n"}
}}
JSON
mkdir -p site/f.test/other && cp site/f.test/col/ok2.html site/f.test/other/x.html
start_server "$T_TMP/site" --config config.json || fail "the fixture server did not start"
CT=""
for h in f.test g.test evil.test; do
	CT="$CT --connect-to $h:80:127.0.0.1:$PORT"
done
"$OGI" -q seed add http://f.test/col/ --org 某某县交通运输局 --level department --scope /col/
"$OGI" -q seed add http://g.test/col/ --org 某某县档案馆 --level department

"$OGI" crawl --delay 0.05 --tries 2 --backoff 0.1 --timeout 1 $CT >c1.txt 2>c1.err
check "a seed that failed completely: exit 1" test $? -eq 1
check "... and says which" grep -q "^ogi: seed 2 (某某县档案馆) failed: 'http://g.test/col/' could not be fetched" c1.err
check "its robots.txt 503 paused the host (after 2 tries)" \
	test "$(logq count --host g.test --path '^/robots.txt$') $(logq count --host g.test)" = "2 2"

state() { # URL -> "state result"
	sqlite3 ogi.db "SELECT state || ' ' || coalesce(result, '') FROM crawl_urls WHERE url = '$1'"
}
F=http://f.test/col
check "ok page stored" test "$(state $F/ok.html)" = "ok new"
check "ok page parsed" test "$("$OGI" list --format csv | grep -c ',某某县交通运输局,department,某某县,2023,2021,complete,')" -eq 1
check "gzip used" test "$(logq count --path '^/col/ok.html$' | tr -d ' ')" -eq 1 && \
	test "$(grep '"/col/ok.html"' "$LOG" | grep -c '"gzip": true')" -eq 1
check "robots.txt Disallow: skipped" test "$(state $F/private/r.html)" = "skipped robots_disallowed"
check "robots.txt Disallow: no request" test "$(logq count --path '^/col/private/')" -eq 0
check "404 recorded" test "$(state $F/missing.html)" = "failed http_4xx"
check "404 not retried" test "$(logq count --path '^/col/missing.html$')" -eq 1
check "500 recorded" test "$(state $F/e500.html)" = "failed http_5xx"
check "500 tried twice (--tries 2)" test "$(logq count --path '^/col/e500.html$')" -eq 2
check "503 recorded" test "$(state $F/busy.html)" = "failed http_5xx"
# One gap: not the 0.3 s Crawl-delay nor the 0.1 s backoff, but the 1 s
# Retry-After (less a margin for a request that reaches the server late).
gap=$(logq mingap --host f.test --path '^/col/busy.html$')
check "503 retried after its Retry-After (gap $gap s)" ge "$gap" 0.8
check "timeout recorded" test "$(state $F/slow.html)" = "failed timeout"
check "oversized body recorded" test "$(state $F/big.html)" = "failed too_big"
check "dropped connection recorded" test "$(state $F/drop.html)" = "failed transfer"
check "redirect in scope followed" test "$(state $F/moved.html)" = "ok new"
check "... and stored under the linked URL" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM reports WHERE location = '$F/moved.html'")" -eq 1
check "redirect to another host refused" test "$(state $F/away.html)" = "skipped out_of_scope_redirect"
check "redirect out of the scope not stored" test "$(state $F/outside.html)" = "skipped out_of_scope_redirect"
check "no request to another host" test "$(logq count --host evil.test)" -eq 0
check "a link to another host is not even recorded" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls WHERE url LIKE 'http://evil.test/%'")" -eq 0
check "the reasons are kept" test "$(sqlite3 ogi.db "SELECT error FROM crawl_urls WHERE url = '$F/e500.html'")" = "http status 500"
check "failures on stderr" grep -q "^ogi: cannot fetch '$F/busy.html': http_5xx: http status 503" c1.err
check "failed count in the summary, by reason" grep -q ', 7 failed (2 http_5xx, 1 http_4xx, 1 robots_unavailable, 1 timeout, 1 too_big, 1 transfer), 0 paused, 0 capped$' c1.txt
check "robots.txt Crawl-delay 0.3 spaces the host" logq spaced --host f.test --delay 0.3

# The next run asks again for what failed, and for nothing disallowed.
: >"$LOG"
"$OGI" crawl --delay 0.05 --tries 1 --timeout 1 $CT >c2.txt 2>c2.err
check "second run: failures asked again" \
	test "$(logq count --path '^/col/(missing|e500|busy|slow|big|drop).html$')" -eq 6
check "second run: failures counted" \
	test "$(sqlite3 ogi.db "SELECT failures FROM crawl_urls WHERE url = '$F/missing.html'")" -eq 2
check "second run: ok page not modified" test "$(state $F/ok.html)" = "ok not_modified"
check "second run: nothing disallowed asked" test "$(logq count --path '^/col/private/')" -eq 0
check "second run: g.test robots.txt asked again" test "$(logq count --host g.test)" -eq 1
finish
