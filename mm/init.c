/* SPDX-License-Identifier: MIT */
/*
 * The memory layout of the reference texts made real: the limits of low
 * memory (MAXMEM, max_low_pfn, high_memory), bootmem over the e820 table,
 * mem_map, swapper_pg_dir with the direct map (pagetable_init,
 * kernel_physical_mapping_init), the zones, and mem_init's hand-over to the
 * buddy allocator (seed 000 §5.1, seed 002 §3.4.2, seed 004 "paging_init").
 */
#include "asm/e820.h"
#include "asm/memlayout.h"
#include "asm/pgtable.h"
#include "asm/processor-flags.h"
#include "asm/processor.h"
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/bootmem.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/pgtrace.h"

extern char _text[], _etext[], __start_rodata[], __end_rodata[];
extern char __init_begin[], __init_end[], _sdata[], _edata[];
extern char __bss_start[], __bss_stop[], _end[];

struct page *mem_map;
unsigned long max_pfn, max_low_pfn, highstart_pfn, highend_pfn;
void *high_memory;
unsigned long mem_init_free_pages;
unsigned long __VMALLOC_RESERVE = __VMALLOC_RESERVE_DEFAULT;
uint64_t __supported_pte_mask = ~(_PAGE_NX | _PAGE_GLOBAL);

pgd_t swapper_pg_dir[PTRS_PER_PGD] __attribute__((aligned(32)));

/* ------------------------------------------------------------ parameters */

static uint64_t mem_limit = ~0ULL;		/* mem= */
static uint64_t highmem_size;			/* highmem=, 0: unset */

#define MEM_LIMIT_MIN	(32ULL << 20)

/* The low memory a boot needs: 32M, or up to the 2 MiB page that holds
 * the kernel image's end when the loader put the image higher. */
static uint64_t lowmem_min(void)
{
	uint64_t end = ALIGN((uint64_t)__pa(_end), (uint64_t)PMD_SIZE);

	return end > MEM_LIMIT_MIN ? end : MEM_LIMIT_MIN;
}

/*
 * A size with an optional K/M/G suffix and nothing after it; one that
 * does not fit 64 bits (memparse saturates it) is out of range.
 */
static int parse_size(const char *val, uint64_t *out)
{
	char *end;

	if (!val || !*val)
		return -EINVAL;
	*out = memparse(val, &end);
	if (*end)
		return -EINVAL;
	return *out == ~0ULL ? -ERANGE : 0;
}

/* mem=SIZE: use no RAM at or above SIZE. */
static int mem_setup(char *val)
{
	uint64_t v;
	int err = parse_size(val, &v);

	if (err)
		return err;
	if (v < lowmem_min()) {
		pr_err("mem=%s: below the %lluM this kernel needs\n", val,
		       lowmem_min() >> 20);
		return -ERANGE;
	}
	mem_limit = v;
	return 0;
}
__setup("mem", mem_setup);

/* highmem=SIZE: at least SIZE of RAM in ZONE_HIGHMEM. */
static int highmem_setup(char *val)
{
	uint64_t v;
	int err = parse_size(val, &v);

	if (err)
		return err;
	if (v == 0)
		return -EINVAL;
	if (v > ~(uint64_t)(PAGE_SIZE - 1))
		return -ERANGE;			/* would round up to 0 */
	highmem_size = ALIGN(v, (uint64_t)PAGE_SIZE);
	return 0;
}
__setup("highmem", highmem_setup);

/* vmalloc=SIZE: the vmalloc area's reserve; high_memory moves with it. */
static int vmalloc_setup(char *val)
{
	uint64_t v;
	int err = parse_size(val, &v);

	if (err)
		return err;
	if (v < VMALLOC_RESERVE_MIN || v > VMALLOC_RESERVE_MAX) {
		pr_err("vmalloc=%s: outside %luM..%luM\n", val,
		       VMALLOC_RESERVE_MIN >> 20, VMALLOC_RESERVE_MAX >> 20);
		return -ERANGE;
	}
	if (-PAGE_OFFSET - ALIGN((unsigned long)v, PMD_SIZE) < lowmem_min()) {
		pr_err("vmalloc=%s: leaves a direct map of %luM, below the %lluM the kernel needs\n",
		       val, (-PAGE_OFFSET - ALIGN((unsigned long)v, PMD_SIZE)) >> 20,
		       lowmem_min() >> 20);
		return -ERANGE;
	}
	__VMALLOC_RESERVE = ALIGN((unsigned long)v, PMD_SIZE);
	return 0;
}
__setup("vmalloc", vmalloc_setup);

/* ------------------------------------------------------------ limits */

static bool e820_is_ram(uint32_t type)
{
	return type == E820_TYPE_USABLE || type == E820_TYPE_LOADER;
}

/*
 * Feeds RAM below mem= and below the CPU's physical address limit to
 * bootmem and finds max_pfn. RAM at or above 1 << x86_phys_bits cannot be
 * mapped (its PAE entries would set reserved bits), though firmware may
 * report it: QEMU's qemu32 CPU says 32 bits and still gets RAM above
 * 4 GiB.
 */
static void __init register_ram(void)
{
	uint64_t phys_limit = 1ULL << boot_cpu_data.x86_phys_bits;
	uint64_t limit = mem_limit < phys_limit ? mem_limit : phys_limit;
	uint64_t beyond = 0, beyond_from = ~0ULL;

	for (uint32_t i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];
		uint64_t start = e->addr, end = e->addr + e->size;

		if (!e820_is_ram(e->type))
			continue;
		if (end > phys_limit && phys_limit < mem_limit) {
			uint64_t from = start > phys_limit ? start : phys_limit;
			uint64_t to = end < mem_limit ? end : mem_limit;

			if (to > from) {
				beyond += to - from;
				if (from < beyond_from)
					beyond_from = from;
			}
		}
		if (start >= limit)
			continue;
		if (end > limit)
			end = limit;
		if (bootmem_add_memory(start, end - start))
			panic("bootmem: too many RAM ranges in the e820 table");
		end = ALIGN_DOWN(end, (uint64_t)PAGE_SIZE);
		if ((end >> PAGE_SHIFT) > max_pfn)
			max_pfn = end >> PAGE_SHIFT;
	}
	if (mem_limit != ~0ULL)
		pr_info("mem=%lluM: RAM above 0x%llx ignored\n", mem_limit >> 20,
			mem_limit);
	if (beyond)
		pr_warn("e820: RAM above the CPU's %u-bit physical address limit ignored: %llu MiB from 0x%llx\n",
			boot_cpu_data.x86_phys_bits, beyond >> 20, beyond_from);
}

/*
 * max_low_pfn: the direct map ends at MAXMEM or at the top of RAM,
 * whichever comes first, and highmem= may pull it lower.
 */
static void __init find_low_pfn_range(void)
{
	unsigned long maxmem_pfn = MAXMEM >> PAGE_SHIFT;

	max_low_pfn = max_pfn < maxmem_pfn ? max_pfn : maxmem_pfn;
	if (highmem_size) {
		/* 64 bits: highmem=16T must not wrap to 0 pages. */
		uint64_t want = highmem_size >> PAGE_SHIFT;
		unsigned long min_low = (unsigned long)(lowmem_min() >> PAGE_SHIFT);

		if (want >= max_pfn || max_pfn - want < min_low)
			pr_err("highmem=%lluM: leaves under %lluM of low memory; ignored\n",
			       highmem_size >> 20, lowmem_min() >> 20);
		else if (max_pfn - want < max_low_pfn)
			max_low_pfn = max_pfn - want;
	}
	highstart_pfn = max_low_pfn;
	highend_pfn = max_pfn;
	high_memory = __va((unsigned long)max_low_pfn << PAGE_SHIFT);
	bootmem_set_limit(max_low_pfn);
}

/*
 * The loader left the module blobs somewhere below 896 MiB, which mem= or
 * vmalloc= may put beyond the direct map: copy each into boot memory,
 * which the direct map always covers. The provisional map (all of the
 * first GiB) still reaches the originals; they are reserved while the
 * copies are made, so no copy lands on one, and given back afterwards.
 * A blob with no room for its copy is not loaded: said so, and moved to
 * boot_modules_dropped[] (load_boot_modules records it as a failure); the
 * boot goes on with the others.
 */
static void __init copy_boot_modules(void)
{
	for (unsigned int i = 0; i < nr_boot_modules; i++)
		reserve_bootmem(boot_modules[i].phys, boot_modules[i].size,
				BOOTMEM_DATA);
	for (unsigned int i = 0; i < nr_boot_modules; i++) {
		struct boot_module *m = &boot_modules[i];
		char name[BOOT_MODULE_NAME_MAX];
		void *copy;

		if (!m->size)
			continue;
		copy = __alloc_bootmem_nopanic(m->size, 0, BOOTMEM_MODULES);
		if (copy)
			memcpy(copy, __va(m->phys), m->size);
		free_bootmem(m->phys, m->size);
		if (!copy) {
			boot_module_name(name, m->name);
			pr_err("module %s: no room for its %llu bytes; not loaded\n",
			       name, m->size);
			boot_module_drop(i--);
			continue;
		}
		m->phys = __pa(copy);
	}
}

unsigned long initrd_start, initrd_end;

/*
 * The initramfs archive stays where the loader put it for good (the tree
 * of fs/ramfs.c points into it): reserved, so the allocators never hand
 * it out. Where mem= or vmalloc= put it beyond the direct map, it is
 * copied into boot memory first, as copy_boot_modules does; with no room
 * for the copy, the boot goes on without it.
 */
static void __init keep_boot_initrd(void)
{
	uint64_t phys = boot_info.initrd_phys, size = boot_info.initrd_size;
	void *copy;

	if (!size)
		return;
	if (phys + size <= (uint64_t)max_low_pfn << PAGE_SHIFT) {
		if (reserve_bootmem(phys, size, BOOTMEM_INITRD)) {
			pr_err("initrd: [0x%llx, +%llu) overlaps a reservation; not used\n",
			       phys, size);
			return;
		}
		initrd_start = (unsigned long)__va(phys);
	} else {
		reserve_bootmem(phys, size, BOOTMEM_DATA);
		copy = __alloc_bootmem_nopanic(size, 0, BOOTMEM_INITRD);
		if (copy)
			memcpy(copy, __va(phys), size);
		free_bootmem(phys, size);
		if (!copy) {
			pr_err("initrd: no room below the direct map's end for its %llu bytes; not used\n",
			       size);
			return;
		}
		initrd_start = (unsigned long)copy;
	}
	initrd_end = initrd_start + (unsigned long)size;
}

/*
 * setup_memory: the limits, bootmem over RAM, what must stay reserved, and
 * mem_map (right after the kernel image, seed 000 §5.1).
 */
void __init setup_memory(void)
{
	register_ram();
	find_low_pfn_range();

	/* Physical page 0 stays out of the allocator: a zero frame number
	 * is too easily a bug. */
	reserve_bootmem(0, PAGE_SIZE, BOOTMEM_FIRMWARE);
	if (reserve_bootmem(__pa(_text), _end - _text, BOOTMEM_KERNEL))
		panic("bootmem: cannot reserve the kernel image");
	copy_boot_modules();
	keep_boot_initrd();
	/* The AP trampoline must start in real mode: a page below the EBDA
	 * and the legacy video/BIOS area, taken before anything else can. */
	trampoline_base = __alloc_bootmem_below(PAGE_SIZE, 0xa0000, BOOTMEM_DATA);

	mem_map = __alloc_bootmem((size_t)max_pfn * sizeof(struct page),
				  __pa(_end), BOOTMEM_MEM_MAP);
}

/* ------------------------------------------------------------ page tables */

/* The protection of the direct-map page at kernel virtual address va. */
static pgprot_t __init direct_map_prot(unsigned long va)
{
	if (va >= (unsigned long)_text && va < (unsigned long)__start_rodata)
		return PAGE_KERNEL_RX;		/* .text and .init.text */
	if (va >= (unsigned long)__start_rodata && va < (unsigned long)_sdata)
		return PAGE_KERNEL_RO;
	return PAGE_KERNEL;
}

/* Whether every page of the 2 MiB block at va gets the same protection. */
static bool __init block_is_uniform(unsigned long va)
{
	unsigned long end = va + PMD_SIZE;

	return end <= (unsigned long)_text || va >= (unsigned long)_end;
}

/*
 * The direct map of frames [0, max_low_pfn) at PAGE_OFFSET: a 2 MiB page
 * wherever the block lies wholly in low memory with one protection and
 * the CPU has PSE, else a page table of 4 KiB entries.
 */
static void __init kernel_physical_mapping_init(void)
{
	bool use_pse = boot_cpu_has_pse();
	unsigned long pfn = 0;

	while (pfn < max_low_pfn) {
		unsigned long va = PAGE_OFFSET + (pfn << PAGE_SHIFT);
		pmd_t *pmd = pmd_off_k(va);
		pte_t *pte;

		if (use_pse && block_is_uniform(va) &&
		    pfn + PTRS_PER_PTE <= max_low_pfn) {
			set_pmd_at(va, pmd, pfn_pmd_large(pfn, direct_map_prot(va)));
			pfn += PTRS_PER_PTE;
			continue;
		}
		/* From bootmem, which panics rather than fail. */
		pte = pte_alloc_kernel(pmd, va);
		for (int i = 0; i < PTRS_PER_PTE && pfn < max_low_pfn;
		     i++, pfn++, va += PAGE_SIZE)
			set_pte_at(va, &pte[i], pfn_pte(pfn, direct_map_prot(va)));
	}
}

/*
 * pagetable_init: swapper_pg_dir with one kernel PMD page behind PDPT slot
 * 3 (0xC0000000-0xFFFFFFFF); slots 0-2, user space, stay empty. CR3 does
 * not hold swapper_pg_dir yet, so its slot may be filled first.
 */
static void __init pagetable_init(void)
{
	for (int i = 0; i < PTRS_PER_PGD - 1; i++)
		pgd_clear((unsigned long)i << PGDIR_SHIFT, &swapper_pg_dir[i]);
	pmd_alloc(pgd_offset_k(PAGE_OFFSET), PAGE_OFFSET);
	kernel_physical_mapping_init();
}

/* ------------------------------------------------------------ zones */

static void __init zone_sizes_init(void)
{
	unsigned long end[MAX_NR_ZONES];

	end[ZONE_DMA] = max_low_pfn < MAX_DMA_PFN ? max_low_pfn : MAX_DMA_PFN;
	end[ZONE_NORMAL] = max_low_pfn;
	end[ZONE_HIGHMEM] = max_pfn;
	free_area_init(end);

	pr_info("Zone ranges:\n");
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &zones[z];

		if (!zone->spanned_pages) {
			pr_info("  %-8s empty\n", zone->name);
			continue;
		}
		pr_info("  %-8s [mem 0x%016llx-0x%016llx]\n", zone->name,
			(uint64_t)zone->zone_start_pfn << PAGE_SHIFT,
			((uint64_t)zone_end_pfn(zone) << PAGE_SHIFT) - 1);
	}
}

/*
 * paging_init: the kernel's own page tables replace head.asm's; global
 * pages and NX where the CPU has them; then the zones.
 */
void __init paging_init(void)
{
	if (boot_cpu_has_nx())
		__supported_pte_mask |= _PAGE_NX;
	if (boot_cpu_has_pge())
		__supported_pte_mask |= _PAGE_GLOBAL;

	pagetable_init();
	load_cr3(__pa(swapper_pg_dir));
	/* Setting CR4.PGE flushes the TLB, global entries included. */
	if (boot_cpu_has_pge()) {
		write_cr4(read_cr4() | X86_CR4_PGE);
		if (pgtrace_enabled)
			pgtrace_flush(0, TLB_FLUSH_ALL, false);
	}
	paging_checkpoint("pagetable_init");
	fixrange_init();
	permanent_kmaps_init();
	paging_checkpoint("permanent_kmaps_init");
	pr_info("paging: swapper_pg_dir at 0x%08lx, direct map 0x%08lx-0x%08lx with %s pages%s%s\n",
		__pa(swapper_pg_dir), PAGE_OFFSET,
		(unsigned long)high_memory - 1,
		boot_cpu_has_pse() ? "2 MiB and 4 KiB" : "4 KiB",
		boot_cpu_has_nx() ? ", NX" : ", no NX (data stays executable)",
		boot_cpu_has_pge() ? ", global" : "");

	zone_sizes_init();
}

/* ------------------------------------------------------------ mem_init */

#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))

static void print_region(printf_fn out, const char *name, unsigned long start,
			 unsigned long end)
{
	unsigned long kib = (end - start) >> 10;

	if (kib >= 10240)
		out("    %-9s: 0x%08lx - 0x%08lx   (%4lu MB)\n", name, start,
		    end, kib >> 10);
	else
		out("    %-9s: 0x%08lx - 0x%08lx   (%4lu kB)\n", name, start,
		    end, kib);
}

void print_memory_layout(printf_fn out)
{
	out("virtual kernel memory layout:\n");
	print_region(out, "fixmap", FIXADDR_START, FIXADDR_TOP);
	print_region(out, "pkmap", PKMAP_BASE, PKMAP_END);
	print_region(out, "vmalloc", VMALLOC_START, VMALLOC_END);
	print_region(out, "lowmem", PAGE_OFFSET, (unsigned long)high_memory);
	print_region(out, "  .init", (unsigned long)__init_begin,
		     (unsigned long)__init_end);
	print_region(out, "  .text", (unsigned long)_text, (unsigned long)_etext);
	print_region(out, "  .rodata", (unsigned long)__start_rodata,
		     (unsigned long)__end_rodata);
	print_region(out, "  .data", (unsigned long)_sdata, (unsigned long)_edata);
	print_region(out, "  .bss", (unsigned long)__bss_start,
		     (unsigned long)__bss_stop);
}

/* Every RAM page is free or accounted to one kind of reservation. */
static void __init print_accounting(void)
{
	const struct bootmem_accounting *a = &bootmem_accounting;
	unsigned long sum = a->freed_pages;

	pr_info("bootmem: %lu RAM pages = %lu free", a->ram_pages, a->freed_pages);
	for (int k = 0; k < NR_BOOTMEM_KINDS; k++) {
		pr_cont(" + %lu %s", a->kind_pages[k], bootmem_kind_name[k]);
		sum += a->kind_pages[k];
	}
	pr_cont("%s\n", sum == a->ram_pages ? "" : " (MISMATCH)");
	for (int z = 0; z < MAX_NR_ZONES; z++)
		pr_info("zone %-8s: %lu pages present, %lu free\n", zones[z].name,
			zones[z].present_pages, zones[z].free_pages);
}

void __init mem_init(void)
{
	const struct bootmem_accounting *a = &bootmem_accounting;
	unsigned long code = _etext - _text, rodata = __end_rodata - __start_rodata;
	unsigned long rwdata = __bss_stop - _sdata;
	unsigned long free, image;

	free_all_bootmem();
	after_bootmem = true;
	setup_per_cpu_pageset();
	mem_init_free_pages = nr_free_pages();
	print_accounting();
	print_memory_layout(printk);

	free = nr_free_pages();
	image = a->kind_pages[BOOTMEM_KERNEL];
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK reserved, %luK highmem)\n",
		K(free), K(a->ram_pages), code >> 10, rwdata >> 10, rodata >> 10,
		K(a->ram_pages - free - image), K(zones[ZONE_HIGHMEM].free_pages));
}
