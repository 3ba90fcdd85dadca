/*
 * The event pages' view models (feature/events/pages.c), rendered by the
 * templates in this folder (compiled by tools/tmplc). Each function
 * appends to b and returns 0 or E_TOOBIG. Every string is text, escaped by
 * the template; only struct html (descriptions the Markdown renderer made,
 * pieces other templates rendered) goes out as it is.
 *
 * Times are shown in the reader's zone (their profile's, or the event's
 * own for someone not signed in), and the event's own time is named beside
 * them when its zone differs.
 */
#ifndef PRAXIS_FEATURE_EVENTS_VIEWS_H
#define PRAXIS_FEATURE_EVENTS_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

/* A link with a name: a breadcrumb, a host. */
struct view_event_link {
    struct str name;
    struct url href;
};

/* One line of a form's error summary, linking to its field. */
struct view_event_error {
    struct url href; /* "#title" */
    struct str label;
    struct str message;
};

/* An occurrence in the calendar. */
struct view_calendar_item {
    struct str title;
    struct url href;
    struct str time;      /* "18:00–19:30", in the reader's zone */
    struct str iso;       /* its start in UTC, for <time datetime> */
    struct str zone_note; /* "18:00 in Europe/Paris", when that zone differs */
    struct str place;     /* "Room 4", "Online", "Room 4 and online" */
    bool cancelled;
};

/* A day of the month grid. */
struct view_calendar_day {
    struct str number; /* "13" */
    struct str label;  /* "Tuesday 13 October 2026", for screen readers */
    bool other_month, today;
    const struct view_calendar_item *items;
    size_t nitems;
};

struct view_calendar_week {
    const struct view_calendar_day *days;
    size_t ndays;
};

/* A day in the list: its occurrences. */
struct view_calendar_listday {
    struct str label; /* "Tuesday 13 October" */
    const struct view_calendar_item *items;
    size_t nitems;
};

/* A space's calendar, /spaces/{slug}/calendar: a month, as a grid or a list. */
struct view_event_calendar {
    struct html head, tabs;
    struct str notice;
    struct str month; /* "October 2026" */
    struct url prev_url, next_url, grid_url, list_url;
    struct str prev_label, next_label;
    bool as_grid, as_list;
    const struct view_calendar_week *weeks;
    size_t nweeks;
    const struct view_calendar_listday *days;
    size_t ndays;
    struct str zone; /* the reader's zone */
    bool can_create;
    struct url new_url;
    bool has_feed;
    struct url feed_url;
    struct str feed_text; /* what the feed is */
};
int view_event_calendar(struct buf *b, const struct view_event_calendar *v);

/* An occurrence on an event's page, with the reader's answer and its buttons. */
struct view_event_occurrence {
    struct str id;         /* "o-1796922000": the anchor */
    struct str occurrence; /* its start in unix seconds, for the forms */
    struct str date;       /* "Tuesday 13 October 2026" */
    struct str time;       /* "18:00–19:30" */
    struct str iso;
    struct str zone_note;
    struct str counts; /* "3 going, 1 waiting, 2 maybe" */
    struct str mine;   /* "You are going.", "You are 2nd on the waiting list." */
    bool cancelled, can_answer, going, maybe, not_going;
    bool can_cancel, can_restore;
};

/* Someone who answered, or came, for the hosts. */
struct view_event_person {
    struct str name;
    struct url href;
    struct str note; /* "going", "waiting (1)", "in person, checked in" */
};

/* An event's page, /events/{id}. */
struct view_event_page {
    const struct view_event_link *crumbs;
    size_t ncrumbs;
    struct str notice, error;
    struct str title;
    bool cancelled;
    struct str date, time, iso, zone_note, repeats;
    struct str mode;
    struct str location;
    bool has_join;
    struct url join_url;
    bool join_hint; /* the link is for those who take part */
    struct html description, agenda;
    bool has_agenda;
    struct html followups; /* feature/rhythm's section: the follow-ups, the hosts' prompt */
    const struct view_event_link *hosts;
    size_t nhosts;
    struct str capacity; /* "12 places", empty when no limit */
    struct str csrf;
    struct url rsvp_action;
    bool can_answer;
    bool series, series_going, series_maybe, series_not_going;
    const struct view_event_occurrence *occurrences;
    size_t noccurrences;
    bool signin_hint, join_space_hint;
    struct url signin_url, space_url;
    /* Check-in: open while an occurrence's window is. */
    bool checkin_open, checkin_hybrid, checked_in;
    struct str checkin_when, checkin_occurrence, checkin_note;
    struct str code_value, code_error, mode_error;
    struct url checkin_action;
    /* The hosts' panel. */
    bool is_host;
    struct url edit_url, attend_action, exception_action;
    struct str host_when, host_occurrence, code, code_window;
    const struct view_event_person *people;
    size_t npeople;
    const struct view_event_person *attendees;
    size_t nattendees;
    struct str handle_error, attend_mode_error;
    struct url ics_url;
};
int view_event_page(struct buf *b, const struct view_event_page *v);

/* Creating or editing an event; every field names its own error. */
struct view_event_form {
    const struct view_event_link *crumbs;
    size_t ncrumbs;
    struct str heading, lead, submit;
    struct url action, cancel_url;
    struct str csrf;
    const struct view_event_error *errors;
    size_t nerrors;
    struct str form_error;
    struct str title, description, agenda, starts_at, ends_at, tz, location, join_url, capacity,
        rrule, reminders, hosts;
    bool m_in_person, m_online, m_hybrid;
    bool is_edit, s_confirmed, s_cancelled;
    struct str title_error, description_error, agenda_error, starts_at_error, ends_at_error,
        tz_error, mode_error, location_error, join_url_error, capacity_error, rrule_error,
        reminders_error, hosts_error, status_error;
};
int view_event_form(struct buf *b, const struct view_event_form *v);

#endif
