/* SPDX-License-Identifier: MIT */
/*
 * The page-table walker and the kernel page-table allocation (mm/pgtable.c;
 * Intel SDM vol. 3A §4.4.2): lookup_address on each kind of kernel address
 * (a 2 MiB direct-map page, a 4 KiB one, a vmalloc page, fixmap and pkmap
 * slots, holes with and without a page table, user space), a PDPT of its
 * own walked by the same code with tables from the buddy allocator, and
 * vmalloc's one mapper across a 2 MiB boundary (map, change of rights,
 * unmap; ioremap's frames by number).
 */
#include "asm/fixmap.h"
#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/tlbflush.h"
#include "kernel/ktest.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/vmalloc.h"

extern char _text[], __start_rodata[];

/* Rights and caching of a leaf entry, the bits the tests compare. */
#define LEAF_BITS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PCD | \
			 _PAGE_PWT | _PAGE_NX)

/* Any value lookup_address must overwrite. */
#define NOT_SET		((pmd_t *)1)

/* The leaf entry of va (a PTE, or a 2 MiB PMD), 0 when unmapped. */
static uint64_t leaf(unsigned long va)
{
	pmd_t *large;
	pte_t *pte = lookup_address(va, &large);

	if (large)
		return large->pmd;
	return pte ? pte->pte : 0;
}

static uint64_t nx(void)
{
	return boot_cpu_has_nx() ? _PAGE_NX : 0;
}

/* The first 2 MiB of RAM lie below the kernel image, with one protection:
 * one 2 MiB page where the CPU has PSE. *large is the PMD entry itself,
 * the one in the kernel PMD, not a copy. */
KTEST(pgtable, lookup_address_2mib_direct_map_page)
{
	unsigned long va = PAGE_OFFSET + 0x123456;
	pmd_t *large = NOT_SET;
	pte_t *pte;

	if (!boot_cpu_has_pse()) {
		kt_skip(t, "CPU has no PSE: the direct map has 4 KiB pages only");
		return;
	}
	pte = lookup_address(va, &large);
	KT_EXPECT(t, pte == NULL);
	KT_ASSERT(t, large != NULL && large != NOT_SET);
	KT_EXPECT(t, large == pmd_off_k(va));
	KT_EXPECT(t, large == pmd_off_k(PAGE_OFFSET));
	KT_EXPECT(t, pmd_large(*large));
	KT_EXPECT_EQ(t, large->pmd & PTE_PFN_MASK, 0);
	KT_EXPECT_EQ(t, large->pmd & LEAF_BITS, _PAGE_PRESENT | _PAGE_RW | nx());
	/* The next 2 MiB page has the next PMD entry. */
	KT_EXPECT(t, lookup_address(va + PMD_SIZE, &large) == NULL);
	KT_EXPECT(t, large == pmd_off_k(PAGE_OFFSET) + 1);
	KT_EXPECT_EQ(t, large->pmd & PTE_PFN_MASK, PMD_SIZE);
}

/* Kernel text shares its 2 MiB with other protections: 4 KiB pages. */
KTEST(pgtable, lookup_address_4kib_direct_map_page)
{
	unsigned long va = (unsigned long)_text, ro = (unsigned long)__start_rodata;
	pmd_t *large = NOT_SET;
	pte_t *pte = lookup_address(va, &large);

	KT_EXPECT(t, large == NULL);
	KT_ASSERT(t, pte != NULL);
	KT_EXPECT_EQ(t, pte->pte & PTE_PFN_MASK, __pa(va));
	KT_EXPECT_EQ(t, pte->pte & LEAF_BITS, _PAGE_PRESENT);		/* RX */
	KT_EXPECT(t, lookup_address(va + PAGE_SIZE, &large) == pte + 1);
	KT_EXPECT_EQ(t, pte[1].pte & PTE_PFN_MASK, __pa(va) + PAGE_SIZE);
	KT_EXPECT_EQ(t, leaf(ro) & PTE_PFN_MASK, __pa(ro));
	KT_EXPECT_EQ(t, leaf(ro) & LEAF_BITS, _PAGE_PRESENT | nx());	/* R */
}

/* No PDPT entry below PAGE_OFFSET: nothing, whatever the address. */
KTEST(pgtable, lookup_address_user_space_is_null)
{
	static const unsigned long user[] = {
		0, PAGE_SIZE, 0x08048000, 0x40000000, 0x80001234,
		PAGE_OFFSET - PAGE_SIZE, PAGE_OFFSET - 1,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(user); i++) {
		pmd_t *large = NOT_SET;

		KT_EXPECT(t, lookup_address(user[i], &large) == NULL);
		KT_EXPECT(t, large == NULL);
	}
}

/* The gap after high_memory has no page table; the pages between the
 * vmalloc area and pkmap, and fixmap slot 0, have an empty entry. */
KTEST(pgtable, lookup_address_holes)
{
	unsigned long gap = VMALLOC_START - PMD_SIZE;
	pmd_t *large = NOT_SET;
	pte_t *pte;

	KT_ASSERT(t, gap >= ALIGN((unsigned long)high_memory, PMD_SIZE));
	KT_EXPECT(t, lookup_address(gap, &large) == NULL);
	KT_EXPECT(t, large == NULL);
	KT_EXPECT(t, !pmd_present(*pmd_off_k(gap)));

	large = NOT_SET;
	pte = lookup_address(VMALLOC_END, &large);
	KT_EXPECT(t, large == NULL);
	KT_ASSERT(t, pte != NULL);
	KT_EXPECT(t, !pte_present(*pte));
	KT_EXPECT(t, lookup_address(PKMAP_BASE - PAGE_SIZE, &large) == pte + 1);

	pte = lookup_address(__fix_to_virt(FIX_HOLE), &large);
	KT_EXPECT(t, pte == fixmap_pte(FIX_HOLE));
	KT_EXPECT(t, pte != NULL && !pte_present(*pte));
}

/* Every fixmap and pkmap slot is found at the entry that fixmap and
 * kmap write: the tables one_page_table_init made. */
KTEST(pgtable, lookup_address_fixmap_and_pkmap_slots)
{
	enum fixed_addresses idx = FIX_IO_APIC_BASE_END;	/* unused until the IO-APIC work */
	unsigned long wrong = 0;
	pmd_t *large;
	pte_t *pte;

	for (int i = 0; i < __end_of_fixed_addresses; i++)
		wrong += lookup_address(__fix_to_virt(i), &large) != fixmap_pte(i);
	for (int i = 0; i < LAST_PKMAP; i++)
		wrong += lookup_address(PKMAP_ADDR(i), &large) != &pkmap_page_table[i];
	KT_EXPECT_EQ(t, wrong, 0);

	set_fixmap(idx, 0x12345000ULL);
	pte = lookup_address(fix_to_virt(idx) + 0x321, &large);
	KT_ASSERT(t, pte != NULL);
	KT_EXPECT_EQ(t, pte->pte & PTE_PFN_MASK, 0x12345000ULL);
	KT_EXPECT_EQ(t, pte->pte & LEAF_BITS, _PAGE_PRESENT | _PAGE_RW | nx());
	clear_fixmap(idx);
	KT_EXPECT(t, !pte_present(*pte));
}

/*
 * A PDPT of its own, as a process will have: its kernel slot shares
 * swapper_pg_dir's PMD, its slot 0 gets a PMD and a page table from
 * pmd_alloc and pte_alloc_kernel, which after boot take lowmem pages
 * from the buddy allocator (one each, none when the level is there).
 * lookup_address_in_pgd walks it, stopping at any entry without its
 * present bit; swapper_pg_dir does not see it.
 */
KTEST(pgtable, own_pdpt_walked_by_lookup_address_in_pgd)
{
	unsigned long uva = 0x00400000 + 5 * PAGE_SIZE, big = 0x00800000;
	unsigned long kva = (unsigned long)_text, before = nr_free_pages();
	struct page *page = alloc_page(GFP_KERNEL);
	pgd_t *pgd = (pgd_t *)get_zeroed_page(GFP_KERNEL);
	pmd_t *pmd, *pmd2, *large = NOT_SET;
	pte_t *pte;

	KT_ASSERT(t, page != NULL && pgd != NULL);
	before -= 2;
	pgtable_page_zeroed(pgd);
	set_pgd_at(PAGE_OFFSET, pgd_offset_pgd(pgd, PAGE_OFFSET), *pgd_offset_k(PAGE_OFFSET));
	KT_EXPECT(t, lookup_address_in_pgd(pgd, uva, &large) == NULL);
	KT_EXPECT(t, large == NULL);

	pmd = pmd_alloc(pgd_offset_pgd(pgd, uva), uva);
	KT_ASSERT(t, pmd != NULL);
	pte = pte_alloc_kernel(pmd, uva);
	KT_ASSERT(t, pte != NULL);
	KT_EXPECT_EQ(t, before - nr_free_pages(), 2);
	KT_EXPECT(t, virt_addr_valid(pmd) && virt_addr_valid(pte));
	KT_EXPECT_EQ(t, pte->pte, 0);
	KT_EXPECT(t, pte_alloc_kernel(pmd, uva + PAGE_SIZE) == pte + 1);
	pmd2 = pmd_alloc(pgd_offset_pgd(pgd, big), big);
	KT_EXPECT(t, pmd2 == pmd + 2);		/* 8 MiB against 4 MiB */
	KT_EXPECT_EQ(t, before - nr_free_pages(), 2);

	set_pte_at(uva, pte, pfn_pte(page_to_pfn(page), PAGE_KERNEL));
	KT_EXPECT(t, lookup_address_in_pgd(pgd, uva + 0x10, &large) == pte);
	KT_EXPECT(t, large == NULL);
	KT_EXPECT(t, lookup_address(uva, &large) == NULL);
	KT_EXPECT(t, lookup_address_in_pgd(pgd, uva + PMD_SIZE, &large) == NULL);
	KT_EXPECT(t, lookup_address_in_pgd(pgd, 1UL << PGDIR_SHIFT, &large) == NULL);
	KT_EXPECT(t, lookup_address_in_pgd(pgd, kva, &large) == lookup_address(kva, &large));
	KT_EXPECT(t, lookup_address_in_pgd(pgd, kva, &large) != NULL);
	/* An entry without its present bit is a hole, whatever else it
	 * holds: here the address of the live table below it. */
	set_pgd_at(0, pgd, (pgd_t){ pgd->pgd & ~(uint64_t)_PAGE_PRESENT });
	KT_EXPECT(t, lookup_address_in_pgd(pgd, uva, &large) == NULL);
	set_pgd_at(0, pgd, (pgd_t){ pgd->pgd | _PAGE_PRESENT });
	set_pmd_at(uva & PMD_MASK, pmd, (pmd_t){ pmd->pmd & ~(uint64_t)_PAGE_PRESENT });
	KT_EXPECT(t, lookup_address_in_pgd(pgd, uva, &large) == NULL);
	KT_EXPECT(t, large == NULL);
	set_pmd_at(uva & PMD_MASK, pmd, (pmd_t){ pmd->pmd | _PAGE_PRESENT });
	KT_EXPECT(t, lookup_address_in_pgd(pgd, uva, &large) == pte);
	set_pmd_at(big, pmd2, pfn_pmd_large(0x200, PAGE_KERNEL));
	KT_EXPECT(t, lookup_address_in_pgd(pgd, big + 0x1234, &large) == NULL);
	KT_EXPECT(t, large == pmd2);

	pmd_clear(big, pmd2);
	pte_clear(uva, pte);
	pmd_clear(uva & PMD_MASK, pmd);
	pgd_clear(0, pgd_offset_pgd(pgd, 0));
	pgd_clear(PAGE_OFFSET, pgd_offset_pgd(pgd, PAGE_OFFSET));
	KT_EXPECT_EQ(t, free_page((unsigned long)pte & PAGE_MASK), 0);
	KT_EXPECT_EQ(t, free_page((unsigned long)pmd & PAGE_MASK), 0);
	KT_EXPECT_EQ(t, free_page((unsigned long)pgd), 0);
	KT_EXPECT_EQ(t, __free_page(page), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before + 2);
}

/* Pages of [va, va + nr pages) whose leaf entry is not want(i). */
static unsigned long count_wrong(unsigned long va, unsigned long nr,
				 uint64_t (*want)(unsigned long i, const void *arg),
				 const void *arg)
{
	unsigned long wrong = 0;

	for (unsigned long i = 0; i < nr; i++)
		wrong += (leaf(va + i * PAGE_SIZE) & (PTE_PFN_MASK | LEAF_BITS)) != want(i, arg);
	return wrong;
}

struct vm_want {
	const struct vm_struct *vm;
	unsigned long ro_from, ro_to;	/* pages made read-only */
};

static uint64_t vm_page(unsigned long i, const void *arg)
{
	const struct vm_want *w = arg;
	uint64_t rw = i >= w->ro_from && i < w->ro_to ? 0 : _PAGE_RW;

	return ((uint64_t)page_to_pfn(w->vm->pages[i]) << PAGE_SHIFT) |
	       _PAGE_PRESENT | rw | nx();
}

static uint64_t unmapped(unsigned long i, const void *arg)
{
	return 0;
}

/*
 * Give the page table of the 2 MiB at va a fresh page in place of its own
 * (which vmalloc_init allocated right after the one below it, so that a
 * mapper running off the end of one table into the next page would still
 * hit the right entries): every entry is clear, the range free and
 * flushed. Returns the table it replaced, or NULL.
 */
static pte_t *swap_page_table(unsigned long va, pte_t *table)
{
	pmd_t *large, *pmd = pmd_off_k(va);
	pte_t *old = lookup_address(va, &large);

	if (!old || !table)
		return NULL;
	set_pmd_at(va, pmd, __pmd_table(__pa(table)));
	flush_tlb_kernel_range(va, va + PMD_SIZE);
	return old;
}

/*
 * An area that starts at a 2 MiB boundary and ends 4 pages into the next
 * page table, whose page does not follow the first table's: each page
 * maps its own frame, the guard page nothing; vmalloc_set_prot from 2
 * pages before the boundary to 2 after changes those 4 only; vfree clears
 * all of them.
 */
KTEST(pgtable, vmalloc_mapper_across_2mib_boundary)
{
	unsigned long nr = PTRS_PER_PTE + 4, size = nr * PAGE_SIZE, va, next;
	pte_t *fresh = (pte_t *)get_zeroed_page(GFP_KERNEL), *old;
	struct vm_want w = { 0 };
	unsigned long bad_pages = 0, stray = 0;
	pmd_t *large;
	char *p;

	KT_ASSERT(t, fresh != NULL);
	/* Where the area will go: the lowest free 2 MiB boundary. */
	p = __vmalloc(size, PMD_SIZE, PAGE_KERNEL, 0, __builtin_return_address(0));
	KT_ASSERT(t, p != NULL);
	va = (unsigned long)p;
	next = va + PMD_SIZE;
	KT_EXPECT_EQ(t, vfree(p), 0);
	vm_purge_lazy();
	pgtable_page_zeroed(fresh);
	old = swap_page_table(next, fresh);
	KT_ASSERT(t, old != NULL);
	KT_EXPECT(t, lookup_address(next - PAGE_SIZE, &large) + 1 != lookup_address(next, &large));

	p = __vmalloc(size, PMD_SIZE, PAGE_KERNEL, 0, __builtin_return_address(0));
	KT_EXPECT(t, p == (char *)va);
	w.vm = find_vm_area(p);
	if (p == (char *)va && w.vm) {
		KT_EXPECT_EQ(t, count_wrong(va, nr, vm_page, &w), 0);
		KT_EXPECT_EQ(t, leaf(va + size), 0);
		for (unsigned long i = 0; i < nr; i++)
			bad_pages += vmalloc_to_page(p + i * PAGE_SIZE) != w.vm->pages[i];
		KT_EXPECT_EQ(t, bad_pages, 0);

		w.ro_from = PTRS_PER_PTE - 2;
		w.ro_to = PTRS_PER_PTE + 2;
		KT_EXPECT_EQ(t, vmalloc_set_prot(p + w.ro_from * PAGE_SIZE,
						 (w.ro_to - w.ro_from) * PAGE_SIZE,
						 PAGE_KERNEL_RO), 0);
		KT_EXPECT_EQ(t, count_wrong(va, nr, vm_page, &w), 0);
	}
	KT_EXPECT_EQ(t, vfree(p), 0);
	KT_EXPECT_EQ(t, count_wrong(va, nr + 1, unmapped, NULL), 0);
	/* The old table's entries were never written: clear, like fresh's. */
	for (unsigned int i = 0; i < PTRS_PER_PTE; i++)
		stray += old[i].pte != 0 || fresh[i].pte != 0;
	KT_EXPECT_EQ(t, stray, 0);
	vm_purge_lazy();
	KT_EXPECT(t, swap_page_table(next, old) == fresh);
	KT_EXPECT_EQ(t, free_page((unsigned long)fresh), 0);
}

static uint64_t io_frame(unsigned long i, const void *arg)
{
	return (*(const uint64_t *)arg + ((uint64_t)i << PAGE_SHIFT)) |
	       _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT | nx();
}

/* 515 frames by number (more than one page table holds, so the range
 * crosses a 2 MiB boundary wherever it lands), uncached; iounmap clears
 * them. The frames lie in the PCI hole and are never touched. */
KTEST(pgtable, ioremap_mapper_across_2mib_boundary)
{
	uint64_t phys = 0xd0000123ULL, frame0 = phys & ~(uint64_t)(PAGE_SIZE - 1);
	unsigned long size = PMD_SIZE + 2 * PAGE_SIZE, nr = PTRS_PER_PTE + 3, va;
	void *p = ioremap(phys, size);

	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, (unsigned long)p & ~PAGE_MASK, 0x123);
	va = (unsigned long)p & PAGE_MASK;
	KT_EXPECT_EQ(t, find_vm_area((void *)va)->nr_pages, nr);
	KT_EXPECT(t, pte_index(va) + nr > PTRS_PER_PTE);	/* crosses a table's end */
	KT_EXPECT_EQ(t, count_wrong(va, nr, io_frame, &frame0), 0);
	KT_EXPECT_EQ(t, leaf(va + nr * PAGE_SIZE), 0);
	iounmap(p);
	KT_EXPECT_EQ(t, count_wrong(va, nr, unmapped, NULL), 0);
	vm_purge_lazy();
}
