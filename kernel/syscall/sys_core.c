/*
 * System calls on handles, memory, threads, processes and time.  The IPC,
 * notification, interrupt and futex calls live beside their objects.
 */
#include "arch.h"
#include "cpu.h"
#include "ipc.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"
#include "syscall.h"
#include "vm.h"

#define LOG_MAX	  1024
#define IMAGE_MAX (16UL << 20)

static struct handle_table *handles(void)
{
	return &current->proc->handles;
}

static long install(struct kobj *o, uint32_t rights)
{
	long h = handle_install(handles(), o, rights);

	kobj_put(o);
	return h;
}

long sys_debug_log(uint64_t ubuf, uint64_t len)
{
	char buf[LOG_MAX + 48];
	int n;

	if (len > LOG_MAX)
		return -EINVAL;
	n = ksnprintf(buf, sizeof(buf), "[%s %u] ", current->proc->name,
		      current->proc->pid);
	if (copy_from_user(buf + n, ubuf, len))
		return -EFAULT;
	n += (int)len;
	if (n == 0 || buf[n - 1] != '\n')
		buf[n++] = '\n';
	log_write(buf, (size_t)n);
	return (long)len;
}

/* ---- handles ---- */

long sys_handle_close(uint64_t h)
{
	return handle_close(handles(), h);
}

long sys_handle_dup(uint64_t h, uint64_t rights, uint64_t target)
{
	struct kobj *o;
	struct handle_table *t = handles();
	int err = handle_get(t, h, OBJ_NONE, RIGHT_DUP, &o);

	if (err)
		return err;
	if (rights == RIGHTS_SAME)
		rights = t->slots[h].rights;
	else if (rights & ~t->slots[h].rights)
		return -EPERM;
	if ((int64_t)target == HANDLE_INVALID)
		return handle_install(t, o, (uint32_t)rights);
	if (target == h && rights == t->slots[h].rights)
		return (long)h; /* dup2(fd, fd) */
	return handle_install_at(t, (uint32_t)MIN(target, HANDLE_MAX), o,
				 (uint32_t)rights);
}

long sys_handle_info(uint64_t h, uint64_t uout)
{
	struct handle_table *t = handles();
	struct handle_info info;
	struct kobj *o;
	int err = handle_get(t, h, OBJ_NONE, 0, &o);

	if (err)
		return err;
	info.type = o->type;
	info.rights = t->slots[h].rights;
	info.object_id = o->id;
	info.size = 0;
	if (o->type == OBJ_MEMORY) {
		info.size = ((struct mem_obj *)o)->size;
	} else if (o->type == OBJ_PROCESS) {
		info.pid = ((struct process *)o)->pid;
	} else if (o->type == OBJ_IRQ) {
		uint64_t address;
		uint32_t data;

		if (arch_msi_message(((struct irq *)o)->line, &address,
				     &data) == 0)
			info.msi = address << 32 | data;
	}
	return copy_to_user(uout, &info, sizeof(info));
}

/* ---- memory ---- */

long sys_mem_create(uint64_t size, uint64_t flags)
{
	struct mem_obj *m;
	int err;

	if (flags)
		return -EINVAL;
	m = mem_create_anon(size, &err);
	if (!m)
		return err;
	return install(&m->obj, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP |
					RIGHT_EXEC | RIGHT_DUP |
					RIGHT_TRANSFER);
}

long sys_mem_create_phys(uint64_t parent_h, uint64_t offset, uint64_t size,
			 uint64_t cache)
{
	struct kobj *o;
	struct mem_obj *m;
	int err = handle_get(handles(), parent_h, OBJ_MEMORY, RIGHT_MANAGE, &o);

	if (err)
		return err;
	if (cache > MEM_CACHE_WC)
		return -EINVAL;
	m = mem_create_phys((struct mem_obj *)o, offset, size, (uint32_t)cache,
			    &err);
	if (!m)
		return err;
	return install(&m->obj, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP |
					RIGHT_DUP | RIGHT_TRANSFER);
}

long sys_vm_map(uint64_t mem_h, uint64_t va, uint64_t offset, uint64_t size,
		uint64_t prot)
{
	struct handle_table *t = handles();
	struct mem_obj *m;
	struct kobj *o;
	uint32_t rights, max;
	uint64_t out;
	int err = handle_get(t, mem_h, OBJ_MEMORY, RIGHT_MAP, &o);

	if (err)
		return err;
	m = (struct mem_obj *)o;
	if (m->root || prot > (VM_READ | VM_WRITE | VM_EXEC))
		return m->root ? -EPERM : -EINVAL;
	rights = t->slots[mem_h].rights;
	/* Every present page can be read: a mapping needs RIGHT_READ. */
	if (!(rights & RIGHT_READ))
		return -EPERM;
	max = VM_READ;
	if (prot)
		prot |= VM_READ;
	if (rights & RIGHT_WRITE)
		max |= VM_WRITE;
	if (rights & RIGHT_EXEC)
		max |= VM_EXEC;
	if (prot & ~max)
		return -EPERM;
	err = uvm_map(current->proc, m, va, offset, size, (uint32_t)prot, max,
		      &out);
	return err ? err : (long)out;
}

long sys_vm_unmap(uint64_t va, uint64_t size)
{
	return uvm_unmap(current->proc, va, size);
}

long sys_vm_protect(uint64_t va, uint64_t size, uint64_t prot)
{
	if (prot > (VM_READ | VM_WRITE | VM_EXEC))
		return -EINVAL;
	if (prot)
		prot |= VM_READ; /* as vm_map: writable or executable is
				    readable */
	return uvm_protect(current->proc, va, size, (uint32_t)prot);
}

/* ---- threads ---- */

long sys_thread_create(uint64_t entry, uint64_t stack, uint64_t arg)
{
	uint64_t regs[5] = { arg, 0, 0, 0, 0 };
	struct thread *t;
	long h;

	if (!entry || entry >= USER_MAP_TOP || stack < PAGE_SIZE ||
	    stack > USER_MAP_TOP || (stack & 15))
		return -EINVAL;
	if (current->proc->nthreads >= PROC_MAX_THREADS)
		return -EAGAIN;
	t = thread_create(current->proc, entry, stack - 8, regs);
	if (!t)
		return -ENOMEM;
	h = handle_install(handles(), &t->obj,
			   RIGHT_READ | RIGHT_MANAGE | RIGHT_DUP);
	if (h < 0) {
		thread_kill(t);
		return h;
	}
	sched_make_ready(t);
	return h;
}

static unsigned live_threads(struct process *p)
{
	unsigned n = 0;

	for (struct thread *t = p->threads; t; t = t->proc_next)
		n += t->state != THREAD_DEAD;
	return n;
}

long sys_thread_exit(uint64_t status)
{
	if (live_threads(current->proc) <= 1)
		process_exit(current->proc, WAIT_EXITED((int)status));
	thread_kill(current);
	schedule();
	return 0; /* not reached */
}

/* ---- processes ---- */

static int copy_name(uint64_t uname, char *name, size_t size)
{
	size_t i;

	if (!uname) {
		name[0] = '?';
		name[1] = '\0';
		return 0;
	}
	for (i = 0; i < size - 1; i++) {
		if (copy_from_user(&name[i], uname + i, 1))
			return -EFAULT;
		if (!name[i])
			return 0;
	}
	name[i] = '\0';
	return 0;
}

/* Gives the caller a handle to `p` with the rights a parent has. */
static long parent_handle(struct process *p)
{
	long h = handle_install(handles(), &p->obj,
				RIGHT_READ | RIGHT_MANAGE | RIGHT_DUP |
					RIGHT_TRANSFER);

	if (h < 0) /* no handle for it: nobody could wait or kill */
		process_exit(p, WAIT_SIGNALED(SIG_KILL));
	kobj_put(&p->obj);
	return h;
}

long sys_proc_spawn(uint64_t uargs)
{
	struct process *me = current->proc, *p;
	struct handle hs[SPAWN_MAX_HANDLES];
	handle_t numbers[SPAWN_MAX_HANDLES];
	struct spawn_args a;
	char name[32], *args = NULL;
	void *image;
	uint8_t prio;
	int err;
	long h;

	if (copy_from_user(&a, uargs, sizeof(a)))
		return -EFAULT;
	if (!a.image_len || a.image_len > IMAGE_MAX ||
	    a.nhandles > SPAWN_MAX_HANDLES || a.args_len > SPAWN_MAX_ARGS ||
	    a.priority > PRIO_MAX || a.reserved)
		return -EINVAL;
	if (a.priority > me->prio)
		return -EPERM;
	prio = a.priority ? (uint8_t)a.priority : me->prio;
	if (copy_from_user(numbers, (uint64_t)a.handles,
			   a.nhandles * sizeof(handle_t)) ||
	    copy_name((uint64_t)a.name, name, sizeof(name)))
		return -EFAULT;
	for (uint32_t i = 0; i < a.nhandles; i++) {
		err = handle_get(handles(), numbers[i], OBJ_NONE,
				 RIGHT_TRANSFER, &hs[i].obj);
		if (err)
			return err;
		hs[i].rights = handles()->slots[numbers[i]].rights;
	}
	image = kmalloc(a.image_len);
	if (a.args_len)
		args = kmalloc(a.args_len);
	if (!image || (a.args_len && !args)) {
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(image, (uint64_t)a.image, a.image_len) ||
	    copy_from_user(args, (uint64_t)a.args, a.args_len)) {
		err = -EFAULT;
		goto out;
	}
	p = process_spawn(image, a.image_len, name, me, hs, a.nhandles, args,
			  a.args_len, a.argc, prio, &err);
	if (p) {
		h = parent_handle(p);
		kfree(image);
		kfree(args);
		return h;
	}
out:
	kfree(image);
	kfree(args);
	return err;
}

long sys_proc_fork(void)
{
	int err;
	struct process *p = process_fork(current->proc, &err);

	return p ? parent_handle(p) : err;
}

long sys_proc_exec(uint64_t uimage, uint64_t image_len, uint64_t uargs,
		   uint64_t args_len, uint64_t argc)
{
	char *args = NULL, *name;
	void *image;
	long err;

	if (!image_len || image_len > IMAGE_MAX || args_len > SPAWN_MAX_ARGS ||
	    argc > UINT32_MAX)
		return -EINVAL;
	image = kmalloc(image_len);
	if (args_len)
		args = kmalloc(args_len);
	err = !image || (args_len && !args) ? -ENOMEM : 0;
	if (!err && (copy_from_user(image, uimage, image_len) ||
		     copy_from_user(args, uargs, args_len)))
		err = -EFAULT;
	if (!err)
		err = process_exec(current->proc, image, image_len, args,
				   args_len, (uint32_t)argc);
	if (!err && args_len) { /* named after argv[0]'s last component */
		name = args;
		for (char *c = args; *c; c++)
			if (*c == '/' || *c == ':')
				name = c + 1;
		ksnprintf(current->proc->name, sizeof(current->proc->name),
			  "%s", name);
	}
	kfree(image);
	kfree(args);
	if (err == PROC_EXEC_LOST) /* out of memory with the old program gone */
		process_exit(current->proc, WAIT_SIGNALED(SIG_KILL));
	return err;
}

long sys_proc_exit(uint64_t status)
{
	process_exit(current->proc, WAIT_EXITED((int)status));
	return 0; /* not reached */
}

long sys_proc_wait(uint64_t h, uint64_t ustatus, uint64_t timeout)
{
	uint64_t deadline = timeout ? deadline_after(timeout) : 0;
	struct process *p;
	struct kobj *o;
	long err = handle_get(handles(), h, OBJ_PROCESS, RIGHT_READ, &o);

	if (err)
		return err;
	if (ustatus && check_user(ustatus, sizeof(int), true))
		return -EFAULT;
	p = (struct process *)o;
	if (p == current->proc)
		return -EINVAL;
	hold_object(o);
	while (!p->exited && !err)
		err = timeout ? wait_on(&p->exit_waiters, deadline)
			      : -ETIMEDOUT;
	if (!err && ustatus)
		err = copy_to_user(ustatus, &p->status, sizeof(int));
	if (!err)
		err = p->pid;
	drop_held();
	return err;
}

long sys_proc_kill(uint64_t h, uint64_t signal)
{
	struct kobj *o;
	long err = handle_get(handles(), h, OBJ_PROCESS, RIGHT_MANAGE, &o);

	if (err)
		return err;
	if (signal == 0 || signal > 31)
		return -EINVAL;
	process_exit((struct process *)o, WAIT_SIGNALED((int)signal));
	return 0;
}

/* ---- time and the rest ---- */

long sys_clock_get(void)
{
	return (long)arch_clock_ns();
}

long sys_sleep(uint64_t ns)
{
	if (ns == 0) {
		sched_yield();
		return 0;
	}
	/* A deadline past the end of time (0) sleeps until killed.  A
	   caught signal ends it early: -EINTR. */
	return sched_block(WAIT_SLEEP, deadline_after(ns)) == -EINTR ? -EINTR
								     : 0;
}

long sys_yield(void)
{
	sched_yield();
	return 0;
}

long sys_sys_stats(uint64_t uout)
{
	struct sys_stats s = {
		.free_frames = kernel_pmm.free_frames,
		.total_frames = kernel_pmm.nframes,
		.heap_bytes = heap_bytes_in_use(),
		.processes = process_count(),
		.threads = thread_count(),
		.objects = kobj_live_count(),
	};

	return copy_to_user(uout, &s, sizeof(s));
}
