/* SPDX-License-Identifier: MIT */
/*
 * The legacy 8259A pair: moved off the exception vectors (ICW2) and masked
 * entirely, since device interrupts come through the IO-APIC; only a
 * spurious IRQ 7 or 15 can still arrive (8259A data sheet, "Interrupt
 * Sequence"; Linux's arch/x86/kernel/i8259.c does the same at boot).
 */
#include "asm/irq_vectors.h"
#include "asm/x86.h"
#include "i8259.h"
#include "kernel/irq.h"
#include "kernel/printk.h"

unsigned long i8259_spurious;

/* A spurious IRQ 7/15 sets no ISR bit and wants no EOI, except that a
 * slave spurious was a real IRQ 2 on the master. */
static void i8259_spurious_interrupt(struct pt_regs *regs)
{
	if (regs->vector == PIC_SLAVE_VECTOR + 7)
		outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
	if (i8259_spurious++ == 0)
		pr_info("i8259: spurious IRQ %u (reported once)\n",
			regs->vector - PIC_MASTER_VECTOR);
}

void init_8259A(void)
{
	outb(PIC_MASTER_IMR, 0xff);
	outb(PIC_SLAVE_IMR, 0xff);

	outb(PIC_MASTER_CMD, PIC_ICW1_INIT | PIC_ICW1_ICW4);
	outb(PIC_MASTER_IMR, PIC_MASTER_VECTOR);
	outb(PIC_MASTER_IMR, PIC_ICW3_MASTER_SLAVE_ON_IR2);
	outb(PIC_MASTER_IMR, PIC_ICW4_8086);

	outb(PIC_SLAVE_CMD, PIC_ICW1_INIT | PIC_ICW1_ICW4);
	outb(PIC_SLAVE_IMR, PIC_SLAVE_VECTOR);
	outb(PIC_SLAVE_IMR, PIC_ICW3_SLAVE_ID);
	outb(PIC_SLAVE_IMR, PIC_ICW4_8086);

	/* Every line masked, the cascade too. */
	outb(PIC_MASTER_IMR, 0xff);
	outb(PIC_SLAVE_IMR, 0xff);

	set_vector_handler(PIC_MASTER_VECTOR + 7, i8259_spurious_interrupt, "i8259 spurious");
	set_vector_handler(PIC_SLAVE_VECTOR + 7, i8259_spurious_interrupt, "i8259 spurious");
	pr_info("i8259: remapped to vectors 0x%02x/0x%02x and masked\n",
		PIC_MASTER_VECTOR, PIC_SLAVE_VECTOR);
}
