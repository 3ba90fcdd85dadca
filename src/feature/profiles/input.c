#include "feature/profiles/input.h"

#include <jansson.h>

#include "core/err.h"
#include "http/http.h"

/* One list: every item a string, each added by the rules; NULL or what is wrong. */
static const char *read_list(struct req *r, json_t *list, struct interest_list *l)
{
    size_t i;
    json_t *item;

    if (!json_is_array(list))
        return "must be a list of strings";
    json_array_foreach(list, i, item)
    {
        const char *msg;

        if (!json_is_string(item))
            return "must be a list of strings";
        msg =
            interest_add(&r->arena, l, str_make(json_string_value(item), json_string_length(item)));
        if (msg)
            return msg;
    }
    return NULL;
}

int interests_from_json(struct req *r, struct interest_list lists[INTEREST__MAX],
                        bool given[INTEREST__MAX])
{
    const char *key;
    json_t *obj, *list;
    int rc = 0;

    if (!r->json || !json_is_object(r->json))
        return 0;
    obj = json_object_get(r->json, "interests");
    if (!obj || json_is_null(obj))
        return 0;
    if (!json_is_object(obj))
        return req_fail(r, E_INVAL, "interests",
                        "must be an object with the lists help, learn and interest");
    json_object_foreach(obj, key, list)
    {
        int k = interest_kind_parse(str_c(key));
        const char *msg;

        /* The key is not echoed: it could be anything, of any length. */
        if (k < 0) {
            rc = req_fail(r, E_INVAL, "interests",
                          "may hold only the lists help, learn and interest");
            continue;
        }
        if (json_is_null(list))
            continue;
        given[k] = true;
        msg = read_list(r, list, &lists[k]);
        if (msg)
            rc = req_fail(r, E_INVAL, interest_field_name((enum interest_kind)k), msg);
    }
    return rc;
}
