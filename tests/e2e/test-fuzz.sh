#!/bin/sh
# The libFuzzer targets (fuzz/), briefly, as part of the suite: under CI
# (CI=true) or whenever FUZZ_SECONDS or FUZZ_RUNS is set.  Builds them with
# clang (fuzz/Makefile; `make deps` installs clang under CI) and runs every
# target, FUZZ_JOBS at a time (2 on a machine with two cores or more); each
# target's run is one case, failed by any crash, sanitizer report, leak,
# broken invariant, slow input or input over 256 MB.
# Under CI each target runs FUZZ_RUNS (600) inputs from a fixed seed, with
# FUZZ_SECONDS (60) only a cap: the verdict is the same on any machine (a
# slower one runs a prefix of the same inputs), so a finding is a finding,
# not a roll of the dice; a timed, random run is `make fuzz`.
# Elsewhere it is skipped: the inputs kept in fuzz/regressions/ are replayed
# on every run by the test-fuzz-<name> unit binaries (fuzz/replay.c).
. "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-}
if [ "${CI:-}" = true ]; then
	: "${FUZZ_RUNS:=600}"
	: "${secs:=60}"
fi
if [ -n "${FUZZ_RUNS:-}" ]; then
	: "${secs:=60}"
	export FUZZ_RUNS
fi
if [ -z "$secs" ]; then
	echo "skipped: set FUZZ_SECONDS or FUZZ_RUNS (CI=true sets 600 runs) to run the fuzz targets"
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
