/*
 * init: the first process.  It starts with the handles INIT_H_* (the boot
 * archive and the roots of physical ranges, interrupt lines and I/O
 * ports) and the kernel command line as its arguments.
 *
 * For now it has one job besides existing: with `run=NAME` it runs
 * bin/NAME from the boot archive (handing it the boot archive, the IRQ
 * root, the I/O port root and the physical-range root as handles 0..3),
 * waits for it and leaves
 * QEMU through the isa-debug-exit port with the result.  `test=user` is
 * `run=ktest`, the in-OS test suite; `make bench` uses `run=bench`.  The
 * service list comes with the servers issue.
 */
#include <valence.h>
#include "tar.h"

#define QEMU_EXIT_PORT	0xf4
#define EXIT_PASS	0x10	/* QEMU exits with 33 */
#define EXIT_FAIL	0x11	/* QEMU exits with 35 */

static const void *bootfs;
static uint64_t bootfs_size;

static int map_bootfs(void)
{
	struct handle_info info;
	long va;
	int err = sys_handle_info(INIT_H_BOOTFS, &info);

	if (err < 0)
		return err;
	va = sys_vm_map(INIT_H_BOOTFS, 0, 0, info.size, VM_READ);
	if (va < 0)
		return (int)va;
	bootfs = (const void *)va;
	bootfs_size = info.size;
	return 0;
}

/* Starts bin/<name> from the boot archive with the given handles. */
static handle_t spawn(const char *name, const handle_t *handles, uint32_t n)
{
	char path[64];
	struct tar_entry e;
	struct spawn_args a;
	size_t len = strlen(name);
	int err;

	if (len > sizeof(path) - 5)
		return -ENAMETOOLONG;
	memcpy(path, "bin/", 4);
	memcpy(path + 4, name, len + 1);
	err = tar_find(bootfs, bootfs_size, path, &e);
	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.image = e.data;
	a.image_len = e.size;
	a.handles = handles;
	a.nhandles = n;
	a.args = name;
	a.args_len = len + 1;
	a.name = name;
	return sys_proc_spawn(&a);
}

static void qemu_exit(uint8_t code)
{
	handle_t io = sys_ioport_create(INIT_H_IOPORT, QEMU_EXIT_PORT, 4);

	if (io >= 0)
		__asm__ volatile("outl %0, %1" : : "a"((uint32_t)code),
				 "Nd"((uint16_t)QEMU_EXIT_PORT));
	printf("init: could not leave QEMU (%d)\n", io);
}

static int run(const char *name)
{
	handle_t hs[] = { INIT_H_BOOTFS, INIT_H_IRQ, INIT_H_IOPORT,
			  INIT_H_PHYS };
	handle_t child = spawn(name, hs, 4);
	int status = -1;
	long err;

	if (child < 0) {
		printf("init: cannot start %s: error %d\n", name, child);
		return -1;
	}
	err = sys_proc_wait(child, &status, IPC_FOREVER);
	if (err < 0) {
		printf("init: waiting for %s failed: %ld\n", name, err);
		return -1;
	}
	printf("init: %s ended with wait status 0x%x\n", name, status);
	return status;
}

int main(int argc, char **argv)
{
	const char *prog = NULL;
	int err;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "test=user") == 0)
			prog = "ktest";
		else if (strncmp(argv[i], "run=", 4) == 0)
			prog = argv[i] + 4;
	}
	printf("init: running, %u handles\n", valence_initial_handles);
	err = map_bootfs();
	if (err < 0) {
		printf("init: cannot map the boot archive: error %d\n", err);
		return 1;
	}
	if (prog)
		qemu_exit(run(prog) == 0 ? EXIT_PASS : EXIT_FAIL);
	printf("init: no services to start yet; idle\n");
	for (;;)
		sys_sleep(1000000000000ULL);
}
