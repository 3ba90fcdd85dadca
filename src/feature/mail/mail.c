/*
 * The mail feature: mail_queue(), the mail.send job, the mail settings (a
 * page and the API) and the one-click unsubscribe link.
 */
#include "feature/mail/mail.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/utf8.h"
#include "db/db.h"
#include "feature/instance/instance.h"
#include "feature/jobs/jobs.h"
#include "feature/mail/mail_int.h"
#include "feature/mail/mime.h"
#include "feature/mail/views.h"
#include "http/server.h"
#include "http/session.h"

#define SEND_KIND     "mail.send"
#define SEND_ATTEMPTS 10 /* with the jobs' backoff, about eight and a half hours of trying */

/* Addresses ---------------------------------------------------------------- */

/* Keep only what a host name holds, so it is safe in a Message-ID and an address. */
static struct str host_clean(struct arena *a, const char *p, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        char c = p[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-')
            out[k++] = c;
    }
    out[k] = '\0';
    return str_make(out, k);
}

struct str mail_host(struct app *app, struct arena *a)
{
    const char *u = app->cfg->public_url, *host, *end;
    char name[256];
    struct str h;

    if (*u) {
        host = strstr(u, "://");
        host = host ? host + 3 : u;
        if (strchr(host, '@') && strchr(host, '@') < host + strcspn(host, "/"))
            host = strchr(host, '@') + 1;
        end = host + strcspn(host, ":/?#");
        h = host_clean(a, host, (size_t)(end - host));
        if (h.len)
            return h;
    }
    if (gethostname(name, sizeof(name)) == 0) {
        name[sizeof(name) - 1] = '\0';
        h = host_clean(a, name, strlen(name));
        if (h.len)
            return h;
    }
    return STR_LIT("localhost");
}

struct str mail_from_addr(struct app *app, struct arena *a)
{
    struct buf b;

    if (*app->cfg->mail_from)
        return str_c(app->cfg->mail_from);
    buf_init(&b, a, 300);
    BUF_LIT(&b, "praxis@");
    buf_put_str(&b, mail_host(app, a));
    return buf_str(&b);
}

struct str mail_base_url(struct app *app, struct arena *a)
{
    const char *u = app->cfg->public_url, *h = app->cfg->listen_host;
    struct buf b;
    size_t n = strlen(u);

    buf_init(&b, a, 4096);
    if (n) {
        while (n && u[n - 1] == '/')
            n--;
        buf_append(&b, u, n);
        return buf_str(&b);
    }
    buf_printf(&b, strchr(h, ':') ? "http://[%s]:%u" : "http://%s:%u", h,
               app->server ? server_port(app->server) : app->cfg->listen_port);
    return buf_str(&b);
}

/* A link under the base URL; an empty view when it cannot be made. */
static struct url link_to(struct arena *a, struct str base, const char *path, const char *tail)
{
    struct buf b;
    struct url u;

    buf_init(&b, a, 4096);
    buf_put_str(&b, base);
    buf_puts(&b, path);
    if (tail)
        buf_puts(&b, tail);
    if (b.toobig || url_build(a, buf_str(&b), &u))
        return (struct url){"", 0};
    return u;
}

/* Queueing ------------------------------------------------------------------ */

/*
 * A display name fit for a header: control characters (a newline typed
 * into a profile, say) become spaces rather than fail the mail, since the
 * name only decorates the address. Anything else unusable drops the name.
 */
static struct str display_name(struct arena *a, struct str name)
{
    char *out;

    if (!utf8_valid(name.ptr, name.len))
        return STR_NULL;
    out = arena_alloc(a, name.len + 1);
    for (size_t i = 0; i < name.len; i++) {
        out[i] = name.ptr[i];
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = ' ';
    }
    out[name.len] = '\0';
    if (utf8_has_control(out, name.len))
        return STR_NULL;
    return str_trim(str_make(out, name.len));
}

/* The layout around the caller's content: both parts, and the why and unsubscribe lines. */
static int wrap(struct app *app, struct arena *a, const struct mail *m, struct str instance,
                struct str unsubscribe_token, struct str *text, struct str *html)
{
    struct view_mail_layout vm = {0};
    struct str base = mail_base_url(app, a);
    struct buf why, tb, hb;

    buf_init(&why, a, 1024);
    buf_puts(&why, mail_category_info(m->category)->why[0]);
    buf_put_str(&why, instance);
    buf_puts(&why, mail_category_info(m->category)->why[1]);
    vm.instance_name = instance;
    vm.subject = m->subject;
    vm.body_text = m->text;
    /* The layout puts its own blank line between the content and the footer. */
    while (vm.body_text.len && (vm.body_text.ptr[vm.body_text.len - 1] == '\n' ||
                                vm.body_text.ptr[vm.body_text.len - 1] == '\r'))
        vm.body_text.len--;
    vm.body_html = m->html;
    vm.why = buf_str(&why);
    vm.category = str_c(mail_category_info(m->category)->words);
    vm.settings = link_to(a, base, "/settings/mail", NULL);
    vm.home = link_to(a, base, "/", NULL);
    if (unsubscribe_token.len)
        vm.unsubscribe = link_to(a, base, "/unsubscribe/", unsubscribe_token.ptr);
    buf_init(&tb, a, LIMIT_MAIL);
    buf_init(&hb, a, LIMIT_MAIL);
    if (text_mail_layout(&tb, &vm))
        return E_TOOBIG;
    *text = buf_str(&tb);
    *html = STR_NULL;
    if (m->html.len) {
        if (view_mail_layout(&hb, &vm))
            return E_TOOBIG;
        *html = buf_str(&hb);
    }
    return 0;
}

int mail_queue(struct app *app, struct db *db, const struct mail *m, int64_t now,
               int64_t *outbox_id)
{
    struct instance_settings is;
    struct mime_message mm = {0};
    struct mime_attachment *att = NULL;
    unsigned char key[MAIL_KEY_BYTES];
    char token[MAIL_TOKEN_MAX] = "", rnd[33], payload[64], job_key[48];
    struct str host, unsubscribe = STR_NULL;
    struct outbox_new o;
    struct arena a;
    struct buf msg, id;
    int64_t row = 0;
    bool bulk = m->category != MAIL_ACCOUNT, wants = true;
    int rc;

    if (outbox_id)
        *outbox_id = 0;
    if ((int)m->category < 0 || m->category >= MAIL_CATEGORY__MAX || (bulk && m->user_id <= 0))
        return E_INVAL;
    if (bulk) {
        rc = mail_recipient_wants(db, m->user_id, m->category, &wants);
        if (rc || !wants)
            return rc;
        rc = mail_secret(db, true, key);
        if (rc)
            return rc;
        mail_token_make(key, m->user_id, m->category, token);
        sodium_memzero(key, sizeof(key));
    }
    arena_init(&a);
    rc = instance_settings_get(db, &a, &is);
    if (rc)
        goto out;
    host = mail_host(app, &a);
    if (token[0]) {
        struct url u = link_to(&a, mail_base_url(app, &a), "/unsubscribe/", token);

        unsubscribe = str_make(u.ptr, u.len);
    }
    rc = wrap(app, &a, m, is.name, str_c(token), &mm.text, &mm.html);
    if (rc)
        goto out;
    rand_hex(rnd, 16);
    buf_init(&id, &a, 400);
    buf_puts(&id, rnd);
    buf_putc(&id, '@');
    buf_put_str(&id, host);
    att = arena_calloc(&a, m->natt ? m->natt : 1, sizeof(*att));
    for (size_t i = 0; i < m->natt; i++) {
        att[i].filename = str_c(m->att[i].filename);
        att[i].content_type = str_c(m->att[i].content_type);
        att[i].data = m->att[i].data;
    }
    mm.from.name = display_name(&a, is.name);
    mm.from.addr = mail_from_addr(app, &a);
    mm.to.name = display_name(&a, m->to_name);
    mm.to.addr = m->to_addr;
    mm.subject = m->subject;
    mm.message_id = buf_str(&id);
    mm.date = now;
    mm.att = att;
    mm.natt = m->natt;
    mm.unsubscribe = unsubscribe;
    rand_hex(rnd, 12);
    mm.boundary = str_c(rnd);
    buf_init(&msg, &a, LIMIT_MAIL);
    rc = mime_compose(&msg, &mm);
    if (rc)
        goto out;
    o = (struct outbox_new){m->user_id,    m->to_addr,  m->subject, mm.message_id,
                            buf_str(&msg), m->category, now};
    rc = mail_outbox_add(db, &o, &row);
    if (rc)
        goto out;
    snprintf(payload, sizeof(payload), "{\"outbox\":%lld}", (long long)row);
    snprintf(job_key, sizeof(job_key), "outbox:%lld", (long long)row);
    rc = job_enqueue(db, SEND_KIND, job_key, str_c(payload), now);
    if (!rc && outbox_id)
        *outbox_id = row;
out:
    arena_release(&a);
    return rc;
}

/* Sending: the mail.send job ---------------------------------------------- */

static int send_run(struct job *j)
{
    struct outbox_row row;
    enum send_result res;
    char name[64], err[256] = "";
    int64_t id;
    int rc;

    if (mail_payload_outbox(j->payload, &id)) {
        snprintf(j->err, sizeof(j->err), "payload names no outbox row");
        return JOB_FAIL;
    }
    rc = mail_outbox_get(j->db, j->arena, id, &row);
    if (rc == E_NOTFOUND)
        return JOB_DONE;
    if (rc) {
        snprintf(j->err, sizeof(j->err), "cannot read outbox row %lld: %s", (long long)id,
                 err_str(rc));
        return rc;
    }
    /* At least once: a job run again after its runner died finds its message sent. */
    if (row.state != OUTBOX_QUEUED)
        return JOB_DONE;
    if (j->app->cfg->mail_transport == MAIL_TRANSPORT_SMTP) {
        struct str from = mail_from_addr(j->app, j->arena);

        res = mail_send_smtp(j->app->cfg, from.ptr, row.to_addr.ptr, row.message, err, sizeof(err));
    } else {
        snprintf(name, sizeof(name), "%lld-%lld.eml", (long long)row.created_at, (long long)id);
        res = mail_send_file(j->app->cfg, name, row.message, err, sizeof(err));
    }
    if (res == SEND_OK) {
        rc = mail_outbox_sent(j->db, id, j->now);
        /* Sent but not recorded: running the job again would send it twice. */
        if (rc)
            log_error("mail %lld was sent but its outbox row not updated: %s", (long long)id,
                      db_errmsg(j->db));
        return JOB_DONE;
    }
    snprintf(j->err, sizeof(j->err), "%s", err);
    if (res == SEND_RETRY && j->attempt < SEND_ATTEMPTS) {
        rc = mail_outbox_retry(j->db, id, err);
        return rc ? rc : JOB_RETRY;
    }
    log_warn("mail %lld to %s failed: %s", (long long)id, row.to_addr.ptr, err);
    rc = mail_outbox_failed(j->db, id, err);
    return rc ? rc : JOB_FAIL;
}

static const struct job_kind job_kinds[] = {
    {.name = SEND_KIND, .run = send_run, .max_attempts = SEND_ATTEMPTS},
};

/* Settings --------------------------------------------------------------- */

/* The fields of a settings change, one per bulk category, in category order. */
enum { MP_REMINDERS, MP_FOLLOWUPS, MP_NOTICES, MP__MAX };

static_assert(MP__MAX == MAIL_CATEGORY__MAX - 1, "one field per bulk category");

static const struct field prefs_fields[MP__MAX] = {
    [MP_REMINDERS] = {"reminders", FIELD_BOOL, false, 0, 0, 0},
    [MP_FOLLOWUPS] = {"followups", FIELD_BOOL, false, 0, 0, 0},
    [MP_NOTICES] = {"notices", FIELD_BOOL, false, 0, 0, 0},
};

static int prefs_answer(struct req *r, struct resp *w, struct db *db)
{
    struct mail_address addr;
    bool on[MAIL_CATEGORY__MAX];
    struct json j;
    int rc = mail_user_address(db, &r->arena, r->actor->id, &addr);

    if (!rc)
        rc = mail_prefs_get(db, r->actor->id, on);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "mail");
    json_obj_open(&j);
    json_key(&j, "email");
    json_str(&j, addr.email);
    json_key(&j, "email_confirmed");
    json_bool(&j, addr.confirmed);
    for (int c = 0; c < MAIL_CATEGORY__MAX; c++) {
        json_key(&j, mail_category_info((enum mail_category)c)->name);
        json_bool(&j, on[c]);
    }
    json_obj_close(&j);
    json_obj_close(&j);
    return 0;
}

static int prefs_show(struct req *r, struct resp *w)
{
    struct db *db = req_db(r);

    return db ? prefs_answer(r, w, db) : E_UNAVAIL;
}

/* The names a change may hold; any other is refused rather than ignored, so a typo shows. */
static const char *const prefs_names[] = {"reminders", "followups", "notices", CSRF_FIELD, NULL};

static int unknown_field(struct req *r, const char *name)
{
    if (strcmp(name, mail_category_info(MAIL_ACCOUNT)->name) == 0)
        return req_fail(r, E_INVAL, name, "is always sent and cannot be turned off");
    return req_fail(r, E_INVAL, name, "is not a mail category: reminders, followups or notices");
}

static int prefs_edit(struct req *r, struct resp *w)
{
    bool set[MAIL_CATEGORY__MAX] = {false}, on[MAIL_CATEGORY__MAX] = {false};
    struct db *db = req_db(r);
    const char *unknown = mail_unknown_name(r, prefs_names);
    int rc;

    if (!db)
        return E_UNAVAIL;
    if (unknown)
        return unknown_field(r, unknown);
    for (int i = 0; i < MP__MAX; i++) {
        set[i + 1] = req_in(r, (size_t)i)->present;
        on[i + 1] = req_in(r, (size_t)i)->flag;
    }
    rc = mail_prefs_set(db, r->actor->id, r->actor->id, set, on, clock_unix());
    return rc ? rc : prefs_answer(r, w, db);
}

static int settings_page(struct req *r, struct resp *w)
{
    struct view_mail_category vc[MP__MAX];
    struct view_mail_settings vm = {0};
    struct mail_address addr;
    bool on[MAIL_CATEGORY__MAX];
    struct db *db = req_db(r);
    struct buf body;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = mail_user_address(db, &r->arena, r->actor->id, &addr);
    if (!rc)
        rc = mail_prefs_get(db, r->actor->id, on);
    if (rc)
        return rc;
    for (int i = 0; i < MP__MAX; i++) {
        vc[i].name = str_c(mail_category_info((enum mail_category)(i + 1))->name);
        vc[i].label = str_c(mail_category_info((enum mail_category)(i + 1))->label);
        vc[i].hint = str_c(mail_category_info((enum mail_category)(i + 1))->hint);
        vc[i].on = on[i + 1];
    }
    vm.csrf = csrf_token(r);
    vm.email = addr.email;
    vm.confirmed = addr.confirmed;
    vm.categories = vc;
    vm.ncategories = MP__MAX;
    if (kv_get(&r->query, STR_LIT("saved")))
        vm.notice = STR_LIT("Your mail settings are saved.");
    else if (kv_get(&r->query, STR_LIT("sent")))
        vm.notice = STR_LIT("We sent the link again. It works for 48 hours.");
    resp_body_init(r, &body);
    view_mail_settings(&body, &vm);
    return resp_page(r, w, STR_LIT("Mail settings"), STR_NULL, &body);
}

/* The form: a box left unticked is not sent at all, so absent means off. */
static int settings_save(struct req *r, struct resp *w)
{
    bool set[MAIL_CATEGORY__MAX], on[MAIL_CATEGORY__MAX] = {false};
    struct db *db = req_db(r);
    int rc;

    if (!db)
        return E_UNAVAIL;
    for (int i = 0; i < MP__MAX; i++) {
        set[i + 1] = true;
        on[i + 1] = req_in(r, (size_t)i)->present && req_in(r, (size_t)i)->flag;
    }
    set[MAIL_ACCOUNT] = false;
    rc = mail_prefs_set(db, r->actor->id, r->actor->id, set, on, clock_unix());
    if (rc)
        return rc;
    w->status = 303;
    resp_header(w, "Location", "/settings/mail?saved=1");
    return 0;
}

/* Unsubscribe -------------------------------------------------------------- */

/* The person and category of the link's token; 404 for a token the instance did not make. */
static int unsubscribe_token(struct req *r, struct db *db, int64_t *user_id, enum mail_category *c)
{
    unsigned char key[MAIL_KEY_BYTES];
    struct mail_address addr;
    int rc = mail_secret(db, false, key);

    if (!rc)
        rc = mail_token_check(key, req_param(r, "token"), user_id, c);
    sodium_memzero(key, sizeof(key));
    if (!rc)
        rc = mail_user_address(db, &r->arena, *user_id, &addr);
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "this unsubscribe link is unknown");
    return rc;
}

static int unsubscribe_answer(struct req *r, struct resp *w, enum mail_category c, bool done)
{
    struct view_unsubscribe vm = {0};
    struct buf body, action;

    buf_init(&action, &r->arena, 256);
    BUF_LIT(&action, "/unsubscribe/");
    buf_put_str(&action, req_param(r, "token"));
    if (action.toobig || url_build(&r->arena, buf_str(&action), &vm.action))
        return E_NOTFOUND;
    vm.category = str_c(mail_category_info(c)->words);
    vm.instance_name = str_c(r->app->name);
    vm.done = done;
    resp_body_init(r, &body);
    view_unsubscribe(&body, &vm);
    return resp_page(r, w, STR_LIT("Unsubscribe"), STR_NULL, &body);
}

static int unsubscribe_page(struct req *r, struct resp *w)
{
    struct db *db = req_db(r);
    enum mail_category c = MAIL_REMINDERS;
    int64_t user_id = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = unsubscribe_token(r, db, &user_id, &c);
    return rc ? rc : unsubscribe_answer(r, w, c, false);
}

enum { UN_ONE_CLICK, UN__MAX };

static const struct field unsubscribe_fields[UN__MAX] = {
    [UN_ONE_CLICK] = {"List-Unsubscribe", FIELD_TEXT, false, 20, 0, 0},
};

/*
 * RFC 8058's one-click POST, from a mail reader or the page's button: no
 * session and no CSRF token, since the link itself is the authority.
 */
static int unsubscribe_post(struct req *r, struct resp *w)
{
    const struct value *one = req_in(r, UN_ONE_CLICK);
    bool set[MAIL_CATEGORY__MAX] = {false}, on[MAIL_CATEGORY__MAX] = {false};
    struct db *db = req_db(r);
    enum mail_category c = MAIL_REMINDERS;
    int64_t user_id = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = unsubscribe_token(r, db, &user_id, &c);
    if (rc)
        return rc;
    if (one->present && !str_eq_c(str_trim(one->text), "One-Click"))
        return req_fail(r, E_INVAL, "List-Unsubscribe", "must be One-Click");
    set[c] = true;
    rc = mail_prefs_set(db, user_id, user_id, set, on, clock_unix());
    return rc ? rc : unsubscribe_answer(r, w, c, true);
}

/* Test mode ------------------------------------------------------------------ */

enum { TM_HANDLE, TM_ADDRESS, TM_CATEGORY, TM_SUBJECT, TM_TEXT, TM_HTML, TM_ICS, TM__MAX };

static const struct field test_fields[TM__MAX] = {
    [TM_HANDLE] = {"handle", FIELD_TEXT, false, 64, 0, 0},
    [TM_ADDRESS] = {"address", FIELD_TEXT, false, 254, 0, 0},
    [TM_CATEGORY] = {"category", FIELD_TEXT, true, 20, 0, 0},
    [TM_SUBJECT] = {"subject", FIELD_TEXT, true, 400, 0, 0},
    [TM_TEXT] = {"text", FIELD_TEXT, true, 0, 0, 0},
    [TM_HTML] = {"html", FIELD_TEXT, false, 0, 0, 0},
    [TM_ICS] = {"ics", FIELD_TEXT, false, 0, 0, 0},
};

/*
 * Queue a mail the way a feature would, for tests of mail itself and of
 * what reads it: to a person (handle) or an address with no account, in any
 * category, the HTML part being the html text escaped, with an optional
 * .ics attachment. {"outbox": id}, 0 when it was skipped.
 */
static int test_queue(struct req *r, struct resp *w)
{
    struct db *db = req_db(r);
    int c = mail_category_of(req_in(r, TM_CATEGORY)->text);
    struct mail_attachment ics = {"event.ics", "text/calendar; method=REQUEST; charset=UTF-8",
                                  req_in(r, TM_ICS)->text};
    struct mail_address addr = {0};
    struct mail m = {0};
    struct json j;
    int64_t id = 0;
    int rc;

    if (!db)
        return E_UNAVAIL;
    if (c < 0)
        return req_fail(r, E_INVAL, "category", "must be account, reminders, followups or notices");
    if (req_in(r, TM_HANDLE)->present) {
        rc = mail_user_by_handle(db, &r->arena, req_in(r, TM_HANDLE)->text, &m.user_id, &addr);
        if (rc == E_NOTFOUND)
            return req_fail(r, E_INVAL, "handle", "is nobody's");
        if (rc)
            return rc;
    } else if (req_in(r, TM_ADDRESS)->present) {
        addr.email = req_in(r, TM_ADDRESS)->text;
    } else {
        return req_fail(r, E_INVAL, "handle", "or address is required");
    }
    m.to_addr = addr.email;
    m.to_name = addr.name;
    m.category = (enum mail_category)c;
    m.subject = req_in(r, TM_SUBJECT)->text;
    m.text = req_in(r, TM_TEXT)->text;
    if (req_in(r, TM_HTML)->present)
        m.html = html_escape(&r->arena, req_in(r, TM_HTML)->text);
    if (req_in(r, TM_ICS)->present) {
        m.att = &ics;
        m.natt = 1;
    }
    rc = db_tx_begin(db);
    if (rc)
        return rc;
    rc = mail_queue(r->app, db, &m, clock_unix(), &id);
    rc = db_tx_end(db, rc);
    if (rc)
        return rc;
    jobs_kick(r->app);
    resp_json(w);
    w->status = 201;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "outbox");
    json_i64(&j, id);
    json_obj_close(&j);
    return 0;
}

/* The feature ------------------------------------------------------------- */

static int mail_init(struct app *a)
{
    if (!*a->cfg->public_url)
        log_info("mail: public-url is not set, so links in mail lead to the listen address");
    return mail_transport_init();
}

static void mail_fini(struct app *a)
{
    (void)a;
    mail_transport_fini();
}

static const struct route routes[] = {
    {HTTP_GET, "/api/v1/me/mail", prefs_show, NULL, 0, ROUTE_AUTH},
    {HTTP_PATCH, "/api/v1/me/mail", prefs_edit, prefs_fields, MP__MAX, ROUTE_AUTH},
    {HTTP_GET, "/settings/mail", settings_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/settings/mail", settings_save, prefs_fields, MP__MAX, ROUTE_AUTH},
    {HTTP_GET, "/unsubscribe/{token}", unsubscribe_page, NULL, 0, 0},
    {HTTP_POST, "/unsubscribe/{token}", unsubscribe_post, unsubscribe_fields, UN__MAX,
     ROUTE_NO_SESSION},
    {HTTP_POST, "/api/v1/_test/mail", test_queue, test_fields, TM__MAX, ROUTE_TEST_ONLY},
};

const struct feature feature_mail = {
    .name = "mail",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .jobs = job_kinds,
    .njobs = ARRAY_LEN(job_kinds),
    .init = mail_init,
    .fini = mail_fini,
};
