/* SPDX-License-Identifier: MIT */
/*
 * Restarting and switching off the machine (kernel/reboot.c, with Linux's
 * names): the ACPI reset register, the i8042 reset pulse and a triple
 * fault to restart; ACPI S5, the PIIX4's power management and an
 * emulator's shutdown port to switch off. docs/console.md and docs/acpi.md
 * say what each step does and prints.
 */
#ifndef KERNEL_REBOOT_H
#define KERNEL_REBOOT_H

#include <stdint.h>
#include "kernel/acpi.h"
#include "kernel/kernel.h"

/* The first restart method tried (reboot= on the command line); the
 * later ones follow it. */
enum reboot_type {
	BOOT_ACPI,		/* the FADT's reset register */
	BOOT_KBD,		/* the i8042's reset pulse */
	BOOT_TRIPLE,		/* an empty IDT and an interrupt */
};
extern enum reboot_type reboot_type;

/* Map the registers in system memory the paths below need (the reset
 * register, PM1x_CNT), so that those paths allocate nothing. After
 * acpi_boot_init and vmalloc_init. */
void reboot_init(void);

/* Restart the machine; interrupts off, no allocation. cmd is unused. */
__noreturn void machine_restart(char *cmd);

/* Switch the machine off; interrupts off, no allocation. */
__noreturn void machine_power_off(void);

/*
 * acpi_reset_write - write value as one byte to the register r names:
 * an I/O port, system memory mapped at va, or PCI configuration space of
 * bus 0 (ACPI 6.5 §4.8.3.6). 0, or -EINVAL for another address space.
 */
int acpi_reset_write(const struct acpi_reg *r, volatile void *va, uint8_t value);

/*
 * acpi_enable_mode - ACPI mode on (PM1a_CNT.SCI_EN, ACPI 6.5 §4.8.2.5):
 * when the firmware left it off, ACPI_ENABLE to SMI_CMD, then up to 3 s
 * for SCI_EN. 0 when SCI_EN is set; -ENODEV without ACPI S5 or without
 * SMI_CMD; -ETIMEDOUT. Says what it does when it does something.
 */
int acpi_enable_mode(void);

/* Where the PIIX4's power-management function is. */
struct piix4_pm {
	uint8_t slot, func;
	uint16_t base;			/* PMBA: the PM I/O registers */
	bool io_enabled;		/* PMREGMISC.PMIOSE */
};

/*
 * piix4_pm_find - the PIIX4 power-management function (8086:7113) on PCI
 * bus 0: 0 with *pm filled, -ENODEV when there is none, -ENXIO when its
 * PMBA is 0 (the firmware did not set it up).
 */
int piix4_pm_find(struct piix4_pm *pm);

#endif /* KERNEL_REBOOT_H */
