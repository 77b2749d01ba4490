/* SPDX-License-Identifier: MIT */
/*
 * Interrupt dispatch: every vector from 32 up enters do_IRQ
 * (kernel/irq.c), which counts it per CPU and calls the handler set for
 * it. Device interrupts are requested by ISA IRQ and routed through the
 * IO-APIC (drivers/apic/io_apic.c), or without a local APIC through the
 * 8259 pair (drivers/apic/i8259.c).
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

/*
 * Device interrupts by ISA IRQ: through the IO-APIC (drivers/apic/
 * io_apic.c: the MADT's interrupt source override gives the GSI, the
 * local APIC gets the EOI), or, on a CPU without a local APIC, through the
 * 8259 pair (drivers/apic/i8259.c: vector 0x20 + IRQ, the EOI to the
 * 8259s). Returns 0, -EINVAL (no pin or line for it, or no controller),
 * -EBUSY (already requested).
 */
typedef void (*irq_handler_t)(unsigned int irq, void *dev);
int request_irq(unsigned int isa_irq, irq_handler_t handler, void *dev,
		const char *name);
void free_irq(unsigned int isa_irq, void *dev);
/* What request_irq set up on a GSI (an 8259 line), for /proc/interrupts'
 * rows. */
struct irq_info {
	unsigned int isa_irq, gsi;
	unsigned int io_apic, pin;	/* index of the IO-APIC, its input (8259: the line) */
	bool level;			/* level triggered, else edge */
	const char *name;
	const char *chip;		/* "IO-APIC" or "XT-PIC", as Linux names them */
	unsigned int vector;
};
/* Fills *info and returns true when GSI gsi (without a local APIC: 8259
 * line gsi) is requested; else false. */
bool irq_get_info(unsigned int gsi, struct irq_info *info);
/* Whether an IO-APIC was set up. */
bool io_apic_present(void);
/* Whether request_irq can deliver device interrupts at all: an IO-APIC,
 * or the 8259 pair on a CPU without a local APIC. Without either, drivers
 * poll (docs/apic.md). */
bool device_irqs_available(void);
/* The GSI an ISA IRQ arrives on (the override, else the same number). */
unsigned int isa_irq_to_gsi(unsigned int isa_irq);
/* The vector an ISA IRQ arrives on through the controller in use. */
unsigned int isa_irq_vector(unsigned int isa_irq);

/* The IO-APIC's side of request_irq, free_irq and irq_get_info. */
int io_apic_request_irq(unsigned int isa_irq, irq_handler_t handler, void *dev,
			const char *name);
void io_apic_free_irq(unsigned int isa_irq, void *dev);
bool io_apic_get_info(unsigned int gsi, struct irq_info *info);

void init_IRQ(void);
void init_IO_APIC(void);

#endif /* KERNEL_IRQ_H */
