/*
 * The memory of topic pages' posts (feature/discuss/cache.c): a page is
 * found by its topic, start and size only while the topic's versions are
 * the ones it was read at; a page held by a request outlives its eviction;
 * the budget holds; a page larger than the budget is its request's alone.
 * Run under ASan, a page freed too early or never freed fails here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "feature/discuss/cache.h"
#include "feature/discuss/model.h"
#include "http/http.h"
#include "tap.h"

/* A page of n posts, each with a body of size bytes, in a heap arena as posts_page() makes. */
static struct arena *page_of(size_t n, size_t size, struct post **out)
{
    struct arena *a = malloc(sizeof(*a));
    struct post *p;

    arena_init(a);
    p = arena_calloc(a, n, sizeof(*p));
    for (size_t i = 0; i < n; i++) {
        char *body = arena_alloc(a, size + 1);

        memset(body, 'a' + (int)(i % 26), size);
        body[size] = '\0';
        p[i].number = (int64_t)i + 1;
        p[i].body = str_make(body, size);
    }
    *out = p;
    return a;
}

static struct topic topic_at(int64_t id, int64_t version, int64_t people)
{
    struct topic t;

    memset(&t, 0, sizeof(t));
    t.id = id;
    t.version = version;
    t.people_version = people;
    return t;
}

static void found_by_versions(struct req *r)
{
    struct page_cache_stats st;
    struct topic t = topic_at(1, 7, 3);
    struct post *p;
    const struct post *got;
    size_t n = 0;

    ok(page_cache_get(r, &t, 0, 20, &n) == NULL, "nothing kept at first");
    {
        struct arena *a = page_of(3, 100, &p);

        page_cache_put(r, &t, 0, 20, a, p, 3);
    }
    got = page_cache_get(r, &t, 0, 20, &n);
    ok(got == p && n == 3, "kept, and found by topic, start and size");
    ok(page_cache_get(r, &t, 20, 20, &n) == NULL, "another start is another page");
    t.version = 8;
    ok(page_cache_get(r, &t, 0, 20, &n) == NULL, "a new topic version: read afresh");
    page_cache_stats(&st);
    is_int((long long)st.pages, 0, "the stale page is gone from the table");
    ok(got[2].number == 3 && got[2].body.len == 100, "yet this request still reads it");
    arena_reset(&r->arena);
    {
        struct arena *a = page_of(3, 100, &p);

        page_cache_put(r, &t, 0, 20, a, p, 3);
    }
    t.people_version = 4;
    ok(page_cache_get(r, &t, 0, 20, &n) == NULL, "a new people version: read afresh");
    arena_reset(&r->arena);
}

static void held_past_eviction(struct req *r)
{
    struct page_cache_stats st;
    struct topic t = topic_at(2, 1, 1);
    struct req other;
    struct post *p, *q;
    const struct post *held;
    size_t n = 0;
    bool intact = true;

    memset(&other, 0, sizeof(other));
    arena_init(&other.arena);
    {
        struct arena *a = page_of(20, 4000, &p);

        page_cache_put(r, &t, 0, 20, a, p, 20);
    }
    arena_reset(&r->arena);
    held = page_cache_get(&other, &t, 0, 20, &n);
    ok(held == p, "a second request holds the page");
    /* Pages of other topics push it out of a budget of 256 kB. */
    for (int64_t id = 100; id < 110; id++) {
        struct topic u = topic_at(id, 1, 1);

        {
            struct arena *a = page_of(20, 4000, &q);

            page_cache_put(r, &u, 0, 20, a, q, 20);
        }
        arena_reset(&r->arena);
    }
    page_cache_stats(&st);
    ok(st.bytes <= 256 * 1024, "the budget holds");
    ok(st.pages < 11, "the least recently used went");
    ok(page_cache_get(r, &t, 0, 20, &n) == NULL, "the first page went first");
    for (size_t i = 0; i < 20; i++)
        intact = intact && held[i].body.len == 4000 && held[i].body.ptr[3999] == 'a' + (int)i;
    ok(intact, "the request holding it reads it whole");
    arena_release(&other.arena);
    arena_reset(&r->arena);
}

static void too_large(struct req *r)
{
    struct page_cache_stats before, after;
    struct topic t = topic_at(3, 1, 1);
    struct post *p;
    size_t n = 0;

    page_cache_stats(&before);
    {
        struct arena *a = page_of(20, 20000, &p);

        page_cache_put(r, &t, 0, 20, a, p, 20);
    }
    page_cache_stats(&after);
    ok(after.pages <= before.pages, "a page larger than the budget is not kept");
    ok(p[19].body.len == 20000, "but serves its own request");
    ok(page_cache_get(r, &t, 0, 20, &n) == NULL, "and nobody finds it");
    arena_reset(&r->arena);
}

int main(void)
{
    struct req r;

    memset(&r, 0, sizeof(r));
    arena_init(&r.arena);
    page_cache_init(256 * 1024);
    ok(page_cache_on(), "on with a budget");
    found_by_versions(&r);
    held_past_eviction(&r);
    too_large(&r);
    page_cache_fini();
    ok(!page_cache_on(), "off once finished");
    arena_release(&r.arena);
    return tap_done();
}
