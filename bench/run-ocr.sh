#!/bin/sh
# OCR of tables published as pictures (run by bench/run.sh): the accuracy
# table over every quality level tests/gen/mkimages.py makes (four reports,
# both formats, each at every level, and a scanned PDF of two pages each;
# cached in build/image-cache), then the speed: `ogi ingest --jobs 1` of the
# pictures against a bare `tesseract` run on the same pictures (whole page,
# Chinese and English, its default layout analysis; OMP_THREAD_LIMIT=1 as
# ogi's readers run on one thread), both whole processes, one after the
# other.  Prints pictures per second and seconds per report.  Figures only:
# nothing here passes or fails on a timing; ocr-score.py's accepted_wrong
# column is what must stay 0.
cd "$(dirname "$0")/.." || exit 2
PY=/usr/bin/python3
OUT=bench/out/ocr
OGI=${OGI:-./ogi}
[ -x "$OGI" ] || exit 0
if ! command -v tesseract >/dev/null 2>&1; then
	echo "== OCR: no tesseract command (make bench installs tesseract-ocr) =="
	exit 0
fi
echo "== OCR of pictured tables: accuracy per quality level (tests/e2e/ocr-score.py) =="
$PY tests/gen/mkimages.py --out "$OUT" --count 4 --scan-pdf \
	--variants normal,zoom1,zoom2,jpeg70,jpeg40,rotated,scanned >/dev/null || exit 1
$PY tests/e2e/ocr-score.py "$OGI" "$OUT" --db "$OUT/score.db" --jobs 1 | tee "$OUT/score.out" |
	grep -v ' accepted as '

ms() {
	date +%s%N | cut -c1-13
}

pictures=$(ls "$OUT"/*.png "$OUT"/*.jpg | wc -l)
rm -f "$OUT/speed.db"*
t0=$(ms)
"$OGI" --db "$OUT/speed.db" --quiet ingest --jobs 1 "$OUT"/*.png "$OUT"/*.jpg >/dev/null 2>&1
t_ogi=$(($(ms) - t0))
t0=$(ms)
for f in "$OUT"/*.png "$OUT"/*.jpg; do
	OMP_THREAD_LIMIT=1 tesseract "$f" - -l chi_sim+eng >/dev/null 2>&1
done
t_tess=$(($(ms) - t0))
echo
echo "== OCR speed: $pictures pictures (one report each), one thread =="
$PY - "$pictures" "$t_ogi" "$t_tess" <<'PYEOF'
import sys
n, ogi, tess = int(sys.argv[1]), int(sys.argv[2]) / 1000, int(sys.argv[3]) / 1000
print("%-34s %8s %12s %12s" % ("", "seconds", "pictures/s", "s/report"))
print("%-34s %8.1f %12.2f %12.2f" % ("ogi ingest (grid, cell by cell)", ogi, n / ogi, ogi / n))
print("%-34s %8.1f %12.2f %12.2f" % ("tesseract CLI (whole page, text)", tess, n / tess, tess / n))
PYEOF
exit 0
