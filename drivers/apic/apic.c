/* SPDX-License-Identifier: MIT */
/*
 * The local APIC of each CPU, in the mode the firmware handed it over:
 * xAPIC through FIX_APIC_BASE, or x2APIC through MSRs 0x800-0x83f (Intel
 * SDM vol. 3A §10.12); or none at all, when CPUID has no APIC or the
 * firmware disabled it in IA32_APIC_BASE (the 8259 pair and the PIT then
 * run one CPU: drivers/apic/i8259.c, kernel/time.c). Software enable via
 * the spurious-interrupt vector register, the LVT entries, the error
 * interrupt, EOI, IPIs and the timer (SDM vol. 3A ch. 10; Linux's
 * arch/x86/kernel/apic/apic.c and x2apic_phys.c for names).
 */
#define pr_fmt(fmt) "APIC: " fmt

#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/x86.h"
#include "xapic.h"
#include "kernel/acpi.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"

bool lapic_present;
bool x2apic_mode;
bool lapic_enabled;
uint32_t apic_timer_khz;
unsigned long apic_errors, apic_spurious;

/* ------------------------------------------------------------ hand-over */

/*
 * apic.handover_test=x2apic|disabled: a stand-in for firmware that hands
 * over in x2APIC mode (EXTD set, as on many-core machines) or with the
 * APIC disabled (EN clear), applied by apic_handover_test before the
 * boot CPU is identified. Tests only.
 */
enum { HANDOVER_AS_IS, HANDOVER_X2APIC, HANDOVER_DISABLED };
static int handover_test;

static int handover_test_setup(char *val)
{
	if (val && strcmp(val, "x2apic") == 0)
		handover_test = HANDOVER_X2APIC;
	else if (val && strcmp(val, "disabled") == 0)
		handover_test = HANDOVER_DISABLED;
	else
		return -EINVAL;
	return 0;
}
__setup("apic.handover_test", handover_test_setup);

void apic_handover_test(void)
{
	const char *what = handover_test == HANDOVER_X2APIC ? "x2apic" : "disabled";
	uint32_t a, b, c, d;
	uint64_t base, want;

	if (handover_test == HANDOVER_AS_IS)
		return;
	cpuid(1, &a, &b, &c, &d);
	if (!(d & X86_FEATURE_APIC_EDX) || !(d & X86_FEATURE_MSR_EDX)) {
		pr_info("apic.handover_test=%s: the CPU shows no local APIC (CPUID.1:EDX bit 9 clear); ignored\n",
			what);
		return;
	}
	if (handover_test == HANDOVER_X2APIC && !(c & X86_FEATURE_X2APIC_ECX)) {
		pr_info("apic.handover_test=x2apic: the CPU has no x2APIC (CPUID.1:ECX bit 21 clear); ignored\n");
		return;
	}
	base = rdmsr(MSR_IA32_APICBASE);
	/* xAPIC -> x2APIC and enabled -> disabled are both legal steps
	 * (SDM §10.12.5, figure 10-27). */
	if (handover_test == HANDOVER_X2APIC)
		want = base | APICBASE_ENABLE | APICBASE_X2APIC;
	else
		want = base & ~(uint64_t)(APICBASE_ENABLE | APICBASE_X2APIC);
	wrmsr(MSR_IA32_APICBASE, want);
	pr_info("apic.handover_test=%s: IA32_APIC_BASE 0x%llx -> 0x%llx (asked 0x%llx), standing in for the firmware\n",
		what, base, rdmsr(MSR_IA32_APICBASE), want);
}

/*
 * Which APIC the boot CPU has and in which mode, from CPUID and
 * IA32_APIC_BASE: x2APIC when EN and EXTD are both set (the MMIO page is
 * dead then: nothing is mapped), xAPIC with the page mapped uncached at
 * FIX_APIC_BASE, or none. A CPU whose firmware cleared EN reports no APIC
 * in CPUID either (SDM §10.4.3); its IA32_APIC_BASE still holds the page
 * address, which tells it from a CPU without an APIC. The kernel leaves
 * such an APIC off, as Linux does unless told "lapic".
 */
void init_apic_mappings(void)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	bool has_msr = c->edx1 & X86_FEATURE_MSR_EDX;
	uint64_t base = 0;

	if (boot_cpu_has_apic() && !has_msr) {
		pr_info("none usable: the CPU has no MSRs (CPUID.1:EDX bit 5 clear), so IA32_APIC_BASE cannot be read; the 8259 and the PIT run one CPU\n");
		return;
	}
	if (!boot_cpu_has_apic()) {
		if (has_msr && c->family >= 6 &&
		    rdmsr_safe(MSR_IA32_APICBASE, &base) == 0 &&
		    (base & APICBASE_ADDR_MASK) && !(base & APICBASE_ENABLE))
			pr_info("none in use: the firmware disabled it (IA32_APIC_BASE 0x%llx: global enable clear) and it stays off; the 8259 and the PIT run one CPU\n",
				base);
		else
			pr_info("none: the CPU has no local APIC (CPUID.1:EDX bit 9 clear); the 8259 and the PIT run one CPU\n");
		return;
	}
	base = rdmsr(MSR_IA32_APICBASE);
	if (!(base & APICBASE_ENABLE)) {
		pr_info("none in use: the firmware disabled it (IA32_APIC_BASE 0x%llx: global enable clear) and it stays off; the 8259 and the PIT run one CPU\n",
			base);
		return;
	}
	lapic_present = true;
	if (base & APICBASE_X2APIC) {
		x2apic_mode = true;
		pr_info("x2APIC mode as the firmware left it (IA32_APIC_BASE 0x%llx): registers are MSRs 0x800-0x83f, the MMIO page is not mapped\n",
			base);
		return;
	}
	set_fixmap_nocache(FIX_APIC_BASE, base & APICBASE_ADDR_MASK);
	pr_info("xAPIC mode (IA32_APIC_BASE 0x%llx): local APIC registers at 0x%llx, mapped uncached at 0x%08lx\n",
		base, base & APICBASE_ADDR_MASK, fix_to_virt(FIX_APIC_BASE));
}

/* ------------------------------------------------------------ registers */

unsigned int read_apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return x2apic_mode ? id : GET_APIC_ID(id);
}

/* x2APIC's EOI register takes only 0 (any other value is #GP). */
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

/* SDM §10.5.3: write ESR (with 0: x2APIC takes nothing else) before
 * reading it to latch the errors. */
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
	timer_tick();
}

/* LINT1 is NMI where the MADT says so (or, with no MADT, by PC convention
 * on the boot CPU); LINT0, the 8259's ExtINT path, stays masked. */
static uint32_t lint1_setting(unsigned int cpu)
{
	uint32_t acpi_id = ACPI_ID_NONE;

	if (!acpi_info.have_madt)
		return cpu == 0 ? APIC_DM_NMI : APIC_LVT_MASKED;
	for (unsigned int i = 0; i < acpi_info.madt.nr_cpus; i++)
		if (acpi_info.madt.cpus[i].apic_id == per_cpu(cpu)->apic_id)
			acpi_id = acpi_info.madt.cpus[i].acpi_id;
	for (unsigned int i = 0; i < acpi_info.madt.nr_nmis; i++) {
		const struct acpi_lapic_nmi *n = &acpi_info.madt.nmis[i];
		uint32_t v = APIC_DM_NMI;

		if (n->lint != 1 || (n->acpi_id != ACPI_ID_ALL && n->acpi_id != acpi_id))
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
 * Put this CPU's IA32_APIC_BASE in the boot CPU's mode: every CPU runs in
 * the same one. x2APIC is reached from xAPIC or from disabled directly;
 * xAPIC from x2APIC only through the disabled state (SDM §10.12.5).
 */
static void apic_enter_boot_mode(void)
{
	uint64_t base = rdmsr(MSR_IA32_APICBASE);

	if (x2apic_mode) {
		if ((base & (APICBASE_ENABLE | APICBASE_X2APIC)) !=
		    (APICBASE_ENABLE | APICBASE_X2APIC))
			wrmsr(MSR_IA32_APICBASE, base | APICBASE_ENABLE | APICBASE_X2APIC);
		return;
	}
	if (base & APICBASE_X2APIC) {
		base &= ~(uint64_t)(APICBASE_X2APIC | APICBASE_ENABLE);
		wrmsr(MSR_IA32_APICBASE, base);
	}
	if (!(base & APICBASE_ENABLE))
		wrmsr(MSR_IA32_APICBASE, base | APICBASE_ENABLE);
}

/*
 * Bring this CPU's local APIC to a known state: globally enabled in the
 * boot CPU's mode, every LVT masked but error and LINT1, accepting every
 * priority, software-enabled with the spurious vector. Without a local
 * APIC (lapic_present false) there is nothing to do.
 */
void setup_local_APIC(void)
{
	unsigned int cpu = smp_processor_id();
	uint32_t maxlvt;

	if (!lapic_present)
		return;
	apic_enter_boot_mode();
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
		pr_info("local APIC id %u version 0x%02x, %u LVT entries, enabled on CPU 0 in %s mode\n",
			per_cpu(cpu)->apic_id, GET_APIC_VERSION(apic_read(APIC_LVR)),
			maxlvt + 1, x2apic_mode ? "x2APIC" : "xAPIC");
	}
}

/* ------------------------------------------------------------ IPIs */

/* Wait until the previous IPI left; SDM §10.6.1 delivery status (xAPIC
 * only: x2APIC has no such bit, §10.12.9). */
static void apic_wait_icr_idle(void)
{
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
}

/*
 * xAPIC: ICR2 then ICR with interrupts off, so that no handler's own IPI
 * lands between the two halves. x2APIC: one 64-bit WRMSR, after a fence,
 * since that WRMSR does not order the stores before it (the TLB
 * shootdown's range must be visible to the CPU the IPI reaches).
 */
static void apic_icr_write(uint32_t low, uint32_t dest)
{
	unsigned long flags;

	if (x2apic_mode) {
		weak_wrmsr_fence();
		wrmsr(X2APIC_ICR, (uint64_t)dest << 32 | low);
		return;
	}
	local_irq_save(flags);
	apic_wait_icr_idle();
	apic_write(APIC_ICR2, SET_APIC_DEST_FIELD(dest));
	apic_write(APIC_ICR, low);
	apic_wait_icr_idle();
	local_irq_restore(flags);
}

bool apic_id_reachable(unsigned int apic_id)
{
	return x2apic_mode || apic_id <= 0xff;
}

void apic_send_ipi(unsigned int apic_id, unsigned int vector)
{
	apic_icr_write(APIC_DM_FIXED | vector, apic_id);
}

/* The x2APIC's SELF IPI register (§10.12.11), else the self shorthand. */
void apic_send_self_ipi(unsigned int vector)
{
	if (x2apic_mode) {
		weak_wrmsr_fence();
		wrmsr(X2APIC_SELF_IPI, vector & APIC_VECTOR_MASK);
	} else {
		apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | vector, 0);
	}
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

/* One-shot, divided by 16, from the largest count, masked: what the
 * calibration reads (kernel/time.c). */
void apic_timer_start_max(void)
{
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffff);
}

uint32_t apic_timer_count(void)
{
	return apic_read(APIC_TMCCT);
}

void apic_timer_stop(void)
{
	apic_write(APIC_TMICT, 0);
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
