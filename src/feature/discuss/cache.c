/*
 * Topic pages' posts kept in memory.
 *
 * A topic page's posts are most of what it costs: twenty rows joined to
 * their authors, and their reactions. They change rarely and are read
 * often, so each node keeps recent pages here, keyed by (topic, the number
 * the page starts after, its size) and stamped with the versions the topic
 * row carried when they were read: topics.version, which every change to
 * the topic's posts or reactions moves, and the 'people' version, which
 * every change of a name or handle moves (triggers of migration 0013). A
 * request reads the topic row anyway, for the policy and the reader's own
 * state; when its versions differ from the page's, the page is read afresh
 * and replaces it. The versions come from the database, so a change made
 * through another node is seen here as soon as the row is. What depends on
 * the reader (their reactions, what they may do) is worked out when shown.
 *
 * Pages are shared read-only and counted: the cache holds one count while a
 * page is in it, and each request showing it one more until its arena is
 * reset. One lock guards the table, the list and the counts; what it
 * guards is a few pointer moves. Least recently used pages go first when
 * the total passes the budget (page-cache megabytes).
 */
#include "feature/discuss/cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "feature/discuss/model.h"
#include "http/http.h"

#define BUCKETS 4096 /* a power of two */

struct page {
    int64_t topic_id, after, limit; /* the key */
    int64_t version, people;        /* what it was read at */
    struct arena *arena;            /* the posts and everything they point to */
    const struct post *posts;
    size_t n, bytes;
    int refs;
    struct page *chain;         /* the next in its bucket */
    struct page *newer, *older; /* the recency list */
};

static struct {
    pthread_mutex_t lock;
    struct page *buckets[BUCKETS];
    struct page *newest, *oldest;
    size_t bytes, max, pages;
    uint64_t hits, misses;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t bucket_of(int64_t topic_id, int64_t after, int64_t limit)
{
    uint64_t h = (uint64_t)topic_id * 0x9e3779b97f4a7c15ULL;

    h ^= (uint64_t)after * 0xc2b2ae3d27d4eb4fULL + (uint64_t)limit;
    return (size_t)(h >> 32) & (BUCKETS - 1);
}

static void page_free(struct page *p)
{
    arena_release(p->arena);
    free(p->arena);
    free(p);
}

/* Drop one count; the last frees the page. Under the lock. */
static struct page *unref_locked(struct page *p)
{
    return --p->refs == 0 ? p : NULL;
}

static void unlink_list(struct page *p)
{
    if (p->newer)
        p->newer->older = p->older;
    else
        cache.newest = p->older;
    if (p->older)
        p->older->newer = p->newer;
    else
        cache.oldest = p->newer;
    p->newer = p->older = NULL;
}

static void push_newest(struct page *p)
{
    p->older = cache.newest;
    p->newer = NULL;
    if (cache.newest)
        cache.newest->newer = p;
    cache.newest = p;
    if (!cache.oldest)
        cache.oldest = p;
}

/* Take p out of the cache (its holders keep it); the page to free, if that was the last count. */
static struct page *remove_locked(struct page *p)
{
    struct page **at = &cache.buckets[bucket_of(p->topic_id, p->after, p->limit)];

    while (*at != p)
        at = &(*at)->chain;
    *at = p->chain;
    p->chain = NULL;
    unlink_list(p);
    cache.bytes -= p->bytes;
    cache.pages--;
    return unref_locked(p);
}

static struct page *find_locked(int64_t topic_id, int64_t after, int64_t limit)
{
    struct page *p = cache.buckets[bucket_of(topic_id, after, limit)];

    while (p && (p->topic_id != topic_id || p->after != after || p->limit != limit))
        p = p->chain;
    return p;
}

/* At the request's end: let go of the page it showed. */
static void release(void *arg)
{
    struct page *p = arg, *dead;

    pthread_mutex_lock(&cache.lock);
    dead = unref_locked(p);
    pthread_mutex_unlock(&cache.lock);
    if (dead)
        page_free(dead);
}

/* While the total passes the budget, the least recently used go, a lock at a time. */
static void evict(void)
{
    for (;;) {
        struct page *dead = NULL;
        bool over;

        pthread_mutex_lock(&cache.lock);
        over = cache.bytes > cache.max && cache.oldest;
        if (over)
            dead = remove_locked(cache.oldest);
        pthread_mutex_unlock(&cache.lock);
        if (dead)
            page_free(dead);
        if (!over)
            return;
    }
}

void page_cache_init(size_t max)
{
    pthread_mutex_lock(&cache.lock);
    cache.max = max;
    pthread_mutex_unlock(&cache.lock);
}

void page_cache_fini(void)
{
    page_cache_init(0);
    evict();
}

int page_cache_on(void)
{
    return cache.max > 0;
}

const struct post *page_cache_get(struct req *r, const struct topic *t, int64_t after,
                                  int64_t limit, size_t *n)
{
    struct page *p, *dead = NULL;
    const struct post *posts = NULL;

    pthread_mutex_lock(&cache.lock);
    p = find_locked(t->id, after, limit);
    if (p && p->version == t->version && p->people == t->people_version) {
        p->refs++;
        unlink_list(p);
        push_newest(p);
        cache.hits++;
        posts = p->posts;
        *n = p->n;
    } else {
        if (p)
            dead = remove_locked(p); /* stale: nobody will ask for it again */
        cache.misses++;
    }
    pthread_mutex_unlock(&cache.lock);
    if (dead)
        page_free(dead);
    if (posts)
        arena_defer(&r->arena, release, p);
    return posts;
}

void page_cache_put(struct req *r, const struct topic *t, int64_t after, int64_t limit,
                    struct arena *a, const struct post *posts, size_t n)
{
    struct page *p = xcalloc(1, sizeof(*p)), *old, *dead = NULL;
    size_t at = bucket_of(t->id, after, limit);

    p->topic_id = t->id;
    p->after = after;
    p->limit = limit;
    p->version = t->version;
    p->people = t->people_version;
    p->arena = a;
    p->posts = posts;
    p->n = n;
    p->bytes = sizeof(*p) + sizeof(*a) + a->total;
    p->refs = 1; /* this request's */
    pthread_mutex_lock(&cache.lock);
    old = find_locked(t->id, after, limit);
    if (old)
        dead = remove_locked(old);
    if (p->bytes <= cache.max) {
        p->refs++; /* and the cache's */
        p->chain = cache.buckets[at];
        cache.buckets[at] = p;
        push_newest(p);
        cache.bytes += p->bytes;
        cache.pages++;
    }
    pthread_mutex_unlock(&cache.lock);
    if (dead)
        page_free(dead);
    evict();
    arena_defer(&r->arena, release, p);
}

void page_cache_stats(struct page_cache_stats *out)
{
    pthread_mutex_lock(&cache.lock);
    out->hits = cache.hits;
    out->misses = cache.misses;
    out->pages = cache.pages;
    out->bytes = cache.bytes;
    pthread_mutex_unlock(&cache.lock);
}
