/*
 * Preemption control (Linux's preempt_count, per CPU here since threads
 * never migrate): the low bits count preempt_disable nesting, the
 * HARDIRQ bits the interrupt handlers running. A CPU is preempted at
 * interrupt exit only when the whole count is 0.
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

#endif /* KERNEL_PREEMPT_H */
