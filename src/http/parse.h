/*
 * Pure parsers for what arrives from outside: query strings and
 * application/x-www-form-urlencoded bodies, multipart/form-data, Cookie
 * headers, media types and JSON bodies. No I/O: each takes (ptr, len) and an
 * arena, so they are unit-tested and fuzzed directly (tests/fuzz/).
 *
 * Every result lives in the arena. On failure a parser returns E_INVAL or
 * E_TOOBIG and, where a struct parse_err is given, names the field and the
 * problem in it (static strings or arena copies).
 *
 * Errors are chosen the same way everywhere: too many of something (fields,
 * parts, part headers) is E_TOOBIG; anything malformed is E_INVAL, and so
 * are the shape limits: a field name longer than LIMIT_FIELD_NAME bytes
 * ("field name too long") and JSON nested deeper than LIMIT_JSON_DEPTH
 * ("nesting too deep"). Decoded text that is not valid UTF-8 or holds a
 * NUL is E_INVAL "invalid UTF-8", with err->field naming the field, or NULL
 * when the name itself is bad. err may be NULL; on success err->field and
 * err->msg are NULL.
 *
 * Names, values, filenames and types handed out are NUL-terminated arena
 * copies unless said otherwise (multipart part data is a view).
 */
#ifndef PRAXIS_HTTP_PARSE_H
#define PRAXIS_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

struct arena;
struct json_t;

struct parse_err {
    const char *field; /* the field at fault, or NULL for the whole input */
    const char *msg;   /* lower-case, no full stop */
};

struct kv {
    struct str name;
    struct str value;
};

struct kv_list {
    struct kv *items;
    size_t n;
};

/* The first value named name, or NULL. */
const struct kv *kv_get(const struct kv_list *l, struct str name);

/*
 * Percent-decode (s, n) into the arena; plus_is_space for form encoding.
 * '%' must be followed by two hex digits: anything else is E_INVAL. The
 * result is NUL-terminated but may hold NUL bytes (%00) and is not checked
 * for UTF-8; callers that want text check it with utf8_valid().
 */
int parse_pct_decode(const char *s, size_t n, bool plus_is_space, struct arena *a, struct str *out);

/*
 * name=value&… as in a query string or a form body ('+' is a space in
 * both). Names and values are decoded and must be valid UTF-8; empty pairs
 * and pairs with an empty name ("=x") are skipped; a name without '=' has an
 * empty value. More than max_fields non-empty pairs is E_TOOBIG (checked
 * before anything is decoded); a bad escape is E_INVAL "bad
 * percent-encoding". Names keep their order and may repeat.
 */
int parse_urlencoded(const char *p, size_t n, size_t max_fields, struct arena *a,
                     struct kv_list *out, struct parse_err *err);

/*
 * A media type such as "multipart/form-data; boundary=x; charset=utf-8":
 * the type lower-cased into *type, and the value of param (case-insensitive
 * name, quotes removed) into *value, or an empty view when it is absent.
 * param and value may be NULL when only the type is wanted. E_INVAL when the
 * header is not type/subtype followed by well-formed parameters, or when
 * param appears twice.
 */
int parse_media_type(struct str header, const char *param, struct arena *a, struct str *type,
                     struct str *value);

struct part {
    struct str name;         /* form field name */
    struct str filename;     /* empty unless a file */
    struct str content_type; /* empty when not given */
    struct str data;         /* the part's bytes, a view into the input */
    bool is_file;
};

/*
 * multipart/form-data (RFC 7578) with the given boundary. Text parts
 * (not files) must be valid UTF-8. More than LIMIT_MULTIPART_PARTS parts is
 * E_TOOBIG; a missing final boundary is E_INVAL.
 *
 * The boundary must be 1..LIMIT_BOUNDARY RFC 2046 bchars. The preamble and
 * the epilogue are ignored; lines end in CRLF, bare LF is accepted too. Each
 * part needs "Content-Disposition: form-data; name=…" (E_INVAL "part without
 * a name" otherwise); a filename parameter, even an empty one, makes it a
 * file. content_type is the part's Content-Type as sent, trimmed. More than
 * LIMIT_MULTIPART_HDRS header lines in a part is E_TOOBIG. Other headers are
 * ignored. *parts is an arena array of *nparts; each data view lies inside
 * (p, n), so the input must outlive the parts.
 */
int parse_multipart(const char *p, size_t n, struct str boundary, struct arena *a,
                    struct part **parts, size_t *nparts, struct parse_err *err);

/*
 * A Cookie header (RFC 6265 §4.2): "a=1; b=2". Lenient as browsers are:
 * malformed pairs are skipped, never an error. At most LIMIT_COOKIES.
 *
 * Skipped: pairs without '=', names that are not RFC 9110 tokens or are
 * longer than LIMIT_FIELD_NAME, values that are not valid UTF-8 or hold
 * control characters. A value in double quotes loses them; values are not
 * percent-decoded. Cookies past the first LIMIT_COOKIES good ones are
 * ignored. Always returns 0.
 */
int parse_cookies(const char *p, size_t n, struct arena *a, struct kv_list *out);

/*
 * A JSON body through jansson, with duplicate keys rejected, nesting at most
 * LIMIT_JSON_DEPTH and NUL in strings refused. The tree is released with the
 * arena. On failure err->msg says where ("line 1, column 7: …").
 *
 * Any JSON value is accepted at the top (RFC 8259), so callers check its
 * type; trailing bytes after it are an error. An empty or all-whitespace
 * body is E_INVAL "empty body". *out is owned by the arena: take a
 * reference with json_incref() to keep it longer.
 */
int parse_json(const char *p, size_t n, struct arena *a, struct json_t **out,
               struct parse_err *err);

/*
 * Building blocks for header values, shared by the parsers above. Each takes
 * a cursor *rest and moves it past what it consumed.
 */

/*
 * A non-empty RFC 9110 token at the start of *rest into *out (a view into
 * *rest). E_INVAL when there is none.
 */
int parse_token(struct str *rest, struct str *out);

/*
 * The next parameter `; name=value` of a header value in *rest, where value
 * is a token or a quoted string. Returns 1 with *name and *raw (views; raw
 * keeps its quotes, *quoted tells) set, 0 at the end, or E_INVAL when what
 * follows is not a parameter. Empty parameters (";;") and a trailing ';'
 * are skipped.
 */
int parse_param_next(struct str *rest, struct str *name, struct str *raw, bool *quoted);

/*
 * A value as parse_param_next() returned it, as a NUL-terminated arena copy
 * without its quotes. In a quoted string a backslash escapes only '"' and
 * '\'; before any other byte it is kept, as browsers send Windows paths
 * unescaped.
 */
struct str parse_param_value(struct arena *a, struct str raw, bool quoted);

#endif
