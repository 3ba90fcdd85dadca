/*
 * The notifications page, /notifications: the signed-in person's notices,
 * newest first, in words, each linking to the post it is about, with a
 * form to mark one read and one to mark them all.
 */
#include "feature/notify/pages.h"

#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "feature/discuss/discuss.h"
#include "feature/discuss/pages.h"
#include "feature/notify/model.h"
#include "feature/notify/notify.h"
#include "feature/notify/views.h"
#include "http/session.h"

#define MINUTE ((int64_t)60)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

static void see_other(struct resp *w, struct url to)
{
    w->status = 303;
    resp_header(w, "Location", to.ptr);
}

static struct str count_of(struct req *r, int64_t n, const char *one, const char *many)
{
    struct buf b;

    buf_init(&b, &r->arena, 64);
    buf_printf(&b, "%lld %s", (long long)n, n == 1 ? one : many);
    return buf_str(&b);
}

static const char *const months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* "just now", "5 minutes ago", "yesterday", "3 days ago", then the date; and two exact forms. */
static void when_of(struct req *r, int64_t t, struct view_notice *n)
{
    int64_t ago = clock_unix() - t;
    char iso[21];
    struct tm tm;
    struct buf b;

    clock_rfc3339(t, iso);
    n->when_iso = str_make(arena_strndup(&r->arena, iso, strlen(iso)), strlen(iso));
    if (clock_utc(t, &tm))
        return;
    buf_init(&b, &r->arena, 64);
    buf_printf(&b, "%d %s %d, %02d:%02d UTC", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
               tm.tm_hour, tm.tm_min);
    n->when_full = buf_str(&b);
    if (ago < MINUTE) {
        n->when = STR_LIT("just now");
    } else if (ago < HOUR) {
        n->when = count_of(r, ago / MINUTE, "minute ago", "minutes ago");
    } else if (ago < DAY) {
        n->when = count_of(r, ago / HOUR, "hour ago", "hours ago");
    } else if (ago < 2 * DAY) {
        n->when = STR_LIT("yesterday");
    } else if (ago < 7 * DAY) {
        n->when = count_of(r, ago / DAY, "day ago", "days ago");
    } else {
        buf_init(&b, &r->arena, 48);
        buf_printf(&b, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
        n->when = buf_str(&b);
    }
}

/* a + b + c as text in the arena. */
static struct str join3(struct req *r, struct str a, const char *b, struct str c)
{
    struct buf out;

    buf_init(&out, &r->arena, LIMIT_TEXT_DEFAULT);
    buf_put_str(&out, a);
    buf_puts(&out, b);
    buf_put_str(&out, c);
    return buf_str(&out);
}

/* Whether the caller wrote post_id (an accepted answer's notice goes to its writer and the asker).
 */
static int wrote(struct req *r, int64_t post_id, bool *mine)
{
    struct post p;
    int rc = post_load(r, post_id, &p);

    *mine = !rc && p.author_id == r->actor->id;
    return rc == E_NOTFOUND ? 0 : rc;
}

/*
 * A notice in words: "<lead> <topic> <tail>". The kinds are the model's
 * (notify.h): mention, reply, answered, watched, accepted, reaction.
 */
static int words_of(struct req *r, const struct notice *x, struct view_notice *n)
{
    struct str who = x->actor_name.len ? x->actor_name : STR_LIT("Someone");
    bool mine;
    int rc;

    n->tail = STR_NULL;
    if (str_eq_c(x->kind, "mention")) {
        n->lead = join3(r, who, " mentioned you in", STR_NULL);
    } else if (str_eq_c(x->kind, "reply")) {
        n->lead = join3(r, who, " replied to your post in", STR_NULL);
    } else if (str_eq_c(x->kind, "answered")) {
        n->lead = STR_LIT("Your question");
        n->tail = join3(r, STR_LIT("got an answer from "), "", who);
    } else if (str_eq_c(x->kind, "accepted")) {
        rc = wrote(r, x->post_id, &mine);
        if (rc)
            return rc;
        if (mine) {
            n->lead = STR_LIT("Your answer was accepted in");
            n->tail = join3(r, STR_LIT("by "), "", who);
        } else {
            n->lead = join3(r, who, " accepted an answer to your question", STR_NULL);
        }
    } else if (str_eq_c(x->kind, "reaction")) {
        if (x->count > 1)
            n->lead = join3(r, count_of(r, x->count, "person", "people"),
                            " reacted to your post in", STR_NULL);
        else
            n->lead = join3(r, who, " reacted to your post in", STR_NULL);
    } else {
        n->lead = join3(r, STR_LIT("New post by "), "", join3(r, who, " in", STR_NULL));
        n->tail = STR_LIT("(you are watching it)");
    }
    return 0;
}

enum { NL_CURSOR, NL__MAX };

static const struct field list_fields[NL__MAX] = {
    [NL_CURSOR] = {"cursor", FIELD_INT, false, 0, 1, INT64_MAX},
};

static struct str notice_of(struct req *r)
{
    const struct kv *kv = kv_get(&r->query, STR_LIT("notice"));

    if (kv && str_eq_c(kv->value, "all-read"))
        return STR_LIT("All your notifications are marked read.");
    return STR_NULL;
}

static int notifications_page(struct req *r, struct resp *w)
{
    struct view_notifications vm = {0};
    struct view_notice *items;
    struct notice *x;
    int64_t next, unread;
    size_t n;
    struct buf body, b;
    bool later = req_in(r, NL_CURSOR)->present;
    int rc =
        notify_visible_list(r, later ? req_in(r, NL_CURSOR)->num : INT64_MAX, false, &x, &n, &next);

    if (!rc)
        rc = notify_unread_count(r, &unread);
    if (rc)
        return rc;
    items = arena_calloc(&r->arena, n ? n : 1, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        struct view_notice *it = &items[i];

        it->id = x[i].id;
        it->unread = x[i].read_at == 0;
        rc = words_of(r, &x[i], it);
        if (rc)
            return rc;
        it->title = x[i].topic_title.len ? x[i].topic_title : STR_LIT("a topic");
        it->href = x[i].topic_id ? discuss_post_url(r, x[i].topic_id, x[i].post_number)
                                 : URL_LIT("/notifications");
        it->space = x[i].space_name;
        buf_init(&b, &r->arena, LIMIT_URL);
        BUF_LIT(&b, "/spaces/");
        buf_put_str(&b, x[i].space_slug);
        it->space_href = url_of_buf(&r->arena, &b);
        when_of(r, x[i].created_at, it);
        buf_init(&b, &r->arena, 64);
        buf_printf(&b, "/notifications/%lld/read", (long long)x[i].id);
        it->read_action = url_of_buf(&r->arena, &b);
    }
    vm.items = items;
    vm.nitems = n;
    vm.csrf = csrf_token(r);
    vm.notice = notice_of(r);
    vm.any_unread = unread > 0;
    vm.summary = unread ? count_of(r, unread, "unread", "unread") : STR_LIT("All read.");
    vm.read_all_action = URL_LIT("/notifications/read");
    vm.later_page = later;
    vm.newest_url = URL_LIT("/notifications");
    vm.has_older = next != 0;
    if (next) {
        buf_init(&b, &r->arena, 64);
        buf_printf(&b, "/notifications?cursor=%lld", (long long)next);
        vm.older_url = url_of_buf(&r->arena, &b);
    }
    resp_body_init(r, &body);
    view_notifications(&body, &vm);
    return resp_page(r, w, STR_LIT("Notifications"), STR_NULL, &body);
}

/* Mark one read; already read, or not the caller's, changes nothing: back to the list either way.
 */
static int read_one_page(struct req *r, struct resp *w)
{
    int64_t id;
    int rc;

    if (str_to_i64(req_param(r, "id"), &id) || id <= 0)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such notification");
    rc = notice_read(r, id);
    if (rc && rc != E_NOTFOUND)
        return rc;
    see_other(w, URL_LIT("/notifications"));
    return 0;
}

static int read_all_page(struct req *r, struct resp *w)
{
    int64_t changed;
    int rc = notices_read_all(r, &changed);

    if (rc)
        return rc;
    see_other(w, URL_LIT("/notifications?notice=all-read"));
    return 0;
}

static const struct route routes[] = {
    {HTTP_GET, "/notifications", notifications_page, list_fields, NL__MAX, ROUTE_AUTH},
    {HTTP_POST, "/notifications/read", read_all_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/notifications/{id}/read", read_one_page, NULL, 0, ROUTE_AUTH},
};

const struct feature feature_notify_pages = {
    .name = "notify-pages",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
