#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"

static char empty[1];

void buf_init(struct buf *b, struct arena *a, size_t max)
{
    b->ptr = empty;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->arena = a;
    b->toobig = false;
}

int buf_grow(struct buf *b, size_t n)
{
    size_t need, cap;
    char *p;

    if (n > b->max - b->len) {
        b->toobig = true;
        return E_TOOBIG;
    }
    need = b->len + n + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (b->arena) {
        p = arena_realloc(b->arena, b->cap ? b->ptr : NULL, b->cap, cap);
        if (!b->cap)
            p[0] = '\0';
    } else {
        p = xrealloc(b->cap ? b->ptr : NULL, cap);
        if (!b->cap)
            p[0] = '\0';
    }
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int buf_append_slow(struct buf *b, const void *p, size_t n)
{
    if (n == 0)
        return 0;
    if (buf_grow(b, n))
        return E_TOOBIG;
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_put_str(struct buf *b, struct str s)
{
    return buf_append(b, s.ptr, s.len);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return E_INVAL;
    if ((size_t)n < sizeof(small))
        return buf_append(b, small, (size_t)n);
    if (buf_grow(b, (size_t)n))
        return E_TOOBIG;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int buf_put_u64(struct buf *b, uint64_t v)
{
    /* Two digits a step: pages carry many ids and counts. */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char tmp[20];
    size_t i = sizeof(tmp);

    while (v >= 100) {
        const char *d = pairs + v % 100 * 2;

        v /= 100;
        tmp[--i] = d[1];
        tmp[--i] = d[0];
    }
    if (v >= 10) {
        tmp[--i] = pairs[v * 2 + 1];
        tmp[--i] = pairs[v * 2];
    } else {
        tmp[--i] = (char)('0' + v);
    }
    return buf_append(b, tmp + i, sizeof(tmp) - i);
}

int buf_put_i64(struct buf *b, int64_t v)
{
    if (v < 0) {
        if (buf_putc(b, '-'))
            return E_TOOBIG;
        return buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
    }
    return buf_put_u64(b, (uint64_t)v);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->cap)
        b->ptr[0] = '\0';
    b->toobig = false;
}

void buf_release(struct buf *b)
{
    if (!b->arena && b->cap)
        free(b->ptr);
    buf_init(b, b->arena, b->max);
}
