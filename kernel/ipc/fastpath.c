/*
 * The IPC fastpath.  A call that finds its server waiting, and a reply
 * whose caller may run next, switch straight to the other thread instead
 * of going through the run queue and the scheduler.  Whenever a condition
 * does not hold, these functions do nothing and return false, and the
 * ordinary path in ipc.c does the work.
 */
#include "cpu.h"
#include "ipc.h"
#include "lib.h"

bool ipc_fast_send(struct port *port, long *status)
{
	struct thread *r = port->receivers.head;

	if (unlikely(!r || port->closes || !sched_may_run_now(r)))
		return false;
	sched_wake_off_queue(r, 0);
	r->partner = current;
	current->call.receiver = r;
	*status = sched_block_to(WAIT_REPLY, 0, r);
	return true;
}

bool ipc_fast_recv_block(struct port *port, struct thread *caller,
			 uint64_t timeout, uint64_t deadline, long *err)
{
	if (unlikely(!timeout || port->closes || port->senders.head ||
		     current->partner || port->dead ||
		     !sched_may_run_now(caller)))
		return false;
	wait_queue_push(&port->receivers, current);
	*err = sched_block_to(WAIT_QUEUE, deadline, caller);
	return true;
}

/*
 * ---- the syscall-level fastpath ----
 *
 * seL4's idea: the two calls of every request/reply round trip, checked
 * and carried out in one short run each, straight from the system call
 * entry, with every uncommon case sent back to the ordinary path before
 * anything has changed.
 *
 * A thread these functions block keeps no kernel context: it waits with
 * `fast_out` set to where its result goes.  When the other side's
 * fastpath finds it so, it finishes that thread's system call itself
 * (the received record, or the reply message, written straight into its
 * user memory once its address space is loaded) and the thread leaves to
 * user mode on its saved frame.  Woken any other way, it finishes its
 * call afresh through the _done functions below.  A thread blocked by the
 * ordinary path instead is handed its call or reply as ipc.c expects and
 * resumed in its kernel context (sched_resume).
 */

/* The handle `h` of the current process if it is a `type` with `right`. */
static inline struct kobj *fast_handle(uint64_t h, enum obj_type type,
				       uint32_t right)
{
	struct handle_table *ht = &current->proc->handles;
	struct handle *hd;

	if (unlikely(h >= ht->capacity))
		return NULL;
	hd = &ht->slots[h];
	if (unlikely(!hd->obj || hd->obj->type != type ||
		     !(hd->rights & right)))
		return NULL;
	return hd->obj;
}

/* A free slot of `p`'s reply table; reply_capacity if it must grow. */
static inline uint32_t free_reply_slot(const struct process *p)
{
	uint32_t i;

	for (i = 0; i < p->reply_capacity; i++)
		if (!p->replies[i].caller)
			break;
	return i;
}

/* Takes the receiver `r`, first on `port`'s queue, off it. */
static inline void take_receiver(struct port *port, struct thread *r)
{
	struct thread *next = r->wq_next;

	port->receivers.head = next;
	if (next)
		next->wq_prev = NULL;
	else
		port->receivers.tail = NULL;
	r->wq_next = NULL;
	r->queue = NULL;
	r->wait = WAIT_NONE;
}

/* wait_queue_push, inline: the receiver waits at the end of the queue. */
static inline void queue_receiver(struct port *port, struct thread *t)
{
	struct thread *tail = port->receivers.tail;

	t->wq_next = NULL;
	t->wq_prev = tail;
	if (tail)
		tail->wq_next = t;
	else
		port->receivers.head = t;
	port->receivers.tail = t;
	t->queue = &port->receivers;
}

/*
 * The server was blocked by the ordinary path: hand it the call through
 * `partner`, as call_offer does, and resume it where it waits.
 */
static __noreturn void hand_over(struct thread *r, struct port *port,
				 const struct ipc_msg *m)
{
	struct ipc_call_state *c = &current->call;

	c->msg = *m;
	kobj_get(&port->obj);
	take_receiver(port, r);
	r->wake_result = 0;
	r->partner = current;
	c->receiver = r;
	sched_block_switch(WAIT_REPLY, r);
	sched_resume();
}

bool ipc_fastpath_call(uint64_t conn_h, uint64_t umsg, uint64_t ubufs)
{
	struct thread *t = current, *r;
	struct process *me = t->proc, *server;
	struct ipc_call_state *c = &t->call;
	struct ipc_received rec;
	struct conn *conn;
	struct port *port;
	uint32_t i, seq;
	uint64_t uout;

	/* The message first: fewer values live across the copy. */
	if (unlikely(ubufs || copy_from_user(&rec.msg, umsg, sizeof(rec.msg)) ||
		     rec.msg.nhandles || rec.msg.op >= IPC_OP_KERNEL))
		return false;
	conn = (struct conn *)fast_handle(conn_h, OBJ_CONN, RIGHT_WRITE);
	if (unlikely(!conn))
		return false;
	port = conn->port;
	r = port->receivers.head;
	if (unlikely(!r || port->closes || r->deadline ||
		     !sched_may_run_now(r)))
		return false;
	/* A reply slot for direct delivery (hand_over leaves that to r). */
	server = r->proc;
	i = free_reply_slot(server);
	if (unlikely(i == server->reply_capacity && r->fast_out))
		return false;

	/* Checked: from here on the call is made.  No buffers lent. */
	c->bufs.send_len = c->bufs.recv_len = 0;
	c->badge = conn->badge;
	c->port = port;
	c->replied = false;
	t->fast_out = umsg;
	if (unlikely(!r->fast_out))
		hand_over(r, port, &rec.msg);

	/* Deliver: a reply id, the caller's identity, the words. */
	seq = server->reply_seq + 1;
	if (unlikely(seq == 0))
		seq = 1;
	server->reply_seq = seq;
	server->replies[i].caller = t;
	server->replies[i].seq = seq;
	c->msg.nhandles = 0; /* nothing travels with the call */
	c->receiver = NULL;
	c->server = server;
	c->reply_slot = i;
	rec.rid = rid_make(i, seq);
	rec.badge = c->badge;
	rec.pid = me->pid;
	rec.uid = me->uid;
	rec.gid = me->gid;
	rec.reserved = 0;
	rec.send_len = rec.recv_len = 0;
	take_receiver(port, r);
	uout = r->fast_out;
	r->fast_out = 0;
	sched_block_switch(WAIT_REPLY, r);

	/* The server's address space is loaded: its receive ends here. */
	if (likely(!copy_to_user(uout, &rec, sizeof(rec)))) {
		/* Its hold on the port becomes the call's reference. */
		r->held = NULL;
		arch_syscall_return(r->kstack_top, 0);
	}
	/*
	 * Its record is gone: the call goes back to the head of the queue
	 * and the server's receive loop finds the fault again (-EFAULT),
	 * on the server's own stack.
	 */
	server->replies[i].caller = NULL;
	c->server = NULL;
	c->msg = rec.msg;
	kobj_get(&port->obj);
	wait_queue_push_front(&port->senders, t);
	sched_resume();
}

long ipc_fastpath_call_done(uint64_t umsg)
{
	current->fast_out = 0;
	return ipc_call_complete(umsg, current->wake_result);
}

bool ipc_fastpath_reply_recv(uint64_t rid, uint64_t status, uint64_t umsg,
			     uint64_t port_h, uint64_t uout, uint64_t timeout)
{
	struct thread *t = current, *caller;
	struct process *me = t->proc;
	uint32_t i = (uint32_t)rid - 1; /* rid 0: no slot */
	struct ipc_call_state *cc;
	struct reply_slot *slot;
	struct port *port;
	struct ipc_msg m;
	uint64_t cout;

	/*
	 * The user memory first: fewer values live across the calls.  As
	 * in the ordinary path, a bad `uout` fails before the reply.
	 */
	if (unlikely(timeout != IPC_FOREVER ||
		     check_user(uout, sizeof(struct ipc_received), true)))
		return false;
	if (umsg) {
		if (unlikely(copy_from_user(&m, umsg, sizeof(m)) || m.nhandles))
			return false;
	} else {
		memset(&m, 0, sizeof(m));
	}
	port = (struct port *)fast_handle(port_h, OBJ_PORT, RIGHT_READ);
	if (unlikely(!port || i >= me->reply_capacity))
		return false;
	slot = &me->replies[i];
	caller = slot->caller;
	if (unlikely(!caller || slot->seq != (uint32_t)(rid >> 32) ||
		     port->senders.head || port->closes || port->dead ||
		     t->partner || !sched_may_run_now(caller)))
		return false;

	/* Checked: answer, and wait on the port as ipc_recv does. */
	slot->caller = NULL;
	cc = &caller->call;
	cc->server = NULL;
	caller->wait = WAIT_NONE;
	queue_receiver(port, t);
	t->fast_out = uout;
	cout = caller->fast_out;
	if (unlikely(!cout)) {
		/* Blocked by the ordinary path: ipc_call_complete ends it. */
		hold_object(&port->obj);
		cc->msg = m;
		cc->replied = true;
		caller->wake_result = (long)status;
		sched_block_switch(WAIT_QUEUE, caller);
		sched_resume();
	}
	/* The call ends here; its reference to its port becomes our hold. */
	if (cc->port == port) {
		t->held = &port->obj;
	} else {
		kobj_put(&cc->port->obj);
		hold_object(&port->obj);
	}
	cc->port = NULL;
	caller->fast_out = 0;
	sched_block_switch(WAIT_QUEUE, caller);

	/* The caller's address space is loaded: the reply goes out. */
	arch_syscall_return(caller->kstack_top,
			    copy_to_user(cout, &m, sizeof(m)) ? -EFAULT
							      : (long)status);
}

/* Woken: whatever woke us, the receive loop sorts it out. */
long ipc_fastpath_recv_done(uint64_t uout, uint64_t timeout)
{
	current->fast_out = 0;
	return ipc_recv_loop((struct port *)current->held, uout, timeout, NULL,
			     true);
}
