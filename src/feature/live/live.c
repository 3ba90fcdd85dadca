/*
 * Live (see live.h): publishing events, the stream, presence, and this
 * node among the others.
 *
 * Threads: live_emit() and the stream's handler run on the server's pool
 * threads; the stream's read runs there too, one connection at a time.
 * Presence, the heartbeat and (on PostgreSQL) LISTEN run on the hub's
 * thread (http/hub.h) through its hooks, with their own database
 * connection, so none of it ever waits in a request.
 */
#include "feature/live/live.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/rand.h"
#include "db/db.h"
#include "feature/chat/chat.h"
#include "feature/discuss/discuss.h"
#include "feature/jobs/jobs.h"
#include "feature/live/views.h"
#include "feature/spaces/spaces.h"
#include "http/hub.h"
#include "http/session.h"

#define LIVE_REPLAY_MAX  1000 /* events replayed from the database; beyond, reload */
#define LIVE_SUBS_MAX    16   /* spaces, topics or channels one stream may name, each */
#define LIVE_LEAVE_GRACE 8    /* seconds someone stays "here" after their page closed */
#define LIVE_KEEP_EVENTS ((int64_t)2 * 86400)

/* Presence: one person on one page of this node (hub thread only). */
enum page_kind { PAGE_ONLINE, PAGE_SPACE, PAGE_TOPIC, PAGE_CHANNEL };

struct who {
    int64_t user_id;
    enum page_kind kind;
    int64_t page_id, space_id; /* the page, and the space it is in (0: none shown) */
    bool has_page;
    char *handle, *name;
};

struct pres {
    struct pres *next;       /* in its bucket */
    struct pres *next_dirty; /* in live->dirty */
    int64_t user_id;
    enum page_kind kind;
    int64_t page_id, space_id;
    long count;
    bool in_db, dirty;
    int64_t zero_since_us;
    char *handle, *name;
};

#define PRES_BUCKETS 4096

struct live {
    struct app *app;
    struct hub *hub;
    char node[17];
    int lockfd;
    /* The hub thread's own. */
    struct db *db;
    bool listening;
    bool catch_up;     /* the LISTEN connection was lost: read what went by meanwhile */
    uint64_t session;  /* the connection's session when it began to listen */
    int64_t lost_from; /* the newest event the hub had seen when it was lost */
    int64_t retry_us, beat_us;
    struct pres *buckets[PRES_BUCKETS];
    struct pres *dirty;
};

/* Publishing --------------------------------------------------------------- */

struct pending {
    struct hub *hub;
    struct hub_event *e;
};

static void publish_after(void *arg, bool committed)
{
    struct pending *p = arg;

    if (committed)
        hub_publish(p->hub, p->e);
    else
        hub_event_unref(p->e);
    free(p);
}

int live_emit(struct app *a, struct db *db, const struct live_event *ev)
{
    struct live *lv = a ? a->live : NULL;
    struct db_param p[] = {DB_TEXTC(ev->type),     DB_INT(ev->space_id), DB_INT(ev->topic_id),
                           DB_INT(ev->channel_id), DB_INT(ev->user_id),  DB_TEXT(ev->data),
                           DB_INT(clock_unix())};
    int64_t id;
    int rc;

    if (NEVER(!db_in_tx(db)))
        return E_DB;
    if (ev->data.len > LIVE_DATA_MAX)
        return E_TOOBIG;
    rc = db_query_int(db, STMT_LIVE_EVENT_INSERT, p, ARRAY_LEN(p), &id);
    if (rc)
        return rc;
    if (db_backend(db) == DB_PG) {
        char payload[64];

        snprintf(payload, sizeof(payload), "%s:%lld", lv ? lv->node : "cli", (long long)id);
        rc = db_exec(db, STMT_LIVE_NOTIFY, (struct db_param[]){DB_TEXTC(payload)}, 1, NULL);
        if (rc)
            return rc;
    }
    if (lv && lv->hub) {
        struct pending *pd = xmalloc(sizeof(*pd));

        pd->hub = lv->hub;
        pd->e = hub_event_new(id, ev->type, ev->space_id, ev->topic_id, ev->channel_id, ev->user_id,
                              ev->data);
        if (NEVER(!pd->e)) {
            free(pd);
            return E_INVAL;
        }
        db_on_end(db, publish_after, pd);
    }
    return 0;
}

/* The event of a live_events row (LIVE_EVENT_COLS), or NULL when it is not one. */
static struct hub_event *event_of_row(struct db_rows *rows, struct arena *a)
{
    return hub_event_new(db_col_int(rows, 0), db_col_text(rows, 1, a).ptr, db_col_int(rows, 2),
                         db_col_int(rows, 3), db_col_int(rows, 4), db_col_int(rows, 5),
                         db_col_text(rows, 6, a));
}

/* The stream ----------------------------------------------------------------- */

struct sconn {
    struct live *lv;
    struct hub_sub *sub;
    char *pre; /* what goes first: the greeting and the replay */
    size_t prelen, preoff;
    const char *tail; /* the last words before the end (static) */
    size_t tailoff;
    bool over;
    struct hub_event *cur;
    size_t off;
    int64_t skip_upto; /* replayed from the database already */
};

static const char frame_ping[] = ": ping\n\n";
static const char frame_reset[] =
    "event: reset\ndata: {\"type\":\"reset\",\"reason\":\"the stream fell too far behind\"}\n\n";
static const char frame_reload[] =
    "event: reload\ndata: {\"type\":\"reload\",\"reason\":\"too much was missed\"}\n\n";

static size_t put(char *out, size_t room, const char *src, size_t len, size_t *off)
{
    size_t n = len - *off;

    if (n > room)
        n = room;
    memcpy(out, src + *off, n);
    *off += n;
    return n;
}

static long stream_read(void *ctx, char *out, size_t max)
{
    struct sconn *c = ctx;
    size_t n = 0;

    while (n < max) {
        enum hub_sub_state st;
        struct hub_event *e;

        if (c->preoff < c->prelen) {
            n += put(out + n, max - n, c->pre, c->prelen, &c->preoff);
            continue;
        }
        if (c->cur) {
            n += put(out + n, max - n, c->cur->frame, c->cur->len, &c->off);
            if (c->off == c->cur->len) {
                hub_event_unref(c->cur);
                c->cur = NULL;
            }
            continue;
        }
        if (c->tail) {
            n += put(out + n, max - n, c->tail, strlen(c->tail), &c->tailoff);
            if (c->tailoff == strlen(c->tail)) {
                c->tail = NULL;
                c->over = true;
            }
            continue;
        }
        if (c->over)
            return n ? (long)n : -1;
        st = hub_sub_state(c->sub);
        if (st == HUB_SUB_CLOSING) {
            c->over = true;
            continue;
        }
        if (st == HUB_SUB_OVERFLOW || st == HUB_SUB_RELOAD) {
            c->tail = st == HUB_SUB_OVERFLOW ? frame_reset : frame_reload;
            continue;
        }
        e = hub_sub_next(c->sub);
        if (e) {
            if (e->id <= c->skip_upto) {
                hub_event_unref(e);
                continue;
            }
            c->cur = e;
            c->off = 0;
            continue;
        }
        if (hub_sub_ping_due(c->sub)) {
            free(c->pre);
            c->pre = xstrdup(frame_ping);
            c->prelen = sizeof(frame_ping) - 1;
            c->preoff = 0;
            continue;
        }
        break;
    }
    return (long)n;
}

static void stream_close(void *ctx)
{
    struct sconn *c = ctx;

    if (c->sub)
        hub_unsubscribe(c->lv->hub, c->sub);
    hub_event_unref(c->cur);
    free(c->pre);
    free(c);
}

static const struct stream_ops stream_ops = {stream_read, stream_close};

enum { ST_SPACES, ST_TOPICS, ST_CHANNELS, ST_HERE, ST_LAST, ST__MAX };
static const struct field stream_fields[] = {
    [ST_SPACES] = {"spaces", FIELD_LIST, false, 40, 0, LIVE_SUBS_MAX},
    [ST_TOPICS] = {"topics", FIELD_LIST, false, 20, 0, LIVE_SUBS_MAX},
    [ST_CHANNELS] = {"channels", FIELD_LIST, false, 20, 0, LIVE_SUBS_MAX},
    [ST_HERE] = {"here", FIELD_TEXT, false, 64, 0, 0},
    [ST_LAST] = {"last_event_id", FIELD_INT, false, 0, 0, INT64_MAX},
};

static int parse_id(struct req *r, const char *field, struct str s, int64_t *id)
{
    if (str_to_i64(s, id) || *id <= 0)
        return req_fail(r, E_INVAL, field, "must be numbers (ids) separated by commas");
    return 0;
}

/* Resolve one page (here) or subscription; 404 naming field when it may not be seen. */
static int open_space(struct req *r, const char *field, struct str slug, int64_t *space_id)
{
    struct space s;
    int rc = spaces_open(r, slug, ACT_READ, &s);

    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, field, "there is no such space");
    if (rc)
        return rc;
    *space_id = s.id;
    return 0;
}

static int open_topic(struct req *r, const char *field, int64_t id, int64_t *space_id)
{
    struct topic t;
    struct space s;
    int rc = discuss_open_topic(r, id, ACT_READ, &t, &s);

    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, field, "there is no such topic");
    if (rc)
        return rc;
    *space_id = s.id;
    return 0;
}

static int open_channel(struct req *r, const char *field, int64_t id, int64_t *space_id)
{
    int rc = chat_open_channel(r, id, space_id);

    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, field, "there is no such channel");
    return rc;
}

/* "space:SLUG", "topic:ID" or "channel:ID": the page the stream's reader is on. */
static int here_in(struct req *r, const char *field, struct str here, struct who *w)
{
    int64_t id = 0, sp = 0;
    int rc;

    if (str_starts_with(here, STR_LIT("space:"))) {
        rc = open_space(r, field, str_make(here.ptr + 6, here.len - 6), &sp);
        w->kind = PAGE_SPACE;
        id = sp;
    } else if (str_starts_with(here, STR_LIT("topic:"))) {
        rc = parse_id(r, field, str_make(here.ptr + 6, here.len - 6), &id);
        if (!rc)
            rc = open_topic(r, field, id, &sp);
        w->kind = PAGE_TOPIC;
    } else if (str_starts_with(here, STR_LIT("channel:"))) {
        rc = parse_id(r, field, str_make(here.ptr + 8, here.len - 8), &id);
        if (!rc)
            rc = open_channel(r, field, id, &sp);
        /* A channel's presence stays with its subscribers: not listed in its space. */
        sp = 0;
        w->kind = PAGE_CHANNEL;
    } else {
        return req_fail(r, E_INVAL, field, "must be space:SLUG, topic:ID or channel:ID");
    }
    if (rc)
        return rc;
    w->page_id = id;
    w->space_id = sp;
    w->has_page = true;
    return 0;
}

/* Events after `after` from the database that the keys let through, into b. */
static int replay_db(struct req *r, const uint64_t *keys, size_t nkeys, int64_t after,
                     struct buf *b, int64_t *last, bool *too_many)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc, n = 0;

    *last = after;
    *too_many = false;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_LIVE_EVENTS_AFTER,
                  (struct db_param[]){DB_INT(after), DB_INT(LIVE_REPLAY_MAX + 1)}, 2, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct hub_event *e;

        if (++n > LIVE_REPLAY_MAX) {
            *too_many = true;
            break;
        }
        *last = db_col_int(&rows, 0);
        e = event_of_row(&rows, &r->arena);
        if (e && hub_event_for(e, keys, nkeys))
            buf_append(b, e->frame, e->len);
        hub_event_unref(e);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

static char *strndup_x(struct str s)
{
    char *p = xmalloc(s.len + 1);

    memcpy(p, s.ptr, s.len);
    p[s.len] = '\0';
    return p;
}

static int stream_api(struct req *r, struct resp *w)
{
    struct live *lv = r->app->live;
    const struct value *sp = req_in(r, ST_SPACES), *tp = req_in(r, ST_TOPICS);
    const struct value *ch = req_in(r, ST_CHANNELS), *here = req_in(r, ST_HERE);
    uint64_t keys[1 + 3 * LIVE_SUBS_MAX];
    size_t nkeys = 0;
    int64_t after = -1, id = 0, space_id = 0, hidden = 0;
    struct who *who;
    struct sconn *c;
    struct buf pre;
    size_t greeting;
    struct stream *st;
    struct str hdr;
    int rc;

    if (!lv || !lv->hub)
        return req_fail_status(r, 503, "live streams are not served by this process");
    keys[nkeys++] = HUB_KEY(HUB_KEY_USER, r->actor->id);
    for (size_t i = 0; sp->present && i < sp->nitems; i++) {
        rc = open_space(r, "spaces", sp->items[i], &space_id);
        if (rc)
            return rc;
        keys[nkeys++] = HUB_KEY(HUB_KEY_SPACE, space_id);
    }
    for (size_t i = 0; tp->present && i < tp->nitems; i++) {
        rc = parse_id(r, "topics", tp->items[i], &id);
        if (!rc)
            rc = open_topic(r, "topics", id, &space_id);
        if (rc)
            return rc;
        keys[nkeys++] = HUB_KEY(HUB_KEY_TOPIC, id);
    }
    for (size_t i = 0; ch->present && i < ch->nitems; i++) {
        rc = parse_id(r, "channels", ch->items[i], &id);
        if (!rc)
            rc = open_channel(r, "channels", id, &space_id);
        if (rc)
            return rc;
        keys[nkeys++] = HUB_KEY(HUB_KEY_CHANNEL, id);
    }
    who = xcalloc(1, sizeof(*who));
    who->user_id = r->actor->id;
    if (here->present && here->text.len) {
        rc = here_in(r, "here", here->text, who);
        if (rc) {
            free(who);
            return rc;
        }
    }
    /* EventSource sends Last-Event-ID on its own when it reconnects. */
    hdr = req_header(r, "Last-Event-ID");
    if (hdr.len) {
        if (str_to_i64(hdr, &after) || after < 0) {
            free(who);
            return req_fail(r, E_INVAL, "Last-Event-ID", "must be the id of an event");
        }
    } else if (req_in(r, ST_LAST)->present) {
        after = req_in(r, ST_LAST)->num;
    }
    rc = db_query_int(req_db(r), STMT_LIVE_USER_HIDDEN, (struct db_param[]){DB_INT(r->actor->id)},
                      1, &hidden);
    if (rc) {
        free(who);
        return rc;
    }
    c = xcalloc(1, sizeof(*c));
    c->lv = lv;
    c->skip_upto = -1;
    buf_init(&pre, &r->arena, (size_t)64 * 1024 * 1024);
    buf_puts(&pre, "retry: 2000\n: welcome\n\n");
    greeting = pre.len;
    if (after >= 0 && after < hub_floor(lv->hub)) {
        bool too_many;
        int64_t last;

        rc = replay_db(r, keys, nkeys, after, &pre, &last, &too_many);
        if (rc) {
            free(who);
            free(c);
            return rc;
        }
        if (too_many) { /* no half replay: the greeting, then reload */
            pre.len = greeting;
            buf_puts(&pre, frame_reload);
            c->over = true;
        }
        c->skip_upto = last;
        after = last > hub_floor(lv->hub) ? last : hub_floor(lv->hub);
    }
    c->pre = xmalloc(pre.len + 1);
    memcpy(c->pre, pre.ptr, pre.len);
    c->prelen = pre.len;
    if (!hidden) {
        who->handle = strndup_x(r->actor->handle);
        who->name = strndup_x(r->actor->name);
    } else {
        who->user_id = 0; /* appears offline: counted nowhere */
    }
    st = resp_stream(r, w, "text/event-stream; charset=utf-8", &stream_ops, c);
    c->sub = hub_subscribe(lv->hub, keys, nkeys, after, r->app->cfg->live_queue, st, who);
    return 0;
}

/* Presence (hub thread) ---------------------------------------------------- */

static size_t pres_bucket(int64_t user, enum page_kind kind, int64_t page)
{
    uint64_t h = (uint64_t)user * 0x9e3779b97f4a7c15ULL ^ (uint64_t)page * 0xc2b2ae3d27d4eb4fULL ^
                 (uint64_t)kind;

    return (size_t)(h >> 40) % PRES_BUCKETS;
}

static struct pres *pres_get(struct live *lv, const struct who *w, enum page_kind kind,
                             int64_t page, int64_t space)
{
    size_t b = pres_bucket(w->user_id, kind, page);
    struct pres *p;

    for (p = lv->buckets[b]; p; p = p->next)
        if (p->user_id == w->user_id && p->kind == kind && p->page_id == page)
            return p;
    p = xcalloc(1, sizeof(*p));
    p->user_id = w->user_id;
    p->kind = kind;
    p->page_id = page;
    p->space_id = space;
    p->handle = xstrdup(w->handle);
    p->name = xstrdup(w->name);
    p->next = lv->buckets[b];
    lv->buckets[b] = p;
    return p;
}

static void pres_count(struct live *lv, struct pres *p, long delta)
{
    p->count += delta;
    if (p->count == 0)
        p->zero_since_us = clock_mono_us();
    if (!p->dirty) {
        p->dirty = true;
        p->next_dirty = lv->dirty;
        lv->dirty = p;
    }
}

static void pres_change(struct live *lv, const struct who *w, long delta)
{
    if (!w->user_id)
        return;
    pres_count(lv, pres_get(lv, w, PAGE_ONLINE, 0, 0), delta);
    if (w->has_page)
        pres_count(lv, pres_get(lv, w, w->kind, w->page_id, w->space_id), delta);
}

static void on_added(void *arg, void *owner)
{
    pres_change(arg, owner, 1);
}

static void on_removed(void *arg, void *owner)
{
    struct who *w = owner;

    pres_change(arg, w, -1);
    free(w->handle);
    free(w->name);
    free(w);
}

static void page_text(enum page_kind kind, int64_t id, char out[32])
{
    static const char *const names[] = {"", "space", "topic", "channel"};

    if (kind == PAGE_ONLINE)
        out[0] = '\0';
    else
        snprintf(out, 32, "%s:%lld", names[kind], (long long)id);
}

static void person_json(struct json *j, struct str handle, struct str name)
{
    json_key(j, "handle");
    json_str(j, handle);
    json_key(j, "name");
    json_str(j, name);
}

/*
 * Tell a page's readers that someone arrived on it or left it: routed by
 * the page (a channel's stays with its subscribers), in db's transaction.
 */
static int emit_presence(struct app *a, struct db *db, struct arena *ar, struct str handle,
                         struct str name, const struct pres *p, bool here)
{
    struct live_event ev = {.type = "presence"};
    struct buf b;
    struct json j;
    char page[32];

    page_text(p->kind, p->page_id, page);
    buf_init(&b, ar, 4096);
    json_init(&j, &b);
    json_obj_open(&j);
    json_key(&j, "user");
    json_obj_open(&j);
    person_json(&j, handle, name);
    json_obj_close(&j);
    json_key(&j, "page");
    json_str_c(&j, page);
    json_key(&j, "state");
    json_str_c(&j, here ? "here" : "gone");
    json_obj_close(&j);
    ev.data = buf_str(&b);
    if (p->kind == PAGE_CHANNEL) {
        ev.channel_id = p->page_id;
    } else {
        ev.topic_id = p->kind == PAGE_TOPIC ? p->page_id : 0;
        ev.space_id = p->space_id;
    }
    return live_emit(a, db, &ev);
}

/* The presence event for p (who arrived on or left a page), unless they appear offline. */
static int pres_event(struct live *lv, struct pres *p, bool here, struct arena *a)
{
    int64_t hidden = 0;
    int rc;

    if (p->kind == PAGE_ONLINE)
        return 0;
    rc = db_query_int(lv->db, STMT_LIVE_USER_HIDDEN, (struct db_param[]){DB_INT(p->user_id)}, 1,
                      &hidden);
    if (rc || hidden)
        return rc == E_NOTFOUND ? 0 : rc;
    return emit_presence(lv->app, lv->db, a, str_c(p->handle), str_c(p->name), p, here);
}

static void pres_unlink(struct live *lv, struct pres *gone)
{
    size_t b = pres_bucket(gone->user_id, gone->kind, gone->page_id);

    for (struct pres **pp = &lv->buckets[b]; *pp; pp = &(*pp)->next) {
        if (*pp == gone) {
            *pp = gone->next;
            break;
        }
    }
    free(gone->handle);
    free(gone->name);
    free(gone);
}

/* Write what changed since the last flush, with the events it makes, in one transaction. */
static int pres_flush(struct live *lv, int64_t now_us)
{
    struct pres *list = lv->dirty, *keep = NULL, *next;
    struct arena a;
    int64_t now = clock_unix();
    int rc;

    if (!list)
        return 0;
    rc = db_tx_begin(lv->db);
    if (rc)
        return rc;
    arena_init(&a);
    lv->dirty = NULL;
    for (struct pres *p = list; p; p = next) {
        char page[32];

        next = p->next_dirty;
        p->next_dirty = NULL;
        p->dirty = false;
        page_text(p->kind, p->page_id, page);
        if (p->count > 0 && !p->in_db) {
            rc = db_exec(lv->db, STMT_LIVE_PRESENCE_ADD,
                         (struct db_param[]){DB_TEXTC(lv->node), DB_INT(p->user_id), DB_TEXTC(page),
                                             DB_INT(p->space_id), DB_INT(now)},
                         5, NULL);
            if (!rc && p->kind == PAGE_ONLINE)
                rc = db_exec(lv->db, STMT_LIVE_USER_ACTIVE,
                             (struct db_param[]){DB_INT(p->user_id), DB_INT(now)}, 2, NULL);
            if (!rc)
                rc = pres_event(lv, p, true, &a);
            p->in_db = true;
        } else if (p->count == 0 && now_us - p->zero_since_us < LIVE_LEAVE_GRACE * 1000000LL) {
            p->dirty = true; /* not yet: they may be on their way to another page */
            p->next_dirty = keep;
            keep = p;
        } else if (p->count == 0) {
            if (p->in_db) {
                rc = db_exec(
                    lv->db, STMT_LIVE_PRESENCE_DEL,
                    (struct db_param[]){DB_TEXTC(lv->node), DB_INT(p->user_id), DB_TEXTC(page)}, 3,
                    NULL);
                if (!rc)
                    rc = pres_event(lv, p, false, &a);
            }
            pres_unlink(lv, p);
        }
        if (rc)
            break;
    }
    /* What was not reached (after an error) waits for the next flush. */
    for (struct pres *p = next; rc && p; p = next) {
        next = p->next_dirty;
        p->next_dirty = keep;
        keep = p;
    }
    lv->dirty = keep;
    arena_release(&a);
    rc = db_tx_end(lv->db, rc);
    if (rc)
        log_warn("live: presence not saved: %s", db_errmsg(lv->db));
    return rc;
}

/* This node among the others (hub thread) -------------------------------- */

static void on_notify(void *arg, const char *payload)
{
    struct live *lv = arg;
    const char *colon = strchr(payload, ':');
    int64_t id;
    struct db_rows rows;
    struct arena a;

    if (!colon || ((size_t)(colon - payload) == strlen(lv->node) &&
                   !memcmp(payload, lv->node, strlen(lv->node))))
        return; /* ours: published here after its commit */
    if (str_to_i64(str_c(colon + 1), &id))
        return;
    arena_init(&a);
    if (!db_query(lv->db, STMT_LIVE_EVENT_GET, (struct db_param[]){DB_INT(id)}, 1, &rows)) {
        if (db_next(&rows) > 0) {
            struct hub_event *e = event_of_row(&rows, &a);

            if (e)
                hub_publish(lv->hub, e);
        }
        db_rows_done(&rows);
    }
    arena_release(&a);
}

static void drop_db(struct live *lv)
{
    if (lv->listening && !lv->catch_up) {
        lv->catch_up = true;
        lv->lost_from = hub_newest(lv->hub);
    }
    db_close(lv->db);
    lv->db = NULL;
    lv->listening = false;
    lv->retry_us = clock_mono_us() + 1000000;
}

static void drain(struct live *lv)
{
    if (lv->db && lv->listening && db_notifications(lv->db, on_notify, lv)) {
        log_warn("live: lost the connection that listens to other nodes: %s", db_errmsg(lv->db));
        drop_db(lv);
    }
}

static int hook_fd(void *arg)
{
    struct live *lv = arg;

    return lv->db && lv->listening ? db_socket(lv->db) : -1;
}

static void hook_readable(void *arg)
{
    drain(arg);
}

/*
 * Back after the LISTEN connection was lost: publish the other nodes'
 * events stored meanwhile (this node's own, and those that arrived before,
 * the hub remembers); when too many went by, every stream reloads.
 */
static void catch_up(struct live *lv)
{
    struct db_rows rows;
    struct arena a;
    int n = 0, published = 0, rc;

    rc =
        db_query(lv->db, STMT_LIVE_EVENTS_AFTER,
                 (struct db_param[]){DB_INT(lv->lost_from), DB_INT(LIVE_REPLAY_MAX + 1)}, 2, &rows);
    if (rc)
        return; /* tried again at the next tick */
    arena_init(&a);
    while ((rc = db_next(&rows)) > 0 && ++n <= LIVE_REPLAY_MAX) {
        struct hub_event *e;

        if (hub_remembers(lv->hub, db_col_int(&rows, 0)) || !(e = event_of_row(&rows, &a)))
            continue;
        hub_publish(lv->hub, e);
        published++;
    }
    db_rows_done(&rows);
    arena_release(&a);
    if (rc < 0)
        return;
    if (n > LIVE_REPLAY_MAX)
        hub_reload_all(lv->hub);
    log_info("live: listening to other nodes again (%d event%s caught up)", published,
             published == 1 ? "" : "s");
    lv->catch_up = false;
}

/* Listen to the other nodes on the hub's connection (PostgreSQL; nothing on SQLite). */
static int listen_others(struct live *lv)
{
    int rc;

    if (db_backend(lv->db) != DB_PG)
        return 0;
    rc = db_exec(lv->db, STMT_LIVE_APP_NAME, NULL, 0, NULL);
    if (!rc)
        rc = db_exec(lv->db, STMT_LIVE_LISTEN, NULL, 0, NULL);
    lv->listening = !rc;
    lv->session = db_session(lv->db);
    return rc;
}

static void beat(struct live *lv)
{
    int64_t now = clock_unix(), cutoff = now - lv->app->cfg->live_node_timeout;
    int rc;

    rc = db_exec(lv->db, STMT_LIVE_NODE_BEAT, (struct db_param[]){DB_TEXTC(lv->node), DB_INT(now)},
                 2, NULL);
    if (!rc)
        rc = db_exec(lv->db, STMT_LIVE_PRESENCE_OF_GONE, (struct db_param[]){DB_INT(cutoff)}, 1,
                     NULL);
    if (!rc)
        rc = db_exec(lv->db, STMT_LIVE_NODES_GONE, (struct db_param[]){DB_INT(cutoff)}, 1, NULL);
    if (rc)
        log_warn("live: heartbeat: %s", db_errmsg(lv->db));
}

static void hook_tick(void *arg, int64_t now_us)
{
    struct live *lv = arg;
    char err[256];

    if (!lv->db) {
        if (now_us < lv->retry_us)
            return;
        if (db_open(&lv->db, lv->app->db_url, err, sizeof(err))) {
            log_warn("live: %s", err);
            lv->db = NULL;
            lv->retry_us = now_us + 2000000;
            return;
        }
        if (listen_others(lv)) {
            log_warn("live: cannot listen to other nodes: %s", db_errmsg(lv->db));
            drop_db(lv);
            return;
        }
        lv->beat_us = 0;
    }
    if (lv->listening && db_session(lv->db) != lv->session) {
        /* The connection was made again by itself, and forgot its LISTEN. */
        lv->catch_up = true;
        lv->lost_from = hub_newest(lv->hub);
        if (listen_others(lv)) {
            drop_db(lv);
            return;
        }
    }
    if (lv->catch_up && lv->listening)
        catch_up(lv);
    if (now_us >= lv->beat_us) {
        unsigned every = lv->app->cfg->live_node_timeout / 4;

        beat(lv);
        lv->beat_us = now_us + (int64_t)(every ? every : 1) * 1000000;
    }
    pres_flush(lv, now_us);
    drain(lv); /* notifications that came in while the statements above ran */
}

/* Start and stop ------------------------------------------------------------ */

/* SQLite serves one node: hold a lock beside the database file while serving. */
static int lock_sqlite(struct live *lv)
{
    const char *url = lv->app->db_url + strlen("sqlite:");
    size_t n = strcspn(url, "?");
    char path[4096], pid[32];

    if ((size_t)snprintf(path, sizeof(path), "%.*s.serve-lock", (int)n, url) >= sizeof(path))
        return E_INVAL;
    lv->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (lv->lockfd < 0) {
        log_error("cannot open %s: %s", path, strerror(errno));
        return E_IO;
    }
    if (flock(lv->lockfd, LOCK_EX | LOCK_NB)) {
        ssize_t got = pread(lv->lockfd, pid, sizeof(pid) - 1, 0);

        pid[got > 0 ? got : 0] = '\0';
        log_error("another praxis serve (process %s) is already serving %.*s: SQLite serves one "
                  "node; to run several, use PostgreSQL (docs/live.md)",
                  pid[0] ? pid : "?", (int)n, url);
        close(lv->lockfd);
        lv->lockfd = -1;
        return E_CONFLICT;
    }
    n = (size_t)snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(lv->lockfd, 0) || pwrite(lv->lockfd, pid, n, 0) < 0)
        log_warn("cannot write %s: %s", path, strerror(errno));
    return 0;
}

int live_start(struct app *a)
{
    struct live *lv = xcalloc(1, sizeof(*lv));
    struct hub_hooks hooks = {.arg = lv,
                              .tick = hook_tick,
                              .fd = hook_fd,
                              .readable = hook_readable,
                              .added = on_added,
                              .removed = on_removed};
    char err[256];
    int64_t last = 0;
    int rc;

    lv->app = a;
    lv->lockfd = -1;
    rand_hex(lv->node, 8);
    if (a->backend == DB_SQLITE && (rc = lock_sqlite(lv))) {
        free(lv);
        return rc;
    }
    rc = db_open(&lv->db, a->db_url, err, sizeof(err));
    if (rc) {
        log_error("live: %s", err);
        goto fail;
    }
    if (a->backend == DB_SQLITE)
        rc = db_exec(lv->db, STMT_LIVE_PRESENCE_CLEAR_ALL, NULL, 0, NULL);
    if (!rc)
        rc = db_query_int(lv->db, STMT_LIVE_EVENT_LAST, NULL, 0, &last);
    if (!rc)
        rc = listen_others(lv);
    if (rc) {
        log_error("live: %s", db_errmsg(lv->db));
        goto fail;
    }
    beat(lv);
    lv->beat_us = clock_mono_us() + (int64_t)(a->cfg->live_node_timeout / 4 + 1) * 1000000;
    lv->hub = hub_start(&hooks, a->cfg->live_ping);
    if (!lv->hub) {
        rc = E_IO;
        goto fail;
    }
    hub_set_floor(lv->hub, last);
    a->live = lv;
    a->hub = lv->hub;
    log_info("live: node %s", lv->node);
    return 0;
fail:
    db_close(lv->db);
    if (lv->lockfd >= 0)
        close(lv->lockfd);
    free(lv);
    return rc ? rc : E_IO;
}

void live_end_streams(struct app *a)
{
    if (a->live)
        hub_end_streams(a->live->hub);
}

void live_stop(struct app *a)
{
    struct live *lv = a->live;

    if (!lv)
        return;
    hub_stop(lv->hub);
    lv->hub = NULL;
    a->hub = NULL;
    if (lv->db || !db_open(&lv->db, a->db_url, (char[64]){0}, 64)) {
        db_exec(lv->db, STMT_LIVE_PRESENCE_CLEAR_NODE, (struct db_param[]){DB_TEXTC(lv->node)}, 1,
                NULL);
        db_exec(lv->db, STMT_LIVE_NODE_DELETE, (struct db_param[]){DB_TEXTC(lv->node)}, 1, NULL);
        db_close(lv->db);
    }
    for (size_t b = 0; b < PRES_BUCKETS; b++) {
        while (lv->buckets[b]) {
            struct pres *p = lv->buckets[b];

            lv->buckets[b] = p->next;
            free(p->handle);
            free(p->name);
            free(p);
        }
    }
    if (lv->lockfd >= 0)
        close(lv->lockfd);
    free(lv);
    a->live = NULL;
}

/* Presence and settings: the API ------------------------------------------ */

static int presence_api(struct req *r, struct resp *w)
{
    struct space s;
    struct db *db;
    struct db_rows rows;
    struct json j;
    int64_t now = clock_unix(), since = now - r->app->cfg->live_node_timeout;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_LIST_MEMBERS, &s);

    if (rc)
        return rc;
    db = req_db(r);
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "online");
    json_arr_open(&j);
    rc = db_query(db, STMT_LIVE_SPACE_ONLINE,
                  (struct db_param[]){DB_INT(s.id), DB_INT(since), DB_INT(now)}, 3, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        json_obj_open(&j);
        person_json(&j, db_col_text(&rows, 0, &r->arena), db_col_text(&rows, 1, &r->arena));
        json_obj_close(&j);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    json_arr_close(&j);
    json_key(&j, "here");
    json_arr_open(&j);
    rc = db_query(db, STMT_LIVE_SPACE_HERE, (struct db_param[]){DB_INT(s.id), DB_INT(since)}, 2,
                  &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct str page = db_col_text(&rows, 2, &r->arena);

        json_obj_open(&j);
        person_json(&j, db_col_text(&rows, 0, &r->arena), db_col_text(&rows, 1, &r->arena));
        json_key(&j, "page");
        json_str(&j, str_starts_with(page, STR_LIT("space:")) ? STR_LIT("space") : page);
        json_obj_close(&j);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

enum { PH_PAGE, PH__MAX };
static const struct field page_fields[] = {
    [PH_PAGE] = {"page", FIELD_TEXT, true, 64, 0, 0},
};

/* Who is on one page now (space:SLUG, topic:ID or channel:ID), for whoever may read it. */
static int page_presence_api(struct req *r, struct resp *w)
{
    struct who where = {0};
    struct db_rows rows;
    struct json j;
    char page[32];
    int64_t since = clock_unix() - r->app->cfg->live_node_timeout;
    int rc = here_in(r, "page", req_in(r, PH_PAGE)->text, &where);

    if (rc)
        return rc;
    page_text(where.kind, where.page_id, page);
    rc = db_query(req_db(r), STMT_LIVE_PAGE_HERE,
                  (struct db_param[]){DB_TEXTC(page), DB_INT(since)}, 2, &rows);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "page");
    json_str_c(&j, page);
    json_key(&j, "here");
    json_arr_open(&j);
    while ((rc = db_next(&rows)) > 0) {
        json_obj_open(&j);
        person_json(&j, db_col_text(&rows, 0, &r->arena), db_col_text(&rows, 1, &r->arena));
        json_obj_close(&j);
    }
    db_rows_done(&rows);
    json_arr_close(&j);
    json_obj_close(&j);
    return rc < 0 ? rc : 0;
}

enum { ME_OFFLINE, ME__MAX };
static const struct field me_fields[] = {
    [ME_OFFLINE] = {"appear_offline", FIELD_BOOL, true, 0, 0, 0},
};

/* Appear offline, or not: the pages they are on see them leave (or come back). */
static int set_hidden(struct req *r, bool hide)
{
    struct db *db = req_db(r);
    int64_t since = clock_unix() - r->app->cfg->live_node_timeout;
    struct db_rows rows;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_LIVE_USER_SET_HIDDEN,
                 (struct db_param[]){DB_INT(r->actor->id), DB_INT(hide)}, 2, NULL);
    if (!rc)
        rc = db_query(db, STMT_LIVE_USER_PAGES,
                      (struct db_param[]){DB_INT(r->actor->id), DB_INT(since)}, 2, &rows);
    if (!rc) {
        struct pres *all = NULL;

        /* Read them all first: one cursor per connection while writing. */
        while ((rc = db_next(&rows)) > 0) {
            struct pres *p = arena_alloc(&r->arena, sizeof(*p));
            struct str page = db_col_text(&rows, 0, &r->arena);
            long long id = 0;

            memset(p, 0, sizeof(*p));
            p->space_id = db_col_int(&rows, 1);
            if (sscanf(page.ptr, "space:%lld", &id) == 1)
                p->kind = PAGE_SPACE;
            else if (sscanf(page.ptr, "topic:%lld", &id) == 1)
                p->kind = PAGE_TOPIC;
            else if (sscanf(page.ptr, "channel:%lld", &id) == 1)
                p->kind = PAGE_CHANNEL;
            else
                continue;
            p->page_id = id;
            p->next = all;
            all = p;
        }
        db_rows_done(&rows);
        for (struct pres *p = all; rc >= 0 && p; p = p->next)
            rc = emit_presence(r->app, db, &r->arena, r->actor->handle, r->actor->name, p, !hide);
    }
    return db_tx_end(db, rc < 0 ? rc : 0);
}

static int me_patch_api(struct req *r, struct resp *w)
{
    bool hide = req_in(r, ME_OFFLINE)->flag;
    struct json j;
    int rc = set_hidden(r, hide);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "appear_offline");
    json_bool(&j, hide);
    json_obj_close(&j);
    return 0;
}

/* /settings/presence: the same as a form; an unticked box is not sent, so absent means off. */
static const struct field presence_form[] = {
    [ME_OFFLINE] = {"appear_offline", FIELD_BOOL, false, 0, 0, 0},
};

static int presence_page(struct req *r, struct resp *w)
{
    struct view_presence_settings vm = {0};
    struct buf body;
    int64_t hidden = 0;
    int rc = db_query_int(req_db(r), STMT_LIVE_USER_HIDDEN,
                          (struct db_param[]){DB_INT(r->actor->id)}, 1, &hidden);

    if (rc)
        return rc;
    vm.csrf = csrf_token(r);
    vm.hidden = hidden != 0;
    if (kv_get(&r->query, STR_LIT("saved")))
        vm.notice = hidden ? STR_LIT("Saved: you appear offline.")
                           : STR_LIT("Saved: others see when you are here.");
    resp_body_init(r, &body);
    view_presence_settings(&body, &vm);
    return resp_page(r, w, STR_LIT("Presence settings"), STR_NULL, &body);
}

static int presence_save(struct req *r, struct resp *w)
{
    int rc = set_hidden(r, req_in(r, ME_OFFLINE)->present && req_in(r, ME_OFFLINE)->flag);

    if (rc)
        return rc;
    w->status = 303;
    resp_header(w, "Location", "/settings/presence?saved=1");
    return 0;
}

/* Test mode: count events of size bytes to the caller's own streams, in one transaction. */
enum { TL_COUNT, TL_SIZE, TL__MAX };
static const struct field test_fields[] = {
    [TL_COUNT] = {"count", FIELD_INT, true, 0, 1, 100000},
    [TL_SIZE] = {"size", FIELD_INT, false, 0, 0, 16384},
};

static int test_live_api(struct req *r, struct resp *w)
{
    struct db *db = req_db(r);
    int64_t count = req_in(r, TL_COUNT)->num;
    int64_t size = req_in(r, TL_SIZE)->present ? req_in(r, TL_SIZE)->num : 16;
    char *pad = arena_alloc(&r->arena, (size_t)size + 1);
    int rc;

    memset(pad, 'x', (size_t)size);
    pad[size] = '\0';
    rc = db_tx_begin(db);
    for (int64_t i = 0; !rc && i < count; i++) {
        struct buf b;
        struct live_event ev = {.type = "test", .user_id = r->actor->id};

        buf_init(&b, &r->arena, (size_t)size + 64);
        buf_printf(&b, "{\"n\":%lld,\"pad\":\"%s\"}", (long long)i, pad);
        ev.data = buf_str(&b);
        rc = live_emit(r->app, db, &ev);
    }
    rc = db_tx_end(db, rc);
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

/* Jobs --------------------------------------------------------------------- */

static int prune_run(struct job *j)
{
    return db_exec(j->db, STMT_LIVE_EVENTS_PRUNE,
                   (struct db_param[]){DB_INT(j->now - LIVE_KEEP_EVENTS)}, 1, NULL)
               ? JOB_RETRY
               : 0;
}

static const struct job_kind live_jobs[] = {
    {"live.prune", prune_run, 0, 3600},
};

static const struct route routes[] = {
    {HTTP_GET, "/api/v1/stream", stream_api, stream_fields, ST__MAX, ROUTE_AUTH},
    {HTTP_GET, "/api/v1/spaces/{slug}/presence", presence_api, NULL, 0, 0},
    {HTTP_GET, "/api/v1/presence", page_presence_api, page_fields, PH__MAX, ROUTE_AUTH},
    {HTTP_PATCH, "/api/v1/me", me_patch_api, me_fields, ME__MAX, ROUTE_AUTH},
    {HTTP_GET, "/settings/presence", presence_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/settings/presence", presence_save, presence_form, ME__MAX, ROUTE_AUTH},
    {HTTP_POST, "/api/v1/_test/live", test_live_api, test_fields, TL__MAX,
     ROUTE_AUTH | ROUTE_TEST_ONLY},
};

const struct feature feature_live = {
    .name = "live",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .jobs = live_jobs,
    .njobs = ARRAY_LEN(live_jobs),
};
