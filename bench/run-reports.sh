#!/bin/sh
# make bench: the report queries on a national-scale warehouse.  Builds
# bench/out/reports.db once (REPORTS_N reports, default 200000, through the
# store API: bench/bench-reports-gen.c), then times each `ogi report` and
# `ogi export` command end to end (process start to the last byte written
# to /dev/null), best of three runs after a first one, and prints the
# warehouse's size and each time.  Not a test: nothing fails on a timing.
cd "$(dirname "$0")/.." || exit 2
N=${REPORTS_N:-200000}
OUT=bench/out
DB="$OUT/reports-$N.db"
OGI=./build/ogi
mkdir -p "$OUT"

echo
echo "== reports on a national-scale warehouse (bench/run-reports.sh) =="
if [ ! -f "$DB" ]; then
	echo "generating $N reports into $DB (once; a few minutes)..."
	build/bench/bench-reports-gen "$DB" "$N" || exit 1
fi
export OGI_DB="$DB"
# A file of an older schema is migrated here, not inside the first timing.  The
# reports open it read-only and refuse an older schema; crawl --dry-run opens it for
# writing (so migrates it) and writes nothing else.
"$OGI" crawl --dry-run >/dev/null 2>&1
reports=$(sqlite3 "$DB" 'SELECT count(*) FROM reports')
figures=$(sqlite3 "$DB" 'SELECT count(*) FROM figures')
bodies=$(sqlite3 "$DB" 'SELECT count(*) FROM bodies WHERE level IS NOT NULL')
findings=$(sqlite3 "$DB" 'SELECT count(DISTINCT report_id) FROM findings')
mb=$(($(wc -c <"$DB") / 1000000))
echo "warehouse: $reports reports of $bodies bodies, $figures figures," \
	"$findings reports with findings, $mb MB"

# A county (12 townships), a city (10 counties), a province's level, the whole country.
COUNTY=省03市04县05
CITY=省03市04

ms() {
	echo $(($(date +%s%N) / 1000000))
}

# run LABEL ARGS...: the first run and the best of three more, in ms, and the lines written
run() {
	label=$1
	shift
	t0=$(ms)
	"$OGI" "$@" >"$OUT/bench-report.out" 2>/dev/null || echo "  (ogi $* failed)"
	first=$(($(ms) - t0))
	best=
	for i in 1 2 3; do
		t0=$(ms)
		"$OGI" "$@" >/dev/null 2>&1
		t=$(($(ms) - t0))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	printf '%6s ms %6s ms %7s  %s\n' "$first" "$best" "$(wc -l <"$OUT/bench-report.out")" \
		"$label"
}

printf '%9s %9s %7s  %s\n' "first" "best" "lines" "query (ogi ...)"
run "report volumes --parent $COUNTY --years 2019-2023" \
	report volumes --parent "$COUNTY" --years 2019-2023
run "report volumes --level county --year 2023" report volumes --level county --year 2023
run "report refusals --parent $CITY --years 2019-2023" \
	report refusals --parent "$CITY" --years 2019-2023
run "report compare --year 2023 --parent $CITY" report compare --year 2023 --parent "$CITY"
run "report compare --years 2019-2023 --level county" \
	report compare --years 2019-2023 --level county
run "report compare --year 2023 --level township (national)" \
	report compare --year 2023 --level township
run "report compare --year 2023 --level township --format csv" \
	report compare --year 2023 --level township --format csv
run "report review --level county --year 2023" report review --level county --year 2023
run "report flags --parent $COUNTY" report flags --parent "$COUNTY"
run "report flags --level county" report flags --level county
run "report flags (every body, national)" report flags
run "report all --parent $COUNTY --format html" report all --parent "$COUNTY" --format html
run "export --parent $COUNTY" export --parent "$COUNTY"
run "export --parent $COUNTY --format json" export --parent "$COUNTY" --format json
rm -f "$OUT/bench-report.out"
exit 0
