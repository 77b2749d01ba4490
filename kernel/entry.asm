; SPDX-License-Identifier: MIT
; Entry stubs: one per vector, each pushing a uniform frame (struct pt_regs,
; include/asm/ptrace.h) before calling do_trap() (vectors 0-31) or do_IRQ()
; (32-255) in C; the system call gate int $0x80 (Linux i386 ABI) and the
; return to user mode; the double-fault task; and the kernel threads'
; stack switch (Intel SDM vol. 3A §6.12 exception handling, §6.12.1
; privilege changes, §6.13 error codes, §7.3 task switching).

%include "asm-offsets.inc"

; The frame order below must match struct pt_regs.
%if PT_REGS_gs != 0 || PT_REGS_ds != 12 || PT_REGS_edi != 16 || PT_REGS_eax != 44
%error "pt_regs register order differs from the pushes in common_exception"
%endif
%if PT_REGS_vector != 48 || PT_REGS_error_code != 52 || PT_REGS_eip != 56
%error "pt_regs tail differs from the CPU's exception frame"
%endif
%if PT_REGS_cs != 60 || PT_REGS_ss != 72 || PT_REGS_SIZE != 76
%error "pt_regs ends differently from the CPU's frame from ring 3"
%endif

	section .text
	bits 32

extern do_trap, do_IRQ, kthread_entry, do_double_fault, make_task_dead
extern do_int80_syscall_32, exit_to_user_mode, schedule_tail

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

; The frame is built the same way for both kinds. %fs is loaded with the
; per-CPU segment on every entry (the IDT is loaded only once the CPU's
; GDT has it): from ring 0 it held that already, but an NMI may arrive in
; ret_to_user after the user's %fs was restored. From ring 3 (the CPU
; switched to the task's kernel stack, TSS esp0, and pushed the user's
; ss:esp) %gs also becomes the null selector, so that no kernel-mode
; frame ever holds a TLS selector. The way out is restore_all, which
; takes a return to ring 3 through exit_to_user_mode.
%macro SAVE_ALL 0
	pushad
	push	ds
	push	es
	push	fs
	push	gs
	mov	ax, __KERNEL_DS
	mov	ds, ax
	mov	es, ax
	mov	ax, __KERNEL_PERCPU
	mov	fs, ax
	test	byte [esp + PT_REGS_cs], USER_RPL
	jz	%%kernel
	xor	eax, eax
	mov	gs, ax
%%kernel:
	cld
%endmacro

%macro COMMON_ENTRY 2
%1:
	SAVE_ALL
	push	esp			; struct pt_regs *
	call	%2
	add	esp, 4
	jmp	restore_all
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

; int $0x80 from ring 3 (a DPL 3 interrupt gate, so interrupts are off
; until the frame is complete): the number in eax, the arguments in ebx,
; ecx, edx, esi, edi, ebp; do_int80_syscall_32 puts the result in the
; frame's eax. Interrupts are on while the call runs.
global entry_INT80_32
entry_INT80_32:
	push	dword 0			; error code
	push	dword SYSCALL_VECTOR
	SAVE_ALL
	sti
	push	esp
	call	do_int80_syscall_32
	add	esp, 4
	cli
	jmp	ret_to_user

; The way out of every entry, interrupts off, esp at the frame.
restore_all:
	test	byte [esp + PT_REGS_cs], USER_RPL
	jnz	ret_to_user
	pop	gs
	pop	fs
	pop	es
	pop	ds
	popad
	add	esp, 8			; vector and error code
	iretd

; To ring 3: pending work first (rescheduling, signals, the process's
; FPU state back into the registers; exit_to_user_mode returns with
; interrupts off and nothing left to do), then the user's registers. A
; segment selector the process left that is no longer loadable (its TLS
; slot emptied by set_thread_area) faults on the pop: the fixup makes it
; the null selector, as Linux does, and the pop is retried.
ret_to_user:
	push	esp
	call	exit_to_user_mode
	add	esp, 4
.gs:	pop	gs
.fs:	pop	fs
.es:	pop	es
.ds:	pop	ds
	popad
	add	esp, 8
	iretd
.fix_gs:
	mov	dword [esp], 0
	jmp	.gs
.fix_fs:
	mov	dword [esp], 0
	jmp	.fs
.fix_es:
	mov	dword [esp], 0
	jmp	.es
.fix_ds:
	mov	dword [esp], 0
	jmp	.ds

; A child made by copy_thread first runs here (its switch frame returns
; into it), with its copy of the parent's user frame at the top of its
; stack: the end of the switch, then the way to ring 3 with eax = 0.
global ret_from_fork
ret_from_fork:
	call	schedule_tail
	cli
	jmp	ret_to_user

; void start_user_mode(struct pt_regs *regs): a kernel thread becomes
; the process whose user frame start_thread filled at the top of its
; stack (regs = current_pt_regs()); what the thread's stack held below
; is given up.
global start_user_mode
start_user_mode:
	mov	esp, [esp + 4]
	cli
	jmp	ret_to_user

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
	dd	ret_to_user.gs, ret_to_user.fix_gs
	dd	ret_to_user.fs, ret_to_user.fix_fs
	dd	ret_to_user.es, ret_to_user.fix_es
	dd	ret_to_user.ds, ret_to_user.fix_ds
	dd	probe_read_u32.insn, probe_read_u32.fixup
	dd	probe_read_u8.insn, probe_read_u8.fixup
	dd	probe_write_u32.insn, probe_write_u32.fixup
