/* SPDX-License-Identifier: MIT */
/*
 * Registers of the National Semiconductor 16550 UART (PC16550D data
 * sheet), as offsets from the port base, in address order, each followed
 * by its bits. Names as in Linux's serial_reg.h. UART_COM1_BASE is the one
 * definition of COM1's port: the driver, the loader (efi/efi_console.c),
 * kernel/head.asm (through tools/asm-offsets.c) and the tests use it.
 */
#ifndef DRIVERS_UART_UART16550_H
#define DRIVERS_UART_UART16550_H

#define UART_COM1_BASE	0x3F8
#define UART_CLOCK_HZ	1843200		/* the PC's crystal */
#define UART_BAUD_BASE	(UART_CLOCK_HZ / 16)	/* 115200: divisor 1 */

/* 0: receive buffer RBR (read), transmit holding THR (write); DLL when DLAB=1. */
#define UART_RX		0	/* RBR */
#define UART_TX		0	/* THR */
#define UART_DLL	0	/* divisor latch, low byte */

/* 1: interrupt enable; DLM when DLAB=1. */
#define UART_IER	1
#define UART_DLM	1	/* divisor latch, high byte */
#define  UART_IER_RDI	0x01	/* received data available */
#define  UART_IER_THRI	0x02	/* transmit holding register empty */
#define  UART_IER_RLSI	0x04	/* receiver line status */
#define  UART_IER_MSI	0x08	/* modem status */

/* 2: interrupt identification IIR (read), FIFO control FCR (write). */
#define UART_IIR	2
#define  UART_IIR_NO_INT	0x01	/* no interrupt pending */
#define  UART_IIR_ID		0x0e	/* the pending interrupt's id */
#define  UART_IIR_FIFO_MASK	0xc0	/* 0xc0: FIFOs enabled and working */
#define UART_FCR	2
#define  UART_FCR_ENABLE_FIFO	0x01
#define  UART_FCR_CLEAR_RCVR	0x02
#define  UART_FCR_CLEAR_XMIT	0x04
#define  UART_FCR_DMA_SELECT	0x08
#define  UART_FCR_R_TRIG_00	0x00	/* receive interrupt at 1 byte */
#define  UART_FCR_R_TRIG_01	0x40	/* 4 bytes */
#define  UART_FCR_R_TRIG_10	0x80	/* 8 bytes */
#define  UART_FCR_R_TRIG_11	0xc0	/* 14 bytes */

/* 3: line control. */
#define UART_LCR	3
#define  UART_LCR_WLEN5		0x00	/* word length 5..8 bits */
#define  UART_LCR_WLEN6		0x01
#define  UART_LCR_WLEN7		0x02
#define  UART_LCR_WLEN8		0x03
#define  UART_LCR_STOP		0x04	/* 2 stop bits (1.5 with 5-bit words) */
#define  UART_LCR_PARITY	0x08	/* parity enable */
#define  UART_LCR_EPAR		0x10	/* even parity */
#define  UART_LCR_SPAR		0x20	/* stick parity */
#define  UART_LCR_SBC		0x40	/* set break */
#define  UART_LCR_DLAB		0x80	/* divisor latch access */

/* 4: modem control. */
#define UART_MCR	4
#define  UART_MCR_DTR		0x01
#define  UART_MCR_RTS		0x02
#define  UART_MCR_OUT1		0x04
#define  UART_MCR_OUT2		0x08	/* gates the IRQ line on PCs */
#define  UART_MCR_LOOP		0x10	/* local loopback */

/* 5: line status. */
#define UART_LSR	5
#define  UART_LSR_DR		0x01	/* receiver data ready */
#define  UART_LSR_OE		0x02	/* overrun error */
#define  UART_LSR_PE		0x04	/* parity error */
#define  UART_LSR_FE		0x08	/* framing error */
#define  UART_LSR_BI		0x10	/* break interrupt */
#define  UART_LSR_THRE		0x20	/* transmit holding register empty */
#define  UART_LSR_TEMT		0x40	/* transmitter empty */
#define  UART_LSR_FIFOE		0x80	/* error in the receive FIFO */

/* 6: modem status. */
#define UART_MSR	6
#define  UART_MSR_DCTS		0x01	/* delta CTS */
#define  UART_MSR_DDSR		0x02	/* delta DSR */
#define  UART_MSR_TERI		0x04	/* trailing edge ring indicator */
#define  UART_MSR_DDCD		0x08	/* delta DCD */
#define  UART_MSR_CTS		0x10
#define  UART_MSR_DSR		0x20
#define  UART_MSR_RI		0x40
#define  UART_MSR_DCD		0x80

/* 7: scratch, a plain byte of storage (absent on the 8250). */
#define UART_SCR	7

#endif /* DRIVERS_UART_UART16550_H */
