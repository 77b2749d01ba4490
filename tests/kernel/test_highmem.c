/* SPDX-License-Identifier: MIT */
/*
 * kmap/kunmap through the PKMap area and kmap_atomic through the fixmap
 * (mm/highmem.c, include/mm/highmem.h; seed 003 §10.1, Gorman ch. 10):
 * every free highmem frame written and read back through both kinds of
 * mapping, pkmap_count as the reference text defines it, the lazy global
 * flush counted exactly, the stale translation it exists to remove, misuse
 * reported with nothing changed, and kmap's wait for a free slot.
 *
 * Each test gives back what it took: every kmap is kunmapped, every page
 * freed, and the slots it left at 1 are flushed so that no freed page
 * keeps a PKMap address.
 */
#include "asm/fixmap.h"
#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor-flags.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/list.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/vmalloc.h"
#include "../mm_test_util.h"

#define NEED_PAGE_ALLOC(t) do {						\
	if (!nr_free_pages())						\
		kt_skip(t, "the page allocator has no pages yet");	\
} while (0)

#define NEED_HIGHMEM(t) do {						\
	NEED_PAGE_ALLOC(t);						\
	if (!zones[ZONE_HIGHMEM].present_pages)				\
		kt_skip(t, "no ZONE_HIGHMEM memory");			\
} while (0)

/* The most single highmem pages one test holds: 512 slots and two more. */
#define MAX_HELD	(LAST_PKMAP + 40)

static struct page *held[MAX_HELD];
static void *held_va[MAX_HELD];
static int count_snap[LAST_PKMAP];

/* Slots mapped for some user (count >= 2). */
static unsigned int busy_slots(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] >= 2;
	return n;
}

static unsigned int slots_with_count(int c)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] == c;
	return n;
}

static bool in_pkmap(const void *va)
{
	unsigned long a = (unsigned long)va;

	return a >= PKMAP_BASE && a < PKMAP_END && !(a & (PAGE_SIZE - 1));
}

static bool in_kmap_fixmap(const void *va)
{
	unsigned long a = (unsigned long)va;

	return a >= __fix_to_virt(FIX_KMAP_END) &&
	       a <= __fix_to_virt(FIX_KMAP_BEGIN) && !(a & (PAGE_SIZE - 1));
}

/* The frame the kernel page tables map at va, or -1 when none. */
static long long mapped_pfn(const void *va)
{
	pmd_t *large;
	pte_t *pte = lookup_address((unsigned long)va, &large);

	if (!pte || !pte_present(*pte))
		return -1;
	return (long long)((pte->pte & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* The log written since 'from' is not empty: something was reported. */
static bool reported_since(size_t from)
{
	return log_buf_len_now() > from;
}

static volatile uint32_t *word(void *va, unsigned int i)
{
	return (volatile uint32_t *)va + i;
}

/* ------------------------------------------------------------ every frame */

#define PROBES		16
#define WORDS		(PAGE_SIZE / 4)
#define SALT_ATOMIC	0x5a5a5a5au
#define SALT_KMAP	0xc3a5c35cu

/* A word per frame and offset that differs between frames, offsets and
 * the two passes. */
static uint32_t pattern(unsigned long pfn, unsigned int w, uint32_t salt)
{
	return (uint32_t)(pfn * 0x9e3779b1u) ^ (uint32_t)(w * 0x85ebca6bu) ^ salt;
}

/* Probe i: 16 words spread over the page, the first and the last among
 * them. */
static unsigned int probe(unsigned int i)
{
	return i * (WORDS - 1) / (PROBES - 1);
}

struct frame_walk {
	unsigned long frames, bad_words, bad_maps, first_bad_pfn;
	unsigned long lowest, highest;
	void *atomic_va;
};

static void note_bad(struct frame_walk *w, unsigned long pfn, unsigned long n)
{
	if (n && !w->bad_words && !w->bad_maps)
		w->first_bad_pfn = pfn;
	w->bad_words += n;
}

static void bad_map(struct frame_walk *w, unsigned long pfn)
{
	if (!w->bad_words && !w->bad_maps)
		w->first_bad_pfn = pfn;
	w->bad_maps++;
}

/* Pass 1: the pattern of the kmap_atomic pass written through kmap_atomic. */
static void write_atomic(struct frame_walk *w, struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	void *va = kmap_atomic(page);

	if (!in_kmap_fixmap(va) || mapped_pfn(va) != (long long)pfn) {
		bad_map(w, pfn);
		if (!va)
			return;
	}
	w->atomic_va = va;
	for (unsigned int i = 0; i < PROBES; i++)
		*word(va, probe(i)) = pattern(pfn, probe(i), SALT_ATOMIC);
	if (kunmap_atomic(va))
		bad_map(w, pfn);
}

/* Pass 2: checked through kmap, at another address; then the kmap
 * pattern written there. */
static void check_kmap_write_kmap(struct frame_walk *w, struct page *page)
{
	unsigned long pfn = page_to_pfn(page), bad = 0;
	void *va = kmap(page);

	if (!in_pkmap(va) || va == w->atomic_va ||
	    mapped_pfn(va) != (long long)pfn) {
		bad_map(w, pfn);
		if (!in_pkmap(va))
			return;
	}
	for (unsigned int i = 0; i < PROBES; i++) {
		bad += *word(va, probe(i)) != pattern(pfn, probe(i), SALT_ATOMIC);
		*word(va, probe(i)) = pattern(pfn, probe(i), SALT_KMAP);
	}
	note_bad(w, pfn, bad);
	if (kunmap(page))
		bad_map(w, pfn);
}

/* Pass 3: the kmap pattern checked through kmap_atomic. */
static void check_atomic(struct frame_walk *w, struct page *page)
{
	unsigned long pfn = page_to_pfn(page), bad = 0;
	void *va = kmap_atomic(page);

	if (!in_kmap_fixmap(va)) {
		bad_map(w, pfn);
		if (va)
			kunmap_atomic(va);
		return;
	}
	for (unsigned int i = 0; i < PROBES; i++)
		bad += *word(va, probe(i)) != pattern(pfn, probe(i), SALT_KMAP);
	note_bad(w, pfn, bad);
	if (kunmap_atomic(va))
		bad_map(w, pfn);
}

/* Calls fn on every frame of every block on held (heads linked through
 * lru, order in private). */
static void for_each_frame(struct list_head *list, struct frame_walk *w,
			   void (*fn)(struct frame_walk *, struct page *))
{
	struct page *head;

	list_for_each_entry(head, list, lru)
		for (unsigned long i = 0; i < (1UL << head->private); i++)
			fn(w, head + i);
}

KTEST(highmem, every_free_highmem_frame_through_kmap_and_kmap_atomic)
{
	unsigned long high_free = zones[ZONE_HIGHMEM].free_pages, pages = 0;
	struct frame_walk w = { .lowest = ~0UL };
	unsigned int busy = busy_slots(), bad_frees = 0;
	int depth = kmap_atomic_depth();
	struct counts base, now;
	struct page *head;
	LIST_HEAD(list);

	NEED_HIGHMEM(t);
	counts_take(&base);
	/* All of highmem, largest blocks first; a block from a lower zone
	 * means highmem has none of that order left. */
	for (int order = MAX_ORDER - 1; order >= 0; order--) {
		struct page *page;

		while ((page = alloc_pages(GFP_HIGHUSER, order))) {
			if (!PageHighMem(page)) {
				__free_pages(page, order);
				break;
			}
			list_add(&page->lru, &list);
			pages += 1UL << order;
		}
	}
	KT_EXPECT_EQ(t, pages, high_free);
	KT_EXPECT_EQ(t, zones[ZONE_HIGHMEM].free_pages, 0);

	list_for_each_entry(head, &list, lru) {
		unsigned long pfn = page_to_pfn(head);

		w.frames += 1UL << head->private;
		if (pfn < w.lowest)
			w.lowest = pfn;
		if (pfn + (1UL << head->private) - 1 > w.highest)
			w.highest = pfn + (1UL << head->private) - 1;
	}
	for_each_frame(&list, &w, write_atomic);
	for_each_frame(&list, &w, check_kmap_write_kmap);
	for_each_frame(&list, &w, check_atomic);

	KT_EXPECT_EQ(t, w.frames, pages);
	KT_EXPECT_EQ(t, w.bad_maps, 0);
	KT_EXPECT_EQ(t, w.bad_words, 0);
	KT_EXPECT_EQ(t, w.first_bad_pfn, 0);
	KT_EXPECT(t, w.lowest >= highstart_pfn && w.highest < max_pfn);
	/* RAM above 4 GiB (frames from 0x100000) was covered too. */
	if (max_pfn > 0x100000)
		KT_EXPECT(t, w.highest >= 0x100000);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), depth);
	KT_EXPECT_EQ(t, busy_slots(), busy);

	kmap_flush_unused();
	while (!list_empty(&list)) {
		head = list_first_entry(&list, struct page, lru);
		list_del(&head->lru);
		bad_frees += __free_pages(head, (unsigned int)head->private) != 0;
	}
	KT_EXPECT_EQ(t, bad_frees, 0);
	counts_take(&now);
	KT_EXPECT(t, counts_same(&base, &now));
}

/* ------------------------------------------------------------ counts */

KTEST(highmem, kmap_twice_same_address_and_counts)
{
	unsigned long before = nr_free_pages();
	struct page *page;
	void *va, *va2;

	NEED_HIGHMEM(t);
	KT_ASSERT_EQ(t, alloc_highmem_pages(&page, 1), 1);
	kmap_flush_unused();
	KT_EXPECT(t, page_address_highmem(page) == NULL);
	KT_EXPECT(t, page_address(page) == NULL);

	va = kmap(page);
	KT_ASSERT(t, in_pkmap(va));
	va2 = kmap(page);
	KT_EXPECT_EQ(t, (unsigned long)va2, (unsigned long)va);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 3);
	KT_EXPECT_EQ(t, (unsigned long)page_address(page), (unsigned long)va);
	KT_EXPECT_EQ(t, (unsigned long)page_address_highmem(page), (unsigned long)va);
	KT_EXPECT_EQ(t, mapped_pfn(va), page_to_pfn(page));

	KT_EXPECT_EQ(t, kunmap(page), 0);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 2);
	KT_EXPECT_EQ(t, (unsigned long)page_address(page), (unsigned long)va);
	KT_EXPECT_EQ(t, kunmap(page), 0);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 1);
	/* Count 1: unused, but the mapping stays until the next flush. */
	KT_EXPECT_EQ(t, (unsigned long)page_address_highmem(page), (unsigned long)va);

	kmap_flush_unused();
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 0);
	KT_EXPECT(t, page_address_highmem(page) == NULL);
	KT_EXPECT(t, page_address(page) == NULL);
	KT_EXPECT_EQ(t, mapped_pfn(va), -1);
	KT_EXPECT_EQ(t, __free_page(page), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* ------------------------------------------------------------ lazy flush */

#define WRAP_EXTRA	37

KTEST(highmem, wraps_and_global_flushes_counted)
{
	const unsigned int n = LAST_PKMAP + WRAP_EXTRA;
	unsigned long before = nr_free_pages(), wraps, flushes;
	unsigned int got, bad_maps = 0, out_of_order = 0, bad_unmaps = 0;
	struct kmap_stats s0;
	unsigned int busy, L;

	NEED_HIGHMEM(t);
	got = alloc_highmem_pages(held, n);
	if (got < n) {
		free_all(held, got);
		kt_skip(t, "fewer than 549 free highmem pages");
	}
	kmap_flush_unused();
	busy = busy_slots();
	s0 = kmap_stats;
	L = last_pkmap_nr;
	KT_EXPECT(t, L < LAST_PKMAP);

	for (unsigned int i = 0; i < n; i++) {
		void *va = kmap(held[i]);

		if (!in_pkmap(va)) {
			bad_maps++;
			continue;
		}
		/* With every other slot free, the next slot each time. */
		if (!busy && va != (void *)PKMAP_ADDR((L + 1 + i) & LAST_PKMAP_MASK))
			out_of_order++;
		bad_unmaps += kunmap(held[i]) != 0;
	}
	wraps = kmap_stats.pkmap_wraps - s0.pkmap_wraps;
	flushes = kmap_stats.global_flushes - s0.global_flushes;
	KT_EXPECT_EQ(t, bad_maps, 0);
	KT_EXPECT_EQ(t, bad_unmaps, 0);
	KT_EXPECT_EQ(t, out_of_order, 0);
	KT_EXPECT_EQ(t, wraps, (L + n) / LAST_PKMAP);
	/* The first wrap flushes nothing when it comes first of all. */
	KT_EXPECT_EQ(t, flushes, (L + n) / LAST_PKMAP - (L == LAST_PKMAP - 1));
	KT_EXPECT_EQ(t, kmap_stats.kmap_waits, s0.kmap_waits);
	KT_EXPECT_EQ(t, kmap_stats.bad_kunmaps, s0.bad_kunmaps);
	KT_EXPECT_EQ(t, busy_slots(), busy);

	kmap_flush_unused();
	KT_EXPECT_EQ(t, free_all(held, n), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

#define VAL_A	0xaaaa5555u
#define VAL_B	0xbbbb6666u

/*
 * The reason for the flush: A's translation is cached by the read through
 * its address; after kunmap(A) the slot waits at 1 with that translation
 * still in the TLB. B can only get that slot through flush_all_zero_pkmaps,
 * whose global flush is what makes the read through the same address see
 * B and not A.
 */
KTEST(highmem, reused_slot_never_shows_the_old_page)
{
	const unsigned int nheld = LAST_PKMAP - 1;
	unsigned long before = nr_free_pages();
	struct page *a, *b;
	unsigned int got, bad = 0;
	struct kmap_stats s0, s1;
	uint32_t seen_a, seen_b;
	void *va_a, *va_b, *p;

	NEED_HIGHMEM(t);
	got = alloc_highmem_pages(held, nheld + 2);
	if (got < nheld + 2) {
		free_all(held, got);
		kt_skip(t, "fewer than 513 free highmem pages");
	}
	a = held[nheld];
	b = held[nheld + 1];
	/* B's value, written through another mapping beforehand. */
	p = kmap_atomic(b);
	KT_ASSERT(t, p != NULL);
	*word(p, 0) = VAL_B;
	KT_EXPECT_EQ(t, kunmap_atomic(p), 0);

	kmap_flush_unused();
	KT_ASSERT_EQ(t, busy_slots(), 0);	/* else 511 would not leave one */
	s0 = kmap_stats;
	for (unsigned int i = 0; i < nheld; i++) {
		held_va[i] = kmap(held[i]);
		bad += !in_pkmap(held_va[i]);
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, slots_with_count(0), 1);

	va_a = kmap(a);
	KT_EXPECT(t, in_pkmap(va_a));
	KT_EXPECT_EQ(t, slots_with_count(0), 0);
	*word(va_a, 0) = VAL_A;
	seen_a = *word(va_a, 0);		/* the TLB now holds va_a -> A */
	KT_EXPECT_EQ(t, seen_a, VAL_A);
	KT_EXPECT_EQ(t, kunmap(a), 0);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va_a)], 1);

	s1 = kmap_stats;
	va_b = kmap(b);
	KT_EXPECT_EQ(t, (unsigned long)va_b, (unsigned long)va_a);
	KT_EXPECT_EQ(t, mapped_pfn(va_b), page_to_pfn(b));
	seen_b = *word(va_b, 0);
	KT_EXPECT_EQ(t, seen_b, VAL_B);
	KT_EXPECT_EQ(t, kmap_stats.global_flushes - s1.global_flushes, 1);
	KT_EXPECT_EQ(t, kmap_stats.pkmap_wraps - s1.pkmap_wraps, 1);
	/* Holding 511 and A wrapped once with nothing to flush. */
	KT_EXPECT_EQ(t, kmap_stats.global_flushes - s0.global_flushes, 1);
	KT_EXPECT_EQ(t, kmap_stats.pkmap_wraps - s0.pkmap_wraps, 2);
	KT_EXPECT(t, page_address_highmem(a) == NULL);

	KT_EXPECT_EQ(t, kunmap(b), 0);
	bad = 0;
	for (unsigned int i = 0; i < nheld; i++)
		bad += kunmap(held[i]) != 0;
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, busy_slots(), 0);
	/* A's write went to A. */
	p = kmap_atomic(a);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, *word(p, 0), VAL_A);
	KT_EXPECT_EQ(t, kunmap_atomic(p), 0);

	kmap_flush_unused();
	KT_EXPECT_EQ(t, free_all(held, nheld + 2), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* ------------------------------------------------------------ misuse */

KTEST(highmem, bad_kunmap_reported_and_nothing_changed)
{
	unsigned long before = nr_free_pages(), bad0;
	struct page *page;
	size_t log;
	void *va;

	NEED_HIGHMEM(t);
	KT_ASSERT_EQ(t, alloc_highmem_pages(&page, 1), 1);
	kmap_flush_unused();
	KT_EXPECT(t, page_address_highmem(page) == NULL);

	/* Never mapped. */
	memcpy(count_snap, pkmap_count, sizeof(count_snap));
	bad0 = kmap_stats.bad_kunmaps;
	log = log_buf_len_now();
	KT_EXPECT_EQ(t, kunmap(page), -EINVAL);
	KT_EXPECT(t, reported_since(log));
	KT_EXPECT_EQ(t, kmap_stats.bad_kunmaps, bad0 + 1);
	KT_EXPECT(t, memcmp(count_snap, pkmap_count, sizeof(count_snap)) == 0);
	KT_EXPECT(t, page_address_highmem(page) == NULL);

	/* One kunmap too many on a slot left at 1. */
	va = kmap(page);
	KT_ASSERT(t, in_pkmap(va));
	KT_EXPECT_EQ(t, kunmap(page), 0);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 1);
	memcpy(count_snap, pkmap_count, sizeof(count_snap));
	log = log_buf_len_now();
	KT_EXPECT_EQ(t, kunmap(page), -EINVAL);
	KT_EXPECT(t, reported_since(log));
	KT_EXPECT_EQ(t, kmap_stats.bad_kunmaps, bad0 + 2);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 1);
	KT_EXPECT(t, memcmp(count_snap, pkmap_count, sizeof(count_snap)) == 0);
	KT_EXPECT_EQ(t, (unsigned long)page_address_highmem(page), (unsigned long)va);
	KT_EXPECT_EQ(t, mapped_pfn(va), page_to_pfn(page));

	kmap_flush_unused();
	KT_EXPECT_EQ(t, __free_page(page), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* ------------------------------------------------------------ kmap_atomic */

static struct page *atomic_pages[KM_TYPE_NR + 1];
static void *atomic_va[KM_TYPE_NR + 1];

/* The part run with interrupts off; back to the caller to turn them on. */
static void atomic_nesting_irqs_off(struct ktest *t, struct page *low)
{
	unsigned long single0 = kmap_stats.single_flushes;
	unsigned long bad0 = kmap_stats.bad_atomic;
	unsigned int distinct = 1, wrong = 0, stepped = 0, data = 0;
	int preempt0 = preempt_count();
	void *va;

	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KT_EXPECT(t, !pagefault_disabled());
	for (int i = 0; i < KM_TYPE_NR; i++) {
		atomic_va[i] = kmap_atomic(atomic_pages[i]);
		wrong += !in_kmap_fixmap(atomic_va[i]) ||
			 mapped_pfn(atomic_va[i]) != (long long)page_to_pfn(atomic_pages[i]);
		/* One slot down per level (the fixmap grows down). */
		stepped += i && (unsigned long)atomic_va[i] !=
				(unsigned long)atomic_va[i - 1] - PAGE_SIZE;
	}
	KT_EXPECT_EQ(t, wrong, 0);
	KT_EXPECT_EQ(t, stepped, 0);
	/* The tests run on CPU 0: its first slot is FIX_KMAP_BEGIN. */
	KT_EXPECT_EQ(t, (unsigned long)atomic_va[0], __fix_to_virt(FIX_KMAP_BEGIN));
	for (int i = 0; i < KM_TYPE_NR; i++)
		for (int j = 0; j < i; j++)
			distinct &= atomic_va[i] != atomic_va[j];
	KT_EXPECT(t, distinct);
	for (int i = 0; i < KM_TYPE_NR; i++)
		data += wrong == 0 && *word(atomic_va[i], 0) != 0x1000u + (unsigned int)i;
	KT_EXPECT_EQ(t, data, 0);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), KM_TYPE_NR);
	KT_EXPECT_EQ(t, kmap_stats.single_flushes, single0 + KM_TYPE_NR);
	/* Each level holds preemption and fault handling off once. */
	KT_EXPECT_EQ(t, preempt_count(), preempt0 + KM_TYPE_NR);
	KT_EXPECT_EQ(t, this_cpu()->pagefault_disabled, KM_TYPE_NR);
	KT_EXPECT(t, faulthandler_disabled());

	/* One level too many. */
	va = kmap_atomic(atomic_pages[KM_TYPE_NR]);
	KT_EXPECT(t, va == NULL);
	KT_EXPECT_EQ(t, kmap_stats.bad_atomic, bad0 + 1);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), KM_TYPE_NR);
	KT_EXPECT_EQ(t, preempt_count(), preempt0 + KM_TYPE_NR);
	KT_EXPECT_EQ(t, this_cpu()->pagefault_disabled, KM_TYPE_NR);

	/* Out of order: the outermost is refused and stays mapped. */
	KT_EXPECT_EQ(t, kunmap_atomic(atomic_va[0]), -EINVAL);
	KT_EXPECT_EQ(t, kmap_stats.bad_atomic, bad0 + 2);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), KM_TYPE_NR);
	KT_EXPECT_EQ(t, preempt_count(), preempt0 + KM_TYPE_NR);
	KT_EXPECT_EQ(t, mapped_pfn(atomic_va[0]), page_to_pfn(atomic_pages[0]));
	KT_EXPECT_EQ(t, mapped_pfn(atomic_va[KM_TYPE_NR - 1]),
		     page_to_pfn(atomic_pages[KM_TYPE_NR - 1]));

	/* Last in, first out. */
	wrong = 0;
	for (int i = KM_TYPE_NR - 1; i >= 0; i--) {
		wrong += kunmap_atomic(atomic_va[i]) != 0;
		wrong += kmap_atomic_depth() != i;
		wrong += preempt_count() != preempt0 + i;
		wrong += this_cpu()->pagefault_disabled != i;
	}
	KT_EXPECT_EQ(t, wrong, 0);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KT_EXPECT(t, !pagefault_disabled());
	KT_EXPECT_EQ(t, kmap_stats.single_flushes, single0 + 2 * KM_TYPE_NR);
	wrong = 0;
	for (int i = 0; i < KM_TYPE_NR; i++) {
		pmd_t *large;
		pte_t *pte = lookup_address((unsigned long)atomic_va[i], &large);

		wrong += !pte || pte_present(*pte);
	}
	KT_EXPECT_EQ(t, wrong, 0);

	/* A lowmem page: its direct-map address, no slot. */
	va = kmap_atomic(low);
	KT_EXPECT_EQ(t, (unsigned long)va, (unsigned long)page_address(low));
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KT_EXPECT_EQ(t, preempt_count(), preempt0 + 1);
	KT_EXPECT(t, pagefault_disabled());
	KT_EXPECT_EQ(t, kunmap_atomic(va), 0);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KT_EXPECT_EQ(t, kmap_stats.single_flushes, single0 + 2 * KM_TYPE_NR);
	KT_EXPECT_EQ(t, kmap_stats.bad_atomic, bad0 + 2);

	/* Nothing held: refused, and no count goes below zero. */
	KT_EXPECT_EQ(t, kunmap_atomic(va), -EINVAL);
	KT_EXPECT_EQ(t, kmap_stats.bad_atomic, bad0 + 3);
	KT_EXPECT_EQ(t, preempt_count(), preempt0);
	KT_EXPECT(t, !pagefault_disabled());
}

KTEST(highmem, kmap_atomic_nesting)
{
	unsigned long before = nr_free_pages(), flags;
	struct page *low;
	unsigned int got;

	NEED_HIGHMEM(t);
	got = alloc_highmem_pages(atomic_pages, KM_TYPE_NR + 1);
	if (got < KM_TYPE_NR + 1) {
		free_all(atomic_pages, got);
		kt_skip(t, "fewer than 17 free highmem pages");
	}
	low = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, low != NULL);
	/* A value per page, through kmap, to tell the nested mappings apart. */
	for (int i = 0; i < KM_TYPE_NR; i++) {
		void *va = kmap(atomic_pages[i]);

		KT_ASSERT(t, va != NULL);
		*word(va, 0) = 0x1000u + (unsigned int)i;
		KT_EXPECT_EQ(t, kunmap(atomic_pages[i]), 0);
	}

	local_irq_save(flags);
	atomic_nesting_irqs_off(t, low);
	/* Whatever the helper left, unwind it before interrupts come back. */
	while (kmap_atomic_depth() > 0 &&
	       kunmap_atomic(atomic_va[kmap_atomic_depth() - 1]) == 0)
		;
	local_irq_restore(flags);

	kmap_flush_unused();
	KT_EXPECT_EQ(t, __free_page(low), 0);
	KT_EXPECT_EQ(t, free_all(atomic_pages, KM_TYPE_NR + 1), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* ------------------------------------------------------------ waiting */

#define VICTIM		100
#define RELEASE_AFTER_MS	30

static int releaser_kunmap_ret;
static volatile bool releaser_done;

/* Another thread on this CPU: it runs once the kmap below has gone to
 * sleep, waits a little more, and releases one slot. */
static int release_one_slot(void *unused)
{
	msleep(RELEASE_AFTER_MS);
	releaser_kunmap_ret = kunmap(held[VICTIM]);
	releaser_done = true;
	return 0;
}

static int nop_thread(void *unused)
{
	return 0;
}

/*
 * Free pages before a test that makes a thread, comparable with
 * free_pages_after_threads(): one thread made and joined first, so the
 * slab caches have room for the test's, and vmalloc's lazy list (which
 * keeps each joined thread's stack area and its kmalloc'd descriptor
 * until a purge) purged.
 */
static unsigned long free_pages_before_threads(void)
{
	struct task_struct *th = kthread_run_on_cpu(nop_thread, NULL,
						    smp_processor_id(), "warm-up");

	if (th)
		kthread_join(th);
	vm_purge_lazy();
	return nr_free_pages();
}

static unsigned long free_pages_after_threads(void)
{
	vm_purge_lazy();
	return nr_free_pages();
}

KTEST(highmem, kmap_waits_for_a_free_slot)
{
	unsigned long before = free_pages_before_threads(), flags0, flags1, nvcsw;
	struct task_struct *releaser;
	unsigned int got, bad = 0;
	struct kmap_stats s0;
	struct page *extra;
	void *va;

	NEED_HIGHMEM(t);
	got = alloc_highmem_pages(held, LAST_PKMAP + 1);
	if (got < LAST_PKMAP + 1) {
		free_all(held, got);
		kt_skip(t, "fewer than 513 free highmem pages");
	}
	extra = held[LAST_PKMAP];
	kmap_flush_unused();
	KT_ASSERT_EQ(t, busy_slots(), 0);
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		held_va[i] = kmap(held[i]);
		bad += !in_pkmap(held_va[i]);
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, busy_slots(), LAST_PKMAP);

	releaser_kunmap_ret = 1;
	releaser_done = false;
	s0 = kmap_stats;
	nvcsw = current->nvcsw;
	releaser = kthread_run_on_cpu(release_one_slot, NULL, smp_processor_id(),
				      "kmap-releaser");
	KT_ASSERT(t, releaser != NULL);
	flags0 = native_save_fl();
	va = kmap(extra);
	flags1 = native_save_fl();
	/* kmap slept (a voluntary switch) until the releaser's kunmap. */
	KT_EXPECT(t, releaser_done);
	KT_EXPECT(t, current->nvcsw > nvcsw);
	KT_EXPECT_EQ(t, kthread_join(releaser), 0);

	KT_EXPECT_EQ(t, (unsigned long)va, (unsigned long)held_va[VICTIM]);
	KT_EXPECT_EQ(t, releaser_kunmap_ret, 0);
	KT_EXPECT_EQ(t, kmap_stats.kmap_waits, s0.kmap_waits + 1);
	/* The released slot was at 1: freed by one global flush. */
	KT_EXPECT_EQ(t, kmap_stats.global_flushes, s0.global_flushes + 1);
	KT_EXPECT_EQ(t, mapped_pfn(va), page_to_pfn(extra));
	KT_EXPECT(t, page_address_highmem(held[VICTIM]) == NULL);
	/* kmap returns with the interrupt flag as it found it. */
	KT_EXPECT_EQ(t, flags1 & X86_EFLAGS_IF, flags0 & X86_EFLAGS_IF);

	bad = 0;
	if (in_pkmap(va))
		bad += kunmap(extra) != 0;
	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		if (i != VICTIM || !releaser_done)
			bad += kunmap(held[i]) != 0;
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, busy_slots(), 0);

	kmap_flush_unused();
	KT_EXPECT_EQ(t, free_all(held, LAST_PKMAP + 1), 0);
	KT_EXPECT_EQ(t, free_pages_after_threads(), before);
}

/* ------------------------------------------------------------ preemption */

/*
 * Two threads on one CPU, each holding a kmap_atomic across more ticks
 * than a time slice: the tick asks for a switch every time, and only the
 * preemption kmap_atomic disables keeps the other thread off the CPU
 * until kunmap_atomic. Without it the second thread pushes its slot on
 * top of the first one's, and the first one's kunmap_atomic is refused.
 */
#define HOLD_TICKS	(SCHED_SLICE_TICKS + 1)
#define HOLD_ROUNDS	4

struct atomic_holder {
	struct page *page;
	unsigned int wrong;		/* kmap_atomic NULL, or the wrong page */
	unsigned int refused;		/* kunmap_atomic not 0 */
	unsigned int switched_holding;	/* preempted between map and unmap */
	unsigned int depth_after;	/* this CPU's slots in use at the end */
	int preempt_before, preempt_after;
	unsigned long preempted;	/* involuntary switches, all told */
};

static int hold_kmap_atomic(void *arg)
{
	struct atomic_holder *h = arg;
	unsigned int cpu = smp_processor_id();
	uint32_t pfn = (uint32_t)page_to_pfn(h->page);

	h->preempt_before = preempt_count();
	for (int round = 0; round < HOLD_ROUNDS; round++) {
		volatile uint32_t *w = kmap_atomic(h->page);
		unsigned long nivcsw = current->nivcsw, t0 = cpu_ticks(cpu);

		if (!w) {
			h->wrong++;
			continue;
		}
		while (cpu_ticks(cpu) - t0 < HOLD_TICKS) {
			h->wrong += w[0] != pfn;
			cpu_relax();
		}
		h->switched_holding += current->nivcsw != nivcsw;
		h->refused += kunmap_atomic((void *)w) != 0;
	}
	h->preempt_after = preempt_count();
	h->depth_after = (unsigned int)kmap_atomic_depth();
	h->preempted = current->nivcsw;
	return 0;
}

KTEST(highmem, kmap_atomic_holder_is_not_preempted)
{
	static struct atomic_holder h[2];
	struct task_struct *th[2];
	unsigned int cpu = smp_processor_id();
	unsigned long bad0 = kmap_stats.bad_atomic;
	struct page *pages[2];
	int preempt0 = preempt_count();

	NEED_HIGHMEM(t);
	KT_ASSERT_EQ(t, alloc_highmem_pages(pages, 2), 2);
	for (int i = 0; i < 2; i++) {
		uint32_t *w = kmap_atomic(pages[i]);

		KT_ASSERT(t, w != NULL);
		w[0] = (uint32_t)page_to_pfn(pages[i]);
		KT_EXPECT_EQ(t, kunmap_atomic(w), 0);
		memset(&h[i], 0, sizeof(h[i]));
		h[i].page = pages[i];
	}
	for (int i = 0; i < 2; i++)
		th[i] = kthread_run_on_cpu(hold_kmap_atomic, &h[i], cpu, "kmap-atomic-hold");
	for (int i = 0; i < 2; i++) {
		KT_ASSERT(t, th[i] != NULL);
		KT_EXPECT_EQ(t, kthread_join(th[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		pr_info("highmem: holder %d: %u wrong, %u refused, %u switches while holding, %lu involuntary switches\n",
			i, h[i].wrong, h[i].refused, h[i].switched_holding, h[i].preempted);
		KT_EXPECT_EQ(t, h[i].wrong, 0);
		KT_EXPECT_EQ(t, h[i].refused, 0);
		KT_EXPECT_EQ(t, h[i].switched_holding, 0);
		KT_EXPECT_EQ(t, h[i].depth_after, 0);
		KT_EXPECT_EQ(t, h[i].preempt_after, h[i].preempt_before);
	}
	/* The ticks did ask for switches: they came at the kunmap_atomic. */
	KT_EXPECT(t, h[0].preempted + h[1].preempted > 0);
	KT_EXPECT_EQ(t, kmap_stats.bad_atomic, bad0);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KT_EXPECT_EQ(t, preempt_count(), preempt0);
	KT_EXPECT_EQ(t, free_all(pages, 2), 0);
}

/* ------------------------------------------------------------ lowmem */

KTEST(highmem, lowmem_kmap_is_the_direct_map)
{
	unsigned long before = nr_free_pages();
	unsigned int last = last_pkmap_nr;
	struct kmap_stats s0 = kmap_stats;
	struct page *page;
	void *va;

	NEED_PAGE_ALLOC(t);
	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, page != NULL);
	KT_ASSERT(t, !PageHighMem(page));
	memcpy(count_snap, pkmap_count, sizeof(count_snap));

	va = kmap(page);
	KT_EXPECT(t, va != NULL);
	KT_EXPECT_EQ(t, (unsigned long)va, (unsigned long)page_address(page));
	*word(va, 0) = 0x12345678u;
	KT_EXPECT_EQ(t, *(volatile uint32_t *)page_address(page), 0x12345678u);
	KT_EXPECT_EQ(t, kunmap(page), 0);
	KT_EXPECT_EQ(t, kunmap(page), 0);	/* no count to go wrong */

	va = kmap_atomic(page);
	KT_EXPECT_EQ(t, (unsigned long)va, (unsigned long)page_address(page));
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KT_EXPECT_EQ(t, kunmap_atomic(va), 0);

	KT_EXPECT(t, memcmp(count_snap, pkmap_count, sizeof(count_snap)) == 0);
	KT_EXPECT_EQ(t, last_pkmap_nr, last);
	KT_EXPECT(t, memcmp(&s0, &kmap_stats, sizeof(s0)) == 0);
	KT_EXPECT_EQ(t, __free_page(page), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}
