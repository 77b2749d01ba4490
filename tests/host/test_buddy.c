/* SPDX-License-Identifier: MIT */
/*
 * Host tests of mm/page_alloc.c on the simulated machine of mm_sim.h:
 * zone set-up, the blocks free_bootmem_range builds, allocation of every
 * order from every zone with the gfp fallback order, coalescing that
 * never crosses a zone edge, reported bad frees that change nothing, and
 * a randomised run against a per-frame reference model, with the per-CPU
 * page lists passing every block straight through (as before
 * setup_per_cpu_pageset) and with them holding blocks.
 */
#include <stdlib.h>
#include <time.h>
#include "hosttest.h"
#include "mm_sim.h"
#include "../mm_test_util.h"
#include "kernel/errno.h"
#include "mm/gfp.h"

static const gfp_t gfps[] = { GFP_DMA, GFP_KERNEL, GFP_HIGHUSER };

/* ------------------------------------------------------------ set-up */

static void test_free_area_init(void)
{
	const struct sim_layout *l = &sim_layout_std;

	sim_init(l);
	CHECK_STR(zones[ZONE_DMA].name, "DMA");
	CHECK_STR(zones[ZONE_NORMAL].name, "Normal");
	CHECK_STR(zones[ZONE_HIGHMEM].name, "HighMem");
	CHECK_EQ(zones[ZONE_DMA].zone_start_pfn, 0);
	CHECK_EQ(zones[ZONE_DMA].spanned_pages, 1500);
	CHECK_EQ(zones[ZONE_NORMAL].zone_start_pfn, 1500);
	CHECK_EQ(zones[ZONE_NORMAL].spanned_pages, 5003 - 1500);
	CHECK_EQ(zones[ZONE_HIGHMEM].zone_start_pfn, 5003);
	CHECK_EQ(zone_end_pfn(&zones[ZONE_HIGHMEM]), 9001);
	CHECK_EQ(nr_free_pages(), 0);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		CHECK_EQ(zones[z].present_pages, 0);
		for (int o = 0; o < MAX_ORDER; o++)
			CHECK(list_empty(&zones[z].free_area[o].free_list));
	}
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);
		int z = pfn < 1500 ? ZONE_DMA : pfn < 5003 ? ZONE_NORMAL : ZONE_HIGHMEM;

		if (!PageReserved(p) || page_zonenum(p) != (enum zone_type)z ||
		    PageHighMem(p) != (pfn >= 5003) || p->_refcount != 0 ||
		    p->lru.next != &p->lru || PageBuddy(p) || PageHead(p)) {
			CHECK_EQ(pfn, ~0UL);	/* names the first bad frame */
			break;
		}
	}
	CHECK_EQ(sim_warnings, 0);
	sim_fini();
}

/* Zones with empty members and boundaries past max_pfn are clamped. */
static void test_free_area_init_empty_and_clamped_zones(void)
{
	struct sim_layout l = { .max_pfn = 2000, .zone_end = { 2000, 2000, 2000 } };
	struct sim_layout bad = { .max_pfn = 2000, .zone_end = { 1000, 500, 3000 } };

	sim_init(&l);
	CHECK_EQ(zones[ZONE_NORMAL].spanned_pages, 0);
	CHECK_EQ(zones[ZONE_HIGHMEM].spanned_pages, 0);
	CHECK_EQ(free_bootmem_range(1, 2000), 1999);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 1999);
	CHECK_EQ(expected_zone(GFP_HIGHUSER, 0), ZONE_DMA);
	CHECK_EQ(page_zonenum(alloc_pages(GFP_HIGHUSER, 0)), ZONE_DMA);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();

	sim_init(&bad);
	CHECK(sim_warnings >= 2);
	CHECK_EQ(zones[ZONE_NORMAL].zone_start_pfn, 1000);
	CHECK_EQ(zones[ZONE_NORMAL].spanned_pages, 0);
	CHECK_EQ(zone_end_pfn(&zones[ZONE_HIGHMEM]), 2000);
	sim_fini();
}

/* ------------------------------------------------------------ bootmem */

/* A small machine whose blocks are worked out by hand. */
static const struct sim_layout hand_layout = {
	.max_pfn = 5000,
	.zone_end = { 1500, 4600, 5000 },
	.runs = { { 1, 100 }, { 1490, 1530 }, { 2048, 4096 }, { 4600, 5000 } },
	.nr_runs = 4,
};

static void test_bootmem_blocks_by_hand(void)
{
	static const unsigned long want[MAX_NR_ZONES][MAX_ORDER] = {
		/* [1,100): 1 2 4 8 16 32 64 96(o2); [1490,1500): 1490(o1)
		 * 1492(o2) 1496(o2) */
		[ZONE_DMA] = { 1, 2, 4, 1, 1, 2 },
		/* [1500,1530): 1500(o2) 1504(o4) 1520(o3) 1528(o1);
		 * [2048,4096): two order-10 blocks */
		[ZONE_NORMAL] = { 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 2 },
		/* [4600,5000): 4600(o3) 4608(o8) 4864(o7) 4992(o3) */
		[ZONE_HIGHMEM] = { 0, 0, 0, 2, 0, 0, 0, 1, 1 },
	};
	const struct sim_layout *l = &hand_layout;

	sim_init(l);
	CHECK_EQ(free_bootmem_range(1, 100), 99);
	CHECK_EQ(free_bootmem_range(1490, 1530), 40);
	CHECK_EQ(free_bootmem_range(2048, 4096), 2048);
	CHECK_EQ(free_bootmem_range(4600, 5000), 400);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < MAX_ORDER; o++)
			if (zones[z].free_area[o].nr_free != want[z][o])
				printf("    %s order %d: %lu blocks, want %lu\n", zones[z].name,
				       o, zones[z].free_area[o].nr_free, want[z][o]);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < MAX_ORDER; o++)
			CHECK_EQ(zones[z].free_area[o].nr_free, want[z][o]);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 109);
	CHECK_EQ(zones[ZONE_DMA].present_pages, 109);
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, 30 + 2048);
	CHECK_EQ(zones[ZONE_HIGHMEM].free_pages, 400);
	/* The two order-2 blocks on either side of pfn 1500 stay apart. */
	CHECK(PageBuddy(pfn_to_page(1496)) && pfn_to_page(1496)->private == 2);
	CHECK(PageBuddy(pfn_to_page(1500)) && pfn_to_page(1500)->private == 2);
	CHECK(!PageReserved(pfn_to_page(1499)) && PageReserved(pfn_to_page(1530)));
	CHECK_EQ(sim_check_buddy(NULL), 0);
	CHECK_EQ(sim_warnings, 0);

	sim_log_clear();
	show_free_areas();
	CHECK(sim_log_has("Node 0 DMA: 1*4kB 2*8kB 4*16kB 1*32kB 1*64kB 2*128kB "
			  "0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 436kB\n"));
	CHECK(sim_log_has("Node 0 Normal: 0*4kB 1*8kB 1*16kB 1*32kB 1*64kB 0*128kB "
			  "0*256kB 0*512kB 0*1024kB 0*2048kB 2*4096kB = 8312kB\n"));
	CHECK(sim_log_has("HighMem free:1600kB present:1600kB spanned:1600kB\n"));
	sim_fini();
}

static void test_bootmem_std_maximal_and_counted(void)
{
	const struct sim_layout *l = &sim_layout_std;
	unsigned long want = 0, present[MAX_NR_ZONES] = { 0 };
	unsigned char *free_map = malloc(l->max_pfn);

	for (int i = 0; i < l->nr_runs; i++)
		want += l->runs[i][1] - l->runs[i][0];
	CHECK_EQ(sim_boot(l), want);
	CHECK_EQ(nr_free_pages(), want);
	CHECK_EQ(sim_check_buddy(free_map), 0);
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		bool in = sim_pfn_in_runs(l, pfn);

		if (in)
			present[page_zonenum(pfn_to_page(pfn))]++;
		if (free_map[pfn] != in || PageReserved(pfn_to_page(pfn)) == in) {
			CHECK_EQ(pfn, ~0UL);
			break;
		}
	}
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		CHECK_EQ(zones[z].present_pages, present[z]);
		CHECK_EQ(zones[z].free_pages, present[z]);
	}
	/* Buddies across both zone edges, kept apart. */
	CHECK(PageBuddy(pfn_to_page(1496)) && pfn_to_page(1496)->private == 2);
	CHECK(PageBuddy(pfn_to_page(1500)) && pfn_to_page(1500)->private == 2);
	CHECK(PageBuddy(pfn_to_page(5002)) && pfn_to_page(5002)->private == 0);
	CHECK(PageBuddy(pfn_to_page(5003)) && pfn_to_page(5003)->private == 0);
	CHECK_EQ(sim_warnings, 0);
	free(free_map);
	sim_fini();
}

/* Handing the same frames over in many pieces, in any order, gives the
 * same blocks as handing them over whole: pieces merge with neighbours. */
static void test_bootmem_pieces_merge(void)
{
	struct sim_layout pieces = sim_layout_std;
	struct counts whole, split;

	sim_boot(&sim_layout_std);
	counts_take(&whole);
	sim_fini();

	sim_init(&pieces);
	/* Backwards, each run cut at odd places. */
	for (int i = pieces.nr_runs - 1; i >= 0; i--) {
		unsigned long s = pieces.runs[i][0], e = pieces.runs[i][1];
		unsigned long a = s + (e - s) / 3 + 1, b = s + (e - s) * 2 / 3 + 7;

		if (b > e)
			b = e;
		if (a > b)
			a = b;
		CHECK_EQ(free_bootmem_range(a, b), b - a);
		CHECK_EQ(free_bootmem_range(s, a), a - s);
		CHECK_EQ(free_bootmem_range(b, e), e - b);
	}
	counts_take(&split);
	CHECK(counts_same(&whole, &split));
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();
}

static void test_bootmem_refuses_bad_ranges(void)
{
	struct sim_snapshot snap;

	sim_boot(&sim_layout_std);
	sim_snapshot_take(&snap);
	sim_log_clear();
	/* Already handed over. */
	CHECK_EQ(free_bootmem_range(260, 300), 0);
	CHECK(sim_log_has("frames [0x104, 0x12c) are not reserved frames of a zone"));
	CHECK(sim_snapshot_same(&snap));
	/* Partly handed over: only the reserved part goes. */
	CHECK_EQ(free_bootmem_range(95, 105), 5);
	CHECK(sim_log_has("frames [0x5f, 0x64) are not reserved"));
	/* Past max_pfn: clamped to the top frames, which were kept back. */
	CHECK_EQ(free_bootmem_range(8995, 9100), 6);
	CHECK(sim_log_has("ends past max_pfn"));
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_snapshot_drop(&snap);
	sim_fini();
}

/* A 6 GiB machine: ~1.5 M frames handed over in well under a second. */
static void test_bootmem_6gib_fast(void)
{
	static const struct sim_layout big = {
		.max_pfn = 1572864,			/* 6 GiB */
		.zone_end = { 4096, 229376, 1572864 },	/* 16 MiB, 896 MiB */
		.runs = { { 1, 159 }, { 256, 4096 }, { 6200, 900000 },
			  { 1048576, 1572864 } },		/* above 4 GiB */
		.nr_runs = 4,
	};
	struct timespec t0, t1;
	unsigned long freed, want = 158 + 3840 + (900000 - 6200) + 524288;
	double ms;

	sim_init(&big);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	freed = sim_free_runs(&big);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("    free_bootmem_range: %lu frames in %.1f ms\n", freed, ms);
	CHECK_EQ(freed, want);
	CHECK_EQ(nr_free_pages(), want);
	CHECK(ms < 1000);
	/* The highmem run is 512 whole order-10 blocks. */
	CHECK_EQ(zones[ZONE_HIGHMEM].free_area[MAX_ORDER - 1].nr_free,
		 (1572864 - 1048576) / 1024 + (900000 - 229376) / 1024);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();
}

/* ------------------------------------------------------------ allocation */

/* Checks a block alloc_pages returned: aligned, in zone z, a fresh head. */
static void check_block(struct page *p, unsigned int order, int z)
{
	unsigned long pfn = page_to_pfn(p);

	CHECK_EQ(pfn & ((1UL << order) - 1), 0);
	CHECK_EQ(page_zonenum(p), z);
	CHECK(zone_spans_pfn(&zones[z], pfn) &&
	      pfn + (1UL << order) <= zone_end_pfn(&zones[z]));
	CHECK(PageHead(p) && !PageBuddy(p) && !PageReserved(p));
	CHECK_EQ(p->private, order);
	CHECK_EQ(page_count(p), 1);
}

static void test_alloc_every_order_every_zone(void)
{
	struct page *held[3 * MAX_ORDER];
	unsigned int held_order[3 * MAX_ORDER];
	int n = 0, nulls = 0;
	struct counts base, now;

	sim_boot(&sim_layout_std);
	counts_take(&base);
	for (unsigned int g = 0; g < 3; g++) {
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			int z = expected_zone(gfps[g], order);
			struct page *p = alloc_pages(gfps[g], order);

			if (z < 0) {
				CHECK(p == NULL);
				nulls++;
				continue;
			}
			CHECK(p != NULL);
			if (!p)
				continue;
			check_block(p, order, z);
			held[n] = p;
			held_order[n++] = order;
		}
	}
	/* Std layout: DMA and Normal have no order-10 block, HighMem one. */
	CHECK_EQ(nulls, 2);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	while (n--)
		CHECK_EQ(__free_pages(held[n], held_order[n]), 0);
	counts_take(&now);
	CHECK(counts_same(&base, &now));
	CHECK_EQ(sim_check_buddy(NULL), 0);
	CHECK_EQ(page_alloc_bad_frees, 0);
	sim_fini();
}

/* Order-0 allocations with gfp until NULL; returns how many, recording
 * the zone sequence's violations of "never climbs back up". */
static unsigned long exhaust(gfp_t gfp, struct page **held, unsigned long *per_zone)
{
	unsigned long n = 0;
	int last = MAX_NR_ZONES;
	struct page *p;

	while ((p = alloc_pages(gfp, 0))) {
		int z = page_zonenum(p);

		CHECK(z <= last);	/* fallback goes downwards only */
		last = z;
		per_zone[z]++;
		held[n++] = p;
	}
	CHECK(alloc_pages(gfp, 0) == NULL);	/* and stays NULL */
	return n;
}

static void test_exhaust_zones_and_fallback(void)
{
	struct page **held = malloc(sim_layout_std.max_pfn * sizeof(*held));
	unsigned long n, per_zone[MAX_NR_ZONES];
	struct counts base, now;
	struct page *other;

	sim_boot(&sim_layout_std);
	counts_take(&base);

	/* GFP_DMA: all of DMA, nothing else, though Normal has plenty. */
	memset(per_zone, 0, sizeof(per_zone));
	n = exhaust(GFP_DMA, held, per_zone);
	CHECK_EQ(n, base.free[ZONE_DMA]);
	CHECK_EQ(per_zone[ZONE_DMA], n);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 0);
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, base.free[ZONE_NORMAL]);
	CHECK(alloc_pages(GFP_DMA, 3) == NULL);
	other = alloc_pages(GFP_KERNEL, 0);		/* Normal is untouched */
	CHECK(other && page_zonenum(other) == ZONE_NORMAL);
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, base.free[ZONE_NORMAL] - 1);
	CHECK_EQ(__free_pages(other, 0), 0);
	while (n--)
		CHECK_EQ(__free_pages(held[n], 0), 0);

	sim_fini();
	sim_boot(&sim_layout_std);

	/* GFP_HIGHUSER: HighMem, then Normal, then DMA, then NULL. */
	memset(per_zone, 0, sizeof(per_zone));
	n = exhaust(GFP_HIGHUSER, held, per_zone);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		CHECK_EQ(per_zone[z], base.free[z]);
	CHECK_EQ(nr_free_pages(), 0);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	/* Free in a scrambled order: every block coalesces back. */
	for (unsigned long i = n; i > 1; i--) {
		unsigned long j = (unsigned long)rand() % i;
		struct page *t = held[i - 1];

		held[i - 1] = held[j];
		held[j] = t;
	}
	for (unsigned long i = 0; i < n; i++)
		CHECK_EQ(__free_pages(held[i], 0), 0);
	counts_take(&now);
	CHECK(counts_same(&base, &now));

	/* GFP_KERNEL: Normal, then DMA, never HighMem. */
	memset(per_zone, 0, sizeof(per_zone));
	n = exhaust(GFP_KERNEL, held, per_zone);
	CHECK_EQ(per_zone[ZONE_NORMAL], base.free[ZONE_NORMAL]);
	CHECK_EQ(per_zone[ZONE_DMA], base.free[ZONE_DMA]);
	CHECK_EQ(per_zone[ZONE_HIGHMEM], 0);
	CHECK_EQ(zones[ZONE_HIGHMEM].free_pages, base.free[ZONE_HIGHMEM]);
	while (n--)
		CHECK_EQ(__free_pages(held[n], 0), 0);
	counts_take(&now);
	CHECK(counts_same(&base, &now));
	CHECK_EQ(sim_check_buddy(NULL), 0);
	free(held);
	sim_fini();
}

/* Allocating everything and freeing it frame by frame must rebuild the
 * zone-edge blocks unmerged: 1496|1500 and 5002|5003 are buddies. */
static void test_no_merge_across_zone_edges(void)
{
	struct page **held = malloc(sim_layout_std.max_pfn * sizeof(*held));
	unsigned long n = 0, per_zone[MAX_NR_ZONES] = { 0 };
	struct counts base, now;

	sim_boot(&sim_layout_std);
	counts_take(&base);
	n = exhaust(GFP_HIGHUSER, held, per_zone);
	/* Free the frames next to the edges last, edge pairs together. */
	for (unsigned long i = 0; i < n; i++)
		CHECK_EQ(__free_pages(held[i], 0), 0);
	counts_take(&now);
	CHECK(counts_same(&base, &now));
	CHECK(PageBuddy(pfn_to_page(1496)) && pfn_to_page(1496)->private == 2);
	CHECK(PageBuddy(pfn_to_page(1500)) && pfn_to_page(1500)->private == 2);
	CHECK(PageBuddy(pfn_to_page(5002)) && pfn_to_page(5002)->private == 0);
	CHECK(PageBuddy(pfn_to_page(5003)) && pfn_to_page(5003)->private == 0);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	free(held);
	sim_fini();
}

/* ------------------------------------------------------------ bad frees */

/* Calls f, which must be refused with a report containing msg, leaving
 * the allocator as it was. */
#define CHECK_BAD_FREE(call, msg) do {					\
	struct sim_snapshot _s;						\
	unsigned long _before = page_alloc_bad_frees;			\
									\
	sim_snapshot_take(&_s);						\
	sim_log_clear();						\
	CHECK_EQ((call), -EINVAL);					\
	CHECK_EQ(page_alloc_bad_frees, _before + 1);			\
	if (!sim_log_has(msg))						\
		printf("    log: %s    wanted: %s\n", sim_log(), msg);	\
	CHECK(sim_log_has(msg));					\
	CHECK(sim_snapshot_same(&_s));					\
	sim_snapshot_drop(&_s);						\
} while (0)

static void test_bad_frees_reported(void)
{
	char msg[160];
	struct page *a, *b, *free_head = NULL;
	unsigned long apfn, bpfn, fpfn;
	int local;

	sim_boot(&sim_layout_std);
	a = alloc_pages(GFP_KERNEL, 3);
	apfn = page_to_pfn(a);

	CHECK_BAD_FREE(__free_pages(pfn_to_page(0), 0), "bad free: freeing reserved frame pfn 0x0\n");
	CHECK_BAD_FREE(__free_pages(pfn_to_page(150), 0), "freeing reserved frame pfn 0x96\n");
	CHECK_BAD_FREE(__free_pages(pfn_to_page(8995), 0), "freeing reserved frame pfn 0x2323\n");

	snprintf(msg, sizeof(msg), "pfn 0x%lx is a tail page of the order-3 block at pfn 0x%lx\n",
		 apfn + 5, apfn);
	CHECK_BAD_FREE(__free_pages(a + 5, 0), msg);
	snprintf(msg, sizeof(msg), "pfn 0x%lx is a tail page of the order-3 block at pfn 0x%lx\n",
		 apfn + 1, apfn);
	CHECK_BAD_FREE(__free_pages(a + 1, 3), msg);

	snprintf(msg, sizeof(msg), "pfn 0x%lx freed as order 2 but allocated as order 3\n", apfn);
	CHECK_BAD_FREE(__free_pages(a, 2), msg);
	CHECK_BAD_FREE(__free_pages(a, MAX_ORDER), "freed with order 11, beyond MAX_ORDER");

	CHECK_BAD_FREE(__free_pages(NULL, 0), "bad free: NULL page\n");
	CHECK_BAD_FREE(__free_pages(mem_map + max_pfn, 0), "is not a struct page in mem_map\n");
	CHECK_BAD_FREE(__free_pages(mem_map - 1, 0), "is not a struct page in mem_map\n");
	CHECK_BAD_FREE(__free_pages((struct page *)((char *)a + 4), 0),
		       "is not a struct page in mem_map\n");

	/* Double free of an order-0 block, whether or not it merged. */
	b = alloc_pages(GFP_DMA, 0);
	bpfn = page_to_pfn(b);
	CHECK_EQ(__free_pages(b, 0), 0);
	snprintf(msg, sizeof(msg), "bad free: double free of pfn 0x%lx", bpfn);
	CHECK_BAD_FREE(__free_pages(b, 0), msg);

	/* A frame inside a free block. */
	for (unsigned long pfn = 1500; pfn < 5003 && !free_head; pfn++)
		if (PageBuddy(pfn_to_page(pfn)) && pfn_to_page(pfn)->private >= 4)
			free_head = pfn_to_page(pfn);
	CHECK(free_head != NULL);
	fpfn = page_to_pfn(free_head);
	snprintf(msg, sizeof(msg),
		 "double free of pfn 0x%lx: it lies in the free order-%lu block at pfn 0x%lx\n",
		 fpfn + 9, free_head->private, fpfn);
	CHECK_BAD_FREE(__free_pages(free_head + 9, 0), msg);
	snprintf(msg, sizeof(msg), "double free of pfn 0x%lx: it is already free (an order-%lu block)\n",
		 fpfn, free_head->private);
	CHECK_BAD_FREE(__free_pages(free_head, (unsigned int)free_head->private), msg);

	/* Pages the slab allocator owns. */
	SetPageFlag(a, PG_slab);
	snprintf(msg, sizeof(msg), "pfn 0x%lx is a slab page", apfn);
	CHECK_BAD_FREE(__free_pages(a, 3), msg);
	ClearPageFlag(a, PG_slab);
	SetPageFlag(a, PG_large_kmalloc);
	snprintf(msg, sizeof(msg), "pfn 0x%lx is a kmalloc block", apfn);
	CHECK_BAD_FREE(__free_pages(a, 3), msg);
	ClearPageFlag(a, PG_large_kmalloc);

	/* Addresses for free_pages. */
	CHECK_BAD_FREE(free_pages((unsigned long)&local, 0), "not a page-aligned direct-map address");
	CHECK_BAD_FREE(free_pages((unsigned long)page_address(a) + 8, 3),
		       "not a page-aligned direct-map address");
	snprintf(msg, sizeof(msg), "pfn 0x%lx is a tail page", apfn + 2);
	CHECK_BAD_FREE(free_pages((unsigned long)page_address(a + 2), 0), msg);
	CHECK_EQ(free_pages(0, 0), 0);

	/* None of it lost anything: a frees normally and all is whole. */
	CHECK_EQ(page_alloc_bad_frees, 19);
	CHECK_EQ(__free_pages(a, 3), 0);
	CHECK_EQ(nr_free_pages(), zones[0].present_pages + zones[1].present_pages +
				  zones[2].present_pages);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();
}

/* A head with more than one reference: __free_pages drops one; the last
 * one frees the block; one more is a double free. */
static void test_refcount(void)
{
	struct page *p;
	unsigned long before;

	sim_boot(&sim_layout_std);
	before = nr_free_pages();
	p = alloc_pages(GFP_KERNEL, 1);
	CHECK_EQ(page_count(p), 1);
	get_page(p);
	get_page(p);
	CHECK_EQ(page_count(p), 3);
	CHECK_EQ(__free_pages(p, 1), 0);
	CHECK_EQ(__free_pages(p, 1), 0);
	CHECK_EQ(page_count(p), 1);
	CHECK(PageHead(p));
	CHECK_EQ(nr_free_pages(), before - 2);
	/* The order is checked even when the block is not freed yet. */
	get_page(p);
	CHECK_EQ(__free_pages(p, 0), -EINVAL);
	CHECK_EQ(page_count(p), 2);
	CHECK_EQ(__free_pages(p, 1), 0);
	CHECK_EQ(__free_pages(p, 1), 0);
	CHECK_EQ(nr_free_pages(), before);
	CHECK(!PageHead(p));
	CHECK_EQ(__free_pages(p, 1), -EINVAL);
	CHECK_EQ(page_alloc_bad_frees, 2);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	sim_fini();
}

static void test_refused_requests(void)
{
	struct sim_snapshot snap;

	sim_boot(&sim_layout_std);
	sim_snapshot_take(&snap);
	sim_log_clear();
	CHECK(alloc_pages(GFP_HIGHUSER, MAX_ORDER) == NULL);
	CHECK(sim_log_has("alloc_pages: order 11 refused"));
	CHECK(alloc_pages(GFP_KERNEL, 40) == NULL);
	CHECK(alloc_pages(GFP_DMA | __GFP_HIGHMEM, 0) == NULL);
	CHECK(sim_log_has("__GFP_DMA with __GFP_HIGHMEM refused"));
	CHECK(alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 0) == NULL);
	CHECK(sim_log_has("no kmap to zero highmem yet"));
	CHECK(__get_free_pages(GFP_HIGHUSER, 0) == 0);
	CHECK(sim_log_has("__get_free_pages: __GFP_HIGHMEM refused"));
	CHECK(sim_snapshot_same(&snap));
	sim_snapshot_drop(&snap);
	sim_fini();
}

static void test_gfp_zero_and_addresses(void)
{
	struct page **held = malloc(sim_layout_std.max_pfn * sizeof(*held));
	unsigned long n, per_zone[MAX_NR_ZONES] = { 0 }, addr;
	struct page *p;
	unsigned char *mem;
	bool zero = true;

	sim_boot(&sim_layout_std);
	/* Dirty every free DMA frame, then ask for zeroed ones. */
	n = exhaust(GFP_DMA, held, per_zone);
	for (unsigned long i = 0; i < n; i++)
		memset(page_address(held[i]), 0xa5, PAGE_SIZE);
	while (n--)
		__free_pages(held[n], 0);
	p = alloc_pages(GFP_DMA | __GFP_ZERO, 4);
	CHECK(p != NULL);
	mem = page_address(p);
	for (size_t i = 0; i < (PAGE_SIZE << 4); i++)
		zero &= mem[i] == 0;
	CHECK(zero);
	addr = get_zeroed_page(GFP_DMA);
	CHECK(addr != 0);
	mem = (unsigned char *)addr;
	zero = true;
	for (size_t i = 0; i < PAGE_SIZE; i++)
		zero &= mem[i] == 0;
	CHECK(zero);
	CHECK_EQ(free_pages(addr, 0), 0);
	CHECK_EQ(__free_pages(p, 4), 0);

	/* __get_free_pages: a page-aligned direct-map address. */
	addr = __get_free_pages(GFP_KERNEL, 2);
	CHECK(addr && (addr & (PAGE_SIZE - 1)) == 0);
	CHECK(virt_addr_valid((void *)addr));
	p = virt_to_page((void *)addr);
	CHECK(PageHead(p) && p->private == 2 && page_zonenum(p) == ZONE_NORMAL);
	memset((void *)addr, 0x5a, PAGE_SIZE << 2);
	CHECK_EQ(free_pages(addr, 2), 0);
	CHECK_EQ(page_alloc_bad_frees, 0);
	CHECK_EQ(sim_check_buddy(NULL), 0);
	free(held);
	sim_fini();
}

/* ------------------------------------------------------------ random */

enum { F_RESERVED, F_FREE, F_USED };

struct live {
	struct page *page;
	unsigned int order;
};

static void random_run(unsigned int seed, int ops, bool pcp)
{
	const struct sim_layout *l = &sim_layout_std;
	unsigned char *state = malloc(l->max_pfn), *free_map = malloc(l->max_pfn);
	struct live *live = malloc(l->max_pfn * sizeof(*live));
	unsigned long nlive = 0, model_free[MAX_NR_ZONES];
	struct counts base, now;
	int failures_before = ht_failures_in_test;
	unsigned long allocs = 0, nulls = 0, frees = 0, bad = 0, peak = 0;

	srand(seed);
	sim_boot(l);
	if (pcp)
		setup_per_cpu_pageset();
	counts_take(&base);
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
		state[pfn] = sim_pfn_in_runs(l, pfn) ? F_FREE : F_RESERVED;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		model_free[z] = zones[z].free_pages;

	for (int op = 0; op < ops && ht_failures_in_test == failures_before; op++) {
		int r = rand() % 100;

		if (r < 55 || nlive == 0) {
			gfp_t gfp = gfps[rand() % 3];
			unsigned int order = r < 25 ? 0 : r < 40 ? 1 : (unsigned int)rand() % MAX_ORDER;
			int z = expected_zone(gfp, order);
			struct page *p;
			unsigned long pfn;

			if ((rand() % 8) == 0 && !(gfp & __GFP_HIGHMEM))
				gfp |= __GFP_ZERO;
			p = alloc_pages(gfp, order);
			if (z < 0) {
				CHECK(p == NULL);
				nulls++;
				continue;
			}
			CHECK(p != NULL);
			if (!p)
				break;
			allocs++;
			check_block(p, order, z);
			pfn = page_to_pfn(p);
			for (unsigned long i = 0; i < (1UL << order); i++) {
				if (state[pfn + i] != F_FREE) {
					CHECK_EQ(pfn + i, ~0UL);	/* handed out twice */
					break;
				}
				state[pfn + i] = F_USED;
			}
			model_free[z] -= 1UL << order;
			live[nlive].page = p;
			live[nlive++].order = order;
		} else if (r < 97) {
			unsigned long k = (unsigned long)rand() % nlive;
			struct live x = live[k];
			unsigned long pfn = page_to_pfn(x.page);

			live[k] = live[--nlive];
			frees++;
			CHECK_EQ(__free_pages(x.page, x.order), 0);
			for (unsigned long i = 0; i < (1UL << x.order); i++)
				state[pfn + i] = F_FREE;
			model_free[page_zonenum(x.page)] += 1UL << x.order;
		} else {
			/* A bad free: any frame and order but a live block's own. */
			unsigned long pfn = (unsigned long)rand() % max_pfn;
			unsigned int order = (unsigned int)rand() % MAX_ORDER;
			bool valid = false;

			for (unsigned long k = 0; k < nlive; k++)
				if (page_to_pfn(live[k].page) == pfn && live[k].order == order)
					valid = true;
			if (valid)
				continue;
			bad++;
			CHECK_EQ(__free_pages(pfn_to_page(pfn), order), -EINVAL);
		}
		if (nr_free_pages() < base.free[0] + base.free[1] + base.free[2] - peak)
			peak = base.free[0] + base.free[1] + base.free[2] - nr_free_pages();
		for (int z = 0; z < MAX_NR_ZONES; z++)
			CHECK_EQ(zones[z].free_pages, model_free[z]);
		if (op % 500 == 0 || op == ops - 1) {
			/* The lists' blocks are free but not on the buddy's. */
			drain_all_pages();
			CHECK_EQ(sim_check_buddy(free_map), 0);
			for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
				if (free_map[pfn] != (state[pfn] == F_FREE)) {
					CHECK_EQ(pfn, ~0UL);	/* model and lists disagree */
					break;
				}
		}
	}
	if (seed == 1)
		printf("    seed 1: %lu allocations, %lu NULL, %lu frees, %lu bad frees, peak %lu of %lu frames used\n",
		       allocs, nulls, frees, bad, peak, base.free[0] + base.free[1] + base.free[2]);
	while (nlive--)
		CHECK_EQ(__free_pages(live[nlive].page, live[nlive].order), 0);
	counts_take(&now);
	CHECK(counts_same(&base, &now));
	CHECK_EQ(sim_check_buddy(NULL), 0);
	free(state);
	free(free_map);
	free(live);
	sim_fini();
}

static void test_random_against_model(void)
{
	for (unsigned int seed = 1; seed <= 6; seed++)
		random_run(seed, 20000, false);
}

/* The same with lists that hold blocks between the drains: every block
 * handed out is free in the model, frees and bad frees (many land on a
 * block on a list) keep the free counts exact, and a drain leaves the
 * buddy lists maximal. */
static void test_random_with_pcp_lists(void)
{
	for (unsigned int seed = 11; seed <= 14; seed++)
		random_run(seed, 20000, true);
}

int main(void)
{
	RUN(test_free_area_init);
	RUN(test_free_area_init_empty_and_clamped_zones);
	RUN(test_bootmem_blocks_by_hand);
	RUN(test_bootmem_std_maximal_and_counted);
	RUN(test_bootmem_pieces_merge);
	RUN(test_bootmem_refuses_bad_ranges);
	RUN(test_bootmem_6gib_fast);
	RUN(test_alloc_every_order_every_zone);
	RUN(test_exhaust_zones_and_fallback);
	RUN(test_no_merge_across_zone_edges);
	RUN(test_bad_frees_reported);
	RUN(test_refcount);
	RUN(test_refused_requests);
	RUN(test_gfp_zero_and_addresses);
	RUN(test_random_against_model);
	RUN(test_random_with_pcp_lists);
	return HT_DONE();
}
