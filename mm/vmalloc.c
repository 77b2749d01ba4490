/* SPDX-License-Identifier: MIT */
/*
 * vmalloc: virtually contiguous areas of page frames from anywhere
 * (ZONE_HIGHMEM first) between VMALLOC_START and VMALLOC_END, each
 * followed by an unmapped guard page (seed 001, Gorman ch. 8
 * "Non-Contiguous Memory Allocation"; names from Linux's mm/vmalloc.c).
 *
 * Where the seed keeps a linear vmlist, this keeps two O(log n) trees of
 * struct vmap_area (mm/vmap_tree.c): busy_tree, the live areas by address,
 * and free_tree, the free ranges with the free-space index. vfree and
 * find_vm_area find an area by its start in a hash (as highmem's
 * page_address hash); a new area goes on a pending list beside the hash
 * and enters busy_tree only when something needs the address order (a
 * lookup of an address inside an area, vmallocinfo, the tree's figures,
 * vmalloc_check), so an area freed before that never touches busy_tree.
 * A freed range
 * goes first to the lazy list: its PTEs are cleared and its pages freed at
 * once, but the TLB flush waits for a batch (__purge_vmap_area_lazy), and
 * only then does the range rejoin free_tree.
 *
 * ioremap maps physical frames by number (device registers, firmware
 * tables: no struct page needed) into areas of the same allocator.
 *
 * A thread's stack (vmalloc_stack) has, besides the guard page after it,
 * an unmapped gap below it inside its own range, so that an overflow, even
 * by a large stack frame, faults there instead of writing the area below.
 *
 * The page tables of the whole area are allocated by vmalloc_init
 * (pte_alloc_kernel, mm/pgtable.c) and installed in the kernel PMD
 * (swapper_pg_dir[3]), which every address space shares, so no
 * synchronisation is needed and no mapping path ever allocates one: 4 KiB
 * per 2 MiB of area (176 KiB for the default 88 MiB). vmalloc, vmap and
 * ioremap map their frames with the one mapper of kernel page ranges,
 * map_kernel_range_noflush (mm/pgtable.c): the PTEs are clear and their
 * range flushed (a range leaves the lazy list only flushed), so mapping
 * needs no flush.
 */
#define pr_fmt(fmt) "vmalloc: " fmt

#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/pgtrace.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmap_tree.h"

/*
 * One range of the vmalloc area: a live area (in the hash, and in
 * busy_tree or on the pending list; vm valid), a freed one awaiting its flush (on lazy_list), or a free range (in
 * free_tree, vm unused). Every node of both trees is one of these, from
 * kmalloc, and one allocation holds the node, the vm_struct and, for an
 * area of up to VA_INLINE_PAGES pages, its pages array (vm.pages points
 * at inline_pages); a larger area's array is a kmalloc of its own.
 * Nothing is zeroed: every field is written before it is read.
 */
struct vmap_area {
	struct vmap_node node;
	struct vm_struct vm;
	union {
		struct vmap_area *hash_next;	/* live: its hash chain */
		struct vmap_area *lazy_next;	/* freed: lazy_list */
	};
	/* Live and not yet in busy_tree: on va_pending (pend_pprev points
	 * at what points at it); NULL pend_pprev: in busy_tree. */
	struct vmap_area *pend_next, **pend_pprev;
	struct page *inline_pages[];
};

/* Up to a 512-byte object (kmalloc's size classes are powers of two). */
#define VA_INLINE_PAGES \
	((512 - sizeof(struct vmap_area)) / sizeof(struct page *))

struct vmalloc_stats vmalloc_stats;

/* Taken with interrupts enabled: a purge holds it while every CPU answers
 * the TLB shootdown (mm/tlb.c's rule), so vmalloc and vfree are not
 * for interrupt handlers. */
static DEFINE_SPINLOCK(vmap_area_lock);
static struct vmap_tree busy_tree, free_tree;
static struct vmap_area *lazy_list;
static bool vmalloc_ready;

/* The live areas by vm.addr (chained through hash_next), and those of
 * them not yet in busy_tree. Under vmap_area_lock. */
#define VA_HASH_BITS	11
static struct vmap_area *va_hash[1 << VA_HASH_BITS];
static struct vmap_area *va_pending;

static inline struct vmap_area **va_hash_head(const void *addr)
{
	uint32_t pfn = (uint32_t)((unsigned long)addr >> PAGE_SHIFT);

	return &va_hash[(pfn * 0x61C88647u) >> (32 - VA_HASH_BITS)];
}

/* Make va live: hashed, and pending for busy_tree. Lock held. */
static void va_link_live(struct vmap_area *va)
{
	struct vmap_area **head = va_hash_head(va->vm.addr);

	va->hash_next = *head;
	*head = va;
	va->pend_next = va_pending;
	if (va_pending)
		va_pending->pend_pprev = &va->pend_next;
	va->pend_pprev = &va_pending;
	va_pending = va;
}

/* The live area whose pages start at addr, and where the hash points at
 * it (*linkp), or NULL. Lock held. */
static struct vmap_area *va_hash_find(const void *addr, struct vmap_area ***linkp)
{
	struct vmap_area **link = va_hash_head(addr), *va;

	for (; (va = *link); link = &va->hash_next)
		if (va->vm.addr == addr)
			break;
	if (linkp)
		*linkp = link;
	return va;
}

/* Undo va_link_live; link is where the hash points at va. Lock held. */
static void va_unlink_live(struct vmap_area *va, struct vmap_area **link)
{
	*link = va->hash_next;
	if (va->pend_pprev) {
		*va->pend_pprev = va->pend_next;
		if (va->pend_next)
			va->pend_next->pend_pprev = va->pend_pprev;
	} else {
		vmap_tree_erase(&busy_tree, &va->node);
	}
}

/* Put the pending areas into busy_tree, for a lookup by address order.
 * Lock held. */
static void busy_tree_sync(void)
{
	struct vmap_area *va;

	while ((va = va_pending)) {
		va_pending = va->pend_next;
		va->pend_pprev = NULL;
		if (vmap_tree_insert(&busy_tree, &va->node))
			panic("vmalloc: area %#lx-%#lx overlaps a live one",
			      va->node.va_start, va->node.va_end);
	}
}

/*
 * Each CPU keeps one free vmap_area for the second node that splitting a
 * free range in two needs (an aligned allocation from inside a range);
 * it is replaced, outside the lock, only once it has been used, so an
 * allocation that splits nothing allocates no node for it (Linux's
 * ne_fit_preload_node). Under vmap_area_lock.
 */
static struct vmap_area *spare_va[NR_CPUS];

static inline struct vmap_area *to_va(struct vmap_node *n)
{
	return n ? container_of(n, struct vmap_area, node) : NULL;
}

/* A vmap_area with room for nr_inline pages in its own allocation. */
static struct vmap_area *va_alloc(unsigned int nr_inline)
{
	return kmalloc(sizeof(struct vmap_area) +
		       nr_inline * sizeof(struct page *), GFP_KERNEL);
}

static void va_free(struct vmap_area *va)
{
	if (va)
		kfree(va);
}

void vmalloc_init(void)
{
	struct vmap_area *va;

	vmap_tree_init_plain(&busy_tree, PAGE_SIZE);
	vmap_tree_init(&free_tree, PAGE_SIZE);
	va = va_alloc(0);
	if (!va)
		panic("vmalloc: no memory for the first free range");
	va->node.va_start = VMALLOC_START;
	va->node.va_end = VMALLOC_END;
	if (vmap_tree_insert(&free_tree, &va->node))
		panic("vmalloc: bad area %#lx-%#lx", VMALLOC_START, VMALLOC_END);
	for (unsigned long addr = VMALLOC_START; addr < VMALLOC_END; addr += PMD_SIZE) {
		pmd_t *pmd = pmd_off_k(addr);
		bool fresh = !pmd_present(*pmd);

		if (!pte_alloc_kernel(pmd, addr))
			panic("vmalloc: no memory for the page table at %#lx", addr);
		vmalloc_stats.pte_pages += fresh;
	}
	vmalloc_ready = true;
	pr_info("area %#lx-%#lx, %lu KiB, %lu page tables, lazy flush batch %lu KiB\n",
		VMALLOC_START, VMALLOC_END,
		(VMALLOC_END - VMALLOC_START) >> 10, vmalloc_stats.pte_pages,
		VMAP_LAZY_MAX >> 10);
}

/* ------------------------------------------------------------ areas */

/*
 * Flush the TLB once over the span of every lazy range, then give them all
 * back to free_tree (merging with their neighbours). Lock held.
 */
static void __purge_vmap_area_lazy(void)
{
	unsigned long start = ~0UL, end = 0;
	struct vmap_area *va, *next;
	struct vmap_node *rel[2], *hint = NULL;

	if (!lazy_list)
		return;
	for (va = lazy_list; va; va = va->lazy_next) {
		start = min(start, va->node.va_start);
		end = max(end, va->node.va_end);
	}
	flush_tlb_kernel_range(start, end);
	vmalloc_stats.purges++;
	paging_checkpoint_once("vmalloc_purge");

	for (va = lazy_list; va; va = next) {
		int n;

		next = va->lazy_next;
		n = vmap_free_insert_hint(&free_tree, &va->node, rel, &hint);
		if (n < 0)
			panic("vmalloc: lazy range %#lx-%#lx overlaps a free one",
			      va->node.va_start, va->node.va_end);
		for (int i = 0; i < n; i++)
			va_free(to_va(rel[i]));
		vmalloc_stats.purged_ranges++;
	}
	lazy_list = NULL;
	vmalloc_stats.lazy_bytes = 0;
}

void vm_purge_lazy(void)
{

	spin_lock(&vmap_area_lock);
	__purge_vmap_area_lazy();
	spin_unlock(&vmap_area_lock);
}

/*
 * Make va a new live area of size bytes (guard page included) at an align
 * boundary, its pages starting guard_below bytes in (vm.addr); the caller
 * has filled in every other field of va->vm, so the area is whole once
 * another CPU can find it. Purges the lazy ranges once when nothing fits.
 * 0, or -ENOMEM when out of space or memory (va untouched).
 */
static int alloc_vmap_area(struct vmap_area *va, unsigned long size,
			   unsigned long align, unsigned long guard_below)
{
	unsigned int cpu = smp_processor_id();
	struct vmap_area *preload = NULL, *rel = NULL;
	struct vmap_node *n, *spare;
	unsigned long addr;
	bool purged = false;

	if (!spare_va[cpu])
		preload = va_alloc(0);	/* may fail: needed only to split */
	spin_lock(&vmap_area_lock);
	if (!spare_va[cpu]) {
		spare_va[cpu] = preload;
		preload = NULL;
	}
	for (;;) {
		n = vmap_free_find(&free_tree, size, align, &addr);
		if (n || purged || !lazy_list)
			break;
		__purge_vmap_area_lazy();
		purged = true;
	}
	spare = spare_va[cpu] ? &spare_va[cpu]->node : NULL;
	if (!n || (!spare && addr != n->va_start && addr + size != n->va_end)) {
		spin_unlock(&vmap_area_lock);
		va_free(preload);
		pr_warn("no %s for %lu bytes (align %#lx), caller %p\n",
			n ? "memory" : "space", size, align, va->vm.caller);
		return -ENOMEM;
	}
	rel = to_va(vmap_free_carve(&free_tree, n, addr, size, &spare));
	if (!spare)
		spare_va[cpu] = NULL;		/* used */
	if (rel && !spare_va[cpu]) {		/* a range used up is a spare */
		spare_va[cpu] = rel;
		rel = NULL;
	}
	va->node.va_start = addr;
	va->node.va_end = addr + size;
	va->vm.addr = (void *)(addr + guard_below);
	va_link_live(va);
	vmalloc_stats.nr_areas++;
	spin_unlock(&vmap_area_lock);
	va_free(rel);
	va_free(preload);
	return 0;
}

/*
 * A new area's vmap_area with room for its array of nr pages (inline when
 * small, else a kmalloc'd array in vm.pages), its vm_struct filled in but
 * for vm.addr, which alloc_vmap_area sets. NULL when out of memory.
 */
static struct vmap_area *new_vmap_area(unsigned int nr, unsigned long vm_size,
				       unsigned long flags, const void *caller)
{
	bool inline_pages = nr <= VA_INLINE_PAGES;
	struct vmap_area *va = va_alloc(inline_pages ? nr : 0);

	if (!va)
		return NULL;
	va->vm.pages = NULL;
	if (nr && (flags & (VM_ALLOC | VM_MAP))) {
		va->vm.pages = inline_pages ? va->inline_pages
					    : kmalloc(nr * sizeof(struct page *), GFP_KERNEL);
		if (!va->vm.pages) {
			va_free(va);
			return NULL;
		}
	}
	va->vm.size = vm_size;
	va->vm.guard_below = 0;
	va->vm.flags = flags;
	va->vm.nr_pages = nr;
	va->vm.phys_addr = 0;
	va->vm.caller = caller;
	return va;
}

/* Undo new_vmap_area for an area that never went live. */
static void put_vmap_area(struct vmap_area *va)
{
	if (va->vm.pages != va->inline_pages)
		kfree(va->vm.pages);
	va_free(va);
}

static void free_page_array(struct page **pages, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		__free_page(pages[i]);
}

/*
 * Take down the live area starting at addr if its flags include want, in
 * one hold of the lock: unlink it, clear its PTEs, free its pages
 * (VM_ALLOC; before it goes on the lazy list, where a purge may free the
 * vmap_area and its inline array), and put it on the lazy list; purge
 * when the list has grown past VMAP_LAZY_MAX. Misuse (not an area start,
 * freed twice, the wrong kind) is reported and counted, and changes
 * nothing: -EINVAL.
 */
static int remove_vmap_area(const void *addr, unsigned long want,
			    const char *who)
{
	struct page **own_array = NULL;
	struct vmap_area *va, **link;

	spin_lock(&vmap_area_lock);
	va = va_hash_find(addr, &link);
	if (!va || !(va->vm.flags & want)) {
		vmalloc_stats.bad_frees++;
		spin_unlock(&vmap_area_lock);
		if (va)
			pr_err("%s(%p): the area was not made by %s; ignored\n",
			       who, addr, want == VM_ALLOC ? "vmalloc" :
			       want == VM_IOREMAP ? "ioremap" : "vmap");
		else
			pr_err("%s(%p): not the start of a live area (double free?); ignored\n",
			       who, addr);
		return -EINVAL;
	}
	va_unlink_live(va, link);
	vmalloc_stats.nr_areas--;
	unmap_kernel_range_noflush((unsigned long)va->vm.addr,
				   get_vm_area_size(&va->vm) >> PAGE_SHIFT);
	if (want == VM_ALLOC)
		free_page_array(va->vm.pages, va->vm.nr_pages);
	if (va->vm.pages != va->inline_pages)
		own_array = va->vm.pages;
	va->lazy_next = lazy_list;
	lazy_list = va;
	vmalloc_stats.lazy_bytes += vmap_node_size(&va->node);
	if (vmalloc_stats.lazy_bytes > VMAP_LAZY_MAX)
		__purge_vmap_area_lazy();
	spin_unlock(&vmap_area_lock);
	kfree(own_array);
	return 0;
}

/* ------------------------------------------------------------ vmalloc */

/*
 * The one allocation path: size bytes of pages (gfp) mapped at an align
 * boundary, followed by the guard page every area has and, for a stack,
 * preceded by guard_below bytes that stay unmapped too (the area's node
 * covers them; vm.addr is where the pages start).
 */
static __always_inline void *
vmalloc_pages(unsigned long size, unsigned long align, pgprot_t prot,
	      unsigned long vm_flags, unsigned long guard_below, gfp_t gfp,
	      const void *caller)
{
	unsigned long area_max = VMALLOC_END - VMALLOC_START - PAGE_SIZE;
	struct vmap_area *va;
	unsigned int nr, i;

	if (!vmalloc_ready || !size || size > area_max ||
	    guard_below > area_max - size || (align & (align - 1)) ||
	    !IS_ALIGNED(guard_below, PAGE_SIZE)) {
		vmalloc_stats.failed++;
		pr_warn("refused: size %lu, align %#lx, caller %p\n", size,
			align, caller);
		return NULL;
	}
	size = PAGE_ALIGN(size);
	align = max_t(unsigned long, align, PAGE_SIZE);
	nr = size >> PAGE_SHIFT;

	va = new_vmap_area(nr, size + PAGE_SIZE, VM_ALLOC | (vm_flags & ~VM_MAP),
			   caller);
	if (!va)
		goto fail;
	va->vm.guard_below = guard_below;
	for (i = 0; i < nr; i++) {
		va->vm.pages[i] = alloc_page(gfp);
		if (!va->vm.pages[i]) {
			free_page_array(va->vm.pages, i);
			put_vmap_area(va);
			goto fail;
		}
	}
	if (alloc_vmap_area(va, guard_below + size + PAGE_SIZE, align, guard_below)) {
		free_page_array(va->vm.pages, nr);
		put_vmap_area(va);
		goto fail;
	}
	map_kernel_range_noflush((unsigned long)va->vm.addr, nr, va->vm.pages, 0, prot);
	return va->vm.addr;
fail:
	vmalloc_stats.failed++;
	pr_warn("out of memory for %lu bytes, caller %p\n", size, caller);
	return NULL;
}

void *__vmalloc(unsigned long size, unsigned long align, pgprot_t prot,
		unsigned long vm_flags, const void *caller)
{
	return vmalloc_pages(size, align, prot, vm_flags & ~VM_STACK, 0, GFP_HIGHUSER, caller);
}

void *vmalloc_stack(unsigned long size, unsigned long guard_below)
{
	return vmalloc_pages(size, PAGE_SIZE, PAGE_KERNEL, VM_STACK, guard_below,
			     GFP_KERNEL, __builtin_return_address(0));
}

/* Made with its constants inlined: the common call is checked and sized
 * for a page alignment only. */
void *vmalloc(unsigned long size)
{
	return vmalloc_pages(size, PAGE_SIZE, PAGE_KERNEL, 0, 0, GFP_HIGHUSER,
			     __builtin_return_address(0));
}

/* The pages may be highmem: zero them through the new mapping. */
void *vzalloc(unsigned long size)
{
	void *p = __vmalloc(size, PAGE_SIZE, PAGE_KERNEL, 0,
			    __builtin_return_address(0));

	if (p)
		memset(p, 0, PAGE_ALIGN(size));
	return p;
}

int vfree(const void *addr)
{
	if (!addr)
		return 0;
	return remove_vmap_area(addr, VM_ALLOC, "vfree");
}

/* ------------------------------------------------------------ vmap */

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot)
{
	const void *caller = __builtin_return_address(0);
	unsigned long area_max = (VMALLOC_END - VMALLOC_START) >> PAGE_SHIFT;
	struct vmap_area *va;

	if (!vmalloc_ready || !pages || !count || count >= area_max) {
		vmalloc_stats.failed++;
		pr_warn("vmap refused: %u pages, caller %p\n", count, caller);
		return NULL;
	}
	/* The area keeps its own copy of the array: the caller's may go. */
	va = new_vmap_area(count, ((unsigned long)count + 1) << PAGE_SHIFT,
			   VM_MAP | (flags & ~VM_ALLOC), caller);
	if (!va)
		goto fail;
	memcpy(va->vm.pages, pages, count * sizeof(*pages));
	if (alloc_vmap_area(va, ((unsigned long)count + 1) << PAGE_SHIFT,
			    PAGE_SIZE, 0)) {
		put_vmap_area(va);
		goto fail;
	}
	map_kernel_range_noflush(va->node.va_start, count, va->vm.pages, 0, prot);
	return va->vm.addr;
fail:
	vmalloc_stats.failed++;
	return NULL;
}

/* The pages stay allocated: they belong to the caller of vmap. */
int vunmap(const void *addr)
{
	if (!addr)
		return 0;
	return remove_vmap_area(addr, VM_MAP, "vunmap");
}

/* ------------------------------------------------------------ ioremap */

/* One past the highest physical address the CPU can map (kernel/cpu.c). */
static uint64_t phys_addr_limit(void)
{
	return 1ULL << boot_cpu_data.x86_phys_bits;
}

/*
 * The frames are given by number, not by struct page: device registers
 * and firmware tables may lie outside mem_map. The area owns nothing.
 */
static void *__ioremap(uint64_t phys, unsigned long size, pgprot_t prot,
		       const void *caller)
{
	unsigned long area_max = (VMALLOC_END - VMALLOC_START) >> PAGE_SHIFT;
	uint64_t last = phys + size - 1;
	unsigned long first_pfn, nr, offset = (unsigned long)(phys & ~PAGE_MASK);
	struct vmap_area *va;

	if (!vmalloc_ready || !size || last < phys || last >= phys_addr_limit() ||
	    (last >> PAGE_SHIFT) - (phys >> PAGE_SHIFT) + 1 >= area_max) {
		vmalloc_stats.failed++;
		pr_err("ioremap refused: phys %#llx, size %lu, caller %p\n",
		       phys, size, caller);
		return NULL;
	}
	first_pfn = (unsigned long)(phys >> PAGE_SHIFT);
	nr = (unsigned long)((last >> PAGE_SHIFT) - first_pfn + 1);
	va = new_vmap_area(nr, (nr + 1) << PAGE_SHIFT, VM_IOREMAP, caller);
	if (!va) {
		vmalloc_stats.failed++;
		return NULL;
	}
	va->vm.phys_addr = phys & ~(uint64_t)(PAGE_SIZE - 1);
	if (alloc_vmap_area(va, (nr + 1) << PAGE_SHIFT, PAGE_SIZE, 0)) {
		put_vmap_area(va);
		vmalloc_stats.failed++;
		return NULL;
	}
	map_kernel_range_noflush(va->node.va_start, nr, NULL, first_pfn, prot);
	return (void *)(va->node.va_start + offset);
}

void *ioremap(uint64_t phys, unsigned long size)
{
	return __ioremap(phys, size, PAGE_KERNEL_NOCACHE,
			 __builtin_return_address(0));
}

void *ioremap_cache(uint64_t phys, unsigned long size)
{
	return __ioremap(phys, size, PAGE_KERNEL, __builtin_return_address(0));
}

void *ioremap_wc(uint64_t phys, unsigned long size)
{
	return __ioremap(phys, size,
			 pat_enabled() ? PAGE_KERNEL_WC : PAGE_KERNEL_NOCACHE,
			 __builtin_return_address(0));
}

void iounmap(const void *addr)
{
	if (!addr)
		return;
	remove_vmap_area((const void *)((unsigned long)addr & PAGE_MASK),
			 VM_IOREMAP, "iounmap");
}

/* ------------------------------------------------------------ lookup */

struct page *vmalloc_to_page(const void *addr)
{
	unsigned long va = (unsigned long)addr;
	pmd_t *large;
	pte_t *pte;

	if (!vmalloc_ready || va < VMALLOC_START || va >= VMALLOC_END)
		return NULL;
	pte = lookup_address(va, &large);
	if (!pte || !pte_present(*pte) || pte_pfn(*pte) >= max_pfn)
		return NULL;
	return pfn_to_page(pte_pfn(*pte));
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va;

	if (!vmalloc_ready)
		return NULL;
	spin_lock(&vmap_area_lock);
	va = va_hash_find(addr, NULL);
	spin_unlock(&vmap_area_lock);
	return va ? &va->vm : NULL;
}

const struct vm_struct *vmalloc_area_of(unsigned long addr)
{
	struct vmap_area *va;

	if (!vmalloc_ready)
		return NULL;
	/* The page-fault report asks with interrupts off, perhaps from under
	 * the lock: it gets no answer rather than a deadlock. */
	if (irqs_disabled()) {
		if (!raw_spin_trylock(&vmap_area_lock))
			return NULL;
		busy_tree_sync();
		va = to_va(vmap_tree_find_containing(&busy_tree, addr));
		raw_spin_unlock(&vmap_area_lock);
	} else {
		spin_lock(&vmap_area_lock);
		busy_tree_sync();
		va = to_va(vmap_tree_find_containing(&busy_tree, addr));
		spin_unlock(&vmap_area_lock);
	}
	return va ? &va->vm : NULL;
}

/* The new rights, then one flush of the range (the frames stay). */
int vmalloc_set_prot(const void *addr, unsigned long size, pgprot_t prot)
{
	unsigned long start = (unsigned long)addr, end = start + size;
	const struct vm_struct *area = vmalloc_area_of(start);

	if (!area || !size || start < (unsigned long)area->addr ||
	    !IS_ALIGNED(start, PAGE_SIZE) ||
	    !IS_ALIGNED(size, PAGE_SIZE) || end < start ||
	    end > (unsigned long)area->addr + get_vm_area_size(area)) {
		pr_err("set_prot(%p, %lu): not pages of one live area\n", addr,
		       size);
		return -EINVAL;
	}
	change_kernel_range_prot_noflush(start, size >> PAGE_SHIFT, prot);
	flush_tlb_kernel_range(start, end);
	return 0;
}

/* ------------------------------------------------------------ reports */

int vmalloc_for_each_area(int (*fn)(const struct vm_struct *area, void *arg),
			  void *arg)
{
	int ret = 0;

	if (!vmalloc_ready)
		return 0;
	spin_lock(&vmap_area_lock);
	busy_tree_sync();
	for (struct vmap_node *n = vmap_tree_first(&busy_tree); n && !ret;
	     n = vmap_tree_next(&busy_tree, n))
		ret = fn(&to_va(n)->vm, arg);
	spin_unlock(&vmap_area_lock);
	return ret;
}

/* One line of /proc/vmallocinfo (Linux's mm/vmalloc.c s_show), the
 * caller as an address: this kernel has no symbol table. */
static int show_area(const struct vm_struct *a, void *arg)
{
	printf_fn out = (printf_fn)arg;
	unsigned long start = (unsigned long)a->addr;

	if (a->flags & VM_IOREMAP) {
		out("0x%08lx-0x%08lx %7lu 0x%08lx phys=0x%llx ioremap\n",
		    start, start + a->size, a->size, (unsigned long)a->caller,
		    a->phys_addr);
		return 0;
	}
	out("0x%08lx-0x%08lx %7lu 0x%08lx pages=%u%s%s%s%s\n", start,
	    start + a->size, a->size, (unsigned long)a->caller, a->nr_pages,
	    (a->flags & VM_ALLOC) ? " vmalloc" : "",
	    (a->flags & VM_MAP) ? " vmap" : "",
	    (a->flags & VM_MODULE) ? " module" : "",
	    (a->flags & VM_STACK) ? " stack" : "");
	return 0;
}

void vmallocinfo_show(printf_fn out)
{
	vmalloc_for_each_area(show_area, (void *)out);
}

/* "vmallocinfo" on the command line: the dump at the end of the boot. */
static bool vmallocinfo_wanted;
__setup_flag("vmallocinfo", vmallocinfo_wanted);

void vmallocinfo_boot_dump(void)
{
	if (!vmallocinfo_wanted)
		return;
	pr_info("vmallocinfo:\n");
	vmallocinfo_show(printk);
}

unsigned long vmalloc_largest_free(void)
{
	unsigned long max = 0;

	if (!vmalloc_ready)
		return 0;
	spin_lock(&vmap_area_lock);
	if (free_tree.root)
		max = free_tree.root->subtree_max_size;
	spin_unlock(&vmap_area_lock);
	return max;
}

/* busy_tree's figures are those of every live area in it. */
int vmalloc_tree_height(bool free)
{
	int h;

	if (free)
		return vmap_tree_height(&free_tree);
	spin_lock(&vmap_area_lock);
	busy_tree_sync();
	h = vmap_tree_height(&busy_tree);
	spin_unlock(&vmap_area_lock);
	return h;
}

unsigned long vmalloc_tree_nodes(bool free)
{
	unsigned long nr;

	if (free)
		return free_tree.nr;
	spin_lock(&vmap_area_lock);
	busy_tree_sync();
	nr = busy_tree.nr;
	spin_unlock(&vmap_area_lock);
	return nr;
}

int vmalloc_check(void)
{
	unsigned long total = 0, lazy = 0, nr_lazy = 0, nr_hashed = 0;
	struct vmap_area *va;
	int err;

	spin_lock(&vmap_area_lock);
	busy_tree_sync();
	err = vmap_tree_check(&busy_tree);
	if (!err)
		err = vmap_tree_check(&free_tree);
	for (struct vmap_node *n = vmap_tree_first(&busy_tree); n && !err;
	     n = vmap_tree_next(&busy_tree, n)) {
		total += vmap_node_size(n);
		if (n->va_start < VMALLOC_START || n->va_end > VMALLOC_END ||
		    vmap_tree_find_containing(&free_tree, n->va_start) ||
		    vmap_tree_find_containing(&free_tree, n->va_end - PAGE_SIZE))
			err = -10;
	}
	for (struct vmap_node *n = vmap_tree_first(&free_tree); n && !err;
	     n = vmap_tree_next(&free_tree, n)) {
		total += vmap_node_size(n);
		if (n->va_start < VMALLOC_START || n->va_end > VMALLOC_END)
			err = -11;
	}
	for (va = lazy_list; va && !err; va = va->lazy_next) {
		unsigned long s = va->node.va_start, e = va->node.va_end;

		total += e - s;
		lazy += e - s;
		nr_lazy++;
		if (vmap_tree_find_containing(&busy_tree, s) ||
		    vmap_tree_find_containing(&busy_tree, e - PAGE_SIZE) ||
		    vmap_tree_find_containing(&free_tree, s) ||
		    vmap_tree_find_containing(&free_tree, e - PAGE_SIZE))
			err = -12;
	}
	if (!err && lazy != vmalloc_stats.lazy_bytes)
		err = -13;
	if (!err && busy_tree.nr != vmalloc_stats.nr_areas)
		err = -14;
	/* The hash holds exactly the areas of busy_tree, each in its own
	 * chain. */
	for (unsigned int b = 0; b < ARRAY_SIZE(va_hash) && !err; b++)
		for (va = va_hash[b]; va && !err; va = va->hash_next) {
			nr_hashed++;
			if (va_hash_head(va->vm.addr) != &va_hash[b] ||
			    va->pend_pprev ||
			    vmap_tree_find(&busy_tree, va->node.va_start) != &va->node)
				err = -16;
		}
	if (!err && nr_hashed != vmalloc_stats.nr_areas)
		err = -16;
	/* Disjoint (free/busy, and each within itself) and summing to the
	 * whole: the ranges tile the area. Lazy ranges are disjoint from
	 * the trees by their ends; the sum catches an overlap inside. */
	if (!err && total != VMALLOC_END - VMALLOC_START)
		err = -15;
	spin_unlock(&vmap_area_lock);
	(void)nr_lazy;
	return err;
}
