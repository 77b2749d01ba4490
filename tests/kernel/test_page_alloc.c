/* SPDX-License-Identifier: MIT */
/*
 * The buddy allocator (mm/page_alloc.c) on the machine's real zones after
 * mem_init: every order from every populated zone, ZONE_DMA exhausted,
 * bad frees reported with nothing lost, and every free lowmem page
 * written and read back through the direct map (Gorman ch. 6).
 */
#include "asm/page.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/list.h"
#include "kernel/printk.h"
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
