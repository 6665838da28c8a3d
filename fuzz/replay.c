/*
 * Runs a fuzz target without libFuzzer, for the normal test suite: the
 * Makefile links each fuzz/fuzz-<name>.c with this file into
 * $(B)/tests/test-fuzz-<name>, built with gcc and ASan+UBSan like every
 * unit test.  With no arguments it replays fuzz/regressions/<name>/ (the
 * inputs that once crashed, kept after the fix) and every file under
 * tests/fixtures/, so the targets' invariants hold on real pages too; with
 * arguments, the files and folders named.  A crash, a sanitizer report or a
 * broken invariant ends the process, which tests/run.sh counts as a failure;
 * otherwise it prints "# test-fuzz-<name>: N passed, 0 failed", one per input.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's default -max_len is far above any input kept here; refuse runaway files. */
#define REPLAY_MAX_INPUT ((size_t)64 << 20)

static size_t replayed;
static int failed;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_file(const char *path)
{
	struct buf b = BUF_INIT(REPLAY_MAX_INPUT);
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	uint8_t *copy;

	if (!f) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
		failed = 1;
		return;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n)) {
			fprintf(stderr, "replay: '%s' is over the size limit\n", path);
			failed = 1;
			break;
		}
	fclose(f);
	/* An exact-size copy, so that ASan sees a read one past the input's end. */
	copy = xmalloc(b.len ? b.len : 1);
	if (b.len)
		memcpy(copy, b.ptr, b.len);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(copy, b.len);
	free(copy);
	buf_release(&b);
	replayed++;
}

/* Files of a folder in name order, recursively; a missing folder is nothing to replay. */
static void replay_path(const char *path, int must_exist)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;

	if (stat(path, &sb)) {
		if (must_exist) {
			fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
			failed = 1;
		}
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		replay_file(path);
		return;
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: cannot list '%s': %s\n", path, strerror(errno));
		failed = 1;
		return;
	}
	while ((e = readdir(d))) {
		struct buf p = BUF_INIT(BUF_NOLIMIT);

		if (e->d_name[0] == '.')
			continue;
		buf_addf(&p, "%s/%s", path, e->d_name);
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = buf_take(&p);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		replay_path(names[i], 1);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const char *name = !strncmp(base, "test-fuzz-", 10) ? base + 10 : base;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			replay_path(argv[i], 1);
	} else {
		struct buf dir = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&dir, "fuzz/regressions/%s", name);
		replay_path(buf_str(&dir), 0);
		replay_path("tests/fixtures", 1);
		buf_release(&dir);
	}
	printf("# test-fuzz-%s: %zu passed, %d failed\n", name, replayed, failed);
	return failed;
}
