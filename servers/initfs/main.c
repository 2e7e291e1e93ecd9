/*
 * initfs: serves the boot archive read-only as the scheme initfs:.
 *
 * Start-up contract (what whoever spawns it must pass):
 *
 *   handles 0, 1, 2  standard input, output, error: any handles (unused)
 *   handle 3         PROC_H_NS: a connection to the name service
 *   handle 4         a memory object holding the boot archive, with
 *                    RIGHT_READ and RIGHT_MAP (a ustar file, tools/mkinitfs)
 *
 * It maps the archive read-only, indexes it (index.c), makes a port and a
 * root connection with badge 0, and registers "initfs" with NS_REGISTER
 * on handle 3, moving the root connection to ns; each argument after
 * argv[0] is another name to register for the same files (with its own
 * root connection): `-- file` makes it serve file: too, until a real
 * filesystem does.  Any failure up to here is logged ("initfs: ...") and
 * ends the server with status 1.  Then it
 * answers the file protocol forever (file.c); docs/servers.md has the
 * details a client sees.
 */
#include "initfs.h"

#define SCHEME "initfs"

/* Maps the archive in handle 4 read-only; *size gets its mapped size. */
static int archive_map(const void **archive, size_t *size)
{
	uint64_t n;
	long va = vm_map_whole(INITFS_H_ARCHIVE, VM_READ, &n);

	if (va < 0)
		return (int)va;
	*archive = (const void *)va;
	*size = n;
	return 0;
}

int main(int argc, char **argv)
{
	const void *archive = NULL;
	size_t size = 0;
	handle_t root;
	long err;

	if (valence_initial_handles < INITFS_HANDLES) {
		printf("initfs: started with %u handles, needs %d\n",
		       valence_initial_handles, INITFS_HANDLES);
		return 1;
	}
	err = archive_map(&archive, &size);
	if (err < 0) {
		printf("initfs: cannot map the archive (handle %d): error %ld\n",
		       INITFS_H_ARCHIVE, err);
		return 1;
	}
	sys_handle_close(INITFS_H_ARCHIVE); /* the mapping is all it needs */
	err = index_build(archive, size);
	if (err < 0) {
		printf("initfs: cannot index the archive: error %ld\n", err);
		return 1;
	}
	fsloop_port = sys_port_create();
	if (fsloop_port < 0) {
		printf("initfs: cannot create a port: error %d\n", fsloop_port);
		return 1;
	}
	for (int i = 0; i == 0 || i < argc; i++) {
		const char *name = i == 0 ? SCHEME : argv[i];

		root = sys_conn_create(fsloop_port, 0);
		if (root < 0) {
			printf("initfs: cannot create a root connection: "
			       "error %d\n",
			       root);
			return 1;
		}
		err = scheme_register(name, root);
		if (err < 0) {
			printf("initfs: cannot register \"%s\" with ns: "
			       "error %ld\n",
			       name, err);
			return 1;
		}
	}
	fsloop_serve("initfs", fsloop_port);
}
