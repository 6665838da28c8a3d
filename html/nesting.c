#include "html/nesting.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/ascii.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/*
 * How the guard works.
 *
 * gumbo 0.10.1 builds its tree without recursion and frees it without
 * recursion, but some of its internal clean-up recurses over the depth of
 * the tree (100,000 nested tables overflow an 8 MiB stack), and its scope
 * checks walk the stack of open elements for every tag (100,000 nested
 * <div>s take tens of seconds).  So a cheap pass over the bytes models
 * that stack and drops start tags that would open an element past
 * HTML_MAX_NESTING, together with their end tags.
 *
 * The model is the HTML tree builder reduced to what changes the depth:
 * void elements, implied end tags (p, li, dd/dt, cells, rows, row groups,
 * a table in a table), the implied tbody and tr, scope boundaries for end
 * tags, end tags of ordinary elements stopping at "special" ones, a form
 * closed under open children, the list of active formatting elements
 * (gumbo reopens them, so they count until their end tag or the cell they
 * were in closes; one that leaves the list may still be open where gumbo
 * reopened it, so it counts until what it could be inside closes) and raw
 * text (script, style, textarea, title, ...).
 * Where it is not exact it errs towards counting more open elements than
 * gumbo has, so the bound holds; the cost is that a page with a thousand
 * unclosed elements loses some markup past that point.
 *
 * Before that, three tags are renamed wherever they appear, so that gumbo
 * never enters modes the model does not follow: <svg> and <math> (foreign
 * content, where gumbo 0.10.1 also aborts on assertions, e.g. for
 * "<table><math><select><mi><select><table>" or a CDATA section in an svg
 * <title> in a table) and <frameset> (which ignores nearly every tag, on
 * conditions the model does not track).  They become unknown elements
 * (<xvg>, <xath>, <xrameset>) with the same content; report pages use
 * none of them.  Other pages go to gumbo byte for byte.
 */
#define PN_NAME 24	/* longer tag names never match an end tag */

enum {
	F_VOID = 1 << 0,	/* never opened */
	F_IGNORE = 1 << 1,	/* html, head, body: merged into the ones open */
	F_RAW = 1 << 2,		/* content is text up to the end tag */
	F_SCRIPT = 1 << 3,
	F_PLAINTEXT = 1 << 4,
	F_SPECIAL = 1 << 5,	/* the spec's "special" category */
	F_SCOPE = 1 << 6,	/* bounds "has an element in scope" */
	F_CLOSEP = 1 << 7,	/* start tag closes an open p */
	F_FMT = 1 << 8,		/* formatting element */
	F_MARKER = 1 << 9,	/* pushes a marker on the formatting list */
	F_TPART = 1 << 10,	/* only opens inside a table */
	F_TSCOPE = 1 << 11,	/* bounds table scope: html, table, template */
	F_BUTTON = 1 << 12,
	F_LIST = 1 << 13,	/* ol, ul */
	F_ADP = 1 << 14		/* address, div, p: do not stop the li/dd/dt search */
};

enum { G_NONE, G_HEADING, G_CELL, G_DDDT, G_TBODY };

struct tag_info {
	const char *name;
	unsigned flags;
	unsigned char group;
};

#define SP F_SPECIAL
#define CP (F_SPECIAL | F_CLOSEP)
static const struct tag_info tag_infos[] = {
	{ "a", F_FMT, 0 },
	{ "address", CP | F_ADP, 0 },
	{ "applet", SP | F_SCOPE | F_MARKER, 0 },
	{ "area", SP | F_VOID, 0 },
	{ "article", CP, 0 },
	{ "aside", CP, 0 },
	{ "b", F_FMT, 0 },
	{ "base", SP | F_VOID, 0 },
	{ "basefont", SP | F_VOID, 0 },
	{ "bgsound", SP | F_VOID, 0 },
	{ "big", F_FMT, 0 },
	{ "blockquote", CP, 0 },
	{ "body", SP | F_IGNORE, 0 },
	{ "br", SP | F_VOID, 0 },
	{ "button", SP | F_BUTTON, 0 },
	{ "caption", SP | F_SCOPE | F_MARKER | F_TPART, 0 },
	{ "center", CP, 0 },
	{ "code", F_FMT, 0 },
	{ "col", SP | F_VOID, 0 },
	{ "colgroup", SP | F_TPART, 0 },
	{ "dd", CP, G_DDDT },
	{ "details", CP, 0 },
	{ "dialog", CP, 0 },
	{ "dir", CP, 0 },
	{ "div", CP | F_ADP, 0 },
	{ "dl", CP, 0 },
	{ "dt", CP, G_DDDT },
	{ "em", F_FMT, 0 },
	{ "embed", SP | F_VOID, 0 },
	{ "fieldset", CP, 0 },
	{ "figcaption", CP, 0 },
	{ "figure", CP, 0 },
	{ "font", F_FMT, 0 },
	{ "footer", CP, 0 },
	{ "form", CP, 0 },
	{ "frame", SP | F_VOID, 0 },
	{ "h1", CP, G_HEADING },
	{ "h2", CP, G_HEADING },
	{ "h3", CP, G_HEADING },
	{ "h4", CP, G_HEADING },
	{ "h5", CP, G_HEADING },
	{ "h6", CP, G_HEADING },
	{ "head", SP | F_IGNORE, 0 },
	{ "header", CP, 0 },
	{ "hgroup", CP, 0 },
	{ "hr", CP | F_VOID, 0 },
	{ "html", SP | F_IGNORE | F_SCOPE | F_TSCOPE, 0 },
	{ "i", F_FMT, 0 },
	{ "iframe", SP | F_RAW, 0 },
	{ "image", SP | F_VOID, 0 },
	{ "img", SP | F_VOID, 0 },
	{ "input", SP | F_VOID, 0 },
	{ "keygen", SP | F_VOID, 0 },
	{ "li", CP, 0 },
	{ "link", SP | F_VOID, 0 },
	{ "listing", CP, 0 },
	{ "main", CP, 0 },
	{ "marquee", SP | F_SCOPE | F_MARKER, 0 },
	{ "menu", CP, 0 },
	{ "meta", SP | F_VOID, 0 },
	{ "nav", CP, 0 },
	{ "nobr", F_FMT, 0 },
	{ "noembed", SP | F_RAW, 0 },
	{ "noframes", SP | F_RAW, 0 },
	{ "noscript", SP, 0 },
	{ "object", SP | F_SCOPE | F_MARKER, 0 },
	{ "ol", CP | F_LIST, 0 },
	{ "p", CP | F_ADP, 0 },
	{ "param", SP | F_VOID, 0 },
	{ "plaintext", CP | F_PLAINTEXT, 0 },
	{ "pre", CP, 0 },
	{ "s", F_FMT, 0 },
	{ "script", SP | F_RAW | F_SCRIPT, 0 },
	{ "section", CP, 0 },
	{ "select", SP, 0 },
	{ "small", F_FMT, 0 },
	{ "source", SP | F_VOID, 0 },
	{ "strike", F_FMT, 0 },
	{ "strong", F_FMT, 0 },
	{ "style", SP | F_RAW, 0 },
	{ "summary", CP, 0 },
		/* No F_CLOSEP: in quirks mode a table does not close a p. */
	{ "table", SP | F_SCOPE | F_TSCOPE, 0 },
	{ "tbody", SP | F_TPART, G_TBODY },
	{ "td", SP | F_SCOPE | F_MARKER | F_TPART, G_CELL },
	{ "template", SP | F_SCOPE | F_TSCOPE | F_MARKER, 0 },
	{ "textarea", SP | F_RAW, 0 },
	{ "tfoot", SP | F_TPART, G_TBODY },
	{ "th", SP | F_SCOPE | F_MARKER | F_TPART, G_CELL },
	{ "thead", SP | F_TPART, G_TBODY },
	{ "title", SP | F_RAW, 0 },
	{ "tr", SP | F_TPART, 0 },
	{ "track", SP | F_VOID, 0 },
	{ "tt", F_FMT, 0 },
	{ "u", F_FMT, 0 },
	{ "ul", CP | F_LIST, 0 },
	{ "wbr", SP | F_VOID, 0 },
	{ "xmp", CP | F_RAW, 0 },
};
#undef SP
#undef CP

/* An element the model believes open.  len 0: a name too long to ever match. */
/*
 * How a template's content is read: decided by its first start tag (the
 * spec's "in template"): in body, or as a table's content, entered "in
 * table" (caption, colgroup, row group), "in table body" (tr) or "in row"
 * (td, th).  No tbody or tr is implied around what opens directly in a
 * template, so gumbo's mode there is not told by the open elements as in a
 * table: a template keeps it (tcur), as the table part closed last left it.
 */
enum { TM_ANY, TM_BODY, TM_TABLE, TM_TBODY, TM_ROW };

struct pel {
	char name[PN_NAME + 1];
	unsigned char len;
	unsigned char group;
	unsigned char ghost;	/* off gumbo's stack, still the parent of what is above it */
	unsigned char tmode;	/* a template's TM_*; TM_ANY until its first start tag */
	unsigned char tcur;	/* its mode while it is the innermost table context */
	unsigned flags;
	uint32_t attr_hash;	/* of the attribute text, telling formatting elements apart */
	size_t afe_mark;	/* formatting list length when a marker element opened */
	size_t low;		/* on the formatting list: the lowest stack height since it joined */
	size_t held;		/* on the stack: reopened elements that may be open inside it */
};

struct pre {
	const char *s;
	size_t n;
	struct pel *st;
	size_t sp;
	struct pel *afe;	/* formatting elements closed implicitly: gumbo may reopen them */
	size_t nafe;
	size_t held;		/* off the list, maybe open: the sum of the stack's held */
	size_t limit;
	size_t dropped;		/* tags and openers cut out */
	int hostile;		/* a start tag was cut for depth: cut unmatched end tags too */
	struct buf out;		/* the page minus dropped tags, once anything is dropped */
	size_t copied;		/* s[0..copied) is in out */
};

/* A tag name as the model compares it: lowercase ASCII. */
struct tname {
	char name[PN_NAME + 1];
	size_t len;		/* 0 when longer than PN_NAME */
	const struct tag_info *info;
	uint32_t attr_hash;
};

static const struct tag_info ordinary = { "", 0, 0 };

/* tag_infos[] is sorted by name: a binary search, once per tag of every page. */
static const struct tag_info *lookup(const char *name, size_t len)
{
	size_t lo = 0, hi = sizeof(tag_infos) / sizeof(tag_infos[0]);

	while (len && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *t = tag_infos[mid].name;
		size_t i = 0;
		int c;

		while (i < len && t[i] && t[i] == name[i])
			i++;
		c = i == len ? (t[i] ? -1 : 0) : (unsigned char)name[i] - (unsigned char)t[i];
		if (!c)
			return &tag_infos[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &ordinary;
}

/* Reads a tag name at s[k..n) (the tokenizer's tag name state); returns where it ends. */
static size_t read_name(const char *s, size_t n, size_t k, struct tname *t)
{
	size_t len = 0;

	while (k < n && !ascii_space((unsigned char)s[k]) && s[k] != '/' && s[k] != '>') {
		if (len < PN_NAME)
			t->name[len] = (char)ascii_lower((unsigned char)s[k]);
		len++;
		k++;
	}
	t->len = len <= PN_NAME ? len : 0;
	t->name[t->len] = '\0';
	t->info = lookup(t->name, t->len);
	t->attr_hash = 0;
	return k;
}

/*
 * Skips the attributes of a tag from s[k], following the tokenizer's
 * attribute states so that a '>' in a quoted value does not end the tag.
 * Returns the offset just past '>', or n + 1 when the input ends inside
 * the tag (gumbo drops such a tag).  A "/>" changes nothing for HTML
 * elements.
 */
static size_t skip_attrs(const char *s, size_t n, size_t k)
{
	enum { BEFORE_NAME, NAME, AFTER_NAME, BEFORE_VALUE, UNQUOTED, AFTER_QUOTED, SOLIDUS } st;

	st = BEFORE_NAME;
	while (k < n) {
		char c = s[k];

		switch (st) {
		case BEFORE_NAME:
		case AFTER_NAME:
		case AFTER_QUOTED:
		case SOLIDUS:
			if (c == '>')
				return k + 1;
			if (c == '/') {
				st = SOLIDUS;
			} else if (ascii_space((unsigned char)c)) {
				st = st == AFTER_NAME ? AFTER_NAME : BEFORE_NAME;
			} else if (c == '=' && st == AFTER_NAME) {
				st = BEFORE_VALUE;
			} else {
				st = NAME;
			}
			k++;
			break;
		case NAME:
			if (c == '>')
				return k + 1;
			if (c == '/')
				st = SOLIDUS;
			else if (ascii_space((unsigned char)c))
				st = AFTER_NAME;
			else if (c == '=')
				st = BEFORE_VALUE;
			k++;
			break;
		case BEFORE_VALUE:
			if (c == '"' || c == '\'') {
				const char *q = memchr(s + k + 1, c, n - k - 1);

				if (!q)
					return n + 1;
				k = (size_t)(q - s) + 1;
				st = AFTER_QUOTED;
				break;
			}
			if (c == '>')
				return k + 1;
			if (!ascii_space((unsigned char)c))
				st = UNQUOTED;
			k++;
			break;
		case UNQUOTED:
			if (c == '>')
				return k + 1;
			if (ascii_space((unsigned char)c))
				st = BEFORE_NAME;
			k++;
			break;
		}
	}
	return n + 1;
}

/* FNV-1a. */
static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Whether "</name" followed by a delimiter starts at s[k]. */
static int end_tag_at(const char *s, size_t n, size_t k, const struct tname *t)
{
	size_t e = k + 2 + t->len;

	if (k + 2 > n || s[k] != '<' || s[k + 1] != '/')
		return 0;
	if (!ascii_ci_prefix(s + k + 2, n - k - 2, t->name))
		return 0;
	return e >= n || ascii_space((unsigned char)s[e]) || s[e] == '/' || s[e] == '>';
}

/*
 * Where the text of a raw text element opened before s[k] ends: at its end
 * tag, or n.  Script data follows the tokenizer's escape states, in which
 * "<!--<script>" hides a "</script>".
 */
static size_t raw_end(const char *s, size_t n, size_t k, const struct tname *t)
{
	static const struct tname script = { "script", 6, NULL, 0 };
	int script_data = t->info->flags & F_SCRIPT, escaped = 0, dbl = 0;

	for (; k < n; k++) {
		const char *lt;

		if (!script_data) {
			lt = memchr(s + k, '<', n - k);
			if (!lt)
				return n;
			k = (size_t)(lt - s);
			if (end_tag_at(s, n, k, t))
				return k;
			continue;
		}
		if (s[k] == '-' && escaped && k + 3 <= n && !memcmp(s + k, "-->", 3)) {
			escaped = dbl = 0;
			k += 2;
		} else if (s[k] != '<') {
			continue;
		} else if (!escaped && k + 4 <= n && !memcmp(s + k, "<!--", 4)) {
			escaped = 1;
			k += 3;
		} else if (end_tag_at(s, n, k, &script)) {
			if (!dbl)
				return k;
			dbl = 0;
		} else if (escaped && !dbl && k + 7 < n &&
			   ascii_ci_prefix(s + k + 1, n - k - 1, "script") &&
			   (ascii_space((unsigned char)s[k + 7]) || s[k + 7] == '/' || s[k + 7] == '>')) {
			dbl = 1;
		}
	}
	return n;
}

/* Index of the topmost open element matching t (or its group), not looking past a stop. */
static long pre_find(const struct pre *p, const char *name, size_t len, int group, unsigned stop)
{
	for (size_t i = p->sp; i-- > 0;) {
		const struct pel *e = &p->st[i];

		if (e->ghost)
			continue;
		if (group ? e->group == group :
			    (len && e->len == len && !memcmp(e->name, name, len)))
			return (long)i;
		if (e->flags & stop)
			return -1;
	}
	return -1;
}

/*
 * Pops open elements down to and including index i.  Formatting elements
 * closed on the way stay on gumbo's list of active formatting elements
 * (and will be reopened), so they keep counting; closing a cell clears
 * that list back to its marker.  explicit_fmt: the element at i is closed
 * by its own end tag and leaves the list.
 */
/*
 * The open elements as gumbo may have them: the model's stack, the
 * formatting elements gumbo may reopen, and those it reopened that left
 * its list while open.
 */
static size_t pre_depth(const struct pre *p)
{
	return p->sp + p->nafe + p->held;
}

/*
 * Takes the formatting list's entry k off the list.  gumbo may have
 * reopened it (text or a tag reopens the whole list), and leaving the list
 * (a fourth identical one, its end tag) does not close it there: it stays
 * open inside whatever was open when gumbo reopened it.  That is no lower
 * than the lowest the stack has been since the entry joined the list, so
 * it keeps counting until that element closes.
 */
static void afe_remove(struct pre *p, size_t k)
{
	size_t low = p->afe[k].low;

	p->held++;
	if (low)
		p->st[low - 1].held++;
	memmove(&p->afe[k], &p->afe[k + 1], (p->nafe - k - 1) * sizeof(*p->afe));
	p->nafe--;
}

/*
 * Puts a formatting element closed implicitly on the model's formatting
 * list.  As gumbo (the spec's "Noah's Ark" clause) it keeps at most three
 * identical ones after the last marker: a sloppy page that leaves the same
 * <font face=...> open in every paragraph does not add up.  Identical here
 * means the same attribute bytes, stricter than gumbo, so the model keeps
 * more, never fewer.
 */
static void afe_add(struct pre *p, const struct pel *e)
{
	size_t mark = 0, same = 0, first = 0;

	for (size_t k = p->sp; k-- > 0;) {
		if (p->st[k].flags & F_MARKER) {
			mark = p->st[k].afe_mark;
			break;
		}
	}
	for (size_t k = mark; k < p->nafe; k++) {
		const struct pel *a = &p->afe[k];

		if (a->len == e->len && a->attr_hash == e->attr_hash &&
		    !memcmp(a->name, e->name, e->len) && !same++)
			first = k;
	}
	if (same >= 3)
		afe_remove(p, first);
	if (p->nafe == p->limit)
		afe_remove(p, 0);
	p->afe[p->nafe] = *e;
	p->afe[p->nafe++].low = p->sp;
}

static int pel_is(const struct pel *e, const char *name)
{
	return e->len == strlen(name) && !memcmp(e->name, name, e->len);
}

/*
 * e, just popped, was directly in a template read as a table's content:
 * the template's mode becomes what gumbo's is after closing it ("in row"
 * after a cell, "in table body" after a row, "in table" after a row group,
 * caption or colgroup), or after the spec's "reset the insertion mode"
 * (closing a select or a template in it) the mode its first tag chose.
 */
static void pre_left_template(struct pre *p, const struct pel *e)
{
	size_t k = p->sp;
	struct pel *t;

	while (k && p->st[k - 1].ghost)
		k--;
	if (!k || !pel_is(t = &p->st[k - 1], "template") || t->tmode < TM_TABLE)
		return;
	if (e->group == G_CELL)
		t->tcur = TM_ROW;
	else if (pel_is(e, "tr"))
		t->tcur = TM_TBODY;
	else if (e->flags & F_TPART)
		t->tcur = TM_TABLE;
	else if (pel_is(e, "template") || pel_is(e, "select"))
		t->tcur = t->tmode;
}

static void pre_pop_to(struct pre *p, size_t i, int explicit_fmt)
{
	while (p->sp > i) {
		struct pel *e = &p->st[--p->sp];

		p->held -= e->held;
		/* The list is in the order it joined: the lows rise along it. */
		for (size_t k = p->nafe; k-- > 0 && p->afe[k].low > p->sp;)
			p->afe[k].low = p->sp;
		if (e->flags & (F_TPART | F_SPECIAL))
			pre_left_template(p, e);
		if ((e->flags & F_FMT) && !(p->sp == i && explicit_fmt))
			afe_add(p, e);
		if ((e->flags & F_MARKER) && p->nafe > e->afe_mark)
			p->nafe = e->afe_mark;
		/* A ghost ends with the last element opened inside it. */
		if (p->sp == i)
			while (i && p->st[i - 1].ghost)
				i--;
	}
}

static void pre_push(struct pre *p, const char *name, size_t len, const struct tag_info *ti)
{
	struct pel *e = &p->st[p->sp++];

	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->len = (unsigned char)len;
	e->group = ti->group;
	e->flags = ti->flags;
	e->ghost = 0;
	e->tmode = e->tcur = TM_ANY;
	e->attr_hash = 0;
	e->afe_mark = p->nafe;
	e->held = 0;
}

/* The topmost table-context element (tr, row group or table) in table scope, or -1. */
static long pre_table_context(const struct pre *p)
{
	for (size_t i = p->sp; i-- > 0;) {
		const struct pel *e = &p->st[i];

		if (e->ghost)
			continue;
		if ((e->len == 2 && !memcmp(e->name, "tr", 2)) || e->group == G_TBODY ||
		    (e->flags & F_TSCOPE))
			return (long)i;
	}
	return -1;
}

/* The open select, or -1: while one is open gumbo ignores nearly every tag. */
static long pre_select(const struct pre *p)
{
	/* A template opened in a select has modes of its own. */
	return pre_find(p, "select", 6, 0, F_TSCOPE);
}

/*
 * Whether a table part tag closes the open select: one opened where gumbo
 * reads a table (its "in select in table"), that is in a table or in a
 * template whose content is a table's, not in a template read "in body",
 * even one inside a table.
 */
static int closes_select(const struct pre *p, const struct tag_info *ti, const char *name)
{
	long i;

	if (!(ti->flags & (F_TPART | F_TSCOPE)) || !strcmp(name, "colgroup") ||
	    !strcmp(name, "template") || !strcmp(name, "html"))
		return 0;
	if (pre_find(p, "table", 5, 0, F_TSCOPE) >= 0)
		return 1;
	i = pre_find(p, "template", 8, 0, F_TSCOPE);
	return i >= 0 && p->st[i].tmode >= TM_TABLE;
}

/*
 * A start tag while a select is open: option and optgroup nest in it,
 * select/input/keygen/textarea (and table parts in a table) close it,
 * script and template are read as usual, anything else is ignored.
 * Returns 1 when the tag is dealt with, 0 to go on as usual.
 */
static int pre_start_select(struct pre *p, const struct tname *t, long sel)
{
	const struct tag_info *ti = t->info;
	const char *n = t->name;

	if (!strcmp(n, "option") || !strcmp(n, "optgroup")) {
		if (p->sp && pel_is(&p->st[p->sp - 1], "option"))
			pre_pop_to(p, p->sp - 1, 0);
		if (!strcmp(n, "optgroup") && p->sp && pel_is(&p->st[p->sp - 1], "optgroup"))
			pre_pop_to(p, p->sp - 1, 0);
		if (pre_depth(p) + 1 <= p->limit)
			pre_push(p, t->name, t->len, ti);
		return 1;
	}
	if (!strcmp(n, "select")) {
		pre_pop_to(p, (size_t)sel, 0);
		return 1;
	}
	if (!strcmp(n, "input") || !strcmp(n, "keygen") || !strcmp(n, "textarea") ||
	    closes_select(p, ti, n)) {
		pre_pop_to(p, (size_t)sel, 0);
		return 0;
	}
	return strcmp(n, "script") && strcmp(n, "template");
}

/* Tags a template reads by the "in head" rules, which leave its mode undecided. */
static int head_tag(const char *n)
{
	static const char *const names[] = { "base", "basefont", "bgsound", "link", "meta",
					     "noframes", "script", "style", "template", "title" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(n, names[i]))
			return 1;
	return 0;
}

/*
 * Whether gumbo reads a table part (tr, td, tbody, caption, ...) here: in
 * a table, or in a template whose content began with a table part.  A
 * template whose content began with anything else is read "in body",
 * where table parts are ignored; taking one there for a cell would let a
 * later cell close elements gumbo keeps open, and the nesting run away.
 * Also decides the mode of the template the tag lands in directly.
 */
static int pre_tpart_ok(struct pre *p, const struct tname *t)
{
	int tpart = (t->info->flags & F_TPART) != 0;

	for (size_t k = p->sp; k-- > 0;) {
		struct pel *e = &p->st[k];

		if (e->ghost)
			continue;
		if (pel_is(e, "table"))
			return 1;
		if (pel_is(e, "template")) {
			if (e->tmode == TM_ANY && !head_tag(t->name))
				e->tmode = e->tcur = !tpart ? TM_BODY :
					  t->info->group == G_CELL ? TM_ROW :
					  !strcmp(t->name, "tr") ? TM_TBODY : TM_TABLE;
			return !tpart || e->tmode >= TM_TABLE;
		}
	}
	return !tpart;
}

/*
 * A row group, caption or colgroup start tag with the template at st[t]
 * the innermost table context.  As gumbo, closes the cell and the row it
 * is in, then the row group, caption or colgroup open there, and takes the
 * tag "in table"; in a template "in table body" or "in row" (no row group
 * open) it ignores it: "<template><tr><tbody>" only closes the tr.
 * Returns whether the tag opens.
 */
static int pre_tgroup_in(struct pre *p, long t)
{
	long i = pre_find(p, NULL, 0, G_CELL, F_TSCOPE);

	if (i >= 0)
		pre_pop_to(p, (size_t)i, 0);
	if ((i = pre_find(p, "tr", 2, 0, F_TSCOPE)) >= 0)
		pre_pop_to(p, (size_t)i, 0);
	for (size_t k = (size_t)t + 1; k < p->sp; k++) {
		const struct pel *e = &p->st[k];

		if (!e->ghost && (e->group == G_TBODY || pel_is(e, "caption") ||
				  pel_is(e, "colgroup"))) {
			pre_pop_to(p, k, 0);
			return 1;
		}
	}
	if (p->st[t].tcur != TM_TABLE)
		return 0;
	pre_pop_to(p, (size_t)t + 1, 0);
	return 1;
}

/* Applies a start tag to the model; returns 0 when it must be dropped. */
static int pre_start(struct pre *p, const struct tname *t)
{
	static const struct tag_info tbody = { "tbody", F_SPECIAL | F_TPART, G_TBODY };
	static const struct tag_info tr = { "tr", F_SPECIAL | F_TPART, 0 };
	const struct tag_info *ti = t->info;
	long i;

	if ((i = pre_select(p)) >= 0 && pre_start_select(p, t, i))
		return 1;
	if (!pre_tpart_ok(p, t))
		return 1;	/* gumbo ignores cells and rows outside a table (or table template) */
	if (ti->flags & (F_VOID | F_IGNORE))
		return 1;
	/* Decided before the implied end tags: a dropped tag implies nothing. */
	if (pre_depth(p) + 3 > p->limit)
		return 0;

	if ((ti->flags & F_CLOSEP) && (i = pre_find(p, "p", 1, 0, F_SCOPE | F_BUTTON)) >= 0)
		pre_pop_to(p, (size_t)i, 0);
	if (ti->group == G_HEADING && p->sp && p->st[p->sp - 1].group == G_HEADING)
		pre_pop_to(p, p->sp - 1, 0);
	if (t->len == 2 && !memcmp(t->name, "li", 2)) {
		for (size_t k = p->sp; k-- > 0;) {
			if (p->st[k].ghost)
				continue;
			if (pel_is(&p->st[k], "li")) {
				pre_pop_to(p, k, 0);
				break;
			}
			if ((p->st[k].flags & F_SPECIAL) && !(p->st[k].flags & F_ADP))
				break;
		}
	}
	if (ti->group == G_DDDT) {
		for (size_t k = p->sp; k-- > 0;) {
			if (p->st[k].ghost)
				continue;
			if (p->st[k].group == G_DDDT) {
				pre_pop_to(p, k, 0);
				break;
			}
			if ((p->st[k].flags & F_SPECIAL) && !(p->st[k].flags & F_ADP))
				break;
		}
	}
	if ((!strcmp(t->name, "option") || !strcmp(t->name, "optgroup")) && p->sp &&
	    pel_is(&p->st[p->sp - 1], "option"))
		pre_pop_to(p, p->sp - 1, 0);

	if (ti->group == G_CELL || !strcmp(t->name, "tr")) {
		if (ti->group == G_CELL && (i = pre_find(p, NULL, 0, G_CELL, F_TSCOPE)) >= 0)
			pre_pop_to(p, (size_t)i, 0);
		i = pre_table_context(p);
		if (i >= 0 && pel_is(&p->st[i], "tr")) {
			/* A cell opens in the row; a row closes the row. */
			pre_pop_to(p, (size_t)i + (ti->group == G_CELL), 0);
		} else if (i >= 0 && (p->st[i].group == G_TBODY || pel_is(&p->st[i], "table"))) {
			pre_pop_to(p, (size_t)i + 1, 0);
			if (p->st[i].group != G_TBODY)
				pre_push(p, "tbody", 5, &tbody);
			if (ti->group == G_CELL)
				pre_push(p, "tr", 2, &tr);
		} else if (i >= 0 && pel_is(&p->st[i], "template")) {
			/*
			 * Directly in a template gumbo implies a tbody and a tr
			 * only as its mode asks ("<template><tr></tr><td>" has
			 * a tr again), and a row "in row" is ignored, after
			 * closing a cell ("<template><td><tr>").
			 */
			long c = pre_find(p, NULL, 0, G_CELL, F_TSCOPE);
			int mode;

			if (c >= 0)
				pre_pop_to(p, (size_t)c, 0);
			mode = p->st[i].tcur;
			if (ti->group != G_CELL && mode == TM_ROW)
				return 1;
			pre_pop_to(p, (size_t)i + 1, 0);
			if (mode == TM_TABLE)
				pre_push(p, "tbody", 5, &tbody);
			if (ti->group == G_CELL && mode != TM_ROW)
				pre_push(p, "tr", 2, &tr);
		}
	} else if (ti->group == G_TBODY || !strcmp(t->name, "caption") ||
		   !strcmp(t->name, "colgroup")) {
		if ((i = pre_find(p, "table", 5, 0, F_TSCOPE)) >= 0)
			pre_pop_to(p, (size_t)i + 1, 0);
		else if ((i = pre_find(p, "template", 8, 0, F_TSCOPE)) >= 0 && !pre_tgroup_in(p, i))
			return 1;
	} else if (!strcmp(t->name, "table")) {
		/* A table directly in a table (not in a cell) closes it. */
		for (size_t k = p->sp; k-- > 0;) {
			if (p->st[k].ghost)
				continue;
			if (p->st[k].group == G_CELL || pel_is(&p->st[k], "caption"))
				break;
			if (pel_is(&p->st[k], "table")) {
				pre_pop_to(p, k, 0);
				break;
			}
			if (pel_is(&p->st[k], "template") && p->st[k].tmode >= TM_TABLE)
				return 1;	/* read "in table" with no table open: ignored */
			if (p->st[k].flags & F_TSCOPE)
				break;	/* a table in a template read "in body" nests */
		}
	}
	pre_push(p, t->name, t->len, ti);
	p->st[p->sp - 1].attr_hash = t->attr_hash;
	return 1;
}

/* Applies an end tag to the model; returns 0 when it closes nothing the model knows. */
static int pre_end(struct pre *p, const struct tname *t)
{
	const struct tag_info *ti = t->info;
	long i;

	if (!strcmp(t->name, "template")) {
		/* In any mode, a select's too, it closes the template wherever it is. */
		if ((i = pre_find(p, "template", 8, 0, 0)) < 0)
			return 0;
		pre_pop_to(p, (size_t)i, 0);
		return 1;
	}
	if ((i = pre_select(p)) >= 0) {
		/* In a select only these end tags count; gumbo ignores the rest. */
		if (!strcmp(t->name, "select")) {
			pre_pop_to(p, (size_t)i, 0);
			return 1;
		}
		if (!strcmp(t->name, "option") || !strcmp(t->name, "optgroup")) {
			long o = pre_find(p, t->name, t->len, 0, 0);

			if (o > i && (size_t)o + 1 == p->sp) {
				pre_pop_to(p, (size_t)o, 0);
				return 1;
			}
			if (o > i && (size_t)o + 2 == p->sp && pel_is(&p->st[o + 1], "option")) {
				pre_pop_to(p, (size_t)o, 0);
				return 1;
			}
			return 0;
		}
		if (!closes_select(p, ti, t->name) || pre_find(p, t->name, t->len, 0, F_TSCOPE) < 0)
			return 0;
		pre_pop_to(p, (size_t)i, 0);
	}
	if (ti->flags & F_IGNORE)
		return 1;	/* gumbo keeps body and html open */
	if (ti->flags & F_VOID)
		return 1;	/* </br> is a <br>; the others are dropped by gumbo */
	if (!strcmp(t->name, "form")) {
		/*
		 * gumbo takes the form out of its stack but leaves what is above
		 * it open, inside it: the tree stays as deep as before.
		 */
		i = pre_find(p, "form", 4, 0, F_SCOPE);
		if (i < 0)
			return 0;
		if ((size_t)i + 1 == p->sp)
			pre_pop_to(p, (size_t)i, 0);
		else
			p->st[i].ghost = 1;
		return 1;
	}
	if (t->len == 1 && t->name[0] == 'p')
		i = pre_find(p, "p", 1, 0, F_SCOPE | F_BUTTON);
	else if (t->len == 2 && !memcmp(t->name, "li", 2))
		i = pre_find(p, "li", 2, 0, F_SCOPE | F_LIST);
	else if (ti->group == G_HEADING)
		/* Any open h1-h6 ends at any heading's end tag; </dd> and </dt> need their own. */
		i = pre_find(p, NULL, 0, ti->group, F_SCOPE);
	else if (ti->flags & (F_TPART | F_TSCOPE))
		i = pre_find(p, t->name, t->len, 0, F_TSCOPE);
	else if (ti->flags & F_SPECIAL)
		i = pre_find(p, t->name, t->len, 0, F_SCOPE);
	else
		i = pre_find(p, t->name, t->len, 0, F_SPECIAL | F_SCOPE);
	if (i >= 0) {
		pre_pop_to(p, (size_t)i, (ti->flags & F_FMT) != 0);
		return 1;
	}
	if (ti->flags & F_FMT) {
		for (size_t k = p->nafe; k-- > 0;) {
			if (p->afe[k].len == t->len && !memcmp(p->afe[k].name, t->name, t->len)) {
				afe_remove(p, k);
				return 1;
			}
		}
	}
	return 0;
}

/* Removes s[a..b) from the page handed to gumbo. */
static void pre_drop(struct pre *p, size_t a, size_t b)
{
	buf_add(&p->out, p->s + p->copied, a - p->copied);
	/*
	 * A '<' of text just before the tag would join what follows it into
	 * markup the model never saw ("<" "<td>" "x</table>" read as the tag
	 * "<x</table>"): a space keeps it text.
	 */
	if (p->out.len && p->out.ptr[p->out.len - 1] == '<')
		buf_addc(&p->out, ' ');
	p->copied = b;
	p->dropped++;
}

static size_t find_str(const char *s, size_t n, size_t k, const char *needle)
{
	size_t m = strlen(needle);

	for (; k + m <= n; k++) {
		const char *c = memchr(s + k, needle[0], n - k);

		if (!c)
			return n;
		k = (size_t)(c - s);
		if (k + m <= n && !memcmp(s + k, needle, m))
			return k;
	}
	return n;
}

/* Where a markup declaration or bogus comment starting at s[k] ("<!", "<?", "</") ends. */
static size_t skip_comment(const struct pre *p, size_t k)
{
	const char *s = p->s;
	size_t n = p->n, e;

	if (k + 4 <= n && !memcmp(s + k, "<!--", 4)) {
		k += 4;
		if (k < n && s[k] == '>')
			return k + 1;
		if (k + 2 <= n && !memcmp(s + k, "->", 2))
			return k + 2;
		for (; (e = find_str(s, n, k, "--")) < n; k = e + 1) {
			size_t j = e + 2;

			while (j < n && s[j] == '-')
				j++;
			if (j < n && s[j] == '>')
				return j + 1;
			if (j + 1 < n && s[j] == '!' && s[j + 1] == '>')
				return j + 2;
		}
		return n;
	}
	e = find_str(s, n, k + 2, ">");
	return e < n ? e + 1 : n;
}

/*
 * Whether gumbo reads the content of this raw text element (or plaintext)
 * as text.  In a select (not one behind a template, whose content has modes
 * of its own) it ignores the start tag, but for script and textarea (which
 * closes the select), and reads the content as markup, end tags and all.
 * The model follows its select here rather than hedge: read as markup with
 * its end tags ignored, such a text left open in the model what gumbo had
 * closed, and a later tag closing down to it closed what gumbo keeps
 * ("<select><title></select><table></table><select></title><td>" closed the
 * select in the model only, and the next <title> hid the page as raw text);
 * read as markup where gumbo reads text, a comment or a quote gumbo never
 * sees hid markup ("<select><template><title><!--</title><div>...").
 */
static int raw_read(const struct pre *p, const struct tname *t)
{
	return !strcmp(t->name, "script") || !strcmp(t->name, "textarea") || pre_select(p) < 0;
}

static void prescan(struct pre *p)
{
	const char *s = p->s;
	size_t n = p->n, i = 0;

	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t a, k;
		struct tname t;

		if (!lt)
			break;
		a = (size_t)(lt - s);
		if (a + 1 >= n)
			break;
		if (s[a + 1] == '!' || s[a + 1] == '?' ||
		    (s[a + 1] == '/' && a + 2 < n && !ascii_alpha((unsigned char)s[a + 2]))) {
			i = skip_comment(p, a);
			continue;
		}
		if (s[a + 1] == '/' && a + 2 < n) {
			k = read_name(s, n, a + 2, &t);
			k = skip_attrs(s, n, k);
			if (k > n)
				break;	/* cut by the end of input: gumbo drops it */
			if (!pre_end(p, &t) && p->hostile)
				pre_drop(p, a, k);
			i = k;
			continue;
		}
		if (!ascii_alpha((unsigned char)s[a + 1])) {
			i = a + 1;
			continue;
		}
		k = read_name(s, n, a + 1, &t);
		{
			size_t attrs = k;

			k = skip_attrs(s, n, k);
			if (k > n)
				break;
			t.attr_hash = hash_bytes(s + attrs, k - 1 - attrs);
		}
		{
			int raw = (t.info->flags & F_RAW) != 0;
			int plain = (t.info->flags & F_PLAINTEXT) != 0;

			if ((raw || plain) && !raw_read(p, &t))
				raw = plain = 0;
			if (!pre_start(p, &t)) {
				size_t e = k;

				p->hostile = 1;
				if (raw) {
					/* Its text would turn into markup: drop it all. */
					e = raw_end(s, n, k, &t);
					if (e < n)
						e = skip_attrs(s, n, read_name(s, n, e + 2, &t));
					if (e > n)
						e = n;
				}
				pre_drop(p, a, e);
				i = e;
				continue;
			}
			if (plain)
				break;
			i = raw ? raw_end(s, n, k, &t) : k;
		}
	}
}

/*
 * Renames every <svg, <math and <frameset tag (start or end, any case,
 * anywhere: a raw text the model skips may not be raw text to gumbo) by
 * changing its first letter to 'x'.  Returns a modified copy, or NULL when
 * there was nothing to rename; *count is incremented per tag.
 */
static char *rename_tags(const char *s, size_t n, size_t *count)
{
	static const char *const names[] = { "svg", "math", "frameset" };
	char *copy = NULL;

	for (const char *lt = s; (lt = memchr(lt, '<', n - (size_t)(lt - s))); lt++) {
		size_t at = (size_t)(lt - s) + 1;

		if (at < n && s[at] == '/')
			at++;
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			size_t m = strlen(names[k]), e = at + m;

			if (!ascii_ci_prefix(s + at, n - at, names[k]))
				continue;
			if (e < n && !ascii_space((unsigned char)s[e]) && s[e] != '/' && s[e] != '>')
				continue;
			if (!copy)
				copy = xmemdup(s, n);
			copy[at] = 'x';
			(*count)++;
		}
	}
	return copy;
}

int html_nesting_bound(const char *utf8, size_t len, char **out, size_t *outlen)
{
	struct pre p;
	size_t dropped = 0;
	char *renamed = rename_tags(utf8, len, &dropped);

	if (renamed)
		utf8 = renamed;
	memset(&p, 0, sizeof(p));
	p.s = utf8;
	p.n = len;
	p.limit = HTML_MAX_NESTING;
	p.st = xcalloc(p.limit + 4, sizeof(*p.st));
	p.afe = xcalloc(p.limit + 4, sizeof(*p.afe));
	buf_init(&p.out, BUF_NOLIMIT);
	prescan(&p);
	dropped += p.dropped;
	*out = NULL;
	*outlen = 0;
	if (p.dropped) {
		buf_add(&p.out, utf8 + p.copied, len - p.copied);
		*outlen = p.out.len;
		*out = buf_take(&p.out);
		free(renamed);
	} else if (renamed) {
		*outlen = len;
		*out = renamed;
	}
	buf_release(&p.out);
	free(p.st);
	free(p.afe);
	return dropped > (size_t)INT32_MAX ? INT32_MAX : (int)dropped;
}