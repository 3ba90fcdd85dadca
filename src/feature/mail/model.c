/* The mail feature's storage: the only code of it that talks to the database. */
#include <sodium.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/mail/mail_int.h"

#define SECRET_KEY "mail_secret"

static int secret_read(struct db *db, unsigned char key[MAIL_KEY_BYTES])
{
    struct arena a;
    struct db_rows rows;
    struct str hex = STR_NULL;
    size_t got = 0;
    int rc;

    arena_init(&a);
    rc = db_query(db, STMT_SETTING_GET, (struct db_param[]){DB_TEXTC(SECRET_KEY)}, 1, &rows);
    if (!rc) {
        rc = db_next(&rows);
        if (rc > 0)
            hex = db_col_text(&rows, 0, &a);
        db_rows_done(&rows);
        rc = rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
    }
    if (!rc && (sodium_hex2bin(key, MAIL_KEY_BYTES, hex.ptr, hex.len, NULL, &got, NULL) != 0 ||
                got != MAIL_KEY_BYTES))
        rc = E_DB; /* someone wrote the setting by hand, and wrongly */
    arena_release(&a);
    return rc;
}

int mail_secret(struct db *db, bool create, unsigned char key[MAIL_KEY_BYTES])
{
    unsigned char fresh[MAIL_KEY_BYTES];
    char hex[2 * MAIL_KEY_BYTES + 1];
    int rc = secret_read(db, key);

    if (rc != E_NOTFOUND || !create)
        return rc;
    /* Two nodes may both get here: the first insert wins and both read its value. */
    randombytes_buf(fresh, sizeof(fresh));
    sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
    sodium_memzero(fresh, sizeof(fresh));
    rc = db_exec(db, STMT_MAIL_SECRET_INIT,
                 (struct db_param[]){DB_TEXTC(SECRET_KEY), DB_TEXTC(hex), DB_INT(0)}, 3, NULL);
    sodium_memzero(hex, sizeof(hex));
    return rc ? rc : secret_read(db, key);
}

int mail_recipient_wants(struct db *db, int64_t user_id, enum mail_category c, bool *yes)
{
    struct db_rows rows;
    int rc;

    *yes = false;
    rc = db_query(db, STMT_MAIL_RECIPIENT,
                  (struct db_param[]){DB_INT(user_id), DB_TEXTC(mail_category_name(c))}, 2, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0)
        *yes = db_col_int(&rows, 0) != 0 && db_col_int(&rows, 1) != 0;
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int mail_outbox_add(struct db *db, const struct outbox_new *o, int64_t *id)
{
    struct db_param p[] = {
        o->user_id ? DB_INT(o->user_id) : DB_NULL,
        DB_TEXT(o->to_addr),
        DB_TEXTC(mail_category_name(o->category)),
        DB_TEXT(o->subject),
        DB_TEXT(o->message_id),
        DB_TEXT(o->message),
        DB_INT(o->now),
    };

    return db_query_int(db, STMT_MAIL_OUTBOX_INSERT, p, ARRAY_LEN(p), id);
}

int mail_outbox_get(struct db *db, struct arena *a, int64_t id, struct outbox_row *out)
{
    struct db_rows rows;
    int rc = db_query(db, STMT_MAIL_OUTBOX_GET, (struct db_param[]){DB_INT(id)}, 1, &rows);

    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        struct str state = db_col_text(&rows, 0, a);

        out->state = str_eq_c(state, "sent")     ? OUTBOX_SENT
                     : str_eq_c(state, "failed") ? OUTBOX_FAILED
                                                 : OUTBOX_QUEUED;
        out->to_addr = db_col_text(&rows, 1, a);
        out->message = db_col_text(&rows, 2, a);
        out->created_at = db_col_int(&rows, 3);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

int mail_outbox_sent(struct db *db, int64_t id, int64_t now)
{
    return db_exec(db, STMT_MAIL_OUTBOX_SENT, (struct db_param[]){DB_INT(id), DB_INT(now)}, 2,
                   NULL);
}

int mail_outbox_retry(struct db *db, int64_t id, const char *err)
{
    return db_exec(db, STMT_MAIL_OUTBOX_RETRY, (struct db_param[]){DB_INT(id), DB_TEXTC(err)}, 2,
                   NULL);
}

int mail_outbox_failed(struct db *db, int64_t id, const char *err)
{
    return db_exec(db, STMT_MAIL_OUTBOX_FAILED, (struct db_param[]){DB_INT(id), DB_TEXTC(err)}, 2,
                   NULL);
}

int mail_prefs_get(struct db *db, int64_t user_id, bool on[MAIL_CATEGORY__MAX])
{
    struct db_rows rows;
    struct arena a;
    int rc;

    for (int c = 0; c < MAIL_CATEGORY__MAX; c++)
        on[c] = true;
    rc = db_query(db, STMT_MAIL_PREFS_OF, (struct db_param[]){DB_INT(user_id)}, 1, &rows);
    if (rc)
        return rc;
    arena_init(&a);
    while ((rc = db_next(&rows)) > 0) {
        int c = mail_category_of(db_col_text(&rows, 0, &a));

        if (c > MAIL_ACCOUNT)
            on[c] = db_col_int(&rows, 1) != 0;
    }
    db_rows_done(&rows);
    arena_release(&a);
    return rc < 0 ? rc : 0;
}

int mail_prefs_set(struct db *db, int64_t user_id, int64_t actor,
                   const bool set[MAIL_CATEGORY__MAX], const bool on[MAIL_CATEGORY__MAX],
                   int64_t now)
{
    int rc = db_tx_begin(db);

    if (rc)
        return rc;
    for (int c = MAIL_ACCOUNT + 1; !rc && c < MAIL_CATEGORY__MAX; c++) {
        if (!set[c])
            continue;
        rc = db_exec(db, STMT_MAIL_PREF_PUT,
                     (struct db_param[]){DB_INT(user_id),
                                         DB_TEXTC(mail_category_name((enum mail_category)c)),
                                         DB_INT(on[c] ? 1 : 0), DB_INT(now)},
                     4, NULL);
    }
    if (!rc)
        rc = activity_add(db, actor, "mail_prefs", "user", user_id, 0);
    return db_tx_end(db, rc);
}

int mail_user_address(struct db *db, struct arena *a, int64_t user_id, struct mail_address *out)
{
    struct db_rows rows;
    int rc = db_query(db, STMT_MAIL_USER_ADDRESS, (struct db_param[]){DB_INT(user_id)}, 1, &rows);

    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        out->email = db_col_text(&rows, 0, a);
        out->name = db_col_text(&rows, 1, a);
        out->confirmed = db_col_int(&rows, 2) != 0;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}

int mail_user_by_handle(struct db *db, struct arena *a, struct str handle, int64_t *id,
                        struct mail_address *out)
{
    struct db_rows rows;
    int rc = db_query(db, STMT_MAIL_USER_BY_HANDLE, (struct db_param[]){DB_TEXT(handle)}, 1, &rows);

    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        *id = db_col_int(&rows, 0);
        out->email = db_col_text(&rows, 1, a);
        out->name = db_col_text(&rows, 2, a);
        out->confirmed = true;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : rc == 0 ? E_NOTFOUND : 0;
}
