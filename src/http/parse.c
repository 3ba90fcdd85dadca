#include "http/parse.h"

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/utf8.h"

static void set_err(struct parse_err *err, const char *field, const char *msg)
{
    if (err) {
        err->field = field;
        err->msg = msg;
    }
}

static void advance(struct str *s, size_t n)
{
    s->ptr += n;
    s->len -= n;
}

static void skip_ows(struct str *s)
{
    while (s->len && (s->ptr[0] == ' ' || s->ptr[0] == '\t'))
        advance(s, 1);
}

static bool is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_token(struct str s)
{
    size_t i;

    for (i = 0; i < s.len; i++)
        if (!is_tchar((unsigned char)s.ptr[i]))
            return false;
    return s.len > 0;
}

static char lower(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

const struct kv *kv_get(const struct kv_list *l, struct str name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (str_eq(l->items[i].name, name))
            return &l->items[i];
    return NULL;
}

int parse_pct_decode(const char *s, size_t n, bool plus_is_space, struct arena *a, struct str *out)
{
    char *d = arena_alloc(a, n + 1);
    size_t i, j = 0;

    *out = STR_NULL;
    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi, lo;

            if (n - i < 3)
                return E_INVAL;
            hi = hex_value(s[i + 1]);
            lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return E_INVAL;
            d[j++] = (char)(hi << 4 | lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            d[j++] = ' ';
        } else {
            d[j++] = s[i];
        }
    }
    d[j] = '\0';
    *out = str_make(d, j);
    return 0;
}

/* The pair of (p, n) that starts at *off, moving *off past its '&'. */
static struct str next_pair(const char *p, size_t n, size_t *off)
{
    const char *start = p + *off, *amp = memchr(start, '&', n - *off);
    size_t len = amp ? (size_t)(amp - start) : n - *off;

    *off += amp ? len + 1 : len;
    return str_make(start, len);
}

static int decode_pair(struct str pair, struct arena *a, struct kv *kv, struct parse_err *err)
{
    long eq = str_index(pair, '=');
    struct str raw_name = eq < 0 ? pair : str_make(pair.ptr, (size_t)eq);
    struct str raw_value = eq < 0 ? STR_LIT("") : str_make(pair.ptr + eq + 1, pair.len - eq - 1);

    if (parse_pct_decode(raw_name.ptr, raw_name.len, true, a, &kv->name)) {
        set_err(err, NULL, "bad percent-encoding");
        return E_INVAL;
    }
    if (kv->name.len == 0)
        return 0; /* skipped by the caller */
    if (kv->name.len > LIMIT_FIELD_NAME) {
        set_err(err, NULL, "field name too long");
        return E_INVAL;
    }
    if (!utf8_valid(kv->name.ptr, kv->name.len)) {
        set_err(err, NULL, "invalid UTF-8");
        return E_INVAL;
    }
    if (parse_pct_decode(raw_value.ptr, raw_value.len, true, a, &kv->value)) {
        set_err(err, kv->name.ptr, "bad percent-encoding");
        return E_INVAL;
    }
    if (!utf8_valid(kv->value.ptr, kv->value.len)) {
        set_err(err, kv->name.ptr, "invalid UTF-8");
        return E_INVAL;
    }
    return 0;
}

int parse_urlencoded(const char *p, size_t n, size_t max_fields, struct arena *a,
                     struct kv_list *out, struct parse_err *err)
{
    size_t off = 0, count = 0, k = 0;
    struct kv *items;

    out->items = NULL;
    out->n = 0;
    set_err(err, NULL, NULL);
    if (n == 0)
        return 0;
    while (off < n)
        if (next_pair(p, n, &off).len)
            count++;
    if (count > max_fields) {
        set_err(err, NULL, "too many fields");
        return E_TOOBIG;
    }
    items = arena_calloc(a, count, sizeof(*items));
    off = 0;
    while (off < n) {
        struct str pair = next_pair(p, n, &off);
        int rc;

        if (!pair.len)
            continue;
        rc = decode_pair(pair, a, &items[k], err);
        if (rc)
            return rc;
        if (items[k].name.len)
            k++;
    }
    out->items = items;
    out->n = k;
    return 0;
}

int parse_token(struct str *rest, struct str *out)
{
    size_t i = 0;

    while (i < rest->len && is_tchar((unsigned char)rest->ptr[i]))
        i++;
    *out = str_make(rest->ptr, i);
    advance(rest, i);
    return i ? 0 : E_INVAL;
}

/* A quoted string at the start of *rest (which is at '"') into *raw, quotes included. */
static int quoted_string(struct str *rest, struct str *raw)
{
    size_t i = 1;

    while (i < rest->len) {
        unsigned char c = (unsigned char)rest->ptr[i];

        if (c == '"') {
            *raw = str_make(rest->ptr, i + 1);
            advance(rest, i + 1);
            return 0;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return E_INVAL;
        if (c == '\\' && i + 1 < rest->len && (rest->ptr[i + 1] == '"' || rest->ptr[i + 1] == '\\'))
            i++;
        i++;
    }
    return E_INVAL; /* unterminated */
}

int parse_param_next(struct str *rest, struct str *name, struct str *raw, bool *quoted)
{
    for (;;) {
        skip_ows(rest);
        if (!rest->len)
            return 0;
        if (rest->ptr[0] != ';')
            return E_INVAL;
        advance(rest, 1);
        skip_ows(rest);
        if (!rest->len)
            return 0;
        if (rest->ptr[0] != ';')
            break;
    }
    if (parse_token(rest, name))
        return E_INVAL;
    skip_ows(rest);
    if (!rest->len || rest->ptr[0] != '=')
        return E_INVAL;
    advance(rest, 1);
    skip_ows(rest);
    *quoted = rest->len && rest->ptr[0] == '"';
    if (*quoted)
        return quoted_string(rest, raw) ? E_INVAL : 1;
    return parse_token(rest, raw) ? E_INVAL : 1;
}

struct str parse_param_value(struct arena *a, struct str raw, bool quoted)
{
    char *d;
    size_t i, j = 0;

    if (!quoted || raw.len < 2)
        return str_make(str_dup(a, raw), raw.len);
    d = arena_alloc(a, raw.len - 1);
    for (i = 1; i + 1 < raw.len; i++) {
        if (raw.ptr[i] == '\\' && i + 2 < raw.len &&
            (raw.ptr[i + 1] == '"' || raw.ptr[i + 1] == '\\'))
            i++;
        d[j++] = raw.ptr[i];
    }
    d[j] = '\0';
    return str_make(d, j);
}

int parse_media_type(struct str header, const char *param, struct arena *a, struct str *type,
                     struct str *value)
{
    struct str rest = header, t, sub, name, raw;
    bool quoted, found = false;
    char *d;
    size_t i;
    int rc;

    *type = STR_NULL;
    if (value)
        *value = STR_LIT("");
    skip_ows(&rest);
    if (parse_token(&rest, &t) || !rest.len || rest.ptr[0] != '/')
        return E_INVAL;
    advance(&rest, 1);
    if (parse_token(&rest, &sub))
        return E_INVAL;
    for (;;) {
        rc = parse_param_next(&rest, &name, &raw, &quoted);
        if (rc <= 0)
            break;
        if (!param || !str_case_eq(name, str_c(param)))
            continue;
        if (found)
            return E_INVAL;
        found = true;
        if (value)
            *value = parse_param_value(a, raw, quoted);
    }
    if (rc)
        return rc;
    d = arena_alloc(a, t.len + sub.len + 2);
    for (i = 0; i < t.len; i++)
        d[i] = lower(t.ptr[i]);
    d[i++] = '/';
    for (; i < t.len + 1 + sub.len; i++)
        d[i] = lower(sub.ptr[i - t.len - 1]);
    d[i] = '\0';
    *type = str_make(d, i);
    return 0;
}

/* A cookie value without CTLs and in UTF-8, its quotes removed. */
static bool cookie_value(struct str *v)
{
    size_t i;

    if (v->len >= 2 && v->ptr[0] == '"' && v->ptr[v->len - 1] == '"')
        *v = str_make(v->ptr + 1, v->len - 2);
    for (i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->ptr[i];

        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return utf8_valid(v->ptr, v->len);
}

int parse_cookies(const char *p, size_t n, struct arena *a, struct kv_list *out)
{
    size_t off = 0, count = 1, k = 0, i;

    out->items = NULL;
    out->n = 0;
    if (n == 0)
        return 0;
    for (i = 0; i < n && count < LIMIT_COOKIES; i++)
        if (p[i] == ';')
            count++;
    out->items = arena_calloc(a, count, sizeof(*out->items));
    while (off < n && k < count) {
        const char *start = p + off, *semi = memchr(start, ';', n - off);
        struct str pair = str_make(start, semi ? (size_t)(semi - start) : n - off);
        struct str name, value;
        long eq;

        off += semi ? pair.len + 1 : pair.len;
        eq = str_index(pair, '=');
        if (eq < 0)
            continue;
        name = str_trim(str_make(pair.ptr, (size_t)eq));
        value = str_trim(str_make(pair.ptr + eq + 1, pair.len - eq - 1));
        if (name.len > LIMIT_FIELD_NAME || !is_token(name) || !cookie_value(&value))
            continue;
        out->items[k].name = str_make(str_dup(a, name), name.len);
        out->items[k].value = str_make(str_dup(a, value), value.len);
        k++;
    }
    out->n = k;
    return 0;
}
