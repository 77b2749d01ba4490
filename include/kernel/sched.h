/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads and the scheduler (kernel/sched.c): one run queue per
 * CPU, round robin, preemptive on the APIC timer tick; a thread stays on
 * the CPU it was created on.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include "asm/percpu.h"
#include "kernel/list.h"
#include "kernel/wait.h"

#define TASK_RUNNING		0
#define TASK_UNINTERRUPTIBLE	2
#define TASK_DEAD		64

#define THREAD_SIZE		16384	/* each thread's stack (vmalloc) */
#define TASK_COMM_LEN		16
#define SCHED_SLICE_TICKS	2	/* ticks a thread runs before others */

struct task_struct {
	unsigned long sp;		/* saved by __switch_to_asm */
	volatile long state;
	unsigned int cpu;
	volatile int on_cpu;		/* still switching away from its CPU */
	void *stack;			/* THREAD_SIZE bytes, NULL for init */
	struct list_head run_list;	/* on the run queue when runnable */
	struct list_head sleep_list;	/* msleep's timer list */
	unsigned long wake_tick;
	int (*fn)(void *);
	void *arg;
	int exit_code;
	struct wait_queue_head exit_wait;
	int time_slice;
	unsigned long nvcsw, nivcsw;	/* voluntary / preempted switches */
	char comm[TASK_COMM_LEN];
};

static inline struct task_struct *get_current(void)
{
	return (struct task_struct *)fs_read_u32(offsetof(struct percpu, current_task));
}
#define current get_current()

#define set_current_state(s)	do { __atomic_store_n(&current->state, (s), __ATOMIC_SEQ_CST); } while (0)

void sched_init(void);			/* boot CPU: init_task, idle */
void sched_init_secondary(unsigned int cpu);	/* idle task of an AP */
void __attribute__((noreturn)) cpu_idle(void);

void schedule(void);
void preempt_schedule(void);
void preempt_schedule_irq(void);
void scheduler_tick(void);
bool wake_up_process(struct task_struct *t);
void msleep(unsigned int msecs);

/* A new thread on a given CPU, runnable at once; NULL when no memory. */
struct task_struct *kthread_run_on_cpu(int (*fn)(void *), void *arg,
				       unsigned int cpu, const char *name);
/* Wait for it to return, free it and give its return value. */
int kthread_join(struct task_struct *t);

#endif /* KERNEL_SCHED_H */
