/* SPDX-License-Identifier: MIT */
/*
 * Consoles: the output devices printk writes to (kernel/printk.c), and the
 * init functions of the console drivers.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

/*
 * A console receives every byte printk emits, as is ('\n' line ends; a
 * driver for a terminal adds its own '\r'). write is called with
 * interrupts off and may be called from an exception handler, so it must
 * not sleep, allocate or fault.
 */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t n);
	/* Optional: show everything written so far (a console that draws
	 * lazily, as the framebuffer's does); same rules as write. */
	void (*flush)(struct console *con);
	struct console *next;		/* the registered list; printk's */
	unsigned int flags;		/* CON_* */
};

#define CON_ENABLED	0x1	/* set while registered */
#define CON_TRACE	0x2	/* also gets trace_printk's lines */

/*
 * register_console - replay the log buffer so far to con, then add it to
 * the consoles every printk reaches. Returns 0, -EINVAL for a console
 * without a write function, or -EBUSY when it is already registered.
 */
int register_console(struct console *con);

/*
 * console_write - n bytes to every registered console, as printk writes a
 * message, but not kept in the log buffer: the monitor's output, which is
 * not part of the kernel's log.
 */
void console_write(const char *s, size_t n);

/*
 * console_flush - make every console show all it has been given: called
 * before the kernel waits (for a key, at a halt) and by panic. Consoles
 * that write through at once have no flush and are skipped.
 */
void console_flush(void);

/*
 * Where trace_printk's lines go: the consoles marked CON_TRACE (port 0xE9)
 * by default; with console_trace_all(true) every console (the monitor's
 * `trace on` on a machine without port 0xE9). console_trace_carried: a
 * registered console is marked CON_TRACE.
 */
void console_trace_all(bool on);
bool console_trace_carried(void);

/*
 * console_tick - called by CPU 0's timer tick (interrupts off): ten times
 * a second at most, the flush of every console, unless another CPU is
 * printing at that moment; after a flush that took time T, not before 4T
 * has passed. console_ticking - set from the first tick on: a lazy
 * console then leaves its drawing to the tick.
 */
void console_tick(void);
extern bool console_ticking;

/* unregister_console - stop printing to con; -ENOENT if it was not there. */
int unregister_console(struct console *con);

/*
 * serial_init - set up COM1 (UART_COM1_BASE) at 115200 8N1 and register it as
 * console "ttyS0"; -ENODEV when no UART answers there.
 * (drivers/uart/uart16550.c)
 */
int serial_init(void);

/*
 * debugcon_init - register port 0xE9 (QEMU's isa-debugcon, Bochs's
 * port_e9_hack) as console "debugcon"; -ENODEV on anything else, which
 * real PCs are. (drivers/debugcon.c)
 */
int debugcon_init(void);

/* Whether port 0xE9 echoes 0xE9: QEMU's isa-debugcon or Bochs, never a PC. */
bool debugcon_present(void);

/*
 * efifb_init - the loader's GOP framebuffer as console "fbcon"
 * (drivers/video/efifb.c, include/video/efifb.h): -ENODEV without one,
 * -EINVAL when boot_info.fb is refused (serial only, said once).
 */
int efifb_init(void);

#endif /* KERNEL_CONSOLE_H */
