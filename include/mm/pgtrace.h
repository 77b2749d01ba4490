/* SPDX-License-Identifier: MIT */
/*
 * The paging trace and its checkpoints (docs/paging-trace.md): with
 * "trace=paging" every page-table write and every TLB flush is one line on
 * port 0xE9, and at named checkpoints the kernel stops for an emulator to
 * walk its page tables (Bochs: the magic breakpoint; QEMU: a pause that
 * only the test harness arms, through a fw_cfg file).
 */
#ifndef MM_PGTRACE_H
#define MM_PGTRACE_H

#include <stdint.h>
#include "kernel/types.h"

extern bool pgtrace_enabled;		/* "trace=paging" */

enum pgtrace_level { PGTRACE_PGD, PGTRACE_PMD, PGTRACE_PTE };

/* One entry at entry (any kernel address of the table) covering va
 * changed from old to new. */
void pgtrace_entry(enum pgtrace_level level, unsigned long va,
		   const volatile void *entry, uint64_t old, uint64_t new);

/* The page-table page at table (a kernel address) is new and all zero:
 * whatever the trace wrote there before no longer holds. */
void pgtrace_table(const void *table);

/* This CPU dropped its translations of [start, end) (end TLB_FLUSH_ALL:
 * every one), on its own initiative or for another CPU's IPI. */
void pgtrace_flush(unsigned long start, unsigned long end, bool by_ipi);

/* This CPU loaded CR3 with phys; a load also drops the non-global
 * translations, and all of them while CR4.PGE is clear. */
void pgtrace_cr3(unsigned long phys);

/*
 * paging_checkpoint - a named point where the page tables are in a known
 * state: a trace line, the Bochs magic breakpoint (a no-op elsewhere), and
 * under QEMU a pause until an NMI when the harness armed this name.
 * Callable with locks held and interrupts off.
 */
void paging_checkpoint(const char *name);

/* paging_checkpoint the first time name comes by, nothing after (the
 * first pkmap wrap, the first vmalloc purge). Callable as above. */
void paging_checkpoint_once(const char *name);

/* Whether the harness asked QEMU to pause at checkpoint name. */
bool paging_checkpoint_armed(const char *name);

/* Reads the harness's fw_cfg file of checkpoint names (after the
 * console is up, before the first checkpoint). */
void paging_checkpoints_init(void);

#endif /* MM_PGTRACE_H */
