#!/bin/sh
# Tables published as pictures, read with OCR (parser/imgtable.c): the
# generator's own tables shot by headless Chromium (tests/gen/mkimages.py,
# cached in build/image-cache) at normal quality and as a poor JPEG, and a
# scanned PDF whose table 3 runs over two page pictures, read with
# `ogi ingest`.  Every value accepted equals its truth, at least 95% of the
# cells are accepted at normal quality, the others are stored uncertain and
# marked; hostile pictures are refused from their header, within bounds.
# The accuracy table over every quality level is `make bench` (bench/run-ocr.sh).
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"
PY=/usr/bin/python3

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	fail "no chromium: run 'make deps' (Debian package chromium)"
	finish
	exit 1
fi

$PY "$T_ROOT/tests/gen/mkimages.py" --out img --seed 5 --count 2 --variants normal \
	--scan-pdf >mkimages.out 2>&1
$PY "$T_ROOT/tests/gen/mkimages.py" --out img2 --seed 5 --count 2 --variants jpeg40 \
	>>mkimages.out 2>&1
rm -f img2/00-jpeg40.jpg
$PY - img img2 <<'PYEOF'
import json, shutil, sys
# one folder: report 0 (2021) as a picture and as a scanned PDF, report 1 (2019) as a picture
# and as a poor JPEG
a = json.load(open(sys.argv[1] + "/expected.json", encoding="utf-8"))["files"]
b = json.load(open(sys.argv[2] + "/expected.json", encoding="utf-8"))["files"]
del a["01-scan.pdf"]
a["01-jpeg40.jpg"] = b["01-jpeg40.jpg"]
shutil.copy(sys.argv[2] + "/01-jpeg40.jpg", sys.argv[1])
import os
os.unlink(sys.argv[1] + "/01-scan.pdf")
json.dump({"files": a}, open(sys.argv[1] + "/expected.json", "w", encoding="utf-8"), ensure_ascii=False)
PYEOF
check "mkimages.py made three pictures and a scanned PDF" \
	test "$(ls img/*.png img/*.jpg img/*.pdf 2>/dev/null | wc -l)" -eq 4

$PY "$T_ROOT/tests/e2e/ocr-score.py" "$OGI" img --db ocr.db --min-accepted normal=95 \
	--min-accepted scan-pdf=95 >score.out 2>&1
check "every accepted value is the truth; >= 95% accepted at normal quality" test $? -eq 0
sed 's/^/    /' score.out >&2

# what was read, how it is kept
check "every figure of a picture keeps its picture, box and confidence" \
	test "$(sqlite3 ocr.db "SELECT count(*) FROM figures WHERE ocr_conf IS NULL OR ocr_image IS NULL OR ocr_box NOT GLOB '[0-9]*,[0-9]*,[0-9]*,[0-9]*'")" -eq 0
check "the scanned PDF's figures name their page" \
	test "$(sqlite3 ocr.db "SELECT count(DISTINCT ocr_image) FROM figures f JOIN reports r ON r.id = f.report_id WHERE r.location LIKE '%scan.pdf'")" -eq 2
check "table 3 of the scanned PDF read over its two pages" \
	test "$(sqlite3 ocr.db "SELECT count(DISTINCT ocr_image) FROM figures f JOIN reports r ON r.id = f.report_id WHERE r.location LIKE '%scan.pdf' AND tbl = 3")" -eq 2
unc=$(sqlite3 ocr.db "SELECT count(*) FROM figures WHERE uncertain = 1")
partial=$(sqlite3 ocr.db "SELECT count(*) FROM reports r WHERE status = 'partial' AND missing LIKE '%ocr: % uncertain%'")
withunc=$(sqlite3 ocr.db "SELECT count(DISTINCT report_id) FROM figures WHERE uncertain = 1")
check "a report with uncertain figures is partial and says how many ($unc)" test "$partial" -eq "$withunc"
check "the poor JPEG leaves some figures uncertain, not guessed" test "$unc" -gt 0

# ogi show marks what OCR read, uncertain figures apart
id=$(sqlite3 ocr.db "SELECT report_id FROM figures WHERE uncertain = 1 LIMIT 1")
"$OGI" --db ocr.db show "$id" >show.out 2>&1
check "ogi show says the figures were read by OCR" grep -q "read by OCR" show.out
check "ogi show marks uncertain figures" grep -q "uncertain" show.out
"$OGI" --db ocr.db show "$id" --format json >show.json 2>&1
check "ogi show --format json gives each OCR'd figure its provenance" $PY -c "
import json, sys
d = json.load(open('show.json', encoding='utf-8'))
cells = [c for c in d.get('ocr', [])]
sys.exit(0 if cells and all({'key', 'image', 'box', 'confidence', 'uncertain'} <= set(c) for c in cells) else 1)"
# the report's page shows each uncertain figure cut from its picture, with the fix command
"$OGI" --db ocr.db report show "$id" --format html >page.html 2>&1
check "the report page lists the figures to review" grep -q 'id="review"' page.html
check "each uncertain figure of the report is shown cut from its picture" $PY - "$id" <<'PYEOF'
import json, re, sys
d = json.load(open("show.json", encoding="utf-8"))
unc = [c for c in d["ocr"] if c["uncertain"]]
page = open("page.html", encoding="utf-8").read()
review = page[page.index('id="review"'):]
crops = re.findall(r'<figure class="crop"><div class="pic(\d+)" style="width:(\d+)px;height:(\d+)px;'
                   r'background-position:-(\d+)px -(\d+)px">', review)
pics = set(re.findall(r'\.pic(\d+)\{background-image:url\(data:image/(?:png|jpeg);base64,', review))
fixes = re.findall(r"ogi fix %s (t[234]\.[a-z_]+\.[a-z_]+) VALUE" % sys.argv[1], review)
ok = (len(crops) == len(unc) and sorted(fixes) == sorted(c["key"] for c in unc) and
      all(p in pics for p, *_ in crops) and
      all(int(w) >= c["box"][2] and int(h) >= c["box"][3] for (_, w, h, _, _), c in zip(crops, unc)))
sys.exit(0 if ok else 1)
PYEOF
"$OGI" --db ocr.db check --format json >findings.json 2>/dev/null
check "no contradiction is reported from uncertain OCR figures" $PY -c "
import json, sys
f = json.load(open('findings.json', encoding='utf-8'))
sys.exit(1 if any(x['kind'] == 'contradiction' for x in f) else 0)"

# A crawl reads a scan as ingest does: a column on a loopback site links the
# scanned PDF, and the crawled report has the figures ingest read from it.
mkdir -p site/www.scan.test/xxgk/ndbg
cp img/00-scan.pdf site/www.scan.test/xxgk/ndbg/t20240115_1.pdf
cat >site/www.scan.test/xxgk/ndbg/index.html <<'HTMLEOF'
<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<ul><li><a href="t20240115_1.pdf">2023年政府信息公开工作年度报告</a> 2024-01-15</li></ul>
</body></html>
HTMLEOF
if start_server "$T_TMP/site"; then
	"$OGI" --db scan.db seed add http://www.scan.test/xxgk/ndbg/index.html --org 扫描镇 \
		--level township --parent 扫描县 >/dev/null 2>&1
	"$OGI" --db scan.db --quiet crawl --delay 0 \
		--connect-to "www.scan.test:80:127.0.0.1:$PORT" >crawl.out 2>&1
	check "the crawl of a column with a scanned PDF ends well" test $? -eq 0
	check "the crawled scan's figures are those ingest read" $PY - <<'PYEOF'
import sqlite3, sys
def figures(db, like):
    c = sqlite3.connect(db)
    return sorted(c.execute("SELECT f.tbl, f.row_key, f.col_key, f.value, f.uncertain FROM figures f "
                            "JOIN reports r ON r.id = f.report_id WHERE r.location LIKE ? "
                            "AND f.ocr_image IS NOT NULL", (like,)).fetchall())
got, want = figures("scan.db", "%t20240115_1.pdf"), figures("ocr.db", "%00-scan.pdf")
sys.exit(0 if got and got == want else 1)
PYEOF
	stop_server
else
	fail "the loopback server did not start"
fi

# Hostile pictures: refused from their header or their end, within bounds, nothing decoded.
$PY - img/00-normal.png <<'PYEOF'
import struct, sys, zlib

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

def png(w, h, idat):
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", idat) + chunk(b"IEND", b""))

# a header of 100,000 x 100,000
open("huge.png", "wb").write(png(100000, 100000, zlib.compress(b"\0" * 1000)))
# a bomb: 7,000 x 7,000 pixels of grey (49 million), its data a few hundred KiB
c = zlib.compressobj(9)
row = b"\0" + b"\x80" * 7000
open("bomb.png", "wb").write(png(7000, 7000, b"".join(c.compress(row) for _ in range(7000)) + c.flush()))
# a JPEG cut in half (Chromium's, from the suite's pictures)
import glob
jpg = open(sorted(glob.glob("img/*.jpg"))[0], "rb").read()
open("truncated.jpg", "wb").write(jpg[:len(jpg) // 2])
PYEOF
for f in huge.png:"100000x100000 pixels, over the limit" bomb.png:"7000x7000 pixels, over the limit" \
	truncated.jpg:"a truncated JPEG"; do
	name=${f%%:*}
	check_refused "$name" "${f#*:}" 300 300
	sed 's/^/    /' "$name.time" >&2
done
check "hostile pictures stored as sources, no report" \
	test "$(sqlite3 hostile.db 'SELECT (SELECT count(*) FROM sources) || "/" || (SELECT count(*) FROM reports)')" = "3/0"
finish
