/* SPDX-License-Identifier: MIT */
/*
 * Allocator benchmarks: cycles per operation of the page allocator in each
 * zone, of kmalloc and of kmap/kmap_atomic, the global TLB flushes the
 * lazy PKMap flush saves, vmalloc+vfree with its lazy purge (also with
 * 1000 areas live, where the O(log n) trees matter), and the cycles from
 * kernel entry to "memory ready".
 * Under QEMU with -icount shift=0,sleep=off the TSC follows the
 * instruction count, so the figures repeat from run to run
 * (docs/performance.md).
 */
#include "asm/x86.h"
#include "kernel/bench.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/ktest.h"
#include "kernel/math64.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/test_vmalloc.h"
#include "kernel/testhooks.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define BENCH_PAIRS	20000
#define BENCH_BATCH	512

uint64_t memory_ready_tsc;
uint64_t modules_loaded_tsc;
static bool bench_wanted;
__setup_flag("bench", bench_wanted);

bool bench_requested(void)
{
	return bench_wanted;
}

static const gfp_t zone_gfp[MAX_NR_ZONES] = {
	[ZONE_DMA] = GFP_DMA,
	[ZONE_NORMAL] = GFP_KERNEL,
	[ZONE_HIGHMEM] = GFP_HIGHUSER,
};

/* The line is drawn on every console before the next loop starts: the
 * framebuffer console draws lazily on the timer tick, and a redraw of
 * the lines just printed would land inside whichever loop runs next. */
static void report(const char *what, uint64_t cycles, unsigned long ops)
{
	pr_info("bench: %-48s %6llu cycles/op (%lu ops)\n", what,
		div_u64(cycles, ops), ops);
	console_flush();
}

/* alloc_pages + __free_pages of the same block, over and over: the
 * allocator's fast path. The zone must be the one the block came from,
 * or the figure would describe another zone. */
static void bench_page_pairs(enum zone_type z, unsigned int order)
{
	char what[64];
	uint64_t t0, t1;
	unsigned long i;

	for (i = 0, t0 = rdtsc(); i < BENCH_PAIRS; i++) {
		struct page *p = alloc_pages(zone_gfp[z], order);

		if (!p || page_zonenum(p) != z) {
			pr_info("bench: %s order %u: no block from the zone\n",
				zones[z].name, order);
			if (p)
				__free_pages(p, order);
			return;
		}
		__free_pages(p, order);
	}
	t1 = rdtsc();
	snprintf(what, sizeof(what), "alloc+free pair, %s, order %u",
		 zones[z].name, order);
	report(what, t1 - t0, BENCH_PAIRS);
}

/* BENCH_BATCH allocations, then their frees: splitting and coalescing. */
static void bench_page_batch(enum zone_type z, unsigned int order)
{
	static struct page *held[BENCH_BATCH];
	char what[64];
	unsigned long n;
	uint64_t t0, t1;

	t0 = rdtsc();
	for (n = 0; n < BENCH_BATCH; n++) {
		held[n] = alloc_pages(zone_gfp[z], order);
		if (!held[n] || page_zonenum(held[n]) != z)
			break;
	}
	for (unsigned long i = 0; i < n; i++)
		__free_pages(held[i], order);
	t1 = rdtsc();
	if (n < BENCH_BATCH) {
		if (held[n])			/* from a fallback zone */
			__free_pages(held[n], order);
		pr_info("bench: %s order %u: zone too small for a batch of %u\n",
			zones[z].name, order, BENCH_BATCH);
		return;
	}
	snprintf(what, sizeof(what), "batch of %u alloc then free, %s, order %u",
		 BENCH_BATCH, zones[z].name, order);
	report(what, t1 - t0, 2 * BENCH_BATCH);
}

static void bench_kmalloc_pairs(size_t size)
{
	char what[64];
	uint64_t t0, t1;
	unsigned long i;

	for (i = 0, t0 = rdtsc(); i < BENCH_PAIRS; i++)
		kfree(kmalloc(size, GFP_KERNEL));
	t1 = rdtsc();
	snprintf(what, sizeof(what), "kmalloc+kfree pair, %zu bytes", size);
	report(what, t1 - t0, BENCH_PAIRS);
}

/* ------------------------------------------------------------ kmap */

#define KMAP_PAGES	1024		/* twice the PKMap slots */
#define KMAP_FLUSH_PAIRS 1000000UL

static struct page *kmap_pages[KMAP_PAGES];

/* KMAP_PAGES highmem pages into kmap_pages, or false (none held). */
static bool kmap_pages_get(void)
{
	for (unsigned int i = 0; i < KMAP_PAGES; i++) {
		struct page *p = alloc_page(GFP_HIGHUSER);

		if (!p || !PageHighMem(p)) {
			if (p)
				__free_page(p);
			while (i--)
				__free_page(kmap_pages[i]);
			return false;
		}
		kmap_pages[i] = p;
	}
	return true;
}

static void kmap_pages_put(void)
{
	kmap_flush_unused();
	for (unsigned int i = 0; i < KMAP_PAGES; i++)
		__free_page(kmap_pages[i]);
}

/* The same page over and over: after the first, a hit on its slot. */
static void bench_kmap_hit(struct page *page)
{
	uint64_t t0, t1;
	unsigned long i;

	kmap(page);			/* the first map; then hits */
	kunmap(page);
	for (i = 0, t0 = rdtsc(); i < BENCH_PAIRS; i++) {
		kmap(page);
		kunmap(page);
	}
	t1 = rdtsc();
	report("kmap+kunmap pair, one highmem page (hit)", t1 - t0, BENCH_PAIRS);
}

/* Pairs over KMAP_PAGES pages in turn: every kmap takes a new slot, and
 * every LAST_PKMAP of them wrap; returns the cycles. */
static uint64_t kmap_cycle(unsigned long pairs)
{
	uint64_t t0 = rdtsc();

	for (unsigned long i = 0, k = 0; i < pairs; i++) {
		kmap(kmap_pages[k]);
		kunmap(kmap_pages[k]);
		if (++k == KMAP_PAGES)
			k = 0;
	}
	return rdtsc() - t0;
}

static void bench_kmap_atomic(struct page *page)
{
	uint64_t t0, t1;
	unsigned long i;

	for (i = 0, t0 = rdtsc(); i < BENCH_PAIRS; i++)
		kunmap_atomic(kmap_atomic(page));
	t1 = rdtsc();
	report("kmap_atomic+kunmap_atomic pair, highmem", t1 - t0, BENCH_PAIRS);
}

static void bench_kmap_lowmem(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	uint64_t t0, t1;
	unsigned long i;

	if (!page)
		return;
	for (i = 0, t0 = rdtsc(); i < BENCH_PAIRS; i++) {
		kmap(page);
		kunmap(page);
	}
	t1 = rdtsc();
	report("kmap+kunmap pair, lowmem page", t1 - t0, BENCH_PAIRS);
	__free_page(page);
}

/* The global flushes of KMAP_FLUSH_PAIRS pairs over distinct pages, with
 * the lazy flush and with a flush on every kunmap. */
static void bench_kmap_flushes(void)
{
	unsigned long lazy, eager;
	uint64_t c;

	kmap_flush_unused();
	lazy = kmap_stats.global_flushes;
	c = kmap_cycle(KMAP_FLUSH_PAIRS);
	lazy = kmap_stats.global_flushes - lazy;
	report("kmap+kunmap pair, 1024 pages, lazy flush", c, KMAP_FLUSH_PAIRS);

	kmap_flush_unused();
	pkmap_eager_flush = true;
	eager = kmap_stats.global_flushes;
	c = kmap_cycle(KMAP_FLUSH_PAIRS);
	eager = kmap_stats.global_flushes - eager;
	pkmap_eager_flush = false;
	report("kmap+kunmap pair, 1024 pages, flush each kunmap", c,
	       KMAP_FLUSH_PAIRS);

	pr_info("bench: global flushes per %lu kmap/kunmap pairs, lazy: %lu (bound %lu+1)\n",
		KMAP_FLUSH_PAIRS, lazy, KMAP_FLUSH_PAIRS / LAST_PKMAP);
	pr_info("bench: global flushes per %lu kmap/kunmap pairs, flush on every kunmap: %lu\n",
		KMAP_FLUSH_PAIRS, eager);
}

static void bench_kmap(void)
{
	char what[64];

	bench_kmap_lowmem();
	if (!zones[ZONE_HIGHMEM].present_pages) {
		pr_info("bench: no highmem: the highmem kmap figures are skipped\n");
		return;
	}
	if (!kmap_pages_get()) {
		pr_info("bench: fewer than %u free highmem pages: kmap figures skipped\n",
			KMAP_PAGES);
		return;
	}
	bench_kmap_hit(kmap_pages[0]);
	bench_kmap_atomic(kmap_pages[0]);
	kmap_flush_unused();
	kmap_cycle(KMAP_PAGES);			/* warm */
	snprintf(what, sizeof(what), "kmap+kunmap pair, cycling over %u pages",
		 KMAP_PAGES);
	report(what, kmap_cycle(20UL * KMAP_PAGES), 20UL * KMAP_PAGES);
	bench_kmap_flushes();
	kmap_pages_put();
}

/* ------------------------------------------------------------ vmalloc */

#define VMALLOC_PAIRS	5000
#define VMALLOC_LIVE	1000

static void *vmalloc_live[2 * VMALLOC_LIVE];

/* vmalloc + vfree of the same size, over and over; the lazy purges that
 * the frees trigger are part of the cost. */
static void bench_vmalloc_pairs(unsigned long size, const char *what)
{
	unsigned long purges = vmalloc_stats.purges;
	uint64_t t0, t1;
	unsigned long i;

	vm_purge_lazy();
	for (i = 0, t0 = rdtsc(); i < VMALLOC_PAIRS; i++) {
		void *p = vmalloc(size);

		if (!p) {
			pr_info("bench: %s: vmalloc failed\n", what);
			return;
		}
		vfree(p);
	}
	t1 = rdtsc();
	report(what, t1 - t0, VMALLOC_PAIRS);
	pr_info("bench: %-48s %6lu purges\n", what,
		vmalloc_stats.purges - purges);
	console_flush();
}

static void bench_vmalloc(void)
{
	unsigned long n;
	uint64_t t0, t1;

	bench_vmalloc_pairs(PAGE_SIZE, "vmalloc+vfree pair, 1 page");
	bench_vmalloc_pairs(64 << 10, "vmalloc+vfree pair, 64 KiB");

	/* 1000 areas, every fourth freed again: 750 live areas and 250
	 * holes in the trees while the pairs are timed; then 1000 more
	 * vmallocs fill the holes and go on past them (1750 live). */
	for (n = 0; n < VMALLOC_LIVE; n++)
		if (!(vmalloc_live[n] = vmalloc(PAGE_SIZE)))
			break;
	for (unsigned long i = 0; i < n; i += 4) {
		vfree(vmalloc_live[i]);
		vmalloc_live[i] = NULL;
	}
	vm_purge_lazy();
	bench_vmalloc_pairs(PAGE_SIZE, "vmalloc+vfree pair, 1 page, 750 live, 250 holes");
	t0 = rdtsc();
	for (unsigned long i = 0; i < VMALLOC_LIVE; i++)
		vmalloc_live[VMALLOC_LIVE + i] = vmalloc(PAGE_SIZE);
	t1 = rdtsc();
	report("vmalloc, 1 page, 750..1750 areas live", t1 - t0, VMALLOC_LIVE);
	pr_info("bench: vmalloc trees: %lu busy nodes (height %d), %lu free (height %d)\n",
		vmalloc_tree_nodes(false), vmalloc_tree_height(false),
		vmalloc_tree_nodes(true), vmalloc_tree_height(true));
	for (unsigned long i = 0; i < 2 * VMALLOC_LIVE; i++)
		vfree(vmalloc_live[i]);
	vm_purge_lazy();
	kmalloc_shrink();
	pr_info("bench: vmalloc page tables (allocated by vmalloc_init): %lu pages\n",
		vmalloc_stats.pte_pages);
}

void bench_run(void)
{
	static const unsigned int orders[] = { 0, 3 };
	unsigned long free_before = nr_free_pages();

	pr_info("bench: %llu cycles from kernel entry to memory ready\n",
		memory_ready_tsc - boot_entry_tsc);
	pr_info("bench: %llu cycles from kernel entry to the boot modules loaded\n",
		modules_loaded_tsc - boot_entry_tsc);
	console_flush();
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (!zones[z].present_pages)
			continue;
		for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
			bench_page_pairs(z, orders[i]);
			bench_page_batch(z, orders[i]);
		}
	}
	bench_kmalloc_pairs(32);
	bench_kmalloc_pairs(1024);
	kmalloc_shrink();
	bench_kmap();
	bench_vmalloc();
	bench_smp();
	bench_threads();
	bench_console();
	test_vmalloc_bench();
	pr_info("bench: done; free pages %lu before, %lu after\n", free_before,
		nr_free_pages());
}

void bench_run_and_exit(void)
{
	bench_run();
	console_flush();
	emulator_exit(0);
	halt_forever();
}
