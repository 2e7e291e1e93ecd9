/*
 * initfs: the server of the initfs: scheme, the boot archive served
 * read-only.  Declarations shared by its three files:
 *
 *   main.c   start-up (map the archive, register with ns:) and the loop
 *   index.c  the index of the archive: a tree of nodes, path lookup
 *   file.c   open files and the handlers of the file protocol
 *
 * docs/servers.md describes what the server does for its clients.
 */
#ifndef INITFS_H
#define INITFS_H

#include <stdbool.h>
#include <valence.h>
#include <valence/proto.h>
#include "fsloop.h"
#include "types.h" /* the kernel's ALIGN_UP, MIN, ARRAY_SIZE (as tar.h) */

#define INITFS_FILES_MAX 256  /* open files at a time, for all clients */
#define INITFS_PATH_MAX	 1024 /* FS_OPEN's path, its NUL included */
#define INITFS_NAME_MAX	 255  /* one path component (vdirent.namelen) */

/* Handles the server starts with (after PROC_H_NS). */
#define INITFS_H_ARCHIVE 4 /* memory object: the boot archive */
#define INITFS_HANDLES	 5

/* ---- index.c ---- */

#define NODE_ROOT 0	     /* the archive's root directory */
#define NODE_NONE UINT32_MAX /* "no node": ends lists and chains */

/*
 * A file or directory of the archive.  Directories exist either because
 * a path goes through them ("bin/hello" makes "bin") or because an
 * old-style entry names one with a trailing slash.
 */
struct node {
	const char *name;   /* NUL-terminated, "" for the root */
	const void *data;   /* files: the bytes, inside the archive */
	uint64_t size;	    /* files: bytes; directories: entries */
	uint32_t mode;	    /* VS_IFREG | 0444 or VS_IFDIR | 0555 */
	uint32_t parent;    /* the root is its own parent */
	uint32_t first;	    /* directories: first and last child */
	uint32_t last;	    /*   in archive order */
	uint32_t next;	    /* the next child of the same parent */
	uint32_t hash_next; /* the next node in the same lookup bucket */
	uint32_t children;
	uint32_t namelen;
};

extern struct node *nodes;
extern uint32_t node_count;

static inline bool node_is_dir(const struct node *n)
{
	return (n->mode & VS_IFMT) == VS_IFDIR;
}

/*
 * Builds the index of the ustar archive archive[0, size), which the
 * caller keeps mapped for as long as the server runs.  Entries it cannot
 * place (a name with "..", a path through a file, a name seen before) are
 * skipped with a log line, as is everything after a malformed header.
 * Returns 0 or -errno (-ENOMEM: no memory for the index).
 */
int index_build(const void *archive, size_t size);

/*
 * Finds path[0, len) (need not be NUL-terminated) from the root.  Empty
 * components and "." are skipped, ".." goes to the parent (the root's
 * parent is the root), a leading '/' changes nothing.  Returns 0 with
 * *node set, -ENOENT, -ENOTDIR (a component other than the last, or a
 * name with a trailing '/', is a file) or -ENAMETOOLONG (a component
 * longer than INITFS_NAME_MAX).
 */
int index_resolve(const char *path, size_t len, uint32_t *node);

/* ---- file.c ---- */

/* struct request, file_request, file_close, file_can_open: fsloop.h. */

/* main.c hands the port to fsloop_serve (servers/lib/fsloop.h). */

#endif
