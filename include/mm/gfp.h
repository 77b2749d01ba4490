/* SPDX-License-Identifier: MIT */
/*
 * Allocation flags and the page allocator's interface (mm/page_alloc.c).
 * The zone modifiers choose where a request may be served, with fallback
 * downwards: HIGHMEM -> NORMAL -> DMA.
 */
#ifndef MM_GFP_H
#define MM_GFP_H

#include <stdint.h>

typedef unsigned int gfp_t;

#define __GFP_DMA	0x01u	/* ZONE_DMA only */
#define __GFP_HIGHMEM	0x02u	/* ZONE_HIGHMEM first */
#define __GFP_ZERO	0x04u	/* zeroed (lowmem pages only until kmap) */

#define GFP_KERNEL	0u			/* NORMAL, then DMA */
#define GFP_DMA		__GFP_DMA
#define GFP_HIGHUSER	__GFP_HIGHMEM		/* HIGHMEM, NORMAL, DMA */

struct page;

/* 2^order contiguous frames, or NULL when no zone the flags allow has a
 * block that large. Refused with a warning: order >= MAX_ORDER,
 * __GFP_DMA with __GFP_HIGHMEM, and __GFP_ZERO with __GFP_HIGHMEM (no
 * kmap to zero a highmem page through yet). */
struct page *alloc_pages(gfp_t gfp_mask, unsigned int order);
#define alloc_page(gfp)		alloc_pages(gfp, 0)

/* Drops a reference to the block (get_page adds them); the last one
 * frees it. Returns 0, or -EINVAL after reporting a bad free (double
 * free, a reserved frame, a tail page, a wrong order, a slab or kmalloc
 * page); the allocator's state is left as it was. */
int __free_pages(struct page *page, unsigned int order);
#define __free_page(page)	__free_pages(page, 0)

/* Lowmem-only forms that deal in direct-map addresses. */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
#define __get_free_page(gfp)	__get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp_mask);
int free_pages(unsigned long addr, unsigned int order);
#define free_page(addr)		free_pages(addr, 0)

/* Free pages, those on the per-CPU lists included. */
unsigned long nr_free_pages(void);

/* Give the per-CPU lists' blocks back to the buddy lists: this CPU's, or
 * every online CPU's (the others by IPI, so only with interrupts enabled;
 * with them disabled, this CPU's only). alloc_pages does the latter
 * before it fails. */
void drain_local_pages(void);
void drain_all_pages(void);

#endif /* MM_GFP_H */
