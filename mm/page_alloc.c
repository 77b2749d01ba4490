/* SPDX-License-Identifier: MIT */
/*
 * The zoned buddy allocator: per zone, free lists of naturally aligned
 * blocks of 2^order frames that split on allocation and coalesce with
 * their buddies on free, never across a zone boundary (Gorman ch. 6
 * "Physical Page Allocation"; names as in Linux's mm/page_alloc.c).
 *
 * Page states, all kept in struct page:
 *   reserved   PG_reserved; never handed out (holes, kernel, boot data).
 *   free       the head of a free block has PG_buddy, private = order and
 *              sits on zone->free_area[order]; its other frames carry no
 *              state flag.
 *   allocated  the head has PG_head, private = order, _refcount >= 1;
 *              its other frames (tail pages) carry no state flag.
 * Only the head of a current block carries PG_buddy or PG_head, so the
 * block covering any frame is found by looking at the frame aligned down
 * to each order: that is how bad frees of tail pages are diagnosed.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"

struct zone zones[MAX_NR_ZONES];
unsigned long page_alloc_bad_frees;

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA",
	[ZONE_NORMAL] = "Normal",
	[ZONE_HIGHMEM] = "HighMem",
};

/* ------------------------------------------------------------ set-up */

/* A frame as free_area_init leaves it: reserved, in zone z, unused. */
static void init_reserved_page(struct page *page, enum zone_type z,
			       bool highmem)
{
	page->flags = 1UL << PG_reserved;
	set_page_zone(page, z);
	if (highmem)
		SetPageFlag(page, PG_highmem);
	page->_refcount = 0;
	INIT_LIST_HEAD(&page->lru);
	page->private = 0;
	page->freelist = NULL;
	page->inuse = 0;
	page->objmap = 0;
}

/*
 * free_area_init - describe the zones and initialise every struct page.
 * The zones are consecutive: DMA [0, end[0]), Normal [end[0], end[1]),
 * HighMem [end[1], end[2]); any may be empty. Every frame starts reserved;
 * free_bootmem_range hands the free ones over afterwards.
 */
void free_area_init(const unsigned long end_pfn[MAX_NR_ZONES])
{
	unsigned long start = 0, pfn, highmem_pfn = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];
		unsigned long end = end_pfn[z];

		/* Out-of-order or oversized boundaries are the caller's bug;
		 * clamping keeps the zones disjoint and inside mem_map. */
		if (WARN_ON(end < start))
			end = start;
		if (WARN_ON(end > max_pfn))
			end = max_pfn;

		memset(zone, 0, sizeof(*zone));
		zone->name = zone_names[z];
		zone->zone_start_pfn = start;
		zone->spanned_pages = end - start;
		for (int order = 0; order < MAX_ORDER; order++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list);

		if (z == ZONE_NORMAL)
			highmem_pfn = end;
		for (pfn = start; pfn < end; pfn++)
			init_reserved_page(pfn_to_page(pfn), z,
					   z == ZONE_HIGHMEM);
		start = end;
	}

	/* Frames beyond the last zone (none when the caller passes
	 * max_pfn) stay reserved and outside every zone's span. */
	for (pfn = start; pfn < max_pfn; pfn++)
		init_reserved_page(pfn_to_page(pfn), ZONE_HIGHMEM,
				   pfn >= highmem_pfn);
}

/* --------------------------------------------------- free lists, merging */

static void add_to_free_area(struct zone *zone, struct page *page,
			     unsigned int order)
{
	SetPageFlag(page, PG_buddy);
	page->private = order;
	list_add(&page->lru, &zone->free_area[order].free_list);
	zone->free_area[order].nr_free++;
}

static void del_from_free_area(struct zone *zone, struct page *page,
			       unsigned int order)
{
	list_del(&page->lru);
	ClearPageFlag(page, PG_buddy);
	page->private = 0;
	zone->free_area[order].nr_free--;
}

/*
 * __free_one_block - put the block [pfn, pfn + 2^order) of zone on its
 * free list, first merging it with its buddy for as long as the buddy is
 * a free block of the same order. The buddy of the block at pfn is the
 * one at pfn ^ 2^order; together they form the order + 1 block at the
 * lower of the two. Caller holds zone->lock; the head has no state flag.
 */
static void __free_one_block(struct zone *zone, unsigned long pfn,
			     unsigned int order)
{
	zone->free_pages += 1UL << order;

	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		/*
		 * Zone edges need not be aligned to 2^(order + 1): a buddy
		 * outside this zone belongs to another zone (or none), and
		 * merging with it would make a block that straddles two.
		 */
		if (!zone_spans_pfn(zone, buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
		del_from_free_area(zone, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_to_free_area(zone, pfn_to_page(pfn), order);
}

/*
 * free_run - hand the reserved frames [start, end) of zone to the free
 * lists as the largest naturally aligned blocks that fit, each built
 * whole rather than frame by frame. Caller holds zone->lock.
 */
static void free_run(struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned int order = MAX_ORDER - 1;
		unsigned long i;

		/* Aligned at pfn (in absolute frame numbers) and ending by end. */
		while ((pfn & ((1UL << order) - 1)) || (1UL << order) > end - pfn)
			order--;
		for (i = 0; i < (1UL << order); i++)
			ClearPageFlag(pfn_to_page(pfn + i), PG_reserved);
		zone->present_pages += 1UL << order;
		/* A neighbour freed by an earlier call may complete a buddy
		 * pair; within one run the blocks are already maximal. */
		__free_one_block(zone, pfn, order);
		pfn += 1UL << order;
	}
}

/*
 * free_bootmem_range - hand the frames [start_pfn, end_pfn), which bootmem
 * never gave out, to the buddy allocator; returns the frames freed. A run
 * that crosses a zone boundary is split there. Frames that are not
 * reserved frames of a zone (already handed over, or beyond the zones)
 * are a caller bug: they are reported and skipped.
 */
unsigned long free_bootmem_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn, freed = 0, flags;

	if (end_pfn > max_pfn) {
		pr_warn("free_bootmem_range: [0x%lx, 0x%lx) ends past max_pfn 0x%lx; clamped\n",
			start_pfn, end_pfn, max_pfn);
		end_pfn = max_pfn;
	}

	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(pfn);
		struct zone *zone = page_zone(page);
		unsigned long run_end, limit;

		if (!zone_spans_pfn(zone, pfn) || !PageReserved(page)) {
			unsigned long bad = pfn;

			do {
				pfn++;
				page = pfn_to_page(pfn);
			} while (pfn < end_pfn &&
				 (!zone_spans_pfn(page_zone(page), pfn) ||
				  !PageReserved(page)));
			pr_warn("free_bootmem_range: frames [0x%lx, 0x%lx) are not reserved frames of a zone; skipped\n",
				bad, pfn);
			continue;
		}

		/* The run of reserved frames from pfn within this zone. */
		limit = min(end_pfn, zone_end_pfn(zone));
		for (run_end = pfn + 1; run_end < limit; run_end++)
			if (!PageReserved(pfn_to_page(run_end)))
				break;

		spin_lock_irqsave(&zone->lock, flags);
		free_run(zone, pfn, run_end);
		spin_unlock_irqrestore(&zone->lock, flags);
		freed += run_end - pfn;
		pfn = run_end;
	}
	return freed;
}

/* ------------------------------------------------------------ allocation */

/*
 * expand - the block at page of order high was taken off its free list to
 * serve an order low request: give back its upper halves, one of each
 * order from high - 1 down to low, keeping the lowest 2^low frames.
 */
static void expand(struct zone *zone, struct page *page, unsigned int low,
		   unsigned int high)
{
	while (high > low) {
		high--;
		add_to_free_area(zone, page + (1UL << high), high);
	}
}

/* The smallest free block of order >= order in zone, split down to order;
 * NULL when there is none. Caller holds zone->lock. */
static struct page *rmqueue(struct zone *zone, unsigned int order)
{
	for (unsigned int cur = order; cur < MAX_ORDER; cur++) {
		struct free_area *area = &zone->free_area[cur];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		/* A free-list head in any other state means the lists
		 * were corrupted: nothing can be trusted after that. */
		if (unlikely(page->flags & ((1UL << PG_reserved) | (1UL << PG_head) |
					    (1UL << PG_slab) | (1UL << PG_large_kmalloc))))
			panic("page_alloc: %s free list holds pfn 0x%lx with flags 0x%lx",
			      zone->name, page_to_pfn(page), page->flags);
		del_from_free_area(zone, page, cur);
		expand(zone, page, order, cur);
		zone->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/* The highest zone a request may use; lower zones are its fallback. */
static enum zone_type gfp_zone(gfp_t gfp_mask)
{
	if (gfp_mask & __GFP_DMA)
		return ZONE_DMA;
	if (gfp_mask & __GFP_HIGHMEM)
		return ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

/*
 * alloc_pages - 2^order contiguous frames from the highest zone gfp_mask
 * allows that has them, falling back downwards: __GFP_HIGHMEM tries
 * HighMem, Normal, DMA; GFP_KERNEL Normal, DMA; __GFP_DMA only DMA.
 * The head comes back with PG_head, private = order and one reference.
 * NULL when no allowed zone has a block that large (quietly: running out
 * is for the caller to handle) or for a request that cannot be valid
 * (with a warning).
 */
struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = NULL;
	unsigned long flags;

	if (order >= MAX_ORDER) {
		pr_warn("alloc_pages: order %u refused: the largest block is order %d\n",
			order, MAX_ORDER - 1);
		return NULL;
	}
	if ((gfp_mask & __GFP_DMA) && (gfp_mask & __GFP_HIGHMEM)) {
		pr_warn("alloc_pages: __GFP_DMA with __GFP_HIGHMEM refused\n");
		return NULL;
	}
	/*
	 * Zeroing goes through the direct map, and highmem frames have no
	 * mapping until kmap exists; so a zeroed request that might be
	 * served from HighMem is refused whatever is free, rather than
	 * failing only on machines that have highmem.
	 */
	if ((gfp_mask & __GFP_ZERO) && (gfp_mask & __GFP_HIGHMEM)) {
		pr_warn("alloc_pages: __GFP_ZERO with __GFP_HIGHMEM refused: no kmap to zero highmem yet\n");
		return NULL;
	}

	for (int z = gfp_zone(gfp_mask); z >= 0 && !page; z--) {
		struct zone *zone = &zones[z];

		spin_lock_irqsave(&zone->lock, flags);
		page = rmqueue(zone, order);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	if (!page)
		return NULL;

	SetPageFlag(page, PG_head);
	page->private = order;
	page->_refcount = 1;
	INIT_LIST_HEAD(&page->lru);	/* the owner's to use */
	if (gfp_mask & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

/* ------------------------------------------------------------ freeing */

/* Prints one "bad free: ..." line, counts it, and returns -EINVAL. */
static __printf(1, 2) int bad_free(const char *fmt, ...)
{
	char msg[160];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	page_alloc_bad_frees++;
	pr_err("bad free: %s\n", msg);
	return -EINVAL;
}

/*
 * The head of the free or allocated block that covers pfn as a tail
 * frame, or NULL. Blocks are naturally aligned, so its head is pfn
 * rounded down to its order: try each order and accept a head whose
 * recorded order is at least that large (so that it reaches pfn).
 */
static struct page *covering_head(const struct zone *zone, unsigned long pfn)
{
	for (unsigned int order = 1; order < MAX_ORDER; order++) {
		unsigned long head_pfn = pfn & ~((1UL << order) - 1);
		struct page *head;

		if (head_pfn == pfn || !zone_spans_pfn(zone, head_pfn))
			continue;
		head = pfn_to_page(head_pfn);
		/* A slab page is an order-0 head whose private is its cache. */
		if ((PageBuddy(head) || (PageHead(head) && !PageSlab(head))) &&
		    head->private >= order)
			return head;
	}
	return NULL;
}

/*
 * check_free - whether page, order describes a block someone may free:
 * 0, or the report of what is wrong with it. Caller holds the zone lock.
 */
static int check_free(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct page *head;

	if (PageReserved(page))
		return bad_free("freeing reserved frame pfn 0x%lx", pfn);
	if (PageBuddy(page))
		return bad_free("double free of pfn 0x%lx: it is already free (an order-%lu block)",
				pfn, page->private);
	if (!PageHead(page)) {
		head = covering_head(page_zone(page), pfn);
		if (head && PageBuddy(head))
			return bad_free("double free of pfn 0x%lx: it lies in the free order-%lu block at pfn 0x%lx",
					pfn, head->private, page_to_pfn(head));
		if (head)
			return bad_free("pfn 0x%lx is a tail page of the order-%lu block at pfn 0x%lx",
					pfn, head->private, page_to_pfn(head));
		return bad_free("pfn 0x%lx is in no allocated block", pfn);
	}
	if (PageSlab(page))
		return bad_free("pfn 0x%lx is a slab page: kfree its objects instead", pfn);
	if (PageLargeKmalloc(page))
		return bad_free("pfn 0x%lx is a kmalloc block: kfree it instead", pfn);
	if (page->private != order)
		return bad_free("pfn 0x%lx freed as order %u but allocated as order %lu",
				pfn, order, page->private);
	if (page->_refcount <= 0)
		return bad_free("pfn 0x%lx is allocated but has refcount %d",
				pfn, page->_refcount);
	return 0;
}

/*
 * __free_pages - drop a reference to the block of 2^order frames headed
 * by page; the last reference frees it, merging it with its buddies.
 * Returns 0, or -EINVAL after reporting a bad free (NULL or a pointer
 * outside mem_map, a reserved frame, a double free, a tail page, the
 * wrong order, a slab or kmalloc page); nothing is changed then.
 */
int __free_pages(struct page *page, unsigned int order)
{
	uintptr_t off = (uintptr_t)page - (uintptr_t)mem_map;
	struct zone *zone;
	unsigned long flags;
	int err;

	if (!page)
		return bad_free("NULL page");
	if ((uintptr_t)page < (uintptr_t)mem_map ||
	    off >= (uintptr_t)max_pfn * sizeof(struct page) ||
	    off % sizeof(struct page))
		return bad_free("%p is not a struct page in mem_map", (void *)page);
	if (order >= MAX_ORDER)
		return bad_free("pfn 0x%lx freed with order %u, beyond MAX_ORDER",
				page_to_pfn(page), order);

	zone = page_zone(page);
	spin_lock_irqsave(&zone->lock, flags);
	err = check_free(page, order);
	if (!err && --page->_refcount == 0) {
		ClearPageFlag(page, PG_head);
		page->private = 0;
		__free_one_block(zone, page_to_pfn(page), order);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return err;
}

/* ------------------------------------------------- direct-map addresses */

/* The direct-map address of 2^order lowmem frames, or 0. */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page;

	if (gfp_mask & __GFP_HIGHMEM) {
		pr_warn("__get_free_pages: __GFP_HIGHMEM refused: highmem frames have no direct-map address\n");
		return 0;
	}
	page = alloc_pages(gfp_mask, order);
	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

/* Frees what __get_free_pages returned; 0 is ignored, as in Linux. */
int free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return 0;
	if (!virt_addr_valid((void *)addr) || (addr & (PAGE_SIZE - 1)))
		return bad_free("free_pages(0x%lx): not a page-aligned direct-map address",
				addr);
	return __free_pages(virt_to_page((void *)addr), order);
}

/* ------------------------------------------------------------ reports */

unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		sum += zones[z].free_pages;
	return sum;
}

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

void show_free_areas(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];
		unsigned long nr[MAX_ORDER], total = 0, flags;
		char line[256];
		int len;

		/* Snapshot under the lock, print outside it. */
		spin_lock_irqsave(&zone->lock, flags);
		for (int order = 0; order < MAX_ORDER; order++)
			nr[order] = zone->free_area[order].nr_free;
		spin_unlock_irqrestore(&zone->lock, flags);

		printk("%s free:%lukB present:%lukB spanned:%lukB\n", zone->name,
		       K(zone->free_pages), K(zone->present_pages),
		       K(zone->spanned_pages));
		len = scnprintf(line, sizeof(line), "Node 0 %s:", zone->name);
		for (int order = 0; order < MAX_ORDER; order++) {
			len += scnprintf(line + len, sizeof(line) - len, " %lu*%lukB",
					 nr[order], K(1UL << order));
			total += nr[order] << order;
		}
		printk("%s = %lukB\n", line, K(total));
	}
}
