#include "crawler/discover.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crawler/lists.h"
#include "crawler/url.h"
#include "util/buf.h"
#include "util/gunzip.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Bytes of a link text or a meta value kept at most. */
#define TEXT_MAX 240

void discover_opts_init(struct discover_opts *o)
{
	memset(o, 0, sizeof(*o));
	fetch_opts_init(&o->fetch);
	o->max_pages = DISCOVER_DEFAULT_MAX_PAGES;
	o->max_depth = DISCOVER_DEFAULT_MAX_DEPTH;
}

void discover_result_release(struct discover_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].url);
		free(r->v[i].body);
		free(r->v[i].site);
		free(r->v[i].start_site);
		free(r->v[i].column);
		free(r->v[i].scope);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ---- words ---- */

static int contains_any(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return 1;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

/* A year (19xx, 20xx) in the text: a report's link, not a column's. */
static int has_year(const char *s)
{
	for (const char *p = s; p[0] && p[1] && p[2] && p[3]; p++)
		if ((!strncmp(p, "19", 2) || !strncmp(p, "20", 2)) && p[2] >= '0' && p[2] <= '9' &&
		    p[3] >= '0' && p[3] <= '9')
			return 1;
	return 0;
}

/* The text of a link to an annual-report column. */
static int names_column(const char *t)
{
	static const char *const not_ours[] = { "统计", "企业", "工商", "财务", "决算", NULL };

	if (strlen(t) > TEXT_MAX || has_year(t) || contains_any(t, not_ours))
		return 0;
	return strstr(t, "年报") || (strstr(t, "年度报告") && strstr(t, "信息公开"));
}

static const char *const column_tokens[] = { "zfxxgknb", "xxgknb", "gknb", "ndbg", NULL };

/* A path segment holding a token of annual-report columns (zfxxgknb, ndbg ...). */
static int column_path(const char *url)
{
	const char *const *tokens = column_tokens;
	char *pq = url_path_query(url);
	int r = 0;

	if (pq) {
		pq[strcspn(pq, "?")] = '\0';
		for (size_t i = 0; tokens[i] && !r; i++) {
			const char *p = strstr(pq, tokens[i]);

			/* the token starts a segment's name or ends it (zfxxgkndbg/, ndbg.htm) */
			r = p && (p[strlen(tokens[i])] == '/' || p[strlen(tokens[i])] == '.' ||
				  p[strlen(tokens[i])] == '\0' || p[-1] == '/');
		}
	}
	free(pq);
	return r;
}

/* The first year (19xx, 20xx) in s not inside a longer number, or NULL. */
static const char *year_at(const char *s)
{
	for (const char *p = s; p[0] && p[1] && p[2] && p[3]; p++)
		if ((!strncmp(p, "19", 2) || !strncmp(p, "20", 2)) && p[2] >= '0' && p[2] <= '9' &&
		    p[3] >= '0' && p[3] <= '9' && (p == s || p[-1] < '0' || p[-1] > '9') &&
		    (p[4] < '0' || p[4] > '9'))
			return p;
	return NULL;
}

char *discover_report_body(const char *text)
{
	const char *y = text ? year_at(text) : NULL;
	size_t n;
	char *b;

	if (!y)
		return NULL;
	for (n = (size_t)(y - text); n && (text[n - 1] == ' ' || text[n - 1] == '\t'); n--)
		;
	b = xstrndup(text, n);
	if (!discover_names_body(b)) {
		free(b);
		return NULL;
	}
	return b;
}

/* A directory name [s, s+n) holding a column token at its start or its end. */
static int token_segment(const char *s, size_t n)
{
	for (size_t i = 0; column_tokens[i]; i++) {
		size_t k = strlen(column_tokens[i]);

		if (n >= k && (!memcmp(s, column_tokens[i], k) ||
			       !memcmp(s + n - k, column_tokens[i], k)))
			return 1;
	}
	return 0;
}

char *discover_column_dir(const char *url, const struct url_opts *uo)
{
	char *pq = url_path_query(url), *r = NULL;
	size_t end = 0;

	if (!pq)
		return NULL;
	pq[strcspn(pq, "?#")] = '\0';
	/* directories only: the last segment is the page's name */
	for (char *seg = pq, *slash; (slash = strchr(seg, '/')); seg = slash + 1)
		if (slash > seg && token_segment(seg, (size_t)(slash - seg)))
			end = (size_t)(slash - pq) + 1;
	if (end) {
		pq[end] = '\0';
		r = url_resolve_opts(url, pq, uo);
	}
	/* a prefix of the page's URL, or nothing ("//ndbg/" would be a host) */
	if (r && strncmp(r, url, strlen(r))) {
		free(r);
		r = NULL;
	}
	free(pq);
	return r;
}

/* A catalogue link worth following: the disclosure catalogue and its lists of bodies. */
static int follows(const char *t)
{
	static const char *const yes[] = { "信息公开", "政务公开", "公开目录", "乡镇", "街道", "部门",
					   "县区", "区县", "县（区）", "镇街", NULL };
	static const char *const no[] = { "指南", "申请", "规定", "制度", "办法", "报告", "年报",
					  "意见", "政策", "解读", "规范", "年度", NULL };

	return strlen(t) <= TEXT_MAX && contains_any(t, yes) && !contains_any(t, no);
}

int discover_names_body(const char *t)
{
	static const char *const suffixes[] = { "镇", "乡", "街道", "街道办事处", "县", "区", "市",
						"旗", "局", "委员会", "委", "办公室", "人民政府",
						"政府", "管委会", NULL };
	static const char *const no[] = { "公开", "信息", "年报", "首页", "新闻", "服务", "网上办事", "大厅",
					  "互动", "专题", "数据", "网站", "政务", "门户", "概况",
					  "地区", "城区", "辖区", "社区", "小区", "园区", NULL };
	size_t n = strlen(t);

	if (n < 6 || n > 60 || contains_any(t, no))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x80)
			return 0;	/* Han characters only */
	for (size_t i = 0; suffixes[i]; i++)
		if (ends_with(t, suffixes[i]))
			return 1;
	return 0;
}

/*
 * A province's or the nation's body: a portal's footer links them, and
 * their sites are not the portal's bodies (not walked on another host).
 */
static int names_higher(const char *t)
{
	static const char *const words[] = { "省", "自治区", "国务院", "中央", "全国", "国家",
					     "中国", NULL };

	return contains_any(t, words);
}

/* ---- page text ---- */

/* Copies [p, p+n) collapsing white space; NULL when empty or too long. */
static char *clean(const char *p, size_t n)
{
	struct buf b = BUF_INIT(TEXT_MAX + 8);
	int space = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = b.len > 0;
			continue;
		}
		if (space && buf_addc(&b, ' '))
			break;
		space = 0;
		if (buf_addc(&b, c))
			break;
	}
	if (!b.len || b.len > TEXT_MAX) {
		buf_release(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The content of <meta name="NAME" content="..."> (either order), or NULL. */
static char *meta_content(const char *s, size_t n, const char *name)
{
	const char *end = s + n, *p = s;

	while ((p = lists_find_ci(p, end, "<meta"))) {
		const char *gt = memchr(p, '>', (size_t)(end - p));
		const char *c;

		if (!gt)
			return NULL;
		if (lists_find_ci(p, gt, name) && (c = lists_find_ci(p, gt, "content="))) {
			char q;
			const char *e;

			c += strlen("content=");
			q = *c == '"' || *c == '\'' ? *c++ : ' ';
			for (e = c; e < gt && *e != q && (q != ' ' || *e != '/'); e++)
				;
			return clean(c, (size_t)(e - c));
		}
		p = gt;
	}
	return NULL;
}

/* A site's name: its SiteName meta, else its title up to the first separator. */
static char *site_name(const char *s, size_t n)
{
	char *v = meta_content(s, n, "\"SiteName\"");
	const char *t, *e;

	if (v)
		return v;
	t = lists_find_ci(s, s + n, "<title>");
	if (!t)
		return NULL;
	t += strlen("<title>");
	e = lists_find_ci(t, s + n, "</title>");
	if (!e)
		return NULL;
	v = clean(t, (size_t)(e - t));
	if (v) {
		static const char *const seps[] = { "_", "-", "|", " ", "—", "门户网站", NULL };

		for (size_t i = 0; seps[i]; i++) {
			char *x = strstr(v, seps[i]);

			if (x && x > v)
				*x = '\0';
		}
	}
	return v;
}

/* The <title>'s text, collapsed, or NULL. */
static char *title_of(const char *s, size_t n)
{
	const char *t = lists_find_ci(s, s + n, "<title>"), *e;

	if (!t)
		return NULL;
	t += strlen("<title>");
	e = lists_find_ci(t, s + n, "</title>");
	return e ? clean(t, (size_t)(e - t)) : NULL;
}

char *discover_title_body(const char *title)
{
	static const char *const seps[] = { "_", "-", "|", " ", "—", NULL };
	static const char *const column_words[] = { "政府信息公开", "信息公开", "政务公开", "年报",
						    "年度报告", NULL };
	const char *p = title;

	while (p && *p) {
		size_t n = strlen(p), skip = 0, cut;
		char *seg;

		for (size_t i = 0; seps[i]; i++) {
			const char *x = strstr(p, seps[i]);

			if (x && (size_t)(x - p) < n) {
				n = (size_t)(x - p);
				skip = strlen(seps[i]);
			}
		}
		/* 青石镇政府信息公开年报: the body before the column's words */
		cut = n;
		for (size_t i = 0; column_words[i]; i++) {
			const char *x = strstr(p, column_words[i]);

			if (x && (size_t)(x - p) < cut)
				cut = (size_t)(x - p);
		}
		seg = xstrndup(p, cut);
		if (discover_names_body(seg))
			return seg;
		free(seg);
		p += n + skip;
	}
	return NULL;
}

/* ---- the walk ---- */

enum job_kind { J_WALK, J_COLUMN, J_SITEMAP };

struct djob {
	enum job_kind kind;
	int depth;
	char *body;		/* the body named on the way (J_WALK), or NULL */
	size_t column;		/* J_COLUMN: its index in the result */
};

struct dctx {
	const struct discover_opts *o;
	struct fetcher *f;
	struct discover_result *out;
	char **seen;		/* URLs queued (walks and columns) */
	size_t nseen, alloc_seen;
	char *start_site;
	int fatal;
	struct err err;
};

static int seen(struct dctx *c, const char *url)
{
	for (size_t i = 0; i < c->nseen; i++)
		if (!strcmp(c->seen[i], url))
			return 1;
	ALLOC_GROW(c->seen, c->nseen + 1, c->alloc_seen);
	c->seen[c->nseen++] = xstrdup(url);
	return 0;
}

/* Queues a fetch of url; 0, or -1 when past the page budget (counted). */
static int queue(struct dctx *c, const char *url, struct djob *j)
{
	if (c->out->pages >= c->o->max_pages) {
		c->out->cut++;
		goto drop;
	}
	if (fetcher_add(c->f, url, NULL, NULL, j))
		goto drop;
	c->out->pages++;
	return 0;
drop:
	free(j->body);
	free(j);
	return -1;
}

static void walk_link(struct dctx *c, const char *url, int depth, const char *body)
{
	struct djob *j;

	if (depth > c->o->max_depth || seen(c, url))
		return;
	j = xcalloc(1, sizeof(*j));
	j->kind = J_WALK;
	j->depth = depth;
	j->body = body ? xstrdup(body) : NULL;
	queue(c, url, j);
}

/*
 * Records a column found at url (its page fetched next, unless a report
 * module); the new column, valid until the next one, or NULL when seen.
 */
static struct discovered *add_column(struct dctx *c, const char *url, const char *text,
				     const char *body, int report)
{
	struct discovered *d;
	struct djob *j;

	if (seen(c, url)) {
		/* found in a sitemap first: a link (text not NULL) says its body and name */
		for (size_t i = 0; text && i < c->out->n; i++) {
			d = &c->out->v[i];
			if (!strcmp(d->url, url) && d->sitemap && !d->linked) {
				d->linked = 1;
				if (body) {
					free(d->body);
					d->body = xstrdup(body);
				}
				if (text && !d->column)
					d->column = xstrdup(text);
			}
		}
		return NULL;
	}
	ALLOC_GROW(c->out->v, c->out->n + 1, c->out->alloc);
	d = &c->out->v[c->out->n++];
	memset(d, 0, sizeof(*d));
	d->url = xstrdup(url);
	d->body = body ? xstrdup(body) : NULL;
	d->column = text ? xstrdup(text) : NULL;
	d->start_site = c->start_site ? xstrdup(c->start_site) : NULL;
	d->family = "html";
	d->report = report;
	if (report)
		return d;
	j = xcalloc(1, sizeof(*j));
	j->kind = J_COLUMN;
	j->column = c->out->n - 1;
	queue(c, url, j);
	return &c->out->v[c->out->n - 1];
}

/* The value of name= in url's query (malloc'd), or NULL. */
static char *query_value(const char *url, const char *name)
{
	const char *q = strchr(url, '?');
	size_t k = strlen(name);

	while (q) {
		q++;
		if (!strncmp(q, name, k) && q[k] == '=')
			return xstrndup(q + k + 1, strcspn(q + k + 1, "&#"));
		q = strchr(q, '&');
	}
	return NULL;
}

static char *link_body(const struct link *lk)
{
	char *b = discover_report_body(lk->text);

	return b ? b : discover_report_body(lk->title);
}

/*
 * The body of a module's report page: named before the year in its link
 * (青山县教育局2023年...), else by another link of the page to the same
 * area= (Hanweb's one code a body: a table row's other years), else NULL.
 */
static char *module_body(const struct links *l, const struct link *lk)
{
	char *b = link_body(lk), *area;

	if (b || !(area = query_value(lk->url, "area")))
		return b;
	for (size_t i = 0; i < l->all.n && !b; i++) {
		const struct link *o = &l->all.v[i];
		char *oa;

		if (o == lk || !links_is_module_report(o->url) ||
		    !(oa = query_value(o->url, "area")))
			continue;
		if (!strcmp(oa, area))
			b = link_body(o);
		free(oa);
	}
	free(area);
	return b;
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* gkmlpt catalogues: "/gkmlpt/index#<column>" links, whose list API the crawl reads. */
static void gkmlpt_columns(struct dctx *c, const char *page, const char *s, size_t n,
			   const char *body)
{
	const char *end = s + n, *p = s, *sid_at = lists_find_ci(s, end, "SID");
	char sid[24] = "";

	/* SID: "757", sid = '757', "sid":757: the word sid, not "inside" */
	while (sid_at && !sid[0]) {
		const char *q = sid_at + 3;
		size_t k = 0;
		int word = (sid_at == s || !is_word(sid_at[-1])) && (q >= end || !is_word(*q));

		while (q < end && (*q == '"' || *q == '\'' || *q == ' ' || *q == ':' || *q == '='))
			q++;
		while (q + k < end && k < sizeof(sid) - 1 && q[k] >= '0' && q[k] <= '9')
			k++;
		if (word && k && q > sid_at + 3) {
			memcpy(sid, q, k);
			sid[k] = '\0';
		}
		sid_at = lists_find_ci(sid_at + 3, end, "SID");
	}
	while ((p = lists_find_ci(p, end, "gkmlpt/index#"))) {
		const char *d = p + strlen("gkmlpt/index#"), *gt, *lt;
		char num[24];
		size_t k = 0;
		char *text;

		p = d;
		while (d + k < end && k < sizeof(num) - 1 && d[k] >= '0' && d[k] <= '9')
			k++;
		if (!k || !sid[0])
			continue;
		memcpy(num, d, k);
		num[k] = '\0';
		gt = memchr(d, '>', (size_t)(end - d));
		lt = gt ? memchr(gt, '<', (size_t)(end - gt)) : NULL;
		if (!lt || lt - gt > TEXT_MAX)
			continue;
		text = clean(gt + 1, (size_t)(lt - gt - 1));
		if (text && names_column(text)) {
			struct buf ref = BUF_INIT(256);
			char *url;

			buf_addf(&ref, "/gkmlpt/api/all/%s?page=1&sid=%s", num, sid);
			url = url_resolve_opts(page, buf_str(&ref), c->o->links.url);
			if (url)
				add_column(c, url, text, body, 0);
			free(url);
			buf_release(&ref);
		}
		free(text);
	}
}

static void walk_page(struct dctx *c, struct djob *j, const char *page, const char *s, size_t n)
{
	struct links l;
	struct err e = ERR_INIT;

	if (!c->start_site)
		c->start_site = site_name(s, n);
	links_init(&l);
	if (links_extract(s, n, page, &c->o->links, &l, &e)) {
		links_release(&l);
		return;
	}
	for (size_t i = 0; i < l.all.n; i++) {
		const struct link *lk = &l.all.v[i];
		const char *t = lk->text[0] ? lk->text : lk->title ? lk->title : "";

		/* a gkmlpt column is its list API, found by gkmlpt_columns() */
		int gkmlpt = strstr(lk->url, "/gkmlpt/index") != NULL;

		if (!strcmp(lk->url, page))
			continue;
		if (links_is_module_report(lk->url)) {
			char *mb = module_body(&l, lk);

			add_column(c, lk->url, t, mb ? mb : j->body, 1);
			free(mb);
		} else if (!gkmlpt && !has_year(t) && (names_column(t) || (column_path(lk->url) &&
								 !links_is_report_text(t)))) {
			if (url_in_scope(lk->url, page, NULL) || discover_names_body(t))
				add_column(c, lk->url, t, j->body, 0);
		} else if (discover_names_body(t) &&
			   (url_in_scope(lk->url, page, NULL) || !names_higher(t))) {
			walk_link(c, lk->url, j->depth + 1, t);	/* to another host too */
		} else if (follows(t) && url_in_scope(lk->url, page, NULL)) {
			walk_link(c, lk->url, j->depth + 1, j->body);
		}
	}
	if (lists_find_ci(s, s + n, "gkmlpt/index#"))
		gkmlpt_columns(c, page, s, n, j->body);
	links_release(&l);
}

/* Scope of a column: its directory when every report it shows lies under it. */
static char *column_scope(const char *url, const struct list_read *lr)
{
	char *pq = url_path_query(url), *dir;
	size_t reports = 0;

	if (!pq || strchr(pq, '?')) {
		free(pq);
		return NULL;	/* a list API: its reports are elsewhere */
	}
	dir = pq;
	dir[strrchr(dir, '/') - dir + 1] = '\0';
	for (size_t i = 0; i < lr->links.reports.n; i++) {
		const struct link *lk = &lr->links.reports.v[i];

		/* reports of other sites (a footer's) say nothing of this column */
		if ((lk->kind & LINK_ATTACHMENT) || !url_in_scope(lk->url, url, NULL))
			continue;
		/* a column's reports name their year; a search link (年度报告检索) does not */
		if (!has_year(lk->text) && !(lk->title && has_year(lk->title)))
			continue;
		reports++;
		if (!url_in_scope(lk->url, url, dir)) {
			free(dir);
			return NULL;
		}
	}
	if (!reports || !strcmp(dir, "/")) {
		free(dir);
		return NULL;
	}
	return dir;
}

static void column_page(struct dctx *c, struct djob *j, const char *page, const char *s,
			size_t n)
{
	struct discovered *d = &c->out->v[j->column];
	struct list_page p = { s, n, page, NULL };
	struct list_read lr;
	struct err e = ERR_INIT;
	char *name = meta_content(s, n, "\"ColumnName\"");

	d->fetched = 1;
	d->site = site_name(s, n);
	if (!d->body) {
		char *title = title_of(s, n);

		d->body = title ? discover_title_body(title) : NULL;
		free(title);
	}
	if (name) {
		free(d->column);
		d->column = name;
	}
	lists_init(&lr);
	if (!lists_read(&p, &c->o->links, &lr, &e)) {
		d->family = lr.family;
		for (size_t i = 0; i < lr.links.reports.n; i++)
			d->reports += !(lr.links.reports.v[i].kind & LINK_ATTACHMENT);
		d->scope = column_scope(page, &lr);
	}
	lists_release(&lr);
}

static void sitemap_link(struct dctx *c, const char *url)
{
	struct djob *j;

	if (seen(c, url))
		return;
	j = xcalloc(1, sizeof(*j));
	j->kind = J_SITEMAP;
	queue(c, url, j);
}

/*
 * robots.txt names sitemaps: those of its own host are read for columns,
 * which are two hops from the start (robots.txt, the sitemap).
 */
static void on_sitemaps(struct fetcher *f, const char *origin, const char *const *urls,
			size_t n, void *arg)
{
	struct dctx *c = arg;
	struct buf home = BUF_INIT(BUF_NOLIMIT);

	(void)f;
	if (c->o->max_depth < 2)
		return;
	buf_addf(&home, "%s/", origin);
	for (size_t i = 0; i < n; i++) {
		char *u = url_normalize_opts(urls[i], c->o->links.url);

		if (u && url_in_scope(u, buf_str(&home), NULL))
			sitemap_link(c, u);
		free(u);
	}
	buf_release(&home);
}

/*
 * A sitemap (gzip or not): an index's sitemaps are asked, a urlset's
 * pages under an annual-report token are grouped by the directory that
 * holds the token, each a column (its page fetched as a link's would be).
 */
static void sitemap_page(struct dctx *c, const char *page, const char *s, size_t n)
{
	struct list_page p = { s, n, page, NULL };
	struct list_read lr;
	struct err e = ERR_INIT;
	char *xml = NULL;
	size_t xn = 0;

	if (gunzip_sniff(s, n)) {
		if (gunzip(s, n, LINKS_MAX_INPUT, &xml, &xn)) {
			c->out->failed++;
			return;
		}
		p.text = xml;
		p.len = xn;
	}
	lists_init(&lr);
	if (!lists_read(&p, &c->o->links, &lr, &e) && !strcmp(lr.family, "sitemap")) {
		for (size_t i = 0; i < lr.next.n; i++)
			if (!lr.next.v[i].body && url_in_scope(lr.next.v[i].url, page, NULL))
				sitemap_link(c, lr.next.v[i].url);
		for (size_t i = 0; i < lr.links.reports.n; i++) {
			char *dir = discover_column_dir(lr.links.reports.v[i].url, c->o->links.url);
			struct discovered *d;

			if (dir && url_in_scope(dir, page, NULL) &&
			    (d = add_column(c, dir, NULL, NULL, 0)))
				d->sitemap = 1;
			free(dir);
		}
	}
	lists_release(&lr);
	free(xml);
}

static void on_done(struct fetcher *f, const struct fetch_result *r, void *arg)
{
	struct dctx *c = arg;
	struct djob *j = r->userdata;
	char *utf8 = NULL;
	const char *s = buf_str(r->body);
	size_t n = r->body->len, ulen = 0;

	(void)f;
	if (r->cls != FETCH_OK) {
		c->out->failed++;
		goto out;
	}
	if (j->kind == J_SITEMAP) {
		sitemap_page(c, r->final_url, s, n);
		goto out;
	}
	if (c->o->decode) {
		if (c->o->decode(s, n, r->content_type, &utf8, &ulen, c->o->decode_arg))
			goto out;
		s = utf8;
		n = ulen;
	}
	if (n > LINKS_MAX_INPUT)
		n = LINKS_MAX_INPUT;
	if (j->kind == J_COLUMN)
		column_page(c, j, r->final_url, s, n);
	else
		walk_page(c, j, r->final_url, s, n);
out:
	free(utf8);
	free(j->body);
	free(j);
}

int discover_run(const char *start, const struct discover_opts *o, struct discover_result *out,
		 struct err *err)
{
	struct dctx c;
	struct fetch_opts fo = o->fetch;
	char *url = url_normalize_opts(start, o->links.url);
	int ret = 0;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.out = out;
	if (!url)
		return err_set(err, OGI_EINVAL, "'%.200s' is not an http(s) URL", start);
	if (o->max_pages < 1 || o->max_depth < 0) {
		free(url);
		return err_set(err, OGI_EINVAL, "bad page or depth limit");
	}
	fo.done = on_done;
	fo.done_arg = &c;
	fo.tick = NULL;
	fo.on_sitemaps = on_sitemaps;
	fo.in_scope = NULL;
	c.f = fetcher_new(&fo, err);
	if (!c.f) {
		free(url);
		return err->code ? err->code : OGI_EIO;
	}
	walk_link(&c, url, 0, NULL);
	ret = fetcher_run(c.f, err);
	fetcher_stats(c.f, &out->fetch);
	fetcher_free(c.f);
	for (size_t i = 0; i < c.nseen; i++)
		free(c.seen[i]);
	free(c.seen);
	free(c.start_site);
	free(url);
	return ret;
}
