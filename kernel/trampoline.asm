; SPDX-License-Identifier: MIT
; The application processors' first code (Intel SDM vol. 3A §8.4.4.2,
; §9.9.1 switching to protected mode): a STARTUP IPI starts the AP in real
; mode at this page (CS = page << 8, IP = 0); it loads a flat GDT, enters
; protected mode, turns on PAE paging with the trampoline's page tables
; (the first 2 MiB identity-mapped, the kernel's high half shared; the
; boot CPU's IA32_PAT written before paging is on) and
; calls start_secondary(cpu) on its own stack. kernel/smpboot.c copies this
; flat binary below 1 MiB and fills the header for each AP in turn.

%include "asm-offsets.inc"

	bits 16
	org 0

trampoline_start:
	jmp	short real_mode_entry

	times TRAMPOLINE_HEADER - ($ - $$) db 0
header:
	times TRAMPOLINE_HEADER_SIZE db 0

	align 8
tr_gdt:
	dq	0
	dq	0x00cf9b000000ffff	; __KERNEL_CS: flat 4 GiB code
	dq	0x00cf93000000ffff	; __KERNEL_DS: flat 4 GiB data
tr_gdt_end:

%if (tr_gdt - trampoline_start) != TRAMPOLINE_GDT_OFFSET
%error "tr_gdt moved: update TRAMPOLINE_GDT_OFFSET in asm/smp.h"
%endif

real_mode_entry:
	cli
	cld
	mov	ax, cs
	mov	ds, ax
	; ebx: this page's physical address, for the 32-bit code (there is
	; no usable stack yet, so it cannot find itself with call/pop).
	movzx	ebx, ax
	shl	ebx, 4
	lgdt	[header + TRAMP_gdt_limit]
	mov	eax, cr0
	or	eax, X86_CR0_PE
	mov	cr0, eax
	; A far jump through the header's pointer (offset32:selector) loads
	; CS with the flat code segment.
	o32 jmp far [header + TRAMP_pm_jump_offset]

	bits 32
	align 16
protected_mode_entry:
%if (protected_mode_entry - trampoline_start) != TRAMPOLINE_PM_OFFSET
%error "protected_mode_entry moved: update TRAMPOLINE_PM_OFFSET in asm/smp.h"
%endif
	mov	ax, __KERNEL_DS
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	fs, ax
	mov	gs, ax
	lea	esi, [ebx + header]
	mov	dword [esi + TRAMP_started], 1

	mov	eax, [esi + TRAMP_cr4]
	mov	cr4, eax
	mov	eax, [esi + TRAMP_cr3]
	mov	cr3, eax
	cmp	dword [esi + TRAMP_efer_nx], 0
	je	.no_nx
	mov	ecx, MSR_EFER
	rdmsr
	or	eax, EFER_NX
	wrmsr
.no_nx:
	; The same IA32_PAT as every other CPU before any translation exists
	; (kernel/cpu.c, pat_init).
	cmp	dword [esi + TRAMP_pat_valid], 0
	je	.no_pat
	mov	ecx, MSR_IA32_CR_PAT
	mov	eax, [esi + TRAMP_pat_lo]
	mov	edx, [esi + TRAMP_pat_hi]
	wrmsr
.no_pat:
	mov	eax, [esi + TRAMP_cr0]
	mov	cr0, eax		; paging on: this page is identity-mapped
	jmp	.paged
.paged:
	mov	esp, [esi + TRAMP_stack]
	push	dword [esi + TRAMP_cpu]
	mov	eax, [esi + TRAMP_entry]
	call	eax			; start_secondary(cpu), in the high half
.hang:	cli
	hlt
	jmp	.hang

trampoline_end:
