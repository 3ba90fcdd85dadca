/*
 * A thin VFS over SQLite's own ("unix"), for two things. The second, a
 * memory map kept across other connections' commits, is at v_unfetch().
 *
 * The first: a commit writes
 * every page it changed to the write-ahead log as a frame, a 24-byte header
 * and the page, and SQLite writes the two with two pwrite() calls. A post
 * changes some thirty pages, and on a virtual machine a system call costs
 * more than copying a page, so here a frame's header is held back and goes
 * out with its page in one call.
 *
 * Only the log's writes are touched, and only a write of exactly a frame
 * header's size is held, and only until the next call on that file: the
 * page that follows it (at the offset right after) is written together with
 * it; anything else (a read, a sync, a size, a lock, a write elsewhere,
 * closing) first writes the held header on its own. A failed combined write
 * fails the page's write, which fails the commit, as a failed header write
 * would have. No other connection can see a frame before its commit is
 * published in the shared index, which SQLite does after the last page
 * write of the commit returns: by then nothing is held.
 */
#include "db/sqlite_vfs.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_HEADER 24 /* WAL_FRAME_HDRSIZE in SQLite's wal.c */

struct vfile {
    sqlite3_file base; /* base.pMethods: ours */
    sqlite3_file *real;
    bool wal;
    sqlite3_int64 map_size; /* the file's size when its memory map was last let go */
    int held;               /* bytes of a frame header held back; 0 or FRAME_HEADER */
    sqlite3_int64 held_at;  /* where they go */
    unsigned char header[FRAME_HEADER];
    unsigned char *joined; /* header and page, for the one write */
    size_t joined_cap;
};

static sqlite3_vfs vfs;
static sqlite3_vfs *base_vfs;

static const sqlite3_io_methods *methods(struct vfile *f)
{
    return f->real->pMethods;
}

/* Write what is held, on its own. */
static int flush(struct vfile *f)
{
    int rc;

    if (!f->held)
        return SQLITE_OK;
    rc = methods(f)->xWrite(f->real, f->header, f->held, f->held_at);
    f->held = 0;
    return rc;
}

static int v_close(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f), rc2 = methods(f)->xClose(f->real);

    free(f->joined);
    f->joined = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int v_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : methods(f)->xRead(f->real, buf, amt, off);
}

static int v_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
    struct vfile *f = (struct vfile *)file;
    size_t need;
    int rc;

    if (!f->wal)
        return methods(f)->xWrite(f->real, buf, amt, off);
    if (f->held && off == f->held_at + f->held && amt > 0) {
        need = (size_t)f->held + (size_t)amt;
        if (need > f->joined_cap) {
            unsigned char *p = realloc(f->joined, need);

            if (!p)
                return flush(f) != SQLITE_OK ? SQLITE_IOERR_WRITE
                                             : methods(f)->xWrite(f->real, buf, amt, off);
            f->joined = p;
            f->joined_cap = need;
        }
        memcpy(f->joined, f->header, (size_t)f->held);
        memcpy(f->joined + f->held, buf, (size_t)amt);
        f->held = 0;
        return methods(f)->xWrite(f->real, f->joined, (int)need, f->held_at);
    }
    rc = flush(f);
    if (rc != SQLITE_OK)
        return rc;
    if (amt == FRAME_HEADER) {
        memcpy(f->header, buf, FRAME_HEADER);
        f->held = FRAME_HEADER;
        f->held_at = off;
        return SQLITE_OK;
    }
    return methods(f)->xWrite(f->real, buf, amt, off);
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

static int v_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
    struct vfile *f = (struct vfile *)file;

    return methods(f)->xShmMap(f->real, page, size, extend, out);
}

static int v_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    struct vfile *f = (struct vfile *)file;

    return methods(f)->xShmLock(f->real, offset, n, flags);
}

static void v_shm_barrier(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;

    methods(f)->xShmBarrier(f->real);
}

static int v_shm_unmap(sqlite3_file *file, int delete_flag)
{
    struct vfile *f = (struct vfile *)file;

    return methods(f)->xShmUnmap(f->real, delete_flag);
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
    f->base.pMethods = f->real->pMethods->iVersion >= 3 ? &io_methods : &io_methods_v1;
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
    return sqlite3_vfs_register(&vfs, 0);
}
