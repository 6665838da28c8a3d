/*
 * The "sitemap" list reader (crawler/lists.h): sitemaps (sitemaps.org)
 * that robots.txt names.  A <sitemapindex> asks for its <sitemap><loc>s; a
 * <urlset> gives its <url><loc>s as report candidates (a sitemap says
 * nothing of what a page is: the crawl keeps those under the seed's
 * scope).  Listing pages in it (a path ending in '/', index.html,
 * index_N.html) are left to the columns' own pagination.  At most
 * LINKS_MAX_LINKS entries are read (anchors_cut counts the rest) and
 * LISTS_MAX_REQUESTS sitemaps asked of an index; entries on other hosts
 * than the sitemap's are left out.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crawler/lists.h"
#include "crawler/url.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define LOC_MAX 4096

static int detect(const struct list_page *p)
{
	const char *end = p->text + (p->len < 65536 ? p->len : 65536);

	return lists_find_ci(p->text, end, "<urlset") || lists_find_ci(p->text, end, "<sitemapindex");
}

/* A <loc>'s text: trimmed, the XML escapes of URLs (&amp; ...) undone, CDATA unwrapped. */
static char *loc_text(const char *p, const char *e)
{
	struct buf b = BUF_INIT(LOC_MAX);
	static const struct {
		const char *ent;
		char c;
	} ents[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		     { "&apos;", '\'' } };

	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if (e - p > 12 && !strncmp(p, "<![CDATA[", 9) && !strncmp(e - 3, "]]>", 3)) {
		p += 9;
		e -= 3;
	}
	while (p < e) {
		size_t i;

		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
			size_t k = strlen(ents[i].ent);

			if ((size_t)(e - p) >= k && !strncmp(p, ents[i].ent, k)) {
				buf_addc(&b, ents[i].c);
				p += k;
				break;
			}
		}
		if (i == sizeof(ents) / sizeof(ents[0]) && buf_addc(&b, *p++))
			break;
	}
	if (!b.len || b.len >= LOC_MAX) {
		buf_release(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* A listing page by its name: the columns' pagination finds those. */
static int listing_name(const char *url)
{
	const char *q = strchr(url, '?');
	const char *end = q ? q : url + strlen(url), *slash = end;

	while (slash > url && slash[-1] != '/')
		slash--;
	return slash == end || !strncmp(slash, "index", 5);
}

static int read_sitemap(const struct list_page *p, const struct links_opts *opts,
			struct list_read *out, struct err *err)
{
	const char *s = p->text, *end = p->text + p->len, *at = s;
	int index = lists_find_ci(s, end < s + 65536 ? end : s + 65536, "<sitemapindex") != NULL;
	size_t n = 0;

	(void)err;
	if (!lists_find_ci(s, end, index ? "</sitemapindex>" : "</urlset>"))
		lists_problem(out, "a sitemap cut short (no closing tag): its entries read so far");
	while ((at = lists_find_ci(at, end, "<loc>"))) {
		const char *e = lists_find_ci(at + 5, end, "</loc>");
		char *loc, *url;

		if (!e)
			break;
		loc = loc_text(at + 5, e);
		at = e + 6;
		url = loc ? url_resolve_opts(p->url, loc, opts ? opts->url : NULL) : NULL;
		free(loc);
		/* another host's sitemap or page is not this site's */
		if (!url || !url_in_scope(url, p->url, NULL)) {
			free(url);
			continue;
		}
		if (n++ >= LINKS_MAX_LINKS) {
			out->links.anchors_cut++;
		} else if (index) {
			if (out->next.n >= LISTS_MAX_REQUESTS)
				out->requests_cut++;
			else
				lists_add_request(out, url, NULL, opts);
		} else if (!listing_name(url)) {
			lists_add_report(out, url, opts);
		}
		free(url);
	}
	return 0;
}

const struct list_reader list_sitemap_reader = { "sitemap", detect, read_sitemap };
