#include "feature/notify/model.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/live/live.h"
#include "feature/notify/notify.h"
#include "http/http.h"

/*
 * Tell user_id's open pages their unread count, inside the open transaction:
 * counted up to NOTIFY_COUNT_MAX only (pages show "99+" from there), so a
 * person with thousands unread costs each new notice no more than anyone.
 */
static int emit_count(struct req *r, struct db *db, int64_t user_id)
{
    struct live_event ev = {.type = "notification", .user_id = user_id};
    int64_t n = 0;
    char data[48];
    int rc = db_query_int(db, STMT_NOTIFICATIONS_UNREAD_UPTO,
                          (struct db_param[]){DB_INT(user_id), DB_INT(NOTIFY_COUNT_MAX)}, 2, &n);

    if (rc)
        return rc;
    snprintf(data, sizeof(data), "{\"unread\":%lld}", (long long)n);
    ev.data = str_c(data);
    return live_emit(r->app, db, &ev);
}

int notice_insert(struct req *r, const char *kind, int64_t user_id, int64_t space_id,
                  int64_t topic_id, int64_t post_id)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), grouped = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    if (!strcmp(kind, "reaction")) {
        rc = db_exec(db, STMT_NOTIFICATION_GROUP,
                     (struct db_param[]){DB_INT(user_id), DB_INT(post_id), DB_INT(r->actor->id),
                                         DB_INT(now)},
                     4, &grouped);
        if (rc)
            return rc;
        if (grouped)
            return emit_count(r, db, user_id);
    }
    rc = db_exec(db, STMT_NOTIFICATION_INSERT,
                 (struct db_param[]){DB_INT(user_id), DB_TEXTC(kind), DB_INT(space_id),
                                     topic_id ? DB_INT(topic_id) : DB_NULL,
                                     post_id ? DB_INT(post_id) : DB_NULL, DB_INT(r->actor->id),
                                     DB_INT(now)},
                 7, NULL);
    return rc ? rc : emit_count(r, db, user_id);
}

int notice_muted(struct req *r, int64_t user_id, int64_t topic_id, int64_t space_id, bool *muted)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    *muted = false;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_WATCH_LEVEL_OF,
                  (struct db_param[]){DB_INT(user_id), DB_INT(topic_id), DB_INT(space_id)}, 3,
                  &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0)
        *muted = str_eq_c(db_col_text(&rows, 0, &r->arena), "muted");
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int notice_watchers(struct req *r, int64_t topic_id, int64_t space_id, int64_t **ids, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *ids = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_WATCHERS_OF_TOPIC,
                  (struct db_param[]){DB_INT(topic_id), DB_INT(space_id)}, 2, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        *ids = arena_grow(&r->arena, *ids, *n, &cap, sizeof(**ids));
        (*ids)[(*n)++] = db_col_int(&rows, 0);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int notices_list(struct req *r, int64_t before, int64_t limit, bool unread_only,
                 struct notice **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_NOTIFICATIONS_OF,
                  (struct db_param[]){DB_INT(r->actor->id), DB_INT(before), DB_INT(limit),
                                      DB_INT(unread_only)},
                  4, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct notice *x;

        *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        x = &(*out)[(*n)++];
        x->id = db_col_int(&rows, 0);
        x->kind = db_col_text(&rows, 1, &r->arena);
        x->space_id = db_col_int(&rows, 2);
        x->space_slug = db_col_text(&rows, 3, &r->arena);
        x->space_name = db_col_text(&rows, 4, &r->arena);
        x->topic_id = db_col_null(&rows, 5) ? 0 : db_col_int(&rows, 5);
        x->topic_title = db_col_text(&rows, 6, &r->arena);
        x->post_id = db_col_null(&rows, 7) ? 0 : db_col_int(&rows, 7);
        x->post_number = db_col_null(&rows, 8) ? 0 : db_col_int(&rows, 8);
        x->actor_handle = db_col_text(&rows, 9, &r->arena);
        x->actor_name = db_col_text(&rows, 10, &r->arena);
        x->count = db_col_int(&rows, 11);
        x->created_at = db_col_int(&rows, 12);
        x->read_at = db_col_null(&rows, 13) ? 0 : db_col_int(&rows, 13);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(&r->arena, 1, sizeof(**out));
    return rc < 0 ? rc : 0;
}

int notices_unread(struct req *r, struct unread_in_space **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_NOTIFICATIONS_UNREAD, (struct db_param[]){DB_INT(r->actor->id)}, 1,
                  &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        (*out)[*n].space_id = db_col_int(&rows, 0);
        (*out)[(*n)++].count = db_col_int(&rows, 1);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int notice_read(struct req *r, int64_t id)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_NOTIFICATION_READ,
                 (struct db_param[]){DB_INT(r->actor->id), DB_INT(id), DB_INT(clock_unix())}, 3,
                 &changed);
    if (!rc && changed)
        rc = emit_count(r, db, r->actor->id);
    rc = db_tx_end(db, rc);
    return rc ? rc : changed ? 0 : E_NOTFOUND;
}

int notices_read_all(struct req *r, int64_t *changed)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_NOTIFICATIONS_READ_ALL,
                 (struct db_param[]){DB_INT(r->actor->id), DB_INT(clock_unix())}, 2, changed);
    if (!rc && *changed)
        rc = emit_count(r, db, r->actor->id);
    return db_tx_end(db, rc);
}
