/*
 * ogi ingest PATH...: parse report pages from files or folders and store
 * them, raw bytes first, so that nothing read is lost even when it is not
 * a report.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "util/walk.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: ogi ingest [--org NAME] [--level LEVEL] [--parent NAME] [--jobs N] PATH...\n"
	"\n"
	"Parses reports (HTML or text pages, UTF-8 or GBK; PDF, Word .docx and\n"
	"Word 97-2003 or WPS .doc/.wps files; PNG and JPEG pictures of the\n"
	"tables and scanned PDFs with OCR, where Tesseract is installed) from\n"
	"files, or from the *.htm, *.html, *.shtml, *.txt, *.pdf, *.docx, *.doc,\n"
	"*.wps, *.png, *.jpg and *.jpeg files under folders (the content decides\n"
	"how a file is read, not its name), stores\n"
	"each file's bytes and the figures read from it, and runs the checks.\n"
	"Re-ingesting a file changes nothing.  Prints one line per file and a\n"
	"summary.  In folders, links leading out of the folder and links back to\n"
	"a folder already read are not followed, and only regular files are read\n"
	"(a FIFO, socket or device is skipped, with a message).\n"
	"\n"
	"  --org NAME      the publishing body, instead of the name in the title\n"
	"  --level LEVEL   its level: township, county, city, province, department\n"
	"  --parent NAME   the place it belongs to (e.g. 晋江市)\n"
	"  --jobs N        parse on N threads (default: the processors online); the\n"
	"                  warehouse and the lines printed are the same for any N\n";

/* Files taken from a folder; a file named on the command line is always read. */
static int wanted_in_folder(const char *name)
{
	static const char *const exts[] = { ".htm", ".html", ".shtml", ".txt", ".pdf", ".docx",
					    ".doc", ".wps", ".png", ".jpg", ".jpeg" };
	const char *dot = strrchr(name, '.');

	if (name[0] == '.' || !dot)
		return 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcasecmp(dot, exts[i]))
			return 1;
	return 0;
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

/* What was not read, said in its turn (pipeline_skip()); returns a cli exit code. */
static int ingest_skip(struct pipeline *pl, const char *path, const struct err *said, int failed)
{
	struct err e = ERR_INIT;
	int code = pipeline_skip(pl, path, said, failed, &e);

	return code ? cli_exit_code(code) : EXIT_OK;
}

/* A folder walked (util/walk.h): the pipeline it feeds, and the worst exit code so far. */
struct folder {
	struct pipeline *pl;
	int ret;
};

static int want_file(const char *name, void *arg)
{
	(void)arg;
	return wanted_in_folder(name);
}

static int on_file(const char *path, void *arg)
{
	struct folder *fo = arg;
	int r = ingest_file(fo->pl, path);

	if (r > fo->ret)
		fo->ret = r;
	return fo->ret >= EXIT_USAGE;	/* the warehouse failed: stop */
}

/*
 * Links out of the folder, loops and FIFOs are said and left out;
 * unreadable entries fail.  Said through the pipeline, in their turn among
 * the pages, so that the lines come out alike for any --jobs.
 */
static void on_skip(const char *path, enum walk_skip why, int errnum, void *arg)
{
	struct folder *fo = arg;
	struct err said = ERR_INIT;
	int r;

	if (why != WALK_ERROR)
		err_set(&said, OGI_EIO, "skipping '%s': %s", path, walk_skip_reason(why));
	else
		err_set(&said, OGI_EIO, "cannot read '%s': %s", path, strerror(errnum));
	r = ingest_skip(fo->pl, path, &said, why == WALK_ERROR);
	if (r > fo->ret)
		fo->ret = r;
}

/* Ingests a folder's files and subfolders in name order; returns a cli exit code. */
static int ingest_dir(struct pipeline *pl, const char *dir)
{
	struct folder fo = { pl, EXIT_OK };
	struct walk_ops ops = { want_file, on_file, on_skip, &fo };

	walk_tree(dir, &ops);
	return fo.ret;
}

int cmd_ingest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "level", required_argument, NULL, 'l' },
		{ "parent", required_argument, NULL, 'p' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pipeline pl;
	struct err e = ERR_INIT;
	int opt, ret = EXIT_OK, found = EXIT_OK, r;
	size_t jobs = cli_default_jobs(PIPELINE_MAX_JOBS);

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
		case 'j':
			if (cli_parse_jobs(optarg, PIPELINE_MAX_JOBS, &jobs))
				return EXIT_USAGE;
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
	pipeline_set_jobs(&pl, jobs);
	for (int i = optind; i < argc && ret < EXIT_USAGE; i++) {
		struct stat sb;
		struct err said = ERR_INIT;

		if (stat(argv[i], &sb)) {
			err_set(&said, OGI_EIO, "cannot read '%s': %s", argv[i], strerror(errno));
			r = ingest_skip(&pl, argv[i], &said, 1);
		} else if (S_ISDIR(sb.st_mode)) {
			r = ingest_dir(&pl, argv[i]);
		} else if (!S_ISREG(sb.st_mode)) {
			/* said before opening it: opening a FIFO waits for a writer */
			err_set(&said, OGI_EIO, "cannot read '%s': not a regular file", argv[i]);
			r = ingest_skip(&pl, argv[i], &said, 1);
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
