/*
 * Search: full-text search over the posts of discussions, in the spaces the
 * reader may see (the one policy, through spaces_visible() and
 * spaces_open()), nowhere else: a private space's words never reach an
 * outsider, not even as a count.
 *
 *     GET /api/v1/search?q=&space=&author=&kind=&tag=&cursor=
 *     GET /search?…      the same as a page, with a form
 *
 * q is parsed by query.h (words, "phrases", -words, OR, prefix*); the
 * search itself is search_run() (model.h) over FTS5 or tsvector. Results
 * are ranked, SEARCH_PAGE at a time; next_cursor pages on through the
 * SEARCH_RANKED best.
 */
#ifndef PRAXIS_FEATURE_SEARCH_H
#define PRAXIS_FEATURE_SEARCH_H

#include "http/http.h"

extern const struct feature feature_search;

#endif
