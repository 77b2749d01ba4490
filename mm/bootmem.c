/* SPDX-License-Identifier: MIT */
/*
 * The boot memory allocator: RAM ranges from the e820 table and reserved
 * ranges, both as sorted arrays, serve the first allocations; mem_init then
 * frees what is left to the buddy allocator (Gorman ch. 5 "Boot Memory
 * Allocator" for the role; ranges instead of a bitmap, so a 6 GiB machine
 * costs no bitmap walk).
 */
#include "asm/page.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/bootmem.h"
#include "mm/mm.h"

#define BOOTMEM_MAX_RANGES	128

struct bootmem_range {
	uint64_t start, end;		/* page aligned, end exclusive */
	enum bootmem_kind kind;		/* reserved ranges only */
};

static struct bootmem_range memory[BOOTMEM_MAX_RANGES];
static struct bootmem_range reserved[BOOTMEM_MAX_RANGES];
static int nr_memory, nr_reserved;
static uint64_t alloc_limit = ~0ULL;
static bool bootmem_retired;

struct bootmem_accounting bootmem_accounting;

const char *const bootmem_kind_name[NR_BOOTMEM_KINDS] = {
	[BOOTMEM_KERNEL] = "kernel",
	[BOOTMEM_MEM_MAP] = "mem_map",
	[BOOTMEM_PAGETABLE] = "page tables",
	[BOOTMEM_DATA] = "boot data",
	[BOOTMEM_FIRMWARE] = "reserved",
	[BOOTMEM_MODULES] = "modules",
	[BOOTMEM_INITRD] = "initrd",
};

/* Inserts r into the sorted array a of *n entries. */
static int insert_range(struct bootmem_range *a, int *n,
			struct bootmem_range r)
{
	int i;

	if (*n == BOOTMEM_MAX_RANGES)
		return -ENOSPC;
	for (i = *n; i > 0 && a[i - 1].start > r.start; i--)
		a[i] = a[i - 1];
	a[i] = r;
	(*n)++;
	return 0;
}

int bootmem_add_memory(uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN(base, (uint64_t)PAGE_SIZE);
	uint64_t end = ALIGN_DOWN(base + size, (uint64_t)PAGE_SIZE);

	BUG_ON(bootmem_retired);
	if (start >= end)
		return 0;
	bootmem_accounting.ram_pages += (end - start) >> PAGE_SHIFT;
	return insert_range(memory, &nr_memory,
			    (struct bootmem_range){ start, end, 0 });
}

int reserve_bootmem(uint64_t base, uint64_t size, enum bootmem_kind kind)
{
	uint64_t start = ALIGN_DOWN(base, (uint64_t)PAGE_SIZE);
	uint64_t end = ALIGN(base + size, (uint64_t)PAGE_SIZE);

	BUG_ON(bootmem_retired);
	for (int i = 0; i < nr_reserved; i++) {
		if (start < reserved[i].end && reserved[i].start < end) {
			pr_err("bootmem: [0x%llx-0x%llx) (%s) overlaps [0x%llx-0x%llx) (%s)\n",
			       start, end, bootmem_kind_name[kind],
			       reserved[i].start, reserved[i].end,
			       bootmem_kind_name[reserved[i].kind]);
			return -EBUSY;
		}
	}
	/* Grow a neighbour of the same kind instead of taking a new slot:
	 * boot allocations (a page table after a page table) come in runs. */
	for (int i = 0; i < nr_reserved; i++) {
		struct bootmem_range *r = &reserved[i];

		if (r->kind != kind)
			continue;
		if (r->end == start && (i + 1 == nr_reserved ||
					reserved[i + 1].start >= end)) {
			r->end = end;
			return 0;
		}
		if (r->start == end) {
			r->start = start;
			return 0;
		}
	}
	return insert_range(reserved, &nr_reserved,
			    (struct bootmem_range){ start, end, kind });
}

/* Give [base, base + size) (widened to pages) back: the parts of any
 * reservation inside it are dropped, splitting one that straddles it. */
int free_bootmem(uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_DOWN(base, (uint64_t)PAGE_SIZE);
	uint64_t end = ALIGN(base + size, (uint64_t)PAGE_SIZE);

	BUG_ON(bootmem_retired);
	for (int i = 0; i < nr_reserved; i++) {
		struct bootmem_range *r = &reserved[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {
			struct bootmem_range tail = { end, r->end, r->kind };

			r->end = start;
			return insert_range(reserved, &nr_reserved, tail);
		}
		if (r->start < start) {
			r->end = start;
		} else if (r->end > end) {
			r->start = end;
		} else {
			memmove(r, r + 1, (nr_reserved - i - 1) * sizeof(*r));
			nr_reserved--;
			i--;
		}
	}
	return 0;
}

void bootmem_set_limit(unsigned long limit_pfn)
{
	alloc_limit = (uint64_t)limit_pfn << PAGE_SHIFT;
}

/* The lowest address >= from inside memory range m where len bytes fit
 * between the reservations, or 0 (page 0 is always reserved). */
static uint64_t find_fit(const struct bootmem_range *m, uint64_t from,
			 uint64_t len)
{
	uint64_t addr = from > m->start ? from : m->start;
	uint64_t end = m->end < alloc_limit ? m->end : alloc_limit;

	for (int i = 0; i < nr_reserved && addr + len <= end; i++) {
		const struct bootmem_range *r = &reserved[i];

		if (r->end <= addr || r->start >= addr + len)
			continue;
		addr = r->end;		/* step past the reservation in the way */
	}
	return addr + len <= end ? addr : 0;
}

void *__alloc_bootmem_nopanic(size_t size, uint64_t goal, enum bootmem_kind kind)
{
	uint64_t len = ALIGN((uint64_t)size, (uint64_t)PAGE_SIZE);
	uint64_t addr = 0;

	BUG_ON(bootmem_retired);
	for (int pass = 0; pass < 2 && !addr; pass++) {
		for (int i = 0; i < nr_memory && !addr; i++)
			addr = find_fit(&memory[i], pass == 0 ? goal : 0, len);
	}
	if (!addr)
		return NULL;
	if (reserve_bootmem(addr, len, kind))
		panic("bootmem: the table of reserved ranges is full (%d)",
		      BOOTMEM_MAX_RANGES);
	memset(__va(addr), 0, len);
	return __va(addr);
}

void *__alloc_bootmem(size_t size, uint64_t goal, enum bootmem_kind kind)
{
	void *p = __alloc_bootmem_nopanic(size, goal, kind);

	if (!p)
		panic("bootmem: no room for %llu bytes of %s below 0x%llx",
		      ALIGN((uint64_t)size, (uint64_t)PAGE_SIZE),
		      bootmem_kind_name[kind], alloc_limit);
	return p;
}

/*
 * size bytes below limit (the AP trampoline's page below 1 MiB), or NULL
 * when no RAM there is free: the caller can do without, so no panic.
 */
void *__alloc_bootmem_below(size_t size, uint64_t limit, enum bootmem_kind kind)
{
	uint64_t len = ALIGN((uint64_t)size, (uint64_t)PAGE_SIZE);
	uint64_t saved = alloc_limit, addr = 0;

	BUG_ON(bootmem_retired);
	alloc_limit = min(limit, saved);
	for (int i = 0; i < nr_memory && !addr; i++)
		addr = find_fit(&memory[i], 0, len);
	alloc_limit = saved;
	if (!addr || reserve_bootmem(addr, len, kind))
		return NULL;
	memset(__va(addr), 0, len);
	return __va(addr);
}

/* Pages of [start, end) that r covers. */
static unsigned long overlap_pages(uint64_t start, uint64_t end,
				   const struct bootmem_range *r)
{
	uint64_t lo = start > r->start ? start : r->start;
	uint64_t hi = end < r->end ? end : r->end;

	return lo < hi ? (unsigned long)((hi - lo) >> PAGE_SHIFT) : 0;
}

unsigned long bootmem_ram_pages(unsigned long start_pfn, unsigned long end_pfn)
{
	uint64_t start = (uint64_t)start_pfn << PAGE_SHIFT;
	uint64_t end = (uint64_t)end_pfn << PAGE_SHIFT;
	unsigned long pages = 0;

	for (int i = 0; i < nr_memory; i++)
		pages += overlap_pages(start, end, &memory[i]);
	return pages;
}

unsigned long free_all_bootmem(void)
{
	struct bootmem_accounting *acct = &bootmem_accounting;

	BUG_ON(bootmem_retired);
	for (int i = 0; i < nr_memory; i++) {
		const struct bootmem_range *m = &memory[i];
		uint64_t pos = m->start;

		/* Reserved ranges are sorted and disjoint: free the gaps. */
		for (int j = 0; j < nr_reserved; j++) {
			const struct bootmem_range *r = &reserved[j];

			acct->kind_pages[r->kind] += overlap_pages(m->start, m->end, r);
			if (r->end <= pos || r->start >= m->end)
				continue;
			if (r->start > pos)
				acct->freed_pages += free_bootmem_range(
					pos >> PAGE_SHIFT, r->start >> PAGE_SHIFT);
			pos = r->end;
		}
		if (pos < m->end)
			acct->freed_pages += free_bootmem_range(pos >> PAGE_SHIFT,
								m->end >> PAGE_SHIFT);
	}
	bootmem_retired = true;
	return acct->freed_pages;
}
