#!/bin/sh
# ogi crawl against loopback sites of tests/gen/mkcity.py served by
# tests/server/city_server.py (run by bench/run.sh).  Figures only:
#  - throughput with politeness off: ~10,000 pages over 10 hosts (8,400
#    report pages parsed and stored), pages per second and peak memory;
#    the same site crawled again (conditional requests, nothing changes);
#  - Scrapy on the same site in the same run, when python3-scrapy is there;
#  - each served by the Python fixture server and by nginx (nginx-light);
#  - politeness: H hosts x P pages with a delay d, wall time against the
#    ideal, the largest P*d over the hosts.
cd "$(dirname "$0")/.." || exit 2
[ -x build/ogi ] || exit 0
PY=/usr/bin/python3
OUT=bench/out/crawl
OGI=${OGI:-$PWD/build/ogi}	# OGI=another build to measure
mkdir -p "$OUT"

# measure CMD...: runs CMD, prints "<wall s> <peak RSS KB> <exit> <CPU s, user + system>"
measure() {
	$PY -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)  # --quiet still prints a line
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

# nginx (Debian's nginx-light) on 127.0.0.1, the Host header choosing
# ROOT/<host>/ as the Python server's --vhosts does; .htm as text/html with
# no charset (the page's <meta> says), gzip, ETag and Last-Modified as
# nginx gives them.  In the foreground of its own process, on a port the
# kernel picked a moment before.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
NGINX_PID=
start_nginx() { # ROOT
	[ -x "$NGINX" ] || return 1
	n=$PWD/$OUT/nginx
	rm -rf "$n" && mkdir -p "$n/tmp" "$n/logs" || return 1
	PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	root=$(cd "$1" && pwd)
	{
		echo "worker_processes 1;"
		[ "$(id -u)" = 0 ] && echo "user root;"
		echo "pid $n/nginx.pid;"
		echo "error_log $n/logs/error.log;"
		echo "events { worker_connections 1024; }"
		echo "http {"
		echo "  types { text/html html htm shtml; text/plain txt; application/pdf pdf; }"
		echo "  default_type application/octet-stream;"
		echo "  access_log off;"
		for t in client_body proxy fastcgi uwsgi scgi; do
			echo "  ${t}_temp_path $n/tmp/$t;"
		done
		echo "  sendfile on;"
		echo "  keepalive_requests 100000;"
		echo "  gzip on;"
		echo "  gzip_types text/plain;"
		echo "  index index.html index.htm index.shtml;"
		echo "  server { listen 127.0.0.1:$PORT; root $root/\$host; }"
		echo "}"
	} >"$n/nginx.conf"
	"$NGINX" -p "$n" -c "$n/nginx.conf" -g 'daemon off;' 2>"$n/logs/stderr" &
	NGINX_PID=$!
	i=0
	while ! $PY -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
			"$PORT" 2>/dev/null; do
		kill -0 "$NGINX_PID" 2>/dev/null && [ $i -lt 100 ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}
stop_nginx() {
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
	NGINX_PID=
}
trap 'stop_server; stop_nginx' EXIT

echo
echo "== crawl (ogi crawl, loopback, bench/run-crawl.sh) =="
if [ ! -f "$OUT/big/seeds.tsv" ]; then
	echo "generating a site of 10 hosts x 140 report columns x 6 years (plain tables, ~12 KB pages)..."
	rm -rf "$OUT/big"
	$PY tests/gen/mkcity.py --out "$OUT/big" --hosts 10 --bodies-per-host 140 --per-page 10 \
		--plain >/dev/null || exit 1
fi

# crawl_big: ogi, ogi again (all 304), then Scrapy, against the server on $PORT
crawl_big() {
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
	echo "  ogi CPU $4 s (parsing on worker threads): $($PY -c "print('%.2f' % ($4 * 1000 / $pages))")" \
		"ms per page; peak RSS $(($2 / 1024)) MB"
	set -- $(measure $OGI --db "$db" -q crawl --delay 0 --per-host 16 --max-pages 100000 $CT)
	echo "  again, nothing changed (conditional GETs, all 304): $pages pages in $1 s:" \
		"$($PY -c "print('%.0f' % ($pages / $1))") pages/s"
	# Scrapy reaches the virtual hosts through the server used as an HTTP proxy
	if ! $PY -c 'import scrapy' 2>/dev/null; then
		echo "  Scrapy: not installed (Debian: apt-get install python3-scrapy); no comparison"
		return
	fi
	out=$($PY bench/scrapy_city.py "$OUT/big/seeds.tsv" "http://127.0.0.1:$PORT" \
		"$OUT/scrapy.jsonl" 2>/dev/null)
	n=$(echo "$out" | sed -n 's/^scrapy: \([0-9]*\) pages in \([0-9.]*\) s$/\1/p')
	s=$(echo "$out" | sed -n 's/^scrapy: \([0-9]*\) pages in \([0-9.]*\) s$/\2/p')
	if [ -z "$n" ]; then
		echo "  Scrapy: the run failed"
		return
	fi
	r=$($PY -c "print('%.0f' % ($n / $s))")
	echo "  Scrapy $($PY -c 'import scrapy; print(scrapy.__version__)') on the same site" \
		"(same links followed, robots.txt obeyed, no delay, 32 requests in flight;"
	echo "  it fetches and extracts links only, writes URL and size of each report page):"
	echo "  $n responses in $s s: $r pages/s; ogi/Scrapy $($PY -c "print('%.2f' % ($ogi_rate / $r))")x"
}

# CRAWL_SERVERS="nginx" (or "python") runs against one of them only
case " ${CRAWL_SERVERS:-python nginx} " in *" python "*)
	if start_server "$OUT/big/sites" /dev/null; then
		echo "-- served by the Python fixture server (tests/server/city_server.py) --"
		crawl_big
	else
		echo "fixture server did not start"
	fi
	stop_server
esac
case " ${CRAWL_SERVERS:-python nginx} " in *" nginx "*)
	if start_nginx "$OUT/big/sites"; then
		echo "-- served by $("$NGINX" -v 2>&1 | sed 's/^nginx version: //') --"
		crawl_big
	else
		echo "nginx: not installed or did not start (Debian: apt-get install nginx-light); no run"
	fi
	stop_nginx
esac

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
