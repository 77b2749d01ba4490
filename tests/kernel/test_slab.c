/* SPDX-License-Identifier: MIT */
/*
 * kmalloc/kfree (mm/slab.c) in the running kernel: every size class, 32-
 * and 1024-byte churn, the large path, GFP_DMA, bad kfrees reported, and
 * free pages back to where they were once the caches are shrunk (Bonwick,
 * "The Slab Allocator").
 */
#include "asm/page.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "../mm_test_util.h"

#define NEED_PAGE_ALLOC(t) do {						\
	if (!nr_free_pages())						\
		kt_skip(t, "the page allocator has no pages yet");	\
} while (0)

#define MAX_OBJS	1100

static void *objs[MAX_OBJS];

KTEST(slab, every_size_class)
{
	unsigned long base;

	NEED_PAGE_ALLOC(t);
	kmalloc_shrink();
	base = nr_free_pages();
	for (size_t size = KMALLOC_MIN_SIZE; size <= KMALLOC_MAX_CACHE_SIZE; size *= 2) {
		/* Enough for at least two slabs of every class. */
		unsigned int n = 2 * PAGE_SIZE / size + 1, broken = 0;

		for (unsigned int i = 0; i < n; i++) {
			objs[i] = kmalloc(i % 2 ? size : size / 2 + 1, GFP_KERNEL);
			KT_ASSERT(t, objs[i] != NULL);
			KT_EXPECT_EQ(t, (unsigned long)objs[i] % size, 0);
			KT_EXPECT_EQ(t, ksize(objs[i]), size);
			KT_EXPECT(t, PageSlab(virt_to_page(objs[i])));
			obj_fill(objs[i], size, i);
		}
		for (unsigned int i = 0; i < n; i++)
			broken += !obj_intact(objs[i], size, i);
		KT_EXPECT_EQ(t, broken, 0);
		for (unsigned int i = 0; i < n; i++)
			KT_EXPECT_EQ(t, kfree(objs[i]), 0);
	}
	kmalloc_shrink();
	KT_EXPECT_EQ(t, nr_free_pages(), base);
}

/* Rounds of allocate-all, free-half, refill, free-all; contents checked. */
static void churn(struct ktest *t, size_t size)
{
	unsigned long base, id = 0, ids[1000];
	unsigned int broken = 0;

	kmalloc_shrink();
	base = nr_free_pages();
	for (int round = 0; round < 8; round++) {
		for (int i = 0; i < 1000; i++) {
			objs[i] = kmalloc(size, GFP_KERNEL);
			KT_ASSERT(t, objs[i] != NULL);
			obj_fill(objs[i], size, ids[i] = ++id);
		}
		for (int i = round % 2; i < 1000; i += 2) {
			broken += !obj_intact(objs[i], size, ids[i]);
			KT_EXPECT_EQ(t, kfree(objs[i]), 0);
			objs[i] = kmalloc(size, GFP_KERNEL);
			KT_ASSERT(t, objs[i] != NULL);
			obj_fill(objs[i], size, ids[i] = ++id);
		}
		for (int i = 999; i >= 0; i--) {
			broken += !obj_intact(objs[i], size, ids[i]);
			KT_EXPECT_EQ(t, kfree(objs[i]), 0);
		}
	}
	KT_EXPECT_EQ(t, broken, 0);
	KT_EXPECT(t, base - nr_free_pages() <= 1);	/* one cached empty slab */
	kmalloc_shrink();
	KT_EXPECT_EQ(t, nr_free_pages(), base);
}

KTEST(slab, churn_32_bytes)
{
	NEED_PAGE_ALLOC(t);
	churn(t, 32);
}

KTEST(slab, churn_1024_bytes)
{
	NEED_PAGE_ALLOC(t);
	churn(t, 1024);
}

KTEST(slab, large_kmalloc_takes_whole_pages)
{
	unsigned long base;
	unsigned char *p;

	NEED_PAGE_ALLOC(t);
	base = nr_free_pages();
	p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, (unsigned long)p % (4 * PAGE_SIZE), 0);
	KT_EXPECT(t, PageLargeKmalloc(virt_to_page(p)));
	KT_EXPECT_EQ(t, ksize(p), 4 * PAGE_SIZE);
	KT_EXPECT_EQ(t, base - nr_free_pages(), 4);
	obj_fill(p, 3 * PAGE_SIZE, 9);
	KT_EXPECT(t, obj_intact(p, 3 * PAGE_SIZE, 9));
	KT_EXPECT_EQ(t, kfree(p), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), base);

	p = kzalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, ksize(p), PAGE_SIZE);
	KT_EXPECT(t, p[0] == 0 && p[PAGE_SIZE - 1] == 0);
	KT_EXPECT_EQ(t, kfree(p), 0);
	KT_EXPECT(t, kmalloc(0, GFP_KERNEL) == NULL);
	KT_EXPECT(t, kmalloc(100, GFP_HIGHUSER) == NULL);
	KT_EXPECT_EQ(t, nr_free_pages(), base);
}

KTEST(slab, gfp_dma_comes_from_zone_dma)
{
	void *small, *large;

	NEED_PAGE_ALLOC(t);
	if (!zones[ZONE_DMA].free_pages)
		kt_skip(t, "ZONE_DMA has no free pages");
	small = kmalloc(48, GFP_DMA);
	large = kmalloc(2 * PAGE_SIZE, GFP_DMA);
	KT_ASSERT(t, small && large);
	KT_EXPECT_EQ(t, page_zonenum(virt_to_page(small)), ZONE_DMA);
	KT_EXPECT_EQ(t, page_zonenum(virt_to_page(large)), ZONE_DMA);
	KT_EXPECT_EQ(t, kfree(small), 0);
	KT_EXPECT_EQ(t, kfree(large), 0);
	kmalloc_shrink();	/* leave no cached slab to later suites */
}

KTEST(slab, kzalloc_zeroes_a_dirty_object)
{
	unsigned char *p;
	bool zero = true;

	NEED_PAGE_ALLOC(t);
	p = kmalloc(256, GFP_KERNEL);
	KT_ASSERT(t, p != NULL);
	memset(p, 0xff, 256);
	KT_EXPECT_EQ(t, kfree(p), 0);
	/* Most likely the same object again; zeroed whichever it is. */
	p = kzalloc(256, GFP_KERNEL);
	KT_ASSERT(t, p != NULL);
	for (int i = 0; i < 256; i++)
		zero &= p[i] == 0;
	KT_EXPECT(t, zero);
	KT_EXPECT_EQ(t, kfree(p), 0);
	kmalloc_shrink();
}

static bool logged(size_t from, const char *want)
{
	static char buf[1024];

	log_buf_copy_text(buf, sizeof(buf), from);
	return strstr(buf, want) != NULL;
}

KTEST(slab, bad_kfrees_reported)
{
	unsigned long bad = kmalloc_bad_frees, base;
	char *obj, *keep;
	struct page *page;
	size_t log;
	int local;

	NEED_PAGE_ALLOC(t);
	kmalloc_shrink();
	base = nr_free_pages();
	obj = kmalloc(64, GFP_KERNEL);
	keep = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(t, obj && keep);
	obj_fill(keep, 64, 3);

	log = log_buf_len_now();
	KT_EXPECT_EQ(t, kfree((void *)0x1000), -EINVAL);	/* user space */
	KT_EXPECT(t, logged(log, "is not a direct-map address"));
	KT_EXPECT_EQ(t, kfree(&local), -EINVAL);		/* kernel stack */
	KT_EXPECT_EQ(t, kfree(obj + 8), -EINVAL);
	KT_EXPECT(t, logged(log, "is not the start of a kmalloc-64 object"));

	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, page != NULL);
	KT_EXPECT_EQ(t, kfree(page_address(page)), -EINVAL);
	KT_EXPECT_EQ(t, __free_page(page), 0);

	KT_EXPECT_EQ(t, kfree(obj), 0);
	log = log_buf_len_now();
	KT_EXPECT_EQ(t, kfree(obj), -EINVAL);
	KT_EXPECT(t, logged(log, "double free of"));

	KT_EXPECT_EQ(t, kmalloc_bad_frees, bad + 5);
	KT_EXPECT(t, obj_intact(keep, 64, 3));
	KT_EXPECT_EQ(t, kfree(keep), 0);
	kmalloc_shrink();
	KT_EXPECT_EQ(t, nr_free_pages(), base);
}
