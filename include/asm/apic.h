/* SPDX-License-Identifier: MIT */
/*
 * The local APIC as the rest of the kernel sees it (drivers/apic/apic.c;
 * registers in drivers/apic/xapic.h). MMIO goes through apic_read and
 * apic_write only: 32-bit accesses at FIX_APIC_BASE.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include "asm/fixmap.h"

#define APIC_BASE_VA	__fix_to_virt(FIX_APIC_BASE)

static inline uint32_t apic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(APIC_BASE_VA + reg);
}

static inline void apic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(APIC_BASE_VA + reg) = v;
}

extern bool lapic_enabled;	/* set once setup_local_APIC ran on the BSP */

void setup_local_APIC(void);		/* this CPU: enable, LVTs, error vector */
void apic_eoi(void);
bool apic_vector_pending(unsigned int vector);
unsigned int read_apic_id(void);

/* Interprocessor interrupts (Intel SDM vol. 3A §10.6): a fixed vector to
 * one CPU (by APIC ID); INIT and STARTUP for AP boot.
 * Each waits for the ICR's delivery-status bit to clear. */
void apic_send_ipi(unsigned int apic_id, unsigned int vector);
void apic_send_init(unsigned int apic_id);
void apic_send_startup(unsigned int apic_id, unsigned int page);

/* The APIC timer: calibrate once against the PIT (BSP), then start a
 * periodic tick at HZ on each CPU. */
void calibrate_APIC_clock(void);
void setup_APIC_timer(void);

#endif /* ASM_APIC_H */
