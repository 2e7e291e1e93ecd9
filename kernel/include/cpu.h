/*
 * What the generic kernel needs from the CPU to run user threads:
 * system-call entry, kernel stacks, context switch, FPU state, I/O port
 * permissions and checked access to user memory.  kernel/arch/x86_64/
 * (user.c, switch.asm, syscall.asm, usercopy.asm) implements it.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "types.h"

#define USER_SPACE_TOP 0x0000800000000000UL /* first non-user address */
/*
 * The last user page is never mapped: code there could make the CPU return
 * to the non-canonical 0x800000000000, and IRETQ to it faults in ring 0.
 */
#define USER_MAP_TOP   (USER_SPACE_TOP - 4096)
#define FPU_STATE_SIZE 512

struct trap_frame;
struct thread;

/* Sets up SYSCALL/SYSRET, the per-CPU block and the FPU. */
void arch_user_init(void);

/*
 * Saves the callee-saved registers and stack pointer in *save_ksp and
 * resumes the thread whose stack pointer is `new_ksp`.
 */
void arch_switch(uint64_t *save_ksp, uint64_t new_ksp);
/* The same without saving anything: the current kernel context ends. */
__noreturn void arch_jump(uint64_t new_ksp);

/*
 * Prepares a fresh kernel stack so that switching to it enters user mode
 * at `rip` with `rsp` and rdi, rsi, rdx, r8, r9 = args[0..4].  Returns the
 * stack pointer to give arch_switch and the user register frame in *frame.
 */
uint64_t arch_stack_init_user(uint64_t kstack_top, uint64_t rip, uint64_t rsp,
			      const uint64_t args[5],
			      struct trap_frame **frame);

/* Makes `f` enter user mode afresh, as arch_stack_init_user (exec). */
void arch_user_frame_reset(struct trap_frame *f, uint64_t rip, uint64_t rsp,
			   const uint64_t args[5]);
/* The child's user registers after fork: the parent's, with rax = 0. */
void arch_user_frame_fork(struct trap_frame *child,
			  const struct trap_frame *parent);

/*
 * Signals: pushes a struct sig_frame (the user registers, FPU state,
 * `mask`) on t's user stack and makes it enter entry(sig, frame) (0 or
 * -EFAULT); takes such a frame back (0 or -EFAULT), giving its mask and
 * rax.  t is the current thread, on its way to user mode.
 */
int arch_signal_push(struct thread *t, int sig, uint64_t entry, uint64_t mask);
int arch_signal_return(struct thread *t, uint64_t uframe, uint64_t *mask,
		       long *rax);

/* The same for a kernel thread that starts in fn(), which never returns. */
uint64_t arch_stack_init_kernel(uint64_t kstack_top, void (*fn)(void));

/* FPU/SSE state: a clean state (512-byte FXSAVE area). */
void arch_fpu_init_state(uint8_t *area);

/*
 * Loads the I/O permission bitmap (IO_BITMAP_BYTES, a set bit denies the
 * port) of the thread about to run; NULL: no ports.  The 8 KiB are copied
 * only when the bitmap differs from the last one copied, so call
 * arch_io_bitmap_changed() after changing a bitmap's contents.
 */
void arch_set_io_bitmap(const uint8_t *bitmap);
void arch_io_bitmap_changed(void);
#define IO_BITMAP_BYTES 8192

bool arch_has_pcid(void);

/*
 * Copies between kernel memory and the current address space's user half.
 * The user range must lie below USER_SPACE_TOP (checked here).  Returns 0,
 * or -EFAULT when the range is bad or a page is missing or read-only.
 */
int copy_from_user(void *dst, uint64_t usrc, size_t n);
int copy_to_user(uint64_t udst, const void *src, size_t n);

/*
 * Checks that [addr, addr + n) of the current address space is mapped
 * user memory, writable too with `write`, by touching each page (a write
 * probe leaves the bytes as they were).  For calls that wait before they
 * write their results.  Returns 0 or -EFAULT.
 */
int check_user(uint64_t addr, size_t n, bool write);

/* True when [addr, addr + len) lies in the user half without wrapping. */
static inline bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr + len >= addr && addr + len <= USER_SPACE_TOP;
}

/*
 * Leaves to user mode as the current thread, blocked in a system call that
 * the IPC fastpath finished: `kstack_top` is the top of its kernel stack,
 * where its user registers are, and `result` the system call's value.
 * The caller's kernel context is dropped.
 */
__noreturn void arch_syscall_return(uint64_t kstack_top, long result);

/*
 * The rest of a context switch is inline, from the arch's cpu_switch.h:
 * arch_set_kernel_stack (the stack the CPU enters the kernel on from user
 * mode), arch_switch_space (address space and PCID), arch_fpu_save,
 * arch_fpu_restore, arch_load_io_bitmap and arch_syscall_resume_ksp.
 */
#include "cpu_switch.h"

#endif
