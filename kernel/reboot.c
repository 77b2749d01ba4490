/* SPDX-License-Identifier: MIT */
/*
 * Restarting and switching off the machine, in the order of Linux's
 * arch/x86/kernel/reboot.c: the FADT's reset register (ACPI 6.5
 * §4.8.3.6), the 8042's pulse-reset command, a triple fault; S5 through
 * PM1a/PM1b_CNT with the DSDT's SLP_TYP values (ACPI 6.5 §4.8.3.2.1,
 * §7.4.2, §16.1.7; ACPI mode enabled through SMI_CMD first, §4.8.2.5),
 * the PIIX4's own PMCNTRL (82371AB datasheet §7.2), an emulator's
 * shutdown port. Each step prints in one line what it tries before it
 * tries it, so that a person at a PC that neither resets nor switches off
 * reads why; nothing here allocates.
 */
#include "asm/pci-direct.h"
#include "asm/x86.h"
#include "../drivers/input/i8042.h"
#include "../drivers/pci/piix4.h"
#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/vmalloc.h"

/* PM1_CNT (ACPI 6.5 §4.8.3.2.1, table 4.13). */
#define ACPI_PM1_CNT_SCI_EN	(1u << 0)
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_TYP	(7u << 10)
#define ACPI_PM1_CNT_SLP_EN	(1u << 13)

#define ACPI_ENABLE_WAIT_MS	3000	/* for SCI_EN after ACPI_ENABLE */
#define RESET_WAIT_MS		50	/* for a reset to take hold */
#define POWER_OFF_WAIT_MS	1000	/* for the power to go */

enum reboot_type reboot_type = BOOT_ACPI;

/* reboot=acpi|kbd|triple: the first restart method tried. */
static int reboot_setup(char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "acpi"))
		reboot_type = BOOT_ACPI;
	else if (!strcmp(val, "kbd"))
		reboot_type = BOOT_KBD;
	else if (!strcmp(val, "triple"))
		reboot_type = BOOT_TRIPLE;
	else
		return -EINVAL;
	return 0;
}
__setup("reboot", reboot_setup);

/* The registers in system memory, mapped by reboot_init. */
static volatile void *reset_reg_va, *pm1a_cnt_va, *pm1b_cnt_va;

static volatile void *map_reg(const struct acpi_reg *r, const char *name)
{
	void *va;

	if (!r->address || r->space_id != ACPI_ADR_SPACE_SYSTEM_MEMORY)
		return NULL;
	va = ioremap(r->address, 2);
	if (!va)
		pr_err("reboot: cannot map %s at 0x%llx; it will not be used\n",
		       name, (unsigned long long)r->address);
	return va;
}

void reboot_init(void)
{
	const struct acpi_power *pw = &acpi_info.power;

	if (!acpi_info.have_fadt)
		return;
	if (pw->have_reset_reg)
		reset_reg_va = map_reg(&pw->reset_reg, "the reset register");
	if (pw->have_s5) {
		pm1a_cnt_va = map_reg(&pw->pm1a_cnt, "PM1a_CNT");
		pm1b_cnt_va = map_reg(&pw->pm1b_cnt, "PM1b_CNT");
	}
}

/* One step's line, on every console before the step runs. */
#define say(fmt, ...) do { printk(fmt, ##__VA_ARGS__); console_flush(); } while (0)

/* ------------------------------------------------------------ restart */

int acpi_reset_write(const struct acpi_reg *r, volatile void *va, uint8_t value)
{
	switch (r->space_id) {
	case ACPI_ADR_SPACE_SYSTEM_IO:
		outb((uint16_t)r->address, value);
		return 0;
	case ACPI_ADR_SPACE_SYSTEM_MEMORY:
		/* An 8-bit register by the spec: one byte, not a dword. */
		if (!va)
			return -EINVAL;
		*(volatile uint8_t *)va = value;
		return 0;
	case ACPI_ADR_SPACE_PCI_CONFIG:
		write_pci_config_byte(0, (r->address >> 32) & 0x1f, (r->address >> 16) & 7,
				      r->address & 0xff, value);
		return 0;
	default:
		return -EINVAL;
	}
}

static void acpi_reboot(void)
{
	const struct acpi_power *pw = &acpi_info.power;
	char reg[48];

	if (!acpi_info.have_fadt) {
		say("reboot: no ACPI reset register: %s\n",
		    acpi_disabled ? "acpi=off" : "no FADT");
		return;
	}
	if (!pw->have_reset_reg) {
		say("reboot: no ACPI reset register: %s\n", pw->reset_why);
		return;
	}
	acpi_reg_name(&pw->reset_reg, reg, sizeof(reg));
	if (pw->reset_reg.space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY && !reset_reg_va) {
		say("reboot: the ACPI reset register (%s) could not be mapped\n", reg);
		return;
	}
	say("reboot: trying the ACPI reset register: 0x%x to %s\n", pw->reset_value, reg);
	acpi_reset_write(&pw->reset_reg, reset_reg_va, pw->reset_value);
	mdelay(RESET_WAIT_MS);
}

/* Until the 8042 takes a command, for at most about 130 ms. */
static void kb_wait(void)
{
	for (int i = 0; i < 0x10000; i++) {
		if (!(inb(I8042_STATUS_REG) & I8042_STR_IBF))
			return;
		udelay(2);
	}
}

static void kbd_reboot(void)
{
	uint8_t status = inb(I8042_STATUS_REG);

	say("reboot: trying the i8042 reset pulse: 0x%x to port 0x%x%s\n",
	    I8042_CMD_PULSE_RESET, I8042_COMMAND_REG,
	    status == 0xff ? " (its status reads 0xff: there may be no i8042)" : "");
	for (int i = 0; i < 10; i++) {
		kb_wait();
		udelay(50);
		outb(I8042_COMMAND_REG, I8042_CMD_PULSE_RESET);
		udelay(50);
	}
	mdelay(RESET_WAIT_MS);
}

static void triple_fault(void)
{
	static const struct desc_ptr no_idt = { 0, 0 };

	say("reboot: trying a triple fault: an empty IDT, then int3\n");
	load_idt(&no_idt);
	int3();
}

void machine_restart(char *cmd)
{
	local_irq_disable();
	switch (reboot_type) {
	case BOOT_ACPI:
		acpi_reboot();
		/* fall through */
	case BOOT_KBD:
		kbd_reboot();
		/* fall through */
	case BOOT_TRIPLE:
		triple_fault();
		break;
	}
	say("reboot: the machine did not restart; halted (switch it off and on)\n");
	halt_forever();
}

/* ------------------------------------------------------------ power-off */

static uint16_t pm1_read(const struct acpi_reg *r, volatile void *va)
{
	if (r->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
		return *(volatile uint16_t *)va;
	return inw((uint16_t)r->address);
}

static void pm1_write(const struct acpi_reg *r, volatile void *va, uint16_t v)
{
	if (r->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
		*(volatile uint16_t *)va = v;
	else
		outw((uint16_t)r->address, v);
}

int acpi_enable_mode(void)
{
	const struct acpi_power *pw = &acpi_info.power;

	if (!acpi_info.have_fadt || !pw->have_s5)
		return -ENODEV;
	if (pm1_read(&pw->pm1a_cnt, pm1a_cnt_va) & ACPI_PM1_CNT_SCI_EN)
		return 0;
	if (!pw->smi_cmd || !pw->acpi_enable) {
		say("poweroff: SCI_EN is clear and the FADT gives no SMI_CMD to set it\n");
		return -ENODEV;
	}
	say("poweroff: SCI_EN is clear: enabling ACPI mode (0x%x to SMI_CMD port 0x%x)\n",
	    pw->acpi_enable, pw->smi_cmd);
	outb(pw->smi_cmd, pw->acpi_enable);
	for (int ms = 0; ms < ACPI_ENABLE_WAIT_MS; ms++) {
		if (pm1_read(&pw->pm1a_cnt, pm1a_cnt_va) & ACPI_PM1_CNT_SCI_EN)
			return 0;
		mdelay(1);
	}
	say("poweroff: SCI_EN still clear after %u ms\n", ACPI_ENABLE_WAIT_MS);
	return -ETIMEDOUT;
}

static void acpi_power_off(void)
{
	const struct acpi_power *pw = &acpi_info.power;
	bool b = pw->pm1b_cnt.address != 0;
	uint16_t cnt_a, cnt_b = 0;
	char reg_a[48], reg_b[48];

	if (!acpi_info.have_fadt) {
		say("poweroff: no ACPI S5: %s\n", acpi_disabled ? "acpi=off" : "no FADT");
		return;
	}
	if (!pw->have_s5) {
		say("poweroff: no ACPI S5: %s\n", pw->s5_why);
		return;
	}
	if ((pw->pm1a_cnt.space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY && !pm1a_cnt_va) ||
	    (b && pw->pm1b_cnt.space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY && !pm1b_cnt_va)) {
		say("poweroff: no ACPI S5: a PM1 control block in memory could not be mapped\n");
		return;
	}
	acpi_reg_name(&pw->pm1a_cnt, reg_a, sizeof(reg_a));
	acpi_reg_name(&pw->pm1b_cnt, reg_b, sizeof(reg_b));
	if (acpi_enable_mode())
		say("poweroff: trying S5 all the same\n");
	if (b)
		say("poweroff: trying ACPI S5: SLP_TYPa %u | SLP_EN to PM1a_CNT (%s), SLP_TYPb %u | SLP_EN to PM1b_CNT (%s)\n",
		    pw->slp_typa, reg_a, pw->slp_typb, reg_b);
	else
		say("poweroff: trying ACPI S5: SLP_TYPa %u | SLP_EN to PM1a_CNT (%s)\n",
		    pw->slp_typa, reg_a);
	/* SLP_TYP first, then SLP_TYP with SLP_EN, as ACPICA writes them. */
	cnt_a = pm1_read(&pw->pm1a_cnt, pm1a_cnt_va) &
		~(ACPI_PM1_CNT_SLP_TYP | ACPI_PM1_CNT_SLP_EN);
	cnt_a |= pw->slp_typa << ACPI_PM1_CNT_SLP_TYP_SHIFT;
	if (b) {
		cnt_b = pm1_read(&pw->pm1b_cnt, pm1b_cnt_va) &
			~(ACPI_PM1_CNT_SLP_TYP | ACPI_PM1_CNT_SLP_EN);
		cnt_b |= pw->slp_typb << ACPI_PM1_CNT_SLP_TYP_SHIFT;
	}
	pm1_write(&pw->pm1a_cnt, pm1a_cnt_va, cnt_a);
	if (b)
		pm1_write(&pw->pm1b_cnt, pm1b_cnt_va, cnt_b);
	pm1_write(&pw->pm1a_cnt, pm1a_cnt_va, cnt_a | ACPI_PM1_CNT_SLP_EN);
	if (b)
		pm1_write(&pw->pm1b_cnt, pm1b_cnt_va, cnt_b | ACPI_PM1_CNT_SLP_EN);
	mdelay(POWER_OFF_WAIT_MS);
	say("poweroff: still running %u ms after ACPI S5\n", POWER_OFF_WAIT_MS);
}

int piix4_pm_find(struct piix4_pm *pm)
{
	for (uint8_t slot = 0; slot < 32; slot++) {
		uint8_t nfunc = 1;

		if (read_pci_config_16(0, slot, 0, PCI_VENDOR_ID) == 0xffff)
			continue;
		if (read_pci_config_byte(0, slot, 0, PCI_HEADER_TYPE) & PCI_HEADER_MULTI_FUNC)
			nfunc = 8;
		for (uint8_t func = 0; func < nfunc; func++) {
			if (read_pci_config_16(0, slot, func, PCI_VENDOR_ID) != PIIX4_VENDOR_ID ||
			    read_pci_config_16(0, slot, func, PCI_DEVICE_ID) != PIIX4_PM_DEVICE_ID)
				continue;
			pm->slot = slot;
			pm->func = func;
			pm->base = read_pci_config(0, slot, func, PIIX4_PMBA) & PIIX4_PMBA_MASK;
			pm->io_enabled = read_pci_config_byte(0, slot, func, PIIX4_PMREGMISC) &
					 PIIX4_PMIOSE;
			return pm->base ? 0 : -ENXIO;
		}
	}
	return -ENODEV;
}

static void piix4_power_off(void)
{
	struct piix4_pm pm;
	uint16_t cnt;
	int err = piix4_pm_find(&pm);

	if (err == -ENODEV) {
		say("poweroff: no PIIX4 power management (8086:7113) on PCI bus 0\n");
		return;
	}
	if (err) {
		say("poweroff: the PIIX4 power management at PCI 00:%02x.%x has no I/O base (PMBA 0)\n",
		    pm.slot, pm.func);
		return;
	}
	if (!pm.io_enabled) {
		say("poweroff: the PIIX4's PM I/O space at 0x%x is off: turning it on (PMREGMISC.PMIOSE)\n",
		    pm.base);
		write_pci_config_byte(0, pm.slot, pm.func, PIIX4_PMREGMISC,
				      read_pci_config_byte(0, pm.slot, pm.func, PIIX4_PMREGMISC) |
				      PIIX4_PMIOSE);
	}
	say("poweroff: trying the PIIX4 power management at PCI 00:%02x.%x: SUS_TYP %u (soft off) | SUS_EN to PMCNTRL (I/O port 0x%x)\n",
	    pm.slot, pm.func, PIIX4_SUS_TYP_SOFT_OFF, pm.base + PIIX4_PMCNTRL);
	cnt = inw(pm.base + PIIX4_PMCNTRL) & ~(PIIX4_SUS_TYP | PIIX4_SUS_EN);
	outw(pm.base + PIIX4_PMCNTRL, cnt | PIIX4_SUS_TYP_SOFT_OFF << PIIX4_SUS_TYP_SHIFT |
	     PIIX4_SUS_EN);
	mdelay(POWER_OFF_WAIT_MS);
	say("poweroff: still running %u ms after the PIIX4's soft off\n", POWER_OFF_WAIT_MS);
}

/* Only an emulator answers here: Bochs's shutdown port, when port 0xE9
 * echoes (a PC has neither). */
static void emulator_power_off(void)
{
	if (!debugcon_present()) {
		say("poweroff: port 0xe9 does not echo: not an emulator, no shutdown port to try\n");
		return;
	}
	say("poweroff: trying the emulator's shutdown port: \"Shutdown\" to port 0x%x (Bochs)\n",
	    BOCHS_SHUTDOWN_PORT);
	bochs_shutdown();
	mdelay(POWER_OFF_WAIT_MS);
}

void machine_power_off(void)
{
	local_irq_disable();
	acpi_power_off();
	piix4_power_off();
	emulator_power_off();
	say("poweroff: the machine is still on; halted (it is safe to switch it off)\n");
	halt_forever();
}
