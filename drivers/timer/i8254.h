/* SPDX-License-Identifier: MIT */
/* The i8254 programmable interval timer and the PC/AT port B that gates
 * its channel 2 (Intel 82C54 data sheet; port 0x61 as in the PC/AT). */
#ifndef DRIVERS_TIMER_I8254_H
#define DRIVERS_TIMER_I8254_H

#define PIT_TICK_RATE		1193182u	/* input clock, Hz */

#define PIT_CH0			0x40
#define PIT_CH2			0x42
#define PIT_MODE		0x43	/* control word */
#define  PIT_SEL_CH0		(0u << 6)
#define  PIT_SEL_CH2		(2u << 6)
#define  PIT_LATCH		(0u << 4)	/* counter latch command */
#define  PIT_RW_LOHI		(3u << 4)	/* low byte then high byte */
#define  PIT_MODE_0		(0u << 1)	/* interrupt on terminal count */
#define  PIT_MODE_2		(2u << 1)	/* rate generator */
#define  PIT_BINARY		0

#define PORT_B			0x61
#define  PORT_B_TIMER2_GATE	(1u << 0)
#define  PORT_B_SPEAKER		(1u << 1)
#define  PORT_B_TIMER2_OUT	(1u << 5)

#endif /* DRIVERS_TIMER_I8254_H */
