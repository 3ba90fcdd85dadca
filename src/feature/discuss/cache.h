/*
 * A node's memory of topic pages' posts (see cache.c): the rows and
 * reactions of one page of a topic, kept by the versions its topic row
 * carries, shared read-only by the requests that show that page.
 */
#ifndef PRAXIS_FEATURE_DISCUSS_CACHE_H
#define PRAXIS_FEATURE_DISCUSS_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct post;
struct req;
struct topic;

/* Keep up to max bytes of pages (0: keep none). Before serving. */
void page_cache_init(size_t max);
/* Forget every page; page_cache_init() may follow. */
void page_cache_fini(void);
/* Whether pages are kept at all. */
int page_cache_on(void);

/*
 * The page of t's posts numbered above after (at most limit), when one is
 * kept and t's versions are the ones it was read at; NULL otherwise. The
 * posts are held until r ends.
 */
const struct post *page_cache_get(struct req *r, const struct topic *t, int64_t after,
                                  int64_t limit, size_t *n);
/*
 * Keep posts[0..n), read at t's versions into *a, which the cache takes
 * over (a was allocated with malloc and arena_init()); they stay valid
 * until r ends whatever becomes of the page.
 */
void page_cache_put(struct req *r, const struct topic *t, int64_t after, int64_t limit,
                    struct arena *a, const struct post *posts, size_t n);

/* Counters for /metrics and tests. */
struct page_cache_stats {
    uint64_t hits, misses, pages, bytes;
};
void page_cache_stats(struct page_cache_stats *out);

#endif
