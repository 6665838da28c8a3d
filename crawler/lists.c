#include "crawler/lists.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crawler/url.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The families besides plain HTML, the most specific first. */
static const struct list_reader *const readers[] = {
	&list_json_reader,
	&list_sitemap_reader,
	&list_datastore_reader,
};

void lists_init(struct list_read *r)
{
	memset(r, 0, sizeof(*r));
	links_init(&r->links);
	r->family = "html";
}

void lists_release(struct list_read *r)
{
	links_release(&r->links);
	for (size_t i = 0; i < r->next.n; i++) {
		free(r->next.v[i].url);
		free(r->next.v[i].body);
	}
	free(r->next.v);
	free(r->problem);
	lists_init(r);
}

void lists_problem(struct list_read *out, const char *fmt, ...)
{
	struct buf b = BUF_INIT(1024);
	va_list ap;

	if (out->problem)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	out->problem = buf_take(&b);
}

const char *lists_find_ci(const char *s, const char *end, const char *needle)
{
	size_t k = strlen(needle);

	for (const char *p = s; p + k <= end; p++)
		if (!strncasecmp(p, needle, k))
			return p;
	return NULL;
}

void lists_form_escape(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

int lists_add_request(struct list_read *out, const char *url, const char *body,
		      const struct links_opts *opts)
{
	char *u = url_normalize_opts(url, opts ? opts->url : NULL);
	struct list_request *r;

	if (!u)
		return -1;
	for (size_t i = 0; i < out->next.n; i++)
		if (!strcmp(out->next.v[i].url, u) &&
		    !strcmp(out->next.v[i].body ? out->next.v[i].body : "", body ? body : "")) {
			free(u);
			return 0;
		}
	ALLOC_GROW(out->next.v, out->next.n + 1, out->next.alloc);
	r = &out->next.v[out->next.n++];
	r->url = u;
	r->body = body ? xstrdup(body) : NULL;
	r->api = 0;
	return 0;
}

int lists_add_report(struct list_read *out, const char *url, const struct links_opts *opts)
{
	char *u = url_normalize_opts(url, opts ? opts->url : NULL);
	struct link *lk;

	if (!u)
		return -1;
	ALLOC_GROW(out->links.reports.v, out->links.reports.n + 1, out->links.reports.alloc);
	lk = &out->links.reports.v[out->links.reports.n++];
	lk->url = u;
	lk->text = xstrdup("");
	lk->title = NULL;
	lk->kind = LINK_REPORT | (links_is_attachment_url(u) ? LINK_ATTACHMENT : 0);
	return 0;
}

static void move_links(struct link_list *to, struct link_list *from)
{
	for (size_t i = 0; i < from->n; i++) {
		ALLOC_GROW(to->v, to->n + 1, to->alloc);
		to->v[to->n++] = from->v[i];
	}
	from->n = 0;
}

int lists_add_fragment(struct list_read *out, const char *html, size_t len, const char *page_url,
		       const struct links_opts *opts, struct err *err)
{
	struct links l;
	int ret;

	links_init(&l);
	ret = links_extract(html, len, page_url, opts, &l, err);
	if (!ret) {
		move_links(&out->links.reports, &l.reports);
		move_links(&out->links.attachments, &l.attachments);
	}
	links_release(&l);
	return ret;
}

int lists_read(const struct list_page *p, const struct links_opts *opts, struct list_read *out,
	       struct err *err)
{
	const struct list_reader *rd = NULL;
	size_t pages;
	int ret;

	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]) && !rd; i++)
		if (readers[i]->detect(p))
			rd = readers[i];
	/* An API's JSON, a sitemap's XML have no anchors: only HTML goes through links_extract. */
	if (rd != &list_json_reader && rd != &list_sitemap_reader) {
		ret = links_extract(p->text, p->len, p->url, opts, &out->links, err);
		if (ret)
			return ret;
		for (size_t i = 0; i < out->links.pages.n; i++)
			if (lists_add_request(out, out->links.pages.v[i].url, NULL, opts))
				return err_set(err, OGI_EINVAL, "bad page URL '%.200s'",
					       out->links.pages.v[i].url);
	}
	if (!rd)
		return 0;
	out->family = rd->name;
	pages = out->next.n;
	ret = rd->read(p, opts, out, err);
	for (size_t i = pages; i < out->next.n; i++)
		out->next.v[i].api = 1;
	return ret;
}
