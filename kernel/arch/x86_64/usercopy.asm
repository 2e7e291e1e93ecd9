; Checked copies to and from user memory.  A fault inside these copies is
; turned into -EFAULT by trap.c (it moves rip to usercopy_fault) instead of
; a panic.  With SMAP, user pages are reachable only between stac and clac;
; CPUs without SMAP get the variant without those instructions.

global usercopy_start, usercopy_end, usercopy_fault
global arch_copy_user_smap, arch_copy_user_plain
global arch_probe_user_smap, arch_probe_user_plain

EFAULT equ 14

; rdi = dst, rsi = src, rdx = n: eight bytes at a time, then the rest.
%macro COPY 0
	mov rcx, rdx
	shr rcx, 3
	rep movsq
	mov rcx, rdx
	and rcx, 7
	rep movsb
%endmacro

section .text
usercopy_start:
; long arch_copy_user_smap(void *dst, const void *src, size_t n): 0 or -EFAULT
arch_copy_user_smap:
	stac
	COPY
	clac
	xor eax, eax
	ret

arch_copy_user_plain:
	COPY
	xor eax, eax
	ret

; long arch_probe_user_*(void *addr, bool write): 0 or -EFAULT.  A write
; probe adds 0 to the byte atomically, so it faults on a read-only page
; but leaves the byte as it was.
arch_probe_user_smap:
	stac
	test esi, esi
	jz .read
	lock add byte [rdi], 0
	jmp .done
.read:	mov al, [rdi]
.done:	clac
	xor eax, eax
	ret

arch_probe_user_plain:
	test esi, esi
	jz .read
	lock add byte [rdi], 0
	xor eax, eax
	ret
.read:	mov al, [rdi]
	xor eax, eax
	ret

; trap.c resumes here after a fault, with rflags.AC already clear.
usercopy_fault:
	mov rax, -EFAULT
	ret
usercopy_end:

section .note.GNU-stack noalloc noexec nowrite progbits
