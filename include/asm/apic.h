/* SPDX-License-Identifier: MIT */
/*
 * The local APIC as the rest of the kernel sees it (drivers/apic/apic.c;
 * registers in drivers/apic/xapic.h). Every register access goes through
 * apic_read and apic_write: 32-bit MMIO at FIX_APIC_BASE in xAPIC mode,
 * RDMSR/WRMSR of MSR 0x800 + offset / 16 in x2APIC mode (Intel SDM vol.
 * 3A §10.12.1.2), whichever the firmware handed over.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include "asm/fixmap.h"
#include "asm/x86.h"

#define APIC_BASE_VA	__fix_to_virt(FIX_APIC_BASE)

/*
 * What init_apic_mappings found on the boot CPU: whether the kernel uses
 * a local APIC at all (false: CPUID has none, or the firmware disabled it
 * in IA32_APIC_BASE; the 8259 pair and the PIT then run one CPU), and
 * whether it is in x2APIC mode (IA32_APIC_BASE.EXTD as handed over).
 */
extern bool lapic_present;
extern bool x2apic_mode;
extern bool lapic_enabled;	/* set once setup_local_APIC ran on the BSP */

static inline uint32_t apic_read(uint32_t reg)
{
	if (x2apic_mode)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return *(volatile uint32_t *)(APIC_BASE_VA + reg);
}

static inline void apic_write(uint32_t reg, uint32_t v)
{
	if (x2apic_mode)
		wrmsr(0x800 + (reg >> 4), v);
	else
		*(volatile uint32_t *)(APIC_BASE_VA + reg) = v;
}

/* The boot CPU's APIC: found (xAPIC, x2APIC, none) and, in xAPIC mode,
 * mapped at FIX_APIC_BASE; one line says which. */
void init_apic_mappings(void);
/* apic.handover_test=: put IA32_APIC_BASE as a firmware would have left
 * it (x2APIC mode, or disabled), before anything reads the APIC; tests
 * only (docs/boot-protocol.md). */
void apic_handover_test(void);

void setup_local_APIC(void);		/* this CPU: enable, LVTs, error vector */
void apic_eoi(void);
bool apic_vector_pending(unsigned int vector);
unsigned int read_apic_id(void);	/* 8 bits in xAPIC mode, 32 in x2APIC */

/* Interprocessor interrupts (Intel SDM vol. 3A §10.6): a fixed vector to
 * one CPU (by APIC ID), to this CPU (the x2APIC's SELF IPI register, or
 * the self shorthand); INIT and STARTUP for AP boot. In xAPIC mode each
 * waits for the ICR's delivery-status bit to clear; x2APIC has none. */
void apic_send_ipi(unsigned int apic_id, unsigned int vector);
void apic_send_self_ipi(unsigned int vector);
void apic_send_init(unsigned int apic_id);
void apic_send_startup(unsigned int apic_id, unsigned int page);
/* Whether apic_id can be addressed in the mode in use (xAPIC: 8 bits). */
bool apic_id_reachable(unsigned int apic_id);

/* The APIC timer: one-shot from its maximum (divide by 16) and its count,
 * for the calibration (kernel/time.c); then a periodic tick at HZ on
 * each CPU. */
void apic_timer_start_max(void);
uint32_t apic_timer_count(void);
void apic_timer_stop(void);
void setup_APIC_timer(void);

#endif /* ASM_APIC_H */
