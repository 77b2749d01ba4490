/* SPDX-License-Identifier: MIT */
/*
 * The simulated machine of mm_sim.h: mem_map, lowmem "RAM", the direct
 * map conversions, printk with a captured log, panic, __warn, and the
 * buddy invariant checker shared by the page allocator and slab tests.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "mm_sim.h"
#include "kernel/printk.h"	/* renames vsnprintf to lib/vsprintf.c's */

struct page *mem_map;
unsigned long max_pfn, max_low_pfn, highstart_pfn, highend_pfn;
void *high_memory;

char *sim_ram;
static size_t sim_ram_size;
unsigned long sim_warnings;

const struct sim_layout sim_layout_std = {
	.max_pfn = 9001,
	.zone_end = { 1500, 5003, 9001 },
	.runs = {
		{ 1, 100 },		/* page 0 reserved, hole [100, 260) */
		{ 260, 3000 },		/* crosses DMA -> Normal at 1500 */
		{ 3040, 3041 },		/* a lone frame in the hole [3000, 3077) */
		{ 3077, 7000 },		/* crosses Normal -> HighMem at 5003 */
		{ 7010, 8990 },		/* hole [7000, 7010); top 11 frames kept */
	},
	.nr_runs = 5,
};

/* ------------------------------------------------------------ direct map */

void *page_address(const struct page *p)
{
	if (PageHighMem(p))
		return NULL;
	return sim_ram + (size_t)page_to_pfn(p) * PAGE_SIZE;
}

bool virt_addr_valid(const void *addr)
{
	const char *a = addr;

	return sim_ram && a >= sim_ram && a < sim_ram + sim_ram_size;
}

struct page *virt_to_page(const void *addr)
{
	return mem_map + ((const char *)addr - sim_ram) / PAGE_SIZE;
}

/* ------------------------------------------------------------ machine */

void sim_init(const struct sim_layout *l)
{
	max_pfn = l->max_pfn;
	max_low_pfn = l->zone_end[ZONE_NORMAL];
	highstart_pfn = max_low_pfn;
	highend_pfn = max_pfn;
	mem_map = calloc(max_pfn, sizeof(struct page));
	if (!mem_map)
		abort();
	/* Untouched pages of the mapping cost nothing, so a 6 GiB layout
	 * needs no 896 MiB of host memory. */
	sim_ram_size = (size_t)max_low_pfn * PAGE_SIZE;
	sim_ram = mmap(NULL, sim_ram_size ? sim_ram_size : PAGE_SIZE,
		       PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sim_ram == MAP_FAILED)
		abort();
	high_memory = sim_ram + sim_ram_size;
	page_alloc_bad_frees = 0;
	sim_warnings = 0;
	sim_log_clear();
	free_area_init(l->zone_end);
}

bool sim_pfn_in_runs(const struct sim_layout *l, unsigned long pfn)
{
	for (int i = 0; i < l->nr_runs; i++)
		if (pfn >= l->runs[i][0] && pfn < l->runs[i][1])
			return true;
	return false;
}

unsigned long sim_free_runs(const struct sim_layout *l)
{
	unsigned long freed = 0;

	for (int i = 0; i < l->nr_runs; i++)
		freed += free_bootmem_range(l->runs[i][0], l->runs[i][1]);
	return freed;
}

unsigned long sim_boot(const struct sim_layout *l)
{
	sim_init(l);
	return sim_free_runs(l);
}

void sim_fini(void)
{
	free(mem_map);
	mem_map = NULL;
	munmap(sim_ram, sim_ram_size ? sim_ram_size : PAGE_SIZE);
	sim_ram = NULL;
	sim_ram_size = 0;
	max_pfn = max_low_pfn = highstart_pfn = highend_pfn = 0;
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	printf("Kernel panic - not syncing: %s\n", msg);
	fflush(stdout);
	abort();
}

void __warn(const char *file, int line, const char *cond)
{
	sim_warnings++;
	printk("WARNING: at %s:%d: WARN_ON(%s)\n", file, line, cond);
}

/* ------------------------------------------------------------ checks */

#define VIOLATION(...) do {						\
	if (bad++ < 20) {						\
		printf("    buddy invariant: ");			\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

int sim_check_buddy(unsigned char *free_out)
{
	/* 0: not in a free block, 1: in one, 2: the head of one. */
	unsigned char *cover = calloc(max_pfn ? max_pfn : 1, 1);
	int bad = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];
		unsigned long sum = 0, present = 0;

		for (unsigned int o = 0; o < MAX_ORDER; o++) {
			unsigned long n = 0, size = 1UL << o;
			struct page *page;

			list_for_each_entry(page, &zone->free_area[o].free_list, lru) {
				unsigned long pfn = page_to_pfn(page);

				if (++n > max_pfn) {
					VIOLATION("%s order %u list does not end", zone->name, o);
					break;
				}
				sum += size;
				if (pfn & (size - 1))
					VIOLATION("%s order-%u block at pfn %#lx misaligned",
						  zone->name, o, pfn);
				if (pfn < zone->zone_start_pfn || pfn + size > zone_end_pfn(zone)) {
					VIOLATION("%s order-%u block at pfn %#lx outside the zone",
						  zone->name, o, pfn);
					continue;
				}
				if (!PageBuddy(page) || page->private != o ||
				    page_zonenum(page) != (enum zone_type)z)
					VIOLATION("%s order-%u block at pfn %#lx: head flags %#lx private %lu",
						  zone->name, o, pfn, page->flags, page->private);
				for (unsigned long i = 0; i < size; i++) {
					struct page *p = pfn_to_page(pfn + i);

					if (cover[pfn + i])
						VIOLATION("pfn %#lx in two free blocks", pfn + i);
					cover[pfn + i] = i ? 1 : 2;
					if (PageReserved(p) || PageHead(p) || PageSlab(p) ||
					    PageLargeKmalloc(p) || (i && PageBuddy(p)))
						VIOLATION("pfn %#lx in the free block at %#lx has flags %#lx",
							  pfn + i, pfn, p->flags);
				}
			}
			if (n != zone->free_area[o].nr_free)
				VIOLATION("%s order %u: %lu blocks listed, nr_free %lu",
					  zone->name, o, n, zone->free_area[o].nr_free);
		}
		if (sum != zone->free_pages)
			VIOLATION("%s: blocks hold %lu frames, free_pages %lu",
				  zone->name, sum, zone->free_pages);
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++)
			if (!PageReserved(pfn_to_page(pfn)))
				present++;
		if (present != zone->present_pages)
			VIOLATION("%s: %lu unreserved frames, present_pages %lu",
				  zone->name, present, zone->present_pages);
	}

	/* PG_buddy only on listed heads; every free block maximal. */
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		struct zone *zone = page_zone(page);
		unsigned long size, b;
		bool all_free = true;

		if (PageBuddy(page) && cover[pfn] != 2)
			VIOLATION("pfn %#lx has PG_buddy but heads no listed block", pfn);
		if (cover[pfn] != 2 || page->private >= MAX_ORDER - 1)
			continue;
		size = 1UL << page->private;
		b = pfn ^ size;
		if (b < zone->zone_start_pfn || b + size > zone_end_pfn(zone))
			continue;
		for (unsigned long i = 0; i < size && all_free; i++)
			all_free = cover[b + i] != 0;
		if (all_free)
			VIOLATION("order-%lu block at pfn %#lx: its buddy at %#lx is all free (not merged)",
				  page->private, pfn, b);
	}
	if (free_out)
		for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
			free_out[pfn] = cover[pfn] != 0;
	free(cover);
	return bad;
}

void sim_snapshot_take(struct sim_snapshot *s)
{
	s->mem_map = malloc(max_pfn * sizeof(struct page));
	memcpy(s->mem_map, mem_map, max_pfn * sizeof(struct page));
	memcpy(s->zones, zones, sizeof(zones));
}

static bool same_page(const struct page *a, const struct page *b)
{
	return a->flags == b->flags && a->_refcount == b->_refcount &&
	       a->lru.next == b->lru.next && a->lru.prev == b->lru.prev &&
	       a->private == b->private && a->freelist == b->freelist &&
	       a->inuse == b->inuse && a->objmap == b->objmap;
}

bool sim_snapshot_same(const struct sim_snapshot *s)
{
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
		if (!same_page(&s->mem_map[pfn], &mem_map[pfn])) {
			printf("    pfn %#lx changed\n", pfn);
			return false;
		}
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *a = &s->zones[z], *b = &zones[z];

		if (a->free_pages != b->free_pages || a->present_pages != b->present_pages)
			return false;
		for (int o = 0; o < MAX_ORDER; o++)
			if (a->free_area[o].nr_free != b->free_area[o].nr_free ||
			    a->free_area[o].free_list.next != b->free_area[o].free_list.next ||
			    a->free_area[o].free_list.prev != b->free_area[o].free_list.prev)
				return false;
	}
	return true;
}

void sim_snapshot_drop(struct sim_snapshot *s)
{
	free(s->mem_map);
	s->mem_map = NULL;
}
