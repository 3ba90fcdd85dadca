#include "feature/discuss/pages_model.h"

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "http/http.h"

/* "a,b,c" as the database joins a topic's tags, split into the arena. */
static void split_tags(struct arena *a, struct str joined, struct str **out, size_t *n)
{
    size_t cap = 1;

    for (size_t i = 0; i < joined.len; i++)
        cap += joined.ptr[i] == ',';
    *out = arena_calloc(a, cap, sizeof(**out));
    *n = 0;
    while (joined.len) {
        long comma = str_index(joined, ',');
        size_t k = comma < 0 ? joined.len : (size_t)comma;

        if (k)
            (*out)[(*n)++] = str_make(joined.ptr, k);
        joined = comma < 0 ? STR_NULL : str_make(joined.ptr + k + 1, joined.len - k - 1);
    }
}

int feed_entries(struct req *r, int64_t space_id, int64_t limit, struct feed_entry **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_DISCUSS_PAGES_FEED, (struct db_param[]){DB_INT(space_id), DB_INT(limit)},
                  2, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct feed_entry *e;

        if (*n == cap)
            *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        e = &(*out)[(*n)++];
        memset(e, 0, sizeof(*e));
        e->id = db_col_int(&rows, 0);
        e->title = db_col_text(&rows, 1, &r->arena);
        e->published = db_col_int(&rows, 2);
        e->updated = db_col_int(&rows, 3);
        e->author = db_col_null(&rows, 4) ? STR_NULL : db_col_text(&rows, 4, &r->arena);
        if (!db_col_null(&rows, 5) && db_col_null(&rows, 6))
            e->html = db_col_text(&rows, 5, &r->arena);
        split_tags(&r->arena, db_col_null(&rows, 7) ? STR_NULL : db_col_text(&rows, 7, &r->arena),
                   &e->tags, &e->ntags);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(&r->arena, 1, sizeof(**out));
    return rc < 0 ? rc : 0;
}
