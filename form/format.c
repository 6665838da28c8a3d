#include "form/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/once.h"
#include "util/re.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define BOTH (FMT_2019 | FMT_2021)

/* 一 to 十: the numerals that number a report's sections and rows. */
static int is_cn_numeral(uint32_t cp)
{
	static const uint32_t numerals[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
					     0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341 };

	for (size_t i = 0; i < sizeof(numerals) / sizeof(numerals[0]); i++)
		if (cp == numerals[i])
			return 1;
	return 0;
}
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Table 3 columns, shared by both versions, in the order printed. */
static const struct fmt_col t3_cols[] = {
	{ "natural_person", "自然人", VK_COUNT, FC_APPLICANT },
	{ "commercial", "商业企业", VK_COUNT, FC_APPLICANT },
	{ "research", "科研机构", VK_COUNT, FC_APPLICANT },
	{ "nonprofit", "社会公益组织", VK_COUNT, FC_APPLICANT },
	{ "legal", "法律服务机构", VK_COUNT, FC_APPLICANT },
	{ "other_org", "其他", VK_COUNT, FC_APPLICANT },
	{ "total", "总计", VK_COUNT, FC_TOTAL },
};

/* Table 2, 2021 format. */
static const struct fmt_col t2_docs_2021[] = {
	{ "issued", "本年制发件数", VK_COUNT, 0 },
	{ "repealed", "本年废止件数", VK_COUNT, 0 },
	{ "in_force", "现行有效件数", VK_COUNT, 0 },
};
static const struct fmt_col t2_decisions_2021[] = {
	{ "decisions", "本年处理决定数量", VK_COUNT, 0 },
};
static const struct fmt_col t2_fees_2021[] = {
	{ "amount", "本年收费金额（单位：万元）", VK_WAN, 0 },
};

/* Table 2, 2019 format. */
static const struct fmt_col t2_docs_2019[] = {
	{ "made", "本年新制作数量", VK_COUNT, 0 },
	{ "published", "本年新公开数量", VK_COUNT, 0 },
	{ "public_total", "对外公开总数量", VK_COUNT, 0 },
};
static const struct fmt_col t2_items_2019[] = {
	{ "prev_items", "上一年项目数量", VK_COUNT, 0 },
	{ "change", "本年增/减", VK_SIGNED, 0 },
	{ "decisions", "处理决定数量", VK_COUNT, 0 },
};
static const struct fmt_col t2_procurement_2019[] = {
	{ "items", "采购项目数量", VK_COUNT, 0 },
	{ "amount", "采购总金额", VK_WAN, 0 },
};

/* Table 4: each block has the same five columns. */
static const struct fmt_col t4_cols[] = {
	{ "upheld", "结果维持", VK_COUNT, FC_PART },
	{ "corrected", "结果纠正", VK_COUNT, FC_PART },
	{ "other", "其他结果", VK_COUNT, FC_PART },
	{ "pending", "尚未审结", VK_COUNT, FC_PART },
	{ "total", "总计", VK_COUNT, FC_TOTAL },
};

#define COLS(a) a, NELEM(a)
#define T3ROW(key, label, pattern, group, flags) \
	{ 3, BOTH, key, label, pattern, group, flags, COLS(t3_cols) }
#define T3ROW_V(v, key, label, pattern, group, flags) \
	{ 3, v, key, label, pattern, group, flags, COLS(t3_cols) }

/*
 * Patterns match a label after fmt_norm_label(): no white space, half-width
 * brackets and digits.  They name the essential words, so that the
 * punctuation and numbering variants seen in real reports still match.
 */
static const struct fmt_row rows[] = {
	{ 2, FMT_2021, "rules", "规章", "^规章$", NULL, 0, COLS(t2_docs_2021) },
	{ 2, FMT_2021, "normative", "行政规范性文件", "^(行政)?规范性文件$", NULL, 0,
	  COLS(t2_docs_2021) },
	{ 2, FMT_2021, "licensing", "行政许可", "^行政许可$", NULL, 0, COLS(t2_decisions_2021) },
	{ 2, FMT_2021, "penalty", "行政处罚", "^行政处罚$", NULL, 0, COLS(t2_decisions_2021) },
	{ 2, FMT_2021, "coercion", "行政强制", "^行政强制$", NULL, 0, COLS(t2_decisions_2021) },
	{ 2, FMT_2021, "fees", "行政事业性收费", "^行政事业性收费$", NULL, 0, COLS(t2_fees_2021) },

	{ 2, FMT_2019, "rules", "规章", "^规章$", NULL, 0, COLS(t2_docs_2019) },
	{ 2, FMT_2019, "normative", "规范性文件", "^(行政)?规范性文件$", NULL, 0,
	  COLS(t2_docs_2019) },
	{ 2, FMT_2019, "licensing", "行政许可", "^行政许可$", NULL, 0, COLS(t2_items_2019) },
	{ 2, FMT_2019, "other_services", "其他对外管理服务事项", "^其他对外管理服务事项$", NULL, 0,
	  COLS(t2_items_2019) },
	{ 2, FMT_2019, "penalty", "行政处罚", "^行政处罚$", NULL, 0, COLS(t2_items_2019) },
	{ 2, FMT_2019, "coercion", "行政强制", "^行政强制$", NULL, 0, COLS(t2_items_2019) },
	{ 2, FMT_2019, "fees", "行政事业性收费", "^行政事业性收费$", NULL, 0,
	  t2_items_2019, 2 },
	{ 2, FMT_2019, "procurement", "政府集中采购", "^政府集中采购$", NULL, 0,
	  COLS(t2_procurement_2019) },

	T3ROW("new", "一、本年新收政府信息公开申请数量", "本年新收", NULL, FR_INFLOW),
	T3ROW("carried_over", "二、上年结转政府信息公开申请数量", "上年结转", NULL,
	      FR_INFLOW | FR_CARRIED_IN),
	T3ROW("granted", "（一）予以公开", "^(\\(一\\))?予以公开$", NULL, FR_OUTCOME),
	T3ROW("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
	      "^(\\(二\\))?部分公开", NULL, FR_OUTCOME),
	T3ROW("refused.state_secret", "1.属于国家秘密", "国家秘密", "refused", FR_OUTCOME),
	T3ROW("refused.law_forbidden", "2.其他法律行政法规禁止公开", "禁止公开", "refused",
	      FR_OUTCOME),
	T3ROW("refused.three_safety", "3.危及“三安全一稳定”", "三安全一稳定", "refused",
	      FR_OUTCOME),
	T3ROW("refused.third_party", "4.保护第三方合法权益", "第三方合法权益", "refused",
	      FR_OUTCOME),
	T3ROW("refused.internal", "5.属于三类内部事务信息", "内部事务", "refused", FR_OUTCOME),
	T3ROW("refused.process", "6.属于四类过程性信息", "过程性信息", "refused", FR_OUTCOME),
	T3ROW("refused.enforcement", "7.属于行政执法案卷", "行政执法案卷", "refused",
	      FR_OUTCOME),
	T3ROW("refused.inquiry", "8.属于行政查询事项", "行政查询事项", "refused", FR_OUTCOME),
	T3ROW("unable.not_held", "1.本机关不掌握相关政府信息", "不掌握", "unable", FR_OUTCOME),
	T3ROW("unable.need_create", "2.没有现成信息需要另行制作", "另行制作|没有现成信息",
	      "unable", FR_OUTCOME),
	T3ROW("unable.unclear", "3.补正后申请内容仍不明确", "仍不明确", "unable", FR_OUTCOME),
	T3ROW("rejected.petition", "1.信访举报投诉类申请", "信访|举报投诉", "rejected",
	      FR_OUTCOME),
	T3ROW("rejected.repeat", "2.重复申请", "重复申请", "rejected", FR_OUTCOME),
	T3ROW("rejected.publication", "3.要求提供公开出版物", "公开出版物", "rejected",
	      FR_OUTCOME),
	T3ROW("rejected.mass", "4.无正当理由大量反复申请", "大量反复", "rejected", FR_OUTCOME),
	T3ROW("rejected.confirm", "5.要求行政机关确认或重新出具已获取信息", "重新出具",
	      "rejected", FR_OUTCOME),
	T3ROW_V(FMT_2019, "other", "（六）其他处理", "^(\\(六\\))?其他处理$", NULL, FR_OUTCOME),
	T3ROW_V(FMT_2021, "other.no_correction",
		"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"逾期不补正", "other", FR_OUTCOME),
	T3ROW_V(FMT_2021, "other.no_fee",
		"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
		"缴纳费用|收费通知", "other", FR_OUTCOME),
	T3ROW_V(FMT_2021, "other.other", "3.其他", "^(3\\.?)?其他$", "other",
		FR_OUTCOME | FR_NEEDS_GROUP),
	T3ROW("total", "（七）总计", "^(\\(七\\))?总计$", NULL, FR_TOTAL),
	T3ROW("carried_forward", "四、结转下年度继续办理", "结转下年度", NULL, FR_OUTFLOW),

	/*
	 * Table 4 is one data row of three blocks, read by position; the
	 * patterns find the headings that name a block when blocks stand apart.
	 */
	{ 4, BOTH, "review", "行政复议", "行政复议", NULL, FR_T4, COLS(t4_cols) },
	{ 4, BOTH, "suit_direct", "行政诉讼·未经复议直接起诉", "未经复议|直接起诉", NULL, FR_T4,
	  COLS(t4_cols) },
	{ 4, BOTH, "suit_after_review", "行政诉讼·复议后起诉", "复议后起诉", NULL, FR_T4,
	  COLS(t4_cols) },
};

/*
 * Labels that open an outcome group of table 3 (the rows under them carry
 * .group): the heading as printed, its short form, and the pattern.
 */
static const struct {
	const char *group;
	const char *label;
	const char *short_label;
	const char *pattern;
} groups[] = {
	{ "refused", "（三）不予公开", "不予公开", "^(\\(三\\))?不予公开$" },
	{ "unable", "（四）无法提供", "无法提供", "^(\\(四\\))?无法提供$" },
	{ "rejected", "（五）不予处理", "不予处理", "^(\\(五\\))?不予处理$" },
	{ "other", "（六）其他处理", "其他处理", "^(\\(六\\))?其他处理$" },
};

/*
 * The short forms of the rows whose printed label is long or numbered
 * with the section ("一、本年新收政府信息公开申请数量"), as the form's own
 * balance note says them; the other rows' short form is their label
 * without its enumerator.
 */
static const struct {
	const char *key;
	const char *short_label;
} shorts[] = {
	{ "new", "新收" },
	{ "carried_over", "上年结转" },
	{ "granted", "予以公开" },
	{ "partial", "部分公开" },
	{ "other", "其他处理" },
	{ "total", "办理合计" },
	{ "carried_forward", "结转下年" },
	{ "suit_direct", "未经复议直接起诉" },
	{ "suit_after_review", "复议后起诉" },
};

/* Labels found only in one version's tables. */
static const char *const markers_2021 =
	"本年制发件数|本年废止件数|现行有效件数|本年收费金额|^本年处理决定数量$|逾期不补正|缴纳费用";
static const char *const markers_2019 =
	"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/?减|采购项目数量|"
	"采购总金额|其他对外管理服务事项|^政府集中采购$";
static const char *const marker_t4 = "^行政复议$|^行政诉讼$|^行政复议行政诉讼";

/*
 * The report's sections, in order, by their essential words after the
 * enumerator that numbers them (some reports number them otherwise); the
 * table each holds, 0 for the narrative ones.  "四、结转下年度继续办理" is a
 * row of table 3, not the heading of section four.
 */
#define SECTION_NO "^[一二三四五六七八九十]{1,2}、"
static const struct {
	int table;
	const char *pattern;
} sections[] = {
	{ 0, SECTION_NO "总体情况" },
	{ 2, SECTION_NO "主动公开政府信息" },
	{ 3, SECTION_NO "收到和处理政府信息公开申请" },
	{ 4, SECTION_NO "[^、。]{0,24}?行政复议.{0,12}?行政诉讼" },
	{ 0, SECTION_NO "[^。,]{0,16}?(?:存在的?主要问题|主要问题及|改进情况)" },
	{ 0, SECTION_NO "其他需要报告" },
};

/* Headings of the tables' blocks and stubs, beside the column labels of the rows above. */
static const char *const heading_extras[] = {
	"信息内容", "申请人情况", "法人或其他组织", "本年度办理结果", "三、本年度办理结果",
	"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "项目",
};
/* "第二十条第(一)项" and its kin head the blocks of table 2. */
static const char *const article_pattern = "第[二三]十[一二三四五六七八九]?条第\\([一二三四五六七八九十]+\\)项";

/*
 * Figures the narrative states.  Patterns run over the text after
 * fmt_norm_label(); a match without group 1 states zero.
 */
static const struct fmt_claim claims[] = {
	{ "new",
	  "未收到(?:任何)?(?:政府信息公开|依申请公开)?申请|"
	  "(?:新收|收到|受理)(?:各类|政府信息公开|依申请公开)*申请(?:共|总计|合计)?(\\d+)件",
	  "new", "新收申请" },
	{ "handled", "(?:答复|办结)(?:政府信息公开|依申请公开)?申请(\\d+)件", "total",
	  "办理申请" },
	{ "granted", "(?<!不)予以公开(\\d+)件", "granted", "予以公开" },
	{ "granted_partial", "予以公开(?:和|及|与|或)部分公开(?:的)?(\\d+)件", "granted partial",
	  "予以公开及部分公开" },
	{ "refused", "不予公开(?:的)?(\\d+)件", "group:refused", "不予公开" },
	{ "unable", "无法提供(?:的)?(\\d+)件", "group:unable", "无法提供" },
	{ "rejected", "不予处理(?:的)?(\\d+)件", "group:rejected", "不予处理" },
};

/* Every claim pattern above counts 件 or says that none was received. */
int fmt_line_may_claim(const char *line)
{
	return strstr(line, "件") || strstr(line, "未收到");
}

const char *fmt_version_name(enum fmt_version v)
{
	switch (v) {
	case FMT_2019:
		return "2019";
	case FMT_2021:
		return "2021";
	case FMT_PRE2019:
		return "pre2019";
	default:
		return "unknown";
	}
}

enum fmt_version fmt_version_parse(const char *s)
{
	if (!strcmp(s, "2019"))
		return FMT_2019;
	if (!strcmp(s, "2021"))
		return FMT_2021;
	if (!strcmp(s, "pre2019"))
		return FMT_PRE2019;
	return FMT_UNKNOWN;
}

const struct fmt_row *fmt_rows(size_t *n)
{
	*n = NELEM(rows);
	return rows;
}

const struct fmt_col *fmt_t3_cols(size_t *n)
{
	*n = NELEM(t3_cols);
	return t3_cols;
}

const struct fmt_claim *fmt_claims(size_t *n)
{
	*n = NELEM(claims);
	return claims;
}

int fmt_next_row_name(const char **p, struct fmt_row_name *out)
{
	static const char tag[] = "group:";
	const size_t taglen = sizeof(tag) - 1;
	const char *s = *p;

	while (*s == ' ')
		s++;
	out->name = s;
	while (*s && *s != ' ')
		s++;
	out->len = (size_t)(s - out->name);
	*p = s;
	if (!out->len)
		return 0;
	out->group = out->len > taglen && !memcmp(out->name, tag, taglen);
	if (out->group) {
		out->name += taglen;
		out->len -= taglen;
	}
	return 1;
}

int fmt_row_named(const struct fmt_row *row, const struct fmt_row_name *n)
{
	const char *have = n->group ? row->group : row->key;

	return row->table == 3 && have && strlen(have) == n->len && !memcmp(have, n->name, n->len);
}

/*
 * The figures the reports derive (reports/model.c, the view v_volumes of
 * store/schema.c): table-2 sums of the fields the report's format has,
 * and rates of table-3 rows.  Written here once so that `report volumes`
 * and the SQL view cannot disagree.
 */
static const struct fmt_t2_sum t2_sums[] = {
	/* 本年制发件数 (2021) and 本年新制作数量 (2019), of rules and normative documents */
	{ "docs_issued", "rules.issued normative.issued rules.made normative.made" },
	{ "licensing", "licensing.decisions" },
	{ "penalty", "penalty.decisions" },
	{ "coercion", "coercion.decisions" },
	{ "fees", "fees.amount" },
};

static const struct fmt_rate rates[] = {
	{ "grant_pct", "granted_partial" },
	{ "refusal_pct", "refused" },
};

const struct fmt_t2_sum *fmt_t2_sums(size_t *n)
{
	*n = NELEM(t2_sums);
	return t2_sums;
}

const struct fmt_rate *fmt_rates(size_t *n)
{
	*n = NELEM(rates);
	return rates;
}

const char *fmt_kind_name(enum value_kind k)
{
	switch (k) {
	case VK_COUNT:
		return "count";
	case VK_SIGNED:
		return "signed";
	case VK_WAN:
		return "amount";
	}
	return "count";
}

const char *fmt_unit_name(enum value_kind k)
{
	return k == VK_WAN ? "万元" : "count";
}

/* Field lists, built on first use; one per version with tables. */
static struct fmt_field *fields_2019, *fields_2021;
static size_t nfields_2019, nfields_2021;

/*
 * Each list's indexes in key order (table, row key, column key), for
 * fmt_field_index(): the warehouse names every figure it reads back by
 * its keys, and a walk of the list took 3,500 instructions a figure.
 */
static size_t *order_2019, *order_2021;

static int field_cmp(const struct fmt_field *f, int table, const char *row, const char *col)
{
	int c;

	if (f->table != table)
		return f->table < table ? -1 : 1;
	c = strcmp(f->row->key, row);
	return c ? c : strcmp(f->col->key, col);
}

static const struct fmt_field *sorting;	/* the list build_order() sorts, under the once lock */

static int order_cmp(const void *a, const void *b)
{
	const struct fmt_field *y = &sorting[*(const size_t *)b];

	return field_cmp(&sorting[*(const size_t *)a], y->table, y->row->key, y->col->key);
}

static size_t *build_order(const struct fmt_field *f, size_t n)
{
	size_t *o = xcalloc(n ? n : 1, sizeof(*o));

	for (size_t i = 0; i < n; i++)
		o[i] = i;
	sorting = f;
	qsort(o, n, sizeof(*o), order_cmp);
	sorting = NULL;
	return o;
}

static void build_fields(enum fmt_version v, struct fmt_field **out, size_t *nout)
{
	struct fmt_field *f = NULL;
	size_t n = 0, alloc = 0;

	for (size_t i = 0; i < NELEM(rows); i++) {
		const struct fmt_row *r = &rows[i];

		if (!(r->formats & v))
			continue;
		for (size_t c = 0; c < r->ncols; c++) {
			ALLOC_GROW(f, n + 1, alloc);
			f[n].row = r;
			f[n].col = &r->cols[c];
			f[n].table = r->table;
			snprintf(f[n].key, sizeof(f[n].key), "%s%c%s", r->key,
				 r->table == 3 ? '/' : '.', r->cols[c].key);
			n++;
		}
	}
	*out = f;
	*nout = n;
}

/* The field lists, built once for every thread (without the patterns: reports need only these). */
static struct once fields_built = ONCE_INIT;

static void build_all_fields(void)
{
	build_fields(FMT_2019, &fields_2019, &nfields_2019);
	build_fields(FMT_2021, &fields_2021, &nfields_2021);
	order_2019 = build_order(fields_2019, nfields_2019);
	order_2021 = build_order(fields_2021, nfields_2021);
}

const struct fmt_field *fmt_fields(enum fmt_version v, size_t *n)
{
	once_run(&fields_built, build_all_fields);
	if (v == FMT_2019) {
		*n = nfields_2019;
		return fields_2019;
	}
	if (v == FMT_2021) {
		*n = nfields_2021;
		return fields_2021;
	}
	*n = 0;
	return NULL;
}

void fmt_field_path(int table, const char *row, const char *col, char out[FMT_PATH_SIZE])
{
	snprintf(out, FMT_PATH_SIZE, "t%d.%s.%s", table, row, col);
}

int fmt_field_index(enum fmt_version v, int table, const char *row, const char *col)
{
	size_t n, lo = 0, hi;
	const struct fmt_field *f = fmt_fields(v, &n);
	const size_t *order = v == FMT_2019 ? order_2019 : order_2021;

	for (hi = n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		int c = field_cmp(&f[order[mid]], table, row, col);

		if (!c)
			return (int)order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

char *fmt_norm_label(const char *label)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	const char *p = label, *end = label + strlen(label);

	while (p < end) {
		uint32_t cp;
		const char *start = p;

		if (utf8_decode(&p, end, &cp)) {
			p = start + 1;	/* drop a stray byte */
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;	/* full-width ASCII */
		if (cp == 0x3000 || cp == 0xA0 || cp < 0x20 || cp == ' ' || cp == 0x200B ||
		    cp == 0xFEFF)
			continue;
		if (cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x201D || cp == 0x2018 ||
		    cp == 0x2019 || cp == ':')
			continue;
		if (cp == 0x3002 && p < end)
			cp = '.';	/* "1。属于" as "1." */
		if (cp < 0x80) {
			buf_addc(&b, (char)cp);
		} else {
			char enc[4];

			buf_add(&b, enc, utf8_encode(cp, enc));
		}
	}
	return buf_take(&b);
}

/* Compiled patterns, built on first use and kept for the life of the process. */
static pcre2_code *row_re[NELEM(rows)];
static pcre2_code *group_re[NELEM(groups)];
static pcre2_code *re_2021, *re_2019, *re_t4, *re_article;
static pcre2_code *section_re[NELEM(sections)];
/* For fmt_label_starts(): the column labels of every row, then heading_extras, normalised. */
static char **heading_words;
static size_t nheading_words;
static _Thread_local pcre2_match_data *md;
static struct once compiled = ONCE_INIT;

static int has_word(char *const *words, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(words[i], w))
			return 1;
	return 0;
}

static void add_heading_word(size_t *alloc, const char *label)
{
	char *norm = fmt_norm_label(label), *w = fmt_strip_annotations(norm);

	free(norm);
	if (!*w || has_word(heading_words, nheading_words, w)) {
		free(w);
		return;
	}
	ALLOC_GROW(heading_words, nheading_words + 1, *alloc);
	heading_words[nheading_words++] = w;
}

static void build_heading_words(void)
{
	size_t alloc = 0;

	for (size_t i = 0; i < NELEM(rows); i++)
		for (size_t c = 0; c < rows[i].ncols; c++)
			add_heading_word(&alloc, rows[i].cols[c].label);
	for (size_t i = 0; i < NELEM(heading_extras); i++)
		add_heading_word(&alloc, heading_extras[i]);
}

/* The patterns, compiled once for every thread. */
static void compile(void)
{
	for (size_t i = 0; i < NELEM(rows); i++)
		if (rows[i].pattern)
			row_re[i] = re_builtin(rows[i].pattern);
	for (size_t i = 0; i < NELEM(groups); i++)
		group_re[i] = re_builtin(groups[i].pattern);
	re_2021 = re_builtin(markers_2021);
	re_2019 = re_builtin(markers_2019);
	re_t4 = re_builtin(marker_t4);
	re_article = re_builtin(article_pattern);
	for (size_t i = 0; i < NELEM(sections); i++)
		section_re[i] = re_builtin(sections[i].pattern);
	build_heading_words();
}

static void compile_all(void)
{
	once_run(&compiled, compile);
}

/* Labels are valid UTF-8 (fmt_norm_label() output), so the UTF check is skipped. */
static int matches(pcre2_code *re, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_NO_UTF_CHECK,
			   re_thread_md(&md, 4), NULL) >= 0;
}

const struct fmt_row *fmt_match_row_in(const char *norm, enum fmt_version v, int table)
{
	compile_all();
	for (size_t i = 0; i < NELEM(rows); i++)
		if (row_re[i] && !(rows[i].flags & FR_T4) && (rows[i].formats & v) &&
		    (!table || rows[i].table == table) && matches(row_re[i], norm))
			return &rows[i];
	return NULL;
}

const struct fmt_row *fmt_match_row(const char *norm, enum fmt_version v)
{
	return fmt_match_row_in(norm, v, 0);
}

/* Whether the bracketed text s[0..n) is an enumerator: one or two numerals or digits. */
static int is_enumerator_text(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t count = 0;

	while (p < end) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp))
			return 0;
		if (!(cp >= '0' && cp <= '9') && !is_cn_numeral(cp))
			return 0;
		count++;
	}
	return count >= 1 && count <= 2;
}

char *fmt_strip_annotations(const char *norm)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT);
	size_t n = strlen(norm);

	for (size_t i = 0; i < n;) {
		size_t j, depth = 0;

		if (norm[i] != '(') {
			buf_addc(&b, norm[i++]);
			continue;
		}
		for (j = i; j < n; j++) {
			if (norm[j] == '(')
				depth++;
			else if (norm[j] == ')' && !--depth)
				break;
		}
		if (j < n && is_enumerator_text(norm + i + 1, j - i - 1)) {
			buf_add(&b, norm + i, j + 1 - i);	/* "(一)" numbers a row */
		}
		i = j < n ? j + 1 : n;	/* unclosed: the rest is the annotation's first line */
	}
	return buf_take(&b);
}

static void add_start(size_t *starts, size_t *n, size_t max, size_t at)
{
	for (size_t i = 0; i < *n; i++)
		if (starts[i] == at)
			return;
	if (*n < max)
		starts[(*n)++] = at;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

size_t fmt_label_starts(const char *norm, size_t *starts, size_t max)
{
	size_t len = strlen(norm), n = 0, off = 0;

	compile_all();
	add_start(starts, &n, max, 0);
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)norm[i] & 0xC0) == 0x80)
			continue;
		/* "第(一)项" is a heading's words, "2019.1" a number, not enumerators */
		if (i >= 3 && !memcmp(norm + i - 3, "第", 3))
			continue;
		if (i && norm[i - 1] >= '0' && norm[i - 1] <= '9')
			continue;
		if (fmt_enumerator_at(norm + i))
			add_start(starts, &n, max, i);
	}
	for (size_t w = 0; w < nheading_words; w++) {
		size_t wl = strlen(heading_words[w]);

		for (const char *p = strstr(norm, heading_words[w]); p;
		     p = strstr(p + wl, heading_words[w]))
			add_start(starts, &n, max, (size_t)(p - norm) + wl);
	}
	while (off < len && pcre2_match(re_article, (PCRE2_SPTR)norm, len, off, PCRE2_NO_UTF_CHECK,
					re_thread_md(&md, 4), NULL) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re_thread_md(&md, 4));

		add_start(starts, &n, max, ov[1]);
		off = ov[1];
	}
	qsort(starts, n, sizeof(starts[0]), cmp_size);
	while (n && starts[n - 1] >= len)
		n--;	/* a heading word at the very end starts nothing */
	return n;
}

size_t fmt_enumerator_at(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	uint32_t cp;
	size_t k = 0;

	if (*p == '(') {
		const char *close = strchr(p, ')');

		if (close && is_enumerator_text(p + 1, (size_t)(close - p - 1)))
			return (size_t)(close - s) + 1;
		return 0;
	}
	if (*p >= '1' && *p <= '9') {
		p++;
		if (*p == '.' || !strncmp(p, "、", 3) || !strncmp(p, "．", 3))
			return (size_t)(p - s) + (*p == '.' ? 1 : 3);
		return 0;
	}
	while (p < end && k < 3) {
		const char *at = p;

		if (utf8_decode(&p, end, &cp) || !is_cn_numeral(cp)) {
			p = at;
			break;
		}
		k++;
	}
	if (k && k < 3 && !strncmp(p, "、", 3))
		return (size_t)(p - s) + 3;
	return 0;
}

int fmt_match_section(const char *norm)
{
	compile_all();
	for (size_t i = 0; i < NELEM(sections); i++)
		if (matches(section_re[i], norm))
			return (int)i + 1;
	return 0;
}

unsigned fmt_sections_in(const char *text)
{
	unsigned bits = 0;

	/* a heading is one or two numerals and 、: find each 、 and look back */
	for (const char *p = strstr(text, "、"); p; p = strstr(p + 3, "、")) {
		const char *start = p;
		char *raw, *norm;
		int section;

		for (int k = 0; k < 2 && start - 3 >= text; k++) {
			const char *q = start - 3;
			uint32_t cp;

			if (utf8_decode(&q, start, &cp) || q != start || !is_cn_numeral(cp))
				break;
			start -= 3;
		}
		if (start == p)
			continue;
		raw = xstrndup(start, strnlen(start, 160));
		norm = fmt_norm_label(raw);
		section = fmt_match_section(norm);
		if (section)
			bits |= 1u << section;
		free(norm);
		free(raw);
	}
	return bits;
}

int fmt_section_table(int section)
{
	return section >= 1 && (size_t)section <= NELEM(sections) ? sections[section - 1].table : 0;
}

int fmt_t4_block(const char *norm)
{
	PCRE2_SIZE best = 0;
	int block = -1, k = 0;

	compile_all();
	for (size_t i = 0; i < NELEM(rows); i++) {
		size_t len = strlen(norm), off = 0;

		if (!(rows[i].flags & FR_T4))
			continue;
		/* the last match of this block's heading */
		while (off <= len && pcre2_match(row_re[i], (PCRE2_SPTR)norm, len, off,
						 PCRE2_NO_UTF_CHECK, re_thread_md(&md, 4), NULL) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re_thread_md(&md, 4));

			if (block < 0 || ov[0] >= best) {
				best = ov[0];
				block = k;
			}
			off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
		k++;
	}
	return block;
}

const char *fmt_match_group(const char *norm)
{
	compile_all();
	for (size_t i = 0; i < NELEM(groups); i++)
		if (matches(group_re[i], norm))
			return groups[i].group;
	return NULL;
}

int fmt_version_vote(const char *norm)
{
	compile_all();
	if (matches(re_2021, norm))
		return 1;
	if (matches(re_2019, norm))
		return -1;
	return 0;
}

int fmt_is_t4_marker(const char *norm)
{
	compile_all();
	return matches(re_t4, norm);
}

const char *fmt_heading(enum fmt_heading h)
{
	static const char *const headings[] = {
		[FH_T2_ITEM] = "信息内容",
		[FH_T3_NOTE] = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
		[FH_T3_APPLICANT] = "申请人情况",
		[FH_T3_ORGS] = "法人或其他组织",
		[FH_T3_OUTCOMES] = "三、本年度办理结果",
		[FH_T4_SUIT] = "行政诉讼",
		[FH_SECTION2] = "二、主动公开政府信息情况",
		[FH_SECTION3] = "三、收到和处理政府信息公开申请情况",
		[FH_SECTION4] = "四、政府信息公开行政复议、行政诉讼情况",
	};

	return (unsigned)h < NELEM(headings) ? headings[h] : "";
}

const char *fmt_group_label(const char *group)
{
	for (size_t i = 0; i < NELEM(groups); i++)
		if (!strcmp(groups[i].group, group))
			return groups[i].label;
	return NULL;
}

/* Labels without their enumerator, made once: "1.属于国家秘密" -> "属于国家秘密". */
static char *bare_labels[NELEM(rows)];
static struct once bare_made = ONCE_INIT;

static void make_bare_labels(void)
{
	for (size_t i = 0; i < NELEM(rows); i++) {
		const char *l = rows[i].label;
		size_t skip = fmt_enumerator_at(l);

		/* "（一）" is full-width on the form: fmt_enumerator_at() reads the folded "(一)" */
		if (!skip && !strncmp(l, "（", 3)) {
			const char *close = strstr(l, "）");

			if (close && close - l <= 9)
				skip = (size_t)(close - l) + 3;
		}
		bare_labels[i] = xstrdup(l + skip);
	}
}

const char *fmt_short_label(const char *key)
{
	for (size_t i = 0; i < NELEM(shorts); i++)
		if (!strcmp(shorts[i].key, key))
			return shorts[i].short_label;
	for (size_t i = 0; i < NELEM(groups); i++)
		if (!strcmp(groups[i].group, key))
			return groups[i].short_label;
	once_run(&bare_made, make_bare_labels);
	for (size_t i = 0; i < NELEM(rows); i++)
		if (!strcmp(rows[i].key, key))
			return bare_labels[i];
	return NULL;
}

const char *fmt_col_label(int table, const char *key)
{
	for (size_t i = 0; i < NELEM(rows); i++) {
		if (rows[i].table != table)
			continue;
		for (size_t c = 0; c < rows[i].ncols; c++)
			if (!strcmp(rows[i].cols[c].key, key))
				return rows[i].cols[c].label;
	}
	return NULL;
}

void fmt_cleanup(void)
{
	if (once_reset(&bare_made))
		for (size_t i = 0; i < NELEM(rows); i++) {
			free(bare_labels[i]);
			bare_labels[i] = NULL;
		}
	if (once_reset(&fields_built)) {
		free(fields_2019);
		free(fields_2021);
		free(order_2019);
		free(order_2021);
		fields_2019 = fields_2021 = NULL;
		order_2019 = order_2021 = NULL;
	}
	if (!once_reset(&compiled))
		return;
	for (size_t i = 0; i < NELEM(rows); i++)
		pcre2_code_free(row_re[i]);
	for (size_t i = 0; i < NELEM(groups); i++)
		pcre2_code_free(group_re[i]);
	pcre2_code_free(re_2021);
	pcre2_code_free(re_2019);
	pcre2_code_free(re_t4);
	pcre2_code_free(re_article);
	for (size_t i = 0; i < NELEM(sections); i++)
		pcre2_code_free(section_re[i]);
	for (size_t i = 0; i < nheading_words; i++)
		free(heading_words[i]);
	free(heading_words);
	heading_words = NULL;
	nheading_words = 0;
	re_thread_cleanup();
}
