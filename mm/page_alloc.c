/* SPDX-License-Identifier: MIT */
/*
 * The zoned buddy allocator: per zone, free lists of naturally aligned
 * blocks of 2^order frames that split on allocation and coalesce with
 * their buddies on free, never across a zone boundary (Gorman ch. 6
 * "Physical Page Allocation"; names as in Linux's mm/page_alloc.c).
 * In front of it, per zone and CPU, lists of free blocks of orders 0..3
 * (Linux's per_cpu_pages): allocation pops and freeing pushes there with
 * interrupts disabled on this CPU and no lock; rmqueue_bulk refills a
 * list with batch pages under the zone lock, free_pcppages_bulk gives at
 * least batch pages back once the lists hold more than high.
 *
 * Page states, all kept in struct page:
 *   reserved   PG_reserved; never handed out (holes, kernel, boot data).
 *   free       the head of a free block has PG_buddy, private = order and
 *              sits on zone->free_area[order], or PG_pcp, private = order
 *              and sits on a CPU's list; its other frames carry no state
 *              flag. Both count in zone->free_pages.
 *   allocated  the head has PG_head, private = order, _refcount >= 1;
 *              its other frames (tail pages) carry no state flag.
 * Only the head of a current block carries PG_buddy, PG_pcp or PG_head,
 * so the block covering any frame is found by looking at the frame
 * aligned down to each order: that is how bad frees of tail pages are
 * diagnosed.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#ifndef HOST_TEST
#include "asm/apic.h"
#include "asm/percpu.h"
#include "asm/smp.h"
#include "kernel/irq.h"
#endif

struct zone zones[MAX_NR_ZONES];
unsigned long page_alloc_bad_frees;

/* The per-CPU lists belong to this CPU while interrupts are off here. */
#ifdef HOST_TEST
#define pcp_irq_save(flags)	((flags) = 0)
#define pcp_irq_restore(flags)	((void)(flags))
#define pcp_cpu()		0u
#else
#define pcp_irq_save(flags)	local_irq_save(flags)
#define pcp_irq_restore(flags)	local_irq_restore(flags)
#define pcp_cpu()		smp_processor_id()
#endif

/* free_pages changes under the zone lock and on the per-CPU fast paths,
 * which do not take it. */
static inline void zone_free_add(struct zone *zone, long pages)
{
	__atomic_fetch_add(&zone->free_pages, (unsigned long)pages, __ATOMIC_RELAXED);
}

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
		/* high 0, batch 1: each block passes straight through
		 * until setup_per_cpu_pageset. */
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

			pcp->batch = 1;
			for (int order = 0; order < NR_PCP_LISTS; order++)
				INIT_LIST_HEAD(&pcp->lists[order]);
		}

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
 * The frames were free already, or the caller counts them in free_pages.
 */
static void __free_one_block(struct zone *zone, unsigned long pfn,
			     unsigned int order)
{
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
		zone_free_add(zone, 1L << order);
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
 * NULL when there is none. Caller holds zone->lock and counts the block
 * out of free_pages if it leaves the free state. */
static struct page *__rmqueue(struct zone *zone, unsigned int order)
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
					    (1UL << PG_slab) | (1UL << PG_large_kmalloc) |
					    (1UL << PG_pcp))))
			panic("page_alloc: %s free list holds pfn 0x%lx with flags 0x%lx",
			      zone->name, page_to_pfn(page), page->flags);
		del_from_free_area(zone, page, cur);
		expand(zone, page, order, cur);
		return page;
	}
	return NULL;
}

/* ------------------------------------------------------ per-CPU lists */

#define PCP_BAD_FLAGS	((1UL << PG_reserved) | (1UL << PG_buddy) | \
			 (1UL << PG_head) | (1UL << PG_slab) | \
			 (1UL << PG_large_kmalloc))

/*
 * rmqueue_bulk - move up to max(batch >> order, 1) blocks of order from
 * the buddy lists to this CPU's list; returns how many. A block as large
 * as the rest of the request is taken whole where there is one and split
 * here, rather than block by block through the free lists. Interrupts
 * are disabled; the zone lock is taken once for the lot. free_pages does
 * not change: the blocks stay free.
 */
static int rmqueue_bulk(struct zone *zone, unsigned int order,
			struct per_cpu_pages *pcp)
{
	int want = pcp->batch >> order, n = 0;
	struct list_head *list = &pcp->lists[order];

	if (want < 1)
		want = 1;
	spin_lock(&zone->lock);
	while (n < want) {
		unsigned int big = order + 31 - __builtin_clz((unsigned int)(want - n));
		struct page *page;

		if (big > MAX_ORDER - 1)
			big = MAX_ORDER - 1;
		page = __rmqueue(zone, big);
		if (!page && big > order) {
			big = order;
			page = __rmqueue(zone, order);
		}
		if (!page)
			break;
		for (unsigned long i = 0; i < (1UL << (big - order)); i++) {
			struct page *p = page + (i << order);

			p->flags |= 1UL << PG_pcp;
			p->private = order;
			list_add_tail(&p->lru, list);
		}
		n += 1 << (big - order);
	}
	spin_unlock(&zone->lock);
	pcp->count += n << order;
	return n;
}

/* The coldest block of this CPU's list of order, back to the buddy lists
 * (caller holds the zone lock); the pages it held. */
static int pcp_free_coldest(struct zone *zone, struct per_cpu_pages *pcp,
			    unsigned int order)
{
	struct page *page = list_entry(pcp->lists[order].prev, struct page, lru);

	list_del(&page->lru);
	page->flags &= ~(1UL << PG_pcp);
	page->private = 0;
	__free_one_block(zone, page_to_pfn(page), order);
	pcp->count -= 1 << order;
	return 1 << order;
}

/*
 * free_pcppages_bulk - give at least pages pages (whole blocks, the
 * coldest first) or all there are from this CPU's lists back to the
 * buddy lists, merging them there: first from the list of order (the
 * one that overflowed) all but its newest block, so that the fewest
 * blocks go and a free+alloc pair of one order does not send its block
 * back and forth; then from the others, the largest order first.
 * Interrupts are disabled; the zone lock is taken once.
 */
static void free_pcppages_bulk(struct zone *zone, struct per_cpu_pages *pcp,
			       int pages, unsigned int order)
{
	struct list_head *list = &pcp->lists[order];
	int o = NR_PCP_LISTS - 1;

	spin_lock(&zone->lock);
	while (pages > 0 && list->prev != list->next)
		pages -= pcp_free_coldest(zone, pcp, order);
	while (pages > 0 && o >= 0) {
		if (list_empty(&pcp->lists[o]))
			o--;
		else
			pages -= pcp_free_coldest(zone, pcp, o);
	}
	spin_unlock(&zone->lock);
}

/* A block in the wrong state on a per-CPU list: nothing can be trusted. */
static __noinline void pcp_list_corrupt(const struct zone *zone,
					unsigned int order,
					const struct page *page)
{
	panic("page_alloc: %s CPU %u order-%u list holds pfn 0x%lx with flags 0x%lx, order %lu",
	      zone->name, pcp_cpu(), order, page_to_pfn(page), page->flags,
	      page->private);
}

/*
 * rmqueue_pcplist - a block of order <= PAGE_ALLOC_COSTLY_ORDER from this
 * CPU's list of zone, refilled from the buddy lists when empty; NULL when
 * both are. The fast path: interrupts off, no lock.
 */
static struct page *rmqueue_pcplist(struct zone *zone, unsigned int order)
{
	struct per_cpu_pages *pcp;
	struct list_head *list;
	struct page *page;
	unsigned long flags;

	pcp_irq_save(flags);
	pcp = &zone->per_cpu_pageset[pcp_cpu()];
	list = &pcp->lists[order];
	if (unlikely(list_empty(list)) && !rmqueue_bulk(zone, order, pcp)) {
		pcp_irq_restore(flags);
		return NULL;
	}
	page = list_first_entry(list, struct page, lru);
	/* Only a free block of this order may sit on this list. */
	if (unlikely((page->flags & (PCP_BAD_FLAGS | (1UL << PG_pcp))) !=
		     (1UL << PG_pcp) || page->private != order))
		pcp_list_corrupt(zone, order, page);
	list_del(&page->lru);
	pcp->count -= 1 << order;
	zone_free_add(zone, -(1L << order));
	pcp_irq_restore(flags);
	page->flags ^= (1UL << PG_pcp) | (1UL << PG_head);
	return page;
}

/* A free block of order from zone, through this CPU's lists where the
 * order is cached there; NULL when the zone has none. PG_pcp or PG_buddy
 * cleared, PG_head set, private = order. */
static struct page *rmqueue(struct zone *zone, unsigned int order)
{
	struct page *page;
	unsigned long flags;

	if (likely(order <= PAGE_ALLOC_COSTLY_ORDER))
		return rmqueue_pcplist(zone, order);
	spin_lock_irqsave(&zone->lock, flags);
	page = __rmqueue(zone, order);
	if (page)
		zone_free_add(zone, -(1L << order));
	spin_unlock_irqrestore(&zone->lock, flags);
	if (page) {
		SetPageFlag(page, PG_head);
		page->private = order;
	}
	return page;
}

/* All of this CPU's lists of zone back to the buddy. */
static void drain_zone_pages(struct zone *zone)
{
	struct per_cpu_pages *pcp;
	unsigned long flags;

	pcp_irq_save(flags);
	pcp = &zone->per_cpu_pageset[pcp_cpu()];
	if (pcp->count)
		free_pcppages_bulk(zone, pcp, pcp->count, 0);
	pcp_irq_restore(flags);
}

void drain_local_pages(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		drain_zone_pages(&zones[z]);
}

#ifndef HOST_TEST
/*
 * The other CPUs' lists are theirs alone, so they drain them themselves
 * when asked by IPI (as Linux did with on_each_cpu before its per-CPU
 * workqueue), and the fast paths need nothing but interrupts off: a lock
 * per list would cost a locked instruction on every allocation and free.
 * The sender waits for the answers, so it must have interrupts enabled
 * (a CPU spinning on a lock it holds could not answer otherwise).
 */
static DEFINE_SPINLOCK(pcp_drain_lock);
static unsigned long pcp_drain_cpumask;	/* CPUs yet to drain */

static void pcp_drain_interrupt(struct pt_regs *regs)
{
	(void)regs;
	drain_local_pages();
	apic_eoi();
	__atomic_fetch_and(&pcp_drain_cpumask, ~(1UL << smp_processor_id()),
			   __ATOMIC_RELEASE);
}

void drain_all_pages(void)
{
	unsigned long mask;
	unsigned int cpu;

	drain_local_pages();
	if (num_online_cpus() <= 1 || irqs_disabled())
		return;
	spin_lock(&pcp_drain_lock);
	mask = __atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE) &
	       ~(1UL << smp_processor_id());
	__atomic_store_n(&pcp_drain_cpumask, mask, __ATOMIC_SEQ_CST);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (mask & (1UL << cpu))
			apic_send_ipi(per_cpu(cpu)->apic_id, CALL_FUNCTION_VECTOR);
	while (__atomic_load_n(&pcp_drain_cpumask, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_unlock(&pcp_drain_lock);
}
#else
void drain_all_pages(void)
{
	drain_local_pages();
}
#endif

/*
 * setup_per_cpu_pageset - the lists' marks from each zone's size: batch
 * 1/64 of the zone rounded down to a power of two, at least 1 and at
 * most 128 pages (a power of two, so that a refill is one block split,
 * whatever the order); high a quarter of the zone, at most 24 MiB, which
 * holds a burst of 512 order-3 blocks. Linux 6.1's default high is the
 * low watermark (about 4.5 MiB of a 1 GiB machine's Normal zone; its
 * percpu_pagelist_high_fraction can raise it to 1/8 of the zone): here
 * a drain on failure (drain_all_pages) makes up for the larger lists.
 */
#define PCP_HIGH_MAX	(24UL << (20 - PAGE_SHIFT))

void setup_per_cpu_pageset(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];
		unsigned long batch = clamp(zone->present_pages / 64, 1UL, 128UL), high;

		batch = 1UL << (31 - __builtin_clz((unsigned int)batch));
		high = min(PCP_HIGH_MAX, zone->present_pages / 4);
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			zone->per_cpu_pageset[cpu].batch = (int)batch;
			zone->per_cpu_pageset[cpu].high = (int)high;
		}
	}
#ifndef HOST_TEST
	set_vector_handler(CALL_FUNCTION_VECTOR, pcp_drain_interrupt,
			   "pcp drain");
#endif
}

/* The highest zone a request may use, by its __GFP_DMA and __GFP_HIGHMEM
 * bits (both: refused before this is read); lower zones are its fallback. */
static const unsigned char gfp_zone_table[4] = {
	[0] = ZONE_NORMAL,
	[__GFP_DMA] = ZONE_DMA,
	[__GFP_HIGHMEM] = ZONE_HIGHMEM,
	[__GFP_DMA | __GFP_HIGHMEM] = ZONE_DMA,
};

static inline int gfp_zone(gfp_t gfp_mask)
{
	return gfp_zone_table[gfp_mask & (__GFP_DMA | __GFP_HIGHMEM)];
}

/* Why the flags of a request are refused, or NULL when they are valid. */
static const char *gfp_refusal(gfp_t gfp_mask)
{
	if ((gfp_mask & __GFP_DMA) && (gfp_mask & __GFP_HIGHMEM))
		return "__GFP_DMA with __GFP_HIGHMEM refused";
	/*
	 * Zeroing goes through the direct map, and highmem frames have no
	 * mapping until kmap exists; so a zeroed request that might be
	 * served from HighMem is refused whatever is free, rather than
	 * failing only on machines that have highmem.
	 */
	if ((gfp_mask & __GFP_ZERO) && (gfp_mask & __GFP_HIGHMEM))
		return "__GFP_ZERO with __GFP_HIGHMEM refused: no kmap to zero highmem yet";
	return NULL;
}

/*
 * Everything but a pop from this CPU's list of the first zone: refusals,
 * refills, the fallback to lower zones, blocks above the per-CPU orders,
 * __GFP_ZERO; and, once every allowed zone came up empty, a drain of all
 * CPUs' lists (they may hold what the request needs, split or whole) and
 * a second try.
 */
static __noinline struct page *__alloc_pages_slow(gfp_t gfp_mask,
						  unsigned int order)
{
	const char *refusal = gfp_refusal(gfp_mask);
	struct page *page = NULL;

	if (order >= MAX_ORDER) {
		pr_warn("alloc_pages: order %u refused: the largest block is order %d\n",
			order, MAX_ORDER - 1);
		return NULL;
	}
	if (refusal) {
		pr_warn("alloc_pages: %s\n", refusal);
		return NULL;
	}
	for (int z = gfp_zone(gfp_mask); z >= 0 && !page; z--)
		page = rmqueue(&zones[z], order);
	if (!page) {
		drain_all_pages();
		for (int z = gfp_zone(gfp_mask); z >= 0 && !page; z--)
			page = rmqueue(&zones[z], order);
		if (!page)
			return NULL;
	}

	page->_refcount = 1;
	INIT_LIST_HEAD(&page->lru);	/* the owner's to use */
	if (gfp_mask & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

/*
 * alloc_pages - 2^order contiguous frames from the highest zone gfp_mask
 * allows that has them, falling back downwards: __GFP_HIGHMEM tries
 * HighMem, Normal, DMA; GFP_KERNEL Normal, DMA; __GFP_DMA only DMA.
 * The head comes back with PG_head, private = order and one reference.
 * A zone's blocks on other CPUs' lists count only once every allowed
 * zone came up empty: then all lists are drained and the zones tried
 * again. NULL when no allowed zone has a block that large even then
 * (quietly: running out is for the caller to handle) or for a request
 * that cannot be valid (with a warning).
 */
struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	/*
	 * The fast path: a block on this CPU's list of the first zone, for
	 * a request with neither __GFP_ZERO nor both zone bits (the three
	 * flags read as a number below 3).
	 */
	BUILD_BUG_ON(__GFP_DMA + __GFP_HIGHMEM != 3 || __GFP_ZERO != 4);
	if (likely((gfp_mask & 7) < 3 && order <= PAGE_ALLOC_COSTLY_ORDER)) {
		struct zone *zone = &zones[gfp_zone_table[gfp_mask & 7]];
		struct per_cpu_pages *pcp;
		struct list_head *list, *first;
		unsigned long flags;

		pcp_irq_save(flags);
		pcp = &zone->per_cpu_pageset[pcp_cpu()];
		list = &pcp->lists[order];
		first = list->next;
		if (likely(first != list)) {
			struct page *page = list_entry(first, struct page, lru);
			struct list_head *next = first->next;

			if (unlikely((page->flags & (PCP_BAD_FLAGS | (1UL << PG_pcp))) !=
				     (1UL << PG_pcp)))
				pcp_list_corrupt(zone, order, page);
			list->next = next;
			next->prev = list;
			INIT_LIST_HEAD(first);		/* the owner's to use */
			pcp->count -= 1 << order;
			zone_free_add(zone, -(1L << order));
			pcp_irq_restore(flags);
			page->flags ^= (1UL << PG_pcp) | (1UL << PG_head);
			page->_refcount = 1;
			return page;
		}
		pcp_irq_restore(flags);
	}
	return __alloc_pages_slow(gfp_mask, order);
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
		if ((PageBuddy(head) || PagePcp(head) ||
		     (PageHead(head) && !PageSlab(head))) &&
		    head->private >= order)
			return head;
	}
	return NULL;
}

/*
 * check_free - whether page, order describes a block someone may free:
 * 0, or the report of what is wrong with it. Caller holds the zone lock
 * (other CPUs' lists change without it: a report about a block racing
 * through one may name its state a moment old).
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
	if (PagePcp(page))
		return bad_free("double free of pfn 0x%lx: it is already free (an order-%lu block on a per-CPU list)",
				pfn, page->private);
	if (!PageHead(page)) {
		head = covering_head(page_zone(page), pfn);
		if (head && (PageBuddy(head) || PagePcp(head)))
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
 * The free of anything but the last reference to a sound block of a
 * per-CPU order: a bad free reported, a reference dropped, or a block
 * above PAGE_ALLOC_COSTLY_ORDER; under the zone lock, straight to the
 * buddy lists.
 */
static __noinline int __free_pages_slow(struct page *page, unsigned int order)
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
	if (!err && __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		ClearPageFlag(page, PG_head);
		page->private = 0;
		__free_one_block(zone, page_to_pfn(page), order);
		zone_free_add(zone, 1L << order);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return err;
}

/*
 * __free_pages - drop a reference to the block of 2^order frames headed
 * by page; the last reference frees it, to this CPU's list (orders up to
 * PAGE_ALLOC_COSTLY_ORDER) or merging it with its buddies. Returns 0, or
 * -EINVAL after reporting a bad free (NULL or a pointer outside mem_map,
 * a reserved frame, a double free, a tail page, the wrong order, a slab
 * or kmalloc page); nothing is changed then.
 */
int __free_pages(struct page *page, unsigned int order)
{
	uintptr_t off = (uintptr_t)page - (uintptr_t)mem_map;
	struct per_cpu_pages *pcp;
	struct list_head *list, *first;
	struct zone *zone;
	unsigned long flags;
	int one = 1;

	/*
	 * The fast path: a struct page of mem_map heading an allocated
	 * block of this order, nothing else set, its only reference taken
	 * here (an atomic 1 -> 0, so that a free racing on another CPU
	 * finds 0 and is reported by the slow path).
	 */
	if (unlikely(off >= (uintptr_t)max_pfn * sizeof(struct page) ||
		     off % sizeof(struct page) || order > PAGE_ALLOC_COSTLY_ORDER ||
		     (page->flags & (PCP_BAD_FLAGS | (1UL << PG_pcp))) != (1UL << PG_head) ||
		     page->private != order ||
		     !__atomic_compare_exchange_n(&page->_refcount, &one, 0, false,
						  __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)))
		return __free_pages_slow(page, order);

	zone = page_zone(page);
	page->flags ^= (1UL << PG_head) | (1UL << PG_pcp);
	pcp_irq_save(flags);
	pcp = &zone->per_cpu_pageset[pcp_cpu()];
	list = &pcp->lists[order];
	first = list->next;
	page->lru.next = first;
	page->lru.prev = list;
	first->prev = &page->lru;
	list->next = &page->lru;
	pcp->count += 1 << order;
	zone_free_add(zone, 1L << order);
	if (unlikely(pcp->count > pcp->high))
		free_pcppages_bulk(zone, pcp, max(pcp->count - pcp->high, pcp->batch),
				   order);
	pcp_irq_restore(flags);
	return 0;
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

/* The blocks of every CPU's lists are merged back first (drain_all_pages),
 * so that the per-order counts show all the free memory. */
void show_free_areas(void)
{
	drain_all_pages();
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
