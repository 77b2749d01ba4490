/* SPDX-License-Identifier: MIT */
/*
 * The CMOS real-time clock's periodic interrupt (Motorola MC146818A data
 * sheet: registers A-C, "Periodic Interrupt"; the PC/AT wiring: index
 * port 0x70, data 0x71, IRQ 8) as the last tick source of a CPU without
 * a local APIC, a counting PIT or an HPET: its rates are 32768 Hz >>
 * (RS - 1), powers of two, and each interrupt is acknowledged by reading
 * register C. And its date and time, read once for the wall clock.
 */
#define pr_fmt(fmt) "rtc: " fmt

#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
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

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int y, unsigned int m, unsigned int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

static unsigned int bcd(uint8_t v, bool binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/*
 * The RTC's date and time as seconds since the epoch (the RTC keeps UTC
 * on the PCs QEMU and Bochs model): read between updates (UIP clear, the
 * same values twice), BCD or binary and 12- or 24-hour as register B
 * says; years 00-99 are 2000-2099. 0 when no RTC answers.
 */
int64_t rtc_read_seconds(void)
{
	uint8_t r[6], again[6], b;
	static const uint8_t regs[6] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09 };
	unsigned int hour, tries = 0;
	unsigned long flags;
	bool binary;

	if (cmos_read(RTC_REG_A) == 0xff)
		return 0;
	local_irq_save(flags);
	do {
		while ((cmos_read(RTC_REG_A) & RTC_UIP) && ++tries < 100000)
			cpu_relax();
		for (unsigned int i = 0; i < 6; i++)
			r[i] = cmos_read(regs[i]);
		for (unsigned int i = 0; i < 6; i++)
			again[i] = cmos_read(regs[i]);
	} while (memcmp(r, again, sizeof(r)) && ++tries < 100000);
	b = cmos_read(RTC_REG_B);
	local_irq_restore(flags);

	binary = b & 0x04;
	hour = bcd(r[2] & 0x7f, binary);
	if (!(b & 0x02) && (r[2] & 0x80))	/* 12-hour clock, PM */
		hour = hour % 12 + 12;
	else if (!(b & 0x02) && hour == 12)
		hour = 0;
	return days_from_civil(2000 + bcd(r[5], binary), bcd(r[4], binary),
			       bcd(r[3], binary)) * 86400 +
	       hour * 3600 + bcd(r[1], binary) * 60 + bcd(r[0], binary);
}
