; arch_switch(uint64_t *save_ksp, uint64_t new_ksp): the context switch.
; Only callee-saved registers need saving: the caller of arch_switch is C.

global arch_switch
global arch_jump
global thread_enter_kernel

section .text
arch_switch:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rdi, rsi
; arch_jump(uint64_t new_ksp): the second half alone; nothing is saved.
arch_jump:
	mov rsp, rdi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret

; A new kernel thread's first "return" lands here with its function in r12.
thread_enter_kernel:
	xor rbp, rbp
	call r12
	ud2

section .note.GNU-stack noalloc noexec nowrite progbits
