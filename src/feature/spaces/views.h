/*
 * The space pages' view models (feature/spaces/pages.c), rendered by the
 * templates in this folder (compiled by tools/tmplc). Each function appends
 * to b and returns 0 or E_TOOBIG. Pieces shared by several pages (the head
 * and the tabs) are rendered first and passed on as struct html.
 */
#ifndef PRAXIS_FEATURE_SPACES_VIEWS_H
#define PRAXIS_FEATURE_SPACES_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

/* A link in the breadcrumb above a page's title. */
struct view_space_crumb {
    struct str name;
    struct url href;
};

/* The top of every space page: where it is, what it is, and a notice after a change. */
struct view_space_head {
    const struct view_space_crumb *crumbs;
    size_t ncrumbs;
    struct str eyebrow; /* "Community · Public · Open to join"; may be empty */
    struct str title;
    struct str lead; /* the purpose, on the space's own page; may be empty */
    struct str notice;
    struct html actions; /* the membership box, on the space's own page; may be empty */
};
int view_space_head(struct buf *b, const struct view_space_head *v);

struct view_space_tab {
    struct str label;
    struct url href;
    bool current;
    struct str count; /* "12"; may be empty */
};

/* The space's sections, each shown only when the policy lets the viewer in. */
struct view_space_tabs {
    const struct view_space_tab *tabs;
    size_t ntabs;
};
int view_space_tabs(struct buf *b, const struct view_space_tabs *v);

/* The membership box: the viewer's role, or the right way in. */
struct view_space_join {
    struct str csrf;
    struct url join_url, leave_url, signin_url;
    bool anonymous;
    struct str role;        /* "owner"; empty when not in */
    struct str guest_until; /* "14 March 2026" for a guest; may be empty */
    bool pending;
    bool can_join;
    bool by_request;     /* the join button asks */
    bool by_invite;      /* invite only, and the viewer is not in */
    bool need_community; /* a group whose community the viewer has not joined */
    struct str community_name;
    struct url community_url;
};
int view_space_join(struct buf *b, const struct view_space_join *v);

struct view_space_group {
    struct str name, purpose;
    struct url href;
    struct str members; /* "3 members" */
    bool is_private;
    struct str role; /* the viewer's; may be empty */
};

struct view_space_person {
    struct str name, initial;
    struct url href;
};

/* A community's or group's own page, /spaces/{slug}. */
struct view_space {
    struct html head, tabs;
    struct html charter;
    struct html discussions; /* the latest topics (feature/discuss); may be empty */
    bool is_community;
    bool can_edit;
    struct url edit_url;
    const struct view_space_group *groups;
    size_t ngroups;
    bool can_create_group;
    struct url new_group_url;
    struct str members; /* "12 members" */
    bool show_people;   /* signed-in readers see names */
    const struct view_space_person *people;
    size_t npeople;
    bool more_people;
    struct url members_url;
    struct str live_slug; /* signed in and may see members: who is online (assets/live.js) */
};
int view_space(struct buf *b, const struct view_space *v);

/* One line of a form's error summary: a link to the field. */
struct view_space_error {
    struct url href; /* "#slug" */
    struct str label;
    struct str message;
};

/* Creating a space (/spaces/new) or editing one (/spaces/{slug}/edit). */
struct view_space_form {
    struct html head, tabs; /* editing: the space's head and tabs; creating: its own title */
    bool editing;
    bool is_group;
    struct str community; /* a new group's community */
    struct url action, cancel_url;
    struct str csrf;
    struct str parent; /* a new group's community's slug */
    struct str slug, name, purpose, charter;
    bool configure; /* visibility, joining, group creation: owners only */
    bool is_public, join_open, join_request, join_invite, members_create_groups;
    struct str slug_error, name_error, purpose_error, visibility_error, join_error, charter_error;
    const struct view_space_error *errors;
    size_t nerrors;
    struct str form_error;
};
int view_space_form(struct buf *b, const struct view_space_form *v);

struct view_space_member {
    struct str name, handle, initial;
    struct url href;
    struct str role;        /* "facilitator" */
    struct str guest_until; /* guests: "14 March 2026" */
    bool editable;          /* the viewer may change this person's role */
    bool is_guest, is_member, is_facilitator, is_owner;
    struct url role_action, remove_action;
    const struct str *help, *learn; /* from their profile: "can help with", "wants to learn" */
    size_t nhelp, nlearn;
};

/* The member directory, /spaces/{slug}/members?q=&kind=. */
struct view_space_members {
    struct html head, tabs;
    struct str csrf;
    struct str q;
    bool kind_help, kind_learn, kind_interest; /* what q is looked for in; none: everything */
    struct url search_action, clear_url;
    const struct view_space_member *members;
    size_t nmembers;
    bool manage;        /* role controls shown */
    bool grant_owner;   /* owner among the choices */
    struct str summary; /* "12 members", "2 match “ann”" */
};
int view_space_members(struct buf *b, const struct view_space_members *v);

struct view_space_request {
    struct str name, handle, message, when;
    struct url href, approve, decline;
};

/* Waiting requests to join, /spaces/{slug}/requests. */
struct view_space_requests {
    struct html head, tabs;
    struct str csrf;
    const struct view_space_request *requests;
    size_t nrequests;
    bool by_request; /* the space takes requests now */
};
int view_space_requests(struct buf *b, const struct view_space_requests *v);

/* Making an invite link, /spaces/{slug}/invite, and the link once made. */
struct view_space_invite {
    struct html head, tabs;
    struct str csrf;
    struct url action;
    struct str days, uses, guest_days; /* as typed */
    bool as_guest;
    struct str days_error, uses_error, role_error, guest_days_error;
    const struct view_space_error *errors;
    size_t nerrors;
    bool created;
    struct str link;   /* the address to send */
    bool link_is_path; /* no public URL is configured */
    struct str made_role, made_expires, made_uses, made_guest_until;
};
int view_space_invite(struct buf *b, const struct view_space_invite *v);

/* The page an invite link opens, /invites/{token}. */
struct view_invite {
    bool found;
    struct str name, purpose, community;
    bool is_group;
    bool as_guest;
    struct str guest_until, expires;
    bool signed_in;
    bool already; /* the viewer is in the space already */
    struct url space_url, signup_url, signin_url, accept_action;
    struct str csrf;
};
int view_invite(struct buf *b, const struct view_invite *v);

/* A reader who may not do what they asked: 403 with a way back. */
struct view_space_forbidden {
    struct str title, message;
    struct str name;
    struct url space_url;
};
int view_space_forbidden(struct buf *b, const struct view_space_forbidden *v);

struct view_person_space {
    struct str name, role, community;
    struct url href;
    bool is_group;
};

/* The "Spaces" part of a profile page. */
struct view_person_spaces {
    const struct view_person_space *spaces;
    size_t nspaces;
};
int view_person_spaces(struct buf *b, const struct view_person_spaces *v);

#endif
