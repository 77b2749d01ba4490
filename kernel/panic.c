/* SPDX-License-Identifier: MIT */
/*
 * The ways the kernel stops: panic() for a fatal error, machine_halt() for
 * a stop that is not one (a normal boot ends at the monitor's prompt
 * instead, monitor/monitor.c), and the WARN_ON report that lets it go on.
 */
#include "asm/x86.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"

void halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void panic(const char *fmt, ...)
{
	static bool in_panic;
	char msg[256];
	va_list args;

	local_irq_disable();
	/* A panic while panicking (say, in a console) must not loop. */
	if (in_panic)
		halt_forever();
	in_panic = true;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);

	oops_in_progress = 1;
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	/* A test run under QEMU ends here, with a failure exit status. */
	ktest_panic_hook();
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	console_flush();
	halt_forever();
}

void bochs_shutdown(void)
{
	for (const char *p = "Shutdown"; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, *p);
}

void emulator_exit(unsigned int status)
{
	outb(KTEST_EXIT_PORT, (uint8_t)status);
	/* Still running: not QEMU with isa-debug-exit. Bochs echoes 0xE9
	 * (port_e9_hack) and powers off on "Shutdown" at 0x8900; a real PC
	 * does neither and just halts. */
	if (debugcon_present())
		bochs_shutdown();
}

void machine_halt(void)
{
	printk("System halted.\n");
	console_flush();
	/* QEMU exits with status (0 << 1) | 1 = 1, "clean". */
	emulator_exit(0);
	halt_forever();
}

void __warn(const char *file, int line, const char *cond)
{
	pr_warn("WARNING: at %s:%d: WARN_ON(%s)\n", file, line, cond);
}
