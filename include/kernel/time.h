/* SPDX-License-Identifier: MIT */
/*
 * Time keeping (kernel/time.c): the tick rate HZ (hz= on the command
 * line) and the per-CPU tick counters it drives (each CPU's APIC timer,
 * or without a local APIC the PIT on IRQ 0), the reference clock the TSC
 * and the APIC timer are calibrated against (PIT channel 2 when it
 * counts, else the HPET, else the ACPI PM timer), and busy-wait delays.
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
/* One tick on this CPU (its timer interrupt, interrupts off): the count,
 * the scheduler, and on CPU 0 the consoles. */
void timer_tick(void);

void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);

/*
 * The clock the calibration measured against, and what drives the boot
 * CPU's tick. time_init (boot CPU, after the ACPI tables and the APIC):
 * finds a PM timer without a FADT, checks that PIT channel 2 counts
 * (bounded by the PM timer, else by TSC cycles), picks the reference and
 * calibrates the TSC (and the APIC timer, when there is one) against it;
 * with no clock at all it panics, saying which were missing. tick_init:
 * the boot CPU's periodic tick at HZ: its APIC timer, else PIT channel 0
 * on IRQ 0 through the 8259, else the HPET's timer 0 in legacy mode, else
 * the RTC's periodic interrupt on IRQ 8 (HZ then becomes the power of two
 * at or above it, the RTC's rates being those); with none it panics.
 */
enum ref_clock_id { REF_NONE, REF_PIT, REF_HPET, REF_PM_TIMER };
extern enum ref_clock_id ref_clock_used;
extern bool pit_counting;		/* PIT channel 2 was seen to count */
enum tick_source { TICK_NONE, TICK_LAPIC, TICK_PIT, TICK_HPET, TICK_RTC };
extern enum tick_source tick_source;
extern unsigned int tick_irq_hz;	/* PIT/HPET/RTC: interrupts a second (HZ * divider) */
extern unsigned int tick_irq;		/* PIT/HPET: ISA IRQ 0; RTC: 8 */
const char *ref_clock_name(enum ref_clock_id id);
void time_init(void);
void tick_init(void);

/* The i8254 PIT (drivers/timer/pit.c): channel 0 periodic on ISA IRQ 0,
 * or stopped; channel 2 (gated, no interrupt) as a calibration window. */
void pit_start_periodic(unsigned int hz);
void pit_stop(void);
uint16_t pit_ch0_read(void);		/* channel 0's count now (latched) */
void pit_ch2_start(unsigned int usecs);	/* one-shot countdown */
void pit_ch2_arm(uint16_t count);	/* the same in two steps: mode 0 and */
void pit_ch2_go(void);			/* the low byte, then the high byte */
void pit_ch2_latch(void);		/* the count now (one port write), */
uint16_t pit_ch2_read_latched(void);	/* read back later */
bool pit_ch2_expired(void);

/* The HPET (drivers/timer/hpet.c): found, checked and mapped on first
 * use; 0 or -ENODEV / -ENOMEM. */
int hpet_init(void);
bool hpet_present(void);
uint32_t hpet_read_counter(void);	/* main counter, low 32 bits */
int hpet_legacy_tick_start(unsigned int hz);
uint32_t hpet_tick_comparator(void);	/* timer 0's next expiry */
extern uint32_t hpet_hz;
extern uint64_t hpet_address;

/* The CMOS RTC's periodic interrupt (drivers/timer/rtc.c) at 2^shift Hz,
 * 16..8192, calling tick: 0, -ENODEV (no RTC) or request_irq's error. */
int rtc_periodic_start(unsigned int shift, void (*tick)(void));
/* The RTC's wall-clock time, seconds since 1970 (UTC); 0 without an RTC. */
int64_t rtc_read_seconds(void);

#endif /* KERNEL_TIME_H */
