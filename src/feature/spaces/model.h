/* The spaces feature's data: the only code of it that talks to the database. */
#ifndef PRAXIS_FEATURE_SPACES_MODEL_H
#define PRAXIS_FEATURE_SPACES_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/spaces/policy.h"

struct req;

struct space {
    int64_t id;
    int64_t parent_id; /* 0 for a community */
    struct str slug, name, purpose, charter, charter_html;
    bool is_public;
    enum join_policy join;
    bool members_create_groups;
    struct str parent_slug; /* empty for a community */
    bool parent_public;
    int64_t members; /* -1 from space_load(): ask space_members() */
    int64_t created_at;
    /* The caller's standing, filled by space_load() and spaces_visible(). */
    enum role role;
    enum role parent_role;
    bool pending;
};

/* Load a space and the caller's roles in it; E_NOTFOUND when no such slug. */
int space_load(struct req *r, struct str slug, struct space *out);
/* The same by the space's id. */
int space_load_id(struct req *r, int64_t id, struct space *out);
/* A space's members (guests whose time is over left out), counted when not known. */
int space_members(struct req *r, const struct space *s, int64_t *n);
/* Every space the caller may read, communities and groups, by name. */
int spaces_visible(struct req *r, struct space **out, size_t *n);
/* The same without counting their members (members is -1): for filters, not lists. */
int spaces_readable(struct req *r, struct space **out, size_t *n);

struct new_space {
    int64_t parent_id;
    struct str slug, name, purpose, charter, charter_html;
    bool is_public;
    enum join_policy join;
    bool members_create_groups;
};
/* Create a space with the creator as its owner; E_CONFLICT when the slug is taken. */
int space_create(struct req *r, const struct new_space *ns, int64_t *id);
/* Save the editable fields of s (as changed by the caller). */
int space_save(struct req *r, const struct space *s);

/* The id of the person with this handle; E_NOTFOUND. */
int user_id_of(struct req *r, struct str handle, int64_t *id);
/* Their role in a space (ROLE_NONE when none or an expired guest). */
int role_of(struct req *r, int64_t space_id, int64_t user_id, enum role *role);

/*
 * Another person's standing in a space, as the policy sees it (signed in,
 * admin, roles; not pending). An unknown user stands as nobody.
 */
int standing_of(struct req *r, const struct space *s, int64_t user_id, struct policy_actor *a);

/* Join now with role (guests until guest_until), logged as verb. */
int member_add(struct req *r, int64_t space_id, int64_t user_id, enum role role,
               int64_t guest_until, const char *verb);
/*
 * Leave (verb "leave") or be removed from a space, and from its groups when
 * it is a community. Leaving is always possible: a last owner's ownership
 * passes to the longest-standing facilitator, else member. Removing the last
 * owner is E_CONFLICT.
 */
int member_remove(struct req *r, const struct space *s, int64_t user_id, const char *verb);
/* Change a role; E_CONFLICT when it would leave no owner. */
int member_set_role(struct req *r, const struct space *s, int64_t user_id, enum role role);

struct member_interest {
    struct str kind; /* help, learn or interest */
    struct str label;
};

struct member {
    int64_t id;
    struct str handle, name;
    enum role role;
    int64_t guest_until;
    int64_t joined_at;
    struct member_interest *interests;
    size_t ninterests;
};
/*
 * Members matching q (in their name, handle or interests, case-insensitive;
 * empty for all), by name, with their interests. A kind ("help", "learn",
 * "interest", or empty) narrows q to interests of that kind: kind "help"
 * and q "assessment" answer "who can help with assessment?".
 */
int members_of(struct req *r, int64_t space_id, struct str q, struct str kind, struct member **out,
               size_t *n);

int request_add(struct req *r, int64_t space_id, int64_t user_id, struct str message);
/* Approve (member) or decline; E_NOTFOUND when there is no such request. */
int request_decide(struct req *r, int64_t space_id, int64_t user_id, bool approve);
struct join_request {
    struct str handle, name, message;
    int64_t created_at;
};
int requests_of(struct req *r, int64_t space_id, struct join_request **out, size_t *n);

/* Store an invite (its token's hash); the caller made the token. */
int invite_add(struct req *r, int64_t space_id, struct str token_hash, enum role role,
               int64_t guest_until, int64_t max_uses, int64_t expires_at);
/*
 * Use an invite for user_id: E_NOTFOUND when unknown, expired or used up.
 * Joins the space (a guest until the invite's date, or a member); a member
 * already keeps their role. *slug gets the space's slug.
 */
int invite_accept(struct req *r, struct str token_hash, int64_t user_id, struct str *slug);

/* 0 when an invite with this token hash exists, has not expired and has uses left; E_NOTFOUND. */
int invite_usable(struct req *r, struct str token_hash);

/* The instance setting "community_creators": *admins when only admins may create communities. */
int communities_admins_only(struct req *r, bool *admins);

#endif
