/*
 * The hub: this process's publish/subscribe for live streams.
 *
 * One thread (the hub's) owns every subscription and the map from routing
 * keys to subscribers. Anyone may publish an event or add or drop a
 * subscription from any thread: each is a command pushed on the hub's
 * inbox (a short mutex around two pointer writes) and an eventfd wake-up.
 * The hub thread hands each event to the subscribers of its keys through a
 * per-subscriber single-producer single-consumer ring (atomics, no lock),
 * then wakes the stream if it sleeps (stream_wake(), see http.h). So a
 * publisher never waits for a reader, and a slow reader only fills its own
 * ring: when that overflows it is marked, and its stream ends.
 *
 * Events are immutable and reference-counted: one ready SSE frame shared by
 * every subscriber's ring. The hub keeps the last HUB_RECENT of them to
 * replay to a stream that reconnects with Last-Event-ID; older ones come
 * from the database (feature/live).
 *
 * Other sources of events (PostgreSQL's LISTEN, on the live feature's
 * connection) plug in through hub_hooks: a descriptor the hub thread also
 * polls, a tick once a second, and calls when subscriptions come and go.
 */
#ifndef PRAXIS_HTTP_HUB_H
#define PRAXIS_HTTP_HUB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct hub;
struct hub_sub;
struct stream;

#define HUB_RECENT   4096 /* events kept for replay */
#define HUB_KEYS_MAX 40   /* keys one subscription may have */

/* Routing keys: a kind and an id. */
enum hub_key_kind { HUB_KEY_USER = 1, HUB_KEY_SPACE, HUB_KEY_TOPIC, HUB_KEY_CHANNEL };
#define HUB_KEY(kind, id) (((uint64_t)(kind) << 56) | ((uint64_t)(id)&0x00ffffffffffffffULL))

struct hub_event {
    _Atomic int refs;
    int64_t id;
    int64_t space_id, topic_id, channel_id, user_id;
    size_t len;   /* of frame */
    char frame[]; /* "id: …\nevent: …\ndata: {…}\n\n" */
};

/*
 * A new event with one reference: type names it (a short word of letters,
 * dots and underscores) and data is a JSON object, into which the frame's
 * data puts "type" and "id" first. NULL when data is not an object.
 */
struct hub_event *hub_event_new(int64_t id, const char *type, int64_t space_id, int64_t topic_id,
                                int64_t channel_id, int64_t user_id, struct str data);
void hub_event_ref(struct hub_event *e);
/* Whether a subscription with these keys gets e (the routing rule of feature/live/live.h). */
bool hub_event_for(const struct hub_event *e, const uint64_t *keys, size_t n);
void hub_event_unref(struct hub_event *e);

struct hub_hooks {
    void *arg;
    /* On the hub thread, once a second. */
    void (*tick)(void *arg, int64_t now_us);
    /* A descriptor to poll for reading too (-1 for none), asked before each wait. */
    int (*fd)(void *arg);
    void (*readable)(void *arg);
    /* A subscription began or ended (its owner is what hub_sub_new was given). */
    void (*added)(void *arg, void *owner);
    void (*removed)(void *arg, void *owner);
};

/*
 * Start the hub thread; NULL (logged) when it cannot. hooks may be NULL;
 * every ping_s seconds each stream is told a keep-alive is due.
 */
struct hub *hub_start(const struct hub_hooks *hooks, unsigned ping_s);
/* Tell every stream to end (before the server stops: they close). Any thread. */
void hub_end_streams(struct hub *h);
/* Stop the thread and free what is left (after the server stopped). */
void hub_stop(struct hub *h);
/*
 * Publish e (the hub takes the caller's reference). Any thread; returns at
 * once. After hub_stop() began, the event is dropped.
 */
void hub_publish(struct hub *h, struct hub_event *e);
/*
 * Events with an id at or below this may be gone from the hub's memory:
 * replay after them comes from the database. Any thread.
 */
int64_t hub_floor(struct hub *h);
/* Set the floor at start: the newest event id stored before the hub began. */
void hub_set_floor(struct hub *h, int64_t id);
/*
 * For a source of events on the hub thread (its hooks) that lost its feed
 * for a while: the newest event id the hub has seen (or the floor), whether
 * it still remembers id, and telling every stream to reload when too much
 * went by. Hub thread only.
 */
int64_t hub_newest(struct hub *h);
bool hub_remembers(struct hub *h, int64_t id);
void hub_reload_all(struct hub *h);
/* Open subscriptions and events dropped by full rings, for /metrics. Any thread. */
long hub_subscribers(struct hub *h);
unsigned long hub_dropped(struct hub *h);

/*
 * A subscription to keys for stream (which it wakes; it takes a reference
 * to it), queue_cap events deep (a power of two, at least 4). Events with
 * an id above after that are still in the hub's memory are replayed first
 * (after < 0: none). owner is handed to the hooks. Any thread; the hub
 * thread adds it shortly.
 */
struct hub_sub *hub_subscribe(struct hub *h, const uint64_t *keys, size_t nkeys, int64_t after,
                              size_t queue_cap, struct stream *stream, void *owner);
/*
 * The stream's side (one thread at a time): the next event, with a
 * reference for the caller, or NULL when none is waiting.
 */
struct hub_event *hub_sub_next(struct hub_sub *s);
enum hub_sub_state {
    HUB_SUB_OK,
    HUB_SUB_OVERFLOW, /* the ring filled: events were lost */
    HUB_SUB_RELOAD,   /* the replay asked for is no longer in memory */
    HUB_SUB_CLOSING,  /* the hub is stopping */
};
enum hub_sub_state hub_sub_state(struct hub_sub *s);
/* A keep-alive is due (taken: the next call says false until the next one). */
bool hub_sub_ping_due(struct hub_sub *s);
/* The stream is over: the hub drops the subscription and frees it. */
void hub_unsubscribe(struct hub *h, struct hub_sub *s);

#endif
