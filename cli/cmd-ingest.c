/*
 * ogi ingest PATH...: parse report pages from files or folders and store
 * them, raw bytes first, so that nothing read is lost even when it is not
 * a report.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi ingest [--org NAME] [--level LEVEL] [--parent NAME] PATH...\n"
	"\n"
	"Parses reports (HTML or text pages, UTF-8 or GBK; PDF files) from files,\n"
	"or from the *.htm, *.html, *.shtml, *.txt and *.pdf files under folders\n"
	"(the content decides how a file is read, not its name), stores each\n"
	"file's bytes and the figures read from it, and runs the checks.\n"
	"Re-ingesting a file changes nothing.  Prints one line per file and a\n"
	"summary.\n"
	"\n"
	"  --org NAME      the publishing body, instead of the name in the title\n"
	"  --level LEVEL   its level: township, county, city, province, department\n"
	"  --parent NAME   the place it belongs to (e.g. 晋江市)\n";

/* Files taken from a folder; a file named on the command line is always read. */
static int wanted_in_folder(const char *name)
{
	static const char *const exts[] = { ".htm", ".html", ".shtml", ".txt", ".pdf" };
	const char *dot = strrchr(name, '.');

	if (name[0] == '.' || !dot)
		return 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcasecmp(dot, exts[i]))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints each page's line; a page read as no report, or unreadable, makes the exit status 1. */
static void on_event(const struct pipeline_event *ev, void *arg)
{
	int *status = arg;

	cli_print_event(ev);
	if ((ev->outcome == PIPELINE_NOT_REPORT || ev->outcome == PIPELINE_FAILED) && !ev->fatal &&
	    *status < EXIT_FOUND)
		*status = EXIT_FOUND;
}

/* One file through the pipeline; returns a cli exit code (the events said the rest). */
static int ingest_file(struct pipeline *pl, const char *path)
{
	struct err e = ERR_INIT;
	int code = pipeline_file(pl, path, &e);

	return code ? cli_exit_code(code) : EXIT_OK;
}

/* Ingests a folder's files in name order, then its subfolders; returns a cli exit code. */
static int ingest_dir(struct pipeline *pl, const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int ret = EXIT_OK;

	if (depth > 32) {
		cli_error("skipping '%s': folders nested too deep", dir);
		return EXIT_FOUND;
	}
	d = opendir(dir);
	if (!d) {
		cli_error("cannot open folder '%s': %s", dir, strerror(errno));
		pl->failed++;
		return EXIT_FOUND;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && ret < EXIT_USAGE; i++) {
		struct buf path = BUF_INIT(BUF_NOLIMIT);
		struct stat sb;
		int r = EXIT_OK;

		buf_addf(&path, "%s/%s", dir, names[i]);
		if (stat(buf_str(&path), &sb) == 0 && S_ISDIR(sb.st_mode))
			r = ingest_dir(pl, buf_str(&path), depth + 1);
		else if (S_ISREG(sb.st_mode) && wanted_in_folder(names[i]))
			r = ingest_file(pl, buf_str(&path));
		if (r > ret)
			ret = r;
		buf_release(&path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

int cmd_ingest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "level", required_argument, NULL, 'l' },
		{ "parent", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pipeline pl;
	struct err e = ERR_INIT;
	int opt, ret = EXIT_OK, found = EXIT_OK, r;

	pipeline_init(&pl, NULL);
	pl.on_event = on_event;
	pl.arg = &found;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			pl.org = optarg;
			break;
		case 'l':
			pl.level = optarg;
			break;
		case 'p':
			pl.parent = optarg;
			break;
		case 'h':
			cli_usage(stdout, usage_text);
			return EXIT_OK;
		default:
			cli_usage(stderr, usage_text);
			return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		cli_error("ingest: no file or folder given");
		cli_usage(stderr, usage_text);
		return EXIT_USAGE;
	}
	r = cli_open_store(&pl.st, 0);
	if (r)
		return r;
	for (int i = optind; i < argc && ret < EXIT_USAGE; i++) {
		struct stat sb;

		if (stat(argv[i], &sb)) {
			cli_error("cannot read '%s': %s", argv[i], strerror(errno));
			pl.failed++;
			r = EXIT_FOUND;
		} else if (S_ISDIR(sb.st_mode)) {
			r = ingest_dir(&pl, argv[i], 0);
		} else {
			r = ingest_file(&pl, argv[i]);
		}
		if (r > ret)
			ret = r;
	}
	r = pipeline_finish(&pl, &e) ? cli_fail(&e) : found;
	if (r > ret)
		ret = r;
	if (!cli_quiet)
		printf("%zu pages: %zu new reports, %zu updated, %zu unchanged, %zu not reports, "
		       "%zu failed\n", pl.pages, pl.added, pl.updated + pl.attached, pl.unchanged,
		       pl.not_reports, pl.failed);
	store_close(pl.st);
	return ret;
}
