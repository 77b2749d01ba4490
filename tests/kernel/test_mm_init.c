/* SPDX-License-Identifier: MIT */
/*
 * The kernel page tables and the boot memory hand-over as the reference
 * texts describe them: the direct map from PAGE_OFFSET to high_memory with
 * W^X protections, nothing below PAGE_OFFSET, and every RAM page either
 * free or accounted to a reservation (seed 000 §5.1, seed 004).
 */
#include "asm/e820.h"
#include "asm/memlayout.h"
#include "asm/pgtable.h"
#include "asm/processor-flags.h"
#include "asm/processor.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "mm/mmzone.h"
#include "mm/bootmem.h"
#include "mm/gfp.h"
#include "mm/mm.h"

extern char _text[], _etext[], __start_rodata[], __end_rodata[];
extern char _sdata[], _end[];

static const uint32_t rodata_word = 0x600dc0de;
static uint8_t data_ret[16] = { 0xc3 };	/* RET, in .data */

static void returns_at_once(void)
{
}

KTEST(paging, kernel_text_is_read_only)
{
	uint32_t *p = (uint32_t *)ALIGN((unsigned long)returns_at_once, 4);
	uint32_t before = *p;

	KT_EXPECT_EQ(t, probe_write_u32(p, 0xcccccccc), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.address, (uint32_t)p);
	KT_EXPECT_EQ(t, last_fixup_fault.error_code, X86_PF_PROT | X86_PF_WRITE);
	KT_EXPECT_EQ(t, *p, before);
}

KTEST(paging, rodata_is_read_only)
{
	uint32_t *p = (uint32_t *)&rodata_word;

	KT_EXPECT_EQ(t, probe_write_u32(p, 1), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.error_code, X86_PF_PROT | X86_PF_WRITE);
	KT_EXPECT_EQ(t, rodata_word, 0x600dc0de);
}

KTEST(paging, data_is_not_executable)
{
	/* The control: kernel text runs. */
	KT_ASSERT_EQ(t, probe_exec((void *)returns_at_once), 0);
	if (!boot_cpu_has_nx()) {
		kt_skip(t, "CPU has no NX: data stays executable");
		return;
	}
	KT_EXPECT_EQ(t, probe_exec(data_ret), -EFAULT);
	KT_EXPECT_EQ(t, last_fixup_fault.address, (uint32_t)data_ret);
	KT_EXPECT_EQ(t, last_fixup_fault.error_code, X86_PF_PROT | X86_PF_INSTR);
}

/* The entry bits that map va, from a PTE or a 2 MiB PMD; 0 if unmapped. */
static uint64_t leaf_entry(unsigned long va, bool *large)
{
	pmd_t *pmd;
	pte_t *pte = lookup_address(va, &pmd);

	*large = pmd != NULL;
	if (pmd)
		return pmd->pmd;
	return pte && pte_present(*pte) ? pte->pte : 0;
}

/* Every page from PAGE_OFFSET to high_memory maps its own frame with the
 * protection of what lives there; high_memory itself is not mapped. */
KTEST(paging, direct_map_covers_lowmem_with_wx_protections)
{
	uint64_t nx = boot_cpu_has_nx() ? _PAGE_NX : 0;
	uint64_t g = boot_cpu_has_pge() ? _PAGE_GLOBAL : 0;
	unsigned long bad = 0, large_pages = 0;
	bool large;

	for (unsigned long va = PAGE_OFFSET; va < (unsigned long)high_memory;
	     va += PAGE_SIZE) {
		uint64_t e = leaf_entry(va, &large), want_bits, frame;

		if (large) {
			frame = (e & PTE_PFN_MASK) + (va & (PMD_SIZE - 1) & PAGE_MASK);
			large_pages++;
		} else {
			frame = e & PTE_PFN_MASK;
		}
		if (va >= (unsigned long)_text && va < (unsigned long)__start_rodata)
			want_bits = _PAGE_PRESENT | g;			/* RX */
		else if (va >= (unsigned long)__start_rodata && va < (unsigned long)_sdata)
			want_bits = _PAGE_PRESENT | g | nx;		/* R, NX */
		else
			want_bits = _PAGE_PRESENT | _PAGE_RW | g | nx;	/* RW, NX */
		if ((e & (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_GLOBAL | _PAGE_NX))
			    != want_bits || frame != va - PAGE_OFFSET) {
			if (bad++ < 4)
				KT_EXPECT_EQ(t, e, want_bits | (va - PAGE_OFFSET));
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, leaf_entry((unsigned long)high_memory, &large), 0);
	if (boot_cpu_has_pse() && (unsigned long)high_memory - PAGE_OFFSET >= 64UL << 20)
		KT_EXPECT(t, large_pages > 0);
}

/* high_memory follows the formulas: min(top of RAM, MAXMEM), RAM taken
 * from the e820 table independently of bootmem. */
KTEST(paging, high_memory_follows_maxmem)
{
	unsigned long maxmem_pfn = MAXMEM >> PAGE_SHIFT;

	KT_EXPECT(t, max_low_pfn <= maxmem_pfn);
	KT_EXPECT(t, max_low_pfn <= max_pfn);
	KT_EXPECT_EQ(t, (unsigned long)high_memory,
		     PAGE_OFFSET + (max_low_pfn << PAGE_SHIFT));
	KT_EXPECT(t, VMALLOC_START >= (unsigned long)high_memory + VMALLOC_OFFSET);
	KT_EXPECT_EQ(t, VMALLOC_START & (VMALLOC_OFFSET - 1), 0);
	KT_EXPECT(t, VMALLOC_END < PKMAP_BASE);
	KT_EXPECT(t, PKMAP_END <= FIXADDR_START);
}

/* RAM pages of the e820 table below max_pfn, counted without bootmem. */
static unsigned long e820_ram_pages_below(unsigned long limit_pfn)
{
	uint64_t limit = (uint64_t)limit_pfn << PAGE_SHIFT;
	unsigned long pages = 0;

	for (uint32_t i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];
		uint64_t start = ALIGN(e->addr, (uint64_t)PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(e->addr + e->size, (uint64_t)PAGE_SIZE);

		if (e->type != E820_TYPE_USABLE && e->type != E820_TYPE_LOADER)
			continue;
		if (end > limit)
			end = limit;
		if (start < end)
			pages += (unsigned long)((end - start) >> PAGE_SHIFT);
	}
	return pages;
}

KTEST(bootmem, every_ram_page_is_free_or_accounted)
{
	const struct bootmem_accounting *a = &bootmem_accounting;
	unsigned long sum = a->freed_pages, present = 0;

	for (int k = 0; k < NR_BOOTMEM_KINDS; k++)
		sum += a->kind_pages[k];
	for (int z = 0; z < MAX_NR_ZONES; z++)
		present += zones[z].present_pages;

	KT_EXPECT_EQ(t, a->ram_pages, e820_ram_pages_below(max_pfn));
	KT_EXPECT_EQ(t, sum, a->ram_pages);
	KT_EXPECT_EQ(t, present, a->freed_pages);
	KT_EXPECT_EQ(t, mem_init_free_pages, a->freed_pages);
	KT_EXPECT_EQ(t, a->kind_pages[BOOTMEM_KERNEL],
		     (unsigned long)(_end - _text) >> PAGE_SHIFT);
	KT_EXPECT_EQ(t, a->kind_pages[BOOTMEM_MEM_MAP],
		     (unsigned long)(ALIGN(max_pfn * sizeof(struct page), PAGE_SIZE) >> PAGE_SHIFT));
	KT_EXPECT(t, a->kind_pages[BOOTMEM_PAGETABLE] >= 1);
}

/*
 * RAM the CPU cannot address stays out: no zone spans a frame at or above
 * 1 << x86_phys_bits (with -cpu qemu32, 32 bits and 6 GiB, the 2 GiB above
 * 4 GiB), and max_pfn ends there. The width is what CPUID says, or 36
 * for a CPU with PAE and PSE-36 without leaf 0x80000008, else 32.
 */
KTEST(bootmem, every_zone_is_below_the_cpu_physical_address_limit)
{
	unsigned int bits = boot_cpu_data.x86_phys_bits;
	uint64_t limit_pfn = (1ULL << bits) >> PAGE_SHIFT;	/* 2^32 at 44 bits */
	uint32_t a, b, c, d;

	if (boot_cpu_data.max_ext_leaf >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &c, &d);
		a &= 0xff;
		KT_EXPECT_EQ(t, bits, a < 32 ? 32 : a > 44 ? 44 : a);
	} else {
		KT_EXPECT_EQ(t, bits, boot_cpu_has_pae() &&
				      (boot_cpu_data.edx1 & X86_FEATURE_PSE36_EDX) ? 36 : 32);
	}
	KT_EXPECT(t, max_pfn <= limit_pfn);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (!zones[z].spanned_pages)
			continue;
		KT_EXPECT(t, zone_end_pfn(&zones[z]) <= limit_pfn);
	}
}

KTEST(bootmem, mem_map_follows_the_kernel_image)
{
	unsigned long start = (unsigned long)mem_map;
	unsigned long end = start + max_pfn * sizeof(struct page);

	/* Above the image when low memory has room there; an image the
	 * loader put near high_memory (loader.kernel_base=) leaves none,
	 * and mem_map goes below it. */
	if ((unsigned long)high_memory - (unsigned long)_end >= end - start)
		KT_EXPECT(t, start >= (unsigned long)_end);
	else
		KT_EXPECT(t, end <= (unsigned long)_text);
	KT_EXPECT(t, PageReserved(virt_to_page(_text)));
	KT_EXPECT(t, PageReserved(pfn_to_page(0)));
	KT_EXPECT(t, PageReserved(virt_to_page(mem_map)));
}

KTEST(fixmap, slots_round_trip_and_stay_in_their_table)
{
	/* Slot 0, FIX_HOLE, is FIXADDR_TOP itself and never mapped; as in
	 * Linux, virt_to_fix covers [FIXADDR_START, FIXADDR_TOP). */
	for (unsigned int idx = FIX_HOLE + 1; idx < __end_of_fixed_addresses; idx++) {
		unsigned long va = fix_to_virt(idx);

		KT_ASSERT_EQ(t, virt_to_fix(va), idx);
		KT_ASSERT(t, va >= FIXADDR_START && va < FIXADDR_TOP);
	}
	KT_EXPECT_EQ(t, fix_to_virt(0), FIXADDR_TOP);
	KT_EXPECT_EQ(t, FIXADDR_START, FIXADDR_TOP - __FIXADDR_SIZE);
}

/* set_fixmap_nocache maps an MMIO frame uncached (PCD|PWT), and
 * clear_fixmap takes it away again. */
KTEST(fixmap, nocache_slot_is_uncached_and_clears)
{
	enum fixed_addresses idx = FIX_IO_APIC_BASE_END;	/* unused until the IO-APIC work */
	uint64_t phys = 0xfec00000;
	pmd_t *large;
	pte_t *pte;

	set_fixmap_nocache(idx, phys);
	pte = lookup_address(fix_to_virt(idx), &large);
	KT_ASSERT(t, pte != NULL);
	KT_EXPECT_EQ(t, pte->pte & PTE_PFN_MASK, phys);
	KT_EXPECT_EQ(t, pte->pte & (_PAGE_PCD | _PAGE_PWT | _PAGE_PRESENT | _PAGE_RW),
		     _PAGE_PCD | _PAGE_PWT | _PAGE_PRESENT | _PAGE_RW);
	clear_fixmap(idx);
	KT_EXPECT(t, !pte_present(*pte));
}
