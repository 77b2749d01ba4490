/* SPDX-License-Identifier: MIT */
/*
 * The buddy allocator (mm/page_alloc.c) on the machine's real zones after
 * mem_init: every order from every populated zone, ZONE_DMA exhausted,
 * bad frees reported with nothing lost, and every free lowmem page
 * written and read back through the direct map (Gorman ch. 6); the
 * per-CPU page lists in front of it: refilled by a batch, drained above
 * high and on request from every CPU, a double free of a block on one
 * refused, the free count exact throughout.
 */
#include "asm/page.h"
#include "asm/percpu.h"
#include "asm/smp.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/list.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "../mm_test_util.h"

extern char _text[];

/* Before mem_init there is nothing to test. */
#define NEED_PAGE_ALLOC(t) do {						\
	if (!nr_free_pages())						\
		kt_skip(t, "the page allocator has no pages yet");	\
} while (0)

/* The free lists in numbers, to show a test gave everything back. */
static gfp_t zone_gfp(int z)
{
	return z == ZONE_DMA ? GFP_DMA : z == ZONE_NORMAL ? GFP_KERNEL : GFP_HIGHUSER;
}

/* Frees every block on held (linked through the heads' lru; the
 * allocator keeps each head's order in private); returns the failures. */
static int free_held(struct list_head *held)
{
	int failures = 0;

	while (!list_empty(held)) {
		struct page *page = list_first_entry(held, struct page, lru);

		list_del(&page->lru);
		if (__free_pages(page, (unsigned int)page->private))
			failures++;
	}
	return failures;
}

KTEST(page_alloc, every_order_from_every_zone)
{
	struct counts base, now;
	LIST_HEAD(held);

	NEED_PAGE_ALLOC(t);
	counts_take(&base);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (!zones[z].present_pages)
			continue;
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			int want = expected_zone(zone_gfp(z), order);
			struct page *page = alloc_pages(zone_gfp(z), order);
			unsigned long pfn;

			if (want < 0) {
				KT_EXPECT(t, page == NULL);
				continue;
			}
			KT_ASSERT(t, page != NULL);
			pfn = page_to_pfn(page);
			KT_EXPECT_EQ(t, pfn & ((1UL << order) - 1), 0);
			KT_EXPECT_EQ(t, page_zonenum(page), want);
			KT_EXPECT(t, zone_spans_pfn(page_zone(page), pfn) &&
				     pfn + (1UL << order) <= zone_end_pfn(page_zone(page)));
			KT_EXPECT(t, PageHead(page) && !PageBuddy(page) && !PageReserved(page));
			KT_EXPECT_EQ(t, page->private, order);
			KT_EXPECT_EQ(t, page_count(page), 1);
			KT_EXPECT_EQ(t, PageHighMem(page), want == ZONE_HIGHMEM);
			list_add(&page->lru, &held);
		}
	}
	KT_EXPECT_EQ(t, free_held(&held), 0);
	counts_take(&now);
	KT_EXPECT(t, counts_same(&base, &now));
}

KTEST(page_alloc, exhaust_zone_dma)
{
	unsigned long n = 0, dma_free = zones[ZONE_DMA].free_pages;
	struct counts base, now;
	struct page *page;
	LIST_HEAD(held);

	NEED_PAGE_ALLOC(t);
	if (!dma_free)
		kt_skip(t, "ZONE_DMA has no free pages");
	counts_take(&base);
	while ((page = alloc_page(GFP_DMA))) {
		KT_EXPECT_EQ(t, page_zonenum(page), ZONE_DMA);
		list_add(&page->lru, &held);
		n++;
	}
	KT_EXPECT_EQ(t, n, dma_free);
	KT_EXPECT_EQ(t, zones[ZONE_DMA].free_pages, 0);
	/* Empty stays empty, quietly, for any order; Normal is untouched. */
	KT_EXPECT(t, alloc_page(GFP_DMA) == NULL);
	KT_EXPECT(t, alloc_pages(GFP_DMA, 3) == NULL);
	KT_EXPECT_EQ(t, zones[ZONE_NORMAL].free_pages, base.free[ZONE_NORMAL]);
	KT_EXPECT_EQ(t, free_held(&held), 0);
	counts_take(&now);
	KT_EXPECT(t, counts_same(&base, &now));
}

KTEST(page_alloc, fallback_order)
{
	struct page *page;
	int want;

	NEED_PAGE_ALLOC(t);
	/* GFP_KERNEL never takes highmem; GFP_HIGHUSER prefers it. */
	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, page != NULL);
	KT_EXPECT(t, page_zonenum(page) != ZONE_HIGHMEM);
	KT_EXPECT(t, page_address(page) != NULL);
	KT_EXPECT_EQ(t, __free_page(page), 0);

	want = expected_zone(GFP_HIGHUSER, 0);
	KT_EXPECT_EQ(t, want, zones[ZONE_HIGHMEM].free_pages ? ZONE_HIGHMEM : ZONE_NORMAL);
	page = alloc_page(GFP_HIGHUSER);
	KT_ASSERT(t, page != NULL);
	KT_EXPECT_EQ(t, page_zonenum(page), want);
	/* A highmem page has no direct-map address (page_address may still
	 * name a pkmap slot not yet flushed since its last kunmap). */
	KT_EXPECT_EQ(t, PageHighMem(page), want == ZONE_HIGHMEM);
	KT_EXPECT_EQ(t, __free_page(page), 0);
}

/* The log written since 'from' contains want. */
static bool logged(size_t from, const char *want)
{
	static char buf[1024];

	log_buf_copy_text(buf, sizeof(buf), from);
	return strstr(buf, want) != NULL;
}

KTEST(page_alloc, bad_frees_reported_and_nothing_lost)
{
	unsigned long bad = page_alloc_bad_frees, kpfn = __pa(_text) >> PAGE_SHIFT;
	struct page *kernel_page = pfn_to_page(kpfn), *p, *q;
	struct page saved;
	struct counts base, now;
	char want[96];
	size_t log;

	NEED_PAGE_ALLOC(t);
	saved = *kernel_page;
	counts_take(&base);

	log = log_buf_len_now();
	KT_EXPECT_EQ(t, __free_page(kernel_page), -EINVAL);
	snprintf(want, sizeof(want), "freeing reserved frame pfn 0x%lx\n", kpfn);
	KT_EXPECT(t, logged(log, want));
	KT_EXPECT(t, memcmp(&saved, kernel_page, sizeof(saved)) == 0);

	p = alloc_pages(GFP_KERNEL, 2);
	KT_ASSERT(t, p != NULL);
	log = log_buf_len_now();
	KT_EXPECT_EQ(t, __free_pages(p + 1, 0), -EINVAL);
	snprintf(want, sizeof(want), "pfn 0x%lx is a tail page of the order-2 block at pfn 0x%lx\n",
		 page_to_pfn(p) + 1, page_to_pfn(p));
	KT_EXPECT(t, logged(log, want));
	KT_EXPECT_EQ(t, __free_pages(p, 1), -EINVAL);	/* wrong order */
	KT_EXPECT_EQ(t, __free_pages(NULL, 0), -EINVAL);
	KT_EXPECT_EQ(t, __free_pages(p, 2), 0);

	q = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, q != NULL);
	KT_EXPECT_EQ(t, __free_page(q), 0);
	log = log_buf_len_now();
	KT_EXPECT_EQ(t, __free_page(q), -EINVAL);
	snprintf(want, sizeof(want), "double free of pfn 0x%lx", page_to_pfn(q));
	KT_EXPECT(t, logged(log, want));
	KT_EXPECT_EQ(t, free_pages((unsigned long)_text + 1, 0), -EINVAL);

	KT_EXPECT_EQ(t, page_alloc_bad_frees, bad + 6);
	counts_take(&now);
	KT_EXPECT(t, counts_same(&base, &now));
}

KTEST(page_alloc, refcount_frees_with_the_last_reference)
{
	unsigned long before = nr_free_pages();
	struct page *p;

	NEED_PAGE_ALLOC(t);
	p = alloc_pages(GFP_KERNEL, 1);
	KT_ASSERT(t, p != NULL);
	get_page(p);
	KT_EXPECT_EQ(t, page_count(p), 2);
	KT_EXPECT_EQ(t, __free_pages(p, 1), 0);
	KT_EXPECT(t, PageHead(p));
	KT_EXPECT_EQ(t, nr_free_pages(), before - 2);
	KT_EXPECT_EQ(t, __free_pages(p, 1), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

KTEST(page_alloc, zeroed_and_direct_map_pages)
{
	unsigned long addr, zero;
	bool all_zero = true;

	NEED_PAGE_ALLOC(t);
	addr = __get_free_pages(GFP_KERNEL, 1);
	KT_ASSERT(t, addr != 0);
	KT_EXPECT_EQ(t, addr & (PAGE_SIZE - 1), 0);
	KT_EXPECT(t, virt_addr_valid(addr));
	KT_EXPECT_EQ(t, virt_to_page(addr)->private, 1);
	memset((void *)addr, 0xa5, 2 * PAGE_SIZE);
	KT_EXPECT_EQ(t, free_pages(addr, 1), 0);

	zero = get_zeroed_page(GFP_KERNEL);
	KT_ASSERT(t, zero != 0);
	for (unsigned long i = 0; i < PAGE_SIZE / 4; i++)
		all_zero &= ((uint32_t *)zero)[i] == 0;
	KT_EXPECT(t, all_zero);
	KT_EXPECT_EQ(t, free_page(zero), 0);
	KT_EXPECT_EQ(t, __get_free_page(GFP_HIGHUSER), 0);
	KT_EXPECT(t, alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
}

/* One word in every 64 bytes, different for every page and offset. */
static uint32_t pattern(unsigned long pfn, unsigned long off)
{
	return (uint32_t)(pfn * 0x9e3779b1u) ^ (uint32_t)(off * 0x85ebca6bu) ^ 0x5a5a5a5au;
}

KTEST(page_alloc, every_free_lowmem_page_through_the_direct_map)
{
	unsigned long lowmem_free = zones[ZONE_DMA].free_pages + zones[ZONE_NORMAL].free_pages;
	unsigned long pages = 0, bad = 0, first_bad = 0;
	struct counts base, now;
	struct page *head;
	LIST_HEAD(held);

	NEED_PAGE_ALLOC(t);
	counts_take(&base);
	/* Take all of Normal and DMA, largest blocks first. */
	for (int order = MAX_ORDER - 1; order >= 0; order--) {
		struct page *page;

		while ((page = alloc_pages(GFP_KERNEL, order))) {
			list_add(&page->lru, &held);
			pages += 1UL << order;
		}
	}
	KT_EXPECT_EQ(t, pages, lowmem_free);
	KT_EXPECT_EQ(t, zones[ZONE_HIGHMEM].free_pages, base.free[ZONE_HIGHMEM]);

	list_for_each_entry(head, &held, lru) {
		for (unsigned long i = 0; i < (1UL << head->private); i++) {
			uint32_t *va = page_address(head + i);
			unsigned long pfn = page_to_pfn(head) + i;

			for (unsigned long off = 0; off < PAGE_SIZE / 4; off += 16)
				va[off] = pattern(pfn, off);
		}
	}
	list_for_each_entry(head, &held, lru) {
		for (unsigned long i = 0; i < (1UL << head->private); i++) {
			uint32_t *va = page_address(head + i);
			unsigned long pfn = page_to_pfn(head) + i;

			for (unsigned long off = 0; off < PAGE_SIZE / 4; off += 16)
				if (va[off] != pattern(pfn, off) && !bad++)
					first_bad = pfn;
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, first_bad, 0);
	KT_EXPECT_EQ(t, free_held(&held), 0);
	counts_take(&now);
	KT_EXPECT(t, counts_same(&base, &now));
}

/* ------------------------------------------------- per-CPU page lists */

/* The pages on every CPU's lists of zone. */
static unsigned long pcp_pages(const struct zone *zone)
{
	unsigned long sum = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += zone->per_cpu_pageset[cpu].count;
	return sum;
}

/* free_pages is exactly the buddy lists' blocks plus the lists' pages. */
static bool free_pages_add_up(const struct zone *zone)
{
	unsigned long buddy = 0;

	for (int o = 0; o < MAX_ORDER; o++)
		buddy += zone->free_area[o].nr_free << o;
	return buddy + pcp_pages(zone) == zone->free_pages;
}

#define NEED_PCP(t, pcp) do {						\
	NEED_PAGE_ALLOC(t);						\
	if (!(pcp)->high)						\
		kt_skip(t, "the per-CPU page lists are not set up");	\
} while (0)

static struct per_cpu_pages *this_pcp(int z)
{
	return &zones[z].per_cpu_pageset[smp_processor_id()];
}

KTEST(page_alloc, pcp_refill_takes_a_batch_and_free_keeps_it)
{
	struct per_cpu_pages *pcp = this_pcp(ZONE_NORMAL);
	struct zone *zone = &zones[ZONE_NORMAL];
	struct counts base, now;
	unsigned long before;
	struct page *page;

	NEED_PCP(t, pcp);
	counts_take(&base);		/* drains every CPU's lists */
	if (zone->free_pages <= (unsigned long)pcp->batch)
		kt_skip(t, "ZONE_NORMAL has too little free");
	KT_EXPECT_EQ(t, pcp_pages(zone), 0);
	before = nr_free_pages();

	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, page != NULL);
	KT_EXPECT_EQ(t, page_zonenum(page), ZONE_NORMAL);
	KT_EXPECT(t, PageHead(page) && !PagePcp(page) && !PageBuddy(page));
	/* One refill of batch pages, one of them handed out. */
	KT_EXPECT_EQ(t, pcp->count, pcp->batch - 1);
	KT_EXPECT_EQ(t, nr_free_pages(), before - 1);
	KT_EXPECT_EQ(t, zone->free_pages, base.free[ZONE_NORMAL] - 1);
	KT_EXPECT(t, free_pages_add_up(zone));

	KT_EXPECT_EQ(t, __free_page(page), 0);
	KT_EXPECT(t, PagePcp(page) && !PageHead(page) && !PageBuddy(page));
	KT_EXPECT_EQ(t, pcp->count, pcp->batch);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
	KT_EXPECT(t, free_pages_add_up(zone));
	/* The next allocation takes the page just freed, from the list. */
	KT_EXPECT(t, alloc_page(GFP_KERNEL) == page);
	KT_EXPECT_EQ(t, pcp->count, pcp->batch - 1);
	KT_EXPECT_EQ(t, __free_page(page), 0);

	drain_local_pages();
	KT_EXPECT_EQ(t, pcp->count, 0);
	KT_EXPECT(t, !PagePcp(page));
	KT_EXPECT(t, free_pages_add_up(zone));
	counts_take(&now);
	KT_EXPECT(t, counts_same(&base, &now));
}

KTEST(page_alloc, pcp_overflow_drains_down_to_high)
{
	struct per_cpu_pages *pcp = this_pcp(ZONE_NORMAL);
	struct zone *zone = &zones[ZONE_NORMAL];
	unsigned long n, got = 0, before;
	struct counts base, now;
	LIST_HEAD(held);

	NEED_PCP(t, pcp);
	counts_take(&base);
	n = (unsigned long)pcp->high + 2 * pcp->batch;
	if (zone->free_pages < n + pcp->batch)
		kt_skip(t, "ZONE_NORMAL has too little free");
	before = nr_free_pages();
	while (got < n) {
		struct page *page = alloc_page(GFP_KERNEL);

		KT_ASSERT(t, page != NULL);
		list_add(&page->lru, &held);
		got++;
		KT_ASSERT(t, pcp->count >= 0 && pcp->count < pcp->batch);
	}
	KT_EXPECT_EQ(t, nr_free_pages(), before - n);
	KT_EXPECT(t, free_pages_add_up(zone));
	/* Freed one by one: the list grows to high and is brought back
	 * below it by a batch each time it goes over. */
	KT_EXPECT_EQ(t, free_held(&held), 0);
	KT_EXPECT(t, pcp->count <= pcp->high);
	KT_EXPECT(t, pcp->count > pcp->high - pcp->batch);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
	KT_EXPECT(t, free_pages_add_up(zone));
	counts_take(&now);
	KT_EXPECT(t, counts_same(&base, &now));
}

KTEST(page_alloc, pcp_double_free_refused)
{
	struct per_cpu_pages *pcp = this_pcp(ZONE_NORMAL);
	unsigned long bad = page_alloc_bad_frees, before, pfn;
	struct page *page;
	char want[128];
	size_t log;
	int count;

	NEED_PCP(t, pcp);
	page = alloc_pages(GFP_KERNEL, 2);
	KT_ASSERT(t, page != NULL);
	pfn = page_to_pfn(page);
	KT_EXPECT_EQ(t, __free_pages(page, 2), 0);
	KT_ASSERT(t, PagePcp(page));
	count = this_pcp(page_zonenum(page))->count;
	before = nr_free_pages();

	log = log_buf_len_now();
	KT_EXPECT_EQ(t, __free_pages(page, 2), -EINVAL);
	snprintf(want, sizeof(want),
		 "double free of pfn 0x%lx: it is already free (an order-2 block on a per-CPU list)\n",
		 pfn);
	KT_EXPECT(t, logged(log, want));
	log = log_buf_len_now();
	KT_EXPECT_EQ(t, __free_pages(page + 1, 0), -EINVAL);
	snprintf(want, sizeof(want),
		 "double free of pfn 0x%lx: it lies in the free order-2 block at pfn 0x%lx\n",
		 pfn + 1, pfn);
	KT_EXPECT(t, logged(log, want));
	KT_EXPECT_EQ(t, page_alloc_bad_frees, bad + 2);

	/* Nothing moved: the block is still on the list, once. */
	KT_EXPECT(t, PagePcp(page) && !PageBuddy(page) && !PageHead(page));
	KT_EXPECT_EQ(t, this_pcp(page_zonenum(page))->count, count);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
	KT_EXPECT(t, alloc_pages(GFP_KERNEL, 2) == page);
	KT_EXPECT_EQ(t, __free_pages(page, 2), 0);
	KT_EXPECT(t, free_pages_add_up(page_zone(page)));
}

/* Leaves a batch on this CPU's Normal list: a page allocated and freed. */
static int pcp_fill_thread(void *arg)
{
	struct page *page = alloc_page(GFP_KERNEL);

	(void)arg;
	if (!page)
		return -ENOMEM;
	return __free_page(page);
}

KTEST(page_alloc, pcp_drain_all_empties_every_cpu)
{
	unsigned int cpu, filled = 0;

	NEED_PCP(t, this_pcp(ZONE_NORMAL));
	if (num_online_cpus() < 2)
		kt_skip(t, "one CPU online");
	for_each_online_cpu(cpu) {
		struct task_struct *th = kthread_run_on_cpu(pcp_fill_thread, NULL,
							     cpu, "pcp-fill");

		KT_ASSERT(t, th != NULL);
		KT_EXPECT_EQ(t, kthread_join(th), 0);
		filled += zones[ZONE_NORMAL].per_cpu_pageset[cpu].count > 0;
	}
	KT_EXPECT_EQ(t, filled, num_online_cpus());
	KT_EXPECT(t, free_pages_add_up(&zones[ZONE_NORMAL]));
	drain_all_pages();
	KT_EXPECT_EQ(t, pcp_pages(&zones[ZONE_NORMAL]), 0);
	KT_EXPECT(t, free_pages_add_up(&zones[ZONE_NORMAL]));
}
