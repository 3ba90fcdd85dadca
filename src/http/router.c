#include "http/router.h"

#include <jansson.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/utf8.h"
#include "http/session.h"

struct segment {
    struct str lit; /* literal text, or the parameter's name when param */
    bool param;
};

struct compiled {
    const struct route *route;
    struct segment segs[LIMIT_ROUTE_SEGMENTS];
    size_t nsegs;
};

struct router {
    struct compiled *routes;
    size_t n;
};

static void compile(struct compiled *c, const struct route *rt)
{
    const char *p = rt->pattern;

    if (p[0] != '/')
        BUG("route pattern must start with '/'");
    c->route = rt;
    c->nsegs = 0;
    p++;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        struct segment *s;

        if (c->nsegs == LIMIT_ROUTE_SEGMENTS || len == 0)
            BUG("route pattern has too many or empty segments");
        s = &c->segs[c->nsegs++];
        if (len > 2 && p[0] == '{' && p[len - 1] == '}') {
            s->param = true;
            s->lit = str_make(p + 1, len - 2);
        } else {
            s->param = false;
            s->lit = str_make(p, len);
        }
        p += len;
        if (*p == '/')
            p++;
    }
}

struct router *router_new(const struct feature *const *features, size_t n, bool test_mode)
{
    struct router *rt = xcalloc(1, sizeof(*rt));
    size_t total = 0, i, j;

    for (i = 0; i < n; i++)
        total += features[i]->nroutes;
    rt->routes = xcalloc(total, sizeof(*rt->routes));
    for (i = 0; i < n; i++) {
        for (j = 0; j < features[i]->nroutes; j++) {
            const struct route *r = &features[i]->routes[j];
            size_t np = 0;

            if ((r->flags & ROUTE_TEST_ONLY) && !test_mode)
                continue;
            compile(&rt->routes[rt->n], r);
            for (size_t k = 0; k < rt->routes[rt->n].nsegs; k++)
                np += rt->routes[rt->n].segs[k].param;
            if (np > LIMIT_ROUTE_PARAMS)
                BUG("route has too many parameters");
            rt->n++;
        }
    }
    return rt;
}

void router_free(struct router *rt)
{
    if (!rt)
        return;
    free(rt->routes);
    free(rt);
}

size_t router_count(const struct router *rt)
{
    return rt->n;
}

const struct route *router_route(const struct router *rt, size_t i)
{
    return rt->routes[i].route;
}

/* Split the raw path into segments; false when there are too many. */
static bool split_path(struct str path, struct str *segs, size_t *nsegs)
{
    size_t i = 1, start = 1;

    *nsegs = 0;
    if (path.len <= 1)
        return true;
    for (; i <= path.len; i++) {
        if (i == path.len || path.ptr[i] == '/') {
            if (*nsegs == LIMIT_ROUTE_SEGMENTS)
                return false;
            segs[(*nsegs)++] = str_make(path.ptr + start, i - start);
            start = i + 1;
        }
    }
    return true;
}

static bool method_matches(enum http_method route, enum http_method req)
{
    return route == req || (route == HTTP_GET && req == HTTP_HEAD);
}

int router_match(const struct router *rt, struct req *r, unsigned *allowed)
{
    struct str segs[LIMIT_ROUTE_SEGMENTS];
    size_t nsegs, i, k;

    *allowed = 0;
    r->route = NULL;
    r->route_index = -1;
    if (!r->path.len || r->path.ptr[0] != '/' || !split_path(r->path, segs, &nsegs))
        return E_NOTFOUND;
    for (i = 0; i < rt->n; i++) {
        const struct compiled *c = &rt->routes[i];

        if (c->nsegs != nsegs)
            continue;
        for (k = 0; k < nsegs; k++) {
            if (c->segs[k].param ? segs[k].len == 0 : !str_eq(c->segs[k].lit, segs[k]))
                break;
        }
        if (k < nsegs)
            continue;
        if (!method_matches(c->route->method, r->method)) {
            *allowed |= 1u << c->route->method;
            continue;
        }
        r->route = c->route;
        r->route_index = (int)i;
        r->nparams = 0;
        for (k = 0; k < nsegs; k++) {
            struct str v;

            if (!c->segs[k].param)
                continue;
            if (parse_pct_decode(segs[k].ptr, segs[k].len, false, &r->arena, &v) ||
                !utf8_valid(v.ptr, v.len))
                return req_fail(r, E_INVAL, NULL, "the address is not valid UTF-8");
            r->param_names[r->nparams] = str_dup(&r->arena, c->segs[k].lit);
            r->params[r->nparams++] = v;
        }
        return 0;
    }
    return E_NOTFOUND;
}

/* Body parsing ------------------------------------------------------------ */

static int parse_body(struct req *r)
{
    struct str ctype = req_header(r, "Content-Type");
    struct str type, boundary;
    struct parse_err pe = {NULL, NULL};
    int rc;

    if (r->body.len == 0)
        return 0;
    rc = parse_media_type(ctype, "boundary", &r->arena, &type, &boundary);
    if (rc)
        return req_fail_status(r, 415, "the Content-Type header is malformed");
    r->content_type = type;
    if (str_eq_c(type, "application/x-www-form-urlencoded")) {
        rc =
            parse_urlencoded(r->body.ptr, r->body.len, LIMIT_FORM_FIELDS, &r->arena, &r->form, &pe);
    } else if (str_eq_c(type, "multipart/form-data")) {
        if (!boundary.len)
            return req_fail(r, E_INVAL, NULL, "multipart body without a boundary");
        rc = parse_multipart(r->body.ptr, r->body.len, boundary, &r->arena, &r->parts, &r->nparts,
                             &pe);
    } else if (str_eq_c(type, "application/json")) {
        rc = parse_json(r->body.ptr, r->body.len, &r->arena, &r->json, &pe);
    } else {
        return req_fail_status(r, 415,
                               "send application/json, application/x-www-form-urlencoded or "
                               "multipart/form-data");
    }
    if (rc)
        return req_fail(r, rc, pe.field, pe.msg ? pe.msg : "the body is malformed");
    return 0;
}

/* Input validation -------------------------------------------------------- */

/* A list field given as a JSON array: every item a string, at most top of them. */
static int list_from_json(struct req *r, const struct field *f, json_t *arr, struct value *v)
{
    size_t i, n = json_array_size(arr);
    json_t *item;

    if (f->top > 0 && n > (size_t)f->top)
        return req_fail(r, E_INVAL, f->name, "has too many items");
    v->items = arena_calloc(&r->arena, n ? n : 1, sizeof(*v->items));
    json_array_foreach(arr, i, item)
    {
        if (!json_is_string(item))
            return req_fail(r, E_INVAL, f->name, "must be a list of strings");
        v->items[v->nitems++] = str_make(json_string_value(item), json_string_length(item));
    }
    return 0;
}

/* A list field given as text: the items between commas, trimmed, empty ones dropped. */
static int list_from_text(struct req *r, const struct field *f, struct value *v)
{
    struct str rest = v->text;
    size_t cap = 1;

    for (size_t i = 0; i < rest.len; i++)
        cap += rest.ptr[i] == ',';
    v->items = arena_calloc(&r->arena, cap, sizeof(*v->items));
    v->nitems = 0;
    while (rest.len) {
        const char *comma = memchr(rest.ptr, ',', rest.len);
        size_t n = comma ? (size_t)(comma - rest.ptr) : rest.len;
        struct str item = str_trim(str_make(rest.ptr, n));

        if (item.len)
            v->items[v->nitems++] = item;
        rest = comma ? str_make(comma + 1, rest.len - n - 1) : STR_NULL;
    }
    if (f->top > 0 && v->nitems > (size_t)f->top)
        return req_fail(r, E_INVAL, f->name, "has too many items");
    return 0;
}

/*
 * Find the raw value of a field by name in the query (GET), a JSON object,
 * multipart parts or a form. JSON numbers and booleans arrive typed: then
 * *typed is set and v->num or v->flag already holds the value. Returns
 * whether the field is present; *rc is an error for a value of the wrong
 * JSON type.
 */
static bool lookup(struct req *r, const struct field *f, struct value *v, bool *typed, int *rc)
{
    struct str name = str_c(f->name);
    const struct kv *kv;

    *rc = 0;
    *typed = false;
    if (r->method == HTTP_GET || r->method == HTTP_HEAD) {
        kv = kv_get(&r->query, name);
        if (kv)
            v->text = kv->value;
        return kv != NULL;
    }
    if (r->json) {
        json_t *j = json_object_get(r->json, f->name);

        if (!j || json_is_null(j))
            return false;
        if (f->type == FIELD_LIST && json_is_array(j)) {
            *rc = list_from_json(r, f, j, v);
            if (*rc)
                return false;
            *typed = true;
        } else if (json_is_string(j) &&
                   (f->type == FIELD_TEXT || f->type == FIELD_INT || f->type == FIELD_LIST)) {
            v->text = str_make(json_string_value(j), json_string_length(j));
        } else if (json_is_integer(j) && f->type == FIELD_INT) {
            v->num = (int64_t)json_integer_value(j);
            *typed = true;
        } else if (json_is_boolean(j) && f->type == FIELD_BOOL) {
            v->flag = json_is_true(j);
            *typed = true;
        } else {
            *rc = req_fail(r, E_INVAL, f->name,
                           f->type == FIELD_INT    ? "must be a whole number"
                           : f->type == FIELD_BOOL ? "must be true or false"
                           : f->type == FIELD_LIST ? "must be a list of strings"
                                                   : "must be a string");
            return false;
        }
        return true;
    }
    if (f->type == FIELD_FILE || r->nparts) {
        for (size_t i = 0; i < r->nparts; i++) {
            if (str_eq(r->parts[i].name, name)) {
                v->file = &r->parts[i];
                v->text = r->parts[i].data;
                return true;
            }
        }
        return false;
    }
    kv = kv_get(&r->form, name);
    if (kv)
        v->text = kv->value;
    return kv != NULL;
}

/* Check one present value against its field; 0 or the error recorded. */
static int check(struct req *r, const struct field *f, struct value *v, bool typed)
{
    switch (f->type) {
    case FIELD_TEXT: {
        size_t max = f->max ? f->max : LIMIT_TEXT_DEFAULT;

        if (v->file && v->file->is_file)
            return req_fail(r, E_INVAL, f->name, "must be text, not a file");
        if (!utf8_valid(v->text.ptr, v->text.len))
            return req_fail(r, E_INVAL, f->name, "is not valid UTF-8");
        if (utf8_len(v->text.ptr, v->text.len) > max)
            return req_fail(r, E_INVAL, f->name, "is too long");
        if (f->required && str_trim(v->text).len == 0)
            return req_fail(r, E_INVAL, f->name, "is required");
        return 0;
    }
    case FIELD_INT:
        if (!typed && str_to_i64(str_trim(v->text), &v->num))
            return req_fail(r, E_INVAL, f->name, "must be a whole number");
        if (f->min < f->top && (v->num < f->min || v->num > f->top))
            return req_fail(r, E_INVAL, f->name, "is out of range");
        return 0;
    case FIELD_BOOL:
        if (typed)
            return 0;
        if (str_eq_c(v->text, "1") || str_eq_c(v->text, "true") || str_eq_c(v->text, "on"))
            v->flag = true;
        else if (str_eq_c(v->text, "0") || str_eq_c(v->text, "false") || str_eq_c(v->text, "off") ||
                 v->text.len == 0)
            v->flag = false;
        else
            return req_fail(r, E_INVAL, f->name, "must be true or false");
        return 0;
    case FIELD_LIST: {
        size_t max = f->max ? f->max : LIMIT_TEXT_DEFAULT;

        if (!typed) {
            if (!utf8_valid(v->text.ptr, v->text.len))
                return req_fail(r, E_INVAL, f->name, "is not valid UTF-8");
            if (list_from_text(r, f, v))
                return E_INVAL;
        }
        for (size_t i = 0; i < v->nitems; i++) {
            if (!utf8_valid(v->items[i].ptr, v->items[i].len))
                return req_fail(r, E_INVAL, f->name, "is not valid UTF-8");
            if (utf8_len(v->items[i].ptr, v->items[i].len) > max)
                return req_fail(r, E_INVAL, f->name, "has an item that is too long");
        }
        if (f->required && v->nitems == 0)
            return req_fail(r, E_INVAL, f->name, "is required");
        return 0;
    }
    case FIELD_FILE:
        if (!v->file || !v->file->is_file)
            return req_fail(r, E_INVAL, f->name, "must be a file");
        if (f->max && v->file->data.len > f->max)
            return req_fail(r, E_TOOBIG, f->name, "is too large");
        return 0;
    }
    BUG("unknown field type");
}

/* Validate every field of the route, recording each problem; 0 or the last error. */
static int validate(struct req *r)
{
    const struct route *rt = r->route;
    int failed = 0;

    r->in = arena_calloc(&r->arena, rt->nfields ? rt->nfields : 1, sizeof(*r->in));
    if (r->json && !json_is_object(r->json) && rt->nfields)
        return req_fail(r, E_INVAL, NULL, "the body must be a JSON object");
    for (size_t i = 0; i < rt->nfields; i++) {
        const struct field *f = &rt->fields[i];
        struct value *v = &r->in[i];
        bool typed;
        int rc;

        if (!lookup(r, f, v, &typed, &rc)) {
            if (rc)
                failed = rc;
            else if (f->required)
                failed = req_fail(r, E_INVAL, f->name, "is required");
            continue;
        }
        v->present = true;
        rc = check(r, f, v, typed);
        if (rc)
            failed = rc;
    }
    return failed;
}

static const char *allow_header(struct req *r, unsigned allowed)
{
    struct buf b;

    buf_init(&b, &r->arena, 128);
    if (allowed & (1u << HTTP_GET))
        allowed |= 1u << HTTP_HEAD;
    for (int m = 0; m < HTTP_METHOD__MAX; m++) {
        if (!(allowed & (1u << m)))
            continue;
        if (b.len)
            BUF_LIT(&b, ", ");
        buf_puts(&b, http_method_name((enum http_method)m));
    }
    return b.ptr;
}

/* A request that needs a signed-in person: 401 for the API, the sign-in page for people. */
static void sign_in_first(struct req *r, struct resp *w)
{
    struct buf b;

    if (r->api || r->method != HTTP_GET) {
        req_fail_status(r, 401, "sign in first");
        resp_error(r, w, E_PERM);
        return;
    }
    buf_init(&b, &r->arena, LIMIT_URL + 64);
    BUF_LIT(&b, "/signin?next=");
    for (size_t i = 0; i < r->uri.len; i++) {
        unsigned char c = (unsigned char)r->uri.ptr[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '/' || c == '-' || c == '_' || c == '.')
            buf_putc(&b, (char)c);
        else
            buf_printf(&b, "%%%02X", c);
    }
    w->status = 303;
    resp_header(w, "Location", b.ptr);
}

void router_dispatch(const struct router *rt, struct req *r, struct resp *w)
{
    struct parse_err pe = {NULL, NULL};
    unsigned allowed = 0;
    bool unsafe;
    int rc;

    if (r->query_raw.len) {
        rc = parse_urlencoded(r->query_raw.ptr, r->query_raw.len, LIMIT_QUERY_PARAMS, &r->arena,
                              &r->query, &pe);
        if (rc) {
            /* Match anyway, so metrics and the error carry the route. */
            router_match(rt, r, &allowed);
            req_fail(r, rc == E_TOOBIG ? E_INVAL : rc, pe.field,
                     pe.msg ? pe.msg : "the query string is malformed");
            resp_error(r, w, E_INVAL);
            return;
        }
    }
    rc = router_match(rt, r, &allowed);
    if (rc == E_NOTFOUND && allowed) {
        resp_header(w, "Allow", allow_header(r, allowed));
        req_fail_status(r, 405, "this address does not accept that method");
        resp_error(r, w, E_INVAL);
        return;
    }
    if (rc) {
        resp_error(r, w, rc);
        return;
    }
    unsafe = r->method != HTTP_GET && r->method != HTTP_HEAD;
    if (unsafe && !(r->route->flags & ROUTE_NO_BODY)) {
        rc = parse_body(r);
        if (rc) {
            resp_error(r, w, rc);
            return;
        }
    }
    if (!(r->route->flags & ROUTE_NO_SESSION)) {
        rc = session_load(r, w);
        if (rc) {
            resp_error(r, w, rc);
            return;
        }
        if (unsafe && !csrf_ok(r)) {
            req_fail(r, E_PERM, NULL,
                     "the form has expired or did not come from this site; reload and try again");
            resp_error(r, w, E_PERM);
            return;
        }
    }
    if ((r->route->flags & ROUTE_AUTH) && !r->actor) {
        sign_in_first(r, w);
        return;
    }
    rc = validate(r);
    if (rc && (r->route->flags & ROUTE_OWN_ERRORS)) {
        r->invalid = rc;
        rc = 0;
    }
    if (!rc)
        rc = r->route->handler(r, w);
    if (rc)
        resp_error(r, w, rc);
}
