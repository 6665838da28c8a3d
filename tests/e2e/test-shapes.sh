#!/bin/sh
# Real report pages and the shapes of real pages: every file of
# tests/fixtures/shapes (one small invented page per layout seen on real
# sites), shapes-more (layouts met in the real reports, invented the same
# way) and real (complete published reports with hand transcriptions)
# reads as its folder's expected.json says: body, year, status, format and
# every transcribed cell (tests/e2e/score.py).  One check per file.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
FX="$OGI_FIXTURES"

for dir in shapes shapes-more real; do
	# the PDF of real/ is read by the attachment readers (its own test)
	$PY "$T_ROOT/tests/e2e/score.py" "$OGI" "$FX/$dir" --verbose --skip .pdf >"$dir.out" 2>&1
	grep -E '^(ok|FAIL) ' "$dir.out" >"$dir.files"
	check "$dir: every file scored" test -s "$dir.files"
	while read -r status name rest; do
		if [ "$status" = ok ]; then
			ok
		else
			fail "$dir/$name: $rest"
			grep -A 8 "^FAIL $name" "$dir.out" | tail -n +2 >&2
		fi
	done <"$dir.files"
	tail -n 1 "$dir.out" >&2
done

# Provenance: where each figure was read.
"$OGI" --db p.db -q ingest "$FX/shapes/G1_labels_split_from_values.txt" "$FX/real/53_pingtan_2024.html" \
	"$FX/shapes-more/M1_run_together_digits_by_arithmetic.txt" >/dev/null 2>&1
check "provenance: three reports" test "$(sqlite3 p.db 'select count(*) from reports')" -eq 3
finish
