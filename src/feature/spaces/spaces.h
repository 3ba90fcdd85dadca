/*
 * Spaces: communities (top level) and their groups, membership and roles,
 * join requests and invite links. Other features reach a space only through
 * spaces_open(), so the one policy (policy.h) decides for them too.
 */
#ifndef PRAXIS_FEATURE_SPACES_H
#define PRAXIS_FEATURE_SPACES_H

#include "feature/spaces/model.h"
#include "feature/spaces/policy.h"
#include "http/http.h"

extern const struct feature feature_spaces;

/*
 * Load the space slug and check that the caller may take action on it:
 * 0 with *out filled; E_NOTFOUND when it does not exist or the caller may
 * not read it (the two look the same); 401 (via req_fail_status) when an
 * anonymous caller needs to sign in; E_PERM when a signed-in one may not.
 */
int spaces_open(struct req *r, struct str slug, enum action act, struct space *out);
/* The same for a space known by id (a topic's, a post's): the caller answers 404 for it. */
int spaces_open_id(struct req *r, int64_t id, enum action act, struct space *out);

/*
 * Whether another person (not the caller) may take action on a space: for
 * notifying them, say. *can is false on error.
 */
int spaces_user_can(struct req *r, const struct space *s, int64_t user_id, enum action act,
                    bool *can);
/* Whether the caller may take action on a space spaces_open() or space_load() gave. */
bool spaces_can(struct req *r, const struct space *s, enum action act);
/*
 * Whether the caller may create a community, by the one policy and the
 * instance's setting (read fresh: a permission follows a change at once).
 */
int spaces_may_create_community(struct req *r, bool *may);
/* NULL when a slug is well formed (2-40 of a-z, 0-9 and -), else what is wrong. */
const char *spaces_slug_rule(struct str slug);

#endif
