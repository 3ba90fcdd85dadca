/*
 * The space pages' own data (feature/spaces/pages.c): what the JSON API's
 * model (model.h) has no call for. The only code of the pages that talks to
 * the database.
 */
#ifndef PRAXIS_FEATURE_SPACES_PAGES_MODEL_H
#define PRAXIS_FEATURE_SPACES_PAGES_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/spaces/policy.h"

struct req;

struct membership {
    int64_t space_id;
    enum role role;
};

/*
 * Every space user_id belongs to (expired guests left out), in no order, in
 * the request arena. Says nothing about what the caller may read: callers
 * keep only the spaces spaces_visible() gives them. 0 or a database error.
 */
int memberships_of(struct req *r, int64_t user_id, struct membership **out, size_t *n);

/* What an invite shows to whoever holds its token. */
struct invite_preview {
    enum role role;      /* ROLE_MEMBER or ROLE_GUEST */
    int64_t guest_until; /* guests: when their access ends; else 0 */
    int64_t expires_at;  /* when the link stops working */
    struct str slug, name, purpose;
    struct str parent_name; /* a group's community; empty for a community */
};

/*
 * Look up the invite whose token hashes to token_hash: 0 with *out filled
 * (strings in the request arena); E_NOTFOUND when there is none, or it has
 * expired, been used up, or grants a guest stay that is over.
 */
int invite_preview(struct req *r, struct str token_hash, struct invite_preview *out);

#endif
