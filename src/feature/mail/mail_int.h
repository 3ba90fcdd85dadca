/* The mail feature's inside: its storage, its unsubscribe tokens and its transports. */
#ifndef PRAXIS_FEATURE_MAIL_INT_H
#define PRAXIS_FEATURE_MAIL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/mail/mail.h"

struct arena;
struct config;
struct db;

/* Categories (category.c) ------------------------------------------------- */

struct mail_category_info {
    const char *name;
    const char *label;  /* as a heading: "Reminders of events" */
    const char *words;  /* within a sentence: "Stop reminders of events" */
    const char *hint;   /* what it holds, for the settings page */
    const char *why[2]; /* why the person gets it, around the instance's name */
};
/* The words for c (those of account mail for a value out of range). */
const struct mail_category_info *mail_category_info(enum mail_category c);

/* Unsubscribe tokens (token.c) -------------------------------------------- */

#define MAIL_KEY_BYTES 32 /* crypto_auth (HMAC-SHA-512-256) */
#define MAIL_TOKEN_MAX 64

/*
 * "<user id>.<category>.<mac>": the MAC (HMAC-SHA-512-256 under the
 * instance's secret, its first 16 bytes in base64url) says the instance made
 * it for that person and that bulk category, so the link needs no sign-in
 * and nobody can make one for someone else. out gets a NUL-terminated token.
 */
void mail_token_make(const unsigned char key[MAIL_KEY_BYTES], int64_t user_id, enum mail_category c,
                     char out[MAIL_TOKEN_MAX]);
/* The person and bulk category of a token, or E_NOTFOUND for anything the key did not make. */
int mail_token_check(const unsigned char key[MAIL_KEY_BYTES], struct str token, int64_t *user_id,
                     enum mail_category *c);

/* Storage (model.c) -------------------------------------------------------- */

/*
 * The instance's secret for unsubscribe tokens, made when missing if create
 * is set (inside the caller's transaction, when there is one). E_NOTFOUND
 * when it is missing and create is not set.
 */
int mail_secret(struct db *db, bool create, unsigned char key[MAIL_KEY_BYTES]);
/* Whether person user_id gets bulk category c: confirmed and not turned off. */
int mail_recipient_wants(struct db *db, int64_t user_id, enum mail_category c, bool *yes);

struct outbox_new {
    int64_t user_id; /* 0: none */
    struct str to_addr, subject, message_id, message;
    enum mail_category category;
    int64_t now;
};
int mail_outbox_add(struct db *db, const struct outbox_new *o, int64_t *id);

enum outbox_state { OUTBOX_QUEUED, OUTBOX_SENT, OUTBOX_FAILED };

struct outbox_row {
    enum outbox_state state;
    struct str to_addr;
    struct str message;
    int64_t created_at;
};
/* One outbox row, strings in a; E_NOTFOUND when there is none. */
int mail_outbox_get(struct db *db, struct arena *a, int64_t id, struct outbox_row *out);
/* Record how a try went; a row no longer queued is left alone. */
int mail_outbox_sent(struct db *db, int64_t id, int64_t now);
int mail_outbox_retry(struct db *db, int64_t id, const char *err);
int mail_outbox_failed(struct db *db, int64_t id, const char *err);

/* Whether person user_id gets each category (account mail always). */
int mail_prefs_get(struct db *db, int64_t user_id, bool on[MAIL_CATEGORY__MAX]);
/*
 * Set the bulk categories marked in set[] to on[], in one transaction with
 * an activity row ("mail_prefs", by actor: the person, or 0 for an
 * unsubscribe link).
 */
int mail_prefs_set(struct db *db, int64_t user_id, int64_t actor,
                   const bool set[MAIL_CATEGORY__MAX], const bool on[MAIL_CATEGORY__MAX],
                   int64_t now);

struct mail_address {
    struct str email, name;
    bool confirmed;
};
int mail_user_address(struct db *db, struct arena *a, int64_t user_id, struct mail_address *out);
/* A person's id and address by handle (the test-only route); E_NOTFOUND when nobody's. */
int mail_user_by_handle(struct db *db, struct arena *a, struct str handle, int64_t *id,
                        struct mail_address *out);

/* Input read with jansson (input.c) --------------------------------------- */

struct req;

/* The outbox row a mail.send job's payload ({"outbox":N}) names; E_INVAL for anything else. */
int mail_payload_outbox(struct str payload, int64_t *id);
/*
 * The first name of the request's body (a JSON object or a form) that is not
 * in known (a NULL-terminated list), cut to 64 bytes, in the request arena;
 * NULL when every name is known.
 */
const char *mail_unknown_name(struct req *r, const char *const *known);

/* Transports (send.c) --------------------------------------------------- */

enum send_result {
    SEND_OK,
    SEND_RETRY, /* a passing failure: a 4xx answer, no connection, a file not written */
    SEND_FAIL,  /* a lasting one: a 5xx answer */
};

/* Write message as one .eml under <data>/mail, named name (a temp file renamed into place). */
enum send_result mail_send_file(const struct config *cfg, const char *name, struct str message,
                                char *err, size_t errlen);
/* Send message from from to to through the SMTP server of the settings. */
enum send_result mail_send_smtp(const struct config *cfg, const char *from, const char *to,
                                struct str message, char *err, size_t errlen);
/* libcurl's global start and end, once per process (feature init and fini). */
int mail_transport_init(void);
void mail_transport_fini(void);

/* The From address: the mail-from setting, else praxis@<host>; host as for Message-ID. */
struct str mail_from_addr(struct app *app, struct arena *a);
/* The host part of Message-IDs: public-url's host, else the machine's name. */
struct str mail_host(struct app *app, struct arena *a);

#endif
