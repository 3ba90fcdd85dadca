#include "db/db.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "db/db_int.h"

#define STMT(name, sql)                     [STMT_##name] = (sql),
#define STMT_EACH(name, sqlite_sql, pg_sql) [STMT_##name] = (sqlite_sql),
static const char *const sql_sqlite[] = {
#include "db/stmts.def"
};
#undef STMT
#undef STMT_EACH

#define STMT(name, sql)                     [STMT_##name] = (sql),
#define STMT_EACH(name, sqlite_sql, pg_sql) [STMT_##name] = (pg_sql),
static const char *const sql_pg[] = {
#include "db/stmts.def"
};
#undef STMT
#undef STMT_EACH

#define STMT(name, sql)                     [STMT_##name] = #name,
#define STMT_EACH(name, sqlite_sql, pg_sql) [STMT_##name] = #name,
static const char *const stmt_names[] = {
#include "db/stmts.def"
};
#undef STMT
#undef STMT_EACH

static_assert(ARRAY_LEN(sql_sqlite) == STMT__MAX, "one SQLite statement per enum stmt");
static_assert(ARRAY_LEN(sql_pg) == STMT__MAX, "one PostgreSQL statement per enum stmt");
static_assert(ARRAY_LEN(stmt_names) == STMT__MAX, "one name per enum stmt");

static const char *const backend_names[DB__MAX] = {
    [DB_SQLITE] = "sqlite",
    [DB_PG] = "postgres",
};

static const struct db_ops *const backend_ops[DB__MAX] = {
    [DB_SQLITE] = &db_sqlite_ops,
    [DB_PG] = &db_pg_ops,
};

struct db_counters db_counters;

const char *db_stmt_sql(enum db_backend b, enum stmt st)
{
    ASSERT(st >= 0 && st < STMT__MAX);
    return b == DB_PG ? sql_pg[st] : sql_sqlite[st];
}

const char *db_stmt_name(enum stmt st)
{
    return st >= 0 && st < STMT__MAX ? stmt_names[st] : "?";
}

void db_err_line(char *err, size_t errlen, const char *msg)
{
    size_t n = 0;

    if (!err || !errlen)
        return;
    /* libpq's messages span lines ("…failed: …\n\tIs the server running…"). */
    for (; *msg && n < errlen - 1; msg++) {
        bool blank = *msg == '\n' || *msg == '\r' || *msg == '\t' || *msg == ' ';

        if (!blank)
            err[n++] = *msg;
        else if (n && err[n - 1] != ' ')
            err[n++] = ' ';
    }
    while (n && err[n - 1] == ' ')
        n--;
    err[n] = '\0';
}

void db_set_err(struct db *db, const char *fmt, ...)
{
    char line[DB_ERRMSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    db_err_line(db->errmsg, sizeof(db->errmsg), line);
}

int db_backend_of(const char *url, enum db_backend *out)
{
    struct str u = str_c(url);

    if (str_starts_with(u, STR_LIT("sqlite:"))) {
        *out = DB_SQLITE;
        return 0;
    }
    if (str_starts_with(u, STR_LIT("postgres://")) ||
        str_starts_with(u, STR_LIT("postgresql://"))) {
        *out = DB_PG;
        return 0;
    }
    return E_INVAL;
}

const char *db_backend_name(enum db_backend b)
{
    return b >= 0 && b < DB__MAX ? backend_names[b] : "unknown";
}

int db_open(struct db **out, const char *url, char *err, size_t errlen)
{
    enum db_backend b;
    int rc;

    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (!url || db_backend_of(url, &b)) {
        db_err_line(err, errlen, "database url must start with sqlite: or postgres://");
        return E_INVAL;
    }
    rc = backend_ops[b]->open(out, url, err, errlen);
    if (rc)
        return rc;
    (*out)->backend = b;
    (*out)->ops = backend_ops[b];
    (*out)->in_tx = false;
    (*out)->tx_err = 0;
    (*out)->errmsg[0] = '\0';
    (*out)->hooks = NULL;
    (*out)->nhooks = (*out)->caphooks = 0;
    DB_COUNT(connections_open);
    DB_COUNT(connections_opened_total);
    return 0;
}

static void run_hooks(struct db *db, bool committed);

void db_close(struct db *db)
{
    if (!db)
        return;
    if (db->in_tx) {
        db->ops->tx_rollback(db);
        db->in_tx = false;
        run_hooks(db, false);
    }
    free(db->hooks);
    db->ops->close(db);
    atomic_fetch_sub_explicit(&db_counters.connections_open, 1, memory_order_relaxed);
}

enum db_backend db_backend(const struct db *db)
{
    return db->backend;
}

const char *db_errmsg(const struct db *db)
{
    return db->errmsg;
}

/* Count an error and, inside a transaction, remember that it failed. */
static int failed(struct db *db, int rc)
{
    DB_COUNT(errors_total);
    if (db->in_tx && !db->tx_err)
        db->tx_err = rc;
    return rc;
}

/* Checks common to every statement call; 0 or an error already counted. */
static int check_call(struct db *db, enum stmt st, const struct db_param *params, size_t nparams)
{
    size_t i;

    if (NEVER(st < 0 || st >= STMT__MAX)) {
        db_set_err(db, "no statement %d", (int)st);
        return failed(db, E_INVAL);
    }
    if (nparams > LIMIT_DB_PARAMS || (nparams && !params)) {
        db_set_err(db, "%s: %zu parameters", db_stmt_name(st), nparams);
        return failed(db, E_INVAL);
    }
    for (i = 0; i < nparams; i++) {
        const struct db_param *p = &params[i];

        if (p->type == DB_T_TEXT && !utf8_valid(p->v.s.ptr, p->v.s.len)) {
            db_set_err(db, "%s: parameter $%zu is not valid UTF-8 text", db_stmt_name(st), i + 1);
            return failed(db, E_INVAL);
        }
        if (p->type < DB_T_NULL || p->type > DB_T_BLOB) {
            db_set_err(db, "%s: parameter $%zu has no type", db_stmt_name(st), i + 1);
            return failed(db, E_INVAL);
        }
    }
    if (db->in_tx && db->tx_err) {
        db_set_err(db, "%s: the transaction failed earlier; roll it back", db_stmt_name(st));
        DB_COUNT(errors_total);
        return db->tx_err;
    }
    return 0;
}

int db_query(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
             struct db_rows *rows)
{
    int rc;

    memset(rows, 0, sizeof(*rows));
    rows->db = db;
    rows->stmt = st;
    rows->row = -1;
    rc = check_call(db, st, params, nparams);
    if (rc)
        return rc;
    DB_COUNT(queries_total);
    rc = db->ops->query(db, st, params, nparams, rows);
    if (rc) {
        rows->active = false;
        return failed(db, rc);
    }
    rows->active = true;
    return 0;
}

int db_next(struct db_rows *rows)
{
    int rc;

    if (!rows->active)
        return 0;
    rc = rows->db->ops->next(rows);
    if (rc < 0)
        return failed(rows->db, rc);
    return rc;
}

void db_rows_done(struct db_rows *rows)
{
    if (!rows->active)
        return;
    rows->db->ops->rows_done(rows);
    rows->active = false;
    rows->impl = NULL;
}

bool db_col_null(struct db_rows *rows, int col)
{
    if (NEVER(!rows->active))
        return true;
    return rows->db->ops->col_null(rows, col);
}

int64_t db_col_int(struct db_rows *rows, int col)
{
    if (NEVER(!rows->active))
        return 0;
    return rows->db->ops->col_int(rows, col);
}

double db_col_real(struct db_rows *rows, int col)
{
    if (NEVER(!rows->active))
        return 0;
    return rows->db->ops->col_real(rows, col);
}

struct str db_col_text(struct db_rows *rows, int col, struct arena *a)
{
    if (NEVER(!rows->active))
        return str_make(arena_strndup(a, "", 0), 0);
    return rows->db->ops->col_text(rows, col, a);
}

int db_exec(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
            int64_t *changed)
{
    int64_t n = 0;
    int rc;

    if (changed)
        *changed = 0;
    rc = check_call(db, st, params, nparams);
    if (rc)
        return rc;
    DB_COUNT(queries_total);
    rc = db->ops->exec(db, st, params, nparams, &n);
    if (rc)
        return failed(db, rc);
    if (changed)
        *changed = n;
    return 0;
}

int db_query_int(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                 int64_t *out)
{
    struct db_rows rows;
    int rc;

    *out = 0;
    rc = db_query(db, st, params, nparams, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc == 1) {
        if (db_col_null(&rows, 0)) {
            rc = E_NOTFOUND;
        } else {
            *out = db_col_int(&rows, 0);
            rc = 0;
        }
    } else if (rc == 0) {
        rc = E_NOTFOUND;
    }
    db_rows_done(&rows);
    return rc;
}

int db_exec_script(struct db *db, const char *sql)
{
    int rc;

    if (db->in_tx && db->tx_err) {
        db_set_err(db, "the transaction failed earlier; roll it back");
        DB_COUNT(errors_total);
        return db->tx_err;
    }
    DB_COUNT(queries_total);
    rc = db->ops->exec_script(db, sql);
    return rc ? failed(db, rc) : 0;
}

int db_read_begin(struct db *db)
{
    if (!db->ops->read_begin || db->in_tx)
        return 0;
    return db->ops->read_begin(db);
}

void db_read_end(struct db *db)
{
    if (db->ops->read_end)
        db->ops->read_end(db);
}

int db_tx_begin(struct db *db)
{
    int rc;

    if (NEVER(db->in_tx)) {
        db_set_err(db, "transaction already open");
        return failed(db, E_DB);
    }
    rc = db->ops->tx_begin(db);
    if (rc)
        return failed(db, rc);
    db->in_tx = true;
    db->tx_err = 0;
    DB_COUNT(tx_total);
    return 0;
}

int db_tx_end(struct db *db, int rc)
{
    if (rc) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

bool db_in_tx(const struct db *db)
{
    return db->in_tx;
}

int db_on_end(struct db *db, void (*fn)(void *arg, bool committed), void *arg)
{
    if (!db->in_tx) {
        fn(arg, true);
        return 0;
    }
    if (db->nhooks == db->caphooks) {
        size_t cap = db->caphooks ? db->caphooks * 2 : 8;
        db->hooks = xrealloc(db->hooks, cap * sizeof(*db->hooks));
        db->caphooks = cap;
    }
    db->hooks[db->nhooks++] = (struct db_hook){fn, arg};
    return 0;
}

/* The transaction is over: run what waited for it (see db_on_end()). */
static void run_hooks(struct db *db, bool committed)
{
    size_t n = db->nhooks;

    db->nhooks = 0;
    for (size_t i = 0; i < n; i++)
        db->hooks[i].fn(db->hooks[i].arg, committed);
}

int db_tx_commit(struct db *db)
{
    int rc;

    if (NEVER(!db->in_tx)) {
        db_set_err(db, "commit without a transaction");
        return failed(db, E_DB);
    }
    if (db->tx_err) {
        /* Keep the message of the error that failed the transaction. */
        rc = db->tx_err;
        db->ops->tx_rollback(db);
        db->in_tx = false;
        db->tx_err = 0;
        DB_COUNT(errors_total);
        run_hooks(db, false);
        return rc;
    }
    rc = db->ops->tx_commit(db);
    db->in_tx = false;
    db->tx_err = 0;
    run_hooks(db, rc == 0);
    return rc ? failed(db, rc) : 0;
}

int db_tx_rollback(struct db *db)
{
    int rc;

    if (NEVER(!db->in_tx)) {
        db_set_err(db, "rollback without a transaction");
        return failed(db, E_DB);
    }
    rc = db->ops->tx_rollback(db);
    db->in_tx = false;
    db->tx_err = 0;
    run_hooks(db, false);
    return rc ? failed(db, rc) : 0;
}

int db_ping(struct db *db)
{
    return db->ops->ping(db);
}

uint64_t db_session(struct db *db)
{
    return db->ops->session ? db->ops->session(db) : 0;
}

int db_socket(struct db *db)
{
    return db->ops->socket ? db->ops->socket(db) : -1;
}

int db_notifications(struct db *db, void (*fn)(void *arg, const char *payload), void *arg)
{
    return db->ops->notifications ? db->ops->notifications(db, fn, arg) : 0;
}

void db_stats(struct db_stats *out)
{
    out->connections_open =
        atomic_load_explicit(&db_counters.connections_open, memory_order_relaxed);
    out->connections_opened_total =
        atomic_load_explicit(&db_counters.connections_opened_total, memory_order_relaxed);
    out->reconnects_total =
        atomic_load_explicit(&db_counters.reconnects_total, memory_order_relaxed);
    out->queries_total = atomic_load_explicit(&db_counters.queries_total, memory_order_relaxed);
    out->errors_total = atomic_load_explicit(&db_counters.errors_total, memory_order_relaxed);
    out->tx_total = atomic_load_explicit(&db_counters.tx_total, memory_order_relaxed);
}
