#ifndef OGI_ERR_H
#define OGI_ERR_H
/*
 * Library code reports failure by returning one of these codes and writing
 * the detail into a caller-supplied struct err; only cli/ prints.
 * Messages are lowercase, say what failed first and quote the subject:
 * "cannot open 'x.db': disk full".
 */

enum ogi_code {
	OGI_OK = 0,
	OGI_EINVAL,	/* bad argument or input the caller should fix */
	OGI_EIO,	/* file or network I/O */
	OGI_EDB,	/* the warehouse */
	OGI_EPARSE,	/* input that cannot be understood */
	OGI_ETOOBIG,	/* input over a size limit */
	OGI_EBUSY,	/* locked by another process */
	OGI_ENOTFOUND,	/* no such report, seed, ... */
	OGI_ESCHEMA	/* warehouse schema newer than this program */
};

struct err {
	int code;
	char msg[512];
};

#define ERR_INIT { 0, "" }

/* Sets e (which may be NULL) and returns code, so that `return err_set(...)` reads well. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void err_clear(struct err *e);

#endif
