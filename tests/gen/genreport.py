#!/usr/bin/python3
"""Generates realistic annual-report pages (政府信息公开工作年度报告) with known values.

Standard library only (run with /usr/bin/python3).  Each page comes with the
values it holds, keyed like tests/fixtures/expected.json, so tests compare
what ogi reads with what was written, independently of ogi's code.

  genreport.py page --out DIR [--seed N] [--count N] [--min-kb 40 --max-kb 150]
                    [--gbk-every 3] [--org NAME --year Y]
      writes DIR/NNNN.html and DIR/expected.json ({"reports": [...]})

As a module: make_report(rng, org, year, fmt, ...) -> (values dict),
render_html(values, style...) -> str, render_text(values) -> str.
"""
import argparse
import json
import os
import random
import sys

T3_COLS = ["natural_person", "commercial", "research", "nonprofit", "legal", "other_org", "total"]
T3_COL_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
REFUSED = [("state_secret", "1.属于国家秘密"), ("law_forbidden", "2.其他法律行政法规禁止公开"),
           ("three_safety", "3.危及“三安全一稳定”"), ("third_party", "4.保护第三方合法权益"),
           ("internal", "5.属于三类内部事务信息"), ("process", "6.属于四类过程性信息"),
           ("enforcement", "7.属于行政执法案卷"), ("inquiry", "8.属于行政查询事项")]
UNABLE = [("not_held", "1.本机关不掌握相关政府信息"), ("need_create", "2.没有现成信息需要另行制作"),
          ("unclear", "3.补正后申请内容仍不明确")]
REJECTED = [("petition", "1.信访举报投诉类申请"), ("repeat", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"), ("mass", "4.无正当理由大量反复申请"),
            ("confirm", "5.要求行政机关确认或重新出具已获取信息")]
OTHER_2021 = [("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
              ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
              ("other", "3.其他")]
T4_BLOCKS = ["review", "suit_direct", "suit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def outcome_rows(fmt):
    rows = ["granted", "partial"] + ["refused." + k for k, _ in REFUSED] + \
           ["unable." + k for k, _ in UNABLE] + ["rejected." + k for k, _ in REJECTED]
    rows += ["other"] if fmt == "2019" else ["other." + k for k, _ in OTHER_2021]
    return rows


def t3_rows(fmt):
    return ["new", "carried_over"] + outcome_rows(fmt) + ["total", "carried_forward"]


def make_report(rng, org, year, fmt, scale=1.0, carried_over=None, broken=None):
    """Consistent values for one report; broken names a rule to break on purpose."""
    t3 = {}
    apps = [0] * 6
    for c in range(6):
        apps[c] = int(rng.choice([0, 0, 1, 2, 5, 12, 40]) * scale * (3 if c == 0 else 1))
    co = carried_over or [rng.choice([0, 0, 1, 3]) for _ in range(6)]
    outs = outcome_rows(fmt)
    handled = {r: [0] * 6 for r in outs}
    fwd = [0] * 6
    for c in range(6):
        pool = apps[c] + co[c]
        fwd[c] = rng.randint(0, pool // 4) if pool else 0
        left = pool - fwd[c]
        while left > 0:
            r = rng.choice(outs[:4] + outs) if rng.random() < 0.7 else rng.choice(outs)
            k = rng.randint(1, max(1, left // 2))
            handled[r][c] += k
            left -= k

    def row(vals):
        return vals + [sum(vals)]
    t3["new"] = row(apps)
    t3["carried_over"] = row(list(co))
    for r in outs:
        t3[r] = row(handled[r])
    t3["total"] = row([sum(handled[r][c] for r in outs) for c in range(6)])
    t3["carried_forward"] = row(fwd)
    if broken == "T3-BALANCE":
        t3["carried_forward"][0] += 2
        t3["carried_forward"][6] += 2
    elif broken == "T3-ROWSUM":
        t3["granted"][6] += 1
    elif broken == "T3-OUTCOMES":
        t3["total"][1] += 3
        t3["total"][6] += 3
        t3["new"][1] += 3
        t3["new"][6] += 3
    t2 = {}
    if fmt == "2021":
        for k in ("rules", "normative"):
            iss, rep = rng.randint(0, 9), rng.randint(0, 3)
            t2[k + ".issued"], t2[k + ".repealed"], t2[k + ".in_force"] = iss, rep, iss + rng.randint(0, 40)
        for k in ("licensing", "penalty", "coercion"):
            t2[k + ".decisions"] = rng.choice([0, 0, 3, 17, 120, 1024])
        t2["fees.amount"] = rng.choice([0, 0, 1.5, 12.37, 230.4])
    else:
        for k in ("rules", "normative"):
            m = rng.randint(0, 9)
            t2[k + ".made"], t2[k + ".published"], t2[k + ".public_total"] = m, m, m + rng.randint(0, 90)
        for k in ("licensing", "other_services", "penalty", "coercion"):
            t2[k + ".prev_items"] = rng.randint(0, 60)
            t2[k + ".change"] = rng.randint(-5, 19)
            t2[k + ".decisions"] = rng.choice([0, 3, 17, 1200])
        t2["fees.prev_items"] = rng.randint(0, 5)
        t2["fees.change"] = rng.randint(-2, 2)
        t2["procurement.items"] = rng.randint(0, 12)
        t2["procurement.amount"] = rng.choice([0, 25.1, 130.55])
    t4 = {}
    for b in T4_BLOCKS:
        parts = [rng.choice([0, 0, 0, 1, 2]) for _ in range(4)]
        for c, v in zip(T4_COLS, parts + [sum(parts)]):
            t4[b + "." + c] = v
    if broken == "T4-BLOCK":
        t4["review.total"] += 1
    return {
        "organization": org, "year": year, "format": fmt,
        "published": "%d-01-%02d" % (year + 1, rng.randint(10, 28)),
        "t2": t2,
        "t3": {r: dict(zip(T3_COLS, vals)) for r, vals in t3.items()},
        "t4": t4,
    }


def num_text(v, style):
    """A figure as a CMS would print it."""
    if isinstance(v, float) and v != int(v):
        return "%g" % v
    v = int(v)
    if style == "fullwidth":
        return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in str(v))
    if style == "padded":
        return "\u00a0" + str(v) + "\u3000"
    return str(v)


def cell_html(text, word=False, attrs=""):
    if word:
        return ('<td %s valign="top" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">'
                '<p class="MsoNormal" align="center" style="text-align:center">'
                '<span lang="EN-US" style="font-size:10.5pt;font-family:宋体">%s<o:p></o:p>'
                '</span></p></td>' % (attrs, text if text != "" else "&nbsp;"))
    return '<td %s>%s</td>' % (attrs, text if text != "" else "&nbsp;")


def split_label(label, word):
    """Word splits labels across spans: 申请人情<span>况</span>."""
    if not word or len(label) < 4:
        return label
    k = len(label) // 2
    return label[:k] + '</span><span style="font-family:宋体">' + label[k:]


def render_t2(v, word):
    t2, fmt = v["t2"], v["format"]
    rows = []
    def title(text, span):
        rows.append("<tr>" + cell_html(text, word, 'colspan="%d"' % span) + "</tr>")
    def head(cells):
        rows.append("<tr>" + "".join(cell_html(split_label(c, word), word) for c in cells) + "</tr>")
    def data(label, keys):
        rows.append("<tr>" + cell_html(label, word) +
                    "".join(cell_html(num_text(t2[k], "plain") if k in t2 else "", word) for k in keys) + "</tr>")
    if fmt == "2021":
        title("第二十条第（一）项", 4)
        head(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
        data("规章", ["rules.issued", "rules.repealed", "rules.in_force"])
        data("行政规范性文件", ["normative.issued", "normative.repealed", "normative.in_force"])
        title("第二十条第（五）项", 4)
        head(["信息内容", "本年处理决定数量"])
        data("行政许可", ["licensing.decisions"])
        title("第二十条第（六）项", 4)
        head(["信息内容", "本年处理决定数量"])
        data("行政处罚", ["penalty.decisions"])
        data("行政强制", ["coercion.decisions"])
        title("第二十条第（八）项", 4)
        head(["信息内容", "本年收费金额（单位：万元）"])
        data("行政事业性收费", ["fees.amount"])
    else:
        title("第二十条第（一）项", 4)
        head(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])
        data("规章", ["rules.made", "rules.published", "rules.public_total"])
        data("规范性文件", ["normative.made", "normative.published", "normative.public_total"])
        title("第二十条第（五）项", 4)
        head(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"])
        for k, lab in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")):
            data(lab, [k + ".prev_items", k + ".change", k + ".decisions"])
        title("第二十条第（六）项", 4)
        head(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"])
        for k, lab in (("penalty", "行政处罚"), ("coercion", "行政强制")):
            data(lab, [k + ".prev_items", k + ".change", k + ".decisions"])
        title("第二十条第（八）项", 4)
        head(["信息内容", "上一年项目数量", "本年增/减"])
        data("行政事业性收费", ["fees.prev_items", "fees.change"])
        title("第二十条第（九）项", 4)
        head(["信息内容", "采购项目数量", "采购总金额"])
        amt = t2["procurement.amount"]
        rows.append("<tr>" + cell_html("政府集中采购", word) + cell_html(str(t2["procurement.items"]), word) +
                    cell_html("%d元" % round(amt * 10000), word) + "</tr>")
    return '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0">' + "".join(rows) + "</table>"


def render_t3(v, word, numstyle="plain", blank_zero=False, cols=7):
    fmt, t3 = v["format"], v["t3"]
    def vals(r):
        out = []
        for c in T3_COLS[:cols]:
            x = t3[r][c]
            out.append(cell_html("" if (x is None or (blank_zero and x == 0)) else num_text(x, numstyle), word))
        return "".join(out)
    nout = len(outcome_rows(fmt))
    h = ['<tr>' + cell_html("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", word, 'colspan="3" rowspan="3"')
         + cell_html(split_label("申请人情况", word), word, 'colspan="7"') + '</tr>',
         '<tr>' + cell_html("自然人", word, 'rowspan="2"') + cell_html("法人或其他组织", word, 'colspan="5"')
         + cell_html(split_label("总计", word), word, 'rowspan="2"') + '</tr>',
         '<tr>' + "".join(cell_html(x, word) for x in T3_COL_LABELS[1:6]) + '</tr>']
    body = ['<tr>' + cell_html("一、本年新收政府信息公开申请数量", word, 'colspan="3"') + vals("new") + '</tr>',
            '<tr>' + cell_html("二、上年结转政府信息公开申请数量", word, 'colspan="3"') + vals("carried_over") + '</tr>',
            # 三 spans the outcome rows and （七）总计, as on the form
            '<tr>' + cell_html("三、本年度办理结果", word, 'rowspan="%d"' % (nout + 1)) +
            cell_html("（一）予以公开", word, 'colspan="2"') + vals("granted") + '</tr>',
            '<tr>' + cell_html("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", word, 'colspan="2"') + vals("partial") + '</tr>']
    for group, label, items in (("refused", "（三）不予公开", REFUSED), ("unable", "（四）无法提供", UNABLE),
                                ("rejected", "（五）不予处理", REJECTED)) + \
            ((("other", "（六）其他处理", OTHER_2021),) if fmt == "2021" else ()):
        for i, (k, lab) in enumerate(items):
            first = cell_html(label, word, 'rowspan="%d"' % len(items)) if i == 0 else ""
            body.append('<tr>' + first + cell_html(lab, word) + vals(group + "." + k) + '</tr>')
    if fmt == "2019":
        body.append('<tr>' + cell_html("（六）其他处理", word, 'colspan="2"') + vals("other") + '</tr>')
    body.append('<tr>' + cell_html("（七）总计", word, 'colspan="2"') + vals("total") + '</tr>')
    body.append('<tr>' + cell_html("四、结转下年度继续办理", word, 'colspan="3"') + vals("carried_forward") + '</tr>')
    return ('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="600">'
            + "".join(h + body) + "</table>")


def render_t4(v, word):
    t4 = v["t4"]
    h = ('<tr>' + cell_html("行政复议", word, 'colspan="5"') + cell_html("行政诉讼", word, 'colspan="10"') + '</tr>'
         '<tr>' + "".join(cell_html(x, word, 'rowspan="2"') for x in T4_LABELS) +
         cell_html("未经复议直接起诉", word, 'colspan="5"') + cell_html("复议后起诉", word, 'colspan="5"') + '</tr>'
         '<tr>' + "".join(cell_html(x, word) for x in T4_LABELS * 2) + '</tr>')
    d = '<tr>' + "".join(cell_html(str(t4[b + "." + c]), word) for b in T4_BLOCKS for c in T4_COLS) + '</tr>'
    return '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0">' + h + d + "</table>"


FILLER = ("坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，"
          "围绕中心工作，聚焦群众关切，持续深化政务公开，不断提升政府工作透明度，切实保障人民群众知情权、参与权、表达权和监督权。")


def chrome_links(rng, n):
    items = []
    for i in range(n):
        items.append('<li><a href="/xxgk/zfxxgkzl/%d/t2024%04d_%d.htm" title="关于做好第%d批重点工作的通知">'
                     '关于做好第%d批重点工作的通知</a><span>2024-%02d-%02d</span></li>'
                     % (rng.randint(1, 30), rng.randint(101, 1231), rng.randint(10**6, 10**7), i, i,
                        rng.randint(1, 12), rng.randint(1, 28)))
    return "<ul class=\"list\">" + "".join(items) + "</ul>"


def render_html(v, rng, target_kb=60, word=True, missing=(), truncate=False, charset="utf-8",
                numstyle="plain", blank_zero=False, t3_cols=7, site="晋江市人民政府"):
    org, year = v["organization"], v["year"]
    title = "%s%d年政府信息公开工作年度报告" % (org, year)
    stated_new = v["t3"]["new"]["total"]
    parts = ['<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">',
             '<html><head><meta http-equiv="Content-Type" content="text/html; charset=%s">' % charset,
             '<title>%s_%s</title>' % (title, site),
             '<style>body{font:14px 宋体} .nav li{float:left}</style>',
             '<script type="text/javascript">var _hmt=_hmt||[];function createPageHTML(){}</script>',
             '</head><body><div class="header"><div class="logo">%s</div><ul class="nav">' % site,
             "".join('<li><a href="/col/%d/">栏目%d</a></li>' % (i, i) for i in range(12)),
             '</ul></div>',
             '<table width="100%" class="layout"><tr><td class="left">' + chrome_links(rng, 8) + '</td><td class="main">',
             '<div class="xxgk_table"><table class="meta"><tr><td>索引号：</td><td>3505-%03d-%d-0001</td>'
             '<td>发布机构：</td><td>%s</td></tr><tr><td>公文生成日期：</td><td>%s</td><td>文号：</td><td></td></tr></table></div>'
             % (rng.randint(1, 999), year, org, v["published"]),
             '<h1 class="title">%s</h1>' % title,
             '<div class="info">发布时间：%s 10:%02d</div>' % (v["published"], rng.randint(0, 59)),
             '<div class="TRS_Editor"><div class="Section1">',
             '<p class="MsoNormal">本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发&lt;中华人民共和国政府信息公开工作年度报告格式&gt;的通知》要求编制。</p>',
             '<p class="MsoNormal">一、总体情况</p>',
             '<p class="MsoNormal">%d年，%s%s全年共收到政府信息公开申请%d件。</p>' % (year, org, FILLER, stated_new),
             '<p class="MsoNormal">二、主动公开政府信息情况</p>']
    if "t2" not in missing:
        parts.append(render_t2(v, word))
    parts.append('<p class="MsoNormal">三、收到和处理政府信息公开申请情况</p>')
    if "t3" not in missing:
        parts.append(render_t3(v, word, numstyle, blank_zero, t3_cols))
    parts.append('<p class="MsoNormal">四、政府信息公开行政复议、行政诉讼情况</p>')
    if "t4" not in missing:
        parts.append(render_t4(v, word))
    parts.append('<p class="MsoNormal">五、存在的主要问题及改进情况</p>')
    body_end = ['<p class="MsoNormal">六、其他需要报告的事项</p><p>无。</p></div></div>',
                '</td></tr></table><div class="footer">' + chrome_links(rng, 10) +
                '<p>主办：%s办公室 版权所有</p></div></body></html>' % site]
    head = "".join(parts)
    tail = "".join(body_end)
    filler = []
    size = len((head + tail).encode("utf-8"))
    while size < target_kb * 1024:
        p = '<p class="MsoNormal" style="text-indent:2em"><span style="font-family:仿宋_GB2312">%s</span></p>' % FILLER
        filler.append(p)
        size += len(p.encode("utf-8"))
    page = head + "".join(filler) + tail
    if truncate:
        cut = page.find("（四）无法提供")
        page = page[:cut if cut > 0 else len(page) // 2]
    return page


def render_text(v):
    """One cell per line, as text copies of reports are flattened."""
    t2 = v["t2"]
    lines = ["%s关于%d年政府信息公开工作年度报告" % (v["organization"], v["year"]),
             "时间:%s 17:17" % v["published"], "一、总体情况", FILLER, "二、主动公开政府信息情况"]
    if v["format"] == "2021":
        lines += ["第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
        for k, lab in (("rules", "规章"), ("normative", "行政规范性文件")):
            lines += [lab] + [str(t2[k + "." + c]) for c in ("issued", "repealed", "in_force")]
        for blk, items in (("(五)", (("licensing", "行政许可"),)),
                           ("(六)", (("penalty", "行政处罚"), ("coercion", "行政强制")))):
            lines += ["第二十条第%s项" % blk, "信息内容", "本年处理决定数量"]
            for k, lab in items:
                lines += [lab, str(t2[k + ".decisions"])]
        lines += ["第二十条第(八)项", "信息内容", "本年收费金额(单位:万元)", "行政事业性收费",
                  num_text(t2["fees.amount"], "plain")]
    lines += ["三、收到和处理政府信息公开申请情况",
             "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织", "总计",
             "商业", "企业", "科研", "机构", "社会公益组织", "法律服务机构", "其他"]
    labels = {"new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
              "granted": "（一）予以公开", "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
              "total": "（七）总计", "carried_forward": "四、结转下年度继续办理", "other": "（六）其他处理"}
    groups = {"refused": ("（三）不予公开", REFUSED), "unable": ("（四）无法提供", UNABLE),
              "rejected": ("（五）不予处理", REJECTED), "other": ("（六）其他处理", OTHER_2021)}
    seen = set()
    for r in t3_rows(v["format"]):
        if r == "granted":
            lines.append("三、本年度办理结果")
        if "." in r:
            g, k = r.split(".")
            if g not in seen:
                lines.append(groups[g][0])
                seen.add(g)
            lines.append(dict(groups[g][1])[k])
        else:
            lines.append(labels[r])
        lines += [str(v["t3"][r][c]) for c in T3_COLS]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼"] + T4_LABELS + \
        ["未经复议直接起诉", "复议后起诉"] + T4_LABELS * 2
    lines += [str(v["t4"][b + "." + c]) for b in T4_BLOCKS for c in T4_COLS]
    lines += ["五、存在的主要问题及改进情况", FILLER]
    return "\n\n".join("      " + l for l in lines) + "\n"


def expected_entry(v, name):
    e = dict(v)
    e["file"] = name
    return e


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cmd", choices=["page"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--min-kb", type=int, default=40)
    ap.add_argument("--max-kb", type=int, default=150)
    ap.add_argument("--gbk-every", type=int, default=3, help="every Nth page is GBK (0: none)")
    ap.add_argument("--plain-tables", action="store_true",
                    help="tables as plain HTML, not Word's markup (pages under 60 KB)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    reports = []
    towns = ["龙湖镇", "东石镇", "安海镇", "金井镇", "英林镇", "内坑镇", "磁灶镇", "陈埭镇", "西园街道办事处", "青阳街道办事处"]
    for i in range(args.count):
        town = towns[i % len(towns)]
        org = "晋江市%s%s" % (town, "" if town.endswith("办事处") else "人民政府")
        year = 2019 + (i // len(towns)) % 6
        fmt = "2021" if year >= 2021 else "2019"
        v = make_report(rng, org, year, fmt)
        gbk = args.gbk_every and i % args.gbk_every == args.gbk_every - 1
        page = render_html(v, rng, target_kb=rng.randint(args.min_kb, args.max_kb),
                           charset="gbk" if gbk else "utf-8", word=not args.plain_tables)
        name = "%04d.html" % i
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(page.encode("gb18030" if gbk else "utf-8"))
        reports.append(expected_entry(v, name))
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"reports": reports}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
