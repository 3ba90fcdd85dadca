#include "feature/accounts/accounts.h"

#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "core/rand.h"
#include "feature/accounts/email.h"
#include "feature/accounts/model.h"
#include "feature/accounts/rules.h"
#include "feature/accounts/views.h"
#include "feature/instance/instance.h"
#include "feature/jobs/jobs.h"
#include "feature/spaces/model.h"
#include "http/ratelimit.h"
#include "http/session.h"

/* Rate rules; their limits come from settings at start (accounts_init). */
static struct rate_rule signup_rule = {"signup:addr", 3600, 10};
static struct rate_rule fail_account_rule = {"signin-fail:account", 900, 5};
static struct rate_rule fail_addr_rule = {"signin-fail:addr", 900, 20};

/* A hash to verify against when the login names nobody, so both cases take as long. */
static char dummy_hash[PASSWORD_HASH_MAX];
static bool cheap_hashes;

static int accounts_init(struct app *a)
{
    char pw[33];

    cheap_hashes = a->cfg->password_cost_min;
    signup_rule.max = (int)a->cfg->signups_per_hour;
    fail_account_rule.max = (int)a->cfg->signin_failures;
    fail_addr_rule.max = (int)a->cfg->signin_failures_addr;
    rand_hex(pw, 16);
    return password_hash(str_c(pw), cheap_hashes, dummy_hash);
}

/* Inputs ------------------------------------------------------------------ */

enum { SU_HANDLE, SU_NAME, SU_EMAIL, SU_PASSWORD, SU_LABEL, SU_INVITE, SU__MAX };

static const struct field signup_fields[SU__MAX] = {
    [SU_HANDLE] = {"handle", FIELD_TEXT, true, HANDLE_MAX, 0, 0},
    [SU_NAME] = {"name", FIELD_TEXT, true, NAME_MAX_LEN, 0, 0},
    [SU_EMAIL] = {"email", FIELD_TEXT, true, EMAIL_MAX, 0, 0},
    [SU_PASSWORD] = {"password", FIELD_TEXT, true, PASSWORD_MAX, 0, 0},
    [SU_LABEL] = {"label", FIELD_TEXT, false, 60, 0, 0},
    [SU_INVITE] = {"invite", FIELD_TEXT, false, 64, 0, 0},
};

enum { SI_LOGIN, SI_PASSWORD, SI_NEXT, SI_LABEL, SI__MAX };

static const struct field signin_fields[SI__MAX] = {
    [SI_LOGIN] = {"login", FIELD_TEXT, true, EMAIL_MAX, 0, 0},
    [SI_PASSWORD] = {"password", FIELD_TEXT, true, PASSWORD_MAX, 0, 0},
    [SI_NEXT] = {"next", FIELD_TEXT, false, 2000, 0, 0},
    [SI_LABEL] = {"label", FIELD_TEXT, false, 60, 0, 0},
};

/* The message recorded for field, or an empty view. */
static struct str field_error(struct req *r, const char *field)
{
    for (size_t i = 0; i < r->nerrs; i++)
        if (strcmp(r->errs[i].field, field) == 0)
            return str_c(r->errs[i].msg);
    return STR_NULL;
}

/* A local path to go to after signing in; anything else becomes "/". */
static struct str safe_next(struct str next)
{
    if (next.len < 1 || next.ptr[0] != '/' || (next.len > 1 && next.ptr[1] == '/'))
        return STR_LIT("/");
    for (size_t i = 0; i < next.len; i++)
        if ((unsigned char)next.ptr[i] < 0x21 || next.ptr[i] == '\\' || next.ptr[i] == 0x7f)
            return STR_LIT("/");
    return next;
}

static void see_other(struct req *r, struct resp *w, struct str to)
{
    w->status = 303;
    resp_header(w, "Location", str_dup(&r->arena, to));
}

/* Sign-up ----------------------------------------------------------------- */

/*
 * When the instance takes sign-ups by invitation only, an invite to any
 * space is the ticket: *hash gets its hash (also when sign-up is open and
 * one came along, so it is accepted afterwards).
 */
static int signup_door(struct req *r, struct str *hash)
{
    struct str token = str_trim(req_in(r, SU_INVITE)->text);
    struct instance_settings is;
    struct db *db = req_db(r);
    char *h;
    int rc;

    if (!db)
        return E_UNAVAIL;
    rc = instance_settings_get(db, &r->arena, &is);
    if (rc)
        return rc;
    if (token.len) {
        h = arena_alloc(&r->arena, 65);
        session_hash(token, h);
        *hash = str_c(h);
        rc = invite_usable(r, *hash);
        if (rc == E_NOTFOUND)
            return req_fail(r, is.signup_open ? E_INVAL : E_PERM, "invite",
                            "is unknown, expired or used up");
        return rc;
    }
    if (!is.signup_open)
        return req_fail(
            r, E_PERM, "invite",
            "is needed: sign-up here is by invitation; ask a member for an invite link");
    return 0;
}

/* Check, count and create; 0 with *id, or the error with its fields recorded. */
static int signup(struct req *r, struct resp *w, int64_t *id)
{
    struct str handle = req_in(r, SU_HANDLE)->text, email = req_in(r, SU_EMAIL)->text;
    struct str password = req_in(r, SU_PASSWORD)->text;
    struct new_user u;
    char hash[PASSWORD_HASH_MAX];
    const char *msg, *taken;
    struct str invite_hash = STR_NULL, slug;
    int rc = r->invalid, retry = 0;

    if (r->actor)
        return req_fail(r, E_CONFLICT, NULL, "you are signed in already; sign out first");
    if (req_in(r, SU_HANDLE)->present && (msg = rule_handle(handle)))
        rc = req_fail(r, E_INVAL, "handle", msg);
    if (req_in(r, SU_EMAIL)->present && (msg = rule_email(email)))
        rc = req_fail(r, E_INVAL, "email", msg);
    if (req_in(r, SU_PASSWORD)->present && (msg = rule_password(password, handle, email)))
        rc = req_fail(r, E_INVAL, "password", msg);
    if (rc)
        return rc;
    rc = signup_door(r, &invite_hash);
    if (rc)
        return rc;
    rc = rate_hit(r, &signup_rule, req_client_addr(r), &retry);
    if (rc < 0)
        return rc;
    if (rc)
        return rate_refuse(r, w, retry, "too many sign-ups from this address; try again later");
    if (password_hash(password, cheap_hashes, hash))
        return E_IO;
    u.handle = handle;
    u.name = str_trim(req_in(r, SU_NAME)->text);
    u.email = email_normal(&r->arena, email);
    u.password_hash = hash;
    rc = user_create(r, &u, account_mail_signup, id, &taken);
    if (!rc)
        jobs_kick(r->app); /* the confirmation mail */
    if (rc == E_CONFLICT && taken)
        return req_fail(r, E_CONFLICT, taken,
                        strcmp(taken, "handle") == 0 ? "is taken" : "already has an account");
    if (rc == E_CONFLICT)
        return req_fail(r, E_CONFLICT, NULL, "that handle or email was just taken");
    /* Signed up through an invite: accept it too, into its space. */
    if (!rc && invite_hash.len && invite_accept(r, invite_hash, *id, &slug) == 0)
        return 0;
    return rc;
}

static int signup_form(struct req *r, struct resp *w)
{
    struct view_signup vm = {0};
    struct buf body;

    if (r->actor) {
        see_other(r, w, STR_LIT("/"));
        return 0;
    }
    if (kv_get(&r->query, STR_LIT("invite")))
        vm.invite = kv_get(&r->query, STR_LIT("invite"))->value;
    resp_body_init(r, &body);
    view_signup(&body, &vm);
    return resp_page(r, w, STR_LIT("Join"), STR_NULL, &body);
}

static int signup_page(struct req *r, struct resp *w)
{
    struct view_signup vm = {0};
    struct buf body;
    int64_t id = 0;
    int rc = signup(r, w, &id), status;

    if (!rc) {
        rc = session_start(r, w, id);
        if (!rc)
            see_other(r, w, STR_LIT("/"));
        return rc;
    }
    status = r->status_override ? r->status_override : http_status_of(rc);
    if (status != 400 && status != 403 && status != 409)
        return rc; /* 429, 503…: the error page says it */
    vm.handle = req_in(r, SU_HANDLE)->text;
    vm.name = req_in(r, SU_NAME)->text;
    vm.email = req_in(r, SU_EMAIL)->text;
    vm.handle_error = field_error(r, "handle");
    vm.name_error = field_error(r, "name");
    vm.email_error = field_error(r, "email");
    vm.password_error = field_error(r, "password");
    vm.invite = req_in(r, SU_INVITE)->text;
    if (field_error(r, "invite").len) {
        struct buf msg;

        buf_init(&msg, &r->arena, 256);
        BUF_LIT(&msg, "The invite ");
        buf_put_str(&msg, field_error(r, "invite"));
        buf_putc(&msg, '.');
        vm.form_error = buf_str(&msg);
    } else if (!r->nerrs) {
        vm.form_error = str_c(r->err_msg);
    }
    resp_body_init(r, &body);
    view_signup(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Join"), STR_NULL, &body);
    w->status = status;
    return rc;
}

/* The user as JSON; email only for the person themselves. */
static void user_json(struct json *j, const struct user *u, bool self)
{
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, u->id);
    json_key(j, "handle");
    json_str(j, u->handle);
    json_key(j, "name");
    json_str(j, u->name);
    if (self) {
        json_key(j, "email");
        json_str(j, u->email);
        json_key(j, "email_confirmed");
        json_bool(j, u->email_confirmed);
    }
    json_key(j, "bio");
    json_str(j, u->bio);
    json_key(j, "bio_html");
    json_str(j, u->bio_html);
    json_key(j, "timezone");
    json_str(j, u->timezone);
    json_key(j, "is_admin");
    json_bool(j, u->is_admin);
    json_key(j, "created_at");
    json_i64(j, u->created_at);
    json_obj_close(j);
}

/* {"user":{…},"token":"…"} with a new API token for the person. */
static int user_with_token(struct req *r, struct resp *w, int64_t id, struct str label, int status)
{
    struct user u;
    struct str token;
    int64_t token_id;
    struct json j;
    int rc;

    rc = user_by_id(r, id, &u);
    if (!rc)
        rc = session_token_create(r, id, label.len ? label : STR_LIT("API"), &token, &token_id);
    if (!rc)
        rc = account_log(r, id, "token", "api_token", token_id);
    if (rc)
        return rc;
    resp_json(w);
    w->status = status;
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "user");
    user_json(&j, &u, true);
    json_key(&j, "token");
    json_str(&j, token);
    json_key(&j, "token_id");
    json_i64(&j, token_id);
    json_obj_close(&j);
    return 0;
}

static int signup_api(struct req *r, struct resp *w)
{
    int64_t id = 0;
    int rc = signup(r, w, &id);

    if (rc)
        return rc;
    return user_with_token(r, w, id, req_in(r, SU_LABEL)->text, 201);
}

/* Sign-in ----------------------------------------------------------------- */

/*
 * Check the limits, then the password. 0 with *id; 429 when too many
 * failures; 401 when the login or password is wrong (never saying which).
 */
static int signin(struct req *r, struct resp *w, int64_t *id)
{
    struct str login = str_trim(req_in(r, SI_LOGIN)->text);
    struct str password = req_in(r, SI_PASSWORD)->text;
    struct str addr = req_client_addr(r), hash = STR_NULL;
    int rc, retry = 0;

    login = email_normal(&r->arena, login); /* handles and emails are stored lower case */
    rc = rate_check(r, &fail_account_rule, login, &retry);
    if (!rc)
        rc = rate_check(r, &fail_addr_rule, addr, &retry);
    if (rc < 0)
        return rc;
    if (rc)
        return rate_refuse(r, w, retry, "too many failed sign-ins; wait a little and try again");
    rc = user_find_login(r, login, id, &hash);
    if (rc && rc != E_NOTFOUND)
        return rc;
    if (rc == E_NOTFOUND) {
        password_verify(password, dummy_hash);
    } else if (password_verify(password, hash.ptr)) {
        if (password_needs_rehash(hash.ptr, cheap_hashes)) {
            char fresh[PASSWORD_HASH_MAX];

            if (!password_hash(password, cheap_hashes, fresh))
                user_set_hash(r, *id, fresh);
        }
        return rate_clear(r, &fail_account_rule, login);
    }
    rc = rate_hit(r, &fail_account_rule, login, &retry);
    if (rc >= 0)
        rc = rate_hit(r, &fail_addr_rule, addr, &retry);
    if (rc < 0)
        return rc;
    return req_fail_status(r, 401, "that handle or email and password do not match");
}

static int signin_form(struct req *r, struct resp *w)
{
    struct view_signin vm = {0};
    const struct kv *next = kv_get(&r->query, STR_LIT("next"));
    struct buf body;

    if (r->actor) {
        see_other(r, w, STR_LIT("/"));
        return 0;
    }
    if (next) {
        vm.next = safe_next(next->value);
        vm.notice = STR_LIT("Sign in to continue.");
    }
    resp_body_init(r, &body);
    view_signin(&body, &vm);
    return resp_page(r, w, STR_LIT("Sign in"), STR_NULL, &body);
}

static int signin_page(struct req *r, struct resp *w)
{
    struct view_signin vm = {0};
    struct buf body;
    int64_t id = 0;
    int rc = r->invalid, status;

    if (!rc)
        rc = signin(r, w, &id);
    if (!rc) {
        rc = session_start(r, w, id);
        if (!rc)
            rc = account_log(r, id, "signin", "user", id);
        if (!rc)
            see_other(r, w, safe_next(req_in(r, SI_NEXT)->text));
        return rc;
    }
    status = r->status_override ? r->status_override : http_status_of(rc);
    if (status != 400 && status != 401 && status != 429)
        return rc;
    vm.login = req_in(r, SI_LOGIN)->text;
    vm.next = req_in(r, SI_NEXT)->present ? safe_next(req_in(r, SI_NEXT)->text) : STR_NULL;
    vm.form_error =
        str_c(r->nerrs ? "Fill in both your handle or email and your password." : r->err_msg);
    resp_body_init(r, &body);
    view_signin(&body, &vm);
    rc = resp_page(r, w, STR_LIT("Sign in"), STR_NULL, &body);
    w->status = status;
    r->status_override = 0;
    return rc;
}

static int login_api(struct req *r, struct resp *w)
{
    int64_t id = 0;
    int rc = signin(r, w, &id);

    if (rc)
        return rc;
    return user_with_token(r, w, id, req_in(r, SI_LABEL)->text, 200);
}

/* Sign-out ---------------------------------------------------------------- */

static int signout_page(struct req *r, struct resp *w)
{
    int rc = session_end(r, w);

    if (!rc)
        see_other(r, w, STR_LIT("/"));
    return rc;
}

/* Ends the session, or revokes the token the request came with. */
static int logout_api(struct req *r, struct resp *w)
{
    int rc;

    if (r->via == AUTH_BEARER)
        rc = token_revoke(r, r->actor->id, r->token_id);
    else
        rc = session_end(r, w);
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

/* The signed-in person ---------------------------------------------------- */

static int me_api(struct req *r, struct resp *w)
{
    struct user u;
    struct json j;
    int rc = user_by_id(r, r->actor->id, &u);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "user");
    user_json(&j, &u, true);
    json_key(&j, "csrf_token");
    json_str(&j, csrf_token(r));
    if (r->app && r->app->calendar_url) {
        struct str url;

        /* Every event the person answered going or maybe to, in every space: a secret address. */
        json_key(&j, "calendar_url");
        if (r->app->calendar_url(r, &url) == 0)
            json_str(&j, url);
        else
            json_null(&j);
    }
    json_obj_close(&j);
    return 0;
}

static int tokens_api(struct req *r, struct resp *w)
{
    struct api_token *t;
    size_t n;
    struct json j;
    int rc = tokens_of(r, r->actor->id, &t, &n);

    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "tokens");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++) {
        json_obj_open(&j);
        json_key(&j, "id");
        json_i64(&j, t[i].id);
        json_key(&j, "label");
        json_str(&j, t[i].label);
        json_key(&j, "created_at");
        json_i64(&j, t[i].created_at);
        json_key(&j, "used_at");
        json_i64(&j, t[i].used_at);
        json_key(&j, "current");
        json_bool(&j, r->via == AUTH_BEARER && r->token_id == t[i].id);
        json_obj_close(&j);
    }
    json_arr_close(&j);
    json_obj_close(&j);
    return 0;
}

static int token_revoke_api(struct req *r, struct resp *w)
{
    int64_t id;
    int rc;

    if (str_to_i64(req_param(r, "id"), &id))
        return E_NOTFOUND;
    rc = token_revoke(r, r->actor->id, id);
    if (rc)
        return rc;
    w->status = 204;
    return 0;
}

/* The API tokens page -------------------------------------------------------- */

enum { TK_LABEL, TK__MAX };

static const struct field token_fields[TK__MAX] = {
    [TK_LABEL] = {"label", FIELD_TEXT, true, 60, 0, 0},
};

static struct str day_of(struct req *r, int64_t t)
{
    char day[21];

    clock_rfc3339(t, day);
    return str_make(arena_strndup(&r->arena, day, 10), 10);
}

/* The page, with new_token shown once when one was just made. */
static int tokens_page_show(struct req *r, struct resp *w, struct str new_token, int status)
{
    struct view_tokens vm = {0};
    struct view_token *vt;
    struct api_token *t;
    struct buf body;
    size_t n;
    int rc = tokens_of(r, r->actor->id, &t, &n);

    if (rc)
        return rc;
    vt = arena_calloc(&r->arena, n ? n : 1, sizeof(*vt));
    for (size_t i = 0; i < n; i++) {
        struct buf to;

        buf_init(&to, &r->arena, 64);
        buf_printf(&to, "/settings/tokens/%lld/revoke", (long long)t[i].id);
        vt[i].id = t[i].id;
        vt[i].label = t[i].label;
        vt[i].created = day_of(r, t[i].created_at);
        vt[i].used = day_of(r, t[i].used_at);
        if (url_build(&r->arena, buf_str(&to), &vt[i].revoke))
            return E_INVAL;
    }
    vm.tokens = vt;
    vm.ntokens = n;
    vm.csrf = csrf_token(r);
    vm.new_token = new_token;
    vm.label_error = field_error(r, "label");
    if (kv_get(&r->query, STR_LIT("notice")))
        vm.notice = STR_LIT("The token was revoked.");
    resp_body_init(r, &body);
    view_tokens(&body, &vm);
    rc = resp_page(r, w, STR_LIT("API tokens"), STR_NULL, &body);
    w->status = status;
    return rc;
}

static int tokens_page(struct req *r, struct resp *w)
{
    return tokens_page_show(r, w, STR_NULL, 200);
}

static int token_make_page(struct req *r, struct resp *w)
{
    struct str token;
    int64_t id;
    int rc;

    if (r->invalid)
        return tokens_page_show(r, w, STR_NULL, 400);
    rc = session_token_create(r, r->actor->id, str_trim(req_in(r, TK_LABEL)->text), &token, &id);
    if (!rc)
        rc = account_log(r, r->actor->id, "token", "api_token", id);
    if (rc)
        return rc;
    return tokens_page_show(r, w, token, 200);
}

static int token_revoke_page(struct req *r, struct resp *w)
{
    int64_t id;
    int rc;

    if (str_to_i64(req_param(r, "id"), &id))
        return E_NOTFOUND;
    rc = token_revoke(r, r->actor->id, id);
    if (rc)
        return rc;
    see_other(r, w, STR_LIT("/settings/tokens?notice=revoked"));
    return 0;
}

static const struct route routes[] = {
    {HTTP_GET, "/settings/tokens", tokens_page, NULL, 0, ROUTE_AUTH},
    {HTTP_POST, "/settings/tokens", token_make_page, token_fields, TK__MAX,
     ROUTE_AUTH | ROUTE_OWN_ERRORS},
    {HTTP_POST, "/settings/tokens/{id}/revoke", token_revoke_page, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, "/signup", signup_form, NULL, 0, 0},
    {HTTP_POST, "/signup", signup_page, signup_fields, SU__MAX, ROUTE_OWN_ERRORS},
    {HTTP_GET, "/signin", signin_form, NULL, 0, 0},
    {HTTP_POST, "/signin", signin_page, signin_fields, SI__MAX, ROUTE_OWN_ERRORS},
    {HTTP_POST, "/signout", signout_page, NULL, 0, 0},
    {HTTP_POST, "/api/v1/signup", signup_api, signup_fields, SU__MAX, 0},
    {HTTP_POST, "/api/v1/login", login_api, signin_fields, SI__MAX, 0},
    {HTTP_POST, "/api/v1/logout", logout_api, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, "/api/v1/me", me_api, NULL, 0, ROUTE_AUTH},
    {HTTP_GET, "/api/v1/me/tokens", tokens_api, NULL, 0, ROUTE_AUTH},
    {HTTP_DELETE, "/api/v1/me/tokens/{id}", token_revoke_api, NULL, 0, ROUTE_AUTH},
};

const struct feature feature_accounts = {
    .name = "accounts",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
    .init = accounts_init,
};
