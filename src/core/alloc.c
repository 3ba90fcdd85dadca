#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void die_at(const char *file, int line, const char *what)
{
    fprintf(stderr, "praxis: fatal: %s at %s:%d\n", what, file, line);
    fflush(stderr);
    abort();
}

void *xmalloc_at(size_t n, const char *file, int line)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        die_at(file, line, "out of memory");
    return p;
}

void *xcalloc_at(size_t n, size_t size, const char *file, int line)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        die_at(file, line, "allocation size overflow");
    p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_at(file, line, "out of memory");
    return p;
}

void *xrealloc_at(void *p, size_t n, const char *file, int line)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        die_at(file, line, "out of memory");
    return q;
}

char *xstrdup_at(const char *s, const char *file, int line)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc_at(n, file, line);

    memcpy(p, s, n);
    return p;
}
