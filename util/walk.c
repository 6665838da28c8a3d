#include "util/walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A folder walked, by identity: the same folder reached by two paths is one. */
struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct walk {
	const struct walk_ops *ops;
	char *root;			/* realpath of the root */
	size_t root_len;
	struct dir_id *seen;		/* sorted, for bsearch */
	size_t nseen, aseen;
};

const char *walk_skip_reason(enum walk_skip why)
{
	switch (why) {
	case WALK_OUTSIDE:
		return "a link whose target is outside the folder";
	case WALK_SEEN:
		return "a link to a folder read already (a loop, or a second way in)";
	case WALK_SPECIAL:
		return "not a regular file";
	case WALK_TOO_DEEP:
		return "folders nested too deep";
	default:
		return "cannot be read";
	}
}

static int cmp_id(const struct dir_id *a, const struct dir_id *b)
{
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return 0;
}

/* Records the folder st describes; 1 when it was recorded before. */
static int seen_before(struct walk *w, const struct stat *st)
{
	struct dir_id id = { st->st_dev, st->st_ino };
	size_t lo = 0, hi = w->nseen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_id(&w->seen[mid], &id);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ALLOC_GROW(w->seen, w->nseen + 1, w->aseen);
	memmove(w->seen + lo + 1, w->seen + lo, (w->nseen - lo) * sizeof(*w->seen));
	w->seen[lo] = id;
	w->nseen++;
	return 0;
}

/* 1 when the link at path resolves inside the root, 0 outside, -1 (errno set) when it cannot. */
static int link_inside(const struct walk *w, const char *path)
{
	char *real = realpath(path, NULL);
	int in;

	if (!real)
		return -1;
	in = !strncmp(real, w->root, w->root_len) &&
	     (real[w->root_len] == '/' || real[w->root_len] == '\0' || w->root_len == 1);
	free(real);
	return in;
}

static int wanted(const struct walk *w, const char *name)
{
	return !w->ops->want || w->ops->want(name, w->ops->arg);
}

static void skip(const struct walk *w, const char *path, enum walk_skip why, int errnum)
{
	if (w->ops->skip)
		w->ops->skip(path, why, errnum, w->ops->arg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct walk *w, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	int ret = 0;

	if (!d) {
		skip(w, dir, WALK_ERROR, errno);
		return 0;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && !ret; i++) {
		struct buf path = BUF_INIT(BUF_NOLIMIT);
		struct stat st;
		const char *p;
		int usable;

		buf_addf(&path, "%s/%s", dir, names[i]);
		p = buf_str(&path);
		/* the entry itself first: a link is judged by where it leads before it is followed */
		usable = !lstat(p, &st);
		if (!usable) {
			if (wanted(w, names[i]))
				skip(w, p, WALK_ERROR, errno);
		} else if (S_ISLNK(st.st_mode)) {
			int in = link_inside(w, p);

			if (in < 0 || stat(p, &st)) {
				usable = 0;
				if (wanted(w, names[i]))
					skip(w, p, WALK_ERROR, errno);	/* a dangling link */
			} else if (!in) {
				usable = 0;
				if (S_ISDIR(st.st_mode) || wanted(w, names[i]))
					skip(w, p, WALK_OUTSIDE, 0);
			}
		}
		if (!usable) {
			/* left out above */
		} else if (S_ISDIR(st.st_mode)) {
			if (depth >= WALK_MAX_DEPTH)
				skip(w, p, WALK_TOO_DEEP, 0);
			else if (seen_before(w, &st))
				skip(w, p, WALK_SEEN, 0);
			else
				ret = walk_dir(w, p, depth + 1);
		} else if (!wanted(w, names[i])) {
			/* not for us, whatever it is */
		} else if (S_ISREG(st.st_mode)) {
			ret = w->ops->file(p, w->ops->arg);
		} else {
			skip(w, p, WALK_SPECIAL, 0);
		}
		buf_release(&path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

int walk_tree(const char *root, const struct walk_ops *ops)
{
	struct walk w;
	struct stat st;
	int ret = 0;

	memset(&w, 0, sizeof(w));
	w.ops = ops;
	w.root = realpath(root, NULL);
	if (!w.root || stat(w.root, &st)) {
		skip(&w, root, WALK_ERROR, errno);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		skip(&w, root, WALK_ERROR, ENOTDIR);
		goto out;
	}
	w.root_len = strlen(w.root);
	seen_before(&w, &st);
	ret = walk_dir(&w, root, 0);
out:
	free(w.root);
	free(w.seen);
	return ret;
}
