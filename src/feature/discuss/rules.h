/*
 * The rules of discussions: the kinds of topic and reaction, watch levels,
 * tags and list cursors. Pure functions, unit-tested in
 * tests/unit/t_discuss.c. A rule_ check returns NULL when the value is
 * fine, else what is wrong, to follow the field's name.
 */
#ifndef PRAXIS_FEATURE_DISCUSS_RULES_H
#define PRAXIS_FEATURE_DISCUSS_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

struct arena;

#define TOPIC_TITLE_MAX   200   /* characters */
#define POST_BODY_MAX     20000 /* characters of Markdown */
#define TAG_MAX           30    /* characters in one tag */
#define TAGS_MAX          5     /* tags on one topic */
#define DELETE_REASON_MAX 500   /* characters */
#define PAGE_TOPICS       25    /* topics in one page of a list */
#define PAGE_POSTS        50    /* posts in one page of a topic */

enum topic_kind { TOPIC_DISCUSSION, TOPIC_QUESTION, TOPIC_ANNOUNCEMENT, TOPIC_SUMMARY, TOPIC__MAX };
enum reaction_kind { REACT_LIKE, REACT_THANKS, REACT_INSIGHTFUL, REACT_HELPED, REACT__MAX };
enum watch_level { WATCH_NORMAL, WATCH_WATCHING, WATCH_MUTED, WATCH__MAX };
enum topic_filter { FILTER_LATEST, FILTER_UNANSWERED, FILTER_TAG, FILTER__MAX };

/* Names as the API and the database spell them; parse gives __MAX for an unknown name. */
const char *topic_kind_name(enum topic_kind k);
enum topic_kind topic_kind_parse(struct str s);
const char *reaction_kind_name(enum reaction_kind k);
/* "Like", "Thanks", "Insightful", "This helped me": for people. */
const char *reaction_kind_label(enum reaction_kind k);
enum reaction_kind reaction_kind_parse(struct str s);
const char *watch_level_name(enum watch_level l);
enum watch_level watch_level_parse(struct str s);
const char *topic_filter_name(enum topic_filter f);
enum topic_filter topic_filter_parse(struct str s);

/* A topic's title (already trimmed): 1 to TOPIC_TITLE_MAX characters on one line. */
const char *rule_title(struct str title);

/*
 * A tag as written ("Assessment", " peer review ") made canonical into the
 * arena: trimmed, ASCII letters lower-cased, runs of spaces made one '-'.
 * NULL when fine (*out set), else what is wrong: empty, over TAG_MAX
 * characters, or holding anything but letters, digits and '-' (letters
 * beyond ASCII are kept as they are).
 */
const char *rule_tag(struct arena *a, struct str tag, struct str *out);

/*
 * A list cursor: where the last page ended, as "KEY.ID" (both decimal,
 * non-negative). cursor_format() writes one into the arena.
 */
struct cursor {
    int64_t key, id;
};
bool cursor_parse(struct str s, struct cursor *out);
struct str cursor_format(struct arena *a, struct cursor c);

#endif
