#ifndef OGI_SCHEMA_H
#define OGI_SCHEMA_H
/*
 * The warehouse schema, internal to store/: one list of forward migration
 * steps, each taking the file from version - 1 to version.  The schema
 * version is the file's PRAGMA user_version; 0 is an empty file.
 */
#include <stddef.h>

#include <sqlite3.h>

#include "util/buf.h"
#include "util/err.h"

struct schema_step {
	int version;		/* the user_version after this step */
	const char *sql;	/* statements run as they are; may be NULL */
	/* Appends more SQL generated from the format table (views); may be NULL. */
	void (*build)(struct buf *sql);
};

/* The steps of this binary, in version order; the last one is the current version. */
const struct schema_step *schema_steps(size_t *n);
int schema_version(void);

/*
 * Reads PRAGMA user_version into *version.  0 or an OGI_EDB error naming
 * path (e.g. "file is not a database").
 */
int schema_read_version(sqlite3 *db, const char *path, int *version, struct err *err);

/*
 * Brings the file at db up to the last of steps[0..n) in one IMMEDIATE
 * transaction: all steps or none.  The version is read again inside the
 * transaction, so a concurrent opener that migrated first is not redone.
 * OGI_ESCHEMA when the file is newer than the steps; OGI_EDB when a
 * version-0 file already holds tables (not a warehouse) or a step fails.
 */
int schema_migrate(sqlite3 *db, const char *path, const struct schema_step *steps, size_t n,
		   struct err *err);

/* Appends the CREATE VIEW statements generated from the format table (version 1). */
void schema_build_views_v1(struct buf *sql);

#endif
