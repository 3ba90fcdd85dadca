/*
 * iCalendar (RFC 5545) output: a VCALENDAR of events, built and written by
 * libical (lines end in CRLF, are folded at 75 octets without splitting a
 * UTF-8 character, and TEXT values are escaped), with one VTIMEZONE per
 * zone the events use, taken from the system's zoneinfo through libical
 * and cut to the years the events need.
 *
 * Times are written as local times with TZID=<IANA name> (an event at
 * 18:00 in Europe/Paris stays at 18:00 there across DST), except in UTC,
 * which is written with "Z" and needs no VTIMEZONE.
 */
#ifndef PRAXIS_FEATURE_EVENTS_ICAL_H
#define PRAXIS_FEATURE_EVENTS_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/events/rules.h"

struct buf;

/* One VEVENT: a whole event (with its rule), or one occurrence of it. */
struct ics_item {
    struct str uid, summary, description, location, url;
    struct str tz;
    /*
     * The first occurrence's start and end, local in tz; for a single
     * occurrence (recurrence_id set), that occurrence's.
     */
    struct local_time start, end;
    int64_t start_utc;      /* start in UTC, to cut the VTIMEZONE */
    struct str rrule;       /* canonical (see rule_rrule()); empty when none */
    const int64_t *exdates; /* UTC starts of the occurrences cancelled */
    size_t nexdates;
    int64_t recurrence_id; /* 0 for the whole event; else the occurrence's UTC start */
    bool cancelled;
    int64_t sequence;
    int64_t created, modified; /* unix seconds; DTSTAMP is modified */
};

/*
 * Append a VCALENDAR holding the items to out. name (may be empty) becomes
 * X-WR-CALNAME, which calendar apps show for a subscribed feed. 0,
 * E_INVAL for an unknown zone or a rule that does not parse, E_TOOBIG when
 * out is full.
 */
int ics_calendar(struct buf *out, struct str name, const struct ics_item *items, size_t n);

#endif
