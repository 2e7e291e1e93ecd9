/*
 * libvalence: the raw Valence API for user programs.
 *
 * One typed sys_<name>() per system call in valence/syscall_list.h, each a
 * thin cast over the generated stub __sys_<name>() (libc/syscalls.c).
 * Unless stated otherwise a call returns 0 (or a handle, a count, an
 * address) on success and -errno (valence/errno.h) on failure; handles
 * are returned as handle_t, which is negative on failure.  docs/abi.md
 * describes every call.
 *
 * The library also holds the process start code (crt0.S, start.c) and
 * the raw side of files over schemes (scheme.c).  Programs linked with
 * newlib get stdio and the rest from newlib (libc/posix is the glue); the
 * others, servers that stay small, get a printf to the kernel log and the
 * string functions from libc/mini.
 */
#ifndef VALENCE_H
#define VALENCE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <valence/abi.h>
#include <valence/errno.h>
#include <valence/proto.h>
#include <valence/syscall_raw.h>

#define __sys_ptr(p) ((long)(uintptr_t)(p))

/* ---- debugging and handles ---- */

/* Writes s[0, len) to the kernel log. */
static inline long sys_debug_log(const char *s, size_t len)
{
	return __sys_debug_log(__sys_ptr(s), (long)len);
}

static inline int sys_handle_close(handle_t h)
{
	return (int)__sys_handle_close(h);
}

/* rights: a subset of h's rights, or RIGHTS_SAME.  The lowest free slot. */
static inline handle_t sys_handle_dup(handle_t h, uint32_t rights)
{
	return (handle_t)__sys_handle_dup(h, rights, HANDLE_INVALID);
}

/* As sys_handle_dup, at handle `target`, closing what was there (dup2). */
static inline handle_t sys_handle_dup_to(handle_t h, uint32_t rights,
					 handle_t target)
{
	return (handle_t)__sys_handle_dup(h, rights, target);
}

static inline int sys_handle_info(handle_t h, struct handle_info *out)
{
	return (int)__sys_handle_info(h, __sys_ptr(out));
}

/* ---- IPC ---- */

static inline handle_t sys_port_create(void)
{
	return (handle_t)__sys_port_create();
}

static inline handle_t sys_conn_create(handle_t port, uint64_t badge)
{
	return (handle_t)__sys_conn_create(port, (long)badge);
}

/*
 * Sends *msg over conn and blocks for the reply, which overwrites *msg.
 * bufs may be NULL.  Returns the server's status.
 */
static inline long sys_ipc_call(handle_t conn, struct ipc_msg *msg,
				const struct ipc_buffers *bufs)
{
	return __sys_ipc_call(conn, __sys_ptr(msg), __sys_ptr(bufs));
}

static inline int sys_ipc_recv(handle_t port, struct ipc_received *out,
			       uint64_t timeout_ns)
{
	return (int)__sys_ipc_recv(port, __sys_ptr(out), (long)timeout_ns);
}

/* msg may be NULL (no words, no handles). */
static inline int sys_ipc_reply(uint64_t rid, long status,
				const struct ipc_msg *msg)
{
	return (int)__sys_ipc_reply((long)rid, status, __sys_ptr(msg));
}

static inline int sys_ipc_reply_recv(uint64_t rid, long status,
				     const struct ipc_msg *msg, handle_t port,
				     struct ipc_received *out,
				     uint64_t timeout_ns)
{
	return (int)__sys_ipc_reply_recv((long)rid, status, __sys_ptr(msg),
					 port, __sys_ptr(out),
					 (long)timeout_ns);
}

/* Copies from the caller's send buffer; returns the bytes copied. */
static inline long sys_ipc_read(uint64_t rid, uint64_t offset, void *buf,
				size_t len)
{
	return __sys_ipc_read((long)rid, (long)offset, __sys_ptr(buf),
			      (long)len);
}

/* Copies into the caller's receive buffer; returns the bytes copied. */
static inline long sys_ipc_write(uint64_t rid, uint64_t offset, const void *buf,
				 size_t len)
{
	return __sys_ipc_write((long)rid, (long)offset, __sys_ptr(buf),
			       (long)len);
}

/* ---- notifications ---- */

static inline handle_t sys_notify_create(void)
{
	return (handle_t)__sys_notify_create();
}

static inline int sys_notify_signal(handle_t h, uint64_t bits)
{
	return (int)__sys_notify_signal(h, (long)bits);
}

/* Waits for a signal on h; *bits gets the bits that were pending. */
static inline int sys_notify_wait(handle_t h, uint64_t timeout_ns,
				  uint64_t *bits)
{
	return (int)__sys_notify_wait(h, (long)timeout_ns, __sys_ptr(bits));
}

/* ---- memory ---- */

static inline handle_t sys_mem_create(uint64_t size, uint32_t flags)
{
	return (handle_t)__sys_mem_create((long)size, flags);
}

/* cache: MEM_CACHE_WB, MEM_CACHE_UC or MEM_CACHE_WC. */
static inline handle_t sys_mem_create_phys(handle_t parent, uint64_t offset,
					   uint64_t size, uint32_t cache)
{
	return (handle_t)__sys_mem_create_phys(parent, (long)offset, (long)size,
					       cache);
}

/* prot: VM_READ | VM_WRITE | VM_EXEC.  Returns the address or -errno. */
static inline long sys_vm_map(handle_t mem, uint64_t vaddr, uint64_t offset,
			      uint64_t size, uint32_t prot)
{
	return __sys_vm_map(mem, (long)vaddr, (long)offset, (long)size, prot);
}

/*
 * Maps all of memory object `mem` with `prot` where there is room and
 * returns the address (its size in *size), or -errno: -EBADF when `mem`
 * is not a memory object.
 */
static inline long vm_map_whole(handle_t mem, uint32_t prot, uint64_t *size)
{
	struct handle_info info;
	int err = sys_handle_info(mem, &info);

	if (err < 0)
		return err;
	if (info.type != OBJ_MEMORY)
		return -EBADF;
	*size = info.size;
	return sys_vm_map(mem, 0, 0, info.size, prot);
}

static inline int sys_vm_unmap(uint64_t vaddr, uint64_t size)
{
	return (int)__sys_vm_unmap((long)vaddr, (long)size);
}

static inline int sys_vm_protect(uint64_t vaddr, uint64_t size, uint32_t prot)
{
	return (int)__sys_vm_protect((long)vaddr, (long)size, prot);
}

/* ---- threads and futexes ---- */

/* The new thread runs entry(arg) on the stack below stack_top. */
static inline handle_t sys_thread_create(void (*entry)(uint64_t),
					 uint64_t stack_top, uint64_t arg)
{
	return (handle_t)__sys_thread_create(__sys_ptr(entry), (long)stack_top,
					     (long)arg);
}

static inline __attribute__((noreturn)) void sys_thread_exit(int status)
{
	__sys_thread_exit(status);
	__builtin_trap();
}

/* Sleeps while *addr == expected, until woken or timed out. */
static inline int sys_futex_wait(const uint32_t *addr, uint32_t expected,
				 uint64_t timeout_ns)
{
	return (int)__sys_futex_wait(__sys_ptr(addr), expected,
				     (long)timeout_ns);
}

/* Returns the number of threads woken. */
static inline int sys_futex_wake(const uint32_t *addr, uint32_t count)
{
	return (int)__sys_futex_wake(__sys_ptr(addr), count);
}

/* ---- processes ---- */

static inline handle_t sys_proc_spawn(const struct spawn_args *args)
{
	return (handle_t)__sys_proc_spawn(__sys_ptr(args));
}

/*
 * Copies the calling process (copy-on-write memory, every handle at the
 * same number, the calling thread).  Returns a handle to the child in the
 * parent and 0 in the child, or -errno.
 */
static inline handle_t sys_proc_fork(void)
{
	return (handle_t)__sys_proc_fork();
}

/*
 * Replaces the calling process's program with the ELF image, keeping its
 * pid and handles; args/argc as in struct spawn_args.  Returns only on
 * failure (-ENOEXEC, -EINVAL, -EFAULT).  The process's other threads end.
 */
static inline long sys_proc_exec(const void *image, size_t len,
				 const char *args, size_t args_len,
				 uint32_t argc)
{
	return __sys_proc_exec(__sys_ptr(image), (long)len, __sys_ptr(args),
			       (long)args_len, argc);
}

/* One PC_* operation (abi.h) on Unix process relations. */
static inline long sys_proc_ctl(uint32_t op, uint64_t a, uint64_t b, uint64_t c,
				uint64_t d)
{
	return __sys_proc_ctl(op, (long)a, (long)b, (long)c, (long)d);
}

static inline __attribute__((noreturn)) void sys_proc_exit(int status)
{
	__sys_proc_exit(status);
	__builtin_trap();
}

/* *status gets a wait status (WAIT_EXITED, WAIT_SIGNALED); may be NULL. */
static inline int sys_proc_wait(handle_t proc, int *status, uint64_t timeout_ns)
{
	return (int)__sys_proc_wait(proc, __sys_ptr(status), (long)timeout_ns);
}

static inline int sys_proc_kill(handle_t proc, int signal)
{
	return (int)__sys_proc_kill(proc, signal);
}

/* ---- devices ---- */

/* Line `line` of root will set `bit` in notify when it fires. */
static inline handle_t sys_irq_bind(handle_t root, uint32_t line,
				    handle_t notify, uint32_t bit)
{
	return (handle_t)__sys_irq_bind(root, line, notify, bit);
}

static inline int sys_irq_ack(handle_t irq)
{
	return (int)__sys_irq_ack(irq);
}

static inline handle_t sys_ioport_create(handle_t parent, uint32_t base,
					 uint32_t count)
{
	return (handle_t)__sys_ioport_create(parent, base, count);
}

/* ---- time and scheduling ---- */

/* The monotonic clock in nanoseconds; never fails. */
static inline uint64_t sys_clock_get(void)
{
	return (uint64_t)__sys_clock_get();
}

static inline int sys_sleep(uint64_t ns)
{
	return (int)__sys_sleep((long)ns);
}

static inline int sys_yield(void)
{
	return (int)__sys_yield();
}

static inline int sys_sys_stats(struct sys_stats *out)
{
	return (int)__sys_sys_stats(__sys_ptr(out));
}

#undef __sys_ptr

/* ---- process start (crt0.S, start.c) ---- */

/* How many handles (0..n-1) the process was started with. */
extern uint32_t valence_initial_handles;
/* The process's pid, as the kernel gave it at start. */
extern uint32_t valence_pid;

/* ---- schemes and files (scheme.c): the raw side of open() ---- */

/*
 * A connection to the root of scheme `name`, asked of ns: (handle
 * PROC_H_NS) once and cached; the cache owns it, do not close it.
 * -ENODEV when ns: knows no such scheme (or the process has no ns:
 * handle), -EACCES when the caller may not see it, -EINVAL for a bad name.
 */
handle_t scheme_root(const char *name);

/*
 * Closes every cached root and empties the cache (later calls ask ns:
 * again).  execve calls it: the roots mean nothing to the next program.
 */
void scheme_roots_close(void);

/*
 * For servers: registers scheme `name` with ns: (NS_REGISTER), moving
 * `root`, a connection to the server's port, there (it is gone from the
 * caller either way).  Returns ns's status: 0, -EACCES (the services line
 * does not grant the name), -EEXIST, -EINVAL (a bad name); -ENODEV when
 * the process has no ns: handle.
 */
long scheme_register(const char *name, handle_t root);

/*
 * Calls the root of scheme `name` with *m and `bufs` (may be NULL); the
 * reply overwrites *m, and handles it carries are the caller's.  A root
 * whose server died (-EPIPE) is looked up again, once, so that a
 * restarted server is found.  Returns the server's status, or
 * scheme_root's error.
 */
long scheme_call(const char *name, struct ipc_msg *m,
		 const struct ipc_buffers *bufs);

/*
 * Opens `path` ("scheme:rest"; a path without a scheme is file:, and must
 * then be absolute) with VO_* `flags` and, for VO_CREAT, `mode`.  Returns
 * the open file's connection, which is the POSIX descriptor, or -errno
 * (the server's, or scheme_root's).  *type (may be NULL) gets its VS_IF*
 * type.
 */
handle_t scheme_open(const char *path, uint32_t flags, uint32_t mode,
		     uint32_t *type);

/*
 * Sends `op` (FS_UNLINK, FS_MKDIR, FS_RENAME ...) to the root of the
 * scheme of `path` with the rest of the path (and, when `extra` is not
 * NULL, a NUL and `extra`) as the send buffer and w[0] = arg.  Returns the
 * server's status.  For FS_RENAME both paths must name the same scheme
 * (-EXDEV otherwise).
 */
long scheme_path_call(uint32_t op, const char *path, const char *extra,
		      uint64_t arg);

/*
 * Sends *m to the root of the scheme of `path` with the rest of the path
 * as the send buffer, preceded by `before` and a NUL when `before` is not
 * NULL (FS_SYMLINK's "target\0linkpath"), and recv[0, recv_len) (recv
 * may be NULL) as the receive buffer.  Returns the server's status; *m
 * holds the reply (handles in it are the caller's to close).
 */
long scheme_root_call(const char *path, const char *before, struct ipc_msg *m,
		      void *recv, size_t recv_len);

/* One FS_* call on an open file; each returns the server's status. */
long file_read(handle_t fd, void *buf, size_t len);
long file_write(handle_t fd, const void *buf, size_t len);
long file_seek(handle_t fd, int64_t offset, int whence);
long file_stat(handle_t fd, struct vstat *st);

#ifdef __NEWLIB__

/* ---- for programs linked with newlib (libc/posix) ---- */

/*
 * Starts the program in the file at `path` (any scheme) with argv and
 * envp (either NULL-terminated; envp may be NULL), giving it the caller's
 * handles 0..3 (standard input, output, error and ns:).  Returns a handle
 * to the new process, for vwait() or sys_proc_kill(), or -1 with errno:
 * ENOENT and the like from opening the file, ENOEXEC for a file that is
 * not a Valence executable, E2BIG when argv and envp together pass
 * SPAWN_MAX_ARGS bytes.  Until fork and exec exist.
 */
int vspawn(const char *path, char *const argv[], char *const envp[]);

/*
 * As vspawn, with fds[0], fds[1] and fds[2] (descriptors of the caller,
 * which need RIGHT_TRANSFER) as the child's standard input, output and
 * error: a file, or a connection to a port the caller serves itself.
 */
int vspawn_with(const char *path, char *const argv[], char *const envp[],
		const int fds[3]);

/*
 * Waits for process handle `proc` to end and closes the handle.  *status
 * (may be NULL) gets a wait status for <sys/wait.h>'s WIFEXITED and the
 * like.  Returns the process's pid, or -1 with errno (EBADF).
 */
int vwait(int proc, int *status);

#else

/* ---- for programs without newlib (libc/mini): output, strings ---- */

/*
 * Format like the kernel's printf (%d %i %u %x %X %o %p %s %c %%, flags
 * '-' and '0', a width, l/ll/z) and write the result to the kernel log.
 * Output beyond PRINT_BUF_SIZE - 1 bytes per call is cut off.  Return the
 * number of bytes written, or -errno.
 */
#define PRINT_BUF_SIZE 1024
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Writes s and a newline to the kernel log. */
void puts_log(const char *s);

/* Ends the process (no atexit handlers, nothing to flush). */
__attribute__((noreturn)) void exit(int status);

/* String functions (kernel/lib/string.c). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif /* __NEWLIB__ */

#endif
