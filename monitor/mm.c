/* SPDX-License-Identifier: MIT */
/*
 * The monitor's memory reports, in the formats of Linux 6.1's /proc files
 * (fs/proc/meminfo.c; vmstat.c for zoneinfo and buddyinfo; vmalloc.c for
 * vmallocinfo) with the fields this kernel has: layout, meminfo,
 * zoneinfo, buddyinfo, vmallocinfo; vmalloc and vfree by hand; dmesg.
 * walk, peek and poke are in monitor/memory.c (docs/console.md).
 */
#include "asm/memlayout.h"
#include "asm/pgtable.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/bootmem.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))

/* For a command that takes no words: false after saying it got some. */
static bool no_args(int argc, char **argv)
{
	if (argc == 1)
		return true;
	mon_printf("%s: takes no arguments\n", argv[0]);
	return false;
}

/* ------------------------------------------------------------ layout */

/* layout: mem_init's "virtual kernel memory layout" banner, now. */
static int cmd_layout(int argc, char **argv)
{
	if (!no_args(argc, argv))
		return -EINVAL;
	print_memory_layout(mon_printf);
	return 0;
}
MONITOR_CMD(layout, "", "the virtual kernel memory layout, live values", cmd_layout);

/* ------------------------------------------------------------ meminfo */

/* One "Name:   12345 kB" line, as Linux's show_val_kb. */
static void show_val_kb(const char *name, unsigned long kb)
{
	mon_printf("%-16s%8lu kB\n", name, kb);
}

static int add_vmalloc_pages(const struct vm_struct *area, void *arg)
{
	if (area->flags & VM_ALLOC)
		*(unsigned long *)arg += area->nr_pages;
	return 0;
}

/* The direct map's pages by size: arch/x86's DirectMap4k/DirectMap2M. */
static void count_direct_map(unsigned long *nr_4k, unsigned long *nr_2m)
{
	unsigned long end = (unsigned long)high_memory;

	*nr_4k = *nr_2m = 0;
	for (unsigned long va = PAGE_OFFSET; va < end; va += PMD_SIZE) {
		pmd_t *large;
		pte_t *pte = lookup_address(va, &large);

		if (large)
			(*nr_2m)++;
		for (unsigned long i = 0; pte && i < PTRS_PER_PTE &&
		     va + i * PAGE_SIZE < end; i++)
			*nr_4k += pte_present(pte[i]);
	}
}

/*
 * meminfo: MemTotal counts the pages the buddy allocator manages (Linux's
 * totalram_pages), Slab the kmalloc pages, VmallocUsed the pages of
 * vmalloc areas, VmallocChunk the largest free range of the area.
 */
static int cmd_meminfo(int argc, char **argv)
{
	unsigned long total = 0, free = nr_free_pages(), vm_used = 0;
	unsigned long high_total = zones[ZONE_HIGHMEM].present_pages;
	unsigned long high_free = zones[ZONE_HIGHMEM].free_pages;
	unsigned long slab = kmalloc_slab_pages(), nr_4k, nr_2m;

	if (!no_args(argc, argv))
		return -EINVAL;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		total += zones[z].present_pages;
	vmalloc_for_each_area(add_vmalloc_pages, &vm_used);
	count_direct_map(&nr_4k, &nr_2m);

	show_val_kb("MemTotal:", K(total));
	show_val_kb("MemFree:", K(free));
	show_val_kb("HighTotal:", K(high_total));
	show_val_kb("HighFree:", K(high_free));
	show_val_kb("LowTotal:", K(total - high_total));
	show_val_kb("LowFree:", K(free - high_free));
	show_val_kb("Slab:", K(slab));
	show_val_kb("SReclaimable:", 0);
	show_val_kb("SUnreclaim:", K(slab));
	show_val_kb("VmallocTotal:", (VMALLOC_END - VMALLOC_START) >> 10);
	show_val_kb("VmallocUsed:", K(vm_used));
	show_val_kb("VmallocChunk:", vmalloc_largest_free() >> 10);
	show_val_kb("DirectMap4k:", K(nr_4k));
	show_val_kb("DirectMap2M:", nr_2m << (PMD_SHIFT - 10));
	return 0;
}
MONITOR_CMD(meminfo, "", "memory use, as /proc/meminfo", cmd_meminfo);

/* ------------------------------------------------------------ zones */

/* Linux's present_pages (RAM in the span); the zone's own
 * present_pages counts what the allocator was given: Linux's managed. */
static unsigned long zone_ram_pages(const struct zone *zone)
{
	return bootmem_ram_pages(zone->zone_start_pfn, zone_end_pfn(zone));
}

/* zoneinfo: the /proc/zoneinfo fields this kernel has (no watermarks or
 * vm stats but nr_free_pages, which counts the per-CPU lists' pages; the
 * lists' pagesets are not shown). */
static int cmd_zoneinfo(int argc, char **argv)
{
	if (!no_args(argc, argv))
		return -EINVAL;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &zones[z];
		unsigned long present = zone_ram_pages(zone);

		mon_printf("Node 0, zone %8s\n"
			   "  pages free     %lu\n"
			   "        spanned  %lu\n"
			   "        present  %lu\n"
			   "        managed  %lu\n",
			   zone->name, zone->free_pages, zone->spanned_pages,
			   present, zone->present_pages);
		if (!present)		/* Linux stops here for an empty zone */
			continue;
		mon_printf("      %-12s %lu\n", "nr_free_pages", zone->free_pages);
		mon_printf("  start_pfn:           %lu\n", zone->zone_start_pfn);
	}
	return 0;
}
MONITOR_CMD(zoneinfo, "", "the zones, as /proc/zoneinfo", cmd_zoneinfo);

/* buddyinfo: free blocks of each order, per zone that has RAM, after the
 * per-CPU page lists are drained into them (so they add up to the free
 * pages; Linux shows the buddy lists as they are). */
static int cmd_buddyinfo(int argc, char **argv)
{
	if (!no_args(argc, argv))
		return -EINVAL;
	drain_all_pages();
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];
		unsigned long nr[MAX_ORDER], flags;

		if (!zone_ram_pages(zone))
			continue;
		/* One snapshot under the lock, printed outside it. */
		spin_lock_irqsave(&zone->lock, flags);
		for (int order = 0; order < MAX_ORDER; order++)
			nr[order] = zone->free_area[order].nr_free;
		spin_unlock_irqrestore(&zone->lock, flags);
		mon_printf("Node 0, zone %8s ", zone->name);
		for (int order = 0; order < MAX_ORDER; order++)
			mon_printf("%6lu ", nr[order]);
		mon_printf("\n");
	}
	return 0;
}
MONITOR_CMD(buddyinfo, "", "free blocks per order, as /proc/buddyinfo", cmd_buddyinfo);

/* ------------------------------------------------------------ vmalloc */

static int cmd_vmallocinfo(int argc, char **argv)
{
	if (!no_args(argc, argv))
		return -EINVAL;
	vmallocinfo_show(mon_printf);
	return 0;
}
MONITOR_CMD(vmallocinfo, "", "the vmalloc areas, as /proc/vmallocinfo", cmd_vmallocinfo);

static int cmd_vmalloc(int argc, char **argv);

/* The areas `vmalloc` makes carry this caller; `vfree` frees no other. */
#define VMALLOC_CMD_CALLER	((const void *)cmd_vmalloc)

/* vmalloc SIZE: a new area, shown with its guard page. */
static int cmd_vmalloc(int argc, char **argv)
{
	unsigned long size, area = VMALLOC_END - VMALLOC_START - PAGE_SIZE;
	unsigned long start, end;
	void *p;

	if (argc != 2) {
		mon_printf("vmalloc: usage: vmalloc SIZE\n");
		return -EINVAL;
	}
	if (mon_parse_ulong(argv[0], argv[1], true, &size))
		return -EINVAL;
	if (!size || size > area) {
		mon_printf("vmalloc: %s: the size must be 1 to %lu bytes (the area less a guard page)\n",
			   argv[1], area);
		return -EINVAL;
	}
	p = __vmalloc(size, PAGE_SIZE, PAGE_KERNEL, 0, VMALLOC_CMD_CALLER);
	if (!p) {
		mon_printf("vmalloc: no room or no memory for %lu bytes\n", size);
		return -ENOMEM;
	}
	start = (unsigned long)p;
	end = start + PAGE_ALIGN(size);
	mon_printf("area       0x%08lx-0x%08lx  %lu bytes, %lu pages\n"
		   "guard page 0x%08lx-0x%08lx\n", start, end, end - start,
		   (end - start) >> PAGE_SHIFT, end, end + PAGE_SIZE);
	return 0;
}
MONITOR_CMD(vmalloc, "SIZE", "a new vmalloc area (K/M suffix) and its guard", cmd_vmalloc);

/* vfree ADDR: only an area `vmalloc` made, so nothing in use goes. */
static int cmd_vfree(int argc, char **argv)
{
	const struct vm_struct *area;
	unsigned long addr, size;

	if (argc != 2) {
		mon_printf("vfree: usage: vfree ADDR\n");
		return -EINVAL;
	}
	if (mon_parse_ulong(argv[0], argv[1], false, &addr))
		return -EINVAL;
	area = find_vm_area((void *)addr);
	if (!area) {
		mon_printf("vfree: 0x%08lx: not the start of a live vmalloc area\n", addr);
		return -EINVAL;
	}
	if (area->caller != VMALLOC_CMD_CALLER) {
		mon_printf("vfree: 0x%08lx: not made by the vmalloc command (caller 0x%08lx); left alone\n",
			   addr, (unsigned long)area->caller);
		return -EPERM;
	}
	size = get_vm_area_size(area);
	if (vfree((void *)addr))	/* it has said why, in the log */
		return -EINVAL;
	mon_printf("freed 0x%08lx-0x%08lx (%lu pages)\n", addr, addr + size,
		   size >> PAGE_SHIFT);
	return 0;
}
MONITOR_CMD(vfree, "ADDR", "free an area the vmalloc command made", cmd_vfree);

/* ------------------------------------------------------------ dmesg */

/* dmesg: the whole log buffer as it stands when the command starts. */
static int cmd_dmesg(int argc, char **argv)
{
	size_t end = log_buf_len_now();
	size_t from = end > LOG_BUF_LEN ? end - LOG_BUF_LEN : 0;
	char chunk[512];

	if (!no_args(argc, argv))
		return -EINVAL;
	while (from < end) {
		size_t n = log_buf_copy(chunk, min(sizeof(chunk), end - from + 1), from);

		if (!n)
			break;
		mon_write(chunk, n);
		from += n;
	}
	return 0;
}
MONITOR_CMD(dmesg, "", "the kernel log buffer, all of it", cmd_dmesg);
