/*
 * Calendars: the .ics of one event, a space's feed, and each member's own
 * feeds. A public space's feed is at a plain address anyone may subscribe
 * to (/spaces/{slug}/events.ics); a private space's only at an address of
 * one member's (/calendar/{token}/spaces/{slug}.ics), which stops working
 * when they leave it; and each member's personal feed
 * (/calendar/{token}.ics) holds the events they answered going or maybe
 * to, in the spaces they can still see.
 *
 * A token is "<user id>-<hash>": a BLAKE2b hash of the person keyed with
 * the instance's calendar key (calendar_keys), so no address is stored and
 * none can be made up. Feed readers send no session; the token alone says
 * whose standing counts, read afresh at every fetch.
 */
#ifndef PRAXIS_FEATURE_EVENTS_FEEDS_H
#define PRAXIS_FEATURE_EVENTS_FEEDS_H

#include "core/str.h"
#include "http/http.h"

struct space;

extern const struct feature feature_event_feeds;

/*
 * The address of space s's feed for the caller: the plain one of a space
 * anyone may read, else the caller's own one when they may read it; empty
 * when there is none for them (nobody signed in, a private space).
 */
int feeds_space_url(struct req *r, const struct space *s, struct str *out);

/*
 * Answer GET /events/{id}.ics (the route is the event page's, pages.c):
 * as readable as the event's space, to the caller with their session.
 */
int feeds_event_ics(struct req *r, struct resp *w, int64_t id);
/* What a last segment names before its ".ics"; false when it does not end so. */
bool feeds_ics_name(struct str file, struct str *out);

#endif
