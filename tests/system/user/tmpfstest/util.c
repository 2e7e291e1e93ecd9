/* Helpers of the tests, and the child side of the tests that spawn. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include "tmpfstest.h"

int fs_stats(struct vstat *st)
{
	struct ipc_buffers b = { .recv = st, .recv_len = sizeof(*st) };
	struct ipc_msg m;
	handle_t root = scheme_root("file");

	if (root < 0)
		return root;
	memset(&m, 0, sizeof(m));
	m.op = FS_STAT;
	return (int)sys_ipc_call(root, &m, &b);
}

uint64_t fs_used(void)
{
	struct vstat st;

	return fs_stats(&st) < 0 ? 0 : st.size;
}

uint64_t fs_cap(void)
{
	struct vstat st;

	return fs_stats(&st) < 0 ? 0 : st.blocks * 512;
}

uint32_t fs_open_files(void)
{
	struct vstat st;

	return fs_stats(&st) < 0 ? 0 : st.rdev;
}

uint32_t wait_open_files(uint32_t want, int timeout_ms)
{
	uint32_t n = fs_open_files();

	for (int i = 0; n != want && i < timeout_ms; i++) {
		sys_sleep(1000000);
		n = fs_open_files();
	}
	return n;
}

int put_file(const char *path, const void *s, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = n ? write(fd, s, n) : 0;
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

long get_file(const char *path, void *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t r = 0;

	if (fd < 0)
		return -1;
	while (got < size && (r = read(fd, (char *)buf + got, size - got)) > 0)
		got += (size_t)r;
	close(fd);
	return r < 0 ? -1 : (long)got;
}

long read_at(int fd, void *buf, size_t n, long off)
{
	if (lseek(fd, off, SEEK_SET) != off)
		return -1;
	return read(fd, buf, n);
}

int remove_tree(const char *path)
{
	struct stat st;
	struct dirent *e;
	char *sub;
	DIR *d;
	int err = 0;

	if (lstat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	sub = malloc(1024);
	if (!d || !sub) {
		free(sub);
		if (d)
			closedir(d);
		return -1;
	}
	/* Each entry is removed as soon as it is read: the directory's
	   offsets must not skip the ones after it. */
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, 1024, "%s/%s", path, e->d_name);
		if (remove_tree(sub) < 0)
			err = -1;
	}
	closedir(d);
	free(sub);
	return rmdir(path) < 0 ? -1 : err;
}

uint64_t rnd(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

int spawn_child(char *const args[])
{
	char *argv[8] = { "tmpfstest", "child" };
	int n = 2;

	for (int i = 0; args[i] && n < 7; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return vspawn(SELF_PATH, argv, NULL);
}

/*
 * `child hold N`: opens /test/hello.txt N times and waits to be killed.
 * `child write PATH N`: appends N lines to PATH, one write each.
 */
int child_main(int argc, char **argv)
{
	const char *what = argc > 2 ? argv[2] : "";

	if (strcmp(what, "hold") == 0 && argc > 3) {
		int n = atoi(argv[3]);

		for (int i = 0; i < n; i++) {
			if (open(HELLO_PATH, O_RDONLY) < 0)
				return 1;
		}
		sys_sleep(IPC_FOREVER);
	}
	if (strcmp(what, "write") == 0 && argc > 4) {
		int fd = open(argv[3], O_WRONLY | O_APPEND), n = atoi(argv[4]);
		char line[32];

		if (fd < 0)
			return 1;
		for (int i = 0; i < n; i++) {
			int len = snprintf(line, sizeof(line), "child %04d\n",
					   i);

			if (write(fd, line, (size_t)len) != len)
				return 2;
		}
		return close(fd) < 0 ? 3 : 0;
	}
	return 100;
}
