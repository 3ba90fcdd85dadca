/*
 * Accounts: sign-up, sign-in and sign-out on pages and in the API, the
 * signed-in person (/api/v1/me) and their API tokens.
 */
#ifndef PRAXIS_FEATURE_ACCOUNTS_H
#define PRAXIS_FEATURE_ACCOUNTS_H

#include "http/http.h"

extern const struct feature feature_accounts;

#endif
