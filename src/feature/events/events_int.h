/*
 * What the API (events.c) shares with the pages (pages.c): the inputs of
 * each action as route fields, and each action as a step that reads them,
 * checks policy-independent rules, names the field at fault with
 * req_fail() and writes. A page route declares the same fields (with
 * ROUTE_OWN_ERRORS, to show the form again) and calls the same step, so a
 * rule is written once for both.
 */
#ifndef PRAXIS_FEATURE_EVENTS_INT_H
#define PRAXIS_FEATURE_EVENTS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/events/events.h"

/* An event's inputs, in this order in every route that takes them. */
enum {
    EF_TITLE,
    EF_DESCRIPTION,
    EF_AGENDA,
    EF_STARTS_AT,
    EF_ENDS_AT,
    EF_TZ,
    EF_MODE,
    EF_LOCATION,
    EF_JOIN_URL,
    EF_CAPACITY, /* FIELD_INT in the API; FIELD_TEXT in a form, where empty means no limit */
    EF_RRULE,
    EF_HOSTS,
    EF_STATUS,
    EF__MAX
};
extern const struct field events_api_fields[EF__MAX];

/*
 * Fill e from the request's event fields over what it holds (a new
 * event's defaults, or the event as it is), checking each and recording
 * every problem against its field. reminders and occurrence-free inputs
 * ("null" in JSON) are read by name. *hosts (in the arena) gets the extra
 * hosts named, when *hosts_given; *bump whether calendars must hear of the
 * change. 0 or E_INVAL.
 */
int events_read(struct req *r, const struct space *s, bool create, struct event *e, int64_t **hosts,
                size_t *nhosts, bool *hosts_given, bool *bump);

/* Cancel or restore one occurrence: {occurrence, cancelled?}. */
enum { EX_CANCELLED, EX__MAX };
extern const struct field events_exception_fields[EX__MAX];
int events_set_exception(struct req *r, const struct event *e);

/* The caller answers: {status, occurrence?}; *o and *given say for which occurrence. */
enum { RS_STATUS, RS__MAX };
extern const struct field events_rsvp_fields[RS__MAX];
int events_rsvp(struct req *r, const struct event *e, struct occurrence *o, bool *given,
                enum rsvp_status *status, size_t *nmoved);

/* The caller checks in: {code, mode?, occurrence?}; w answers 429 when they guessed too often. */
enum { CI_CODE, CI_MODE, CI__MAX };
extern const struct field events_checkin_fields[CI__MAX];
int events_checkin(struct req *r, struct resp *w, const struct event *e, struct occurrence *o,
                   enum attend_mode *mode);
/* The occurrence (not cancelled) whose check-in is open at now; false when none is. */
bool events_checkin_now(struct req *r, const struct event *e, int64_t now, struct occurrence *out);

/* A host marks someone: {handle, mode?, present?, occurrence}. */
enum { AP_HANDLE, AP_MODE, AP_PRESENT, AP__MAX };
extern const struct field events_attendance_fields[AP__MAX];
int events_mark(struct req *r, const struct space *s, const struct event *e, struct occurrence *o);

#endif
