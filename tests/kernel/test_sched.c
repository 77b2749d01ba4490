/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads: preemption on the timer tick, sleeping and waking on a
 * wait queue, msleep, join, threads on every online CPU, and the ticket
 * spinlock under contention from all of them.
 */
#include "asm/percpu.h"
#include "asm/smp.h"
#include "asm/x86.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/vmalloc.h"

static volatile unsigned long spins[2];
static volatile bool stop_spinning;

/* Never yields: only preemption lets the other one run. */
static int spin_forever(void *arg)
{
	unsigned long *n = arg;

	while (!stop_spinning)
		(*(volatile unsigned long *)n)++;
	return 7;
}

KTEST(sched, busy_threads_are_preempted)
{
	struct task_struct *a, *b;
	unsigned int cpu = smp_processor_id();

	stop_spinning = false;
	spins[0] = spins[1] = 0;
	a = kthread_run_on_cpu(spin_forever, (void *)&spins[0], cpu, "spin-a");
	b = kthread_run_on_cpu(spin_forever, (void *)&spins[1], cpu, "spin-b");
	KT_ASSERT(t, a && b);
	msleep(100);		/* ten ticks: both spinners get slices */
	stop_spinning = true;
	KT_EXPECT_EQ(t, kthread_join(a), 7);
	KT_EXPECT_EQ(t, kthread_join(b), 7);
	KT_EXPECT(t, spins[0] > 0);
	KT_EXPECT(t, spins[1] > 0);
}

static DECLARE_WAIT_QUEUE_HEAD(test_wq);
static volatile int wq_flag;

static int wait_for_flag(void *unused)
{
	wait_event(test_wq, wq_flag != 0);
	return wq_flag;
}

KTEST(sched, wait_event_sleeps_until_woken)
{
	struct task_struct *w;

	wq_flag = 0;
	w = kthread_run_on_cpu(wait_for_flag, NULL, smp_processor_id(), "waiter");
	KT_ASSERT(t, w != NULL);
	msleep(30);
	/* It ran, queued itself and sleeps: no busy waiting. */
	KT_EXPECT(t, waitqueue_active(&test_wq));
	KT_EXPECT_EQ(t, w->state, TASK_UNINTERRUPTIBLE);
	wq_flag = 42;
	KT_EXPECT_EQ(t, wake_up(&test_wq), 1);
	KT_EXPECT_EQ(t, kthread_join(w), 42);
	KT_EXPECT(t, !waitqueue_active(&test_wq));
}

KTEST(sched, msleep_sleeps_about_as_long_as_asked)
{
	unsigned long t0 = cpu_ticks(smp_processor_id()), dt;

	msleep(200);
	dt = cpu_ticks(smp_processor_id()) - t0;
	/* 200 ms is HZ / 5 ticks; a tick of slack either way. */
	KT_EXPECT(t, dt + 1 >= HZ / 5 && dt <= HZ / 5 + 2);
}

static spinlock_t counter_lock;
static unsigned long shared_counter;
#define LOCK_ROUNDS	20000

static int bump_counter(void *unused)
{
	for (int i = 0; i < LOCK_ROUNDS; i++) {
		unsigned long v;

		spin_lock(&counter_lock);
		v = shared_counter;
		cpu_relax();
		shared_counter = v + 1;
		spin_unlock(&counter_lock);
	}
	return (int)smp_processor_id();
}

KTEST(sched, threads_on_every_cpu_share_a_spinlock)
{
	struct task_struct *th[2 * NR_CPUS];
	unsigned int cpu, where[2 * NR_CPUS], n = 0, bad = 0;

	spin_lock_init(&counter_lock);
	shared_counter = 0;
	for_each_online_cpu(cpu) {
		for (int k = 0; k < 2; k++) {
			where[n] = cpu;
			th[n++] = kthread_run_on_cpu(bump_counter, NULL, cpu, "bump");
		}
	}
	for (unsigned int i = 0; i < n; i++)
		KT_ASSERT(t, th[i] != NULL);
	/* Each returns the CPU it ran on: threads stay where they were made. */
	for (unsigned int i = 0; i < n; i++)
		bad += (unsigned int)kthread_join(th[i]) != where[i];
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, shared_counter, (unsigned long)n * LOCK_ROUNDS);
	pr_info("sched: %u threads on %u CPU(s), %lu locked increments\n", n,
		num_online_cpus(), shared_counter);
}

static DECLARE_WAIT_QUEUE_HEAD(timeout_wq);
static volatile int timeout_flag;

/* Sleeps on the queue for at most arg ticks; returns the ticks left. */
static int wait_with_timeout(void *arg)
{
	return (int)wait_event_timeout(timeout_wq, timeout_flag != 0, (long)(unsigned long)arg);
}

/* Nobody wakes it: 0 after the timeout, the ticks counted on the CPU.
 * Woken at once: the ticks left, nearly all of them. */
KTEST(sched, wait_event_timeout_times_out_or_returns_the_ticks_left)
{
	unsigned int cpu = smp_processor_id();
	unsigned long t0 = cpu_ticks(cpu), dt;
	struct task_struct *w;
	long left;

	timeout_flag = 0;
	left = wait_event_timeout(timeout_wq, timeout_flag != 0, 10);
	dt = cpu_ticks(cpu) - t0;
	KT_EXPECT_EQ(t, left, 0);
	KT_EXPECT(t, dt >= 10 && dt <= 12);
	KT_EXPECT(t, !waitqueue_active(&timeout_wq));

	t0 = cpu_ticks(cpu);
	w = kthread_run_on_cpu(wait_with_timeout, (void *)1000UL, cpu, "timeout-waiter");
	KT_ASSERT(t, w != NULL);
	msleep(20);
	KT_EXPECT_EQ(t, w->state, TASK_UNINTERRUPTIBLE);
	timeout_flag = 1;
	KT_EXPECT_EQ(t, wake_up(&timeout_wq), 1);
	dt = cpu_ticks(cpu) - t0;
	left = kthread_join(w);
	/* It waited no longer than the ticks counted here (msleep(20) is 2
	 * of them at HZ 100, 20 at hz=1000), one more for the wake-up. */
	KT_EXPECT(t, dt < 100 && left >= 1000 - (long)dt - 1 && left <= 1000);
	/* A condition already true returns at once, with at least 1. */
	KT_EXPECT(t, wait_event_timeout(timeout_wq, timeout_flag != 0, 0) == 1);
}

static volatile bool detached_may_end;

static int wait_to_end(void *unused)
{
	while (!detached_may_end)
		msleep(10);
	return 0;
}

/* A detached thread is freed once it has ended: its stack area goes
 * (with the next thread's creation) without a join. */
KTEST(sched, detached_thread_is_freed_when_it_ends)
{
	unsigned int cpu = smp_processor_id();
	struct task_struct *th, *again;
	const void *stack;

	detached_may_end = false;
	th = kthread_run_on_cpu(wait_to_end, NULL, cpu, "detached");
	KT_ASSERT(t, th != NULL);
	stack = th->stack;
	kthread_detach(th);
	KT_EXPECT(t, find_vm_area(stack) != NULL);	/* still running */
	detached_may_end = true;
	msleep(50);
	/* Reaped by the next creation. */
	again = kthread_run_on_cpu(wait_to_end, NULL, cpu, "detached-2");
	KT_ASSERT(t, again != NULL);
	KT_EXPECT(t, find_vm_area(stack) == NULL || find_vm_area(stack) == find_vm_area(again->stack));
	KT_EXPECT_EQ(t, kthread_join(again), 0);
}
