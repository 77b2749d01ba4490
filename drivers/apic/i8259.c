/* SPDX-License-Identifier: MIT */
/*
 * The legacy 8259A pair (8259A data sheet: "Interrupt Sequence", ICW1-4,
 * OCW1-3; Linux's arch/x86/kernel/i8259.c for names). At boot it is moved
 * off the exception vectors (ICW2) and masked. With a local APIC the
 * IO-APIC carries the device interrupts and only a spurious IRQ 7 or 15
 * can arrive here; without one (lapic_present false) the pair is the
 * interrupt controller: request_irq unmasks an ISA line (the cascade too
 * for 8-15), the handler runs, then the EOI goes to the slave and the
 * master. IRQ 7 and 15 are told from their spurious kind by the ISR.
 */
#define pr_fmt(fmt) "i8259: " fmt

#include "asm/irq_vectors.h"
#include "asm/x86.h"
#include "i8259.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"

unsigned long i8259_spurious;

struct pic_desc {
	irq_handler_t handler;
	void *dev;
	const char *name;
};

static struct pic_desc pic_desc[PIC_NR_IRQS];
static uint16_t cached_imr = 0xffff;	/* bit n: line n masked */
static DEFINE_SPINLOCK(i8259_lock);

static void write_imr(void)
{
	outb(PIC_MASTER_IMR, cached_imr & 0xff);
	outb(PIC_SLAVE_IMR, cached_imr >> 8);
}

/* The in-service register of the chip at cmd, then back to reading the
 * IRR (the power-on default of OCW3). */
static uint8_t read_isr(uint16_t cmd)
{
	uint8_t isr;

	outb(cmd, PIC_OCW3_READ_ISR);
	isr = inb(cmd);
	outb(cmd, PIC_OCW3_READ_IRR);
	return isr;
}

uint16_t i8259_in_service(void)
{
	return read_isr(PIC_MASTER_CMD) | read_isr(PIC_SLAVE_CMD) << 8;
}

uint16_t i8259_masked(void)
{
	return (uint16_t)(inb(PIC_MASTER_IMR) | inb(PIC_SLAVE_IMR) << 8);
}

static void i8259_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC_SLAVE_CMD, PIC_OCW2_EOI);
	outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
}

/*
 * Every vector of the pair lands here. A spurious IRQ 7/15 (the line fell
 * before the acknowledge cycle) sets no ISR bit and wants no EOI, except
 * that a slave spurious was a real IRQ 2 on the master, which wants one.
 */
static void i8259_interrupt(struct pt_regs *regs)
{
	unsigned int irq = regs->vector - PIC_MASTER_VECTOR;
	const struct pic_desc *d = &pic_desc[irq];

	if ((irq & 7) == 7 &&
	    !(read_isr(irq < 8 ? PIC_MASTER_CMD : PIC_SLAVE_CMD) & 0x80)) {
		if (irq == 15)
			outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
		if (i8259_spurious++ == 0)
			pr_info("spurious IRQ %u (reported once)\n", irq);
		return;
	}
	if (d->handler)
		d->handler(irq, d->dev);
	i8259_eoi(irq);
}

int i8259_request_irq(unsigned int irq, irq_handler_t handler, void *dev, const char *name)
{
	unsigned long flags;

	if (irq >= PIC_NR_IRQS || irq == PIC_CASCADE_IR) {
		pr_err("request_irq(%u, %s): no such 8259 line\n", irq, name);
		return -EINVAL;
	}
	spin_lock_irqsave(&i8259_lock, flags);
	if (pic_desc[irq].handler) {
		spin_unlock_irqrestore(&i8259_lock, flags);
		pr_err("request_irq(%u, %s): IRQ %u is %s's already\n", irq, name, irq,
		       pic_desc[irq].name);
		return -EBUSY;
	}
	pic_desc[irq] = (struct pic_desc){ handler, dev, name };
	if ((irq & 7) != 7)	/* 7 and 15 have the handler from boot on */
		set_vector_handler(PIC_MASTER_VECTOR + irq, i8259_interrupt, name);
	cached_imr &= ~(1u << irq);
	if (irq >= 8)
		cached_imr &= ~(1u << PIC_CASCADE_IR);
	write_imr();
	spin_unlock_irqrestore(&i8259_lock, flags);
	pr_info("ISA IRQ %u (%s) -> vector 0x%02x, edge\n", irq, name, PIC_MASTER_VECTOR + irq);
	return 0;
}

void i8259_free_irq(unsigned int irq, void *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&i8259_lock, flags);
	if (irq >= PIC_NR_IRQS || !pic_desc[irq].handler || pic_desc[irq].dev != dev) {
		spin_unlock_irqrestore(&i8259_lock, flags);
		pr_err("free_irq(%u): not requested with this device\n", irq);
		return;
	}
	cached_imr |= 1u << irq;
	if (irq >= 8 && (cached_imr & 0xff00) == 0xff00)
		cached_imr |= 1u << PIC_CASCADE_IR;
	write_imr();
	/* An edge latched before the mask is still delivered; with this
	 * CPU's interrupts off it waits in the IRR and finds no handler,
	 * which i8259_interrupt survives (and EOIs). */
	pic_desc[irq] = (struct pic_desc){ 0 };
	if ((irq & 7) != 7)
		set_vector_handler(PIC_MASTER_VECTOR + irq, NULL, NULL);
	spin_unlock_irqrestore(&i8259_lock, flags);
}

bool i8259_get_info(unsigned int irq, struct irq_info *info)
{
	unsigned long flags;
	bool requested;

	if (irq >= PIC_NR_IRQS)
		return false;
	spin_lock_irqsave(&i8259_lock, flags);
	requested = pic_desc[irq].handler != NULL;
	if (requested)
		*info = (struct irq_info){
			.isa_irq = irq, .gsi = irq, .pin = irq, .level = false,
			.name = pic_desc[irq].name, .chip = "XT-PIC",
			.vector = PIC_MASTER_VECTOR + irq,
		};
	spin_unlock_irqrestore(&i8259_lock, flags);
	return requested;
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
	cached_imr = 0xffff;
	write_imr();

	set_vector_handler(PIC_MASTER_VECTOR + 7, i8259_interrupt, "i8259 IRQ 7");
	set_vector_handler(PIC_SLAVE_VECTOR + 7, i8259_interrupt, "i8259 IRQ 15");
	pr_info("remapped to vectors 0x%02x/0x%02x and masked\n",
		PIC_MASTER_VECTOR, PIC_SLAVE_VECTOR);
}
