#!/usr/bin/python3
"""PDF reports with known values: generated pages printed by headless Chromium.

Standard library only (run with /usr/bin/python3); needs Debian's chromium.

  mkpdf.py --out DIR [--seed N] [--count N] [--pdf-cache DIR]

writes DIR/NNNN.pdf and DIR/expected.json (tests/e2e/score.py's format:
{"files": {name: {organization, year, format, t2, t3, t4}}}).  The pages
vary what PDF readers trip on: text before table 3 of different lengths, so
that the table breaks across a page at different rows (its rows go on, the
header is not repeated); zeros written or left blank (a column blank from
top to bottom among them); 2019 and 2021 formats; a report whose totals do
not add up.  A PDF is kept in --pdf-cache (build/pdf-cache, or
$OGI_PDF_CACHE) under the SHA-256 of the page it was printed from, as
mkcity.py keeps its PDFs (printed_pdf()): Chromium prints only pages it
has not printed before, and the same seed gives the same bytes.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genreport as g  # noqa: E402

BODIES = ["鹿鸣县白鹭镇人民政府", "鹿鸣县青山乡人民政府", "海棠市柳岸街道办事处", "海棠市教育局",
          "鹿鸣县交通运输局", "海棠市财政局"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PDF_CACHE = os.environ.get("OGI_PDF_CACHE", os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "pdf-cache")))


def print_pdf(html_path, pdf_path):
    profile = tempfile.mkdtemp()
    try:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-extensions",
                        "--user-data-dir=" + profile, "--no-pdf-header-footer",
                        "--print-to-pdf=" + pdf_path, "file://" + html_path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def printed_pdf(html, cache):
    """The PDF Chromium prints from the page html (bytes), from cache if printed before.

    Chromium writes the time into every PDF, so a PDF is kept under the SHA-256 of its
    page.  Returns (bytes, True when Chromium printed it now).  The file comes into the
    cache whole, under a name of its own until then: tests that run at the same time
    may print the same page.
    """
    cached = os.path.join(cache, hashlib.sha256(html).hexdigest() + ".pdf")
    printed = False
    if not os.path.exists(cached):
        os.makedirs(cache, exist_ok=True)
        tmp = tempfile.mkdtemp(dir=cache)
        try:
            page = os.path.join(tmp, "page.html")
            with open(page, "wb") as f:
                f.write(html)
            print_pdf(page, os.path.join(tmp, "page.pdf"))
            os.replace(os.path.join(tmp, "page.pdf"), cached)
            printed = True
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    with open(cached, "rb") as f:
        return f.read(), printed


def truth(v, blank_zero):
    """What a reader must find: the values, a zero left blank read as a blank cell."""
    e = {"organization": [v["organization"]], "year": v["year"], "format": v["format"],
         "t2": dict(v["t2"]), "t4": dict(v["t4"]),
         "t3": {r: {c: (None if blank_zero and x == 0 else x) for c, x in cols.items()}
                for r, cols in v["t3"].items()}}
    return e


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--count", type=int, default=4)
    ap.add_argument("--pdf-cache", default=PDF_CACHE,
                    help="folder of PDFs printed before, by the SHA-256 of their page "
                         "(default: build/pdf-cache, or $OGI_PDF_CACHE)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    files = {}
    for i in range(args.count):
        org = BODIES[i % len(BODIES)]
        year = 2019 + (i * 2) % 6
        fmt = "2021" if year >= 2021 else "2019"
        broken = "T3-ROWSUM" if i == 2 else None
        v = g.make_report(rng, org, year, fmt, scale=1 + i, broken=broken)
        blank_zero = i % 2 == 1
        page = g.render_html(v, rng, target_kb=8, word=i % 3 != 2, blank_zero=blank_zero)
        # text before table 3, of a length that moves its page break
        filler = "".join('<p class="MsoNormal">%s</p>' % g.FILLER for _ in range(3 + 7 * i))
        page = page.replace('<p class="MsoNormal">三、收到和处理政府信息公开申请情况</p>',
                            filler + '<p class="MsoNormal">三、收到和处理政府信息公开申请情况</p>', 1)
        name = "%04d.pdf" % i
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(printed_pdf(page.encode("utf-8"), args.pdf_cache)[0])
        files[name] = truth(v, blank_zero)
        if broken:
            files[name]["broken"] = broken
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"about": "PDF prints of generated report pages (tests/gen/mkpdf.py)", "files": files},
                  f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
