#!/bin/sh
# Source rules the compiler cannot enforce: banned functions, and every .c
# including util/banned.h.  Prints offenders; exits 1 when there are any.
cd "$(dirname "$0")/.." || exit 2
status=0
for f in $(git ls-files '*.c' 2>/dev/null || find . -name '*.c'); do
	case $f in tests/*|fuzz/*|bench/*) continue ;; esac
	if ! grep -q '#include "util/banned.h"' "$f"; then
		echo "$f: does not include util/banned.h"
		status=1
	fi
done
exit $status
