/* SPDX-License-Identifier: MIT */
/*
 * A console on I/O port 0xE9, where QEMU's isa-debugcon and Bochs's
 * port_e9_hack print every byte written; both read back 0xE9 from the
 * port, which is how it is told apart from a real PC (where it is unused).
 */
#include "asm/qemu.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"

/* Bytes go out as they are: the emulators write them to a file or stdout. */
static void debugcon_write(struct console *con, const char *s, size_t n)
{
	while (n--)
		outb(DEBUGCON_PORT, *s++);
}

static struct console debugcon_console = {
	.name = "debugcon",
	.write = debugcon_write,
	.flags = CON_TRACE,
};

bool debugcon_present(void)
{
	return debugcon_echoes();
}

int debugcon_init(void)
{
	if (debugcon_console.flags & CON_ENABLED)
		return -EBUSY;
	if (!debugcon_present())
		return -ENODEV;
	return register_console(&debugcon_console);
}
