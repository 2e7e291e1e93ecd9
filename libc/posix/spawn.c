/*
 * vspawn(): start a program from a file, until fork and exec exist.  The
 * image is read whole into memory and handed to proc_spawn with argv and
 * the environment in the argument block, and the caller's standard
 * handles (stdin, stdout, stderr, ns:) as the child's 0..3.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "posix.h"

#define IMAGE_MAX (64u << 20) /* as the kernel's limit */

/* Reads all of the file at `path` into a malloc'd buffer: 0 or -errno. */
int __read_image(const char *path, char **image, size_t *len)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);
	char *buf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EACCES;
	}
	if (st.st_size <= 0 || (uint64_t)st.st_size > IMAGE_MAX) {
		close(fd);
		return -ENOEXEC;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, buf + done, (size_t)st.st_size - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	if (done != (size_t)st.st_size) {
		free(buf);
		return -EIO;
	}
	*image = buf;
	*len = done;
	return 0;
}

/*
 * Appends the strings of vec to the block at *len, returning the count or
 * -E2BIG when they do not fit in SPAWN_MAX_ARGS.
 */
int __add_strings(char *block, size_t *len, char *const vec[])
{
	int n = 0;

	for (; vec && vec[n]; n++) {
		size_t l = strlen(vec[n]) + 1;

		if (l > SPAWN_MAX_ARGS - *len)
			return -E2BIG;
		memcpy(block + *len, vec[n], l);
		*len += l;
	}
	return n;
}

int __make_block(char *const argv[], char *const envp[], char **block,
		 size_t *len)
{
	int argc, envc;

	*len = 0;
	*block = malloc(SPAWN_MAX_ARGS);
	if (!*block)
		return -ENOMEM;
	argc = __add_strings(*block, len, argv);
	envc = argc < 0 ? 0 : __add_strings(*block, len, envp);
	if (envc >= 0 && __add_inherited(*block, len) < 0)
		envc = -E2BIG;
	if (argc > 0 && envc >= 0)
		return argc;
	free(*block);
	return argc == 0 ? -EINVAL : -E2BIG; /* argv[0] must be there */
}

/* The last component of path, for the kernel's process name. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	const char *c = strrchr(path, ':');

	if (c > s)
		s = c;
	return s ? s + 1 : path;
}

int vspawn(const char *path, char *const argv[], char *const envp[])
{
	static const int std[3] = { PROC_H_STDIN, PROC_H_STDOUT,
				    PROC_H_STDERR };

	return vspawn_with(path, argv, envp, std);
}

int vspawn_with(const char *path, char *const argv[], char *const envp[],
		const int fds[3])
{
	handle_t std[PROC_HANDLES];
	struct spawn_args a;
	char *image = NULL, *block;
	size_t image_len = 0, len = 0;
	int argc, err;
	handle_t h;

	if (!path || !argv || !argv[0] || !fds)
		return (int)__posix_ret(!path || !fds ? -EFAULT : -EINVAL);
	argc = __make_block(argv, envp, &block, &len);
	if (argc < 0)
		return (int)__posix_ret(argc);
	err = __read_image(path, &image, &image_len);
	if (err) {
		free(block);
		return (int)__posix_ret(err);
	}
	for (int i = 0; i < 3; i++)
		std[i] = fds[i];
	std[PROC_H_NS] = PROC_H_NS;
	memset(&a, 0, sizeof(a));
	a.image = image;
	a.image_len = image_len;
	a.handles = std;
	a.nhandles = valence_initial_handles < PROC_HANDLES
			     ? valence_initial_handles
			     : PROC_HANDLES;
	a.args = block;
	a.args_len = len;
	a.argc = (uint32_t)argc;
	a.name = base_name(path);
	h = sys_proc_spawn(&a);
	free(image);
	free(block);
	return (int)__posix_ret(h);
}

int vwait(int proc, int *status)
{
	int st = 0, r = sys_proc_wait(proc, &st, IPC_FOREVER);

	if (r < 0)
		return (int)__posix_ret(r);
	if (status)
		*status = st;
	sys_handle_close(proc);
	return r;
}
