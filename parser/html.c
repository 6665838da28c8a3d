#include "parser/html.h"

#include <gumbo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html/tree.h"
#include "parser/coll.h"
#include "util/ascii.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define HTML_MAX_INPUT ((size_t)64 << 20)
#define HTML_MAX_TEXT ((size_t)64 << 20)	/* one line, cell or title */
#define HTML_LAYOUT_TEXT 450	/* bytes: a longer text in a table is a paragraph */
#define HTML_CONTENT_IMAGE 100	/* pixels: an image declared smaller is an icon */


/*
 * The gumbo tree to struct doc.  Every walk keeps its own stack on the
 * heap, so the depth of the tree costs memory, never C stack.
 */

/*
 * s[0..*n) with each invalid sequence (a lead byte and the continuation
 * bytes after it) as one U+FFFD, as the charset layer does.  gumbo 0.10.1
 * writes such bytes for a numeric character reference past INT_MAX
 * ("&#2222222222;" wraps to a negative code point, which it encodes as the
 * single byte 0x8E), although its input is valid UTF-8.  Caller frees.
 */
static char *utf8_repair(const char *s, size_t *n)
{
	const char *p = s, *end = s + *n;
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	uint32_t cp;

	while (p < end) {
		const char *q = p;

		if ((unsigned char)*p < 0x80 || !utf8_decode(&q, end, &cp)) {
			q = q == p ? p + 1 : q;
			buf_add(&b, p, (size_t)(q - p));
		} else {
			q = p + 1;
			while (q < end && ((unsigned char)*q & 0xC0) == 0x80)
				q++;
			buf_add(&b, "\xEF\xBF\xBD", 3);
		}
		p = q;
	}
	*n = b.len;
	return buf_take(&b);
}

/*
 * Whether gumbo's text may not be valid UTF-8: the page has a numeric
 * character reference long enough to pass INT_MAX (utf8_repair()).  Other
 * pages' text goes to the collector unchecked, which saves checking every
 * byte of every page (4% of an ingest, callgrind).
 */
static int may_wrap(const char *s, size_t n)
{
	for (const char *p = s; (p = memchr(p, '&', n - (size_t)(p - s))); p++) {
		size_t k = (size_t)(p - s) + 1, digits = 0;

		if (k >= n || s[k] != '#')
			continue;
		k++;
		if (k < n && (s[k] == 'x' || s[k] == 'X'))
			k++;
		while (k < n && ((s[k] >= '0' && s[k] <= '9') ||
				 ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'f'))) {
			digits++;
			k++;
		}
		if (digits >= 7)
			return 1;
	}
	return 0;
}

/* Adds a text node's text to c, repaired when the page may_wrap(). */
static void add_text(struct coll *c, const char *s, int check)
{
	size_t n = strlen(s);
	char *fixed = NULL;

	if (check && utf8_valid_prefix(s, n) != n)
		s = fixed = utf8_repair(s, &n);
	coll_add(c, s, n);
	free(fixed);
}

struct frame {
	GumboNode *node;
	unsigned int next;	/* next child to visit */
	int data_table;		/* node is a table whose text stays out of the lines */
};

struct walk {
	struct frame *st;
	size_t sp, alloc;
};

static void walk_push(struct walk *w, GumboNode *node)
{
	ALLOC_GROW(w->st, w->sp + 1, w->alloc);
	w->st[w->sp].node = node;
	w->st[w->sp].next = 0;
	w->st[w->sp].data_table = 0;
	w->sp++;
}

static const GumboVector *children(GumboNode *node)
{
	if (node->type == GUMBO_NODE_DOCUMENT)
		return &node->v.document.children;
	if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
		return &node->v.element.children;
	return NULL;
}

static int is_text(const GumboNode *node)
{
	return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
	       node->type == GUMBO_NODE_CDATA;
}

static int is_tag(const GumboNode *node, GumboTag tag)
{
	return node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == tag;
}

/* Elements whose content is never page text. */
static int skipped(const GumboNode *node)
{
	if (node->type == GUMBO_NODE_TEMPLATE)
		return 1;
	if (node->type != GUMBO_NODE_ELEMENT)
		return 0;
	switch (node->v.element.tag) {
	case GUMBO_TAG_SCRIPT:
	case GUMBO_TAG_STYLE:
	case GUMBO_TAG_NOSCRIPT:
	case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_SELECT:
		return 1;
	default:
		return 0;
	}
}

/* Elements that start a new line of text (and a break inside a cell). */
static int is_block(const GumboNode *node)
{
	if (node->type != GUMBO_NODE_ELEMENT)
		return 0;
	switch (node->v.element.tag) {
	case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION:
	case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR:
	case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
	case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
	case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
	case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HEADER:
	case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_HTML: case GUMBO_TAG_LI:
	case GUMBO_TAG_LISTING: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
	case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION:
	case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY:
	case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TH: case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TR: case GUMBO_TAG_UL: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
	case GUMBO_TAG_LEGEND: case GUMBO_TAG_OPTION:
		return 1;
	default:
		return 0;
	}
}

/*
 * The text of node's subtree (a cell or the title): nested tables and
 * non-text elements left out, <br> and block boundaries joining words.
 */
static char *subtree_text(GumboNode *root, struct walk *w, int check)
{
	struct coll c;

	coll_init(&c, HTML_MAX_TEXT);
	w->sp = 0;
	walk_push(w, root);
	while (w->sp) {
		struct frame *f = &w->st[w->sp - 1];
		const GumboVector *kids = children(f->node);
		GumboNode *kid;

		if (!kids || f->next >= kids->length) {
			if (is_block(f->node) && f->node != root)
				c.brk = 1;
			w->sp--;
			continue;
		}
		kid = kids->data[f->next++];
		if (is_text(kid)) {
			add_text(&c, kid->v.text.text, check);
		} else if (is_tag(kid, GUMBO_TAG_BR) || is_tag(kid, GUMBO_TAG_TABLE)) {
			/* A nested table is a table of its own, and a break in this text. */
			c.brk = 1;
		} else if (kid->type == GUMBO_NODE_ELEMENT && !skipped(kid)) {
			if (is_block(kid))
				c.brk = 1;
			walk_push(w, kid);
		}
	}
	return coll_take(&c);
}

/* Document state while walking: tables found, the line being built. */
struct html_ctx {
	struct doc *doc;
	struct walk w;		/* the main walk */
	struct walk sub;	/* walks of cells and the title */
	GumboNode **tables;
	size_t ntables, tables_alloc;
	struct coll line;
	int check;		/* gumbo's text may need utf8_repair() (may_wrap()) */
};

static void flush_line(struct html_ctx *x)
{
	if (x->line.b.len)
		doc_add_line(x->doc, x->line.b.ptr, x->line.b.len);
	coll_reset(&x->line);
}

/*
 * Whether a table only lays the page out: it holds another table, or a
 * text too long for any figure or label (a paragraph of the report).
 * Pages that wrap the whole report in such a table keep its text as lines.
 */
static int layout_table(GumboNode *table, struct walk *w)
{
	w->sp = 0;
	walk_push(w, table);
	while (w->sp) {
		struct frame *f = &w->st[w->sp - 1];
		const GumboVector *kids = children(f->node);
		GumboNode *kid;

		if (!kids || f->next >= kids->length) {
			w->sp--;
			continue;
		}
		kid = kids->data[f->next++];
		if (is_tag(kid, GUMBO_TAG_TABLE))
			return 1;
		if (is_text(kid) && strlen(kid->v.text.text) > HTML_LAYOUT_TEXT)
			return 1;
		if (kid->type == GUMBO_NODE_ELEMENT && !skipped(kid))
			walk_push(w, kid);
	}
	return 0;
}

/* The metadata TRS and Hanweb pages carry: the article's title and its source office. */
static void cms_field(struct doc *doc, GumboNode *meta)
{
	static const char *const titles[] = { "ArticleTitle", "ucaptitle" };
	static const char *const sources[] = { "ContentSource" };
	const GumboAttribute *name = gumbo_get_attribute(&meta->v.element.attributes, "name");
	const GumboAttribute *content = gumbo_get_attribute(&meta->v.element.attributes, "content");
	char **slot = NULL;

	if (!name || !content || !*content->value || strlen(content->value) > 1024)
		return;
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (!strcasecmp(name->value, titles[i]))
			slot = &doc->cms_title;
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (!strcasecmp(name->value, sources[i]))
			slot = &doc->cms_source;
	if (slot && !*slot)
		*slot = xstrdup(content->value);
}

/*
 * Whether an <img> shows the report (a table or a page as a picture)
 * rather than the site around it: not in a link, header, nav or footer,
 * not declared smaller than HTML_CONTENT_IMAGE pixels either way, not
 * served from the site's own folders of chrome (/images/, /static/, ...:
 * uploaded pictures live beside the article or under an upload folder),
 * and not named a logo, icon, banner or QR code.
 */
static int content_image(GumboNode *img, const struct walk *w)
{
	static const char *const chrome_dirs[] = {
		"/images/", "/image/", "/img/", "/imgs/", "/static/", "/style/", "/styles/",
		"/css/", "/skin/", "/skins/", "/res/", "/common/", "/template/", "/templates/",
		"/theme/", "/themes/", "/assets/", "/dist/", "/public/", NULL
	};
	static const char *const chrome_names[] = {
		"logo", "icon", "banner", "ewm", "qrcode", "erweima", "btn", "button", "arrow",
		"spacer", "blank.gif", NULL
	};
	static const char *const dims[] = { "width", "height", NULL };
	const GumboVector *attrs = &img->v.element.attributes;
	const GumboAttribute *src = gumbo_get_attribute(attrs, "src");
	size_t n;

	for (size_t i = 0; i < w->sp; i++) {
		const GumboNode *up = w->st[i].node;

		if (is_tag(up, GUMBO_TAG_A) || is_tag(up, GUMBO_TAG_HEADER) ||
		    is_tag(up, GUMBO_TAG_NAV) || is_tag(up, GUMBO_TAG_FOOTER))
			return 0;
	}
	for (size_t i = 0; dims[i]; i++) {
		const GumboAttribute *a = gumbo_get_attribute(attrs, dims[i]);
		char *end;
		long v;

		if (!a)
			continue;
		v = strtol(a->value, &end, 10);
		if (end != a->value && v < HTML_CONTENT_IMAGE)
			return 0;
	}
	if (!src || !*src->value)
		return 0;
	n = strlen(src->value);
	for (size_t i = 0; chrome_dirs[i]; i++)
		if (ascii_ci_prefix(src->value, n, chrome_dirs[i]))
			return 0;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; chrome_names[i]; i++)
			if (ascii_ci_prefix(src->value + k, n - k, chrome_names[i]))
				return 0;
	return 1;
}

/*
 * Pre-order walk of the whole page: the title, the lines outside data
 * tables, the tables down to HTML_MAX_DEPTH levels of nesting, and a count
 * of the images that show content (doc->images) with their src (doc->pictures).
 */
static void walk_page(struct html_ctx *x, GumboNode *root)
{
	struct walk *w = &x->w;
	size_t table_depth = 0, data_depth = 0;

	walk_push(w, root);
	while (w->sp) {
		struct frame *f = &w->st[w->sp - 1];
		const GumboVector *kids = children(f->node);
		GumboNode *kid;

		if (!kids || f->next >= kids->length) {
			if (is_tag(f->node, GUMBO_TAG_TABLE)) {
				table_depth--;
				data_depth -= f->data_table != 0;
			}
			if (!data_depth && is_block(f->node))
				flush_line(x);
			w->sp--;
			continue;
		}
		kid = kids->data[f->next++];
		if (is_text(kid)) {
			if (!data_depth)
				add_text(&x->line, kid->v.text.text, x->check);
			continue;
		}
		if (kid->type != GUMBO_NODE_ELEMENT || skipped(kid))
			continue;
		if (is_tag(kid, GUMBO_TAG_TITLE)) {
			if (!x->doc->title) {
				char *t = subtree_text(kid, &x->sub, x->check);

				if (*t)
					x->doc->title = t;
				else
					free(t);
			}
			continue;
		}
		if (is_tag(kid, GUMBO_TAG_META)) {
			cms_field(x->doc, kid);
			continue;
		}
		if (is_tag(kid, GUMBO_TAG_IMG)) {
			if (content_image(kid, w)) {
				x->doc->images++;
				doc_add_picture(x->doc, gumbo_get_attribute(&kid->v.element.attributes,
									   "src")->value);
			}
			continue;
		}
		if (is_tag(kid, GUMBO_TAG_BR)) {
			if (!data_depth)
				flush_line(x);
			continue;
		}
		if (is_tag(kid, GUMBO_TAG_TABLE)) {
			int data;

			if (table_depth >= HTML_MAX_DEPTH)
				continue;
			data = !layout_table(kid, &x->sub);
			if (!data_depth)
				flush_line(x);
			table_depth++;
			data_depth += data;
			ALLOC_GROW(x->tables, x->ntables + 1, x->tables_alloc);
			x->tables[x->ntables++] = kid;
			walk_push(w, kid);
			w->st[w->sp - 1].data_table = data;
			continue;
		}
		if (!data_depth && is_block(kid))
			flush_line(x);
		walk_push(w, kid);
	}
	flush_line(x);
}

/* The table's own rows: its tr children and those of its row groups, in order. */
static size_t table_rows(GumboNode *table, GumboNode ***rows)
{
	const GumboVector *kids = &table->v.element.children;
	size_t n = 0, alloc = 0;

	*rows = NULL;
	for (unsigned int i = 0; i < kids->length && n < HTML_MAX_ROWS; i++) {
		GumboNode *k = kids->data[i];

		if (is_tag(k, GUMBO_TAG_TR)) {
			ALLOC_GROW(*rows, n + 1, alloc);
			(*rows)[n++] = k;
		} else if (is_tag(k, GUMBO_TAG_TBODY) || is_tag(k, GUMBO_TAG_THEAD) ||
			   is_tag(k, GUMBO_TAG_TFOOT)) {
			const GumboVector *g = &k->v.element.children;

			for (unsigned int j = 0; j < g->length && n < HTML_MAX_ROWS; j++) {
				if (is_tag(g->data[j], GUMBO_TAG_TR)) {
					ALLOC_GROW(*rows, n + 1, alloc);
					(*rows)[n++] = g->data[j];
				}
			}
		}
	}
	return n;
}

/*
 * A rowspan or colspan: the digits after optional white space and '+'
 * (as the HTML rules for non-negative integers), 1 when absent, invalid
 * or zero, at most HTML_MAX_SPAN.
 */
static unsigned span_of(GumboNode *cell, const char *attr)
{
	const GumboAttribute *a = gumbo_get_attribute(&cell->v.element.attributes, attr);
	const char *p;
	unsigned v = 0;

	if (!a)
		return 1;
	p = a->value;
	while (ascii_space((unsigned char)*p))
		p++;
	if (*p == '+')
		p++;
	while (*p >= '0' && *p <= '9' && v <= HTML_MAX_SPAN)
		v = v * 10 + (unsigned)(*p++ - '0');
	if (!v)
		return 1;
	return v > HTML_MAX_SPAN ? HTML_MAX_SPAN : v;
}

struct gcell {
	char *text;
	size_t row;	/* the row it starts in */
};

/*
 * Lays one table out on a grid (the HTML table model, spans clamped) and
 * adds a doc_row per grid row.  A cell that would overlap one placed
 * earlier is cut where they meet, so each slot is written once.
 */
static void emit_table(struct html_ctx *x, GumboNode *table, int index)
{
	GumboNode **rows;
	size_t nrows = table_rows(table, &rows), width = 0, ncells = 0, cells_alloc = 0;
	uint32_t *slot = NULL;
	struct gcell *cells = NULL;

	if (!nrows)
		goto out;
	slot = xcalloc(st_mult(nrows, HTML_MAX_COLS), sizeof(*slot));
	for (size_t y = 0; y < nrows; y++) {
		const GumboVector *tds = &rows[y]->v.element.children;
		size_t cx = 0;

		for (unsigned int i = 0; i < tds->length; i++) {
			GumboNode *td = tds->data[i];
			size_t cs, rs;
			uint32_t id;

			if (!is_tag(td, GUMBO_TAG_TD) && !is_tag(td, GUMBO_TAG_TH))
				continue;
			while (cx < HTML_MAX_COLS && slot[y * HTML_MAX_COLS + cx])
				cx++;
			if (cx >= HTML_MAX_COLS)
				break;
			cs = span_of(td, "colspan");
			rs = span_of(td, "rowspan");
			if (cs > HTML_MAX_COLS - cx)
				cs = HTML_MAX_COLS - cx;
			if (rs > nrows - y)
				rs = nrows - y;
			ALLOC_GROW(cells, ncells + 1, cells_alloc);
			cells[ncells].text = subtree_text(td, &x->sub, x->check);
			cells[ncells].row = y;
			id = (uint32_t)++ncells;
			for (size_t dy = 0; dy < rs; dy++) {
				uint32_t *r = &slot[(y + dy) * HTML_MAX_COLS + cx];

				if (r[0])
					break;
				for (size_t dx = 0; dx < cs && !r[dx]; dx++)
					r[dx] = id;
			}
			cx += cs;
			if (cx > width)
				width = cx;
		}
	}
	for (size_t y = 0; y < nrows; y++) {
		const uint32_t *r = &slot[y * HTML_MAX_COLS];
		char **v = xcalloc(width ? width : 1, sizeof(*v));
		unsigned char *carried = xcalloc(width ? width : 1, 1);
		unsigned short *cols = xcalloc(width ? width : 1, sizeof(*cols));
		size_t k = 0;

		for (size_t cx = 0; cx < width; cx++) {
			if (!r[cx] || (cx && r[cx - 1] == r[cx]))
				continue;
			v[k] = xstrdup(cells[r[cx] - 1].text);
			carried[k] = cells[r[cx] - 1].row != y;
			cols[k] = (unsigned short)cx;	/* < HTML_MAX_COLS */
			k++;
		}
		if (!k) {
			free(v);
			free(carried);
			free(cols);
			continue;
		}
		doc_add_row(x->doc, v, carried, cols, k, index, (int)y);
	}
out:
	for (size_t i = 0; i < ncells; i++)
		free(cells[i].text);
	free(cells);
	free(slot);
	free(rows);
}

int html_parse(const char *utf8, size_t len, struct doc *doc, struct err *err)
{
	struct html_tree t = { 0 };
	struct html_ctx x;
	int ret = 0;

	memset(&x, 0, sizeof(x));
	coll_init(&x.line, HTML_MAX_TEXT);
	x.doc = doc;
	x.check = may_wrap(utf8, len);
	if (len > HTML_MAX_INPUT) {
		ret = err_set(err, OGI_ETOOBIG,
			      "cannot parse page: %zu bytes, over the %zu MiB limit", len,
			      HTML_MAX_INPUT >> 20);
		goto out;
	}
	if (html_tree_parse(&t, utf8, len)) {
		ret = err_set(err, OGI_EPARSE, "cannot parse page as HTML");
		goto out;
	}
	doc->from_html = 1;
	walk_page(&x, t.out->document);
	for (size_t i = 0; i < x.ntables; i++)
		emit_table(&x, x.tables[i], (int)i);
	doc->ntables = x.ntables;
out:
	html_tree_release(&t);
	free(x.w.st);
	free(x.sub.st);
	free(x.tables);
	coll_release(&x.line);
	return ret;
}

/* Whether s[0..n) starts with the lowercase name followed by a tag delimiter. */
static int tag_name_at(const char *s, size_t n, const char *name)
{
	size_t m = strlen(name);

	if (!ascii_ci_prefix(s, n, name))
		return 0;
	if (name[0] == '!')
		return 1;
	return m < n && (ascii_space((unsigned char)s[m]) || s[m] == '>' || s[m] == '/');
}

int html_sniff(const char *bytes, size_t len)
{
	static const char *const first[] = {
		"!doctype", "!--", "html", "head", "body", "meta", "div", "p", "table", "title"
	};
	static const char *const anywhere[] = { "table", "p", "div" };
	size_t i = 0, end, far = len < ((size_t)64 << 10) ? len : (size_t)64 << 10;

	if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (ascii_space((unsigned char)bytes[i]) || bytes[i] == '\v'))
		i++;
	end = len - i < 1024 ? len : i + 1024;
	for (size_t k = i; k < end; k++) {
		if (bytes[k] != '<')
			continue;
		for (size_t j = 0; j < sizeof(first) / sizeof(first[0]); j++)
			if (tag_name_at(bytes + k + 1, len - k - 1, first[j]))
				return 1;
	}
	for (size_t k = 0; k < far; k++) {
		const char *lt = memchr(bytes + k, '<', far - k);

		if (!lt)
			break;
		k = (size_t)(lt - bytes);
		for (size_t j = 0; j < sizeof(anywhere) / sizeof(anywhere[0]); j++)
			if (tag_name_at(bytes + k + 1, len - k - 1, anywhere[j]))
				return 1;
	}
	return 0;
}
