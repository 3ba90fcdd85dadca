/*
 * Requests' and responses' helpers, and the one place where an error
 * becomes a status and a body.
 */
#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/json.h"
#include "http/http.h"
#include "http/session.h"
#include "view/html.h"
#include "view/views.h"

/* Room a page body starts with, and the layout's shell beside the content. */
#define RESP_BODY_ROOM ((size_t)16 * 1024)

static const char *const method_names[HTTP_METHOD__MAX] = {
    [HTTP_GET] = "GET",         [HTTP_HEAD] = "HEAD",   [HTTP_POST] = "POST",
    [HTTP_PUT] = "PUT",         [HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE",
    [HTTP_OPTIONS] = "OPTIONS",
};

const char *http_method_name(enum http_method m)
{
    return m < HTTP_METHOD__MAX ? method_names[m] : "?";
}

int http_method_parse(struct str s)
{
    for (int m = 0; m < HTTP_METHOD__MAX; m++)
        if (str_eq_c(s, method_names[m]))
            return m;
    return -1;
}

struct str req_param(struct req *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->param_names[i], name) == 0)
            return r->params[i];
    BUG("route has no such parameter");
}

const struct value *req_in(struct req *r, size_t i)
{
    ASSERT(r->route && i < r->route->nfields);
    return &r->in[i];
}

struct str req_cookie(struct req *r, const char *name)
{
    const struct kv *kv;

    if (!r->cookies_parsed) {
        struct str h = req_header(r, "Cookie");

        r->cookies_parsed = true;
        if (parse_cookies(h.ptr, h.len, &r->arena, &r->cookies))
            r->cookies.n = 0;
    }
    kv = kv_get(&r->cookies, str_c(name));
    return kv ? kv->value : STR_NULL;
}

/* RFC 6265 cookie-octet, which also keeps names and values out of header syntax. */
static bool cookie_safe(struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];

        if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\' || c == '=')
            return false;
    }
    return true;
}

void resp_cookie(struct req *r, struct resp *w, const char *name, struct str value, long max_age)
{
    struct buf b;

    if (!cookie_safe(str_c(name)) || !cookie_safe(value))
        BUG("cookie name or value is not cookie-safe");
    buf_init(&b, &r->arena, 4096);
    buf_printf(&b, "%s=%.*s; Path=/; HttpOnly; SameSite=Lax", name, (int)value.len, value.ptr);
    if (max_age == 0)
        BUF_LIT(&b, "; Max-Age=0");
    else if (max_age > 0)
        buf_printf(&b, "; Max-Age=%ld", max_age);
    if (r->app && r->app->cfg->public_https)
        BUF_LIT(&b, "; Secure");
    resp_header(w, "Set-Cookie", b.ptr);
}

int req_fail(struct req *r, int err, const char *field, const char *msg)
{
    if (field) {
        if (r->nerrs < REQ_MAX_FIELD_ERRORS) {
            r->errs[r->nerrs].field = field;
            r->errs[r->nerrs].msg = msg;
            r->nerrs++;
        }
        if (!r->err_msg)
            r->err_msg = "some fields need attention";
    } else if (!r->err_msg || !r->nerrs) {
        r->err_msg = msg;
    }
    return err;
}

int req_fail_status(struct req *r, int status, const char *msg)
{
    r->status_override = status;
    r->err_msg = msg;
    return E_INVAL;
}

void resp_header(struct resp *w, const char *name, const char *value)
{
    if (NEVER(w->nheaders == LIMIT_RESP_HEADERS))
        return;
    w->headers[w->nheaders].name = name;
    w->headers[w->nheaders].value = value;
    w->nheaders++;
}

void resp_html(struct resp *w)
{
    w->status = 200;
    w->content_type = "text/html; charset=utf-8";
}

void resp_json(struct resp *w)
{
    w->status = 200;
    w->content_type = "application/json";
}

void resp_text(struct resp *w, const char *content_type)
{
    w->status = 200;
    w->content_type = content_type;
}

/* "/people/<handle>" as a URL (handles are a-z, 0-9, _ and -: nothing to encode). */
static void profile_url(struct req *r, struct str handle, struct url *out)
{
    struct buf b;

    buf_init(&b, &r->arena, 128);
    BUF_LIT(&b, "/people/");
    buf_put_str(&b, handle);
    if (url_build(&r->arena, buf_str(&b), out))
        *out = URL_LIT("/");
}

void resp_body_init(struct req *r, struct buf *b)
{
    buf_init(b, &r->arena, LIMIT_PAGE);
    buf_grow(b, RESP_BODY_ROOM); /* most pages fit, without growing by copies from 64 bytes */
}

int resp_page(struct req *r, struct resp *w, struct str title, struct str description,
              const struct buf *body)
{
    return resp_page_head(r, w, title, description, HTML_EMPTY, body);
}

int resp_page_head(struct req *r, struct resp *w, struct str title, struct str description,
                   struct html head_extra, const struct buf *body)
{
    struct view_layout layout = {0};

    if (body->toobig)
        return E_TOOBIG;
    layout.head_extra = head_extra;
    layout.title = title;
    layout.instance_name = str_c(r->app ? r->app->name : "Praxis");
    layout.description = description;
    layout.content = html_from_buf(body);
    layout.request_id = str_c(r->id);
    if (r->actor) {
        layout.signed_in = true;
        layout.user_name = r->actor->name;
        layout.user_handle = r->actor->handle;
        profile_url(r, r->actor->handle, &layout.user_url);
        layout.csrf = csrf_token(r);
        /* The count is a nicety: a page still shows when it cannot be had. */
        if (r->app && r->app->unread_count && r->app->unread_count(r, &layout.unread))
            layout.unread = 0;
        layout.unread_text = layout.unread > 99 ? STR_LIT("99+") : STR_NULL;
        if (r->app && r->app->page_notice && r->app->page_notice(r, &layout.notice))
            layout.notice = HTML_EMPTY;
    }
    resp_html(w);
    buf_grow(&w->body, body->len + RESP_BODY_ROOM); /* the content and the shell around it */
    return view_layout(&w->body, &layout);
}

int http_status_of(int err)
{
    switch (err) {
    case E_OK:
        return 200;
    case E_INVAL:
        return 400;
    case E_NOTFOUND:
        return 404;
    case E_CONFLICT:
        return 409;
    case E_PERM:
        return 403;
    case E_TOOBIG:
        return 413;
    case E_UNAVAIL:
        return 503;
    case E_DB:
    case E_IO:
    default:
        return 500;
    }
}

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 503:
        return "Service Unavailable";
    default:
        return "Internal Server Error";
    }
}

static const char *error_code(int status)
{
    switch (status) {
    case 400:
        return "invalid";
    case 401:
        return "unauthenticated";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 409:
        return "conflict";
    case 413:
        return "too_large";
    case 415:
        return "unsupported_media_type";
    case 429:
        return "rate_limited";
    case 503:
        return "unavailable";
    default:
        return "internal";
    }
}

/* What a person reads when no handler said more. */
static const char *default_message(int status)
{
    switch (status) {
    case 400:
        return "the request could not be understood";
    case 403:
        return "you may not do that";
    case 404:
        return "there is nothing at this address";
    case 405:
        return "this address does not accept that method";
    case 409:
        return "that conflicts with something that already exists";
    case 413:
        return "the request is too large";
    case 503:
        return "the service is unavailable; try again shortly";
    default:
        return "something went wrong on our side";
    }
}

static const char *page_title(int status)
{
    switch (status) {
    case 404:
        return "Page not found";
    case 403:
        return "Not allowed";
    case 413:
        return "Too large";
    case 503:
        return "Unavailable";
    case 500:
        return "Something went wrong";
    default:
        return "That did not work";
    }
}

static int render_error_page(struct req *r, struct resp *w, int status, const char *msg)
{
    struct view_error_field *fields = NULL;
    struct view_error vm = {0};
    struct buf body;

    if (r->nerrs) {
        fields = arena_calloc(&r->arena, r->nerrs, sizeof(*fields));
        for (size_t i = 0; i < r->nerrs; i++) {
            fields[i].name = str_c(r->errs[i].field);
            fields[i].message = str_c(r->errs[i].msg);
        }
    }
    vm.status = status;
    vm.title = str_c(page_title(status));
    vm.message = str_c(msg);
    vm.fields = fields;
    vm.nfields = r->nerrs;
    vm.request_id = str_c(r->id);
    resp_body_init(r, &body);
    view_error(&body, &vm);
    return resp_page(r, w, vm.title, STR_NULL, &body);
}

void resp_error(struct req *r, struct resp *w, int err)
{
    int status = r->status_override ? r->status_override : http_status_of(err);
    const char *msg = status >= 500 || !r->err_msg ? default_message(status) : r->err_msg;
    struct json j;

    /* A handler may have written half a page before failing. */
    buf_reset(&w->body);
    w->fixed = NULL;
    if (r->api) {
        w->content_type = "application/json";
        json_init(&j, &w->body);
        json_obj_open(&j);
        json_key(&j, "error");
        json_obj_open(&j);
        json_key(&j, "code");
        json_str_c(&j, error_code(status));
        json_key(&j, "message");
        json_str_c(&j, msg);
        if (r->nerrs) {
            json_key(&j, "fields");
            json_obj_open(&j);
            for (size_t i = 0; i < r->nerrs; i++) {
                json_key(&j, r->errs[i].field);
                json_str_c(&j, r->errs[i].msg);
            }
            json_obj_close(&j);
        }
        json_obj_close(&j);
        json_obj_close(&j);
    } else {
        w->content_type = "text/html; charset=utf-8";
        if (render_error_page(r, w, status, msg)) {
            buf_reset(&w->body);
            w->content_type = "text/plain; charset=utf-8";
            buf_puts(&w->body, msg);
        }
    }
    w->status = status;
}
