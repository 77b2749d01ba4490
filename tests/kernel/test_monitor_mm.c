/* SPDX-License-Identifier: MIT */
/*
 * The monitor's memory commands (monitor/mm.c, monitor/memory.c) run
 * through monitor_capture and checked against the kernel's own state:
 * walk against lookup_address, vmalloc_to_page and page tables built
 * here; peek and poke against memory they read and write, faults
 * included; meminfo, zoneinfo and buddyinfo against the allocator's
 * counters; vmalloc/vfree against vmallocinfo; dmesg and layout against
 * the log buffer.
 */
#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor-flags.h"
#include "asm/processor.h"
#include "asm/x86.h"
#include "kernel/ctype.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/bootmem.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "video/efifb.h"

extern char _text[];

#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))

static char out[8192];

/* Runs the formatted line with its output in out; the command's result. */
static __printf(1, 2) int run(const char *fmt, ...)
{
	char line[MONITOR_LINE_MAX];
	va_list args;
	int ret;

	va_start(args, fmt);
	vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	monitor_capture(line, out, sizeof(out), &ret);
	return ret;
}

static unsigned int nr_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The decimal number after the first "name" in s, or ~0UL. */
static unsigned long number_after(const char *s, const char *name)
{
	const char *p = strstr(s, name);
	unsigned long v = 0;

	if (!p)
		return ~0UL;
	for (p += strlen(name); *p == ' '; p++)
		;
	if (!isdigit(*p))
		return ~0UL;
	while (isdigit(*p))
		v = v * 10 + (unsigned long)(*p++ - '0');
	return v;
}

/* The next "0x..." number at or after *p, which moves past it; 0 when
 * there is none. */
static unsigned long next_hex(const char **p)
{
	const char *s = strstr(*p, "0x");
	unsigned long v = 0;

	if (!s)
		return 0;
	for (s += 2; isxdigit(*s); s++)
		v = v * 16 + (unsigned long)(isdigit(*s) ? *s - '0' : (*s | 0x20) - 'a' + 10);
	*p = s;
	return v;
}

/* ------------------------------------------------------------ walk */

/* The kernel's first page, wherever the loader put the image (its base,
 * PAGE_OFFSET + 16 MiB where it is linked). */
KTEST(monitor_mm, walk_of_the_kernels_first_page_reaches_its_base)
{
	unsigned long va = (unsigned long)_text, phys = __pa(_text);
	pte_t want = pfn_pte(phys >> PAGE_SHIFT, PAGE_KERNEL_RX);	/* as the boot mapped .text */
	pmd_t *large;
	pte_t *pte = lookup_address(va, &large);
	char line[96], *l;

	KT_ASSERT(t, pte != NULL);		/* .text lies in 4 KiB pages */
	KT_EXPECT_EQ(t, pte->pte, want.pte);
	KT_ASSERT_EQ(t, run("walk 0x%lx", va), 0);
	snprintf(line, sizeof(line), "-> phys 0x%08lx: 4 KiB page, read-only, kernel, exec", phys);
	KT_EXPECT(t, strstr(out, line) != NULL);
	snprintf(line, sizeof(line), "  PTE [  0] at 0x%08lx: 0x%016llx  P A%s\n",
		 __pa(pte), pte->pte, (want.pte & _PAGE_GLOBAL) ? " G" : "");
	KT_EXPECT(t, strstr(out, line) != NULL);
	snprintf(line, sizeof(line), "  PMD [%3lu] at ", (va >> PMD_SHIFT) & (PTRS_PER_PMD - 1));
	l = strstr(out, line);
	KT_EXPECT(t, l && strncmp(strchr(l, '\n') - 8, "  P RW A", 8) == 0);
	/* QEMU's info tlb: X G P D A C T U W. */
	snprintf(line, sizeof(line), "  info tlb: 00000000%08lx: %016lx -%c--A----\n",
		 va, phys, (want.pte & _PAGE_GLOBAL) ? 'G' : '-');
	KT_EXPECT(t, strstr(out, line) != NULL);
	KT_EXPECT_EQ(t, nr_lines(out), 6);
}

KTEST(monitor_mm, walk_of_unmapped_addresses_stops_at_the_right_level)
{
	unsigned long hole = (unsigned long)high_memory + PMD_SIZE;
	char line[96];
	char *p;

	/* User space: swapper_pg_dir's first three slots are empty. */
	KT_EXPECT_EQ(t, run("walk 0x00400000"), -ENOENT);
	snprintf(line, sizeof(line), "  PDPT[  0] at 0x%08lx: 0x0000000000000000  not present\n",
		 __pa(swapper_pg_dir));
	KT_EXPECT(t, strstr(out, line) != NULL);
	KT_EXPECT(t, strstr(out, "-> stops at the PDPT entry: not present") != NULL);
	KT_EXPECT(t, strstr(out, "PMD [") == NULL);
	KT_EXPECT_EQ(t, nr_lines(out), 3);

	/* The gap between the direct map and the vmalloc area. */
	KT_ASSERT(t, hole < VMALLOC_START && !pmd_present(*pmd_off_k(hole)));
	KT_EXPECT_EQ(t, run("walk 0x%lx", hole), -ENOENT);
	KT_EXPECT(t, strstr(out, "-> stops at the PMD entry: not present") != NULL);
	KT_EXPECT_EQ(t, nr_lines(out), 4);

	/* A vmalloc area's guard page. */
	p = vmalloc(PAGE_SIZE);
	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, run("walk 0x%lx", (unsigned long)p + PAGE_SIZE), -ENOENT);
	KT_EXPECT(t, strstr(out, "-> stops at the PTE entry: not present") != NULL);
	KT_EXPECT_EQ(t, nr_lines(out), 5);
	vfree(p);
	vm_purge_lazy();
}

KTEST(monitor_mm, walk_of_a_vmalloc_page_reaches_vmalloc_to_page)
{
	char *p = vmalloc(3 * PAGE_SIZE), want[96];
	unsigned long va = (unsigned long)p + PAGE_SIZE + 0x123;

	KT_ASSERT(t, p != NULL);
	KT_EXPECT_EQ(t, run("walk 0x%lx", va), 0);
	snprintf(want, sizeof(want), "-> phys 0x%08llx: 4 KiB page, writable, kernel, %s, global",
		 page_to_phys(vmalloc_to_page(p + PAGE_SIZE)) + 0x123,
		 (__supported_pte_mask & _PAGE_NX) ? "no-exec" : "exec");
	if (!(__supported_pte_mask & _PAGE_GLOBAL))
		*strrchr(want, ',') = '\0';
	KT_EXPECT(t, strstr(out, want) != NULL);
	vfree(p);
	vm_purge_lazy();
}

/* Writes entry idx of the table in page (lowmem or highmem). */
static void set_entry(struct page *page, unsigned int idx, uint64_t v)
{
	uint64_t *table = kmap_atomic(page);

	table[idx] = v;
	kunmap_atomic(table);
}

/*
 * A PDPT of its own (lowmem: CR3 holds 32 bits) over a PMD page and a page
 * table from highmem where there is some: read through kmap_atomic.
 */
KTEST(monitor_mm, walk_under_a_given_pdpt_reads_tables_in_highmem)
{
	uint64_t *pdpt = (uint64_t *)get_zeroed_page(GFP_KERNEL);
	struct page *pmd = alloc_page(GFP_HIGHUSER), *pt = alloc_page(GFP_HIGHUSER);
	uint64_t frame = 0x12345000, big = 0x40000000, rsvd = 1ULL << boot_cpu_data.x86_phys_bits;
	uint64_t pmd_at, pt_at;
	char want[128];

	KT_ASSERT(t, pdpt && pmd && pt);
	for (unsigned int i = 0; i < PTRS_PER_PTE; i++) {
		set_entry(pmd, i, 0);
		set_entry(pt, i, 0);
	}
	pmd_at = page_to_phys(pmd);
	pt_at = page_to_phys(pt);
	pdpt[0] = pmd_at | _PAGE_PRESENT;
	set_entry(pmd, 2, pt_at | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED);
	set_entry(pt, 5, frame | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED);

	KT_EXPECT_EQ(t, run("walk 0x00405abc 0x%lx", __pa(pdpt)), 0);
	snprintf(want, sizeof(want), "walk 0x00405abc: PDPT at 0x%08lx (given)\n"
		 "  PDPT[  0] at 0x%08lx: 0x%016llx  P\n", __pa(pdpt), __pa(pdpt),
		 pdpt[0]);
	KT_EXPECT(t, strncmp(out, want, strlen(want)) == 0);
	snprintf(want, sizeof(want), "  PMD [  2] at 0x%08llx: 0x%016llx  P RW US A\n"
		 "  PTE [  5] at 0x%08llx: 0x%016llx  P RW US A\n"
		 "  -> phys 0x12345abc: 4 KiB page, writable, user, exec, WB\n",
		 pmd_at + 16, pt_at | 0x27, pt_at + 40, frame | 0x27);
	KT_EXPECT(t, strstr(out, want) != NULL);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);

	set_entry(pt, 5, frame | rsvd | _PAGE_PRESENT);
	KT_EXPECT_EQ(t, run("walk 0x00405abc 0x%lx", __pa(pdpt)), -EINVAL);
	snprintf(want, sizeof(want), "-> stops at the PTE entry: reserved bits 0x%016llx set", rsvd);
	KT_EXPECT(t, strstr(out, want) != NULL);

	/* A 2 MiB leaf in place of the page table. */
	set_entry(pmd, 2, big | _PAGE_PRESENT | _PAGE_PSE | _PAGE_RW);
	KT_EXPECT_EQ(t, run("walk 0x00405abc 0x%lx", __pa(pdpt)), 0);
	KT_EXPECT(t, strstr(out, "  PMD [  2]") && strstr(out, "  P RW PS\n"));
	KT_EXPECT(t, strstr(out, "PTE [") == NULL);
	KT_EXPECT(t, strstr(out, "  -> phys 0x40005abc: 2 MiB page, writable, kernel, exec, WB\n"));
	KT_EXPECT(t, strstr(out, "  info tlb: 0000000000400000: 0000000040000000 --P-----W\n"));
	set_entry(pmd, 2, big | 0x2000 | _PAGE_PRESENT | _PAGE_PSE);	/* bit 13 */
	KT_EXPECT_EQ(t, run("walk 0x00405abc 0x%lx", __pa(pdpt)), -EINVAL);
	KT_EXPECT(t, strstr(out, "stops at the PMD entry: reserved bits 0x0000000000002000 set"));

	set_entry(pmd, 2, 0);
	KT_EXPECT_EQ(t, run("walk 0x00405abc 0x%lx", __pa(pdpt)), -ENOENT);
	KT_EXPECT(t, strstr(out, "-> stops at the PMD entry: not present") != NULL);
	pdpt[0] |= 0x2;		/* reserved in a PDPT entry */
	KT_EXPECT_EQ(t, run("walk 0x00405abc 0x%lx", __pa(pdpt)), -EINVAL);
	KT_EXPECT(t, strstr(out, "PDPT entry: reserved bits 0x0000000000000002 set") != NULL);
	KT_EXPECT_EQ(t, run("walk 0 0x%lx", __pa(pdpt) + 8), -EINVAL);
	KT_EXPECT_EQ(t, nr_lines(out), 1);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);

	free_page((unsigned long)pdpt);
	__free_page(pmd);
	__free_page(pt);
}

/* ------------------------------------------------------------ bad input */

/*
 * The leaf's memory type as IA32_PAT makes it: the direct map write-back,
 * the local APIC's slot (PCD|PWT) uncached, and the framebuffer (PWT
 * alone) write-combining once pat_init programmed the PAT (ioremap_wc
 * maps it uncached, PCD|PWT, where the CPU has no PAT).
 */
KTEST(monitor_mm, walk_names_the_memory_type_the_pat_gives)
{
	void *uc = NULL;

	KT_EXPECT_EQ(t, run("walk 0x%lx", (unsigned long)PAGE_OFFSET + 0x100000), 0);
	KT_EXPECT(t, strstr(out, ", WB\n") != NULL);
	/* Without a local APIC in xAPIC mode its slot is empty: an ioremap
	 * of the same page (mapped, never touched) is uncached alike. */
	if (pte_present(*fixmap_pte(FIX_APIC_BASE))) {
		KT_EXPECT_EQ(t, run("walk 0x%lx", fix_to_virt(FIX_APIC_BASE)), 0);
	} else {
		uc = ioremap(0xfee00000, PAGE_SIZE);
		KT_ASSERT(t, uc != NULL);
		KT_EXPECT_EQ(t, run("walk 0x%lx", (unsigned long)uc), 0);
		iounmap(uc);
	}
	KT_EXPECT(t, strstr(out, ", UC\n") != NULL);
	if (!efifb.vc)
		kt_skip(t, "no framebuffer: the write-combining case needs one");
	KT_EXPECT_EQ(t, run("walk 0x%lx", efifb.virt), 0);
	KT_EXPECT(t, strstr(out, pat_enabled() ? ", WC\n" : ", UC\n") != NULL);
}

KTEST(monitor_mm, bad_input_gets_one_line_and_changes_nothing)
{
	static const struct { const char *line, *msg; int ret; } cases[] = {
		{ "walk 0xzz", "walk: 0xzz: not a number\n", -EINVAL },
		{ "walk", "walk: usage: walk ADDR [PDPT]\n", -EINVAL },
		{ "walk 0 0x1234", "walk: 0x1234: a PDPT lies on a 32-byte boundary\n", -EINVAL },
		{ "peek 0x1000 0", "peek: 0: LEN must be 1 to 4096\n", -EINVAL },
		{ "peek 0x1000 8K", "peek: 8K: LEN must be 1 to 4096\n", -EINVAL },
		{ "peek 0xfffffff8 16", "peek: 0xfffffff8 + 16 runs past 0xffffffff\n", -EINVAL },
		{ "peek -1", "peek: -1: not a number\n", -EINVAL },
		{ "vmalloc 12Q", "vmalloc: 12Q: not a number\n", -EINVAL },
		{ "vmalloc", "vmalloc: usage: vmalloc SIZE\n", -EINVAL },
		{ "vfree 0x1234", "vfree: 0x00001234: not the start of a live vmalloc area\n", -EINVAL },
		{ "vfree 12K", "vfree: 12K: not a number\n", -EINVAL },
		{ "poke 0x10 1 YES", "poke: YES: the confirmation word is 'yes'; nothing written\n", -EINVAL },
		{ "poke 0x11 1 yes", "poke: 0x00000011: not 4-byte aligned (poke writes a 32-bit word)\n", -EINVAL },
		{ "poke 0x10 0x1g yes", "poke: 0x1g: not a number\n", -EINVAL },
		{ "meminfo all", "meminfo: takes no arguments\n", -EINVAL },
		{ "dmesg -c", "dmesg: takes no arguments\n", -EINVAL },
	};
	size_t log_before = log_buf_len_now();
	unsigned long free_before = nr_free_pages(), bad_before = vmalloc_stats.bad_frees;
	char want[128];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		KT_EXPECT_EQ(t, run("%s", cases[i].line), cases[i].ret);
		KT_EXPECT_STREQ(t, out, cases[i].msg);
	}
	KT_EXPECT_EQ(t, run("vmalloc 0"), -EINVAL);
	snprintf(want, sizeof(want), "vmalloc: 0: the size must be 1 to %lu bytes (the area less a guard page)\n",
		 VMALLOC_END - VMALLOC_START - PAGE_SIZE);
	KT_EXPECT_STREQ(t, out, want);
	KT_EXPECT_EQ(t, log_buf_len_now(), log_before);
	KT_EXPECT_EQ(t, nr_free_pages(), free_before);
	KT_EXPECT_EQ(t, vmalloc_stats.bad_frees, bad_before);
}

/* ------------------------------------------------------------ peek, poke */

KTEST(monitor_mm, peek_0_faults_cleanly_and_the_kernel_goes_on)
{
	static const char bytes[20] = "pae32 peek\x01\x7f\xff" "abcdefg";
	uint32_t faults = last_fixup_fault.count;
	char *buf = kmalloc(sizeof(bytes), GFP_KERNEL), *p, want[256];
	unsigned long a;

	KT_EXPECT_EQ(t, run("peek 0"), -EFAULT);
	KT_EXPECT_STREQ(t, out, "peek: 0x00000000: page fault (read, not present, error 0x0)\n");
	KT_EXPECT_EQ(t, last_fixup_fault.count, faults + 1);

	KT_ASSERT(t, buf != NULL);
	memcpy(buf, bytes, sizeof(bytes));
	a = (unsigned long)buf;
	KT_EXPECT_EQ(t, run("peek 0x%lx 20", a), 0);
	snprintf(want, sizeof(want),
		 "%08lx: 70 61 65 33 32 20 70 65 65 6b 01 7f ff 61 62 63  pae32 peek...abc\n"
		 "%08lx: 64 65 66 67                                      defg\n", a, a + 16);
	KT_EXPECT_STREQ(t, out, want);
	kfree(buf);

	/* Up to the guard page of an area, then its fault. */
	p = vmalloc(PAGE_SIZE);
	KT_ASSERT(t, p != NULL);
	memset(p + PAGE_SIZE - 4, 'z', 4);
	a = (unsigned long)p + PAGE_SIZE;
	KT_EXPECT_EQ(t, run("peek 0x%lx 32", a - 4), -EFAULT);
	snprintf(want, sizeof(want),
		 "%08lx: 7a 7a 7a 7a                                      zzzz\n"
		 "peek: 0x%08lx: page fault (read, not present, error 0x0)\n",
		 a - 4, a);
	KT_EXPECT_STREQ(t, out, want);
	vfree(p);
	vm_purge_lazy();
}

KTEST(monitor_mm, poke_writes_only_with_yes)
{
	uint32_t *w = kmalloc(sizeof(*w), GFP_KERNEL), text = *(volatile uint32_t *)_text;
	unsigned long a = (unsigned long)w;
	char want[160];

	KT_ASSERT(t, w != NULL);
	*w = 0x11111111;
	KT_EXPECT_EQ(t, run("poke 0x%lx 0xdeadbeef", a), -EPERM);
	snprintf(want, sizeof(want),
		 "poke: would write 0xdeadbeef over 0x11111111 at 0x%08lx; add 'yes' to do it\n", a);
	KT_EXPECT_STREQ(t, out, want);
	KT_EXPECT_EQ(t, *w, 0x11111111);

	KT_EXPECT_EQ(t, run("poke 0x%lx 0xdeadbeef yes", a), 0);
	snprintf(want, sizeof(want), "0x%08lx: 0x11111111 -> 0xdeadbeef\n", a);
	KT_EXPECT_STREQ(t, out, want);
	KT_EXPECT_EQ(t, *w, 0xdeadbeef);
	kfree(w);

	KT_EXPECT_EQ(t, run("poke 0 1 yes"), -EFAULT);
	KT_EXPECT_STREQ(t, out, "poke: 0x00000000: page fault (read, not present, error 0x0); nothing written\n");
	if (read_cr0() & X86_CR0_WP) {
		KT_EXPECT_EQ(t, run("poke 0x%lx 0 yes", (unsigned long)_text), -EFAULT);
		snprintf(want, sizeof(want),
			 "poke: 0x%08lx: page fault (write, protection, error 0x3); nothing written\n",
			 (unsigned long)_text);
		KT_EXPECT_STREQ(t, out, want);
		KT_EXPECT_EQ(t, *(volatile uint32_t *)_text, text);
	}
}

/* ------------------------------------------------------------ reports */

KTEST(monitor_mm, meminfo_agrees_with_the_allocator)
{
	unsigned long total, free, slab, used, direct;
	void *big;
	char *v;

	KT_ASSERT_EQ(t, run("meminfo"), 0);
	free = nr_free_pages();
	KT_EXPECT_EQ(t, nr_lines(out), 14);
	KT_EXPECT(t, strncmp(out, "MemTotal:       ", 16) == 0 && strstr(out, " kB\nMemFree:        "));
	total = number_after(out, "MemTotal:");
	KT_EXPECT_EQ(t, total, K(bootmem_accounting.freed_pages));
	KT_EXPECT_EQ(t, number_after(out, "MemFree:"), K(free));
	KT_EXPECT_EQ(t, number_after(out, "HighFree:"), K(zones[ZONE_HIGHMEM].free_pages));
	KT_EXPECT_EQ(t, number_after(out, "HighTotal:") + number_after(out, "LowTotal:"), total);
	KT_EXPECT_EQ(t, number_after(out, "HighFree:") + number_after(out, "LowFree:"), K(free));
	KT_EXPECT_EQ(t, number_after(out, "VmallocTotal:"), (VMALLOC_END - VMALLOC_START) >> 10);
	direct = number_after(out, "DirectMap4k:") + number_after(out, "DirectMap2M:");
	KT_EXPECT_EQ(t, direct, ((unsigned long)high_memory - PAGE_OFFSET) >> 10);
	KT_EXPECT(t, number_after(out, "VmallocChunk:") <= (VMALLOC_END - VMALLOC_START) >> 10);
	slab = number_after(out, "Slab:");
	used = number_after(out, "VmallocUsed:");

	/* An 8 KiB kmalloc block is two more pages of Slab. */
	big = kmalloc(8192, GFP_KERNEL);
	KT_ASSERT(t, big != NULL);
	KT_EXPECT_EQ(t, run("meminfo"), 0);
	KT_EXPECT_EQ(t, number_after(out, "Slab:"), slab + 8);
	KT_EXPECT_EQ(t, number_after(out, "SUnreclaim:"), slab + 8);
	kfree(big);
	KT_EXPECT_EQ(t, run("meminfo"), 0);
	KT_EXPECT_EQ(t, number_after(out, "Slab:"), slab);

	/* A three-page vmalloc is three more pages of VmallocUsed. */
	v = vmalloc(3 * PAGE_SIZE);
	KT_ASSERT(t, v != NULL);
	KT_EXPECT_EQ(t, run("meminfo"), 0);
	KT_EXPECT_EQ(t, number_after(out, "VmallocUsed:"), used + 12);
	vfree(v);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, run("meminfo"), 0);
	KT_EXPECT_EQ(t, number_after(out, "VmallocUsed:"), used);
}

KTEST(monitor_mm, buddyinfo_blocks_sum_to_the_free_pages)
{
	unsigned int lines = 0;

	KT_ASSERT_EQ(t, run("buddyinfo"), 0);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &zones[z];
		unsigned long sum = 0;
		char head[32];
		const char *p;

		snprintf(head, sizeof(head), "Node 0, zone %8s ", zone->name);
		p = strstr(out, head);
		if (!zone->present_pages) {
			KT_EXPECT(t, p == NULL);
			continue;
		}
		lines++;
		KT_ASSERT(t, p != NULL);
		p += strlen(head);
		for (int order = 0; order < MAX_ORDER; order++, p += 7) {
			unsigned long nr = number_after(p, "");

			KT_EXPECT(t, p[6] == ' ');
			KT_EXPECT_EQ(t, nr, zone->free_area[order].nr_free);
			sum += nr << order;
		}
		KT_EXPECT_EQ(t, *p, '\n');
		KT_EXPECT_EQ(t, sum, zone->free_pages);
	}
	KT_EXPECT(t, lines >= 1);
	KT_EXPECT_EQ(t, nr_lines(out), lines);
}

KTEST(monitor_mm, zoneinfo_agrees_with_the_zones_and_bootmem)
{
	unsigned long present_sum = 0;

	KT_ASSERT_EQ(t, run("zoneinfo"), 0);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &zones[z];
		unsigned long present;
		char head[256];
		const char *p;

		snprintf(head, sizeof(head), "Node 0, zone %8s\n  pages free     %lu\n"
			 "        spanned  %lu\n        present  ", zone->name,
			 zone->free_pages, zone->spanned_pages);
		p = strstr(out, head);
		KT_ASSERT(t, p != NULL);
		present = number_after(p, "present");
		KT_EXPECT(t, present >= zone->present_pages && present <= zone->spanned_pages);
		KT_EXPECT_EQ(t, number_after(p, "managed"), zone->present_pages);
		present_sum += present;
		if (present) {
			snprintf(head, sizeof(head), "      nr_free_pages %lu\n  start_pfn:           %lu\n",
				 zone->free_pages, zone->zone_start_pfn);
			KT_EXPECT(t, strstr(p, head) != NULL);
		}
	}
	KT_EXPECT_EQ(t, present_sum, bootmem_accounting.ram_pages);
}

KTEST(monitor_mm, vmalloc_then_vfree_leaves_vmallocinfo_as_it_was)
{
	static char before[4096];
	unsigned long start, end, guard, guard_end, bad = vmalloc_stats.bad_frees;
	const struct vm_struct *area;
	char want[96], *mine;
	const char *p;

	KT_ASSERT_EQ(t, run("vmallocinfo"), 0);
	KT_ASSERT(t, strlen(out) < sizeof(before) - 1);
	strscpy(before, out, sizeof(before));

	KT_ASSERT_EQ(t, run("vmalloc 10000"), 0);
	KT_EXPECT_EQ(t, nr_lines(out), 2);
	p = out;
	start = next_hex(&p);
	end = next_hex(&p);
	guard = next_hex(&p);
	guard_end = next_hex(&p);
	KT_ASSERT(t, start >= VMALLOC_START && guard_end <= VMALLOC_END);
	KT_EXPECT_EQ(t, end - start, 3 * PAGE_SIZE);
	KT_EXPECT(t, strstr(out, "  12288 bytes, 3 pages\nguard page 0x") != NULL);
	KT_EXPECT(t, guard == end && guard_end == end + PAGE_SIZE);
	area = find_vm_area((void *)start);
	KT_ASSERT(t, area != NULL);
	KT_EXPECT_EQ(t, area->nr_pages, 3);
	KT_EXPECT_EQ(t, area->size, 4 * PAGE_SIZE);
	KT_EXPECT_EQ(t, run("walk 0x%lx", guard), -ENOENT);
	KT_EXPECT_EQ(t, run("vmallocinfo"), 0);
	snprintf(want, sizeof(want), "0x%08lx-0x%08lx   16384 0x%08lx pages=3 vmalloc\n",
		 start, guard_end, (unsigned long)area->caller);
	KT_EXPECT(t, strstr(out, want) != NULL);

	/* Someone else's area is left alone. */
	mine = vmalloc(PAGE_SIZE);
	KT_ASSERT(t, mine != NULL);
	KT_EXPECT_EQ(t, run("vfree 0x%lx", (unsigned long)mine), -EPERM);
	KT_EXPECT_EQ(t, nr_lines(out), 1);
	KT_EXPECT(t, find_vm_area(mine) != NULL);
	vfree(mine);

	KT_EXPECT_EQ(t, run("vfree 0x%lx", start), 0);
	snprintf(want, sizeof(want), "freed 0x%08lx-0x%08lx (3 pages)\n", start, end);
	KT_EXPECT_STREQ(t, out, want);
	KT_EXPECT_EQ(t, run("vfree 0x%lx", start), -EINVAL);	/* twice */
	KT_EXPECT_EQ(t, nr_lines(out), 1);
	KT_EXPECT_EQ(t, vmalloc_stats.bad_frees, bad);
	KT_EXPECT_EQ(t, run("vmallocinfo"), 0);
	KT_EXPECT_STREQ(t, out, before);
	vm_purge_lazy();
}

KTEST(monitor_mm, dmesg_prints_the_log_buffer)
{
	static char shown[LOG_BUF_LEN + 1], log[LOG_BUF_LEN + 1];
	static const char line[] = "monitor_mm: a line for dmesg\n";
	size_t n, m;
	int ret;

	printk("%s", line);
	n = monitor_capture("dmesg", shown, sizeof(shown), &ret);
	m = log_buf_copy(log, sizeof(log), 0);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_EQ(t, n, m);
	KT_EXPECT(t, m > 0 && memcmp(shown, log, m) == 0);
	KT_EXPECT(t, m >= strlen(line) && strcmp(shown + m - strlen(line), line) == 0);
}

KTEST(monitor_mm, layout_is_the_boot_banner_with_live_values)
{
	static char printed[2048];
	size_t from = log_buf_len_now();
	char want[80];

	print_memory_layout(printk);
	log_buf_copy(printed, sizeof(printed), from);
	KT_EXPECT_EQ(t, run("layout"), 0);
	KT_EXPECT_STREQ(t, out, printed);
	KT_EXPECT(t, strncmp(out, "virtual kernel memory layout:\n", 30) == 0);
	snprintf(want, sizeof(want), "    vmalloc  : 0x%08lx - 0x%08lx", VMALLOC_START, VMALLOC_END);
	KT_EXPECT(t, strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "    lowmem   : 0x%08lx - 0x%08lx", PAGE_OFFSET,
		 (unsigned long)high_memory);
	KT_EXPECT(t, strstr(out, want) != NULL);
	KT_EXPECT_EQ(t, nr_lines(out), 10);
}
