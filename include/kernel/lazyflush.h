/* SPDX-License-Identifier: MIT */
/*
 * The lazy-flush stress workload (kernel/lazyflush.c): kmap threads on
 * every CPU and kmap_atomic in every CPU's timer interrupt, over more
 * highmem pages than the PKMap area has slots, each page carrying its own
 * identity. The lazyflush KTEST cases and the SMP benchmark run it.
 */
#ifndef KERNEL_LAZYFLUSH_H
#define KERNEL_LAZYFLUSH_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What a run does: at least msecs of guest (TSC) time, at least min_wraps
 * wraps of the pkmap scan and one kmap_atomic check in a tick, whichever
 * comes last, so that a slow host makes the run longer, not emptier; it
 * ends at the first mismatch when stop_at_first_mismatch is set, and gives
 * up (gave_up) a minute of guest time after msecs. negative_control skips
 * the shootdown IPIs.
 */
struct lazyflush_run {
	unsigned int msecs;
	unsigned long min_wraps;
	bool negative_control;
	bool stop_at_first_mismatch;
};

struct lazyflush_result {
	unsigned int cpus, threads, pool_pages;
	uint64_t cycles;		/* TSC cycles the run lasted */
	unsigned long kmap_ops;		/* kmap/verify/write/kunmap rounds */
	unsigned long atomic_checks;	/* kmap_atomic rounds in timer ticks */
	unsigned long mismatches;	/* pages that were not what kmap said */
	unsigned long atomic_mismatches;
	unsigned long wraps, global_flushes;	/* kmap_stats deltas */
	unsigned long shootdowns, ipis, skipped;	/* tlb_stats deltas */
	unsigned long first_mismatch_ms;	/* ~0UL: none */
	unsigned long first_mismatch_wraps;	/* wraps before it; ~0UL: none */
	bool gave_up;			/* the wraps asked for never came */
	bool slots_clean;		/* no slot in use, no page hashed, at the end */
	long free_pages_delta;		/* nr_free_pages after - before */
};

/* 0; -ENOMEM without 2 * LAST_PKMAP free highmem pages; -EAGAIN when a
 * worker thread cannot be made (said in the log). */
int lazyflush_stress(const struct lazyflush_run *run, struct lazyflush_result *r);
void lazyflush_report(const char *what, const struct lazyflush_result *r);

#endif /* KERNEL_LAZYFLUSH_H */
