/*
 * The Unix process calls: fork, execve, waitpid, kill, process groups and
 * sessions, dup2.  fork gives libc a handle to each child; libc keeps it
 * (with the pid) until waitpid reports the child's end, then closes it,
 * which frees the child's last trace.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "posix.h"

#define CHILDREN_MAX 256

static struct child {
	pid_t pid; /* 0: free */
	int handle;
} children[CHILDREN_MAX];

static struct child *child_slot(pid_t pid)
{
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (children[i].pid == pid)
			return &children[i];
	return NULL;
}

pid_t fork(void)
{
	struct child *c = child_slot(0);
	struct handle_info info;
	handle_t h;

	if (!c)
		return (pid_t)__posix_ret(-EAGAIN); /* too many children */
	h = sys_proc_fork();
	if (h < 0)
		return (pid_t)__posix_ret(h);
	if (h == 0) {
		/* The child: a new pid; the parent's children are not ours,
		   and their handles would keep them from being freed. */
		valence_pid = (uint32_t)sys_proc_ctl(PC_GETPID, 0, 0, 0, 0);
		for (int i = 0; i < CHILDREN_MAX; i++) {
			if (children[i].pid)
				sys_handle_close(children[i].handle);
			children[i].pid = 0;
		}
		return 0;
	}
	if (sys_handle_info(h, &info) < 0) { /* cannot happen: our handle */
		sys_handle_close(h);
		return (pid_t)__posix_ret(-EIO);
	}
	c->pid = (pid_t)info.pid;
	c->handle = h;
	return c->pid;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	char *image, *block;
	size_t image_len, len = 0;
	int argc, envc, err;

	if (!path || !argv)
		return (int)__posix_ret(-EFAULT);
	block = malloc(SPAWN_MAX_ARGS);
	if (!block)
		return (int)__posix_ret(-ENOMEM);
	argc = __add_strings(block, &len, argv);
	envc = argc < 0 ? 0 : __add_strings(block, &len, envp);
	if (argc < 0 || envc < 0) {
		free(block);
		return (int)__posix_ret(-E2BIG);
	}
	if (argc == 0) { /* argv[0] must exist: the block gives its count */
		free(block);
		return (int)__posix_ret(-EINVAL);
	}
	err = __read_image(path, &image, &image_len);
	if (!err) {
		/* Close-on-exec descriptors go only if exec can still fail
		   for no other reason than a bad image. */
		__fd_close_on_exec();
		scheme_roots_close();
		err = (int)sys_proc_exec(image, image_len, block, len,
					 (uint32_t)argc);
		free(image);
	}
	free(block);
	return (int)__posix_ret(err);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	int st = 0;
	long r;
	struct child *c;

	if (options & ~(WNOHANG | WUNTRACED))
		return (pid_t)__posix_ret(-EINVAL);
	r = sys_proc_ctl(PC_WAIT, (uint64_t)(int64_t)pid,
			 (options & WNOHANG ? PC_WAIT_NOHANG : 0) |
				 (options & WUNTRACED ? PC_WAIT_UNTRACED : 0),
			 (uint64_t)(uintptr_t)&st, 0);
	if (r <= 0)
		return (pid_t)__posix_ret(r);
	if (status)
		*status = st;
	c = child_slot((pid_t)r);
	if (c && (WIFEXITED(st) || WIFSIGNALED(st))) {
		sys_handle_close(c->handle);
		c->pid = 0;
	}
	return (pid_t)r;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int kill(pid_t pid, int sig)
{
	return (int)__posix_ret(sys_proc_ctl(PC_KILL, (uint64_t)(int64_t)pid,
					     (uint64_t)sig, 0, 0));
}

pid_t getppid(void)
{
	return (pid_t)sys_proc_ctl(PC_GETPPID, 0, 0, 0, 0);
}

pid_t getpgid(pid_t pid)
{
	return (pid_t)__posix_ret(
		sys_proc_ctl(PC_GETPGID, (uint64_t)pid, 0, 0, 0));
}

pid_t getpgrp(void)
{
	return getpgid(0);
}

int setpgid(pid_t pid, pid_t pgid)
{
	if (pid < 0 || pgid < 0)
		return (int)__posix_ret(-EINVAL);
	return (int)__posix_ret(
		sys_proc_ctl(PC_SETPGID, (uint64_t)pid, (uint64_t)pgid, 0, 0));
}

pid_t getsid(pid_t pid)
{
	return (pid_t)__posix_ret(
		sys_proc_ctl(PC_GETSID, (uint64_t)pid, 0, 0, 0));
}

pid_t setsid(void)
{
	return (pid_t)__posix_ret(sys_proc_ctl(PC_SETSID, 0, 0, 0, 0));
}

int dup2(int from, int to)
{
	handle_t h;

	if (to < 0 || to >= HANDLE_MAX)
		return (int)__posix_ret(-EBADF);
	h = sys_handle_dup_to(from, RIGHTS_SAME, to);
	if (h < 0)
		return (int)__posix_ret(h);
	if (from != to)
		__fd_copied(from, to);
	return h;
}

POSIX_ALIAS(wait);
POSIX_ALIAS(kill);
