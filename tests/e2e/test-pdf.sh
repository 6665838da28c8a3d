#!/bin/sh
# Reports published as PDF files (parser/pdf.c): the real PDF of
# tests/fixtures/real reads to its transcription (test-shapes.sh); here,
# generated reports printed to PDF by headless Chromium (tests/gen/mkpdf.py:
# tables over page breaks, blank cells, a column blank from top to bottom,
# broken totals) read to the values they were printed from, the rules find
# exactly the broken report, and hostile PDFs are refused within bounds.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
SCORE="$T_ROOT/tests/e2e/score.py"

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	fail "no chromium: run 'make deps' (Debian package chromium)"
	finish
	exit 1
fi

$PY "$T_ROOT/tests/gen/mkpdf.py" --out pdf --seed 11 --count 4 >mkpdf.out 2>&1
check "mkpdf.py printed four reports" test "$(ls pdf/*.pdf 2>/dev/null | wc -l)" -eq 4
$PY "$SCORE" "$OGI" pdf --verbose >score.out 2>&1
check "every value of every generated PDF equals its truth" test $? -eq 0
grep -v '^ok ' score.out >&2

# Other seeds, other layouts: whatever is read is right (a row not read would stay absent).
$PY "$T_ROOT/tests/gen/mkpdf.py" --out pdf2 --seed 23 --count 8 >mkpdf2.out 2>&1
$PY "$SCORE" "$OGI" pdf2 --verbose >score2.out 2>&1
check "no value misread in eight more PDFs" sh -c "! grep -E \"^       t[234]\\..* [^ ]+, want\" score2.out | grep -v \"'absent'\" | grep -q ."
check "all of them read whole" grep -q '^8/8 files read right' score2.out
tail -n 1 score2.out >&2

# The rules find exactly the report whose totals were broken.
"$OGI" --db rules.db -q ingest pdf >/dev/null 2>&1
"$OGI" --db rules.db check --format json >findings.json
$PY - pdf/expected.json findings.json <<'PYEOF'
import json, sys
exp = json.load(open(sys.argv[1], encoding="utf-8"))["files"]
found = json.load(open(sys.argv[2], encoding="utf-8"))
# a total off by one breaks its row's sum and its column's (T3-OUTCOMES) alike
implies = {"T3-ROWSUM": ["T3-ROWSUM", "T3-OUTCOMES"]}
broken = {(e["organization"][0], e["year"], rule) for e in exp.values() if e.get("broken")
          for rule in implies.get(e["broken"], [e["broken"]])}
got = {(f["organization"], f["year"], f["rule"]) for f in found if f["kind"] == "contradiction"}
if got != broken:
    print("contradictions %s, want %s" % (sorted(got), sorted(broken)), file=sys.stderr)
    sys.exit(1)
PYEOF
check "check finds the broken report's rule, and nothing else" test $? -eq 0
check "a PDF report's source is kept with its charset 'pdf'" \
	test "$(sqlite3 rules.db "SELECT count(*) FROM reports WHERE charset = 'pdf'")" -eq 4

# Hostile PDFs: a clear error, in bounded time and memory.
$PY - "$OGI_FIXTURES/real/52_huaian_2024.pdf" <<'PYEOF'
import sys, zlib
real = open(sys.argv[1], "rb").read()
open("truncated.pdf", "wb").write(real[:len(real) // 2])

def pdf(objects, trailer_extra=b""):
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out)

# a password is needed to open it (the empty one fails)
open("encrypted.pdf", "wb").write(pdf(
    [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
     b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"],
    b"/Encrypt 3 0 R /ID [<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>] "))
# ten thousand pages
n = 10000
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (i + 3) for i in range(n)) + b"] /Count %d >>" % n]
objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
open("pages10k.pdf", "wb").write(pdf(objs))
# one content stream of a gigabyte of zeros, a megabyte on disk: a megabyte's deflate
# block after a full flush (no history) is the same block every time, so it is made once
# and repeated (deflating the whole gigabyte took 6 s)
import struct
c = zlib.compressobj(9, zlib.DEFLATED, -15)
chunk = b"0" * (1 << 20)
block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
adler = 1
for _ in range(1024):
    adler = zlib.adler32(chunk, adler)
data = b"\x78\xda" + block * 1023 + c.compress(chunk) + c.flush() + struct.pack(">I", adler)
open("bigstream.pdf", "wb").write(pdf(
    [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
     b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]))
PYEOF
for f in truncated:"a broken PDF" encrypted:"an encrypted PDF" pages10k:"10000 pages, over the 500 page limit" \
	bigstream:"stream over 64 MiB once inflated"; do
	name=${f%%:*}
	check_refused "$name.pdf" "${f#*:}" 300 300
	sed 's/^/    /' "$name.pdf.time" >&2
done
check "hostile files stored as sources, no report" \
	test "$(sqlite3 hostile.db 'SELECT (SELECT count(*) FROM sources) || "/" || (SELECT count(*) FROM reports)')" = "4/0"
finish
