/* The profiles feature's data: the only code of it that talks to the database. */
#ifndef PRAXIS_FEATURE_PROFILES_MODEL_H
#define PRAXIS_FEATURE_PROFILES_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/profiles/rules.h"

struct req;

/* Labels of one kind, in the order the person listed them. */
struct label_list {
    struct str *items;
    size_t n;
};

/* What anyone may see of a person. Never the email address. */
struct profile {
    int64_t id;
    struct str handle;
    struct str name;
    struct str bio;      /* Markdown as written */
    struct str bio_html; /* rendered and sanitized when it was saved */
    struct str timezone;
    int64_t created_at;
    int64_t last_active_at; /* 0: not known, or they appear offline */
    struct label_list interests[INTEREST__MAX];
};

/* The person with this handle and their interests, in the request arena; E_NOTFOUND. */
int profile_by_handle(struct req *r, struct str handle, struct profile *out);

/* What a save changes: only the fields marked as given. */
struct profile_change {
    bool has_name, has_bio, has_timezone;
    struct str name;
    struct str bio, bio_html; /* given together */
    struct str timezone;
    bool has_interests[INTEREST__MAX]; /* each given list replaces the stored one whole */
    struct interest_list interests[INTEREST__MAX];
};

/*
 * Apply c to user_id's profile and log a "profile-update" by actor_id, in
 * one transaction. E_NOTFOUND when the person is gone, or the database's
 * error (nothing is changed then).
 */
int profile_save(struct req *r, int64_t actor_id, int64_t user_id, const struct profile_change *c);

#endif
