/*
 * Per-process handle tables: an array that grows on demand, lowest free
 * slot first (so handles behave like POSIX descriptors).
 */
#include "lib.h"
#include "mm.h"
#include "object.h"

#define INITIAL_SLOTS 16

void handle_table_init(struct handle_table *t)
{
	t->slots = NULL;
	t->capacity = 0;
	t->used = 0;
	t->io_changed = false;
}

static int grow(struct handle_table *t)
{
	uint32_t cap = t->capacity ? t->capacity * 2 : INITIAL_SLOTS;
	struct handle *s;

	if (t->capacity >= HANDLE_MAX)
		return -EMFILE;
	cap = MIN(cap, (uint32_t)HANDLE_MAX);
	s = kzalloc(cap * sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (t->slots)
		memcpy(s, t->slots, t->capacity * sizeof(*s));
	kfree(t->slots);
	t->slots = s;
	t->capacity = cap;
	return 0;
}

int handle_install_moved(struct handle_table *t, const struct handle *hd)
{
	uint32_t i;
	int err;

	if (t->used == t->capacity) {
		err = grow(t);
		if (err)
			return err;
	}
	for (i = 0; t->slots[i].obj; i++)
		;
	t->slots[i] = *hd;
	t->used++;
	if (hd->obj->type == OBJ_IOPORT)
		t->io_changed = true;
	return (int)i;
}

int handle_install(struct handle_table *t, struct kobj *obj, uint32_t rights)
{
	struct handle hd = { obj, rights };
	int h = handle_install_moved(t, &hd);

	if (h >= 0) {
		kobj_get(obj);
		obj->handles++;
	}
	return h;
}

int handle_install_at(struct handle_table *t, uint32_t h, struct kobj *obj,
		      uint32_t rights)
{
	struct handle old = { NULL, 0 };
	int err;

	if (h >= HANDLE_MAX)
		return -EBADF;
	while (h >= t->capacity)
		if ((err = grow(t)))
			return err;
	kobj_get(obj); /* before the old one goes: it may be the same */
	obj->handles++;
	if (t->slots[h].obj)
		handle_detach(t, h, &old);
	t->slots[h] = (struct handle){ obj, rights };
	t->used++;
	if (obj->type == OBJ_IOPORT)
		t->io_changed = true;
	handle_release(&old);
	return (int)h;
}

int handle_table_copy(struct handle_table *dst, const struct handle_table *src)
{
	for (uint32_t h = 0; h < src->capacity; h++) {
		const struct handle *s = &src->slots[h];
		int err = s->obj ? handle_install_at(dst, h, s->obj, s->rights)
				 : 0;

		if (err < 0)
			return err;
	}
	return 0;
}

int handle_get(struct handle_table *t, uint64_t h, enum obj_type type,
	       uint32_t rights, struct kobj **obj)
{
	struct handle *s;

	if (h >= t->capacity || !t->slots[h].obj)
		return -EBADF;
	s = &t->slots[h];
	if (type != OBJ_NONE && s->obj->type != type)
		return -EBADF;
	if ((s->rights & rights) != rights)
		return -EPERM;
	*obj = s->obj;
	return 0;
}

int handle_detach(struct handle_table *t, uint64_t h, struct handle *out)
{
	if (h >= t->capacity || !t->slots[h].obj)
		return -EBADF;
	*out = t->slots[h];
	t->slots[h].obj = NULL;
	t->slots[h].rights = 0;
	t->used--;
	if (out->obj->type == OBJ_IOPORT)
		t->io_changed = true;
	return 0;
}

void handle_release(struct handle *hd)
{
	struct kobj *o = hd->obj;

	hd->obj = NULL;
	if (!o)
		return;
	if (--o->handles == 0)
		kobj_last_handle(o);
	kobj_put(o);
}

int handle_close(struct handle_table *t, uint64_t h)
{
	struct handle hd;
	int err = handle_detach(t, h, &hd);

	if (err)
		return err;
	handle_release(&hd);
	return 0;
}

void handle_table_destroy(struct handle_table *t)
{
	for (uint32_t i = 0; i < t->capacity; i++)
		if (t->slots[i].obj)
			handle_close(t, i);
	kfree(t->slots);
	handle_table_init(t);
}
