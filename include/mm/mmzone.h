/* SPDX-License-Identifier: MIT */
/*
 * Zones and their buddy free lists (seed 004; Gorman ch. 2 "Describing
 * Physical Memory"): ZONE_DMA below 16 MiB, ZONE_NORMAL up to high_memory,
 * ZONE_HIGHMEM above, including RAM above 4 GiB.
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include <stdbool.h>
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

struct zone {
	const char *name;
	unsigned long zone_start_pfn;	/* first frame */
	unsigned long spanned_pages;	/* frames from start to end, holes too */
	unsigned long present_pages;	/* frames handed to the allocator */
	unsigned long free_pages;	/* frames free now */
	struct free_area free_area[MAX_ORDER];
	spinlock_t lock;
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
