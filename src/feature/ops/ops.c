#include "feature/ops/ops.h"

#include "app.h"
#include "core/alloc.h"
#include "core/json.h"
#include "db/db.h"
#include "http/server.h"

/* 200 when the database answers, 503 when it does not; JSON either way. */
static int healthz(struct req *r, struct resp *w)
{
    struct db *db = req_db(r);
    bool up = db && db_ping(db) == 0;
    struct json j;

    resp_json(w);
    w->status = up ? 200 : 503;
    resp_header(w, "Cache-Control", "no-store");
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "status");
    json_str_c(&j, up ? "ok" : "unavailable");
    json_key(&j, "db");
    json_str_c(&j, db_backend_name(r->app->backend));
    json_obj_close(&j);
    return 0;
}

static int metrics(struct req *r, struct resp *w)
{
    resp_text(w, "text/plain; version=0.0.4; charset=utf-8");
    resp_header(w, "Cache-Control", "no-store");
    return server_metrics(r->app->server, &w->body);
}

static const struct route routes[] = {
    {HTTP_GET, "/healthz", healthz, NULL, 0, ROUTE_NO_SESSION},
    {HTTP_GET, "/metrics", metrics, NULL, 0, ROUTE_NO_SESSION},
};

const struct feature feature_ops = {
    .name = "ops",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
