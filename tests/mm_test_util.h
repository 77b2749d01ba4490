/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the allocator tests that run on the host (tests/host/,
 * on the simulated mem_map) and in the kernel (tests/kernel/): a snapshot
 * of the zones' free counts, and per-object byte patterns.
 */
#ifndef TESTS_MM_TEST_UTIL_H
#define TESTS_MM_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mmzone.h"

struct counts {
	unsigned long free[MAX_NR_ZONES];
	unsigned long nr[MAX_NR_ZONES][MAX_ORDER];
};

/* Taken after the per-CPU page lists are drained, so that the per-order
 * counts describe every free block. */
static inline void counts_take(struct counts *c)
{
	drain_all_pages();
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		c->free[z] = zones[z].free_pages;
		for (int o = 0; o < MAX_ORDER; o++)
			c->nr[z][o] = zones[z].free_area[o].nr_free;
	}
}

/* The free pages and every order's block count are as they were. */
static inline bool counts_same(const struct counts *a, const struct counts *b)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (a->free[z] != b->free[z])
			return false;
		for (int o = 0; o < MAX_ORDER; o++)
			if (a->nr[z][o] != b->nr[z][o])
				return false;
	}
	return true;
}

/* The zone alloc_pages(gfp, order) must serve from, judged from the free
 * lists: the first zone in gfp's fallback order (HIGHMEM -> NORMAL -> DMA)
 * with a block of that order or larger; -1 when there is none. The
 * per-CPU page lists are drained first, so the lists hold every block. */
static inline int expected_zone(gfp_t gfp, unsigned int order)
{
	int top = (gfp & __GFP_DMA) ? ZONE_DMA :
		  (gfp & __GFP_HIGHMEM) ? ZONE_HIGHMEM : ZONE_NORMAL;

	drain_all_pages();
	for (int z = top; z >= 0; z--)
		for (unsigned int o = order; o < MAX_ORDER; o++)
			if (zones[z].free_area[o].nr_free)
				return z;
	return -1;
}

/* Byte i of object id: differs between neighbours and between objects. */
static inline unsigned char obj_pattern(unsigned long id, unsigned long i)
{
	return (unsigned char)(id * 131 + i * 7 + 1);
}

static inline void obj_fill(void *p, size_t n, unsigned long id)
{
	for (size_t i = 0; i < n; i++)
		((unsigned char *)p)[i] = obj_pattern(id, i);
}

static inline bool obj_intact(const void *p, size_t n, unsigned long id)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != obj_pattern(id, i))
			return false;
	return true;
}

/* Frees v[0..n); returns the failures. */
static inline unsigned int free_all(struct page **v, unsigned int n)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < n; i++)
		bad += __free_page(v[i]) != 0;
	return bad;
}

#endif /* TESTS_MM_TEST_UTIL_H */
