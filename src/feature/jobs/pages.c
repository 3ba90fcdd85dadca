/*
 * /admin/jobs: the queue as an instance admin sees it, with a button to
 * try a failed job again. The same rows as GET /api/v1/admin/jobs.
 */
#include <stdio.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "feature/jobs/jobs_int.h"
#include "feature/jobs/views.h"
#include "http/session.h"

static const char *const states[] = {"", "queued", "running", "failed", "done"};
static const char *const labels[] = {"All", "Queued", "Running", "Failed", "Done"};

static int jobs_page(struct req *r, struct resp *w)
{
    struct view_admin_jobs vm = {0};
    struct view_job_filter *f;
    struct view_job *items;
    struct jobs_counts c = {0};
    struct job_row *x = NULL;
    const char *state = "";
    int64_t next = 0;
    size_t n = 0;
    struct buf body, b;
    char iso[21];
    int rc = jobs_page_of(r, &state, &x, &n, &c, &next);

    if (rc)
        return rc;
    f = arena_calloc(&r->arena, ARRAY_LEN(states), sizeof(*f));
    for (size_t i = 0; i < ARRAY_LEN(states); i++) {
        const int64_t counts[] = {c.queued + c.running + c.failed + c.done, c.queued, c.running,
                                  c.failed, c.done};

        f[i].label = str_c(labels[i]);
        f[i].count = counts[i];
        f[i].current = strcmp(state, states[i]) == 0;
        buf_init(&b, &r->arena, 64);
        buf_printf(&b, "/admin/jobs%s%s", *states[i] ? "?state=" : "", states[i]);
        f[i].href = url_of_buf(&r->arena, &b);
    }
    items = arena_calloc(&r->arena, n ? n : 1, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        struct view_job *it = &items[i];

        it->id = x[i].id;
        it->kind = x[i].kind;
        it->key = x[i].key;
        it->state = x[i].state;
        it->attempts = x[i].attempts;
        it->last_error = x[i].last_error;
        it->failed = str_eq_c(x[i].state, "failed");
        clock_rfc3339(x[i].run_at, iso);
        it->due_iso = str_make(arena_strndup(&r->arena, iso, 20), 20);
        buf_init(&b, &r->arena, 32);
        buf_printf(&b, "%.10s %.5s UTC", iso, iso + 11);
        it->due = buf_str(&b);
        buf_init(&b, &r->arena, 64);
        buf_printf(&b, "/admin/jobs/%lld/retry", (long long)x[i].id);
        it->retry_action = url_of_buf(&r->arena, &b);
    }
    vm.csrf = csrf_token(r);
    vm.filters = f;
    vm.nfilters = ARRAY_LEN(states);
    vm.items = items;
    vm.nitems = n;
    if (next) {
        vm.has_more = true;
        buf_init(&b, &r->arena, 96);
        buf_printf(&b, "/admin/jobs?%s%s%scursor=%lld", *state ? "state=" : "", state,
                   *state ? "&" : "", (long long)next);
        vm.more_url = url_of_buf(&r->arena, &b);
    }
    {
        const struct kv *kv = kv_get(&r->query, STR_LIT("notice"));

        if (kv && str_eq_c(kv->value, "queued"))
            vm.notice = STR_LIT("The job is queued again; the worker takes it within seconds.");
    }
    resp_body_init(r, &body);
    view_admin_jobs(&body, &vm);
    return resp_page(r, w, STR_LIT("Jobs"), STR_NULL, &body);
}

static int retry_page(struct req *r, struct resp *w)
{
    int rc = jobs_retry_of(r);

    if (rc)
        return rc;
    w->status = 303;
    resp_header(w, "Location", "/admin/jobs?notice=queued");
    return 0;
}

static const struct route routes[] = {
    {HTTP_GET, "/admin/jobs", jobs_page, jobs_list_fields, JL__MAX, ROUTE_AUTH},
    {HTTP_POST, "/admin/jobs/{id}/retry", retry_page, NULL, 0, ROUTE_AUTH},
};

const struct feature feature_jobs_pages = {
    .name = "jobs-pages",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
