/*
 * Account mail: confirming one's address after sign-up, and resetting a
 * forgotten password, both by a link sent by mail (feature/mail).
 *
 * A link carries a random token the database keeps only as a hash; it works
 * once, for 48 hours (confirmation) or one hour (reset). Asking for a reset
 * answers the same whether an account has the address or not, and both
 * asking again and asking for resets are rate-limited.
 */
#ifndef PRAXIS_FEATURE_ACCOUNTS_EMAIL_H
#define PRAXIS_FEATURE_ACCOUNTS_EMAIL_H

#include <stdint.h>

#include "feature/accounts/model.h"
#include "http/http.h"
#include "view/html.h"

struct db;

extern const struct feature feature_account_mail;

/* In the sign-up transaction: a confirmation link for the new person, by mail. */
int account_mail_signup(struct req *r, struct db *db, int64_t id, const struct new_user *u);
/*
 * The notice above every page while the signed-in person's address is not
 * confirmed, with a button to send the link again; empty otherwise. For
 * app->page_notice.
 */
int account_page_notice(struct req *r, struct html *out);

#endif
