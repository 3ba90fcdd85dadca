/*
 * SQL functions of our own on every SQLite connection, so that search ranks
 * its matches and marks its excerpts from what FTS5 already holds, without
 * highlight(), which reads and splits every row it is asked about again
 * (src/feature/search/stmts.def says how search uses them).
 *
 *     fts_hits(fts_table, col)
 *         FTS5 auxiliary function: how many runs of matched tokens
 *         highlight(fts_table, col, ...) would mark in the current row's
 *         column col, col counting from 0 in the table's order. A run is an
 *         instance of one of the query's phrases; instances that overlap
 *         make one run. Read from the positions FTS5 decoded to match the
 *         row: no text is read or split.
 *
 *     fts_runs(fts_table, col)
 *         FTS5 auxiliary function: those runs themselves, the first
 *         FTS_RUNS_MAX of them, as a blob of int32 pairs in this machine's
 *         byte order (first and last token of each), for fts_mark(). Never
 *         NULL: no match in col is an empty blob. Only good in this process.
 *
 *     fts_mark(text, runs, open, close)
 *         text with open and close around each run: byte for byte what
 *         highlight(fts_table, col, open, close) gives (but for runs past
 *         the first FTS_RUNS_MAX), when text is that column's text and runs
 *         what fts_runs(fts_table, col) gave for the row in the query that
 *         matched it. So a statement can rank many matches and split into
 *         tokens only the few it shows, in a later step. It splits text
 *         where search_fts's tokenizer does (unicode61, as
 *         migrations/sqlite/0006_search.sql declares it: the two must stay
 *         alike, and tests/unit/t_search.c checks that they do). NULL text
 *         gives NULL; empty runs give the text unchanged.
 */
#ifndef PRAXIS_DB_SQLITE_RANK_H
#define PRAXIS_DB_SQLITE_RANK_H

#include <sqlite3.h>

struct db;

/*
 * Runs fts_runs() keeps: an excerpt shows 640 characters from at most 160
 * before the first match, and each token takes two characters at least (a
 * letter and what parts it from the next), so no run past the first 321
 * can show in one.
 */
#define FTS_RUNS_MAX 512

/*
 * Add the functions above to conn, the connection of db (the SQLite backend
 * does, on each connection it opens). 0, or E_DB with db's error message
 * set (an SQLite without FTS5).
 */
int sqlite_rank_register(struct db *db, sqlite3 *conn);

#endif
