/*
 * Where the meeting loop plugs into events: the jobs that come before and
 * after an occurrence. Each is keyed by the event, the occurrence and its
 * purpose, so that planning again (the event changed, or the hourly plan
 * ran) moves a queued job instead of doubling it, and never sends one that
 * already ran. The jobs themselves (their mail) are feature/rhythm's.
 *
 *   event.remind    at the start minus each of the event's reminder offsets
 *   event.ended     at the end: ask the hosts for the follow-up
 *   event.moved_up  at once: tell someone who got a place off the waiting list
 *
 * Only occurrences within REMIND_HORIZON of now are planned here; the
 * hourly events.plan job (feature/rhythm) plans the rest as they come near.
 */
#include <stdio.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "feature/events/events.h"
#include "feature/jobs/jobs.h"

/* How far ahead reminders are planned: the longest offset (30 days) and a day. */
#define PLAN_AHEAD ((int64_t)31 * 86400)
#define PLAN_MAX   200 /* occurrences planned per event at once */
#define ASK_BACK   86400

static int enqueue(struct db *db, const char *kind, const char *key, int64_t event_id,
                   int64_t occurrence, int64_t extra, int64_t at)
{
    char payload[128];

    snprintf(payload, sizeof(payload), "{\"event\":%lld,\"occurrence\":%lld,\"extra\":%lld}",
             (long long)event_id, (long long)occurrence, (long long)extra);
    return job_enqueue(db, kind, key, str_c(payload), at);
}

int events_plan(struct db *db, const struct event *e, int64_t now, bool again)
{
    struct arena a;
    struct occurrence *occ;
    size_t n = 0;
    bool more;
    char key[96], prefix[48];
    int rc;

    snprintf(prefix, sizeof(prefix), "event:%lld:", (long long)e->id);
    /*
     * The event changed: what was planned for its old times goes (what
     * already ran stays done). The hourly plan keeps what is queued, so a
     * reminder whose time passed while no worker ran still goes out, late.
     */
    rc = 0;
    if (again || e->status != EVENT_CONFIRMED) {
        rc = job_cancel(db, "event.remind", prefix);
        if (!rc)
            rc = job_cancel(db, "event.ended", prefix);
    }
    if (rc || e->status != EVENT_CONFIRMED)
        return rc;
    arena_init(&a);
    /* From a day back: an occurrence that ended lately (recorded after the fact) is asked too. */
    rc = event_occurrences(&a, e, now - ASK_BACK, now + PLAN_AHEAD, PLAN_MAX, &occ, &n, &more);
    for (size_t i = 0; i < n && !rc; i++) {
        if (occ[i].cancelled)
            continue;
        for (size_t k = 0; k < e->nreminders && !rc; k++) {
            int64_t at = occ[i].start - (int64_t)e->reminders[k] * 60;

            if (at < now)
                continue; /* too late for this one: the next offset may still come */
            snprintf(key, sizeof(key), "event:%lld:%lld:remind:%d", (long long)e->id,
                     (long long)occ[i].start, e->reminders[k]);
            rc = enqueue(db, "event.remind", key, e->id, occ[i].start, e->reminders[k], at);
        }
        if (!rc && occ[i].end >= now - ASK_BACK) {
            snprintf(key, sizeof(key), "event:%lld:%lld:ended", (long long)e->id,
                     (long long)occ[i].start);
            rc = enqueue(db, "event.ended", key, e->id, occ[i].start, 0,
                         occ[i].end > now ? occ[i].end : now);
        }
    }
    arena_release(&a);
    return rc;
}

int events_schedule(struct db *db, const struct event *e)
{
    return events_plan(db, e, clock_unix(), true);
}

int events_moved_up(struct db *db, const struct event *e, const struct moved_up *m)
{
    char key[96];

    snprintf(key, sizeof(key), "event:%lld:%lld:moved:%lld", (long long)e->id,
             (long long)m->occurrence, (long long)m->user_id);
    return enqueue(db, "event.moved_up", key, e->id, m->occurrence, m->user_id, clock_unix());
}
