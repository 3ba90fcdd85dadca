#include "feature/events/feeds.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "feature/events/events.h"
#include "feature/events/ical.h"

#define DAY          ((int64_t)86400)
#define FEED_EVENTS  200        /* events in one feed */
#define FEED_HISTORY (90 * DAY) /* how long a space's feed keeps events that are over */
#define MAC_BYTES    ((size_t)16)
#define ICS_TYPE     "text/calendar; charset=utf-8"

/* Addresses ---------------------------------------------------------------------------- */

/* A Host header fit to make links with: a name or an address, and a port. */
static bool host_fit(struct str h)
{
    if (!h.len || h.len > 255)
        return false;
    for (size_t i = 0; i < h.len; i++) {
        char c = h.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return false;
    }
    return true;
}

struct str events_site(struct req *r)
{
    const char *pub = r->app->cfg->public_url;
    size_t n = strlen(pub);
    struct str host = req_header(r, "Host");
    struct buf b;

    while (n && pub[n - 1] == '/')
        n--;
    if (n)
        return str_make(pub, n);
    buf_init(&b, &r->arena, 300);
    BUF_LIT(&b, "http://");
    buf_put_str(&b, host_fit(host) ? host : STR_LIT("localhost"));
    return buf_str(&b);
}

/* The keyed hash of a person's calendar token, as hex, into out (2 * MAC_BYTES + 1). */
static void token_mac(const unsigned char key[32], int64_t user_id, char out[2 * MAC_BYTES + 1])
{
    unsigned char mac[MAC_BYTES];
    char msg[48];
    int n = snprintf(msg, sizeof(msg), "praxis-calendar:%lld", (long long)user_id);

    crypto_generichash(mac, sizeof(mac), (const unsigned char *)msg, (size_t)n, key, 32);
    sodium_bin2hex(out, 2 * MAC_BYTES + 1, mac, sizeof(mac));
}

/* "<user id>-<hash>" for user_id, in the arena. */
static int token_of(struct req *r, int64_t user_id, struct str *out)
{
    unsigned char key[32];
    char mac[2 * MAC_BYTES + 1];
    struct buf b;
    int rc = calendar_key(req_db(r), key);

    if (rc)
        return rc;
    token_mac(key, user_id, mac);
    sodium_memzero(key, sizeof(key));
    buf_init(&b, &r->arena, 64);
    buf_put_i64(&b, user_id);
    buf_putc(&b, '-');
    buf_puts(&b, mac);
    *out = buf_str(&b);
    return 0;
}

/* Whose token this is: 0, or E_NOTFOUND for anything that is not a token this instance made. */
static int token_user(struct req *r, struct str token, int64_t *user_id)
{
    unsigned char key[32];
    char mac[2 * MAC_BYTES + 1];
    long dash = str_index(token, '-');
    struct str id, given;
    int rc;

    if (dash <= 0)
        return E_NOTFOUND;
    id = str_make(token.ptr, (size_t)dash);
    given = str_make(token.ptr + dash + 1, token.len - (size_t)dash - 1);
    if (str_to_i64(id, user_id) || *user_id <= 0 || given.len != 2 * MAC_BYTES)
        return E_NOTFOUND;
    rc = calendar_key(req_db(r), key);
    if (rc)
        return rc;
    token_mac(key, *user_id, mac);
    sodium_memzero(key, sizeof(key));
    return sodium_memcmp(mac, given.ptr, 2 * MAC_BYTES) == 0 ? 0 : E_NOTFOUND;
}

int events_feed_url(struct req *r, struct str *out)
{
    struct str token;
    struct buf b;
    int rc;

    if (!r->actor)
        return E_PERM;
    rc = token_of(r, r->actor->id, &token);
    if (rc)
        return rc;
    buf_init(&b, &r->arena, LIMIT_URL);
    buf_put_str(&b, events_site(r));
    BUF_LIT(&b, "/calendar/");
    buf_put_str(&b, token);
    BUF_LIT(&b, ".ics");
    *out = buf_str(&b);
    return 0;
}

/* Whether anyone at all, signed in or not, may read s: then its feed is at a plain address. */
static bool readable_by_all(const struct space *s)
{
    struct policy_actor anyone = {false, false, ROLE_NONE, ROLE_NONE, false};
    struct policy_space ps = {s->parent_id != 0, s->is_public, s->join, s->parent_public,
                              s->members_create_groups};

    return policy_can(&anyone, ACT_READ, &ps);
}

int feeds_space_url(struct req *r, const struct space *s, struct str *out)
{
    struct str token;
    struct buf b;
    int rc;

    *out = STR_NULL;
    buf_init(&b, &r->arena, LIMIT_URL);
    buf_put_str(&b, events_site(r));
    if (readable_by_all(s)) {
        BUF_LIT(&b, "/spaces/");
        buf_put_str(&b, s->slug);
        BUF_LIT(&b, "/events.ics");
        *out = buf_str(&b);
        return 0;
    }
    if (!r->actor)
        return 0;
    rc = token_of(r, r->actor->id, &token);
    if (rc)
        return rc;
    BUF_LIT(&b, "/calendar/");
    buf_put_str(&b, token);
    BUF_LIT(&b, "/spaces/");
    buf_put_str(&b, s->slug);
    BUF_LIT(&b, ".ics");
    *out = buf_str(&b);
    return 0;
}

/* Calendars ----------------------------------------------------------------------------- */

/*
 * The VEVENT of e, or of its occurrence o (NULL: the whole event): the
 * description carries the agenda, the join link for those shown it, and
 * the event's page.
 */
static void item_of(struct arena *a, const struct event *e, const struct occurrence *o,
                    struct str site, bool with_join, struct ics_item *it)
{
    struct buf d, url;

    buf_init(&url, a, LIMIT_URL);
    buf_put_str(&url, site);
    buf_printf(&url, "/events/%lld", (long long)e->id);
    buf_init(&d, a, (size_t)EVENT_TEXT_MAX * 10);
    buf_put_str(&d, e->description);
    if (e->agenda.len) {
        if (d.len)
            BUF_LIT(&d, "\n\n");
        BUF_LIT(&d, "Agenda:\n");
        buf_put_str(&d, e->agenda);
    }
    if (with_join && e->join_url.len) {
        if (d.len)
            BUF_LIT(&d, "\n\n");
        BUF_LIT(&d, "Join: ");
        buf_put_str(&d, e->join_url);
    }
    if (d.len)
        BUF_LIT(&d, "\n\n");
    buf_put_str(&d, buf_str(&url));
    memset(it, 0, sizeof(*it));
    it->uid = e->uid;
    it->summary = e->title;
    it->description = buf_str(&d);
    it->location = e->location.len                ? e->location
                   : with_join && e->join_url.len ? e->join_url
                   : e->mode == MODE_ONLINE       ? STR_LIT("Online")
                                                  : STR_NULL;
    it->url = buf_str(&url);
    it->tz = e->tz;
    it->start = o ? o->start_local : e->start_local;
    it->end = o ? o->end_local : e->end_local;
    it->start_utc = o ? o->start : e->starts_at;
    it->rrule = o ? STR_NULL : e->rrule;
    it->exdates = e->exdates;
    it->nexdates = e->nexdates;
    it->recurrence_id = o && e->rrule.len ? o->start : 0;
    it->cancelled = e->status == EVENT_CANCELLED || (o && o->cancelled);
    it->sequence = e->sequence;
    it->created = e->created_at;
    it->modified = e->updated_at;
}

int events_ics(struct arena *a, const struct event *e, int64_t occurrence, struct str site,
               bool with_join, struct buf *out)
{
    struct occurrence o = {0};
    struct ics_item it;
    int rc;

    if (occurrence) {
        rc = event_occurrence(e, occurrence, &o);
        if (rc)
            return rc;
    }
    item_of(a, e, occurrence ? &o : NULL, site, with_join, &it);
    return ics_calendar(out, STR_NULL, &it, 1);
}

static int answer_ics(struct req *r, struct resp *w, struct str name, const struct ics_item *items,
                      size_t n)
{
    int rc;

    resp_text(w, ICS_TYPE);
    rc = ics_calendar(&w->body, name, items, n);
    if (rc == E_INVAL)
        return E_IO; /* stored events that no longer expand: not the reader's doing */
    if (!rc)
        resp_header(w, "Cache-Control", "private, max-age=300");
    (void)r;
    return rc;
}

bool feeds_ics_name(struct str file, struct str *out)
{
    if (file.len <= 4 || !str_ends_with(file, STR_LIT(".ics")))
        return false;
    *out = str_make(file.ptr, file.len - 4);
    return true;
}

int feeds_event_ics(struct req *r, struct resp *w, int64_t id)
{
    struct event e = {0};
    struct space s = {0};
    struct ics_item it;
    int rc = events_open(r, id, ACT_READ, &e, &s);

    if (rc)
        return rc == E_PERM || rc == E_INVAL
                   ? req_fail(r, E_NOTFOUND, NULL, "there is no such event")
                   : rc;
    item_of(&r->arena, &e, NULL, events_site(r), events_may_join(r, &s), &it);
    return answer_ics(r, w, STR_NULL, &it, 1);
}

/* A space's events for its feed, as VEVENTs. */
static int space_items(struct req *r, const struct space *s, bool with_join,
                       struct ics_item **items, size_t *n)
{
    struct event *ev;
    int rc = events_for_feed(req_db(r), &r->arena, s->id, clock_unix() - FEED_HISTORY, FEED_EVENTS,
                             &ev, n);

    if (rc)
        return rc;
    *items = arena_calloc(&r->arena, *n ? *n : 1, sizeof(**items));
    for (size_t i = 0; i < *n; i++)
        item_of(&r->arena, &ev[i], NULL, events_site(r), with_join, &(*items)[i]);
    return 0;
}

static struct str feed_name(struct req *r, struct str space_name)
{
    struct buf b;

    buf_init(&b, &r->arena, 512);
    buf_put_str(&b, space_name);
    BUF_LIT(&b, " (");
    buf_puts(&b, r->app->name);
    BUF_LIT(&b, ")");
    return buf_str(&b);
}

/* GET /spaces/{slug}/events.ics: anyone's, so only a space anyone may read; no join links. */
static int space_feed(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct ics_item *items;
    size_t n;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (!rc && !readable_by_all(&s))
        rc = E_NOTFOUND;
    if (rc)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such calendar");
    rc = space_items(r, &s, false, &items, &n);
    if (rc)
        return rc;
    return answer_ics(r, w, feed_name(r, s.name), items, n);
}

/* GET /calendar/{token}/spaces/{slug}.ics: one member's feed of a space they may read. */
static int member_space_feed(struct req *r, struct resp *w)
{
    struct space s = {0};
    struct ics_item *items;
    struct str slug;
    int64_t user_id;
    size_t n;
    bool reads = false, joins = false;
    int rc = token_user(r, req_param(r, "token"), &user_id);

    if (!rc && !feeds_ics_name(req_param(r, "file"), &slug))
        rc = E_NOTFOUND;
    if (!rc)
        rc = space_load(r, slug, &s);
    if (!rc)
        rc = spaces_user_can(r, &s, user_id, ACT_READ, &reads);
    if (!rc && !reads)
        rc = E_NOTFOUND;
    if (!rc)
        rc = spaces_user_can(r, &s, user_id, ACT_POST, &joins);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such calendar");
    if (!rc)
        rc = space_items(r, &s, joins, &items, &n);
    if (rc)
        return rc;
    return answer_ics(r, w, feed_name(r, s.name), items, n);
}

/* What one person may see of a space: read it, and see its join links. */
struct seen {
    int64_t space_id;
    bool reads, joins;
};

static int seen_of(struct req *r, int64_t user_id, int64_t space_id, struct seen *cache, size_t *n,
                   const struct seen **out)
{
    struct space s = {0};
    int rc;

    for (size_t i = 0; i < *n; i++) {
        if (cache[i].space_id == space_id) {
            *out = &cache[i];
            return 0;
        }
    }
    cache[*n] = (struct seen){space_id, false, false};
    rc = space_load_id(r, space_id, &s);
    if (!rc)
        rc = spaces_user_can(r, &s, user_id, ACT_READ, &cache[*n].reads);
    if (!rc)
        rc = spaces_user_can(r, &s, user_id, ACT_POST, &cache[*n].joins);
    if (rc && rc != E_NOTFOUND)
        return rc;
    *out = &cache[(*n)++];
    return 0;
}

/* GET /calendar/{token}.ics: what one person answered going or maybe to. */
static int personal_feed(struct req *r, struct resp *w)
{
    struct event *ev;
    struct my_rsvp *mine;
    struct ics_item *items;
    struct seen *cache;
    struct str token;
    int64_t user_id;
    size_t n, nmine, nitems = 0, cap = 0, nseen = 0;
    int rc =
        feeds_ics_name(req_param(r, "file"), &token) ? token_user(r, token, &user_id) : E_NOTFOUND;

    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such calendar");
    if (!rc)
        rc = events_of_user(req_db(r), &r->arena, user_id, FEED_EVENTS, &ev, &n);
    if (!rc)
        rc = rsvps_of_user(req_db(r), &r->arena, user_id, &mine, &nmine);
    if (rc)
        return rc;
    cache = arena_calloc(&r->arena, n ? n : 1, sizeof(*cache));
    items = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct event *e = &ev[i];
        const struct seen *seen;
        bool whole = false;

        rc = seen_of(r, user_id, e->space_id, cache, &nseen, &seen);
        if (rc)
            return rc;
        if (!seen->reads)
            continue;
        for (size_t k = 0; k < nmine; k++)
            if (mine[k].event_id == e->id && !mine[k].occurrence)
                whole = mine[k].status == RSVP_GOING || mine[k].status == RSVP_MAYBE;
        if (whole || !e->rrule.len) {
            /* The series (or the one-time event) as a whole. */
            if (nitems == cap)
                items = arena_grow(&r->arena, items, nitems, &cap, sizeof(*items));
            item_of(&r->arena, e, NULL, events_site(r), seen->joins, &items[nitems++]);
            continue;
        }
        /* Else each occurrence answered for, named by its RECURRENCE-ID. */
        for (size_t k = 0; k < nmine; k++) {
            struct occurrence o = {0};

            if (mine[k].event_id != e->id || !mine[k].occurrence ||
                (mine[k].status != RSVP_GOING && mine[k].status != RSVP_MAYBE) ||
                event_occurrence(e, mine[k].occurrence, &o))
                continue;
            if (nitems == cap)
                items = arena_grow(&r->arena, items, nitems, &cap, sizeof(*items));
            item_of(&r->arena, e, &o, events_site(r), seen->joins, &items[nitems++]);
        }
    }
    {
        struct buf name;

        buf_init(&name, &r->arena, 512);
        BUF_LIT(&name, "My events (");
        buf_puts(&name, r->app->name);
        BUF_LIT(&name, ")");
        return answer_ics(r, w, buf_str(&name), items, nitems);
    }
}

/* The feeds take no session: a calendar app sends none, and the address alone must say whose. */
static const struct route routes[] = {
    {HTTP_GET, "/spaces/{slug}/events.ics", space_feed, NULL, 0, ROUTE_NO_SESSION},
    {HTTP_GET, "/calendar/{file}", personal_feed, NULL, 0, ROUTE_NO_SESSION},
    {HTTP_GET, "/calendar/{token}/spaces/{file}", member_space_feed, NULL, 0, ROUTE_NO_SESSION},
};

const struct feature feature_event_feeds = {
    .name = "event_feeds",
    .routes = routes,
    .nroutes = sizeof(routes) / sizeof(routes[0]),
};
