/*
 * pipe() and pipe2(): one PIPE_CREATE call on the root of pipe:
 * (servers/pipe, docs/servers.md), whose reply moves in the pipe's two
 * ends; the handles are the descriptors.  The process needs to see the
 * scheme pipe: (its services line: see=pipe).
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "posix.h"

int pipe2(int fds[2], int flags)
{
	struct ipc_msg m;
	long status;

	if (!fds)
		return (int)__posix_ret(-EFAULT);
	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return (int)__posix_ret(-EINVAL);
	memset(&m, 0, sizeof(m));
	m.op = PIPE_CREATE;
	m.w[0] = flags & O_NONBLOCK ? VO_NONBLOCK : 0;
	status = scheme_call("pipe", &m, NULL);
	if (status >= 0 && m.nhandles != 2) {
		for (uint32_t i = 0; i < m.nhandles && i < IPC_HANDLES; i++)
			sys_handle_close(m.handles[i]);
		status = -EIO; /* the server broke the protocol */
	}
	if (status < 0)
		return (int)__posix_ret(status);
	fds[0] = m.handles[0];
	fds[1] = m.handles[1];
	__fd_opened(fds[0], O_RDONLY | (flags & O_CLOEXEC));
	__fd_opened(fds[1], O_WRONLY | (flags & O_CLOEXEC));
	return 0;
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}
