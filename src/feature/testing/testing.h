/*
 * Routes that exist only when test-mode is on: an echo of typed inputs, so
 * the HTTP tests can drive every body parser and validation rule through
 * the real server, and a slow request for the graceful-stop test. The
 * router never registers them otherwise (ROUTE_TEST_ONLY).
 */
#ifndef PRAXIS_FEATURE_TESTING_H
#define PRAXIS_FEATURE_TESTING_H

#include "http/http.h"

extern const struct feature feature_testing;

#endif
