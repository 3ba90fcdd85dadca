/*
 * A thin VFS over SQLite's own ("unix"), for three things. The second, a
 * memory map kept across other connections' commits, is at v_unfetch();
 * the third, shared-memory locks kept by the process, at v_shm_lock().
 *
 * The first: a commit writes every page it changed to the write-ahead log
 * as a frame, a 24-byte header and the page, and SQLite writes each header
 * and each page with a pwrite() of its own. A post changes some thirty
 * pages, and on a virtual machine a system call costs more than copying a
 * page, so here the log's writes are held back while each follows the one
 * before, and a transaction's frames go out in one call.
 *
 * Only the log's writes are held, and only a run of them at consecutive
 * offsets, and at most RUN_MAX bytes. The run is written when a commit's
 * last frame has joined it (its header carries the database's size, where
 * other frames' carry 0), when a write does not follow it, and before any
 * other call on the log (a read, a sync, a size, a lock, a truncation,
 * closing): SQLite reading back a frame it spilled mid-transaction finds
 * it in the file. A failed write fails the call that made it, which fails
 * the transaction, as a failed write of one frame would have. No other
 * connection can see a frame before its commit is published in the shared
 * index, which SQLite does after the commit's last write returns (or, for
 * synchronous=FULL, after the sync that follows it): by then nothing is
 * held.
 */
#include "db/sqlite_vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FRAME_HEADER 24 /* WAL_FRAME_HDRSIZE in SQLite's wal.c */
/*
 * The most held: SQLite's unix VFS writes at most 0x1ffff bytes in one call
 * (it masks the length with that, in seekAndWriteFd()), and a longer one
 * would come out short, as a full disk. Some 30 frames of 4 KiB pages.
 */
#define RUN_MAX ((size_t)0x1ffff)

struct vfile {
    sqlite3_file base; /* base.pMethods: ours */
    sqlite3_file *real;
    bool wal;
    sqlite3_int64 map_size; /* the file's size when its memory map was last let go */
    unsigned char *run;     /* log writes held back, for one write at run_at */
    size_t run_len, run_cap;
    sqlite3_int64 run_at;
    bool commit_next;  /* the last header written is a commit's: write the run with its page */
    struct vfile *log; /* a database's: its log, while open */
    struct vfile *db;  /* a log's: its database */
    const char *name;  /* a database's path, as SQLite opened it */
    struct shm *shm;   /* a database's shared-memory locks, once it has mapped the index */
    unsigned shm_shared, shm_excl; /* the slots this connection holds, a bit each */
};

static sqlite3_vfs vfs;
static sqlite3_vfs *base_vfs;

static void shm_detach(struct vfile *f);

static const sqlite3_io_methods *methods(struct vfile *f)
{
    return f->real->pMethods;
}

/* Write what is held, in one call. */
static int flush(struct vfile *f)
{
    int rc;

    if (!f->run_len)
        return SQLITE_OK;
    rc = methods(f)->xWrite(f->real, f->run, (int)f->run_len, f->run_at);
    f->run_len = 0;
    return rc;
}

static int v_close(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f), rc2;

    shm_detach(f); /* SQLite lets go of the index first; this is in case it has not */
    rc2 = methods(f)->xClose(f->real);

    if (f->db && f->db->log == f)
        f->db->log = NULL;
    if (f->log && f->log->db == f)
        f->log->db = NULL;

    free(f->run);
    f->run = NULL;
    f->run_cap = 0;
    return rc != SQLITE_OK ? rc : rc2;
}

static int v_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : methods(f)->xRead(f->real, buf, amt, off);
}

/* Make room for n more held bytes; false when that would pass RUN_MAX or memory fails. */
static bool run_room(struct vfile *f, size_t n)
{
    size_t cap;
    unsigned char *p;

    if (n > RUN_MAX - f->run_len)
        return false;
    if (f->run_len + n <= f->run_cap)
        return true;
    cap = f->run_cap ? f->run_cap : (size_t)64 * 1024;
    while (cap < f->run_len + n)
        cap *= 2;
    if (cap > RUN_MAX)
        cap = RUN_MAX;
    p = realloc(f->run, cap);
    if (!p)
        return false;
    f->run = p;
    f->run_cap = cap;
    return true;
}

static int v_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
    struct vfile *f = (struct vfile *)file;
    bool commit_page = f->commit_next; /* whether this is a commit's last page */
    int rc;

    /* Held only when the end of a write transaction can be seen (v_shm_lock()). */
    if (!f->wal || !f->db || amt <= 0)
        return methods(f)->xWrite(f->real, buf, amt, off);
    f->commit_next = false;
    if (amt == FRAME_HEADER) {
        const unsigned char *h = buf;

        /* Bytes 4..7: the database's size in pages after a commit, 0 in other frames. */
        f->commit_next = (h[4] | h[5] | h[6] | h[7]) != 0;
    }
    if (f->run_len && off != f->run_at + (sqlite3_int64)f->run_len) {
        rc = flush(f);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (!run_room(f, (size_t)amt)) {
        rc = flush(f);
        if (rc != SQLITE_OK)
            return rc;
        if (!run_room(f, (size_t)amt))
            return methods(f)->xWrite(f->real, buf, amt, off);
    }
    if (!f->run_len)
        f->run_at = off;
    memcpy(f->run + f->run_len, buf, (size_t)amt);
    f->run_len += (size_t)amt;
    return commit_page ? flush(f) : SQLITE_OK;
}

/* The other methods: what is held goes first, then SQLite's own. */
#define FLUSHED(f, call)                        \
    do {                                        \
        int rc_ = flush(f);                     \
        return rc_ != SQLITE_OK ? rc_ : (call); \
    } while (0)

static int v_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    struct vfile *f = (struct vfile *)file;

    FLUSHED(f, methods(f)->xTruncate(f->real, size));
}

static int v_sync(sqlite3_file *file, int flags)
{
    struct vfile *f = (struct vfile *)file;

    FLUSHED(f, methods(f)->xSync(f->real, flags));
}

static int v_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    struct vfile *f = (struct vfile *)file;

    FLUSHED(f, methods(f)->xFileSize(f->real, size));
}

static int v_lock(sqlite3_file *file, int level)
{
    struct vfile *f = (struct vfile *)file;

    FLUSHED(f, methods(f)->xLock(f->real, level));
}

static int v_unlock(sqlite3_file *file, int level)
{
    struct vfile *f = (struct vfile *)file;

    FLUSHED(f, methods(f)->xUnlock(f->real, level));
}

static int v_check_reserved(sqlite3_file *file, int *out)
{
    struct vfile *f = (struct vfile *)file;

    FLUSHED(f, methods(f)->xCheckReservedLock(f->real, out));
}

static int v_file_control(sqlite3_file *file, int op, void *arg)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);

    if (rc == SQLITE_OK)
        rc = methods(f)->xFileControl(f->real, op, arg);
    /* A shim names itself before the VFS it is built on: "praxis/unix". */
    if (rc == SQLITE_OK && op == SQLITE_FCNTL_VFSNAME && *(char **)arg)
        *(char **)arg = sqlite3_mprintf("%s/%z", SQLITE_VFS_NAME, *(char **)arg);
    return rc;
}

static int v_sector_size(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;

    return methods(f)->xSectorSize(f->real);
}

static int v_device(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;

    return methods(f)->xDeviceCharacteristics(f->real);
}

/*
 * Shared-memory locks, kept by the process.
 *
 * A reader of a WAL database holds a shared lock on one of the index's
 * read slots for the length of each read transaction. SQLite's unix VFS
 * takes it with fcntl() whenever no other connection of the process holds
 * that slot, lets it go the same way, and makes the system call under a
 * mutex of the file's that every connection of the process takes for every
 * lock: with two threads serving pages, most requests paid two fcntl() calls
 * and one in three slept on that mutex while the other thread was in the
 * kernel.
 *
 * Here the process keeps the locks itself, for every connection it opens
 * through this VFS (SQLite's own default, once registered): one struct shm
 * per database file, shared by its connections, counts who holds each slot
 * and answers them as SQLite's unix VFS would, under a mutex that guards
 * only a few counts. The system's locks, which other processes see, are
 * taken on the same bytes of the -shm file as SQLite's, through a
 * descriptor of our own; POSIX locks belong to the process, whichever
 * descriptor took them. A read slot's shared lock is kept at the system
 * level when the process's last reader lets go of it, so the next reader
 * takes it with no system call. That is safe: a process holding a read
 * lock it does not use only keeps other processes from moving that slot's
 * mark, from checkpointing past it and from starting the log again, as
 * one of its readers would; its own connections are checked against the
 * counts, and a connection of the process taking a slot exclusively (a
 * checkpoint, a new mark) turns the kept lock into a write lock, and lets
 * it go after. While praxis serves, its checkpointer is the one that
 * checkpoints: another process's checkpoint stops at the marks of the
 * slots praxis has used.
 *
 * The -shm file's descriptor stays open while any connection of the
 * process has the index mapped, which is as long as SQLite's own: closing
 * any descriptor of a file drops all the process's locks on it, SQLite's
 * included. A file whose -shm cannot be opened for writing (read-only)
 * keeps SQLite's own locks, for all its connections.
 */

#define SHM_LOCK_BASE 120 /* UNIX_SHM_BASE in SQLite's os_unix.c: where the lock bytes start */
#define SHM_READ_SLOT 3   /* WAL_READ_LOCK(0) in wal.c: slots 3 to 7 are the read slots */

struct shm {
    dev_t dev; /* the database file's */
    ino_t ino;
    int fd;    /* the -shm file, for fcntl(); -1: SQLite's own locks */
    int users; /* connections with the index mapped */
    pthread_mutex_t mutex;
    int shared[SQLITE_SHM_NLOCK]; /* connections holding each slot shared */
    unsigned excl;                /* slots a connection holds exclusively */
    unsigned kept;                /* slots the process holds read-locked at the system level */
    struct shm *next;
};

static struct {
    pthread_mutex_t mutex;
    struct shm *list;
    unsigned long system_calls; /* fcntl() locks taken or let go, for tests */
} shms = {.mutex = PTHREAD_MUTEX_INITIALIZER};

/* The system's lock of type on the slots in bits, one call a run of them. */
static int shm_system_lock(struct shm *s, short type, unsigned bits)
{
    for (int i = 0; i < SQLITE_SHM_NLOCK;) {
        struct flock l = {.l_type = type, .l_whence = SEEK_SET};
        int rc, n = 0;

        if (!(bits & (1u << i))) {
            i++;
            continue;
        }
        while (i + n < SQLITE_SHM_NLOCK && (bits & (1u << (i + n))))
            n++;
        l.l_start = SHM_LOCK_BASE + i;
        l.l_len = n;
        do
            rc = fcntl(s->fd, F_SETLK, &l);
        while (rc < 0 && errno == EINTR);
        __atomic_add_fetch(&shms.system_calls, 1, __ATOMIC_RELAXED);
        if (rc < 0)
            return SQLITE_BUSY; /* as SQLite's: another process holds it */
        i += n;
    }
    return SQLITE_OK;
}

/*
 * After the index is mapped: the file's struct shm, shared with the
 * process's other connections. False when there is none to be had: the
 * connection must not lock the index by SQLite's counts while the others
 * lock it by ours.
 */
static bool shm_attach(struct vfile *f)
{
    struct stat st;
    struct shm *s;

    if (!f->name || stat(f->name, &st) != 0)
        return false;
    pthread_mutex_lock(&shms.mutex);
    for (s = shms.list; s && (s->dev != st.st_dev || s->ino != st.st_ino); s = s->next)
        ;
    if (!s && (s = calloc(1, sizeof(*s))) != NULL) {
        char *path = sqlite3_mprintf("%s-shm", f->name);

        s->dev = st.st_dev;
        s->ino = st.st_ino;
        s->fd = path ? open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW) : -1;
        sqlite3_free(path);
        pthread_mutex_init(&s->mutex, NULL);
        s->next = shms.list;
        shms.list = s;
    }
    if (s) {
        s->users++;
        f->shm = s;
    }
    pthread_mutex_unlock(&shms.mutex);
    return s != NULL;
}

static int v_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
    struct vfile *f = (struct vfile *)file;
    int rc = methods(f)->xShmMap(f->real, page, size, extend, out);

    if (!f->shm && (rc == SQLITE_OK || rc == SQLITE_READONLY) && !shm_attach(f)) {
        /*
         * SQLite's index is let go again: a connection it counts and ours
         * does not would outlive our descriptor, whose closing drops every
         * lock of the process on the file, SQLite's own included.
         */
        methods(f)->xShmUnmap(f->real, 0);
        return SQLITE_IOERR_SHMMAP;
    }
    return rc;
}

/* A lock as SQLite's unix VFS answers it, from the process's counts. */
static int shm_lock(struct vfile *f, int offset, int n, int flags)
{
    struct shm *s = f->shm;
    unsigned mask = ((1u << n) - 1) << offset, drop = 0;
    int rc = SQLITE_OK;

    pthread_mutex_lock(&s->mutex);
    if (flags & SQLITE_SHM_UNLOCK) {
        unsigned excl = f->shm_excl & mask;

        for (int i = offset; i < offset + n; i++) {
            if (!(f->shm_shared & (1u << i)) || --s->shared[i] > 0)
                continue;
            if (i < SHM_READ_SLOT) /* not a read slot: let go at once */
                drop |= 1u << i;
        }
        if (excl | drop)
            rc = shm_system_lock(s, F_UNLCK, excl | drop);
        s->kept &= ~(excl | drop);
        s->excl &= ~excl;
        f->shm_shared &= ~mask;
        f->shm_excl &= ~mask;
    } else if (flags & SQLITE_SHM_SHARED) {
        if (s->excl & mask)
            rc = SQLITE_BUSY;
        else if (!(f->shm_shared & mask)) {
            if (!(s->kept & mask))
                rc = shm_system_lock(s, F_RDLCK, mask);
            if (rc == SQLITE_OK) {
                s->kept |= mask;
                s->shared[offset]++;
                f->shm_shared |= mask;
            }
        }
    } else {
        for (int i = offset; i < offset + n && rc == SQLITE_OK; i++)
            if (s->shared[i] > 0 || (s->excl & (1u << i)))
                rc = SQLITE_BUSY;
        /* A kept read lock becomes a write lock, or stays as it was when another process reads. */
        if (rc == SQLITE_OK)
            rc = shm_system_lock(s, F_WRLCK, mask);
        if (rc == SQLITE_OK) {
            s->kept &= ~mask;
            s->excl |= mask;
            f->shm_excl |= mask;
        }
    }
    pthread_mutex_unlock(&s->mutex);
    return rc;
}

/* When the index is let go: what the connection still holds is let go, and the last closes the
 * file. */
static void shm_detach(struct vfile *f)
{
    struct shm *s = f->shm, **at;

    if (!s)
        return;
    if (s->fd >= 0)
        shm_lock(f, 0, SQLITE_SHM_NLOCK, SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE);
    f->shm = NULL;
    pthread_mutex_lock(&shms.mutex);
    if (--s->users == 0) {
        for (at = &shms.list; *at != s; at = &(*at)->next)
            ;
        *at = s->next;
        if (s->fd >= 0)
            close(s->fd);
        pthread_mutex_destroy(&s->mutex);
        free(s);
    }
    pthread_mutex_unlock(&shms.mutex);
}

/*
 * A database's shared-memory locks: a write transaction ends by letting go
 * of the write lock, and whatever its log still holds is written first. A
 * committed transaction left nothing; one rolled back may leave frames it
 * spilled, past the log's end, which must not reach the file after another
 * writer has put its own frames there.
 */
static int v_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    struct vfile *f = (struct vfile *)file;

    if (f->log && (flags & SQLITE_SHM_UNLOCK)) {
        int rc = flush(f->log);

        if (rc != SQLITE_OK)
            return rc;
    }
    if (f->shm && f->shm->fd >= 0)
        return shm_lock(f, offset, n, flags);
    return methods(f)->xShmLock(f->real, offset, n, flags);
}

static void v_shm_barrier(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;

    /* SQLite's also takes and lets go of a mutex of the whole process's: the fence is what counts.
     */
    if (f->shm && f->shm->fd >= 0)
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    else
        methods(f)->xShmBarrier(f->real);
}

static int v_shm_unmap(sqlite3_file *file, int delete_flag)
{
    struct vfile *f = (struct vfile *)file;
    int rc = methods(f)->xShmUnmap(f->real, delete_flag);

    shm_detach(f);
    return rc;
}

unsigned long sqlite_vfs_shm_system_calls(void)
{
    return __atomic_load_n(&shms.system_calls, __ATOMIC_RELAXED);
}

static int v_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **out)
{
    struct vfile *f = (struct vfile *)file;

    FLUSHED(f, methods(f)->xFetch(f->real, off, amt, out));
}

/*
 * SQLite lets go of a database's whole memory map (off 0, p NULL) whenever
 * another connection has committed since this one last read: in WAL mode,
 * after every write, every connection unmaps the file and faults its pages
 * in again, and with a map of a gigabyte or two the unmapping alone (page
 * tables torn down, TLBs flushed on every core) costs more than a post. The
 * pages through the map are the file's own (MAP_SHARED), which is what a
 * read() would give, and a connection reads through it only pages older
 * than its snapshot that the log does not hold, which a checkpoint never
 * overwrites under a reader; SQLite unmaps for a file another process cut
 * short. So the map is kept unless the file is now shorter than when it was
 * made, or has grown by an eighth, when a new map covers the new pages.
 */
static int v_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    struct vfile *f = (struct vfile *)file;
    sqlite3_int64 size;

    if (off == 0 && !p && methods(f)->xFileSize(f->real, &size) == SQLITE_OK &&
        size >= f->map_size && size <= f->map_size + f->map_size / 8)
        return SQLITE_OK;
    if (off == 0 && !p && methods(f)->xFileSize(f->real, &size) == SQLITE_OK)
        f->map_size = size;
    return methods(f)->xUnfetch(f->real, off, p);
}

/* For a file of SQLite's whose methods are of version 1 or 2: without shared memory and mmap. */
static const sqlite3_io_methods io_methods_v1 = {
    .iVersion = 1,
    .xClose = v_close,
    .xRead = v_read,
    .xWrite = v_write,
    .xTruncate = v_truncate,
    .xSync = v_sync,
    .xFileSize = v_file_size,
    .xLock = v_lock,
    .xUnlock = v_unlock,
    .xCheckReservedLock = v_check_reserved,
    .xFileControl = v_file_control,
    .xSectorSize = v_sector_size,
    .xDeviceCharacteristics = v_device,
};

static const sqlite3_io_methods io_methods = {
    .iVersion = 3,
    .xClose = v_close,
    .xRead = v_read,
    .xWrite = v_write,
    .xTruncate = v_truncate,
    .xSync = v_sync,
    .xFileSize = v_file_size,
    .xLock = v_lock,
    .xUnlock = v_unlock,
    .xCheckReservedLock = v_check_reserved,
    .xFileControl = v_file_control,
    .xSectorSize = v_sector_size,
    .xDeviceCharacteristics = v_device,
    .xShmMap = v_shm_map,
    .xShmLock = v_shm_lock,
    .xShmBarrier = v_shm_barrier,
    .xShmUnmap = v_shm_unmap,
    .xFetch = v_fetch,
    .xUnfetch = v_unfetch,
};

static int v_open(sqlite3_vfs *self, const char *name, sqlite3_file *file, int flags,
                  int *out_flags)
{
    struct vfile *f = (struct vfile *)file;
    int rc;

    (void)self;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || !f->real->pMethods) {
        /* SQLite calls xClose only on a file whose pMethods is set: leave ours unset. */
        if (f->real->pMethods)
            f->real->pMethods->xClose(f->real);
        f->base.pMethods = NULL;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    f->wal = (flags & SQLITE_OPEN_WAL) != 0;
    if (flags & SQLITE_OPEN_MAIN_DB)
        f->name = name;
    f->base.pMethods = f->real->pMethods->iVersion >= 3 ? &io_methods : &io_methods_v1;
    if (f->wal) {
        /* The database SQLite opened this log for: its file object is one of ours. */
        sqlite3_file *db = sqlite3_database_file_object(name);

        if (db && db->pMethods && (db->pMethods == &io_methods || db->pMethods == &io_methods_v1)) {
            f->db = (struct vfile *)db;
            f->db->log = f;
        }
    }
    return SQLITE_OK;
}

/* The rest of the VFS is SQLite's own, called through. */
static int v_delete(sqlite3_vfs *self, const char *name, int sync_dir)
{
    (void)self;
    return base_vfs->xDelete(base_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *self, const char *name, int flags, int *out)
{
    (void)self;
    return base_vfs->xAccess(base_vfs, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *self, const char *name, int n, char *out)
{
    (void)self;
    return base_vfs->xFullPathname(base_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *self, const char *name)
{
    (void)self;
    return base_vfs->xDlOpen(base_vfs, name);
}

static void v_dlerror(sqlite3_vfs *self, int n, char *out)
{
    (void)self;
    base_vfs->xDlError(base_vfs, n, out);
}

static void (*v_dlsym(sqlite3_vfs *self, void *h, const char *sym))(void)
{
    (void)self;
    return base_vfs->xDlSym(base_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *self, void *h)
{
    (void)self;
    base_vfs->xDlClose(base_vfs, h);
}

static int v_randomness(sqlite3_vfs *self, int n, char *out)
{
    (void)self;
    return base_vfs->xRandomness(base_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *self, int us)
{
    (void)self;
    return base_vfs->xSleep(base_vfs, us);
}

static int v_current_time(sqlite3_vfs *self, double *out)
{
    (void)self;
    return base_vfs->xCurrentTime(base_vfs, out);
}

static int v_last_error(sqlite3_vfs *self, int n, char *out)
{
    (void)self;
    return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}

static int v_current_time64(sqlite3_vfs *self, sqlite3_int64 *out)
{
    (void)self;
    return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

int sqlite_vfs_register(void)
{
    base_vfs = sqlite3_vfs_find("unix");
    if (!base_vfs || base_vfs->iVersion < 2 || !base_vfs->xCurrentTimeInt64)
        return SQLITE_ERROR;
    vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct vfile) + base_vfs->szOsFile,
        .mxPathname = base_vfs->mxPathname,
        .zName = SQLITE_VFS_NAME,
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full_pathname,
        .xDlOpen = v_dlopen,
        .xDlError = v_dlerror,
        .xDlSym = v_dlsym,
        .xDlClose = v_dlclose,
        .xRandomness = v_randomness,
        .xSleep = v_sleep,
        .xCurrentTime = v_current_time,
        .xGetLastError = v_last_error,
        .xCurrentTimeInt64 = v_current_time64,
    };
    /*
     * The default, so that every connection of the process to a file goes
     * through it: its shared-memory locks are counted here, and a
     * connection through SQLite's own VFS would not see them.
     */
    return sqlite3_vfs_register(&vfs, 1);
}
