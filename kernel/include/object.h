/*
 * Kernel objects and handles (kernel/object/object.c, handle.c).
 *
 * Every object starts with struct kobj.  `refs` counts every pointer that
 * keeps the object's memory alive (handles, threads, mappings, queues);
 * the object is destroyed when it drops to zero.  `handles` counts only
 * handles: when it drops to zero the object's type may react (a connection
 * sends CLOSE to its server, a port fails its waiting callers).
 */
#ifndef KERNEL_OBJECT_H
#define KERNEL_OBJECT_H

#include <valence/abi.h>
#include "types.h"

struct kobj {
	uint32_t type; /* enum obj_type */
	uint32_t refs;
	uint32_t handles;
	uint32_t reserved;
	uint64_t id;
};

/* Sets up a new object with one reference (the creator's). */
void kobj_init(struct kobj *o, enum obj_type type);
void kobj_get(struct kobj *o);
/* Drops a reference; destroys the object when it was the last. */
void kobj_put(struct kobj *o);
/* Number of live objects (for sys_stats and leak tests). */
uint64_t kobj_live_count(void);

/* ---- handle tables ---- */

struct handle {
	struct kobj *obj; /* NULL: free slot */
	uint32_t rights;
};

struct handle_table {
	struct handle *slots;
	uint32_t capacity;
	uint32_t used;
	bool io_changed; /* an ioport handle came or went */
};

void handle_table_init(struct handle_table *t);

/*
 * Puts `obj` into the lowest free slot with `rights`, taking a new
 * reference.  Returns the handle, or -EMFILE (table full) or -ENOMEM.
 */
int handle_install(struct handle_table *t, struct kobj *obj, uint32_t rights);

/*
 * Handle numbers arrive as the full 64-bit register: anything that is not
 * a small non-negative number (including a negative handle_t, which
 * widens to a huge value) is -EBADF.
 *
 * Finds handle `h`.  `type` OBJ_NONE accepts any type.  Returns 0 and the
 * object (no new reference) in *obj, -EBADF when `h` is not an open handle
 * of that type, or -EPERM when it lacks any of `rights`.
 */
int handle_get(struct handle_table *t, uint64_t h, enum obj_type type,
	       uint32_t rights, struct kobj **obj);

/*
 * Takes handle `h` out of the table, giving the caller its reference and
 * handle count in *out (pass it on with handle_install_moved, or drop it
 * with handle_release).  Returns 0 or -EBADF.
 */
int handle_detach(struct handle_table *t, uint64_t h, struct handle *out);

/* Installs a detached handle without taking a new reference. */
int handle_install_moved(struct handle_table *t, const struct handle *hd);

/* Drops a detached handle: its handle count, then its reference. */
void handle_release(struct handle *hd);

/*
 * Puts `obj` at handle `h` with `rights` (a new reference), closing what
 * was there (dup2).  Returns h, -EBADF (h >= HANDLE_MAX) or -ENOMEM.
 */
int handle_install_at(struct handle_table *t, uint32_t h, struct kobj *obj,
		      uint32_t rights);
/* Gives `dst` (empty) a copy of every handle of `src`, at the same numbers
   (fork).  0 or -ENOMEM; the caller destroys dst on error. */
int handle_table_copy(struct handle_table *dst, const struct handle_table *src);

/* Closes handle `h`.  Returns 0 or -EBADF. */
int handle_close(struct handle_table *t, uint64_t h);

/* Closes every handle and frees the table. */
void handle_table_destroy(struct handle_table *t);

/* Called when an object's last handle goes (object.c dispatches by type). */
void kobj_last_handle(struct kobj *o);

#endif
