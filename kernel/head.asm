; SPDX-License-Identifier: MIT
; Kernel entry: from pm32's flat protected mode (paging off) onto the
; provisional PAE page tables and up to the PAGE_OFFSET alias (seed 004
; "pagetable_init" describes the final tables that replace these; Intel SDM
; vol. 3A §4.4 PAE paging, §9.9.1 switching to protected mode with paging).
;
; The provisional tables map physical 0..1 GiB twice with 2 MiB pages:
; identity (PDPT slot 0) so the instructions after the CR0 write still run,
; and at PAGE_OFFSET (slot 3). start_kernel drops slot 0 once it runs high.

%include "asm-offsets.inc"

; A physical address, assembled as a word the loader relocates like any
; other (include/boot/relocs.h): right at whatever base the kernel runs.
%define PA(x) ((x) - PAGE_OFFSET)

	section .text.head progbits alloc exec nowrite
	bits 32

; EAX = KERNEL_BOOT_MAGIC, EBX = boot_info physical address.
global startup_32
extern start_kernel
startup_32:
	cli
	cld
	mov	esi, eax
	mov	edi, ebx
	; The cycle count at entry, for the boot-time figure (kernel/bench.c).
	rdtsc
	mov	[PA(boot_entry_tsc)], eax
	mov	[PA(boot_entry_tsc) + 4], edx
	mov	esp, PA(boot_stack_top)

	cmp	esi, KERNEL_BOOT_MAGIC
	je	.magic_ok
	mov	eax, PA(msg_bad_magic)
	jmp	early_fail
.magic_ok:
	; Every CPU this kernel accepts has CPUID (PAE came with the P6).
	mov	eax, 1
	cpuid
	test	edx, X86_FEATURE_PAE_EDX
	jnz	.pae_ok
	mov	eax, PA(msg_no_pae)
	jmp	early_fail
.pae_ok:
	; One page directory: 512 large pages covering physical 0..1 GiB.
	; Entries are 64 bits; the high half (zero here) is written first,
	; as for every present PAE entry (include/asm/pgtable.h states why).
	mov	edx, PA(initial_pg_pmd)
	xor	ecx, ecx
.fill_pmd:
	mov	dword [edx + ecx * 8 + 4], 0
	mov	eax, ecx
	shl	eax, 21
	or	eax, _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE
	mov	dword [edx + ecx * 8], eax
	inc	ecx
	cmp	ecx, PTRS_PER_PMD
	jb	.fill_pmd

	; PDPT entries may hold only P, PWT, PCD and the address: RW/US are
	; reserved there and Bochs raises #GP on them at the CR3 load.
	mov	edx, PA(initial_pg_dir)
	mov	eax, PA(initial_pg_pmd) + _PAGE_PRESENT
	mov	dword [edx + 0 * 8 + 4], 0
	mov	dword [edx + 0 * 8], eax
	mov	dword [edx + 1 * 8 + 4], 0
	mov	dword [edx + 1 * 8], 0
	mov	dword [edx + 2 * 8 + 4], 0
	mov	dword [edx + 2 * 8], 0
	mov	dword [edx + 3 * 8 + 4], 0
	mov	dword [edx + 3 * 8], eax

	mov	eax, cr4
	or	eax, X86_CR4_PAE
	mov	cr4, eax
	mov	eax, PA(initial_pg_dir)
	mov	cr3, eax

	; EFER.NXE when the CPU has NX, so later tables may use bit 63.
	mov	eax, 0x80000000
	cpuid
	cmp	eax, 0x80000001
	jb	.no_nx
	mov	eax, 0x80000001
	cpuid
	test	edx, X86_FEATURE_NX_EDX
	jz	.no_nx
	mov	ecx, MSR_EFER
	rdmsr
	or	eax, EFER_NX
	wrmsr
.no_nx:
	mov	eax, cr0
	or	eax, X86_CR0_PG | X86_CR0_WP
	mov	cr0, eax

	; Paging is on and we still run at the identity alias; go high.
	mov	eax, .high
	jmp	eax
.high:
	mov	esp, boot_stack_top
	push	edi			; boot_info physical address
	push	esi			; magic
	xor	ebp, ebp
	call	start_kernel
.hang:
	cli
	hlt
	jmp	.hang

; Print the string at physical EAX on COM1 and port 0xE9, then halt: the
; kernel has no console yet, and the firmware is gone.
early_fail:
	mov	esi, eax
.next:
	lodsb
	test	al, al
	jz	.stop
	mov	bl, al
	out	0xe9, al
	mov	dx, UART_COM1_BASE + UART_LSR
	mov	ecx, 100000
.wait:
	in	al, dx
	test	al, UART_LSR_THRE
	jnz	.send
	dec	ecx
	jnz	.wait
.send:
	mov	al, bl
	mov	dx, UART_COM1_BASE + UART_TX
	out	dx, al
	jmp	.next
.stop:
	cli
	hlt
	jmp	.stop

	section .rodata
msg_bad_magic:	db "kernel: entered without the boot magic in EAX; halting", 13, 10, 0
msg_no_pae:	db "kernel: this CPU has no PAE; cannot run; halting", 13, 10, 0

	section .bss
global boot_entry_tsc
	alignb	8
boot_entry_tsc:
	resq	1

	section .bss.page_aligned nobits alloc noexec write align=4096
global initial_pg_pmd, initial_pg_dir
initial_pg_pmd:
	resb	PAGE_SIZE
initial_pg_dir:				; the PDPT: 4 entries, 32-byte aligned
	resq	PTRS_PER_PGD
	alignb	PAGE_SIZE
global boot_stack, boot_stack_top
boot_stack:
	resb	4 * PAGE_SIZE
boot_stack_top:
