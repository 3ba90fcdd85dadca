#include "core/json.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/word.h"

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

/* Whether none of 8 bytes needs escaping (json_class 0): the common case, 8 at a time. */
static bool word_plain(const char *p)
{
    uint64_t x = word_at(p);

    return !(WORD_BELOW(x, 0x20) | WORD_HAS(x, '"') | WORD_HAS(x, '\\') | WORD_HAS(x, '<') |
             WORD_HAS(x, '>') | WORD_HAS(x, 0x7f));
}

#define ESCAPE_CHUNK 256 /* bytes escaped between checks for room */
#define ESCAPE_MAX   6   /* the most one byte becomes: \u00XX */

/* Bytes of p[0..n) once escaped (json_class: 0 one, 1 two, 2 six). */
static size_t escaped_len(const char *p, size_t n)
{
    static const unsigned char len_of[3] = {1, 2, 6};
    size_t len = 0;

    for (size_t i = 0; i < n; i++)
        len += len_of[json_class[(unsigned char)p[i]]];
    return len;
}

/* Escape p[0..n) into o, which has room for it: the bytes written. Plain words go whole. */
static size_t escape_into(char *o, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *start = o;
    size_t i = 0;

    while (i < n) {
        size_t end;

        if (n - i >= 8 && word_plain(p + i)) {
            memcpy(o, p + i, 8);
            o += 8;
            i += 8;
            continue;
        }
        for (end = n - i >= 8 ? i + 8 : n; i < end; i++) {
            unsigned char c = (unsigned char)p[i];

            switch (json_class[c]) {
            case 0:
                *o++ = (char)c;
                break;
            case 1:
                *o++ = '\\';
                *o++ = json_short(c);
                break;
            default:
                /* control characters, and < > DEL so JSON is safe inside HTML */
                o[0] = '\\';
                o[1] = 'u';
                o[2] = '0';
                o[3] = '0';
                o[4] = hex[c >> 4];
                o[5] = hex[c & 15];
                o += 6;
            }
        }
    }
    return (size_t)(o - start);
}

/*
 * A chunk at a time into room made for its worst case, so text with markup
 * in most words (a post's HTML) costs no append per escape; the exact room
 * is counted only near the buffer's limit.
 */
int json_escape(struct buf *b, struct str s)
{
    if (buf_putc(b, '"'))
        return E_TOOBIG;
    for (size_t i = 0; i < s.len;) {
        size_t n = s.len - i < ESCAPE_CHUNK ? s.len - i : ESCAPE_CHUNK;
        size_t room = n * ESCAPE_MAX;

        if (room > b->max - b->len)
            room = escaped_len(s.ptr + i, n);
        if (buf_grow(b, room))
            return E_TOOBIG;
        b->len += escape_into(b->ptr + b->len, s.ptr + i, n);
        b->ptr[b->len] = '\0';
        i += n;
    }
    return buf_putc(b, '"');
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

void json_key_n(struct json *w, const char *key, size_t n)
{
    struct buf *b = w->b;
    bool comma = w->need_comma[w->depth];
    size_t i = 0;

    w->need_comma[w->depth] = false;
    /* Keys are the code's own names: plain, as a rule, so written whole, in one go. */
    while (n - i >= 8 && word_plain(key + i))
        i += 8;
    while (i < n && !json_class[(unsigned char)key[i]])
        i++;
    if (i == n && !buf_grow(b, n + 4)) {
        char *p = b->ptr + b->len;

        if (comma)
            *p++ = ',';
        *p++ = '"';
        if (n) /* key may be NULL, for "" */
            memcpy(p, key, n);
        p += n;
        *p++ = '"';
        *p++ = ':';
        *p = '\0';
        b->len = (size_t)(p - b->ptr);
        return;
    }
    if (comma)
        buf_putc(b, ',');
    json_escape(b, str_make(key, n));
    buf_putc(b, ':');
}

void json_str(struct json *w, struct str s)
{
    value_start(w);
    json_escape(w->b, s);
}

void json_escaped(struct json *w, struct str quoted)
{
    value_start(w);
    buf_append(w->b, quoted.ptr, quoted.len);
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

void json_i64_or_null(struct json *w, int64_t v)
{
    if (v)
        json_i64(w, v);
    else
        json_null(w);
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
