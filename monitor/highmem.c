/* SPDX-License-Identifier: MIT */
/*
 * The monitor's high-memory commands: pkmap, fixmap, kmap, kunmap and
 * kmap_atomic, thin callers of mm/highmem.c and mm/fixmap.c that show the
 * PKMap slots, the lazy global flush at each wrap and the fixmap slots
 * (seed 003 §10.1; docs/highmem.md; docs/console.md lists the commands).
 */
#include "asm/fixmap.h"
#include "asm/memlayout.h"
#include "asm/percpu.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/monitor.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/slab.h"

/* The most pages one `kmap N` maps in turn (the pointers are kmalloc'ed). */
#define KMAP_CMD_MAX		8192
/* `kmap N` shows each page up to this N, else runs of slots. */
#define KMAP_CMD_DETAIL		8
/* The mapped slots the short `pkmap` lists one a line. */
#define PKMAP_DETAIL		12

/*
 * The mappings `kmap hold` keeps live until `kunmap ADDR`. At most
 * LAST_PKMAP - 1 slots may be mapped at once, by anyone: with every slot
 * mapped the next kmap would sleep until a kunmap that nobody at the
 * prompt can make.
 */
static struct {
	struct page *page;
	void *va;
} held[LAST_PKMAP];
static unsigned int nr_held;

unsigned int mon_kmaps_held(void)
{
	return nr_held;
}

static struct pkmap_snapshot snap;	/* too big for the stack */

/* Slots mapped for some user (count >= 2). */
static unsigned int mapped_slots(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] >= 2;
	return n;
}

static unsigned int slots_at_one(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] == 1;
	return n;
}

static bool no_highmem(const char *cmd)
{
	if (zones[ZONE_HIGHMEM].present_pages)
		return false;
	mon_printf("%s: no highmem here: ZONE_HIGHMEM is empty, all RAM is in the direct map\n",
		   cmd);
	return true;
}

/* A 4 KiB page's PTE flags as walk names them, then its memory type. */
static void pte_flags(char *buf, size_t len, uint64_t pte)
{
	size_t n = mon_pae_flags(buf, len, pte, PAE_PTE);

	if (pte & _PAGE_PRESENT)
		scnprintf(buf + n, len - n, " (%s)", pte_memtype(pte, false));
}

/* ------------------------------------------------------------ pkmap */

static char count_char(int count)
{
	if (count <= 0)
		return '.';
	return count <= 9 ? (char)('0' + count) : '+';
}

static void pkmap_slot_line(unsigned int i)
{
	if (!snap.count[i]) {
		mon_printf("%5u  0x%08lx  %5d  -\n", i, PKMAP_ADDR(i), 0);
		return;
	}
	mon_printf("%5u  0x%08lx  %5d  0x%-7lx  0x%llx\n", i, PKMAP_ADDR(i),
		   snap.count[i], snap.pfn[i], (unsigned long long)snap.pfn[i] << PAGE_SHIFT);
}

/*
 * pkmap [all]: the counters and a map of the 512 slots (a character per
 * slot: '.' free, '1' unused until the next wrap, 'n' mapped with n - 1
 * users) with the mapped slots in detail; `pkmap all` every slot a line.
 */
static int cmd_pkmap(int argc, char **argv)
{
	unsigned int zero = 0, one = 0, mapped = 0, shown = 0;
	bool all = argc == 2 && strcmp(argv[1], "all") == 0;

	if (argc > 2 || (argc == 2 && !all)) {
		mon_printf("pkmap: usage: pkmap [all]\n");
		return -EINVAL;
	}
	pkmap_snapshot(&snap);
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		zero += snap.count[i] == 0;
		one += snap.count[i] == 1;
		mapped += snap.count[i] >= 2;
	}
	mon_printf("PKMap 0x%08lx-0x%08lx: %u slots, last_pkmap_nr %u\n",
		   PKMAP_BASE, PKMAP_ADDR(LAST_PKMAP), LAST_PKMAP, snap.last_pkmap_nr);
	mon_printf("counts: %u free (0), %u unused until the next wrap (1), %u mapped (2+)\n",
		   zero, one, mapped);
	mon_printf("since boot: %lu wraps, %lu global flushes, %lu kmap waits, %lu bad kunmaps\n",
		   snap.stats.pkmap_wraps, snap.stats.global_flushes,
		   snap.stats.kmap_waits, snap.stats.bad_kunmaps);
	if (all) {
		mon_printf(" slot  virtual     count  pfn        physical\n");
		for (unsigned int i = 0; i < LAST_PKMAP; i++)
			pkmap_slot_line(i);
		return 0;
	}
	mon_printf("map, 64 slots a row: '.' count 0, '1' count 1, '2'-'9' count, '+' 10 or more\n");
	for (unsigned int row = 0; row < LAST_PKMAP; row += 64) {
		char line[65];

		for (unsigned int i = 0; i < 64; i++)
			line[i] = count_char(snap.count[row + i]);
		line[64] = '\0';
		mon_printf("%5u %s\n", row, line);
	}
	if (!mapped)
		return 0;
	mon_printf(" slot  virtual     count  pfn        physical\n");
	for (unsigned int i = 0; i < LAST_PKMAP && shown < PKMAP_DETAIL; i++) {
		if (snap.count[i] < 2)
			continue;
		pkmap_slot_line(i);
		shown++;
	}
	if (mapped > shown)
		mon_printf("... and %u more mapped slots (pkmap all lists every slot)\n",
			   mapped - shown);
	return 0;
}
MONITOR_CMD(pkmap, "[all]", "the PKMap slots: counts, pages, last_pkmap_nr, wraps and global flushes",
	    cmd_pkmap);

/* ------------------------------------------------------------ fixmap */

/* "FIX_APIC_BASE", "FIX_IO_APIC_BASE_3", "FIX_KMAP_BEGIN+17 (CPU 1 depth 1)". */
static void fixmap_name(char *buf, size_t len, unsigned int idx)
{
	if (idx == FIX_HOLE)
		snprintf(buf, len, "FIX_HOLE");
	else if (idx == FIX_APIC_BASE)
		snprintf(buf, len, "FIX_APIC_BASE");
	else if (idx <= FIX_IO_APIC_BASE_END)
		snprintf(buf, len, "FIX_IO_APIC_BASE_%u", idx - FIX_IO_APIC_BASE_0);
	else
		snprintf(buf, len, "FIX_KMAP_BEGIN+%u (CPU %u depth %u)",
			 idx - FIX_KMAP_BEGIN, (idx - FIX_KMAP_BEGIN) / KM_TYPE_NR,
			 (idx - FIX_KMAP_BEGIN) % KM_TYPE_NR);
}

/* fixmap: every mapped fixmap slot: index, name, addresses, flags. */
static int cmd_fixmap(int argc, char **argv)
{
	unsigned int used = 0;

	if (argc != 1) {
		mon_printf("fixmap: usage: fixmap (no arguments)\n");
		return -EINVAL;
	}
	for (unsigned int idx = 0; idx < __end_of_fixed_addresses; idx++)
		used += pte_present(*fixmap_pte(idx));
	mon_printf("fixmap 0x%08lx-0x%08lx: %u slots, %u mapped\n", FIXADDR_START,
		   FIXADDR_TOP + PAGE_SIZE, (unsigned int)__end_of_fixed_addresses, used);
	mon_printf("  idx  name                              virtual     physical    flags\n");
	for (unsigned int idx = 0; idx < __end_of_fixed_addresses; idx++) {
		pte_t pte = *fixmap_pte(idx);
		char name[48], flags[64];

		if (!pte_present(pte))
			continue;
		fixmap_name(name, sizeof(name), idx);
		pte_flags(flags, sizeof(flags), pte.pte);
		mon_printf("%5u  %-32s  0x%08lx  0x%08llx  %s\n", idx, name,
			   __fix_to_virt(idx),
			   (unsigned long long)(pte.pte & PTE_PFN_MASK), flags);
	}
	return 0;
}
MONITOR_CMD(fixmap, "", "the fixmap slots in use: index, name, addresses, cache flags", cmd_fixmap);

/* ------------------------------------------------------------ kmap */

/* One page a line (small N). */
static void kmap_show_page(struct page *page, void *va)
{
	mon_printf("  pfn 0x%lx (0x%llx) -> slot %lu at 0x%08lx; kunmap: count %d\n",
		   page_to_pfn(page), (unsigned long long)page_to_phys(page),
		   PKMAP_NR(va), (unsigned long)va, pkmap_count[PKMAP_NR(va)]);
}

/* A run of consecutive slots, each left at count 1. */
static void kmap_show_run(unsigned long first, unsigned long last)
{
	if (first == last)
		mon_printf("  slot %lu, left at count 1\n", first);
	else
		mon_printf("  slots %lu-%lu (%lu pages), each left at count 1\n",
			   first, last, last - first + 1);
}

/*
 * Up to n highmem pages into pages[0..n) that no PKMap slot maps: a page
 * freed by an earlier `kmap N` may still sit in a slot at count 1, and a
 * kmap of it would take that slot again instead of the next one. Those
 * are kept aside in pages[n..n + *aside) (at most LAST_PKMAP of them)
 * until the caller frees everything. Returns how many it got.
 */
static unsigned int alloc_unmapped_highmem(struct page **pages, unsigned long n,
					   unsigned int *aside)
{
	unsigned int got = 0;

	while (got < n) {
		struct page *page;

		if (!alloc_highmem_pages(&page, 1))
			break;
		if (!page_address_highmem(page))
			pages[got++] = page;
		else if (*aside < LAST_PKMAP)
			pages[n + (*aside)++] = page;
		else
			__free_page(page);	/* unreachable: 512 slots map 512 pages at most */
	}
	return got;
}

/*
 * kmap N pages in turn: each kmap()ed, then kunmap()ed at once, so each
 * slot is left at count 1 until the scan next wraps to slot 0, where
 * flush_all_zero_pkmaps frees them all with one global flush.
 */
static int kmap_cycle(unsigned long n)
{
	struct kmap_stats s0 = kmap_stats;
	unsigned long first = 0, prev = 0, wraps, flushes;
	unsigned int got, aside = 0;
	struct page **pages;
	bool in_run = false;
	int ret = 0;

	pages = kmalloc((n + LAST_PKMAP) * sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		mon_printf("kmap: no memory for %lu page pointers\n", n);
		return -ENOMEM;
	}
	got = alloc_unmapped_highmem(pages, n, &aside);
	if (got < n) {
		mon_printf("kmap: %lu highmem pages wanted, %u free\n", n, got);
		ret = -ENOMEM;
		goto out;
	}
	mon_printf("kmap: %lu distinct highmem page%s, each kmap()ed then kunmap()ed\n", n,
		   n == 1 ? "" : "s");
	for (unsigned long i = 0; i < n; i++) {
		unsigned long w0 = kmap_stats.pkmap_wraps, f0 = kmap_stats.global_flushes;
		unsigned int ones = slots_at_one();
		void *va = kmap(pages[i]);
		unsigned long slot = PKMAP_NR(va);

		if (kmap_stats.pkmap_wraps != w0) {
			if (in_run)
				kmap_show_run(first, prev);
			in_run = false;
			if (kmap_stats.global_flushes != f0)
				mon_printf("  wrap to slot 0: %u slots at count 1 freed, global flush #%lu\n",
					   ones, kmap_stats.global_flushes);
			else
				mon_printf("  wrap to slot 0: no slot at count 1, no flush\n");
		}
		kunmap(pages[i]);
		if (n <= KMAP_CMD_DETAIL) {
			kmap_show_page(pages[i], va);
			continue;
		}
		if (in_run && slot != prev + 1) {
			kmap_show_run(first, prev);
			in_run = false;
		}
		if (!in_run)
			first = slot;
		in_run = true;
		prev = slot;
	}
	if (in_run)
		kmap_show_run(first, prev);
	wraps = kmap_stats.pkmap_wraps - s0.pkmap_wraps;
	flushes = kmap_stats.global_flushes - s0.global_flushes;
	mon_printf("kmap: %lu pair%s, %lu wrap%s, %lu global flush%s (%lu since boot), last_pkmap_nr %u\n",
		   n, n == 1 ? "" : "s", wraps, wraps == 1 ? "" : "s", flushes, flushes == 1 ? "" : "es",
		   kmap_stats.global_flushes, last_pkmap_nr);
out:
	/* Pages at count 1 keep their slot (and stale mapping) until the
	 * next wrap, as in Linux; freeing them meanwhile is allowed. */
	for (unsigned int i = 0; i < got; i++)
		__free_page(pages[i]);
	for (unsigned int i = 0; i < aside; i++)
		__free_page(pages[n + i]);
	kfree(pages);
	return ret;
}

/* kmap hold N: N more highmem pages kmap()ed and kept. */
static int kmap_hold(unsigned long n)
{
	unsigned int mapped = mapped_slots(), from = nr_held;

	if (mapped + n > LAST_PKMAP - 1) {
		mon_printf("kmap: hold %lu: %u + %lu mapped slots > %u: the next kmap would sleep forever at the prompt\n",
			   n, mapped, n, LAST_PKMAP - 1);
		return -ENOSPC;
	}
	for (unsigned long i = 0; i < n; i++) {
		unsigned long f0 = kmap_stats.global_flushes;
		struct page *page;
		void *va;

		if (!alloc_highmem_pages(&page, 1)) {
			mon_printf("kmap: hold %lu: only %lu highmem pages free\n", n, i);
			while (nr_held > from) {
				nr_held--;
				kunmap(held[nr_held].page);
				__free_page(held[nr_held].page);
				held[nr_held].page = NULL;
			}
			return -ENOMEM;
		}
		va = kmap(page);
		held[nr_held].page = page;
		held[nr_held].va = va;
		nr_held++;
		if (kmap_stats.global_flushes != f0)
			mon_printf("  wrap to slot 0: global flush #%lu\n", kmap_stats.global_flushes);
		if (n <= KMAP_CMD_DETAIL)
			mon_printf("  holding pfn 0x%lx at 0x%08lx (slot %lu, count %d)\n",
				   page_to_pfn(page), (unsigned long)va, PKMAP_NR(va),
				   pkmap_count[PKMAP_NR(va)]);
	}
	mon_printf("kmap: %u held (kunmap ADDR releases one, kunmap all every one)\n", nr_held);
	return 0;
}

/* kmap [N] | kmap hold N */
static int cmd_kmap(int argc, char **argv)
{
	bool hold = argc >= 2 && strcmp(argv[1], "hold") == 0;
	unsigned long n = 1;

	if (argc > 3 || (argc == 3 && !hold) || (hold && argc != 3)) {
		mon_printf("kmap: usage: kmap [N] | kmap hold N\n");
		return -EINVAL;
	}
	if (argc > 1 && mon_parse_ulong("kmap", argv[argc - 1], false, &n))
		return -EINVAL;
	/* kmap_hold refuses what would leave no slot free. */
	if (!n || (!hold && n > KMAP_CMD_MAX)) {
		mon_printf("kmap: %lu: not between 1 and %u\n", n,
			   hold ? LAST_PKMAP - 1 : KMAP_CMD_MAX);
		return -EINVAL;
	}
	if (no_highmem("kmap"))
		return -ENODEV;
	return hold ? kmap_hold(n) : kmap_cycle(n);
}
MONITOR_CMD(kmap, "[N] | hold N", "kmap+kunmap N highmem pages in turn (1), or kmap N and keep them",
	    cmd_kmap);

static void release_held(unsigned int i)
{
	kunmap(held[i].page);
	__free_page(held[i].page);
	held[i] = held[--nr_held];
	held[nr_held].page = NULL;
}

/* kunmap ADDR | kunmap all: release what `kmap hold` keeps. */
static int cmd_kunmap(int argc, char **argv)
{
	unsigned long addr;

	if (argc != 2) {
		mon_printf("kunmap: usage: kunmap ADDR | kunmap all\n");
		return -EINVAL;
	}
	if (strcmp(argv[1], "all") == 0) {
		unsigned int n = nr_held;

		while (nr_held)
			release_held(nr_held - 1);
		mon_printf("kunmap: %u released (their slots at count 1 until the next wrap)\n", n);
		return 0;
	}
	if (mon_parse_ulong("kunmap", argv[1], false, &addr))
		return -EINVAL;
	for (unsigned int i = 0; i < nr_held; i++) {
		unsigned long va = (unsigned long)held[i].va, pfn;

		if ((addr & PAGE_MASK) != va)
			continue;
		pfn = page_to_pfn(held[i].page);
		release_held(i);
		mon_printf("kunmap: 0x%08lx (slot %lu, pfn 0x%lx): count %d; %u held\n",
			   va, PKMAP_NR(va), pfn, pkmap_count[PKMAP_NR(va)], nr_held);
		return 0;
	}
	mon_printf("kunmap: 0x%lx: not a mapping that kmap hold made (%u held)\n", addr, nr_held);
	return -EINVAL;
}
MONITOR_CMD(kunmap, "ADDR | all", "release a mapping of kmap hold (or all of them)", cmd_kunmap);

/* kmap_atomic: one highmem page through this CPU's next fixmap slot. */
static int cmd_kmap_atomic(int argc, char **argv)
{
	char name[48], flags[64];
	struct page *page;
	unsigned int idx;
	pte_t pte;
	void *va;
	int ret;

	if (argc != 1) {
		mon_printf("kmap_atomic: usage: kmap_atomic (no arguments)\n");
		return -EINVAL;
	}
	if (no_highmem("kmap_atomic"))
		return -ENODEV;
	if (!alloc_highmem_pages(&page, 1)) {
		mon_printf("kmap_atomic: no free highmem page\n");
		return -ENOMEM;
	}
	va = kmap_atomic(page);
	if (!va) {
		__free_page(page);
		mon_printf("kmap_atomic: refused (nesting deeper than %d)\n", KM_TYPE_NR);
		return -EBUSY;
	}
	idx = __virt_to_fix((unsigned long)va);
	pte = *fixmap_pte(idx);
	ret = kunmap_atomic(va);
	/* Printed after the unmap: the holder must not sleep, and a console
	 * may. */
	fixmap_name(name, sizeof(name), idx);
	pte_flags(flags, sizeof(flags), pte.pte);
	mon_printf("kmap_atomic: pfn 0x%lx (0x%llx) -> fixmap %u %s at 0x%08lx\n",
		   page_to_pfn(page), (unsigned long long)page_to_phys(page), idx, name,
		   (unsigned long)va);
	mon_printf("  PTE 0x%016llx: %s\n", (unsigned long long)pte.pte, flags);
	mon_printf("kunmap_atomic: %s, PTE now 0x%016llx, its TLB entry flushed\n",
		   ret ? "refused" : "done", (unsigned long long)fixmap_pte(idx)->pte);
	__free_page(page);
	return ret;
}
MONITOR_CMD(kmap_atomic, "", "map a highmem page with kmap_atomic: its slot, address and PTE",
	    cmd_kmap_atomic);
