/*
 * struct buf: a growable byte buffer with a fixed maximum. After buf_init()
 * ptr is never NULL and always NUL-terminated. Appends return 0 or E_TOOBIG;
 * a failed append leaves the buffer as it was and sets the sticky flag
 * `toobig`, so a run of appends may be checked once at the end.
 *
 * Memory comes from the arena given at init, or from the heap when it is
 * NULL (then buf_release() frees it).
 */
#ifndef PRAXIS_CORE_BUF_H
#define PRAXIS_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/str.h"

struct arena;

struct buf {
    char *ptr;
    size_t len;
    size_t cap; /* bytes allocated, NUL included; 0 while ptr is the static "" */
    size_t max; /* the most len may reach */
    struct arena *arena;
    bool toobig;
};

void buf_init(struct buf *b, struct arena *a, size_t max);
/* Make room for n more bytes; 0 or E_TOOBIG. */
int buf_grow(struct buf *b, size_t n);
/* buf_append() when the bytes may not fit the room already allocated. */
int buf_append_slow(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_put_str(struct buf *b, struct str s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_put_i64(struct buf *b, int64_t v);
int buf_put_u64(struct buf *b, uint64_t v);
/* Empty the buffer, keeping its memory and clearing toobig. */
void buf_reset(struct buf *b);
/* Free heap memory; the buffer must be initialised again before reuse. */
void buf_release(struct buf *b);
/* Appends are inline while they fit (templates and JSON make many small ones). */
static inline int buf_append(struct buf *b, const void *p, size_t n)
{
    if (n == 0)
        return 0; /* p may be NULL then, which memcpy() may not be given */
    if (n < b->cap - b->len && n <= b->max - b->len) {
        memcpy(b->ptr + b->len, p, n);
        b->len += n;
        b->ptr[b->len] = '\0';
        return 0;
    }
    return buf_append_slow(b, p, n);
}

static inline int buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

static inline struct str buf_str(const struct buf *b)
{
    return (struct str){b->ptr, b->len};
}

#define BUF_LIT(b, s) buf_append((b), (s), sizeof(s) - 1)

#endif
