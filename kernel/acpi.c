/* SPDX-License-Identifier: MIT */
/*
 * ACPI at boot (ACPI 6.5 §5.2.5.1 on finding the RSDP, ch. 5 for the
 * tables): the RSDP from the loader's boot_info (or, without one, from a
 * scan of 0xE0000-0xFFFFF), the tables mapped with ioremap_cache, checked
 * and parsed by kernel/acpi_tables.c into acpi_info, unmapped again, and
 * summarised on the console (the power facts too: the reset register and
 * \_S5, or why there are none); and the PM timer read.
 *
 * The fallback, whenever the MADT is missing or refused, or "acpi=off":
 * one CPU (the boot CPU), no IO-APIC, so no device interrupts through it
 * (the local APIC still works, found from IA32_APIC_BASE); without a
 * usable FADT, no PM timer named (drivers/timer/acpi_pm.c looks for the
 * chipset's), and nothing said about an 8042 (the keyboard driver probes
 * for one).
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/bootinfo.h"
#include "kernel/errno.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/vmalloc.h"

struct acpi_info acpi_info;
bool acpi_disabled;

/* "acpi=off"; any other value is refused (params.c names it) and ignored. */
static int acpi_setup(char *val)
{
	if (!val || strcmp(val, "off") != 0)
		return -EINVAL;
	acpi_disabled = true;
	return 0;
}
__setup("acpi", acpi_setup);

/* Tables are RAM (E820 ACPI data or NVS): mapped cached. */
static const void *acpi_os_map(void *ctx, acpi_physical_address phys,
			       uint32_t size)
{
	return ioremap_cache(phys, size);
}

static void acpi_os_unmap(void *ctx, const void *virt, uint32_t size)
{
	iounmap(virt);
}

static const struct acpi_mem_ops acpi_os_ops = {
	.map = acpi_os_map,
	.unmap = acpi_os_unmap,
};

/*
 * The RSDP's first bytes, copied to buf: the loader's copy, or on a
 * machine whose loader found none, the first valid one in the BIOS area.
 * Returns the number of bytes (0: none) and its physical address.
 */
static uint32_t acpi_find_rsdp(uint8_t *buf, uint32_t size,
			       acpi_physical_address *phys)
{
	uint32_t len = ACPI_RSDP_SCAN_END - ACPI_RSDP_SCAN_START, n;
	const uint8_t *area;
	acpi_physical_address found;

	if (boot_info.flags & BOOT_INFO_RSDP) {
		n = min_t(uint32_t, size, sizeof(boot_info.rsdp));
		memcpy(buf, boot_info.rsdp, n);
		*phys = boot_info.rsdp_phys;
		return n;
	}
	area = ioremap_cache(ACPI_RSDP_SCAN_START, len);
	if (!area)
		return 0;
	n = 0;
	if (acpi_scan_rsdp(area, len, ACPI_RSDP_SCAN_START, &found) == ACPI_OK) {
		n = min_t(uint32_t, size,
			  ACPI_RSDP_SCAN_END - (uint32_t)found);
		memcpy(buf, area + (found - ACPI_RSDP_SCAN_START), n);
		*phys = found;
		pr_info("RSDP 0x%016llx found in the BIOS area (v%02u %.6s)\n",
			found, buf[15], (const char *)buf + 9);
	}
	iounmap(area);
	return n;
}

int acpi_load_tables(struct acpi_info *info)
{
	uint8_t rsdp[ACPI_RSDP_V2_SIZE];
	acpi_physical_address phys = 0;
	uint32_t n = acpi_find_rsdp(rsdp, sizeof(rsdp), &phys);

	if (!n)
		return ACPI_ERR_NOT_FOUND;
	return acpi_tables_load(rsdp, n, phys, &acpi_os_ops, info, NULL);
}

static const char *polarity_name(uint16_t flags)
{
	switch (flags & ACPI_MADT_POLARITY_MASK) {
	case ACPI_MADT_POLARITY_CONFORMS:	return "conforms";
	case ACPI_MADT_POLARITY_ACTIVE_HIGH:	return "high";
	case ACPI_MADT_POLARITY_ACTIVE_LOW:	return "low";
	default:				return "reserved";
	}
}

static const char *trigger_name(uint16_t flags)
{
	switch (flags & ACPI_MADT_TRIGGER_MASK) {
	case ACPI_MADT_TRIGGER_CONFORMS:	return "conforms";
	case ACPI_MADT_TRIGGER_EDGE:		return "edge";
	case ACPI_MADT_TRIGGER_LEVEL:		return "level";
	default:				return "reserved";
	}
}

static void acpi_print_madt(const struct acpi_madt_info *m)
{
	unsigned int enabled = 0;

	for (unsigned int i = 0; i < m->nr_cpus; i++)
		enabled += m->cpus[i].enabled;
	pr_info("LAPIC at 0x%llx, %u CPUs (%u enabled)%s\n", m->lapic_address,
		m->nr_cpus, enabled, m->pcat_compat ? ", PCAT_COMPAT (8259 pair)" : "");
	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		const struct acpi_cpu *c = &m->cpus[i];

		pr_info("CPU %u: %sAPIC id %u, ACPI id %u, %s\n", i, c->x2apic ? "x2" : "",
			c->apic_id, c->acpi_id, c->enabled ? "enabled" :
			c->online_capable ? "online-capable" : "unusable");
	}
	if (m->nr_cpus_duplicate)
		pr_info("%u more processor entries repeat an APIC id; ignored\n",
			m->nr_cpus_duplicate);
	if (m->nr_cpus_ignored)
		pr_info("%u more CPUs beyond NR_CPUS (%u) ignored\n",
			m->nr_cpus_ignored, NR_CPUS);
	for (unsigned int i = 0; i < m->nr_ioapics; i++)
		pr_info("IOAPIC[%u]: id %u, address 0x%08x, GSI base %u\n", i,
			m->ioapics[i].id, m->ioapics[i].address,
			m->ioapics[i].gsi_base);
	for (unsigned int i = 0; i < m->nr_overrides; i++) {
		const struct acpi_override *o = &m->overrides[i];

		pr_info("INT_SRC_OVR bus %u irq %u -> GSI %u (polarity %s, trigger %s)\n",
			o->bus, o->source_irq, o->gsi, polarity_name(o->flags),
			trigger_name(o->flags));
	}
	for (unsigned int i = 0; i < m->nr_nmis; i++) {
		const struct acpi_lapic_nmi *n = &m->nmis[i];

		const char *type = n->x2apic ? "X2APIC_NMI" : "LAPIC_NMI";

		if (n->acpi_id == ACPI_ID_ALL)
			pr_info("%s all CPUs LINT%u (polarity %s, trigger %s)\n",
				type, n->lint, polarity_name(n->flags),
				trigger_name(n->flags));
		else
			pr_info("%s ACPI id %u LINT%u (polarity %s, trigger %s)\n",
				type, n->acpi_id, n->lint, polarity_name(n->flags),
				trigger_name(n->flags));
	}
}

static void acpi_print_power(const struct acpi_info *info)
{
	const struct acpi_power *pw = &info->power;
	char reg[48];

	if (!info->have_fadt) {
		pr_info("no FADT: no reset register, no ACPI S5\n");
		return;
	}
	if (pw->have_reset_reg)
		pr_info("reset register: %s, value 0x%x\n",
			acpi_reg_name(&pw->reset_reg, reg, sizeof(reg)), pw->reset_value);
	else
		pr_info("no reset register: %s\n", pw->reset_why);
	if (pw->have_s5)
		pr_info("S5: SLP_TYPa %u, SLP_TYPb %u (\\_S5 at DSDT offset 0x%x), PM1a_CNT at %s%s\n",
			pw->slp_typa, pw->slp_typb, pw->s5_offset,
			acpi_reg_name(&pw->pm1a_cnt, reg, sizeof(reg)),
			pw->pm1b_cnt.address ? ", PM1b_CNT too" : "");
	else
		pr_info("no S5: %s\n", pw->s5_why);
}

void acpi_boot_init(void)
{
	int err;

	if (acpi_disabled) {
		pr_info("disabled by acpi=off\n");
	} else {
		err = acpi_load_tables(&acpi_info);
		if (err == ACPI_ERR_NOT_FOUND)
			pr_info("no RSDP, no tables\n");
		else if (err)
			pr_err("tables unusable (%s)\n", acpi_strerror(err));
	}
	if (acpi_info.have_madt)
		acpi_print_madt(&acpi_info.madt);
	else
		pr_info("no MADT: one CPU (the boot CPU), no IO-APIC (no device interrupts), local APIC from IA32_APIC_BASE\n");
	if (acpi_info.have_pm_timer) {
		pm_timer.present = true;
		pm_timer.port = acpi_info.pm_timer_port;
		pm_timer.bits32 = acpi_info.pm_timer_32bit;
		strscpy(pm_timer.source, "the FADT", sizeof(pm_timer.source));
		pr_info("PM timer at port 0x%x (%u-bit)\n",
			acpi_info.pm_timer_port,
			acpi_info.pm_timer_32bit ? 32 : 24);
	} else {
		pr_info("no PM timer in a FADT\n");
	}
	if (acpi_info.have_hpet)
		pr_info("HPET %u: event timer block at 0x%llx\n", acpi_info.hpet_number,
			(unsigned long long)acpi_info.hpet_address);
	if (acpi_info.have_boot_arch)
		pr_info("FADT IAPC_BOOT_ARCH 0x%04x (%s)\n", acpi_info.boot_arch,
			acpi_info.boot_arch & ACPI_FADT_8042 ? "8042 present" : "no 8042");
	acpi_print_power(&acpi_info);
}

struct pm_timer pm_timer;

uint32_t acpi_pm_read(void)
{
	uint32_t v;

	if (!pm_timer.present)
		return 0;
	v = inl(pm_timer.port);
	return pm_timer.bits32 ? v : v & 0xffffffu;
}
