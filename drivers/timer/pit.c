/* SPDX-License-Identifier: MIT */
/*
 * The i8254 PIT: channel 0 as a periodic source on ISA IRQ 0 (the tick of
 * a CPU without a local APIC, and the IO-APIC routing test) and channel
 * 2, gated through port B and without an interrupt, as the known clock
 * the APIC timer and the TSC are calibrated against when it counts
 * (82C54 data sheet, modes 0 and 2; kernel/time.c).
 */
#include "asm/x86.h"
#include "i8254.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/time.h"

/* Channel 0 in mode 2 at hz (19..PIT_TICK_RATE). */
void pit_start_periodic(unsigned int hz)
{
	unsigned int latch = DIV_ROUND_UP(PIT_TICK_RATE, hz);

	outb(PIT_MODE, PIT_SEL_CH0 | PIT_RW_LOHI | PIT_MODE_2 | PIT_BINARY);
	outb(PIT_CH0, latch & 0xff);
	outb(PIT_CH0, latch >> 8);
}

/* Channel 0's count as it is at the latch command (82C54 data sheet, "Read
 * Operations": the counter latch command, then the low and high bytes). */
uint16_t pit_ch0_read(void)
{
	uint8_t lo;

	outb(PIT_MODE, PIT_SEL_CH0 | PIT_LATCH);
	lo = inb(PIT_CH0);
	return (uint16_t)(lo | inb(PIT_CH0) << 8);
}

/* Mode 0 with no count loaded never reaches terminal count: channel 0's
 * output stays low, so IRQ 0 stays quiet. */
void pit_stop(void)
{
	outb(PIT_MODE, PIT_SEL_CH0 | PIT_RW_LOHI | PIT_MODE_0 | PIT_BINARY);
}

/*
 * Channel 2, gated through port B and without an interrupt, counts down
 * once in mode 0; its output, readable in port B, rises at terminal
 * count. pit_ch2_arm raises the gate, sets the mode and writes the low
 * byte of the count; pit_ch2_go writes the high byte, which starts the
 * count (on an 8254 with the gate high, counting begins at the next clock
 * after the count is complete; QEMU ignores the gate in mode 0 and counts
 * from that write too). Arming again restarts it. The calibration
 * brackets the one port write of pit_ch2_go, and of pit_ch2_latch.
 */
static uint8_t ch2_high;

void pit_ch2_arm(uint16_t count)
{
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (b & ~PORT_B_SPEAKER) | PORT_B_TIMER2_GATE);
	outb(PIT_MODE, PIT_SEL_CH2 | PIT_RW_LOHI | PIT_MODE_0 | PIT_BINARY);
	outb(PIT_CH2, count & 0xff);
	ch2_high = count >> 8;
}

void pit_ch2_go(void)
{
	outb(PIT_CH2, ch2_high);
}

/* The counter latch command: the count as it is at this write, held until
 * pit_ch2_read_latched reads both bytes. */
void pit_ch2_latch(void)
{
	outb(PIT_MODE, PIT_SEL_CH2 | PIT_LATCH);
}

uint16_t pit_ch2_read_latched(void)
{
	uint8_t lo = inb(PIT_CH2);

	return (uint16_t)(lo | inb(PIT_CH2) << 8);
}

/* usecs (at most 54925) counted down once. */
void pit_ch2_start(unsigned int usecs)
{
	uint32_t count = (uint32_t)div_u64((uint64_t)PIT_TICK_RATE * usecs, 1000000);

	pit_ch2_arm(count > 0xffff ? 0xffff : (uint16_t)count);
	pit_ch2_go();
}

bool pit_ch2_expired(void)
{
	return inb(PORT_B) & PORT_B_TIMER2_OUT;
}
