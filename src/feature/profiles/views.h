/*
 * The profiles pages' view models, rendered by profile.html and
 * profile_edit.html (compiled by tools/tmplc). Each function appends a page
 * body for the layout and returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_PROFILES_VIEWS_H
#define PRAXIS_FEATURE_PROFILES_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

/* A person's profile page, /people/{handle}. */
struct view_profile {
    struct str name, handle;
    struct str initial;     /* the name's first character, for the avatar */
    struct str timezone;    /* for reading: "America/New York" */
    struct str joined;      /* "March 2025" */
    struct str last_active; /* "today", "3 December 2026"; empty: not shown */
    struct html bio_html;
    const struct str *help, *learn, *interest;
    size_t nhelp, nlearn, ninterest;
    bool has_interests;
    bool is_self; /* the viewer is this person: links to the edit form */
    /*
     * The spaces this person belongs to that the viewer may see, rendered by
     * the spaces feature; the section shows only when it is not empty.
     */
    struct html spaces;
};
int view_profile(struct buf *b, const struct view_profile *v);

/* One line of the error summary at the top of the form: a link to the field. */
struct view_profile_error {
    struct url href; /* "#name" */
    struct str label;
    struct str message;
};

/* The edit form, /settings/profile: what is stored, or what was typed and what is wrong. */
struct view_profile_edit {
    struct str csrf;
    struct str handle;
    struct url profile_url;
    struct str name, bio, timezone;
    struct str help, learn, interest; /* one interest per line */
    struct str name_error, bio_error, timezone_error;
    struct str help_error, learn_error, interest_error;
    const struct view_profile_error *errors;
    size_t nerrors;
    struct str form_error; /* a problem with the whole form; may be empty */
};
int view_profile_edit(struct buf *b, const struct view_profile_edit *v);

#endif
