/* SPDX-License-Identifier: MIT */
/* The 8259A programmable interrupt controller pair (Intel 8259A data
 * sheet; PC/AT wiring: slave on master IRQ 2). Registers by port. */
#ifndef DRIVERS_APIC_I8259_H
#define DRIVERS_APIC_I8259_H

#define PIC_MASTER_CMD		0x20	/* ICW1, OCW2, OCW3 */
#define PIC_MASTER_IMR		0x21	/* ICW2-4, OCW1 (mask) */
#define PIC_SLAVE_CMD		0xa0
#define PIC_SLAVE_IMR		0xa1

/* ICW1 */
#define PIC_ICW1_ICW4		0x01	/* ICW4 follows */
#define PIC_ICW1_INIT		0x10
/* ICW3 */
#define PIC_ICW3_MASTER_SLAVE_ON_IR2	0x04
#define PIC_ICW3_SLAVE_ID		0x02
/* ICW4 */
#define PIC_ICW4_8086		0x01
/* OCW2 */
#define PIC_OCW2_EOI		0x20
/* OCW3 */
#define PIC_OCW3_READ_IRR	0x0a
#define PIC_OCW3_READ_ISR	0x0b

#define PIC_CASCADE_IR		2
#define PIC_NR_IRQS		16

#include <stdbool.h>
#include <stdint.h>
#include "kernel/irq.h"

/* The pair as the interrupt controller when there is no local APIC
 * (kernel/irq.c's request_irq comes here then): ISA IRQ n is vector
 * PIC_MASTER_VECTOR + n, edge triggered. */
int i8259_request_irq(unsigned int irq, irq_handler_t handler, void *dev, const char *name);
void i8259_free_irq(unsigned int irq, void *dev);
bool i8259_get_info(unsigned int irq, struct irq_info *info);
void init_8259A(void);

/* The in-service and mask registers, slave in the high byte; spurious
 * IRQ 7/15 seen (tests). */
uint16_t i8259_in_service(void);
uint16_t i8259_masked(void);
extern unsigned long i8259_spurious;

#endif /* DRIVERS_APIC_I8259_H */
