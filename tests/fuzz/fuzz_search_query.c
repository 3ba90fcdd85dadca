/*
 * Search queries: search_query_parse() on anything, then its renderings.
 * Checks that the FTS5 and tsquery texts hold only quoted terms and the
 * operators we write (quotes balanced, no column filter, NEAR, ^, +, {},
 * :weights or stray stars), that FTS5 accepts every expression without a
 * syntax error (against an in-memory table shaped like the real one), that
 * the query as understood parses back to the same query, and that excerpts
 * never hold a marker or a control character.
 *
 * fuzz-src: src/feature/search/query.c
 * fuzz-pkg: sqlite3
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "feature/search/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */
static sqlite3 *db;
static sqlite3_stmt *match;

/* Outside quotes: only ( ) space, AND OR NOT, and * right after a closing quote. */
static void check_fts5(struct str s)
{
    size_t i = 0;

    while (i < s.len) {
        char c = s.ptr[i];

        ASSERT((unsigned char)c >= 0x20);
        if (c == '"') {
            i++;
            for (;;) {
                ASSERT(i < s.len); /* balanced */
                if (s.ptr[i] == '"' && !(i + 1 < s.len && s.ptr[i + 1] == '"'))
                    break;
                i += s.ptr[i] == '"' ? 2 : 1;
            }
            i++;
            if (i < s.len && s.ptr[i] == '*')
                i++;
        } else if (c == '(' || c == ')' || c == ' ') {
            i++;
        } else if (s.len - i >= 3 &&
                   (!memcmp(s.ptr + i, "AND", 3) || !memcmp(s.ptr + i, "NOT", 3))) {
            i += 3;
        } else {
            ASSERT(s.len - i >= 2 && !memcmp(s.ptr + i, "OR", 2));
            i += 2;
        }
    }
}

/* Outside quotes: only ( ) space & | !, and :* right after a closing quote. */
static void check_tsquery(struct str s)
{
    size_t i = 0;

    while (i < s.len) {
        char c = s.ptr[i];

        ASSERT((unsigned char)c >= 0x20);
        if (c == '\'') {
            i++;
            for (;;) {
                ASSERT(i < s.len); /* balanced */
                if (s.ptr[i] == '\\') {
                    ASSERT(i + 1 < s.len);
                    i += 2;
                    continue;
                }
                if (s.ptr[i] == '\'' && !(i + 1 < s.len && s.ptr[i + 1] == '\''))
                    break;
                i += s.ptr[i] == '\'' ? 2 : 1;
            }
            i++;
            if (s.len - i >= 2 && s.ptr[i] == ':' && s.ptr[i + 1] == '*')
                i += 2;
        } else {
            ASSERT(c == '(' || c == ')' || c == ' ' || c == '&' || c == '|' || c == '!');
            i++;
        }
    }
}

static void check_fts5_runs(struct str expr)
{
    struct buf b;
    int rc;

    buf_init(&b, &arena, expr.len + 64);
    BUF_LIT(&b, "{title body tags} : (");
    buf_put_str(&b, expr);
    BUF_LIT(&b, ") AND scope : (s1 OR s2)");
    ASSERT(!b.toobig);
    sqlite3_reset(match);
    sqlite3_bind_text(match, 1, b.ptr, (int)b.len, SQLITE_STATIC);
    while ((rc = sqlite3_step(match)) == SQLITE_ROW)
        ;
    ASSERT(rc == SQLITE_DONE); /* never "fts5: syntax error" */
}

static void setup(void)
{
    if (db)
        return;
    ASSERT(sqlite3_open(":memory:", &db) == SQLITE_OK);
    ASSERT(sqlite3_exec(db,
                        "CREATE VIRTUAL TABLE t USING fts5(title, body, tags, scope, tokenize = "
                        "'unicode61 remove_diacritics 2'); INSERT INTO t VALUES ('Café', "
                        "'near the end AND or NOT e-mail don''t', 'x', 's1 a1')",
                        NULL, NULL, NULL) == SQLITE_OK);
    ASSERT(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &match, NULL) ==
           SQLITE_OK);
}

static void check_excerpt(struct str text)
{
    struct search_piece *p;
    size_t n;

    search_excerpt(&arena, text, text.len & 1, text.len & 2, 1 + text.len % 300, &p, &n);
    for (size_t i = 0; i < n; i++) {
        ASSERT(p[i].text.len > 0);
        ASSERT(utf8_valid(p[i].text.ptr, p[i].text.len));
        for (size_t k = 0; k < p[i].text.len; k++)
            ASSERT((unsigned char)p[i].text.ptr[k] >= 0x20);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str in = str_make((const char *)data, size);
    struct search_query q, again;
    struct buf f, t, text, f2;
    const char *msg = NULL;
    size_t words = 0, positive = 0, prefixes = 0;
    int rc;

    setup();
    check_excerpt(in);
    rc = search_query_parse(&arena, in, &q, &msg);
    ASSERT(rc == 0 || rc == E_INVAL);
    if (rc) {
        ASSERT(msg != NULL);
        goto out;
    }
    ASSERT(q.nterms > 0 && q.nterms <= SEARCH_WORDS_MAX);
    for (size_t i = 0; i < q.nterms; i++) {
        const struct search_term *term = &q.terms[i];

        ASSERT(term->text.len > 0);
        ASSERT(utf8_valid(term->text.ptr, term->text.len));
        ASSERT(!memchr(term->text.ptr, '"', term->text.len));
        ASSERT(!utf8_has_control(term->text.ptr, term->text.len));
        ASSERT(!(term->exclude && term->or_prev));
        words += 1;
        for (size_t k = 0; k < term->text.len; k++)
            words += term->text.ptr[k] == ' ';
        positive += !term->exclude;
        prefixes += term->prefix;
        /* A prefix is one token of letters and digits, never "a-b*" or "..x*". */
        ASSERT(!term->prefix ||
               (!term->phrase && utf8_len(term->text.ptr, term->text.len) >= SEARCH_PREFIX_MIN));
        for (size_t k = 0; term->prefix && k < term->text.len; k++)
            ASSERT((unsigned char)term->text.ptr[k] >= 0x80 ||
                   (term->text.ptr[k] >= '0' && term->text.ptr[k] <= '9') ||
                   (term->text.ptr[k] >= 'a' && term->text.ptr[k] <= 'z') ||
                   (term->text.ptr[k] >= 'A' && term->text.ptr[k] <= 'Z'));
    }
    ASSERT(words <= SEARCH_WORDS_MAX && positive > 0 && prefixes <= SEARCH_PREFIXES_MAX);
    buf_init(&f, &arena, 65536);
    buf_init(&t, &arena, 65536);
    buf_init(&text, &arena, 65536);
    ASSERT(search_query_fts5(&q, &f) == 0);
    ASSERT(search_query_tsquery(&q, &t) == 0);
    ASSERT(search_query_text(&q, &text) == 0);
    check_fts5(buf_str(&f));
    check_tsquery(buf_str(&t));
    check_fts5_runs(buf_str(&f));
    /* The query as understood means the same query. */
    if (utf8_len(text.ptr, text.len) <= SEARCH_Q_MAX) {
        ASSERT(search_query_parse(&arena, buf_str(&text), &again, &msg) == 0);
        buf_init(&f2, &arena, 65536);
        search_query_fts5(&again, &f2);
        ASSERT(str_eq(buf_str(&f), buf_str(&f2)));
    }
out:
    arena_reset(&arena);
    return 0;
}
