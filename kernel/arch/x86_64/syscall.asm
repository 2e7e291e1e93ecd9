; SYSCALL entry.  The CPU arrives here from user mode with interrupts off
; (SFMASK clears IF, DF, TF and AC), rcx = user rip, r11 = user rflags, and
; still on the user stack.  We switch to the thread's kernel stack, save a
; struct trap_frame (the same layout as interrupts use), and call
; syscall_dispatch(frame).  The way back restores every register from the
; frame, so nothing of the kernel's is left in them, and returns with
; SYSRET (or IRETQ when the frame was changed to something SYSRET cannot
; return to).
;
; ipc_call and ipc_reply_recv try their fastpath first (ipc_fastpath_call
; and ipc_fastpath_reply_recv, kernel/ipc/fastpath.c), called straight
; from here with the arguments as they came in registers.  It returns
; only when it does not take the call; then the ordinary system call
; runs.  When it takes the call, it blocks this thread without keeping
; its kernel context and makes another thread current: either it
; finishes that thread's system call and leaves to user mode on its frame
; (arch_syscall_return, below), or it jumps into that thread's kernel
; context.  A thread blocked that way and woken by the ordinary path
; resumes at syscall_resume_entry, which finishes its call from the frame.

%include "frame.inc"

extern syscall_dispatch
extern ipc_fastpath_call
extern ipc_fastpath_reply_recv
extern syscall_resume
extern trap_return
global syscall_entry
global syscall_resume_ctx
global arch_syscall_return

SEL_UCODE  equ 0x2b
SEL_UDATA  equ 0x23
CPU_KERNEL_RSP equ 8
CPU_USER_RSP   equ 16
SYSCALL_MARK   equ 0x100		; "vector" of a system call frame
FRAME_SIZE     equ 22 * 8		; struct trap_frame
FRAME_RAX      equ 14 * 8		; its rax
SYS_IPC_CALL       equ 6		; checked against syscall_list.h in user.c
SYS_IPC_REPLY_RECV equ 9

section .text
syscall_entry:
	swapgs
	mov [gs:CPU_USER_RSP], rsp
	mov rsp, [gs:CPU_KERNEL_RSP]
	push SEL_UDATA				; ss
	push qword [gs:CPU_USER_RSP]		; rsp
	push r11				; rflags
	push SEL_UCODE				; cs
	push rcx				; rip
	push 0					; error code
	push SYSCALL_MARK			; vector
	PUSH_GPRS
	cmp rax, SYS_IPC_CALL
	je .fast_call
	cmp rax, SYS_IPC_REPLY_RECV
	je .fast_reply_recv
.slow:
	mov rdi, rsp
	call syscall_dispatch
	; rax = 1: the frame is safe for SYSRET; 0: leave through IRETQ.
.leave:
	test eax, eax
	jz trap_return
.sysret:
	POP_GPRS
	add rsp, 16				; vector, error code
	pop rcx					; user rip
	add rsp, 8				; cs
	pop r11					; user rflags
	mov rsp, [rsp]				; user rsp (interrupts are off)
	swapgs
	o64 sysret

; The fastpath leaves a thread it blocks with SYSRET, not syscall_leave:
; its user rip (still in rcx) must be canonical.  No mapping allows
; otherwise; be sure.  After a SYSCALL from the user half, rcx is at most
; 0x800000000000, so bit 47 tells.
.fast_call:
	bt rcx, 47
	jc .slow
	call ipc_fastpath_call			; back only when not taken
	jmp .slow
.fast_reply_recv:
	bt rcx, 47
	jc .slow
	mov rcx, r10				; the fourth argument
	call ipc_fastpath_reply_recv		; back only when not taken
	jmp .slow

; void arch_syscall_return(uint64_t kstack_top, long result): the current
; thread, blocked in a system call the fastpath finished, leaves with
; `result` on the frame at the top of its kernel stack.
arch_syscall_return:
	lea rsp, [rdi - FRAME_SIZE]
	mov [rsp + FRAME_RAX], rsi
	jmp syscall_entry.sysret

; arch_switch/arch_jump "return" here for a thread that sched_block_jump
; blocked: its frame is at the top of its kernel stack.
syscall_resume_entry:
	mov rsp, [gs:CPU_KERNEL_RSP]
	sub rsp, FRAME_SIZE
	mov rdi, rsp
	call syscall_resume
	jmp syscall_entry.leave

section .rodata
; What arch_switch pops for such a thread: six callee-saved registers
; (nothing to restore) and the address to go on at.
align 8
syscall_resume_ctx:
	dq 0, 0, 0, 0, 0, 0, syscall_resume_entry

section .note.GNU-stack noalloc noexec nowrite progbits
