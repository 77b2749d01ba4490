/* SPDX-License-Identifier: MIT */
/*
 * struct page and mem_map: one descriptor for every physical frame up to
 * the top of RAM (seed 000 §5.1 places mem_map after the kernel image),
 * and the conversions between frames, pages and direct-map addresses
 * (seed 002: __pa/__va; seed 004: virt_to_page, page_address).
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdbool.h>
#include <stdint.h>
#include "asm/page.h"
#include "kernel/list.h"
#include "mm/mmzone.h"

/* page->flags: low bits are PG_* flags, the top ZONES_WIDTH bits the zone. */
enum pageflags {
	PG_reserved,	/* never handed to the allocator (kernel, holes, firmware) */
	PG_buddy,	/* head of a free block; private = its order */
	PG_head,	/* head of an allocated block; private = its order */
	PG_highmem,	/* above high_memory: no direct mapping */
	PG_slab,	/* a kmalloc slab page; private = its cache */
	PG_large_kmalloc, /* head of a kmalloc block too big for a cache */
	PG_pcp,		/* head of a free block on a per-CPU list; private = order */
	NR_PAGEFLAGS
};

#define ZONES_WIDTH	2
#define ZONES_SHIFT	(32 - ZONES_WIDTH)

struct page {
	unsigned long flags;
	int _refcount;			/* users of an allocated block head */
	struct list_head lru;		/* free list, or a slab cache's list */
	unsigned long private;		/* order (buddy, head) or cache (slab) */
	void *freelist;			/* slab: first free object */
	unsigned int inuse;		/* slab: objects handed out */
	unsigned int objmap;		/* slab of <= 32 objects: which are in use */
};

#ifndef HOST_TEST	/* host tests have 64-bit longs and pointers */
_Static_assert(sizeof(struct page) <= 32, "struct page must stay within 32 bytes");
#endif

extern struct page *mem_map;		/* frames 0 .. max_pfn - 1 */
extern unsigned long max_pfn;		/* one past the highest RAM frame */
extern unsigned long max_low_pfn;	/* one past the last direct-mapped frame */
extern unsigned long highstart_pfn;	/* first ZONE_HIGHMEM frame (= max_low_pfn) */
extern unsigned long highend_pfn;	/* one past the last highmem frame */
extern void *high_memory;		/* __va(max_low_pfn << PAGE_SHIFT) */
extern unsigned long mem_init_free_pages; /* free frames when bootmem retired */

static inline bool PageFlag(const struct page *p, enum pageflags f)
{
	return (p->flags >> f) & 1;
}

static inline void SetPageFlag(struct page *p, enum pageflags f)
{
	p->flags |= 1UL << f;
}

static inline void ClearPageFlag(struct page *p, enum pageflags f)
{
	p->flags &= ~(1UL << f);
}

#define PageReserved(p)		PageFlag(p, PG_reserved)
#define PageBuddy(p)		PageFlag(p, PG_buddy)
#define PageHead(p)		PageFlag(p, PG_head)
#define PageHighMem(p)		PageFlag(p, PG_highmem)
#define PageSlab(p)		PageFlag(p, PG_slab)
#define PageLargeKmalloc(p)	PageFlag(p, PG_large_kmalloc)
#define PagePcp(p)		PageFlag(p, PG_pcp)

static inline enum zone_type page_zonenum(const struct page *p)
{
	return (enum zone_type)(p->flags >> ZONES_SHIFT);
}

static inline void set_page_zone(struct page *p, enum zone_type z)
{
	p->flags = (p->flags & ~(~0UL << ZONES_SHIFT)) |
		   ((unsigned long)z << ZONES_SHIFT);
}

static inline struct zone *page_zone(const struct page *p)
{
	return &zones[page_zonenum(p)];
}

static inline unsigned long page_to_pfn(const struct page *p)
{
	return (unsigned long)(p - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < max_pfn;
}

static inline uint64_t page_to_phys(const struct page *p)
{
	return (uint64_t)page_to_pfn(p) << PAGE_SHIFT;
}

/* Boot-time set-up, in this order (mm/init.c): limits, bootmem and
 * mem_map; swapper_pg_dir and the zones; hand-over to the buddy allocator. */
void setup_memory(void);
void paging_init(void);
void mem_init(void);

/*
 * The "virtual kernel memory layout:" banner with the live values: the
 * fixmap, pkmap, vmalloc and lowmem ranges and the kernel's sections, one
 * line each (mem_init prints it to the log; the monitor's `layout` shows
 * it again). tools/layout_svg.py and tests/pagecheck.py read these lines.
 */
void print_memory_layout(int (*out)(const char *fmt, ...));

/* Set-up of the page allocator (mm/page_alloc.c), called by mm/init.c and
 * mm/bootmem.c: the zones end at zone_end_pfn[DMA], [NORMAL], [HIGHMEM]. */
void free_area_init(const unsigned long zone_end_pfn[MAX_NR_ZONES]);
unsigned long free_bootmem_range(unsigned long start_pfn, unsigned long end_pfn);

/* Per zone: free and present pages, and free blocks per order in the
 * "Node 0 DMA: 1*4kB 2*8kB ... = 12kB" form (mm/page_alloc.c). */
void show_free_areas(void);

/* The per-CPU page lists' high and batch marks from each zone's size,
 * once the zones are populated (mem_init); until then every block goes
 * straight through to the buddy lists. */
void setup_per_cpu_pageset(void);

/* Bad frees __free_pages/free_pages reported and refused, since boot. */
extern unsigned long page_alloc_bad_frees;

/* The users of an allocated block, counted on its head: alloc_pages
 * returns it at 1, get_page adds one, __free_pages drops one and frees
 * the block with the last. */
static inline int page_count(const struct page *p)
{
	return p->_refcount;
}

static inline void get_page(struct page *p)
{
	p->_refcount++;
}

/* The smallest order whose block holds size bytes (0 for size <= a page). */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	if (size <= PAGE_SIZE)
		return 0;
	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

#ifndef HOST_TEST
/* Direct-map address <-> page; lowmem only. */
#define virt_to_page(addr)	pfn_to_page(__pa(addr) >> PAGE_SHIFT)
#define virt_addr_valid(addr)	((unsigned long)(addr) >= PAGE_OFFSET && \
				 (unsigned long)(addr) < (unsigned long)high_memory)

void *page_address_highmem(const struct page *page);

/* The kernel address of a page: arithmetic for lowmem; for highmem the
 * pkmap address kmap() gave it, or NULL (mm/highmem.c). */
static inline void *page_address(const struct page *p)
{
	if (PageHighMem(p))
		return page_address_highmem(p);
	return __va(page_to_pfn(p) << PAGE_SHIFT);
}
#else
/* Host tests simulate the direct map and provide these. */
void *page_address(const struct page *p);
struct page *virt_to_page(const void *addr);
bool virt_addr_valid(const void *addr);
#endif

#endif /* MM_MM_H */
