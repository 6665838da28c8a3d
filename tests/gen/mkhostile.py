#!/usr/bin/python3
"""Writes hostile and broken .docx files for tests/e2e/test-docx.sh.

usage: mkhostile.py GOOD.docx OUTDIR
GOOD.docx is a real report (tests/gen/mkdocx.py); each file of OUTDIR is it
or a ZIP like it gone wrong.  Standard library only: zipfile writes the
bombs, and bytes patched after it make the directory lie.
"""
import os
import struct
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkdoc  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="%s"><w:body>' % W)
TAIL = "</w:body></w:document>"
LOL9 = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">' +
        "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10)
                for i in range(1, 10)) +
        ']><w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>%s' % (W, TAIL))


def parts(good):
    with zipfile.ZipFile(good) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def write(path, items, level=6, stored=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in items:
            ct = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            if callable(data):
                with z.open(name, "w", force_zip64=True) as f:
                    data(f)
            else:
                z.writestr(name, data, compress_type=ct)


def replaced(items, name, data):
    return [(n, data if n == name else d) for n, d in items]


def spaces(mib):
    """document.xml of mib MiB, nearly all white space: written in pieces, never held."""
    def emit(f):
        f.write(HEAD.encode())
        chunk = b" " * (1 << 20)
        for _ in range(mib):
            f.write(chunk)
        f.write(TAIL.encode())
    return emit


def patch_sizes(path, name, usize):
    """Makes the local header and the directory say name inflates to usize bytes."""
    b = bytearray(open(path, "rb").read())
    enc = name.encode()
    i = 0
    while True:
        i = b.find(enc, i)
        if i < 0:
            break
        if b[i - 30:i - 26] == b"PK\3\4":
            struct.pack_into("<I", b, i - 30 + 22, usize)
        elif b[i - 46:i - 42] == b"PK\1\2":
            struct.pack_into("<I", b, i - 46 + 24, usize)
        i += 1
    open(path, "wb").write(bytes(b))


def set_encrypted(path, name):
    """Sets the 'encrypted' flag bit of name's headers, as a password-protected ZIP has it."""
    b = bytearray(open(path, "rb").read())
    enc = name.encode()
    i = 0
    while True:
        i = b.find(enc, i)
        if i < 0:
            break
        if b[i - 30:i - 26] == b"PK\3\4":
            b[i - 30 + 6] |= 1
        elif b[i - 46:i - 42] == b"PK\1\2":
            b[i - 46 + 8] |= 1
        i += 1
    open(path, "wb").write(bytes(b))


def main():
    good, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    items = parts(good)
    doc = "word/document.xml"
    p = lambda n: os.path.join(out, n)  # noqa: E731

    # over the 64 MiB cap, as the directory says: refused before inflating
    write(p("bomb-size.docx"), replaced(items, doc, spaces(100)), level=9)
    # under the cap but inflating 1000 times: refused by the ratio
    write(p("bomb-ratio.docx"), replaced(items, doc, spaces(40)), level=9)
    # the directory lies: it says 1000 bytes, the data inflates to 40 MiB
    write(p("bomb-lying.docx"), replaced(items, doc, spaces(40)), level=9)
    patch_sizes(p("bomb-lying.docx"), doc, 1000)
    write(p("billion-laughs.docx"), replaced(items, doc, LOL9.encode()))
    data = open(good, "rb").read()
    open(p("truncated.docx"), "wb").write(data[:len(data) * 2 // 3])
    write(p("plain.zip"), [("readme.txt", b"hello"), ("report.html", b"<p>x</p>")])
    write(p("workbook.xlsx"), [("[Content_Types].xml", b"<Types/>"),
                               ("xl/workbook.xml", b"<workbook/>"),
                               ("xl/worksheets/sheet1.xml", b"<worksheet/>")])
    # a password-protected .docx is an OLE compound file holding the encrypted package
    ole = mkdoc.cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200,
                     "EncryptedPackage": os.urandom(8192)})
    open(p("password.docx"), "wb").write(ole)
    write(p("encrypted-entry.docx"), items)
    set_encrypted(p("encrypted-entry.docx"), doc)
    write(p("many-entries.docx"), items + [("word/media/image%d.png" % i, b"x") for i in range(5000)],
          stored={"word/media/image%d.png" % i for i in range(5000)})
    deep = HEAD + "<w:sdt>" * 100000 + "</w:sdt>" * 100000 + TAIL
    write(p("deep.docx"), replaced(items, doc, deep.encode()), stored={doc})
    nodes = HEAD + "<w:p/>" * 5000000 + TAIL
    write(p("nodes.docx"), replaced(items, doc, nodes.encode()), stored={doc})
    no_doc = [(n, d) for n, d in items if n != doc]
    write(p("no-document.docx"), no_doc)


if __name__ == "__main__":
    main()
