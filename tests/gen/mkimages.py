#!/usr/bin/python3
"""Tables as pictures with known values: generated reports' tables shot by headless Chromium.

Standard library only (run with /usr/bin/python3); needs Debian's chromium.

  mkimages.py --out DIR [--seed N] [--count N] [--variants a,b,...] [--cache DIR] [--scan-pdf]

writes DIR/NN-VARIANT.png or .jpg, one picture of tables 2, 3 and 4 of
report NN (genreport.make_report, Word's table markup) as the variant
shows it, and DIR/expected.json in tests/e2e/score.py's format ({"files":
{name: {organization, year, format, t2, t3, t4, variant}}}).  The
variants (VARIANTS) are the quality levels the accuracy is measured at:
zoom (device pixels per CSS pixel), JPEG quality, a slight rotation, a
scanned look (grey paper, blur, noise from an SVG turbulence filter, all
drawn by Chromium).  With --scan-pdf, DIR/NN-scan.pdf too: a PDF without
a text layer, two page pictures, table 3 split between them (its first
rows on page 1 after table 2, the rest and table 4 on page 2).

Chromium's output is kept in --cache (default build/image-cache, or
$OGI_IMAGE_CACHE) under the SHA-256 of what was asked for, so the same
seed always gives the same bytes and only new pictures cost Chromium.
"""
import argparse
import base64
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import genreport as g  # noqa: E402

BODIES = ["鹿鸣县白鹭镇人民政府", "海棠市柳岸街道办事处", "海棠市教育局", "鹿鸣县交通运输局"]

# name: (zoom, format, jpeg quality, rotation in degrees, scanned look)
VARIANTS = {
    "normal": (1.5, "png", 0, 0.0, False),
    "zoom1": (1.0, "png", 0, 0.0, False),
    "zoom2": (2.0, "png", 0, 0.0, False),
    "jpeg70": (1.5, "jpeg", 70, 0.0, False),
    "jpeg40": (1.5, "jpeg", 40, 0.0, False),
    "rotated": (1.5, "png", 0, 0.7, False),
    "scanned": (1.5, "jpeg", 60, 0.4, True),
}

NOISE = ('<svg style="position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none">'
         '<filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="1" '
         'seed="7"/><feColorMatrix type="saturate" values="0"/></filter>'
         '<rect width="100%" height="100%" filter="url(#n)" opacity="0.22"/></svg>')


def page(v, variant, part=None):
    """The tables of v on a page of their own, as the variant draws them (part: a key of PARTS)."""
    zoom, fmt, q, rot, scanned = VARIANTS[variant]
    style = ["body{margin:0;background:#fff;font:14px 'WenQuanYi Micro Hei',sans-serif}",
             "#sheet{position:relative;display:inline-block;padding:24px;background:#fff}",
             "td{font-family:'WenQuanYi Micro Hei',sans-serif !important}",
             "p{margin:6px 0}"]
    if rot:
        style.append("#sheet table{transform:rotate(%gdeg);transform-origin:0 0}" % rot)
    if scanned:
        style.append("#sheet{background:#f1efe8;filter:blur(0.45px) contrast(1.15)}")
    body = []
    for piece in PARTS[part]:
        body += tables(v, piece)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>%s</style></head>'
            '<body><div id="sheet">%s%s</div></body></html>'
            % ("".join(style), "".join(body), NOISE if scanned else ""))


# the pieces a picture shows (page()'s part: None all, 'a' and 'b' a split of table 3),
# and those of the city's page of pictures (tests/gen/mkcity.py): table 2, table 3's
# first rows, its other rows and table 4
PARTS = {None: ("t2", "t3", "t4"), "a": ("t2", "t3a"), "b": ("t3b", "t4"),
         "city1": ("t2",), "city2": ("t3a",), "city3": ("t3b", "t4")}


def tables(v, piece):
    """The HTML of one piece of v's tables with its heading ('t3a'/'t3b': table 3 cut before
    （三）不予公开, the second part without a heading)."""
    if piece == "t2":
        return ['<p>二、主动公开政府信息情况</p>', g.render_t2(v, True)]
    if piece == "t4":
        return ['<p>四、政府信息公开行政复议、行政诉讼情况</p>', g.render_t4(v, True)]
    t3 = g.render_t3(v, True)
    if piece != "t3":
        # the rows of table 3 up to （三）不予公开 on one picture, the rest on the next
        cut = t3.rindex("<tr>", 0, t3.index("（三）不予公开"))
        t3 = t3[:cut] + "</table>" if piece == "t3a" else t3[:t3.index(">") + 1] + t3[cut:]
    return ['<p>三、收到和处理政府信息公开申请情况</p>' if piece != "t3b" else "", t3]


def shoot(browser, html, variant, tmp):
    """Chromium's picture of #sheet in html, as the variant asks (PNG or JPEG bytes)."""
    import cdp
    zoom, fmt, q, rot, scanned = VARIANTS[variant]
    path = os.path.join(tmp, "sheet.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.send("Page.enable", session=s)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": 900, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=s)
    browser.send("Page.navigate", {"url": "file://" + path}, session=s)
    browser.wait_event("Page.loadEventFired", s)
    box = browser.send("Runtime.evaluate", {
        "expression": "JSON.stringify(document.getElementById('sheet').getBoundingClientRect())",
        "returnByValue": True}, session=s)["result"]["value"]
    r = json.loads(box)
    params = {"format": fmt, "captureBeyondViewport": True,
              "clip": {"x": r["x"], "y": r["y"], "width": r["width"], "height": r["height"] + 12,
                       "scale": zoom}}
    if fmt == "jpeg":
        params["quality"] = q
    data = browser.send("Page.captureScreenshot", params, session=s)["data"]
    browser.send("Target.closeTarget", {"targetId": target})
    assert cdp  # imported for its Browser only
    return base64.b64decode(data)


class Cache:
    """Chromium's pictures and PDFs by the SHA-256 of what was asked: the same bytes every run."""

    def __init__(self, folder):
        self.folder = folder
        self.browser = None
        self.tmp = tempfile.mkdtemp()
        os.makedirs(folder, exist_ok=True)

    def get(self, key, make):
        path = os.path.join(self.folder, hashlib.sha256(key.encode("utf-8")).hexdigest())
        if not os.path.exists(path):
            data = make()
            # whole, or not there; a name of its own until then (tests that run at the
            # same time may shoot the same picture)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        with open(path, "rb") as f:
            return f.read()

    def picture(self, html, variant):
        def make():
            if self.browser is None:
                import cdp
                self.browser = cdp.Browser()
            return shoot(self.browser, html, variant, self.tmp)
        return self.get("picture %s %s" % (variant, html), make)

    def pdf(self, html):
        def make():
            import mkpdf
            src, out = os.path.join(self.tmp, "scan.html"), os.path.join(self.tmp, "scan.pdf")
            with open(src, "w", encoding="utf-8") as f:
                f.write(html)
            mkpdf.print_pdf(src, out)
            with open(out, "rb") as f:
                return f.read()
        return self.get("pdf " + html, make)

    def close(self):
        if self.browser is not None:
            self.browser.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def scan_pdf(cache, v):
    """A PDF of two page pictures (no text layer), table 3 split over them."""
    pics = [cache.picture(page(v, "normal", part), "normal") for part in ("a", "b")]
    html = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:10mm}'
            'body{margin:0}img{display:block;max-width:100%;max-height:270mm;break-after:page}'
            '</style></head><body>' +
            "".join('<img src="data:image/png;base64,%s">' % base64.b64encode(p).decode()
                    for p in pics) + "</body></html>")
    return cache.pdf(html)


def default_cache():
    """build/image-cache, or $OGI_IMAGE_CACHE."""
    return os.environ.get("OGI_IMAGE_CACHE", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "image-cache"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--variants", default="normal")
    ap.add_argument("--cache", default=default_cache())
    ap.add_argument("--scan-pdf", action="store_true")
    args = ap.parse_args()
    variants = args.variants.split(",")
    for name in variants:
        if name not in VARIANTS:
            ap.error("no variant %r (%s)" % (name, ", ".join(VARIANTS)))
    os.makedirs(args.out, exist_ok=True)
    cache = Cache(args.cache)
    files = {}
    try:
        for n in range(args.count):
            rng = random.Random(args.seed * 1000 + n)
            fmt = "2021" if n % 2 == 0 else "2019"
            v = g.make_report(rng, BODIES[n % len(BODIES)], 2021 + n % 3 if fmt == "2021" else 2020,
                              fmt)
            truth = {"organization": [None, v["organization"]], "year": None,
                     "format": v["format"], "t2": dict(v["t2"]), "t4": dict(v["t4"]),
                     "t3": {r: dict(c) for r, c in v["t3"].items()}}
            for variant in variants:
                ext = "jpg" if VARIANTS[variant][1] == "jpeg" else "png"
                name = "%02d-%s.%s" % (n, variant, ext)
                with open(os.path.join(args.out, name), "wb") as f:
                    f.write(cache.picture(page(v, variant), variant))
                files[name] = dict(truth, variant=variant)
            if args.scan_pdf:
                name = "%02d-scan.pdf" % n
                with open(os.path.join(args.out, name), "wb") as f:
                    f.write(scan_pdf(cache, v))
                files[name] = dict(truth, variant="scan-pdf")
    finally:
        cache.close()
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"files": files}, f, ensure_ascii=False, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
