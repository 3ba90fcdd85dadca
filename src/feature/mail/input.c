/*
 * What the mail feature reads with jansson (kept apart: jansson's names
 * clash with core/json.h's writer): a job's payload, and the names a JSON
 * body holds.
 */
#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "feature/mail/mail_int.h"
#include "http/http.h"

#define NAME_ECHO_MAX 64 /* bytes of an unknown name repeated in the error */

int mail_payload_outbox(struct str payload, int64_t *id)
{
    json_t *j = json_loadb(payload.ptr, payload.len, 0, NULL);
    json_t *v = j ? json_object_get(j, "outbox") : NULL;
    int rc = json_is_integer(v) ? 0 : E_INVAL; /* false for NULL too */

    if (!rc)
        *id = (int64_t)json_integer_value(v);
    json_decref(j);
    return rc;
}

/* name (valid UTF-8) cut to NAME_ECHO_MAX bytes between characters, in the arena. */
static const char *echo(struct req *r, const char *name, size_t n)
{
    if (n > NAME_ECHO_MAX) {
        n = NAME_ECHO_MAX;
        while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
            n--;
    }
    return arena_strndup(&r->arena, name, n);
}

static bool known_name(const char *const *known, const char *name, size_t n)
{
    for (; *known; known++)
        if (strlen(*known) == n && memcmp(*known, name, n) == 0)
            return true;
    return false;
}

const char *mail_unknown_name(struct req *r, const char *const *known)
{
    const char *key;
    json_t *value;

    if (json_is_object(r->json)) { /* false for no JSON body too */
        json_object_foreach(r->json, key, value)
        {
            (void)value;
            if (!known_name(known, key, strlen(key)))
                return echo(r, key, strlen(key));
        }
    }
    for (size_t i = 0; i < r->form.n; i++) {
        struct str name = r->form.items[i].name;

        if (!known_name(known, name.ptr, name.len))
            return echo(r, name.ptr, name.len);
    }
    return NULL;
}
