#include "http/session.h"

#include <sodium.h>
#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "db/db.h"
#include "http/http.h"

#define BEARER "Bearer "

void session_hash(struct str token, char out[65])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)token.ptr, token.len, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

/* A new random token as text, in the arena. */
static struct str new_token(struct arena *a)
{
    unsigned char raw[32];
    char *text = arena_alloc(a, TOKEN_TEXT_LEN + 1);

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, TOKEN_TEXT_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return str_make(text, TOKEN_TEXT_LEN);
}

/* A token must look like one before it costs a database lookup. */
static bool plausible(struct str t)
{
    if (t.len != TOKEN_TEXT_LEN)
        return false;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static struct actor *actor_from(struct req *r, struct db_rows *rows, int col)
{
    struct actor *a = arena_calloc(&r->arena, 1, sizeof(*a));

    a->id = db_col_int(rows, col);
    a->handle = db_col_text(rows, col + 1, &r->arena);
    a->name = db_col_text(rows, col + 2, &r->arena);
    a->is_admin = db_col_int(rows, col + 3) != 0;
    a->email_confirmed = db_col_int(rows, col + 4) != 0;
    return a;
}

static int load_bearer(struct req *r, struct db *db, struct str token)
{
    char hash[65];
    struct db_rows rows;
    int64_t id = 0, used = 0, now = clock_unix();
    int rc;

    if (!plausible(token))
        return 0;
    session_hash(token, hash);
    rc = db_query(db, STMT_TOKEN_LOOKUP, (struct db_param[]){DB_TEXTC(hash)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        id = db_col_int(&rows, 0);
        used = db_col_int(&rows, 1);
        r->actor = actor_from(r, &rows, 2);
        r->via = AUTH_BEARER;
        r->token_id = id;
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    /* Last use is kept to the hour: enough to tell a live token from a dead one. */
    if (r->actor && now - used > 3600)
        return db_exec(db, STMT_TOKEN_TOUCH, (struct db_param[]){DB_INT(id), DB_INT(now)}, 2, NULL);
    return 0;
}

static int load_cookie(struct req *r, struct resp *w, struct db *db, struct str token)
{
    char hash[65];
    struct db_rows rows;
    int64_t id = 0, expires = 0, renewed = 0, now = clock_unix();
    int rc;

    if (!plausible(token)) {
        resp_cookie(r, w, SESSION_COOKIE, STR_LIT("gone"), 0);
        return 0;
    }
    session_hash(token, hash);
    rc = db_query(db, STMT_SESSION_LOOKUP, (struct db_param[]){DB_TEXTC(hash)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        id = db_col_int(&rows, 0);
        expires = db_col_int(&rows, 1);
        renewed = db_col_int(&rows, 2);
        if (expires > now) {
            r->actor = actor_from(r, &rows, 3);
            r->via = AUTH_COOKIE;
            r->session_token = token;
        }
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    if (!r->actor) {
        /* Unknown or expired: forget the cookie so the browser stops sending it. */
        resp_cookie(r, w, SESSION_COOKIE, STR_LIT("gone"), 0);
        return 0;
    }
    if (now - renewed > SESSION_RENEW) {
        rc = db_exec(db, STMT_SESSION_RENEW,
                     (struct db_param[]){DB_INT(id), DB_INT(now + SESSION_TTL), DB_INT(now)}, 3,
                     NULL);
        if (rc)
            return rc;
        resp_cookie(r, w, SESSION_COOKIE, token, SESSION_TTL);
    }
    return 0;
}

int session_load(struct req *r, struct resp *w)
{
    struct str auth = req_header(r, "Authorization");
    struct str cookie;
    struct db *db;

    r->actor = NULL;
    r->via = AUTH_NONE;
    if (str_starts_with(auth, STR_LIT(BEARER))) {
        db = req_db(r);
        if (!db)
            return E_UNAVAIL;
        return load_bearer(r, db, str_trim(str_make(auth.ptr + 7, auth.len - 7)));
    }
    cookie = req_cookie(r, SESSION_COOKIE);
    if (!cookie.len)
        return 0;
    db = req_db(r);
    if (!db)
        return E_UNAVAIL;
    return load_cookie(r, w, db, cookie);
}

int session_start(struct req *r, struct resp *w, int64_t user_id)
{
    struct str token = new_token(&r->arena);
    char hash[65];
    int64_t now = clock_unix();
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    session_hash(token, hash);
    rc = db_exec(db, STMT_SESSION_INSERT,
                 (struct db_param[]){DB_INT(user_id), DB_TEXTC(hash), DB_INT(now),
                                     DB_INT(now + SESSION_TTL)},
                 4, NULL);
    if (rc)
        return rc;
    resp_cookie(r, w, SESSION_COOKIE, token, SESSION_TTL);
    r->session_token = token;
    r->csrf = STR_NULL;
    r->via = AUTH_COOKIE;
    return 0;
}

int session_end(struct req *r, struct resp *w)
{
    char hash[65];
    struct db *db;
    int rc;

    if (r->via != AUTH_COOKIE || !r->session_token.len)
        return 0;
    db = req_db(r);
    if (!db)
        return E_UNAVAIL;
    session_hash(r->session_token, hash);
    rc = db_exec(db, STMT_SESSION_DELETE, (struct db_param[]){DB_TEXTC(hash)}, 1, NULL);
    if (rc)
        return rc;
    resp_cookie(r, w, SESSION_COOKIE, STR_LIT("gone"), 0);
    r->session_token = STR_NULL;
    r->csrf = STR_NULL;
    r->actor = NULL;
    r->via = AUTH_NONE;
    return 0;
}

int session_token_create(struct req *r, int64_t user_id, struct str label, struct str *token,
                         int64_t *id)
{
    char hash[65];
    struct db *db = req_db(r);

    if (!db)
        return E_UNAVAIL;
    *token = new_token(&r->arena);
    session_hash(*token, hash);
    return db_query_int(
        db, STMT_TOKEN_INSERT,
        (struct db_param[]){DB_INT(user_id), DB_TEXTC(hash), DB_TEXT(label), DB_INT(clock_unix())},
        4, id);
}

struct str csrf_token(struct req *r)
{
    /* A fixed key separates this hash from the stored one; the secret is the token. */
    static const unsigned char key[32] = "praxis csrf token derivation v1";
    unsigned char mac[24];
    char *text;

    if (!r->session_token.len)
        return STR_NULL;
    if (r->csrf.len)
        return r->csrf;
    crypto_generichash(mac, sizeof(mac), (const unsigned char *)r->session_token.ptr,
                       r->session_token.len, key, sizeof(key));
    text = arena_alloc(&r->arena, 33);
    sodium_bin2base64(text, 33, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    r->csrf = str_c(text);
    return r->csrf;
}

bool csrf_ok(struct req *r)
{
    struct str want, got;
    const struct kv *kv;

    if (r->via != AUTH_COOKIE)
        return true;
    want = csrf_token(r);
    got = req_header(r, CSRF_HEADER);
    if (!got.len) {
        kv = kv_get(&r->form, STR_LIT(CSRF_FIELD));
        if (!kv) {
            for (size_t i = 0; i < r->nparts; i++)
                if (str_eq_c(r->parts[i].name, CSRF_FIELD) && !r->parts[i].is_file)
                    got = r->parts[i].data;
        } else {
            got = kv->value;
        }
    }
    return got.len == want.len && want.len && sodium_memcmp(got.ptr, want.ptr, want.len) == 0;
}
