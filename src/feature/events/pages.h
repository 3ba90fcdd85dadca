/*
 * The pages of events: a space's calendar (a month as a grid or a list),
 * an event's page (its dates with answer buttons, the check-in form, and
 * for its hosts the code and who came), and the form to create or change
 * one. Server-rendered HTML that works without JavaScript; each page takes
 * the same steps as the API (events_int.h), so the rules are one.
 */
#ifndef PRAXIS_FEATURE_EVENTS_PAGES_H
#define PRAXIS_FEATURE_EVENTS_PAGES_H

#include "http/http.h"

extern const struct feature feature_event_pages;

#endif
