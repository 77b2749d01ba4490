/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 keyboard through the i8042 controller (registers and commands
 * in i8042.h; the probe in the order of Linux's drivers/input/serio/
 * i8042.c): the controller flushed, self-tested and configured (keyboard
 * port on, mouse port off, the firmware's choice of translation kept),
 * the keyboard port tested, the keyboard told to scan, and its scan codes
 * turned into a terminal's bytes (drivers/input/keymap.c) for the input
 * queue (kernel/tty.c): on IRQ 1 through the IO-APIC (or the 8259 on a
 * CPU without a local APIC), or polled by the waiting reader where
 * neither routes it.
 *
 * No 8042 is reported in one line, and the keyboard is then COM1's: the
 * FADT may say so (IAPC_BOOT_ARCH, ACPI 6.5 §5.2.9.3; believed, as Linux
 * does, and the ports left alone), or nothing answers at 0x60/0x64 (the
 * bus reads 0xff), as on PCs whose only keyboard is USB and whose
 * firmware emulated an 8042 for it only until the OS took over.
 */
#define pr_fmt(fmt) "i8042: " fmt

#include "asm/x86.h"
#include "i8042.h"
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/keyboard.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/tty.h"

#define I8042_KBD_IRQ		1
/* How long to wait for the controller, in 50 us steps: 0.5 s, long
 * enough for a command to an absent device to time out (as Linux). */
#define I8042_CTL_TIMEOUT	10000
#define I8042_STEP_US		50
#define I8042_SELFTEST_TRIES	5
/* Bytes read while waiting for the keyboard's ACK (keys in flight). */
#define ATKBD_ACK_TRIES		4

struct i8042_info i8042_info;
static struct kbd_state kbd;		/* under i8042_lock */
static DEFINE_SPINLOCK(i8042_lock);

/* i8042.direct: translation off, the keyboard read in its own scan code
 * set 2 (Linux's parameter of the same name). */
static bool i8042_direct;
__setup_flag("i8042.direct", i8042_direct);

static uint8_t read_status(void)
{
	return inb(I8042_STATUS_REG);
}

static bool wait_write(void)
{
	for (int i = 0; i < I8042_CTL_TIMEOUT; i++) {
		if (!(read_status() & I8042_STR_IBF))
			return true;
		udelay(I8042_STEP_US);
	}
	return false;
}

static bool wait_read(void)
{
	for (int i = 0; i < I8042_CTL_TIMEOUT; i++) {
		if (read_status() & I8042_STR_OBF)
			return true;
		udelay(I8042_STEP_US);
	}
	return false;
}

/* Drops what the controller holds; false if it never empties (nothing
 * there: the status port floats to 0xff). */
static bool flush(void)
{
	for (int i = 0; i <= I8042_BUFFER_SIZE; i++) {
		if (!(read_status() & I8042_STR_OBF))
			return true;
		udelay(I8042_STEP_US);
		inb(I8042_DATA_REG);
	}
	return false;
}

static int __i8042_command(uint8_t cmd, const uint8_t *param, unsigned int nparam,
			   uint8_t *result, unsigned int nresult)
{
	if (!wait_write())
		return -ETIMEDOUT;
	outb(I8042_COMMAND_REG, cmd);
	for (unsigned int i = 0; i < nparam; i++) {
		if (!wait_write())
			return -ETIMEDOUT;
		outb(I8042_DATA_REG, param[i]);
	}
	for (unsigned int i = 0; i < nresult; i++) {
		if (!wait_read())
			return -ETIMEDOUT;
		result[i] = inb(I8042_DATA_REG);
	}
	return 0;
}

int i8042_command(uint8_t cmd, const uint8_t *param, unsigned int nparam,
		  uint8_t *result, unsigned int nresult)
{
	unsigned long flags;
	int ret;

	if (!i8042_info.present)
		return -ENODEV;
	spin_lock_irqsave(&i8042_lock, flags);
	ret = __i8042_command(cmd, param, nparam, result, nresult);
	spin_unlock_irqrestore(&i8042_lock, flags);
	return ret;
}

/* "Enable scanning" to the keyboard; whether it acknowledged. */
static bool kbd_enable(void)
{
	if (!wait_write())
		return false;
	outb(I8042_DATA_REG, ATKBD_CMD_ENABLE);
	for (int i = 0; i < ATKBD_ACK_TRIES; i++) {
		if (!wait_read())
			return false;
		if (inb(I8042_DATA_REG) == ATKBD_RET_ACK)
			return true;
	}
	return false;
}

/* One byte from the controller, if it holds one, decoded into the input
 * queue (the mouse's are dropped); false when it held none. */
static bool i8042_receive(void)
{
	char seq[KBD_SEQ_MAX];
	unsigned int n = 0;
	unsigned long flags;
	uint8_t str, data;

	spin_lock_irqsave(&i8042_lock, flags);
	str = read_status();
	if (!(str & I8042_STR_OBF)) {
		spin_unlock_irqrestore(&i8042_lock, flags);
		return false;
	}
	data = inb(I8042_DATA_REG);
	if (!(str & I8042_STR_AUXDATA)) {
		i8042_info.bytes++;
		n = kbd_scancode(&kbd, data, seq);
	}
	spin_unlock_irqrestore(&i8042_lock, flags);
	tty_insert(seq, n);
	return true;
}

/* IRQ 1: the controller raises it for each byte it puts out. */
static void i8042_interrupt(unsigned int irq, void *dev)
{
	i8042_receive();
}

/* Without an interrupt: whatever the controller holds now. */
static void i8042_poll(void)
{
	for (int i = 0; i < I8042_BUFFER_SIZE && i8042_receive(); i++)
		;
}

static int i8042_absent(const char *why)
{
	i8042_info.present = false;
	pr_info("none: %s; the keyboard is COM1\n", why);
	return -ENODEV;
}

int i8042_init(void)
{
	struct i8042_info *in = &i8042_info;
	uint8_t ctr;
	char why[96];
	int i;

	if (acpi_info.have_boot_arch && !(acpi_info.boot_arch & ACPI_FADT_8042)) {
		in->fadt_absent = true;
		snprintf(why, sizeof(why),
			 "the FADT says there is no 8042 (IAPC_BOOT_ARCH 0x%04x)",
			 acpi_info.boot_arch);
		return i8042_absent(why);
	}
	in->status = read_status();
	if (!flush()) {
		snprintf(why, sizeof(why),
			 "no controller answers at 0x60/0x64 (status 0x%02x)", in->status);
		return i8042_absent(why);
	}
	in->present = true;

	/* Both ports off while the controller is set up; no IRQ yet. */
	if (__i8042_command(I8042_CMD_KBD_DISABLE, NULL, 0, NULL, 0) ||
	    __i8042_command(I8042_CMD_AUX_DISABLE, NULL, 0, NULL, 0))
		return i8042_absent("the controller takes no command");
	flush();
	for (i = 0; i < I8042_SELFTEST_TRIES; i++) {
		if (__i8042_command(I8042_CMD_CTL_TEST, NULL, 0, &in->selftest, 1))
			return i8042_absent("no answer to the self-test");
		if (in->selftest == I8042_RET_CTL_TEST)
			break;
		mdelay(50);
	}
	/* A failed self-test is reported, not fatal: the keyboard port
	 * may still work (Linux goes on too, on x86). */
	if (__i8042_command(I8042_CMD_CTL_RCTR, NULL, 0, &ctr, 1))
		return i8042_absent("the configuration byte cannot be read");
	if (__i8042_command(I8042_CMD_KBD_TEST, NULL, 0, &in->port_test, 1))
		in->port_test = 0xff;

	/* Keyboard on without its interrupt, the mouse off; translation
	 * as the firmware left it, unless i8042.direct. */
	ctr &= ~(I8042_CTR_KBDINT | I8042_CTR_AUXINT | I8042_CTR_KBDDIS);
	ctr |= I8042_CTR_AUXDIS;
	if (i8042_direct)
		ctr &= ~I8042_CTR_XLATE;
	if (__i8042_command(I8042_CMD_CTL_WCTR, &ctr, 1, NULL, 0) ||
	    __i8042_command(I8042_CMD_KBD_ENABLE, NULL, 0, NULL, 0))
		return i8042_absent("the configuration byte cannot be written");
	in->kbd_ack = kbd_enable();
	flush();
	in->translated = ctr & I8042_CTR_XLATE;
	kbd_init(&kbd, !in->translated);

	if (device_irqs_available() &&
	    request_irq(I8042_KBD_IRQ, i8042_interrupt, in, "i8042") == 0) {
		ctr |= I8042_CTR_KBDINT;
		if (i8042_command(I8042_CMD_CTL_WCTR, &ctr, 1, NULL, 0) == 0)
			in->irq = true;
		else
			free_irq(I8042_KBD_IRQ, in);
	}
	if (!in->irq)
		tty_register_poll(i8042_poll);
	in->ctr = ctr;
	pr_info("PS/2 controller at 0x60/0x64: self-test 0x%02x (%s), keyboard port test 0x%02x (%s), translation %s (scan code set %u), keyboard %s, %s\n",
		in->selftest, in->selftest == I8042_RET_CTL_TEST ? "passed" : "failed",
		in->port_test, in->port_test == I8042_RET_KBD_TEST ? "passed" : "failed",
		in->translated ? "on" : "off", in->translated ? 1 : 2,
		in->kbd_ack ? "acknowledged" : "did not answer",
		in->irq ? "on IRQ 1" : "polled (no IO-APIC)");
	return 0;
}
