/* SPDX-License-Identifier: MIT */
/*
 * A simulated machine for the host tests of mm/page_alloc.c and
 * mm/slab.c: mem_map over a chosen number of frames, "RAM" for the
 * lowmem frames in one anonymous mapping (page_address points into it),
 * zones and reserved holes as a layout describes them, and the kernel's
 * printk/panic/__warn with the log captured so tests can check reports.
 */
#ifndef MM_SIM_H
#define MM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include "mm/mm.h"

#define SIM_MAX_RUNS	16

struct sim_layout {
	unsigned long max_pfn;
	unsigned long zone_end[MAX_NR_ZONES];	/* for free_area_init */
	/* Frames bootmem "did not hand out": given to free_bootmem_range
	 * run by run; all others stay reserved. */
	unsigned long runs[SIM_MAX_RUNS][2];
	int nr_runs;
};

/* Zone edges at 1500 and 5003, not multiples of 1024: the order-2
 * blocks at 1496 and 1500 and the frames 5002 and 5003 are buddies across
 * them. Holes in every zone; runs that cross both zone edges. */
extern const struct sim_layout sim_layout_std;

/* Builds the machine and calls free_area_init (not free_bootmem_range). */
void sim_init(const struct sim_layout *l);
/* free_bootmem_range over every run; returns the total it reported. */
unsigned long sim_free_runs(const struct sim_layout *l);
/* sim_init, then sim_free_runs. */
unsigned long sim_boot(const struct sim_layout *l);
void sim_fini(void);

/* Whether pfn lies in one of the layout's runs. */
bool sim_pfn_in_runs(const struct sim_layout *l, unsigned long pfn);

extern char *sim_ram;			/* frame 0's bytes */

/* The captured log (printk_capture.h). */
#include "printk_capture.h"
extern unsigned long sim_warnings;	/* __warn calls */

/*
 * Invariants of the buddy allocator, checked by walking the free lists
 * and mem_map: each free block aligned to its order, inside its zone,
 * PG_buddy with private = order only on its head, no flags on its other
 * frames, not overlapping another; list lengths = nr_free; the blocks add
 * up to free_pages; present_pages = the zone's unreserved frames; no free
 * block's buddy range is entirely free (blocks are maximal). Prints each
 * violation and returns how many there were. When free_out is not NULL,
 * free_out[pfn] is set to whether pfn is in a free block.
 */
int sim_check_buddy(unsigned char *free_out);

/* A copy of mem_map and the zones, to show that a refused call changed
 * nothing. */
struct sim_snapshot {
	struct page *mem_map;
	struct zone zones[MAX_NR_ZONES];
};
void sim_snapshot_take(struct sim_snapshot *s);
bool sim_snapshot_same(const struct sim_snapshot *s);
void sim_snapshot_drop(struct sim_snapshot *s);

#endif /* MM_SIM_H */
