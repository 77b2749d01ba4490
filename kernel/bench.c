/*
 * Allocator benchmarks: cycles per operation of the page allocator in each
 * zone and of kmalloc, and the cycles from kernel entry to "memory ready".
 * Under QEMU with -icount shift=0,sleep=off the TSC follows the
 * instruction count, so the figures repeat from run to run
 * (docs/performance.md).
 */
#include "asm/x86.h"
#include "kernel/bench.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/ktest.h"
#include "kernel/math64.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define BENCH_PAIRS	20000
#define BENCH_BATCH	512

uint64_t memory_ready_tsc;
static bool bench_wanted;

static int bench_setup(char *val)
{
	if (val)
		return -EINVAL;
	bench_wanted = true;
	return 0;
}
__setup("bench", bench_setup);

bool bench_requested(void)
{
	return bench_wanted;
}

static const gfp_t zone_gfp[MAX_NR_ZONES] = {
	[ZONE_DMA] = GFP_DMA,
	[ZONE_NORMAL] = GFP_KERNEL,
	[ZONE_HIGHMEM] = GFP_HIGHUSER,
};

static void report(const char *what, uint64_t cycles, unsigned long ops)
{
	pr_info("bench: %-48s %6llu cycles/op (%lu ops)\n", what,
		div_u64(cycles, ops), ops);
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

void bench_run_and_exit(void)
{
	static const unsigned int orders[] = { 0, 3 };
	unsigned long free_before = nr_free_pages();

	pr_info("bench: %llu cycles from kernel entry to memory ready\n",
		memory_ready_tsc - boot_entry_tsc);
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
	pr_info("bench: done; free pages %lu before, %lu after\n", free_before,
		nr_free_pages());
	outb(KTEST_EXIT_PORT, 0);
	halt_forever();
}
