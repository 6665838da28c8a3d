#include "parser/texttable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form/format.h"
#include "parser/number.h"
#include "parser/textline.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A label longer than this is prose: only its tail can end in a row's label. */
#define LABEL_KEEP_BYTES 600

struct reader {
	struct recs *rs;
	struct rec *cur;	/* the record being filled, or NULL */
	struct rec *last_value;	/* the record whose value was the last item, or NULL */
	int region;		/* the section the text is in (rec_label.region) */
	int line, gap;		/* the current line's number and the empty lines before it */
	int at_line_start;	/* the next item is the first on its line */
	int prev_line_full;	/* the previous line held a label and a value */
	int line_label, line_value;
	int force_new;		/* the next item starts a new record (after a pipe row) */
	/* label text gathered on the current line, normalised, and its tokens' ends */
	struct buf label;
	size_t tok_end[64];
	unsigned char tok_multi[64];
	size_t ntok;
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_han(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x2FFFF);
}

static size_t count_han(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t k = 0;

	while (p < end) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp))
			p++;
		else
			k += is_han(cp);
	}
	return k;
}

/* Items: each starts by settling the gap after the value before it. */
static void item_begin(struct reader *r)
{
	if (r->last_value) {
		r->last_value->gap_after = r->at_line_start ? r->gap : -1;
		r->last_value = NULL;
	}
}

static struct rec *new_record(struct reader *r)
{
	r->cur = recs_add(r->rs);
	r->cur->region = r->region;
	r->force_new = 0;
	return r->cur;
}

/* Adds one label piece s[0..n) of the normalised label text. */
static void add_piece(struct reader *r, const char *s, size_t n, int multi)
{
	char *norm = xstrndup(s, n);
	int section = fmt_match_section(norm);

	if (section)
		r->region = fmt_section_table(section);
	if (!r->cur || r->cur->nvalues || r->force_new)
		new_record(r);
	r->cur->region = r->region;
	rec_add_label(r->cur, norm, r->line, multi, r->region);
}

/* How many tokens of two Han characters or more the label text [from, to) overlaps. */
static size_t multi_tokens(const struct reader *r, size_t from, size_t to)
{
	size_t k = 0;

	for (size_t t = 0; t < r->ntok; t++) {
		size_t start = t ? r->tok_end[t - 1] : 0;

		k += r->tok_multi[t] && start < to && r->tok_end[t] > from;
	}
	return k;
}

/*
 * Cuts the label text gathered on this line into pieces at its
 * enumerators ("(三)不予公开1.属于国家秘密" is two) and adds them.
 */
static void flush_label(struct reader *r)
{
	const char *s = r->label.ptr;
	size_t n = r->label.len, from = 0;

	if (!n)
		return;
	item_begin(r);
	r->line_label = 1;
	if (n > LABEL_KEEP_BYTES) {
		from = n - LABEL_KEEP_BYTES;
		while (from < n && ((unsigned char)s[from] & 0xC0) == 0x80)
			from++;
	}
	for (size_t i = from; i <= n; i++) {
		int cut = i == n;

		if (!cut && i > from && ((unsigned char)s[i] & 0xC0) != 0x80 &&
		    !(i >= 3 && !memcmp(s + i - 3, "第", 3)) && !is_digit(s[i - 1]) &&
		    fmt_enumerator_at(s + i))
			cut = 1;
		if (cut && i > from) {
			add_piece(r, s + from, i - from, multi_tokens(r, from, i) >= 2);
			from = i;
		}
	}
	buf_reset(&r->label);
	r->ntok = 0;
	r->at_line_start = 0;
}

/* Appends a label token (raw text) to the line's label text. */
static void add_label_token(struct reader *r, const char *s, size_t n)
{
	char *raw = xstrndup(s, n), *norm = fmt_norm_label(raw);
	size_t han = count_han(s, n);

	buf_adds(&r->label, norm);
	if (r->ntok < NELEM(r->tok_end)) {
		r->tok_end[r->ntok] = r->label.len;
		r->tok_multi[r->ntok] = han >= 2;
		r->ntok++;
	} else {
		r->tok_end[NELEM(r->tok_end) - 1] = r->label.len;
	}
	free(norm);
	free(raw);
}

/* A value cell (NULL: a blank one). */
static void add_value(struct reader *r, const char *text)
{
	int starts;

	flush_label(r);
	starts = r->at_line_start;
	item_begin(r);
	if (!r->cur || r->force_new || (starts && r->prev_line_full && r->cur->nvalues))
		new_record(r);
	r->cur->region = r->region;
	rec_add_value(r->cur, text, -1, r->line, starts ? r->gap : -1);
	r->cur->gap_after = -1;	/* until the next item says */
	r->last_value = r->cur;
	r->line_value = 1;
	r->at_line_start = 0;
}

/* Counters, dates and units: a number before one is prose, not a cell. */
static const char *const prose_after[] = {
	"件", "条", "个", "项", "次", "人", "年", "月", "日", "号", "时", "分", "秒", "万",
	"亿", "元", "名", "家", "篇", "期", "份", "场", "批", "起", "余", "多", "天", "周",
	"届", "类", "种", "位", "户", "例", "页", "章", "节", "台", "辆", "米", "亩", "吨",
	"岁", "倍", "成", "%", "％", ")", "〕", "】", "》", "”", "]",
};
/* Before one of these a number is a reference, a date or a code. */
static const char *const prose_before[] = { "第", "(", "（", "〔", "【", "《", "“", "[", "约", "近" };

static int ascii_text(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || strchr("-/:@_#~.$&=+", c);
}

static int starts_with_any(const char *s, size_t n, const char *const *words, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++) {
		size_t k = strlen(words[i]);

		if (k <= n && !memcmp(s, words[i], k))
			return 1;
	}
	return 0;
}

static int ends_with_any(const char *s, size_t n, const char *const *words, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++) {
		size_t k = strlen(words[i]);

		if (k <= n && !memcmp(s + n - k, words[i], k))
			return 1;
	}
	return 0;
}

/* Whether a number with s[0..before) before it and s[after..n) after it is prose. */
static int prose_number(const char *s, size_t before, size_t after, size_t n)
{
	if (before && (ascii_text(s[before - 1]) ||
		       ends_with_any(s, before, prose_before, NELEM(prose_before))))
		return 1;
	if (after < n && ((ascii_text(s[after]) && s[after] != '.') ||
			  starts_with_any(s + after, n - after, prose_after, NELEM(prose_after))))
		return 1;
	return 0;
}

/* Whether s[i..n) is "." or "、" followed by something other than a digit: an enumerator's mark. */
static int enum_mark_at(const char *s, size_t i, size_t n)
{
	size_t k = 0;

	if (i < n && s[i] == '.')
		k = 1;
	else if (i + 3 <= n && !memcmp(s + i, "、", 3))
		k = 3;
	return k && (i + k >= n || !is_digit(s[i + k]));
}

/*
 * A token that is not a value as a whole: label text with digits run into
 * it ("规章000", "数量160000016二、上年结转", "00000002.其他法律..."). Cuts it
 * where label text and digits meet; folded is the token with full-width
 * ASCII made ASCII.
 */
static void add_mixed_token(struct reader *r, const char *folded, size_t n)
{
	size_t i = 0, label_from = 0;

	while (i < n) {
		size_t a, b, end;

		if (!is_digit(folded[i])) {
			i++;
			continue;
		}
		a = i;
		while (i < n && (is_digit(folded[i]) ||
				 (folded[i] == '.' && i + 1 < n && is_digit(folded[i + 1]) && i > a)))
			i++;
		b = i;
		end = b;
		if (enum_mark_at(folded, b, n)) {
			/* "1.属于": an enumerator; "30000032.没有": a value, then "2." */
			if (b - a == 1 || memchr(folded + a, '.', b - a))
				continue;
			end = b - 1;
		} else if (prose_number(folded, a, b, n)) {
			continue;
		}
		if (a > label_from)
			add_label_token(r, folded + label_from, a - label_from);
		add_value(r, recs_keep(r->rs, folded + a, end - a));
		label_from = end;
		i = end;
	}
	if (label_from < n)
		add_label_token(r, folded + label_from, n - label_from);
}

/* Full-width ASCII to ASCII (digits, brackets, dots), the rest as it is. */
static char *fold(const char *s, size_t n, size_t *outlen)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	const char *p = s, *end = s + n;

	while (p < end) {
		const char *at = p;
		uint32_t cp;

		if (utf8_decode(&p, end, &cp)) {
			p = at + 1;
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E) {
			buf_addc(&b, (char)(cp - 0xFEE0));
		} else {
			buf_add(&b, at, (size_t)(p - at));
		}
	}
	*outlen = b.len;
	return buf_take(&b);
}

/* Bytes of padding at s[0..n): ASCII white space, NBSP, U+3000, ideographic and en/em spaces. */
static size_t pad_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!n)
		return 0;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x80 && u[2] <= 0x8A)
		return 3;
	return 0;
}

/* Whether a line starts with a counter or unit: the number ending the line before is prose. */
static int starts_with_counter(const char *line)
{
	size_t n;
	char *f = fold(line, strlen(line), &n);
	int yes = starts_with_any(f, n, prose_after, NELEM(prose_after));

	free(f);
	return yes;
}

/*
 * The tokens of s[0..n) between padding; each a value, or label text maybe
 * with digits in it.  next_counter: the next line starts with a counter
 * ("2024" / "年 1 月"), so a number ending this one is prose.
 */
static void add_tokens(struct reader *r, const char *s, size_t n, int next_counter)
{
	size_t i = 0, prev_end = 0;

	while (i < n) {
		size_t start, p, flen;
		char *tok, *folded;

		while (i < n && (p = pad_at(s + i, n - i)))
			i += p;
		if (i >= n)
			break;
		start = i;
		while (i < n && !pad_at(s + i, n - i))
			i++;
		tok = xstrndup(s + start, i - start);
		folded = fold(tok, i - start, &flen);
		if (num_is_value(tok)) {
			/* "2024 年" and "第 7 页": a number apart from its counter is still prose */
			size_t next = i;
			char *nfold;
			size_t nflen, nend;
			int prose = 0;

			while (next < n && (p = pad_at(s + next, n - next)))
				next += p;
			nend = next;
			while (nend < n && !pad_at(s + nend, n - nend))
				nend++;
			nfold = fold(s + next, nend - next, &nflen);
			if (nflen && starts_with_any(nfold, nflen, prose_after, NELEM(prose_after)))
				prose = 1;
			if (!nflen && next_counter)
				prose = 1;
			if (prev_end && ends_with_any(s, prev_end, prose_before, NELEM(prose_before)))
				prose = 1;
			free(nfold);
			if (prose)
				add_label_token(r, folded, flen);
			else
				add_value(r, recs_keep(r->rs, tok, i - start));
		} else {
			add_mixed_token(r, folded, flen);
		}
		free(folded);
		free(tok);
		prev_end = i;
	}
}

/* The index of the first cell of a row that reads as a number or placeholder, else ncells. */
static size_t first_number(const char *s, const size_t *starts, const size_t *ends, size_t ncells)
{
	for (size_t k = 0; k < ncells; k++) {
		char *cell = xstrndup(s + starts[k], ends[k] - starts[k]);
		int yes = num_parse(cell, VK_WAN, &(double){ 0 }) == NUM_VALUE;

		free(cell);
		if (yes)
			return k;
	}
	return ncells;
}

/*
 * Whether cell k of a row of delimited cells (pipes, positioned text) is a
 * count cell holding text: a row with a number (the first is cell fv) and
 * a label first, a text cell after the number, or before it after the
 * label, that reads as a count's text (rec_count_text(); fewer Han
 * characters before the number, where a label's piece is likelier).  Then
 * it keeps its column, as an invalid value, rather than shifting the
 * counts after it.  A word the form names stays a label: rows can stand
 * side by side ("| 规章 | 0 | 行政许可 | 3 |").
 */
static int text_count(const char *s, const size_t *starts, const size_t *ends, size_t ncells,
		      size_t k, size_t fv)
{
	char *cell;
	int yes = 0;

	if (!k || fv == ncells || k == fv || starts[0] == ends[0] || starts[k] == ends[k])
		return 0;
	cell = xstrndup(s + starts[k], ends[k] - starts[k]);
	if (!num_is_value(cell))
		yes = rec_count_text(cell, k > fv ? REC_COUNT_TEXT_CHARS : 3);
	free(cell);
	return yes;
}

/* A pipe row: "| a | b |", "a | b |", "cell |"; "|" alone ends a row. */
static void add_pipe_line(struct reader *r, const char *s, size_t n)
{
	size_t starts[256], ends[256], ncells = 0, from = 0, first_bar = n;
	int labels = 0, values = 0;

	for (size_t i = 0; i <= n; i++) {
		size_t bar = 0;

		if (i < n && s[i] == '|')
			bar = 1;
		else if (i + 3 <= n && !memcmp(s + i, "｜", 3))
			bar = 3;
		if (i < n && !bar)
			continue;
		if (bar && first_bar == n)
			first_bar = i;
		if (ncells < NELEM(starts)) {
			starts[ncells] = from;
			ends[ncells] = i;
			ncells++;
		}
		from = i + bar;
		if (bar)
			i += bar - 1;
	}
	for (size_t k = 0; k < ncells; k++) {
		size_t a = starts[k], b = ends[k], p;

		while (a < b && (p = pad_at(s + a, b - a)))
			a += p;
		while (b > a && pad_at(s + b - 1, 1))
			b--;
		starts[k] = a;
		ends[k] = b;
	}
	/* the empty pieces outside the border bars */
	if (ncells && starts[ncells - 1] == ends[ncells - 1])
		ncells--;
	if (ncells && starts[0] == ends[0] && ends[0] <= first_bar) {
		memmove(starts, starts + 1, (ncells - 1) * sizeof(starts[0]));
		memmove(ends, ends + 1, (ncells - 1) * sizeof(ends[0]));
		ncells--;
	}
	if (!ncells) {
		item_begin(r);
		r->cur = NULL;	/* "|": the row is over */
		return;
	}
	if (ncells >= 2) {
		r->force_new = 1;	/* a row of its own */
		for (size_t k = 0; k < ncells; k++) {
			char *cell = xstrndup(s + starts[k], ends[k] - starts[k]);

			if (!*cell)
				values++;
			else if (num_is_value(cell))
				values++;
			else
				labels++;
			free(cell);
		}
	}
	for (size_t k = 0, fv = first_number(s, starts, ends, ncells); k < ncells; k++) {
		if (starts[k] == ends[k]) {
			add_value(r, NULL);
		} else if (text_count(s, starts, ends, ncells, k, fv)) {
			add_value(r, recs_keep(r->rs, s + starts[k], ends[k] - starts[k]));
		} else {
			add_tokens(r, s + starts[k], ends[k] - starts[k], 0);
			flush_label(r);
		}
	}
	if (ncells >= 2) {
		if (!values && labels >= 2 && r->cur)
			r->cur->header = 1;
		r->force_new = 1;
	}
}

/* A line of positioned text: its cells apart by DOC_CELL_SEP, an empty one a blank cell. */
static void add_cell_line(struct reader *r, const char *s, size_t n)
{
	size_t starts[256], ends[256], ncells = 0, from = 0, fv;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != DOC_CELL_SEP)
			continue;
		if (ncells == NELEM(starts)) {
			/* more cells than a table has: the rest as one, read as text */
			ends[ncells - 1] = n;
			break;
		}
		starts[ncells] = from;
		ends[ncells++] = i;
		from = i + 1;
	}
	fv = first_number(s, starts, ends, ncells);
	for (size_t k = 0; k < ncells; k++) {
		if (starts[k] == ends[k]) {
			if (k)	/* the first cell is a label, never blank */
				add_value(r, NULL);
		} else if (text_count(s, starts, ends, ncells, k, fv)) {
			add_value(r, recs_keep(r->rs, s + starts[k], ends[k] - starts[k]));
		} else {
			add_tokens(r, s + starts[k], ends[k] - starts[k], 0);
			flush_label(r);
		}
	}
}

static int has_bar(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '|' || (i + 3 <= n && !memcmp(s + i, "｜", 3)))
			return 1;
	return 0;
}

/* Whether s[0..n) is one token, no padding inside (padding at its ends allowed). */
static int one_token(const char *s, size_t n)
{
	size_t a = 0, b = n, p;

	while (a < b && (p = pad_at(s + a, b - a)))
		a += p;
	while (b > a && pad_at(s + b - 1, 1))
		b--;
	for (size_t i = a; i < b; i++)
		if (pad_at(s + i, b - i))
			return 0;
	return a < b;
}

/*
 * One cell a line: a line of text between two counts, the one before it
 * the last item read and the one after it a count alone on its line, is a
 * count cell holding text when it reads as one (rec_count_text(), few Han
 * characters: a label's piece would have more, and a counter such as "年"
 * after a number is prose).  It keeps its place among the row's cells.
 */
static int line_count_text(const struct reader *r, const struct doc *doc, size_t i, const char *s,
			   size_t n)
{
	const char *next = i + 1 < doc->nlines ? doc->lines[i + 1] : NULL;
	size_t flen;
	char *cell, *f;
	int yes;

	if (!r->last_value || !next || !one_token(s, n) || !one_token(next, strlen(next)) ||
	    !num_is_value(next))
		return 0;
	cell = xstrndup(s, n);
	f = fold(cell, n, &flen);
	yes = !num_is_value(cell) && !starts_with_any(f, flen, prose_after, NELEM(prose_after)) &&
	      rec_count_text(cell, 3);
	free(f);
	free(cell);
	return yes;
}

void texttable_read(const struct doc *doc, struct recs *out)
{
	struct reader r;
	int pending_gap = 0;

	memset(&r, 0, sizeof(r));
	r.rs = out;
	r.region = -1;
	buf_init(&r.label, BUF_NOLIMIT);
	for (size_t i = 0; i < doc->nlines; i++) {
		const char *s = doc->lines[i];
		size_t n = strlen(s), skip;

		if (textline_is_footer(s, n) || textline_is_rule(s, n)) {
			pending_gap += doc->gaps ? doc->gaps[i] : 0;
			continue;
		}
		skip = textline_markdown_prefix(s, n);
		s += skip;
		n -= skip;
		r.line = doc->linenos ? doc->linenos[i] : (int)i + 1;
		r.gap = (doc->gaps ? doc->gaps[i] : 0) + pending_gap;
		pending_gap = 0;
		r.at_line_start = 1;
		r.line_label = r.line_value = 0;
		if (memchr(s, DOC_CELL_SEP, n))
			add_cell_line(&r, s, n);
		else if (line_count_text(&r, doc, i, s, n))
			add_value(&r, recs_keep(r.rs, s, n));
		else if (has_bar(s, n))
			add_pipe_line(&r, s, n);
		else
			add_tokens(&r, s, n, i + 1 < doc->nlines && starts_with_counter(doc->lines[i + 1]));
		flush_label(&r);
		r.prev_line_full = r.line_label && r.line_value;
	}
	buf_release(&r.label);
}
