/*
 * The Valence kernel ABI: every structure and constant shared by the
 * kernel and user space.  Layouts are fixed (checked below); docs/abi.md
 * explains each system call.  Error returns are -errno (valence/errno.h).
 */
#ifndef VALENCE_ABI_H
#define VALENCE_ABI_H

#include <stddef.h>
#include <stdint.h>

/* ---- handles ---- */

typedef int32_t handle_t; /* small integer, lowest free first */
#define HANDLE_INVALID (-1)
#define HANDLE_MAX     1024 /* per process */

/* Rights carried by a handle. */
#define RIGHT_READ                                                             \
	(1u << 0) /* recv on a port, wait on a notification, map readable */
#define RIGHT_WRITE    (1u << 1) /* call on a connection, signal, map writable */
#define RIGHT_MAP      (1u << 2) /* vm_map a memory object */
#define RIGHT_TRANSFER (1u << 3) /* move in IPC, pass to a spawned process */
#define RIGHT_DUP      (1u << 4) /* handle_dup */
#define RIGHT_MANAGE                                                           \
	(1u << 5) /* make connections; wait for/kill a process; derive from a  \
		     root */
#define RIGHT_EXEC  (1u << 6) /* map executable */
#define RIGHTS_ALL  0x7fu
#define RIGHTS_SAME 0xffffffffu /* handle_dup: keep the rights as they are */

enum obj_type {
	OBJ_NONE = 0,
	OBJ_PROCESS = 1,
	OBJ_THREAD = 2,
	OBJ_PORT = 3,
	OBJ_CONN = 4,
	OBJ_NOTIFY = 5,
	OBJ_MEMORY = 6,
	OBJ_IRQ = 7,
	OBJ_IOPORT = 8,
};

struct handle_info {
	uint32_t type; /* enum obj_type */
	uint32_t rights;
	uint64_t object_id; /* unique for the object's lifetime, never reused */
	union {
		uint64_t size; /* memory objects: bytes */
		uint64_t pid;  /* processes: its pid */
		uint64_t msi;  /* MSI lines: address << 32 | data to program */
	};
};
_Static_assert(sizeof(struct handle_info) == 24, "handle_info layout");

/* ---- IPC ---- */

#define IPC_WORDS   6
#define IPC_HANDLES 4
#define IPC_FOREVER UINT64_MAX	/* timeout: wait forever */
#define IPC_BUF_MAX (64u << 20) /* largest lent buffer */

/* Opcodes at or above IPC_OP_KERNEL come from the kernel, not a client. */
#define IPC_OP_KERNEL 0xffff0000u
#define IPC_OP_CLOSE                                                           \
	0xffff0001u /* last handle to the connection with this badge closed */

/* A message: an opcode (or, in a reply, unused), six words, handles. */
struct ipc_msg {
	uint32_t op;
	uint32_t nhandles; /* handles moved with the message, <= 4 */
	uint64_t w[IPC_WORDS];
	handle_t handles[IPC_HANDLES]; /* sender's numbers out, receiver's
					  numbers in */
};
_Static_assert(sizeof(struct ipc_msg) == 72, "ipc_msg layout");

/* Buffers a caller lends the server for one call (either may be empty). */
struct ipc_buffers {
	const void *send; /* the server may ipc_read this */
	uint64_t send_len;
	void *recv; /* the server may ipc_write this */
	uint64_t recv_len;
};
_Static_assert(sizeof(struct ipc_buffers) == 32, "ipc_buffers layout");

/* What ipc_recv fills in; caller identity is stamped by the kernel. */
struct ipc_received {
	struct ipc_msg msg;
	uint64_t rid;	/* reply id, 0 for kernel messages */
	uint64_t badge; /* of the connection the call came through */
	uint32_t pid, uid, gid;
	uint32_t reserved;
	uint64_t send_len; /* lengths of the caller's lent buffers */
	uint64_t recv_len;
};
_Static_assert(sizeof(struct ipc_received) == 120, "ipc_received layout");

/* ---- memory ---- */

#define VM_READ	 (1u << 0)
#define VM_WRITE (1u << 1)
#define VM_EXEC	 (1u << 2)

#define MEM_CACHE_WB 0 /* mem_create_phys cache modes */
#define MEM_CACHE_UC 1
#define MEM_CACHE_WC 2

#define MEM_MAX_SIZE (1ull << 32) /* largest memory object */

/* ---- processes ---- */

struct spawn_args {
	const void *image; /* ELF64 executable in the caller's memory */
	uint64_t image_len;
	const handle_t *handles; /* become the child's handles 0..n-1 */
	uint32_t nhandles;	 /* <= SPAWN_MAX_HANDLES */
	uint32_t priority;	 /* 0 = the caller's own; never above it */
	const char *args;	 /* NUL-separated strings, argv[0] first */
	uint64_t args_len;	 /* <= SPAWN_MAX_ARGS */
	const char *name;  /* for logs; NUL-terminated, <= 31 chars used */
	uint32_t argc;	   /* the block's first argc strings are argv, the
			      rest the environment; 0: all are argv */
	uint32_t reserved; /* 0 */
};
_Static_assert(sizeof(struct spawn_args) == 64, "spawn_args layout");

#define SPAWN_MAX_HANDLES 16
#define SPAWN_MAX_ARGS	  4096
/* Threads per process; thread_create says -EAGAIN beyond. */
#define PROC_MAX_THREADS 256

/*
 * A new process starts at its ELF entry with rdi = number of handles it
 * was given, rsi = its argument block (on its stack), rdx = block length,
 * r8 = spawn_args.argc as given, r9 = its pid, and rsp 16-byte aligned
 * minus 8, as if called.
 */
#define USER_STACK_TOP	0x00007fffff000000ull
#define USER_STACK_SIZE (256u << 10)

/* Wait status, encoded as POSIX/newlib expect. */
#define WAIT_EXITED(code)  (((code)&0xff) << 8)
#define WAIT_SIGNALED(sig) ((sig)&0x7f)

/* Signal numbers the kernel knows (newlib's, 1..SIG_MAX). */
#define SIG_ILL	  4
#define SIG_FPE	  8
#define SIG_KILL  9
#define SIG_SEGV  11
#define SIG_URG	  16
#define SIG_STOP  17
#define SIG_TSTP  18
#define SIG_CONT  19
#define SIG_CHLD  20
#define SIG_TTIN  21
#define SIG_TTOU  22
#define SIG_WINCH 28
#define SIG_MAX	  31

/*
 * What a caught signal finds on its thread's stack: the handler entry
 * (PC_SIGACTION) is called as entry(signo, frame) and ends with
 * PC_SIGRETURN(frame), which restores all of it.
 */
struct sig_frame {
	uint64_t signo;
	uint64_t mask;	   /* the thread's signal mask before the handler */
	uint64_t regs[22]; /* the interrupted registers, as the kernel saves
			      them (r15 .. rax, vector, error, rip, cs,
			      rflags, rsp, ss) */
	uint8_t fpu[512];  /* their FXSAVE state */
};
_Static_assert(sizeof(struct sig_frame) == 704, "sig_frame layout");

/* ---- proc_ctl: Unix process relations ---- */

#define PC_GETPPID 1 /* the parent's pid (init's children: 1) */
#define PC_GETPGID 2 /* a: pid, 0 = the caller */
#define PC_SETPGID 3 /* a: pid (0 = the caller), b: pgid (0 = that pid) */
#define PC_GETSID  4 /* a: pid, 0 = the caller */
#define PC_SETSID  5 /* a new session and group, led by the caller */
#define PC_KILL	   6 /* a: pid selector, b: signal (0: only check) */
#define PC_WAIT	   7 /* a: pid selector, b: PC_WAIT_* flags, c: int *status */
#define PC_GETPID  8 /* the caller's pid */
/* a: a new limit on the processes in the system beyond which the caller
   and its future children may not create one (0: only ask), lower than
   the current one.  Returns the limit. */
#define PC_NPROC	   14
#define PROC_NPROC_DEFAULT 512 /* init's and so everyone's at first */
/* a: a pid; c: a struct proc_info.  Fills it for the process with the
   smallest pid >= a, and returns that pid (-ESRCH: none).  ps walks the
   processes with it. */
#define PC_PROCINFO 15
/* The caller's uid | gid << 32. */
#define PC_GETUID 16
/* a: uid, b: gid.  Only uid 0 may change them (once: the new user cannot
   change back).  Children and exec keep them; servers check permissions
   against them. */
#define PC_SETUID 17

struct proc_info {
	uint32_t pid, ppid, pgid, uid;
	uint32_t state; /* 'R' running or ready, 'S' waiting, 'T' stopped,
			   'Z' ended, not yet waited for */
	uint32_t nthreads;
	uint64_t pages; /* 4 KiB pages mapped */
	char name[32];
};
_Static_assert(sizeof(struct proc_info) == 64, "proc_info layout");
/* Signals: a: signal, b: PC_SIG_DEFAULT/IGNORE/CATCH, c: the entry of
   every caught signal (0: unchanged).  Returns the old disposition. */
#define PC_SIGACTION 9
/* a: PC_SIG_SETMASK/BLOCK/UNBLOCK, b: signal bits (1 << sig).  Returns
   the calling thread's old mask. */
#define PC_SIGMASK    10
#define PC_SIGRETURN  11 /* a: the struct sig_frame; returns its rax */
#define PC_SIGSUSPEND 12 /* b: a mask to wait with; -EINTR after a handler */
#define PC_SIGPENDING 13 /* the process's pending signals */

#define PC_SIG_DEFAULT 0
#define PC_SIG_IGNORE  1
#define PC_SIG_CATCH   2
#define PC_SIG_SETMASK 0 /* newlib's SIG_SETMASK, SIG_BLOCK, SIG_UNBLOCK */
#define PC_SIG_BLOCK   1
#define PC_SIG_UNBLOCK 2

/* PC_WAIT flags (newlib's WNOHANG, WUNTRACED). */
#define PC_WAIT_NOHANG	 1 /* 0 at once if no child has changed state */
#define PC_WAIT_UNTRACED 2 /* stopped children too (none stop yet) */

/*
 * A pid selector (PC_KILL, PC_WAIT), as POSIX's kill and waitpid: > 0 that
 * process; 0 the caller's process group; -1 every process (PC_KILL: that
 * the caller may signal, but init and itself; PC_WAIT: every child);
 * < -1 the process group -pid.
 */

/* Priorities: higher runs first. */
#define PRIO_MIN    0
#define PRIO_MAX    31
#define PRIO_APP    8
#define PRIO_DRIVER 16
#define PRIO_INIT   24

/* Handles the first process (init) starts with. */
#define INIT_H_BOOTFS 0 /* memory object: the boot archive (read, map) */
#define INIT_H_PHYS   1 /* root of physical ranges (manage) */
#define INIT_H_IRQ    2 /* root of interrupt lines (manage) */
#define INIT_H_IOPORT 3 /* root of I/O ports (manage) */
#define INIT_H_KLOG   4 /* memory object: the kernel log (read, map) */
#define INIT_HANDLES  5

/* ---- the kernel log (INIT_H_KLOG) ---- */

/*
 * The memory object of INIT_H_KLOG: this header in its first page, the
 * ring of log bytes at data_offset.  Byte p of the log (counted from the
 * first byte since boot) sits at data_offset + p % size.  The kernel
 * raises `started` before it overwrites any of the ring and `written`
 * after, so a reader copies [from, written) and then, with `started` read
 * after the copy, keeps only what is at or above started - size (the rest
 * may have been overwritten meanwhile).  docs/abi.md ("The kernel log").
 */
struct klog_header {
	uint32_t magic;	      /* KLOG_MAGIC */
	uint32_t version;     /* KLOG_VERSION */
	uint64_t data_offset; /* where the ring starts in the object */
	uint64_t size;	      /* ring bytes: a power of two */
	uint64_t started;     /* bytes whose writing has begun */
	uint64_t written;     /* bytes completely written (<= started) */
	uint64_t reserved[3];
};
_Static_assert(sizeof(struct klog_header) == 64, "klog_header layout");

#define KLOG_MAGIC   0x474f4c4bu /* "KLOG" in memory */
#define KLOG_VERSION 1

/* ---- interrupt lines (irq_bind) ---- */

#define IRQ_LINE_COUNT	   56 /* lines 0..55 */
#define IRQ_LINE_MSI_FIRST 24 /* 0..23: ISA IRQs and GSIs; 24..55: MSI */

/* ---- statistics (sys_stats) ---- */

struct sys_stats {
	uint64_t free_frames;
	uint64_t total_frames;
	uint64_t heap_bytes;
	uint64_t processes;
	uint64_t threads;
	uint64_t objects; /* live kernel objects */
};
_Static_assert(sizeof(struct sys_stats) == 48, "sys_stats layout");

#endif
