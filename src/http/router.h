/*
 * The router: the routes of every feature compiled once at start into
 * split patterns, matched per request by segment, and the request pipeline
 * around a handler (query and body parsing, input validation, errors).
 */
#ifndef PRAXIS_HTTP_ROUTER_H
#define PRAXIS_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

struct router;

/* Compile the routes of n features; test-only routes only when test_mode. Owned by the caller. */
struct router *router_new(const struct feature *const *features, size_t n, bool test_mode);
void router_free(struct router *rt);
size_t router_count(const struct router *rt);
const struct route *router_route(const struct router *rt, size_t i);

/*
 * Find the route for r->method and r->path, filling r->route, r->route_index
 * and the decoded params. Returns 0, E_NOTFOUND (then *allowed holds a bit
 * per method that would match the path, for 405) or E_INVAL for a path
 * segment that is badly encoded.
 */
int router_match(const struct router *rt, struct req *r, unsigned *allowed);

/* The whole pipeline: match, parse, validate, run the handler, answer errors. */
void router_dispatch(const struct router *rt, struct req *r, struct resp *w);

#endif
