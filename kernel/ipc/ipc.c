/*
 * Synchronous IPC: ports, connections, call / receive / reply, and the
 * reading and writing of the buffers a caller lends.
 *
 * A call lives in the caller's struct thread (call state) from ipc_call
 * until it returns.  It is first queued on the port, then handed to a
 * receiver, then held in the receiving process's reply table under a
 * reply id until answered.  Each stage can be undone when either side
 * dies: see ipc_cancel_thread and ipc_server_gone.
 */
#include "cpu.h"
#include "ipc.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "vm.h"

#define REPLY_SLOTS_MAX 4096

/* ---- ports and connections ---- */

struct port *port_create(void)
{
	struct port *p = kzalloc(sizeof(*p));

	if (p)
		kobj_init(&p->obj, OBJ_PORT);
	return p;
}

static void call_finish(struct thread *caller, long status)
{
	caller->call.receiver = NULL;
	caller->call.server = NULL;
	sched_wake(caller, status);
}

void port_last_handle(struct port *p)
{
	struct thread *t;

	p->dead = true;
	while ((t = wait_queue_pop(&p->senders)))
		call_finish(t, -EPIPE);
	while ((t = p->receivers.head))
		sched_wake(t, -EBADF);
	while (p->closes) {
		struct close_notice *n = p->closes;

		p->closes = n->next;
		kfree(n);
	}
	p->closes_tail = NULL;
}

void port_destroy(struct port *p)
{
	kfree(p);
}

struct conn *conn_create(struct port *port, uint64_t badge)
{
	struct conn *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	kobj_init(&c->obj, OBJ_CONN);
	c->port = port;
	c->badge = badge;
	kobj_get(&port->obj);
	return c;
}

void conn_last_handle(struct conn *c)
{
	struct port *p = c->port;
	struct close_notice *n;
	struct thread *r;

	if (p->dead)
		return;
	n = kzalloc(sizeof(*n));
	if (!n) {
		klog("ipc: out of memory: CLOSE for badge %lu lost\n",
		     c->badge);
		return;
	}
	n->badge = c->badge;
	if (p->closes_tail)
		p->closes_tail->next = n;
	else
		p->closes = n;
	p->closes_tail = n;
	/* Every receiver: one that dies before it runs must not lose it. */
	while ((r = p->receivers.head))
		sched_wake(r, 0);
}

void conn_destroy(struct conn *c)
{
	kobj_put(&c->port->obj);
	kfree(c);
}

/* ---- handles carried by messages ---- */

/*
 * Checks and detaches the `n` handles named in `hs` from `t` into `out`.
 * All are checked first (open, TRANSFER right, no repeats), so that on an
 * error nothing has moved.
 */
static int take_handles(struct handle_table *t, const handle_t *hs, uint32_t n,
			struct handle *out)
{
	struct kobj *o;
	int err;

	for (uint32_t i = 0; i < n; i++) {
		err = handle_get(t, hs[i], OBJ_NONE, RIGHT_TRANSFER, &o);
		if (err)
			return err;
		for (uint32_t j = 0; j < i; j++)
			if (hs[j] == hs[i])
				return -EINVAL;
	}
	for (uint32_t i = 0; i < n; i++)
		handle_detach(t, hs[i], &out[i]);
	return 0;
}

static void release_handles(struct handle *hs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		handle_release(&hs[i]);
}

/*
 * Installs `n` carried handles into `t`, writing their numbers to
 * `numbers`.  On failure, the ones installed are detached again, so that
 * `hs` is as before.  Returns 0 or -EMFILE/-ENOMEM.
 */
static int install_handles(struct handle_table *t, struct handle *hs,
			   uint32_t n, handle_t *numbers)
{
	for (uint32_t i = 0; i < n; i++) {
		int h = handle_install_moved(t, &hs[i]);

		if (h < 0) {
			while (i--)
				handle_detach(t, numbers[i], &hs[i]);
			return h;
		}
		numbers[i] = h;
	}
	return 0;
}

/* ---- reply ids ---- */

static int reply_alloc(struct process *p, struct thread *caller, uint64_t *rid)
{
	uint32_t i;

	for (i = 0; i < p->reply_capacity; i++)
		if (!p->replies[i].caller)
			break;
	if (i == p->reply_capacity) {
		uint32_t cap = p->reply_capacity ? p->reply_capacity * 2 : 16;
		struct reply_slot *s;

		if (cap > REPLY_SLOTS_MAX)
			return -ENOMEM;
		s = kzalloc(cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		if (p->replies)
			memcpy(s, p->replies, p->reply_capacity * sizeof(*s));
		kfree(p->replies);
		p->replies = s;
		p->reply_capacity = cap;
	}
	if (++p->reply_seq == 0)
		p->reply_seq = 1;
	p->replies[i].caller = caller;
	p->replies[i].seq = p->reply_seq;
	caller->call.server = p;
	caller->call.reply_slot = i;
	*rid = rid_make(i, p->reply_seq);
	return 0;
}

/* The caller waiting under `rid` in the current process, or NULL. */
static struct thread *reply_lookup(uint64_t rid, struct reply_slot **slot)
{
	struct process *p = current->proc;
	uint32_t i = (uint32_t)rid - 1, seq = (uint32_t)(rid >> 32);

	if ((uint32_t)rid == 0 || i >= p->reply_capacity ||
	    !p->replies[i].caller || p->replies[i].seq != seq)
		return NULL;
	*slot = &p->replies[i];
	return p->replies[i].caller;
}

/* ---- the caller's side ---- */

/* Hands a queued-up call to a waiting receiver, or queues it. */
static void call_offer(struct port *port, struct thread *caller, bool front)
{
	struct thread *r;

	if (port->dead) {
		call_finish(caller, -EPIPE);
		return;
	}
	r = wait_queue_pop(&port->receivers);
	if (r) {
		r->partner = caller;
		caller->call.receiver = r;
		sched_wake(r, 0);
	} else if (front) {
		wait_queue_push_front(&port->senders, caller);
	} else {
		wait_queue_push(&port->senders, caller);
	}
}

static int copy_buffers(uint64_t ubufs, struct ipc_buffers *b)
{
	if (!ubufs) {
		b->send = NULL;
		b->recv = NULL;
		b->send_len = b->recv_len = 0;
		return 0;
	}
	if (copy_from_user(b, ubufs, sizeof(*b)))
		return -EFAULT;
	if (b->send_len > IPC_BUF_MAX || b->recv_len > IPC_BUF_MAX)
		return -EINVAL;
	if (!user_range_ok((uint64_t)b->send, b->send_len) ||
	    !user_range_ok((uint64_t)b->recv, b->recv_len))
		return -EFAULT;
	return 0;
}

long sys_ipc_call(uint64_t conn_h, uint64_t umsg, uint64_t ubufs)
{
	struct thread *t = current;
	struct ipc_call_state *c = &t->call;
	struct handle_table *ht = &t->proc->handles;
	struct kobj *o;
	struct conn *conn;
	long status;
	int err;

	err = handle_get(ht, conn_h, OBJ_CONN, RIGHT_WRITE, &o);
	if (err)
		return err;
	conn = (struct conn *)o;
	if (copy_from_user(&c->msg, umsg, sizeof(c->msg)))
		return -EFAULT;
	if (c->msg.nhandles > IPC_HANDLES || c->msg.op >= IPC_OP_KERNEL)
		return -EINVAL;
	err = copy_buffers(ubufs, &c->bufs);
	if (err)
		return err;
	if (conn->port->dead)
		return -EPIPE;
	if (c->msg.nhandles) {
		err = take_handles(ht, c->msg.handles, c->msg.nhandles,
				   c->moved);
		if (err)
			return err;
	}

	c->badge = conn->badge;
	c->port = conn->port;
	c->replied = false;
	kobj_get(&c->port->obj);
	if (!ipc_fast_send(c->port, &status)) {
		call_offer(c->port, t, false);
		status = sched_block(WAIT_REPLY, 0);
	}
	return ipc_call_complete(umsg, status);
}

long ipc_call_complete(uint64_t umsg, long status)
{
	struct ipc_call_state *c = &current->call;
	struct handle_table *ht = &current->proc->handles;
	int err;

	kobj_put(&c->port->obj);
	c->port = NULL;
	if (!c->replied) {
		/* Never answered: the handles may still be ours to drop. */
		release_handles(c->moved, c->msg.nhandles);
		c->msg.nhandles = 0;
		return status;
	}
	c->replied = false;
	err = c->msg.nhandles ? install_handles(ht, c->moved, c->msg.nhandles,
						c->msg.handles)
			      : 0;
	if (err) {
		release_handles(c->moved, c->msg.nhandles);
		return err;
	}
	if (copy_to_user(umsg, &c->msg, sizeof(c->msg)))
		return -EFAULT;
	return status;
}

/* ---- the receiver's side ---- */

static int deliver_close(struct port *port, uint64_t uout)
{
	struct close_notice *n = port->closes;
	struct ipc_received r;

	memset(&r, 0, sizeof(r));
	r.msg.op = IPC_OP_CLOSE;
	r.badge = n->badge;
	if (copy_to_user(uout, &r, sizeof(r)))
		return -EFAULT;
	port->closes = n->next;
	if (!port->closes)
		port->closes_tail = NULL;
	kfree(n);
	return 0;
}

/*
 * Takes `caller`'s message into the current process: a reply id, the
 * carried handles, the message copied out.  On failure everything is put
 * back and the caller waits at the head of the queue again.
 */
static int deliver(struct port *port, struct thread *caller, uint64_t uout)
{
	struct ipc_call_state *c = &caller->call;
	struct process *me = current->proc;
	struct ipc_received r;
	int err;

	c->receiver = NULL;
	err = reply_alloc(me, caller, &r.rid);
	if (err)
		goto requeue;
	r.msg = c->msg;
	err = c->msg.nhandles ? install_handles(&me->handles, c->moved,
						c->msg.nhandles, r.msg.handles)
			      : 0;
	if (err) {
		me->replies[c->reply_slot].caller = NULL;
		c->server = NULL;
		/* The server cannot take the handles: fail this call. */
		call_finish(caller, err);
		return 1;
	}
	r.badge = c->badge;
	r.pid = caller->proc->pid;
	r.uid = caller->proc->uid;
	r.gid = caller->proc->gid;
	r.reserved = 0;
	r.send_len = c->bufs.send_len;
	r.recv_len = c->bufs.recv_len;
	if (copy_to_user(uout, &r, sizeof(r)) == 0) {
		c->msg.nhandles = 0; /* the server owns them now */
		return 0;
	}
	for (uint32_t i = 0; i < c->msg.nhandles; i++)
		handle_detach(&me->handles, r.msg.handles[i], &c->moved[i]);
	me->replies[c->reply_slot].caller = NULL;
	c->server = NULL;
	err = -EFAULT;
requeue:
	call_offer(port, caller, true);
	return err;
}

/*
 * Receives on `port`.  `woken` is a caller that a reply just woke without
 * queueing it (reply_recv): it runs next if nothing else is pending.
 * `held`: the caller already holds the port through current->held (the
 * fastpath, which blocked first), and hands that hold over.
 * Order: a call handed to this thread, then queued calls, then CLOSE
 * notices, so that a CLOSE never overtakes a call made before it.
 * The port is kept alive by current->held for the whole receive (also
 * what thread_kill drops if the thread dies blocked here).
 */
long ipc_recv_loop(struct port *port, uint64_t uout, uint64_t timeout,
		   struct thread *woken, bool held)
{
	uint64_t deadline = timeout ? deadline_after(timeout) : 0;
	long err;

	if (!held)
		hold_object(&port->obj);
	for (;;) {
		struct thread *caller;

		if (woken) {
			bool blocked = ipc_fast_recv_block(port, woken, timeout,
							   deadline, &err);

			if (!blocked)
				sched_make_ready(woken);
			woken = NULL;
			if (blocked && err < 0 && !current->partner)
				break;
			if (blocked)
				continue;
		}
		caller = current->partner;
		if (caller)
			current->partner = NULL;
		else if ((caller = wait_queue_pop(&port->senders)))
			caller->queue = NULL;
		if (caller) {
			err = deliver(port, caller, uout);
			if (err <= 0)
				break;
			continue; /* that call failed; take the next */
		}
		if (port->closes) {
			err = deliver_close(port, uout);
			break;
		}
		if (port->dead) {
			err = -EBADF;
			break;
		}
		if (!timeout) {
			err = -ETIMEDOUT;
			break;
		}
		wait_queue_push(&port->receivers, current);
		err = sched_block(WAIT_QUEUE, deadline);
		if (err < 0 && !current->partner)
			break;
	}
	drop_held();
	return err;
}

static int get_port(uint64_t h, struct port **port)
{
	struct kobj *o = NULL;
	int err = handle_get(&current->proc->handles, h, OBJ_PORT, RIGHT_READ,
			     &o);

	*port = (struct port *)o;
	return err;
}

long sys_ipc_recv(uint64_t port_h, uint64_t uout, uint64_t timeout)
{
	struct port *port;
	int err = get_port(port_h, &port);

	if (err)
		return err;
	if (check_user(uout, sizeof(struct ipc_received), true))
		return -EFAULT;
	return ipc_recv_loop(port, uout, timeout, NULL, false);
}

/*
 * Answers the call under `rid`.  With `woken` non-NULL the caller is
 * woken but not queued, and returned there for ipc_recv_loop to run next.
 */
static long do_reply(uint64_t rid, long status, uint64_t umsg,
		     struct thread **woken)
{
	struct reply_slot *slot;
	struct thread *caller = reply_lookup(rid, &slot);
	struct ipc_msg m;
	int err;

	if (!caller)
		return rid ? -ESRCH : -EINVAL;
	if (umsg) {
		if (copy_from_user(&m, umsg, sizeof(m)))
			return -EFAULT;
		if (m.nhandles > IPC_HANDLES)
			return -EINVAL;
		err = m.nhandles
			      ? take_handles(&current->proc->handles, m.handles,
					     m.nhandles, caller->call.moved)
			      : 0;
		if (err)
			return err;
	} else {
		memset(&m, 0, sizeof(m));
	}
	slot->caller = NULL;
	caller->call.msg = m;
	caller->call.replied = true;
	if (woken) {
		caller->call.receiver = NULL;
		caller->call.server = NULL;
		sched_wake_off_queue(caller, status);
		*woken = caller;
	} else {
		call_finish(caller, status);
	}
	return 0;
}

long sys_ipc_reply(uint64_t rid, uint64_t status, uint64_t umsg)
{
	return do_reply(rid, (long)status, umsg, NULL);
}

long sys_ipc_reply_recv(uint64_t rid, uint64_t status, uint64_t umsg,
			uint64_t port_h, uint64_t uout, uint64_t timeout)
{
	struct thread *woken = NULL;
	struct port *port;
	long err = get_port(port_h, &port);

	if (err)
		return err;
	if (check_user(uout, sizeof(struct ipc_received), true))
		return -EFAULT;
	if (rid) {
		err = do_reply(rid, (long)status, umsg, &woken);
		if (err)
			return err;
	}
	return ipc_recv_loop(port, uout, timeout, woken, false);
}

static long buffer_copy(uint64_t rid, uint64_t offset, uint64_t ubuf,
			uint64_t len, bool write)
{
	struct reply_slot *slot;
	struct thread *caller = reply_lookup(rid, &slot);
	const struct ipc_buffers *b;
	uint64_t base, size, n;
	int err;

	if (!caller)
		return rid ? -ESRCH : -EINVAL;
	b = &caller->call.bufs;
	base = write ? (uint64_t)b->recv : (uint64_t)b->send;
	size = write ? b->recv_len : b->send_len;
	if (len > IPC_BUF_MAX)
		return -EINVAL;
	if (!user_range_ok(ubuf, len))
		return -EFAULT;
	if (offset >= size)
		return 0;
	n = MIN(len, size - offset);
	err = uvm_transfer(caller->proc, base + offset, ubuf, n, write);
	return err ? err : (long)n;
}

long sys_ipc_read(uint64_t rid, uint64_t offset, uint64_t ubuf, uint64_t len)
{
	return buffer_copy(rid, offset, ubuf, len, false);
}

long sys_ipc_write(uint64_t rid, uint64_t offset, uint64_t ubuf, uint64_t len)
{
	return buffer_copy(rid, offset, ubuf, len, true);
}

long sys_port_create(void)
{
	struct port *p = port_create();
	int h;

	if (!p)
		return -ENOMEM;
	h = handle_install(&current->proc->handles, &p->obj,
			   RIGHT_READ | RIGHT_MANAGE | RIGHT_DUP |
				   RIGHT_TRANSFER);
	kobj_put(&p->obj);
	return h;
}

long sys_conn_create(uint64_t port_h, uint64_t badge)
{
	struct kobj *o;
	struct conn *c;
	int h = handle_get(&current->proc->handles, port_h, OBJ_PORT,
			   RIGHT_MANAGE, &o);

	if (h)
		return h;
	c = conn_create((struct port *)o, badge);
	if (!c)
		return -ENOMEM;
	h = handle_install(&current->proc->handles, &c->obj,
			   RIGHT_WRITE | RIGHT_DUP | RIGHT_TRANSFER);
	kobj_put(&c->obj);
	return h;
}

/* ---- when threads and servers die ---- */

/* Takes caller t's call out of wherever it is: queue, receiver, server. */
static void take_back(struct thread *t)
{
	struct ipc_call_state *c = &t->call;

	if (t->queue == &c->port->senders)
		wait_queue_remove(&c->port->senders, t);
	if (c->receiver) {
		c->receiver->partner = NULL;
		c->receiver = NULL;
	}
	if (c->server) {
		c->server->replies[c->reply_slot].caller = NULL;
		c->server = NULL;
	}
}

void ipc_interrupt_call(struct thread *t)
{
	take_back(t);
	sched_wake(t, -EINTR); /* ipc_call_complete then ends the call */
}

void ipc_cancel_thread(struct thread *t)
{
	struct ipc_call_state *c = &t->call;

	/* A receiver that was handed a call it never took: pass it on. */
	if (t->partner) {
		struct thread *caller = t->partner;

		t->partner = NULL;
		caller->call.receiver = NULL;
		if (caller->call.port->dead)
			call_finish(caller, -EPIPE);
		else
			call_offer(caller->call.port, caller, true);
	}
	if (!c->port)
		return;
	take_back(t);
	/* moved[] holds whatever the call still carries: request or reply. */
	release_handles(c->moved, c->msg.nhandles);
	c->msg.nhandles = 0;
	kobj_put(&c->port->obj);
	c->port = NULL;
}

void ipc_server_gone(struct process *p)
{
	for (uint32_t i = 0; i < p->reply_capacity; i++) {
		struct thread *caller = p->replies[i].caller;

		if (caller) {
			p->replies[i].caller = NULL;
			call_finish(caller, -EPIPE);
		}
	}
}
