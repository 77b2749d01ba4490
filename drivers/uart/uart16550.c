/* SPDX-License-Identifier: MIT */
/*
 * A polled console on the 16550 UART at COM1 (PC16550D data sheet):
 * 115200 baud, 8 data bits, no parity, 1 stop bit, FIFOs on, no interrupts.
 */
#include "asm/x86.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "uart16550.h"

#define SERIAL_BAUD	115200

/*
 * How many line-status reads to wait for room in the transmitter: far
 * longer than the 16 characters (1.4 ms) a full FIFO takes at 115200 baud,
 * short enough that a wedged UART slows printk without hanging it.
 */
#define TX_TIMEOUT_LOOPS	100000

static const u16 port = UART_COM1_BASE;

static u8 serial_in(int offset)
{
	return inb(port + offset);
}

static void serial_out(int offset, u8 value)
{
	outb(port + offset, value);
}

/*
 * Whether a UART answers at the port: with nothing there the ISA bus
 * floats and reads 0xFF, and the scratch register cannot hold values.
 * Two patterns, so that one lingering value on the bus does not pass.
 */
static bool serial_present(void)
{
	if (serial_in(UART_LSR) == 0xFF)
		return false;
	serial_out(UART_SCR, 0x5A);
	if (serial_in(UART_SCR) != 0x5A)
		return false;
	serial_out(UART_SCR, 0xA5);
	return serial_in(UART_SCR) == 0xA5;
}

static void serial_putc(char c)
{
	int i;

	for (i = 0; i < TX_TIMEOUT_LOOPS; i++) {
		if (serial_in(UART_LSR) & UART_LSR_THRE)
			break;
		cpu_relax();
	}
	serial_out(UART_TX, c);
}

/* A terminal wants "\r\n": the conversion lives here, not in printk. */
static void serial_console_write(struct console *con, const char *s, size_t n)
{
	for (; n; n--, s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_console_write,
};

int serial_init(void)
{
	unsigned int divisor = UART_BAUD_BASE / SERIAL_BAUD;

	if (serial_console.flags & CON_ENABLED)
		return -EBUSY;
	if (!serial_present())
		return -ENODEV;

	serial_out(UART_IER, 0);			/* polled: no interrupts */
	serial_out(UART_LCR, UART_LCR_DLAB);
	serial_out(UART_DLL, divisor & 0xff);
	serial_out(UART_DLM, divisor >> 8);
	serial_out(UART_LCR, UART_LCR_WLEN8);		/* 8N1, DLAB off */
	serial_out(UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR |
			     UART_FCR_CLEAR_XMIT | UART_FCR_R_TRIG_11);
	serial_out(UART_MCR, UART_MCR_DTR | UART_MCR_RTS);

	return register_console(&serial_console);
}
