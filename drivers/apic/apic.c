/* SPDX-License-Identifier: MIT */
/*
 * The local APIC of each CPU through FIX_APIC_BASE: software enable via
 * the spurious-interrupt vector register, the LVT entries, the error
 * interrupt, EOI, IPIs and the timer, calibrated against PIT channel 2
 * (Intel SDM vol. 3A ch. 10; Linux's arch/x86/kernel/apic/apic.c for names).
 */
#define pr_fmt(fmt) "APIC: " fmt

#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/processor.h"
#include "asm/x86.h"
#include "xapic.h"
#include "../timer/i8254.h"
#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"

bool lapic_enabled;
uint32_t apic_timer_khz;
uint32_t tsc_khz;
unsigned long apic_errors, apic_spurious;

unsigned int read_apic_id(void)
{
	return GET_APIC_ID(apic_read(APIC_ID));
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Whether vector waits in this CPU's IRR (accepted, not yet serviced):
 * eight 32-bit registers 16 bytes apart, SDM vol. 3A §10.8.4. */
bool apic_vector_pending(unsigned int vector)
{
	return apic_read(APIC_IRR + (vector / 32) * 0x10) & (1u << (vector % 32));
}

static const char *const esr_bits[8] = {
	"send checksum", "receive checksum", "send accept", "receive accept",
	"redirectable IPI", "send illegal vector", "receive illegal vector",
	"illegal register address",
};

/* SDM §10.5.3: write ESR before reading it to latch the errors. */
static uint32_t apic_read_esr(void)
{
	apic_write(APIC_ESR, 0);
	return apic_read(APIC_ESR);
}

static void error_interrupt(struct pt_regs *regs)
{
	uint32_t esr = apic_read_esr();

	apic_errors++;
	pr_err("error interrupt on CPU %u: ESR 0x%02x", smp_processor_id(), esr);
	for (int i = 0; i < 8; i++)
		if (esr & (1u << i))
			pr_cont(" (%s)", esr_bits[i]);
	pr_cont("\n");
	apic_eoi();
}

/* SDM §10.9: a spurious interrupt sets no ISR bit and gets no EOI. */
static void spurious_interrupt(struct pt_regs *regs)
{
	if (apic_spurious++ == 0)
		pr_info("spurious interrupt on CPU %u (reported once)\n",
			smp_processor_id());
}

static void local_apic_timer_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	this_cpu()->ticks++;
	scheduler_tick();
	if (this_cpu()->cpu_number == 0)
		console_tick();
}

/* LINT1 is NMI where the MADT says so (or, with no MADT, by PC convention
 * on the boot CPU); LINT0, the 8259's ExtINT path, stays masked. */
static uint32_t lint1_setting(unsigned int cpu)
{
	unsigned int acpi_id = 0xff;

	if (!acpi_info.have_madt)
		return cpu == 0 ? APIC_DM_NMI : APIC_LVT_MASKED;
	for (unsigned int i = 0; i < acpi_info.madt.nr_cpus; i++)
		if (acpi_info.madt.cpus[i].apic_id == per_cpu(cpu)->apic_id)
			acpi_id = acpi_info.madt.cpus[i].acpi_id;
	for (unsigned int i = 0; i < acpi_info.madt.nr_nmis; i++) {
		const struct acpi_lapic_nmi *n = &acpi_info.madt.nmis[i];
		uint32_t v = APIC_DM_NMI;

		if (n->lint != 1 || (n->acpi_id != 0xff && n->acpi_id != acpi_id))
			continue;
		if ((n->flags & ACPI_MADT_POLARITY_MASK) == ACPI_MADT_POLARITY_ACTIVE_LOW)
			v |= APIC_LVT_ACTIVE_LOW;
		if ((n->flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL)
			v |= APIC_LVT_LEVEL_TRIGGER;
		return v;
	}
	return APIC_LVT_MASKED;
}

/*
 * Bring this CPU's local APIC to a known state: globally enabled in xAPIC
 * mode (firmware may have left x2APIC on, which can only be left through
 * the disabled state, SDM §10.12.5), every LVT masked but error and LINT1,
 * accepting every priority, software-enabled with the spurious vector.
 */
void setup_local_APIC(void)
{
	unsigned int cpu = smp_processor_id();
	uint64_t base = rdmsr(MSR_IA32_APICBASE);
	uint32_t maxlvt;

	if (base & APICBASE_X2APIC) {
		wrmsr(MSR_IA32_APICBASE, base & ~(uint64_t)(APICBASE_X2APIC | APICBASE_ENABLE));
		base &= ~(uint64_t)(APICBASE_X2APIC | APICBASE_ENABLE);
	}
	if (!(base & APICBASE_ENABLE))
		wrmsr(MSR_IA32_APICBASE, base | APICBASE_ENABLE);
	per_cpu(cpu)->apic_id = read_apic_id();

	maxlvt = GET_APIC_MAXLVT(apic_read(APIC_LVR));
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_LVT0, APIC_LVT_MASKED | APIC_DM_EXTINT);
	apic_write(APIC_LVT1, lint1_setting(cpu));
	if (maxlvt >= 4)
		apic_write(APIC_LVTPC, APIC_LVT_MASKED);
	if (maxlvt >= 5)
		apic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	if (maxlvt >= 6)
		apic_write(APIC_LVTCMCI, APIC_LVT_MASKED);
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_read_esr();

	if (cpu == 0) {
		set_vector_handler(ERROR_APIC_VECTOR, error_interrupt, "APIC error");
		set_vector_handler(SPURIOUS_APIC_VECTOR, spurious_interrupt, "APIC spurious");
		set_vector_handler(LOCAL_TIMER_VECTOR, local_apic_timer_interrupt, "APIC timer");
		lapic_enabled = true;
		pr_info("local APIC id %u version 0x%02x, %u LVT entries, enabled on CPU 0\n",
			per_cpu(cpu)->apic_id, GET_APIC_VERSION(apic_read(APIC_LVR)),
			maxlvt + 1);
	}
}

/* ------------------------------------------------------------ IPIs */

/* Wait until the previous IPI left; SDM §10.6.1 delivery status. */
static void apic_wait_icr_idle(void)
{
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
}

/* Write ICR2 then ICR with interrupts off, so that no handler's own IPI
 * lands between the two halves. */
static void apic_icr_write(uint32_t low, uint32_t dest)
{
	unsigned long flags;

	local_irq_save(flags);
	apic_wait_icr_idle();
	apic_write(APIC_ICR2, SET_APIC_DEST_FIELD(dest));
	apic_write(APIC_ICR, low);
	apic_wait_icr_idle();
	local_irq_restore(flags);
}

void apic_send_ipi(unsigned int apic_id, unsigned int vector)
{
	apic_icr_write(APIC_DM_FIXED | vector, apic_id);
}

/* INIT assert (level-triggered), 10 ms, INIT de-assert (SDM §8.4.4.1):
 * the target waits for a STARTUP, or stays parked. */
void apic_send_init(unsigned int apic_id)
{
	apic_icr_write(APIC_INT_LEVELTRIG | APIC_DM_INIT | APIC_INT_ASSERT, apic_id);
	mdelay(10);
	apic_icr_write(APIC_INT_LEVELTRIG | APIC_DM_INIT, apic_id);
}

void apic_send_startup(unsigned int apic_id, unsigned int page)
{
	apic_icr_write(APIC_DM_STARTUP | (page & 0xff), apic_id);
}

/* ------------------------------------------------------------ timer */

/*
 * The TSC against PIT channel 2 over a window of at least
 * CALIBRATE_USECS, then the APIC timer (divided by 16) against the TSC,
 * with interrupts off. Every reading that matters is one access between
 * two TSC reads: the port write that starts the PIT count, the one that
 * latches it at the end, and an APIC count read at each end. An
 * emulator's host may stop the virtual CPU during any access (under TCG
 * probably waiting for QEMU's lock, held by a thread the loaded host is
 * not running); such a bracket is wider than a few accesses' worth and is
 * simply taken again, which costs microseconds, not a window. (Whole
 * windows bracketed by three accesses each were spoiled in 53 of 60 runs
 * with 8 virtual CPUs and 4 busy loops on 2 host cores.) A window whose
 * end is late enough that the PIT reached terminal count, or with a
 * bracket still wide after BRACKET_TRIES, is run again, up to
 * CALIBRATE_RUNS times; then the tightest one is kept and said so.
 */
#define CALIBRATE_USECS		40000u
#define CALIBRATE_PIT_COUNT	0xffffu		/* 54.9 ms: room after the window */
#define CALIBRATE_RUNS		10
#define BRACKET_TRIES		1000

struct stamp {
	uint64_t tsc;		/* the middle of the bracket */
	uint32_t width;		/* TSC cycles between its two reads */
};

/* The narrowest of a few brackets around an access: what one costs. */
static uint32_t bracket_cost(bool mmio)
{
	uint32_t best = ~0u;

	for (int i = 0; i < 64; i++) {
		uint64_t t0 = rdtsc(), t1;

		if (mmio)
			(void)apic_read(APIC_TMCCT);
		else
			(void)inb(PORT_B);
		t1 = rdtsc();
		if (t1 - t0 < best)
			best = (uint32_t)(t1 - t0);
	}
	return best;
}

static struct stamp make_stamp(uint64_t t0, uint64_t t1)
{
	return (struct stamp){ t0 + (t1 - t0) / 2, (uint32_t)(t1 - t0) };
}

/* An APIC count with a bracket no wider than limit (the last try if
 * none is); *retries counts the brackets taken again. */
static uint32_t apic_count_at(struct stamp *s, uint32_t limit, unsigned int *retries)
{
	uint32_t count = 0;

	for (int i = 0; i < BRACKET_TRIES; i++) {
		uint64_t t0 = rdtsc(), t1;

		count = apic_read(APIC_TMCCT);
		t1 = rdtsc();
		*s = make_stamp(t0, t1);
		if (s->width <= limit)
			break;
		++*retries;
	}
	return count;
}

struct calibration {
	uint64_t pit_tsc;	/* TSC cycles over the PIT window */
	uint32_t pit_counts;	/* PIT counts of the window */
	uint64_t apic_tsc;	/* TSC cycles between the APIC readings */
	uint32_t apic;		/* APIC counts between them */
	uint32_t slack;		/* TSC cycles of the four brackets */
	unsigned int retries;	/* brackets taken again */
	bool disturbed;		/* a bracket stayed wide after every try */
};

/* One window; false when the PIT reached terminal count before its end
 * was latched (a stop of the virtual CPU longer than the room left). */
static bool calibrate_once(struct calibration *c, uint32_t io_limit, uint32_t mmio_limit)
{
	uint32_t window = (uint32_t)div_u64((uint64_t)PIT_TICK_RATE * CALIBRATE_USECS, 1000000);
	struct stamp pit0, pit1, apic0, apic1;
	uint32_t a0, a1;
	uint16_t left;

	apic_write(APIC_TMICT, 0xffffffff);
	for (int i = 0; i < BRACKET_TRIES; i++) {
		uint64_t t0, t1;

		pit_ch2_arm(CALIBRATE_PIT_COUNT);
		t0 = rdtsc();
		pit_ch2_go();
		t1 = rdtsc();
		pit0 = make_stamp(t0, t1);
		if (pit0.width <= io_limit)
			break;
		c->retries++;
	}
	a0 = apic_count_at(&apic0, mmio_limit, &c->retries);
	do {
		pit_ch2_latch();
		left = pit_ch2_read_latched();
		if (pit_ch2_expired())
			return false;
	} while (CALIBRATE_PIT_COUNT - left < window);
	a1 = apic_count_at(&apic1, mmio_limit, &c->retries);
	for (int i = 0; i < BRACKET_TRIES; i++) {
		uint64_t t0 = rdtsc(), t1;

		pit_ch2_latch();
		t1 = rdtsc();
		left = pit_ch2_read_latched();
		pit1 = make_stamp(t0, t1);
		if (pit1.width <= io_limit)
			break;
		c->retries++;
	}
	if (pit_ch2_expired())
		return false;
	apic_write(APIC_TMICT, 0);

	c->disturbed = pit0.width > io_limit || pit1.width > io_limit ||
		       apic0.width > mmio_limit || apic1.width > mmio_limit;
	c->pit_counts = CALIBRATE_PIT_COUNT - left;
	c->pit_tsc = pit1.tsc - pit0.tsc;
	c->apic = a0 - a1;		/* the APIC count runs down */
	c->apic_tsc = apic1.tsc - apic0.tsc;
	c->slack = pit0.width + pit1.width + apic0.width + apic1.width;
	return true;
}

/* The brackets in parts per million of the shorter interval. */
static uint32_t slack_ppm(const struct calibration *c)
{
	uint64_t span = c->pit_tsc < c->apic_tsc ? c->pit_tsc : c->apic_tsc;

	return span ? (uint32_t)div64_u64((uint64_t)c->slack * 1000000, span) : ~0u;
}

void calibrate_APIC_clock(void)
{
	struct calibration c, best;
	uint32_t io_limit, mmio_limit, best_ppm = ~0u;
	unsigned long flags;
	uint64_t tsc_hz;
	int run, expired = 0;

	local_irq_save(flags);
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	/* A bracket of up to four undisturbed accesses is taken as one. */
	io_limit = 4 * bracket_cost(false);
	mmio_limit = 4 * bracket_cost(true);
	for (run = 1; run <= CALIBRATE_RUNS; run++) {
		memset(&c, 0, sizeof(c));
		if (!calibrate_once(&c, io_limit, mmio_limit)) {
			expired++;
			continue;
		}
		if (!c.disturbed || slack_ppm(&c) < best_ppm) {
			best = c;
			best_ppm = slack_ppm(&c);
		}
		if (!c.disturbed)
			break;
	}
	apic_write(APIC_TMICT, 0);
	local_irq_restore(flags);

	if (best_ppm == ~0u)
		panic("APIC: PIT channel 2 reached terminal count before the end of each of %d calibration windows",
		      CALIBRATE_RUNS);
	c = best;
	if (c.apic == 0 || c.pit_counts == 0)
		panic("APIC: the timer or the PIT did not count during calibration");
	if (run > CALIBRATE_RUNS)
		pr_warn("timer calibration disturbed in each of %d runs (%d too late); kept the tightest\n",
			CALIBRATE_RUNS, expired);
	/* TSC cycles per second: cycles over the window / its length. */
	tsc_hz = div_u64(c.pit_tsc * PIT_TICK_RATE, c.pit_counts);
	tsc_khz = (uint32_t)div_u64(tsc_hz, 1000);
	/* APIC counts per ms: per TSC cycle times TSC cycles per ms. */
	apic_timer_khz = (uint32_t)div64_u64((uint64_t)c.apic * tsc_khz, c.apic_tsc);
	pr_info("timer calibrated against PIT channel 2 (%u ms, run %d, brackets %u ppm of the window, %u of them taken again): %u.%03u MHz after divide-by-16, TSC %u.%03u MHz\n",
		CALIBRATE_USECS / 1000, run > CALIBRATE_RUNS ? CALIBRATE_RUNS : run,
		best_ppm, c.retries,
		apic_timer_khz / 1000, apic_timer_khz % 1000, tsc_khz / 1000,
		tsc_khz % 1000);
}

/* This CPU's periodic tick at HZ. */
void setup_APIC_timer(void)
{
	uint32_t count = apic_timer_khz * 1000u / HZ;

	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, count);
	if (smp_processor_id() == 0)
		pr_info("timer: periodic at %u Hz (initial count %u) on each CPU\n",
			HZ, count);
}
