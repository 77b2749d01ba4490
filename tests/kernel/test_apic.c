/* SPDX-License-Identifier: MIT */
/*
 * The local APIC in the mode the firmware handed over (xAPIC or x2APIC,
 * Intel SDM vol. 3A §10.12) and its timer against an independent clock;
 * device interrupts through the IO-APIC (the PIT's IRQ 0 via its override
 * to GSI 2, COM1's IRQ 4) with the 8259 pair masked; on a CPU without a
 * local APIC the 8259 pair and the PIT in their place (suite i8259); and
 * the TSC's calibration against whichever reference clock it used
 * (suite time).
 */
#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/pgtable.h"
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
#include "../../drivers/apic/i8259.h"
#include "../../drivers/apic/xapic.h"
#include "../../drivers/timer/i8254.h"
#include "../../drivers/uart/uart16550.h"

/* ------------------------------------------------------------ timer rates */

/*
 * A periodic down-counter's rate (the APIC timer, or PIT channel 0 as the
 * tick of a CPU without a local APIC) against the ACPI PM timer, an
 * oscillator the calibration did not use, on every CPU at once (each
 * APIC timer is its own). Over one second of PM time the counter's
 * current count, the PM timer and the interrupt count are sampled as one
 * instant (interrupts off; the count read on both sides of the PM read,
 * kept only when no reload and under a twentieth of a period lie
 * between). Between two samples the counter counted the drop of the
 * current count plus a whole number of reloads; that number is rounded
 * from the counter's known input rate, which only has to be right within
 * half a period, so the sum is exact however long the host kept the
 * virtual CPU from running. periods per second = counts per PM second /
 * initial count.
 *
 * The interrupts are a figure, and bounded from above only: between two
 * samples at most the reloads counted arrive, plus one that was pending
 * at the first sample. Under TCG an interrupt is lost whenever the host
 * skips a whole period (QEMU merges the pending timer interrupts; 3-44
 * a second were seen with 8 virtual CPUs on a loaded 2-core host), which
 * says nothing of the rate, but one is never gained.
 */
struct timer_rate {
	int skew_percent;	/* the test reprograms the counter this much off */
	uint32_t (*count)(void);	/* the current count */
	unsigned long (*events)(void);	/* its interrupts on this CPU so far */
	uint64_t input_hz;	/* counts a second */
	uint64_t milli_hz;	/* periods per 1000 s */
	uint32_t pm_total;	/* PM counts measured */
	unsigned long irqs;	/* interrupts meanwhile */
	unsigned long samples, reloads;
};

struct timer_sample {
	uint32_t pm, cc;
	unsigned long irqs;
};

static bool sample_timer(const struct timer_rate *r, struct timer_sample *s, uint32_t init)
{
	unsigned long flags;
	uint32_t before, after;

	local_irq_save(flags);
	before = r->count();
	s->pm = acpi_pm_read();
	after = r->count();
	s->irqs = r->events();
	local_irq_restore(flags);
	if (after > before || before - after > init / 20)
		return false;
	s->cc = before - (before - after) / 2;
	return true;
}

static void measure_timer_rate(struct timer_rate *r, uint32_t init)
{
	/* Counts per PM count, times 2^16. */
	uint64_t k16 = div_u64(r->input_hz << 16, ACPI_PM_TIMER_HZ);
	uint64_t total = 0, pm_total = 0;
	struct timer_sample first, last, now;

	r->samples = r->reloads = 0;
	while (!sample_timer(r, &first, init))
		;
	last = first;
	while (pm_total < ACPI_PM_TIMER_HZ) {
		uint32_t dpm;
		int32_t drop, expect, n;

		if (!sample_timer(r, &now, init))
			continue;
		dpm = acpi_pm_ticks(last.pm, now.pm, pm_timer.bits32);
		drop = (int32_t)(last.cc - now.cc);
		expect = (int32_t)((dpm * k16) >> 16);
		n = (expect - drop + (int32_t)init / 2) / (int32_t)init;
		if (n < 0)
			n = 0;
		total += (uint64_t)((int64_t)drop + (int64_t)n * init);
		pm_total += dpm;
		r->samples++;
		r->reloads += n;
		last = now;
	}
	r->irqs = last.irqs - first.irqs;
	/* pm_total is about one second of PM counts: it fits 32 bits. */
	r->pm_total = (uint32_t)pm_total;
	r->milli_hz = div_u64(div_u64(total * ACPI_PM_TIMER_HZ, r->pm_total) * 1000, init);
}

static bool rate_within_5_percent(const struct timer_rate *r, unsigned int hz)
{
	return r->milli_hz >= (uint64_t)hz * 950 && r->milli_hz <= (uint64_t)hz * 1050;
}

static bool no_interrupt_gained(const struct timer_rate *r)
{
	return r->irqs <= r->reloads + 1;
}

static void report_timer_rate(const char *what, unsigned int cpu, unsigned int hz,
			      const struct timer_rate *r)
{
	uint32_t frac;
	uint64_t whole = div_u64_rem(r->milli_hz, 1000, &frac);

	pr_info("%s: CPU %u: timer%s at %llu.%03u Hz against the ACPI PM timer (want %u; %lu samples, %lu reloads, %lu interrupts in %u PM counts)\n",
		what, cpu, r->skew_percent > 0 ? " programmed fast" :
		r->skew_percent < 0 ? " programmed slow" : "",
		whole, frac, hz, r->samples, r->reloads, r->irqs, r->pm_total);
}

/* Why no rate can be measured here, or NULL. */
static const char *no_independent_clock(void)
{
	if (!pm_timer.present)
		return "no ACPI PM timer: no clock independent of the calibration";
	if (ref_clock_used == REF_PM_TIMER)
		return "the ACPI PM timer was the calibration's reference: no independent clock";
	return NULL;
}

/* ------------------------------------------------------------ APIC timer */

static uint32_t apic_tmcct(void)
{
	return apic_read(APIC_TMCCT);
}

static unsigned long apic_ticks(void)
{
	return this_cpu()->ticks;
}

/* One CPU's part: its timer reprogrammed skew_percent off (a shorter
 * initial count runs fast) for the measurement, then put back. */
static int timer_rate_thread(void *arg)
{
	struct timer_rate *r = arg;
	uint32_t init = apic_read(APIC_TMICT), skewed = init;

	r->count = apic_tmcct;
	r->events = apic_ticks;
	r->input_hz = (uint64_t)apic_timer_khz * 1000;
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

#define NO_LAPIC "no local APIC: the 8259 pair and the PIT run the machine (suite i8259)"

KTEST(apic, timer_rate_is_HZ_within_5_percent)
{
	static struct timer_rate rate[NR_CPUS];
	const char *why = no_independent_clock();
	unsigned int cpu;

	if (!lapic_present)
		kt_skip(t, NO_LAPIC);
	if (why)
		kt_skip(t, why);
	memset(rate, 0, sizeof(rate));
	KT_ASSERT(t, measure_every_cpu(rate));
	for_each_online_cpu(cpu) {
		report_timer_rate("apic", cpu, HZ, &rate[cpu]);
		KT_EXPECT(t, rate_within_5_percent(&rate[cpu], HZ));
		KT_EXPECT(t, no_interrupt_gained(&rate[cpu]));
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
	const char *why = no_independent_clock();
	unsigned int cpu, last = 0;

	if (!lapic_present)
		kt_skip(t, NO_LAPIC);
	if (why)
		kt_skip(t, why);
	memset(rate, 0, sizeof(rate));
	for_each_online_cpu(cpu)
		last = cpu;
	rate[last].skew_percent = 10;
	if (last != 0)
		rate[0].skew_percent = -10;
	KT_ASSERT(t, measure_every_cpu(rate));
	for_each_online_cpu(cpu) {
		report_timer_rate("apic", cpu, HZ, &rate[cpu]);
		KT_EXPECT_EQ(t, rate_within_5_percent(&rate[cpu], HZ),
			     rate[cpu].skew_percent == 0);
		KT_EXPECT(t, no_interrupt_gained(&rate[cpu]));
	}
}

KTEST(apic, local_apic_is_enabled_with_its_vectors)
{
	if (!lapic_present)
		kt_skip(t, NO_LAPIC);
	KT_ASSERT(t, lapic_enabled);
	KT_EXPECT_EQ(t, read_apic_id(), this_cpu()->apic_id);
	/* The 8259 pair is masked: nothing arrived on its vectors. */
	KT_EXPECT_EQ(t, irq_count_all(PIC_MASTER_VECTOR), 0);
	KT_EXPECT_EQ(t, irq_count_all(PIC_SLAVE_VECTOR), 0);
	KT_EXPECT(t, irq_count(0, LOCAL_TIMER_VECTOR) > 0);
}

/*
 * The mode in use is the one IA32_APIC_BASE holds, on every CPU: EN set,
 * EXTD as handed over. In x2APIC mode the ID register is the 32-bit MSR
 * 0x802 and the MMIO page is not mapped at all; in xAPIC mode the page is
 * mapped and its ID register holds the id in bits 31:24.
 */
static int apic_mode_thread(void *arg)
{
	bool *ok = arg;
	uint64_t base = rdmsr(MSR_IA32_APICBASE);

	*ok = (base & APICBASE_ENABLE) && !!(base & APICBASE_X2APIC) == x2apic_mode &&
	      read_apic_id() == this_cpu()->apic_id &&
	      (!x2apic_mode || (uint32_t)rdmsr(X2APIC_MSR(APIC_ID)) == this_cpu()->apic_id);
	return 0;
}

KTEST(apic, mode_is_the_one_ia32_apic_base_holds_on_every_cpu)
{
	bool ok[NR_CPUS];
	unsigned int cpu;

	if (!lapic_present)
		kt_skip(t, NO_LAPIC);
	pr_info("apic: %s mode, IA32_APIC_BASE 0x%llx on CPU 0\n",
		x2apic_mode ? "x2APIC" : "xAPIC", rdmsr(MSR_IA32_APICBASE));
	for_each_online_cpu(cpu) {
		struct task_struct *th;

		ok[cpu] = false;
		th = kthread_run_on_cpu(apic_mode_thread, &ok[cpu], cpu, "apic-mode");
		KT_ASSERT(t, th != NULL);
		kthread_join(th);
		KT_EXPECT(t, ok[cpu]);
	}
	KT_EXPECT_EQ(t, pte_present(*fixmap_pte(FIX_APIC_BASE)), !x2apic_mode);
	if (!x2apic_mode)
		KT_EXPECT_EQ(t, GET_APIC_ID(*(volatile uint32_t *)APIC_BASE_VA), this_cpu()->apic_id);
}

/*
 * An IPI to this CPU through the mode's own path (x2APIC: the SELF IPI
 * MSR; xAPIC: the ICR's self shorthand) arrives once on its vector, and
 * one to this CPU by its APIC id through the ICR (x2APIC: one 64-bit
 * WRMSR) once more. The vector is the benchmark's, unused in tests.
 */
static volatile unsigned long self_ipis;

static void self_ipi_handler(struct pt_regs *regs)
{
	self_ipis++;
	apic_eoi();
}

KTEST(apic, ipis_to_this_cpu_arrive_once_each)
{
	unsigned long before;
	uint64_t start;

	if (!lapic_present)
		kt_skip(t, NO_LAPIC);
	set_vector_handler(BENCH_PING_VECTOR, self_ipi_handler, "ktest self IPI");
	self_ipis = 0;
	before = irq_count(smp_processor_id(), BENCH_PING_VECTOR);
	preempt_disable();
	apic_send_self_ipi(BENCH_PING_VECTOR);
	start = rdtsc();
	while (self_ipis < 1 && rdtsc() - start < 1000ULL * tsc_khz)
		cpu_relax();
	KT_EXPECT_EQ(t, self_ipis, 1);
	apic_send_ipi(this_cpu()->apic_id, BENCH_PING_VECTOR);
	start = rdtsc();
	while (self_ipis < 2 && rdtsc() - start < 1000ULL * tsc_khz)
		cpu_relax();
	KT_EXPECT_EQ(t, self_ipis, 2);
	KT_EXPECT_EQ(t, irq_count(smp_processor_id(), BENCH_PING_VECTOR) - before, 2);
	preempt_enable();
	set_vector_handler(BENCH_PING_VECTOR, NULL, NULL);
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

	if (!io_apic_present())
		kt_skip(t, "no IO-APIC in use");
	if (!pit_counting)
		kt_skip(t, "PIT channel 2 does not count: no PIT");
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
	if (pm_timer.present)
		while (acpi_pm_ticks(pm0, acpi_pm_read(), pm_timer.bits32) <
		       ACPI_PM_TIMER_HZ / 1000 * PIT_WINDOW_MS)
			cpu_relax();
	else
		mdelay(PIT_WINDOW_MS);
	arrived = wait_for_irqs(&pit_irqs, 1, tsc0);
	pit_stop();
	if (pm_timer.present) {
		pm_us = (uint32_t)div_u64((uint64_t)acpi_pm_ticks(pm0, acpi_pm_read(),
								 pm_timer.bits32) * 1000000,
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
	if (pm_timer.present)
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

/* Through whichever controller carries IRQ 4 (the IO-APIC, or the 8259
 * on a CPU without a local APIC): vector isa_irq_vector(4). */
static void com1_irq4_check(struct ktest *t, const char *chip)
{
	unsigned int vector = isa_irq_vector(4);
	unsigned long before;
	bool arrived, receiving;
	uint8_t mcr;
	int ret;

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
		pr_info("%s: COM1 THR-empty: %lu interrupt(s) on vector 0x%02x\n",
			chip, com1_irqs, vector);
		KT_EXPECT(t, arrived);
		KT_EXPECT(t, com1_irqs >= 1);
		KT_EXPECT_EQ(t, irq_count(0, vector) - before, com1_irqs);
	}
	if (receiving)
		KT_EXPECT_EQ(t, serial_rx_start(), 0);
}

KTEST(apic, com1_irq4_arrives_through_the_io_apic)
{
	if (!io_apic_present())
		kt_skip(t, "no IO-APIC in use");
	KT_EXPECT_EQ(t, isa_irq_vector(4), IRQ_TO_VECTOR(isa_irq_to_gsi(4)));
	com1_irq4_check(t, "apic");
}

KTEST(apic, request_irq_refuses_what_it_cannot_route)
{
	KT_EXPECT_EQ(t, request_irq(200, pit_interrupt, &pit_dev, "nowhere"), -EINVAL);
	/* Freeing what was never requested is reported, not fatal. */
	free_irq(5, &pit_dev);
}

/* ------------------------------------------------------------ 8259 and PIT */

static uint32_t pit_ch0_count(void)
{
	return pit_ch0_read();
}

static unsigned long irq0_interrupts(void)
{
	return irq_count(0, PIC_MASTER_VECTOR);
}

/* PIT channel 0, the tick of a CPU without a local APIC, at tick_irq_hz
 * (or skew_percent off it) measured against the PM timer on CPU 0. */
static void measure_pit_tick(struct timer_rate *r)
{
	uint32_t latch = DIV_ROUND_UP(PIT_TICK_RATE, tick_irq_hz), skewed = latch;

	r->count = pit_ch0_count;
	r->events = irq0_interrupts;
	r->input_hz = PIT_TICK_RATE;
	if (r->skew_percent) {
		skewed = latch * (uint32_t)(100 - r->skew_percent) / 100;
		pit_start_periodic(DIV_ROUND_UP(PIT_TICK_RATE, skewed));
		skewed = DIV_ROUND_UP(PIT_TICK_RATE, DIV_ROUND_UP(PIT_TICK_RATE, skewed));
	}
	measure_timer_rate(r, skewed);
	if (r->skew_percent)
		pit_start_periodic(tick_irq_hz);
}

static const char *no_pit_tick(void)
{
	if (lapic_present)
		return "the local APIC timer is the tick (the 8259 pair stays masked)";
	if (tick_source != TICK_PIT)
		return "the tick is not the PIT's";
	return no_independent_clock();
}

/*
 * Without a local APIC the tick is PIT channel 0 on IRQ 0 through the
 * 8259: its rate is tick_irq_hz (HZ, or a multiple of it below 19 Hz)
 * within 5% against the PM timer, its interrupts arrive on vector 0x20
 * and no more of them than periods counted, and each tick_irq_hz / HZ
 * of them is a tick.
 */
KTEST(i8259, pit_tick_on_irq0_is_HZ_within_5_percent)
{
	static struct timer_rate r;
	const char *why = no_pit_tick();
	unsigned long ticks0 = cpu_ticks(0), irqs0 = irq0_interrupts(), dt, di;

	if (why)
		kt_skip(t, why);
	memset(&r, 0, sizeof(r));
	measure_pit_tick(&r);
	report_timer_rate("i8259", 0, tick_irq_hz, &r);
	KT_EXPECT(t, rate_within_5_percent(&r, tick_irq_hz));
	KT_EXPECT(t, no_interrupt_gained(&r));
	KT_EXPECT(t, r.irqs > 0);
	dt = cpu_ticks(0) - ticks0;
	di = irq0_interrupts() - irqs0;
	/* Each divider-th interrupt is a tick (one may be partway). */
	KT_EXPECT(t, dt * (tick_irq_hz / HZ) <= di && di < (dt + 1) * (tick_irq_hz / HZ));
	KT_EXPECT_EQ(t, irq_count_all(LOCAL_TIMER_VECTOR), 0);
}

/*
 * Whatever drives the tick of a CPU without a local APIC (the PIT, the
 * HPET's timer 0, the RTC), over one second of the PM timer its IRQ
 * comes at least once and no more often than tick_irq_hz allows (plus
 * 5%, and one pending at each end), and the ticks follow. Interrupts lost
 * under TCG make only this upper bound a rate.
 */
KTEST(i8259, tick_irq_comes_no_faster_than_its_rate)
{
	unsigned int vector = PIC_MASTER_VECTOR + tick_irq;
	unsigned long irqs0, irqs, ticks0, ticks;
	uint32_t pm0;

	if (lapic_present)
		kt_skip(t, "the local APIC timer is the tick (the 8259 pair stays masked)");
	if (!pm_timer.present)
		kt_skip(t, "no ACPI PM timer to count a second with");
	irqs0 = irq_count(0, vector);
	ticks0 = cpu_ticks(0);
	pm0 = acpi_pm_read();
	while (acpi_pm_ticks(pm0, acpi_pm_read(), pm_timer.bits32) < ACPI_PM_TIMER_HZ)
		msleep(10);
	irqs = irq_count(0, vector) - irqs0;
	ticks = cpu_ticks(0) - ticks0;
	pr_info("i8259: tick IRQ %u: %lu interrupts, %lu ticks in a second of the PM timer (at most %u)\n",
		tick_irq, irqs, ticks, tick_irq_hz * 105 / 100 + 2);
	KT_EXPECT(t, irqs >= 1);
	KT_EXPECT(t, irqs <= tick_irq_hz * 105 / 100 + 2);
	KT_EXPECT(t, ticks <= irqs);
	KT_EXPECT(t, ticks >= irqs / (tick_irq_hz / HZ) - 1);
}

/*
 * The HPET's timer 0 as the tick: at each expiry its comparator steps by
 * the period it was given (QEMU's catches up on every expiry missed, a
 * multiple then), so the smallest step seen while polling it for 200 ms
 * of the PM timer is the period, and the HPET's rate over it must be HZ
 * within 5%.
 */
KTEST(i8259, hpet_tick_is_HZ_within_5_percent)
{
	uint32_t pm0, cmp, next, step = 0, steps = 0;
	uint64_t milli_hz;

	if (tick_source != TICK_HPET)
		kt_skip(t, "the tick is not the HPET's");
	if (!pm_timer.present)
		kt_skip(t, "no ACPI PM timer to bound the look with");
	pm0 = acpi_pm_read();
	cmp = hpet_tick_comparator();
	while (acpi_pm_ticks(pm0, acpi_pm_read(), pm_timer.bits32) < ACPI_PM_TIMER_HZ / 5) {
		next = hpet_tick_comparator();
		if (next != cmp) {
			if (!step || next - cmp < step)
				step = next - cmp;
			steps++;
			cmp = next;
		}
	}
	KT_ASSERT(t, step != 0);
	milli_hz = div_u64((uint64_t)hpet_hz * 1000, step);
	pr_info("i8259: HPET tick: the comparator stepped %u times, by %u counts at least: %u.%03u Hz (HZ %u)\n",
		steps, step, (uint32_t)milli_hz / 1000, (uint32_t)milli_hz % 1000, HZ);
	KT_EXPECT(t, milli_hz >= (uint64_t)HZ * 950 && milli_hz <= (uint64_t)HZ * 1050);
}

/* Its negative control: the PIT programmed 10% fast must fail. */
KTEST(i8259, miscalibrated_pit_tick_fails_the_rate_check)
{
	static struct timer_rate r;
	const char *why = no_pit_tick();

	if (why)
		kt_skip(t, why);
	memset(&r, 0, sizeof(r));
	r.skew_percent = 10;
	measure_pit_tick(&r);
	report_timer_rate("i8259", 0, tick_irq_hz, &r);
	KT_EXPECT(t, !rate_within_5_percent(&r, tick_irq_hz));
	KT_EXPECT(t, no_interrupt_gained(&r));
}

/*
 * A spurious IRQ 7 or 15 (here raised as INT 0x27 and INT 0x2f: no ISR
 * bit, as when a line falls before the acknowledge cycle) is counted and
 * reaches no device handler, on any machine; afterwards nothing is left
 * in service.
 */
static volatile unsigned long irq7_calls;

static void irq7_handler(unsigned int irq, void *dev)
{
	irq7_calls++;
}

KTEST(i8259, spurious_irq7_and_irq15_are_counted_not_delivered)
{
	unsigned long before = i8259_spurious;
	static int dev;
	bool requested = false;

	/* Without a local APIC IRQ 7 goes through the 8259: give it a
	 * handler, which the spurious kind must not reach. */
	if (!lapic_present) {
		KT_ASSERT_EQ(t, request_irq(7, irq7_handler, &dev, "ktest-irq7"), 0);
		requested = true;
	}
	irq7_calls = 0;
	__asm__ volatile("int $0x27" : : : "memory");
	__asm__ volatile("int $0x2f" : : : "memory");
	KT_EXPECT_EQ(t, i8259_spurious - before, 2);
	KT_EXPECT_EQ(t, irq7_calls, 0);
	KT_EXPECT_EQ(t, i8259_in_service(), 0);
	if (requested)
		free_irq(7, &dev);
}

/*
 * Without a local APIC request_irq unmasks the 8259 line (and the
 * cascade, IRQ 2, for a slave line), refuses a second request and the
 * lines that are not there, and free_irq masks them again.
 */
static void noop_handler(unsigned int irq, void *dev)
{
}

KTEST(i8259, request_irq_unmasks_the_line_and_free_irq_masks_it)
{
	static int dev5, dev10;
	uint16_t before;

	if (lapic_present)
		kt_skip(t, "a local APIC is in use: the 8259 pair stays masked (device interrupts go to the IO-APIC, or nowhere without one)");
	before = i8259_masked();
	KT_EXPECT(t, before & (1u << 5));
	KT_EXPECT(t, before & (1u << 10));
	KT_ASSERT_EQ(t, request_irq(5, noop_handler, &dev5, "ktest-irq5"), 0);
	KT_EXPECT_EQ(t, request_irq(5, noop_handler, &dev5, "again"), -EBUSY);
	KT_EXPECT_EQ(t, i8259_masked() & (1u << 5), 0);
	KT_ASSERT_EQ(t, request_irq(10, noop_handler, &dev10, "ktest-irq10"), 0);
	KT_EXPECT_EQ(t, i8259_masked() & (1u << 10 | 1u << PIC_CASCADE_IR), 0);
	KT_EXPECT_EQ(t, isa_irq_vector(10), PIC_MASTER_VECTOR + 10);
	KT_EXPECT_EQ(t, request_irq(PIC_CASCADE_IR, noop_handler, &dev5, "cascade"), -EINVAL);
	KT_EXPECT_EQ(t, request_irq(16, noop_handler, &dev5, "nowhere"), -EINVAL);
	free_irq(10, &dev10);
	free_irq(5, &dev5);
	KT_EXPECT_EQ(t, i8259_masked(), before);
}

KTEST(i8259, com1_irq4_arrives_through_the_8259)
{
	if (lapic_present)
		kt_skip(t, "a local APIC is in use: COM1's IRQ 4 does not go through the 8259");
	KT_EXPECT_EQ(t, isa_irq_vector(4), PIC_MASTER_VECTOR + 4);
	com1_irq4_check(t, "i8259");
}

/* ------------------------------------------------------------ time */

/*
 * The TSC rate the calibration found, against a clock it did not use:
 * the PM timer, or when that was the reference, the HPET if there is
 * one. Over 200 ms of that clock, each end read between two TSC reads
 * (taken again while wider than four times the narrowest of 64), the TSC
 * must have counted tsc_khz within 1%. Under TCG the TSC and the
 * emulated clocks all follow the host's time, so a stop of the virtual
 * CPU between the ends changes both alike.
 */
struct clock_reader {
	const char *name;
	uint32_t hz, mask;
	uint32_t (*read)(void);
};

static uint32_t read_pm(void) { return acpi_pm_read(); }
static uint32_t read_hpet(void) { return hpet_read_counter(); }

static uint32_t bracketed(const struct clock_reader *c, uint64_t *mid)
{
	uint32_t best = ~0u, v = 0;

	for (int i = 0; i < 64; i++) {
		uint64_t t0 = rdtsc();

		(void)c->read();
		if (rdtsc() - t0 < best)
			best = (uint32_t)(rdtsc() - t0);
	}
	for (int i = 0; i < 1000; i++) {
		uint64_t t0 = rdtsc(), t1;

		v = c->read();
		t1 = rdtsc();
		*mid = t0 + (t1 - t0) / 2;
		if (t1 - t0 <= 4 * (uint64_t)best)
			break;
	}
	return v;
}

KTEST(time, tsc_rate_agrees_with_a_clock_the_calibration_did_not_use)
{
	struct clock_reader c;
	uint64_t tsc0, tsc1, khz;
	uint32_t v0, v1, want, diff;
	unsigned long flags;

	if (pm_timer.present && ref_clock_used != REF_PM_TIMER)
		c = (struct clock_reader){ "the ACPI PM timer", ACPI_PM_TIMER_HZ,
					   pm_timer.bits32 ? 0xffffffff : 0xffffff, read_pm };
	else if (hpet_present() && ref_clock_used != REF_HPET)
		c = (struct clock_reader){ "the HPET", hpet_hz, 0xffffffff, read_hpet };
	else
		kt_skip(t, "no clock besides the calibration's reference");
	want = c.hz / 5;
	local_irq_save(flags);
	v0 = bracketed(&c, &tsc0);
	while (((c.read() - v0) & c.mask) < want)
		cpu_relax();
	v1 = bracketed(&c, &tsc1);
	local_irq_restore(flags);
	khz = div64_u64((tsc1 - tsc0) * c.hz, (uint64_t)((v1 - v0) & c.mask) * 1000);
	diff = (uint32_t)(khz > tsc_khz ? khz - tsc_khz : tsc_khz - khz);
	pr_info("time: TSC %llu kHz against %s, %u kHz from the calibration against %s (%u ppm apart)\n",
		khz, c.name, tsc_khz, ref_clock_name(ref_clock_used),
		(uint32_t)div_u64((uint64_t)diff * 1000000, tsc_khz));
	KT_EXPECT(t, (uint64_t)diff * 100 <= tsc_khz);
}

/* The reference is the one the machine offers: the PIT when it counts,
 * else the HPET, else the PM timer; each found is really counting. */
KTEST(time, reference_clock_is_the_first_that_counts)
{
	if (pit_counting) {
		KT_EXPECT_EQ(t, ref_clock_used, REF_PIT);
		return;
	}
	KT_EXPECT(t, ref_clock_used == REF_HPET || ref_clock_used == REF_PM_TIMER);
	if (ref_clock_used == REF_HPET) {
		uint32_t a = hpet_read_counter();

		KT_EXPECT(t, hpet_present());
		udelay(10);
		KT_EXPECT(t, hpet_read_counter() != a);
	} else {
		KT_EXPECT(t, !hpet_present());
		KT_EXPECT(t, pm_timer.present);
	}
}
