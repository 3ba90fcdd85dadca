/*
 * The hub (see hub.h): one thread, an inbox of commands, a map from keys
 * to subscribers, and a ring per subscriber.
 *
 * Threads: publishers and streams only push commands (inbox lock, held for
 * a pointer swap) and read their own ring (atomics). Everything else — the
 * map, the list of subscriptions, the recent events — belongs to the hub
 * thread and takes no lock.
 */
#include "http/hub.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/http.h"

/* Events ----------------------------------------------------------------- */

struct hub_event *hub_event_new(int64_t id, const char *type, int64_t space_id, int64_t topic_id,
                                int64_t channel_id, int64_t user_id, struct str data)
{
    struct hub_event *e;
    char head[160];
    int hn;
    size_t rest, len;

    if (data.len < 2 || data.ptr[0] != '{' || data.ptr[data.len - 1] != '}')
        return NULL;
    for (const char *t = type; *t; t++)
        if (!((*t >= 'a' && *t <= 'z') || *t == '.' || *t == '_'))
            return NULL;
    /* data's inside, after "{": empty for "{}", else it needs a comma before it. */
    rest = data.len - 1;
    while (rest > 1 && (data.ptr[data.len - rest] == ' ' || data.ptr[data.len - rest] == '\n'))
        rest--;
    hn = snprintf(head, sizeof(head), "id: %lld\nevent: %s\ndata: {\"type\":\"%s\",\"id\":%lld%s",
                  (long long)id, type, type, (long long)id, rest > 1 ? "," : "");
    if (hn < 0 || (size_t)hn >= sizeof(head))
        return NULL;
    len = (size_t)hn + (rest > 1 ? data.len - 1 : 1) + 2;
    e = xmalloc(sizeof(*e) + len + 1);
    atomic_init(&e->refs, 1);
    e->id = id;
    e->space_id = space_id;
    e->topic_id = topic_id;
    e->channel_id = channel_id;
    e->user_id = user_id;
    memcpy(e->frame, head, (size_t)hn);
    if (rest > 1)
        memcpy(e->frame + hn, data.ptr + 1, data.len - 1);
    else
        e->frame[hn] = '}';
    /* A JSON text has no raw newline inside strings; one between tokens would end the data line. */
    for (size_t i = (size_t)hn; i < len - 2; i++)
        if (e->frame[i] == '\n' || e->frame[i] == '\r')
            e->frame[i] = ' ';
    e->frame[len - 2] = '\n';
    e->frame[len - 1] = '\n';
    e->frame[len] = '\0';
    e->len = len;
    return e;
}

void hub_event_ref(struct hub_event *e)
{
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

void hub_event_unref(struct hub_event *e)
{
    if (e && atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1)
        free(e);
}

/* The keys an event is routed by (see feature/live/live.h). */
static size_t event_keys(const struct hub_event *e, uint64_t keys[2])
{
    size_t n = 0;

    if (e->user_id) {
        keys[n++] = HUB_KEY(HUB_KEY_USER, e->user_id);
    } else if (e->channel_id) {
        keys[n++] = HUB_KEY(HUB_KEY_CHANNEL, e->channel_id);
    } else {
        if (e->topic_id)
            keys[n++] = HUB_KEY(HUB_KEY_TOPIC, e->topic_id);
        if (e->space_id)
            keys[n++] = HUB_KEY(HUB_KEY_SPACE, e->space_id);
    }
    return n;
}

bool hub_event_for(const struct hub_event *e, const uint64_t *keys, size_t n)
{
    uint64_t want[2];
    size_t nw = event_keys(e, want);

    for (size_t i = 0; i < nw; i++)
        for (size_t k = 0; k < n; k++)
            if (keys[k] == want[i])
                return true;
    return false;
}

/* Subscriptions ---------------------------------------------------------- */

struct hub_sub {
    struct hub_sub *prev, *next; /* the hub's list (hub thread) */
    struct stream *stream;
    void *owner;
    int64_t after;
    uint64_t stamp; /* the last delivery that reached it (hub thread) */
    bool to_wake;   /* in the hub's wake list (hub thread) */
    _Atomic int state;
    _Atomic bool ping;
    size_t mask;
    _Atomic size_t head, tail; /* the ring: the stream takes at head, the hub puts at tail */
    size_t nkeys;
    uint64_t *keys;
    uint32_t *pos; /* where this sub sits in each key's list */
    struct hub_event *ring[];
};

/* A key's subscribers. */
struct slot {
    uint64_t key; /* 0: empty */
    struct hub_sub **subs;
    uint32_t *which; /* for each, the index of this key in that sub's keys */
    uint32_t n, cap;
};

struct cmd {
    struct cmd *next;
    enum { CMD_EVENT, CMD_ADD, CMD_DEL, CMD_END } kind;
    struct hub_event *ev;
    struct hub_sub *sub;
};

struct hub {
    pthread_t thread;
    bool started;
    int efd;
    struct hub_hooks hooks;
    unsigned ping_s;

    pthread_mutex_t lock; /* the inbox only */
    struct cmd *inbox;    /* newest first */
    bool stopping;

    _Atomic int64_t floor;
    _Atomic long nsubs;
    _Atomic unsigned long dropped;

    /* The hub thread's own. */
    struct slot *map;
    size_t mapcap, mapused;
    struct hub_sub *subs;
    uint64_t stamp;
    struct hub_sub **wake; /* to wake once the commands at hand are done */
    size_t nwake, capwake;
    struct hub_event *recent[HUB_RECENT];
    size_t rstart, rcount;
    bool ending;
};

static struct slot *slot_find(struct hub *h, uint64_t key, bool create);

static void map_grow(struct hub *h)
{
    struct slot *old = h->map;
    size_t oldcap = h->mapcap;

    h->mapcap = oldcap ? oldcap * 2 : 256;
    h->map = xcalloc(h->mapcap, sizeof(*h->map));
    h->mapused = 0;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].key)
            continue;
        *slot_find(h, old[i].key, true) = old[i];
    }
    free(old);
}

static size_t key_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

/*
 * The slot of key, or with create a fresh one for it (slots are never
 * removed: a key once used keeps its empty slot, which costs 32 bytes).
 */
static struct slot *slot_find(struct hub *h, uint64_t key, bool create)
{
    size_t i;

    if (create && (h->mapused + 1) * 4 >= h->mapcap * 3)
        map_grow(h);
    if (!h->mapcap)
        return NULL;
    for (i = key_hash(key) & (h->mapcap - 1);; i = (i + 1) & (h->mapcap - 1)) {
        if (h->map[i].key == key)
            return &h->map[i];
        if (!h->map[i].key)
            break;
    }
    if (!create)
        return NULL;
    h->map[i] = (struct slot){.key = key};
    h->mapused++;
    return &h->map[i];
}

/*
 * Wake s once the commands at hand are done: a burst of events to many
 * streams fills every ring first, then resumes each stream once.
 */
static void wake_later(struct hub *h, struct hub_sub *s)
{
    if (s->to_wake)
        return;
    s->to_wake = true;
    if (h->nwake == h->capwake) {
        h->capwake = h->capwake ? h->capwake * 2 : 256;
        h->wake = xrealloc(h->wake, h->capwake * sizeof(struct hub_sub *));
    }
    h->wake[h->nwake++] = s;
}

static void wake_all(struct hub *h)
{
    for (size_t i = 0; i < h->nwake; i++) {
        h->wake[i]->to_wake = false;
        stream_wake(h->wake[i]->stream);
    }
    h->nwake = 0;
}

static void push(struct hub *h, struct hub_sub *s, struct hub_event *e)
{
    size_t tail = atomic_load_explicit(&s->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&s->head, memory_order_acquire);

    if (tail - head > s->mask) {
        int ok = HUB_SUB_OK;

        atomic_fetch_add_explicit(&h->dropped, 1, memory_order_relaxed);
        atomic_compare_exchange_strong(&s->state, &ok, HUB_SUB_OVERFLOW);
        wake_later(h, s);
        return;
    }
    hub_event_ref(e);
    s->ring[tail & s->mask] = e;
    atomic_store_explicit(&s->tail, tail + 1, memory_order_release);
    wake_later(h, s);
}

static void deliver(struct hub *h, struct hub_event *e)
{
    uint64_t keys[2];
    size_t nk = event_keys(e, keys);

    h->stamp++;
    for (size_t k = 0; k < nk; k++) {
        struct slot *sl = slot_find(h, keys[k], false);

        if (!sl)
            continue;
        for (uint32_t i = 0; i < sl->n; i++) {
            struct hub_sub *s = sl->subs[i];

            if (s->stamp == h->stamp)
                continue;
            s->stamp = h->stamp;
            push(h, s, e);
        }
    }
}

static void remember(struct hub *h, struct hub_event *e)
{
    if (h->rcount == HUB_RECENT) {
        struct hub_event *old = h->recent[h->rstart];

        if (old->id > atomic_load_explicit(&h->floor, memory_order_relaxed))
            atomic_store_explicit(&h->floor, old->id, memory_order_relaxed);
        hub_event_unref(old);
        h->recent[h->rstart] = e;
        h->rstart = (h->rstart + 1) % HUB_RECENT;
    } else {
        h->recent[(h->rstart + h->rcount++) % HUB_RECENT] = e;
    }
}

static void sub_add(struct hub *h, struct hub_sub *s)
{
    s->next = h->subs;
    s->prev = NULL;
    if (h->subs)
        h->subs->prev = s;
    h->subs = s;
    for (size_t k = 0; k < s->nkeys; k++) {
        struct slot *sl = slot_find(h, s->keys[k], true);

        if (sl->n == sl->cap) {
            sl->cap = sl->cap ? sl->cap * 2 : 4;
            sl->subs = xrealloc(sl->subs, sl->cap * sizeof(struct hub_sub *));
            sl->which = xrealloc(sl->which, sl->cap * sizeof(*sl->which));
        }
        s->pos[k] = sl->n;
        sl->subs[sl->n] = s;
        sl->which[sl->n] = (uint32_t)k;
        sl->n++;
    }
    if (h->hooks.added)
        h->hooks.added(h->hooks.arg, s->owner);
    if (h->ending) {
        atomic_store(&s->state, HUB_SUB_CLOSING);
        stream_wake(s->stream);
        return;
    }
    if (s->after < 0)
        return;
    if (s->after < atomic_load_explicit(&h->floor, memory_order_relaxed)) {
        atomic_store(&s->state, HUB_SUB_RELOAD);
        stream_wake(s->stream);
        return;
    }
    for (size_t i = 0; i < h->rcount; i++) {
        struct hub_event *e = h->recent[(h->rstart + i) % HUB_RECENT];
        if (e->id > s->after && hub_event_for(e, s->keys, s->nkeys))
            push(h, s, e);
    }
}

static void sub_free(struct hub_sub *s)
{
    struct hub_event *e;

    while ((e = hub_sub_next(s)))
        hub_event_unref(e);
    stream_unref(s->stream);
    free(s);
}

static void sub_del(struct hub *h, struct hub_sub *s)
{
    if (s->to_wake) { /* not to be woken after all: it is going */
        for (size_t i = 0; i < h->nwake; i++) {
            if (h->wake[i] == s) {
                h->wake[i] = h->wake[--h->nwake];
                break;
            }
        }
    }
    for (size_t k = 0; k < s->nkeys; k++) {
        struct slot *sl = slot_find(h, s->keys[k], false);
        uint32_t i = s->pos[k], last;

        if (!sl || i >= sl->n || sl->subs[i] != s)
            continue; /* cannot happen */
        last = sl->n - 1;
        if (i != last) {
            struct hub_sub *moved = sl->subs[last];

            sl->subs[i] = moved;
            sl->which[i] = sl->which[last];
            moved->pos[sl->which[i]] = i;
        }
        sl->n--;
    }
    if (s->prev)
        s->prev->next = s->next;
    else
        h->subs = s->next;
    if (s->next)
        s->next->prev = s->prev;
    if (h->hooks.removed)
        h->hooks.removed(h->hooks.arg, s->owner);
    atomic_fetch_sub_explicit(&h->nsubs, 1, memory_order_relaxed);
    sub_free(s);
}

/* The thread ------------------------------------------------------------- */

static void send_cmd(struct hub *h, struct cmd *c)
{
    uint64_t one = 1;
    bool dropped = false;

    pthread_mutex_lock(&h->lock);
    if (h->stopping && c->kind == CMD_EVENT) {
        dropped = true;
    } else {
        c->next = h->inbox;
        h->inbox = c;
    }
    pthread_mutex_unlock(&h->lock);
    if (dropped) {
        hub_event_unref(c->ev);
        free(c);
        return;
    }
    if (write(h->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        log_warn("hub: cannot wake the hub thread: %s", strerror(errno));
}

/* Take the inbox, oldest first. */
static struct cmd *take_inbox(struct hub *h)
{
    struct cmd *c, *fifo = NULL;

    pthread_mutex_lock(&h->lock);
    c = h->inbox;
    h->inbox = NULL;
    pthread_mutex_unlock(&h->lock);
    while (c) {
        struct cmd *next = c->next;

        c->next = fifo;
        fifo = c;
        c = next;
    }
    return fifo;
}

static void run_cmds(struct hub *h, struct cmd *c)
{
    while (c) {
        struct cmd *next = c->next;

        switch (c->kind) {
        case CMD_EVENT:
            deliver(h, c->ev);
            remember(h, c->ev);
            break;
        case CMD_ADD:
            sub_add(h, c->sub);
            break;
        case CMD_DEL:
            sub_del(h, c->sub);
            break;
        case CMD_END:
            h->ending = true;
            for (struct hub_sub *s = h->subs; s; s = s->next) {
                atomic_store(&s->state, HUB_SUB_CLOSING);
                stream_wake(s->stream);
            }
            break;
        }
        free(c);
        c = next;
    }
    wake_all(h);
}

static void *hub_main(void *arg)
{
    struct hub *h = arg;
    int64_t next_tick = clock_mono_us() + 1000000,
            next_ping = clock_mono_us() + h->ping_s * 1000000LL;

    for (;;) {
        struct pollfd p[2] = {{.fd = h->efd, .events = POLLIN}, {.fd = -1}};
        int64_t now = clock_mono_us();
        int wait_ms = next_tick > now ? (int)((next_tick - now) / 1000) + 1 : 0;
        bool stop;

        if (h->hooks.fd)
            p[1].fd = h->hooks.fd(h->hooks.arg);
        if (p[1].fd >= 0)
            p[1].events = POLLIN;
        if (poll(p, 2, wait_ms) < 0 && errno != EINTR)
            log_warn("hub: poll: %s", strerror(errno));
        if (p[0].revents & POLLIN) {
            uint64_t v;

            if (read(h->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
                log_warn("hub: read: %s", strerror(errno));
        }
        run_cmds(h, take_inbox(h));
        if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLERR | POLLHUP)) && h->hooks.readable)
            h->hooks.readable(h->hooks.arg);
        now = clock_mono_us();
        if (now >= next_tick) {
            next_tick = now + 1000000;
            if (h->hooks.tick)
                h->hooks.tick(h->hooks.arg, now);
        }
        if (now >= next_ping) {
            next_ping = now + h->ping_s * 1000000LL;
            for (struct hub_sub *s = h->subs; s; s = s->next) {
                atomic_store_explicit(&s->ping, true, memory_order_relaxed);
                stream_wake(s->stream);
            }
        }
        pthread_mutex_lock(&h->lock);
        stop = h->stopping && !h->inbox;
        pthread_mutex_unlock(&h->lock);
        if (stop)
            break;
    }
    return NULL;
}

struct hub *hub_start(const struct hub_hooks *hooks, unsigned ping_s)
{
    struct hub *h = xcalloc(1, sizeof(*h));

    h->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (h->efd < 0) {
        log_error("hub: eventfd: %s", strerror(errno));
        free(h);
        return NULL;
    }
    if (hooks)
        h->hooks = *hooks;
    h->ping_s = ping_s ? ping_s : 15;
    pthread_mutex_init(&h->lock, NULL);
    if (pthread_create(&h->thread, NULL, hub_main, h)) {
        log_error("hub: cannot start its thread");
        close(h->efd);
        pthread_mutex_destroy(&h->lock);
        free(h);
        return NULL;
    }
    h->started = true;
    return h;
}

void hub_end_streams(struct hub *h)
{
    struct cmd *c;

    if (!h)
        return;
    c = xcalloc(1, sizeof(*c));
    c->kind = CMD_END;
    send_cmd(h, c);
}

void hub_stop(struct hub *h)
{
    uint64_t one = 1;

    if (!h)
        return;
    pthread_mutex_lock(&h->lock);
    h->stopping = true;
    pthread_mutex_unlock(&h->lock);
    if (write(h->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        log_warn("hub: cannot wake the hub thread: %s", strerror(errno));
    if (h->started)
        pthread_join(h->thread, NULL);
    run_cmds(h, take_inbox(h));
    while (h->subs) { /* none when the server stopped first: each stream said it ended */
        struct hub_sub *s = h->subs;

        h->subs = s->next;
        if (h->hooks.removed)
            h->hooks.removed(h->hooks.arg, s->owner);
        sub_free(s);
    }
    for (size_t i = 0; i < h->mapcap; i++) {
        free(h->map[i].subs);
        free(h->map[i].which);
    }
    free(h->map);
    free(h->wake);
    for (size_t i = 0; i < h->rcount; i++)
        hub_event_unref(h->recent[(h->rstart + i) % HUB_RECENT]);
    close(h->efd);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

void hub_publish(struct hub *h, struct hub_event *e)
{
    struct cmd *c = xmalloc(sizeof(*c));

    c->kind = CMD_EVENT;
    c->ev = e;
    c->sub = NULL;
    send_cmd(h, c);
}

int64_t hub_newest(struct hub *h)
{
    int64_t newest = atomic_load_explicit(&h->floor, memory_order_relaxed);

    for (size_t i = 0; i < h->rcount; i++) {
        int64_t id = h->recent[(h->rstart + i) % HUB_RECENT]->id;

        if (id > newest)
            newest = id;
    }
    return newest;
}

bool hub_remembers(struct hub *h, int64_t id)
{
    for (size_t i = 0; i < h->rcount; i++)
        if (h->recent[(h->rstart + i) % HUB_RECENT]->id == id)
            return true;
    return false;
}

void hub_reload_all(struct hub *h)
{
    for (struct hub_sub *s = h->subs; s; s = s->next) {
        int ok = HUB_SUB_OK;

        if (atomic_compare_exchange_strong(&s->state, &ok, HUB_SUB_RELOAD))
            wake_later(h, s);
    }
    wake_all(h);
}

int64_t hub_floor(struct hub *h)
{
    return atomic_load_explicit(&h->floor, memory_order_relaxed);
}

void hub_set_floor(struct hub *h, int64_t id)
{
    atomic_store_explicit(&h->floor, id, memory_order_relaxed);
}

long hub_subscribers(struct hub *h)
{
    return atomic_load_explicit(&h->nsubs, memory_order_relaxed);
}

unsigned long hub_dropped(struct hub *h)
{
    return atomic_load_explicit(&h->dropped, memory_order_relaxed);
}

struct hub_sub *hub_subscribe(struct hub *h, const uint64_t *keys, size_t nkeys, int64_t after,
                              size_t queue_cap, struct stream *stream, void *owner)
{
    size_t cap = 4;
    struct hub_sub *s;
    struct cmd *c;

    while (cap < queue_cap && cap < ((size_t)1 << 20))
        cap <<= 1;
    if (nkeys > HUB_KEYS_MAX)
        nkeys = HUB_KEYS_MAX;
    s = xcalloc(1, sizeof(*s) + cap * sizeof(struct hub_event *) + nkeys * (sizeof(uint64_t) + 4));
    s->mask = cap - 1;
    s->keys = (uint64_t *)(void *)(s->ring + cap);
    s->pos = (uint32_t *)(void *)(s->keys + nkeys);
    memcpy(s->keys, keys, nkeys * sizeof(*keys));
    s->nkeys = nkeys;
    s->after = after;
    s->owner = owner;
    s->stream = stream;
    stream_ref(stream);
    atomic_init(&s->state, HUB_SUB_OK);
    atomic_fetch_add_explicit(&h->nsubs, 1, memory_order_relaxed);
    c = xcalloc(1, sizeof(*c));
    c->kind = CMD_ADD;
    c->sub = s;
    send_cmd(h, c);
    return s;
}

struct hub_event *hub_sub_next(struct hub_sub *s)
{
    size_t head = atomic_load_explicit(&s->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&s->tail, memory_order_acquire);
    struct hub_event *e;

    if (head == tail)
        return NULL;
    e = s->ring[head & s->mask];
    atomic_store_explicit(&s->head, head + 1, memory_order_release);
    return e;
}

enum hub_sub_state hub_sub_state(struct hub_sub *s)
{
    return (enum hub_sub_state)atomic_load(&s->state);
}

bool hub_sub_ping_due(struct hub_sub *s)
{
    return atomic_exchange_explicit(&s->ping, false, memory_order_relaxed);
}

void hub_unsubscribe(struct hub *h, struct hub_sub *s)
{
    struct cmd *c = xcalloc(1, sizeof(*c));

    c->kind = CMD_DEL;
    c->sub = s;
    send_cmd(h, c);
}
