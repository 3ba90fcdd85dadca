/*
 * Schema migrations: migrations/{sqlite,pg}/NNNN_<what>.sql, embedded in the
 * binary and numbered in step on both backends. Each is applied in its own
 * transaction together with its row in schema_migrations, so a failure
 * leaves the database at the previous version. On PostgreSQL every
 * migration transaction takes one advisory lock first and reads the version
 * again under it, so two nodes starting at once apply each migration once.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "db/db.h"
#include "db/db_int.h"

struct migration {
    int version;
    struct str name; /* "init" for 0001_init.sql */
    const char *sql; /* NUL-terminated */
};

static void files_of(enum db_backend b, const struct embed_file **files, size_t *n)
{
    if (b == DB_PG) {
        *files = migrations_pg;
        *n = migrations_pg_count;
    } else {
        *files = migrations_sqlite;
        *n = migrations_sqlite_count;
    }
}

/*
 * The i-th embedded migration. The files are part of the build, so a
 * misnumbered one is a broken build: die rather than guess.
 */
static struct migration migration_at(enum db_backend b, size_t i)
{
    const struct embed_file *files;
    struct migration m = {0};
    struct str rest;
    const char *p;
    size_t n;
    long v = 0;

    files_of(b, &files, &n);
    ASSERT(i < n);
    p = files[i].name;
    while (*p >= '0' && *p <= '9' && v < 100000000)
        v = v * 10 + (*p++ - '0');
    if (p == files[i].name || v != (long)i + 1) {
        log_error("migrations/%s/%s: expected number %zu (1..N without gaps)",
                  b == DB_PG ? "pg" : "sqlite", files[i].name, i + 1);
        BUG("misnumbered migration");
    }
    if (!files[i].data || files[i].data[files[i].len] != '\0')
        BUG("migration text is not NUL-terminated");
    rest = str_c(p);
    if (rest.len && rest.ptr[0] == '_')
        rest = str_make(rest.ptr + 1, rest.len - 1);
    if (str_ends_with(rest, STR_LIT(".sql")))
        rest.len -= 4;
    m.version = (int)v;
    m.name = rest;
    m.sql = (const char *)files[i].data;
    return m;
}

int db_schema_latest(enum db_backend b)
{
    const struct embed_file *files;
    size_t i, n;

    files_of(b, &files, &n);
    if (n > INT_MAX)
        BUG("too many migrations");
    for (i = 0; i < n; i++)
        migration_at(b, i);
    return (int)n;
}

static int read_version(struct db *db, int *out)
{
    int64_t v;
    int rc;

    *out = 0;
    rc = db_query_int(db, STMT_MIGRATIONS_VERSION, NULL, 0, &v);
    if (rc)
        return rc;
    if (v < 0 || v > INT_MAX) {
        db_set_err(db, "schema_migrations holds version %lld", (long long)v);
        return E_DB;
    }
    *out = (int)v;
    return 0;
}

int db_schema_version(struct db *db, int *out)
{
    int64_t exists;
    int rc;

    *out = 0;
    rc = db_query_int(db, STMT_MIGRATIONS_EXIST, NULL, 0, &exists);
    if (rc || !exists)
        return rc;
    return read_version(db, out);
}

static void fail_msg(struct db *db, char *err, size_t errlen, const char *what)
{
    char line[DB_ERRMSG_MAX + 64];

    snprintf(line, sizeof(line), "%s: %s", what, db_errmsg(db));
    db_err_line(err, errlen, line);
}

/* Begin a transaction holding the migration lock; on failure nothing is left open. */
static int begin_locked(struct db *db, char *err, size_t errlen)
{
    int rc = db_tx_begin(db);

    if (rc) {
        fail_msg(db, err, errlen, "migrate: begin");
        return rc;
    }
    rc = db_exec(db, STMT_MIGRATIONS_LOCK, NULL, 0, NULL);
    if (rc) {
        fail_msg(db, err, errlen, "migrate: lock");
        db_tx_rollback(db);
    }
    return rc;
}

/* One transaction: lock, read the version, apply the next migration if any. */
static int migrate_one(struct db *db, int latest, bool *done, char *err, size_t errlen)
{
    struct migration m;
    struct db_param params[3];
    char what[64];
    int version, rc;

    *done = false;
    rc = begin_locked(db, err, errlen);
    if (rc)
        return rc;
    rc = read_version(db, &version);
    if (rc) {
        fail_msg(db, err, errlen, "migrate: read version");
        goto out_rollback;
    }
    if (version > latest) {
        char line[160];

        snprintf(line, sizeof(line),
                 "database schema version %d is newer than this binary's latest %d; "
                 "run a newer praxis",
                 version, latest);
        db_err_line(err, errlen, line);
        rc = E_CONFLICT;
        goto out_rollback;
    }
    if (version == latest) {
        *done = true;
        goto out_rollback; /* nothing written */
    }
    m = migration_at(db_backend(db), (size_t)version);
    snprintf(what, sizeof(what), "migration %04d_%.*s", m.version,
             (int)(m.name.len > 40 ? 40 : m.name.len), m.name.ptr);
    rc = db_exec_script(db, m.sql);
    if (rc) {
        fail_msg(db, err, errlen, what);
        goto out_rollback;
    }
    params[0] = DB_INT(m.version);
    params[1] = DB_TEXT(m.name);
    params[2] = DB_INT(clock_unix());
    rc = db_exec(db, STMT_MIGRATIONS_INSERT, params, 3, NULL);
    if (rc) {
        fail_msg(db, err, errlen, what);
        goto out_rollback;
    }
    rc = db_tx_commit(db);
    if (rc) {
        fail_msg(db, err, errlen, what);
        return rc;
    }
    log_info("%s database: applied %s", db_backend_name(db_backend(db)), what);
    return 0;

out_rollback:
    db_tx_rollback(db);
    return rc;
}

int db_migrate(struct db *db, int *applied, char *err, size_t errlen)
{
    int latest = db_schema_latest(db_backend(db)), n = 0, rc;
    bool done = false;

    if (applied)
        *applied = 0;
    if (err && errlen)
        err[0] = '\0';
    /* Under the lock too: CREATE TABLE IF NOT EXISTS races with itself on PostgreSQL. */
    rc = begin_locked(db, err, errlen);
    if (rc)
        return rc;
    rc = db_exec(db, STMT_MIGRATIONS_CREATE, NULL, 0, NULL);
    if (rc) {
        fail_msg(db, err, errlen, "migrate: create schema_migrations");
        db_tx_rollback(db);
        return rc;
    }
    rc = db_tx_commit(db);
    if (rc) {
        fail_msg(db, err, errlen, "migrate: create schema_migrations");
        return rc;
    }
    while (!done) {
        rc = migrate_one(db, latest, &done, err, errlen);
        if (rc)
            break;
        if (!done)
            n++;
    }
    if (applied)
        *applied = n;
    return rc;
}

/* Declared types reduced to int, real, text, blob, after SQLite's affinity rules. */
static struct str norm_type(struct str t, struct arena *a)
{
    char *low = str_dup(a, t);
    size_t i;

    for (i = 0; i < t.len; i++)
        if (low[i] >= 'A' && low[i] <= 'Z')
            low[i] = (char)(low[i] - 'A' + 'a');
    if (strstr(low, "int"))
        return STR_LIT("int");
    if (strstr(low, "char") || strstr(low, "clob") || strstr(low, "text"))
        return STR_LIT("text");
    if (t.len == 0 || strstr(low, "blob") || strstr(low, "bytea"))
        return STR_LIT("blob");
    if (strstr(low, "real") || strstr(low, "floa") || strstr(low, "doub"))
        return STR_LIT("real");
    return str_make(low, t.len); /* numeric, boolean, jsonb…: shown as is */
}

static int cmp_lines(const void *pa, const void *pb)
{
    const struct str *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->ptr, b->ptr, n) : 0;

    if (c)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

int db_schema_dump(struct db *db, struct arena *a, struct str *out)
{
    struct str *lines = NULL;
    size_t i, n = 0, cap = 0;
    struct db_rows rows;
    struct buf b;
    int rc;

    *out = str_make(arena_strndup(a, "", 0), 0);
    rc = db_query(db, STMT_SCHEMA_COLUMNS, NULL, 0, &rows);
    if (rc)
        return rc;
    for (;;) {
        struct str table, col, type;
        struct buf line;

        rc = db_next(&rows);
        if (rc != 1)
            break;
        table = db_col_text(&rows, 0, a);
        col = db_col_text(&rows, 1, a);
        type = norm_type(db_col_text(&rows, 2, a), a);
        buf_init(&line, a, LIMIT_LOG_LINE);
        buf_put_str(&line, table);
        buf_putc(&line, '.');
        buf_put_str(&line, col);
        buf_putc(&line, ' ');
        buf_put_str(&line, type);
        buf_puts(&line, db_col_int(&rows, 3) ? " notnull\n" : " null\n");
        if (line.toobig) {
            rc = E_TOOBIG;
            break;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;

            lines = arena_realloc(a, lines, cap * sizeof(*lines), ncap * sizeof(*lines));
            cap = ncap;
        }
        lines[n++] = buf_str(&line);
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    if (n)
        qsort(lines, n, sizeof(*lines), cmp_lines);
    buf_init(&b, a, (size_t)LIMIT_PAGE);
    for (i = 0; i < n; i++)
        buf_put_str(&b, lines[i]);
    if (b.toobig)
        return E_TOOBIG;
    *out = buf_str(&b);
    return 0;
}
