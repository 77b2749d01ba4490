/* SPDX-License-Identifier: MIT */
/*
 * Host tests of mm/slab.c over mm/page_alloc.c on the simulated machine
 * of mm_sim.h: every size class (alignment, objects per slab, contents),
 * empty slabs going back to the page allocator, the large-kmalloc path,
 * kzalloc, GFP_DMA, and bad kfrees reported with nothing changed.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "mm_sim.h"
#include "../mm_test_util.h"
#include "kernel/errno.h"
#include "mm/gfp.h"
#include "mm/slab.h"

static const unsigned int classes[] = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048 };
/* Objects per one-page slab: an in-page bitmap below 128 bytes costs
 * the 8..64-byte classes some objects; from 128 up it is in struct page. */
static const unsigned int per_slab[] = { 504, 254, 127, 63, 32, 16, 8, 4, 2 };

static void boot(void)
{
	sim_boot(&sim_layout_std);
	kmem_cache_init();
	kmalloc_bad_frees = 0;
}

static unsigned long offset_in_ram(const void *p)
{
	return (unsigned long)((const char *)p - sim_ram);
}

/* ------------------------------------------------------------ classes */

static void test_every_class(void)
{
	boot();
	for (unsigned int c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		unsigned int size = classes[c], n = 3 * per_slab[c] + 1;
		unsigned long base = nr_free_pages();
		void **objs = calloc(n, sizeof(*objs));
		size_t ask[] = { size, size / 2 + 1, size - 3 };

		for (unsigned int i = 0; i < n; i++) {
			size_t want = ask[i % 3] ? ask[i % 3] : 1;

			objs[i] = kmalloc(want, GFP_KERNEL);
			CHECK(objs[i] != NULL);
			if (!objs[i])
				break;
			CHECK_EQ(offset_in_ram(objs[i]) % size, 0);
			CHECK_EQ(ksize(objs[i]), size);
			CHECK(PageSlab(virt_to_page(objs[i])));
			CHECK_EQ(page_zonenum(virt_to_page(objs[i])), ZONE_NORMAL);
			obj_fill(objs[i], size, i);
		}
		/* Exactly the slabs the class layout needs. */
		CHECK_EQ(base - nr_free_pages(), 4);
		for (unsigned int i = 0; i < n; i++)
			if (objs[i] && !obj_intact(objs[i], size, i)) {
				CHECK_EQ(i, ~0u);	/* the first object overwritten */
				break;
			}
		/* Free in a scrambled order. */
		for (unsigned int i = n; i > 1; i--) {
			unsigned int j = (unsigned int)rand() % i;
			void *t = objs[i - 1];

			objs[i - 1] = objs[j];
			objs[j] = t;
		}
		for (unsigned int i = 0; i < n; i++)
			CHECK_EQ(kfree(objs[i]), 0);
		/* One empty slab stays cached; shrinking returns it. */
		CHECK_EQ(base - nr_free_pages(), 1);
		CHECK_EQ(kmalloc_shrink(), 1);
		CHECK_EQ(nr_free_pages(), base);
		free(objs);
	}
	CHECK_EQ(kmalloc_bad_frees, 0);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();
}

/* Slab n + 1 starts after per_slab[c] * n objects. */
static void test_objects_per_slab(void)
{
	boot();
	for (unsigned int c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		unsigned long base = nr_free_pages();
		void **objs = calloc(per_slab[c] + 1, sizeof(*objs));
		char *page_base;

		for (unsigned int i = 0; i < per_slab[c]; i++)
			objs[i] = kmalloc(classes[c], GFP_KERNEL);
		CHECK_EQ(base - nr_free_pages(), 1);
		page_base = page_address(virt_to_page(objs[0]));
		/* In address order, the last object ending the page. */
		CHECK_EQ((char *)objs[per_slab[c] - 1] + classes[c] - page_base, PAGE_SIZE);
		CHECK(virt_to_page(objs[per_slab[c] - 1]) == virt_to_page(objs[0]));
		objs[per_slab[c]] = kmalloc(classes[c], GFP_KERNEL);
		CHECK_EQ(base - nr_free_pages(), 2);
		CHECK(virt_to_page(objs[per_slab[c]]) != virt_to_page(objs[0]));
		for (unsigned int i = 0; i <= per_slab[c]; i++)
			CHECK_EQ(kfree(objs[i]), 0);
		kmalloc_shrink();
		CHECK_EQ(nr_free_pages(), base);
		free(objs);
	}
	sim_fini();
}

/* Only one empty slab per cache is kept; the others go back at once. */
static void test_empty_slabs_returned(void)
{
	enum { N = 16 * 10 };		/* ten slabs of 256-byte objects */
	void *objs[N];
	unsigned long base;

	boot();
	base = nr_free_pages();
	for (int i = 0; i < N; i++)
		objs[i] = kmalloc(256, GFP_KERNEL);
	CHECK_EQ(base - nr_free_pages(), 10);
	for (int i = 0; i < N; i++) {
		CHECK_EQ(kfree(objs[i]), 0);
		/* Freed in order: slab k empties at object 16k + 15. */
		if (i % 16 == 15)
			CHECK_EQ(base - nr_free_pages(), i == 15 ? 10 : 10 - i / 16);
	}
	CHECK_EQ(base - nr_free_pages(), 1);
	/* The cached slab serves the next request without the allocator. */
	objs[0] = kmalloc(200, GFP_KERNEL);
	CHECK_EQ(base - nr_free_pages(), 1);
	CHECK_EQ(kfree(objs[0]), 0);
	CHECK_EQ(kmalloc_shrink(), 1);
	CHECK_EQ(kmalloc_shrink(), 0);
	CHECK_EQ(nr_free_pages(), base);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();
}

static void test_kzalloc_zeroes(void)
{
	void *objs[64];
	unsigned char *z, *big;
	bool zero = true;

	boot();
	for (int i = 0; i < 64; i++) {
		objs[i] = kmalloc(128, GFP_KERNEL);
		memset(objs[i], 0xff, 128);
	}
	for (int i = 0; i < 64; i++)
		kfree(objs[i]);
	/* Every object of the cached slab is dirty now. */
	z = kzalloc(100, GFP_KERNEL);
	CHECK(z != NULL);
	for (int i = 0; i < 128; i++)
		zero &= z[i] == 0;
	CHECK(zero);
	kfree(z);

	big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	memset(big, 0xee, 4 * PAGE_SIZE);
	kfree(big);
	big = kzalloc(3 * PAGE_SIZE, GFP_KERNEL);
	zero = true;
	for (int i = 0; i < 4 * PAGE_SIZE; i++)
		zero &= big[i] == 0;
	CHECK(zero);
	kfree(big);
	sim_fini();
}

/* ------------------------------------------------------------ large */

static void test_large_path(void)
{
	struct { size_t size; unsigned int order; } cases[] = {
		{ 2049, 0 }, { PAGE_SIZE, 0 }, { PAGE_SIZE + 1, 1 },
		{ 5 * PAGE_SIZE, 3 }, { 512 * PAGE_SIZE, 9 },
	};
	unsigned long base;

	boot();
	base = nr_free_pages();
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char *p = kmalloc(cases[i].size, GFP_KERNEL);
		struct page *page;

		CHECK(p != NULL);
		if (!p)
			continue;
		page = virt_to_page(p);
		CHECK_EQ(offset_in_ram(p) % (PAGE_SIZE << cases[i].order), 0);
		CHECK(PageLargeKmalloc(page) && PageHead(page) && !PageSlab(page));
		CHECK_EQ(page->private, cases[i].order);
		CHECK_EQ(ksize(p), PAGE_SIZE << cases[i].order);
		CHECK_EQ(base - nr_free_pages(), 1UL << cases[i].order);
		obj_fill(p, cases[i].size, i);
		CHECK(obj_intact(p, cases[i].size, i));
		CHECK_EQ(kfree(p), 0);
		CHECK_EQ(nr_free_pages(), base);
	}
	/* The std machine's DMA and Normal zones have no order-10 block. */
	CHECK(kmalloc(1024 * PAGE_SIZE, GFP_KERNEL) == NULL);
	/* Beyond the largest order: NULL without asking the allocator. */
	sim_log_clear();
	CHECK(kmalloc(2048 * PAGE_SIZE, GFP_KERNEL) == NULL);
	CHECK(kmalloc((size_t)-1, GFP_KERNEL) == NULL);
	CHECK(!sim_log_has("refused"));
	CHECK(kmalloc(0, GFP_KERNEL) == NULL);
	CHECK_EQ(nr_free_pages(), base);
	sim_fini();
}

/* ------------------------------------------------------------ GFP */

static void test_gfp_dma_and_highmem(void)
{
	void *small, *large, *normal;
	unsigned long dma_free;

	boot();
	dma_free = zones[ZONE_DMA].free_pages;
	small = kmalloc(100, GFP_DMA);
	large = kmalloc(3 * PAGE_SIZE, GFP_DMA);
	normal = kmalloc(100, GFP_KERNEL);
	CHECK(small && large && normal);
	CHECK_EQ(page_zonenum(virt_to_page(small)), ZONE_DMA);
	CHECK_EQ(page_zonenum(virt_to_page(large)), ZONE_DMA);
	CHECK_EQ(page_zonenum(virt_to_page(normal)), ZONE_NORMAL);
	/* Different caches: a DMA object never shares a normal slab. */
	CHECK(virt_to_page(small) != virt_to_page(normal));
	CHECK_EQ(zones[ZONE_DMA].free_pages, dma_free - 1 - 4);
	CHECK_EQ(kfree(small), 0);
	CHECK_EQ(kfree(large), 0);
	CHECK_EQ(kfree(normal), 0);
	kmalloc_shrink();
	CHECK_EQ(zones[ZONE_DMA].free_pages, dma_free);

	sim_log_clear();
	CHECK(kmalloc(100, GFP_HIGHUSER) == NULL);
	CHECK(kmalloc(100000, GFP_HIGHUSER) == NULL);
	CHECK(kzalloc(8, GFP_HIGHUSER) == NULL);
	CHECK(sim_log_has("kmalloc: __GFP_HIGHMEM refused: kmalloc memory must be direct-mapped"));
	sim_fini();
}

/* When the zones run dry kmalloc returns NULL, and recovers after. */
static void test_out_of_memory(void)
{
	void **objs = malloc(200000 * sizeof(*objs)), *normal;
	unsigned long n = 0, base;

	boot();
	base = nr_free_pages();
	while (n < 200000 && (objs[n] = kmalloc(2048, GFP_DMA)))
		n++;
	CHECK_EQ(n, 2 * zones[ZONE_DMA].present_pages);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 0);
	CHECK(kmalloc(8, GFP_DMA) == NULL);
	CHECK(kmalloc(3000, GFP_DMA) == NULL);
	normal = kmalloc(8, GFP_KERNEL);	/* Normal still serves */
	CHECK(normal != NULL);
	CHECK_EQ(kfree(normal), 0);
	while (n--)
		CHECK_EQ(kfree(objs[n]), 0);
	kmalloc_shrink();
	CHECK_EQ(nr_free_pages(), base);
	free(objs);
	sim_fini();
}

/* ------------------------------------------------------------ bad kfrees */

#define CHECK_BAD_KFREE(ptr, msg, page_to_keep) do {			\
	struct sim_snapshot _s;						\
	unsigned char _copy[PAGE_SIZE];					\
	unsigned long _before = kmalloc_bad_frees;			\
									\
	if (page_to_keep)						\
		memcpy(_copy, page_to_keep, PAGE_SIZE);			\
	sim_snapshot_take(&_s);						\
	sim_log_clear();						\
	CHECK_EQ(kfree(ptr), -EINVAL);					\
	CHECK_EQ(kmalloc_bad_frees, _before + 1);			\
	if (!sim_log_has(msg))						\
		printf("    log: %s    wanted: %s\n", sim_log(), msg);	\
	CHECK(sim_log_has(msg));					\
	CHECK(sim_snapshot_same(&_s));					\
	if (page_to_keep)						\
		CHECK(memcmp(_copy, page_to_keep, PAGE_SIZE) == 0);	\
	sim_snapshot_drop(&_s);						\
} while (0)

static void test_bad_kfrees_reported(void)
{
	char msg[200], *obj, *other, *tiny, *large;
	void *slab, *tiny_slab;
	struct page *pa;
	int local;

	boot();
	obj = kmalloc(64, GFP_KERNEL);
	other = kmalloc(64, GFP_KERNEL);
	tiny = kmalloc(8, GFP_KERNEL);
	large = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	slab = page_address(virt_to_page(obj));
	tiny_slab = page_address(virt_to_page(tiny));
	pa = alloc_pages(GFP_KERNEL, 0);
	obj_fill(obj, 64, 1);

	CHECK_EQ(kfree(NULL), 0);
	CHECK_BAD_KFREE(&local, "bad kfree: ", NULL);
	CHECK(sim_log_has("is not a direct-map address\n"));
	CHECK_BAD_KFREE(sim_ram + 8, "(pfn 0x0 is reserved)\n", NULL);
	snprintf(msg, sizeof(msg), "is not kmalloc memory (pfn 0x%lx is a page-allocator block)\n",
		 page_to_pfn(pa));
	CHECK_BAD_KFREE(page_address(pa), msg, NULL);

	/* Misaligned: inside an object, and in the 8-byte slab's bitmap. */
	snprintf(msg, sizeof(msg), "%p is not the start of a kmalloc-64 object (slab at pfn 0x%lx)\n",
		 (void *)(obj + 1), page_to_pfn(virt_to_page(obj)));
	CHECK_BAD_KFREE(obj + 1, msg, slab);
	CHECK_BAD_KFREE(obj + 32, "is not the start of a kmalloc-64 object", slab);
	CHECK_BAD_KFREE((char *)tiny_slab + 8, "is not the start of a kmalloc-8 object", tiny_slab);

	/* Double free, and a never-allocated object of a live slab. */
	CHECK_EQ(kfree(other), 0);
	snprintf(msg, sizeof(msg), "bad kfree: double free of %p (kmalloc-64 object", (void *)other);
	CHECK_BAD_KFREE(other, msg, slab);
	CHECK_BAD_KFREE((char *)slab + PAGE_SIZE - 64, "double free of", slab);

	/* Large blocks: the middle, a tail page, a double free. */
	CHECK_BAD_KFREE(large + 16, "is inside the kmalloc block at pfn", large);
	CHECK_BAD_KFREE(large + PAGE_SIZE, "(pfn", NULL);
	CHECK(sim_log_has("is free or a tail page)"));
	CHECK_EQ(kfree(large), 0);
	CHECK_BAD_KFREE(large, "is not kmalloc memory", NULL);

	/* The page allocator refuses a slab page, too. */
	sim_log_clear();
	CHECK_EQ(__free_pages(virt_to_page(obj), 0), -EINVAL);
	CHECK(sim_log_has("is a slab page: kfree its objects instead"));

	/* Nothing was disturbed: obj still intact and freeable. */
	CHECK(obj_intact(obj, 64, 1));
	CHECK_EQ(kfree(obj), 0);
	CHECK_EQ(kfree(tiny), 0);
	CHECK_EQ(__free_pages(pa, 0), 0);
	CHECK_EQ(kmalloc_bad_frees, 11);
	CHECK_EQ(ksize(NULL), 0);
	CHECK_EQ(ksize(&local), 0);
	kmalloc_shrink();
	CHECK_EQ(nr_free_pages(), zones[0].present_pages + zones[1].present_pages +
				  zones[2].present_pages);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();
}

/* ------------------------------------------------------------ random */

static void test_random_churn(void)
{
	enum { SLOTS = 3000, OPS = 60000 };
	struct { char *p; size_t size; unsigned long id; } *live = calloc(SLOTS, sizeof(*live));
	unsigned long base, id = 0;

	boot();
	srand(7);
	base = nr_free_pages();
	for (int op = 0; op < OPS; op++) {
		int k = rand() % SLOTS;

		if (live[k].p) {
			CHECK(obj_intact(live[k].p, live[k].size, live[k].id));
			CHECK_EQ(kfree(live[k].p), 0);
			live[k].p = NULL;
		} else {
			int r = rand() % 100;
			size_t size = r < 70 ? 1 + rand() % 256 :
				      r < 95 ? 1 + rand() % 2048 : 1 + rand() % 20000;
			gfp_t gfp = (rand() % 10) ? GFP_KERNEL : GFP_DMA;

			live[k].p = kmalloc(size, gfp);
			CHECK(live[k].p != NULL);
			if (!live[k].p)
				continue;
			CHECK(ksize(live[k].p) >= size);
			CHECK_EQ(offset_in_ram(live[k].p) %
				 (ksize(live[k].p) < PAGE_SIZE ? ksize(live[k].p) : PAGE_SIZE), 0);
			live[k].size = size;
			live[k].id = ++id;
			obj_fill(live[k].p, size, id);
		}
	}
	for (int k = 0; k < SLOTS; k++)
		if (live[k].p) {
			CHECK(obj_intact(live[k].p, live[k].size, live[k].id));
			CHECK_EQ(kfree(live[k].p), 0);
		}
	kmalloc_shrink();
	CHECK_EQ(nr_free_pages(), base);
	CHECK_EQ(kmalloc_bad_frees, 0);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	free(live);
	sim_fini();
}

int main(void)
{
	RUN(test_every_class);
	RUN(test_objects_per_slab);
	RUN(test_empty_slabs_returned);
	RUN(test_kzalloc_zeroes);
	RUN(test_large_path);
	RUN(test_gfp_dma_and_highmem);
	RUN(test_out_of_memory);
	RUN(test_bad_kfrees_reported);
	RUN(test_random_churn);
	return HT_DONE();
}
