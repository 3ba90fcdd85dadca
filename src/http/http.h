/*
 * The HTTP layer as features see it: routes as data, the request and the
 * response. server.c is the one file that speaks libmicrohttpd; the router
 * (router.c) matches a route, parses and validates its inputs, and calls the
 * handler; resp.c maps errors to statuses and renders error bodies.
 *
 * A handler has the signature int h(struct req *, struct resp *): it
 * returns 0 with the response filled in, or a negative enum err (after
 * req_fail() named what was wrong), and the router answers the error.
 */
#ifndef PRAXIS_HTTP_HTTP_H
#define PRAXIS_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/str.h"
#include "http/parse.h"

struct app;
struct db;
struct req;
struct resp;
struct worker;

enum http_method {
    HTTP_GET,
    HTTP_HEAD,
    HTTP_POST,
    HTTP_PUT,
    HTTP_PATCH,
    HTTP_DELETE,
    HTTP_OPTIONS,
    HTTP_METHOD__MAX
};

typedef int handler_fn(struct req *, struct resp *);

/*
 * FIELD_LIST is a list of short strings: a JSON array of strings, or in a
 * query or form one text split at commas (items trimmed, empty ones
 * dropped). max bounds each item's characters, top the number of items.
 */
enum field_type { FIELD_TEXT, FIELD_INT, FIELD_BOOL, FIELD_FILE, FIELD_LIST };

/*
 * One input of a route. GET and HEAD routes read their fields from the
 * query string, others from the body (form, multipart or JSON object). The
 * router checks presence, type, UTF-8 and size before the handler runs.
 */
struct field {
    const char *name;
    enum field_type type;
    bool required;
    size_t max;       /* text: characters (0 means LIMIT_TEXT_DEFAULT); file: bytes */
    int64_t min, top; /* int: inclusive range, when min < top */
};

/* A validated input, in the order of the route's fields. */
struct value {
    bool present;
    struct str text;         /* FIELD_TEXT; for FIELD_FILE, the file's bytes */
    int64_t num;             /* FIELD_INT */
    bool flag;               /* FIELD_BOOL */
    const struct part *file; /* FIELD_FILE */
    struct str *items;       /* FIELD_LIST */
    size_t nitems;
};

enum route_flag {
    ROUTE_TEST_ONLY = 1 << 0,  /* registered only in test mode */
    ROUTE_NO_BODY = 1 << 1,    /* the body is not parsed even when present */
    ROUTE_NO_SESSION = 1 << 2, /* no session lookup (assets, probes): r->actor stays NULL */
    ROUTE_AUTH = 1 << 3,       /* signed in only: 401 for the API, else to the sign-in page */
    ROUTE_OWN_ERRORS = 1 << 4, /* the handler runs even when inputs are invalid (r->nerrs),
                                  to show a form again with its errors */
};

struct route {
    enum http_method method;
    const char *pattern; /* "/spaces/{slug}/topics"; {name} matches one segment */
    handler_fn *handler;
    const struct field *fields;
    size_t nfields;
    unsigned flags;
};

struct job_kind;

/* A feature: its routes, its kinds of job and optional start/stop hooks (see src/app.c). */
struct feature {
    const char *name;
    const struct route *routes;
    size_t nroutes;
    const struct job_kind *jobs; /* see feature/jobs/jobs.h */
    size_t njobs;
    int (*init)(struct app *);
    void (*fini)(struct app *);
    void (*metrics)(struct buf *); /* lines of its own for /metrics, when it has some */
};

/* The person making a request, once session_load() recognised them. */
struct actor {
    int64_t id;
    struct str handle;
    struct str name;
    bool is_admin;
    bool email_confirmed; /* as it was when the request began */
};

enum auth_via { AUTH_NONE, AUTH_COOKIE, AUTH_BEARER };

struct field_error {
    const char *field;
    const char *msg;
};

#define REQ_MAX_FIELD_ERRORS 16

struct req {
    struct arena arena; /* everything request-scoped */
    enum http_method method;
    struct str method_name;
    struct str uri;  /* raw, as received: path and query */
    struct str path; /* raw path, not decoded */
    struct str query_raw;
    bool api; /* path starts with /api/: errors are JSON */
    char id[17];
    int64_t start_us;

    const struct route *route;
    int route_index;                       /* for metrics; -1 when nothing matched */
    struct str params[LIMIT_ROUTE_PARAMS]; /* decoded {params}, in pattern order */
    const char *param_names[LIMIT_ROUTE_PARAMS];
    size_t nparams;
    struct kv_list query;
    struct str body;
    struct str content_type; /* media type of the body, lower case */
    struct kv_list form;     /* form or multipart text fields */
    struct part *parts;
    size_t nparts;
    struct json_t *json;    /* a JSON body, owned by the arena */
    struct kv_list cookies; /* parsed on first use by req_cookie() */
    bool cookies_parsed;
    struct value *in; /* route->nfields validated inputs */

    /* What went wrong, for the error response. */
    const char *err_msg;
    int invalid; /* the router's validation error, for ROUTE_OWN_ERRORS handlers */
    struct field_error errs[REQ_MAX_FIELD_ERRORS];
    size_t nerrs;
    int status_override; /* 405, 415, 401, 429… when no enum err fits */

    struct app *app;
    struct worker *worker;
    void *conn; /* the server's connection; opaque to features */

    const struct actor *actor; /* NULL when anonymous */
    enum auth_via via;
    struct str session_token; /* the raw session token, for the CSRF token */
    struct str csrf;          /* its CSRF token, once csrf_token() has made it */
    int64_t token_id;         /* the API token's row, when via is AUTH_BEARER */

    /* The server's own bookkeeping (server.c). */
    struct buf body_buf; /* the body as it arrives, bounded by body_limit */
    size_t discarded;    /* body bytes dropped after the limit was passed */
    bool headers_seen;
    bool toobig;
    bool db_read;     /* a read snapshot was begun (req_db()) */
    int status;       /* as sent, for the access log and metrics */
    size_t bytes_out; /* body bytes sent */
};

struct resp_header {
    const char *name;
    const char *value;
};

struct stream;

struct resp {
    int status;
    const char *content_type;
    struct buf body;
    const void *fixed; /* a body that outlives the request (embedded assets) */
    size_t fixed_len;
    struct resp_header headers[LIMIT_RESP_HEADERS];
    size_t nheaders;
    struct stream *stream; /* a live stream instead of a body (resp_stream()) */
};

/* Requests -------------------------------------------------------------- */

/* A request header's value, or an empty view (owned by the server). */
struct str req_header(struct req *r, const char *name);
/* The decoded route parameter {name}; BUG if the route has none of that name. */
struct str req_param(struct req *r, const char *name);
/* The validated input at index i of the route's fields. */
const struct value *req_in(struct req *r, size_t i);
/* The client's address as text ("127.0.0.1", "::1"), in the request arena. */
struct str req_client_addr(struct req *r);
/* The value of the cookie name, or an empty view when absent. */
struct str req_cookie(struct req *r, const char *name);
/* This worker thread's database connection, opened on first use; NULL if it cannot be. */
struct db *req_db(struct req *r);
/*
 * Record what was wrong (field may be NULL for the whole request) and
 * return err, so a handler can `return req_fail(r, E_INVAL, "title", "is required");`.
 * Messages must be static or live in the request arena.
 */
int req_fail(struct req *r, int err, const char *field, const char *msg);
/* Fail with a status that no enum err names (401, 405, 415, 429…); returns E_INVAL. */
int req_fail_status(struct req *r, int status, const char *msg);

/* Responses ------------------------------------------------------------- */

/* Add a header; name and value must live until the response is sent. */
void resp_header(struct resp *w, const char *name, const char *value);
/* A 200 text/html response whose body the caller appends to w->body. */
void resp_html(struct resp *w);
void resp_json(struct resp *w);
/*
 * Set a cookie with safe attributes: Path=/, HttpOnly, SameSite=Lax, and
 * Secure when the public URL is https. max_age in seconds; 0 deletes the
 * cookie, negative makes it last the browser session. The value must be
 * cookie-safe (token characters: the server makes its values); anything
 * else is a bug.
 */
void resp_cookie(struct req *r, struct resp *w, const char *name, struct str value, long max_age);
void resp_text(struct resp *w, const char *content_type);
/* Prepare a buffer in the request arena, bounded by LIMIT_PAGE, for a page's body. */
void resp_body_init(struct req *r, struct buf *b);
/*
 * Answer 200 with a page: body (a rendered template, see resp_body_init)
 * inside the shared layout with the given title. Returns 0 or E_TOOBIG.
 *
 *     struct buf body;
 *     resp_body_init(r, &body);
 *     view_home(&body, &vm);
 *     return resp_page(r, w, STR_LIT("Welcome"), STR_NULL, &body);
 */
int resp_page(struct req *r, struct resp *w, struct str title, struct str description,
              const struct buf *body);
/* resp_page() with extra tags for <head> (an Atom feed's <link>), made by a template. */
struct html;
int resp_page_head(struct req *r, struct resp *w, struct str title, struct str description,
                   struct html head_extra, const struct buf *body);
/*
 * A response that stays open and sends what becomes ready (Server-Sent
 * Events). The server calls read from one of its threads whenever the
 * connection can take more: it copies up to max bytes into out and returns
 * the count, 0 when nothing is ready (the connection then sleeps, costing
 * no thread, until someone calls stream_wake()), or -1 to end the stream.
 * close is called once when the connection is over, from the server's
 * thread, after which read is never called again.
 */
struct stream_ops {
    long (*read)(void *ctx, char *out, size_t max);
    void (*close)(void *ctx);
};
/*
 * Answer 200 with a stream of content_type: returns the server's handle,
 * which holds one reference for the connection (take another with
 * stream_ref() to keep it past the connection's end).
 */
struct stream *resp_stream(struct req *r, struct resp *w, const char *content_type,
                           const struct stream_ops *ops, void *ctx);
/* Make the stream's read be called again soon. Any thread; nothing once it is over. */
void stream_wake(struct stream *st);
void stream_ref(struct stream *st);
void stream_unref(struct stream *st);

/*
 * The one place an error becomes a response: status from err (or
 * r->status_override), then an HTML error page, or for /api/ a JSON body
 * {"error":{"code","message","fields"}}.
 */
void resp_error(struct req *r, struct resp *w, int err);
/* The status an enum err maps to. */
int http_status_of(int err);
const char *http_reason(int status);
const char *http_method_name(enum http_method m);
/* Parse a method token; -1 when unknown. */
int http_method_parse(struct str s);

#endif
