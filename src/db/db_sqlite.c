/*
 * The SQLite backend (libsqlite3 3.40): one connection per thread, opened in
 * multi-thread mode (SQLITE_OPEN_NOMUTEX), WAL journal, foreign keys on.
 *
 * Writers queue on one process-wide mutex, held from db_tx_begin() to the
 * commit or rollback, and around a single write outside a transaction: with
 * several threads writing freely the WAL outgrows its checkpoints. Other
 * processes (a `praxis migrate` beside the server) are kept out by BEGIN
 * IMMEDIATE and the busy timeout.
 *
 * The writes themselves, and the reads inside a transaction, go through one
 * more connection per database file, shared by the process's connections
 * to it and used only under that mutex (struct sq_writer). SQLite empties a
 * connection's page cache whenever another connection has committed, so
 * with a writing connection per thread each write began by reading back,
 * one system call a page, every page the other threads' writes had
 * touched; the one writer's cache stays warm from one write to the next.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "db/db.h"
#include "db/db_int.h"
#include "db/sqlite_rank.h"
#include "db/sqlite_vfs.h"

#define BUSY_TIMEOUT_MS 5000

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* A connection and the statements prepared on it. */
struct sq_conn {
    sqlite3 *conn;
    sqlite3_stmt *stmts[STMT__MAX]; /* prepared on first use */
    int *params[STMT__MAX];         /* with it: the index of each of $1, $2... */
    bool in_use[STMT__MAX];         /* bound and not yet reset */
};

/*
 * The connection a database file's writes go through, while write_lock is
 * held, and the thread that checkpoints its log. SQLite checkpoints in the
 * connection that commits, inside the commit, so every writer waited out
 * the copy and the syncs; here a commit that leaves CKPT_FRAMES or more in
 * the log wakes the checkpointer, which copies and syncs beside the
 * writers, on a connection of its own. Should it fall behind, a commit
 * that leaves CKPT_FRAMES_MAX waits for it and checkpoints itself, so the
 * log stays bounded.
 */
#define CKPT_FRAMES     1000 /* SQLite's own default for wal_autocheckpoint */
#define CKPT_FRAMES_MAX 8000
static int ckpt_frames = CKPT_FRAMES, ckpt_frames_max = CKPT_FRAMES_MAX; /* tests make them small */

struct sq_writer {
    struct sq_writer *next;
    char *key; /* the file's path, and its synchronous setting */
    int refs;  /* connections open on it that write through it */
    struct sq_conn w;
    sqlite3 *ckpt_conn;
    pthread_t ckpt_thread;
    pthread_mutex_t ckpt_run; /* held by whoever checkpoints */
    pthread_mutex_t ckpt_mu;  /* guards the two below */
    pthread_cond_t ckpt_cv;
    bool ckpt_wanted, ckpt_stop;
    bool ckpt_running; /* the thread was started */
    int ckpt_next;     /* the log's frames at which to wake it next (under write_lock) */
    int ckpt_seen;     /* the log's frames after the last commit (under write_lock) */
};

static pthread_mutex_t writers_lock = PTHREAD_MUTEX_INITIALIZER; /* guards writers */
static struct sq_writer *writers;

struct db_sqlite {
    struct db super;
    struct sq_conn own;        /* reads, and writes where there is no writer */
    struct sq_conn *c;         /* own, or the writer's while write_lock is held */
    struct sq_writer *wr;      /* NULL for an in-memory database, of one connection */
    bool rows_lock[STMT__MAX]; /* its open cursor holds a write_lock reference */
    int lock_refs;             /* references to write_lock held by this connection */
    bool want_read;            /* reads go through snapshots until db_read_end() */
    bool in_read;              /* a read snapshot is open */
};

static struct db_sqlite *from(struct db *db)
{
    return (struct db_sqlite *)db;
}

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return E_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return E_UNAVAIL;
    case SQLITE_TOOBIG:
        return E_TOOBIG;
    default:
        return E_DB;
    }
}

/* Record connection conn's error for statement st and map rc. */
static int fail_on(struct db_sqlite *s, sqlite3 *conn, enum stmt st, int rc)
{
    db_set_err(&s->super, "%s: %s", db_stmt_name(st), sqlite3_errmsg(conn));
    return map_rc(rc);
}

/* The same, for the connection in use. */
static int fail(struct db_sqlite *s, enum stmt st, int rc)
{
    return fail_on(s, s->c->conn, st, rc);
}

/*
 * Take a reference to the process-wide write lock. Waits as long as the
 * busy timeout, so two connections of one thread cannot deadlock for good.
 */
static int lock_writes(struct db_sqlite *s)
{
    struct timespec until;
    int rc;

    if (s->lock_refs > 0) {
        s->lock_refs++;
        return 0;
    }
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BUSY_TIMEOUT_MS / 1000;
    until.tv_nsec += (long)(BUSY_TIMEOUT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    rc = pthread_mutex_timedlock(&write_lock, &until);
    if (rc == ETIMEDOUT) {
        db_set_err(&s->super, "database is busy: no write lock after %d ms", BUSY_TIMEOUT_MS);
        return E_UNAVAIL;
    }
    if (rc)
        BUG("write lock failed");
    s->lock_refs = 1;
    if (s->wr)
        s->c = &s->wr->w;
    return 0;
}

static void finish(struct sq_conn *c, enum stmt st);

static void unlock_writes(struct db_sqlite *s)
{
    if (NEVER(s->lock_refs <= 0))
        return;
    if (--s->lock_refs > 0)
        return;
    /*
     * The writer is the next thread's now: a cursor left open on it (read in
     * a transaction, not done before the commit) would be stepped by two
     * threads at once. None should be; one that is gets reset here.
     */
    for (int i = 0; s->wr && i < STMT__MAX; i++) {
        if (NEVER(s->wr->w.in_use[i])) {
            log_warn("database: %s left open past the end of a write", db_stmt_name((enum stmt)i));
            finish(&s->wr->w, (enum stmt)i);
        }
    }
    s->c = &s->own;
    pthread_mutex_unlock(&write_lock);
}

static bool is_blank(const char *p)
{
    for (; *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

static int prepare(struct db_sqlite *s, struct sq_conn *c, enum stmt st, sqlite3_stmt **out)
{
    const char *tail = NULL;
    int rc, n;

    if (c->stmts[st]) {
        *out = c->stmts[st];
        return 0;
    }
    rc = sqlite3_prepare_v3(c->conn, db_stmt_sql(DB_SQLITE, st), -1, SQLITE_PREPARE_PERSISTENT,
                            &c->stmts[st], &tail);
    if (rc != SQLITE_OK)
        return fail_on(s, c->conn, st, rc);
    if (!c->stmts[st] || (tail && !is_blank(tail))) {
        sqlite3_finalize(c->stmts[st]);
        c->stmts[st] = NULL;
        db_set_err(&s->super, "%s: not exactly one statement", db_stmt_name(st));
        return E_DB;
    }
    /*
     * SQLite numbers "$1" and the like in the order they first appear, so
     * each one's index is looked up by name, once, here: looking it up on
     * every bind (a name formatted, the names searched) was a tenth of
     * SQLite's time on a topic page. 0 marks a number the statement lacks.
     */
    n = sqlite3_bind_parameter_count(c->stmts[st]);
    c->params[st] = xcalloc(n > 0 ? (size_t)n : 1, sizeof(int));
    for (int i = 0; i < n; i++) {
        char name[24];

        snprintf(name, sizeof(name), "$%d", i + 1);
        c->params[st][i] = sqlite3_bind_parameter_index(c->stmts[st], name);
    }
    *out = c->stmts[st];
    return 0;
}

/*
 * Bind $1..$n by name: SQLite numbers named parameters by first appearance,
 * so in `SELECT $2 || $1` $2 has index 1. copy makes SQLite keep its own
 * copy of text and blobs, for cursors that outlive the caller's params.
 */
static int bind(struct db_sqlite *s, enum stmt st, sqlite3_stmt *stmt, const int *index,
                const struct db_param *params, size_t nparams, bool copy)
{
    sqlite3_destructor_type keep = copy ? SQLITE_TRANSIENT : SQLITE_STATIC;
    int want = sqlite3_bind_parameter_count(stmt);
    size_t i;

    if ((size_t)want != nparams) {
        db_set_err(&s->super, "%s takes %d parameters, got %zu", db_stmt_name(st), want, nparams);
        return E_INVAL;
    }
    for (i = 0; i < nparams; i++) {
        const struct db_param *p = &params[i];
        const char *bytes = p->v.s.ptr ? p->v.s.ptr : "";
        int idx = index[i], rc;

        if (idx == 0) {
            db_set_err(&s->super, "%s has no parameter $%zu", db_stmt_name(st), i + 1);
            return E_INVAL;
        }
        switch (p->type) {
        case DB_T_NULL:
            rc = sqlite3_bind_null(stmt, idx);
            break;
        case DB_T_INT:
            rc = sqlite3_bind_int64(stmt, idx, p->v.i);
            break;
        case DB_T_REAL:
            rc = sqlite3_bind_double(stmt, idx, p->v.d);
            break;
        case DB_T_TEXT:
            rc = sqlite3_bind_text64(stmt, idx, bytes, p->v.s.len, keep, SQLITE_UTF8);
            break;
        case DB_T_BLOB:
            rc = sqlite3_bind_blob64(stmt, idx, bytes, p->v.s.len, keep);
            break;
        default:
            db_set_err(&s->super, "%s: parameter $%zu has no type", db_stmt_name(st), i + 1);
            return E_INVAL;
        }
        if (rc != SQLITE_OK)
            return fail_on(s, sqlite3_db_handle(stmt), st, rc);
    }
    return 0;
}

static void finish(struct sq_conn *c, enum stmt st)
{
    sqlite3_reset(c->stmts[st]);
    sqlite3_clear_bindings(c->stmts[st]);
    c->in_use[st] = false;
}

/* Prepare (once) and bind statement st on c, marking it in use. */
static int start(struct db_sqlite *s, struct sq_conn *c, enum stmt st,
                 const struct db_param *params, size_t nparams, bool copy, sqlite3_stmt **out)
{
    int rc;

    if (NEVER(c->in_use[st])) {
        db_set_err(&s->super, "%s: already in use by an open cursor", db_stmt_name(st));
        return E_DB;
    }
    rc = prepare(s, c, st, out);
    if (rc)
        return rc;
    c->in_use[st] = true;
    rc = bind(s, st, *out, c->params[st], params, nparams, copy);
    if (rc)
        finish(c, st);
    return rc;
}

/* Run a statement without parameters to its end on c; for transactions and ping. */
static int run_simple(struct db_sqlite *s, struct sq_conn *c, enum stmt st)
{
    sqlite3_stmt *stmt;
    int rc;

    rc = start(s, c, st, NULL, 0, false, &stmt);
    if (rc)
        return rc;
    do
        rc = sqlite3_step(stmt);
    while (rc == SQLITE_ROW);
    rc = rc == SQLITE_DONE ? 0 : fail_on(s, c->conn, st, rc);
    finish(c, st);
    return rc;
}

/* Begin a read snapshot for a reading statement, when one is wanted and none is open. */
static void resume_read(struct db_sqlite *s)
{
    if (!s->want_read || s->in_read || s->super.in_tx || s->c != &s->own ||
        !sqlite3_get_autocommit(s->own.conn))
        return;
    s->in_read = run_simple(s, &s->own, STMT_READ_BEGIN) == 0;
}

/* End the read snapshot, if one is open, before a write or at the end of a request. */
static void end_read(struct db_sqlite *s)
{
    if (!s->in_read)
        return;
    s->in_read = false;
    if (!sqlite3_get_autocommit(s->own.conn) && run_simple(s, &s->own, STMT_READ_END))
        log_warn("database: ending a read snapshot: %s", s->super.errmsg);
}

/*
 * Run a setup pragma once on conn, without caching it; the first column of
 * its first row, if any, goes into out.
 */
static int run_setup(struct db_sqlite *s, sqlite3 *conn, enum stmt st, char *out, size_t outlen)
{
    sqlite3_stmt *stmt = NULL;
    int rc;

    out[0] = '\0';
    rc = sqlite3_prepare_v3(conn, db_stmt_sql(DB_SQLITE, st), -1, 0, &stmt, NULL);
    if (rc != SQLITE_OK)
        return fail_on(s, conn, st, rc);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0))
        snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(stmt, 0));
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(stmt);
    rc = rc == SQLITE_DONE ? 0 : fail_on(s, conn, st, rc);
    sqlite3_finalize(stmt);
    return rc;
}

/* "sqlite:PATH[?synchronous=full|normal]": the path (heap) and the options. */
static int parse_url(const char *url, char **path, bool *sync_full, char *err, size_t errlen)
{
    const char *rest = url + strlen("sqlite:");
    const char *q = strchr(rest, '?');
    struct str opts = q ? str_c(q + 1) : STR_NULL;
    size_t n = q ? (size_t)(q - rest) : strlen(rest);
    char msg[160];

    *sync_full = false;
    if (n == 0) {
        db_err_line(err, errlen, "sqlite: url has no file path");
        return E_INVAL;
    }
    while (opts.len) {
        long amp = str_index(opts, '&');
        struct str opt = amp < 0 ? opts : str_make(opts.ptr, (size_t)amp);

        if (str_eq_c(opt, "synchronous=full")) {
            *sync_full = true;
        } else if (str_eq_c(opt, "synchronous=normal")) {
            *sync_full = false;
        } else {
            snprintf(msg, sizeof(msg), "sqlite: unknown option \"%.*s\" (synchronous=full|normal)",
                     (int)(opt.len > 60 ? 60 : opt.len), opt.ptr);
            db_err_line(err, errlen, msg);
            return E_INVAL;
        }
        opts = amp < 0 ? STR_NULL : str_make(opts.ptr + amp + 1, opts.len - (size_t)amp - 1);
    }
    *path = xmalloc(n + 1);
    memcpy(*path, rest, n);
    (*path)[n] = '\0';
    return 0;
}

/* SQLite's own message for a missing folder is "unable to open database file". */
static bool has_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    struct stat sb;
    char *dir;
    bool ok;

    if (strcmp(path, ":memory:") == 0 || !slash)
        return true;
    if (slash == path)
        return true;
    dir = xmalloc((size_t)(slash - path) + 1);
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    ok = stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
    free(dir);
    return ok;
}

/*
 * Before SQLite's first use: no memory statistics, which would take a
 * process-wide mutex on every allocation of every connection.
 */
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static bool have_vfs;

static void setup(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        log_warn("sqlite: memory statistics stay on (SQLite was used before setup)");
    have_vfs = sqlite_vfs_register() == SQLITE_OK;
    if (!have_vfs)
        log_warn("sqlite: no unix VFS to build on; each log frame takes two writes");
}

/*
 * Open path and set it up as every connection of ours is; 0, or an error
 * with its line in err.
 */
static int open_conn(struct db_sqlite *s, const char *path, bool sync_full, sqlite3 **out,
                     char *err, size_t errlen)
{
    char msg[DB_ERRMSG_MAX + 64], mode[16];
    sqlite3 *conn = NULL;
    int rc;

    rc = sqlite3_open_v2(path, &conn,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                         have_vfs ? SQLITE_VFS_NAME : NULL);
    if (rc != SQLITE_OK) {
        snprintf(msg, sizeof(msg), "sqlite: cannot open %s: %s", path,
                 conn ? sqlite3_errmsg(conn) : "out of memory");
        db_err_line(err, errlen, msg);
        sqlite3_close(conn);
        return E_IO;
    }
    sqlite3_extended_result_codes(conn, 1);
    /* First, before any pragma: two threads opening one file at once need it. */
    sqlite3_busy_timeout(conn, BUSY_TIMEOUT_MS);
    rc = run_setup(s, conn, STMT_SETUP_JOURNAL_WAL, mode, sizeof(mode));
    if (!rc && strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
        log_warn("sqlite: %s stays in journal mode %s, not wal", path, mode);
    if (!rc)
        rc = run_setup(s, conn, STMT_SETUP_FOREIGN_KEYS, mode, sizeof(mode));
    if (!rc)
        rc = run_setup(s, conn, sync_full ? STMT_SETUP_SYNC_FULL : STMT_SETUP_SYNC_NORMAL, mode,
                       sizeof(mode));
    if (!rc)
        rc = run_setup(s, conn, STMT_SETUP_MMAP, mode, sizeof(mode));
    if (!rc)
        rc = sqlite_rank_register(&s->super, conn);
    if (rc) {
        snprintf(msg, sizeof(msg), "sqlite: cannot set up %s: %s", path, s->super.errmsg);
        db_err_line(err, errlen, msg);
        sqlite3_close(conn);
        return rc;
    }
    *out = conn;
    return 0;
}

static void close_conn(struct sq_conn *c)
{
    for (size_t i = 0; i < STMT__MAX; i++) {
        sqlite3_finalize(c->stmts[i]);
        free(c->params[i]);
    }
    sqlite3_close(c->conn);
}

static void *checkpointer(void *arg)
{
    struct sq_writer *w = arg;

    pthread_mutex_lock(&w->ckpt_mu);
    for (;;) {
        while (!w->ckpt_wanted && !w->ckpt_stop)
            pthread_cond_wait(&w->ckpt_cv, &w->ckpt_mu);
        if (w->ckpt_stop)
            break;
        w->ckpt_wanted = false;
        pthread_mutex_unlock(&w->ckpt_mu);
        /* PASSIVE: takes no lock a writer or reader waits on. */
        pthread_mutex_lock(&w->ckpt_run);
        sqlite3_wal_checkpoint_v2(w->ckpt_conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_unlock(&w->ckpt_run);
        pthread_mutex_lock(&w->ckpt_mu);
    }
    pthread_mutex_unlock(&w->ckpt_mu);
    return NULL;
}

/* After each commit on the writer: frames is how many the log now holds. */
static int on_commit(void *arg, sqlite3 *conn, const char *name, int frames)
{
    struct sq_writer *w = arg;

    if (frames < w->ckpt_seen || !w->ckpt_next) /* the log began again */
        w->ckpt_next = ckpt_frames;
    w->ckpt_seen = frames;
    if (frames >= ckpt_frames_max) {
        /* After the checkpointer's, if it is at one: the log begins again at the next write. */
        pthread_mutex_lock(&w->ckpt_run);
        sqlite3_wal_checkpoint_v2(conn, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_unlock(&w->ckpt_run);
    } else if (frames >= w->ckpt_next) {
        /* Once for every CKPT_FRAMES written: each checkpoint syncs twice. */
        w->ckpt_next = frames + ckpt_frames;
        pthread_mutex_lock(&w->ckpt_mu);
        w->ckpt_wanted = true;
        pthread_cond_signal(&w->ckpt_cv);
        pthread_mutex_unlock(&w->ckpt_mu);
    }
    return SQLITE_OK;
}

/* Open w's connections and start its checkpointer; 0 or an error. */
static int writer_open(struct db_sqlite *s, struct sq_writer *w, const char *path, bool sync_full,
                       char *err, size_t errlen)
{
    int rc = open_conn(s, path, sync_full, &w->w.conn, err, errlen);

    if (!rc)
        rc = open_conn(s, path, sync_full, &w->ckpt_conn, err, errlen);
    if (rc) {
        sqlite3_close(w->w.conn);
        return rc;
    }
    pthread_mutex_init(&w->ckpt_run, NULL);
    pthread_mutex_init(&w->ckpt_mu, NULL);
    pthread_cond_init(&w->ckpt_cv, NULL);
    /* Without the thread SQLite checkpoints in the commits, as it would on its own. */
    w->ckpt_running = pthread_create(&w->ckpt_thread, NULL, checkpointer, w) == 0;
    if (w->ckpt_running)
        sqlite3_wal_hook(w->w.conn, on_commit, w); /* in place of wal_autocheckpoint */
    return 0;
}

static void writer_close(struct sq_writer *w)
{
    if (w->ckpt_running) {
        pthread_mutex_lock(&w->ckpt_mu);
        w->ckpt_stop = true;
        pthread_cond_signal(&w->ckpt_cv);
        pthread_mutex_unlock(&w->ckpt_mu);
        pthread_join(w->ckpt_thread, NULL);
    }
    pthread_cond_destroy(&w->ckpt_cv);
    pthread_mutex_destroy(&w->ckpt_mu);
    pthread_mutex_destroy(&w->ckpt_run);
    close_conn(&w->w);
    sqlite3_close(w->ckpt_conn);
}

/* The writer of path, shared, opened by the first connection to it; 0 or an error. */
static int writer_join(struct db_sqlite *s, const char *path, bool sync_full, char *err,
                       size_t errlen)
{
    size_t n = strlen(path);
    char *key = xmalloc(n + 3);
    struct sq_writer *w;
    int rc = 0;

    memcpy(key, path, n);
    memcpy(key + n, sync_full ? "?f" : "?n", 3);
    pthread_mutex_lock(&writers_lock);
    for (w = writers; w && strcmp(w->key, key) != 0; w = w->next)
        ;
    if (!w) {
        w = xcalloc(1, sizeof(*w));
        rc = writer_open(s, w, path, sync_full, err, errlen);
        if (rc) {
            free(w);
            w = NULL;
        } else {
            w->key = key;
            key = NULL;
            w->next = writers;
            writers = w;
        }
    }
    if (w) {
        w->refs++;
        s->wr = w;
    }
    pthread_mutex_unlock(&writers_lock);
    free(key);
    return rc;
}

/* Let go of s's writer; the last connection closes it. */
static void writer_leave(struct db_sqlite *s)
{
    struct sq_writer **pw;

    if (!s->wr)
        return;
    pthread_mutex_lock(&writers_lock);
    if (--s->wr->refs == 0) {
        for (pw = &writers; *pw != s->wr; pw = &(*pw)->next)
            ;
        *pw = s->wr->next;
        writer_close(s->wr);
        free(s->wr->key);
        free(s->wr);
    }
    pthread_mutex_unlock(&writers_lock);
    s->wr = NULL;
}

static int sq_open(struct db **out, const char *url, char *err, size_t errlen)
{
    struct db_sqlite *s;
    char msg[DB_ERRMSG_MAX + 64];
    bool sync_full;
    char *path = NULL;
    int rc;

    pthread_once(&setup_once, setup);
    rc = parse_url(url, &path, &sync_full, err, errlen);
    if (rc)
        return rc;
    if (!has_folder(path)) {
        snprintf(msg, sizeof(msg), "sqlite: the folder of %s does not exist", path);
        db_err_line(err, errlen, msg);
        free(path);
        return E_IO;
    }
    s = xcalloc(1, sizeof(*s));
    s->c = &s->own;
    rc = open_conn(s, path, sync_full, &s->own.conn, err, errlen);
    /* An in-memory database is a connection's own: nobody to share a writer with. */
    if (!rc && strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0)
        rc = writer_join(s, path, sync_full, err, errlen);
    free(path);
    if (rc) {
        if (s->own.conn)
            close_conn(&s->own);
        free(s);
        return rc;
    }
    *out = &s->super;
    return 0;
}

static void sq_close(struct db *db)
{
    struct db_sqlite *s = from(db);

    if (s->lock_refs > 0) {
        s->lock_refs = 1;
        unlock_writes(s);
    }
    close_conn(&s->own);
    writer_leave(s);
    free(s);
}

/* Reset a cursor's statement, on whichever connection it runs, and drop the write lock it may hold.
 */
static void close_cursor(struct db_sqlite *s, enum stmt st, sqlite3_stmt *stmt)
{
    finish(s->wr && s->wr->w.stmts[st] == stmt ? &s->wr->w : &s->own, st);
    if (s->rows_lock[st]) {
        s->rows_lock[st] = false;
        unlock_writes(s);
    }
}

/*
 * start(), then, for a statement that writes outside a transaction, take the
 * process-wide write lock (*locked says whether it was taken; the caller
 * releases it with unlock_writes()).
 */
static int start_locked(struct db_sqlite *s, enum stmt st, const struct db_param *params,
                        size_t nparams, bool copy, sqlite3_stmt **stmt, bool *locked)
{
    bool moves;
    int rc;

    *locked = false;
    rc = start(s, s->c, st, params, nparams, copy, stmt);
    if (rc || s->super.in_tx)
        return rc;
    if (sqlite3_stmt_readonly(*stmt)) {
        resume_read(s);
        return 0;
    }
    end_read(s);
    /* A write goes to the writer: prepared and bound again there, once the lock is held. */
    moves = s->wr && s->c == &s->own;
    if (moves)
        finish(&s->own, st);
    rc = lock_writes(s);
    if (rc) {
        if (!moves)
            finish(s->c, st);
        return rc;
    }
    if (moves) {
        rc = start(s, s->c, st, params, nparams, copy, stmt);
        if (rc) {
            unlock_writes(s);
            return rc;
        }
    }
    *locked = true;
    return 0;
}

static int sq_query(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                    struct db_rows *rows)
{
    struct db_sqlite *s = from(db);
    sqlite3_stmt *stmt;
    int rc;

    rc = start_locked(s, st, params, nparams, true, &stmt, &s->rows_lock[st]);
    if (rc)
        return rc;
    /* Step once here so errors (a constraint in INSERT … RETURNING) come from db_query. */
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rc = fail_on(s, sqlite3_db_handle(stmt), st, rc);
        close_cursor(s, st, stmt);
        return rc;
    }
    rows->impl = stmt;
    rows->row = -1;                          /* the first row, if any, is already stepped */
    rows->nrows = rc == SQLITE_ROW ? -1 : 0; /* -1 until the end is reached */
    return 0;
}

static int sq_next(struct db_rows *rows)
{
    struct db_sqlite *s = from(rows->db);
    int rc;

    if (rows->nrows >= 0)
        return 0; /* stepping again after the end would rerun the statement */
    if (rows->row == -1) {
        rows->row = 0;
        return 1;
    }
    rc = sqlite3_step(rows->impl);
    if (rc == SQLITE_ROW) {
        rows->row++;
        return 1;
    }
    rows->nrows = rows->row + 1;
    if (rc == SQLITE_DONE)
        return 0;
    return fail_on(s, sqlite3_db_handle(rows->impl), rows->stmt, rc);
}

static void sq_rows_done(struct db_rows *rows)
{
    close_cursor(from(rows->db), rows->stmt, rows->impl);
}

static bool col_ok(struct db_rows *rows, int col)
{
    return ALWAYS(col >= 0 && col < sqlite3_column_count(rows->impl));
}

static bool sq_col_null(struct db_rows *rows, int col)
{
    return !col_ok(rows, col) || sqlite3_column_type(rows->impl, col) == SQLITE_NULL;
}

static int64_t sq_col_int(struct db_rows *rows, int col)
{
    return col_ok(rows, col) ? sqlite3_column_int64(rows->impl, col) : 0;
}

static double sq_col_real(struct db_rows *rows, int col)
{
    return col_ok(rows, col) ? sqlite3_column_double(rows->impl, col) : 0;
}

static struct str sq_col_text(struct db_rows *rows, int col, struct arena *a)
{
    const char *p = NULL;
    size_t n = 0;

    if (col_ok(rows, col)) {
        switch (sqlite3_column_type(rows->impl, col)) {
        case SQLITE_NULL:
            break;
        case SQLITE_BLOB:
            p = sqlite3_column_blob(rows->impl, col);
            n = (size_t)sqlite3_column_bytes(rows->impl, col);
            break;
        default:
            p = (const char *)sqlite3_column_text(rows->impl, col);
            n = (size_t)sqlite3_column_bytes(rows->impl, col);
            break;
        }
    }
    if (!p)
        n = 0;
    return str_make(arena_strndup(a, p ? p : "", n), n);
}

static int sq_exec(struct db *db, enum stmt st, const struct db_param *params, size_t nparams,
                   int64_t *changed)
{
    struct db_sqlite *s = from(db);
    sqlite3_stmt *stmt;
    bool locked;
    int rc;

    rc = start_locked(s, st, params, nparams, false, &stmt, &locked);
    if (rc)
        return rc;
    do
        rc = sqlite3_step(stmt);
    while (rc == SQLITE_ROW);
    if (rc == SQLITE_DONE) {
        *changed = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(s->c->conn);
        rc = 0;
    } else {
        rc = fail(s, st, rc);
    }
    finish(s->c, st);
    if (locked)
        unlock_writes(s);
    return rc;
}

static int sq_exec_script(struct db *db, const char *sql)
{
    struct db_sqlite *s = from(db);
    char *msg = NULL;
    int rc;

    if (!db->in_tx) {
        end_read(s);
        rc = lock_writes(s);
        if (rc)
            return rc;
    }
    rc = sqlite3_exec(s->c->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        db_set_err(db, "script: %s", msg ? msg : sqlite3_errmsg(s->c->conn));
        rc = map_rc(rc);
    } else if (db->in_tx && sqlite3_get_autocommit(s->c->conn)) {
        db_set_err(db, "script ended the transaction it ran in");
        rc = E_DB;
    }
    sqlite3_free(msg);
    if (!db->in_tx)
        unlock_writes(s);
    return rc;
}

static int sq_read_begin(struct db *db)
{
    struct db_sqlite *s = from(db);

    s->want_read = true;
    return 0;
}

static void sq_read_end(struct db *db)
{
    struct db_sqlite *s = from(db);

    s->want_read = false;
    end_read(s);
}

static int sq_tx_begin(struct db *db)
{
    struct db_sqlite *s = from(db);
    int rc;

    end_read(s);
    rc = lock_writes(s);
    if (rc)
        return rc;
    rc = run_simple(s, s->c, STMT_TX_BEGIN);
    if (rc)
        unlock_writes(s);
    return rc;
}

static int sq_tx_rollback(struct db *db)
{
    struct db_sqlite *s = from(db);
    int rc = 0;

    /* Some errors (disk full, I/O) roll the transaction back by themselves. */
    if (!sqlite3_get_autocommit(s->c->conn))
        rc = run_simple(s, s->c, STMT_TX_ROLLBACK);
    unlock_writes(s);
    return rc;
}

static int sq_tx_commit(struct db *db)
{
    struct db_sqlite *s = from(db);
    int rc;

    if (sqlite3_get_autocommit(s->c->conn)) {
        db_set_err(db, "commit: the transaction was rolled back by an earlier error");
        unlock_writes(s);
        return E_DB;
    }
    rc = run_simple(s, s->c, STMT_TX_COMMIT);
    if (rc && !sqlite3_get_autocommit(s->c->conn)) {
        char msg[DB_ERRMSG_MAX];

        memcpy(msg, db->errmsg, sizeof(msg));
        run_simple(s, s->c, STMT_TX_ROLLBACK);
        memcpy(db->errmsg, msg, sizeof(msg));
    }
    unlock_writes(s);
    return rc;
}

static int sq_ping(struct db *db)
{
    struct db_sqlite *s = from(db);

    return run_simple(s, &s->own, STMT_PING) ? E_UNAVAIL : 0;
}

const struct db_ops db_sqlite_ops = {
    .open = sq_open,
    .close = sq_close,
    .query = sq_query,
    .next = sq_next,
    .rows_done = sq_rows_done,
    .col_null = sq_col_null,
    .col_int = sq_col_int,
    .col_real = sq_col_real,
    .col_text = sq_col_text,
    .exec = sq_exec,
    .exec_script = sq_exec_script,
    .tx_begin = sq_tx_begin,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .tx_commit = sq_tx_commit,
    .tx_rollback = sq_tx_rollback,
    .ping = sq_ping,
};
