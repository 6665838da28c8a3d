#include "parser/meta.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static pcre2_code *re_title, *re_year, *re_cut, *re_lead, *re_date, *re_label, *re_period,
	*re_yeardu, *re_issuer;
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
}

static void compile_all(void)
{
	once_run(&compiled, compile);
}

void meta_cleanup(void)
{
	pcre2_code **all[] = { &re_title, &re_year,   &re_cut,	  &re_lead,  &re_date,
			       &re_label, &re_period, &re_yeardu, &re_issuer };

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
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 ||
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
	struct buf b = BUF_INIT(max);
	const char *p = s, *end = s + len;
	uint32_t last = 0;
	int pending = 0;

	while (p < end) {
		uint32_t cp;
		char enc[4];
		size_t n;

		if (utf8_decode(&p, end, &cp)) {
			p++;
			continue;
		}
		if (is_invisible(cp))
			continue;
		if (is_pad(cp)) {
			pending = b.len > 0;
			continue;
		}
		if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
		    (cp >= 0xFF41 && cp <= 0xFF5A))
			cp -= 0xFEE0;
		if (pending && (mode == NORM_LINE || (is_ascii_alnum(last) && is_ascii_alnum(cp))))
			if (buf_addc(&b, ' '))
				break;
		pending = 0;
		n = utf8_encode(cp, enc);
		if (buf_add(&b, enc, n))
			break;
		last = cp;
	}
	return buf_take(&b);
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
	/* "XX人民政府信息公开..." and "XX县政府信息公开...": the 政府 is shared with the body. */
	if (cut < end && starts_with(cut, "政府信息公开")) {
		int place = ends_with(p, n, "人民");

		for (size_t k = 0; k < NELEM(place_chars) && !place; k++)
			place = ends_with(p, n, place_chars[k]);
		if (place)
			buf_adds(&b, "政府");
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

static int find_period_year(const struct window *w)
{
	pcre2_code *res[] = { re_period, re_yeardu };

	for (size_t r = 0; r < NELEM(res); r++)
		for (size_t i = 0; i < w->nhead; i++) {
			int y = find_year(res[r], w->lines[i]);

			if (y)
				return y;
		}
	return 0;
}

static char *find_issuer(const struct window *w)
{
	for (size_t i = 0; i < w->nhead; i++) {
		const char *s = w->lines[i];

		if (match_at(re_issuer, s, strlen(s), 0)) {
			PCRE2_SIZE *ov = ovec();

			return xstrndup(s + ov[2], ov[3] - ov[2]);
		}
	}
	return NULL;
}

/*
 * The title: the page <title> when it is a report title naming its year;
 * else a heading among the first lines that is one; else the best of
 * either that is a report title at all; else what the <title> says.
 * *score receives title_score() of the choice.
 */
static char *pick_title(const struct doc *doc, int *score)
{
	char *page = clean_page_title(doc->title), *line1 = NULL;
	int page_score = title_score(page);
	size_t n = doc->nlines < TITLE_LINES ? doc->nlines : TITLE_LINES;

	if (page_score == 2) {
		*score = 2;
		return page;
	}
	for (size_t i = 0; i < n; i++) {
		const char *l = doc->lines[i];
		char *t, *q;
		int s;

		if (strlen(l) > TITLE_MAX_BYTES)
			continue;
		t = norm(l, strlen(l), TITLE_MAX_BYTES, NORM_TIGHT);
		q = strip_quotes(t, strlen(t));
		free(t);
		s = title_score(q);
		if (s == 2) {
			free(page);
			free(line1);
			*score = 2;
			return q;
		}
		if (s == 1 && !line1)
			line1 = q;
		else
			free(q);
	}
	if (page_score || !line1) {
		free(line1);
		*score = page_score;
		return page;
	}
	free(page);
	*score = 1;
	return line1;
}

void meta_detect(const struct doc *doc, struct meta *m)
{
	struct window w;
	int score = 0;

	meta_release(m);
	compile_all();
	window_init(&w, doc);

	m->title = pick_title(doc, &score);
	if (m->title && !*m->title) {
		free(m->title);
		m->title = NULL;
	}
	if (score)
		m->organization = org_from_title(m->title);
	if (m->organization)
		m->organization_from = RSRC_TITLE;
	else if ((m->organization = find_issuer(&w)))
		m->organization_from = RSRC_ISSUER;
	if (m->title && (m->year = find_year(re_year, m->title)))
		m->year_from = RSRC_TITLE;
	else if ((m->year = find_period_year(&w)))
		m->year_from = RSRC_SENTENCE;
	m->published = find_published(&w);
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

char *meta_parent_from_name(const char *name)
{
	char *s = norm_name(name), *parent = NULL, *rest = NULL;
	struct cps a;
	size_t start[8], end[8], ntok = 0, i = 0;

	if (!s || cps_from(&a, s))
		goto out;
	/* 中共晋江市委: the party prefix is not part of a place name. */
	if (starts_with(s, "中国共产党"))
		i = 5;
	else if (starts_with(s, "中共"))
		i = 2;
	while (i < a.n && ntok < NELEM(start)) {
		size_t j, sl = 0, tok_end, base;

		for (j = i + 1; j < a.n && !is_body_char(a.c[j - 1]); j++) {
			sl = place_suffix(&a, j);
			if (sl)
				break;
		}
		if (!sl || is_body_char(a.c[j - 1]))
			break;
		tok_end = j + sl;
		/* 泉州市, 海州区: 州 followed by the level it is the seat of. */
		if (a.c[j] == 0x5DDE && tok_end < a.n &&
		    (a.c[tok_end] == 0x5E02 || a.c[tok_end] == 0x53BF || a.c[tok_end] == 0x533A))
			tok_end++;
		base = j - i;
		/* Place names are short, but for the ethnic autonomous ones. */
		if (base > (cps_has(&a, i, j, "自治") ? 16u : 7u))
			break;
		{
			int bad = 0;

			for (size_t k = 0; k < NELEM(not_places) && !bad; k++)
				bad = cps_has(&a, i, tok_end, not_places[k]);
			for (size_t k = 0; k < NELEM(zones) && !bad; k++)
				bad = cps_ends(&a, i, tok_end, zones[k]);
			if (bad)
				break;
		}
		start[ntok] = i;
		end[ntok] = tok_end;
		ntok++;
		i = tok_end;
	}
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
