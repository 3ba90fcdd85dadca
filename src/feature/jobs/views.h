/*
 * The jobs page's view model (feature/jobs/pages.c), rendered by
 * admin_jobs.html (compiled by tools/tmplc). The function appends to b and
 * returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_JOBS_VIEWS_H
#define PRAXIS_FEATURE_JOBS_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/url.h"

/* One state to filter by, with its count: "Failed (3)". */
struct view_job_filter {
    struct str label;
    int64_t count;
    struct url href;
    bool current;
};

struct view_job {
    int64_t id;
    struct str kind, key, state, due, due_iso, last_error;
    int attempts;
    bool failed;
    struct url retry_action;
};

/* /admin/jobs: the queue, for instance admins. */
struct view_admin_jobs {
    struct str csrf;
    struct str notice;
    const struct view_job_filter *filters;
    size_t nfilters;
    const struct view_job *items;
    size_t nitems;
    bool has_more;
    struct url more_url;
};
int view_admin_jobs(struct buf *b, const struct view_admin_jobs *v);

#endif
