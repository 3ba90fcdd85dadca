/*
 * The search page's view models (feature/search/search.c), rendered by the
 * templates in this folder (compiled by tools/tmplc). Each function appends
 * to b and returns 0 or E_TOOBIG.
 */
#ifndef PRAXIS_FEATURE_SEARCH_VIEWS_H
#define PRAXIS_FEATURE_SEARCH_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"
#include "feature/search/query.h"
#include "view/html.h"
#include "view/url.h"

/*
 * An excerpt: its text escaped, the matched words in <mark>. The API sends
 * the same HTML as the page shows.
 */
struct view_search_snippet {
    const struct search_piece *pieces;
    size_t npieces;
};
int view_search_snippet(struct buf *b, const struct view_search_snippet *v);

struct view_search_option {
    struct str value, label;
    bool selected;
};

struct view_search_result {
    struct str title;
    struct url href;  /* the post in its topic */
    struct str where; /* "Reply 3", "Opening post" */
    struct str kind;  /* "Question"; empty for a plain discussion */
    struct str space_name;
    struct url space_href;
    struct str author_name; /* empty once the account is gone */
    struct url author_href;
    struct str date; /* "14 March 2026" */
    struct html snippet;
};

/* The search page, /search?q=&space=&author=&kind=&tag=&cursor=. */
struct view_search {
    struct str q, author, tag;
    struct str q_error, author_error, kind_error, tag_error, cursor_error;
    bool filters_open; /* a filter is set or wrong: show them */
    const struct view_search_option *spaces, *kinds;
    size_t nspaces, nkinds;
    bool searched;      /* a query ran: show results or say there are none */
    struct str summary; /* "Results for “cafe”", "Nothing matches “cafe”" */
    const struct view_search_result *results;
    size_t nresults;
    struct url next_url, first_url; /* may be empty */
};
int view_search(struct buf *b, const struct view_search *v);

#endif
