#include "view/url.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"

/*
 * Bytes kept as they are: RFC 3986 unreserved, gen-delims and sub-delims,
 * except the apostrophe, which is encoded so that the URL cannot end a
 * single-quoted attribute even before HTML escaping.
 */
static bool is_url_safe(unsigned char c)
{
    /* Those bytes as a bit set over 0..127: letters, digits and "-._~:/?#[]@!$&()*+,;=". */
    static const uint64_t safe[2] = {0xafffff5a00000000ULL, 0x47fffffeafffffffULL};

    return c < 128 && (safe[c >> 6] >> (c & 63)) & 1;
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Is (p, n) "http" or "https", in any case? */
static bool is_web_scheme(const unsigned char *p, size_t n)
{
    static const char http[] = "https";
    size_t i;

    if (n != 4 && n != 5)
        return false;
    for (i = 0; i < n; i++)
        if (lower(p[i]) != (unsigned char)http[i])
            return false;
    return true;
}

/* Bytes of s after encoding: an escaped byte takes three. */
static size_t encoded_len(const unsigned char *s, size_t n)
{
    size_t i, len = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2]))
            len += 1;
        else
            len += is_url_safe(s[i]) && s[i] != '%' ? 1 : 3;
    }
    return len;
}

int url_build(struct arena *a, struct str raw, struct url *out)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)raw.ptr;
    size_t n = raw.len, i, k, scheme_len = 0;
    char *p;

    while (n && s[0] == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0 || n > LIMIT_URL)
        return E_INVAL;
    /*
     * The common case, a path on this site the code wrote itself, in one
     * pass: "/" not followed by "/" cannot carry a scheme or leave the site,
     * and bytes that are URL-safe and not '%' are kept as they are.
     */
    if (s[0] == '/' && (n == 1 || s[1] != '/')) {
        for (i = 1; i < n && s[i] != '%' && is_url_safe(s[i]); i++)
            ;
        if (i == n) {
            p = arena_alloc(a, n + 1);
            memcpy(p, s, n);
            p[n] = '\0';
            out->ptr = p;
            out->len = n;
            return 0;
        }
    }
    for (i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] == 0x7f)
            return E_INVAL;

    /* A ':' before any '/', '?' or '#' ends a scheme. */
    i = 0;
    while (i < n && !strchr("/?#:", s[i]))
        i++;
    if (i < n && s[i] == ':') {
        if (!is_web_scheme(s, i))
            return E_INVAL;
        /* "//" and a host must follow; no "http:path" or "http:\\host". */
        if (n < i + 4 || s[i + 1] != '/' || s[i + 2] != '/' || strchr("/?#\\", s[i + 3]))
            return E_INVAL;
        scheme_len = i;
    } else if (n >= 2 && s[0] == '/' && s[1] == '/') {
        return E_INVAL;
    }

    p = arena_alloc(a, encoded_len(s, n) + 1);
    for (i = 0, k = 0; i < n; i++) {
        unsigned char c = s[i];

        if (i < scheme_len) {
            p[k++] = (char)lower(c);
        } else if (c == '%' && i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
            p[k++] = '%';
        } else if (c != '%' && is_url_safe(c)) {
            p[k++] = (char)c;
        } else {
            p[k++] = '%';
            p[k++] = hex[c >> 4];
            p[k++] = hex[c & 15];
        }
    }
    p[k] = '\0';
    out->ptr = p;
    out->len = k;
    return 0;
}

struct url url_of_buf(struct arena *a, const struct buf *b)
{
    struct url u;

    if (b->toobig || url_build(a, buf_str(b), &u))
        return URL_LIT("/");
    return u;
}
