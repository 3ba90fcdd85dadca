/*
 * Events in a space: times in a zone, recurrence with exceptions, answers
 * under a capacity with a waiting list, attendance and check-in codes, and
 * iCalendar files and feeds. docs/events.md tells the whole of it.
 *
 * The API lives in events.c, the calendars in feeds.c; model.h holds the
 * data, which other features read through this header: reminders,
 * follow-ups and the rhythm view load an event (event_load()), expand its
 * occurrences (event_occurrences()), list who is going (event_people())
 * and who came (event_attendees()), and fill the hooks below.
 */
#ifndef PRAXIS_FEATURE_EVENTS_H
#define PRAXIS_FEATURE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/events/model.h"
#include "feature/spaces/spaces.h"
#include "http/http.h"
#include "view/html.h"

struct arena;
struct buf;
struct db;
struct json;

extern const struct feature feature_events;

/*
 * Load event id and its space, with the policy's answer for act on the
 * space: 404 "there is no such event" for whoever may not read it, as if
 * it did not exist; 401 or 403 as spaces_open() says.
 */
int events_open(struct req *r, int64_t id, enum action act, struct event *e, struct space *s);
/*
 * Whether the caller runs the event: one of its hosts who may still take
 * part in the space, or one who hosts events there (facilitators, admins).
 */
bool events_may_host(struct req *r, const struct space *s, const struct event *e);
/* Whether the caller is shown the join link: those who may take part in the space. */
bool events_may_join(struct req *r, const struct space *s);

/* The check-in code of an occurrence (CHECKIN_CODE_LEN characters and NUL). */
void events_checkin_code(const struct event *e, int64_t occurrence, char out[CHECKIN_CODE_LEN + 1]);

/*
 * The hook where an event's reminders are (re)scheduled or cancelled,
 * called inside the transaction of every change to an event: after it is
 * created or changed (times, rule, cancelled occurrences, reminders,
 * status) and when it is deleted (then e->status is EVENT_CANCELLED). It
 * sees the event as saved.
 */
int events_schedule(struct db *db, const struct event *e);
/*
 * The same as of now (a job's time): the reminders and the follow-up ask
 * of e's occurrences of the coming month, queued; again drops what was
 * queued first (the event changed). feature/events/hooks.c.
 */
int events_plan(struct db *db, const struct event *e, int64_t now, bool again);
/*
 * The hook told, inside the same transaction, of each person who moved up
 * from an occurrence's waiting list to going (someone left, the capacity
 * rose): to mail them.
 */
int events_moved_up(struct db *db, const struct event *e, const struct moved_up *m);

/*
 * What the follow-ups add to an event (feature/rhythm fills these): its
 * follow-ups as a JSON array for GET /api/v1/events/{id}, and as HTML for
 * its page, with a link for its hosts to write the one an occurrence that
 * has begun still lacks.
 */
void events_followups_json(struct req *r, struct json *j, int64_t event_id);
int events_followups_html(struct req *r, const struct event *e, bool is_host, struct html *out);

/*
 * The caller's personal calendar address (every event they answered going
 * or maybe to, in every space they can still see), absolute, in the
 * request's arena. E_PERM when nobody is signed in.
 */
int events_feed_url(struct req *r, struct str *out);

/*
 * An .ics of one event (occurrence 0: the whole series with its rule and
 * cancelled occurrences) or of one occurrence (its start in UTC), for a
 * download or a mail's attachment. site is the address links start with
 * (https://praxis.example), with_join whether its reader is shown the join
 * link. E_NOTFOUND when occurrence is not one of e's.
 */
int events_ics(struct arena *a, const struct event *e, int64_t occurrence, struct str site,
               bool with_join, struct buf *out);

/* The site's address for links that leave it: the public URL, else the host asked. */
struct str events_site(struct req *r);

#endif
