/*
 * ogi merge OTHER.db...: the warehouses of a crawl split across machines
 * brought into this one (store/merge.h): bodies by name and alias,
 * sources by content hash, reports by location, corrections, the crawl's
 * seeds and frontier; then the current report of each body and year is
 * chosen again and the checks that touches run again.  Merging the same
 * file again changes nothing.
 */
#include <getopt.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "store/merge.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi merge OTHER.db...\n"
	"\n"
	"Brings each warehouse into this one (--db), in one transaction each:\n"
	"bodies (matched by name or alias), sources (by content hash), reports\n"
	"(by location; of a report both have, other content fetched later),\n"
	"figures, claims, findings, fixes, exclusions, seeds and the crawl's\n"
	"frontier.  Then the current report of each body and year is chosen\n"
	"again and the checks run again where that changed.  OTHER.db is only\n"
	"read, and must have this ogi's schema version.  Merging again changes\n"
	"nothing.  See docs/crawl.md, \"Sharding a crawl\".\n";

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store *st = NULL;
	struct err e = ERR_INIT;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		}
		cli_usage(stderr, usage_text);
		return EXIT_USAGE;
	}
	if (optind == argc) {
		cli_error("merge: name the warehouses to merge into '%s'", cli_db_path);
		return EXIT_USAGE;
	}
	ret = cli_open_store(&st, 0);
	if (ret)
		return ret;
	for (int i = optind; i < argc; i++) {
		struct merge_counts c;

		if (store_merge(st, argv[i], &c, pipeline_recheck_touched, &e)) {
			ret = cli_fail(&e);
			break;
		}
		if (!cli_quiet)
			cli_printf("merged %s: %ld new bodies, %ld new sources, %ld new reports, "
				   "%ld reports updated, %ld new seeds, %ld new frontier URLs\n",
				   argv[i], c.bodies, c.sources, c.reports_new, c.reports_updated,
				   c.seeds, c.urls);
	}
	store_close(st);
	return ret;
}
