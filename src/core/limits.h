/*
 * Every limit in one place. Growth driven by outside input is bounded by one
 * of these; hitting it returns E_TOOBIG.
 */
#ifndef PRAXIS_CORE_LIMITS_H
#define PRAXIS_CORE_LIMITS_H

#include <stddef.h>

#define LIMIT_BODY_DEFAULT    ((size_t)1024 * 1024)      /* request body; setting body_limit */
#define LIMIT_BODY_MAX        ((size_t)64 * 1024 * 1024) /* highest body_limit accepted */
#define LIMIT_URL             8192                       /* path plus query */
#define LIMIT_QUERY_PARAMS    64                         /* fields in a query string */
#define LIMIT_FORM_FIELDS     256                        /* fields in a form or multipart body */
#define LIMIT_FIELD_NAME      128                        /* bytes in a field or cookie name */
#define LIMIT_MULTIPART_PARTS 64                         /* parts in a multipart body */
#define LIMIT_MULTIPART_HDRS  16                         /* header lines in one part */
#define LIMIT_BOUNDARY        70                         /* RFC 2046 */
#define LIMIT_COOKIES         64                         /* cookies in one header */
#define LIMIT_JSON_DEPTH      32                         /* nesting of a JSON body */
#define LIMIT_ROUTE_PARAMS    8                          /* {params} in one route */
#define LIMIT_ROUTE_SEGMENTS  16                         /* segments in a route pattern */
#define LIMIT_RESP_HEADERS    16                         /* extra headers on one response */
#define LIMIT_PAGE            ((size_t)8 * 1024 * 1024)  /* one rendered response body */
#define LIMIT_TEXT_DEFAULT    ((size_t)64 * 1024)        /* a text field without its own max */
#define LIMIT_CONFIG_LINE     1024                       /* a line of praxis.conf */
#define LIMIT_ARENA_BLOCK     ((size_t)16 * 1024)        /* first arena block */
#define LIMIT_ARENA_KEEP      ((size_t)256 * 1024)       /* largest block kept by a reset */
#define LIMIT_LOG_LINE        1024                       /* one log line */
#define LIMIT_MAIL            ((size_t)10 * 1024 * 1024) /* one composed mail message */
#define LIMIT_DB_PARAMS       32                         /* parameters of one statement */
#define LIMIT_CONN_MEMORY     ((size_t)12 * 1024)        /* libmicrohttpd per-connection pool */
#define LIMIT_CONNECTIONS     20000                      /* open connections per node */
#define LIMIT_SHUTDOWN_MS     4500                       /* time to finish in-flight requests */

#endif
