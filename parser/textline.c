#include "parser/textline.h"

#include <stdint.h>
#include <string.h>

#include "util/once.h"
#include "util/re.h"
#include "util/utf8.h"
#include "util/banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * "— 7 —", "-12-", "第 3 页", "第3页/共10页", "3 / 10": a page number, the
 * only thing on its line.  A digit alone is a table cell, never a footer.
 */
static const char *const footer_pattern =
	"^\\s*(?:[-\\x{2010}-\\x{2015}\\x{FF0D}]+\\s*\\d{1,4}\\s*[-\\x{2010}-\\x{2015}\\x{FF0D}]+"
	"|第\\s*\\d{1,4}\\s*页(?:\\s*[/,，]?\\s*共\\s*\\d{1,4}\\s*页)?"
	"|\\d{1,4}\\s*[/／]\\s*\\d{1,4})\\s*$";

static pcre2_code *re_footer;
static _Thread_local pcre2_match_data *md;
static struct once compiled = ONCE_INIT;

static void compile(void)
{
	re_footer = re_builtin(footer_pattern);
}

int textline_is_footer(const char *s, size_t n)
{
	if (!n || n > 64)
		return 0;
	once_run(&compiled, compile);
	return pcre2_match(re_footer, (PCRE2_SPTR)s, n, 0, 0, re_thread_md(&md, 2), NULL) >= 0;
}

int textline_is_rule(const char *s, size_t n)
{
	size_t dashes = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '=')
			dashes++;
		else if (!strchr("|+: \t", s[i]))
			return 0;
	}
	return dashes >= 3;
}

/* Words of buttons and widgets around an article; a line of nothing else is chrome. */
static const char *const chrome_words[] = {
	"打印本页", "打印此页", "打印文章", "关闭窗口", "关闭本页", "打印", "关闭", "字号",
	"字体", "分享到", "分享", "浏览次数", "浏览量", "访问量", "阅读次数", "点击数",
	"点击量", "收藏", "返回顶部", "返回", "扫一扫", "在手机打开", "微信", "微博",
	"QQ空间", "全真版", "文字版", "文件下载", "附件下载", "相关链接", "正文", "视力保护色",
	"默认", "特大",
};
/* 大 中 小: the font sizes of a 字号 picker, chrome only beside it. */
static const char *const size_words[] = { "大", "中", "小" };

static int is_han(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x2FFFF);
}

int textline_is_chrome(const char *s, size_t n)
{
	char buf[256];
	const char *p, *end;
	int sizes;

	if (!n || n >= sizeof(buf))
		return 0;	/* chrome lines are short; long ones carry text */
	memcpy(buf, s, n);
	buf[n] = '\0';
	sizes = strstr(buf, "字号") || strstr(buf, "字体");
	for (size_t w = 0; w < NELEM(chrome_words) + NELEM(size_words); w++) {
		const char *word = w < NELEM(chrome_words) ? chrome_words[w]
							   : size_words[w - NELEM(chrome_words)];
		size_t wl = strlen(word);
		char *at;

		if (w >= NELEM(chrome_words) && !sizes)
			break;
		while ((at = strstr(buf, word)))
			memset(at, ' ', wl);
	}
	p = buf;
	end = buf + n;
	while (p < end) {
		uint32_t cp;

		if (utf8_decode(&p, end, &cp)) {
			p++;
			continue;
		}
		if (is_han(cp) || (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')))
			return 0;
	}
	return 1;
}

size_t textline_markdown_prefix(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && (s[i] == '#' || s[i] == '>')) {
		char c = s[i];

		while (i < n && s[i] == c)
			i++;
		if (i < n && s[i] != ' ' && s[i] != '\t' && c == '#' && i > 6)
			return 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	if (i + 1 < n && s[i] == '*' && s[i + 1] == '*') {
		i += 2;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	return i;
}
