/*
 * The SQLite VFS Praxis opens its databases with (see sqlite_vfs.c): the
 * unix one, with a write-ahead log frame's header and page written in one
 * system call instead of two, and a database's memory map kept when another
 * connection commits.
 */
#ifndef PRAXIS_DB_SQLITE_VFS_H
#define PRAXIS_DB_SQLITE_VFS_H

#define SQLITE_VFS_NAME "praxis"

/* Register it (once, before the first open): SQLITE_OK, or SQLite's error. */
int sqlite_vfs_register(void);

#endif
