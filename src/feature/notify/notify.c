#include "feature/notify/notify.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/json.h"
#include "feature/notify/model.h"
#include "feature/profiles/profiles.h"
#include "feature/spaces/spaces.h"

static const char *const kind_names[NOTICE__MAX] = {
    [NOTICE_MENTION] = "mention", [NOTICE_REPLY] = "reply",       [NOTICE_ANSWERED] = "answered",
    [NOTICE_WATCHED] = "watched", [NOTICE_ACCEPTED] = "accepted", [NOTICE_REACTION] = "reaction",
};

const char *notice_kind_name(enum notice_kind k)
{
    return k < NOTICE__MAX ? kind_names[k] : "watched";
}

/* Telling ------------------------------------------------------------------ */

int notify_one(struct req *r, const struct space *s, enum notice_kind kind, int64_t user_id,
               int64_t topic_id, int64_t post_id)
{
    bool muted, can;
    int rc;

    if (!user_id || !r->actor || user_id == r->actor->id)
        return 0;
    rc = notice_muted(r, user_id, topic_id, s->id, &muted);
    if (rc || muted)
        return rc;
    rc = spaces_user_can(r, s, user_id, ACT_WATCH, &can);
    if (rc || !can)
        return rc;
    return notice_insert(r, notice_kind_name(kind), user_id, s->id, topic_id, post_id);
}

struct candidate {
    int64_t user_id;
    enum notice_kind kind;
};

struct candidates {
    struct candidate *at;
    size_t n, cap;
};

/* Add a person to tell, keeping their strongest reason. */
static void candidate(struct req *r, struct candidates *c, int64_t user_id, enum notice_kind k)
{
    if (!user_id)
        return;
    for (size_t i = 0; i < c->n; i++) {
        if (c->at[i].user_id == user_id) {
            if (k < c->at[i].kind)
                c->at[i].kind = k;
            return;
        }
    }
    c->at = arena_grow(&r->arena, c->at, c->n, &c->cap, sizeof(*c->at));
    c->at[c->n++] = (struct candidate){user_id, k};
}

int notify_new_post(struct req *r, const struct space *s, int64_t topic_id, int64_t post_id,
                    int64_t reply_author, int64_t asker, const struct str *mentions,
                    size_t nmentions)
{
    struct candidates c = {0};
    int64_t *watchers, id;
    size_t nwatchers;
    int rc = 0;

    for (size_t i = 0; i < nmentions && !rc; i++) {
        rc = user_id_of(r, mentions[i], &id);
        if (rc == E_NOTFOUND) {
            rc = 0; /* "@nobody" is text */
            continue;
        }
        if (!rc)
            candidate(r, &c, id, NOTICE_MENTION);
    }
    candidate(r, &c, reply_author, NOTICE_REPLY);
    candidate(r, &c, asker, NOTICE_ANSWERED);
    if (!rc)
        rc = notice_watchers(r, topic_id, s->id, &watchers, &nwatchers);
    for (size_t i = 0; !rc && i < nwatchers; i++)
        candidate(r, &c, watchers[i], NOTICE_WATCHED);
    for (size_t i = 0; !rc && i < c.n; i++)
        rc = notify_one(r, s, c.at[i].kind, c.at[i].user_id, topic_id, post_id);
    return rc;
}

/* Reading ------------------------------------------------------------------ */

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The ids of every space the caller may read, sorted, for visible(). */
static int readable(struct req *r, int64_t **ids, size_t *n)
{
    struct space *all;
    int rc = spaces_readable(r, &all, n);

    if (rc)
        return rc;
    *ids = arena_calloc(&r->arena, *n ? *n : 1, sizeof(**ids));
    for (size_t i = 0; i < *n; i++)
        (*ids)[i] = all[i].id;
    qsort(*ids, *n, sizeof(**ids), cmp_id);
    return 0;
}

static bool visible(const int64_t *ids, size_t n, int64_t space_id)
{
    return bsearch(&space_id, ids, n, sizeof(*ids), cmp_id) != NULL;
}

int notify_unread_count(struct req *r, int64_t *count)
{
    struct unread_in_space *u;
    int64_t *ids;
    size_t n, nids;
    int rc;

    *count = 0;
    if (!r->actor)
        return 0;
    rc = notices_unread(r, &u, &n);
    /* Nothing unread, the usual case, costs one query; else the policy decides. */
    if (rc || !n)
        return rc;
    rc = readable(r, &ids, &nids);
    for (size_t i = 0; !rc && i < n; i++)
        if (visible(ids, nids, u[i].space_id))
            *count += u[i].count;
    return rc;
}

/* API ---------------------------------------------------------------------- */

enum { NL_CURSOR, NL_UNREAD, NL__MAX };

static const struct field list_fields[NL__MAX] = {
    [NL_CURSOR] = {"cursor", FIELD_INT, false, 0, 1, INT64_MAX},
    [NL_UNREAD] = {"unread", FIELD_BOOL, false, 0, 0, 0},
};

#define NOTICES_PAGE 30

static void notice_json(struct json *j, const struct notice *x)
{
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, x->id);
    json_key(j, "kind");
    json_str(j, x->kind);
    json_key(j, "space");
    json_obj_open(j);
    json_key(j, "slug");
    json_str(j, x->space_slug);
    json_key(j, "name");
    json_str(j, x->space_name);
    json_obj_close(j);
    json_key(j, "topic");
    if (x->topic_id) {
        json_obj_open(j);
        json_key(j, "id");
        json_i64(j, x->topic_id);
        json_key(j, "title");
        json_str(j, x->topic_title);
        json_obj_close(j);
    } else {
        json_null(j);
    }
    json_key(j, "post");
    if (x->post_id) {
        json_obj_open(j);
        json_key(j, "id");
        json_i64(j, x->post_id);
        json_key(j, "number");
        json_i64(j, x->post_number);
        json_obj_close(j);
    } else {
        json_null(j);
    }
    profile_ref_json(j, "actor", x->actor_handle, x->actor_name);
    json_key(j, "count");
    json_i64(j, x->count);
    json_key(j, "created_at");
    json_i64(j, x->created_at);
    json_key(j, "read");
    json_bool(j, x->read_at != 0);
    json_obj_close(j);
}

int notify_visible_list(struct req *r, int64_t before, bool unread_only, struct notice **out,
                        size_t *n, int64_t *next)
{
    struct notice *all;
    size_t nall, nids;
    int64_t *ids;
    int rc = notices_list(r, before, NOTICES_PAGE, unread_only, &all, &nall);

    if (!rc)
        rc = readable(r, &ids, &nids);
    if (rc)
        return rc;
    *next = nall == NOTICES_PAGE ? all[nall - 1].id : 0;
    *out = all;
    *n = 0;
    for (size_t i = 0; i < nall; i++)
        if (visible(ids, nids, all[i].space_id))
            all[(*n)++] = all[i];
    return 0;
}

static int list_api(struct req *r, struct resp *w)
{
    struct notice *x;
    size_t n;
    int64_t next, unread;
    struct json j;
    int rc = notify_visible_list(
        r, req_in(r, NL_CURSOR)->present ? req_in(r, NL_CURSOR)->num : INT64_MAX,
        req_in(r, NL_UNREAD)->flag, &x, &n, &next);

    if (!rc)
        rc = notify_unread_count(r, &unread);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "unread");
    json_i64(&j, unread);
    json_key(&j, "notifications");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        notice_json(&j, &x[i]);
    json_arr_close(&j);
    json_key(&j, "next_cursor");
    json_i64_or_null(&j, next);
    json_obj_close(&j);
    return 0;
}

enum { NR_ID, NR_ALL, NR__MAX };

static const struct field read_fields[NR__MAX] = {
    [NR_ID] = {"id", FIELD_INT, false, 0, 1, INT64_MAX},
    [NR_ALL] = {"all", FIELD_BOOL, false, 0, 0, 0},
};

static int read_api(struct req *r, struct resp *w)
{
    int64_t unread, changed = 0;
    struct json j;
    int rc;

    if (req_in(r, NR_ID)->present) {
        rc = notice_read(r, req_in(r, NR_ID)->num);
        if (rc == E_NOTFOUND)
            return req_fail(r, E_NOTFOUND, "id", "there is no such unread notification");
        changed = 1;
    } else if (req_in(r, NR_ALL)->flag) {
        rc = notices_read_all(r, &changed);
    } else {
        return req_fail(r, E_INVAL, "id", "name a notification, or send all: true");
    }
    if (!rc)
        rc = notify_unread_count(r, &unread);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "marked");
    json_i64(&j, changed);
    json_key(&j, "unread");
    json_i64(&j, unread);
    json_obj_close(&j);
    return 0;
}

static const struct route routes[] = {
    {HTTP_GET, "/api/v1/notifications", list_api, list_fields, NL__MAX, ROUTE_AUTH},
    {HTTP_POST, "/api/v1/notifications/read", read_api, read_fields, NR__MAX, ROUTE_AUTH},
};

const struct feature feature_notify = {
    .name = "notify",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
