/*
 * The one policy: whether an actor may take an action on a space. Every
 * handler that touches a space asks policy_can() (through spaces_open() in
 * spaces.h); none decides alone. Pure, so tests walk it as a table.
 *
 * A space the actor may not read does not exist for them: callers answer
 * 404, leave it out of lists and do not count it.
 */
#ifndef PRAXIS_FEATURE_SPACES_POLICY_H
#define PRAXIS_FEATURE_SPACES_POLICY_H

#include <stdbool.h>

#include "core/str.h"

/* Ordered: a higher role may do all a lower one may. */
enum role { ROLE_NONE, ROLE_GUEST, ROLE_MEMBER, ROLE_FACILITATOR, ROLE_OWNER, ROLE__MAX };
enum join_policy { JOIN_OPEN, JOIN_REQUEST, JOIN_INVITE, JOIN__MAX };

enum action {
    ACT_READ,           /* know the space exists, read it */
    ACT_JOIN,           /* join an open space, or ask to join one by request */
    ACT_LEAVE,          /* always possible for a member */
    ACT_EDIT,           /* name, purpose, charter */
    ACT_CONFIGURE,      /* visibility, join policy, whether members create groups */
    ACT_CREATE_GROUP,   /* a group inside this community */
    ACT_LIST_MEMBERS,   /* the member directory */
    ACT_MANAGE_MEMBERS, /* change roles, remove members, decide requests, invite */
    ACT_GRANT_OWNER,    /* make or unmake an owner */
    ACT_POST,           /* start topics, reply, react */
    ACT_MODERATE,       /* announce, pin, accept any answer, delete others' posts */
    ACT_WATCH,          /* watch or mute, be notified */
    ACT_HOST_EVENT,     /* create events; edit, cancel and take attendance of any of them */
    ACT__MAX
};

struct policy_space {
    bool is_group;
    bool is_public;
    enum join_policy join;
    bool parent_public;         /* groups: whether the community is public */
    bool members_create_groups; /* communities: whether members may create groups */
};

struct policy_actor {
    bool signed_in;
    bool is_admin;         /* instance admin: sees and manages every space */
    enum role role;        /* in this space; an expired guest is ROLE_NONE */
    enum role parent_role; /* groups: in the community */
    bool pending;          /* has asked to join and waits */
};

bool policy_can(const struct policy_actor *a, enum action act, const struct policy_space *s);
/* Whether the actor may create a community, given the instance's setting. */
bool policy_can_create_community(const struct policy_actor *a, bool admins_only);

const char *role_name(enum role r);
/* ROLE__MAX when s names no role. */
enum role role_parse(struct str s);
const char *join_name(enum join_policy j);
/* JOIN__MAX when s names no policy. */
enum join_policy join_parse(struct str s);

#endif
