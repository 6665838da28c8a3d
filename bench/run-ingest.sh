#!/bin/sh
# `ogi ingest DIR` as a whole process (run by bench/run.sh), against the
# reference: a bare gumbo parse of the same files, GBK pages decoded first
# (bench-extract --gumbo), also a whole process.  Two corpora: 300 pages of
# 30-50 KB, the size of real reports, and the 600 pages of 40-150 KB of
# bench/out/pages; a third of each GBK.  Best of 5 interleaved rounds (a
# busy machine slows both alike); each ogi round ingests into a fresh
# warehouse.  Prints the times and reference/ogi (1.0: as fast as parsing
# alone).  Figures only.  OGI_JOBS sets `ingest --jobs` (default: all cores);
# OGI another binary to measure (an older build, say).
cd "$(dirname "$0")/.." || exit 2
PY=/usr/bin/python3
OUT=bench/out
ROUNDS=${ROUNDS:-5}
OGI=${OGI:-./ogi}
[ -x build/bench/bench-extract ] && [ -x "$OGI" ] || exit 0
if [ "$(ls "$OUT/pages40" 2>/dev/null | wc -l)" -lt 301 ]; then
	echo "generating 300 report pages of 30-50 KB (a third GBK)..."
	rm -rf "$OUT/pages40"
	$PY tests/gen/genreport.py page --out "$OUT/pages40" --count 300 --min-kb 30 --max-kb 50 \
		--gbk-every 3 --seed 40 --plain-tables >/dev/null || exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ms() {
	date +%s%N | cut -c1-13
}

# best_of NAME CMD...: runs CMD once, keeps the best time of NAME in $tmp/NAME (ms)
best_of() {
	name=$1
	shift
	t0=$(ms)
	"$@" >/dev/null 2>&1
	t=$(($(ms) - t0))
	if [ ! -f "$tmp/$name" ] || [ "$t" -lt "$(cat "$tmp/$name")" ]; then
		echo "$t" >"$tmp/$name"
	fi
}

ingest() {
	rm -f "$tmp/b.db" "$tmp/b.db-wal" "$tmp/b.db-shm"
	"$OGI" --db "$tmp/b.db" --quiet ingest ${OGI_JOBS:+--jobs "$OGI_JOBS"} "$1"
}

echo "== ingest as a process, against a bare gumbo parse (bench/run-ingest.sh) =="
for corpus in pages40 pages; do
	dir=$OUT/$corpus
	n=$(ls "$dir"/*.htm* | wc -l)
	kb=$(cat "$dir"/*.htm* | wc -c | awk "{print \$1 / 1024}")
	rm -f "$tmp"/gumbo "$tmp"/ogi
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		best_of gumbo build/bench/bench-extract --gumbo "$dir"
		best_of ogi ingest "$dir"
		i=$((i + 1))
	done
	g=$(cat "$tmp/gumbo")
	o=$(cat "$tmp/ogi")
	awk -v n="$n" -v kb="$kb" -v g="$g" -v o="$o" -v r="$ROUNDS" 'BEGIN {
		printf "%d pages, mean %.0f KB (best of %d): gumbo %.2f s (%.0f pages/s), ogi ingest %.2f s (%.0f pages/s): %.2fx gumbo\n",
			n, kb / n, r, g / 1000, n / (g / 1000), o / 1000, n / (o / 1000), g / o }'
done

# Peak memory as the corpus grows: the parse runs ahead of the writer by a
# bounded queue, so the peak should stay flat from 150 to 600 pages.
echo "peak memory of ogi ingest as the corpus grows (bench/out/pages, 40-150 KB):"
for count in 150 300 600; do
	rm -rf "$tmp/sub" && mkdir "$tmp/sub"
	ls "$OUT/pages" | grep '\.htm' | head -n "$count" | while read -r f; do
		cp "$OUT/pages/$f" "$tmp/sub/"
	done
	rm -f "$tmp/b.db" "$tmp/b.db-wal" "$tmp/b.db-shm"
	$PY -c '
import resource, subprocess, sys
subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("  %4s pages: peak RSS %d MB" % (sys.argv[1], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))
' "$count" "$OGI" --db "$tmp/b.db" --quiet ingest ${OGI_JOBS:+--jobs "$OGI_JOBS"} "$tmp/sub"
done
