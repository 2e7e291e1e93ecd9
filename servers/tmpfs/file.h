/*
 * tmpfs: the server's side, over IPC (main.c, file.c, archive.c).  The
 * tree itself is tmpfs.h.
 */
#ifndef TMPFS_FILE_H
#define TMPFS_FILE_H

#include <valence.h>
#include "fsloop.h"
#include "tmpfs.h"

/* Handles the server starts with. */
#define TMPFS_H_ARCHIVE 4 /* the boot archive, with archive=yes */

#define TMPFS_FILES_DEFAULT 1024	  /* open files (files=) */
#define TMPFS_MAX_DEFAULT   (64ull << 20) /* bytes (max=) */

/* ---- file.c ---- */

/* Makes the table of `max` open files.  0 or -ENOMEM. */
int file_init(uint32_t max);

/* file_request, file_close, file_can_open: the loop's side, fsloop.h. */

/* ---- archive.c ---- */

/*
 * Copies the ustar archive archive[0, size) into the tree: every file,
 * directory and link, with the mode and mtime of its header, owned by
 * uid 0 and gid 0; directories a path needs are made 0755.  Entries that
 * cannot be placed are logged and skipped; when the cap is reached the
 * rest is left out (logged).
 */
void archive_load(const void *archive, size_t size);

/* main.c hands the port to fsloop_serve (servers/lib/fsloop.h). */

#endif
