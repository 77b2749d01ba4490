/* SPDX-License-Identifier: MIT */
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
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/tty.h"
#include "../../drivers/apic/xapic.h"
#include "../../drivers/uart/uart16550.h"

/* ------------------------------------------------------------ timer */

/*
 * The APIC timer's rate against the ACPI PM timer, an oscillator the
 * calibration never used, on every CPU at once (each CPU's timer is its
 * own). Over one second of PM time the timer's current count, the PM
 * timer and the CPU's tick count are sampled as one instant (interrupts
 * off; the count read on both sides of the PM read, kept only when no
 * reload and under a twentieth of a period lie between). Between two
 * samples the timer counted the drop of the current count plus a whole
 * number of reloads; that number is rounded from the calibrated rate,
 * which only has to be right within half a period, so the sum is exact
 * however long the host kept the virtual CPU from running. periods per
 * second = counts per PM second / initial count.
 *
 * The tick interrupts are a figure, and bounded from above only: between
 * two samples at most the reloads counted arrive, plus one that was
 * pending at the first sample. Under TCG a tick is lost whenever the host
 * skips a whole period (QEMU merges the pending timer interrupts; 3-44
 * a second were seen with 8 virtual CPUs on a loaded 2-core host), which
 * says nothing of the timer's rate, but a tick is never gained.
 */
struct timer_rate {
	int skew_percent;	/* the test reprograms the timer this much off */
	uint64_t milli_hz;	/* periods per 1000 s */
	uint32_t pm_total;	/* PM counts measured */
	unsigned long ticks;	/* tick interrupts meanwhile */
	unsigned long samples, reloads;
};

struct timer_sample {
	uint32_t pm, cc;
	unsigned long ticks;
};

static bool sample_timer(struct timer_sample *s, uint32_t init)
{
	unsigned long flags;
	uint32_t before, after;

	local_irq_save(flags);
	before = apic_read(APIC_TMCCT);
	s->pm = acpi_pm_read();
	after = apic_read(APIC_TMCCT);
	s->ticks = this_cpu()->ticks;
	local_irq_restore(flags);
	if (after > before || before - after > init / 20)
		return false;
	s->cc = before - (before - after) / 2;
	return true;
}

static void measure_timer_rate(struct timer_rate *r, uint32_t init)
{
	/* APIC counts per PM count, times 2^16, from the calibration. */
	uint64_t k16 = div_u64((uint64_t)apic_timer_khz * 1000 << 16, ACPI_PM_TIMER_HZ);
	uint64_t apic_total = 0, pm_total = 0;
	struct timer_sample first, last, now;

	r->samples = r->reloads = 0;
	while (!sample_timer(&first, init))
		;
	last = first;
	while (pm_total < ACPI_PM_TIMER_HZ) {
		uint32_t dpm;
		int32_t drop, expect, n;

		if (!sample_timer(&now, init))
			continue;
		dpm = acpi_pm_ticks(last.pm, now.pm, acpi_info.pm_timer_32bit);
		drop = (int32_t)(last.cc - now.cc);
		expect = (int32_t)((dpm * k16) >> 16);
		n = (expect - drop + (int32_t)init / 2) / (int32_t)init;
		if (n < 0)
			n = 0;
		apic_total += (uint64_t)((int64_t)drop + (int64_t)n * init);
		pm_total += dpm;
		r->samples++;
		r->reloads += n;
		last = now;
	}
	r->ticks = last.ticks - first.ticks;
	/* pm_total is about one second of PM counts: it fits 32 bits. */
	r->pm_total = (uint32_t)pm_total;
	r->milli_hz = div_u64(div_u64(apic_total * ACPI_PM_TIMER_HZ, r->pm_total) * 1000,
			      init);
}

/* One CPU's part: its timer reprogrammed skew_percent off (a shorter
 * initial count runs fast) for the measurement, then put back. */
static int timer_rate_thread(void *arg)
{
	struct timer_rate *r = arg;
	uint32_t init = apic_read(APIC_TMICT), skewed = init;

	if (r->skew_percent) {
		skewed = (uint32_t)div_u64((uint64_t)init * (uint32_t)(100 - r->skew_percent), 100);
		apic_write(APIC_TMICT, skewed);
	}
	measure_timer_rate(r, skewed);
	if (r->skew_percent)
		apic_write(APIC_TMICT, init);
	return 0;
}

/* Measures every online CPU at once; false if a thread could not start. */
static bool measure_every_cpu(struct timer_rate rate[NR_CPUS])
{
	struct task_struct *th[NR_CPUS];
	unsigned int cpu;
	bool ok = true;

	for_each_online_cpu(cpu)
		th[cpu] = kthread_run_on_cpu(timer_rate_thread, &rate[cpu], cpu, "timer-rate");
	for_each_online_cpu(cpu) {
		if (th[cpu])
			kthread_join(th[cpu]);
		else
			ok = false;
	}
	return ok;
}

static bool timer_rate_within_5_percent(const struct timer_rate *r)
{
	return r->milli_hz >= (uint64_t)HZ * 950 && r->milli_hz <= (uint64_t)HZ * 1050;
}

static bool no_tick_gained(const struct timer_rate *r)
{
	return r->ticks <= r->reloads + 1;
}

static void report_timer_rate(unsigned int cpu, const struct timer_rate *r)
{
	uint32_t frac;
	uint64_t whole = div_u64_rem(r->milli_hz, 1000, &frac);

	pr_info("apic: CPU %u: timer%s at %llu.%03u Hz against the ACPI PM timer (HZ %u; %lu samples, %lu reloads, %lu tick interrupts in %u PM counts)\n",
		cpu, r->skew_percent > 0 ? " programmed fast" :
		     r->skew_percent < 0 ? " programmed slow" : "",
		whole, frac, HZ, r->samples, r->reloads, r->ticks, r->pm_total);
}

KTEST(apic, timer_rate_is_HZ_within_5_percent)
{
	static struct timer_rate rate[NR_CPUS];
	unsigned int cpu;

	if (!acpi_info.have_pm_timer)
		kt_skip(t, "no ACPI PM timer: no clock independent of the calibration");
	memset(rate, 0, sizeof(rate));
	KT_ASSERT(t, measure_every_cpu(rate));
	for_each_online_cpu(cpu) {
		report_timer_rate(cpu, &rate[cpu]);
		KT_EXPECT(t, timer_rate_within_5_percent(&rate[cpu]));
		KT_EXPECT(t, no_tick_gained(&rate[cpu]));
	}
}

/*
 * The negative control of the test above: the same measurement, with the
 * last online CPU's timer programmed 10% fast and, when there are others,
 * CPU 0's 10% slow, must fail on exactly those CPUs.
 */
KTEST(apic, miscalibrated_timer_fails_the_rate_check)
{
	static struct timer_rate rate[NR_CPUS];
	unsigned int cpu, last = 0;

	if (!acpi_info.have_pm_timer)
		kt_skip(t, "no ACPI PM timer: no clock independent of the calibration");
	memset(rate, 0, sizeof(rate));
	for_each_online_cpu(cpu)
		last = cpu;
	rate[last].skew_percent = 10;
	if (last != 0)
		rate[0].skew_percent = -10;
	KT_ASSERT(t, measure_every_cpu(rate));
	for_each_online_cpu(cpu) {
		report_timer_rate(cpu, &rate[cpu]);
		KT_EXPECT_EQ(t, timer_rate_within_5_percent(&rate[cpu]),
			     rate[cpu].skew_percent == 0);
		KT_EXPECT(t, no_tick_gained(&rate[cpu]));
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

/* Hang guard for the waits below: generous, it only ends a hang. */
#define IRQ_WAIT_MAX_MS	10000u

/* The TSC rate is known from the calibration: a guard, not a verdict. */
static bool wait_for_irqs(volatile unsigned long *n, unsigned long want,
			  uint64_t start_tsc)
{
	while (*n < want) {
		if (rdtsc() - start_tsc > (uint64_t)IRQ_WAIT_MAX_MS * tsc_khz)
			return false;
		cpu_relax();
	}
	return true;
}

static void pit_interrupt(unsigned int irq, void *dev)
{
	if (irq == 0 && dev == &pit_dev)
		pit_irqs++;
}

/*
 * PIT channel 0 at 1000 Hz over at least PIT_WINDOW_MS of the ACPI PM
 * timer, and until its first interrupt: the interrupts arrive (at least
 * one), and no more of them than periods of the PIT passed by the PM
 * timer, plus one pending at each end. A host that does not run the
 * virtual CPU makes QEMU merge the PIT's interrupts, so only the upper
 * bound is a rate: 3-47 arrived in windows of 50-216 ms with 8 virtual
 * CPUs on a loaded 2-core host.
 */
#define PIT_HZ		1000u
#define PIT_WINDOW_MS	50u

KTEST(apic, pit_irq0_arrives_through_the_io_apic)
{
	unsigned int gsi = isa_irq_to_gsi(0), vector = IRQ_TO_VECTOR(gsi);
	unsigned long before, after_stop, max_irqs = 0;
	uint32_t pm0, pm_us = 0;
	uint64_t tsc0;
	bool arrived;

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
	pm0 = acpi_pm_read();
	tsc0 = rdtsc();
	pit_start_periodic(PIT_HZ);
	if (acpi_info.have_pm_timer)
		while (acpi_pm_ticks(pm0, acpi_pm_read(), acpi_info.pm_timer_32bit) <
		       ACPI_PM_TIMER_HZ / 1000 * PIT_WINDOW_MS)
			cpu_relax();
	else
		mdelay(PIT_WINDOW_MS);
	arrived = wait_for_irqs(&pit_irqs, 1, tsc0);
	pit_stop();
	if (acpi_info.have_pm_timer) {
		pm_us = (uint32_t)div_u64((uint64_t)acpi_pm_ticks(pm0, acpi_pm_read(),
								 acpi_info.pm_timer_32bit) * 1000000,
					  ACPI_PM_TIMER_HZ);
		max_irqs = (unsigned long)div_u64((uint64_t)pm_us * PIT_HZ, 1000000) + 2;
	}
	free_irq(0, &pit_dev);
	after_stop = pit_irqs;
	mdelay(10);
	pr_info("apic: PIT at %u Hz: %lu interrupts on vector 0x%02x (GSI %u) in %u us of PM time (at most %lu)\n",
		PIT_HZ, after_stop, vector, gsi, pm_us, max_irqs);
	KT_EXPECT(t, arrived);
	KT_EXPECT(t, after_stop >= 1);
	if (acpi_info.have_pm_timer)
		KT_EXPECT(t, after_stop <= max_irqs);
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
	unsigned long before;
	bool arrived, receiving;
	uint8_t mcr;
	int ret;

	if (!acpi_info.have_madt || !acpi_info.madt.nr_ioapics)
		kt_skip(t, "no IO-APIC");
	/* The serial driver's receive interrupt has IRQ 4: lend it to the
	 * test, and take it back after. */
	receiving = serial_rx_stop();
	mcr = inb(UART_COM1_BASE + UART_MCR);
	before = irq_count(0, vector);
	com1_irqs = 0;
	ret = request_irq(4, com1_interrupt, &com1_dev, "serial");
	KT_EXPECT_EQ(t, ret, 0);
	if (ret == 0) {
		/* OUT2 gates the UART's interrupt line on PC boards. */
		outb(UART_COM1_BASE + UART_MCR, mcr | UART_MCR_OUT2);
		outb(UART_COM1_BASE + UART_IER, UART_IER_THRI);
		arrived = wait_for_irqs(&com1_irqs, 1, rdtsc());
		outb(UART_COM1_BASE + UART_IER, 0);
		outb(UART_COM1_BASE + UART_MCR, mcr);
		free_irq(4, &com1_dev);
		pr_info("apic: COM1 THR-empty: %lu interrupt(s) on vector 0x%02x (GSI %u)\n",
			com1_irqs, vector, gsi);
		KT_EXPECT(t, arrived);
		KT_EXPECT(t, com1_irqs >= 1);
		KT_EXPECT_EQ(t, irq_count(0, vector) - before, com1_irqs);
	}
	if (receiving)
		KT_EXPECT_EQ(t, serial_rx_start(), 0);
}

KTEST(apic, request_irq_refuses_what_it_cannot_route)
{
	KT_EXPECT_EQ(t, request_irq(200, pit_interrupt, &pit_dev, "nowhere"), -EINVAL);
	/* Freeing what was never requested is reported, not fatal. */
	free_irq(5, &pit_dev);
}
