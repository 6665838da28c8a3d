#!/usr/bin/python3
"""Writes the pages of tests/e2e/test-bodies.sh and what they hold.

usage: bodies-data.py OUTDIR

Two townships of 山前县, 石桥镇 and 河口镇, 2022 and 2023 (2021 format), made
with tests/gen/genreport.py, in OUTDIR/pages/; and
  typo/typo-2021.html    石桥镇's 2021 report under a misspelt name (石挢镇),
                         whose carried_forward is not 2022's carried_over
                         (YEAR-CARRY once the bodies are merged);
  update/sq-2023.html    the same page as pages/sq-2023.html after an update
                         (other figures): copied over it;
  copy/later-2023.html   石桥镇 2023 again at another location, published later;
  copy/earlier-2023.html and once more, published earlier.
OUTDIR/model.json: per file, its body, year, published date and new/total.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gen"))
import genreport as g  # noqa: E402

SQ, HK, TYPO = "山前县石桥镇人民政府", "山前县河口镇人民政府", "山前县石挢镇人民政府"


def main():
    out = sys.argv[1]
    rng = random.Random(1111)
    model = {}

    def write(path, org, year, published, scale, co=None):
        v = g.make_report(rng, org, year, "2021", scale=scale, carried_over=co)
        v["published"] = published
        os.makedirs(os.path.join(out, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(out, path), "w", encoding="utf-8") as f:
            f.write(g.render_html(v, rng, 20, site="山前县人民政府"))
        model[path] = {"organization": org, "year": year, "published": published,
                       "new": v["t3"]["new"]["total"],
                       "carried_forward": v["t3"]["carried_forward"],
                       "carried_over": v["t3"]["carried_over"]}
        return v

    typo = write("typo/typo-2021.html", TYPO, 2021, "2022-01-15", 2)
    # 2022's carried_over is 2021's carried_forward plus one in the first column
    co = [typo["t3"]["carried_forward"][c] for c in g.T3_COLS[:6]]
    co[0] += 1
    sq22 = write("pages/sq-2022.html", SQ, 2022, "2023-01-16", 2, co)
    co = [sq22["t3"]["carried_forward"][c] for c in g.T3_COLS[:6]]
    write("pages/sq-2023.html", SQ, 2023, "2024-01-20", 2, co)
    write("update/sq-2023.html", SQ, 2023, "2024-01-20", 3, co)
    write("copy/later-2023.html", SQ, 2023, "2024-02-25", 4, co)
    write("copy/earlier-2023.html", SQ, 2023, "2024-01-05", 5, co)
    hk22 = write("pages/hk-2022.html", HK, 2022, "2023-01-18", 1)
    write("pages/hk-2023.html", HK, 2023, "2024-01-19", 1,
          [hk22["t3"]["carried_forward"][c] for c in g.T3_COLS[:6]])
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
