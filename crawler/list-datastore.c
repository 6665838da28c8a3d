/*
 * The "datastore" list reader (crawler/lists.h): record sets of Hanweb
 * (大汉 jpaas) columns and TRS embedded lists.  A Hanweb column page holds
 * its first records in a <script type="text/xml"> block:
 *
 *	<datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?
 *	  page=1&appid=1&webid=3&path=/&columnid=2301&unitid=9&webname=...">]]>
 *	</nextgroup><totalrecord>23</totalrecord><recordset>
 *	<record><![CDATA[<li><a href="/art/2024/1/15/art_2301_7.html">...</a></li>]]></record>
 *	...</recordset></datastore>
 *
 * and its script asks the rest of the column of dataproxy.jsp by POST,
 * with the form fields the page writes (in the nextgroup link or in the
 * script's settings) and ?startrecord=S&endrecord=E&perpage=P; the answer
 * is the same XML.  Only the page names the fields, so every further
 * block is asked from it (one block a request, LISTS_MAX_REQUESTS at
 * most); a dataproxy answer asks for the next block only when the total is
 * not known and the block was full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crawler/lists.h"
#include "crawler/url.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The dataproxy's form fields, in the order Hanweb's script sends them. */
static const char *const fields[] = {
	"col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
	"permissiontype",
};

#define FIELD_MAX 200
#define DEFAULT_PERPAGE 15

static const char *find_ci(const char *s, size_t n, const char *needle)
{
	return lists_find_ci(s, s + n, needle);
}

static size_t text_len(const struct list_page *p)
{
	return p->len > LINKS_MAX_INPUT ? LINKS_MAX_INPUT : p->len;
}

static int shows_jpage(const char *s, size_t n)
{
	return find_ci(s, n, "dataproxy.jsp") || find_ci(s, n, "/jpage/");
}

static int detect(const struct list_page *p)
{
	size_t n = text_len(p);

	return find_ci(p->text, n, "<datastore") || find_ci(p->text, n, "<recordset") ||
	       shows_jpage(p->text, n);
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends [s, s+n) to b with %XX escapes decoded (a link's query spells values so). */
static void add_unescaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			buf_addc(b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 2;
		} else {
			buf_addc(b, s[i]);
		}
	}
}

/*
 * The value the page gives field name: name=value (a link's query),
 * name: 'value' or "name": "value" (a script's settings); the first one.
 * Appended decoded to b; 1 when found.
 */
static int field_value(const char *s, size_t n, const char *name, struct buf *b)
{
	size_t k = strlen(name);

	for (size_t i = 0; k <= n && i + k <= n; i++) {
		const char *q;
		size_t m;

		if (memcmp(s + i, name, k) || (i && is_word(s[i - 1])))
			continue;
		q = s + i + k;
		if (q < s + n && (*q == '\'' || *q == '"'))
			q++;
		while (q < s + n && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= s + n || (*q != ':' && *q != '='))
			continue;
		q++;
		while (q < s + n && (*q == ' ' || *q == '\t'))
			q++;
		if (q < s + n && (*q == '\'' || *q == '"')) {
			char quote = *q++;

			for (m = 0; q + m < s + n && m <= FIELD_MAX && q[m] != quote && q[m] != '\n';
			     m++)
				;
			if (q + m >= s + n || q[m] != quote)
				continue;
		} else {
			for (m = 0; q + m < s + n && m <= FIELD_MAX &&
				    (is_word(q[m]) || (unsigned char)q[m] >= 0x80 ||
				     strchr("./%-", q[m]));
			     m++)
				;
			if (!m)
				continue;
		}
		if (m > FIELD_MAX)
			continue;
		add_unescaped(b, q, m);
		return 1;
	}
	return 0;
}

/* A whole number after "name" and ':' or '=' (quotes allowed around it), or -1. */
static long long number_after(const char *s, size_t n, const char *name)
{
	struct buf b = BUF_INIT(FIELD_MAX + 1);
	long long v = -1;

	if (field_value(s, n, name, &b) && b.len && b.len <= 12) {
		v = 0;
		for (size_t i = 0; i < b.len && v >= 0; i++)
			v = b.ptr[i] >= '0' && b.ptr[i] <= '9' ? v * 10 + (b.ptr[i] - '0') : -1;
	}
	buf_release(&b);
	return v;
}

/* <totalrecord>N</totalrecord>, or a script's totalRecord: N; -1 when neither. */
static long long total_records(const char *s, size_t n)
{
	const char *t = find_ci(s, n, "<totalrecord>");

	if (t) {
		long long v = 0;
		const char *q = t + strlen("<totalrecord>");
		int digits = 0;

		while (q < s + n && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t'))
			q++;
		for (; q < s + n && *q >= '0' && *q <= '9' && digits < 13; q++, digits++)
			v = v * 10 + (*q - '0');
		return digits && digits < 13 ? v : -1;
	}
	return number_after(s, n, "totalRecord") >= 0 ? number_after(s, n, "totalRecord")
						       : number_after(s, n, "totalrecord");
}

/*
 * The records' contents (CDATA unwrapped) into frag; *count records.
 * Says in out what was malformed.
 */
static void records(const char *s, size_t n, struct buf *frag, long *count, struct list_read *out)
{
	const char *p = s, *end = s + n;

	*count = 0;
	while ((p = find_ci(p, (size_t)(end - p), "<record"))) {
		const char *open = p + strlen("<record"), *body, *close;

		if (open < end && *open != '>' && *open != ' ' && *open != '\t' && *open != '\n') {
			p = open;	/* <recordset>, <recordcount>... */
			continue;
		}
		body = memchr(open, '>', (size_t)(end - open));
		if (!body) {
			lists_problem(out, "malformed data block: an unclosed <record> tag");
			return;
		}
		body++;
		close = find_ci(body, (size_t)(end - body), "</record>");
		if (!close) {
			lists_problem(out, "malformed data block: <record> without </record>");
			return;
		}
		for (const char *q = body; q < close;) {
			const char *cd = find_ci(q, (size_t)(close - q), "<![CDATA[");
			const char *ce;

			if (!cd) {
				buf_add(frag, q, (size_t)(close - q));
				break;
			}
			buf_add(frag, q, (size_t)(cd - q));
			cd += strlen("<![CDATA[");
			ce = find_ci(cd, (size_t)(close - cd), "]]>");
			if (!ce) {
				lists_problem(out, "malformed data block: an unterminated CDATA section");
				ce = close;
			}
			buf_add(frag, cd, (size_t)(ce - cd));
			q = ce < close ? ce + 3 : close;
		}
		buf_addc(frag, '\n');
		(*count)++;
		p = close + strlen("</record>");
	}
}

/* The dataproxy path the page names, or NULL when it names none. */
static const char *proxy_path(const char *s, size_t n)
{
	if (find_ci(s, n, "/module/web/jpage/dataproxy.jsp"))
		return "/module/web/jpage/dataproxy.jsp";
	if (find_ci(s, n, "/module/jpage/dataproxy.jsp"))
		return "/module/jpage/dataproxy.jsp";
	if (find_ci(s, n, "dataproxy.jsp"))
		return "/module/web/jpage/dataproxy.jsp";
	return NULL;
}

/* The form body the page's script would POST; NULL when it names no field. */
static char *form_body(const char *s, size_t n)
{
	struct buf b = BUF_INIT(8192), v = BUF_INIT(FIELD_MAX * 4);
	int any = 0;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		buf_reset(&v);
		if (!field_value(s, n, fields[i], &v))
			continue;
		if (b.len)
			buf_addc(&b, '&');
		buf_adds(&b, fields[i]);
		buf_addc(&b, '=');
		lists_form_escape(&b, v.ptr ? v.ptr : "", v.len);
		any = 1;
	}
	buf_release(&v);
	if (!any) {
		buf_release(&b);
		return NULL;
	}
	return buf_take(&b);
}

static int ask_block(struct list_read *out, const char *page_url, const char *path,
		     long long start, long long end, long long perpage, const char *body,
		     const struct links_opts *opts)
{
	struct buf u = BUF_INIT(8192);
	char *url;
	int ret;

	buf_addf(&u, "%s?startrecord=%lld&endrecord=%lld&perpage=%lld", path, start, end,
		 perpage);
	url = url_resolve_opts(page_url, buf_str(&u), opts ? opts->url : NULL);
	ret = url ? lists_add_request(out, url, body, opts) : -1;
	free(url);
	buf_release(&u);
	return ret;
}

/* startrecord, endrecord and perpage of a dataproxy request's URL (-1 for those absent). */
static void request_range(const char *url, long long *start, long long *end, long long *per)
{
	const char *q = strchr(url, '?');
	size_t n = q ? strlen(q) : 0;

	*start = q ? number_after(q, n, "startrecord") : -1;
	*end = q ? number_after(q, n, "endrecord") : -1;
	*per = q ? number_after(q, n, "perpage") : -1;
}

static int read_page(const struct list_page *p, const struct links_opts *opts,
		     struct list_read *out, struct err *err)
{
	const char *s = p->text;
	size_t n = text_len(p);
	struct buf frag = BUF_INIT(LINKS_MAX_INPUT);
	long nrec = 0;
	long long total, perpage, start, next;
	const char *path = proxy_path(s, n);
	char *body = NULL, *pq;
	int ret = 0;

	if (!find_ci(s, n, "<datastore") && !find_ci(s, n, "<recordset")) {
		lists_problem(out, "a column page that loads its list by script, without a data "
			      "block: only its plain links read");
		return 0;
	}
	records(s, n, &frag, &nrec, out);
	if (frag.len)
		ret = lists_add_fragment(out, frag.ptr, frag.len, p->url, opts, err);
	buf_release(&frag);
	if (ret)
		return ret;
	total = total_records(s, n);
	if (p->post_body) {
		/* a dataproxy answer: the next block only when the count is not known */
		long long end;

		request_range(p->url, &start, &end, &perpage);
		if (total >= 0 || start < 1 || end < start || nrec < end - start + 1)
			return 0;
		next = end + 1;
		if (perpage < 1)
			perpage = end - start + 1;
		pq = url_path_query(p->url);
		if (pq)
			pq[strcspn(pq, "?")] = '\0';
		if (!pq || ask_block(out, p->url, pq, next, next + (end - start), perpage,
				     p->post_body, opts))
			lists_problem(out, "cannot ask the dataproxy's next block");
		free(pq);
		return 0;
	}
	if (!path)
		return 0;	/* a record set without a dataproxy: the page is the whole list */
	body = form_body(s, n);
	if (!body) {
		if (total > nrec)
			lists_problem(out, "a data block of %ld of %lld records, without the "
				      "dataproxy's form fields: only the first block read", nrec,
				      total);
		return 0;
	}
	perpage = number_after(s, n, "perpage");
	if (perpage < 1)
		perpage = number_after(s, n, "perPage");
	if (perpage < 1)
		perpage = nrec > 0 ? nrec : DEFAULT_PERPAGE;
	if (total < 0) {
		/* the count not known: one block after the first, then each full one asks on */
		if (nrec >= perpage && ask_block(out, p->url, path, nrec + 1, nrec + perpage,
						 perpage, body, opts))
			lists_problem(out, "cannot ask the dataproxy's next block");
		free(body);
		return 0;
	}
	for (start = nrec + 1; start <= total; start += perpage) {
		if (out->next.n >= LISTS_MAX_REQUESTS) {
			out->requests_cut += (size_t)((total - start) / perpage + 1);
			break;
		}
		if (ask_block(out, p->url, path, start,
			      start + perpage - 1 < total ? start + perpage - 1 : total, perpage,
			      body, opts)) {
			lists_problem(out, "cannot ask the dataproxy's next blocks");
			break;
		}
	}
	free(body);
	return 0;
}

const struct list_reader list_datastore_reader = { "datastore", detect, read_page };
