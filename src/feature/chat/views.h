/*
 * Chat's view models (feature/chat/pages.c), rendered by the templates in
 * this folder (compiled by tools/tmplc). Each function appends to b and
 * returns 0 or E_TOOBIG. Every string is text, escaped by the template;
 * only struct html (messages the Markdown renderer made, pieces other
 * templates rendered) goes out as it is.
 */
#ifndef PRAXIS_FEATURE_CHAT_VIEWS_H
#define PRAXIS_FEATURE_CHAT_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

/* A moment, three ways: "14:05", "2026-03-14T14:05:00Z", "14 March 2026, 14:05 UTC". */
struct view_chat_time {
    struct str text, iso, full;
};

/* A link with a name: a breadcrumb, a person. */
struct view_chat_link {
    struct str name;
    struct url href;
};

/* One message in a list, with what the viewer may do to it. */
struct view_chat_message {
    int64_t id;
    bool has_author;
    struct str author, initial;
    struct url author_href, self_href;
    struct view_chat_time at;
    bool edited, deleted;
    struct str deleted_note; /* "Message deleted by its author" */
    struct html html;
    bool has_topic;
    struct url topic_href;
    struct str topic_title;
    bool first_new; /* the first one the viewer has not read */
    bool can_edit, can_delete, can_topic, has_actions;
    struct url edit_url, delete_url, topic_url;
};

/*
 * A channel's messages (one page, oldest first) and the form to write in
 * it: the part the live script updates. Rendered into the channel page.
 */
struct view_chat_room {
    int64_t channel_id;
    struct str csrf;
    struct str label; /* "#planning", "Ana Lima": for the list's name */
    const struct view_chat_message *messages;
    size_t nmessages;
    struct str empty;
    bool has_older, has_newer;
    struct url older_url, newer_url;
    bool can_post;
    struct url post_action;
    struct str body, body_error;
    bool read_only_notice; /* read-only, and the viewer may not post */
    bool join_hint, signin_hint;
    struct url space_url, signin_url;
};
int view_chat_room(struct buf *b, const struct view_chat_room *v);

/* A channel in the list beside a space's chat. */
struct view_chat_channel_item {
    struct str name;
    struct url href;
    bool is_private, read_only, current;
    int64_t unread;
};

/* /spaces/{slug}/chat and /channels/{id}: a channel, and for a space its other channels. */
struct view_chat_page {
    struct str csrf;
    bool in_space;
    struct html head, tabs;              /* the space's, with the Chat tab current */
    const struct view_chat_link *crumbs; /* a conversation's */
    size_t ncrumbs;
    struct str title;      /* "#general", or a conversation's people */
    struct str kind_label; /* "Private channel", "Read-only", "Direct conversation" */
    struct str notice, error;
    const struct view_chat_link *members; /* a private channel's or a conversation's */
    size_t nmembers;
    struct html room;
    /* The space's channels and the form to open one. */
    const struct view_chat_channel_item *channels;
    size_t nchannels;
    bool can_create;
    struct url create_action;
    struct str new_name, new_members, name_error, members_error;
    bool new_private, create_open;
    /* Settings: renaming, read-only, adding people. */
    bool can_rename, can_read_only, has_settings;
    struct url settings_action;
    struct str rename, rename_error;
    bool read_only;
    bool can_add;
    struct url members_action;
    struct str handles, handles_error;
};
int view_chat_page(struct buf *b, const struct view_chat_page *v);

/* A direct conversation in the caller's list. */
struct view_chat_dm_item {
    struct str title;
    struct url href;
    int64_t unread;
    bool has_last;
    struct view_chat_time last;
};

/* /messages: the caller's conversations, and the form to start one. */
struct view_chat_dms {
    struct str csrf;
    const struct view_chat_dm_item *items;
    size_t nitems;
    struct url action;
    struct str handles, handles_error, error;
};
int view_chat_dms(struct buf *b, const struct view_chat_dms *v);

/* /messages/{id}/edit: the author's form. */
struct view_chat_edit {
    struct str csrf;
    struct url action, cancel_url;
    struct str body, body_error, error;
};
int view_chat_edit(struct buf *b, const struct view_chat_edit *v);

/* /messages/{id}/topic: a message made a discussion topic. */
struct view_chat_topic {
    struct str csrf;
    struct url action, cancel_url;
    struct str space_name, author;
    struct html quote;
    struct str title, title_error, error;
};
int view_chat_topic(struct buf *b, const struct view_chat_topic *v);

#endif
