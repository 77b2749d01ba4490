/* SPDX-License-Identifier: MIT */
/*
 * The consoles' input (kernel/tty.c): one queue of bytes that the
 * keyboard and COM1 fill from their interrupt handlers, in the bytes a
 * VT100 terminal sends, and one reader (the monitor's loop) that sleeps
 * until a byte comes. A device that has no interrupt (no IO-APIC, and a
 * local APIC that keeps the 8259 pair masked) is polled instead, by the waiting reader. docs/console.md, "Input".
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel/types.h"

#define TTY_BUF_SIZE	256	/* bytes the queue holds; more are dropped, counted */
#define TTY_POLL_MS	10	/* a waiting reader's polling period */
#define TTY_MAX_POLL	4	/* devices polled at once */

/*
 * tty_insert - n bytes into the queue, from any context (an interrupt
 * handler above all); what does not fit is dropped and counted. Wakes
 * the reader.
 */
void tty_insert(const char *s, size_t n);

/*
 * tty_getc - the next byte, sleeping until there is one; the consoles
 * are flushed (console_flush) before each sleep, so everything written
 * so far shows while the reader waits. A process (PF_USER) sleeps
 * interruptibly: -EINTR when a signal comes (kernel/signal.c).
 */
int tty_getc(void);

/* tty_read_nowait - up to n queued bytes into buf, without waiting. */
size_t tty_read_nowait(char *buf, size_t n);

/* tty_flush_input - drop what is queued (not counted as dropped). */
void tty_flush_input(void);

struct tty_stats {
	unsigned long received;		/* bytes queued since boot */
	unsigned long dropped;		/* bytes that found the queue full */
	unsigned int queued;		/* bytes waiting now */
	unsigned int polled;		/* devices polled (without interrupt) */
};
void tty_get_stats(struct tty_stats *st);

/* Whether a reader sleeps on the queue's wait queue now. */
bool tty_reader_waiting(void);

/*
 * tty_register_poll - a device without interrupt: poll is called by the
 * waiting reader every TTY_POLL_MS and feeds tty_insert itself. 0,
 * -EBUSY when already there, -ENOSPC beyond TTY_MAX_POLL.
 */
int tty_register_poll(void (*poll)(void));
void tty_unregister_poll(void (*poll)(void));

/* tty_poll - call every registered poll function once. */
void tty_poll(void);

/* ------------------------------------------------------------ the devices */

/*
 * tty_init - start the devices that feed the queue: the keyboard
 * (i8042_init) and COM1's receiver (serial_rx_start); says so when
 * neither is there. Needs the interrupt controllers set up and interrupts
 * on.
 */
void tty_init(void);

/* What the i8042 probe found (drivers/input/i8042.c). */
struct i8042_info {
	bool fadt_absent;	/* the FADT says there is no 8042: not probed */
	bool present;		/* a controller answered */
	uint8_t status;		/* the status port at the probe */
	uint8_t selftest;	/* the self-test's answer (0x55: passed) */
	uint8_t port_test;	/* the keyboard port test's answer (0x00: passed) */
	uint8_t ctr;		/* the configuration byte as written */
	bool translated;	/* translation on: scan code set 1 */
	bool kbd_ack;		/* the keyboard acknowledged "enable scanning" */
	bool irq;		/* on IRQ 1; false: polled */
	unsigned long bytes;	/* bytes read from the keyboard since */
};
extern struct i8042_info i8042_info;

/*
 * i8042_init - probe the controller, report it in one line (or its
 * absence), and let the keyboard feed the input queue on IRQ 1 or,
 * where no controller routes it (device_irqs_available), by polling. 0
 * or -ENODEV.
 */
int i8042_init(void);

/*
 * i8042_command - controller command cmd (I8042_CMD_*, drivers/input/
 * i8042.h) with nparam parameter bytes written to the data port, then
 * nresult bytes read back; the keyboard's interrupt handler keeps off
 * meanwhile. 0, -ENODEV (no controller) or -ETIMEDOUT.
 */
int i8042_command(uint8_t cmd, const uint8_t *param, unsigned int nparam,
		  uint8_t *result, unsigned int nresult);

/*
 * serial_rx_start - COM1's receiver feeds the input queue: IRQ 4 with
 * the received-data interrupt (and OUT2, which gates the line on PCs),
 * or polling where no controller routes it. Transmission stays polled. 0, -ENODEV
 * (no UART) or -EBUSY (started already). (drivers/uart/uart16550.c)
 */
int serial_rx_start(void);

/* serial_rx_stop - undo serial_rx_start; whether it had been started. */
bool serial_rx_stop(void);

#endif /* KERNEL_TTY_H */
