#!/bin/sh
# ogi merge: the sample city (tests/gen/mkcity.py) crawled in two halves of
# its seed list, which share one seed, merged into the first half equals
# the city crawled whole: the same current reports, figures, volumes,
# findings and bodies (digest.py --current), and the same whole warehouse
# but for ids and times (digest.py).  A reviewer's fix and an exclusion
# made in one half come along.  Merging again changes nothing; a
# warehouse cannot be merged into itself.  docs/sql-views.md documents every
# view and column of the merged warehouse, with the types its values have.
# The city has no pictures or scan (mkcity.py --no-ocr): OCR is
# test-crawl.sh's and test-ocr.sh's.
. "$(dirname "$0")/lib.sh"
. "$T_ROOT/tests/e2e/crawl-lib.sh"

H=www.haibin.test
$PY "$T_ROOT/tests/gen/mkcity.py" --out city --no-ocr >/dev/null || fail "mkcity.py"
start_server "$T_TMP/city/sites" || fail "the fixture server did not start"
CT="--connect-to $H:80:127.0.0.1:$PORT"

# seeds.tsv: a header and 12 seeds; a has seeds 1-7, b seeds 7-12
head -n 8 city/seeds.tsv >a.tsv
{ head -n 1 city/seeds.tsv; sed -n '8,13p' city/seeds.tsv; } >b.tsv
check "the halves share one seed and cover all" \
	test "$(tail -q -n +2 a.tsv b.tsv | sort -u | wc -l)" -eq 12 -a "$(sed 1d a.tsv | wc -l)" -eq 7
for w in a b whole; do
	seeds=$w.tsv
	[ $w = whole ] && seeds=city/seeds.tsv
	"$OGI" --db $w.db -q seed import $seeds
	"$OGI" --db $w.db crawl --delay 0 $CT >$w.out 2>$w.err
	check "crawl $w exits 0 ($(tail -n 1 $w.err))" test $? -eq 0
done

# the same corrections in b and in the whole: a fix and an exclusion, by location
# corr DB: fixes 住房和城乡建设局's 2019 PDF report's new/natural_person, excludes 教育局 2023
corr() {
	id=$("$OGI" --db "$1" list --org 住房和城乡建设局 --year 2019 --format csv | sed -n '2s/,.*//p')
	"$OGI" --db "$1" fix "$id" new/natural_person 7 --why "read from the paper copy" >/dev/null &&
		"$OGI" --db "$1" exclude "$("$OGI" --db "$1" list --org 教育局 --year 2023 \
			--format csv | sed -n '2s/,.*//p')" --why "a test page" >/dev/null
}
check "corrections in b" corr b.db
check "corrections in the whole" corr whole.db

cp a.db m.db
"$OGI" --db m.db merge b.db >merge.out 2>merge.err
check "merge exits 0 ($(cat merge.err))" test $? -eq 0
check "merge says what came ($(cat merge.out))" \
	grep -q '^merged b.db: 5 new bodies, [0-9]* new sources, [0-9]* new reports, 0 reports updated, 5 new seeds, [0-9]* new frontier URLs$' merge.out
$PY "$T_ROOT/tests/e2e/digest.py" m.db --current >m.cur
$PY "$T_ROOT/tests/e2e/digest.py" whole.db --current >whole.cur
check "merged halves = the whole city: current reports, figures, volumes, findings
$(diff m.cur whole.cur)" cmp -s m.cur whole.cur
check "the digest has the fix and the exclusion" \
	test "$(sqlite3 m.db "SELECT count(*) FROM fixes") $(sqlite3 m.db \
		"SELECT count(*) FROM exclusions")" = "1 1"
$PY "$T_ROOT/tests/e2e/digest.py" m.db | grep -v '^frontier' >m.all
$PY "$T_ROOT/tests/e2e/digest.py" whole.db | grep -v '^frontier' >whole.all
check "and every stored source, report, figure and finding
$(diff m.all whole.all)" cmp -s m.all whole.all
"$OGI" --db m.db report volumes --format csv >m.vol
"$OGI" --db whole.db report volumes --format csv >whole.vol
# the same rows but for the report ids, which the two warehouses number apart
no_ids() {
	$PY -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
drop = [i for i, name in enumerate(rows[0]) if name == "report_id"]
for r in rows:
    print(",".join(v for i, v in enumerate(r) if i not in drop))' "$1"
}
check "report volumes: the same figures" \
	cmp -s "$(no_ids m.vol >m.v && echo m.v)" "$(no_ids whole.vol >w.v && echo w.v)"

cp m.db before.db
"$OGI" --db m.db merge b.db a.db >again.out 2>&1
check "merging again exits 0" test $? -eq 0
check "merging again brings nothing ($(head -n 1 again.out))" \
	test "$(grep -c ': 0 new bodies, 0 new sources, 0 new reports, 0 reports updated, 0 new seeds, 0 new frontier URLs$' again.out)" -eq 2
$PY "$T_ROOT/tests/e2e/digest.py" m.db >again.dig
$PY "$T_ROOT/tests/e2e/digest.py" before.db >before.dig
check "merging again changes nothing" cmp -s again.dig before.dig
# docs/sql-views.md against this warehouse (crawled, with a fix, an exclusion and an alias)
"$OGI" --db m.db body alias 海滨市教育局 海滨市教育局（体育局） >/dev/null
$PY "$T_ROOT/tests/e2e/sqlviews-check.py" "$T_ROOT/docs/sql-views.md" m.db >views.diff 2>&1
check "docs/sql-views.md documents every view and column with its type
$(cat views.diff)" test $? -eq 0

expect_status 2 "merging a warehouse into itself" "$OGI" --db m.db merge m.db
expect_status 2 "merge with nothing to merge" "$OGI" --db m.db merge
finish
