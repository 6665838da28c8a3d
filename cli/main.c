/*
 * ogi: the command-line program, a thin layer over libogi.  Parses the
 * global options, then runs one cli/cmd-<name>.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/banned.h"

#define OGI_VERSION "0.1.0"

static const struct cli_cmd commands[] = {
	{ "seed", cmd_seed, "add, import, list or remove the pages a crawl starts from" },
	{ "crawl", cmd_crawl, "fetch the seeds' report pages and parse them (nightly)" },
	{ "ingest", cmd_ingest, "parse report pages (files or folders) into the warehouse" },
	{ "list", cmd_list, "list the reports in the warehouse" },
	{ "show", cmd_show, "print one report's tables as read (text or JSON)" },
	{ "check", cmd_check, "run the consistency rules and print the findings" },
	{ "reparse", cmd_reparse, "re-parse stored pages with this parser version" },
	{ "report", cmd_report, "volumes, refusals, comparisons, review, flags (text to HTML)" },
	{ "export", cmd_export, "every figure in long form with its source (CSV, JSON, XLSX)" },
	{ "body", cmd_body, "list, show, rename, merge bodies; aliases, level, parent" },
	{ "exclude", cmd_exclude, "leave a report out of everything current, with why" },
	{ "include", cmd_include, "take an exclusion away" },
	{ "fix", cmd_fix, "a reviewer's value of a cell, kept apart from the parser's" },
	{ "labels", cmd_labels, "the codebook: keys, the form's labels, units, rules" },
	{ "merge", cmd_merge, "bring other warehouses (a sharded crawl) into this one" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ogi [--db FILE] [--quiet] [--verbose] COMMAND [ARGS]\n"
		"\n"
		"ogi reads Chinese government annual reports on information disclosure\n"
		"(政府信息公开工作年度报告), keeps their tables in a SQLite warehouse and\n"
		"checks that their numbers add up.\n"
		"\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"options:\n"
		"  --db FILE    the warehouse (default $OGI_DB, else ./ogi.db)\n"
		"  --quiet      no progress or per-item lines on stderr\n"
		"  --verbose    more detail on stderr\n"
		"  --version    print the version\n"
		"\n"
		"exit status: 0 ok (check: no findings); 1 check found something, or some\n"
		"inputs were not reports; 2 usage error; 3 runtime error; 4 warehouse busy.\n"
		"\n"
		"'ogi COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	int i;

	cli_db_path = getenv("OGI_DB");
	if (!cli_db_path || !*cli_db_path)
		cli_db_path = STORE_DEFAULT_PATH;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return cli_finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "--version")) {
			printf("ogi %s (parser version %d, schema version %d)\n", OGI_VERSION,
			       PARSER_VERSION, store_schema_version());
			return cli_finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "--db") && i + 1 < argc) {
			cli_db_path = argv[++i];
		} else if (!strncmp(a, "--db=", 5)) {
			cli_db_path = a + 5;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			cli_quiet = 1;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			cli_verbose = 1;
		} else {
			cli_error("unknown option '%s'", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return cli_finish_stdout(commands[c].fn(argc - i, argv + i));
	cli_error("'%s' is not an ogi command; see 'ogi --help'", argv[i]);
	return EXIT_USAGE;
}
