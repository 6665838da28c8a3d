#include "reports/html.h"

#include "util/escape.h"
#include "util/banned.h"

/*
 * Kept small and plain: the page is meant to be saved, mailed and opened
 * anywhere.  Charts share the width in a grid that falls to one column
 * on a phone; plots scale to their column; wide tables scroll inside
 * their own box, never the page.
 */
static const char css[] =
	"html{-webkit-text-size-adjust:100%}"
	"body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\","
	"\"PingFang SC\",sans-serif;margin:0 auto;max-width:1180px;padding:0 14px 2em;"
	"color:#222;line-height:1.55;font-size:16px}"
	"h1{font-size:1.45em;line-height:1.3;margin:.6em 0 .2em}"
	"h2{font-size:1.2em;margin-top:2em;border-bottom:2px solid #1f62b4}"
	"h3{font-size:1.05em;margin:.2em 0}"
	"p,li,td,th,figcaption,h1,h2,h3{overflow-wrap:anywhere}"
	".sub{color:#555;margin-top:0}.crumbs{font-size:.9em;margin-top:.8em}"
	"nav.toc{display:flex;flex-wrap:wrap;gap:.2em 1.2em;font-size:.95em}"
	".note{color:#444;font-size:.92em}"
	"a{color:#1f62b4}"
	".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,440px),1fr));"
	"gap:1.2em 2em;margin:1em 0}"
	"figure.chart{margin:0;min-width:0}"
	".unit,.source,.coverage{font-size:.82em;color:#555;margin:.15em 0}"
	".coverage{color:#8a4b00}"
	/* a plot grows with its column up to 1.4 times its drawn size, no more: text stays text-sized */
	"svg.plot{display:block;width:100%;max-width:560px;height:auto;margin:.3em 0}"
	".multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));"
	"gap:.6em 1em}"
	".small-title{font-size:.8em;margin:0;line-height:1.3}"
	".table-wrap{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;font-size:.85em;margin:1em 0}"
	"th,td{border:1px solid #ccc;padding:.2em .5em;white-space:nowrap}"
	"th{background:#f3f3f3}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
	"tbody tr:nth-child(even){background:#fafafa}"
	"table.form th,table.form td{white-space:normal;min-width:3em}"
	"table.form td.label{text-align:left;min-width:8em}"
	"td.finding,.legend .finding{background:#fde0d6;outline:2px solid #d9541e}"
	"td.order,.legend .order{background:#fff4c2}td.fixed,.legend .fixed{background:#dff0d8}"
	"td.ocr,.legend .ocr{border-bottom:2px dotted #2a6fdb}"
	"td.uncertain,.legend .uncertain{background:#e6dcff}"
	"figure.crop{display:inline-block;vertical-align:top;margin:.4em 1.2em .8em 0;"
	"max-width:100%}"
	"figure.crop div{border:1px solid #7a4bd6;background-repeat:no-repeat;max-width:100%}"
	"figure.crop figcaption{font-size:.85em}"
	".legend span{display:inline-block;padding:0 .4em;margin-right:.6em}"
	"ul.findings li{margin:.4em 0}"
	"footer{margin-top:3em;color:#777;font-size:.85em}";

int html_page_begin(struct buf *b, const struct html_frame *fr, const struct rsection *s,
		    size_t n)
{
	const char *title = fr->title ? fr->title : "";
	int err = buf_adds(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
			      "<meta charset=\"utf-8\">\n"
			      "<meta name=\"viewport\" content=\"width=device-width, "
			      "initial-scale=1\">\n"
			      /* nothing may load or run: the page is data, whatever it quotes */
			      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
			      "'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>");

	err |= esc_html(b, title);
	err |= buf_addf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n", css);
	if (fr->crumbs)
		err |= buf_addf(b, "<nav class=\"crumbs\">%s</nav>\n", fr->crumbs);
	err |= buf_adds(b, "<h1>");
	err |= esc_html(b, title);
	err |= buf_adds(b, "</h1>\n");
	if (fr->subtitle && *fr->subtitle) {
		err |= buf_adds(b, "<p class=\"sub\">");
		err |= esc_html(b, fr->subtitle);
		err |= buf_adds(b, "</p>\n");
	}
	if (n > 1) {
		err |= buf_adds(b, "<nav class=\"toc\">");
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

int html_page_end(struct buf *b, const struct html_frame *fr)
{
	return buf_adds(b, fr->en ? "</main>\n<footer>Made by ogi from the warehouse: every "
				    "figure as published in the reports' tables; see 'ogi report "
				    "--help' for the definitions.</footer>\n</body>\n</html>\n"
				  : "</main>\n<footer>由 ogi 根据各单位年度报告中的表格计算，数字均"
				    "为报告所载；各项定义见 ogi report --help。</footer>\n</body>\n"
				    "</html>\n");
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

int html_write_page(FILE *out, const struct html_frame *fr, const struct rsection *s, size_t n)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	int err = html_page_begin(&b, fr, s, n);

	err |= flush(out, &b);
	for (size_t i = 0; i < n && !err; i++) {
		err |= html_section_begin(&b, &s[i]);
		err |= flush(out, &b);
		if (s[i].table && !err)
			err |= table_write(s[i].table, out, TF_HTML, 0);
		err |= html_section_end(&b);
		err |= flush(out, &b);
	}
	err |= html_page_end(&b, fr);
	err |= flush(out, &b);
	buf_release(&b);
	if (fflush(out) || ferror(out))
		err = -1;
	return err ? -1 : 0;
}
