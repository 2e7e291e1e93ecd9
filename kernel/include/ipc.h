/*
 * Ports, connections, notifications, interrupt lines and I/O port ranges
 * (kernel/ipc/ipc.c, kernel/object/notify.c, irq.c, ioport.c).
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "proc.h"

struct close_notice {
	uint64_t badge;
	struct close_notice *next;
};

struct port {
	struct kobj obj;
	bool dead;		     /* its last handle is gone */
	struct wait_queue senders;   /* callers waiting for a receiver */
	struct wait_queue receivers; /* server threads in ipc_recv */
	struct close_notice *closes, *closes_tail;
};

struct conn {
	struct kobj obj;
	struct port *port; /* holds a reference */
	uint64_t badge;
};

/* A call received by a server and not yet answered. */
struct reply_slot {
	struct thread *caller; /* NULL: free */
	uint32_t seq;
};

struct notify {
	struct kobj obj;
	uint64_t bits;
	struct wait_queue waiters;
};

struct irq {
	struct kobj obj;
	bool root; /* may bind any line */
	uint32_t line;
	struct notify *notify; /* holds a reference */
	uint64_t bit;
};

struct ioport {
	struct kobj obj;
	bool root; /* may derive ranges; grants no ports itself */
	uint32_t base, count;
};

void port_destroy(struct port *p);
void port_last_handle(struct port *p);
void conn_destroy(struct conn *c);
void conn_last_handle(struct conn *c);
void notify_destroy(struct notify *n);
void notify_last_handle(struct notify *n);
void irq_destroy(struct irq *q);
void ioport_destroy(struct ioport *io);

/* Sets bits in `n` and wakes a waiter (also from interrupt context). */
void notify_raise(struct notify *n, uint64_t bits);

/* Root objects for init. */
struct irq *irq_create_root(void);
struct ioport *ioport_create_root(void);

/*
 * The fastpath (ipc/fastpath.c).  ipc_fast_send: hands the current
 * thread's prepared call to a receiver waiting on `port` and switches to
 * it; *status is the call's result.  ipc_fast_recv_block: with `caller`
 * woken but not queued by a reply, blocks the current thread in receive
 * on `port` and switches straight to the caller; *err is the wake result.
 * Both return false, having done nothing, when the ordinary path must run.
 */
bool ipc_fast_send(struct port *port, long *status);
bool ipc_fast_recv_block(struct port *port, struct thread *caller,
			 uint64_t timeout, uint64_t deadline, long *err);

/*
 * Pieces of the ordinary path the syscall fastpath continues with.
 * ipc_call_complete: the end of ipc_call once the caller runs again (the
 * reply, or why there is none).  ipc_recv_loop: the receive loop.
 */
long ipc_call_complete(uint64_t umsg, long status);
long ipc_recv_loop(struct port *port, uint64_t uout, uint64_t timeout,
		   struct thread *woken, bool held);

/*
 * The syscall-level fastpath (ipc/fastpath.c), tried before the system
 * call table: a register-only call to a waiting server, and a reply whose
 * caller may run next followed by a receive with no deadline.  They
 * return false, having changed nothing, when the ordinary call must run
 * instead.  When they take the call they do not return: the current
 * thread blocks (sched_block_switch) and the other thread runs, either
 * leaving to user mode with its system call finished
 * (arch_syscall_return) or resumed in its kernel context (sched_resume).
 * The blocked thread, when the other side does not finish its call the
 * same way, ends it with the matching _done function, which gives the
 * system call's result.
 */
bool ipc_fastpath_call(uint64_t conn_h, uint64_t umsg, uint64_t ubufs);
bool ipc_fastpath_reply_recv(uint64_t rid, uint64_t status, uint64_t umsg,
			     uint64_t port_h, uint64_t uout, uint64_t timeout);
long ipc_fastpath_call_done(uint64_t umsg);
long ipc_fastpath_recv_done(uint64_t uout, uint64_t timeout);

/* A reply id: slot index + 1 below, the slot's sequence number above. */
static inline uint64_t rid_make(uint32_t slot, uint32_t seq)
{
	return ((uint64_t)seq << 32) | (slot + 1);
}

/* IPC clean-up when a thread dies mid-call or a server process ends. */
void ipc_cancel_thread(struct thread *t);
/*
 * A caught signal ends caller t's wait for a reply (it blocked in the
 * ordinary path, not the fastpath's): the call is taken back and
 * ipc_call returns -EINTR; a reply the server sends later finds no caller.
 */
void ipc_interrupt_call(struct thread *t);
void ipc_server_gone(struct process *p);

#endif
