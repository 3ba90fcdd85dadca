/*
 * The instance's own settings, kept in the database so every node agrees:
 * its name, whether sign-up is open or by invitation only, and who may
 * create communities. Instance admins change them (PATCH /api/v1/instance,
 * or `praxis settings set`); anyone may read them (GET /api/v1/instance).
 */
#ifndef PRAXIS_FEATURE_INSTANCE_H
#define PRAXIS_FEATURE_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "http/http.h"

struct arena;
struct db;

extern const struct feature feature_instance;

struct instance_settings {
    struct str name;
    struct str tagline; /* one sentence under the name on the front page; may be empty */
    bool signup_open;   /* "signup": open (the default) or invite */
    bool admins_create_communities; /* "community_creators": anyone (the default) or admins */
};

/* Read every setting, with defaults for those never set; strings in the arena. */
int instance_settings_get(struct db *db, struct arena *a, struct instance_settings *out);
/*
 * The same for a page: from this thread's copy when it is under a second
 * old, so the front page costs no query for them. A change made on any node
 * shows everywhere within that second.
 */
int instance_settings_now(struct req *r, struct instance_settings *out);
/*
 * Set one setting by its key ("name", "signup", "community_creators") from
 * text, logging it as actor (0 for the command line). E_INVAL with *msg
 * naming the problem when the key or value is wrong.
 */
int instance_setting_set(struct db *db, int64_t actor, const char *key, struct str value,
                         const char **msg);

#endif
