; SYSCALL entry.  The CPU arrives here from user mode with interrupts off
; (SFMASK clears IF, DF, TF and AC), rcx = user rip, r11 = user rflags, and
; still on the user stack.  We switch to the thread's kernel stack, save a
; struct trap_frame (the same layout as interrupts use), and call
; syscall_dispatch(frame).  The way back restores every register from the
; frame, so nothing of the kernel's is left in them, and returns with
; SYSRET (or IRETQ when the frame was changed to something SYSRET cannot
; return to).
;
; ipc_call and ipc_reply_recv try syscall_fastpath(frame) first
; (kernel/ipc/fastpath.c).  It returns only when it does not take the
; call; when it does, it blocks this thread without keeping its kernel
; context and jumps to the other one.  A thread blocked that way resumes
; at syscall_resume_entry, which finishes its call from the frame.

%include "frame.inc"

extern syscall_dispatch
extern syscall_fastpath
extern syscall_resume
extern trap_return
global syscall_entry
global syscall_resume_ctx

SEL_UCODE  equ 0x2b
SEL_UDATA  equ 0x23
CPU_KERNEL_RSP equ 8
CPU_USER_RSP   equ 16
SYSCALL_MARK   equ 0x100		; "vector" of a system call frame
FRAME_SIZE     equ 22 * 8		; struct trap_frame
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
	mov rdi, rsp
	cmp rax, SYS_IPC_CALL
	je .fast
	cmp rax, SYS_IPC_REPLY_RECV
	je .fast
.slow:
	call syscall_dispatch
	; rax = 1: the frame is safe for SYSRET; 0: leave through IRETQ.
.leave:
	test eax, eax
	jz trap_return
	POP_GPRS
	add rsp, 16				; vector, error code
	pop rcx					; user rip
	add rsp, 8				; cs
	pop r11					; user rflags
	mov rsp, [rsp]				; user rsp (interrupts are off)
	swapgs
	o64 sysret
.fast:
	call syscall_fastpath			; back only if not taken
	mov rdi, rsp
	jmp .slow

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
