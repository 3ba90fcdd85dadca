/*
 * Markdown: the whole input goes to markdown_render() with a 64 KB limit,
 * and again to markdown_render_mentions() (see check_mentions()).
 * It returns 0 or E_TOOBIG; on success the HTML is NUL-terminated at its
 * length, valid UTF-8 (cmark repairs the input), its tags nest properly,
 * and it holds no <script> or other active element, no event-handler
 * attribute (a space or '/' then "on" and letters then '=' inside a tag),
 * and no URL attribute that a browser would read as javascript:, vbscript:
 * or data:. The allowlist check in markdown.c must never have had to fall
 * back. These checks are written apart from markdown.c's own (they decode
 * entities and parse tags their own way), so that one guards the other.
 *
 * fuzz-src: src/view/markdown.c src/view/html.c
 * fuzz-pkg: libcmark-gfm
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "core/utf8.h"
#include "view/html.h"
#include "view/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SRC ((size_t)64 * 1024)

static struct arena arena; /* all zero is the state arena_init() gives */

static char lower(char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
    return c;
}

static bool starts_nocase(const char *p, const char *end, const char *word)
{
    size_t i;

    for (i = 0; word[i]; i++)
        if (p + i >= end || lower(p[i]) != word[i])
            return false;
    return true;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The start of an attribute value as a browser reads it for a URL: entities
 * decoded, tabs and newlines removed, leading controls and spaces dropped,
 * lower case; at most cap - 1 characters into out. A named entity other
 * than &amp; is itself a failure: cmark never writes one in a URL.
 */
static void url_prefix(const char *p, const char *end, char *out, size_t cap)
{
    size_t k = 0;
    long v;
    int base, d;

    while (p < end && k + 1 < cap) {
        char c = *p++;

        if (c == '&' && p < end && *p == '#') {
            p++;
            base = 10;
            if (p < end && (*p == 'x' || *p == 'X')) {
                base = 16;
                p++;
            }
            v = 0;
            while (p < end && (d = hex_value(*p)) >= 0 && d < base) {
                if (v < 0x110000)
                    v = v * base + d;
                p++;
            }
            if (p < end && *p == ';')
                p++;
            c = '?';
            if (v > 0 && v < 0x80)
                c = (char)v;
        } else if (c == '&') {
            ASSERT(end - p >= 4 && memcmp(p, "amp;", 4) == 0);
            p += 4;
        }
        if (c == '\t' || c == '\n' || c == '\r' || (k == 0 && (unsigned char)c <= 0x20))
            continue;
        out[k++] = lower(c);
    }
    out[k] = '\0';
}

static void check_url(const char *p, const char *end)
{
    char u[16];

    url_prefix(p, end, u, sizeof(u));
    ASSERT(strncmp(u, "javascript:", 11) != 0);
    ASSERT(strncmp(u, "vbscript:", 9) != 0);
    ASSERT(strncmp(u, "data:", 5) != 0);
}

/* Elements that may never appear, whatever their attributes. */
static void check_element(const char *name, const char *end)
{
    static const char *const banned[] = {"script", "iframe", "object", "embed",  "style",
                                         "form",   "svg",    "math",   "base",   "meta",
                                         "link",   "frame",  "applet", "button", "textarea",
                                         "select", "video",  "audio",  "source", "template"};
    size_t i;

    for (i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
        ASSERT(!starts_nocase(name, end, banned[i]));
}

/*
 * Check the attributes of the tag between p (after its name) and '>',
 * and return a pointer past the '>'.
 */
static const char *check_attrs(const char *p, const char *end)
{
    const char *name, *name_end, *v, *v_end;
    char q;

    for (;;) {
        while (p < end && (is_ws(*p) || *p == '/'))
            p++;
        ASSERT(p < end);
        if (*p == '>')
            return p + 1;
        name = p;
        while (p < end && !is_ws(*p) && *p != '=' && *p != '>' && *p != '/')
            p++;
        name_end = p;
        /* An event handler: "on" and letters, as an attribute name. */
        if (name_end - name > 2 && lower(name[0]) == 'o' && lower(name[1]) == 'n') {
            const char *c = name + 2;

            while (c < name_end && is_alpha(*c))
                c++;
            ASSERT(c != name_end);
        }
        while (p < end && is_ws(*p))
            p++;
        if (p >= end || *p != '=')
            continue;
        p++;
        while (p < end && is_ws(*p))
            p++;
        ASSERT(p < end);
        if (*p == '"' || *p == '\'') {
            q = *p++;
            v = p;
            while (p < end && *p != q)
                p++;
            ASSERT(p < end);
            v_end = p++;
        } else {
            v = p;
            while (p < end && !is_ws(*p) && *p != '>')
                p++;
            v_end = p;
        }
        if (starts_nocase(name, name_end, "href") || starts_nocase(name, name_end, "src") ||
            starts_nocase(name, name_end, "action") ||
            starts_nocase(name, name_end, "formaction") ||
            starts_nocase(name, name_end, "xlink:href") ||
            starts_nocase(name, name_end, "poster") || starts_nocase(name, name_end, "data"))
            check_url(v, v_end);
    }
}

/* Tags nest: every open tag but the void ones is closed, in order. */
static struct str *stack;
static size_t stack_cap;

static bool name_is(struct str name, const char *s)
{
    return name.len == strlen(s) && starts_nocase(name.ptr, name.ptr + name.len, s);
}

static void check_html(const char *h, size_t n)
{
    const char *p = h, *end = h + n;
    struct str name;
    size_t depth = 0;
    bool closing;

    while (p < end) {
        p = memchr(p, '<', (size_t)(end - p));
        if (!p)
            break;
        p++;
        ASSERT(p < end && *p != '!' && *p != '?');
        closing = *p == '/';
        if (closing)
            p++;
        ASSERT(p < end && is_alpha(*p));
        check_element(p, end);
        name.ptr = p;
        while (p < end && (is_alpha(*p) || (*p >= '0' && *p <= '9')))
            p++;
        name.len = (size_t)(p - name.ptr);
        p = check_attrs(p, end);
        if (closing) {
            ASSERT(depth > 0 && str_case_eq(stack[depth - 1], name));
            depth--;
        } else if (!name_is(name, "br") && !name_is(name, "hr") && !name_is(name, "img") &&
                   !name_is(name, "input")) {
            if (depth == stack_cap) {
                stack_cap = stack_cap ? 2 * stack_cap : 1024;
                stack = xrealloc(stack, stack_cap * sizeof(*stack));
            }
            stack[depth++] = name;
        }
    }
    ASSERT(depth == 0);
}

/*
 * With mentions on, the same input renders the same way (plus links) and
 * every handle collected is a well-formed handle, each once.
 */
static void check_mentions(struct str src)
{
    struct markdown_mentions m;
    struct html h = {NULL, 0};
    int rc = markdown_render_mentions(&arena, src, MAX_SRC, &h, &m);

    ASSERT(rc == 0 || rc == E_TOOBIG);
    if (rc)
        return;
    check_html(h.ptr, h.len);
    ASSERT(m.n <= MARKDOWN_MAX_MENTIONS);
    for (size_t i = 0; i < m.n; i++) {
        ASSERT(m.handles[i].len >= MARKDOWN_HANDLE_MIN && m.handles[i].len <= MARKDOWN_HANDLE_MAX);
        for (size_t k = 0; k < m.handles[i].len; k++) {
            char c = m.handles[i].ptr[k];

            ASSERT((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
        }
        for (size_t k = 0; k < i; k++)
            ASSERT(!str_eq(m.handles[i], m.handles[k]));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long fallbacks = markdown_fallback_count();
    struct html h = {NULL, 0};
    int rc;

    rc = markdown_render(&arena, str_make((const char *)data, size), MAX_SRC, &h);
    ASSERT(rc == 0 || rc == E_TOOBIG);
    ASSERT(markdown_fallback_count() == fallbacks);
    if (rc == 0) {
        ASSERT(h.ptr != NULL && h.ptr[h.len] == '\0' && strlen(h.ptr) == h.len);
        ASSERT(h.len == 0 || utf8_valid(h.ptr, h.len));
        check_html(h.ptr, h.len);
    } else {
        ASSERT(h.ptr == NULL);
    }
    check_mentions(str_make((const char *)data, size));
    arena_reset(&arena);
    return 0;
}
