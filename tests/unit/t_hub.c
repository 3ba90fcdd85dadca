/*
 * The live hub (http/hub.c): SSE frames, routing by keys (each subscriber
 * gets an event once, a user's or a channel's events go nowhere else),
 * replay of recent events, the floor below which a reconnect must reload,
 * a full ring that marks its subscriber, and the end of streams.
 *
 * The streams here are the test's own: it defines stream_wake/ref/unref,
 * so the server (which defines them for real connections) is not linked.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "core/str.h"
#include "http/http.h"
#include "http/hub.h"
#include "tap.h"

struct stream {
    _Atomic int wakes;
    _Atomic int refs;
};

void stream_wake(struct stream *st)
{
    atomic_fetch_add(&st->wakes, 1);
}

void stream_ref(struct stream *st)
{
    atomic_fetch_add(&st->refs, 1);
}

void stream_unref(struct stream *st)
{
    atomic_fetch_sub(&st->refs, 1);
}

static void pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};

    nanosleep(&ts, NULL);
}

/* Take what reached s within a second, into ids (at most max); returns how many. */
static int drain(struct hub_sub *s, int64_t *ids, int max, int want)
{
    int n = 0;

    for (int tries = 0; tries < 200 && n < want; tries++) {
        struct hub_event *e;

        while ((e = hub_sub_next(s))) {
            if (n < max)
                ids[n] = e->id;
            n++;
            hub_event_unref(e);
        }
        if (n < want)
            pause_ms(5);
    }
    return n;
}

static void frames(void)
{
    struct hub_event *e = hub_event_new(7, "post", 1, 2, 0, 0, STR_LIT("{\"a\":1,\"b\":\"x\"}"));

    ok(e != NULL, "an event from an object");
    is_mem(e->frame, e->len,
           "id: 7\nevent: post\ndata: {\"type\":\"post\",\"id\":7,\"a\":1,\"b\":\"x\"}\n\n",
           "its frame: id, event, data with type and id first");
    hub_event_unref(e);
    e = hub_event_new(8, "ping.me", 0, 0, 0, 3, STR_LIT("{}"));
    is_mem(e->frame, e->len, "id: 8\nevent: ping.me\ndata: {\"type\":\"ping.me\",\"id\":8}\n\n",
           "an empty object");
    hub_event_unref(e);
    e = hub_event_new(9, "post", 0, 0, 0, 3, STR_LIT("{\"a\":\n1}"));
    is_mem(e->frame, e->len, "id: 9\nevent: post\ndata: {\"type\":\"post\",\"id\":9,\"a\": 1}\n\n",
           "a newline between tokens cannot end the data line");
    hub_event_unref(e);
    {
        uint64_t space1[] = {HUB_KEY(HUB_KEY_SPACE, 1)}, topic2[] = {HUB_KEY(HUB_KEY_TOPIC, 2)};
        uint64_t user3[] = {HUB_KEY(HUB_KEY_USER, 3)}, chan4[] = {HUB_KEY(HUB_KEY_CHANNEL, 4)};
        struct hub_event *post = hub_event_new(1, "post", 1, 2, 0, 0, STR_LIT("{}"));
        struct hub_event *mine = hub_event_new(2, "notification", 1, 0, 0, 3, STR_LIT("{}"));
        struct hub_event *msg = hub_event_new(3, "message", 1, 0, 4, 0, STR_LIT("{}"));

        ok(hub_event_for(post, space1, 1) && hub_event_for(post, topic2, 1),
           "a post: to its space and to its topic");
        ok(!hub_event_for(post, user3, 1), "not to a person");
        ok(hub_event_for(mine, user3, 1) && !hub_event_for(mine, space1, 1),
           "a person's event: to them only, not to its space");
        ok(hub_event_for(msg, chan4, 1) && !hub_event_for(msg, space1, 1),
           "a channel's event: to the channel only, not to its space");
        hub_event_unref(post);
        hub_event_unref(mine);
        hub_event_unref(msg);
    }
    ok(!hub_event_new(1, "post", 0, 0, 0, 0, STR_LIT("[1]")), "not an object: refused");
    ok(!hub_event_new(1, "post", 0, 0, 0, 0, STR_LIT("")), "nothing: refused");
    ok(!hub_event_new(1, "po st\nevent: x", 0, 0, 0, 0, STR_LIT("{}")),
       "a type that would break the frame: refused");
}

static void routing(void)
{
    struct hub *h = hub_start(NULL, 300);
    struct stream sa = {0}, sb = {0}, sc = {0}, sd = {0}, se = {0};
    uint64_t ka[] = {HUB_KEY(HUB_KEY_SPACE, 1)};
    uint64_t kb[] = {HUB_KEY(HUB_KEY_TOPIC, 2), HUB_KEY(HUB_KEY_SPACE, 1)};
    uint64_t kc[] = {HUB_KEY(HUB_KEY_USER, 5)};
    uint64_t kd[] = {HUB_KEY(HUB_KEY_CHANNEL, 9)};
    struct hub_sub *a, *b, *c, *d, *late, *small, *behind;
    int64_t ids[16];
    int n;

    ok(h != NULL, "the hub starts");
    a = hub_subscribe(h, ka, 1, -1, 16, &sa, NULL);
    b = hub_subscribe(h, kb, 2, -1, 16, &sb, NULL);
    c = hub_subscribe(h, kc, 1, -1, 16, &sc, NULL);
    d = hub_subscribe(h, kd, 1, -1, 16, &sd, NULL);
    ok(atomic_load(&sa.refs) == 1, "a subscription holds its stream");
    hub_publish(h, hub_event_new(10, "post", 1, 2, 0, 0, STR_LIT("{}")));
    hub_publish(h, hub_event_new(11, "notification", 1, 0, 0, 5, STR_LIT("{}")));
    hub_publish(h, hub_event_new(12, "message", 1, 0, 9, 0, STR_LIT("{}")));
    hub_publish(h, hub_event_new(13, "post", 1, 0, 0, 0, STR_LIT("{}")));
    n = drain(a, ids, 16, 2);
    is_int(n, 2,
           "the space's subscriber: the post and the space event, not the user's or channel's");
    is_int(ids[0], 10, "in order (1)");
    is_int(ids[1], 13, "in order (2)");
    n = drain(b, ids, 16, 2);
    is_int(n, 2, "topic and space subscriber gets the topic's post once");
    n = drain(c, ids, 16, 1);
    is_int(n, 1, "the user's event only to the user");
    is_int(ids[0], 11, "that one");
    n = drain(d, ids, 16, 1);
    is_int(n, 1, "the channel's message only to the channel");
    is_int(ids[0], 12, "that one");
    ok(atomic_load(&sa.wakes) > 0, "a subscriber is woken for its events");

    late = hub_subscribe(h, kb, 2, 10, 16, &sd, NULL);
    n = drain(late, ids, 16, 1);
    is_int(n, 1, "a late subscriber after id 10 gets the recent ones it missed");
    is_int(ids[0], 13, "only those after 10, of its keys");

    small = hub_subscribe(h, kc, 1, -1, 4, &se, NULL);
    pause_ms(50); /* added before the burst */
    for (int i = 0; i < 10; i++)
        hub_publish(h, hub_event_new(100 + i, "test", 0, 0, 0, 5, STR_LIT("{}")));
    for (int tries = 0; tries < 200 && hub_sub_state(small) != HUB_SUB_OVERFLOW; tries++)
        pause_ms(5);
    is_int(hub_sub_state(small), HUB_SUB_OVERFLOW, "a full ring marks its subscriber");
    for (int tries = 0; tries < 200 && hub_dropped(h) < 6; tries++)
        pause_ms(5);
    is_int(hub_dropped(h), 6, "and counts what it dropped: all past the first four");

    hub_set_floor(h, 500);
    behind = hub_subscribe(h, ka, 1, 20, 16, &sd, NULL);
    for (int tries = 0; tries < 200 && hub_sub_state(behind) != HUB_SUB_RELOAD; tries++)
        pause_ms(5);
    is_int(hub_sub_state(behind), HUB_SUB_RELOAD, "asking for more than memory holds: reload");
    is_int(hub_subscribers(h), 7, "seven subscriptions");

    hub_end_streams(h);
    for (int tries = 0; tries < 200 && hub_sub_state(a) != HUB_SUB_CLOSING; tries++)
        pause_ms(5);
    is_int(hub_sub_state(a), HUB_SUB_CLOSING, "ending the streams tells each");
    hub_unsubscribe(h, a);
    hub_unsubscribe(h, b);
    for (int tries = 0; tries < 200 && hub_subscribers(h) != 5; tries++)
        pause_ms(5);
    is_int(hub_subscribers(h), 5, "dropped subscriptions go");
    is_int(atomic_load(&sa.refs), 0, "and let go of their stream");
    hub_stop(h);
    is_int(atomic_load(&sc.refs) + atomic_load(&sd.refs) + atomic_load(&se.refs), 0,
           "stopping frees the rest");
}

int main(void)
{
    frames();
    routing();
    return tap_done();
}
