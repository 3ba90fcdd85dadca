/*
 * Cookie headers: the whole input is the header value. parse_cookies()
 * never fails; every cookie it keeps has a token name within the limit and
 * a UTF-8 value without control characters or separators.
 *
 * fuzz-src: src/http/parse*.c
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct kv_list l;
    size_t i, j, eqs = 0;

    for (i = 0; i < size; i++)
        eqs += p[i] == '=';
    ASSERT(parse_cookies(p, size, &arena, &l) == 0);
    ASSERT(l.n <= LIMIT_COOKIES && l.n <= eqs);
    for (i = 0; i < l.n; i++) {
        struct str name = l.items[i].name, value = l.items[i].value;

        ASSERT(name.len > 0 && name.len <= LIMIT_FIELD_NAME && name.ptr[name.len] == '\0');
        for (j = 0; j < name.len; j++)
            ASSERT(name.ptr[j] > ' ' && name.ptr[j] < 0x7f &&
                   !strchr("=;,\"()<>@:\\/[]?{}", name.ptr[j]));
        ASSERT(value.ptr[value.len] == '\0' && utf8_valid(value.ptr, value.len));
        for (j = 0; j < value.len; j++)
            ASSERT((unsigned char)value.ptr[j] >= 0x20 && value.ptr[j] != 0x7f &&
                   value.ptr[j] != ';');
    }
    arena_reset(&arena);
    return 0;
}
