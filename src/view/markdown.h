/*
 * The sanitizing Markdown renderer: one of the few makers of struct html
 * (see view/html.h), so what it returns is sent as it is, and so is what
 * it returned once and the database kept (markdown_stored()).
 *
 * Dialect: GitHub-flavoured Markdown as cmark-gfm parses it, with the
 * table, strikethrough, autolink, tasklist and tagfilter extensions.
 * Footnotes and "smart" punctuation are off; soft line breaks stay soft.
 *
 * What comes out, and why it is safe:
 *   - Raw HTML (blocks, inline tags, comments) is dropped without a trace.
 *   - A link keeps its target only when it is http:, https:, mailto: (any
 *     case) or has no scheme ("/path", "page", "?q", "#f", "//host"); an
 *     image only when it is http:, https: or has no scheme. Any other
 *     (javascript:, vbscript:, data:, file:, ftp:, ...) removes the link
 *     and leaves its text as plain text; an image is replaced by its alt
 *     text. The check runs on the URL after Markdown has decoded entities
 *     and backslash escapes, so "jav&#x61;script:" is seen as "javascript:".
 *   - Every link gets rel="nofollow ugc noopener": the content is
 *     user-generated, and search engines should not credit its targets.
 *   - The HTML is then checked again, independently of cmark-gfm, against
 *     an allowlist: only the tags Markdown makes (p h1-h6 blockquote ul ol
 *     li pre code hr br em strong del a img table thead tbody tr th td
 *     input), only their known attributes (no on*, no style), double-quoted,
 *     input only as type="checkbox", and every href and src, entities
 *     decoded and tabs and newlines dropped as a browser would, must pass
 *     the scheme rules above. Should that check ever fail (a library bug;
 *     none is known), the result is the whole source escaped in one <p>, a
 *     warning is logged and markdown_fallback_count() goes up.
 *
 * Images from other hosts are rendered as <img src="https://...">, but the
 * page's Content-Security-Policy (img-src 'self' data:) stops the browser
 * from loading them: only images on this site show.
 *
 * Cost. cmark-gfm 0.29.0.gfm.6 has inputs whose parse time or memory grows
 * with the square of their size (up to 2 s or 150 MB for 64 KB here), so a
 * linear pre-scan bounds each known one (see markdown.c). Over budget, a
 * source is parsed without the table extension (rows of thousands of '|',
 * or tables that would have over MARKDOWN_MAX_TABLE_CELLS cells once short
 * rows are padded) or without the autolink extension (long runs of
 * "www.", "://" or '@' without spaces), and shows as text there; and it is
 * refused with E_TOOBIG when one paragraph or table has both thousands of
 * "![" or emphasis runs and thousands of ']' (over 4 million pairs), or
 * when link references would copy more than LIMIT_PAGE bytes of URLs and
 * titles. Ordinary documents of 64 KB are far from every budget and render
 * in under 20 ms; the slowest accepted input measured took about 35 ms.
 *
 * Parsing is serialised by a mutex, since cmark-gfm 0.29.0.gfm.6 keeps a
 * process-wide table that every parser writes while it runs; rendering and
 * the checks run in parallel.
 */
#ifndef PRAXIS_VIEW_MARKDOWN_H
#define PRAXIS_VIEW_MARKDOWN_H

#include <stddef.h>

#include "core/str.h"
#include "view/html.h"

struct arena;

/* The most table cells (header and body, padding included) a source may make. */
#define MARKDOWN_MAX_TABLE_CELLS ((size_t)50 * 1000)

/*
 * Render Markdown source (UTF-8, validated by the caller; invalid
 * sequences and NUL bytes would become U+FFFD) to sanitized HTML in the
 * arena. *out is NUL-terminated and valid until the arena is reset; empty
 * source gives empty HTML.
 *
 * Returns 0; E_TOOBIG when src is over max_src bytes, when it is too costly
 * to parse (above), or when the output would be over LIMIT_PAGE; E_INVAL
 * when a or out is NULL, or src.ptr is NULL with a non-zero length;
 * E_UNAVAIL when the installed cmark-gfm lacks one of the extensions
 * (logged once). *out is set only on success. The result depends on src
 * alone, never on timing or other threads, so a source accepted once (when
 * it was posted, say) renders the same when it is shown.
 *
 * Thread-safe: any number of threads may call it at once.
 */
int markdown_render(struct arena *a, struct str src, size_t max_src, struct html *out);

/* Handles as accounts allow them: 3 to 30 of a-z, 0-9, _ and -. */
#define MARKDOWN_HANDLE_MIN   3
#define MARKDOWN_HANDLE_MAX   30
#define MARKDOWN_MAX_MENTIONS 20

/* The people a text mentions, each once, in order, at most MARKDOWN_MAX_MENTIONS. */
struct markdown_mentions {
    struct arena *arena; /* set by the renderer: the handles live there */
    struct str handles[MARKDOWN_MAX_MENTIONS];
    size_t n;
};

/*
 * markdown_render(), and also: "@handle" in text (not in code, not inside a
 * link, not after a letter, digit, '.', '/' or '@', so e-mail addresses do
 * not count) becomes a link to /people/handle, and m collects the handles.
 * Beyond MARKDOWN_MAX_MENTIONS, mentions are still linked but not collected.
 */
int markdown_render_mentions(struct arena *a, struct str src, size_t max_src, struct html *out,
                             struct markdown_mentions *m);

/*
 * How many renders since the process started fell back to escaped source
 * because the rendered HTML failed the allowlist check. Zero unless
 * cmark-gfm misbehaves; for metrics and the fuzzer.
 */
unsigned long markdown_fallback_count(void);

/*
 * HTML that markdown_render() produced and the database kept beside its
 * source (rendered once when saved). Use it only on such a column; for
 * anything else there is html_escape().
 */
static inline struct html markdown_stored(struct str rendered)
{
    return (struct html){rendered.ptr, rendered.len};
}

#endif
