/*
 * The discussion pages' view models (feature/discuss/pages.c and feed.c),
 * rendered by the templates in this folder (compiled by tools/tmplc). Each
 * function appends to b and returns 0 or E_TOOBIG. Every string is text,
 * escaped by the template; only struct html (post bodies the Markdown
 * renderer made, pieces other templates rendered) goes out as it is.
 */
#ifndef PRAXIS_FEATURE_DISCUSS_VIEWS_H
#define PRAXIS_FEATURE_DISCUSS_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

/* A link with a name: a breadcrumb, a tag. */
struct view_discuss_link {
    struct str name;
    struct url href;
};

/* One line of a form's error summary, linking to its field. */
struct view_discuss_error {
    struct url href; /* "#title" */
    struct str label;
    struct str message;
};

/* A moment, three ways: "3 hours ago", "2026-03-14T12:00:00Z", "14 March 2026, 12:00 UTC". */
struct view_discuss_time {
    struct str text, iso, full;
};

/*
 * The watch control of a space or a topic: three buttons in one form, the
 * current level pressed.
 */
struct view_discuss_watch {
    struct str csrf;
    struct url action;
    struct str id;    /* unique on the page: "watch-space" */
    struct str label; /* "Notifications from this space" */
    bool watching, normal, muted;
    struct str note; /* what the current level means */
};
int view_discuss_watch(struct buf *b, const struct view_discuss_watch *v);

/* A topic in a list. */
struct view_topic_item {
    struct str title;
    struct url href;
    bool pinned;
    bool is_question, answered, is_announcement;
    const struct view_discuss_link *tags;
    size_t ntags;
    struct str replies; /* "No replies yet", "1 reply", "3 replies" */
    struct view_discuss_time last;
    struct str who; /* the latest post's writer */
    struct url who_href;
    bool has_who;
    struct str unread; /* "3 new", "New"; empty when read or anonymous */
};

/* The latest few topics of a space, on the space's own page. */
struct view_topics_recent {
    const struct view_topic_item *topics;
    size_t ntopics;
    struct url all_url;
    bool can_post;
    struct url new_url;
};
int view_topics_recent(struct buf *b, const struct view_topics_recent *v);

/* A space's discussions, /spaces/{slug}/topics. */
struct view_topics {
    struct html head, tabs;
    struct str notice;
    bool f_latest, f_unanswered, f_tag;
    struct url latest_url, unanswered_url, tag_url, tag_action;
    struct str tag;
    struct str tag_error;
    const struct view_topic_item *topics;
    size_t ntopics;
    struct str empty; /* what an empty list says */
    bool has_older;
    struct url older_url;
    bool later_page;
    struct url newest_url;
    bool can_post;
    struct url new_url;
    bool join_hint, signin_hint;
    struct url space_url, signin_url;
    struct html watch; /* may be empty */
    bool has_feed;
    struct url feed_url;
    bool has_foot; /* the watch control or the feed link */
    /* Live: signed in, new activity in the space is announced (and who is here). */
    bool live;
    struct str space_slug;
};
int view_topics(struct buf *b, const struct view_topics *v);

/* Starting a topic, /spaces/{slug}/topics/new. */
struct view_topic_new {
    const struct view_discuss_link *crumbs;
    size_t ncrumbs;
    struct str space_name;
    struct url action, cancel_url;
    struct str csrf;
    struct str title, body, tags;
    bool k_discussion, k_question, k_announcement;
    bool can_announce;
    struct str title_error, body_error, kind_error, tags_error;
    const struct view_discuss_error *errors;
    size_t nerrors;
    struct str form_error;
};
int view_topic_new(struct buf *b, const struct view_topic_new *v);

/*
 * A reaction under a post: the button that gives it (button), pressed when
 * the reader gave it (mine), or an item of the list a reader who may not
 * react sees.
 */
struct view_reaction {
    bool button, mine;
    struct str kind;  /* "like": the form's value */
    struct str label; /* "Like" */
    int64_t count;
    struct str who; /* "Ana Lima, Ben Okafor" */
};
int view_reaction(struct buf *b, const struct view_reaction *v);

/* A post's head, the same for every reader, up to its moment's text (post_head.html). */
struct view_post_head {
    int64_t number;
    struct str initial;
    bool has_author;
    struct str author;
    struct url author_href;
    struct url self_href; /* the post's own address, with its page */
    struct str at_iso, at_full;
};
int view_post_head(struct buf *b, const struct view_post_head *v);

/* One piece of post_links.html: the one whose flag is set. */
struct view_post_links {
    int64_t number;
    bool react, reply, edit, delete;
    struct url react_action, reply_url, quote_url, edit_url, delete_url;
};
int view_post_links(struct buf *b, const struct view_post_links *v);

/* A piece another template rendered, in a list. */
struct view_part {
    struct html html;
};

struct view_post {
    int64_t id, number;
    struct html head;   /* view_post_head(), the open <time> last */
    struct str at_text; /* "3 hours ago" */
    bool edited;
    struct url revisions_url;
    bool is_reply;
    int64_t reply_number;
    struct url reply_href;
    bool accepted;
    bool first_new; /* the first post the reader has not seen: a divider before it */
    bool deleted;
    struct str deleted_note; /* "Deleted by its author." */
    struct html html;
    bool can_react;
    struct html react_form;          /* the form's opening tag (post_links.html) */
    const struct view_part *buttons; /* view_reaction()s, when the reader may react */
    size_t nbuttons;
    const struct view_part *items; /* when not: the reactions given */
    size_t nitems;
    bool has_actions;
    bool can_reply;
    struct html reply_links; /* post_links.html, as the three below */
    bool can_edit;
    struct html edit_link;
    bool can_delete;
    struct html delete_link;
    bool can_accept, can_unaccept;
    bool accepted_after; /* the question: the accepted answer is shown under it */
};

/* A topic and a page of its posts, /topics/{id}. */
struct view_topic {
    const struct view_discuss_link *crumbs;
    size_t ncrumbs;
    struct str title;
    bool pinned, is_question, answered, is_announcement;
    const struct view_discuss_link *tags;
    size_t ntags;
    struct str started_by;
    struct view_discuss_time started;
    struct str counts; /* "4 posts" */
    struct str notice;
    struct str csrf;
    struct html watch; /* may be empty */
    const struct view_post *posts;
    size_t nposts;
    /* The accepted answer, shown again under the question. */
    bool show_accepted;
    struct str accepted_author;
    int64_t accepted_number;
    struct url accepted_href;
    struct html accepted_html;
    struct url accept_action;
    bool has_earlier, has_later;
    struct url earlier_url, later_url;
    struct str range; /* "Posts 51 to 100 of 120"; empty on a one-page topic */
    /* The reply form. */
    bool can_reply;
    struct url reply_action;
    struct str body;
    int64_t reply_to;
    struct str replying_to; /* "#3 by Ana Lima" */
    struct url replying_href, cancel_reply_url;
    struct str body_error;
    const struct view_discuss_error *errors;
    size_t nerrors;
    struct str form_error;
    bool join_hint, signin_hint;
    struct url space_url, signin_url;
    /* Live: new posts appear (signed in, on the last page), and who is here. */
    bool live;
    int64_t topic_id;
    struct str space_slug;
};
int view_topic(struct buf *b, const struct view_topic *v);

/* Editing one's post, /posts/{id}/edit. */
struct view_post_edit {
    const struct view_discuss_link *crumbs;
    size_t ncrumbs;
    int64_t number;
    struct url action, cancel_url;
    struct str csrf;
    struct str body, body_error;
    const struct view_discuss_error *errors;
    size_t nerrors;
    struct str form_error;
};
int view_post_edit(struct buf *b, const struct view_post_edit *v);

/* Deleting a post, /posts/{id}/delete: the post, and a reason when it is someone else's. */
struct view_post_delete {
    const struct view_discuss_link *crumbs;
    size_t ncrumbs;
    int64_t number;
    struct str author;
    struct html html;
    struct url action, cancel_url;
    struct str csrf;
    bool need_reason;
    struct str reason, reason_error;
    const struct view_discuss_error *errors;
    size_t nerrors;
    struct str form_error;
};
int view_post_delete(struct buf *b, const struct view_post_delete *v);

struct view_revision {
    int64_t revision;
    bool current;
    struct view_discuss_time at;
    struct html html;
};

/* Every version of a post, /posts/{id}/revisions. */
struct view_post_revisions {
    const struct view_discuss_link *crumbs;
    size_t ncrumbs;
    int64_t number;
    struct str author;
    struct url post_href;
    bool deleted;
    const struct view_revision *revisions;
    size_t nrevisions;
};
int view_post_revisions(struct buf *b, const struct view_post_revisions *v);

/* The <link> to a space's feed, for the head of its pages. */
struct view_feed_link {
    struct str title;
    struct url href;
};
int view_feed_link(struct buf *b, const struct view_feed_link *v);

/* One topic in the Atom feed. */
struct view_atom_entry {
    struct str title, id, author;
    struct url href;
    struct str published, updated; /* RFC 3339 */
    const struct str *tags;
    size_t ntags;
    struct str content; /* the opening post's HTML, as text: the template escapes it */
};

/* A space's latest topics as Atom 1.0 (RFC 4287), /spaces/{slug}/feed.atom. */
struct view_topics_atom {
    struct str title, subtitle, id, updated;
    struct url self_href, alt_href;
    const struct view_atom_entry *entries;
    size_t nentries;
};
int view_topics_atom(struct buf *b, const struct view_topics_atom *v);

#endif
