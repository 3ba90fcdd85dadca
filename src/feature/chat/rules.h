/*
 * The rules of chat: the kinds of channel, the limits, a channel's name and
 * the key that keeps names unique in a space, and the key that makes a
 * direct conversation the same one again for the same people. Pure
 * functions, unit-tested in tests/unit/t_chat.c. A rule_ check returns
 * NULL when the value is fine, else what is wrong, to follow the field's
 * name.
 */
#ifndef PRAXIS_FEATURE_CHAT_RULES_H
#define PRAXIS_FEATURE_CHAT_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct arena;

#define CHAT_NAME_MAX   40   /* characters in a channel's name */
#define CHAT_BODY_MAX   4000 /* characters of Markdown in a message */
#define CHAT_PAGE       50   /* messages in one page of history */
#define CHAT_DM_PEOPLE  9    /* people in a direct conversation, the caller included */
#define CHAT_HANDLES    20   /* handles one request may name */
#define CHAT_DMS_LISTED 100  /* direct conversations in the caller's list */
#define CHAT_GENERAL    "general"

/*
 * general: every space has one, made the first time its chat is opened;
 * public: readable by whoever may read the space; private: by its members
 * only; direct: a conversation between a few people, outside any space.
 */
enum chat_kind {
    CHAT_KIND_GENERAL,
    CHAT_KIND_PUBLIC,
    CHAT_KIND_PRIVATE,
    CHAT_KIND_DIRECT,
    CHAT_KIND__MAX
};

/* Names as the API and the database spell them; parse gives __MAX for an unknown one. */
const char *chat_kind_name(enum chat_kind k);
enum chat_kind chat_kind_parse(struct str s);

/*
 * A channel's name (already trimmed): 1 to CHAT_NAME_MAX characters on one
 * line, without control characters, holding at least one letter or digit.
 */
const char *chat_rule_name(struct str name);

/*
 * The key that keeps a space's channel names unique, in the arena: ASCII
 * letters lower-cased, runs of spaces, '-' and '_' made one '-', a leading
 * '#' dropped. "Year 7 planning" and "year-7-Planning" are the same name.
 */
struct str chat_name_key(struct arena *a, struct str name);

/*
 * The key of a direct conversation between the people ids[0..n) (positive;
 * duplicates count once), in the arena: the ids in ascending order joined
 * by ',' ("3,7,12"). *people gets the number of distinct ids. ids is sorted
 * in place.
 */
struct str chat_dm_key(struct arena *a, int64_t *ids, size_t n, size_t *people);

#endif
