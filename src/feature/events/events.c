#include "feature/events/events.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "feature/events/events_int.h"
#include "feature/events/feeds.h"
#include "feature/events/input.h"
#include "feature/profiles/profiles.h"
#include "http/ratelimit.h"
#include "view/markdown.h"

#define DAY ((int64_t)86400)

/* Wrong check-in codes one person may try on one event in ten minutes. */
static const struct rate_rule checkin_rule = {"checkin:user-event", 600, 10};

/* Opening what a request names ------------------------------------------------------- */

int events_open(struct req *r, int64_t id, enum action act, struct event *e, struct space *s)
{
    int rc = event_load(req_db(r), &r->arena, id, e);

    if (!rc)
        rc = spaces_open_id(r, e->space_id, act, s);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such event");
    return rc;
}

bool events_may_join(struct req *r, const struct space *s)
{
    return spaces_can(r, s, ACT_POST);
}

bool events_may_host(struct req *r, const struct space *s, const struct event *e)
{
    if (!r->actor)
        return false;
    if (spaces_can(r, s, ACT_HOST_EVENT))
        return true;
    for (size_t i = 0; i < e->nhosts; i++)
        if (e->hosts[i].user_id == r->actor->id)
            return spaces_can(r, s, ACT_POST);
    return false;
}

void events_checkin_code(const struct event *e, int64_t occurrence, char out[CHECKIN_CODE_LEN + 1])
{
    unsigned char key[32], hash[32];
    char msg[48];
    size_t got = 0;
    int n = snprintf(msg, sizeof(msg), "praxis-checkin:%lld", (long long)occurrence);

    memset(key, 0, sizeof(key));
    sodium_hex2bin(key, sizeof(key), e->code_key.ptr, e->code_key.len, NULL, &got, NULL);
    crypto_generichash(hash, sizeof(hash), (const unsigned char *)msg, (size_t)n, key, sizeof(key));
    checkin_code_from_hash(hash, out);
    sodium_memzero(key, sizeof(key));
}

/* The route's {id} as a positive number; anything else names nothing (404). */
static int id_param(struct req *r, int64_t *id)
{
    if (str_to_i64(req_param(r, "id"), id) || *id <= 0)
        return req_fail(r, E_NOTFOUND, NULL, "there is nothing here");
    return 0;
}

/* JSON ---------------------------------------------------------------------------- */

static void json_utc(struct json *j, const char *key, int64_t t)
{
    char text[21];

    clock_rfc3339(t, text);
    json_key(j, key);
    json_str_c(j, text);
}

static void json_local(struct json *j, const char *key, struct local_time t)
{
    char text[20];

    local_time_format(t, text);
    json_key(j, key);
    json_str_c(j, text);
}

static void json_text_or_null(struct json *j, const char *key, struct str s)
{
    json_key(j, key);
    if (s.len)
        json_str(j, s);
    else
        json_null(j);
}

static void tally_json(struct json *j, const struct rsvp_tally *t)
{
    json_key(j, "counts");
    json_obj_open(j);
    json_key(j, "going");
    json_i64(j, t->going);
    json_key(j, "waitlisted");
    json_i64(j, t->waitlisted);
    json_key(j, "maybe");
    json_i64(j, t->maybe);
    json_key(j, "not_going");
    json_i64(j, t->not_going);
    json_obj_close(j);
}

/* "my_rsvp": the caller's answer for an occurrence, as merged from the series'. */
static void mine_json(struct json *j, const struct rsvp_place *mine)
{
    json_key(j, "my_rsvp");
    if (!mine) {
        json_null(j);
        return;
    }
    json_obj_open(j);
    json_key(j, "status");
    json_str_c(j, rsvp_status_name(mine->status));
    json_key(j, "series");
    json_bool(j, mine->row->occurrence == 0);
    json_key(j, "waitlist_position");
    json_i64_or_null(j, mine->position);
    json_obj_close(j);
}

/* What the caller sees of an event in a list or a page: enough to decide and to go. */
struct view_ctx {
    const struct event *e;
    const struct space *s;
    struct rsvp_row *rows;
    size_t nrows;
    bool show_join;
    int64_t me;
};

static void occurrence_json(struct req *r, struct json *j, const struct view_ctx *c,
                            const struct occurrence *o)
{
    const struct event *e = c->e;
    struct rsvp_place *places;
    size_t n;
    struct rsvp_tally t;

    rsvp_resolve(&r->arena, c->rows, c->nrows, o->start, e->capacity, &places, &n, &t);
    json_obj_open(j);
    json_key(j, "event_id");
    json_i64(j, e->id);
    json_key(j, "space");
    json_str(j, c->s->slug);
    json_key(j, "title");
    json_str(j, e->title);
    json_key(j, "occurrence");
    json_i64(j, o->start);
    json_utc(j, "start", o->start);
    json_utc(j, "end", o->end);
    json_local(j, "start_local", o->start_local);
    json_local(j, "end_local", o->end_local);
    json_key(j, "tz");
    json_str(j, e->tz);
    json_key(j, "mode");
    json_str_c(j, event_mode_name(e->mode));
    json_text_or_null(j, "location", e->location);
    json_text_or_null(j, "join_url", c->show_join ? e->join_url : STR_NULL);
    json_key(j, "status");
    json_str_c(j, e->status == EVENT_CANCELLED || o->cancelled ? "cancelled" : "confirmed");
    json_key(j, "capacity");
    if (e->capacity >= 0)
        json_i64(j, e->capacity);
    else
        json_null(j);
    tally_json(j, &t);
    mine_json(j, c->me ? rsvp_find(places, n, c->me) : NULL);
    json_obj_close(j);
}

static void event_json(struct req *r, struct json *j, const struct view_ctx *c, bool with_next)
{
    const struct event *e = c->e;
    struct occurrence next;
    char path[64];

    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, e->id);
    json_key(j, "uid");
    json_str(j, e->uid);
    json_key(j, "space");
    json_str(j, c->s->slug);
    json_key(j, "title");
    json_str(j, e->title);
    json_key(j, "description");
    json_str(j, e->description);
    json_key(j, "description_html");
    json_str(j, e->description_html);
    json_key(j, "agenda");
    json_str(j, e->agenda);
    json_key(j, "agenda_html");
    json_str(j, e->agenda_html);
    json_key(j, "tz");
    json_str(j, e->tz);
    json_local(j, "starts_at", e->start_local);
    json_local(j, "ends_at", e->end_local);
    json_utc(j, "start", e->starts_at);
    json_utc(j, "end", e->ends_at);
    if (!e->rrule.len || !e->last_end_at) {
        json_key(j, "repeats_until");
        json_null(j);
    } else {
        json_utc(j, "repeats_until", e->last_end_at);
    }
    json_key(j, "mode");
    json_str_c(j, event_mode_name(e->mode));
    json_text_or_null(j, "location", e->location);
    json_text_or_null(j, "join_url", c->show_join ? e->join_url : STR_NULL);
    json_key(j, "capacity");
    if (e->capacity >= 0)
        json_i64(j, e->capacity);
    else
        json_null(j);
    json_text_or_null(j, "rrule", e->rrule);
    json_key(j, "exceptions");
    json_arr_open(j);
    for (size_t i = 0; i < e->nexdates; i++) {
        json_obj_open(j);
        json_key(j, "occurrence");
        json_i64(j, e->exdates[i]);
        json_utc(j, "start", e->exdates[i]);
        json_obj_close(j);
    }
    json_arr_close(j);
    json_key(j, "reminders");
    json_arr_open(j);
    for (size_t i = 0; i < e->nreminders; i++)
        json_i64(j, e->reminders[i]);
    json_arr_close(j);
    json_key(j, "hosts");
    json_arr_open(j);
    for (size_t i = 0; i < e->nhosts; i++) {
        json_obj_open(j);
        json_key(j, "handle");
        json_str(j, e->hosts[i].handle);
        json_key(j, "name");
        json_str(j, e->hosts[i].name);
        json_obj_close(j);
    }
    json_arr_close(j);
    json_key(j, "status");
    json_str_c(j, event_status_name(e->status));
    json_key(j, "sequence");
    json_i64(j, e->sequence);
    profile_ref_json(j, "created_by", e->creator_handle, e->creator_name);
    json_key(j, "created_at");
    json_i64(j, e->created_at);
    json_key(j, "updated_at");
    json_i64(j, e->updated_at);
    snprintf(path, sizeof(path), "/events/%lld.ics", (long long)e->id);
    json_key(j, "ics_url");
    json_str_c(j, path);
    json_key(j, "can_host");
    json_bool(j, events_may_host(r, c->s, e));
    if (with_next) {
        json_key(j, "next");
        if (event_current(&r->arena, e, clock_unix(), &next) == 0)
            occurrence_json(r, j, c, &next);
        else
            json_null(j);
        json_key(j, "followups");
        events_followups_json(r, j, e->id);
    }
    json_obj_close(j);
}

/* A view of e for the caller, with the answers to it. */
static int view_of(struct req *r, const struct event *e, const struct space *s, struct view_ctx *c)
{
    memset(c, 0, sizeof(*c));
    c->e = e;
    c->s = s;
    c->show_join = events_may_join(r, s);
    c->me = r->actor ? r->actor->id : 0;
    return event_rsvp_rows(req_db(r), &r->arena, e, clock_unix(), &c->rows, &c->nrows);
}

/* Answer {"event": …} for event id, loaded again as saved. */
static int answer_event(struct req *r, struct resp *w, int64_t id, int status)
{
    struct event e = {0};
    struct space s = {0};
    struct view_ctx c;
    struct json j;
    int rc = events_open(r, id, ACT_READ, &e, &s);

    if (!rc)
        rc = view_of(r, &e, &s, &c);
    if (rc)
        return rc;
    resp_json(w);
    w->status = status;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "event");
    event_json(r, &j, &c, true);
    json_obj_close(&j);
    return 0;
}

/* Reading an event from a request ------------------------------------------------------ */

const struct field events_api_fields[EF__MAX] = {
    [EF_TITLE] = {"title", FIELD_TEXT, false, EVENT_TITLE_MAX, 0, 0},
    [EF_DESCRIPTION] = {"description", FIELD_TEXT, false, EVENT_TEXT_MAX, 0, 0},
    [EF_AGENDA] = {"agenda", FIELD_TEXT, false, EVENT_TEXT_MAX, 0, 0},
    [EF_STARTS_AT] = {"starts_at", FIELD_TEXT, false, 40, 0, 0},
    [EF_ENDS_AT] = {"ends_at", FIELD_TEXT, false, 40, 0, 0},
    [EF_TZ] = {"tz", FIELD_TEXT, false, 100, 0, 0},
    [EF_MODE] = {"mode", FIELD_TEXT, false, 20, 0, 0},
    [EF_LOCATION] = {"location", FIELD_TEXT, false, EVENT_LOCATION_MAX, 0, 0},
    [EF_JOIN_URL] = {"join_url", FIELD_TEXT, false, EVENT_URL_MAX, 0, 0},
    [EF_CAPACITY] = {"capacity", FIELD_INT, false, 0, 0, 0},
    [EF_RRULE] = {"rrule", FIELD_TEXT, false, EVENT_RRULE_MAX, 0, 0},
    [EF_HOSTS] = {"hosts", FIELD_LIST, false, 40, 0, EVENT_HOSTS_MAX},
    [EF_STATUS] = {"status", FIELD_TEXT, false, 20, 0, 0},
};

/* Whether field i was given (for a new event, every field counts as given). */
static bool given(struct req *r, size_t i, bool create)
{
    return create || req_in(r, i)->present;
}

static int render(struct req *r, const char *field, struct str src, struct str *text,
                  struct str *html)
{
    struct html out;
    int rc;

    *text = src;
    *html = STR_NULL;
    if (!str_trim(src).len) {
        *text = STR_NULL;
        return 0;
    }
    rc = markdown_render(&r->arena, src, (size_t)EVENT_TEXT_MAX * 4, &out);
    if (rc == E_TOOBIG)
        return req_fail(r, E_INVAL, field, "is too long or too complex to show");
    if (rc)
        return req_fail(r, E_INVAL, field, "could not be rendered");
    *html = str_make(out.ptr, out.len);
    return 0;
}

/* The extra hosts named by handle: people who may take part in the space, the creator left out. */
static int read_hosts(struct req *r, const struct space *s, int64_t creator, int64_t **ids,
                      size_t *n)
{
    const struct value *v = req_in(r, EF_HOSTS);
    int rc = 0;

    *n = 0;
    *ids = arena_calloc(&r->arena, v->nitems ? v->nitems : 1, sizeof(**ids));
    for (size_t i = 0; i < v->nitems; i++) {
        struct str handle = str_trim(v->items[i]);
        int64_t id;
        bool can = false, again = false;

        if (handle.len && handle.ptr[0] == '@')
            handle = str_make(handle.ptr + 1, handle.len - 1);
        if (user_id_of(r, handle, &id)) {
            rc = req_fail(r, E_INVAL, "hosts", "names someone who has no account here");
            continue;
        }
        if (spaces_user_can(r, s, id, ACT_POST, &can) || !can) {
            rc = req_fail(r, E_INVAL, "hosts", "may name only members of the space");
            continue;
        }
        for (size_t k = 0; k < *n; k++)
            again |= (*ids)[k] == id;
        if (!again && id != creator)
            (*ids)[(*n)++] = id;
    }
    return rc;
}

/*
 * Fill e from the request's fields over what it holds (the defaults of a
 * new event, or the event as it is), checking each; every problem is
 * recorded against its field. *bump says whether calendars must hear of
 * the change.
 */
int events_read(struct req *r, const struct space *s, bool create, struct event *e, int64_t **hosts,
                size_t *nhosts, bool *hosts_given, bool *bump)
{
    const struct event old = *e;
    const char *msg, *field;
    bool times_ok = true, times_given = false, places_ok = true;
    int64_t reminders[16];
    size_t nrem;
    bool rem_given;
    int rc = 0;

    *bump = false;
    if (given(r, EF_TITLE, create)) {
        struct str title = str_trim(req_in(r, EF_TITLE)->text);

        msg = rule_event_title(title);
        if (msg)
            rc = req_fail(r, E_INVAL, "title", msg);
        e->title = title;
    }
    if (req_in(r, EF_DESCRIPTION)->present &&
        render(r, "description", req_in(r, EF_DESCRIPTION)->text, &e->description,
               &e->description_html))
        rc = E_INVAL;
    if (req_in(r, EF_AGENDA)->present &&
        render(r, "agenda", req_in(r, EF_AGENDA)->text, &e->agenda, &e->agenda_html))
        rc = E_INVAL;
    if (given(r, EF_TZ, create)) {
        e->tz = str_trim(req_in(r, EF_TZ)->text);
        msg = rule_zone(e->tz);
        if (msg) {
            rc = req_fail(r, E_INVAL, "tz", msg);
            times_ok = false;
        }
        times_given = true;
    }
    if (given(r, EF_STARTS_AT, create)) {
        msg = rule_local_time(req_in(r, EF_STARTS_AT)->text, &e->start_local);
        if (msg) {
            rc = req_fail(r, E_INVAL, "starts_at", msg);
            times_ok = false;
        }
        times_given = true;
    }
    if (given(r, EF_ENDS_AT, create)) {
        msg = rule_local_time(req_in(r, EF_ENDS_AT)->text, &e->end_local);
        if (msg) {
            rc = req_fail(r, E_INVAL, "ends_at", msg);
            times_ok = false;
        }
        times_given = true;
    }
    if (times_ok && times_given) {
        if (recur_to_utc(e->tz, e->start_local, &e->starts_at) ||
            recur_to_utc(e->tz, e->end_local, &e->ends_at)) {
            rc = req_fail(r, E_INVAL, "tz", "is not a time zone we know");
            times_ok = false;
        } else if (e->ends_at <= e->starts_at) {
            rc = req_fail(r, E_INVAL, "ends_at", "must be after starts_at");
            times_ok = false;
        } else if (e->ends_at - e->starts_at > EVENT_DURATION_MAX) {
            rc = req_fail(r, E_INVAL, "ends_at", "must be at most 31 days after starts_at");
            times_ok = false;
        }
    }
    if (given(r, EF_MODE, create)) {
        struct str mode = str_trim(req_in(r, EF_MODE)->text);

        e->mode = event_mode_parse(mode);
        if (e->mode == MODE__MAX) {
            rc = req_fail(r, E_INVAL, "mode",
                          mode.len ? "must be in_person, online or hybrid" : "is required");
            places_ok = false;
        }
    }
    if (req_in(r, EF_LOCATION)->present || input_is_null(r, "location")) {
        e->location = str_trim(req_in(r, EF_LOCATION)->text);
        msg = rule_location(e->location);
        if (msg) {
            rc = req_fail(r, E_INVAL, "location", msg);
            places_ok = false;
        }
    }
    if (req_in(r, EF_JOIN_URL)->present || input_is_null(r, "join_url")) {
        e->join_url = str_trim(req_in(r, EF_JOIN_URL)->text);
        msg = rule_join_url(e->join_url);
        if (msg) {
            rc = req_fail(r, E_INVAL, "join_url", msg);
            places_ok = false;
        }
    }
    if (places_ok) {
        msg = rule_mode_needs(e->mode, e->location, e->join_url, &field);
        if (msg)
            rc = req_fail(r, E_INVAL, field, msg);
    }
    if (req_in(r, EF_CAPACITY)->present && r->route->fields[EF_CAPACITY].type == FIELD_TEXT) {
        /* A form's text: empty for no limit. */
        struct str text = str_trim(req_in(r, EF_CAPACITY)->text);

        e->capacity = -1;
        if (text.len && (str_to_i64(text, &e->capacity) || e->capacity < 0)) {
            rc = req_fail(r, E_INVAL, "capacity", "must be 0 or more, or empty for no limit");
            e->capacity = old.capacity;
        }
    } else if (req_in(r, EF_CAPACITY)->present) {
        e->capacity = req_in(r, EF_CAPACITY)->num;
        if (e->capacity < 0)
            rc = req_fail(r, E_INVAL, "capacity", "must be 0 or more, or null for no limit");
    } else if (input_is_null(r, "capacity")) {
        e->capacity = -1;
    }
    if (req_in(r, EF_RRULE)->present || input_is_null(r, "rrule")) {
        if (times_ok) {
            msg =
                rule_rrule(&r->arena, req_in(r, EF_RRULE)->text, e->tz, e->start_local, &e->rrule);
            if (msg)
                rc = req_fail(r, E_INVAL, "rrule", msg);
        }
    } else if (times_ok && times_given && e->rrule.len) {
        /* New times under the old rule: the start must still be its first occurrence. */
        msg = rule_rrule(&r->arena, e->rrule, e->tz, e->start_local, &e->rrule);
        if (msg)
            rc = req_fail(r, E_INVAL, "starts_at", msg);
    }
    if (input_reminders(r, reminders, &nrem, &rem_given))
        rc = E_INVAL;
    else if (rem_given) {
        msg = rule_reminders(reminders, nrem, e->reminders, &e->nreminders);
        if (msg)
            rc = req_fail(r, E_INVAL, "reminders", msg);
    }
    *hosts_given = req_in(r, EF_HOSTS)->present;
    if (*hosts_given && read_hosts(r, s, create ? r->actor->id : e->created_by, hosts, nhosts))
        rc = E_INVAL;
    if (req_in(r, EF_STATUS)->present) {
        e->status = event_status_parse(str_trim(req_in(r, EF_STATUS)->text));
        if (create)
            rc = req_fail(r, E_INVAL, "status", "is set when an event is cancelled, not made");
        else if (e->status == EVENT_STATUS__MAX)
            rc = req_fail(r, E_INVAL, "status", "must be confirmed or cancelled");
        if (rc)
            e->status = old.status;
    }
    *bump = !str_eq(old.title, e->title) || !str_eq(old.description, e->description) ||
            !str_eq(old.agenda, e->agenda) || !str_eq(old.tz, e->tz) ||
            old.starts_at != e->starts_at || old.ends_at != e->ends_at ||
            local_time_seconds(old.start_local) != local_time_seconds(e->start_local) ||
            !str_eq(old.rrule, e->rrule) || old.mode != e->mode ||
            !str_eq(old.location, e->location) || !str_eq(old.join_url, e->join_url) ||
            old.status != e->status;
    return rc;
}

/* Events ------------------------------------------------------------------------------ */

static int create_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct event e = {0};
    int64_t *hosts = NULL, id;
    size_t nhosts = 0;
    bool hosts_given, bump;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_HOST_EVENT, &s);

    if (rc == E_PERM)
        return req_fail(r, E_PERM, NULL, "only the space's facilitators create events");
    if (rc)
        return rc;
    memset(&e, 0, sizeof(e));
    e.capacity = -1;
    e.mode = MODE__MAX;
    e.reminders[0] = 1440;
    e.reminders[1] = 60;
    e.nreminders = 2;
    rc = events_read(r, &s, true, &e, &hosts, &nhosts, &hosts_given, &bump);
    if (!rc)
        rc = event_create(r, &s, &e, hosts, nhosts, &id);
    if (rc)
        return rc;
    return answer_event(r, w, id, 201);
}

/* The window a list asks for: from (default now) to to (default 60 days on), at most 400 days. */
static int window_in(struct req *r, int64_t *from, int64_t *to)
{
    bool has_from, has_to;
    int rc = input_moment(r, "from", from, &has_from);

    if (input_moment(r, "to", to, &has_to))
        rc = E_INVAL;
    if (rc)
        return rc;
    if (!has_from)
        *from = clock_unix();
    if (!has_to)
        *to = *from + 60 * DAY;
    if (*to <= *from)
        return req_fail(r, E_INVAL, "to", "must be after from");
    if (*to - *from > EVENT_WINDOW_MAX)
        return req_fail(r, E_INVAL, "to", "must be at most 400 days after from");
    return 0;
}

/* An occurrence in a list, with the view of the event it is of. */
struct listed {
    const struct occurrence *o;
    const struct view_ctx *c;
};

static int by_start(const void *a, const void *b)
{
    const struct listed *x = a, *y = b;

    if (x->o->start != y->o->start)
        return (x->o->start > y->o->start) - (x->o->start < y->o->start);
    return (x->c->e->id > y->c->e->id) - (x->c->e->id < y->c->e->id);
}

enum { EL_FROM, EL_TO, EL__MAX };

static const struct field list_fields[EL__MAX] = {
    [EL_FROM] = {"from", FIELD_TEXT, false, 40, 0, 0},
    [EL_TO] = {"to", FIELD_TEXT, false, 40, 0, 0},
};

static int list_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct event *ev;
    struct view_ctx *ctx;
    struct listed *all;
    size_t n, total = 0, room = EVENT_OCCURRENCES;
    int64_t from, to;
    bool more = false;
    struct str feed;
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (!rc)
        rc = window_in(r, &from, &to);
    if (!rc)
        rc = events_in_space(req_db(r), &r->arena, s.id, from, to, &ev, &n);
    if (rc)
        return rc;
    ctx = arena_calloc(&r->arena, n ? n : 1, sizeof(*ctx));
    all = arena_calloc(&r->arena, EVENT_OCCURRENCES, sizeof(*all));
    for (size_t i = 0; i < n && room; i++) {
        struct occurrence *o;
        size_t k;
        bool m;

        rc = view_of(r, &ev[i], &s, &ctx[i]);
        if (!rc)
            rc = event_occurrences(&r->arena, &ev[i], from, to, room, &o, &k, &m);
        if (rc)
            return rc;
        more |= m;
        for (size_t q = 0; q < k; q++)
            all[total++] = (struct listed){&o[q], &ctx[i]};
        room -= k;
        more |= !room && i + 1 < n;
    }
    /* One list across the events, by start. */
    qsort(all, total, sizeof(*all), by_start);
    rc = feeds_space_url(r, &s, &feed);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "space");
    json_str(&j, s.slug);
    json_utc(&j, "from", from);
    json_utc(&j, "to", to);
    json_text_or_null(&j, "feed_url", feed);
    json_key(&j, "occurrences");
    json_arr_open(&j);
    for (size_t i = 0; i < total; i++)
        occurrence_json(r, &j, all[i].c, all[i].o);
    json_arr_close(&j);
    json_key(&j, "more");
    json_bool(&j, more);
    json_obj_close(&j);
    return 0;
}

static int show_api(struct req *r, struct resp *w)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (rc)
        return rc;
    return answer_event(r, w, id, 200);
}

/* Open an event the caller runs: 404 for those who may not read it, 403 for readers. */
static int open_hosted(struct req *r, struct event *e, struct space *s)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = events_open(r, id, ACT_READ, e, s);
    if (rc)
        return rc;
    if (!events_may_host(r, s, e))
        return req_fail(r, E_PERM, NULL, "only its hosts and the space's facilitators do that");
    return 0;
}

static int edit_api(struct req *r, struct resp *w)
{
    struct event old = {0}, e;
    struct space s = {0};
    int64_t *hosts = NULL;
    size_t nhosts = 0, nmoved;
    bool hosts_given, bump;
    struct moved_up *moved;
    int rc = open_hosted(r, &old, &s);

    if (rc)
        return rc;
    e = old;
    rc = events_read(r, &s, false, &e, &hosts, &nhosts, &hosts_given, &bump);
    if (!rc)
        rc = event_update(r, &old, &e, hosts_given ? hosts : NULL, nhosts, bump, &moved, &nmoved);
    if (rc)
        return rc;
    return answer_event(r, w, e.id, 200);
}

static int delete_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    int rc = open_hosted(r, &e, &s);

    if (!rc)
        rc = event_delete(r, &e);
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

/*
 * The occurrence a request names in field name, which must be a real one
 * of e: 400 otherwise. With none given, *given is false.
 */
static int occurrence_in(struct req *r, const char *name, const struct event *e,
                         struct occurrence *o, bool *given)
{
    int64_t t;
    int rc = input_moment(r, name, &t, given);

    if (rc || !*given)
        return rc;
    rc = event_occurrence(e, t, o);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_INVAL, name, "is not an occurrence of this event");
    if (rc)
        return req_fail(r, E_INVAL, name, "is not an occurrence of this event");
    return 0;
}

const struct field events_exception_fields[EX__MAX] = {
    [EX_CANCELLED] = {"cancelled", FIELD_BOOL, false, 0, 0, 0},
};

int events_set_exception(struct req *r, const struct event *e)
{
    struct occurrence o = {0};
    bool given, cancel;
    int rc = occurrence_in(r, "occurrence", e, &o, &given);

    if (rc)
        return rc;
    if (!given)
        return req_fail(r, E_INVAL, "occurrence", "is required");
    if (!e->rrule.len)
        return req_fail(r, E_INVAL, "occurrence",
                        "is the only one: cancel a one-time event with status cancelled");
    cancel = req_in(r, EX_CANCELLED)->present ? req_in(r, EX_CANCELLED)->flag : true;
    if (cancel == o.cancelled)
        return 0;
    return event_set_cancelled(r, e, o.start, cancel);
}

static int exception_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    int rc = open_hosted(r, &e, &s);

    if (!rc)
        rc = events_set_exception(r, &e);
    if (rc)
        return rc;
    return answer_event(r, w, e.id, 200);
}

/* Answers ------------------------------------------------------------------------------- */

const struct field events_rsvp_fields[RS__MAX] = {
    [RS_STATUS] = {"status", FIELD_TEXT, true, 20, 0, 0},
};

/* Open an event the caller takes part in: 403 for readers who are not in the space. */
static int open_taking_part(struct req *r, struct event *e, struct space *s, const char *why)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = events_open(r, id, ACT_POST, e, s);
    if (rc == E_PERM)
        return req_fail(r, E_PERM, NULL, why);
    return rc;
}

int events_rsvp(struct req *r, const struct event *e, struct occurrence *o, bool *given,
                enum rsvp_status *status, size_t *nmoved)
{
    struct moved_up *moved;
    int64_t now = clock_unix();
    int rc = 0;

    *nmoved = 0;
    *status = rsvp_status_parse(str_trim(req_in(r, RS_STATUS)->text));
    if (*status == RSVP__MAX)
        rc = req_fail(r, E_INVAL, "status", "must be going, maybe or not_going");
    if (occurrence_in(r, "occurrence", e, o, given))
        rc = E_INVAL;
    if (rc)
        return rc;
    if (e->status == EVENT_CANCELLED)
        return req_fail(r, E_CONFLICT, NULL, "this event was cancelled");
    if (*given && o->cancelled)
        return req_fail(r, E_INVAL, "occurrence", "was cancelled");
    if (*given && o->end <= now)
        return req_fail(r, E_INVAL, "occurrence", "is over");
    if (!*given && e->last_end_at && e->last_end_at <= now)
        return req_fail(r, E_CONFLICT, NULL, "this event is over");
    return rsvp_set(r, e, *given ? o->start : 0, *status, &moved, nmoved);
}

static int rsvp_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct occurrence o = {0}, shown = {0};
    enum rsvp_status status;
    size_t nmoved;
    bool given, has_shown;
    struct view_ctx c;
    struct json j;
    int rc = open_taking_part(r, &e, &s, "join the space to answer");

    if (!rc)
        rc = events_rsvp(r, &e, &o, &given, &status, &nmoved);
    if (!rc)
        rc = view_of(r, &e, &s, &c);
    if (rc)
        return rc;
    /* The occurrence to show: the one answered for, or for the series the next. */
    if (given) {
        shown = o;
        has_shown = true;
    } else {
        has_shown = event_current(&r->arena, &e, clock_unix(), &shown) == 0;
    }
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "rsvp");
    json_obj_open(&j);
    json_key(&j, "answer");
    json_str_c(&j, rsvp_status_name(status));
    json_key(&j, "occurrence");
    if (given)
        json_i64(&j, o.start);
    else
        json_null(&j);
    json_obj_close(&j);
    json_key(&j, "occurrence");
    if (has_shown)
        occurrence_json(r, &j, &c, &shown);
    else
        json_null(&j);
    json_key(&j, "moved_up");
    json_i64(&j, (int64_t)nmoved);
    json_obj_close(&j);
    return 0;
}

/* Attendance ---------------------------------------------------------------------------- */

/* The mode someone attended by: as said, or the event's own when it has one. */
static int attend_mode_in(struct req *r, const struct event *e, struct str text,
                          enum attend_mode *mode)
{
    text = str_trim(text);
    if (!text.len) {
        if (e->mode == MODE_HYBRID)
            return req_fail(r, E_INVAL, "mode",
                            "is required for a hybrid event: in_person or online");
        *mode = e->mode == MODE_ONLINE ? ATTEND_ONLINE : ATTEND_IN_PERSON;
        return 0;
    }
    *mode = attend_mode_parse(text);
    if (*mode == ATTEND__MAX)
        return req_fail(r, E_INVAL, "mode", "must be in_person or online");
    if (e->mode == MODE_IN_PERSON && *mode != ATTEND_IN_PERSON)
        return req_fail(r, E_INVAL, "mode", "must be in_person: this event happens in person only");
    if (e->mode == MODE_ONLINE && *mode != ATTEND_ONLINE)
        return req_fail(r, E_INVAL, "mode", "must be online: this event happens online only");
    return 0;
}

static bool checkin_open(const struct occurrence *o, int64_t now)
{
    return now >= o->start - CHECKIN_OPENS_BEFORE && now <= o->end + CHECKIN_CLOSES_AFTER;
}

bool events_checkin_now(struct req *r, const struct event *e, int64_t now, struct occurrence *out)
{
    struct occurrence *o;
    size_t n;
    bool more;

    if (event_occurrences(&r->arena, e, now - CHECKIN_CLOSES_AFTER, now + CHECKIN_OPENS_BEFORE + 1,
                          16, &o, &n, &more))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!o[i].cancelled && checkin_open(&o[i], now)) {
            *out = o[i];
            return true;
        }
    }
    return false;
}

const struct field events_checkin_fields[CI__MAX] = {
    [CI_CODE] = {"code", FIELD_TEXT, true, 32, 0, 0},
    [CI_MODE] = {"mode", FIELD_TEXT, false, 20, 0, 0},
};

#define WINDOW_MSG \
    "is taken only from 30 minutes before an occurrence starts until 15 minutes after it ends"

int events_checkin(struct req *r, struct resp *w, const struct event *e, struct occurrence *o,
                   enum attend_mode *mode)
{
    char want[CHECKIN_CODE_LEN + 1], got[CHECKIN_CODE_LEN + 1];
    int64_t now = clock_unix();
    bool given, match;
    int retry = 0;
    struct buf key;
    int rc = 0;

    if (occurrence_in(r, "occurrence", e, o, &given))
        rc = E_INVAL;
    if (attend_mode_in(r, e, req_in(r, CI_MODE)->text, mode))
        rc = E_INVAL;
    if (rc)
        return rc;
    if (e->status == EVENT_CANCELLED)
        return req_fail(r, E_CONFLICT, NULL, "this event was cancelled");
    if (given && o->cancelled)
        return req_fail(r, E_INVAL, "occurrence", "was cancelled");
    if (given ? !checkin_open(o, now) : !events_checkin_now(r, e, now, o))
        return req_fail(r, E_INVAL, "code", WINDOW_MSG);
    buf_init(&key, &r->arena, 200);
    buf_put_i64(&key, r->actor->id);
    buf_putc(&key, ':');
    buf_put_i64(&key, e->id);
    rc = rate_check(r, &checkin_rule, buf_str(&key), &retry);
    if (rc < 0)
        return rc;
    if (rc > 0)
        return rate_refuse(r, w, retry, "too many wrong codes; try again later");
    events_checkin_code(e, o->start, want);
    match = checkin_code_normal(req_in(r, CI_CODE)->text, got) &&
            sodium_memcmp(got, want, CHECKIN_CODE_LEN) == 0;
    if (!match) {
        rc = rate_hit(r, &checkin_rule, buf_str(&key), &retry);
        if (rc < 0)
            return rc;
        return req_fail(r, E_INVAL, "code", "is not the code of this occurrence");
    }
    return attendance_put(r, e, o->start, r->actor->id, *mode, false);
}

static int checkin_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct occurrence o = {0};
    enum attend_mode mode;
    struct json j;
    struct view_ctx c;
    int rc = open_taking_part(r, &e, &s, "join the space to check in");

    if (!rc)
        rc = events_checkin(r, w, &e, &o, &mode);
    if (!rc)
        rc = view_of(r, &e, &s, &c);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "attendance");
    json_obj_open(&j);
    json_key(&j, "occurrence");
    json_i64(&j, o.start);
    json_key(&j, "mode");
    json_str_c(&j, attend_mode_name(mode));
    json_key(&j, "via");
    json_str_c(&j, "checkin");
    json_obj_close(&j);
    json_key(&j, "occurrence");
    occurrence_json(r, &j, &c, &o);
    json_obj_close(&j);
    return 0;
}

/* A host's view of one occurrence: its code, who answered, who came. */
static int answer_attendance(struct req *r, struct resp *w, const struct event *e,
                             const struct space *s, const struct occurrence *o)
{
    struct rsvp_place *places;
    struct attendee *att;
    size_t nplaces, natt;
    struct rsvp_tally t;
    char code[CHECKIN_CODE_LEN + 1];
    int64_t in_person = 0, online = 0;
    struct view_ctx c;
    struct json j;
    int rc = event_people(req_db(r), &r->arena, e, o->start, clock_unix(), &places, &nplaces, &t);

    if (!rc)
        rc = event_attendees(req_db(r), &r->arena, e->id, o->start, &att, &natt);
    if (!rc)
        rc = view_of(r, e, s, &c);
    if (rc)
        return rc;
    events_checkin_code(e, o->start, code);
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "occurrence");
    occurrence_json(r, &j, &c, o);
    json_key(&j, "code");
    json_str_c(&j, code);
    json_utc(&j, "checkin_opens", o->start - CHECKIN_OPENS_BEFORE);
    json_utc(&j, "checkin_closes", o->end + CHECKIN_CLOSES_AFTER);
    json_key(&j, "people");
    json_arr_open(&j);
    for (size_t i = 0; i < nplaces; i++) {
        json_obj_open(&j);
        json_key(&j, "handle");
        json_str(&j, places[i].row->handle);
        json_key(&j, "name");
        json_str(&j, places[i].row->name);
        json_key(&j, "status");
        json_str_c(&j, rsvp_status_name(places[i].status));
        json_key(&j, "waitlist_position");
        json_i64_or_null(&j, places[i].position);
        json_obj_close(&j);
    }
    json_arr_close(&j);
    json_key(&j, "attendees");
    json_arr_open(&j);
    for (size_t i = 0; i < natt; i++) {
        json_obj_open(&j);
        json_key(&j, "handle");
        json_str(&j, att[i].handle);
        json_key(&j, "name");
        json_str(&j, att[i].name);
        json_key(&j, "mode");
        json_str_c(&j, attend_mode_name(att[i].mode));
        json_key(&j, "via");
        json_str_c(&j, att[i].by_host ? "host" : "checkin");
        json_text_or_null(&j, "marked_by", att[i].by_host ? att[i].marked_by : STR_NULL);
        json_key(&j, "at");
        json_i64(&j, att[i].at);
        json_obj_close(&j);
        if (att[i].mode == ATTEND_ONLINE)
            online++;
        else
            in_person++;
    }
    json_arr_close(&j);
    json_key(&j, "attended");
    json_obj_open(&j);
    json_key(&j, "in_person");
    json_i64(&j, in_person);
    json_key(&j, "online");
    json_i64(&j, online);
    json_obj_close(&j);
    json_obj_close(&j);
    return 0;
}

enum { AG_OCCURRENCE, AG__MAX };

static const struct field attendance_get_fields[AG__MAX] = {
    [AG_OCCURRENCE] = {"occurrence", FIELD_TEXT, false, 40, 0, 0},
};

static int attendance_get_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct occurrence o = {0};
    bool given;
    int rc = open_hosted(r, &e, &s);

    if (!rc)
        rc = occurrence_in(r, "occurrence", &e, &o, &given);
    if (!rc && !given)
        rc = event_current(&r->arena, &e, clock_unix(), &o);
    if (rc)
        return rc;
    return answer_attendance(r, w, &e, &s, &o);
}

const struct field events_attendance_fields[AP__MAX] = {
    [AP_HANDLE] = {"handle", FIELD_TEXT, true, 40, 0, 0},
    [AP_MODE] = {"mode", FIELD_TEXT, false, 20, 0, 0},
    [AP_PRESENT] = {"present", FIELD_BOOL, false, 0, 0, 0},
};

int events_mark(struct req *r, const struct space *s, const struct event *e, struct occurrence *o)
{
    enum attend_mode mode = ATTEND_IN_PERSON;
    struct str handle;
    int64_t user_id = 0;
    bool given, present, can = false;
    int rc = 0;

    present = req_in(r, AP_PRESENT)->present ? req_in(r, AP_PRESENT)->flag : true;
    if (occurrence_in(r, "occurrence", e, o, &given))
        rc = E_INVAL;
    else if (!given)
        rc = req_fail(r, E_INVAL, "occurrence", "is required");
    handle = str_trim(req_in(r, AP_HANDLE)->text);
    if (handle.len && handle.ptr[0] == '@')
        handle = str_make(handle.ptr + 1, handle.len - 1);
    if (user_id_of(r, handle, &user_id) || spaces_user_can(r, s, user_id, ACT_POST, &can) || !can)
        rc = req_fail(r, E_INVAL, "handle", "must name a member of the space");
    if (present && attend_mode_in(r, e, req_in(r, AP_MODE)->text, &mode))
        rc = E_INVAL;
    if (rc)
        return rc;
    if (o->start - CHECKIN_OPENS_BEFORE > clock_unix())
        return req_fail(r, E_INVAL, "occurrence", "has not begun yet");
    if (o->cancelled)
        return req_fail(r, E_INVAL, "occurrence", "was cancelled");
    return present ? attendance_put(r, e, o->start, user_id, mode, true)
                   : attendance_remove(r, e, o->start, user_id);
}

static int attendance_post_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct occurrence o = {0};
    int rc = open_hosted(r, &e, &s);

    if (!rc)
        rc = events_mark(r, &s, &e, &o);
    if (rc)
        return rc;
    return answer_attendance(r, w, &e, &s, &o);
}

#define EVENT "/api/v1/events/{id}"

static const struct route routes[] = {
    {HTTP_POST, "/api/v1/spaces/{slug}/events", create_api, events_api_fields, EF__MAX, ROUTE_AUTH},
    {HTTP_GET, "/api/v1/spaces/{slug}/events", list_api, list_fields, EL__MAX, 0},
    {HTTP_GET, EVENT, show_api, NULL, 0, 0},
    {HTTP_PATCH, EVENT, edit_api, events_api_fields, EF__MAX, ROUTE_AUTH},
    {HTTP_DELETE, EVENT, delete_api, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, EVENT "/exceptions", exception_api, events_exception_fields, EX__MAX, ROUTE_AUTH},
    {HTTP_POST, EVENT "/rsvp", rsvp_api, events_rsvp_fields, RS__MAX, ROUTE_AUTH},
    {HTTP_POST, EVENT "/checkin", checkin_api, events_checkin_fields, CI__MAX, ROUTE_AUTH},
    {HTTP_GET, EVENT "/attendance", attendance_get_api, attendance_get_fields, AG__MAX, ROUTE_AUTH},
    {HTTP_POST, EVENT "/attendance", attendance_post_api, events_attendance_fields, AP__MAX,
     ROUTE_AUTH},
};

static int init(struct app *a)
{
    (void)a;
    recur_init();
    return 0;
}

const struct feature feature_events = {
    .name = "events",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .init = init,
};
