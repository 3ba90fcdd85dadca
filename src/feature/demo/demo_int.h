/*
 * Internals shared by the files of the demo: the state of one filling
 * (demo.c makes the people and spaces, discussions.c their topics), and the
 * vocabulary the generator of large instances writes with (scale.c,
 * vocab.c). Nothing outside src/feature/demo includes this.
 */
#ifndef PRAXIS_FEATURE_DEMO_INT_H
#define PRAXIS_FEATURE_DEMO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

struct config;
struct db;
struct demo_result;

#define MINUTE ((int64_t)60)
#define HOUR   ((int64_t)3600)
#define DAY    ((int64_t)24 * 3600)

/* Room for the demo's people and spaces (demo.c checks its tables fit). */
#define DEMO_PEOPLE_MAX 48
#define DEMO_SPACES_MAX 12

/* One run of demo_fill(), inside its transaction. */
struct fill {
    struct db *db;
    struct arena arena;
    int64_t now;
    const char *hash;
    const char *why; /* what went wrong when the database did not */
    int64_t user[DEMO_PEOPLE_MAX];
    int64_t signup[DEMO_PEOPLE_MAX];
    int64_t space[DEMO_SPACES_MAX];
    int64_t created[DEMO_SPACES_MAX];
    size_t creator[DEMO_SPACES_MAX];
    struct demo_result *out;
};

/* The index of a demo person or space; the demo's data naming an unknown one is a BUG(). */
size_t demo_person(struct str handle);
size_t demo_space(const char *slug);
const char *demo_handle(size_t p);
size_t demo_npeople(void);
/* Whether person p is in space s with any role. */
bool demo_in_space(size_t s, size_t p);
/* Whether person p is an owner or facilitator of space s. */
bool demo_moderates(size_t s, size_t p);

/* When person p joined space s (a time in the past). */
int64_t demo_join_at(const struct fill *f, size_t p, size_t s);
/* t, or ten minutes ago when t is later than that. */
int64_t demo_before_now(const struct fill *f, int64_t t);
/* An activity row at a given time; actor and space_id 0 for none. */
int demo_act(struct fill *f, int64_t actor, const char *verb, const char *type, int64_t object,
             int64_t space_id, int64_t at);

/* Where people sign in: the public URL, else the listen address; no '/' at the end. */
void demo_site_url(const struct config *cfg, char *out, size_t n);

/*
 * The discussions of the demo's spaces (discussions.c): topics, posts,
 * replies, edits, a deletion, reactions, accepted answers, watching, read
 * state and the notifications all that would have made. Needs the people
 * and spaces made first.
 */
int demo_discussions(struct fill *f);
/*
 * Its events (events.c): rituals kept and one cancelled, meetings to come,
 * answers, attendance, follow-ups.
 */
int demo_events(struct fill *f);
/*
 * Its chat (chat.c): every space's general channel, and a few channels and
 * a direct conversation of the main community with their messages.
 */
int demo_chat(struct fill *f);

/*
 * The words of generated text (vocab.c): lists by part of speech, each a
 * string of comma-separated words or phrases ordered from the most to the
 * least common, as the generator draws from it (Zipf-like), in one or two
 * parts (the second NULL when there is none; C bounds a literal's length).
 * Only letters, digits, '-' and spaces, so their Markdown needs no escaping.
 */
enum vocab_list {
    VOCAB_NOUN, /* general nouns of work and learning */
    VOCAB_NOUN_MATHS,
    VOCAB_NOUN_CARE, /* nursing */
    VOCAB_NOUN_LEAD, /* leading a school */
    VOCAB_VERB,      /* base form: "we ___ the ..." */
    VOCAB_PAST,      /* past tense: "the starter ___ the class" */
    VOCAB_ADJ,
    VOCAB_ADV,
    VOCAB_PREP,
    VOCAB_DET,
    VOCAB_SUBJECT,  /* "I", "we", "my colleagues" */
    VOCAB_OPENER,   /* "last week", "in my experience" */
    VOCAB_ASK,      /* "has anyone tried to": a question's start, before a verb */
    VOCAB_WHEN,     /* "every week", "before the exam" */
    VOCAB_CONJ,     /* "but", "because" */
    VOCAB_SYLLABLE, /* made into rare words: names of tools, places, schemes */
    VOCAB_FIRST,    /* people's first names */
    VOCAB_LAST,     /* and family names */
    VOCAB__MAX
};
extern const char *const vocab_text[VOCAB__MAX][2];

#endif
