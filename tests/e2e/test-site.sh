#!/bin/sh
# ogi report site on the sample city (tests/gen/mkcity.py) crawled from
# 127.0.0.1, plus a body named 测试<script>alert(1)</script>镇: the files
# are there, every link of every page leads to a file of the site or to an
# http(s) source, every chart's CSV is tidy, and headless Chromium
# (tests/e2e/cdp.py, DevTools over a pipe) loads the overview, a body's
# page and report pages 390 px wide with no console message, every chart
# titled and sourced, no box sticking out of the screen or of its plot,
# no text drawn under 9 px, Chinese labels, no raw float, the hostile name
# as text.  Then ogi report show and ogi check for people (--rule, --kind,
# --format html).  The city has no pictures or scan (mkcity.py --no-ocr):
# a report page's pictures are test-ocr.sh's.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"
HERE="$T_ROOT/tests/e2e"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
export OGI_DB="$T_TMP/ogi.db"
EVIL='测试<script>alert(1)</script>镇'

if [ ! -x "$CHROMIUM" ]; then
	fail "no $CHROMIUM: run 'make deps' (Debian package chromium)"
	finish
	exit 1
fi

$PY "$T_ROOT/tests/gen/mkcity.py" --out city --no-ocr >/dev/null || fail "mkcity.py"
start_server "$T_TMP/city/sites" || fail "the fixture server did not start"
"$OGI" -q seed import city/seeds.tsv >/dev/null
"$OGI" -q crawl --delay 0.02 --connect-to "www.haibin.test:80:127.0.0.1:$PORT" >/dev/null 2>&1
check "crawl the sample city" test $? -le 1
stop_server
T_ROOT_GEN="$T_ROOT/tests/gen" $PY - <<'PYEOF'
import os, random, sys
sys.path.insert(0, os.environ["T_ROOT_GEN"])
import genreport as g
v = g.make_report(random.Random(7), "海滨市测试镇人民政府", 2024, "2021", scale=30)
open("hostile.html", "w", encoding="utf-8").write(g.render_html(v, random.Random(7), 20))
PYEOF
"$OGI" -q ingest --org "$EVIL" --level township --parent 海滨市 hostile.html >/dev/null 2>&1
check "ingest the <script> body" test $? -le 1

"$OGI" report site out --parent 海滨市 >out.txt 2>err.txt
check "report site exits 0: $(cat err.txt)" test $? -eq 0
check "it says what it wrote" grep -q '^site in out: [0-9]* pages ([0-9]* bodies, [0-9]* reports), [0-9]* files$' err.txt
check "index, bodies, reports, data" sh -c 'test -f out/index.html && ls out/bodies/*.html &&
	ls out/reports/*.html && ls out/data/*.csv' >/dev/null
check "no page has a script" sh -c '! grep -rqi --include="*.html" "<script" out'
"$OGI" report site out --parent 海滨市 2>/dev/null
check "a second run over the same folder" test $? -eq 0

# Every link resolves; every CSV is tidy; each report page links its source.
$PY - out <<'PYEOF' >links.txt 2>&1
import csv, html.parser, os, re, sys
root = sys.argv[1]
problems, nlinks, nhttp = [], 0, 0

class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "href":
                self.hrefs.append(v)
            if k == "id":
                self.ids.add(v)

pages = {}
for d, _, files in os.walk(root):
    for f in files:
        if f.endswith(".html"):
            p = Links()
            p.feed(open(os.path.join(d, f), encoding="utf-8").read())
            pages[os.path.normpath(os.path.join(d, f))] = p
for path, p in pages.items():
    for h in p.hrefs:
        nlinks += 1
        if re.match(r"https?://", h):
            nhttp += 1
            continue
        if re.match(r"[a-z]+:", h) or h.startswith("/"):
            problems.append("%s: %s is neither of the site nor http(s)" % (path, h))
            continue
        target, _, frag = h.partition("#")
        t = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
        if not os.path.isfile(t) or not os.path.realpath(t).startswith(os.path.realpath(root)):
            problems.append("%s: %s leads nowhere" % (path, h))
        elif frag and t in pages and frag not in pages[t].ids:
            problems.append("%s: %s: no such anchor" % (path, h))
for f in os.listdir(os.path.join(root, "data")):
    rows = list(csv.reader(open(os.path.join(root, "data", f), encoding="utf-8")))
    if len(rows) < 2:
        problems.append("%s: no rows" % f)
        continue
    head = rows[0]
    if "organization" in head:
        for k in ("body_id", "level", "parent", "report_id", "source", "row_kind"):
            if k not in head:
                problems.append("%s: no %s column" % (f, k))
    for r in rows[1:]:
        if len(r) != len(head):
            problems.append("%s: a row of %d cells under %d columns" % (f, len(r), len(head)))
        for c in r:
            if re.fullmatch(r"-?\d+\.\d{3,}", c):
                problems.append("%s: raw float %s" % (f, c))
reports = [p for p in pages if "/reports/" in p]
# all but the ingested <script> body's report, which has no URL
nsrc = sum(1 for r in reports if any(h.startswith("http://www.haibin.test/") for h in pages[r].hrefs))
if nsrc < len(reports) - 1:
    problems.append("%d of %d report pages link their source" % (nsrc, len(reports)))
print("%d links, %d to sources" % (nlinks, nhttp))
print("\n".join(problems))
sys.exit(1 if problems else 0)
PYEOF
rc=$?
check "links resolve, CSV tidy: $(tail -n 5 links.txt)" test $rc -eq 0

# Chromium, 390 px wide: the overview, a body's page, report pages.
body=$(grep -o 'href="bodies/[0-9]*.html"' out/index.html | head -n 1 | sed 's/href="//; s/"$//')
report=$(grep -o 'href="../reports/[0-9]*.html"' "out/$body" | head -n 1 | sed 's/href="..\///; s/"$//')
evil_report=$(grep -l 'alert(1)' out/reports/*.html | head -n 1)
mkdir -p shots
$PY "$HERE/cdp.py" 390 shots "file://$T_TMP/out/index.html" "file://$T_TMP/out/$body" \
	"file://$T_TMP/out/$report" "file://$T_TMP/$evil_report" 2>cdp.err
check "chromium measures the pages: $(cat cdp.err)" test $? -eq 0
$PY - shots "$EVIL" <<'PYEOF' >measure.txt 2>&1
import json, os, re, sys
shots, evil = sys.argv[1], sys.argv[2]
problems = []
for i, want_charts in enumerate((6, 2, 0, 0)):
    d = json.load(open(os.path.join(shots, "%d.json" % i), encoding="utf-8"))
    u = d["url"].rsplit("/out/", 1)[-1]
    if d["console"]:
        problems.append("%s: console: %s" % (u, d["console"][:2]))
    if d["scrollWidth"] > d["vw"]:
        problems.append("%s: the page is %d px wide at %d" % (u, d["scrollWidth"], d["vw"]))
    for o in d["overflow"][:3] + d["svgOverflow"][:3]:
        problems.append("%s: sticks out: %s" % (u, o))
    if d["minFont"] < 9:
        problems.append("%s: text drawn at %.1f px (%s)" % (u, d["minFont"], d["minFontWhat"]))
    figs = d["figures"]
    if len(figs) < want_charts:
        problems.append("%s: %d charts, want %d" % (u, len(figs), want_charts))
    for f in figs:
        if not f["title"].strip() or not f["source"].startswith("来源：") or not f["svg"]:
            problems.append("%s: a chart without title, source or plot: %r" % (u, f))
    raw = re.findall(r"\d+\.\d{3,}", d["text"])
    if raw:
        problems.append("%s: raw numbers %s" % (u, raw[:3]))
    for key in ("granted_partial", "refusal_pct", "review_upheld", "natural_person"):
        if key in d["text"]:
            problems.append("%s: the key %s in the text" % (u, key))
    if i < 2 and not all(w in d["text"] for w in ("予以公开", "不予公开", "不予处理")):
        problems.append("%s: the form's short labels missing" % u)
    if i == 2 and not all(w in d["text"] for w in ("本年新收政府信息公开申请数量", "行政复议")):
        problems.append("%s: the form's rows missing" % u)
    if i == 3 and evil not in d["text"]:
        problems.append("%s: the <script> name is not shown as text" % u)
    if i == 0 and evil not in d["text"]:
        problems.append("index: the <script> name is not shown")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PYEOF
rc=$?
check "390 px: no console message, charts titled and sourced, nothing sticks out, words: $(head -n 8 measure.txt)" \
	test $rc -eq 0
check "the screenshots are PNGs" sh -c 'for f in shots/0.png shots/1.png shots/2.png; do
	head -c 8 $f | od -An -tx1 | tr -d " \n" | grep -q "^89504e470d0a1a0a" || exit 1; done'

# A report's page on its own.
"$OGI" report show 1 --format html >show.html 2>err.txt
check "report show 1 --format html" sh -c 'grep -q "<meta charset=\"utf-8\">" show.html &&
	grep -q "<style>" show.html && grep -q "结转下年" show.html'
expect_status 3 "report show: no such report" "$OGI" report show 99999 --format html

# ogi check for people: the rule in the form's words, both values, the source URL in full.
"$OGI" check --parent 海滨市 >check.txt 2>/dev/null
check "check: exit 1 with findings" test $? -eq 1
check "check text: rule words, labels, source URL" sh -c 'grep -q "^  规则：" check.txt &&
	grep -q " ≠ " check.txt && grep -q "^  来源：http://www.haibin.test/" check.txt'
check "check text: no English keys" sh -c '! grep -Eq "natural_person|block review|column " check.txt'
"$OGI" check --parent 海滨市 --lang en >check-en.txt 2>/dev/null
check "check --lang en: the keys" grep -q '^  rule: ' check-en.txt
rule=$(sed -n 's/^[^ ].*  [0-9]*  \([A-Z0-9-]*\)  .*/\1/p' check.txt | head -n 1)
"$OGI" check --parent 海滨市 --rule "$rule" >rule.txt 2>/dev/null
n_all=$(grep -c '^  规则' check.txt)
n_rule=$(grep -c '^  规则' rule.txt)
check "check --rule $rule: only that rule ($n_rule of $n_all)" sh -c "test $n_rule -ge 1 &&
	test $n_rule -le $n_all && ! grep -v '^  ' rule.txt | grep -qv '  $rule  '"
"$OGI" check --parent 海滨市 --kind blank --format csv >kind.csv 2>/dev/null
check "check --kind blank: only blanks" sh -c '! tail -n +2 kind.csv | grep -v ",blank," | grep -q .'
expect_status 2 "check --rule NOPE" "$OGI" check --rule NOPE
expect_status 2 "check --kind NOPE" "$OGI" check --kind NOPE
"$OGI" check --parent 海滨市 --year 2024 --org 财政 >year.txt 2>/dev/null
check "check --year --org" sh -c '! grep -v "^  " year.txt | grep -v "财政局  2024" | grep -q .'
"$OGI" check --parent 海滨市 --format html >check.html 2>/dev/null
check "check --format html: a page with charset and style" sh -c 'grep -q "<meta charset=\"utf-8\">" check.html &&
	grep -q "<style>" check.html && grep -q "reports/[0-9]*.html" check.html &&
	grep -q "href=\"http://www.haibin.test/" check.html'
finish
