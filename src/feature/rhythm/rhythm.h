/*
 * The meeting loop around events (DESIGN.md: "create a rhythm"): the
 * reminders before an occurrence and the follow-up after it, both by mail
 * through jobs, and the rhythm of a space: its recurring rituals and how
 * well each is kept, the gaps, the number of events a week against a
 * ceiling its facilitators set, and a notice to them when the space has
 * gone quiet or is crowded. docs/events.md tells the whole of it.
 *
 * The planning of the jobs lives with events (feature/events/hooks.c);
 * what they do, and the follow-ups and rhythm, live here.
 */
#ifndef PRAXIS_FEATURE_RHYTHM_H
#define PRAXIS_FEATURE_RHYTHM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "http/http.h"
#include "view/url.h"

struct arena;
struct event;
struct followup;
struct json;

extern const struct feature feature_rhythm;

/*
 * A follow-up as Markdown: the summary, the resources as a list of links,
 * the next steps; with_event_link adds a last line linking the event (for
 * the summary topic), base the site's address.
 */
struct str rhythm_followup_markdown(struct arena *a, const struct followup *f,
                                    const struct event *e, struct str base, bool with_event_link);

/* The follow-ups of events (followup.c): the API and the hosts' form. */
extern const struct feature feature_followups;

/* A path as a URL for a template; "/" when it is not one. */
struct url rhythm_url(struct req *r, const char *path);

#endif
