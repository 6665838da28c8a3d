#!/bin/sh
# make bench: generates the corpora and prints every benchmark's figures.
# Not a test: nothing here passes or fails on a timing.
cd "$(dirname "$0")/.." || exit 2
PY=/usr/bin/python3
OUT=bench/out
mkdir -p "$OUT"
if [ ! -f "$OUT/pages/expected.json" ] || [ "$(ls "$OUT/pages" | wc -l)" -lt 601 ]; then
	echo "generating 600 report pages of 40-150 KB (a third GBK)..."
	rm -rf "$OUT/pages"
	$PY tests/gen/genreport.py page --out "$OUT/pages" --count 600 --min-kb 40 --max-kb 150 \
		--gbk-every 3 || exit 1
fi
echo "== extraction (bench/bench-extract.c) =="
build/bench/bench-extract "$OUT/pages"
echo
echo "== peak memory as the corpus grows (bench-extract --stream: one page at a time) =="
for n in 150 300 600; do
	printf '%4d pages: ' "$n"
	build/bench/bench-extract --stream "$OUT/pages" "$n"
done
for b in bench/run-*.sh; do
	[ -f "$b" ] && sh "$b"
done
exit 0
