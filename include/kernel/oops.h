/* SPDX-License-Identifier: MIT */
/*
 * The end of an oops (kernel/traps.c): a fault no fixup handles, or a
 * double fault, either ends only the thread that took it, as Linux's
 * oops kills only the faulting task (make_task_dead), or stops the
 * kernel, when what it interrupted cannot be given up. docs/smp.md lists
 * the cases.
 */
#ifndef KERNEL_OOPS_H
#define KERNEL_OOPS_H

#include <stdbool.h>
#include <stdint.h>

/* What the oops interrupted, as far as the decision goes. */
struct oops_context {
	bool sched_up;			/* a current thread exists */
	unsigned int task_flags;	/* its PF_* */
	int preempt_count;		/* this CPU's, at the fault */
	int kernel_locks;		/* the kernel's spinlocks held */
	int oops_depth;			/* oopses already being reported */
	bool irqs_on;			/* EFLAGS.IF at the fault */
	bool in_module;			/* EIP inside a module's image */
};

/*
 * NULL when the thread may be ended and the kernel go on; otherwise why
 * not, as the end of a sentence "... happened <reason>": in the boot
 * thread or an idle thread or before the scheduler, in an interrupt
 * handler, during another oops, with a kernel spinlock held, or with
 * interrupts off in the kernel's own code.
 */
const char *oops_fatal_reason(const struct oops_context *c);

/* The last oops that ended a thread, for the tests. */
struct oops_record {
	unsigned long count;		/* threads ended since boot */
	unsigned int vector;		/* 14 (#PF), 8 (#DF), ... */
	unsigned long address;		/* CR2 */
	uint32_t eip, esp;
	bool stack_guard;		/* the guard below its stack was hit */
	char comm[16];
};
extern struct oops_record last_oops;

#endif /* KERNEL_OOPS_H */
