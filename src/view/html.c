#include "view/html.h"

#include <string.h>

#include "core/arena.h"
#include "core/err.h"

/* The entity for each byte that needs one; NULL for bytes passed through. */
static const char *const entity[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

int html_escape_append(struct buf *b, const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, start;

    while (i < n) {
        start = i;
        while (i < n && !entity[s[i]])
            i++;
        if (buf_append(b, p + start, i - start))
            return E_TOOBIG;
        if (i < n) {
            if (buf_puts(b, entity[s[i]]))
                return E_TOOBIG;
            i++;
        }
    }
    return 0;
}

struct html html_escape(struct arena *a, struct str s)
{
    size_t i, n = 0, k;
    char *out;

    for (i = 0; i < s.len; i++) {
        const char *e = entity[(unsigned char)s.ptr[i]];
        n += e ? strlen(e) : 1;
    }
    out = arena_alloc(a, n + 1);
    for (i = 0, k = 0; i < s.len; i++) {
        const char *e = entity[(unsigned char)s.ptr[i]];
        if (e) {
            size_t el = strlen(e);
            memcpy(out + k, e, el);
            k += el;
        } else {
            out[k++] = s.ptr[i];
        }
    }
    out[k] = '\0';
    return (struct html){out, k};
}
