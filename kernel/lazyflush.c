/* SPDX-License-Identifier: MIT */
/*
 * The lazy-flush stress workload, run by the lazyflush KTEST cases and by
 * the SMP benchmark: the lazy global TLB flush under load (seed 003
 * §10.1: pkmap slots freed by kunmap stay mapped, possibly in every CPU's
 * TLB, until the scan wraps and flush_all_zero_pkmaps flushes them all at
 * once). Two kmap threads per CPU pick random pages from a pool of twice
 * LAST_PKMAP highmem pages, check each page's identity and contents,
 * rewrite its contents and kunmap it; every CPU's timer tick checks
 * random pool pages through kmap_atomic. A CPU that kept a stale
 * translation of a pkmap slot reads (and writes) the page the slot used
 * to map, which the checks see.
 */
#define pr_fmt(fmt) "lazyflush: " fmt

#include "asm/percpu.h"
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/lazyflush.h"
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/testhooks.h"
#include "kernel/time.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define POOL_PAGES		(2 * LAST_PKMAP)
#define THREADS_PER_CPU		2
#define ATOMIC_PER_TICK		4
#define WORDS			(PAGE_SIZE / 4)
#define IMMUTABLE_WORDS		(WORDS / 2)	/* [0, 512): fixed at set-up */
#define GEN_WORD		(WORDS - 1)	/* the mutable half's generation */
#define PAGE_MAGIC		0x6c617a79u
#define REPORT_MAX		5
#define POLL_MS			10
/* A run that has not done its wraps this long after msecs gives up: a
 * hang guard only (docs/smp.md). */
#define GIVE_UP_MS		60000u

struct worker {
	struct task_struct *task;
	uint32_t seed;
	unsigned long ops;
};

static struct page *pool[POOL_PAGES];
static uint8_t page_busy[POOL_PAGES];
static uint32_t tick_seed[NR_CPUS];
static unsigned long tick_checks[NR_CPUS];
static volatile bool go, stop;
static const struct lazyflush_run *cur_run;
static bool gave_up;
static uint64_t stop_tsc;
static unsigned long mismatches, atomic_mismatches, reported;
static uint64_t start_tsc, first_mismatch_tsc;
static unsigned long start_wraps, first_mismatch_wraps;

static void free_pool(struct page **v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (__free_page(v[i]))
			panic("lazyflush: pool page pfn 0x%lx would not free",
			      page_to_pfn(v[i]));
}

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static uint32_t immutable_word(uint32_t pfn, unsigned int i)
{
	return (pfn * 0x9e3779b1u) ^ (i * 0x85ebca6bu);
}

static uint32_t gen_word(uint32_t pfn, uint32_t gen, unsigned int i)
{
	return (pfn + gen * 0x27d4eb2fu) ^ (i * 0x165667b1u);
}

static void fill_page(uint32_t *w, uint32_t pfn)
{
	w[0] = PAGE_MAGIC ^ pfn;
	w[1] = pfn;
	for (unsigned int i = 2; i < IMMUTABLE_WORDS; i++)
		w[i] = immutable_word(pfn, i);
	for (unsigned int i = IMMUTABLE_WORDS; i < GEN_WORD; i++)
		w[i] = gen_word(pfn, 0, i);
	w[GEN_WORD] = 0;
}

static void note_mismatch(unsigned long *counter, const char *how,
			  uint32_t pfn, const uint32_t *w, unsigned int word)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	if (__atomic_fetch_add(&reported, 1, __ATOMIC_RELAXED) == 0) {
		first_mismatch_tsc = rdtsc();
		first_mismatch_wraps = kmap_stats.pkmap_wraps - start_wraps;
	}
	if (reported <= REPORT_MAX)
		pr_err("CPU %u: %s of pfn 0x%x at %p: word %u is 0x%08x, the page says pfn 0x%x (stale TLB entry)\n",
		       smp_processor_id(), how, pfn, w, word, w[word], w[1]);
}

/* The identity and the fixed half: what any CPU may check at any time. */
static bool check_identity(const uint32_t *w, uint32_t pfn, unsigned int *bad)
{
	if (w[0] != (PAGE_MAGIC ^ pfn)) {
		*bad = 0;
		return false;
	}
	if (w[1] != pfn) {
		*bad = 1;
		return false;
	}
	for (unsigned int i = 2; i < IMMUTABLE_WORDS; i += 61)
		if (w[i] != immutable_word(pfn, i)) {
			*bad = i;
			return false;
		}
	return true;
}

static unsigned long total_tick_checks(void)
{
	unsigned long n = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		n += __atomic_load_n(&tick_checks[cpu], __ATOMIC_RELAXED);
	return n;
}

/* Whether the run has done what it was asked, or must give up. */
static bool run_done(uint64_t now)
{
	const struct lazyflush_run *run = cur_run;
	uint64_t ms = div_u64(now - start_tsc, tsc_khz);
	unsigned long wraps = kmap_stats.pkmap_wraps - start_wraps;

	if (run->stop_at_first_mismatch && (mismatches || atomic_mismatches))
		return true;
	if (ms >= run->msecs && wraps >= run->min_wraps && total_tick_checks() > 0)
		return true;
	if (ms >= (uint64_t)run->msecs + GIVE_UP_MS) {
		gave_up = true;
		return true;
	}
	return false;
}

/*
 * The workers end the run themselves, the first one to see it done
 * noting the time: a controlling thread would wake only at a tick and
 * then wait for the workers' time slices on its CPU, which on a loaded
 * host overshot a 1000 ms run by 500-800 ms.
 */
static void maybe_stop(void)
{
	uint64_t now = rdtsc();
	bool expected = false;

	if (!run_done(now))
		return;
	if (__atomic_compare_exchange_n(&stop, &expected, true, false,
					__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		stop_tsc = now;
}


/* The page's owner: identity, then the mutable half against its
 * generation; then the next generation is written. */
static int kmap_worker(void *arg)
{
	struct worker *me = arg;

	while (!go)
		cpu_relax();
	while (!stop) {
		unsigned int i = xorshift32(&me->seed) % POOL_PAGES, bad;
		uint32_t pfn, gen, *w;

		if (__atomic_test_and_set(&page_busy[i], __ATOMIC_ACQUIRE))
			continue;
		pfn = (uint32_t)page_to_pfn(pool[i]);
		w = kmap(pool[i]);
		if (!check_identity(w, pfn, &bad)) {
			note_mismatch(&mismatches, "kmap", pfn, w, bad);
		} else {
			gen = w[GEN_WORD];
			for (unsigned int k = IMMUTABLE_WORDS; k < GEN_WORD; k++) {
				if (w[k] != gen_word(pfn, gen, k)) {
					note_mismatch(&mismatches, "kmap (contents)", pfn, w, k);
					break;
				}
			}
			gen++;
			for (unsigned int k = IMMUTABLE_WORDS; k < GEN_WORD; k++)
				w[k] = gen_word(pfn, gen, k);
			w[GEN_WORD] = gen;
		}
		kunmap(pool[i]);
		__atomic_clear(&page_busy[i], __ATOMIC_RELEASE);
		me->ops++;
		maybe_stop();
	}
	return 0;
}

/* Every CPU's tick: a few pool pages through this CPU's kmap_atomic
 * slots (their flush is local, on every map). */
static void lazyflush_tick(unsigned int cpu)
{
	for (int k = 0; k < ATOMIC_PER_TICK; k++) {
		unsigned int i = xorshift32(&tick_seed[cpu]) % POOL_PAGES, bad;
		uint32_t pfn = (uint32_t)page_to_pfn(pool[i]);
		uint32_t *w = kmap_atomic(pool[i]);

		if (!w)
			return;
		if (!check_identity(w, pfn, &bad))
			note_mismatch(&atomic_mismatches, "kmap_atomic", pfn, w, bad);
		kunmap_atomic(w);
		tick_checks[cpu]++;
	}
}

/*
 * Create and join more threads than the run will: the slab caches the
 * run's threads use then have room for them, so free pages can be
 * compared exactly. A joined thread's stack goes to vmalloc's lazy list,
 * whose struct vmap_area (a kmalloc object) lives until the next purge:
 * the lazy list is purged before the count is taken and again before it
 * is compared, or the run's 2 areas per CPU stay behind, and with 8 CPUs
 * they often filled a slab page (free_pages_delta -1, no page lost).
 */
static int nop_thread(void *unused)
{
	return 0;
}

static void warm_up(void)
{
	struct task_struct *th[2 * NR_CPUS * THREADS_PER_CPU];
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu)
		for (int k = 0; k < 2 * THREADS_PER_CPU; k++)
			th[n++] = kthread_run_on_cpu(nop_thread, NULL, cpu, "warm-up");
	for (unsigned int i = 0; i < n; i++)
		if (th[i])
			kthread_join(th[i]);
}

static bool pkmap_slots_clean(unsigned int n)
{
	for (int i = 0; i < LAST_PKMAP; i++)
		if (pkmap_count[i] != 0)
			return false;
	for (unsigned int i = 0; i < n; i++)
		if (page_address_highmem(pool[i]))
			return false;
	return true;
}

/* Every CPU has finished any tick that could still see the hook: each
 * one's next tick has begun since it was cleared (a tick's handler reads
 * the hook after counting the tick, and ticks do not nest). */
static void wait_for_tick_hook_users(void)
{
	unsigned long seen[NR_CPUS];
	unsigned int cpu;
	bool all;

	for_each_online_cpu(cpu)
		seen[cpu] = cpu_ticks(cpu);
	do {
		msleep(POLL_MS);
		all = true;
		for_each_online_cpu(cpu)
			all &= cpu_ticks(cpu) - seen[cpu] >= 2;
	} while (!all);
}

int lazyflush_stress(const struct lazyflush_run *run, struct lazyflush_result *r)
{
	static struct worker workers[NR_CPUS * THREADS_PER_CPU];
	struct kmap_stats k0, k1;
	struct tlb_stats t0, t1;
	unsigned long before;
	unsigned int cpu, n, nw = 0;

	memset(r, 0, sizeof(*r));
	warm_up();
	vm_purge_lazy();
	before = nr_free_pages();
	n = alloc_highmem_pages(pool, POOL_PAGES);
	if (n < POOL_PAGES) {
		free_pool(pool, n);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint32_t *w = kmap_atomic(pool[i]);

		fill_page(w, (uint32_t)page_to_pfn(pool[i]));
		kunmap_atomic(w);
		page_busy[i] = 0;
	}
	/* Start from clean TLBs everywhere. */
	kmap_flush_unused();
	flush_tlb_all();

	go = stop = false;
	mismatches = atomic_mismatches = reported = 0;
	for_each_online_cpu(cpu) {
		tick_seed[cpu] = 0x1234567u * (cpu + 1);
		tick_checks[cpu] = 0;
		for (int k = 0; k < THREADS_PER_CPU; k++) {
			struct worker *w = &workers[nw++];

			w->seed = 0x9e3779b9u * nw;
			w->ops = 0;
			w->task = kthread_run_on_cpu(kmap_worker, w, cpu, "kmap-stress");
			if (!w->task) {
				nw--;
				goto no_threads;
			}
		}
	}
	r->cpus = num_online_cpus();
	r->threads = nw;
	r->pool_pages = n;

	k0 = kmap_stats;
	t0 = tlb_stats;
	start_wraps = k0.pkmap_wraps;
	cur_run = run;
	gave_up = false;
	tlb_shootdown_disabled = run->negative_control;
	__atomic_store_n(&tick_hook, lazyflush_tick, __ATOMIC_SEQ_CST);
	start_tsc = rdtsc();
	go = true;
	for (unsigned int i = 0; i < nw; i++)
		kthread_join(workers[i].task);
	r->cycles = stop_tsc - start_tsc;
	r->gave_up = gave_up;
	__atomic_store_n(&tick_hook, NULL, __ATOMIC_SEQ_CST);
	tlb_shootdown_disabled = false;
	k1 = kmap_stats;
	t1 = tlb_stats;
	wait_for_tick_hook_users();

	for (unsigned int i = 0; i < nw; i++)
		r->kmap_ops += workers[i].ops;
	r->atomic_checks = total_tick_checks();
	r->mismatches = mismatches;
	r->atomic_mismatches = atomic_mismatches;
	r->wraps = k1.pkmap_wraps - k0.pkmap_wraps;
	r->global_flushes = k1.global_flushes - k0.global_flushes;
	r->shootdowns = t1.shootdowns - t0.shootdowns;
	r->ipis = t1.ipis_sent - t0.ipis_sent;
	r->skipped = t1.skipped - t0.skipped;
	r->first_mismatch_ms = reported ?
		(unsigned long)div_u64(first_mismatch_tsc - start_tsc, tsc_khz) : ~0UL;
	r->first_mismatch_wraps = reported ? first_mismatch_wraps : ~0UL;

	/* Every CPU forgets the pool's translations before the pages go. */
	kmap_flush_unused();
	flush_tlb_all();
	r->slots_clean = pkmap_slots_clean(n);
	free_pool(pool, n);
	vm_purge_lazy();
	r->free_pages_delta = (long)nr_free_pages() - (long)before;
	return 0;

no_threads:
	/* Out of memory for a worker (its stack or task): the ones started
	 * leave before their first round, and nothing is left behind. */
	pr_warn("no memory for worker thread %u of %u; the run is off\n",
		nw + 1, num_online_cpus() * THREADS_PER_CPU);
	stop = true;
	go = true;
	for (unsigned int i = 0; i < nw; i++)
		kthread_join(workers[i].task);
	free_pool(pool, n);
	vm_purge_lazy();
	return -EAGAIN;
}

void lazyflush_report(const char *what, const struct lazyflush_result *r)
{
	unsigned long ms = (unsigned long)div_u64(r->cycles, tsc_khz ? tsc_khz : 1);

	pr_info("%s: %u CPU(s), %u threads, %u pages, %lu ms: %lu kmap rounds, %lu kmap_atomic checks in ticks\n",
		what, r->cpus, r->threads, r->pool_pages, ms, r->kmap_ops,
		r->atomic_checks);
	pr_info("%s: %lu wraps, %lu global flushes, %lu shootdowns (%lu IPIs, %lu skipped), %lu + %lu mismatches%s\n",
		what, r->wraps, r->global_flushes, r->shootdowns, r->ipis,
		r->skipped, r->mismatches, r->atomic_mismatches,
		r->slots_clean ? "" : ", pkmap slots NOT clean");
	if (r->first_mismatch_ms != ~0UL)
		pr_info("%s: first mismatch after %lu ms, in wrap %lu\n", what,
			r->first_mismatch_ms, r->first_mismatch_wraps);
	if (r->gave_up)
		pr_info("%s: gave up %u ms after the time asked, at %lu wraps\n",
			what, GIVE_UP_MS, r->wraps);
}
