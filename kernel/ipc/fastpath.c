/*
 * The IPC fastpath.  A call that finds its server waiting, and a reply
 * whose caller may run next, switch straight to the other thread instead
 * of going through the run queue and the scheduler.  Whenever a condition
 * does not hold, these functions do nothing and return false, and the
 * ordinary path in ipc.c does the work.
 */
#include "cpu.h"
#include "ipc.h"

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
 * entry (syscall_invoke), with every uncommon case sent back to the
 * ordinary path before anything has changed.
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

bool ipc_fastpath_call(uint64_t conn_h, uint64_t umsg, uint64_t ubufs)
{
	struct thread *t = current, *r;
	struct ipc_call_state *c = &t->call;
	struct conn *conn;
	struct port *port;

	conn = (struct conn *)fast_handle(conn_h, OBJ_CONN, RIGHT_WRITE);
	if (unlikely(!conn || ubufs))
		return false;
	port = conn->port;
	r = port->receivers.head;
	if (unlikely(!r || port->closes || r->deadline ||
		     !sched_may_run_now(r)))
		return false;
	/* Checked in place; on any doubt the ordinary path starts over. */
	if (unlikely(copy_from_user(&c->msg, umsg, sizeof(c->msg)) ||
		     c->msg.nhandles || c->msg.op >= IPC_OP_KERNEL))
		return false;

	c->bufs.send = NULL;
	c->bufs.recv = NULL;
	c->bufs.send_len = c->bufs.recv_len = 0;
	c->badge = conn->badge;
	c->port = port;
	c->replied = false;
	kobj_get(&port->obj);
	/* Hand the call to the receiver, which runs next and takes it. */
	wait_queue_remove(&port->receivers, r);
	r->wait = WAIT_NONE;
	r->wake_result = 0;
	r->state = THREAD_READY;
	r->partner = t;
	c->receiver = r;
	sched_block_jump(WAIT_REPLY, r);
}

long ipc_fastpath_call_done(uint64_t umsg)
{
	return ipc_call_complete(umsg, current->wake_result);
}

bool ipc_fastpath_reply_recv(uint64_t rid, uint64_t status, uint64_t umsg,
			     uint64_t port_h, uint64_t uout, uint64_t timeout)
{
	struct thread *t = current, *caller;
	struct process *me = t->proc;
	uint32_t i = (uint32_t)rid - 1;
	struct reply_slot *slot;
	struct port *port;

	port = (struct port *)fast_handle(port_h, OBJ_PORT, RIGHT_READ);
	if (unlikely(!port || !umsg || timeout != IPC_FOREVER ||
		     (uint32_t)rid == 0 || i >= me->reply_capacity))
		return false;
	slot = &me->replies[i];
	caller = slot->caller;
	if (unlikely(!caller || slot->seq != (uint32_t)(rid >> 32) ||
		     port->senders.head || port->closes || port->dead ||
		     t->partner || !sched_may_run_now(caller)))
		return false;
	/* As the ordinary path: a bad `uout` fails before the reply. */
	if (unlikely(check_user(uout, sizeof(struct ipc_received), true)))
		return false;
	/*
	 * The reply goes straight into the caller's message: until it is
	 * answered only its nhandles is read (0 once the request's handles
	 * went to us), and the ordinary path overwrites it.
	 */
	if (unlikely(copy_from_user(&caller->call.msg, umsg,
				    sizeof(caller->call.msg)) ||
		     caller->call.msg.nhandles)) {
		caller->call.msg.nhandles = 0;
		return false;
	}

	/* Answer: the caller runs next, straight from here. */
	slot->caller = NULL;
	caller->call.replied = true;
	caller->call.server = NULL;
	caller->wait = WAIT_NONE;
	caller->wake_result = (long)status;
	caller->state = THREAD_READY;
	/* Wait on the port meanwhile, holding it, as ipc_recv does. */
	hold_object(&port->obj);
	wait_queue_push(&port->receivers, t);
	sched_block_jump(WAIT_QUEUE, caller);
}

/* Woken: whatever woke us, the receive loop sorts it out. */
long ipc_fastpath_recv_done(uint64_t uout, uint64_t timeout)
{
	return ipc_recv_loop((struct port *)current->held, uout, timeout, NULL,
			     true);
}
