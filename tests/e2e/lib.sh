# Sourced by tests/e2e/test-*.sh.  Each script runs the real binary ($OGI)
# in a scratch directory and calls ok/fail per case; `finish` prints the
# summary tests/run.sh reads.
set -u
: "${OGI:?OGI must name the ogi binary}"
: "${OGI_FIXTURES:?}"
T_NAME=$(basename "$0" .sh)
T_PASS=0
T_FAIL=0
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T_TMP=$(mktemp -d)
cleanup_hooks=""
trap 'for h in $cleanup_hooks; do $h; done; rm -rf "$T_TMP"' EXIT
cd "$T_TMP" || exit 2

ok() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); echo "  FAIL [$T_NAME] $*" >&2; }

# check "what" command...: passes when the command exits 0
check() {
	what=$1
	shift
	if "$@"; then ok; else fail "$what"; fi
}

# expect_status N "what" command...: passes when the command exits N
expect_status() {
	want=$1
	what=$2
	shift 2
	"$@" >/dev/null 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else fail "$what: exit $got, want $want"; fi
}

# check_refused FILE WANT SECONDS MB: `ogi ingest FILE` into hostile.db is
# refused (exit 1) saying WANT, within MB of memory (what decoding a bomb
# would take is far more), without a sanitizer report.  Its time is a
# figure printed to FILE.time, not a check (the suite does not time
# things); SECONDS only stops a run that hangs, which fails.
check_refused() {
	name=$(basename "$1")
	/usr/bin/time -f "%e %M" -o "$name.time" timeout "$3" "$OGI" --db hostile.db ingest "$1" \
		>"$name.out" 2>&1
	rc=$?
	check "$name: exit 1 (not a report)" test "$rc" -eq 1
	check "$name: says '$2'" grep -q "$2" "$name.out"
	check "$name: under $4 MB" /usr/bin/python3 -c "
import sys
kb = open('$name.time').read().split()[-1]
sys.exit(0 if int(kb) < $4 * 1024 else 1)"
	check "$name: no sanitizer report" sh -c "! grep -q 'Sanitizer\|runtime error' $name.out"
}

finish() {
	echo "# $T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
