/*
 * The i8254 PIT: channel 0 as a periodic source on ISA IRQ 0 (for the
 * IO-APIC routing test) and channel 2, gated through port B and without
 * an interrupt, as the known clock the APIC timer and the TSC are
 * calibrated against (82C54 data sheet, modes 0 and 2).
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

/* Mode 0 with no count loaded never reaches terminal count: channel 0's
 * output stays low, so IRQ 0 stays quiet. */
void pit_stop(void)
{
	outb(PIT_MODE, PIT_SEL_CH0 | PIT_RW_LOHI | PIT_MODE_0 | PIT_BINARY);
}

/*
 * Channel 2 counts usecs (at most 54925) down once; its output, readable
 * in port B, rises at terminal count. The gate is dropped while the count
 * is written so that counting starts at the gate's rising edge.
 */
void pit_ch2_start(unsigned int usecs)
{
	uint32_t count = (uint32_t)div_u64((uint64_t)PIT_TICK_RATE * usecs, 1000000);
	uint8_t b = inb(PORT_B);

	if (count > 0xffff)
		count = 0xffff;
	outb(PORT_B, (b & ~(PORT_B_TIMER2_GATE | PORT_B_SPEAKER)));
	outb(PIT_MODE, PIT_SEL_CH2 | PIT_RW_LOHI | PIT_MODE_0 | PIT_BINARY);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	outb(PORT_B, (b & ~PORT_B_SPEAKER) | PORT_B_TIMER2_GATE);
}

bool pit_ch2_expired(void)
{
	return inb(PORT_B) & PORT_B_TIMER2_OUT;
}
