/*
 * The notifications page's view model (feature/notify/pages.c), rendered
 * by notifications.html (compiled by tools/tmplc). The function appends to
 * b and returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_NOTIFY_VIEWS_H
#define PRAXIS_FEATURE_NOTIFY_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

/* One notice: "<lead> <a>topic title</a> <tail>", in which space, when. */
struct view_notice {
    int64_t id;
    bool unread;
    struct str lead, title, tail;
    struct url href;
    struct str space;
    struct url space_href;
    struct str when, when_iso, when_full;
    struct url read_action;
};

/* The signed-in person's notifications, /notifications. */
struct view_notifications {
    struct str csrf;
    struct str notice;
    struct str summary; /* "3 unread", "All read" */
    bool any_unread;
    struct url read_all_action;
    const struct view_notice *items;
    size_t nitems;
    bool later_page;
    struct url newest_url;
    bool has_older;
    struct url older_url;
};
int view_notifications(struct buf *b, const struct view_notifications *v);

#endif
