/*
 * What a person types into a search box, made safe for each backend. Pure
 * functions over (ptr, len) with no I/O: unit-tested in tests/unit/t_search.c
 * and fuzzed by tests/fuzz/fuzz_search_query.c.
 *
 * The language is small and forgiving, as in a web search engine:
 *
 *     word            posts holding the word (case and accents aside)
 *     "two words"     the words next to each other, in that order
 *     word*           words beginning so: letters and digits only, at least
 *                     SEARCH_PREFIX_MIN of them, in at most SEARCH_PREFIXES_MAX
 *                     terms (a prefix that many words share costs the backend a
 *                     pass over all their posts: ~0.1-0.3 s in a million posts);
 *                     a star that asks for more is dropped
 *     -word -"a b"    posts without it
 *     a OR b          either (OR in capitals binds closer than the spaces:
 *                     "a OR b c" is (a or b) and c)
 *
 * Terms are joined by AND. Everything else a backend would read as syntax
 * (parentheses, ':', '^', '+', NEAR, AND, NOT, '&', '|', '!', '<->', quotes
 * left open, column names) is text: each term reaches the backend quoted,
 * and the backend's own tokenizer splits it as it split the posts, so
 * "don't" or "e-mail" look for those words side by side. A term with no
 * letter or digit is dropped, since it could match nothing.
 */
#ifndef PRAXIS_FEATURE_SEARCH_QUERY_H
#define PRAXIS_FEATURE_SEARCH_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"

struct arena;

#define SEARCH_Q_MAX        200 /* characters in a query */
#define SEARCH_WORDS_MAX    16  /* words in a query, those of phrases included */
#define SEARCH_PREFIX_MIN   3   /* characters before a '*' that asks for a prefix */
#define SEARCH_PREFIXES_MAX 2   /* terms with a '*' in a query */

struct search_term {
    struct str text; /* words with one space between; no '"', no control characters */
    bool phrase;     /* typed in quotes */
    bool prefix;     /* word*: the last word may go on */
    bool exclude;    /* -term: posts without it */
    bool or_prev;    /* joined by OR to the term before it (never for exclusions) */
};

struct search_query {
    struct search_term terms[SEARCH_WORDS_MAX];
    size_t nterms;
};

/*
 * Parse the input in (need not be NUL-terminated). 0 with *q filled (its
 * texts point into q or the arena), or E_INVAL with *msg saying what is
 * wrong, to follow the field's name ("is required", "is too long…"): the
 * input is invalid UTF-8, longer than SEARCH_Q_MAX characters, holds more
 * than SEARCH_WORDS_MAX words, or nothing to look for (empty, only
 * punctuation, only exclusions).
 */
int search_query_parse(struct arena *a, struct str in, struct search_query *q, const char **msg);

/*
 * The query as an FTS5 expression for MATCH, without column filter: each
 * term a quoted string, joined by AND, OR, NOT and parentheses only.
 * Appends to b; 0 or E_TOOBIG.
 */
int search_query_fts5(const struct search_query *q, struct buf *b);

/*
 * The query as text for PostgreSQL's to_tsquery(): each term a quoted
 * lexeme ('…', with :* for a prefix), joined by &, |, ! and parentheses.
 * Appends to b; 0 or E_TOOBIG.
 */
int search_query_tsquery(const struct search_query *q, struct buf *b);

/* The query as it was understood, for people: cafe "peer review" -draft. 0 or E_TOOBIG. */
int search_query_text(const struct search_query *q, struct buf *b);

/*
 * One piece of an excerpt: text (no control characters, single spaces) and
 * whether it is a matched word, to be marked.
 */
struct search_piece {
    struct str text;
    bool marked;
};

#define SEARCH_MARK_START '\x02' /* what the backends put around a match */
#define SEARCH_MARK_END   '\x03'

/*
 * Cut an excerpt of at most max_chars characters (and the ellipses) from
 * marked, UTF-8 text in which SEARCH_MARK_START and SEARCH_MARK_END
 * surround the matched words, beginning a little before the first match:
 * whitespace runs become one space, the cut falls between words and is
 * shown with "…" (also when cut_start or cut_end say the text was cut
 * before). Marks are taken only in pairs (start, then end), a mark left open
 * is closed where the excerpt ends, any other mark or control character is
 * dropped: the pieces never hold a marker. *pieces is in the arena; *n is 0
 * for empty text.
 */
void search_excerpt(struct arena *a, struct str marked, bool cut_start, bool cut_end,
                    size_t max_chars, struct search_piece **pieces, size_t *n);

#endif
