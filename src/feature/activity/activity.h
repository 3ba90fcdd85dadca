/*
 * The activity log, the spine of Praxis (DESIGN.md §3): every write appends
 * one row (who, verb, object, space, when) in the same transaction as the
 * change. Feeds, notifications, digests and insight read from it.
 */
#ifndef PRAXIS_FEATURE_ACTIVITY_H
#define PRAXIS_FEATURE_ACTIVITY_H

#include <stdint.h>

struct db;

/*
 * Append a row on db, inside the caller's transaction. actor and space_id
 * may be 0 for none. Returns 0 or the database's error.
 */
int activity_add(struct db *db, int64_t actor, const char *verb, const char *type, int64_t object,
                 int64_t space_id);

#endif
