/*
 * Static assets embedded at build time (tools/embed.c), served at their
 * content-hashed paths with a year-long immutable cache and a precompressed
 * gzip variant for clients that accept it.
 */
#ifndef PRAXIS_FEATURE_STATIC_H
#define PRAXIS_FEATURE_STATIC_H

#include "http/http.h"

extern const struct feature feature_static;

#endif
