/*
 * Events' data: events, hosts, cancelled occurrences, answers, attendance.
 * The only code of the feature that talks to the database. Access is the
 * caller's to check first (spaces_open_id() on the event's space, and
 * events_may_host() for hosts' actions): these functions load and write
 * what they are told.
 *
 * The readers take a connection and an arena, not a request, so code that
 * runs outside requests (jobs: reminders, follow-ups, the rhythm view) uses
 * them the same way; the writers take the request (for the actor, and the
 * activity row written in their transaction).
 */
#ifndef PRAXIS_FEATURE_EVENTS_MODEL_H
#define PRAXIS_FEATURE_EVENTS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/events/recur.h"
#include "feature/events/rules.h"

struct arena;
struct db;
struct req;
struct space;

struct event_host {
    int64_t user_id;
    struct str handle, name;
};

struct event {
    int64_t id, space_id;
    struct str uid; /* stable across changes: calendars know the event by it */
    struct str title, description, description_html, agenda, agenda_html;
    struct str tz;                            /* IANA name */
    struct local_time start_local, end_local; /* the first occurrence, local in tz */
    int64_t starts_at, ends_at;               /* the same in UTC */
    int64_t last_end_at;                      /* the last occurrence's end; 0: forever */
    enum event_mode mode;
    struct str location, join_url;
    int64_t capacity; /* -1: no limit */
    struct str rrule; /* canonical; empty when it happens once */
    int64_t *exdates; /* UTC starts of cancelled occurrences, in order */
    size_t nexdates;
    int reminders[EVENT_REMINDERS_MAX]; /* minutes before each start, earliest first */
    size_t nreminders;
    struct event_host *hosts; /* the creator first (when still a host), then by time added */
    size_t nhosts;
    enum event_status status;
    int64_t sequence;
    int64_t created_by; /* 0 once the account is gone */
    struct str creator_handle, creator_name;
    int64_t created_at, updated_at;
    struct str code_key; /* hex; makes the check-in codes, never shown */
};

/* The recurrence of an event, to expand it (points into e). */
struct recur_spec event_spec(const struct event *e);

/* An event with its hosts and cancelled occurrences; E_NOTFOUND. */
int event_load(struct db *db, struct arena *a, int64_t id, struct event *out);

/*
 * Occurrences of an event overlapping [from, to), cancelled ones marked,
 * at most max (then *more). *out is in the arena.
 */
int event_occurrences(struct arena *a, const struct event *e, int64_t from, int64_t to, size_t max,
                      struct occurrence **out, size_t *n, bool *more);
/* The occurrence of e starting at start (UTC); E_NOTFOUND when there is none. */
int event_occurrence(const struct event *e, int64_t start, struct occurrence *out);
/*
 * The occurrence to act on now: the one under way, else the next; the
 * last one when all are over. E_NOTFOUND only if it has none at all.
 */
int event_current(struct arena *a, const struct event *e, int64_t now, struct occurrence *out);

/* The events of a space overlapping [from, to), by first start, with their cancelled occurrences.
 */
int events_in_space(struct db *db, struct arena *a, int64_t space_id, int64_t from, int64_t to,
                    struct event **out, size_t *n);

/*
 * Every answer to an event, sorted as rsvp_resolve() wants, each with the
 * person's handle, name, email and zone; counts is false for people no
 * longer in the space (or guests whose time is over) as of now.
 */
int event_rsvp_rows(struct db *db, struct arena *a, const struct event *e, int64_t now,
                    struct rsvp_row **rows, size_t *n);
/*
 * Who answered for one occurrence (going, waitlisted, maybe, not going, in
 * that order) and the counts: for reminders, the people going and maybe,
 * with email, name and zone (struct rsvp_row).
 */
int event_people(struct db *db, struct arena *a, const struct event *e, int64_t occurrence,
                 int64_t now, struct rsvp_place **out, size_t *n, struct rsvp_tally *t);

struct attendee {
    int64_t user_id;
    struct str handle, name, email;
    enum attend_mode mode;
    bool by_host;         /* a host marked them; else they checked in */
    struct str marked_by; /* the host's handle, when by_host */
    int64_t at;
};
/* Who came to an occurrence, by name. */
int event_attendees(struct db *db, struct arena *a, int64_t event_id, int64_t occurrence,
                    struct attendee **out, size_t *n);
/* Whether user_id attended the occurrence (*mode set when so). */
int event_attended(struct db *db, int64_t event_id, int64_t occurrence, int64_t user_id, bool *yes,
                   enum attend_mode *mode);

/* One person's answers to events: for the personal calendar. */
struct my_rsvp {
    int64_t event_id, occurrence;
    enum rsvp_status status;
};
/* Every answer of user_id, by event then occurrence. */
int rsvps_of_user(struct db *db, struct arena *a, int64_t user_id, struct my_rsvp **out, size_t *n);
/* The events user_id answered going or maybe to (up to limit), with their cancelled occurrences. */
int events_of_user(struct db *db, struct arena *a, int64_t user_id, size_t limit,
                   struct event **out, size_t *n);
/* The events of a space for its feed: those not over before since (up to limit). */
int events_for_feed(struct db *db, struct arena *a, int64_t space_id, int64_t since, size_t limit,
                    struct event **out, size_t *n);

/* The zone user_id reads times in (their profile's), when the system knows it; else "UTC". */
int events_user_zone(struct db *db, struct arena *a, int64_t user_id, struct str *tz);

/* The instance's key for calendar addresses (32 bytes), made on first use. */
int calendar_key(struct db *db, unsigned char key[32]);

/* Writes ------------------------------------------------------------------------- */

/* Someone who moved up from a waiting list to going, for one occurrence. */
struct moved_up {
    int64_t occurrence, user_id;
    struct str handle, name;
};

/*
 * Create the event e describes (its id, uid, sequence, code key and
 * timestamps are made here) in space s, the caller and hosts[0..nhosts)
 * its hosts. *id gets its id.
 */
int event_create(struct req *r, const struct space *s, struct event *e, const int64_t *hosts,
                 size_t nhosts, int64_t *id);
/*
 * Save e (as changed from old); hosts replaces the extra hosts when not
 * NULL. bump says whether calendars must hear of it (SEQUENCE goes up).
 * When the times changed, cancelled occurrences and per-occurrence answers
 * that no longer name an occurrence are dropped; when the capacity rose,
 * people move up, listed in *moved (in the arena).
 */
int event_update(struct req *r, const struct event *old, struct event *e, const int64_t *hosts,
                 size_t nhosts, bool bump, struct moved_up **moved, size_t *nmoved);
int event_delete(struct req *r, const struct event *e);
/* Cancel one occurrence (or restore it: cancelled false); SEQUENCE goes up. */
int event_set_cancelled(struct req *r, const struct event *e, int64_t occurrence, bool cancelled);

/*
 * The caller answers for an occurrence (0: the series; that drops their
 * answers for occurrences to come). In one transaction, with the event's
 * row locked: who moves up from the waiting list because of it, for the
 * occurrence or, for a series answer, every occurrence of the next 400
 * days, is listed in *moved.
 */
int rsvp_set(struct req *r, const struct event *e, int64_t occurrence, enum rsvp_status status,
             struct moved_up **moved, size_t *nmoved);

/* Record that user_id attended: by a host's mark (the caller's), or their own check-in. */
int attendance_put(struct req *r, const struct event *e, int64_t occurrence, int64_t user_id,
                   enum attend_mode mode, bool by_host);
/* Take it back. */
int attendance_remove(struct req *r, const struct event *e, int64_t occurrence, int64_t user_id);

/*
 * A person is leaving a space (or was removed): their answers to its
 * events for the time to come go, and whoever moves up because of it is
 * told through events_moved_up(). Call it inside the leaving's transaction.
 */
int events_member_left(struct req *r, int64_t space_id, int64_t user_id);

#endif
