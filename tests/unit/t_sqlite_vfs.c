/*
 * The VFS that writes a log frame's header and page in one call and keeps
 * a database's memory map across other connections' commits
 * (db/sqlite_vfs.c): databases opened through it stay whole, and readers
 * through the map see every commit. A writer commits while a second
 * connection, reading through a memory map, reads after each commit and
 * after checkpoints; a transaction larger than the page cache spills frames
 * to the log and reads them back mid-way; the file grows well past its map
 * and shrinks under VACUUM while the reader keeps reading; the database is
 * reopened with SQLite's own VFS and checked.
 *
 * Its shared-memory locks are the process's: readers take and let go of
 * their read slots with no system call once the process holds them; a
 * reader still keeps a checkpoint from starting the log again over it, and
 * nothing does once it has gone; another process, through SQLite's own VFS,
 * sees the process's read lock, and writes and reads beside it.
 */
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/sqlite_vfs.h"
#include "tap.h"

#define WAL_HEADER   32 /* bytes, then a 24-byte header and a page for each frame */
#define FRAME_HEADER 24

static char dir[] = "/tmp/t_sqlite_vfs.XXXXXX";
static int log_frames; /* frames in the log after the last commit, from the WAL hook */

static int count_frames(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)arg;
    (void)db;
    (void)name;
    log_frames = frames;
    return SQLITE_OK;
}

static sqlite3 *open_db(const char *path, const char *vfs)
{
    sqlite3 *db = NULL;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) != SQLITE_OK) {
        printf("# open %s: %s\n", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK)
        printf("# %s: %s\n", sql, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

/* The first column of the first row, as an integer (-1 on error). */
static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;

    snprintf(out, n, "(none)");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/*
 * The other process (this program, run as "t_sqlite_vfs other PATH"),
 * through SQLite's own VFS: it finds a read slot's lock held by the first
 * process, which has no read transaction open, then writes a row at a time
 * and reads each back while the first process reads and writes. Its exit
 * status: 0, or the number of the step that failed.
 */
static int other_process(const char *path)
{
    char shm[160];
    int fd, held = 0;
    sqlite3 *db;
    sqlite3_stmt *insert = NULL;

    snprintf(shm, sizeof(shm), "%s-shm", path);
    fd = open(shm, O_RDWR);
    if (fd < 0)
        return 1;
    for (int slot = 3; slot < 8;
         slot++) { /* the read slots' bytes, as SQLite's unix VFS has them */
        struct flock l = {
            .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 120 + slot, .l_len = 1};

        if (fcntl(fd, F_GETLK, &l) == 0 && l.l_type == F_RDLCK && l.l_pid == getppid())
            held++;
    }
    close(fd);
    if (!held)
        return 2;
    db = open_db(path, "unix");
    if (!db || exec(db, "PRAGMA synchronous = NORMAL") != SQLITE_OK)
        return 3;
    if (sqlite3_prepare_v2(db, "INSERT INTO other (n) VALUES (?1)", -1, &insert, NULL) != SQLITE_OK)
        return 4;
    for (int i = 1; i <= 200; i++) {
        sqlite3_bind_int(insert, 1, i);
        if (sqlite3_step(insert) != SQLITE_DONE || sqlite3_reset(insert) != SQLITE_OK)
            return 4;
        if (one(db, "SELECT max(n) FROM other") != i)
            return 5;
    }
    sqlite3_finalize(insert);
    /* A checkpoint may not get past the first process's slots, but it fails nothing. */
    if (exec(db, "PRAGMA wal_checkpoint(PASSIVE)") != SQLITE_OK)
        return 6;
    sqlite3_close(db);
    return 0;
}

/* The shared-memory locks: counted by the process, held for it at the system level. */
static void shm_locks(void)
{
    char path[128], buf[64], *vfs_name = NULL, name[] = "t_sqlite_vfs", other[] = "other";
    char *argv[4];
    sqlite3 *a, *b, *c;
    unsigned long calls;
    long long last = 0, mine = 0, loops = 0;
    bool steady = true, seen = true;
    pid_t pid;
    int status = -1;

    snprintf(path, sizeof(path), "%s/locks.db", dir);
    a = open_db(path, NULL);
    b = open_db(path, NULL);
    c = open_db(path, NULL);
    if (!ok(a && b && c, "three connections, through the default VFS"))
        return;
    sqlite3_file_control(a, "main", SQLITE_FCNTL_VFSNAME, &vfs_name);
    ok(vfs_name && strstr(vfs_name, SQLITE_VFS_NAME), "which is ours");
    sqlite3_free(vfs_name);
    ok(exec(a, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
               "PRAGMA wal_autocheckpoint = 0; CREATE TABLE mine (n INTEGER); "
               "CREATE TABLE other (n INTEGER); INSERT INTO mine VALUES (0)") == SQLITE_OK,
       "tables in WAL mode");

    /* Readers come and go on the slots the process holds: no system call. */
    one(b, "SELECT count(*) FROM mine");
    one(c, "SELECT count(*) FROM mine");
    calls = sqlite_vfs_shm_system_calls();
    for (int i = 0; i < 200; i++)
        if (one(i % 2 ? b : c, "SELECT count(*) FROM mine") != 1)
            steady = false;
    ok(steady, "200 read transactions read the table");
    is_int((long long)(sqlite_vfs_shm_system_calls() - calls), 0,
           "and take their locks with no system call");

    /* A reader on an older snapshot keeps the log from starting again under it. */
    ok(exec(b, "BEGIN") == SQLITE_OK && one(b, "SELECT count(*) FROM mine") == 1,
       "a reader holds a snapshot");
    ok(exec(a, "INSERT INTO mine VALUES (1)") == SQLITE_OK, "a commit after it");
    sqlite3_busy_timeout(a, 0);
    is_int(one(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 1,
           "a checkpoint cannot start the log again under the reader");
    ok(exec(b, "COMMIT") == SQLITE_OK, "the reader ends");
    is_int(one(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0,
           "then it can, over the slots the process still holds");
    sqlite3_busy_timeout(a, 5000);

    /*
     * Another process writes a row at a time through SQLite's own VFS while
     * this one reads, and writes now and then; each sees the other's rows.
     */
    argv[0] = name;
    argv[1] = other;
    argv[2] = path;
    argv[3] = NULL;
    if (!ok(posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, NULL) == 0, "another process"))
        return;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        long long n = one(b, "SELECT count(*) FROM other");

        if (n < last)
            seen = false;
        last = n;
        /* Now and then: a writer that never pauses would starve the other's (SQLite's busy wait).
         */
        if (++loops % 4 == 0) {
            if (exec(c, "INSERT INTO mine VALUES (2)") != SQLITE_OK)
                seen = false;
            mine++;
        }
        usleep(500);
    }
    is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0,
           "it found a read slot held by this process, wrote and read its rows");
    ok(seen, "this process read the other's rows as they came, and wrote its own");
    is_int(one(b, "SELECT count(*) FROM other"), 200, "all the other's rows are here");
    is_int(one(a, "SELECT count(*) FROM mine WHERE n = 2"), mine, "and all of this one's");
    is_str(text(c, "PRAGMA integrity_check", buf, sizeof(buf)), "ok", "whole");
    ok(exec(a, "PRAGMA wal_checkpoint(TRUNCATE)") == SQLITE_OK &&
           one(a, "PRAGMA wal_checkpoint(TRUNCATE)") == 0,
       "checkpointed and the log started again, the other process gone");
    sqlite3_close(a);
    sqlite3_close(b);
    sqlite3_close(c);
}

int main(int argc, char **argv)
{
    char path[128], wal[140], buf[64], *vfs_name = NULL;
    struct stat st;
    sqlite3 *w, *w2, *r;
    bool seen = true;

    if (argc == 3 && strcmp(argv[1], "other") == 0)
        return other_process(argv[2]);
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/v.db", dir);
    is_int(sqlite_vfs_register(), SQLITE_OK, "the VFS registers");
    w = open_db(path, SQLITE_VFS_NAME);
    r = open_db(path, SQLITE_VFS_NAME);
    if (!ok(w && r, "two connections open through it"))
        return tap_done();
    sqlite3_file_control(w, "main", SQLITE_FCNTL_VFSNAME, &vfs_name);
    ok(vfs_name && strstr(vfs_name, SQLITE_VFS_NAME), "the connection goes through it");
    sqlite3_free(vfs_name);
    ok(exec(r, "PRAGMA mmap_size = 268435456") == SQLITE_OK, "the reader reads through a map");
    /* synchronous = NORMAL, as praxis has it: a commit is not followed by a sync. */
    ok(exec(w, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
               "PRAGMA wal_autocheckpoint = 0; "
               "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL); "
               "CREATE INDEX t_body ON t (body)") == SQLITE_OK,
       "a table in WAL mode");

    /* Commits, each seen whole by the other connection at once. */
    for (int i = 1; i <= 50; i++) {
        char sql[200];

        snprintf(sql, sizeof(sql),
                 "BEGIN; INSERT INTO t (body) VALUES (printf('%%.*c', 900, 'a') || %d), "
                 "(printf('%%.*c', 900, 'b') || %d); COMMIT",
                 i, i);
        if (exec(w, sql) != SQLITE_OK || one(r, "SELECT count(*) FROM t") != 2LL * i)
            seen = false;
        /* Checkpoints move pages from the log into the file the reader has mapped. */
        if (i % 10 == 0 && (exec(w, "PRAGMA wal_checkpoint(PASSIVE)") != SQLITE_OK ||
                            one(r, "SELECT count(*) FROM t WHERE body LIKE 'b%'") != i))
            seen = false;
    }
    ok(seen, "each commit is read whole by another connection, through its map");

    /*
     * Commits of 1 to 90 pages: a transaction's frames are written in runs
     * of at most RUN_MAX bytes, so the commit's header or page falls on a
     * run's end in some of them; the other connection reads each at once.
     */
    ok(exec(w, "CREATE TABLE big (id INTEGER PRIMARY KEY, k INTEGER, body BLOB); "
               "PRAGMA wal_checkpoint(TRUNCATE)") == SQLITE_OK,
       "a table of pages, and an empty log");
    sqlite3_wal_hook(w, count_frames, NULL);
    snprintf(wal, sizeof(wal), "%s-wal", path);
    seen = true;
    for (int k = 1; k <= 90 && seen; k++) {
        char sql[200], check[64];

        snprintf(sql, sizeof(sql),
                 "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                 "WHERE i < %d) INSERT INTO big (k, body) SELECT %d, randomblob(3000) FROM n; "
                 "COMMIT",
                 k, k);
        if (exec(w, sql) != SQLITE_OK ||
            one(r, "SELECT count(*) FROM big WHERE k = (SELECT max(k) FROM big)") != k ||
            one(r, "SELECT count(*) FROM big WHERE length(body) = 3000") != k * (k + 1) / 2 ||
            strcmp(text(r, "PRAGMA quick_check", check, sizeof(check)), "ok") != 0) {
            printf("#   a commit of %d rows\n", k);
            seen = false;
        }
        /* Nothing of a commit is still held: the log holds every frame it counts. */
        if (stat(wal, &st) != 0 || st.st_size < WAL_HEADER + log_frames * (FRAME_HEADER + 4096)) {
            printf("#   after a commit of %d rows the log has %lld bytes, not %d frames\n", k,
                   (long long)st.st_size, log_frames);
            seen = false;
        }
    }
    sqlite3_wal_hook(w, NULL, NULL);
    ok(seen, "commits of 1 to 90 pages, each read whole by the other connection");
    is_str(text(r, "PRAGMA integrity_check", buf, sizeof(buf)), "ok", "whole, after them");
    ok(exec(w, "PRAGMA wal_checkpoint(TRUNCATE); DROP TABLE big") == SQLITE_OK,
       "checkpointed and dropped");

    /*
     * A transaction that spills frames to the log and is rolled back, then a
     * second writer's commits over the same stretch of the log: nothing the
     * first held back may reach the file after them.
     */
    w2 = open_db(path, SQLITE_VFS_NAME);
    ok(w2 && exec(w2, "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0") == SQLITE_OK,
       "a second writer");
    ok(exec(w, "PRAGMA cache_size = 10; BEGIN; "
               "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 500) "
               "INSERT INTO t (body) SELECT printf('%.*c', 3000, 'r') || k FROM n; ROLLBACK; "
               "PRAGMA cache_size = -2000") == SQLITE_OK,
       "a transaction that spills, rolled back");
    ok(exec(w2, "BEGIN; WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n "
                "WHERE k < 40) INSERT INTO t (body) SELECT printf('%.*c', 3000, 's') || k FROM n; "
                "COMMIT") == SQLITE_OK,
       "the second writer commits where its frames were");
    is_int((int)one(w, "SELECT count(*) FROM t WHERE body LIKE 's%'"), 40,
           "the first reads the second's rows");
    is_str(text(r, "PRAGMA integrity_check", buf, sizeof(buf)), "ok",
           "whole, after the first has used the log again");
    ok(exec(w2, "DELETE FROM t WHERE body LIKE 's%'") == SQLITE_OK, "those rows go");
    sqlite3_close(w2);

    /* A transaction larger than the cache: frames go to the log mid-way and are read back. */
    ok(exec(w, "PRAGMA cache_size = 10; BEGIN; "
               "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 2000) "
               "INSERT INTO t (body) SELECT printf('%.*c', 700, 'c') || k FROM n; "
               "UPDATE t SET body = body || 'x' WHERE id % 3 = 0; COMMIT") == SQLITE_OK,
       "a transaction that spills");
    is_int((int)one(r, "SELECT count(*) FROM t"), 2100, "all its rows are read");
    is_str(text(r, "PRAGMA integrity_check", buf, sizeof(buf)), "ok", "whole, before a checkpoint");
    ok(exec(w, "PRAGMA wal_checkpoint(TRUNCATE)") == SQLITE_OK, "the log is checkpointed");
    is_int((int)one(r, "SELECT sum(length(body)) > 0 FROM t WHERE id > 2000"), 1,
           "the reader reads the pages the file grew by");
    /* The file shrinks under the reader's map: VACUUM writes it anew, shorter. */
    ok(exec(w, "DELETE FROM t WHERE id % 2 = 0; VACUUM; PRAGMA wal_checkpoint(TRUNCATE)") ==
           SQLITE_OK,
       "half the rows go, and VACUUM shrinks the file");
    is_int((int)one(r, "SELECT count(*) FROM t"), 1050, "the reader sees the file as it is now");
    is_str(text(r, "PRAGMA integrity_check", buf, sizeof(buf)), "ok", "whole, after shrinking");
    sqlite3_close(w);
    sqlite3_close(r);

    /* SQLite's own VFS reads what it wrote. */
    r = open_db(path, "unix");
    is_str(text(r, "PRAGMA integrity_check", buf, sizeof(buf)), "ok",
           "whole, through SQLite's own VFS");
    is_int((int)one(r, "SELECT count(*) FROM t WHERE body LIKE '%x'"), 350, "the update is there");
    sqlite3_close(r);

    shm_locks();

    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    if (system(path) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
