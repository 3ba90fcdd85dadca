/*
 * The mail feature's view models: the layout every message is wrapped in
 * (mail_layout.html and mail_layout.txt, one model for both parts), the
 * mail settings page and the unsubscribe page. Each function appends to b
 * and returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_MAIL_VIEWS_H
#define PRAXIS_FEATURE_MAIL_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

struct view_mail_layout {
    struct str instance_name;
    struct str subject;     /* the HTML part's <title> */
    struct str body_text;   /* the caller's text, for the text part */
    struct html body_html;  /* the caller's HTML, for the HTML part */
    struct str why;         /* one sentence: why the person gets this mail */
    struct str category;    /* "reminders of events", for the unsubscribe line */
    struct url unsubscribe; /* the one-click link; empty for account mail */
    struct url settings;    /* the mail settings page */
    struct url home;
};
int view_mail_layout(struct buf *b, const struct view_mail_layout *v);
int text_mail_layout(struct buf *b, const struct view_mail_layout *v);

struct view_mail_category {
    struct str name;  /* the form field: "reminders" */
    struct str label; /* "Reminders of events" */
    struct str hint;
    bool on;
};

struct view_mail_settings {
    struct str csrf;
    struct str email;
    bool confirmed;
    const struct view_mail_category *categories;
    size_t ncategories;
    struct str notice;
};
int view_mail_settings(struct buf *b, const struct view_mail_settings *v);

struct view_unsubscribe {
    struct url action;   /* where the one button posts: the same link */
    struct str category; /* "reminders of events" */
    struct str instance_name;
    bool done; /* the answer to the POST */
};
int view_unsubscribe(struct buf *b, const struct view_unsubscribe *v);

#endif
