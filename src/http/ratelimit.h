/*
 * Rate limits kept in the database, so every node of an instance counts
 * together: fixed windows per key ("signin-fail:addr:203.0.113.9").
 */
#ifndef PRAXIS_HTTP_RATELIMIT_H
#define PRAXIS_HTTP_RATELIMIT_H

#include <stdbool.h>

#include "core/str.h"

struct req;
struct resp;

struct rate_rule {
    const char *name; /* key prefix, e.g. "signup:addr" */
    int window;       /* seconds */
    int max;          /* events allowed in one window */
};

/*
 * Count one event for rule and subject. 0 when it is within the limit, 1
 * when over it (then *retry_after says in how many seconds the window ends),
 * negative enum err when the database fails.
 */
int rate_hit(struct req *r, const struct rate_rule *rule, struct str subject, int *retry_after);
/* Whether the limit is already reached, without counting: 0, 1 or an error as above. */
int rate_check(struct req *r, const struct rate_rule *rule, struct str subject, int *retry_after);
/* Forget the count of rule and subject (after a successful sign-in, say). */
int rate_clear(struct req *r, const struct rate_rule *rule, struct str subject);
/* Answer 429 with Retry-After; returns the error for the handler to return. */
int rate_refuse(struct req *r, struct resp *w, int retry_after, const char *msg);

#endif
