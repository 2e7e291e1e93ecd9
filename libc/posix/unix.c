/*
 * The Unix process calls: fork, execve, waitpid, kill, process groups and
 * sessions, dup2.  fork gives libc a handle to each child; libc keeps it
 * (with the pid) until waitpid reports the child's end, then closes it,
 * which frees the child's last trace.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>
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
	size_t image_len, len;
	int argc, err;

	if (!path || !argv)
		return (int)__posix_ret(-EFAULT);
	argc = __make_block(argv, envp, &block, &len);
	if (argc < 0)
		return (int)__posix_ret(argc);
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

/*
 * RLIMIT_NPROC is the kernel's limit on the processes in the system beyond
 * which this process (and the children it makes after) cannot make one:
 * it can be lowered, never raised.  RLIMIT_NOFILE is the handle table's
 * fixed size.
 */
int getrlimit(int resource, struct rlimit *r)
{
	long n;

	if (!r)
		return (int)__posix_ret(-EFAULT);
	if (resource == RLIMIT_NOFILE) {
		r->rlim_cur = r->rlim_max = HANDLE_MAX;
		return 0;
	}
	if (resource != RLIMIT_NPROC)
		return (int)__posix_ret(-EINVAL);
	n = sys_proc_ctl(PC_NPROC, 0, 0, 0, 0);
	r->rlim_cur = r->rlim_max = (rlim_t)n;
	return 0;
}

int setrlimit(int resource, const struct rlimit *r)
{
	struct rlimit now = { 0, 0 };

	if (!r)
		return (int)__posix_ret(-EFAULT);
	if (getrlimit(resource, &now) < 0)
		return -1;
	if (r->rlim_cur > r->rlim_max || r->rlim_max > now.rlim_max)
		return (int)__posix_ret(-EPERM); /* only lower */
	if (resource == RLIMIT_NOFILE)
		return r->rlim_cur == now.rlim_cur ? 0
						   : (int)__posix_ret(-EINVAL);
	if (r->rlim_cur == 0)
		return (int)__posix_ret(-EINVAL);
	sys_proc_ctl(PC_NPROC, r->rlim_cur, 0, 0, 0);
	return 0;
}

/*
 * Users: the kernel keeps a uid and gid per process (children inherit
 * them), stamps them on every call for servers to check permissions
 * against, and lets only uid 0 change them (PC_SETUID), to both at once:
 * there is no saved or effective id apart from the real one.
 */
uid_t getuid(void)
{
	return (uid_t)(sys_proc_ctl(PC_GETUID, 0, 0, 0, 0) & 0xffffffff);
}

uid_t geteuid(void)
{
	return getuid();
}

gid_t getgid(void)
{
	return (gid_t)((uint64_t)sys_proc_ctl(PC_GETUID, 0, 0, 0, 0) >> 32);
}

gid_t getegid(void)
{
	return getgid();
}

int setuid(uid_t uid)
{
	return (int)__posix_ret(
		sys_proc_ctl(PC_SETUID, (uint64_t)uid, getgid(), 0, 0));
}

int setgid(gid_t gid)
{
	return (int)__posix_ret(
		sys_proc_ctl(PC_SETUID, getuid(), (uint64_t)gid, 0, 0));
}
