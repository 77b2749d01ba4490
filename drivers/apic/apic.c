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
 * 2 window, with interrupts off so the window is not stretched between
 * the reads.
 */
void calibrate_APIC_clock(void)
{
	uint32_t apic_start, apic_end;
	uint64_t tsc_start, tsc_end;
	unsigned long flags;

	local_irq_save(flags);
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	pit_ch2_start(CALIBRATE_USECS);
	apic_write(APIC_TMICT, 0xffffffff);
	apic_start = apic_read(APIC_TMCCT);
	tsc_start = rdtsc();
	while (!pit_ch2_expired())
		cpu_relax();
	apic_end = apic_read(APIC_TMCCT);
	tsc_end = rdtsc();
	apic_write(APIC_TMICT, 0);
	local_irq_restore(flags);

	apic_timer_khz = (apic_start - apic_end) / (CALIBRATE_USECS / 1000);
	tsc_khz = (uint32_t)div_u64(tsc_end - tsc_start, CALIBRATE_USECS / 1000);
	if (apic_timer_khz == 0)
		panic("APIC: the timer did not count during calibration");
	pr_info("timer calibrated against PIT channel 2 (%u ms): %u.%03u MHz after divide-by-16, TSC %u.%03u MHz\n",
		CALIBRATE_USECS / 1000, apic_timer_khz / 1000,
		apic_timer_khz % 1000, tsc_khz / 1000, tsc_khz % 1000);
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
