/*
 * JSON bodies: the whole input goes to parse_json(). On success the tree is
 * nested at most LIMIT_JSON_DEPTH, every string and key is valid UTF-8
 * without NUL, and the tree survives a dump and a second parse unchanged. On
 * failure the message is printable ASCII. The tree dies with the arena, so
 * LeakSanitizer checks the arena_defer() wiring too.
 *
 * fuzz-src: src/http/parse*.c
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */

static void check_tree(json_t *j, int depth)
{
    const char *key;
    json_t *v;
    size_t i;

    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        size_t n = json_string_length(j);

        ASSERT(strlen(s) == n && utf8_valid(s, n));
    } else if (json_is_object(j)) {
        ASSERT(depth <= LIMIT_JSON_DEPTH);
        json_object_foreach(j, key, v)
        {
            ASSERT(key[0] == '\0' || utf8_valid(key, strlen(key)));
            check_tree(v, depth + 1);
        }
    } else if (json_is_array(j)) {
        ASSERT(depth <= LIMIT_JSON_DEPTH);
        json_array_foreach(j, i, v)
        {
            check_tree(v, depth + 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_t *root, *again;
    struct parse_err e;
    size_t i, len;
    char *dump;
    int rc;

    rc = parse_json((const char *)data, size, &arena, &root, &e);
    ASSERT(rc == 0 || rc == E_INVAL);
    if (rc) {
        ASSERT(root == NULL && e.msg != NULL && e.field == NULL);
        for (i = 0; e.msg[i]; i++)
            ASSERT(e.msg[i] >= 0x20 && e.msg[i] < 0x7f);
    } else {
        ASSERT(root != NULL && e.msg == NULL);
        check_tree(root, 1);
        dump = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
        ASSERT(dump != NULL);
        len = strlen(dump);
        rc = parse_json(dump, len, &arena, &again, &e);
        ASSERT(rc == 0 && json_equal(root, again));
        free(dump);
    }
    arena_reset(&arena);
    return 0;
}
