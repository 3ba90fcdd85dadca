/*
 * The SQLite VFS Praxis opens its databases with (see sqlite_vfs.c): the
 * unix one, with a transaction's write-ahead log frames written in one
 * system call, a database's memory map kept when another connection
 * commits, and the shared-memory index's locks counted by the process.
 */
#ifndef PRAXIS_DB_SQLITE_VFS_H
#define PRAXIS_DB_SQLITE_VFS_H

#define SQLITE_VFS_NAME "praxis"

/* Register it (once, before the first open): SQLITE_OK, or SQLite's error. */
int sqlite_vfs_register(void);

/* fcntl() calls made for the shared-memory index's locks so far (for tests). */
unsigned long sqlite_vfs_shm_system_calls(void);

#endif
