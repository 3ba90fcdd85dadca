/*
 * Live: what happens now reaches the people who may see it, as it happens.
 *
 * A feature that changes something others are looking at (a post, a chat
 * message, a notification) calls live_emit() inside its writing
 * transaction. The event is stored (live_events, for replay after a
 * reconnect and for the other nodes) and, once the transaction commits,
 * published to this node's hub (http/hub.h), which hands it to every open
 * stream subscribed to one of its keys; on PostgreSQL a NOTIFY sent in the
 * same transaction tells the other nodes. A rolled-back transaction
 * publishes nothing.
 *
 * Who may see an event is decided when a stream subscribes (the one policy,
 * through spaces_open()), so an event names the keys it is routed by:
 *   user_id    set: only that person's streams (a notification count);
 *   channel_id set: only streams subscribed to that channel (chat);
 *   otherwise:      streams subscribed to topic_id or to space_id.
 * The stream feature (live.c) serves GET /api/v1/stream and presence.
 */
#ifndef PRAXIS_FEATURE_LIVE_H
#define PRAXIS_FEATURE_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "http/http.h"

struct app;
struct db;

struct live_event {
    const char *type;   /* "post", "message", "notification"…: the SSE event name */
    int64_t space_id;   /* the space it happens in; 0 for none (a direct conversation) */
    int64_t topic_id;   /* 0 when not about a topic */
    int64_t channel_id; /* 0 when not about a chat channel */
    int64_t user_id;    /* for one person only; 0 for whoever may see the rest */
    struct str data;    /* a JSON object: the event's fields (the stream adds "type" and "id") */
};

/*
 * Record ev on db inside the caller's open transaction (a bug otherwise);
 * it is published when that transaction commits. a may have no hub (a
 * command such as praxis demo): then only the row (and on PostgreSQL the
 * NOTIFY) is written. Returns 0 or the database's error; E_TOOBIG when
 * data is over LIVE_DATA_MAX.
 */
#define LIVE_DATA_MAX ((size_t)32 * 1024)
int live_emit(struct app *a, struct db *db, const struct live_event *ev);

/* The stream, presence and the node's place among the others. */
extern const struct feature feature_live;

/*
 * praxis serve: start the hub and this node's heartbeat (and on SQLite take
 * the lock that keeps a second node off the same file) before the server
 * listens; end the streams before the server stops; stop after it did.
 */
int live_start(struct app *a);
void live_end_streams(struct app *a);
void live_stop(struct app *a);

#endif
