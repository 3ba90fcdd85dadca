/*
 * Internals shared by the files of src/db: the backend vtable, the common
 * head of every connection, the statement tables and the process-wide
 * counters. Nothing outside src/db (and its tests) includes this.
 *
 * db.c checks arguments, keeps transaction state and counts; a backend only
 * talks to its library. Each backend embeds struct db as the first member
 * of its own connection struct and gets it back with a cast.
 */
#ifndef PRAXIS_DB_DB_INT_H
#define PRAXIS_DB_DB_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/embed.h"
#include "core/str.h"
#include "db/db.h"

#define DB_ERRMSG_MAX 256

struct db_ops {
    /* url without its scheme check; fills *out or writes err and returns an error */
    int (*open)(struct db **out, const char *url, char *err, size_t errlen);
    void (*close)(struct db *db);
    int (*query)(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                 struct db_rows *rows);
    int (*next)(struct db_rows *rows);
    void (*rows_done)(struct db_rows *rows);
    bool (*col_null)(struct db_rows *rows, int col);
    int64_t (*col_int)(struct db_rows *rows, int col);
    double (*col_real)(struct db_rows *rows, int col);
    struct str (*col_text)(struct db_rows *rows, int col, struct arena *a);
    int (*exec)(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                int64_t *changed);
    /* Several statements in one string, no parameters (migrations). */
    int (*exec_script)(struct db *db, const char *sql);
    int (*tx_begin)(struct db *db);
    /* Both end the transaction whatever they return. */
    int (*tx_commit)(struct db *db);
    int (*tx_rollback)(struct db *db);
    /* A read snapshot; NULL where statements gain nothing from one. */
    int (*read_begin)(struct db *db);
    void (*read_end)(struct db *db);
    int (*ping)(struct db *db);
    /* PostgreSQL's notifications (db_socket(), db_notifications()); NULL on SQLite. */
    int (*socket)(struct db *db);
    uint64_t (*session)(struct db *db);
    int (*notifications)(struct db *db, void (*fn)(void *arg, const char *payload), void *arg);
};

/* The head of every connection. */
struct db {
    enum db_backend backend;
    const struct db_ops *ops;
    bool in_tx;
    int tx_err; /* first error inside the open transaction, 0 when none */
    char errmsg[DB_ERRMSG_MAX];
    struct db_hook *hooks; /* db_on_end(): run when the open transaction ends */
    size_t nhooks, caphooks;
};

struct db_hook {
    void (*fn)(void *arg, bool committed);
    void *arg;
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* The SQL of a statement for a backend, and its name ("SETTING_GET"). */
const char *db_stmt_sql(enum db_backend b, enum stmt st);
const char *db_stmt_name(enum stmt st);

/*
 * Set the connection's last error message (one line: newlines become spaces,
 * trailing blanks go). Returns nothing; the caller returns its own code.
 */
void db_set_err(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy a message into a caller's error buffer as one line; err may be NULL. */
void db_err_line(char *err, size_t errlen, const char *msg);

/* Run a multi-statement script (a migration) through the backend. */
int db_exec_script(struct db *db, const char *sql);

/* Process-wide counters behind db_stats(); relaxed atomics. */
struct db_counters {
    atomic_uint_least64_t connections_open;
    atomic_uint_least64_t connections_opened_total;
    atomic_uint_least64_t reconnects_total;
    atomic_uint_least64_t queries_total;
    atomic_uint_least64_t errors_total;
    atomic_uint_least64_t tx_total;
};
extern struct db_counters db_counters;

#define DB_COUNT_ADD(field, n) \
    atomic_fetch_add_explicit(&db_counters.field, (n), memory_order_relaxed)
#define DB_COUNT(field) DB_COUNT_ADD(field, 1)

/*
 * The SQL migrations embedded by tools/embed.c (build/gen/mig_*.c), sorted
 * by name: "0001_init.sql", "0002_….sql", numbered 1..N without gaps.
 */
extern const struct embed_file migrations_sqlite[];
extern const size_t migrations_sqlite_count;
extern const struct embed_file migrations_pg[];
extern const size_t migrations_pg_count;

#endif
