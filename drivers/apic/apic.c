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
#include "kernel/acpi.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"

bool lapic_enabled;
uint32_t apic_timer_khz;
uint32_t tsc_khz;
unsigned long apic_errors, apic_spurious;

/* The calibration window: 50 ms of PIT channel 2 (Linux uses 50 ms too). */
#define CALIBRATE_USECS	50000u

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
 * Count the APIC timer (divided by 16) and the TSC across one PIT channel
 * 2 window, with interrupts off. Each end of the window is bracketed by
 * two reads of the APIC count: the PIT's gate rose between the reads
 * around pit_ch2_start, and its output rose between the last check that
 * saw it low and the one that saw it high. An emulator's host may stop
 * the virtual CPU inside a bracket (under TCG on a loaded 2-core host a
 * stop of 16 ms made the timer a quarter slow); a run whose brackets are
 * wider than 1/1000 of the window is done again, up to
 * CALIBRATE_TRIES times, else the tightest one is kept and said so.
 */
#define CALIBRATE_TRIES	10

struct calibration {
	uint32_t apic;		/* APIC counts over the window */
	uint64_t tsc;		/* TSC counts over the window */
	uint32_t slack;		/* APIC counts of both brackets together */
};

static void calibrate_once(struct calibration *c)
{
	uint32_t s0, s1, prev, now, after;
	uint64_t tsc_start, tsc_end;
	bool expired;

	apic_write(APIC_TMICT, 0xffffffff);
	s0 = apic_read(APIC_TMCCT);
	pit_ch2_start(CALIBRATE_USECS);
	s1 = apic_read(APIC_TMCCT);
	tsc_start = rdtsc();
	now = s1;
	do {
		prev = now;
		now = apic_read(APIC_TMCCT);
		tsc_end = rdtsc();
		expired = pit_ch2_expired();
	} while (!expired);
	after = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);

	/* The count runs down: the start at s1, the end at now, which lies
	 * between the last low check (after prev) and the high one. */
	c->apic = s1 - now;
	c->tsc = tsc_end - tsc_start;
	c->slack = (s0 - s1) + (prev - after);
}

void calibrate_APIC_clock(void)
{
	struct calibration best = { 0, 0, ~0u }, c;
	unsigned long flags;
	int tries;

	local_irq_save(flags);
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	for (tries = 1; tries <= CALIBRATE_TRIES; tries++) {
		calibrate_once(&c);
		if (c.slack < best.slack)
			best = c;
		if (best.apic && best.slack <= best.apic / 1000)
			break;
	}
	local_irq_restore(flags);

	if (best.apic == 0)
		panic("APIC: the timer did not count during calibration");
	if (tries > CALIBRATE_TRIES)
		pr_warn("timer calibration disturbed in each of %d runs; kept the one with %u counts of slack in %u\n",
			CALIBRATE_TRIES, best.slack, best.apic);
	apic_timer_khz = best.apic / (CALIBRATE_USECS / 1000);
	tsc_khz = (uint32_t)div_u64(best.tsc, CALIBRATE_USECS / 1000);
	pr_info("timer calibrated against PIT channel 2 (%u ms, run %d, brackets %u ppm of the window): %u.%03u MHz after divide-by-16, TSC %u.%03u MHz\n",
		CALIBRATE_USECS / 1000, tries > CALIBRATE_TRIES ? CALIBRATE_TRIES : tries,
		(uint32_t)div_u64((uint64_t)best.slack * 1000000, best.apic),
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
