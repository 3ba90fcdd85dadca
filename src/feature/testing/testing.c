#include "feature/testing/testing.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "db/db.h"
#include "feature/jobs/jobs.h"
#include "feature/testing/probe.h"
#include "http/router.h"

enum { ECHO_NAME, ECHO_COUNT, ECHO_FLAG, ECHO_NOTE, ECHO_FILE, ECHO__MAX };

static const struct field echo_fields[ECHO__MAX] = {
    [ECHO_NAME] = {"name", FIELD_TEXT, true, 40, 0, 0},
    [ECHO_COUNT] = {"count", FIELD_INT, false, 0, 0, 1000},
    [ECHO_FLAG] = {"flag", FIELD_BOOL, false, 0, 0, 0},
    [ECHO_NOTE] = {"note", FIELD_TEXT, false, 0, 0, 0},
    [ECHO_FILE] = {"file", FIELD_FILE, false, 4096, 0, 0},
};

static int echo(struct req *r, struct resp *w)
{
    const struct value *file = req_in(r, ECHO_FILE);
    struct json j;

    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "name");
    json_str(&j, req_in(r, ECHO_NAME)->text);
    json_key(&j, "count");
    if (req_in(r, ECHO_COUNT)->present)
        json_i64(&j, req_in(r, ECHO_COUNT)->num);
    else
        json_null(&j);
    json_key(&j, "flag");
    json_bool(&j, req_in(r, ECHO_FLAG)->flag);
    json_key(&j, "note");
    json_str(&j, req_in(r, ECHO_NOTE)->text);
    if (file->present) {
        json_key(&j, "file");
        json_obj_open(&j);
        json_key(&j, "filename");
        json_str(&j, file->file->filename);
        json_key(&j, "bytes");
        json_i64(&j, (int64_t)file->file->data.len);
        json_obj_close(&j);
    }
    json_obj_close(&j);
    return 0;
}

enum { SLEEP_MS, SLEEP__MAX };

static const struct field sleep_fields[SLEEP__MAX] = {
    [SLEEP_MS] = {"ms", FIELD_INT, true, 0, 0, 3000},
};

/* Holds its pool thread on purpose: only for the graceful-stop test. */
static int slow(struct req *r, struct resp *w)
{
    int64_t ms = req_in(r, SLEEP_MS)->num;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    struct json j;

    nanosleep(&ts, NULL);
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "slept_ms");
    json_i64(&j, ms);
    json_obj_close(&j);
    return 0;
}

enum { COOKIE_VALUE, COOKIE__MAX };

static const struct field cookie_fields[COOKIE__MAX] = {
    [COOKIE_VALUE] = {"value", FIELD_TEXT, true, 64, 0, 0},
};

/* Set the cookie "probe" to a token-safe value, or refuse one that is not. */
static int cookie_set(struct req *r, struct resp *w)
{
    struct str v = req_in(r, COOKIE_VALUE)->text;

    for (size_t i = 0; i < v.len; i++) {
        char c = v.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return req_fail(r, E_INVAL, "value", "may hold only a-z, 0-9 and -");
    }
    resp_json(w);
    w->status = 204;
    resp_cookie(r, w, "probe", v, 3600);
    return 0;
}

/* Echo the cookies "probe" and "other" as the server parsed them. */
static int cookie_get(struct req *r, struct resp *w)
{
    struct json j;

    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "probe");
    json_str(&j, req_cookie(r, "probe"));
    json_key(&j, "other");
    json_str(&j, req_cookie(r, "other"));
    json_obj_close(&j);
    return 0;
}

/* Every route the server answers, for the policy matrix test (tests/http/policy.test.mjs). */
static int routes_list(struct req *r, struct resp *w)
{
    const struct router *rt = r->app->router;
    struct json j;

    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "routes");
    json_arr_open(&j);
    for (size_t i = 0; i < router_count(rt); i++) {
        const struct route *route = router_route(rt, i);

        if (route->flags & ROUTE_TEST_ONLY)
            continue;
        json_obj_open(&j);
        json_key(&j, "method");
        json_str_c(&j, http_method_name(route->method));
        json_key(&j, "pattern");
        json_str_c(&j, route->pattern);
        json_obj_close(&j);
    }
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

static const struct job_kind job_kinds[] = {
    {"testing.probe", testing_probe_run, 3, 0},
};

enum { JQ_KEY, JQ_PAYLOAD, JQ_RUN_AT, JQ__MAX };

static const struct field enqueue_fields[JQ__MAX] = {
    [JQ_KEY] = {"key", FIELD_TEXT, false, JOB_KEY_MAX, 0, 0},
    [JQ_PAYLOAD] = {"payload", FIELD_TEXT, true, JOB_PAYLOAD_MAX, 0, 0},
    [JQ_RUN_AT] = {"run_at", FIELD_INT, false, 0, 0, INT64_MAX},
};

/* Queue a probe job (as a feature would, in a transaction), then wake the worker. */
static int enqueue(struct req *r, struct resp *w)
{
    const struct value *key = req_in(r, JQ_KEY), *at = req_in(r, JQ_RUN_AT);
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = job_enqueue(db, "testing.probe", key->present ? key->text.ptr : NULL,
                     req_in(r, JQ_PAYLOAD)->text, at->present ? at->num : clock_unix());
    rc = db_tx_end(db, rc);
    if (rc)
        return rc;
    jobs_kick(r->app);
    resp_json(w);
    w->status = 201;
    BUF_LIT(&w->body, "{}");
    return 0;
}

static const struct route routes[] = {
    {HTTP_POST, "/api/v1/_test/jobs", enqueue, enqueue_fields, JQ__MAX, ROUTE_TEST_ONLY},
    {HTTP_GET, "/api/v1/_test/routes", routes_list, NULL, 0, ROUTE_TEST_ONLY | ROUTE_NO_SESSION},
    {HTTP_POST, "/api/v1/_test/cookie", cookie_set, cookie_fields, COOKIE__MAX, ROUTE_TEST_ONLY},
    {HTTP_GET, "/api/v1/_test/cookie", cookie_get, NULL, 0, ROUTE_TEST_ONLY},
    {HTTP_POST, "/api/v1/_test/echo", echo, echo_fields, ECHO__MAX, ROUTE_TEST_ONLY},
    {HTTP_GET, "/api/v1/_test/echo", echo, echo_fields, ECHO__MAX, ROUTE_TEST_ONLY},
    {HTTP_POST, "/_test/echo", echo, echo_fields, ECHO__MAX, ROUTE_TEST_ONLY},
    {HTTP_GET, "/api/v1/_test/sleep", slow, sleep_fields, SLEEP__MAX, ROUTE_TEST_ONLY},
};

const struct feature feature_testing = {
    .name = "testing",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .jobs = job_kinds,
    .njobs = ARRAY_LEN(job_kinds),
};
