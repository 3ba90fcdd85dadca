#include "feature/profiles/profiles.h"

#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "feature/profiles/input.h"
#include "feature/profiles/model.h"
#include "feature/profiles/rules.h"
#include "feature/profiles/views.h"
#include "feature/spaces/pages.h"
#include "http/session.h"
#include "view/markdown.h"

/*
 * Inputs. The router checks type, UTF-8 and a generous size; the rules in
 * rules.c then decide, with their own messages. Interests arrive as an
 * object of lists in the API (read from r->json here) and as three
 * textareas, one interest per line, on the page.
 */
#define NAME_INPUT_MAX ((size_t)4 * PROFILE_NAME_MAX) /* characters */
#define BIO_INPUT_MAX  ((size_t)2 * PROFILE_BIO_MAX)  /* characters: CR LF counts as two */
#define TZ_INPUT_MAX   ((size_t)4 * TIMEZONE_MAX)     /* characters */
/* Room for 20 lines of 60 characters with CR LF endings, and then some. */
#define INTERESTS_TEXT_MAX ((size_t)4 * INTERESTS_MAX * (INTEREST_LABEL_MAX + 2))
/* markdown_render() bounds its source in bytes; a character is at most 4. */
#define BIO_SRC_BYTES ((size_t)4 * PROFILE_BIO_MAX)

enum { PA_NAME, PA_BIO, PA_TIMEZONE, PA__MAX };

static const struct field patch_fields[PA__MAX] = {
    [PA_NAME] = {"name", FIELD_TEXT, false, NAME_INPUT_MAX, 0, 0},
    [PA_BIO] = {"bio", FIELD_TEXT, false, BIO_INPUT_MAX, 0, 0},
    [PA_TIMEZONE] = {"timezone", FIELD_TEXT, false, TZ_INPUT_MAX, 0, 0},
};

enum { PF_NAME, PF_BIO, PF_TIMEZONE, PF_HELP, PF_LEARN, PF_INTEREST, PF__MAX };

static const struct field form_fields[PF__MAX] = {
    [PF_NAME] = {"name", FIELD_TEXT, false, NAME_INPUT_MAX, 0, 0},
    [PF_BIO] = {"bio", FIELD_TEXT, false, BIO_INPUT_MAX, 0, 0},
    [PF_TIMEZONE] = {"timezone", FIELD_TEXT, false, TZ_INPUT_MAX, 0, 0},
    [PF_HELP] = {"interests.help", FIELD_TEXT, false, INTERESTS_TEXT_MAX, 0, 0},
    [PF_LEARN] = {"interests.learn", FIELD_TEXT, false, INTERESTS_TEXT_MAX, 0, 0},
    [PF_INTEREST] = {"interests.interest", FIELD_TEXT, false, INTERESTS_TEXT_MAX, 0, 0},
};
_Static_assert(PF_INTEREST - PF_HELP == INTEREST_INTEREST - INTEREST_HELP, "kinds in order");

/* The message recorded for field, or an empty view. */
static struct str field_error(struct req *r, const char *field)
{
    for (size_t i = 0; i < r->nerrs; i++)
        if (r->errs[i].field && strcmp(r->errs[i].field, field) == 0)
            return str_c(r->errs[i].msg);
    return STR_NULL;
}

/*
 * Drop what the router found wrong with the inputs: a 403 or 404 answers
 * first and must not carry them.
 */
static void forget_input_errors(struct req *r)
{
    r->nerrs = 0;
    r->err_msg = NULL;
    r->invalid = 0;
}

/* Whether the person signed in may change p: themselves, or an instance admin. */
static bool can_edit(const struct req *r, const struct profile *p)
{
    return r->actor && (r->actor->id == p->id || r->actor->is_admin);
}

/* Checking input ---------------------------------------------------------- */

/*
 * Check name, bio and time zone (each may be absent) into c, rendering the
 * bio. Records each problem; 0, E_INVAL, or the renderer's failure.
 */
static int check_fields(struct req *r, const struct value *name, const struct value *bio,
                        const struct value *tz, struct profile_change *c)
{
    const char *msg;
    int rc = 0;

    if (name->present && !field_error(r, "name").len) {
        msg = rule_profile_name(name->text);
        if (msg)
            rc = req_fail(r, E_INVAL, "name", msg);
        c->has_name = true;
        c->name = str_trim(name->text);
    }
    if (tz->present && !field_error(r, "timezone").len) {
        c->has_timezone = true;
        c->timezone = str_trim(tz->text);
        msg = rule_timezone(c->timezone);
        if (msg)
            rc = req_fail(r, E_INVAL, "timezone", msg);
    }
    if (bio->present && !field_error(r, "bio").len) {
        struct html html = HTML_EMPTY;
        int mrc;

        c->has_bio = true;
        c->bio = newline_normal(&r->arena, bio->text);
        msg = rule_bio(c->bio);
        if (msg)
            return req_fail(r, E_INVAL, "bio", msg);
        /* Rendered once, now, and stored for the API's bio_html. */
        mrc = markdown_render(&r->arena, c->bio, BIO_SRC_BYTES, &html);
        if (mrc == E_TOOBIG)
            return req_fail(r, E_INVAL, "bio", "makes a table too large to show; make it smaller");
        if (mrc)
            return mrc;
        c->bio_html = str_make(html.ptr, html.len);
    }
    return rc;
}

/* Interests from the page: one per line in each textarea; blank lines are skipped. */
static int interests_from_form(struct req *r, struct profile_change *c)
{
    int rc = 0;

    for (int k = 0; k < INTEREST__MAX; k++) {
        const struct value *v = req_in(r, PF_HELP + (size_t)k);
        const char *field = interest_field_name((enum interest_kind)k);
        struct str text;
        size_t start = 0;

        if (!v->present || field_error(r, field).len)
            continue;
        c->has_interests[k] = true;
        text = newline_normal(&r->arena, v->text);
        for (size_t i = 0; i <= text.len; i++) {
            struct str line;
            const char *msg;

            if (i < text.len && text.ptr[i] != '\n')
                continue;
            line = str_make(text.ptr + start, i - start);
            start = i + 1;
            if (str_trim(line).len == 0)
                continue;
            msg = interest_add(&r->arena, &c->interests[k], line);
            if (msg) {
                rc = req_fail(r, E_INVAL, field, msg);
                break;
            }
        }
    }
    return rc;
}

static bool changes_anything(const struct profile_change *c)
{
    if (c->has_name || c->has_bio || c->has_timezone)
        return true;
    for (int k = 0; k < INTEREST__MAX; k++)
        if (c->has_interests[k])
            return true;
    return false;
}

/* The API ----------------------------------------------------------------- */

static void labels_json(struct json *j, const struct label_list *l)
{
    json_arr_open(j);
    for (size_t i = 0; i < l->n; i++)
        json_str(j, l->items[i]);
    json_arr_close(j);
}

/* {"user":{…}}: what anyone may see of a person. */
static void profile_json(struct resp *w, const struct profile *p)
{
    struct json j;

    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "user");
    json_obj_open(&j);
    json_key(&j, "id");
    json_i64(&j, p->id);
    json_key(&j, "handle");
    json_str(&j, p->handle);
    json_key(&j, "name");
    json_str(&j, p->name);
    json_key(&j, "bio");
    json_str(&j, p->bio);
    json_key(&j, "bio_html");
    json_str(&j, p->bio_html);
    json_key(&j, "timezone");
    json_str(&j, p->timezone);
    json_key(&j, "created_at");
    json_i64(&j, p->created_at);
    /* As a day, never a time: when they were last here, unless they appear offline. */
    json_key(&j, "last_active");
    if (p->last_active_at) {
        char day[21];

        clock_rfc3339(p->last_active_at, day);
        day[10] = '\0';
        json_str_c(&j, day);
    } else {
        json_null(&j);
    }
    json_key(&j, "interests");
    json_obj_open(&j);
    for (int k = 0; k < INTEREST__MAX; k++) {
        json_key(&j, interest_kind_name((enum interest_kind)k));
        labels_json(&j, &p->interests[k]);
    }
    json_obj_close(&j);
    json_obj_close(&j);
    json_obj_close(&j);
}

static int user_api(struct req *r, struct resp *w)
{
    struct profile p;
    int rc = profile_by_handle(r, req_param(r, "handle"), &p);

    if (rc)
        return rc;
    profile_json(w, &p);
    return 0;
}

static int user_patch_api(struct req *r, struct resp *w)
{
    struct profile p;
    struct profile_change *c = arena_calloc(&r->arena, 1, sizeof(*c));
    int rc = profile_by_handle(r, req_param(r, "handle"), &p), bad;

    if (rc || !can_edit(r, &p)) {
        forget_input_errors(r);
        return rc ? rc : req_fail(r, E_PERM, NULL, "you may change only your own profile");
    }
    bad = r->invalid;
    rc = check_fields(r, req_in(r, PA_NAME), req_in(r, PA_BIO), req_in(r, PA_TIMEZONE), c);
    if (rc && rc != E_INVAL)
        return rc;
    if (rc)
        bad = rc;
    if (interests_from_json(r, c->interests, c->has_interests))
        bad = E_INVAL;
    if (bad)
        return bad;
    if (changes_anything(c)) {
        rc = profile_save(r, r->actor->id, p.id, c);
        if (!rc)
            rc = profile_by_handle(r, p.handle, &p);
        if (rc)
            return rc;
    }
    profile_json(w, &p);
    return 0;
}

/* The pages ---------------------------------------------------------------- */

static const char *const months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* "March 2025" for unix seconds, in UTC. */
static struct str month_year(struct arena *a, int64_t t)
{
    struct tm tm;
    struct buf b;

    buf_init(&b, a, 32);
    if (clock_utc(t, &tm))
        return STR_NULL;
    buf_printf(&b, "%s %d", months[tm.tm_mon], tm.tm_year + 1900);
    return buf_str(&b);
}

/* "today", "yesterday" or "3 December 2026" (days in UTC); empty when not known. */
static struct str last_active_day(struct arena *a, int64_t t)
{
    int64_t days = t / 86400, today = clock_unix() / 86400;
    struct tm tm;
    struct buf b;

    if (!t || clock_utc(t, &tm))
        return STR_NULL;
    if (days == today)
        return STR_LIT("today");
    if (days == today - 1)
        return STR_LIT("yesterday");
    buf_init(&b, a, 32);
    buf_printf(&b, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
    return buf_str(&b);
}

/* The first character of a name, capitalised when it is an ASCII letter. */
static struct str initial_of(struct arena *a, struct str name)
{
    size_t n = 1;
    char *out;

    name = str_trim(name);
    if (!name.len)
        return STR_LIT("?");
    while (n < name.len && n < 4 && ((unsigned char)name.ptr[n] & 0xC0) == 0x80)
        n++;
    out = arena_strndup(a, name.ptr, n);
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    return str_make(out, n);
}

/* A zone name for reading: "America/New_York" shows as "America/New York". */
static struct str zone_for_reading(struct arena *a, struct str tz)
{
    char *out = arena_strndup(a, tz.ptr, tz.len);

    for (size_t i = 0; i < tz.len; i++)
        if (out[i] == '_')
            out[i] = ' ';
    return str_make(out, tz.len);
}

static int profile_page(struct req *r, struct resp *w)
{
    struct profile p;
    struct view_profile vm = {0};
    struct buf body, desc;
    int rc = profile_by_handle(r, req_param(r, "handle"), &p);

    if (rc)
        return rc;
    vm.name = p.name;
    vm.handle = p.handle;
    vm.initial = initial_of(&r->arena, p.name);
    vm.timezone = zone_for_reading(&r->arena, p.timezone);
    vm.joined = month_year(&r->arena, p.created_at);
    vm.last_active = last_active_day(&r->arena, p.last_active_at);
    /*
     * The page renders the bio again rather than trusting the stored
     * bio_html: only markdown_render() makes struct html (view/html.h), so
     * nothing in the database can reach the page unsanitized. A bio is at
     * most 2000 characters; this is cheap.
     */
    rc = markdown_render(&r->arena, p.bio, BIO_SRC_BYTES, &vm.bio_html);
    if (rc)
        return rc;
    vm.help = p.interests[INTEREST_HELP].items;
    vm.nhelp = p.interests[INTEREST_HELP].n;
    vm.learn = p.interests[INTEREST_LEARN].items;
    vm.nlearn = p.interests[INTEREST_LEARN].n;
    vm.interest = p.interests[INTEREST_INTEREST].items;
    vm.ninterest = p.interests[INTEREST_INTEREST].n;
    vm.has_interests = vm.nhelp || vm.nlearn || vm.ninterest;
    vm.is_self = r->actor && r->actor->id == p.id;
    /* The spaces feature fills vm.spaces with the spaces the viewer may see. */
    rc = space_pages_of_person(r, p.id, &vm.spaces);
    if (rc)
        return rc;
    resp_body_init(r, &body);
    view_profile(&body, &vm);
    buf_init(&desc, &r->arena, 256);
    buf_put_str(&desc, p.name);
    BUF_LIT(&desc, " (@");
    buf_put_str(&desc, p.handle);
    BUF_LIT(&desc, "): what they can help with, want to learn and are interested in.");
    return resp_page(r, w, p.name, buf_str(&desc), &body);
}

/* Labels one per line, for a textarea. */
static struct str lines_of(struct arena *a, const struct label_list *l)
{
    struct buf b;

    buf_init(&b, a, LIMIT_TEXT_DEFAULT);
    for (size_t i = 0; i < l->n; i++) {
        buf_put_str(&b, l->items[i]);
        buf_putc(&b, '\n');
    }
    return buf_str(&b);
}

/* Where each field's error links to, and what the summary calls it. */
static const struct {
    const char *field;
    const char *href; /* made a struct url by url_build() */
    const char *label;
} form_labels[] = {
    {"name", "#name", "Name"},
    {"bio", "#bio", "About you"},
    {"timezone", "#timezone", "Time zone"},
    {"interests.help", "#help", "The list \xe2\x80\x9cI can help with\xe2\x80\x9d"},
    {"interests.learn", "#learn", "The list \xe2\x80\x9cI want to learn\xe2\x80\x9d"},
    {"interests.interest", "#interest",
     "The list \xe2\x80\x9cI\xe2\x80\x99m interested in\xe2\x80\x9d"},
};

/* The edit form: with what is stored (vm prefilled) or what was typed. */
static int edit_form(struct req *r, struct resp *w, struct view_profile_edit *vm, struct str handle,
                     int status)
{
    struct view_profile_error *errs = arena_calloc(&r->arena, r->nerrs + 1, sizeof(*errs));
    struct buf body, path;
    int rc;

    buf_init(&path, &r->arena, 64);
    BUF_LIT(&path, "/people/");
    buf_put_str(&path, handle);
    if (url_build(&r->arena, buf_str(&path), &vm->profile_url))
        vm->profile_url = URL_LIT("/");
    vm->csrf = csrf_token(r);
    vm->handle = handle;
    for (size_t i = 0; i < r->nerrs; i++) {
        for (size_t j = 0; j < ARRAY_LEN(form_labels); j++) {
            if (!r->errs[i].field || strcmp(r->errs[i].field, form_labels[j].field) != 0 ||
                url_build(&r->arena, str_c(form_labels[j].href), &errs[vm->nerrors].href))
                continue;
            errs[vm->nerrors].label = str_c(form_labels[j].label);
            errs[vm->nerrors].message = str_c(r->errs[i].msg);
            vm->nerrors++;
        }
    }
    vm->errors = errs;
    vm->name_error = field_error(r, "name");
    vm->bio_error = field_error(r, "bio");
    vm->timezone_error = field_error(r, "timezone");
    vm->help_error = field_error(r, "interests.help");
    vm->learn_error = field_error(r, "interests.learn");
    vm->interest_error = field_error(r, "interests.interest");
    if (status != 200 && !vm->nerrors)
        vm->form_error = str_c(r->err_msg);
    resp_body_init(r, &body);
    view_profile_edit(&body, vm);
    rc = resp_page(r, w, STR_LIT("Edit your profile"), STR_NULL, &body);
    w->status = status;
    return rc;
}

static int settings_form(struct req *r, struct resp *w)
{
    struct view_profile_edit vm = {0};
    struct profile p;
    int rc = profile_by_handle(r, r->actor->handle, &p);

    if (rc)
        return rc;
    vm.name = p.name;
    vm.bio = p.bio;
    vm.timezone = p.timezone;
    vm.help = lines_of(&r->arena, &p.interests[INTEREST_HELP]);
    vm.learn = lines_of(&r->arena, &p.interests[INTEREST_LEARN]);
    vm.interest = lines_of(&r->arena, &p.interests[INTEREST_INTEREST]);
    return edit_form(r, w, &vm, p.handle, 200);
}

static int settings_save(struct req *r, struct resp *w)
{
    struct view_profile_edit vm = {0};
    struct profile_change *c = arena_calloc(&r->arena, 1, sizeof(*c));
    struct profile p;
    int rc = profile_by_handle(r, r->actor->handle, &p), bad;

    if (rc)
        return rc;
    bad = r->invalid;
    rc = check_fields(r, req_in(r, PF_NAME), req_in(r, PF_BIO), req_in(r, PF_TIMEZONE), c);
    if (rc && rc != E_INVAL)
        return rc;
    if (rc)
        bad = rc;
    if (interests_from_form(r, c))
        bad = E_INVAL;
    if (!bad) {
        struct buf to;

        rc = changes_anything(c) ? profile_save(r, r->actor->id, p.id, c) : 0;
        if (rc)
            return rc;
        buf_init(&to, &r->arena, 64);
        BUF_LIT(&to, "/people/");
        buf_put_str(&to, p.handle); /* handles are a-z 0-9 _ -: safe in a URL */
        w->status = 303;
        resp_header(w, "Location", to.ptr);
        return 0;
    }
    if (bad != E_INVAL)
        return bad;
    vm.name = req_in(r, PF_NAME)->present ? req_in(r, PF_NAME)->text : p.name;
    vm.bio = req_in(r, PF_BIO)->present ? req_in(r, PF_BIO)->text : p.bio;
    vm.timezone = req_in(r, PF_TIMEZONE)->present ? req_in(r, PF_TIMEZONE)->text : p.timezone;
    vm.help = req_in(r, PF_HELP)->text;
    vm.learn = req_in(r, PF_LEARN)->text;
    vm.interest = req_in(r, PF_INTEREST)->text;
    return edit_form(r, w, &vm, p.handle, 400);
}

static const struct route routes[] = {
    {HTTP_GET, "/people/{handle}", profile_page, NULL, 0, 0},
    {HTTP_GET, "/settings/profile", settings_form, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/settings/profile", settings_save, form_fields, PF__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_GET, "/api/v1/users/{handle}", user_api, NULL, 0, 0},
    {HTTP_PATCH, "/api/v1/users/{handle}", user_patch_api, patch_fields, PA__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
};

const struct feature feature_profiles = {
    .name = "profiles",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};

void profile_ref_json(struct json *j, const char *key, struct str handle, struct str name)
{
    json_key(j, key);
    if (!handle.len) {
        json_null(j);
        return;
    }
    json_obj_open(j);
    json_key(j, "handle");
    json_str(j, handle);
    json_key(j, "name");
    json_str(j, name);
    json_obj_close(j);
}
