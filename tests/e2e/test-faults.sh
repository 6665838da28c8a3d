#!/bin/sh
# The warehouse under faults.  Each gives a clear "ogi: " message and the
# documented exit status, never a crash; nothing already stored is lost:
# integrity_check stays ok, the file's bytes stay the same wherever ogi must
# not write, and the next run without the fault completes.
#  - disk full while writing (a 1 MB tmpfs when we may mount one, else a
#    file size limit), then the same ingest with space;
#  - a long reader (sqlite3 holding a read transaction, as someone looking
#    at the warehouse during the nightly crawl) and a writer holding the
#    write lock: ogi waits (busy timeout) and proceeds, readers see one
#    snapshot, and a reader during an ingest sees all of a batch or none;
#  - a read-only file (read-only mount, else chattr +i, else chmod when not
#    root), a missing file for read commands, a corrupted file (header,
#    then a b-tree page), a newer schema version: exit 3, no writes.
. "$(dirname "$0")/lib.sh"
FX=$OGI_FIXTURES
PY=/usr/bin/python3
export OGI_DB="$T_TMP/w.db"

# expect_err STATUS "what" PATTERN command...: the exit status, and stderr starting
# "ogi: " and matching PATTERN (ERE), and no sanitizer report
expect_err() {
	want=$1
	what=$2
	pat=$3
	shift 3
	"$@" >out.txt 2>err.txt
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$what: exit $got, want $want: $(cat err.txt)"
	elif ! grep -Eq "^ogi: $pat" err.txt; then
		fail "$what: no 'ogi: $pat' in: $(cat err.txt)"
	elif grep -q "Sanitizer\|runtime error" err.txt; then
		fail "$what: sanitizer report: $(cat err.txt)"
	else
		ok
	fi
}
integrity_ok() { test "$(sqlite3 "$1" 'pragma integrity_check')" = ok; }
count() { sqlite3 "$1" "select count(*) from $2"; }
# wait_for FILE: until a helper process says it got where it was going (at most 60 s)
wait_for() {
	n=0
	while [ ! -e "$1" ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -e "$1" ]
}

# Pages: a 3 MB report (a real one drowned in prose), and 30 small generated reports.
$PY - "$FX/shanghai-office-2019.html" "$T_ROOT/tests/gen" <<'PYEOF'
import os, random, sys
page = open(sys.argv[1], encoding="utf-8").read()
pad = "<p>" + "政务公开" * 50 + "</p>"
with open("big.html", "w", encoding="utf-8") as f:
    f.write(page.replace("<p>六、", pad * (3 * 1024 * 1024 // len(pad.encode())) + "<p>六、"))
sys.path.insert(0, sys.argv[2])
import genreport
os.makedirs("batch")
for i in range(30):
    rng = random.Random(i)
    org = "某某县第%d局" % i
    v = genreport.make_report(rng, org, 2023, "2021")
    open("batch/%02d.html" % i, "w", encoding="utf-8").write(genreport.render_html(v, rng, 2))
PYEOF

# ---- disk full ----

mounted=""
unmount() { [ -n "$mounted" ] && umount "$mounted" 2>/dev/null; mounted=""; }
cleanup_hooks="$cleanup_hooks unmount"
if [ "$(id -u)" = 0 ] && mkdir -p "$T_TMP/full" &&
	mount -t tmpfs -o size=1m ogi-test "$T_TMP/full" 2>/dev/null; then
	mounted="$T_TMP/full"
	db="$T_TMP/full/w.db"
	"$OGI" -q --db "$db" ingest "$FX/longhu-2023.txt"
	check "disk full: a report fits first" test "$(count "$db" reports)" = 1
	expect_err 3 "disk full: ingest of a 3 MB page" \
		"cannot store source in '.*full/w.db': database or disk is full" \
		"$OGI" --db "$db" ingest big.html
	check "disk full: the page counts as failed" grep -q "^1 pages: 0 new .* 1 failed$" out.txt
	check "disk full: integrity_check ok" integrity_ok "$db"
	check "disk full: the earlier report kept" test "$(count "$db" reports)" = 1
	check "disk full: nothing of the failed page stored" test "$(count "$db" sources)" = 1
	mount -o remount,size=64m "$T_TMP/full"
	expect_status 0 "with space again, the same ingest completes" "$OGI" --db "$db" ingest big.html
	check "... and stored it" test "$(count "$db" reports)" = 2
	check "... integrity_check ok" integrity_ok "$db"
	unmount
else
	echo "no tmpfs (not root, or no mount in this container): a file size limit stands in"
	db="$T_TMP/limit.db"
	"$OGI" -q --db "$db" ingest "$FX/longhu-2023.txt"
	# SIGXFSZ ignored: writes past 1 MB fail with EFBIG, as they would with ENOSPC.
	expect_err 3 "file size limit: ingest of a 3 MB page" \
		"cannot store source in '.*limit.db': (database or disk is full|disk I/O error)" \
		sh -c "trap '' XFSZ; ulimit -f 2048; exec \"\$0\" --db \"\$1\" ingest big.html" \
		"$OGI" "$db"
	check "file size limit: the page counts as failed" grep -q "^1 pages: 0 new .* 1 failed$" out.txt
	check "file size limit: integrity_check ok" integrity_ok "$db"
	check "file size limit: the earlier report kept" test "$(count "$db" reports)" = 1
	expect_status 0 "without the limit, the same ingest completes" "$OGI" --db "$db" ingest big.html
	check "... and stored it" test "$(count "$db" reports)" = 2
fi

# ---- locks ----

"$OGI" -q ingest "$FX/longhu-2023.txt"

# A writer holds the write lock with uncommitted changes until told to commit.
(
	printf "BEGIN IMMEDIATE;\nUPDATE bodies SET name = name || ' (uncommitted)';\n"
	printf ".shell touch held\n"
	wait_for release
	printf "COMMIT;\n.shell touch released\n"
) | sqlite3 "$OGI_DB" >holder.txt 2>&1 &
holder=$!
check "a writer holds the lock" wait_for held
"$OGI" list >list.txt 2>list.err
check "a reader meanwhile is not blocked" test $? -eq 0
check "... and does not see uncommitted data" \
	sh -c "grep -q '晋江市龙湖镇人民政府' list.txt && ! grep -q uncommitted list.txt"
"$OGI" ingest "$FX/shanghai-office-2019.html" >ing.txt 2>ing.err &
ingester=$!
sleep 1	# lets ogi reach the lock; the checks below do not depend on it
check "ogi waited: the lock is still held" test ! -e released
touch release
wait "$ingester"
check "ogi waits for the writer (busy timeout) and proceeds: exit 0" test $? -eq 0
wait "$holder"
check "the writer committed" test -e released
check "both writes are in" test "$(count "$OGI_DB" reports)" = 2
check "... the writer's too" test "$(sqlite3 "$OGI_DB" \
	"select count(*) from bodies where name like '%(uncommitted)'")" -ge 1
rm -f held release released

# A long reader: one snapshot for its whole transaction, and no writer waits on it.
(
	printf "BEGIN;\nSELECT count(*) FROM reports;\n.shell touch reading\n"
	wait_for done_writing
	printf "SELECT count(*) FROM reports;\nCOMMIT;\nSELECT count(*) FROM reports;\n"
) | sqlite3 "$OGI_DB" >reader.txt 2>&1 &
reader=$!
check "a reader holds a read transaction" wait_for reading
expect_status 0 "ogi ingests while the reader holds its snapshot" "$OGI" ingest batch/00.html
check "... without waiting for the reader" test ! -e done_writing
touch done_writing
wait "$reader"
check "the reader saw one snapshot, then the new report ($(echo $(cat reader.txt)))" \
	test "$(echo $(cat reader.txt))" = "2 2 3"

# A reader during a batched ingest sees all of the batch or none of it.
before=$(count "$OGI_DB" reports)
"$OGI" -q ingest batch >/dev/null 2>batch.err &
ingester=$!
seen=""
while kill -0 "$ingester" 2>/dev/null; do
	n=$("$OGI" list --format csv 2>/dev/null | tail -n +2 | wc -l)
	seen="$seen $n"
done
wait "$ingester"
check "the batched ingest completes" test $? -eq 0
after=$(count "$OGI_DB" reports)
check "29 reports added in one batch ($before -> $after)" test "$after" -eq $((before + 29))
odd=""
for n in $seen; do
	[ "$n" -eq "$before" ] || [ "$n" -eq "$after" ] || odd="$odd $n"
done
check "readers saw $before or $after reports, never part of the batch:$odd" test -z "$odd"

# ---- read-only, missing, corrupted, newer ----

cp "$OGI_DB" good.db
check "the sample warehouse is sound" integrity_ok good.db

ro_db=""
if [ "$(id -u)" = 0 ] && mkdir -p "$T_TMP/ro" && mount -t tmpfs -o size=8m ogi-test "$T_TMP/ro" \
	2>/dev/null; then
	mounted="$T_TMP/ro"
	cp good.db "$T_TMP/ro/w.db"
	if mount -o remount,ro "$T_TMP/ro" 2>/dev/null; then
		ro_db="$T_TMP/ro/w.db"
		ro_why="Read-only file system"
	fi
fi
if [ -z "$ro_db" ] && [ "$(id -u)" = 0 ] && cp good.db imm.db && chattr +i imm.db 2>/dev/null
then
	ro_db=imm.db
	ro_why="Operation not permitted"
	unfreeze() { chattr -i "$T_TMP/imm.db" 2>/dev/null; }
	cleanup_hooks="$cleanup_hooks unfreeze"
fi
if [ -z "$ro_db" ] && [ "$(id -u)" != 0 ]; then
	cp good.db perm.db && chmod 444 perm.db && ro_db=perm.db
	ro_why="Permission denied"
fi
if [ -n "$ro_db" ]; then
	cp "$ro_db" ro-before.db
	expect_err 3 "read-only: ingest" "cannot open '.*' for writing: $ro_why" \
		"$OGI" --db "$ro_db" ingest "$FX/shanghai-office-2019.html"
	"$OGI" --db "$ro_db" check >check.txt 2>check.err
	check "read-only: check runs, stores nothing, says so (exit $?)" \
		grep -q "is read-only: the findings are printed, not stored" check.err
	"$OGI" --db "$ro_db" list >list.txt 2>list.err
	check "read-only: list still reads it ($(cat list.err))" \
		grep -q "晋江市龙湖镇人民政府" list.txt
	expect_status 0 "read-only: export still reads it" "$OGI" --db "$ro_db" export
	# every command that only reads
	for args in "show 1" "show 1 --format json" "report volumes" "report all --format html" \
		"report flags" "export --format jsonl" "export --format xlsx" \
		"body list" "body show 1" "fix --list" "list --all-versions" "check --year 2023"; do
		# shellcheck disable=SC2086
		"$OGI" --db "$ro_db" $args >ro.out 2>ro.err
		rc=$?
		check "read-only: $args answers (exit $rc: $(head -c 200 ro.err))" \
			test $rc -le 1 -a -s ro.out
	done
	expect_err 3 "read-only: exclude cannot write" "cannot open '.*' for writing" \
		"$OGI" --db "$ro_db" exclude 1 --why test
	check "read-only: the file is unchanged" cmp -s "$ro_db" ro-before.db
else
	echo "skipped read-only file: root without mount or chattr +i (chmod does not stop root)"
fi
unmount

# Another user's warehouse (root's file, mode 644), read by nobody: every
# reading command answers, without the rights to write a journal beside it.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	mkdir other && cp good.db other/w.db && chmod 755 "$T_TMP" other && chmod 644 other/w.db
	for args in "list" "show 1" "report volumes" "export --format jsonl" "body list" "check"; do
		# shellcheck disable=SC2086
		setpriv --reuid=65534 --regid=65534 --clear-groups "$OGI" --db other/w.db $args \
			>other.out 2>other.err
		rc=$?
		check "another user's warehouse: $args answers (exit $rc: $(head -c 200 other.err))" \
			test $rc -le 1 -a -s other.out
	done
	check "another user's warehouse is unchanged" cmp -s other/w.db good.db
fi

for cmd in list show export report; do
	arg=""
	[ "$cmd" = show ] && arg=1
	[ "$cmd" = report ] && arg=volumes
	expect_err 3 "missing warehouse: $cmd" "cannot open '.*missing.db': no such file" \
		"$OGI" --db missing.db $cmd $arg
done
check "missing warehouse: none was created" test ! -e missing.db

# try_all DB "what" PATTERN: every command fails clearly with exit 3 and the file is unchanged.
try_all() {
	cp "$1" before.db
	expect_err 3 "$2: ingest" "$3" "$OGI" --db "$1" ingest "$FX/shanghai-office-2019.html"
	expect_err 3 "$2: list" "$3" "$OGI" --db "$1" list
	expect_err 3 "$2: check" "$3" "$OGI" --db "$1" check
	expect_err 3 "$2: reparse" "$3" "$OGI" --db "$1" reparse --all
	check "$2: the file is unchanged" cmp -s "$1" before.db
	check "$2: no WAL left behind" test ! -s "$1-wal"
}

cp good.db header.db
printf 'this is no sqlite file at all' | dd of=header.db conv=notrunc 2>/dev/null
try_all header.db "corrupted header" "cannot open '.*header.db': file is not a database"

# A b-tree page of the reports table overwritten: found as soon as it is read.
cp good.db page.db
page=$(sqlite3 page.db "select rootpage from sqlite_master where name = 'reports'")
size=$(sqlite3 page.db "pragma page_size")
$PY - page.db $(((page - 1) * size)) "$size" <<'PYEOF'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    f.write(b"\xa5" * int(sys.argv[3]))
PYEOF
try_all page.db "corrupted page" "cannot .* in '.*page.db': database disk image is malformed"

cp good.db newer.db
sqlite3 newer.db "pragma user_version = 999"
try_all newer.db "newer schema" \
	"warehouse '.*newer.db' has schema version 999, newer than this ogi \\([0-9]+\\)"

check "the sample warehouse is still sound" integrity_ok good.db
finish
