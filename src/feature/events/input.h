/*
 * Inputs of events that the router's declared fields cannot carry: a list
 * of numbers (reminders), a moment given as a number or as text
 * (occurrence), and an explicit null (capacity: null means no limit, where
 * leaving it out of a PATCH means no change). They are read from a JSON
 * body, a form, or the query string of a GET. Apart from events.c because
 * jansson's names clash with the JSON writer's (core/json.h).
 */
#ifndef PRAXIS_FEATURE_EVENTS_INPUT_H
#define PRAXIS_FEATURE_EVENTS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;

/*
 * The reminders: a JSON array of whole numbers (or of numeric strings), or
 * in a form one text of numbers split at commas. *given is false when
 * absent or null. At most 16 are read (the rules allow fewer); more, or
 * anything not a whole number, records a problem on "reminders" and
 * returns E_INVAL.
 */
int input_reminders(struct req *r, int64_t out[16], size_t *n, bool *given);

/*
 * A moment named name: a JSON number (unix seconds) or a text of unix
 * seconds or RFC 3339. *given is false when absent, null or empty; a
 * value that is neither records "must be unix seconds or an RFC 3339 time
 * like 2026-12-10T17:00:00Z" and returns E_INVAL.
 */
int input_moment(struct req *r, const char *name, int64_t *out, bool *given);

/* Whether a JSON body holds name with the value null. */
bool input_is_null(struct req *r, const char *name);

#endif
