/*
 * JSON bodies through jansson. jansson checks UTF-8, refuses \u0000 unless
 * asked (we don't) and stops at its own depth of 2048; the lower
 * LIMIT_JSON_DEPTH is enforced here by a walk of the tree.
 */
#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "http/parse.h"

static int fail(struct parse_err *err, const char *msg, int rc)
{
    if (err) {
        err->field = NULL;
        err->msg = msg;
    }
    return rc;
}

static void release(void *j)
{
    json_decref(j);
}

/* Whether j, a value at nesting depth, holds containers nested too deep. */
static bool too_deep(json_t *j, int depth)
{
    const char *key;
    json_t *v;
    size_t i;

    if (!json_is_object(j) && !json_is_array(j))
        return false;
    if (depth > LIMIT_JSON_DEPTH)
        return true;
    if (json_is_object(j)) {
        json_object_foreach(j, key, v)
        {
            if (too_deep(v, depth + 1))
                return true;
        }
    } else {
        json_array_foreach(j, i, v)
        {
            if (too_deep(v, depth + 1))
                return true;
        }
    }
    return false;
}

/*
 * "line L, column C: text" in the arena. jansson quotes input near the error,
 * so bytes outside printable ASCII become '?' to keep the message safe text.
 */
static const char *error_msg(struct arena *a, const json_error_t *je)
{
    struct buf b;
    size_t i;

    buf_init(&b, a, 256);
    buf_printf(&b, "line %d, column %d: %s", je->line, je->column, je->text);
    for (i = 0; i < b.len; i++)
        if ((unsigned char)b.ptr[i] < 0x20 || (unsigned char)b.ptr[i] > 0x7e)
            b.ptr[i] = '?';
    return b.len ? b.ptr : "invalid json";
}

int parse_json(const char *p, size_t n, struct arena *a, struct json_t **out, struct parse_err *err)
{
    json_error_t je;
    json_t *root;
    size_t i;

    *out = NULL;
    fail(err, NULL, 0);
    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            break;
    if (i == n)
        return fail(err, "empty body", E_INVAL);
    root = json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root)
        return fail(err, error_msg(a, &je), E_INVAL);
    if (too_deep(root, 1)) {
        json_decref(root);
        return fail(err, "nesting too deep", E_INVAL);
    }
    arena_defer(a, release, root);
    *out = root;
    return 0;
}
