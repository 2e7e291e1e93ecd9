/* Reference counting and type dispatch common to every kernel object. */
#include "ipc.h"
#include "log.h"
#include "object.h"
#include "proc.h"
#include "vm.h"

static uint64_t next_id = 1;
static uint64_t live;

void kobj_init(struct kobj *o, enum obj_type type)
{
	o->type = type;
	o->refs = 1;
	o->handles = 0;
	o->id = next_id++;
	live++;
}

void kobj_get(struct kobj *o)
{
	o->refs++;
}

uint64_t kobj_live_count(void)
{
	return live;
}

void kobj_put(struct kobj *o)
{
	if (o->refs == 0)
		panic("kobj_put: object %lu (type %u) has no references", o->id,
		      o->type);
	if (--o->refs)
		return;
	live--;
	switch (o->type) {
	case OBJ_PROCESS:
		process_destroy((struct process *)o);
		break;
	case OBJ_THREAD:
		thread_destroy((struct thread *)o);
		break;
	case OBJ_PORT:
		port_destroy((struct port *)o);
		break;
	case OBJ_CONN:
		conn_destroy((struct conn *)o);
		break;
	case OBJ_NOTIFY:
		notify_destroy((struct notify *)o);
		break;
	case OBJ_MEMORY:
		mem_destroy((struct mem_obj *)o);
		break;
	case OBJ_IRQ:
		irq_destroy((struct irq *)o);
		break;
	case OBJ_IOPORT:
		ioport_destroy((struct ioport *)o);
		break;
	default:
		panic("kobj_put: object of unknown type %u", o->type);
	}
}

void kobj_last_handle(struct kobj *o)
{
	switch (o->type) {
	case OBJ_PORT:
		port_last_handle((struct port *)o);
		break;
	case OBJ_CONN:
		conn_last_handle((struct conn *)o);
		break;
	case OBJ_NOTIFY:
		notify_last_handle((struct notify *)o);
		break;
	default:
		break;
	}
}
