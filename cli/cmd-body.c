/*
 * ogi body list|show|rename|merge|alias|set-level|set-parent: the bodies
 * (government organs) reports belong to, with their stable ids, and the
 * corrections of who a report belongs to.  A write moves reports and runs
 * the checks it touches again (YEAR-CARRY across the years merged), in
 * one transaction.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "store/body.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi body list [--org TEXT] [--parent NAME] [--level L] [--body N]\n"
	"                     [--format text|csv|json|html] [--excel]\n"
	"       ogi body show BODY [--format text|json]\n"
	"       ogi body rename BODY NEW-NAME\n"
	"       ogi body merge BODY INTO-BODY\n"
	"       ogi body alias BODY NAME [--remove]\n"
	"       ogi body set-level BODY LEVEL|auto\n"
	"       ogi body set-parent BODY PARENT|none|auto\n"
	"\n"
	"A body has a stable id, a canonical name, a level, a parent and aliases:\n"
	"other names it is found by (a name it had, a body merged into it, a\n"
	"misspelling).  BODY is an id (see 'ogi body list') or a name or alias.\n"
	"\n"
	"  list        the bodies: body_id, organization, level, parent_id, parent,\n"
	"              aliases, reports (current), first_year, last_year\n"
	"  show        one body, its aliases, children and reports by year (the\n"
	"              current one of each year, and superseded or excluded copies)\n"
	"  rename      gives the body a new canonical name; the old one becomes an\n"
	"              alias, so pages naming it still file under this body\n"
	"  merge       moves every report, alias, child and seed of BODY into\n"
	"              INTO-BODY, whose alias BODY's name becomes; the current report\n"
	"              of each year is chosen again and the checks run again\n"
	"  alias       adds (or with --remove takes away) another name of the body\n"
	"  set-level   sets the level (township, county, city, province,\n"
	"              department) and keeps it from the parser; auto: the parser's\n"
	"  set-parent  sets the parent body (none: no parent) and keeps it; auto:\n"
	"              the parser's again\n";

static const char *const levels[] = { "township", "county", "city", "province", "department" };

static int known_level(const char *s)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(s, levels[i]))
			return 1;
	return 0;
}

static void body_columns(struct table *t)
{
	table_add_column(t, "body_id", TA_RIGHT);
	table_add_column(t, "organization", TA_LEFT);
	table_add_column(t, "level", TA_LEFT);
	table_add_column(t, "parent_id", TA_RIGHT);
	table_add_column(t, "parent", TA_LEFT);
	table_add_column(t, "aliases", TA_LEFT);
	table_add_column(t, "reports", TA_RIGHT);
	table_add_column(t, "first_year", TA_RIGHT);
	table_add_column(t, "last_year", TA_RIGHT);
}

static void body_row(struct table *t, const struct body *b)
{
	table_add_row(t);
	table_set_num(t, 0, (double)b->id);
	table_set_str(t, 1, b->name);
	table_set_str(t, 2, b->level);
	if (b->parent_id)
		table_set_num(t, 3, (double)b->parent_id);
	table_set_str(t, 4, b->parent);
	table_set_str(t, 5, b->aliases);
	table_set_num(t, 6, (double)b->reports);
	if (b->first_year)
		table_set_num(t, 7, b->first_year);
	if (b->last_year)
		table_set_num(t, 8, b->last_year);
}

static int body_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_FILTER_LONGOPTS,
		CLI_OUTPUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_filter f;
	struct cli_output out = { TF_TEXT, 0 };
	struct body_list l = { 0 };
	struct store *st = NULL;
	struct table *t = NULL;
	struct err e = ERR_INIT;
	int opt, ret = EXIT_USAGE;

	report_filter_init(&f);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_common_option(opt, optarg, &f, &out, "body list");

		if (r > 0)
			continue;
		ret = !r && opt == 'h' ? EXIT_OK : EXIT_USAGE;
		if (r >= 0)
			cli_usage(ret ? stderr : stdout, usage_text);
		goto out;
	}
	ret = cli_open_store(&st, STORE_READONLY);
	if (ret)
		goto out;
	if (store_body_list(st, &f, &l, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (!l.n)
		cli_error("no body matches");
	t = table_new();
	body_columns(t);
	for (size_t i = 0; i < l.n; i++)
		body_row(t, &l.v[i]);
	ret = cli_write_table(t, out.format, out.flags);
out:
	table_free(t);
	store_body_list_release(&l);
	store_close(st);
	report_filter_release(&f);
	return ret;
}

static int body_show(struct store *st, const char *which, int json)
{
	struct body b;
	struct body_list children = { 0 };
	struct report_filter f;
	struct table *t = NULL;
	struct err e = ERR_INIT;
	int64_t *ids = NULL;
	size_t n = 0;
	int ret;

	report_filter_init(&f);
	if (store_body_find(st, which, &b, &e))
		return cli_fail(&e);
	report_filter_add_body(&f, b.id);
	f.all_versions = 1;
	if (store_list_reports(st, &f, &ids, &n, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	t = table_new();
	table_add_column(t, "report_id", TA_RIGHT);
	table_add_column(t, "year", TA_RIGHT);
	table_add_column(t, "status", TA_LEFT);
	table_add_column(t, "current", TA_RIGHT);
	table_add_column(t, "name_read", TA_LEFT);
	table_add_column(t, "location", TA_LEFT);
	for (size_t i = 0; i < n; i++) {
		struct report r;
		struct report_info info;

		report_init(&r);
		if (store_get_report(st, ids[i], &r, &info, &e)) {
			report_release(&r);
			ret = cli_fail(&e);
			goto out;
		}
		table_add_row(t);
		table_set_num(t, 0, (double)info.id);
		if (r.year)
			table_set_num(t, 1, r.year);
		table_set_str(t, 2, report_status_name(r.status));
		table_set_num(t, 3, info.current);
		table_set_str(t, 4, r.organization);
		table_set_str(t, 5, info.location);
		report_release(&r);
	}
	report_filter_release(&f);
	report_filter_init(&f);
	report_filter_add_parent(&f, b.name);
	if (store_body_list(st, &f, &children, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (json) {
		struct table *one = table_new();

		/* one object: the body as 'body list' has it; reports: 'ogi list --body N' */
		body_columns(one);
		body_row(one, &b);
		ret = cli_write_table(one, TF_JSON, 0);
		table_free(one);
		goto out;
	}
	cli_printf("body %lld  %s\n", (long long)b.id, b.name);
	cli_printf("level %s%s  parent %s%s\n", b.level ? b.level : "-",
		   b.level_fixed ? " (set)" : "", b.parent ? b.parent : "-",
		   b.parent_fixed ? " (set)" : "");
	if (b.aliases)
		cli_printf("aliases %s\n", b.aliases);
	for (size_t i = 0; i < children.n; i++)
		cli_printf("%s %lld  %s\n", i ? "        " : "children", (long long)children.v[i].id,
			   children.v[i].name);
	printf("\n");
	ret = cli_write_table(t, TF_TEXT, 0);
out:
	table_free(t);
	free(ids);
	store_body_list_release(&children);
	store_body_release(&b);
	report_filter_release(&f);
	return ret;
}

/* The checks a write touched run again, then the write commits: all or nothing. */
static int finish_write(struct store *st, int ret, struct err *e)
{
	if (!ret)
		ret = pipeline_recheck_touched(st, e);
	if (!ret)
		ret = store_commit(st, e);
	else
		store_rollback(st);
	return ret;
}

int cmd_body(int argc, char **argv)
{
	struct store *st = NULL;
	struct body a, b;
	struct err e = ERR_INIT;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int ret = EXIT_USAGE, json = 0, remove = 0;
	int nargs = 0;
	const char *args[3] = { NULL, NULL, NULL };

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		cli_usage(sub ? stdout : stderr, usage_text);
		return sub ? EXIT_OK : EXIT_USAGE;
	}
	if (!strcmp(sub, "list"))
		return body_list(argc - 1, argv + 1);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			json = !strcmp(argv[++i], "json");
			if (!json && strcmp(argv[i], "text")) {
				cli_error("body show: unknown format '%s': want text or json", argv[i]);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--remove")) {
			remove = 1;
		} else if (nargs < 3) {
			args[nargs++] = argv[i];
		} else {
			nargs++;
		}
	}
	if (!strcmp(sub, "show")) {
		if (nargs != 1)
			goto usage;
		ret = cli_open_store(&st, STORE_READONLY);
		if (!ret)
			ret = body_show(st, args[0], json);
		store_close(st);
		return ret;
	}
	if (strcmp(sub, "rename") && strcmp(sub, "merge") && strcmp(sub, "alias") &&
	    strcmp(sub, "set-level") && strcmp(sub, "set-parent")) {
		cli_error("body: unknown command '%s'; see 'ogi body --help'", sub);
		return EXIT_USAGE;
	}
	if (nargs != 2)
		goto usage;
	if (!strcmp(sub, "set-level") && strcmp(args[1], "auto") && !known_level(args[1])) {
		cli_error("unknown level '%s': want township, county, city, province, department "
			  "or auto", args[1]);
		return EXIT_USAGE;
	}
	ret = cli_open_store(&st, 0);
	if (ret)
		return ret;
	if (store_body_find(st, args[0], &a, &e) || store_begin(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	if (!strcmp(sub, "rename")) {
		ret = store_body_rename(st, a.id, args[1], &e);
	} else if (!strcmp(sub, "merge")) {
		ret = store_body_find(st, args[1], &b, &e);
		if (!ret)
			ret = store_body_merge(st, a.id, b.id, &e);
	} else if (!strcmp(sub, "alias")) {
		ret = store_body_alias(st, a.id, args[1], remove, &e);
	} else if (!strcmp(sub, "set-level")) {
		ret = store_body_set_level(st, a.id, strcmp(args[1], "auto") ? args[1] : NULL, &e);
	} else if (!strcmp(args[1], "auto") || !strcmp(args[1], "none")) {
		ret = store_body_set_parent(st, a.id, 0, !strcmp(args[1], "auto"), &e);
	} else {
		ret = store_body_find(st, args[1], &b, &e);
		if (!ret)
			ret = store_body_set_parent(st, a.id, b.id, 0, &e);
	}
	ret = finish_write(st, ret, &e);
	if (ret) {
		ret = cli_fail(&e);
		goto out;
	}
	if (!cli_quiet) {
		if (!strcmp(sub, "merge"))
			cli_printf("merged body %lld (%s) into body %lld (%s)\n", (long long)a.id,
				   a.name, (long long)b.id, b.name);
		else
			cli_printf("%s body %lld (%s): %s%s\n", sub, (long long)a.id, a.name, args[1],
				   remove ? " removed" : "");
	}
	ret = EXIT_OK;
out:
	store_body_release(&a);
	store_body_release(&b);
	store_close(st);
	return ret;
usage:
	cli_error("body %s: wrong number of arguments", sub);
	cli_usage(stderr, usage_text);
	return EXIT_USAGE;
}
