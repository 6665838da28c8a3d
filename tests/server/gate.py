#!/usr/bin/python3
"""Works the gate of fixture_server.py --gate (see its doc) for shell tests.

  gate.py PORT open [N]      lets N more requests through (without N: opens for
                             all); prints the gate's state
  gate.py PORT drop          drops the requests held now (a killed client's),
                             once they are gone; prints the state
  gate.py PORT wait [--pid PID] [--max-seconds S]
                             returns once a request is held at the gate: exit 0;
                             exit 1 when process PID ended first (or, a guard
                             against a hung test, S seconds passed: 300)

Waiting is for events: the server answers /_gate/wait as soon as a request
is held; the short long-poll timeout only lets this check on PID between.
"""
import argparse
import json
import os
import sys
import time
import urllib.request


def call(port, path):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open("http://127.0.0.1:%d%s" % (port, path), timeout=600) as r:
        return json.loads(r.read().decode())


def alive(pid):
    """False once pid has exited (a zombie not yet reaped counts as ended)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("cmd", choices=["open", "drop", "wait"])
    ap.add_argument("n", type=int, nargs="?")
    ap.add_argument("--pid", type=int)
    ap.add_argument("--max-seconds", type=float, default=300)
    a = ap.parse_args()
    if a.cmd == "open":
        print(json.dumps(call(a.port, "/_gate/open" + ("?n=%d" % a.n if a.n is not None else ""))))
        return 0
    if a.cmd == "drop":
        print(json.dumps(call(a.port, "/_gate/drop")))
        return 0
    end = time.monotonic() + a.max_seconds
    while time.monotonic() < end:
        st = call(a.port, "/_gate/wait?timeout=0.5")
        if st["held"] > 0:
            return 0
        if a.pid is not None and not alive(a.pid):
            return 1
    print("gate.py: no request held after %g s" % a.max_seconds, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
