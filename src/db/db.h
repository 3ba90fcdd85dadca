/*
 * The database interface: one connection per thread, two backends
 * (db_sqlite.c, db_pg.c) behind the same calls. Every statement is named in
 * db/stmts.def and prepared once per connection; callers pass typed
 * parameters, never SQL text.
 *
 * A connection belongs to the thread that opened it. Rows are read through a
 * struct db_rows cursor; text read from a row is copied into the caller's
 * arena, so it outlives the cursor.
 *
 * Parameters: $N is bound by number on both backends. Text must be valid
 * UTF-8 without NUL bytes (PostgreSQL cannot store them), else E_INVAL. On
 * PostgreSQL the server infers each parameter's type from the statement;
 * write a cast in SQL where it cannot.
 *
 * Errors inside a transaction fail it, on both backends alike (PostgreSQL
 * would refuse the rest anyway): every later statement returns that first
 * error, and db_tx_commit() rolls back and returns it too.
 */
#ifndef PRAXIS_DB_DB_H
#define PRAXIS_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct arena;

enum db_backend { DB_SQLITE, DB_PG, DB__MAX };

#define STMT(name, sql)                     STMT_##name,
#define STMT_EACH(name, sqlite_sql, pg_sql) STMT_##name,
enum stmt {
#include "db/stmts.def"
    STMT__MAX
};
#undef STMT
#undef STMT_EACH

enum db_type { DB_T_NULL, DB_T_INT, DB_T_REAL, DB_T_TEXT, DB_T_BLOB };

struct db_param {
    enum db_type type;
    union {
        int64_t i;
        double d;
        struct str s; /* text (must be valid UTF-8) or blob bytes */
    } v;
};

#define DB_NULL     ((struct db_param){.type = DB_T_NULL})
#define DB_INT(x)   ((struct db_param){.type = DB_T_INT, .v.i = (int64_t)(x)})
#define DB_REAL(x)  ((struct db_param){.type = DB_T_REAL, .v.d = (double)(x)})
#define DB_TEXT(x)  ((struct db_param){.type = DB_T_TEXT, .v.s = (x)})
#define DB_TEXTC(x) ((struct db_param){.type = DB_T_TEXT, .v.s = str_c(x)})
#define DB_BLOB(x)  ((struct db_param){.type = DB_T_BLOB, .v.s = (x)})

struct db;

/* Figures for /metrics, summed over every open connection of the process. */
struct db_stats {
    uint64_t connections_open;         /* open now */
    uint64_t connections_opened_total; /* successful db_open() calls */
    uint64_t reconnects_total;         /* PostgreSQL connections found lost and reset */
    uint64_t queries_total;            /* db_query() and db_exec() calls, migrations' scripts */
    uint64_t errors_total;             /* calls that returned an error (not E_NOTFOUND) */
    uint64_t tx_total;                 /* transactions begun */
};

/*
 * A cursor over the rows of one statement. Valid until db_rows_done(), which
 * must be called on every path (it is safe to call twice, and after a failed
 * db_query()).
 */
struct db_rows {
    struct db *db;
    enum stmt stmt;
    void *impl; /* sqlite3_stmt * or PGresult * */
    int row;    /* current row, -1 before the first */
    int nrows;  /* rows in the result; on SQLite -1 until the end is reached */
    bool active;
};

/* Which backend a URL selects: "sqlite:PATH" or "postgres://…"/"postgresql://…". */
int db_backend_of(const char *url, enum db_backend *out);
const char *db_backend_name(enum db_backend b);

/*
 * Open a connection. On failure returns E_INVAL (bad URL), E_UNAVAIL
 * (server unreachable), E_IO (SQLite: the file's folder does not exist or the
 * file cannot be opened) or E_DB, and writes one line into err.
 * The connection is owned by the caller and freed by db_close().
 *
 * "sqlite:PATH[?synchronous=normal|full]": the folder of PATH must exist
 * (the caller creates the data folder). The database is in WAL mode. With
 * the default synchronous=normal every committed transaction survives a
 * crash of the process (kill -9), but the last ones may be lost on power
 * loss or an OS crash; synchronous=full survives those too, at the cost of
 * one fsync per commit.
 *
 * "postgres://…" or "postgresql://…" is handed to libpq as is, with
 * application_name=praxis and connect_timeout=10 unless the URL sets them.
 */
int db_open(struct db **out, const char *url, char *err, size_t errlen);
void db_close(struct db *db);
enum db_backend db_backend(const struct db *db);

/*
 * Run a statement that returns rows. 0 on success (then call db_next()),
 * E_CONFLICT on a constraint violation, E_INVAL on bad parameters (wrong
 * count, text that is not UTF-8), E_UNAVAIL when the server is gone (or the
 * SQLite write lock stayed busy past its 5 s timeout), E_DB otherwise.
 * A write (INSERT … RETURNING) outside a transaction holds the SQLite write
 * lock until db_rows_done(). One cursor per statement at a time.
 */
int db_query(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
             struct db_rows *rows);
/* 1 when a row is ready, 0 at the end, negative enum err on failure. */
int db_next(struct db_rows *rows);
void db_rows_done(struct db_rows *rows);

bool db_col_null(struct db_rows *rows, int col);
int64_t db_col_int(struct db_rows *rows, int col);
double db_col_real(struct db_rows *rows, int col);
/*
 * The column's text copied into the arena (NUL-terminated); empty for NULL.
 * A blob column gives its raw bytes on both backends.
 */
struct str db_col_text(struct db_rows *rows, int col, struct arena *a);

/* Run a statement without rows; *changed (may be NULL) gets the rows affected. */
int db_exec(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
            int64_t *changed);
/* Run a one-row, one-integer-column query; E_NOTFOUND when there is no row or it is NULL. */
int db_query_int(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                 int64_t *out);

/*
 * Transactions. db_tx_begin() takes the write lock up front (BEGIN
 * IMMEDIATE on SQLite, where a process-wide mutex also keeps to one writer).
 * Every begin is ended by exactly one commit or rollback.
 */
int db_tx_begin(struct db *db);
int db_tx_commit(struct db *db);
int db_tx_rollback(struct db *db);
/*
 * End a transaction by the outcome of its work: commit when rc is 0, else
 * roll back. Returns rc, or the commit's error.
 *
 *     rc = db_tx_begin(db);
 *     if (rc) return rc;
 *     rc = db_exec(...);
 *     if (!rc) rc = db_exec(...);
 *     return db_tx_end(db, rc);
 */
int db_tx_end(struct db *db, int rc);
/* Whether a transaction is open on db. */
bool db_in_tx(const struct db *db);
/*
 * Run fn(arg, committed) once the open transaction ends: after its commit
 * (committed true), or after a rollback or failed commit (false), in the
 * order registered. What a transaction wants to happen only if it commits
 * (publishing to live streams) waits here. Called outside a transaction,
 * fn runs at once with true. Returns 0.
 */
int db_on_end(struct db *db, void (*fn)(void *arg, bool committed), void *arg);

/*
 * Read snapshots. On SQLite, from db_read_begin() to db_read_end() the
 * reading statements outside a transaction share one read transaction: one
 * lock instead of one per statement, and one view of the data. A write
 * (db_tx_begin(), or a writing statement on its own) ends the snapshot
 * first, so it never holds up a writer; the next read begins another. On
 * PostgreSQL both do nothing. db_read_end() is safe to call when none is open.
 */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);

/*
 * 0 when the database answers, E_UNAVAIL when it does not. On PostgreSQL a
 * lost connection is reset first (outside a transaction): a statement that
 * fails because the connection dropped during it returns E_UNAVAIL and is
 * not retried, and the next call reconnects.
 */
int db_ping(struct db *db);
/*
 * Notifications (PostgreSQL's LISTEN, after a statement that listens): the
 * connection's socket to poll for reading (-1 on SQLite, or when lost),
 * and, when it is readable, each notification's payload handed to fn.
 * db_notifications() returns 0, or E_UNAVAIL when the connection is lost
 * (open another and listen again).
 */
int db_socket(struct db *db);
/*
 * Which session the connection is in: it changes when a lost PostgreSQL
 * connection is made again by itself (which forgets its LISTEN). 0 on SQLite.
 */
uint64_t db_session(struct db *db);
int db_notifications(struct db *db, void (*fn)(void *arg, const char *payload), void *arg);
/* The last error message of this connection, for logs; never NULL. */
const char *db_errmsg(const struct db *db);
void db_stats(struct db_stats *out);

/* Migrations (db/migrate.c). */

/* The highest migration number this binary carries for the backend. */
int db_schema_latest(enum db_backend b);
/* The database's current version (0 when never migrated). */
int db_schema_version(struct db *db, int *out);
/*
 * Apply every pending migration in order, each in its own transaction,
 * recording it in schema_migrations. Refuses (E_CONFLICT) a database newer
 * than the binary. *applied (may be NULL) gets the number applied; err gets
 * one line on failure. On PostgreSQL an advisory lock keeps nodes starting
 * at once from migrating twice.
 */
int db_migrate(struct db *db, int *applied, char *err, size_t errlen);
/*
 * Write the schema as sorted lines "table.column type notnull" (or "null"),
 * each ending in a newline, with types normalised to int, real, text, blob
 * (others shown by name), so two backends can be compared. Primary keys
 * count as not null; SQLite virtual tables are left out. *out is in a.
 */
int db_schema_dump(struct db *db, struct arena *a, struct str *out);

#endif
