/*
 * A region allocator. Everything a request needs comes from its arena and is
 * released at once by arena_reset() when the request ends; nothing in it is
 * freed on its own. arena_defer() ties other resources (a jansson tree, a
 * database result) to the same lifetime.
 *
 * The first block is kept across resets, so a steady request load allocates
 * nothing from malloc once warm. Allocations are 16-byte aligned and never
 * fail (see alloc.h).
 */
#ifndef PRAXIS_CORE_ARENA_H
#define PRAXIS_CORE_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena_defer;

struct arena {
    struct arena_block *head;   /* block being carved; NULL before first use */
    struct arena_block *first;  /* kept across resets */
    struct arena_defer *defers; /* run in reverse order by arena_reset() */
    size_t total;               /* bytes handed out since the last reset */
};

void arena_init(struct arena *a);
/* Memory for n bytes, valid until the next arena_reset(); uninitialised. */
void *arena_alloc(struct arena *a, size_t n);
/* Zeroed memory for n elements of size bytes; dies on overflow. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* A NUL-terminated copy of (s, n) in the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Grow the most recent allocation p (of old bytes) to n bytes, moving it if needed. */
void *arena_realloc(struct arena *a, void *p, size_t old, size_t n);
/*
 * An array of n elements of size bytes with room for one more: when n has
 * reached *cap, a copy twice as large (at least 8) replaces it. Returns the
 * array, which may have moved.
 */
void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size);
/* Call fn(arg) at the next reset or release, last registered first. */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);
/* Run the deferred calls and forget every allocation; keeps the first block. */
void arena_reset(struct arena *a);
/* arena_reset() and free every block; the arena may be initialised again. */
void arena_release(struct arena *a);

#endif
