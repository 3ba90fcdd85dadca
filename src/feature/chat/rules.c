#include "feature/chat/rules.h"

#include <stdlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"

static const char *const kind_names[CHAT_KIND__MAX] = {
    [CHAT_KIND_GENERAL] = "general",
    [CHAT_KIND_PUBLIC] = "public",
    [CHAT_KIND_PRIVATE] = "private",
    [CHAT_KIND_DIRECT] = "direct",
};

const char *chat_kind_name(enum chat_kind k)
{
    return k < CHAT_KIND__MAX ? kind_names[k] : "public";
}

enum chat_kind chat_kind_parse(struct str s)
{
    for (int i = 0; i < CHAT_KIND__MAX; i++)
        if (str_eq_c(s, kind_names[i]))
            return (enum chat_kind)i;
    return CHAT_KIND__MAX;
}

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

const char *chat_rule_name(struct str name)
{
    bool readable = false;

    if (!name.len)
        return "is required";
    if (!utf8_valid(name.ptr, name.len))
        return "must be UTF-8 text";
    if (utf8_len(name.ptr, name.len) > CHAT_NAME_MAX)
        return "must be at most 40 characters";
    if (utf8_has_control(name.ptr, name.len))
        return "must be one line without control characters";
    for (size_t i = 0; i < name.len && !readable; i++)
        readable = is_alnum((unsigned char)name.ptr[i]);
    if (!readable)
        return "must hold a letter or a digit";
    return NULL;
}

struct str chat_name_key(struct arena *a, struct str name)
{
    struct buf b;
    bool gap = false;
    size_t i = 0;

    buf_init(&b, a, name.len + 1);
    if (name.len && name.ptr[0] == '#')
        i = 1;
    for (; i < name.len; i++) {
        char c = name.ptr[i];

        if (c == ' ' || c == '-' || c == '_') {
            gap = b.len > 0;
            continue;
        }
        if (gap)
            buf_putc(&b, '-');
        gap = false;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + ('a' - 'A'));
        buf_putc(&b, c);
    }
    return buf_str(&b);
}

static int by_value(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

    return (a > b) - (a < b);
}

struct str chat_dm_key(struct arena *a, int64_t *ids, size_t n, size_t *people)
{
    struct buf b;

    *people = 0;
    if (n)
        qsort(ids, n, sizeof(*ids), by_value);
    buf_init(&b, a, n * 21 + 1);
    for (size_t i = 0; i < n; i++) {
        if (i && ids[i] == ids[i - 1])
            continue;
        if (*people)
            buf_putc(&b, ',');
        buf_put_i64(&b, ids[i]);
        (*people)++;
    }
    return buf_str(&b);
}
