#include "core/json.h"

#include <math.h>

#include "core/alloc.h"
#include "core/err.h"

/* 0: copy as is; 1: short escape in json_short[]; 2: \u00XX */
static const unsigned char json_class[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
};

static char json_short(unsigned char c)
{
    switch (c) {
    case '\b':
        return 'b';
    case '\t':
        return 't';
    case '\n':
        return 'n';
    case '\f':
        return 'f';
    case '\r':
        return 'r';
    default:
        return (char)c; /* '"' and '\\' */
    }
}

int json_escape(struct buf *b, struct str s)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, start = 0;

    buf_putc(b, '"');
    for (i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        unsigned cls = json_class[c];

        if (!cls)
            continue;
        buf_append(b, s.ptr + start, i - start);
        start = i + 1;
        if (cls == 1) {
            char e[2] = {'\\', json_short(c)};

            buf_append(b, e, 2);
        } else {
            /* control characters, and < > DEL so JSON is safe inside HTML */
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

            buf_append(b, e, 6);
        }
    }
    buf_append(b, s.ptr + start, s.len - start);
    buf_putc(b, '"');
    return b->toobig ? E_TOOBIG : 0;
}

void json_init(struct json *w, struct buf *b)
{
    w->b = b;
    w->depth = 0;
    w->need_comma[0] = false;
}

static void value_start(struct json *w)
{
    if (w->need_comma[w->depth])
        buf_putc(w->b, ',');
    w->need_comma[w->depth] = true;
}

static void open(struct json *w, char c)
{
    value_start(w);
    buf_putc(w->b, c);
    if (w->depth + 1 >= JSON_MAX_DEPTH)
        BUG("json writer nested too deep");
    w->need_comma[++w->depth] = false;
}

static void close_(struct json *w, char c)
{
    ASSERT(w->depth > 0);
    w->depth--;
    buf_putc(w->b, c);
}

void json_obj_open(struct json *w)
{
    open(w, '{');
}

void json_obj_close(struct json *w)
{
    close_(w, '}');
}

void json_arr_open(struct json *w)
{
    open(w, '[');
}

void json_arr_close(struct json *w)
{
    close_(w, ']');
}

void json_key(struct json *w, const char *key)
{
    value_start(w);
    json_escape(w->b, str_c(key));
    buf_putc(w->b, ':');
    w->need_comma[w->depth] = false;
}

void json_str(struct json *w, struct str s)
{
    value_start(w);
    json_escape(w->b, s);
}

void json_str_c(struct json *w, const char *s)
{
    json_str(w, str_c(s));
}

void json_i64(struct json *w, int64_t v)
{
    value_start(w);
    buf_put_i64(w->b, v);
}

void json_f64(struct json *w, double v)
{
    value_start(w);
    if (!isfinite(v))
        BUF_LIT(w->b, "null");
    else
        buf_printf(w->b, "%.17g", v);
}

void json_bool(struct json *w, bool v)
{
    value_start(w);
    if (v)
        BUF_LIT(w->b, "true");
    else
        BUF_LIT(w->b, "false");
}

void json_null(struct json *w)
{
    value_start(w);
    BUF_LIT(w->b, "null");
}
