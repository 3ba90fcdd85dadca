/*
 * The discussion pages' own data (feature/discuss/pages.c, feed.c): what
 * the API's model (model.h) has no call for. Access is the caller's to
 * check first, as for model.h.
 */
#ifndef PRAXIS_FEATURE_DISCUSS_PAGES_MODEL_H
#define PRAXIS_FEATURE_DISCUSS_PAGES_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct req;

/* A topic as a feed carries it: the topic and its opening post. */
struct feed_entry {
    int64_t id;
    struct str title;
    struct str author; /* the author's name; empty once the account is gone */
    int64_t published; /* when the topic was started */
    int64_t updated;   /* when the opening post last changed */
    struct str html;   /* the opening post as stored (markdown_stored()); empty if deleted */
    struct str *tags;
    size_t ntags;
};

/*
 * The newest limit topics of a space, newest first, in the request arena.
 * 0 (with *n possibly 0) or a database error.
 */
int feed_entries(struct req *r, int64_t space_id, int64_t limit, struct feed_entry **out,
                 size_t *n);

#endif
