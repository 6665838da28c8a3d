#!/bin/sh
# The libFuzzer targets (fuzz/), briefly, as part of the suite: under CI
# (CI=true) or whenever FUZZ_SECONDS is set.  Builds them with clang
# (fuzz/Makefile; `make deps` installs clang under CI) and runs every target
# for FUZZ_SECONDS (30 under CI), FUZZ_JOBS at a time (2 on a machine with
# two cores or more); each target's run is one case, failed by any crash,
# sanitizer report, leak, broken invariant, input over 1 s or over 256 MB.
# Elsewhere it is skipped: the inputs kept in fuzz/regressions/ are replayed
# on every run by the test-fuzz-<name> unit binaries (fuzz/replay.c).
. "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-}
if [ -z "$secs" ] && [ "${CI:-}" = true ]; then
	secs=30
fi
if [ -z "$secs" ]; then
	echo "skipped: set FUZZ_SECONDS (CI=true sets 30) to run the fuzz targets"
	finish
	exit
fi
jobs=${FUZZ_JOBS:-$(n=$(nproc 2>/dev/null || echo 1); [ "$n" -ge 2 ] && echo 2 || echo 1)}
cd "$T_ROOT" || exit 2
targets=$(ls fuzz/fuzz-*.c | sed 's|fuzz/fuzz-\(.*\)\.c|\1|')

if ! make --no-print-directory -j"$jobs" -f fuzz/Makefile build >"$T_TMP/build.log" 2>&1; then
	fail "building the fuzz targets (clang, libclang-rt-14-dev: make deps CI=true)"
	tail -n 20 "$T_TMP/build.log" >&2
	finish
	exit
fi
make --no-print-directory -k -j"$jobs" -f fuzz/Makefile run FUZZ_SECONDS="$secs" \
	>"$T_TMP/run.log" 2>&1
cat "$T_TMP/run.log"
for t in $targets; do
	if grep -q "^fuzz-$t: FAILED" "$T_TMP/run.log"; then
		fail "fuzz-$t: found a crash (see build-fuzz/artifacts/$t/, build-fuzz/logs/$t.log)"
	elif ! grep -q "^fuzz-$t: [0-9][0-9]* execs" "$T_TMP/run.log"; then
		fail "fuzz-$t: did not run"
	else
		ok
	fi
done
finish
