/*
 * Files embedded in the binary at build time by tools/embed.c: the static
 * assets (with a gzip variant and a content hash) and the SQL migrations.
 * Each generated table is sorted by name.
 */
#ifndef PRAXIS_CORE_EMBED_H
#define PRAXIS_CORE_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *name;          /* path relative to the embedded folder, e.g. "app.css" */
    const char *url;           /* hashed public path ("/assets/app.<hash>.css"), or NULL */
    const char *content_type;  /* guessed from the extension */
    const unsigned char *data; /* NUL-terminated; len excludes the NUL */
    size_t len;
    const unsigned char *gz; /* gzip variant, or NULL when not smaller */
    size_t gzlen;
    const char *hash; /* 16 hex digits of the content hash; doubles as ETag */
};

#endif
