/* SPDX-License-Identifier: MIT */
/*
 * Benchmarks (kernel/bench.c): programs that print figures, run with
 * "bench" on the command line by ./build.sh bench; never timed tests.
 */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include <stdbool.h>
#include <stdint.h>

extern uint64_t boot_entry_tsc;		/* rdtsc at kernel entry (head.asm) */
extern uint64_t memory_ready_tsc;	/* rdtsc when kmalloc works */
extern uint64_t modules_loaded_tsc;	/* rdtsc when the boot modules are in */

bool bench_requested(void);
/* Runs every benchmark and prints the figures (the monitor's `bench`). */
void bench_run(void);
/* bench_run, then exits QEMU (halts on a PC): a boot with "bench". */
__attribute__((noreturn)) void bench_run_and_exit(void);
void bench_smp(void);		/* kernel/bench_smp.c */
void bench_console(void);	/* kernel/bench_console.c */
void bench_threads(void);	/* kernel/bench_smp.c */

#endif /* KERNEL_BENCH_H */
