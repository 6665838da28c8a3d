#!/bin/sh
# ogi crawl against loopback sites of tests/gen/mkcity.py served by
# tests/server/city_server.py (run by bench/run.sh).  Figures only:
#  - throughput with politeness off: ~10,000 pages over 10 hosts (8,400
#    report pages parsed and stored), pages per second and peak memory;
#    the same site crawled again (conditional requests, nothing changes);
#  - Scrapy on the same site in the same run, when python3-scrapy is there;
#  - politeness: H hosts x P pages with a delay d, wall time against the
#    ideal, the largest P*d over the hosts.
cd "$(dirname "$0")/.." || exit 2
[ -x build/ogi ] || exit 0
PY=/usr/bin/python3
OUT=bench/out/crawl
OGI=$PWD/build/ogi
mkdir -p "$OUT"

# measure CMD...: runs CMD, prints "<wall s> <peak RSS KB> <exit> <CPU s, user + system>"
measure() {
	$PY -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[1:])
w = time.time() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f %d %d %.2f" % (w, ru.ru_maxrss, rc, ru.ru_utime + ru.ru_stime))
' "$@"
}

SERVER_PID=
start_server() { # ROOT LOG
	$PY tests/server/city_server.py --root "$1" --vhosts --log "$2" --max-seconds 1200 \
		>"$OUT/port.txt" 2>/dev/null &
	SERVER_PID=$!
	i=0
	while ! grep -q '^PORT ' "$OUT/port.txt" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	PORT=$(sed -n 's/^PORT //p' "$OUT/port.txt")
	[ -n "$PORT" ]
}
stop_server() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}
trap 'stop_server' EXIT

echo
echo "== crawl (ogi crawl, loopback, bench/run-crawl.sh) =="
if [ ! -f "$OUT/big/seeds.tsv" ]; then
	echo "generating a site of 10 hosts x 140 report columns x 6 years (plain tables, ~12 KB pages)..."
	rm -rf "$OUT/big"
	$PY tests/gen/mkcity.py --out "$OUT/big" --hosts 10 --bodies-per-host 140 --per-page 10 \
		--plain >/dev/null || exit 1
fi
start_server "$OUT/big/sites" /dev/null || { echo "fixture server did not start"; exit 1; }
CT=""
for i in 0 1 2 3 4 5 6 7 8 9; do
	CT="$CT --connect-to h$i.test:80:127.0.0.1:$PORT"
done
db=$OUT/big.db
rm -f "$db" "$db-wal" "$db-shm"
$OGI --db "$db" -q seed import "$OUT/big/seeds.tsv"
set -- $(measure $OGI --db "$db" -q crawl --delay 0 --per-host 16 --max-pages 100000 $CT)
pages=$(sqlite3 "$db" "SELECT count(*) FROM crawl_urls WHERE kind <> 'attachment' AND state = 'ok'")
reports=$(sqlite3 "$db" "SELECT count(*) FROM reports")
ogi_rate=$($PY -c "print('%.0f' % ($pages / $1))")
echo "politeness off (no delay, 16 per host, robots.txt obeyed), 10 hosts:"
echo "  $pages pages fetched ($reports report pages parsed and stored) in $1 s:" \
	"$ogi_rate pages/s (exit $3)"
echo "  ogi CPU $4 s (parsing on a second thread): $($PY -c "print('%.2f' % ($4 * 1000 / $pages))")" \
	"ms per page; peak RSS $(($2 / 1024)) MB"
set -- $(measure $OGI --db "$db" -q crawl --delay 0 --per-host 16 --max-pages 100000 $CT)
echo "  again, nothing changed (conditional GETs, all 304): $pages pages in $1 s:" \
	"$($PY -c "print('%.0f' % ($pages / $1))") pages/s"


# Scrapy against the same server (it uses it as an HTTP proxy to reach the virtual hosts).
if $PY -c 'import scrapy' 2>/dev/null; then
	out=$($PY bench/scrapy_city.py "$OUT/big/seeds.tsv" "http://127.0.0.1:$PORT" \
		"$OUT/scrapy.jsonl" 2>/dev/null)
	n=$(echo "$out" | sed -n 's/^scrapy: \([0-9]*\) pages in \([0-9.]*\) s$/\1/p')
	s=$(echo "$out" | sed -n 's/^scrapy: \([0-9]*\) pages in \([0-9.]*\) s$/\2/p')
	if [ -n "$n" ]; then
		r=$($PY -c "print('%.0f' % ($n / $s))")
		echo "Scrapy $($PY -c 'import scrapy; print(scrapy.__version__)') on the same site" \
			"(same links followed, robots.txt obeyed, no delay, 32 requests in flight;"
		echo "  it fetches and extracts links only, writes URL and size of each report page):"
		echo "  $n responses in $s s: $r pages/s; ogi/Scrapy $($PY -c "print('%.2f' % ($ogi_rate / $r))")x"
	else
		echo "Scrapy: the run failed"
	fi
else
	echo "Scrapy: not installed (Debian: apt-get install python3-scrapy); no comparison"
fi
# Stopped with or without Scrapy: start_server below takes SERVER_PID, which would orphan it.
stop_server

# Politeness: every host gets one request at a time, d seconds apart.
if [ ! -f "$OUT/polite/seeds.tsv" ]; then
	rm -rf "$OUT/polite"
	$PY tests/gen/mkcity.py --out "$OUT/polite" --hosts 4 --bodies-per-host 3 --per-page 10 \
		--plain >/dev/null || exit 1
fi
log=$OUT/polite.log
: >"$log"
start_server "$OUT/polite/sites" "$log" || exit 1
CT=""
for i in 0 1 2 3; do
	CT="$CT --connect-to h$i.test:80:127.0.0.1:$PORT"
done
for d in 0.1 0.2; do
	db=$OUT/polite.db
	rm -f "$db" "$db-wal" "$db-shm"
	: >"$log"
	$OGI --db "$db" -q seed import "$OUT/polite/seeds.tsv"
	set -- $(measure $OGI --db "$db" -q crawl --delay "$d" $CT)
	$PY - "$log" "$d" "$1" <<'EOF'
import json, sys
log, d, wall = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
per = {}
for line in open(log):
    r = json.loads(line)
    per.setdefault(r["host"], []).append(r["t"])
p = max(len(v) for v in per.values())
gaps = min(b - a for v in per.values() for a, b in zip(sorted(v), sorted(v)[1:]))
ideal = p * d
print("politeness: %d hosts x %d requests (robots.txt, listing and report pages), delay %.1f s:"
      % (len(per), p, d))
print("  wall %.2f s, ideal max P*d %.2f s: %.2fx the ideal; smallest gap on a host %.3f s"
      % (wall, ideal, wall / ideal, gaps))
EOF
done
stop_server
exit 0
