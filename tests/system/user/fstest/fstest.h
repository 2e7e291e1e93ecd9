/*
 * fstest: the system test of the initfs server (servers/initfs), run by
 * init with `run=fstest`.  fstest plays init's part: it spawns bin/initfs
 * from the boot archive with a port of its own standing in for ns, takes
 * the root connection the server registers, and then tests the file
 * protocol through it.
 *
 * This header holds the small test framework (as ktest's: CHECK* record a
 * failure and go on, REQUIRE* also return) and the helpers the test files
 * share.
 */
#ifndef FSTEST_H
#define FSTEST_H

#include <stdbool.h>
#include <valence.h>
#include <valence/proto.h>

#define MS  1000000ull
#define SEC 1000000000ull

/* Handles fstest starts with (see userland/init/main.c). */
#define H_BOOTFS 0

/* The server's limits (docs/servers.md). */
#define INITFS_FILES_MAX 256
#define INITFS_PATH_MAX	 1024

/* Badges of the connections to fstest's own port. */
#define BADGE_STDIO 1 /* the server's handles 0, 1, 2 */
#define BADGE_NS    2 /* the server's handle 3 */
#define BADGE_PROBE 3 /* sent to the server, which must close it */

/* Priorities: fstest (init's) > the server > the clients it spawns. */
#define SERVER_PRIO PRIO_DRIVER
#define CLIENT_PRIO PRIO_APP

/* fs_open_len's error when FS_OPEN succeeded but moved no handle. */
#define FT_ENOHANDLE 4095

/* A user address with nothing mapped. */
#define UNMAPPED_USER 0x0000500000000000ull

/* Files of the boot archive the tests read (tests/system/data). */
#define HELLO_PATH "test/hello.txt"
#define HELLO_TEXT "Hello from the boot archive.\n"
#define BIG_PATH   "bin/ktest" /* the largest file, some 130 KiB */

struct ft_case {
	const char *name;
	void (*fn)(void);
};

/* ---- checks ---- */

void ft_fail(const char *file, int line, const char *expr, long long got);

#define CHECK_FAIL ft_fail
#include "../check.h"

/* ---- the server and the fake ns (main.c) ---- */

extern handle_t ft_root;   /* the root connection the server registered */
extern handle_t ft_port;   /* fstest's port: ns and stdio stand-in */
extern handle_t ft_server; /* the server process */

/*
 * Spawns bin/<prog> from the boot archive at priority prio with argv
 * { prog, arg } (arg may be NULL) and the given handles.
 */
handle_t ft_spawn(const char *prog, const char *arg, const handle_t *hs,
		  uint32_t n, uint32_t prio);
/* Waits up to timeout for proc and closes it; the wait status or -errno. */
int ft_wait(handle_t proc, uint64_t timeout);

/* ---- the boot archive, the tests' oracle (util.c) ---- */

int ft_archive_map(void);
/* The bytes of an archive file; false if there is no such file. */
bool ft_archive_file(const char *name, const uint8_t **data, uint64_t *size);
/* Calls fn(name) for every regular file of the archive. */
void ft_archive_each(void (*fn)(const char *name, void *arg), void *arg);

/* ---- the file protocol (util.c) ---- */

/* One call on h: op, w[0], w[1], buffers (may be NULL).  The status. */
long fs_call(handle_t h, uint32_t op, uint64_t w0, uint64_t w1,
	     const struct ipc_buffers *b);
/*
 * FS_OPEN of path[0, len) on the root: the new handle or -errno; *type
 * (may be NULL) gets the type the server replied with.
 */
handle_t fs_open_len(const void *path, size_t len, uint64_t flags,
		     uint64_t *type);
handle_t fs_open(const char *path, uint64_t flags);
long fs_read(handle_t f, void *buf, size_t len);
long fs_seek(handle_t f, int64_t offset, int whence);
long fs_stat(handle_t f, struct vstat *st);
long fs_readdir(handle_t f, void *buf, size_t len);
/* Opens path and stats it: 0 or -errno. */
long fs_stat_path(const char *path, struct vstat *st);
/* Opens test/hello.txt until the server refuses; closes them all and
   returns how many it opened (the -errno of a failure other than
   -EMFILE). */
int fs_count_openable(void);

/* ---- the test lists ---- */

extern const struct ft_case ft_file_cases[];
extern const struct ft_case ft_error_cases[];
extern const struct ft_case ft_dir_cases[];
extern const struct ft_case ft_life_cases[];

#endif
