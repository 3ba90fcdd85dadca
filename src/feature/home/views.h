/*
 * The home page's view model, rendered by home.html (compiled by
 * tools/tmplc). The function appends the page body, to be wrapped in the
 * layout (view/views.h); it returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_HOME_VIEWS_H
#define PRAXIS_FEATURE_HOME_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/url.h"

/* A group the person belongs to, under its community. */
struct view_home_group {
    struct str name;
    struct url href;
    struct str role; /* "member" */
};

/* A community on the home page: one of the person's, or one to discover. */
struct view_home_space {
    struct str name, purpose;
    struct url href;
    struct str role;      /* the person's; empty when not in it */
    struct str members;   /* "12 members" */
    struct str community; /* a group shown alone: its community, when readable */
    bool is_group;        /* a group whose community the person is not in */
    bool is_private;
    const struct view_home_group *groups;
    size_t ngroups;
};

struct view_home {
    struct str instance_name;
    struct str tagline; /* one sentence; may be empty */
    bool signed_in;
    const struct view_home_space *mine; /* "Your communities" */
    size_t nmine;
    const struct view_home_space *discover; /* public communities the person is not in */
    size_t ndiscover;
    bool can_create; /* "Create a community" */
};
int view_home(struct buf *b, const struct view_home *v);

#endif
