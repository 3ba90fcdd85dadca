#include "feature/search/query.h"

#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/utf8.h"

static int fail(const char **msg, const char *why)
{
    *msg = why;
    return E_INVAL;
}

/* The code point at s.ptr[i] (valid UTF-8) and its length in bytes. */
static uint32_t cp_at(struct str s, size_t i, size_t *len)
{
    return utf8_decode(s.ptr + i, len);
}

/* Spaces and control characters (C0, DEL, C1, bidirectional overrides) separate terms. */
static bool is_gap(uint32_t c)
{
    return c == ' ' || utf8_is_control(c);
}

/*
 * Whether a code point can be part of a word as the backends' tokenizers
 * see it (FTS5 unicode61: letters, digits and private use; PostgreSQL's
 * parser much the same). An approximation by blocks: ASCII letters and
 * digits, and anything from U+00C0 on but the blocks of punctuation,
 * symbols, combining marks and emoji. It only decides whether a term has a
 * word at all: the text itself reaches the backend as typed.
 */
static bool is_word_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c < 0xc0 || c == 0xd7 || c == 0xf7)
        return false;
    if (c >= 0x300 && c <= 0x36f) /* combining diacritical marks */
        return false;
    if (c >= 0x2000 && c <= 0x2bff) /* punctuation, symbols, arrows, shapes */
        return false;
    if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xfe30 && c <= 0xfe4f) ||
        (c >= 0xff00 && c <= 0xff0f) || (c >= 0xfff0 && c <= 0xffff))
        return false;
    if (c >= 0x1f000 && c <= 0x1faff) /* emoji and pictographs */
        return false;
    return true;
}

static bool has_word(struct str s)
{
    size_t i = 0, len;

    while (i < s.len) {
        if (is_word_cp(cp_at(s, i, &len)))
            return true;
        i += len;
    }
    return false;
}

/*
 * Whether a word may begin others (word*): letters and digits only, so
 * that the backend sees one token (PostgreSQL would make every part of
 * "e-ma*" a prefix, "e" too), and at least SEARCH_PREFIX_MIN of them.
 */
static bool is_stem(struct str s)
{
    size_t i = 0, n = 0, len;

    while (i < s.len) {
        if (!is_word_cp(cp_at(s, i, &len)))
            return false;
        i += len;
        n++;
    }
    return n >= SEARCH_PREFIX_MIN;
}

static size_t skip_gaps(struct str s, size_t i)
{
    size_t len;

    while (i < s.len && is_gap(cp_at(s, i, &len)))
        i += len;
    return i;
}

/* A phrase's words with one space between them, in the arena. */
static struct str collapse(struct arena *a, struct str s)
{
    char *out = arena_alloc(a, s.len + 1);
    size_t i = skip_gaps(s, 0), n = 0, len;

    while (i < s.len) {
        if (is_gap(cp_at(s, i, &len))) {
            i = skip_gaps(s, i);
            if (i < s.len)
                out[n++] = ' ';
            continue;
        }
        memcpy(out + n, s.ptr + i, len);
        n += len;
        i += len;
    }
    out[n] = '\0';
    return str_make(out, n);
}

static size_t count_words(struct str s)
{
    size_t n = 1;

    for (size_t i = 0; i < s.len; i++)
        n += s.ptr[i] == ' ';
    return n;
}

int search_query_parse(struct arena *a, struct str in, struct search_query *q, const char **msg)
{
    size_t i = 0, words = 0, positive = 0, prefixes = 0, len;
    bool pending_or = false, typed = false;

    memset(q, 0, sizeof(*q));
    *msg = NULL;
    if (!utf8_valid(in.ptr, in.len))
        return fail(msg, "is not valid UTF-8");
    if (utf8_len(in.ptr, in.len) > SEARCH_Q_MAX)
        return fail(msg, "is too long: at most 200 characters");
    for (;;) {
        struct search_term t = {0};

        i = skip_gaps(in, i);
        if (i >= in.len)
            break;
        typed = true;
        if (in.ptr[i] == '-') {
            t.exclude = true;
            i++;
            if (i >= in.len || is_gap(cp_at(in, i, &len)))
                continue; /* a lone '-' */
        }
        if (in.ptr[i] == '"') {
            size_t start = ++i;

            while (i < in.len && in.ptr[i] != '"')
                i++;
            t.text = collapse(a, str_make(in.ptr + start, i - start));
            t.phrase = true;
            if (i < in.len)
                i++; /* the closing quote; one left open ends with the input */
        } else {
            size_t start = i, end;
            bool star = false;

            while (i < in.len && in.ptr[i] != '"' && !is_gap(cp_at(in, i, &len)))
                i += len;
            end = i;
            if (!t.exclude && end - start == 2 && memcmp(in.ptr + start, "OR", 2) == 0) {
                pending_or = true;
                continue;
            }
            while (end > start && in.ptr[end - 1] == '*') {
                end--;
                star = true;
            }
            t.text = str_make(in.ptr + start, end - start);
            t.prefix = star && prefixes < SEARCH_PREFIXES_MAX && is_stem(t.text);
            prefixes += t.prefix;
        }
        if (!has_word(t.text))
            continue; /* nothing a tokenizer would keep: it could match nothing */
        words += count_words(t.text);
        if (words > SEARCH_WORDS_MAX)
            return fail(msg, "has too many words: at most 16");
        t.or_prev = pending_or && !t.exclude && q->nterms && !q->terms[q->nterms - 1].exclude;
        pending_or = false;
        positive += !t.exclude;
        q->terms[q->nterms++] = t;
    }
    if (!typed)
        return fail(msg, "is required");
    if (!q->nterms)
        return fail(msg, "has no words to look for");
    if (!positive)
        return fail(msg, "needs a word to look for, not only words to leave out");
    return 0;
}

/* "text", with any '"' doubled (none can be there: quotes end a term), and * for a prefix. */
static void fts5_term(struct buf *b, const struct search_term *t)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < t->text.len; i++) {
        if (t->text.ptr[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, t->text.ptr[i]);
    }
    buf_putc(b, '"');
    if (t->prefix)
        buf_putc(b, '*');
}

int search_query_fts5(const struct search_query *q, struct buf *b)
{
    bool first = true;

    BUF_LIT(b, "((");
    for (size_t i = 0; i < q->nterms; i++) {
        const struct search_term *t = &q->terms[i];

        if (t->exclude)
            continue;
        if (!first)
            buf_puts(b, t->or_prev ? " OR " : ") AND (");
        fts5_term(b, t);
        first = false;
    }
    BUF_LIT(b, "))");
    for (size_t i = 0; i < q->nterms; i++) {
        if (!q->terms[i].exclude)
            continue;
        BUF_LIT(b, " NOT ");
        fts5_term(b, &q->terms[i]);
    }
    return b->toobig ? E_TOOBIG : 0;
}

/* 'text' with ' doubled and \ escaped, as to_tsquery() reads a quoted lexeme; :* for a prefix. */
static void tsquery_term(struct buf *b, const struct search_term *t)
{
    buf_putc(b, '\'');
    for (size_t i = 0; i < t->text.len; i++) {
        char c = t->text.ptr[i];

        if (c == '\'' || c == '\\')
            buf_putc(b, c);
        buf_putc(b, c);
    }
    buf_putc(b, '\'');
    if (t->prefix)
        BUF_LIT(b, ":*");
}

int search_query_tsquery(const struct search_query *q, struct buf *b)
{
    bool first = true;

    BUF_LIT(b, "((");
    for (size_t i = 0; i < q->nterms; i++) {
        const struct search_term *t = &q->terms[i];

        if (t->exclude)
            continue;
        if (!first)
            buf_puts(b, t->or_prev ? " | " : ") & (");
        tsquery_term(b, t);
        first = false;
    }
    BUF_LIT(b, "))");
    for (size_t i = 0; i < q->nterms; i++) {
        if (!q->terms[i].exclude)
            continue;
        BUF_LIT(b, " & !");
        tsquery_term(b, &q->terms[i]);
    }
    return b->toobig ? E_TOOBIG : 0;
}

int search_query_text(const struct search_query *q, struct buf *b)
{
    for (size_t i = 0; i < q->nterms; i++) {
        const struct search_term *t = &q->terms[i];
        /* The word OR (typed OR*) in quotes, lest it read as the operator. */
        bool quote = t->phrase || str_eq_c(t->text, "OR");

        if (i)
            buf_puts(b, t->or_prev ? " OR " : " ");
        if (t->exclude)
            buf_putc(b, '-');
        if (quote)
            buf_putc(b, '"');
        buf_put_str(b, t->text);
        if (quote)
            buf_putc(b, '"');
        if (t->prefix)
            buf_putc(b, '*');
    }
    return b->toobig ? E_TOOBIG : 0;
}

/* Excerpts ---------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at p (n bytes left), or 0 when there is none. */
static size_t valid_len(const char *p, size_t n)
{
    unsigned char c = (unsigned char)*p;
    size_t want = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

    return want <= n && utf8_valid(p, want) ? want : 0;
}

/*
 * The text as a run of visible characters and marks: gaps (spaces, line
 * breaks, control characters) become one space, invalid bytes go, and
 * leading and trailing spaces are trimmed. Marks are kept.
 */
static struct str normalise(struct arena *a, struct str s)
{
    char *out = arena_alloc(a, s.len + 1);
    size_t i = 0, n = 0;
    bool gap = false;

    while (i < s.len) {
        char c = s.ptr[i];
        size_t len = valid_len(s.ptr + i, s.len - i);
        uint32_t cp;

        if (c == SEARCH_MARK_START || c == SEARCH_MARK_END) {
            if (gap && n)
                out[n++] = ' '; /* the space before a mark stays outside it */
            gap = false;
            out[n++] = c;
            i++;
            continue;
        }
        if (!len) {
            i++;
            continue;
        }
        cp = utf8_decode(s.ptr + i, &len);
        if (is_gap(cp)) {
            gap = true;
        } else {
            if (gap && n)
                out[n++] = ' ';
            gap = false;
            memcpy(out + n, s.ptr + i, len);
            n += len;
        }
        i += len;
    }
    out[n] = '\0';
    return str_make(out, n);
}

static bool is_mark(char c)
{
    return c == SEARCH_MARK_START || c == SEARCH_MARK_END;
}

/* Bytes from i on holding k visible characters (marks do not count), or the rest. */
static size_t ahead(struct str s, size_t i, size_t k)
{
    while (i < s.len && (k || is_mark(s.ptr[i]))) {
        if (!is_mark(s.ptr[i])) {
            size_t len;

            utf8_decode(s.ptr + i, &len);
            i += len;
            k--;
        } else {
            i++;
        }
    }
    return i;
}

/* The position k visible characters before i (or 0). */
static size_t behind(struct str s, size_t i, size_t k)
{
    while (i > 0 && k) {
        i--;
        while (i > 0 && ((unsigned char)s.ptr[i] & 0xc0) == 0x80)
            i--;
        if (!is_mark(s.ptr[i]))
            k--;
    }
    return i;
}

static void add_piece(struct arena *a, struct search_piece **p, size_t *n, size_t *cap,
                      struct str text, bool marked)
{
    if (!text.len)
        return;
    *p = arena_grow(a, *p, *n, cap, sizeof(**p));
    (*p)[(*n)++] = (struct search_piece){text, marked};
}

void search_excerpt(struct arena *a, struct str marked, bool cut_start, bool cut_end,
                    size_t max_chars, struct search_piece **pieces, size_t *n)
{
    struct str s = normalise(a, marked);
    size_t start = 0, end = s.len, cap = 8, run, k;
    bool open = false;
    char *first = memchr(s.ptr, SEARCH_MARK_START, s.len);

    *n = 0;
    *pieces = arena_calloc(a, cap, sizeof(**pieces));
    if (max_chars < 8)
        max_chars = 8;
    /* Begin a quarter of the way before the first match, between words. */
    if (first)
        start = behind(s, (size_t)(first - s.ptr), max_chars / 4);
    if ((start > 0 && s.ptr[start - 1] != ' ') || (start == 0 && cut_start)) {
        size_t sp = start;

        /* Inside a word: begin at the next one, unless the match is first. */
        while (sp < s.len && s.ptr[sp] != ' ' && s.ptr + sp != first)
            sp++;
        if (sp < s.len && s.ptr[sp] == ' ')
            start = sp + 1;
    }
    cut_start = cut_start || start > 0;
    if (ahead(s, start, max_chars) < s.len || cut_end) {
        size_t stop = ahead(s, start, max_chars), sp = stop;

        /* Unless it falls between words, go back to the space before the word cut. */
        if (stop == s.len || s.ptr[stop] != ' ') {
            while (sp > start && s.ptr[sp - 1] != ' ')
                sp--;
            sp = sp > start ? sp - 1 : stop; /* one long word is cut inside */
        }
        end = sp;
        cut_end = true;
    }
    if (cut_start)
        add_piece(a, pieces, n, &cap, STR_LIT("\xe2\x80\xa6"), false);
    /* Marks in pairs; a start inside a match it cannot see is dropped with its end. */
    run = start;
    for (k = start; k < end; k++) {
        char c = s.ptr[k];

        if (!is_mark(c))
            continue;
        add_piece(a, pieces, n, &cap, str_make(s.ptr + run, k - run), open);
        if (c == SEARCH_MARK_START ? !open : open)
            open = !open;
        run = k + 1;
    }
    add_piece(a, pieces, n, &cap, str_make(s.ptr + run, end - run), open);
    if (cut_end)
        add_piece(a, pieces, n, &cap, STR_LIT("\xe2\x80\xa6"), false);
}
