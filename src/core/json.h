/*
 * JSON writer over a struct buf. Strings are escaped by a table; the writer
 * tracks commas, so callers only say what comes next:
 *
 *     json_obj_open(&w);
 *     json_key(&w, "status"); json_str_c(&w, "ok");
 *     json_obj_close(&w);
 *
 * Errors (E_TOOBIG from the buffer) are sticky in w->b->toobig; check once.
 * Parsing JSON input is jansson's job (http/parse.h), not this file's.
 */
#ifndef PRAXIS_CORE_JSON_H
#define PRAXIS_CORE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"

#define JSON_MAX_DEPTH 32

struct json {
    struct buf *b;
    int depth;
    bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *w, struct buf *b);
void json_obj_open(struct json *w);
void json_obj_close(struct json *w);
void json_arr_open(struct json *w);
void json_arr_close(struct json *w);
/* key as the next member's name; json_key() is inline so a literal's length is known. */
void json_key_n(struct json *w, const char *key, size_t n);
static inline void json_key(struct json *w, const char *key)
{
    json_key_n(w, key, key ? strlen(key) : 0); /* NULL: "" as str_c() has it */
}
void json_str(struct json *w, struct str s);
void json_str_c(struct json *w, const char *s);
/* A string json_escape() made before, quotes and all, as the next value (kept to send again). */
void json_escaped(struct json *w, struct str quoted);
void json_i64(struct json *w, int64_t v);
/* v, or null when it is 0: an id or a time that is not there. */
void json_i64_or_null(struct json *w, int64_t v);
void json_f64(struct json *w, double v);
void json_bool(struct json *w, bool v);
void json_null(struct json *w);
/* Append s as a quoted, escaped JSON string (no comma handling). */
int json_escape(struct buf *b, struct str s);

#endif
