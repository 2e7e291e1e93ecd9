; Valence boot path: multiboot2 header, 32-bit entry, early page tables,
; switch to long mode, jump to the higher-half kernel.
;
; GRUB enters _start in 32-bit protected mode with paging off,
; EAX = 0x36d76289 and EBX = physical address of the multiboot2 info.
; The same path serves BIOS and UEFI (GRUB exits boot services for us).

KERNEL_VMA      equ 0xffffffff80000000
MB2_MAGIC       equ 0xe85250d6
MB2_BOOT_MAGIC  equ 0x36d76289

; ---------------------------------------------------------------------------
section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_MAGIC
	dd 0                                    ; architecture: i386 protected mode
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))

	align 8                                 ; information request (optional)
.info:	dw 1, 1
	dd .info_end - .info
	dd 1                                    ; command line
	dd 3                                    ; modules
	dd 6                                    ; memory map
	dd 8                                    ; framebuffer
	dd 14                                   ; ACPI 1.0 RSDP
	dd 15                                   ; ACPI 2.0 RSDP
.info_end:
	align 8                                 ; entry address (we are ELF64)
.entry:	dw 3, 0
	dd 12
	dd _start
	align 8                                 ; framebuffer request (optional)
.fb:	dw 5, 1
	dd 20
	dd 1024, 768, 32
	align 8                                 ; page-aligned modules
	dw 6, 0
	dd 8
	align 8                                 ; end
	dw 0, 0
	dd 8
mb2_header_end:

; ---------------------------------------------------------------------------
section .boot.bss nobits alloc noexec write align=4096
; Early tables: identity map and direct map of the first 4 GiB, and the
; kernel window at KERNEL_VMA -> physical 0..1 GiB, all with 2 MiB pages.
; vmm_init() replaces them with the real tables.  GRUB zeroes this.
boot_pml4:	resq 512
boot_pdpt_low:	resq 512
boot_pdpt_high:	resq 512
boot_pd:	resq 4 * 512
boot_stack32:	resb 1024
boot_stack32_top:

section .boot.data progbits alloc noexec write align=8

boot_magic:	dd 0
boot_info:	dd 0

	align 8
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff                   ; 0x08: 64-bit code
	dq 0x00cf92000000ffff                   ; 0x10: data
boot_gdt_end:
boot_gdtr:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt

; ---------------------------------------------------------------------------
section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start
_start:
	cli
	cld
	mov esp, boot_stack32_top
	mov [boot_magic], eax                   ; keep magic and info pointer
	mov [boot_info], ebx

	cmp eax, MB2_BOOT_MAGIC
	jne .fail_magic

	; CPUID must report long mode.
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .fail_lm
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .fail_lm

	; PD entries: 2048 x 2 MiB pages covering 0..4 GiB.
	mov edi, boot_pd
	xor ecx, ecx
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83                            ; present, writable, 2 MiB
	mov [edi + ecx * 8], eax
	mov eax, ecx
	shr eax, 11                             ; high half of (ecx << 21)
	mov [edi + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jne .fill_pd

	mov eax, boot_pd
	or eax, 3
	mov [boot_pdpt_low], eax
	add eax, 4096
	mov [boot_pdpt_low + 8], eax
	add eax, 4096
	mov [boot_pdpt_low + 16], eax
	add eax, 4096
	mov [boot_pdpt_low + 24], eax
	mov eax, boot_pd
	or eax, 3
	mov [boot_pdpt_high + 510 * 8], eax

	mov eax, boot_pdpt_low
	or eax, 3
	mov [boot_pml4], eax                    ; identity
	mov [boot_pml4 + 256 * 8], eax          ; direct map at 0xffff800000000000
	mov eax, boot_pdpt_high
	or eax, 3
	mov [boot_pml4 + 511 * 8], eax          ; kernel window

	mov eax, cr4
	or eax, 1 << 5                          ; PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	mov ecx, 0xc0000080                     ; EFER
	rdmsr
	or eax, 1 << 8                          ; LME
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1       ; PG, WP, PE
	mov cr0, eax

	lgdt [boot_gdtr]
	jmp 0x08:.long_mode

.fail_magic:
	mov esi, msg_magic
	jmp .fail
.fail_lm:
	mov esi, msg_lm
.fail:
	; Polled COM1 output, then halt forever.
	mov dx, 0x3fd
.wait:	in al, dx
	test al, 0x20
	jz .wait
	mov dx, 0x3f8
	lodsb
	test al, al
	jz .halt
	out dx, al
	jmp .fail
.halt:	hlt
	jmp .halt

bits 64
.long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rax, higher_half_entry
	jmp rax

msg_magic: db "valence: not started by a multiboot2 loader", 13, 10, 0
msg_lm:    db "valence: this CPU has no 64-bit long mode", 13, 10, 0

; ---------------------------------------------------------------------------
section .text
extern kmain
extern static_stacks
higher_half_entry:
	; static_stacks[0] is the boot stack: a guard page, then 16 KiB.
	mov rsp, static_stacks + 4096 + 16384
	xor rbp, rbp
	; kmain(multiboot2 magic, info physical address), zero-extended.
	; The identity map still covers the low boot data here.
	mov edi, [abs boot_magic]
	mov esi, [abs boot_info]
	call kmain
.hang:	cli
	hlt
	jmp .hang
