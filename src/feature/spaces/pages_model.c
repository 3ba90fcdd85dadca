#include "feature/spaces/pages_model.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "db/db.h"
#include "http/http.h"

int memberships_of(struct req *r, int64_t user_id, struct membership **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 16;
    int rc;

    *n = 0;
    *out = arena_calloc(&r->arena, cap, sizeof(**out));
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_SPACE_PAGES_MEMBERSHIPS_OF,
                  (struct db_param[]){DB_INT(user_id), DB_INT(clock_unix())}, 2, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        enum role role = role_parse(db_col_text(&rows, 1, &r->arena));

        if (role == ROLE__MAX)
            continue;
        *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        (*out)[*n].space_id = db_col_int(&rows, 0);
        (*out)[*n].role = role;
        (*n)++;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int invite_preview(struct req *r, struct str token_hash, struct invite_preview *out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int64_t now = clock_unix(), max_uses = 0, uses = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_SPACE_PAGES_INVITE_PREVIEW, (struct db_param[]){DB_TEXT(token_hash)}, 1,
                  &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        out->role = role_parse(db_col_text(&rows, 0, &r->arena));
        out->guest_until = db_col_null(&rows, 1) ? 0 : db_col_int(&rows, 1);
        max_uses = db_col_int(&rows, 2);
        uses = db_col_int(&rows, 3);
        out->expires_at = db_col_int(&rows, 4);
        out->slug = db_col_text(&rows, 5, &r->arena);
        out->name = db_col_text(&rows, 6, &r->arena);
        out->purpose = db_col_text(&rows, 7, &r->arena);
        out->parent_name = db_col_null(&rows, 8) ? STR_NULL : db_col_text(&rows, 8, &r->arena);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    /* The same test as invite_accept(): a link that cannot be used shows nothing. */
    if (rc == 0 || out->expires_at <= now || uses >= max_uses ||
        (out->guest_until && out->guest_until <= now))
        return E_NOTFOUND;
    if (out->role != ROLE_GUEST)
        out->role = ROLE_MEMBER;
    return 0;
}
