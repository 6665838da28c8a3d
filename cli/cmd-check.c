/*
 * ogi check: runs every consistency rule on the selected reports, stores
 * the findings (so `ogi report flags` and the v_findings view see them)
 * and prints them for people: the rule in the form's words, the cells'
 * labels and both values, the full source.  Exit 0: nothing shown;
 * 1: findings; 2+: errors.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "reports/checks.h"
#include "reports/html.h"
#include "reports/section.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi check [--org TEXT] [--year Y] [--parent NAME] [--level L] [--id N]\n"
	"                 [--rule ID[,ID...]] [--kind KIND] [--lang zh|en]\n"
	"                 [--body N] [--all-versions] [--format text|csv|json|html] [--excel]\n"
	"\n"
	"Runs the rules of the format on the selected reports (every current report\n"
	"by default; --all-versions: superseded and excluded copies too) and stores\n"
	"the findings; on a warehouse this user cannot write (or a file without\n"
	"write permission) it stores nothing and says so:\n"
	"  T3-BALANCE   new + carried_over = total + carried_forward, per column\n"
	"  T3-ROWSUM    a row's total = the sum of its six applicant columns\n"
	"  T3-OUTCOMES  total = the sum of the outcome rows, per column\n"
	"  T4-BLOCK     each review/litigation block: total = the sum of its parts\n"
	"  NONNEG       counts are non-negative integers, amounts non-negative\n"
	"  YEAR-CARRY   carried_over = the previous year's carried_forward\n"
	"  TEXT-TABLE   figures the text states = the table\n"
	"Each finding names the report, the rule in the form's words, the cells'\n"
	"labels and both values, the source in full, and its kind: contradiction\n"
	"(the figures disagree), blank (fails only because a required cell is\n"
	"blank) or text.  Every finding is stored; --rule and --kind choose which\n"
	"are shown (and decide the exit status).\n"
	"\n" CLI_FILTER_HELP
	"  --rule ID         only these rules (comma-separated ids above)\n"
	"  --kind KIND       only contradiction, blank or text\n"
	"  --lang L          zh (default: the form's words) or en (the keys)\n"
	"  --format F        text (default), csv, json or html (a page; each report\n"
	"                    links to reports/ID.html, as in 'ogi report site')\n"
	"  --excel           with csv: a BOM and CRLF line ends for Excel\n"
	"\n"
	"exit status: 0 no findings, 1 findings, 2 usage, 3 error, 4 warehouse busy\n";

enum { OPT_RULE = OPT_FIRST_FREE, OPT_KIND, OPT_LANG };

/* A finding as a supervisor reads it: who, the rule, what is wrong, where to look. */
static void print_finding(const struct report *r, const struct report_info *info,
			  const struct finding *f, int en)
{
	struct buf w = BUF_INIT(BUF_NOLIMIT);

	cli_printf("%s  %d  %s  %s  %s %lld\n", r->organization ? r->organization : "?", r->year,
		   f->rule, check_kind_words(f->kind, en), en ? "report" : "报告",
		   (long long)info->id);
	check_rule_words(f->rule, en, &w);
	cli_printf("  %s%s\n", en ? "rule: " : "规则：", buf_str(&w));
	buf_reset(&w);
	check_explain(f, r, en, &w);
	cli_printf("  %s\n", buf_str(&w));
	cli_printf("  %s%s\n", en ? "source: " : "来源：", info->location);
	buf_release(&w);
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		CLI_OUTPUT_LONGOPTS,
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rq q;
	struct check_filter cf = { NULL, -1 };
	struct cli_output out = { TF_TEXT, 0 };
	struct store *st = NULL;
	struct table *t = NULL;
	struct err e = ERR_INIT;
	int64_t *ids = NULL;
	size_t n = 0, nfound = 0;
	int opt, ret, readonly;

	memset(&q, 0, sizeof(q));
	report_filter_init(&q.f);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_common_option(opt, optarg, &q.f, &out, "check");
		enum finding_kind k;

		if (r > 0)
			continue;
		ret = EXIT_USAGE;
		if (r < 0)
			goto out;
		if (opt == OPT_RULE) {
			if (checks_rules_valid(optarg)) {
				cli_error("check: unknown rule in '%s'; see 'ogi check --help'", optarg);
				goto out;
			}
			cf.rules = optarg;
		} else if (opt == OPT_KIND) {
			if (finding_kind_parse(optarg, &k)) {
				cli_error("check: unknown kind '%s': contradiction, blank or text",
					  optarg);
				goto out;
			}
			cf.kind = (int)k;
		} else if (opt == OPT_LANG) {
			if (words_lang_parse(optarg, &q.lang)) {
				cli_error("check: unknown language '%s': zh or en", optarg);
				goto out;
			}
		} else if (opt == 'h') {
			cli_usage(stdout, usage_text);
			ret = EXIT_OK;
			goto out;
		} else {
			cli_usage(stderr, usage_text);
			goto out;
		}
	}
	q.format = out.format;
	q.site_root = "";
	/* A warehouse that cannot be written is checked all the same: nothing is stored. */
	readonly = access(cli_db_path, F_OK) == 0 && !store_path_writable(cli_db_path);
	ret = cli_open_store(&st, readonly ? STORE_READONLY : 0);
	if (ret)
		goto out;
	if (readonly && !cli_quiet)
		cli_error("'%s' is read-only: the findings are printed, not stored", cli_db_path);
	t = table_new();
	checks_columns(t, &q);
	if (store_list_reports(st, &q.f, &ids, &n, &e) || (!readonly && store_begin(st, &e))) {
		ret = cli_fail(&e);
		goto out;
	}
	cli_filter_explain(st, &q.f, n);
	for (size_t i = 0; i < n; i++) {
		struct finding_list l;
		struct report r;
		struct report_info info;

		finding_list_init(&l);
		report_init(&r);
		if ((readonly ? pipeline_check_only(st, ids[i], &l, &e)
			      : pipeline_check_report(st, ids[i], &l, &e)) ||
		    store_get_report(st, ids[i], &r, &info, &e)) {
			finding_list_release(&l);
			report_release(&r);
			if (!readonly)
				store_rollback(st);
			ret = cli_fail(&e);
			goto out;
		}
		for (size_t k = 0; k < l.n; k++) {
			if (!checks_match(&cf, &l.items[k]))
				continue;
			if (out.format == TF_TEXT)
				print_finding(&r, &info, &l.items[k], q.lang == RL_EN);
			else
				checks_add(t, &q, &r, &info, &l.items[k]);
			nfound++;
		}
		finding_list_release(&l);
		report_release(&r);
	}
	if (!readonly && store_commit(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (out.format == TF_HTML) {
		struct rsection s;
		struct html_frame fr = { q.lang == RL_EN ? "Findings of the rules" : "勾稽关系检查结果",
					 NULL, NULL, q.lang == RL_EN };
		struct buf sub = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&sub, q.lang == RL_EN ? "%zu reports checked, %zu findings"
					      : "检查%zu份报告，发现%zu个问题", n, nfound);
		fr.subtitle = buf_str(&sub);
		rsection_init(&s, "findings", q.lang == RL_EN ? "Findings" : "问题");
		table_free(s.table);
		s.table = t;
		t = NULL;
		buf_adds(&s.note, q.lang == RL_EN
					  ? "Each finding: the rule in the form's words, the cells and "
					    "both values; the report's id leads to its page in a site "
					    "made by 'ogi report site'."
					  : "每个问题列出规则（表中文字）、所涉单元格及两边的数值；报告编号链接到"
					    "ogi report site 生成的网站中该报告的页面。");
		if (rsection_write(stdout, &s, 1, TF_HTML, 0, &fr)) {
			cli_error("cannot write output");
			ret = EXIT_FAIL;
		}
		rsection_release(&s);
		buf_release(&sub);
		if (ret)
			goto out;
	} else if (out.format != TF_TEXT) {
		ret = cli_write_table(t, out.format, out.flags);
		if (ret)
			goto out;
	}
	if (out.format == TF_TEXT && !cli_quiet)
		fprintf(stderr, q.lang == RL_EN ? "%zu reports checked, %zu findings\n"
						: "检查%zu份报告，发现%zu个问题\n", n, nfound);
	ret = nfound ? EXIT_FOUND : EXIT_OK;
out:
	table_free(t);
	free(ids);
	store_close(st);
	report_filter_release(&q.f);
	return ret;
}
