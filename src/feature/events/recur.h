/*
 * Time zones and recurrence, through libical: the one file of events that
 * speaks it for times (ical.c writes calendars). libical's zones come from
 * the system's zoneinfo on Debian (/usr/share/zoneinfo, package tzdata), so
 * they follow the system's updates.
 *
 * libical keeps zones and their expanded changes in process-wide tables it
 * fills lazily, without locks; every call here holds one mutex while it
 * uses libical. Calls are short (an expansion is bounded), so the lock is
 * never held long.
 *
 * An event happens at a wall-clock time in a zone: a weekly call at 18:00
 * in Europe/Paris stays at 18:00 there across daylight-saving changes, so
 * its UTC time moves. Recurrence is therefore expanded in local time, and
 * each local time is then placed in UTC by the zone's rules.
 */
#ifndef PRAXIS_FEATURE_EVENTS_RECUR_H
#define PRAXIS_FEATURE_EVENTS_RECUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/events/rules.h"

struct arena;

/* Start libical's side (errors not fatal). Safe to call more than once. */
void recur_init(void);

/* Whether tz names a zone the system knows ("UTC" included). */
bool recur_zone_known(struct str tz);
/* NULL when tz is a zone name the system knows, else what is wrong. */
const char *rule_zone(struct str tz);

/*
 * A local time in zone tz to UTC. A time that does not exist (skipped by
 * a change to summer time) is read with the offset in force before the
 * change, and a time that happens twice (the hour repeated in autumn)
 * means the first of them, as RFC 5545 (3.3.5) says. E_INVAL for an
 * unknown zone.
 */
int recur_to_utc(struct str tz, struct local_time lt, int64_t *out);
/* UTC to the local time in zone tz, and the offset from UTC in seconds (may be NULL). */
int recur_to_local(struct str tz, int64_t t, struct local_time *out, int *offset);

/* What to expand: an event's first occurrence, its zone and its rule. */
struct recur_spec {
    struct str tz;
    struct local_time start; /* the first occurrence's start, local */
    int64_t duration;        /* seconds */
    struct str rrule;        /* normalised by rule_rrule(); empty: it happens once */
    const int64_t *exdates;  /* UTC starts of cancelled occurrences: marked, not left out */
    size_t nexdates;
};

struct occurrence {
    int64_t start, end; /* UTC unix seconds; start names the occurrence */
    struct local_time start_local, end_local;
    bool cancelled; /* one of the spec's exdates */
};

/*
 * Check an RRULE for an event starting at start in zone tz, and make it
 * canonical into the arena (*out): upper case, without "RRULE:", UNTIL in
 * UTC. Refused with what is wrong: not a rule libical reads; more often
 * than daily (FREQ=SECONDLY, MINUTELY, HOURLY, or BYHOUR, BYMINUTE,
 * BYSECOND: an event keeps its time of day); COUNT over 5000; an INTERVAL
 * over 1000; an UNTIL before the start or after the year 2099; a rule
 * whose first occurrence is not the start (a Tuesday rule for a Monday
 * start); a rule that never happens.
 */
const char *rule_rrule(struct arena *a, struct str rrule, struct str tz, struct local_time start,
                       struct str *out);

/*
 * The occurrences that overlap [from, to) (start < to and end > from), in
 * order, at most max into out (the caller's array of max entries). *more
 * is set when there were more than max. 0, or E_INVAL when the spec cannot
 * be expanded (an unknown zone, a rule that no longer parses).
 */
int recur_expand(const struct recur_spec *spec, int64_t from, int64_t to, struct occurrence *out,
                 size_t max, size_t *n, bool *more);
/* The occurrence that starts at t exactly: 0, E_NOTFOUND when none does, E_INVAL as above. */
int recur_find(const struct recur_spec *spec, int64_t t, struct occurrence *out);
/*
 * The end of the last occurrence, or 0 when the rule repeats forever: an
 * index bound, so a window query skips events that are over.
 */
int recur_last_end(const struct recur_spec *spec, int64_t *out);

#endif
