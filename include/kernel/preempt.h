/* SPDX-License-Identifier: MIT */
/*
 * Preemption control (Linux's preempt_count, per CPU here since threads
 * never migrate): the low bits count preempt_disable nesting, the
 * HARDIRQ bits the interrupt handlers running. A CPU is preempted at
 * interrupt exit only when the whole count is 0.
 *
 * pagefault_disable (Linux's include/linux/uaccess.h) marks code that
 * must not take a fault it would have to handle, such as the holder of
 * a kmap_atomic slot: a page-fault handler that could sleep or map
 * something may only look up an exception fixup while
 * faulthandler_disabled(). Per CPU like preempt_count: it is raised only
 * with preemption disabled.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include "asm/percpu.h"

#define HARDIRQ_OFFSET	0x10000
#define HARDIRQ_MASK	0xff0000

static inline int preempt_count(void)
{
	return this_cpu()->preempt_count;
}

static inline void preempt_disable(void)
{
	this_cpu()->preempt_count++;
	barrier();
}

void preempt_schedule(void);	/* kernel/sched.c */

/* Re-enable; a reschedule that came due meanwhile happens now. */
static inline void preempt_enable(void)
{
	struct percpu *pc = this_cpu();

	barrier();
	if (--pc->preempt_count == 0 && pc->need_resched)
		preempt_schedule();
}

/* A reschedule that came due while preemption or interrupts were off. */
static inline void preempt_check_resched(void)
{
	struct percpu *pc = this_cpu();

	if (pc->preempt_count == 0 && pc->need_resched)
		preempt_schedule();
}

static inline void preempt_enable_no_resched(void)
{
	barrier();
	this_cpu()->preempt_count--;
}

static inline bool in_interrupt(void)
{
	return this_cpu()->preempt_count & HARDIRQ_MASK;
}

/* Whether this CPU may not schedule: a lock, a preempt_disable or an
 * interrupt handler is in progress. */
static inline bool in_atomic(void)
{
	return this_cpu()->preempt_count != 0;
}

static inline void pagefault_disable(void)
{
	this_cpu()->pagefault_disabled++;
	barrier();
}

static inline void pagefault_enable(void)
{
	barrier();
	this_cpu()->pagefault_disabled--;
}

static inline bool pagefault_disabled(void)
{
	return this_cpu()->pagefault_disabled != 0;
}

/* A fault taken now must be resolved by a fixup or be fatal. */
static inline bool faulthandler_disabled(void)
{
	return pagefault_disabled() || in_atomic();
}

#endif /* KERNEL_PREEMPT_H */
