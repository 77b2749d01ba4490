/* SPDX-License-Identifier: MIT */
/*
 * Benchmarks of the SMP paths (printed by `./build.sh bench`, which boots
 * with 1, 2 and 4 CPUs under -icount): an IPI's round trip, the cost of a
 * TLB shootdown as the CPU count grows, and what the lazy-flush stress
 * test does per second; and of the threads: a context switch, and a
 * thread's creation and join (its stack's allocation and free).
 */
#define pr_fmt(fmt) "bench: " fmt

#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/bench.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/lazyflush.h"
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/highmem.h"

#define BENCH_IPIS		2000
#define BENCH_SHOOTDOWNS	2000
#define BENCH_SWITCHES		10000	/* schedule() calls per thread */
#define BENCH_THREADS		200

static volatile unsigned long pings;

static void ping_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	pings++;
}

/* Send a fixed IPI to CPU 1 and wait until its handler has run. */
static void bench_ipi_round_trip(void)
{
	unsigned int apic = per_cpu(1)->apic_id;
	uint64_t t0, t1;

	set_vector_handler(BENCH_PING_VECTOR, ping_interrupt, "bench ping");
	pings = 0;
	t0 = rdtsc();
	for (unsigned long i = 1; i <= BENCH_IPIS; i++) {
		apic_send_ipi(apic, BENCH_PING_VECTOR);
		while (pings != i)
			cpu_relax();
	}
	t1 = rdtsc();
	set_vector_handler(BENCH_PING_VECTOR, NULL, NULL);
	pr_info("%-48s %6llu cycles/op (%u ops)\n", "IPI round trip, CPU 0 -> CPU 1",
		div_u64(t1 - t0, BENCH_IPIS), BENCH_IPIS);
}

static void bench_shootdown(void)
{
	unsigned int cpus = num_online_cpus();
	unsigned long va = PKMAP_ADDR(0);
	char what[64];
	uint64_t t0, t1;

	t0 = rdtsc();
	for (int i = 0; i < BENCH_SHOOTDOWNS; i++)
		flush_tlb_kernel_range(va, va + PAGE_SIZE);
	t1 = rdtsc();
	snprintf(what, sizeof(what), "flush_tlb_kernel_range 1 page, %u CPU(s)", cpus);
	pr_info("%-48s %6llu cycles/op (%u ops)\n", what,
		div_u64(t1 - t0, BENCH_SHOOTDOWNS), BENCH_SHOOTDOWNS);

	t0 = rdtsc();
	for (int i = 0; i < BENCH_SHOOTDOWNS; i++)
		flush_tlb_all();
	t1 = rdtsc();
	snprintf(what, sizeof(what), "flush_tlb_all, %u CPU(s)", cpus);
	pr_info("%-48s %6llu cycles/op (%u ops)\n", what,
		div_u64(t1 - t0, BENCH_SHOOTDOWNS), BENCH_SHOOTDOWNS);
}

/* One second of the stress test: its rates, per second of guest time. */
static void bench_lazyflush(void)
{
	static const struct lazyflush_run run = { .msecs = 1000 };
	struct lazyflush_result r;
	uint64_t ms;
	int ret = lazyflush_stress(&run, &r);

	if (ret) {
		pr_info("lazy-flush stress: skipped (%s)\n", ret == -ENOMEM ?
			"not enough highmem" : "no memory for its threads");
		return;
	}
	ms = div_u64(r.cycles, tsc_khz);
	pr_info("lazy-flush stress, %u CPU(s): %llu kmap rounds/s, %llu global flushes/s, %llu shootdowns/s, %lu mismatches\n",
		r.cpus, div_u64((uint64_t)r.kmap_ops * 1000, ms),
		div_u64((uint64_t)r.global_flushes * 1000, ms),
		div_u64((uint64_t)r.shootdowns * 1000, ms),
		r.mismatches + r.atomic_mismatches);
}

void bench_smp(void)
{
	if (num_online_cpus() > 1)
		bench_ipi_round_trip();
	bench_shootdown();
	bench_lazyflush();
}

/* Gives the CPU away BENCH_SWITCHES times: with a twin on the CPU and the
 * caller asleep in kthread_join, every call is one switch to the twin. */
static int yield_loop(void *unused)
{
	for (int i = 0; i < BENCH_SWITCHES; i++)
		schedule();
	return 0;
}

static int return_at_once(void *unused)
{
	return 0;
}

void bench_threads(void)
{
	unsigned int cpu = smp_processor_id();
	struct task_struct *a, *b;
	uint64_t t0, t1;

	t0 = rdtsc();
	a = kthread_run_on_cpu(yield_loop, NULL, cpu, "bench-a");
	b = kthread_run_on_cpu(yield_loop, NULL, cpu, "bench-b");
	if (!a || !b) {
		pr_info("context switch: no memory for the threads\n");
		return;
	}
	kthread_join(a);
	kthread_join(b);
	t1 = rdtsc();
	/* The two creations and joins are under 0.2 % of it. */
	pr_info("%-48s %6llu cycles/op (%u ops)\n", "context switch, schedule() between two threads",
		div_u64(t1 - t0, 2 * BENCH_SWITCHES), 2 * BENCH_SWITCHES);

	t0 = rdtsc();
	for (int i = 0; i < BENCH_THREADS; i++) {
		a = kthread_run_on_cpu(return_at_once, NULL, cpu, "bench-once");
		if (!a) {
			pr_info("kthread: no memory for the thread\n");
			return;
		}
		kthread_join(a);
	}
	t1 = rdtsc();
	pr_info("%-48s %6llu cycles/op (%u ops)\n", "kthread_run_on_cpu + kthread_join",
		div_u64(t1 - t0, BENCH_THREADS), BENCH_THREADS);
}
