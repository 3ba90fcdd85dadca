/*
 * Query strings: parse_urlencoded() as the router calls it for a URL, plus
 * parse_pct_decode() on the whole input. Checks that every name and value is
 * valid UTF-8 within the limits, and that encoding the result and parsing
 * it again gives the same list.
 *
 * fuzz-src: src/http/parse*.c
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */

static void check_text(struct str s)
{
    ASSERT(s.ptr != NULL);
    ASSERT(s.ptr[s.len] == '\0');
    ASSERT(utf8_valid(s.ptr, s.len));
}

/* name=value&… with every byte but the unreserved ones as %XX. */
static void encode(struct buf *b, struct str s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];

        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};

            buf_append(b, e, 3);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct kv_list l, again;
    struct parse_err e;
    struct str dec;
    struct buf b;
    size_t i;
    int rc;

    rc = parse_urlencoded(p, size, LIMIT_QUERY_PARAMS, &arena, &l, &e);
    ASSERT(rc == 0 || rc == E_INVAL || rc == E_TOOBIG);
    if (rc) {
        ASSERT(e.msg != NULL);
        ASSERT(l.n == 0 && l.items == NULL);
    } else {
        ASSERT(e.msg == NULL && e.field == NULL);
        ASSERT(l.n <= LIMIT_QUERY_PARAMS);
        buf_init(&b, &arena, 3 * size + 16);
        for (i = 0; i < l.n; i++) {
            check_text(l.items[i].name);
            check_text(l.items[i].value);
            ASSERT(l.items[i].name.len > 0 && l.items[i].name.len <= LIMIT_FIELD_NAME);
            ASSERT(kv_get(&l, l.items[i].name) <= &l.items[i]);
            if (i)
                buf_putc(&b, '&');
            encode(&b, l.items[i].name);
            buf_putc(&b, '=');
            encode(&b, l.items[i].value);
        }
        ASSERT(!b.toobig);
        rc = parse_urlencoded(b.ptr, b.len, LIMIT_QUERY_PARAMS, &arena, &again, NULL);
        ASSERT(rc == 0 && again.n == l.n);
        for (i = 0; i < l.n; i++) {
            ASSERT(str_eq(again.items[i].name, l.items[i].name));
            ASSERT(str_eq(again.items[i].value, l.items[i].value));
        }
    }
    rc = parse_pct_decode(p, size, false, &arena, &dec);
    ASSERT(rc == 0 || rc == E_INVAL);
    if (rc == 0)
        ASSERT(dec.len <= size && dec.ptr[dec.len] == '\0');
    arena_reset(&arena);
    return 0;
}
