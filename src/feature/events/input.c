#include "feature/events/input.h"

#include <jansson.h>

#include "core/err.h"
#include "core/str.h"
#include "feature/events/rules.h"
#include "http/http.h"

#define MOMENT_MSG "must be unix seconds or an RFC 3339 time like 2026-12-10T17:00:00Z"

/* The text of name in the query (GET) or a form; NULL when absent. */
static const struct kv *text_of(struct req *r, const char *name)
{
    if (r->method == HTTP_GET || r->method == HTTP_HEAD)
        return kv_get(&r->query, str_c(name));
    return kv_get(&r->form, str_c(name));
}

/* One reminder from a JSON item or a piece of text. */
static bool whole(struct str s, int64_t *v)
{
    s = str_trim(s);
    return s.len && s.len <= 12 && !str_to_i64(s, v);
}

int input_reminders(struct req *r, int64_t out[16], size_t *n, bool *given)
{
    const char *msg = "must be a list of whole numbers of minutes, like [1440, 60]";

    *n = 0;
    *given = false;
    if (r->json) {
        json_t *list = json_is_object(r->json) ? json_object_get(r->json, "reminders") : NULL;
        json_t *item;
        size_t i;

        if (!list || json_is_null(list))
            return 0;
        *given = true;
        if (!json_is_array(list))
            return req_fail(r, E_INVAL, "reminders", msg);
        if (json_array_size(list) > 16)
            return req_fail(r, E_INVAL, "reminders", "may hold at most 5 reminders");
        json_array_foreach(list, i, item)
        {
            if (json_is_integer(item))
                out[(*n)++] = (int64_t)json_integer_value(item);
            else if (!json_is_string(item) ||
                     !whole(str_make(json_string_value(item), json_string_length(item)),
                            &out[(*n)++]))
                return req_fail(r, E_INVAL, "reminders", msg);
        }
        return 0;
    }
    {
        const struct kv *kv = text_of(r, "reminders");
        struct str rest;

        if (!kv)
            return 0;
        *given = true;
        rest = kv->value;
        while (rest.len) {
            long comma = str_index(rest, ',');
            size_t k = comma < 0 ? rest.len : (size_t)comma;
            struct str item = str_trim(str_make(rest.ptr, k));

            rest = comma < 0 ? STR_NULL : str_make(rest.ptr + k + 1, rest.len - k - 1);
            if (!item.len)
                continue;
            if (*n == 16)
                return req_fail(r, E_INVAL, "reminders", "may hold at most 5 reminders");
            if (!whole(item, &out[(*n)++]))
                return req_fail(r, E_INVAL, "reminders", msg);
        }
    }
    return 0;
}

int input_moment(struct req *r, const char *name, int64_t *out, bool *given)
{
    struct str text;

    *given = false;
    if (r->json && r->method != HTTP_GET) {
        json_t *v = json_is_object(r->json) ? json_object_get(r->json, name) : NULL;

        if (!v || json_is_null(v))
            return 0;
        *given = true;
        if (json_is_integer(v)) {
            *out = (int64_t)json_integer_value(v);
            if (*out <= 0)
                return req_fail(r, E_INVAL, name, MOMENT_MSG);
            return 0;
        }
        if (!json_is_string(v))
            return req_fail(r, E_INVAL, name, MOMENT_MSG);
        text = str_make(json_string_value(v), json_string_length(v));
    } else {
        const struct kv *kv = text_of(r, name);

        if (!kv)
            return 0;
        text = kv->value;
    }
    if (!str_trim(text).len) {
        *given = false;
        return 0;
    }
    *given = true;
    if (!parse_moment(text, out))
        return req_fail(r, E_INVAL, name, MOMENT_MSG);
    return 0;
}

bool input_is_null(struct req *r, const char *name)
{
    json_t *v;

    if (!r->json || !json_is_object(r->json))
        return false;
    v = json_object_get(r->json, name);
    return json_is_null(v);
}
