/*
 * Chat's data: channels (a space's, and direct conversations), their
 * members, messages and each reader's place in each channel. The only
 * code of the feature that talks to the database. Access is the caller's
 * to check first (chat_open() in chat_int.h): these functions load and
 * write what they are told. Every write runs in one transaction with its
 * activity row and its live event (feature/live).
 */
#ifndef PRAXIS_FEATURE_CHAT_MODEL_H
#define PRAXIS_FEATURE_CHAT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/chat/rules.h"

struct req;
struct space;
struct post_text;

struct channel {
    int64_t id;
    int64_t space_id; /* 0 for a direct conversation */
    struct str space_slug;
    enum chat_kind kind;
    struct str name; /* empty for a direct conversation */
    bool read_only;
    int64_t created_by; /* 0 when none or gone */
    struct str creator_handle, creator_name;
    int64_t created_at, last_message_at; /* 0: no message yet */
    /* The reader's own, 0 for anonymous readers. */
    bool is_member; /* in chat_members: a private channel's or a conversation's */
    int64_t last_read;
    int64_t unread; /* messages after last_read, not deleted, not the reader's */
};

struct chat_person {
    int64_t id;
    struct str handle, name;
};

struct chat_message {
    int64_t id, channel_id;
    int64_t author_id; /* 0 once the author's account is gone */
    struct str author_handle, author_name;
    struct str body, html;                     /* empty once deleted */
    int64_t created_at, edited_at, deleted_at; /* 0 when not edited, not deleted */
    struct str deleted_by;                     /* the handle of who deleted it */
    int64_t topic_id;                          /* the topic it continues in; 0 none */
    struct str topic_title;
};

/* A channel with the reader's standing in it; E_NOTFOUND. */
int chat_channel_load(struct req *r, int64_t id, struct channel *out);
/*
 * A space's channels the reader may see: the general one first, then the
 * others by name; private ones only when the reader is in them.
 */
int chat_channels_of_space(struct req *r, int64_t space_id, struct channel **out, size_t *n);
/* The reader's direct conversations, the latest first (at most CHAT_DMS_LISTED). */
int chat_dms_of_reader(struct req *r, struct channel **out, size_t *n);
/* The people of a private channel or a conversation, by name. */
int chat_members_of(struct req *r, int64_t channel_id, struct chat_person **out, size_t *n);
/* Some people: a conversation's. */
struct chat_people {
    struct chat_person *people;
    size_t n, cap;
};
/* The people of every conversation in dms[0..n) at once: (*out)[i] for dms[i]. */
int chat_dm_people(struct req *r, const struct channel *dms, size_t n, struct chat_people **out);

/*
 * The space's general channel, made now if it has none yet (spaces made
 * after the migration get theirs on first use): *id gets its id.
 */
int chat_general_ensure(struct req *r, int64_t space_id, int64_t *id);

/*
 * Open a channel in s named name (its key made by chat_name_key()), kind
 * public or private; a private one has the caller and members[0..n) in it.
 * E_CONFLICT when the space has a channel of that name.
 */
int chat_channel_create(struct req *r, const struct space *s, enum chat_kind kind, struct str name,
                        const int64_t *members, size_t n, int64_t *id);
/* Save a channel's name and whether it is read-only. */
int chat_channel_update(struct req *r, const struct channel *c, struct str name, bool read_only);
/* Add people to a private channel (those in it already stay as they are). */
int chat_members_add(struct req *r, const struct channel *c, const int64_t *ids, size_t n);
/*
 * The direct conversation of the people ids[0..n) (the caller among
 * them; sorted in place): found, or made with *created set.
 */
int chat_dm_open(struct req *r, int64_t *ids, size_t n, int64_t *id, bool *created);

/* Newest first: at most limit messages of a channel with ids below before (0: from the newest). */
int chat_messages_before(struct req *r, int64_t channel_id, int64_t before, int64_t limit,
                         struct chat_message **out, size_t *n);
int chat_message_load(struct req *r, int64_t id, struct chat_message *out);
/* The caller writes in c; the message counts as read for them. */
int chat_message_post(struct req *r, const struct channel *c, const struct post_text *text,
                      int64_t *id);
/* The author's new words; E_CONFLICT once deleted. */
int chat_message_edit(struct req *r, const struct channel *c, const struct chat_message *m,
                      const struct post_text *text);
/* Leave a tombstone: the words go; who wrote it, when, and who deleted it stay. */
int chat_message_delete(struct req *r, const struct channel *c, const struct chat_message *m);
/*
 * Start a topic in s from a message (its first post text) and link the
 * message to it; E_CONFLICT when it continues in a topic already.
 */
int chat_message_to_topic(struct req *r, const struct channel *c, const struct space *s,
                          const struct chat_message *m, struct str title,
                          const struct post_text *text, int64_t *topic_id, int64_t *post_id);

/* The newest message id of a channel (0 when none). */
int chat_latest_id(struct req *r, int64_t channel_id, int64_t *id);
/* The caller has read c up to message_id (never backwards). */
int chat_mark_read(struct req *r, const struct channel *c, int64_t message_id);

#endif
