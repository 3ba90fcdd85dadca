/*
 * Profiles: a person's name, bio (Markdown), time zone and interests (what
 * they can help with, want to learn, are interested in), on the page
 * /people/{handle}, edited at /settings/profile, and in the API as
 * /api/v1/users/{handle} (GET, and PATCH by the person or an admin).
 */
#ifndef PRAXIS_FEATURE_PROFILES_H
#define PRAXIS_FEATURE_PROFILES_H

#include "http/http.h"

struct json;

extern const struct feature feature_profiles;

/*
 * A person as other features' JSON names them: "key": {"handle", "name"},
 * or "key": null when there is no one (an account gone, say).
 */
void profile_ref_json(struct json *j, const char *key, struct str handle, struct str name);

#endif
