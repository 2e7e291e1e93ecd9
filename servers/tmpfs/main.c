/*
 * tmpfs: a file system in RAM, serving file: (docs/servers.md).
 *
 * Start-up contract:
 *
 *   handles 0, 1, 2  standard input, output, error (output is its log:
 *                    init shows it as "[tmpfs] ...")
 *   handle 3         PROC_H_NS: a connection to the name service
 *   handle 4         optional: the boot archive, a memory object with
 *                    RIGHT_READ and RIGHT_MAP (archive=yes in etc/services)
 *
 * Arguments (after "--" in etc/services), each optional:
 *
 *   max=SIZE     the cap on memory for files, names and nodes: bytes, or
 *                with K, M or G; beyond it clients get -ENOSPC (64M)
 *   files=N      open files at a time, all clients together (1024)
 *   scheme=NAME  the scheme to register (file)
 *
 * It copies the archive into the tree (archive.c), if it was given one,
 * then makes a port and a root connection with badge 0 and registers the
 * scheme with NS_REGISTER on handle 3.  Any failure up to there is logged
 * and ends the server with status 1.  Then it answers the file protocol
 * forever (file.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "file.h"

#define FILES_LIMIT 65536 /* the most files= may ask for */

struct config {
	uint64_t max;
	uint32_t files;
	const char *scheme;
};

int64_t tmpfs_now(void)
{
	return (int64_t)sys_clock_get();
}

/* Parses SIZE: digits and an optional K, M or G.  0 or -EINVAL. */
static int parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, unit = 1;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s == 'K' || *s == 'k')
		unit = 1ull << 10;
	else if (*s == 'M' || *s == 'm')
		unit = 1ull << 20;
	else if (*s == 'G' || *s == 'g')
		unit = 1ull << 30;
	if (unit > 1)
		s++;
	if (*s || (v && unit > UINT64_MAX / v))
		return -EINVAL;
	*out = v * unit;
	return 0;
}

/* Reads the arguments into *cfg; false (and a log line) for a bad one. */
static bool parse_args(int argc, char **argv, struct config *cfg)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		uint64_t v;

		if (!strncmp(a, "max=", 4) && !parse_size(a + 4, &v)) {
			cfg->max = v;
		} else if (!strncmp(a, "files=", 6) && !parse_size(a + 6, &v) &&
			   v >= 1 && v <= FILES_LIMIT) {
			cfg->files = (uint32_t)v;
		} else if (!strncmp(a, "scheme=", 7) && a[7] &&
			   strlen(a + 7) <= SCHEME_NAME_MAX) {
			cfg->scheme = a + 7;
		} else {
			printf("tmpfs: bad argument '%s' (want max=SIZE, "
			       "files=1..%d or scheme=NAME)\n",
			       a, FILES_LIMIT);
			return false;
		}
	}
	return true;
}

/* Copies the archive in handle 4 into the tree, then lets it go. */
static void load_archive(void)
{
	uint64_t size;
	long va = vm_map_whole(TMPFS_H_ARCHIVE, VM_READ, &size);

	if (va < 0) {
		printf("tmpfs: cannot map the archive (handle %d): error %ld; "
		       "starting empty\n",
		       TMPFS_H_ARCHIVE, va);
		return;
	}
	archive_load((const void *)va, size);
	sys_vm_unmap((uint64_t)va, (size + 4095) & ~4095ull);
	sys_handle_close(TMPFS_H_ARCHIVE);
}

int main(int argc, char **argv)
{
	struct config cfg = { TMPFS_MAX_DEFAULT, TMPFS_FILES_DEFAULT, "file" };
	handle_t root;
	long err;

	if (valence_initial_handles < PROC_HANDLES) {
		printf("tmpfs: started with %u handles, needs %d\n",
		       valence_initial_handles, PROC_HANDLES);
		return 1;
	}
	if (!parse_args(argc, argv, &cfg))
		return 1;
	if (tree_init(cfg.max) < 0 || file_init(cfg.files) < 0) {
		printf("tmpfs: no memory for the tree\n");
		return 1;
	}
	if (valence_initial_handles > TMPFS_H_ARCHIVE)
		load_archive();
	fsloop_port = sys_port_create();
	if (fsloop_port < 0) {
		printf("tmpfs: cannot create a port: error %d\n", fsloop_port);
		return 1;
	}
	root = sys_conn_create(fsloop_port, 0);
	if (root < 0) {
		printf("tmpfs: cannot create a root connection: error %d\n",
		       root);
		return 1;
	}
	err = scheme_register(cfg.scheme, root);
	if (err < 0) {
		printf("tmpfs: cannot register \"%s\" with ns: error %ld\n",
		       cfg.scheme, err);
		return 1;
	}
	printf("tmpfs: serving %s: (max=%llu bytes, %u open files)\n",
	       cfg.scheme, (unsigned long long)cfg.max, cfg.files);
	fflush(stdout);
	fsloop_serve("tmpfs", fsloop_port);
}
