#!/bin/sh
# The fetch engine at 1,000 / 5,000 / 10,000 queued URLs over 50 hosts of the
# loopback fixture server (run by bench/run.sh).  Figures only.
cd "$(dirname "$0")/.." || exit 2
[ -x build/bench/bench-fetch ] || exit 0
out=$(mktemp)
/usr/bin/python3 tests/server/fixture_server.py --root tests/fixtures/fetch --vhosts \
	--max-seconds 300 >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
i=0
while [ ! -s "$out" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
port=$(sed -n 's/^PORT //p' "$out")
[ -n "$port" ] || { echo "fixture server did not start"; exit 1; }
echo
echo "== fetch engine (bench/bench-fetch.c, loopback) =="
for n in 1000 5000 10000; do
	build/bench/bench-fetch "$port" "$n" 50
done
