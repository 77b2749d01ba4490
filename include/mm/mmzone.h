/* SPDX-License-Identifier: MIT */
/*
 * Zones, their buddy free lists and their per-CPU page lists (seed 004;
 * Gorman ch. 2 "Describing Physical Memory"; struct per_cpu_pages as in
 * Linux 6.1's include/linux/mmzone.h): ZONE_DMA below 16 MiB, ZONE_NORMAL
 * up to high_memory, ZONE_HIGHMEM above, including RAM above 4 GiB.
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include <stdbool.h>
#include "asm/fixmap.h"		/* NR_CPUS */
#include "kernel/list.h"
#include "kernel/spinlock.h"

#define MAX_ORDER	11		/* blocks of 2^0 .. 2^10 pages */

enum zone_type {
	ZONE_DMA,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	MAX_NR_ZONES
};

#define MAX_DMA_PFN	(0x1000000UL >> 12)	/* 16 MiB */

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks of this order */
};

/* Blocks up to this order are kept on the per-CPU lists (Linux's
 * PAGE_ALLOC_COSTLY_ORDER: larger requests are rare and go to the buddy). */
#define PAGE_ALLOC_COSTLY_ORDER	3
#define NR_PCP_LISTS		(PAGE_ALLOC_COSTLY_ORDER + 1)

/*
 * One CPU's cache of free blocks of one zone, one list per order. Only
 * its CPU touches it, with interrupts disabled; another CPU empties it
 * by asking that CPU (drain_all_pages). Its blocks count as free in
 * zone->free_pages and carry PG_pcp instead of PG_buddy.
 */
struct per_cpu_pages {
	int count;		/* pages (not blocks) on the lists */
	int high;		/* above this, batch pages go back to the buddy */
	int batch;		/* pages moved to or from the buddy at once */
	struct list_head lists[NR_PCP_LISTS];
};

struct zone {
	const char *name;
	unsigned long zone_start_pfn;	/* first frame */
	unsigned long spanned_pages;	/* frames from start to end, holes too */
	unsigned long present_pages;	/* frames handed to the allocator */
	unsigned long free_pages;	/* frames free now, pcp lists too */
	struct free_area free_area[MAX_ORDER];
	spinlock_t lock;		/* free_area; free_pages changes atomically */
	struct per_cpu_pages per_cpu_pageset[NR_CPUS];
};

extern struct zone zones[MAX_NR_ZONES];

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z);
}

#endif /* MM_MMZONE_H */
