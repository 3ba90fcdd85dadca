#include "feature/events/model.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/events/events.h"
#include "feature/spaces/model.h"
#include "http/http.h"

#define DAY ((int64_t)86400)

static int64_t int_or(struct db_rows *rows, int col, int64_t none)
{
    return db_col_null(rows, col) ? none : db_col_int(rows, col);
}

static struct local_time local_col(struct db_rows *rows, int col, struct arena *a)
{
    struct local_time t = {0};

    /* Written by this code from a checked time; a bad one reads as the epoch's year 2000. */
    if (rule_local_time(db_col_text(rows, col, a), &t))
        t = (struct local_time){EVENT_YEAR_MIN, 1, 1, 0, 0, 0};
    return t;
}

static void reminders_from(struct str text, struct event *e)
{
    e->nreminders = 0;
    while (text.len && e->nreminders < EVENT_REMINDERS_MAX) {
        long comma = str_index(text, ',');
        size_t k = comma < 0 ? text.len : (size_t)comma;
        int64_t v;

        if (!str_to_i64(str_make(text.ptr, k), &v))
            e->reminders[e->nreminders++] = (int)v;
        text = comma < 0 ? STR_NULL : str_make(text.ptr + k + 1, text.len - k - 1);
    }
}

static struct str reminders_text(struct arena *a, const struct event *e)
{
    struct buf b;

    buf_init(&b, a, 128);
    for (size_t i = 0; i < e->nreminders; i++) {
        if (i)
            buf_putc(&b, ',');
        buf_put_i64(&b, e->reminders[i]);
    }
    return buf_str(&b);
}

/* An event from an EVENT_COLS row (without hosts and cancelled occurrences). */
static void event_from(struct arena *a, struct db_rows *rows, struct event *e)
{
    memset(e, 0, sizeof(*e));
    e->id = db_col_int(rows, 0);
    e->space_id = db_col_int(rows, 1);
    e->uid = db_col_text(rows, 2, a);
    e->title = db_col_text(rows, 3, a);
    e->description = db_col_text(rows, 4, a);
    e->description_html = db_col_text(rows, 5, a);
    e->agenda = db_col_text(rows, 6, a);
    e->agenda_html = db_col_text(rows, 7, a);
    e->tz = db_col_text(rows, 8, a);
    e->start_local = local_col(rows, 9, a);
    e->end_local = local_col(rows, 10, a);
    e->starts_at = db_col_int(rows, 11);
    e->ends_at = db_col_int(rows, 12);
    e->last_end_at = int_or(rows, 13, 0);
    e->mode = event_mode_parse(db_col_text(rows, 14, a));
    if (e->mode == MODE__MAX)
        e->mode = MODE_IN_PERSON;
    e->location = db_col_text(rows, 15, a);
    e->join_url = db_col_text(rows, 16, a);
    e->capacity = int_or(rows, 17, -1);
    e->rrule = db_col_text(rows, 18, a);
    reminders_from(db_col_text(rows, 19, a), e);
    e->status = event_status_parse(db_col_text(rows, 20, a));
    if (e->status == EVENT_STATUS__MAX)
        e->status = EVENT_CONFIRMED;
    e->sequence = db_col_int(rows, 21);
    e->created_by = int_or(rows, 22, 0);
    e->creator_handle = db_col_text(rows, 23, a);
    e->creator_name = db_col_text(rows, 24, a);
    e->created_at = db_col_int(rows, 25);
    e->updated_at = db_col_int(rows, 26);
    e->code_key = db_col_text(rows, 27, a);
}

struct recur_spec event_spec(const struct event *e)
{
    return (struct recur_spec){e->tz,    e->start_local, e->ends_at - e->starts_at,
                               e->rrule, e->exdates,     e->nexdates};
}

/* Append the EVENT_COLS rows of a statement to *out. */
static int read_events(struct db *db, struct arena *a, enum stmt st, const struct db_param *p,
                       size_t np, struct event **out, size_t *n)
{
    struct db_rows rows;
    size_t cap = 0;
    int rc = db_query(db, st, p, np, &rows);

    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (*n == cap)
            *out = arena_grow(a, *out, *n, &cap, sizeof(**out));
        event_from(a, &rows, &(*out)[(*n)++]);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(a, 1, sizeof(**out));
    return rc;
}

/* Give each event its cancelled occurrences from rows of (event_id, occurrence). */
static int read_exdates(struct db *db, struct arena *a, enum stmt st, const struct db_param *p,
                        size_t np, struct event *ev, size_t n)
{
    struct db_rows rows;
    int rc = db_query(db, st, p, np, &rows);

    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        int64_t id = db_col_int(&rows, 0), occ = db_col_int(&rows, 1);

        for (size_t i = 0; i < n; i++) {
            struct event *e = &ev[i];
            size_t cap = e->nexdates;

            if (e->id != id)
                continue;
            /* Grown one at a time: an event has few cancelled occurrences. */
            e->exdates = arena_realloc(a, e->exdates, cap * sizeof(*e->exdates),
                                       (cap + 1) * sizeof(*e->exdates));
            e->exdates[e->nexdates++] = occ;
            break;
        }
    }
    db_rows_done(&rows);
    return rc;
}

static int load_hosts(struct db *db, struct arena *a, struct event *e)
{
    struct db_rows rows;
    size_t cap = 0;
    int rc = db_query(db, STMT_EVENT_HOSTS, (struct db_param[]){DB_INT(e->id)}, 1, &rows);

    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct event_host *h;

        if (e->nhosts == cap)
            e->hosts = arena_grow(a, e->hosts, e->nhosts, &cap, sizeof(*e->hosts));
        h = &e->hosts[e->nhosts++];
        h->user_id = db_col_int(&rows, 0);
        h->handle = db_col_text(&rows, 1, a);
        h->name = db_col_text(&rows, 2, a);
    }
    db_rows_done(&rows);
    return rc;
}

int event_load(struct db *db, struct arena *a, int64_t id, struct event *out)
{
    struct event *ev;
    size_t n;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = read_events(db, a, STMT_EVENT_BY_ID, (struct db_param[]){DB_INT(id)}, 1, &ev, &n);
    if (rc)
        return rc;
    if (!n)
        return E_NOTFOUND;
    *out = ev[0];
    rc = read_exdates(db, a, STMT_EVENT_EXDATES, (struct db_param[]){DB_INT(id)}, 1, out, 1);
    if (!rc)
        rc = load_hosts(db, a, out);
    return rc;
}

int events_in_space(struct db *db, struct arena *a, int64_t space_id, int64_t from, int64_t to,
                    struct event **out, size_t *n)
{
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = read_events(db, a, STMT_EVENTS_IN_SPACE,
                     (struct db_param[]){DB_INT(space_id), DB_INT(from), DB_INT(to)}, 3, out, n);
    if (!rc && *n)
        rc = read_exdates(db, a, STMT_EVENT_EXDATES_OF_SPACE, (struct db_param[]){DB_INT(space_id)},
                          1, *out, *n);
    return rc;
}

int events_of_user(struct db *db, struct arena *a, int64_t user_id, size_t limit,
                   struct event **out, size_t *n)
{
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = read_events(db, a, STMT_EVENTS_OF_USER,
                     (struct db_param[]){DB_INT(user_id), DB_INT((int64_t)limit)}, 2, out, n);
    if (!rc && *n)
        rc = read_exdates(db, a, STMT_EVENT_EXDATES_OF_USER, (struct db_param[]){DB_INT(user_id)},
                          1, *out, *n);
    return rc;
}

int events_for_feed(struct db *db, struct arena *a, int64_t space_id, int64_t since, size_t limit,
                    struct event **out, size_t *n)
{
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = read_events(db, a, STMT_EVENTS_FOR_FEED,
                     (struct db_param[]){DB_INT(space_id), DB_INT(since), DB_INT((int64_t)limit)},
                     3, out, n);
    if (!rc && *n)
        rc = read_exdates(db, a, STMT_EVENT_EXDATES_OF_SPACE, (struct db_param[]){DB_INT(space_id)},
                          1, *out, *n);
    return rc;
}

/* Occurrences ----------------------------------------------------------------------- */

int event_occurrences(struct arena *a, const struct event *e, int64_t from, int64_t to, size_t max,
                      struct occurrence **out, size_t *n, bool *more)
{
    struct recur_spec spec = event_spec(e);

    *out = arena_calloc(a, max ? max : 1, sizeof(**out));
    return recur_expand(&spec, from, to, *out, max, n, more);
}

int event_occurrence(const struct event *e, int64_t start, struct occurrence *out)
{
    struct recur_spec spec = event_spec(e);

    if (start < e->starts_at || (e->last_end_at && start >= e->last_end_at))
        return E_NOTFOUND;
    return recur_find(&spec, start, out);
}

int event_current(struct arena *a, const struct event *e, int64_t now, struct occurrence *out)
{
    struct occurrence *o;
    size_t n;
    bool more;
    int rc = event_occurrences(a, e, now, now + EVENT_WINDOW_MAX, 8, &o, &n, &more);

    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (!o[i].cancelled) {
            *out = o[i];
            return 0;
        }
    }
    if (n) {
        *out = o[0];
        return 0;
    }
    if (!e->last_end_at || e->last_end_at > now)
        return E_NOTFOUND;
    /* All over: the last one. */
    rc = event_occurrences(a, e, e->last_end_at - 1, e->last_end_at, 1, &o, &n, &more);
    if (!rc && !n)
        rc = E_NOTFOUND;
    if (!rc)
        *out = o[0];
    return rc;
}

/* Answers -------------------------------------------------------------------------- */

/* A row of RSVP_COLS from column c on. */
static void rsvp_from(struct arena *a, struct db_rows *rows, int c, struct rsvp_row *r)
{
    r->id = db_col_int(rows, c);
    r->user_id = db_col_int(rows, c + 1);
    r->occurrence = db_col_int(rows, c + 2);
    r->status = rsvp_status_parse(db_col_text(rows, c + 3, a));
    if (r->status == RSVP__MAX)
        r->status = RSVP_NOT_GOING;
    r->queued_us = db_col_int(rows, c + 4);
    r->counts = db_col_int(rows, c + 5) != 0;
    r->handle = db_col_text(rows, c + 6, a);
    r->name = db_col_text(rows, c + 7, a);
    r->email = db_col_text(rows, c + 8, a);
    r->timezone = db_col_text(rows, c + 9, a);
}

int event_rsvp_rows(struct db *db, struct arena *a, const struct event *e, int64_t now,
                    struct rsvp_row **out, size_t *n)
{
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_EVENT_RSVPS,
                  (struct db_param[]){DB_INT(e->id), DB_INT(e->space_id), DB_INT(now)}, 3, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (*n == cap)
            *out = arena_grow(a, *out, *n, &cap, sizeof(**out));
        rsvp_from(a, &rows, 0, &(*out)[(*n)++]);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(a, 1, sizeof(**out));
    return rc;
}

int event_people(struct db *db, struct arena *a, const struct event *e, int64_t occurrence,
                 int64_t now, struct rsvp_place **out, size_t *n, struct rsvp_tally *t)
{
    struct rsvp_row *rows;
    size_t nrows;
    int rc = event_rsvp_rows(db, a, e, now, &rows, &nrows);

    if (rc)
        return rc;
    rsvp_resolve(a, rows, nrows, occurrence, e->capacity, out, n, t);
    return 0;
}

int rsvps_of_user(struct db *db, struct arena *a, int64_t user_id, struct my_rsvp **out, size_t *n)
{
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_RSVPS_OF_USER, (struct db_param[]){DB_INT(user_id)}, 1, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct my_rsvp *m;

        if (*n == cap)
            *out = arena_grow(a, *out, *n, &cap, sizeof(**out));
        m = &(*out)[(*n)++];
        m->event_id = db_col_int(&rows, 0);
        m->occurrence = db_col_int(&rows, 1);
        m->status = rsvp_status_parse(db_col_text(&rows, 2, a));
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(a, 1, sizeof(**out));
    return rc;
}

/* Attendance ----------------------------------------------------------------------- */

int event_attendees(struct db *db, struct arena *a, int64_t event_id, int64_t occurrence,
                    struct attendee **out, size_t *n)
{
    struct db_rows rows;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_ATTENDEES, (struct db_param[]){DB_INT(event_id), DB_INT(occurrence)}, 2,
                  &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct attendee *x;

        if (*n == cap)
            *out = arena_grow(a, *out, *n, &cap, sizeof(**out));
        x = &(*out)[(*n)++];
        x->user_id = db_col_int(&rows, 0);
        x->handle = db_col_text(&rows, 1, a);
        x->name = db_col_text(&rows, 2, a);
        x->email = db_col_text(&rows, 3, a);
        x->mode = attend_mode_parse(db_col_text(&rows, 4, a));
        if (x->mode == ATTEND__MAX)
            x->mode = ATTEND_IN_PERSON;
        x->by_host = str_eq_c(db_col_text(&rows, 5, a), "host");
        x->marked_by = db_col_text(&rows, 6, a);
        x->at = db_col_int(&rows, 7);
    }
    db_rows_done(&rows);
    if (!*out)
        *out = arena_calloc(a, 1, sizeof(**out));
    return rc;
}

int event_attended(struct db *db, int64_t event_id, int64_t occurrence, int64_t user_id, bool *yes,
                   enum attend_mode *mode)
{
    struct db_rows rows;
    struct arena a;
    int rc;

    *yes = false;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_ATTENDED,
                  (struct db_param[]){DB_INT(event_id), DB_INT(occurrence), DB_INT(user_id)}, 3,
                  &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        arena_init(&a);
        *yes = true;
        *mode = attend_mode_parse(db_col_text(&rows, 0, &a));
        if (*mode == ATTEND__MAX)
            *mode = ATTEND_IN_PERSON;
        arena_release(&a);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

int events_user_zone(struct db *db, struct arena *a, int64_t user_id, struct str *tz)
{
    struct db_rows rows;
    int rc;

    *tz = STR_LIT("UTC");
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_EVENT_USER_ZONE, (struct db_param[]){DB_INT(user_id)}, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc > 0) {
        struct str zone = db_col_text(&rows, 0, a);

        if (recur_zone_known(zone))
            *tz = zone;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

/* The calendar key -------------------------------------------------------------------- */

int calendar_key(struct db *db, unsigned char key[32])
{
    struct db_rows rows;
    struct arena a;
    struct str hex;
    int rc, tries;

    if (!db)
        return E_UNAVAIL;
    arena_init(&a);
    for (tries = 0; tries < 2; tries++) {
        rc = db_query(db, STMT_CALENDAR_KEY_GET, NULL, 0, &rows);
        if (rc)
            break;
        rc = db_next(&rows);
        hex = rc > 0 ? db_col_text(&rows, 0, &a) : STR_NULL;
        db_rows_done(&rows);
        if (rc < 0)
            break;
        if (hex.len == 64) {
            size_t got = 0;

            rc =
                sodium_hex2bin(key, 32, hex.ptr, hex.len, NULL, &got, NULL) || got != 32 ? E_DB : 0;
            break;
        }
        if (!tries) {
            unsigned char fresh[32];
            char text[65];

            randombytes_buf(fresh, sizeof(fresh));
            sodium_bin2hex(text, sizeof(text), fresh, sizeof(fresh));
            /* Another node may win the race: ON CONFLICT keeps its key, read next. */
            rc = db_exec(db, STMT_CALENDAR_KEY_INIT,
                         (struct db_param[]){DB_TEXTC(text), DB_INT(clock_unix())}, 2, NULL);
            sodium_memzero(fresh, sizeof(fresh));
            if (rc)
                break;
        }
        rc = E_DB;
    }
    arena_release(&a);
    return rc;
}

/* Writes ------------------------------------------------------------------------------ */

/* The wall clock in microseconds: the order of a waiting list. */
static int64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t actor_of(struct req *r)
{
    return r->actor ? r->actor->id : 0;
}

/* The host part of UIDs: the public address's host, else "praxis". */
static struct str uid_host(struct req *r)
{
    const char *pub = r->app->cfg->public_url, *p = strstr(pub, "://");
    size_t n = 0;

    if (!p)
        return STR_LIT("praxis");
    p += 3;
    while (p[n] && p[n] != '/' && p[n] != ':' && p[n] != '?' && p[n] != '#')
        n++;
    return n ? str_make(p, n) : STR_LIT("praxis");
}

static struct str local_text(struct arena *a, struct local_time t)
{
    char *p = arena_alloc(a, 20);

    local_time_format(t, p);
    return str_make(p, strlen(p));
}

static int64_t last_end_of(const struct event *e)
{
    struct recur_spec spec = event_spec(e);
    int64_t last = 0;

    if (recur_last_end(&spec, &last))
        return e->ends_at;
    return last;
}

int event_create(struct req *r, const struct space *s, struct event *e, const int64_t *hosts,
                 size_t nhosts, int64_t *id)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix();
    unsigned char raw[32];
    char hex[65], uid[33];
    struct buf u;
    int rc;

    if (!db)
        return E_UNAVAIL;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    e->code_key = str_make(arena_strndup(&r->arena, hex, 64), 64);
    randombytes_buf(raw, 16);
    sodium_bin2hex(uid, sizeof(uid), raw, 16);
    buf_init(&u, &r->arena, 300);
    buf_puts(&u, uid);
    buf_putc(&u, '@');
    buf_put_str(&u, uid_host(r));
    e->uid = buf_str(&u);
    e->space_id = s->id;
    e->status = EVENT_CONFIRMED;
    e->sequence = 0;
    e->created_by = actor_of(r);
    e->created_at = e->updated_at = now;
    e->last_end_at = last_end_of(e);
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_query_int(db, STMT_EVENT_INSERT,
                      (struct db_param[]){DB_INT(s->id),
                                          DB_TEXT(e->uid),
                                          DB_TEXT(e->title),
                                          DB_TEXT(e->description),
                                          DB_TEXT(e->description_html),
                                          DB_TEXT(e->agenda),
                                          DB_TEXT(e->agenda_html),
                                          DB_TEXT(e->tz),
                                          DB_TEXT(local_text(&r->arena, e->start_local)),
                                          DB_TEXT(local_text(&r->arena, e->end_local)),
                                          DB_INT(e->starts_at),
                                          DB_INT(e->ends_at),
                                          e->last_end_at ? DB_INT(e->last_end_at) : DB_NULL,
                                          DB_TEXTC(event_mode_name(e->mode)),
                                          DB_TEXT(e->location),
                                          DB_TEXT(e->join_url),
                                          e->capacity >= 0 ? DB_INT(e->capacity) : DB_NULL,
                                          DB_TEXT(e->rrule),
                                          DB_TEXT(reminders_text(&r->arena, e)),
                                          DB_TEXT(e->code_key),
                                          DB_INT(e->created_by),
                                          DB_INT(now)},
                      22, id);
    e->id = *id;
    if (!rc)
        rc = db_exec(db, STMT_EVENT_HOST_ADD,
                     (struct db_param[]){DB_INT(*id), DB_INT(e->created_by), DB_INT(now)}, 3, NULL);
    for (size_t i = 0; !rc && i < nhosts; i++)
        rc = db_exec(
            db, STMT_EVENT_HOST_ADD,
            (struct db_param[]){DB_INT(*id), DB_INT(hosts[i]), DB_INT(now + 1 + (int64_t)i)}, 3,
            NULL);
    if (!rc)
        rc = activity_add(db, e->created_by, "event.create", "event", *id, s->id);
    if (!rc)
        rc = events_schedule(db, e);
    return db_tx_end(db, rc);
}

/* Who waited before and goes after, for each occurrence of occ[0..nocc), as moved_up in *moved. */
static void moved_between(struct arena *a, const struct event *e, const struct rsvp_row *before,
                          size_t nbefore, const struct rsvp_row *after, size_t nafter,
                          const int64_t *occ, size_t nocc, struct moved_up **moved, size_t *n)
{
    size_t cap = 0;

    *moved = NULL;
    *n = 0;
    for (size_t k = 0; k < nocc; k++) {
        struct rsvp_place *pb, *pa;
        size_t nb, na;
        struct rsvp_tally tb, ta;

        rsvp_resolve(a, before, nbefore, occ[k], e->capacity, &pb, &nb, &tb);
        if (!tb.waitlisted)
            continue;
        rsvp_resolve(a, after, nafter, occ[k], e->capacity, &pa, &na, &ta);
        for (size_t i = 0; i < nb; i++) {
            const struct rsvp_place *now;

            if (pb[i].status != RSVP_WAITLISTED)
                continue;
            now = rsvp_find(pa, na, pb[i].row->user_id);
            if (!now || now->status != RSVP_GOING)
                continue;
            if (*n == cap)
                *moved = arena_grow(a, *moved, *n, &cap, sizeof(**moved));
            (*moved)[*n] =
                (struct moved_up){occ[k], now->row->user_id, now->row->handle, now->row->name};
            (*n)++;
        }
    }
}

/*
 * The occurrences whose waiting lists a change may move: the one named, or
 * for a change to the whole series those not yet over in the next 400 days.
 */
static int affected(struct arena *a, const struct event *e, int64_t occurrence, int64_t now,
                    int64_t **out, size_t *n)
{
    struct occurrence *o;
    bool more;
    size_t k = 0;
    int rc;

    if (occurrence) {
        *out = arena_alloc(a, sizeof(**out));
        (*out)[0] = occurrence;
        *n = 1;
        return 0;
    }
    rc = event_occurrences(a, e, now, now + EVENT_WINDOW_MAX, EVENT_OCCURRENCES, &o, n, &more);
    if (rc)
        return rc;
    *out = arena_calloc(a, *n ? *n : 1, sizeof(**out));
    for (size_t i = 0; i < *n; i++)
        if (!o[i].cancelled)
            (*out)[k++] = o[i].start;
    *n = k;
    return 0;
}

/*
 * Work out who moved up between before and the answers now, over the
 * occurrences a change touched, and tell the hook of each. In the caller's
 * transaction.
 */
static int tell_moved(struct req *r, const struct event *e, const struct rsvp_row *before,
                      size_t nbefore, int64_t occurrence, int64_t now, struct moved_up **moved,
                      size_t *nmoved)
{
    struct db *db = req_db(r);
    struct rsvp_row *after;
    size_t nafter, nocc;
    int64_t *occ;
    int rc = affected(&r->arena, e, occurrence, now, &occ, &nocc);

    if (!rc)
        rc = event_rsvp_rows(db, &r->arena, e, now, &after, &nafter);
    if (rc)
        return rc;
    moved_between(&r->arena, e, before, nbefore, after, nafter, occ, nocc, moved, nmoved);
    for (size_t i = 0; !rc && i < *nmoved; i++)
        rc = events_moved_up(db, e, &(*moved)[i]);
    return rc;
}

static bool times_changed(const struct event *a, const struct event *b)
{
    return !str_eq(a->tz, b->tz) ||
           local_time_seconds(a->start_local) != local_time_seconds(b->start_local) ||
           a->ends_at - a->starts_at != b->ends_at - b->starts_at || !str_eq(a->rrule, b->rrule);
}

/* After a change of times: drop cancellations and answers for occurrences that are gone. */
static int drop_orphans(struct req *r, struct db *db, struct event *e)
{
    struct occurrence o = {0};
    struct db_rows rows;
    int64_t *occ = NULL, *kept = arena_calloc(&r->arena, e->nexdates + 1, sizeof(*kept));
    size_t n = 0, cap = 0, k = 0;
    int rc = 0;

    for (size_t i = 0; i < e->nexdates && !rc; i++) {
        if (event_occurrence(e, e->exdates[i], &o) == 0) {
            kept[k++] = e->exdates[i];
            continue;
        }
        rc = db_exec(db, STMT_EVENT_EXDATE_DEL,
                     (struct db_param[]){DB_INT(e->id), DB_INT(e->exdates[i])}, 2, NULL);
    }
    e->exdates = kept;
    e->nexdates = k;
    if (!rc)
        rc = db_query(db, STMT_RSVP_OCCURRENCES_FROM, (struct db_param[]){DB_INT(e->id), DB_INT(1)},
                      2, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (n == cap)
            occ = arena_grow(&r->arena, occ, n, &cap, sizeof(*occ));
        occ[n++] = db_col_int(&rows, 0);
    }
    db_rows_done(&rows);
    for (size_t i = 0; i < n && rc >= 0; i++) {
        if (event_occurrence(e, occ[i], &o) == 0)
            continue;
        rc = db_exec(db, STMT_RSVP_DROP_OCCURRENCE,
                     (struct db_param[]){DB_INT(e->id), DB_INT(occ[i])}, 2, NULL);
    }
    return rc < 0 ? rc : 0;
}

int event_update(struct req *r, const struct event *old, struct event *e, const int64_t *hosts,
                 size_t nhosts, bool bump, struct moved_up **moved, size_t *nmoved)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix();
    struct rsvp_row *before = NULL;
    size_t nbefore = 0;
    bool more_room = old->capacity >= 0 && (e->capacity < 0 || e->capacity > old->capacity);
    const char *verb = "event.edit";
    int rc;

    *moved = NULL;
    *nmoved = 0;
    if (!db)
        return E_UNAVAIL;
    e->updated_at = now;
    e->last_end_at = last_end_of(e);
    if (bump)
        e->sequence = old->sequence + 1;
    if (e->status != old->status)
        verb = e->status == EVENT_CANCELLED ? "event.cancel" : "event.restore";
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_EVENT_LOCK, (struct db_param[]){DB_INT(e->id)}, 1, NULL);
    if (!rc && more_room)
        rc = event_rsvp_rows(db, &r->arena, old, now, &before, &nbefore);
    if (!rc)
        rc = db_exec(db, STMT_EVENT_UPDATE,
                     (struct db_param[]){DB_INT(e->id),
                                         DB_TEXT(e->title),
                                         DB_TEXT(e->description),
                                         DB_TEXT(e->description_html),
                                         DB_TEXT(e->agenda),
                                         DB_TEXT(e->agenda_html),
                                         DB_TEXT(e->tz),
                                         DB_TEXT(local_text(&r->arena, e->start_local)),
                                         DB_TEXT(local_text(&r->arena, e->end_local)),
                                         DB_INT(e->starts_at),
                                         DB_INT(e->ends_at),
                                         e->last_end_at ? DB_INT(e->last_end_at) : DB_NULL,
                                         DB_TEXTC(event_mode_name(e->mode)),
                                         DB_TEXT(e->location),
                                         DB_TEXT(e->join_url),
                                         e->capacity >= 0 ? DB_INT(e->capacity) : DB_NULL,
                                         DB_TEXT(e->rrule),
                                         DB_TEXT(reminders_text(&r->arena, e)),
                                         DB_TEXTC(event_status_name(e->status)),
                                         DB_INT(now),
                                         DB_INT(bump ? 1 : 0)},
                     21, NULL);
    if (!rc && hosts) {
        rc = db_exec(db, STMT_EVENT_HOSTS_CLEAR,
                     (struct db_param[]){DB_INT(e->id), DB_INT(e->created_by)}, 2, NULL);
        for (size_t i = 0; !rc && i < nhosts; i++)
            rc = db_exec(
                db, STMT_EVENT_HOST_ADD,
                (struct db_param[]){DB_INT(e->id), DB_INT(hosts[i]), DB_INT(now + (int64_t)i)}, 3,
                NULL);
    }
    if (!rc && times_changed(old, e))
        rc = drop_orphans(r, db, e);
    if (!rc && more_room)
        rc = tell_moved(r, e, before, nbefore, 0, now, moved, nmoved);
    if (!rc)
        rc = activity_add(db, actor_of(r), verb, "event", e->id, e->space_id);
    if (!rc)
        rc = events_schedule(db, e);
    return db_tx_end(db, rc);
}

int event_delete(struct req *r, const struct event *e)
{
    struct db *db = req_db(r);
    struct event gone = *e;
    int rc;

    if (!db)
        return E_UNAVAIL;
    /* The hook hears of a deleted event as of a cancelled one: nothing more is to be sent. */
    gone.status = EVENT_CANCELLED;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_EVENT_DELETE, (struct db_param[]){DB_INT(e->id)}, 1, NULL);
    if (!rc)
        rc = activity_add(db, actor_of(r), "event.delete", "event", e->id, e->space_id);
    if (!rc)
        rc = events_schedule(db, &gone);
    return db_tx_end(db, rc);
}

int event_set_cancelled(struct req *r, const struct event *e, int64_t occurrence, bool cancelled)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix();
    struct event changed = *e;
    size_t k = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    /* The event as the hook must see it, with the list of cancelled occurrences changed. */
    changed.exdates = arena_calloc(&r->arena, e->nexdates + 1, sizeof(*changed.exdates));
    for (size_t i = 0; i < e->nexdates; i++)
        if (e->exdates[i] != occurrence)
            changed.exdates[k++] = e->exdates[i];
    if (cancelled)
        changed.exdates[k++] = occurrence;
    changed.nexdates = k;
    changed.sequence = e->sequence + 1;
    changed.updated_at = now;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    if (cancelled)
        rc = db_exec(db, STMT_EVENT_EXDATE_ADD,
                     (struct db_param[]){DB_INT(e->id), DB_INT(occurrence),
                                         r->actor ? DB_INT(r->actor->id) : DB_NULL, DB_INT(now)},
                     4, NULL);
    else
        rc = db_exec(db, STMT_EVENT_EXDATE_DEL,
                     (struct db_param[]){DB_INT(e->id), DB_INT(occurrence)}, 2, NULL);
    if (!rc)
        rc = db_exec(db, STMT_EVENT_BUMP, (struct db_param[]){DB_INT(e->id), DB_INT(now)}, 2, NULL);
    if (!rc)
        rc = activity_add(db, actor_of(r),
                          cancelled ? "event.cancel_occurrence" : "event.restore_occurrence",
                          "event", e->id, e->space_id);
    if (!rc)
        rc = events_schedule(db, &changed);
    return db_tx_end(db, rc);
}

int rsvp_set(struct req *r, const struct event *e, int64_t occurrence, enum rsvp_status status,
             struct moved_up **moved, size_t *nmoved)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), me = actor_of(r), queued = now_us();
    struct rsvp_row *before;
    size_t nbefore;
    int rc;

    *moved = NULL;
    *nmoved = 0;
    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_EVENT_LOCK, (struct db_param[]){DB_INT(e->id)}, 1, NULL);
    if (!rc)
        rc = event_rsvp_rows(db, &r->arena, e, now, &before, &nbefore);
    if (rc)
        return db_tx_end(db, rc);
    /*
     * Saying "going" again keeps one's place in the line: the earliest of
     * one's "going" answers this one covers (for the series, the series'
     * and those of occurrences to come, which it replaces).
     */
    for (size_t i = 0; status == RSVP_GOING && i < nbefore; i++) {
        const struct rsvp_row *row = &before[i];

        if (row->user_id == me && row->status == RSVP_GOING && row->queued_us < queued &&
            (row->occurrence == 0 ||
             (occurrence ? row->occurrence == occurrence : row->occurrence >= now)))
            queued = row->queued_us;
    }
    rc = db_exec(db, STMT_RSVP_PUT,
                 (struct db_param[]){DB_INT(e->id), DB_INT(me), DB_INT(occurrence),
                                     DB_TEXTC(rsvp_status_name(status)), DB_INT(queued),
                                     DB_INT(now)},
                 6, NULL);
    if (!rc && !occurrence)
        rc = db_exec(db, STMT_RSVP_CLEAR_FROM,
                     (struct db_param[]){DB_INT(e->id), DB_INT(me), DB_INT(now)}, 3, NULL);
    if (!rc)
        rc = tell_moved(r, e, before, nbefore, occurrence, now, moved, nmoved);
    if (!rc)
        rc = activity_add(db, me, "event.rsvp", "event", e->id, e->space_id);
    return db_tx_end(db, rc);
}

int attendance_put(struct req *r, const struct event *e, int64_t occurrence, int64_t user_id,
                   enum attend_mode mode, bool by_host)
{
    struct db *db = req_db(r);
    bool self = !by_host;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_ATTEND_PUT,
                 (struct db_param[]){DB_INT(e->id), DB_INT(occurrence), DB_INT(user_id),
                                     DB_TEXTC(attend_mode_name(mode)),
                                     DB_TEXTC(self ? "checkin" : "host"),
                                     self ? DB_NULL : DB_INT(actor_of(r)), DB_INT(clock_unix())},
                 7, NULL);
    if (!rc)
        rc = activity_add(db, actor_of(r), self ? "event.checkin" : "event.attendance", "event",
                          e->id, e->space_id);
    return db_tx_end(db, rc);
}

int attendance_remove(struct req *r, const struct event *e, int64_t occurrence, int64_t user_id)
{
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_ATTEND_DEL,
                 (struct db_param[]){DB_INT(e->id), DB_INT(occurrence), DB_INT(user_id)}, 3, NULL);
    if (!rc)
        rc = activity_add(db, actor_of(r), "event.attendance", "event", e->id, e->space_id);
    return db_tx_end(db, rc);
}

int events_member_left(struct req *r, int64_t space_id, int64_t user_id)
{
    struct db *db = req_db(r);
    int64_t now = clock_unix(), *ids = NULL;
    struct db_rows rows;
    size_t n = 0, cap = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_EVENTS_OF_SPACE_ANSWERED,
                  (struct db_param[]){DB_INT(space_id), DB_INT(user_id)}, 2, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        if (n == cap)
            ids = arena_grow(&r->arena, ids, n, &cap, sizeof(*ids));
        ids[n++] = db_col_int(&rows, 0);
    }
    db_rows_done(&rows);
    for (size_t i = 0; i < n && rc >= 0; i++) {
        struct event e;
        struct rsvp_row *before;
        struct moved_up *moved;
        size_t nbefore, nmoved;

        rc = event_load(db, &r->arena, ids[i], &e);
        if (!rc)
            rc = event_rsvp_rows(db, &r->arena, &e, now, &before, &nbefore);
        if (rc)
            break;
        /* Whether or not their membership is gone yet, they counted until now. */
        for (size_t k = 0; k < nbefore; k++)
            if (before[k].user_id == user_id)
                before[k].counts = true;
        rc = db_exec(db, STMT_RSVP_CLEAR_FROM,
                     (struct db_param[]){DB_INT(e.id), DB_INT(user_id), DB_INT(now)}, 3, NULL);
        if (!rc)
            rc = db_exec(db, STMT_RSVP_CLEAR_SERIES,
                         (struct db_param[]){DB_INT(e.id), DB_INT(user_id)}, 2, NULL);
        if (!rc)
            rc = tell_moved(r, &e, before, nbefore, 0, now, &moved, &nmoved);
    }
    return rc < 0 ? rc : 0;
}
