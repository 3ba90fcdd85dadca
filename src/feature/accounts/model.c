#include "feature/accounts/model.h"

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "http/http.h"

static int taken(struct db *db, enum stmt st, struct str value, bool *yes)
{
    int64_t n = 0;
    int rc = db_query_int(db, st, (struct db_param[]){DB_TEXT(value)}, 1, &n);

    *yes = n > 0;
    return rc;
}

int user_create(struct req *r, const struct new_user *u, user_created_fn *then, int64_t *id,
                const char **which)
{
    struct db *db = req_db(r);
    bool yes = false;
    int rc;

    *which = NULL;
    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = taken(db, STMT_USER_HANDLE_TAKEN, u->handle, &yes);
    if (!rc && yes) {
        *which = "handle";
        rc = E_CONFLICT;
    }
    if (!rc)
        rc = taken(db, STMT_USER_EMAIL_TAKEN, u->email, &yes);
    if (!rc && yes && !*which) {
        *which = "email";
        rc = E_CONFLICT;
    }
    if (!rc)
        rc = db_query_int(db, STMT_ACCOUNT_SIGNUP_INSERT,
                          (struct db_param[]){DB_TEXT(u->handle), DB_TEXT(u->name),
                                              DB_TEXT(u->email), DB_TEXTC(u->password_hash),
                                              DB_TEXTC("UTC"), DB_INT(clock_unix())},
                          6, id);
    if (!rc)
        rc = activity_add(db, *id, "signup", "user", *id, 0);
    if (!rc && then)
        rc = then(r, db, *id, u);
    if (rc) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int user_find_login(struct req *r, struct str login, int64_t *id, struct str *hash)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_USER_LOGIN, (struct db_param[]){DB_TEXT(login)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        *id = db_col_int(&rows, 0);
        *hash = db_col_text(&rows, 1, &r->arena);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

int user_by_id(struct req *r, int64_t id, struct user *u)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_USER_BY_ID, (struct db_param[]){DB_INT(id)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        u->id = db_col_int(&rows, 0);
        u->handle = db_col_text(&rows, 1, &r->arena);
        u->name = db_col_text(&rows, 2, &r->arena);
        u->email = db_col_text(&rows, 3, &r->arena);
        u->bio = db_col_text(&rows, 4, &r->arena);
        u->bio_html = db_col_text(&rows, 5, &r->arena);
        u->timezone = db_col_text(&rows, 6, &r->arena);
        u->is_admin = db_col_int(&rows, 7) != 0;
        u->created_at = db_col_int(&rows, 8);
        u->email_confirmed = db_col_int(&rows, 9) != 0;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

int user_set_hash(struct req *r, int64_t id, const char *hash)
{
    struct db *db = req_db(r);

    if (!db)
        return E_UNAVAIL;
    return db_exec(db, STMT_USER_REHASH, (struct db_param[]){DB_INT(id), DB_TEXTC(hash)}, 2, NULL);
}

int tokens_of(struct req *r, int64_t user_id, struct api_token **out, size_t *n)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    size_t cap = 8;
    int rc;

    *n = 0;
    *out = NULL;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_TOKENS_OF_USER, (struct db_param[]){DB_INT(user_id)}, 1, &rows);
    if (rc)
        return rc;
    *out = arena_calloc(&r->arena, cap, sizeof(**out));
    while ((rc = db_next(&rows)) > 0) {
        struct api_token *t;

        *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
        t = &(*out)[(*n)++];
        t->id = db_col_int(&rows, 0);
        t->label = db_col_text(&rows, 1, &r->arena);
        t->created_at = db_col_int(&rows, 2);
        t->used_at = db_col_int(&rows, 3);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int token_revoke(struct req *r, int64_t user_id, int64_t token_id)
{
    struct db *db = req_db(r);
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_TOKEN_REVOKE,
                 (struct db_param[]){DB_INT(token_id), DB_INT(user_id), DB_INT(clock_unix())}, 3,
                 &changed);
    if (!rc && changed == 0)
        rc = E_NOTFOUND;
    if (!rc)
        rc = activity_add(db, user_id, "revoke", "api_token", token_id, 0);
    if (rc) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int account_log(struct req *r, int64_t user_id, const char *verb, const char *type, int64_t object)
{
    struct db *db = req_db(r);

    if (!db)
        return E_UNAVAIL;
    return activity_add(db, user_id, verb, type, object, 0);
}

/* Account mail -------------------------------------------------------------- */

static const char *const purposes[] = {[EMAIL_CONFIRM] = "confirm", [EMAIL_RESET] = "reset"};

int account_tx(struct req *r, int64_t actor, const char *verb, int64_t user_id, account_tx_fn *fn,
               void *arg)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = fn(r, db, arg);
    if (!rc)
        rc = activity_add(db, actor, verb, "user", user_id, 0);
    return db_tx_end(db, rc);
}

int account_by_email(struct req *r, struct str email, struct account_ref *out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_ACCOUNT_BY_EMAIL, (struct db_param[]){DB_TEXT(email)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        out->id = db_col_int(&rows, 0);
        out->handle = db_col_text(&rows, 1, &r->arena);
        out->name = db_col_text(&rows, 2, &r->arena);
        out->email = db_col_text(&rows, 3, &r->arena);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

int email_token_add(struct db *db, int64_t user_id, enum email_purpose p, const char *hash,
                    struct str email, int64_t now, int64_t expires)
{
    struct db_param params[] = {DB_INT(user_id), DB_TEXTC(purposes[p]), DB_TEXTC(hash),
                                DB_TEXT(email),  DB_INT(now),           DB_INT(expires)};

    return db_exec(db, STMT_ACCOUNT_TOKEN_INSERT, params, 6, NULL);
}

int email_token_peek(struct req *r, const char *hash, enum email_purpose p, int64_t now,
                     struct email_token *out)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc =
        db_query(db, STMT_ACCOUNT_TOKEN_PEEK,
                 (struct db_param[]){DB_TEXTC(hash), DB_TEXTC(purposes[p]), DB_INT(now)}, 3, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        out->user_id = db_col_int(&rows, 0);
        out->email = db_col_text(&rows, 1, &r->arena);
        out->handle = db_col_text(&rows, 2, &r->arena);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

/* Use a live token inside the transaction: its person and address, or E_NOTFOUND. */
static int token_use(struct req *r, struct db *db, const char *hash, enum email_purpose p,
                     int64_t now, int64_t *user_id, struct str *email)
{
    struct db_rows rows;
    int rc =
        db_query(db, STMT_ACCOUNT_TOKEN_USE,
                 (struct db_param[]){DB_TEXTC(hash), DB_TEXTC(purposes[p]), DB_INT(now)}, 3, &rows);

    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        *user_id = db_col_int(&rows, 0);
        *email = db_col_text(&rows, 1, &r->arena);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

static int tokens_end(struct db *db, int64_t user_id, enum email_purpose p, int64_t now)
{
    return db_exec(db, STMT_ACCOUNT_TOKENS_END,
                   (struct db_param[]){DB_INT(user_id), DB_TEXTC(purposes[p]), DB_INT(now)}, 3,
                   NULL);
}

int email_confirm(struct req *r, const char *hash, int64_t now, int64_t *user_id)
{
    struct db *db = req_db(r);
    struct str email = STR_NULL;
    int64_t changed = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = token_use(r, db, hash, EMAIL_CONFIRM, now, user_id, &email);
    if (!rc)
        rc = db_exec(db, STMT_ACCOUNT_CONFIRM,
                     (struct db_param[]){DB_INT(*user_id), DB_TEXT(email), DB_INT(now)}, 3,
                     &changed);
    if (!rc && changed == 0)
        rc = E_NOTFOUND; /* the address changed after the link was sent */
    if (!rc)
        rc = tokens_end(db, *user_id, EMAIL_CONFIRM, now);
    if (!rc)
        rc = activity_add(db, *user_id, "confirm_email", "user", *user_id, 0);
    return db_tx_end(db, rc);
}

int password_reset(struct req *r, const char *hash, const char *password_hash, int64_t now,
                   int64_t *user_id)
{
    struct db *db = req_db(r);
    struct str email = STR_NULL;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = token_use(r, db, hash, EMAIL_RESET, now, user_id, &email);
    if (!rc)
        rc = db_exec(db, STMT_ACCOUNT_SET_PASSWORD,
                     (struct db_param[]){DB_INT(*user_id), DB_TEXTC(password_hash), DB_INT(now)}, 3,
                     NULL);
    if (!rc)
        rc = tokens_end(db, *user_id, EMAIL_RESET, now);
    /* Whoever knew the old password is out: every session and API token ends. */
    if (!rc)
        rc = db_exec(db, STMT_ACCOUNT_SESSIONS_END, (struct db_param[]){DB_INT(*user_id)}, 1, NULL);
    if (!rc)
        rc = db_exec(db, STMT_ACCOUNT_API_TOKENS_END,
                     (struct db_param[]){DB_INT(*user_id), DB_INT(now)}, 2, NULL);
    if (!rc)
        rc = db_exec(db, STMT_ACCOUNT_CONFIRM,
                     (struct db_param[]){DB_INT(*user_id), DB_TEXT(email), DB_INT(now)}, 3, NULL);
    if (!rc)
        rc = activity_add(db, *user_id, "reset_password", "user", *user_id, 0);
    return db_tx_end(db, rc);
}
