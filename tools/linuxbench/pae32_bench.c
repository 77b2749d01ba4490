// SPDX-License-Identifier: MIT
/*
 * pae32's kernel/bench.c as a Linux 6.1 module: the same loops with the
 * same counts, printing the same "bench:" lines, for every figure Linux
 * can measure (the page allocator per zone, kmalloc, kmap, the lazy
 * PKMap flush count, vmalloc), so that ./build.sh bench linux compares
 * the two kernels under QEMU -icount figure by figure (docs/performance.md).
 * Linux's kmap_atomic (6.1: kmap_local underneath) and vm_unmap_aliases(),
 * which purges the lazily freed vmap areas where pae32 calls
 * vm_purge_lazy, stand in for pae32's calls of the same meaning.
 * The module stays loaded once the figures are printed: a failed load
 * would make busybox's insmod load it again with init_module(2) after
 * finit_module(2), and the figures would be measured twice.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include <asm/msr.h>
#include "kallsyms.h"

#define BENCH_PAIRS	20000
#define BENCH_BATCH	512

static const gfp_t zone_gfp[] = {
	[ZONE_DMA] = GFP_DMA,
	[ZONE_NORMAL] = GFP_KERNEL,
	[ZONE_HIGHMEM] = GFP_HIGHUSER,
};
static const char *const zone_label[] = {
	[ZONE_DMA] = "DMA",
	[ZONE_NORMAL] = "Normal",
	[ZONE_HIGHMEM] = "HighMem",
};

static u64 bench_tsc(void)
{
	return rdtsc();
}

static void report(const char *what, u64 cycles, unsigned long ops)
{
	pr_info("bench: %-48s %6llu cycles/op (%lu ops)\n", what,
		div_u64(cycles, ops), ops);
}

/* alloc_pages + __free_pages of one block, over and over; the block must
 * come from the zone named. */
static void bench_page_pairs(enum zone_type z, unsigned int order)
{
	char what[64];
	u64 t0, t1;
	unsigned long i;

	for (i = 0, t0 = bench_tsc(); i < BENCH_PAIRS; i++) {
		struct page *p = alloc_pages(zone_gfp[z], order);

		if (!p || page_zonenum(p) != z) {
			pr_info("bench: %s order %u: no block from the zone\n",
				zone_label[z], order);
			if (p)
				__free_pages(p, order);
			return;
		}
		__free_pages(p, order);
	}
	t1 = bench_tsc();
	snprintf(what, sizeof(what), "alloc+free pair, %s, order %u",
		 zone_label[z], order);
	report(what, t1 - t0, BENCH_PAIRS);
}

/* BENCH_BATCH allocations, then their frees. __GFP_NOWARN: a zone too
 * small for the batch (DMA at order 3) is reported by the line below, not
 * by the allocator's warning and stack dump; the flag is read only when
 * an allocation fails. */
static void bench_page_batch(enum zone_type z, unsigned int order)
{
	static struct page *held[BENCH_BATCH];
	char what[64];
	unsigned long n, i;
	u64 t0, t1;

	t0 = bench_tsc();
	for (n = 0; n < BENCH_BATCH; n++) {
		held[n] = alloc_pages(zone_gfp[z] | __GFP_NOWARN, order);
		if (!held[n] || page_zonenum(held[n]) != z)
			break;
	}
	for (i = 0; i < n; i++)
		__free_pages(held[i], order);
	t1 = bench_tsc();
	if (n < BENCH_BATCH) {
		if (held[n])
			__free_pages(held[n], order);
		pr_info("bench: %s order %u: zone too small for a batch of %u\n",
			zone_label[z], order, BENCH_BATCH);
		return;
	}
	snprintf(what, sizeof(what), "batch of %u alloc then free, %s, order %u",
		 BENCH_BATCH, zone_label[z], order);
	report(what, t1 - t0, 2 * BENCH_BATCH);
}

/* noinline: the size reaches kmalloc as a variable, as it does in pae32,
 * whose kmalloc is one function for every size; with a constant, Linux's
 * inline kmalloc would pick the cache at compile time and skip the size
 * lookup that pae32's figure includes. */
static noinline void bench_kmalloc_pairs(size_t size)
{
	char what[64];
	u64 t0, t1;
	unsigned long i;

	for (i = 0, t0 = bench_tsc(); i < BENCH_PAIRS; i++)
		kfree(kmalloc(size, GFP_KERNEL));
	t1 = bench_tsc();
	snprintf(what, sizeof(what), "kmalloc+kfree pair, %zu bytes", size);
	report(what, t1 - t0, BENCH_PAIRS);
}

/* ------------------------------------------------------------ kmap */

#define KMAP_PAGES	1024		/* twice LAST_PKMAP (512 with PAE) */
#define KMAP_FLUSH_PAIRS 1000000UL

static struct page *kmap_pages[KMAP_PAGES];

static bool kmap_pages_get(void)
{
	unsigned int i;

	for (i = 0; i < KMAP_PAGES; i++) {
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

/*
 * kmap_flush_unused() (its __kmap_flush_unused) is not exported: the
 * module finds it at load time (kallsyms.h) and calls it where pae32
 * calls its own.
 */
static void (*flush_unused)(void);

static void kmap_pages_put(void)
{
	unsigned int i;

	flush_unused();
	for (i = 0; i < KMAP_PAGES; i++)
		__free_page(kmap_pages[i]);
}

static void bench_kmap_hit(struct page *page)
{
	u64 t0, t1;
	unsigned long i;

	kmap(page);
	kunmap(page);
	for (i = 0, t0 = bench_tsc(); i < BENCH_PAIRS; i++) {
		kmap(page);
		kunmap(page);
	}
	t1 = bench_tsc();
	report("kmap+kunmap pair, one highmem page (hit)", t1 - t0, BENCH_PAIRS);
}

static u64 kmap_cycle(unsigned long pairs)
{
	u64 t0 = bench_tsc();
	unsigned long i, k;

	for (i = 0, k = 0; i < pairs; i++) {
		kmap(kmap_pages[k]);
		kunmap(kmap_pages[k]);
		if (++k == KMAP_PAGES)
			k = 0;
	}
	return bench_tsc() - t0;
}

static void bench_kmap_atomic(struct page *page)
{
	u64 t0, t1;
	unsigned long i;

	for (i = 0, t0 = bench_tsc(); i < BENCH_PAIRS; i++)
		kunmap_atomic(kmap_atomic(page));
	t1 = bench_tsc();
	report("kmap_atomic+kunmap_atomic pair, highmem", t1 - t0, BENCH_PAIRS);
}

static void bench_kmap_lowmem(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	u64 t0, t1;
	unsigned long i;

	if (!page)
		return;
	for (i = 0, t0 = bench_tsc(); i < BENCH_PAIRS; i++) {
		kmap(page);
		kunmap(page);
	}
	t1 = bench_tsc();
	report("kmap+kunmap pair, lowmem page", t1 - t0, BENCH_PAIRS);
	__free_page(page);
}

/*
 * Linux keeps no count of its PKMap flushes: mm/highmem.c's
 * flush_all_zero_pkmaps() ends in flush_tlb_kernel_range() over the whole
 * PKMap range when a slot was freed (the global flush; x86's tlb.c flushes
 * everything for a range above tlb_single_page_flush_ceiling). A kprobe
 * on flush_tlb_kernel_range counts the calls whose start is PKMAP_ADDR(0)
 * (x86-32 passes the first argument in eax).
 */
static unsigned long pkmap_flushes;

static int pkmap_flush_seen(struct kprobe *kp, struct pt_regs *regs)
{
	if (regs->ax == PKMAP_ADDR(0))
		pkmap_flushes++;
	return 0;
}

static struct kprobe pkmap_flush_probe = {
	.symbol_name = "flush_tlb_kernel_range",
	.pre_handler = pkmap_flush_seen,
};

/*
 * The lazy-flush pairs timed without the probe (its int3 would be part
 * of the figure), then the same pairs again from the same state with
 * the probe counting the flushes.
 */
static void bench_kmap_flushes(void)
{
	u64 c;
	int err;

	flush_unused();
	c = kmap_cycle(KMAP_FLUSH_PAIRS);
	report("kmap+kunmap pair, 1024 pages, lazy flush", c, KMAP_FLUSH_PAIRS);

	err = register_kprobe(&pkmap_flush_probe);
	if (err) {
		pr_info("bench: no kprobe on flush_tlb_kernel_range (%d): flushes not counted\n",
			err);
		return;
	}
	flush_unused();
	pkmap_flushes = 0;
	kmap_cycle(KMAP_FLUSH_PAIRS);
	unregister_kprobe(&pkmap_flush_probe);
	pr_info("bench: global flushes per %lu kmap/kunmap pairs, lazy: %lu (bound %lu+1)\n",
		KMAP_FLUSH_PAIRS, pkmap_flushes, KMAP_FLUSH_PAIRS / LAST_PKMAP);
}

static void bench_kmap(void)
{
	char what[64];

	bench_kmap_lowmem();
	if (!totalhigh_pages()) {
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
	flush_unused();
	kmap_cycle(KMAP_PAGES);
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

static void bench_vmalloc_pairs(unsigned long size, const char *what)
{
	u64 t0, t1;
	unsigned long i;

	vm_unmap_aliases();
	for (i = 0, t0 = bench_tsc(); i < VMALLOC_PAIRS; i++) {
		void *p = vmalloc(size);

		if (!p) {
			pr_info("bench: %s: vmalloc failed\n", what);
			return;
		}
		vfree(p);
	}
	t1 = bench_tsc();
	report(what, t1 - t0, VMALLOC_PAIRS);
}

static void bench_vmalloc(void)
{
	unsigned long n, i;
	u64 t0, t1;

	bench_vmalloc_pairs(PAGE_SIZE, "vmalloc+vfree pair, 1 page");
	bench_vmalloc_pairs(64 << 10, "vmalloc+vfree pair, 64 KiB");

	for (n = 0; n < VMALLOC_LIVE; n++)
		if (!(vmalloc_live[n] = vmalloc(PAGE_SIZE)))
			break;
	for (i = 0; i < n; i += 4) {
		vfree(vmalloc_live[i]);
		vmalloc_live[i] = NULL;
	}
	vm_unmap_aliases();
	bench_vmalloc_pairs(PAGE_SIZE, "vmalloc+vfree pair, 1 page, 750 live, 250 holes");
	t0 = bench_tsc();
	for (i = 0; i < VMALLOC_LIVE; i++)
		vmalloc_live[VMALLOC_LIVE + i] = vmalloc(PAGE_SIZE);
	t1 = bench_tsc();
	report("vmalloc, 1 page, 750..1750 areas live", t1 - t0, VMALLOC_LIVE);
	for (i = 0; i < 2 * VMALLOC_LIVE; i++)
		vfree(vmalloc_live[i]);
	vm_unmap_aliases();
}

static int __init pae32_bench_init(void)
{
	static const unsigned int orders[] = { 0, 3 };
	unsigned long free_before = nr_free_pages();
	int z;
	unsigned int i;

	flush_unused = linuxbench_lookup("__kmap_flush_unused");
	if (!flush_unused)
		return -ENOENT;

	for (z = 0; z < ARRAY_SIZE(zone_gfp); z++) {
		if (!zone_label[z])
			continue;
		/* A zone without pages: pae32 skips it too. */
		if (!NODE_DATA(0)->node_zones[z].present_pages)
			continue;
		for (i = 0; i < ARRAY_SIZE(orders); i++) {
			bench_page_pairs(z, orders[i]);
			bench_page_batch(z, orders[i]);
		}
	}
	bench_kmalloc_pairs(32);
	bench_kmalloc_pairs(1024);
	bench_kmap();
	bench_vmalloc();
	pr_info("bench: done; free pages %lu before, %lu after\n", free_before,
		nr_free_pages());
	return 0;
}

static void __exit pae32_bench_exit(void)
{
}

module_init(pae32_bench_init);
module_exit(pae32_bench_exit);
/* GPL-compatible for kprobes (EXPORT_SYMBOL_GPL); the source is MIT. */
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("pae32's allocator benchmarks (kernel/bench.c) on Linux");
