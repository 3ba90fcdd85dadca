/*
 * A space's rhythm: its recurring events (rituals) and how well each is
 * kept, the events of each week (twelve past, this one and three to come)
 * against the ceiling its facilitators set, the weeks without any, and
 * whether the space has gone quiet or is crowded. The same report feeds
 * the API, the page and the daily notice to facilitators.
 *
 * An occurrence counts as held when it was not cancelled and someone's
 * attendance was recorded (a check-in or a host's mark) or its follow-up
 * published: a date in a calendar is not yet a meeting that happened.
 */
#include "feature/rhythm/rhythm.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/events/events.h"
#include "feature/jobs/jobs.h"
#include "feature/mail/mail.h"
#include "feature/rhythm/model.h"
#include "feature/rhythm/rhythm_int.h"
#include "feature/rhythm/views.h"
#include "feature/spaces/pages.h"
#include "feature/spaces/spaces.h"
#include "http/session.h"

#define DAY            ((int64_t)86400)
#define WEEK           ((int64_t)7 * DAY)
#define WEEKS_PAST     12
#define WEEKS_AHEAD    3
#define WEEKS          (WEEKS_PAST + 1 + WEEKS_AHEAD)
#define RITUAL_LOOK    12         /* past occurrences a ritual is judged on */
#define QUIET_ACTIVITY 10         /* activity rows below which a space without events is quiet */
#define RENOTICE       (14 * DAY) /* the same notice again after this long */
#define RITUALS_MAX    50

struct ritual {
    const struct event *e;
    int held, of;
    int64_t next; /* the next occurrence's start; 0: none in view */
};

struct report {
    struct rhythm_settings settings;
    struct ritual *rituals;
    size_t nrituals;
    int64_t week_start[WEEKS], week_count[WEEKS];
    int64_t gaps;        /* past weeks without an event */
    int64_t recent;      /* occurrences in the last quiet_days */
    int64_t coming_week; /* occurrences in the next seven days */
    int64_t activity;    /* activity rows in the last quiet_days */
    int64_t next_start;  /* the space's next occurrence; 0: none in view */
    bool quiet, crowded;
};

/* Monday 00:00 UTC of the week holding t (1970-01-01 was a Thursday). */
static int64_t week_of(int64_t t)
{
    int64_t since_monday = (t - 4 * DAY) % WEEK;

    if (since_monday < 0)
        since_monday += WEEK;
    return t - since_monday;
}

/* Whether an occurrence that has begun was held: attendance recorded, or its follow-up out. */
static int held(struct db *db, struct arena *a, const struct event *e, int64_t start, bool *yes)
{
    struct attendee *came;
    size_t n;
    int rc = event_attendees(db, a, e->id, start, &came, &n);

    *yes = n > 0;
    if (!rc && !*yes)
        rc = followup_exists(db, e->id, start, yes);
    return rc;
}

static int make_report(struct db *db, struct arena *a, int64_t space_id, int64_t created_at,
                       int64_t now, struct report *rep)
{
    struct event *events;
    size_t nevents;
    int64_t first_week = week_of(now) - (int64_t)WEEKS_PAST * WEEK;
    int64_t to = week_of(now) + (int64_t)(WEEKS_AHEAD + 1) * WEEK, from;
    int rc;

    memset(rep, 0, sizeof(*rep));
    rc = rhythm_settings_get(db, a, space_id, &rep->settings);
    if (rc)
        return rc;
    from = first_week;
    if (now - rep->settings.quiet_days * DAY < from)
        from = now - rep->settings.quiet_days * DAY;
    for (int i = 0; i < WEEKS; i++)
        rep->week_start[i] = first_week + (int64_t)i * WEEK;
    rc = events_in_space(db, a, space_id, from, to, &events, &nevents);
    if (rc)
        return rc;
    rep->rituals = arena_calloc(a, nevents ? nevents : 1, sizeof(*rep->rituals));
    for (size_t i = 0; i < nevents; i++) {
        const struct event *e = &events[i];
        struct occurrence *occ;
        size_t n;
        bool more;
        struct ritual *rt = NULL;

        if (e->status != EVENT_CONFIRMED)
            continue;
        rc = event_occurrences(a, e, from, to, 5000, &occ, &n, &more);
        if (rc)
            return rc;
        if (e->rrule.len && rep->nrituals < RITUALS_MAX) {
            rt = &rep->rituals[rep->nrituals++];
            rt->e = e;
        }
        for (size_t k = 0; k < n; k++) {
            int64_t s = occ[k].start;

            if (occ[k].cancelled)
                continue;
            if (s >= first_week && s < to)
                rep->week_count[(s - first_week) / WEEK]++;
            if (s <= now && s >= now - rep->settings.quiet_days * DAY)
                rep->recent++;
            if (s > now && s < now + WEEK)
                rep->coming_week++;
            if (s > now && (!rep->next_start || s < rep->next_start))
                rep->next_start = s;
            if (rt && s > now && !rt->next)
                rt->next = s;
        }
        /* A ritual is judged on its last RITUAL_LOOK occurrences that have begun. */
        for (size_t k = n, seen = 0; rt && k-- > 0 && seen < RITUAL_LOOK;) {
            bool yes;

            if (occ[k].start > now)
                continue;
            seen++;
            rt->of++;
            if (occ[k].cancelled)
                continue;
            rc = held(db, a, e, occ[k].start, &yes);
            if (rc)
                return rc;
            rt->held += yes;
        }
    }
    for (int i = 0; i < WEEKS_PAST; i++)
        rep->gaps += rep->week_count[i] == 0 && rep->week_start[i] >= week_of(created_at);
    rc = rhythm_activity(db, space_id, now - rep->settings.quiet_days * DAY, &rep->activity);
    if (rc)
        return rc;
    /* A young space is not quiet yet: it has had no time to be anything. */
    rep->quiet = rep->recent == 0 && rep->activity < QUIET_ACTIVITY &&
                 now - created_at >= rep->settings.quiet_days * DAY;
    rep->crowded = rep->coming_week > rep->settings.ceiling;
    return 0;
}

static const char *status_of(const struct report *rep)
{
    return rep->crowded ? "crowded" : rep->quiet ? "quiet" : "steady";
}

/* "held 11 of the last 12" */
static struct str kept_text(struct arena *a, const struct ritual *rt)
{
    struct buf b;

    buf_init(&b, a, 64);
    if (rt->of == 0)
        buf_puts(&b, "not begun yet");
    else if (rt->of == 1)
        buf_printf(&b, "held %d of 1 so far", rt->held);
    else
        buf_printf(&b, "held %d of the last %d", rt->held, rt->of);
    return buf_str(&b);
}

/* The API ------------------------------------------------------------------- */

static void report_json(struct req *r, struct json *j, const struct space *s,
                        const struct report *rep)
{
    char iso[21];

    json_obj_open(j);
    json_key(j, "space");
    json_str(j, s->slug);
    json_key(j, "status");
    json_str_c(j, status_of(rep));
    json_key(j, "settings");
    json_obj_open(j);
    json_key(j, "ceiling");
    json_i64(j, rep->settings.ceiling);
    json_key(j, "quiet_days");
    json_i64(j, rep->settings.quiet_days);
    json_obj_close(j);
    json_key(j, "rituals");
    json_arr_open(j);
    for (size_t i = 0; i < rep->nrituals; i++) {
        const struct ritual *rt = &rep->rituals[i];

        json_obj_open(j);
        json_key(j, "event_id");
        json_i64(j, rt->e->id);
        json_key(j, "title");
        json_str(j, rt->e->title);
        json_key(j, "rrule");
        json_str(j, rt->e->rrule);
        json_key(j, "held");
        json_i64(j, rt->held);
        json_key(j, "of");
        json_i64(j, rt->of);
        json_key(j, "kept");
        json_str(j, kept_text(&r->arena, rt));
        json_key(j, "next");
        if (rt->next) {
            clock_rfc3339(rt->next, iso);
            json_str_c(j, iso);
        } else {
            json_null(j);
        }
        json_obj_close(j);
    }
    json_arr_close(j);
    json_key(j, "weeks");
    json_arr_open(j);
    for (int i = 0; i < WEEKS; i++) {
        json_obj_open(j);
        json_key(j, "start");
        clock_rfc3339(rep->week_start[i], iso);
        json_str_c(j, iso);
        json_key(j, "events");
        json_i64(j, rep->week_count[i]);
        json_key(j, "over_ceiling");
        json_bool(j, rep->week_count[i] > rep->settings.ceiling);
        json_obj_close(j);
    }
    json_arr_close(j);
    json_key(j, "gaps");
    json_i64(j, rep->gaps);
    json_key(j, "events_next_7_days");
    json_i64(j, rep->coming_week);
    json_key(j, "next_event_at");
    if (rep->next_start) {
        clock_rfc3339(rep->next_start, iso);
        json_str_c(j, iso);
    } else {
        json_null(j);
    }
    json_obj_close(j);
}

static int open_report(struct req *r, enum action act, struct space *s, struct report *rep)
{
    struct db *db = req_db(r);
    int rc = spaces_open(r, req_param(r, "slug"), act, s);

    if (rc)
        return rc;
    if (!db)
        return E_UNAVAIL;
    return make_report(db, &r->arena, s->id, s->created_at, clock_unix(), rep);
}

static int rhythm_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct report rep = {0};
    struct json j;
    int rc = open_report(r, ACT_READ, &s, &rep);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    report_json(r, &j, &s, &rep);
    return 0;
}

enum { RS_CEILING, RS_QUIET_DAYS, RS__MAX };

static const struct field settings_fields[RS__MAX] = {
    [RS_CEILING] = {"ceiling", FIELD_INT, false, 0, 1, RHYTHM_CEILING_MAX},
    [RS_QUIET_DAYS] = {"quiet_days", FIELD_INT, false, 0, RHYTHM_QUIET_DAYS_MIN,
                       RHYTHM_QUIET_DAYS_MAX},
};

/* Save the settings the request names (the others kept). */
static int save_settings(struct req *r, const struct space *s)
{
    const struct value *ceiling = req_in(r, RS_CEILING), *quiet = req_in(r, RS_QUIET_DAYS);
    struct rhythm_settings cur;
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    if (!ceiling->present && !quiet->present)
        return req_fail(r, E_INVAL, "ceiling", "send ceiling, quiet_days or both");
    rc = rhythm_settings_get(db, &r->arena, s->id, &cur);
    if (rc)
        return rc;
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = rhythm_settings_put(db, s->id, ceiling->present ? ceiling->num : cur.ceiling,
                             quiet->present ? quiet->num : cur.quiet_days, clock_unix());
    if (!rc)
        rc = activity_add(db, r->actor->id, "space.rhythm", "space", s->id, s->id);
    return db_tx_end(db, rc);
}

static int settings_api(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct report rep = {0};
    struct json j;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_HOST_EVENT, &s);

    if (!rc)
        rc = save_settings(r, &s);
    if (!rc)
        rc = make_report(req_db(r), &r->arena, s.id, s.created_at, clock_unix(), &rep);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    report_json(r, &j, &s, &rep);
    return 0;
}

/* The page ------------------------------------------------------------------ */

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct url rhythm_url(struct req *r, const char *path)
{
    struct url u;

    if (url_build(&r->arena, str_c(path), &u))
        return URL_LIT("/");
    return u;
}

static int render_page(struct req *r, struct resp *w, const struct space *s,
                       const struct report *rep)
{
    struct view_rhythm vm = {0};
    struct view_ritual *rituals = arena_calloc(&r->arena, rep->nrituals + 1, sizeof(*rituals));
    struct view_rhythm_week *weeks = arena_calloc(&r->arena, WEEKS, sizeof(*weeks));
    int64_t now = clock_unix(), top = rep->settings.ceiling;
    struct buf body, b;
    const struct kv *kv;
    int rc;

    for (int i = 0; i < WEEKS; i++)
        if (rep->week_count[i] > top)
            top = rep->week_count[i];
    for (int i = 0; i < WEEKS; i++) {
        struct view_rhythm_week *wk = &weeks[i];
        time_t t = (time_t)rep->week_start[i];
        struct tm tm;

        gmtime_r(&t, &tm);
        buf_init(&b, &r->arena, 16);
        buf_printf(&b, "%d %s", tm.tm_mday, month_abbr[tm.tm_mon]);
        wk->label = buf_str(&b);
        wk->count = rep->week_count[i];
        wk->past = i < WEEKS_PAST;
        wk->current = i == WEEKS_PAST;
        wk->over = rep->week_count[i] > rep->settings.ceiling;
        wk->gap = wk->past && wk->count == 0;
        wk->bar = top ? (rep->week_count[i] * 100 / top + 5) / 10 * 10 : 0;
    }
    for (size_t i = 0; i < rep->nrituals; i++) {
        const struct ritual *rt = &rep->rituals[i];

        rituals[i].title = rt->e->title;
        rituals[i].href =
            rhythm_url(r, rhythm_path(&r->arena, "/events/%lld", (long long)rt->e->id));
        rituals[i].kept = kept_text(&r->arena, rt);
        rituals[i].keeps = rt->of > 0 && rt->held * 4 >= rt->of * 3;
        if (rt->next)
            rituals[i].next = rhythm_when(&r->arena, rt->e->tz, STR_NULL, rt->next,
                                          rt->next + (rt->e->ends_at - rt->e->starts_at));
    }
    vm.csrf = csrf_token(r);
    rc = space_pages_rhythm_chrome(r, s, &vm.head, &vm.tabs);
    if (rc)
        return rc;
    vm.quiet = rep->quiet;
    vm.crowded = rep->crowded;
    if (rep->crowded) {
        vm.status_label = STR_LIT("Crowded");
        buf_init(&b, &r->arena, 128);
        buf_printf(&b, "%lld events in the next seven days, more than the %lld a week you set.",
                   (long long)rep->coming_week, (long long)rep->settings.ceiling);
        vm.status_text = buf_str(&b);
    } else if (rep->quiet) {
        vm.status_label = STR_LIT("Quiet");
        buf_init(&b, &r->arena, 128);
        buf_printf(&b, "No event in the last %lld days, and little else going on.",
                   (long long)rep->settings.quiet_days);
        vm.status_text = buf_str(&b);
    } else {
        vm.status_label = STR_LIT("Steady");
        vm.status_text = STR_LIT("Neither quiet nor crowded.");
    }
    vm.rituals = rituals;
    vm.nrituals = rep->nrituals;
    vm.weeks = weeks;
    vm.nweeks = WEEKS;
    vm.ceiling = rep->settings.ceiling;
    vm.quiet_days = rep->settings.quiet_days;
    vm.gaps = rep->gaps;
    vm.may_configure = spaces_can(r, s, ACT_HOST_EVENT);
    vm.action =
        rhythm_url(r, rhythm_path(&r->arena, "/spaces/%.*s/rhythm", (int)s->slug.len, s->slug.ptr));
    kv = kv_get(&r->query, STR_LIT("notice"));
    if (kv && str_eq_c(kv->value, "saved"))
        vm.notice = STR_LIT("Saved.");
    if (r->nerrs)
        vm.error = str_c(r->errs[0].msg);
    (void)now;
    resp_body_init(r, &body);
    view_rhythm(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Rhythm"), STR_NULL, &body);
    if (r->nerrs)
        w->status = 400;
    return rc;
}

static int rhythm_page(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct report rep = {0};
    int rc = open_report(r, ACT_READ, &s, &rep);

    if (rc)
        return rc;
    return render_page(r, w, &s, &rep);
}

static int settings_page(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct report rep = {0};
    int rc = spaces_open(r, req_param(r, "slug"), ACT_HOST_EVENT, &s);

    if (rc)
        return rc;
    if (!r->nerrs) {
        rc = save_settings(r, &s);
        if (rc && rc != E_INVAL)
            return rc;
    }
    if (!r->nerrs) {
        w->status = 303;
        resp_header(w, "Location",
                    rhythm_path(&r->arena, "/spaces/%.*s/rhythm?notice=saved", (int)s.slug.len,
                                s.slug.ptr));
        return 0;
    }
    rc = make_report(req_db(r), &r->arena, s.id, s.created_at, clock_unix(), &rep);
    if (rc)
        return rc;
    return render_page(r, w, &s, &rep);
}

/* The daily notice ------------------------------------------------------------ */

static int notice_space(struct job *j, int64_t id, struct str slug, struct str name,
                        int64_t created_at)
{
    struct report rep = {0};
    struct person *stewards;
    size_t n;
    const char *kind;
    struct str base = mail_base_url(j->app, j->arena);
    struct buf lead;
    int rc = make_report(j->db, j->arena, id, created_at, j->now, &rep);

    if (rc)
        return rc;
    kind = rep.crowded ? "crowded" : rep.quiet ? "quiet" : "";
    if (!*kind) {
        if (!rep.settings.noticed_kind.len)
            return 0;
        rc = db_tx_begin(j->db);
        if (!rc)
            rc = rhythm_noticed(j->db, id, "", j->now);
        return db_tx_end(j->db, rc);
    }
    if (str_eq_c(rep.settings.noticed_kind, kind) && j->now - rep.settings.noticed_at < RENOTICE)
        return 0;
    rc = space_stewards(j->db, j->arena, id, &stewards, &n);
    if (rc)
        return rc;
    buf_init(&lead, j->arena, 512);
    if (rep.crowded)
        buf_printf(&lead,
                   "%.*s has %lld events in the next seven days, more than the %lld a week "
                   "you set. Too many meetings wear people out; perhaps some could be merged, "
                   "moved or made optional.",
                   (int)name.len, name.ptr, (long long)rep.coming_week,
                   (long long)rep.settings.ceiling);
    else
        buf_printf(&lead,
                   "%.*s has had no event in the last %lld days, and little else going on. "
                   "A community that stops meeting drifts apart; perhaps it is time for a "
                   "call, a question to the members, or a small get-together.",
                   (int)name.len, name.ptr, (long long)rep.settings.quiet_days);
    rc = db_tx_begin(j->db);
    for (size_t i = 0; i < n && !rc; i++) {
        struct view_loop_mail vm = {0};
        struct buf text, html, subject;
        struct mail m = {0};

        vm.name = stewards[i].name;
        vm.lead = buf_str(&lead);
        vm.link_label = STR_LIT("See the space's rhythm");
        {
            struct buf u;
            struct url url;

            buf_init(&u, j->arena, 256);
            buf_put_str(&u, base);
            buf_printf(&u, "/spaces/%.*s/rhythm", (int)slug.len, slug.ptr);
            vm.link = url_build(j->arena, buf_str(&u), &url) ? URL_LIT("/") : url;
        }
        vm.footnote = STR_LIT("You get this as a facilitator of the space. The ceiling and the "
                              "days before a space counts as quiet are set on that page.");
        buf_init(&text, j->arena, 2048);
        buf_init(&html, j->arena, 4096);
        buf_init(&subject, j->arena, 256);
        buf_printf(&subject, "%.*s is %s", (int)name.len, name.ptr, kind);
        rc = text_loop_mail(&text, &vm);
        if (!rc)
            rc = view_loop_mail(&html, &vm);
        if (rc)
            break;
        m.user_id = stewards[i].id;
        m.to_addr = stewards[i].email;
        m.to_name = stewards[i].name;
        m.category = MAIL_NOTICES;
        m.subject = buf_str(&subject);
        m.text = buf_str(&text);
        m.html = html_from_buf(&html);
        rc = mail_queue(j->app, j->db, &m, j->now, NULL);
        if (rc == E_INVAL)
            rc = 0;
    }
    if (!rc)
        rc = rhythm_noticed(j->db, id, kind, j->now);
    return db_tx_end(j->db, rc);
}

int rhythm_check(struct job *j)
{
    struct db_rows rows;
    struct {
        int64_t id, created_at;
        struct str slug, name;
    } *spaces = NULL;
    size_t n = 0, cap = 0;
    int rc = db_query(j->db, STMT_RHYTHM_SPACES, NULL, 0, &rows);

    while (!rc && (rc = db_next(&rows)) > 0) {
        if (n == cap)
            spaces = arena_grow(j->arena, spaces, n, &cap, sizeof(*spaces));
        spaces[n].id = db_col_int(&rows, 0);
        spaces[n].slug = db_col_text(&rows, 1, j->arena);
        spaces[n].name = db_col_text(&rows, 2, j->arena);
        spaces[n].created_at = db_col_int(&rows, 3);
        n++;
        rc = 0;
    }
    db_rows_done(&rows);
    for (size_t i = 0; i < n && rc >= 0; i++)
        rc = notice_space(j, spaces[i].id, spaces[i].slug, spaces[i].name, spaces[i].created_at);
    return rc < 0 ? rc : 0;
}

/* The feature ------------------------------------------------------------------ */

static const struct route routes[] = {
    {HTTP_GET, "/api/v1/spaces/{slug}/rhythm", rhythm_api, NULL, 0, 0},
    {HTTP_PATCH, "/api/v1/spaces/{slug}/rhythm", settings_api, settings_fields, RS__MAX,
     ROUTE_AUTH},
    {HTTP_GET, "/spaces/{slug}/rhythm", rhythm_page, NULL, 0, 0},
    {HTTP_POST, "/spaces/{slug}/rhythm", settings_page, settings_fields, RS__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
};

static const struct job_kind jobs[] = {
    {"event.remind", rhythm_remind, 6, 0},     {"event.ended", rhythm_ask_followup, 6, 0},
    {"event.moved_up", rhythm_moved_up, 6, 0}, {"event.followup_mail", rhythm_followup_mail, 6, 0},
    {"events.plan", rhythm_plan, 3, 3600},     {"rhythm.check", rhythm_check, 3, DAY},
};

const struct feature feature_rhythm = {
    .name = "rhythm",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .jobs = jobs,
    .njobs = ARRAY_LEN(jobs),
};
