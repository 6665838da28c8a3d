#!/bin/sh
# ogi ingest FOLDER on trees that hold traps: a link back to the folder
# ("x -> ."), a link out of it ("up -> ..", a file linked from outside), a
# second link to a subfolder, a FIFO, a socket, folders nested past the
# limit; and a FIFO or a device named on the command line.  Each is left
# out with a message, the walk ends promptly, nothing outside the folder is
# read.  Every ogi here runs under timeout, so a regression that hangs
# (opening a FIFO waits for a writer) fails its check instead of the suite.
. "$(dirname "$0")/lib.sh"
FX="$OGI_FIXTURES"
PY=/usr/bin/python3
T=20	# seconds: far above what these take, only a guard against hanging

mkdir -p tree/sub outside
cp "$FX/longhu-2023.txt" tree/a.txt
cp "$FX/shanghai-office-2019.html" tree/sub/b.html
cp "$FX/shanghai-office-2019.html" outside/secret.html
ln -s . tree/x
ln -s .. tree/up
ln -s ../outside/secret.html tree/linked.html
ln -s "$T_TMP/outside" tree/abs
ln -s sub tree/sub2
ln -s missing.html tree/dangling.html
mkfifo tree/pipe.html
$PY -c "import socket; socket.socket(socket.AF_UNIX).bind('tree/sock.html')"

timeout $T "$OGI" ingest tree >out.txt 2>err.txt
rc=$?
check "the walk ends (exit $rc, not 124 from timeout)" test "$rc" -ne 124
check "exit 1: the dangling link could not be read" test "$rc" -eq 1
check "a few lines of messages, not a flood ($(wc -c <err.txt) bytes)" test "$(wc -c <err.txt)" -lt 2000
check "x -> . ends with a message" grep -q "^ogi: skipping 'tree/x': a link to a folder read already" err.txt
check "up -> .. is not followed" grep -q "^ogi: skipping 'tree/up': a link whose target is outside the folder" err.txt
check "an absolute link out neither" grep -q "^ogi: skipping 'tree/abs': a link whose target is outside" err.txt
check "a file linked from outside neither" grep -q "^ogi: skipping 'tree/linked.html': a link whose target is outside" err.txt
check "the FIFO is skipped, not opened" grep -q "^ogi: skipping 'tree/pipe.html': not a regular file" err.txt
check "the socket too" grep -q "^ogi: skipping 'tree/sock.html': not a regular file" err.txt
check "a second link to sub is walked once" grep -q "^ogi: skipping 'tree/sub2': a link to a folder read already" err.txt
check "the dangling link is an error" grep -q "^ogi: cannot read 'tree/dangling.html': No such file or directory" err.txt
check "nothing outside the folder was read" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM sources WHERE location LIKE '%outside%'")" -eq 0
check "the tree's two files were read, once each" \
	test "$(sqlite3 ogi.db "SELECT count(*) FROM sources")" -eq 2
check "summary" grep -q "^2 pages: 2 new reports, 0 updated, 0 unchanged, 0 not reports, 1 failed$" out.txt

# x -> . alone, and two loops (x -> ., y -> .: 2^depth paths for a walk that
# only counts depth)
mkdir loop && cp "$FX/longhu-2023.txt" loop/a.txt && ln -s . loop/x && ln -s . loop/y
timeout $T "$OGI" --db loop.db ingest loop >out.txt 2>err.txt
rc=$?
check "two loops: the walk ends (exit $rc)" test "$rc" -eq 0
check "two loops: one message each" test "$(grep -c 'a link to a folder read already' err.txt)" -eq 2
check "two loops: the file read once" grep -q "^1 pages: 1 new reports" out.txt

# folders nested past the limit (32)
d=deep
for i in $(seq 1 40); do d=$d/d$i; done
mkdir -p "$d"
cp "$FX/longhu-2023.txt" deep/d1/top.txt
cp "$FX/longhu-2023.txt" "$d/bottom.txt"
timeout $T "$OGI" --db deep.db ingest deep >out.txt 2>err.txt
check "deep: one message at the limit" test "$(grep -c 'folders nested too deep' err.txt)" -eq 1
check "deep: the file above the limit read" grep -q "^1 pages: 1 new reports" out.txt

# named on the command line
timeout $T "$OGI" --db fifo.db ingest tree/pipe.html >out.txt 2>err.txt
rc=$?
check "a FIFO named directly: no hang (exit $rc)" test "$rc" -eq 1
check "... and why" grep -q "^ogi: cannot read 'tree/pipe.html': not a regular file" err.txt
timeout $T "$OGI" --db fifo.db ingest /dev/null >out.txt 2>err.txt
check "a device named directly: exit 1" test $? -eq 1
check "... and why" grep -q "^ogi: cannot read '/dev/null': not a regular file" err.txt
timeout $T "$OGI" --db fifo.db ingest tree/linked.html >out.txt 2>err.txt
check "a link named directly is the user's choice: read" grep -q "^1 pages: 1 new reports" out.txt
finish
