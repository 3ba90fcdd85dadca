#include "feature/events/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "feature/events/events_int.h"
#include "feature/events/feeds.h"
#include "feature/events/views.h"
#include "feature/spaces/pages.h"
#include "http/session.h"
#include "view/markdown.h"

#define DAY              ((int64_t)86400)
#define PAGE_OCCURRENCES 12 /* the dates to come an event's page lists */

/* Small helpers ------------------------------------------------------------------ */

static struct url event_url(struct req *r, int64_t id, const char *tail)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    buf_printf(&b, "/events/%lld%s", (long long)id, tail);
    return url_of_buf(&r->arena, &b);
}

static struct url person_url(struct req *r, struct str handle)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/people/");
    buf_put_str(&b, handle);
    return url_of_buf(&r->arena, &b);
}

static void see_other(struct resp *w, struct url to)
{
    w->status = 303;
    resp_header(w, "Location", to.ptr);
}

static struct str num_text(struct req *r, int64_t n)
{
    struct buf b;

    buf_init(&b, &r->arena, 24);
    buf_put_i64(&b, n);
    return buf_str(&b);
}

/* The message recorded for field, or an empty view. */
static struct str field_error(struct req *r, const char *field)
{
    for (size_t i = 0; i < r->nerrs; i++)
        if (r->errs[i].field && strcmp(r->errs[i].field, field) == 0)
            return str_c(r->errs[i].msg);
    return STR_NULL;
}

/* What the router found wrong with the inputs must not outlive a 403 or 404 that answers first. */
static void forget_input_errors(struct req *r)
{
    r->nerrs = 0;
    r->err_msg = NULL;
    r->invalid = 0;
}

/* A refusal to open answers first (404, or 403 with why); other errors stand. */
static int refused(struct req *r, int rc, const char *missing, const char *why)
{
    if (rc != E_PERM && rc != E_NOTFOUND)
        return rc;
    forget_input_errors(r);
    req_fail(r, rc, NULL, rc == E_PERM ? why : missing);
    return rc;
}

static const char *const no_space = "there is no such space";
static const char *const no_event = "there is no such event";

/* The route's {id} as a positive number; anything else names nothing (404). */
static int id_param(struct req *r, int64_t *id)
{
    if (str_to_i64(req_param(r, "id"), id) || *id <= 0) {
        forget_input_errors(r);
        return req_fail(r, E_NOTFOUND, NULL, "there is nothing at this address");
    }
    return 0;
}

/* The short note a redirect asks the next page to show (?notice=…); fixed texts only. */
static const struct {
    const char *key, *text;
} notices[] = {
    {"created", "The event is in the calendar."},
    {"saved", "Your changes are saved."},
    {"answered", "Your answer is saved."},
    {"checked-in", "You are checked in. Welcome!"},
    {"marked", "Attendance is saved."},
    {"date-cancelled", "That date is cancelled; calendars will drop it."},
    {"date-restored", "That date is on again."},
};

static struct str notice_of(struct req *r)
{
    const struct kv *kv = kv_get(&r->query, STR_LIT("notice"));

    for (size_t i = 0; kv && i < ARRAY_LEN(notices); i++)
        if (str_eq_c(kv->value, notices[i].key))
            return str_c(notices[i].text);
    return STR_NULL;
}

/* Times for people ------------------------------------------------------------------ */

static const char *const weekdays[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};
static const char *const months[12] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

/* Monday 0 … Sunday 6 (1 January 1970 was a Thursday). */
static int weekday_of(struct local_time t)
{
    struct local_time day = {t.year, t.month, t.day, 0, 0, 0};
    int64_t days = local_time_seconds(day) / DAY;

    return (int)(((days % 7) + 7 + 3) % 7);
}

/* "Tuesday 13 October 2026" (without the year when year_too is false). */
static struct str date_text(struct req *r, struct local_time t, bool year_too)
{
    struct buf b;

    buf_init(&b, &r->arena, 64);
    buf_printf(&b, "%s %d %s", weekdays[weekday_of(t)], t.day, months[(t.month + 11) % 12]);
    if (year_too)
        buf_printf(&b, " %d", t.year);
    return buf_str(&b);
}

static void put_hm(struct buf *b, struct local_time t)
{
    buf_printf(b, "%02d:%02d", t.hour, t.minute);
}

static bool same_day(struct local_time a, struct local_time b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

/* "18:00–19:30", or "22:00 – Wednesday 14 October, 01:00" across midnight. */
static struct str span_text(struct req *r, struct local_time start, struct local_time end)
{
    struct buf b;

    buf_init(&b, &r->arena, 96);
    put_hm(&b, start);
    if (same_day(start, end)) {
        BUF_LIT(&b, "\xe2\x80\x93");
    } else {
        BUF_LIT(&b, " \xe2\x80\x93 ");
        buf_put_str(&b, date_text(r, end, false));
        BUF_LIT(&b, ", ");
    }
    put_hm(&b, end);
    return buf_str(&b);
}

/* An occurrence as a reader sees it: in their zone, with the event's own time when it differs. */
struct shown {
    struct str date, time, iso, note;
    struct local_time start; /* in the reader's zone */
};

static void show(struct req *r, const struct event *e, struct str zone, const struct occurrence *o,
                 struct shown *out)
{
    struct local_time start = o->start_local, end = o->end_local;
    char iso[21];

    out->note = STR_NULL;
    if (!str_eq(zone, e->tz) && !recur_to_local(zone, o->start, &start, NULL) &&
        !recur_to_local(zone, o->end, &end, NULL)) {
        struct buf b;

        buf_init(&b, &r->arena, 128);
        put_hm(&b, o->start_local);
        if (!same_day(start, o->start_local)) {
            BUF_LIT(&b, " on ");
            buf_put_str(&b, date_text(r, o->start_local, false));
        }
        BUF_LIT(&b, " in ");
        buf_put_str(&b, e->tz);
        out->note = buf_str(&b);
    }
    out->start = start;
    out->date = date_text(r, start, true);
    out->time = span_text(r, start, end);
    clock_rfc3339(o->start, iso);
    out->iso = str_make(arena_strndup(&r->arena, iso, strlen(iso)), strlen(iso));
}

/* The zone the caller reads times in: their profile's, else fallback. */
static struct str zone_of_reader(struct req *r, struct str fallback)
{
    struct str tz = fallback;

    if (r->actor && events_user_zone(req_db(r), &r->arena, r->actor->id, &tz))
        tz = fallback;
    return tz;
}

/* "Every week, 6 times", "Every 2 months, until Tuesday 17 November 2026": a rule for people. */
static struct str repeats_text(struct req *r, const struct event *e, struct str zone)
{
    static const struct {
        const char *freq, *one, *many;
    } units[] = {{"DAILY", "day", "days"},
                 {"WEEKLY", "week", "weeks"},
                 {"MONTHLY", "month", "months"},
                 {"YEARLY", "year", "years"}};
    struct str rest = e->rrule;
    const char *one = NULL, *many = NULL;
    int64_t interval = 1, count = 0;
    bool by = false;
    struct buf b;

    if (!rest.len)
        return STR_NULL;
    while (rest.len) {
        long semi = str_index(rest, ';');
        struct str part = str_make(rest.ptr, semi < 0 ? rest.len : (size_t)semi);

        rest = semi < 0 ? STR_NULL : str_make(rest.ptr + semi + 1, rest.len - (size_t)semi - 1);
        if (str_starts_with(part, STR_LIT("FREQ="))) {
            for (size_t i = 0; i < ARRAY_LEN(units); i++)
                if (str_eq_c(str_make(part.ptr + 5, part.len - 5), units[i].freq)) {
                    one = units[i].one;
                    many = units[i].many;
                }
        } else if (str_starts_with(part, STR_LIT("INTERVAL="))) {
            str_to_i64(str_make(part.ptr + 9, part.len - 9), &interval);
        } else if (str_starts_with(part, STR_LIT("COUNT="))) {
            str_to_i64(str_make(part.ptr + 6, part.len - 6), &count);
        } else if (str_starts_with(part, STR_LIT("BY"))) {
            by = true;
        }
    }
    buf_init(&b, &r->arena, 256);
    if (!one)
        BUF_LIT(&b, "Repeats");
    else if (interval > 1)
        buf_printf(&b, "Every %lld %s", (long long)interval, many);
    else
        buf_printf(&b, "Every %s", one);
    if (by) {
        BUF_LIT(&b, " (");
        buf_put_str(&b, e->rrule);
        BUF_LIT(&b, ")");
    }
    if (count)
        buf_printf(&b, ", %lld times", (long long)count);
    else if (e->last_end_at) {
        struct local_time until;

        if (!recur_to_local(zone, e->last_end_at, &until, NULL)) {
            BUF_LIT(&b, ", until ");
            buf_put_str(&b, date_text(r, until, true));
        }
    }
    return buf_str(&b);
}

static const char *mode_label(enum event_mode m)
{
    return m == MODE_ONLINE ? "Online" : m == MODE_HYBRID ? "In person and online" : "In person";
}

/* "Room 4", "Online", "Room 4 and online": where, in one line. */
static struct str place_text(struct req *r, const struct event *e)
{
    struct buf b;

    if (e->mode == MODE_ONLINE || !e->location.len)
        return str_c(mode_label(e->mode));
    if (e->mode == MODE_IN_PERSON)
        return e->location;
    buf_init(&b, &r->arena, 400);
    buf_put_str(&b, e->location);
    BUF_LIT(&b, " and online");
    return buf_str(&b);
}

/* A space's calendar -------------------------------------------------------------- */

/* An occurrence found for the calendar, with its event. */
struct found {
    struct occurrence o;
    const struct event *e;
};

static int by_start(const void *a, const void *b)
{
    const struct found *x = a, *y = b;

    if (x->o.start != y->o.start)
        return (x->o.start > y->o.start) - (x->o.start < y->o.start);
    return (x->e->id > y->e->id) - (x->e->id < y->e->id);
}

/* The occurrences of a space's events in [from, to), by start. */
static int occurrences_between(struct req *r, int64_t space_id, int64_t from, int64_t to,
                               struct found **out, size_t *n)
{
    struct event *ev;
    size_t nev, room = EVENT_OCCURRENCES, cap = 0;
    int rc = events_in_space(req_db(r), &r->arena, space_id, from, to, &ev, &nev);

    *out = NULL;
    *n = 0;
    for (size_t i = 0; !rc && i < nev && room; i++) {
        struct occurrence *o;
        size_t k;
        bool more;

        rc = event_occurrences(&r->arena, &ev[i], from, to, room, &o, &k, &more);
        for (size_t q = 0; !rc && q < k; q++) {
            if (*n == cap)
                *out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
            (*out)[(*n)++] = (struct found){o[q], &ev[i]};
        }
        room -= k;
    }
    if (*n)
        qsort(*out, *n, sizeof(**out), by_start);
    return rc;
}

static void item_of(struct req *r, const struct found *f, struct str zone,
                    struct view_calendar_item *it, struct local_time *start)
{
    struct shown sh;

    show(r, f->e, zone, &f->o, &sh);
    it->title = f->e->title;
    it->href = event_url(r, f->e->id, "");
    it->time = sh.time;
    it->iso = sh.iso;
    it->zone_note = sh.note;
    it->place = place_text(r, f->e);
    it->cancelled = f->e->status == EVENT_CANCELLED || f->o.cancelled;
    *start = sh.start;
}

/* "2026-10": a month; false when it is not one (the page then shows this month). */
static bool month_in(struct str s, int *year, int *month)
{
    int64_t y, m;

    if (s.len != 7 || s.ptr[4] != '-' || str_to_i64(str_make(s.ptr, 4), &y) ||
        str_to_i64(str_make(s.ptr + 5, 2), &m) || y < EVENT_YEAR_MIN || y > EVENT_YEAR_MAX ||
        m < 1 || m > 12)
        return false;
    *year = (int)y;
    *month = (int)m;
    return true;
}

static struct url calendar_url(struct req *r, struct str slug, int year, int month, bool list)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/spaces/");
    buf_put_str(&b, slug);
    buf_printf(&b, "/calendar?month=%04d-%02d%s", year, month, list ? "&view=list" : "");
    return url_of_buf(&r->arena, &b);
}

enum { CAL_MONTH, CAL_VIEW, CAL__MAX };

static const struct field calendar_fields[CAL__MAX] = {
    [CAL_MONTH] = {"month", FIELD_TEXT, false, 10, 0, 0},
    [CAL_VIEW] = {"view", FIELD_TEXT, false, 10, 0, 0},
};

static int calendar_page(struct req *r, struct resp *w)
{
    struct view_event_calendar vm = {0};
    struct space s = {0};
    struct str zone, feed;
    struct local_time today, first, grid_start, grid_end;
    int year, month, offset, ndays;
    int64_t from, to, now = clock_unix();
    struct found *found;
    size_t n;
    struct view_calendar_day *days;
    struct view_calendar_week *weeks;
    struct buf body, title;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (rc)
        return refused(r, rc, no_space, no_space);
    forget_input_errors(r);
    zone = zone_of_reader(r, STR_LIT("UTC"));
    if (recur_to_local(zone, now, &today, NULL))
        today = local_time_from_seconds(now);
    if (!month_in(req_in(r, CAL_MONTH)->text, &year, &month)) {
        year = today.year;
        month = today.month;
    }
    vm.as_list = str_eq_c(req_in(r, CAL_VIEW)->text, "list");
    vm.as_grid = !vm.as_list;
    first = (struct local_time){year, month, 1, 0, 0, 0};
    offset = weekday_of(first);
    ndays = days_in_month(year, month);
    grid_start = local_time_from_seconds(local_time_seconds(first) - offset * DAY);
    vm.nweeks = (size_t)((offset + ndays + 6) / 7);
    grid_end =
        local_time_from_seconds(local_time_seconds(grid_start) + (int64_t)vm.nweeks * 7 * DAY);
    if (recur_to_utc(zone, vm.as_grid ? grid_start : first, &from) ||
        recur_to_utc(zone,
                     vm.as_grid ? grid_end
                                : local_time_from_seconds(local_time_seconds(first) + ndays * DAY),
                     &to))
        return E_INVAL;
    rc = occurrences_between(r, s.id, from, to, &found, &n);
    if (rc)
        return rc;
    /* Each occurrence into the day it starts on, in the reader's zone. */
    days = arena_calloc(&r->arena, vm.nweeks * 7, sizeof(*days));
    {
        struct view_calendar_item *items = arena_calloc(&r->arena, n ? n : 1, sizeof(*items));
        struct local_time *starts = arena_calloc(&r->arena, n ? n : 1, sizeof(*starts));
        int64_t base = local_time_seconds(grid_start) / DAY;
        size_t k = 0;

        for (size_t i = 0; i < n; i++)
            item_of(r, &found[i], zone, &items[i], &starts[i]);
        for (size_t d = 0; d < vm.nweeks * 7; d++) {
            struct local_time day = local_time_from_seconds((base + (int64_t)d) * DAY);

            days[d].number = num_text(r, day.day);
            days[d].label = date_text(r, day, true);
            days[d].other_month = day.month != month;
            days[d].today = same_day(day, today);
            /* Those under way when the grid begins started before it: not shown. */
            while (k < n && local_time_seconds(starts[k]) / DAY < base + (int64_t)d)
                k++;
            days[d].items = &items[k];
            while (k < n && local_time_seconds(starts[k]) / DAY == base + (int64_t)d) {
                days[d].nitems++;
                k++;
            }
        }
    }
    weeks = arena_calloc(&r->arena, vm.nweeks, sizeof(*weeks));
    for (size_t wk = 0; wk < vm.nweeks; wk++)
        weeks[wk] = (struct view_calendar_week){&days[wk * 7], 7};
    vm.weeks = weeks;
    if (vm.as_list) {
        struct view_calendar_listday *list = arena_calloc(&r->arena, 32, sizeof(*list));

        for (size_t d = 0; d < vm.nweeks * 7; d++) {
            if (!days[d].nitems || days[d].other_month)
                continue;
            list[vm.ndays].label = days[d].label;
            list[vm.ndays].items = days[d].items;
            list[vm.ndays++].nitems = days[d].nitems;
        }
        vm.days = list;
    }
    {
        struct buf m;
        int py = month == 1 ? year - 1 : year, pm = month == 1 ? 12 : month - 1;
        int ny = month == 12 ? year + 1 : year, nm = month == 12 ? 1 : month + 1;

        buf_init(&m, &r->arena, 32);
        buf_printf(&m, "%s %d", months[month - 1], year);
        vm.month = buf_str(&m);
        vm.prev_label = str_c(months[pm - 1]);
        vm.next_label = str_c(months[nm - 1]);
        vm.prev_url = calendar_url(r, s.slug, py, pm, vm.as_list);
        vm.next_url = calendar_url(r, s.slug, ny, nm, vm.as_list);
        vm.grid_url = calendar_url(r, s.slug, year, month, false);
        vm.list_url = calendar_url(r, s.slug, year, month, true);
    }
    vm.zone = zone;
    vm.notice = notice_of(r);
    vm.can_create = spaces_can(r, &s, ACT_HOST_EVENT);
    vm.new_url = space_pages_link(r, s.slug, "/events/new");
    rc = feeds_space_url(r, &s, &feed);
    if (!rc && feed.len && !url_build(&r->arena, feed, &vm.feed_url)) {
        vm.has_feed = true;
        vm.feed_text = r->actor && !s.is_public
                           ? STR_LIT("Subscribe to this calendar (an address of your own: keep it "
                                     "to yourself)")
                           : STR_LIT("Subscribe to this calendar (iCalendar)");
    }
    if (!rc)
        rc = space_pages_calendar_chrome(r, &s, &vm.head, &vm.tabs);
    if (rc)
        return rc;
    resp_body_init(r, &body);
    view_event_calendar(&body, &vm);
    buf_init(&title, &r->arena, LIMIT_TEXT_DEFAULT);
    BUF_LIT(&title, "Calendar \xc2\xb7 ");
    buf_put_str(&title, s.name);
    return resp_page(r, w, buf_str(&title), STR_NULL, &body);
}

/* An event's page --------------------------------------------------------------------- */

/* "3 going, 1 waiting, 2 maybe". */
static struct str counts_text(struct req *r, const struct rsvp_tally *t, int64_t capacity)
{
    struct buf b;

    buf_init(&b, &r->arena, 128);
    buf_printf(&b, "%lld going", (long long)t->going);
    if (capacity >= 0)
        buf_printf(&b, " of %lld", (long long)capacity);
    if (t->waitlisted)
        buf_printf(&b, ", %lld waiting", (long long)t->waitlisted);
    if (t->maybe)
        buf_printf(&b, ", %lld maybe", (long long)t->maybe);
    return buf_str(&b);
}

static struct str mine_text(struct req *r, const struct rsvp_place *p)
{
    struct buf b;

    if (!p)
        return STR_NULL;
    switch (p->status) {
    case RSVP_GOING:
        return STR_LIT("You are going.");
    case RSVP_MAYBE:
        return STR_LIT("You might come.");
    case RSVP_NOT_GOING:
        return STR_LIT("You are not going.");
    case RSVP_WAITLISTED:
    case RSVP__MAX:
        break;
    }
    buf_init(&b, &r->arena, 96);
    buf_printf(&b, "It is full: you are number %lld on the waiting list.", (long long)p->position);
    return buf_str(&b);
}

/* What a failed form on the event page says, field by field. */
struct page_errors {
    struct str error, code_value, code, mode, handle, attend_mode;
};

/* The person's name and a note, for the hosts' lists. */
static void person_of(struct req *r, struct str handle, struct str name, struct str note,
                      struct view_event_person *p)
{
    p->name = name.len ? name : handle;
    p->href = person_url(r, handle);
    p->note = note;
}

static int host_panel(struct req *r, const struct event *e, struct str zone,
                      const struct occurrence *o, struct view_event_page *vm)
{
    struct rsvp_place *places;
    struct attendee *att;
    size_t np, na;
    struct rsvp_tally t;
    struct view_event_person *people, *came;
    struct shown sh;
    char code[CHECKIN_CODE_LEN + 1];
    struct local_time opens, closes;
    struct buf b;
    int rc = event_people(req_db(r), &r->arena, e, o->start, clock_unix(), &places, &np, &t);

    if (!rc)
        rc = event_attendees(req_db(r), &r->arena, e->id, o->start, &att, &na);
    if (rc)
        return rc;
    show(r, e, zone, o, &sh);
    buf_init(&b, &r->arena, 160);
    buf_put_str(&b, sh.date);
    BUF_LIT(&b, ", ");
    buf_put_str(&b, sh.time);
    vm->host_when = buf_str(&b);
    vm->host_occurrence = num_text(r, o->start);
    events_checkin_code(e, o->start, code);
    vm->code = str_make(arena_strndup(&r->arena, code, CHECKIN_CODE_LEN), CHECKIN_CODE_LEN);
    if (!recur_to_local(zone, o->start - CHECKIN_OPENS_BEFORE, &opens, NULL) &&
        !recur_to_local(zone, o->end + CHECKIN_CLOSES_AFTER, &closes, NULL)) {
        buf_init(&b, &r->arena, 160);
        BUF_LIT(&b, "Taken from ");
        put_hm(&b, opens);
        BUF_LIT(&b, " until ");
        put_hm(&b, closes);
        BUF_LIT(&b, " (");
        buf_put_str(&b, zone);
        BUF_LIT(&b, "). Show it in the room or the call.");
        vm->code_window = buf_str(&b);
    }
    people = arena_calloc(&r->arena, np ? np : 1, sizeof(*people));
    for (size_t i = 0; i < np; i++) {
        struct str note = str_c(rsvp_status_name(places[i].status));

        if (places[i].status == RSVP_WAITLISTED) {
            buf_init(&b, &r->arena, 48);
            buf_printf(&b, "waiting (%lld)", (long long)places[i].position);
            note = buf_str(&b);
        } else if (places[i].status == RSVP_NOT_GOING) {
            note = STR_LIT("not going");
        }
        person_of(r, places[i].row->handle, places[i].row->name, note, &people[i]);
    }
    came = arena_calloc(&r->arena, na ? na : 1, sizeof(*came));
    for (size_t i = 0; i < na; i++) {
        buf_init(&b, &r->arena, 96);
        buf_puts(&b, att[i].mode == ATTEND_ONLINE ? "online" : "in person");
        buf_puts(&b, att[i].by_host ? ", marked by " : ", checked in");
        if (att[i].by_host)
            buf_put_str(&b, att[i].marked_by);
        person_of(r, att[i].handle, att[i].name, buf_str(&b), &came[i]);
    }
    vm->people = people;
    vm->npeople = np;
    vm->attendees = came;
    vm->nattendees = na;
    vm->edit_url = event_url(r, e->id, "/edit");
    vm->attend_action = event_url(r, e->id, "/attendance");
    return 0;
}

/* Render an event's page; status 200, or 400 when a form on it failed (pe says how). */
static int event_page_view(struct req *r, struct resp *w, const struct event *e,
                           const struct space *s, const struct page_errors *pe, int status)
{
    struct view_event_page vm = {0};
    struct view_event_link *crumbs = arena_calloc(&r->arena, 3, sizeof(*crumbs));
    struct view_event_link *hosts = arena_calloc(&r->arena, e->nhosts + 1, sizeof(*hosts));
    struct view_event_occurrence *occ;
    struct occurrence *o, current = {0}, open = {0};
    struct rsvp_row *rows;
    size_t nrows, n;
    int64_t now = clock_unix();
    bool more, has_current, may_join = events_may_join(r, s);
    struct str zone = zone_of_reader(r, e->tz);
    struct shown sh;
    struct buf body;
    int rc;

    if (s->parent_id) {
        struct space parent;

        rc = spaces_open(r, s->parent_slug, ACT_READ, &parent);
        if (!rc) {
            crumbs[vm.ncrumbs].name = parent.name;
            crumbs[vm.ncrumbs++].href = space_pages_link(r, parent.slug, "");
        } else if (rc != E_NOTFOUND) {
            return rc;
        }
    }
    crumbs[vm.ncrumbs].name = s->name;
    crumbs[vm.ncrumbs++].href = space_pages_link(r, s->slug, "");
    crumbs[vm.ncrumbs].name = STR_LIT("Calendar");
    crumbs[vm.ncrumbs++].href = space_pages_link(r, s->slug, "/calendar");
    vm.crumbs = crumbs;
    vm.notice = pe ? STR_NULL : notice_of(r);
    vm.error = pe ? pe->error : STR_NULL;
    vm.title = e->title;
    vm.cancelled = e->status == EVENT_CANCELLED;
    has_current = event_current(&r->arena, e, now, &current) == 0;
    if (!has_current)
        current =
            (struct occurrence){e->starts_at, e->ends_at, e->start_local, e->end_local, false};
    show(r, e, zone, &current, &sh);
    vm.date = sh.date;
    vm.time = sh.time;
    vm.iso = sh.iso;
    vm.zone_note = sh.note;
    vm.repeats = repeats_text(r, e, zone);
    vm.mode = str_c(mode_label(e->mode));
    vm.location = e->location;
    vm.has_join = may_join && e->join_url.len && !url_build(&r->arena, e->join_url, &vm.join_url);
    vm.join_hint = !may_join && e->join_url.len;
    vm.description = markdown_stored(e->description_html);
    vm.agenda = markdown_stored(e->agenda_html);
    vm.has_agenda = e->agenda_html.len > 0;
    for (size_t i = 0; i < e->nhosts; i++) {
        hosts[i].name = e->hosts[i].name.len ? e->hosts[i].name : e->hosts[i].handle;
        hosts[i].href = person_url(r, e->hosts[i].handle);
    }
    vm.hosts = hosts;
    vm.nhosts = e->nhosts;
    if (e->capacity >= 0) {
        struct buf b;

        buf_init(&b, &r->arena, 32);
        buf_printf(&b, "%lld place%s", (long long)e->capacity, e->capacity == 1 ? "" : "s");
        vm.capacity = buf_str(&b);
    }
    vm.csrf = r->actor ? csrf_token(r) : STR_NULL;
    vm.rsvp_action = event_url(r, e->id, "/rsvp");
    vm.exception_action = event_url(r, e->id, "/exceptions");
    vm.checkin_action = event_url(r, e->id, "/checkin");
    vm.ics_url = event_url(r, e->id, ".ics");
    vm.can_answer = may_join && e->status == EVENT_CONFIRMED;
    vm.is_host = events_may_host(r, s, e);
    rc = events_followups_html(r, e, vm.is_host, &vm.followups);
    if (rc)
        return rc;
    vm.signin_hint = !r->actor;
    vm.join_space_hint = r->actor && !may_join;
    vm.signin_url = URL_LIT("/signin");
    vm.space_url = space_pages_link(r, s->slug, "");
    vm.series = e->rrule.len > 0;
    rc = event_rsvp_rows(req_db(r), &r->arena, e, now, &rows, &nrows);
    if (rc)
        return rc;
    for (size_t i = 0; r->actor && i < nrows; i++) {
        if (rows[i].occurrence || rows[i].user_id != r->actor->id)
            continue;
        vm.series_going = rows[i].status == RSVP_GOING;
        vm.series_maybe = rows[i].status == RSVP_MAYBE;
        vm.series_not_going = rows[i].status == RSVP_NOT_GOING;
    }
    /* The dates to come; for an event that is over, its last. */
    rc = event_occurrences(&r->arena, e, now, now + EVENT_WINDOW_MAX, PAGE_OCCURRENCES, &o, &n,
                           &more);
    if (rc)
        return rc;
    if (!n && has_current) {
        o = &current;
        n = 1;
    }
    occ = arena_calloc(&r->arena, n ? n : 1, sizeof(*occ));
    for (size_t i = 0; i < n; i++) {
        struct rsvp_place *places;
        size_t np;
        struct rsvp_tally t;
        const struct rsvp_place *mine;
        struct buf id;

        rsvp_resolve(&r->arena, rows, nrows, o[i].start, e->capacity, &places, &np, &t);
        mine = r->actor ? rsvp_find(places, np, r->actor->id) : NULL;
        show(r, e, zone, &o[i], &sh);
        buf_init(&id, &r->arena, 32);
        buf_printf(&id, "o-%lld", (long long)o[i].start);
        occ[i].id = buf_str(&id);
        occ[i].occurrence = num_text(r, o[i].start);
        occ[i].date = sh.date;
        occ[i].time = sh.time;
        occ[i].iso = sh.iso;
        occ[i].zone_note = sh.note;
        occ[i].counts = counts_text(r, &t, e->capacity);
        occ[i].mine = mine_text(r, mine);
        occ[i].cancelled = o[i].cancelled || e->status == EVENT_CANCELLED;
        occ[i].can_answer = vm.can_answer && !o[i].cancelled && o[i].end > now;
        occ[i].going = mine && (mine->status == RSVP_GOING || mine->status == RSVP_WAITLISTED);
        occ[i].maybe = mine && mine->status == RSVP_MAYBE;
        occ[i].not_going = mine && mine->status == RSVP_NOT_GOING;
        occ[i].can_cancel = vm.is_host && vm.series && !o[i].cancelled && o[i].end > now &&
                            e->status == EVENT_CONFIRMED;
        occ[i].can_restore = vm.is_host && vm.series && o[i].cancelled && o[i].end > now &&
                             e->status == EVENT_CONFIRMED;
    }
    vm.occurrences = occ;
    vm.noccurrences = n;
    /* Check-in, while an occurrence's window is open. */
    if (vm.can_answer && r->actor && events_checkin_now(r, e, now, &open)) {
        bool came = false;
        enum attend_mode how;

        vm.checkin_open = true;
        vm.checkin_hybrid = e->mode == MODE_HYBRID;
        vm.checkin_occurrence = num_text(r, open.start);
        show(r, e, zone, &open, &sh);
        vm.checkin_when = sh.time;
        rc = event_attended(req_db(r), e->id, open.start, r->actor->id, &came, &how);
        if (rc)
            return rc;
        vm.checked_in = came;
        vm.checkin_note = how == ATTEND_ONLINE && came ? STR_LIT("You are here, online. Welcome!")
                          : came ? STR_LIT("You are here, in person. Welcome!")
                                 : STR_NULL;
    }
    if (pe) {
        vm.code_value = pe->code_value;
        vm.code_error = pe->code;
        vm.mode_error = pe->mode;
        vm.handle_error = pe->handle;
        vm.attend_mode_error = pe->attend_mode;
    }
    if (vm.is_host) {
        rc = host_panel(r, e, zone, vm.checkin_open ? &open : &current, &vm);
        if (rc)
            return rc;
    }
    resp_body_init(r, &body);
    view_event_page(&body, &vm);
    rc = resp_page(r, w, e->title, STR_NULL, &body);
    w->status = status;
    return rc;
}

static int event_page(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct str name;
    int64_t id;
    int rc;

    if (feeds_ics_name(req_param(r, "id"), &name)) {
        if (str_to_i64(name, &id) || id <= 0)
            return req_fail(r, E_NOTFOUND, NULL, "there is nothing at this address");
        return feeds_event_ics(r, w, id);
    }
    rc = id_param(r, &id);
    if (!rc)
        rc = events_open(r, id, ACT_READ, &e, &s);
    if (rc)
        return refused(r, rc, no_event, no_event);
    return event_page_view(r, w, &e, &s, NULL, 200);
}

/* Open the event a form on its page acts on, with act on its space (E_PERM: why). */
static int open_for(struct req *r, enum action act, const char *why, struct event *e,
                    struct space *s)
{
    int64_t id;
    int rc = id_param(r, &id);

    if (!rc)
        rc = events_open(r, id, act, e, s);
    if (rc)
        return refused(r, rc, no_event, why);
    return 0;
}

/* The answer to a failed form on the event page: the page again, the problem told. */
static int page_failed(struct req *r, struct resp *w, const struct event *e, const struct space *s,
                       int rc, struct page_errors *pe)
{
    if (rc != E_INVAL && rc != E_CONFLICT)
        return rc;
    if (!pe->code.len && !pe->mode.len && !pe->handle.len && !pe->attend_mode.len) {
        struct buf b;

        buf_init(&b, &r->arena, 256);
        for (size_t i = 0; i < r->nerrs; i++) {
            if (b.len)
                BUF_LIT(&b, "; ");
            if (r->errs[i].field) {
                buf_puts(&b, r->errs[i].field);
                buf_putc(&b, ' ');
            }
            buf_puts(&b, r->errs[i].msg);
        }
        if (!b.len && r->err_msg)
            buf_puts(&b, r->err_msg);
        pe->error = buf_str(&b);
    }
    return event_page_view(r, w, e, s, pe, rc == E_CONFLICT ? 409 : 400);
}

static int rsvp_form(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct occurrence o = {0};
    struct page_errors pe = {0};
    enum rsvp_status status;
    size_t nmoved;
    bool given;
    struct buf to;
    int rc = open_for(r, ACT_POST, "join the space to answer", &e, &s);

    if (rc)
        return rc;
    rc = r->invalid ? r->invalid : events_rsvp(r, &e, &o, &given, &status, &nmoved);
    if (rc)
        return page_failed(r, w, &e, &s, rc, &pe);
    buf_init(&to, &r->arena, LIMIT_URL);
    buf_printf(&to, "/events/%lld?notice=answered", (long long)e.id);
    if (given)
        buf_printf(&to, "#o-%lld", (long long)o.start);
    see_other(w, url_of_buf(&r->arena, &to));
    return 0;
}

static int checkin_form(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct occurrence o = {0};
    struct page_errors pe = {0};
    enum attend_mode mode;
    int rc = open_for(r, ACT_POST, "join the space to check in", &e, &s);

    if (rc)
        return rc;
    rc = r->invalid ? r->invalid : events_checkin(r, w, &e, &o, &mode);
    if (rc) {
        pe.code_value = req_in(r, CI_CODE)->text;
        pe.code = field_error(r, "code");
        pe.mode = field_error(r, "mode");
        if (!pe.code.len && !pe.mode.len && field_error(r, "occurrence").len)
            pe.code = field_error(r, "occurrence");
        return page_failed(r, w, &e, &s, rc, &pe);
    }
    see_other(w, event_url(r, e.id, "?notice=checked-in#checkin"));
    return 0;
}

/* Open an event whose hosts' form this is: 403 for those who do not run it. */
static int open_hosted(struct req *r, struct event *e, struct space *s)
{
    int rc = open_for(r, ACT_READ, no_event, e, s);

    if (rc)
        return rc;
    if (!events_may_host(r, s, e)) {
        forget_input_errors(r);
        return req_fail(r, E_PERM, NULL, "only its hosts and the space's facilitators do that");
    }
    return 0;
}

static int attendance_form(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct occurrence o = {0};
    struct page_errors pe = {0};
    int rc = open_hosted(r, &e, &s);

    if (rc)
        return rc;
    rc = r->invalid ? r->invalid : events_mark(r, &s, &e, &o);
    if (rc) {
        pe.handle = field_error(r, "handle");
        pe.attend_mode = field_error(r, "mode");
        return page_failed(r, w, &e, &s, rc, &pe);
    }
    see_other(w, event_url(r, e.id, "?notice=marked"));
    return 0;
}

static int exception_form(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct page_errors pe = {0};
    bool cancel;
    int rc = open_hosted(r, &e, &s);

    if (rc)
        return rc;
    cancel = req_in(r, EX_CANCELLED)->present ? req_in(r, EX_CANCELLED)->flag : true;
    rc = r->invalid ? r->invalid : events_set_exception(r, &e);
    if (rc)
        return page_failed(r, w, &e, &s, rc, &pe);
    see_other(w, event_url(r, e.id, cancel ? "?notice=date-cancelled" : "?notice=date-restored"));
    return 0;
}

/* Creating and editing ------------------------------------------------------------------ */

/* The event fields as a form sends them: the capacity is text (empty for no limit). */
static const struct field form_fields[EF__MAX] = {
    [EF_TITLE] = {"title", FIELD_TEXT, false, EVENT_TITLE_MAX, 0, 0},
    [EF_DESCRIPTION] = {"description", FIELD_TEXT, false, EVENT_TEXT_MAX, 0, 0},
    [EF_AGENDA] = {"agenda", FIELD_TEXT, false, EVENT_TEXT_MAX, 0, 0},
    [EF_STARTS_AT] = {"starts_at", FIELD_TEXT, false, 40, 0, 0},
    [EF_ENDS_AT] = {"ends_at", FIELD_TEXT, false, 40, 0, 0},
    [EF_TZ] = {"tz", FIELD_TEXT, false, 100, 0, 0},
    [EF_MODE] = {"mode", FIELD_TEXT, false, 20, 0, 0},
    [EF_LOCATION] = {"location", FIELD_TEXT, false, EVENT_LOCATION_MAX, 0, 0},
    [EF_JOIN_URL] = {"join_url", FIELD_TEXT, false, EVENT_URL_MAX, 0, 0},
    [EF_CAPACITY] = {"capacity", FIELD_TEXT, false, 20, 0, 0},
    [EF_RRULE] = {"rrule", FIELD_TEXT, false, EVENT_RRULE_MAX, 0, 0},
    [EF_HOSTS] = {"hosts", FIELD_LIST, false, 40, 0, EVENT_HOSTS_MAX},
    [EF_STATUS] = {"status", FIELD_TEXT, false, 20, 0, 0},
};

/* Where each field's error links to, and what the summary calls it. */
static const struct {
    const char *field, *href, *label;
} form_labels[] = {
    {"title", "#title", "Title"},           {"starts_at", "#starts_at", "The start"},
    {"ends_at", "#ends_at", "The end"},     {"tz", "#tz", "The time zone"},
    {"rrule", "#rrule", "The rule"},        {"mode", "#mode", "Where"},
    {"location", "#location", "The place"}, {"join_url", "#join_url", "The link"},
    {"capacity", "#capacity", "Places"},    {"description", "#description", "The description"},
    {"agenda", "#agenda", "The agenda"},    {"reminders", "#reminders", "Reminders"},
    {"hosts", "#hosts", "Hosts"},           {"status", "#status", "Status"},
};

/* The error summary: one linked line per field at fault (its first problem). */
static void error_summary(struct req *r, struct view_event_form *vm)
{
    struct view_event_error *errs = arena_calloc(&r->arena, ARRAY_LEN(form_labels), sizeof(*errs));

    vm->nerrors = 0;
    for (size_t j = 0; j < ARRAY_LEN(form_labels); j++) {
        struct str msg = field_error(r, form_labels[j].field);

        if (!msg.len || url_build(&r->arena, str_c(form_labels[j].href), &errs[vm->nerrors].href))
            continue;
        errs[vm->nerrors].label = str_c(form_labels[j].label);
        errs[vm->nerrors++].message = msg;
    }
    vm->errors = errs;
}

/* The reminders as a form shows them: "1440, 60". */
static struct str reminders_text(struct req *r, const struct event *e)
{
    struct buf b;

    buf_init(&b, &r->arena, 64);
    for (size_t i = 0; i < e->nreminders; i++) {
        if (i)
            BUF_LIT(&b, ", ");
        buf_put_i64(&b, e->reminders[i]);
    }
    return buf_str(&b);
}

/* "2026-12-10T18:00" for a datetime-local input (seconds only when there are some). */
static struct str input_time(struct req *r, struct local_time t)
{
    char text[20];

    local_time_format(t, text);
    return str_make(arena_strndup(&r->arena, text, 19), t.second ? 19 : 16);
}

/* The form filled from an event as it is. */
static void form_from(struct req *r, const struct event *e, struct view_event_form *vm)
{
    struct buf hosts;

    vm->title = e->title;
    vm->description = e->description;
    vm->agenda = e->agenda;
    vm->starts_at = input_time(r, e->start_local);
    vm->ends_at = input_time(r, e->end_local);
    vm->tz = e->tz;
    vm->location = e->location;
    vm->join_url = e->join_url;
    vm->capacity = e->capacity >= 0 ? num_text(r, e->capacity) : STR_NULL;
    vm->rrule = e->rrule;
    vm->reminders = reminders_text(r, e);
    buf_init(&hosts, &r->arena, 512);
    for (size_t i = 0; i < e->nhosts; i++) {
        if (e->hosts[i].user_id == e->created_by)
            continue;
        if (hosts.len)
            BUF_LIT(&hosts, ", ");
        buf_put_str(&hosts, e->hosts[i].handle);
    }
    vm->hosts = buf_str(&hosts);
    vm->m_in_person = e->mode == MODE_IN_PERSON;
    vm->m_online = e->mode == MODE_ONLINE;
    vm->m_hybrid = e->mode == MODE_HYBRID;
    vm->s_confirmed = e->status == EVENT_CONFIRMED;
    vm->s_cancelled = e->status == EVENT_CANCELLED;
}

/* The form filled from what was sent, to show it again with its errors. */
static void form_as_sent(struct req *r, struct view_event_form *vm)
{
    enum event_mode m = event_mode_parse(req_in(r, EF_MODE)->text);
    enum event_status st = event_status_parse(req_in(r, EF_STATUS)->text);
    const struct kv *rem = kv_get(&r->form, STR_LIT("reminders"));

    vm->title = req_in(r, EF_TITLE)->text;
    vm->description = req_in(r, EF_DESCRIPTION)->text;
    vm->agenda = req_in(r, EF_AGENDA)->text;
    vm->starts_at = req_in(r, EF_STARTS_AT)->text;
    vm->ends_at = req_in(r, EF_ENDS_AT)->text;
    vm->tz = req_in(r, EF_TZ)->text;
    vm->location = req_in(r, EF_LOCATION)->text;
    vm->join_url = req_in(r, EF_JOIN_URL)->text;
    vm->capacity = req_in(r, EF_CAPACITY)->text;
    vm->rrule = req_in(r, EF_RRULE)->text;
    vm->reminders = rem ? rem->value : STR_NULL;
    vm->hosts = req_in(r, EF_HOSTS)->text;
    vm->m_in_person = m == MODE_IN_PERSON;
    vm->m_online = m == MODE_ONLINE;
    vm->m_hybrid = m == MODE_HYBRID;
    vm->s_confirmed = st != EVENT_CANCELLED;
    vm->s_cancelled = st == EVENT_CANCELLED;
}

static int form_view(struct req *r, struct resp *w, const struct space *s, const struct event *e,
                     struct view_event_form *vm, int status)
{
    struct view_event_link *crumbs = arena_calloc(&r->arena, 3, sizeof(*crumbs));
    struct buf body, title;

    crumbs[0] = (struct view_event_link){s->name, space_pages_link(r, s->slug, "")};
    crumbs[1] =
        (struct view_event_link){STR_LIT("Calendar"), space_pages_link(r, s->slug, "/calendar")};
    vm->ncrumbs = 2;
    if (e) {
        crumbs[2] = (struct view_event_link){e->title, event_url(r, e->id, "")};
        vm->ncrumbs = 3;
    }
    vm->crumbs = crumbs;
    vm->csrf = csrf_token(r);
    vm->is_edit = e != NULL;
    vm->heading = e ? STR_LIT("Edit the event") : STR_LIT("New event");
    vm->lead = e ? STR_LIT("Calendars that subscribed hear of the changes.")
                 : STR_LIT("A meeting of the space: once, or again and again.");
    vm->submit = e ? STR_LIT("Save the changes") : STR_LIT("Create the event");
    vm->action = e ? event_url(r, e->id, "/edit") : space_pages_link(r, s->slug, "/events/new");
    vm->cancel_url = e ? event_url(r, e->id, "") : space_pages_link(r, s->slug, "/calendar");
    vm->title_error = field_error(r, "title");
    vm->description_error = field_error(r, "description");
    vm->agenda_error = field_error(r, "agenda");
    vm->starts_at_error = field_error(r, "starts_at");
    vm->ends_at_error = field_error(r, "ends_at");
    vm->tz_error = field_error(r, "tz");
    vm->mode_error = field_error(r, "mode");
    vm->location_error = field_error(r, "location");
    vm->join_url_error = field_error(r, "join_url");
    vm->capacity_error = field_error(r, "capacity");
    vm->rrule_error = field_error(r, "rrule");
    vm->reminders_error = field_error(r, "reminders");
    vm->hosts_error = field_error(r, "hosts");
    vm->status_error = field_error(r, "status");
    error_summary(r, vm);
    if (status != 200 && !vm->nerrors)
        vm->form_error = str_c(r->err_msg);
    resp_body_init(r, &body);
    view_event_form(&body, vm);
    buf_init(&title, &r->arena, LIMIT_TEXT_DEFAULT);
    buf_put_str(&title, vm->heading);
    BUF_LIT(&title, " \xc2\xb7 ");
    buf_put_str(&title, s->name);
    {
        int rc = resp_page(r, w, buf_str(&title), STR_NULL, &body);

        w->status = status;
        return rc;
    }
}

static const char *const not_a_host = "only the space's facilitators create events";

static int new_form(struct req *r, struct resp *w)
{
    struct view_event_form vm = {0};
    struct space s = {0};
    int rc = spaces_open(r, req_param(r, "slug"), ACT_HOST_EVENT, &s);

    if (rc)
        return refused(r, rc, no_space, not_a_host);
    vm.tz = zone_of_reader(r, STR_LIT("UTC"));
    vm.reminders = STR_LIT("1440, 60");
    vm.m_in_person = true;
    return form_view(r, w, &s, NULL, &vm, 200);
}

static int new_save(struct req *r, struct resp *w)
{
    struct view_event_form vm = {0};
    struct space s = {0};
    struct event e = {0};
    int64_t *hosts = NULL, id;
    size_t nhosts = 0;
    bool hosts_given, bump;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_HOST_EVENT, &s);

    if (rc)
        return refused(r, rc, no_space, not_a_host);
    e.capacity = -1;
    e.mode = MODE__MAX;
    e.reminders[0] = 1440;
    e.reminders[1] = 60;
    e.nreminders = 2;
    rc = events_read(r, &s, true, &e, &hosts, &nhosts, &hosts_given, &bump);
    if (!rc && r->invalid)
        rc = r->invalid;
    if (!rc) {
        rc = event_create(r, &s, &e, hosts, nhosts, &id);
        if (rc)
            return rc;
        see_other(w, event_url(r, id, "?notice=created"));
        return 0;
    }
    if (rc != E_INVAL)
        return rc;
    form_as_sent(r, &vm);
    return form_view(r, w, &s, NULL, &vm, 400);
}

static int edit_form(struct req *r, struct resp *w)
{
    struct view_event_form vm = {0};
    struct event e = {0};
    struct space s = {0};
    int rc = open_hosted(r, &e, &s);

    if (rc)
        return rc;
    form_from(r, &e, &vm);
    return form_view(r, w, &s, &e, &vm, 200);
}

static int edit_save(struct req *r, struct resp *w)
{
    struct view_event_form vm = {0};
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
    if (!rc && r->invalid)
        rc = r->invalid;
    if (!rc) {
        rc = event_update(r, &old, &e, hosts_given ? hosts : NULL, nhosts, bump, &moved, &nmoved);
        if (rc)
            return rc;
        see_other(w, event_url(r, e.id, "?notice=saved"));
        return 0;
    }
    if (rc != E_INVAL)
        return rc;
    form_as_sent(r, &vm);
    return form_view(r, w, &s, &old, &vm, 400);
}

#define FORM (ROUTE_AUTH | ROUTE_OWN_ERRORS)

static const struct route routes[] = {
    {HTTP_GET, "/spaces/{slug}/calendar", calendar_page, calendar_fields, CAL__MAX,
     ROUTE_OWN_ERRORS},
    {HTTP_GET, "/spaces/{slug}/events/new", new_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/spaces/{slug}/events/new", new_save, form_fields, EF__MAX, FORM},
    {HTTP_GET, "/events/{id}", event_page, NULL, 0, 0},
    {HTTP_GET, "/events/{id}/edit", edit_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/events/{id}/edit", edit_save, form_fields, EF__MAX, FORM},
    {HTTP_POST, "/events/{id}/rsvp", rsvp_form, events_rsvp_fields, RS__MAX, FORM},
    {HTTP_POST, "/events/{id}/checkin", checkin_form, events_checkin_fields, CI__MAX, FORM},
    {HTTP_POST, "/events/{id}/attendance", attendance_form, events_attendance_fields, AP__MAX,
     FORM},
    {HTTP_POST, "/events/{id}/exceptions", exception_form, events_exception_fields, EX__MAX, FORM},
};

const struct feature feature_event_pages = {
    .name = "event_pages",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
