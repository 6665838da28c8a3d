#!/bin/sh
# Runs one libFuzzer target for SECONDS and prints one line of figures:
#   fuzz/run.sh NAME SECONDS
# Exits 1 when the run found a crash, a leak, a timeout (over 1 s on one
# input, 10 s with FUZZ_RUNS) or an out-of-memory (over 256 MB), with the
# artifact named.  Expects
# build-fuzz/fuzz-NAME, build-fuzz/mkdict and build-fuzz/seeds/ (fuzz/Makefile).
set -u
name=$1
secs=$2
cd "$(dirname "$0")/.." || exit 2
FZ=build-fuzz
bin=$FZ/fuzz-$name
corpus=$FZ/corpus/$name
art=$FZ/artifacts/$name
log=$FZ/logs/$name.log
dict=$FZ/dict/$name.dict
mkdir -p "$corpus" "$art" "$FZ/logs" "$FZ/dict"

# Inputs past max_len are not generated (and seeds are cut to it).  A cell or
# a URL is short; pages are cut where the reader's structure is all there
# (the generated reports are 12 KB), as gumbo under the sanitizers manages
# only a few hundred pages a second; the whole pipeline gets whole reports,
# and the DOCX reader whole document.xml files (40 KB as python-docx writes them).
case $name in
number) max_len=256 ;;
url | seed | discover) max_len=4096 ;;
parse) max_len=40000 ;;
docx) max_len=65536 ;;
*) max_len=16384 ;;
esac

# The format's labels help wherever tables or report text are read.
: >"$dict"
case $name in
html | text | meta | parse | number | docx) "$FZ/mkdict" | sort -u >>"$dict" ;;
esac
[ -f "fuzz/dict/$name.dict" ] && cat "fuzz/dict/$name.dict" >>"$dict"
# libFuzzer refuses an empty dictionary (a picture's target has no words)
dictarg=
[ -s "$dict" ] && dictarg="-dict=$dict"

# FUZZ_RUNS=N: a fixed number of inputs from a fixed seed (the suite under
# CI), so that a run's verdict does not depend on the machine's speed: the
# same inputs in the same order, SECONDS only a cap, and a slower machine
# runs a prefix of them.  The time limit per input is then wider (an input
# slow on a slow machine is not a finding); left alone, a run is timed and
# random.
runs=
timeout=1
if [ -n "${FUZZ_RUNS:-}" ]; then
	runs="-runs=$FUZZ_RUNS -seed=1"
	timeout=10
fi

dirs="$corpus $FZ/seeds/$name"
[ -d "fuzz/regressions/$name" ] && dirs="$dirs fuzz/regressions/$name"

# The 256 MB limit is on the whole process, so ASan's own memory must not
# grow with the run: an 8 MB quarantine (use after free is still caught),
# free pages given back, and no allocation stacks (the stack depot never
# shrinks, and its growth alone crossed 256 MB in minutes on the gumbo
# targets).  A crash report then lacks the "allocated/freed by" stacks:
# replay the artifact with build-asan/tests/test-fuzz-<name> FILE for them.
asan="quarantine_size_mb=8:malloc_context_size=0:allocator_release_to_os_interval_ms=500"
ASAN_OPTIONS="$asan:detect_leaks=1" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	"$bin" -max_total_time="$secs" $runs -timeout="$timeout" -rss_limit_mb=256 -malloc_limit_mb=256 \
	-max_len="$max_len" \
	$dictarg -artifact_prefix="$art/" -print_final_stats=1 $dirs >"$log" 2>&1
rc=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
status=$(grep -aE '^#[0-9]+.*cov: [0-9]+' "$log" | tail -n 1)
cov=$(echo "$status" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
ft=$(echo "$status" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
corp=$(echo "$status" | sed -nE 's/.*corp: ([0-9]+\/[0-9A-Za-z]+).*/\1/p')
found=$(find "$art" -type f | wc -l)
printf 'fuzz-%s: %s execs (%s/s), corpus %s, cov %s, ft %s, peak rss %s MB, artifacts %s\n' \
	"$name" "${execs:-?}" "${rate:-?}" "${corp:-?}" "${cov:-?}" "${ft:-?}" "${rss:-?}" "$found"
if [ "$rc" -ne 0 ]; then
	echo "fuzz-$name: FAILED (exit $rc), log $log:"
	grep -aE 'ERROR|SUMMARY|invariant|Test unit written|runtime error' "$log" | head -n 20 |
		sed 's/^/    /'
	exit 1
fi
exit 0
