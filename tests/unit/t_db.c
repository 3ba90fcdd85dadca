/*
 * Tests of src/db: the same checks on SQLite (always, in a temporary folder)
 * and on PostgreSQL when PRAXIS_TEST_PG_URL is set, e.g.
 *
 *     url=$(scripts/pg-cluster.sh start /tmp/pgt.$$)
 *     PRAXIS_TEST_PG_URL="$url" build/tests/t_db
 *     scripts/pg-cluster.sh stop /tmp/pgt.$$
 *
 * PRAXIS_TEST_PG_URL must name a throwaway database: the test drops its
 * public schema first. After migrating, the schema dumps of both backends
 * must be equal; that is what keeps migrations/sqlite and migrations/pg from
 * drifting apart.
 *
 * db_sqlite.c is included to reach its process-wide write lock; the
 * archive's copy of it is then never linked.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "db/db_sqlite.c" /* NOLINT(bugprone-suspicious-include) */
#include "tap.h"

static char tmpdir[] = "/tmp/t_db.XXXXXX";

static bool one_line(const char *s)
{
    return s && !strchr(s, '\n') && !strchr(s, '\r');
}

static struct db *open_ok(const char *url, const char *what)
{
    char err[256];
    struct db *db = NULL;
    int rc = db_open(&db, url, err, sizeof(err));

    is_int(rc, 0, what);
    if (rc)
        printf("#   %s\n", err);
    return rc ? NULL : db;
}

/* TEST_ECHO of one parameter; the text read back is copied into a. */
static int echo(struct db *db, struct db_param p, struct arena *a, struct str *out, bool *null)
{
    struct db_rows rows;
    int rc;

    *out = STR_NULL;
    rc = db_query(db, STMT_TEST_ECHO, &p, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc == 1) {
        *null = db_col_null(&rows, 0);
        *out = db_col_text(&rows, 0, a);
        rc = 0;
    } else if (rc == 0) {
        rc = E_NOTFOUND;
    }
    db_rows_done(&rows);
    return rc;
}

static int setting_get(struct db *db, const char *key, struct arena *a, struct str *out)
{
    struct db_param p = DB_TEXTC(key);
    struct db_rows rows;
    int rc;

    *out = STR_NULL;
    rc = db_query(db, STMT_SETTING_GET, &p, 1, &rows);
    if (rc)
        return rc;
    rc = db_next(&rows);
    if (rc == 1) {
        *out = db_col_text(&rows, 0, a);
        rc = 0;
    } else if (rc == 0) {
        rc = E_NOTFOUND;
    }
    db_rows_done(&rows);
    return rc;
}

static int setting_put(struct db *db, const char *key, const char *value)
{
    struct db_param p[3] = {DB_TEXTC(key), DB_TEXTC(value), DB_INT(1700000000)};

    return db_exec(db, STMT_SETTING_PUT, p, 3, NULL);
}

static void check_urls(void)
{
    enum db_backend b = DB__MAX;
    char err[256], url[256];
    struct db *db = (struct db *)1;

    is_int(db_backend_of("sqlite:/x/y.db", &b), 0, "sqlite url recognised");
    is_int(b, DB_SQLITE, "sqlite url selects sqlite");
    is_int(db_backend_of("postgres://h/d", &b), 0, "postgres url recognised");
    is_int(b, DB_PG, "postgres url selects pg");
    b = DB_SQLITE;
    is_int(db_backend_of("postgresql://h/d", &b), 0, "postgresql url recognised");
    is_int(b, DB_PG, "postgresql url selects pg");
    is_int(db_backend_of("mysql://h/d", &b), E_INVAL, "mysql url refused");
    is_int(db_backend_of("sqlite", &b), E_INVAL, "bare sqlite refused");
    is_str(db_backend_name(DB_SQLITE), "sqlite", "backend name sqlite");
    is_str(db_backend_name(DB_PG), "postgres", "backend name pg");

    is_int(db_open(&db, "mysql://h/d", err, sizeof(err)), E_INVAL, "open: unknown scheme");
    ok(db == NULL, "open: no connection on failure");
    ok(err[0] && one_line(err), "open: unknown scheme explained on one line");
    is_int(db_open(&db, "sqlite:", err, sizeof(err)), E_INVAL, "open: sqlite without path");
    snprintf(url, sizeof(url), "sqlite:%s/x.db?journal=off", tmpdir);
    is_int(db_open(&db, url, err, sizeof(err)), E_INVAL, "open: unknown sqlite option");
    ok(strstr(err, "journal=off") != NULL, "open: unknown option named");
    snprintf(url, sizeof(url), "sqlite:%s/no/such/folder/x.db", tmpdir);
    is_int(db_open(&db, url, err, sizeof(err)), E_IO, "open: sqlite folder missing");
    ok(strstr(err, "does not exist") != NULL && one_line(err), "open: missing folder explained");
    is_int(db_open(&db, "postgresql://h/d?nosuchoption=1", err, sizeof(err)), E_INVAL,
           "open: bad postgres url");
    ok(err[0] && one_line(err), "open: bad postgres url explained on one line");
    is_int(db_open(&db, "postgresql://praxis@/praxis?host=/nonexistent-praxis-socket&port=1", err,
                   sizeof(err)),
           E_UNAVAIL, "open: unreachable postgres");
    ok(err[0] && one_line(err), "open: unreachable postgres explained on one line");
    printf("#   %s\n", err);
    db_close(NULL);
    ok(db_schema_latest(DB_SQLITE) >= 1, "sqlite migrations embedded");
    is_int(db_schema_latest(DB_SQLITE), db_schema_latest(DB_PG), "migrations numbered in step");
}

static void check_sqlite_setup(void)
{
    char url[256];
    struct arena a;
    struct db *db;
    struct str mode;
    int64_t v;

    arena_init(&a);
    snprintf(url, sizeof(url), "sqlite:%s/setup.db", tmpdir);
    db = open_ok(url, "sqlite: open default");
    if (!db)
        return;
    is_int(db_backend(db), DB_SQLITE, "sqlite: backend");
    {
        struct db_rows rows;

        is_int(db_query(db, STMT_TEST_JOURNAL_MODE, NULL, 0, &rows), 0, "sqlite: journal mode");
        is_int(db_next(&rows), 1, "sqlite: journal mode row");
        mode = db_col_text(&rows, 0, &a);
        db_rows_done(&rows);
        is_str(mode.ptr, "wal", "sqlite: journal mode is wal");
    }
    is_int(db_query_int(db, STMT_TEST_FOREIGN_KEYS, NULL, 0, &v), 0, "sqlite: foreign keys");
    is_int(v, 1, "sqlite: foreign keys on");
    is_int(db_query_int(db, STMT_TEST_SYNCHRONOUS, NULL, 0, &v), 0, "sqlite: synchronous");
    is_int(v, 1, "sqlite: synchronous normal by default");
    db_close(db);

    snprintf(url, sizeof(url), "sqlite:%s/setup.db?synchronous=full", tmpdir);
    db = open_ok(url, "sqlite: open synchronous=full");
    if (!db)
        return;
    is_int(db_query_int(db, STMT_TEST_SYNCHRONOUS, NULL, 0, &v), 0, "sqlite: synchronous");
    is_int(v, 2, "sqlite: synchronous full when asked");
    db_close(db);
    arena_release(&a);
}

/* Whether another thread could take the SQLite write lock right now. */
static void *try_lock(void *arg)
{
    int *free_now = arg;

    *free_now = pthread_mutex_trylock(&write_lock) == 0;
    if (*free_now)
        pthread_mutex_unlock(&write_lock);
    return NULL;
}

static bool write_lock_free(void)
{
    pthread_t th;
    int free_now = -1;

    pthread_create(&th, NULL, try_lock, &free_now);
    pthread_join(th, NULL);
    return free_now == 1;
}

static void check_sqlite_lock(void)
{
    struct db_param p[3] = {DB_TEXTC("lk"), DB_TEXTC("v"), DB_INT(1)};
    struct db_rows rows;
    char url[256];
    struct arena a;
    struct str s;
    struct db *db;

    arena_init(&a);
    snprintf(url, sizeof(url), "sqlite:%s/lock.db", tmpdir);
    db = open_ok(url, "sqlite lock: open");
    if (!db)
        return;
    ok(write_lock_free(), "sqlite lock: free at rest");
    is_int(db_tx_begin(db), 0, "sqlite lock: begin");
    ok(!write_lock_free(), "sqlite lock: held by a transaction");
    is_int(db_tx_rollback(db), 0, "sqlite lock: rollback");
    ok(write_lock_free(), "sqlite lock: released by rollback");
    is_int(db_tx_begin(db), 0, "sqlite lock: begin again");
    is_int(db_tx_commit(db), 0, "sqlite lock: commit");
    ok(write_lock_free(), "sqlite lock: released by commit");
    is_int(db_exec(db, STMT_MIGRATIONS_CREATE, NULL, 0, NULL), 0, "sqlite lock: a write");
    ok(write_lock_free(), "sqlite lock: released after a single write");
    is_int(db_query(db, STMT_MIGRATIONS_VERSION, NULL, 0, &rows), 0, "sqlite lock: a read");
    ok(write_lock_free(), "sqlite lock: not taken by a read");
    db_rows_done(&rows);
    {
        char err[256];
        int applied = 0;

        is_int(db_migrate(db, &applied, err, sizeof(err)), 0, "sqlite lock: migrate");
    }
    is_int(db_query(db, STMT_TEST_SETTING_PUT_RETURNING, p, 3, &rows), 0,
           "sqlite lock: insert returning");
    ok(!write_lock_free(), "sqlite lock: held by a writing cursor");
    is_int(db_next(&rows), 1, "sqlite lock: returning row");
    s = db_col_text(&rows, 0, &a);
    is_mem(s.ptr, s.len, "v", "sqlite lock: returned value");
    db_rows_done(&rows);
    ok(write_lock_free(), "sqlite lock: released by db_rows_done");
    is_int(db_tx_begin(db), 0, "sqlite lock: begin before close");
    db_close(db);
    ok(write_lock_free(), "sqlite lock: released by closing inside a transaction");
    arena_release(&a);
}

/* The value of setting key as db reads it now: "" when there is none, "?" on error. */
static struct str setting_of(struct db *db, const char *key, struct arena *a)
{
    struct db_param p = DB_TEXTC(key);
    struct db_rows rows;
    struct str v = STR_LIT("?");

    if (db_query(db, STMT_SETTING_GET, &p, 1, &rows))
        return v;
    v = db_next(&rows) == 1 ? db_col_text(&rows, 0, a) : STR_LIT("");
    db_rows_done(&rows);
    return v;
}

/* Two connections to one file write through one shared writer connection. */
static void check_sqlite_writer(void)
{
    struct db_param p[3] = {DB_TEXTC("wr"), DB_TEXTC("mine"), DB_INT(1)};
    struct db *one, *two, *mem;
    struct sq_writer *w, *left;
    struct db_rows rows;
    char url[256], err[256];
    struct arena a;
    int applied = 0;

    arena_init(&a);
    snprintf(url, sizeof(url), "sqlite:%s/writer.db", tmpdir);
    one = open_ok(url, "sqlite writer: open one");
    two = open_ok(url, "sqlite writer: open two");
    mem = open_ok("sqlite::memory:", "sqlite writer: open in memory");
    if (!one || !two || !mem)
        return;
    w = from(one)->wr;
    ok(w && from(two)->wr == w && w->refs == 2, "sqlite writer: one for the file, shared");
    ok(!from(mem)->wr, "sqlite writer: none for an in-memory database");
    is_int(db_migrate(one, &applied, err, sizeof(err)), 0, "sqlite writer: migrate");
    ok(from(one)->c == &from(one)->own, "sqlite writer: reads go through a thread's own");
    is_int(db_tx_begin(one), 0, "sqlite writer: begin");
    ok(from(one)->c == &w->w, "sqlite writer: a transaction goes through the writer");
    is_int(db_query(one, STMT_TEST_SETTING_PUT_RETURNING, p, 3, &rows), 0,
           "sqlite writer: a write in it");
    db_rows_done(&rows);
    is_mem(setting_of(one, "wr", &a).ptr, setting_of(one, "wr", &a).len, "mine",
           "sqlite writer: a read in the transaction sees its write");
    is_mem(setting_of(two, "wr", &a).ptr, setting_of(two, "wr", &a).len, "",
           "sqlite writer: another connection does not, yet");
    is_int(db_tx_commit(one), 0, "sqlite writer: commit");
    ok(from(one)->c == &from(one)->own, "sqlite writer: back to its own after");
    is_mem(setting_of(two, "wr", &a).ptr, setting_of(two, "wr", &a).len, "mine",
           "sqlite writer: the other reads it after the commit");
    p[1] = DB_TEXTC("theirs");
    is_int(db_exec(two, STMT_TEST_SETTING_PUT_RETURNING, p, 3, NULL), 0,
           "sqlite writer: a write outside a transaction");
    ok(from(two)->c == &from(two)->own && write_lock_free(),
       "sqlite writer: its own again, and the lock free");
    is_mem(setting_of(one, "wr", &a).ptr, setting_of(one, "wr", &a).len, "theirs",
           "sqlite writer: and the first reads that");
    /*
     * Its log is checkpointed beside the writes, by a thread of its own; under
     * writes that never pause, a commit past CKPT_FRAMES_MAX checkpoints too,
     * and the log begins again: it stays bounded.
     */
    {
        char value[3001], key[32];
        int most = 0, restarts = 0, last = 0, tx;
        bool written = true;

        memset(value, 'v', sizeof(value) - 1);
        value[sizeof(value) - 1] = '\0';
        ckpt_frames = 50; /* for a log that begins again within a few hundred commits */
        ckpt_frames_max = 400;
        for (tx = 0; tx < 2000 && written && restarts < 2; tx++) {
            written = db_tx_begin(one) == 0;
            for (int k = 0; k < 20 && written; k++) {
                struct db_param q[3];

                snprintf(key, sizeof(key), "ckpt%d", (tx * 20 + k) % 3000);
                q[0] = DB_TEXTC(key);
                q[1] = DB_TEXTC(value);
                q[2] = DB_INT(tx);
                written = db_exec(one, STMT_TEST_SETTING_PUT_RETURNING, q, 3, NULL) == 0;
            }
            written = db_tx_end(one, written ? 0 : E_DB) == 0 && written;
            restarts += w->ckpt_seen < last;
            last = w->ckpt_seen;
            most = last > most ? last : most;
        }
        ok(written, "sqlite writer: transactions of 20 writes of a page or so");
        ok(w->ckpt_running, "sqlite writer: its checkpointer runs");
        ckpt_frames = CKPT_FRAMES;
        ckpt_frames_max = CKPT_FRAMES_MAX;
        if (restarts < 2)
            printf("#   the log grew to %d frames in %d transactions\n", most, tx);
        ok(restarts == 2, "sqlite writer: the log began again, twice");
        ok(most <= 400 + 100, "sqlite writer: the log stayed bounded");
    }
    db_close(one);
    ok(w->refs == 1, "sqlite writer: kept while a connection uses it");
    db_close(two);
    for (left = writers; left && left != w; left = left->next)
        ;
    ok(!left, "sqlite writer: closed with the last connection");
    db_close(mem);
    arena_release(&a);
}

static void check_values(struct db *db, const char *be, struct arena *a)
{
    static const char weird[] = "tab\there \"dq\" 'sq' back\\slash \x01\x1f ctrl; "
                                "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80 end";
    static const char blob[] = {'a', 0, (char)0xff, (char)0x80, 'z', 0};
    struct db_param p[2];
    struct db_rows rows;
    struct str s;
    bool null = true;
    int64_t v;
    char what[128];

#define WHAT(x) (snprintf(what, sizeof(what), "%s: %s", be, (x)), what)
    p[0] = DB_TEXT(STR_LIT("a"));
    p[1] = DB_TEXT(STR_LIT("bc"));
    is_int(db_query(db, STMT_TEST_CONCAT, p, 2, &rows), 0, WHAT("concat $2 || $1"));
    is_int(db_next(&rows), 1, WHAT("concat row"));
    s = db_col_text(&rows, 0, a);
    db_rows_done(&rows);
    db_rows_done(&rows);
    is_mem(s.ptr, s.len, "bca", WHAT("$N bound by number, not position"));
    ok(s.ptr[s.len] == '\0', WHAT("text is NUL-terminated"));

    is_int(echo(db, DB_TEXT(str_make(weird, sizeof(weird) - 1)), a, &s, &null), 0,
           WHAT("echo utf-8"));
    ok(s.len == sizeof(weird) - 1 && memcmp(s.ptr, weird, s.len) == 0,
       WHAT("utf-8 and control bytes round trip"));
    ok(!null, WHAT("text is not null"));
    is_int(echo(db, DB_TEXT(str_make("abcdef", 3)), a, &s, &null), 0, WHAT("echo a prefix"));
    is_mem(s.ptr, s.len, "abc", WHAT("text bound with its length"));
    is_int(echo(db, DB_TEXT(STR_NULL), a, &s, &null), 0, WHAT("echo empty text"));
    ok(!null && s.len == 0 && s.ptr && s.ptr[0] == '\0', WHAT("empty text is not null"));
    is_int(echo(db, DB_NULL, a, &s, &null), 0, WHAT("echo null"));
    ok(null && s.len == 0 && s.ptr && s.ptr[0] == '\0', WHAT("null reads as null and empty"));
    is_int(echo(db, DB_TEXT(str_make("a\0b", 3)), a, &s, &null), E_INVAL,
           WHAT("text with NUL refused"));
    is_int(echo(db, DB_TEXT(str_make("a\xff", 2)), a, &s, &null), E_INVAL,
           WHAT("invalid utf-8 refused"));
    ok(strstr(db_errmsg(db), "UTF-8") != NULL, WHAT("invalid utf-8 explained"));

    p[0] = DB_BLOB(str_make(blob, sizeof(blob)));
    is_int(db_query(db, STMT_TEST_BLOB_ECHO, p, 1, &rows), 0, WHAT("blob echo"));
    is_int(db_next(&rows), 1, WHAT("blob row"));
    s = db_col_text(&rows, 0, a);
    db_rows_done(&rows);
    ok(s.len == sizeof(blob) && memcmp(s.ptr, blob, sizeof(blob)) == 0,
       WHAT("blob with NUL and high bytes round trips"));

    p[0] = DB_INT(INT64_MIN);
    is_int(db_query_int(db, STMT_TEST_ECHO, p, 1, &v), 0, WHAT("echo int64 min"));
    ok(v == INT64_MIN, WHAT("int64 min round trips"));
    p[0] = DB_INT(INT64_MAX);
    is_int(db_query_int(db, STMT_TEST_ECHO, p, 1, &v), 0, WHAT("echo int64 max"));
    ok(v == INT64_MAX, WHAT("int64 max round trips"));
    p[0] = DB_NULL;
    is_int(db_query_int(db, STMT_TEST_ECHO, p, 1, &v), E_NOTFOUND, WHAT("query_int of null"));
    is_int(db_query_int(db, STMT_TEST_NOTHING, NULL, 0, &v), E_NOTFOUND,
           WHAT("query_int without a row"));
    p[0] = DB_REAL(0.1);
    is_int(db_query(db, STMT_TEST_ECHO, p, 1, &rows), 0, WHAT("echo real"));
    is_int(db_next(&rows), 1, WHAT("real row"));
    ok(db_col_real(&rows, 0) == 0.1, WHAT("real round trips exactly"));
    db_rows_done(&rows);

    is_int(db_query(db, STMT_TEST_TYPES, NULL, 0, &rows), 0, WHAT("typed columns"));
    is_int(db_next(&rows), 1, WHAT("typed row"));
    is_int(db_col_int(&rows, 0), 42, WHAT("int column"));
    ok(db_col_real(&rows, 1) == 2.5, WHAT("real column"));
    s = db_col_text(&rows, 2, a);
    is_mem(s.ptr, s.len, "x", WHAT("text column"));
    ok(!db_col_null(&rows, 0) && db_col_null(&rows, 3), WHAT("null column"));
    s = db_col_text(&rows, 0, a);
    is_mem(s.ptr, s.len, "42", WHAT("int column read as text"));
    is_int(db_next(&rows), 0, WHAT("one row only"));
    is_int(db_next(&rows), 0, WHAT("end stays the end"));
    db_rows_done(&rows);

    is_int(db_query(db, STMT_TEST_NOTHING, NULL, 0, &rows), 0, WHAT("empty result"));
    is_int(db_next(&rows), 0, WHAT("empty result has no row"));
    db_rows_done(&rows);

    p[0] = DB_TEXT(STR_LIT("a"));
    is_int(db_query(db, STMT_TEST_CONCAT, p, 1, &rows), E_INVAL, WHAT("too few parameters"));
    db_rows_done(&rows);
    is_int(db_exec(db, STMT_TEST_CONCAT, NULL, 0, NULL), E_INVAL, WHAT("no parameters"));
    is_int(db_exec(db, STMT_TEST_BAD_SQL, NULL, 0, NULL), E_DB, WHAT("bad sql is E_DB"));
    ok(strstr(db_errmsg(db), "TEST_BAD_SQL") && one_line(db_errmsg(db)),
       WHAT("error names the statement on one line"));
    printf("#   %s\n", db_errmsg(db));
    is_int(db_ping(db), 0, WHAT("ping after errors"));
#undef WHAT
}

static void check_writes(struct db *db, struct db *db2, const char *be, struct arena *a)
{
    struct db_param p[3];
    struct str s;
    int64_t n = -1, count;
    char what[128];

#define WHAT(x) (snprintf(what, sizeof(what), "%s: %s", be, (x)), what)
    is_int(setting_put(db, "k1", "v1"), 0, WHAT("upsert inserts"));
    is_int(setting_get(db, "k1", a, &s), 0, WHAT("read back"));
    is_mem(s.ptr, s.len, "v1", WHAT("value stored"));
    is_int(setting_put(db, "k1", "v2"), 0, WHAT("upsert updates"));
    is_int(setting_get(db2, "k1", a, &s), 0, WHAT("second connection reads"));
    is_mem(s.ptr, s.len, "v2", WHAT("value updated, seen by another connection"));
    is_int(setting_get(db, "nope", a, &s), E_NOTFOUND, WHAT("missing key"));

    p[0] = DB_TEXTC("k1");
    p[1] = DB_TEXTC("dup");
    p[2] = DB_INT(1);
    is_int(db_exec(db, STMT_TEST_SETTING_INSERT, p, 3, &n), E_CONFLICT,
           WHAT("duplicate key is E_CONFLICT"));
    is_int(n, 0, WHAT("nothing changed on conflict"));
    p[1] = DB_NULL;
    p[0] = DB_TEXTC("k-null");
    is_int(db_exec(db, STMT_TEST_SETTING_INSERT, p, 3, NULL), E_CONFLICT,
           WHAT("NOT NULL violation is E_CONFLICT"));
    p[0] = DB_TEXTC("k1");
    is_int(db_exec(db, STMT_TEST_SETTING_DEL, p, 1, &n), 0, WHAT("delete"));
    is_int(n, 1, WHAT("delete counts one row"));
    is_int(db_exec(db, STMT_TEST_SETTING_DEL, p, 1, &n), 0, WHAT("delete again"));
    is_int(n, 0, WHAT("second delete counts none"));

    is_int(db_tx_begin(db), 0, WHAT("begin"));
    is_int(setting_put(db, "tx-rb", "x"), 0, WHAT("write in transaction"));
    is_int(setting_get(db, "tx-rb", a, &s), 0, WHAT("own write visible inside"));
    is_int(setting_get(db2, "tx-rb", a, &s), E_NOTFOUND, WHAT("uncommitted write hidden"));
    is_int(db_tx_rollback(db), 0, WHAT("rollback"));
    is_int(setting_get(db, "tx-rb", a, &s), E_NOTFOUND, WHAT("rollback discards"));

    is_int(db_tx_begin(db), 0, WHAT("begin again"));
    is_int(setting_put(db, "tx-ok", "kept"), 0, WHAT("write to commit"));
    is_int(setting_put(db, "tx-ok2", "kept"), 0, WHAT("second write to commit"));
    is_int(db_tx_commit(db), 0, WHAT("commit"));
    is_int(setting_get(db2, "tx-ok", a, &s), 0, WHAT("commit keeps"));
    is_mem(s.ptr, s.len, "kept", WHAT("committed value"));

    is_int(db_tx_begin(db), 0, WHAT("begin a failing transaction"));
    is_int(setting_put(db, "tx-fail", "lost"), 0, WHAT("write before the failure"));
    p[0] = DB_TEXTC("tx-ok");
    p[1] = DB_TEXTC("dup");
    p[2] = DB_INT(1);
    is_int(db_exec(db, STMT_TEST_SETTING_INSERT, p, 3, NULL), E_CONFLICT,
           WHAT("conflict inside a transaction"));
    ok(db_exec(db, STMT_PING, NULL, 0, NULL) < 0, WHAT("a failed transaction refuses more"));
    is_int(db_tx_commit(db), E_CONFLICT, WHAT("commit of a failed transaction fails"));
    is_int(setting_get(db, "tx-fail", a, &s), E_NOTFOUND, WHAT("failed transaction undone"));
    is_int(db_tx_begin(db), 0, WHAT("begin after a failed transaction"));
    is_int(db_tx_rollback(db), 0, WHAT("rollback after a failed transaction"));

    is_int(db_query_int(db, STMT_TEST_SETTINGS_COUNT, NULL, 0, &count), 0, WHAT("count"));
    is_int(count, 2, WHAT("two settings left"));
    {
        struct db_rows rows;
        int64_t seen = 0;

        is_int(db_query(db, STMT_SETTINGS_ALL, NULL, 0, &rows), 0, WHAT("list settings"));
        while (db_next(&rows) == 1) {
            s = db_col_text(&rows, 0, a);
            seen += str_eq_c(s, seen ? "tx-ok2" : "tx-ok");
        }
        db_rows_done(&rows);
        is_int(seen, 2, WHAT("settings listed in key order"));
    }
#undef WHAT
}

static void check_stats(struct db *db, const char *url, const char *be)
{
    struct db_stats s0, s1;
    struct db *other;
    int64_t v;
    char what[128];

#define WHAT(x) (snprintf(what, sizeof(what), "%s: %s", be, (x)), what)
    db_stats(&s0);
    is_int(db_query_int(db, STMT_PING, NULL, 0, &v), 0, WHAT("query for stats"));
    is_int(db_exec(db, STMT_PING, NULL, 0, NULL), 0, WHAT("exec for stats"));
    is_int(db_exec(db, STMT_TEST_BAD_SQL, NULL, 0, NULL), E_DB, WHAT("error for stats"));
    is_int(db_tx_begin(db), 0, WHAT("begin for stats"));
    is_int(db_tx_commit(db), 0, WHAT("commit for stats"));
    db_stats(&s1);
    is_int(s1.queries_total - s0.queries_total, 3, WHAT("stats: queries counted"));
    is_int(s1.errors_total - s0.errors_total, 1, WHAT("stats: errors counted"));
    is_int(s1.tx_total - s0.tx_total, 1, WHAT("stats: transactions counted"));
    other = open_ok(url, WHAT("open for stats"));
    db_stats(&s1);
    is_int(s1.connections_open - s0.connections_open, 1, WHAT("stats: connection open"));
    is_int(s1.connections_opened_total - s0.connections_opened_total, 1,
           WHAT("stats: connection opened"));
    db_close(other);
    db_stats(&s1);
    is_int(s1.connections_open, s0.connections_open, WHAT("stats: connection closed"));
#undef WHAT
}

static void check_migrate(struct db *db, const char *be)
{
    int latest = db_schema_latest(db_backend(db)), version = -1, applied = -1;
    struct db_param p[3];
    char err[256], want[32], what[128];

#define WHAT(x) (snprintf(what, sizeof(what), "%s: %s", be, (x)), what)
    is_int(db_schema_version(db, &version), 0, WHAT("version of an empty database"));
    is_int(version, 0, WHAT("empty database is version 0"));
    is_int(db_migrate(db, &applied, err, sizeof(err)), 0, WHAT("migrate"));
    if (err[0])
        printf("#   %s\n", err);
    is_int(applied, latest, WHAT("every migration applied"));
    is_int(db_schema_version(db, &version), 0, WHAT("version after migrate"));
    is_int(version, latest, WHAT("database at the latest version"));
    is_int(db_migrate(db, &applied, err, sizeof(err)), 0, WHAT("migrate again"));
    is_int(applied, 0, WHAT("second migrate applies nothing"));

    p[0] = DB_INT(latest + 1);
    p[1] = DB_TEXTC("from_the_future");
    p[2] = DB_INT(1700000000);
    is_int(db_exec(db, STMT_MIGRATIONS_INSERT, p, 3, NULL), 0, WHAT("pretend a newer schema"));
    is_int(db_migrate(db, &applied, err, sizeof(err)), E_CONFLICT, WHAT("newer database refused"));
    snprintf(want, sizeof(want), "version %d", latest + 1);
    ok(strstr(err, want) != NULL, WHAT("refusal names the database version"));
    snprintf(want, sizeof(want), "latest %d", latest);
    ok(strstr(err, want) != NULL, WHAT("refusal names the binary's version"));
    ok(one_line(err), WHAT("refusal on one line"));
    printf("#   %s\n", err);
    is_int(applied, 0, WHAT("nothing applied on refusal"));
    is_int(db_exec(db, STMT_TEST_MIGRATIONS_DELETE, p, 1, NULL), 0, WHAT("forget the future"));
    is_int(db_migrate(db, &applied, err, sizeof(err)), 0, WHAT("migrate accepted again"));
#undef WHAT
}

struct writer {
    const char *url;
    int id;
    int failures;
};

#define WRITERS     4
#define WRITES_EACH 50

static void *write_many(void *arg)
{
    struct writer *w = arg;
    char err[256], key[32];
    struct db *db = NULL;
    int i;

    if (db_open(&db, w->url, err, sizeof(err))) {
        w->failures = WRITES_EACH;
        return NULL;
    }
    for (i = 0; i < WRITES_EACH; i++) {
        snprintf(key, sizeof(key), "w%d-%d", w->id, i);
        if (i % 2 == 0) {
            if (setting_put(db, key, "x"))
                w->failures++;
            continue;
        }
        if (db_tx_begin(db)) {
            w->failures++;
            continue;
        }
        if (setting_put(db, key, "y") || db_tx_commit(db))
            w->failures++;
    }
    db_close(db);
    return NULL;
}

static void check_threads(struct db *db, const char *url, const char *be)
{
    struct writer w[WRITERS];
    pthread_t th[WRITERS];
    int64_t before = 0, after = 0;
    int i, failures = 0;
    char what[128];

    db_query_int(db, STMT_TEST_SETTINGS_COUNT, NULL, 0, &before);
    for (i = 0; i < WRITERS; i++) {
        w[i] = (struct writer){.url = url, .id = i};
        pthread_create(&th[i], NULL, write_many, &w[i]);
    }
    for (i = 0; i < WRITERS; i++) {
        pthread_join(th[i], NULL);
        failures += w[i].failures;
    }
    db_query_int(db, STMT_TEST_SETTINGS_COUNT, NULL, 0, &after);
    snprintf(what, sizeof(what), "%s: concurrent writers never fail", be);
    is_int(failures, 0, what);
    snprintf(what, sizeof(what), "%s: every concurrent write stored", be);
    is_int(after - before, WRITERS * WRITES_EACH, what);
}

static void check_pg_reconnect(struct db *db, struct db *db2)
{
    struct db_stats s0, s1;
    struct db_param p;
    int64_t pid = 0, v = 0;

    is_int(db_query_int(db, STMT_TEST_BACKEND_PID, NULL, 0, &pid), 0, "pg: backend pid");
    p = DB_INT(pid);
    is_int(db_query_int(db2, STMT_TEST_TERMINATE, &p, 1, &v), 0, "pg: terminate a session");
    is_int(v, 1, "pg: session terminated");
    db_stats(&s0);
    is_int(db_ping(db), 0, "pg: ping reconnects");
    db_stats(&s1);
    is_int(s1.reconnects_total - s0.reconnects_total, 1, "pg: reconnect counted");
    is_int(db_query_int(db, STMT_TEST_SETTINGS_COUNT, NULL, 0, &v), 0,
           "pg: statements prepared again after reconnect");

    is_int(db_query_int(db, STMT_TEST_BACKEND_PID, NULL, 0, &pid), 0, "pg: new backend pid");
    is_int(db_tx_begin(db), 0, "pg: begin before losing the connection");
    p = DB_INT(pid);
    is_int(db_query_int(db2, STMT_TEST_TERMINATE, &p, 1, &v), 0, "pg: terminate in a tx");
    is_int(setting_put(db, "lost", "x"), E_UNAVAIL, "pg: write in a lost transaction");
    is_int(db_tx_rollback(db), 0, "pg: rollback of a lost transaction");
    is_int(db_ping(db), 0, "pg: ping after a lost transaction");
    is_int(setting_put(db, "found", "x"), 0, "pg: write after reconnect");
    p = DB_TEXTC("found");
    is_int(db_exec(db, STMT_TEST_SETTING_DEL, &p, 1, NULL), 0, "pg: clean up");
}

/* Every check on one backend; the schema dump after migrating goes into dump. */
static void check_backend(const char *url, const char *be, struct arena *a, struct str *dump)
{
    struct db *db, *db2;
    char what[128];

    *dump = STR_NULL;
    snprintf(what, sizeof(what), "%s: open", be);
    db = open_ok(url, what);
    if (!db)
        return;
    snprintf(what, sizeof(what), "%s: open a second connection", be);
    db2 = open_ok(url, what);
    if (!db2) {
        db_close(db);
        return;
    }
    snprintf(what, sizeof(what), "%s: ping", be);
    is_int(db_ping(db), 0, what);
    if (db_backend(db) == DB_PG) {
        is_int(db_exec(db, STMT_TEST_DROP_SCHEMA, NULL, 0, NULL), 0, "pg: drop schema");
        is_int(db_exec(db, STMT_TEST_CREATE_SCHEMA, NULL, 0, NULL), 0, "pg: create schema");
    }
    check_migrate(db, be);
    check_values(db, be, a);
    check_writes(db, db2, be, a);
    check_stats(db, url, be);
    check_threads(db, url, be);
    if (db_backend(db) == DB_PG)
        check_pg_reconnect(db, db2);
    snprintf(what, sizeof(what), "%s: schema dump", be);
    is_int(db_schema_dump(db, a, dump), 0, what);
    snprintf(what, sizeof(what), "%s: dump shows instance_settings.key", be);
    ok(strstr(dump->ptr, "instance_settings.key text notnull\n") != NULL, what);
    snprintf(what, sizeof(what), "%s: dump shows schema_migrations.version", be);
    ok(strstr(dump->ptr, "schema_migrations.version int notnull\n") != NULL, what);
    db_close(db2);
    db_close(db);
}

int main(void)
{
    struct str dump_sqlite, dump_pg;
    const char *pg = getenv("PRAXIS_TEST_PG_URL");
    char url[256], cmd[300];
    struct arena a;

    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    arena_init(&a);
    check_urls();
    check_sqlite_setup();
    check_sqlite_lock();
    check_sqlite_writer();
    snprintf(url, sizeof(url), "sqlite:%s/praxis.db", tmpdir);
    check_backend(url, "sqlite", &a, &dump_sqlite);
    if (pg && *pg) {
        check_backend(pg, "pg", &a, &dump_pg);
        ok(dump_sqlite.len && str_eq(dump_sqlite, dump_pg),
           "sqlite and postgres schemas are the same");
        if (!str_eq(dump_sqlite, dump_pg))
            printf("# sqlite:\n%.*s# postgres:\n%.*s", (int)dump_sqlite.len, dump_sqlite.ptr,
                   (int)dump_pg.len, dump_pg.ptr);
    } else {
        printf("# PRAXIS_TEST_PG_URL not set: PostgreSQL checks skipped\n");
    }
    arena_release(&a);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmpdir);
    return tap_done();
}
