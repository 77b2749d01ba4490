/* SPDX-License-Identifier: MIT */
/*
 * High memory mappings: kmap()/kunmap() through the PKMap area, whose
 * freed slots are flushed lazily, all at once, when the round-robin scan
 * wraps (flush_all_zero_pkmaps); kmap_atomic() through per-CPU fixmap
 * slots, flushed one page at a time (seed 003 §10.1; Gorman ch. 10
 * "High Memory Management"; names as in Linux's mm/highmem.c).
 */
#define pr_fmt(fmt) "highmem: " fmt

#include "asm/fixmap.h"
#include "asm/memlayout.h"
#include "asm/percpu.h"
#include "asm/pgtable.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/testhooks.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/pgtrace.h"

pte_t *pkmap_page_table;
int pkmap_count[LAST_PKMAP];
unsigned int last_pkmap_nr;
struct kmap_stats kmap_stats;
bool pkmap_eager_flush;

/*
 * kmap_lock is taken with interrupts enabled, as in Linux: its holder may
 * wait for every CPU to answer the TLB shootdown of flush_all_zero_pkmaps,
 * and a CPU spinning for it must still take that IPI. kmap and kunmap are
 * therefore not for interrupt handlers (kmap_atomic is).
 */
static DEFINE_SPINLOCK(kmap_lock);

/* Where kmap sleeps when every slot is busy; kunmap wakes it when a
 * slot's count drops to 1. pkmap_waiters counts the sleepers (under
 * kmap_lock), so that kunmap tests a variable instead of calling
 * waitqueue_active. */
static DECLARE_WAIT_QUEUE_HEAD(pkmap_map_wait);
static unsigned int pkmap_waiters;

/* The PTE of FIX_KMAP_BEGIN: slot idx's is kmap_atomic_pte - idx, the
 * fixmap growing down within one page table (as Linux's kmap_pte). */
static pte_t *kmap_atomic_pte;
/* pfn_pte(0, PAGE_KERNEL): a kmap or kmap_atomic slot's PTE is this
 * with the frame or'ed in. */
static uint64_t kmap_prot;

/* ------------------------------------------------- page_address_htable */

/*
 * Which highmem page each busy slot maps: the page of slot i is
 * pkmap_page[i]; a small hash from page to slot answers page_address()
 * without a scan (Linux's page_address_htable).
 */
#define PA_HASH_ORDER	9
#define PA_HASH_SIZE	(1 << PA_HASH_ORDER)

static struct page *pkmap_page[LAST_PKMAP];
static int16_t pkmap_hash_next[LAST_PKMAP];	/* chain, -1 ends it */
static int16_t pkmap_hash_head[PA_HASH_SIZE];

/* Consecutive frames take consecutive buckets: a page's address over
 * the size of struct page, without the subtraction of page_to_pfn. */
static unsigned int pa_hash(const struct page *page)
{
	return ((unsigned long)page / sizeof(struct page)) & (PA_HASH_SIZE - 1);
}

/* The slot mapping page, whose hash is h, or -1. */
static inline int pkmap_lookup_hash(const struct page *page, unsigned int h)
{
	for (int nr = pkmap_hash_head[h]; nr >= 0; nr = pkmap_hash_next[nr])
		if (pkmap_page[nr] == page)
			return nr;
	return -1;
}

static int pkmap_lookup(const struct page *page)
{
	return pkmap_lookup_hash(page, pa_hash(page));
}

static void pkmap_hash_add(int nr, struct page *page, unsigned int h)
{
	pkmap_page[nr] = page;
	pkmap_hash_next[nr] = pkmap_hash_head[h];
	pkmap_hash_head[h] = (int16_t)nr;
}

static void pkmap_hash_del(int nr)
{
	int16_t *link = &pkmap_hash_head[pa_hash(pkmap_page[nr])];

	while (*link != nr)
		link = &pkmap_hash_next[*link];
	*link = pkmap_hash_next[nr];
	pkmap_page[nr] = NULL;
}

void *page_address_highmem(const struct page *page)
{
	int nr;

	spin_lock(&kmap_lock);
	nr = pkmap_lookup(page);
	spin_unlock(&kmap_lock);
	return nr < 0 ? NULL : (void *)PKMAP_ADDR(nr);
}

/* ------------------------------------------------------------ set-up */

void __init permanent_kmaps_init(void)
{
	pkmap_page_table = one_page_table_init(PKMAP_BASE);
	kmap_atomic_pte = fixmap_pte(FIX_KMAP_BEGIN);
	kmap_prot = pfn_pte(0, PAGE_KERNEL).pte;
	for (int i = 0; i < PA_HASH_SIZE; i++)
		pkmap_hash_head[i] = -1;
}

/* ------------------------------------------------------------ kmap */

/* Forget slot nr's mapping: count 0, PTE clear, page unhashed. */
static void pkmap_clear_slot(int nr)
{
	pkmap_count[nr] = 0;
	pte_clear(PKMAP_ADDR(nr), &pkmap_page_table[nr]);
	pkmap_hash_del(nr);
}

/*
 * flush_all_zero_pkmaps: every slot with count 1 (unused, maybe still in
 * a TLB) becomes free, and one flush of the whole range makes that true
 * for every TLB: "a global flush is required for all CPUs when the global
 * page tables are modified and is extremely expensive" (seed 003).
 */
static void flush_all_zero_pkmaps(void)
{
	bool flushed = false;

	kmap_stats.pkmap_wraps++;
	/* Most slots go at once: the hash is rebuilt from the slots that
	 * stay busy rather than unlinked slot by slot. */
	memset(pkmap_hash_head, 0xff, sizeof(pkmap_hash_head));	/* all -1 */
	for (int i = 0; i < LAST_PKMAP; i++) {
		struct page *page = pkmap_page[i];

		if (pkmap_count[i] != 1) {
			if (page)
				pkmap_hash_add(i, page, pa_hash(page));
			continue;
		}
		pkmap_count[i] = 0;
		pte_clear(PKMAP_ADDR(i), &pkmap_page_table[i]);
		pkmap_page[i] = NULL;
		flushed = true;
	}
	if (flushed) {
		flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP));
		kmap_stats.global_flushes++;
		paging_checkpoint_once("pkmap_wrap");
	}
}

void kmap_flush_unused(void)
{
	spin_lock(&kmap_lock);
	flush_all_zero_pkmaps();
	spin_unlock(&kmap_lock);
}

/*
 * Every slot is in use: sleep on pkmap_map_wait until a kunmap frees one.
 * The state is set before the lock is dropped, so a kunmap in between
 * wakes us instead of being missed. Called and returns with the lock held.
 */
static void pkmap_wait_for_slot(void)
{
	DEFINE_WAIT(wait);

	kmap_stats.kmap_waits++;
	pkmap_waiters++;
	prepare_to_wait(&pkmap_map_wait, &wait, TASK_UNINTERRUPTIBLE);
	spin_unlock(&kmap_lock);
	schedule();
	finish_wait(&pkmap_map_wait, &wait);
	spin_lock(&kmap_lock);
	pkmap_waiters--;
}

/* Finds a free slot round-robin from last_pkmap_nr and maps page, whose
 * hash is h, there; returns the slot. Lock held. */
static int map_new_virtual(struct page *page, unsigned int h)
{
	unsigned int count;
	pte_t pte;
	int nr;

start:
	count = LAST_PKMAP;
	for (;;) {
		last_pkmap_nr = (last_pkmap_nr + 1) & LAST_PKMAP_MASK;
		if (!last_pkmap_nr) {
			flush_all_zero_pkmaps();
			count = LAST_PKMAP;
		}
		if (!pkmap_count[last_pkmap_nr])
			break;
		if (--count)
			continue;
		pkmap_wait_for_slot();
		/* Someone may have mapped the page while we waited. */
		nr = pkmap_lookup_hash(page, h);
		if (nr >= 0)
			return nr;
		goto start;
	}
	nr = (int)last_pkmap_nr;
	pte.pte = kmap_prot | (uint64_t)page_to_pfn(page) << PAGE_SHIFT;
	__builtin_assume(pte.pte != 0);		/* present: no clear */
	set_pte_at(PKMAP_ADDR(nr), &pkmap_page_table[nr], pte);
	pkmap_count[nr] = 1;
	pkmap_hash_add(nr, page, h);
	return nr;
}

void __regparm *kmap_high(struct page *page)
{
	unsigned int h = pa_hash(page);
	int nr;

	spin_lock(&kmap_lock);
	nr = pkmap_lookup_hash(page, h);
	if (unlikely(nr < 0))
		nr = map_new_virtual(page, h);
	if (++pkmap_count[nr] < 2)
		panic("kmap_high: pkmap_count[%d] is %d after a map", nr,
		      pkmap_count[nr]);
	spin_unlock(&kmap_lock);
	return (void *)PKMAP_ADDR(nr);
}

/* The out-of-line kmap and kunmap, for modules (kernel code has the
 * inline ones of highmem.h; the parentheses keep the macros out). */
void *(kmap)(struct page *page)
{
	return kmap(page);
}

int __regparm kunmap_high(struct page *page)
{
	int nr, ret = 0;

	spin_lock(&kmap_lock);
	nr = pkmap_lookup(page);
	if (nr < 0) {
		kmap_stats.bad_kunmaps++;
		pr_err("kunmap of pfn 0x%lx, which is not kmapped\n",
		       page_to_pfn(page));
		ret = -EINVAL;
		goto out;
	}
	switch (--pkmap_count[nr]) {
	case 0:
		/* Count 1 meant "no users": this kunmap has no kmap. */
		pkmap_count[nr] = 1;
		kmap_stats.bad_kunmaps++;
		pr_err("BUG: kunmap of pfn 0x%lx without a kmap (slot %d had no users)\n",
		       page_to_pfn(page), nr);
		ret = -EINVAL;
		break;
	case 1:
		if (pkmap_eager_flush) {
			/* The baseline: flush on every last kunmap. On SMP
			 * this is a shootdown on every CPU, so it counts as
			 * a global flush. */
			pkmap_clear_slot(nr);
			flush_tlb_kernel_range(PKMAP_ADDR(nr), PKMAP_ADDR(nr) + PAGE_SIZE);
			kmap_stats.global_flushes++;
		}
		if (unlikely(pkmap_waiters))
			wake_up(&pkmap_map_wait);
		break;
	}
out:
	spin_unlock(&kmap_lock);
	return ret;
}

int (kunmap)(struct page *page)
{
	return kunmap(page);
}

/* ------------------------------------------------------------ kmap_atomic */

/* This CPU's nesting depth: per_cpu(cpu)->kmap_atomic_idx. */
int kmap_atomic_depth(void)
{
	return this_cpu()->kmap_atomic_idx;
}

static enum fixed_addresses kmap_atomic_slot(int cpu, int depth)
{
	return FIX_KMAP_BEGIN + KM_TYPE_NR * cpu + depth;
}

/* kmap_atomic beyond KM_TYPE_NR levels: reported, nothing held. */
static void *kmap_atomic_too_deep(void)
{
	unsigned int cpu = smp_processor_id();

	__atomic_fetch_add(&kmap_stats.bad_atomic, 1, __ATOMIC_RELAXED);
	pagefault_enable();
	preempt_enable();
	pr_err("kmap_atomic: nesting deeper than %d on CPU %u\n", KM_TYPE_NR, cpu);
	return NULL;
}

/*
 * As in Linux, kmap_atomic disables preemption and page-fault handling
 * until kunmap_atomic, for lowmem pages too: the slots are a per-CPU
 * stack, and a thread preempted while holding one would let the next
 * thread on this CPU push its slot on top and break the nesting order.
 * Interrupts stay on, as in Linux's kmap_local: an interrupt handler may
 * map too, but its mappings are strictly nested and gone before it
 * returns, so it leaves the stack as it found it; the level is claimed
 * before its PTE is written, and given up after it is cleared, so a
 * handler never reuses a slot in use. The slot's PTE is kmap_atomic_pte
 * minus its index, no lookup.
 */
void __regparm *kmap_atomic(struct page *page)
{
	struct percpu *pc = this_cpu();
	unsigned long vaddr;
	int depth, slot;
	pte_t pte;

	pc->preempt_count++;
	pc->pagefault_disabled++;
	barrier();
	if (!PageHighMem(page))
		return page_address(page);
	depth = pc->kmap_atomic_idx;
	if (unlikely(depth >= KM_TYPE_NR))
		return kmap_atomic_too_deep();
	pc->kmap_atomic_idx = depth + 1;
	barrier();
	slot = KM_TYPE_NR * pc->cpu_number + depth;
	vaddr = __fix_to_virt(FIX_KMAP_BEGIN + slot);
	pte.pte = kmap_prot | (uint64_t)page_to_pfn(page) << PAGE_SHIFT;
	__builtin_assume(pte.pte != 0);		/* present: no clear */
	set_pte_at(vaddr, kmap_atomic_pte - slot, pte);
	/* The slot was cleared and flushed on unmap; flush again so no
	 * translation from a path that bypassed kunmap_atomic survives. */
	flush_tlb_one_kernel(vaddr);
	__atomic_fetch_add(&kmap_stats.single_flushes, 1, __ATOMIC_RELAXED);
	return (void *)vaddr;
}

/* kunmap_atomic of va, which is not this CPU's innermost slot. */
static int kunmap_atomic_not_innermost(unsigned long va, int depth)
{
	unsigned int cpu = smp_processor_id();
	unsigned long inner = depth ? __fix_to_virt(kmap_atomic_slot(cpu, depth - 1)) : 0;

	__atomic_fetch_add(&kmap_stats.bad_atomic, 1, __ATOMIC_RELAXED);
	pr_err("kunmap_atomic(0x%08lx) on CPU %u: the innermost mapping is %s0x%08lx\n",
	       va, cpu, depth ? "" : "none, not ", inner);
	return -EINVAL;
}

int __regparm kunmap_atomic(void *vaddr)
{
	unsigned long va = (unsigned long)vaddr & PAGE_MASK;
	struct percpu *pc = this_cpu();
	int depth, slot;

	if (unlikely(!pc->pagefault_disabled)) {
		__atomic_fetch_add(&kmap_stats.bad_atomic, 1, __ATOMIC_RELAXED);
		pr_err("kunmap_atomic(0x%08lx) on CPU %u without a kmap_atomic\n",
		       va, smp_processor_id());
		return -EINVAL;
	}
	/* Lowmem pages were never given a slot. */
	if (va < __fix_to_virt(FIX_KMAP_END) || va > __fix_to_virt(FIX_KMAP_BEGIN))
		goto out;
	depth = pc->kmap_atomic_idx;
	slot = KM_TYPE_NR * pc->cpu_number + depth - 1;
	if (unlikely(depth == 0 || va != __fix_to_virt(FIX_KMAP_BEGIN + slot)))
		return kunmap_atomic_not_innermost(va, depth);
	pte_clear(va, kmap_atomic_pte - slot);
	flush_tlb_one_kernel(va);
	__atomic_fetch_add(&kmap_stats.single_flushes, 1, __ATOMIC_RELAXED);
	barrier();
	pc->kmap_atomic_idx = depth - 1;
out:
	pagefault_enable();
	preempt_enable();
	return 0;
}

/*
 * The slots this CPU's kmap_atomic stack holds, cleared and flushed, the
 * stack emptied: for make_task_dead, when the holder is gone for good
 * (outside interrupt handlers, whose slots are released before they
 * return). Returns how many there were.
 */
int kmap_atomic_drop_all(void)
{
	unsigned long flags;
	int cpu, depth;

	local_irq_save(flags);
	cpu = smp_processor_id();
	depth = per_cpu(cpu)->kmap_atomic_idx;
	for (int d = 0; d < depth; d++) {
		enum fixed_addresses idx = kmap_atomic_slot(cpu, d);

		pte_clear(__fix_to_virt(idx), fixmap_pte(idx));
		flush_tlb_one_kernel(__fix_to_virt(idx));
	}
	per_cpu(cpu)->kmap_atomic_idx = 0;
	local_irq_restore(flags);
	return depth;
}

/* ------------------------------------------------------------ reporting */

/* Every busy pkmap slot, one line each (the emulator oracles compare). */
void pkmap_show(void)
{
	spin_lock(&kmap_lock);
	for (int i = 0; i < LAST_PKMAP; i++) {
		if (!pkmap_count[i])
			continue;
		pr_info("pkmap: slot %d 0x%08lx -> 0x%llx count %d\n", i,
			PKMAP_ADDR(i), page_to_phys(pkmap_page[i]),
			pkmap_count[i]);
	}
	spin_unlock(&kmap_lock);
}

void pkmap_snapshot(struct pkmap_snapshot *snap)
{
	spin_lock(&kmap_lock);
	for (int i = 0; i < LAST_PKMAP; i++) {
		snap->count[i] = pkmap_count[i];
		snap->pfn[i] = pkmap_page[i] ? page_to_pfn(pkmap_page[i]) : 0;
	}
	snap->last_pkmap_nr = last_pkmap_nr;
	snap->stats = kmap_stats;
	spin_unlock(&kmap_lock);
}

/* ------------------------------------------------------------ checkpoint */

/*
 * While the kernel pauses for the harness (ktest.pause), a few live
 * mappings for the emulator to check: three kmap()ed highmem pages and one
 * kmap_atomic(), printed with every mapped fixmap slot.
 */
static struct page *checkpoint_page[4];
static void *checkpoint_atomic;

void highmem_checkpoint_begin(void)
{
	for (int i = 0; i < 4; i++) {
		struct page *page = alloc_page(GFP_HIGHUSER);

		if (page && !PageHighMem(page)) {
			__free_page(page);
			page = NULL;
		}
		checkpoint_page[i] = page;
		if (page && i < 3)
			kmap(page);
	}
	if (checkpoint_page[3])
		checkpoint_atomic = kmap_atomic(checkpoint_page[3]);
	pkmap_show();
	fixmap_show();
}

void highmem_checkpoint_end(void)
{
	if (checkpoint_atomic)
		kunmap_atomic(checkpoint_atomic);
	checkpoint_atomic = NULL;
	for (int i = 0; i < 4; i++) {
		if (!checkpoint_page[i])
			continue;
		if (i < 3)
			kunmap(checkpoint_page[i]);
		__free_page(checkpoint_page[i]);
		checkpoint_page[i] = NULL;
	}
	kmap_flush_unused();
}
