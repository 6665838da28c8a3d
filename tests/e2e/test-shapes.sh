#!/bin/sh
# Real report pages and the shapes of real pages: every file of
# tests/fixtures/shapes (one small invented page per layout seen on real
# sites), shapes-more (layouts met in the real reports, invented the same
# way) and real (complete published reports with hand transcriptions)
# reads as its folder's expected.json says: body, year, status, format and
# every transcribed cell (tests/e2e/score.py), the real PDF included.  One
# check per file.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
FX="$OGI_FIXTURES"

for dir in shapes shapes-more real; do
	$PY "$T_ROOT/tests/e2e/score.py" "$OGI" "$FX/$dir" --verbose >"$dir.out" 2>&1
	grep -E '^(ok|FAIL) ' "$dir.out" >"$dir.files"
	check "$dir: every file scored" test -s "$dir.files"
	while read -r status name rest; do
		if [ "$status" = ok ]; then
			ok
		else
			fail "$dir/$name: $rest"
			grep -A 8 "^FAIL $name" "$dir.out" | tail -n +2 >&2
		fi
	done <"$dir.files"
	tail -n 1 "$dir.out" >&2
done

# Provenance: where the body, the year and each figure were read.
prov() {
	# prov FILE: ingests FILE alone and prints its `show --format json`
	rm -f prov.db
	"$OGI" --db prov.db -q ingest "$FX/$1" >/dev/null 2>&1
	"$OGI" --db prov.db show 1 --format json
}
prov shapes/G1_labels_split_from_values.txt >g1.json
prov shapes-more/M1_run_together_digits_by_arithmetic.txt >m1.json
prov real/53_pingtan_2024.html >pt.json
for f in A2_generic_title_then_body_line B1_title_announced_in_sentence C1_no_title_year_only_in_prose \
	C2_no_title_body_only_in_prose; do
	prov "shapes/$f.txt" >"$f.json"
done
for f in N2_signature_after_last_sentence N4_contact_line_body; do
	prov "shapes-more/$f.txt" >"$f.json"
done
$PY - <<'PYEOF'
import json, sys
def load(n):
    return json.load(open(n, encoding="utf-8"))
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, want %r" % (what, got, exp))
g1 = load("g1.json")["provenance"]
# the values line under a wrapped label: read by that label, from its own line
want("G1 partial", g1.get("t3.partial.natural_person"), {"how": "label", "inferred": False, "line": 4, "col": 0})
want("G1 granted total", g1.get("t3.granted.total"), {"how": "label", "inferred": False, "line": 3, "col": 6})
m1 = load("m1.json")["provenance"]
want("M1 granted split", m1.get("t3.granted.natural_person", {}).get("inferred"), True)
want("M1 t4 split", m1.get("t4.suit_direct.total", {}).get("inferred"), True)
pt = load("pt.json")
p = pt["provenance"].get("t3.new.total", {})
want("pingtan html cell", sorted(p), ["col", "how", "inferred", "row", "table"])
want("pingtan body from", pt["organization_from"], "title")
for name, org_from, year_from in [("A2_generic_title_then_body_line", "heading", "title"),
                                  ("B1_title_announced_in_sentence", "sentence", "sentence"),
                                  ("C1_no_title_year_only_in_prose", None, "prose"),
                                  ("C2_no_title_body_only_in_prose", "prose", "sentence"),
                                  ("N2_signature_after_last_sentence", "signature", "sentence"),
                                  ("N4_contact_line_body", "issuer", "sentence")]:
    d = load(name + ".json")
    want(name + " body from", d["organization_from"], org_from)
    want(name + " year from", d["year_from"], year_from)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
check "provenance of bodies, years and cells" test $? -eq 0
finish
