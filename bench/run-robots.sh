#!/bin/sh
# robots.txt matching against pathological wildcards (run by bench/run.sh).  Figures only.
cd "$(dirname "$0")/.." || exit 2
[ -x build/bench/bench-robots ] || exit 0
echo
echo "== robots.txt matcher, pathological wildcards (bench/bench-robots.c) =="
build/bench/bench-robots 50
