#ifndef OGI_WALK_H
#define OGI_WALK_H
/*
 * Walks a folder tree for the files to read in it, safe against what a
 * tree can hold (a user's download folder, an unpacked archive):
 *  - a symbolic link is followed only when its target lies inside the
 *    root (realpath): "up -> .." or "etc -> /etc" offers nothing;
 *  - each folder is entered once (device and inode), so a link back
 *    ("x -> .") ends at once instead of recursing;
 *  - only regular files are offered, as lstat/stat say before anything
 *    opens them: a FIFO, a socket or a device is skipped, never opened
 *    (opening a FIFO blocks until a writer comes);
 *  - at most WALK_MAX_DEPTH folders deep;
 *  - names starting with '.' are left out.
 * A folder's entries are taken in strcmp order, a subfolder walked where
 * its name falls.  The walk allocates what it needs and frees it before
 * returning; it prints nothing: what it leaves out goes to ops->skip.
 */

#define WALK_MAX_DEPTH 32

enum walk_skip {
	WALK_OUTSIDE,		/* a symbolic link whose target is outside the root */
	WALK_SEEN,		/* a folder already walked: a link loop, or a second link to it */
	WALK_SPECIAL,		/* neither a regular file nor a folder: FIFO, socket, device */
	WALK_TOO_DEEP,		/* a folder past WALK_MAX_DEPTH */
	WALK_ERROR		/* cannot be read: errnum says why */
};

struct walk_ops {
	/* 1 for a file name to offer (the name only); NULL: every file. */
	int (*want)(const char *name, void *arg);
	/* A regular file; a nonzero return stops the walk, and walk_tree returns it. */
	int (*file)(const char *path, void *arg);
	/*
	 * What was left out and why (errnum: an errno for WALK_ERROR, else
	 * 0).  WALK_SPECIAL is reported only for names want() takes.  May be
	 * NULL.
	 */
	void (*skip)(const char *path, enum walk_skip why, int errnum, void *arg);
	void *arg;
};

/*
 * Walks the folder root (a path to a folder, or to a link to one).
 * Returns 0 when the walk ended, or what ops->file returned to stop it.
 * A root that cannot be opened is reported to ops->skip as WALK_ERROR.
 */
int walk_tree(const char *root, const struct walk_ops *ops);

/* A short phrase for why: "its target is outside the folder", ... */
const char *walk_skip_reason(enum walk_skip why);

#endif
