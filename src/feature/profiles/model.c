#include "feature/profiles/model.h"

#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "http/http.h"

/* Append s to l, growing it in the arena (doubling from 4). */
static void list_push(struct arena *a, struct label_list *l, struct str s)
{
    size_t cap = 4;

    while (cap < l->n)
        cap *= 2;
    if (l->n == 0)
        l->items = arena_calloc(a, cap, sizeof(*l->items));
    else if (l->n == cap)
        l->items = arena_realloc(a, l->items, cap * sizeof(*l->items), 2 * cap * sizeof(*l->items));
    l->items[l->n++] = s;
}

static int interests_load(struct req *r, struct db *db, struct profile *p)
{
    struct db_rows rows;
    int rc = db_query(db, STMT_INTERESTS_OF_USER, (struct db_param[]){DB_INT(p->id)}, 1, &rows);

    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        int k = interest_kind_parse(db_col_text(&rows, 0, &r->arena));

        if (NEVER(k < 0))
            continue;
        list_push(&r->arena, &p->interests[k], db_col_text(&rows, 1, &r->arena));
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int profile_by_handle(struct req *r, struct str handle, struct profile *p)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    *p = (struct profile){0};
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_PROFILE_BY_HANDLE, (struct db_param[]){DB_TEXT(handle)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        p->id = db_col_int(&rows, 0);
        p->handle = db_col_text(&rows, 1, &r->arena);
        p->name = db_col_text(&rows, 2, &r->arena);
        p->bio = db_col_text(&rows, 3, &r->arena);
        p->bio_html = db_col_text(&rows, 4, &r->arena);
        p->timezone = db_col_text(&rows, 5, &r->arena);
        p->created_at = db_col_int(&rows, 6);
        p->last_active_at = db_col_int(&rows, 7);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return E_NOTFOUND;
    return interests_load(r, db, p);
}

/* Replace the stored list of kind k with l. */
static int interests_replace(struct db *db, int64_t user_id, enum interest_kind k,
                             const struct interest_list *l)
{
    struct str kind = str_c(interest_kind_name(k));
    int rc = db_exec(db, STMT_INTERESTS_CLEAR, (struct db_param[]){DB_INT(user_id), DB_TEXT(kind)},
                     2, NULL);

    for (size_t i = 0; !rc && i < l->n; i++)
        rc = db_exec(db, STMT_INTEREST_INSERT,
                     (struct db_param[]){DB_INT(user_id), DB_TEXT(kind), DB_TEXT(l->label[i]),
                                         DB_TEXT(l->key[i]), DB_INT(i)},
                     5, NULL);
    return rc;
}

int profile_save(struct req *r, int64_t actor_id, int64_t user_id, const struct profile_change *c)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_PROFILE_UPDATE,
                 (struct db_param[]){
                     DB_INT(user_id),
                     c->has_name ? DB_TEXT(c->name) : DB_NULL,
                     c->has_bio ? DB_TEXT(c->bio) : DB_NULL,
                     c->has_bio ? DB_TEXT(c->bio_html) : DB_NULL,
                     c->has_timezone ? DB_TEXT(c->timezone) : DB_NULL,
                     DB_INT(clock_unix()),
                 },
                 6, &changed);
    if (!rc && changed == 0)
        rc = E_NOTFOUND;
    for (int k = 0; !rc && k < INTEREST__MAX; k++)
        if (c->has_interests[k])
            rc = interests_replace(db, user_id, (enum interest_kind)k, &c->interests[k]);
    if (!rc)
        rc = activity_add(db, actor_id, "profile-update", "user", user_id, 0);
    if (rc) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}
