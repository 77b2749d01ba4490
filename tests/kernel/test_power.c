/* SPDX-License-Identifier: MIT */
/*
 * The power paths short of their last write (kernel/reboot.c,
 * monitor/power.c): the PIIX4's power management found on PCI exactly on
 * QEMU's pc machine, with the PM base the FADT names; the reset register
 * written in memory and in PCI configuration space (on a harmless
 * register, restored); ACPI mode turned on through SMI_CMD after SCI_EN
 * was cleared; the commands refusing arguments without acting.
 */
#include "asm/pci-direct.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/monitor.h"
#include "kernel/reboot.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/slab.h"
#include "../../drivers/pci/piix4.h"

/* QEMU's chipset as the PM timer's port tells it (docs/emulators.md). */
static const char *qemu_machine(void)
{
	if (!acpi_info.have_pm_timer)
		return NULL;
	return acpi_info.pm_timer_port == 0x608 ? "q35" :
	       acpi_info.pm_timer_port == 0xb008 ? "pc" : NULL;
}

KTEST(power, piix4_found_on_pc_only)
{
	const char *machine = qemu_machine();
	struct piix4_pm pm;
	int err;

	if (!machine)
		kt_skip(t, "not QEMU's q35 or pc as its PM timer tells (none, or at another port)");
	err = piix4_pm_find(&pm);
	if (!strcmp(machine, "q35")) {
		KT_EXPECT_EQ(t, err, -ENODEV);
		return;
	}
	KT_ASSERT_EQ(t, err, 0);
	KT_EXPECT_EQ(t, pm.slot, 1);
	KT_EXPECT_EQ(t, pm.func, 3);
	KT_EXPECT_EQ(t, pm.base, acpi_info.pm_timer_port - 8u);
	KT_EXPECT(t, pm.io_enabled);
	/* Its PM timer is the one the FADT names: it counts. */
	uint32_t before = inl(pm.base + PIIX4_PMTMR) & 0xffffff;

	mdelay(1);
	KT_EXPECT_NE(t, inl(pm.base + PIIX4_PMTMR) & 0xffffff, before);
}

KTEST(power, reset_write_reaches_memory_and_pci_config)
{
	struct acpi_reg mem = { ACPI_ADR_SPACE_SYSTEM_MEMORY, 8, 0x1000 };
	struct acpi_reg pci = { ACPI_ADR_SPACE_PCI_CONFIG, 8, PCI_INTERRUPT_LINE };
	struct acpi_reg other = { 0x7f, 8, 0x1000 };
	uint8_t *page = kzalloc(16, GFP_KERNEL), old;

	KT_ASSERT(t, page != NULL);
	/* Memory: one byte, its neighbours untouched. */
	KT_EXPECT_EQ(t, acpi_reset_write(&mem, page + 4, 0x6a), 0);
	KT_EXPECT_EQ(t, page[4], 0x6a);
	KT_EXPECT_EQ(t, page[3], 0);
	KT_EXPECT_EQ(t, page[5], 0);
	KT_EXPECT_EQ(t, acpi_reset_write(&mem, NULL, 0x6a), -EINVAL);
	KT_EXPECT_EQ(t, acpi_reset_write(&other, page, 0x6b), -EINVAL);
	KT_EXPECT_EQ(t, page[0], 0);
	kfree(page);

	/* PCI: 00:00.0's interrupt line, a register only software reads. */
	if (read_pci_config_16(0, 0, 0, PCI_VENDOR_ID) == 0xffff)
		kt_skip(t, "no PCI function at 00:00.0");
	old = read_pci_config_byte(0, 0, 0, PCI_INTERRUPT_LINE);
	KT_EXPECT_EQ(t, acpi_reset_write(&pci, NULL, (uint8_t)(old ^ 0x5a)), 0);
	KT_EXPECT_EQ(t, read_pci_config_byte(0, 0, 0, PCI_INTERRUPT_LINE), (uint8_t)(old ^ 0x5a));
	write_pci_config_byte(0, 0, 0, PCI_INTERRUPT_LINE, old);
	KT_EXPECT_EQ(t, read_pci_config_byte(0, 0, 0, PCI_INTERRUPT_LINE), old);
}

/* SCI_EN cleared by hand (QEMU lets software write it), then ACPI mode
 * enabled again the way machine_power_off does it. */
KTEST(power, acpi_mode_enabled_through_smi_cmd)
{
	const struct acpi_power *pw = &acpi_info.power;
	uint16_t port, cnt;

	if (!qemu_machine() || !acpi_info.have_fadt || !pw->have_s5 || !pw->smi_cmd ||
	    pw->pm1a_cnt.space_id != ACPI_ADR_SPACE_SYSTEM_IO)
		kt_skip(t, "not QEMU with its ACPI tables (no S5, SMI_CMD or PM1a_CNT port)");
	port = (uint16_t)pw->pm1a_cnt.address;
	cnt = inw(port);
	KT_ASSERT(t, cnt & 1);			/* SCI_EN: OVMF leaves ACPI on */
	KT_EXPECT_EQ(t, acpi_enable_mode(), 0);	/* nothing to do */
	outw(port, cnt & ~1u & ~(1u << 13));	/* SCI_EN off, never SLP_EN */
	KT_ASSERT_EQ(t, inw(port) & 1, 0);
	KT_EXPECT_EQ(t, acpi_enable_mode(), 0);
	KT_EXPECT_EQ(t, inw(port) & 1, 1);
	if (!(inw(port) & 1))
		outw(port, cnt & ~(1u << 13));	/* leave it as it was */
}

KTEST(power, commands_refuse_arguments)
{
	char out[160];
	int ret;

	monitor_capture("reboot now", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EINVAL);
	KT_EXPECT_STREQ(t, out, "reboot: takes no arguments (reboot= on the command line picks the method)\n");
	monitor_capture("poweroff -f", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EINVAL);
	KT_EXPECT_STREQ(t, out, "poweroff: takes no arguments\n");
	monitor_capture("help reboot", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_STREQ(t, out, "reboot \n    restart the machine\n");
	monitor_capture("help poweroff", out, sizeof(out), &ret);
	KT_EXPECT_STREQ(t, out, "poweroff \n    switch the machine off\n");
}
