#!/bin/sh
# The HTML report in a real browser: headless Chromium (Debian's chromium,
# installed by `make deps`) loads `ogi report all --format html` with no
# console message (no script error, nothing blocked or fetched), its DOM
# holds the charts, the tables and the bodies' names, a body named
# 测试<script>alert(1)</script>镇 shows as text and the page has no script
# element at all; a screenshot is taken.  A control page with a script and
# a remote image proves that the console check sees such things.
. "$(dirname "$0")/lib.sh"
HERE="$T_ROOT/tests/e2e"
PY=/usr/bin/python3
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export OGI_DB="$T_TMP/ogi.db"
EVIL='测试<script>alert(1)</script>镇'
QUOTES="引号\"'&amp;单位"

if [ ! -x "$CHROMIUM" ]; then
	fail "no $CHROMIUM: run 'make deps' (Debian package chromium)"
	finish
	exit 1
fi

# browse URL what...: chromium with no network, profile or extras; stderr kept in browse.err
browse() {
	url=$1
	shift
	profile=$(mktemp -d)
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --user-data-dir="$profile" \
		--enable-logging=stderr --v=0 "$@" "$url" 2>browse.err
	rc=$?
	rm -rf "$profile"
	return $rc
}

$PY "$HERE/reports-data.py" data || { fail "reports-data.py"; finish; exit 1; }
"$OGI" ingest --level township --parent 晋江市 data/pages >/dev/null 2>&1
check "ingest generated pages" test $? -eq 0
# Two pages of hostile names, given with --org as a seed list would.
T_ROOT_GEN="$T_ROOT/tests/gen" $PY - <<'PYEOF'
import os, random, sys
sys.path.insert(0, os.environ["T_ROOT_GEN"])
import genreport as g
rng = random.Random(7)
for i, org in enumerate(["evil", "quotes"]):
    v = g.make_report(rng, "晋江市测试镇人民政府", 2023, "2021", scale=30)
    open("hostile-%d.html" % i, "w", encoding="utf-8").write(g.render_html(v, rng, 20))
PYEOF
check "hostile pages written" test -f hostile-1.html
"$OGI" ingest --org "$EVIL" --level township --parent 晋江市 hostile-0.html >/dev/null 2>&1
check "ingest the <script> body" test $? -eq 0
"$OGI" ingest --org "$QUOTES" --level township --parent 晋江市 hostile-1.html >/dev/null 2>&1
check "ingest the quotes body" test $? -eq 0

"$OGI" report all --format html >report.html 2>err.txt
check "report all --format html exits 0" test $? -eq 0
check "the file has no <script" sh -c '! grep -qi "<script" report.html'

browse "file://$T_TMP/report.html" --dump-dom >dom.html
check "chromium dumps the DOM" test $? -eq 0
n=$(grep -c ':CONSOLE' browse.err)
check "the page loads without a console message ($n): $(grep ':CONSOLE' browse.err | head -3)" \
	test "$n" -eq 0
$PY - dom.html "$EVIL" "$QUOTES" <<'PYEOF' >dom-check.txt 2>&1
import html.parser, sys
dom = open(sys.argv[1], encoding="utf-8").read()
evil, quotes = sys.argv[2], sys.argv[3]

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.classes, self.texts, self.stack = {}, {}, [], []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k, v in attrs:
            if k == "class" and v:
                for c in v.split():
                    self.classes[tag + "." + c] = self.classes.get(tag + "." + c, 0) + 1
            if k.startswith("on"):
                print("event handler attribute", tag, k)
    def handle_data(self, d):
        self.texts.append(d)

p = P()
p.feed(dom)
text = "".join(p.texts)
problems = []
if p.tags.get("script"):
    problems.append("%d script elements" % p.tags["script"])
for what, n in (("svg", 8), ("rect", 20), ("path", 2), ("table", 5), ("section", 5),
                ("figure", 8)):
    if p.tags.get(what, 0) < n:
        problems.append("%d <%s>, want at least %d" % (p.tags.get(what, 0), what, n))
for cls, n in (("svg.hbars", 3), ("svg.stack100", 3), ("svg.small", 2), ("svg.grouped", 1),
               ("p.source", 8)):
    if p.classes.get(cls, 0) < n:
        problems.append("%d %s charts, want at least %d" % (p.classes.get(cls, 0), cls, n))
for name in ("晋江市东石镇人民政府", "晋江市磁灶镇人民政府", evil, quotes, "公开率",
             "不予公开", "T3-BALANCE", "无报告", "新收·自然人"):
    if name not in text:
        problems.append("text %r not in the page" % name)
if text.count(evil) < 3:
    problems.append("the <script> name shows %d times, want tables and charts" % text.count(evil))
print("\n".join(problems))
sys.exit(1 if problems else 0)
PYEOF
rc=$?
check "DOM: charts, tables, names, the <script> name as text, no script: $(cat dom-check.txt)" \
	test $rc -eq 0

browse "file://$T_TMP/report.html" --window-size=1200,4000 --screenshot="$T_TMP/report.png" \
	>/dev/null
check "chromium takes a screenshot" test $? -eq 0
check "the screenshot is a PNG" sh -c "head -c 8 report.png | od -An -tx1 | tr -d ' \n' |
	grep -q '^89504e470d0a1a0a'"
size=$(wc -c <report.png 2>/dev/null || echo 0)
check "the screenshot is not empty ($size bytes)" test "$size" -gt 20000

# The control: the console check does see a blocked script and a remote image.
cat >control.html <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>
<body><script>alert(1)</script><img src="http://192.0.2.1/x.png"></body></html>
EOF
browse "file://$T_TMP/control.html" --dump-dom >/dev/null
check "control: the console check sees the blocked script" grep -q ':CONSOLE' browse.err

# Each report's page on its own loads cleanly too.
for r in volumes refusals compare review flags; do
	"$OGI" report $r --format html >"$r.html" 2>err.txt
	browse "file://$T_TMP/$r.html" --dump-dom >"$r.dom"
	check "report $r page: DOM with svg, no console message" sh -c \
		"grep -q '<svg' '$r.dom' && ! grep -q ':CONSOLE' browse.err &&
		! grep -qi '<script' '$r.dom'"
done
finish
