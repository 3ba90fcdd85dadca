/*
 * Form bodies. When the input has a newline, the line before it is a
 * Content-Type header for parse_media_type() (parameter "charset") and the
 * rest is the body; otherwise all of it is the body. The body goes through
 * parse_urlencoded() with LIMIT_FORM_FIELDS. Checks limits, UTF-8 and that
 * the media type comes out lower-case as type/subtype.
 *
 * fuzz-src: src/http/parse*.c
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */

static void check_media_type(struct str header)
{
    struct str type, charset;
    size_t i, slashes = 0;
    int rc;

    rc = parse_media_type(header, "charset", &arena, &type, &charset);
    ASSERT(rc == 0 || rc == E_INVAL);
    if (rc)
        return;
    ASSERT(type.ptr[type.len] == '\0' && type.len >= 3 && type.len <= header.len);
    for (i = 0; i < type.len; i++) {
        ASSERT(!(type.ptr[i] >= 'A' && type.ptr[i] <= 'Z'));
        ASSERT(type.ptr[i] != ';' && type.ptr[i] != ' ' && type.ptr[i] != '"');
        slashes += type.ptr[i] == '/';
    }
    ASSERT(slashes == 1 && type.ptr[0] != '/' && type.ptr[type.len - 1] != '/');
    ASSERT(charset.ptr != NULL && charset.ptr[charset.len] == '\0' && charset.len < header.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *nl = size ? memchr(p, '\n', size) : NULL;
    struct kv_list l;
    struct parse_err e;
    size_t i, pairs = 0;
    int rc;

    if (nl) {
        check_media_type(str_make(p, (size_t)(nl - p)));
        size -= (size_t)(nl + 1 - p);
        p = nl + 1;
    }
    for (i = 0; i < size; i++)
        pairs += p[i] != '&' && (i + 1 == size || p[i + 1] == '&');
    rc = parse_urlencoded(p, size, LIMIT_FORM_FIELDS, &arena, &l, &e);
    ASSERT(rc == 0 || rc == E_INVAL || rc == E_TOOBIG);
    ASSERT((rc == E_TOOBIG) == (pairs > LIMIT_FORM_FIELDS));
    if (rc) {
        ASSERT(e.msg != NULL && l.n == 0);
    } else {
        ASSERT(l.n <= pairs && l.n <= LIMIT_FORM_FIELDS);
        for (i = 0; i < l.n; i++) {
            const struct kv *kv = &l.items[i];

            ASSERT(kv->name.len > 0 && kv->name.len <= LIMIT_FIELD_NAME);
            ASSERT(kv->name.ptr[kv->name.len] == '\0' && kv->value.ptr[kv->value.len] == '\0');
            ASSERT(utf8_valid(kv->name.ptr, kv->name.len));
            ASSERT(utf8_valid(kv->value.ptr, kv->value.len));
        }
    }
    arena_reset(&arena);
    return 0;
}
