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
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "../../drivers/apic/xapic.h"
#include "../../drivers/uart/uart16550.h"

/* ------------------------------------------------------------ timer */

/*
 * The APIC timer's rate against the ACPI PM timer, an oscillator the
 * calibration never used, on every CPU at once (each CPU's timer is its
 * own). Over one second of PM time the timer's current count and the PM
 * timer are sampled as one instant (the count read on both sides of the
 * PM read, kept only when no reload and under a twentieth of a period lie
 * between). Between two samples the timer counted the drop of the current
 * count plus a whole number of reloads; that number is rounded from the
 * calibrated rate, which only has to be right within half a period, so
 * the sum is exact however long the host kept the virtual CPU from
 * running. periods per second = counts per PM second / initial count.
 *
 * The tick interrupts are counted too, with a looser lower bound: under
 * TCG a tick is lost whenever the host skips a whole period (QEMU merges
 * the pending timer interrupts; 70-86 a second were seen on a loaded
 * 2-core host), which says nothing of the timer's rate. A tick is never
 * gained, so the upper bound stays.
 */
struct timer_rate {
	uint64_t milli_hz;	/* periods per 1000 s */
	unsigned long ticks;	/* tick interrupts meanwhile */
	unsigned long samples, reloads;
};

static bool sample_timer(uint32_t *pm, uint32_t *cc, uint32_t init)
{
	unsigned long flags;
	uint32_t before, after;

	local_irq_save(flags);
	before = apic_read(APIC_TMCCT);
	*pm = acpi_pm_read();
	after = apic_read(APIC_TMCCT);
	local_irq_restore(flags);
	if (after > before || before - after > init / 20)
		return false;
	*cc = before - (before - after) / 2;
	return true;
}

static int measure_timer_rate(void *arg)
{
	struct timer_rate *r = arg;
	uint32_t init = apic_read(APIC_TMICT);
	/* APIC counts per PM count, times 2^16, from the calibration. */
	uint64_t k16 = div_u64((uint64_t)apic_timer_khz * 1000 << 16, ACPI_PM_TIMER_HZ);
	uint64_t apic_total = 0, pm_total = 0;
	uint32_t last_pm, last_cc, pm, cc;
	unsigned long ticks0 = this_cpu()->ticks;

	r->samples = r->reloads = 0;
	while (!sample_timer(&last_pm, &last_cc, init))
		;
	while (pm_total < ACPI_PM_TIMER_HZ) {
		uint32_t dpm;
		int32_t drop, expect, n;

		if (!sample_timer(&pm, &cc, init))
			continue;
		dpm = acpi_pm_ticks(last_pm, pm, acpi_info.pm_timer_32bit);
		drop = (int32_t)(last_cc - cc);
		expect = (int32_t)((dpm * k16) >> 16);
		n = (expect - drop + (int32_t)init / 2) / (int32_t)init;
		if (n < 0)
			n = 0;
		apic_total += (uint64_t)((int64_t)drop + (int64_t)n * init);
		pm_total += dpm;
		r->samples++;
		r->reloads += n;
		last_pm = pm;
		last_cc = cc;
	}
	r->ticks = this_cpu()->ticks - ticks0;
	/* pm_total is about one second of PM counts: it fits 32 bits. */
	r->milli_hz = div_u64(div_u64(apic_total * ACPI_PM_TIMER_HZ, (uint32_t)pm_total) * 1000,
			      init);
	return 0;
}

KTEST(apic, timer_rate_is_HZ_within_5_percent)
{
	struct timer_rate rate[NR_CPUS];
	struct task_struct *th[NR_CPUS];
	uint64_t lo = (uint64_t)HZ * 950, hi = (uint64_t)HZ * 1050;
	unsigned int cpu;

	if (!acpi_info.have_pm_timer)
		kt_skip(t, "no ACPI PM timer: no clock independent of the calibration");
	for_each_online_cpu(cpu)
		th[cpu] = kthread_run_on_cpu(measure_timer_rate, &rate[cpu], cpu, "timer-rate");
	for_each_online_cpu(cpu) {
		KT_ASSERT(t, th[cpu] != NULL);
		kthread_join(th[cpu]);
	}
	for_each_online_cpu(cpu) {
		const struct timer_rate *r = &rate[cpu];
		uint32_t frac;
		uint64_t whole = div_u64_rem(r->milli_hz, 1000, &frac);

		pr_info("apic: CPU %u: timer at %llu.%03u Hz against the ACPI PM timer (HZ %u; %lu samples, %lu reloads, %lu tick interrupts)\n",
			cpu, whole, frac, HZ, r->samples, r->reloads, r->ticks);
		KT_EXPECT(t, r->milli_hz >= lo && r->milli_hz <= hi);
		KT_EXPECT(t, r->ticks >= HZ / 2 && r->ticks <= HZ + HZ / 20);
	}
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
