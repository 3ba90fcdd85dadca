/*
 * Jobs (see jobs.h): queueing, claiming, running with retries, the worker
 * thread of `praxis serve`, and the passes run by hand or by the tests.
 */
#include "feature/jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "feature/jobs/jobs_int.h"

#define LEASE_S          300     /* a job that runs longer may be taken again */
#define BACKOFF_S        30      /* the first retry's wait; it doubles each time */
#define BACKOFF_MAX_S    21600   /* six hours */
#define POLL_S           2       /* other nodes may queue jobs: look this often */
#define KEEP_DONE_S      604800  /* a week */
#define KEEP_FAILED_S    2592000 /* thirty days */
#define WAIT_OTHERS_S    10      /* jobs_run_due() waits this long for other runners */
#define DEFAULT_ATTEMPTS 8

/* Kinds ------------------------------------------------------------------ */

static const struct job_kind *kind_of(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < app_nfeatures; i++)
        for (size_t k = 0; k < app_features[i]->njobs; k++)
            if (strcmp(app_features[i]->jobs[k].name, name) == 0)
                return &app_features[i]->jobs[k];
    return NULL;
}

/* Queueing ---------------------------------------------------------------- */

int job_enqueue(struct db *db, const char *kind, const char *key, struct str payload,
                int64_t run_at)
{
    struct db_param p[5];

    if (!kind_of(kind) || payload.len > JOB_PAYLOAD_MAX || !utf8_valid(payload.ptr, payload.len) ||
        (key && (strlen(key) > JOB_KEY_MAX || !utf8_valid(key, strlen(key)))))
        return E_INVAL;
    p[0] = DB_TEXTC(kind);
    p[1] = key ? DB_TEXTC(key) : DB_NULL;
    p[2] = DB_TEXT(payload);
    p[3] = DB_INT(run_at);
    p[4] = DB_INT(clock_unix());
    return db_exec(db, STMT_JOB_ENQUEUE, p, 5, NULL);
}

int job_cancel(struct db *db, const char *kind, const char *key_prefix)
{
    struct db_param p[] = {DB_TEXTC(kind), DB_TEXTC(key_prefix)};

    return db_exec(db, STMT_JOB_CANCEL, p, 2, NULL);
}

/* Queue the next run of a periodic kind: the first slot after now. */
static int queue_next(struct db *db, const struct job_kind *k, int64_t now)
{
    int64_t slot = now / k->every + 1;
    char key[32];

    snprintf(key, sizeof(key), "every:%lld", (long long)slot);
    return job_enqueue(db, k->name, key, STR_LIT("{}"), slot * k->every);
}

/* Make sure every periodic kind has its next run queued (at a runner's start). */
static int queue_periodic(struct db *db, int64_t now)
{
    int rc = 0;

    for (size_t i = 0; i < app_nfeatures && !rc; i++)
        for (size_t k = 0; k < app_features[i]->njobs && !rc; k++)
            if (app_features[i]->jobs[k].every > 0)
                rc = queue_next(db, &app_features[i]->jobs[k], now);
    return rc;
}

/* Running ----------------------------------------------------------------- */

/* "host:pid", naming this process in locked_by. */
static char runner[96];
static pthread_once_t runner_once = PTHREAD_ONCE_INIT;

static void runner_init(void)
{
    char host[64] = "localhost";

    gethostname(host, sizeof(host) - 1);
    host[sizeof(host) - 1] = '\0';
    snprintf(runner, sizeof(runner), "%s:%ld", host, (long)getpid());
}

static int64_t job_backoff(int attempt)
{
    int64_t d = BACKOFF_S;

    for (int i = 1; i < attempt && d < BACKOFF_MAX_S; i++)
        d *= 2;
    return d < BACKOFF_MAX_S ? d : BACKOFF_MAX_S;
}

/* Record how a run ended. */
static int finish(struct db *db, struct job *j, const struct job_kind *k, int rc,
                  struct jobs_pass *pass)
{
    int64_t t = clock_unix();
    int max = k && k->max_attempts > 0 ? k->max_attempts : DEFAULT_ATTEMPTS;
    struct str err;

    if (rc == JOB_DONE) {
        pass->done++;
        return db_exec(db, STMT_JOB_DONE, (struct db_param[]){DB_INT(j->id), DB_INT(t)}, 2, NULL);
    }
    if (!j->err[0])
        snprintf(j->err, sizeof(j->err), "%s", rc < 0 ? err_str(rc) : "it failed");
    err = str_c(j->err);
    if (!utf8_valid(err.ptr, err.len))
        err = STR_LIT("it failed (its error was not UTF-8)");
    if (rc == JOB_FAIL || j->attempt >= max) {
        pass->failed++;
        log_warn("job %lld (%s) failed for good after %d attempt%s: %s", (long long)j->id, j->kind,
                 j->attempt, j->attempt == 1 ? "" : "s", j->err);
        return db_exec(db, STMT_JOB_FAILED,
                       (struct db_param[]){DB_INT(j->id), DB_TEXT(err), DB_INT(t)}, 3, NULL);
    }
    pass->retried++;
    log_info("job %lld (%s) will be tried again: %s", (long long)j->id, j->kind, j->err);
    return db_exec(db, STMT_JOB_RETRY,
                   (struct db_param[]){DB_INT(j->id), DB_INT(j->now + job_backoff(j->attempt)),
                                       DB_TEXT(err), DB_INT(t)},
                   4, NULL);
}

/* Claim the oldest job due by now and run it: 1 when one ran, 0 when none was due. */
static int run_one(struct app *app, struct db *db, int64_t now, struct jobs_pass *pass)
{
    struct arena arena;
    struct db_rows rows;
    struct job j = {.now = now, .app = app, .db = db};
    const struct job_kind *k;
    int64_t t = clock_unix();
    struct str kind;
    int rc;

    pthread_once(&runner_once, runner_init);
    arena_init(&arena);
    j.arena = &arena;
    rc =
        db_query(db, STMT_JOB_CLAIM,
                 (struct db_param[]){DB_TEXTC(runner), DB_INT(t + LEASE_S), DB_INT(t), DB_INT(now)},
                 4, &rows);
    if (!rc) {
        rc = db_next(&rows);
        if (rc > 0) {
            j.id = db_col_int(&rows, 0);
            kind = db_col_text(&rows, 1, &arena);
            j.kind = kind.ptr;
            j.payload = db_col_text(&rows, 2, &arena);
            j.attempt = (int)db_col_int(&rows, 3);
        }
        db_rows_done(&rows);
    }
    if (rc <= 0) {
        arena_release(&arena);
        return rc;
    }
    pass->ran++;
    k = kind_of(j.kind);
    if (k) {
        rc = k->run(&j);
        if (rc != JOB_DONE && rc != JOB_FAIL && rc != JOB_RETRY && rc >= 0)
            rc = JOB_RETRY;
    } else {
        snprintf(j.err, sizeof(j.err), "this node knows no job of kind '%s'", j.kind);
        rc = JOB_RETRY;
    }
    db_read_end(db);
    rc = finish(db, &j, k, rc, pass);
    if (!rc && k && k->every > 0)
        rc = queue_next(db, k, now);
    arena_release(&arena);
    return rc ? rc : 1;
}

/* Housekeeping before a pass: take back jobs whose runner died, forget old ones. */
static int tidy(struct db *db)
{
    int64_t t = clock_unix();
    int rc = db_exec(db, STMT_JOB_RECLAIM, (struct db_param[]){DB_INT(t)}, 1, NULL);

    if (!rc)
        rc = db_exec(db, STMT_JOB_PURGE,
                     (struct db_param[]){DB_INT(t - KEEP_DONE_S), DB_INT(t - KEEP_FAILED_S)}, 2,
                     NULL);
    return rc;
}

static int run_pass(struct app *app, struct db *db, int64_t now, struct jobs_pass *pass,
                    const _Atomic bool *stop)
{
    int rc = tidy(db);

    while (!rc && !(stop && *stop)) {
        rc = run_one(app, db, now, pass);
        if (rc == 0)
            break;
        if (rc == 1)
            rc = 0;
    }
    return rc;
}

int jobs_run_due(struct app *app, struct db *db, int64_t now, struct jobs_pass *out)
{
    int64_t until = clock_mono_us() + (int64_t)WAIT_OTHERS_S * 1000000;
    int64_t running = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = queue_periodic(db, now);
    while (!rc) {
        rc = run_pass(app, db, now, out, NULL);
        if (!rc)
            rc = db_query_int(db, STMT_JOB_RUNNING_COUNT, NULL, 0, &running);
        if (rc || running == 0 || clock_mono_us() > until)
            return rc;
        /* Another runner holds a job: let it finish, then look again (it may queue more). */
        nanosleep(&(struct timespec){0, 50 * 1000000L}, NULL);
    }
    return rc;
}

/* The worker thread ------------------------------------------------------- */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool running;
    _Atomic bool stop;
    bool kicked;
    struct app *app;
} worker = {.lock = PTHREAD_MUTEX_INITIALIZER};

void jobs_kick(struct app *app)
{
    (void)app;
    pthread_mutex_lock(&worker.lock);
    worker.kicked = true;
    pthread_cond_signal(&worker.cond);
    pthread_mutex_unlock(&worker.lock);
}

/* Sleep until deadline (unix seconds), a kick or the stop. */
static void doze(int64_t deadline)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(deadline - clock_unix());
    pthread_mutex_lock(&worker.lock);
    while (!worker.kicked && !worker.stop)
        if (pthread_cond_timedwait(&worker.cond, &worker.lock, &ts) == ETIMEDOUT)
            break;
    worker.kicked = false;
    pthread_mutex_unlock(&worker.lock);
}

static void *work(void *arg)
{
    struct app *app = arg;
    struct db *db = NULL;
    char err[512];
    int64_t next, failing = 0;
    bool fresh = true;
    int rc;

    while (!worker.stop) {
        struct jobs_pass pass = {0};

        if (!db && app_open_db(app->cfg, &db, err, sizeof(err))) {
            log_warn("jobs: %s", err);
            db = NULL;
            doze(clock_unix() + (int64_t)POLL_S * 5);
            continue;
        }
        rc = fresh ? queue_periodic(db, clock_unix()) : 0;
        if (!rc) {
            fresh = false;
            rc = run_pass(app, db, clock_unix(), &pass, &worker.stop);
        }
        next = clock_unix() + POLL_S;
        if (!rc && db_query_int(db, STMT_JOB_NEXT_DUE, NULL, 0, &next) == 0 &&
            next > clock_unix() + POLL_S)
            next = clock_unix() + POLL_S;
        db_read_end(db);
        if (rc) {
            /* The database is away or failing: say so once a minute, not once a pass. */
            if (clock_unix() - failing >= 60) {
                log_warn("jobs: %s: %s", err_str(rc), db_errmsg(db));
                failing = clock_unix();
            }
            if (rc == E_UNAVAIL && db_ping(db)) {
                db_close(db);
                db = NULL;
            }
            next = clock_unix() + (int64_t)POLL_S * 5;
        }
        if (next > clock_unix())
            doze(next);
    }
    if (db)
        db_close(db);
    return NULL;
}

int jobs_start(struct app *app)
{
    pthread_condattr_t attr;

    if (!app->cfg->jobs || worker.running)
        return 0;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&worker.cond, &attr);
    pthread_condattr_destroy(&attr);
    worker.app = app;
    worker.stop = false;
    if (pthread_create(&worker.thread, NULL, work, app)) {
        log_error("jobs: cannot start the worker thread");
        return E_IO;
    }
    worker.running = true;
    return 0;
}

void jobs_stop(struct app *app)
{
    (void)app;
    if (!worker.running)
        return;
    pthread_mutex_lock(&worker.lock);
    worker.stop = true;
    pthread_cond_signal(&worker.cond);
    pthread_mutex_unlock(&worker.lock);
    pthread_join(worker.thread, NULL);
    pthread_cond_destroy(&worker.cond);
    worker.running = false;
}

/* Looking at the queue ------------------------------------------------------ */

bool job_state_valid(const char *s)
{
    return strcmp(s, "queued") == 0 || strcmp(s, "running") == 0 || strcmp(s, "done") == 0 ||
           strcmp(s, "failed") == 0;
}

int jobs_list(struct db *db, struct arena *a, const char *state, int64_t before, size_t limit,
              struct job_row **out, size_t *n)
{
    struct db_rows rows;
    struct job_row *x = arena_calloc(a, limit ? limit : 1, sizeof(*x));
    int rc =
        db_query(db, STMT_JOB_LIST,
                 (struct db_param[]){DB_TEXTC(state), DB_INT(before), DB_INT(limit)}, 3, &rows);

    *n = 0;
    while (!rc && (rc = db_next(&rows)) > 0 && *n < limit) {
        struct job_row *j = &x[(*n)++];

        j->id = db_col_int(&rows, 0);
        j->kind = db_col_text(&rows, 1, a);
        j->key = db_col_text(&rows, 2, a);
        j->state = db_col_text(&rows, 3, a);
        j->run_at = db_col_int(&rows, 4);
        j->attempts = (int)db_col_int(&rows, 5);
        j->last_error = db_col_text(&rows, 6, a);
        j->locked_by = db_col_text(&rows, 7, a);
        j->created_at = db_col_int(&rows, 8);
        j->finished_at = db_col_int(&rows, 9);
        rc = 0;
    }
    db_rows_done(&rows);
    *out = x;
    return rc < 0 ? rc : 0;
}

int jobs_count(struct db *db, struct jobs_counts *out)
{
    struct arena a;
    struct db_rows rows;
    int rc = db_query(db, STMT_JOB_COUNTS, NULL, 0, &rows);

    memset(out, 0, sizeof(*out));
    arena_init(&a);
    while (!rc && (rc = db_next(&rows)) > 0) {
        struct str state = db_col_text(&rows, 0, &a);
        int64_t n = db_col_int(&rows, 1);

        if (str_eq_c(state, "queued"))
            out->queued = n;
        else if (str_eq_c(state, "running"))
            out->running = n;
        else if (str_eq_c(state, "done"))
            out->done = n;
        else if (str_eq_c(state, "failed"))
            out->failed = n;
        rc = 0;
    }
    db_rows_done(&rows);
    arena_release(&a);
    return rc < 0 ? rc : 0;
}

int job_requeue(struct db *db, int64_t id, int64_t now)
{
    int64_t changed = 0;
    int rc =
        db_exec(db, STMT_JOB_REQUEUE,
                (struct db_param[]){DB_INT(id), DB_INT(now), DB_INT(clock_unix())}, 3, &changed);

    return rc ? rc : changed ? 0 : E_NOTFOUND;
}

/* The API ------------------------------------------------------------------- */

static void pass_json(struct json *j, const struct jobs_pass *p)
{
    json_obj_open(j);
    json_key(j, "ran");
    json_i64(j, p->ran);
    json_key(j, "done");
    json_i64(j, p->done);
    json_key(j, "retried");
    json_i64(j, p->retried);
    json_key(j, "failed");
    json_i64(j, p->failed);
    json_obj_close(j);
}

enum { JR_AS_OF, JR__MAX };

static const struct field run_fields[JR__MAX] = {
    [JR_AS_OF] = {"as_of", FIELD_INT, false, 0, 0, INT64_MAX},
};

/* Test mode only: run every job due by as_of (default now), here and now. */
static int run_api(struct req *r, struct resp *w)
{
    const struct value *as_of = req_in(r, JR_AS_OF);
    struct db *db = req_db(r);
    struct jobs_pass pass;
    struct json j;
    int rc;

    if (!db)
        return E_UNAVAIL;
    db_read_end(db);
    rc = jobs_run_due(r->app, db, as_of->present ? as_of->num : clock_unix(), &pass);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    pass_json(&j, &pass);
    return 0;
}

static void row_json(struct json *j, const struct job_row *x)
{
    char iso[21];

    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, x->id);
    json_key(j, "kind");
    json_str(j, x->kind);
    json_key(j, "key");
    if (x->key.len)
        json_str(j, x->key);
    else
        json_null(j);
    json_key(j, "state");
    json_str(j, x->state);
    json_key(j, "run_at");
    clock_rfc3339(x->run_at, iso);
    json_str_c(j, iso);
    json_key(j, "attempts");
    json_i64(j, x->attempts);
    json_key(j, "last_error");
    json_str(j, x->last_error);
    json_key(j, "created_at");
    clock_rfc3339(x->created_at, iso);
    json_str_c(j, iso);
    json_key(j, "finished_at");
    if (x->finished_at) {
        clock_rfc3339(x->finished_at, iso);
        json_str_c(j, iso);
    } else {
        json_null(j);
    }
    json_obj_close(j);
}

const struct field jobs_list_fields[JL__MAX] = {
    [JL_STATE] = {"state", FIELD_TEXT, false, 10, 0, 0},
    [JL_CURSOR] = {"cursor", FIELD_INT, false, 0, 1, INT64_MAX},
};

/* Instance admins only; to anyone else the queue does not exist. */
static int admin_only(struct req *r)
{
    if (!r->actor || !r->actor->is_admin)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such page");
    return 0;
}

int jobs_page_of(struct req *r, const char **state, struct job_row **x, size_t *n,
                 struct jobs_counts *counts, int64_t *next)
{
    const struct value *st = req_in(r, JL_STATE), *cur = req_in(r, JL_CURSOR);
    struct db *db = req_db(r);
    int rc = admin_only(r);

    if (rc)
        return rc;
    if (!db)
        return E_UNAVAIL;
    *state = st->present ? st->text.ptr : "";
    if (**state && !job_state_valid(*state))
        return req_fail(r, E_INVAL, "state", "expected queued, running, done or failed");
    rc = jobs_list(db, &r->arena, *state, cur->present ? cur->num : INT64_MAX, JOBS_PAGE + 1, x, n);
    if (!rc)
        rc = jobs_count(db, counts);
    if (rc)
        return rc;
    *next = 0;
    if (*n > JOBS_PAGE) {
        *n = JOBS_PAGE;
        *next = (*x)[JOBS_PAGE - 1].id;
    }
    return 0;
}

static int list_api(struct req *r, struct resp *w)
{
    struct jobs_counts c = {0};
    struct job_row *x = NULL;
    const char *state = "";
    int64_t next = 0;
    size_t n = 0;
    struct json j;
    int rc = jobs_page_of(r, &state, &x, &n, &c, &next);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "counts");
    json_obj_open(&j);
    json_key(&j, "queued");
    json_i64(&j, c.queued);
    json_key(&j, "running");
    json_i64(&j, c.running);
    json_key(&j, "done");
    json_i64(&j, c.done);
    json_key(&j, "failed");
    json_i64(&j, c.failed);
    json_obj_close(&j);
    json_key(&j, "jobs");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        row_json(&j, &x[i]);
    json_arr_close(&j);
    json_key(&j, "next_cursor");
    json_i64_or_null(&j, next);
    json_obj_close(&j);
    return 0;
}

int jobs_retry_of(struct req *r)
{
    struct db *db = req_db(r);
    int64_t id;
    int rc = admin_only(r);

    if (rc)
        return rc;
    if (!db)
        return E_UNAVAIL;
    if (str_to_i64(req_param(r, "id"), &id) || id <= 0)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such job");
    rc = job_requeue(db, id, clock_unix());
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no failed job of that number");
    if (!rc)
        jobs_kick(r->app);
    return rc;
}

static int retry_api(struct req *r, struct resp *w)
{
    struct json j;
    int rc = jobs_retry_of(r);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "queued");
    json_bool(&j, true);
    json_obj_close(&j);
    return 0;
}

static const struct route routes[] = {
    {HTTP_POST, "/api/v1/_test/jobs/run", run_api, run_fields, JR__MAX, ROUTE_TEST_ONLY},
    {HTTP_GET, "/api/v1/admin/jobs", list_api, jobs_list_fields, JL__MAX, ROUTE_AUTH},
    {HTTP_POST, "/api/v1/admin/jobs/{id}/retry", retry_api, NULL, 0, ROUTE_AUTH},
};

const struct feature feature_jobs = {
    .name = "jobs",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .fini = jobs_stop,
};
