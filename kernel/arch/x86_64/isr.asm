; Interrupt and exception entry stubs.  Each vector pushes a dummy error
; code when the CPU does not, then its number, and joins trap_common, which
; saves the general registers as struct trap_frame (x86.h) and calls
; trap_dispatch(frame).

%include "frame.inc"

extern trap_dispatch
global isr_table
global trap_return

section .text

%macro ISR_NOERR 1
isr_%1:
	push 0
	push %1
	jmp trap_common
%endmacro

%macro ISR_ERR 1
isr_%1:
	push %1
	jmp trap_common
%endmacro

; Vectors whose exceptions push an error code.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%assign v 0
%rep 256
%if HAS_ERROR(v)
	ISR_ERR v
%else
	ISR_NOERR v
%endif
%assign v v + 1
%endrep

; Frames from user mode (CS with RPL 3) swap in the kernel's GS base on
; the way in and the user's on the way out.
trap_common:
	cld
	test qword [rsp + 24], 3		; the interrupted CS
	jz .from_kernel
	swapgs
	; User code may have set rflags.AC, which would switch SMAP off in
	; the kernel; interrupt entry does not clear it as SYSCALL does.
	pushfq
	and qword [rsp], ~(1 << 18)
	popfq
.from_kernel:
	PUSH_GPRS
	mov rdi, rsp
	call trap_dispatch
; Also the way a new user thread first enters user mode (arch_switch
; "returns" here with rsp at its frame), and syscalls that need IRETQ.
trap_return:
	POP_GPRS
	add rsp, 16
	test qword [rsp + 8], 3			; the CS we return to
	jz .to_kernel
	swapgs
.to_kernel:
	iretq

section .rodata
align 8
isr_table:
%assign v 0
%rep 256
	dq isr_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
