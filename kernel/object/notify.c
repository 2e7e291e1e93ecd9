/*
 * Notifications (64 event bits with signal and wait), interrupt lines
 * bound to them, I/O port ranges, and futexes.
 */
#include "arch.h"
#include "cpu.h"
#include "ipc.h"
#include "irq.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "vm.h"

/* ---- notifications ---- */

static long install(struct kobj *o, uint32_t rights)
{
	long h = handle_install(&current->proc->handles, o, rights);

	kobj_put(o);
	return h;
}

long sys_notify_create(void)
{
	struct notify *n = kzalloc(sizeof(*n));

	if (!n)
		return -ENOMEM;
	kobj_init(&n->obj, OBJ_NOTIFY);
	return install(&n->obj,
		       RIGHT_READ | RIGHT_WRITE | RIGHT_DUP | RIGHT_TRANSFER);
}

void notify_raise(struct notify *n, uint64_t bits)
{
	struct thread *t;

	n->bits |= bits;
	/*
	 * Wake every waiter: the first to run takes the bits, the others wait
	 * again.  Waking one could lose the event if that one died first.
	 */
	while (n->bits && (t = n->waiters.head))
		sched_wake(t, 0);
}

void notify_last_handle(struct notify *n)
{
	wait_queue_wake_all(&n->waiters, -EBADF);
}

void notify_destroy(struct notify *n)
{
	kfree(n);
}

static int get(uint64_t h, enum obj_type type, uint32_t rights, struct kobj **o)
{
	return handle_get(&current->proc->handles, h, type, rights, o);
}

long sys_notify_signal(uint64_t h, uint64_t bits)
{
	struct kobj *o;
	int err = get(h, OBJ_NOTIFY, RIGHT_WRITE, &o);

	if (err)
		return err;
	notify_raise((struct notify *)o, bits);
	return 0;
}

long sys_notify_wait(uint64_t h, uint64_t timeout, uint64_t ubits)
{
	uint64_t deadline = timeout ? deadline_after(timeout) : 0;
	struct notify *n;
	struct kobj *o;
	long err = get(h, OBJ_NOTIFY, RIGHT_READ, &o);

	if (err)
		return err;
	if (check_user(ubits, sizeof(uint64_t), true))
		return -EFAULT;
	n = (struct notify *)o;
	hold_object(o);
	while (!n->bits && !err)
		err = timeout ? wait_on(&n->waiters, deadline) : -ETIMEDOUT;
	if (!err) {
		err = copy_to_user(ubits, &n->bits, sizeof(n->bits));
		if (!err)
			n->bits = 0;
	}
	drop_held();
	return err;
}

/* ---- interrupt lines ---- */

static struct irq *bound[IRQ_LINES];

struct irq *irq_create_root(void)
{
	struct irq *q = kzalloc(sizeof(*q));

	if (q) {
		kobj_init(&q->obj, OBJ_IRQ);
		q->root = true;
	}
	return q;
}

long sys_irq_bind(uint64_t root_h, uint64_t line, uint64_t notify_h,
		  uint64_t bit)
{
	struct kobj *root, *no;
	struct irq *q;
	long err;

	err = get(root_h, OBJ_IRQ, RIGHT_MANAGE, &root);
	if (!err)
		err = get(notify_h, OBJ_NOTIFY, RIGHT_WRITE, &no);
	if (err)
		return err;
	if (!((struct irq *)root)->root)
		return -EPERM;
	if (line >= IRQ_LINES || bit >= 64)
		return -EINVAL;
	if (bound[line])
		return -EBUSY;
	q = kzalloc(sizeof(*q));
	if (!q)
		return -ENOMEM;
	kobj_init(&q->obj, OBJ_IRQ);
	q->line = (uint32_t)line;
	q->notify = (struct notify *)no;
	q->bit = 1UL << bit;
	kobj_get(no);
	bound[line] = q;
	err = arch_irq_unmask((unsigned)line);
	if (err) {
		kobj_put(&q->obj);
		return err;
	}
	return install(&q->obj, RIGHT_WRITE | RIGHT_DUP | RIGHT_TRANSFER);
}

void irq_line_interrupt(unsigned line)
{
	if (line < IRQ_LINES && bound[line])
		notify_raise(bound[line]->notify, bound[line]->bit);
}

long sys_irq_ack(uint64_t h)
{
	struct kobj *o;
	struct irq *q;
	long err = get(h, OBJ_IRQ, RIGHT_WRITE, &o);

	if (err)
		return err;
	q = (struct irq *)o;
	if (q->root)
		return -EINVAL;
	return arch_irq_unmask(q->line);
}

void irq_destroy(struct irq *q)
{
	if (!q->root && bound[q->line] == q) {
		arch_irq_mask(q->line);
		bound[q->line] = NULL;
	}
	if (q->notify)
		kobj_put(&q->notify->obj);
	kfree(q);
}

/*
 * ---- I/O ports: holding a range's handle grants its ports ----
 * The root only derives ranges (sys_ioport_create); it grants nothing by
 * itself, so that passing it on does not open every port.
 */

#define IO_PORTS 65536

struct ioport *ioport_create_root(void)
{
	struct ioport *io = kzalloc(sizeof(*io));

	if (io) {
		kobj_init(&io->obj, OBJ_IOPORT);
		io->root = true;
		io->count = IO_PORTS;
	}
	return io;
}

long sys_ioport_create(uint64_t parent_h, uint64_t base, uint64_t count)
{
	struct ioport *parent, *io;
	struct kobj *o;
	long err = get(parent_h, OBJ_IOPORT, RIGHT_MANAGE, &o);

	if (err)
		return err;
	parent = (struct ioport *)o;
	/* All in 64 bits: [base, base + count) must lie inside the parent. */
	if (!count || base < parent->base ||
	    base - parent->base >= parent->count ||
	    count > parent->count - (base - parent->base))
		return -EINVAL;
	io = kzalloc(sizeof(*io));
	if (!io)
		return -ENOMEM;
	kobj_init(&io->obj, OBJ_IOPORT);
	io->base = (uint32_t)base;
	io->count = (uint32_t)count;
	return install(&io->obj, RIGHT_DUP | RIGHT_TRANSFER | RIGHT_MANAGE);
}

void ioport_destroy(struct ioport *io)
{
	kfree(io);
}

/* ---- futexes: wait queues keyed by (process, address) ---- */

#define FUTEX_BUCKETS 64

static struct wait_queue futex_queues[FUTEX_BUCKETS];

static struct wait_queue *futex_queue(uint64_t addr)
{
	return &futex_queues[(addr >> 2) % FUTEX_BUCKETS];
}

long sys_futex_wait(uint64_t uaddr, uint64_t expected, uint64_t timeout)
{
	uint64_t deadline = timeout ? deadline_after(timeout) : 0;
	uint32_t value;
	long err;

	if (uaddr & 3)
		return -EINVAL;
	if (copy_from_user(&value, uaddr, sizeof(value)))
		return -EFAULT;
	if (value != (uint32_t)expected)
		return -EAGAIN;
	if (!timeout)
		return -ETIMEDOUT;
	current->futex_addr = uaddr;
	err = wait_on(futex_queue(uaddr), deadline);
	current->futex_addr = 0;
	return err;
}

long sys_futex_wake(uint64_t uaddr, uint64_t count)
{
	struct wait_queue *q = futex_queue(uaddr);
	struct thread *t = q->head;
	long woken = 0;

	if (uaddr & 3)
		return -EINVAL;
	if (check_user(uaddr, 4, false))
		return -EFAULT;
	while (t && (uint64_t)woken < count) {
		struct thread *next = t->wq_next;

		if (t->proc == current->proc && t->futex_addr == uaddr) {
			sched_wake(t, 0);
			woken++;
		}
		t = next;
	}
	return woken;
}
