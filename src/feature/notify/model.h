/* Notifications' data: the only code of the feature that talks to the database. */
#ifndef PRAXIS_FEATURE_NOTIFY_MODEL_H
#define PRAXIS_FEATURE_NOTIFY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct req;

struct notice {
    int64_t id;
    struct str kind;
    int64_t space_id;
    struct str space_slug, space_name;
    int64_t topic_id; /* 0 when none */
    struct str topic_title;
    int64_t post_id, post_number; /* 0 when none */
    struct str actor_handle, actor_name;
    int64_t count, created_at, read_at; /* read_at 0 while unread */
};

/*
 * Store a notice; a reaction joins the unread reaction notice of the same
 * post when there is one. In the caller's transaction.
 */
int notice_insert(struct req *r, const char *kind, int64_t user_id, int64_t space_id,
                  int64_t topic_id, int64_t post_id);
/* Whether a person muted the topic (or, without a topic level, its space). */
int notice_muted(struct req *r, int64_t user_id, int64_t topic_id, int64_t space_id, bool *muted);
/* Who watches a topic, by its level or else its space's. */
int notice_watchers(struct req *r, int64_t topic_id, int64_t space_id, int64_t **ids, size_t *n);

/* The caller's notices below id before (newest first), unread ones only when asked. */
int notices_list(struct req *r, int64_t before, int64_t limit, bool unread_only,
                 struct notice **out, size_t *n);
struct unread_in_space {
    int64_t space_id, count;
};
int notices_unread(struct req *r, struct unread_in_space **out, size_t *n);
/* Mark one notice of the caller's read (E_NOTFOUND when none unread by that id), or all. */
int notice_read(struct req *r, int64_t id);
int notices_read_all(struct req *r, int64_t *changed);

#endif
