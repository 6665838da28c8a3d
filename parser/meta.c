/*
 * The page's metadata readers (see meta.h).  This file stays whole, at
 * about 1,500 lines: the title, body, year and date readers share one
 * folding of the text (norm()), one set of compiled patterns and one view
 * of the page's head (struct head), and each falls back on what the others
 * found (a title's body, then the issuer, the signature, names in passing);
 * the place-name grammar at the end (levels, parents, chains of places) is
 * what the body reader itself is made of.  Split, they would trade these
 * through a header that no other module needs.
 */
#include "parser/meta.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/textline.h"
#include "util/buf.h"
#include "util/once.h"
#include "util/re.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define HEAD_LINES 40		/* dates, years and issuers are looked for here ... */
#define TAIL_LINES 10		/* ... and the signature date at the end here */
#define TITLE_LINES 30		/* where a heading may stand in for the page title */
#define LINE_MAX_BYTES 16384	/* a paragraph is read this far: headers are short */
#define TITLE_MAX_BYTES 1024	/* longer lines are prose, not a title */
#define NAME_MAX_CHARS 128	/* organisation names longer than this are not names */

/*
 * Patterns run over text folded by norm(): valid UTF-8, full-width digits
 * and letters as ASCII, white space collapsed (or dropped in titles).
 */

/* A report title: a body, 信息公开, a report word at the end, perhaps a note in brackets. */
static const char *const title_pattern =
	"^[^，。；;！？!?>»、:：]{1,80}?(?:政府信息公开|政务公开|信息公开)"
	"[^，。；;！？!?>»:：]{0,20}?(?:报告|年报)(?:[(（][^()（）]{0,20}[)）])?$";
/* The year a title or phrase names. */
static const char *const year_pattern = "(?<!\\d)((?:19|20)\\d{2}) ?年";
/* "2022-2023年": the end of a range of years. */
#define YEAR_RANGE " ?[-－—–~～至到] ?(?:19|20)\\d{2}"
/* Where the organisation's name ends in a title. */
static const char *const cut_pattern =
	"关于|[(（]?(?<!\\d)(?:19|20)\\d{2}(?:" YEAR_RANGE ")? ?年"
	"|政府信息公开|政务公开|信息公开|年度报告|工作报告|年报";
/* A year phrase or 关于 opening a title ("2019年上海市..."). */
static const char *const lead_pattern =
	"^(?:关于|[(（]?(?:19|20)\\d{2}(?:" YEAR_RANGE ")? ?年度?[)）]?)";
/*
 * Dates: 1-4 numeric with one separator, 5-7 年月日, 8-10 in Chinese
 * numerals (二〇二四年一月十七日, as reports are signed).
 */
static const char *const date_pattern =
	"(?<!\\d)((?:19|20)\\d{2}) ?([-/.]) ?(\\d{1,2}) ?\\2 ?(\\d{1,2})(?!\\d)"
	"|(?<!\\d)((?:19|20)\\d{2}) ?年 ?(\\d{1,2}) ?月 ?(\\d{1,2})(?!\\d) ?[日号]?"
	"|([〇零○Oo0一二三四五六七八九]{4}) ?年 ?([一二三四五六七八九十]{1,3}) ?月 ?"
	"([一二三四五六七八九十]{1,3}) ?[日号]";
/*
 * A label just before a date.  Group 1: when the page was published;
 * group 2: when the document was made, a weaker hint.  Not after another
 * Han character, so that 统计时间 and 更新时间 are not 时间.
 */
static const char *const label_pattern =
	"(?<!\\p{Han})(?:(发布日期|发布时间|发布于|发稿时间|时间|日期)"
	"|(成文日期|成文时间|公文生成日期|生成日期|发文日期|印发日期))"
	" ?[:：]? ?$";
/* The reporting period ("统计期限自2023年1月1日起"), then any "2023年度". */
static const char *const period_pattern =
	"统计(?:期限|时限|时间|区间|期间|范围|周期)?[^。；]{0,10}?(?<!\\d)((?:19|20)\\d{2}) ?年";
static const char *const yeardu_pattern = "(?<!\\d)((?:19|20)\\d{2}) ?年度";
/* The metadata block of TRS pages: 发布机构：晋江市龙湖镇人民政府 */
static const char *const issuer_pattern =
	"(?<!\\p{Han})(?:发布机构|发文机关|发文单位|发布单位) ?[:：] ?([^\\s:：|，,;；]{2,40})";

/* "2020年，我镇...": a year the opening of the text names in passing. */
static const char *const prose_year_pattern = "(?<!\\d)((?:19|20)\\d{2}) ?年 ?[，,]";
/* Words before a title that a sentence announces it with ("现向社会公布X报告"), or 《X报告》. */
static const char *const announce_pattern =
	"(?:现予?(?:发布|公布|公开)|(?:特|现)?向社会公布|发布|公布|编制形成了?|编制完成了?|"
	"特编制|编制了|编写了|现将)(?:本机关|本单位|本)?"
	"([^，。；;！？!?:：《》“”]{2,80}?(?:报告|年报))(?=[，。；;！？!?]|$)"
	"|《([^《》]{2,80}?(?:报告|年报))》";
/* Who compiled or answers for the report: "由X编制", "请与X联系". */
static const char *const contact_pattern =
	"由([^，。；;:：、\\s]{2,40}?)(?:负责)?(?:编制|编写|发布)"
	"|请(?:与|向|联系)([^，。；;:：、\\s（(]{2,40}?)(?:联系|咨询|反映|$|[（(，。])";

static pcre2_code *re_title, *re_year, *re_cut, *re_lead, *re_date, *re_label, *re_period,
	*re_yeardu, *re_issuer, *re_announce, *re_contact, *re_prose_year;
static _Thread_local pcre2_match_data *md;
static struct once compiled = ONCE_INIT;

static void compile(void)
{
	re_title = re_builtin(title_pattern);
	re_year = re_builtin(year_pattern);
	re_cut = re_builtin(cut_pattern);
	re_lead = re_builtin(lead_pattern);
	re_date = re_builtin(date_pattern);
	re_label = re_builtin(label_pattern);
	re_period = re_builtin(period_pattern);
	re_yeardu = re_builtin(yeardu_pattern);
	re_issuer = re_builtin(issuer_pattern);
	re_announce = re_builtin(announce_pattern);
	re_contact = re_builtin(contact_pattern);
	re_prose_year = re_builtin(prose_year_pattern);
}

static void compile_all(void)
{
	once_run(&compiled, compile);
}

void meta_cleanup(void)
{
	pcre2_code **all[] = { &re_title,    &re_year,	  &re_cut,	   &re_lead,
			       &re_date,     &re_label,	  &re_period,	   &re_yeardu,
			       &re_issuer,   &re_announce, &re_contact,	   &re_prose_year };

	if (!once_reset(&compiled))
		return;
	for (size_t i = 0; i < NELEM(all); i++) {
		pcre2_code_free(*all[i]);
		*all[i] = NULL;
	}
	re_thread_cleanup();
}

/*
 * Matches re against s[0..len) from off.  Subjects come from norm() (or are
 * built-in strings), so they are valid UTF-8 and the check is skipped.  The
 * ovector lives in md until the next match: callers copy what they need.
 */
static int match_at(pcre2_code *re, const char *s, size_t len, size_t off)
{
	return pcre2_match(re, (PCRE2_SPTR)s, len, off, PCRE2_NO_UTF_CHECK,
			   re_thread_md(&md, 16), NULL) >= 0;
}

static PCRE2_SIZE *ovec(void)
{
	return pcre2_get_ovector_pointer(re_thread_md(&md, 16));
}

void meta_init(struct meta *m)
{
	memset(m, 0, sizeof(*m));
}

void meta_release(struct meta *m)
{
	free(m->organization);
	free(m->title);
	free(m->published);
	meta_init(m);
}

static int is_pad(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == DOC_CELL_SEP ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

static int is_invisible(uint32_t cp)
{
	return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
	       cp == 0xAD;
}

static int is_ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

enum { NORM_LINE, NORM_TIGHT };

/*
 * Folds s[0..len) into a new string of at most max bytes: invalid bytes
 * and invisible characters dropped, full-width digits and letters made
 * ASCII, padding (NBSP, U+3000 ...) collapsed to one space and trimmed.
 * NORM_TIGHT keeps a space only between two ASCII letters or digits, as
 * Chinese titles are spaced for looks ("2023年 政府信息公开").
 */
static char *norm(const char *s, size_t len, size_t max, int mode)
{
	/* Never longer than s: a space stands for one pad or more, folding shortens. */
	size_t cap = len < max ? len : max, o = 0;
	char *out = xmalloc(cap + 1);
	const char *p = s, *end = s + len;
	uint32_t last = 0;
	int pending = 0;

	while (p < end) {
		const char *at = p;
		uint32_t cp;
		size_t n;

		if ((unsigned char)*p < 0x80) {
			cp = (unsigned char)*p++;
		} else if (utf8_decode(&p, end, &cp)) {
			p++;
			continue;
		}
		if (is_invisible(cp))
			continue;
		if (is_pad(cp)) {
			pending = o > 0;
			continue;
		}
		if (pending && (mode == NORM_LINE || (is_ascii_alnum(last) && is_ascii_alnum(cp)))) {
			if (o + 1 > cap)
				break;
			out[o++] = ' ';
		}
		pending = 0;
		if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
		    (cp >= 0xFF41 && cp <= 0xFF5A)) {
			cp -= 0xFEE0;	/* written as its one ASCII byte */
			n = 1;
		} else {
			n = (size_t)(p - at);
		}
		if (o + n > cap)
			break;
		if (n == 1)
			out[o] = (char)cp;
		else
			memcpy(out + o, at, n);
		o += n;
		last = cp;
	}
	out[o] = '\0';
	return out;
}

static size_t count_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

static int ends_with_any(const char *s, size_t n, const char *const *suffixes, size_t count)
{
	for (size_t k = 0; k < count; k++)
		if (ends_with(s, n, suffixes[k]))
			return 1;
	return 0;
}

/* The first year 1990..2100 that s names as "2023年"; 0 if none. */
static int find_year(pcre2_code *re, const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len && match_at(re, s, len, off)) {
		PCRE2_SIZE *ov = ovec();
		int y = 0;

		for (PCRE2_SIZE i = ov[2]; i < ov[3]; i++)
			y = y * 10 + (s[i] - '0');
		if (y >= 1990 && y <= 2100)
			return y;
		off = ov[1];
	}
	return 0;
}

/* 1: a report title; 2: one that names its year; 0: anything else. */
static int title_score(const char *t)
{
	if (!t || !*t || strlen(t) > TITLE_MAX_BYTES || !match_at(re_title, t, strlen(t), 0))
		return 0;
	return find_year(re_year, t) ? 2 : 1;
}

/* Separators a site appends its name with: _ | ｜ — – - － (a dash between digits is a range). */
static int is_separator(const char *s, size_t i, size_t len, size_t *seplen)
{
	static const char *const seps[] = { "_", "|", "｜", "—", "–", "-", "－" };

	for (size_t k = 0; k < NELEM(seps); k++) {
		size_t n = strlen(seps[k]);

		if (i + n > len || memcmp(s + i, seps[k], n))
			continue;
		if ((k >= 5) && i > 0 && i + n < len && s[i - 1] >= '0' && s[i - 1] <= '9' &&
		    s[i + n] >= '0' && s[i + n] <= '9')
			return 0;
		*seplen = n;
		return 1;
	}
	return 0;
}

/* Drops 《》 and quotes around a title. */
static char *strip_quotes(const char *s, size_t len)
{
	static const char *const open[] = { "《", "“", "\"", "【" };
	static const char *const close[] = { "》", "”", "\"", "】" };
	int again = 1;

	while (again) {
		again = 0;
		for (size_t k = 0; k < NELEM(open); k++) {
			size_t o = strlen(open[k]), c = strlen(close[k]);

			if (len >= o + c && !memcmp(s, open[k], o) &&
			    !memcmp(s + len - c, close[k], c)) {
				s += o;
				len -= o + c;
				again = 1;
			}
		}
	}
	return xstrndup(s, len);
}

/*
 * The report's own title from a page <title>: of the parts the site name
 * is joined with, the first one that reads as a report title, else the
 * first that says 报告, else the first part.  Caller frees; NULL for none.
 */
static char *clean_page_title(const char *raw)
{
	char *t, *best = NULL, *with_report = NULL, *first = NULL;
	size_t len, start = 0;

	if (!raw)
		return NULL;
	t = norm(raw, strlen(raw), TITLE_MAX_BYTES * 4, NORM_TIGHT);
	len = strlen(t);
	for (size_t i = 0; i <= len && !best;) {
		size_t seplen = 0;

		if (i < len && !is_separator(t, i, len, &seplen)) {
			i++;
			continue;
		}
		if (i > start) {
			char *part = strip_quotes(t + start, i - start);

			if (title_score(part)) {
				best = part;
			} else if (!with_report && (strstr(part, "报告") || strstr(part, "年报"))) {
				with_report = part;
			} else if (!first) {
				first = part;
			} else {
				free(part);
			}
		}
		i += i < len ? seplen : 1;
		start = i;
	}
	if (!best)
		best = with_report ? with_report : first;
	if (best != with_report)
		free(with_report);
	if (best != first)
		free(first);
	free(t);
	if (best && strlen(best) > TITLE_MAX_BYTES) {
		free(best);	/* a page title that long is junk, not a title */
		best = NULL;
	}
	return best;
}

static const char *const place_chars[] = { "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡" };

/*
 * The organisation named by a title: what stands before 关于, the year or
 * 政府信息公开, once a leading year phrase is skipped.  NULL if nothing is left.
 */
static char *org_from_title(const char *t)
{
	const char *p = t, *end = t + strlen(t), *cut = end;
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	char *org;
	size_t n;

	for (int i = 0; i < 4 && p < end && match_at(re_lead, p, (size_t)(end - p), 0); i++)
		p += ovec()[1];
	if (match_at(re_cut, p, (size_t)(end - p), 0))
		cut = p + ovec()[0];
	n = (size_t)(cut - p);
	/* Trailing connectives and brackets left by the cut. */
	for (int again = 1; again;) {
		static const char *const trail[] = { "的", "、", "(", "（", "《", "“", "\"", "_",
						     "-", " " };

		again = 0;
		for (size_t k = 0; k < NELEM(trail); k++)
			if (ends_with(p, n, trail[k])) {
				n -= strlen(trail[k]);
				again = 1;
			}
	}
	if (!n)
		return NULL;
	buf_add(&b, p, n);
	/*
	 * "XX人民政府信息公开..." and "XX县政府信息公开...": the 政府 is shared
	 * with the body, a government, which is named in full (白鹭乡人民政府).
	 */
	if (cut < end && starts_with(cut, "政府信息公开")) {
		int place = 0;

		for (size_t k = 0; k < NELEM(place_chars) && !place; k++)
			place = ends_with(p, n, place_chars[k]);
		if (ends_with(p, n, "人民"))
			buf_adds(&b, "政府");
		else if (place)
			buf_adds(&b, "人民政府");
	}
	org = buf_take(&b);
	if (count_chars(org) < 2) {	/* one character ("局") names nobody */
		free(org);
		return NULL;
	}
	return org;
}

struct date {
	int y, m, d;
};

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int date_valid(const struct date *d)
{
	return d->y >= 1990 && d->y <= 2100 && d->m >= 1 && d->m <= 12 && d->d >= 1 &&
	       d->d <= days_in_month(d->y, d->m);
}

static int dec(const char *s, PCRE2_SIZE a, PCRE2_SIZE b)
{
	int v = 0;

	for (PCRE2_SIZE i = a; i < b && v < 100000; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int cn_digit(uint32_t cp)
{
	static const uint32_t digits[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
					   0x516D, 0x4E03, 0x516B, 0x4E5D };	/* 一..九 */

	if (cp == 0x3007 || cp == 0x96F6 || cp == 0x25CB || cp == 'O' || cp == 'o' || cp == '0')
		return 0;	/* 〇 零 ○ and the letters typed for them */
	for (int i = 0; i < 9; i++)
		if (cp == digits[i])
			return i + 1;
	return -1;
}

/* "二〇二四" digit by digit; "十七", "二十", "三十一" with 十; -1 when neither. */
static int cn_number(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int v = 0, tens = -1, digit = -1;

	while (p < end) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp))
			return -1;
		if (cp == 0x5341) {	/* 十 */
			if (tens >= 0)
				return -1;
			tens = digit < 0 ? 1 : digit;
			digit = -1;
			continue;
		}
		if (cn_digit(cp) < 0)
			return -1;
		if (tens < 0 && digit >= 0)
			v = v * 10 + digit;
		digit = cn_digit(cp);
	}
	if (tens >= 0)
		return tens * 10 + (digit < 0 ? 0 : digit);
	return v * 10 + (digit < 0 ? 0 : digit);
}

/* The date of the last re_date match (ovector in md). */
static int read_date(const char *s, struct date *d)
{
	PCRE2_SIZE *ov = ovec();

	if (ov[2] != PCRE2_UNSET) {
		d->y = dec(s, ov[2], ov[3]);
		d->m = dec(s, ov[6], ov[7]);
		d->d = dec(s, ov[8], ov[9]);
	} else if (ov[10] != PCRE2_UNSET) {
		d->y = dec(s, ov[10], ov[11]);
		d->m = dec(s, ov[12], ov[13]);
		d->d = dec(s, ov[14], ov[15]);
	} else {
		d->y = cn_number(s + ov[16], ov[17] - ov[16]);
		d->m = cn_number(s + ov[18], ov[19] - ov[18]);
		d->d = cn_number(s + ov[20], ov[21] - ov[20]);
	}
	return date_valid(d);
}

/* 1 after a publication label, 2 after a document-date label, else 0. */
static int label_rank(const char *s, size_t at)
{
	size_t from = at > 64 ? at - 64 : 0;

	while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
		from--;	/* start on a character */
	if (!match_at(re_label, s, at, from))
		return 0;
	return ovec()[2] != PCRE2_UNSET ? 1 : 2;
}

/* A line that is a date, perhaps after a short signature ("晋江市龙湖镇人民政府 2024年1月17日"). */
static int standalone(const char *s, size_t start, size_t end, size_t len)
{
	static const char *const prose[] = { "。", "，", "；", "：", ",", ";", ":", "截至",
					      "截止" };

	while (end < len && s[end] == ' ')
		end++;
	if (end != len || utf8_width(s) > 200)
		return 0;
	for (size_t k = 0; k < NELEM(prose); k++) {
		size_t n = strlen(prose[k]);

		for (size_t i = 0; i + n <= start; i++)
			if (!memcmp(s + i, prose[k], n))
				return 0;
	}
	return start <= 120;	/* about 40 Han characters */
}

/*
 * The best-ranked date of a normalised line: 1 labelled as published, 2
 * labelled as made, 3 standing alone.  Returns the rank, 0 for none.
 */
static int line_date(const char *s, struct date *out)
{
	size_t len = strlen(s), off = 0;
	int best = 0;

	while (off < len && match_at(re_date, s, len, off)) {
		PCRE2_SIZE ms = ovec()[0], me = ovec()[1];
		struct date d;
		int rank;

		off = me > ms ? me : ms + 1;
		if (!read_date(s, &d))
			continue;
		rank = label_rank(s, ms);
		if (!rank && standalone(s, ms, me, len))
			rank = 3;
		if (rank && (!best || rank < best)) {
			best = rank;
			*out = d;
		}
	}
	return best;
}

/* The lines dates and years are looked for in: the head, then the tail. */
struct window {
	char **lines;
	size_t n;
	size_t nhead;
};

static void window_init(struct window *w, const struct doc *doc)
{
	size_t nhead = doc->nlines < HEAD_LINES ? doc->nlines : HEAD_LINES;
	size_t tail = doc->nlines - nhead < TAIL_LINES ? doc->nlines - nhead : TAIL_LINES;

	w->n = nhead + tail;
	w->nhead = nhead;
	w->lines = xcalloc(w->n ? w->n : 1, sizeof(*w->lines));
	for (size_t i = 0; i < nhead; i++)
		w->lines[i] = norm(doc->lines[i], strlen(doc->lines[i]), LINE_MAX_BYTES,
				   NORM_LINE);
	for (size_t i = 0; i < tail; i++) {
		const char *l = doc->lines[doc->nlines - tail + i];

		w->lines[nhead + i] = norm(l, strlen(l), LINE_MAX_BYTES, NORM_LINE);
	}
}

static void window_release(struct window *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->lines[i]);
	free(w->lines);
}

static char *find_published(const struct window *w)
{
	struct date best = { 0, 0, 0 };
	int best_rank = 0;
	char out[16];

	for (size_t i = 0; i < w->n && best_rank != 1; i++) {
		struct date d;
		int rank = line_date(w->lines[i], &d);

		if (rank && (!best_rank || rank < best_rank)) {
			best_rank = rank;
			best = d;
		}
	}
	if (!best_rank)
		return NULL;
	snprintf(out, sizeof(out), "%04d-%02d-%02d", best.y, best.m, best.d);
	return xstrdup(out);
}

/*
 * Names.  A body's name is a name: no digits, no 年, no punctuation, not a
 * sentence's opening words ("根据...", "2022年X局全面贯彻落实"), and it
 * ends as bodies' names end (人民政府, 镇, 街道办事处, 局, 委员会 ...).
 */
static const char *const name_openers[] = {
	"按照", "根据", "依据", "依照", "为", "按", "经", "对", "在", "现", "特", "关于", "我",
	"本", "全", "各", "由", "向", "从", "将", "以", "结合", "落实", "贯彻", "请", "如",
};

static int is_body_name(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	size_t n = 0;

	if (!*s || strstr(s, "年") || strstr(s, "政府信息公开") || strstr(s, "报告"))
		return 0;
	for (size_t k = 0; k < NELEM(name_openers); k++)
		if (starts_with(s, name_openers[k]))
			return 0;
	while (p < end) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp))
			return 0;
		/* Han characters only, the ·/、 some names hold, letters standing in ("XX街道") */
		if (!((cp >= 0x3400 && cp <= 0x9FFF) || cp == 0x3001 || cp == 0xB7 ||
		      ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')))
			return 0;
		n++;
	}
	return n >= 2 && n <= NAME_MAX_CHARS && meta_level_from_name(s) != NULL;
}

/* Takes name if it is a body's name: else frees it.  Returns the name or NULL. */
static char *keep_name(char *name)
{
	if (name && !is_body_name(name)) {
		free(name);
		return NULL;
	}
	return name;
}

/* A title that cites another document ("关于印发...年度报告格式的通知") is none. */
static int cited_document(const char *t)
{
	static const char *const openers[] = { "按照", "根据", "依据", "依照", "为", "经" };

	if (strstr(t, "印发") || strstr(t, "格式"))
		return 1;
	for (size_t k = 0; k < NELEM(openers); k++)
		if (starts_with(t, openers[k]))
			return 1;
	return 0;
}

/* Fields of a CMS page's metadata block, as archivers and pages print them ("标题: X"). */
static const char *const title_fields[] = { "标题", "文章标题", "题名", "名称" };
static const char *const issuer_fields[] = { "发布机构", "发文机关", "发文单位", "发布单位",
					     "编制单位", "来源", "信息来源" };

/* The value of field `name` when line (NORM_LINE) is "name: value"; NULL otherwise. */
static const char *field_value(const char *line, const char *const *names, size_t nnames)
{
	for (size_t k = 0; k < nnames; k++) {
		size_t n = strlen(names[k]);
		const char *v = line + n;

		if (strncmp(line, names[k], n))
			continue;
		while (*v == ' ')
			v++;
		if (!strncmp(v, ":", 1))
			v += 1;
		else if (!strncmp(v, "：", 3))
			v += 3;
		else
			continue;
		while (*v == ' ')
			v++;
		return *v ? v : NULL;
	}
	return NULL;
}

/*
 * The head of the text made ready: page chrome and footers left out,
 * markdown marks dropped, folded (NORM_LINE); at most HEAD_LINES of them.
 */
struct head {
	char *line[HEAD_LINES];
	size_t n;
};

static void head_init(struct head *h, const struct doc *doc)
{
	h->n = 0;
	for (size_t i = 0; i < doc->nlines && h->n < HEAD_LINES; i++) {
		const char *l = doc->lines[i];
		size_t len = strlen(l), skip;

		if (textline_is_chrome(l, len) || textline_is_footer(l, len))
			continue;
		skip = textline_markdown_prefix(l, len);
		h->line[h->n++] = norm(l + skip, len - skip, LINE_MAX_BYTES, NORM_LINE);
	}
}

static void head_release(struct head *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->line[i]);
	h->n = 0;
}

/* A title candidate: its text, title_score(), the body it names (or NULL), where it was read. */
struct title {
	char *text;
	int score;
	char *org;
	enum report_source src;
	size_t line;		/* head line it starts on; HEAD_LINES for the page title */
};

struct titles {
	struct title v[4 * HEAD_LINES + 16];
	size_t n;
};

/* Adds text (taken) as a title candidate when it reads as a report title; else frees it. */
static void add_title(struct titles *ts, char *text, enum report_source src, size_t line)
{
	struct title *t;
	char *q;

	if (!text)
		return;
	q = strip_quotes(text, strlen(text));
	free(text);
	if (!title_score(q) || cited_document(q) || ts->n == NELEM(ts->v)) {
		free(q);
		return;
	}
	t = &ts->v[ts->n++];
	t->text = q;
	t->score = title_score(q);
	t->org = keep_name(org_from_title(q));
	t->src = src;
	t->line = line;
}

static void titles_release(struct titles *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		free(ts->v[i].text);
		free(ts->v[i].org);
	}
	ts->n = 0;
}

/* Head line i folded tight (titles are spaced for looks), or NULL when too long for a title. */
static char *tight(const char *line)
{
	size_t n = strlen(line);

	return n > TITLE_MAX_BYTES ? NULL : norm(line, n, TITLE_MAX_BYTES, NORM_TIGHT);
}

/* Head lines first .. first + count - 1 read as one title wrapped over them. */
static char *joined(const struct head *h, size_t first, size_t count)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	char *t;

	for (size_t i = first; i < first + count; i++) {
		if (strlen(h->line[i]) > TITLE_MAX_BYTES / 4) {
			buf_release(&b);
			return NULL;	/* a paragraph is no piece of a title */
		}
		buf_adds(&b, h->line[i]);
	}
	t = tight(buf_str(&b));
	buf_release(&b);
	return t;
}

/* Titles of the page: its <title>, CMS title fields, head lines alone and joined, sentences. */
static void collect_titles(const struct doc *doc, const struct head *h, struct titles *ts)
{
	char *page = clean_page_title(doc->title);
	const char *field;

	if (page && (field = field_value(page, title_fields, NELEM(title_fields))))
		add_title(ts, xstrdup(field), RSRC_TITLE, HEAD_LINES);
	else
		add_title(ts, page ? xstrdup(page) : NULL, RSRC_TITLE, HEAD_LINES);
	free(page);
	/* the CMS's own record of the article's title: a title, after the page's */
	if (doc->cms_title)
		add_title(ts, clean_page_title(doc->cms_title), RSRC_TITLE, HEAD_LINES);
	for (size_t i = 0; i < h->n && i < TITLE_LINES; i++)
		if ((field = field_value(h->line[i], title_fields, NELEM(title_fields))))
			add_title(ts, tight(field), RSRC_TITLE, i);
	for (size_t i = 0; i < h->n && i < TITLE_LINES; i++) {
		const char *l = h->line[i], *sp;

		add_title(ts, tight(l), RSRC_HEADING, i);
		/* a title among other words, set apart by spaces */
		for (const char *p = l; (sp = strchr(p, ' ')) || *p; p = sp ? sp + 1 : p + strlen(p)) {
			size_t n = sp ? (size_t)(sp - p) : strlen(p);

			if (n && n < strlen(l) && n <= TITLE_MAX_BYTES)
				add_title(ts, norm(p, n, TITLE_MAX_BYTES, NORM_TIGHT), RSRC_HEADING, i);
			if (!sp)
				break;
		}
	}
	/* a title wrapped over two or three lines, none of them a title alone */
	for (size_t i = 0; i < h->n && i < TITLE_LINES; i++)
		for (size_t count = 2; count <= 3 && i + count <= h->n; count++) {
			char *t = tight(h->line[i + count - 1]), *org;
			int whole = 0;

			/* a line that is a title of a body by itself is no piece of another */
			if (t && title_score(t)) {
				org = keep_name(org_from_title(t));
				whole = org != NULL;
				free(org);
			}
			free(t);
			if (whole)
				break;
			add_title(ts, joined(h, i, count), RSRC_HEADING, i);
		}
	for (size_t i = 0; i < h->n; i++) {
		const char *l = h->line[i];
		size_t len = strlen(l), off = 0;

		while (off < len && match_at(re_announce, l, len, off)) {
			PCRE2_SIZE *ov = ovec();
			int g = ov[2] != PCRE2_UNSET ? 1 : 2;
			size_t at = ov[2 * g], n = ov[2 * g + 1] - ov[2 * g];

			off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			add_title(ts, norm(l + at, n, TITLE_MAX_BYTES, NORM_TIGHT), RSRC_SENTENCE, i);
		}
	}
}

/*
 * The report's title: the first candidate that names a year and a body,
 * else the first that names its year, else the first at all; the page's
 * <title> as it is when none reads as a report title.
 */
static char *choose_title(const struct doc *doc, const struct titles *ts, const struct title **chosen)
{
	*chosen = NULL;
	for (int want = 3; want > 0 && !*chosen; want--)
		for (size_t i = 0; i < ts->n && !*chosen; i++) {
			const struct title *t = &ts->v[i];
			int have = t->score == 2 && t->org ? 3 : t->score;

			if (have >= want)
				*chosen = t;
		}
	if (*chosen)
		return xstrdup((*chosen)->text);
	return clean_page_title(doc->title);
}

/* A generic title ("2023年政府信息公开工作年度报告") with its body on the line before or after. */
static char *body_beside(const struct head *h, const struct titles *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		const struct title *t = &ts->v[i];

		if (t->src != RSRC_HEADING || t->org || t->line >= h->n)
			continue;
		for (int d = -1; d <= 1; d += 2) {
			size_t at = t->line + (size_t)d;
			char *name;

			if ((d < 0 && !t->line) || at >= h->n)
				continue;
			name = keep_name(tight(h->line[at]));
			if (name)
				return name;
		}
	}
	return NULL;
}

/* Sub-units a contact line names after the body ("X管理局党政办公室"). */
static const char *const subunits[] = { "党政办公室", "综合办公室", "政务公开办公室",
					"信息公开办公室", "办公室", "党政办", "综合科", "办公科",
					"综合股", "科", "股" };

/* name without a trailing sub-unit, when what is left is a body's name. */
static char *without_subunit(char *name)
{
	size_t n = strlen(name);

	for (size_t k = 0; k < NELEM(subunits); k++) {
		size_t sl = strlen(subunits[k]);

		if (n > sl && ends_with(name, n, subunits[k])) {
			char *body = xstrndup(name, n - sl);

			if (is_body_name(body) && !ends_with(body, n - sl, "人民政府")) {
				free(name);
				return body;
			}
			free(body);
		}
	}
	return name;
}

/* Who issued the report: metadata fields, "发布机构：X", "由X编制", "请与X联系" in the text. */
static char *find_issuer(const struct doc *doc, const struct head *h, enum report_source *src)
{
	/* metadata fields first, 来源 (often the portal) last */
	for (size_t k = 0; k < NELEM(issuer_fields); k++)
		for (size_t i = 0; i < h->n; i++) {
			const char *v = field_value(h->line[i], issuer_fields + k, 1);
			char *name;

			if (!v)
				continue;
			name = keep_name(norm(v, strcspn(v, " "), NAME_MAX_CHARS * 4, NORM_TIGHT));
			if (name) {
				*src = RSRC_ISSUER;
				return name;
			}
		}
	if (doc->cms_source) {
		char *name = keep_name(norm(doc->cms_source, strlen(doc->cms_source),
					    NAME_MAX_CHARS * 4, NORM_TIGHT));

		if (name) {
			*src = RSRC_ISSUER;
			return name;
		}
	}
	for (size_t i = 0; i < h->n; i++) {
		const char *s = h->line[i];
		size_t len = strlen(s), off = 0;

		if (match_at(re_issuer, s, len, 0)) {
			PCRE2_SIZE *ov = ovec();
			char *name = keep_name(xstrndup(s + ov[2], ov[3] - ov[2]));

			if (name) {
				*src = RSRC_ISSUER;
				return name;
			}
		}
		while (off < len && match_at(re_contact, s, len, off)) {
			PCRE2_SIZE *ov = ovec();
			int g = ov[2] != PCRE2_UNSET ? 1 : 2;
			char *name = xstrndup(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);

			off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			name = keep_name(without_subunit(name));
			if (name) {
				*src = RSRC_ISSUER;
				return name;
			}
		}
	}
	return NULL;
}

/*
 * The signature at the end: a body's name just before the last date
 * ("...监督。河北省教育厅2020年1月15日", or the name on the line above a
 * date standing alone).  *date gets the date.
 */
static char *find_signature(const struct doc *doc, struct date *date)
{
	size_t seen = 0;

	for (size_t i = doc->nlines; i-- > 0 && seen < TAIL_LINES;) {
		const char *raw = doc->lines[i];
		char *l;
		size_t len, off = 0, ds = 0, de = 0;
		int found = 0;

		if (textline_is_chrome(raw, strlen(raw)))
			continue;
		seen++;
		l = norm(raw, strlen(raw), LINE_MAX_BYTES, NORM_LINE);
		len = strlen(l);
		while (off < len && match_at(re_date, l, len, off)) {
			PCRE2_SIZE *ov = ovec();
			struct date d;

			if (read_date(l, &d)) {
				*date = d;
				ds = ov[0];
				de = ov[1];
				found = 1;
			}
			off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
		if (found && len - de <= 12) {
			/* the name: after the last sentence or space before the date */
			size_t from = ds;
			char *name;

			while (from > 0 && l[from - 1] == ' ')
				from--;
			ds = from;
			while (from > 0) {
				size_t at = from - 1;

				while (at > 0 && ((unsigned char)l[at] & 0xC0) == 0x80)
					at--;
				if (l[at] == ' ' || !strncmp(l + at, "。", 3) || !strncmp(l + at, "；", 3) ||
				    !strncmp(l + at, "！", 3) || l[at] == '.')
					break;
				from = at;
			}
			name = ds > from ? keep_name(norm(l + from, ds - from, TITLE_MAX_BYTES,
							   NORM_TIGHT))
					 : NULL;
			if (!name && !from && !ds && i > 0) {
				const char *prev = doc->lines[i - 1];

				name = keep_name(norm(prev, strlen(prev), TITLE_MAX_BYTES, NORM_TIGHT));
			}
			free(l);
			return name;
		}
		free(l);
		if (found)
			break;	/* a date mid-line is no signature */
	}
	return NULL;
}

static char *chain_name(const char *s);

/* Where a clause may start: after these, or at a line's start. */
static const char *const clause_marks[] = { "，", "。", "；", "：", "、", "《", "“", "（", ",", ";",
					    ":", " ", "(" };

/* The body of a report title at the end: the attachment the page offers ("附件：X报告"). */
static char *tail_title_org(const struct doc *doc)
{
	static const char *const fields[] = { "附件" };

	for (size_t i = doc->nlines, seen = 0; i-- > 0 && seen < TAIL_LINES; seen++) {
		char *l = norm(doc->lines[i], strlen(doc->lines[i]), TITLE_MAX_BYTES, NORM_LINE);
		const char *v = field_value(l, fields, NELEM(fields));
		char *t = tight(v ? v : l), *q = t ? strip_quotes(t, strlen(t)) : NULL, *org = NULL;

		if (q && title_score(q) && !cited_document(q))
			org = keep_name(org_from_title(q));
		free(q);
		free(t);
		free(l);
		if (org)
			return org;
	}
	return NULL;
}

/*
 * A body the opening names in passing: a chain of places and a township,
 * street office or bureau at the start of a clause ("海棠市柳岸街道依照...").
 */
static char *prose_name(const struct head *h)
{
	for (size_t i = 0; i < h->n; i++) {
		const char *l = h->line[i];
		size_t len = strlen(l);

		for (size_t at = 0; at < len; at++) {
			char *name;

			/* a clause starts on a character, after a mark (or at the line's start) */
			if (((unsigned char)l[at] & 0xC0) == 0x80 ||
			    (at && !ends_with_any(l, at, clause_marks, NELEM(clause_marks))))
				continue;
			if ((name = chain_name(l + at)))
				return name;
		}
	}
	return NULL;
}

static int find_period_year(const struct head *h)
{
	struct buf b = BUF_INIT(LINE_MAX_BYTES * 4);
	int y;

	/* across lines: PDF text wraps "统计时段为 2024" / "年 1 月 1 日" */
	for (size_t i = 0; i < h->n; i++)
		if (buf_adds(&b, h->line[i]))
			break;
	y = find_year(re_period, buf_str(&b));
	buf_release(&b);
	return y;
}

static int find_head_year(const struct head *h, pcre2_code *re)
{
	for (size_t i = 0; i < h->n; i++) {
		int y = find_year(re, h->line[i]);

		if (y)
			return y;
	}
	return 0;
}

void meta_detect(const struct doc *doc, struct meta *m)
{
	struct window w;
	struct head h;
	struct titles *ts = xcalloc(1, sizeof(*ts));
	const struct title *chosen;
	struct date sig = { 0, 0, 0 };
	char *signer;

	meta_release(m);
	compile_all();
	window_init(&w, doc);
	head_init(&h, doc);
	collect_titles(doc, &h, ts);

	m->title = choose_title(doc, ts, &chosen);
	if (m->title && !*m->title) {
		free(m->title);
		m->title = NULL;
	}
	signer = find_signature(doc, &sig);

	/* The body: titles first (the page's own, then headings, then sentences) ... */
	for (int pass = 0; pass < 3 && !m->organization; pass++)
		for (size_t i = 0; i < ts->n && !m->organization; i++) {
			const struct title *t = &ts->v[i];
			int rank = t->src == RSRC_TITLE ? 0 : t->src == RSRC_HEADING ? 1 : 2;

			if (rank == pass && t->org) {
				m->organization = xstrdup(t->org);
				m->organization_from = t->src;
			}
		}
	if (!m->organization && (m->organization = body_beside(&h, ts)))
		m->organization_from = RSRC_HEADING;
	/* ... then who issued it, who signed it, and names in passing. */
	if (!m->organization)
		m->organization = find_issuer(doc, &h, &m->organization_from);
	if (!m->organization && signer) {
		m->organization = signer;
		signer = NULL;
		m->organization_from = RSRC_SIGNATURE;
	}
	if (!m->organization && (m->organization = tail_title_org(doc)))
		m->organization_from = RSRC_SIGNATURE;
	if (!m->organization && (m->organization = prose_name(&h)))
		m->organization_from = RSRC_PROSE;

	/* The year: the statistics period, the title, 年度, the signature's year before, prose. */
	if (chosen)
		m->title_from = chosen->src;
	if ((m->year = find_period_year(&h))) {
		m->year_from = RSRC_SENTENCE;
		m->has_period = 1;
	}
	else if (m->title && (m->year = find_year(re_year, m->title)))
		m->year_from = chosen ? chosen->src : RSRC_TITLE;
	else if ((m->year = find_head_year(&h, re_yeardu)))
		m->year_from = RSRC_PROSE;
	m->published = find_published(&w);
	if (!m->year && sig.y) {
		m->year = sig.y - 1;
		m->year_from = RSRC_SIGNATURE;
	} else if (!m->year && m->published) {
		m->year = (int)strtol(m->published, NULL, 10) - 1;
		m->year_from = RSRC_SIGNATURE;
	}
	if (!m->year && (m->year = find_head_year(&h, re_prose_year)))
		m->year_from = RSRC_PROSE;
	free(signer);
	titles_release(ts);
	free(ts);
	head_release(&h);
	window_release(&w);
}

/* Level and parent from a name. */

/* Folds a name; NULL when it is too long to be one. */
static char *norm_name(const char *name)
{
	char *s;

	if (!name)
		return NULL;
	s = norm(name, strlen(name), NAME_MAX_CHARS * 4 + 1, NORM_TIGHT);
	if (strlen(s) > NAME_MAX_CHARS * 4 || !*s) {
		free(s);
		return NULL;
	}
	return s;
}

static const char *const municipalities[] = { "北京市", "上海市", "天津市", "重庆市" };

/* Development zones and parks: run by a 管委会, department-like, not places. */
static const char *const zones[] = { "开发区", "工业区", "园区", "保税区", "试验区",
				     "实验区", "示范区", "合作区", "投资区", "高新区",
				     "功能区", "景区", "度假区", "旅游区", "管理区",
				     "集聚区" };

/* Checked in order; the first suffix that ends the name decides. */
static const struct {
	const char *suffix;
	const char *level;
} level_rules[] = {
	{ "街道办事处", "township" },	{ "街道办", "township" },
	{ "街道", "township" },		{ "镇人民政府", "township" },
	{ "乡人民政府", "township" },	{ "苏木人民政府", "township" },
	{ "镇政府", "township" },	{ "乡政府", "township" },
	{ "镇", "township" },		{ "乡", "township" },
	{ "苏木", "township" },		{ "省人民政府", "province" },
	{ "自治区人民政府", "province" }, { "省政府", "province" },
	{ "自治区政府", "province" },	{ "省", "province" },
	{ "自治区", "province" },	{ "县人民政府", "county" },
	{ "区人民政府", "county" },	{ "旗人民政府", "county" },
	{ "县政府", "county" },		{ "区政府", "county" },
	{ "旗政府", "county" },		{ "州人民政府", "city" },
	{ "盟行政公署", "city" },	{ "行政公署", "city" },
	{ "市人民政府", "city" },	{ "市政府", "city" },
};

/* Departments: bureaux, commissions, offices, centres, institutes ... */
static const char *const department_suffixes[] = {
	"局", "委员会", "委会", "委", "办公室", "办公厅", "厅", "中心", "所", "院", "署",
	"办", "处", "站", "队", "部", "司", "馆", "会", "社", "室", "公署",
};

static int is_municipality(const char *s, size_t n)
{
	static const char *const gov[] = { "人民政府", "政府", "" };

	for (size_t g = 0; g < NELEM(gov); g++) {
		size_t k = strlen(gov[g]);

		if (!ends_with(s, n, gov[g]))
			continue;
		for (size_t i = 0; i < NELEM(municipalities); i++)
			if (n - k == strlen(municipalities[i]) &&
			    !memcmp(s, municipalities[i], n - k))
				return 1;
	}
	return 0;
}

const char *meta_level_from_name(const char *name)
{
	char *s = norm_name(name);
	const char *level = NULL;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	/* Beijing, Shanghai, Tianjin and Chongqing are cities of province rank. */
	if (is_municipality(s, n)) {
		level = "province";
		goto out;
	}
	for (size_t i = 0; i < NELEM(level_rules); i++)
		if (ends_with(s, n, level_rules[i].suffix)) {
			level = level_rules[i].level;
			goto out;
		}
	for (size_t i = 0; i < NELEM(zones); i++)
		if (ends_with(s, n, zones[i])) {
			level = "department";
			goto out;
		}
	for (size_t i = 0; i < NELEM(department_suffixes); i++)
		if (ends_with(s, n, department_suffixes[i])) {
			level = "department";
			goto out;
		}
	/* A bare place name: "沭阳县", "浦东新区", "晋江市". */
	if (ends_with(s, n, "县") || ends_with(s, n, "区") || ends_with(s, n, "旗"))
		level = "county";
	else if (ends_with(s, n, "市") || ends_with(s, n, "州") || ends_with(s, n, "盟") ||
		 ends_with(s, n, "地区"))
		level = "city";
out:
	free(s);
	return level;
}

/*
 * Parent: the name is read as a chain of place names (泉州市 晋江市 龙湖镇)
 * followed by the body.  A government's own place is the last link, so its
 * parent is the link before; a department belongs to the last link.
 */

/* Words that end in a place character but are no place. */
static const char *const not_places[] = {
	"城乡", "城市", "城镇", "乡镇", "村镇", "集镇", "超市", "都市", "社区", "小区",
	"片区", "辖区", "全市", "全县", "全区", "全省", "本市", "本县", "本区", "各市",
	"各县", "各区", "地市", "县市", "市县", "市区", "省市",
};

/* Characters that only a body's name has: once one is read, the places are over. */
static const uint32_t body_chars[] = {
	0x5C40, 0x5385, 0x59D4, 0x529E, 0x9662, 0x6240, 0x5904, 0x90E8,
	0x5BA4, 0x7AD9, 0x961F, 0x53F8, 0x7F72, 0x5FC3,
};	/* 局 厅 委 办 院 所 处 部 室 站 队 司 署 心 */

/* What may follow the last place of a government's own name. */
static const char *const gov_rests[] = { "", "人民政府", "政府", "办事处", "人民政府办事处",
					 "公所", "行政公署", "公署" };

struct cps {
	uint32_t c[NAME_MAX_CHARS];
	size_t n;
};

static int cps_from(struct cps *a, const char *s)
{
	const char *p = s, *end = s + strlen(s);

	a->n = 0;
	while (p < end) {
		if (a->n == NAME_MAX_CHARS || utf8_decode(&p, end, &a->c[a->n]))
			return -1;
		a->n++;
	}
	return 0;
}

static char *cps_str(const struct cps *a, size_t from, size_t to)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);

	for (size_t i = from; i < to; i++) {
		char enc[4];

		buf_add(&b, enc, utf8_encode(a->c[i], enc));
	}
	return buf_take(&b);
}

static int cps_has(const struct cps *a, size_t from, size_t to, const char *word)
{
	struct cps w;

	if (cps_from(&w, word) || !w.n)
		return 0;
	for (size_t i = from; i + w.n <= to; i++)
		if (!memcmp(&a->c[i], w.c, w.n * sizeof(w.c[0])))
			return 1;
	return 0;
}

static int cps_ends(const struct cps *a, size_t from, size_t to, const char *word)
{
	struct cps w;

	if (cps_from(&w, word) || w.n > to - from)
		return 0;
	return !memcmp(&a->c[to - w.n], w.c, w.n * sizeof(w.c[0]));
}

/* Length of the place suffix at a->c[i] (街道 and 苏木 are two), or 0. */
static size_t place_suffix(const struct cps *a, size_t i)
{
	/* 省 市 州 盟 县 区 旗 镇 乡 */
	static const uint32_t one[] = { 0x7701, 0x5E02, 0x5DDE, 0x76DF, 0x53BF,
					0x533A, 0x65D7, 0x9547, 0x4E61 };

	for (size_t k = 0; k < NELEM(one); k++)
		if (a->c[i] == one[k])
			return 1;
	if (i + 1 < a->n && ((a->c[i] == 0x8857 && a->c[i + 1] == 0x9053) ||	/* 街道 */
			     (a->c[i] == 0x82CF && a->c[i + 1] == 0x6728)))	/* 苏木 */
		return 2;
	return 0;
}

static int is_body_char(uint32_t c)
{
	for (size_t k = 0; k < NELEM(body_chars); k++)
		if (c == body_chars[k])
			return 1;
	return 0;
}

/*
 * Reads the chain of place names at a->c[i..] (泉州市 晋江市 龙湖镇) into
 * start[] and end[], at most max of them; returns how many.
 */
static size_t place_chain(const struct cps *a, size_t i, size_t *start, size_t *end, size_t max)
{
	size_t ntok = 0;

	while (i < a->n && ntok < max) {
		size_t j, sl = 0, tok_end, base;
		int bad = 0;

		for (j = i + 1; j < a->n && !is_body_char(a->c[j - 1]); j++) {
			sl = place_suffix(a, j);
			if (sl)
				break;
		}
		if (!sl || is_body_char(a->c[j - 1]))
			break;
		tok_end = j + sl;
		/* 泉州市, 海州区: 州 followed by the level it is the seat of. */
		if (a->c[j] == 0x5DDE && tok_end < a->n &&
		    (a->c[tok_end] == 0x5E02 || a->c[tok_end] == 0x53BF || a->c[tok_end] == 0x533A))
			tok_end++;
		base = j - i;
		/* Place names are short, but for the ethnic autonomous ones. */
		if (base > (cps_has(a, i, j, "自治") ? 16u : 7u))
			break;
		for (size_t k = 0; k < NELEM(not_places) && !bad; k++)
			bad = cps_has(a, i, tok_end, not_places[k]);
		for (size_t k = 0; k < NELEM(zones) && !bad; k++)
			bad = cps_ends(a, i, tok_end, zones[k]);
		if (bad)
			break;
		start[ntok] = i;
		end[ntok] = tok_end;
		ntok++;
		i = tok_end;
	}
	return ntok;
}

char *meta_parent_from_name(const char *name)
{
	char *s = norm_name(name), *parent = NULL, *rest = NULL;
	struct cps a;
	size_t start[8], end[8], ntok, i = 0;

	if (!s || cps_from(&a, s))
		goto out;
	/* 中共晋江市委: the party prefix is not part of a place name. */
	if (starts_with(s, "中国共产党"))
		i = 5;
	else if (starts_with(s, "中共"))
		i = 2;
	ntok = place_chain(&a, i, start, end, NELEM(start));
	if (!ntok)
		goto out;
	rest = cps_str(&a, end[ntok - 1], a.n);
	for (size_t k = 0; k < NELEM(gov_rests); k++)
		if (!strcmp(rest, gov_rests[k])) {
			/* The body governs the last place: its parent is the one before. */
			if (ntok >= 2)
				parent = cps_str(&a, start[ntok - 2], end[ntok - 2]);
			goto out;
		}
	parent = cps_str(&a, start[ntok - 1], end[ntok - 1]);
out:
	free(rest);
	free(s);
	return parent;
}

/* What may follow a chain of places in a body's name in passing: its government or a bureau. */
static const char *const chain_rests[] = { "人民政府办事处", "街道办事处", "人民政府", "办事处" };

/*
 * The body named at the start of s by a chain of places: two places or
 * more ending in a township or street office (海棠市柳岸街道), or places
 * and a bureau (鹿鸣县交通运输局); NULL when s starts with none.
 */
static char *chain_name(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	struct cps a;
	size_t start[8], stop[8], ntok, n;
	char *name = NULL;

	a.n = 0;
	while (p < end && a.n < NAME_MAX_CHARS) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp) || cp < 0x3400 || cp > 0x9FFF)
			break;	/* a name is Han characters */
		a.c[a.n++] = cp;
	}
	ntok = place_chain(&a, 0, start, stop, NELEM(start));
	if (!ntok)
		return NULL;
	n = stop[ntok - 1];
	if (ntok >= 2 && (a.c[n - 1] == 0x9547 || a.c[n - 1] == 0x4E61 ||	/* 镇 乡 */
			  (n >= 2 && a.c[n - 2] == 0x8857 && a.c[n - 1] == 0x9053))) {	/* 街道 */
		for (size_t k = 0; k < NELEM(chain_rests); k++) {
			struct cps w;

			if (!cps_from(&w, chain_rests[k]) && n + w.n <= a.n &&
			    !memcmp(&a.c[n], w.c, w.n * sizeof(w.c[0]))) {
				n += w.n;
				break;
			}
		}
		name = cps_str(&a, 0, n);
	} else {
		/* a bureau: a few characters after the places, ending in 局 */
		for (size_t j = n; j < a.n && j < n + 8; j++)
			if (a.c[j] == 0x5C40) {	/* 局 */
				name = cps_str(&a, 0, j + 1);
				break;
			}
	}
	return keep_name(name);
}
