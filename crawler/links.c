#include "crawler/links.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <gumbo.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/url.h"
#include "html/tree.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

const char LINKS_REPORT_PATTERN[] =
	"信息公开(?:工作)?年度?报告|信息公开(?:工作)?报告|信息公开(?:工作)?年报|工作年报|年度报告";
const char LINKS_EXCLUDE_PATTERN[] =
	"政府工作报告|统计|企业|公示|决算|预算|审计|财务|社会责任|述职|国民经济";

/* Texts that say 信息公开 are reports whatever else they say. */
static const char strong_pattern[] = "信息公开|政务公开";
static const char pager_pattern[] =
	"^[\\[【〔<《«\\s]*(?:下一?页|下页|尾页|末页|最后一?页|next|last)[\\]】〕>》»\\s]*$";
static const char number_pattern[] = "^[\\[【]?\\s*[0-9]{1,3}\\s*[\\]】]?$";
static const char query_pattern[] =
	"(?:^|&)(?:page|pageno|pagenum|pageindex|curpage|p|pn)=[0-9]{1,6}(?:&|$)";
static const char create_page_pattern[] =
	"createPageHTML\\s*\\(\\s*(?:(['\"])[^'\"]{0,64}\\1\\s*,\\s*)?(\\w{1,64})\\s*,\\s*"
	"(\\w{1,64})\\s*,\\s*(['\"])([\\w.-]{1,64})\\4\\s*,\\s*(['\"])(\\w{1,8})\\6";

#define SCRIPT_MAX (1024 * 1024)

struct rx {
	pcre2_code *report, *exclude, *strong, *pager, *number, *query, *create_page;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

static pcre2_code *rx_compile(const char *pat, struct err *err)
{
	int code;
	PCRE2_SIZE off;
	uint32_t flags = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, flags, &code, &off,
				       NULL);

	if (!re) {
		PCRE2_UCHAR msg[128];

		pcre2_get_error_message(code, msg, sizeof(msg));
		err_set(err, OGI_EINVAL, "bad pattern '%s' at offset %zu: %s", pat, (size_t)off,
			(const char *)msg);
	}
	return re;
}

static void rx_release(struct rx *rx)
{
	pcre2_code_free(rx->report);
	pcre2_code_free(rx->exclude);
	pcre2_code_free(rx->strong);
	pcre2_code_free(rx->pager);
	pcre2_code_free(rx->number);
	pcre2_code_free(rx->query);
	pcre2_code_free(rx->create_page);
	pcre2_match_data_free(rx->md);
	pcre2_match_context_free(rx->mctx);
	memset(rx, 0, sizeof(*rx));
}

static int rx_init(struct rx *rx, const struct links_opts *opts, struct err *err)
{
	const char *rep = opts && opts->report_pattern ? opts->report_pattern
						       : LINKS_REPORT_PATTERN;
	const char *exc = opts && opts->exclude_pattern ? opts->exclude_pattern
							  : LINKS_EXCLUDE_PATTERN;

	memset(rx, 0, sizeof(*rx));
	if (!(rx->report = rx_compile(rep, err)))
		goto fail;
	if (exc[0] && !(rx->exclude = rx_compile(exc, err)))
		goto fail;
	if (!(rx->strong = rx_compile(strong_pattern, err)) ||
	    !(rx->pager = rx_compile(pager_pattern, err)) ||
	    !(rx->number = rx_compile(number_pattern, err)) ||
	    !(rx->query = rx_compile(query_pattern, err)) ||
	    !(rx->create_page = rx_compile(create_page_pattern, err)))
		goto fail;
	rx->md = pcre2_match_data_create(16, NULL);
	rx->mctx = pcre2_match_context_create(NULL);
	if (!rx->md || !rx->mctx) {
		err_set(err, OGI_EINVAL, "cannot allocate pattern match data");
		goto fail;
	}
	/* a caller's pattern must not backtrack for ever on a hostile text */
	pcre2_set_match_limit(rx->mctx, 1000000);
	pcre2_set_depth_limit(rx->mctx, 10000);
	return 0;
fail:
	rx_release(rx);
	return OGI_EINVAL;
}

static int rx_match(struct rx *rx, pcre2_code *re, const char *s, size_t n, size_t start)
{
	if (!re || !s)
		return 0;
	return pcre2_match(re, (PCRE2_SPTR)s, n, start, 0, rx->md, rx->mctx) > 0;
}

static int rx_test(struct rx *rx, pcre2_code *re, const char *s)
{
	return s ? rx_match(rx, re, s, strlen(s), 0) : 0;
}

/* ---- text ---- */

/* Length of a white-space character at s (ASCII, NBSP, U+2000-U+200B, U+3000, U+FEFF), else 0. */
static size_t space_len(const unsigned char *s, const unsigned char *end)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		return 1;
	if (end - s >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
		return 2;
	if (end - s >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	if (end - s >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x80 && s[2] <= 0x8b)
		return 3;
	if (end - s >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3;
	return 0;
}

/* Appends s to b with white-space runs as one space; *pending carries a space across calls. */
static void add_collapsed(struct buf *b, const char *s, int *pending)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);

	while (p < end) {
		size_t sl = space_len(p, end);

		if (sl) {
			*pending = 1;
			p += sl;
			continue;
		}
		if (*pending && b->len)
			buf_addc(b, ' ');
		*pending = 0;
		buf_addc(b, (char)*p++);
	}
}

/* Takes the text of b, cut to a whole UTF-8 prefix (b is bounded by LINKS_MAX_TEXT). */
static char *take_text(struct buf *b)
{
	size_t n = utf8_valid_prefix(buf_str(b), b->len);

	if (n < b->len) {
		b->len = n;
		b->ptr[n] = '\0';
	}
	while (b->len && b->ptr[b->len - 1] == ' ')
		b->ptr[--b->len] = '\0';
	return buf_take(b);
}

static const GumboVector *children_of(const GumboNode *n)
{
	if (n->type == GUMBO_NODE_DOCUMENT)
		return &n->v.document.children;
	if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
		return &n->v.element.children;
	return NULL;
}

struct frame {
	const GumboNode *node;
	size_t depth;
};

struct stack {
	struct frame *v;
	size_t n, alloc;
};

static void push(struct stack *st, const GumboNode *node, size_t depth)
{
	ALLOC_GROW(st->v, st->n + 1, st->alloc);
	st->v[st->n].node = node;
	st->v[st->n].depth = depth;
	st->n++;
}

/* Pushes the children of node in reverse, so that they pop in document order. */
static void push_children(struct stack *st, const GumboNode *node, size_t depth)
{
	const GumboVector *c = children_of(node);
	size_t i;

	if (!c || depth >= LINKS_MAX_DEPTH)
		return;
	for (i = c->length; i > 0; i--)
		push(st, c->data[i - 1], depth + 1);
}

/* The visible text under an anchor (img alt when it has no text), collapsed and bounded. */
static char *anchor_text(const GumboNode *a, size_t depth, struct stack *st)
{
	struct buf b = BUF_INIT(LINKS_MAX_TEXT);
	struct buf alt = BUF_INIT(LINKS_MAX_TEXT);
	size_t base = st->n;
	int pending = 0, apending = 0;

	push_children(st, a, depth);
	while (st->n > base) {
		struct frame f = st->v[--st->n];

		if (f.node->type == GUMBO_NODE_TEXT || f.node->type == GUMBO_NODE_WHITESPACE ||
		    f.node->type == GUMBO_NODE_CDATA) {
			add_collapsed(&b, f.node->v.text.text, &pending);
		} else if (f.node->type == GUMBO_NODE_ELEMENT) {
			GumboTag tag = f.node->v.element.tag;

			if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE)
				continue;
			if (tag == GUMBO_TAG_IMG) {
				const GumboVector *attrs = &f.node->v.element.attributes;
				GumboAttribute *at = gumbo_get_attribute(attrs, "alt");

				if (at)
					add_collapsed(&alt, at->value, &apending);
				apending = 1;
			}
			push_children(st, f.node, f.depth);
		}
	}
	if (!b.len && alt.len) {
		buf_release(&b);
		return take_text(&alt);
	}
	buf_release(&alt);
	return take_text(&b);
}

static char *attr_text(const GumboNode *el, const char *name)
{
	GumboAttribute *at = gumbo_get_attribute(&el->v.element.attributes, name);
	struct buf b = BUF_INIT(LINKS_MAX_TEXT);
	int pending = 0;
	char *s;

	if (!at)
		return NULL;
	add_collapsed(&b, at->value, &pending);
	s = take_text(&b);
	if (!s[0]) {
		free(s);
		return NULL;
	}
	return s;
}

/* ---- lists ---- */

static void link_release(struct link *l)
{
	free(l->url);
	free(l->text);
	free(l->title);
}

static void list_release(struct link_list *ll)
{
	size_t i;

	for (i = 0; i < ll->n; i++)
		link_release(&ll->v[i]);
	free(ll->v);
	ll->v = NULL;
	ll->n = ll->alloc = 0;
}

void links_init(struct links *l)
{
	memset(l, 0, sizeof(*l));
}

void links_release(struct links *l)
{
	list_release(&l->all);
	list_release(&l->reports);
	list_release(&l->pages);
	list_release(&l->attachments);
}

static void list_add(struct link_list *ll, const char *url, const char *text, const char *title,
		     unsigned kind)
{
	struct link *l;

	ALLOC_GROW(ll->v, ll->n + 1, ll->alloc);
	l = &ll->v[ll->n++];
	l->url = xstrdup(url);
	l->text = xstrdup(text ? text : "");
	l->title = title ? xstrdup(title) : NULL;
	l->kind = kind;
}

struct order {
	const char *url;
	size_t idx;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	int c = strcmp(x->url, y->url);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void keep_longer(char **dst, char **src)
{
	if (*src && (!*dst || strlen(*src) > strlen(*dst))) {
		free(*dst);
		*dst = *src;
		*src = NULL;
	}
}

/*
 * Removes later duplicates of a URL, keeping document order; the first
 * occurrence takes the longest text and title and all kinds of its copies.
 */
static void list_dedupe(struct link_list *ll)
{
	struct order *o;
	unsigned char *drop;
	size_t i, j, w;

	if (ll->n < 2)
		return;
	o = xreallocarray(NULL, ll->n, sizeof(*o));
	drop = xcalloc(ll->n, 1);
	for (i = 0; i < ll->n; i++) {
		o[i].url = ll->v[i].url;
		o[i].idx = i;
	}
	qsort(o, ll->n, sizeof(*o), order_cmp);
	for (i = 0; i < ll->n; i = j) {
		struct link *first = &ll->v[o[i].idx];

		for (j = i + 1; j < ll->n && !strcmp(o[j].url, o[i].url); j++) {
			struct link *dup = &ll->v[o[j].idx];

			keep_longer(&first->text, &dup->text);
			keep_longer(&first->title, &dup->title);
			first->kind |= dup->kind;
			drop[o[j].idx] = 1;
		}
	}
	for (i = w = 0; i < ll->n; i++) {
		if (drop[i]) {
			link_release(&ll->v[i]);
			continue;
		}
		ll->v[w++] = ll->v[i];
	}
	ll->n = w;
	free(o);
	free(drop);
}

/* ---- classification ---- */

static const char *const attachment_exts[] = {
	".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ofd", NULL
};

/* The path part of a canonical URL: [start of path, '?' or end). */
static void path_span(const char *url, size_t *start, size_t *end)
{
	const char *p = strstr(url, "://");
	const char *slash = p ? strchr(p + 3, '/') : NULL;
	const char *q;

	*start = slash ? (size_t)(slash - url) : strlen(url);
	q = strchr(url + *start, '?');
	*end = q ? (size_t)(q - url) : strlen(url);
}

static int is_attachment(const char *url)
{
	size_t s, e, i;
	const char *const *x;

	path_span(url, &s, &e);
	for (x = attachment_exts; *x; x++) {
		size_t xl = strlen(*x);

		if (e - s < xl)
			continue;
		for (i = 0; i < xl; i++) {
			char c = url[e - xl + i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if (c != (*x)[i])
				break;
		}
		if (i == xl)
			return 1;
	}
	return 0;
}

/* Length of the directory part of a canonical URL (through the last '/' of its path). */
static size_t dir_len(const char *url)
{
	size_t s, e;

	path_span(url, &s, &e);
	while (e > s && url[e - 1] != '/')
		e--;
	return e;
}

enum { INDEX_ANY, INDEX_PLAIN, INDEX_NUMBERED };

/* "index.html" (INDEX_PLAIN), "index_3.htm", "index_12.shtml" (INDEX_NUMBERED) */
static int is_index_name(const char *s, size_t n, int which)
{
	size_t i = 5;

	if (n < 9 || memcmp(s, "index", 5))
		return 0;
	if (s[i] == '_') {
		size_t d = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d || i - d > 4 || which == INDEX_PLAIN)
			return 0;
	} else if (which == INDEX_NUMBERED) {
		return 0;
	}
	return (n - i == 4 && !memcmp(s + i, ".htm", 4)) ||
	       (n - i == 5 && (!memcmp(s + i, ".html", 5) || !memcmp(s + i, ".shtm", 5))) ||
	       (n - i == 6 && !memcmp(s + i, ".shtml", 6));
}

/*
 * url with a trailing index.htm(l) dropped (also index_N.htm(l) when which
 * is INDEX_ANY), for "is this the page itself / its column" tests.
 */
static char *index_key(const char *url, int which)
{
	size_t d = dir_len(url), n = strlen(url);

	if (!strchr(url + d, '?') && is_index_name(url + d, n - d, which))
		return xstrndup(url, d);
	return xstrdup(url);
}

struct ctx {
	const char *page;	/* canonical page URL */
	char *page_host;
	char *page_key;		/* index_key(page, INDEX_PLAIN) */
	char *column_key;	/* index_key(page, INDEX_ANY) */
	size_t page_dir;	/* dir_len(page) */
	const char *base;	/* resolution base: <base href> or the page */
	const struct url_opts *url_opts;
	struct rx rx;
	struct links *out;
};

static int is_report(struct ctx *c, const char *text)
{
	if (!text || !rx_test(&c->rx, c->rx.report, text))
		return 0;
	if (c->rx.exclude && rx_test(&c->rx, c->rx.exclude, text) &&
	    !rx_test(&c->rx, c->rx.strong, text))
		return 0;
	return 1;
}

static int same_host(struct ctx *c, const char *url)
{
	char *h = url_host(url);
	int r = h && c->page_host && !strcmp(h, c->page_host);

	free(h);
	return r;
}

static int is_page_link(struct ctx *c, const char *url, const char *text, const char *title)
{
	size_t d, s, e;
	const char *q;

	if (!same_host(c, url))
		return 0;
	if (rx_test(&c->rx, c->rx.pager, text) || rx_test(&c->rx, c->rx.pager, title) ||
	    rx_test(&c->rx, c->rx.number, text))
		return 1;
	d = dir_len(url);
	q = strchr(url, '?');
	if (!q && d == c->page_dir && !strncmp(url, c->page, d) &&
	    is_index_name(url + d, strlen(url) - d, INDEX_NUMBERED))
		return 1;
	/* ?page=N on the same path */
	path_span(url, &s, &e);
	if (q && (size_t)(q - url) == e && !strncmp(url, c->page, e) &&
	    (c->page[e] == '\0' || c->page[e] == '?') &&
	    rx_test(&c->rx, c->rx.query, q + 1))
		return 1;
	return 0;
}

static int is_self(struct ctx *c, const char *url)
{
	char *k = index_key(url, INDEX_PLAIN);
	int r = !strcmp(k, c->page_key);

	free(k);
	return r;
}

/* A link back to the first page of the listing being read (its column), or to the page itself. */
static int is_own_column(struct ctx *c, const char *url)
{
	char *k = index_key(url, INDEX_ANY);
	int r = !strcmp(k, c->column_key);

	free(k);
	return r || is_self(c, url);
}

/*
 * A listing page already in hand: the page itself, or from page N of a
 * column (dir/index_N.htm) a link to dir/ or dir/index.htm (首页, 上一页
 * on page 2): the first page, where the crawl of the column began under
 * one of those names.  Listing it would fetch it twice.
 */
static int is_known_page(struct ctx *c, const char *url)
{
	char *k = index_key(url, INDEX_PLAIN);
	int r = !strcmp(k, c->page_key) ||
		(strcmp(c->page_key, c->column_key) && !strcmp(k, c->column_key));

	free(k);
	return r;
}

int links_is_module_report(const char *url)
{
	char *pq = url ? url_path_query(url) : NULL;
	int r;

	if (!pq)
		return 0;
	r = !strncmp(pq, "/module/xxgk/xxgkAnnualReport.jsp?", 34) ||
	    (!strncmp(pq, "/XxgkAnnualReport/show/", 23) && !strchr(pq + 23, '/') && pq[23]);
	free(pq);
	return r;
}

static void add_anchor(struct ctx *c, const char *href, const char *text, const char *title)
{
	char *url;
	unsigned kind = 0;

	if (!href[0] || href[0] == '#')
		return;
	url = url_resolve_opts(c->base, href, c->url_opts);
	if (!url)
		return;
	/* the column's own name (政府信息公开年报) in its menus is not a report */
	if (((is_report(c, text) || is_report(c, title)) && !is_own_column(c, url)) ||
	    links_is_module_report(url))
		kind |= LINK_REPORT;
	if (is_attachment(url))
		kind |= LINK_ATTACHMENT;
	if (!(kind & LINK_ATTACHMENT) && is_page_link(c, url, text, title) &&
	    !is_known_page(c, url))
		kind |= LINK_PAGE;
	list_add(&c->out->all, url, text, title, kind);
	if (kind & LINK_REPORT)
		list_add(&c->out->reports, url, text, title, kind);
	if (kind & LINK_PAGE)
		list_add(&c->out->pages, url, text, title, kind);
	if (kind & LINK_ATTACHMENT)
		list_add(&c->out->attachments, url, text, title, kind);
	free(url);
}

/* ---- createPageHTML(n, cur, "index", "html") ---- */

static long parse_count(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (!n || n > 6)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The value of "name = 123" in the script (an identifier passed as the page count), or -1. */
static long lookup_var(struct ctx *c, const char *script, size_t len, const char *name, size_t nl)
{
	struct buf pat = BUF_INIT(256);
	pcre2_code *re;
	long v = -1;
	struct err e = ERR_INIT;

	/* name matched \w{1,64}: no character of it is special in a pattern */
	buf_adds(&pat, "(?<![\\w.$])");
	buf_add(&pat, name, nl);
	buf_adds(&pat, "\\s*=\\s*([0-9]{1,6})(?![0-9])");
	re = rx_compile(buf_str(&pat), &e);
	if (re && rx_match(&c->rx, re, script, len, 0)) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->rx.md);

		v = parse_count(script + ov[2], ov[3] - ov[2]);
	}
	pcre2_code_free(re);
	buf_release(&pat);
	return v;
}

static void add_generated_pages(struct ctx *c, const char *script, size_t len)
{
	size_t start = 0, made = 0;

	while (start < len && made < LINKS_MAX_PAGES &&
	       rx_match(&c->rx, c->rx.create_page, script, len, start)) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->rx.md);
		size_t ns = ov[4], nn = ov[5] - ov[4];
		char prefix[80], ext[16];
		long pages, i;

		snprintf(prefix, sizeof(prefix), "%.*s", (int)(ov[11] - ov[10]), script + ov[10]);
		snprintf(ext, sizeof(ext), "%.*s", (int)(ov[15] - ov[14]), script + ov[14]);
		start = ov[1] > start ? ov[1] : start + 1;
		pages = parse_count(script + ns, nn);
		if (pages < 0) {
			char name[80];

			snprintf(name, sizeof(name), "%.*s", (int)nn, script + ns);
			pages = lookup_var(c, script, len, name, strlen(name));
		}
		for (i = 0; i < pages && made < LINKS_MAX_PAGES; i++) {
			char ref[128];
			char *url;

			if (i == 0)
				snprintf(ref, sizeof(ref), "%s.%s", prefix, ext);
			else
				snprintf(ref, sizeof(ref), "%s_%ld.%s", prefix, i, ext);
			url = url_resolve_opts(c->base, ref, c->url_opts);
			if (url && !is_known_page(c, url)) {
				list_add(&c->out->pages, url, "", NULL, LINK_PAGE);
				made++;
			}
			free(url);
		}
	}
}

/* ---- the walk ---- */

struct anchor {
	char *href, *text, *title;
};

/* What one pass over the tree collects; anchors are resolved afterwards (<base href>). */
struct walk {
	struct stack st;
	struct anchor *anchors;
	size_t nanchors, aanchors;
	size_t cut;		/* anchors past LINKS_MAX_LINKS, not read */
	char *base_href;
	struct buf script;	/* the text of every <script>, for createPageHTML() */
};

static void walk_script(struct walk *w, const GumboElement *el)
{
	size_t i;

	for (i = 0; i < el->children.length; i++) {
		const GumboNode *t = el->children.data[i];

		if (t->type == GUMBO_NODE_TEXT || t->type == GUMBO_NODE_CDATA ||
		    t->type == GUMBO_NODE_WHITESPACE) {
			buf_adds(&w->script, t->v.text.text);
			buf_addc(&w->script, '\n');
		}
	}
}

/* Iterative, depth-bounded: a hostile page cannot exhaust the C stack. */
static void walk(struct walk *w, const GumboNode *root)
{
	push(&w->st, root, 0);
	while (w->st.n) {
		struct frame f = w->st.v[--w->st.n];
		const GumboElement *el;
		GumboAttribute *at;

		if (f.node->type != GUMBO_NODE_ELEMENT) {
			push_children(&w->st, f.node, f.depth);
			continue;
		}
		el = &f.node->v.element;
		switch (el->tag) {
		case GUMBO_TAG_BASE:
			at = gumbo_get_attribute(&el->attributes, "href");
			if (at && !w->base_href)
				w->base_href = xstrdup(at->value);
			break;
		case GUMBO_TAG_A:
			at = gumbo_get_attribute(&el->attributes, "href");
			if (at && w->nanchors < LINKS_MAX_LINKS) {
				struct anchor *a;

				ALLOC_GROW(w->anchors, w->nanchors + 1, w->aanchors);
				a = &w->anchors[w->nanchors++];
				a->href = xstrdup(at->value);
				a->text = anchor_text(f.node, f.depth, &w->st);
				a->title = attr_text(f.node, "title");
			} else if (at) {
				w->cut++;
			}
			continue;	/* anchors do not nest: their subtree is text */
		case GUMBO_TAG_SCRIPT:
			walk_script(w, el);
			continue;
		case GUMBO_TAG_STYLE:
			continue;
		default:
			break;
		}
		push_children(&w->st, f.node, f.depth);
	}
}

int links_extract(const char *html, size_t len, const char *page_url,
		  const struct links_opts *opts, struct links *out, struct err *err)
{
	struct html_tree t = { 0 };
	struct ctx c;
	struct walk w;
	const struct url_opts *uo = opts ? opts->url : NULL;
	char *page = url_normalize_opts(page_url, uo), *base = NULL;
	size_t i;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	memset(&w, 0, sizeof(w));
	buf_init(&w.script, SCRIPT_MAX);
	if (!page) {
		rc = err_set(err, OGI_EINVAL, "not an http(s) URL: '%s'", page_url ? page_url : "");
		goto out;
	}
	if (rx_init(&c.rx, opts, err)) {
		rc = OGI_EINVAL;
		goto out;
	}
	c.page = page;
	c.url_opts = uo;
	c.page_host = url_host(page);
	c.page_key = index_key(page, INDEX_PLAIN);
	c.column_key = index_key(page, INDEX_ANY);
	c.page_dir = dir_len(page);
	c.base = page;
	c.out = out;
	if (!html)
		len = 0;
	if (len > LINKS_MAX_INPUT) {
		len = LINKS_MAX_INPUT;
		out->input_cut = 1;	/* its links past that point not seen */
	}
	if (html_tree_parse(&t, html, len)) {
		rc = err_set(err, OGI_EPARSE, "cannot parse page as HTML");
		goto out;
	}
	walk(&w, t.out->document);
	if (w.base_href) {
		base = url_resolve_opts(page, w.base_href, uo);
		if (base)
			c.base = base;
	}
	for (i = 0; i < w.nanchors; i++)
		add_anchor(&c, w.anchors[i].href, w.anchors[i].text, w.anchors[i].title);
	add_generated_pages(&c, buf_str(&w.script), w.script.len);
	out->anchors_cut += w.cut;
	list_dedupe(&out->reports);
	list_dedupe(&out->pages);
	list_dedupe(&out->attachments);
out:
	html_tree_release(&t);
	for (i = 0; i < w.nanchors; i++) {
		free(w.anchors[i].href);
		free(w.anchors[i].text);
		free(w.anchors[i].title);
	}
	free(w.anchors);
	free(w.st.v);
	free(w.base_href);
	buf_release(&w.script);
	rx_release(&c.rx);
	free(c.page_host);
	free(c.page_key);
	free(c.column_key);
	free(base);
	free(page);
	return rc;
}

int links_is_attachment_url(const char *url)
{
	return is_attachment(url);
}

int links_is_report_text(const char *text)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	if (rx_init(&c.rx, NULL, NULL))
		return 0;
	r = is_report(&c, text);
	rx_release(&c.rx);
	return r;
}
