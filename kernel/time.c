/* SPDX-License-Identifier: MIT */
/*
 * Time: the tick rate (hz=) and per-CPU tick counts; the reference clock,
 * PIT channel 2 when it counts (82C54 data sheet), else the HPET (IA-PC
 * HPET Specification 1.0a), else the ACPI PM timer (ACPI 6.5 §4.8.2.1),
 * as Linux's arch/x86/kernel/tsc.c prefers them; the calibration of the
 * TSC and the APIC timer against it; the boot CPU's tick (its APIC timer,
 * or on a CPU without a local APIC the PIT, or the HPET, on IRQ 0 through
 * the 8259); and busy-wait delays on the TSC once calibrated.
 */
#define pr_fmt(fmt) "time: " fmt

#include "asm/apic.h"
#include "asm/percpu.h"
#include "asm/x86.h"
#include "../drivers/timer/i8254.h"
#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"

unsigned int HZ = HZ_DEFAULT;
uint32_t tsc_khz;
enum ref_clock_id ref_clock_used;
bool pit_counting;
enum tick_source tick_source;
unsigned int tick_irq_hz, tick_irq;

/* hz=N: 10..1000 ticks per second. */
__setup_uint("hz", HZ, 10, 1000);

unsigned long cpu_ticks(unsigned int cpu)
{
	return __atomic_load_n(&per_cpu(cpu)->ticks, __ATOMIC_RELAXED);
}

void timer_tick(void)
{
	struct percpu *pc = this_cpu();

	pc->ticks++;
	scheduler_tick();
	if (pc->cpu_number == 0)
		console_tick();
}

/* ------------------------------------------------------------ clocks */

/*
 * A clock to measure against, counting up within mask at hz. stamp
 * takes its count at one access made between two TSC reads (*t0, *t1);
 * start: the window's first, where PIT channel 2 begins its countdown.
 * room: the counts a window may span before the count is lost (the PIT
 * stops at terminal count; the others wrap, after seconds), and overrun
 * says it was.
 */
struct ref_clock {
	const char *name;
	uint32_t hz;
	uint32_t mask;
	uint32_t (*stamp)(bool start, uint64_t *t0, uint64_t *t1);
	bool (*overrun)(void);
};

#define PIT_CH2_COUNT	0xffffu		/* 54.9 ms: room after a 40 ms window */

static uint32_t pit_stamp(bool start, uint64_t *t0, uint64_t *t1)
{
	if (start) {
		pit_ch2_arm(PIT_CH2_COUNT);
		*t0 = rdtsc();
		pit_ch2_go();
		*t1 = rdtsc();
		return 0;
	}
	*t0 = rdtsc();
	pit_ch2_latch();
	*t1 = rdtsc();
	return PIT_CH2_COUNT - pit_ch2_read_latched();
}

static uint32_t hpet_stamp(bool start, uint64_t *t0, uint64_t *t1)
{
	uint32_t v;

	*t0 = rdtsc();
	v = hpet_read_counter();
	*t1 = rdtsc();
	return v;
}

static uint32_t pm_stamp(bool start, uint64_t *t0, uint64_t *t1)
{
	uint32_t v;

	*t0 = rdtsc();
	v = acpi_pm_read();
	*t1 = rdtsc();
	return v;
}

static struct ref_clock ref_clocks[] = {
	[REF_PIT] = { "PIT channel 2", PIT_TICK_RATE, 0xffff, pit_stamp, pit_ch2_expired },
	[REF_HPET] = { "the HPET", 0, 0xffffffff, hpet_stamp, NULL },
	[REF_PM_TIMER] = { "the ACPI PM timer", ACPI_PM_TIMER_HZ, 0xffffff, pm_stamp, NULL },
};

const char *ref_clock_name(enum ref_clock_id id)
{
	return id == REF_NONE ? "no clock" : ref_clocks[id].name;
}

/* Counts of c from a to a later b, across at most one wrap. */
static uint32_t clock_delta(const struct ref_clock *c, uint32_t a, uint32_t b)
{
	return (b - a) & c->mask;
}

/*
 * Whether PIT channel 2 counts: armed from 0xffff, its latched count must
 * move. A missing PIT reads 0xffff for ever, and so does one whose clock
 * the firmware gated. The bound is guest time: 10 ms of the PM timer when
 * there is one (a PIT moves every 838 ns), else 2^28 TSC cycles (67 ms at
 * 4 GHz, under 2 s at 150 MHz).
 */
#define PIT_CHECK_PM_COUNTS	(ACPI_PM_TIMER_HZ / 100)
#define PIT_CHECK_TSC_CYCLES	(1ULL << 28)

static bool pit_ch2_counts(char *bound, size_t len)
{
	uint64_t t0, t1, tsc0 = rdtsc();
	uint32_t pm0 = acpi_pm_read(), first;
	bool moved = false;

	first = pit_stamp(true, &t0, &t1);
	for (;;) {
		if (pit_stamp(false, &t0, &t1) != first) {
			moved = true;
			break;
		}
		if (pm_timer.present ?
		    acpi_pm_ticks(pm0, acpi_pm_read(), pm_timer.bits32) >= PIT_CHECK_PM_COUNTS :
		    rdtsc() - tsc0 >= PIT_CHECK_TSC_CYCLES)
			break;
	}
	snprintf(bound, len, pm_timer.present ? "10 ms of the ACPI PM timer" :
		 "2^28 TSC cycles");
	return moved;
}

/* ------------------------------------------------------------ delays */

void udelay(unsigned long usecs)
{
	const struct ref_clock *c;
	uint64_t t0, t1;

	if (tsc_khz) {
		uint64_t end = rdtsc() + div_u64((uint64_t)usecs * tsc_khz, 1000);

		while ((int64_t)(rdtsc() - end) < 0)
			cpu_relax();
		return;
	}
	/* Before the calibration: on the reference clock once chosen, else
	 * on PIT channel 2 (nothing in the boot path waits that early). */
	if (ref_clock_used == REF_HPET || ref_clock_used == REF_PM_TIMER) {
		c = &ref_clocks[ref_clock_used];
		while (usecs) {
			unsigned long step = usecs > 1000000 ? 1000000 : usecs;
			uint32_t want = (uint32_t)div_u64((uint64_t)step * c->hz, 1000000);
			uint32_t start = c->stamp(true, &t0, &t1);

			while (clock_delta(c, start, c->stamp(false, &t0, &t1)) < want)
				cpu_relax();
			usecs -= step;
		}
		return;
	}
	while (usecs) {
		unsigned long step = usecs > 50000 ? 50000 : usecs;

		pit_ch2_start(step);
		while (!pit_ch2_expired())
			cpu_relax();
		usecs -= step;
	}
}

void mdelay(unsigned long msecs)
{
	while (msecs--)
		udelay(1000);
}

/* ------------------------------------------------------------ calibration */

/*
 * The TSC against the reference clock over a window of at least
 * CALIBRATE_USECS, then the APIC timer (divided by 16) against the TSC,
 * with interrupts off. Every reading that matters is one access between
 * two TSC reads: the reference's at the start (for the PIT, the port
 * write that starts the count) and at the end (the PIT's latch), and an
 * APIC count read at each end. An emulator's host may stop the virtual
 * CPU during any access (under TCG probably waiting for QEMU's lock,
 * held by a thread the loaded host is not running); such a bracket is
 * wider than a few accesses' worth and is simply taken again, which costs
 * microseconds, not a window. (Whole windows bracketed by three accesses
 * each were spoiled in 53 of 60 runs with 8 virtual CPUs and 4 busy loops
 * on 2 host cores.) A window whose end is late enough that the PIT
 * reached terminal count, or with a bracket still wide after
 * BRACKET_TRIES, is run again, up to CALIBRATE_RUNS times; then the
 * tightest one is kept and said so. The HPET and the PM timer run free
 * and wrap after seconds (4.7 s for a 24-bit PM timer): a stop of the
 * virtual CPU longer than that inside a window would go unseen.
 */
#define CALIBRATE_USECS		40000u
#define CALIBRATE_RUNS		10
#define BRACKET_TRIES		1000

struct stamp {
	uint64_t tsc;		/* the middle of the bracket */
	uint32_t width;		/* TSC cycles between its two reads */
};

static struct stamp make_stamp(uint64_t t0, uint64_t t1)
{
	return (struct stamp){ t0 + (t1 - t0) / 2, (uint32_t)(t1 - t0) };
}

/* The narrowest of a few brackets around an access: what one costs. */
static uint32_t bracket_cost(const struct ref_clock *c)
{
	uint32_t best = ~0u;

	for (int i = 0; i < 64; i++) {
		uint64_t t0, t1;

		if (c)
			(void)c->stamp(false, &t0, &t1);
		else {
			t0 = rdtsc();
			(void)apic_timer_count();
			t1 = rdtsc();
		}
		if (t1 - t0 < best)
			best = (uint32_t)(t1 - t0);
	}
	return best;
}

/* An APIC count with a bracket no wider than limit (the last try if
 * none is); *retries counts the brackets taken again. */
static uint32_t apic_count_at(struct stamp *s, uint32_t limit, unsigned int *retries)
{
	uint32_t count = 0;

	for (int i = 0; i < BRACKET_TRIES; i++) {
		uint64_t t0 = rdtsc(), t1;

		count = apic_timer_count();
		t1 = rdtsc();
		*s = make_stamp(t0, t1);
		if (s->width <= limit)
			break;
		++*retries;
	}
	return count;
}

/* A reference count with a bracket no wider than limit. */
static uint32_t ref_count_at(const struct ref_clock *c, bool start, struct stamp *s,
			     uint32_t limit, unsigned int *retries)
{
	uint32_t count = 0;

	for (int i = 0; i < BRACKET_TRIES; i++) {
		uint64_t t0, t1;

		count = c->stamp(start, &t0, &t1);
		*s = make_stamp(t0, t1);
		if (s->width <= limit)
			break;
		++*retries;
	}
	return count;
}

struct calibration {
	uint64_t ref_tsc;	/* TSC cycles over the reference window */
	uint32_t ref_counts;	/* reference counts of the window */
	uint64_t apic_tsc;	/* TSC cycles between the APIC readings */
	uint32_t apic;		/* APIC counts between them */
	uint32_t slack;		/* TSC cycles of the four brackets */
	unsigned int retries;	/* brackets taken again */
	bool disturbed;		/* a bracket stayed wide after every try */
};

/* One window; false when the PIT reached terminal count before its end
 * was latched (a stop of the virtual CPU longer than the room left). */
static bool calibrate_once(const struct ref_clock *c, struct calibration *cal,
			   uint32_t ref_limit, uint32_t apic_limit)
{
	uint32_t window = (uint32_t)div_u64((uint64_t)c->hz * CALIBRATE_USECS, 1000000);
	struct stamp ref0, ref1, apic0 = { 0, 0 }, apic1 = { 0, 0 };
	uint32_t r0, r1, a0 = 0, a1 = 0;
	uint64_t t0, t1;

	if (lapic_present)
		apic_timer_start_max();
	r0 = ref_count_at(c, true, &ref0, ref_limit, &cal->retries);
	if (lapic_present)
		a0 = apic_count_at(&apic0, apic_limit, &cal->retries);
	do {
		if (c->overrun && c->overrun())
			return false;
	} while (clock_delta(c, r0, c->stamp(false, &t0, &t1)) < window);
	if (lapic_present)
		a1 = apic_count_at(&apic1, apic_limit, &cal->retries);
	r1 = ref_count_at(c, false, &ref1, ref_limit, &cal->retries);
	if (c->overrun && c->overrun())
		return false;
	if (lapic_present)
		apic_timer_stop();

	cal->disturbed = ref0.width > ref_limit || ref1.width > ref_limit ||
			 apic0.width > apic_limit || apic1.width > apic_limit;
	cal->ref_counts = clock_delta(c, r0, r1);
	cal->ref_tsc = ref1.tsc - ref0.tsc;
	cal->apic = a0 - a1;		/* the APIC count runs down */
	cal->apic_tsc = apic1.tsc - apic0.tsc;
	cal->slack = ref0.width + ref1.width + apic0.width + apic1.width;
	return true;
}

/* The brackets in parts per million of the shorter interval. */
static uint32_t slack_ppm(const struct calibration *cal)
{
	uint64_t span = cal->ref_tsc;

	if (lapic_present && cal->apic_tsc < span)
		span = cal->apic_tsc;
	return span ? (uint32_t)div64_u64((uint64_t)cal->slack * 1000000, span) : ~0u;
}

static void calibrate(const struct ref_clock *c)
{
	struct calibration cal, best;
	uint32_t ref_limit, apic_limit = 0, best_ppm = ~0u;
	unsigned long flags;
	uint64_t tsc_hz;
	int run, expired = 0;

	local_irq_save(flags);
	/* A bracket of up to four undisturbed accesses is taken as one. */
	ref_limit = 4 * bracket_cost(c);
	if (lapic_present) {
		apic_timer_start_max();
		apic_limit = 4 * bracket_cost(NULL);
	}
	for (run = 1; run <= CALIBRATE_RUNS; run++) {
		memset(&cal, 0, sizeof(cal));
		if (!calibrate_once(c, &cal, ref_limit, apic_limit)) {
			expired++;
			continue;
		}
		if (!cal.disturbed || slack_ppm(&cal) < best_ppm) {
			best = cal;
			best_ppm = slack_ppm(&cal);
		}
		if (!cal.disturbed)
			break;
	}
	if (lapic_present)
		apic_timer_stop();
	local_irq_restore(flags);

	if (best_ppm == ~0u)
		panic("time: %s reached terminal count before the end of each of %d calibration windows",
		      c->name, CALIBRATE_RUNS);
	cal = best;
	if (cal.ref_counts == 0 || (lapic_present && cal.apic == 0))
		panic("time: the APIC timer or %s did not count during calibration", c->name);
	if (run > CALIBRATE_RUNS)
		pr_warn("calibration disturbed in each of %d runs (%d too late); kept the tightest\n",
			CALIBRATE_RUNS, expired);
	/* TSC cycles per second: cycles over the window / its length. */
	tsc_hz = div_u64(cal.ref_tsc * c->hz, cal.ref_counts);
	tsc_khz = (uint32_t)div_u64(tsc_hz, 1000);
	/* APIC counts per ms: per TSC cycle times TSC cycles per ms. */
	if (lapic_present)
		apic_timer_khz = (uint32_t)div64_u64((uint64_t)cal.apic * tsc_khz, cal.apic_tsc);
	pr_info("%s calibrated against %s (%u ms, run %d, brackets %u ppm of the window, %u of them taken again): ",
		lapic_present ? "TSC and APIC timer" : "TSC", c->name, CALIBRATE_USECS / 1000,
		run > CALIBRATE_RUNS ? CALIBRATE_RUNS : run, best_ppm, cal.retries);
	if (lapic_present)
		pr_cont("APIC timer %u.%03u MHz after divide-by-16, ", apic_timer_khz / 1000,
			apic_timer_khz % 1000);
	pr_cont("TSC %u.%03u MHz\n", tsc_khz / 1000, tsc_khz % 1000);
}

/*
 * Choose the reference: PIT channel 2 if it counts, else the HPET, else
 * the PM timer (the FADT's, or the chipset's without a FADT), and
 * calibrate against it. Without any, nothing can be timed: the kernel
 * stops and names what is missing.
 */
void time_init(void)
{
	char bound[40];

	pm_timer_probe();
	pit_counting = pit_ch2_counts(bound, sizeof(bound));
	if (pit_counting) {
		ref_clock_used = REF_PIT;
	} else {
		pr_warn("PIT channel 2 does not count (its count stayed 0x%04x for %s): no PIT, or its clock is gated\n",
			PIT_CH2_COUNT, bound);
		if (hpet_init() == 0) {
			ref_clocks[REF_HPET].hz = hpet_hz;
			ref_clock_used = REF_HPET;
		} else if (pm_timer.present) {
			ref_clock_used = REF_PM_TIMER;
		} else {
			panic("time: no clock to calibrate against: the PIT does not count, there is no HPET and no ACPI PM timer (acpi=off hides the tables that name them)");
		}
		pr_info("calibrating against %s instead\n", ref_clocks[ref_clock_used].name);
	}
	calibrate(&ref_clocks[ref_clock_used]);
}

/* ------------------------------------------------------------ the tick */

/* Without a local APIC the tick comes on IRQ 0 through the 8259; HZ
 * below 19 needs a PIT latch beyond 16 bits, so the PIT then interrupts
 * a whole multiple of HZ and every divider-th interrupt is a tick. */
static unsigned int tick_divider, tick_phase;
static int tick_dev;

static void irq0_tick(unsigned int irq, void *dev)
{
	if (++tick_phase < tick_divider)
		return;
	tick_phase = 0;
	timer_tick();
}

/*
 * The first tick of a source through the 8259, waited for with
 * interrupts on for five of its periods: a line the chipset does not
 * deliver (an HPET without its legacy route, an IRQ the board does not
 * wire) stops the boot here, naming the source, instead of hanging the
 * first sleep. Linux's check_timer makes the same test of IRQ 0.
 */
static void tick_check_first(const char *source)
{
	unsigned long before = cpu_ticks(0), limit_ms = 5000 / HZ + 1;
	unsigned long flags;

	local_irq_save(flags);
	local_irq_enable();
	for (unsigned long ms = 0; ms < limit_ms && cpu_ticks(0) == before; ms++)
		mdelay(1);
	local_irq_restore(flags);
	if (cpu_ticks(0) == before)
		panic("time: no tick: %s raised no interrupt in %lu ms (5 periods at HZ %u)",
		      source, limit_ms, HZ);
}

void tick_init(void)
{
	unsigned int shift, hz;

	if (lapic_present) {
		tick_source = TICK_LAPIC;
		setup_APIC_timer();
		return;
	}
	tick_divider = 1;
	if (pit_counting) {
		while (DIV_ROUND_UP(PIT_TICK_RATE, HZ * tick_divider) > 0xffff)
			tick_divider++;
		tick_irq_hz = HZ * tick_divider;
		tick_source = TICK_PIT;
		if (request_irq(0, irq0_tick, &tick_dev, "timer"))
			panic("time: IRQ 0 refused for the PIT tick");
		pit_start_periodic(tick_irq_hz);
		pr_info("tick: PIT channel 0 at %u Hz on IRQ 0 through the 8259 (latch %u), HZ %u\n",
			tick_irq_hz, DIV_ROUND_UP(PIT_TICK_RATE, tick_irq_hz), HZ);
		tick_check_first("PIT channel 0 on IRQ 0");
		return;
	}
	if (hpet_init() == 0) {
		tick_irq_hz = HZ;
		tick_source = TICK_HPET;
		if (request_irq(0, irq0_tick, &tick_dev, "timer"))
			panic("time: IRQ 0 refused for the HPET tick");
		if (hpet_legacy_tick_start(HZ) == 0) {
			pr_info("tick: HPET timer 0 at %u Hz in legacy replacement mode, IRQ 0 through the 8259\n",
				HZ);
			tick_check_first("HPET timer 0 on IRQ 0");
			return;
		}
		free_irq(0, &tick_dev);
	}
	/* The RTC: rates are powers of two, so HZ becomes the one at or
	 * above it (everything that counts ticks reads HZ). */
	for (shift = 4; (1u << shift) < HZ; shift++)
		;
	hz = HZ;
	HZ = 1u << shift;
	if (rtc_periodic_start(shift, timer_tick) == 0) {
		pr_info("tick: the RTC's periodic interrupt at %u Hz on IRQ 8 through the 8259; HZ %u -> %u (the RTC's rates are powers of two)\n",
			HZ, hz, HZ);
		tick_irq_hz = HZ;
		tick_irq = 8;
		tick_source = TICK_RTC;
		tick_check_first("the RTC on IRQ 8");
		return;
	}
	HZ = hz;
	panic("time: no timer interrupt: no local APIC, the PIT does not count, no HPET with a legacy route and no RTC");
}
