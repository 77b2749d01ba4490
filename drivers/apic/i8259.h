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
#define PIC_OCW3_READ_ISR	0x0b

#define PIC_CASCADE_IR		2

#endif /* DRIVERS_APIC_I8259_H */
