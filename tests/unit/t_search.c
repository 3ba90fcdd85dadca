/*
 * Search's query language (feature/search/query.c): what people type made
 * into FTS5 and tsquery text, hostile input included, and excerpts. Every
 * FTS5 expression is also run against an in-memory FTS5 table shaped like
 * the real one, so "the backend accepts it" is checked, not assumed.
 *
 * Then the SQL functions search ranks and marks with (db/sqlite_rank.c), on
 * a database the SQLite migrations made: fts_hits() and fts_mark() over
 * fts_runs() must agree with highlight(), which they stand in for.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "db/db_int.h" /* struct db, where sqlite_rank_register() reports */
#include "db/sqlite_rank.h"
#include "feature/search/query.h"
#include "tap.h"

static struct arena arena;
static sqlite3 *fts;

static const char *fts5_of(const char *in)
{
    struct search_query q;
    const char *msg;
    struct buf b;

    if (search_query_parse(&arena, str_c(in), &q, &msg))
        return msg;
    buf_init(&b, &arena, 65536);
    search_query_fts5(&q, &b);
    return b.ptr;
}

static const char *tsquery_of(const char *in)
{
    struct search_query q;
    const char *msg;
    struct buf b;

    if (search_query_parse(&arena, str_c(in), &q, &msg))
        return msg;
    buf_init(&b, &arena, 65536);
    search_query_tsquery(&q, &b);
    return b.ptr;
}

static const char *text_of(const char *in)
{
    struct search_query q;
    const char *msg;
    struct buf b;

    if (search_query_parse(&arena, str_c(in), &q, &msg))
        return msg;
    buf_init(&b, &arena, 65536);
    search_query_text(&q, &b);
    return b.ptr;
}

/* The rowids (as "1,3") the FTS5 expression for in matches in the test table; "error" if refused.
 */
static const char *matches(const char *in)
{
    struct search_query q;
    const char *msg;
    struct buf b, out;
    sqlite3_stmt *st;
    int rc;

    if (search_query_parse(&arena, str_c(in), &q, &msg))
        return msg;
    buf_init(&b, &arena, 65536);
    BUF_LIT(&b, "{title body tags} : (");
    search_query_fts5(&q, &b);
    buf_putc(&b, ')');
    buf_init(&out, &arena, 4096);
    if (sqlite3_prepare_v2(fts, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid", -1, &st,
                           NULL) != SQLITE_OK)
        return "prepare";
    sqlite3_bind_text(st, 1, b.ptr, (int)b.len, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        buf_printf(&out, "%s%lld", out.len ? "," : "", (long long)sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? out.ptr : "error";
}

static void setup_fts(void)
{
    static const char *const rows[] = {
        "INSERT INTO t (rowid, title, body, tags, scope) VALUES "
        "(1, 'Café culture', 'We met at the café to mark group work.', 'assessment', 's1 a1'),"
        "(2, '', 'Peer review of essays; peer grading is hard.', '', 's1 a2'),"
        "(3, '', 'Don''t mark every e-mail: review first.', '', 's2 a1'),"
        "(4, '', 'Assessing the title: NEAR the end (AND) ^caret', '', 's2 a2'),"
        "(5, '', 'naïve ÉCOLE straße', '', 's1 a1')",
    };

    ok(sqlite3_open(":memory:", &fts) == SQLITE_OK, "in-memory database");
    ok(sqlite3_exec(fts,
                    "CREATE VIRTUAL TABLE t USING fts5(title, body, tags, scope, "
                    "tokenize = 'unicode61 remove_diacritics 2')",
                    NULL, NULL, NULL) == SQLITE_OK,
       "FTS5 table");
    ok(sqlite3_exec(fts, rows[0], NULL, NULL, NULL) == SQLITE_OK, "rows");
}

static void words(void)
{
    is_str(fts5_of("cafe"), "((\"cafe\"))", "one word");
    is_str(tsquery_of("cafe"), "(('cafe'))", "one word, tsquery");
    is_str(fts5_of("  peer   review "), "((\"peer\") AND (\"review\"))", "two words: AND");
    is_str(tsquery_of("peer review"), "(('peer') & ('review'))", "two words, tsquery");
    is_str(fts5_of("\"peer review\""), "((\"peer review\"))", "a phrase");
    is_str(fts5_of("\"  peer \t\n review  \""), "((\"peer review\"))", "a phrase, spaces folded");
    is_str(tsquery_of("\"peer review\""), "(('peer review'))", "a phrase, tsquery");
    is_str(fts5_of("mark -essay"), "((\"mark\")) NOT \"essay\"", "an exclusion");
    is_str(tsquery_of("mark -essay"), "(('mark')) & !'essay'", "an exclusion, tsquery");
    is_str(fts5_of("mark -\"peer review\""), "((\"mark\")) NOT \"peer review\"",
           "an excluded phrase");
    is_str(fts5_of("a OR b c"), "((\"a\" OR \"b\") AND (\"c\"))", "OR binds closer than AND");
    is_str(tsquery_of("a OR b c"), "(('a' | 'b') & ('c'))", "OR, tsquery");
    is_str(fts5_of("a OR b OR c"), "((\"a\" OR \"b\" OR \"c\"))", "OR thrice");
    is_str(fts5_of("assess*"), "((\"assess\"*))", "a prefix");
    is_str(tsquery_of("assess*"), "(('assess':*))", "a prefix, tsquery");
    is_str(fts5_of("as*"), "((\"as\"))", "too short for a prefix: the word");
    is_str(fts5_of("assess***"), "((\"assess\"*))", "stars once");
    is_str(fts5_of("e-mai*"), "((\"e-mai\"))", "a prefix of letters and digits only");
    is_str(fts5_of("café*"), "((\"café\"*))", "a non-ASCII prefix");
    is_str(fts5_of("abc* def* ghi*"), "((\"abc\"*) AND (\"def\"*) AND (\"ghi\"))",
           "at most two prefixes");
    is_str(fts5_of("café"), "((\"café\"))", "non-ASCII kept as typed");
    is_str(text_of("cafe  \"peer   review\" -draft assess* x OR y"),
           "cafe \"peer review\" -draft assess* x OR y", "as understood");
}

static void refused(void)
{
    char big[512];

    is_str(fts5_of(""), "is required", "empty");
    is_str(fts5_of("   \t\n "), "is required", "blank");
    is_str(fts5_of("!!! ??? ..."), "has no words to look for", "punctuation only");
    is_str(fts5_of("*"), "has no words to look for", "a star alone");
    is_str(fts5_of("\"\""), "has no words to look for", "empty quotes");
    is_str(fts5_of("-"), "has no words to look for", "a dash alone");
    is_str(fts5_of("OR"), "has no words to look for", "OR alone");
    is_str(fts5_of("-draft"), "needs a word to look for, not only words to leave out",
           "only an exclusion");
    is_str(fts5_of("a\xff"), "is not valid UTF-8", "invalid UTF-8");
    memset(big, 'a', 201);
    big[201] = '\0';
    is_str(fts5_of(big), "is too long: at most 200 characters", "201 characters");
    for (int i = 0; i < 100; i++)
        memcpy(big + 2 * i, "\xc3\xa9", 2);
    big[200] = '\0';
    ok(strcmp(fts5_of(big), "is too long: at most 200 characters") != 0,
       "100 two-byte characters are fine");
    is_str(fts5_of("a b c d e f g h i j k l m n o p"),
           "((\"a\") AND (\"b\") AND (\"c\") AND "
           "(\"d\") AND (\"e\") AND (\"f\") AND (\"g\") AND (\"h\") AND (\"i\") AND (\"j\") AND "
           "(\"k\") AND (\"l\") AND (\"m\") AND (\"n\") AND (\"o\") AND (\"p\"))",
           "16 words");
    is_str(fts5_of("a b c d e f g h i j k l m n o p q"), "has too many words: at most 16",
           "17 words");
    is_str(fts5_of("\"a b c d e f g h i\" j k l m n o p q"), "has too many words: at most 16",
           "a phrase's words count");
}

/* Operators and quotes of both backends are text, never syntax. */
static void hostile(void)
{
    is_str(fts5_of("NEAR(a b)"), "((\"NEAR(a\") AND (\"b)\"))", "NEAR is a word");
    is_str(fts5_of("title:cafe"), "((\"title:cafe\"))", "no column filter");
    is_str(fts5_of("{title body}: x"), "((\"{title\") AND (\"body}:\") AND (\"x\"))",
           "no column set");
    is_str(fts5_of("^start"), "((\"^start\"))", "no initial-token anchor");
    is_str(fts5_of("a AND b NOT c"),
           "((\"a\") AND (\"AND\") AND (\"b\") AND (\"NOT\") AND (\"c\"))",
           "AND and NOT are words");
    is_str(fts5_of("(a OR b)"), "((\"(a\" OR \"b)\"))", "parentheses are text");
    is_str(fts5_of("a + b"), "((\"a\") AND (\"b\"))", "a lone + is no word");
    is_str(fts5_of("\"unbalanced quote"), "((\"unbalanced quote\"))", "a quote left open");
    is_str(fts5_of("one \"two"), "((\"one\") AND (\"two\"))", "a quote left open at the end");
    is_str(fts5_of("a\"b\"c"), "((\"a\") AND (\"b\") AND (\"c\"))", "quotes inside a word");
    is_str(fts5_of("x*y"), "((\"x*y\"))", "a star inside is text");
    is_str(fts5_of("*abc"), "((\"*abc\"))", "a leading star is text");
    is_str(tsquery_of("it's"), "(('it''s'))", "a quote in tsquery doubled");
    is_str(tsquery_of("a\\b"), "(('a\\\\b'))", "a backslash in tsquery escaped");
    is_str(tsquery_of("a&b|c !d <-> e:*"), "(('a&b|c') & ('!d') & ('e:'))",
           "tsquery operators stay inside quotes");
    is_str(tsquery_of("x:A"), "(('x:A'))", "no tsquery weight");
    is_str(fts5_of("a\x01\x02\x03"
                   "b"),
           "((\"a\") AND (\"b\"))", "control characters separate");
    is_str(fts5_of("\"a\x02 b\""), "((\"a b\"))", "control characters leave phrases");
    is_str(fts5_of("a\xe2\x80\xae"
                   "b"),
           "((\"a\") AND (\"b\"))", "a bidirectional override separates");
    is_str(fts5_of("\xe2\x98\x85 word"), "((\"word\"))", "a symbol alone is dropped");
    is_str(fts5_of("\xf0\x9f\x98\x80"), "has no words to look for", "an emoji alone");
    is_str(fts5_of("日本語"), "((\"日本語\"))", "CJK is text");
    is_str(fts5_of("-OR"), "needs a word to look for, not only words to leave out",
           "-OR excludes the word or");
    is_str(fts5_of("a -OR"), "((\"a\")) NOT \"OR\"", "the word OR excluded");
    is_str(fts5_of("OR a OR"), "((\"a\"))", "OR with nothing on a side");
    is_str(fts5_of("-a OR b"), "((\"b\")) NOT \"a\"", "no OR with an exclusion");
    is_str(fts5_of("a OR -b"), "((\"a\")) NOT \"b\"", "no OR with an exclusion after");
    is_str(fts5_of("a OR !!! b"), "((\"a\" OR \"b\"))", "OR across a dropped term");
    is_str(fts5_of("--a b"), "((\"b\")) NOT \"-a\"", "two dashes");
}

/* The expressions run: accepted by FTS5, and they mean what they say. */
static void semantics(void)
{
    is_str(matches("cafe"), "1", "cafe finds café (title and body)");
    is_str(matches("CAFÉ"), "1", "case and accents aside");
    is_str(matches("naive ecole strasse"), "", "ß is not ss in unicode61");
    is_str(matches("naive ecole"), "5", "naïve ÉCOLE");
    is_str(matches("\"peer grading\""), "2", "a phrase");
    is_str(matches("\"grading peer\""), "", "a phrase in order");
    is_str(matches("mark"), "1,3", "a word");
    is_str(matches("mark -email"), "1,3", "e-mail is not email");
    is_str(matches("mark -e-mail"), "1", "an excluded hyphenated word");
    is_str(matches("don't"), "3", "an apostrophe: the words side by side");
    is_str(matches("peer OR assessment"), "1,2", "OR");
    is_str(matches("assess*"), "1,4", "a prefix (tags and body)");
    is_str(matches("s1"), "", "the scope column is not searched");
    is_str(matches("a1"), "", "nor the author word");
    is_str(matches("NEAR(the end)"), "4", "NEAR is text");
    is_str(matches("title:"), "4", "title: is text");
    is_str(matches("(AND)"), "4", "AND is text");
    is_str(matches("^caret"), "4", "^ is text");
    is_str(matches("\"peer review"), "2", "an open quote: a phrase to the end");
    is_str(matches("review -\"peer review\""), "3", "an excluded phrase");
    is_str(matches("a* b* c*"), "", "short stars are words");
}

static void excerpt_is(const char *in, bool cut_start, bool cut_end, size_t max, const char *want,
                       const char *what)
{
    struct search_piece *p;
    size_t n;
    struct buf b;

    search_excerpt(&arena, str_c(in), cut_start, cut_end, max, &p, &n);
    buf_init(&b, &arena, 65536);
    for (size_t i = 0; i < n; i++) {
        ok(p[i].text.len > 0, "no empty piece");
        for (size_t k = 0; k < p[i].text.len; k++)
            if ((unsigned char)p[i].text.ptr[k] < 0x20)
                ok(0, "no control character in a piece");
        if (p[i].marked)
            buf_putc(&b, '[');
        buf_put_str(&b, p[i].text);
        if (p[i].marked)
            buf_putc(&b, ']');
    }
    is_str(b.ptr, want, what);
}

static void excerpts(void)
{
    excerpt_is("We met at the \x02"
               "café\x03.",
               false, false, 240, "We met at the [café].", "marked");
    excerpt_is("a  \n\t b", false, false, 240, "a b", "spaces folded");
    excerpt_is("", false, false, 240, "", "empty");
    excerpt_is("no match here", false, false, 240, "no match here", "no mark");
    excerpt_is("x \x02open", false, false, 240, "x [open]", "an open mark is closed");
    excerpt_is("x\x03 y \x03\x02z\x02\x03", false, false, 240, "x y [z]", "stray marks dropped");
    excerpt_is("\x02\x03only", false, false, 240, "only", "an empty mark");
    excerpt_is("one two three four five six seven eight nine ten \x02"
               "eleven\x03 twelve thirteen fourteen fifteen",
               false, false, 40, "…nine ten [eleven] twelve thirteen fourteen…",
               "a window around the first match, cut between words");
    excerpt_is("half word then \x02"
               "match\x03 and more",
               true, true, 240, "…word then [match] and…",
               "cut before: the partial words at both ends go");
    excerpt_is("a\xff b \x02\xc3\xa9\x03", false, false, 240, "a b [é]", "invalid bytes dropped");
    excerpt_is("\x02<script>\x03 & \"'", false, false, 240, "[<script>] & \"'",
               "text as it is: the template escapes it");
}

/* The functions of db/sqlite_rank.c ------------------------------------------ */

static char tmpdir[] = "/tmp/t_search.XXXXXX";
static char dbpath[64];
static sqlite3 *real; /* migrated, with search's functions added */

/* A database as the migrations make it, opened bare (no foreign keys: documents need no posts). */
static void setup_real(void)
{
    static const char *const docs =
        "INSERT INTO search_docs (post_id, space_id, topic_id, author_id, title, body, tags) "
        "VALUES (1, 1, 1, 1, 'Café culture', 'We met at the café to mark group work; "
        "the café was full.', 'assessment peer-review'),"
        "(2, 1, 2, 2, '', 'Peer review of essays; peer grading is hard. Peer review again: "
        "peer review!', ''),"
        "(3, 2, 3, 1, '', 'Don''t mark every e-mail: review first. 日本語 text, naïve ÉCOLE "
        "\xf0\x9f\x98\x80 emoji, x²y and 3.14.', ''),"
        "(4, 2, 4, 2, 'Group projects', 'Group projects, group work and projects in groups: "
        "\"group projects\".', 'group'),"
        "(5, 1, 5, 1, '', replace(printf('%.600c', '*'), '*', 'yak '), '')";
    struct db probe = {0};
    struct db *db = NULL;
    char url[96], err[256];
    int applied = 0;

    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(dbpath, sizeof(dbpath), "%s/search.db", tmpdir);
    snprintf(url, sizeof(url), "sqlite:%s", dbpath);
    is_int(db_open(&db, url, err, sizeof(err)), 0, "a database");
    is_int(db_migrate(db, &applied, err, sizeof(err)), 0, "migrated");
    db_close(db);
    ok(sqlite3_open(dbpath, &real) == SQLITE_OK, "opened bare");
    is_int(sqlite_rank_register(&probe, real), 0, "fts_hits(), fts_runs(), fts_mark() added");
    ok(sqlite3_exec(real, docs, NULL, NULL, NULL) == SQLITE_OK, "documents indexed");
}

static void teardown_real(void)
{
    char path[80];

    sqlite3_close(real);
    unlink(dbpath);
    snprintf(path, sizeof(path), "%s-wal", dbpath);
    unlink(path);
    snprintf(path, sizeof(path), "%s-shm", dbpath);
    unlink(path);
    rmdir(tmpdir);
}

/* The MATCH expression search_run() makes of in, with scope words when given. */
static const char *match_of(const char *in, const char *scope)
{
    struct search_query q;
    const char *msg;
    struct buf b;

    if (search_query_parse(&arena, str_c(in), &q, &msg))
        return msg;
    buf_init(&b, &arena, 65536);
    BUF_LIT(&b, "{title body tags} : (");
    search_query_fts5(&q, &b);
    buf_putc(&b, ')');
    if (scope)
        buf_printf(&b, " AND scope : (%s)", scope);
    return b.ptr;
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;

    for (; s && *s; s++)
        n += *s == c;
    return n;
}

static const char *col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    return t ? (const char *)t : "(null)";
}

/*
 * For every row the query matches, in title (0), body (1) and tags (2):
 * fts_hits() counts the runs highlight() marks, and fts_mark() over
 * fts_runs() gives what highlight() gives. Rows with more runs than
 * FTS_RUNS_MAX are checked by check_many_runs(). Returns the rows matched.
 */
static int agree(const char *in, const char *scope)
{
    static const char sql[] = "SELECT rowid, length(fts_runs(search_fts, 1)), "
                              "fts_hits(search_fts, 0), highlight(search_fts, 0, '[', ']'), "
                              "fts_mark(title, fts_runs(search_fts, 0), '[', ']'), "
                              "fts_hits(search_fts, 1), highlight(search_fts, 1, '[', ']'), "
                              "fts_mark(body, fts_runs(search_fts, 1), '[', ']'), "
                              "fts_hits(search_fts, 2), highlight(search_fts, 2, '[', ']'), "
                              "fts_mark(tags, fts_runs(search_fts, 2), '[', ']') "
                              "FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rowid";
    const char *match = match_of(in, scope);
    char what[160];
    sqlite3_stmt *st;
    int rc, rows = 0;
    bool same = true;

    if (sqlite3_prepare_v2(real, sql, -1, &st, NULL) != SQLITE_OK) {
        ok(false, sqlite3_errmsg(real));
        return 0;
    }
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        if (sqlite3_column_int(st, 1) >= FTS_RUNS_MAX * 8)
            continue;
        for (int c = 0; c < 3; c++) {
            const char *hl = col_text(st, 3 + 3 * c), *mark = col_text(st, 4 + 3 * c);
            int hits = sqlite3_column_int(st, 2 + 3 * c);

            if (hits == (int)count_char(hl, '[') && strcmp(hl, mark) == 0)
                continue;
            printf("#   row %lld column %d: %d hits, fts_mark \"%s\"\n#   highlight \"%s\"\n",
                   sqlite3_column_int64(st, 0), c, hits, mark, hl);
            same = false;
        }
    }
    snprintf(what, sizeof(what), "%s%s%s: fts_hits() and fts_mark() agree with highlight()", in,
             scope ? " in " : "", scope ? scope : "");
    ok(same && rc == SQLITE_DONE, what);
    sqlite3_finalize(st);
    return rows;
}

/* One value of a one-row, one-column query over the matches of in, as text ("error" if refused). */
static const char *value_of(const char *sql, const char *in, const char *scope)
{
    sqlite3_stmt *st;
    const char *out = "(no row)";
    int rc;

    if (sqlite3_prepare_v2(real, sql, -1, &st, NULL) != SQLITE_OK)
        return "error";
    sqlite3_bind_text(st, 1, match_of(in, scope), -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out = arena_strndup(&arena, col_text(st, 0), strlen(col_text(st, 0)));
    else if (rc != SQLITE_DONE)
        out = "error";
    sqlite3_finalize(st);
    return out;
}

static void functions(void)
{
    static const char *const queries[] = {
        "cafe",
        "CAFÉ",
        "peer",
        "\"peer review\"",
        "peer review",
        "\"peer review\" review",
        "peer peer",
        "gro*",
        "group OR projects",
        "\"group projects\" group",
        "mark -email",
        "don't",
        "日本語",
        "naive ecole",
        "e-mail",
        "review -\"peer grading\"",
        "x²y",
        "3.14",
        "\"group projects\" OR work",
        "assessment",
        "yak",
    };

    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        ok(agree(queries[i], NULL) > 0, queries[i]);
        agree(queries[i], "s1 OR s2");
    }
    is_int(agree("peer", "s2"), 0, "scope words keep to their space");
    is_str(value_of("SELECT fts_mark(body, fts_runs(search_fts, 1), '[', ']') FROM search_fts "
                    "WHERE search_fts MATCH ?1",
                    "\"group projects\" group", NULL),
           "[Group projects], [group] work and projects in groups: \"[group projects]\".",
           "a phrase and its own word: overlapping matches make one run");
    is_str(value_of("SELECT fts_hits(search_fts, 1) FROM search_fts WHERE search_fts MATCH ?1",
                    "\"group projects\" group", NULL),
           "3", "and count once");
    is_str(value_of("SELECT fts_hits(search_fts, 3) || ' ' || fts_hits(search_fts, 1) "
                    "FROM search_fts WHERE search_fts MATCH ?1",
                    "essays", "s1 OR s2"),
           "1 1", "a scope word matches in its own column only");
    is_str(value_of("SELECT fts_hits(search_fts, 1) || ' ' || length(fts_runs(search_fts, 1)) "
                    "FROM search_fts WHERE search_fts MATCH ?1",
                    "yak", NULL),
           "600 4096", "every run counted, the first FTS_RUNS_MAX kept");
    is_str(value_of("SELECT substr(fts_mark(body, fts_runs(search_fts, 1), '[', ']'), 1, 3000) = "
                    "substr(highlight(search_fts, 1, '[', ']'), 1, 3000) FROM search_fts "
                    "WHERE search_fts MATCH ?1",
                    "yak", NULL),
           "1", "those runs marked as highlight() marks them");
    is_str(value_of("SELECT fts_mark(NULL, x'', '[', ']') IS NULL", "x", NULL), "1", "NULL text");
    is_str(value_of("SELECT fts_mark('a b', x'', '[', ']')", "x", NULL), "a b", "no runs");
    is_str(value_of("SELECT fts_mark('a b', x'000000000000000000', '[', ']')", "x", NULL), "error",
           "runs not as fts_runs() gives them");
    is_str(value_of("SELECT fts_hits(search_fts, 'body') FROM search_fts "
                    "WHERE search_fts MATCH ?1",
                    "peer", NULL),
           "error", "a column by number only");
}

int main(void)
{
    arena_init(&arena);
    setup_real(); /* first: db_open() sets SQLite up before anything uses it */
    setup_fts();
    words();
    refused();
    hostile();
    semantics();
    excerpts();
    functions();
    sqlite3_close(fts);
    teardown_real();
    arena_release(&arena);
    return tap_done();
}
