/*
 * libdriver: start-up handles, registration and the loop (driver.h).
 */
#include "driver.h"

#define IRQ_STACK    8192
#define IRQ_MESSAGE  1		 /* op of an interrupt thread's call */
#define RETRY_DELAY  10000000ull /* 10 ms after a failed receive */
#define IRQ_BADGE(i) (DRIVER_BADGE_LIB | (i))
#define DRAIN_MAX    64 /* messages one driver_drain takes at most */

static uint8_t irq_stacks[DRIVER_MAX_IRQS][IRQ_STACK]
	__attribute__((aligned(16)));
static handle_t irq_conn[DRIVER_MAX_IRQS];
static struct driver *the_driver;	 /* for the interrupt threads */
static const struct driver_ops *the_ops; /* set by driver_serve */

/* Takes handle h as `what` if its type is `type`. */
static int take(struct driver *d, handle_t h, uint32_t type, const char *what,
		handle_t *out)
{
	struct handle_info info;
	int err = sys_handle_info(h, &info);

	if (err < 0 || info.type != type) {
		printf("%s: handle %d is not %s (type %u, error %d): check "
		       "the services line\n",
		       d->name, h, what, err < 0 ? 0 : info.type, err);
		return -EINVAL;
	}
	*out = h;
	return 0;
}

int driver_init(struct driver *d, const char *name, uint32_t nioports,
		uint32_t nirqs, uint32_t nphys)
{
	uint32_t need = PROC_HANDLES + nioports + 2 * nirqs + nphys;
	handle_t h = PROC_HANDLES;
	int err = 0;

	memset(d, 0, sizeof(*d));
	d->name = name;
	d->port = HANDLE_INVALID;
	if (nioports > DRIVER_MAX_IOPORTS || nirqs > DRIVER_MAX_IRQS ||
	    nphys > DRIVER_MAX_PHYS)
		return -EINVAL;
	if (valence_initial_handles < need) {
		printf("%s: started with %u handles, needs %u: %u ioport=, "
		       "%u irq=, %u phys= in its services line\n",
		       name, valence_initial_handles, need, nioports, nirqs,
		       nphys);
		return -EINVAL;
	}
	d->nioports = nioports;
	d->nirqs = nirqs;
	d->nphys = nphys;
	for (uint32_t i = 0; i < nioports && !err; i++)
		err = take(d, h++, OBJ_IOPORT, "an I/O port range",
			   &d->ioport[i]);
	for (uint32_t i = 0; i < nirqs && !err; i++) {
		err = take(d, h++, OBJ_NOTIFY, "a notification",
			   &d->irq_notify[i]);
		if (!err)
			err = take(d, h++, OBJ_IRQ, "an interrupt line",
				   &d->irq[i]);
	}
	for (uint32_t i = 0; i < nphys && !err; i++)
		err = take(d, h++, OBJ_MEMORY, "a memory object", &d->phys[i]);
	if (err)
		return err;
	d->port = sys_port_create();
	return d->port < 0 ? d->port : 0;
}

long driver_register(struct driver *d, const char *scheme)
{
	handle_t root = sys_conn_create(d->port, 0);

	return root < 0 ? root : scheme_register(scheme, root);
}

/*
 * An interrupt thread: waits for line i's notification and hands each
 * interrupt to the main loop as a call, which returns once the loop has
 * handled and acknowledged it.
 */
static void irq_thread(uint64_t i)
{
	struct driver *d = the_driver;
	struct ipc_msg m;
	uint64_t bits;
	int err;

	for (;;) {
		err = sys_notify_wait(d->irq_notify[i], IPC_FOREVER, &bits);
		if (err < 0) {
			printf("%s: waiting for interrupt %u failed: error "
			       "%d\n",
			       d->name, (unsigned)i, err);
			sys_thread_exit(1);
		}
		memset(&m, 0, sizeof(m));
		m.op = IRQ_MESSAGE;
		m.w[0] = bits;
		sys_ipc_call(irq_conn[i], &m, NULL);
	}
}

static int start_irq_threads(struct driver *d)
{
	the_driver = d;
	for (uint32_t i = 0; i < d->nirqs; i++) {
		handle_t t;

		irq_conn[i] = sys_conn_create(d->port, IRQ_BADGE(i));
		if (irq_conn[i] < 0)
			return irq_conn[i];
		t = sys_thread_create(
			irq_thread, (uint64_t)(uintptr_t)&irq_stacks[i + 1][0],
			i);
		if (t < 0)
			return t;
		sys_handle_close(t);
	}
	return 0;
}

/*
 * Deals with what ipc_recv delivered.  Returns the status to reply with,
 * or DRIVER_ANSWERED when there is nothing to reply (kernel notices, or
 * the handler answered).
 */
static long dispatch(struct driver *d, const struct driver_ops *ops,
		     const struct ipc_received *r)
{
	if (r->msg.op == IPC_OP_CLOSE) {
		if (ops->close && !(r->badge & DRIVER_BADGE_LIB))
			ops->close(d, r->badge);
		return DRIVER_ANSWERED;
	}
	if (r->msg.op >= IPC_OP_KERNEL)
		return DRIVER_ANSWERED;
	/* No driver message takes handles: drop any a client moved. */
	for (uint32_t i = 0; i < r->msg.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(r->msg.handles[i]);
	if (r->badge & DRIVER_BADGE_LIB) {
		uint32_t i = (uint32_t)(r->badge & 0xff);

		if (i < d->nirqs) {
			if (ops->interrupt)
				ops->interrupt(d, i);
			sys_irq_ack(d->irq[i]);
		}
		return 0;
	}
	return ops->request ? ops->request(d, r) : -ENOSYS;
}

void driver_drain(struct driver *d)
{
	static bool draining;
	struct ipc_received r;

	if (draining || !the_ops)
		return;
	draining = true;
	for (int i = 0; i < DRAIN_MAX && sys_ipc_recv(d->port, &r, 0) == 0;
	     i++) {
		long status = dispatch(d, the_ops, &r);

		if (status != DRIVER_ANSWERED)
			sys_ipc_reply(r.rid, status, NULL);
	}
	draining = false;
}

void driver_serve(struct driver *d, const struct driver_ops *ops)
{
	struct ipc_received r;
	uint64_t rid = 0;
	long status = 0;
	int err;

	the_ops = ops;
	err = start_irq_threads(d);
	if (err < 0) {
		printf("%s: cannot start its interrupt threads: error %d\n",
		       d->name, err);
		sys_proc_exit(1);
	}
	for (;;) {
		if (rid)
			err = sys_ipc_reply_recv(rid, status, NULL, d->port, &r,
						 IPC_FOREVER);
		else
			err = sys_ipc_recv(d->port, &r, IPC_FOREVER);
		rid = 0;
		if (err == -ESRCH)
			continue; /* the caller of the reply is gone */
		if (err < 0) {
			printf("%s: receive failed: error %d\n", d->name, err);
			sys_sleep(RETRY_DELAY);
			continue;
		}
		status = dispatch(d, ops, &r);
		if (status != DRIVER_ANSWERED)
			rid = r.rid;
	}
}
