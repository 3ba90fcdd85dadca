/*
 * The accounts pages' view models, rendered by signup.html and signin.html
 * (compiled by tools/tmplc). Each function appends a page body for the
 * layout and returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_ACCOUNTS_VIEWS_H
#define PRAXIS_FEATURE_ACCOUNTS_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/url.h"

/* The form again, with what was typed (never the password) and what is wrong. */
struct view_signup {
    struct str handle, name, email;
    struct str handle_error, name_error, email_error, password_error;
    struct str form_error; /* a problem with the whole form; may be empty */
    struct str invite;     /* an invite token carried through the form; may be empty */
};
int view_signup(struct buf *b, const struct view_signup *v);

struct view_signin {
    struct str login;
    struct str next; /* where to go after signing in: a local path, or empty */
    struct str form_error;
    struct str notice; /* e.g. "sign in to continue" */
};
int view_signin(struct buf *b, const struct view_signin *v);

struct view_token {
    int64_t id;
    struct str label;
    struct str created; /* YYYY-MM-DD */
    struct str used;
    struct url revoke; /* where the revoke form posts */
};

/* The person's API tokens: each can be revoked; a new one is shown once. */
struct view_tokens {
    const struct view_token *tokens;
    size_t ntokens;
    struct str csrf;
    struct str new_token; /* just made: shown this once; may be empty */
    struct str notice;
    struct str label_error;
};
int view_tokens(struct buf *b, const struct view_tokens *v);

/* Account mail: the confirmation and reset mails (text and HTML), and their pages. */

/* The mail with a link to confirm one's address (confirm_mail.txt, confirm_mail.html). */
struct view_confirm_mail {
    struct str name;
    struct str instance_name;
    struct url link;
};
int view_confirm_mail(struct buf *b, const struct view_confirm_mail *v);
int text_confirm_mail(struct buf *b, const struct view_confirm_mail *v);

/* The mail with a link to choose a new password (reset_mail.txt, reset_mail.html). */
struct view_reset_mail {
    struct str name;
    struct str handle;
    struct str instance_name;
    struct url link;
};
int view_reset_mail(struct buf *b, const struct view_reset_mail *v);
int text_reset_mail(struct buf *b, const struct view_reset_mail *v);

/* Above every page while the signed-in person's address is unconfirmed. */
struct view_email_notice {
    struct str csrf;
};
int view_email_notice(struct buf *b, const struct view_email_notice *v);

/* Where a confirmation link leads: confirmed, or unknown, used or expired. */
struct view_email_confirmed {
    bool ok;
    bool signed_in;
};
int view_email_confirmed(struct buf *b, const struct view_email_confirmed *v);

/* The forgotten-password form, and the same answer for every address once sent. */
struct view_forgot {
    struct str csrf; /* when a signed-in person asks */
    struct str email;
    struct str email_error;
    struct str form_error;
    bool sent;
};
int view_forgot(struct buf *b, const struct view_forgot *v);

/* The form behind a reset link: a new password. */
struct view_reset {
    struct url action;
    struct str csrf; /* when the browser has a session */
    struct str handle;
    struct str password_error;
    struct str form_error;
};
int view_reset(struct buf *b, const struct view_reset *v);

#endif
