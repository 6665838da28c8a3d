/*
 * ogi reparse: parse stored pages again, without fetching, when this
 * parser is newer than the one that read them (or with --all).
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi reparse [--all] [--jobs N]\n"
	"\n"
	"Parses again every stored page whose report was read by an older parser\n"
	"version than this one's, or that gave no report; --all re-parses every\n"
	"stored page.  Figures, status and findings are replaced; ids stay.\n"
	"--jobs N parses on N threads (default: the processors online).\n";

/* Prints each page's line; a page read as no report makes the exit status 1. */
static void on_event(const struct pipeline_event *ev, void *arg)
{
	int *status = arg;

	cli_print_event(ev);
	if ((ev->outcome == PIPELINE_NOT_REPORT || ev->outcome == PIPELINE_FAILED) && !ev->fatal &&
	    *status < EXIT_FOUND)
		*status = EXIT_FOUND;
}

int cmd_reparse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pipeline pl;
	struct err e = ERR_INIT;
	int64_t *ids = NULL;
	size_t n = 0;
	int opt, all = 0, found = EXIT_OK, ret, r;
	size_t jobs = cli_default_jobs(PIPELINE_MAX_JOBS);

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'a') {
			all = 1;
		} else if (opt == 'j') {
			if (cli_parse_jobs(optarg, PIPELINE_MAX_JOBS, &jobs))
				return EXIT_USAGE;
		} else if (opt == 'h') {
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		} else {
			cli_usage(stderr, usage_text);
			return EXIT_USAGE;
		}
	}
	pipeline_init(&pl, NULL);
	pl.force = 1;
	pipeline_set_jobs(&pl, jobs);
	pl.on_event = on_event;
	pl.arg = &found;
	ret = cli_open_store(&pl.st, 0);
	if (ret)
		return ret;
	/* Every source counts as stale against a parser version no binary has. */
	if (store_list_stale_sources(pl.st, all ? PARSER_VERSION + 1 : PARSER_VERSION, &ids, &n,
				     &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	for (size_t i = 0; i < n && ret < EXIT_USAGE; i++) {
		r = pipeline_source(&pl, ids[i], &e);
		r = r ? cli_exit_code(r) : EXIT_OK;
		if (r > ret)
			ret = r;
	}
	r = pipeline_finish(&pl, &e) ? cli_fail(&e) : found;
	if (r > ret)
		ret = r;
	printf("%zu pages re-parsed: %zu reports updated, %zu new, %zu not reports, %zu failed\n",
	       pl.pages, pl.updated + pl.attached, pl.added, pl.not_reports, pl.failed);
out:
	free(ids);
	store_close(pl.st);
	return ret;
}
