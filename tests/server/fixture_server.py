#!/usr/bin/python3
"""A loopback HTTP server for ogi's crawler tests (standard library only).

Serves --root on 127.0.0.1 (port 0: the kernel picks one), prints
"PORT <n>" on stdout once listening, and serves until killed or until
--max-seconds pass.  Every request is logged as one JSON line to --log:

  {"t": 1712345678.123, "method": "GET", "host": "a.test", "path": "/x?y",
   "status": 200, "gzip": false, "headers": {"user-agent": ..., ...}}

A POST is answered as a GET of the same path would be; its log line has
"body" (the request body as text) and "content-type" among the headers.

"t" is the arrival time (seconds, millisecond resolution); "headers" holds
user-agent, if-none-match, if-modified-since, accept-encoding, authorization
when sent.

Files get ETag and Last-Modified, a 304 on a matching If-None-Match (or,
without one, If-Modified-Since not older than the file), and gzip when
Accept-Encoding allows it (compressed once per content).  "/dir/" serves dir/index.html, index.htm or
index.shtml.  With --vhosts the Host header (without port) selects
root/<host>/, so one server plays a.test, b.test, ... (clients point at it
with CURLOPT_CONNECT_TO or CURLOPT_RESOLVE).

Special behaviours, by path:
  /_status/<code>             that status, a short body
  /_redirect/<code>?to=<url>  a redirect (301, 302, 303, 307, 308)
  /_slow/<secs>               headers at once, the body after <secs>
  /_big/<mb>                  streams <mb> MiB, without Content-Length (add ?length=1 to send it)
  /_drop                      Content-Length 100000, 1000 bytes sent, then the connection is closed
  /_retry/<n>/<code>          <code> with "Retry-After: 1" the first <n> times, then 200
or by --config, a JSON file {"routes": {"<path>" or "<host><path>": {...}}}
whose route objects take:
  "status": int, "body": str, "content_type": str,
  "redirect": "/path" or absolute URL (status defaults to 302),
  "retry_after": int seconds or "date+<secs>" (an HTTP-date that far ahead),
  "times": n (the behaviour applies to the first n requests, then the file is served,
              or "fallback_body" with status 200 when the route gives one),
  "sleep": secs (before anything is sent), "sleep_body": secs (after the headers),
  "big_mb": n, "length": bool (with big_mb), "drop": true,
  "hold_body": true (the headers, then no body until the client goes away:
              a timeout the client cannot win, whatever the machine's speed).

With --gate, tests decide when requests are answered instead of racing the
client: the gate lets a given number of requests through and holds the
ones after them (no answer, not logged) until it opens further, they are
dropped, or their client goes away.  It starts open and is worked through
three paths, on any host, which are neither gated nor logged:
  /_gate/open?n=K       lets K more requests through (held ones first), then
                        holds the next; without n: opens for all
  /_gate/drop           drops the requests held now (a killed client's): their
                        connections are closed unanswered; returns once they are
  /_gate/wait?timeout=S until a request is held (or S seconds pass, a guard
                        against hanging tests, default 10)
Each answers with the gate's state as JSON:
  {"passed": requests let through so far, "held": requests held now,
   "limit": passed at which the gate closes, or null when open}

With --tls-cert FILE --tls-key FILE it speaks HTTPS (a self-signed
certificate makes a client that verifies fail its handshake, which is what
the tests want of it).
"""

import argparse
import email.utils
import gzip
import hashlib
import json
import os
import select
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

INDEX_NAMES = ("index.html", "index.htm", "index.shtml")
GZ_CACHE_BYTES = 256 << 20  # gzipped pages kept, bytes in and out; then the cache starts over
TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".shtml": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf", ".json": "application/json", ".xml": "text/xml",
    ".doc": "application/msword", ".css": "text/css", ".js": "application/javascript",
}


class State:
    def __init__(self, args):
        self.root = os.path.realpath(args.root)
        self.vhosts = args.vhosts
        self.routes = {}
        if args.config:
            with open(args.config, encoding="utf-8") as f:
                self.routes = json.load(f).get("routes", {})
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None
        self.lock = threading.Lock()
        self.counts = {}
        self.gate = args.gate
        self.gate_cond = threading.Condition()
        self.passed = 0       # requests the gate let through
        self.limit = None     # passed at which it closes; None: open
        self.held = 0         # requests waiting at it
        self.generation = 0   # bumped by /_gate/drop: requests held before it are dropped
        self.held_by_gen = {}  # generation -> requests held in it
        self.gz_cache = {}    # etag -> (bytes, gzipped bytes): see gzipped()
        self.gz_bytes = 0

    def count(self, key):
        """Increments and returns how many times key was requested (1 the first time)."""
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]

    def gate_state(self):
        return {"passed": self.passed, "held": self.held, "limit": self.limit}

    def gate_pass(self, client_gone):
        """True when the request may be answered; False when it was dropped
        (/_gate/drop) or its client went away while it was held."""
        with self.gate_cond:
            if self.limit is None or self.passed < self.limit:
                self.passed += 1
                return True
            gen = self.generation
            self.held += 1
            self.held_by_gen[gen] = self.held_by_gen.get(gen, 0) + 1
            self.gate_cond.notify_all()
            try:
                while True:
                    # the timeout only bounds how late a vanished client is noticed
                    self.gate_cond.wait(0.05)
                    if self.generation != gen or client_gone():
                        return False
                    if self.limit is None or self.passed < self.limit:
                        self.passed += 1
                        return True
            finally:
                self.held -= 1
                self.held_by_gen[gen] -= 1
                self.gate_cond.notify_all()

    def gate_open(self, n):
        """Lets n more requests through (None: all)."""
        with self.gate_cond:
            self.limit = None if n is None else self.passed + n
            self.gate_cond.notify_all()
            return self.gate_state()

    def gate_drop(self):
        """Drops the requests held now; returns once their handlers let go."""
        with self.gate_cond:
            old = self.generation
            self.generation += 1
            self.gate_cond.notify_all()
            self.gate_cond.wait_for(
                lambda: not any(c for g, c in self.held_by_gen.items() if g <= old))
            return self.gate_state()

    def gate_wait(self, timeout):
        """Waits until a request is held, at most timeout seconds."""
        with self.gate_cond:
            self.gate_cond.wait_for(lambda: self.held > 0, timeout)
            return self.gate_state()

    def gzipped(self, etag, data):
        """data gzipped, once per content (etag is its digest): a crawl
        measured against this server should not be measuring gzip -9."""
        z = self.gz_cache.get(etag)
        if z is None or z[0] != data:
            if self.gz_bytes > GZ_CACHE_BYTES:
                self.gz_cache.clear()
                self.gz_bytes = 0
            z = (data, gzip.compress(data))
            self.gz_cache[etag] = z
            self.gz_bytes += len(data) + len(z[1])
        return z[1]

    def write_log(self, rec):
        if not self.log:
            return
        line = json.dumps(rec, ensure_ascii=False)
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ogi-fixture/1"
    # headers and body go out in separate writes: without this, Nagle plus the
    # client's delayed ACK add 40 ms to every keep-alive response
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # the JSON log replaces the default one
        pass

    # ---- helpers ----

    def host(self):
        h = (self.headers.get("Host") or "").strip().lower()
        if h.startswith("["):
            return h.split("]")[0] + "]"
        return h.split(":")[0]

    def log_request_line(self, status, gz=False):
        hdrs = {}
        for k in ("user-agent", "if-none-match", "if-modified-since", "accept-encoding",
                  "authorization", "content-type"):
            v = self.headers.get(k)
            if v is not None:
                hdrs[k] = v
        rec = {
            "t": round(self.t_arrival, 3), "method": self.command, "host": self.host(),
            "path": self.path, "status": status, "gzip": gz, "headers": hdrs,
        }
        if self.command == "POST":
            rec["body"] = self.post_body()
        self.state.write_log(rec)

    def post_body(self):
        """The POST's body as text (do_POST reads it; one handler serves a connection's requests)."""
        return getattr(self, "_post_body", "")

    def send_simple(self, status, body=b"", ctype="text/plain; charset=utf-8", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def docroot(self):
        if not self.state.vhosts:
            return self.state.root
        return os.path.join(self.state.root, self.host())

    def file_for(self, path):
        """The file under the document root for a URL path, or None."""
        root = os.path.realpath(self.docroot())
        rel = unquote(path).lstrip("/")
        full = os.path.realpath(os.path.join(root, rel))
        if full != root and not full.startswith(root + os.sep):
            return None
        if os.path.isdir(full):
            for name in INDEX_NAMES:
                cand = os.path.join(full, name)
                if os.path.isfile(cand):
                    return cand
            return None
        return full if os.path.isfile(full) else None

    def client_gone(self):
        """True when the client closed its end (EOF or error on the socket)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def gate_control(self, path, query):
        """/_gate/open, /_gate/drop and /_gate/wait (see the module's doc)."""
        try:
            if path == "/_gate/open":
                n = query.get("n")
                st = self.state.gate_open(int(n[0]) if n else None)
            elif path == "/_gate/drop":
                st = self.state.gate_drop()
            elif path == "/_gate/wait":
                st = self.state.gate_wait(float(query.get("timeout", ["10"])[0]))
            else:
                self.send_simple(404, b"no such gate command\n")
                return
        except ValueError:
            self.send_simple(400, b"bad gate argument\n")
            return
        self.send_simple(200, (json.dumps(st) + "\n").encode(), "application/json")

    # ---- special behaviours ----

    def route_for(self, path):
        r = self.state.routes
        return r.get(self.host() + path) or r.get(path)

    def path_route(self, path, query):
        """Turns the /_xxx/ paths into route objects."""
        parts = [p for p in path.split("/") if p]
        if not parts or not parts[0].startswith("_"):
            return None
        try:
            if parts[0] == "_status" and len(parts) == 2:
                return {"status": int(parts[1])}
            if parts[0] == "_redirect" and len(parts) == 2:
                return {"status": int(parts[1]), "redirect": query.get("to", ["/"])[0]}
            if parts[0] == "_slow" and len(parts) == 2:
                return {"sleep_body": float(parts[1]), "body": "slow body\n"}
            if parts[0] == "_big" and len(parts) == 2:
                return {"big_mb": float(parts[1]), "length": "length" in query}
            if parts[0] == "_drop":
                return {"drop": True}
            if parts[0] == "_retry" and len(parts) == 3:
                return {"status": int(parts[2]), "retry_after": 1, "times": int(parts[1]),
                        "fallback_body": "ok after retries\n"}
        except ValueError:
            return None
        return None

    def apply_route(self, route, key):
        """Serves a route; returns False when it no longer applies (times exhausted)."""
        if "times" in route and self.state.count(key) > int(route["times"]):
            if "fallback_body" in route:
                self.log_request_line(200)
                self.send_simple(200, route["fallback_body"].encode())
                return True
            return False
        if route.get("sleep"):
            time.sleep(float(route["sleep"]))
        if "redirect" in route:
            status = int(route.get("status", 302))
            self.log_request_line(status)
            self.send_simple(status, b"moved\n", extra={"Location": route["redirect"]})
            return True
        if route.get("drop"):
            self.log_request_line(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html>" + b"x" * 994)
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if route.get("hold_body"):
            self.log_request_line(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            try:  # whatever the client sends is dropped; its EOF ends the wait
                while self.connection.recv(4096):
                    pass
            except OSError:
                pass
            self.close_connection = True
            return True
        if route.get("big_mb"):
            total = int(float(route["big_mb"]) * 1024 * 1024)
            self.log_request_line(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if route.get("length"):
                self.send_header("Content-Length", str(total))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            chunk = b"0123456789abcdef" * 4096
            sent = 0
            try:
                while sent < total:
                    n = min(len(chunk), total - sent)
                    self.wfile.write(chunk[:n])
                    sent += n
            except OSError:
                self.close_connection = True
            return True
        status = int(route.get("status", 200))
        extra = {}
        ra = route.get("retry_after")
        if ra is not None:
            if isinstance(ra, str) and ra.startswith("date+"):
                extra["Retry-After"] = email.utils.formatdate(
                    time.time() + float(ra[5:]), usegmt=True)
            else:
                extra["Retry-After"] = str(ra)
        body = route.get("body", "status %d\n" % status).encode()
        ctype = route.get("content_type", "text/plain; charset=utf-8")
        self.log_request_line(status)
        if route.get("sleep_body"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.flush()
            time.sleep(float(route["sleep_body"]))
            try:
                self.wfile.write(body)
            except OSError:
                self.close_connection = True
            return True
        self.send_simple(status, body, ctype, extra)
        return True

    # ---- files ----

    def serve_file(self, path):
        fpath = self.file_for(path)
        if not fpath:
            self.log_request_line(404)
            self.send_simple(404, b"not found\n")
            return
        with open(fpath, "rb") as f:
            data = f.read()
        mtime = int(os.path.getmtime(fpath))
        etag = '"%s"' % hashlib.md5(data).hexdigest()[:16]
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            not_modified = "*" in tags or etag in tags or ("W/" + etag) in tags
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                not_modified = mtime <= since
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
        common = {"ETag": etag, "Last-Modified": lastmod}
        if not_modified:
            self.log_request_line(304)
            self.send_response(304)
            for k, v in common.items():
                self.send_header(k, v)
            self.end_headers()
            return
        ext = os.path.splitext(fpath)[1].lower()
        ctype = TYPES.get(ext, "application/octet-stream")
        accept = self.headers.get("Accept-Encoding") or ""
        gz = "gzip" in [a.split(";")[0].strip().lower() for a in accept.split(",")]
        if gz and data:
            data = self.state.gzipped(etag, data)
            common["Content-Encoding"] = "gzip"
            common["Vary"] = "Accept-Encoding"
        self.log_request_line(200, gz and bool(data))
        self.send_simple(200, data, ctype, common)

    def handle_any(self):
        self.t_arrival = time.time()
        split = urlsplit(self.path)
        path = split.path or "/"
        query = parse_qs(split.query)
        key = self.host() + path
        if self.state.gate and path.startswith("/_gate/"):
            self.gate_control(path, query)
            return
        if self.state.gate and not self.state.gate_pass(self.client_gone):
            self.close_connection = True
            return
        route = self.route_for(path) or self.path_route(path, query)
        try:
            if route and self.apply_route(route, key):
                return
            self.serve_file(path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self):
        self.handle_any()

    def do_HEAD(self):
        self.handle_any()

    def do_POST(self):
        # read before anything is answered, so that the connection stays usable
        n = int(self.headers.get("Content-Length") or 0)
        self._post_body = self.rfile.read(n).decode("utf-8", "replace") if n > 0 else ""
        self.handle_any()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a burst of new
    # connections, which the client then retries a second later
    request_queue_size = 256

    def handle_error(self, request, client_address):
        # clients that abort (timeouts, size limits) are part of the tests
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--vhosts", action="store_true")
    ap.add_argument("--config")
    ap.add_argument("--log")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--max-seconds", type=float, default=0)
    ap.add_argument("--gate", action="store_true",
                    help="answer requests only as /_gate/open allows (see above)")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    args = ap.parse_args()

    Handler.state = State(args)
    srv = Server(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        # a failed handshake raises in accept(): socketserver drops that client
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    if args.max_seconds > 0:
        t = threading.Timer(args.max_seconds, lambda: os._exit(0))
        t.daemon = True
        t.start()
    sys.stdout.write("PORT %d\n" % srv.server_address[1])
    sys.stdout.flush()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
