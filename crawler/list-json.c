/*
 * The "json" list reader (crawler/lists.h): list APIs that answer JSON,
 * as Guangdong's 政府信息公开目录平台 does (gkmlpt: the column page is
 * built by script from /gkmlpt/api/all/<column>?page=N&sid=<site>):
 *
 *	{"articles": [{"title": "...", "url": "http://.../post_123.html",
 *	  "display_publish_time": 1705300000}, ...], "total": 23, "page": 1,
 *	  "per_page": 10}
 *
 * Each article becomes a link with its title as the text, read as
 * links_extract reads anchors (report patterns, attachments, URLs made
 * canonical).  Page 1 asks for pages 2..N, N from a page count
 * (total_page, pages) or from total / per_page (page_size; else the
 * number of articles on page 1); the other pages ask for nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/lists.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/jsonr.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *skip_space(const char *s, const char *end)
{
	if (end - s >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	return s;
}

static int detect(const struct list_page *p)
{
	const char *s = skip_space(p->text, p->text + p->len);

	if (s >= p->text + p->len || (*s != '{' && *s != '['))
		return 0;
	return strstr(p->url, "/api/") != NULL ||
	       lists_find_ci(s, p->text + p->len, "\"articles\"") != NULL;
}

/* The first of names that is a whole number in o; -1 when none is. */
static long long count_of(const struct jv *o, const char *const *names)
{
	for (; *names; names++) {
		long long v;

		if (!jv_integer(jv_get(o, *names), &v) && v >= 0)
			return v;
	}
	return -1;
}

/* The page number of a list API URL (?page=N, 1 when absent or unreadable). */
static long long page_of(const char *url)
{
	const char *q = strchr(url, '?');

	for (const char *p = q; p; p = strchr(p + 1, '&')) {
		long long v = 0;
		const char *d = p + 1;

		if (strncmp(d, "page=", 5))
			continue;
		d += 5;
		if (*d < '0' || *d > '9')
			return 1;
		for (int k = 0; *d >= '0' && *d <= '9' && k < 12; d++, k++)
			v = v * 10 + (*d - '0');
		return v;
	}
	return 1;
}

/* url with its page parameter set to n (added when absent). */
static char *with_page(const char *url, long long n)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	const char *q = strchr(url, '?'), *p;
	int done = 0;

	if (!q) {
		buf_addf(&b, "%s?page=%lld", url, n);
		return buf_take(&b);
	}
	buf_add(&b, url, (size_t)(q - url));
	for (p = q; *p;) {
		const char *e = strchr(p + 1, '&');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (!strncmp(p + 1, "page=", 5)) {
			buf_addf(&b, "%cpage=%lld", *p, n);
			done = 1;
		} else {
			buf_add(&b, p, len);
		}
		p += len;
	}
	if (!done)
		buf_addf(&b, "&page=%lld", n);
	return buf_take(&b);
}

static int read_api(const struct list_page *p, const struct links_opts *opts,
		    struct list_read *out, struct err *err)
{
	static const char *const page_counts[] = { "total_page", "totalPage", "pages",
						   "page_count", NULL };
	static const char *const item_counts[] = { "total", "count", "totalCount", NULL };
	static const char *const page_sizes[] = { "per_page", "page_size", "pageSize", NULL };
	struct jv *root = NULL;
	const struct jv *arts;
	struct buf frag = BUF_INIT(LINKS_MAX_INPUT);
	struct err je = ERR_INIT;
	long long npages, total, size, page = page_of(p->url);
	int ret = 0;

	if (p->len > LINKS_MAX_INPUT) {
		lists_problem(out, "a list API answer of %zu bytes, over %u: not read", p->len,
			      LINKS_MAX_INPUT);
		return 0;
	}
	if (jv_parse(p->text, p->len, &root, &je)) {
		lists_problem(out, "a list API answer that is not JSON (%s)", je.msg);
		return 0;
	}
	arts = jv_get(root, "articles");
	if (!arts || arts->type != JV_ARRAY) {
		lists_problem(out, "a list API answer without an articles array");
		goto out;
	}
	for (size_t i = 0; i < arts->n; i++) {
		const char *title = jv_string(jv_get(&arts->v[i], "title"));
		const char *url = jv_string(jv_get(&arts->v[i], "url"));

		if (!url || !*url)
			continue;
		buf_adds(&frag, "<a href=\"");
		esc_html(&frag, url);
		buf_adds(&frag, "\">");
		esc_html(&frag, title ? title : "");
		buf_adds(&frag, "</a>\n");
	}
	if (frag.len)
		ret = lists_add_fragment(out, frag.ptr, frag.len, p->url, opts, err);
	if (ret || page > 1)
		goto out;
	npages = count_of(root, page_counts);
	if (npages < 0) {
		total = count_of(root, item_counts);
		size = count_of(root, page_sizes);
		if (size < 1)
			size = (long long)arts->n;
		npages = total >= 0 && size > 0 ? (total + size - 1) / size : 1;
	}
	for (long long n = 2; n <= npages; n++) {
		char *u;

		if (out->next.n >= LISTS_MAX_REQUESTS) {
			out->requests_cut += (size_t)(npages - n + 1);
			break;
		}
		u = with_page(p->url, n);
		if (lists_add_request(out, u, NULL, opts)) {
			lists_problem(out, "cannot ask the list API's page %lld", n);
			free(u);
			break;
		}
		free(u);
	}
out:
	buf_release(&frag);
	jv_free(root);
	return ret;
}

const struct list_reader list_json_reader = { "json", detect, read_api };
