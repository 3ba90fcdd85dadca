/*
 * The rules an account's fields follow, and password hashing. Pure except
 * for the hashing (libsodium's argon2id), so the rules are unit-tested
 * directly (tests/unit/t_accounts.c).
 */
#ifndef PRAXIS_FEATURE_ACCOUNTS_RULES_H
#define PRAXIS_FEATURE_ACCOUNTS_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

#define HANDLE_MIN   3
#define HANDLE_MAX   30
#define NAME_MAX_LEN 80
#define EMAIL_MAX    254
#define PASSWORD_MIN 10   /* characters */
#define PASSWORD_MAX 1000 /* characters: argon2 takes any length, requests do not */

/* Each check returns NULL when the value is fine, else what is wrong (lower case). */
const char *rule_handle(struct str handle);
const char *rule_email(struct str email);
const char *rule_password(struct str password, struct str handle, struct str email);
/* Whether the password is on the shipped list of common ones (case-insensitive). */
bool password_is_common(struct str password);

/* The lower-cased copy of an email address, in the arena. */
struct str email_normal(struct arena *a, struct str email);

/*
 * Hash a password with argon2id (libsodium's crypto_pwhash_str): interactive
 * limits, or the minimum when cheap is set (test mode only). out must hold
 * PASSWORD_HASH_MAX bytes. 0, or E_IO when memory for the hash is short.
 */
#define PASSWORD_HASH_MAX 128
int password_hash(struct str password, bool cheap, char out[PASSWORD_HASH_MAX]);
/* Whether password matches a stored hash (constant-time inside libsodium). */
bool password_verify(struct str password, const char *hash);
/* Whether a stored hash was made with other limits than those now in force. */
bool password_needs_rehash(const char *hash, bool cheap);

#endif
