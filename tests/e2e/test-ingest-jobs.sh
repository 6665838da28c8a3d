#!/bin/sh
# ogi ingest and reparse parse on worker threads and store in order on one
# writer: the lines printed, the exit status and the warehouse must be the
# same for --jobs 1 and --jobs 4, on a folder that mixes every reader (HTML,
# text, GBK, PDF), files that are the same bytes under two names, an empty
# file, a page that is no report and a link that cannot be read; then again
# after one file changed, and after reparse --all.
. "$(dirname "$0")/lib.sh"
FX="$OGI_FIXTURES"
PY=/usr/bin/python3
DIGEST="$T_ROOT/tests/e2e/digest.py"

mkdir -p in/shapes in/real in/more in/odd
cp "$FX"/shapes/* in/shapes/
cp "$FX"/real/* in/real/
cp "$FX"/shapes-more/* in/more/
cp "$FX/longhu-2023.txt" in/odd/a.txt
cp "$FX/longhu-2023.txt" in/odd/copy-of-a.txt
cp "$FX/shanghai-office-2019.html" in/odd/b.html
: >in/odd/empty.html
printf '<html><head><title>Weather</title></head><body><p>Sunny.</p></body></html>' >in/odd/weather.html
head -c 3000 "$FX/shanghai-office-2019.html" >in/odd/truncated.html
ln -s missing.html in/odd/dangling.html

# run N: ingest, change a file, ingest again, reparse --all; each step's
# output and status in run-N.*, the digest after each
run() {
	db=run-$1.db
	"$OGI" --db "$db" ingest --jobs "$1" in >run-$1.out1 2>run-$1.err1
	echo $? >run-$1.rc1
	$PY "$DIGEST" "$db" >run-$1.dig1
	cp in/odd/b.html b.save
	sed 's/2019/2018/g' b.save >in/odd/b.html
	"$OGI" --db "$db" ingest --jobs "$1" in >run-$1.out2 2>run-$1.err2
	echo $? >run-$1.rc2
	$PY "$DIGEST" "$db" >run-$1.dig2
	cp b.save in/odd/b.html
	"$OGI" --db "$db" reparse --all --jobs "$1" >run-$1.out3 2>run-$1.err3
	echo $? >run-$1.rc3
	$PY "$DIGEST" "$db" >run-$1.dig3
}
run 1
run 4

for f in rc1 out1 err1 dig1 rc2 out2 err2 dig2 rc3 out3 err3 dig3; do
	check "--jobs 1 and --jobs 4 agree on $f" cmp -s run-1.$f run-4.$f
done
check "exit 1 (the dangling link)" test "$(cat run-4.rc1)" -eq 1
check "the dangling link is named" grep -q "dangling.html" run-4.err1
# the fixtures' pages (expected.json and README.md are not read), and in/odd's six files
pages=$(find in -type f \( -name '*.txt' -o -name '*.htm*' -o -name '*.pdf' \) | wc -l)
check "every file was taken: $pages pages, 2 not reports, the empty one and the link failed" \
	grep -q "^$pages pages: .* 2 not reports, 2 failed$" run-4.out1
check "the copy is the same source as its original" \
	test "$(sqlite3 run-4.db "SELECT count(DISTINCT source_id) FROM reports WHERE location LIKE '%/odd/%a.txt'")" -eq 1
check "the listing page and the weather page are no reports" \
	test "$(grep -c 'no report title, year or table found' run-4.err1)" -eq 2
check "second ingest: one page updated, the rest unchanged" \
	grep -q "^$pages pages: 0 new reports, 1 updated, $((pages - 4)) unchanged, 2 not reports, 2 failed$" run-4.out2
check "reparse read every stored page again" \
	test "$(grep -c '^updated ' run-4.out3)" -eq "$((pages - 4))"
check "b.html as changed is the report, after reparse too" \
	test "$(sqlite3 run-4.db "SELECT year FROM reports WHERE location LIKE '%/odd/b.html'")" = 2018

expect_status 2 "--jobs 0 is refused" "$OGI" --db x.db ingest --jobs 0 in
expect_status 2 "--jobs abc is refused" "$OGI" --db x.db ingest --jobs abc in
expect_status 2 "--jobs past the limit is refused" "$OGI" --db x.db reparse --all --jobs 100000
finish
