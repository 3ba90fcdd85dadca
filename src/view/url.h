/*
 * struct url: a link target that is safe to put in an href or src. Templates
 * accept only this type in URL attributes ({{url x}}), so a value of it is a
 * promise that the URL is http, https or relative to this site, and that it
 * is percent-encoded.
 *
 * Only url_build() makes one from outside input; URL_LIT("/path") wraps a
 * literal written in the source.
 */
#ifndef PRAXIS_VIEW_URL_H
#define PRAXIS_VIEW_URL_H

#include <stddef.h>

#include "core/str.h"

struct arena;
struct buf;

struct url {
    const char *ptr; /* NUL-terminated */
    size_t len;
};

/* A literal URL written in the source; s must be a string literal. */
#define URL_LIT(s) ((struct url){"" s "", sizeof(s) - 1})

/*
 * Check raw and make a struct url of it in the arena (NUL-terminated, valid
 * until the arena is reset). Leading and trailing spaces are dropped.
 *
 * Accepted: "http://host..." and "https://host..." (scheme in any case), and
 * references relative to this site: "/path", "path", "?q", "#f". Rejected
 * with E_INVAL: any other scheme (javascript:, data:, vbscript:, ...), which
 * is anything with a ':' before the first '/', '?' or '#'; protocol-relative
 * "//host" (it leaves the site while looking relative, so an outside link
 * must name its scheme); control characters anywhere, tab and newline
 * included (browsers drop them, which would let "java\tscript:" through);
 * an empty URL; one longer than LIMIT_URL.
 *
 * Bytes outside the URL-safe set (space, quotes, < > \ ^ ` { | }, non-ASCII)
 * are percent-encoded; an existing %XX escape is kept as it is, and a '%'
 * not followed by two hex digits becomes %25. Returns 0 or E_INVAL; *out is
 * set only on success.
 */
int url_build(struct arena *a, struct str raw, struct url *out);
/*
 * What b holds as a struct url, for a link the code wrote itself; "/"
 * should it not be one (too long, or not a URL), so a page still renders.
 */
struct url url_of_buf(struct arena *a, const struct buf *b);

#endif
