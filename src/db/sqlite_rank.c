#include "db/sqlite_rank.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "db/db.h"
#include "db/db_int.h"

/* search_fts's tokenizer (migrations/sqlite/0006_search.sql): fts_mark() splits alike. */
#define MARK_TOKENIZER "unicode61"
static const char *mark_tokenizer_args[] = {"remove_diacritics", "2"};

/*
 * The runs highlight() marks in column col, handed to fn one by one
 * (first and last token), until fn returns false: instances come sorted by
 * column, then token offset, and one that begins inside the run before it
 * (phrases that overlap, or a word asked for twice) extends that run, as
 * fts5CInstIterNext() in SQLite's fts5_aux.c merges them. Adjacent ones
 * stay apart there too. SQLITE_OK or FTS5's error.
 */
static int each_run(const Fts5ExtensionApi *api, Fts5Context *fts, int col,
                    bool (*fn)(void *arg, int first, int last), void *arg)
{
    int ninst, i, rc;
    int first = -1, last = -1;

    rc = api->xInstCount(fts, &ninst);
    for (i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int phrase, icol, off, end;

        rc = api->xInst(fts, i, &phrase, &icol, &off);
        if (rc != SQLITE_OK || icol != col)
            continue;
        end = off + api->xPhraseSize(fts, phrase) - 1;
        if (first >= 0 && off <= last) {
            if (end > last)
                last = end;
            continue;
        }
        if (first >= 0 && !fn(arg, first, last))
            return SQLITE_OK;
        first = off;
        last = end;
    }
    if (rc == SQLITE_OK && first >= 0)
        fn(arg, first, last);
    return rc;
}

/* The column number an auxiliary function was given (its one argument), or -1. */
static int col_arg(sqlite3_context *ctx, int nval, sqlite3_value **val, const char *name)
{
    if (nval != 1 || sqlite3_value_type(val[0]) != SQLITE_INTEGER) {
        char msg[96];

        snprintf(msg, sizeof(msg), "%s(table, column): the column is a number", name);
        sqlite3_result_error(ctx, msg, -1);
        return -1;
    }
    return sqlite3_value_int(val[0]);
}

static bool count_run(void *arg, int first, int last)
{
    (void)first;
    (void)last;
    ++*(int *)arg;
    return true;
}

/* fts_hits(table, col): see sqlite_rank.h. */
static void fts_hits(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                     sqlite3_value **val)
{
    int col = col_arg(ctx, nval, val, "fts_hits");
    int runs = 0, rc;

    if (col < 0)
        return;
    rc = each_run(api, fts, col, count_run, &runs);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_int(ctx, runs);
}

struct runs {
    int32_t at[FTS_RUNS_MAX][2]; /* first and last token */
    int n;
};

static bool keep_run(void *arg, int first, int last)
{
    struct runs *r = arg;

    r->at[r->n][0] = first;
    r->at[r->n][1] = last;
    return ++r->n < FTS_RUNS_MAX;
}

/* fts_runs(table, col): see sqlite_rank.h. */
static void fts_runs(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                     sqlite3_value **val)
{
    int col = col_arg(ctx, nval, val, "fts_runs");
    struct runs r;
    int rc;

    if (col < 0)
        return;
    r.n = 0;
    rc = each_run(api, fts, col, keep_run, &r);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_blob(ctx, r.at, r.n * (int)sizeof(r.at[0]), SQLITE_TRANSIENT);
}

/* fts_mark()'s tokenizer, one per connection (so used by one thread at a time). */
struct marker {
    fts5_tokenizer tok;
    Fts5Tokenizer *inst;
};

/* The text being marked, as fts5HighlightCb() in SQLite's fts5_aux.c goes through it. */
struct marking {
    const char *text;
    const unsigned char *runs; /* pairs of int32: first and last token of each run */
    int nruns, run;            /* runs, and the one to come */
    int first, last;           /* that run's tokens */
    int pos;                   /* the token's position */
    int off;                   /* bytes of text already copied */
    const char *open, *close;
    sqlite3_str *out;
};

static void next_run(struct marking *m)
{
    int32_t at[2] = {-1, -1};

    if (m->run < m->nruns)
        memcpy(at, m->runs + (size_t)m->run * sizeof(at), sizeof(at));
    m->run++;
    m->first = at[0];
    m->last = at[1];
}

static int mark_token(void *arg, int tflags, const char *token, int ntoken, int start, int end)
{
    struct marking *m = arg;
    int pos;

    (void)token;
    (void)ntoken;
    if (tflags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    pos = m->pos++;
    if (pos == m->first) {
        sqlite3_str_append(m->out, m->text + m->off, start - m->off);
        sqlite3_str_appendall(m->out, m->open);
        m->off = start;
    }
    if (pos == m->last) {
        sqlite3_str_append(m->out, m->text + m->off, end - m->off);
        sqlite3_str_appendall(m->out, m->close);
        m->off = end;
        next_run(m);
        if (m->first < 0)
            return SQLITE_DONE; /* no more marks: the rest is copied as it is */
    }
    return SQLITE_OK;
}

/* fts_mark(text, runs, open, close): see sqlite_rank.h. */
static void fts_mark(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
    struct marker *mk = sqlite3_user_data(ctx);
    struct marking m = {0};
    int ntext, nruns, rc;
    char *out;

    (void)nval;
    if (sqlite3_value_type(val[0]) == SQLITE_NULL)
        return;
    m.text = (const char *)sqlite3_value_text(val[0]);
    ntext = sqlite3_value_bytes(val[0]);
    m.runs = sqlite3_value_blob(val[1]);
    nruns = sqlite3_value_bytes(val[1]);
    m.open = (const char *)sqlite3_value_text(val[2]);
    m.close = (const char *)sqlite3_value_text(val[3]);
    if (!m.text || !m.open || !m.close || nruns % (int)(2 * sizeof(int32_t))) {
        sqlite3_result_error(
            ctx, "fts_mark(text, runs, open, close): runs as fts_runs() gives them", -1);
        return;
    }
    m.nruns = nruns / (int)(2 * sizeof(int32_t));
    if (!m.nruns) {
        sqlite3_result_value(ctx, val[0]);
        return;
    }
    m.out = sqlite3_str_new(sqlite3_context_db_handle(ctx));
    next_run(&m);
    rc = mk->tok.xTokenize(mk->inst, &m, FTS5_TOKENIZE_AUX, m.text, ntext, mark_token);
    sqlite3_str_append(m.out, m.text + m.off, ntext - m.off);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    if (rc == SQLITE_OK)
        rc = sqlite3_str_errcode(m.out);
    ntext = sqlite3_str_length(m.out);
    out = sqlite3_str_finish(m.out);
    if (rc != SQLITE_OK) {
        sqlite3_free(out);
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_text(ctx, out ? out : "", ntext, out ? sqlite3_free : SQLITE_TRANSIENT);
}

static void marker_free(void *arg)
{
    struct marker *mk = arg;

    mk->tok.xDelete(mk->inst);
    free(mk);
}

/* The connection's FTS5 API, through the pointer-passing interface FTS5 documents. */
static int fts5_api_of(sqlite3 *conn, fts5_api **api)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *api = NULL;
    rc = sqlite3_prepare_v2(conn, db_stmt_sql(DB_SQLITE, STMT_SEARCH_FTS5_API), -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_pointer(st, sqlite3_bind_parameter_index(st, "$1"), api, "fts5_api_ptr",
                                  NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW && *api && (*api)->iVersion >= 2 ? SQLITE_OK : SQLITE_ERROR;
}

/* fts_mark() with a tokenizer of its own, freed with the connection. */
static int add_marker(sqlite3 *conn, fts5_api *api)
{
    struct marker *mk = xcalloc(1, sizeof(*mk));
    void *tctx;
    int rc;

    rc = api->xFindTokenizer(api, MARK_TOKENIZER, &tctx, &mk->tok);
    if (rc == SQLITE_OK)
        rc = mk->tok.xCreate(tctx, mark_tokenizer_args, (int)ARRAY_LEN(mark_tokenizer_args),
                             &mk->inst);
    if (rc != SQLITE_OK) {
        free(mk);
        return rc;
    }
    /* On failure this frees mk itself. */
    return sqlite3_create_function_v2(conn, "fts_mark", 4,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, mk,
                                      fts_mark, NULL, NULL, marker_free);
}

int sqlite_rank_register(struct db *db, sqlite3 *conn)
{
    fts5_api *api;
    int rc;

    rc = fts5_api_of(conn, &api);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "fts_hits", NULL, fts_hits, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "fts_runs", NULL, fts_runs, NULL);
    if (rc == SQLITE_OK)
        rc = add_marker(conn, api);
    if (rc != SQLITE_OK) {
        db_set_err(db, "cannot add fts_hits(), fts_runs(), fts_mark() (is FTS5 built in?): %s",
                   sqlite3_errmsg(conn));
        return E_DB;
    }
    return 0;
}
