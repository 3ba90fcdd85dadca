/*
 * The pages of communities and groups: a space's page, creating and
 * editing one, joining and leaving, the member directory, join requests,
 * invite links and the invite landing page. Server-rendered HTML that works
 * without JavaScript; every page reaches its space through spaces_open()
 * (spaces.h), so the one policy decides here as it does for the API.
 */
#ifndef PRAXIS_FEATURE_SPACES_PAGES_H
#define PRAXIS_FEATURE_SPACES_PAGES_H

#include <stdint.h>

#include "http/http.h"
#include "view/html.h"
#include "view/url.h"

extern const struct feature feature_space_pages;

/*
 * The spaces user_id belongs to that the caller may read, rendered for the
 * "Spaces" part of a profile page: *out is HTML in the request arena, empty
 * when there are none. 0, or a database error or E_TOOBIG.
 */
int space_pages_of_person(struct req *r, int64_t user_id, struct html *out);

struct space;

/*
 * The head (breadcrumb, "Discussions") and the section tabs of a space's
 * Discussions page (feature/discuss/pages.c), that tab current, rendered
 * into the request arena. 0, or a database error or E_TOOBIG.
 */
int space_pages_discussions_chrome(struct req *r, const struct space *s, struct html *head,
                                   struct html *tabs);
/* The same for a space's Calendar page (feature/events/pages.c). */
int space_pages_calendar_chrome(struct req *r, const struct space *s, struct html *head,
                                struct html *tabs);

/* "/spaces/<slug><tail>" as a struct url, for links to a space's pages. */
struct url space_pages_link(struct req *r, struct str slug, const char *tail);
/* The same for a space's Rhythm page (feature/rhythm). */
int space_pages_rhythm_chrome(struct req *r, const struct space *s, struct html *head,
                              struct html *tabs);
/* The same for a space's Chat page (feature/chat). */
int space_pages_chat_chrome(struct req *r, const struct space *s, struct html *head,
                            struct html *tabs);

#endif
