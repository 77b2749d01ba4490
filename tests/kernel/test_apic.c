/*
 * The local APIC timer against an independent clock, and device
 * interrupts through the IO-APIC: the PIT's IRQ 0 (via its override to
 * GSI 2) and COM1's IRQ 4 must arrive on the vectors their GSIs were
 * given, with the 8259 pair masked.
 */
#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/smp.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "../../drivers/uart/uart16550.h"

/* ------------------------------------------------------------ timer */

/*
 * The tick rate against the ACPI PM timer, an oscillator the calibration
 * never used: every online CPU's tick interrupts over one second of PM
 * time. Under TCG a tick can be lost, never gained (when the host does
 * not run a virtual CPU for a whole period, QEMU merges the pending timer
 * interrupts), so a count above the bound fails at once and a count below
 * it gets two more seconds to show the rate.
 */
#define RATE_ATTEMPTS	3

static void count_ticks_for_one_second(unsigned long ticks[NR_CPUS])
{
	uint32_t last = acpi_pm_read(), now;
	unsigned long start[NR_CPUS];
	uint64_t elapsed = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		start[cpu] = cpu_ticks(cpu);
	while (elapsed < ACPI_PM_TIMER_HZ) {
		now = acpi_pm_read();
		elapsed += acpi_pm_ticks(last, now, acpi_info.pm_timer_32bit);
		last = now;
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		ticks[cpu] = cpu_ticks(cpu) - start[cpu];
}

KTEST(apic, timer_rate_is_HZ_within_5_percent)
{
	unsigned long ticks[NR_CPUS];
	unsigned int cpu, slack = HZ / 20;
	bool all_in = false;

	if (!acpi_info.have_pm_timer)
		kt_skip(t, "no ACPI PM timer: no clock independent of the calibration");
	KT_ASSERT(t, !irqs_disabled());
	for (int attempt = 1; attempt <= RATE_ATTEMPTS && !all_in; attempt++) {
		count_ticks_for_one_second(ticks);
		all_in = true;
		for_each_online_cpu(cpu) {
			pr_info("apic: CPU %u: %lu ticks in one second of the ACPI PM timer (HZ %u, attempt %d)\n",
				cpu, ticks[cpu], HZ, attempt);
			KT_ASSERT(t, ticks[cpu] <= HZ + slack);
			all_in &= ticks[cpu] + slack >= HZ;
		}
	}
	KT_EXPECT(t, all_in);
}

KTEST(apic, local_apic_is_enabled_with_its_vectors)
{
	KT_ASSERT(t, lapic_enabled);
	KT_EXPECT_EQ(t, read_apic_id(), this_cpu()->apic_id);
	/* The 8259 pair is masked: nothing arrived on its vectors. */
	KT_EXPECT_EQ(t, irq_count_all(PIC_MASTER_VECTOR), 0);
	KT_EXPECT_EQ(t, irq_count_all(PIC_SLAVE_VECTOR), 0);
	KT_EXPECT(t, irq_count(0, LOCAL_TIMER_VECTOR) > 0);
}

/* ------------------------------------------------------------ IO-APIC */

static volatile unsigned long pit_irqs, com1_irqs;
static int pit_dev, com1_dev;

static void pit_interrupt(unsigned int irq, void *dev)
{
	if (irq == 0 && dev == &pit_dev)
		pit_irqs++;
}

KTEST(apic, pit_irq0_arrives_through_the_io_apic)
{
	unsigned int gsi = isa_irq_to_gsi(0), vector = IRQ_TO_VECTOR(gsi);
	unsigned long before, after_stop;

	if (!acpi_info.have_madt || !acpi_info.madt.nr_ioapics)
		kt_skip(t, "no IO-APIC");
	/* QEMU, like most PCs, wires the PIT to pin 2 and says so. */
	for (unsigned int i = 0; i < acpi_info.madt.nr_overrides; i++)
		if (acpi_info.madt.overrides[i].source_irq == 0)
			KT_EXPECT_EQ(t, gsi, acpi_info.madt.overrides[i].gsi);
	before = irq_count(0, vector);
	pit_irqs = 0;
	KT_ASSERT_EQ(t, request_irq(0, pit_interrupt, &pit_dev, "timer"), 0);
	KT_EXPECT_EQ(t, request_irq(0, pit_interrupt, &pit_dev, "again"), -EBUSY);
	pit_start_periodic(1000);
	mdelay(50);
	pit_stop();
	free_irq(0, &pit_dev);
	after_stop = pit_irqs;
	mdelay(10);
	pr_info("apic: PIT at 1000 Hz for 50 ms: %lu interrupts on vector 0x%02x (GSI %u)\n",
		after_stop, vector, gsi);
	KT_EXPECT(t, after_stop >= 25 && after_stop <= 75);
	KT_EXPECT_EQ(t, irq_count(0, vector) - before, after_stop);
	KT_EXPECT_EQ(t, pit_irqs, after_stop);	/* masked after free_irq */
	KT_EXPECT_EQ(t, irq_count_all(PIC_MASTER_VECTOR + 0), 0);
}

/* The THR-empty interrupt: raised as soon as it is enabled while the
 * transmitter is idle; the handler turns it off again. */
static void com1_interrupt(unsigned int irq, void *dev)
{
	uint8_t iir = inb(UART_COM1_BASE + UART_IIR);

	if (irq != 4 || dev != &com1_dev)
		return;
	if ((iir & UART_IIR_ID) == 0x02)	/* THR empty */
		outb(UART_COM1_BASE + UART_IER, 0);
	com1_irqs++;
}

KTEST(apic, com1_irq4_arrives_through_the_io_apic)
{
	unsigned int gsi = isa_irq_to_gsi(4), vector = IRQ_TO_VECTOR(gsi);
	uint8_t mcr = inb(UART_COM1_BASE + UART_MCR);
	unsigned long before;

	if (!acpi_info.have_madt || !acpi_info.madt.nr_ioapics)
		kt_skip(t, "no IO-APIC");
	before = irq_count(0, vector);
	com1_irqs = 0;
	KT_ASSERT_EQ(t, request_irq(4, com1_interrupt, &com1_dev, "serial"), 0);
	/* OUT2 gates the UART's interrupt line on PC boards. */
	outb(UART_COM1_BASE + UART_MCR, mcr | UART_MCR_OUT2);
	outb(UART_COM1_BASE + UART_IER, UART_IER_THRI);
	mdelay(20);
	outb(UART_COM1_BASE + UART_IER, 0);
	outb(UART_COM1_BASE + UART_MCR, mcr);
	free_irq(4, &com1_dev);
	pr_info("apic: COM1 THR-empty: %lu interrupt(s) on vector 0x%02x (GSI %u)\n",
		com1_irqs, vector, gsi);
	KT_EXPECT(t, com1_irqs >= 1);
	KT_EXPECT_EQ(t, irq_count(0, vector) - before, com1_irqs);
}

KTEST(apic, request_irq_refuses_what_it_cannot_route)
{
	KT_EXPECT_EQ(t, request_irq(200, pit_interrupt, &pit_dev, "nowhere"), -EINVAL);
	/* Freeing what was never requested is reported, not fatal. */
	free_irq(5, &pit_dev);
}
