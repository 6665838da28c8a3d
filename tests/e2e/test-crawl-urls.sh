#!/bin/sh
# ogi crawl and the URLs a site hands it: normalised (RFC 3986) before the
# scope and robots.txt checks, so "/col/%2e%2e/private/" is "/private/";
# userinfo ("user:secret@") never followed, sent or stored; session ids
# (";jsessionid=", "?sid=") dropped, so a site that puts a new one in every
# link does not grow the frontier run after run (--keep-param keeps one);
# robots.txt redirected to another host followed (five redirects at most,
# then everything is allowed, RFC 9309); robots.txt state per origin, so a
# failing https://f.test/ pauses no http://f.test/ page.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

mkdir -p site/f.test/col site/f.test/other site/f.test/private site/r.test site/h.test/col \
	site/p.test/col
# listing SESSION: the column's listing page, its links carrying session SESSION
listing() {
	$PY - "$T_ROOT/tests/gen" "$1" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import genreport
sess = sys.argv[2]
def page(path, org, year):
    v = genreport.make_report(random.Random(year), org, year, "2021")
    open(path, "w", encoding="utf-8").write(genreport.render_html(v, random.Random(1), 8))
for y in (2021, 2022, 2023):
    page("site/f.test/col/r%d.html" % y, "某某县交通运输局", y)
page("site/f.test/private/r.html", "某某县交通运输局", 2020)
page("site/f.test/other/o.html", "某某县交通运输局", 2019)
page("site/h.test/col/h.html", "某某县档案馆", 2023)
page("site/p.test/col/p.html", "某某县民政局", 2023)
hrefs = [
    "r2021.html;jsessionid=%s" % sess,
    "r2022.html?sid=%s" % sess,
    "/col/r2023.html?PHPSESSID=%s&amp;ASPSESSIONIDQQGGGNCG=%s" % (sess, sess),
    "%2e%2e/private/r.html",
    "/col/%2E%2E/private/r.html?x=1",
    "/col/..;/private/r.html?x=2",
    "http://user:secret@f.test/col/r2021.html?via=userinfo",
    "http://user:secret@f.test/other/o.html",
]
items = "".join('<li><a href="%s">交通运输局%d年政府信息公开工作年度报告</a></li>' % (h, 2000 + i)
                for i, h in enumerate(hrefs))
html = ('<html><head><meta charset="utf-8"><title>年报</title></head><body><ul>%s</ul>'
        '</body></html>' % items)
open("site/f.test/col/index.html", "w", encoding="utf-8").write(html)
# links to /private/ from a column without a scope: robots.txt decides
others = ["/other/%2e%2e/private/r.html", "/other/%2E%2E/private/r.html?x=1",
          "/other/..;/private/r.html?x=2", "http://user:secret@f.test/other/o.html"]
items = "".join('<li><a href="%s">交通运输局%d年政府信息公开工作年度报告</a></li>' % (h, 2010 + i)
                for i, h in enumerate(others))
open("site/f.test/other/index.html", "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"></head><body><ul>%s</ul></body></html>' % items)
open("site/h.test/col/index.html", "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"></head><body><a href="/col/h.html">'
    '档案馆2023年政府信息公开工作年度报告</a></body></html>')
open("site/p.test/col/index.html", "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"></head><body><a href="/col/p.html">'
    '民政局2023年政府信息公开工作年度报告</a></body></html>')
PYEOF
}
listing S1
# f.test's robots.txt is on r.test, five redirects away; h.test's is six
# redirects away, one too many: h.test is then crawled as if it had none.
printf 'User-agent: *\nDisallow: /private/\n' >site/r.test/robots-f.txt
printf 'User-agent: *\nDisallow: /\n' >site/h.test/robots-final.txt
cat >config.json <<'JSON'
{"routes": {
  "f.test/robots.txt": {"redirect": "http://r.test/hop1", "status": 301},
  "r.test/hop1": {"redirect": "/hop2", "status": 302},
  "r.test/hop2": {"redirect": "/hop3", "status": 307},
  "r.test/hop3": {"redirect": "/hop4", "status": 308},
  "r.test/hop4": {"redirect": "/robots-f.txt", "status": 302},
  "h.test/robots.txt": {"redirect": "/h1", "status": 302},
  "h.test/h1": {"redirect": "/h2", "status": 302},
  "h.test/h2": {"redirect": "/h3", "status": 302},
  "h.test/h3": {"redirect": "/h4", "status": 302},
  "h.test/h4": {"redirect": "/h5", "status": 302},
  "h.test/h5": {"redirect": "/robots-final.txt", "status": 302}
}}
JSON
start_server "$T_TMP/site" --config config.json || fail "the fixture server did not start"
# https://p.test/ reaches the plain HTTP server: its TLS handshake fails
CT="--connect-to p.test:443:127.0.0.1:$PORT"
for h in f.test r.test h.test p.test; do
	CT="$CT --connect-to $h:80:127.0.0.1:$PORT"
done
# the https seed first: its robots.txt is asked for (and fails) before http's
"$OGI" -q seed add https://p.test/col/ --org 某某县民政局 --kind listing
"$OGI" -q seed add http://p.test/col/ --org 某某县民政局 --kind listing
"$OGI" -q seed add http://f.test/col/ --org 某某县交通运输局 --scope /col/ --kind listing
"$OGI" -q seed add http://f.test/other/ --org 某某县交通运输局 --kind listing
"$OGI" -q seed add http://h.test/col/ --org 某某县档案馆 --kind listing
expect_status 2 "a seed with userinfo is refused" "$OGI" seed add http://user:secret@f.test/x/ --org X
check "... and not stored" test "$(sqlite3 ogi.db "SELECT count(*) FROM seeds WHERE url LIKE '%secret%'")" -eq 0

"$OGI" crawl --delay 0.02 --tries 1 --timeout 5 $CT >c1.txt 2>c1.err
urls() { sqlite3 ogi.db "SELECT count(*) FROM crawl_urls"; }
state() { # URL -> "state result" (of any seed)
	sqlite3 ogi.db "SELECT group_concat(state || ' ' || coalesce(result, ''), ',') FROM crawl_urls WHERE url = '$1'"
}
F=http://f.test
n1=$(urls)

# scope: the %2e%2e and ..; links are /private/, outside /col/
check "no request under /private/" test "$(logq count --path '/private/')" -eq 0
check "no request with a dot segment left in" test "$(logq count --path '(%2[eE]|\.\.)')" -eq 0
check "the %2e%2e link is out of the /col/ scope: not recorded" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls c JOIN seeds s ON s.id = c.seed_id
		WHERE s.scope = '/col/' AND c.url LIKE '%private%'")" -eq 0
# robots: the same links from a column without a scope meet Disallow: /private/
check "robots.txt (redirected to r.test, 5 hops) disallows /other/%2e%2e/private/" \
	test "$(state $F/private/r.html)" = "skipped robots_disallowed"
check "... the ..; and %2E%2E spellings too" \
	test "$(state "$F/private/r.html?x=1"),$(state "$F/private/r.html?x=2")" = \
	"skipped robots_disallowed,skipped robots_disallowed"
check "f.test's robots.txt came through r.test" test "$(logq count --host r.test --path '^/robots-f.txt$')" -eq 1
check "... asked once for the origin" test "$(logq count --host f.test --path '^/robots.txt$')" -eq 1
check "h.test's robots.txt, 6 redirects away, allows everything" test "$(state http://h.test/col/h.html)" = "ok new"
check "... its final file was never asked for" test "$(logq count --host h.test --path '^/robots-final.txt$')" -eq 0

# userinfo
check "no request carried credentials" test "$(grep -ci '"authorization"' "$LOG")" -eq 0
check "no request for the userinfo link's own URL" test "$(logq count --path 'via=userinfo')" -eq 0
check "no stored URL holds the credentials" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls WHERE url LIKE '%secret%' OR url LIKE '%@%'")" -eq 0
check "no source holds them" test "$(sqlite3 ogi.db "SELECT count(*) FROM sources WHERE location LIKE '%secret%'")" -eq 0
check "nothing printed holds them" test "$(cat c1.txt c1.err | grep -c secret)" -eq 0

# session ids
check "the session-id links are stored without them" \
	test "$(state $F/col/r2021.html),$(state $F/col/r2022.html),$(state $F/col/r2023.html)" = "ok new,ok new,ok new"
check "no stored URL holds a session id" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls WHERE lower(url) LIKE '%sessionid%' OR url LIKE '%sid=%'")" -eq 0
check "no request sent one" test "$(logq count --path '(?i)(sessionid|sid=|sessid)')" -eq 0
check "5 new reports" grep -q ': 5 new reports, 0 changed' c1.txt

# per origin: https://p.test/ failed its robots.txt (no TLS there); http://p.test/ did not
check "the https seed failed for TLS, not robots.txt" test "$(state https://p.test/col/)" = "failed tls"
check "... and the http seed on the same host name is not" test "$(state http://p.test/col/p.html)" = "ok new"

# run 2: every link has a new session id; the frontier does not grow
listing S2
: >"$LOG"
"$OGI" crawl --delay 0.02 --tries 1 --timeout 5 $CT >c2.txt 2>c2.err
check "run 2: the frontier did not grow ($n1 URLs, then $(urls))" test "$(urls)" -eq "$n1"
check "run 2: the listing was read again" test "$(logq count --host f.test --path '^/col/$' --status 200)" -eq 1
check "run 2: no new report" grep -q ': 0 new reports, 0 changed, 5 unchanged' c2.txt
check "run 2: no session id requested" test "$(logq count --path '(?i)(sessionid|sid=|sessid)')" -eq 0

# --keep-param sid keeps that one (a site whose sid means something else)
listing S3
: >"$LOG"
"$OGI" crawl --seed 3 --keep-param sid --delay 0.02 --tries 1 --timeout 5 $CT >c3.txt 2>c3.err
check "--keep-param sid: the ?sid= link is its own URL" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls WHERE url = '$F/col/r2022.html?sid=S3'")" -eq 1
check "--keep-param sid: and requested with it" test "$(logq count --path '^/col/r2022.html\?sid=S3$')" -eq 1
check "--keep-param sid: jsessionid still dropped" test "$(logq count --path '(?i)jsessionid')" -eq 0
expect_status 2 "--keep-param with '='" "$OGI" crawl --keep-param 'a=b' --dry-run
finish
