#!/bin/sh
# PDF reports (run by bench/run.sh): generated reports printed to PDF by
# headless Chromium (tests/gen/mkpdf.py) and the real PDF of
# tests/fixtures/real; ogi's extraction next to poppler alone extracting
# the same text and glyph boxes in the same process (bench-extract --pdf),
# and next to `pdftotext -layout`, a process per file as people run it.
# Figures only.
cd "$(dirname "$0")/.." || exit 2
PY=/usr/bin/python3
OUT=bench/out/pdfs
[ -x build/bench/bench-extract ] || exit 0
if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null 2>&1; then
	echo "== PDF: skipped (needs chromium and poppler-utils: make deps) =="
	exit 0
fi
if [ "$(ls "$OUT"/*.pdf 2>/dev/null | wc -l)" -lt 13 ]; then
	echo "printing 12 generated reports to PDF..."
	rm -rf "$OUT"
	$PY tests/gen/mkpdf.py --out "$OUT" --seed 5 --count 12 >/dev/null || exit 1
	cp tests/fixtures/real/52_huaian_2024.pdf "$OUT/"
fi
echo "== PDF reports (bench/bench-extract.c --pdf) =="
build/bench/bench-extract --pdf "$OUT"
$PY - "$OUT" <<'PYEOF'
import glob, subprocess, sys, time
files = sorted(glob.glob(sys.argv[1] + "/*.pdf"))
best = None
for _ in range(3):
    t = time.time()
    for f in files:
        subprocess.run(["pdftotext", "-layout", f, "/dev/null"], check=False)
    t = time.time() - t
    best = t if best is None or t < best else best
print("%-28s %8.1f files/s (a process a file, best of 3)" % ("pdftotext -layout", len(files) / best))
PYEOF
