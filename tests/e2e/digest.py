#!/usr/bin/python3
"""Prints a canonical digest of an ogi warehouse, to compare two crawls.

  digest.py DB [--current]
One line per table: the row count and a SHA-256 of its rows sorted, with
what a crawl's timing changes (ids, times, pids) left out: sources by
content hash and location, reports by location with body, year, format,
status; each report's sources (which one is chosen); figures, claims and
findings keyed by the report's location;
bodies; the frontier by seed URL and URL with its state and content hash.
With --current: the current reports (which report is current for each
body and year) and only their figures, the bodies with their aliases.
"""
import hashlib
import sqlite3
import sys

QUERIES = {
    "sources": "SELECT sha256, location, size, http_status FROM sources",
    "bodies": "SELECT b.name, b.level, p.name FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id",
    "reports": "SELECT r.location, b.name, r.year, r.format, r.status, r.missing, r.title, "
               "r.published, r.charset, s.sha256, r.reason FROM reports r "
               "JOIN bodies b ON b.id = r.body_id JOIN sources s ON s.id = r.source_id",
    "rsources": "SELECT r.location, rs.location, rs.role, rs.status, rs.reason, rs.chosen, "
                "s.sha256 FROM report_sources rs JOIN reports r ON r.id = rs.report_id "
                "JOIN sources s ON s.id = rs.source_id",
    "figures": "SELECT r.location, f.tbl, f.row_key, f.col_key, f.value, f.raw, f.state "
               "FROM figures f JOIN reports r ON r.id = f.report_id",
    "claims": "SELECT r.location, c.seq, c.claim_key, c.value FROM claims c "
              "JOIN reports r ON r.id = c.report_id",
    "findings": "SELECT r.location, fd.rule, fd.kind, fd.where_, fd.expected, fd.found "
                "FROM findings fd JOIN reports r ON r.id = fd.report_id",
    "frontier": "SELECT s.url, u.url, u.kind, u.depth, u.state, u.note, u.sha256, u.parsed "
                "FROM crawl_urls u JOIN seeds s ON s.id = u.seed_id",
}


CURRENT = {
    "bodies": "SELECT b.name, b.level, p.name, (SELECT group_concat(alias, ';') FROM "
              "(SELECT alias FROM body_aliases a WHERE a.body_id = b.id ORDER BY alias)) "
              "FROM bodies b LEFT JOIN bodies p ON p.id = b.parent_id",
    "current": "SELECT b.name, r.year, r.location, r.format, r.status, s.sha256 FROM reports r "
               "JOIN bodies b ON b.id = r.body_id JOIN sources s ON s.id = r.source_id "
               "WHERE r.current = 1",
    "figures": "SELECT location, key, value, raw, state FROM v_figures",
    "volumes": "SELECT * FROM v_volumes",
    "findings": "SELECT location, rule, kind, applies_to, expected, found FROM v_findings",
}


def main():
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    queries = CURRENT if sys.argv[2:] == ["--current"] else QUERIES
    for name, sql in queries.items():
        cur = db.execute(sql)
        # ids are the order things arrived in: left out
        keep = [i for i, d in enumerate(cur.description) if d[0] not in ("report_id", "body_id")]
        rows = sorted(repr(tuple(r[i] for i in keep)) for r in cur)
        h = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()[:16]
        print("%-8s %6d %s" % (name, len(rows), h))


if __name__ == "__main__":
    main()
