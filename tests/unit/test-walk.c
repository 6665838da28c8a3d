/* Unit tests of util/walk.c: what a walk offers and leaves out, in order. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/walk.h"
#include "tests/unit/t.h"

static char root[64];

/* Every callback, in order, as "file NAME" or "skip NAME why", NAME relative to the root. */
struct events {
	struct buf log;
	int stop_at;		/* file callbacks before the one that stops; -1: never */
};

static const char *rel(const char *path)
{
	size_t n = strlen(root);

	return !strncmp(path, root, n) && path[n] == '/' ? path + n + 1 : path;
}

static int want(const char *name, void *arg)
{
	(void)arg;
	return strlen(name) > 5 && !strcmp(name + strlen(name) - 5, ".html");
}

static int on_file(const char *path, void *arg)
{
	struct events *ev = arg;

	buf_addf(&ev->log, "file %s\n", rel(path));
	return ev->stop_at >= 0 && ev->stop_at-- == 0 ? 7 : 0;
}

static void on_skip(const char *path, enum walk_skip why, int errnum, void *arg)
{
	static const char *const names[] = { "outside", "seen", "special", "deep", "error" };
	struct events *ev = arg;

	(void)errnum;
	buf_addf(&ev->log, "skip %s %s\n", rel(path), names[why]);
}

static void put(const char *rel_path, const char *text)
{
	struct buf p = BUF_INIT(BUF_NOLIMIT);
	FILE *f;

	buf_addf(&p, "%s/%s", root, rel_path);
	f = fopen(buf_str(&p), "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	buf_release(&p);
}

static void link_at(const char *target, const char *rel_path)
{
	struct buf p = BUF_INIT(BUF_NOLIMIT);

	buf_addf(&p, "%s/%s", root, rel_path);
	CHECK_INT(symlink(target, buf_str(&p)), 0);
	buf_release(&p);
}

static void dir_at(const char *rel_path, int fifo)
{
	struct buf p = BUF_INIT(BUF_NOLIMIT);

	buf_addf(&p, "%s/%s", root, rel_path);
	CHECK_INT(fifo ? mkfifo(buf_str(&p), 0600) : mkdir(buf_str(&p), 0700), 0);
	buf_release(&p);
}

static const char *walk(const char *dir, struct events *ev)
{
	struct walk_ops ops = { want, on_file, on_skip, ev };
	int ret;

	buf_reset(&ev->log);
	ret = walk_tree(dir, &ops);
	buf_addf(&ev->log, "ret %d\n", ret);
	return buf_str(&ev->log);
}

static void test_traps(void)
{
	struct events ev = { BUF_INIT(BUF_NOLIMIT), -1 };
	struct buf tree = BUF_INIT(BUF_NOLIMIT);

	dir_at("tree", 0);
	dir_at("tree/sub", 0);
	dir_at("outside", 0);
	put("tree/a.html", "a");
	put("tree/notes.txt", "not wanted");
	put("tree/.hidden.html", "dot files are left out");
	put("tree/sub/b.html", "b");
	put("outside/o.html", "o");
	dir_at("tree/fifo.html", 1);
	dir_at("tree/fifo", 1);		/* not wanted: not even said */
	link_at("sub", "tree/link2");
	link_at("../outside/o.html", "tree/out.html");
	link_at("../outside/o.txt", "tree/out.txt");	/* dangling, not wanted: silent */
	link_at("nowhere.html", "tree/dangling.html");
	link_at("..", "tree/up");
	link_at(".", "tree/x");
	buf_addf(&tree, "%s/tree", root);
	CHECK_STR(walk(buf_str(&tree), &ev),
		  "file tree/a.html\n"
		  "skip tree/dangling.html error\n"
		  "skip tree/fifo.html special\n"
		  "file tree/link2/b.html\n"
		  "skip tree/out.html outside\n"
		  "skip tree/sub seen\n"
		  "skip tree/up outside\n"
		  "skip tree/x seen\n"
		  "ret 0\n");
	/* a nonzero return from the file callback stops the walk and comes back */
	ev.stop_at = 0;
	CHECK_STR(walk(buf_str(&tree), &ev), "file tree/a.html\nret 7\n");
	/* a root that is no folder */
	buf_addc(&tree, '/');
	buf_adds(&tree, "a.html");
	ev.stop_at = -1;
	CHECK(strstr(walk(buf_str(&tree), &ev), " error\nret 0\n") != NULL);
	buf_release(&tree);
	buf_release(&ev.log);
}

static void test_deep(void)
{
	struct events ev = { BUF_INIT(BUF_NOLIMIT), -1 };
	struct buf p = BUF_INIT(BUF_NOLIMIT), want_log = BUF_INIT(BUF_NOLIMIT);

	buf_adds(&p, "deep");
	dir_at(buf_str(&p), 0);
	for (int i = 0; i <= WALK_MAX_DEPTH; i++) {
		buf_adds(&p, "/d");
		dir_at(buf_str(&p), 0);
	}
	buf_adds(&p, "/z.html");
	put(buf_str(&p), "too deep");
	put("deep/d/top.html", "top");
	buf_reset(&p);
	buf_addf(&p, "%s/deep", root);
	buf_adds(&want_log, "skip deep");
	for (int i = 0; i <= WALK_MAX_DEPTH; i++)
		buf_adds(&want_log, "/d");
	buf_adds(&want_log, " deep\nfile deep/d/top.html\nret 0\n");
	CHECK_STR(walk(buf_str(&p), &ev), buf_str(&want_log));
	buf_release(&p);
	buf_release(&want_log);
	buf_release(&ev.log);
}

int main(void)
{
	int rc;

	snprintf(root, sizeof(root), "/tmp/ogi-walk-XXXXXX");
	if (!mkdtemp(root))
		return 1;
	RUN(test_traps);
	RUN(test_deep);
	rc = t_done(__FILE__);
	{
		struct buf cmd = BUF_INIT(BUF_NOLIMIT);

		buf_addf(&cmd, "rm -rf '%s'", root);
		if (system(buf_str(&cmd)))
			rc = 1;
		buf_release(&cmd);
	}
	return rc;
}
