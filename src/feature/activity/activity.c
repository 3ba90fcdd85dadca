#include "feature/activity/activity.h"

#include "core/clock.h"
#include "db/db.h"

int activity_add(struct db *db, int64_t actor, const char *verb, const char *type, int64_t object,
                 int64_t space_id)
{
    struct db_param p[] = {
        actor ? DB_INT(actor) : DB_NULL,       DB_TEXTC(verb),      DB_TEXTC(type), DB_INT(object),
        space_id ? DB_INT(space_id) : DB_NULL, DB_INT(clock_unix())};

    return db_exec(db, STMT_ACTIVITY_INSERT, p, 6, NULL);
}
