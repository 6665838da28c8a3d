#!/bin/sh
# make demo: the shipped fixtures, then the sample city (tests/gen/mkcity.py:
# 12 bodies x 6 years, TRS-style columns, UTF-8 and GBK pages, a few broken
# totals, reports published as PDF, DOCX and Word 97 files beside or instead
# of pages, a scan,
# a page of pictures; the PDFs printed by headless Chromium once, then taken
# from build/pdf-cache) served on 127.0.0.1 by
# tests/server/city_server.py, seeded and crawled into ./ogi.db (or $OGI_DB),
# then the consistency findings, a comparison of the city's bodies and
# report.html.  The server is stopped however this ends.
cd "$(dirname "$0")/.." || exit 2
OGI=${OGI:-./ogi}
DB=${OGI_DB:-ogi.db}
PY=/usr/bin/python3
dir=build/demo-city
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
trap 'exit 130' INT TERM

# The two real reports shipped as fixtures (the rest of tests/fixtures is test sites).
"$OGI" --db "$DB" ingest tests/fixtures/longhu-2023.txt tests/fixtures/shanghai-office-2019.html
rc=$?
[ $rc -le 1 ] || exit $rc
echo
rm -rf "$dir"
$PY tests/gen/mkcity.py --out "$dir" || exit 1
$PY tests/server/city_server.py --root "$dir/sites" --vhosts --log "$dir/requests.log" \
	--max-seconds 600 >"$dir/port.txt" &
pid=$!
i=0
while ! grep -q '^PORT ' "$dir/port.txt" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
port=$(sed -n 's/^PORT //p' "$dir/port.txt")
[ -n "$port" ] || { echo "demo: the city server did not start" >&2; exit 1; }
echo "serving www.haibin.test on 127.0.0.1:$port"
echo
"$OGI" --db "$DB" seed import "$dir/seeds.tsv" || exit $?
echo
# A short delay: the server is ours.  On real sites keep the default (1 s).
"$OGI" --db "$DB" crawl --delay 0.05 --connect-to "www.haibin.test:80:127.0.0.1:$port"
rc=$?
[ $rc -le 1 ] || exit $rc
echo
"$OGI" --db "$DB" check
rc=$?
[ $rc -le 1 ] || exit $rc
echo
# What a journalist would start from: the bodies of the city side by side, and the HTML page.
"$OGI" --db "$DB" report compare --year 2024 --parent 海滨市 || exit $?
"$OGI" --db "$DB" report all --parent 海滨市 --format html >report.html || exit $?
echo
echo "wrote report.html (tables and charts for 海滨市; open it in a browser)"
exit 0
