#include "feature/instance/instance.h"

#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "db/db.h"
#include "feature/activity/activity.h"

int instance_settings_get(struct db *db, struct arena *a, struct instance_settings *out)
{
    struct db_rows rows;
    int rc, more;

    out->name = STR_LIT("Praxis");
    out->tagline = STR_NULL;
    out->signup_open = true;
    out->admins_create_communities = false;
    rc = db_query(db, STMT_SETTINGS_ALL, NULL, 0, &rows);
    if (rc)
        return rc;
    while ((more = db_next(&rows)) > 0) {
        struct str key = db_col_text(&rows, 0, a), value = db_col_text(&rows, 1, a);

        if (str_eq_c(key, "name"))
            out->name = value;
        else if (str_eq_c(key, "tagline"))
            out->tagline = value;
        else if (str_eq_c(key, "signup"))
            out->signup_open = !str_eq_c(value, "invite");
        else if (str_eq_c(key, "community_creators"))
            out->admins_create_communities = str_eq_c(value, "admins");
    }
    db_rows_done(&rows);
    return more < 0 ? more : 0;
}

/* This thread's copy of the settings; strings kept only when they fit. */
static _Thread_local struct {
    bool valid;
    int64_t at_us;
    struct instance_settings s;
    char name[384];
    char tagline[1024];
} cached;

int instance_settings_now(struct req *r, struct instance_settings *out)
{
    int64_t now = clock_mono_us();
    struct db *db;
    int rc;

    if (cached.valid && now - cached.at_us < 1000000) {
        *out = cached.s;
        out->name =
            str_make(arena_strndup(&r->arena, cached.name, cached.s.name.len), cached.s.name.len);
        out->tagline = str_make(arena_strndup(&r->arena, cached.tagline, cached.s.tagline.len),
                                cached.s.tagline.len);
        return 0;
    }
    db = req_db(r);
    if (!db)
        return E_UNAVAIL;
    rc = instance_settings_get(db, &r->arena, out);
    if (rc)
        return rc;
    cached.valid = out->name.len < sizeof(cached.name) && out->tagline.len < sizeof(cached.tagline);
    if (cached.valid) {
        cached.s = *out;
        if (out->name.len)
            memcpy(cached.name, out->name.ptr, out->name.len);
        if (out->tagline.len)
            memcpy(cached.tagline, out->tagline.ptr, out->tagline.len);
        cached.at_us = now;
    }
    return 0;
}

static const char *check(const char *key, struct str v)
{
    if (strcmp(key, "name") == 0)
        return str_trim(v).len == 0 || v.len > 80 ? "must be 1 to 80 characters" : NULL;
    if (strcmp(key, "signup") == 0)
        return str_eq_c(v, "open") || str_eq_c(v, "invite") ? NULL : "must be open or invite";
    if (strcmp(key, "community_creators") == 0)
        return str_eq_c(v, "anyone") || str_eq_c(v, "admins") ? NULL : "must be anyone or admins";
    return "is not a setting: name, signup or community_creators";
}

int instance_setting_set(struct db *db, int64_t actor, const char *key, struct str value,
                         const char **msg)
{
    int rc;

    *msg = check(key, value);
    if (*msg)
        return E_INVAL;
    if (strcmp(key, "name") == 0)
        value = str_trim(value);
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_SETTING_PUT,
                 (struct db_param[]){DB_TEXTC(key), DB_TEXT(value), DB_INT(clock_unix())}, 3, NULL);
    if (!rc)
        rc = activity_add(db, actor, "setting", key, 0, 0);
    if (rc) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

static int answer(struct req *r, struct resp *w, struct db *db)
{
    struct instance_settings s;
    struct json j;
    int rc = instance_settings_get(db, &r->arena, &s);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "instance");
    json_obj_open(&j);
    json_key(&j, "name");
    json_str(&j, s.name);
    json_key(&j, "signup");
    json_str_c(&j, s.signup_open ? "open" : "invite");
    json_key(&j, "community_creators");
    json_str_c(&j, s.admins_create_communities ? "admins" : "anyone");
    json_obj_close(&j);
    json_obj_close(&j);
    return 0;
}

static int show(struct req *r, struct resp *w)
{
    struct db *db = req_db(r);

    return db ? answer(r, w, db) : E_UNAVAIL;
}

enum { IS_NAME, IS_SIGNUP, IS_CREATORS, IS__MAX };

static const struct field edit_fields[IS__MAX] = {
    [IS_NAME] = {"name", FIELD_TEXT, false, 80, 0, 0},
    [IS_SIGNUP] = {"signup", FIELD_TEXT, false, 10, 0, 0},
    [IS_CREATORS] = {"community_creators", FIELD_TEXT, false, 10, 0, 0},
};

static int edit(struct req *r, struct resp *w)
{
    static const char *const keys[IS__MAX] = {"name", "signup", "community_creators"};
    struct db *db = req_db(r);
    const char *msg;
    int rc = 0;

    if (!r->actor->is_admin)
        return req_fail(r, E_PERM, NULL, "only instance admins change the instance's settings");
    if (!db)
        return E_UNAVAIL;
    for (int i = 0; i < IS__MAX; i++)
        if (req_in(r, (size_t)i)->present && check(keys[i], req_in(r, (size_t)i)->text))
            rc = req_fail(r, E_INVAL, keys[i], check(keys[i], req_in(r, (size_t)i)->text));
    for (int i = 0; !rc && i < IS__MAX; i++)
        if (req_in(r, (size_t)i)->present)
            rc = instance_setting_set(db, r->actor->id, keys[i], req_in(r, (size_t)i)->text, &msg);
    if (rc)
        return rc;
    return answer(r, w, db);
}

static const struct route routes[] = {
    {HTTP_GET, "/api/v1/instance", show, NULL, 0, 0},
    {HTTP_PATCH, "/api/v1/instance", edit, edit_fields, IS__MAX, ROUTE_AUTH},
};

const struct feature feature_instance = {
    .name = "instance",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
