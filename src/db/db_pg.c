/*
 * The PostgreSQL backend (libpq 15). Statements are prepared on first use
 * per connection (named "s<enum stmt>") and run with text-format
 * parameters, except blobs, which go in binary so no escaping is needed.
 * Results come back in text format and are parsed by the getters.
 *
 * A connection found lost before a call is reset and its statements are
 * prepared again, except inside a transaction, which died with it. A call
 * during which the connection drops returns E_UNAVAIL and is never retried:
 * a write may or may not have happened.
 */
#include <libpq-fe.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/str.h"
#include "db/db.h"
#include "db/db_int.h"

/* Type oids from the server's catalog (pg_type.dat); stable across versions. */
#define OID_BOOL  16
#define OID_BYTEA 17

struct db_pg {
    struct db super;
    PGconn *conn;
    bool prepared[STMT__MAX]; /* on this session; forgotten on reconnect */
    int nparams[STMT__MAX];   /* as the server counts them; -1 until described */
    struct arena scratch;     /* parameter text for one call */
    bool reset_failed;        /* the last call found the connection lost and could not reset it */
    uint64_t session;         /* how many times it was made again (db_session()) */
    int64_t retry_at_us;      /* after a failed reset, no new attempt before this */
};

/*
 * After a failed reconnect, calls fail at once for this long instead of each
 * waiting on a server that is down: a pool thread must not stall its
 * connections for a connect timeout per request.
 */
#define RECONNECT_BACKOFF_US 1000000

static struct db_pg *from(struct db *db)
{
    return (struct db_pg *)db;
}

/* Server notices ("table exists, skipping") go to the debug log, not stderr. */
static void on_notice(void *arg, const char *msg)
{
    char line[DB_ERRMSG_MAX];

    (void)arg;
    db_err_line(line, sizeof(line), msg);
    log_debug("postgres: %s", line);
}

static bool starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Record the error of a failed call (res may be NULL) and map it. */
static int result_err(struct db_pg *p, const char *what, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

    if (!msg || !*msg)
        msg = PQerrorMessage(p->conn);
    if (state)
        db_set_err(&p->super, "%s: %s [%s]", what, msg, state);
    else
        db_set_err(&p->super, "%s: %s", what, msg);
    if (PQstatus(p->conn) != CONNECTION_OK)
        return E_UNAVAIL;
    if (starts(state, "23"))
        return E_CONFLICT; /* integrity constraint violation */
    if (starts(state, "08") || starts(state, "57P"))
        return E_UNAVAIL; /* connection exception, server shutting down */
    if (starts(state, "54"))
        return E_TOOBIG; /* program limit exceeded */
    return E_DB;
}

/*
 * Make sure the connection is usable before a call. PQconsumeInput reads
 * without blocking, so a connection the server closed while we were idle
 * (a restart, pg_terminate_backend) is noticed here rather than by the
 * next statement.
 */
static int ensure_conn(struct db_pg *p)
{
    p->reset_failed = false;
    if (PQstatus(p->conn) == CONNECTION_OK)
        PQconsumeInput(p->conn);
    if (PQstatus(p->conn) == CONNECTION_OK)
        return 0;
    if (p->super.in_tx) {
        db_set_err(&p->super, "connection lost inside a transaction");
        return E_UNAVAIL;
    }
    if (clock_mono_us() < p->retry_at_us) {
        p->reset_failed = true;
        return E_UNAVAIL; /* the message of the failed attempt stays */
    }
    memset(p->prepared, 0, sizeof(p->prepared));
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        db_set_err(&p->super, "reconnect: %s", PQerrorMessage(p->conn));
        p->reset_failed = true;
        p->retry_at_us = clock_mono_us() + RECONNECT_BACKOFF_US;
        return E_UNAVAIL;
    }
    DB_COUNT(reconnects_total);
    p->session++;
    log_warn("postgres: connection was lost; reconnected");
    return 0;
}

static void stmt_name(enum stmt st, char *out, size_t n)
{
    snprintf(out, n, "s%d", (int)st);
}

/* Prepare st on this session once, then learn how many parameters it takes. */
static int prepare(struct db_pg *p, enum stmt st)
{
    char name[16];
    PGresult *res;
    int rc = 0;

    stmt_name(st, name, sizeof(name));
    if (!p->prepared[st]) {
        res = PQprepare(p->conn, name, db_stmt_sql(DB_PG, st), 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = result_err(p, db_stmt_name(st), res);
        PQclear(res);
        if (rc)
            return rc;
        p->prepared[st] = true;
        p->nparams[st] = -1;
    }
    if (p->nparams[st] < 0) {
        res = PQdescribePrepared(p->conn, name);
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            p->nparams[st] = PQnparams(res);
        else
            rc = result_err(p, db_stmt_name(st), res);
        PQclear(res);
    }
    return rc;
}

static const char *format_int(struct arena *a, int64_t v)
{
    char *s = arena_alloc(a, 24);

    snprintf(s, 24, "%lld", (long long)v);
    return s;
}

static const char *format_real(struct arena *a, double d)
{
    char *s;

    if (isnan(d))
        return "NaN";
    if (isinf(d))
        return d > 0 ? "Infinity" : "-Infinity";
    s = arena_alloc(a, 32);
    snprintf(s, 32, "%.17g", d);
    return s;
}

/* Prepare (once) and run statement st; on success *out holds the result. */
static int run(struct db_pg *p, enum stmt st, const struct db_param *params, size_t nparams,
               PGresult **out)
{
    const char *values[LIMIT_DB_PARAMS];
    int lengths[LIMIT_DB_PARAMS], formats[LIMIT_DB_PARAMS];
    char name[16];
    PGresult *res;
    size_t i;
    int rc;

    *out = NULL;
    if (NEVER(nparams > LIMIT_DB_PARAMS))
        return E_INVAL;
    rc = ensure_conn(p);
    if (rc)
        return rc;
    rc = prepare(p, st);
    if (rc)
        return rc;
    if ((int)nparams != p->nparams[st]) {
        db_set_err(&p->super, "%s takes %d parameters, got %zu", db_stmt_name(st), p->nparams[st],
                   nparams);
        return E_INVAL;
    }
    for (i = 0; i < nparams; i++) {
        const struct db_param *prm = &params[i];

        lengths[i] = 0;
        formats[i] = 0;
        switch (prm->type) {
        case DB_T_NULL:
            values[i] = NULL;
            break;
        case DB_T_INT:
            values[i] = format_int(&p->scratch, prm->v.i);
            break;
        case DB_T_REAL:
            values[i] = format_real(&p->scratch, prm->v.d);
            break;
        case DB_T_TEXT:
            /* Checked as UTF-8 without NUL by db.c; libpq wants it NUL-terminated. */
            values[i] = arena_strndup(&p->scratch, prm->v.s.ptr, prm->v.s.len);
            break;
        case DB_T_BLOB:
            if (prm->v.s.len > INT_MAX) {
                arena_reset(&p->scratch);
                db_set_err(&p->super, "%s: blob $%zu too large", db_stmt_name(st), i + 1);
                return E_TOOBIG;
            }
            values[i] = prm->v.s.ptr ? prm->v.s.ptr : "";
            lengths[i] = (int)prm->v.s.len;
            formats[i] = 1;
            break;
        default:
            arena_reset(&p->scratch);
            db_set_err(&p->super, "%s: parameter $%zu has no type", db_stmt_name(st), i + 1);
            return E_INVAL;
        }
    }
    stmt_name(st, name, sizeof(name));
    res = PQexecPrepared(p->conn, name, (int)nparams, values, lengths, formats, 0);
    arena_reset(&p->scratch);
    if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK) {
        *out = res;
        return 0;
    }
    rc = result_err(p, db_stmt_name(st), res);
    PQclear(res);
    return rc;
}

static void pg_close(struct db *db)
{
    struct db_pg *p = from(db);

    PQfinish(p->conn);
    arena_release(&p->scratch);
    free(p);
}

static int pg_open(struct db **out, const char *url, char *err, size_t errlen)
{
    /* The URL comes last, so its own application_name or connect_timeout wins. */
    static const char *const keys[] = {"application_name", "connect_timeout", "dbname", NULL};
    const char *vals[] = {"praxis", "5", url, NULL};
    PQconninfoOption *opts;
    char msg[DB_ERRMSG_MAX + 32];
    char *perr = NULL;
    struct db_pg *p;
    PGconn *conn;

    opts = PQconninfoParse(url, &perr);
    if (!opts) {
        snprintf(msg, sizeof(msg), "postgres: bad url: %s", perr ? perr : "out of memory");
        db_err_line(err, errlen, msg);
        PQfreemem(perr);
        return E_INVAL;
    }
    PQconninfoFree(opts);
    conn = PQconnectdbParams(keys, vals, 1);
    if (!conn)
        BUG("out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(msg, sizeof(msg), "postgres: %s", PQerrorMessage(conn));
        db_err_line(err, errlen, msg);
        PQfinish(conn);
        return E_UNAVAIL;
    }
    PQsetNoticeProcessor(conn, on_notice, NULL);
    p = xcalloc(1, sizeof(*p));
    p->conn = conn;
    arena_init(&p->scratch);
    *out = &p->super;
    return 0;
}

static int pg_query(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                    struct db_rows *rows)
{
    PGresult *res;
    int rc;

    rc = run(from(db), st, params, nparams, &res);
    if (rc)
        return rc;
    rows->impl = res;
    rows->row = -1;
    rows->nrows = PQntuples(res);
    return 0;
}

static int pg_next(struct db_rows *rows)
{
    if (rows->row + 1 < rows->nrows) {
        rows->row++;
        return 1;
    }
    rows->row = rows->nrows;
    return 0;
}

static void pg_rows_done(struct db_rows *rows)
{
    PQclear(rows->impl);
}

/* The current row's value at col, or NULL for SQL NULL (or a misuse). */
static const char *value(struct db_rows *rows, int col, int *len)
{
    const PGresult *res = rows->impl;

    *len = 0;
    if (!ALWAYS(rows->row >= 0 && rows->row < rows->nrows && col >= 0 && col < PQnfields(res)))
        return NULL;
    if (PQgetisnull(res, rows->row, col))
        return NULL;
    *len = PQgetlength(res, rows->row, col);
    return PQgetvalue(res, rows->row, col);
}

static bool pg_col_null(struct db_rows *rows, int col)
{
    int len;

    return value(rows, col, &len) == NULL;
}

static int64_t pg_col_int(struct db_rows *rows, int col)
{
    int len;
    const char *v = value(rows, col, &len);
    int64_t i;
    double d;

    if (!v)
        return 0;
    if (PQftype(rows->impl, col) == OID_BOOL)
        return v[0] == 't';
    if (!str_to_i64(str_make(v, (size_t)len), &i))
        return i;
    /* numeric or float text: truncate like SQLite does */
    d = strtod(v, NULL);
    return d > -9.2e18 && d < 9.2e18 ? (int64_t)d : 0;
}

static double pg_col_real(struct db_rows *rows, int col)
{
    int len;
    const char *v = value(rows, col, &len);

    if (!v)
        return 0;
    if (PQftype(rows->impl, col) == OID_BOOL)
        return v[0] == 't';
    return strtod(v, NULL);
}

/* bytea comes as text "\x4142…"; decode it so blobs read alike on both backends. */
static struct str decode_bytea(const char *v, size_t len, struct arena *a)
{
    char *out;
    size_t i, n;

    if (len < 2 || v[0] != '\\' || v[1] != 'x' || len % 2)
        return str_make(arena_strndup(a, v, len), len);
    n = (len - 2) / 2;
    out = arena_alloc(a, n + 1);
    for (i = 0; i < n; i++) {
        int hi = hex_value(v[2 + 2 * i]), lo = hex_value(v[3 + 2 * i]);

        if (hi < 0 || lo < 0)
            return str_make(arena_strndup(a, v, len), len);
        out[i] = (char)(hi << 4 | lo);
    }
    out[n] = '\0';
    return str_make(out, n);
}

static struct str pg_col_text(struct db_rows *rows, int col, struct arena *a)
{
    int len;
    const char *v = value(rows, col, &len);

    if (!v)
        return str_make(arena_strndup(a, "", 0), 0);
    if (PQftype(rows->impl, col) == OID_BYTEA)
        return decode_bytea(v, (size_t)len, a);
    return str_make(arena_strndup(a, v, (size_t)len), (size_t)len);
}

static int pg_exec(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                   int64_t *changed)
{
    PGresult *res;
    int64_t n;
    int rc;

    rc = run(from(db), st, params, nparams, &res);
    if (rc)
        return rc;
    /* "" for statements without a count */
    *changed = str_to_i64(str_c(PQcmdTuples(res)), &n) ? 0 : n;
    PQclear(res);
    return 0;
}

static int pg_exec_script(struct db *db, const char *sql)
{
    struct db_pg *p = from(db);
    PGresult *res;
    int rc;

    rc = ensure_conn(p);
    if (rc)
        return rc;
    res = PQexec(p->conn, sql);
    if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK) {
        rc = 0;
        if (db->in_tx && PQtransactionStatus(p->conn) != PQTRANS_INTRANS) {
            db_set_err(db, "script ended the transaction it ran in");
            rc = E_DB;
        }
    } else {
        rc = result_err(p, "script", res);
    }
    PQclear(res);
    return rc;
}

static int run_simple(struct db_pg *p, enum stmt st, char *tag, size_t taglen)
{
    PGresult *res;
    int rc;

    rc = run(p, st, NULL, 0, &res);
    if (rc)
        return rc;
    if (tag)
        snprintf(tag, taglen, "%s", PQcmdStatus(res));
    PQclear(res);
    return 0;
}

static int pg_tx_begin(struct db *db)
{
    return run_simple(from(db), STMT_TX_BEGIN, NULL, 0);
}

static int pg_tx_commit(struct db *db)
{
    struct db_pg *p = from(db);
    char tag[32];
    int rc;

    rc = run_simple(p, STMT_TX_COMMIT, tag, sizeof(tag));
    if (rc)
        return rc;
    /* COMMIT of a failed transaction "succeeds" with the tag ROLLBACK. */
    if (strcmp(tag, "COMMIT") != 0) {
        db_set_err(db, "commit: the server rolled the transaction back");
        return E_DB;
    }
    return 0;
}

static int pg_tx_rollback(struct db *db)
{
    struct db_pg *p = from(db);
    int rc;

    /* A lost connection took its transaction with it: nothing to undo. */
    if (PQstatus(p->conn) != CONNECTION_OK)
        return 0;
    rc = run_simple(p, STMT_TX_ROLLBACK, NULL, 0);
    if (rc && PQstatus(p->conn) != CONNECTION_OK)
        return 0;
    return rc;
}

static int pg_ping(struct db *db)
{
    struct db_pg *p = from(db);

    if (!run_simple(p, STMT_PING, NULL, 0))
        return 0;
    /*
     * SELECT 1 is safe to repeat: when the connection dropped during it, try
     * once more on a fresh one (not when a reset just failed: the server is down).
     */
    if (PQstatus(p->conn) != CONNECTION_OK && !p->reset_failed && !db->in_tx &&
        !run_simple(p, STMT_PING, NULL, 0))
        return 0;
    return E_UNAVAIL;
}

static uint64_t pg_session(struct db *db)
{
    return ((struct db_pg *)db)->session;
}

static int pg_socket(struct db *db)
{
    struct db_pg *p = (struct db_pg *)db;

    return PQstatus(p->conn) == CONNECTION_OK ? PQsocket(p->conn) : -1;
}

static int pg_notifications(struct db *db, void (*fn)(void *arg, const char *payload), void *arg)
{
    struct db_pg *p = (struct db_pg *)db;
    PGnotify *n;

    if (!PQconsumeInput(p->conn) || PQstatus(p->conn) != CONNECTION_OK) {
        db_set_err(db, "%s", PQerrorMessage(p->conn));
        return E_UNAVAIL;
    }
    while ((n = PQnotifies(p->conn))) {
        fn(arg, n->extra);
        PQfreemem(n);
    }
    return 0;
}

const struct db_ops db_pg_ops = {
    .open = pg_open,
    .close = pg_close,
    .query = pg_query,
    .next = pg_next,
    .rows_done = pg_rows_done,
    .col_null = pg_col_null,
    .col_int = pg_col_int,
    .col_real = pg_col_real,
    .col_text = pg_col_text,
    .exec = pg_exec,
    .exec_script = pg_exec_script,
    .tx_begin = pg_tx_begin,
    .tx_commit = pg_tx_commit,
    .tx_rollback = pg_tx_rollback,
    .ping = pg_ping,
    .socket = pg_socket,
    .session = pg_session,
    .notifications = pg_notifications,
};
