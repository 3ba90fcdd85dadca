/*
 * Search's data: the one search over both backends (FTS5 on SQLite,
 * tsvector on PostgreSQL), the only code of the feature that talks to the
 * database. Which spaces a person may read is the caller's to decide
 * (spaces_visible(), the one policy): these functions search the spaces
 * they are given and no others.
 */
#ifndef PRAXIS_FEATURE_SEARCH_MODEL_H
#define PRAXIS_FEATURE_SEARCH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/search/query.h"

struct req;

#define SEARCH_PAGE    20   /* results in a page */
#define SEARCH_RANKED  200  /* latest matches ranked: a common query pages through these */
#define SEARCH_SCANNED 5000 /* latest matches looked through for those, at most */
#define SEARCH_TOKENS  16   /* spaces the index itself keeps to; above, each match is checked */
#define SEARCH_EXCERPT 240  /* characters in an excerpt */

/* What else a result must be: 0 or empty for anything. */
struct search_filter {
    int64_t author_id;
    struct str kind; /* a topic kind's name */
    struct str tag;  /* a canonical tag */
};

struct search_hit {
    int64_t post_id, number, topic_id, created_at;
    struct str title, kind;
    struct str space_slug, space_name;
    struct str author_handle, author_name; /* empty once the account is gone */
    struct str excerpt;                    /* the body, matches between SEARCH_MARK_START/END */
    bool cut_start, cut_end;               /* whether the excerpt was cut from a longer text */
};

/*
 * Posts matching q in the spaces spaces[0..nspaces) and the filter, best
 * first: the page at offset (0 <= offset < SEARCH_RANKED), at most
 * SEARCH_PAGE hits in the request arena, *more when another page follows.
 * No spaces, no hits. 0 or a database error.
 */
int search_run(struct req *r, const struct search_query *q, const int64_t *spaces, size_t nspaces,
               const struct search_filter *f, int64_t offset, struct search_hit **out, size_t *n,
               bool *more);

#endif
