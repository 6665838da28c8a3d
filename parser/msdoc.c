#include "parser/msdoc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser/text.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define FREE_SECT 0xFFFFFFFFu
#define END_OF_CHAIN 0xFFFFFFFEu
#define DIR_ENTRY 128

/* The compound file as read: its sectors' table, the mini stream and its table, the directory. */
struct cfb {
	const unsigned char *b;
	size_t len;
	unsigned shift;		/* sector size 1 << shift */
	uint32_t *fat;
	size_t nfat;
	uint32_t *minifat;
	size_t nminifat;
	unsigned char *ministream;
	size_t ministream_len;
	uint32_t cutoff;	/* streams shorter than this live in the mini stream */
	unsigned char *dir;
	size_t dir_len;
};

static uint16_t u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int msdoc_sniff(const char *bytes, size_t len)
{
	return len >= 512 && !memcmp(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
}

static const unsigned char *sector(const struct cfb *c, uint32_t n)
{
	size_t size = (size_t)1 << c->shift, off = ((size_t)n + 1) << c->shift;

	return off <= c->len && c->len - off >= size ? c->b + off : NULL;
}

/*
 * The bytes of a chain of sectors (or mini sectors) from start, at most
 * size of them; NULL on a broken chain.  The chain is walked at most as
 * many steps as there are entries: a loop ends there.
 */
static unsigned char *read_chain(const struct cfb *c, uint32_t start, size_t size, int mini)
{
	size_t unit = mini ? 64 : (size_t)1 << c->shift, got = 0;
	size_t nentries = mini ? c->nminifat : c->nfat;
	unsigned char *out;
	uint32_t n = start;

	unsigned char *seen;

	if (size > MSDOC_MAX_STREAM || size / unit > nentries)
		return NULL;
	out = xmalloc(size ? size : 1);
	seen = xcalloc(nentries ? nentries : 1, 1);
	while (got < size) {
		const unsigned char *src;
		size_t take = size - got < unit ? size - got : unit;

		if (n >= nentries || seen[n])
			goto fail;	/* past the table, or a chain that loops */
		seen[n] = 1;
		if (mini) {
			size_t off = (size_t)n * 64;

			if (off > c->ministream_len || c->ministream_len - off < take)
				goto fail;
			src = c->ministream + off;
		} else if (!(src = sector(c, n))) {
			goto fail;
		}
		memcpy(out + got, src, take);
		got += take;
		n = mini ? c->minifat[n] : c->fat[n];
	}
	free(seen);
	return out;
fail:
	free(seen);
	free(out);
	return NULL;
}

/* Entries of a table (FAT or mini FAT) read from the sectors of a chain. */
static uint32_t *read_table(const struct cfb *c, uint32_t start, size_t nsectors, size_t *n)
{
	size_t bytes = nsectors << c->shift;
	unsigned char *raw;
	uint32_t *t;

	*n = 0;
	if (!nsectors || bytes > MSDOC_MAX_STREAM || !(raw = read_chain(c, start, bytes, 0)))
		return NULL;
	t = xcalloc(bytes / 4, sizeof(*t));
	for (size_t i = 0; i < bytes / 4; i++)
		t[i] = u32(raw + 4 * i);
	free(raw);
	*n = bytes / 4;
	return t;
}

static void cfb_release(struct cfb *c)
{
	free(c->fat);
	free(c->minifat);
	free(c->ministream);
	free(c->dir);
}

/* The header, the FAT (through the DIFAT), the directory and the mini stream. */
static int cfb_open(struct cfb *c, const unsigned char *b, size_t len, struct err *err)
{
	size_t nfatsect, per, nsect;
	uint32_t difat, *fatsect;
	const unsigned char *d = NULL;

	memset(c, 0, sizeof(*c));
	c->b = b;
	c->len = len;
	c->shift = u16(b + 0x1E);
	if (c->shift != 9 && c->shift != 12)
		return err_set(err, OGI_EPARSE, "a broken OLE file (sector size)");
	nsect = len >> c->shift;
	nfatsect = u32(b + 0x2C);
	if (nfatsect > nsect)
		return err_set(err, OGI_EPARSE, "a broken OLE file (FAT size)");
	/* the FAT's own sectors: 109 in the header, the rest in the DIFAT chain */
	fatsect = xcalloc(nfatsect ? nfatsect : 1, sizeof(*fatsect));
	per = ((size_t)1 << c->shift) / 4 - 1;
	difat = u32(b + 0x44);
	for (size_t i = 0, steps = 0; i < nfatsect; i++) {
		if (i < 109) {
			fatsect[i] = u32(b + 0x4C + 4 * i);
			continue;
		}
		if (i > 109 && (i - 109) % per == 0)
			difat = u32(d + 4 * per);	/* the next DIFAT sector, named by the last */
		if (++steps > nsect || !(d = sector(c, difat))) {
			free(fatsect);
			return err_set(err, OGI_EPARSE, "a broken OLE file (DIFAT)");
		}
		fatsect[i] = u32(d + 4 * ((i - 109) % per));
	}
	c->nfat = nfatsect * (((size_t)1 << c->shift) / 4);
	c->fat = xcalloc(c->nfat ? c->nfat : 1, sizeof(*c->fat));
	for (size_t i = 0; i < nfatsect; i++) {
		d = sector(c, fatsect[i]);
		if (!d) {
			free(fatsect);
			return err_set(err, OGI_EPARSE, "a broken OLE file (FAT sector)");
		}
		for (size_t k = 0; k < ((size_t)1 << c->shift) / 4; k++)
			c->fat[i * (((size_t)1 << c->shift) / 4) + k] = u32(d + 4 * k);
	}
	free(fatsect);
	/* the directory: a chain of whole sectors, its length found by walking it */
	{
		uint32_t n = u32(b + 0x30);
		size_t count = 0;

		while (n < c->nfat && count <= c->nfat) {
			count++;
			n = c->fat[n];
		}
		if (!count || n != END_OF_CHAIN ||
		    !(c->dir = read_chain(c, u32(b + 0x30), count << c->shift, 0)))
			return err_set(err, OGI_EPARSE, "a broken OLE file (directory)");
		c->dir_len = count << c->shift;
	}
	c->cutoff = u32(b + 0x38);
	c->minifat = read_table(c, u32(b + 0x3C), u32(b + 0x40), &c->nminifat);
	if (c->dir_len >= DIR_ENTRY && c->dir[0x42] == 5) {
		uint32_t size = u32(c->dir + 0x78);

		if (size && size <= MSDOC_MAX_STREAM &&
		    (c->ministream = read_chain(c, u32(c->dir + 0x74), size, 0)))
			c->ministream_len = size;
	}
	return 0;
}

/* The stream named name (ASCII), or NULL; *len its size, *found whether it is there at all. */
static unsigned char *cfb_stream(const struct cfb *c, const char *name, size_t *len, int *found)
{
	size_t nl = strlen(name);

	for (size_t off = 0; off + DIR_ENTRY <= c->dir_len; off += DIR_ENTRY) {
		const unsigned char *e = c->dir + off;
		uint16_t namelen = u16(e + 0x40);
		uint32_t size;
		int same = e[0x42] == 2 && namelen == (nl + 1) * 2;

		for (size_t i = 0; same && i < nl; i++)
			same = u16(e + 2 * i) == (unsigned char)name[i];
		if (!same)
			continue;
		*found = 1;
		size = u32(e + 0x78);
		if (size > MSDOC_MAX_STREAM)
			return NULL;
		*len = size;
		return read_chain(c, u32(e + 0x74), size, size < c->cutoff && c->ministream);
	}
	return NULL;
}

/* Appends one character of the document's text, as the flattened table layout wants it. */
struct text_out {
	struct buf b;
	int field;		/* inside a field's instructions (0x13 .. 0x14): not text */
	size_t chars;
};

static void put_char(struct text_out *t, uint32_t cp)
{
	char enc[4];

	switch (cp) {
	case 0x13:	/* a field begins: its instructions until 0x14, then its result */
		t->field++;
		return;
	case 0x14:
		if (t->field)
			t->field--;
		return;
	case 0x15:
		return;
	case 0x07:	/* the end of a cell, or of a row: a line each, empty for an empty cell */
	case 0x0D:
	case 0x0B:
	case 0x0C:
		if (!t->field)
			buf_addc(&t->b, '\n');
		return;
	case 0x1E:
		cp = '-';
		break;
	default:
		break;
	}
	if (t->field || cp < 0x09 || cp == 0x1F || (cp >= 0x0E && cp < 0x20))
		return;
	buf_add(&t->b, enc, utf8_encode(cp, enc));
}

int msdoc_parse(const char *bytes, size_t len, struct doc *doc, struct err *err)
{
	const unsigned char *b = (const unsigned char *)bytes;
	struct cfb c;
	unsigned char *word = NULL, *table = NULL;
	size_t wlen = 0, tlen = 0, off, csw, cslw, nfc, n;
	uint32_t ccp, fcclx, lcbclx, *cps = NULL;
	uint16_t flags;
	int found = 0;
	struct text_out t = { BUF_INIT(BUF_NOLIMIT), 0, 0 };
	int ret;

	memset(&c, 0, sizeof(c));
	if (!msdoc_sniff(bytes, len))
		return err_set(err, OGI_EPARSE, "no OLE header");
	if ((ret = cfb_open(&c, b, len, err)))
		goto out;
	free(cfb_stream(&c, "EncryptedPackage", &wlen, &found));
	if (found) {
		ret = err_set(err, OGI_EPARSE, "a password-protected .docx (an encrypted package)");
		goto out;
	}
	word = cfb_stream(&c, "WordDocument", &wlen, &found);
	if (found && (!word || wlen < 0x22))
		goto broken;
	if (!word || u16(word) != 0xA5EC) {
		ret = err_set(err, OGI_EPARSE, "an OLE file that is no Word or WPS document "
			      "(an Excel workbook, a PowerPoint file, an older WPS file?)");
		goto out;
	}
	flags = u16(word + 0x0A);
	if (flags & 0x0100) {
		ret = err_set(err, OGI_EPARSE, "an encrypted Word document");
		goto out;
	}
	/* the FIB: FibRgW, FibRgLw (ccpText), FibRgFcLcb (the Clx, pair 33) */
	csw = u16(word + 0x20);
	off = 0x22 + csw * 2;
	if (off + 2 > wlen)
		goto broken;
	cslw = u16(word + off);
	if (cslw < 4 || off + 2 + cslw * 4 + 2 > wlen)
		goto broken;
	ccp = u32(word + off + 2 + 3 * 4);
	off += 2 + cslw * 4;
	nfc = u16(word + off);
	off += 2;
	if (nfc < 34 || off + 34 * 8 > wlen)
		goto broken;
	fcclx = u32(word + off + 33 * 8);
	lcbclx = u32(word + off + 33 * 8 + 4);
	table = cfb_stream(&c, flags & 0x0200 ? "1Table" : "0Table", &tlen, &found);
	if (!table || fcclx > tlen || lcbclx > tlen - fcclx)
		goto broken;
	/* the Clx: property runs to skip, then the piece table */
	for (size_t p = fcclx, end = (size_t)fcclx + lcbclx; p < end;) {
		if (table[p] == 1 && p + 3 <= end) {
			p += 3 + u16(table + p + 1);
			continue;
		}
		if (table[p] != 2 || p + 5 > end)
			goto broken;
		n = u32(table + p + 1);
		if (n < 4 || n > end - p - 5 || (n - 4) % 12)
			goto broken;
		p += 5;
		{
			size_t npieces = (n - 4) / 12;

			cps = xcalloc(npieces + 1, sizeof(*cps));
			for (size_t i = 0; i <= npieces; i++)
				cps[i] = u32(table + p + 4 * i);
			for (size_t i = 0; i < npieces && cps[i] < ccp; i++) {
				const unsigned char *pcd = table + p + 4 * (npieces + 1) + 8 * i;
				uint32_t fc = u32(pcd + 2);
				int compressed = (fc & 0x40000000u) != 0;
				size_t from = compressed ? (fc & 0x3FFFFFFFu) / 2 : fc;
				size_t count = (cps[i + 1] < ccp ? cps[i + 1] : ccp) - cps[i];

				if (cps[i + 1] < cps[i] ||
				    from > wlen || count > (wlen - from) / (compressed ? 1 : 2))
					goto broken;
				for (size_t k = 0; k < count && t.chars < MSDOC_MAX_CHARS; k++, t.chars++) {
					uint32_t cp = compressed ? word[from + k] : u16(word + from + 2 * k);

					/* UTF-16: a surrogate pair is one character, a lone half none */
					if (!compressed && cp >= 0xD800 && cp <= 0xDBFF && k + 1 < count &&
					    u16(word + from + 2 * k + 2) >= 0xDC00 &&
					    u16(word + from + 2 * k + 2) <= 0xDFFF) {
						cp = 0x10000 + ((cp - 0xD800) << 10) +
						     (u16(word + from + 2 * k + 2) - 0xDC00);
						k++;
					} else if (!compressed && cp >= 0xD800 && cp <= 0xDFFF) {
						cp = 0xFFFD;
					}
					put_char(&t, cp);
				}
			}
		}
		break;
	}
	text_parse(buf_str(&t.b), t.b.len, doc);
	ret = 0;
	goto out;
broken:
	ret = err_set(err, OGI_EPARSE, "a broken Word document");
out:
	free(cps);
	free(word);
	free(table);
	cfb_release(&c);
	buf_release(&t.b);
	return ret;
}
