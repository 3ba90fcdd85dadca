/*
 * After an event: its hosts publish a follow-up of one occurrence (a
 * summary, the resources that came up, the next steps). Publishing posts a
 * summary topic in the event's space that links back to the event, keeps
 * the follow-up for the event's page, and queues the mail to those who came
 * and to those who follow the space, all in one transaction.
 *
 *   POST /api/v1/events/{id}/followup   {summary, resources?, next_steps?, occurrence?}
 *   GET  /api/v1/events/{id}/followups  (readers of the space)
 *   GET  /events/{id}/followup          the form (hosts)
 *   POST /events/{id}/followup          its answer
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "db/db.h"
#include "feature/activity/activity.h"
#include "feature/discuss/discuss.h"
#include "feature/discuss/model.h"
#include "feature/discuss/rules.h"
#include "feature/events/events.h"
#include "feature/jobs/jobs.h"
#include "feature/profiles/profiles.h"
#include "feature/rhythm/model.h"
#include "feature/rhythm/rhythm.h"
#include "feature/rhythm/rhythm_int.h"
#include "feature/rhythm/views.h"
#include "http/session.h"
#include "view/markdown.h"

#define SUMMARY_MAX    20000 /* characters */
#define NEXT_STEPS_MAX 10000
#define RESOURCES_MAX  20 /* links */
#define RESOURCE_MAX   2000

const char *rhythm_path(struct arena *a, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return "/";
    return arena_strndup(a, tmp, (size_t)n);
}

struct str rhythm_followup_markdown(struct arena *a, const struct followup *f,
                                    const struct event *e, struct str base, bool with_event_link)
{
    struct buf b;
    struct str rest = f->resources;

    buf_init(&b, a, f->summary.len + f->resources.len + f->next_steps.len + 512);
    buf_put_str(&b, f->summary);
    buf_puts(&b, "\n");
    if (rest.len) {
        buf_puts(&b, "\n### Resources\n\n");
        while (rest.len) {
            const char *nl = memchr(rest.ptr, '\n', rest.len);
            size_t len = nl ? (size_t)(nl - rest.ptr) : rest.len;

            if (len) {
                buf_puts(&b, "- <");
                buf_append(&b, rest.ptr, len);
                buf_puts(&b, ">\n");
            }
            rest.ptr += nl ? len + 1 : len;
            rest.len -= nl ? len + 1 : len;
        }
    }
    if (f->next_steps.len) {
        buf_puts(&b, "\n### Next steps\n\n");
        buf_put_str(&b, f->next_steps);
        buf_puts(&b, "\n");
    }
    if (with_event_link) {
        /* Markdown's link text: the title with its brackets and backslashes escaped. */
        buf_puts(&b, "\n---\n\nFollow-up of [");
        for (size_t i = 0; i < e->title.len; i++) {
            char c = e->title.ptr[i];

            if (c == '[' || c == ']' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<')
                buf_putc(&b, '\\');
            buf_putc(&b, c);
        }
        buf_printf(&b, "](%.*s/events/%lld).\n", (int)base.len, base.ptr, (long long)e->id);
    }
    return buf_str(&b);
}

/* The first max characters of s (whole UTF-8 sequences). */
static struct str cut_chars(struct str s, size_t max)
{
    size_t i = 0, chars = 0;

    while (i < s.len && chars < max) {
        i++;
        while (i < s.len && ((unsigned char)s.ptr[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return str_make(s.ptr, i);
}

/* The follow-up as JSON. */
static void followup_json(struct json *j, const struct followup *f)
{
    struct str rest = f->resources;
    char iso[21];

    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, f->id);
    json_key(j, "event_id");
    json_i64(j, f->event_id);
    json_key(j, "occurrence");
    clock_rfc3339(f->occurrence, iso);
    json_str_c(j, iso);
    json_key(j, "summary");
    json_str(j, f->summary);
    json_key(j, "summary_html");
    json_str(j, f->summary_html);
    json_key(j, "resources");
    json_arr_open(j);
    while (rest.len) {
        const char *nl = memchr(rest.ptr, '\n', rest.len);
        size_t len = nl ? (size_t)(nl - rest.ptr) : rest.len;

        if (len)
            json_str(j, str_make(rest.ptr, len));
        rest.ptr += nl ? len + 1 : len;
        rest.len -= nl ? len + 1 : len;
    }
    json_arr_close(j);
    json_key(j, "next_steps");
    json_str(j, f->next_steps);
    json_key(j, "next_steps_html");
    json_str(j, f->next_steps_html);
    json_key(j, "topic_id");
    json_i64_or_null(j, f->topic_id);
    profile_ref_json(j, "author", f->author_handle, f->author_name);
    json_key(j, "created_at");
    clock_rfc3339(f->created_at, iso);
    json_str_c(j, iso);
    json_obj_close(j);
}

void events_followups_json(struct req *r, struct json *j, int64_t event_id)
{
    struct followup *f;
    size_t n = 0;

    json_arr_open(j);
    if (req_db(r) && !followups_of_event(req_db(r), &r->arena, event_id, 20, &f, &n))
        for (size_t i = 0; i < n; i++)
            followup_json(j, &f[i]);
    json_arr_close(j);
}

/* The latest occurrence of e that has begun and was not cancelled; E_NOTFOUND when none. */
static int last_begun(struct arena *a, const struct event *e, int64_t now, struct occurrence *out)
{
    struct occurrence *occ;
    size_t n;
    bool more;
    int rc = event_occurrences(a, e, now - (int64_t)400 * 86400, now + 1, 1000, &occ, &n, &more);

    if (rc)
        return rc;
    for (size_t i = n; i-- > 0;) {
        if (occ[i].start <= now && !occ[i].cancelled) {
            *out = occ[i];
            return 0;
        }
    }
    return E_NOTFOUND;
}

int events_followups_html(struct req *r, const struct event *e, bool is_host, struct html *out)
{
    struct view_followups vm = {0};
    struct view_followup_item *items;
    struct followup *f;
    struct occurrence last;
    struct db *db = req_db(r);
    size_t n;
    struct buf b;
    int rc;

    *out = HTML_EMPTY;
    if (!db)
        return E_UNAVAIL;
    rc = followups_of_event(db, &r->arena, e->id, 20, &f, &n);
    if (rc)
        return rc;
    items = arena_calloc(&r->arena, n ? n : 1, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        struct view_followup_item *it = &items[i];
        struct url *urls = arena_calloc(&r->arena, RESOURCES_MAX, sizeof(*urls));
        struct str rest = f[i].resources;

        it->when = rhythm_when(&r->arena, e->tz, STR_NULL, f[i].occurrence,
                               f[i].occurrence + (e->ends_at - e->starts_at));
        it->author = f[i].author_name;
        it->summary = markdown_stored(f[i].summary_html);
        it->next_steps = markdown_stored(f[i].next_steps_html);
        it->has_next_steps = f[i].next_steps_html.len > 0;
        while (rest.len && it->nresources < RESOURCES_MAX) {
            const char *nl = memchr(rest.ptr, '\n', rest.len);
            size_t len = nl ? (size_t)(nl - rest.ptr) : rest.len;

            if (len && url_build(&r->arena, str_make(rest.ptr, len), &urls[it->nresources]) == 0)
                it->nresources++;
            rest.ptr += nl ? len + 1 : len;
            rest.len -= nl ? len + 1 : len;
        }
        it->resources = urls;
        it->has_topic = f[i].topic_id != 0;
        if (it->has_topic)
            it->topic_href =
                rhythm_url(r, rhythm_path(&r->arena, "/topics/%lld", (long long)f[i].topic_id));
    }
    vm.items = items;
    vm.nitems = n;
    if (is_host && e->status == EVENT_CONFIRMED &&
        last_begun(&r->arena, e, clock_unix(), &last) == 0) {
        bool done;

        rc = followup_exists(db, e->id, last.start, &done);
        if (rc)
            return rc;
        if (!done) {
            vm.has_prompt = true;
            vm.prompt_when = rhythm_when(&r->arena, e->tz, STR_NULL, last.start, last.end);
            vm.prompt_href =
                rhythm_url(r, rhythm_path(&r->arena, "/events/%lld/followup?occurrence=%lld",
                                          (long long)e->id, (long long)last.start));
        }
    }
    vm.show = vm.nitems > 0 || vm.has_prompt;
    buf_init(&b, &r->arena, 4096);
    rc = view_followups(&b, &vm);
    if (!rc)
        *out = html_from_buf(&b);
    return rc;
}

enum { FU_SUMMARY, FU_RESOURCES, FU_NEXT_STEPS, FU_OCCURRENCE, FU__MAX };

static const struct field followup_fields[FU__MAX] = {
    [FU_SUMMARY] = {"summary", FIELD_TEXT, true, SUMMARY_MAX, 0, 0},
    [FU_RESOURCES] = {"resources", FIELD_LIST, false, RESOURCE_MAX, 0, RESOURCES_MAX},
    [FU_NEXT_STEPS] = {"next_steps", FIELD_TEXT, false, NEXT_STEPS_MAX, 0, 0},
    [FU_OCCURRENCE] = {"occurrence", FIELD_TEXT, false, 24, 0, 0},
};

/* The form's first view: the same fields, none required, read from the query. */
static const struct field form_get_fields[FU__MAX] = {
    [FU_SUMMARY] = {"summary", FIELD_TEXT, false, SUMMARY_MAX, 0, 0},
    [FU_RESOURCES] = {"resources", FIELD_LIST, false, RESOURCE_MAX, 0, RESOURCES_MAX},
    [FU_NEXT_STEPS] = {"next_steps", FIELD_TEXT, false, NEXT_STEPS_MAX, 0, 0},
    [FU_OCCURRENCE] = {"occurrence", FIELD_TEXT, false, 24, 0, 0},
};

/* The occurrence a follow-up is of: the one named, else the latest that has begun. */
static int occurrence_of(struct req *r, const struct event *e, const struct value *v,
                         struct occurrence *out)
{
    int64_t now = clock_unix(), t;
    int rc;

    if (v->present && v->text.len) {
        if (clock_parse(v->text.ptr, &t))
            return req_fail(r, E_INVAL, "occurrence",
                            "expected the occurrence's start as unix seconds or UTC RFC 3339");
        rc = event_occurrence(e, t, out);
        if (rc == E_NOTFOUND)
            return req_fail(r, E_INVAL, "occurrence", "the event has no occurrence then");
        if (rc)
            return rc;
        if (out->cancelled)
            return req_fail(r, E_INVAL, "occurrence", "that occurrence was cancelled");
        if (out->start > now)
            return req_fail(r, E_INVAL, "occurrence", "that occurrence has not begun yet");
        return 0;
    }
    rc = last_begun(&r->arena, e, now, out);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_INVAL, "occurrence", "the event has not happened yet");
    return rc;
}

/* Check the resources: each an http(s) link on one line; *out one per line. */
static int resources_in(struct req *r, const struct value *v, struct str *out)
{
    struct buf b;

    *out = STR_NULL;
    if (!v->present)
        return 0;
    buf_init(&b, &r->arena, 256);
    for (size_t i = 0; i < v->nitems; i++) {
        struct str u = v->items[i];
        struct url ok;

        if ((!str_starts_with(u, STR_LIT("https://")) && !str_starts_with(u, STR_LIT("http://"))) ||
            memchr(u.ptr, ' ', u.len) || url_build(&r->arena, u, &ok))
            return req_fail(r, E_INVAL, "resources", "each resource must be an http or https link");
        buf_put_str(&b, u);
        buf_putc(&b, '\n');
    }
    *out = buf_str(&b);
    return 0;
}

/* Open the event {id} for one of its hosts: 404 to who may not read it, 403 to other readers. */
static int open_hosted(struct req *r, struct event *e, struct space *s)
{
    int64_t id;
    int rc;

    if (str_to_i64(req_param(r, "id"), &id) || id <= 0)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such event");
    rc = events_open(r, id, ACT_READ, e, s);
    if (rc)
        return rc;
    if (!events_may_host(r, s, e))
        return req_fail(r, E_PERM, NULL, "only the event's hosts and facilitators follow it up");
    return 0;
}

/*
 * Publish a follow-up from the request's fields (the API's and the form's
 * are the same). *f gets it, *topic_id the summary topic.
 */
static int publish(struct req *r, const struct event *e, const struct space *s, struct followup *f)
{
    struct db *db = req_db(r);
    struct occurrence o = {0};
    struct post_text text;
    struct str md, title, base = events_site(r);
    struct buf tb;
    char payload[128], key[64];
    int64_t post_id, now = clock_unix();
    bool taken;
    int rc = occurrence_of(r, e, req_in(r, FU_OCCURRENCE), &o);

    if (rc)
        return rc;
    memset(f, 0, sizeof(*f));
    f->event_id = e->id;
    f->occurrence = o.start;
    f->summary = str_trim(req_in(r, FU_SUMMARY)->text);
    f->next_steps = str_trim(req_in(r, FU_NEXT_STEPS)->text);
    f->created_by = r->actor->id;
    f->author_handle = r->actor->handle;
    f->author_name = r->actor->name;
    f->created_at = now;
    if (!f->summary.len)
        return req_fail(r, E_INVAL, "summary", "write what was discussed");
    rc = resources_in(r, req_in(r, FU_RESOURCES), &f->resources);
    if (rc)
        return rc;
    if (!db)
        return E_UNAVAIL;
    rc = followup_exists(db, e->id, o.start, &taken);
    if (rc)
        return rc;
    if (taken)
        return req_fail(r, E_CONFLICT, "occurrence",
                        "this occurrence has its follow-up already; add to its summary topic");
    {
        struct html h;

        rc = markdown_render(&r->arena, f->summary, (size_t)SUMMARY_MAX * 4, &h);
        f->summary_html = str_make(h.ptr, h.len);
        if (!rc) {
            rc = markdown_render(&r->arena, f->next_steps, (size_t)NEXT_STEPS_MAX * 4, &h);
            f->next_steps_html = str_make(h.ptr, h.len);
        }
        if (rc)
            return rc;
    }
    md = rhythm_followup_markdown(&r->arena, f, e, base, true);
    rc = discuss_prepare_text(r, "summary", md, &text);
    if (rc)
        return rc;
    buf_init(&tb, &r->arena, (size_t)TOPIC_TITLE_MAX * 4);
    buf_puts(&tb, "Summary: ");
    buf_put_str(&tb, e->title);
    title = buf_str(&tb);
    title = cut_chars(title, TOPIC_TITLE_MAX);
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = topic_create_in(r, s, TOPIC_SUMMARY, title, NULL, 0, &text, &f->topic_id, &post_id);
    if (!rc)
        rc = followup_insert(db, f, &f->id);
    if (!rc)
        rc = activity_add(db, r->actor->id, "event.followup", "event", e->id, s->id);
    if (!rc) {
        snprintf(payload, sizeof(payload), "{\"event\":%lld,\"occurrence\":%lld,\"extra\":%lld}",
                 (long long)e->id, (long long)o.start, (long long)f->id);
        snprintf(key, sizeof(key), "followup:%lld", (long long)f->id);
        rc = job_enqueue(db, "event.followup_mail", key, str_c(payload), now);
    }
    rc = db_tx_end(db, rc);
    if (!rc)
        jobs_kick(r->app);
    return rc;
}

static int followup_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct followup f = {0};
    struct json j;
    int rc = open_hosted(r, &e, &s);

    if (!rc)
        rc = publish(r, &e, &s, &f);
    if (rc)
        return rc;
    resp_json(w);
    w->status = 201;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "followup");
    followup_json(&j, &f);
    json_key(&j, "topic");
    json_obj_open(&j);
    json_key(&j, "id");
    json_i64(&j, f.topic_id);
    json_key(&j, "url");
    json_str_c(&j, rhythm_path(&r->arena, "/topics/%lld", (long long)f.topic_id));
    json_obj_close(&j);
    json_obj_close(&j);
    return 0;
}

static int followups_api(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct json j;
    int64_t id;
    int rc;

    if (str_to_i64(req_param(r, "id"), &id) || id <= 0)
        return req_fail(r, E_NOTFOUND, NULL, "there is no such event");
    rc = events_open(r, id, ACT_READ, &e, &s);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "followups");
    events_followups_json(r, &j, e.id);
    json_obj_close(&j);
    return 0;
}

/* The form ------------------------------------------------------------------ */

static int form_page(struct req *r, struct resp *w, const struct event *e, const char *error)
{
    struct view_followup_form vm = {0};
    const struct value *occ = req_in(r, FU_OCCURRENCE);
    struct buf body;
    int rc;

    vm.csrf = csrf_token(r);
    vm.title = e->title;
    vm.action = rhythm_url(r, rhythm_path(&r->arena, "/events/%lld/followup", (long long)e->id));
    vm.event_href = rhythm_url(r, rhythm_path(&r->arena, "/events/%lld", (long long)e->id));
    vm.occurrence = occ->present ? occ->text : STR_NULL;
    vm.summary = req_in(r, FU_SUMMARY)->text;
    vm.next_steps = req_in(r, FU_NEXT_STEPS)->text;
    {
        const struct value *res = req_in(r, FU_RESOURCES);
        struct buf b;

        buf_init(&b, &r->arena, 256);
        for (size_t i = 0; res->present && i < res->nitems; i++) {
            buf_put_str(&b, res->items[i]);
            buf_putc(&b, '\n');
        }
        vm.resources = buf_str(&b);
    }
    if (error)
        vm.error = str_c(error);
    for (size_t i = 0; i < r->nerrs; i++) {
        if (strcmp(r->errs[i].field, "summary") == 0)
            vm.summary_error = str_c(r->errs[i].msg);
        else if (strcmp(r->errs[i].field, "resources") == 0)
            vm.resources_error = str_c(r->errs[i].msg);
        else if (strcmp(r->errs[i].field, "next_steps") == 0)
            vm.next_steps_error = str_c(r->errs[i].msg);
        else if (!vm.error.len)
            vm.error = str_c(r->errs[i].msg);
    }
    if (r->err_msg && !vm.error.len && !vm.summary_error.len && !vm.resources_error.len)
        vm.error = str_c(r->err_msg);
    resp_body_init(r, &body);
    view_followup_form(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Follow-up"), STR_NULL, &body);
    if (error || r->nerrs || r->err_msg)
        w->status = 400;
    return rc;
}

static int form_get(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    int rc = open_hosted(r, &e, &s);

    if (rc)
        return rc;
    return form_page(r, w, &e, NULL);
}

static int form_post(struct req *r, struct resp *w)
{
    struct event e = {0};
    struct space s = {0};
    struct followup f = {0};
    int rc = open_hosted(r, &e, &s);

    if (rc)
        return rc;
    if (r->nerrs)
        return form_page(r, w, &e, NULL);
    rc = publish(r, &e, &s, &f);
    if (rc == E_INVAL || rc == E_CONFLICT)
        return form_page(r, w, &e, NULL);
    if (rc)
        return rc;
    w->status = 303;
    resp_header(w, "Location",
                rhythm_path(&r->arena, "/events/%lld?notice=followup", (long long)e.id));
    return 0;
}

static const struct route routes[] = {
    {HTTP_POST, "/api/v1/events/{id}/followup", followup_api, followup_fields, FU__MAX, ROUTE_AUTH},
    {HTTP_GET, "/api/v1/events/{id}/followups", followups_api, NULL, 0, 0},
    {HTTP_GET, "/events/{id}/followup", form_get, form_get_fields, FU__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_POST, "/events/{id}/followup", form_post, followup_fields, FU__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
};
const struct feature feature_followups = {
    .name = "followups",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
