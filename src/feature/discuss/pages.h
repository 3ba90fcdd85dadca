/*
 * The pages of discussions: a space's topics, starting a topic, a topic
 * and its posts with replies, quotes, edits, deletions, reactions, the
 * accepted answer and watching, a post's versions, and a space's Atom feed
 * (feed.c). Server-rendered HTML that works without JavaScript; every page
 * takes the same steps as the API (discuss.h), so a rule is written once.
 */
#ifndef PRAXIS_FEATURE_DISCUSS_PAGES_H
#define PRAXIS_FEATURE_DISCUSS_PAGES_H

#include <stdint.h>

#include "core/str.h"
#include "feature/discuss/rules.h"
#include "http/http.h"
#include "view/html.h"
#include "view/url.h"

struct arena;
struct post;
struct space;

extern const struct feature feature_discuss_pages;

/*
 * What a topic page shows of a post whoever reads it: its head up to the
 * text of its moment, its reactions' buttons, unpressed, and list items,
 * the reactions form's opening tag and the links to reply, quote, edit and
 * delete it, rendered by their templates; its links; the names behind each
 * reaction;
 * a deleted post's note. Worked out once when a page of posts is kept
 * (posts_page()), into the kept page's memory, and for the one request when
 * the page is not kept. What depends on the reader (their reactions, what
 * they may do, how long ago "now" is) is worked out on each request.
 */
struct post_dress {
    struct html head;               /* view_post_head() */
    struct html button[REACT__MAX]; /* view_reaction(), not pressed */
    struct html item[REACT__MAX];   /* view_reaction() as a list item; empty for none given */
    struct html react_form, reply_links, edit_link, delete_link; /* view_post_links() */
    struct url reply_href, revisions_url;
    struct str deleted_note;
    struct str who[REACT__MAX];
};

/*
 * Dress post p, on the page of its topic that shows the posts numbered above
 * after up to last_shown, into *d, with d's strings in a.
 */
void discuss_dress_post(struct arena *a, const struct post *p, int64_t after, int64_t last_shown,
                        struct post_dress *d);

/*
 * The address of post number in a topic: the page of the topic that holds
 * it, and the post's fragment ("/topics/7?cursor=50.0#post-53"). Number 0
 * gives the topic's first page. In the request arena.
 */
struct url discuss_post_url(struct req *r, int64_t topic_id, int64_t number);

/*
 * What a space's own page shows of its discussions: *topics, the latest few
 * topics (with a link to them all), and *head, the <link> to its Atom feed
 * when it has one (public spaces). Both in the request arena, either may be
 * empty. 0, or a database error or E_TOOBIG.
 */
int discuss_space_summary(struct req *r, const struct space *s, struct html *topics,
                          struct html *head);

/* GET /spaces/{slug}/feed.atom (feed.c): 404 for a space that is not public. */
int discuss_feed_page(struct req *r, struct resp *w);

/* The <link rel="alternate"> to a public space's feed (feed.c); empty for a private one. */
int discuss_feed_link(struct req *r, const struct space *s, struct html *out);

#endif
