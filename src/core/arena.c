#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"

#define ALIGN 16

struct arena_block {
    struct arena_block *next;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(ALIGN) unsigned char data[];
};

struct arena_defer {
    struct arena_defer *next;
    void (*fn)(void *);
    void *arg;
};

static size_t round_up(size_t n)
{
    if (n > SIZE_MAX - (ALIGN - 1))
        BUG("arena allocation size overflow");
    return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static struct arena_block *block_new(size_t size)
{
    struct arena_block *b;

    if (size > SIZE_MAX - sizeof(*b))
        BUG("arena block size overflow");
    b = xmalloc(sizeof(*b) + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->first = NULL;
    a->defers = NULL;
    a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    struct arena_block *b = a->head;
    void *p;

    n = round_up(n ? n : 1);
    if (!b) {
        if (!a->first)
            a->first = block_new((size_t)LIMIT_ARENA_BLOCK);
        b = a->head = a->first;
    }
    if (b->size - b->used < n) {
        size_t size = b->size * 2;

        while (size < n)
            size = size > SIZE_MAX / 2 ? n : size * 2; /* no wrap to 0 */
        b = block_new(size);
        b->next = a->head;
        a->head = b;
    }
    p = b->data + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        BUG("arena_calloc size overflow");
    p = arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void *arena_realloc(struct arena *a, void *p, size_t old, size_t n)
{
    struct arena_block *b = a->head;
    void *q;

    if (p && b && (unsigned char *)p + round_up(old) == b->data + b->used) {
        size_t extra = round_up(n) - round_up(old);

        if (n <= old)
            return p;
        if (b->size - b->used >= extra) {
            b->used += extra;
            a->total += extra;
            return p;
        }
    }
    q = arena_alloc(a, n);
    if (p && old)
        memcpy(q, p, old < n ? old : n);
    return q;
}

void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
    size_t more;

    if (arr && n < *cap)
        return arr;
    more = *cap < 8 ? 8 : *cap * 2;
    if (size && more > SIZE_MAX / size)
        BUG("arena_grow size overflow");
    arr = arena_realloc(a, arr, arr ? *cap * size : 0, more * size);
    *cap = more;
    return arr;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
    struct arena_defer *d = arena_alloc(a, sizeof(*d));

    d->fn = fn;
    d->arg = arg;
    d->next = a->defers;
    a->defers = d;
}

void arena_reset(struct arena *a)
{
    struct arena_block *b, *next;

    while (a->defers) {
        struct arena_defer *d = a->defers;

        a->defers = d->next;
        d->fn(d->arg);
    }
    /*
     * Keep the largest block (within LIMIT_ARENA_KEEP) for the next use: a
     * request that needed more than the first block will likely need it
     * again, and it then costs no malloc and no mmap/munmap.
     */
    for (b = a->head; b; b = b->next)
        if (b->size > a->first->size && b->size <= LIMIT_ARENA_KEEP)
            a->first = b;
    for (b = a->head; b; b = next) {
        next = b->next;
        if (b != a->first)
            free(b);
    }
    if (a->first) {
        a->first->used = 0;
        a->first->next = NULL;
    }
    a->head = a->first;
    a->total = 0;
}

void arena_release(struct arena *a)
{
    arena_reset(a);
    free(a->first);
    arena_init(a);
}
