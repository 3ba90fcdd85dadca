#include "http/metrics.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/err.h"

static const int statuses[METRICS_NSTATUS - 1] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403,
                                                  404, 405, 409, 413, 415, 429, 431, 500, 503};
/* Upper bounds in microseconds. */
static const int64_t bounds_us[METRICS_NBUCKETS] = {100,   250,   500,    1000,   2500,    5000,
                                                    10000, 25000, 100000, 250000, 1000000, 5000000};
static const char *const bounds_label[METRICS_NBUCKETS] = {"0.0001", "0.00025", "0.0005", "0.001",
                                                           "0.0025", "0.005",   "0.01",   "0.025",
                                                           "0.1",    "0.25",    "1",      "5"};

static int status_index(int status)
{
    for (int i = 0; i < METRICS_NSTATUS - 1; i++)
        if (statuses[i] == status)
            return i;
    return METRICS_NSTATUS - 1;
}

void metrics_init(struct metrics *m, size_t nroutes)
{
    m->nroutes = nroutes;
    m->routes = xcalloc(nroutes + 1, sizeof(*m->routes));
}

void metrics_release(struct metrics *m)
{
    free(m->routes);
    m->routes = NULL;
}

static void bump(_Atomic uint64_t *c, uint64_t by)
{
    /* Single writer: load and store, no read-modify-write. */
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + by,
                          memory_order_relaxed);
}

void metrics_observe(struct metrics *m, int route, int status, int64_t us)
{
    struct metrics_route *mr = &m->routes[route < 0 ? m->nroutes : (size_t)route];
    int b = 0;

    bump(&mr->status[status_index(status)], 1);
    while (b < METRICS_NBUCKETS && us > bounds_us[b])
        b++;
    bump(&mr->bucket[b], 1);
    bump(&mr->sum_us, us > 0 ? (uint64_t)us : 0);
}

static uint64_t get(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

int metrics_write(struct buf *b, struct metrics *const *all, size_t n, const char *const *names)
{
    size_t nroutes = n ? all[0]->nroutes : 0;

    BUF_LIT(b, "# HELP praxis_http_requests_total Requests answered, by route and status.\n"
               "# TYPE praxis_http_requests_total counter\n");
    for (size_t r = 0; r <= nroutes; r++) {
        for (int s = 0; s < METRICS_NSTATUS; s++) {
            uint64_t sum = 0;

            for (size_t w = 0; w < n; w++)
                sum += get(&all[w]->routes[r].status[s]);
            if (!sum)
                continue;
            buf_printf(b, "praxis_http_requests_total{route=\"%s\",status=\"",
                       r < nroutes ? names[r] : "none");
            if (s < METRICS_NSTATUS - 1)
                buf_printf(b, "%d", statuses[s]);
            else
                BUF_LIT(b, "other");
            buf_printf(b, "\"} %llu\n", (unsigned long long)sum);
        }
    }
    BUF_LIT(b, "# HELP praxis_http_request_duration_seconds Time from request to response.\n"
               "# TYPE praxis_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= nroutes; r++) {
        uint64_t cum = 0, sum_us = 0, counts[METRICS_NBUCKETS + 1] = {0};
        const char *name = r < nroutes ? names[r] : "none";

        for (size_t w = 0; w < n; w++) {
            for (int k = 0; k <= METRICS_NBUCKETS; k++)
                counts[k] += get(&all[w]->routes[r].bucket[k]);
            sum_us += get(&all[w]->routes[r].sum_us);
        }
        for (int k = 0; k <= METRICS_NBUCKETS; k++)
            cum += counts[k];
        if (!cum)
            continue;
        cum = 0;
        for (int k = 0; k <= METRICS_NBUCKETS; k++) {
            cum += counts[k];
            buf_printf(
                b, "praxis_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %llu\n",
                name, k < METRICS_NBUCKETS ? bounds_label[k] : "+Inf", (unsigned long long)cum);
        }
        buf_printf(b, "praxis_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", name,
                   (double)sum_us / 1e6);
        buf_printf(b, "praxis_http_request_duration_seconds_count{route=\"%s\"} %llu\n", name,
                   (unsigned long long)cum);
    }
    return b->toobig ? E_TOOBIG : 0;
}
