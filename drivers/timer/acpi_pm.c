/* SPDX-License-Identifier: MIT */
/*
 * The ACPI PM timer without a FADT to name it (acpi=off, QEMU's -no-acpi,
 * OVMF under Bochs): the chipset's own power-management I/O block holds
 * it at offset 8, 24 bits at 3.579545 MHz: the PIIX4's PMBA (82371AB
 * datasheet §3.4, §7.2.8, function 3), or an Intel ICH's PMBASE with
 * ACPI_EN in its LPC bridge (ICH9 datasheet §13.1.9-10, device 31
 * function 0). Taken only once it is seen to count (ACPI 6.5 §4.8.2.1).
 */
#define pr_fmt(fmt) "PM timer: " fmt

#include "asm/pci-direct.h"
#include "asm/x86.h"
#include "../pci/piix4.h"
#include "kernel/acpi.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"
#include "kernel/string.h"

/* The ICH's LPC bridge: device 31 function 0 of bus 0, an Intel ISA bridge. */
#define PCI_VENDOR_ID_INTEL	0x8086
#define ICH_LPC_SLOT		31
#define PCI_CLASS_DEVICE	0x0a	/* 16 bits: class, subclass */
#define  PCI_CLASS_BRIDGE_ISA	0x0601
#define ICH_PMBASE		0x40	/* 32 bits: bits 15:7 the ACPI I/O base */
#define  ICH_PMBASE_MASK	0xff80
#define ICH_ACPI_CNTL		0x44	/* 8 bits */
#define  ICH_ACPI_EN		(1u << 7)	/* PMBASE decoded */
#define PM_TMR_OFFSET		0x08	/* PM1_TMR in either block */

/* Reads of a PM timer that counts at 3.58 MHz change within a few
 * accesses; a port nobody decodes reads the same for ever. A count of
 * reads, not a time, bounds the look. */
#define PM_COUNT_TRIES		100000

static bool pm_port_counts(uint16_t port)
{
	uint32_t first = inl(port) & 0xffffff;

	for (int i = 0; i < PM_COUNT_TRIES; i++)
		if ((inl(port) & 0xffffff) != first)
			return true;
	return false;
}

static bool take(uint16_t port, const char *source)
{
	if (!pm_port_counts(port)) {
		pr_info("%s: port 0x%x does not count; not used\n", source, port);
		return false;
	}
	pm_timer.present = true;
	pm_timer.port = port;
	pm_timer.bits32 = false;
	strscpy(pm_timer.source, source, sizeof(pm_timer.source));
	return true;
}

void pm_timer_probe(void)
{
	struct piix4_pm pm;
	char source[48];

	if (pm_timer.present)
		return;
	if (piix4_pm_find(&pm) == 0 && pm.io_enabled) {
		snprintf(source, sizeof(source), "PIIX4 PMBA at PCI 00:%02x.%x", pm.slot, pm.func);
		if (take(pm.base + PIIX4_PMTMR, source))
			goto found;
	}
	if (read_pci_config_16(0, ICH_LPC_SLOT, 0, PCI_VENDOR_ID) == PCI_VENDOR_ID_INTEL &&
	    read_pci_config_16(0, ICH_LPC_SLOT, 0, PCI_CLASS_DEVICE) == PCI_CLASS_BRIDGE_ISA &&
	    (read_pci_config_byte(0, ICH_LPC_SLOT, 0, ICH_ACPI_CNTL) & ICH_ACPI_EN)) {
		uint16_t base = read_pci_config(0, ICH_LPC_SLOT, 0, ICH_PMBASE) & ICH_PMBASE_MASK;

		snprintf(source, sizeof(source), "ICH PMBASE at PCI 00:1f.0");
		if (base && take(base + PM_TMR_OFFSET, source))
			goto found;
	}
	pr_info("none: no FADT names one, and no PIIX4 or ICH power-management block has one\n");
	return;
found:
	pr_info("at port 0x%x (24-bit) from the %s, no FADT naming one\n",
		pm_timer.port, pm_timer.source);
}
