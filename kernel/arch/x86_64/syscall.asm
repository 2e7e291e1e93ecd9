; SYSCALL entry.  The CPU arrives here from user mode with interrupts off
; (SFMASK clears IF, DF, TF and AC), rcx = user rip, r11 = user rflags, and
; still on the user stack.  We switch to the thread's kernel stack, save a
; struct trap_frame (the same layout as interrupts use), and call
; syscall_dispatch(frame).  The way back restores every register from the
; frame, so nothing of the kernel's is left in them, and returns with
; SYSRET (or IRETQ when the frame was changed to something SYSRET cannot
; return to).

%include "frame.inc"

extern syscall_dispatch
extern trap_return
global syscall_entry

SEL_UCODE  equ 0x2b
SEL_UDATA  equ 0x23
CPU_KERNEL_RSP equ 8
CPU_USER_RSP   equ 16
SYSCALL_MARK   equ 0x100		; "vector" of a system call frame

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
	call syscall_dispatch
	; rax = 1: the frame is safe for SYSRET; 0: leave through IRETQ.
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

section .note.GNU-stack noalloc noexec nowrite progbits
