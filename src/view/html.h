/*
 * struct html: a view of HTML that is safe to send as it is. Templates
 * append it raw ({{html x}}), so a value of this type is a promise that no
 * outside input reaches the page unescaped through it.
 *
 * Only these make one, and nothing else may:
 *   - html_escape(), which escapes text;
 *   - the sanitizing Markdown renderer (view/markdown.h), and markdown_stored()
 *     over what it rendered and the database kept;
 *   - html_from_buf() over a buffer a compiled template rendered into
 *     (templates escape every slot, so their output is safe by construction),
 *     and html_chomp() over that;
 *   - HTML_LIT("<b>x</b>") for string literals written in the source.
 * Never build one by hand from a pointer and a length: that is how raw input
 * slips past the escaper.
 */
#ifndef PRAXIS_VIEW_HTML_H
#define PRAXIS_VIEW_HTML_H

#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"

struct arena;

struct html {
    const char *ptr;
    size_t len;
};

/* A literal of trusted markup; s must be a string literal. */
#define HTML_LIT(s) ((struct html){"" s "", sizeof(s) - 1})
#define HTML_EMPTY  ((struct html){"", 0})

/*
 * Append (p, n) to b with & < > " ' replaced by entities, so the text is
 * safe both between tags and inside a quoted attribute value. Returns 0 or
 * E_TOOBIG (and sets b->toobig), leaving what was appended so far.
 */
int html_escape_append(struct buf *b, const char *p, size_t n);

/*
 * The escaped form of s, NUL-terminated, in the arena (valid until it is
 * reset). Never fails: the input is bounded by whoever read it.
 */
struct html html_escape(struct arena *a, struct str s);

/*
 * The bytes a template rendered into b, as HTML. The view shares b's memory
 * and is valid while b is unchanged. Use it only on buffers that compiled
 * templates (and other struct html) were appended to.
 */
static inline struct html html_from_buf(const struct buf *b)
{
    return (struct html){b->ptr, b->len};
}

/*
 * h without its last byte when that is a newline. A template's output ends
 * with its file's last line; a piece of a page that the page goes on from
 * inline, or puts on a line of its own, ends before it. A newline is text,
 * so what is left is as safe as h.
 */
static inline struct html html_chomp(struct html h)
{
    if (h.len && h.ptr[h.len - 1] == '\n')
        h.len--;
    return h;
}

/* Append trusted HTML as it is; 0 or E_TOOBIG. */
static inline int html_append(struct buf *b, struct html h)
{
    return buf_append(b, h.ptr, h.len);
}

#endif
