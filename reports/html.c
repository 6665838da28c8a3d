#include "reports/html.h"

#include "util/escape.h"
#include "util/banned.h"

/* Kept small and plain: the page is meant to be saved, mailed and opened anywhere. */
static const char css[] =
	"body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;"
	"margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.5}"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #0072B2}"
	".sub{color:#555;margin-top:0}nav a{margin-right:1em}.note{color:#444;font-size:.95em}"
	".charts svg{display:block;margin:1em 0;max-width:100%;height:auto}"
	".table-wrap{overflow-x:auto}"
	"table{border-collapse:collapse;font-size:.85em;margin:1em 0}"
	"th,td{border:1px solid #ccc;padding:.2em .5em;white-space:nowrap}"
	"th{background:#f3f3f3;position:sticky;top:0}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
	"tbody tr:nth-child(even){background:#fafafa}"
	"footer{margin-top:3em;color:#777;font-size:.85em}";

int html_page_begin(struct buf *b, const char *title, const char *subtitle,
		    const struct rsection *s, size_t n)
{
	int err = buf_adds(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
			      "<meta charset=\"utf-8\">\n"
			      "<meta name=\"viewport\" content=\"width=device-width, "
			      "initial-scale=1\">\n"
			      /* nothing may load or run: the page is data, whatever it quotes */
			      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
			      "'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>");

	err |= esc_html(b, title ? title : "");
	err |= buf_addf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
	err |= esc_html(b, title ? title : "");
	err |= buf_adds(b, "</h1>\n");
	if (subtitle && *subtitle) {
		err |= buf_adds(b, "<p class=\"sub\">");
		err |= esc_html(b, subtitle);
		err |= buf_adds(b, "</p>\n");
	}
	if (n > 1) {
		err |= buf_adds(b, "<nav>");
		for (size_t i = 0; i < n; i++) {
			err |= buf_adds(b, "<a href=\"#");
			err |= esc_html(b, s[i].id);
			err |= buf_adds(b, "\">");
			err |= esc_html(b, s[i].title);
			err |= buf_adds(b, "</a>");
		}
		err |= buf_adds(b, "</nav>\n");
	}
	err |= buf_adds(b, "</header>\n<main>\n");
	return err ? -1 : 0;
}

int html_section_begin(struct buf *b, const struct rsection *s)
{
	int err = buf_adds(b, "<section id=\"");

	err |= esc_html(b, s->id);
	err |= buf_adds(b, "\">\n<h2>");
	err |= esc_html(b, s->title);
	err |= buf_adds(b, "</h2>\n");
	if (s->note.len) {
		err |= buf_adds(b, "<p class=\"note\">");
		err |= esc_html(b, buf_str(&s->note));
		err |= buf_adds(b, "</p>\n");
	}
	if (s->charts.len) {
		err |= buf_adds(b, "<div class=\"charts\">\n");
		err |= buf_add(b, s->charts.ptr, s->charts.len);
		err |= buf_adds(b, "</div>\n");
	}
	err |= buf_adds(b, "<div class=\"table-wrap\">\n");
	return err ? -1 : 0;
}

int html_section_end(struct buf *b)
{
	return buf_adds(b, "</div>\n</section>\n");
}

int html_page_end(struct buf *b)
{
	return buf_adds(b, "</main>\n<footer>Made by ogi from the warehouse: every figure as "
			   "published in the reports' tables; see 'ogi report --help' for the "
			   "definitions.</footer>\n</body>\n</html>\n");
}

static int flush(FILE *out, struct buf *b)
{
	if (b->len && fwrite(b->ptr, 1, b->len, out) != b->len) {
		buf_reset(b);
		return -1;
	}
	buf_reset(b);
	return 0;
}

int html_write_page(FILE *out, const char *title, const char *subtitle, const struct rsection *s,
		    size_t n)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	int err = html_page_begin(&b, title, subtitle, s, n);

	err |= flush(out, &b);
	for (size_t i = 0; i < n && !err; i++) {
		err |= html_section_begin(&b, &s[i]);
		err |= flush(out, &b);
		if (s[i].table && !err)
			err |= table_write(s[i].table, out, TF_HTML, 0);
		err |= html_section_end(&b);
		err |= flush(out, &b);
	}
	err |= html_page_end(&b);
	err |= flush(out, &b);
	buf_release(&b);
	if (fflush(out) || ferror(out))
		err = -1;
	return err ? -1 : 0;
}
