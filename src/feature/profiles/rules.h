/*
 * The rules a profile's fields follow: name, bio, time zone and the three
 * lists of interests. Pure functions over their input (the time zone check
 * also reads the system's tz database), unit-tested in
 * tests/unit/t_profiles.c.
 *
 * Each rule_ check returns NULL when the value is fine, else what is wrong,
 * in lower case, to follow the field's name ("bio is longer than ...").
 */
#ifndef PRAXIS_FEATURE_PROFILES_RULES_H
#define PRAXIS_FEATURE_PROFILES_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

struct arena;

#define PROFILE_NAME_MAX   80   /* characters; the same as at sign-up */
#define PROFILE_BIO_MAX    2000 /* characters of Markdown, line breaks counted as one */
#define TIMEZONE_MAX       64   /* bytes of an IANA name; the longest today is 32 */
#define INTEREST_LABEL_MAX 60   /* characters in one interest */
#define INTERESTS_MAX      20   /* interests of one kind */

/* Debian's tzdata package installs the database here. */
#define ZONEINFO_DIR "/usr/share/zoneinfo"

enum interest_kind { INTEREST_HELP, INTEREST_LEARN, INTEREST_INTEREST, INTEREST__MAX };

/* "help", "learn" or "interest": the name in the API and the database. */
const char *interest_kind_name(enum interest_kind k);
/* "interests.help" and so on: the name errors are reported under. */
const char *interest_field_name(enum interest_kind k);
/* The kind called name, or -1. */
int interest_kind_parse(struct str name);

/* A person's name: trimmed, 1 to PROFILE_NAME_MAX characters, no control characters. */
const char *rule_profile_name(struct str name);
/* A bio: at most PROFILE_BIO_MAX characters (after newline_normal()); may be empty. */
const char *rule_bio(struct str bio);
/*
 * A time zone: an IANA name (segments of A-Z a-z 0-9 _ + -, joined by '/')
 * that names a TZif file under ZONEINFO_DIR. The "posix/" and "right/"
 * copies and aliases of the local zone ("localtime", "posixrules") are
 * refused: they are not names other people's clocks know.
 */
const char *rule_timezone(struct str tz);

/*
 * text with every CR LF and lone CR turned into LF, the way browsers count
 * a textarea's length; in the arena (or text itself when it has no CR).
 */
struct str newline_normal(struct arena *a, struct str text);

/*
 * One list of interests being built from input: labels as typed (trimmed,
 * runs of white space made one space) and their keys (the label lower-cased,
 * for duplicates and search). Zero-initialise it before the first add.
 */
struct interest_list {
    struct str label[INTERESTS_MAX];
    struct str key[INTERESTS_MAX];
    size_t n;
};

/*
 * Add raw to the list: normalised, checked, and skipped when its key is
 * there already (case-insensitive duplicates keep the first spelling). The
 * strings live in the arena. NULL, or what is wrong with the list: an empty
 * entry, one over INTEREST_LABEL_MAX characters, control characters, or a
 * 21st distinct entry. The list is unchanged on error.
 */
const char *interest_add(struct arena *a, struct interest_list *l, struct str raw);

/*
 * The lower-case form of a label for comparing: ASCII, Latin-1, Latin
 * Extended-A, Greek and Cyrillic letters are folded; other characters are
 * kept. s must be valid UTF-8. In the arena, never longer than s.
 */
struct str interest_key(struct arena *a, struct str s);

#endif
