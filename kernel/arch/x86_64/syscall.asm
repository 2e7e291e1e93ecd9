; SYSCALL entry.  The CPU arrives here from user mode with interrupts off
; (SFMASK clears IF, DF, TF and AC), rcx = user rip, r11 = user rflags, and
; still on the user stack.  We switch to the thread's kernel stack, save a
; struct trap_frame (the same layout as interrupts use), and call
; syscall_dispatch(frame).  The way back restores every register from the
; frame, so nothing of the kernel's is left in them, and returns with
; SYSRET (or IRETQ when the frame was changed to something SYSRET cannot
; return to).

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
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	call syscall_dispatch
	; rax = 1: the frame is safe for SYSRET; 0: leave through IRETQ.
	test eax, eax
	jz trap_return
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16				; vector, error code
	pop rcx					; user rip
	add rsp, 8				; cs
	pop r11					; user rflags
	mov rsp, [rsp]				; user rsp (interrupts are off)
	swapgs
	o64 sysret

section .note.GNU-stack noalloc noexec nowrite progbits
