#include "reports/words.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "form/format.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The reports' own columns and values, which the form does not name. */
static const struct {
	const char *key;
	const char *zh;
} names[] = {
	{ "organization", "单位" },
	{ "year", "年度" },
	{ "report_id", "报告" },
	{ "body_id", "单位编号" },
	{ "rank", "排名" },
	{ "level", "层级" },
	{ "parent", "上级" },
	{ "source", "来源" },
	{ "status", "状态" },
	{ "findings", "问题数" },
	{ "rules", "规则" },
	{ "group", "类别" },
	{ "ground", "理由" },
	{ "label", "理由" },
	{ "count", "件数" },
	{ "share_pct", "占办理合计" },
	{ "block", "类别" },
	{ "upheld", "结果维持" },
	{ "corrected", "结果纠正" },
	{ "pending", "尚未审结" },
	{ "corrected_pct", "纠正率" },
	{ "grant_pct", "公开率" },
	{ "refusal_pct", "不予公开率" },
	{ "docs_issued", "制发规章和规范性文件" },
	{ "licensing", "行政许可决定" },
	{ "penalty", "行政处罚决定" },
	{ "coercion", "行政强制决定" },
	{ "fees", "收费金额（万元）" },
	{ "base_year", "基期" },
	{ "row_kind", "行" },
	{ "kind", "类型" },
	{ "rule", "规则" },
	{ "where", "位置" },
	{ "expected", "应为" },
	{ "found", "实为" },
	{ "words", "规则（表中文字）" },
	{ "message", "说明" },
	{ "cells", "单元格" },
	{ "missing", "缺" },
	{ "format", "格式" },
	{ "reason", "原因" },
	/* values */
	{ "flagged", "有问题" },
	{ "no report", "无报告" },
	{ "tables are images", "表格为图片" },
	{ "contradiction", "数字矛盾" },
	{ "blank", "空白单元格" },
	{ "text", "正文与表格不符" },
	{ "township", "乡镇街道" },
	{ "county", "县区" },
	{ "city", "市" },
	{ "province", "省" },
	{ "department", "部门" },
	{ "(total)", "合计" },
	{ "body", "单位" },
	{ "total_row", "合计" },
};

int words_lang_parse(const char *s, enum rlang *out)
{
	if (!strcmp(s, "zh"))
		*out = RL_ZH;
	else if (!strcmp(s, "en"))
		*out = RL_EN;
	else
		return -1;
	return 0;
}

static const char *lookup(const char *key)
{
	for (size_t i = 0; i < NELEM(names); i++)
		if (!strcmp(names[i].key, key))
			return names[i].zh;
	return NULL;
}

const char *words_column(const char *key, enum rlang lang)
{
	const char *w;

	if (lang == RL_EN || !key)
		return key;
	w = lookup(key);
	if (!w)
		w = fmt_short_label(key);
	return w ? w : key;
}

const char *words_value(const char *s, enum rlang lang)
{
	const char *w;

	if (lang == RL_EN || !s)
		return s;
	w = lookup(s);
	return w ? w : s;
}

int words_count(struct buf *b, double v)
{
	char digits[64];
	size_t n, lead;
	int err = 0;

	if (!isfinite(v))
		return buf_adds(b, "–");
	if (v != floor(v)) {
		/* an amount: two decimals at most, no trailing zeros */
		snprintf(digits, sizeof(digits), "%.2f", v);
		n = strlen(digits);
		while (digits[n - 1] == '0')
			digits[--n] = '\0';
		if (digits[n - 1] == '.')
			digits[--n] = '\0';
		return buf_adds(b, digits);
	}
	if (v == 0)
		v = 0;	/* no "-0" */
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	n = strlen(digits);
	if (v < 0)
		err |= buf_addc(b, '-');
	if (n < 5)
		return err | buf_adds(b, digits);
	lead = n % 3 ? n % 3 : 3;
	err |= buf_add(b, digits, lead);
	for (size_t i = lead; i < n; i += 3) {
		err |= buf_addc(b, ',');
		err |= buf_add(b, digits + i, 3);
	}
	return err ? -1 : 0;
}

int words_pct(struct buf *b, double v)
{
	double r;

	if (!isfinite(v))
		return buf_adds(b, "–");
	r = round(v * 10.0) / 10.0;
	if (r == 0)
		r = 0;
	return buf_addf(b, "%.1f%%", r);
}
