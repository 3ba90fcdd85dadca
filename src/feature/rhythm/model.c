#include "feature/rhythm/model.h"

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"

static void followup_row(struct db_rows *rows, struct arena *a, struct followup *f)
{
    f->id = db_col_int(rows, 0);
    f->event_id = db_col_int(rows, 1);
    f->occurrence = db_col_int(rows, 2);
    f->topic_id = db_col_int(rows, 3);
    f->summary = db_col_text(rows, 4, a);
    f->summary_html = db_col_text(rows, 5, a);
    f->resources = db_col_text(rows, 6, a);
    f->next_steps = db_col_text(rows, 7, a);
    f->next_steps_html = db_col_text(rows, 8, a);
    f->created_by = db_col_int(rows, 9);
    f->author_handle = db_col_text(rows, 10, a);
    f->author_name = db_col_text(rows, 11, a);
    f->created_at = db_col_int(rows, 12);
}

int followup_load(struct db *db, struct arena *a, int64_t id, struct followup *out)
{
    struct db_rows rows;
    int rc = db_query(db, STMT_FOLLOWUP_BY_ID, (struct db_param[]){DB_INT(id)}, 1, &rows);

    if (!rc) {
        rc = db_next(&rows);
        if (rc > 0)
            followup_row(&rows, a, out);
        rc = rc > 0 ? 0 : rc == 0 ? E_NOTFOUND : rc;
    }
    db_rows_done(&rows);
    return rc;
}

int followups_of_event(struct db *db, struct arena *a, int64_t event_id, size_t max,
                       struct followup **out, size_t *n)
{
    struct db_rows rows;
    struct followup *x = arena_calloc(a, max ? max : 1, sizeof(*x));
    int rc = db_query(db, STMT_FOLLOWUPS_OF_EVENT,
                      (struct db_param[]){DB_INT(event_id), DB_INT(max)}, 2, &rows);

    *n = 0;
    while (!rc && (rc = db_next(&rows)) > 0 && *n < max) {
        followup_row(&rows, a, &x[(*n)++]);
        rc = 0;
    }
    db_rows_done(&rows);
    *out = x;
    return rc < 0 ? rc : 0;
}

int followup_exists(struct db *db, int64_t event_id, int64_t occurrence, bool *yes)
{
    int64_t n = 0;
    int rc = db_query_int(db, STMT_FOLLOWUP_EXISTS,
                          (struct db_param[]){DB_INT(event_id), DB_INT(occurrence)}, 2, &n);

    *yes = n > 0;
    return rc;
}

int followup_insert(struct db *db, const struct followup *f, int64_t *id)
{
    struct db_param p[] = {DB_INT(f->event_id),
                           DB_INT(f->occurrence),
                           f->topic_id ? DB_INT(f->topic_id) : DB_NULL,
                           DB_TEXT(f->summary),
                           DB_TEXT(f->summary_html),
                           DB_TEXT(f->resources),
                           DB_TEXT(f->next_steps),
                           DB_TEXT(f->next_steps_html),
                           f->created_by ? DB_INT(f->created_by) : DB_NULL,
                           DB_INT(f->created_at)};

    return db_query_int(db, STMT_FOLLOWUP_INSERT, p, 10, id);
}

int followup_of_topic(struct db *db, int64_t topic_id, int64_t *event_id, int64_t *occurrence)
{
    struct db_rows rows;
    int rc = db_query(db, STMT_FOLLOWUP_OF_TOPIC, (struct db_param[]){DB_INT(topic_id)}, 1, &rows);

    if (!rc) {
        rc = db_next(&rows);
        if (rc > 0) {
            *event_id = db_col_int(&rows, 0);
            *occurrence = db_col_int(&rows, 1);
        }
        rc = rc > 0 ? 0 : rc == 0 ? E_NOTFOUND : rc;
    }
    db_rows_done(&rows);
    return rc;
}

static void person_row(struct db_rows *rows, struct arena *a, struct person *p)
{
    p->id = db_col_int(rows, 0);
    p->handle = db_col_text(rows, 1, a);
    p->name = db_col_text(rows, 2, a);
    p->email = db_col_text(rows, 3, a);
    p->timezone = db_col_text(rows, 4, a);
}

/* Up to PEOPLE_MAX people of a query: the loop writes to a space, never to a crowd. */
#define PEOPLE_MAX 5000

static int people(struct db *db, struct arena *a, enum stmt st, const struct db_param *p, size_t np,
                  struct person **out, size_t *n)
{
    struct db_rows rows;
    size_t cap = 0;
    int rc = db_query(db, st, p, np, &rows);

    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_next(&rows)) > 0 && *n < PEOPLE_MAX) {
        if (*n == cap)
            *out = arena_grow(a, *out, *n, &cap, sizeof(**out));
        person_row(&rows, a, &(*out)[(*n)++]);
        rc = 0;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int person_load(struct db *db, struct arena *a, int64_t id, struct person *out)
{
    struct person *x;
    size_t n;
    int rc = people(db, a, STMT_RHYTHM_PERSON, (struct db_param[]){DB_INT(id)}, 1, &x, &n);

    if (!rc && n == 0)
        rc = E_NOTFOUND;
    if (!rc)
        *out = x[0];
    return rc;
}

int space_stewards(struct db *db, struct arena *a, int64_t space_id, struct person **out, size_t *n)
{
    return people(db, a, STMT_RHYTHM_STEWARDS, (struct db_param[]){DB_INT(space_id)}, 1, out, n);
}

int space_followers(struct db *db, struct arena *a, int64_t space_id, int64_t now,
                    struct person **out, size_t *n)
{
    return people(db, a, STMT_RHYTHM_FOLLOWERS, (struct db_param[]){DB_INT(space_id), DB_INT(now)},
                  2, out, n);
}

int rhythm_settings_get(struct db *db, struct arena *a, int64_t space_id,
                        struct rhythm_settings *out)
{
    struct db_rows rows;
    int rc = db_query(db, STMT_RHYTHM_GET, (struct db_param[]){DB_INT(space_id)}, 1, &rows);

    memset(out, 0, sizeof(*out));
    out->ceiling = RHYTHM_CEILING_DEFAULT;
    out->quiet_days = RHYTHM_QUIET_DAYS_DEFAULT;
    if (!rc) {
        rc = db_next(&rows);
        if (rc > 0) {
            out->ceiling = db_col_int(&rows, 0);
            out->quiet_days = db_col_int(&rows, 1);
            out->noticed_kind = db_col_text(&rows, 2, a);
            out->noticed_at = db_col_int(&rows, 3);
        }
        rc = rc < 0 ? rc : 0;
    }
    db_rows_done(&rows);
    return rc;
}

int rhythm_settings_put(struct db *db, int64_t space_id, int64_t ceiling, int64_t quiet_days,
                        int64_t now)
{
    return db_exec(
        db, STMT_RHYTHM_PUT,
        (struct db_param[]){DB_INT(space_id), DB_INT(ceiling), DB_INT(quiet_days), DB_INT(now)}, 4,
        NULL);
}

int rhythm_noticed(struct db *db, int64_t space_id, const char *kind, int64_t now)
{
    return db_exec(db, STMT_RHYTHM_NOTICED,
                   (struct db_param[]){DB_INT(space_id), DB_TEXTC(kind), DB_INT(now)}, 3, NULL);
}

int rhythm_activity(struct db *db, int64_t space_id, int64_t since, int64_t *n)
{
    *n = 0;
    return db_query_int(db, STMT_RHYTHM_ACTIVITY,
                        (struct db_param[]){DB_INT(space_id), DB_INT(since)}, 2, n);
}
