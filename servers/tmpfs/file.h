/*
 * tmpfs: the server's side, over IPC (main.c, file.c, archive.c).  The
 * tree itself is tmpfs.h.
 */
#ifndef TMPFS_FILE_H
#define TMPFS_FILE_H

#include <valence.h>
#include "tmpfs.h"

/* Handles the server starts with. */
#define TMPFS_H_ARCHIVE 4 /* the boot archive, with archive=yes */

#define TMPFS_FILES_DEFAULT 1024	  /* open files (files=) */
#define TMPFS_MAX_DEFAULT   (64ull << 20) /* bytes (max=) */

/* ---- file.c ---- */

/* One call being answered. */
struct request {
	struct ipc_received in;
	struct ipc_msg out; /* the reply's words and handles */
	uint64_t opened;    /* FS_OPEN: the new open file's badge */
};

/* Makes the table of `max` open files.  0 or -ENOMEM. */
int file_init(uint32_t max);

/*
 * Answers the call in r->in (not a CLOSE): fills r->out and returns the
 * reply's status.  When r->out.nhandles is 1, handles[0] is a connection
 * for the open file with badge r->opened; if the reply cannot carry it,
 * the caller must close it and call file_close(r->opened).
 */
long file_request(struct request *r);

/* Frees the open file with this badge; unknown or stale badges (the
   root's CLOSE among them) are ignored. */
void file_close(uint64_t badge);

/* True when an open-file record is free. */
bool file_can_open(void);

/* ---- archive.c ---- */

/*
 * Copies the ustar archive archive[0, size) into the tree: every file,
 * directory and link, with the mode and mtime of its header, owned by
 * uid 0 and gid 0; directories a path needs are made 0755.  Entries that
 * cannot be placed are logged and skipped; when the cap is reached the
 * rest is left out (logged).
 */
void archive_load(const void *archive, size_t size);

/* ---- main.c ---- */

/* The port every connection of the server leads to. */
extern handle_t tmpfs_port;

/*
 * Serves, without waiting, the messages already queued on the port,
 * until an open-file record is free or none are left (FS_OPEN finding
 * the table full: the CLOSE a client sent before its call reaches the
 * server after it).  Does nothing when called again from within.
 */
void tmpfs_drain(void);

#endif
