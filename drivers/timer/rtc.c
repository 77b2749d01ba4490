/* SPDX-License-Identifier: MIT */
/*
 * The CMOS real-time clock's periodic interrupt (Motorola MC146818A data
 * sheet: registers A-C, "Periodic Interrupt"; the PC/AT wiring: index
 * port 0x70, data 0x71, IRQ 8) as the last tick source of a CPU without
 * a local APIC, a counting PIT or an HPET: its rates are 32768 Hz >>
 * (RS - 1), powers of two, and each interrupt is acknowledged by reading
 * register C.
 */
#define pr_fmt(fmt) "rtc: " fmt

#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"

#define RTC_PORT_INDEX		0x70	/* bit 7 would mask NMI: kept clear */
#define RTC_PORT_DATA		0x71
#define RTC_REG_A		0x0a
#define  RTC_UIP		0x80	/* update in progress */
#define  RTC_DIV_32768		0x20	/* DV2-0 = 010: the 32.768 kHz time base */
#define  RTC_RATE_MASK		0x0f	/* RS3-0 */
#define RTC_REG_B		0x0b
#define  RTC_PIE		0x40	/* periodic interrupt enable */
#define RTC_REG_C		0x0c	/* read-only; reading clears it */
#define  RTC_PF			0x40	/* a periodic interrupt came */
#define RTC_IRQ			8

static void (*rtc_tick)(void);
static int rtc_dev;

static uint8_t cmos_read(uint8_t reg)
{
	outb(RTC_PORT_INDEX, reg);
	return inb(RTC_PORT_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(RTC_PORT_INDEX, reg);
	outb(RTC_PORT_DATA, v);
}

static void rtc_interrupt(unsigned int irq, void *dev)
{
	if (cmos_read(RTC_REG_C) & RTC_PF)
		rtc_tick();
}

/*
 * The periodic interrupt at 2^shift Hz (4 <= shift <= 13: 16..8192 Hz),
 * calling tick at each; 0, -ENODEV when no RTC answers (register A reads
 * 0xff), or request_irq's error.
 */
int rtc_periodic_start(unsigned int shift, void (*tick)(void))
{
	uint8_t a = cmos_read(RTC_REG_A), rs = (uint8_t)(16 - shift);
	unsigned long flags;
	int err;

	if (a == 0xff || shift < 4 || shift > 13)
		return -ENODEV;
	rtc_tick = tick;
	err = request_irq(RTC_IRQ, rtc_interrupt, &rtc_dev, "rtc");
	if (err)
		return err;
	local_irq_save(flags);
	cmos_write(RTC_REG_A, RTC_DIV_32768 | rs);
	cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) | RTC_PIE);
	(void)cmos_read(RTC_REG_C);		/* clear what was pending */
	local_irq_restore(flags);
	return 0;
}
