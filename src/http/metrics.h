/*
 * Request figures for /metrics. Each worker thread owns one struct metrics
 * and is its only writer, so counting costs a plain store (relaxed atomics,
 * no locked instruction); the scrape sums every worker's copy.
 */
#ifndef PRAXIS_HTTP_METRICS_H
#define PRAXIS_HTTP_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define METRICS_NSTATUS  20 /* the statuses in metrics.c's table, plus "other" */
#define METRICS_NBUCKETS 12

struct metrics_route {
    _Atomic uint64_t status[METRICS_NSTATUS];
    _Atomic uint64_t bucket[METRICS_NBUCKETS + 1]; /* last: +Inf */
    _Atomic uint64_t sum_us;
};

struct metrics {
    size_t nroutes; /* routes[nroutes] counts requests no route matched */
    struct metrics_route *routes;
};

/* Zeroed counters for nroutes routes plus the unmatched; freed by metrics_release(). */
void metrics_init(struct metrics *m, size_t nroutes);
void metrics_release(struct metrics *m);
/* Count one request; route is its index, or -1 when nothing matched. Owner thread only. */
void metrics_observe(struct metrics *m, int route, int status, int64_t us);

/*
 * Append praxis_http_requests_total{route,status} and
 * praxis_http_request_duration_seconds{route} for the sum of n workers'
 * figures; names[i] labels route i.
 */
int metrics_write(struct buf *b, struct metrics *const *all, size_t n, const char *const *names);

#endif
