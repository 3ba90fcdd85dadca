/*
 * What recur.c shares with ical.c, the other file that speaks libical:
 * the lock every libical call is made under, and zones and times in
 * libical's types. Every function here expects the lock held.
 */
#ifndef PRAXIS_FEATURE_EVENTS_RECUR_INT_H
#define PRAXIS_FEATURE_EVENTS_RECUR_INT_H

#include <libical/ical.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/events/rules.h"

/* Take and give back the one lock around libical (recur_lock() starts libical's side first). */
void recur_lock(void);
void recur_unlock(void);

/* The zone named tz (libical's UTC zone for "UTC"), or NULL when there is none. */
icaltimezone *recur_zone(struct str tz);
/* A local time as libical's floating time (no zone). */
struct icaltimetype recur_floating(struct local_time lt);
/* UTC t as a local time in zone z. */
struct local_time recur_at(icaltimezone *z, int64_t t);
/* A local time in zone z to UTC, as recur_to_utc() says. */
int64_t recur_utc(icaltimezone *z, struct local_time lt);
/* Read a canonical rule (rule_rrule()'s output); false when it does not parse. */
bool recur_parse_rule(struct str text, struct icalrecurrencetype *out);

#endif
