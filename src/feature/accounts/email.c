/*
 * Account mail: the confirmation link sent at sign-up (and again on
 * request), and the password reset link, with their pages and API.
 */
#include "feature/accounts/email.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "feature/accounts/rules.h"
#include "feature/accounts/views.h"
#include "feature/instance/instance.h"
#include "feature/jobs/jobs.h"
#include "feature/mail/mail.h"
#include "http/ratelimit.h"
#include "http/session.h"

#define CONFIRM_TTL    ((int64_t)48 * 3600) /* seconds a confirmation link works */
#define RESET_TTL      ((int64_t)3600)      /* seconds a reset link works */
#define LINK_TOKEN_LEN 43                   /* base64url of 32 random bytes */

/* Asking again for a confirmation link, per person; reset links per address and per client. */
static const struct rate_rule resend_rule = {"confirm-resend:user", 3600, 5};
static const struct rate_rule forgot_email_rule = {"reset:email", 3600, 3};
static const struct rate_rule forgot_addr_rule = {"reset:addr", 3600, 30};

/* Links ------------------------------------------------------------------- */

static struct str link_token(struct arena *a)
{
    unsigned char raw[32];
    char *text = arena_alloc(a, LINK_TOKEN_LEN + 1);

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, LINK_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return str_make(text, LINK_TOKEN_LEN);
}

/* A token must look like one before it costs a database lookup. */
static bool plausible(struct str t)
{
    if (t.len != LINK_TOKEN_LEN)
        return false;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

struct link_mail {
    int64_t user_id;
    struct str name, handle, email;
    enum email_purpose purpose;
};

/* Inside a transaction: a new token for the person, and the mail that carries it. */
static int link_queue(struct req *r, struct db *db, void *arg)
{
    const struct link_mail *lm = arg;
    bool confirm = lm->purpose == EMAIL_CONFIRM;
    struct str token = link_token(&r->arena);
    struct instance_settings is;
    struct buf link, subject, text, html;
    struct mail m = {0};
    int64_t now = clock_unix();
    char hash[65];
    struct url u;
    int rc;

    session_hash(token, hash);
    rc = email_token_add(db, lm->user_id, lm->purpose, hash, lm->email, now,
                         now + (confirm ? CONFIRM_TTL : RESET_TTL));
    if (!rc)
        rc = instance_settings_get(db, &r->arena, &is);
    if (rc)
        return rc;
    buf_init(&link, &r->arena, 4096);
    buf_put_str(&link, mail_base_url(r->app, &r->arena));
    buf_puts(&link, confirm ? "/confirm-email/" : "/reset-password/");
    buf_put_str(&link, token);
    if (link.toobig || url_build(&r->arena, buf_str(&link), &u))
        return E_INVAL;
    buf_init(&subject, &r->arena, 512);
    buf_init(&text, &r->arena, LIMIT_TEXT_DEFAULT);
    buf_init(&html, &r->arena, LIMIT_TEXT_DEFAULT);
    if (confirm) {
        struct view_confirm_mail vm = {lm->name, is.name, u};

        BUF_LIT(&subject, "Confirm your address for ");
        text_confirm_mail(&text, &vm);
        view_confirm_mail(&html, &vm);
    } else {
        struct view_reset_mail vm = {lm->name, lm->handle, is.name, u};

        BUF_LIT(&subject, "Choose a new password for ");
        text_reset_mail(&text, &vm);
        view_reset_mail(&html, &vm);
    }
    buf_put_str(&subject, is.name);
    if (subject.toobig || text.toobig || html.toobig)
        return E_TOOBIG;
    m.user_id = lm->user_id;
    m.to_addr = lm->email;
    m.to_name = lm->name;
    m.category = MAIL_ACCOUNT;
    m.subject = buf_str(&subject);
    m.text = buf_str(&text);
    m.html = html_from_buf(&html);
    return mail_queue(r->app, db, &m, now, NULL);
}

int account_mail_signup(struct req *r, struct db *db, int64_t id, const struct new_user *u)
{
    struct link_mail lm = {id, u->name, u->handle, u->email, EMAIL_CONFIRM};

    return link_queue(r, db, &lm);
}

/* The notice above pages ----------------------------------------------------- */

int account_page_notice(struct req *r, struct html *out)
{
    struct view_email_notice vm = {0};
    struct buf b;

    *out = HTML_EMPTY;
    if (!r->actor || r->via != AUTH_COOKIE || r->actor->email_confirmed)
        return 0;
    vm.csrf = csrf_token(r);
    buf_init(&b, &r->arena, 4096);
    if (view_email_notice(&b, &vm))
        return E_TOOBIG;
    *out = html_from_buf(&b);
    return 0;
}

/* Confirming --------------------------------------------------------------- */

/* Confirm with a token from a link: 0, or E_NOTFOUND for one unknown, used or expired. */
static int confirm(struct req *r, struct str token)
{
    char hash[65];
    int64_t user_id;
    int rc;

    if (!plausible(token))
        return E_NOTFOUND;
    session_hash(token, hash);
    rc = email_confirm(r, hash, clock_unix(), &user_id);
    if (!rc && r->actor && r->actor->id == user_id) {
        /* The page that says so no longer asks for it. */
        struct actor *a = arena_alloc(&r->arena, sizeof(*a));

        *a = *r->actor;
        a->email_confirmed = true;
        r->actor = a;
    }
    return rc;
}

static int confirm_page(struct req *r, struct resp *w)
{
    struct view_email_confirmed vm = {0};
    struct buf body;
    int rc = confirm(r, req_param(r, "token"));

    if (rc && rc != E_NOTFOUND)
        return rc;
    vm.ok = rc == 0;
    vm.signed_in = r->actor != NULL;
    resp_body_init(r, &body);
    view_email_confirmed(&body, &vm);
    rc = resp_page(r, w, vm.ok ? STR_LIT("Address confirmed") : STR_LIT("Link not valid"), STR_NULL,
                   &body);
    if (!vm.ok)
        w->status = 404;
    return rc;
}

enum { CF_TOKEN, CF__MAX };

static const struct field confirm_fields[CF__MAX] = {
    [CF_TOKEN] = {"token", FIELD_TEXT, true, 64, 0, 0},
};

static int confirm_api(struct req *r, struct resp *w)
{
    struct json j;
    int rc = confirm(r, str_trim(req_in(r, CF_TOKEN)->text));

    if (rc == E_NOTFOUND)
        return req_fail(r, E_INVAL, "token", "is unknown, used or expired");
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "email_confirmed");
    json_bool(&j, true);
    json_obj_close(&j);
    return 0;
}

/* Send the signed-in person a new confirmation link, if they need one and may have one. */
static int resend(struct req *r, struct resp *w)
{
    struct user u;
    struct link_mail lm;
    char who[24];
    int rc = user_by_id(r, r->actor->id, &u), retry = 0;

    if (rc)
        return rc;
    if (u.email_confirmed)
        return req_fail(r, E_CONFLICT, NULL, "your address is confirmed already");
    snprintf(who, sizeof(who), "%lld", (long long)u.id);
    rc = rate_hit(r, &resend_rule, str_c(who), &retry);
    if (rc < 0)
        return rc;
    if (rc)
        return rate_refuse(r, w, retry, "a link went out a few times already; wait a little");
    lm = (struct link_mail){u.id, u.name, u.handle, u.email, EMAIL_CONFIRM};
    rc = account_tx(r, u.id, "resend_confirmation", u.id, link_queue, &lm);
    if (!rc)
        jobs_kick(r->app);
    return rc;
}

static int resend_page(struct req *r, struct resp *w)
{
    int rc = resend(r, w);

    /* Confirmed meanwhile (in another tab, say): the settings page shows it. */
    if (rc && rc != E_CONFLICT)
        return rc;
    w->status = 303;
    resp_header(w, "Location", rc ? "/settings/mail" : "/settings/mail?sent=1");
    return 0;
}

static int resend_api(struct req *r, struct resp *w)
{
    struct json j;
    int rc = resend(r, w);

    if (rc)
        return rc;
    resp_json(w);
    w->status = 202;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "message");
    json_str_c(&j, "a new confirmation link is on its way");
    json_obj_close(&j);
    return 0;
}

/* A forgotten password ----------------------------------------------------- */

enum { FG_EMAIL, FG__MAX };

static const struct field forgot_fields[FG__MAX] = {
    [FG_EMAIL] = {"email", FIELD_TEXT, true, EMAIL_MAX, 0, 0},
};

/*
 * Mail a reset link when an account has the address. The answer is the
 * same either way; the counts are of the address typed and the client, so
 * they say nothing of accounts either.
 */
static int forgot(struct req *r, struct resp *w)
{
    struct str email = str_trim(req_in(r, FG_EMAIL)->text);
    struct account_ref who;
    struct link_mail lm;
    const char *msg;
    int rc = r->invalid, retry = 0;

    if (rc)
        return rc;
    msg = rule_email(email);
    if (msg)
        return req_fail(r, E_INVAL, "email", msg);
    email = email_normal(&r->arena, email);
    rc = rate_hit(r, &forgot_addr_rule, req_client_addr(r), &retry);
    if (!rc)
        rc = rate_hit(r, &forgot_email_rule, email, &retry);
    if (rc < 0)
        return rc;
    if (rc)
        return rate_refuse(r, w, retry, "too many reset links were asked for; try again later");
    rc = account_by_email(r, email, &who);
    if (rc == E_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    lm = (struct link_mail){who.id, who.name, who.handle, who.email, EMAIL_RESET};
    rc = account_tx(r, 0, "request_reset", who.id, link_queue, &lm);
    if (!rc)
        jobs_kick(r->app);
    return rc;
}

static int forgot_form(struct req *r, struct resp *w)
{
    struct view_forgot vm = {0};
    struct buf body;

    vm.csrf = csrf_token(r);
    resp_body_init(r, &body);
    view_forgot(&body, &vm);
    return resp_page(r, w, STR_LIT("Forgot your password?"), STR_NULL, &body);
}

static int forgot_page(struct req *r, struct resp *w)
{
    struct view_forgot vm = {0};
    struct buf body;
    int rc = forgot(r, w), status;

    status = rc ? (r->status_override ? r->status_override : http_status_of(rc)) : 200;
    if (status != 200 && status != 400 && status != 429)
        return rc;
    vm.sent = rc == 0;
    vm.csrf = csrf_token(r);
    vm.email = req_in(r, FG_EMAIL)->text;
    for (size_t i = 0; i < r->nerrs; i++)
        if (r->errs[i].field && strcmp(r->errs[i].field, "email") == 0)
            vm.email_error = str_c(r->errs[i].msg);
    if (status == 429)
        vm.form_error = str_c(r->err_msg);
    resp_body_init(r, &body);
    view_forgot(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Forgot your password?"), STR_NULL, &body);
    w->status = status;
    r->status_override = 0;
    return rc;
}

static int forgot_api(struct req *r, struct resp *w)
{
    struct json j;
    int rc = forgot(r, w);

    if (rc)
        return rc;
    resp_json(w);
    w->status = 202;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "message");
    json_str_c(&j, "if an account uses that address, a link to choose a new password is on its "
                   "way; it works for an hour");
    json_obj_close(&j);
    return 0;
}

/* A new password ----------------------------------------------------------- */

/*
 * Check the token and the password, then set it: 0 with *user_id, or the
 * error with its field recorded (token_field NULL when the token came in
 * the path, where a bad one is 404).
 */
static int reset(struct req *r, struct str token, struct str password, const char *token_field,
                 int64_t *user_id)
{
    struct email_token t;
    char hash[65], pw[PASSWORD_HASH_MAX];
    const char *msg;
    int rc = E_NOTFOUND;

    if (plausible(token)) {
        session_hash(token, hash);
        rc = email_token_peek(r, hash, EMAIL_RESET, clock_unix(), &t);
    }
    if (rc == E_NOTFOUND)
        return token_field ? req_fail(r, E_INVAL, token_field, "is unknown, used or expired")
                           : req_fail(r, E_NOTFOUND, NULL, "this link is unknown, used or expired");
    if (rc)
        return rc;
    msg = rule_password(password, t.handle, t.email);
    if (msg)
        return req_fail(r, E_INVAL, "password", msg);
    if (password_hash(password, r->app->cfg->password_cost_min, pw))
        return E_IO;
    rc = password_reset(r, hash, pw, clock_unix(), user_id);
    sodium_memzero(pw, sizeof(pw));
    /* Used by another request between the look and the change. */
    if (rc == E_NOTFOUND && token_field)
        return req_fail(r, E_INVAL, token_field, "is unknown, used or expired");
    return rc;
}

enum { RP_PASSWORD, RP__MAX };

static const struct field reset_page_fields[RP__MAX] = {
    [RP_PASSWORD] = {"password", FIELD_TEXT, true, PASSWORD_MAX, 0, 0},
};

static int reset_show(struct req *r, struct resp *w, struct str handle, int status)
{
    struct view_reset vm = {0};
    struct buf body, action;
    int rc;

    buf_init(&action, &r->arena, 256);
    BUF_LIT(&action, "/reset-password/");
    buf_put_str(&action, req_param(r, "token"));
    if (action.toobig || url_build(&r->arena, buf_str(&action), &vm.action))
        return E_NOTFOUND;
    vm.handle = handle;
    vm.csrf = csrf_token(r);
    for (size_t i = 0; i < r->nerrs; i++)
        if (r->errs[i].field && strcmp(r->errs[i].field, "password") == 0)
            vm.password_error = str_c(r->errs[i].msg);
    resp_body_init(r, &body);
    view_reset(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Choose a new password"), STR_NULL, &body);
    w->status = status;
    return rc;
}

static int reset_form(struct req *r, struct resp *w)
{
    struct str token = req_param(r, "token");
    struct email_token t;
    char hash[65];
    int rc = E_NOTFOUND;

    if (plausible(token)) {
        session_hash(token, hash);
        rc = email_token_peek(r, hash, EMAIL_RESET, clock_unix(), &t);
    }
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "this link is unknown, used or expired");
    return rc ? rc : reset_show(r, w, t.handle, 200);
}

/* The new password set, the person is signed in here and nowhere else. */
static int reset_page(struct req *r, struct resp *w)
{
    struct str token = req_param(r, "token");
    struct email_token t;
    int64_t user_id = 0;
    char hash[65];
    int rc = E_NOTFOUND;

    if (plausible(token)) {
        session_hash(token, hash);
        rc = email_token_peek(r, hash, EMAIL_RESET, clock_unix(), &t);
    }
    if (rc == E_NOTFOUND)
        return req_fail(r, E_NOTFOUND, NULL, "this link is unknown, used or expired");
    if (rc)
        return rc;
    if (r->invalid)
        return reset_show(r, w, t.handle, 400);
    rc = reset(r, token, req_in(r, RP_PASSWORD)->text, NULL, &user_id);
    if (rc == E_INVAL)
        return reset_show(r, w, t.handle, 400);
    if (rc)
        return rc;
    /* The old session, if the browser had one, is gone with the others. */
    r->actor = NULL;
    r->via = AUTH_NONE;
    r->session_token = STR_NULL;
    rc = session_start(r, w, user_id);
    if (rc)
        return rc;
    w->status = 303;
    resp_header(w, "Location", "/");
    return 0;
}

enum { RS_TOKEN, RS_PASSWORD, RS__MAX };

static const struct field reset_fields[RS__MAX] = {
    [RS_TOKEN] = {"token", FIELD_TEXT, true, 64, 0, 0},
    [RS_PASSWORD] = {"password", FIELD_TEXT, true, PASSWORD_MAX, 0, 0},
};

static int reset_api(struct req *r, struct resp *w)
{
    int64_t user_id = 0;
    int rc = reset(r, str_trim(req_in(r, RS_TOKEN)->text), req_in(r, RS_PASSWORD)->text, "token",
                   &user_id);

    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

static const struct route routes[] = {
    {HTTP_GET, "/confirm-email/{token}", confirm_page, NULL, 0, 0},
    {HTTP_POST, "/confirm-email/resend", resend_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/api/v1/email/confirm", confirm_api, confirm_fields, CF__MAX, 0},
    {HTTP_POST, "/api/v1/me/email/resend", resend_api, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, "/forgot-password", forgot_form, NULL, 0, 0},
    {HTTP_POST, "/forgot-password", forgot_page, forgot_fields, FG__MAX, ROUTE_OWN_ERRORS},
    {HTTP_POST, "/api/v1/password/forgot", forgot_api, forgot_fields, FG__MAX, 0},
    {HTTP_GET, "/reset-password/{token}", reset_form, NULL, 0, 0},
    {HTTP_POST, "/reset-password/{token}", reset_page, reset_page_fields, RP__MAX,
     ROUTE_OWN_ERRORS},
    {HTTP_POST, "/api/v1/password/reset", reset_api, reset_fields, RS__MAX, 0},
};

const struct feature feature_account_mail = {
    .name = "account_mail",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};
