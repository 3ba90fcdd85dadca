/*
 * Discussions' data: topics, posts, revisions, tags, reactions, watching
 * and read state. The only code of the feature that talks to the database.
 * Access is the caller's to check first (spaces_open_id() on the topic's
 * space): these functions load and write what they are told.
 */
#ifndef PRAXIS_FEATURE_DISCUSS_MODEL_H
#define PRAXIS_FEATURE_DISCUSS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/discuss/rules.h"
#include "view/markdown.h"

struct post_dress;

/* A post's JSON around accepted and each reaction's mine: discuss_post_json_keep(). */
#define POST_JSON_PARTS (REACT__MAX + 2)

struct req;
struct space;

struct topic {
    int64_t id, space_id;
    int64_t author_id; /* 0 once the author's account is gone */
    struct str author_handle, author_name;
    enum topic_kind kind;
    struct str title;
    bool pinned;
    int64_t accepted_post_id; /* 0 when none */
    int64_t posts_count;      /* tombstones included */
    int64_t last_number;      /* the highest post number */
    int64_t last_post_at, created_at;
    struct str last_handle, last_name; /* who wrote the latest post */
    int64_t last_read;                 /* the reader's highest read number; 0 never opened */
    enum watch_level watch;            /* the reader's own level for this topic */
    bool watch_set;                    /* whether the reader set one (else the space's holds) */
    enum watch_level space_watch;      /* the reader's level for its space (topic_load() only) */
    struct str *tags;
    size_t ntags;
    int64_t version, people_version; /* what its pages' posts are kept by (cache.c) */
};

/* Who reacted to a post with one kind. */
struct reaction_set {
    int64_t count;
    int64_t *user_ids;
    struct str *handles, *names;
    size_t cap;
};

/* Whether user_id (0: nobody) is among a set's reactors. */
bool reaction_by(const struct reaction_set *set, int64_t user_id);

struct post {
    int64_t id, topic_id, space_id, number;
    int64_t reply_to, reply_to_number; /* 0 when not a reply */
    int64_t author_id;
    struct str author_handle, author_name;
    struct str body, html;
    int64_t revision, created_at, edited_at, deleted_at; /* 0 when not edited, not deleted */
    struct str deleted_by, delete_reason;
    struct reaction_set reactions[REACT__MAX];
    struct str body_json, html_json; /* both as JSON strings, once a kept page has them */
    const struct post_dress *dress;  /* what a topic page shows of it, once a kept page has it */
    struct str json_parts[POST_JSON_PARTS]; /* its JSON but accepted and mine, likewise */
};

struct revision {
    int64_t revision, created_at;
    struct str body, html;
};

/* A new post's content, rendered, with the people it mentions. */
struct post_text {
    struct str body;
    struct html html;
    struct markdown_mentions mentions;
};

int topic_load(struct req *r, int64_t id, struct topic *out);

/*
 * A page of a space's topics: pinned ones first (first page only, no
 * cursor), then by filter, below the cursor (NULL for the first page).
 * *next is set when there may be more.
 */
int topics_list(struct req *r, int64_t space_id, enum topic_filter f, struct str tag,
                const struct cursor *after, struct topic **out, size_t *n, struct cursor *next,
                bool *more);

/* Make a topic and its first post; the author watches it. */
int topic_create(struct req *r, const struct space *s, enum topic_kind kind, struct str title,
                 const struct str *tags, size_t ntags, const struct post_text *text,
                 int64_t *topic_id, int64_t *post_id);
/* The same inside the caller's transaction (a follow-up publishes its summary topic so). */
int topic_create_in(struct req *r, const struct space *s, enum topic_kind kind, struct str title,
                    const struct str *tags, size_t ntags, const struct post_text *text,
                    int64_t *topic_id, int64_t *post_id);
/* Change the title, the tags (when tags is not NULL) and whether it is pinned. */
int topic_update(struct req *r, const struct topic *t, struct str title, const struct str *tags,
                 size_t ntags, bool pinned);
/* Mark post_id (of the topic) the accepted answer, or none with 0; notifies. */
int topic_accept(struct req *r, const struct space *s, const struct topic *t,
                 const struct post *answer);

/*
 * Posts numbered above after, at most limit, with their reactions: one page
 * of a topic, from the node's memory when t's versions say it holds them
 * still (cache.c). Shared and read-only; valid until r ends.
 */
int posts_page(struct req *r, const struct topic *t, int64_t after, int64_t limit,
               const struct post **out, size_t *n);
/* A post without its reactions (most callers check who wrote it, or where it is). */
int post_load(struct req *r, int64_t id, struct post *out);
/* Fill a loaded post's reactions. */
int post_load_reactions(struct req *r, struct post *p);
/* Reply in a topic (reply_to NULL for none); notifies. */
int post_create(struct req *r, const struct space *s, const struct topic *t,
                const struct post *reply_to, const struct post_text *text, int64_t *id,
                int64_t *number);
/* Keep the current version as a revision and save the new one. */
int post_edit(struct req *r, const struct post *p, const struct post_text *text);
/* Leave a tombstone: the words, revisions and reactions go; who, when and why stay. */
int post_delete(struct req *r, const struct post *p, struct str reason);
/* Earlier versions, oldest first (the current one is the post itself). */
int post_revisions(struct req *r, int64_t post_id, struct revision **out, size_t *n);

/* Add the reaction, or take it back when the caller had it; *on says which. */
int reaction_toggle(struct req *r, const struct space *s, const struct post *p,
                    enum reaction_kind kind, bool *on);

/* Set the caller's level on a topic, or on a space (topic_id 0). */
int watch_set(struct req *r, int64_t space_id, int64_t topic_id, enum watch_level level);
/* The caller's own level on a space (WATCH_NORMAL when none set). */
int watch_of_space(struct req *r, int64_t space_id, enum watch_level *out);
/* Record that the caller has read the topic up to number (never backwards). */
int topic_mark_read(struct req *r, const struct topic *t, int64_t number);

#endif
