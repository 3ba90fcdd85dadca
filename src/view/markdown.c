#include "view/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/str.h"
#include "view/html.h"

/*
 * Safe mode is cmark's default (no CMARK_OPT_UNSAFE): raw HTML becomes a
 * comment, which the tree walk removes anyway. Invalid UTF-8 is repaired
 * in case a caller let some through.
 */
#define OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

/* Output one node adds besides its text, "<td align=\"center\"></td>" and the like. */
#define NODE_COST 64
/* The most a byte of text, URL or title grows when escaped ('"' is "&quot;"). */
#define ESCAPE_GROWTH 6

#define REL     " rel=\"nofollow ugc noopener\""
#define REL_LEN (sizeof(REL) - 1)

enum ext { EXT_TABLE, EXT_STRIKETHROUGH, EXT_AUTOLINK, EXT_TASKLIST, EXT_TAGFILTER, EXT__MAX };

static const char *const ext_names[EXT__MAX] = {
    [EXT_TABLE] = "table",       [EXT_STRIKETHROUGH] = "strikethrough", [EXT_AUTOLINK] = "autolink",
    [EXT_TASKLIST] = "tasklist", [EXT_TAGFILTER] = "tagfilter",
};
static cmark_syntax_extension *exts[EXT__MAX];
static bool setup_ok;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
/*
 * cmark-gfm 0.29.0.gfm.6 marks the extensions' inline characters ('~', '|',
 * ':', 'w', '@', ...) in a process-wide table while a parser runs and
 * clears them when it is done (blocks.c process_inlines(), table.c
 * row_from_string()), so two parsers at once race on it and one may miss a
 * strikethrough or an autolink (four threads without this lock: 44% of
 * the renders lost them). Parsing holds this lock; rendering does not need
 * it, as it reads only its own tree.
 */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_ulong fallbacks;

static void setup(void)
{
    size_t i;

    cmark_gfm_core_extensions_ensure_registered();
    for (i = 0; i < EXT__MAX; i++) {
        exts[i] = cmark_find_syntax_extension(ext_names[i]);
        if (!exts[i]) {
            log_error("markdown: cmark-gfm has no %s extension", ext_names[i]);
            return;
        }
    }
    setup_ok = true;
}

unsigned long markdown_fallback_count(void)
{
    return atomic_load(&fallbacks);
}

/* ---- Bounding the work before parsing ---- */

/*
 * cmark-gfm 0.29.0.gfm.6 has inputs whose cost grows with the square of
 * their size (several were fixed in later releases, which Debian does not
 * ship). One pass over the source bounds each one it is known to have, in
 * "steps" of one to five nanoseconds; the budgets keep each under about
 * 20 ms. Measured on 64 KB inputs without these bounds:
 *   - a table row with thousands of '|': (pipes in the row)^2, 2 s;
 *   - rows padded to a wide header: rows x columns cells, unbounded memory;
 *   - autolinks: every "://" and "www." scans to the end of its word, and
 *     again for each trailing ')' it strips; every '@' copies the rest of
 *     its line: 1 s for "www.a)))...", 0.4 s for "http://a<" repeated;
 *   - a link closing in a paragraph walks back over every unclosed "![" and
 *     emphasis run before it: 0.4 s for "![" x 16k then "[a](b)" x 5k;
 *   - each use of a link reference copies the definition's URL and title:
 *     150 MB for a 30 KB URL used 5000 times.
 * The first two cost only the table extension and the third only the
 * autolink one, so over budget the source is parsed without that
 * extension; the last two are in cmark's core and make E_TOOBIG.
 */
#define TABLE_WORK    ((size_t)8 * 1000 * 1000)
#define AUTOLINK_WORK ((size_t)8 * 1000 * 1000)
#define BRACKET_WORK  ((size_t)4 * 1000 * 1000)
#define REF_BYTES     LIMIT_PAGE

struct cost {
    size_t cells;    /* table cells, padding included */
    size_t table;    /* table row splitting */
    size_t autolink; /* autolink scanning */
    size_t brackets; /* link closers walking back */
    size_t refs;     /* bytes copied for link reference uses */
};

/* Title delimiters of link reference definitions: "...", '...', (...). */
enum quote { QUOTE_DOUBLE, QUOTE_SINGLE, QUOTE_PAREN, QUOTE__MAX };

/* The state of the scan between lines. */
struct scan {
    size_t width;   /* columns of the table we may be in, or 0 */
    size_t openers; /* "![" and emphasis runs in this paragraph */
    size_t closers; /* ']' in this paragraph */
    size_t all_closers;
    /* A chunk runs from one blank line to the next. */
    size_t chunk_pos;      /* offset of this line in it */
    size_t chunk_line_max; /* its longest line */
    bool chunk_def;        /* it holds a "]:" */
    bool after_def;        /* the line before held one */
    bool open[QUOTE__MAX]; /* a title may have started at open_at */
    size_t open_at[QUOTE__MAX];
    size_t title_max; /* the longest such title in the chunk */
    size_t def_max;   /* the longest definition in all chunks */
};

static size_t add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t mul_sat(size_t a, size_t b)
{
    return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* cmark_isspace() without '\n' and '\r', which end lines. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static bool is_blank(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return false;
    return true;
}

static bool has_def(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i + 1 < n; i++)
        if (p[i] == ']' && p[i + 1] == ':')
            return true;
    return false;
}

/*
 * Could the line (p, n) be a table delimiter row such as "|:--|--:|"?
 * Container markers ("> ", "- ", "1. ") are let through so that rows in
 * quotes and lists count too: taking a line for a delimiter row that is not
 * one only overestimates. *cols is set to an upper bound of its cells.
 */
static bool maybe_delimiter_row(const char *p, size_t n, size_t *cols)
{
    size_t i, pipes = 0;
    bool dash = false;

    for (i = 0; i < n; i++) {
        if (p[i] == '-')
            dash = true;
        else if (p[i] == '|')
            pipes++;
        else if (p[i] == '\0' || !strchr(" \t\v\f:>+*.)0123456789", p[i]))
            return false;
    }
    *cols = pipes + 1;
    return dash;
}

/*
 * Does the line start a list item, which always ends the paragraph before
 * it? Only the forms that may interrupt a paragraph count: a bullet, or
 * "1." or "1)", after at most three spaces and followed by a space.
 */
static bool starts_item(const char *p, size_t n)
{
    size_t i = 0;

    while (i < n && i < 3 && p[i] == ' ')
        i++;
    if (i < n && (p[i] == '-' || p[i] == '+' || p[i] == '*'))
        i++;
    else if (n - i >= 2 && p[i] == '1' && (p[i + 1] == '.' || p[i + 1] == ')'))
        i += 2;
    else
        return false;
    return i < n && (p[i] == ' ' || p[i] == '\t');
}

static void end_paragraph(struct scan *s, struct cost *c)
{
    c->brackets = add_sat(c->brackets, mul_sat(s->openers, s->closers));
    s->openers = s->closers = 0;
}

/*
 * A definition's URL is on its "]:" line or the next, and its title starts
 * there too and ends at the next unescaped closing quote, within the chunk.
 */
static void end_chunk(struct scan *s)
{
    size_t k, def;

    for (k = 0; k < QUOTE__MAX; k++) {
        if (s->open[k] && s->chunk_pos - s->open_at[k] > s->title_max)
            s->title_max = s->chunk_pos - s->open_at[k];
        s->open[k] = false;
    }
    def = add_sat(mul_sat(2, s->chunk_line_max), s->title_max);
    if (s->chunk_def && def > s->def_max)
        s->def_max = def;
    s->chunk_pos = s->chunk_line_max = s->title_max = 0;
    s->chunk_def = s->after_def = false;
}

/* Follow the title delimiters at p[i], the line starting at chunk offset pos. */
static void measure_quote(struct scan *s, const char *p, size_t i, size_t pos, bool armed)
{
    static const char openers[QUOTE__MAX] = {'"', '\'', '('};
    static const char closers[QUOTE__MAX] = {'"', '\'', ')'};
    size_t k;

    if (i > 0 && p[i - 1] == '\\')
        return;
    for (k = 0; k < QUOTE__MAX; k++) {
        if (s->open[k] && p[i] == closers[k]) {
            if (pos + i - s->open_at[k] > s->title_max)
                s->title_max = pos + i - s->open_at[k];
            s->open[k] = false;
        } else if (!s->open[k] && armed && p[i] == openers[k]) {
            s->open[k] = true;
            s->open_at[k] = pos + i;
        }
    }
}

/* Add the costs of the autolink triggers in the word (p, n). */
static void measure_word(const char *p, size_t n, struct cost *c)
{
    size_t i, triggers = 0, parens = 0;

    for (i = 0; i < n; i++) {
        if (p[i] == ')')
            parens++;
        else if ((p[i] == ':' && n - i > 2 && p[i + 1] == '/' && p[i + 2] == '/') ||
                 (p[i] == 'w' && n - i > 3 && memcmp(p + i, "www.", 4) == 0))
            triggers++;
    }
    if (triggers)
        c->autolink = add_sat(c->autolink, mul_sat(mul_sat(triggers, n), parens + 1));
}

static void measure_line(const char *p, size_t n, struct scan *s, struct cost *c)
{
    size_t i, word = 0, pipes = 0, ats = 0, cols;
    bool def, armed;

    if (is_blank(p, n)) {
        end_paragraph(s, c);
        end_chunk(s);
        s->width = 0;
        return;
    }
    if (starts_item(p, n))
        end_paragraph(s, c);
    def = has_def(p, n);
    armed = def || s->after_def;
    for (i = 0; i < n; i++) {
        switch (p[i]) {
        case '|':
            pipes++;
            break;
        case '@':
            ats++;
            break;
        case ']':
            s->closers++;
            s->all_closers++;
            break;
        case '[':
            if (i > 0 && p[i - 1] == '!')
                s->openers++;
            break;
        case '*':
        case '_':
        case '~':
            if (i == 0 || p[i - 1] != p[i])
                s->openers++;
            break;
        case '"':
        case '\'':
        case '(':
        case ')':
            measure_quote(s, p, i, s->chunk_pos, armed);
            break;
        default:
            break;
        }
        if (is_space(p[i])) {
            measure_word(p + word, i - word, c);
            word = i + 1;
        }
    }
    measure_word(p + word, n - word, c);
    c->autolink = add_sat(c->autolink, mul_sat(ats, n));
    c->table = add_sat(c->table, mul_sat(pipes, pipes));
    if (maybe_delimiter_row(p, n, &cols) && cols > s->width)
        s->width = cols;
    c->cells = add_sat(c->cells, s->width);
    s->chunk_def = s->chunk_def || def;
    s->after_def = def;
    s->chunk_pos = add_sat(s->chunk_pos, n + 1);
    if (n > s->chunk_line_max)
        s->chunk_line_max = n;
}

/*
 * Measure src line by line; lines end at "\n", "\r" or "\r\n", as they do
 * for cmark. A table starts at a delimiter row, has as many columns as that
 * row has cells, and ends at a blank line; every line until then is a row.
 * Every ']' may close a use of the longest reference definition.
 */
static void measure(struct str src, struct cost *c)
{
    struct scan s;
    size_t i = 0, start;

    memset(c, 0, sizeof(*c));
    memset(&s, 0, sizeof(s));
    while (i < src.len) {
        start = i;
        while (i < src.len && src.ptr[i] != '\n' && src.ptr[i] != '\r')
            i++;
        measure_line(src.ptr + start, i - start, &s, c);
        if (i < src.len && src.ptr[i] == '\r' && i + 1 < src.len && src.ptr[i + 1] == '\n')
            i++;
        if (i < src.len)
            i++;
    }
    end_paragraph(&s, c);
    end_chunk(&s);
    c->refs = mul_sat(s.def_max, s.all_closers);
}

/* ---- URL rules ---- */

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Is the scheme (lower case) allowed: http and https, and mailto for links? */
static bool scheme_allowed(const unsigned char *s, size_t n, bool image)
{
    if ((n == 4 && memcmp(s, "http", 4) == 0) || (n == 5 && memcmp(s, "https", 5) == 0))
        return true;
    return !image && n == 6 && memcmp(s, "mailto", 6) == 0;
}

/*
 * A cursor over the characters of a URL: either the bytes as they are (a
 * URL from the tree) or an attribute value with its character references
 * decoded as a browser decodes them.
 */
struct url_cursor {
    const unsigned char *p;
    size_t n, i;
    bool entities;
};

/*
 * The value of the numeric character reference ("&#...;" or "&#x...;",
 * the ';' optional as browsers have it) at the cursor, which moves past it;
 * -2 when there are no digits. Values past U+10FFFF stop growing.
 */
static long numeric_ref(struct url_cursor *c)
{
    size_t i = c->i + 2;
    long v = 0;
    int base = 10, d, digits = 0;

    if (i < c->n && (c->p[i] == 'x' || c->p[i] == 'X')) {
        base = 16;
        i++;
    }
    for (; i < c->n; i++) {
        d = hex_value((char)c->p[i]);
        if (d < 0 || d >= base)
            break;
        if (v < 0x110000)
            v = v * base + d;
        digits++;
    }
    if (!digits)
        return -2;
    if (i < c->n && c->p[i] == ';')
        i++;
    c->i = i;
    return v;
}

/*
 * The next character, -1 at the end, or -2 for a character reference that
 * cannot be decoded here: a named one other than "&amp;", the only one
 * cmark writes in a URL.
 */
static long url_next(struct url_cursor *c)
{
    if (c->i >= c->n)
        return -1;
    if (!c->entities || c->p[c->i] != '&')
        return c->p[c->i++];
    if (c->i + 1 < c->n && c->p[c->i + 1] == '#')
        return numeric_ref(c);
    if (c->n - c->i >= 5 && memcmp(c->p + c->i, "&amp;", 5) == 0) {
        c->i += 5;
        return '&';
    }
    return -2;
}

/*
 * May the URL under the cursor be a link (or an image) target? Its scheme
 * is whatever comes before a ':' that precedes any '/', '?' and '#', and
 * must be one of scheme_allowed() exactly: a browser drops tabs, newlines
 * and leading spaces before it reads the scheme, but any such character
 * (or any other) here fails the match, so "java\tscript:" cannot pass. No
 * scheme means a reference to this site (or "//host", with the page's
 * scheme), which is what a browser makes of it too.
 */
static bool url_allowed(struct url_cursor *c, bool image)
{
    unsigned char scheme[7];
    size_t len = 0;
    long ch;

    for (;;) {
        ch = url_next(c);
        if (ch == -1 || ch == '/' || ch == '?' || ch == '#')
            return true;
        if (ch == -2)
            return false;
        if (ch == ':')
            return len < sizeof(scheme) && scheme_allowed(scheme, len, image);
        if (len < sizeof(scheme))
            scheme[len] = ch < 0x80 ? lower((unsigned char)ch) : 0;
        if (len <= sizeof(scheme))
            len++;
    }
}

static bool url_allowed_raw(const char *url, bool image)
{
    struct url_cursor c = {(const unsigned char *)url, strlen(url), 0, false};

    return url_allowed(&c, image);
}

/* ---- The tree: raw HTML out, unsafe links out, output estimated ---- */

/*
 * Replace a link or image by its children: the link text, or the image's
 * alt text. Should the tree refuse a child there, the node stays with an
 * empty target instead.
 */
static void unwrap(cmark_node *n)
{
    cmark_node *child;

    for (;;) {
        child = cmark_node_first_child(n);
        if (!child)
            break;
        if (!cmark_node_insert_before(n, child)) {
            cmark_node_set_url(n, "");
            return;
        }
    }
    cmark_node_free(n);
}

/* ---- Mentions: @handle in text becomes a link to the person's page ---- */

static bool is_handle_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Whether what precedes an '@' lets it start a mention (not "a@b", "x/@y"). */
static bool mention_may_follow(char c)
{
    return !(is_handle_char(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '@' || c == '/' ||
             c == '+');
}

/*
 * Find the next mention in p[0..n) from *at: its '@' position and the
 * handle's length. Returns false when there is none.
 */
static bool next_mention(const char *p, size_t n, size_t *at, size_t *len)
{
    for (size_t i = *at; i < n; i++) {
        size_t k = i + 1;

        if (p[i] != '@' || (i > 0 && !mention_may_follow(p[i - 1])))
            continue;
        while (k < n && is_handle_char(p[k]))
            k++;
        if (k - i - 1 < MARKDOWN_HANDLE_MIN || k - i - 1 > MARKDOWN_HANDLE_MAX)
            continue;
        if (k < n && ((p[k] >= 'A' && p[k] <= 'Z') || (unsigned char)p[k] >= 0x80))
            continue; /* "@amaraX", "@amaraé": not a handle */
        *at = i;
        *len = k - i - 1;
        return true;
    }
    return false;
}

static void note_mention(struct markdown_mentions *m, const char *h, size_t n)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->handles[i].len == n && !memcmp(m->handles[i].ptr, h, n))
            return;
    if (m->n < MARKDOWN_MAX_MENTIONS)
        m->handles[m->n++] = str_make(arena_strndup(m->arena, h, n), n);
}

/*
 * Split a text node at its first mention: the text before stays, then a
 * link to /people/HANDLE holding "@handle", then a text node with the rest
 * (split_mentions() goes on with it). Returns
 * whether it split; on allocation trouble the text is left as it is.
 */
static bool split_mention(cmark_node *n, struct markdown_mentions *m)
{
    const char *lit = cmark_node_get_literal(n);
    size_t len = lit ? strlen(lit) : 0, at = 0, hlen;
    char url[sizeof("/people/") + MARKDOWN_HANDLE_MAX], *copy;
    cmark_node *link, *label, *rest;

    if (!lit || !next_mention(lit, len, &at, &hlen))
        return false;
    copy = xmalloc(len + 1);
    memcpy(copy, lit, len + 1);
    link = cmark_node_new(CMARK_NODE_LINK);
    label = cmark_node_new(CMARK_NODE_TEXT);
    rest = cmark_node_new(CMARK_NODE_TEXT);
    snprintf(url, sizeof(url), "/people/%.*s", (int)hlen, copy + at + 1);
    copy[at + 1 + hlen] = '\0';
    cmark_node_set_url(link, url);
    cmark_node_set_literal(label, copy + at);
    copy[at + 1 + hlen] = lit[at + 1 + hlen];
    cmark_node_set_literal(rest, lit + at + 1 + hlen);
    if (!cmark_node_append_child(link, label) || !cmark_node_insert_after(n, link) ||
        !cmark_node_insert_after(link, rest)) {
        cmark_node_free(rest);
        cmark_node_free(link);
        free(copy);
        return false;
    }
    note_mention(m, copy + at + 1, hlen);
    copy[at] = '\0';
    cmark_node_set_literal(n, copy);
    free(copy);
    return true;
}

/*
 * Split a text node at each of its mentions. The walk does not visit the
 * nodes inserted after a leaf (its iterator has moved on), so the rest is
 * split here.
 */
static void split_mentions(cmark_node *n, struct markdown_mentions *m)
{
    while (n && split_mention(n, m))
        n = cmark_node_next(cmark_node_next(n));
}

/*
 * Walk the tree: drop raw HTML nodes, unwrap links and images whose target
 * is not allowed, and estimate the output the tree makes beyond its text
 * (which is at most ESCAPE_GROWTH times the source): tags, plus URLs and
 * titles, which a link reference definition can repeat any number of
 * times. Returns 0, or E_TOOBIG as soon as the estimate passes LIMIT_PAGE.
 *
 * cmark allows changing a node on its exit event (or on entry for a leaf):
 * the iterator has already moved past it by then.
 */
static int tidy_tree(cmark_node *doc, struct markdown_mentions *m)
{
    int in_link = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    cmark_node_type type;
    cmark_node *n;
    size_t estimate = 0;
    const char *url, *title;
    int rc = 0;

    for (;;) {
        ev = cmark_iter_next(it);
        if (ev == CMARK_EVENT_DONE)
            break;
        n = cmark_iter_get_node(it);
        type = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER) {
            if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
                cmark_node_free(n);
                continue;
            }
            estimate = add_sat(estimate, NODE_COST);
            if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)
                in_link++;
            else if (type == CMARK_NODE_TEXT && m && !in_link)
                split_mentions(n, m);
        } else if (ev == CMARK_EVENT_EXIT &&
                   (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)) {
            in_link--;
            url = cmark_node_get_url(n);
            title = cmark_node_get_title(n);
            if (NEVER(!url || !title))
                url = title = "";
            estimate = add_sat(estimate, mul_sat(ESCAPE_GROWTH, strlen(url) + strlen(title)));
            if (!url_allowed_raw(url, type == CMARK_NODE_IMAGE))
                unwrap(n);
        }
        if (estimate > LIMIT_PAGE) {
            rc = E_TOOBIG;
            break;
        }
    }
    cmark_iter_free(it);
    return rc;
}

/* ---- The output: an allowlist check, then rel on links ---- */

/*
 * Tags cmark-gfm writes for Markdown with these extensions, and their
 * attributes, each followed by a space.
 */
static const struct tag_rule {
    const char *name;
    const char *attrs;
} tag_rules[] = {
    {"a", "href title "},
    {"blockquote", ""},
    {"br", ""},
    {"code", "class "},
    {"del", ""},
    {"em", ""},
    {"h1", ""},
    {"h2", ""},
    {"h3", ""},
    {"h4", ""},
    {"h5", ""},
    {"h6", ""},
    {"hr", ""},
    {"img", "src alt title "},
    {"input", "type checked disabled "},
    {"li", ""},
    {"ol", "start "},
    {"p", ""},
    {"pre", ""},
    {"strong", ""},
    {"table", ""},
    {"tbody", ""},
    {"td", "align "},
    {"th", "align "},
    {"thead", ""},
    {"tr", ""},
    {"ul", ""},
};

static const struct tag_rule *find_tag(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(tag_rules); i++)
        if (strlen(tag_rules[i].name) == n && memcmp(tag_rules[i].name, p, n) == 0)
            return &tag_rules[i];
    return NULL;
}

static bool has_attr(const struct tag_rule *t, const char *p, size_t n)
{
    const char *s = t->attrs, *e;

    for (;;) {
        e = strchr(s, ' ');
        if (!e)
            return false;
        if ((size_t)(e - s) == n && memcmp(s, p, n) == 0)
            return true;
        s = e + 1;
    }
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool attr_value_allowed(const struct tag_rule *t, struct str name, struct str value)
{
    struct url_cursor c = {(const unsigned char *)value.ptr, value.len, 0, true};

    if (str_eq_c(name, "href") || str_eq_c(name, "src"))
        return url_allowed(&c, t->name[0] == 'i');
    if (str_eq_c(name, "type"))
        return str_eq_c(value, "checkbox");
    return true;
}

/*
 * Check the tag at h[*pos] == '<' and move *pos past its '>'. A tag passes
 * when its name and every attribute are in tag_rules, every value is
 * double-quoted without '<' or '>', and the values that are URLs pass
 * url_allowed(). Counts opening <a> tags in *links.
 */
static bool check_tag(const char *h, size_t n, size_t *pos, size_t *links)
{
    const struct tag_rule *t;
    struct str name, value;
    size_t i = *pos + 1, start;
    bool closing = false;

    if (i < n && h[i] == '/') {
        closing = true;
        i++;
    }
    start = i;
    while (i < n && is_name_char(h[i]))
        i++;
    t = find_tag(h + start, i - start);
    if (!t)
        return false;
    if (closing) {
        if (i >= n || h[i] != '>')
            return false;
        *pos = i + 1;
        return true;
    }
    if (t->name[0] == 'a' && t->name[1] == '\0')
        (*links)++;
    for (;;) {
        if (i < n && h[i] == '>') {
            i++;
            break;
        }
        if (n - i >= 3 && memcmp(h + i, " />", 3) == 0) {
            i += 3;
            break;
        }
        if (i >= n || h[i] != ' ')
            return false;
        start = ++i;
        while (i < n && h[i] >= 'a' && h[i] <= 'z')
            i++;
        name = str_make(h + start, i - start);
        if (!has_attr(t, name.ptr, name.len) || n - i < 2 || h[i] != '=' || h[i + 1] != '"')
            return false;
        i += 2;
        start = i;
        while (i < n && h[i] != '"' && h[i] != '<' && h[i] != '>')
            i++;
        if (i >= n || h[i] != '"')
            return false;
        value = str_make(h + start, i - start);
        i++;
        if (!attr_value_allowed(t, name, value))
            return false;
    }
    *pos = i;
    return true;
}

/* Does the whole of (h, n) pass the allowlist? Counts <a> tags in *links. */
static bool check_html(const char *h, size_t n, size_t *links)
{
    const char *lt;
    size_t i = 0;

    *links = 0;
    while (i < n) {
        lt = memchr(h + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - h);
        if (!check_tag(h, n, &i, links))
            return false;
    }
    return true;
}

/* The source escaped as one paragraph: what is shown when the check fails. */
static int fallback(struct arena *a, struct str src, struct html *out)
{
    struct buf b;

    atomic_fetch_add(&fallbacks, 1);
    log_warn("markdown: rendered html failed the allowlist, showing %zu bytes escaped", src.len);
    buf_init(&b, a, LIMIT_PAGE);
    BUF_LIT(&b, "<p>");
    html_escape_append(&b, src.ptr, src.len);
    BUF_LIT(&b, "</p>\n");
    if (b.toobig)
        return E_TOOBIG;
    *out = (struct html){b.ptr, b.len};
    return 0;
}

/*
 * cmark encodes the character references &#xFFFE; and &#xFFFF; as the
 * single bytes 0xFE and 0xFF (utf8proc's encoder has a special case for
 * them), which are never valid UTF-8; they become U+FFFD.
 */
static bool is_bad_byte(char c)
{
    return (unsigned char)c >= 0xfe;
}

#define REPLACEMENT "\xef\xbf\xbd"

/*
 * Check cmark's output (h, n) and copy it into the arena with REL added to
 * every <a> (after the check every '<' starts a tag, so "<a " is one) and
 * bad bytes replaced.
 */
static int finish(struct arena *a, struct str src, const char *h, size_t n, struct html *out)
{
    size_t links, bad = 0, len, i, k = 0;
    char *p;

    if (!check_html(h, n, &links))
        return fallback(a, src, out);
    for (i = 0; i < n; i++)
        bad += is_bad_byte(h[i]);
    len = add_sat(add_sat(n, mul_sat(links, REL_LEN)), mul_sat(bad, 2));
    if (len > LIMIT_PAGE)
        return E_TOOBIG;
    p = arena_alloc(a, len + 1);
    for (i = 0; i < n; i++) {
        if (h[i] == '<' && n - i >= 3 && h[i + 1] == 'a' && h[i + 2] == ' ') {
            memcpy(p + k, "<a" REL, 2 + REL_LEN);
            k += 2 + REL_LEN;
            i++;
        } else if (is_bad_byte(h[i])) {
            memcpy(p + k, REPLACEMENT, 3);
            k += 3;
        } else {
            p[k++] = h[i];
        }
    }
    ASSERT(k == len);
    p[len] = '\0';
    *out = (struct html){p, len};
    return 0;
}

int markdown_render(struct arena *a, struct str src, size_t max_src, struct html *out)
{
    return markdown_render_mentions(a, src, max_src, out, NULL);
}

int markdown_render_mentions(struct arena *a, struct str src, size_t max_src, struct html *out,
                             struct markdown_mentions *m)
{
    cmark_parser *parser;
    cmark_node *doc;
    struct cost cost;
    bool skip[EXT__MAX] = {false};
    char *html;
    size_t i;
    int rc;

    if (m) {
        m->arena = a;
        m->n = 0;
    }
    if (!a || !out || (!src.ptr && src.len))
        return E_INVAL;
    if (src.len > max_src)
        return E_TOOBIG;
    if (src.len == 0) {
        *out = HTML_EMPTY;
        return 0;
    }
    measure(src, &cost);
    if (cost.brackets > BRACKET_WORK || cost.refs > REF_BYTES)
        return E_TOOBIG;
    skip[EXT_TABLE] = cost.cells > MARKDOWN_MAX_TABLE_CELLS || cost.table > TABLE_WORK;
    skip[EXT_AUTOLINK] = cost.autolink > AUTOLINK_WORK;
    pthread_once(&setup_once, setup);
    if (!setup_ok)
        return E_UNAVAIL;

    parser = cmark_parser_new(OPTIONS);
    for (i = 0; i < EXT__MAX; i++)
        if (!skip[i])
            cmark_parser_attach_syntax_extension(parser, exts[i]);
    pthread_mutex_lock(&parse_lock);
    cmark_parser_feed(parser, src.ptr, src.len);
    doc = cmark_parser_finish(parser);
    pthread_mutex_unlock(&parse_lock);

    rc = tidy_tree(doc, m);
    if (rc)
        goto out_free_doc;
    html = cmark_render_html(doc, OPTIONS, cmark_parser_get_syntax_extensions(parser));
    rc = finish(a, src, html, strlen(html), out);
    free(html);
out_free_doc:
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return rc;
}
