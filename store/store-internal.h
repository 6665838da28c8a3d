#ifndef OGI_STORE_INTERNAL_H
#define OGI_STORE_INTERNAL_H
/*
 * Access below store.h, for store/ itself and its unit tests only (fault
 * injection such as PRAGMA max_page_count).  Nothing else may include it:
 * store/ is the only module that speaks SQL.
 */
#include <sqlite3.h>

#include "store/store.h"

/* The handle's connection; owned by st, valid until store_close(). */
sqlite3 *store_sqlite(struct store *st);

#endif
