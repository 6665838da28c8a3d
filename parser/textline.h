#ifndef OGI_TEXTLINE_H
#define OGI_TEXTLINE_H
/*
 * What a line of page text is before anyone reads it: a PDF page footer
 * ("— 7 —", "第 3 页"), a markdown table rule ("|---|---|"), page chrome
 * ("【打印本页】【关闭窗口】", "字号：大 中 小", "正文"), or text behind
 * markdown marks ("### 行政复议").  Shared by the metadata detector and
 * the text-table reader, so both skip the same lines.  Lines are UTF-8.
 */
#include <stddef.h>

/* Whether s[0..n) is a page number standing alone: "— 7 —", "- 12 -", "第 3 页", "3/10". */
int textline_is_footer(const char *s, size_t n);
/* Whether s[0..n) is a rule: only | + - = : and spaces, with three dashes or equals. */
int textline_is_rule(const char *s, size_t n);
/*
 * Whether s[0..n) is page chrome only: once the words of print/close/share
 * buttons, font-size pickers, visit counters and the like are taken out,
 * nothing but brackets, digits and punctuation is left.
 */
int textline_is_chrome(const char *s, size_t n);
/* Bytes of markdown marks that open s[0..n): "#", "##", ">" and "**", with the spaces after. */
size_t textline_markdown_prefix(const char *s, size_t n);

#endif
