/* SPDX-License-Identifier: MIT */
/*
 * The 16550 UART at COM1 (PC16550D data sheet): 115200 baud, 8 data bits,
 * no parity, 1 stop bit, FIFOs on. A console that transmits by polling;
 * once serial_rx_start has run, what it receives goes to the input queue
 * (kernel/tty.c) from the received-data interrupt on IRQ 4 (through the
 * IO-APIC, or the 8259 on a CPU without a local APIC), or by polling
 * where neither routes it.
 */
#define pr_fmt(fmt) "serial: " fmt

#include "asm/x86.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/tty.h"
#include "uart16550.h"

#define SERIAL_BAUD	115200

/*
 * How many line-status reads to wait for room in the transmitter: far
 * longer than the 16 characters (1.4 ms) a full FIFO takes at 115200 baud,
 * short enough that a wedged UART slows printk without hanging it.
 */
#define TX_TIMEOUT_LOOPS	100000

#define SERIAL_IRQ		4	/* COM1 on the ISA bus */
/* Bytes one interrupt takes at most: the FIFO's 16 and what arrives
 * meanwhile, bounded so a stuck "data ready" cannot hold the CPU. */
#define RX_MAX_PER_CALL		256

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

static bool rx_started, rx_irq;

/* What the receiver holds, into the input queue. A break, or a byte with
 * a framing or parity error, is dropped. */
static void serial_receive(void)
{
	char buf[16];
	unsigned int n = 0;

	for (int i = 0; i < RX_MAX_PER_CALL; i++) {
		uint8_t lsr = serial_in(UART_LSR);
		char c;

		if (!(lsr & UART_LSR_DR))
			break;
		c = serial_in(UART_RX);
		if (lsr & (UART_LSR_BI | UART_LSR_FE | UART_LSR_PE))
			continue;
		buf[n++] = c;
		if (n == sizeof(buf)) {
			tty_insert(buf, n);
			n = 0;
		}
	}
	tty_insert(buf, n);
}

/* IRQ 4: received data (the FIFO at its trigger level, or a character
 * timeout); reading it all clears the interrupt. */
static void serial_interrupt(unsigned int irq, void *dev)
{
	serial_receive();
}

int serial_rx_start(void)
{
	if (!(serial_console.flags & CON_ENABLED))
		return -ENODEV;
	if (rx_started)
		return -EBUSY;
	while (serial_in(UART_LSR) & UART_LSR_DR)	/* stale input */
		serial_in(UART_RX);
	rx_irq = device_irqs_available() &&
		 request_irq(SERIAL_IRQ, serial_interrupt, &serial_console, "serial") == 0;
	if (rx_irq) {
		/* OUT2 gates the UART's interrupt line on PC boards. */
		serial_out(UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
		serial_out(UART_IER, UART_IER_RDI);
	} else {
		tty_register_poll(serial_receive);
	}
	rx_started = true;
	pr_info("%s receives %s\n", serial_console.name,
		rx_irq ? "on IRQ 4" : "by polling (no IO-APIC)");
	return 0;
}

bool serial_rx_stop(void)
{
	if (!rx_started)
		return false;
	if (rx_irq) {
		serial_out(UART_IER, 0);
		serial_out(UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
		free_irq(SERIAL_IRQ, &serial_console);
	} else {
		tty_unregister_poll(serial_receive);
	}
	rx_started = rx_irq = false;
	return true;
}
