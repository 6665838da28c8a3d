#!/bin/sh
# Runs every unit test binary and every end-to-end test script, then prints
# the total as "N passed, N failed".  Unit binaries print
# "# name: N passed, N failed"; e2e scripts (tests/e2e/*.sh) do the same
# through tests/e2e/lib.sh.  Set OGI (the binary) and UNIT_DIR (where the
# unit binaries are), and TSAN_DIR for unit tests built with
# ThreadSanitizer; `make test` does.
#
# TEST_JOBS files run at once (2 on a machine with two processors or more,
# else 1): many of them wait on Chromium, a loopback server or a crawl's
# politeness delay more than they compute, and each works in a folder of
# its own (mktemp) against a server on a port the kernel picks.  Their
# lines are printed in the same order whatever ends first.  The unit
# tests start first, in that order (they take seconds: their lines come
# as they end); then the e2e scripts, longest first by the times of the
# last run (kept in $TIMES), so that the long ones do not end the run
# alone (their lines come together as the last ones end).  Each line
# gives the file's own time.
cd "$(dirname "$0")/.." || exit 2
: "${OGI:=$PWD/ogi}"
: "${UNIT_DIR:=$PWD/build/tests}"
: "${TEST_JOBS:=$(n=$(nproc 2>/dev/null || echo 1); [ "$n" -ge 2 ] && echo 2 || echo 1)}"
OGI_FIXTURES="$PWD/tests/fixtures"
export OGI OGI_FIXTURES
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
TIMES=$UNIT_DIR/../test-times

pass=0
fail=0
suite_started=$(date +%s)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The files, one a line: N<TAB>name<TAB>kind<TAB>path, N their order.
n=0
add() {
	n=$((n + 1))
	printf '%d\t%s\t%s\t%s\n' "$n" "$1" "$2" "$3" >>"$dir/list"
}
: >"$dir/list"
for t in "$UNIT_DIR"/test-*; do
	[ -x "$t" ] && add "$(basename "$t")" unit "$t"
done
# The tests of threaded code, built with ThreadSanitizer (make test).
if [ -n "${TSAN_DIR:-}" ]; then
	for t in "$TSAN_DIR"/test-*; do
		[ -x "$t" ] && add "tsan/$(basename "$t")" tsan "$t"
	done
fi
for t in tests/e2e/test-*.sh; do
	[ -f "$t" ] && add "$(basename "$t")" e2e "$t"
done

# The order they start in: unit tests in the list's order, then e2e scripts
# by the last run's seconds, longest first (a script not timed before first
# of them), else in the list's order.
cat "$TIMES" >"$dir/last" 2>/dev/null
awk -F '\t' 'FILENAME == ARGV[1] { secs[$1] = $2; next }
	{ print ($3 != "e2e" ? 2000000 : $2 in secs ? secs[$2] : 1000000) "\t" $1 }' \
	"$dir/last" "$dir/list" | sort -t "$(printf '\t')" -k1,1nr -k2,2n | cut -f 2 >"$dir/order"

# start I: runs file I in the background; when it ends, its log, exit
# status and seconds are in $dir/I.log, I.rc (written last of the three)
# and I.secs, and I is written to the FIFO on fd 3.
start() {
	line=$(sed -n "$1p" "$dir/list")
	kind=$(echo "$line" | cut -f 3)
	path=$(echo "$line" | cut -f 4)
	(
		started=$(date +%s)
		case $kind in
		unit) "$path" ;;
		tsan) TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$path" ;;
		e2e) sh "$path" ;;
		esac >"$dir/$1.log" 2>&1 3>&-
		rc=$?
		echo $(($(date +%s) - started)) >"$dir/$1.secs"
		echo $rc >"$dir/$1.rc.tmp" && mv "$dir/$1.rc.tmp" "$dir/$1.rc"
		echo "$1" >&3
	) &
}

tally() {
	# $1: the file's number; reads its summary from its log
	name=$(sed -n "$1p" "$dir/list" | cut -f 2)
	log=$dir/$1.log
	rc=$(cat "$dir/$1.rc")
	secs=$(cat "$dir/$1.secs")
	printf '%s\t%s\n' "$name" "$secs" >>"$dir/times"
	line=$(grep -E '^# .*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $name: no summary (exit $rc, ${secs} s)"
		sed 's/^/    /' "$log" | tail -n 30
		fail=$((fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/')
	f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or a sanitizer fired after the last case
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name: $p passed, $f failed (${secs} s)"
		grep -v '^# ' "$log" | sed 's/^/    /' | tail -n 40
	else
		echo "ok   $name: $p passed (${secs} s)"
	fi
}

# fd 3: a FIFO opened for reading and writing, so that neither end waits
# for the other; a file's job writes its number there when it ends.
mkfifo "$dir/done" || exit 2
exec 3<>"$dir/done"
running=0
printed=1
# shellcheck disable=SC2013 # numbers, one a line
for i in $(cat "$dir/order"); do
	if [ "$running" -ge "$TEST_JOBS" ]; then
		read -r _ <&3
		running=$((running - 1))
	fi
	start "$i"
	running=$((running + 1))
	while [ -f "$dir/$printed.rc" ]; do
		tally "$printed"
		printed=$((printed + 1))
	done
done
while [ "$printed" -le "$n" ]; do
	if [ ! -f "$dir/$printed.rc" ]; then
		read -r _ <&3
		continue
	fi
	tally "$printed"
	printed=$((printed + 1))
done
wait
exec 3<&-
cp "$dir/times" "$TIMES" 2>/dev/null

echo "$(($(date +%s) - suite_started)) s in all"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
