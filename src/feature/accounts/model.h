/* The accounts feature's data: the only code of it that talks to the database. */
#ifndef PRAXIS_FEATURE_ACCOUNTS_MODEL_H
#define PRAXIS_FEATURE_ACCOUNTS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct db;
struct req;

struct user {
    int64_t id;
    struct str handle;
    struct str name;
    struct str email;
    struct str bio;
    struct str bio_html;
    struct str timezone;
    bool is_admin;
    int64_t created_at;
    bool email_confirmed;
};

struct new_user {
    struct str handle;
    struct str name;
    struct str email; /* lower-cased */
    const char *password_hash;
};

/* Work done in the transaction that creates a user (sign-up queues its confirmation mail). */
typedef int user_created_fn(struct req *r, struct db *db, int64_t id, const struct new_user *u);

/*
 * Create a user, whose address waits for its confirmation, and log it; then
 * run then (may be NULL), all in one transaction. E_CONFLICT names the
 * field already taken in *taken ("handle" or "email").
 */
int user_create(struct req *r, const struct new_user *u, user_created_fn *then, int64_t *id,
                const char **taken);
/* Find who signs in as login (handle or email): E_NOTFOUND, or id and stored hash. */
int user_find_login(struct req *r, struct str login, int64_t *id, struct str *hash);
int user_by_id(struct req *r, int64_t id, struct user *out);
int user_set_hash(struct req *r, int64_t id, const char *hash);

/* Log a write of the accounts feature that made no row of its own (a sign-in, a token). */
int account_log(struct req *r, int64_t user_id, const char *verb, const char *type, int64_t object);

struct api_token {
    int64_t id;
    struct str label;
    int64_t created_at;
    int64_t used_at;
};

/* The live API tokens of a user, oldest first, in the request arena. */
int tokens_of(struct req *r, int64_t user_id, struct api_token **out, size_t *n);
/* Revoke one of the user's tokens; E_NOTFOUND when it is not theirs or already revoked. */
int token_revoke(struct req *r, int64_t user_id, int64_t token_id);

/* Account mail: links sent by mail, single-use, kept only as hashes. */

/* Work done inside account_tx()'s transaction. */
typedef int account_tx_fn(struct req *r, struct db *db, void *arg);
/*
 * Run fn in one transaction with an activity row: actor (0 for someone not
 * signed in) did verb to the account user_id.
 */
int account_tx(struct req *r, int64_t actor, const char *verb, int64_t user_id, account_tx_fn *fn,
               void *arg);

enum email_purpose { EMAIL_CONFIRM, EMAIL_RESET };

struct account_ref {
    int64_t id;
    struct str handle, name, email;
};
/* The person whose address is email (lower case); E_NOTFOUND when nobody's. */
int account_by_email(struct req *r, struct str email, struct account_ref *out);
/* Store a token's hash for user_id, sent to email, usable until expires (inside a transaction). */
int email_token_add(struct db *db, int64_t user_id, enum email_purpose p, const char *hash,
                    struct str email, int64_t now, int64_t expires);

struct email_token {
    int64_t user_id;
    struct str email;  /* the address the link went to */
    struct str handle; /* the person's, for the password rules */
};
/* A live token (unused, unexpired at now) by its hash, without using it; E_NOTFOUND else. */
int email_token_peek(struct req *r, const char *hash, enum email_purpose p, int64_t now,
                     struct email_token *out);
/*
 * Confirm an address with a confirm token, in one transaction: the token is
 * used, the others of the person end, the activity is logged. E_NOTFOUND
 * when the token is unknown, used or expired, or the address has changed
 * since. *user_id gets the person.
 */
int email_confirm(struct req *r, const char *hash, int64_t now, int64_t *user_id);
/*
 * Set a new password with a reset token, in one transaction: the token is
 * used, the person's other reset tokens, sessions and API tokens end, the
 * address counts as confirmed (the link proved it is read), the activity is
 * logged. E_NOTFOUND when the token is unknown, used or expired.
 */
int password_reset(struct req *r, const char *hash, const char *password_hash, int64_t now,
                   int64_t *user_id);

#endif
