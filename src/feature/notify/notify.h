/*
 * Notifications in the app: who is told of what, kept in the notifications
 * table, listed at /notifications and GET /api/v1/notifications, counted in
 * the page shell. (Mail comes later and reads the same rows.)
 *
 * A person is told only of what they may see: every notice is checked by
 * the one policy when it is made, and again when it is listed or counted,
 * so leaving a private space takes its notices with it.
 */
#ifndef PRAXIS_FEATURE_NOTIFY_H
#define PRAXIS_FEATURE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "http/http.h"

struct notice;
struct space;

/* A live stream's unread count stops here; pages show "99+" from 100 on. */
#define NOTIFY_COUNT_MAX 100

extern const struct feature feature_notify;

/* Ordered by strength: of several reasons to tell someone of one post, the first wins. */
enum notice_kind {
    NOTICE_MENTION,  /* @handle in a post */
    NOTICE_REPLY,    /* a reply to one of my posts */
    NOTICE_ANSWERED, /* a new post in my question */
    NOTICE_WATCHED,  /* a new post in a topic or space I watch */
    NOTICE_ACCEPTED, /* an answer accepted: to its writer, and to the asker if someone else did */
    NOTICE_REACTION, /* reactions on my post, grouped while unread */
    NOTICE__MAX
};

const char *notice_kind_name(enum notice_kind k);

/*
 * A new post, inside the writer's transaction: tell the mentioned, the
 * author of the post replied to, the asker of a question, and the watchers,
 * each once, with the strongest reason; never the writer, nobody who muted
 * the topic or space, nobody who may not read the space.
 */
int notify_new_post(struct req *r, const struct space *s, int64_t topic_id, int64_t post_id,
                    int64_t reply_author, int64_t asker, const struct str *mentions,
                    size_t nmentions);
/* One notice to one person, with the same checks (reactions grouped). */
int notify_one(struct req *r, const struct space *s, enum notice_kind kind, int64_t user_id,
               int64_t topic_id, int64_t post_id);
/*
 * A page of the caller's notices below id before (INT64_MAX for the first),
 * only those in spaces they may still read; *next is the cursor for the
 * next page, 0 at the end.
 */
int notify_visible_list(struct req *r, int64_t before, bool unread_only, struct notice **out,
                        size_t *n, int64_t *next);
/* The caller's unread notices in spaces they may still read. */
int notify_unread_count(struct req *r, int64_t *n);

#endif
