/*
 * The server: libmicrohttpd with its internal thread pool (one thread per
 * core, epoll), a worker context per thread (database connection, metrics,
 * recycled requests), and a graceful stop. The one file that includes
 * microhttpd.h is server.c.
 */
#ifndef PRAXIS_HTTP_SERVER_H
#define PRAXIS_HTTP_SERVER_H

#include <stddef.h>

#include "core/buf.h"

struct app;
struct server;

/*
 * Start listening on the configured address (port 0 picks a free port).
 * Returns NULL after logging why when it cannot.
 */
struct server *server_start(struct app *a);
/* The port actually bound. */
unsigned server_port(const struct server *s);
/*
 * Stop accepting, wait up to LIMIT_SHUTDOWN_MS for requests in flight, then
 * close every connection and free the server.
 */
void server_stop(struct server *s);
/* Append the Prometheus text exposition of the HTTP and database figures. */
int server_metrics(struct server *s, struct buf *b);

#endif
