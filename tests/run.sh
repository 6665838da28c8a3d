#!/bin/sh
# Runs every unit test binary and every end-to-end test script, then prints
# the total as "N passed, N failed".  Unit binaries print
# "# name: N passed, N failed"; e2e scripts (tests/e2e/*.sh) do the same
# through tests/e2e/lib.sh.  Set OGI (the binary) and UNIT_DIR (where the
# unit binaries are), and TSAN_DIR for unit tests built with
# ThreadSanitizer; `make test` does.
cd "$(dirname "$0")/.." || exit 2
: "${OGI:=$PWD/ogi}"
: "${UNIT_DIR:=$PWD/build/tests}"
OGI_FIXTURES="$PWD/tests/fixtures"
export OGI OGI_FIXTURES
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS

pass=0
fail=0
suite_started=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

tally() {
	# $1: name, $2: exit status; reads the file's summary from $log;
	# $started: when the file began (seconds), for its time on the line
	secs=$(($(date +%s) - started))
	line=$(grep -E '^# .*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $1: no summary (exit $2, ${secs} s)"
		sed 's/^/    /' "$log" | tail -n 30
		fail=$((fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/')
	f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/')
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or a sanitizer fired after the last case
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $1: $p passed, $f failed (${secs} s)"
		grep -v '^# ' "$log" | sed 's/^/    /' | tail -n 40
	else
		echo "ok   $1: $p passed (${secs} s)"
	fi
}

for t in "$UNIT_DIR"/test-*; do
	[ -x "$t" ] || continue
	started=$(date +%s)
	"$t" >"$log" 2>&1
	tally "$(basename "$t")" $?
done

# The tests of threaded code, built with ThreadSanitizer (make test).
if [ -n "${TSAN_DIR:-}" ]; then
	for t in "$TSAN_DIR"/test-*; do
		[ -x "$t" ] || continue
		started=$(date +%s)
		TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$t" >"$log" 2>&1
		tally "tsan/$(basename "$t")" $?
	done
fi

for t in tests/e2e/test-*.sh; do
	[ -f "$t" ] || continue
	started=$(date +%s)
	sh "$t" >"$log" 2>&1
	tally "$(basename "$t")" $?
done

echo "$(($(date +%s) - suite_started)) s in all"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
