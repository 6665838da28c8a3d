#!/bin/sh
# The city from its portal alone (tests/gen/mkcity.py --cms, tests/gen/mkcms.py):
# `ogi seed discover` walks the portal's 政府信息公开 catalogue, its township
# and department lists and four county sites on other CMS families (Hanweb:
# data block and POSTed dataproxy, and its annual-report module for the
# departments; gkmlpt: JSON list API; VSB; Anhui's platform, a page a report),
# reads the city's sitemap for the column no page links, and finds every
# body's annual-report column (or module report page) with the body's name,
# level and parent;
# crawling what it found stores every report under its own body; a second
# run asks the POSTed lists and the JSON API again and gets 304 for every
# report page.  The sitemap robots.txt names (an index, a gzip sitemap)
# brings the report no column links any more.  Then list APIs that never end, claim 10^9 pages, answer
# malformed XML or JSON, or a column without its data block: the crawl
# ends, says so, and keeps the good report each of them shows.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

$PY "$T_ROOT/tests/gen/mkcity.py" --out city --cms --no-faults >/dev/null || fail "mkcity.py"
start_server "$T_TMP/city/sites" || fail "the fixture server did not start"
CT=
for h in www.haibin.test www.qingshan.test www.baisha.test www.yunling.test www.meiling.test \
	www.lingang.test www.hostile.test; do
	CT="$CT --connect-to $h:80:127.0.0.1:$PORT"
done

# ---- discover ----
"$OGI" seed discover http://www.haibin.test/ --delay 0 $CT >found.tsv 2>discover.err
check "seed discover exits 0" test $? -eq 0
check "it says how many columns in how many pages" \
	grep -q '^ogi: seed discover: 32 columns in [0-9]* pages (0 failed)$' discover.err
check "it classifies every body it found" test "$(grep -c 'cannot tell' discover.err)" -eq 0

# found.py WHAT: one assertion on found.tsv against expected.json
found() {
	$PY - "$1" city/expected.json <<'PYEOF'
import json, sys
what, exp = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
want = {c["url"]: c["organization"] for c in exp["cms"]["columns"]}
rows = [l.rstrip("\n").split("\t") for l in open("found.tsv", encoding="utf-8")
        if l.strip() and not l.startswith("#")]
got = {r[0]: r for r in rows}
bad = []
if what == "columns":
    if len(rows) != len(want) or len(got) != len(rows):
        bad.append("%d lines, %d columns; want %d" % (len(rows), len(got), len(want)))
    for url, org in want.items():
        if url not in got:
            bad.append("missing %s (%s)" % (url, org))
        elif got[url][1] != org:
            bad.append("%s: body %s, want %s" % (url, got[url][1], org))
elif what == "levels":
    # a township's or department's parent is the place it belongs to
    for r in rows:
        org, level, parent = r[1], r[2], r[3]
        if org.endswith(("镇人民政府", "乡人民政府", "街道办事处")):
            w = ("township", org[:3])
        elif org.endswith("局"):
            w = ("department", org[:3])
        elif org.endswith("县人民政府"):
            w = ("county", "海滨市")
        elif org == "海滨市人民政府":  # counties under it: a prefecture
            w = ("city", "")
        elif org == "临港市人民政府":  # towns under it, listed by 海滨市: county-level
            w = ("county", "海滨市")
        else:
            continue
        if (level, parent) != w:
            bad.append("%s: %s %s, want %s %s" % (org, level, parent, *w))
elif what == "scopes":
    # TRS columns hold their reports: their own path; Hanweb, gkmlpt, VSB and Anhui's
    # lists do not; a module's report page is a report, no listing
    for r in rows:
        url, scope, kind = r[0], r[4], r[5]
        trs = url.startswith(("http://www.haibin.test/", "http://www.lingang.test/"))
        want_scope = "/" + url.split("/", 3)[3] if trs else ""
        want_kind = "report" if "/module/xxgk/" in url or "/show/" in url else "listing"
        if scope != want_scope or kind != want_kind:
            bad.append("%s: scope %r kind %s, want %r %s" % (url, scope, kind, want_scope,
                                                              want_kind))
for b in bad[:10]:
    print("   ", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}
check "every column of every body, with its body's name" found columns
check "townships, departments and counties, with their parents" found levels
check "scopes: a TRS column's path, the whole host elsewhere" found scopes
check "robots.txt asked on every host walked" test "$(logq count --path '^/robots.txt$')" -eq 6
check "no level guessed from a name alone where the catalogue tells" \
	test "$(grep -c 'from its name alone' discover.err)" -eq 0
check "the sitemap's column said to be linked from nowhere" \
	grep -q "zjdgk/22/zfxxgkndbg/' (海滨市青石镇人民政府) found only in a sitemap" discover.err
check "the column only the city's sitemap shows, found through the index and its gzip sitemap" \
	test "$(grep -c '"path": "/sitemaps/xxgk.xml.gz", "status": 200' "$LOG")" -eq 1 -a \
	"$(grep -c '^http://www.haibin.test/xxgk/zfxxgkzl/zjdgk/22/zfxxgkndbg/	海滨市青石镇人民政府	township	海滨市	' found.tsv)" -eq 1
check "the Hanweb module's reports by area and year, each under its department" \
	test "$(grep -c '^http://www.qingshan.test/module/xxgk/xxgkAnnualReport.jsp?area=33112200[12]&fbtime=20[0-9][0-9]	青山县[教财][育政]局	department	青山县		report$' found.tsv)" -eq 6
check "nothing asked of the list APIs' data files" test "$(grep -c '/_cms/' "$LOG")" -eq 0
check "the province's site the footer links left alone" \
	test "$(grep -c '"host": "www.shanhai.test"' "$LOG")" -eq 0

# bounded: --max-pages and --depth stop the walk, and it says what it left
"$OGI" seed discover http://www.haibin.test/ --max-pages 3 --delay 0 $CT >few.tsv 2>few.err
check "--max-pages 3: three pages, the rest said" \
	grep -q 'links not followed: past --max-pages 3$' few.err
check "--max-pages 3: what it saw in three pages" \
	grep -q '^ogi: seed discover: [0-9]* columns in 3 pages' few.err
"$OGI" seed discover http://www.haibin.test/ --depth 1 --delay 0 $CT >shallow.tsv 2>/dev/null
check "--depth 1: only the columns one catalogue page away (the city's own)" \
	test "$(grep -c '^http' shallow.tsv)" -eq 1
"$OGI" seed discover http://www.haibin.test/ --depth 2 --delay 0 $CT >depth2.tsv 2>depth2.err
check "--depth 2: the counties unseen, the city's level said to be its name's guess" \
	grep -q "^ogi: seed discover: '海滨市人民政府' taken to be a city from its name alone" depth2.err
check "--depth 2: the sitemap's columns (two hops: robots.txt, the sitemap) found" \
	grep -q '^http://www.haibin.test/xxgk/zfxxgkzl/zjdgk/22/zfxxgkndbg/	' depth2.tsv
expect_status 2 "seed discover without a URL is a usage error" "$OGI" seed discover
expect_status 2 "seed discover --depth -1 is a usage error" \
	"$OGI" seed discover http://www.haibin.test/ --depth -1
"$OGI" seed discover ftp://www.haibin.test/ 2>bad.err
check "an ftp URL is refused, saying why" grep -q "not an http(s) URL" bad.err

"$OGI" seed discover http://www.haibin.test/ --add --delay 0 $CT >add.txt 2>/dev/null
check "--add adds the 32 seeds" grep -q '^32 seeds: 32 added, 0 updated, 0 left out$' add.txt
"$OGI" seed discover http://www.haibin.test/ --add --delay 0 $CT >add2.txt 2>/dev/null
check "--add again updates them" grep -q '^32 seeds: 0 added, 32 updated' add2.txt

# ---- crawl what it found ----
: >"$LOG"
"$OGI" crawl --delay 0 $CT --log run1.jsonl >crawl1.txt 2>crawl1.err
check "crawl exits 0" test $? -eq 0
check "every report of the city: 133, none failed" \
	grep -q '^crawl run 1: 32 seeds, .* 133 report pages, .*: 133 new reports, 0 changed, 0 unchanged, 0 same content elsewhere, 0 failed' crawl1.txt
check "the sitemap index robots.txt names, and its gzip sitemap, read" \
	test "$(grep -c '"path": "/sitemap_index.xml"' "$LOG")" -ge 1 -a \
	"$(grep -c '"path": "/sitemaps/xxgk.xml.gz", "status": 200' "$LOG")" -ge 1
check "the sitemap's other host not asked" test "$(grep -c '"host": "www.shanhai.test"' "$LOG")" -eq 0
check "the report only the sitemap names, stored under its body" \
	sh -c '"$OGI" list --format csv | grep -q "海滨市东湖镇人民政府,.*2016.*t20170115_2999999.htm"' 
posts1=$(grep -c '"method": "POST"' "$LOG")
check "the Hanweb columns' further records POSTed to the dataproxy, all answered" \
	test "$posts1" -eq 5 -a "$(grep '"method": "POST"' "$LOG" | grep -c '"status": 200')" -eq 5
check "the gkmlpt API's second page asked" grep -q '/gkmlpt/api/all/2531?page=2&sid=757' "$LOG"
check "the VSB column's second page" grep -q '"path": "/xxgk/ndbg/1.htm"' "$LOG"
check "the crawl log says which requests were POSTs" \
	test "$(grep -c '"method":"POST"' run1.jsonl)" -eq "$posts1"
"$OGI" list --format csv >list.csv
"$OGI" seed urls --kind listing --format csv >urls.csv
check "seed urls: the POSTed list requests with their method and form body" \
	test "$(grep -c ',POST,col=1&appid=1&webid=31&path=%2F&columnid=2[34][01][0-9]&.*,http://www.qingshan.test/module/web/jpage/dataproxy.jsp?startrecord=' urls.csv)" -eq "$posts1"
check "seed urls: the other listing rows GETs without a body" \
	test "$(grep -c ',GET,,http' urls.csv)" -eq "$(($(grep -c '^[0-9]' urls.csv) - posts1))"

# bodies.py: every report stored once, under the body its page names, of the right year
check "each report under its own body and year" $PY - city/expected.json <<'PYEOF'
import csv, json, sys
exp = json.load(open(sys.argv[1], encoding="utf-8"))
want = {e["url"]: (e["organization"], str(e["year"])) for e in exp["reports"]}
rows = list(csv.DictReader(open("list.csv", encoding="utf-8")))
got = {r["location"]: (r["organization"], r["year"]) for r in rows}
bad = ["%s: got %r, want %r" % (u, got.get(u), w) for u, w in want.items() if got.get(u) != w]
if len(rows) != len(want):
    bad.append("%d reports, want %d" % (len(rows), len(want)))
for b in bad[:10]:
    print("   ", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF

# ---- a second run: incremental ----
: >"$LOG"
"$OGI" crawl --delay 0 $CT >crawl2.txt 2>crawl2.err
check "the second run finds nothing new" \
	grep -q ': 0 new reports, 0 changed, 133 unchanged, 0 same content elsewhere, 0 failed' crawl2.txt
check "the POSTed lists asked again" test "$(grep -c '"method": "POST"' "$LOG")" -eq "$posts1"
check "the JSON API asked again" test "$(grep -c '/gkmlpt/api/all/2531' "$LOG")" -eq 2
"$OGI" crawl --dry-run >plan.txt 2>/dev/null
check "--dry-run shows the POSTs with their bodies" \
	test "$(grep -c '	listing	post	http://www.qingshan.test/module/web/jpage/dataproxy.jsp?startrecord=[0-9]*&endrecord=[0-9]*&perpage=[0-9]*	col=1&appid=1&webid=31&path=%2F&columnid=2[34][01][0-9]&' plan.txt)" -eq "$posts1"
check "every report page answered 304" $PY - city/expected.json "$LOG" <<'PYEOF'
import json, sys
from urllib.parse import urlsplit
exp = json.load(open(sys.argv[1], encoding="utf-8"))
log = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
seen = {(r["host"], r["path"]): r["status"] for r in log}
def path(u):  # the module's reports differ by their query alone
    s = urlsplit(u)
    return s.path + ("?" + s.query if s.query else "")
bad = [e["url"] for e in exp["reports"] if seen.get((urlsplit(e["url"]).hostname, path(e["url"]))) != 304]
for b in bad[:5]:
    print("    not 304:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF

# ---- hostile list APIs ----
rm -f ogi.db ogi.db-wal ogi.db-shm
$PY -c '
import json, sys
for u in json.load(open("city/expected.json", encoding="utf-8"))["cms"]["hostile"]:
    print("%s\t坏站县人民政府\tcounty\t\t\tlisting" % u)' >hostile.tsv
"$OGI" -q seed import hostile.tsv
: >"$LOG"
"$OGI" crawl --delay 0 --max-list-pages 30 $CT >hcrawl.txt 2>hcrawl.err
check "the crawl of broken list APIs ends, exit 0" test $? -eq 0
check "the endless dataproxy: at most --max-depth blocks asked" \
	test "$(grep -c '"method": "POST".*"path": "/module/web/jpage/dataproxy.jsp' "$LOG")" -le 22
check "a page count of 10^9: at most --max-list-pages pages asked" \
	test "$(grep -c '/gkmlpt/api/all/9004' "$LOG")" -le 31
check "what was not asked is said" grep -q 'list pages not asked: past --max-list-pages 30' hcrawl.err
check "the endless dataproxy's cut said" grep -q 'links deeper than --max-depth 20 not followed' hcrawl.err
check "malformed XML said" grep -q 'malformed data block' hcrawl.err
check "a column without its data block said" grep -q 'without a data block' hcrawl.err
check "malformed JSON said" grep -q 'not JSON' hcrawl.err
check "nothing lost: the two good reports stored" \
	test "$("$OGI" list --format csv | grep -c '坏站县人民政府')" -eq 2

finish
