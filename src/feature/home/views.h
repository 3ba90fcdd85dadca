/*
 * The home page's view model, rendered by home.html (compiled by
 * tools/tmplc). The function appends the page body, to be wrapped in the
 * layout (view/views.h); it returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_HOME_VIEWS_H
#define PRAXIS_FEATURE_HOME_VIEWS_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/str.h"

struct view_home {
    struct str instance_name;
    struct str tagline; /* one sentence; may be empty */
    bool signed_in;
};
int view_home(struct buf *b, const struct view_home *v);

#endif
