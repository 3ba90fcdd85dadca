/*
 * Discussions: topics and posts in any space, visible exactly as their
 * space is. The API lives in discuss.c; the pages (pages.c) share its
 * steps below, so a rule is written once for both.
 *
 * Each discuss_ step checks what it is given (policy, then input), names
 * the field at fault with req_fail() and returns 0 or an enum err.
 */
#ifndef PRAXIS_FEATURE_DISCUSS_H
#define PRAXIS_FEATURE_DISCUSS_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/discuss/model.h"
#include "feature/spaces/spaces.h"
#include "http/http.h"

struct json;

extern const struct feature feature_discuss;

/*
 * Load a topic (or a post and its topic) and its space, with the policy's
 * answer for act on that space: 404 "there is no such topic/post" for
 * whoever may not read it, as if it did not exist.
 */
int discuss_open_topic(struct req *r, int64_t id, enum action act, struct topic *t,
                       struct space *s);
int discuss_open_post(struct req *r, int64_t id, enum action act, struct post *p, struct topic *t,
                      struct space *s);

/* Render a post's Markdown (field names the input) and find its mentions. */
int discuss_prepare_text(struct req *r, const char *field, struct str body, struct post_text *out);
/* Canonical tags, duplicates dropped, at most TAGS_MAX ("tags"). */
int discuss_prepare_tags(struct req *r, const struct value *v, struct str **tags, size_t *n);
/* The kind a new topic asks for (empty: discussion); announcements are facilitators'. */
int discuss_topic_kind_in(struct req *r, struct str name, const struct space *s,
                          enum topic_kind *kind);
/* The list inputs at those field indexes: filter, tag (implies filter=tag), cursor. */
int discuss_list_in(struct req *r, size_t filter_i, size_t tag_i, size_t cursor_i,
                    enum topic_filter *f, struct str *tag, struct cursor *c, bool *has_cursor);
int discuss_watch_level_in(struct req *r, struct str name, enum watch_level *level);

/* The caller replies in a topic they may post in (reply_to 0 for none). */
int discuss_reply(struct req *r, const struct space *s, const struct topic *t, int64_t reply_to,
                  struct str body, int64_t *id, int64_t *number);
/* The author edits their post. */
int discuss_edit(struct req *r, const struct post *p, struct str body);
/* The author, or a facilitator with a reason, deletes a post. */
int discuss_delete(struct req *r, const struct space *s, const struct post *p, struct str reason);
/* Toggle a reaction by name on someone else's post. */
int discuss_react(struct req *r, const struct space *s, const struct post *p, struct str name,
                  bool *on);
/* The asker or a facilitator accepts post_id as the answer (0 takes it back). */
int discuss_accept(struct req *r, const struct space *s, const struct topic *t, int64_t post_id);

/* Posts the reader has not read: all of them in a topic never opened. */
int64_t topic_unread(const struct topic *t);

void discuss_topic_json(struct json *j, const struct topic *t, const struct space *s);
/* Answer 201 {"topic":{…},"post":{…}} for a topic just made (its first post). */
int discuss_topic_created(struct req *r, struct resp *w, const struct space *s, int64_t topic_id,
                          int64_t post_id);
/* A post; t (may be NULL) tells whether it is the accepted answer, reader whose reactions are
 * "mine". */
void discuss_post_json(struct json *j, const struct post *p, const struct topic *t, int64_t reader);
/*
 * Write p's JSON once into a, as the parts between what depends on the topic
 * and the reader (accepted, each reaction's mine), for a kept page: then
 * discuss_post_json() joins the parts (left empty, for the whole to be
 * written each time, should it not fit LIMIT_PAGE).
 */
void discuss_post_json_keep(struct arena *a, struct post *p);

#endif
