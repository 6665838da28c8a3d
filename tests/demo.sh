#!/bin/sh
# make demo: the shipped fixtures, then the sample city (tests/gen/mkcity.py
# --cms: 12 bodies x 6 years, TRS-style columns, UTF-8 and GBK pages, a few
# broken totals, reports published as PDF, DOCX and Word 97 files beside or
# instead of pages, a scan, a page of pictures; the PDFs printed by headless
# Chromium once, then taken from build/pdf-cache; its portal, and three
# counties on Hanweb, gkmlpt, VSB and Anhui-platform sites) served on 127.0.0.1 by
# tests/server/city_server.py.  From the portal's URL alone: `ogi seed
# discover --add` finds every body's report column, `ogi crawl` fetches them
# into ./ogi.db (or $OGI_DB); then the consistency findings, a comparison of
# the city's bodies and report.html.  The server is stopped however this ends.
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
$PY tests/gen/mkcity.py --out "$dir" --cms || exit 1
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
# the city's portal and the four counties' sites, all served here
ct=
for h in www.haibin.test www.qingshan.test www.baisha.test www.yunling.test www.meiling.test \
	www.lingang.test; do
	ct="$ct --connect-to $h:80:127.0.0.1:$port"
done
echo "serving www.haibin.test (and its counties' sites) on 127.0.0.1:$port"
echo
# From the portal alone: every body's report column, then the crawl.  A short
# delay: the server is ours.  On real sites keep the default (1 s).
"$OGI" --db "$DB" seed discover http://www.haibin.test/ --add --delay 0.05 $ct || exit $?
echo
"$OGI" --db "$DB" crawl --delay 0.05 $ct
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
