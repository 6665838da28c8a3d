/*
 * ogi exclude REPORT|LOCATION --why TEXT, ogi include REPORT|LOCATION:
 * a report left out of everything current (a wrongly ingested page, a
 * copy that is not the body's), stored still and shown as excluded; the
 * exclusion is of the location the report is keyed by, so it holds
 * across reparse and re-crawl.  The current report of its body and year
 * is chosen again and the checks it touches run again.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "store/correct.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char exclude_usage[] =
	"usage: ogi exclude REPORT|LOCATION --why TEXT\n"
	"       ogi include REPORT|LOCATION\n"
	"\n"
	"exclude leaves the report (an id from 'ogi list', or the page's URL or\n"
	"file path it is keyed by) out of everything current: lists, reports,\n"
	"views, exports and checks use another copy of its body and year, or\n"
	"none.  It stays stored ('ogi list --all-versions', 'ogi show ID' say it is\n"
	"excluded and why).  A location names the report stored there now or\n"
	"later, so the exclusion holds across 'ogi reparse' and re-crawls.\n"
	"include takes the exclusion away.\n";

/* The location REPORT|LOCATION names: a report's, or the argument as it is. */
static int location_of(struct store *st, const char *arg, char **location, struct err *e)
{
	long id;

	if (!cli_parse_long(arg, &id) && id)
		return store_report_location(st, id, location, e);
	*location = xstrdup(arg);
	return 0;
}

static int run(int argc, char **argv, int include)
{
	static const struct option longopts[] = {
		{ "why", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why = NULL, *cmd = include ? "include" : "exclude";
	char *location = NULL;
	struct store *st = NULL;
	struct err e = ERR_INIT;
	int64_t report_id = 0;
	int opt, ret, removed = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'w' && !include) {
			why = optarg;
		} else if (opt == 'h') {
			cli_usage(stdout, exclude_usage);
			return EXIT_OK;
		} else {
			cli_usage(stderr, exclude_usage);
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error("%s: name one report (an id) or location", cmd);
		return EXIT_USAGE;
	}
	if (!include && (!why || !*why)) {
		cli_error("exclude: say why with --why TEXT");
		return EXIT_USAGE;
	}
	ret = cli_open_store(&st, 0);
	if (ret)
		return ret;
	if (location_of(st, argv[optind], &location, &e) || store_begin(st, &e)) {
		ret = cli_fail(&e);
		goto out;
	}
	ret = include ? store_include(st, location, &removed, &e)
		      : store_exclude(st, location, why, &report_id, &e);
	if (!ret)
		ret = pipeline_recheck_touched(st, &e);
	if (!ret)
		ret = store_commit(st, &e);
	else
		store_rollback(st);
	if (ret) {
		ret = cli_fail(&e);
		goto out;
	}
	if (include && !removed)
		cli_error("include: '%s' was not excluded", location);
	else if (!include && !report_id)
		cli_error("exclude: no report at '%s' now; one stored there will be excluded",
			  location);
	if (!cli_quiet && (!include || removed))
		cli_printf("%s %s\n", include ? "included" : "excluded", location);
	ret = EXIT_OK;
out:
	free(location);
	store_close(st);
	return ret;
}

int cmd_exclude(int argc, char **argv)
{
	return run(argc, argv, 0);
}

int cmd_include(int argc, char **argv)
{
	return run(argc, argv, 1);
}
