/*
 * Jobs: work done later, outside any request. Reminders, follow-up asks,
 * mail sending and digests are rows in the jobs table; every `praxis serve`
 * runs one worker thread that claims due rows and runs them, and `praxis
 * jobs run` does one pass by hand.
 *
 * A feature declares its kinds of job in its struct feature (.jobs), the
 * way it declares routes, and queues one with job_enqueue() inside the
 * transaction of the change that calls for it: the job exists exactly when
 * the change committed. A job runs at least once: a runner that dies
 * mid-job leaves it to be claimed again when its lease runs out, so a job
 * must be safe to run twice (mail checks its outbox row, a reminder its key).
 *
 * Claiming is one UPDATE of the oldest due row: FOR UPDATE SKIP LOCKED on
 * PostgreSQL, so several nodes never take the same job; SQLite has one
 * writer anyway. A failed run is tried again after 30 s, 1, 2, 4… minutes
 * (up to 6 hours) until its kind's max_attempts, then kept as failed with
 * its last error, for `praxis jobs list` and /admin/jobs.
 */
#ifndef PRAXIS_FEATURE_JOBS_H
#define PRAXIS_FEATURE_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "http/http.h"

struct app;
struct arena;
struct db;

extern const struct feature feature_jobs;
extern const struct feature feature_jobs_pages; /* /admin/jobs */

/* What a job's run function returns besides 0 (done) and a negative enum err (retry). */
enum job_outcome {
    JOB_DONE = 0,
    JOB_RETRY = 1, /* a passing failure: run again after the backoff */
    JOB_FAIL = 2,  /* a lasting one (a 5xx from SMTP): keep as failed, no retry */
};

/* One job, as its run function sees it. */
struct job {
    int64_t id;
    const char *kind;
    struct str payload; /* the JSON text it was queued with */
    int attempt;        /* 1 on the first run */
    int64_t now;        /* the time it runs at: the clock, or --as-of in test mode */
    struct app *app;
    struct db *db;       /* the runner's connection, with no transaction open */
    struct arena *arena; /* released after the run */
    char err[256];       /* what went wrong, when the run returns non-zero */
};

typedef int job_fn(struct job *j);

/* A kind of job: a feature lists its own in struct feature's .jobs. */
struct job_kind {
    const char *name; /* "mail.send", "event.reminder": unique over features */
    job_fn *run;
    int max_attempts; /* 0 means 8 */
    /*
     * Seconds between runs of a periodic kind (0: it runs when queued).
     * The runners keep one job of it queued, keyed by its time slot
     * ("every:N", due at N * every), so several nodes queue it once.
     */
    int64_t every;
};

#define JOB_PAYLOAD_MAX 4096
#define JOB_KEY_MAX     200

/*
 * Queue a job on db, inside the caller's transaction: kind must be a
 * registered kind's name, payload JSON text up to JOB_PAYLOAD_MAX bytes,
 * run_at unix seconds. key (NULL for none) names the job for its kind: a
 * second enqueue with the same kind and key replaces the queued job's
 * run_at and payload (a moved event moves its reminder), and does nothing
 * to one that already ran (a reminder is sent once).
 */
int job_enqueue(struct db *db, const char *kind, const char *key, struct str payload,
                int64_t run_at);
/* Drop the queued jobs of kind whose key starts with prefix (an event deleted). */
int job_cancel(struct db *db, const char *kind, const char *key_prefix);

/*
 * Start this process's worker thread (unless the jobs setting is off):
 * app_serve() calls it once the server listens, so that jobs (mail with
 * links to this server) see the whole app. It stops with the app.
 */
int jobs_start(struct app *app);
/* Stop it, letting the job in hand finish (before the server stops). */
void jobs_stop(struct app *app);
/* Wake this process's worker to look for due jobs now (after a commit that queued one). */
void jobs_kick(struct app *app);

/* The result of one pass. */
struct jobs_pass {
    int ran, done, retried, failed;
};
/*
 * Run every job due by now (unix seconds) on db, one after another, until
 * none is due; wait (up to 10 s) for jobs another runner holds to finish
 * first, so that on return everything due by now has run. For `praxis jobs
 * run` and the test route; now later than the clock only in test mode.
 */
int jobs_run_due(struct app *app, struct db *db, int64_t now, struct jobs_pass *out);

/* Looking at the queue (praxis jobs list, /admin/jobs). */
struct job_row {
    int64_t id;
    struct str kind, key, state, last_error, locked_by;
    int64_t run_at, created_at, finished_at;
    int attempts;
};
struct jobs_counts {
    int64_t queued, running, done, failed;
};
#define JOBS_PAGE 50
/*
 * Up to limit jobs below id before (INT64_MAX for the newest), newest first;
 * state "" for every state. Rows are in a.
 */
int jobs_list(struct db *db, struct arena *a, const char *state, int64_t before, size_t limit,
              struct job_row **out, size_t *n);
int jobs_count(struct db *db, struct jobs_counts *out);
/* Queue a failed job again, due at now, its attempts forgotten; E_NOTFOUND when it is not failed.
 */
int job_requeue(struct db *db, int64_t id, int64_t now);
/* Whether s names a state: queued, running, done or failed. */
bool job_state_valid(const char *s);

#endif
