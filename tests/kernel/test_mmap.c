/* SPDX-License-Identifier: MIT */
/*
 * Process address spaces from the kernel's side (mm/mmap.c, mm/memory.c,
 * mm/mm_struct.c): a test thread adopts an mm (kthread_use_mm) and
 * touches its user addresses, so every kernel-mode fault below TASK_SIZE
 * goes through do_user_addr_fault as a process's would. The verdicts are
 * counts: free pages, page tables, VMAs, copies, and what a second CPU
 * reads after a change made on the first.
 */
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/fs.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "kernel/testhooks.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mmap.h"
#include "mm/pgtrace.h"
#include "mm/slab.h"

#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)
#define BASE		0x10000000UL	/* where the fixed mappings go */

/* Everything the address spaces hold, to compare with a baseline. */
struct mm_snap {
	unsigned long free;		/* free pages + kmalloc's pages */
	struct mm_user_stats st;
};

static void snap(struct mm_snap *s)
{
	s->free = nr_free_pages() + kmalloc_slab_pages();
	mm_user_get_stats(&s->st);
}

static void snap_equal(struct ktest *t, const struct mm_snap *a, const struct mm_snap *b)
{
	KT_EXPECT_EQ(t, a->free, b->free);
	KT_EXPECT_EQ(t, a->st.nr_mms, b->st.nr_mms);
	KT_EXPECT_EQ(t, a->st.nr_vmas, b->st.nr_vmas);
	KT_EXPECT_EQ(t, a->st.nr_pte_pages, b->st.nr_pte_pages);
	KT_EXPECT_EQ(t, a->st.nr_pmd_pages, b->st.nr_pmd_pages);
	KT_EXPECT_EQ(t, a->st.anon_pages, b->st.anon_pages);
}

/* The PTE of addr in mm (0 when no page table), and its PMD entry. */
static uint64_t pte_of(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = pmd_offset(pgd_offset_pgd(mm->pgd, addr), addr);
	pte_t *pte;
	uint64_t v;

	if (!pmd_present(*pmd))
		return 0;
	pte = pte_offset_map(pmd, addr);
	v = pte->pte;
	pte_unmap(pte);
	return v;
}

static unsigned long pte_table_pfn(struct mm_struct *mm, unsigned long addr)
{
	return (unsigned long)(pmd_pfn_phys(*pmd_offset(pgd_offset_pgd(mm->pgd, addr), addr)) >>
			       PAGE_SHIFT);
}

/* The word at addr as mm's page holds it, read through kmap_atomic. */
static uint32_t peek(struct mm_struct *mm, unsigned long addr)
{
	uint64_t pte = pte_of(mm, addr);
	uint32_t *p, v;

	if (!(pte & _PAGE_PRESENT))
		return 0xdeadbeef;
	p = kmap_atomic(pfn_to_page((unsigned long)((pte & PTE_PFN_MASK) >> PAGE_SHIFT)));
	v = p[(addr & ~PAGE_MASK) / 4];
	kunmap_atomic(p);
	return v;
}

static volatile uint32_t *uptr(unsigned long addr)
{
	return (volatile uint32_t *)addr;
}

/* A fresh mm in use by this thread, or NULL. */
static struct mm_struct *use_new_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	if (mm)
		kthread_use_mm(mm);
	return mm;
}

static void done_mm(struct mm_struct *mm)
{
	kthread_unuse_mm(mm);
	mmput(mm);
}

KTEST(mm_user, empty_mm_is_three_pmds_and_the_kernel_pmd)
{
	struct mm_snap a, b;
	struct mm_struct *mm;

	snap(&a);
	mm = mm_alloc();
	KT_ASSERT(t, mm != NULL);
	KT_EXPECT_EQ(t, (unsigned long)mm->pgd & 31, 0);
	KT_EXPECT_EQ(t, mm->pgd[3].pgd, swapper_pg_dir[3].pgd);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(t, pgd_present(mm->pgd[i]));
	snap(&b);
	KT_EXPECT_EQ(t, b.st.nr_mms, a.st.nr_mms + 1);
	KT_EXPECT_EQ(t, b.st.nr_pmd_pages, a.st.nr_pmd_pages + 3);
	mmput(mm);
	snap(&b);
	snap_equal(t, &a, &b);
}

KTEST(mm_user, demand_paging_allocates_exactly_what_is_touched)
{
	struct mm_struct *mm = use_new_mm();
	struct mm_user_stats s0, s1;
	unsigned long addr, free0;

	KT_ASSERT(t, mm != NULL);
	addr = do_mmap(mm, NULL, 0, 64 * PAGE_SIZE, RW, ANON, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(addr));
	mm_user_get_stats(&s0);
	free0 = nr_free_pages();
	for (int i = 0; i < 5; i++)
		*uptr(addr + i * 7 * PAGE_SIZE) = 0x1000 + i;	/* within one PTE page */
	mm_user_get_stats(&s1);
	/* Five pages and the page table (the range stays in one 2 MiB). */
	if ((addr >> PMD_SHIFT) == ((addr + 35 * PAGE_SIZE) >> PMD_SHIFT)) {
		KT_EXPECT_EQ(t, free0 - nr_free_pages(), 5 + 1);
		KT_EXPECT_EQ(t, s1.nr_pte_pages - s0.nr_pte_pages, 1);
	}
	KT_EXPECT_EQ(t, s1.anon_pages - s0.anon_pages, 5);
	KT_EXPECT_EQ(t, mm->rss, 5);
	free0 = nr_free_pages();
	for (int i = 0; i < 5; i++)
		KT_EXPECT_EQ(t, *uptr(addr + i * 7 * PAGE_SIZE), 0x1000 + i);
	KT_EXPECT_EQ(t, nr_free_pages(), free0);
	KT_EXPECT_EQ(t, pte_of(mm, addr + PAGE_SIZE), 0);	/* untouched: none */
	KT_EXPECT_EQ(t, *uptr(addr + PAGE_SIZE), 0);		/* a zeroed page */
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	done_mm(mm);
}

KTEST(mm_user, highmem_first_and_highpte_where_asked)
{
	struct mm_struct *mm = use_new_mm();
	unsigned long addr, pfn;
	bool highmem = max_pfn > max_low_pfn;

	KT_ASSERT(t, mm != NULL);
	addr = do_mmap(mm, NULL, 0, PAGE_SIZE, RW, ANON, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(addr));
	*uptr(addr) = 1;
	pfn = (unsigned long)((pte_of(mm, addr) & PTE_PFN_MASK) >> PAGE_SHIFT);
	if (highmem)
		KT_EXPECT(t, pfn >= max_low_pfn);
	pfn = pte_table_pfn(mm, addr);
	if (!highpte_enabled)
		KT_EXPECT(t, pfn < max_low_pfn);
	else if (highmem)
		KT_EXPECT(t, pfn >= max_low_pfn);
	done_mm(mm);
	if (!highmem)
		kt_skip(t, "no highmem: every page is lowmem");
}

KTEST(mm_user, cow_after_dup_mm_copies_one_page)
{
	struct mm_struct *mm = use_new_mm(), *child;
	struct mm_user_stats s0, s1;
	unsigned long addr, free0;

	KT_ASSERT(t, mm != NULL);
	addr = do_mmap(mm, NULL, 0, 4 * PAGE_SIZE, RW, ANON, 0);
	for (int i = 0; i < 4; i++)
		*uptr(addr + i * PAGE_SIZE) = 0x1111 + i;
	child = dup_mm(mm);
	KT_ASSERT(t, child != NULL);
	/* Shared, read-only in both, until a write. */
	for (int i = 0; i < 4; i++) {
		unsigned long a = addr + i * PAGE_SIZE;

		KT_EXPECT_EQ(t, pte_of(mm, a) & PTE_PFN_MASK, pte_of(child, a) & PTE_PFN_MASK);
		KT_EXPECT_EQ(t, pte_of(mm, a) & _PAGE_RW, 0);
		KT_EXPECT_EQ(t, pte_of(child, a) & _PAGE_RW, 0);
	}
	mm_user_get_stats(&s0);
	free0 = nr_free_pages();
	*uptr(addr) = 0x2222;
	mm_user_get_stats(&s1);
	KT_EXPECT_EQ(t, free0 - nr_free_pages(), 1);
	KT_EXPECT_EQ(t, s1.cow_copies - s0.cow_copies, 1);
	KT_EXPECT_EQ(t, peek(child, addr), 0x1111);
	KT_EXPECT_EQ(t, *uptr(addr), 0x2222);
	KT_EXPECT_EQ(t, *uptr(addr + PAGE_SIZE), 0x1112);
	/* The child's page is now its own: a write makes it writable, no copy. */
	kthread_unuse_mm(mm);
	kthread_use_mm(child);
	free0 = nr_free_pages();
	*uptr(addr) = 0x3333;
	mm_user_get_stats(&s0);
	KT_EXPECT_EQ(t, nr_free_pages(), free0);
	KT_EXPECT_EQ(t, s0.cow_copies, s1.cow_copies);
	KT_EXPECT_EQ(t, peek(mm, addr), 0x2222);
	done_mm(child);
	mmput(mm);
}

/* The cost of a demand fault and of a copy on write, for the record (in
 * TSC cycles: instructions when QEMU runs with -icount shift=0); the
 * verdicts are the counts. */
KTEST(mm_user, fault_costs_reported)
{
	const unsigned int n = 256;
	struct mm_struct *mm = use_new_mm(), *child;
	struct mm_user_stats s0, s1;
	uint64_t t0, t1, t2;
	unsigned long addr;

	KT_ASSERT(t, mm != NULL);
	addr = do_mmap(mm, NULL, 0, n * PAGE_SIZE, RW, ANON, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(addr));
	mm_user_get_stats(&s0);
	t0 = rdtsc();
	for (unsigned int i = 0; i < n; i++)
		*uptr(addr + i * PAGE_SIZE) = i;
	t1 = rdtsc();
	child = dup_mm(mm);
	KT_ASSERT(t, child != NULL);
	t2 = rdtsc();
	for (unsigned int i = 0; i < n; i++)
		*uptr(addr + i * PAGE_SIZE) = i + 1;
	t2 = rdtsc() - t2;
	mm_user_get_stats(&s1);
	KT_EXPECT_EQ(t, s1.faults - s0.faults, 2 * n);
	KT_EXPECT_EQ(t, s1.cow_copies - s0.cow_copies, n);
	pr_info("mm_user: %u demand faults: %llu TSC cycles each; %u copies on write: %llu each\n",
		n, (unsigned long long)((t1 - t0) / n), n, (unsigned long long)(t2 / n));
	mmput(child);
	done_mm(mm);
}

#define DUP_ROUNDS	1000

KTEST(mm_user, dup_mm_rounds_back_to_the_exact_baseline)
{
	struct mm_struct *mm = use_new_mm(), *child;
	struct mm_snap a, b;
	unsigned long addr;

	KT_ASSERT(t, mm != NULL);
	addr = do_mmap(mm, NULL, 0, 8 * PAGE_SIZE, RW, ANON, 0);
	KT_ASSERT(t, do_mmap(mm, NULL, 0x08000000, 4 * PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, 0) == 0x08000000);
	for (int i = 0; i < 8; i++)
		*uptr(addr + i * PAGE_SIZE) = i;
	(void)*uptr(0x08000000);
	kthread_unuse_mm(mm);
	snap(&a);
	for (int r = 0; r < DUP_ROUNDS && !t->failed; r++) {
		child = dup_mm(mm);
		KT_ASSERT(t, child != NULL);
		kthread_use_mm(child);
		*uptr(addr + (r % 8) * PAGE_SIZE) = r;
		KT_EXPECT_EQ(t, *uptr(0x08000000), 0);
		kthread_unuse_mm(child);
		mmput(child);
	}
	snap(&b);
	snap_equal(t, &a, &b);
	KT_EXPECT_EQ(t, peek(mm, addr + 3 * PAGE_SIZE), 3);
	mmput(mm);
}

/* The VMAs of mm as "start-end flags;..." for exact comparisons. */
static const char *vmas(struct mm_struct *mm, char *buf, size_t size)
{
	struct vm_area_struct *vma;
	size_t n = 0;

	buf[0] = '\0';
	list_for_each_entry(vma, &mm->mmap, vm_list)
		n += scnprintf(buf + n, size - n, "%lx-%lx %lx;", vma->vm_start >> PAGE_SHIFT,
			       vma->vm_end >> PAGE_SHIFT, vma->vm_flags & 7);
	return buf;
}

KTEST(mm_user, munmap_and_mprotect_split_and_merge)
{
	struct mm_struct *mm = use_new_mm();
	char buf[256];

	KT_ASSERT(t, mm != NULL);
	KT_ASSERT(t, do_mmap(mm, NULL, BASE, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0) == BASE);
	KT_ASSERT(t, do_mmap(mm, NULL, BASE + 4 * PAGE_SIZE, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0) ==
		     BASE + 4 * PAGE_SIZE);
	KT_EXPECT_STREQ(t, vmas(mm, buf, sizeof(buf)), "10000-10008 3;");	/* merged */
	*uptr(BASE + 3 * PAGE_SIZE) = 0x55;
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);
	KT_EXPECT_STREQ(t, vmas(mm, buf, sizeof(buf)), "10000-10002 3;10002-10004 1;10004-10008 3;");
	KT_EXPECT_EQ(t, *uptr(BASE + 3 * PAGE_SIZE), 0x55);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)(BASE + 3 * PAGE_SIZE), 1), -EFAULT);
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE + 3 * PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	uint32_t v;
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)(BASE + 3 * PAGE_SIZE)), -EFAULT);
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE, 8 * PAGE_SIZE, RW), 0);
	KT_EXPECT_STREQ(t, vmas(mm, buf, sizeof(buf)), "10000-10008 3;");	/* merged back */
	KT_EXPECT_EQ(t, *uptr(BASE + 3 * PAGE_SIZE), 0x55);	/* kept under PROT_NONE */
	KT_EXPECT_EQ(t, do_munmap(mm, BASE + 3 * PAGE_SIZE, PAGE_SIZE), 0);
	KT_EXPECT_STREQ(t, vmas(mm, buf, sizeof(buf)), "10000-10003 3;10004-10008 3;");
	KT_EXPECT_EQ(t, mm->rss, 0);
	KT_EXPECT_EQ(t, mm->nr_ptes, 0);	/* the emptied page table went too */
	/* Linux's errors. */
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE, 8 * PAGE_SIZE, PROT_READ), -ENOMEM);	/* hole */
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE, PAGE_SIZE, 0x40), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, BASE, 0), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, BASE + 5, PAGE_SIZE), -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, NULL, 0, 0, RW, ANON, 0), -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, NULL, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, 0), -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, NULL, BASE + 1, PAGE_SIZE, RW, ANON | MAP_FIXED, 0), -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, NULL, BASE, PAGE_SIZE, RW, ANON | MAP_FIXED_NOREPLACE, 0), -EEXIST);
	KT_EXPECT_STREQ(t, vmas(mm, buf, sizeof(buf)), "10000-10003 3;10004-10008 3;");
	KT_EXPECT_EQ(t, do_munmap(mm, BASE, 8 * PAGE_SIZE), 0);
	KT_EXPECT_STREQ(t, vmas(mm, buf, sizeof(buf)), "");
	done_mm(mm);
}

KTEST(mm_user, find_vma_among_thousands)
{
	struct mm_struct *mm = mm_alloc();
	const unsigned long n = 3000;
	struct vm_area_struct *vma;
	bool ok = true;

	KT_ASSERT(t, mm != NULL);
	/* One page each with a hole between: none merge. */
	for (unsigned long i = 0; i < n && ok; i++)
		ok = do_mmap(mm, NULL, BASE + i * 2 * PAGE_SIZE, PAGE_SIZE, RW,
			     ANON | MAP_FIXED, 0) == BASE + i * 2 * PAGE_SIZE;
	KT_EXPECT(t, ok);
	KT_EXPECT_EQ(t, mm->map_count, n);
	KT_EXPECT_EQ(t, vmap_tree_check(&mm->mm_rb), 0);
	/* AVL: height at most 1.44 log2(n + 2). */
	KT_EXPECT(t, vmap_tree_height(&mm->mm_rb) <= 17);
	for (unsigned long i = 0; i < n && ok; i++) {
		vma = find_vma(mm, BASE + i * 2 * PAGE_SIZE + PAGE_SIZE);	/* in a hole */
		ok = (i + 1 == n) ? vma == NULL : vma && vma->vm_start == BASE + (i + 1) * 2 * PAGE_SIZE;
		vma = find_vma(mm, BASE + i * 2 * PAGE_SIZE + 5);
		ok = ok && vma && vma->vm_start == BASE + i * 2 * PAGE_SIZE;
	}
	KT_EXPECT(t, ok);
	KT_EXPECT(t, find_vma(mm, 0)->vm_start == BASE);
	/* Filling the holes merges everything into one VMA. */
	for (unsigned long i = 0; i + 1 < n; i++)
		do_mmap(mm, NULL, BASE + (i * 2 + 1) * PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_EXPECT_EQ(t, vmap_tree_check(&mm->mm_rb), 0);
	mmput(mm);
}

KTEST(mm_user, get_unmapped_area_top_down_below_the_stack)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long a, b;

	KT_ASSERT(t, mm != NULL);
	a = do_mmap(mm, NULL, 0, 3 * PAGE_SIZE, RW, ANON, 0);
	b = do_mmap(mm, NULL, 0, PAGE_SIZE, PROT_READ, ANON, 0);
	KT_EXPECT_EQ(t, a, TASK_UNMAPPED_BASE - 3 * PAGE_SIZE);
	KT_EXPECT_EQ(t, b, a - PAGE_SIZE);
	/* A hint that is free is taken; one that is not is not. */
	KT_EXPECT_EQ(t, do_mmap(mm, NULL, BASE, PAGE_SIZE, RW, ANON, 0), BASE);
	KT_EXPECT_NE(t, do_mmap(mm, NULL, BASE, PAGE_SIZE, PROT_READ, ANON, 0), BASE);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, NULL, 0, TASK_SIZE, RW, ANON, 0), -ENOMEM);
	mmput(mm);
}

KTEST(mm_user, brk_grows_shrinks_and_stops_at_a_mapping)
{
	struct mm_struct *mm = use_new_mm();
	const unsigned long start = 0x08100000;
	unsigned long free0;
	char buf[512];

	KT_ASSERT(t, mm != NULL);
	mm->start_brk = mm->brk = start;
	KT_EXPECT_EQ(t, do_brk(mm, start + 3 * PAGE_SIZE + 5), start + 3 * PAGE_SIZE + 5);
	*uptr(start + 3 * PAGE_SIZE) = 7;
	KT_EXPECT_EQ(t, do_brk(mm, start - 1), start + 3 * PAGE_SIZE + 5);	/* below: refused */
	KT_ASSERT(t, do_mmap(mm, NULL, start + 16 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
			     ANON | MAP_FIXED, 0) == start + 16 * PAGE_SIZE);
	/* Up to a page below the mapping, no further. */
	KT_EXPECT_EQ(t, do_brk(mm, start + 16 * PAGE_SIZE), start + 3 * PAGE_SIZE + 5);
	KT_EXPECT_EQ(t, do_brk(mm, start + 15 * PAGE_SIZE), start + 15 * PAGE_SIZE);
	mm_format_maps(mm, buf, sizeof(buf));
	KT_EXPECT_STREQ(t, buf,
			"08100000-0810f000 rw-p 00000000 00:00 0          [heap]\n"
			"08110000-08111000 r--p 00000000 00:00 0 \n");
	free0 = nr_free_pages();
	KT_EXPECT_EQ(t, do_brk(mm, start), start);
	KT_EXPECT_EQ(t, nr_free_pages() - free0, 2);	/* the page and its table */
	KT_EXPECT_EQ(t, mm->map_count, 1);
	done_mm(mm);
}

KTEST(mm_user, stack_grows_down_within_its_limit)
{
	struct mm_struct *mm = use_new_mm();
	struct vm_area_struct *vma;
	uint32_t v;

	KT_ASSERT(t, mm != NULL);
	KT_ASSERT(t, do_mmap(mm, NULL, STACK_TOP - PAGE_SIZE, PAGE_SIZE, RW,
			     ANON | MAP_FIXED | MAP_GROWSDOWN, 0) == STACK_TOP - PAGE_SIZE);
	*uptr(STACK_TOP - 5 * PAGE_SIZE + 8) = 1;
	vma = find_vma(mm, STACK_TOP - 1);
	KT_EXPECT_EQ(t, vma->vm_start, STACK_TOP - 5 * PAGE_SIZE);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)(STACK_TOP - STACK_LIMIT), 2), 0);
	KT_EXPECT_EQ(t, vma->vm_start, STACK_TOP - STACK_LIMIT);
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)(STACK_TOP - STACK_LIMIT - 4)), -EFAULT);
	KT_EXPECT_EQ(t, vma->vm_start, STACK_TOP - STACK_LIMIT);
	KT_EXPECT_EQ(t, mm->stack_vm, STACK_LIMIT >> PAGE_SHIFT);
	/* PROT_GROWSDOWN reaches down to the stack's start (glibc's
	 * executable stacks); on another VMA it is refused. */
	KT_EXPECT_EQ(t, do_mprotect(mm, STACK_TOP - PAGE_SIZE, PAGE_SIZE,
				    RW | PROT_EXEC | PROT_GROWSDOWN), 0);
	KT_EXPECT_EQ(t, vma->vm_flags & VM_EXEC, VM_EXEC);
	KT_EXPECT_EQ(t, vma->vm_start, STACK_TOP - STACK_LIMIT);
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_ASSERT(t, do_mmap(mm, NULL, BASE, PAGE_SIZE, RW, ANON | MAP_FIXED, 0) == BASE);
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	KT_EXPECT_EQ(t, do_mprotect(mm, BASE, PAGE_SIZE, PROT_READ | PROT_GROWSUP), -EINVAL);
	done_mm(mm);
}

KTEST(mm_user, faults_outside_every_vma_or_its_rights_are_refused)
{
	struct mm_struct *mm = use_new_mm();
	unsigned long free0, faults0 = last_fixup_fault.count;
	uint32_t v;

	KT_ASSERT(t, mm != NULL);
	KT_ASSERT(t, do_mmap(mm, NULL, BASE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, 0) == BASE);
	free0 = nr_free_pages();
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)(BASE + PAGE_SIZE)), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.address, BASE + PAGE_SIZE);
	KT_EXPECT_EQ(t, probe_write_u32((uint32_t *)BASE, 1), -EFAULT);
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)0x1000), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.count - faults0, 3);
	KT_EXPECT_EQ(t, nr_free_pages(), free0);
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)BASE), 0);	/* allowed: a page */
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	done_mm(mm);
}

/* fs/read_write.c: a regular file of the in-memory file system. */
extern const struct file_operations ramfs_file_fops;

KTEST(mm_user, private_file_mapping_copies_the_file)
{
	static char data[5000];
	struct inode inode = { .i_ino = 42, .i_mode = S_IFREG | 0444, .i_size = sizeof(data),
			       .i_data = data, .i_name = "f" };
	struct inode dir = { .i_mode = S_IFDIR | 0555 };
	struct file f = { .f_inode = &inode, .f_op = &ramfs_file_fops, .f_flags = O_RDONLY,
			  .f_count = 1 };
	struct file fd = { .f_inode = &dir, .f_flags = O_RDONLY, .f_count = 1 };
	struct mm_struct *mm = use_new_mm();
	unsigned long a;

	KT_ASSERT(t, mm != NULL);
	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7);
	a = do_mmap(mm, &f, 0, 2 * PAGE_SIZE, RW, MAP_PRIVATE, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a));
	KT_EXPECT_EQ(t, f.f_count, 2);
	KT_EXPECT_EQ(t, *(volatile char *)(a + 4999), (char)(4999 * 7));
	KT_EXPECT_EQ(t, *(volatile char *)(a + 5000), 0);	/* past the end: zero */
	*(volatile char *)(a + 1) = 99;
	KT_EXPECT_EQ(t, data[1], 7);				/* private */
	KT_EXPECT_EQ(t, (long)do_mmap(mm, &f, 0, PAGE_SIZE, RW, MAP_SHARED, 0), -EACCES);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, &fd, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 0), -ENODEV);
	a = do_mmap(mm, &f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 1);
	KT_ASSERT(t, !IS_ERR_VALUE(a));
	KT_EXPECT_EQ(t, *(volatile char *)(a + 1), (char)((PAGE_SIZE + 1) * 7));
	KT_EXPECT_EQ(t, do_mprotect(mm, a, PAGE_SIZE, RW), -EACCES);
	done_mm(mm);
	KT_EXPECT_EQ(t, f.f_count, 1);
}

KTEST(mm_user, segfault_report_in_the_spec_format)
{
	static const char motd[] = "hello\n";
	struct inode root = { .i_mode = S_IFDIR | 0555 };
	struct inode etc = { .i_mode = S_IFDIR | 0555, .i_parent = &root, .i_name = "etc" };
	struct inode file = { .i_ino = 7, .i_mode = S_IFREG | 0444, .i_size = sizeof(motd) - 1,
			      .i_data = motd, .i_parent = &etc, .i_name = "motd" };
	struct file f = { .f_inode = &file, .f_flags = O_RDONLY, .f_count = 1 };
	struct pt_regs regs = { .eip = 0x08048123, .esp = 0xbffff000 };
	struct mm_struct *mm = mm_alloc();
	unsigned long fa;
	char buf[256];

	KT_ASSERT(t, mm != NULL);
	mm->start_brk = mm->brk = 0x08100000;
	KT_ASSERT(t, do_brk(mm, 0x08102000) == 0x08102000);
	KT_ASSERT(t, do_mmap(mm, NULL, BASE, PAGE_SIZE, RW, ANON | MAP_FIXED, 0) == BASE);
	fa = do_mmap(mm, &f, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(fa));
	segfault_report(buf, sizeof(buf), "hello", 7, &regs, mm, 0x08100010,
			X86_PF_USER | X86_PF_WRITE | X86_PF_PROT);
	KT_EXPECT_STREQ(t, buf, "hello[7]: segfault at 08100010 ip 08048123 sp bffff000 error 7 "
			"(user write, protection violation) in [heap][08100000+2000]");
	segfault_report(buf, sizeof(buf), "hello", 7, &regs, mm, BASE + 4, X86_PF_USER);
	KT_EXPECT_STREQ(t, buf, "hello[7]: segfault at 10000004 ip 08048123 sp bffff000 error 4 "
			"(user read, not present) in [anon][10000000+1000]");
	segfault_report(buf, sizeof(buf), "hello", 7, &regs, mm, 0xc1000000,
			X86_PF_USER | X86_PF_WRITE);
	KT_EXPECT_STREQ(t, buf, "hello[7]: segfault at c1000000 ip 08048123 sp bffff000 error 6 "
			"(user write, not present) (no VMA)");
	segfault_report(buf, sizeof(buf), "sh", 12, &regs, mm, fa + 8,
			X86_PF_USER | X86_PF_INSTR | X86_PF_PROT | X86_PF_RSVD);
	KT_EXPECT(t, strstr(buf, "error 1d (user instruction fetch, protection violation, "
			    "reserved bit) in /etc/motd[") != NULL);
	mmput(mm);
	KT_EXPECT_EQ(t, f.f_count, 1);
}

KTEST(mm_user, access_remote_vm_reads_and_writes_an_mm_not_loaded)
{
	struct mm_struct *mm = mm_alloc(), *child;
	char buf[8] = "abcdefg", back[8] = { 0 };
	unsigned long a = BASE + PAGE_SIZE - 3;

	KT_ASSERT(t, mm != NULL);
	KT_ASSERT(t, do_mmap(mm, NULL, BASE, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0) == BASE);
	KT_ASSERT(t, do_mmap(mm, NULL, BASE + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
			     ANON | MAP_FIXED, 0) == BASE + 4 * PAGE_SIZE);
	KT_EXPECT_EQ(t, access_remote_vm(mm, a, buf, 8, FOLL_WRITE), 8);	/* across a page */
	KT_EXPECT_EQ(t, access_remote_vm(mm, a, back, 8, 0), 8);
	KT_EXPECT_STREQ(t, back, "abcdefg");
	KT_EXPECT_EQ(t, mm->rss, 2);
	/* Copy on write into a child; the parent keeps its bytes. */
	child = dup_mm(mm);
	KT_ASSERT(t, child != NULL);
	KT_EXPECT_EQ(t, access_remote_vm(child, a, "ABCDEFG", 8, FOLL_WRITE), 8);
	KT_EXPECT_EQ(t, access_remote_vm(mm, a, back, 8, 0), 8);
	KT_EXPECT_STREQ(t, back, "abcdefg");
	KT_EXPECT_EQ(t, access_remote_vm(child, a, back, 8, 0), 8);
	KT_EXPECT_STREQ(t, back, "ABCDEFG");
	/* Refused: read-only, no VMA (up to where it stops). */
	KT_EXPECT_EQ(t, access_remote_vm(mm, BASE + 4 * PAGE_SIZE, buf, 8, FOLL_WRITE), 0);
	KT_EXPECT_EQ(t, access_remote_vm(mm, BASE + 4 * PAGE_SIZE, back, 8, 0), 8);
	KT_EXPECT_EQ(t, access_remote_vm(mm, BASE + 2 * PAGE_SIZE - 4, back, 8, 0), 4);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	mmput(child);
	mmput(mm);
}

/*
 * A paging checkpoint taken while this thread runs in a user address
 * space (with trace=paging; the row x64-q35-1G-smp2-trace-mm): the VMAs
 * and the page count printed before it, tests/pagecheck.py compares them
 * with the emulator's walk of the loaded PDPT: every user page inside a
 * listed VMA, with U set, writable and executable only where the VMA is,
 * as many as the kernel says. Without the trace only the counts here.
 */
KTEST(mm_user, checkpoint_in_a_user_address_space)
{
	struct mm_struct *mm = use_new_mm();
	uint32_t v;

	KT_ASSERT(t, mm != NULL);
	do_mmap(mm, NULL, BASE, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
	do_mmap(mm, NULL, BASE + 8 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, 0);
	do_mmap(mm, NULL, BASE + 16 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_EXEC, ANON | MAP_FIXED, 0);
	do_mmap(mm, NULL, BASE + 24 * PAGE_SIZE, PAGE_SIZE, PROT_NONE, ANON | MAP_FIXED, 0);
	do_mmap(mm, NULL, STACK_TOP - PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED | MAP_GROWSDOWN, 0);
	for (int i = 0; i < 3; i++)
		*uptr(BASE + i * PAGE_SIZE) = i;
	(void)*uptr(BASE + 8 * PAGE_SIZE);
	(void)*uptr(BASE + 16 * PAGE_SIZE);
	*uptr(STACK_TOP - 3 * PAGE_SIZE) = 1;
	KT_EXPECT_EQ(t, probe_read_u32(&v, (uint32_t *)(BASE + 24 * PAGE_SIZE)), -EFAULT);
	KT_EXPECT_EQ(t, mm->rss, 6);
	KT_EXPECT_EQ(t, mm->map_count, 5);
	mm_checkpoint(mm, "mm_user", "mm_user.checkpoint_in_a_user_address_space", 0);
	done_mm(mm);
}

KTEST(mm_user, shared_anonymous_pages_stay_shared_after_dup_mm)
{
	struct mm_struct *mm, *child;
	struct mm_snap s0, s1;
	unsigned long a;

	snap(&s0);
	mm = use_new_mm();
	KT_ASSERT(t, mm != NULL);
	a = do_mmap(mm, NULL, 0, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a));
	KT_EXPECT_EQ(t, mm->rss, 2);		/* every page at once */
	child = dup_mm(mm);
	KT_ASSERT(t, child != NULL);
	KT_EXPECT_EQ(t, pte_of(child, a + PAGE_SIZE) & (PTE_PFN_MASK | _PAGE_RW),
		     pte_of(mm, a + PAGE_SIZE) & (PTE_PFN_MASK | _PAGE_RW));
	KT_EXPECT(t, pte_of(mm, a + PAGE_SIZE) & _PAGE_RW);
	*uptr(a + PAGE_SIZE) = 0x5a5a;		/* no copy: the child sees it */
	KT_EXPECT_EQ(t, peek(child, a + PAGE_SIZE), 0x5a5a);
	/* Read-only and PROT_NONE ones get their pages too. */
	a = do_mmap(mm, NULL, 0, PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, 0);
	KT_EXPECT(t, !IS_ERR_VALUE(a));
	a = do_mmap(mm, NULL, 0, PAGE_SIZE, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, 0);
	KT_EXPECT(t, !IS_ERR_VALUE(a));
	KT_EXPECT_EQ(t, mm->rss, 4);
	mmput(child);
	done_mm(mm);
	snap(&s1);
	snap_equal(t, &s0, &s1);
}

/* ------------------------------------------------------------ SMP */

/* The other CPU's side: it holds a translation of addr in its TLB, then
 * after the change reads (or writes) it once more. */
struct remote {
	struct mm_struct *mm;
	unsigned long addr;
	bool write;		/* both its accesses write (else read) */
	int phase;		/* 1: translation cached; 2: go; 3: done */
	int err;		/* of the second access */
	uint32_t seen;
};

static int remote_thread(void *arg)
{
	struct remote *r = arg;

	kthread_use_mm(r->mm);
	if (r->write)	/* a writable translation in its TLB */
		r->err = probe_write_u32((uint32_t *)r->addr, 0x1111);
	else
		r->err = probe_read_u32(&r->seen, (uint32_t *)r->addr);
	__atomic_store_n(&r->phase, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&r->phase, __ATOMIC_SEQ_CST) != 2)
		cpu_relax();
	if (r->write)
		r->err = probe_write_u32((uint32_t *)r->addr, 0x7777);
	else
		r->err = probe_read_u32(&r->seen, (uint32_t *)r->addr);
	kthread_unuse_mm(r->mm);
	__atomic_store_n(&r->phase, 3, __ATOMIC_SEQ_CST);
	return 0;
}

enum change { CHANGE_MUNMAP, CHANGE_MPROTECT, CHANGE_COW };

/*
 * One run: mm with the word 0x1111 at BASE, a remote thread on another
 * CPU caching it, the change made here, the remote's access after. The
 * frame the remote may still reach through a stale entry after munmap or
 * a copy on write is kept alive by the child of a dup_mm.
 */
static void shootdown_run(enum change c, bool skip_ipis, struct remote *r)
{
	struct mm_struct *mm = use_new_mm(), *child = NULL;
	struct task_struct *th;
	unsigned int cpu;

	*r = (struct remote){ .mm = mm, .addr = BASE, .write = c == CHANGE_MPROTECT, .err = -1 };
	do_mmap(mm, NULL, BASE, PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
	*uptr(BASE) = 0x1111;
	if (c != CHANGE_MPROTECT)
		child = dup_mm(mm);
	for (cpu = 0; cpu == smp_processor_id() || !cpu_online(cpu); cpu++)
		;
	th = kthread_run_on_cpu(remote_thread, r, cpu, "mm-remote");
	while (__atomic_load_n(&r->phase, __ATOMIC_SEQ_CST) != 1)
		cpu_relax();
	tlb_user_shootdown_disabled = skip_ipis;
	if (c == CHANGE_MUNMAP)
		do_munmap(mm, BASE, PAGE_SIZE);
	else if (c == CHANGE_MPROTECT)
		do_mprotect(mm, BASE, PAGE_SIZE, PROT_READ);
	else
		*uptr(BASE) = 0x2222;
	tlb_user_shootdown_disabled = false;
	__atomic_store_n(&r->phase, 2, __ATOMIC_SEQ_CST);
	kthread_join(th);
	done_mm(mm);
	if (child)
		mmput(child);
}

/* Whether the remote's access went through a stale translation. */
static bool stale(enum change c, const struct remote *r)
{
	if (c == CHANGE_MUNMAP)
		return r->err == 0 && r->seen == 0x1111;
	if (c == CHANGE_MPROTECT)
		return r->err == 0;
	return r->seen == 0x1111;
}

static void shootdown_case(struct ktest *t, enum change c)
{
	struct mm_user_stats s0, s1;
	struct remote r;

	if (num_online_cpus() < 2)
		kt_skip(t, "one CPU");
	mm_user_get_stats(&s0);
	shootdown_run(c, false, &r);
	mm_user_get_stats(&s1);
	KT_EXPECT(t, !stale(c, &r));
	KT_EXPECT_EQ(t, r.err, c == CHANGE_COW ? 0 : -EFAULT);
	if (c == CHANGE_COW)
		KT_EXPECT_EQ(t, r.seen, 0x2222);
	KT_EXPECT(t, s1.tlb_shootdowns > s0.tlb_shootdowns);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
}

/* The negative control: without the IPIs the old translation is used (a
 * few tries: an unrelated full flush could hide it once). A suite of its
 * own, which the paging-trace row leaves out: the trace checker rightly
 * reports the stale translation it leaves on purpose. */
static void negative_case(struct ktest *t, enum change c)
{
	unsigned long skipped0 = tlb_stats.skipped;
	struct remote r;
	bool caught = false;

	if (num_online_cpus() < 2)
		kt_skip(t, "one CPU");
	for (int i = 0; i < 5 && !caught; i++) {
		shootdown_run(c, true, &r);
		caught = stale(c, &r);
	}
	KT_EXPECT(t, caught);
	KT_EXPECT(t, tlb_stats.skipped > skipped0);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
}

KTEST(mm_user, smp_munmap_shoots_down_the_other_cpu)
{
	shootdown_case(t, CHANGE_MUNMAP);
}

KTEST(mm_user, smp_mprotect_shoots_down_the_other_cpu)
{
	shootdown_case(t, CHANGE_MPROTECT);
}

KTEST(mm_user, smp_cow_shoots_down_the_other_cpu)
{
	shootdown_case(t, CHANGE_COW);
}

KTEST(mm_user_negative, munmap_without_ipis_leaves_a_stale_translation)
{
	negative_case(t, CHANGE_MUNMAP);
}

KTEST(mm_user_negative, mprotect_without_ipis_leaves_a_stale_translation)
{
	negative_case(t, CHANGE_MPROTECT);
}

KTEST(mm_user_negative, cow_without_ipis_leaves_a_stale_translation)
{
	negative_case(t, CHANGE_COW);
}
