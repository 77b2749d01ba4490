; SPDX-License-Identifier: MIT
; Entry stubs: one per vector, each pushing a uniform frame (struct pt_regs,
; include/asm/ptrace.h) before calling do_trap() (vectors 0-31) or do_IRQ()
; (32-255) in C (Intel SDM vol. 3A §6.12 exception handling, §6.13 error
; codes); the double-fault task (§7.3 task switching); and the kernel
; threads' stack switch.

%include "asm-offsets.inc"

; The frame order below must match struct pt_regs.
%if PT_REGS_gs != 0 || PT_REGS_ds != 12 || PT_REGS_edi != 16 || PT_REGS_eax != 44
%error "pt_regs register order differs from the pushes in common_exception"
%endif
%if PT_REGS_vector != 48 || PT_REGS_error_code != 52 || PT_REGS_eip != 56
%error "pt_regs tail differs from the CPU's exception frame"
%endif

	section .text
	bits 32

extern do_trap, do_IRQ, kthread_entry, do_double_fault, make_task_dead

; Vectors where the CPU pushes an error code: #DF 8, #TS 10, #NP 11, #SS 12,
; #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30. The rest get a zero.
%macro EXC 1
exc_%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
	push	dword 0
%endif
	push	dword %1
	jmp	common_exception
%endmacro

%assign v 0
%rep 32
	EXC v
%assign v v + 1
%endrep

; The frame is built the same way for both kinds; %fs (the per-CPU
; segment) is saved and restored but never changed.
%macro COMMON_ENTRY 2
%1:
	pushad
	push	ds
	push	es
	push	fs
	push	gs
	mov	ax, __KERNEL_DS
	mov	ds, ax
	mov	es, ax
	cld
	push	esp			; struct pt_regs *
	call	%2
	add	esp, 4
	pop	gs
	pop	fs
	pop	es
	pop	ds
	popad
	add	esp, 8			; vector and error code
	iretd
%endmacro

	COMMON_ENTRY common_exception, do_trap

; Vectors 32-255: interrupts, none with an error code.
%macro IRQ 1
irq_%1:
	push	dword 0
	push	dword %1
	jmp	common_interrupt
%endmacro

%assign v 32
%rep 224
	IRQ v
%assign v v + 1
%endrep

	COMMON_ENTRY common_interrupt, do_IRQ

; void __switch_to_asm(unsigned long *prev_sp, unsigned long next_sp)
; Save the callee-saved registers on this stack, store its pointer, take
; the next thread's stack and return on it: into its own __switch_to_asm
; call, or, for a new thread, into ret_from_kthread.
global __switch_to_asm
__switch_to_asm:
	mov	eax, [esp + 4]
	mov	edx, [esp + 8]
	push	ebp
	push	ebx
	push	esi
	push	edi
	mov	[eax], esp
	mov	esp, edx
	pop	edi
	pop	esi
	pop	ebx
	pop	ebp
	ret

; A new thread's first return lands here with its task_struct in ebx
; (kernel/sched.c builds that frame).
global ret_from_kthread
ret_from_kthread:
	push	ebx
	call	kthread_entry
	ud2

; void call_on_stack(void (*fn)(void), void *stack_top): fn on another
; stack, for good (the boot thread leaving the boot stack).
global call_on_stack
call_on_stack:
	mov	eax, [esp + 4]
	mov	esp, [esp + 8]
	xor	ebp, ebp
	call	eax
	ud2

; The double-fault task (kernel/gdt.c): a #DF arrives through a task gate,
; so the CPU saved the interrupted state in this CPU's TSS, loaded the #DF
; TSS (its own stack, %fs the percpu segment, interrupts off) and pushed
; the error code (0). do_double_fault reports and panics, or rewrites the
; saved state so that the interrupted task resumes in
; rewind_stack_and_make_dead; the IRET, with EFLAGS.NT set by the task
; switch, returns to it. The next #DF starts after the IRET: the jump.
global double_fault_task_entry
double_fault_task_entry:
	cld
	call	do_double_fault
	add	esp, 4			; the error code
	iretd
	jmp	double_fault_task_entry

; Where a thread whose stack overflowed resumes after the #DF task: on
; the top of its own stack again (do_double_fault set ESP there; what the
; stack held is given up), interrupts off, to end it. The task switch set
; CR0.TS, which would make the next x87/SSE instruction fault: cleared.
global rewind_stack_and_make_dead
rewind_stack_and_make_dead:
	clts
	xor	ebp, ebp
	call	make_task_dead
	ud2

	section .rodata
global exception_stubs
exception_stubs:
%assign v 0
%rep 32
	dd	exc_ %+ v
%assign v v + 1
%endrep
global interrupt_stubs
interrupt_stubs:
%assign v 32
%rep 224
	dd	irq_ %+ v
%assign v v + 1
%endrep

; Fault-tolerant accessors for tests and debugging: each returns 0, or
; -EFAULT when the access faulted (do_trap finds the instruction in
; __ex_table and resumes at the fixup).
EFAULT equ 14

	section .text
; int probe_read_u32(uint32_t *dst, const uint32_t *src)
global probe_read_u32
probe_read_u32:
	mov	ecx, [esp + 8]
.insn:	mov	eax, [ecx]
	mov	edx, [esp + 4]
	mov	[edx], eax
	xor	eax, eax
	ret
.fixup:	mov	eax, -EFAULT
	ret

; int probe_read_u8(uint8_t *dst, const uint8_t *src)
global probe_read_u8
probe_read_u8:
	mov	ecx, [esp + 8]
.insn:	movzx	eax, byte [ecx]
	mov	edx, [esp + 4]
	mov	[edx], al
	xor	eax, eax
	ret
.fixup:	mov	eax, -EFAULT
	ret

; int probe_write_u32(uint32_t *dst, uint32_t val)
global probe_write_u32
probe_write_u32:
	mov	ecx, [esp + 4]
	mov	eax, [esp + 8]
.insn:	mov	[ecx], eax
	xor	eax, eax
	ret
.fixup:	mov	eax, -EFAULT
	ret

;
; int probe_exec(void *addr): call addr, which should return at once (a
; RET byte placed there); -EFAULT when fetching from addr faulted. The fault
; happens at addr itself, so no __ex_table entry can name it: do_trap
; recognises it as probe_exec_target and resumes at probe_exec.fixup,
; where the return address that the call pushed is still on the stack.
global probe_exec, probe_exec_target, probe_exec_fixup
probe_exec:
	mov	eax, [esp + 4]
	mov	[probe_exec_target], eax
	call	eax
	mov	dword [probe_exec_target], 0
	xor	eax, eax
	ret
.fixup:
	add	esp, 4			; the call's return address
	mov	dword [probe_exec_target], 0
	mov	eax, -EFAULT
	ret
probe_exec_fixup equ probe_exec.fixup

	section .bss
probe_exec_target:
	resd	1

	section __ex_table alloc noexec nowrite align=4
	dd	probe_read_u32.insn, probe_read_u32.fixup
	dd	probe_read_u8.insn, probe_read_u8.fixup
	dd	probe_write_u32.insn, probe_write_u32.fixup
