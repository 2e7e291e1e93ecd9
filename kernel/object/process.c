/*
 * Processes: creation from an ELF image (spawn), exit, and the clean-up
 * that frees every frame, handle and stack they held.
 */
#include "arch.h"
#include "cpu.h"
#include "elf.h"
#include "ipc.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "proc.h"
#include "vm.h"

#define PCIDS 4096

static uint32_t next_pid = 1;
struct process *process_list, *init_process;
static uint64_t live_processes;
static uint64_t pcid_used[PCIDS / 64];

static uint16_t pcid_alloc(void)
{
	if (!arch_has_pcid())
		return 0;
	for (unsigned i = 1; i < PCIDS; i++) {
		if (!(pcid_used[i / 64] & (1UL << (i % 64)))) {
			pcid_used[i / 64] |= 1UL << (i % 64);
			return (uint16_t)i;
		}
	}
	return 0; /* all taken: share tag 0, always flushed */
}

static void pcid_free(uint16_t pcid)
{
	if (pcid)
		pcid_used[pcid / 64] &= ~(1UL << (pcid % 64));
}

struct process *process_create(const char *name, struct process *parent)
{
	/* Within the parent's limit on processes (PC_NPROC). */
	struct process *p = !parent || live_processes < parent->nproc_max
				    ? kzalloc(sizeof(*p))
				    : NULL;

	if (!p)
		return NULL;
	p->pml4 = uvm_create();
	if (!p->pml4) {
		kfree(p);
		return NULL;
	}
	kobj_init(&p->obj, OBJ_PROCESS);
	live_processes++;
	p->pid = next_pid++;
	p->uid = parent ? parent->uid : 0;
	p->gid = parent ? parent->gid : 0;
	p->prio = parent ? parent->prio : PRIO_DRIVER;
	p->pcid = pcid_alloc();
	p->pcid_fresh = true;
	handle_table_init(&p->handles);
	ksnprintf(p->name, sizeof(p->name), "%s", name);
	p->list_next = process_list;
	process_list = p;
	p->pgid = p->sid = p->pid;
	p->nproc_max = parent ? parent->nproc_max : PROC_NPROC_DEFAULT;
	if (parent) {
		p->pgid = parent->pgid;
		p->sid = parent->sid;
		p->parent = parent;
		p->sibling = parent->children;
		parent->children = p;
	}
	if (p->pid == 1)
		init_process = p;
	return p;
}

struct process *process_find(uint32_t pid)
{
	for (struct process *p = process_list; p; p = p->list_next)
		if (p->pid == pid && !p->exiting)
			return p;
	return NULL;
}

/* Unlinks p from the list at *pp, linked through the field at `next`. */
static void unlink(struct process **pp, struct process *p, size_t next)
{
	for (; *pp; pp = (struct process **)((char *)*pp + next)) {
		if (*pp == p) {
			*pp = *(struct process **)((char *)p + next);
			return;
		}
	}
}

/* p's children become init's; a parent waiting hears of p's end. */
static void exit_relations(struct process *p)
{
	while (p->children && init_process && p != init_process) {
		struct process *c = p->children;

		p->children = c->sibling;
		c->parent = init_process;
		c->sibling = init_process->children;
		init_process->children = c;
		if (c->exited)
			wait_queue_wake_all(&init_process->child_waiters, 0);
	}
	if (p->parent) {
		signal_post(p->parent, SIG_CHLD);
		wait_queue_wake_all(&p->parent->child_waiters, 0);
	}
}

/* Maps one validated ELF segment, copying its file bytes. */
static int load_segment(struct process *p, const uint8_t *image,
			const struct elf_segment *s)
{
	uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	uint32_t prot = VM_READ | (s->flags & ELF_SEG_W ? VM_WRITE : 0) |
			(s->flags & ELF_SEG_X ? VM_EXEC : 0);
	struct mem_obj *m;
	uint64_t va;
	int err;

	m = mem_create_anon(end - start, &err);
	if (!m)
		return err;
	for (uint64_t done = 0; done < s->filesz;) {
		uint64_t off = s->vaddr - start + done;
		uint64_t chunk = MIN(s->filesz - done,
				     PAGE_SIZE - (off & (PAGE_SIZE - 1)));

		memcpy((uint8_t *)phys_to_virt(mem_frame(m, off)) +
			       (off & (PAGE_SIZE - 1)),
		       image + s->offset + done, chunk);
		done += chunk;
	}
	err = uvm_map(p, m, start, 0, end - start, prot, prot, &va);
	kobj_put(&m->obj);
	return err;
}

/* The stack, with the argument block copied to its top.  Returns rsp. */
static int setup_stack(struct process *p, const char *args, size_t len,
		       uint64_t *rsp, uint64_t *block)
{
	struct mem_obj *m;
	uint64_t va, top = USER_STACK_TOP, base = top - USER_STACK_SIZE;
	uint64_t space = ALIGN_UP(len, 16);
	int err;

	m = mem_create_anon(USER_STACK_SIZE, &err);
	if (!m)
		return err;
	err = uvm_map(p, m, base, 0, USER_STACK_SIZE, VM_READ | VM_WRITE,
		      VM_READ | VM_WRITE, &va);
	if (!err && len)
		err = uvm_copy_out(p, top - space, args, len);
	kobj_put(&m->obj);
	*block = top - space;
	*rsp = top - space - 8; /* as if called: rsp + 8 is 16-aligned */
	return err;
}

struct process *process_spawn(const void *image, size_t len, const char *name,
			      struct process *parent, struct handle *handles,
			      unsigned nhandles, const char *args,
			      size_t args_len, uint32_t argc, uint8_t prio,
			      int *err)
{
	struct elf_info info;
	struct process *p;
	struct thread *t;
	uint64_t rsp = 0, block = 0, regs[5];

	*err = elf_parse(image, len, &info);
	if (*err)
		return NULL;
	if (args_len > SPAWN_MAX_ARGS || nhandles > SPAWN_MAX_HANDLES ||
	    (args_len && args[args_len - 1] != '\0')) {
		*err = -EINVAL;
		return NULL;
	}
	p = process_create(name, parent);
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->prio = prio;
	for (unsigned i = 0; i < info.count && !*err; i++)
		*err = load_segment(p, image, &info.seg[i]);
	if (!*err)
		*err = setup_stack(p, args, args_len, &rsp, &block);
	for (unsigned i = 0; i < nhandles && !*err; i++) {
		int h = handle_install(&p->handles, handles[i].obj,
				       handles[i].rights);

		*err = h < 0 ? h : 0;
	}
	regs[0] = nhandles;
	regs[1] = block;
	regs[2] = args_len;
	regs[3] = argc;
	regs[4] = p->pid;
	t = *err ? NULL : thread_create(p, info.entry, rsp, regs);
	if (!t) {
		if (!*err)
			*err = -ENOMEM;
		process_exit(p, WAIT_SIGNALED(SIG_KILL));
		kobj_put(&p->obj);
		return NULL;
	}
	sched_make_ready(t);
	return p;
}

struct process *process_fork(struct process *parent, int *err)
{
	static const uint64_t no_args[5];
	struct process *p = process_create(parent->name, parent);
	struct thread *t = NULL;

	if (!p) {
		*err = live_processes >= parent->nproc_max ? -EAGAIN : -ENOMEM;
		return NULL;
	}
	*err = uvm_fork(parent, p);
	if (!*err)
		*err = handle_table_copy(&p->handles, &parent->handles);
	if (!*err)
		t = thread_create(p, 0, 0, no_args);
	if (!t) {
		if (!*err)
			*err = -ENOMEM;
		process_exit(p, WAIT_SIGNALED(SIG_KILL));
		kobj_put(&p->obj);
		return NULL;
	}
	/* The calling thread goes on in the child from the same system
	   call, with its registers and FPU state (live in the CPU now). */
	arch_user_frame_fork(t->uframe, current->uframe);
	arch_fpu_save(t->fpu);
	t->prio = current->prio;
	t->sig_mask = current->sig_mask;
	p->sig_caught = parent->sig_caught;
	p->sig_ignored = parent->sig_ignored;
	p->sig_entry = parent->sig_entry;
	sched_make_ready(t);
	return p;
}

int process_exec(struct process *p, const void *image, size_t len,
		 const char *args, size_t args_len, uint32_t argc)
{
	struct elf_info info;
	uint64_t rsp = 0, block = 0, regs[5];
	uint32_t handles = 0;
	int err = elf_parse(image, len, &info);

	if (err)
		return err;
	if (args_len > SPAWN_MAX_ARGS || (args_len && args[args_len - 1]))
		return -EINVAL;
	/* From here on the old program is gone: what fails ends the process.
	   Its other threads end; the caller becomes the new program. */
	for (struct thread *t = p->threads; t; t = t->proc_next)
		if (t != current)
			thread_kill(t);
	ipc_server_gone(p); /* calls it received can no longer be answered */
	err = uvm_replace(p);
	for (unsigned i = 0; i < info.count && !err; i++)
		err = load_segment(p, image, &info.seg[i]);
	if (!err)
		err = setup_stack(p, args, args_len, &rsp, &block);
	if (err)
		return PROC_EXEC_LOST;
	for (uint32_t h = 0; h < p->handles.capacity; h++)
		if (p->handles.slots[h].obj)
			handles = h + 1;
	regs[0] = handles;
	regs[1] = block;
	regs[2] = args_len;
	regs[3] = argc;
	regs[4] = p->pid;
	arch_user_frame_reset(current->uframe, info.entry, rsp, regs);
	p->sig_caught = 0; /* no handlers in the new program */
	p->sig_entry = 0;
	arch_fpu_init_state(current->fpu);
	arch_fpu_restore(current->fpu);
	return 0;
}

void process_update_io(struct process *p)
{
	struct handle_table *t = &p->handles;
	bool any = false;

	t->io_changed = false;
	if (!p->io_bitmap) {
		p->io_bitmap = kmalloc(IO_BITMAP_BYTES);
		if (!p->io_bitmap)
			return; /* no ports: access faults, safe */
	}
	memset(p->io_bitmap, 0xff, IO_BITMAP_BYTES);
	for (uint32_t h = 0; h < t->capacity; h++) {
		struct ioport *io = (struct ioport *)t->slots[h].obj;

		if (!io || io->obj.type != OBJ_IOPORT || io->root)
			continue;
		for (uint32_t port = io->base;
		     port < io->base + io->count && port < IO_BITMAP_BYTES * 8;
		     port++)
			p->io_bitmap[port / 8] &= (uint8_t) ~(1U << (port % 8));
		any = true;
	}
	if (!any) {
		kfree(p->io_bitmap);
		p->io_bitmap = NULL;
	}
	arch_io_bitmap_changed();
	if (current && current->proc == p)
		arch_set_io_bitmap(p->io_bitmap);
}

void process_exit(struct process *p, int status)
{
	bool self = current && current->proc == p;

	if (p->exiting)
		return;
	if (p->pid == 1)
		panic("init exited (wait status 0x%x)", status);
	p->exiting = true;
	p->status = status;
	for (struct thread *t = p->threads; t; t = t->proc_next)
		thread_kill(t);
	handle_table_destroy(&p->handles);
	ipc_server_gone(p);
	if (self)
		arch_switch_space(kernel_pml4, 0, true);
	uvm_destroy(p);
	pcid_free(p->pcid);
	kfree(p->io_bitmap);
	p->io_bitmap = NULL;
	p->exited = true;
	wait_queue_wake_all(&p->exit_waiters, 0);
	exit_relations(p);
	if (self)
		schedule();
}

void process_destroy(struct process *p)
{
	live_processes--;
	unlink(&process_list, p, offsetof(struct process, list_next));
	if (p->parent)
		unlink(&p->parent->children, p,
		       offsetof(struct process, sibling));
	kfree(p->replies);
	kfree(p);
}

uint64_t process_count(void)
{
	return live_processes;
}

void process_fault(int signal, const char *what, uint64_t addr, uint64_t rip)
{
	struct process *p = current->proc;

	klog("process %u (%s): %s at 0x%lx (rip 0x%lx): killed\n", p->pid,
	     p->name, what, addr, rip);
	process_exit(p, WAIT_SIGNALED(signal));
}
