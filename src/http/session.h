/*
 * Who is asking: sessions (a cookie) and API tokens (Authorization: Bearer),
 * and the CSRF token that guards every unsafe request made with a cookie.
 *
 * A token is 32 random bytes, sent as 43 characters of unpadded base64url;
 * the database keeps only its BLAKE2b hash, so a copy of the database opens
 * no session. The CSRF token is derived from the session token with a keyed
 * hash, so it needs no storage and dies with the session.
 */
#ifndef PRAXIS_HTTP_SESSION_H
#define PRAXIS_HTTP_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

struct req;
struct resp;

#define SESSION_COOKIE "praxis_session"
#define SESSION_TTL    ((int64_t)30 * 24 * 3600) /* seconds a session lives unused */
#define SESSION_RENEW  ((int64_t)24 * 3600)      /* renewed on use at most this often */
#define TOKEN_TEXT_LEN 43                        /* base64url of 32 bytes, no padding */
#define CSRF_FIELD     "_csrf"
#define CSRF_HEADER    "X-CSRF-Token"

/*
 * Read the session cookie or the bearer token and fill r->actor (NULL when
 * anonymous or the credential is unknown or expired; a stale cookie is
 * cleared). Renews a session that is used. Returns 0, or E_UNAVAIL/E_DB
 * when the database fails.
 */
int session_load(struct req *r, struct resp *w);

/*
 * Start a session for user_id: store its hash, set the cookie. The raw
 * token is also kept in the request so csrf_token() works at once.
 */
int session_start(struct req *r, struct resp *w, int64_t user_id);
/* End the request's session (cookie and row); harmless without one. */
int session_end(struct req *r, struct resp *w);

/*
 * Create an API token for user_id labelled label; *token gets the raw text
 * (in the request arena) — shown once, never stored. *id its row id.
 */
int session_token_create(struct req *r, int64_t user_id, struct str label, struct str *token,
                         int64_t *id);

/* The CSRF token for this request's session (empty without a session). */
struct str csrf_token(struct req *r);
/*
 * Whether an unsafe request may proceed: true without a session cookie
 * (bearer tokens and anonymous requests carry no ambient authority), else
 * only with the right token in the X-CSRF-Token header or the _csrf field.
 */
bool csrf_ok(struct req *r);

/* The hex BLAKE2b-256 of a token, as stored; out must hold 65 bytes. */
void session_hash(struct str token, char out[65]);

#endif
