#include "core/json.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

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

/* Bytes of a word that are below n (n <= 128), or equal to c: nonzero when any is. */
#define ONES             0x0101010101010101ULL
#define HIGHS            0x8080808080808080ULL
#define WORD_BELOW(x, n) (((x)-ONES * (n)) & ~(x)&HIGHS)
#define WORD_HAS(x, c)   WORD_BELOW((x) ^ (ONES * (c)), 1)

/* Whether none of 8 bytes needs escaping (json_class 0): the common case, 8 at a time. */
static bool word_plain(const char *p)
{
    uint64_t x;

    memcpy(&x, p, sizeof(x));
    return !(WORD_BELOW(x, 0x20) | WORD_HAS(x, '"') | WORD_HAS(x, '\\') | WORD_HAS(x, '<') |
             WORD_HAS(x, '>') | WORD_HAS(x, 0x7f));
}

int json_escape(struct buf *b, struct str s)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, start = 0, end;

    buf_putc(b, '"');
    while (i < s.len) {
        if (s.len - i >= 8 && word_plain(s.ptr + i)) {
            i += 8;
            continue;
        }
        /* A word with something to escape: byte by byte, then words again. */
        for (end = s.len - i >= 8 ? i + 8 : s.len; i < end; i++) {
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
