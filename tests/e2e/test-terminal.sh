#!/bin/sh
# Terminal safety: text from pages and files (a title, a body's name, a
# file name, a link's text) holding ESC sequences (colours, OSC window
# titles, clear-screen), C1 CSI, bidi overrides and isolates never reaches
# what ogi prints or writes: list, show, show --format json, export (CSV
# and JSON), check, seed urls, error messages.  Text output and CSV lose
# them (a control becomes a space, a bidi control nothing); JSON keeps them
# as \uXXXX escapes, so the data survives and no raw byte does.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

# hostile TEXT: the bytes no output may hold
ESC=$(printf '\033')
RLO=$(printf '\342\200\256')	# U+202E RIGHT-TO-LEFT OVERRIDE
LRI=$(printf '\342\201\246')	# U+2066 LEFT-TO-RIGHT ISOLATE
LRM=$(printf '\342\200\216')	# U+200E LEFT-TO-RIGHT MARK
CSI=$(printf '\302\233')	# U+009B, CSI to some terminals
BEL=$(printf '\007')
# clean FILE: 0 when FILE holds none of the bytes above
clean() {
	$PY - "$1" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")	# CSV for Excel: CRLF
bad = [b"\x1b", b"\x07", "\u009b".encode(), "\u202e".encode(), "\u2066".encode(), "\u200e".encode(),
       "\u2069".encode(), b"\r"]
found = [b for b in bad if b in data]
if found:
    print("  %s holds %r" % (sys.argv[1], found), file=sys.stderr)
sys.exit(1 if found else 0)
PYEOF
}

mkdir -p in site/h.test/col
# A page whose title and body name hold ESC sequences and bidi controls,
# in a file whose name holds them too.
$PY - "$T_ROOT/tests/gen" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import genreport
org = "晋江市\x1b[31m龙湖\u202e镇人民政府"
v = genreport.make_report(random.Random(7), org, 2023, "2021")
html = genreport.render_html(v, random.Random(1), 8)
html = html.replace("</title>", "\x1b]0;pwned\x07\u2066\u200e</title>", 1)
open("in/r\x1b[2J\u202egpj.html", "w", encoding="utf-8").write(html)
# a listing whose link text is hostile, for seed urls
v = genreport.make_report(random.Random(8), "某某县档案馆", 2022, "2021")
open("site/h.test/col/r.html", "w", encoding="utf-8").write(
    genreport.render_html(v, random.Random(1), 8))
open("site/h.test/col/index.html", "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"></head><body><a href="r.html">'
    '档案馆\x1b[2J\x1b]0;x\x07\u202e2022年政府信息公开工作年度报告\u2069\xc2\x9b</a>'
    '</body></html>')
PYEOF
# the body's name as given (--org, --parent are stored as written)
ORG="晋江市${ESC}[31m龙湖${RLO}镇人民政府"
PARENT="晋江${LRI}市${ESC}]0;t${BEL}"
"$OGI" ingest --org "$ORG" --parent "$PARENT" --level township in/* >ingest.out 2>ingest.err
check "the page was read" test "$(sqlite3 ogi.db 'SELECT count(*) FROM reports')" -eq 1
check "... and kept as written in the warehouse" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM bodies WHERE instr(name, char(27)) > 0")" -ge 1 -o \
	"$(sqlite3 ogi.db "SELECT count(*) FROM sources WHERE instr(location, char(27)) > 0")" -ge 1

for f in text csv json html; do
	"$OGI" list --format $f >list.$f
	check "list --format $f: no control or bidi character" clean list.$f
done
check "list: the name is there, the ESC a space" grep -q "晋江市 \[31m龙湖镇人民政府" list.text
check "list: the file name too" grep -q "r \[2Jgpj.html" list.text
"$OGI" list --format csv --excel >list.xcsv
check "list --format csv --excel" clean list.xcsv
"$OGI" show 1 >show.txt
check "show: no control or bidi character" clean show.txt
check "show: the body's name, made safe" grep -q "^晋江市 \[31m龙湖镇人民政府  2023" show.txt
check "show: the source, made safe" grep -q "^report 1  source .*/in/r \[2Jgpj.html$" show.txt
"$OGI" show --format json 1 >show.json
check "show --format json: no raw control or bidi character" clean show.json
check "show --format json: valid JSON that keeps the text" $PY -c "
import json, sys
d = json.load(open('show.json', encoding='utf-8'))
sys.exit(0 if d['organization'] == '晋江市\x1b[31m龙湖\u202e镇人民政府' else 1)"
check "show --format json: as \\u escapes" grep -q '\\u001b\[31m龙湖\\u202e镇' show.json
for f in csv json; do
	"$OGI" export --format $f >export.$f
	check "export --format $f: no control or bidi character" clean export.$f
done
check "export csv: rows written" test "$(grep -c '晋江市 \[31m龙湖镇人民政府' export.csv)" -gt 10
"$OGI" check >check.txt 2>check.err
"$OGI" check --format csv >check.csv 2>&1
check "check: no control or bidi character" clean check.txt
check "check --format csv: none either" clean check.csv
# error messages quote what they were given, made safe
"$OGI" ingest "in/missing${ESC}[2J${RLO}.html" >/dev/null 2>err.txt
check "an error message: no control or bidi character" clean err.txt
check "... and still names the file" grep -q "missing \[2J.html" err.txt

# seed urls: link texts from a crawled listing
start_server "$T_TMP/site" || fail "the fixture server did not start"
"$OGI" -q seed add http://h.test/col/ --org 某某县档案馆 --kind listing
"$OGI" crawl --delay 0.02 --connect-to "h.test:80:127.0.0.1:$PORT" >crawl.out 2>crawl.err
check "the listing was crawled" test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls WHERE url = 'http://h.test/col/r.html'")" -eq 1
for f in text csv json; do
	"$OGI" seed urls --format $f >urls.$f
	check "seed urls --format $f: no control or bidi character" clean urls.$f
done
check "the link text holds a bidi override in the warehouse" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM crawl_urls WHERE instr(link_text, char(8238)) > 0")" -eq 1
check "seed urls: the link text, made safe" grep -q "档案馆.*\[2J.*]0;x.*2022年政府信息公开工作年度报告" urls.text
check "crawl output: no control or bidi character" clean crawl.err
finish
