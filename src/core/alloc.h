/*
 * Allocation that cannot fail: on exhaustion the process dies with file:line,
 * as a failed small allocation leaves nothing sensible to do. Input-driven
 * growth must be bounded before it gets here (see limits.h).
 */
#ifndef PRAXIS_CORE_ALLOC_H
#define PRAXIS_CORE_ALLOC_H

#include <stddef.h>

#define xmalloc(n)       xmalloc_at((n), __FILE__, __LINE__)
#define xcalloc(n, size) xcalloc_at((n), (size), __FILE__, __LINE__)
#define xrealloc(p, n)   xrealloc_at((p), (n), __FILE__, __LINE__)
#define xstrdup(s)       xstrdup_at((s), __FILE__, __LINE__)

void *xmalloc_at(size_t n, const char *file, int line);
/* Zeroed array of n elements; dies on overflow of n * size. */
void *xcalloc_at(size_t n, size_t size, const char *file, int line);
void *xrealloc_at(void *p, size_t n, const char *file, int line);
char *xstrdup_at(const char *s, const char *file, int line);

/* Report a broken invariant and abort. */
_Noreturn void die_at(const char *file, int line, const char *what);
#define BUG(what) die_at(__FILE__, __LINE__, (what))
#define ASSERT(c)                                                \
    do {                                                         \
        if (!(c))                                                \
            die_at(__FILE__, __LINE__, "assertion failed: " #c); \
    } while (0)

/*
 * ALWAYS(x)/NEVER(x): conditions that cannot happen but are still handled.
 * Debug builds abort when they do; release builds take the recovery path.
 */
#ifdef NDEBUG
#define ALWAYS(x) (x)
#define NEVER(x)  (x)
#else
#define ALWAYS(x) ((x) ? 1 : (die_at(__FILE__, __LINE__, "ALWAYS failed: " #x), 0))
#define NEVER(x)  ((x) ? (die_at(__FILE__, __LINE__, "NEVER failed: " #x), 1) : 0)
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
