/*
 * The rules of events: names of modes, statuses and answers, local times as
 * people write them, reminders, join links, the check-in code, and how the
 * answers to an event make "going", "waitlisted" and counts for one
 * occurrence. Pure functions (no database, no libical), unit-tested in
 * tests/unit/t_events.c. A rule_ check returns NULL when the value is fine,
 * else what is wrong, to follow the field's name.
 */
#ifndef PRAXIS_FEATURE_EVENTS_RULES_H
#define PRAXIS_FEATURE_EVENTS_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct arena;

#define EVENT_TITLE_MAX      200     /* characters */
#define EVENT_TEXT_MAX       20000   /* characters of Markdown: description, agenda */
#define EVENT_LOCATION_MAX   300     /* characters */
#define EVENT_URL_MAX        2000    /* bytes of a join link */
#define EVENT_TZ_MAX         64      /* bytes of an IANA zone name */
#define EVENT_RRULE_MAX      500     /* bytes of an RRULE */
#define EVENT_HOSTS_MAX      10      /* hosts besides the creator */
#define EVENT_REMINDERS_MAX  5       /* reminders per event */
#define EVENT_REMINDER_MIN   5       /* minutes before the start, at the least */
#define EVENT_REMINDER_TOP   43200   /* and at the most: 30 days */
#define EVENT_DURATION_MAX   2678400 /* seconds one occurrence may last: 31 days */
#define EVENT_YEAR_MIN       2000    /* the years an event may start in */
#define EVENT_YEAR_MAX       2099
#define EVENT_WINDOW_MAX     ((int64_t)400 * 86400) /* seconds of one expanded window */
#define EVENT_OCCURRENCES    1000                   /* occurrences in one expanded window */
#define CHECKIN_CODE_LEN     6
#define CHECKIN_OPENS_BEFORE ((int64_t)30 * 60) /* seconds before the start the code is taken */
#define CHECKIN_CLOSES_AFTER ((int64_t)15 * 60) /* seconds after the end it still is */

enum event_mode { MODE_IN_PERSON, MODE_ONLINE, MODE_HYBRID, MODE__MAX };
enum event_status { EVENT_CONFIRMED, EVENT_CANCELLED, EVENT_STATUS__MAX };
/* What a person answered; WAITLISTED is never stored: it is "going" over capacity. */
enum rsvp_status { RSVP_GOING, RSVP_MAYBE, RSVP_NOT_GOING, RSVP_WAITLISTED, RSVP__MAX };
/* How someone attended: the check-in's or the host's word. */
enum attend_mode { ATTEND_IN_PERSON, ATTEND_ONLINE, ATTEND__MAX };

/* Names as the API and the database spell them; parse gives __MAX for an unknown name. */
const char *event_mode_name(enum event_mode m);
enum event_mode event_mode_parse(struct str s);
const char *event_status_name(enum event_status s);
enum event_status event_status_parse(struct str s);
const char *rsvp_status_name(enum rsvp_status s);
/* Only the three answers a person gives: "waitlisted" is not one. */
enum rsvp_status rsvp_status_parse(struct str s);
const char *attend_mode_name(enum attend_mode m);
enum attend_mode attend_mode_parse(struct str s);

/* A wall-clock time in some zone, as written: no offset. */
struct local_time {
    int year, month, day, hour, minute, second;
};

/*
 * Read "2026-12-10T18:00" or "2026-12-10T18:00:30" (a space may stand for
 * the T). NULL when fine, else what is wrong: the shape, an offset or "Z"
 * (the zone is given apart), a day the month has not, a year out of
 * EVENT_YEAR_MIN..EVENT_YEAR_MAX.
 */
const char *rule_local_time(struct str s, struct local_time *out);
/* "2026-12-10T18:00:00" into out (at least 20 bytes). */
void local_time_format(struct local_time t, char out[20]);
/* Seconds since 1970 as if the local time were UTC: to compare and to do sums with. */
int64_t local_time_seconds(struct local_time t);
/* The inverse of local_time_seconds(). */
struct local_time local_time_from_seconds(int64_t s);
/* Days in a month of a year (1..12). */
int days_in_month(int year, int month);

/*
 * Read a moment: unix seconds ("1796000000") or RFC 3339 with "Z" or an
 * offset ("2026-12-10T17:00:00Z", "2026-12-10T18:00:00+01:00"; seconds
 * optional, a fraction of one dropped). false when it is neither.
 */
bool parse_moment(struct str s, int64_t *out);

/* A title: 1 to EVENT_TITLE_MAX characters on one line. */
const char *rule_event_title(struct str title);
/* A place: up to EVENT_LOCATION_MAX characters on one line (may be empty). */
const char *rule_location(struct str location);
/* A join link: an http or https URL without spaces or control characters (may be empty). */
const char *rule_join_url(struct str url);
/* In person needs a place, online a join link, hybrid both; field names what is missing. */
const char *rule_mode_needs(enum event_mode m, struct str location, struct str join_url,
                            const char **field);
/* A zone name's shape (segments of letters, digits, _ + - joined by '/'): not whether it exists. */
bool zone_name_ok(struct str tz);

/*
 * Reminders: minutes before the start, each EVENT_REMINDER_MIN to
 * EVENT_REMINDER_TOP, at most EVENT_REMINDERS_MAX; duplicates dropped and
 * the rest sorted from the earliest (the largest offset). NULL when fine.
 */
const char *rule_reminders(const int64_t *in, size_t n, int *out, size_t *nout);

/*
 * The check-in code alphabet: capital letters and digits without the ones
 * people confuse (0 O, 1 I L), so a code read aloud or off a screen is
 * typed right.
 */
extern const char checkin_alphabet[];
/*
 * The code of one occurrence from a keyed hash of it (the caller makes the
 * hash: 32 bytes): CHECKIN_CODE_LEN characters of checkin_alphabet plus NUL.
 */
void checkin_code_from_hash(const unsigned char hash[32], char out[CHECKIN_CODE_LEN + 1]);
/*
 * What a person typed, made comparable: spaces and dashes dropped, letters
 * upper-cased. false when it cannot be a code (wrong length, a character
 * outside the alphabet); then out holds nothing useful.
 */
bool checkin_code_normal(struct str typed, char out[CHECKIN_CODE_LEN + 1]);

/*
 * Answers to an event, as stored: one per person for the series
 * (occurrence 0) and one per person per occurrence that differs.
 */
struct rsvp_row {
    int64_t id, user_id;
    int64_t occurrence; /* 0 for the series */
    enum rsvp_status status;
    int64_t queued_us; /* when they asked to go (unix microseconds): their place in line */
    bool counts;       /* still in the space: those who left count for nothing */
    struct str handle, name, email, timezone;
};

/* One person's answer for one occurrence, once the series and the occurrence are merged. */
struct rsvp_place {
    const struct rsvp_row *row;
    enum rsvp_status status; /* GOING or WAITLISTED for those who asked to go */
    int64_t position;        /* in the waiting list, from 1; 0 when not waiting */
};

struct rsvp_tally {
    int64_t going, maybe, not_going, waitlisted;
};

/*
 * Merge the answers for one occurrence: each person's answer for it, else
 * their answer for the series; people who left are not counted. Those who
 * asked to go are taken in the order they asked (queued_us, then id): the
 * first capacity (negative: no limit) are going, the rest waitlisted.
 * rows must be sorted by occurrence, then user. *out (may be NULL when not
 * wanted) is in the arena, in the order: going, waitlisted, maybe, not going.
 */
void rsvp_resolve(struct arena *a, const struct rsvp_row *rows, size_t n, int64_t occurrence,
                  int64_t capacity, struct rsvp_place **out, size_t *nout, struct rsvp_tally *t);
/* The place of user_id among places, or NULL when they did not answer. */
const struct rsvp_place *rsvp_find(const struct rsvp_place *places, size_t n, int64_t user_id);

#endif
