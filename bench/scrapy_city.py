#!/usr/bin/python3
"""Scrapy on the site `ogi crawl` is measured on (bench/run-crawl.sh), for comparison.

  scrapy_city.py SEEDS.tsv PROXY OUT.jsonl
Crawls as ogi does: from each seed (a listing page), the pagination links
(下一页/尾页/numbers, index_N.htm, ?page=N, createPageHTML) and the links
naming an annual report, on the seed's host and under its scope; robots.txt
obeyed, no delay.  Report pages are written to OUT.jsonl (URL and size):
Scrapy reads no report, so it does less work per page than ogi, which
parses and stores each one.  The virtual hosts are reached through the
fixture server used as an HTTP proxy (it serves by the Host header).
Prints "scrapy: N pages in S s".
"""
import os
import re
import sys
import time
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

REPORT = re.compile("信息公开(?:工作)?年度?报告|信息公开(?:工作)?报告|信息公开(?:工作)?年报|工作年报|年度报告")
PAGER = re.compile(r"^\s*(?:下一?页|尾页|末页|[0-9]{1,3})\s*$")
CREATE = re.compile(r'createPageHTML\(\s*(\w+)\s*,\s*\w+\s*,\s*["\'](\w+)["\']\s*,\s*["\'](\w+)["\']')


class City(scrapy.Spider):
    name = "city"

    def __init__(self, seeds=(), **kw):
        super().__init__(**kw)
        self.seeds = seeds

    def start_requests(self):
        for url, scope in self.seeds:
            yield scrapy.Request(url, cb_kwargs={"scope": scope})

    def in_scope(self, url, host, scope):
        s = urlsplit(url)
        return s.scheme in ("http", "https") and s.netloc == host and s.path.startswith(scope)

    def parse(self, response, scope):
        host = urlsplit(response.url).netloc
        for a in response.css("a[href]"):
            url = response.urljoin(a.attrib["href"])
            text = " ".join(t.strip() for t in a.css("::text").getall()).strip()
            title = a.attrib.get("title", "")
            if not self.in_scope(url, host, scope):
                continue
            if REPORT.search(text) or REPORT.search(title):
                if not re.search(r"\.(pdf|docx?|wps|xlsx?|et|ofd)$", url, re.I):
                    yield scrapy.Request(url, callback=self.report)
            elif PAGER.match(text) or re.search(r"/index_[0-9]+\.s?html?$|[?&]page=[0-9]+", url):
                yield scrapy.Request(url, cb_kwargs={"scope": scope})
        for m in CREATE.finditer(response.text):
            n = m.group(1)
            if not n.isdigit():
                v = re.search(r"\b%s\s*=\s*([0-9]+)" % n, response.text)
                n = v.group(1) if v else "0"
            for i in range(int(n)):
                name = "%s.%s" % (m.group(2), m.group(3)) if i == 0 else \
                    "%s_%d.%s" % (m.group(2), i, m.group(3))
                url = response.urljoin(name)
                if self.in_scope(url, host, scope):
                    yield scrapy.Request(url, cb_kwargs={"scope": scope})

    def report(self, response):
        yield {"url": response.url, "bytes": len(response.body)}


def main():
    seeds = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            seeds.append((cols[0], cols[4] if len(cols) > 4 and cols[4] else "/"))
    os.environ["http_proxy"] = sys.argv[2]
    os.environ.pop("no_proxy", None)
    proc = CrawlerProcess(settings={
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_DELAY": 0,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "FEEDS": {sys.argv[3]: {"format": "jsonlines", "overwrite": True}},
    })
    crawler = proc.create_crawler(City)
    t0 = time.time()
    proc.crawl(crawler, seeds=seeds)
    proc.start()
    dt = time.time() - t0
    n = crawler.stats.get_value("response_received_count", 0)
    print("scrapy: %d pages in %.1f s" % (n, dt))


if __name__ == "__main__":
    main()
