/*
 * The IPC fastpath.  A call that finds its server waiting, and a reply
 * whose caller may run next, switch straight to the other thread instead
 * of going through the run queue and the scheduler.  Whenever a condition
 * does not hold, these functions do nothing and return false, and the
 * ordinary path in ipc.c does the work.
 */
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
