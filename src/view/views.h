/*
 * The shared page views: the layout every page is wrapped in and the error
 * page. Each struct is the typed model of a template in this folder
 * (layout.html, error.html), compiled by tools/tmplc into the function
 * declared under it. The functions append to b and return 0 or E_TOOBIG.
 */
#ifndef PRAXIS_VIEW_VIEWS_H
#define PRAXIS_VIEW_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

struct view_layout {
    struct str title;         /* page title; " · " + instance_name is added unless empty;
                                 an empty title gives the instance name alone */
    struct str instance_name; /* shown in the header, linking home */
    struct str description;   /* meta description; may be empty */
    struct html content;      /* the page body, already rendered */
    struct html head_extra;   /* extra <link> tags in <head> (an Atom feed); may be empty */
    struct str request_id;    /* in <meta name="request-id">; may be empty */
    bool signed_in;           /* the person's menu, or the sign-in and sign-up links */
    struct str user_name;
    struct str user_handle;
    struct url user_url; /* the person's profile page */
    struct str csrf;     /* for the sign-out form */
    int64_t unread;      /* unread notifications, shown beside the person's name */
    struct str
        unread_text;    /* "99+" when there are more than 99; else empty, and the number shows */
    struct html notice; /* above the page: an address to confirm; may be empty */
};
int view_layout(struct buf *b, const struct view_layout *v);

struct view_error_field {
    struct str name;    /* the form field, as the person knows it */
    struct str message; /* what is wrong with it */
};

struct view_error {
    int status;         /* 404 */
    struct str title;   /* "Page not found" */
    struct str message; /* "There is no page at this address." */
    const struct view_error_field *fields;
    size_t nfields;
    struct str request_id; /* shown so a person can quote it to the operator */
};
int view_error(struct buf *b, const struct view_error *v);

#endif
