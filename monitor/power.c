/* SPDX-License-Identifier: MIT */
/*
 * The monitor's power commands, reboot and poweroff: each says what it is
 * about to do, then hands over to kernel/reboot.c, whose every step says
 * in one line what it tries (docs/console.md).
 */
#include "kernel/errno.h"
#include "kernel/monitor.h"
#include "kernel/reboot.h"

static const char *const reboot_first[] = {
	[BOOT_ACPI] = "the ACPI reset register, then the i8042 reset pulse, then a triple fault",
	[BOOT_KBD] = "the i8042 reset pulse (reboot=kbd), then a triple fault",
	[BOOT_TRIPLE] = "a triple fault (reboot=triple)",
};

static int cmd_reboot(int argc, char **argv)
{
	if (argc != 1) {
		mon_printf("reboot: takes no arguments (reboot= on the command line picks the method)\n");
		return -EINVAL;
	}
	mon_printf("reboot: restarting the machine: %s\n", reboot_first[reboot_type]);
	machine_restart(NULL);
}
MONITOR_CMD(reboot, "", "restart the machine", cmd_reboot);

static int cmd_poweroff(int argc, char **argv)
{
	if (argc != 1) {
		mon_printf("poweroff: takes no arguments\n");
		return -EINVAL;
	}
	mon_printf("poweroff: switching the machine off: ACPI S5, else the PIIX4's soft off, else an emulator's shutdown port\n");
	machine_power_off();
}
MONITOR_CMD(poweroff, "", "switch the machine off", cmd_poweroff);
