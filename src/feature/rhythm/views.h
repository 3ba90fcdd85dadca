/*
 * The meeting loop's view models (feature/rhythm), rendered by the
 * templates in this folder (compiled by tools/tmplc; .txt ones to text).
 * Each function appends to b and returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_RHYTHM_VIEWS_H
#define PRAXIS_FEATURE_RHYTHM_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

/* One mail of the loop: a greeting, a lead, the event in short, more, a button. */
struct view_loop_mail {
    struct str name, lead;
    struct str title, when, where; /* the event; empty title: none */
    bool has_join;
    struct url join;
    bool has_body;
    struct html body;     /* sanitized HTML (a summary), for the HTML part */
    struct str body_text; /* the same as text */
    struct str link_label;
    struct url link;
    struct str footnote;
};
int view_loop_mail(struct buf *b, const struct view_loop_mail *v);
int text_loop_mail(struct buf *b, const struct view_loop_mail *v);

/* /events/{id}/followup: the hosts' form. */
struct view_followup_form {
    struct str csrf;
    struct str title; /* the event's */
    struct url action, event_href;
    struct str occurrence;
    struct str summary, resources, next_steps;
    struct str error, summary_error, resources_error, next_steps_error;
};
int view_followup_form(struct buf *b, const struct view_followup_form *v);

/* One week of a space's rhythm: how many events, against the ceiling. */
struct view_rhythm_week {
    struct str label; /* "30 Nov" */
    int64_t count;
    bool past, current, over, gap;
    int64_t bar; /* 0..100, for the bar's width */
};

/* A recurring event and how well it is kept. */
struct view_ritual {
    struct str title;
    struct url href;
    struct str kept; /* "held 11 of the last 12" */
    struct str next; /* when it happens next, or empty */
    bool keeps;      /* held at least three times in four */
};

/* /spaces/{slug}/rhythm */
struct view_rhythm {
    struct str csrf;
    struct html head, tabs; /* the space's, with the Rhythm tab current */
    struct str status_label, status_text;
    bool quiet, crowded;
    const struct view_ritual *rituals;
    size_t nrituals;
    const struct view_rhythm_week *weeks;
    size_t nweeks;
    int64_t ceiling, quiet_days, gaps;
    bool may_configure;
    struct url action;
    struct str notice, error;
};
int view_rhythm(struct buf *b, const struct view_rhythm *v);

/* One follow-up on its event's page. */
struct view_followup_item {
    struct str when, author;
    struct html summary, next_steps;
    bool has_next_steps;
    const struct url *resources;
    size_t nresources;
    bool has_topic;
    struct url topic_href;
};

/* The follow-ups section of an event's page (empty when there is nothing to show). */
struct view_followups {
    bool show;
    bool has_prompt;
    struct url prompt_href;
    struct str prompt_when;
    const struct view_followup_item *items;
    size_t nitems;
};
int view_followups(struct buf *b, const struct view_followups *v);

#endif
