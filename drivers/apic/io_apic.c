/* SPDX-License-Identifier: MIT */
/*
 * The IO-APICs the MADT lists, each at FIX_IO_APIC_BASE_0 + i, uncached:
 * every pin masked at start, and request_irq routes an ISA IRQ to the
 * boot CPU through the interrupt source overrides (Intel 82093AA data
 * sheet §3.2.4 redirection table; ACPI 6.5 §5.2.12.5 overrides). GSI n
 * raises vector IRQ_TO_VECTOR(n). Without an IO-APIC there are no device
 * interrupts through it: io_apic_request_irq says so and fails
 * (docs/apic.md).
 */
#define pr_fmt(fmt) "IOAPIC: " fmt

#include "asm/apic.h"
#include "asm/fixmap.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "i82093aa.h"
#include "kernel/acpi.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"

struct io_apic {
	unsigned long base;		/* fixmap address */
	unsigned int gsi_base, nr_pins;
	uint8_t id;
};

struct irq_desc {
	irq_handler_t handler;
	void *dev;
	const char *name;
	unsigned int isa_irq;
};

static struct io_apic io_apics[MAX_IO_APICS];
static unsigned int nr_io_apics;
static struct irq_desc irq_desc[NR_IRQ_VECTORS];	/* by GSI */
static DEFINE_SPINLOCK(ioapic_lock);

static uint32_t io_apic_read(const struct io_apic *a, uint32_t reg)
{
	*(volatile uint32_t *)(a->base + IO_APIC_IOREGSEL) = reg;
	return *(volatile uint32_t *)(a->base + IO_APIC_IOWIN);
}

static void io_apic_write(const struct io_apic *a, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(a->base + IO_APIC_IOREGSEL) = reg;
	*(volatile uint32_t *)(a->base + IO_APIC_IOWIN) = v;
}

/* The high dword first: the low one carries the mask bit, so the entry
 * is never live with a half-written destination. */
static void io_apic_write_rte(const struct io_apic *a, unsigned int pin,
			      uint32_t low, uint32_t high)
{
	io_apic_write(a, IO_APIC_REDTBL(pin) + 1, high);
	io_apic_write(a, IO_APIC_REDTBL(pin), low);
}

static void io_apic_mask_pin(const struct io_apic *a, unsigned int pin)
{
	io_apic_write(a, IO_APIC_REDTBL(pin),
		      io_apic_read(a, IO_APIC_REDTBL(pin)) | IO_APIC_RTE_MASKED);
}

static struct io_apic *gsi_to_io_apic(unsigned int gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_io_apics; i++) {
		struct io_apic *a = &io_apics[i];

		if (gsi >= a->gsi_base && gsi < a->gsi_base + a->nr_pins) {
			*pin = gsi - a->gsi_base;
			return a;
		}
	}
	return NULL;
}

static const struct acpi_override *isa_override(unsigned int isa_irq)
{
	if (!acpi_info.have_madt)
		return NULL;
	for (unsigned int i = 0; i < acpi_info.madt.nr_overrides; i++) {
		const struct acpi_override *o = &acpi_info.madt.overrides[i];

		if (o->bus == 0 && o->source_irq == isa_irq)
			return o;
	}
	return NULL;
}

unsigned int isa_irq_to_gsi(unsigned int isa_irq)
{
	const struct acpi_override *o = isa_override(isa_irq);

	return o ? o->gsi : isa_irq;
}

/* ISA interrupts are active high and edge triggered unless an override
 * says otherwise ("conforms" keeps the bus default). */
static uint32_t isa_rte_flags(unsigned int isa_irq)
{
	const struct acpi_override *o = isa_override(isa_irq);
	uint32_t f = 0;

	if (!o)
		return 0;
	if ((o->flags & ACPI_MADT_POLARITY_MASK) == ACPI_MADT_POLARITY_ACTIVE_LOW)
		f |= IO_APIC_RTE_ACTIVE_LOW;
	if ((o->flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL)
		f |= IO_APIC_RTE_LEVEL;
	return f;
}

/* Every GSI vector lands here: the device's handler, then the EOI (which
 * the local APIC passes on to the IO-APIC for level-triggered pins). */
static void io_apic_interrupt(struct pt_regs *regs)
{
	struct irq_desc *d = &irq_desc[regs->vector - IRQ_VECTOR_BASE];

	if (d->handler)
		d->handler(d->isa_irq, d->dev);
	apic_eoi();
}

int io_apic_request_irq(unsigned int isa_irq, irq_handler_t handler, void *dev,
			const char *name)
{
	unsigned int gsi = isa_irq_to_gsi(isa_irq), pin;
	struct io_apic *a = gsi_to_io_apic(gsi, &pin);
	struct irq_desc *d;
	unsigned long flags;

	if (!a || gsi >= NR_IRQ_VECTORS) {
		pr_err("request_irq(%u, %s): no IO-APIC pin for GSI %u\n",
		       isa_irq, name, gsi);
		return -EINVAL;
	}
	d = &irq_desc[gsi];
	spin_lock_irqsave(&ioapic_lock, flags);
	if (d->handler) {
		spin_unlock_irqrestore(&ioapic_lock, flags);
		pr_err("request_irq(%u, %s): GSI %u is %s's already\n",
		       isa_irq, name, gsi, d->name);
		return -EBUSY;
	}
	*d = (struct irq_desc){ handler, dev, name, isa_irq };
	set_vector_handler(IRQ_TO_VECTOR(gsi), io_apic_interrupt, name);
	io_apic_write_rte(a, pin,
			  IO_APIC_RTE_DM_FIXED | isa_rte_flags(isa_irq) | IRQ_TO_VECTOR(gsi),
			  per_cpu(0)->apic_id << IO_APIC_RTE_DEST_SHIFT);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	pr_info("ISA IRQ %u (%s) -> GSI %u -> IOAPIC[%u] pin %u -> vector 0x%02x on CPU 0\n",
		isa_irq, name, gsi, (unsigned int)(a - io_apics), pin,
		IRQ_TO_VECTOR(gsi));
	return 0;
}

bool io_apic_present(void)
{
	return nr_io_apics > 0;
}

void io_apic_free_irq(unsigned int isa_irq, void *dev)
{
	unsigned int gsi = isa_irq_to_gsi(isa_irq), pin;
	struct io_apic *a = gsi_to_io_apic(gsi, &pin);
	unsigned long flags;

	if (!a || gsi >= NR_IRQ_VECTORS || irq_desc[gsi].dev != dev ||
	    !irq_desc[gsi].handler) {
		pr_err("free_irq(%u): not requested with this device\n", isa_irq);
		return;
	}
	spin_lock_irqsave(&ioapic_lock, flags);
	io_apic_mask_pin(a, pin);
	spin_unlock_irqrestore(&ioapic_lock, flags);

	/*
	 * An interrupt the pin sent before the mask may still be on its way
	 * or waiting in CPU 0's IRR: let it reach its handler before the
	 * handler goes (Linux's synchronize_irq). CPU 0 can only take it here
	 * with interrupts on; elsewhere, the IO-APIC's side is all we see.
	 */
	while (io_apic_read(a, IO_APIC_REDTBL(pin)) & IO_APIC_RTE_DELIVERY_PENDING)
		cpu_relax();
	if (smp_processor_id() == 0 && !irqs_disabled())
		while (apic_vector_pending(IRQ_TO_VECTOR(gsi)))
			cpu_relax();

	spin_lock_irqsave(&ioapic_lock, flags);
	set_vector_handler(IRQ_TO_VECTOR(gsi), NULL, NULL);
	irq_desc[gsi] = (struct irq_desc){ 0 };
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

bool io_apic_get_info(unsigned int gsi, struct irq_info *info)
{
	unsigned long flags;
	bool requested;

	if (gsi >= NR_IRQ_VECTORS)
		return false;
	spin_lock_irqsave(&ioapic_lock, flags);
	requested = irq_desc[gsi].handler != NULL;
	if (requested) {
		const struct irq_desc *d = &irq_desc[gsi];
		struct io_apic *a = gsi_to_io_apic(gsi, &info->pin);

		info->isa_irq = d->isa_irq;
		info->gsi = gsi;
		info->io_apic = (unsigned int)(a - io_apics);
		info->level = (isa_rte_flags(d->isa_irq) & IO_APIC_RTE_LEVEL) != 0;
		info->name = d->name;
		info->chip = "IO-APIC";
		info->vector = IRQ_TO_VECTOR(gsi);
	}
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return requested;
}

/*
 * Map each IO-APIC, learn its pin count, mask every pin. Not without a
 * local APIC (its messages would reach no one: the 8259 pair serves
 * then), nor when the boot CPU's APIC id does not fit the redirection
 * entry's 8-bit destination (an x2APIC id above 255 needs interrupt
 * remapping, which this kernel does not do).
 */
void init_IO_APIC(void)
{
	if (!lapic_present) {
		if (acpi_info.have_madt && acpi_info.madt.nr_ioapics)
			pr_info("not used: no local APIC to deliver to; device interrupts through the 8259\n");
		return;
	}
	if (!acpi_info.have_madt || !acpi_info.madt.nr_ioapics) {
		pr_info("none: device interrupts unavailable (local APIC timer and IPIs only)\n");
		return;
	}
	if (per_cpu(0)->apic_id > 0xff) {
		pr_info("not used: the boot CPU's x2APIC id %u does not fit a redirection entry's 8 bits (no interrupt remapping); device interrupts unavailable\n",
			per_cpu(0)->apic_id);
		return;
	}
	for (unsigned int i = 0; i < acpi_info.madt.nr_ioapics && i < MAX_IO_APICS; i++) {
		const struct acpi_ioapic *m = &acpi_info.madt.ioapics[i];
		struct io_apic *a = &io_apics[nr_io_apics];
		uint32_t ver;

		set_fixmap_nocache(FIX_IO_APIC_BASE_0 + i, m->address);
		a->base = fix_to_virt(FIX_IO_APIC_BASE_0 + i);
		a->gsi_base = m->gsi_base;
		a->id = m->id;
		ver = io_apic_read(a, IO_APIC_VER);
		a->nr_pins = IO_APIC_MAX_REDIR(ver) + 1;
		for (unsigned int pin = 0; pin < a->nr_pins; pin++)
			io_apic_write_rte(a, pin, IO_APIC_RTE_MASKED, 0);
		nr_io_apics++;
		pr_info("IOAPIC[%u]: id %u, version 0x%02x, address 0x%08x at 0x%08lx (uncached), GSI %u-%u, all masked\n",
			i, a->id, IO_APIC_VERSION(ver), m->address, a->base,
			a->gsi_base, a->gsi_base + a->nr_pins - 1);
	}
}
