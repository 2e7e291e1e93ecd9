/*
 * Wait queues: FIFOs of blocked threads, linked through the threads
 * themselves (a thread is on at most one, named by its `queue`); and the
 * object a blocking system call holds while it waits (current->held).
 */
#include "log.h"
#include "proc.h"

void wait_queue_push(struct wait_queue *q, struct thread *t)
{
	t->wq_next = NULL;
	t->wq_prev = q->tail;
	if (q->tail)
		q->tail->wq_next = t;
	else
		q->head = t;
	q->tail = t;
	t->queue = q;
}

void wait_queue_push_front(struct wait_queue *q, struct thread *t)
{
	t->wq_prev = NULL;
	t->wq_next = q->head;
	if (q->head)
		q->head->wq_prev = t;
	else
		q->tail = t;
	q->head = t;
	t->queue = q;
}

void wait_queue_remove(struct wait_queue *q, struct thread *t)
{
	if (t->queue != q)
		panic("wait_queue_remove: thread %lu is not on that queue",
		      t->obj.id);
	if (t->wq_prev)
		t->wq_prev->wq_next = t->wq_next;
	else
		q->head = t->wq_next;
	if (t->wq_next)
		t->wq_next->wq_prev = t->wq_prev;
	else
		q->tail = t->wq_prev;
	t->wq_next = t->wq_prev = NULL;
	t->queue = NULL;
}

struct thread *wait_queue_pop(struct wait_queue *q)
{
	struct thread *t = q->head;

	if (t)
		wait_queue_remove(q, t);
	return t;
}

void wait_queue_wake_all(struct wait_queue *q, long result)
{
	while (q->head)
		sched_wake(q->head, result);
}

void hold_object(struct kobj *o)
{
	kobj_get(o);
	current->held = o;
}

void drop_held(void)
{
	struct kobj *o = current->held;

	current->held = NULL;
	kobj_put(o);
}
