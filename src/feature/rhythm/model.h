/*
 * The meeting loop's data: follow-ups of occurrences, a space's rhythm
 * settings, and the people its mail goes to. Readers take a connection
 * and an arena, so the jobs (which run outside requests) use them too.
 */
#ifndef PRAXIS_FEATURE_RHYTHM_MODEL_H
#define PRAXIS_FEATURE_RHYTHM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct arena;
struct db;

struct followup {
    int64_t id, event_id, occurrence, topic_id;
    struct str summary, summary_html, resources, next_steps, next_steps_html;
    int64_t created_by;
    struct str author_handle, author_name;
    int64_t created_at;
};

int followup_load(struct db *db, struct arena *a, int64_t id, struct followup *out);
/* The follow-ups of an event, the latest occurrence first, at most max. */
int followups_of_event(struct db *db, struct arena *a, int64_t event_id, size_t max,
                       struct followup **out, size_t *n);
int followup_exists(struct db *db, int64_t event_id, int64_t occurrence, bool *yes);
/* Insert one (inside the caller's transaction); *id gets its row. */
int followup_insert(struct db *db, const struct followup *f, int64_t *id);
/* The event and occurrence a summary topic follows up; E_NOTFOUND for another topic. */
int followup_of_topic(struct db *db, int64_t topic_id, int64_t *event_id, int64_t *occurrence);

/* Someone the loop writes to. */
struct person {
    int64_t id;
    struct str handle, name, email, timezone;
};
int person_load(struct db *db, struct arena *a, int64_t id, struct person *out);
/* A space's facilitators and owners. */
int space_stewards(struct db *db, struct arena *a, int64_t space_id, struct person **out,
                   size_t *n);
/* Who watches a space and may still read it. */
int space_followers(struct db *db, struct arena *a, int64_t space_id, int64_t now,
                    struct person **out, size_t *n);

#define RHYTHM_CEILING_DEFAULT    3  /* events a week before a space counts as crowded */
#define RHYTHM_QUIET_DAYS_DEFAULT 21 /* days without an event before it counts as quiet */
#define RHYTHM_CEILING_MAX        50
#define RHYTHM_QUIET_DAYS_MIN     3
#define RHYTHM_QUIET_DAYS_MAX     365

struct rhythm_settings {
    int64_t ceiling, quiet_days;
    struct str noticed_kind; /* "quiet", "crowded" or empty */
    int64_t noticed_at;
};
/* A space's settings (the defaults when none were set). */
int rhythm_settings_get(struct db *db, struct arena *a, int64_t space_id,
                        struct rhythm_settings *out);
int rhythm_settings_put(struct db *db, int64_t space_id, int64_t ceiling, int64_t quiet_days,
                        int64_t now);
int rhythm_noticed(struct db *db, int64_t space_id, const char *kind, int64_t now);
/* Rows of the activity log in a space since a time. */
int rhythm_activity(struct db *db, int64_t space_id, int64_t since, int64_t *n);

#endif
