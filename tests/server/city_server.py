#!/usr/bin/python3
"""fixture_server.py serving .htm pages as TRS-style CMS servers do: "text/html"
with no charset, so that the page's own <meta> says whether it is UTF-8 or GBK.

Same arguments as fixture_server.py (tests/gen/mkcity.py writes GBK pages as
.htm; fixture_server.py alone would label them UTF-8, which no browser would
then read right either).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_server  # noqa: E402

fixture_server.TYPES[".htm"] = "text/html"

if __name__ == "__main__":
    fixture_server.main()
