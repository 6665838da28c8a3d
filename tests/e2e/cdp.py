#!/usr/bin/env python3
"""Loads pages in headless Chromium and measures them as a reader's browser
lays them out, through the DevTools protocol over a pipe (no port, no
network): usage

    cdp.py WIDTH OUTDIR URL...

For each URL (a file:// page) it writes OUTDIR/N.json with what the page
showed at WIDTH CSS pixels: every console message and script exception,
the links, the text, the charts (title, source line), the boxes that stick
out of the viewport or of their chart, the smallest text drawn; and a
full-page screenshot OUTDIR/N.png.  The page itself runs no script (its
CSP forbids it); the measuring happens from outside, in DevTools.
Exit status 0, or 1 when Chromium could not be driven.
"""
import json
import os
import subprocess
import sys
import tempfile
import base64

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

MEASURE = r"""
((vw) => {
  /* vw is the width asked for: a phone widens its layout to fit what sticks out */
  const out = {vw: vw, scrollWidth: document.documentElement.scrollWidth,
               links: [], text: document.body.innerText, figures: [], overflow: [],
               svgOverflow: [], minFont: 1e9, minFontWhat: ""};
  for (const a of document.querySelectorAll("a[href]"))
    out.links.push(a.getAttribute("href"));
  /* boxes in a box that scrolls sideways (a wide table) scroll with it */
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === "auto" || ox === "scroll") return p;
    }
    return null;
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    const box = scrolls(el);
    const right = box ? box.getBoundingClientRect().right : vw;
    const left = box ? box.getBoundingClientRect().left : 0;
    if (box && (r.right > right + 1 || r.left < left - 1)) continue;
    if (r.right > right + 1 || r.left < left - 1)
      out.overflow.push(el.tagName + "." + el.className + " " + Math.round(r.left) + ".." +
                        Math.round(r.right) + " of " + vw + ": " +
                        (el.textContent || "").slice(0, 40));
  }
  for (const svg of document.querySelectorAll("svg")) {
    const s = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (!r.width) continue;
      if (r.right > s.right + 1 || r.left < s.left - 1)
        out.svgOverflow.push(svg.getAttribute("class") + ": " + t.textContent.slice(0, 30) +
                             " " + Math.round(r.left) + ".." + Math.round(r.right) + " in " +
                             Math.round(s.left) + ".." + Math.round(s.right));
    }
  }
  /* the size text is drawn at, SVG text scaled with its plot */
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    /* the text itself, which may run out of a box that fits */
    if (!el.closest("svg")) {
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      const box = scrolls(el);
      const b = box ? box.getBoundingClientRect() : {left: 0, right: vw};
      if (r.width && (r.right > b.right + 1 || r.left < b.left - 1) &&
          !(box && r.left >= b.left - 1))
        out.overflow.push("text " + Math.round(r.left) + ".." + Math.round(r.right) +
                          " of " + Math.round(b.left) + ".." + Math.round(b.right) + ": " +
                          n.textContent.trim().slice(0, 40));
    }
    let px;
    if (el.closest("svg")) {
      const svg = el.closest("svg");
      const vb = svg.viewBox && svg.viewBox.baseVal;
      const scale = vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
      px = parseFloat(getComputedStyle(el).fontSize) * scale;
    } else {
      px = parseFloat(getComputedStyle(el).fontSize);
    }
    if (px < out.minFont) {
      out.minFont = px;
      out.minFontWhat = n.textContent.trim().slice(0, 30);
    }
  }
  for (const f of document.querySelectorAll("figure")) {
    const t = f.querySelector("figcaption, h3");
    const s = f.querySelector(".source");
    out.figures.push({title: t ? t.innerText : "", source: s ? s.innerText : "",
                      svg: f.querySelectorAll("svg").length});
  }
  return JSON.stringify(out);
})(WIDTH)
"""


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        cmd_r, self.cmd_w = os.pipe()
        self.resp_r, resp_w = os.pipe()

        # Chromium reads commands on fd 3 and answers on fd 4; moved out of
        # the way first so that the two dup2() cannot clobber each other
        cmd_r, resp_w = os.dup(cmd_r), os.dup(resp_w)
        while min(cmd_r, resp_w) < 5:
            cmd_r, resp_w = os.dup(cmd_r), os.dup(resp_w)

        def fds():
            os.dup2(cmd_r, 3)
            os.dup2(resp_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-extensions",
             "--hide-scrollbars", "--user-data-dir=" + self.profile,
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=open(os.environ.get("CDP_LOG", os.devnull), "w"))
        os.close(cmd_r)
        os.close(resp_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.resp_r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session):
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                del self.events[i]
                return m
        while True:
            m = self._read()
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        subprocess.run(["rm", "-rf", self.profile])


def measure(b, url, width, shot):
    target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        b.send(domain + ".enable", session=s)
    b.send("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600},
           session=s)
    b.send("Page.navigate", {"url": url}, session=s)
    b.wait_event("Page.loadEventFired", s)
    res = json.loads(b.send("Runtime.evaluate", {"expression": MEASURE.replace("WIDTH", str(width)),
                                            "returnByValue": True},
                            session=s)["result"]["value"])
    metrics = b.send("Page.getLayoutMetrics", session=s)["cssContentSize"]
    png = b.send("Page.captureScreenshot",
                 {"format": "png", "captureBeyondViewport": True,
                  "clip": {"x": 0, "y": 0, "width": width,
                           "height": min(metrics["height"], 16000), "scale": 1}},
                 session=s)["data"]
    with open(shot, "wb") as f:
        f.write(base64.b64decode(png))
    console = []
    for m in b.events:
        if m.get("sessionId") != s:
            continue
        if m.get("method") == "Runtime.consoleAPICalled":
            console.append("console: %s" % m["params"].get("args"))
        elif m.get("method") == "Runtime.exceptionThrown":
            console.append("exception: %s" % m["params"]["exceptionDetails"].get("text"))
        elif m.get("method") == "Log.entryAdded":
            e = m["params"]["entry"]
            console.append("log %s: %s" % (e.get("level"), e.get("text")))
    b.events = [m for m in b.events if m.get("sessionId") != s]
    res["console"] = console
    b.send("Target.closeTarget", {"targetId": target})
    return res


def main():
    width = int(sys.argv[1])
    outdir = sys.argv[2]
    b = Browser()
    try:
        for i, url in enumerate(sys.argv[3:]):
            res = measure(b, url, width, os.path.join(outdir, "%d.png" % i))
            res["url"] = url
            with open(os.path.join(outdir, "%d.json" % i), "w", encoding="utf-8") as f:
                json.dump(res, f, ensure_ascii=False)
    except (RuntimeError, OSError, KeyError, ValueError) as e:
        print("cdp.py: %s" % e, file=sys.stderr)
        return 1
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
