#include "reports/page.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/check.h"
#include "reports/html.h"
#include "util/escape.h"
#include "util/picture.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* What a page knows of each field while it lays out the tables. */
struct cellnote {
	struct buf why;		/* the findings it is part of, in words */
	int finding;
};

struct page {
	struct buf *b;
	const struct report *r;
	const struct rq *q;
	struct cellnote *notes;	/* one per field of r's format */
	size_t nfields;
	int en;
};

static void text(struct page *p, const char *s)
{
	esc_html(p->b, s ? s : "");
}

/* Whether r has figures read by OCR. */
static int ocr_cells(const struct report *r)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (r->values[i].ocr.read)
			return 1;
	return 0;
}

/* One cell of the form: the value as read, its published text and placing on hover. */
static void put_cell(struct page *p, size_t i)
{
	const struct report_value *v = i < p->r->nvalues ? &p->r->values[i] : NULL;
	struct buf tip = BUF_INIT(BUF_NOLIMIT), cls = BUF_INIT(BUF_NOLIMIT);
	int en = p->en;

	buf_adds(&cls, "num");
	if (!v || v->state == VAL_ABSENT) {
		buf_adds(&tip, en ? "not found on the page" : "页面上未找到此栏");
	} else {
		buf_addf(&tip, en ? "as published: '%s'" : "原文：“%s”", v->raw ? v->raw : "");
		if (v->how == HOW_ORDER) {
			buf_adds(&tip, en ? "; placed by the form's order of rows (its row has no label)"
					  : "；该行无标签，按表格行序填入");
			buf_adds(&cls, " order");
		} else if (v->how == HOW_LABEL) {
			buf_adds(&tip, en ? "; its row's label names it" : "；按行标签填入");
		}
		if (v->inferred)
			buf_adds(&tip, en ? "; its bounds were inferred" : "；单元格边界为推断");
		if (v->ocr.read) {
			buf_addf(&tip, en ? "; read by OCR in '%s', cell %d,%d %dx%d px, confidence %.0f"
					  : "；OCR 识别自“%s”，单元格 %d,%d %dx%d 像素，置信度 %.0f",
				 v->ocr.image ? v->ocr.image : "", v->ocr.x, v->ocr.y, v->ocr.w,
				 v->ocr.h, v->ocr.conf);
			buf_adds(&cls, " ocr");
		}
		if (v->ocr.uncertain) {
			buf_adds(&tip, en ? "; uncertain: no total of the form holds with it, to review"
					  : "；存疑：无合计可印证，待核对");
			buf_adds(&cls, " uncertain");
		}
	}
	if (v && v->how == HOW_FIX) {
		buf_adds(&tip, en ? "; a reviewer's fix ('ogi fix --list' shows what was read)"
				  : "；审核人员已更正（ogi fix --list 可见原读数）");
		buf_adds(&cls, " fixed");
	}
	if (i < p->nfields && p->notes[i].finding) {
		buf_adds(&cls, " finding");
		buf_addf(&tip, "\n%s", buf_str(&p->notes[i].why));
	}
	buf_adds(p->b, "<td class=\"");
	text(p, buf_str(&cls));
	buf_adds(p->b, "\" title=\"");
	text(p, buf_str(&tip));
	buf_adds(p->b, "\">");
	if (v && v->state == VAL_NUMBER)
		words_count(p->b, v->num);
	else if (v && v->state == VAL_INVALID)
		text(p, v->raw);
	else if (!v || v->state == VAL_ABSENT)
		buf_adds(p->b, "?");
	buf_adds(p->b, "</td>");
	buf_release(&tip);
	buf_release(&cls);
}

static size_t field_of(const struct report *r, const struct fmt_row *row, size_t c)
{
	int i = fmt_field_index(r->format, row->table, row->key, row->cols[c].key);

	return i < 0 ? SIZE_MAX : (size_t)i;
}

static void th(struct page *p, const char *attrs, const char *s)
{
	buf_addf(p->b, "<th%s>", attrs ? attrs : "");
	text(p, s);
	buf_adds(p->b, "</th>");
}

/* Table 2: a block per set of columns, each under its own heading row, as printed. */
static void table2(struct page *p)
{
	size_t n;
	const struct fmt_row *rows = fmt_rows(&n), *prev = NULL;

	buf_adds(p->b, "<div class=\"table-wrap\"><table class=\"form t2\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct fmt_row *row = &rows[i];

		if (row->table != 2 || !(row->formats & (unsigned)p->r->format))
			continue;
		if (!prev || prev->cols != row->cols) {
			buf_adds(p->b, "<tr>");
			th(p, NULL, fmt_heading(FH_T2_ITEM));
			for (size_t c = 0; c < row->ncols; c++)
				th(p, NULL, row->cols[c].label);
			buf_adds(p->b, "</tr>\n");
		}
		buf_adds(p->b, "<tr><td class=\"label\">");
		text(p, row->label);
		buf_adds(p->b, "</td>");
		for (size_t c = 0; c < row->ncols; c++)
			put_cell(p, field_of(p->r, row, c));
		buf_adds(p->b, "</tr>\n");
		prev = row;
	}
	buf_adds(p->b, "</table></div>\n");
}

static int in_outcomes(const struct fmt_row *row)
{
	return row->flags & (FR_OUTCOME | FR_TOTAL);
}

/* Table 3 with its printed header: the note, 申请人情况, 自然人 | 法人或其他组织 (5) | 总计. */
static void table3(struct page *p)
{
	size_t n, ncols, block = 0;
	const struct fmt_row *rows = fmt_rows(&n);
	const struct fmt_col *cols = fmt_t3_cols(&ncols);
	const char *open_group = NULL;

	buf_adds(p->b, "<div class=\"table-wrap\"><table class=\"form t3\">\n<tr>");
	th(p, " colspan=\"3\" rowspan=\"3\" class=\"label\"", fmt_heading(FH_T3_NOTE));
	buf_addf(p->b, "<th colspan=\"%zu\">", ncols);
	text(p, fmt_heading(FH_T3_APPLICANT));
	buf_adds(p->b, "</th></tr>\n<tr>");
	for (size_t c = 0, orgs = 0; c < ncols; c++) {
		if ((cols[c].flags & FC_APPLICANT) && c > 0) {
			if (!orgs++) {
				size_t k = 0;

				for (size_t d = c; d < ncols && (cols[d].flags & FC_APPLICANT); d++)
					k++;
				buf_addf(p->b, "<th colspan=\"%zu\">", k);
				text(p, fmt_heading(FH_T3_ORGS));
				buf_adds(p->b, "</th>");
			}
			continue;
		}
		th(p, " rowspan=\"2\"", cols[c].label);
	}
	buf_adds(p->b, "</tr>\n<tr>");
	for (size_t c = 1; c < ncols; c++)
		if (cols[c].flags & FC_APPLICANT)
			th(p, NULL, cols[c].label);
	buf_adds(p->b, "</tr>\n");
	for (size_t i = 0; i < n; i++)
		if (rows[i].table == 3 && (rows[i].formats & (unsigned)p->r->format) &&
		    in_outcomes(&rows[i]))
			block++;
	for (size_t i = 0; i < n; i++) {
		const struct fmt_row *row = &rows[i];

		if (row->table != 3 || !(row->formats & (unsigned)p->r->format))
			continue;
		buf_adds(p->b, "<tr>");
		if (!in_outcomes(row)) {
			th(p, " colspan=\"3\" class=\"label\"", row->label);
		} else {
			if (block) {
				buf_addf(p->b, "<th rowspan=\"%zu\" class=\"label\">", block);
				text(p, fmt_heading(FH_T3_OUTCOMES));
				buf_adds(p->b, "</th>");
				block = 0;
			}
			if (row->group && (!open_group || strcmp(open_group, row->group))) {
				size_t k = 0;

				for (size_t j = i; j < n; j++)
					if (rows[j].table == 3 &&
					    (rows[j].formats & (unsigned)p->r->format) &&
					    rows[j].group && !strcmp(rows[j].group, row->group))
						k++;
				buf_addf(p->b, "<th rowspan=\"%zu\" class=\"label\">", k);
				text(p, fmt_group_label(row->group));
				buf_adds(p->b, "</th>");
			}
			open_group = row->group;
			th(p, row->group ? " class=\"label\"" : " colspan=\"2\" class=\"label\"",
			   row->label);
		}
		for (size_t c = 0; c < row->ncols; c++)
			put_cell(p, field_of(p->r, row, c));
		buf_adds(p->b, "</tr>\n");
	}
	buf_adds(p->b, "</table></div>\n");
}

/* Table 4: 行政复议 | 行政诉讼 (未经复议直接起诉, 复议后起诉), five columns each, one row. */
static void table4(struct page *p)
{
	size_t n, nblocks = 0;
	const struct fmt_row *rows = fmt_rows(&n), *blocks[8];

	for (size_t i = 0; i < n && nblocks < 8; i++)
		if (rows[i].table == 4 && (rows[i].formats & (unsigned)p->r->format))
			blocks[nblocks++] = &rows[i];
	if (!nblocks)
		return;
	buf_adds(p->b, "<div class=\"table-wrap\"><table class=\"form t4\">\n<tr>");
	buf_addf(p->b, "<th colspan=\"%zu\" rowspan=\"2\">", blocks[0]->ncols);
	text(p, blocks[0]->label);
	buf_addf(p->b, "</th><th colspan=\"%zu\">", (nblocks - 1) * blocks[0]->ncols);
	text(p, fmt_heading(FH_T4_SUIT));
	buf_adds(p->b, "</th></tr>\n<tr>");
	for (size_t b = 1; b < nblocks; b++) {
		buf_addf(p->b, "<th colspan=\"%zu\">", blocks[b]->ncols);
		text(p, fmt_short_label(blocks[b]->key));
		buf_adds(p->b, "</th>");
	}
	buf_adds(p->b, "</tr>\n<tr>");
	for (size_t b = 0; b < nblocks; b++)
		for (size_t c = 0; c < blocks[b]->ncols; c++)
			th(p, NULL, blocks[b]->cols[c].label);
	buf_adds(p->b, "</tr>\n<tr>");
	for (size_t b = 0; b < nblocks; b++)
		for (size_t c = 0; c < blocks[b]->ncols; c++)
			put_cell(p, field_of(p->r, blocks[b], c));
	buf_adds(p->b, "</tr>\n</table></div>\n");
}

/* A link to a location: a web address as a link (its text the address), a path as text. */
static void put_location(struct page *p, const char *loc)
{
	if (model_is_url(loc)) {
		buf_adds(p->b, "<a href=\"");
		text(p, loc);
		buf_adds(p->b, "\">");
		text(p, loc);
		buf_adds(p->b, "</a>");
	} else {
		buf_adds(p->b, "<span class=\"path\">");
		text(p, loc);
		buf_adds(p->b, "</span>");
	}
}

static int load_prev(struct store *st, int64_t id, struct report *prev, int *have, struct err *err)
{
	int64_t prev_id = 0;
	int ret = store_previous_report(st, id, &prev_id, err);

	*have = 0;
	if (ret || !prev_id)
		return ret;
	ret = store_get_report(st, prev_id, prev, NULL, err);
	*have = !ret;
	return ret;
}

#define CROP_MARGIN 8		/* pixels of the picture shown around a cell */
#define CROP_MAX_BYTES ((size_t)8 << 20)	/* a larger picture is named, not embedded */

/*
 * The uncertain figures read by OCR, each with its cell cut from the
 * picture it was read in (the picture embedded once, as a data: URI, and
 * shown through a window at the cell's box), its key and the command that
 * fixes it: what a reviewer needs to confirm or correct a figure without
 * opening the picture.
 */
static int review_section(struct page *p, struct store *st, int64_t report_id,
			  const struct report_source_list *sources, struct err *err)
{
	const struct report *r = p->r;
	struct buf *b = p->b;
	size_t nf, n = 0;
	const struct fmt_field *f = fmt_fields(r->format, &nf);
	char *shown = xcalloc(sources->n ? sources->n : 1, 1);	/* picture embedded: 1, not: 2 */
	int en = p->en, ret = 0;

	for (size_t i = 0; i < r->nvalues && i < nf; i++)
		n += r->values[i].ocr.read && r->values[i].ocr.uncertain;
	if (!n)
		goto out;
	buf_addf(b, "<section id=\"review\"><h2>%s</h2>\n<p>", en ? "Figures to review"
								      : "待核对的数字");
	buf_addf(b, en ? "%zu figures read by OCR are uncertain: no total of the form holds "
			 "with them. Each is shown as the picture has it; 'ogi fix' sets the "
			 "right value.</p>\n"
		       : "%zu 个 OCR 识别的数字存疑（无合计可印证）。下列各格为图片原样；"
			 "用 ogi fix 可更正。</p>\n", n);
	for (size_t i = 0; i < r->nvalues && i < nf && !ret; i++) {
		const struct report_value *v = &r->values[i];
		const struct value_ocr *o = &v->ocr;
		size_t k;
		char key[FMT_PATH_SIZE];
		int x, y;

		if (!o->read || !o->uncertain)
			continue;
		for (k = 0; k < sources->n; k++)
			if (o->image && !strcmp(sources->v[k].location, o->image))
				break;
		if (k < sources->n && !shown[k]) {
			char *bytes = NULL;
			size_t len = 0;
			const char *type;

			ret = store_get_source(st, sources->v[k].source_id, &bytes, &len, NULL, NULL,
					       err);
			if (ret)
				break;
			type = len <= CROP_MAX_BYTES ? picture_type(bytes, len) : NULL;
			shown[k] = type ? 1 : 2;
			if (type) {
				buf_addf(b, "<style>.pic%zu{background-image:url(data:%s;base64,", k,
					 type);
				esc_base64(b, bytes, len);
				buf_adds(b, ")}</style>\n");
			}
			free(bytes);
		}
		x = o->x > CROP_MARGIN ? o->x - CROP_MARGIN : 0;
		y = o->y > CROP_MARGIN ? o->y - CROP_MARGIN : 0;
		buf_adds(b, "<figure class=\"crop\">");
		if (k < sources->n && shown[k] == 1)
			buf_addf(b, "<div class=\"pic%zu\" style=\"width:%dpx;height:%dpx;"
				    "background-position:-%dpx -%dpx\"></div>", k,
				 o->w + (o->x - x) + CROP_MARGIN, o->h + (o->y - y) + CROP_MARGIN, x, y);
		buf_adds(b, "<figcaption>");
		text(p, fmt_short_label(f[i].row->key));
		buf_adds(b, " · ");
		text(p, fmt_col_label(f[i].table, f[i].col->key));
		buf_adds(b, en ? ": read " : "：读作 ");
		text(p, v->raw ? v->raw : "–");
		buf_addf(b, en ? ", confidence %.0f" : "，置信度 %.0f", o->conf);
		buf_adds(b, en ? "<br>in " : "<br>图片：");
		text(p, o->image ? o->image : "?");
		buf_addf(b, en ? ", cell %d,%d %dx%d px" : "，单元格 %d,%d %dx%d 像素", o->x, o->y,
			 o->w, o->h);
		fmt_field_path(f[i].table, f[i].row->key, f[i].col->key, key);
		buf_addf(b, "<br><code>ogi fix %lld %s VALUE --why ...</code></figcaption></figure>\n",
			 (long long)report_id, key);
	}
	buf_adds(b, "</section>\n");
out:
	free(shown);
	return ret;
}

int page_report(struct buf *b, struct store *st, int64_t report_id, const struct rq *q,
		struct err *err)
{
	struct report r, prev;
	struct report_info info;
	struct report_source_list sources = { 0 };
	struct finding_list l;
	struct page p = { b, &r, q, NULL, 0, q->lang == RL_EN };
	struct buf title = BUF_INIT(BUF_NOLIMIT), sub = BUF_INIT(BUF_NOLIMIT);
	struct buf crumbs = BUF_INIT(BUF_NOLIMIT), href = BUF_INIT(BUF_NOLIMIT);
	struct html_frame fr;
	size_t nf = 0;
	int have_prev = 0, ret, en = p.en;

	report_init(&r);
	report_init(&prev);
	finding_list_init(&l);
	ret = store_get_report(st, report_id, &r, &info, err);
	if (!ret)
		ret = store_report_sources(st, report_id, &sources, err);
	if (!ret)
		ret = load_prev(st, report_id, &prev, &have_prev, err);
	if (ret)
		goto out;
	check_report(&r, have_prev ? &prev : NULL, &l);
	fmt_fields(r.format, &nf);
	p.nfields = nf;
	p.notes = xcalloc(nf ? nf : 1, sizeof(*p.notes));
	for (size_t i = 0; i < nf; i++)
		buf_init(&p.notes[i].why, BUF_NOLIMIT);
	for (size_t k = 0; k < l.n; k++) {
		size_t idx[64], m = check_finding_fields(&l.items[k], &r, idx, 64);
		struct buf w = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&w, "%s: ", l.items[k].rule);
		check_explain(&l.items[k], &r, en, &w);
		for (size_t j = 0; j < m; j++) {
			p.notes[idx[j]].finding = 1;
			buf_addf(&p.notes[idx[j]].why, "%s%s", p.notes[idx[j]].why.len ? "\n" : "",
				 buf_str(&w));
		}
		buf_release(&w);
	}

	if (en)
		buf_addf(&title, "%s: annual report for %d", r.organization ? r.organization : "?",
			 r.year);
	else
		buf_addf(&title, "%s%d年政府信息公开工作年度报告", r.organization ? r.organization : "",
			 r.year);
	buf_addf(&sub, en ? "report %lld · format %s · %s" : "报告 %lld · %s年格式 · %s",
		 (long long)info.id, fmt_version_name(r.format),
		 en ? report_status_name(r.status)
		    : r.status == RS_COMPLETE ? "表格完整"
		    : r.status == RS_PARTIAL  ? "表格不全"
					      : "无可读表格");
	if (q->site_root) {
		buf_addf(&crumbs, "<a href=\"%sindex.html\">%s</a> › ", q->site_root,
			 en ? "overview" : "总览");
		model_body_href(&href, q, info.body_id);
		buf_adds(&crumbs, "<a href=\"");
		esc_html(&crumbs, buf_str(&href));
		buf_adds(&crumbs, "\">");
		esc_html(&crumbs, r.organization ? r.organization : "?");
		buf_adds(&crumbs, "</a>");
	}
	fr.title = buf_str(&title);
	fr.subtitle = buf_str(&sub);
	fr.crumbs = crumbs.len ? buf_str(&crumbs) : NULL;
	fr.en = en;
	html_page_begin(b, &fr, NULL, 0);

	buf_adds(b, "<section id=\"source\"><h2>");
	buf_adds(b, en ? "Where it was read" : "来源");
	buf_adds(b, "</h2>\n<ul class=\"sources\">");
	for (size_t i = 0; i < sources.n; i++) {
		const struct report_source_row *s = &sources.v[i];

		buf_addf(b, "<li>%s%s：", s->role == SOURCE_ATTACHMENT ? (en ? "attachment" : "附件")
								       : (en ? "page" : "原文"),
			 s->chosen ? (en ? " (figures from here)" : "（数字取自此处）") : "");
		put_location(&p, s->location);
		buf_adds(b, "</li>");
	}
	if (!sources.n) {
		buf_adds(b, "<li>");
		put_location(&p, info.location);
		buf_adds(b, "</li>");
	}
	buf_adds(b, "</ul>\n<p class=\"note\">");
	if (en)
		buf_addf(b, "Body %s (level %s, under %s); published %s; fetched %s.",
			 r.organization ? r.organization : "?", r.level ? r.level : "–",
			 r.parent ? r.parent : "–", r.published ? r.published : "–",
			 info.fetched_at[0] ? info.fetched_at : "–");
	else {
		buf_adds(b, "单位：");
		text(&p, r.organization);
		buf_addf(b, "（%s，上级：", words_value(r.level ? r.level : "–", q->lang));
		text(&p, r.parent ? r.parent : "–");
		buf_addf(b, "）；发布日期：%s；抓取时间：%s。", r.published ? r.published : "–",
			 info.fetched_at[0] ? info.fetched_at : "–");
	}
	if (r.missing) {
		buf_adds(b, en ? " Not read: " : "未读到：");
		text(&p, r.missing);
		buf_adds(b, en ? "." : "。");
	}
	if (r.reason == RREASON_IMAGE)
		buf_adds(b, en ? " Its tables are images: no rule can check them until they are read."
			       : "表格为图片：读出之前无法检查。");
	buf_adds(b, "</p></section>\n");

	buf_addf(b, "<section id=\"findings\"><h2>%s</h2>\n", en ? "Findings of the rules"
								  : "勾稽关系检查");
	if (!l.n) {
		buf_adds(b, en ? "<p>No rule finds anything in this report.</p>\n"
			       : "<p>未发现问题。</p>\n");
	} else {
		buf_adds(b, "<ul class=\"findings\">\n");
		for (size_t k = 0; k < l.n; k++) {
			const struct finding *f = &l.items[k];
			struct buf w = BUF_INIT(BUF_NOLIMIT);

			buf_addf(b, "<li><strong>%s</strong> %s：", f->rule,
				 check_kind_words(f->kind, en));
			check_rule_words(f->rule, en, &w);
			text(&p, buf_str(&w));
			buf_adds(b, "<br>");
			buf_reset(&w);
			check_explain(f, &r, en, &w);
			text(&p, buf_str(&w));
			buf_adds(b, "</li>\n");
			buf_release(&w);
		}
		buf_adds(b, "</ul>\n");
	}
	buf_adds(b, en ? "<p class=\"legend note\"><span class=\"finding\">red frame</span>a cell of "
			 "a finding <span class=\"order\">yellow</span>placed by the form's order of "
			 "rows (its row has no label) <span class=\"fixed\">green</span>fixed by a "
			 "reviewer; hover a cell for its published text.</p>\n"
		       : "<p class=\"legend note\"><span class=\"finding\">红框</span>问题涉及的单元格"
			 "<span class=\"order\">黄底</span>该行无标签、按表格行序填入"
			 "<span class=\"fixed\">绿底</span>审核人员已更正；鼠标停在单元格"
			 "上可见原文。</p>\n");
	if (ocr_cells(&r))
		buf_adds(b, en ? "<p class=\"legend note\"><span class=\"ocr\">dotted</span>read by OCR "
				 "from a picture (the form's totals vouch for it) <span class=\"uncertain\">"
				 "violet</span>read by OCR, uncertain: to review</p>\n"
			       : "<p class=\"legend note\"><span class=\"ocr\">虚线</span>OCR 识别自图片"
				 "（合计可印证）<span class=\"uncertain\">紫底</span>OCR 识别存疑，待核对"
				 "</p>\n");
	buf_adds(b, "</section>\n");
	if (r.nvalues) {
		buf_addf(b, "<section id=\"t2\"><h2>%s</h2>\n", fmt_heading(FH_SECTION2));
		table2(&p);
		buf_addf(b, "</section>\n<section id=\"t3\"><h2>%s</h2>\n", fmt_heading(FH_SECTION3));
		table3(&p);
		buf_addf(b, "</section>\n<section id=\"t4\"><h2>%s</h2>\n", fmt_heading(FH_SECTION4));
		table4(&p);
		buf_adds(b, "</section>\n");
	}
	ret = review_section(&p, st, report_id, &sources, err);
	if (ret)
		goto out;
	html_page_end(b, &fr);
out:
	for (size_t i = 0; i < p.nfields; i++)
		buf_release(&p.notes[i].why);
	free(p.notes);
	finding_list_release(&l);
	store_report_source_list_release(&sources);
	report_release(&r);
	report_release(&prev);
	buf_release(&title);
	buf_release(&sub);
	buf_release(&crumbs);
	buf_release(&href);
	return ret;
}
