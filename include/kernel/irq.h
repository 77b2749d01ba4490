/* SPDX-License-Identifier: MIT */
/*
 * Interrupt dispatch: every vector from 32 up enters do_IRQ
 * (kernel/irq.c), which counts it per CPU and calls the handler set for
 * it. Device interrupts are requested by ISA IRQ or GSI and routed through
 * the IO-APIC (drivers/apic/io_apic.c).
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include "asm/irq_vectors.h"
#include "asm/ptrace.h"

typedef void (*vector_handler_t)(struct pt_regs *regs);

/* Install the handler of a vector (>= 32); a second handler for the same
 * vector is a bug (panic). The handler runs with interrupts disabled and
 * must EOI the local APIC itself when the source needs it. */
void set_vector_handler(unsigned int vector, vector_handler_t handler,
			const char *name);

/* How often vector v arrived on CPU cpu, and on all CPUs. */
unsigned long irq_count(unsigned int cpu, unsigned int vector);
unsigned long irq_count_all(unsigned int vector);

/* Device interrupts (drivers/apic/io_apic.c): isa_irq goes through the
 * MADT's interrupt source overrides to its GSI; the handler runs, then
 * the local APIC gets its EOI. Returns 0, -EINVAL (no IO-APIC pin for it),
 * -EBUSY (already requested). */
typedef void (*irq_handler_t)(unsigned int irq, void *dev);
int request_irq(unsigned int isa_irq, irq_handler_t handler, void *dev,
		const char *name);
void free_irq(unsigned int isa_irq, void *dev);
/* What request_irq set up on a GSI (for /proc/interrupts' rows). */
struct irq_info {
	unsigned int isa_irq, gsi;
	unsigned int io_apic, pin;	/* index of the IO-APIC, its input */
	bool level;			/* level triggered, else edge */
	const char *name;
};
/* Fills *info and returns true when GSI gsi is requested; else false. */
bool irq_get_info(unsigned int gsi, struct irq_info *info);
/* Whether an IO-APIC was set up: without one request_irq always fails
 * (drivers then poll; docs/apic.md). */
bool io_apic_present(void);
/* The GSI an ISA IRQ arrives on (the override, else the same number). */
unsigned int isa_irq_to_gsi(unsigned int isa_irq);

void init_IRQ(void);
void init_IO_APIC(void);

#endif /* KERNEL_IRQ_H */
