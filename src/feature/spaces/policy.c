#include "feature/spaces/policy.h"

#include "core/alloc.h"

static const char *const role_names[ROLE__MAX] = {
    [ROLE_NONE] = "none",     [ROLE_GUEST] = "guest",
    [ROLE_MEMBER] = "member", [ROLE_FACILITATOR] = "facilitator",
    [ROLE_OWNER] = "owner",
};
static const char *const join_names[JOIN__MAX] = {
    [JOIN_OPEN] = "open",
    [JOIN_REQUEST] = "request",
    [JOIN_INVITE] = "invite",
};

static bool can_read(const struct policy_actor *a, const struct policy_space *s)
{
    if (a->is_admin || a->role >= ROLE_GUEST)
        return true;
    if (!s->is_public)
        return false;
    if (!s->is_group)
        return true;
    /*
     * A public group is as visible as its community, but a guest of the
     * community sees only what they were invited into.
     */
    return s->parent_public || a->parent_role >= ROLE_MEMBER;
}

bool policy_can(const struct policy_actor *a, enum action act, const struct policy_space *s)
{
    bool read = can_read(a, s);
    bool steward = a->is_admin || a->role >= ROLE_FACILITATOR;

    if (!read)
        return false;
    switch (act) {
    case ACT_READ:
        return true;
    case ACT_JOIN:
        /* Groups are for the community's members; invite-only spaces take invites. */
        return a->signed_in && a->role == ROLE_NONE && !a->pending && s->join != JOIN_INVITE &&
               (!s->is_group || a->parent_role >= ROLE_MEMBER || a->is_admin);
    case ACT_LEAVE:
        return a->role >= ROLE_GUEST;
    case ACT_EDIT:
    case ACT_MANAGE_MEMBERS:
        return steward;
    case ACT_CONFIGURE:
    case ACT_GRANT_OWNER:
        return a->is_admin || a->role == ROLE_OWNER;
    case ACT_CREATE_GROUP:
        if (s->is_group)
            return false; /* one level only */
        return steward || (a->role == ROLE_MEMBER && s->members_create_groups);
    case ACT_LIST_MEMBERS:
    case ACT_WATCH:
        return a->signed_in;
    case ACT_POST:
        /* Guests take part where they were invited; readers of a public space join first. */
        return a->is_admin || a->role >= ROLE_GUEST;
    case ACT_MODERATE:
    case ACT_HOST_EVENT:
        return steward;
    case ACT__MAX:
        break;
    }
    BUG("unknown action");
}

bool policy_can_create_community(const struct policy_actor *a, bool admins_only)
{
    return a->signed_in && (a->is_admin || !admins_only);
}

const char *role_name(enum role r)
{
    return r < ROLE__MAX ? role_names[r] : "none";
}

enum role role_parse(struct str s)
{
    for (int i = ROLE_GUEST; i < ROLE__MAX; i++)
        if (str_eq_c(s, role_names[i]))
            return (enum role)i;
    return ROLE__MAX;
}

const char *join_name(enum join_policy j)
{
    return j < JOIN__MAX ? join_names[j] : "invite";
}

enum join_policy join_parse(struct str s)
{
    for (int i = 0; i < JOIN__MAX; i++)
        if (str_eq_c(s, join_names[i]))
            return (enum join_policy)i;
    return JOIN__MAX;
}
