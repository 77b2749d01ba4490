/* SPDX-License-Identifier: MIT */
/*
 * Interrupt dispatch for vectors 32-255: a table of handlers, per-CPU
 * counts, the return path that may preempt the interrupted thread, and
 * request_irq's choice of controller (IO-APIC, or the 8259 pair without a
 * local APIC)
 * (Intel SDM vol. 3A §6.12.1 interrupt gates; Linux's do_IRQ for names).
 */
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/percpu.h"
#include "asm/processor-flags.h"
#include "../drivers/apic/i8259.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"

extern const uint32_t interrupt_stubs[NR_VECTORS - FIRST_EXTERNAL_VECTOR];

static vector_handler_t vector_handler[NR_VECTORS];
static const char *vector_name[NR_VECTORS];
static bool vector_reported[NR_VECTORS];

void set_vector_handler(unsigned int vector, vector_handler_t handler,
			const char *name)
{
	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS)
		panic("set_vector_handler: vector %u is not an interrupt", vector);
	if (vector_handler[vector] && handler)
		panic("set_vector_handler: vector 0x%02x is %s's, not %s's",
		      vector, vector_name[vector], name);
	vector_name[vector] = handler ? name : NULL;
	vector_handler[vector] = handler;
}

unsigned long irq_count(unsigned int cpu, unsigned int vector)
{
	return per_cpu(cpu)->irq_count[vector];
}

unsigned long irq_count_all(unsigned int vector)
{
	unsigned long n = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		n += per_cpu(cpu)->irq_count[vector];
	return n;
}

/* Every vector from 32 up enters through its stub, but the system-call
 * gate (trap_init's); the 8259 pair is moved off the exception vectors
 * and masked. */
void __init init_IRQ(void)
{
	for (unsigned int v = FIRST_EXTERNAL_VECTOR; v < NR_VECTORS; v++)
		if (v != SYSCALL_VECTOR)
			set_intr_gate(v, interrupt_stubs[v - FIRST_EXTERNAL_VECTOR]);
	init_8259A();
}

/* ------------------------------------------------------------ device IRQs */

/* The controller for device interrupts: the IO-APIC with a local APIC,
 * the 8259 pair without one. */
int request_irq(unsigned int isa_irq, irq_handler_t handler, void *dev,
		const char *name)
{
	if (!lapic_present)
		return i8259_request_irq(isa_irq, handler, dev, name);
	return io_apic_request_irq(isa_irq, handler, dev, name);
}

void free_irq(unsigned int isa_irq, void *dev)
{
	if (!lapic_present)
		i8259_free_irq(isa_irq, dev);
	else
		io_apic_free_irq(isa_irq, dev);
}

bool irq_get_info(unsigned int gsi, struct irq_info *info)
{
	if (!lapic_present)
		return i8259_get_info(gsi, info);
	return io_apic_get_info(gsi, info);
}

bool device_irqs_available(void)
{
	return !lapic_present || io_apic_present();
}

unsigned int isa_irq_vector(unsigned int isa_irq)
{
	if (!lapic_present)
		return PIC_MASTER_VECTOR + isa_irq;
	return IRQ_TO_VECTOR(isa_irq_to_gsi(isa_irq));
}

/* Called from common_interrupt with the frame it built. */
void do_IRQ(struct pt_regs *regs);
void do_IRQ(struct pt_regs *regs)
{
	unsigned int vector = regs->vector;
	struct percpu *pc = this_cpu();
	vector_handler_t handler = vector_handler[vector];

	pc->preempt_count += HARDIRQ_OFFSET;
	pc->irq_count[vector]++;
	if (handler) {
		handler(regs);
	} else {
		/* Nobody asked for it: say so once, and acknowledge it in
		 * case the local APIC delivered it. */
		if (!vector_reported[vector]) {
			vector_reported[vector] = true;
			pr_err("irq: unexpected interrupt, vector 0x%02x on CPU %u\n",
			       vector, pc->cpu_number);
		}
		if (lapic_enabled)
			apic_eoi();
	}
	pc->preempt_count -= HARDIRQ_OFFSET;

	/* Preempt the interrupted thread if its time is up and it was
	 * preemptible: interrupts were on, no lock or nesting held. */
	if (pc->need_resched && pc->preempt_count == 0 &&
	    (regs->eflags & X86_EFLAGS_IF))
		preempt_schedule_irq();
}
