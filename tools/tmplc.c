/*
 * tmplc: compile an HTML template into a C function, at build time.
 *
 *     tmplc -o build/gen/tmpl/feature/home/home.c src/feature/home/home.html
 *
 * src/<dir>/<name>.html becomes
 *
 *     int view_<name>(struct buf *b, const struct view_<name> *v);
 *
 * which appends the page to b and returns 0 or E_TOOBIG. The struct and the
 * prototype are written by hand in src/<dir>/views.h, which the generated
 * file includes with view/tmpl.h (the runtime it calls). Slots compile to
 * v->field, so a slot the struct lacks is a build error, and #line directives
 * make the compiler name the template line.
 *
 * Syntax:
 *   {{x}}  {{a.b}}        escaped text (struct str, const char *, integers)
 *   {{html x}}            a struct html as it is; text context only
 *   {{url x}}             a struct url (see view/url.h), escaped
 *   {{asset app.css}}     the hashed URL of an embedded asset (ASSET_app_css)
 *   {{#if x}} {{else}} {{/if}}, {{#unless x}} {{else}} {{/unless}}
 *   {{#each items as it}} {{it.title}} {{else}} {{/each}}
 *                         loops over v->items[0 .. v->nitems - 1], binding it
 *                         as a const pointer to the element; the else part
 *                         runs when there are none
 *   {{! comment }}        dropped; may span lines
 * A name bound by an enclosing #each refers to the element; any other name
 * refers to v. Literal "{{" cannot be written; use &#123;&#123;.
 *
 * Text is kept as written, except that a line holding nothing but a block
 * directive or a comment is dropped whole (indentation and newline), so
 * loops and conditions leave no blank lines.
 *
 * The compiler follows the HTML as it goes (text, tags, attribute names and
 * values, comments, <script>, <style> and the other raw-text elements) and
 * refuses, with file:line:col, any slot where escaping is not enough:
 * inside raw-text elements, comments and declarations; in tag or attribute
 * names; in unquoted attribute values; in event handler (on*, hx-on*),
 * style, srcdoc and the script-like htmx attributes; anything but {{url}} or
 * {{asset}} in URL attributes (href, src, action, hx-get...); {{html}}
 * anywhere but text. Each branch of a block must end in the HTML context it
 * began in, so a condition cannot open a tag or an attribute it does not
 * close.
 *
 * Text mode. A template whose file name ends in .txt (the plain-text part of
 * a mail, say) compiles the same way, with the same slots and blocks, into
 *
 *     int text_<name>(struct buf *b, const struct view_<name> *v);
 *
 * so a mail's text and HTML templates can share one view model. Nothing is
 * escaped there and no HTML context is followed: {{x}} and {{url x}} append
 * their value as it is, while {{html x}} and {{asset x}}, which only mean
 * something in a page, are refused.
 *
 * The compiler proper is tmplc_compile(), a pure function over (ptr, len)
 * that a fuzzer can call; main() below is a thin wrapper.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH      32   /* nested blocks */
#define LIT_SPLIT_SOFT 1500 /* close a literal at the next newline past this */
#define LIT_SPLIT_HARD 3000 /* and anywhere past this (C11 guarantees 4095) */
#define TAG_MAX        16
#define ATTR_MAX       32

int tmplc_compile(const char *src, size_t n, const char *name, FILE *out, char *err, size_t errlen);

enum tok_kind {
    T_TEXT,
    T_SLOT,
    T_HTML,
    T_URL,
    T_ASSET,
    T_IF,
    T_UNLESS,
    T_EACH,
    T_ELSE,
    T_END,
    T_COMMENT,
};

struct tok {
    enum tok_kind kind;
    const char *p; /* T_TEXT: the bytes; otherwise the argument */
    size_t n;
    const char *as; /* T_EACH: the loop variable */
    size_t asn;
    enum tok_kind closes; /* T_END: T_IF, T_UNLESS or T_EACH */
    const char *at;       /* where the token starts in the source */
    bool standalone;      /* a block directive alone on its line */
};

/* Where the HTML is, as far as the template's text says. */
enum hs {
    HS_TEXT,
    HS_RAW,    /* inside script, style and other raw-text elements */
    HS_RCDATA, /* inside title or textarea */
    HS_TAG_OPEN,
    HS_END_TAG_OPEN,
    HS_TAG_NAME,
    HS_BEFORE_ATTR,
    HS_ATTR_NAME,
    HS_AFTER_ATTR_NAME,
    HS_BEFORE_VALUE,
    HS_VALUE_DQ,
    HS_VALUE_SQ,
    HS_VALUE_UQ,
    HS_MARKUP_DECL, /* after "<!" */
    HS_COMMENT,
    HS_BOGUS, /* <!doctype>, <?...>, </ ...>: up to '>' */
};

struct hctx {
    enum hs st;
    char tag[TAG_MAX]; /* lower case; the element a raw text belongs to */
    size_t taglen;
    bool tag_long;
    bool endtag;
    char attr[ATTR_MAX]; /* lower case */
    size_t attrlen;
    bool attr_long;
    unsigned match;     /* progress through an end marker ("</tag", "-->") */
    const char *opened; /* the '<' that began the current tag, element or comment */
    bool need_sep;      /* an attribute name ended at a directive */
};

struct block {
    enum tok_kind kind;
    const struct tok *open;
    struct hctx at_open;
    bool need_sep; /* union over the branches seen so far */
    bool has_else;
    int loop; /* T_EACH: its index variable's number */
};

struct var {
    const char *p;
    size_t n;
};

struct tc {
    const char *src;
    size_t n;
    const char *name;
    bool text; /* a .txt template: no escaping, no HTML context */
    FILE *out;
    char *err;
    size_t errlen;
    bool failed;

    struct tok *toks;
    size_t ntoks, captoks;

    struct hctx ctx;
    struct block stack[MAX_DEPTH];
    int nblocks;
    int ind; /* nesting of the C being written */
    struct var vars[MAX_DEPTH];
    int nvars;
    int nloops;

    /* line of a source position, found by walking forward from the last one */
    const char *line_at;
    long line;

    /* the template line the next line of C is attributed to (0: unknown) */
    long cline;

    /* the literal being written, if any */
    bool lit_open;
    bool lit_nl; /* a newline was written; the next byte starts a C line */
    size_t lit_bytes;
    char lit_prev;
};

/* ---- errors and positions ------------------------------------------------ */

static void locate(const struct tc *tc, const char *at, long *line, long *col)
{
    const char *p;

    *line = 1;
    *col = 1;
    for (p = tc->src; p < at; p++) {
        if (*p == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)*p & 0xc0) != 0x80) {
            ++*col;
        }
    }
}

__attribute__((format(printf, 3, 4))) static int fail(struct tc *tc, const char *at,
                                                      const char *fmt, ...)
{
    va_list ap;
    long line, col;
    int k;

    if (tc->failed)
        return -1;
    tc->failed = true;
    if (!tc->errlen)
        return -1;
    locate(tc, at, &line, &col);
    k = snprintf(tc->err, tc->errlen, "%s:%ld:%ld: error: ", tc->name, line, col);
    if (k >= 0 && (size_t)k < tc->errlen) {
        va_start(ap, fmt);
        vsnprintf(tc->err + k, tc->errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static long line_of(struct tc *tc, const char *at)
{
    if (!tc->line_at || at < tc->line_at) {
        tc->line_at = tc->src;
        tc->line = 1;
    }
    for (; tc->line_at < at; tc->line_at++)
        if (*tc->line_at == '\n')
            tc->line++;
    return tc->line;
}

/* ---- output ---------------------------------------------------------------- */

/* All output goes through put() and putf(), which keep count of C lines. */
static void put(struct tc *tc, const char *s)
{
    const char *p;

    for (p = s; *p; p++)
        if (*p == '\n' && tc->cline)
            tc->cline++;
    fputs(s, tc->out);
}

/* fmt's arguments never hold a newline: they are names and numbers. */
__attribute__((format(printf, 2, 3))) static void putf(struct tc *tc, const char *fmt, ...)
{
    va_list ap;
    const char *p;

    for (p = fmt; *p; p++)
        if (*p == '\n' && tc->cline)
            tc->cline++;
    va_start(ap, fmt);
    vfprintf(tc->out, fmt, ap);
    va_end(ap);
}

static void indent(struct tc *tc)
{
    int i;

    for (i = 0; i <= tc->ind; i++)
        put(tc, "    ");
}

/* Attribute what follows to the template line of at, unless it already is. */
static void emit_line(struct tc *tc, const char *at)
{
    long line = line_of(tc, at);
    const char *p;

    if (tc->cline == line)
        return;
    fprintf(tc->out, "#line %ld \"", line);
    for (p = tc->name; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', tc->out);
        fputc(*p, tc->out);
    }
    fputs("\"\n", tc->out);
    tc->cline = line;
}

static void lit_close(struct tc *tc)
{
    if (tc->lit_open) {
        put(tc, "\");\n");
        if (tc->lit_nl && tc->cline)
            tc->cline++; /* the template's newline, not yet matched by one in C */
    }
    tc->lit_open = false;
    tc->lit_nl = false;
}

/* Append one byte of template text to the literal being written. */
static void lit_byte(struct tc *tc, const char *at)
{
    unsigned char c = (unsigned char)*at;

    if (tc->lit_open && tc->lit_bytes >= LIT_SPLIT_HARD)
        lit_close(tc);
    if (tc->lit_open && tc->lit_nl && tc->lit_bytes >= LIT_SPLIT_SOFT)
        lit_close(tc);
    if (!tc->lit_open) {
        emit_line(tc, at);
        indent(tc);
        put(tc, "tmpl_lit(b, \"");
        tc->lit_open = true;
        tc->lit_bytes = 0;
        tc->lit_prev = 0;
    } else if (tc->lit_nl) {
        /* One C line per template line keeps #line true within the literal. */
        put(tc, "\"\n");
        indent(tc);
        put(tc, "         \"");
    }
    tc->lit_nl = false;
    tc->lit_bytes++;
    if (c == '\n') {
        fputs("\\n", tc->out);
        tc->lit_nl = true;
    } else if (c == '"' || c == '\\') {
        fprintf(tc->out, "\\%c", c);
    } else if (c == '?' && tc->lit_prev == '?') {
        fputs("\\?", tc->out); /* no trigraphs */
    } else if (c == '\t') {
        fputs("\\t", tc->out);
    } else if (c >= 0x20 && c < 0x7f) {
        fputc(c, tc->out);
    } else {
        fprintf(tc->out, "\\%03o", c);
    }
    tc->lit_prev = (char)c;
}

/* ---- tokens ---------------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '_';
}

static bool is_ident(const char *p, size_t n)
{
    size_t i;

    if (n == 0 || !(is_alpha(p[0]) || p[0] == '_'))
        return false;
    for (i = 1; i < n; i++)
        if (!is_ident_char(p[i]))
            return false;
    return true;
}

/* ident(.ident)* */
static bool is_path(const char *p, size_t n)
{
    size_t i = 0, start;

    for (;;) {
        start = i;
        while (i < n && p[i] != '.')
            i++;
        if (!is_ident(p + start, i - start))
            return false;
        if (i == n)
            return true;
        i++;
    }
}

static bool is_asset_name(const char *p, size_t n)
{
    size_t i;

    if (n == 0 || p[0] == '.')
        return false;
    for (i = 0; i < n; i++)
        if (!is_ident_char(p[i]) && p[i] != '.' && p[i] != '-')
            return false;
    return true;
}

static bool word_is(const char *p, size_t n, const char *w)
{
    return n == strlen(w) && memcmp(p, w, n) == 0;
}

static struct tok *push_tok(struct tc *tc, enum tok_kind kind, const char *at)
{
    struct tok *t;

    if (tc->ntoks == tc->captoks) {
        size_t cap = tc->captoks ? tc->captoks * 2 : 64;
        struct tok *p = realloc(tc->toks, cap * sizeof(*p));

        if (!p) {
            fail(tc, at, "out of memory");
            return NULL;
        }
        tc->toks = p;
        tc->captoks = cap;
    }
    t = &tc->toks[tc->ntoks++];
    memset(t, 0, sizeof(*t));
    t->kind = kind;
    t->at = at;
    return t;
}

/* Split (p, n) at spaces into at most max words; returns how many, or max + 1. */
static size_t words(const char *p, size_t n, const char **w, size_t *wn, size_t max)
{
    size_t i = 0, k = 0;

    while (i < n) {
        while (i < n && is_space(p[i]))
            i++;
        if (i == n)
            break;
        if (k == max)
            return max + 1;
        w[k] = p + i;
        while (i < n && !is_space(p[i]))
            i++;
        wn[k] = (size_t)(p + i - w[k]);
        k++;
    }
    return k;
}

/* Parse the inside of {{...}}, which starts at at. */
static int directive(struct tc *tc, const char *at, const char *p, size_t n)
{
    const char *w[4];
    size_t wn[4], nw;
    struct tok *t;

    if (n && p[0] == '!')
        return push_tok(tc, T_COMMENT, at) ? 0 : -1;
    nw = words(p, n, w, wn, 4);
    if (nw == 0)
        return fail(tc, at, "empty {{}}");
    if (nw > 4)
        return fail(tc, at, "too many words in {{%.*s}}", (int)n, p);

    if (w[0][0] == '#') {
        const char *kw = w[0] + 1;
        size_t kwn = wn[0] - 1;
        enum tok_kind kind;

        if (word_is(kw, kwn, "if"))
            kind = T_IF;
        else if (word_is(kw, kwn, "unless"))
            kind = T_UNLESS;
        else if (word_is(kw, kwn, "each"))
            kind = T_EACH;
        else
            return fail(tc, at, "unknown block {{%.*s}}", (int)wn[0], w[0]);
        if (kind == T_EACH) {
            if (nw != 4 || !word_is(w[2], wn[2], "as"))
                return fail(tc, at, "write {{#each items as item}}");
            if (!is_path(w[1], wn[1]))
                return fail(tc, at, "bad name '%.*s' in {{#each}}", (int)wn[1], w[1]);
            if (!is_ident(w[3], wn[3]))
                return fail(tc, at, "bad loop variable '%.*s'", (int)wn[3], w[3]);
        } else if (nw != 2 || !is_path(w[1], wn[1])) {
            return fail(tc, at, "write {{#%.*s name}}", (int)kwn, kw);
        }
        t = push_tok(tc, kind, at);
        if (!t)
            return -1;
        t->p = w[1];
        t->n = wn[1];
        if (kind == T_EACH) {
            t->as = w[3];
            t->asn = wn[3];
        }
        return 0;
    }
    if (w[0][0] == '/') {
        enum tok_kind closes;

        if (nw != 1)
            return fail(tc, at, "write {{%.*s}} alone", (int)wn[0], w[0]);
        if (word_is(w[0] + 1, wn[0] - 1, "if"))
            closes = T_IF;
        else if (word_is(w[0] + 1, wn[0] - 1, "unless"))
            closes = T_UNLESS;
        else if (word_is(w[0] + 1, wn[0] - 1, "each"))
            closes = T_EACH;
        else
            return fail(tc, at, "unknown closer {{%.*s}}", (int)wn[0], w[0]);
        t = push_tok(tc, T_END, at);
        if (!t)
            return -1;
        t->closes = closes;
        return 0;
    }
    if (word_is(w[0], wn[0], "else")) {
        if (nw != 1)
            return fail(tc, at, "write {{else}} alone");
        return push_tok(tc, T_ELSE, at) ? 0 : -1;
    }
    if (word_is(w[0], wn[0], "html") || word_is(w[0], wn[0], "url") ||
        word_is(w[0], wn[0], "asset")) {
        enum tok_kind kind = w[0][0] == 'h' ? T_HTML : w[0][0] == 'u' ? T_URL : T_ASSET;

        if (nw != 2)
            return fail(tc, at, "write {{%.*s name}}", (int)wn[0], w[0]);
        if (kind == T_ASSET ? !is_asset_name(w[1], wn[1]) : !is_path(w[1], wn[1]))
            return fail(tc, at, "bad name '%.*s' in {{%.*s}}", (int)wn[1], w[1], (int)wn[0], w[0]);
        t = push_tok(tc, kind, at);
        if (!t)
            return -1;
        t->p = w[1];
        t->n = wn[1];
        return 0;
    }
    if (nw != 1)
        return fail(tc, at, "unknown directive {{%.*s}}", (int)n, p);
    if (!is_path(w[0], wn[0]))
        return fail(tc, at, "bad name '%.*s'; slots are names like item.title", (int)wn[0], w[0]);
    t = push_tok(tc, T_SLOT, at);
    if (!t)
        return -1;
    t->p = w[0];
    t->n = wn[0];
    return 0;
}

static int tokenize(struct tc *tc)
{
    const char *p = tc->src, *end = tc->src + tc->n, *open, *close;
    struct tok *t;

    while (p < end) {
        open = p;
        while (open < end && !(open[0] == '{' && open + 1 < end && open[1] == '{'))
            open++;
        if (open > p) {
            t = push_tok(tc, T_TEXT, p);
            if (!t)
                return -1;
            t->p = p;
            t->n = (size_t)(open - p);
        }
        if (open == end)
            break;
        if (open + 2 < end && open[2] == '{')
            return fail(tc, open, "'{{{' is not supported; use {{html x}} for trusted markup");
        close = open + 2;
        while (close + 1 < end && !(close[0] == '}' && close[1] == '}')) {
            if (*close == '\n' && open[2] != '!')
                return fail(tc, open, "'{{' without '}}' on the same line");
            close++;
        }
        if (close + 1 >= end)
            return fail(tc, open, "'{{' without '}}'");
        if (directive(tc, open, open + 2, (size_t)(close - open - 2)))
            return -1;
        p = close + 2;
    }
    return 0;
}

/* UTF-8 without NUL, overlongs, surrogates or code points past U+10FFFF. */
static int check_utf8(struct tc *tc)
{
    const unsigned char *s = (const unsigned char *)tc->src;
    size_t i = 0, n = tc->n, k, need;
    unsigned long cp;

    while (i < n) {
        unsigned char c = s[i];

        if (c == 0)
            return fail(tc, tc->src + i, "NUL byte in template");
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            cp = c & 0x07u;
        } else {
            return fail(tc, tc->src + i, "invalid UTF-8");
        }
        if (n - i <= need)
            return fail(tc, tc->src + i, "invalid UTF-8");
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return fail(tc, tc->src + i, "invalid UTF-8");
            cp = cp << 6 | (s[i + k] & 0x3fu);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return fail(tc, tc->src + i, "invalid UTF-8");
        i += need + 1;
    }
    return 0;
}

static bool is_block_tok(enum tok_kind k)
{
    return k == T_IF || k == T_UNLESS || k == T_EACH || k == T_ELSE || k == T_END || k == T_COMMENT;
}

static bool blank(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!is_space(p[i]))
            return false;
    return true;
}

static const char *last_nl(const char *p, size_t n)
{
    while (n--)
        if (p[n] == '\n')
            return p + n;
    return NULL;
}

/*
 * Drop the lines that hold only a block directive or a comment: the blanks
 * before it on its line and the blanks and newline after it. Decided on the
 * untrimmed text first, then applied, so that neighbours do not interfere.
 */
static void trim_standalone(struct tc *tc)
{
    size_t i;

    for (i = 0; i < tc->ntoks; i++) {
        struct tok *t = &tc->toks[i], *prev = i ? t - 1 : NULL;
        struct tok *next = i + 1 < tc->ntoks ? t + 1 : NULL;
        bool starts, ends;

        if (!is_block_tok(t->kind))
            continue;
        if (!prev) {
            starts = true;
        } else if (prev->kind != T_TEXT) {
            starts = false;
        } else {
            const char *nl = last_nl(prev->p, prev->n);
            const char *from = nl ? nl + 1 : prev->p;

            starts = (nl || i == 1) && blank(from, (size_t)(prev->p + prev->n - from));
        }
        if (!next) {
            ends = true;
        } else if (next->kind != T_TEXT) {
            ends = false;
        } else {
            const char *nl = memchr(next->p, '\n', next->n);
            size_t head = nl ? (size_t)(nl - next->p) : next->n;

            ends = (nl || i + 2 == tc->ntoks) && blank(next->p, head);
        }
        t->standalone = starts && ends;
    }
    for (i = 0; i < tc->ntoks; i++) {
        struct tok *t = &tc->toks[i];
        const char *start, *end, *nl;

        if (t->kind != T_TEXT)
            continue;
        start = t->p;
        end = t->p + t->n;
        if (i + 1 < tc->ntoks && t[1].standalone) {
            nl = last_nl(t->p, t->n);
            end = nl ? nl + 1 : t->p;
        }
        if (i > 0 && t[-1].standalone) {
            nl = memchr(t->p, '\n', t->n);
            start = nl ? nl + 1 : t->p + t->n;
        }
        if (start > end)
            start = end;
        t->p = start;
        t->n = (size_t)(end - start);
    }
}

/* ---- the HTML context ------------------------------------------------------ */

static char lower(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

static bool is_html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool in_set(const char *name, size_t n, const char *const *set)
{
    for (; *set; set++)
        if (word_is(name, n, *set))
            return true;
    return false;
}

static const char *const raw_tags[] = {"script",  "style",    "xmp",       "iframe",
                                       "noembed", "noframes", "plaintext", NULL};
static const char *const rcdata_tags[] = {"title", "textarea", NULL};

/* Attributes whose value the browser fetches or navigates to. */
static const char *const url_attrs[] = {
    "href",       "src",      "action",    "formaction",  "srcset",         "imagesrcset",
    "poster",     "data",     "cite",      "background",  "xlink:href",     "manifest",
    "codebase",   "ping",     "longdesc",  "icon",        "usemap",         "lowsrc",
    "dynsrc",     "archive",  "classid",   "profile",     "hx-get",         "hx-post",
    "hx-put",     "hx-patch", "hx-delete", "hx-push-url", "hx-replace-url", "sse-connect",
    "ws-connect", NULL};

/* Attributes whose value is code or markup: no slot at all. */
static const char *const code_attrs[] = {"style",      "srcdoc",     "hx-vals", "hx-vars",
                                         "hx-headers", "hx-trigger", "hx-on",   NULL};

static void tag_char(struct hctx *h, char c)
{
    if (h->taglen + 1 < sizeof(h->tag))
        h->tag[h->taglen++] = lower(c);
    else
        h->tag_long = true;
    h->tag[h->taglen] = '\0';
}

static void attr_start(struct hctx *h, char c)
{
    h->attrlen = 0;
    h->attr_long = false;
    h->attr[0] = '\0';
    if (c) {
        h->attr[h->attrlen++] = lower(c);
        h->attr[h->attrlen] = '\0';
    }
    h->st = HS_ATTR_NAME;
}

static void attr_char(struct hctx *h, char c)
{
    if (h->attrlen + 1 < sizeof(h->attr))
        h->attr[h->attrlen++] = lower(c);
    else
        h->attr_long = true;
    h->attr[h->attrlen] = '\0';
}

/* The '>' of a tag: what follows is text, or raw text for some elements. */
static void tag_end(struct hctx *h)
{
    h->st = HS_TEXT;
    h->match = 0;
    if (!h->endtag && !h->tag_long) {
        if (in_set(h->tag, h->taglen, raw_tags))
            h->st = HS_RAW;
        else if (in_set(h->tag, h->taglen, rcdata_tags))
            h->st = HS_RCDATA;
    }
}

/* Move the context past one byte of literal text. */
static int html_step(struct tc *tc, const char *at)
{
    struct hctx *h = &tc->ctx;
    char c = *at;

again:
    switch (h->st) {
    case HS_TEXT:
        if (c == '<') {
            h->st = HS_TAG_OPEN;
            h->opened = at;
        }
        break;
    case HS_RAW:
    case HS_RCDATA:
        /* Look for "</tag" followed by a space, '/' or '>'; match counts what was seen. */
        if (h->match == 1 && c == '/') {
            h->match = 2;
        } else if (h->match >= 2 && h->match - 2 < h->taglen && lower(c) == h->tag[h->match - 2]) {
            h->match++;
        } else if (h->match >= 2 && h->match - 2 == h->taglen &&
                   (is_html_space(c) || c == '/' || c == '>')) {
            h->endtag = true;
            h->match = 0;
            h->st = HS_BEFORE_ATTR;
            goto again;
        } else {
            h->match = c == '<';
        }
        break;
    case HS_TAG_OPEN:
        if (is_alpha(c)) {
            h->st = HS_TAG_NAME;
            h->endtag = false;
            h->taglen = 0;
            h->tag_long = false;
            tag_char(h, c);
        } else if (c == '/') {
            h->st = HS_END_TAG_OPEN;
        } else if (c == '!') {
            h->st = HS_MARKUP_DECL;
            h->match = 0;
        } else if (c == '?') {
            h->st = HS_BOGUS;
        } else {
            h->st = HS_TEXT; /* a lone '<'; a second one may open a tag */
            goto again;
        }
        break;
    case HS_END_TAG_OPEN:
        if (is_alpha(c)) {
            h->st = HS_TAG_NAME;
            h->endtag = true;
            h->taglen = 0;
            h->tag_long = false;
            tag_char(h, c);
        } else {
            h->st = c == '>' ? HS_TEXT : HS_BOGUS;
        }
        break;
    case HS_TAG_NAME:
        if (is_html_space(c) || c == '/')
            h->st = HS_BEFORE_ATTR;
        else if (c == '>')
            tag_end(h);
        else
            tag_char(h, c);
        break;
    case HS_BEFORE_ATTR:
        if (is_html_space(c) || c == '/') {
            h->need_sep = false;
        } else if (c == '>') {
            h->need_sep = false;
            tag_end(h);
        } else if (c == '=' || c == '"' || c == '\'' || c == '<') {
            return fail(tc, at, "unexpected '%c' in a tag", c);
        } else if (h->need_sep) {
            return fail(tc, at,
                        "an attribute name runs into a template directive; "
                        "put a space between them");
        } else {
            attr_start(h, c);
        }
        break;
    case HS_ATTR_NAME:
        if (is_html_space(c))
            h->st = HS_AFTER_ATTR_NAME;
        else if (c == '/')
            h->st = HS_BEFORE_ATTR;
        else if (c == '=')
            h->st = HS_BEFORE_VALUE;
        else if (c == '>')
            tag_end(h);
        else if (c == '"' || c == '\'' || c == '<')
            return fail(tc, at, "unexpected '%c' in an attribute name", c);
        else
            attr_char(h, c);
        break;
    case HS_AFTER_ATTR_NAME:
        if (c == '=') {
            h->st = HS_BEFORE_VALUE;
        } else if (c == '/') {
            h->st = HS_BEFORE_ATTR;
        } else if (c == '>') {
            tag_end(h);
        } else if (!is_html_space(c)) {
            h->st = HS_BEFORE_ATTR;
            goto again;
        }
        break;
    case HS_BEFORE_VALUE:
        if (c == '"')
            h->st = HS_VALUE_DQ;
        else if (c == '\'')
            h->st = HS_VALUE_SQ;
        else if (c == '>')
            tag_end(h);
        else if (!is_html_space(c))
            h->st = HS_VALUE_UQ;
        break;
    case HS_VALUE_DQ:
        if (c == '"')
            h->st = HS_BEFORE_ATTR;
        break;
    case HS_VALUE_SQ:
        if (c == '\'')
            h->st = HS_BEFORE_ATTR;
        break;
    case HS_VALUE_UQ:
        if (is_html_space(c))
            h->st = HS_BEFORE_ATTR;
        else if (c == '>')
            tag_end(h);
        break;
    case HS_MARKUP_DECL:
        if (c == '-' && h->match == 0) {
            h->match = 1;
        } else if (c == '-' && h->match == 1) {
            h->st = HS_COMMENT;
            h->match = 2; /* "<!-->" closes at once */
        } else {
            h->st = HS_BOGUS;
            goto again;
        }
        break;
    case HS_COMMENT:
        if (c == '-')
            h->match++;
        else if (c == '>' && h->match >= 2)
            h->st = HS_TEXT;
        else
            h->match = 0;
        break;
    case HS_BOGUS:
        if (c == '>')
            h->st = HS_TEXT;
        break;
    }
    return 0;
}

/* Where h is, in words, for messages; written into buf. */
static const char *describe(const struct hctx *h, char *buf, size_t n)
{
    const char *what = "?";

    switch (h->st) {
    case HS_TEXT:
        what = "text";
        break;
    case HS_RAW:
    case HS_RCDATA:
        snprintf(buf, n, "<%s>", h->tag);
        return buf;
    case HS_TAG_OPEN:
    case HS_END_TAG_OPEN:
    case HS_TAG_NAME:
        what = "a tag name";
        break;
    case HS_BEFORE_ATTR:
    case HS_AFTER_ATTR_NAME:
        snprintf(buf, n, "the <%s%s> tag", h->endtag ? "/" : "", h->tag);
        return buf;
    case HS_ATTR_NAME:
        what = "an attribute name";
        break;
    case HS_BEFORE_VALUE:
    case HS_VALUE_UQ:
        what = "an unquoted attribute value";
        break;
    case HS_VALUE_DQ:
    case HS_VALUE_SQ:
        snprintf(buf, n, "the value of the %s attribute", h->attr);
        return buf;
    case HS_MARKUP_DECL:
    case HS_BOGUS:
        what = "a markup declaration";
        break;
    case HS_COMMENT:
        what = "an HTML comment";
        break;
    }
    snprintf(buf, n, "%s", what);
    return buf;
}

/*
 * Where a block directive may stand, and the context it leaves: an
 * attribute name is over at a directive (HTML would run it on into what
 * follows, so that must start with a separator), and partial end markers
 * are forgotten, which errs on the strict side.
 */
static int block_ctx(struct tc *tc, const struct tok *t)
{
    struct hctx *h = &tc->ctx;
    char d[64];

    switch (h->st) {
    case HS_TAG_OPEN:
    case HS_END_TAG_OPEN:
    case HS_TAG_NAME:
    case HS_MARKUP_DECL:
    case HS_BOGUS:
    case HS_BEFORE_VALUE:
    case HS_VALUE_UQ:
        return fail(tc, t->at, "template directive inside %s", describe(h, d, sizeof(d)));
    case HS_ATTR_NAME:
        h->st = HS_BEFORE_ATTR;
        h->need_sep = true;
        break;
    case HS_AFTER_ATTR_NAME:
        h->st = HS_BEFORE_ATTR;
        break;
    case HS_RAW:
    case HS_RCDATA:
    case HS_COMMENT:
        h->match = 0;
        break;
    case HS_TEXT:
    case HS_BEFORE_ATTR:
    case HS_VALUE_DQ:
    case HS_VALUE_SQ:
        break;
    }
    return 0;
}

static bool same_ctx(const struct hctx *a, const struct hctx *b)
{
    if (a->st != b->st)
        return false;
    switch (a->st) {
    case HS_RAW:
    case HS_RCDATA:
        return strcmp(a->tag, b->tag) == 0;
    case HS_BEFORE_ATTR:
        return a->endtag == b->endtag && strcmp(a->tag, b->tag) == 0;
    case HS_VALUE_DQ:
    case HS_VALUE_SQ:
        return a->endtag == b->endtag && strcmp(a->tag, b->tag) == 0 &&
               a->attr_long == b->attr_long && strcmp(a->attr, b->attr) == 0;
    default:
        return true;
    }
}

/* Strip "data-", the prefix HTML and htmx ignore. */
static const char *attr_base(const struct hctx *h)
{
    return strncmp(h->attr, "data-", 5) == 0 ? h->attr + 5 : h->attr;
}

static const char *slot_word(enum tok_kind k)
{
    return k == T_HTML ? "{{html}}" : k == T_URL ? "{{url}}" : k == T_ASSET ? "{{asset}}" : "slot";
}

/* May a slot of this kind stand here? */
static int check_slot(struct tc *tc, const struct tok *t)
{
    const struct hctx *h = &tc->ctx;
    const char *a;
    char d[64];

    if (tc->text && (t->kind == T_HTML || t->kind == T_ASSET))
        return fail(tc, t->at, "%s in a text template; it only means something in HTML",
                    slot_word(t->kind));
    switch (h->st) {
    case HS_TEXT:
        return 0;
    case HS_RCDATA:
        if (t->kind == T_HTML)
            return fail(tc, t->at, "{{html}} inside <%s>; it is only allowed in text", h->tag);
        return 0;
    case HS_RAW:
        return fail(tc, t->at, "%s inside <%s>; pass data in a data- attribute instead",
                    slot_word(t->kind), h->tag);
    case HS_COMMENT:
    case HS_MARKUP_DECL:
    case HS_BOGUS:
        return fail(tc, t->at, "%s inside %s", slot_word(t->kind), describe(h, d, sizeof(d)));
    case HS_TAG_OPEN:
    case HS_END_TAG_OPEN:
    case HS_TAG_NAME:
    case HS_BEFORE_ATTR:
    case HS_ATTR_NAME:
    case HS_AFTER_ATTR_NAME:
        return fail(tc, t->at, "%s in a tag or attribute name", slot_word(t->kind));
    case HS_BEFORE_VALUE:
    case HS_VALUE_UQ:
        return fail(tc, t->at, "%s in an unquoted attribute value; quote the value",
                    slot_word(t->kind));
    case HS_VALUE_DQ:
    case HS_VALUE_SQ:
        break;
    }
    if (t->kind == T_HTML)
        return fail(tc, t->at, "{{html}} in an attribute value; it is only allowed in text");
    if (h->attr_long)
        return 0;
    a = attr_base(h);
    if ((a[0] == 'o' && a[1] == 'n') || strncmp(a, "hx-on", 5) == 0 ||
        in_set(a, strlen(a), code_attrs))
        return fail(tc, t->at, "%s in the %s attribute, which holds code", slot_word(t->kind),
                    h->attr);
    if (in_set(a, strlen(a), url_attrs) && t->kind != T_URL && t->kind != T_ASSET)
        return fail(tc, t->at,
                    "plain slot in the URL attribute %s; use {{url x}} with a struct url made "
                    "by url_build(), or {{asset name}}",
                    h->attr);
    return 0;
}

/* ---- code ------------------------------------------------------------------ */

static const struct var *bound(const struct tc *tc, const char *p, size_t n)
{
    int i;

    for (i = tc->nvars - 1; i >= 0; i--)
        if (tc->vars[i].n == n && memcmp(tc->vars[i].p, p, n) == 0)
            return &tc->vars[i];
    return NULL;
}

/*
 * The C expression for a path: v->a.b, or it->a.b and (*it) for a loop
 * variable. With count, the last name gets an 'n' in front (v->a.nb).
 */
static void emit_path(struct tc *tc, const char *p, size_t n, bool count)
{
    const char *dot = memchr(p, '.', n);
    size_t first = dot ? (size_t)(dot - p) : n;
    const char *last = p + n;
    bool var = bound(tc, p, first) != NULL;

    while (last > p && last[-1] != '.')
        last--;
    if (var && !dot) {
        putf(tc, "(*%.*s)", (int)n, p);
        return;
    }
    if (!var)
        put(tc, "v->");
    if (var) {
        putf(tc, "%.*s->", (int)first, p);
        p += first + 1;
        n -= first + 1;
    }
    if (count) {
        putf(tc, "%.*sn%.*s", (int)(last - p), p, (int)(p + n - last), last);
    } else {
        putf(tc, "%.*s", (int)n, p);
    }
}

static const char *const c_keywords[] = {
    "auto",     "break",    "case",       "char",      "const",          "continue",
    "default",  "do",       "double",     "else",      "enum",           "extern",
    "float",    "for",      "goto",       "if",        "inline",         "int",
    "long",     "register", "restrict",   "return",    "short",          "signed",
    "sizeof",   "static",   "struct",     "switch",    "typedef",        "union",
    "unsigned", "void",     "volatile",   "while",     "bool",           "true",
    "false",    "NULL",     "_Alignas",   "_Alignof",  "_Atomic",        "_Bool",
    "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local",
    NULL};

static int open_block(struct tc *tc, const struct tok *t)
{
    struct block *blk;

    if (tc->nblocks == MAX_DEPTH)
        return fail(tc, t->at, "blocks nested more than %d deep", MAX_DEPTH);
    if (t->kind == T_EACH) {
        if (bound(tc, t->p, t->n))
            return fail(tc, t->at, "'%.*s' is an element, not an array", (int)t->n, t->p);
        if (in_set(t->as, t->asn, c_keywords) || word_is(t->as, t->asn, "b") ||
            word_is(t->as, t->asn, "v") || t->as[0] == '_' ||
            (t->asn >= 5 && memcmp(t->as, "tmpl_", 5) == 0))
            return fail(tc, t->at, "'%.*s' cannot name a loop variable", (int)t->asn, t->as);
        if (bound(tc, t->as, t->asn))
            return fail(tc, t->at, "'%.*s' is already bound by an outer {{#each}}", (int)t->asn,
                        t->as);
    }
    if (block_ctx(tc, t))
        return -1;
    blk = &tc->stack[tc->nblocks++];
    memset(blk, 0, sizeof(*blk));
    blk->kind = t->kind;
    blk->open = t;
    blk->at_open = tc->ctx;
    blk->need_sep = tc->ctx.need_sep;

    emit_line(tc, t->at);
    indent(tc);
    if (t->kind == T_IF || t->kind == T_UNLESS) {
        put(tc, t->kind == T_IF ? "if (_Generic((" : "if (!_Generic((");
        emit_path(tc, t->p, t->n, false);
        put(tc, "), TMPL_TRUTHY_CASES)(");
        emit_path(tc, t->p, t->n, false);
        put(tc, ")) {\n");
        tc->ind++;
        return 0;
    }

    blk->loop = ++tc->nloops;
    put(tc, "{\n");
    tc->ind++;
    indent(tc);
    putf(tc, "size_t tmpl_i%d;\n", blk->loop);
    emit_line(tc, t->at);
    indent(tc);
    putf(tc, "for (tmpl_i%d = 0; tmpl_i%d < ", blk->loop, blk->loop);
    emit_path(tc, t->p, t->n, true);
    putf(tc, "; tmpl_i%d++) {\n", blk->loop);
    tc->ind++;
    emit_line(tc, t->at);
    indent(tc);
    put(tc, "const __typeof__(");
    emit_path(tc, t->p, t->n, false);
    putf(tc, "[0]) *const %.*s = &", (int)t->asn, t->as);
    emit_path(tc, t->p, t->n, false);
    putf(tc, "[tmpl_i%d];\n", blk->loop);
    indent(tc);
    putf(tc, "(void)%.*s;\n", (int)t->asn, t->as);
    tc->vars[tc->nvars].p = t->as;
    tc->vars[tc->nvars].n = t->asn;
    tc->nvars++;
    return 0;
}

static const char *block_name(enum tok_kind k)
{
    return k == T_IF ? "{{#if}}" : k == T_UNLESS ? "{{#unless}}" : "{{#each}}";
}

/* A branch of the innermost block ends here: it must end where it began. */
static int end_branch(struct tc *tc, const struct tok *t, struct block *blk)
{
    long line, col;
    char d1[64], d2[64];

    if (block_ctx(tc, t))
        return -1;
    if (!same_ctx(&tc->ctx, &blk->at_open)) {
        locate(tc, blk->open->at, &line, &col);
        return fail(tc, t->at,
                    "the %s begun at line %ld starts in %s but this branch ends in %s; a "
                    "block must close every tag, attribute and comment it opens",
                    block_name(blk->kind), line, describe(&blk->at_open, d1, sizeof(d1)),
                    describe(&tc->ctx, d2, sizeof(d2)));
    }
    blk->need_sep |= tc->ctx.need_sep;
    tc->ctx = blk->at_open;
    return 0;
}

static int else_block(struct tc *tc, const struct tok *t)
{
    struct block *blk;

    if (tc->nblocks == 0)
        return fail(tc, t->at, "{{else}} outside a block");
    blk = &tc->stack[tc->nblocks - 1];
    if (blk->has_else)
        return fail(tc, t->at, "a second {{else}} in one block");
    if (end_branch(tc, t, blk))
        return -1;
    blk->has_else = true;
    tc->ind--;
    indent(tc);
    if (blk->kind == T_EACH) {
        /* The else part runs when the loop ran no times; the element is gone. */
        put(tc, "}\n");
        emit_line(tc, t->at);
        indent(tc);
        putf(tc, "if (tmpl_i%d == 0) {\n", blk->loop);
        tc->nvars--;
    } else {
        put(tc, "} else {\n");
    }
    tc->ind++;
    return 0;
}

static int close_block(struct tc *tc, const struct tok *t)
{
    struct block *blk;
    long line, col;

    if (tc->nblocks == 0)
        return fail(tc, t->at, "%s closes nothing",
                    t->closes == T_IF       ? "{{/if}}"
                    : t->closes == T_UNLESS ? "{{/unless}}"
                                            : "{{/each}}");
    blk = &tc->stack[tc->nblocks - 1];
    if (blk->kind != t->closes) {
        locate(tc, blk->open->at, &line, &col);
        return fail(tc, t->at, "this closer does not match the %s opened at line %ld",
                    block_name(blk->kind), line);
    }
    if (end_branch(tc, t, blk))
        return -1;
    tc->ctx.need_sep = blk->need_sep;
    if (blk->kind == T_EACH) {
        tc->ind--;
        indent(tc);
        put(tc, "}\n");
        if (!blk->has_else)
            tc->nvars--;
    }
    tc->ind--;
    indent(tc);
    put(tc, "}\n");
    tc->nblocks--;
    return 0;
}

static int slot(struct tc *tc, const struct tok *t)
{
    size_t i;

    if (check_slot(tc, t))
        return -1;
    emit_line(tc, t->at);
    indent(tc);
    if (t->kind == T_ASSET) {
        put(tc, "tmpl_asset(b, ASSET_");
        for (i = 0; i < t->n; i++)
            putf(tc, "%c", is_ident_char(t->p[i]) ? t->p[i] : '_');
        put(tc, ");\n");
        return 0;
    }
    if (t->kind == T_SLOT) {
        /* The selector is spelled here, so a wrong type is reported at this line. */
        put(tc, "_Generic((");
        emit_path(tc, t->p, t->n, false);
        put(tc, tc->text ? "), TMPL_RAW_CASES)(b, " : "), TMPL_TEXT_CASES)(b, ");
    } else if (tc->text) {
        put(tc, "tmpl_raw_url(b, ");
    } else {
        put(tc, t->kind == T_HTML ? "tmpl_html(b, " : "tmpl_url(b, ");
    }
    emit_path(tc, t->p, t->n, false);
    put(tc, ");\n");
    return 0;
}

static int text(struct tc *tc, const struct tok *t)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (!tc->text && html_step(tc, t->p + i))
            return -1;
        lit_byte(tc, t->p + i);
    }
    return 0;
}

/* ---- the template as a whole ---------------------------------------------- */

/*
 * From the template's path, the function's name (its base name less
 * ".html" or ".txt") and the views.h to include: the one in the template's
 * folder, named from below src/ (src/feature/home/home.html ->
 * feature/home/views.h).
 */
static int names(struct tc *tc, const char **base, size_t *baselen, const char **dir,
                 size_t *dirlen)
{
    const char *slash = strrchr(tc->name, '/'), *p;
    size_t n;

    *base = slash ? slash + 1 : tc->name;
    n = strlen(*base);
    if (tc->text)
        *baselen = n - 4; /* tmplc_compile() saw the ".txt" */
    else if (n > 5 && strcmp(*base + n - 5, ".html") == 0)
        *baselen = n - 5;
    else
        return fail(tc, tc->src, "the template's file name must end in .html or .txt");
    if (!is_ident(*base, *baselen))
        return fail(tc, tc->src, "the template's name '%.*s' is not a C identifier", (int)*baselen,
                    *base);
    *dir = NULL;
    *dirlen = 0;
    for (p = tc->name; p < *base; p++) {
        if ((p == tc->name || p[-1] == '/') && strncmp(p, "src/", 4) == 0) {
            *dir = p + 4;
            *dirlen = (size_t)(*base - *dir);
        }
    }
    for (p = tc->name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\' || *p == '*')
            return fail(tc, tc->src, "unusable character in the template's path");
    return 0;
}

static bool uses_assets(const struct tc *tc)
{
    size_t i;

    for (i = 0; i < tc->ntoks; i++)
        if (tc->toks[i].kind == T_ASSET)
            return true;
    return false;
}

static int generate(struct tc *tc)
{
    const char *base = NULL, *dir = NULL;
    size_t baselen = 0, dirlen = 0, i;
    char d[64];
    const char *end = tc->src + tc->n;

    if (names(tc, &base, &baselen, &dir, &dirlen))
        return -1;
    putf(tc, "/* Generated by tools/tmplc from %s; do not edit. */\n", tc->name);
    putf(tc, "#include \"%.*sviews.h\"\n", (int)dirlen, dir ? dir : "");
    put(tc, "#include \"view/tmpl.h\"\n");
    if (uses_assets(tc))
        put(tc, "#include \"assets.h\"\n");
    putf(tc, "\nint %s_%.*s(struct buf *b, const struct view_%.*s *v)\n{\n",
         tc->text ? "text" : "view", (int)baselen, base, (int)baselen, base);
    put(tc, "    (void)v;\n");

    for (i = 0; i < tc->ntoks && !tc->failed; i++) {
        const struct tok *t = &tc->toks[i];

        if (t->kind != T_TEXT)
            lit_close(tc);
        switch (t->kind) {
        case T_TEXT:
            text(tc, t);
            break;
        case T_SLOT:
        case T_HTML:
        case T_URL:
        case T_ASSET:
            slot(tc, t);
            break;
        case T_IF:
        case T_UNLESS:
        case T_EACH:
            open_block(tc, t);
            break;
        case T_ELSE:
            else_block(tc, t);
            break;
        case T_END:
            close_block(tc, t);
            break;
        case T_COMMENT:
            break;
        }
    }
    if (tc->failed)
        return -1;
    lit_close(tc);
    if (tc->nblocks) {
        const struct block *blk = &tc->stack[tc->nblocks - 1];

        return fail(tc, blk->open->at, "%s is never closed", block_name(blk->kind));
    }
    if (tc->ctx.st != HS_TEXT)
        return fail(tc, tc->ctx.opened ? tc->ctx.opened : end,
                    "the template ends inside %s begun here", describe(&tc->ctx, d, sizeof(d)));
    emit_line(tc, end);
    put(tc, "    return tmpl_done(b);\n}\n");
    return 0;
}

int tmplc_compile(const char *src, size_t n, const char *name, FILE *out, char *err, size_t errlen)
{
    struct tc tc;
    int rc;

    memset(&tc, 0, sizeof(tc));
    tc.src = src;
    tc.n = n;
    tc.name = name;
    tc.text = strlen(name) > 4 && strcmp(name + strlen(name) - 4, ".txt") == 0;
    tc.out = out;
    tc.err = err;
    tc.errlen = errlen;
    tc.ctx.st = HS_TEXT;
    if (errlen)
        err[0] = '\0';
    rc = check_utf8(&tc);
    if (!rc)
        rc = tokenize(&tc);
    if (!rc) {
        trim_standalone(&tc);
        rc = generate(&tc);
    }
    free(tc.toks);
    return rc ? -1 : 0;
}

/* ---- the command ----------------------------------------------------------- */

#ifndef TMPLC_NO_MAIN

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *p;
    size_t cap = 0, len = 0, got;

    if (!f)
        return NULL;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            p = realloc(buf, cap);
            if (!p)
                goto fail;
            buf = p;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        goto fail;
    fclose(f);
    *n = len;
    return buf;
fail:
    free(buf);
    fclose(f);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *in = NULL;
    char tmp[4096], err[1024];
    size_t n;
    char *src;
    FILE *f;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] != '-' && !in)
            in = argv[i];
        else
            out = in = NULL, i = argc;
    }
    if (!out || !in) {
        fputs("usage: tmplc -o OUT.c IN.html|IN.txt\n", stderr);
        return 2;
    }
    src = read_file(in, &n);
    if (!src) {
        fprintf(stderr, "tmplc: cannot read %s: %s\n", in, strerror(errno));
        return 1;
    }
    rc = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", out, (long)getpid());
    if (rc < 0 || (size_t)rc >= sizeof(tmp)) {
        fprintf(stderr, "tmplc: output path too long\n");
        free(src);
        return 1;
    }
    f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "tmplc: cannot write %s: %s\n", tmp, strerror(errno));
        free(src);
        return 1;
    }
    rc = tmplc_compile(src, n, in, f, err, sizeof(err));
    free(src);
    if (fclose(f) != 0 && rc == 0) {
        fprintf(stderr, "tmplc: cannot write %s: %s\n", tmp, strerror(errno));
        rc = -1;
    } else if (rc) {
        fprintf(stderr, "%s\n", err);
    }
    if (rc == 0 && rename(tmp, out) != 0) {
        fprintf(stderr, "tmplc: cannot rename %s to %s: %s\n", tmp, out, strerror(errno));
        rc = -1;
    }
    if (rc)
        remove(tmp);
    return rc ? 1 : 0;
}

#endif
