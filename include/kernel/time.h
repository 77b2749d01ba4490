/* SPDX-License-Identifier: MIT */
/*
 * Time keeping: the tick rate HZ (hz= on the command line), per-CPU tick
 * counters driven by each CPU's APIC timer, the TSC rate found at
 * calibration, and busy-wait delays based on it.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define HZ_DEFAULT	100
extern unsigned int HZ;			/* ticks per second, 10..1000 */
extern uint32_t tsc_khz;		/* 0 until calibrated */
extern uint32_t apic_timer_khz;		/* APIC timer input clock (after divide) */

unsigned long cpu_ticks(unsigned int cpu);	/* ticks seen by one CPU */

void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);

/* The i8254 PIT (drivers/timer/pit.c): channel 0 periodic on ISA IRQ 0,
 * or stopped; channel 2 (gated, no interrupt) as a calibration window. */
void pit_start_periodic(unsigned int hz);
void pit_stop(void);
void pit_ch2_start(unsigned int usecs);	/* one-shot countdown */
void pit_ch2_arm(uint16_t count);	/* the same in two steps: mode 0 and */
void pit_ch2_go(void);			/* the low byte, then the high byte */
void pit_ch2_latch(void);		/* the count now (one port write), */
uint16_t pit_ch2_read_latched(void);	/* read back later */
bool pit_ch2_expired(void);

#endif /* KERNEL_TIME_H */
