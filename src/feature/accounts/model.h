/* The accounts feature's data: the only code of it that talks to the database. */
#ifndef PRAXIS_FEATURE_ACCOUNTS_MODEL_H
#define PRAXIS_FEATURE_ACCOUNTS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

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
};

struct new_user {
    struct str handle;
    struct str name;
    struct str email; /* lower-cased */
    const char *password_hash;
};

/*
 * Create a user and log it, in one transaction. E_CONFLICT names the field
 * already taken in *taken ("handle" or "email").
 */
int user_create(struct req *r, const struct new_user *u, int64_t *id, const char **taken);
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

#endif
