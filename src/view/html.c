#include "view/html.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/word.h"

/* The entity for each byte that needs one; NULL for bytes passed through. */
static const char *const entity[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};
static const unsigned char entity_len[256] = {
    ['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5,
};

/* Whether none of 8 bytes needs an entity: the common case, 8 at a time. */
static bool word_plain(const char *p)
{
    uint64_t x = word_at(p);

    return !(WORD_HAS(x, '&') | WORD_HAS(x, '<') | WORD_HAS(x, '>') | WORD_HAS(x, '"') |
             WORD_HAS(x, '\''));
}

int html_escape_append(struct buf *b, const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, start;

    while (i < n) {
        start = i;
        while (n - i >= 8 && word_plain(p + i))
            i += 8;
        while (i < n && !entity[s[i]])
            i++;
        if (buf_append(b, p + start, i - start))
            return E_TOOBIG;
        if (i < n) {
            if (buf_append(b, entity[s[i]], entity_len[s[i]]))
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
