/* SPDX-License-Identifier: MIT */
/*
 * The arch side of a task that runs in ring 3 (Linux's
 * arch/x86/kernel/process_32.c and fpu/core.c for the names): the child's
 * kernel stack at fork, the user frame at exec, the per-task state a
 * switch moves (TSS esp0, TLS descriptors, the x87/SSE registers) and the
 * way back to user mode. The FPU state is saved eagerly when its task
 * leaves the CPU or kernel code wants SSE, and restored lazily, on the
 * return to ring 3 (Intel SDM vol. 1 §10.5 FXSAVE, vol. 3A §13.4).
 */
#include "asm/desc.h"
#include "asm/percpu.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/segment.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/preempt.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"

#define FPU_STATE_SIZE	512	/* kmalloc's 512 class: 512-byte aligned */

void ret_from_fork(void);		/* kernel/entry.asm */

static bool fpu_has_fxsr(void)
{
	return boot_cpu_data.edx1 & X86_FEATURE_FXSR_EDX;
}

/* The state after FNINIT (and MXCSR's reset value): what exec gives. */
static void fpu_init_image(void *img)
{
	memset(img, 0, FPU_STATE_SIZE);
	if (fpu_has_fxsr()) {
		*(uint16_t *)img = 0x037f;		/* FCW: all masked, 64-bit */
		*(uint32_t *)((char *)img + 24) = 0x1f80;	/* MXCSR */
	} else {
		((uint32_t *)img)[0] = 0xffff037f;	/* FCW */
		((uint32_t *)img)[2] = 0xffffffff;	/* FTW: all empty */
	}
}

/* The registers hold t's state: to its image. Interrupts off. */
static void fpu_save_live(struct task_struct *t)
{
	if (!t->thread.fpu_live)
		return;
	if (fpu_has_fxsr())
		fxsave(t->thread.fpu_state);
	else
		fnsave(t->thread.fpu_state);
	t->thread.fpu_live = false;
}

static int fpu_alloc(struct task_struct *t)
{
	if (!t->thread.fpu_state) {
		t->thread.fpu_state = kmalloc(FPU_STATE_SIZE, GFP_KERNEL);
		if (!t->thread.fpu_state)
			return -ENOMEM;
		BUG_ON((unsigned long)t->thread.fpu_state & 15);
	}
	t->thread.fpu_used = true;
	return 0;
}

/*
 * The registers become free for kernel SSE (memset's %xmm0): the current
 * task's user state, if they hold it, goes to its image first, and the
 * CPU stays with this task until kernel_fpu_end, so that no switch
 * restores a user state under the kernel's use. Interrupt handlers may
 * nest: the state is saved once, and they use %xmm0 only as the code
 * they interrupt does.
 */
void kernel_fpu_begin(void)
{
	struct task_struct *t;
	unsigned long flags;

	if (!percpu_ready)
		return;
	preempt_disable();
	local_irq_save(flags);
	t = current;
	if (t)
		fpu_save_live(t);
	local_irq_restore(flags);
}

void kernel_fpu_end(void)
{
	if (percpu_ready)
		preempt_enable();
}

/*
 * The last steps before ring 3, interrupts off on entry and on return:
 * rescheduling and the process's pending work (signals: P's
 * exit_to_user_mode_prepare) with interrupts on, until none is left;
 * then the task's FPU state back into the registers.
 */
void exit_to_user_mode(struct pt_regs *regs);
void exit_to_user_mode(struct pt_regs *regs)
{
	struct task_struct *t = current;

	/* An NMI does no work of the task's: it returns as it came, NMIs
	 * blocked until its iret (only the FPU state, should it have
	 * saved it). */
	for (; regs->vector != NMI_VECTOR;) {
		local_irq_enable();
		if (this_cpu()->need_resched)
			schedule();
		exit_to_user_mode_prepare(regs);
		local_irq_disable();
		if (!this_cpu()->need_resched)
			break;
	}
	if (t->thread.fpu_state && !t->thread.fpu_live) {
		if (fpu_has_fxsr())
			fxrstor(t->thread.fpu_state);
		else
			frstor(t->thread.fpu_state);
		t->thread.fpu_live = true;
	}
}

/*
 * The child's kernel stack: at its top a copy of the parent's user frame
 * (eax = 0: fork's result in the child; esp = newsp when given), below
 * it the frame __switch_to_asm pops, returning into ret_from_fork. tls
 * non-zero (CLONE_SETTLS) points at a struct user_desc for a TLS slot.
 * The TLS slots and the FPU state are inherited.
 */
int copy_thread(struct task_struct *p, unsigned long newsp, unsigned long tls)
{
	struct task_struct *parent = current;
	struct pt_regs *childregs;
	unsigned long *sp, flags;
	int err;

	p->thread.sp0 = (unsigned long)p->stack + THREAD_SIZE;
	childregs = (struct pt_regs *)p->thread.sp0 - 1;
	/* A process the kernel starts (no mm: the boot thread's child) has
	 * no user frame to copy; its exec (start_thread) fills one. */
	if (parent->mm)
		*childregs = *current_pt_regs();
	else
		memset(childregs, 0, sizeof(*childregs));
	childregs->eax = 0;
	if (newsp)
		childregs->esp = newsp;
	memcpy(p->thread.tls_array, parent->thread.tls_array, sizeof(p->thread.tls_array));
	p->thread.gs = childregs->gs;
	p->thread.fpu_state = NULL;
	p->thread.fpu_live = false;
	p->thread.fpu_used = false;
	if (parent->thread.fpu_state) {
		err = fpu_alloc(p);
		if (err)
			return err;
		local_irq_save(flags);
		fpu_save_live(parent);
		memcpy(p->thread.fpu_state, parent->thread.fpu_state, FPU_STATE_SIZE);
		local_irq_restore(flags);
	}
	if (tls) {
		err = do_set_thread_area(p, (struct user_desc __user *)tls, false);
		if (err) {
			exit_thread(p);
			return err;
		}
	}
	sp = (unsigned long *)childregs;
	*--sp = (unsigned long)ret_from_fork;
	*--sp = 0;			/* ebp */
	*--sp = 0;			/* ebx */
	*--sp = 0;			/* esi */
	*--sp = 0;			/* edi */
	p->sp = (unsigned long)sp;
	return 0;
}

/*
 * exec: a fresh user frame (flat user segments, %fs and %gs null, the
 * general registers zero, interrupts on), empty TLS slots and the FPU's
 * initial state. The task's kernel stack top becomes its TSS esp0 (a
 * kernel thread turning into a process has it already).
 */
void start_thread(struct pt_regs *regs, unsigned long eip, unsigned long esp)
{
	struct task_struct *t = current;
	unsigned long flags;

	memset(regs, 0, sizeof(*regs));
	regs->ds = regs->es = regs->ss = __USER_DS;
	regs->cs = __USER_CS;
	regs->eflags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
	regs->eip = eip;
	regs->esp = esp;

	local_irq_save(flags);
	t->thread.sp0 = (unsigned long)t->stack + THREAD_SIZE;
	load_sp0(t->thread.sp0);
	memset(t->thread.tls_array, 0, sizeof(t->thread.tls_array));
	load_TLS(&t->thread);
	t->thread.gs = 0;
	t->thread.fpu_live = false;	/* the old image's registers are dropped */
	local_irq_restore(flags);

	/* Without memory for an image the process starts with no FPU state
	 * to keep: the registers are whatever the last user left. */
	if (fpu_alloc(t) == 0)
		fpu_init_image(t->thread.fpu_state);
}

/*
 * The arch half of a switch, interrupts off, still on prev's stack: its
 * FPU state out of the registers, next's kernel stack as the ring-3 entry
 * stack and, for a process, its TLS slots into this CPU's GDT. The user
 * %gs needs nothing here: every entry from ring 3 saves it in the frame
 * (and leaves the null selector loaded), every return reloads it, so no
 * kernel frame holds a selector of the TLS slots being replaced.
 */
void __switch_to_arch(struct task_struct *prev, struct task_struct *next)
{
	fpu_save_live(prev);
	if (next->thread.sp0)
		load_sp0(next->thread.sp0);
	if (next->mm)
		load_TLS(&next->thread);
}

void exit_thread(struct task_struct *t)
{
	unsigned long flags;

	local_irq_save(flags);
	t->thread.fpu_live = false;	/* a running task's registers are dropped */
	local_irq_restore(flags);
	kfree(t->thread.fpu_state);
	t->thread.fpu_state = NULL;
	t->thread.fpu_used = false;
}
