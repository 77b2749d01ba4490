/* SPDX-License-Identifier: MIT */
/*
 * vmalloc, vmap and the lazy purge (mm/vmalloc.c, mm/vmap_tree.c; seed
 * 001, Gorman ch. 8): bad requests refused with nothing changed, memory
 * written and read back through areas of many sizes backed by highmem,
 * vmalloc_to_page against the page tables, the unmapped guard page,
 * alignment, vmap of caller pages, the lazy purge (a freed range is never
 * handed out before its flush, and the flush removes the stale
 * translation), free pages back to their baseline, a fragmentation
 * torture, and the trees' balance with thousands of areas.
 *
 * Each test gives back what it took and purges, so the next one starts
 * with no lazy ranges.
 */
#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor-flags.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define NEED_VMALLOC(t) do {						\
	if (!nr_free_pages() || !vmalloc_tree_nodes(true))		\
		kt_skip(t, "vmalloc is not set up");			\
} while (0)

static uint32_t pat(unsigned long id, unsigned long w)
{
	return (uint32_t)(id * 0x9e3779b1u) ^ (uint32_t)(w * 0x85ebca6bu) ^ 0xa5a5u;
}

static void fill(void *p, unsigned long bytes, unsigned long id)
{
	for (unsigned long w = 0; w < bytes / 4; w++)
		((volatile uint32_t *)p)[w] = pat(id, w);
}

static unsigned long bad_words(const void *p, unsigned long bytes, unsigned long id)
{
	unsigned long bad = 0;

	for (unsigned long w = 0; w < bytes / 4; w++)
		bad += ((const volatile uint32_t *)p)[w] != pat(id, w);
	return bad;
}

/* The frame the kernel page tables map at va, or -1. */
static long long mapped_pfn(unsigned long va)
{
	pmd_t *large;
	pte_t *pte = lookup_address(va, &large);

	if (!pte || !pte_present(*pte))
		return -1;
	return (long long)((pte->pte & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* Highmem pages the page allocator can still give. */
static bool highmem_free(unsigned long pages)
{
	return zones[ZONE_HIGHMEM].free_pages >= pages;
}

struct snap {
	unsigned long n, hash;
};

static int snap_area(const struct vm_struct *a, void *arg)
{
	struct snap *s = arg;

	s->n++;
	s->hash = s->hash * 31 + (unsigned long)a->addr;
	s->hash = s->hash * 31 + a->size;
	s->hash = s->hash * 31 + a->flags;
	s->hash = s->hash * 31 + a->nr_pages;
	s->hash = s->hash * 31 + (unsigned long)a->pages;
	return 0;
}

static struct snap take_snap(void)
{
	struct snap s = { 0, 17 };

	vmalloc_for_each_area(snap_area, &s);
	return s;
}

/* ------------------------------------------------------------ misuse */

KTEST(vmalloc, bad_requests_change_nothing)
{
	unsigned long bad0 = vmalloc_stats.bad_frees, areas;
	struct snap before, after;
	size_t log0;
	char *p;

	NEED_VMALLOC(t);
	vm_purge_lazy();
	KT_EXPECT(t, vmalloc(0) == NULL);
	KT_EXPECT(t, vzalloc(0) == NULL);
	KT_EXPECT(t, vmalloc(VMALLOC_END - VMALLOC_START) == NULL);
	KT_EXPECT(t, vmalloc(~0UL) == NULL);
	KT_EXPECT(t, __vmalloc(PAGE_SIZE, 3 * PAGE_SIZE, PAGE_KERNEL, 0, NULL) == NULL);
	KT_EXPECT(t, vmap(NULL, 1, 0, PAGE_KERNEL) == NULL);

	p = vmalloc(3 * PAGE_SIZE);
	KT_ASSERT(t, p != NULL);
	areas = vmalloc_stats.nr_areas;
	before = take_snap();
	log0 = log_buf_len_now();
	KT_EXPECT_EQ(t, vfree(p + PAGE_SIZE), -EINVAL);		/* inner page */
	KT_EXPECT_EQ(t, vfree(p + 8), -EINVAL);			/* inner byte */
	KT_EXPECT_EQ(t, vfree((void *)VMALLOC_END), -EINVAL);
	KT_EXPECT_EQ(t, vfree(&before), -EINVAL);		/* not vmalloc */
	KT_EXPECT_EQ(t, vunmap(p), -EINVAL);			/* wrong kind */
	KT_EXPECT(t, log_buf_len_now() > log0);
	KT_EXPECT_EQ(t, vmalloc_stats.bad_frees, bad0 + 5);
	after = take_snap();
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
	KT_EXPECT_EQ(t, after.n, before.n);
	KT_EXPECT_EQ(t, after.hash, before.hash);
	KT_EXPECT(t, find_vm_area(p) != NULL);
	fill(p, 3 * PAGE_SIZE, 1);
	KT_EXPECT_EQ(t, bad_words(p, 3 * PAGE_SIZE, 1), 0);

	KT_EXPECT_EQ(t, vfree(p), 0);
	KT_EXPECT_EQ(t, vfree(p), -EINVAL);			/* double */
	KT_EXPECT_EQ(t, vmalloc_stats.bad_frees, bad0 + 6);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas - 1);
	KT_EXPECT_EQ(t, vfree(NULL), 0);
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
}

/* ------------------------------------------------------------ memory */

KTEST(vmalloc, write_read_sizes_highmem_pages)
{
	static const unsigned long sizes[] = {
		1, 4095, 4096, 4097, 3 * 4096 + 5, 64 << 10, 1 << 20,
		4 << 20, (6 << 20) + 123,
	};

	NEED_VMALLOC(t);
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long size = sizes[i], alloc = PAGE_ALIGN(size);
		bool want_high = highmem_free(alloc / PAGE_SIZE + 64);
		unsigned long not_high = 0, bad_map = 0;
		char *p = vmalloc(size);
		struct vm_struct *vm;

		KT_ASSERT(t, p != NULL);
		KT_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0);
		KT_EXPECT(t, (unsigned long)p >= VMALLOC_START);
		KT_EXPECT(t, (unsigned long)p + alloc + PAGE_SIZE <= VMALLOC_END);
		vm = find_vm_area(p);
		KT_ASSERT(t, vm != NULL);
		KT_EXPECT_EQ(t, vm->size, alloc + PAGE_SIZE);
		KT_EXPECT_EQ(t, get_vm_area_size(vm), alloc);
		KT_EXPECT_EQ(t, vm->nr_pages, alloc / PAGE_SIZE);
		KT_EXPECT_EQ(t, vm->flags & VM_ALLOC, VM_ALLOC);
		KT_EXPECT(t, vm->caller != NULL);
		for (unsigned int k = 0; k < vm->nr_pages; k++) {
			struct page *pg = vmalloc_to_page(p + k * PAGE_SIZE + 5);

			bad_map += pg != vm->pages[k] ||
				   mapped_pfn((unsigned long)p + k * PAGE_SIZE) !=
				   (long long)page_to_pfn(pg);
			not_high += !PageHighMem(vm->pages[k]);
		}
		KT_EXPECT_EQ(t, bad_map, 0);
		if (want_high)
			KT_EXPECT_EQ(t, not_high, 0);
		fill(p, alloc, i + 100);
		KT_EXPECT_EQ(t, bad_words(p, alloc, i + 100), 0);
		KT_EXPECT_EQ(t, vfree(p), 0);
	}
	KT_EXPECT(t, vmalloc_to_page((void *)(VMALLOC_START - PAGE_SIZE)) == NULL);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
}

KTEST(vmalloc, vzalloc_zeroes_through_mapping)
{
	unsigned long size = 40 * PAGE_SIZE, nonzero = 0;
	char *p;

	NEED_VMALLOC(t);
	/* Dirty pages first, so that the next ones come back dirty. */
	p = vmalloc(size);
	KT_ASSERT(t, p != NULL);
	fill(p, size, 7);
	vfree(p);
	vm_purge_lazy();
	p = vzalloc(size);
	KT_ASSERT(t, p != NULL);
	for (unsigned long w = 0; w < size / 4; w++)
		nonzero += ((volatile uint32_t *)p)[w] != 0;
	KT_EXPECT_EQ(t, nonzero, 0);
	KT_EXPECT_EQ(t, vfree(p), 0);
	vm_purge_lazy();
}

KTEST(vmalloc, guard_page_unmapped)
{
	unsigned long guard, before;
	const struct vm_struct *vm;
	uint32_t v = 0;
	pmd_t *large;
	pte_t *pte;
	char *p;

	NEED_VMALLOC(t);
	p = vmalloc(2 * PAGE_SIZE);
	KT_ASSERT(t, p != NULL);
	guard = (unsigned long)p + 2 * PAGE_SIZE;
	pte = lookup_address(guard, &large);
	KT_EXPECT(t, large == NULL);
	KT_EXPECT(t, pte == NULL || !pte_present(*pte));
	KT_EXPECT_EQ(t, mapped_pfn(guard - PAGE_SIZE) >= 0, 1);
	vm = vmalloc_area_of(guard);
	KT_EXPECT(t, vm == find_vm_area(p));
	KT_EXPECT(t, vmalloc_area_of(guard + 123) == vm);
	KT_EXPECT(t, vmalloc_to_page((void *)guard) == NULL);
	before = last_fixup_fault.count;
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)(guard - 4)), 0);
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)guard), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.count, before + 1);
	KT_EXPECT_EQ(t, last_fixup_fault.address, guard);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)(guard + 100), 1), -EFAULT);
	KT_EXPECT_EQ(t, vfree(p), 0);
	vm_purge_lazy();
}

KTEST(vmalloc, alignment)
{
	static const unsigned long aligns[] = {
		0, 4096, 8192, 64 << 10, 1 << 20, 4 << 20,
	};
	void *p[ARRAY_SIZE(aligns)];

	NEED_VMALLOC(t);
	for (unsigned int i = 0; i < ARRAY_SIZE(aligns); i++) {
		unsigned long a = aligns[i] ? aligns[i] : PAGE_SIZE;

		p[i] = __vmalloc(3 * PAGE_SIZE + 1, aligns[i], PAGE_KERNEL, 0,
				 __builtin_return_address(0));
		KT_ASSERT(t, p[i] != NULL);
		KT_EXPECT_EQ(t, (unsigned long)p[i] & (a - 1), 0);
		KT_EXPECT_EQ(t, find_vm_area(p[i])->nr_pages, 4);
		fill(p[i], 4 * PAGE_SIZE, i);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(aligns); i++) {
		KT_EXPECT_EQ(t, bad_words(p[i], 4 * PAGE_SIZE, i), 0);
		KT_EXPECT_EQ(t, vfree(p[i]), 0);
	}
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	vm_purge_lazy();
}

/* ------------------------------------------------------------ vmap */

#define VMAP_PAGES	8

KTEST(vmalloc, vmap_maps_pages_in_order)
{
	struct page *pages[VMAP_PAGES];
	unsigned long bad = 0;
	char *v;

	NEED_VMALLOC(t);
	for (int i = 0; i < VMAP_PAGES; i++) {
		pages[i] = alloc_page(i & 1 ? GFP_HIGHUSER : GFP_KERNEL);
		KT_ASSERT(t, pages[i] != NULL);
	}
	v = vmap(pages, VMAP_PAGES, 0, PAGE_KERNEL);
	KT_ASSERT(t, v != NULL);
	KT_EXPECT_EQ(t, find_vm_area(v)->flags & VM_MAP, VM_MAP);
	KT_EXPECT_EQ(t, find_vm_area(v)->size, (VMAP_PAGES + 1) * PAGE_SIZE);
	for (int i = 0; i < VMAP_PAGES; i++) {
		KT_EXPECT(t, vmalloc_to_page(v + i * PAGE_SIZE) == pages[i]);
		fill(v + i * PAGE_SIZE, PAGE_SIZE, 1000 + i);
	}
	for (int i = 0; i < VMAP_PAGES; i++) {
		void *k = kmap(pages[i]);

		bad += bad_words(k, PAGE_SIZE, 1000 + i);
		kunmap(pages[i]);
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, vfree(v), -EINVAL);	/* vmap areas go with vunmap */
	KT_EXPECT_EQ(t, vunmap(v), 0);
	KT_EXPECT_EQ(t, vunmap(v), -EINVAL);
	KT_EXPECT_EQ(t, mapped_pfn((unsigned long)v), -1);
	for (int i = 0; i < VMAP_PAGES; i++) {
		void *k = kmap(pages[i]);

		bad += bad_words(k, PAGE_SIZE, 1000 + i);	/* still theirs */
		kunmap(pages[i]);
		KT_EXPECT_EQ(t, page_count(pages[i]), 1);
		KT_EXPECT_EQ(t, __free_page(pages[i]), 0);
	}
	KT_EXPECT_EQ(t, bad, 0);
	kmap_flush_unused();
	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
}

/* ------------------------------------------------------------ lazy purge */

KTEST(vmalloc, freed_range_not_reused_before_purge)
{
	unsigned long purges, ranges;
	char *a, *b, *c;

	NEED_VMALLOC(t);
	vm_purge_lazy();
	purges = vmalloc_stats.purges;
	ranges = vmalloc_stats.purged_ranges;
	KT_EXPECT_EQ(t, vmalloc_stats.lazy_bytes, 0);
	a = vmalloc(4 * PAGE_SIZE);
	KT_ASSERT(t, a != NULL);
	KT_EXPECT_EQ(t, vfree(a), 0);
	KT_EXPECT_EQ(t, vmalloc_stats.lazy_bytes, 5 * PAGE_SIZE);
	KT_EXPECT_EQ(t, mapped_pfn((unsigned long)a), -1);	/* PTEs gone now */
	KT_EXPECT(t, find_vm_area(a) == NULL);
	b = vmalloc(4 * PAGE_SIZE);
	KT_ASSERT(t, b != NULL);
	KT_EXPECT_EQ(t, vmalloc_stats.purges, purges);
	KT_EXPECT(t, b != a);			/* a's range is still lazy */
	KT_EXPECT(t, b >= a + 5 * PAGE_SIZE || b + 5 * PAGE_SIZE <= a);
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	KT_EXPECT_EQ(t, vfree(b), 0);
	KT_EXPECT_EQ(t, vmalloc_stats.lazy_bytes, 10 * PAGE_SIZE);

	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_stats.purges, purges + 1);
	KT_EXPECT_EQ(t, vmalloc_stats.purged_ranges, ranges + 2);
	KT_EXPECT_EQ(t, vmalloc_stats.lazy_bytes, 0);
	vm_purge_lazy();			/* nothing lazy: no flush */
	KT_EXPECT_EQ(t, vmalloc_stats.purges, purges + 1);
	c = vmalloc(4 * PAGE_SIZE);		/* the lowest fit is a's again */
	KT_EXPECT(t, c == a);
	KT_EXPECT_EQ(t, vfree(c), 0);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
}

/* The flush is what makes a freed range safe: a translation cached while
 * the area was live must be gone after the purge. */
KTEST(vmalloc, purge_flushes_stale_translation)
{
	volatile uint32_t *a;
	uint32_t v = 0;

	NEED_VMALLOC(t);
	vm_purge_lazy();
	a = vmalloc(PAGE_SIZE);
	KT_ASSERT(t, a != NULL);
	a[0] = 0x12345678;
	KT_EXPECT_EQ(t, a[0], 0x12345678);	/* the TLB holds it now */
	KT_EXPECT_EQ(t, vfree((void *)a), 0);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, probe_read_u32(&v, (const uint32_t *)a), -EFAULT);
}

/* Past VMAP_LAZY_MAX of lazy ranges, a free purges by itself. */
KTEST(vmalloc, lazy_threshold_purges)
{
	unsigned long purges, chunk = 4 << 20, n = VMAP_LAZY_MAX / chunk + 2;
	void *p;

	NEED_VMALLOC(t);
	if (VMALLOC_END - VMALLOC_START < 2 * VMAP_LAZY_MAX)
		kt_skip(t, "vmalloc area too small");
	vm_purge_lazy();
	purges = vmalloc_stats.purges;
	for (unsigned long i = 0; i < n; i++) {
		p = __vmalloc(chunk - PAGE_SIZE, PAGE_SIZE, PAGE_KERNEL, 0, NULL);
		KT_ASSERT(t, p != NULL);
		vfree(p);
		KT_EXPECT(t, vmalloc_stats.lazy_bytes <= VMAP_LAZY_MAX);
	}
	KT_EXPECT_EQ(t, vmalloc_stats.purges, purges + 1);
	vm_purge_lazy();
}

KTEST(vmalloc, free_pages_back_to_baseline)
{
	unsigned long free0, pte0, areas0;
	struct page *pg[4];
	void *a, *b, *c, *d;

	NEED_VMALLOC(t);
	vm_purge_lazy();
	kmalloc_shrink();
	/* Slab pages count with the free ones: the area objects the test
	 * frees and the ones the free ranges keep need not share the slab
	 * pages they had; a page of vmalloc's own still shows. */
	free0 = nr_free_pages() + kmalloc_slab_pages();
	areas0 = vmalloc_stats.nr_areas;
	pte0 = vmalloc_stats.pte_pages;
	a = vmalloc(1 << 20);
	b = vzalloc(64 << 10);
	c = vmalloc(3 * PAGE_SIZE);
	for (int i = 0; i < 4; i++)
		pg[i] = alloc_page(GFP_HIGHUSER);
	d = vmap(pg, 4, 0, PAGE_KERNEL);
	KT_ASSERT(t, a && b && c && d);
	KT_EXPECT(t, nr_free_pages() < free0 - 256);
	KT_EXPECT_EQ(t, vfree(b), 0);
	KT_EXPECT_EQ(t, vfree(a), 0);
	KT_EXPECT_EQ(t, vunmap(d), 0);
	KT_EXPECT_EQ(t, vfree(c), 0);
	for (int i = 0; i < 4; i++)
		__free_page(pg[i]);
	vm_purge_lazy();
	kmalloc_shrink();
	/* The area's page tables all exist from vmalloc_init on. */
	KT_EXPECT_EQ(t, vmalloc_stats.pte_pages, pte0);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas0);
	KT_EXPECT_EQ(t, nr_free_pages() + kmalloc_slab_pages(), free0);
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
}

/* ------------------------------------------------------------ many areas */

#define TORTURE	400

static struct { char *p; unsigned long size; } tort[TORTURE + TORTURE / 2];
static unsigned long rng_state = 2463534242UL;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static unsigned long rnd_size(void)
{
	unsigned long r = rnd();

	if (r % 16 == 0)
		return (1 + r / 16 % 64) * PAGE_SIZE + r % 1000;	/* up to 256 KiB */
	return 1 + r / 16 % (8 * PAGE_SIZE);
}

KTEST(vmalloc, fragmentation_torture)
{
	unsigned int n = 0, overlaps = 0, bad = 0;

	NEED_VMALLOC(t);
	vm_purge_lazy();
	for (unsigned int i = 0; i < TORTURE; i++, n++) {
		tort[n].size = rnd_size();
		tort[n].p = vmalloc(tort[n].size);
		KT_ASSERT(t, tort[n].p != NULL);
		fill(tort[n].p, tort[n].size & ~3UL, n);
	}
	for (unsigned int i = 0; i < TORTURE; i += 2) {
		bad += vfree(tort[i].p) != 0;
		tort[i].p = NULL;
	}
	vm_purge_lazy();			/* the holes become usable */
	for (unsigned int i = 0; i < TORTURE / 2; i++, n++) {
		tort[n].size = rnd_size();
		tort[n].p = vmalloc(tort[n].size);
		KT_ASSERT(t, tort[n].p != NULL);
		fill(tort[n].p, tort[n].size & ~3UL, n);
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	/* No two live areas (with their guard pages) overlap; all intact. */
	for (unsigned int i = 0; i < n; i++) {
		unsigned long si, ei;

		if (!tort[i].p)
			continue;
		si = (unsigned long)tort[i].p;
		ei = si + PAGE_ALIGN(tort[i].size) + PAGE_SIZE;
		bad += bad_words(tort[i].p, tort[i].size & ~3UL, i) != 0;
		for (unsigned int j = i + 1; j < n; j++) {
			unsigned long sj = (unsigned long)tort[j].p;
			unsigned long ej = sj + PAGE_ALIGN(tort[j].size) + PAGE_SIZE;

			if (tort[j].p && si < ej && sj < ei)
				overlaps++;
		}
	}
	KT_EXPECT_EQ(t, overlaps, 0);
	KT_EXPECT_EQ(t, bad, 0);
	for (unsigned int i = 0; i < n; i++)
		if (tort[i].p)
			bad += vfree(tort[i].p) != 0;
	KT_EXPECT_EQ(t, bad, 0);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
}

static int ilog2_up(unsigned long n)
{
	int l = 0;

	while ((1UL << l) < n)
		l++;
	return l;
}

#define MANY	3000
static void *many[MANY];

/* Frees what trees_stay_balanced holds, so that a run cut short leaves
 * the area as it found it for the suites after it. */
static void free_many(void)
{
	for (int i = 0; i < MANY; i++) {
		vfree(many[i]);
		many[i] = NULL;
	}
	vm_purge_lazy();
}

/* O(log n) without timing: thousands of areas in, every other out, in
 * again: both trees stay AVL-balanced (height <= 1.44 log2(n + 2)) and
 * well within 2 log2(n + 1) + 2. */
KTEST(vmalloc, trees_stay_balanced)
{
	unsigned long nodes, holes_before;
	int h;

	NEED_VMALLOC(t);
	vm_purge_lazy();
	/* Each area is a page and its guard; what a boot module or a small
	 * vmalloc= took may leave less than that. */
	if (vmalloc_largest_free() < MANY * 2 * PAGE_SIZE)
		kt_skip(t, "under 3000 two-page areas free in the vmalloc area");
	/* Holes left between live areas (thread stacks come and go). */
	holes_before = vmalloc_tree_nodes(true);
	for (int i = 0; i < MANY; i++) {
		many[i] = vmalloc(PAGE_SIZE);
		if (!many[i]) {
			KT_EXPECT(t, many[i] != NULL);
			free_many();
			return;
		}
	}
	nodes = vmalloc_tree_nodes(false);
	h = vmalloc_tree_height(false);
	KT_EXPECT(t, nodes >= MANY);
	KT_EXPECT(t, h <= 2 * ilog2_up(nodes + 1) + 2);
	KT_EXPECT(t, h * 10000L <= 14405L * ilog2_up(nodes + 2));
	for (int i = 0; i < MANY; i += 2) {
		vfree(many[i]);
		many[i] = NULL;
	}
	vm_purge_lazy();
	nodes = vmalloc_tree_nodes(true);
	h = vmalloc_tree_height(true);
	KT_EXPECT(t, nodes >= MANY / 2);	/* one hole per freed area */
	KT_EXPECT(t, h <= 2 * ilog2_up(nodes + 1) + 2);
	KT_EXPECT(t, h * 10000L <= 14405L * ilog2_up(nodes + 2));
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	for (int i = 0; i < MANY; i += 2) {	/* refill the holes */
		many[i] = vmalloc(PAGE_SIZE);
		if (!many[i]) {
			KT_EXPECT(t, many[i] != NULL);
			free_many();
			return;
		}
	}
	KT_EXPECT(t, vmalloc_tree_height(false) <=
		  2 * ilog2_up(vmalloc_tree_nodes(false) + 1) + 2);
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	free_many();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	KT_EXPECT_EQ(t, vmalloc_tree_nodes(true), holes_before);	/* merged again */
}

/* ------------------------------------------------------------ reports, prot */

KTEST(vmalloc, vmallocinfo_lists_areas)
{
	static char buf[2048];
	char want[64];
	size_t from, n;
	char *p;

	NEED_VMALLOC(t);
	p = vmalloc(2 * PAGE_SIZE);
	KT_ASSERT(t, p != NULL);
	from = log_buf_len_now();
	vmallocinfo_show(printk);
	n = log_buf_copy_text(buf, sizeof(buf) - 1, from);
	buf[n] = 0;
	snprintf(want, sizeof(want), "0x%08lx-0x%08lx   12288 ",
		 (unsigned long)p, (unsigned long)p + 3 * PAGE_SIZE);
	KT_EXPECT(t, strstr(buf, want) != NULL);
	KT_EXPECT(t, strstr(buf, "pages=2 vmalloc") != NULL);
	vfree(p);
	vm_purge_lazy();
}

KTEST(vmalloc, set_prot_read_only)
{
	uint32_t v;
	char *p;

	NEED_VMALLOC(t);
	if (!(read_cr0() & X86_CR0_WP))
		kt_skip(t, "CR0.WP clear: the kernel may write read-only pages");
	p = vmalloc(2 * PAGE_SIZE);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)p, 1), 0);
	KT_EXPECT_EQ(t, vmalloc_set_prot(p, PAGE_SIZE, PAGE_KERNEL_RO), 0);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)p, 2), -EFAULT);
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)p), 0);
	KT_EXPECT_EQ(t, v, 1);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)(p + PAGE_SIZE), 3), 0);
	KT_EXPECT_EQ(t, vmalloc_set_prot(p, 3 * PAGE_SIZE, PAGE_KERNEL), -EINVAL);
	KT_EXPECT_EQ(t, vmalloc_set_prot(p + 1, PAGE_SIZE, PAGE_KERNEL), -EINVAL);
	KT_EXPECT_EQ(t, vmalloc_set_prot(p, 2 * PAGE_SIZE, PAGE_KERNEL), 0);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)p, 4), 0);
	vfree(p);
	vm_purge_lazy();
}

/* A write one byte past an area faults in its guard page, and the fault
 * report names the area: range, size and caller. */
KTEST(vmalloc, fault_past_the_end_names_the_area)
{
	static char log[512];
	char want[128];
	size_t from;
	char *p;

	NEED_VMALLOC(t);
	p = vmalloc(PAGE_SIZE);
	KT_ASSERT(t, p != NULL);
	from = log_buf_len_now();
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)(p + PAGE_SIZE), 0x5a), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.address, (uint32_t)(p + PAGE_SIZE));
	log_buf_copy_text(log, sizeof(log), from);
	snprintf(want, sizeof(want),
		 "0x%08lx is in the guard page of vmalloc area 0x%08lx-0x%08lx (4096 bytes, caller 0x%08lx)",
		 (unsigned long)p + PAGE_SIZE, (unsigned long)p,
		 (unsigned long)p + PAGE_SIZE,
		 (unsigned long)find_vm_area(p)->caller);
	KT_EXPECT(t, strstr(log, want) != NULL);
	KT_EXPECT_EQ(t, vfree(p), 0);
	vm_purge_lazy();
}
