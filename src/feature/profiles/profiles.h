/*
 * Profiles: a person's name, bio (Markdown), time zone and interests (what
 * they can help with, want to learn, are interested in), on the page
 * /people/{handle}, edited at /settings/profile, and in the API as
 * /api/v1/users/{handle} (GET, and PATCH by the person or an admin).
 */
#ifndef PRAXIS_FEATURE_PROFILES_H
#define PRAXIS_FEATURE_PROFILES_H

#include "http/http.h"

extern const struct feature feature_profiles;

#endif
